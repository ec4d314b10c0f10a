"""Treaty figures: States parties to each convention as the resolutions state them."""
from __future__ import annotations

import streamlit as st

from analytics import figures as F
from views import common
from views.common import Chart, Ctx

TITLE = "States parties to conventions, as stated in each resolution"
COLUMNS = ["session", "label", "kind", "short", "parties", "key", "quote", "convention", "document"]


def treaty_data(ctx: Ctx):
    rows = common.treaties_for(ctx)
    kinds = {d.id: d.kind for d in ctx.docs}
    data = rows.assign(label=[ctx.label(d) for d in rows["document"]],
                       kind=[kinds.get(d, "") for d in rows["document"]])
    return data[COLUMNS] if len(data) else data.reindex(columns=COLUMNS)


def parties_chart(ctx: Ctx) -> Chart:
    if not ctx.docs:
        return Chart("treaties.parties", TITLE, None, None, message="No documents match the sidebar filters.")
    data = treaty_data(ctx)
    if data.empty:
        return Chart("treaties.parties", TITLE, None, None,
                     message="None of the selected texts states how many States are parties to a convention.")
    source = ctx.source(dict.fromkeys(data["document"]))
    fig = F.treaty_chart(data, source=source)
    quotes = tuple((f"{r.label}: {ctx.doc(r.document).cite(r.key)} (session {r.session})", r.quote)
                   for r in data.itertuples())
    caption = (source + ". Each point is a figure stated in a resolution; an open circle is a draft. "
               "Hover a point for the paragraph that states it.")
    return Chart("treaties.parties", TITLE, fig, data, caption, quotes)


CHARTS = {"treaties.parties": ("States parties per session", parties_chart)}


def render() -> None:
    ctx = common.context()
    st.title("Treaty figures")
    st.caption("How many States are parties to each convention, in the words of each resolution.")
    if not common.need_docs(ctx, 1, "the treaty chart"):
        return
    chart = parties_chart(ctx)
    common.show_chart(chart)
    if chart.data is not None and len(chart.data):
        st.subheader("The paragraphs that state the figures")
        st.dataframe(chart.data[["session", "label", "short", "parties", "key", "quote"]]
                     .rename(columns={"label": "document", "short": "convention", "key": "paragraph"}),
                     hide_index=True, width="stretch",
                     column_config={"session": st.column_config.NumberColumn(format="%d"),
                                    "quote": st.column_config.TextColumn(width="large")})


if __name__ == "__main__":
    render()
