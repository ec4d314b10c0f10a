"""Treaty figures: the parties to each convention as the resolutions state them (regional
organizations are parties too, so never "States parties" of a count that may include them)."""
from __future__ import annotations

import streamlit as st

from analytics import figures as F
from views import analyses
from views.context import Ctx, open_page
from views.exporting import Chart, show_chart
from views.tables import show_table

TITLE = "Parties to conventions, as stated in each resolution"
COLUMNS = ["session", "label", "kind", "short", "parties", "key", "quote", "convention", "document"]


def treaty_data(ctx: Ctx):
    rows = analyses.treaties(ctx)
    kinds = {d.id: d.kind for d in ctx.docs}
    data = rows.assign(label=[ctx.label(d) for d in rows["document"]],
                       kind=[kinds.get(d, "") for d in rows["document"]])
    return data[COLUMNS] if len(data) else data.reindex(columns=COLUMNS)


def parties_chart(ctx: Ctx) -> Chart:
    if not ctx.docs:
        return Chart.empty("treaties.parties", TITLE)
    data = treaty_data(ctx)
    if data.empty:
        return Chart.empty("treaties.parties", TITLE,
                           "None of the selected texts states how many States are parties to a convention.")
    source = ctx.source(dict.fromkeys(data["document"]))
    fig = F.treaty_chart(data, source=source)
    quotes = tuple((f"{r.label}: {ctx.doc(r.document).cite(r.key)} (session {r.session})", r.quote)
                   for r in data.itertuples())
    caption = (source + ". Each point is a figure stated in a resolution; an open circle is a draft. "
               "Hover a point for the paragraph that states it.")
    return Chart("treaties.parties", TITLE, fig, data, caption, quotes)


CHARTS = {"treaties.parties": ("Parties per session", parties_chart)}


def render() -> None:
    ctx = open_page("Treaty figures", "How many States are parties to each convention, in the words of each "
                    "resolution.", need=1, what="the treaty chart")
    if ctx is None:
        return
    chart = parties_chart(ctx)
    show_chart(chart)
    if chart.data is not None and len(chart.data):
        st.subheader("The paragraphs that state the figures")
        show_table(chart.data[["session", "label", "short", "parties", "key", "quote"]]
                   .rename(columns={"label": "document", "short": "convention", "key": "paragraph"}),
                   ints=["session"], wide=["quote"])


if __name__ == "__main__":
    render()
