"""Parse one file's bytes in a separate, killable worker process, within a time budget.

A pathological file (a regular expression that backtracks for minutes) must cost the
user one line, not a hung dashboard: ``parse_bytes_bounded`` sends the bytes to a warm
worker and waits at most ``budget`` seconds; a worker over budget is killed and a fresh
one replaces it on the next call.  Workers are reused (starting Python per file would
dominate a 10,000-file load) and die with their parent, even when the parent is
SIGKILLed: the kernel sends them SIGKILL (``PR_SET_PDEATHSIG``) and a watchdog thread
checks the parent pid as a fallback.

Callers may be many threads at once (dashboard sessions, the corpus loader's parse
threads): each call has a worker to itself.
"""
from __future__ import annotations

import os
import pickle
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import Future
from multiprocessing.connection import Connection
from pathlib import Path

from .records import Resolution

DEFAULT_BUDGET_S = 10.0
# Parse function run by workers, as "module:attribute".  Tests point it at a slow stand-in;
# workers started for another value are not reused.
_PARSER = "analytics.reader:parse_bytes"
_READY_TIMEOUT_S = 120.0         # a cold start on a loaded machine; never counted in the budget
_MAX_WORKERS = max(2, os.cpu_count() or 1) * 2
_PACKAGE_ROOT = str(Path(__file__).resolve().parent.parent)
_PR_SET_PDEATHSIG = 1

_lock = threading.Lock()
_idle: list["_Worker"] = []
_slots = threading.BoundedSemaphore(_MAX_WORKERS)
# PR_SET_PDEATHSIG fires when the *thread* that started the child exits, so children are
# started from one daemon thread that lives as long as the process, never from a caller's
# thread (a Streamlit script thread ends after each rerun).  Not a ThreadPoolExecutor: that
# refuses work once interpreter shutdown has begun, while other threads may still parse.
_spawn_requests: queue.SimpleQueue = queue.SimpleQueue()
_spawner: threading.Thread | None = None
_warming = 0                     # workers started by `prewarm` and not yet idle


def _forget_after_fork() -> None:
    """A forked child has none of its parent's threads and must not share its workers."""
    global _lock, _idle, _slots, _spawn_requests, _spawner, _warming
    _lock, _idle, _slots = threading.Lock(), [], threading.BoundedSemaphore(_MAX_WORKERS)
    _spawn_requests, _spawner, _warming = queue.SimpleQueue(), None, 0


os.register_at_fork(after_in_child=_forget_after_fork)


class OverBudget(ValueError):
    """The parse took longer than its budget (says nothing about the bytes: never cache it)."""


class WorkerFailed(RuntimeError):
    """The worker died or answered nonsense (not the parser's verdict on the file)."""


class _Worker:
    def __init__(self, parser: str):
        self.parser = parser
        ours, theirs = socket.socketpair()
        cmd = [sys.executable, "-c",
               f"import sys; sys.path.insert(0, {_PACKAGE_ROOT!r}); "
               "from analytics.safeparse import _worker_main; _worker_main()",
               str(theirs.fileno()), str(os.getpid())]
        try:
            self.proc = subprocess.Popen(cmd, pass_fds=(theirs.fileno(),), stdin=subprocess.DEVNULL)
        finally:
            theirs.close()
        self.conn = Connection(ours.detach())
        try:
            self.conn.send((list(sys.path), parser))
            if not self.conn.poll(_READY_TIMEOUT_S) or self.conn.recv() != "ready":
                raise WorkerFailed("parse worker did not start")
        except (OSError, EOFError) as exc:
            self.kill()
            raise WorkerFailed(f"parse worker did not start ({exc})") from None
        except BaseException:
            self.kill()
            raise

    @property
    def pid(self) -> int:
        return self.proc.pid

    def alive(self) -> bool:
        return self.proc.poll() is None

    def kill(self) -> None:
        try:
            self.proc.kill()
        except OSError:
            pass
        self.proc.wait()
        self.conn.close()

    def run(self, data: bytes, source: str, budget: float):
        """(ok, value) from the worker, or None when it took longer than ``budget``."""
        try:
            self.conn.send(source)
            self.conn.send_bytes(data)
            if not self.conn.poll(budget):
                return None
            return self.conn.recv()
        except (OSError, EOFError, pickle.UnpicklingError) as exc:
            raise WorkerFailed(f"parse worker died ({type(exc).__name__})") from None


def parse_bytes_bounded(data: bytes, *, source: str, budget: float = DEFAULT_BUDGET_S) -> Resolution:
    """``reader.parse_bytes(data, source=source)`` in a worker process, within ``budget`` seconds.

    Raises the parser's own ValueError / NotAResolution (and, for a parser bug, whatever
    it raised); ``OverBudget("took longer than N s to read")``, a ValueError, when the budget
    runs out (the worker is killed); WorkerFailed when the worker dies without an answer."""
    with _slots:
        worker = _take_worker()
        try:
            answer = worker.run(data, source, budget)
        except BaseException:
            worker.kill()
            raise
        if answer is None:
            worker.kill()
            raise OverBudget(f"took longer than {budget:g} s to read")
        _give_back(worker)
    ok, value = answer
    if ok:
        return value
    raise value


def _take_worker() -> _Worker:
    parser = _PARSER
    with _lock:
        while _idle:
            w = _idle.pop()
            if w.parser == parser and w.alive():
                return w
            w.kill()
    return _spawn(parser)


def _spawn(parser: str) -> "_Worker":
    done = Future()
    _request(parser, done)
    return done.result()


def _request(parser: str, done: Future) -> None:
    global _spawner
    with _lock:
        if _spawner is None:
            _spawner = threading.Thread(target=_spawn_loop, daemon=True, name="safeparse-spawner")
            _spawner.start()
    _spawn_requests.put((parser, done))


def prewarm() -> None:
    """Start a worker in the background when none is idle or starting, for a caller that
    will parse soon: a load that has found a changed file then reads its cache while the
    worker starts (a fifth of a second of a one-file refresh)."""
    global _warming
    with _lock:
        if _idle or _warming:
            return
        _warming += 1
    done = Future()
    done.add_done_callback(_warmed)
    _request(_PARSER, done)


def _warmed(done: Future) -> None:
    global _warming
    with _lock:
        _warming -= 1
    if done.exception() is None:
        _give_back(done.result())


def _spawn_loop() -> None:
    while True:
        parser, done = _spawn_requests.get()
        try:
            done.set_result(_Worker(parser))
        except BaseException as exc:
            done.set_exception(exc)


def _give_back(worker: _Worker) -> None:
    with _lock:
        if worker.parser == _PARSER and len(_idle) < _MAX_WORKERS:
            _idle.append(worker)
            return
    worker.kill()


def shutdown() -> None:
    """Stop every idle worker (busy ones stop when their call returns)."""
    with _lock:
        workers, _idle[:] = list(_idle), []
    for w in workers:
        w.kill()


def worker_pids() -> list[int]:
    """Pids of the idle workers (for tests and diagnostics)."""
    with _lock:
        return [w.pid for w in _idle]


# --- the worker process ------------------------------------------------------------------

def _worker_main() -> None:
    fd, parent = int(sys.argv[1]), int(sys.argv[2])
    _die_with_parent(parent)
    conn = Connection(fd)
    parent_path, parser = conn.recv()
    sys.path[:] = parent_path + [p for p in sys.path if p not in parent_path]
    parse = _load_parser(parser)
    conn.send("ready")
    while True:
        try:
            source = conn.recv()
            data = conn.recv_bytes()
        except (EOFError, OSError):
            return
        _answer(conn, parse, data, source)


def _answer(conn: Connection, parse, data: bytes, source: str) -> None:
    try:
        value = (True, parse(data, source=source))
    except Exception as exc:  # the parent decides what a parser bug means
        value = (False, exc)
    try:
        conn.send(value)   # pickles before writing: a failure sends nothing
    except (pickle.PicklingError, TypeError, AttributeError) as exc:
        conn.send((False, WorkerFailed(f"{type(value[1]).__name__}: {value[1]} "
                                       f"(not transferable: {type(exc).__name__})")))


def _load_parser(spec: str):
    import importlib
    module, _, attr = spec.partition(":")
    return getattr(importlib.import_module(module), attr)


def _die_with_parent(parent: int) -> None:
    if sys.platform.startswith("linux"):
        try:
            import ctypes
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass
    # The parent may have died before prctl took effect; then nobody would signal us.
    if os.getppid() != parent:
        os._exit(1)
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True,
                     name="safeparse-watchdog").start()


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)
