"""The synthetic corpus generator: deterministic, faithful to the seed layouts, and
read back by the reader exactly as the generator wrote it."""
from __future__ import annotations

import re
import statistics
import sys
from collections import Counter, defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.generate import (  # noqa: E402
    LAYOUTS, MANIFEST_NAME, generate, load_manifest, main, number_words, ordinal_words, wrap)

N = 50


def _snapshot(d: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(d.iterdir())}


@pytest.fixture(scope="module")
def gen(tmp_path_factory):
    d = tmp_path_factory.mktemp("gen") / "corpus"
    paths = generate(d, N, seed=0)
    return d, paths, load_manifest(d)


@pytest.fixture(scope="module")
def texts(gen):
    d, _, manifest = gen
    return {f["file"]: (f, (d / f["file"]).read_text(encoding="utf-8")) for f in manifest["files"]}


def test_same_seed_gives_byte_identical_files(gen, tmp_path):
    d, _, _ = gen
    generate(tmp_path / "again", N, seed=0)
    assert _snapshot(tmp_path / "again") == _snapshot(d)


def test_different_seed_gives_different_files(gen, tmp_path):
    d, _, _ = gen
    generate(tmp_path / "other", N, seed=1)
    a, b = _snapshot(d), _snapshot(tmp_path / "other")
    shared = set(a) & set(b)
    assert a != b
    assert all(a[k] != b[k] for k in shared - {MANIFEST_NAME})


def test_count_and_sizes(gen):
    d, paths, manifest = gen
    assert len(paths) == N == manifest["n_docs"] == len(manifest["files"])
    assert {p.name for p in paths} == {f["file"] for f in manifest["files"]}
    sizes = [p.stat().st_size for p in paths]
    assert all(8_000 <= s <= 45_000 for s in sizes), sizes
    assert 15_000 <= statistics.mean(sizes) <= 26_000
    assert {f["file"]: f["bytes"] for f in manifest["files"]} == {p.name: p.stat().st_size for p in paths}


def test_manifest_is_hidden_beside_the_documents(gen):
    d, _, _ = gen
    assert MANIFEST_NAME.startswith(".") and (d / MANIFEST_NAME).is_file()
    assert {p.suffix for p in d.iterdir() if not p.name.startswith(".")} <= {".md", ".txt"}


def test_many_sessions_and_several_series(gen):
    _, _, manifest = gen
    first, last = manifest["sessions"]
    assert 40 <= last - first + 1 <= 60
    assert len({f["series"] for f in manifest["files"]}) >= 2
    assert len({f["session"] for f in manifest["files"]}) >= 25


def test_every_layout_appears_with_its_furniture(texts):
    assert Counter(f["layout"] for f, _ in texts.values()) == {lay: N // len(LAYOUTS) for lay in LAYOUTS}
    for name, (f, text) in texts.items():
        lay = f["layout"]
        if lay == "markdown":
            assert name.endswith(".md") and "### **" in text and "*The General Assembly,*" in text
            assert "<sup>" in text and "\n---\n" in text
        elif lay == "draft":
            assert name.endswith("-draft.md") and ": draft resolution**" in text
            assert "A/RES/" not in text and "Distr.: Limited" in text
        elif lay == "ods":
            assert "\t1.\t" in text and "<<ODS DOC SYMBOL1>>" + f["symbol"] in text
            assert re.search(r"^\d+/\d+$", text, re.M)  # trailing page counters
        elif lay == "pdf":
            lines = text.split("\n")
            assert max(len(ln) for ln in lines) <= 92
            assert f["symbol"] in lines  # running head alone on a line
            numbers = [ln for ln in lines if re.fullmatch(r"\d+\.", ln)]
            assert numbers == [f"{i}." for i in range(1, min(9, f["operative"]) + 1)]
        elif lay == "oneline":
            head, blank, body = text.split("\n")
            assert head.startswith("%%%") and head.endswith("|") and blank == ""
            assert not re.search(r"\w-\w", body)  # every intra-word hyphen lost
            assert f["keywords"] == head[3:-1].split("|")


def test_symbols_unique_and_consistent(gen):
    _, _, manifest = gen
    files = manifest["files"]
    symbols = [f["symbol"] for f in files if f["kind"] == "resolution"]
    assert len(symbols) == len(set(symbols))
    for f in files:
        if f["kind"] == "draft":
            assert f["symbol"] is None and f["layout"] == "draft"
        else:
            assert re.fullmatch(rf"A/RES/{f['session']}/\d+", f["symbol"])
            assert f["file"] == f["symbol"].replace("/", "-") + Path(f["file"]).suffix


def test_paragraph_counts_in_realistic_range(gen):
    _, _, manifest = gen
    for f in manifest["files"]:
        assert 8 <= f["preambular"] <= 40 and 15 <= f["operative"] <= 50, f


def test_treaty_figures_rise_and_are_in_the_text(texts):
    by_treaty = defaultdict(dict)
    for f, text in texts.values():
        flat = re.sub(r"\s+", " ", text)
        for t in f["treaty_figures"]:
            shown = number_words(t["parties"]) if t["as_words"] else str(t["parties"])
            if f["layout"] == "oneline":
                shown = shown.replace("-", "")
            assert f"has reached {shown}," in flat, (f["file"], shown)
            by_treaty[t["treaty"]][f["session"]] = t["parties"]
    assert by_treaty, "no treaty figures generated"
    for series in by_treaty.values():
        counts = [series[s] for s in sorted(series)]
        assert counts == sorted(counts)


def test_emerging_issue_lists_are_in_the_text(texts):
    listed = [(f, text) for f, text in texts.values() if f["emerging_issues"]]
    assert listed
    for f, text in listed:
        flat = re.sub(r"\s+", " ", text)
        issues = f["emerging_issues"]
        last = issues[-1].replace("-", "") if f["layout"] == "oneline" else issues[-1]
        assert "emerging policy issues" in flat and last in flat


def test_refuses_to_write_into_the_bundled_corpus():
    with pytest.raises(ValueError, match="bundled corpus"):
        generate(ROOT / "corpus", 1)


def test_cli_writes_requested_count(tmp_path, capsys):
    assert main(["--n", "7", "--out", str(tmp_path / "c"), "--seed", "3"]) == 0
    assert len([p for p in (tmp_path / "c").iterdir() if not p.name.startswith(".")]) == 7
    assert "wrote 7 documents" in capsys.readouterr().out


def test_text_helpers():
    assert number_words(164) == "one hundred and sixty-four"
    assert number_words(172) == "one hundred and seventy-two"
    assert ordinal_words(63) == "sixty-third" and ordinal_words(40) == "fortieth"
    # wrapping never leaves a line that reads as an operative number
    assert wrap("see paragraph 12. Also more words", 14) == ["see paragraph 12.", "Also more", "words"]
    assert wrap("a b 7.", 3) == ["a b 7."]


def test_reader_reads_generated_corpus_as_generated(gen, tmp_path):
    pytest.importorskip("analytics.reader")
    from analytics.corpus import load_corpus
    d, _, manifest = gen
    corpus = load_corpus(d, cache_dir=tmp_path / "cache", workers=1)
    assert corpus.problems == ()
    assert len(corpus.documents) == N
    expected = {f["file"]: f for f in manifest["files"]}
    mismatches = []
    for doc in corpus.documents:
        f = expected[doc.source]
        got = (doc.symbol, doc.session, doc.kind, len(doc.preambular), len(doc.operative))
        want = (f["symbol"], f["session"], f["kind"], f["preambular"], f["operative"])
        if got != want:
            mismatches.append((doc.source, f["layout"], got, want))
        reached = [p for p in doc.operative if "has reached" in p.text]
        assert len(reached) == len(f["treaty_figures"]), doc.source
    assert mismatches == []
