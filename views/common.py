"""Shared dashboard plumbing: corpus loading, sidebar filters, URL state, caching, export.

Views stay thin: they read inputs through the helpers here, call analytics
through the cached wrappers here, and draw charts with `show_chart`.

URL state
---------
Every setting that defines a view is a `Param`.  On the first run of a
browser session the settings are read from ``st.query_params``; afterwards
the session's own store (``st.session_state[STATE]``) is the truth and the URL
is rewritten at the end of each run (`sync_query_params`), so copying the URL
reopens the same view.  Global params (filters and the comparison pair) are
always in the URL; page params only on their page.  Default values are left
out to keep URLs short.

Widgets use a separate key (``w_<name>``) seeded from the store, because
Streamlit forgets a widget's state on pages where it is not drawn while the
store survives page changes.

Caching
-------
The corpus is loaded once per change of the folder's listing (names, sizes,
modification times: a stat, not a read) and every analysis result is cached
by the corpus fingerprint (a hash of document ids and content hashes) plus the
selected document ids and options, never by a path.
"""
from __future__ import annotations

import datetime as _dt
import html
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from analytics import export
from analytics import figures as F
from analytics.corpus import DEFAULT_CACHE, DEFAULT_CORPUS, Corpus, load_corpus
from analytics.records import Resolution, representative

CORPUS_ENV = "UNRES_CORPUS_DIR"
CACHE_ENV = "UNRES_CACHE_DIR"
WARMUP_ENV = "UNRES_EXPORT_WARMUP"     # "0": do not start the export browser ahead of the first click
STATE = "_ui_state"
USED = "_ui_used"
PACK = "_pack"
CTX = "_ctx"
KINDS = ("resolution", "draft")
KIND_LABELS = {"resolution": "adopted", "draft": "draft"}
PLOTLY_CONFIG = {"displaylogo": False, "responsive": True,
                 "modeBarButtonsToRemove": ["select2d", "lasso2d"]}


# --------------------------------------------------------------------------- paths

def corpus_dir() -> Path:
    return Path(os.environ.get(CORPUS_ENV) or DEFAULT_CORPUS)


def cache_dir() -> Path:
    return Path(os.environ.get(CACHE_ENV) or DEFAULT_CACHE)


def _stamp(path: Path) -> tuple:
    """Cheap change detector for a folder: names, sizes and mtimes (stat only)."""
    try:
        with os.scandir(path) as it:
            return tuple(sorted((e.name, e.stat().st_size, e.stat().st_mtime_ns)
                                for e in it if e.is_file() and not e.name.startswith(".")))
    except OSError:
        return ()


def _file_stamp(path: Path) -> tuple:
    try:
        s = path.stat()
        return (s.st_size, s.st_mtime_ns)
    except OSError:
        return ()


# --------------------------------------------------------------------------- loading

@st.cache_resource(show_spinner=False, max_entries=4)
def _load(stamp: tuple, _corpus: str, _cache: str) -> Corpus:
    return load_corpus(_corpus, cache_dir=_cache)


@st.cache_data(show_spinner=False, max_entries=8)
def document_rows(fp: str, _docs: tuple[Resolution, ...]) -> pd.DataFrame:
    """One row per document with its word count: counting words over a large corpus on
    every rerun costs a second at 10,000 documents, so it is keyed by the corpus fingerprint."""
    return pd.DataFrame([{
        "id": d.id, "symbol": d.label, "session": d.session,
        "date": d.date.isoformat() if d.date else None,
        "kind": KIND_LABELS.get(d.kind, d.kind), "preambular": len(d.preambular),
        "operative": len(d.operative), "paragraphs": len(d.paragraphs), "words": d.word_count,
        "warnings": "; ".join(d.warnings), "file": d.source,
    } for d in _docs])


def get_corpus() -> Corpus:
    path = corpus_dir()
    with st.spinner("Loading the corpus…"):
        return _load(_stamp(path), str(path), str(cache_dir()))


def reload_corpus() -> None:
    """After an upload: drop the loaded corpus.  The listing changed anyway, so the next
    `get_corpus` reloads (only the new file is parsed); analysis results stay cached
    under the old fingerprint and the new corpus gets a new one."""
    _load.clear()


@st.cache_resource(show_spinner=False, max_entries=8)
def _theme_lexicon(stamp: tuple, _corpus: str) -> dict:
    from analytics.config import load_config
    return load_config(_corpus).themes


@st.cache_resource(show_spinner=False, max_entries=8)
def _issue_aliases(stamp: tuple, _corpus: str) -> dict:
    from analytics.config import load_config
    return load_config(_corpus).aliases


def theme_lexicon() -> dict:
    from analytics.themes import OVERRIDE_NAME
    path = corpus_dir()
    return _theme_lexicon(_file_stamp(path / OVERRIDE_NAME), str(path))


def issue_aliases() -> dict:
    from analytics.emerging import OVERRIDE_NAME
    path = corpus_dir()
    return _issue_aliases(_file_stamp(path / OVERRIDE_NAME), str(path))


# --------------------------------------------------------------------------- URL / session state

def _parse_range(s: str):
    m = re.fullmatch(r"\s*(\d{1,4})\s*(?:[-–:]\s*(\d{1,4}))?\s*", s or "")
    if not m:
        return None
    lo = int(m.group(1))
    hi = int(m.group(2) or lo)
    return (min(lo, hi), max(lo, hi))


def _dump_range(v) -> str:
    return f"{v[0]}-{v[1]}"


def _parse_list(s: str):
    return tuple(x for x in (p.strip() for p in (s or "").split(",")) if x)


def _parse_kinds(s: str):
    """Known kinds only; unknown words fall back to the default (an empty value means none)."""
    wanted = _parse_list(s)
    kinds = tuple(k for k in KINDS if k in wanted)
    return kinds if kinds or not wanted else None


def _dump_list(v) -> str:
    return ",".join(v)


def _parse_str(s: str):
    return (s or "").strip()[:200] or None


@dataclass(frozen=True)
class Param:
    name: str
    default: Any
    parse: Callable[[str], Any]
    dump: Callable[[Any], str]
    scope: str = "page"          # "global": always in the URL


PARAMS: dict[str, Param] = {p.name: p for p in (
    Param("series", None, _parse_str, str, "global"),
    Param("sessions", None, _parse_range, _dump_range, "global"),
    Param("kind", KINDS, _parse_kinds, _dump_list, "global"),
    Param("themes", (), _parse_list, _dump_list, "global"),
    Param("a", None, _parse_str, str, "global"),
    Param("b", None, _parse_str, str, "global"),
    Param("value", "count", _parse_str, str),
    Param("term", None, _parse_str, str),
    Param("status", ("carried", "amended", "new", "dropped"), _parse_list, _dump_list),
    Param("doc", None, _parse_str, str),
    Param("theme", None, _parse_str, str),
    Param("q", None, _parse_str, str),
    Param("direction", (), _parse_list, _dump_list),
    Param("cited", None, _parse_str, str),
)}


def _store() -> dict:
    if STATE not in st.session_state:
        stored = {}
        for name, p in PARAMS.items():
            raw = st.query_params.get(name)
            if raw is not None:
                value = p.parse(raw)
                if value is not None:
                    stored[name] = value
        st.session_state[STATE] = stored
    return st.session_state[STATE]


def begin_run() -> None:
    """Call once at the top of the entry script."""
    _store()
    st.session_state[USED] = set()


def get(name: str) -> Any:
    return _store().get(name, PARAMS[name].default)


def put(name: str, value: Any) -> None:
    _store()[name] = value
    st.session_state.setdefault(USED, set()).add(name)


def sync_query_params() -> None:
    """Write the current view's settings into the URL (end of each run)."""
    used = st.session_state.get(USED, set())
    for name, p in PARAMS.items():
        value = get(name)
        want = None
        if (p.scope == "global" or name in used) and value is not None and value != p.default:
            want = p.dump(value)
        have = st.query_params.get(name)
        if want is None and have is not None:
            del st.query_params[name]
        elif want is not None and want != have:
            st.query_params[name] = want


def bound(name: str, widget: Callable[..., Any], *, coerce: Callable[[Any], Any] = lambda v: v,
          seed: str | None = None, key: str | None = None, **kwargs) -> Any:
    """Draw ``widget`` (e.g. st.selectbox) bound to the persistent setting ``name``.

    The widget's value is (re)assigned through Session State on every run: the
    browser's latest value when the widget exists, else the stored setting.
    Re-assigning keeps the choice when the widget's identity changes (its
    option labels carry counts, or another page draws the same setting).
    ``seed``: instead pass the value as this keyword (e.g. "value" for a range
    slider, whose kind depends on it and whose identity is its key alone).
    """
    key = key or f"w_{name}"
    present = key in st.session_state
    current = st.session_state[key] if present else get(name)
    if seed:
        kwargs[seed] = coerce(current)
    else:
        st.session_state[key] = coerce(current)
    value = widget(key=key, **kwargs)
    put(name, value)
    return value


def choose(name: str, label: str, options: Sequence, *, default=None, format_func=str,
           container=None, **kwargs):
    """A selectbox over ``options`` bound to ``name``; unknown stored values fall back to default."""
    options = list(options)
    if not options:
        return None
    fallback = default if default in options else options[0]
    box = container or st
    return bound(name, box.selectbox, coerce=lambda v: v if v in options else fallback,
                 label=label, options=options, format_func=format_func, **kwargs)


# --------------------------------------------------------------------------- context

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


def _short(title: str, limit: int = 70) -> str:
    return title if len(title) <= limit else title[:limit - 1].rsplit(" ", 1)[0] + "\u2026"


def sidebar(corpus: Corpus) -> Ctx:
    """The filters shared by every page; returns the filtered context."""
    lexicon = theme_lexicon()
    sb = st.sidebar
    sb.markdown("### Filters")
    series = _series_picker(corpus, sb)
    docs = corpus.series.members(series) if series else corpus.documents
    sessions = sorted({d.session for d in docs if d.session is not None})
    rng = None
    if len(sessions) >= 2:
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
    elif sessions:
        sb.caption(f"Session {sessions[0]} only")
    kinds = bound("kind", sb.multiselect,
                  coerce=lambda v: [k for k in (v or ()) if k in KINDS],
                  label="Document kind", options=list(KINDS),
                  format_func=lambda k: KIND_LABELS[k],
                  help="Adopted resolutions, drafts (L. documents), or both")
    put("kind", tuple(k for k in KINDS if k in kinds))
    theme_ids = list(lexicon)
    chosen = bound("themes", sb.multiselect,
                   coerce=lambda v: [t for t in (v or ()) if t in lexicon],
                   label="Themes", options=theme_ids,
                   format_func=lambda t: lexicon[t].get("label", t),
                   placeholder="All themes", help="Limit theme charts to these themes")
    put("themes", tuple(chosen))

    full_range = rng is None or (rng[0] == sessions[0] and rng[1] == sessions[-1])
    filtered = tuple(
        d for d in docs
        if d.kind in kinds and (
            (d.session is None and full_range)
            or (d.session is not None and (rng is None or rng[0] <= d.session <= rng[1]))))
    sb.caption(f"{len(filtered)} of {len(docs)} documents selected")
    ctx = Ctx(corpus=corpus, docs=filtered, sessions=rng, kinds=tuple(kinds), themes=tuple(chosen),
              lexicon=lexicon, labels={d.id: d.label for d in corpus.documents}, series=series)
    st.session_state[CTX] = ctx
    return ctx


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


# --------------------------------------------------------------------------- cached analytics

@st.cache_data(show_spinner="Counting themes…", max_entries=32)
def theme_counts(fp: str, ids: tuple[str, ...], lex_key: tuple, _docs, _lexicon) -> pd.DataFrame:
    from analytics.themes import theme_counts as f
    return f(_docs, lexicon=_lexicon)


@st.cache_data(show_spinner="Counting themes across series…", max_entries=16)
def themes_by_series(fp: str, series_fp: str, sessions, lex_key: tuple, _corpus, _lexicon) -> pd.DataFrame:
    from analytics.themes import themes_by_series as f
    return f(_corpus.documents, series=_corpus.series.series_of, lexicon=_lexicon, sessions=sessions)


def themes_by_series_for(ctx: Ctx) -> pd.DataFrame:
    from analytics.themes import OVERRIDE_NAME
    return themes_by_series(ctx.fp, ctx.corpus.series.fingerprint, ctx.sessions,
                            _file_stamp(corpus_dir() / OVERRIDE_NAME), ctx.corpus, ctx.lexicon)


def themes_for(ctx: Ctx) -> pd.DataFrame:
    from analytics.themes import OVERRIDE_NAME
    return theme_counts(ctx.fp, ctx.ids, _file_stamp(corpus_dir() / OVERRIDE_NAME), ctx.docs, ctx.lexicon)


@st.cache_data(show_spinner="Reading emerging-issue lists…", max_entries=32)
def _emerging(fp: str, ids: tuple[str, ...], alias_key: tuple, _docs, _aliases) -> tuple[pd.DataFrame, pd.DataFrame]:
    from analytics.emerging import emerging_issues, emerging_matrix
    rows = emerging_issues(_docs, aliases=_aliases)
    return rows, emerging_matrix(rows, docs=_docs)


def emerging_for(ctx: Ctx) -> tuple[pd.DataFrame, pd.DataFrame]:
    from analytics.emerging import OVERRIDE_NAME
    return _emerging(ctx.fp, ctx.ids, _file_stamp(corpus_dir() / OVERRIDE_NAME), ctx.docs, issue_aliases())


@st.cache_data(show_spinner="Reading treaty figures…", max_entries=32)
def _treaties(fp: str, ids: tuple[str, ...], _docs) -> pd.DataFrame:
    from analytics.treaties import treaty_figures
    return treaty_figures(_docs)


def treaties_for(ctx: Ctx) -> pd.DataFrame:
    return _treaties(ctx.fp, ctx.ids, ctx.docs)


@st.cache_data(show_spinner="Measuring topic drift…", max_entries=32)
def _distances(fp: str, ids: tuple[str, ...], _docs) -> pd.DataFrame:
    from analytics.drift import distances
    return distances(_docs)


def distances_for(ctx: Ctx) -> pd.DataFrame:
    return _distances(ctx.fp, ctx.ids, ctx.docs)


@st.cache_data(show_spinner="Finding rising and falling terms…", max_entries=64)
def _term_changes(fp: str, ids: tuple[str, ...], a: int, b: int, top: int, _docs) -> pd.DataFrame:
    from analytics.drift import term_changes
    return term_changes(_docs, a, b, top=top)


def term_changes_for(ctx: Ctx, a: int, b: int, top: int = 15) -> pd.DataFrame:
    return _term_changes(ctx.fp, ctx.ids, a, b, top, ctx.docs)


@st.cache_data(show_spinner="Counting the term…", max_entries=128)
def _term_trend(fp: str, ids: tuple[str, ...], term: str, _docs) -> pd.DataFrame:
    from analytics.drift import term_trend
    return term_trend(_docs, term)


def term_trend_for(ctx: Ctx, term: str) -> pd.DataFrame:
    return _term_trend(ctx.fp, ctx.ids, term, ctx.docs)


@st.cache_data(show_spinner="Comparing the two texts…", max_entries=32)
def _compare(fp: str, a: str, b: str, lex_key: str, _docs, _config) -> dict[str, pd.DataFrame]:
    from analytics.compare import compare_frames
    return compare_frames(_docs, a, b, lexicon=_config.themes, aliases=_config.aliases)


def compare_for(ctx: Ctx, a: str, b: str) -> dict[str, pd.DataFrame]:
    # the pair alone decides the result: key by the two ids, not by the filter
    config = ctx.corpus.config
    return _compare(ctx.fp, a, b, config.fingerprint, ctx.all_docs, config)


# --------------------------------------------------------------------------- charts and export

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

    def pack_item(self) -> export.PackItem:
        return export.PackItem(self.title, self.figure, self.caption, tuple(self.quotes))


def pack() -> list[str]:
    return st.session_state.setdefault(PACK, [])


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "chart"


EXPORT_WIDTH = 1100


def _image(fig: go.Figure, fmt: str) -> Callable[[], bytes]:
    def render() -> bytes:
        # the figure's own height: tall charts (31 themes, 40 terms) keep every label
        return export.figure_image(fig, fmt=fmt, width=EXPORT_WIDTH, height=int(fig.layout.height or 600))
    return render


def _csv(df: pd.DataFrame) -> Callable[[], bytes]:
    def render() -> bytes:
        return export.frame_csv(df)
    return render


@st.cache_resource(show_spinner=False)
def _warm_export() -> bool:
    """Start kaleido's browser in the background once per server, so the first PNG/SVG
    click costs ~0.3 s instead of a 3-4 s browser start."""
    import threading

    def run() -> None:
        try:
            export.warm_up()
        except Exception:  # noqa: BLE001 - the click will report ExportUnavailable itself
            pass

    threading.Thread(target=run, name="export-warm-up", daemon=True).start()
    return True


def export_row(chart: Chart) -> None:
    """PNG/SVG/PDF/CSV downloads (bytes made only on click) and the briefing-pack toggle."""
    name = f"{slug(chart.title)}-{_dt.date.today().isoformat()}"
    row = st.container(horizontal=True, vertical_alignment="center", gap="small")
    c1 = c2 = c3 = c4 = row
    if export.chromium_available():
        if os.environ.get(WARMUP_ENV, "1") != "0":
            _warm_export()
        c1.download_button("PNG", data=_image(chart.figure, "png"), file_name=f"{name}.png",
                           mime="image/png", key=f"png_{chart.id}", on_click="ignore",
                           icon=":material/image:", help="Chart as a PNG image (2× for slides)")
        c2.download_button("SVG", data=_image(chart.figure, "svg"), file_name=f"{name}.svg",
                           mime="image/svg+xml", key=f"svg_{chart.id}", on_click="ignore",
                           icon=":material/draw:", help="Chart as an SVG vector image")
        c2.download_button("PDF", data=_image(chart.figure, "pdf"), file_name=f"{name}.pdf",
                           mime="application/pdf", key=f"pdf_{chart.id}", on_click="ignore",
                           icon=":material/picture_as_pdf:", help="Chart as a one-page PDF (vector)")
    else:
        c1.caption(md(export.CHROMIUM_HINT))
    if chart.data is not None:
        c3.download_button("CSV", data=_csv(chart.data), file_name=f"{name}.csv", mime="text/csv",
                           key=f"csv_{chart.id}", on_click="ignore", icon=":material/table:",
                           help="The data this chart shows")
    key = f"w_pack_{chart.id}"
    basket = pack()
    if key not in st.session_state:
        st.session_state[key] = chart.id in basket
    on = c4.checkbox("Add to briefing pack", key=key)
    if on and chart.id not in basket:
        basket.append(chart.id)
    elif not on and chart.id in basket:
        basket.remove(chart.id)


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


# --------------------------------------------------------------------------- safe text

_HL_STYLE = {
    "delete": "background:#FBE3D6;color:#8A2E00;text-decoration:line-through;",
    "insert": "background:#D6EAF8;color:#003F66;text-decoration:underline;font-weight:600;",
    "mark": "background:#FFE9A8;",
}


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>$~:=])")


def md(text: object) -> str:
    """Text for st.markdown/st.info/st.caption with every Markdown/LaTeX/emoji trigger escaped:
    labels, file names and warnings come from documents and uploads."""
    return _MD_SPECIAL.sub(r"\\\1", "" if text is None else str(text))


def esc(text: object) -> str:
    return html.escape("" if text is None else " ".join(str(text).split()), quote=True)


def span(op: str, text: str) -> str:
    """One escaped segment, highlighted when op is delete/insert/mark."""
    style = _HL_STYLE.get(op)
    if not style:
        return esc(text)
    tag = {"delete": "del", "insert": "ins", "mark": "mark"}[op]
    return f'<{tag} style="{style}">{esc(text)}</{tag}>'


def highlight(text: str, pattern: re.Pattern | None) -> str:
    """Escaped text with the matches of ``pattern`` marked."""
    if pattern is None:
        return esc(text)
    out, pos = [], 0
    text = " ".join(str(text).split())
    for m in pattern.finditer(text):
        if m.end() == m.start():
            continue
        out.append(esc(text[pos:m.start()]))
        out.append(span("mark", m.group(0)))
        pos = m.end()
    out.append(esc(text[pos:]))
    return "".join(out)


def list_text(v: object) -> str:
    if isinstance(v, (list, tuple)):
        return "; ".join(str(x) for x in v)
    return "" if v is None or (isinstance(v, float) and pd.isna(v)) else str(v)


# --------------------------------------------------------------------------- cached: verbs, citations

@st.cache_data(show_spinner="Reading the operative verbs…", max_entries=32)
def _verb_strength(fp: str, ids: tuple[str, ...], _docs) -> tuple[pd.DataFrame, pd.DataFrame]:
    from analytics.verbs import strength_profile, verb_changes
    return strength_profile(_docs), verb_changes(_docs)


def verb_strength_for(ctx: Ctx) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(strength profile, verb changes) of the selection."""
    return _verb_strength(ctx.fp, ctx.ids, ctx.docs)


@st.cache_data(show_spinner="Reading citations…", max_entries=32)
def _citations(fp: str, ids: tuple[str, ...], _docs) -> pd.DataFrame:
    from analytics.citations import citations
    return citations(_docs)


def citations_for(ctx: Ctx) -> pd.DataFrame:
    return _citations(ctx.fp, ctx.ids, ctx.docs)
