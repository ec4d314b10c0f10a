"""`python -m analytics`: formats, keys and exit codes."""
import csv
import io
import json
import subprocess
import sys
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
    assert rows[1]["preambular"][2] == {"lead": "Taking note with appreciation",
                                        "text": rows[1]["preambular"][2]["text"]}
    assert rows[1]["footnotes"][6] == "7 A/63/99."


def test_documents_table_and_csv(tmp_path):
    rc, out, _ = run("documents", tmp_path=tmp_path)
    assert rc == 0 and "A/RES/65/232" in out and "draft-66" in out
    rc, out, _ = run("documents", "--format", "csv", tmp_path=tmp_path)
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["id"], r["preambular"], r["operative"]) for r in rows] == [
        ("A-RES-60-175", "15", "24"), ("A-RES-63-195", "18", "19"), ("A-RES-65-232", "24", "37"),
        ("draft-66", "24", "34"), ("A-RES-67-189", "31", "41")]


def test_show_by_id_and_session(tmp_path):
    rc, out, _ = run("show", "A-RES-63-195", tmp_path=tmp_path)
    assert rc == 0
    assert "A/RES/63/195" in out and "[Reiterates its request]" in out and "Footnotes (9)" in out
    rc, out, _ = run("show", "66", "--format", "json", tmp_path=tmp_path)
    assert json.loads(out)["id"] == "draft-66"


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
