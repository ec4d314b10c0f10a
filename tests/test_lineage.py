"""Tests for analytics.lineage: predecessors, origins and chains of paragraphs."""
from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analytics.align import align, as_documents, similarity, similarity_matrix
from analytics.lineage import (BORROWED_COLUMNS, COLUMNS, SERIES_COLUMNS, borrowed_language, lineage,
                               lineage_summary, paragraph_lineage)
from analytics.reader import parse_text
from analytics.records import representative
from analytics.series import group_series
from docmaker import make_doc

REAL = Path(__file__).resolve().parent / "fixtures" / "real"


X = "Urges Member States to ratify the Convention against Corruption and the Protocols thereto;"
Y = "Requests the Office to continue providing technical assistance to Member States upon request;"
Z = "Welcomes the outcome of the high-level meeting on transnational organized crime;"


@pytest.fixture(scope="module")
def seeds_lineage(docs):
    return lineage(docs)


def _row(df, doc_id, key):
    sel = df[(df["document"] == doc_id) & (df["key"] == key)]
    assert len(sel) == 1
    return sel.iloc[0]


# --------------------------------------------------------------------------- seeds

def test_columns_and_one_row_per_paragraph(docs, seeds_lineage):
    df = seeds_lineage
    assert list(df.columns) == COLUMNS
    assert len(df) == sum(len(d.paragraphs) for d in docs.values()) == 267
    assert not df.duplicated(["document", "key"]).any()
    assert list(dict.fromkeys(df["document"])) == ["A-RES-60-175", "A-RES-63-195", "A-RES-65-232",
                                                   "draft-66", "A-RES-67-189"]


def test_earliest_session_is_all_new(seeds_lineage):
    first = seeds_lineage[seeds_lineage["document"] == "A-RES-60-175"]
    assert len(first) == 39
    assert (first["status"] == "new").all()
    assert first["similarity"].isna().all() and first["previous_document"].isna().all()
    assert (first["origin_document"] == "A-RES-60-175").all()
    assert (first["origin_key"] == first["key"]).all()
    assert all(c == [f"A-RES-60-175:{k}"] for c, k in zip(first["chain"], first["key"]))


def test_money_laundering_programme_originates_in_63(seeds_lineage):
    df = seeds_lineage
    origin = _row(df, "A-RES-63-195", "OP4")   # "... through the Global Programme against Money-Laundering"
    assert origin["status"] == "new"
    carried = df[(df["origin_document"] == "A-RES-63-195") & (df["origin_key"] == "OP4")]
    assert carried[["document", "key", "status"]].values.tolist() == [
        ["A-RES-63-195", "OP4", "new"],
        ["A-RES-65-232", "OP14", "agreed"],
        ["draft-66", "OP13", "agreed"],
        ["A-RES-67-189", "OP14", "agreed"],
    ]
    last = _row(df, "A-RES-67-189", "OP14")
    assert last["chain"] == ["A-RES-63-195:OP4", "A-RES-65-232:OP14", "draft-66:OP13",
                             "A-RES-67-189:OP14"]
    assert (last["origin_session"], last["previous_session"], last["previous_key"]) == (63, 66, "OP13")
    assert last["similarity"] == pytest.approx(0.8578, abs=1e-4)


def test_states_parties_figure_chain(seeds_lineage):
    # 65 OP24 "... has reached one hundred and fifty-eight, which is a good indication ...";
    # the 66 draft only changes the number words ("sixty-four"); 67 says "172 ... significant"
    d66 = _row(seeds_lineage, "draft-66", "OP3")
    assert (d66["status"], d66["previous_document"], d66["previous_key"]) == \
        ("agreed", "A-RES-65-232", "OP24")
    r67 = _row(seeds_lineage, "A-RES-67-189", "OP3")
    assert (r67["status"], r67["previous_key"], r67["origin_session"]) == ("amended", "OP3", 65)
    assert r67["chain"] == ["A-RES-65-232:OP24", "draft-66:OP3", "A-RES-67-189:OP3"]


def test_reiterating_concern_is_agreed_from_66_draft(seeds_lineage):
    row = _row(seeds_lineage, "A-RES-67-189", "PP31")
    assert (row["status"], row["similarity"], row["previous_document"], row["previous_key"]) == \
        ("agreed", 1.0, "draft-66", "PP24")
    assert (row["origin_document"], row["origin_key"]) == ("draft-66", "PP24")


def test_language_migrates_between_parts(seeds_lineage):
    # 63 OP3 "Recognizes the general progress made ..." became preambular in 65
    row = _row(seeds_lineage, "A-RES-65-232", "PP23")
    assert (row["previous_document"], row["previous_key"], row["part"]) == \
        ("A-RES-63-195", "OP3", "preambular")


def test_summary_counts(seeds_lineage):
    s = lineage_summary(seeds_lineage)
    assert s[["document", "paragraphs", "agreed", "amended", "new"]].values.tolist() == [
        ["A-RES-60-175", 39, 0, 0, 39],
        ["A-RES-63-195", 37, 1, 7, 29],
        ["A-RES-65-232", 61, 17, 9, 35],
        ["draft-66", 58, 46, 3, 9],
        ["A-RES-67-189", 72, 38, 17, 17],
    ]
    assert s.loc[4, "share_agreed"] == pytest.approx(38 / 72)
    assert s.loc[3, "symbol"] is None and s.loc[4, "session"] == 67


def test_chain_structure(seeds_lineage):
    df = seeds_lineage
    by_label = {f"{d}:{k}": i for i, (d, k) in enumerate(zip(df["document"], df["key"]))}
    for r in df.itertuples():
        assert r.chain[-1] == f"{r.document}:{r.key}"
        assert r.chain[0] == f"{r.origin_document}:{r.origin_key}"
        if r.status == "new":
            assert len(r.chain) == 1 and pd.isna(r.similarity)
        else:
            assert r.previous_session < r.session
            prev = df.iloc[by_label[f"{r.previous_document}:{r.previous_key}"]]
            assert r.chain == prev["chain"] + [r.chain[-1]]
            assert r.origin_session <= r.previous_session
            assert (r.status == "agreed") == (r.similarity >= 0.8)
            assert 0.5 <= r.similarity <= 1.0


def test_similarity_is_the_alignment_similarity(docs):
    df = lineage([docs["draft-66"], docs["A-RES-67-189"]])
    r = _row(df, "A-RES-67-189", "OP3")
    a_row = align(docs["draft-66"], docs["A-RES-67-189"]).set_index("b_key").loc["OP3"]
    assert r["similarity"] == pytest.approx(a_row["similarity"])
    assert r["previous_key"] == a_row["a_key"] == "OP3"


def test_lsh_agrees_with_exact_on_seeds(docs, seeds_lineage):
    lsh = lineage(docs, method="lsh")
    exact = lineage(docs, method="exact")
    pd.testing.assert_frame_equal(lsh, exact)
    pd.testing.assert_frame_equal(exact, seeds_lineage)


def test_thresholds(docs):
    strict = lineage(docs, threshold=0.99)
    loose = lineage(docs)
    assert (strict["status"] == "agreed").sum() < (loose["status"] == "agreed").sum()
    assert ((strict["status"] == "new") == (loose["status"] == "new")).all()
    with pytest.raises(ValueError, match="min_similarity"):
        lineage(docs, threshold=0.4, min_similarity=0.5)


# --------------------------------------------------------------------------- hand-built

def test_same_session_texts_are_not_each_others_predecessors():
    draft = make_doc("draft-70", op=[X, Y], session=70, kind="draft")
    adopted = make_doc("res-70", op=[X, Y], session=70)
    df = lineage([adopted, draft])
    assert (df["status"] == "new").all()
    earlier = make_doc("res-69", op=[X], session=69)
    df = lineage([adopted, draft, earlier])
    x_rows = df[df["key"] == "OP1"]
    assert x_rows[["document", "status", "previous_document"]].values.tolist() == [
        ["res-69", "new", None], ["draft-70", "agreed", "res-69"], ["res-70", "agreed", "res-69"]]


def test_most_recent_session_with_a_match_wins():
    amended = X.replace("ratify", "consider ratifying or acceding to")
    assert 0.5 < similarity(X, amended) < 0.8
    docs = [make_doc("s60", op=[X], session=60), make_doc("s61", op=[amended], session=61),
            make_doc("s62", op=[X], session=62), make_doc("s63", op=[Z], session=63),
            make_doc("s64", op=[X], session=64)]
    df = lineage(docs).set_index("document")
    assert (df.loc["s62", "previous_document"], df.loc["s62", "status"]) == ("s61", "amended")
    # s63 has no match: s64 reaches back to s62, verbatim
    assert (df.loc["s64", "previous_document"], df.loc["s64", "status"]) == ("s62", "agreed")
    assert df.loc["s64", "chain"] == ["s60:OP1", "s61:OP1", "s62:OP1", "s64:OP1"]
    assert df.loc["s64", "origin_session"] == 60


def test_split_paragraph_shares_a_predecessor():
    both = X[:-1] + ", and " + Y[0].lower() + Y[1:]
    df = lineage([make_doc("old", op=[both], session=1), make_doc("new", op=[X, Y], session=2)])
    new = df[df["document"] == "new"]
    assert new["previous_key"].tolist() == ["OP1", "OP1"]


def test_hostile_inputs():
    empty = lineage([])
    assert empty.empty and list(empty.columns) == COLUMNS
    assert lineage_summary(empty).empty
    # no session: treated as the latest text; empty paragraph text does not crash
    undated = make_doc("undated", op=[X, ""], session=None)
    df = lineage({"u": undated, "a": make_doc("a", op=[X], session=60)})
    row = df[(df["document"] == "undated") & (df["key"] == "OP1")].iloc[0]
    assert (row["previous_document"], row["status"]) == ("a", "agreed")
    assert pd.isna(row["session"])
    assert df[(df["document"] == "undated") & (df["key"] == "OP2")].iloc[0]["status"] == "new"


# --------------------------------------------------------------------------- LSH at (small) scale

def synthetic_corpus(docs, *, sessions=12, per_session=4, seed=7):
    """A series built from the seed paragraphs: each session carries most paragraphs of the
    previous one (some with a word or a quarter of the words changed), drops a few and adds
    random new ones."""
    rng = random.Random(seed)
    pool = [p.text for d in docs.values() for p in d.paragraphs]
    vocab = sorted({w for t in pool for w in t.split()})
    out, prev = [], rng.sample(pool, 15)
    for s in range(sessions):
        for k in range(per_session):
            texts = []
            for t in prev:
                r = rng.random()
                if r < 0.1:
                    continue
                if r < 0.45:
                    w = t.split()
                    # a word changed (agreed) or a quarter of them (amended)
                    for _ in range(1 if r < 0.3 else max(1, len(w) // 4)):
                        w[rng.randrange(len(w))] = rng.choice(vocab)
                    t = " ".join(w)
                texts.append(t)
            texts += [" ".join(rng.choice(vocab) for _ in range(30)) for _ in range(2)]
            out.append(make_doc(f"s{s}-d{k}", op=texts, session=100 + s))
        prev = [p.text for p in out[-1].operative][:15]
    return out


def test_lsh_matches_exact_on_a_synthetic_series(docs):
    corpus = synthetic_corpus(docs)
    exact = lineage(corpus, method="exact")
    lsh = lineage(corpus, method="lsh")
    assert len(exact) > 600
    assert (exact["status"] != "new").sum() > 400 and (exact["status"] == "amended").sum() > 30
    # every near-verbatim carry-over is found with the same predecessor session
    agreed = exact["status"] == "agreed"
    assert (lsh.loc[agreed, "status"] == "agreed").all()
    assert (lsh.loc[agreed, "previous_session"] == exact.loc[agreed, "previous_session"]).all()
    same_prev = (lsh["previous_document"].fillna("-") == exact["previous_document"].fillna("-")) & \
        (lsh["previous_key"].fillna("-") == exact["previous_key"].fillna("-"))
    assert same_prev.mean() > 0.97
    assert np.allclose(lsh.loc[same_prev, "similarity"].fillna(-1),
                       exact.loc[same_prev, "similarity"].fillna(-1))


# --------------------------------------------------------------------------- lineage by series

PROGRAMME = "strengthening-the-united-nations-crime-prevention"
TRAFFICKING = "improving-the-coordination-of-efforts-against-trafficking"

RECALL_A = "Recalling its resolutions on trafficking in persons, in particular the Global Plan of Action,"
RECALL_B = ("Recalling its resolutions on the crime prevention and criminal justice programme and its "
            "technical cooperation capacity,")
SHARED = ("Stressing the need to take appropriate measures to ensure access to justice and protections for "
          "victims in criminal justice processes, including measures to ensure that identified victims of "
          "trafficking are not penalized for having been trafficked,")
URGES = ("Urges Member States to ratify the Protocol to Prevent, Suppress and Punish Trafficking in Persons, "
         "Especially Women and Children;")
URGES_AMENDED = ("Urges Member States that have not yet done so to consider ratifying or acceding to, as a "
                 "matter of priority, the Protocol to Prevent, Suppress and Punish Trafficking in Persons, "
                 "Especially Women and Children;")
CONVENES = "Decides to convene a high-level meeting on the appraisal of the Global Plan of Action in 2026;"
ASSISTS = ("Requests the United Nations Office on Drugs and Crime to continue providing technical assistance "
           "to Member States upon request;")
WELCOMES = ("Welcomes the outcome of the thirty-third session of the Commission on Crime Prevention and "
            "Criminal Justice;")


def _resolution(symbol: str, title: str, pre: list[str], op: list[str]):
    """A resolution as text, read by the reader (so series grouping sees real titles)."""
    ops = "\n".join(f"{k}. {t}" for k, t in enumerate(op, 1))
    return parse_text(f"{symbol}. {title}\nThe General Assembly,\n" + "\n".join(pre) + f"\n{ops}\n",
                      source=f"{symbol.replace('/', '_')}.txt")


@pytest.fixture(scope="module")
def two_series():
    """Trafficking (70/1, 71/1) and the crime programme (70/2, 71/2): 71/2 repeats 70/1's
    SHARED verbatim, 71/1 amends URGES and adds CONVENES."""
    traf, prog = "Trafficking in persons", "Crime prevention programme"
    return [_resolution("70/1", traf, [RECALL_A, SHARED], [URGES]),
            _resolution("70/2", prog, [RECALL_B], [ASSISTS]),
            _resolution("71/1", traf, [RECALL_A, SHARED], [URGES_AMENDED, CONVENES]),
            _resolution("71/2", prog, [RECALL_B, SHARED], [ASSISTS, WELCOMES])]


def test_texts_are_as_built(two_series):
    assert [d.id for d in two_series] == ["A-RES-70-1", "A-RES-70-2", "A-RES-71-1", "A-RES-71-2"]
    assert two_series[3].paragraph("PP2").text == SHARED
    assert 0.5 < similarity(URGES, URGES_AMENDED) < 0.8
    index = group_series(two_series)
    assert sorted(len(index.members(s)) for s in index.ids) == [2, 2]


def test_language_shared_by_two_series_is_borrowed_not_amended(two_series):
    df = paragraph_lineage(two_series, series=group_series(two_series))
    assert list(df.columns) == SERIES_COLUMNS
    got = {(r.document, r.key): (r.status, r.previous_document, r.previous_key) for r in df.itertuples()}
    assert got == {
        ("A-RES-70-1", "PP1"): ("new", None, None), ("A-RES-70-1", "PP2"): ("new", None, None),
        ("A-RES-70-1", "OP1"): ("new", None, None),
        ("A-RES-70-2", "PP1"): ("new", None, None), ("A-RES-70-2", "OP1"): ("new", None, None),
        ("A-RES-71-1", "PP1"): ("agreed", "A-RES-70-1", "PP1"),
        ("A-RES-71-1", "PP2"): ("agreed", "A-RES-70-1", "PP2"),
        ("A-RES-71-1", "OP1"): ("amended", "A-RES-70-1", "OP1"),
        ("A-RES-71-1", "OP2"): ("new", None, None),
        ("A-RES-71-2", "PP1"): ("agreed", "A-RES-70-2", "PP1"),
        ("A-RES-71-2", "PP2"): ("borrowed", None, None),
        ("A-RES-71-2", "OP1"): ("agreed", "A-RES-70-2", "OP1"),
        ("A-RES-71-2", "OP2"): ("new", None, None),
    }
    shared = _row(df, "A-RES-71-2", "PP2")
    # the earlier session is the source, not 71/1 adopted the same session
    assert (shared["source_document"], shared["source_key"], shared["source_series"],
            shared["source_session"], shared["similarity"]) == \
        ("A-RES-70-1", "PP2", index_id(two_series, 0), 70, 1.0)
    assert (shared["series"], shared["origin_document"], shared["chain"]) == \
        (index_id(two_series, 3), "A-RES-71-2", ["A-RES-71-2:PP2"])
    assert df.loc[df["status"] != "borrowed", "source_document"].isna().all()
    # the corpus-wide search calls the same paragraph agreed language of the other resolution
    old = _row(lineage(two_series), "A-RES-71-2", "PP2")
    assert (old["status"], old["previous_document"]) == ("agreed", "A-RES-70-1")


def index_id(docs, k: int) -> str:
    return group_series(docs).series_of(docs[k].id)


def test_borrowed_language_table(two_series):
    index = group_series(two_series)
    table = borrowed_language(two_series, series=index)
    assert list(table.columns) == BORROWED_COLUMNS
    assert table[["document", "key", "source_document", "source_key", "similarity"]].values.tolist() == [
        ["A-RES-71-2", "PP2", "A-RES-70-1", "PP2", 1.0]]
    assert table.loc[0, "text"] == table.loc[0, "source_text"] == SHARED
    assert (table.loc[0, "series"], table.loc[0, "source_series"]) == \
        (index_id(two_series, 3), index_id(two_series, 0))
    rows = paragraph_lineage(two_series, series=index)
    pd.testing.assert_frame_equal(borrowed_language(two_series, series=index, rows=rows), table)
    assert borrowed_language(two_series[:2], series=index).empty


def test_lsh_finds_the_same_lineage_by_series(two_series):
    index = group_series(two_series)
    pd.testing.assert_frame_equal(paragraph_lineage(two_series, series=index, method="lsh"),
                                  paragraph_lineage(two_series, series=index, method="exact"))


def test_same_session_language_of_two_series_borrows_both_ways():
    docs = [make_doc("a70", op=[X], session=70), make_doc("b70", op=[Y], session=70),
            make_doc("a71", op=[X, Z], session=71), make_doc("b71", op=[Y, Z], session=71)]
    df = paragraph_lineage(docs, series={"a70": "a", "a71": "a", "b70": "b", "b71": "b"})
    z = df[df["key"] == "OP2"]
    assert z[["document", "status", "source_document", "source_series", "similarity"]].values.tolist() == [
        ["a71", "borrowed", "b71", "b", 1.0], ["b71", "borrowed", "a71", "a", 1.0]]
    assert df.loc[df["key"] == "OP1", "status"].tolist() == ["new", "new", "agreed", "agreed"]


def test_borrow_threshold():
    near = "Welcomes the outcome of the high-level meeting on corruption, held in New York;"
    assert 0.5 < similarity(Z, near) < 0.6
    docs = [make_doc("a70", op=[Z], session=70), make_doc("b71", op=[near], session=71)]
    series = {"a70": "a", "b71": "b"}
    assert paragraph_lineage(docs, series=series)["status"].tolist() == ["new", "new"]
    loose = paragraph_lineage(docs, series=series, borrow_similarity=0.5)
    assert loose["status"].tolist() == ["new", "borrowed"]
    assert loose.loc[1, "similarity"] == pytest.approx(similarity(Z, near))


def test_a_series_compares_session_texts_never_its_own_draft():
    # 70: the draft says X, the adopted text Y; 71's draft and adopted text say X and Y
    draft70 = make_doc("draft-70", op=[X], session=70, kind="draft")
    res70 = make_doc("res-70", op=[Y], session=70)
    draft71 = make_doc("draft-71", op=[Y, X], session=71, kind="draft")
    res71 = make_doc("res-71", op=[Y, X], session=71)
    df = paragraph_lineage([draft70, res70, draft71, res71], series=dict.fromkeys(
        ["draft-70", "res-70", "draft-71", "res-71"], "s"))
    got = df[["document", "key", "status", "previous_document"]].values.tolist()
    assert got == [
        ["draft-70", "OP1", "new", None], ["res-70", "OP1", "new", None],
        # the adopted text of 70 stands for the session: the draft's X is not a version of 71's
        ["draft-71", "OP1", "agreed", "res-70"], ["draft-71", "OP2", "new", None],
        # and 71 is not compared with its own draft
        ["res-71", "OP1", "agreed", "res-70"], ["res-71", "OP2", "new", None]]
    # a session with only a draft is represented by it
    df = paragraph_lineage([draft70, res71], series={"draft-70": "s", "res-71": "s"})
    assert _row(df, "res-71", "OP2")["previous_document"] == "draft-70"


def test_series_hostile_inputs():
    assert list(paragraph_lineage([], series={}).columns) == SERIES_COLUMNS
    assert paragraph_lineage([], series={}).empty and borrowed_language([], series={}).empty
    undated = make_doc("undated", op=[X, ""], session=None)
    old = make_doc("a", op=[X], session=60)
    other = make_doc("b", op=[Y], session=61)
    # the undated text is the latest of its series; a document the mapping lacks is a series of its own
    df = paragraph_lineage([undated, old, other], series={"undated": "s", "a": "s"})
    row = _row(df, "undated", "OP1")
    assert (row["status"], row["previous_document"]) == ("agreed", "a")
    assert _row(df, "undated", "OP2")["status"] == "new"
    assert _row(df, "b", "OP1")["series"] is None
    with pytest.raises(ValueError, match="series"):
        paragraph_lineage([old], sources=[other])
    with pytest.raises(ValueError, match="min_similarity"):
        paragraph_lineage([old], series={}, threshold=0.4)


def test_bundled_corpus_is_one_series_and_its_lineage_is_unchanged(docs, seeds_lineage):
    index = group_series(docs.values())
    assert len(index) == 1
    for method in ("auto", "lsh"):
        df = paragraph_lineage(docs, series=index, method=method)
        pd.testing.assert_frame_equal(df[COLUMNS], seeds_lineage)
        assert (df["series"] == index.ids[0]).all() and df["source_document"].isna().all()
    assert lineage_summary(df)["borrowed"].tolist() == [0] * 5


# --------------------------------------------------------------------------- real documents

@pytest.fixture(scope="module")
def real_docs():
    return [parse_text((REAL / f"{name}.txt").read_text(encoding="utf-8"), source=f"{name}.txt")
            for name in ("A_RES_78_228", "A_RES_80_228", "A_RES_80_229")]


@pytest.fixture(scope="module")
def real_lineage(real_docs):
    return paragraph_lineage(real_docs, series=group_series(real_docs))


def test_real_series(real_docs, real_lineage):
    index = group_series(real_docs)
    assert [index.series_of(d.id) for d in real_docs] == [TRAFFICKING, TRAFFICKING, PROGRAMME]
    s = lineage_summary(real_lineage).set_index("document")
    counts = ["paragraphs", "agreed", "amended", "new", "borrowed"]
    assert s.loc["A-RES-80-228", counts].tolist() == [87, 68, 8, 11, 0]
    assert s.loc["A-RES-80-229", counts].tolist() == [157, 0, 0, 154, 3]
    assert (real_lineage.loc[real_lineage["document"] == "A-RES-78-228", "status"] == "new").all()


def test_real_version_lineage(real_lineage):
    # "Recalling also its resolutions 71/322 ... on organ donation and transplantation ..." gains 79/189
    pp11 = _row(real_lineage, "A-RES-80-228", "PP11")
    assert (pp11["status"], pp11["previous_document"], pp11["previous_key"]) == \
        ("agreed", "A-RES-78-228", "PP11")
    assert pp11["similarity"] == pytest.approx(0.9766, abs=1e-4)
    # "Stressing the need ... not penalized ..." gains a clause on the Secretary-General's report
    pp32 = _row(real_lineage, "A-RES-80-228", "PP32")
    assert (pp32["status"], pp32["previous_key"]) == ("amended", "PP32")
    assert pp32["similarity"] == pytest.approx(0.7733, abs=1e-4)
    # 78 OP24 (irregular migration ...) is 80 OP29; 80 OP9 is new
    assert _row(real_lineage, "A-RES-80-228", "OP29")[["status", "previous_key"]].tolist() == \
        ["agreed", "OP24"]
    assert _row(real_lineage, "A-RES-80-228", "OP9")["status"] == "new"


def test_real_crime_programme_borrows_trafficking_language(real_docs, real_lineage):
    table = borrowed_language(real_docs, series=group_series(real_docs), rows=real_lineage)
    assert table[["document", "key", "source_document", "source_key", "source_series"]].values.tolist() == [
        ["A-RES-80-229", "PP54", "A-RES-78-228", "PP11", TRAFFICKING],   # organ trafficking recall
        ["A-RES-80-229", "PP58", "A-RES-78-228", "OP24", TRAFFICKING],   # half of 78 OP24, now preambular
        ["A-RES-80-229", "PP63", "A-RES-78-228", "PP32", TRAFFICKING]]   # the non-punishment principle
    assert table["similarity"].round(4).tolist() == [0.8059, 0.6278, 0.6409]
    assert table.loc[0, "text"].startswith("Bearing in mind its resolutions 73/189")
    assert table.loc[2, "source_text"].startswith("Stressing the need to take appropriate measures")
    # PP3 shares only the Kyoto Declaration's title with 78 PP16 (0.51): not borrowed
    assert _row(real_lineage, "A-RES-80-229", "PP3")["status"] == "new"
    # the corpus-wide search called these agreed and amended versions of 78/228
    old = lineage(real_docs).set_index(["document", "key"]).loc["A-RES-80-229"]
    assert old.loc[["PP54", "PP58", "PP63", "PP3"], "status"].tolist() == \
        ["agreed", "amended", "amended", "amended"]


def test_real_sources_only(real_docs, real_lineage):
    # one series traced, the rest of the corpus only searched for the language it borrows
    index = group_series(real_docs)
    df = paragraph_lineage(real_docs[2:], series=index, sources=real_docs)
    mine = real_lineage[real_lineage["document"] == "A-RES-80-229"].reset_index(drop=True)
    pd.testing.assert_frame_equal(df, mine)
    # without 78/228 nothing is a version of 80/228, and its language shared with 80/229,
    # adopted the same day, is reported as borrowed from it (the same-session rule)
    df = paragraph_lineage(real_docs[1:2], series=index, sources=real_docs[2:])
    shared = df[df["status"] != "new"]
    assert shared[["key", "status", "source_document", "source_key"]].values.tolist() == [
        ["PP11", "borrowed", "A-RES-80-229", "PP54"], ["PP32", "borrowed", "A-RES-80-229", "PP63"],
        ["OP29", "borrowed", "A-RES-80-229", "PP58"]]


def test_real_lsh_agrees_with_exact(real_docs, real_lineage):
    index = group_series(real_docs)
    pd.testing.assert_frame_equal(paragraph_lineage(real_docs, series=index, method="lsh"), real_lineage)


# --------------------------------------------------------------------------- by series, plain search

def _plain_series_lineage(docs, series, min_similarity=0.5, borrow=0.6):
    """(document, key) -> (previous or source (document, key), status letter) by the rules of
    the module docstring, written out with a similarity matrix per pair of texts."""
    by_series = {}
    for d in docs:
        by_series.setdefault(series[d.id], []).append(d)
    reps = {s: representative(ms) for s, ms in by_series.items()}
    out = {}
    for d in docs:
        rank = d.session if d.session is not None else 10**6
        open_ = list(d.paragraphs)
        for s in sorted((s for s in reps[series[d.id]] if s < rank), reverse=True):
            open_ = _match(open_, reps[series[d.id]][s], min_similarity, "v", out, d)
        others = [(s, r) for sid, rs in reps.items() if sid != series[d.id]
                  for s, r in rs.items() if s <= rank]
        # earlier sessions latest first, then the document's own session
        for s in sorted({s for s, _ in others if s < rank}, reverse=True) + [rank]:
            texts = sorted((r for t, r in others if t == s), key=docs.index)
            open_ = _match_many(open_, texts, borrow, "b", out, d)
        for p in open_:
            out[(d.id, p.key)] = (None, "n")
    return out


def _match(open_, version, floor, tag, out, d):
    return _match_many(open_, [version], floor, tag, out, d)


def _match_many(open_, versions, floor, tag, out, d):
    if not open_ or not versions:
        return open_
    cands = [(v, p) for v in versions for p in v.paragraphs]
    if not cands:
        return open_
    m = similarity_matrix([p.text for p in open_], [p.text for _, p in cands])
    left = []
    for k, p in enumerate(open_):
        best = int(np.argmax(m[k]))          # first of the best: corpus order
        if m[k, best] >= floor:
            v, q = cands[best]
            out[(d.id, p.key)] = ((v.id, q.key), tag)
        else:
            left.append(p)
    return left


def test_series_lineage_equals_a_plain_search(docs):
    # three series over the same sessions, drawn from the same paragraph pool, so they share
    # language; some sessions have a draft too
    corpus, series = [], {}
    for name, seed in (("a", 1), ("b", 2), ("c", 3)):
        for d in synthetic_corpus(docs, sessions=5, per_session=2, seed=seed):
            kind = "draft" if d.id.endswith("d0") else "resolution"
            d = make_doc(f"{name}-{d.id}", op=[p.text for p in d.operative], session=d.session, kind=kind)
            corpus.append(d)
            series[d.id] = name
    corpus = as_documents(corpus)
    expected = _plain_series_lineage(corpus, series)
    df = paragraph_lineage(corpus, series=series, method="exact")
    got = {}
    for r in df.itertuples():
        if r.status == "borrowed":
            got[(r.document, r.key)] = ((r.source_document, r.source_key), "b")
        elif r.status == "new":
            got[(r.document, r.key)] = (None, "n")
        else:
            got[(r.document, r.key)] = ((r.previous_document, r.previous_key), "v")
    assert got == expected
    assert sum(v[1] == "b" for v in got.values()) > 10 and sum(v[1] == "v" for v in got.values()) > 200
    lsh = paragraph_lineage(corpus, series=series, method="lsh")
    assert (lsh["status"] == df["status"]).mean() > 0.97


def test_view_draws_borrowed_as_a_fourth_status(real_lineage):
    import plotly.graph_objects as go
    from views.lineage import BORROWED_STYLE, _add_borrowed
    data = real_lineage[real_lineage["document"] == "A-RES-80-229"].assign(origin_label="78/228", text="t")
    fig = go.Figure()
    _add_borrowed(fig, data)
    (trace,) = fig.data
    assert (trace.name, list(trace.x), list(trace.y)) == ("borrowed", ["PP54", "PP58", "PP63"], [80.0] * 3)
    assert trace.marker.color == BORROWED_STYLE[0] and "borrowed from 78/228" in trace.hovertext[0]


def test_frame_keys_and_numbers_are_the_paragraphs_own(docs):
    import analytics.lineage as L
    ds = as_documents(docs)
    rows = L._frame_rows(ds)
    paras = [p for d in ds for p in d.paragraphs]
    assert rows["key"] == [p.key for p in paras]
    assert rows["number"] == [p.number if (p.part == "operative" and p.number is not None) else p.index
                              for p in paras]
    assert rows["part"] == [p.part for p in paras] and rows["_text"] == [p.text for p in paras]
    assert rows["document"] == [d.id for d in ds for _ in d.paragraphs]
