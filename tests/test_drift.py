import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest

from analytics import drift
from analytics.records import Paragraph, Resolution
from analytics.tokens import STOP_WORDS

SESSIONS = [60, 63, 65, 66, 67]


def make_doc(doc_id, session, *texts, kind="resolution", date=None):
    paras = tuple(Paragraph("operative", i, i, t.split()[0] if t.split() else "", t)
                  for i, t in enumerate(texts, 1))
    return Resolution(
        id=doc_id, symbol=None if kind == "draft" else f"A/RES/{session}/{doc_id}",
        session=session, year=None, date=date, kind=kind, title="t", sponsors=(), agenda_item=None,
        committee_report=None, plenary_meeting=None, keywords=(), source=f"{doc_id}.txt", sha256=doc_id,
        preambular=(), operative=paras, footnotes=())


# --- the seeds ---------------------------------------------------------------

def test_session_rows_use_the_adopted_text_and_the_66_draft(docs):
    res = drift.tfidf_matrix(docs)
    assert res.rows["session"].tolist() == SESSIONS
    assert res.rows["document"].tolist() == ["A-RES-60-175", "A-RES-63-195", "A-RES-65-232",
                                             "draft-66", "A-RES-67-189"]
    assert res.matrix.shape == (5, len(res.terms))
    assert list(res.terms) == sorted(res.terms)
    norms = np.sqrt(res.matrix.multiply(res.matrix).sum(axis=1)).A.ravel()
    assert np.allclose(norms, 1.0)


def test_vocabulary_has_no_stop_words_numbers_or_boilerplate(docs):
    terms = set(drift.tfidf_matrix(docs).terms)
    assert not terms & STOP_WORDS
    assert not any(any(c.isdigit() for c in t) for t in terms)
    assert {"general", "assembly", "resolution", "requests", "united", "nations"}.isdisjoint(terms)
    assert {"trafficking_in_persons", "transnational_organized_crime", "unodc", "piracy"} <= terms


def test_piracy_appears_from_session_65(docs):
    # "piracy" is absent from 60/175 and 63/195 and appears twice in 65/232, the 66 draft and 67/189
    trend = drift.term_trend(docs, "piracy")
    assert trend["session"].tolist() == SESSIONS
    assert trend["count"].tolist() == [0, 0, 2, 2, 2]
    tfidf = dict(zip(trend["session"], trend["tfidf"]))
    assert tfidf[60] == 0 and tfidf[63] == 0
    assert tfidf[65] > 0 and tfidf[66] > 0 and tfidf[67] > 0


def test_term_trend_columns_and_rates(docs):
    trend = drift.term_trend(docs, "Legal Aid")
    assert list(trend.columns) == ["session", "document", "symbol", "term", "count", "per_1000", "tfidf"]
    assert set(trend["term"]) == {"legal aid"}
    assert trend["count"].tolist() == [0, 0, 0, 0, 3]
    row = trend.iloc[-1]
    assert row["document"] == "A-RES-67-189" and row["symbol"] == "A/RES/67/189"
    assert row["per_1000"] == pytest.approx(3000 / docs["A-RES-67-189"].word_count)
    assert row["tfidf"] > 0 and (trend["tfidf"].iloc[:4] == 0).all()


def test_term_trend_counts_every_spelling(docs):
    # 65/232 lost its hyphens: "moneylaundering" x4 plus "... Task Force on Money Laundering"
    trend = drift.term_trend(docs, "money-laundering")
    assert trend.set_index("session").loc[65, "count"] == 5
    assert (trend["tfidf"] > 0).all()


def test_term_trend_stop_phrase_counts_text_but_has_no_tfidf(docs):
    trend = drift.term_trend(docs, "the General Assembly")
    assert (trend["count"] > 0).all()
    assert (trend["tfidf"] == 0).all()


def test_term_trend_by_document(docs):
    trend = drift.term_trend(docs, "piracy", by="document")
    assert trend["document"].tolist() == ["A-RES-60-175", "A-RES-63-195", "A-RES-65-232",
                                          "draft-66", "A-RES-67-189"]
    assert trend["count"].tolist() == [0, 0, 2, 2, 2]


def test_consecutive_distances(docs):
    d = drift.distances(docs)
    assert list(d.columns) == ["from_session", "to_session", "distance"]
    assert d["from_session"].tolist() == [60, 63, 65, 66]
    assert d["to_session"].tolist() == [63, 65, 66, 67]
    assert ((d["distance"] > 0) & (d["distance"] < 1)).all()
    # the 66 draft re-uses most of 65/232; 63/195 rewrote the 60/175 text
    steps = dict(zip(zip(d["from_session"], d["to_session"]), d["distance"]))
    assert min(steps, key=steps.get) == (65, 66)
    assert max(steps, key=steps.get) == (60, 63)


def test_all_pairs_distances_agree_with_consecutive(docs):
    every = drift.distances(docs, all_pairs=True)
    assert len(every) == 10
    pairs = list(zip(every["from_session"], every["to_session"]))
    assert pairs == sorted(pairs) and all(a < b for a, b in pairs)
    consecutive = drift.distances(docs)
    merged = consecutive.merge(every, on=["from_session", "to_session"], suffixes=("", "_all"))
    assert len(merged) == 4 and np.allclose(merged["distance"], merged["distance_all"])


def test_term_changes_63_to_67(docs):
    ch = drift.term_changes(docs, 63, 67, top=20)
    assert list(ch.columns) == ["term", "weight_a", "weight_b", "change", "direction"]
    rising = ch[ch["direction"] == "rising"]
    falling = ch[ch["direction"] == "falling"]
    assert len(rising) == 20 and len(falling) == 20
    assert (rising["change"] > 0).all() and rising["change"].is_monotonic_decreasing
    assert (falling["change"] < 0).all() and falling["change"].is_monotonic_increasing
    assert np.allclose(ch["change"], ch["weight_b"] - ch["weight_a"])
    # read in the texts: 67/189 adds legal aid (3x), forensic (3x), cultural property (7x)
    # and asset recovery (2x), none of them in 63/195 ...
    up = set(rising["term"])
    assert {"legal aid", "forensic", "cultural property", "asset recovery"} <= up
    assert (rising.set_index("term").loc[["legal aid", "cultural property"], "weight_a"] == 0).all()
    # ... and drops forest (2x), governance (2x) and girls (2x) that 63/195 had
    down = set(falling["term"])
    assert {"forest", "governance", "girls"} <= down
    assert (falling.set_index("term").loc[["forest", "governance", "girls"], "weight_b"] == 0).all()


def test_term_changes_unknown_session(docs):
    with pytest.raises(ValueError, match="session 64"):
        drift.term_changes(docs, 63, 64)


def test_deterministic_and_independent_of_input_order(docs):
    first = drift.term_changes(docs, 60, 67)
    dist = drift.distances(docs, all_pairs=True)
    drift._tfidf_cached.cache_clear()
    reordered = list(reversed(list(docs.values())))
    pd.testing.assert_frame_equal(first, drift.term_changes(reordered, 60, 67))
    pd.testing.assert_frame_equal(dist, drift.distances(reordered, all_pairs=True))


def test_to_frame_matches_column(docs):
    res = drift.tfidf_matrix(docs)
    frame = res.to_frame()
    assert frame.index.tolist() == SESSIONS
    assert frame["trafficking in persons"].tolist() == res.column("trafficking in persons").tolist()


# --- hand-built records --------------------------------------------------------

def test_adopted_text_represents_its_session_over_the_draft():
    draft = make_doc("d70", 70, "piracy piracy piracy", kind="draft", date=dt.date(2015, 10, 1))
    adopted = make_doc("r70", 70, "cybercrime", date=dt.date(2015, 12, 17))
    other = make_doc("r71", 71, "piracy cybercrime")
    res = drift.tfidf_matrix([adopted, other, draft])
    assert res.rows["document"].tolist() == ["r70", "r71"]
    assert res.column("piracy").tolist()[0] == 0
    by_doc = drift.tfidf_matrix([adopted, other, draft], by="document")
    assert by_doc.rows["document"].tolist() == ["d70", "r70", "r71"]


def test_identical_and_disjoint_texts():
    docs = [make_doc("a", 1, "piracy at sea"), make_doc("b", 2, "piracy at sea"),
            make_doc("c", 3, "cybercrime networks")]
    d = drift.distances(docs)
    assert d["distance"].tolist() == [0.0, 1.0]


def test_hand_computed_tfidf():
    # session 1: piracy x2, crime x1; session 2: crime x1.  smooth idf: piracy ln(3/2)+1, crime 1
    docs = [make_doc("a", 1, "piracy piracy crime"), make_doc("b", 2, "crime")]
    res = drift.tfidf_matrix(docs)
    w_piracy = (1 + math.log(2)) * (math.log(3 / 2) + 1)
    norm = math.hypot(w_piracy, 1.0)
    frame = res.to_frame()
    assert frame.loc[1, "piracy"] == pytest.approx(w_piracy / norm)
    assert frame.loc[1, "crime"] == pytest.approx(1 / norm)
    assert frame.loc[2].tolist() == [1.0, 0.0]
    assert drift.distances(docs)["distance"].iloc[0] == pytest.approx(1 - 1 / norm)


def test_text_without_content_tokens_has_undefined_distance():
    docs = [make_doc("a", 1, "piracy"), make_doc("b", 2, "The General Assembly requests"),
            make_doc("c", 3, "piracy")]
    d = drift.distances(docs)
    assert d["distance"].isna().tolist() == [True, True]


def test_documents_without_session_only_in_document_rows():
    docs = [make_doc("a", 1, "piracy"), make_doc("x", None, "crime")]
    assert drift.tfidf_matrix(docs).rows["document"].tolist() == ["a"]
    rows = drift.tfidf_matrix(docs, by="document").rows
    assert rows["document"].tolist() == ["a", "x"] and pd.isna(rows["session"].iloc[1])


def test_empty_and_tiny_inputs():
    assert drift.distances([]).empty
    assert list(drift.distances([]).columns) == ["from_session", "to_session", "distance"]
    assert drift.distances([make_doc("a", 1, "piracy")]).empty
    assert drift.tfidf_matrix([make_doc("a", 1, "the")]).terms == ()


def test_bad_arguments():
    docs = [make_doc("a", 1, "piracy")]
    with pytest.raises(ValueError):
        drift.tfidf_matrix(docs, by="year")
    with pytest.raises(ValueError):
        drift.term_trend(docs, "  ")


def test_term_trend_accepts_a_generator():
    docs = [make_doc("a", 1, "Piracy and piracy"), make_doc("b", 2, "crime")]
    trend = drift.term_trend((d for d in docs), "PIRACY")
    assert trend["count"].tolist() == [2, 0]


def test_stop_words_are_an_option_of_every_function(docs):
    """The corpus's stop words (`Config.stop_words`) are passed, not read from a module global."""
    from analytics.tokens import stop_words_with
    keep_states = stop_words_with(remove=["states"])
    assert drift.term_trend(docs, "States")["tfidf"].tolist() == [0.0] * 5
    trend = drift.term_trend(docs, "States", stop_words=keep_states)
    assert trend["count"].tolist() == [18, 16, 32, 36, 59]        # counting the text is unchanged
    assert trend["tfidf"].round(4).tolist() == [0.0954, 0.1152, 0.1048, 0.1125, 0.0995]
    res = drift.tfidf_matrix(docs, stop_words=keep_states)
    assert res.stop_words == keep_states and res.column("states").round(4).tolist() == trend["tfidf"].round(4).tolist()
    # a different set is a different matrix: nothing is served from the other's cache
    assert drift.tfidf_matrix(docs) is not res and "states" not in drift.tfidf_matrix(docs).terms
    assert drift.tfidf_matrix(docs, stop_words=stop_words_with(remove=["states"])) is res
    moved = drift.distances(docs, stop_words=keep_states)["distance"]
    assert (moved != drift.distances(docs)["distance"]).all()
