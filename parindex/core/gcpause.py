"""Pausing Python's cyclic garbage collector around bulk work.

Loading a cached register of thousands of documents, checking them, or building a workbook of
tens of thousands of cells creates objects that all stay alive until the work ends: the
collector's passes over them free nothing and can cost a third of the time. :func:`paused`
turns it off for such a block; :func:`running` turns it back on inside one (reading files,
where parsers do make cyclic garbage). Both restore the previous state on exit.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

__all__ = ["paused", "running"]


@contextlib.contextmanager
def paused() -> Iterator[None]:
    """Run the block with the cyclic collector off (reference counting still frees)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


@contextlib.contextmanager
def running() -> Iterator[None]:
    """Run the block with the cyclic collector on, whatever the caller chose."""
    was = gc.isenabled()
    gc.enable()
    try:
        yield
    finally:
        if not was:
            gc.disable()
