"""Running a reader over untrusted files in worker processes, each file bounded in time and
memory.

Parsers of hostile files (PDFium, pyHanko) run in C or deep Python and cannot be interrupted
from inside: a file made to loop, to allocate without end or to crash the parser would hang or
kill the whole command. :func:`bounded_map` hands the files to forked worker processes, a few
at a time (:data:`DEPTH`), each timed from the moment its worker starts it. A worker that
takes longer than ``timeout`` seconds on one file is killed, one that dies (a crash, or the
address-space limit ``memory`` it runs under) is replaced, and in both cases the file gets
the caller's ``on_fail`` result instead of the reader's; the files it held but had not
started go to its replacement, and the other files are read as usual.
Results come back in the order of the items.

Where ``fork`` is not available the reader runs in this process, unbounded (said in
:data:`BOUNDED`).
"""

from __future__ import annotations

import collections
import contextlib
import math
import multiprocessing as mp
import os
import pickle
import select
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

__all__ = ["BOUNDED", "Failure", "bounded_map"]

T = TypeVar("T")
R = TypeVar("R")

BOUNDED = "fork" in mp.get_all_start_methods()
"""Whether readers run in worker processes that can be killed (POSIX)."""


@dataclass(frozen=True)
class Failure:
    """Why a worker gave no result for an item."""

    kind: Literal["timeout", "crash"]
    detail: str
    """"more than 120 s", "killed by signal 11", "exit code 1" (English, for the log)."""


@dataclass(eq=False)
class _Worker:
    process: Any
    conn: Any
    sent: collections.deque[int] = field(default_factory=collections.deque)
    """Indices handed to this worker and not answered yet, in the order it takes them."""
    started: float = 0.0
    """When the worker began the first of them (the previous answer, or the hand-over)."""


DEPTH = 3
"""Items a worker holds at once: it starts the next as soon as it answers one, instead of
waiting for the parent to wake up, read the answer and hand it another."""


def _limit_memory(extra: int | None) -> None:
    """Cap this process's address space at its present size plus ``extra`` bytes (Linux)."""
    if extra is None:
        return
    with contextlib.suppress(ImportError, OSError, ValueError):
        import resource

        with open("/proc/self/statm", encoding="ascii") as fh:
            size = int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        resource.setrlimit(resource.RLIMIT_AS, (size + extra, size + extra))


def _serve(conn: Any, fn: Callable[[Any], Any], memory: int | None) -> None:
    import faulthandler

    faulthandler.disable()  # a parser's crash is reported by the parent, without a dump
    _limit_memory(memory)
    while True:
        try:
            msg = pickle.loads(conn.recv_bytes())
        except (EOFError, OSError):
            return
        if msg is None:
            return
        index, item = msg
        try:
            result: tuple[bool, Any] = (True, fn(item))
        except BaseException as exc:  # sent back and raised by the parent
            result = (False, exc)
        try:
            data = pickle.dumps((index, result), pickle.HIGHEST_PROTOCOL)
        except Exception as exc:  # a result or an exception that does not pickle
            data = pickle.dumps((index, (False, RuntimeError(f"unpicklable result: {exc!r}"))))
        conn.send_bytes(data)


def bounded_map(fn: Callable[[T], R], items: Sequence[T], *, workers: int, timeout: float,
                on_fail: Callable[[T, Failure], R], memory: int | None = None,
                ) -> Iterator[R]:
    """``fn(item)`` for each item, in order, computed by up to ``workers`` forked processes.

    An item that takes more than ``timeout`` seconds, or whose worker dies, yields
    ``on_fail(item, failure)``; with ``memory``, each worker may grow by at most that many
    bytes of address space (an allocation beyond it fails in the worker: a ``MemoryError``
    raised by ``fn`` comes back like any exception of ``fn``, which is raised here).
    """
    if not items:
        return
    if not BOUNDED:
        for item in items:
            yield fn(item)
        return
    ctx = mp.get_context("fork")
    pool: list[_Worker] = []
    # one poll object for the whole run (multiprocessing.connection.wait builds a selector
    # on every call: it was most of the parent's time per file)
    poller = select.poll()
    by_fd: dict[int, _Worker] = {}

    def spawn() -> _Worker:
        parent, child = ctx.Pipe()
        proc = ctx.Process(target=_serve, args=(child, fn, memory), daemon=True)
        proc.start()
        child.close()
        w = _Worker(proc, parent)
        by_fd[parent.fileno()] = w
        poller.register(parent.fileno(), select.POLLIN)
        return w

    results: dict[int, R] = {}
    todo = collections.deque(range(len(items)))
    pending = len(items)
    following = 0

    def give(w: _Worker) -> None:
        while todo and len(w.sent) < DEPTH:
            index = todo.popleft()
            if not w.sent:
                w.started = time.monotonic()
            w.sent.append(index)
            w.conn.send_bytes(pickle.dumps((index, items[index]), pickle.HIGHEST_PROTOCOL))

    def replace_worker(w: _Worker, failure: Failure) -> None:
        nonlocal pending
        failed = w.sent.popleft()
        results[failed] = on_fail(items[failed], failure)
        pending -= 1
        todo.extendleft(reversed(w.sent))  # the ones it never started: to the fresh worker
        w.process.kill()
        w.process.join()
        poller.unregister(w.conn.fileno())
        del by_fd[w.conn.fileno()]
        w.conn.close()
        fresh = spawn()
        pool[pool.index(w)] = fresh
        give(fresh)

    try:
        for _ in range(max(1, min(workers, len(items)))):
            w = spawn()
            pool.append(w)
            give(w)
        while pending:
            busy = [w for w in pool if w.sent]
            wait = max(0.0, min(w.started for w in busy) + timeout - time.monotonic())
            ready = {by_fd[fd] for fd, _ in poller.poll(math.ceil(wait * 1000))}
            for w in busy:
                if w in ready:
                    try:
                        index, (ok, value) = pickle.loads(w.conn.recv_bytes())
                    except (EOFError, OSError):
                        w.process.join()
                        code = w.process.exitcode
                        why = (f"killed by signal {-code}" if code is not None and code < 0
                               else f"exit code {code}")
                        replace_worker(w, Failure("crash", why))
                        continue
                    if not ok:
                        raise value
                    assert index == w.sent[0]
                    w.sent.popleft()
                    w.started = time.monotonic()  # it went on with the next one it holds
                    results[index] = value
                    pending -= 1
                    give(w)
                elif time.monotonic() - w.started > timeout:
                    replace_worker(w, Failure("timeout", f"more than {timeout:g} s"))
            while following in results:
                yield results.pop(following)
                following += 1
    finally:
        for w in pool:
            with contextlib.suppress(OSError, ValueError):
                w.conn.send_bytes(pickle.dumps(None))
        for w in pool:
            w.process.join(timeout=1)
            if w.process.is_alive():
                w.process.kill()
                w.process.join()
            w.conn.close()
