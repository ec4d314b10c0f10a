"""Topic drift: how far each session's vocabulary moved, which terms rose and fell,
and the trend of any term the user types."""
from __future__ import annotations

import streamlit as st

from analytics import figures as F
from analytics.records import representative
from views import analyses
from views.context import Ctx, open_page
from views.exporting import Chart, show_chart
from views.state import bound, get, put


def _ends(ctx: Ctx) -> tuple[int, int] | None:
    sessions = sorted(representative(ctx.docs))
    return (sessions[0], sessions[-1]) if len(sessions) >= 2 else None


def distance_chart(ctx: Ctx) -> Chart:
    title = "Topic drift between consecutive sessions"
    if _ends(ctx) is None:
        return Chart.empty("drift.distance", title,
                           "Topic drift needs texts from at least two sessions: widen the session range.")
    data = analyses.distances(ctx)
    docs = ctx.session_docs()
    reps = {s: d.id for s, d in representative(ctx.docs).items()}
    source = ctx.source(reps.values())
    fig = F.drift_chart(data, source=source, documents=docs)
    caption = (source + ". Distance is 1 − cosine similarity of the sessions' tf-idf vocabularies: "
               "0 means the same wording, 1 nothing in common.")
    return Chart("drift.distance", title, fig, data, caption)


def changes_chart(ctx: Ctx) -> Chart:
    ends = _ends(ctx)
    title = "Rising and falling terms"
    if ends is None:
        return Chart.empty("drift.terms", title, "Rising and falling terms need texts from at least two sessions.")
    a, b = ends
    docs = ctx.session_docs()
    data = analyses.term_changes(ctx, a, b)
    if data.empty:
        return Chart.empty("drift.terms", title, f"No term changed weight between sessions {a} and {b}.")
    reps = representative(ctx.docs)
    source = ctx.source([reps[a].id, reps[b].id])
    la, lb = f"session {a} ({docs[a]})", f"session {b} ({docs[b]})"
    fig = F.term_changes_chart(data, a_label=f"session {a}", b_label=f"session {b}", source=source)
    caption = (f"{source}. Terms whose tf-idf weight changed most from {la} to {lb} — the ends of the "
               "session range in the sidebar (tf-idf over every selected session).")
    return Chart("drift.terms", f"Rising and falling terms: session {a} → {b}", fig, data, caption)


def default_term(ctx: Ctx) -> str:
    ends = _ends(ctx)
    if ends:
        rising = analyses.term_changes(ctx, *ends)
        rising = rising[rising["direction"] == "rising"]
        if len(rising):
            return str(rising["term"].iloc[0])
    return "cybercrime"


def trend_chart(ctx: Ctx) -> Chart:
    term = (get("term") or default_term(ctx)).strip()
    title = f"Trend of “{term}”"
    if not ctx.docs:
        return Chart.empty("drift.trend", title)
    try:
        data = analyses.term_trend(ctx, term)
    except ValueError as exc:
        return Chart.empty("drift.trend", title, f"Type a word or phrase to chart ({exc}).")
    if data.empty:
        return Chart.empty("drift.trend", title, "No session in the selection has a text.")
    data = data.assign(label=[ctx.label(d) for d in data["document"]])
    shown = str(data["term"].iloc[0]) if len(data) else term
    source = ctx.source(data["document"])
    fig = F.term_trend_chart(data, term=shown, source=source)
    total = int(data["count"].sum())
    caption = (f"{source}. “{shown}” occurs {total} time{'s' if total != 1 else ''} in the selected texts "
               "(case, quotes and hyphens ignored); labels give the raw count.")
    return Chart("drift.trend", f"Trend of “{shown}”", fig, data, caption)


CHARTS = {
    "drift.distance": ("Topic drift between sessions", distance_chart),
    "drift.terms": ("Rising and falling terms", changes_chart),
    "drift.trend": ("Trend of a term", trend_chart),
}


def _term_input(ctx: Ctx) -> None:
    bound("term", st.text_input, coerce=lambda v: v or "", label="Word or phrase",
          placeholder=f"e.g. {default_term(ctx)}", max_chars=80,
          help="Counted on folded text: case, curly quotes and hyphens do not matter")
    if not get("term"):
        put("term", None)


def render() -> None:
    ctx = open_page("Topic drift", "How far the wording moves from one session to the next, and which terms "
                    "drive it.", need=1, what="topic drift")
    if ctx is None:
        return
    show_chart(distance_chart(ctx))
    st.divider()
    show_chart(changes_chart(ctx))
    st.divider()
    st.subheader("Trend of any term")
    _term_input(ctx)
    show_chart(trend_chart(ctx))


if __name__ == "__main__":
    render()
