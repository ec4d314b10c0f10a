"""Dashboard pages: one small module per page, and the plumbing they share.

Each page module defines ``render()`` (run when Streamlit executes the file as a
page) and ``CHARTS``: ``{chart_id: (title, maker)}`` where ``maker(ctx)`` returns
a `views.exporting.Chart`.  The briefing-pack page builds any of them again from
the current settings, so a chart in the pack is the chart on its page.

Shared modules, one concern each: `paths` (corpus and cache folders), `loading` (the
loaded corpus), `state` (URL parameters and widget binding), `context` (the sidebar
filters, `Ctx`, the page header), `analyses` (every analysis through the one memo),
`exporting` (charts, downloads, briefing-pack toggle), `tables` and `markup` (escaping).
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass


@dataclass(frozen=True)
class PageSpec:
    module: str      # views/<module>.py
    title: str
    icon: str
    url_path: str


PAGES = (
    PageSpec("overview", "Overview", ":material/dashboard:", "overview"),
    PageSpec("series", "Series", ":material/library_books:", "series"),
    PageSpec("themes", "Themes", ":material/grid_on:", "themes"),
    PageSpec("emerging", "Emerging issues", ":material/timeline:", "emerging"),
    PageSpec("treaties", "Treaty figures", ":material/gavel:", "treaties"),
    PageSpec("drift", "Topic drift", ":material/trending_up:", "drift"),
    PageSpec("verbs", "Operative verbs", ":material/record_voice_over:", "verbs"),
    PageSpec("citations", "Citations", ":material/format_quote:", "citations"),
    PageSpec("compare", "Compare two sessions", ":material/compare:", "compare"),
    PageSpec("digest", "Session digest", ":material/summarize:", "digest"),
    PageSpec("lineage", "Lineage", ":material/account_tree:", "lineage"),
    PageSpec("reader", "Reader", ":material/menu_book:", "reader"),
    PageSpec("corpus", "Corpus", ":material/upload_file:", "corpus"),
    PageSpec("briefing", "Briefing pack", ":material/picture_as_pdf:", "briefing"),
)


def chart_registry() -> dict:
    """chart_id -> (page title, chart title, maker) over every page, in page order."""
    out = {}
    for spec in PAGES:
        module = importlib.import_module(f"views.{spec.module}")
        for chart_id, (title, maker) in getattr(module, "CHARTS", {}).items():
            out[chart_id] = (spec.title, title, maker)
    return out
