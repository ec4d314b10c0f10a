"""What a page works on: the chosen series, filtered by the sidebar (`Ctx`), and the page header."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

import streamlit as st

from analytics import figures as F
from analytics.corpus import Corpus
from analytics.records import Resolution, representative
from views.loading import get_corpus
from views.state import KIND_LABELS, KINDS, begin_run, bound, choose, pick, put

CTX = "_ctx"


@dataclass
class Ctx:
    corpus: Corpus
    docs: tuple[Resolution, ...]            # the chosen series, after the sidebar filters
    sessions: tuple[int, int] | None
    kinds: tuple[str, ...]
    themes: tuple[str, ...]                 # selected theme ids; () = all
    lexicon: dict
    labels: dict[str, str] = field(default_factory=dict)   # document id -> label
    series: str | None = None               # the chosen series id

    @property
    def fp(self) -> str:
        return self.corpus.fingerprint

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(d.id for d in self.docs)

    @property
    def all_docs(self) -> tuple[Resolution, ...]:
        return self.corpus.documents

    @property
    def series_title(self) -> str:
        return self.corpus.series.title_of(self.series) if self.series else ""

    def doc(self, doc_id: str) -> Resolution:
        return self.corpus.get(doc_id)

    def label(self, doc_id: object) -> str:
        return self.labels.get(str(doc_id), str(doc_id))

    def source(self, ids: Iterable[str] | None = None) -> str:
        """The "Source:" line for documents ``ids`` (default: the selection), in corpus order."""
        wanted = set(self.ids if ids is None else ids)
        caption = F.source_caption(self.label(d.id) for d in self.corpus.documents if d.id in wanted)
        # a chart pasted into a briefing must say which resolution it is about
        return f"{caption} \u2014 series: {self.series_title}" if self.series else caption

    def session_docs(self) -> dict[int, str]:
        """session -> label of the text that stands for it in session-level series."""
        return {s: d.label for s, d in representative(self.docs).items()}

    def theme_label(self, theme: str) -> str:
        return self.lexicon.get(theme, {}).get("label", theme)


def doc_option(d: Resolution) -> str:
    kind = "draft" if d.kind == "draft" else "adopted"
    return f"{d.label} — session {d.session if d.session is not None else '?'} ({kind})"


def sessions_key(full: tuple[int, int]) -> str:
    return f"w_sessions_{full[0]}_{full[1]}"


# --------------------------------------------------------------------------- sidebar

def _short(title: str, limit: int = 70) -> str:
    return title if len(title) <= limit else title[:limit - 1].rsplit(" ", 1)[0] + "\u2026"


def _series_picker(corpus: Corpus, sb) -> str | None:
    """Every session-level picture is drawn within one series: the largest by default."""
    index = corpus.series
    if not index.ids:
        return None
    largest = index.largest()
    chosen = choose("series", "Series", index.ids, default=largest, container=sb,
                    format_func=lambda s: f"{_short(index.title_of(s))} ({len(index.members(s))})",
                    help="The resolution whose sessions the pages compare; the Series page lists them all")
    if chosen == largest:
        put("series", None)   # the default stays out of the URL
    return chosen


def _session_range(sessions: list[int], sb) -> tuple[int, int] | None:
    """The session slider (two or more sessions); None when there is nothing to choose."""
    if len(sessions) < 2:
        if sessions:
            sb.caption(f"Session {sessions[0]} only")
        return None
    full = (sessions[0], sessions[-1])

    def clamp(v):
        if not v:
            return full
        lo = min((s for s in sessions if s >= v[0]), default=sessions[-1])
        hi = max((s for s in sessions if s <= v[1]), default=sessions[0])
        return (lo, hi) if lo <= hi else full

    # A new widget when the corpus gains or loses end sessions, so "all sessions" (stored
    # as None) follows the corpus and the browser never keeps a range the server dropped.
    rng = bound("sessions", sb.select_slider, coerce=clamp, seed="value", key=sessions_key(full),
                label="Sessions", options=sessions, help="General Assembly sessions to include")
    rng = (min(rng), max(rng))
    if rng == full:
        put("sessions", None)
    return rng


def _kinds_and_themes(lexicon: dict, sb) -> tuple[list[str], list[str]]:
    kinds = pick("kind", sb.multiselect, KINDS, ordered=True, label="Document kind", options=list(KINDS),
                 format_func=lambda k: KIND_LABELS[k], help="Adopted resolutions, drafts (L. documents), or both")
    themes = pick("themes", sb.multiselect, list(lexicon), label="Themes", options=list(lexicon),
                  format_func=lambda t: lexicon[t].get("label", t),
                  placeholder="All themes", help="Limit theme charts to these themes")
    return kinds, themes


def _filtered(docs, sessions: list[int], rng, kinds) -> tuple[Resolution, ...]:
    """A text with no session number passes only when the whole range is chosen."""
    full_range = rng is None or (rng[0] == sessions[0] and rng[1] == sessions[-1])
    return tuple(
        d for d in docs
        if d.kind in kinds and (
            (d.session is None and full_range)
            or (d.session is not None and (rng is None or rng[0] <= d.session <= rng[1]))))


def sidebar(corpus: Corpus) -> Ctx:
    """The filters shared by every page; returns the filtered context."""
    lexicon = corpus.config.themes
    sb = st.sidebar
    sb.markdown("### Filters")
    series = _series_picker(corpus, sb)
    docs = corpus.series.members(series) if series else corpus.documents
    sessions = sorted({d.session for d in docs if d.session is not None})
    rng = _session_range(sessions, sb)
    kinds, themes = _kinds_and_themes(lexicon, sb)
    filtered = _filtered(docs, sessions, rng, kinds)
    sb.caption(f"{len(filtered)} of {len(docs)} documents selected")
    ctx = Ctx(corpus=corpus, docs=filtered, sessions=rng, kinds=tuple(kinds), themes=tuple(themes),
              lexicon=lexicon, labels={d.id: d.label for d in corpus.documents}, series=series)
    st.session_state[CTX] = ctx
    return ctx


# --------------------------------------------------------------------------- page header

def context() -> Ctx:
    ctx = st.session_state.get(CTX)
    if ctx is None:                      # a page run on its own (not through dashboard.py)
        begin_run()
        ctx = sidebar(get_corpus())
    return ctx


def need_docs(ctx: Ctx, n: int = 1, what: str = "this page") -> bool:
    """True when enough documents pass the filters; otherwise explain and return False."""
    if len(ctx.docs) >= n:
        return True
    if not ctx.corpus.documents:
        st.info("The corpus is empty. Add resolutions on the **Corpus** page (.txt, .md or .pdf).")
    elif not ctx.kinds:
        st.info("No document kind is selected. Choose *adopted* and/or *draft* in the sidebar.")
    else:
        st.info(f"{what.capitalize()} needs at least {n} document{'s' if n > 1 else ''}; "
                f"{len(ctx.docs)} match the sidebar filters. Widen the session range or the kinds.")
    return False


def open_page(title: str, caption: str, *, need: int = 0, what: str = "this page") -> Ctx | None:
    """The page's context, title and caption; None (with the reason shown) when fewer than
    ``need`` documents pass the filters."""
    ctx = context()
    st.title(title)
    st.caption(caption)
    if need and not need_docs(ctx, need, what):
        return None
    return ctx
