"""analytics.records: paragraph keys, labels, citations with pages, sort order and the
representative text of a session, on the bundled corpus and two real PDF-derived texts."""
from __future__ import annotations

import dataclasses
import datetime as dt
import pickle
from functools import lru_cache
from pathlib import Path

import pytest

from analytics.reader import parse_bytes
from analytics.records import Paragraph, Problem, Resolution, page_label, representative, sort_key

# paths spelled out: "from conftest import" is ambiguous beside tests/e2e/conftest.py
FIXTURES = Path(__file__).resolve().parent / "fixtures"

A60, A63, A65, D66, A67 = "A-RES-60-175", "A-RES-63-195", "A-RES-65-232", "draft-66", "A-RES-67-189"


@lru_cache(maxsize=None)
def real(name: str) -> Resolution:
    path = FIXTURES / "real" / name
    return parse_bytes(path.read_bytes(), source=path.name)


# --------------------------------------------------------------------------- Paragraph

def test_paragraph_keys_and_fields(docs):
    doc = docs[A67]
    op3 = doc.paragraph("OP3")
    assert (op3.part, op3.index, op3.number, op3.lead) == ("operative", 3, 3, "Notes with appreciation")
    assert op3.text.startswith("Notes with appreciation that the number of States parties to the United Nations")
    pp2 = doc.preambular[1]
    assert (pp2.key, pp2.number, pp2.index) == ("PP2", None, 2)
    assert [p.key for p in doc.operative[:3]] == ["OP1", "OP2", "OP3"]
    # an operative paragraph the text prints without a number is keyed by its position
    assert op3._replace(number=None).key == "OP3"
    assert doc.paragraph("OP99") is None and doc.paragraph("PP0") is None


def test_paragraph_to_dict(docs):
    op3, pp2 = docs[A67].paragraph("OP3"), docs[A67].paragraph("PP2")
    assert list(op3.to_dict()) == ["number", "lead", "text", "pages"]
    assert op3.to_dict()["number"] == 3 and op3.to_dict()["pages"] == []
    assert list(pp2.to_dict()) == ["lead", "text", "pages"]     # preambular paragraphs have no number


# --------------------------------------------------------------------------- Resolution

def test_paragraphs_text_and_word_count(docs):
    doc = docs[A63]
    assert (len(doc.preambular), len(doc.operative)) == (18, 19)
    assert doc.paragraphs == doc.preambular + doc.operative
    assert doc.text == "\n\n".join(p.text for p in doc.paragraphs)
    assert doc.text.startswith(doc.preambular[0].text) and doc.text.endswith(doc.operative[-1].text)
    assert doc.word_count == 2173 == len(doc.text.split())


def test_labels(docs):
    assert docs[A65].label == "A/RES/65/232"
    assert docs[D66].label == "66th session draft"               # the draft has no symbol
    no_symbol = dataclasses.replace(docs[A65], symbol=None)
    assert no_symbol.label == "65th session resolution (no symbol)"
    assert dataclasses.replace(docs[D66], session=None).label == "draft draft-66"
    ordinals = {n: dataclasses.replace(docs[D66], session=n).label.split()[0]
                for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101, 111, 112)}
    assert ordinals == {1: "1st", 2: "2nd", 3: "3rd", 4: "4th", 11: "11th", 12: "12th", 13: "13th",
                        21: "21st", 22: "22nd", 23: "23rd", 101: "101st", 111: "111th", 112: "112th"}


def test_cite_with_pages_from_the_printed_pdf():
    doc = real("A_RES_80_229.txt")
    # page headers "2/27", "15/27" in the text: PP2 ends "... was adopted," at the top of page 2,
    # OP7 "Urges States Parties to actively participate ..." is printed on page 15
    assert doc.paragraph("PP2").pages == (1, 2) and doc.paragraph("OP7").pages == (15,)
    assert doc.cite("OP7") == "A/RES/80/229, para. 7, p. 15"
    assert doc.cite("PP2") == "A/RES/80/229, preambular para. 2, pp. 1\u20132"
    assert doc.cite("PP1") == "A/RES/80/229, preambular para. 1, p. 1"
    draft = real("A_C.3_80_L.3.txt")
    assert draft.cite("OP7") == "A/C.3/80/L.3, para. 7, pp. 13\u201314"


def test_cite_without_pages_and_unknown_keys(docs):
    # a markdown layout has no pages: none are guessed
    assert docs[A63].cite("OP3") == "A/RES/63/195, para. 3"
    assert docs[A63].cite("PP2") == "A/RES/63/195, preambular para. 2"
    assert docs[D66].cite("OP3") == "66th session draft, para. 3"
    assert docs[A63].cite("OP99") == "A/RES/63/195, OP99"


def test_to_dict_from_dict_and_pickle_round_trip(docs):
    doc = real("A_RES_80_229.txt")
    for d in (*docs.values(), doc):
        assert Resolution.from_dict(d.to_dict()) == d
        assert pickle.loads(pickle.dumps(d)) == d
    short = docs[A67].to_dict(with_text=False)
    assert (short["preambular"], short["operative"]) == (31, 41) and "footnotes" not in short
    assert docs[D66].to_dict()["date"] == "2011-10-06" and docs[D66].to_dict()["symbol"] is None
    assert doc.to_dict()["operative"][6]["pages"] == [15]


def test_problem_reads_as_one_line():
    assert str(Problem("empty.txt", "empty file")) == "empty.txt: empty file"


# --------------------------------------------------------------------------- order

def test_sort_key_orders_by_session_then_draft_before_adopted(docs):
    shuffled = [docs[i] for i in (A67, D66, A60, A65, A63)]
    assert [d.id for d in sorted(shuffled, key=sort_key)] == [A60, A63, A65, D66, A67]
    assert sort_key(docs[D66]) == (66, 0, dt.date(2011, 10, 6), D66)
    assert sort_key(docs[A67]) == (67, 1, dt.date(2012, 12, 20), A67)
    draft, adopted = real("A_C.3_80_L.3.txt"), real("A_RES_80_229.txt")
    assert [d.id for d in sorted([adopted, draft], key=sort_key)] == ["A-C.3-80-L.3", "A-RES-80-229"]
    undated = dataclasses.replace(docs[A60], session=None, date=None)
    assert sorted([undated, docs[A67]], key=sort_key)[-1] is undated   # no session: last


def test_representative_prefers_the_adopted_text(docs):
    assert {s: d.id for s, d in representative(docs.values()).items()} == \
        {60: A60, 63: A63, 65: A65, 66: D66, 67: A67}           # 66: no adopted text, the draft stands in
    draft, adopted = real("A_C.3_80_L.3.txt"), real("A_RES_80_229.txt")
    assert representative([adopted, draft])[80] is adopted
    assert representative([draft])[80] is draft


def test_representative_latest_reissue_wins_and_sessionless_texts_are_left_out(docs):
    reissue = dataclasses.replace(docs[A65], id="A-RES-65-232-Corr", date=dt.date(2011, 2, 1))
    assert representative([docs[A65], reissue, docs[A67]])[65] is reissue
    assert representative([reissue, docs[A65]])[65] is reissue
    nowhere = dataclasses.replace(docs[A60], session=None)
    assert list(representative([nowhere, docs[A63], docs[A60]])) == [60, 63]
    assert representative([]) == {}


# --------------------------------------------------------------------------- page_label

@pytest.mark.parametrize("pages,label", [
    ((), ""), ((4,), "p. 4"), ((4, 5), "pp. 4\u20135"), ((13, 14, 15), "pp. 13\u201315"),
])
def test_page_label(pages, label):
    assert page_label(pages) == label


def test_paragraph_is_a_named_tuple_of_six_fields():
    p = Paragraph("operative", 1, 1, "Urges", "Urges States.")
    assert p.pages == () and tuple(p) == ("operative", 1, 1, "Urges", "Urges States.", ())
