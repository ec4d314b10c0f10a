"""Emerging policy issues: lists from the seeds (as written), mapping, matrix, mentions."""
import re
from pathlib import Path

import pandas as pd
import pytest

from analytics import emerging
from analytics.reader import parse_text
from analytics.records import Paragraph, Resolution

EXPECTED = {
    "A-RES-63-195": ("OP7", [
        ("urban crime", "urban-crime"),
        ("the sexual exploitation of children", "child-exploitation"),
        ("economic fraud and identity theft", "identity-crime"),
        ("illicit international trafficking in forest products, including timber, wildlife and "
         "other forest biological resources", "environmental-crime"),
        ("cybercrime", "cybercrime"),
    ]),
    "A-RES-65-232": ("OP17", [
        ("piracy", "piracy"),
        ("cybercrime", "cybercrime"),
        ("sexual exploitation of children", "child-exploitation"),
        ("urban crime", "urban-crime"),
    ]),
    "draft-66": ("OP17", [
        ("piracy", "piracy"),
        ("cybercrime", "cybercrime"),
        ("abuse and exploitation of children", "child-exploitation"),
        ("trafficking in cultural property", "cultural-property"),
        ("illicit financial flows", "illicit-financial-flows"),
        ("illicit trafficking in endangered species of wild fauna and flora", "environmental-crime"),
    ]),
    "A-RES-67-189": ("OP20", [
        ("piracy", "piracy"),
        ("cybercrime", "cybercrime"),
        ("the use of new information technologies to abuse and exploit children", "child-exploitation"),
        ("trafficking in cultural property", "cultural-property"),
        ("illicit financial flows", "illicit-financial-flows"),
        # as written in 67/189: with the comma before "including"
        ("environmental crime, including illicit trafficking in endangered species of wild fauna "
         "and flora", "environmental-crime"),
        ("identity-related crime", "identity-crime"),
    ]),
}


def make_doc(doc_id, session=70, *, kind="resolution", preambular=(), operative=()):
    return Resolution(
        id=doc_id, symbol=None if kind == "draft" else f"A/RES/{session}/{doc_id}", session=session,
        year=None, date=None, kind=kind, title="t", sponsors=(), agenda_item=None,
        committee_report=None, plenary_meeting=None, keywords=(), source=f"{doc_id}.txt",
        sha256="0" * 64,
        preambular=tuple(Paragraph("preambular", i, None, t.split()[0], t)
                         for i, t in enumerate(preambular, 1)),
        operative=tuple(Paragraph("operative", i, i, t.split()[0], t)
                        for i, t in enumerate(operative, 1)),
        footnotes=())


@pytest.fixture(scope="module")
def issues(docs):
    return emerging.emerging_issues(docs.values())


# --- the seeds ---------------------------------------------------------------------------------

def test_columns_and_row_order(issues):
    assert list(issues.columns) == ["document", "symbol", "session", "issue", "label", "raw",
                                    "key", "position", "warning"]
    assert list(dict.fromkeys(issues["document"])) == ["A-RES-63-195", "A-RES-65-232",
                                                       "draft-66", "A-RES-67-189"]
    assert (issues["warning"] == "").all()


@pytest.mark.parametrize("doc_id", sorted(EXPECTED))
def test_seed_lists_as_written(issues, doc_id):
    key, expected = EXPECTED[doc_id]
    rows = issues[issues["document"] == doc_id]
    assert list(rows["raw"]) == [raw for raw, _ in expected]
    assert list(rows["issue"]) == [iid for _, iid in expected]
    assert list(rows["position"]) == list(range(1, len(expected) + 1))
    assert set(rows["key"]) == {key}


def test_60_175_lists_nothing_and_report_requests_list_nothing(issues, docs):
    assert "A-RES-60-175" not in set(issues["document"])
    # 63/195 OP19 "... reflecting also emerging policy issues and possible responses."
    assert emerging.list_items(docs["A-RES-63-195"].paragraph("OP19").text) == []
    assert emerging.list_items(docs["A-RES-67-189"].paragraph("OP40").text) == []
    # 65/232 PP11 speaks of "emerging crimes" without a list
    assert emerging.list_items(docs["A-RES-65-232"].paragraph("PP11").text) == []


def test_labels_and_metadata(issues, docs):
    r = issues[(issues["document"] == "draft-66") & (issues["position"] == 1)].iloc[0]
    assert pd.isna(r["symbol"]) and (r["session"], r["label"]) == (66, "Piracy")
    r = issues[(issues["document"] == "A-RES-67-189") & (issues["position"] == 7)].iloc[0]
    assert (r["symbol"], r["session"], r["label"]) == ("A/RES/67/189", 67,
                                                       "Economic fraud and identity-related crime")
    assert issues.attrs == {}          # no side channel: the representatives are asked for
    assert emerging.representatives(docs) == {60: "A-RES-60-175", 63: "A-RES-63-195",
                                               65: "A-RES-65-232", 66: "draft-66", 67: "A-RES-67-189"}


def test_matrix_statuses(issues, docs):
    m = emerging.emerging_matrix(issues, docs=docs.values())
    assert list(m.columns) == [60, 63, 65, 66, 67, "first_session"]
    # 60/175 has no list at all: "no-list" (no list in this text), never "absent" or "dropped"
    expected = {
        "urban-crime":             ["no-list", "first", "persists", "dropped", "absent", 63],
        "child-exploitation":      ["no-list", "first", "persists", "persists", "persists", 63],
        "identity-crime":          ["no-list", "first", "dropped", "absent", "returns", 63],
        "environmental-crime":     ["no-list", "first", "dropped", "returns", "persists", 63],
        "cybercrime":              ["no-list", "first", "persists", "persists", "persists", 63],
        "piracy":                  ["no-list", "absent", "first", "persists", "persists", 65],
        "cultural-property":       ["no-list", "absent", "absent", "first", "persists", 66],
        "illicit-financial-flows": ["no-list", "absent", "absent", "first", "persists", 66],
    }
    assert list(m.index) == list(expected)
    for iid, statuses in expected.items():
        assert m.loc[iid].tolist() == statuses, iid
    # the mapping given explicitly (as a cache layer holding it would) reads the same
    reps = emerging.representatives(docs)
    assert emerging.emerging_matrix(issues, representative=reps).equals(m)
    # from the rows alone, 60/175 (which lists nothing) cannot be seen: its column is missing
    assert list(emerging.emerging_matrix(issues).columns) == [63, 65, 66, 67, "first_session"]
    sub = emerging.emerging_matrix(issues, sessions=[65, 67], docs=docs.values())
    assert list(sub.columns) == [65, 67, "first_session"]
    assert sub.loc["identity-crime"].tolist() == ["absent", "first", 67]
    assert sub.loc["urban-crime"].tolist() == ["first", "dropped", 65]
    assert sub.loc["environmental-crime"].tolist() == ["absent", "first", 67]


def test_matrix_prefers_the_adopted_text_over_its_draft(docs):
    # A hypothetical draft of session 67 listing something else: the resolution decides.
    draft67 = make_doc("draft-67", 67, kind="draft", operative=[
        "Draws attention to the emerging policy issues identified in the report, namely, urban "
        "crime and maritime crime, and invites the Office to explore them;"])
    all_docs = list(docs.values()) + [draft67]
    df = emerging.emerging_issues(all_docs)
    assert list(df[df["document"] == "draft-67"]["issue"]) == ["urban-crime", "maritime-crime"]
    m = emerging.emerging_matrix(df, docs=all_docs)
    assert m.loc["urban-crime", 67] == "absent"
    assert "maritime-crime" not in m.index
    assert m.loc["piracy", 67] == "persists"
    # the same, told by the mapping instead of the documents
    reps = emerging.representatives(all_docs)
    assert reps[67] == "A-RES-67-189"
    assert emerging.emerging_matrix(df, representative=reps).equals(m)


def test_issue_mentions(docs):
    men = emerging.issue_mentions(docs.values())
    assert list(men.columns) == ["document", "symbol", "session", "issue", "label", "count"]
    n_issues = len(emerging.load_aliases()["issues"])
    assert len(men) == len(docs) * n_issues

    def count(doc, iid):
        return int(men[(men["document"] == doc) & (men["issue"] == iid)]["count"].iloc[0])

    assert count("A-RES-65-232", "piracy") == 2              # OP17 list, OP23 "piracy by sea"
    assert count("A-RES-63-195", "piracy") == 0
    assert count("A-RES-65-232", "cybercrime") == 3          # OP4 twice, OP17
    # cultural property is discussed in 65/232 (PP7, OP20) before it is listed in session 66
    assert count("A-RES-65-232", "cultural-property") == 6
    assert count("A-RES-60-175", "cultural-property") == 0
    assert count("A-RES-63-195", "environmental-crime") == 1  # the forest-products item, once
    assert count("A-RES-67-189", "environmental-crime") == 4  # PP23 twice, OP20 twice
    assert count("A-RES-67-189", "illicit-financial-flows") == 2  # PP8, OP20
    assert count("draft-66", "urban-crime") == 0


# --- hand-made fixtures ------------------------------------------------------------------------

def test_report_request_without_list_yields_nothing():
    doc = make_doc("r", operative=[
        "Requests the Secretary-General to submit a report reflecting also emerging policy issues "
        "and possible responses, including, inter alia, an analysis of trends;"])
    assert emerging.emerging_issues([doc]).empty


def test_namely_list_not_about_emerging_issues_yields_nothing():
    doc = make_doc("n", operative=[
        "Recognizes the progress made in the areas of concern, namely, corruption, terrorism and "
        "kidnapping, and invites Member States to report;",
        "Notes the emerging policy issues; and urges States to address, inter alia, piracy and fraud;"])
    assert emerging.emerging_issues([doc]).empty


def test_preambular_lists_are_not_read():
    doc = make_doc("p", preambular=[
        "Recalling the emerging policy issues identified in the report, namely, piracy and cybercrime,"])
    assert emerging.emerging_issues([doc]).empty


def test_one_line_layout_through_the_reader():
    text = ("Resolution adopted by the General Assembly on 21 December 2010 [on the report of the "
            "Third Committee (A/65/457)] 65/999. Strengthening the programme The General Assembly, "
            "Recalling its resolution 64/179, Noting the emerging crimes, namely, nothing at all, "
            "1. Takes note of the report; 2. Draws attention to the emerging policy issues identified "
            "in the report of the SecretaryGeneral, namely, piracy, identityrelated crime and urban "
            "crime, and invites the Office to explore ways; 3. Requests the SecretaryGeneral to "
            "submit a report reflecting also emerging policy issues and possible responses. "
            "71st plenary meeting 21 December 2010")
    doc = parse_text(text, source="one-line.txt")
    df = emerging.emerging_issues([doc])
    assert list(df["issue"]) == ["piracy", "identity-crime", "urban-crime"]
    assert list(df["key"]) == ["OP2"] * 3
    # straight from the one-line string: each list stops at its clause end, and the
    # preambular list ends before "1. Takes note" rather than swallowing it
    assert emerging.list_items(text) == ["nothing at all", "piracy", "identityrelated crime",
                                         "urban crime"]
    assert emerging.list_items(text[text.index("2. Draws"):]) == ["piracy", "identityrelated crime",
                                                                 "urban crime"]


def test_splitting_rules():
    li = emerging.list_items
    # Oxford comma, "as well as", and a semicolon ending the clause
    assert li("Draws attention to emerging policy issues, namely, piracy, cybercrime, and urban "
              "crime; invites States to act") == ["piracy", "cybercrime", "urban crime"]
    assert li("Notes the emerging issues namely piracy as well as cybercrime.") == ["piracy", "cybercrime"]
    # a single item, and two items joined only by "and"
    assert li("Draws attention to the emerging policy issues, inter alia, cybercrime;") == ["cybercrime"]
    assert li("Draws attention to the emerging policy issues, namely piracy and cybercrime;") == [
        "piracy", "cybercrime"]
    # "and" inside a middle item stays; keep-together phrases never split
    assert li("Draws attention to the emerging policy issues, namely, economic fraud and identity "
              "theft, piracy and trafficking in wild fauna and flora;") == [
        "economic fraud and identity theft", "piracy", "trafficking in wild fauna and flora"]
    assert li("Draws attention to the emerging policy issues, namely, piracy and abuse and "
              "exploitation of children;") == ["piracy", "abuse and exploitation of children"]
    # an "including" tail with its own commas attaches to its item; an aside is dropped
    assert li("Draws attention to the emerging policy issues identified in the report, namely, "
              "wildlife crime, including poaching, logging and fishing, and, where appropriate, "
              "the question of organ trafficking, and requests a report;") == [
        "wildlife crime, including poaching, logging and fishing", "organ trafficking"]
    assert li("Draws attention to the emerging policy issues, namely, environmental crime, e.g. "
              "poaching, and piracy. Invites States to act") == [
        "environmental crime, e.g. poaching", "piracy"]
    # several lines of a layout do not matter
    assert li("Draws attention to the emerging\npolicy issues, namely,\n piracy,\ncybercrime;") == [
        "piracy", "cybercrime"]


def test_unmapped_items_get_a_slug_and_a_warning():
    doc = make_doc("u", operative=[
        "Draws attention to the emerging policy issues, namely, piracy and the Illicit Trade in "
        "Widgets, and invites the Office to explore them;"])
    df = emerging.emerging_issues([doc])
    assert list(df["issue"]) == ["piracy", "illicit-trade-in-widgets"]
    assert list(df["raw"]) == ["piracy", "the Illicit Trade in Widgets"]
    assert df["warning"].iloc[0] == ""
    assert "unmapped" in df["warning"].iloc[1] and "Widgets" in df["warning"].iloc[1]
    assert df["label"].iloc[1] == "the Illicit Trade in Widgets"


def test_mapping_by_alias_head_and_keywords():
    doc = make_doc("k", operative=[
        "Draws attention to the emerging policy issues, namely, the sexual abuse of minors online, "
        "Cyber-Crime, crimes that affect the environment, such as poaching, and illicit trafficking "
        "in precious metals, and invites the Office to act;"])
    df = emerging.emerging_issues([doc])
    assert list(df["issue"]) == ["child-exploitation", "cybercrime", "environmental-crime",
                                 "precious-metals"]
    assert df["raw"].iloc[2] == "crimes that affect the environment, such as poaching"


def test_alias_file_override_and_errors(tmp_path):
    (tmp_path / "emerging_aliases.toml").write_text(
        '[[issue]]\nid = "widgets"\nlabel = "Widget trade"\naliases = ["illicit trade in widgets"]\n'
        '[[issue]]\nid = "piracy"\nadd_aliases = ["sea banditry"]\n', encoding="utf-8")
    aliases = emerging.load_aliases(corpus_dir=tmp_path)
    doc = make_doc("o", operative=[
        "Draws attention to the emerging policy issues, namely, sea banditry and the illicit trade "
        "in widgets, and invites the Office to act;"])
    df = emerging.emerging_issues([doc], aliases=aliases)
    assert list(df["issue"]) == ["piracy", "widgets"] and (df["warning"] == "").all()
    men = emerging.issue_mentions([doc], aliases=aliases)
    assert int(men[men["issue"] == "widgets"]["count"].iloc[0]) == 1
    bad = tmp_path / "emerging_aliases.toml"
    bad.write_text("[[issue]\n", encoding="utf-8")
    with pytest.raises(ValueError, match=re.escape(str(bad))):
        emerging.load_aliases(corpus_dir=tmp_path)
    bad.write_text('[[issue]]\nid = "x"\nlabel = "X"\n', encoding="utf-8")
    with pytest.raises(ValueError, match="neither aliases nor keywords"):
        emerging.load_aliases(corpus_dir=tmp_path)


def test_empty_inputs():
    df = emerging.emerging_issues([])
    assert df.empty and list(df.columns) == emerging.COLUMNS
    m = emerging.emerging_matrix(df)
    assert m.empty and list(m.columns) == ["first_session"]
    nothing = make_doc("z", session=61, operative=["Takes note of the report;"])
    m = emerging.emerging_matrix(emerging.emerging_issues([nothing]), docs=[nothing])
    assert m.empty and list(m.columns) == [61, "first_session"]


def test_session_summary_for_the_headline(docs):
    from analytics.emerging import emerging_issues, emerging_matrix, session_summary
    matrix = emerging_matrix(emerging_issues(list(docs.values())), docs=list(docs.values()))
    assert session_summary(matrix) == {"session": 67, "listed": 7, "new": 0, "tracked": 8, "has_list": True}
    assert session_summary(matrix, 66) == {"session": 66, "listed": 6, "new": 2, "tracked": 8, "has_list": True}
    # A/RES/60/175 has no list of emerging issues: its session is "no list", not "0 listed"
    assert session_summary(matrix, 60) == {"session": 60, "listed": 0, "new": 0, "tracked": 8, "has_list": False}


# --- honest statuses: a text without a list, and the mentions beside every status ---------------

def test_status_labels_are_the_legend():
    from analytics import figures as F
    assert emerging.STATUS_LABELS == {
        "first": "first listed", "persists": "still listed", "returns": "listed again",
        "dropped": "dropped from the list", "absent": "not on the list",
        "no-list": "no list in this text"}
    assert {s: legend for s, (_, _, legend) in F.STATUS_STYLE.items()} == emerging.STATUS_LABELS


def test_a_text_without_a_list_drops_nothing():
    listing = ("Draws attention to the emerging policy issues identified in the report, namely, "
               "piracy and cybercrime, and invites the Office to explore them;")
    docs = [make_doc("a", 70, operative=[listing]),
            make_doc("b", 71, operative=["Notes the work on piracy and on cybercrime;"]),
            make_doc("c", 72, operative=[listing.replace("piracy and ", "")])]
    m = emerging.emerging_matrix(emerging.emerging_issues(docs), docs=docs)
    # 71 has no list: nothing is said; 72 is read against 70, the previous text with a list
    assert m.loc["piracy"].tolist() == ["first", "no-list", "dropped", 70]
    assert m.loc["cybercrime"].tolist() == ["first", "no-list", "persists", 70]
    status = emerging.issue_status(docs)
    row = status[(status["issue"] == "piracy") & (status["session"] == 71)].iloc[0]
    assert (row["status_label"], row["listed"], row["mentions"], row["mention_keys"]) == (
        "no list in this text", False, 1, ["OP1"])


def test_issue_status_on_the_bundled_corpus(docs):
    status = emerging.issue_status(docs.values())
    assert list(status.columns) == emerging.STATUS_COLUMNS
    assert len(status) == 8 * 5

    def at(iid, session):
        r = status[(status["issue"] == iid) & (status["session"] == session)].iloc[0]
        return r["status"], r["list_key"], r["mentions"], r["mention_keys"]

    # cultural property: not on 65/232's list, but mentioned six times in PP7 and OP20
    assert at("cultural-property", 65) == ("absent", "", 6, ["PP7", "OP20"])
    assert at("cultural-property", 66) == ("first", "OP17", 7, ["PP9", "OP17", "OP20"])
    # urban crime dropped by the 66 draft and not mentioned anywhere in it
    assert at("urban-crime", 66) == ("dropped", "", 0, [])
    assert at("environmental-crime", 67) == ("persists", "OP20", 4, ["PP23", "OP20"])
    assert at("piracy", 60) == ("no-list", "", 0, [])
    assert status.loc[status["document"] == "draft-66", "symbol"].isna().all()


def test_after_67_the_80th_text_has_no_list(docs):
    from analytics.reader import parse_bytes
    real = Path(__file__).resolve().parent / "fixtures" / "real"
    extra = [parse_bytes((real / n).read_bytes(), source=n) for n in ("A_RES_80_229.txt", "A_C.3_80_L.3.txt")]
    all_docs = [*docs.values(), *extra]
    m = emerging.emerging_matrix(emerging.emerging_issues(all_docs), docs=all_docs)
    assert set(m[80]) == {"no-list"}
    assert "dropped" not in set(m[80])
    status = emerging.issue_status(all_docs)
    at80 = status[status["session"] == 80].set_index("issue")
    assert set(at80["document"]) == {"A-RES-80-229"}
    assert set(at80["status_label"]) == {"no list in this text"}
    # ... and 80/229 still discusses most of them (counts read from the text)
    assert at80["mentions"].to_dict() == {
        "urban-crime": 1, "child-exploitation": 6, "identity-crime": 0, "environmental-crime": 39,
        "cybercrime": 14, "piracy": 2, "cultural-property": 19, "illicit-financial-flows": 6}
    assert at80.loc["piracy", "mention_keys"] == ["OP24", "OP62"]


def test_alias_override_follows_the_one_merge_rule(tmp_path):
    (tmp_path / "emerging_aliases.toml").write_text(
        '[parsing]\nkeep_together = ["bread and butter"]\n\n'
        '[[issue]]\nid = "piracy"\nadd_aliases = ["sea robbery"]\nadd_mentions = ["pirates"]\n\n'
        '[[issue]]\nid = "urban-crime"\nremove = true\n', encoding="utf-8")
    aliases = emerging.load_aliases(corpus_dir=tmp_path)
    bundled = emerging.default_aliases()
    piracy = aliases["issues"]["piracy"]
    assert piracy["aliases"] == bundled["issues"]["piracy"]["aliases"] + ("sea robbery",)
    assert piracy["mentions"][-1] == "pirates" and piracy["label"] == bundled["issues"]["piracy"]["label"]
    assert "urban-crime" not in aliases["issues"] and "urban-crime" in bundled["issues"]
    assert aliases["keep_together"] == bundled["keep_together"] + ("bread and butter",)
    doc = make_doc("y", 70, operative=[
        "Draws attention to the emerging policy issues, namely, sea robbery, bread and butter, and urban crime;"])
    df = emerging.emerging_issues([doc], aliases=aliases)
    assert list(df["raw"]) == ["sea robbery", "bread and butter", "urban crime"]
    assert list(df["issue"]) == ["piracy", "bread-and-butter", "urban-crime"]
    assert df["warning"].tolist()[0] == "" and df["warning"].tolist()[2].startswith("unmapped item 'urban crime'")


def test_default_aliases_is_a_fresh_copy():
    a = emerging.default_aliases()
    a["issues"].pop("piracy")
    assert "piracy" in emerging.default_aliases()["issues"]
