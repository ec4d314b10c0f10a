"""Compare two texts: aligned paragraphs with a word-level redline, distinctive terms,
theme changes, and emerging issues added or dropped."""
from __future__ import annotations

import functools

import pandas as pd
import streamlit as st

from analytics import figures as F
from analytics.align import STATUSES, redline
from analytics.compare import resolve
from views import analyses
from views.context import Ctx, doc_option, open_page
from views.exporting import Chart, csv_button, show_chart
from views.markup import esc, list_text, span
from views.state import choose, get, pick, put
from views.tables import show_table

STATUS_HELP = {"carried": "same wording", "amended": "matched, with changes", "new": "only in B",
               "dropped": "only in A"}
THEME_ROWS = 15


def _ref(ctx: Ctx, value, options: list[str]):
    """A stored choice as a document id among ``options`` (accepts ids, symbols and sessions)."""
    if value in options:
        return value
    if value:
        try:
            found = resolve(ctx.docs, value).id
            return found if found in options else None
        except (ValueError, KeyError):
            return None
    return None


def pair(ctx: Ctx) -> tuple[str, str] | None:
    """The (A, B) document ids from the stored choice, defaulting to the last two texts."""
    options = list(ctx.ids)
    if len(options) < 2:
        return None
    a = _ref(ctx, get("a"), options) or options[-2]
    b = _ref(ctx, get("b"), options) or options[-1]
    return a, b


def _pair_chart(chart_id: str, title: str):
    """A chart of the chosen pair: ``draw(ctx, title, (A, B), frames, (label A, label B))``
    is called only when there is a pair; otherwise the chart asks for one."""
    def wrap(draw):
        @functools.wraps(draw)
        def make(ctx: Ctx) -> Chart:
            p = pair(ctx)
            if p is None:
                return Chart.empty(chart_id, title, "Pick two documents to compare.")
            return draw(ctx, title, p, analyses.compare(ctx, *p), (ctx.label(p[0]), ctx.label(p[1])))
        return make
    return wrap


@_pair_chart("compare.status", "Paragraphs carried, amended, new and dropped")
def status_chart(ctx: Ctx, title: str, p, frames: dict, labels: tuple[str, str]) -> Chart:
    (la, lb), s = labels, frames["summary"]
    data = s[s["part"] != "total"].rename(columns={"count": "paragraphs"}).reset_index(drop=True)
    source = ctx.source(p)
    fig = F.status_chart(data, a_label=la, b_label=lb, source=source)
    return Chart("compare.status", f"{title}: {la} → {lb}", fig, data,
                 source + ". Paragraphs aligned preambular with preambular, operative with operative.")


@_pair_chart("compare.keyness", "Distinctive terms")
def keyness_chart(ctx: Ctx, title: str, p, frames: dict, labels: tuple[str, str]) -> Chart:
    (la, lb), data = labels, frames["keyness"]
    if data.empty:
        return Chart.empty("compare.keyness", title,
                           f"No term is significantly more frequent in {la} or {lb} (log-likelihood, p < 0.05).")
    source = ctx.source(p)
    fig = F.keyness_chart(data, a_label=la, b_label=lb, source=source)
    return Chart("compare.keyness", f"{title}: {la} vs {lb}", fig, data,
                 source + ". Terms significantly more frequent in one text (log-likelihood G², p < 0.05).")


@_pair_chart("compare.themes", "Theme changes")
def themes_chart(ctx: Ctx, title: str, p, frames: dict, labels: tuple[str, str]) -> Chart:
    (la, lb), data = labels, frames["themes"]
    if ctx.themes:
        data = data[data["theme"].isin(ctx.themes)]
    else:
        data = data[(data["count_a"] > 0) | (data["count_b"] > 0)].head(THEME_ROWS)
    if data.empty:
        return Chart.empty("compare.themes", title, "Neither text mentions the selected themes.")
    source = ctx.source(p)
    fig = F.theme_delta_chart(data, a_label=la, b_label=lb, source=source)
    note = "" if ctx.themes else f" The {len(data)} largest changes; pick themes in the sidebar to choose."
    return Chart("compare.themes", f"{title}: {la} → {lb}", fig, data.reset_index(drop=True),
                 source + ". Change in mentions per 1,000 words." + note)


CHARTS = {
    "compare.status": ("Compare: paragraph status counts", status_chart),
    "compare.keyness": ("Compare: distinctive terms", keyness_chart),
    "compare.themes": ("Compare: theme changes", themes_chart),
}


# --------------------------------------------------------------------------- redline table

_STATUS_BADGE = {"carried": "#009E73", "amended": "#B07A00", "new": "#0072B2", "dropped": "#D55E00"}


def _cells(row) -> tuple[str, str]:
    a, b = row.a_text, row.b_text
    if row.status == "amended" and isinstance(a, str) and isinstance(b, str):
        ops = redline(a, b)
        left = " ".join(span(op, t) for op, t in ops if op in ("equal", "delete"))
        right = " ".join(span(op, t) for op, t in ops if op in ("equal", "insert"))
        return left, right
    if row.status == "new":
        return "", span("insert", b)
    if row.status == "dropped":
        return span("delete", a), ""
    return esc(a), esc(b)


def redline_html(rows: pd.DataFrame, la: str, lb: str) -> str:
    """Side-by-side table; every piece of document text goes through html.escape."""
    th = "text-align:left;padding:6px 8px;border-bottom:2px solid #C9D2DA;width:46%;"
    out = ['<table style="width:100%;border-collapse:collapse;font-size:0.92rem;line-height:1.45;">',
           f'<thead><tr><th style="{th}width:8%;">Status</th><th style="{th}">A: {esc(la)}</th>'
           f'<th style="{th}">B: {esc(lb)}</th></tr></thead><tbody>']
    td = "vertical-align:top;padding:6px 8px;border-bottom:1px solid #E4E9EE;"
    for row in rows.itertuples():
        left, right = _cells(row)
        colour = _STATUS_BADGE.get(row.status, "#555")
        keys = " → ".join(esc(k) for k in (row.a_key, row.b_key) if isinstance(k, str))
        sim = f"<br><small>{row.similarity:.2f}</small>" if row.status == "amended" else ""
        out.append(
            f'<tr><td style="{td}"><span style="color:{colour};font-weight:700;">{esc(row.status)}</span>'
            f'<br><small>{keys}</small>{sim}</td>'
            f'<td style="{td}">{left}</td><td style="{td}">{right}</td></tr>')
    out.append("</tbody></table>")
    return "".join(out)


def _set_pair(a: str, b: str) -> None:
    for name, value in (("a", a), ("b", b)):
        st.session_state[f"w_{name}"] = value
        put(name, value)


def negotiation_buttons(ctx, options: list[str]) -> None:
    """One click from a draft to the resolution adopted from it: what changed in negotiation."""
    index = ctx.corpus.series
    pairs = [(d, index.adopted_as(d)) for d in options if ctx.doc(d).kind == "draft"]
    pairs = [(d, r) for d, r in pairs if r in options]
    if not pairs:
        return
    st.markdown("**What changed in negotiation**: compare a draft with the resolution adopted from it")
    cols = st.columns(min(len(pairs), 4))
    for i, (draft, adopted) in enumerate(pairs):
        cols[i % len(cols)].button(f"{ctx.label(draft)} \u2192 {ctx.label(adopted)}", key=f"negotiation_{draft}",
                                   on_click=_set_pair, args=(draft, adopted), icon=":material/gavel:")


def _choose_pair(ctx: Ctx, options: list[str]) -> tuple[str, str]:
    a0, b0 = pair(ctx)
    c1, c2 = st.columns(2)
    fmt = lambda i: doc_option(ctx.doc(i))  # noqa: E731
    put("a", a0)
    put("b", b0)
    a = choose("a", "Text A (earlier)", options, default=a0, format_func=fmt, container=c1)
    b = choose("b", "Text B (later)", options, default=b0, format_func=fmt, container=c2)
    if a == b:
        st.info("A and B are the same text: pick two different documents to see changes.")
    return a, b


def _status_metrics(total: pd.Series) -> None:
    for col, status in zip(st.columns(len(STATUSES)), STATUSES):
        col.metric(status.capitalize(), int(total.get(status, 0)), help=STATUS_HELP[status])


def _aligned_tab(frames: dict, total: pd.Series, a: str, b: str, la: str, lb: str) -> None:
    shown = pick("status", st.multiselect, list(STATUSES), ordered=True, label="Show paragraphs that are",
                 options=list(STATUSES), format_func=lambda s: f"{s} ({int(total.get(s, 0))})")
    paragraphs = frames["paragraphs"]
    rows = paragraphs[paragraphs["status"].isin(shown)]
    if rows.empty:
        st.info("No paragraph has the selected status. Choose statuses above.")
        return
    csv_button("Aligned paragraphs (CSV)", rows, file_name=f"aligned-{a}-{b}.csv", key="csv_compare_rows")
    for part in ("preambular", "operative"):
        sub = rows[rows["part"] == part]
        if len(sub):
            st.markdown(f"**{part.capitalize()} paragraphs** ({len(sub)})")
            st.html(redline_html(sub, la, lb))


def _issues_tab(frames: dict, la: str, lb: str) -> None:
    st.markdown("**Emerging issues added and dropped**")
    em = frames["emerging"]
    if em.empty:
        st.info("Neither text lists emerging issues.")
    else:
        show_table(pd.DataFrame({"issue": em["label"], "change": em["change"],
                                 f"A: {la}": em["a_raw"].map(list_text), f"B: {lb}": em["b_raw"].map(list_text)}))
    st.markdown("**Treaty figures**")
    tr = frames["treaties"]
    if tr.empty:
        st.info("Neither text states how many States are parties to a convention.")
    else:
        show_table(tr[["short", "a_parties", "b_parties", "delta", "a_key", "b_key"]]
                   .rename(columns={"short": "convention", "a_parties": f"A: {la}", "b_parties": f"B: {lb}"}))


def render() -> None:
    ctx = open_page("Compare two sessions", "Pick text A and text B. Paragraphs are aligned; deleted words are "
                    "struck through in A, inserted words underlined in B.", need=2, what="a comparison")
    if ctx is None:
        return
    options = list(ctx.ids)
    negotiation_buttons(ctx, options)
    a, b = _choose_pair(ctx, options)
    la, lb = ctx.label(a), ctx.label(b)
    frames = analyses.compare(ctx, a, b)
    total = frames["summary"].query("part == 'total'").set_index("status")["count"]
    _status_metrics(total)
    show_chart(status_chart(ctx))
    tabs = st.tabs(["Aligned paragraphs", "Issues and treaties", "Theme changes", "Distinctive terms"])
    with tabs[0]:
        _aligned_tab(frames, total, a, b, la, lb)
    with tabs[1]:
        _issues_tab(frames, la, lb)
    with tabs[2]:
        show_chart(themes_chart(ctx))
    with tabs[3]:
        show_chart(keyness_chart(ctx))


if __name__ == "__main__":
    render()
