"""Themes: how often each theme is mentioned, session by session."""
from __future__ import annotations

import functools

import pandas as pd
import streamlit as st

from analytics import figures as F
from analytics import lexicon_edit as LE
from analytics.themes import representative_ids, theme_series
from views import analyses
from views.context import Ctx, open_page
from views.exporting import Chart, show_chart
from views.markup import md
from views.paths import corpus_dir
from views.state import bound, get

VALUES = {"count": "Mentions", "per_1000": "Per 1,000 words"}
MAX_LINES = 8


def _value() -> str:
    v = get("value")
    return v if v in VALUES else "count"


def _suffix(value: str) -> str:
    return " (per 1,000 words)" if value == "per_1000" else ""


def _theme_chart(chart_id: str, title: str):
    """A chart of the selection's theme series: ``draw(ctx, title, counts, series, reps)`` is
    called only when there is something to draw (reps: session -> representative id)."""
    def wrap(draw):
        @functools.wraps(draw)
        def make(ctx: Ctx) -> Chart:
            return analyses.chart(ctx, chart_id, lambda: build(ctx), value=_value())

        def build(ctx: Ctx) -> Chart:
            if not ctx.docs:
                return Chart.empty(chart_id, title)
            counts = analyses.themes(ctx)
            if ctx.themes:
                counts = counts[counts["theme"].isin(ctx.themes)]
            series = theme_series(counts, value=_value())
            if series.empty or not len(series.columns):
                return Chart.empty(chart_id, title, "No session in the selection has a text with a session number.")
            return draw(ctx, title, counts, series, representative_ids(counts))
        return make
    return wrap


@_theme_chart("themes.heatmap", "Theme mentions by session")
def heatmap_chart(ctx: Ctx, title: str, counts, series, reps) -> Chart:
    labels = {t: ctx.theme_label(t) for t in series.index}
    docs = {s: ctx.label(d) for s, d in reps.items()}
    value = _value()
    fig = F.theme_heatmap(series, labels=labels, value=value, source=ctx.source(reps.values()),
                          documents=docs, keys=F.theme_keys(counts, reps))
    data = F.theme_table(series, labels, docs)
    caption = (ctx.source(reps.values()) + ". One text per session (the adopted resolution over its draft). "
               + ("Mentions per 1,000 words of the text." if value == "per_1000" else "Number of mentions."))
    return Chart("themes.heatmap", title + _suffix(value), fig, data, caption)


@_theme_chart("themes.lines", "Theme trends by session")
def lines_chart(ctx: Ctx, title: str, counts, series, reps) -> Chart:
    shown = F.top_rows(series, MAX_LINES)
    labels = {t: ctx.theme_label(t) for t in shown.index}
    docs = {s: ctx.label(d) for s, d in reps.items()}
    value = _value()
    fig = F.theme_lines(shown, labels=labels, value=value, source=ctx.source(reps.values()), documents=docs)
    note = "" if len(shown) == len(series) else (
        f" Showing the {len(shown)} themes with the highest average; pick themes in the sidebar to choose."
    )
    return Chart("themes.lines", title + _suffix(value), fig, F.theme_table(shown, labels, docs),
                 ctx.source(reps.values()) + "." + note)


CHARTS = {
    "themes.heatmap": ("Theme mentions by session (heatmap)", heatmap_chart),
    "themes.lines": ("Theme trends by session (lines)", lines_chart),
}


def render() -> None:
    ctx = open_page("Themes", "How often each theme of the lexicon is mentioned in each session's text.",
                    need=1, what="the theme charts")
    if ctx is None:
        return
    bound("value", st.radio, coerce=lambda v: v if v in VALUES else "count",
                 label="Measure", options=list(VALUES), format_func=VALUES.get, horizontal=True,
                 help="Absolute mentions, or mentions per 1,000 words (texts differ in length)")
    show_chart(heatmap_chart(ctx))
    st.divider()
    show_chart(lines_chart(ctx))
    st.divider()
    lexicon_editor(ctx)


# --------------------------------------------------------------------------- lexicon editor

EDIT = "_lexicon_edit"          # the working copy: {"base": lexicon it started from, "lexicon": edited}
SAVED = "_lexicon_saved"        # message to show after the rerun that picks the new file up
ACTIONS = {"edit": "Edit a theme", "add": "Add a theme", "remove": "Remove a theme"}


def _working(ctx: Ctx) -> dict:
    """The edited lexicon; started again from the dashboard's when that changes (a save, a new file)."""
    state = st.session_state.get(EDIT)
    if state is None or state["base"] != ctx.lexicon:
        state = st.session_state[EDIT] = {"base": ctx.lexicon, "lexicon": dict(ctx.lexicon)}
    return state["lexicon"]


def _apply(change) -> None:
    try:
        st.session_state[EDIT]["lexicon"] = change(st.session_state[EDIT]["lexicon"])
    except LE.LexiconError as exc:
        st.error(md(exc))


def _edit_form(lexicon: dict) -> None:
    tid = st.selectbox("Theme", list(lexicon), format_func=lambda t: lexicon[t]["label"], key="lex_theme")
    if tid is None:
        return
    theme = lexicon[tid]
    label = st.text_input("Label", value=theme["label"], key=f"lex_label_{tid}")
    terms = st.text_area("Terms (one per line)", value="\n".join(theme["phrases"]), key=f"lex_terms_{tid}")
    exclude = st.text_area("Not counted (phrases containing a term that are not about the theme)",
                           value="\n".join(theme.get("exclude", ())), key=f"lex_exclude_{tid}")
    if st.button("Apply to the preview", key="lex_apply"):
        _apply(lambda lx: LE.set_terms(LE.rename_theme(lx, tid, label), tid, terms.splitlines(),
                                       exclude.splitlines()))


def _add_form() -> None:
    tid = st.text_input("Id (lower case, hyphens)", key="lex_new_id", placeholder="e.g. wildlife-crime")
    label = st.text_input("Label", key="lex_new_label", placeholder="e.g. Wildlife crime")
    terms = st.text_area("Terms (one per line)", key="lex_new_terms")
    if st.button("Add to the preview", key="lex_add"):
        _apply(lambda lx: LE.add_theme(lx, tid, label, terms.splitlines()))


def _remove_form(lexicon: dict) -> None:
    tid = st.selectbox("Theme to remove", list(lexicon), format_func=lambda t: lexicon[t]["label"],
                       key="lex_remove_theme")
    if st.button("Remove from the preview", key="lex_remove"):
        _apply(lambda lx: LE.remove_theme(lx, tid))


def preview_table(ctx: Ctx, edited: dict) -> pd.DataFrame:
    """Mentions per theme in the selection's session texts, now and with the edited lexicon."""
    from analytics.themes import theme_counts
    reps = set(ctx.session_docs().values())
    docs = [d for d in ctx.docs if d.label in reps] or list(ctx.docs)

    def totals(lex: dict) -> pd.Series:
        counts = theme_counts(docs, lexicon=lex) if lex else pd.DataFrame(columns=["theme", "count"])
        return counts.groupby("theme", sort=False)["count"].sum()

    now, after = totals(ctx.lexicon), totals(edited)
    rows = []
    for tid in dict.fromkeys([*ctx.lexicon, *edited]):
        a, b = now.get(tid), after.get(tid)
        status = ("added" if tid not in ctx.lexicon else "removed" if tid not in edited
                  else "unchanged" if ctx.lexicon[tid] == edited[tid] else "changed")
        label = (edited.get(tid) or ctx.lexicon[tid])["label"]
        rows.append({"theme": tid, "label": label, "status": status, "mentions now": a, "mentions after": b})
    return pd.DataFrame(rows).astype({"mentions now": "Int64", "mentions after": "Int64"})


def _changed_rows(ctx: Ctx, edited: dict) -> pd.DataFrame:
    """The rows of `preview_table` whose status is not "unchanged".

    An unedited copy has none, and every fresh session starts unedited: counting the
    session texts with both lexicons (twice the page's theme count) would be thrown away."""
    if edited == ctx.lexicon:
        return pd.DataFrame()
    table = preview_table(ctx, edited)
    return table[table["status"] != "unchanged"]


def _save(ctx: Ctx, text: str) -> None:
    folder = corpus_dir()
    exists = (folder / LE.OVERRIDE_NAME).exists()
    confirm = exists and st.checkbox(f"Replace the existing {LE.OVERRIDE_NAME} (kept as a dated backup)",
                                     key="lex_confirm")
    if st.button(f"Save {LE.OVERRIDE_NAME} in the corpus folder", key="lex_save", type="primary"):
        try:
            saved = LE.save(folder, text, confirm=bool(confirm))
        except (LE.LexiconError, OSError) as exc:
            st.error(md(exc))
            return
        st.session_state[SAVED] = f"Saved {saved.path.name}" + (
            f"; the previous file is {saved.backup.name}." if saved.backup else ".")
        st.rerun()


EDITOR_OPEN = "w_lex_open"      # the toggle that builds the editor: closed, none of it is built
EDITOR_LABEL = "Add, rename or remove themes and their terms; preview the counts before saving"


def lexicon_editor(ctx: Ctx) -> None:
    st.subheader("Edit the theme lexicon")
    if msg := st.session_state.pop(SAVED, None):
        st.success(md(msg))
    # a toggle, not an expander: an expander's content is built (and sent to the browser,
    # ~0.75 s of its time) on every run even while it is closed
    if EDITOR_OPEN not in st.session_state:
        st.session_state[EDITOR_OPEN] = EDIT in st.session_state
    if st.toggle(EDITOR_LABEL, key=EDITOR_OPEN):
        with st.container(border=True):
            _editor_body(ctx)


def _editor_body(ctx: Ctx) -> None:
    edited = _working(ctx)
    action = st.radio("Change", list(ACTIONS), format_func=ACTIONS.get, horizontal=True, key="lex_action")
    {"edit": lambda: _edit_form(edited), "add": _add_form, "remove": lambda: _remove_form(edited)}[action]()
    edited = st.session_state[EDIT]["lexicon"]
    changed = _changed_rows(ctx, edited)
    if changed.empty:
        st.caption("No change yet: the lexicon is the one the charts above use.")
    else:
        st.markdown("**Counts with the edited lexicon** (the session texts of the selection)")
        st.dataframe(changed, hide_index=True, width="stretch", key="lex_preview")
    text = LE.to_toml(edited)
    st.download_button(f"Download {LE.OVERRIDE_NAME}", data=text.encode("utf-8"),
                       file_name=LE.OVERRIDE_NAME, mime="application/toml", key="lex_download",
                       on_click="ignore", icon=":material/download:")
    if not changed.empty:
        _save(ctx, text)


if __name__ == "__main__":
    render()
