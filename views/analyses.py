"""Every analysis the pages draw, called through the process's one `analytics.memo.Memo`.

A result is found again by content: the documents' hashes, the corpus's lexicon fingerprint
where lexicons matter, and the call's parameters, never by a path or a session.  Theme counts,
listed emerging issues, treaty figures and citations are kept per document, so after an upload
only the new document is read, and they are filed in the corpus's cache (`Memo.rows`'s
``cache_dir``), so a restarted dashboard reads them back instead of reading every text again.
A spinner shows only while something is computed.
"""
from __future__ import annotations

from typing import Any, Callable

import pandas as pd
import streamlit as st

from analytics.memo import Memo, documents_key
from analytics.records import representative, sort_key
from views.context import Ctx
from views.state import KIND_LABELS

MAX_ENTRIES = 256
MAX_CHARTS = 128
SHOWN_COLUMNS = ["id", "label", "session", "date", "kind", "preambular", "operative", "paragraphs", "words",
                 "warning_text", "source"]


@st.cache_resource(show_spinner=False)
def memo() -> Memo:
    """One per server: every session and every page share it."""
    return Memo(max_entries=MAX_ENTRIES)


@st.cache_resource(show_spinner=False)
def _charts() -> Memo:
    """Built charts, apart from the analyses so that figures never evict a result."""
    return Memo(max_entries=MAX_CHARTS)


def chart(ctx: Ctx, chart_id: str, make: Callable[[], Any], **params) -> Any:
    """``make()``, a page's chart, built once per corpus, lexicons, sidebar selection and
    ``params`` (the page's own settings that the chart reads).

    Building a figure (plotly validates every property) costs more than the analysis it
    draws once that is in the memo, and a rerun that only toggles between ranges already
    seen would pay it every time.  The selection keys it: the documents it filters are a
    function of the corpus, series, range and kinds.  The chart is shared, not copied:
    `show_chart` and the briefing pack only read it (the pack draws a copy)."""
    key = dict(corpus=ctx.fp, series=ctx.series, sessions=ctx.sessions, kinds=ctx.kinds, themes=ctx.themes,
               **params)
    return _charts().result(f"chart:{chart_id}", make, (), fingerprint=_lexicons(ctx), params=key)


def _spun(text: str | None, fn: Callable) -> Callable:
    if text is None:
        return fn

    def run(*args):
        with st.spinner(text):
            return fn(*args)
    return run


def _lexicons(ctx: Ctx) -> str:
    return ctx.corpus.config.fingerprint


def _by_session_then_id(df: pd.DataFrame) -> pd.DataFrame:
    """The row order of `treaty_figures` and `citations`: session (none last), document id,
    then the document's own paragraph order (kept by the stable sort)."""
    return df.sort_values(["session", "document"], kind="stable", na_position="last").reset_index(drop=True)


def _sorted(docs) -> list:
    return sorted(docs, key=sort_key)


# --------------------------------------------------------------------------- per document

def themes(ctx: Ctx) -> pd.DataFrame:
    from analytics.themes import theme_counts
    lexicon = ctx.lexicon
    return memo().rows("themes", _spun("Counting themes…", lambda ds: theme_counts(ds, lexicon=lexicon)),
                       _sorted(ctx.docs), fingerprint=_lexicons(ctx), cache_dir=ctx.corpus.cache_dir)


def emerging_rows(ctx: Ctx) -> pd.DataFrame:
    from analytics.emerging import emerging_issues
    aliases = ctx.corpus.config.aliases

    def run(ds):
        return emerging_issues(ds, aliases=aliases)
    return memo().rows("emerging", _spun("Reading emerging-issue lists…", run), _sorted(ctx.docs),
                       fingerprint=_lexicons(ctx), cache_dir=ctx.corpus.cache_dir)


def treaties(ctx: Ctx) -> pd.DataFrame:
    from analytics.treaties import treaty_figures
    conventions = ctx.corpus.config.conventions
    return memo().rows("treaties", _spun("Reading treaty figures…",
                                         lambda ds: treaty_figures(ds, conventions=conventions)),
                       ctx.docs, order=_by_session_then_id, fingerprint=_lexicons(ctx),
                       cache_dir=ctx.corpus.cache_dir)


def citations(ctx: Ctx) -> pd.DataFrame:
    from analytics.citations import citations as cite
    return memo().rows("citations", _spun("Reading citations…", cite), ctx.docs, order=_by_session_then_id,
                       cache_dir=ctx.corpus.cache_dir)


# --------------------------------------------------------------------------- whole selection

def _result(name: str, spinner: str | None, fn: Callable[[], Any], docs, *, fingerprint: str | None = None,
            **params) -> Any:
    return memo().result(name, _spun(spinner, fn), docs, fingerprint=fingerprint, params=params)


def emerging(ctx: Ctx) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(listed items, issue x session matrix) of the selection."""
    from analytics.emerging import emerging_matrix
    rows = emerging_rows(ctx)
    docs = ctx.docs
    # the matrix's sessions and representative texts come from the documents, never from rows.attrs
    matrix = _result("emerging_matrix", "Reading emerging-issue lists…", lambda: emerging_matrix(rows, docs=docs),
                     docs, fingerprint=_lexicons(ctx))
    return rows, matrix


def issue_status(ctx: Ctx) -> pd.DataFrame:
    from analytics.emerging import issue_status as status
    rows, docs, aliases = emerging_rows(ctx), ctx.docs, ctx.corpus.config.aliases
    return _result("issue_status", "Reading where each listed issue is mentioned…",
                   lambda: status(docs, aliases=aliases, rows=rows), docs, fingerprint=_lexicons(ctx))


def found_issues(ctx: Ctx) -> pd.DataFrame:
    from analytics.detect import detect
    docs, aliases = ctx.docs, ctx.corpus.config.aliases
    return _result("detect", "Looking for new issues in the wording…",
                   lambda: detect(docs, aliases=aliases, top=None), docs, fingerprint=_lexicons(ctx))


def themes_by_series(ctx: Ctx) -> pd.DataFrame:
    """`analytics.themes.themes_by_series` of the whole corpus in the sidebar's sessions.

    The theme rows are counted once per document (`themes`' memo entries, shared with the
    Themes page) and their mentions tagged with the series once per corpus
    (`_series_mentions`), so a new session range only cuts and groups them: it no longer
    reads every text of the corpus again."""
    from analytics.themes import mentions_by_series
    corpus, sessions = ctx.corpus, ctx.sessions
    mentions = _series_mentions(ctx)
    return _result("themes_by_series", None, lambda: mentions_by_series(mentions, sessions=sessions),
                   corpus.documents, fingerprint=_lexicons(ctx), sessions=sessions)


def _series_mentions(ctx: Ctx) -> pd.DataFrame | None:
    """`analytics.themes.series_mentions` of the corpus, once per corpus and lexicons."""
    from analytics.themes import series_mentions, theme_counts
    corpus, lexicon = ctx.corpus, ctx.lexicon
    counts = memo().rows("themes", _spun("Counting themes across series…",
                                         lambda ds: theme_counts(ds, lexicon=lexicon)),
                         _sorted(corpus.documents), fingerprint=_lexicons(ctx), cache_dir=corpus.cache_dir)
    return _result("series_mentions", None, lambda: series_mentions(counts, series=corpus.series.series_of),
                   corpus.documents, fingerprint=_lexicons(ctx))


def distances(ctx: Ctx) -> pd.DataFrame:
    from analytics.drift import distances as dist
    docs, stop = ctx.docs, ctx.corpus.config.stop_words
    return _result("distances", "Measuring topic drift…", lambda: dist(docs, stop_words=stop), docs,
                   fingerprint=_lexicons(ctx))


def term_changes(ctx: Ctx, a: int, b: int, top: int = 15) -> pd.DataFrame:
    from analytics.drift import term_changes as changes
    docs, stop = ctx.docs, ctx.corpus.config.stop_words
    return _result("term_changes", "Finding rising and falling terms…",
                   lambda: changes(docs, a, b, top=top, stop_words=stop),
                   docs, fingerprint=_lexicons(ctx), a=a, b=b, top=top)


def term_trend(ctx: Ctx, term: str) -> pd.DataFrame:
    from analytics.drift import term_trend as trend
    docs, stop = ctx.docs, ctx.corpus.config.stop_words
    return _result("term_trend", "Counting the term…", lambda: trend(docs, term, stop_words=stop), docs,
                   fingerprint=_lexicons(ctx), term=term)


def compare(ctx: Ctx, a: str, b: str) -> dict[str, pd.DataFrame]:
    """The comparison of texts ``a`` and ``b``: the pair alone decides it, not the filters."""
    from analytics.compare import compare_frames
    docs, config = ctx.all_docs, ctx.corpus.config
    return _result("compare", "Comparing the two texts…",
                   lambda: compare_frames(docs, a, b, **config.lexicons()),
                   docs, fingerprint=config.fingerprint, a=a, b=b)


def verb_strength(ctx: Ctx) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(strength profile, verb changes) of the selection: the profile per session text, the
    changes across consecutive sessions."""
    from analytics.verbs import strength_profile, verb_changes
    docs = ctx.docs
    spinner = "Reading the operative verbs…"
    # each session's own text: a profile row set depends on that document alone
    reps = representative(docs)
    profile = memo().rows("verb_profile", _spun(spinner, strength_profile), list(reps.values()))
    return profile, verb_changes(docs, pair_rows=memoised_pair_changes(spinner))


def memoised_pair_changes(spinner: str | None):
    """`pair_verb_changes` through the memo, one entry per pair of consecutive texts: a
    narrower session range is then a subset of pairs already aligned."""
    from analytics.verbs import pair_verb_changes
    return lambda a, b: _result("verb_pair", spinner, lambda: pair_verb_changes(a, b), [a, b])


def predecessors(ctx: Ctx) -> pd.DataFrame:
    """The series' own earlier resolutions that the selection cites (`series_predecessors`)."""
    from analytics.citations import series_predecessors
    rows, corpus, series = citations(ctx), ctx.corpus, ctx.series
    return _result("predecessors", "Reading citations…",
                   lambda: series_predecessors(rows, documents=corpus.documents, series=corpus.series,
                                               series_id=series),
                   ctx.docs, fingerprint=_lexicons(ctx), series=series, corpus=documents_key(corpus.documents))


def series_documents(ctx: Ctx) -> tuple:
    """Every document of the chosen series, all sessions and kinds (the whole corpus when no
    series is chosen: the sidebar then filters the corpus's documents)."""
    return ctx.corpus.series.members(ctx.series) if ctx.series else ctx.all_docs


# The newest lineage index of this process: the next corpus state extends it (a changed or
# added file costs its own texts, not the corpus's), and traces as a fresh index would.
_last_index: list = []


def lineage_index(ctx: Ctx):
    """`analytics.lineage.lineage_index` of the whole corpus: one entry per corpus, shared by
    the traces of every series, extended from the index of the corpus's previous state."""
    from analytics.lineage import lineage_index as build
    docs, cache_dir = ctx.all_docs, ctx.corpus.cache_dir

    def run():
        # read back from the cache when a start before this one filed it (analytics.derived)
        index = build(docs, previous=_last_index[0] if _last_index else None, cache_dir=cache_dir)
        _last_index[:] = [index]
        return index
    return _result("lineage_index", "Reading the corpus for agreed language…", run, docs)


def series_lineage(ctx: Ctx) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(`paragraph_lineage`, `borrowed_language`) of the whole chosen series, sources anywhere
    in the corpus: one entry per corpus, lexicons and series, whatever the sidebar's range.
    These are the series' rows of the whole corpus's trace (see analytics.lineage, "One pool
    in corpus order"); the corpus's `lineage_index` is built once for every series."""
    from analytics.lineage import borrowed_language, paragraph_lineage
    docs, sources, index = series_documents(ctx), ctx.all_docs, ctx.corpus.series

    def run():
        rows = paragraph_lineage(docs, series=index, sources=sources, index=lineage_index(ctx))
        return rows, borrowed_language(docs, series=index, sources=sources, rows=rows)
    return _result("lineage", "Tracing agreed language…", run, docs, fingerprint=_lexicons(ctx),
                   sources=documents_key(sources))


def lineage(ctx: Ctx) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(lineage rows, borrowed rows) of the selected documents, traced through the whole series.

    The series is traced once (`series_lineage`) and cut to the selection, so a narrower range
    costs no new search, and a paragraph keeps its real predecessor and origin when they lie
    in a session (or kind) the sidebar leaves out: it is not "new" only because the range
    starts after its first wording.  Rows stay in corpus order, as `paragraph_lineage` gives."""
    from analytics.lineage import rows_of
    rows, borrowed = series_lineage(ctx)
    ids = ctx.ids
    if ids == tuple(d.id for d in series_documents(ctx)):     # the filters keep every document
        return rows, borrowed
    return rows_of(rows, ids), rows_of(borrowed, ids)


def digest(ctx: Ctx, session: int, previous: int):
    from analytics.digest import session_digest
    docs, config = ctx.docs, ctx.corpus.config
    return _result("digest", "Writing the session digest…",
                   lambda: session_digest(docs, session, previous=previous, aliases=config.aliases,
                                          conventions=config.conventions, stop_words=config.stop_words),
                   docs, fingerprint=_lexicons(ctx), session=session, previous=previous)


def documents(ctx: Ctx) -> pd.DataFrame:
    """The corpus inventory as the dashboard shows it: the label as ``symbol``, kinds as
    "adopted"/"draft", the warnings written out, the file name as ``file``."""
    from analytics.inventory import documents_frame
    corpus = ctx.corpus
    # the file name is not in a document's hash: a renamed file must show its new name
    frame = _result("documents", None, lambda: documents_frame(corpus, columns=SHOWN_COLUMNS), corpus.documents,
                    files=tuple(d.source for d in corpus.documents))
    return frame.rename(columns={"label": "symbol", "warning_text": "warnings", "source": "file"}) \
        .assign(kind=lambda df: [KIND_LABELS.get(k, k) for k in df["kind"]])
