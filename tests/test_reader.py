"""The reader on the five seed layouts, the official-PDF text layout and a real PDF."""
import datetime as dt
import re
from pathlib import Path

import pytest

from analytics.reader import NotAResolution, decode, ordinal_value, parse_bytes, parse_text
from pdfmaker import make_pdf

FIXTURES = Path(__file__).parent / "fixtures"

EXPECTED = {
    # id: (symbol, session, kind, preambular, operative, date)
    "A-RES-60-175": ("A/RES/60/175", 60, "resolution", 15, 24, dt.date(2005, 12, 16)),
    "A-RES-63-195": ("A/RES/63/195", 63, "resolution", 18, 19, dt.date(2008, 12, 18)),
    "A-RES-65-232": ("A/RES/65/232", 65, "resolution", 24, 37, dt.date(2010, 12, 21)),
    "draft-66": (None, 66, "draft", 24, 34, dt.date(2011, 10, 6)),
    "A-RES-67-189": ("A/RES/67/189", 67, "resolution", 31, 41, dt.date(2012, 12, 20)),
}

# Page furniture and markup that must never reach a paragraph.
FURNITURE = [
    r"<sup>", r"</?\w+>", r"\*", r"\[DU\d*\]", r"<<ODS", r"-{3,}", r"_{3,}", r"Please recycle",
    r"\b\d{2}-\d{5}\b", r"^\d+/\d+$", r"\b\d{1,3}/\d{1,3}\s*$", r"Distr\.:", r"\t", r"  ",
    r"[a-z][0-9]", r"[,;:][0-9]", r"thereto \d", r"Processes, \d", r"Africa, \d",
]


def test_seed_metadata_and_counts(docs):
    assert sorted(docs) == sorted(EXPECTED)
    for doc_id, (symbol, session, kind, n_pre, n_op, date) in EXPECTED.items():
        d = docs[doc_id]
        assert (d.symbol, d.session, d.kind) == (symbol, session, kind), doc_id
        assert (len(d.preambular), len(d.operative)) == (n_pre, n_op), doc_id
        assert d.date == date, doc_id
        assert d.year == date.year
        assert [p.number for p in d.operative] == list(range(1, n_op + 1))
        assert d.title == ("Strengthening the United Nations crime prevention and criminal justice "
                           "programme, in particular its technical cooperation capacity") or \
            d.title == ("Strengthening the United Nations Crime Prevention and Criminal Justice "
                        "Programme, in particular its technical cooperation capacity")
        if doc_id == "A-RES-65-232":
            assert d.warnings == ("hyphens appear to be lost in this text: restored from the compound lexicon",)
        else:
            assert d.warnings == (), doc_id


def test_seed_header_fields(docs):
    assert docs["draft-66"].sponsors == ("Italy", "Mexico")
    assert docs["draft-66"].agenda_item == "107"
    assert docs["draft-66"].plenary_meeting is None
    assert docs["A-RES-63-195"].agenda_item == "97"
    assert docs["A-RES-63-195"].committee_report == "A/63/431"
    assert docs["A-RES-63-195"].plenary_meeting == "71st plenary meeting"
    assert docs["A-RES-65-232"].committee_report == "A/65/457"
    assert docs["A-RES-67-189"].committee_report == "A/67/458"
    assert docs["A-RES-67-189"].agenda_item == "103"
    assert docs["A-RES-67-189"].plenary_meeting == "60th plenary meeting"
    assert docs["A-RES-60-175"].plenary_meeting == "64th plenary meeting"
    kw = docs["A-RES-65-232"].keywords
    assert kw[0] == "CRIME PREVENTION" and kw[-1] == "FINANCIAL ASSISTANCE" and len(kw) == 35
    assert docs["A-RES-63-195"].keywords == ()


def test_60_175_date_is_plenary_not_a_convention_adoption_date(docs):
    # PP11 says "adopted by the General Assembly on 13 April 2005": not this resolution's date
    d = docs["A-RES-60-175"]
    assert "13 April 2005" in d.preambular[10].text
    assert d.date == dt.date(2005, 12, 16)


def test_first_and_last_paragraphs(docs):
    d = docs["A-RES-60-175"]
    assert d.preambular[0].text == (
        "Recalling its resolution 46/152 of 18 December 1991 on the creation of an effective United "
        "Nations crime prevention and criminal justice programme, in which it approved the statement of "
        "principles and programme of action annexed to that resolution,")
    assert d.operative[-1].text == (
        "Requests the Secretary-General to submit a report on the implementation of the present "
        "resolution to the General Assembly at its sixty-first session.")
    d = docs["A-RES-63-195"]
    assert d.operative[-1].text.endswith("reflecting also emerging policy issues and possible responses.")
    assert d.preambular[-1].lead == "Concerned"
    d = docs["A-RES-65-232"]
    assert d.preambular[0].text.startswith("Reaffirming its resolutions 46/152 of 18 December 1991, 60/1")
    assert d.operative[-1].text.startswith("Also requests the Secretary-General to include in the report "
                                           "referred to in paragraph 36 above")
    d = docs["draft-66"]
    assert d.preambular[-1].text == ("Reiterating its concern regarding the overall financial situation "
                                     "of the United Nations Office on Drugs and Crime,")
    d = docs["A-RES-67-189"]
    assert d.operative[2].text.startswith("Notes with appreciation that the number of States parties to the "
                                          "United Nations Convention against Transnational Organized Crime "
                                          "has reached 172, which")
    assert d.operative[-1].text.endswith("Transnational Organized Crime and the Protocols thereto.")


def test_leads(docs):
    d = docs["A-RES-63-195"]
    assert [p.lead for p in d.preambular[:4]] == ["Recalling", "Recalling also", "Taking note with appreciation",
                                                  "Recalling"]
    assert d.operative[17].lead == "Reiterates its request"
    assert d.operative[3].lead == "Urges"
    assert docs["A-RES-67-189"].preambular[15].lead == "Expressing its grave concern"
    assert docs["A-RES-67-189"].preambular[22].lead == "Expressing deep concern"
    assert docs["A-RES-67-189"].operative[11].lead == "Also requests"
    assert docs["A-RES-60-175"].preambular[2].lead == "Bearing in mind"
    assert docs["A-RES-60-175"].preambular[11].lead == "Bearing in mind also"
    assert docs["A-RES-65-232"].preambular[5].lead == "Taking into consideration"
    assert docs["draft-66"].operative[9].lead == "Calls upon"
    for d in docs.values():
        for p in d.paragraphs:
            assert p.lead and p.text.startswith(p.lead), (d.id, p.key)


def test_no_furniture_in_any_paragraph(docs):
    for d in docs.values():
        for p in d.paragraphs:
            for pat in FURNITURE:
                assert not re.search(pat, p.text), (d.id, p.key, pat, p.text)


def test_page_break_continuations_are_joined(docs):
    # markdown layouts break paragraphs at page ends with footnote blocks in between
    assert "through the facilitation of the ratification and implementation of the universal" in \
        docs["A-RES-63-195"].operative[12].text
    assert "including providing to Member States, upon request" in docs["draft-66"].operative[6].text
    assert docs["draft-66"].operative[6].text.endswith("competent United Nations bodies and offices;")
    # the PDF layout's "6." paragraph continues after a footnote rule
    assert docs["A-RES-60-175"].operative[5].text.endswith("any strategy to counter terrorism;")


def test_footnotes_kept_apart(docs):
    d = docs["A-RES-63-195"]
    assert len(d.footnotes) == 9
    assert d.footnotes[0] == "1 See Economic and Social Council resolutions 2007/12 and 2007/19."
    assert d.footnotes[6] == "7 A/63/99."
    d = docs["A-RES-67-189"]
    assert d.footnotes[0] == "* Reissued for technical reasons on 11 July 2013."
    assert d.footnotes[-1] == "13 Resolution 67/187, annex."
    assert len(d.footnotes) == 14
    assert len(docs["draft-66"].footnotes) == 12
    for doc in docs.values():
        assert not any("Treaty Series" in p.text for p in doc.paragraphs)


def test_footnote_marks_removed_but_numbers_kept(docs):
    d = docs["A-RES-67-189"]
    assert d.preambular[1].text.endswith("the Protocols thereto, the United Nations Convention against "
                                         "Corruption and all the international conventions and protocols "
                                         "against terrorism,")
    assert d.operative[0].text.endswith("resolution 66/181;")
    assert "from 30 May to 1 June 2012, and encourages" in d.operative[12].text
    d = docs["A-RES-60-175"]
    assert "Bali and Puebla Processes, and recalling" in d.preambular[8].text
    assert "the Protocols thereto and to discharge" in d.operative[17].text
    assert "from 14 to 16 September 2005," in d.preambular[3].text  # real numbers survive
    assert "resolution 1373 (2001)" in d.operative[3].text
    assert d.operative[0].text.endswith("resolution 59/159;")


def test_lost_hyphens_restored_from_lexicon(docs):
    d = docs["A-RES-65-232"]
    text = d.text
    assert "Secretary-General" in text and "SecretaryGeneral" not in text
    assert "Counter-Terrorism" in text and "high-level meeting" in text
    assert "sixty-sixth session" in d.operative[-2].text
    assert "one hundred and fifty-eight" in d.operative[23].text
    # words the UN writes solid stay solid
    assert "policymaking" in docs["A-RES-63-195"].text
    assert "Twenty-first Century" in docs["A-RES-60-175"].preambular[2].text


def test_official_pdf_text_layout():
    d = parse_bytes((FIXTURES / "official_pdf_layout.txt").read_bytes(), source="official.txt")
    _check_official(d)


def test_real_pdf_file_goes_through_pypdf():
    lines = (FIXTURES / "official_pdf_layout.txt").read_text(encoding="utf-8").split("\n")
    blank = lines.index("")
    end2 = next(i for i, ln in enumerate(lines) if ln.startswith("13-44880 3/4"))
    pdf = make_pdf([lines[:blank], lines[blank + 1:end2 + 1], lines[end2 + 1:]])
    text, _ = decode(pdf)
    assert "\f" in text
    _check_official(parse_bytes(pdf, source="official.pdf"))


def _check_official(d):
    assert (d.symbol, d.session, d.kind, d.date) == ("A/RES/68/193", 68, "resolution", dt.date(2013, 12, 18))
    assert (d.agenda_item, d.committee_report, d.plenary_meeting) == ("109", "A/68/455", "70th plenary meeting")
    assert [p.lead for p in d.preambular] == ["Reaffirming", "Reaffirming also", "Recognizing",
                                              "Expressing deep concern", "Reiterating its concern"]
    assert [p.lead for p in d.operative] == ["Takes note with appreciation", "Notes with appreciation", "Urges",
                                             "Draws attention", "Requests"]
    assert d.footnotes == ("1 United Nations, Treaty Series, vols. 2225, 2237, 2241 and 2326, No. 39574.",
                           "2 Ibid., vol. 2349, No. 42146.", "3 A/68/127.")
    assert d.preambular[1].text.endswith("the Protocols thereto and the United Nations Convention against Corruption,")
    assert "corruption and counter-terrorism in all its forms" in d.preambular[2].text
    assert d.operative[0].text == "Takes note with appreciation of the report of the Secretary-General;"
    assert "has reached one hundred and seventy-nine, which" in d.operative[1].text
    assert d.operative[2].text.endswith("invites States to consider the 2013\u20132014 recommendations of the "
                                        "expert group;")
    assert "article 14, paragraph 2, of the Convention" in d.operative[2].text
    for p in d.paragraphs:
        for pat in FURNITURE:
            assert not re.search(pat, p.text), (p.key, pat, p.text)


def test_one_line_layout_splits_only_in_sequence():
    text = ("68/1. Test series The General Assembly, Recalling its resolution 46/152, Noting that paragraph "
            "2. Of the text is cited, Welcoming the report, 1. Requests the Secretary-General to report in "
            "accordance with paragraph 3. Above; 2. Decides to remain seized of the matter. "
            "90th plenary meeting 1 December 2013")
    d = parse_text(text * 1, source="one.txt")
    assert [p.lead for p in d.preambular] == ["Recalling", "Noting", "Welcoming"]
    assert [p.number for p in d.operative] == [1, 2]
    assert "paragraph 3. Above;" in d.operative[0].text


def test_markdown_emphasis_gives_unknown_leads():
    text = ("## 70/1. A title\n\n*The General Assembly,*\n\n*Strongly condemning* the acts,\n\n"
            "*Cognizant* of the need,\n\n1. *Decides* to act;\n\n2. *Further decides* to meet.\n")
    d = parse_text(text, source="x.md")
    assert [p.lead for p in d.preambular] == ["Strongly condemning", "Cognizant"]
    assert [p.lead for p in d.operative] == ["Decides", "Further decides"]


@pytest.mark.parametrize("words,value", [("Sixty-third", 63), ("sixtythird", 63), ("sixty third", 63),
                                         ("Fifth", 5), ("seventieth", 70), ("tenth", 10), ("nonsense", None)])
def test_ordinal_value(words, value):
    assert ordinal_value(words) == value


def test_session_from_words_when_no_symbol():
    text = ("General Assembly\nDistr.: Limited\n3 November 2014\nSixty-ninth session\nThird Committee\n"
            "Agenda item 105\nBrazil: draft resolution\nA test title\nThe General Assembly,\n"
            "Recalling its resolution 68/193,\n1. Decides to continue.\n")
    d = parse_text(text, source="d.txt")
    assert (d.kind, d.session, d.symbol, d.date, d.sponsors) == ("draft", 69, None, dt.date(2014, 11, 3), ("Brazil",))
    assert d.id == "draft-69"


@pytest.mark.parametrize("data,reason", [
    (b"", "empty file"),
    (b"   \n\n ", "empty file"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "binary file"),
    (b"%PDF-1.4\ngarbage that is not a pdf", "unreadable PDF"),
    (b"Chocolate cake\nMix flour and sugar.\nBake for 30 minutes.\n", "not a resolution"),
    ("The General Assembly,\nRecalling everything,\nand nothing numbered follows.\n".encode(), "not a resolution"),
])
def test_bad_input_gives_a_reason(data, reason):
    with pytest.raises(ValueError) as exc:
        parse_bytes(data, source="bad.txt")
    assert reason in str(exc.value)


def test_cp1252_text_is_read_with_a_warning():
    text = ("65/1. Title \u201cquoted\u201d\nThe General Assembly,\nRecalling its resolution 46/152 \u2013 "
            "and the State\u2019s role,\n1. Decides to continue.\n")
    d = parse_bytes(text.encode("cp1252"), source="w.txt")
    assert d.preambular[0].text == "Recalling its resolution 46/152 \u2013 and the State\u2019s role,"
    assert any("Windows-1252" in w for w in d.warnings)


def test_utf8_bom_and_crlf():
    text = "\ufeff64/1. T\r\nThe General Assembly,\r\nNoting the report,\r\n1. Decides to act.\r\n"
    d = parse_bytes(text.encode("utf-8"), source="bom.txt")
    assert d.symbol == "A/RES/64/1" and d.preambular[0].text == "Noting the report,"


def test_footnotes_after_the_plenary_line_continue_the_numbering():
    text = (FIXTURES / "official_pdf_layout.txt").read_text(encoding="utf-8")
    text = text.replace("of addressing these issues;", "of addressing these issues;4").replace(
        "70th plenary meeting\n18 December 2013\n",
        "70th plenary meeting\n18 December 2013\n_______________\n4 See A/68/127, sect. IV.\n")
    d = parse_text(text, source="x.txt")
    assert d.footnotes[-1] == "4 See A/68/127, sect. IV."
    assert d.operative[3].text.endswith("ways and means of addressing these issues;")


def test_pdftotext_form_feeds_end_a_page():
    lines = (FIXTURES / "official_pdf_layout.txt").read_text(encoding="utf-8").split("\n")
    blank = lines.index("")
    # pdftotext style: no blank line, the form feed glued to the next page's running head
    text = "\n".join(lines[:blank]) + "\n\f" + "\n".join(lines[blank + 1:])
    _check_official(parse_text(text, source="pdftotext.txt"))


def test_operative_paragraphs_numbered_past_999_stay_apart():
    ops = "\n".join(f"{n}. Decides item {n};" for n in range(1, 1003))
    d = parse_text(f"70/1. T\nThe General Assembly,\nNoting the report,\n{ops}\n", source="long.txt")
    assert [p.number for p in d.operative[-3:]] == [1000, 1001, 1002]
    assert d.paragraph("OP999").text == "Decides item 999;"


def test_an_adopted_text_without_a_symbol_is_not_called_a_draft():
    text = ("Resolution adopted by the General Assembly on 18 December 2025\nSome title\n"
            "The General Assembly,\nNoting the report,\n1. Decides to act.\n"
            "69th plenary meeting\n18 December 2025\n")
    d = parse_text(text, source="nosymbol.txt")
    assert (d.kind, d.symbol) == ("resolution", None)
    assert "draft" not in d.label and "draft" not in d.id


from hypothesis import given, settings, strategies as hst  # noqa: E402

from analytics.reading.emphasis import strip_emphasis  # noqa: E402

_EMPHASIS_RULE = re.compile(r"(?<![\w*])(\*{1,3}|_{1,2})(?=[^\s_*])([^\n]+?)(?<=[^\s_*])\1(?![\w*])")


@settings(max_examples=400, deadline=None, derandomize=True)
@given(hst.text(alphabet="ab *_\n,x", max_size=40))
def test_linear_emphasis_stripping_is_the_regex_rule(text):
    assert strip_emphasis(text) == _EMPHASIS_RULE.sub(r"\2", text)


def test_emphasis_examples():
    assert strip_emphasis("*Recalling also* its resolution") == "Recalling also its resolution"
    assert strip_emphasis("80/___ of __ December") == "80/___ of __ December"
    assert strip_emphasis("*x\n" * 3) == "*x\n" * 3


def test_page_counters_in_trailing_junk_number_no_paragraph(docs):
    # the ODS export of 67/189 ends with copies of running heads ("2/2", "3/3") after the plenary
    # line: they say nothing about where the paragraphs were printed, so no page is claimed
    assert {p.pages for p in docs["A-RES-67-189"].paragraphs} == {()}
    assert docs["A-RES-67-189"].cite("OP3") == "A/RES/67/189, para. 3"
