"""Series: every resolution of the corpus, and which of them talk about a theme, since when."""
from __future__ import annotations

import streamlit as st

from analytics.series import series_table
from views import common
from views.common import Ctx


def render() -> None:
    ctx: Ctx = common.context()
    st.title("Series")
    st.caption("Every recurring resolution in the corpus, grouped from the texts' own titles and the "
               "resolutions they recall. The other pages show the series chosen in the sidebar.")
    index = ctx.corpus.series
    table = series_table(index)
    st.dataframe(table, hide_index=True, width="stretch",
                 column_config={"title": st.column_config.TextColumn(width="large")})
    st.download_button("Series (CSV)", data=common._csv(table), file_name="series.csv", mime="text/csv",
                       key="csv_series", on_click="ignore", icon=":material/table:")
    st.subheader("Themes across series")
    lexicon = ctx.lexicon
    theme = common.choose("theme", "Theme", list(lexicon), default="cybercrime" if "cybercrime" in lexicon else None,
                          format_func=lambda t: lexicon[t].get("label", t))
    rows = common.themes_by_series_for(ctx)
    rows = rows[rows["theme"] == theme].assign(title=lambda df: [index.title_of(s) for s in df["series"]])
    if rows.empty:
        st.info("No series mentions this theme in the selected sessions.")
        return
    st.caption(f"Series whose texts mention {lexicon[theme].get('label', theme)} in the selected sessions, "
               "earliest first: mentions, documents, first and last session that mention it.")
    st.dataframe(rows[["title", "count", "documents", "first_session", "last_session", "series"]],
                 hide_index=True, width="stretch",
                 column_config={"title": st.column_config.TextColumn(width="large")})


CHARTS: dict = {}

if __name__ == "__main__":
    render()
