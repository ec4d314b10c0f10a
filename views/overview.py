"""Overview: what is in the corpus, what could not be read, and the headline figures."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics import figures as F
from analytics.emerging import session_summary
from analytics.inventory import documents_frame
from analytics.treaties import latest_figures
from views import analyses
from views.context import Ctx, need_docs, open_page
from views.exporting import Chart, show_chart
from views.markup import md
from views.tables import problems_frame, show_table

TABLE_COLUMNS = ["symbol", "session", "date", "kind", "preambular", "operative", "words", "warnings", "file"]


def corpus_table(ctx: Ctx) -> pd.DataFrame:
    """The Overview's table of the selected documents (`analytics.inventory.documents_frame`)."""
    rows = analyses.documents(ctx)
    return rows[rows["id"].isin(set(ctx.ids))][TABLE_COLUMNS].reset_index(drop=True)


PARAGRAPH_COLUMNS = {"id": "document", "label": "label", "session": "session", "kind": "kind",
                     "preambular": "preambular", "operative": "operative"}


def paragraph_data(corpus, docs) -> pd.DataFrame:
    """What the Overview's chart draws: preambular and operative paragraphs per document."""
    return documents_frame(corpus, docs, columns=list(PARAGRAPH_COLUMNS)).rename(columns=PARAGRAPH_COLUMNS)


def paragraphs_chart(ctx: Ctx) -> Chart:
    title = "Paragraphs per document"
    if not ctx.docs:
        return Chart.empty("overview.paragraphs", title, "No documents match the filters.")
    data = paragraph_data(ctx.corpus, ctx.docs)
    source = ctx.source()
    return Chart("overview.paragraphs", title, F.paragraph_counts(data, source=source), data, source)


CHARTS = {"overview.paragraphs": ("Paragraphs per document", paragraphs_chart)}


def headline(ctx: Ctx) -> None:
    docs = ctx.docs
    sessions = sorted({d.session for d in docs if d.session is not None})
    c = st.columns(4)
    c[0].metric("Documents", len(docs),
                help=f"{sum(d.kind == 'resolution' for d in docs)} adopted, "
                     f"{sum(d.kind == 'draft' for d in docs)} drafts")
    c[1].metric("Sessions", f"{sessions[0]}–{sessions[-1]}" if len(sessions) > 1 else
                (str(sessions[0]) if sessions else "–"), help=f"{len(sessions)} sessions with a text")
    c[2].metric("Paragraphs", sum(len(d.paragraphs) for d in docs))
    c[3].metric("Files not read", len(ctx.corpus.problems))

    if not docs:
        return
    treaties = analyses.treaties(ctx)
    _, matrix = analyses.emerging(ctx)
    figures: list[dict] = []
    for f in latest_figures(treaties).itertuples():
        delta = f"{f.change:+d} since session {f.previous_session}" if f.change is not None else None
        # "parties", not "States parties": 79/190 OP7 counts "191 parties" to UNCAC, and
        # regional organizations can be parties too
        figures.append({"label": f"{f.short} parties", "value": f.parties, "delta": delta,
                        "help": f"Parties as stated in {ctx.label(f.document)} {f.key} (regional "
                                "organizations are parties too)"})
    summary = session_summary(matrix)
    if summary["session"] is not None:
        new = summary["new"]
        # without a list, "0 listed" would read as "none named": the text may name them elsewhere
        listed = summary["has_list"]
        figures.append({"label": f"Emerging issues listed, session {summary['session']}",
                        "value": summary["listed"] if listed else "no list",
                        "delta": f"{new} new" if new else None,
                        "help": (f"{new} listed for the first time" if new else "none listed for the first time")
                        if listed else "This session's text has no list of emerging policy issues; the "
                                       "issues it mentions elsewhere are on the Emerging issues page"})
        figures.append({"label": "Emerging issues tracked", "value": summary["tracked"], "delta": None,
                        "help": "Issues listed in at least one selected session"})
    for start in range(0, len(figures), 4):
        cols = st.columns(4)
        for col, f in zip(cols, figures[start:start + 4]):
            col.metric(f["label"], f["value"], delta=f["delta"], help=f["help"])


def series_list(ctx) -> None:
    """Every series of the corpus, the chosen one first only if it is the largest."""
    from analytics.series import series_table
    table = series_table(ctx.corpus.series)
    st.subheader(f"Series in the corpus ({len(table)})")
    show_table(table[["title", "sessions", "documents", "resolutions", "drafts", "latest", "series"]], wide=["title"])


def _parser_warnings(ctx: Ctx) -> None:
    warned = [d for d in ctx.docs if d.warnings]
    if warned:
        with st.expander(f"Parser warnings ({sum(len(d.warnings) for d in warned)})"):
            for d in warned:
                for w in d.warnings:
                    st.text(f"{d.label}: {w}")


def _problems(ctx: Ctx) -> None:
    st.subheader("Files that could not be read")
    if ctx.corpus.problems:
        show_table(problems_frame(ctx.corpus.problems))
    else:
        st.success("Every file in the corpus folder was read.")


def render() -> None:
    ctx = open_page("Overview", "What the corpus holds and the headline figures of the series chosen in the "
                    "sidebar. Use the sidebar to change the series, the sessions and the document kind; the URL "
                    "keeps your view.")
    if ctx.series:
        st.markdown(f"**Series:** {md(ctx.series_title)}")
    headline(ctx)
    for note in (*ctx.corpus.notes, *ctx.corpus.config.problems, *ctx.corpus.series.warnings):
        st.warning(md(note))
    series_list(ctx)
    st.subheader("Documents of this series")
    if need_docs(ctx, 1, "the overview"):
        show_table(corpus_table(ctx), ints=["session"], wide=["warnings"])
        _parser_warnings(ctx)
    _problems(ctx)
    if ctx.docs:
        st.subheader("Headline chart")
        show_chart(paragraphs_chart(ctx))


if __name__ == "__main__":
    render()
