"""Operative verbs: canonical forms and exact counts read off the seeds."""
import pytest

from analytics.records import Paragraph, Resolution
from analytics.verbs import canonical_verb, lead_profile, verb_profile


def make_doc(operative_leads=(), preambular_leads=(), *, id="A-RES-70-1", symbol="A/RES/70/1",
             session=70):
    pp = tuple(Paragraph("preambular", i, None, l, f"{l} something,")
               for i, l in enumerate(preambular_leads, 1))
    op = tuple(Paragraph("operative", i, i, l, f"{l} something;") for i, l in enumerate(operative_leads, 1))
    return Resolution(id=id, symbol=symbol, session=session, year=None, date=None,
                      kind="resolution", title="t", sponsors=(), agenda_item=None,
                      committee_report=None, plenary_meeting=None, keywords=(), source="x.txt",
                      sha256="0", preambular=pp, operative=op, footnotes=())


@pytest.mark.parametrize("lead,verb", [
    ("Also requests", "Requests"),
    ("Reiterates its request", "Requests"),
    ("Takes note with appreciation", "Takes note"),
    ("Notes with appreciation", "Notes"),
    ("Calls upon", "Calls upon"),
    ("Also calls on", "Calls upon"),
    ("Welcomes with appreciation", "Welcomes"),
    ("Further invites", "Invites"),
    ("Also strongly encourages", "Encourages"),
    ("Reiterates", "Reiterates"),
    ("Draws attention", "Draws attention"),
    ("Expresses its grave concern", "Expresses"),
    ("Urges", "Urges"),
    ("Recalling also", "Recalling"),
    ("Taking note with appreciation", "Taking note"),
    ("Bearing in mind also", "Bearing in mind"),
])
def test_canonical_verb(lead, verb):
    assert canonical_verb(lead) == verb


def counts(df, doc):
    sub = df[df["document"] == doc]
    return dict(zip(sub["verb"], sub["count"]))


def test_63_195_operative_verbs(docs):
    # read off seed 000: OP4, 6, 8, 9, 11 urge; OP13, 19 request and OP18 "reiterates its request";
    # OP1 and OP14 "take note with appreciation"; OP16 "Reiterates the importance"
    df = verb_profile([docs["A-RES-63-195"]])
    assert counts(df, "A-RES-63-195") == {
        "Urges": 5, "Requests": 3, "Reaffirms": 2, "Recognizes": 2, "Takes note": 2,
        "Welcomes": 2, "Draws attention": 1, "Encourages": 1, "Reiterates": 1}
    assert df["count"].sum() == 19
    assert df["verb"].tolist()[:2] == ["Urges", "Requests"]   # count descending, then verb


def test_67_189_operative_verbs(docs):
    # seed 001: 8 "Requests" + OP22, OP41 "Also requests" + OP34 "Reiterates its request" = 11
    df = verb_profile([docs["A-RES-67-189"]])
    assert counts(df, "A-RES-67-189") == {
        "Requests": 11, "Urges": 8, "Encourages": 6, "Notes": 3, "Reaffirms": 3, "Calls upon": 2,
        "Takes note": 2, "Draws attention": 1, "Recognizes": 1, "Recommends": 1, "Reiterates": 1,
        "Underlines": 1, "Welcomes": 1}
    assert df["count"].sum() == 41


def test_lead_profile_63_195(docs):
    df = lead_profile([docs["A-RES-63-195"]])
    pre = df[df["part"] == "preambular"]
    op = df[df["part"] == "operative"]
    assert pre["count"].sum() == 18 and op["count"].sum() == 19
    pre_counts = dict(zip(pre["lead"], pre["count"]))
    assert pre_counts["Recalling"] == 4 and pre_counts["Recalling also"] == 3
    assert pre_counts["Taking note with appreciation"] == 2
    op_counts = dict(zip(op["lead"], op["count"]))
    assert op_counts["Takes note with appreciation"] == 2 and op_counts["Reiterates its request"] == 1
    assert df["part"].tolist() == ["preambular"] * len(pre) + ["operative"] * len(op)


def test_frames_on_hand_made_docs():
    a = make_doc(["Requests", "Also requests", "Urges", "Reiterates its request"],
                 ["Recalling", "Recalling  also"], id="A-RES-71-1", symbol=None, session=71)
    b = make_doc(["Decides"], id="A-RES-69-1", session=69)
    df = verb_profile([a, b])
    assert df[["document", "verb", "count"]].values.tolist() == [
        ["A-RES-69-1", "Decides", 1], ["A-RES-71-1", "Requests", 3], ["A-RES-71-1", "Urges", 1]]
    assert df.loc[1, "symbol"] is None
    assert verb_profile([a], part="preambular")["verb"].tolist() == ["Recalling"]
    leads = lead_profile([a], parts=("preambular",))
    assert leads[["lead", "count"]].values.tolist() == [["Recalling", 1], ["Recalling also", 1]]
    assert verb_profile([]).empty and list(verb_profile([]).columns) == [
        "document", "symbol", "session", "verb", "count"]
    assert verb_profile([make_doc([])]).empty   # zero rows omitted
    with pytest.raises(TypeError):
        verb_profile([a], "preambular")
