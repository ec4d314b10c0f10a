"""`python -m analytics`: formats, keys and exit codes."""
import csv
import io
import json
import os
import shutil
import subprocess
import sys
import types
from pathlib import Path

import pytest

from analytics.cli import EXIT_CORPUS, EXIT_OK, EXIT_REF, EXIT_STRICT, EXIT_USAGE, main

ROOT = Path(__file__).resolve().parent.parent
DOC_KEYS = {"id", "symbol", "session", "year", "date", "kind", "title", "sponsors", "agenda_item", "source",
            "sha256", "preambular", "operative", "footnotes", "warnings"}


def run(*argv, tmp_path):
    out, err = io.StringIO(), io.StringIO()
    rc = main([*argv, "--cache", str(tmp_path / "cache")], out=out, err=err)
    return rc, out.getvalue(), err.getvalue()


def test_documents_json_has_the_agreed_keys(tmp_path):
    rc, out, _ = run("documents", "--format", "json", tmp_path=tmp_path)
    assert rc == EXIT_OK
    rows = json.loads(out)
    assert [r["id"] for r in rows] == ["A-RES-60-175", "A-RES-63-195", "A-RES-65-232", "draft-66", "A-RES-67-189"]
    for r in rows:
        assert DOC_KEYS <= set(r)
    draft = rows[3]
    assert draft["symbol"] is None and draft["sponsors"] == ["Italy", "Mexico"] and draft["date"] == "2011-10-06"
    assert draft["operative"][2]["number"] == 3 and draft["operative"][2]["lead"] == "Notes with appreciation"
    # a markdown layout has no pages: the list is empty, never guessed
    assert rows[1]["preambular"][2] == {"lead": "Taking note with appreciation",
                                        "text": rows[1]["preambular"][2]["text"], "pages": []}
    assert rows[1]["footnotes"][6] == "7 A/63/99."


def test_documents_table_and_csv(tmp_path):
    rc, out, _ = run("documents", tmp_path=tmp_path)
    assert rc == 0 and "A/RES/65/232" in out and "draft-66" in out
    rc, out, _ = run("documents", "--format", "csv", tmp_path=tmp_path)
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["id"], r["preambular"], r["operative"]) for r in rows] == [
        ("A-RES-60-175", "15", "24"), ("A-RES-63-195", "18", "19"), ("A-RES-65-232", "24", "37"),
        ("draft-66", "24", "34"), ("A-RES-67-189", "31", "41")]


def test_show_by_id_symbol_and_session(tmp_path):
    rc, out, _ = run("show", "A-RES-63-195", tmp_path=tmp_path)
    assert rc == 0
    assert "A/RES/63/195" in out and "[Reiterates its request]" in out and "Footnotes (9)" in out
    rc, out, _ = run("show", "66", "--format", "json", tmp_path=tmp_path)
    assert json.loads(out)["id"] == "draft-66"
    rc, out, _ = run("show", "A/RES/65/232", "--format", "json", tmp_path=tmp_path)
    assert rc == EXIT_OK and json.loads(out)["id"] == "A-RES-65-232"


def test_show_and_compare_name_an_unknown_reference_alike(tmp_path):
    ids = "(ids: A-RES-60-175, A-RES-63-195, A-RES-65-232, draft-66, A-RES-67-189)"
    for argv in (("show", "A-RES-99-1"), ("compare", "A-RES-99-1", "67")):
        rc, _, err = run(*argv, tmp_path=tmp_path)
        assert rc == EXIT_REF
        assert err.splitlines()[-1] == f"error: 'A-RES-99-1' is neither a document id, a symbol nor a session in the corpus {ids}"
    for argv in (("show", "99"), ("compare", "65", "99")):
        rc, _, err = run(*argv, tmp_path=tmp_path)
        assert (rc, err.splitlines()[-1]) == (EXIT_REF, "error: session 99 is not in the corpus (sessions: 60, 63, 65, 66, 67)")


def test_exit_codes(tmp_path):
    assert run("show", "A-RES-99-1", tmp_path=tmp_path)[0] == EXIT_REF
    assert run("nonsense", tmp_path=tmp_path)[0] == EXIT_USAGE
    rc, _, err = run("documents", "--corpus", str(tmp_path / "missing"), tmp_path=tmp_path)
    assert rc == EXIT_CORPUS and "cannot read corpus folder" in err
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "empty.txt").write_bytes(b"")
    rc, _, err = run("documents", "--corpus", str(bad), tmp_path=tmp_path)
    assert rc == EXIT_CORPUS and "skipped: empty.txt: empty file" in err
    mixed = tmp_path / "mixed"
    mixed.mkdir()
    (mixed / "empty.txt").write_bytes(b"")
    (mixed / "r.md").write_bytes((ROOT / "corpus" / "A-RES-63-195.md").read_bytes())
    assert run("documents", "--corpus", str(mixed), tmp_path=tmp_path)[0] == EXIT_OK
    assert run("documents", "--corpus", str(mixed), "--strict", tmp_path=tmp_path)[0] == EXIT_STRICT


def test_module_entry_point_runs(tmp_path):
    res = subprocess.run([sys.executable, "-m", "analytics", "documents", "--format", "csv",
                          "--cache", str(tmp_path / "c")], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    assert res.stdout.splitlines()[0].startswith("id,symbol,session,date,kind")


ANALYSES = {
    # command: (columns that must be present, a check on the JSON rows)
    "themes": ({"document", "theme", "count", "per_1000", "preambular", "operative", "paragraphs"},
               lambda rows: any(r["document"] == "A-RES-63-195" and r["theme"] == "kidnapping" and r["count"] == 2
                                for r in rows)),
    "emerging": ({"document", "symbol", "session", "issue", "label", "raw"},
                 lambda rows: [r["raw"] for r in rows if r["document"] == "A-RES-65-232"]
                 == ["piracy", "cybercrime", "sexual exploitation of children", "urban crime"]),
    "emerging-matrix": ({"issue", "first_session"},
                        lambda rows: {r["issue"]: r["first_session"] for r in rows}["piracy"] == 65),
    "mentions": ({"document", "issue", "count"}, lambda rows: len(rows) > 0),
    "treaties": ({"document", "symbol", "session", "convention", "short", "parties", "part", "number", "quote"},
                 lambda rows: [(r["session"], r["parties"], r["number"]) for r in rows]
                 == [(65, 158, 24), (66, 164, 3), (67, 172, 3)]),
    "drift": ({"from_session", "to_session", "distance"},
              lambda rows: [(r["from_session"], r["to_session"]) for r in rows]
              == [(60, 63), (63, 65), (65, 66), (66, 67)]),
    "lineage": ({"document", "key", "origin_session", "status", "chain"},
                lambda rows: {r["status"] for r in rows if r["document"] == "A-RES-60-175"} == {"new"}),
    "verbs": ({"document", "verb", "count"},
              lambda rows: sum(r["count"] for r in rows if r["document"] == "A-RES-63-195") == 19),
    "citations": ({"document", "cited", "body", "key"},
                  lambda rows: {r["cited"] for r in rows if r["document"] == "A-RES-63-195" and r["key"] == "OP7"}
                  >= {"ECOSOC 2007/12", "ECOSOC 2007/19"}),
}


@pytest.mark.parametrize("command", sorted(ANALYSES))
def test_every_analysis_in_three_formats(command, tmp_path):
    columns, check = ANALYSES[command]
    rc, out, err = run(command, "--format", "json", tmp_path=tmp_path)
    assert rc == 0, err
    rows = json.loads(out)
    assert rows and columns <= set(rows[0]), (command, set(rows[0]))
    assert check(rows), command
    rc, out, _ = run(command, "--format", "csv", tmp_path=tmp_path)
    reader = csv.DictReader(io.StringIO(out))
    assert columns <= set(reader.fieldnames) and len(list(reader)) == len(rows)
    rc, out, _ = run(command, tmp_path=tmp_path)
    assert rc == 0 and len(out.splitlines()) >= 2


def test_drift_options(tmp_path):
    rc, out, _ = run("drift", "--all-pairs", "--format", "json", tmp_path=tmp_path)
    assert len(json.loads(out)) == 10
    rc, out, _ = run("drift", "--terms", "63", "67", "--top", "5", "--format", "json", tmp_path=tmp_path)
    rows = json.loads(out)
    # top 5 each way; "cultural property", "legal aid", "forensic" are printed in 67/189 and not in
    # 63/195, "forest" and "governance" in 63/195 only (grep -ciw on the two corpus files)
    assert [r["term"] for r in rows if r["direction"] == "rising"] == [
        "access", "forensic", "legal aid", "cultural property", "asset recovery"]
    assert [r["term"] for r in rows if r["direction"] == "falling"] == [
        "forest", "governance", "body", "girls", "improving"]
    assert all(r["weight_a"] == 0 < r["weight_b"] for r in rows if r["direction"] == "rising")
    assert all(r["weight_b"] == 0 < r["weight_a"] for r in rows if r["direction"] == "falling")
    rc, out, _ = run("drift", "--trend", "piracy", "--format", "json", tmp_path=tmp_path)
    assert [r["count"] for r in json.loads(out)] == [0, 0, 2, 2, 2]
    assert run("drift", "--terms", "63", "x", tmp_path=tmp_path)[0] == EXIT_REF
    rc, _, err = run("drift", "--terms", "63", "64", tmp_path=tmp_path)
    assert rc == EXIT_REF and "error: session 64 is not in the corpus (sessions: 60, 63, 65, 66, 67)" in err


def test_compare_in_three_formats(tmp_path):
    rc, out, _ = run("compare", "65", "67", "--format", "json", tmp_path=tmp_path)
    assert rc == 0
    res = json.loads(out)
    assert {"a", "b", "paragraphs", "themes", "emerging", "treaties", "keyness"} <= set(res)
    assert res["a"]["id"] == "A-RES-65-232" and res["b"]["id"] == "A-RES-67-189"
    statuses = [p["status"] for p in res["paragraphs"]]
    # every paragraph of A once as carried/amended/dropped, of B once as carried/amended/new
    assert sum(s in ("carried", "amended", "dropped") for s in statuses) == 24 + 37
    assert sum(s in ("carried", "amended", "new") for s in statuses) == 31 + 41
    op3 = next(p for p in res["paragraphs"] if p["b_number"] == 3 and p["part"] == "operative")
    assert (op3["status"], op3["a_number"]) == ("amended", 24)
    rc, out, _ = run("compare", "65", "67", "--format", "csv", "--status", "carried", tmp_path=tmp_path)
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows and {r["status"] for r in rows} == {"carried"}
    rc, out, _ = run("compare", "A-RES-65-232", "draft-66", tmp_path=tmp_path)
    assert rc == 0 and "Compare A/RES/65/232" in out and "[amended]" in out
    assert run("compare", "65", "99", tmp_path=tmp_path)[0] == EXIT_REF


@pytest.mark.parametrize("fmt", ["json", "csv", "table"])
def test_file_names_that_are_not_utf8_give_valid_utf8_output(tmp_path, fmt):
    folder = os.fsencode(tmp_path / "corpus")
    os.mkdir(folder)
    with open(os.path.join(folder, b"caf\xe9-63.md"), "wb") as fh:     # Latin-1 bytes: not UTF-8
        fh.write((ROOT / "corpus" / "A-RES-63-195.md").read_bytes())
    open(os.path.join(folder, b"bad\xff.txt"), "wb").close()
    # UTF-8 mode: stdout's surrogateescape would write the raw bytes back; a strict one crashes.
    env = dict(os.environ, PYTHONUTF8="1")
    res = subprocess.run([sys.executable, "-m", "analytics", "documents", "--format", fmt, "--corpus",
                          str(tmp_path / "corpus"), "--cache", str(tmp_path / "c")],
                         cwd=ROOT, capture_output=True, env=env, timeout=120)
    assert res.returncode == 0, res.stderr.decode("utf-8", "replace")
    out, err = res.stdout.decode("utf-8"), res.stderr.decode("utf-8")     # strict: raises on invalid UTF-8
    assert err == "skipped: bad\\xff.txt: empty file\n"
    if fmt == "json":
        assert [d["source"] for d in json.loads(out)] == ["caf\\xe9-63.md"]
    else:
        assert "caf\\xe9-63.md" in out and "A/RES/63/195" in out


@pytest.fixture(scope="module")
def mixed(tmp_path_factory):
    """The bundled five with the 24 real texts of sessions 78-80 (several series, drafts)."""
    folder = tmp_path_factory.mktemp("mixed")
    for p in [*(ROOT / "corpus").glob("A-*"), *(ROOT / "tests" / "fixtures" / "real").glob("A_*.txt")]:
        shutil.copy(p, folder / p.name)
    return folder


def test_series_command_on_the_bundled_corpus(tmp_path):
    rc, out, _ = run("series", "--format", "json", tmp_path=tmp_path)
    rows = json.loads(out)
    assert rc == EXIT_OK and len(rows) == 1
    assert (rows[0]["documents"], rows[0]["drafts"], rows[0]["sessions"]) == (5, 1, "60, 63, 65-67")
    rc, out, _ = run("documents", "--format", "json", tmp_path=tmp_path)
    draft = next(r for r in json.loads(out) if r["id"] == "draft-66")
    assert (draft["series"], draft["adopted_as"], draft["drafts"]) == (rows[0]["series"], None, [])


def test_session_level_commands_default_to_the_largest_series_and_say_so(mixed, tmp_path):
    rc, out, err = run("drift", "--corpus", str(mixed), "--format", "json", tmp_path=tmp_path)
    assert rc == EXIT_OK
    assert "series: strengthening-the-united-nations-crime-prevention (" in err
    # the series' own sessions only: no jump to another resolution's text
    assert [(r["from_session"], r["to_session"]) for r in json.loads(out)] == [
        (60, 63), (63, 65), (65, 66), (66, 67), (67, 80)]
    rc, out, err = run("drift", "--corpus", str(mixed), "--series", "report-of-the-international-criminal-court",
                       "--format", "json", tmp_path=tmp_path)
    assert [(r["from_session"], r["to_session"]) for r in json.loads(out)] == [(78, 79), (79, 80)]
    rc, _, err = run("drift", "--corpus", str(mixed), "--series", "no-such-series", tmp_path=tmp_path)
    assert rc == EXIT_REF and "no-such-series" in err


def test_documents_carry_their_draft_links(mixed, tmp_path):
    rc, out, _ = run("documents", "--corpus", str(mixed), "--format", "json", tmp_path=tmp_path)
    rows = {r["id"]: r for r in json.loads(out)}
    links = {i: r["adopted_as"] for i, r in rows.items() if r["kind"] == "draft"}
    assert links == {"draft-66": None, "A-C.3-80-L.3": "A-RES-80-229", "A-C.3-80-L.4": "A-RES-80-228",
                     "A-C.3-80-L.43": "A-RES-80-213", "A-80-L.9": "A-RES-80-6"}
    assert rows["A-RES-80-6"]["drafts"] == ["A-80-L.9"]
    assert rows["A-RES-80-229"]["series"] == rows["A-RES-67-189"]["series"]


# --------------------------------------------------------------------------- ingest and --store
# Argument plumbing only: a stand-in for analytics.distributed records what the CLI asks of it
# (the real store round trip is tests/test_distributed.py).

@pytest.fixture
def distributed(monkeypatch, corpus):
    """A fake `analytics.distributed`: ``calls`` lists what it was asked; ``load_store`` hands
    back the bundled corpus, so output can be compared with the folder route."""
    fake = types.ModuleType("analytics.distributed")
    fake.calls = []
    fake.summary = {"documents": 5, "problems": 0, "partitions": 5, "series": 1, "seconds": 0.5,
                    "out": "", "engine": "", "notes": ["cache note"]}

    def ingest(corpus_dir, *, out, engine="local", scheduler=None, cache_dir=None):
        fake.calls.append(("ingest", Path(corpus_dir), Path(out), engine, scheduler, cache_dir))
        if isinstance(fake.summary, Exception):
            raise fake.summary
        return {**fake.summary, "out": str(out), "engine": engine}

    def load_store(path):
        fake.calls.append(("load_store", Path(path)))
        if isinstance(fake.summary, Exception):
            raise fake.summary
        return corpus

    fake.ingest, fake.load_store = ingest, load_store
    monkeypatch.setitem(sys.modules, "analytics.distributed", fake)
    return fake


def test_ingest_defaults(distributed, tmp_path):
    from analytics.corpus import DEFAULT_CORPUS, PACKAGE_ROOT
    rc, out, err = run("ingest", tmp_path=tmp_path)
    assert rc == EXIT_OK
    assert distributed.calls == [("ingest", DEFAULT_CORPUS, PACKAGE_ROOT / "store", "local", None,
                                  tmp_path / "cache")]
    assert err == "note: cache note\n"
    header, row = out.splitlines()
    assert header.split() == ["documents", "problems", "partitions", "series", "seconds", "out", "engine"]
    assert row.split()[:5] == ["5", "0", "5", "1", "0.5"]


def test_ingest_on_a_dask_scheduler(distributed, tmp_path):
    rc, out, _ = run("ingest", "--corpus", str(ROOT / "corpus"), "--engine", "dask", "--scheduler",
                     "tcp://10.0.0.5:8786", "--out", str(tmp_path / "store"), "--format", "json", tmp_path=tmp_path)
    assert rc == EXIT_OK
    assert distributed.calls == [("ingest", ROOT / "corpus", tmp_path / "store", "dask", "tcp://10.0.0.5:8786",
                                  tmp_path / "cache")]
    assert json.loads(out) == {"documents": 5, "problems": 0, "partitions": 5, "series": 1, "seconds": 0.5,
                               "out": str(tmp_path / "store"), "engine": "dask"}


def test_ingest_errors(distributed, tmp_path):
    assert run("ingest", "--engine", "spark", tmp_path=tmp_path)[0] == EXIT_USAGE
    assert run("ingest", "--store", "x", tmp_path=tmp_path)[0] == EXIT_USAGE
    distributed.summary = ValueError("a scheduler address needs engine='dask'")
    rc, _, err = run("ingest", "--scheduler", "tcp://h:1", tmp_path=tmp_path)
    assert (rc, err) == (EXIT_USAGE, "error: a scheduler address needs engine='dask'\n")
    distributed.summary = FileNotFoundError("cannot read corpus folder /nowhere")
    rc, _, err = run("ingest", "--corpus", "/nowhere", tmp_path=tmp_path)
    assert (rc, err) == (EXIT_CORPUS, "error: cannot read corpus folder /nowhere\n")
    distributed.summary = {"documents": 0, "problems": 2, "partitions": 0, "series": 0, "seconds": 0.1, "notes": []}
    rc, _, err = run("ingest", "--corpus", "/empty", "--format", "json", tmp_path=tmp_path)
    assert (rc, err) == (EXIT_CORPUS, "error: no readable resolution in /empty\n")


@pytest.mark.parametrize("argv", [("themes",), ("documents",), ("compare", "65", "67"), ("show", "66"),
                                  ("emerging-matrix",), ("series",)])
def test_store_gives_what_the_folder_gives(distributed, argv, tmp_path):
    for fmt in ("json", "table"):
        folder = run(*argv, "--format", fmt, tmp_path=tmp_path)
        store = run(*argv, "--store", str(tmp_path / "store"), "--format", fmt, tmp_path=tmp_path)
        assert store == folder and store[0] == EXIT_OK
    assert distributed.calls == [("load_store", tmp_path / "store")] * 2


def test_store_errors(distributed, tmp_path):
    assert run("themes", "--store", "s", "--corpus", "c", tmp_path=tmp_path)[0] == EXIT_USAGE
    assert distributed.calls == []
    distributed.summary = FileNotFoundError("/s is not a store (no _corpus.json): run ingest first")
    rc, out, err = run("themes", "--store", "/s", tmp_path=tmp_path)
    assert (rc, out, err) == (EXIT_CORPUS, "", "error: /s is not a store (no _corpus.json): run ingest first\n")
    distributed.summary = ValueError("/s is not a store of format unres-store/1")
    assert run("themes", "--store", "/s", tmp_path=tmp_path)[0] == EXIT_CORPUS


def test_the_cli_loads_the_store_module_only_when_asked(tmp_path):
    code = ("import sys, io; from analytics.cli import main; "
            "rc = main(['documents', '--format', 'json', '--cache', sys.argv[1]], out=io.StringIO()); "
            "print(rc, 'analytics.distributed' in sys.modules)")
    res = subprocess.run([sys.executable, "-c", code, str(tmp_path / "c")], cwd=ROOT, capture_output=True,
                         text=True, timeout=120)
    assert res.stdout.split() == ["0", "False"], res.stderr


def test_a_control_character_in_a_file_name_stays_on_its_message_line(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    shutil.copy(ROOT / "corpus" / "A-RES-63-195.md", folder)
    (folder / "two\nlines\t\x1b[31m.txt").write_text("hello", encoding="utf-8")
    res = subprocess.run([sys.executable, "-m", "analytics", "documents", "--corpus", str(folder),
                          "--cache", str(tmp_path / "c")], cwd=ROOT, capture_output=True, text=True,
                         timeout=120)
    assert res.returncode == 0, res.stderr
    assert res.stderr == ("skipped: two\\nlines\\t\\x1b[31m.txt: not a resolution: "
                          "no 'The General Assembly,' opening\n")
