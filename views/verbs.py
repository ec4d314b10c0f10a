"""Operative verbs: how strongly each session's text asks for action, and which verbs changed."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics import figures as F
from analytics.verbs import DIRECTIONS, level_order, strength_scale
from views import analyses
from views.context import Ctx, open_page
from views.exporting import Chart, csv_button, show_chart
from views.state import pick
from views.tables import show_table

TITLE = "Strength of the operative verbs by session"
PROFILE_COLUMNS = ["session", "document", "label", "level", "strength", "count", "share", "verbs"]
CHANGE_COLUMNS = ["from_session", "to_session", "from_label", "from_key", "from_verb", "to_label", "to_key",
                  "to_verb", "direction", "from_text", "to_text"]


def profile_data(ctx: Ctx) -> pd.DataFrame:
    profile, _ = analyses.verb_strength(ctx)
    data = profile.assign(label=[ctx.label(d) for d in profile["document"]])
    return data[PROFILE_COLUMNS] if len(data) else data.reindex(columns=PROFILE_COLUMNS)


def strength_chart(ctx: Ctx) -> Chart:
    if not ctx.docs:
        return Chart.empty("verbs.strength", TITLE)
    data = profile_data(ctx)
    if data.empty or not data["count"].sum():
        return Chart.empty("verbs.strength", TITLE,
                           "No text of the selection with a session number has operative paragraphs.")
    docs = dict(zip(data["session"].astype(int), data["label"]))
    source = ctx.source(dict.fromkeys(data["document"]))
    fig = F.verb_strength_chart(data, source=source, documents=docs, levels=level_order())
    caption = (source + ". One text per session (the adopted resolution over its draft); each bar is the "
               "share of its operative paragraphs by the strength of their opening verb.")
    return Chart("verbs.strength", TITLE, fig, data, caption)


CHARTS = {"verbs.strength": ("Strength of the operative verbs (stacked bars)", strength_chart)}


def change_data(ctx: Ctx) -> pd.DataFrame:
    _, changes = analyses.verb_strength(ctx)
    data = changes.assign(from_label=[ctx.label(d) for d in changes["from_document"]],
                          to_label=[ctx.label(d) for d in changes["to_document"]])
    return data[CHANGE_COLUMNS] if len(data) else data.reindex(columns=CHANGE_COLUMNS)


def _scale_table() -> pd.DataFrame:
    return pd.DataFrame([{"strength": s, "level": n, "verbs": ", ".join(v)} for s, n, v in strength_scale()])


def _changes(ctx: Ctx) -> None:
    st.subheader("Paragraphs whose opening verb changed")
    st.caption("Operative paragraphs paired across consecutive sessions (the Compare page's alignment); "
               "“strengthened” means the new verb sits higher on the scale.")
    data = change_data(ctx)
    if data.empty:
        st.info("No paired operative paragraph changed its opening verb between consecutive sessions.")
        return
    present = [d for d in DIRECTIONS if d in set(data["direction"])]
    chosen = pick("direction", st.multiselect, list(DIRECTIONS), label="Direction", options=list(DIRECTIONS),
                  help="Up or down the strength scale, within one level, or off the scale")
    shown = data[data["direction"].isin(chosen)] if chosen else data
    st.caption(f"{len(shown)} of {len(data)} changes shown ({', '.join(present)} in this selection).")
    show_table(shown, ints=["from_session", "to_session"], wide=["from_text", "to_text"])
    csv_button("Changes as CSV", shown, file_name="verb-changes.csv", key="csv_verbs.changes")


def render() -> None:
    ctx = open_page("Operative verbs", "How strongly each session's text asks for action: the verb that opens "
                    "each operative paragraph, on the scale of analytics/data/verb_strength.toml.",
                    need=1, what="the verb chart")
    if ctx is None:
        return
    show_chart(strength_chart(ctx))
    with st.expander("The strength scale"):
        show_table(_scale_table())
    st.divider()
    _changes(ctx)


if __name__ == "__main__":
    render()
