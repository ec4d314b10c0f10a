"""Per-document analysis rows filed in the cache (`Memo.rows(..., cache_dir=)`, frames through
`analytics.derived.encode_frame`): a restarted process reads the theme counts, treaty figures,
citations and emerging-issue lists of unchanged documents instead of reading every text again.

Corpus: the bundled texts (A/RES/60/175, 63/195, 65/232, the 66th-session draft, 67/189) and
three official PDFs of tests/fixtures/real (78/228, 80/228, 80/229).  Filing starts at
`memo.FILE_MIN_DOCUMENTS` computed documents (200); the tests lower it to 1.
"""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from analytics import corpus as corpus_mod
from analytics import derived, memo as memo_mod
from analytics.citations import citations
from analytics.corpus import load_corpus
from analytics.emerging import emerging_issues
from analytics.memo import Memo
from analytics.records import sort_key
from analytics.themes import theme_counts
from analytics.treaties import treaty_figures

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT / "tests" / "fixtures" / "real"
PDFS = ("A_RES_78_228.pdf", "A_RES_80_228.pdf", "A_RES_80_229.pdf")


@pytest.fixture()
def folder(tmp_path, monkeypatch):
    corpus_dir = tmp_path / "corpus"
    corpus_dir.mkdir()
    for p in sorted((ROOT / "corpus").glob("A-*")):
        shutil.copy2(p, corpus_dir / p.name)
    for name in PDFS:
        shutil.copy2(REAL / name, corpus_dir / name)
    corpus_mod._MEMO.clear()
    monkeypatch.setattr(memo_mod, "FILE_MIN_DOCUMENTS", 1)
    return corpus_dir, tmp_path / "cache"


def load(folder):
    corpus_mod._MEMO.clear()          # what a new process sees: only the files on disk
    return load_corpus(folder[0], cache_dir=folder[1], workers=1)


class Counted:
    """An analysis that records the documents of each call."""

    def __init__(self, fn):
        self.fn, self.calls = fn, []

    def __call__(self, docs):
        docs = list(docs)
        self.calls.append([d.id for d in docs])
        return self.fn(docs)


def rows(m: Memo, c, name: str, fn) -> pd.DataFrame:
    out = m.rows(name, fn, sorted(c.documents, key=sort_key), fingerprint=c.config.fingerprint,
                 cache_dir=c.cache_dir)
    m.wait_filed()
    return out


def filed(cache: Path, name: str) -> list[Path]:
    return sorted((cache / "derived").glob(f"rows-{name}-*.json"))


def theme_row(df, doc, theme):
    return df[(df["document"] == doc) & (df["theme"] == theme)].iloc[0]


# --------------------------------------------------------------------------- a restart

def test_a_restarted_process_reads_the_theme_counts_instead_of_counting(folder):
    c = load(folder)
    first = Counted(theme_counts)
    computed = rows(Memo(), c, "themes", first)
    assert len(first.calls) == 1 and len(first.calls[0]) == 8
    assert len(filed(folder[1], "themes")) == 1

    again = Counted(theme_counts)
    m = Memo()
    read = rows(m, load(folder), "themes", again)
    assert again.calls == []                              # nothing counted
    assert m.stats["document_filed"] == 8
    assert_frame_equal(read, computed)
    assert_frame_equal(read, theme_counts(sorted(c.documents, key=sort_key)))
    # 63/195 OP3 "... terrorism, kidnapping and trafficking in persons", OP5 "... combat kidnapping"
    r = theme_row(read, "A-RES-63-195", "kidnapping")
    assert (r["count"], r["preambular"], r["operative"], r["paragraphs"]) == (2, 0, 2, ["OP3", "OP5"])
    tip = theme_row(read, "A-RES-63-195", "trafficking-in-persons")
    assert (tip["count"], tip["paragraphs"]) == (4, ["PP9", "PP11", "OP3", "OP8"])
    assert read["session"].dtype == "Int64" and read["paragraphs"].dtype == object


def test_each_row_has_its_own_list_of_paragraphs(folder):
    c = load(folder)
    rows(Memo(), c, "themes", theme_counts)
    read = rows(Memo(), load(folder), "themes", theme_counts)
    lists = read["paragraphs"].tolist()
    assert len({id(v) for v in lists}) == len(lists)    # a caller editing one row's list edits no other
    assert all(type(v) is list for v in lists)


@pytest.mark.parametrize("name, fn", [
    ("treaties", treaty_figures), ("citations", citations),
    ("emerging", lambda ds: emerging_issues(ds))])
def test_every_per_document_analysis_reads_back_exactly(folder, name, fn):
    c = load(folder)
    computed = rows(Memo(), c, name, Counted(fn))
    again = Counted(fn)
    read = rows(Memo(), load(folder), name, again)
    assert again.calls == []
    assert_frame_equal(read, computed)
    if name == "treaties":
        got = read[read["document"].str.startswith("A-RES-6") | (read["document"] == "draft-66")]
        assert got[["document", "short", "parties", "key"]].values.tolist() == [
            ["A-RES-65-232", "UNTOC", 158, "OP24"], ["draft-66", "UNTOC", 164, "OP3"],
            ["A-RES-67-189", "UNTOC", 172, "OP3"]]
        assert read.loc[read["document"] == "draft-66", "symbol"].item() is None   # None, not NaN


def test_a_changed_file_is_the_only_document_computed_again(folder):
    c = load(folder)
    rows(Memo(), c, "themes", theme_counts)
    path = folder[0] / "A-RES-63-195.md"
    text = path.read_text(encoding="utf-8")
    assert "combat kidnapping" in text
    path.write_text(text.replace("combat kidnapping", "combat such crimes"), encoding="utf-8")
    changed = load(folder)
    again = Counted(theme_counts)
    m = Memo()
    read = rows(m, changed, "themes", again)
    assert again.calls == [["A-RES-63-195"]]
    assert m.stats["document_filed"] == 7
    assert_frame_equal(read, theme_counts(sorted(changed.documents, key=sort_key)))
    r = theme_row(read, "A-RES-63-195", "kidnapping")
    assert (r["count"], r["paragraphs"]) == (1, ["OP3"])


def test_other_lexicons_or_parameters_are_not_answered_from_the_file(folder):
    c = load(folder)
    rows(Memo(), c, "themes", theme_counts)
    docs = sorted(c.documents, key=sort_key)
    other = Counted(theme_counts)
    Memo().rows("themes", other, docs, fingerprint="another lexicon", cache_dir=c.cache_dir)
    assert len(other.calls) == 1 and len(other.calls[0]) == 8
    by_params = Counted(theme_counts)
    Memo().rows("themes", by_params, docs, fingerprint=c.config.fingerprint, params={"top": 3},
                cache_dir=c.cache_dir)
    assert len(by_params.calls) == 1


def test_another_code_fingerprint_is_not_read(folder, monkeypatch):
    c = load(folder)
    rows(Memo(), c, "themes", theme_counts)
    monkeypatch.setattr(derived, "code_fingerprint", lambda: "0" * 64)
    again = Counted(theme_counts)
    rows(Memo(), load(folder), "themes", again)
    assert len(again.calls) == 1 and len(again.calls[0]) == 8


@pytest.mark.parametrize("damage", ["truncated", "garbage", "a row of a document it does not list",
                                    "a code out of range", "a list length that does not add up"])
def test_a_damaged_file_is_computed_again_and_filed_anew(folder, damage):
    c = load(folder)
    computed = rows(Memo(), c, "themes", theme_counts)
    path = filed(folder[1], "themes")[0]
    if damage == "truncated":
        path.write_bytes(path.read_bytes()[:-100])
    elif damage == "garbage":
        path.write_bytes(os.urandom(4096))
    else:
        from analytics import cachefmt
        obj = json.loads(bytes(cachefmt.unseal(path.read_bytes())))
        frame = obj["data"]["frame"]
        col = {c: i for i, c in enumerate(frame["columns"])}
        if damage == "a row of a document it does not list":
            obj["data"]["docs"] = [d for d in obj["data"]["docs"] if d[0] != "A-RES-63-195"]
        elif damage == "a code out of range":
            frame["data"][col["theme"]]["codes"][0] = 10**6
        else:
            frame["data"][col["paragraphs"]]["lengths"][0] += 1
        path.write_bytes(cachefmt.seal(json.dumps(obj).encode("ascii")))
    again = Counted(theme_counts)
    read = rows(Memo(), load(folder), "themes", again)
    assert len(again.calls) == 1 and len(again.calls[0]) == 8
    assert_frame_equal(read, computed)
    third = Counted(theme_counts)
    rows(Memo(), load(folder), "themes", third)
    assert third.calls == []                               # the file written again is good


def test_fewer_documents_than_the_minimum_are_not_filed(folder, monkeypatch):
    monkeypatch.setattr(memo_mod, "FILE_MIN_DOCUMENTS", 200)
    rows(Memo(), load(folder), "themes", theme_counts)
    assert not (folder[1] / "derived").exists() or filed(folder[1], "themes") == []


def test_without_a_cache_or_with_an_unwritable_one_the_rows_are_still_computed(folder, tmp_path):
    c = load(folder)
    docs = sorted(c.documents, key=sort_key)
    plain = Memo().rows("themes", theme_counts, docs, fingerprint=c.config.fingerprint)
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the cache folder would be")
    m = Memo()
    got = m.rows("themes", theme_counts, docs, fingerprint=c.config.fingerprint, cache_dir=blocked)
    m.wait_filed()
    assert_frame_equal(got, plain)
    assert blocked.read_text() == "a file where the cache folder would be"


def test_a_document_listed_twice_is_not_filed(folder):
    c = load(folder)
    docs = sorted(c.documents, key=sort_key)
    m = Memo()
    m.rows("themes", theme_counts, docs + docs[:1], fingerprint=c.config.fingerprint, cache_dir=c.cache_dir)
    m.wait_filed()
    assert filed(folder[1], "themes") == []


def test_each_analysis_keeps_its_newest_files(folder):
    c = load(folder)
    docs = sorted(c.documents, key=sort_key)
    for k in range(1, 6):     # five calls of different documents
        m = Memo()
        m.rows("themes", theme_counts, docs[:k + 2], fingerprint=c.config.fingerprint, cache_dir=c.cache_dir)
        m.wait_filed()
    assert len(filed(folder[1], "themes")) == derived.ROWS_KEEP


# --------------------------------------------------------------------------- the frame codec

def test_frames_of_every_supported_dtype_come_back_exactly():
    df = pd.DataFrame({
        "text": pd.array(["a", None, "a", "\u201cquoted\u201d"], dtype="str"),
        "obj": pd.Series(["x", None, "x", "y"], dtype=object),
        "n": pd.array([1, None, 3, 4], dtype="Int64"),
        "i": np.array([1, -2, 3, 2**62], dtype=np.int64),
        "f": np.array([0.1, np.nan, -0.0, 1e300]),
        "b": np.array([True, False, True, True]),
        "keys": pd.Series([["PP1", "OP2"], [], ["OP2"], ["OP2"]], dtype=object)})
    back = derived.decode_frame(json.loads(json.dumps(derived.encode_frame(df))))
    assert_frame_equal(back, df)
    assert back["obj"][1] is None and back["text"].isna()[1]
    assert np.signbit(back["f"][2])


@pytest.mark.parametrize("case", ["tuple", "int and bool", "None and NaN", "category", "attrs", "index"])
def test_frames_that_would_not_come_back_exactly_are_not_filed(case):
    df = {"tuple": lambda: pd.DataFrame({"k": pd.Series([("PP1",), ("OP2",)], dtype=object)}),
          "int and bool": lambda: pd.DataFrame({"v": pd.Series([1, True], dtype=object)}),
          "None and NaN": lambda: pd.DataFrame({"v": pd.Series([None, float("nan"), "a"], dtype=object)}),
          "category": lambda: pd.DataFrame({"c": pd.Categorical(["a", "b"])}),
          "attrs": lambda: pd.DataFrame({"v": [1, 2]}).assign().pipe(lambda d: (d.attrs.update(x=1), d)[1]),
          "index": lambda: pd.DataFrame({"v": [1, 2]}, index=[5, 6])}[case]()
    assert derived.encode_frame(df) is None
