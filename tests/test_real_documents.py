"""The 24 official documents of sessions 78-80 (tests/fixtures/real): every paragraph and
footnote exactly as printed, through the PDF route and the text route alike.

The expected texts in tests/fixtures/real/expected/ were read by hand against each document
(see its README); facts.json holds the counts and figures read by hand with the documents."""
from __future__ import annotations

import dataclasses
import json
from functools import lru_cache
from pathlib import Path

import pytest

from analytics.reader import parse_bytes, parse_text

REAL = Path(__file__).resolve().parent / "fixtures" / "real"
EXPECTED = sorted((REAL / "expected").glob("A*.json"))
FACTS = json.loads((REAL / "facts.json").read_text(encoding="utf-8"))
ROUTES = (".txt", ".pdf")


@lru_cache(maxsize=None)
def parsed(stem: str, route: str):
    path = REAL / f"{stem}{route}"
    return parse_bytes(path.read_bytes(), source=path.name)


def expected(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def test_the_hand_read_set_is_large_enough():
    docs = [expected(p) for p in EXPECTED]
    assert len(docs) == 24
    assert sum(len(d["paragraphs"]) for d in docs) >= 150
    assert sum(d["all_footnotes"] for d in docs) >= 5
    crossing = [d for d in docs if any(len(v["pages"]) > 1 for v in d["paragraphs"].values())]
    assert len(crossing) >= 8


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("path", EXPECTED, ids=lambda p: p.stem)
def test_every_hand_read_paragraph_is_exact(path, route):
    want = expected(path)
    doc = parsed(path.stem, route)
    got = {p.key: {"text": p.text, "pages": list(p.pages)} for p in doc.paragraphs}
    wrong = {k: (got.get(k), v) for k, v in want["paragraphs"].items() if got.get(k) != v}
    assert not wrong, f"{len(wrong)} paragraphs differ, first: {next(iter(wrong.items()))}"


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("path", EXPECTED, ids=lambda p: p.stem)
def test_footnotes_are_exact(path, route):
    want = expected(path)
    doc = parsed(path.stem, route)
    got = dict(f.split(" ", 1) for f in doc.footnotes)
    if want["all_footnotes"]:
        assert got == want["footnotes"]
    else:
        assert {k: got.get(k) for k in want["footnotes"]} == want["footnotes"]


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("path", EXPECTED, ids=lambda p: p.stem)
def test_metadata(path, route):
    want = expected(path)["metadata"]
    d = parsed(path.stem, route)
    got = {"symbol": d.symbol, "session": d.session, "date": d.date.isoformat(), "kind": d.kind,
           "agenda_item": d.agenda_item, "committee_report": d.committee_report,
           "plenary_meeting": d.plenary_meeting, "draft_symbol": d.draft_symbol, "sponsors": list(d.sponsors),
           "pre": len(d.preambular), "op": len(d.operative), "title": d.title}
    assert got == {k: want[k] for k in got}


@pytest.mark.parametrize("name", sorted(FACTS))
def test_facts_read_by_hand(name):
    fact, d = FACTS[name], parsed(Path(name).stem, ".txt")
    assert (d.symbol, d.session, d.year, d.date.isoformat(), d.kind, len(d.preambular), len(d.operative)) == (
        fact["symbol"], fact["session"], fact["year"], fact["date"], fact["kind"], fact["pre"], fact["op"])


@pytest.mark.parametrize("name", sorted(FACTS))
def test_pdf_and_text_routes_give_the_same_record(name):
    stem = Path(name).stem
    a, b = parsed(stem, ".txt"), parsed(stem, ".pdf")
    same = lambda r: dataclasses.replace(r, source="", sha256="", warnings=())  # noqa: E731
    assert same(a) == same(b)


def test_no_opener_is_read_from_the_title_with_a_warning():
    d = parsed("A_RES_78_225", ".txt")
    assert d.preambular[0].text.startswith("Reaffirming its resolution 70/1 of 25 September 2015")
    assert any("no 'The General Assembly,' line" in w for w in d.warnings)


def test_the_annex_after_the_plenary_line_is_not_the_resolution():
    d = parsed("A_RES_80_226", ".txt")
    assert [p.number for p in d.operative] == [1, 2, 3, 4, 5]
    assert [f.split(" ", 1)[0] for f in d.footnotes] == ["1", "2"]


def test_agenda_items_inside_an_operative_paragraph_are_not_paragraphs():
    d = parsed("A_RES_78_223", ".txt")
    op11 = d.paragraph("OP11")
    assert "1. Opening of the Congress." in op11.text and d.operative[11].number == 12


def test_a_real_number_that_looks_like_a_mark_is_kept():
    # 80/229 OP6: "has reached 193," beside footnote marks on the same page
    assert "has reached 193," in parsed("A_RES_80_229", ".txt").paragraph("OP6").text
    # "paragraph 3 of the resolution" with footnote 3 printed on that page
    assert "paragraph 3 of the resolution" in parsed("A_RES_78_6", ".pdf").paragraph("PP10").text


def test_a_plenary_draft_and_a_chair_draft():
    assert parsed("A_RES_78_6", ".txt").draft_symbol == "A/78/L.6"
    text = ("General Assembly\nDistr.: Limited\n3 November 2025\nEightieth session\nThird Committee\n"
            "Agenda item 107\nDraft resolution submitted by the Chair\nA test title\nThe General Assembly,\n"
            "Recalling its resolution 68/193,\n1. Decides to continue.\n")
    d = parse_text(text, source="chair.txt")
    assert (d.kind, d.sponsors, d.title) == ("draft", ("Chair",), "A test title")


def test_a_quote_cites_symbol_paragraph_and_page():
    d = parsed("A_RES_80_229", ".pdf")
    assert d.cite("OP6") == f"A/RES/80/229, para. 6, p. {d.paragraph('OP6').pages[0]}"
    crossing = next(p for p in d.paragraphs if len(p.pages) > 1)
    assert d.cite(crossing.key).endswith(f"pp. {crossing.pages[0]}\u2013{crossing.pages[-1]}")
    assert d.to_dict()["operative"][5]["pages"] == list(d.paragraph("OP6").pages)
