"""The Corpus page's upload path: each file is read in a worker process within the budget,
under a spinner; a refusal is one line; the record is cached for the reload; other sessions
keep running while an upload is read."""
from __future__ import annotations

import re
import shutil
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import views.corpus as page
from analytics import corpus as corpus_mod
from analytics import safeparse
from analytics.corpus import load_corpus
from analytics.reader import parse_bytes

ROOT = Path(__file__).resolve().parent.parent
GOOD = (ROOT / "corpus" / "A-RES-63-195.md").read_bytes()
SLOW = b"SLOW" + GOOD                     # 40 KB that the stand-in parser never finishes


def slow_parse(data: bytes, *, source: str):
    """Stand-in for a pathological file: a backtracking regular expression, which burns the
    CPU and holds the GIL for hours; run on a script thread it would stop every session."""
    if data.startswith(b"SLOW"):
        re.fullmatch(r"(a|aa)+", "a" * 90 + "b")
    return parse_bytes(data, source=source)


@pytest.fixture
def slow_parser(monkeypatch):
    monkeypatch.setattr(safeparse, "_PARSER", f"{__name__}:slow_parse")
    yield
    safeparse.shutdown()


class Upload:
    """What st.file_uploader hands the page."""

    def __init__(self, name: str, data: bytes):
        self.name, self._data, self.file_id = name, data, f"id-{name}"

    def getvalue(self) -> bytes:
        return self._data


@pytest.fixture
def folders(tmp_path):
    (tmp_path / "corpus").mkdir()
    (tmp_path / "cache").mkdir()
    return tmp_path / "corpus", tmp_path / "cache"


@pytest.fixture
def indicators(monkeypatch):
    """Every spinner and progress text the page shows."""
    shown = []

    @contextmanager
    def spinner(text, **_):
        shown.append(("spinner", text))
        yield

    class Bar:
        def progress(self, value, text=""):
            shown.append(("progress", text))

        def empty(self):
            shown.append(("progress", None))

    monkeypatch.setattr(page.st, "spinner", spinner)
    monkeypatch.setattr(page.st, "progress", lambda value, text="": (shown.append(("progress", text)), Bar())[1])
    return shown


def test_each_upload_is_read_under_a_spinner_and_each_refusal_is_one_line(folders, slow_parser, indicators,
                                                                           monkeypatch):
    monkeypatch.setattr(page, "DEFAULT_BUDGET_S", 1.0)
    files = [Upload("good.md", GOOD), Upload("slow.txt", SLOW), Upload("copy.txt", GOOD),
             Upload("noise.txt", bytes(range(0xA0, 0x100)) * 200)]
    messages, stored = page.store_all(files, corpus_dir=folders[0], cache_dir=folders[1])
    assert [s.name for s in stored] == ["good.md"]
    assert messages == [("error", 'Refused "slow.txt": took longer than 1 s to read'),
                        ("error", 'Refused "copy.txt": same content as good.md'),
                        ("error", 'Refused "noise.txt": binary content (not UTF-8, and too few plain ASCII '
                                  'characters for Windows-1252 text)')]
    spinners = [text for kind, text in indicators if kind == "spinner"]
    assert len(spinners) == 4 and all("at most 1 s" in t for t in spinners) and "slow\\.txt" in spinners[1]
    bars = [text for kind, text in indicators if kind == "progress"]
    assert bars[-1] is None and "Reading 4 of 4 files" in bars[-2]      # shown while reading, then cleared
    assert sorted(p.name for p in folders[0].iterdir() if not p.name.startswith(".")) == ["good.md"]


def test_the_reload_after_an_upload_does_not_parse_again(folders):
    messages, stored = page.store_all([Upload("good.md", GOOD)], corpus_dir=folders[0], cache_dir=folders[1])
    assert messages == [] and stored[0].record.id == "A-RES-63-195"
    corpus_mod._MEMO.clear()                    # as in a fresh dashboard process: the record is on disk
    loaded = load_corpus(folders[0], cache_dir=folders[1], workers=1)
    assert [d.id for d in loaded.documents] == ["A-RES-63-195"]
    assert loaded.documents[0] == stored[0].record
    assert (loaded.parsed, loaded.cached, loaded.problems, loaded.notes) == (0, 1, (), ())


def test_other_sessions_run_while_an_upload_is_read(tmp_path, slow_parser, monkeypatch):
    shutil.copytree(ROOT / "corpus", tmp_path / "corpus")
    monkeypatch.setenv("UNRES_CORPUS_DIR", str(tmp_path / "corpus"))
    monkeypatch.setenv("UNRES_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("UNRES_EXPORT_WARMUP", "0")
    AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=180).run()      # warm caches
    budget = 15.0
    monkeypatch.setattr(page, "DEFAULT_BUDGET_S", budget)
    done = {}

    def upload():
        done["message"], _ = page.store_one(Upload("slow.txt", SLOW), corpus_dir=tmp_path / "corpus",
                                            cache_dir=tmp_path / "cache")
        done["at"] = time.monotonic()

    uploader = threading.Thread(target=upload)
    uploader.start()
    time.sleep(0.5)                                   # the worker is in the regular expression
    other = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=180).run()
    finished = time.monotonic()
    uploader.join(budget + 60)
    assert not other.exception and other.title[0].value
    assert finished < done["at"], "another session's rerun waited for the upload"
    assert done["message"] == f'Refused "slow.txt": took longer than {budget:g} s to read'
