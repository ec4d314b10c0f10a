"""Faults of the corpus folder and of the cache folder: each is one line, never a hang or a traceback."""
import hashlib
import os
import shutil
import signal
import stat
import subprocess
import sys
import textwrap
import threading
import time
import types
from pathlib import Path

import pytest

from analytics import admission
from analytics import corpus as corpus_mod
from analytics import safeparse
from analytics.corpus import _pack_path, load_corpus
from analytics.reader import parse_bytes

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "corpus").glob("A-*"))


def slow_parse(data: bytes, *, source: str):
    """Run inside the parse workers: a file starting with SLOW never finishes."""
    if data.startswith(b"SLOW"):
        time.sleep(3600)
    return parse_bytes(data, source=source)


def load_within(seconds: float, *args, **kwargs):
    """load_corpus in a thread: a hang fails the test instead of stalling the suite."""
    box = {}
    t = threading.Thread(target=lambda: box.update(c=load_corpus(*args, **kwargs)), daemon=True)
    t.start()
    t.join(seconds)
    assert not t.is_alive(), f"load_corpus still running after {seconds} s"
    return box["c"]


def reasons(c) -> dict[str, str]:
    return {p.source: p.reason for p in c.problems}


# --- the corpus folder -------------------------------------------------------------------

def test_named_pipe_is_refused_without_hanging(work):
    corpus_dir, cache = work
    os.mkfifo(corpus_dir / "x.txt")     # the old loader blocked forever opening it
    c = load_within(60, corpus_dir, cache_dir=cache, workers=1)
    assert reasons(c) == {"x.txt": "not a regular file (a named pipe): skipped"}
    assert len(c.documents) == 5


def test_links_to_endless_devices_are_refused(work):
    corpus_dir, cache = work
    # /dev/zero reports size 0 and never ends: the old loader read it until MemoryError
    (corpus_dir / "zero.txt").symlink_to("/dev/zero")
    (corpus_dir / "random.md").symlink_to("/dev/urandom")
    c = load_within(60, corpus_dir, cache_dir=cache, workers=1)
    assert reasons(c) == {"zero.txt": "symbolic link to /dev/zero, outside the corpus folder: refused",
                          "random.md": "symbolic link to /dev/urandom, outside the corpus folder: refused"}
    assert len(c.documents) == 5


def test_links_leading_out_are_refused_and_links_inside_load(work, tmp_path):
    corpus_dir, cache = work
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    shutil.move(corpus_dir / "A-RES-65-232.txt", outside / "secret.txt")
    (corpus_dir / "leak.txt").symlink_to(outside / "secret.txt")
    (corpus_dir / "up.txt").symlink_to(Path("..") / "elsewhere" / "secret.txt")   # relative, same place
    (corpus_dir / "archive").mkdir()
    shutil.move(corpus_dir / "A-RES-60-175.txt", corpus_dir / "archive" / "60-175.txt")
    (corpus_dir / "A-RES-60-175.txt").symlink_to(Path("archive") / "60-175.txt")
    c = load_within(60, corpus_dir, cache_dir=cache, workers=1)
    real = os.path.realpath(outside / "secret.txt")
    assert reasons(c) == {"leak.txt": f"symbolic link to {real}, outside the corpus folder: refused",
                          "up.txt": f"symbolic link to {real}, outside the corpus folder: refused"}
    assert "A-RES-65-232" not in c.ids
    assert c.get("A-RES-60-175").source == "A-RES-60-175.txt"


def test_folder_named_like_a_document_is_one_line(work):
    corpus_dir, cache = work
    (corpus_dir / "x.txt").mkdir()
    (corpus_dir / "x.txt" / "inner.txt").write_bytes(SEEDS[0].read_bytes())
    (corpus_dir / "archive").mkdir()     # an ordinary subfolder is nobody's mistake
    c = load_within(60, corpus_dir, cache_dir=cache, workers=1)
    assert reasons(c) == {"x.txt": "a folder, not a file: skipped"}
    assert len(c.documents) == 5


def test_unreadable_file_is_one_line(work, monkeypatch):
    corpus_dir, cache = work
    locked = corpus_dir / "A-RES-63-195.md"
    locked.chmod(0)
    try:
        locked.read_bytes()
    except PermissionError:
        pass
    else:   # root reads anything: make the open fail the way it would for anyone else
        real_open = getattr(corpus_mod, "_open_fd", os.open)

        def deny(path, flags):
            if os.path.basename(path) == locked.name:
                raise PermissionError(13, "Permission denied", path)
            return real_open(path, flags)
        monkeypatch.setattr(corpus_mod, "_open_fd", deny, raising=False)
    c = load_within(60, corpus_dir, cache_dir=cache, workers=1)
    assert reasons(c) == {"A-RES-63-195.md": "cannot read: Permission denied"}
    assert len(c.documents) == 4


def test_a_file_growing_past_the_cap_is_caught_on_what_is_read(work, monkeypatch):
    corpus_dir, cache = work
    monkeypatch.setattr(admission, "MAX_FOLDER_FILE_BYTES", 30_000)
    target = corpus_dir / "A-RES-60-175.txt"
    target.write_bytes(target.read_bytes() + b" " * 40_000)
    ino = target.stat().st_ino
    real_stat, real_fstat = os.stat, os.fstat

    def stale(st):   # the size the file had before it grew
        return os.stat_result((*st[:6], 100, *st[7:])) if st.st_ino == ino else st
    monkeypatch.setattr(os, "stat", lambda *a, **k: stale(real_stat(*a, **k)))
    monkeypatch.setattr(os, "fstat", lambda fd: stale(real_fstat(fd)))
    c = load_within(60, corpus_dir, cache_dir=cache, workers=1)
    assert reasons(c)["A-RES-60-175.txt"].startswith("too large")


# --- each file is read once: the cache cannot lie --------------------------------------------

def test_the_bytes_hashed_are_the_bytes_parsed(work, monkeypatch):
    corpus_dir, cache = work
    target = corpus_dir / "A-RES-63-195.md"
    original = target.read_bytes()
    edited = original.replace(b"urban crime", b"rural crime")
    assert edited != original
    real_sha256 = hashlib.sha256

    def sha256_then_edit(data=b""):
        # an editor saves the file just after the loader hashed it
        h = real_sha256(data)
        if bytes(data) == original:
            target.write_bytes(edited)
        return h
    monkeypatch.setattr(corpus_mod, "hashlib", types.SimpleNamespace(sha256=sha256_then_edit))
    first = load_corpus(corpus_dir, cache_dir=cache, workers=1)
    monkeypatch.undo()
    key = real_sha256(original).hexdigest()
    doc = first.get("A-RES-63-195")
    assert doc.sha256 == key and "urban crime" in doc.text
    corpus_mod._MEMO.clear()
    cached = load_corpus(corpus_dir, cache_dir=cache, workers=1)   # now sees the edit
    assert cached.parsed == 1 and "rural crime" in cached.get("A-RES-63-195").text
    corpus_mod._MEMO.clear()
    target.write_bytes(original)       # back to the first content: its record must be true to it
    again = load_corpus(corpus_dir, cache_dir=cache, workers=1)
    assert again.parsed == 0 and "urban crime" in again.get("A-RES-63-195").text


# --- the time budget ---------------------------------------------------------------------------

@pytest.fixture
def slow_parser(monkeypatch):
    monkeypatch.setattr(safeparse, "_PARSER", f"{__name__}:slow_parse")
    yield
    safeparse.shutdown()


def test_a_file_over_budget_is_one_line_and_is_not_cached(work, slow_parser):
    corpus_dir, cache = work
    (corpus_dir / "slow.txt").write_bytes(b"SLOW" + SEEDS[0].read_bytes())
    c = load_within(120, corpus_dir, cache_dir=cache, workers=2, budget=3)
    assert reasons(c) == {"slow.txt": "took longer than 3 s to read"}
    assert len(c.documents) == 5
    # a timeout says the machine was busy, not that the bytes are bad: the next load retries
    again = load_within(120, corpus_dir, cache_dir=cache, workers=1, budget=3)
    assert again.parsed == 1 and again.cached == 5


def proc_children(pid: int) -> list[int]:
    out = []
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                if f"\nPPid:\t{pid}\n" in (d / "status").read_text():
                    out.append(int(d.name))
            except OSError:
                pass
    return out


def proc_gone(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return True
    return state in ("Z", "X")   # a zombie is dead; a container's pid 1 may never reap it


def wait_until(cond, timeout: float) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end and not cond():
        time.sleep(0.05)
    return cond()


def test_killing_a_cold_load_leaves_no_parse_workers(tmp_path):
    corpus_dir = tmp_path / "corpus"
    corpus_dir.mkdir()
    for i in range(30):     # enough files for a pool of workers
        (corpus_dir / f"slow-{i:02}.txt").write_bytes(b"SLOW %d" % i)
    script = textwrap.dedent(f"""
        import sys
        sys.path[:0] = [{str(ROOT)!r}, {str(Path(__file__).parent)!r}]
        from analytics import corpus, safeparse
        from test_corpus_faults import slow_parse
        safeparse._PARSER = "test_corpus_faults:slow_parse"
        corpus.parse_bytes = slow_parse    # where a fork-based pool would call the parser
        corpus.load_corpus({str(corpus_dir)!r}, cache_dir={str(tmp_path / "cache")!r}, workers=2,
                           **({{"budget": 600}} if hasattr(corpus, "DEFAULT_BUDGET_S") else {{}}))
    """)
    cli = subprocess.Popen([sys.executable, "-c", script])
    kids: list[int] = []
    try:
        assert wait_until(lambda: len(proc_children(cli.pid)) >= 2, 60), "no workers started"
        kids = proc_children(cli.pid)
        os.kill(cli.pid, signal.SIGKILL)
        cli.wait()
        assert wait_until(lambda: all(proc_gone(k) for k in kids), 10), "orphaned parse workers"
    finally:
        cli.kill()
        cli.wait()
        for k in kids:
            if not proc_gone(k):
                os.kill(k, signal.SIGKILL)


# --- the cache folder --------------------------------------------------------------------------

def test_cache_path_that_is_a_file(work):
    corpus_dir, cache = work
    cache.write_text("not a folder")
    c = load_corpus(corpus_dir, cache_dir=cache, workers=1)
    assert len(c.documents) == 5 and c.problems == ()
    assert c.notes == (f"cache folder {cache} is not a folder; continuing without a cache",)
    assert cache.read_text() == "not a folder"


def test_pack_that_is_a_folder(work):
    corpus_dir, cache = work
    _pack_path(cache).mkdir(parents=True)
    for _ in range(2):
        corpus_mod._MEMO.clear()
        c = load_corpus(corpus_dir, cache_dir=cache, workers=1)
        assert len(c.documents) == 5 and c.problems == ()
        assert any("pack.bin" in n and "not a regular file (a folder)" in n for n in c.notes)
    assert c.parsed == 0    # the record files still serve


def test_unreadable_cache_files_are_re_parsed(work, monkeypatch):
    corpus_dir, cache = work
    cold = load_corpus(corpus_dir, cache_dir=cache, workers=1)
    real_open = corpus_mod._open_fd

    def foreign(path, flags):   # files another user created with mode 0600
        if path.endswith((".json", ".bin")):
            raise PermissionError(13, "Permission denied", path)
        return real_open(path, flags)
    monkeypatch.setattr(corpus_mod, "_open_fd", foreign)
    corpus_mod._MEMO.clear()
    c = load_corpus(corpus_dir, cache_dir=cache, workers=1)
    assert c.documents == cold.documents and c.parsed == 5
    assert any("pack.bin" in n and "Permission denied" in n for n in c.notes)
    assert sum("Permission denied" in n and "re-parsed" in n for n in c.notes) == 5


def test_cache_files_are_readable_by_others(work):
    corpus_dir, cache = work
    load_corpus(corpus_dir, cache_dir=cache, workers=1)
    files = [p for p in cache.rglob("*") if p.is_file()]
    assert len(files) == 7      # five records, the pack and the stat index
    assert {stat.S_IMODE(p.stat().st_mode) for p in files} == {0o644}
