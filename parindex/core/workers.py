"""Running a reader over untrusted files in worker processes, each file bounded in time and
(on Linux) in memory.

Parsers of hostile files (PDFium, pyHanko) run in C or deep Python and cannot be interrupted
from inside: a file made to loop, to allocate without end or to crash the parser would hang or
kill the whole command. :func:`bounded_map` hands the files to worker processes, a few
at a time (:data:`DEPTH`), each timed from the moment its worker starts it. A worker that
takes longer than ``timeout`` seconds on one file is killed, one that dies (a crash, or the
address-space limit ``memory`` it runs under) is replaced, and in both cases the file gets
the caller's ``on_fail`` result instead of the reader's; the files it held but had not
started go to its replacement, and the other files are read as usual.
Results come back in the order of the items.

Workers start as :data:`START_METHOD` says: ``fork`` where the platform has it (POSIX: a
worker shares the modules already loaded and starts in milliseconds), ``spawn`` elsewhere
(Windows: a fresh interpreter that imports the reader's modules, some 0.5 s, so the workers
are started once per run and reused). With ``spawn`` the reader and the items must pickle:
module-level functions, :func:`functools.partial` of them, plain data.

What is bounded where: the time bound and crashes hold on every platform
(:data:`TIME_BOUNDED`: the worker is killed, forked or spawned). The memory bound is an
address-space limit (``resource.RLIMIT_AS``), on Linux only (:data:`MEMORY_BOUNDED`): the
standard library has no equivalent on Windows (a Job Object would need pywin32 or hand-written
ctypes), and macOS does not enforce ``RLIMIT_AS``. There ``memory`` is ignored: a reader may
allocate until the system refuses, and only the time bound stops it.
"""

from __future__ import annotations

import collections
import contextlib
import math
import multiprocessing as mp
import multiprocessing.connection
import os
import pickle
import select
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

from parindex.core.errors import ReaderStartError

__all__ = ["BOUNDED", "MEMORY_BOUNDED", "START_METHOD", "TIME_BOUNDED", "Failure",
           "bounded_map"]

T = TypeVar("T")
R = TypeVar("R")

START_METHOD = "fork" if "fork" in mp.get_all_start_methods() else "spawn"
"""How :func:`bounded_map` starts its workers, read at each call: ``fork`` on POSIX,
``spawn`` where there is no fork (Windows). Tests set it to ``spawn`` to run the Windows path
on Linux; it is not read from the environment."""

TIME_BOUNDED = True
"""Whether a reader that hangs (beyond ``timeout``) or crashes is stopped and its file
reported: on every platform (its worker process is killed, with fork or spawn)."""

MEMORY_BOUNDED = sys.platform == "linux"
"""Whether ``memory`` bounds a worker (``RLIMIT_AS`` over its size read from ``/proc``):
Linux only. Windows has no equivalent in the standard library, macOS does not enforce
``RLIMIT_AS``: there a reader's memory is unbounded."""

BOUNDED = TIME_BOUNDED
"""Former name of :data:`TIME_BOUNDED` (readers run in worker processes that can be killed);
false where there was no fork, before workers could be spawned."""

START_TIMEOUT = 120.0
"""Seconds a worker may take to start (a spawned one imports the reader's modules: some
0.5 s, more on a loaded machine or under a virus scanner) before the run is given up; the
time bound of its first item runs from the moment it is ready."""


@dataclass(frozen=True)
class Failure:
    """Why a worker gave no result for an item."""

    kind: Literal["timeout", "crash"]
    detail: str
    """"more than 120 s", "killed by signal 11", "exit code 0xc0000005" (English, for the
    log)."""


@dataclass(eq=False)
class _Worker:
    process: Any
    conn: Any
    started: float
    """When the worker began the first item it holds (the previous answer, or the moment it
    was ready); before it is ready, when it was started."""
    limit: float
    """Seconds it may take from :attr:`started`: :data:`START_TIMEOUT` to be ready, then
    ``timeout`` to read an item."""
    ready: bool = False
    """Whether it has said it is ready (its modules imported, its memory limited)."""
    sent: collections.deque[int] = field(default_factory=collections.deque)
    """Indices handed to this worker and not answered yet, in the order it takes them."""


DEPTH = 3
"""Items a worker holds at once: it starts the next as soon as it answers one, instead of
waiting for the parent to wake up, read the answer and hand it another."""

_READY = pickle.dumps(None)
"""What a worker sends once, when it is ready (every answer is a tuple); the same from the
parent tells the worker to stop."""


def _limit_memory(extra: int | None) -> None:
    """Cap this process's address space at its present size plus ``extra`` bytes (Linux)."""
    if extra is None or not MEMORY_BOUNDED:
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
    conn.send_bytes(_READY)
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


_HINT = ("; a spawned process runs the main script again before it reads: a script that "
         "reads evidence files must do it under `if __name__ == \"__main__\":`")
"""Why a spawned worker most often dies at start (Windows: a script run without that guard
starts the check again in each worker, which multiprocessing refuses)."""


def _died(code: int | None) -> str:
    if code is not None and code < 0:
        return f"killed by signal {-code}"
    if code is not None and code > 255:  # Windows: an NTSTATUS, 0xc0000005 access violation
        return f"exit code {code:#x}"
    return f"exit code {code}"


def bounded_map(fn: Callable[[T], R], items: Sequence[T], *, workers: int, timeout: float,
                on_fail: Callable[[T, Failure], R], memory: int | None = None,
                ) -> Iterator[R]:
    """``fn(item)`` for each item, in order, computed by up to ``workers`` processes.

    An item that takes more than ``timeout`` seconds, or whose worker dies, yields
    ``on_fail(item, failure)``; with ``memory``, each worker may grow by at most that many
    bytes of address space where :data:`MEMORY_BOUNDED` (an allocation beyond it fails in the
    worker: a ``MemoryError`` raised by ``fn`` comes back like any exception of ``fn``, which
    is raised here). Under ``spawn`` (:data:`START_METHOD`) ``fn`` and the items must pickle.
    A worker that dies or hangs before it is ready to read (the reader's modules fail to
    import, :data:`START_TIMEOUT`), or that the system refuses to start, raises
    :class:`~parindex.core.errors.ReaderStartError`: no file is to blame.
    """
    if not items:
        return
    ctx: Any = mp.get_context(START_METHOD)  # (typed BaseContext, which has no Process)
    pool: list[_Worker] = []
    # fork is POSIX: one poll object for the whole run (multiprocessing.connection.wait builds
    # a selector on every call: it was most of the parent's time per file); spawn is also
    # Windows, which has no poll: there connection.wait (WaitForMultipleObjects)
    poller = select.poll() if START_METHOD == "fork" else None
    by_fd: dict[int, _Worker] = {}

    def spawn() -> _Worker:
        parent, child = ctx.Pipe()
        proc = ctx.Process(target=_serve, args=(child, fn, memory), daemon=True)
        try:
            proc.start()
        except OSError as exc:  # e.g. EAGAIN: the user's process limit is reached
            parent.close()
            child.close()
            raise ReaderStartError(f"the system refused a new process ({exc})") from None
        child.close()
        w = _Worker(proc, parent, time.monotonic(), limit=START_TIMEOUT)
        if poller is not None:
            by_fd[parent.fileno()] = w
            poller.register(parent.fileno(), select.POLLIN)
        return w

    def answering(wait: float) -> set[_Worker]:
        if poller is not None:
            return {by_fd[fd] for fd, _ in poller.poll(math.ceil(wait * 1000))}
        got = multiprocessing.connection.wait([w.conn for w in pool], wait)
        return {w for w in pool if w.conn in got}

    def retire(w: _Worker) -> None:
        w.process.kill()
        w.process.join()
        if poller is not None:
            poller.unregister(w.conn.fileno())
            del by_fd[w.conn.fileno()]
        w.conn.close()
        pool.remove(w)

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
            try:  # noqa: SIM105 (suppress() costs a microsecond per item here)
                w.conn.send_bytes(pickle.dumps((index, items[index]),
                                               pickle.HIGHEST_PROTOCOL))
            except OSError:  # it died meanwhile: noticed at its next answer (end of file)
                pass

    def replace_worker(w: _Worker, failure: Failure) -> None:
        nonlocal pending
        failed = w.sent.popleft()
        results[failed] = on_fail(items[failed], failure)
        pending -= 1
        todo.extendleft(reversed(w.sent))  # the ones it never started: to the fresh worker
        retire(w)
        fresh = spawn()
        pool.append(fresh)
        give(fresh)

    try:
        for _ in range(max(1, min(workers, len(items)))):
            w = spawn()
            pool.append(w)
            give(w)
        while pending:
            wait = max(0.0, min(w.started + w.limit for w in pool if w.sent or not w.ready)
                       - time.monotonic())
            ready = answering(wait)
            for w in pool[:]:
                if w in ready:
                    try:
                        msg = pickle.loads(w.conn.recv_bytes())
                    except (EOFError, OSError):
                        w.process.join()
                        why = _died(w.process.exitcode)
                        if not w.ready:
                            hint = _HINT if START_METHOD == "spawn" else ""
                            raise ReaderStartError(
                                f"a reader process died while starting ({why}){hint}"
                            ) from None
                        if w.sent:
                            replace_worker(w, Failure("crash", why))
                        else:  # it held nothing: nothing to fail, nothing to replace
                            retire(w)
                        continue
                    if msg is None:
                        w.ready, w.limit = True, timeout
                        w.started = time.monotonic()  # its first item's clock starts now
                        continue
                    index, (ok, value) = msg
                    if not ok:
                        raise value
                    assert index == w.sent[0]
                    w.sent.popleft()
                    w.started = time.monotonic()  # it went on with the next one it holds
                    results[index] = value
                    pending -= 1
                    give(w)
                elif (w.sent or not w.ready) and time.monotonic() - w.started > w.limit:
                    if not w.ready:
                        raise ReaderStartError(
                            f"a reader process did not start within {START_TIMEOUT:g} s")
                    replace_worker(w, Failure("timeout", f"more than {timeout:g} s"))
            while following in results:
                yield results.pop(following)
                following += 1
    finally:
        for w in pool:
            with contextlib.suppress(OSError, ValueError):
                w.conn.send_bytes(_READY)
        for w in pool:
            w.process.join(timeout=1)
            if w.process.is_alive():
                w.process.kill()
                w.process.join()
            w.conn.close()
