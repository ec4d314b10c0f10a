"""Tests for analytics.compare: resolving references and the two-text comparison."""
from __future__ import annotations

import json
import math
import re
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analytics.align import align, summary
from analytics.compare import (compare, compare_frames, emerging_changes, plain, records, resolve,
                               treaty_changes)
from analytics.reader import parse_bytes
from analytics.tokens import analysis_tokens
from docmaker import make_doc

A65, A67 = "A-RES-65-232", "A-RES-67-189"
ROOT = Path(__file__).resolve().parent.parent


# --------------------------------------------------------------------------- resolve

@pytest.mark.parametrize("ref,expected", [
    (65, A65), ("67", A67), (np.int64(63), "A-RES-63-195"), (" 60 ", "A-RES-60-175"),
    ("66", "draft-66"),                      # no adopted text of 66 in the corpus: the draft
    ("A-RES-63-195", "A-RES-63-195"), ("draft-66", "draft-66"), ("A/RES/60/175", "A-RES-60-175"),
])
def test_resolve(docs, corpus, ref, expected):
    assert resolve(docs, ref).id == expected
    assert resolve(corpus, ref).id == expected
    assert resolve(corpus.documents, ref).id == expected


def test_resolve_passes_a_document_through(docs):
    assert resolve(docs, docs[A65]) is docs[A65]


@pytest.mark.parametrize("ref,message", [
    (99, "session 99 is not in the corpus"), ("61", "session 61 is not in the corpus"),
    ("A-RES-99-1", "'A-RES-99-1' is neither"), ("", "'' is neither"),
])
def test_resolve_unknown_names_the_ref(docs, ref, message):
    with pytest.raises(ValueError, match=message):
        resolve(docs, ref)


def test_resolve_session_prefers_adopted_text():
    draft = make_doc("draft-70", op=["Urges States."], session=70, kind="draft")
    adopted = make_doc("res-70", op=["Urges States."], session=70, symbol="A/RES/70/1")
    assert resolve([draft, adopted], 70).id == "res-70"
    assert resolve([draft], "70").id == "draft-70"
    assert resolve({"x": adopted}, "A/RES/70/1").id == "res-70"


# --------------------------------------------------------------------------- pieces

def test_emerging_changes_by_issue():
    rows = pd.DataFrame([
        ("a", "piracy", "Piracy", "piracy"),
        ("a", "urban", "Urban crime", "urban crime"),
        ("b", "cyber", "Cybercrime", "cybercrime"),
        ("b", "piracy", "Piracy", "piracy by sea"),
        ("b", "piracy", "Piracy", "piracy by sea"),
        ("c", "other", "Only in a third text", "x"),
    ], columns=["document", "issue", "label", "raw"])
    out = emerging_changes(rows, "a", "b")
    assert out.values.tolist() == [
        ["piracy", "Piracy", "kept", ["piracy"], ["piracy by sea"]],
        ["urban", "Urban crime", "dropped", ["urban crime"], []],
        ["cyber", "Cybercrime", "added", [], ["cybercrime"]],
    ]
    assert emerging_changes(rows.iloc[:0], "a", "b").empty


def test_treaty_changes_per_convention():
    cols = ["document", "convention", "short", "parties", "key", "quote"]
    rows = pd.DataFrame([
        ("a", "Convention X", "X", 150, "OP3", "q1"),
        ("a", "Convention X", "X", 158, "OP24", "q2"),   # the highest figure of a text counts
        ("b", "Convention X", "X", 172, "OP3", "q3"),
        ("b", "Convention Y", "Y", 140, "PP2", "q4"),
        ("c", "Convention Z", "Z", 100, "OP1", "q5"),
    ], columns=cols)
    out = treaty_changes(rows, "a", "b")
    assert records(out) == [
        {"convention": "Convention X", "short": "X", "a_parties": 158, "b_parties": 172,
         "delta": 14, "a_key": "OP24", "b_key": "OP3", "a_quote": "q2", "b_quote": "q3"},
        {"convention": "Convention Y", "short": "Y", "a_parties": None, "b_parties": 140,
         "delta": None, "a_key": None, "b_key": "PP2", "a_quote": None, "b_quote": "q4"},
    ]
    assert str(out["delta"].dtype) == "Int64"


def test_plain_values():
    assert plain(np.int64(3)) == 3 and type(plain(np.int64(3))) is int
    assert plain(float("nan")) is None and plain(pd.NA) is None and plain(None) is None
    assert plain([np.float64(0.5), None, ("x",)]) == [0.5, None, ["x"]]


# --------------------------------------------------------------------------- seeds

@pytest.fixture(scope="module")
def c65_67(docs):
    return compare(docs, 65, 67)


def test_compare_keys_and_documents(docs, c65_67):
    assert list(c65_67) == ["a", "b", "paragraphs", "summary", "themes", "emerging", "treaties",
                            "keyness"]
    assert c65_67["a"] == docs[A65].to_dict(with_text=False)
    assert c65_67["b"] == docs[A67].to_dict(with_text=False)
    # JSON-ready as is: no NaN, no numpy scalars
    text = json.dumps(c65_67, allow_nan=False)
    assert json.loads(text) == c65_67


def test_compare_paragraphs_and_summary(docs, c65_67):
    df = align(docs[A65], docs[A67])
    assert c65_67["paragraphs"] == records(df)
    assert len(c65_67["paragraphs"]) == 85
    assert c65_67["summary"] == summary(df)
    assert c65_67["summary"]["total"] == {"carried": 17, "amended": 31, "new": 24, "dropped": 13}
    row = next(r for r in c65_67["paragraphs"] if r["a_key"] == "OP24")
    assert (row["status"], row["b_key"], row["a_number"], row["b_number"]) == ("amended", "OP3", 24, 3)
    # 65 PP24 cut to its first clause ("... concern regarding the overall financial situation")
    short = next(r for r in c65_67["paragraphs"] if r["b_key"] == "PP31")
    assert (short["status"], short["a_key"]) == ("amended", "PP24")
    assert short["similarity"] < 0.5
    # the main theme of the Thirteenth Congress: only in 67
    new = next(r for r in c65_67["paragraphs"] if r["b_key"] == "PP12")
    assert (new["status"], new["a_key"], new["similarity"], new["a_text"]) == ("new", None, None, None)


def test_compare_treaty_figures_65_67(c65_67):
    # 65 OP24 "... has reached one hundred and fifty-eight"; 67 OP3 "... has reached 172"
    assert [(t["short"], t["a_parties"], t["b_parties"], t["delta"], t["a_key"], t["b_key"])
            for t in c65_67["treaties"]] == [("UNTOC", 158, 172, 14, "OP24", "OP3")]


def test_compare_emerging_issues_65_67(c65_67):
    # 65 OP17: "piracy, cybercrime, sexual exploitation of children and urban crime";
    # 67 OP20 adds cultural property, illicit financial flows, environmental and identity crime
    em = c65_67["emerging"]
    assert list(em) == ["added", "dropped", "kept"]
    assert [i["issue"] for i in em["dropped"]] == ["urban-crime"]
    assert [i["issue"] for i in em["kept"]] == ["piracy", "cybercrime", "child-exploitation"]
    assert sorted(i["issue"] for i in em["added"]) == [
        "cultural-property", "environmental-crime", "identity-crime", "illicit-financial-flows"]
    kept = {i["issue"]: i for i in em["kept"]}
    assert kept["child-exploitation"]["a_raw"] == ["sexual exploitation of children"]


def test_compare_themes_are_rows(c65_67):
    assert c65_67["themes"] and {"theme", "count_a", "count_b", "change"} <= set(c65_67["themes"][0])
    assert all(t["count_b"] - t["count_a"] == t["delta"] for t in c65_67["themes"])


def test_compare_keyness_65_67(docs, c65_67):
    """"convened" is the one key term of the pair: three times in 65/232 (PP7 "meeting convened
    pursuant to", PP8 "special treaty event convened", OP32 "meeting convened in Bangkok"), never
    in 67/189.  G2 and Log Ratio recomputed here from the counts and token totals."""
    raw = {i: (ROOT / "corpus" / f"{i}.txt").read_text(encoding="utf-8") for i in (A65, A67)}
    assert [len(re.findall(r"\bconvened\b", raw[i], re.I)) for i in (A65, A67)] == [3, 0]
    total_a, total_b = len(analysis_tokens(docs[A65].text)), len(analysis_tokens(docs[A67].text))
    assert (total_a, total_b) == (1103, 1462)
    expected_a = total_a * 3 / (total_a + total_b)
    g2 = 2 * 3 * math.log(3 / expected_a)                        # b = 0 adds nothing
    log_ratio = math.log2((3 / total_a) / (0.5 / total_b))       # a zero count counts as 0.5
    assert [(k["term"], k["side"], k["count_a"], k["count_b"]) for k in c65_67["keyness"]] == \
        [("convened", "a", 3, 0)]
    key = c65_67["keyness"][0]
    assert key["g2"] == pytest.approx(g2) == pytest.approx(5.0635, abs=1e-4)
    assert key["log_ratio"] == pytest.approx(log_ratio) == pytest.approx(2.9915, abs=1e-4)
    assert key["p_value"] == pytest.approx(math.erfc(math.sqrt(g2 / 2))) and key["p_value"] < 0.05
    assert key["per_1000_a"] == pytest.approx(3000 / 1103) and key["per_1000_b"] == 0
    # the other way round the same term is key on side b, with the opposite sign
    back = compare(docs, 67, 65)["keyness"]
    assert [(k["term"], k["side"], k["count_a"], k["count_b"]) for k in back] == [("convened", "b", 0, 3)]
    assert back[0]["g2"] == pytest.approx(g2) and back[0]["log_ratio"] == pytest.approx(-log_ratio)


def test_compare_a_text_with_itself(docs):
    out = compare(docs, "A-RES-67-189", 67)
    assert {r["status"] for r in out["paragraphs"]} == {"carried"}
    assert out["emerging"]["added"] == out["emerging"]["dropped"] == []
    assert [t["delta"] for t in out["treaties"]] == [0]


def test_compare_unknown_ref_is_value_error(docs):
    with pytest.raises(ValueError, match="session 64"):
        compare(docs, 64, 67)


def test_compare_frames(corpus):
    frames = compare_frames(corpus, "65", A67)
    assert list(frames) == ["documents", "paragraphs", "summary", "themes", "emerging", "treaties",
                            "keyness"]
    assert all(isinstance(v, pd.DataFrame) for v in frames.values())
    assert frames["documents"][["role", "id"]].values.tolist() == [["a", A65], ["b", A67]]
    s = frames["summary"]
    assert len(s) == 8 + 4
    assert s.set_index(["part", "status"]).loc[("operative", "amended"), "count"] == 21
    assert frames["paragraphs"]["status"].value_counts().to_dict() == \
        {"amended": 31, "new": 24, "carried": 17, "dropped": 13}
    assert frames["emerging"]["change"].tolist().count("added") == 4


# --------------------------------------------------------------------------- real pairs, parsed
# Pairings read by hand from the printed drafts and resolutions (tests/fixtures/real/expected/
# compare_pairs.json; test_align.py runs them on the hand-read texts).  Here both documents are
# parsed from their PyMuPDF text, so running heads, footnote marks or hyphenation the reader
# leaves in a paragraph show up as a wrong status.

REAL = Path(__file__).resolve().parent / "fixtures" / "real"
REAL_PAIRS = json.loads((REAL / "expected" / "compare_pairs.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def parsed(name: str):
    path = REAL / name
    return parse_bytes(path.read_bytes(), source=path.name)


@lru_cache(maxsize=None)
def real_comparison(a: str, b: str) -> dict:
    docs = [parsed(a), parsed(b)]
    return compare(docs, docs[0].id, docs[1].id)


def real_pair_id(e: dict) -> str:
    return f"{e['a'][:-4]}:{e['a_key']}->{e['b'][:-4]}:{e['b_key']}"


@pytest.mark.parametrize("entry", REAL_PAIRS, ids=real_pair_id)
def test_real_pair_status_from_the_text_files(entry):
    out = real_comparison(entry["a"], entry["b"])
    side = "a_key" if entry["a_key"] is not None else "b_key"
    rows = [r for r in out["paragraphs"] if r[side] == entry[side]]
    assert len(rows) == 1, f"{entry[side]} is not in exactly one row"
    row = rows[0]
    assert (row["status"], row["a_key"], row["b_key"]) == \
        (entry["status"], entry["a_key"], entry["b_key"]), entry["why"]
