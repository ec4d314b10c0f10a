"""Emerging issues, two ways: the lists the Assembly writes, and new terms found in the text."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics import figures as F
from analytics.records import representative
from views import analyses
from views.context import Ctx, open_page
from views.exporting import Chart, show_chart
from views.tables import show_table

TITLE = "Emerging issues: first appearance and persistence"
FOUND_TITLE = "Emerging issues found in the text: first use and persistence"
TOP = 25
FOUND_COLUMNS = ["issue", "label", "first_session", "first_document", "first_key", "sessions",
                 "counts", "score", "quote", "kind", "listed_issue"]

LISTED_NOTE = ("Status on the list: first listed, still listed, listed again, dropped from the list "
               "(the text has a list and the issue is not on it), not on the list (shown only where "
               "the text still mentions the issue); a grey square: no list in this text, so nothing "
               "is said about the issue either way. A number beside a marker: how often that text "
               "mentions the issue anywhere (hover for the paragraphs).")
FOUND_NOTE = ("Terms no earlier text of the series uses, first used in the session marked with a star "
              "and used again by at least half of the later texts; marker size: paragraphs using the "
              "term. Ranked by score (novelty against the earlier texts plus a Kleinberg burst); hover "
              "a star for the sentence that first uses it.")


def timeline_chart(ctx: Ctx) -> Chart:
    return analyses.chart(ctx, "emerging.timeline", lambda: _timeline_chart(ctx))


def _timeline_chart(ctx: Ctx) -> Chart:
    if not ctx.docs:
        return Chart.empty("emerging.timeline", TITLE)
    rows, matrix = analyses.emerging(ctx)
    if matrix.empty:
        return Chart.empty("emerging.timeline", TITLE, "None of the selected texts lists emerging issues "
                           "(“…new and emerging forms of crime, such as …”). Widen the session range.")
    sessions = [c for c in matrix.columns if c != "first_session"]
    reps = {s: d.id for s, d in representative(ctx.docs).items() if s in sessions}
    shown = rows[rows["document"].isin(set(reps.values()))]
    docs = {s: ctx.label(d) for s, d in reps.items()}
    source = ctx.source(reps.values())
    status = analyses.issue_status(ctx)
    fig = F.emerging_timeline(matrix, shown, source=source, documents=docs, mentions=status)
    data = status.assign(mention_keys=status["mention_keys"].map(", ".join),
                         document=status["document"].map(ctx.label)).drop(columns="symbol")
    firsts = shown.merge(matrix[["first_session"]].reset_index(), on="issue")
    firsts = firsts[firsts["session"] == firsts["first_session"]].drop_duplicates("issue")
    quotes = tuple((f"{r.label} — first listed in {ctx.doc(r.document).cite(r.key)}", r.raw)
                   for r in firsts.itertuples())
    caption = (source + ". Listed by the Assembly: the items of each text's own list of emerging "
               "issues. One text per session (the adopted resolution over its draft). " + LISTED_NOTE)
    return Chart("emerging.timeline", TITLE, fig, data, caption, quotes)


def found_chart(ctx: Ctx, top: int = TOP) -> Chart:
    return analyses.chart(ctx, "emerging.detected", lambda: _found_chart(ctx, top), top=top)


def _found_chart(ctx: Ctx, top: int = TOP) -> Chart:
    if len({d.session for d in ctx.docs if d.session is not None}) < 2:
        return Chart.empty("emerging.detected", FOUND_TITLE,
                           "Finding new issues in the wording needs texts of at least two sessions.")
    found = analyses.found_issues(ctx)
    if found.empty:
        return Chart.empty("emerging.detected", FOUND_TITLE,
                           "No term is first used by one session's text and kept by the later ones.")
    shown = found.head(top)
    reps = representative(ctx.docs)
    source = ctx.source(d.id for d in reps.values())
    fig = F.detected_timeline(shown, sessions=list(reps), source=source,
                              documents={s: ctx.label(d.id) for s, d in reps.items()})
    quotes = tuple((f"{r.label} — first used in {ctx.doc(r.first_document).cite(r.first_key)}", r.quote)
                   for r in shown.head(10).itertuples())
    caption = (f"{source}. Found in the text: the {len(shown)} best-scoring of {len(found)} terms. "
               + FOUND_NOTE)
    return Chart("emerging.detected", FOUND_TITLE, fig, shown[FOUND_COLUMNS], caption, quotes)


CHARTS = {"emerging.timeline": ("Emerging issues listed by the Assembly", timeline_chart),
          "emerging.detected": ("Emerging issues found in the text", found_chart)}


def _listed_section(ctx: Ctx) -> None:
    st.subheader("Listed by the Assembly")
    st.caption("What each text itself lists as new and emerging (“…draws attention to the emerging "
               "policy issues …, namely, …”): first listed, still listed, dropped, listed again.")
    show_chart(timeline_chart(ctx))
    rows, _ = analyses.emerging(ctx)
    if rows.empty:
        return
    with st.expander("Wording of every listed item"):
        table = pd.DataFrame({
            "session": rows["session"], "document": [ctx.label(d) for d in rows["document"]],
            "paragraph": rows["key"], "issue": rows["label"], "as written": rows["raw"],
            "note": rows.get("warning", pd.Series([""] * len(rows))),
        })
        show_table(table, ints=["session"], wide=["as written"])


def _found_section(ctx: Ctx) -> None:
    st.subheader("Found in the text")
    st.caption("Terms and named things (declarations, conventions, acronyms) that a session's text is "
               "the first of the series to use, whether or not any list names them.")
    chart = found_chart(ctx)
    show_chart(chart)
    if chart.data is None:
        return
    table = chart.data.assign(
        first_document=[ctx.label(d) for d in chart.data["first_document"]],
        sessions=chart.data["sessions"].map(lambda v: ", ".join(map(str, v))),
        counts=chart.data["counts"].map(lambda v: ", ".join(map(str, v))))
    show_table(table, ints=["first_session"], decimals=["score"], wide=["quote"])


def render() -> None:
    ctx = open_page("Emerging issues", "Two views of what is new: the issues the Assembly lists as emerging, "
                    "and the terms the texts start using. They are read separately and never mixed.",
                    need=1, what="the emerging-issue timeline")
    if ctx is None:
        return
    _listed_section(ctx)
    _found_section(ctx)


if __name__ == "__main__":
    render()
