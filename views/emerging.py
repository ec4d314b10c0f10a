"""Emerging issues: when each listed issue first appears, persists, drops out or returns."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics import figures as F
from analytics.records import representative
from views import common
from views.common import Chart, Ctx

TITLE = "Emerging issues: first appearance and persistence"


def timeline_chart(ctx: Ctx) -> Chart:
    if not ctx.docs:
        return Chart("emerging.timeline", TITLE, None, None, message="No documents match the sidebar filters.")
    rows, matrix = common.emerging_for(ctx)
    if matrix.empty:
        return Chart("emerging.timeline", TITLE, None, None,
                     message="None of the selected texts lists emerging issues "
                             "(“…new and emerging forms of crime, such as …”). Widen the session range.")
    sessions = [c for c in matrix.columns if c != "first_session"]
    reps = {s: d.id for s, d in representative(ctx.docs).items() if s in sessions}
    shown = rows[rows["document"].isin(set(reps.values()))]
    docs = {s: ctx.label(d) for s, d in reps.items()}
    source = ctx.source(reps.values())
    fig = F.emerging_timeline(matrix, shown, source=source, documents=docs)
    labels = dict(zip(rows["issue"], rows["label"]))
    data = matrix.reset_index()
    data.insert(1, "label", [labels.get(i, i) for i in data["issue"]])
    firsts = shown.merge(matrix[["first_session"]].reset_index(), on="issue")
    firsts = firsts[firsts["session"] == firsts["first_session"]].drop_duplicates("issue")
    quotes = tuple((f"{r.label} — first listed in {ctx.doc(r.document).cite(r.key)}", r.raw)
                   for r in firsts.itertuples())
    caption = (source + ". One text per session (the adopted resolution over its draft). "
               "Hover a point for the wording; a cross marks the session an issue stopped being listed.")
    return Chart("emerging.timeline", TITLE, fig, data, caption, quotes)


CHARTS = {"emerging.timeline": ("Emerging issues timeline", timeline_chart)}


def render() -> None:
    ctx = common.context()
    st.title("Emerging issues")
    st.caption("Issues the Assembly lists as new and emerging, session by session: "
               "first appearance, persistence, drop and return.")
    if not common.need_docs(ctx, 1, "the emerging-issue timeline"):
        return
    common.show_chart(timeline_chart(ctx))
    rows, matrix = common.emerging_for(ctx)
    if rows.empty:
        return
    st.subheader("Wording of every listed item")
    table = pd.DataFrame({
        "session": rows["session"], "document": [ctx.label(d) for d in rows["document"]],
        "paragraph": rows["key"], "issue": rows["label"], "as written": rows["raw"],
        "note": rows.get("warning", pd.Series([""] * len(rows))),
    })
    st.dataframe(table, hide_index=True, width="stretch",
                 column_config={"session": st.column_config.NumberColumn(format="%d"),
                                "as written": st.column_config.TextColumn(width="large")})


if __name__ == "__main__":
    render()
