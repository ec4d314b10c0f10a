"""Citations: exact sets from the seeds, bodies, lists, ranges, and hostile text."""
import pandas as pd
import pytest

from analytics.citations import (CCPCJ, CND, COLUMNS, COP, COSP, ECOSOC, GA, HRC, SC,
                                 citation_counts, citations, paragraph_citations)
from analytics.records import Paragraph, Resolution


def make_doc(preambular=(), operative=(), *, footnotes=(), id="A-RES-70-1", symbol="A/RES/70/1",
             session=70):
    pp = tuple(Paragraph("preambular", i, None, t.split()[0], t) for i, t in enumerate(preambular, 1))
    op = tuple(Paragraph("operative", i, i, t.split()[0], t) for i, t in enumerate(operative, 1))
    return Resolution(id=id, symbol=symbol, session=session, year=None, date=None,
                      kind="resolution", title="t", sponsors=(), agenda_item=None,
                      committee_report=None, plenary_meeting=None, keywords=(), source="x.txt",
                      sha256="0", preambular=pp, operative=op, footnotes=tuple(footnotes))


def cited_in(df, document, key):
    return df.loc[(df["document"] == document) & (df["key"] == key), "cited"].tolist()


@pytest.fixture(scope="module")
def seed_df(corpus):
    return citations(corpus.documents)


# --- the seeds ----------------------------------------------------------------

def test_63_195_paragraphs(seed_df):
    assert cited_in(seed_df, "A-RES-63-195", "PP1") == ["46/152", "62/175"]
    assert cited_in(seed_df, "A-RES-63-195", "OP7") == ["ECOSOC 2007/12", "ECOSOC 2007/19"]
    # "Economic and Social Council resolutions, in particular resolutions 2008/23, 2008/24 and 2008/25"
    assert cited_in(seed_df, "A-RES-63-195", "PP12") == ["ECOSOC 2008/23", "ECOSOC 2008/24", "ECOSOC 2008/25"]
    # "decision 16/1 of 27 April 2007 of the Commission on Crime Prevention and Criminal Justice"
    assert cited_in(seed_df, "A-RES-63-195", "PP11") == ["CCPCJ decision 16/1"]
    assert cited_in(seed_df, "A-RES-63-195", "PP14") == ["ECOSOC decision 2007/253"]
    assert cited_in(seed_df, "A-RES-63-195", "OP14") == ["CCPCJ decision 17/1"]
    assert cited_in(seed_df, "A-RES-63-195", "OP17") == ["CCPCJ decision 17/2"]  # "Commission decision"
    # footnotes cite 60/288, 60/177 and 52/86: not body text
    cited = set(seed_df.loc[seed_df["document"] == "A-RES-63-195", "cited"])
    assert not cited & {"60/288", "60/177", "52/86"}


def test_65_232_paragraphs(seed_df):
    assert cited_in(seed_df, "A-RES-65-232", "PP1") == [
        "46/152", "60/1", "60/177", "61/252", "64/178", "64/179", "64/237"]
    assert cited_in(seed_df, "A-RES-65-232", "PP7") == [
        "55/25", "58/17", "61/52", "64/78", "ECOSOC 2008/23"]
    # "the Commission on Crime Prevention and Criminal Justice in its resolution 18/1"
    assert cited_in(seed_df, "A-RES-65-232", "OP33") == ["CCPCJ resolution 18/1"]
    assert cited_in(seed_df, "A-RES-65-232", "OP32") == ["CCPCJ decision 17/1"]


def test_67_189_paragraphs(seed_df):
    # a range: its endpoints as written, nothing invented between them
    assert cited_in(seed_df, "A-RES-67-189", "PP9") == ["ECOSOC 2012/12", "ECOSOC 2012/19"]
    # "resolution 6/2 of 19 October 2012 ..., adopted by the Conference of the Parties"
    assert cited_in(seed_df, "A-RES-67-189", "PP14") == ["COP 6/2"]
    assert cited_in(seed_df, "A-RES-67-189", "PP7") == ["ECOSOC 2012/17"]  # "...Council of its resolution"
    assert cited_in(seed_df, "A-RES-67-189", "OP34") == ["SC 1373 (2001)"]
    assert cited_in(seed_df, "A-RES-67-189", "PP4") == ["65/187", "65/228"]


def test_draft_66_body_continues_through_list(seed_df):
    assert cited_in(seed_df, "draft-66", "PP9") == [
        "58/17", "61/52", "64/78",
        "ECOSOC 2003/29", "ECOSOC 2004/34", "ECOSOC 2008/23", "ECOSOC 2010/19"]


def test_seed_bodies_and_years(seed_df):
    row = lambda d, k, c: seed_df[(seed_df.document == d) & (seed_df.key == k) & (seed_df.cited == c)].iloc[0]
    r = row("A-RES-65-232", "PP1", "64/178")       # "64/178 and 64/179 of 18 December 2009"
    assert (r.body, r.year, r.part, r.number) == (GA, 2009, "preambular", 1)
    assert pd.isna(row("A-RES-63-195", "OP1", "62/175").year)   # no date printed
    assert row("A-RES-63-195", "PP1", "46/152").year == 1991
    r = row("A-RES-60-175", "OP4", "SC 1373 (2001)")
    assert (r.body, r.year, r.number, r.key) == (SC, 2001, 4, "OP4")
    assert row("A-RES-67-189", "PP14", "COP 6/2").body == COP
    assert row("A-RES-63-195", "OP17", "CCPCJ decision 17/2").body == CCPCJ
    assert row("A-RES-63-195", "OP7", "ECOSOC 2007/12").body == ECOSOC


def test_seed_totals(seed_df):
    # every symbol printed in the seeds' paragraphs, counted by hand from the texts
    assert seed_df.groupby("document").size().to_dict() == {
        "A-RES-60-175": 14, "A-RES-63-195": 19, "A-RES-65-232": 22, "draft-66": 28, "A-RES-67-189": 19}
    assert list(seed_df.columns) == COLUMNS
    assert seed_df["document"].drop_duplicates().tolist() == [
        "A-RES-60-175", "A-RES-63-195", "A-RES-65-232", "draft-66", "A-RES-67-189"]
    assert seed_df.loc[seed_df.document == "draft-66", "symbol"].map(lambda s: s is None).all()


def test_citation_counts(seed_df):
    counts = citation_counts(seed_df)
    top = counts.iloc[0]
    assert (top.cited, top.body, top.documents, top.mentions, top.first_session, top.last_session) == (
        "46/152", GA, 5, 5, 60, 67)
    assert counts.set_index("cited").loc["ECOSOC 2008/23", "documents"] == 3
    assert citation_counts(seed_df.iloc[:0]).empty


# --- hand-made paragraphs ------------------------------------------------------

@pytest.mark.parametrize("text,expected", [
    ("Recalling Human Rights Council resolution 7/1,", [("HRC resolution 7/1", HRC, None)]),
    ("Recalling resolution 5/1 of 22 October 2010 of the Conference of the Parties to the United "
     "Nations Convention against Transnational Organized Crime,", [("COP 5/1", COP, 2010)]),
    ("Welcoming the Conference of the States Parties to the United Nations Convention against "
     "Corruption in its resolution 3/1,", [("COSP 3/1", COSP, None)]),
    ("Taking note of Commission on Narcotic Drugs resolution 51/1 of 14 March 2008 and Commission "
     "resolution 51/2,", [("CND resolution 51/1", CND, 2008), ("CND resolution 51/2", CND, None)]),
    ("Recalling its resolutions 64/178 and 65/169 of 20 December 2010,",
     [("64/178", GA, None), ("65/169", GA, 2010)]),       # a date is not shared across sessions
    ("Bearing in mind Economic and Social Council resolutions 2012/12 to 2012/19,",
     [("ECOSOC 2012/12", ECOSOC, 2012), ("ECOSOC 2012/19", ECOSOC, 2012)]),
    ("Recalling Security Council resolution 1373 (2001) and General Assembly resolution S-20/2,",
     [("SC 1373 (2001)", SC, 2001), ("S-20/2", GA, None)]),
    ("Recalling General Assembly decision 63/550,", [("GA decision 63/550", GA, None)]),
])
def test_paragraph_citations(text, expected):
    assert paragraph_citations(text) == expected


@pytest.mark.parametrize("text", [
    "Taking note of the reports A/63/99, E/CN.15/2012/17 and CTOC/COP/2012/15,",
    "Recalling the strategy for the period 2008/2011 and the year 2008-2011,",
    "Recalling World Health Assembly resolution 58/29,",                 # an organ not known here
    "Recalling resolution 5/1 of 22 October 2010 on the review,",       # GA 5/1 would be 1950-51
    "Recalling the report contained in document A/60/1, paragraph 36 above and article 14,",
    "Noting that 172 States are parties to the Convention, vol. 2225, No. 39574,",
    "Recalling resolution 18/1,",            # no Assembly resolution is numbered 18/1
    "Recalling General Assembly resolution 5/1,",
    "Recalling Economic and Social Council resolution 1296 (XLIV) and resolution 1975/12,",
])
def test_hostile_paragraphs(text):
    assert paragraph_citations(text) == []


def test_possessive_body_and_later_session():
    text = ("Recalling the work of the Commission on Crime Prevention and Criminal Justice and the "
            "Commission's resolution 18/1,")
    assert paragraph_citations(text) == [("CCPCJ resolution 18/1", CCPCJ, None)]
    assert paragraph_citations("Recalling its resolution 68/1,", session=67) == []
    assert paragraph_citations("Recalling its resolution 67/1,", session=67) == [("67/1", GA, None)]


def test_commission_resolves_across_paragraphs():
    doc = make_doc(preambular=["Noting the work of the Commission on Narcotic Drugs,",
                               "Recalling Commission resolution 51/1,"])
    assert citations([doc])[["cited", "body", "key"]].values.tolist() == [
        ["CND resolution 51/1", CND, "PP2"]]


def test_footnotes_are_not_read():
    doc = make_doc(preambular=["Recalling the Global Counter-Terrorism Strategy,"],
                   footnotes=["1 Resolution 60/288.", "2 See Economic and Social Council resolution 2007/12."])
    assert citations([doc]).empty


def test_frame_order_and_options():
    late = make_doc(preambular=["Recalling its resolution 62/175,"],
                    operative=["Requests a report pursuant to resolution 63/195;"],
                    id="A-RES-71-1", symbol="A/RES/71/1", session=71)
    early = make_doc(operative=["Recalls its resolution 46/152;"], id="A-RES-69-1", symbol="A/RES/69/1",
                     session=69)
    df = citations([late, early])
    assert df[["document", "cited", "part", "number", "key"]].values.tolist() == [
        ["A-RES-69-1", "46/152", "operative", 1, "OP1"],
        ["A-RES-71-1", "62/175", "preambular", 1, "PP1"],
        ["A-RES-71-1", "63/195", "operative", 1, "OP1"],
    ]
    assert citations([late], parts=("operative",))["cited"].tolist() == ["63/195"]
    with pytest.raises(TypeError):
        citations([late], ("operative",))
