"""Themes: how often each theme is mentioned, session by session."""
from __future__ import annotations

import streamlit as st

from analytics import figures as F
from analytics.themes import representative_ids, theme_series
from views import common
from views.common import Chart, Ctx

VALUES = {"count": "Mentions", "per_1000": "Per 1,000 words"}
MAX_LINES = 8


def _value() -> str:
    v = common.get("value")
    return v if v in VALUES else "count"


def _suffix(value: str) -> str:
    return " (per 1,000 words)" if value == "per_1000" else ""


def _series(ctx: Ctx):
    counts = common.themes_for(ctx)
    if ctx.themes:
        counts = counts[counts["theme"].isin(ctx.themes)]
    series = theme_series(counts, value=_value())
    reps = representative_ids(counts)
    return counts, series, reps


def _empty(chart_id: str, title: str, ctx: Ctx) -> Chart | None:
    if not ctx.docs:
        return Chart(chart_id, title, None, None, message="No documents match the sidebar filters.")
    return None


def heatmap_chart(ctx: Ctx) -> Chart:
    title = "Theme mentions by session"
    if (empty := _empty("themes.heatmap", title, ctx)) is not None:
        return empty
    counts, series, reps = _series(ctx)
    if series.empty or not len(series.columns):
        return Chart("themes.heatmap", title, None, None,
                     message="No session in the selection has a text with a session number.")
    labels = {t: ctx.theme_label(t) for t in series.index}
    docs = {s: ctx.label(d) for s, d in reps.items()}
    value = _value()
    fig = F.theme_heatmap(series, labels=labels, value=value, source=ctx.source(reps.values()),
                          documents=docs, keys=F.theme_keys(counts, reps))
    data = F.theme_table(series, labels, docs)
    caption = (ctx.source(reps.values()) + ". One text per session (the adopted resolution over its draft). "
               + ("Mentions per 1,000 words of the text." if value == "per_1000" else "Number of mentions."))
    return Chart("themes.heatmap", title + _suffix(value), fig, data, caption)


def lines_chart(ctx: Ctx) -> Chart:
    title = "Theme trends by session"
    if (empty := _empty("themes.lines", title, ctx)) is not None:
        return empty
    counts, series, reps = _series(ctx)
    if series.empty or not len(series.columns):
        return Chart("themes.lines", title, None, None,
                     message="No session in the selection has a text with a session number.")
    shown = F.top_rows(series, MAX_LINES)
    labels = {t: ctx.theme_label(t) for t in shown.index}
    docs = {s: ctx.label(d) for s, d in reps.items()}
    value = _value()
    fig = F.theme_lines(shown, labels=labels, value=value, source=ctx.source(reps.values()), documents=docs)
    note = "" if len(shown) == len(series) else (
        f" Showing the {len(shown)} themes with the highest average; pick themes in the sidebar to choose.")
    return Chart("themes.lines", title + _suffix(value), fig, F.theme_table(shown, labels, docs),
                 ctx.source(reps.values()) + "." + note)


CHARTS = {
    "themes.heatmap": ("Theme mentions by session (heatmap)", heatmap_chart),
    "themes.lines": ("Theme trends by session (lines)", lines_chart),
}


def render() -> None:
    ctx = common.context()
    st.title("Themes")
    st.caption("How often each theme of the lexicon is mentioned in each session's text.")
    if not common.need_docs(ctx, 1, "the theme charts"):
        return
    common.bound("value", st.radio, coerce=lambda v: v if v in VALUES else "count",
                 label="Measure", options=list(VALUES), format_func=VALUES.get, horizontal=True,
                 help="Absolute mentions, or mentions per 1,000 words (texts differ in length)")
    common.show_chart(heatmap_chart(ctx))
    st.divider()
    common.show_chart(lines_chart(ctx))


if __name__ == "__main__":
    render()
