"""Charts on the page and out of it: the chart with its caption, its PNG/SVG/PDF/CSV downloads
(bytes made only on click) and the briefing-pack toggle."""
from __future__ import annotations

import datetime as _dt
import os
import re
import threading
from dataclasses import dataclass
from typing import Callable

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from analytics import export
from views.markup import md

WARMUP_ENV = "UNRES_EXPORT_WARMUP"     # "0": do not start the export browser ahead of the first click
PACK = "_pack"
EXPORT_WIDTH = 1100
NO_DOCS = "No documents match the sidebar filters."
PLOTLY_CONFIG = {"displaylogo": False, "responsive": True,
                 "modeBarButtonsToRemove": ["select2d", "lasso2d"]}


@dataclass
class Chart:
    """A chart as the dashboard and the briefing pack use it."""
    id: str
    title: str
    figure: go.Figure | None
    data: pd.DataFrame | None           # exactly what the chart shows: offered as CSV
    caption: str = ""
    quotes: tuple[tuple[str, str], ...] = ()
    message: str = ""                   # shown instead when figure is None

    @classmethod
    def empty(cls, chart_id: str, title: str, message: str = NO_DOCS) -> "Chart":
        """A chart with nothing to draw: the page shows ``message`` in its place."""
        return cls(chart_id, title, None, None, message=message)

    def pack_item(self) -> export.PackItem:
        return export.PackItem(self.title, self.figure, self.caption, tuple(self.quotes))


def pack() -> list[str]:
    return st.session_state.setdefault(PACK, [])


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "chart"


def image_bytes(fig: go.Figure, fmt: str) -> Callable[[], bytes]:
    def render() -> bytes:
        # the figure's own height: tall charts (31 themes, 40 terms) keep every label
        return export.figure_image(fig, fmt=fmt, width=EXPORT_WIDTH, height=int(fig.layout.height or 600))
    return render


def csv_bytes(df: pd.DataFrame) -> Callable[[], bytes]:
    def render() -> bytes:
        return export.frame_csv(df)
    return render


def csv_button(label: str, df: pd.DataFrame, *, file_name: str, key: str, container=None,
               help: str | None = None) -> None:
    """A CSV download of ``df``, serialised only when clicked."""
    (container or st).download_button(label, data=csv_bytes(df), file_name=file_name, mime="text/csv",
                                      key=key, on_click="ignore", icon=":material/table:", help=help)


@st.cache_resource(show_spinner=False)
def _warm_export() -> bool:
    """Start kaleido's browser in the background once per server, so the first PNG/SVG
    click costs ~0.3 s instead of a 3-4 s browser start."""
    def run() -> None:
        try:
            export.warm_up()
        except Exception:  # noqa: BLE001 - the click will report ExportUnavailable itself
            pass

    threading.Thread(target=run, name="export-warm-up", daemon=True).start()
    return True


_IMAGES = (("PNG", "png", "image/png", ":material/image:", "Chart as a PNG image (2× for slides)"),
           ("SVG", "svg", "image/svg+xml", ":material/draw:", "Chart as an SVG vector image"),
           ("PDF", "pdf", "application/pdf", ":material/picture_as_pdf:", "Chart as a one-page PDF (vector)"))


def _image_buttons(chart: Chart, name: str, row) -> None:
    if not export.chromium_available():
        row.caption(md(export.CHROMIUM_HINT))
        return
    if os.environ.get(WARMUP_ENV, "1") != "0":
        _warm_export()
    for label, fmt, mime, icon, help_ in _IMAGES:
        row.download_button(label, data=image_bytes(chart.figure, fmt), file_name=f"{name}.{fmt}", mime=mime,
                            key=f"{fmt}_{chart.id}", on_click="ignore", icon=icon, help=help_)


def _pack_toggle(chart: Chart, row) -> None:
    key = f"w_pack_{chart.id}"
    basket = pack()
    if key not in st.session_state:
        st.session_state[key] = chart.id in basket
    on = row.checkbox("Add to briefing pack", key=key)
    if on and chart.id not in basket:
        basket.append(chart.id)
    elif not on and chart.id in basket:
        basket.remove(chart.id)


def export_row(chart: Chart) -> None:
    """PNG/SVG/PDF/CSV downloads (bytes made only on click) and the briefing-pack toggle."""
    name = f"{slug(chart.title)}-{_dt.date.today().isoformat()}"
    row = st.container(horizontal=True, vertical_alignment="center", gap="small")
    _image_buttons(chart, name, row)
    if chart.data is not None:
        csv_button("CSV", chart.data, file_name=f"{name}.csv", key=f"csv_{chart.id}", container=row,
                   help="The data this chart shows")
    _pack_toggle(chart, row)


WARM = "_chart_renderer_warm"


def _blank_figure() -> go.Figure:
    # plotly's smallest size; transparent, no axes: nothing shows while it is on the page
    return go.Figure(layout={"height": 10, "width": 10, "margin": {"l": 0, "r": 0, "t": 0, "b": 0},
                             "xaxis": {"visible": False}, "yaxis": {"visible": False},
                             "paper_bgcolor": "rgba(0,0,0,0)", "plot_bgcolor": "rgba(0,0,0,0)"})


def warm_chart_renderer() -> "st.delta_generator.DeltaGenerator":
    """On a session's first run, an invisible 10-pixel chart at the top of the sidebar; clear
    the returned slot when the page is drawn.

    Streamlit's browser code fetches plotly.js (a 4.7 MB chunk) only when the first chart
    element arrives, and fetches each widget's code as its element arrives: a page's ~35
    widget chunks were requested first and queued the plotly chunk behind them on the
    browser's six connections, so the first chart appeared later than in a one-chart app.
    The browser requests chunks in component-tree order and the sidebar comes before the
    main area, so a chart sent first *in the sidebar* makes plotly.js the first request
    (measured: requested at 0.90 s instead of 0.98 s, and first-chart/bare-app 1.24x ->
    1.18x on the bundled corpus).  In the main area it would still come after the sidebar."""
    slot = st.sidebar.empty()
    if not st.session_state.get(WARM):
        st.session_state[WARM] = True
        slot.plotly_chart(_blank_figure(), key="chart_renderer_warmup", config={"displayModeBar": False,
                                                                    "staticPlot": True},
                          width="content", theme=None)
    return slot


def show_chart(chart: Chart | None) -> None:
    if chart is None:
        return
    if chart.figure is None:
        st.info(md(chart.message or "Nothing to chart for this selection."))
        return
    # theme=None: the chart on screen is the chart that is exported and packed
    st.plotly_chart(chart.figure, key=f"chart_{chart.id}", config=PLOTLY_CONFIG, width="stretch", theme=None)
    caption = screen_caption(chart)
    if caption:
        st.caption(md(caption))
    export_row(chart)


def screen_caption(chart: Chart) -> str:
    """The caption under a chart without the "Source:" line the figure already prints
    (the figure keeps it, so an exported image still names its documents)."""
    caption = chart.caption or ""
    source = (chart.figure.layout.meta or {}).get("source", "") if chart.figure is not None else ""
    if source and caption.startswith(source):
        caption = caption[len(source):].lstrip(" .;\u2014")
    return caption
