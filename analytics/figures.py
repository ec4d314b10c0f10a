"""Plotly figure builders for the dashboard and the briefing pack.

Every builder is a pure function: DataFrame(s) from the analysis modules in,
``go.Figure`` out.  No Streamlit here, no analysis either: a builder only
lays out what it is given, so the frame passed to it is exactly the data the
chart shows (the dashboard offers that same frame as CSV).

House style, applied by `_finish`:
* a title, axis titles, and a "Source:" line inside the figure, so a PNG
  pasted into a briefing still names the documents it comes from;
* the Okabe-Ito palette (distinguishable with the common colour-vision
  deficiencies) for categories, Cividis/Viridis for sequential scales;
* hover text quoting the underlying wording where there is one.  Document text
  is HTML-escaped before it goes into hover labels: plotly interprets a few
  tags (<b>, <a>, <br>) in hover text, and document text is untrusted.
"""
from __future__ import annotations

import html
import math
import textwrap
from typing import Iterable, Mapping

import pandas as pd
import plotly.graph_objects as go

# Okabe & Ito (2008), ordered so the first colours contrast best on white;
# yellow last but one because it is faint on a white background.
OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000", "#F0E442")
GREY = "#8C96A0"
SEQUENTIAL = "Cividis"
DIVERGING = ("#0072B2", "#D55E00")       # falling / rising, A / B
DASHES = ("solid", "dash", "dot", "dashdot", "longdash", "longdashdot")
FONT = "Arial, 'Liberation Sans', 'DejaVu Sans', sans-serif"

# Emerging-issue timeline: colour, marker symbol, legend text (the labels of
# `emerging.STATUS_LABELS`, repeated here so figures need no analysis import; a test
# checks they agree).  "not on the list" is drawn only where the text mentions the issue.
STATUS_STYLE = {
    "first": ("#0072B2", "star", "first listed"),
    "persists": ("#009E73", "circle", "still listed"),
    "returns": ("#E69F00", "diamond", "listed again"),
    "dropped": ("#D55E00", "x-thin-open", "dropped from the list"),
    "absent": ("#CC79A7", "circle-open", "not on the list"),
    "no-list": (GREY, "square-open", "no list in this text"),
}
LISTED_STATUSES = ("first", "persists", "returns")
ALIGN_STATUS_COLOURS = {"carried": "#009E73", "amended": "#E69F00", "new": "#0072B2", "dropped": "#D55E00"}
LINEAGE_STATUS_COLOURS = {"agreed": "#009E73", "amended": "#E69F00", "new": "#0072B2"}

HOVER_WIDTH = 70          # characters per hover line
HOVER_CHARS = 600         # longest quote shown in a hover label
MAX_SOURCE_LABELS = 6     # beyond this the source line is abbreviated


# --------------------------------------------------------------------------- helpers

def hover_text(text: object, *, width: int = HOVER_WIDTH, limit: int = HOVER_CHARS) -> str:
    """Escaped, wrapped, length-limited text for a plotly hover label."""
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return ""
    s = " ".join(str(text).split())
    if len(s) > limit:
        s = s[: limit - 1].rsplit(" ", 1)[0] + " …"
    return "<br>".join(html.escape(line, quote=False) for line in textwrap.wrap(s, width) or [""])


def source_caption(labels: Iterable[str], *, prefix: str = "Source") -> str:
    """One line naming the documents behind a chart, abbreviated for long corpora."""
    seen = list(dict.fromkeys(str(x) for x in labels if x is not None and str(x) != ""))
    if not seen:
        return f"{prefix}: no documents"
    if len(seen) <= MAX_SOURCE_LABELS:
        return f"{prefix}: " + ", ".join(seen)
    return f"{prefix}: {seen[0]}, {seen[1]} … {seen[-1]} ({len(seen)} documents)"


def session_label(session: object) -> str:
    try:
        return str(int(session))
    except (TypeError, ValueError):
        return "?"


def colour(i: int) -> str:
    return OKABE_ITO[i % len(OKABE_ITO)]


SOURCE_WIDTH = 130   # characters per line of the source caption at the export width


def _finish(fig: go.Figure, *, title: str, x: str | None, y: str | None, source: str,
            height: int = 480, legend_title: str | None = None) -> go.Figure:
    fig.update_layout(
        template="plotly_white",
        title={"text": html.escape(title, quote=False), "x": 0.012, "xanchor": "left",
               "font": {"size": 18}},
        font={"family": FONT, "size": 13, "color": "#1D2733"},
        colorway=list(OKABE_ITO),
        height=height,
        margin={"l": 70, "r": 30, "t": 70, "b": 110},
        hoverlabel={"align": "left", "bgcolor": "white", "font": {"family": FONT, "size": 12}},
        legend={"title": {"text": legend_title or ""}},
        meta={"source": source},
    )
    if x is not None:
        fig.update_xaxes(title_text=x)
    if y is not None:
        fig.update_yaxes(title_text=y)
    # wrapped, never cut at the figure's edge: an exported chart must name all its sources
    lines = textwrap.wrap(source, width=SOURCE_WIDTH) or [""]
    fig.add_annotation(text="<br>".join(html.escape(ln, quote=False) for ln in lines), xref="paper",
                       yref="paper", x=0, y=0, xanchor="left", yanchor="top", yshift=-62, showarrow=False,
                       align="left", font={"size": 11, "color": "#4A5868"})
    if len(lines) > 1:
        fig.update_layout(margin={"b": 110 + 15 * (len(lines) - 1)},
                          height=(fig.layout.height or height) + 15 * (len(lines) - 1))
    return fig


def empty_figure(title: str, message: str, *, source: str = "") -> go.Figure:
    fig = go.Figure()
    fig.add_annotation(text=html.escape(message, quote=False), x=0.5, y=0.5, xref="paper",
                       yref="paper", showarrow=False, font={"size": 14, "color": GREY})
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return _finish(fig, title=title, x=None, y=None, source=source or "Source: —")


def _categories(values: Iterable[object]) -> list[str]:
    return [session_label(v) for v in values]


FIRST_SESSION_YEAR = 1945      # session S opens in September of 1945 + S


def session_year(session: object) -> str:
    """The year session S opened (1945 + S): "67" -> "2012"."""
    try:
        return str(FIRST_SESSION_YEAR + int(session))
    except (TypeError, ValueError):
        return "?"


def session_hover(session: object) -> str:
    return f"session {session_label(session)} ({session_year(session)})"


def _session_ticks(sessions: Iterable[object]) -> list[int]:
    out = set()
    for s in sessions:
        try:
            out.add(int(s))
        except (TypeError, ValueError):
            continue
    return sorted(out)


def session_axis(fig: go.Figure, sessions: Iterable[object], *, axis: str = "x") -> go.Figure:
    """A numeric session axis ticked at the sessions present: a category axis would draw
    sessions 67 and 80 side by side as if nothing happened in between."""
    ticks = _session_ticks(sessions)
    opts = {"type": "linear", "tickmode": "array", "tickvals": ticks, "ticktext": [str(t) for t in ticks]}
    if ticks:
        opts["range"] = [ticks[0] - 0.6, ticks[-1] + 0.6]
    (fig.update_xaxes if axis == "x" else fig.update_yaxes)(**opts)
    return fig


def _with_gaps(sessions: list[int]) -> list[int]:
    """Every session from the first to the last: the heatmap's missing ones stay blank."""
    return list(range(sessions[0], sessions[-1] + 1)) if sessions else []


# --------------------------------------------------------------------------- overview

def paragraph_counts(df: pd.DataFrame, *, source: str) -> go.Figure:
    """Stacked bars of preambular/operative paragraphs per document.

    ``df``: one row per document with label, session, kind, preambular, operative.
    """
    fig = go.Figure()
    labels = list(df["label"])
    for i, (part, name) in enumerate((("preambular", "Preambular"), ("operative", "Operative"))):
        fig.add_trace(go.Bar(
            x=labels, y=df[part], name=name, marker_color=OKABE_ITO[i],
            text=df[part], textposition="inside",
            customdata=list(zip(df["session"].map(session_label), df["kind"])),
            hovertemplate=("<b>%{x}</b><br>session %{customdata[0]} (%{customdata[1]})<br>"
                           f"{name} paragraphs: %{{y}}<extra></extra>"),
        ))
    fig.update_layout(barmode="stack")
    fig.update_xaxes(type="category")
    return _finish(fig, title="Paragraphs per document", x="Document", y="Paragraphs",
                   source=source, legend_title="Part")


# --------------------------------------------------------------------------- themes

def top_rows(table: pd.DataFrame, n: int) -> pd.DataFrame:
    """The ``n`` rows of a theme x session table with the largest mean (ties: table order)."""
    if len(table) <= n:
        return table
    mean = table.mean(axis=1, skipna=True).fillna(0)
    keep = mean.sort_values(ascending=False, kind="stable").index[:n]
    return table.loc[[t for t in table.index if t in set(keep)]]


def theme_keys(counts: pd.DataFrame, documents: Mapping[int, str]) -> pd.DataFrame:
    """Theme x session table of the paragraph keys behind each count, for hover labels.

    ``counts``: `themes.theme_counts` rows; ``documents``: session -> document id
    of the text that represents the session.
    """
    rows = counts[counts["document"].isin(set(documents.values()))]
    if rows.empty:
        return pd.DataFrame()
    refs = rows.assign(ref=[", ".join(v) if len(v) else "–" for v in rows["paragraphs"]])
    table = refs.pivot_table(index="theme", columns="session", values="ref", aggfunc="first")
    table.columns = [int(c) for c in table.columns]
    return table


def theme_table(series: pd.DataFrame, labels: Mapping[str, str], documents: Mapping[int, str]) -> pd.DataFrame:
    """A theme x session pivot as a flat table for CSV: theme, label, then one column per session."""
    out = series.copy()
    out.columns = [f"session {c} ({documents.get(c, '?')})" for c in series.columns]
    out.insert(0, "label", [labels.get(t, t) for t in series.index])
    return out.reset_index().rename(columns={"index": "theme"})


# Numbers are written in the heatmap's cells only when a cell can hold one: below this
# (in px, both ways) they overlap, and drawing 1,767 of them (31 themes x 57 sessions) is
# most of the browser's time on the Themes page.  The values stay in the hover and the CSV.
HEATMAP_CELL_TEXT_PX = 24
# The width the heatmap's layout assumes: the export width, and about the plot's width in
# the dashboard's wide layout.  The builder cannot know the browser's width, so the
# cell-text rule is decided once, for the picture that is exported.
HEATMAP_WIDTH = 1100
HEATMAP_ROW_PX = 28
# Fixed margins with automargin off: plotly's automargin measures the tick labels after
# the first draw and then draws the whole heatmap again.  The left margin is reserved from
# the longest theme label (px per character at the 13 px font, plus the axis title), capped;
# longer labels are shortened on the axis (the hover keeps them whole).
LABEL_CHAR_PX = 6.6
LABEL_PAD_PX = 48
LEFT_MARGIN_MAX = 330
HEATMAP_RIGHT_PX = 150       # the colour bar, its tick labels and its two-line title
HEATMAP_TOP_PX = 70
HEATMAP_BOTTOM_PX = 110
SOURCE_INSET_PX = 14        # the source line's distance from the figure's left edge


def _text_room(labels: list[str], *, pad: float, char_px: float, cap: int) -> int:
    """Pixels a margin needs for the longest of ``labels`` (estimated per character), capped."""
    longest = max((len(t) for t in labels), default=0)
    return min(cap, math.ceil(pad + char_px * longest))


def _left_margin(labels: list[str]) -> int:
    return _text_room(labels, pad=LABEL_PAD_PX, char_px=LABEL_CHAR_PX, cap=LEFT_MARGIN_MAX)


def _axis_label(text: str, *, margin: int) -> str:
    """``text`` shortened (with an ellipsis) to what fits in a left margin of ``margin`` px."""
    room = int((margin - LABEL_PAD_PX) / LABEL_CHAR_PX + 1e-9)
    return text if len(text) <= room else text[: max(room - 1, 1)].rstrip() + "…"


def heatmap_cells_hold_text(*, sessions: int, themes: int, width: int = HEATMAP_WIDTH,
                            height: int, left: int, right: int = HEATMAP_RIGHT_PX,
                            top: int = HEATMAP_TOP_PX, bottom: int = HEATMAP_BOTTOM_PX) -> bool:
    """Whether a heatmap cell (plot area / cells) is at least `HEATMAP_CELL_TEXT_PX` both ways."""
    if sessions <= 0 or themes <= 0:
        return False
    cell_w = (width - left - right) / sessions
    cell_h = (height - top - bottom) / themes
    return min(cell_w, cell_h) >= HEATMAP_CELL_TEXT_PX


TICK_PX = 30                 # least room per session tick label (two-three digits, unrotated)


def _thinned_ticks(present: list[int], *, columns: int, left: int) -> list[int]:
    """Every session's tick while they fit unrotated at `HEATMAP_WIDTH`, else one every few
    sessions: with automargin off, rotated labels would run into the axis title."""
    cell = (HEATMAP_WIDTH - left - HEATMAP_RIGHT_PX) / max(columns, 1)
    step = max(1, math.ceil(TICK_PX / cell))
    out: list[int] = []
    for s in present:
        if not out or s - out[-1] >= step:
            out.append(s)
    return out


def _cell_text(value: str) -> dict:
    return {"texttemplate": "%{z:.1f}" if value == "per_1000" else "%{z}", "textfont": {"size": 11}}


def _heatmap_custom(series: pd.DataFrame, sessions: list, documents: Mapping[int, str],
                    keys: pd.DataFrame | None) -> list:
    custom = []
    for t in series.index:
        row = []
        for s in sessions:
            ref = ""
            if keys is not None and t in keys.index and s in keys.columns:
                ref = keys.at[t, s] or ""
            row.append([documents.get(s, ""), ref, session_year(s)])
        custom.append(row)
    return custom


def theme_heatmap(series: pd.DataFrame, *, labels: Mapping[str, str], value: str, source: str,
                  documents: Mapping[int, str] | None = None,
                  keys: pd.DataFrame | None = None) -> go.Figure:
    """Heatmap of themes (rows) by session (columns).

    ``series``: `themes.theme_series` output; ``labels`` theme id -> label;
    ``documents`` session -> label of the text that represents it; ``keys`` an
    optional same-shaped table of paragraph references ("OP3, OP7") for hovers.
    """
    documents = documents or {}
    present = _session_ticks(series.columns)
    sessions = _with_gaps(present) if len(present) == len(series.columns) else list(series.columns)
    z = series.reindex(columns=sessions).to_numpy(dtype=float)
    ylab = [labels.get(t, t) for t in series.index]
    unit = "mentions per 1,000 words" if value == "per_1000" else "mentions"
    fmt = ".2f" if value == "per_1000" else "d"
    height = max(420, HEATMAP_ROW_PX * len(ylab) + 200)
    left = _left_margin(ylab)
    fits = heatmap_cells_hold_text(sessions=len(sessions), themes=len(ylab), height=height, left=left)
    cell_text = _cell_text(value) if fits else {}
    fig = go.Figure(go.Heatmap(
        z=z, x=_categories(sessions), y=ylab, colorscale=SEQUENTIAL,
        colorbar={"title": {"text": "per 1,000<br>words" if value == "per_1000" else "mentions"}},
        customdata=_heatmap_custom(series, sessions, documents, keys), xgap=1, ygap=1,
        hoverongaps=False, **cell_text,
        hovertemplate=("<b>%{y}</b><br>session %{x} (%{customdata[2]}) – %{customdata[0]}<br>"
                       f"%{{z:{fmt}}} {unit}<br>paragraphs: %{{customdata[1]}}<extra></extra>"),
    ))
    session_axis(fig, present)
    ticks = _thinned_ticks(present, columns=len(sessions), left=left)
    fig.update_xaxes(side="bottom", automargin=False, tickangle=0, tickvals=ticks,
                     ticktext=[str(t) for t in ticks])
    fig.update_yaxes(autorange="reversed", type="category", automargin=False, tickmode="array",
                     tickvals=ylab, ticktext=[_axis_label(t, margin=left) for t in ylab])
    title = "Theme mentions by session" + (" (per 1,000 words)" if value == "per_1000" else "")
    fig = _finish(fig, title=title, x="Session", y="Theme", source=source, height=height)
    # the source line starts at the figure's edge, not the plot's: with a wide left margin
    # its wrapped lines would otherwise run past the right edge of an export
    fig.layout.annotations[-1].xshift = -(left - SOURCE_INSET_PX)
    return fig.update_layout(margin={"l": left, "r": HEATMAP_RIGHT_PX, "t": HEATMAP_TOP_PX})


def theme_lines(series: pd.DataFrame, *, labels: Mapping[str, str], value: str, source: str,
                documents: Mapping[int, str] | None = None) -> go.Figure:
    """One line per theme across sessions (pass a few rows: see `top_rows`)."""
    documents = documents or {}
    fig = go.Figure()
    x = _categories(series.columns)
    docs = [[documents.get(s, ""), session_year(s)] for s in series.columns]
    unit = "per 1,000 words" if value == "per_1000" else "mentions"
    fmt = ".2f" if value == "per_1000" else "d"
    for i, theme in enumerate(series.index):
        name = labels.get(theme, theme)
        fig.add_trace(go.Scatter(
            x=x, y=series.loc[theme].to_numpy(dtype=float), mode="lines+markers", name=name,
            line={"color": colour(i), "dash": DASHES[(i // len(OKABE_ITO)) % len(DASHES)], "width": 2.5},
            marker={"size": 8}, customdata=docs,
            hovertemplate=f"<b>{html.escape(name)}</b><br>session %{{x}} (%{{customdata[1]}}) – %{{customdata[0]}}<br>"
                          f"%{{y:{fmt}}} {unit}<extra></extra>",
        ))
    session_axis(fig, series.columns)
    title = "Theme trends by session" + (" (per 1,000 words)" if value == "per_1000" else "")
    fig = _finish(fig, title=title, x="Session",
                  y="Mentions per 1,000 words" if value == "per_1000" else "Mentions",
                  source=source, legend_title="Theme")
    # room for the legend reserved up front: plotly grows a margin the legend does not fit
    # in only after a first draw, and then draws the chart again (an estimate too small
    # still shows the whole legend, it only costs that second draw)
    names = [labels.get(t, t) for t in series.index]
    return fig.update_layout(margin={"r": _legend_margin(names)})


LEGEND_PAD_PX = 56          # the legend's line samples, its padding and its gap from the plot
LEGEND_CHAR_PX = 6.0        # average width of a 13 px legend character (measured: 66 -> 441 px)
LEGEND_MARGIN_MAX = 520


def _legend_margin(names: list[str]) -> int:
    return _text_room(names, pad=LEGEND_PAD_PX, char_px=LEGEND_CHAR_PX, cap=LEGEND_MARGIN_MAX)


def _change_bars(d: pd.DataFrame, *, x: str, y: str, custom: tuple[str, str, str], hover: str,
                 zero: str, heights: tuple[int, int], title: str, axes: tuple[str, str],
                 source: str) -> go.Figure:
    """Horizontal bars of column ``x`` per ``y`` coloured by sign (`DIVERGING`: falling, rising;
    ``zero`` for no change or a missing value); ``heights``: (least, per bar) in pixels."""
    colours = [DIVERGING[1] if v > 0 else DIVERGING[0] if v < 0 else zero for v in d[x]]
    fig = go.Figure(go.Bar(x=d[x], y=d[y], orientation="h", marker_color=colours,
                           customdata=list(zip(*(d[c] for c in custom))), hovertemplate=hover))
    fig.update_yaxes(type="category")
    return _finish(fig, title=title, x=axes[0], y=axes[1], source=source,
                   height=max(heights[0], heights[1] * len(d) + 200))


def theme_delta_chart(df: pd.DataFrame, *, a_label: str, b_label: str, source: str) -> go.Figure:
    """Horizontal bars of the change per 1,000 words from A to B (`themes.theme_deltas` rows)."""
    hover = ("<b>%{y}</b><br>change: %{x:+.2f} per 1,000 words (%{customdata[2]})<br>"
             f"{html.escape(a_label)}: %{{customdata[0]}} mentions<br>"
             f"{html.escape(b_label)}: %{{customdata[1]}} mentions<extra></extra>")
    return _change_bars(df.iloc[::-1], x="delta_per_1000", y="label", custom=("count_a", "count_b", "change"),
                        hover=hover, zero=GREY, heights=(380, 24), source=source,
                        title=f"Theme changes: {a_label} → {b_label}",
                        axes=("Change in mentions per 1,000 words (B − A)", "Theme"))


# --------------------------------------------------------------------------- emerging issues

def _mention_note(mentions: Mapping, issue: str, session: int) -> str:
    count, keys = mentions.get((issue, session), (0, []))
    if not count:
        return "not mentioned anywhere in this text"
    where = html.escape(", ".join(map(str, keys)))
    return f"mentioned {count} time{'s' if count != 1 else ''} in this text ({where})"


def _wordings(issues: pd.DataFrame) -> dict[tuple[str, int], str]:
    wording: dict[tuple[str, int], str] = {}
    for (issue, session), g in issues.groupby(["issue", "session"], sort=False):
        quotes = [f"“{hover_text(r, width=HOVER_WIDTH, limit=220)}” ({html.escape(str(k))})"
                  for r, k in zip(g["raw"], g["key"])]
        wording[(issue, int(session))] = "<br>".join(dict.fromkeys(quotes[:3]))
    return wording


def _status_points(matrix, ylabels, status, documents, wording, mentions):
    """x, y, hover and the mention count beside the marker, for one status."""
    sessions = [c for c in matrix.columns if c != "first_session"]
    xs, ys, texts, counts = [], [], [], []
    legend = STATUS_STYLE[status][2]
    for issue, ylab in zip(matrix.index, ylabels):
        for s in sessions:
            n = mentions.get((issue, int(s)), (0, []))[0]
            if matrix.at[issue, s] != status or (status == "absent" and not n):
                continue
            xs.append(session_label(s))
            ys.append(ylab)
            counts.append(str(n) if n and status not in LISTED_STATUSES else "")
            doc = html.escape(documents.get(s, f"session {session_label(s)}"))
            body = wording.get((issue, int(s)), "") if status in LISTED_STATUSES else ""
            note = _mention_note(mentions, issue, int(s)) if mentions else ""
            texts.append(f"<b>{html.escape(str(ylab))}</b><br>{session_hover(s)} – {doc}"
                         f"<br><i>{legend}</i>" + (f"<br>{body}" if body else "")
                         + (f"<br>{note}" if note else ""))
    return xs, ys, texts, counts


def emerging_timeline(matrix: pd.DataFrame, issues: pd.DataFrame, *, source: str,
                      documents: Mapping[int, str] | None = None,
                      mentions: pd.DataFrame | None = None) -> go.Figure:
    """Issue x session timeline of the Assembly's lists: first listed, still listed, dropped,
    listed again, and the sessions whose text has no list.

    ``matrix``: `emerging.emerging_matrix`; ``issues``: `emerging.emerging_issues` rows
    (wording and key for the hovers); ``mentions``: `emerging.issue_status` rows, whose
    mention count is printed beside every marker of an issue not on the list and given in
    every hover, so an issue the text still discusses is never shown as gone.
    """
    documents = documents or {}
    sessions = [c for c in matrix.columns if c != "first_session"]
    label_of = dict(zip(issues["issue"], issues["label"])) if len(issues) else {}
    wording = _wordings(issues) if len(issues) else {}
    men = _mention_index(mentions)
    ylabels = [label_of.get(i, i) for i in matrix.index]
    fig = go.Figure()
    for trace in _listed_guides(matrix, ylabels, sessions):
        fig.add_trace(trace)
    for status in STATUS_STYLE:
        xs, ys, texts, counts = _status_points(matrix, ylabels, status, documents, wording, men)
        if xs:
            fig.add_trace(_status_trace(status, xs, ys, texts, counts))
    session_axis(fig, sessions)
    fig.update_yaxes(type="category", categoryorder="array", categoryarray=ylabels[::-1])
    height = max(380, 30 * len(ylabels) + 200)
    return _finish(fig, title="Emerging issues: first appearance and persistence",
                   x="Session", y="Issue", source=source, height=height, legend_title="Status on the list")


def _mention_index(mentions: pd.DataFrame | None) -> dict[tuple[str, int], tuple[int, list]]:
    """(issue, session) -> (mentions, paragraph keys) of `emerging.issue_status` rows."""
    if mentions is None or not len(mentions):
        return {}
    return {(i, int(s)): (int(n), list(k)) for i, s, n, k in
            zip(mentions["issue"], mentions["session"], mentions["mentions"], mentions["mention_keys"])}


def _listed_guides(matrix: pd.DataFrame, ylabels: list, sessions: list) -> list[go.Scatter]:
    """A faint line per issue across the sessions it is listed."""
    guides = []
    for issue, ylab in zip(matrix.index, ylabels):
        present = [session_label(s) for s in sessions if matrix.at[issue, s] in LISTED_STATUSES]
        if present:
            guides.append(go.Scatter(x=present, y=[ylab] * len(present), mode="lines",
                                     line={"color": "#C9D2DA", "width": 6}, hoverinfo="skip",
                                     showlegend=False))
    return guides


def _status_trace(status: str, xs: list, ys: list, texts: list, counts: list) -> go.Scatter:
    col, symbol, legend = STATUS_STYLE[status]
    listed = status in LISTED_STATUSES
    # off the list the symbols are open: a thicker line in the marker's own colour draws them
    return go.Scatter(
        x=xs, y=ys, mode="markers+text", name=legend, hovertext=texts, text=counts,
        textposition="middle right", textfont={"size": 11, "color": col},
        marker={"color": col, "symbol": symbol, "size": 14 if status == "first" else 11,
                "line": {"width": 1 if listed else 2, "color": "white" if listed else col}},
        hovertemplate="%{hovertext}<extra></extra>",
    )


def detected_timeline(df: pd.DataFrame, *, sessions: Iterable[int], source: str,
                      documents: Mapping[int, str] | None = None) -> go.Figure:
    """Issues found in the text (`detect.detect` rows): a marker per session whose text uses
    the term, sized by the paragraphs using it, a star at its first appearance; the hover
    quotes the first sentence using it.  Rows keep the frame's order (best score on top)."""
    documents = documents or {}
    x_all = _categories(sessions)
    labels = [f"{lab} ({session_label(f)})" for lab, f in zip(df["label"], df["first_session"])]
    fig = go.Figure()
    for first in (False, True):
        xs, ys, sizes, texts = [], [], [], []
        for lab, row in zip(labels, df.itertuples()):
            for s, n in zip(row.sessions, row.counts):
                if (int(s) == int(row.first_session)) != first:
                    continue
                xs.append(session_label(s))
                ys.append(lab)
                sizes.append(min(8 + 3 * int(n), 30))
                texts.append(_detected_hover(row, int(s), int(n), documents, first))
        fig.add_trace(go.Scatter(
            x=xs, y=ys, mode="markers", name="first used" if first else "used again",
            hovertext=texts, hovertemplate="%{hovertext}<extra></extra>",
            marker={"color": OKABE_ITO[0] if first else OKABE_ITO[2], "size": sizes,
                    "symbol": "star" if first else "circle", "line": {"width": 1, "color": "white"}}))
    session_axis(fig, x_all)
    fig.update_yaxes(type="category", categoryorder="array", categoryarray=labels[::-1])
    height = max(380, 26 * len(labels) + 200)
    return _finish(fig, title="Emerging issues found in the text: first use and persistence",
                   x="Session", y="Term (first session)", source=source, height=height,
                   legend_title="Marker size: paragraphs using it")


def _detected_hover(row, session: int, n: int, documents: Mapping[int, str], first: bool) -> str:
    doc = html.escape(documents.get(session, f"session {session}"))
    head = (f"<b>{html.escape(str(row.label))}</b><br>{session_hover(session)} – {doc}<br>"
            f"{n} paragraph{'s' if n != 1 else ''} use it")
    if not first:
        return head
    return (head + f"<br><i>first used in {html.escape(str(row.first_key))}</i>, score {row.score:.2f}"
            f"<br>“{hover_text(row.quote)}”")


# --------------------------------------------------------------------------- treaties

LABEL_CLASH = 0.05        # labels closer than this share of the y-range would print over each other


def treaty_labels(df: pd.DataFrame) -> dict:
    """Row index -> (label text, position) for points whose label would collide.

    At one session, two conventions' points within 5% of the y-range: the lower one's
    label goes below its marker; a third one keeps its number in the hover only.
    """
    if df.empty:
        return {}
    span = max(float(df["parties"].max() - df["parties"].min()), 1.0)
    out = {}
    for _, g in df.groupby("session", sort=False):
        g = g.sort_values("parties", ascending=False, kind="stable")
        placed = []          # (parties, position) of labels already placed, highest first
        for ix, p in zip(g.index, g["parties"]):
            near = [pos for q, pos in placed if abs(float(q) - float(p)) < LABEL_CLASH * span]
            pos = "top center" if not near else "bottom center" if "bottom center" not in near else None
            out[ix] = (str(p), pos) if pos else ("", "top center")
            if pos:
                placed.append((p, pos))
    return out


def treaty_chart(df: pd.DataFrame, *, source: str) -> go.Figure:
    """Parties per session, one line per convention, every point labelled.  "Parties", not
    "States parties": the texts count regional organizations too (79/190 OP7: "191 parties").

    ``df``: `treaties.treaty_figures` rows plus ``label`` (document label) and
    ``kind``; hover quotes the paragraph that states the figure.
    """
    fig = go.Figure()
    sessions = sorted({int(s) for s in df["session"].dropna()})
    labels = treaty_labels(df)
    for i, (short, g) in enumerate(df.groupby("short", sort=False)):
        g = g.sort_values("session", kind="stable")
        drafts = g["kind"].eq("draft") if "kind" in g else pd.Series(False, index=g.index)
        hover = [f"<b>{html.escape(str(short))}: {p} parties</b><br>"
                 f"{html.escape(str(lab))} {html.escape(str(k))} ({session_hover(s)}"
                 f"{', draft' if dr else ''})<br>“{hover_text(q)}”"
                 for p, lab, k, s, q, dr in zip(g["parties"], g["label"], g["key"], g["session"],
                                                g["quote"], drafts)]
        fig.add_trace(go.Scatter(
            x=_categories(g["session"]), y=g["parties"], mode="lines+markers+text", name=str(short),
            text=[labels.get(ix, (str(p), "top center"))[0] for ix, p in zip(g.index, g["parties"])],
            textposition=[labels.get(ix, ("", "top center"))[1] for ix in g.index],
            textfont={"size": 13, "color": colour(i)},
            marker={"size": 11, "color": colour(i),
                    "symbol": ["circle-open" if d else "circle" for d in drafts],
                    "line": {"width": 2, "color": colour(i)}},
            line={"color": colour(i), "width": 2.5},
            hovertext=hover, hovertemplate="%{hovertext}<extra></extra>",
        ))
    session_axis(fig, sessions)
    if len(df):
        lo, hi = int(df["parties"].min()), int(df["parties"].max())
        pad = max(6, (hi - lo) * 0.15)
        fig.update_yaxes(range=[lo - pad, hi + pad])
    fig.update_layout(showlegend=True)
    return _finish(fig, title="Parties to conventions, as stated in each resolution",
                   x="Session", y="Parties", source=source, legend_title="Convention")


# --------------------------------------------------------------------------- topic drift

def drift_chart(df: pd.DataFrame, *, source: str, documents: Mapping[int, str] | None = None) -> go.Figure:
    """Bars of the distance between each session and the next (`drift.distances` rows)."""
    documents = documents or {}
    x = [f"{session_label(a)}→{session_label(b)}" for a, b in zip(df["from_session"], df["to_session"])]
    custom = [[documents.get(a, ""), documents.get(b, "")] for a, b in zip(df["from_session"], df["to_session"])]
    fig = go.Figure(go.Bar(
        x=x, y=df["distance"], marker_color=OKABE_ITO[0], text=[f"{v:.2f}" for v in df["distance"]],
        textposition="outside", customdata=custom,
        hovertemplate=("<b>sessions %{x}</b><br>%{customdata[0]} → %{customdata[1]}<br>"
                       "distance %{y:.3f}<extra></extra>"),
    ))
    fig.update_xaxes(type="category")
    top = float(df["distance"].max()) if len(df) else 1.0
    fig.update_yaxes(range=[0, max(top * 1.2, 0.05)])
    return _finish(fig, title="Topic drift between consecutive sessions", x="Sessions",
                   y="Distance (1 − cosine similarity)", source=source)


def term_changes_chart(df: pd.DataFrame, *, a_label: str, b_label: str, source: str) -> go.Figure:
    """Diverging bars of the terms that rose or fell most from A to B (`drift.term_changes`)."""
    hover = ("<b>%{y}</b> (%{customdata[2]})<br>"
             f"{html.escape(a_label)}: %{{customdata[0]:.3f}}<br>"
             f"{html.escape(b_label)}: %{{customdata[1]:.3f}}<br>change %{{x:+.3f}}<extra></extra>")
    return _change_bars(df.sort_values("change", kind="stable"), x="change", y="term",
                        custom=("weight_a", "weight_b", "direction"), hover=hover, zero=DIVERGING[0],
                        heights=(400, 22), source=source, title=f"Rising and falling terms: {a_label} → {b_label}",
                        axes=("Change in term weight (tf-idf, B − A)", "Term"))


def term_trend_chart(df: pd.DataFrame, *, term: str, source: str) -> go.Figure:
    """Line of a term's frequency per 1,000 words by session (`drift.term_trend` rows)."""
    label_col = "label" if "label" in df else "document"
    fig = go.Figure(go.Scatter(
        x=_categories(df["session"]), y=df["per_1000"], mode="lines+markers+text",
        text=[str(int(c)) for c in df["count"]], textposition="top center",
        marker={"size": 10, "color": OKABE_ITO[1]}, line={"color": OKABE_ITO[1], "width": 2.5},
        customdata=list(zip(df[label_col], df["count"], df["session"].map(session_year))), name=term,
        hovertemplate=(f"<b>{html.escape(term)}</b><br>session %{{x}} (%{{customdata[2]}}) – %{{customdata[0]}}<br>"
                       "%{customdata[1]} mentions, %{y:.2f} per 1,000 words<extra></extra>"),
    ))
    session_axis(fig, df["session"])
    top = float(df["per_1000"].max()) if len(df) else 1.0
    fig.update_yaxes(range=[0, max(top * 1.25, 0.1)])
    return _finish(fig, title=f"Trend of “{term}”", x="Session", y="Mentions per 1,000 words",
                   source=source)


# --------------------------------------------------------------------------- compare

def status_chart(df: pd.DataFrame, *, a_label: str, b_label: str, source: str) -> go.Figure:
    """Stacked bars of aligned paragraphs by status per part.  ``df``: part, status, paragraphs."""
    fig = go.Figure()
    for status, col in ALIGN_STATUS_COLOURS.items():
        g = df[df["status"] == status]
        fig.add_trace(go.Bar(x=g["part"], y=g["paragraphs"], name=status, marker_color=col,
                             text=g["paragraphs"], textposition="inside",
                             hovertemplate=f"%{{x}}: %{{y}} paragraphs {status}<extra></extra>"))
    fig.update_layout(barmode="stack")
    fig.update_xaxes(type="category")
    return _finish(fig, title=f"Paragraphs carried, amended, new and dropped: {a_label} → {b_label}",
                   x="Part", y="Paragraphs", source=source, legend_title="Status")


def keyness_chart(df: pd.DataFrame, *, a_label: str, b_label: str, source: str) -> go.Figure:
    """Bars of the log ratio of the most distinctive terms of each side (`keyness.keyness_docs`).

    ``log_ratio`` is log2 of A's relative frequency over B's, so A's terms point right.
    """
    d = df.sort_values("log_ratio", kind="stable")
    fig = go.Figure()
    for side, name, col in (("b", f"more in {b_label}", DIVERGING[0]), ("a", f"more in {a_label}", DIVERGING[1])):
        g = d[d["side"] == side]
        if g.empty:
            continue
        fig.add_trace(go.Bar(
            x=g["log_ratio"], y=g["term"], orientation="h", name=name, marker_color=col,
            customdata=list(zip(g["count_a"], g["count_b"], g["g2"], g["p_value"])),
            hovertemplate=("<b>%{y}</b><br>" + html.escape(a_label) + ": %{customdata[0]} · "
                           + html.escape(b_label) + ": %{customdata[1]}<br>log ratio %{x:+.2f}, "
                           "G² %{customdata[2]:.1f}, p %{customdata[3]:.3g}<extra></extra>"),
        ))
    fig.update_yaxes(type="category", categoryorder="array", categoryarray=list(d["term"]))
    height = max(400, 22 * len(d) + 200)
    return _finish(fig, title=f"Distinctive terms: {a_label} vs {b_label}",
                   x=f"Log₂ ratio of relative frequency (right: more in {a_label}; left: more in {b_label})",
                   y="Term", source=source, height=height, legend_title="")


# --------------------------------------------------------------------------- lineage

def origin_counts(lineage: pd.DataFrame, labels: Mapping[str, str]) -> pd.DataFrame:
    """Paragraphs per (document, origin session) from `lineage.lineage` rows, documents in
    their order: the table `lineage_overview` draws."""
    if lineage.empty:
        return pd.DataFrame(columns=["document", "label", "session", "origin_session", "paragraphs"])
    g = (lineage.groupby(["document", "origin_session"], sort=False).size()
         .rename("paragraphs").reset_index())
    order = {d: i for i, d in enumerate(dict.fromkeys(lineage["document"]))}
    sessions = dict(zip(lineage["document"], lineage["session"]))
    g = g.sort_values(["document", "origin_session"], key=lambda c: c.map(order) if c.name == "document" else c,
                      kind="stable")
    g.insert(1, "label", [labels.get(d, d) for d in g["document"]])
    g.insert(2, "session", [sessions[d] for d in g["document"]])
    return g.reset_index(drop=True)


def lineage_overview(df: pd.DataFrame, *, source: str) -> go.Figure:
    """Stacked bars per document: paragraphs by the session their wording comes from.

    ``df``: document label, origin_session, paragraphs (one row per pair).
    """
    fig = go.Figure()
    docs = list(dict.fromkeys(df["label"]))
    origins = sorted({int(s) for s in df["origin_session"].dropna()})
    for i, s in enumerate(origins):
        g = df[df["origin_session"] == s]
        fig.add_trace(go.Bar(x=g["label"], y=g["paragraphs"], name=f"session {s}", marker_color=colour(i),
                             hovertemplate=f"%{{x}}: %{{y}} paragraphs first worded in session {s}<extra></extra>"))
    fig.update_layout(barmode="stack")
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=docs)
    return _finish(fig, title="Where each document's wording comes from", x="Document",
                   y="Paragraphs", source=source, legend_title="Wording first in")


def lineage_paragraphs(df: pd.DataFrame, *, doc_label: str, source: str) -> go.Figure:
    """One marker per paragraph of a document at the session its wording comes from,
    coloured by status (agreed / amended / new).

    ``df``: `lineage.lineage` rows of one document plus ``text`` (the paragraph)
    and ``origin_label`` (label of the document the wording comes from).
    """
    fig = go.Figure()
    order = list(df["key"])
    symbols = {"agreed": "square", "amended": "diamond", "new": "circle"}
    for status, col in LINEAGE_STATUS_COLOURS.items():
        g = df[df["status"] == status]
        if g.empty:
            continue
        hover = [f"<b>{html.escape(str(k))}</b> – {status}<br>wording first in session {session_label(o)} "
                 f"({html.escape(str(ol))} {html.escape(str(ok))})"
                 + (f", similarity to previous {sim:.2f}" if sim == sim else "")
                 + f"<br>“{hover_text(t)}”"
                 for k, o, ol, ok, sim, t in zip(g["key"], g["origin_session"], g["origin_label"],
                                                 g["origin_key"], g["similarity"].astype(float), g["text"])]
        fig.add_trace(go.Scatter(
            x=g["key"], y=g["origin_session"].astype(float), mode="markers", name=status,
            marker={"color": col, "size": 12, "symbol": symbols[status], "line": {"width": 1, "color": "white"}},
            hovertext=hover, hovertemplate="%{hovertext}<extra></extra>"))
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=order, tickangle=-90)
    if len(df):
        sessions = sorted({int(s) for s in df["origin_session"].dropna()})
        fig.update_yaxes(type="linear", tickvals=sessions, range=[sessions[0] - 0.7, sessions[-1] + 0.7])
    return _finish(fig, title=f"Agreed language in {doc_label}",
                   x="Paragraph", y="Session the wording first appears", source=source,
                   legend_title="Paragraph")


# --------------------------------------------------------------------------- operative verbs

# strongest first; a level the scale file adds later gets the next palette colour
LEVEL_COLOURS = {"directs": "#0072B2", "invites": "#56B4E9", "records": "#E69F00", "unrated": GREY}


def verb_strength_chart(df: pd.DataFrame, *, source: str, documents: Mapping[int, str] | None = None,
                        levels: Iterable[str] | None = None) -> go.Figure:
    """Stacked bars: share of each session's operative paragraphs opening with a verb of
    each strength level (`verbs.strength_profile` rows)."""
    documents = documents or {}
    order = list(levels) if levels is not None else list(dict.fromkeys(df["level"]))
    fig = go.Figure()
    for i, level in enumerate(order):
        g = df[df["level"] == level]
        if g.empty:
            continue
        col = LEVEL_COLOURS.get(level, colour(i + 3))
        custom = [[documents.get(int(s), ""), session_year(s), int(n), hover_text(v or "–")]
                  for s, n, v in zip(g["session"], g["count"], g["verbs"])]
        fig.add_trace(go.Bar(
            x=_categories(g["session"]), y=g["share"], name=level, marker_color=col,
            text=[f"{v:.0%}" if v >= 0.05 else "" for v in g["share"]], textposition="inside",
            customdata=custom,
            hovertemplate=(f"<b>{html.escape(level)}</b><br>session %{{x}} (%{{customdata[1]}}) – "
                           "%{customdata[0]}<br>%{customdata[2]} paragraphs, %{y:.0%}<br>"
                           "%{customdata[3]}<extra></extra>"),
        ))
    fig.update_layout(barmode="stack")
    session_axis(fig, df["session"])
    fig.update_yaxes(range=[0, 1], tickformat=".0%")
    return _finish(fig, title="Strength of the operative verbs by session", x="Session",
                   y="Share of operative paragraphs", source=source, legend_title="Verb level")


# --------------------------------------------------------------------------- citations

def citation_timeline(df: pd.DataFrame, *, source: str) -> go.Figure:
    """What the texts cite: a marker per citing session and cited body, sized by the
    number of citations, the count beside it and the symbols in the hover.

    ``df``: session, body, citations, cited (symbols, "; "-joined), document (label).
    """
    bodies = list(dict.fromkeys(df["body"]))
    fig = go.Figure()
    for i, body in enumerate(bodies):
        g = df[df["body"] == body]
        fig.add_trace(go.Scatter(
            x=_categories(g["session"]), y=[body] * len(g), mode="markers+text", name=body,
            text=[str(int(n)) for n in g["citations"]], textposition="middle right",
            cliponaxis=False,       # the count beside the last session's marker stays readable
            marker={"size": [min(10 + 2 * int(n), 34) for n in g["citations"]], "color": colour(i),
                    "line": {"width": 1, "color": "white"}},
            customdata=[[session_year(s), str(d), hover_text(c)] for s, d, c in
                        zip(g["session"], g["document"], g["cited"])],
            hovertemplate=(f"<b>{html.escape(body)}</b><br>session %{{x}} (%{{customdata[0]}}) – "
                           "%{customdata[1]}<br>%{text} citations: %{customdata[2]}<extra></extra>"),
        ))
    session_axis(fig, df["session"])
    ticks = _session_ticks(df["session"])
    if ticks:                        # room on the right for the count beside the last markers
        fig.update_xaxes(range=[ticks[0] - 0.6, ticks[-1] + 1.2])
    fig.update_yaxes(type="category", categoryorder="array", categoryarray=bodies[::-1])
    fig.update_layout(showlegend=False)      # the y axis names the bodies; a legend only narrows the plot
    height = max(380, 46 * len(bodies) + 220)
    return _finish(fig, title="What the texts cite, by body and session", x="Citing session",
                   y="Cited body", source=source, height=height)
