"""Session digest (analytics/digest.py): exact counts and sentences on the bundled corpus."""
import io
import json
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from analytics import digest, export
from analytics.cli import main

REAL = Path(__file__).resolve().parent / "fixtures" / "real"


@pytest.fixture(scope="module")
def d65_67(docs):
    return digest.session_digest(docs.values(), 67, previous=65)


@pytest.fixture(scope="module")
def said(d65_67):
    return digest.sentences(d65_67)


def test_the_two_texts(d65_67, docs):
    assert (d65_67.session, d65_67.previous) == (67, 65)
    assert (d65_67.doc.id, d65_67.previous_doc.id) == ("A-RES-67-189", "A-RES-65-232")
    # by default the previous session of the series: 67 against the 66 draft
    assert digest.session_digest(docs.values(), 67).previous_doc.id == "draft-66"


def test_listed_issues_65_to_67(d65_67, said):
    changes = {r.issue: r.change for r in d65_67.listed.itertuples()}
    assert changes == {"piracy": "kept", "cybercrime": "kept", "child-exploitation": "kept",
                       "urban-crime": "dropped", "cultural-property": "added",
                       "illicit-financial-flows": "added", "environmental-crime": "added",
                       "identity-crime": "added"}
    assert said["listed"][0] == ("Dropped from the list: Urban crime, listed in A/RES/65/232, para. 17; "
                                 "A/RES/67/189 does not mention it anywhere.")
    assert ("Newly listed: Trafficking in cultural property, “trafficking in cultural property” "
            "(A/RES/67/189, para. 20).") in said["listed"]
    assert said["listed"][-1] == ("Still listed: Piracy, Cybercrime, Abuse and exploitation of children "
                                  "(A/RES/67/189, para. 20).")


def test_paragraph_counts_65_to_67(d65_67, said):
    counts = {(r.part, r.status): r.count for r in d65_67.paragraphs.itertuples()}
    assert [counts[("preambular", s)] for s in ("carried", "amended", "new", "dropped")] == [9, 10, 12, 5]
    assert [counts[("operative", s)] for s in ("carried", "amended", "new", "dropped")] == [8, 21, 12, 8]
    assert said["paragraphs"][0] == ("A/RES/67/189 against A/RES/65/232: 17 paragraphs carried over word "
                                     "for word, 31 amended, 24 new and 13 dropped.")
    assert len(d65_67.new_keys) == 24 and len(d65_67.dropped_keys) == 13
    assert said["paragraphs"][2].startswith("Dropped: A/RES/65/232, preambular para. 2; preambular para. 7;")
    # the most changed amended paragraph first, with its redline
    top = d65_67.changed.iloc[0]
    assert (top["a_key"], top["b_key"], round(top["similarity"], 2)) == ("PP24", "PP31", 0.37)
    assert said["changed"][0].startswith(
        "A/RES/67/189, preambular para. 31 amends A/RES/65/232, preambular para. 24 (similarity 0.37): "
        "[-Expressing-] {+Reiterating its+} concern regarding the overall financial situation")


def test_treaty_terms_and_found_65_to_67(d65_67, said):
    assert said["treaties"] == [
        "Parties to the United Nations Convention against Transnational Organized Crime: 158 → 172 "
        "(+14), A/RES/67/189, para. 3 (was A/RES/65/232, para. 24)."]
    assert "Rising: “legal aid” (tf-idf 0.000 → 0.087), A/RES/67/189, para. 12." in said["terms"]
    assert said["terms"][5] == "Falling: “convened” (tf-idf 0.104 → 0.000), A/RES/65/232, preambular para. 7."
    # found in the texts of 66 and 67, not in 65
    assert set(d65_67.found["first_session"]) == {66, 67}
    assert said["found"][0].startswith("First used in A/RES/67/189, para. 15: “asset recovery”")
    # Welcomes -> Notes (OP28) stays on one level of the scale: no verb is said to change
    assert said["verbs"] == []


def test_verbs_strengthen_and_weaken_63_to_65(docs):
    said = digest.sentences(digest.session_digest(docs.values(), 65, previous=63))
    assert said["verbs"] == [
        "A/RES/65/232, para. 26: “Urges” became “Encourages” (weakened; was A/RES/63/195, para. 11).",
        "A/RES/65/232, para. 27: “Welcomes” became “Requests” (strengthened; was A/RES/63/195, para. 12)."]


def test_verb_scale_is_data():
    scale = digest.verb_strength()
    assert [scale[v] for v in ("Decides", "Urges", "Requests", "Demands")] == [3, 3, 3, 3]
    assert [scale[v] for v in ("Calls upon", "Encourages", "Invites")] == [2, 2, 2]
    assert [scale[v] for v in ("Notes", "Takes note", "Welcomes")] == [1, 1, 1]


def test_a_text_without_a_list_drops_nothing(docs):
    from analytics.reader import parse_bytes
    extra = [parse_bytes((REAL / n).read_bytes(), source=n) for n in ("A_RES_80_229.txt", "A_C.3_80_L.3.txt")]
    d = digest.session_digest([*docs.values(), *extra], 80)
    assert (d.doc.id, d.previous_doc.id, d.has_list) == ("A-RES-80-229", "A-RES-67-189", False)
    assert set(d.listed["change"]) == {"no-list"}
    said = digest.sentences(d)
    assert not any(s.startswith("Dropped from the list") for s in said["listed"])
    assert said["listed"][0] == (
        "No list in this text (A/RES/80/229): Piracy, listed in A/RES/67/189, para. 20; "
        "A/RES/80/229 still mentions it 2 times (A/RES/80/229, para. 24, p. 18; para. 62, p. 24).")
    assert said["treaties"][0].startswith(
        "Parties to the United Nations Convention against Transnational Organized Crime: 172 → 193 (+21)")
    assert said["found"][0].startswith("First used in A/RES/80/229, preambular para. 3, p. 2: “Kyoto Declaration”")
    # the quote goes on past the semicolon inside the Convention's title (PP2, read by hand):
    # cut there, it would end "by which the United Nations Convention against Cybercrime;"
    cyber = next(s for s in said["found"] if "“Convention against Cybercrime”" in s)
    assert ("by which the United Nations Convention against Cybercrime; Strengthening International "
            "Cooperation for Combating Certain Crimes") in cyber
    # every quote of a first use holds its term (case aside)
    for s in said["found"]:
        term, quote = s.split("“", 2)[1].split("”")[0], s.split(", in “", 1)[1]
        assert term.lower() in quote.lower(), s


@settings(max_examples=300, deadline=None)
@given(words=st.lists(st.text(alphabet="abcdefgh", min_size=1, max_size=12), min_size=1, max_size=120),
       at=st.integers(min_value=0), span=st.integers(min_value=1, max_value=4),
       limit=st.integers(min_value=20, max_value=240))
def test_an_excerpt_holds_its_whole_term_and_cuts_only_between_words(words, at, span, limit):
    text = " ".join(words)
    i = at % len(words)
    term = " ".join(words[i:i + span])
    got = digest.excerpt(text, term, limit)
    assert term in got
    body = got.removeprefix("… ").removesuffix(" …")
    assert f" {body} " in f" {text} "                 # whole words of the text, in order


def test_markdown_and_briefing_pack(d65_67):
    md = digest.render_markdown(d65_67)
    assert md.startswith("# What changed in session 67: A/RES/67/189 against A/RES/65/232\n")
    for heading in digest.HEADINGS.values():
        assert f"\n## {heading}\n" in md
    assert "- No operative verb changed strength." in md
    item = digest.pack_item(d65_67)
    assert item.title == digest.title(d65_67) and item.figure is None
    assert ("A/RES/67/189, para. 20", "identity-related crime") in item.quotes
    html = export.briefing_pack_html([item], title="t")
    assert "158 → 172 (+14)" in html and "What changed in session 67" in html


def test_errors(docs):
    with pytest.raises(LookupError, match="session 61 is not in the series"):
        digest.session_digest(docs.values(), 61)
    with pytest.raises(LookupError, match="first of the series"):
        digest.session_digest(docs.values(), 60)
    with pytest.raises(LookupError, match="not an earlier session"):
        digest.session_digest(docs.values(), 65, previous=67)


def run(*argv, tmp_path):
    out, err = io.StringIO(), io.StringIO()
    rc = main([*argv, "--cache", str(tmp_path / "cache")], out=out, err=err)
    return rc, out.getvalue(), err.getvalue()


def test_cli_digest_and_emerging_detected(tmp_path):
    rc, out, _ = run("digest", "67", "--previous", "65", tmp_path=tmp_path)
    assert rc == 0 and out.startswith("# What changed in session 67: A/RES/67/189 against A/RES/65/232")
    rc, out, _ = run("digest", "67", "--format", "json", tmp_path=tmp_path)
    assert rc == 0 and json.loads(out)["title"].endswith("against 66th session draft")
    assert run("digest", "61", tmp_path=tmp_path)[0] == 4
    assert run("digest", "67", "--series", "no-such-series", tmp_path=tmp_path)[0] == 4
    rc, out, _ = run("emerging-detected", "--top", "3", "--format", "json", tmp_path=tmp_path)
    rows = json.loads(out)
    assert rc == 0 and [r["label"] for r in rows] == ["cultural property", "asset recovery",
                                                      "laundering of proceeds"]
    assert list(rows[0]) == ["issue", "label", "first_session", "first_document", "first_key", "sessions",
                             "counts", "score", "quote", "listed_issue"]
    rc, out, _ = run("emerging-detected", "--format", "csv", tmp_path=tmp_path)
    assert rc == 0 and len(out.strip().splitlines()) > 25        # 25 rows + header (quotes may wrap)
