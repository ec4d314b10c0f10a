"""Lineage: which paragraphs of a document are agreed language, from which session of its
series, and which it borrowed from another series."""
from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from analytics import figures as F
from analytics.lineage import lineage_summary
from analytics.series import SeriesIndex
from views import analyses
from views.context import Ctx, doc_option, open_page
from views.exporting import Chart, show_chart
from views.state import choose, get
from views.tables import show_table

BORROWED_STYLE = ("#CC79A7", "triangle-up")   # Okabe-Ito, apart from agreed / amended / new


def series_index(ctx: Ctx) -> SeriesIndex:
    # the whole corpus's series: the selection is one series, the others are where
    # borrowed language comes from
    return ctx.corpus.series


def lineage_rows(ctx: Ctx) -> pd.DataFrame:
    """`paragraph_lineage` rows of the selected documents, traced through their whole series."""
    return analyses.lineage(ctx)[0]


def borrowed_rows(ctx: Ctx) -> pd.DataFrame:
    """`borrowed_language` rows of the selected documents (sources anywhere in the corpus)."""
    return analyses.lineage(ctx)[1]


def current_doc(ctx: Ctx) -> str | None:
    ids = list(ctx.ids)
    if not ids:
        return None
    chosen = get("doc")
    return chosen if chosen in ids else ids[-1]


def overview_chart(ctx: Ctx) -> Chart:
    return analyses.chart(ctx, "lineage.overview", lambda: _overview_chart(ctx))


def _overview_chart(ctx: Ctx) -> Chart:
    title = "Where each document's wording comes from"
    if not ctx.docs:
        return Chart.empty("lineage.overview", title)
    rows = lineage_rows(ctx)
    data = F.origin_counts(rows, ctx.labels)
    source = ctx.source()
    fig = F.lineage_overview(data, source=source)
    caption = (source + ". Each paragraph is traced to the earliest text of its series whose paragraph it "
               "continues (similar wording, session by session), through the whole series, not only the "
               "sessions and kinds selected; borrowed paragraphs count from their own session.")
    return Chart("lineage.overview", title, fig, data, caption)


def _source_label(ctx: Ctx, index: SeriesIndex, r) -> str:
    series = index.title_of(r.source_series) if r.source_series in index.ids else "another series"
    return f"{ctx.label(r.source_document)} {r.source_key} ({series}, session {r.source_session})"


def _origin_labels(ctx: Ctx, index: SeriesIndex, data: pd.DataFrame) -> list[str]:
    """Where each paragraph's wording comes from: its origin, or for borrowed wording the source."""
    return [_source_label(ctx, index, r) if r.status == "borrowed" else ctx.label(r.origin_document)
            for r in data.itertuples()]


def _add_borrowed(fig: go.Figure, data: pd.DataFrame) -> None:
    """The borrowed paragraphs as a fourth status (the shared figure draws the other three)."""
    g = data[data["status"] == "borrowed"]
    if g.empty:
        return
    colour, symbol = BORROWED_STYLE
    hover = [f"<b>{html.escape(str(k))}</b> – borrowed from {html.escape(src)}, similarity {sim:.2f}"
             f"<br>“{F.hover_text(t)}”" for k, src, sim, t in
             zip(g["key"], g["origin_label"], g["similarity"].astype(float), g["text"])]
    fig.add_trace(go.Scatter(
        x=g["key"], y=g["session"].astype(float), mode="markers", name="borrowed",
        marker={"color": colour, "size": 12, "symbol": symbol, "line": {"width": 1, "color": "white"}},
        hovertext=hover, hovertemplate="%{hovertext}<extra></extra>"))


def paragraphs_chart(ctx: Ctx) -> Chart:
    return analyses.chart(ctx, "lineage.paragraphs", lambda: _paragraphs_chart(ctx), doc=current_doc(ctx))


def _paragraphs_chart(ctx: Ctx) -> Chart:
    doc_id = current_doc(ctx)
    title = "Agreed language"
    if doc_id is None:
        return Chart.empty("lineage.paragraphs", title)
    rows, index = lineage_rows(ctx), series_index(ctx)
    doc = ctx.doc(doc_id)
    texts = {p.key: p.text for p in doc.paragraphs}
    data = rows[rows["document"] == doc_id].drop(columns=["chain"])
    data = data.assign(origin_label=_origin_labels(ctx, index, data),
                       text=[texts.get(k, "") for k in data["key"]])
    source = ctx.source(dict.fromkeys([*data["origin_document"], *data["source_document"].dropna(), doc_id]))
    fig = F.lineage_paragraphs(data, doc_label=doc.label, source=source)
    _add_borrowed(fig, data)
    caption = (f"{source}. agreed: carried over nearly verbatim from an earlier session of the series; "
               "amended: continues an earlier paragraph with changes; new: no earlier paragraph in the "
               "series (every session and kind, not only those selected); borrowed: the same or near-same "
               "wording in another series' resolution (drawn at its own session). Hover for the wording.")
    return Chart("lineage.paragraphs", f"{title} in {doc.label}", fig, data, caption)


CHARTS = {
    "lineage.overview": ("Lineage: origin of each document's wording", overview_chart),
    "lineage.paragraphs": ("Lineage: agreed language in one document", paragraphs_chart),
}


def _metrics(summary: pd.DataFrame, doc_id: str | None) -> None:
    mine = summary[summary["document"] == doc_id]
    if not len(mine):
        return
    r = mine.iloc[0]
    c = st.columns(5)
    c[0].metric("Paragraphs", int(r["paragraphs"]))
    c[1].metric("Agreed language", int(r["agreed"]), help="carried over nearly verbatim")
    c[2].metric("Amended", int(r["amended"]))
    c[3].metric("New", int(r["new"]))
    c[4].metric("Borrowed", int(r["borrowed"]), help="wording found in another series' resolution")


def _paragraph_table(chart: Chart) -> None:
    d = chart.data
    show_table(pd.DataFrame({
        "paragraph": d["key"], "status": d["status"],
        "wording first in": [l if st_ == "borrowed" else f"{l} {k} (session {s})" for st_, l, k, s in
                             zip(d["status"], d["origin_label"], d["origin_key"], d["origin_session"])],
        "similarity": d["similarity"], "text": d["text"]}), decimals=["similarity"], wide=["text"])


def _borrowed_table(ctx: Ctx) -> None:
    st.subheader("Language borrowed from other series")
    b = borrowed_rows(ctx)
    if b.empty:
        st.caption("No paragraph of the selected documents repeats wording of another series' resolution "
                   "(similarity 0.6 or more).")
        return
    index = series_index(ctx)
    st.caption("Agreed language travelling between resolutions: paragraphs with no earlier version in their "
               "own series whose wording is in another series' text of the same or an earlier session.")
    show_table(pd.DataFrame({
        "document": [ctx.label(d) for d in b["document"]], "paragraph": b["key"],
        "from": [ctx.label(d) for d in b["source_document"]], "from paragraph": b["source_key"],
        "series": [index.title_of(s) if s in index.ids else "" for s in b["source_series"]],
        "session": b["source_session"], "similarity": b["similarity"], "text": b["text"],
        "source text": b["source_text"]}), decimals=["similarity"], wide=["text", "source text"])


def _summary(ctx: Ctx, summary: pd.DataFrame) -> None:
    with st.expander("Summary per document"):
        show_table(summary.assign(symbol=[ctx.label(d) for d in summary["document"]]),
                   share_agreed=st.column_config.ProgressColumn("share agreed", min_value=0.0, max_value=1.0,
                                                                format="percent"))


def render() -> None:
    ctx = open_page("Lineage", "Agreed language: which paragraphs repeat earlier wording of their series, the "
                    "session it was first used, and what was borrowed from other resolutions.",
                    need=1, what="lineage")
    if ctx is None:
        return
    choose("doc", "Document", list(ctx.ids), default=current_doc(ctx), format_func=lambda i: doc_option(ctx.doc(i)))
    summary = lineage_summary(lineage_rows(ctx))
    _metrics(summary, current_doc(ctx))
    chart = paragraphs_chart(ctx)
    show_chart(chart)
    if chart.data is not None and len(chart.data):
        _paragraph_table(chart)
    _borrowed_table(ctx)
    st.divider()
    show_chart(overview_chart(ctx))
    _summary(ctx, summary)


if __name__ == "__main__":
    render()
