"""Readers of hostile files run in worker processes bounded in time and memory.

Every test runs with forked workers (POSIX) and with spawned ones (the path of Windows, which
has no fork and no ``select.poll``), so that path is proven on Linux too."""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Iterator

import pytest

from parindex.core import workers
from parindex.core.errors import ReaderStartError
from parindex.core.workers import MEMORY_BOUNDED, Failure, bounded_map

from . import readers


@pytest.fixture(autouse=True, params=["fork", "spawn"])
def start_method(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch,
                 ) -> Iterator[str]:
    method: str = request.param
    if method not in multiprocessing.get_all_start_methods():
        pytest.skip(f"no {method} on this platform")
    monkeypatch.setattr(workers, "START_METHOD", method)
    yield method


_reader = readers.hostile


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


@pytest.mark.skipif(not MEMORY_BOUNDED, reason="no address-space limit on this platform")
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


def test_spawned_workers_need_no_poll(start_method: str,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Windows has no ``select.poll``: spawned workers are watched without it (forked ones,
    POSIX only, by one poll object)."""
    import select

    if start_method == "spawn":
        monkeypatch.delattr(select, "poll")
    got = list(bounded_map(_reader, ["a", "hang", "b"], workers=1, timeout=0.5,
                           on_fail=_failed))
    assert got == ["A", "hang: timeout, more than 0.5 s", "B"]


@pytest.mark.parametrize("start_method", ["spawn"], indirect=True)
def test_a_worker_that_cannot_start_is_an_error_not_a_file_problem() -> None:
    """A worker that dies before it is ready (under spawn: the reader's modules fail to
    import there) blames no file: the run stops with an error."""
    with pytest.raises(ReaderStartError, match=r"^không khởi động được tiến trình đọc tài "
                                               r"liệu: a reader process died while starting "
                                           r"\(exit code 3\); a spawned process runs the "
                                           r"main script again .* `if __name__ == "
                                           r"\"__main__\":`$"):
        list(bounded_map(readers.Unloadable(), ["a"], workers=1, timeout=30, on_fail=_failed))
    assert multiprocessing.active_children() == []


@pytest.mark.parametrize("start_method", ["spawn"], indirect=True)
def test_a_worker_that_never_gets_ready_is_an_error_not_a_file_problem(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker stuck before it is ready (its modules never finish importing) blames no file
    either: after :data:`START_TIMEOUT` the run stops with an error. (Spawn only, as above: a
    forked worker inherits the reader and always starts.)"""
    monkeypatch.setattr(workers, "START_TIMEOUT", 1.0)
    with pytest.raises(ReaderStartError, match=r"^không khởi động được tiến trình đọc tài liệu: "
                                               r"a reader process did not start within 1 s$"):
        list(bounded_map(readers.Unloadable(hang=True), ["a"], workers=1, timeout=30,
                         on_fail=_failed))
    assert multiprocessing.active_children() == []


def test_process_refused_by_the_system_is_a_reader_start_error(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """``fork`` failing (EAGAIN at the user's process limit) blames no file and leaves no
    pipe open: a :class:`ReaderStartError`, which is also the ``RuntimeError`` it was."""
    def refuse(self: object) -> None:
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(multiprocessing.process.BaseProcess, "start", refuse)
    with pytest.raises(ReaderStartError, match=r"^không khởi động được tiến trình đọc tài liệu: "
                                               r"the system refused a new process \(\[Errno 11\] "
                                               r"Resource temporarily unavailable\)$") as got:
        list(bounded_map(_reader, ["a"], workers=1, timeout=30, on_fail=_failed))
    assert isinstance(got.value, RuntimeError)
