"""Series: every resolution of the corpus, and which of them talk about a theme, since when."""
from __future__ import annotations

import streamlit as st

from analytics.series import series_table
from views import analyses
from views.context import Ctx, open_page
from views.exporting import csv_button
from views.state import choose
from views.tables import show_table


def _themes_across_series(ctx: Ctx) -> None:
    st.subheader("Themes across series")
    index, lexicon = ctx.corpus.series, ctx.lexicon
    theme = choose("theme", "Theme", list(lexicon), default="cybercrime" if "cybercrime" in lexicon else None,
                   format_func=lambda t: lexicon[t].get("label", t))
    rows = analyses.themes_by_series(ctx)
    rows = rows[rows["theme"] == theme].assign(title=lambda df: [index.title_of(s) for s in df["series"]])
    if rows.empty:
        st.info("No series mentions this theme in the selected sessions.")
        return
    st.caption(f"Series whose texts mention {lexicon[theme].get('label', theme)} in the selected sessions, "
               "earliest first: mentions, documents, first and last session that mention it.")
    show_table(rows[["title", "count", "documents", "first_session", "last_session", "series"]], wide=["title"])


def render() -> None:
    ctx = open_page("Series", "Every recurring resolution in the corpus, grouped from the texts' own titles and "
                    "the resolutions they recall. The other pages show the series chosen in the sidebar.")
    table = series_table(ctx.corpus.series)
    show_table(table, wide=["title"])
    csv_button("Series (CSV)", table, file_name="series.csv", key="csv_series")
    _themes_across_series(ctx)


CHARTS: dict = {}

if __name__ == "__main__":
    render()
