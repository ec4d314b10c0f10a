"""Derived data in the cache folder (`analytics.derived`): the series grouping's text-derived
part is kept by content, so a warm start does not scan every paragraph's citations again.

Corpus: the bundled texts (one series, 60/175 to 67/189 with the 66th-session draft) and four
official PDFs of tests/fixtures/real: 78/228 and 80/228 (trafficking in persons), 80/229 (the
crime programme, adopted from the Third Committee draft A/C.3/80/L.3) and A/C.3/80/L.43
(terrorism and human rights, a draft alone).
"""
from __future__ import annotations

import csv
import io
import json
import os
import shutil
from pathlib import Path

import numpy as np
import pytest
from pandas.testing import assert_frame_equal

from analytics import cachefmt, derived
from analytics import lineage as lineage_mod
from analytics import corpus as corpus_mod
from analytics import series as series_mod
from analytics.corpus import SERIES_GROUPS, load_corpus
from analytics.memo import documents_key
from analytics.series import group_series

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT / "tests" / "fixtures" / "real"
PDFS = ("A_RES_78_228.pdf", "A_RES_80_228.pdf", "A_RES_80_229.pdf", "A_C.3_80_L.3.pdf", "A_C.3_80_L.43.pdf")
PROGRAMME = "strengthening-the-united-nations-crime-prevention"
TRAFFICKING = "improving-the-coordination-of-efforts-against-trafficking"
SERIES_IDS = [PROGRAMME, TRAFFICKING, "terrorism-and-human-rights"]
DRAFT_NOTE = ("A-C.3-80-L.3 -> A-RES-80-229: the adopted text has 78/79 preambular/operative paragraphs, "
              "the draft 72/73 (adopted as changed, or from a revision not in the corpus)")


@pytest.fixture()
def folder(tmp_path):
    corpus_dir = tmp_path / "corpus"
    corpus_dir.mkdir()
    for p in sorted((ROOT / "corpus").glob("A-*")):
        shutil.copy2(p, corpus_dir / p.name)
    for name in PDFS:
        shutil.copy2(REAL / name, corpus_dir / name)
    corpus_mod._MEMO.clear()
    return corpus_dir, tmp_path / "cache"


def reload(folder):
    corpus_mod._MEMO.clear()          # what a new process sees: only the files on disk
    return load_corpus(folder[0], cache_dir=folder[1], workers=1)


def scans(monkeypatch) -> list:
    calls: list = []
    real = series_mod._merge_groups

    def counted(docs, keys):
        calls.append(len(docs))
        return real(docs, keys)
    monkeypatch.setattr(series_mod, "_merge_groups", counted)
    return calls


def described(index) -> dict:
    """Everything a page or command reads from a series index."""
    return {"ids": index.ids, "fingerprint": index.fingerprint, "notes": index.notes, "warnings": index.warnings,
            "series": {sid: (index.title_of(sid), [(d.id, index.adopted_as(d.id), index.drafts_of(d.id),
                                                    index.superseded_by(d.id), index.supersedes(d.id))
                                                   for d in index.members(sid)]) for sid in index.ids}}


def stored(cache: Path) -> list[Path]:
    return sorted((cache / "derived").glob(f"{SERIES_GROUPS}-*.json"))


def test_a_warm_start_reads_the_grouping_instead_of_scanning_the_citations(folder, monkeypatch):
    cold = load_corpus(folder[0], cache_dir=folder[1], workers=1)
    calls = scans(monkeypatch)
    first = described(cold.series)
    assert calls == [10] and len(stored(folder[1])) == 1
    assert first["ids"] == tuple(SERIES_IDS)
    assert [m[0] for m in first["series"][PROGRAMME][1]] == ["A-RES-60-175", "A-RES-63-195", "A-RES-65-232",
                                                             "draft-66", "A-RES-67-189", "A-C.3-80-L.3",
                                                             "A-RES-80-229"]
    assert first["series"][PROGRAMME][1][-1][2] == ("A-C.3-80-L.3",)      # 80/229's draft
    assert first["series"][PROGRAMME][1][-2][1] == "A-RES-80-229"         # the draft's adopted text
    assert first["notes"] == (DRAFT_NOTE,)

    warm = reload(folder)
    assert described(warm.series) == first
    assert calls == [10]                   # read from the cache: no citation scan
    assert described(group_series(warm.documents, overrides=warm.config.series)) == first


def test_a_changed_file_is_grouped_again_and_the_old_grouping_is_left_alone(folder, monkeypatch):
    load_corpus(folder[0], cache_dir=folder[1], workers=1).series
    calls = scans(monkeypatch)
    path = folder[0] / "A-RES-63-195.md"
    path.write_text(path.read_text(encoding="utf-8").replace("technical assistance", "technical and legal assistance", 1), encoding="utf-8")
    changed = reload(folder)
    index = changed.series
    assert calls == [10] and len(stored(folder[1])) == 2
    assert described(index) == described(group_series(changed.documents))
    assert "technical and legal assistance" in changed.get("A-RES-63-195").text


def test_a_split_in_series_toml_applies_to_a_cached_grouping(folder, monkeypatch):
    load_corpus(folder[0], cache_dir=folder[1], workers=1).series
    calls = scans(monkeypatch)
    (folder[0] / "series.toml").write_text('[[split]]\nid = "programme-draft"\ndocuments = ["A-C.3-80-L.3"]\n',
                                           encoding="utf-8")
    warm = reload(folder)
    index = warm.series
    assert calls == []                     # the overrides come after what the text decides
    assert index.warnings == ()
    assert index.series_of("A-C.3-80-L.3") == "programme-draft"
    assert [d.id for d in index.members(PROGRAMME)][-1] == "A-RES-80-229"
    assert described(index) == described(group_series(warm.documents, overrides=warm.config.series))


def _rewrite(cache: Path, change) -> None:
    [path] = stored(cache)
    obj = json.loads(bytes(cachefmt.unseal(path.read_bytes())))
    change(obj)
    path.write_bytes(cachefmt.seal(json.dumps(obj).encode()))


@pytest.mark.parametrize("tamper", [
    "truncated", "garbage", "other ids", "a document twice", "an empty group", "a number for an id",
    "notes not text", "another key", "another format"])
def test_a_damaged_or_foreign_file_is_never_used(folder, monkeypatch, tamper):
    cold = load_corpus(folder[0], cache_dir=folder[1], workers=1)
    first = described(cold.series)
    [path] = stored(folder[1])
    if tamper == "truncated":
        path.write_bytes(path.read_bytes()[:200])
    elif tamper == "garbage":
        path.write_bytes(b"not a cache file")
    else:
        change = {
            "other ids": lambda o: o["data"]["groups"][0].__setitem__(0, "A-RES-99-1"),
            "a document twice": lambda o: o["data"]["groups"][1].append(o["data"]["groups"][0][0]),
            "an empty group": lambda o: o["data"]["groups"].append([]),
            "a number for an id": lambda o: o["data"]["groups"][0].__setitem__(0, 60175),
            "notes not text": lambda o: o["data"].__setitem__("notes", [1]),
            "another key": lambda o: o.__setitem__("key", "0" * 64),
            "another format": lambda o: o.__setitem__("format", "someone else's"),
        }[tamper]
        _rewrite(folder[1], change)
    calls = scans(monkeypatch)
    warm = reload(folder)
    assert described(warm.series) == first
    assert calls == [10]                   # scanned again, and the file written anew
    again = reload(folder)
    assert described(again.series) == first and calls == [10]


def test_other_code_never_reads_a_grouping_it_did_not_write(folder, monkeypatch):
    load_corpus(folder[0], cache_dir=folder[1], workers=1).series
    calls = scans(monkeypatch)
    monkeypatch.setattr(derived, "code_fingerprint", lambda: "a changed rule")
    reload(folder).series
    assert calls == [10] and len(stored(folder[1])) == 2


def test_the_key_is_the_documents_the_parser_and_the_code(folder):
    docs = load_corpus(folder[0], cache_dir=folder[1], workers=1).documents
    k = derived.key(SERIES_GROUPS, documents_key(docs))
    assert k == derived.key(SERIES_GROUPS, documents_key(list(docs)))
    assert k != derived.key(SERIES_GROUPS, documents_key(docs[:-1]))
    assert k != derived.key("another-analysis", documents_key(docs))
    assert len(derived.code_fingerprint()) == 64


def test_without_a_cache_nothing_is_written(folder, monkeypatch):
    c = load_corpus(folder[0], use_cache=False, workers=1)
    calls = scans(monkeypatch)
    assert c.cache_dir is None
    assert described(c.series)["ids"] == tuple(SERIES_IDS)
    assert calls == [10] and not folder[1].exists()


def test_an_unwritable_cache_still_groups(folder, monkeypatch):
    c = load_corpus(folder[0], cache_dir=folder[1], workers=1)
    (folder[1] / "derived").write_text("a file where the folder should be")
    assert described(c.series)["ids"] == tuple(SERIES_IDS)
    assert (folder[1] / "derived").read_text() == "a file where the folder should be"


def test_each_name_keeps_its_newest_files_only(tmp_path):
    keys = [derived.key("demo", f"state {n}") for n in range(derived.KEEP + 3)]
    for n, k in enumerate(keys):
        assert derived.write(tmp_path, "demo", k, {"n": n})
        # one write a second (a file system's clock may not tell apart writes made together)
        os.utime(derived._path(tmp_path, "demo", k), ns=(n * 10**9, n * 10**9))
    kept = [k for k in keys if derived.read(tmp_path, "demo", k, lambda d: isinstance(d, dict)) is not None]
    assert kept == keys[-derived.KEEP:]
    assert derived.read(tmp_path, "demo", keys[-1], lambda d: d == {"n": len(keys) - 1}) == {"n": len(keys) - 1}
    assert derived.read(tmp_path, "demo", keys[-1], lambda d: False) is None     # the caller's check decides


# --------------------------------------------------------------------------- the lineage index

def index_files(cache: Path) -> list[Path]:
    return sorted((cache / "derived").glob("lineage-index-*.npz"))


def featurizing(monkeypatch) -> list:
    calls: list = []
    real = lineage_mod.featurize

    def counted(texts, **kw):
        texts = list(texts)
        calls.append(len(texts))
        return real(texts, **kw)
    monkeypatch.setattr(lineage_mod, "featurize", counted)
    return calls


@pytest.mark.parametrize("method", ["auto", "lsh"])   # auto: scored exactly at this size; lsh: MinHash
def test_a_filed_lineage_index_traces_as_a_built_one(folder, monkeypatch, method):
    c = load_corpus(folder[0], cache_dir=folder[1], workers=1)
    docs, index = c.documents, c.series
    built = lineage_mod.lineage_index(docs, method=method)
    fresh = lineage_mod.paragraph_lineage(docs, series=index, method=method, index=built)
    calls = featurizing(monkeypatch)
    lineage_mod.lineage_index(docs, method=method, cache_dir=folder[1])
    assert len(calls) == 1 and len(index_files(folder[1])) == 1
    read = lineage_mod.lineage_index(docs, method=method, cache_dir=folder[1])
    assert len(calls) == 1                     # read back: no text featurized again
    assert (read.sig is None) == (method == "auto")
    assert_frame_equal(lineage_mod.paragraph_lineage(docs, series=index, method=method, index=read), fresh)
    # one figure read by hand: 80/229 OP1 is 67/189 OP1 with "resolution 66/181;" -> "78/229;"
    row = fresh[(fresh["document"] == "A-RES-80-229") & (fresh["key"] == "OP1")].iloc[0]
    assert (row["status"], row["previous_document"], row["previous_key"]) == ("agreed", "A-RES-67-189", "OP1")


@pytest.mark.parametrize("tamper", ["garbage", "truncated", "a shorter column", "another dtype", "an index out of range"])
def test_a_damaged_lineage_index_file_is_built_again(folder, monkeypatch, tamper):
    c = load_corpus(folder[0], cache_dir=folder[1], workers=1)
    docs, index = c.documents, c.series
    fresh = lineage_mod.paragraph_lineage(docs, series=index, method="lsh")
    lineage_mod.lineage_index(docs, method="lsh", cache_dir=folder[1])
    [path] = index_files(folder[1])
    if tamper in ("garbage", "truncated"):
        path.write_bytes(b"garbage" if tamper == "garbage" else path.read_bytes()[:5000])
    else:
        with np.load(io.BytesIO(bytes(cachefmt.unseal(path.read_bytes()))), allow_pickle=False) as z:
            arrays = {n: z[n] for n in z.files}
        if tamper == "a shorter column":
            arrays["n_words"] = arrays["n_words"][:-1]
        elif tamper == "another dtype":
            arrays["wording"] = arrays["wording"].astype(np.float64)
        else:
            arrays["bag_indices"] = arrays["bag_indices"].copy()
            arrays["bag_indices"][0] = 10**6
        buf = io.BytesIO()
        np.savez(buf, **arrays)
        path.write_bytes(cachefmt.seal(buf.getvalue()))
    calls = featurizing(monkeypatch)
    again = lineage_mod.lineage_index(docs, method="lsh", cache_dir=folder[1])
    assert len(calls) == 1                     # built again, and filed anew
    assert_frame_equal(lineage_mod.paragraph_lineage(docs, series=index, method="lsh", index=again), fresh)
    lineage_mod.lineage_index(docs, method="lsh", cache_dir=folder[1])
    assert len(calls) == 1


def test_the_lineage_page_files_its_index_in_the_corpus_cache(folder, monkeypatch):
    from views import analyses
    from analytics.memo import Memo
    from views.context import Ctx
    monkeypatch.setattr(analyses, "memo", lambda m=Memo(): m)
    monkeypatch.setattr(analyses, "_last_index", [])
    c = load_corpus(folder[0], cache_dir=folder[1], workers=1)
    ctx = Ctx(corpus=c, docs=c.series.members(PROGRAMME), sessions=None, kinds=("resolution", "draft"), themes=(),
              lexicon=c.config.themes, labels={d.id: d.label for d in c.documents}, series=PROGRAMME)
    first = analyses.series_lineage(ctx)[0]
    assert len(index_files(folder[1])) == 1
    calls = featurizing(monkeypatch)
    monkeypatch.setattr(analyses, "memo", lambda m=Memo(): m)      # a new process: nothing in memory
    monkeypatch.setattr(analyses, "_last_index", [])
    again = reload(folder)
    ctx2 = Ctx(corpus=again, docs=again.series.members(PROGRAMME), sessions=None, kinds=("resolution", "draft"),
               themes=(), lexicon=again.config.themes, labels={d.id: d.label for d in again.documents},
               series=PROGRAMME)
    assert_frame_equal(analyses.series_lineage(ctx2)[0], first)
    assert calls == []
    assert first["document"].value_counts().to_dict()["A-RES-80-229"] == 157


def test_the_lineage_command_reads_the_index_the_dashboard_files(folder, monkeypatch):
    import io as _io
    from analytics.cli import main

    def command(*argv):
        corpus_mod._MEMO.clear()          # each command is a new process
        out = _io.StringIO()
        rc = main(["lineage", *argv, "--corpus", str(folder[0]), "--cache", str(folder[1]), "--format", "csv"],
                  out=out, err=_io.StringIO())
        assert rc == 0
        return out.getvalue()
    first = command("--series", PROGRAMME)
    assert len(index_files(folder[1])) == 1
    calls = featurizing(monkeypatch)
    again = command("--series", PROGRAMME)
    assert again == first and calls == []
    rows = list(csv.DictReader(io.StringIO(again)))
    op1 = next(r for r in rows if r["document"] == "A-RES-80-229" and r["key"] == "OP1")
    assert (op1["status"], op1["previous_document"], op1["previous_key"]) == ("agreed", "A-RES-67-189", "OP1")
    assert sum(r["document"] == "A-RES-80-229" for r in rows) == 157
    # another series of the same corpus: the same index, nothing featurized
    command("--series", TRAFFICKING)
    assert calls == []
