"""Readers of hostile files run in worker processes bounded in time and memory."""

from __future__ import annotations

import multiprocessing
import os
import signal
import time

import pytest

from parindex.core.workers import BOUNDED, Failure, bounded_map

pytestmark = pytest.mark.skipif(not BOUNDED, reason="no fork on this platform: unbounded")


def _reader(item: str) -> str:
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


def _failed(item: str, failure: Failure) -> str:
    return f"{item}: {failure.kind}, {failure.detail}"


def test_a_file_that_hangs_the_reader_is_stopped_and_the_others_are_read() -> None:
    started = time.monotonic()
    got = list(bounded_map(_reader, ["a", "hang", "b", "c"], workers=2, timeout=0.5,
                           on_fail=_failed))
    assert got == ["A", "hang: timeout, more than 0.5 s", "B", "C"]
    assert time.monotonic() - started < 30
    assert multiprocessing.active_children() == []


def test_a_file_that_crashes_the_reader_is_reported_and_the_reader_replaced() -> None:
    got = list(bounded_map(_reader, ["crash", "a", "crash", "b"], workers=1, timeout=30,
                           on_fail=_failed))
    assert got == ["crash: crash, killed by signal 11", "A",
                   "crash: crash, killed by signal 11", "B"]
    assert multiprocessing.active_children() == []


def test_memory_beyond_the_bound_fails_in_the_reader_not_the_machine() -> None:
    with pytest.raises(MemoryError):
        list(bounded_map(_reader, ["a", "hog"], workers=1, timeout=30, on_fail=_failed,
                         memory=256 << 20))
    assert multiprocessing.active_children() == []


def test_an_exception_of_the_reader_is_raised_here_as_before() -> None:
    with pytest.raises(ValueError, match="a bug of ours"):
        list(bounded_map(_reader, ["a", "raise", "b"], workers=2, timeout=30,
                         on_fail=_failed))
    assert multiprocessing.active_children() == []


def test_results_come_in_the_order_of_the_items() -> None:
    items = [f"f{i}" for i in range(50)]
    assert list(bounded_map(_reader, items, workers=3, timeout=30, on_fail=_failed)) == [
        i.upper() for i in items]
    assert list(bounded_map(_reader, [], workers=3, timeout=30, on_fail=_failed)) == []


def test_items_a_stopped_reader_held_are_read_by_the_next_one() -> None:
    """A worker holds a few items at once (it goes on without waiting for the parent): when
    it is killed, only the item it was reading fails; the ones it held come back read."""
    got = list(bounded_map(_reader, ["hang", "a", "b", "c", "d"], workers=1, timeout=0.5,
                           on_fail=_failed))
    assert got == ["hang: timeout, more than 0.5 s", "A", "B", "C", "D"]
    assert multiprocessing.active_children() == []


def test_the_time_bound_is_per_item_not_for_what_a_worker_holds() -> None:
    """Six items of 0.3 s in one worker take 1.8 s, over the 1.5 s bound: none is stopped,
    since each is timed from the moment the worker starts it."""
    items = [f"slow{i}" for i in range(6)]
    got = list(bounded_map(_reader, items, workers=1, timeout=1.5, on_fail=_failed))
    assert got == [i.upper() for i in items]
