"""Bounded parsing in a worker process: budget, reuse, thread safety, no orphans."""
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from analytics import safeparse
from analytics.reader import NotAResolution, parse_bytes

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = (ROOT / "corpus" / "A-RES-60-175.txt").read_bytes()


def slow_parse(data: bytes, *, source: str):
    """Stand-in parser run inside the workers: the first bytes say how to misbehave."""
    if data.startswith(b"SLOW"):
        time.sleep(3600)
    if data.startswith(b"CRASH"):
        os._exit(3)
    if data.startswith(b"BUG"):
        raise KeyError("parser bug")
    return parse_bytes(data, source=source)


@pytest.fixture
def slow_parser(monkeypatch):
    monkeypatch.setattr(safeparse, "_PARSER", f"{__name__}:slow_parse")
    yield
    safeparse.shutdown()


def proc_children(pid: int) -> list[int]:
    out = []
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                status = (d / "status").read_text()
            except OSError:
                continue
            if f"\nPPid:\t{pid}\n" in status:
                out.append(int(d.name))
    return out


def proc_gone(pid: int) -> bool:
    """Dead or a zombie (a container's pid 1 may never reap it)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat.rsplit(")", 1)[1].split()[0] in ("Z", "X")


def wait_until(cond, timeout: float = 10.0) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if cond():
            return True
        time.sleep(0.05)
    return cond()


def test_same_record_as_the_parser_and_the_worker_is_reused(slow_parser):
    first = safeparse.parse_bytes_bounded(SAMPLE, source="a.txt")
    pids = safeparse.worker_pids()
    second = safeparse.parse_bytes_bounded(SAMPLE, source="b.txt")
    assert first == parse_bytes(SAMPLE, source="a.txt")
    assert second.source == "b.txt"
    assert safeparse.worker_pids() == pids and len(pids) == 1   # warm, not one process per file


def test_parser_errors_keep_their_class_and_message(slow_parser):
    with pytest.raises(NotAResolution, match="not a resolution"):
        safeparse.parse_bytes_bounded(b"Mix flour and sugar.", source="recipe.md")
    with pytest.raises(ValueError, match="empty file"):
        safeparse.parse_bytes_bounded(b"", source="empty.txt")
    with pytest.raises(KeyError, match="parser bug"):
        safeparse.parse_bytes_bounded(b"BUG", source="x.txt")
    assert len(safeparse.worker_pids()) == 1    # an error answer does not cost the worker


def test_over_budget_is_killed_and_replaced(slow_parser):
    safeparse.parse_bytes_bounded(SAMPLE, source="a.txt")
    [old] = safeparse.worker_pids()
    start = time.monotonic()
    with pytest.raises(ValueError, match=r"^took longer than 0\.5 s to read$"):
        safeparse.parse_bytes_bounded(b"SLOW", source="slow.txt", budget=0.5)
    assert time.monotonic() - start < 5
    assert proc_gone(old)
    assert safeparse.parse_bytes_bounded(SAMPLE, source="a.txt").id == "A-RES-60-175"
    assert safeparse.worker_pids() != [old]


def test_a_crashing_worker_is_a_clear_error_and_is_replaced(slow_parser):
    with pytest.raises(safeparse.WorkerFailed, match="worker died"):
        safeparse.parse_bytes_bounded(b"CRASH", source="x.txt")
    assert safeparse.parse_bytes_bounded(SAMPLE, source="a.txt").id == "A-RES-60-175"


def test_threads_each_get_their_own_worker(slow_parser):
    results: dict[str, object] = {}

    def call(name: str, data: bytes) -> None:
        try:
            results[name] = safeparse.parse_bytes_bounded(data, source=name, budget=3).id
        except ValueError as exc:
            results[name] = str(exc)

    jobs = [("s1", b"SLOW"), ("f1", SAMPLE), ("s2", b"SLOW"), ("f2", SAMPLE)]
    threads = [threading.Thread(target=call, args=job) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert results == {"s1": "took longer than 3 s to read", "s2": "took longer than 3 s to read",
                       "f1": "A-RES-60-175", "f2": "A-RES-60-175"}


def test_worker_outlives_the_thread_that_first_needed_it(slow_parser):
    # PR_SET_PDEATHSIG fires when the creating *thread* exits: a Streamlit script thread
    # ending must not kill the warm worker it happened to start.
    t = threading.Thread(target=safeparse.parse_bytes_bounded, args=(SAMPLE,), kwargs={"source": "a.txt"})
    t.start()
    t.join()
    [pid] = safeparse.worker_pids()
    time.sleep(0.3)
    assert not proc_gone(pid)
    safeparse.parse_bytes_bounded(SAMPLE, source="a.txt")
    assert safeparse.worker_pids() == [pid]


def test_workers_die_when_the_parent_is_killed():
    script = textwrap.dedent(f"""
        import sys, threading
        sys.path[:0] = [{str(ROOT)!r}, {str(Path(__file__).parent)!r}]
        from analytics import safeparse
        safeparse._PARSER = "test_safeparse:slow_parse"
        threads = [threading.Thread(target=safeparse.parse_bytes_bounded, args=(b"SLOW",),
                                    kwargs={{"source": "s.txt", "budget": 600}}) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    """)
    parent = subprocess.Popen([sys.executable, "-c", script])
    try:
        assert wait_until(lambda: len(proc_children(parent.pid)) == 2, 60)
        kids = proc_children(parent.pid)
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait()
        assert wait_until(lambda: all(proc_gone(k) for k in kids)), "orphaned parse workers"
    finally:
        parent.kill()
        parent.wait()


def test_a_prewarmed_worker_is_the_one_that_parses_and_only_one_is_started(slow_parser):
    safeparse.shutdown()
    safeparse.prewarm()
    safeparse.prewarm()        # one is starting already: no second one
    assert wait_until(lambda: len(safeparse.worker_pids()) == 1, timeout=120)
    [pid] = safeparse.worker_pids()
    safeparse.prewarm()        # one is idle: nothing to do
    doc = safeparse.parse_bytes_bounded(SAMPLE, source="a.txt")
    assert doc.symbol == "A/RES/60/175" and safeparse.worker_pids() == [pid]
    assert proc_children(os.getpid()).count(pid) == 1
