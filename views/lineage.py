"""Lineage: which paragraphs of a document are agreed language, and from which session."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics import figures as F
from analytics.lineage import lineage_summary
from views import common
from views.common import Chart, Ctx


def current_doc(ctx: Ctx) -> str | None:
    ids = list(ctx.ids)
    if not ids:
        return None
    chosen = common.get("doc")
    return chosen if chosen in ids else ids[-1]


def overview_chart(ctx: Ctx) -> Chart:
    title = "Where each document's wording comes from"
    if not ctx.docs:
        return Chart("lineage.overview", title, None, None, message="No documents match the sidebar filters.")
    rows = common.lineage_for(ctx)
    data = F.origin_counts(rows, ctx.labels)
    source = ctx.source()
    fig = F.lineage_overview(data, source=source)
    caption = (source + ". Each paragraph is traced to the earliest selected text whose paragraph it "
               "continues (similar wording, session by session).")
    return Chart("lineage.overview", title, fig, data, caption)


def paragraphs_chart(ctx: Ctx) -> Chart:
    doc_id = current_doc(ctx)
    title = "Agreed language"
    if doc_id is None:
        return Chart("lineage.paragraphs", title, None, None, message="No documents match the sidebar filters.")
    rows = common.lineage_for(ctx)
    doc = ctx.doc(doc_id)
    texts = {p.key: p.text for p in doc.paragraphs}
    data = rows[rows["document"] == doc_id].drop(columns=["chain"])
    data = data.assign(origin_label=[ctx.label(d) for d in data["origin_document"]],
                       text=[texts.get(k, "") for k in data["key"]])
    source = ctx.source(dict.fromkeys([*data["origin_document"], doc_id]))
    fig = F.lineage_paragraphs(data, doc_label=doc.label, source=source)
    caption = (f"{source}. agreed: carried over nearly verbatim; amended: continues an earlier paragraph "
               "with changes; new: no earlier paragraph in the selected texts. Hover for the wording.")
    return Chart("lineage.paragraphs", f"{title} in {doc.label}", fig, data, caption)


CHARTS = {
    "lineage.overview": ("Lineage: origin of each document's wording", overview_chart),
    "lineage.paragraphs": ("Lineage: agreed language in one document", paragraphs_chart),
}


def render() -> None:
    ctx = common.context()
    st.title("Lineage")
    st.caption("Agreed language: which paragraphs repeat earlier wording, and the session it was first used.")
    if not common.need_docs(ctx, 1, "lineage"):
        return
    ids = list(ctx.ids)
    common.choose("doc", "Document", ids, default=current_doc(ctx),
                  format_func=lambda i: common.doc_option(ctx.doc(i)))
    rows = common.lineage_for(ctx)
    summary = lineage_summary(rows)
    doc_id = current_doc(ctx)
    mine = summary[summary["document"] == doc_id]
    if len(mine):
        r = mine.iloc[0]
        c = st.columns(4)
        c[0].metric("Paragraphs", int(r["paragraphs"]))
        c[1].metric("Agreed language", int(r["agreed"]), help="carried over nearly verbatim")
        c[2].metric("Amended", int(r["amended"]))
        c[3].metric("New", int(r["new"]))
    chart = paragraphs_chart(ctx)
    common.show_chart(chart)
    if chart.data is not None and len(chart.data):
        st.dataframe(pd.DataFrame({
            "paragraph": chart.data["key"], "status": chart.data["status"],
            "wording first in": [f"{l} {k} (session {s})" for l, k, s in
                                 zip(chart.data["origin_label"], chart.data["origin_key"],
                                     chart.data["origin_session"])],
            "similarity": chart.data["similarity"], "text": chart.data["text"]}),
            hide_index=True, width="stretch",
            column_config={"similarity": st.column_config.NumberColumn(format="%.2f"),
                           "text": st.column_config.TextColumn(width="large")})
    st.divider()
    common.show_chart(overview_chart(ctx))
    with st.expander("Summary per document"):
        st.dataframe(summary.assign(symbol=[ctx.label(d) for d in summary["document"]]),
                     hide_index=True, width="stretch",
                     column_config={"share_agreed": st.column_config.ProgressColumn(
                         "share agreed", min_value=0.0, max_value=1.0, format="percent")})


if __name__ == "__main__":
    render()
