"""Briefing pack: selected charts, with captions and quoted wording, in one offline HTML file
(and a PDF when Chromium is installed)."""
from __future__ import annotations

import datetime as _dt

import streamlit as st

from analytics import export
from views import chart_registry
from views.context import Ctx, open_page
from views.exporting import pack
from views.markup import md
from views.state import KIND_LABELS

HTML_KEY = "_pack_html"


def build(ctx: Ctx, chart_ids, registry) -> tuple[list, list[str]]:
    """The pack items for ``chart_ids``, and messages for charts with nothing to show."""
    items, skipped = [], []
    for cid in chart_ids:
        page, title, maker = registry[cid]
        chart = maker(ctx)
        if chart.figure is None:
            skipped.append(f"{page} – {title}: {chart.message}")
        else:
            items.append(chart.pack_item())
    return items, skipped


def subtitle(ctx: Ctx) -> str:
    parts = [f"{len(ctx.docs)} documents"]
    if ctx.sessions:
        parts.append(f"sessions {ctx.sessions[0]}–{ctx.sessions[1]}")
    parts.append("kinds: " + (", ".join(KIND_LABELS[k] for k in ctx.kinds) or "none"))
    parts.append(f"prepared {_dt.date.today().isoformat()}")
    return "; ".join(parts)


def _chosen(registry: dict) -> list[str]:
    """The charts picked here, kept in step with the "Add to briefing pack" boxes under the charts."""
    basket = pack()
    key = "w_pack_select"
    if key not in st.session_state:
        st.session_state[key] = [c for c in basket if c in registry]
    chosen = st.multiselect("Charts", list(registry), key=key,
                            format_func=lambda c: f"{registry[c][0]} – {registry[c][1]}",
                            placeholder="Choose charts for the pack")
    basket[:] = chosen
    for cid in list(registry):
        st.session_state.pop(f"w_pack_{cid}", None)
    return chosen


def _downloads(built) -> None:
    pack_html, skipped, n = built
    for s in skipped:
        st.warning(md(f"Left out {s}"))
    if not n:
        st.info("None of the selected charts has data for the current filters.")
        return
    st.success(f"Briefing pack ready: {n} chart{'s' if n != 1 else ''}, {len(pack_html) / 2**20:.1f} MB.")
    name = f"briefing-pack-{_dt.date.today().isoformat()}"
    c1, c2 = st.columns(2)
    c1.download_button("Download HTML (offline)", data=pack_html.encode("utf-8"), file_name=f"{name}.html",
                       mime="text/html", key="pack_html", on_click="ignore", icon=":material/download:")
    if export.chromium_available():
        c2.download_button("Download PDF", data=lambda: export.briefing_pack_pdf(pack_html),
                           file_name=f"{name}.pdf", mime="application/pdf", key="pack_pdf",
                           on_click="ignore", icon=":material/picture_as_pdf:")
    else:
        c2.caption(md("PDF: " + export.CHROMIUM_HINT))


def render() -> None:
    ctx = open_page("Briefing pack", "Pick charts (or tick “Add to briefing pack” under any chart). The pack is "
                    "one HTML file that opens offline, with each chart interactive, its source line and the "
                    "quoted wording.")
    registry = chart_registry()
    chosen = _chosen(registry)
    title = st.text_input("Title", value="Trends in the General Assembly resolutions", key="pack_title",
                          max_chars=120)
    sub = st.text_input("Subtitle", value=subtitle(ctx), key="pack_subtitle", max_chars=200)
    if not chosen:
        st.info("No chart selected yet. Choose charts above.")
        return
    if st.button("Build briefing pack", type="primary", key="pack_build", icon=":material/build:"):
        with st.spinner(f"Building {len(chosen)} charts…"):
            items, skipped = build(ctx, chosen, registry)
            st.session_state[HTML_KEY] = (export.briefing_pack_html(items, title=title, subtitle=sub), skipped,
                                          len(items))
    built = st.session_state.get(HTML_KEY)
    if built:
        _downloads(built)


if __name__ == "__main__":
    render()
