"""Tests for analytics.lineage: predecessors, origins and chains of paragraphs."""
from __future__ import annotations

import random

import numpy as np
import pandas as pd
import pytest

from analytics.align import align, similarity
from analytics.lineage import COLUMNS, lineage, lineage_summary
from docmaker import make_doc


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
