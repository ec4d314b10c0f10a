"""Party counts: exact figures from the seeds and the real documents, and nothing from anything else."""
import json
from pathlib import Path

import pytest

from analytics.records import Paragraph, Resolution
from analytics.treaties import (COLUMNS, LEXICON, MAX_PARTIES, load_lexicon, paragraph_figures,
                                treaty_figures)

UNTOC = "United Nations Convention against Transnational Organized Crime"
UNCAC = "United Nations Convention against Corruption"


def make_doc(preambular=(), operative=(), *, id="A-RES-70-1", symbol="A/RES/70/1", session=70):
    """A small Resolution built by hand; leads are the first word."""
    pp = tuple(Paragraph("preambular", i, None, t.split()[0], t) for i, t in enumerate(preambular, 1))
    op = tuple(Paragraph("operative", i, i, t.split()[0], t) for i, t in enumerate(operative, 1))
    return Resolution(id=id, symbol=symbol, session=session, year=None, date=None,
                      kind="resolution", title="t", sponsors=(), agenda_item=None,
                      committee_report=None, plenary_meeting=None, keywords=(), source="x.txt",
                      sha256="0", preambular=pp, operative=op, footnotes=())


def figures(text):
    return [(c.short, n) for c, n, _ in paragraph_figures(text)]


# --- the seeds ---------------------------------------------------------------

def test_seed_figures_exact(corpus):
    df = treaty_figures(corpus.documents)
    got = df[["document", "session", "short", "parties", "part", "number", "key"]].values.tolist()
    assert got == [
        ["A-RES-65-232", 65, "UNTOC", 158, "operative", 24, "OP24"],
        ["draft-66", 66, "UNTOC", 164, "operative", 3, "OP3"],
        ["A-RES-67-189", 67, "UNTOC", 172, "operative", 3, "OP3"],
    ]
    assert set(df["convention"]) == {UNTOC}
    # absent, never zero
    assert not df["document"].isin(["A-RES-60-175", "A-RES-63-195"]).any()
    assert list(df.columns) == COLUMNS
    assert df["parties"].dtype == "int64" and df["number"].dtype == "int64"
    assert df.loc[df["document"] == "draft-66", "symbol"].item() is None


def test_seed_quotes(docs):
    df = treaty_figures([docs["A-RES-67-189"], docs["A-RES-65-232"]])
    q = dict(zip(df["document"], df["quote"]))
    assert q["A-RES-67-189"] == (
        "Notes with appreciation that the number of States parties to the United Nations "
        "Convention against Transnational Organized Crime has reached 172, which is a significant "
        "indication of the commitment shown by the international community to combat "
        "transnational organized crime")
    # 65/232 prints the figure in words (its hyphen lost in the source)
    assert "has reached one hundred and fifty" in q["A-RES-65-232"]
    assert q["A-RES-65-232"].startswith("Notes with appreciation that the number of States parties")


def test_seed_hyphen_lost_wording_raw():
    # seed 004 as printed, before any repair by the reader
    text = ("Notes with appreciation that the number of States parties to the United Nations "
            "Convention against Transnational Organized Crime has reached one hundred and "
            "fiftyeight, which is a good indication of the commitment shown by the international "
            "community to combat this phenomenon;")
    assert figures(text) == [("UNTOC", 158)]


# --- constructions -------------------------------------------------------------

@pytest.mark.parametrize("text,expected", [
    (f"Notes that the number of States parties to the {UNTOC} has reached one hundred and\n"
     "sixty-\nfour;", [("UNTOC", 164)]),
    (f"Noting that 140 States have ratified or acceded to the {UNCAC},", [("UNCAC", 140)]),
    (f"Noting that one hundred and forty States have ratified, accepted, approved or acceded to the {UNCAC},",
     [("UNCAC", 140)]),
    (f"Noting that the {UNCAC} has been ratified by 140 States,", [("UNCAC", 140)]),
    (f"Welcoming the {UNCAC}, which now has 140 States parties,", [("UNCAC", 140)]),
    (f"Noting that there are 140 States parties to the {UNCAC},", [("UNCAC", 140)]),
    # "the number of States parties has reached N" after naming the convention
    (f"Welcoming the entry into force of the {UNCAC}, and noting that the number of States "
     "parties has reached 140,", [("UNCAC", 140)]),
    # "the Convention" is the last convention named in the paragraph
    (f"Recalling the {UNTOC}, and welcoming the {UNCAC}, noting that the number of States "
     "parties to the Convention has reached 140,", [("UNCAC", 140)]),
    (f"Noting the Protocol to Prevent, Suppress and Punish Trafficking in Persons, Especially Women "
     f"and Children, supplementing the {UNTOC}, and that the number of States parties to the "
     "Convention has reached 147;", [("UNTOC", 147)]),
    ("Notes that the number of States parties to the Protocol against the Smuggling of Migrants by "
     "Land, Sea and Air has reached 120;", [("Smuggling of Migrants Protocol", 120)]),
    ("Notes that the number of States parties to the United Nations Convention against Illicit "
     "Traffic in Narcotic Drugs and Psychotropic Substances of 1988 has reached 183;",
     [("1988 Convention", 183)]),
    (f"Notes that the number of States parties to the {UNCAC} has increased from 140 to 158;",
     [("UNCAC", 158)]),
    (f"Notes that the number of States parties to the {UNCAC} (Merida Convention)3 has reached 140;",
     [("UNCAC", 140)]),
    (f"Notes that the number of ratifications and accessions to the {UNCAC} has reached 100;",
     [("UNCAC", 100)]),
])
def test_constructions(text, expected):
    assert figures(text) == expected


# --- hostile: numbers that are not party counts ---------------------------------

@pytest.mark.parametrize("text", [
    # resolution numbers, dates, years
    f"Recalling its resolution 46/152 of 18 December 1991 on the {UNTOC},",
    f"Noting that the {UNTOC} entered into force on 29 September 2003 and that the number of "
    "States parties has reached a new level in 2010,",
    f"Noting that the number of States parties to the {UNTOC} has reached, as at 1 December 2010, a high level,",
    # treaty-series references
    f"Recalling the {UNTOC}, United Nations, Treaty Series, vol. 2225, No. 39574, and its parties,",
    f"Noting the States parties to the {UNTOC}, vols. 2225, 2237, 2241 and 2326, No. 39574,",
    # paragraph and article numbers
    f"Requests the Secretary-General to include in the report referred to in paragraph 36 above "
    f"information on the status of ratifications of the {UNTOC};",
    f"Urges States parties to use the {UNTOC} in accordance with article 14, paragraph 2, of the Convention;",
    # session ordinals
    f"Welcomes the outcome of the sixth session of the Conference of the Parties to the {UNTOC} "
    "and the sixty-fourth session;",
    f"Notes that the Conference of the States Parties to the {UNCAC} at its fourth session has "
    "reached agreement;",
    # Security Council resolution
    f"Recalling Security Council resolution 1373 (2001) and the {UNTOC}, ratified by States,",
    # counts that are not the total
    f"Noting that since 2010, 12 States have ratified the {UNCAC},",
    f"Noting that an additional 12 States have ratified the {UNCAC},",
    f"Welcoming the {UNCAC}, noting that 15 States parties have submitted reports,",
    f"Welcoming the {UNCAC}, and noting that there are 15 States parties that have not yet reported,",
    f"Notes that the number of States parties to the {UNCAC} has reached 50 per cent of the membership;",
    # subject is not the convention
    "Noting that the amendment to the Convention on the Rights of the Child has been ratified by 150 States,",
    # two conventions named side by side: "the number" is ambiguous
    f"Welcoming the {UNTOC} and the {UNCAC}, and noting that the number of States parties has reached 140,",
    # no convention named in the paragraph, or one not in the lexicon
    "Noting that the number of States parties to the Convention has reached 140,",
    "Noting that the number of States parties to the Convention on Biological Diversity has reached 190,",
    # implausible counts
    f"Notes that the number of States parties to the {UNCAC} has reached 2011;",
    # bounds and estimates are not figures
    f"Noting that over 140 States have ratified the {UNCAC},",
    f"Noting that nearly one hundred and forty States have ratified the {UNCAC},",
    f"Noting that more than 140 States have ratified the {UNCAC},",
    f"Noting that at least 140 States have ratified the {UNCAC},",
    # ratifications alone, or accessions alone, are not all the parties
    f"Notes that the number of ratifications of the {UNCAC} has reached 100;",
    f"Notes that the number of accessions to the {UNCAC} has reached 40;",
    # signatures are not parties
    f"Noting that 140 States have signed the {UNCAC},",
    # ordinals and number words inside other words
    f"Notes that the number of States parties to the {UNCAC} has reached its sixty-fourth;",
])
def test_hostile_paragraphs_give_nothing(text):
    assert figures(text) == []


# --- frame ---------------------------------------------------------------------

def test_frame_order_parts_and_numbers():
    late = make_doc(preambular=[f"Noting that the {UNCAC} has been ratified by 140 States,"],
                    operative=["Requests a report;",
                               f"Notes that the number of States parties to the {UNTOC} has reached 172;"],
                    id="A-RES-71-1", symbol="A/RES/71/1", session=71)
    early = make_doc(operative=[f"Notes that the number of States parties to the {UNTOC} has reached 150;"],
                     id="A-RES-69-1", symbol="A/RES/69/1", session=69)
    df = treaty_figures([late, early])
    assert df[["document", "short", "parties", "part", "number", "key"]].values.tolist() == [
        ["A-RES-69-1", "UNTOC", 150, "operative", 1, "OP1"],
        ["A-RES-71-1", "UNCAC", 140, "preambular", 1, "PP1"],
        ["A-RES-71-1", "UNTOC", 172, "operative", 2, "OP2"],
    ]
    assert df.loc[1, "convention"] == UNCAC
    assert df.loc[1, "quote"] == f"Noting that the {UNCAC} has been ratified by 140 States"


def test_empty_input_has_columns():
    df = treaty_figures([])
    assert list(df.columns) == COLUMNS and df.empty
    assert treaty_figures([make_doc(operative=["Requests a report;"])]).empty


def test_max_parties_option():
    doc = make_doc(operative=[f"Notes that the number of States parties to the {UNTOC} has reached 172;"])
    assert treaty_figures([doc], max_parties=150).empty
    with pytest.raises(TypeError):
        treaty_figures([doc], 150)  # options are keyword-only


def test_lexicon_short_names_unique():
    lex = load_lexicon()
    shorts = [c.short for c in lex.conventions]
    assert len(shorts) == len(set(shorts))
    assert {"UNTOC", "UNCAC", "1988 Convention", "Firearms Protocol"} <= set(shorts)
    for c in lex.conventions:
        if c.kind == "protocol":
            assert c.parent in lex.by_short


@pytest.mark.parametrize("tail", [
    "two thirds of the membership;", "one of the highest of any treaty;", "one hundred and fif-\nty-eight;",
    "one hundred and the Protocols many more;", "172nd place;", "sixty-fourth;",
])
def test_count_must_end_its_phrase(tail):
    assert figures(f"Notes that the number of States parties to the {UNCAC} has reached {tail}") == []


@pytest.mark.parametrize("tail,value", [
    ("172;", 172), ("172, which", 172), ("172 as at 1 December 2012;", 172), ("now 172.", 172),
    ("a total of one hundred and\nseventy-two States;", 172),
])
def test_count_endings_accepted(tail, value):
    assert figures(f"Notes that the number of States parties to the {UNCAC} has reached {tail}") == [
        ("UNCAC", value)]


def test_latest_figures_for_the_headline(docs):
    from analytics.treaties import latest_figures
    latest = latest_figures(treaty_figures(docs.values()))
    assert latest.to_dict("records") == [{
        "short": "UNTOC", "convention": "United Nations Convention against Transnational Organized Crime",
        "session": 67, "document": "A-RES-67-189", "key": "OP3", "parties": 172,
        "previous_session": 66, "previous_parties": 164, "change": 8}]
    adopted = [d for d in docs.values() if d.kind == "resolution"]
    one = latest_figures(treaty_figures(adopted)).iloc[0]
    assert (one["parties"], one["previous_session"], one["change"]) == (172, 65, 14)
    assert latest_figures(treaty_figures([docs["A-RES-63-195"]])).empty


# --- other wordings of the count (issue 8, item 3) -------------------------------

@pytest.mark.parametrize("text,expected", [
    # regional organizations are parties too: "191 parties" is the total
    (f"Welcomes the fact that 191 parties have already ratified or acceded to the {UNCAC};", [("UNCAC", 191)]),
    (f"Noting that 191 States parties have ratified or acceded to the {UNCAC},", [("UNCAC", 191)]),
    (f"Noting that the {UNCAC} has been ratified by 191 parties,", [("UNCAC", 191)]),
    (f"Noting that the {UNCAC} has been ratified by 140 States in total,", [("UNCAC", 140)]),
    # "States Parties" as 80/229 and A/C.3/80/L.3 print it
    (f"Notes that the number of States Parties to the {UNTOC} has reached 193;", [("UNTOC", 193)]),
])
def test_parties_wordings(text, expected):
    assert figures(text) == expected


@pytest.mark.parametrize("text", [
    # signatures are not parties, nor is "signed or ratified"
    f"Noting that 191 States have signed the {UNCAC},",
    f"Noting that 191 parties have signed or ratified the {UNCAC},",
    # a count of something else
    f"Welcoming the {UNCAC}, and noting that the Secretary-General is the depositary for parties to 191 treaties,",
    f"Recalling the 191st meeting of the parties to the {UNCAC}, at which parties have ratified it,",
    f"Noting that 191 parties have ratified the amendment to the {UNCAC},",
    # a subset, narrowed by the phrase after the count
    f"Noting that the {UNCAC} has been ratified by 12 parties in the region,",
    f"Noting that the {UNCAC} has been ratified by 12 States of the Group of African States,",
    f"Noting that 12 parties in the region have ratified the {UNCAC},",
    f"Welcoming the {UNCAC}, which now has 12 States parties in Africa,",
    f"Noting that since 2020, 12 parties have ratified the {UNCAC},",
    # one count shared by two treaties is the total of neither
    f"Noting that 140 States have ratified the {UNCAC} and the {UNTOC},",
    f"Noting that 140 parties have ratified the {UNTOC} and its Protocols,",
    f"Noting that the {UNTOC} and the {UNCAC} have been ratified by 180 States,",
    # "the Convention" with no treaty named in the paragraph, and no document context
    "Welcomes the fact that 191 parties have already ratified or acceded to the Convention;",
    # after a title the lexicon does not know, "the Convention" is that one
    "Recalling the Convention on Biological Diversity, and noting that 196 parties have ratified the Convention,",
    "Noting that the Protocol has been ratified by 150 States,",
])
def test_hostile_parties_wordings(text):
    assert figures(text) == []


# --- "the Convention" of a paragraph that names no treaty -------------------------

OP7_79_190 = ("Welcomes the fact that 191 parties have already ratified or acceded to the Convention, thus "
              "making it an instrument enjoying a status very close to universal adherence, and in this "
              "regard urges all Member States and competent regional economic integration organizations, "
              "within the limits of their competence, that have not yet done so to consider ratifying or "
              "acceding to the Convention as a matter of priority, and urges all States parties to take "
              "appropriate measures to ensure its full and effective implementation;")


def test_document_context_names_the_convention():
    doc = make_doc(operative=[f"Calls upon all States to ratify the {UNCAC};", "Requests a report;", OP7_79_190])
    df = treaty_figures([doc])
    assert df[["short", "parties", "key"]].values.tolist() == [["UNCAC", 191, "OP3"]]
    assert df.loc[0, "quote"].startswith("Welcomes the fact that 191 parties have already ratified")
    # the nearest earlier paragraph naming a treaty wins
    doc = make_doc(preambular=[f"Recalling the {UNCAC},"],
                   operative=[f"Welcomes the {UNTOC};", OP7_79_190])
    assert treaty_figures([doc])[["short", "key"]].values.tolist() == [["UNTOC", "OP2"]]


@pytest.mark.parametrize("before", [
    [],                                                           # nothing named earlier
    [f"Welcomes the {UNTOC} and the {UNCAC};"],                   # two conventions
    ["Recalling the Minamata Convention on Mercury,"],            # one the lexicon does not know
    [f"Recalling the {UNCAC},", "Recalling the Convention on Biological Diversity,"],
    ["Recalling the Firearms Protocol,"],                         # a bare protocol names no convention
])
def test_document_context_ambiguous_gives_nothing(before):
    assert treaty_figures([make_doc(operative=[*before, OP7_79_190])]).empty


def test_bare_number_of_parties_never_borrows_the_context():
    doc = make_doc(operative=[f"Welcomes the {UNCAC};",
                              "Notes with appreciation that the number of States Parties has reached 193;"])
    assert treaty_figures([doc]).empty


def test_paragraph_context_option():
    uncac = load_lexicon().by_short["UNCAC"]
    assert [(c.short, n) for c, n, _ in paragraph_figures(OP7_79_190, context=uncac)] == [("UNCAC", 191)]
    # a convention named in the paragraph itself wins over the context
    text = f"Noting that 140 States have ratified the {UNTOC}, and that 191 parties have ratified the Convention,"
    assert [(c.short, n) for c, n, _ in paragraph_figures(text, context=uncac)] == [("UNTOC", 140), ("UNTOC", 191)]
    with pytest.raises(TypeError):
        paragraph_figures(OP7_79_190, LEXICON, MAX_PARTIES, uncac)   # options are keyword-only


# --- the real documents ---------------------------------------------------------

REAL = Path(__file__).resolve().parent / "fixtures" / "real"
FACTS = json.loads((REAL / "facts.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def real_figures():
    from analytics.reader import parse_bytes
    docs = [parse_bytes((REAL / name).read_bytes(), source=name) for name in FACTS]
    return treaty_figures(docs)


@pytest.mark.parametrize("name", sorted(FACTS))
def test_real_documents_state_exactly_the_hand_read_figures(real_figures, name):
    fact = FACTS[name]
    expected = sorted([short, fact[col][0], f"OP{fact[col][1]}"]
                      for short, col in (("UNTOC", "untoc"), ("UNCAC", "uncac")) if fact[col])
    got = real_figures.loc[real_figures["symbol"] == fact["symbol"], ["short", "parties", "key"]]
    assert sorted(got.values.tolist()) == expected


# clean paragraph texts as printed (80/229 OP6 and OP11; A/C.3/80/L.3 OP10)
OP6_80_229 = (f"Reaffirms that the {UNTOC} and the Protocols thereto represent the most important tools of "
              "the international community for fighting transnational organized crime, including cybercrime, "
              "notes with appreciation that the number of States Parties has reached 193, which is a "
              "significant indication of the commitment shown by the international community to combating "
              "transnational organized crime, and recalls in this respect resolution 10/4 of 16 October 2020 "
              f"of the Conference of the Parties to the {UNTOC}, in which the Conference emphasized the "
              "continued relevance of the Convention;")
OP11_80_229 = (f"Urges States Parties to the {UNCAC} to continue to provide full support to the Mechanism for "
               "the Review of Implementation of the Convention, welcomes the progress made and calls upon States "
               "Parties to ensure the timely conclusion of the second cycle reviews in the first review phase "
               "and to participate in preparations for the next review phase, and notes with appreciation the "
               "resolve shown by States Parties to combat corruption and related crimes, as reflected in the "
               "country reviews of States Parties to the Convention;")
OP10_L3 = (f"Urges States Parties to the {UNCAC} to continue to provide full support to the Mechanism for the "
           "Review of Implementation of the Convention, welcomes the progress made in the first review phase "
           "and calls upon States Parties to ensure the timely conclusion of the second cycle reviews in the "
           "first review phase and to participate in preparations for the next review phase, and notes with "
           "appreciation the resolve shown by the international community to combat corruption and related "
           "crimes, as reflected in the number of States Parties to the Convention;")


def test_real_paragraphs():
    assert figures(OP6_80_229) == [("UNTOC", 193)]    # "the Protocols thereto" do not share the count
    assert figures(OP11_80_229) == [] and figures(OP10_L3) == []


# --- the lexicon as an option -----------------------------------------------------------

def test_conventions_are_an_option_and_compiled_by_content(tmp_path):
    from analytics.treaties import Convention, compiled, default_conventions, read_conventions
    text = "Noting that 112 States have ratified or acceded to the Arms Trade Treaty,"
    assert paragraph_figures(text) == []
    att = Convention(short="ATT", name="Arms Trade Treaty", kind="convention", parent=None, aliases=())
    mine = default_conventions() + (att,)
    assert [(c.short, n) for c, n, _ in paragraph_figures(text, conventions=mine)] == [("ATT", 112)]
    doc = make_doc(operative=[text])
    assert treaty_figures([doc], conventions=mine)[["short", "parties", "key"]].values.tolist() == [["ATT", 112, "OP1"]]
    assert treaty_figures([doc]).empty       # the bundled lexicon's memo never saw the other lexicon
    # equal content, one compiled lexicon; a copy of the tuple is the same key
    assert compiled(tuple(list(mine))) is compiled(mine) and compiled(mine) is not compiled(default_conventions())
    # the same lexicon from a corpus folder's conventions.toml
    (tmp_path / "conventions.toml").write_text('[[convention]]\nshort = "ATT"\nname = "Arms Trade Treaty"\n',
                                               encoding="utf-8")
    assert read_conventions(corpus_dir=tmp_path) == mine
    assert read_conventions(corpus_dir=tmp_path / "nowhere") == default_conventions() == load_lexicon().conventions


def test_the_headline_change_is_from_an_earlier_session_not_the_same_sessions_draft(docs):
    # A/RES/80/229 and its draft A/C.3/80/L.3 both state 193 parties to UNTOC (read by hand):
    # the change shown is from session 67 (172, A/RES/67/189 OP3), not "+0 since session 80".
    from analytics.reader import parse_bytes
    from analytics.treaties import latest_figures
    real = [parse_bytes((REAL / n).read_bytes(), source=n) for n in ("A_C.3_80_L.3.txt", "A_RES_80_229.txt")]
    df = treaty_figures([*docs.values(), *real])
    assert sorted(df.loc[df["session"] == 80, "parties"].tolist()) == [193, 193]
    one = latest_figures(df).iloc[0]
    assert (one["short"], one["session"], one["parties"]) == ("UNTOC", 80, 193)
    assert (one["previous_session"], one["previous_parties"], one["change"]) == (67, 172, 21)
    # the same session alone: no earlier figure, so no change is claimed
    alone = latest_figures(treaty_figures(real)).iloc[0]
    assert alone["change"] is None and alone["previous_session"] is None


def test_a_convention_without_an_earlier_figure_beside_one_with_keeps_none_and_ints(docs):
    # UNTOC's change from 66 to 67 and UNCAC stated once: pandas would otherwise make the
    # columns float (8.0, NaN), and the Overview's "+8 since session 66" would not format.
    from analytics.treaties import latest_figures
    uncac = make_doc(operative=["Notes that the number of States parties to the United Nations Convention "
                                "against Corruption has reached 160;"], id="A-RES-67-190",
                     symbol="A/RES/67/190", session=67)
    latest = latest_figures(treaty_figures([*docs.values(), uncac]))
    rows = {r["short"]: r for r in latest.to_dict("records")}
    assert (rows["UNTOC"]["change"], rows["UNTOC"]["previous_session"]) == (8, 66)
    assert type(rows["UNTOC"]["change"]) is int and type(rows["UNTOC"]["previous_session"]) is int
    assert rows["UNCAC"]["parties"] == 160
    assert rows["UNCAC"]["change"] is None and rows["UNCAC"]["previous_session"] is None
    assert f"{rows['UNTOC']['change']:+d} since session {rows['UNTOC']['previous_session']}" == "+8 since session 66"
