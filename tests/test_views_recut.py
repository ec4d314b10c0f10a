"""The Lineage and Series pages' analyses, computed once and re-cut per sidebar selection.

Lineage is traced once over the whole chosen series (every session and kind) and cut to the
selected documents, a series' rows being its rows of the whole corpus's trace; the Series page's theme table is grouped from theme counts made once per
document.  These tests pin the re-cut results to the whole computation, with exact values on
the bundled corpus (one series: A/RES/60/175, 63/195, 65/232, the 66th-session draft, 67/189).
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal
from streamlit.testing.v1 import AppTest

import analytics.lineage as lineage_mod
import analytics.themes as themes_mod
from analytics.corpus import load_corpus
from analytics.memo import Memo
from analytics.themes import themes_by_series as analytics_themes_by_series
from views import analyses
from views.context import Ctx, _filtered

ROOT = Path(__file__).resolve().parent.parent
SERIES = "strengthening-the-united-nations-crime-prevention"
BOTH = ("resolution", "draft")


@pytest.fixture()
def memo(monkeypatch):
    """A memo of the test's own, so no result comes from another test."""
    m = Memo()
    monkeypatch.setattr(analyses, "memo", lambda: m)
    return m


def selection(corpus, sessions=None, kinds=BOTH, series=SERIES) -> Ctx:
    """The Ctx the sidebar builds for ``series`` (None: the whole corpus), range and kinds."""
    docs = corpus.series.members(series) if series else corpus.documents
    known = sorted({d.session for d in docs if d.session is not None})
    return Ctx(corpus=corpus, docs=_filtered(docs, known, sessions, kinds), sessions=sessions, kinds=tuple(kinds),
               themes=(), lexicon=corpus.config.themes, labels={d.id: d.label for d in corpus.documents},
               series=series)


def counting(monkeypatch, module, name: str) -> list:
    """Wrap ``module.name``; returns the list of the document ids of each call."""
    calls: list = []
    real = getattr(module, name)

    def wrapped(docs, *args, **kwargs):
        docs = list(docs)
        calls.append([d.id for d in docs])
        return real(docs, *args, **kwargs)
    monkeypatch.setattr(module, name, wrapped)
    return calls


def text(corpus, doc_id: str, key: str) -> str:
    return next(p.text for p in corpus.get(doc_id).paragraphs if p.key == key)


# --------------------------------------------------------------------------- lineage

def test_the_whole_selection_is_the_lineage_of_the_series(corpus, memo):
    rows, borrowed = analyses.lineage(selection(corpus))
    docs = corpus.series.members(SERIES)
    whole = lineage_mod.paragraph_lineage(docs, series=corpus.series, sources=corpus.documents)
    assert_frame_equal(rows, whole)
    assert_frame_equal(borrowed, lineage_mod.borrowed_language(docs, series=corpus.series,
                                                               sources=corpus.documents, rows=whole))
    assert len(rows) == 39 + 37 + 61 + 58 + 72
    assert rows["status"].value_counts().to_dict() == {"new": 129, "agreed": 102, "amended": 36}


def test_a_later_first_session_keeps_its_predecessors_before_the_range(corpus, memo):
    rows, _ = analyses.lineage(selection(corpus, (63, 67)))
    assert list(dict.fromkeys(rows["document"])) == ["A-RES-63-195", "A-RES-65-232", "draft-66", "A-RES-67-189"]
    first = rows[rows["document"] == "A-RES-63-195"]
    # traced inside the range alone, every paragraph of 63/195 would be "new"
    assert first["status"].value_counts().to_dict() == {"new": 29, "amended": 7, "agreed": 1}
    op1 = first[first["key"] == "OP1"].iloc[0]
    assert (op1["status"], op1["previous_session"], op1["previous_document"], op1["previous_key"],
            op1["origin_session"], op1["origin_document"], op1["origin_key"]) == \
        ("agreed", 60, "A-RES-60-175", "OP1", 60, "A-RES-60-175", "OP1")
    assert op1["similarity"] == pytest.approx(0.956522, abs=1e-6)
    assert op1["chain"] == ["A-RES-60-175:OP1", "A-RES-63-195:OP1"]
    # the two texts: the same sentence, only the resolution whose implementation is reported differs
    stem = "Takes note with appreciation of the report of the Secretary-General on the progress made in the " \
           "implementation of General Assembly resolution "
    assert text(corpus, "A-RES-63-195", "OP1") == stem + "62/175;"
    assert text(corpus, "A-RES-60-175", "OP1") == stem + "59/159;"
    pp12 = first[first["key"] == "PP12"].iloc[0]
    assert (pp12["status"], pp12["previous_document"], pp12["previous_key"]) == ("amended", "A-RES-60-175", "PP12")
    assert pp12["similarity"] == pytest.approx(0.771040, abs=1e-6)
    assert "all relevant Economic and Social Council resolutions, in particular resolutions" in \
        text(corpus, "A-RES-63-195", "PP12")
    assert "all relevant Economic and Social Council resolutions, in particular resolutions" in \
        text(corpus, "A-RES-60-175", "PP12")


def test_a_draft_alone_is_still_traced_to_the_adopted_texts_before_it(corpus, memo):
    rows, _ = analyses.lineage(selection(corpus, kinds=("draft",)))
    assert set(rows["document"]) == {"draft-66"} and len(rows) == 58
    # alone in the selection every paragraph would be "new"
    assert rows["status"].value_counts().to_dict() == {"agreed": 46, "new": 9, "amended": 3}
    assert rows["previous_document"].value_counts().to_dict() == {"A-RES-65-232": 48, "A-RES-63-195": 1}
    pp1 = rows[rows["key"] == "PP1"].iloc[0]
    assert (pp1["status"], pp1["previous_document"], pp1["previous_key"]) == ("agreed", "A-RES-65-232", "PP1")
    assert pp1["similarity"] == pytest.approx(0.925743, abs=1e-6)
    # 65/232 PP1 is the draft's first recall without the resolutions of the 65th session
    stem = "Reaffirming its resolutions 46/152 of 18 December 1991, 60/1 of 16 September 2005, 60/177 of " \
           "16 December 2005, 61/252 of 22 December 2006, 64/178 and 64/179 of 18 December 2009"
    assert text(corpus, "A-RES-65-232", "PP1") == stem + " and 64/237 of 24 December 2009,"
    assert text(corpus, "draft-66", "PP1").startswith(stem + ", 64/237 of 24 December 2009, 65/169 of ")


@pytest.mark.parametrize("sessions, kinds", [((63, 67), BOTH), ((63, 66), BOTH), ((65, 65), BOTH),
                                             (None, ("resolution",)), (None, ("draft",)), ((60, 63), ("draft",))])
def test_the_rows_of_a_selection_are_the_series_rows_of_its_documents(corpus, memo, sessions, kinds):
    ctx = selection(corpus, sessions, kinds)
    rows, borrowed = analyses.lineage(ctx)
    whole, whole_borrowed = analyses.lineage(selection(corpus))
    ids = set(ctx.ids)
    assert_frame_equal(rows, whole[whole["document"].isin(ids)].reset_index(drop=True))
    assert_frame_equal(borrowed, whole_borrowed[whole_borrowed["document"].isin(ids)].reset_index(drop=True))
    assert list(dict.fromkeys(rows["document"])) == [d for d in ctx.ids if d in set(rows["document"])]


def test_a_new_range_reuses_the_series_lineage(corpus, memo, monkeypatch):
    calls = counting(monkeypatch, lineage_mod, "paragraph_lineage")
    for sessions in ((63, 67), (65, 67), None, (60, 63)):
        analyses.lineage(selection(corpus, sessions))
    analyses.lineage(selection(corpus, kinds=("draft",)))
    assert calls == [[d.id for d in corpus.series.members(SERIES)]]


def test_with_no_series_chosen_the_whole_corpus_is_traced(corpus, memo):
    rows, _ = analyses.lineage(selection(corpus, (63, 67), series=None))
    whole = lineage_mod.paragraph_lineage(corpus.documents, series=corpus.series, sources=corpus.documents)
    keep = {d.id for d in corpus.documents if d.session is not None and 63 <= d.session <= 67}
    assert_frame_equal(rows, whole[whole["document"].isin(keep)].reset_index(drop=True))
    assert analyses.series_documents(selection(corpus, series=None)) == corpus.documents


@pytest.fixture(scope="module")
def mixed(tmp_path_factory):
    """The bundled corpus and three real texts (tests/fixtures/real): 78/228 and 80/228 of the
    trafficking-in-persons series, and 80/229, the 80th session of the bundled series."""
    folder = tmp_path_factory.mktemp("mixed")
    for p in (ROOT / "corpus").iterdir():
        if p.is_file():
            shutil.copy(p, folder)
    for name in ("A_RES_78_228", "A_RES_80_228", "A_RES_80_229"):
        shutil.copy(ROOT / "tests" / "fixtures" / "real" / f"{name}.txt", folder)
    return load_corpus(folder, cache_dir=tmp_path_factory.mktemp("cache"), workers=1)


def test_every_series_is_its_rows_of_the_whole_trace(mixed, memo, monkeypatch):
    calls = counting(monkeypatch, lineage_mod, "lineage_index")
    trafficking = mixed.series.series_of("A-RES-80-228")
    assert mixed.series.series_of("A-RES-80-229") == SERIES != trafficking
    whole, whole_borrowed = analyses.lineage(selection(mixed, series=None))
    for series in (trafficking, SERIES, trafficking):
        rows, borrowed = analyses.lineage(selection(mixed, series=series))
        ids = {d.id for d in mixed.series.members(series)}
        assert set(rows["document"]) == ids
        assert_frame_equal(rows, whole[whole["document"].isin(ids)].reset_index(drop=True))
        assert_frame_equal(borrowed, whole_borrowed[whole_borrowed["document"].isin(ids)].reset_index(drop=True))
    # the corpus's texts are read once (one lineage index), whichever series is traced
    assert calls == [[d.id for d in mixed.documents]]
    rows, borrowed = analyses.lineage(selection(mixed, series=SERIES))
    new = rows[rows["document"] == "A-RES-80-229"].set_index("key")
    assert new["status"].value_counts().to_dict() == {"new": 131, "amended": 17, "agreed": 6, "borrowed": 3}
    # "... report of the Secretary-General prepared pursuant to resolution 66/181;" -> "78/229;"
    assert new.loc["OP1", ["status", "previous_document", "previous_key"]].tolist() == \
        ["agreed", "A-RES-67-189", "OP1"]
    assert new.loc["OP1", "similarity"] == pytest.approx(0.9375)
    # the organ-trafficking recall, from the other series' 78th session
    assert new.loc["PP54", ["status", "source_document", "source_key", "source_series"]].tolist() == \
        ["borrowed", "A-RES-78-228", "PP11", trafficking]
    assert borrowed["key"].tolist() == ["PP54", "PP58", "PP63"]
    assert borrowed["similarity"].round(4).tolist() == [0.8059, 0.6278, 0.6409]


def test_a_new_file_extends_the_lineage_index(mixed, memo, monkeypatch, tmp_path):
    # the corpus before 80/228 was added, then the corpus with it, in one dashboard process
    folder = tmp_path / "before"
    folder.mkdir()
    for p in (ROOT / "corpus").iterdir():
        if p.is_file():
            shutil.copy(p, folder)
    for name in ("A_RES_78_228", "A_RES_80_229"):
        shutil.copy(ROOT / "tests" / "fixtures" / "real" / f"{name}.txt", folder)
    before = load_corpus(folder, cache_dir=tmp_path / "cache", workers=1)
    assert len(before.documents) == len(mixed.documents) - 1
    monkeypatch.setattr(analyses, "_last_index", [])
    bases = []
    real = lineage_mod.lineage_index

    def spy(docs, **kwargs):
        bases.append(kwargs.get("previous"))
        return real(docs, **kwargs)
    monkeypatch.setattr(lineage_mod, "lineage_index", spy)
    trafficking = mixed.series.series_of("A-RES-80-228")
    analyses.lineage(selection(before, series=SERIES))
    rows, borrowed = analyses.lineage(selection(mixed, series=trafficking))
    assert bases[0] is None and bases[1] is not None and len(bases) == 2
    members = mixed.series.members(trafficking)
    assert_frame_equal(rows, lineage_mod.paragraph_lineage(members, series=mixed.series, sources=mixed.documents))
    assert rows[rows["document"] == "A-RES-80-228"]["status"].value_counts().to_dict() == \
        {"agreed": 68, "new": 11, "amended": 8}


# --------------------------------------------------------------------------- themes across series

def _analytics(corpus, sessions):
    return analytics_themes_by_series(corpus.documents, series=corpus.series.series_of,
                                      lexicon=corpus.config.themes, sessions=sessions)


@pytest.mark.parametrize("sessions", [None, (63, 67), (65, 66), (67, 67), (61, 62), (0, 10)])
def test_themes_by_series_equal_the_analytics_table(corpus, memo, sessions):
    assert_frame_equal(analyses.themes_by_series(selection(corpus, sessions)), _analytics(corpus, sessions))


def test_themes_by_series_exact_values(corpus, memo):
    def row(sessions, theme):
        t = analyses.themes_by_series(selection(corpus, sessions))
        r = t[t["theme"] == theme].iloc[0]
        return r["series"], int(r["count"]), int(r["documents"]), int(r["first_session"]), int(r["last_session"])
    assert row(None, "cybercrime") == (SERIES, 10, 4, 63, 67)
    assert row((65, 67), "cybercrime") == (SERIES, 9, 3, 65, 67)
    assert analyses.themes_by_series(selection(corpus, (61, 62))).empty


def test_themes_by_series_count_each_document_once(corpus, memo, monkeypatch, tmp_path):
    from benchmarks.generate import generate
    generate(tmp_path / "gen", 60, seed=3)
    gen = load_corpus(tmp_path / "gen", cache_dir=tmp_path / "cache")
    assert len(gen.series.ids) > 1
    calls = counting(monkeypatch, themes_mod, "theme_counts")
    sessions = sorted({d.session for d in gen.documents if d.session is not None})
    ranges = [None, (sessions[2], sessions[-1]), (sessions[0], sessions[-3]), (sessions[4], sessions[6])]
    for rng in ranges:
        got = analyses.themes_by_series(selection(gen, rng, series=None))
        assert len(got) > 0
        assert_frame_equal(got, _analytics(gen, rng))
    assert len(calls) == 1 + len(ranges)                  # one call to count, then the checks above
    assert sorted(calls[0]) == sorted(d.id for d in gen.documents)


# --------------------------------------------------------------------------- the pages

@pytest.fixture()
def app_env(tmp_path, monkeypatch):
    shutil.copytree(ROOT / "corpus", tmp_path / "corpus")
    (tmp_path / "cache").mkdir()
    monkeypatch.setenv("UNRES_CORPUS_DIR", str(tmp_path / "corpus"))
    monkeypatch.setenv("UNRES_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("UNRES_EXPORT_WARMUP", "0")


def _page(params: dict, page: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    at.switch_page(f"views/{page}.py").run()
    assert not at.exception, at.exception
    return at


def test_lineage_page_shows_predecessors_before_the_range(app_env):
    at = _page({"sessions": "63-67", "doc": "A-RES-63-195"}, "lineage")
    metrics = {m.label: m.value for m in at.metric}
    assert (metrics["Paragraphs"], metrics["Agreed language"], metrics["Amended"], metrics["New"]) == \
        ("37", "1", "7", "29")
    table = at.dataframe[0].value
    op1 = table[table["paragraph"] == "OP1"].iloc[0]
    assert (op1["status"], op1["wording first in"]) == ("agreed", "A/RES/60/175 OP1 (session 60)")
    captions = " ".join(c.value for c in at.caption)
    assert "not only those selected" in captions and "not only the sessions and kinds selected" in captions
    # another range: the same rows for 63/195, read from the one series entry
    at.select_slider(key="w_sessions_60_67").set_range(63, 65).run()
    assert not at.exception
    again = at.dataframe[0].value
    assert_frame_equal(again.reset_index(drop=True), table.reset_index(drop=True))


def test_series_page_table_in_a_range(app_env):
    at = _page({"sessions": "65-67", "theme": "cybercrime"}, "series")
    table = at.dataframe[1].value
    assert list(zip(table["count"], table["documents"], table["first_session"], table["last_session"],
                    table["series"])) == [(9, 3, 65, 67, SERIES)]


def test_a_restarted_dashboard_reads_the_filed_theme_counts(app_env, tmp_path, monkeypatch):
    import analytics.memo as memo_mod
    monkeypatch.setattr(memo_mod, "FILE_MIN_DOCUMENTS", 1)     # five documents are filed too
    monkeypatch.setattr(analyses, "memo", lambda m=Memo(): m)
    _page({"theme": "cybercrime"}, "series")
    analyses.memo().wait_filed()
    names = sorted(p.name.split("-")[1] for p in (tmp_path / "cache" / "derived").glob("rows-*.json"))
    assert "themes" in names and len(set(names)) == len(names)
    # a new process: a memo of its own, and counting themes is not allowed
    monkeypatch.setattr(analyses, "memo", lambda m=Memo(): m)
    calls = counting(monkeypatch, themes_mod, "theme_counts")
    at = _page({"theme": "cybercrime"}, "series")
    assert calls == []
    table = at.dataframe[1].value
    assert list(zip(table["count"], table["documents"], table["first_session"], table["last_session"],
                    table["series"])) == [(10, 4, 63, 67, SERIES)]
    # every analysis filed by the first process is read by the second, for all five documents
    assert analyses.memo().stats["document_filed"] == 5 * len(names), names
