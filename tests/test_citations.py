"""Citations: exact sets from the seeds and the real documents, bodies, lists, ranges, and hostile text."""
from pathlib import Path

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


# --- treaty bodies and commissions in the real documents (issue 8, item 4) ------------

REAL = Path(__file__).resolve().parent / "fixtures" / "real"


@pytest.fixture(scope="module")
def real_df():
    from analytics.reader import parse_bytes
    names = ["A_RES_79_190.txt", "A_RES_80_229.txt", "A_C.3_80_L.3.txt", "A_RES_78_228.txt", "A_RES_80_227.txt"]
    return citations([parse_bytes((REAL / n).read_bytes(), source=n) for n in names])


def rows_of(df, document, bodies):
    got = df[(df["document"] == document) & df["body"].isin(bodies)]
    return [(k, c, None if pd.isna(y) else int(y)) for k, c, y in got[["key", "cited", "year"]].values]


def test_79_190_conference_of_the_states_parties(real_df):
    # every COSP citation of the UNCAC resolution, read by hand: "resolution 9/8 of 17 December 2021
    # of the Conference of the States Parties", "Conference resolution 9/4", "resolutions 7/8 ...
    # adopted by the Conference", a group closed by "adopted by the Conference ... at its sixth
    # session" (PP69), "..., of the Conference" after titles (PP70), "the adoption on 29 November
    # 2013 of resolution 5/6 ... by the Conference" (OP59), "all resolutions and decisions of the
    # Conference ..., including resolutions 7/8 ..., as well as resolution 7/5" (OP43)
    assert rows_of(real_df, "A-RES-79-190", [COP, COSP]) == [
        ("PP12", "COSP 9/2", 2021), ("PP16", "COSP 9/8", 2021), ("PP17", "COSP 9/8", None),
        ("PP28", "COSP 10/7", 2023), ("PP30", "COSP 7/2", 2017), ("PP34", "COSP 9/4", 2021),
        ("PP35", "COSP 7/8", 2017), ("PP35", "COSP 8/4", 2019),
        ("PP36", "COSP 7/8", 2017), ("PP36", "COSP 8/4", 2019), ("PP36", "COSP 10/3", 2023),
        ("PP38", "COSP 7/8", None), ("PP38", "COSP 8/4", None),
        ("PP40", "COSP 3/1", 2009), ("PP40", "COSP decision 5/1", 2013), ("PP40", "COSP 6/1", 2015),
        ("PP40", "COSP 8/2", 2019), ("PP40", "COSP decision 8/1", 2019),
        ("PP41", "COSP decision 10/2", 2023), ("PP45", "COSP 9/5", 2021), ("PP57", "COSP 10/6", 2023),
        ("PP61", "COSP 10/12", 2023), ("PP67", "COSP 8/9", 2019),
        ("PP68", "COSP 5/3", 2013), ("PP68", "COSP 6/2", 2015), ("PP68", "COSP 6/3", 2015),
        ("PP68", "COSP 7/1", 2017),
        ("PP69", "COSP 6/2", None), ("PP69", "COSP 6/3", None), ("PP69", "COSP 6/4", 2015),
        ("PP69", "COSP 7/1", None), ("PP69", "COSP 8/1", 2019), ("PP69", "COSP 8/6", 2019),
        ("PP69", "COSP 8/9", None), ("PP69", "COSP 10/7", None),
        ("PP70", "COSP 9/1", 2021), ("PP70", "COSP 10/11", 2023), ("PP71", "COSP 10/4", 2023),
        ("OP3", "COSP decision 10/1", 2023), ("OP26", "COSP 10/4", None),
        ("OP43", "COSP 7/8", None), ("OP43", "COSP 8/4", None), ("OP43", "COSP 10/3", None),
        ("OP43", "COSP 7/5", None),
        ("OP59", "COSP 5/6", 2013), ("OP59", "COSP 6/5", 2015), ("OP59", "COSP 10/12", None),
        ("OP60", "COSP 10/12", None), ("OP64", "COSP 9/4", None), ("OP67", "COSP 10/10", 2023),
    ]


def test_80_229_and_its_draft_treaty_bodies_and_commission(real_df):
    bodies = [COP, COSP, CCPCJ]
    adopted = [
        ("PP13", "COP 11/2", 2022), ("PP13", "COP 12/2", 2024),
        ("PP18", "CCPCJ resolution 25/2", 2016), ("PP40", "CCPCJ resolution 26/3", 2017),
        ("PP47", "CCPCJ resolution 34/2", 2025),
        ("PP56", "CCPCJ resolution 30/1", 2021), ("PP56", "CCPCJ resolution 34/3", 2025),
        ("PP67", "CCPCJ resolution 27/5", 2018), ("PP67", "COP 11/4", 2022),
        # "resolutions 10/6 of ... and 11/3 of ... of the Conference of the Parties ..., and
        # resolution 8/12 of ... of the Conference of the States Parties"
        ("PP71", "COP 10/6", 2020), ("PP71", "COP 11/3", 2022), ("PP71", "COSP 8/12", 2019),
        # "resolution 12/4 of 18 October 2024 on ... Organized Crime of the Conference of the Parties"
        ("PP72", "COP 12/4", 2024),
        ("PP75", "CCPCJ resolution 28/3", 2019), ("PP75", "CCPCJ resolution 31/1", 2022),
        ("OP6", "COP 10/4", 2020), ("OP7", "COP 9/1", 2018), ("OP7", "COP 10/1", 2020),
        ("OP52", "CCPCJ resolution 34/1", 2025), ("OP54", "COP 11/4", None),
    ]
    assert rows_of(real_df, "A-RES-80-229", bodies) == adopted
    # the draft has no PP13 recommendation (added on adoption) and numbers its paragraphs differently
    draft = {"PP18": "PP18", "PP40": "PP37", "PP47": "PP44", "PP56": "PP53", "PP67": "PP62", "PP71": "PP66",
             "PP72": "PP67", "PP75": "PP70", "OP6": "OP6", "OP7": "OP7", "OP52": "OP47", "OP54": "OP49"}
    assert rows_of(real_df, "A-C.3-80-L.3", bodies) == [(draft[k], c, y) for k, c, y in adopted if k in draft]


def test_78_228_and_80_227_conference_of_the_parties(real_df):
    # "resolutions 10/1 of 16 October 2020, entitled “...”, and 10/3, also of 16 October 2020, entitled
    # “...”, adopted by the Conference of the Parties at its tenth session, ..., and of resolution 11/5"
    assert rows_of(real_df, "A-RES-78-228", [COP, COSP]) == [
        ("PP47", "COP 10/1", 2020), ("PP47", "COP 10/3", 2020), ("PP47", "COP 11/5", 2022)]
    # "Conference of the Parties to the United Nations Convention on [sic] Transnational Organized Crime
    # resolutions 10/6 ..., 11/3 ... and 12/4"
    assert rows_of(real_df, "A-RES-80-227", [COP, COSP]) == [
        ("PP6", "COP 10/6", 2020), ("PP6", "COP 11/3", 2022), ("PP6", "COP 12/4", 2024),
        ("PP7", "COSP 8/12", 2019), ("OP18", "COP 12/4", None)]


# Clean paragraph texts as the reader gives them once running heads and footnote marks are gone
# (copied from the documents; the page break of each is noted).
PP75_80_229 = (  # pages 13-14: footnotes 43-46 and the running head fall after "Criminal Justice"
    "Recalling the adoption of its resolutions 71/326 of 11 September 2017, 73/343 of 16 September 2019, "
    "75/311 of 23 July 2021, 77/325 of 25 August 2023 and 79/313 of 30 June 2025 on tackling illicit "
    "trafficking in wildlife, reaffirming its resolution 80/227 of 18 December 2025 on tackling illicit "
    "trafficking in wild fauna and flora, including timber and timber products, the illegal mining of and "
    "illicit trafficking in minerals and precious metals, illicit trafficking in waste and other crimes that "
    "affect the environment, and recalling Commission on Crime Prevention and Criminal Justice resolutions "
    "28/3 of 24 May 2019 and 31/1 of 20 May 2022, and taking note of the report pursuant to Commission "
    "resolution 31/1 submitted to the Commission at its thirty-second session in May 2023 compiling "
    "responses received from Member States,")
PP67_L3 = (  # pages 11-12: the page break falls between "of the Conference" and "of the Parties"
    "Welcoming resolution 12/4 of 18 October 2024 on enhancing measures to prevent and combat crimes that "
    "affect the environment falling within the scope of the United Nations Convention against Transnational "
    "Organized Crime of the Conference of the Parties to the United Nations Convention against Transnational "
    "Organized Crime, and the discussions held at the first meeting of the expert group established "
    "pursuant thereto,")
PP45_80_229_TAIL = (  # pages 8-9
    "and its resolution 79/188 of 17 December 2024 on preventing and countering violence against children "
    "by organized criminal groups and terrorist groups in the field of crime prevention and criminal "
    "justice, and welcoming Economic and Social Council resolution 2024/12 of 23 July 2024 on the treatment "
    "of children associated with terrorist groups, including children who are recruited and exploited by "
    "those groups,")
PP56_80_229_TAIL = (
    "as well as Economic and Social Council resolutions 2014/23 of 16 July 2014, 2015/23 of 21 July 2015, "
    "2017/18 of 6 July 2017 and 2021/25 of 22 July 2021 and Commission on Crime Prevention and Criminal "
    "Justice resolutions 30/1 of 21 May 2021 and 34/3 of 23 May 2025,")


def test_clean_paragraphs_across_page_breaks():
    assert paragraph_citations(PP75_80_229, session=80) == [
        ("71/326", GA, 2017), ("73/343", GA, 2019), ("75/311", GA, 2021), ("77/325", GA, 2023),
        ("79/313", GA, 2025), ("80/227", GA, 2025),
        ("CCPCJ resolution 28/3", CCPCJ, 2019), ("CCPCJ resolution 31/1", CCPCJ, 2022)]
    assert paragraph_citations(PP67_L3) == [("COP 12/4", COP, 2024)]
    assert paragraph_citations(PP45_80_229_TAIL) == [("79/188", GA, 2024), ("ECOSOC 2024/12", ECOSOC, 2024)]


ECOSOC_CCPCJ_56 = [("ECOSOC 2014/23", ECOSOC, 2014), ("ECOSOC 2015/23", ECOSOC, 2015),
                   ("ECOSOC 2017/18", ECOSOC, 2017), ("ECOSOC 2021/25", ECOSOC, 2021),
                   ("CCPCJ resolution 30/1", CCPCJ, 2021), ("CCPCJ resolution 34/3", CCPCJ, 2025)]


@pytest.mark.parametrize("text,expected", [
    (PP56_80_229_TAIL, ECOSOC_CCPCJ_56),
    # as printed: footnote 27 glued to the year ("21 May 202127"), 28 after the comma
    (PP56_80_229_TAIL.replace("21 May 2021 and", "21 May 202127 and").replace("2025,", "2025,28"),
     ECOSOC_CCPCJ_56),
    (PP56_80_229_TAIL.replace("21 May 2021 and", "21 May 202114 and"), ECOSOC_CCPCJ_56),
    # 79/190 PP35: "10 November 201716 and 8/4 of 20 December 201917 adopted by the Conference"
    ("the need to effectively implement resolutions 7/8 of 10 November 201716 and 8/4 of 20 December 201917 "
     "adopted by the Conference of the States Parties to the Convention,",
     [("COSP 7/8", COSP, 2017), ("COSP 8/4", COSP, 2019)]),
    # 79/190 PP68: a spaced mark between two symbols ("2013, 24 6/2") and marks glued to years
    ("contained in resolutions 5/3 of 29 November 2013, 24 6/2 and 6/3 of 6 November 201525 and 7/1 of "
     "10 November 201726 of the Conference of the States Parties to the Convention to develop guidelines,",
     [("COSP 5/3", COSP, 2013), ("COSP 6/2", COSP, 2015), ("COSP 6/3", COSP, 2015), ("COSP 7/1", COSP, 2017)]),
    # 80/227 PP6 as printed: "2020, 2  11/3 of 21 October 20223 and 12/4 of 18 October 2024,4 on"
    ("Recalling Conference of the Parties to the United Nations Convention on Transnational Organized Crime "
     "resolutions 10/6 of 16 October 2020, 2  11/3 of 21 October 20223 and 12/4 of 18 October 2024,4 on "
     "tackling crimes that affect the environment,",
     [("COP 10/6", COP, 2020), ("COP 11/3", COP, 2022), ("COP 12/4", COP, 2024)]),
    # 78/210 PP2 as printed
    ("Recalling Human Rights Council resolutions 34/8 of 23 March 2017, 4  35/34 of 23 June 2017, 5  37/27 of "
     "23 March 2018,6 40/16 of 22 March 20197, 42/18 of 26 September 2019,8 45/11 of 6 October 20209 and "
     "51/24 of 7 October 2022,",
     [("HRC resolution 34/8", HRC, 2017), ("HRC resolution 35/34", HRC, 2017), ("HRC resolution 37/27", HRC, 2018),
      ("HRC resolution 40/16", HRC, 2019), ("HRC resolution 42/18", HRC, 2019), ("HRC resolution 45/11", HRC, 2020),
      ("HRC resolution 51/24", HRC, 2022)]),
])
def test_years_with_and_without_footnote_marks(text, expected):
    assert paragraph_citations(text) == expected


@pytest.mark.parametrize("text,expected", [
    # the body named later in the sentence, for symbols that cannot be the Assembly's
    ("Recalling resolution 6/2 on asset recovery and resolution 6/4 of 6 November 2015 on civil proceedings, "
     "adopted by the Conference of the States Parties to the United Nations Convention against Corruption,",
     [("COSP 6/2", COSP, None), ("COSP 6/4", COSP, 2015)]),
    ("Recalling resolution 9/1 of 15 December 2021, entitled “Sharm el-Sheikh declaration”, of the Conference "
     "of the States Parties to the United Nations Convention against Corruption,", [("COSP 9/1", COSP, 2021)]),
    ("Recalls the adoption on 29 November 2013 of resolution 5/6 on the private sector by the Conference of "
     "the States Parties to the United Nations Convention against Corruption;", [("COSP 5/6", COSP, 2013)]),
    ("Urges States to implement all resolutions and decisions of the Conference of the Parties to the United "
     "Nations Convention against Transnational Organized Crime, including resolutions 10/1 and 10/3;",
     [("COP 10/1", COP, None), ("COP 10/3", COP, None)]),
    # an Assembly resolution keeps its own body; the later "adopted by" is the next symbol's
    ("Recalling its resolution 70/1 and resolution 9/1, adopted by the Conference of the Parties to the United "
     "Nations Convention against Transnational Organized Crime,", [("70/1", GA, None), ("COP 9/1", COP, None)]),
    ("Recalling resolution 10/10 of 15 December 2023 of the Conference of States Parties to the Convention,",
     [("COSP 10/10", COSP, 2023)]),
])
def test_treaty_body_wordings(text, expected):
    assert paragraph_citations(text) == expected


@pytest.mark.parametrize("text", [
    # "of the Conference" after a common noun: the Conference is not the author
    "Recalling resolution 9/1 of 15 December 2021 on the review, and the work of the Conference of the States "
    "Parties to the United Nations Convention against Corruption,",
    "Recalling resolution 9/1, and the eleventh session of the Conference of the Parties,",
    # "by the Conference" without "the adoption of": not an author either
    "Recalling resolution 9/1 on the review mechanism used by the Conference of the Parties,",
    # adopted by some organ this module does not know
    "Recalling resolution 12/4 of 18 October 2024, adopted by the World Health Assembly,",
    # dated before the Commission first met (1992)
    "Recalling Commission on Crime Prevention and Criminal Justice resolution 1/1 of 21 April 1990,",
])
def test_hostile_treaty_body_wordings(text):
    assert paragraph_citations(text) == []


def test_sentence_body_runs_on_but_not_past_a_dated_mismatch():
    text = ("Recalling Commission on Crime Prevention and Criminal Justice resolution 25/1, and resolution 5/1 of "
            "22 October 1990 on the review,")
    assert paragraph_citations(text) == [("CCPCJ resolution 25/1", CCPCJ, None)]
    # a semicolon ends the sentence the body runs through
    text = ("Welcomes Conference of the Parties resolution 10/1 of 16 October 2020; and recalls resolution 9/1 "
            "on the review,")
    assert paragraph_citations(text) == [("COP 10/1", COP, 2020)]


# --- the series' own predecessors -------------------------------------------------------------

def test_series_predecessors_of_the_bundled_series(corpus):
    from analytics.citations import CHAIN_COLUMNS, series_predecessors
    sid = corpus.series.largest()
    chain = series_predecessors(citations(corpus.documents), documents=corpus.documents, series=corpus.series,
                                series_id=sid)
    assert list(chain.columns) == CHAIN_COLUMNS
    assert list(chain["cited"]) == ["59/159", "62/175", "65/232"]
    assert list(chain["cited_session"]) == [59, 62, 65]
    assert list(chain["cited_by"]) == ["A/RES/60/175, preambular para. 2", "A/RES/63/195, preambular para. 1",
                                       "66th session draft, preambular para. 1"]
    assert list(chain["citing_session"]) == [60, 63, 66]
    # 59/159 and 62/175 are not in the corpus: theirs because the citing paragraph names the title
    assert list(chain["in_corpus"]) == [False, False, True]
    assert list(chain["note"]) == ["add A/RES/59/159 to see it", "add A/RES/62/175 to see it",
                                   "in the corpus (A-RES-65-232)"]
    # an ECOSOC resolution is never a predecessor, nor is anything without a series
    assert series_predecessors(citations(corpus.documents), documents=corpus.documents, series=corpus.series,
                               series_id=None).empty


def test_series_predecessors_leave_out_other_series_in_the_corpus(tmp_path):
    import shutil

    from analytics.citations import series_predecessors
    from analytics.corpus import load_corpus
    root = Path(__file__).resolve().parent.parent
    folder = tmp_path / "corpus"
    shutil.copytree(root / "corpus", folder)
    for p in (root / "tests" / "fixtures" / "real").glob("A_*.txt"):
        shutil.copy(p, folder / p.name)
    corpus = load_corpus(folder, cache_dir=tmp_path / "cache", workers=1)
    sid = corpus.series.largest()
    rows = citations(corpus.series.members(sid))
    assert "79/190" in set(rows["cited"])               # A/RES/80/229 recalls the corruption resolution
    chain = series_predecessors(rows, documents=corpus.documents, series=corpus.series, series_id=sid)
    assert list(chain["cited"]) == ["59/159", "62/175", "65/232"]


def test_names_title_needs_most_of_the_title_right_after_the_symbol():
    from analytics.citations import names_title, title_words
    words = title_words("Strengthening the United Nations crime prevention and criminal justice programme")
    assert words == {"strengthening", "united", "nations", "crime", "prevention", "criminal", "justice",
                     "programme"}
    recall = ("Recalling its resolution 62/175 of 18 December 2007 on strengthening the United Nations crime "
              "prevention and criminal justice programme")
    assert names_title(recall, "62/175", words)
    assert not names_title("Recalling its resolution 62/175 of 18 December 2007 on the world drug problem",
                           "62/175", words)
    assert not names_title(recall, "62/17", words)          # a symbol is matched whole
    assert not names_title(recall, "62/175", set())


# The prefilters of `_text_info` (a plain `in` test before each look-behind pattern) must
# never turn down a text the patterns would match: the case-insensitive trigger takes
# U+0130, U+0131 and U+017F for letters of "resolution"/"decision", which `str.lower` keeps
# apart from ASCII.
@pytest.mark.parametrize("text", [
    "Recalling its resolution 60/1 of 16 September 2005,",
    "Recalling its RESOLUTION 60/1,",
    "Recalling its reſolution 60/1,",          # long s
    "Recalling its resolutıon 60/1,",          # dotless i
    "Recalling its RESOLUTİON 60/1,",          # capital I with dot
    "Recalling decİsion 2005/1 of the Economic and Social Council,",
    "Welcoming the work of the Commission on Crime Prevention and Criminal Justice,",
    "Noting the report of the Secretary-General,",
])
def test_text_info_prefilters_agree_with_the_patterns(text):
    from analytics.citations import _GENERIC_WORD, _TRIGGER, _body_of, _patterns, _text_info
    p = _patterns()
    unfiltered = (_TRIGGER.search(text) is not None, _GENERIC_WORD.search(text) is not None,
                  tuple(_body_of(m, p) for m in p.full_names.finditer(text)))
    assert _text_info(text) == unfiltered
    assert unfiltered[0] == ("60/1" in text or "2005/1" in text)
