"""Citations: what each session's text cites, the citing paragraphs, and the series' own predecessors."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics import figures as F
from analytics.citations import citation_counts
from analytics.records import representative
from views import analyses
from views.context import Ctx, open_page
from views.exporting import Chart, show_chart
from views.markup import md
from views.state import choose
from views.tables import show_table

TITLE = "What the texts cite, by body and session"
TIMELINE_COLUMNS = ["session", "document", "body", "citations", "cited"]


def timeline_data(ctx: Ctx, rows: pd.DataFrame) -> pd.DataFrame:
    """Citations per citing session (its representative text) and cited body."""
    rows = rows[rows["document"].isin({d.id for d in representative(ctx.docs).values()})]
    if rows.empty:
        return pd.DataFrame(columns=TIMELINE_COLUMNS)
    g = rows.groupby(["session", "document", "body"], sort=False)
    out = g.agg(citations=("cited", "size"),
                cited=("cited", lambda c: "; ".join(dict.fromkeys(c)))).reset_index()
    out["document"] = [ctx.label(d) for d in out["document"]]
    return out[TIMELINE_COLUMNS].sort_values(["session", "citations"], ascending=[True, False], kind="stable")


def timeline_chart(ctx: Ctx) -> Chart:
    if not ctx.docs:
        return Chart.empty("citations.timeline", TITLE)
    data = timeline_data(ctx, analyses.citations(ctx))
    if data.empty:
        return Chart.empty("citations.timeline", TITLE,
                           "None of the selected texts cites a resolution or decision by symbol.")
    source = ctx.source([d.id for d in representative(ctx.docs).values()])
    fig = F.citation_timeline(data, source=source)
    caption = (source + ". One text per session (the adopted resolution over its draft); the number beside "
               "a marker is how many citations of that body the text makes. Hover for the symbols.")
    return Chart("citations.timeline", TITLE, fig, data, caption)


CHARTS = {"citations.timeline": ("What the texts cite (timeline)", timeline_chart)}


# --------------------------------------------------------------------------- page parts

def citing_paragraphs(ctx: Ctx, rows: pd.DataFrame, cited: str) -> pd.DataFrame:
    hits = rows[rows["cited"] == cited]
    return pd.DataFrame([{"session": r.session, "where": ctx.doc(r.document).cite(r.key),
                          "text": ctx.doc(r.document).paragraph(r.key).text} for r in hits.itertuples()],
                        columns=["session", "where", "text"])


def _chooser(ctx: Ctx, rows: pd.DataFrame) -> None:
    st.subheader("Who cites what")
    counts = citation_counts(rows)
    show_table(counts, ints=["first_session", "last_session"])
    chosen = choose("cited", "Show the paragraphs citing", list(counts["cited"]),
                    help="The citing paragraphs, each with its printed reference")
    if chosen:
        show_table(citing_paragraphs(ctx, rows, chosen), ints=["session"], wide=["text"])


def _chain(ctx: Ctx) -> None:
    st.subheader("The series' own predecessors")
    st.caption("Earlier resolutions of this series that the texts recall (by the corpus's grouping, or "
               "because the citing paragraph names the series title).")
    chain = analyses.predecessors(ctx)
    if chain.empty:
        st.info("The selected texts recall no earlier resolution of this series by symbol.")
        return
    missing = chain[~chain["in_corpus"]]
    if len(missing):
        st.warning(md("Not in the corpus: " + ", ".join(missing["symbol"])
                      + ". Add them on the Corpus page to see them."))
    show_table(chain, ints=["cited_session", "citing_session"])


def render() -> None:
    ctx = open_page("Citations", "The resolutions and decisions each text cites: the Assembly's own, ECOSOC, "
                    "the Crime Commission, the Security Council and treaty bodies.",
                    need=1, what="the citations page")
    if ctx is None:
        return
    show_chart(timeline_chart(ctx))
    rows = analyses.citations(ctx)
    if rows.empty:
        return
    st.divider()
    _chooser(ctx, rows)
    st.divider()
    _chain(ctx)


if __name__ == "__main__":
    render()
