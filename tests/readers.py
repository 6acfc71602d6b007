"""Readers that misbehave like a parser fed a hostile file, for the tests of worker processes.

Module-level and light (no pytest, no parindex at import): a spawned worker imports this module
by name to load the reader it is given."""

from __future__ import annotations

import os
import signal
import time
from typing import Any


def hostile(item: str) -> str:
    """What a reader does with a file named ``item``: upper-cases a sound one."""
    if item == "hang":
        while True:  # a parser in a loop: only killing the process stops it
            time.sleep(0.01)
    if item == "crash":
        os.kill(os.getpid(), signal.SIGSEGV)  # what a parser bug does
    if item == "raise":
        raise ValueError("a bug of ours")
    if item.startswith("slow"):
        time.sleep(0.3)
    if item == "hog":
        return str(len(bytearray(4 << 30)))  # 4 GiB, beyond the memory bound
    return item.upper()


def _exit_at_import() -> None:
    os._exit(3)  # what a reader module that fails to import in a worker does


def _hang_at_import() -> None:
    while True:  # what a reader module stuck at import does
        time.sleep(0.01)


class Unloadable:
    """A reader that loads in a spawned worker as a call of :func:`_exit_at_import`, or of
    :func:`_hang_at_import` with ``hang``."""

    def __init__(self, hang: bool = False) -> None:
        self.hang = hang

    def __call__(self, item: str) -> str:
        return item

    def __reduce__(self) -> tuple[object, tuple[()]]:
        return (_hang_at_import if self.hang else _exit_at_import), ()


HANGS_ON = "kh-cchc-2021.pdf"


def inspect_hanging(item: tuple[str, bool], ocr: bool = False) -> Any:
    """``documents._inspect_one``, looping (as PDFium made to hang does) on :data:`HANGS_ON`."""
    from parindex.evidence import documents

    while os.path.basename(item[0]) == HANGS_ON:
        time.sleep(0.01)
    return documents._inspect_one(item, ocr)
