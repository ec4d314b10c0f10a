"""Citations: what each session's text cites, the citing paragraphs, and the series' own predecessors."""
from __future__ import annotations

import re

import pandas as pd
import streamlit as st

from analytics import figures as F
from analytics.citations import GA, citation_counts
from views import common
from views.common import Chart, Ctx

TITLE = "What the texts cite, by body and session"
TIMELINE_COLUMNS = ["session", "document", "body", "citations", "cited"]
CHAIN_COLUMNS = ["cited", "symbol", "cited_session", "cited_by", "citing_session", "in_corpus", "note"]
_WORD = re.compile(r"[a-z]{4,}")
TITLE_SHARE = 0.7        # share of the series title's words the text after a symbol must name
WINDOW = 260             # characters after a cited symbol where "on <title>" is looked for


def timeline_data(ctx: Ctx, rows: pd.DataFrame) -> pd.DataFrame:
    """Citations per citing session (its representative text) and cited body."""
    rows = rows[rows["document"].isin({d.id for d in _reps(ctx).values()})]
    if rows.empty:
        return pd.DataFrame(columns=TIMELINE_COLUMNS)
    g = rows.groupby(["session", "document", "body"], sort=False)
    out = g.agg(citations=("cited", "size"),
                cited=("cited", lambda c: "; ".join(dict.fromkeys(c)))).reset_index()
    out["document"] = [ctx.label(d) for d in out["document"]]
    return out[TIMELINE_COLUMNS].sort_values(["session", "citations"], ascending=[True, False], kind="stable")


def _reps(ctx: Ctx) -> dict:
    from analytics.records import representative
    return representative(ctx.docs)


def timeline_chart(ctx: Ctx) -> Chart:
    if not ctx.docs:
        return Chart("citations.timeline", TITLE, None, None, message="No documents match the sidebar filters.")
    data = timeline_data(ctx, common.citations_for(ctx))
    if data.empty:
        return Chart("citations.timeline", TITLE, None, None,
                     message="None of the selected texts cites a resolution or decision by symbol.")
    ids = [d.id for d in _reps(ctx).values()]
    source = ctx.source(ids)
    fig = F.citation_timeline(data, source=source)
    caption = (source + ". One text per session (the adopted resolution over its draft); the number beside "
               "a marker is how many citations of that body the text makes. Hover for the symbols.")
    return Chart("citations.timeline", TITLE, fig, data, caption)


CHARTS = {"citations.timeline": ("What the texts cite (timeline)", timeline_chart)}


# --------------------------------------------------------------------------- the series' own chain

def ga_symbol(cited: str) -> str:
    """The document symbol of an Assembly resolution as `citations` writes it: "62/175" -> "A/RES/62/175"."""
    return f"A/RES/{cited}"


def title_words(title: str) -> set[str]:
    return set(_WORD.findall(title.lower()))


def names_title(text: str, symbol: str, words: set[str]) -> bool:
    """Whether the text right after ``symbol`` ("62/175 of 18 December 2007 on strengthening ...")
    names most of the series title: how a resolution recalls its own predecessor."""
    if not words:
        return False
    for m in re.finditer(rf"(?<![\w/]){re.escape(symbol)}(?![\w/])", text):
        window = set(_WORD.findall(text[m.end():m.end() + WINDOW].lower()))
        if len(words & window) >= TITLE_SHARE * len(words):
            return True
    return False


def predecessors(ctx: Ctx, rows: pd.DataFrame) -> pd.DataFrame:
    """Assembly resolutions of this series that the selection cites: in the series by the
    corpus's grouping when loaded, else because the citing text names the series title."""
    if not ctx.series or rows.empty:
        return pd.DataFrame(columns=CHAIN_COLUMNS)
    index, corpus = ctx.corpus.series, ctx.corpus
    by_symbol = {d.symbol: d for d in corpus.documents if d.symbol}
    words = title_words(ctx.series_title)
    out = {}
    for r in rows[rows["body"] == GA].itertuples():
        symbol = ga_symbol(r.cited)
        doc = by_symbol.get(symbol)
        ours = (index.series_of(doc.id) == ctx.series) if doc is not None else \
            names_title(ctx.doc(r.document).paragraph(r.key).text, r.cited, words)
        if ours and r.cited not in out:
            out[r.cited] = _chain_row(ctx, r, symbol, doc)
    return pd.DataFrame(list(out.values()), columns=CHAIN_COLUMNS).sort_values("cited_session", kind="stable")


def _chain_row(ctx: Ctx, r, symbol: str, doc) -> dict:
    session = int(r.cited.split("/")[0]) if r.cited.split("/")[0].isdigit() else None
    return {"cited": r.cited, "symbol": symbol, "cited_session": session,
            "cited_by": ctx.doc(r.document).cite(r.key), "citing_session": r.session,
            "in_corpus": doc is not None,
            "note": f"in the corpus ({doc.id})" if doc is not None else f"add {symbol} to see it"}


# --------------------------------------------------------------------------- page parts

def citing_paragraphs(ctx: Ctx, rows: pd.DataFrame, cited: str) -> pd.DataFrame:
    hits = rows[rows["cited"] == cited]
    return pd.DataFrame([{"session": r.session, "where": ctx.doc(r.document).cite(r.key),
                          "text": ctx.doc(r.document).paragraph(r.key).text} for r in hits.itertuples()],
                        columns=["session", "where", "text"])


def _chooser(ctx: Ctx, rows: pd.DataFrame) -> None:
    st.subheader("Who cites what")
    counts = citation_counts(rows)
    st.dataframe(counts, hide_index=True, width="stretch",
                 column_config={c: st.column_config.NumberColumn(format="%d")
                                for c in ("first_session", "last_session")})
    options = list(counts["cited"])
    chosen = common.choose("cited", "Show the paragraphs citing", options,
                           help="The citing paragraphs, each with its printed reference")
    if chosen:
        st.dataframe(citing_paragraphs(ctx, rows, chosen), hide_index=True, width="stretch",
                     column_config={"session": st.column_config.NumberColumn(format="%d"),
                                    "text": st.column_config.TextColumn(width="large")})


def _chain(ctx: Ctx, rows: pd.DataFrame) -> None:
    st.subheader("The series' own predecessors")
    st.caption("Earlier resolutions of this series that the texts recall (by the corpus's grouping, or "
               "because the citing paragraph names the series title).")
    chain = predecessors(ctx, rows)
    if chain.empty:
        st.info("The selected texts recall no earlier resolution of this series by symbol.")
        return
    missing = chain[~chain["in_corpus"]]
    if len(missing):
        st.warning(common.md("Not in the corpus: " + ", ".join(missing["symbol"])
                             + ". Add them on the Corpus page to see them."))
    st.dataframe(chain, hide_index=True, width="stretch",
                 column_config={c: st.column_config.NumberColumn(format="%d")
                                for c in ("cited_session", "citing_session")})


def render() -> None:
    ctx = common.context()
    st.title("Citations")
    st.caption("The resolutions and decisions each text cites: the Assembly's own, ECOSOC, the Crime "
               "Commission, the Security Council and treaty bodies.")
    if not common.need_docs(ctx, 1, "the citations page"):
        return
    common.show_chart(timeline_chart(ctx))
    rows = common.citations_for(ctx)
    if rows.empty:
        return
    st.divider()
    _chooser(ctx, rows)
    st.divider()
    _chain(ctx, rows)


if __name__ == "__main__":
    render()
