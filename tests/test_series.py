"""Series identity and versions (analytics.series), on hand-made, bundled, real and generated texts."""
from __future__ import annotations

import dataclasses
import json
import random
import tomllib
from pathlib import Path

import pytest

from analytics.corpus import load_corpus
from analytics.reader import parse_bytes, parse_text
from analytics.series import (CLOSE_JACCARD, NAMED_JACCARD, SLUG_MAX, SeriesOverrides, SeriesSplit,
                              document_series, group_series, parse_series_overrides, series_key,
                              series_table, session_ranges)
from tests.docmaker import make_doc

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SERIES = FIXTURES / "series"
REAL = FIXTURES / "real"

CONGRESS = "follow-up-to-the-united-nations-congress-on-crime-prevention"
PROGRAMME = "strengthening-the-united-nations-crime-prevention"
COOPERATION = "cooperation-between-the-united-nations-and-the-example"
CYBER = "action-against-cybercrime"
CYBER_AFRICA = "action-against-cybercrime-in-africa"
ACCESS = "equal-access-to-justice-for-all"
CULTURAL = "strengthening-the-protection-of-cultural-property-against"


def _read(folder: Path) -> list:
    return [parse_bytes(p.read_bytes(), source=p.name) for p in sorted(folder.glob("*.txt"))]


@pytest.fixture(scope="module")
def handmade():
    return _read(SERIES)


@pytest.fixture(scope="module")
def index(handmade):
    return group_series(handmade)


def _groups(index) -> dict[str, list[str]]:
    return {sid: [d.id for d in index.members(sid)] for sid in index.ids}


# --- the title key -------------------------------------------------------------------------------

def test_key_folds_case_punctuation_quotes_and_space():
    assert series_key("Strengthening the United Nations Crime Prevention and Criminal Justice Programme, "
                      "in particular  its technical\ncooperation capacity") == (
        "strengthening the united nations crime prevention and criminal justice programme in particular "
        "its technical cooperation capacity")
    assert series_key("The “Kyoto” Model Strategies (2021)") == "the kyoto model strategies 2021"
    assert series_key("People’s rights") == series_key("Peoples rights") == "peoples rights"
    assert series_key("") == ""


@pytest.mark.parametrize("variant", ["Follow-up", "Followup", "Follow\u2011up", "Follow- up", "FOLLOW-UP",
                                     "Follow-\nup"])
def test_key_ignores_hyphens_a_layout_lost_or_broke(variant):
    assert series_key(f"{variant} to the Congress") == "followup to the congress"


def test_key_replaces_every_advancing_ordinal():
    thirteenth = series_key("Follow-up to the Thirteenth United Nations Congress on Crime Prevention and "
                            "Criminal Justice and preparations for the Fourteenth United Nations Congress")
    fourteenth = series_key("Follow-up to the Fourteenth United Nations Congress on Crime Prevention and "
                            "Criminal Justice and preparations for the 15th United Nations Congress")
    assert thirteenth == fourteenth == ("followup to the # united nations congress on crime prevention and "
                                        "criminal justice and preparations for the # united nations congress")
    for ordinal in ("twenty-first", "Twenty first", "twentyfirst", "21st", "2nd", "103rd", "eightieth",
                    "Hundredth"):
        assert series_key(f"Report on the {ordinal} session") == "report on the # session", ordinal
    # only whole ordinal words: "secondary" and "firsthand" are words of the title
    assert series_key("Secondary schools, firsthand") == "secondary schools firsthand"


# --- hand-made fixtures ---------------------------------------------------------------------------

def test_handmade_series_come_out_exactly(index):
    assert _groups(index) == {
        PROGRAMME: ["A-RES-68-193", "A-RES-70-178", "A-C.3-72-L.3", "A-C.3-72-L.3-Rev.1", "A-RES-72-196"],
        CONGRESS: ["A-RES-70-182", "A-RES-72-192", "A-C.3-74-L.7", "A-RES-74-171"],
        COOPERATION: ["A-RES-71-5", "A-72-L.9", "A-RES-72-7"],
        CYBER_AFRICA: ["A-RES-72-180"],
        CULTURAL: ["A-C.3-72-L.20"],
        CYBER: ["A-RES-71-190"],
        ACCESS: ["A-RES-69-200"],
    }
    # largest first, ties by latest session, then id
    assert index.ids == (PROGRAMME, CONGRESS, COOPERATION, CYBER_AFRICA, CULTURAL, CYBER, ACCESS)
    assert index.largest() == PROGRAMME and len(index) == 7
    assert index.warnings == ()


def test_case_hyphen_and_ordinal_variants_are_one_series(handmade, index):
    titles = {d.id: d.title for d in handmade}
    assert titles["A-RES-74-171"].startswith("FOLLOW-UP TO THE 15th United Nations Congress on crime")
    assert "Thirteenth" in titles["A-RES-70-182"] and "Fifteenth" in titles["A-C.3-74-L.7"]
    assert {index.series_of(i) for i in ("A-RES-70-182", "A-RES-72-192", "A-RES-74-171", "A-C.3-74-L.7")} == {
        CONGRESS}
    # one key however the layout spelled it
    followup = dataclasses.replace(handmade[0], id="x", title=titles["A-RES-72-192"].replace("Follow-up", "Followup"))
    assert group_series([followup, *handmade]).series_of("x") == CONGRESS


def test_reworded_title_joins_through_the_citation_chain(index):
    # 70/178 "Recalling its resolution 68/193 of 18 December 2013 on strengthening the United Nations
    # crime prevention and criminal justice programme": the old, shorter wording of the same series
    assert index.series_of("A-RES-68-193") == index.series_of("A-RES-70-178") == PROGRAMME
    assert ("merged: A-RES-70-178 PP1 cites 68/193 (A-RES-68-193) and names its title "
            "(title word Jaccard 0.67)") in index.notes
    # it also recalls 69/200 "on equal access to justice for all": named, but an unrelated title
    assert index.series_of("A-RES-69-200") == ACCESS
    # 72/180 recalls 71/190 bare: "Action against cybercrime" and "... in Africa" stay apart
    assert index.series_of("A-RES-71-190") == CYBER and index.series_of("A-RES-72-180") == CYBER_AFRICA
    assert not any("A-RES-72-180" in n or "A-RES-69-200" in n for n in index.notes)
    assert (NAMED_JACCARD, CLOSE_JACCARD) == (0.6, 0.8)


def test_display_title_is_the_latest_adopted_wording(index):
    assert index.title_of(PROGRAMME) == ("Strengthening the United Nations crime prevention and criminal "
                                         "justice programme, in particular its technical cooperation capacity")
    assert index.title_of(CONGRESS).startswith("FOLLOW-UP TO THE 15th")       # 74/171, not the draft
    assert index.title_of(CULTURAL) == "Strengthening the protection of cultural property against trafficking"


def test_members_sorted_by_session_drafts_first(index):
    ms = index.members(PROGRAMME)
    assert [(d.session, d.kind) for d in ms] == [(68, "resolution"), (70, "resolution"), (72, "draft"),
                                                 (72, "draft"), (72, "resolution")]


def test_draft_links(index):
    assert index.adopted_as("A-C.3-74-L.7") == "A-RES-74-171"
    assert index.drafts_of("A-RES-74-171") == ("A-C.3-74-L.7",)
    # the plenary resolution names its draft: "without reference to a Main Committee (A/72/L.9)"
    assert index.adopted_as("A-72-L.9") == "A-RES-72-7"
    assert index.drafts_of("A-RES-72-7") == ("A-72-L.9",) and index.drafts_of("A-RES-71-5") == ()
    # a draft with no adopted text in the corpus; a resolution with no draft
    assert index.adopted_as("A-C.3-72-L.20") is None and index.drafts_of("A-RES-69-200") == ()
    # a resolution is adopted as nothing
    assert index.adopted_as("A-RES-72-196") is None


def test_revised_draft_supersedes_its_original(index):
    assert index.superseded_by("A-C.3-72-L.3") == "A-C.3-72-L.3-Rev.1"
    assert index.supersedes("A-C.3-72-L.3-Rev.1") == "A-C.3-72-L.3"
    assert index.superseded_by("A-C.3-72-L.3-Rev.1") is None and index.supersedes("A-C.3-72-L.3") is None
    assert index.adopted_as("A-C.3-72-L.3") == index.adopted_as("A-C.3-72-L.3-Rev.1") == "A-RES-72-196"
    assert index.drafts_of("A-RES-72-196") == ("A-C.3-72-L.3", "A-C.3-72-L.3-Rev.1")
    # the adopted text differs from the original draft by the revision: no note about it
    assert not any(n.startswith("A-C.3-72-L.3 ->") for n in index.notes)
    assert ("A-C.3-74-L.7 -> A-RES-74-171: the adopted text has 2/4 preambular/operative paragraphs, the "
            "draft 2/3 (adopted as changed, or from a revision not in the corpus)") in index.notes


def test_a_committee_draft_never_takes_a_resolution_that_names_another_draft(handmade):
    text = (SERIES / "A_72_L.9.txt").read_text(encoding="utf-8").replace("A/72/L.9", "A/C.3/72/L.30")
    other = parse_text(text, source="A_C.3_72_L.30.txt")
    index = group_series([*handmade, other])
    assert index.series_of("A-C.3-72-L.30") == COOPERATION
    assert index.adopted_as("A-C.3-72-L.30") is None and index.adopted_as("A-72-L.9") == "A-RES-72-7"


def test_several_adopted_candidates_pick_the_closest_wording_and_say_so(handmade):
    text = (SERIES / "A_RES_72_196.txt").read_text(encoding="utf-8")
    twin = text.replace("72/196", "72/250").replace(
        "Urges Member States to strengthen their criminal justice systems",
        "Decides to convene an expert group on prison management and penal reform")
    index = group_series([*handmade, parse_text(twin, source="A_RES_72_250.txt")])
    assert index.series_of("A-RES-72-250") == PROGRAMME
    assert index.adopted_as("A-C.3-72-L.3-Rev.1") == "A-RES-72-196"
    note = next(n for n in index.notes if n.startswith("A-C.3-72-L.3-Rev.1: "))
    assert note.startswith("A-C.3-72-L.3-Rev.1: 2 adopted texts of its series in session 72; linked to "
                           "A-RES-72-196, the closest paragraph wording (word Jaccard 1.00; A-RES-72-250 0.")


def test_series_table(index):
    df = series_table(index)
    assert list(df.columns) == ["series", "title", "sessions", "first_session", "last_session", "documents",
                                "resolutions", "drafts", "latest"]
    rows = df.drop(columns="title").to_dict("records")
    assert rows[:3] == [
        {"series": PROGRAMME, "sessions": "68, 70, 72", "first_session": 68, "last_session": 72,
         "documents": 5, "resolutions": 3, "drafts": 2, "latest": "A-RES-72-196"},
        {"series": CONGRESS, "sessions": "70, 72, 74", "first_session": 70, "last_session": 74,
         "documents": 4, "resolutions": 3, "drafts": 1, "latest": "A-RES-74-171"},
        {"series": COOPERATION, "sessions": "71-72", "first_session": 71, "last_session": 72,
         "documents": 3, "resolutions": 2, "drafts": 1, "latest": "A-RES-72-7"},
    ]
    assert rows[4] == {"series": CULTURAL, "sessions": "72", "first_session": 72, "last_session": 72,
                       "documents": 1, "resolutions": 0, "drafts": 1, "latest": "A-C.3-72-L.20"}
    assert str(df["first_session"].dtype) == "Int64" and str(df["documents"].dtype) == "int64"


def test_document_series(index):
    df = document_series(index)
    assert list(df.columns) == ["document", "series", "series_title", "adopted_as", "drafts"]
    assert len(df) == 16 and df["document"].is_unique
    rows = {r["document"]: r for r in df.to_dict("records")}
    assert rows["A-RES-72-196"]["drafts"] == "A-C.3-72-L.3, A-C.3-72-L.3-Rev.1"
    assert rows["A-C.3-72-L.3"]["adopted_as"] == "A-RES-72-196" and rows["A-C.3-72-L.3"]["drafts"] == ""
    assert rows["A-RES-69-200"]["adopted_as"] is None
    assert rows["A-72-L.9"]["series_title"] == ("Cooperation between the United Nations and the Example "
                                               "Regional Organization")


def test_session_ranges():
    assert session_ranges([60, 61, 62, 63, 64, 65, 66, 67]) == "60-67"
    assert session_ranges([80, 78]) == "78, 80"
    assert session_ranges([60, 63, 65, 66, 67, 67]) == "60, 63, 65-67"
    assert session_ranges([]) == ""


def test_grouping_is_deterministic_and_fingerprinted(handmade, index):
    shuffled = handmade[:]
    random.Random(4).shuffle(shuffled)
    again = group_series(shuffled)
    assert again.fingerprint == index.fingerprint and _groups(again) == _groups(index)
    assert again.notes == index.notes
    fewer = group_series(handmade[1:])
    assert fewer.fingerprint != index.fingerprint
    renamed = group_series(handmade, overrides={"rename": {CYBER: "Cybercrime"}})
    assert renamed.fingerprint != index.fingerprint
    assert len(index.fingerprint) == 16


def test_unknown_ids_raise_a_clear_key_error(index):
    with pytest.raises(KeyError, match="no document with id 'A-RES-1-1'"):
        index.series_of("A-RES-1-1")
    with pytest.raises(KeyError, match="no series 'nope'; series ids are: " + PROGRAMME):
        index.members("nope")
    with pytest.raises(ValueError, match="no series"):
        group_series([]).largest()


def test_duplicate_document_ids_are_refused():
    a = make_doc("x", op=["Decides to act."])
    with pytest.raises(ValueError, match="duplicate document ids: x"):
        group_series([a, a])


def _cited_doc(doc_id: str, title: str, session: int, *, cites: str | None = None):
    op = [f"Recalls its resolution {cites} of 1 December 2015;" if cites else "Recalls the Charter;",
          "Decides to remain seized of the matter."]
    return dataclasses.replace(make_doc(doc_id, op=op, session=session, symbol=f"A/RES/{session}/{doc_id[-2:]}"),
                               title=title)


def test_a_bare_citation_merges_only_nearly_identical_titles():
    old = _cited_doc("A-RES-70-10", "Human rights and unilateral coercive measures", 70)
    new = _cited_doc("A-RES-72-11", "Unilateral coercive measures and human rights", 72, cites="70/10")
    index = group_series([old, new])
    assert index.series_of("A-RES-72-11") == index.series_of("A-RES-70-10")       # word Jaccard 1.00
    assert index.notes == ("merged: A-RES-72-11 OP1 cites 70/10 (A-RES-70-10); the titles are close "
                           "(word Jaccard 1.00)",)
    # 5 of 6 content words (0.83), but the old title plus a region: another scope
    near = _cited_doc("A-RES-72-12", "Human rights and unilateral coercive measures in Africa", 72, cites="70/10")
    index = group_series([old, near])
    assert index.series_of("A-RES-72-12") != index.series_of("A-RES-70-10") and index.notes == ()
    # a recall naming the title is the evidence a qualified title needs (0.83 >= NAMED_JACCARD)
    named = dataclasses.replace(near, operative=(near.operative[0]._replace(
        text="Recalls its resolution 70/10 of 1 December 2015 on human rights and unilateral coercive measures;"),
        *near.operative[1:]))
    assert group_series([old, named]).series_of("A-RES-72-12") == group_series([old]).series_of("A-RES-70-10")


def test_two_groups_with_an_adopted_text_of_one_session_are_never_merged():
    old = _cited_doc("A-RES-70-10", "Human rights and unilateral coercive measures", 70)
    same = _cited_doc("A-RES-72-13", "Human rights and unilateral coercive measures", 72)
    other = _cited_doc("A-RES-72-11", "Unilateral coercive measures and human rights", 72, cites="70/10")
    index = group_series([old, same, other])
    assert index.series_of("A-RES-72-11") != index.series_of("A-RES-70-10") == index.series_of("A-RES-72-13")
    assert index.notes == ("not merged (both have an adopted text of one session): A-RES-72-11 OP1 cites 70/10 "
                           "(A-RES-70-10); the titles are close (word Jaccard 1.00)",)


def test_the_index_is_frozen(index):
    with pytest.raises(dataclasses.FrozenInstanceError):
        index.ids = ()
    with pytest.raises(TypeError):
        index._series["A-RES-69-200"] = CYBER


# --- ids ------------------------------------------------------------------------------------------

def _titled(doc_id: str, title: str, session: int = 70):
    return dataclasses.replace(make_doc(doc_id, op=["Decides to act."], session=session), title=title)


def test_ids_are_readable_slugs_cut_at_a_word_boundary():
    index = group_series([_titled("a", "Strengthening the United Nations crime prevention and criminal "
                                       "justice programme, in particular its technical cooperation capacity"),
                          _titled("b", "Follow-up to the Fourteenth Congress"),
                          _titled("c", "Terrorism and human rights")])
    assert set(index.ids) == {PROGRAMME, "follow-up-to-the-congress", "terrorism-and-human-rights"}
    # "...-prevention-and" would be the longest cut under 60 characters: the dangling "and" goes
    assert all(len(i) <= SLUG_MAX for i in index.ids)


def test_colliding_slugs_get_a_short_hash():
    common = "Strengthening international cooperation in combating the harmful effects of illicit "
    index = group_series([_titled("a", common + "financial flows"), _titled("b", common + "arms flows"),
                          _titled("c", "Unrelated one")])
    a, b = index.series_of("a"), index.series_of("b")
    assert a != b and index.series_of("c") == "unrelated-one"
    for sid in (a, b):
        assert sid.startswith("strengthening-international-cooperation-in-combating") and len(sid) <= SLUG_MAX
        assert len(sid.rsplit("-", 1)[1]) == 6


def test_empty_titles_are_series_of_one():
    index = group_series([_titled("a", ""), _titled("b", "")])
    assert index.series_of("a") != index.series_of("b")
    assert index.series_of("a") == "untitled-a"


def test_id_follows_the_oldest_wording_so_new_sessions_keep_it(handmade):
    # a reworded 76th-session text recalling 74/171 by its title keeps the series id
    text = (SERIES / "A_RES_74_171.txt").read_text(encoding="utf-8")
    newer = text.replace("74/171", "76/181").replace("Seventy-fourth", "Seventy-sixth").replace(
        "2019", "2021").replace("Recalling its resolutions 70/182 of 17 December 2015 and 72/192 of 19 December 2017",
                                "Recalling its resolution 74/171 of 18 December 2019 on the follow-up to the Fifteenth "
                                "United Nations Congress on Crime Prevention and Criminal Justice")
    newer = newer.replace("FOLLOW-UP TO THE 15th United Nations Congress on crime prevention and criminal justice and "
                          "preparations for the Sixteenth United Nations Congress on crime prevention and criminal justice",
                          "Follow-up to the Sixteenth United Nations Congress on Crime Prevention and Criminal Justice "
                          "and preparations for the Seventeenth Congress on Crime Prevention and Criminal Justice")
    index = group_series([*handmade, parse_text(newer, source="A_RES_76_181.txt")])
    assert index.series_of("A-RES-76-181") == CONGRESS
    assert index.title_of(CONGRESS).startswith("Follow-up to the Sixteenth")


# --- overrides ------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def overrides():
    data = tomllib.loads((SERIES / "series.toml").read_text(encoding="utf-8"))
    return parse_series_overrides(data, source="series.toml")


def test_overrides_file_merges_splits_and_renames(handmade, overrides):
    assert overrides == SeriesOverrides(
        merge=((CYBER, "A-RES-72-180"),),
        split=(SeriesSplit(id="programme-old-wording", documents=("A-RES-68-193",),
                           title="Strengthening the Programme (old wording)"),),
        rename=((CONGRESS, "Congress follow-up"),), source="series.toml")
    index = group_series(handmade, overrides=overrides)
    assert index.warnings == ()
    groups = _groups(index)
    assert groups[CYBER] == ["A-RES-71-190", "A-RES-72-180"] and CYBER_AFRICA not in groups
    assert groups["programme-old-wording"] == ["A-RES-68-193"]
    assert groups[PROGRAMME] == ["A-RES-70-178", "A-C.3-72-L.3", "A-C.3-72-L.3-Rev.1", "A-RES-72-196"]
    assert index.title_of("programme-old-wording") == "Strengthening the Programme (old wording)"
    assert index.title_of(CONGRESS) == "Congress follow-up"
    assert index.title_of(CYBER) == "Action against cybercrime in Africa"   # latest adopted wording
    assert index.ids[:2] == (CONGRESS, PROGRAMME)


def test_override_ids_resolve_documents_and_merged_series(handmade):
    index = group_series(handmade, overrides={
        "merge": [{"ids": [ACCESS, CYBER_AFRICA, CYBER]},
                  {"ids": [CYBER, "A-C.3-72-L.20"]},           # CYBER went into ACCESS
                  {"ids": ["A-RES-72-192", "A-72-L.9"]}],      # documents only: the first one's series
        "rename": {CYBER: "Merged away, still known", "A-RES-71-5": "Cooperation (renamed by a document)"}})
    assert index.warnings == ()
    # series ids bring their series; the first listed keeps its id; a document moves alone
    groups = _groups(index)
    assert groups[ACCESS] == ["A-RES-69-200", "A-RES-71-190", "A-C.3-72-L.20", "A-RES-72-180"]
    assert groups[CONGRESS] == ["A-RES-70-182", "A-72-L.9", "A-RES-72-192", "A-C.3-74-L.7", "A-RES-74-171"]
    assert groups[COOPERATION] == ["A-RES-71-5", "A-RES-72-7"] and CULTURAL not in groups
    assert index.title_of(ACCESS) == "Merged away, still known"
    assert index.title_of(COOPERATION) == "Cooperation (renamed by a document)"


def test_override_split_of_part_of_a_series_keeps_the_rest(handmade):
    index = group_series(handmade, overrides={"split": [{"id": "plenary-draft", "documents": ["A-72-L.9"]}]})
    assert _groups(index)["plenary-draft"] == ["A-72-L.9"]
    assert index.title_of("plenary-draft") == ("Cooperation between the United Nations and the Example "
                                               "Regional Organization")
    assert index.adopted_as("A-72-L.9") is None          # its adopted text is in another series now
    assert _groups(index)[COOPERATION] == ["A-RES-71-5", "A-RES-72-7"]


def test_unknown_override_ids_are_reported_not_fatal(handmade):
    data = {"merge": [{"ids": [CYBER, "A-RES-99-1"]}], "split": [{"id": CYBER, "documents": ["A-RES-69-200"]},
                                                                 {"id": "new", "documents": ["nope"]}],
            "rename": {"no-such-series": "X"}}
    index = group_series(handmade, overrides=parse_series_overrides(data, source="corpus/series.toml"))
    assert index.warnings == (
        f"corpus/series.toml: split '{CYBER}': that id already names a series; choose another id (split ignored)",
        "corpus/series.toml: split 'new': unknown id 'nope' (not a series id or a document id of this corpus); "
        "ignored",
        "corpus/series.toml: merge entry 1: unknown id 'A-RES-99-1' (not a series id or a document id of this "
        "corpus); ignored",
        "corpus/series.toml: merge entry 1: fewer than two known ids; nothing merged",
        "corpus/series.toml: rename 'no-such-series': unknown id 'no-such-series' (not a series id or a document "
        "id of this corpus); ignored")
    assert _groups(index) == _groups(group_series(handmade))
    with pytest.raises(ValueError, match="unknown id 'A-RES-99-1'"):
        group_series(handmade, overrides=data, strict=True)


@pytest.mark.parametrize("data, message", [
    ([], "my/series.toml: expected a table with merge, split, rename, got list"),
    ({"merges": []}, "my/series.toml: unknown key 'merges' (expected merge, split, rename)"),
    ({"merge": {"ids": ["a", "b"]}}, "my/series.toml: merge: expected a list of tables ([[...]] in TOML), got dict"),
    ({"merge": [{"ids": ["a"]}]}, "my/series.toml: merge entry 1: ids: expected at least 2 different ids, "
                                  "got ['a']"),
    ({"merge": [{"ids": ["a", "a"]}]}, "my/series.toml: merge entry 1: ids: expected at least 2 different ids, "
                                       "got ['a']"),
    ({"merge": [{"ids": "a b"}]}, "my/series.toml: merge entry 1: ids: expected a list of ids (non-empty "
                                  "strings), got 'a b'"),
    ({"merge": [{"ids": ["a", 3]}]}, "my/series.toml: merge entry 1: ids: expected a list of ids (non-empty "
                                     "strings), got ['a', 3]"),
    ({"merge": [{"series": ["a", "b"]}]}, "my/series.toml: merge entry 1: unknown key 'series' (expected ids)"),
    ({"merge": ["a"]}, "my/series.toml: merge entry 1: expected a table, got str"),
    ({"split": [{"id": "x"}]}, "my/series.toml: split entry 1: missing 'documents'"),
    ({"split": [{"id": "Bad Id", "documents": ["a"]}]}, "my/series.toml: split entry 1: id 'Bad Id' must be "
                                                        "lower-case letters, digits and hyphens (at most 80 "
                                                        "characters)"),
    ({"split": [{"id": "x", "documents": ["a"], "title": ""}]}, "my/series.toml: split entry 1 (x): title: "
                                                                "expected a non-empty title string, got ''"),
    ({"split": [{"id": "x", "documents": ["a"]}, {"id": "x", "documents": ["b"]}]},
     "my/series.toml: split id 'x' is used twice"),
    ({"split": [{"id": "x", "documents": ["a"]}, {"id": "y", "documents": ["a"]}]},
     "my/series.toml: document 'a' is in two splits ('x' and 'y')"),
    ({"rename": [["a", "b"]]}, 'my/series.toml: rename: expected a table of id = "title", got list'),
    ({"rename": {"a": 3}}, "my/series.toml: rename 'a': expected a non-empty title string, got 3"),
])
def test_malformed_overrides_raise_value_error_naming_the_file(data, message):
    with pytest.raises(ValueError) as exc:
        parse_series_overrides(data, source="my/series.toml")
    assert str(exc.value) == message


def test_empty_overrides_change_nothing(handmade, index):
    empty = parse_series_overrides({}, source="series.toml")
    assert empty == SeriesOverrides()
    assert _groups(group_series(handmade, overrides=empty)) == _groups(index)


# --- the bundled corpus -----------------------------------------------------------------------------

def test_bundled_corpus_is_one_series_of_five(corpus):
    index = group_series(corpus.documents)
    assert index.ids == (PROGRAMME,)
    assert [d.id for d in index.members(PROGRAMME)] == ["A-RES-60-175", "A-RES-63-195", "A-RES-65-232",
                                                        "draft-66", "A-RES-67-189"]
    assert index.adopted_as("draft-66") is None          # the 66th session's resolution is not bundled
    assert index.drafts_of("A-RES-67-189") == ()
    row = series_table(index).iloc[0]
    assert (row["sessions"], row["documents"], row["resolutions"], row["drafts"], row["latest"]) == (
        "60, 63, 65-67", 5, 4, 1, "A-RES-67-189")
    assert row["title"] == ("Strengthening the United Nations crime prevention and criminal justice programme, "
                            "in particular its technical cooperation capacity")


# --- real documents with the bundled corpus ---------------------------------------------------------

REAL_SERIES = [
    {"A-RES-60-175", "A-RES-63-195", "A-RES-65-232", "draft-66", "A-RES-67-189", "A-C.3-80-L.3", "A-RES-80-229"},
    {"A-RES-78-223", "A-RES-79-186", "A-RES-80-225"},
    {"A-RES-78-228", "A-RES-80-228", "A-C.3-80-L.4"},
    {"A-RES-78-6", "A-RES-79-6", "A-RES-80-6", "A-80-L.9"},
    {"A-RES-78-210", "A-RES-80-213", "A-C.3-80-L.43"},
    *({x} for x in ("A-RES-78-224", "A-RES-78-225", "A-RES-78-226", "A-RES-78-227", "A-RES-79-190",
                    "A-RES-79-191", "A-RES-79-242", "A-RES-80-226", "A-RES-80-227")),
]


@pytest.fixture(scope="module")
def mixed(corpus):
    return group_series([*_read(REAL), *corpus.documents])


def test_real_and_bundled_series_come_out_exactly(mixed):
    assert sorted(map(sorted, (set(_groups(mixed)[s]) for s in mixed.ids))) == sorted(map(sorted, REAL_SERIES))
    assert mixed.ids[:5] == (PROGRAMME, "report-of-the-international-criminal-court", CONGRESS,
                             "improving-the-coordination-of-efforts-against-trafficking",
                             "terrorism-and-human-rights")
    assert series_table(mixed)["sessions"].tolist()[:5] == ["60, 63, 65-67, 80", "78-80", "78-80", "78, 80",
                                                            "78, 80"]


def test_real_series_titles_match_the_facts(mixed):
    facts = json.loads((REAL / "facts.json").read_text(encoding="utf-8"))
    by_symbol = {d.symbol: d for sid in mixed.ids for d in mixed.members(sid)}
    for name, fact in facts.items():
        doc = by_symbol[fact["symbol"]]
        same = [by_symbol[f["symbol"]].id for f in facts.values() if f["series"] == fact["series"]]
        assert {mixed.series_of(i) for i in same} == {mixed.series_of(doc.id)}, name


def test_real_draft_links(mixed):
    assert mixed.adopted_as("A-C.3-80-L.4") == "A-RES-80-228"
    assert mixed.adopted_as("A-C.3-80-L.43") == "A-RES-80-213"
    assert mixed.adopted_as("A-80-L.9") == "A-RES-80-6"
    # 72/73 paragraphs became 78/79: still the same series and session, and the note says so
    assert mixed.adopted_as("A-C.3-80-L.3") == "A-RES-80-229"
    assert ("A-C.3-80-L.3 -> A-RES-80-229: the adopted text has 78/79 preambular/operative paragraphs, the "
            "draft 72/73 (adopted as changed, or from a revision not in the corpus)") in mixed.notes
    assert mixed.adopted_as("draft-66") is None
    assert mixed.drafts_of("A-RES-80-6") == ("A-80-L.9",) and mixed.drafts_of("A-RES-79-6") == ()
    # 80/229 recalls 79/186 and 80/225 by title (the Congress), 78/227 (equal access): no merge
    assert not any(n.startswith("merged") for n in mixed.notes)


# --- generated corpus -----------------------------------------------------------------------------

def test_generated_corpus_grouping_matches_the_manifest(tmp_path):
    from benchmarks.generate import generate, load_manifest
    from benchmarks.series_eval import grouping_scores, pair_scores
    out = tmp_path / "corpus"
    generate(out, 300, seed=3)
    docs = load_corpus(out, cache_dir=tmp_path / "cache", workers=1).documents
    scores = grouping_scores(out, load_manifest(out), docs=docs)
    assert scores["documents"] == 300
    assert scores["precision"] >= 0.99 and scores["recall"] >= 0.99, scores
    assert scores["series"] == scores["true_series"]
    assert pair_scores({"a": 1, "b": 1, "c": 2}, {"a": "x", "b": "y", "c": "y"}) == {
        "precision": 0.0, "recall": 0.0, "documents": 3}
    assert pair_scores({"a": 1, "b": 1, "c": 1}, {"a": "x", "b": "x", "c": "y"}) == {
        "precision": 1 / 3, "recall": 1.0, "documents": 3}
