"""Theme counts: how often each theme of the field is mentioned, per document.

The lexicon (``data/themes.toml``, overridable per corpus) gives each theme a
list of phrases.  Counting is on `analytics.text.fold`-ed paragraph text, so
hyphenated, hyphen-lost and differently-cased spellings agree.

Counting rule, per theme: leftmost-longest, non-overlapping matches at word
boundaries.  "transnational organized crime" counts once for organized crime,
never again as "organized crime".  Themes are independent of each other: the
same words may count for two themes ("smuggling of and trafficking in human
beings" is both smuggling and trafficking).  A theme's ``exclude`` phrases are
matched the same way and count nothing, so the words they cover are not
counted either (e.g. the field's name "crime prevention and criminal justice"
is not a mention of crime prevention).

Speed: every phrase of every theme goes into one regex, compiled once per
lexicon as a character trie (so the engine does not try hundreds of
alternatives at each word), and each paragraph's folded text is scanned once.
The regex reports, at each word start, the longest phrase found there; every
shorter phrase that also matches there is a word-prefix of it, so the match of
each theme at that position is looked up in a table built with the lexicon.
"""
from __future__ import annotations

import copy
import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path

import pandas as pd

from . import overrides
from .align import as_documents
from .records import Resolution
from .text import FunctionMemo, RecordMemo, fold, gc_paused, trie_pattern, word_count

DEFAULT_PATH = Path(__file__).with_name("data") / "themes.toml"
OVERRIDE_NAME = "themes.toml"

# Same word-character test as analytics.text.phrase_pattern.
_WORDCHAR = re.compile(r"[^\W_]")
_BOUNDARY_AFTER = r"(?![^\W_])"

COLUMNS = ["document", "symbol", "session", "kind", "theme", "label", "count", "per_1000",
           "preambular", "operative", "paragraphs"]


# --- lexicon -----------------------------------------------------------------------------------

def fold_phrases(phrases: Iterable[str]) -> tuple[str, ...]:
    """Phrases `fold`-ed, blanks dropped, de-duplicated in order: how the lexicon stores them."""
    out: dict[str, None] = {}
    for p in phrases:
        f = fold(p).strip()
        if f:
            out.setdefault(f, None)
    return tuple(out)


def _phrase_field(value) -> tuple[str, ...]:
    return fold_phrases(overrides.strings(value))


def _finish_theme(theme: dict) -> dict:
    theme = {**theme, "phrases": fold_phrases(theme["phrases"])}   # add_phrases may repeat one
    if not theme["phrases"]:
        raise overrides.FieldError("has no phrases")
    return theme


THEME_RULE = overrides.EntryRule(
    table="theme", kind="theme",
    fields={"label": (overrides.text_field, overrides.REQUIRED),
            "phrases": (_phrase_field, ()), "exclude": (_phrase_field, ())},
    extend=("phrases",), finish=_finish_theme)


def load_lexicon(path: str | Path | None = None, *, corpus_dir: str | Path | None = None) -> dict:
    """Read a theme lexicon: ``{theme_id: {"label": str, "phrases": tuple, "exclude": tuple}}``.

    ``path`` is the base lexicon (the bundled ``data/themes.toml`` by default).
    When ``corpus_dir`` holds a ``themes.toml`` it is applied on top by the merge rule of
    `analytics.overrides` (``label``, ``phrases``, ``exclude``; ``add_phrases`` extends).
    Phrases are returned folded and de-duplicated, in file order.
    Raises `overrides.FileProblem` (a ValueError) naming the file and line.
    """
    return overrides.read_table(path if path is not None else DEFAULT_PATH, THEME_RULE,
                                override=overrides.override_path(corpus_dir, OVERRIDE_NAME))


@lru_cache(maxsize=1)
def _bundled() -> dict:
    return load_lexicon()


def default_lexicon() -> dict:
    """The bundled lexicon, read once; a fresh copy each call, so a caller may edit it."""
    return copy.deepcopy(_bundled())


# --- matching engine ---------------------------------------------------------------------------



class PhraseMatcher:
    """Count several independent phrase sets ("groups") in one pass over a text.

    ``groups`` is a sequence of ``(phrases, exclude)`` pairs of folded phrases.
    `counts(folded_text)` returns one count per group: leftmost-longest,
    non-overlapping matches, where matches of an exclude phrase count 0.
    """

    def __init__(self, groups: Iterable[tuple[Iterable[str], Iterable[str]]]):
        groups = [(tuple(p), tuple(x)) for p, x in groups]
        self.n = len(groups)
        owners: dict[str, list[tuple[int, bool]]] = {}
        for g, (phrases, exclude) in enumerate(groups):
            for p in phrases:
                owners.setdefault(p, []).append((g, True))
            for p in exclude:
                # an exclude phrase wins over the same phrase listed as a phrase
                owners.setdefault(p, [])
                owners[p] = [o for o in owners[p] if o[0] != g] + [(g, False)]
        all_phrases = sorted(owners, key=lambda s: (-len(s), s))
        # For each phrase the regex can report (the longest at a position), the
        # longest word-prefix per group: (group, length, counts?)
        self._implied: dict[str, tuple[tuple[int, int, bool], ...]] = {}
        for long in all_phrases:
            best: dict[int, tuple[int, bool]] = {}
            # shortest first, so a longer word-prefix of the same group wins
            for k in [k for k in range(1, len(long)) if not _WORDCHAR.match(long[k])] + [len(long)]:
                for g, counts in owners.get(long[:k], ()):
                    best[g] = (k, counts)
            self._implied[long] = tuple((g, ln, c) for g, (ln, c) in sorted(best.items()))
        source = trie_pattern(all_phrases) if all_phrases else r"(?!x)x"
        # Scanned on " " + text: a leading character class (the non-word char
        # before a word start) lets the engine skip through words in C, about
        # twice as fast as testing a lookbehind at every position.
        self.regex = re.compile(r"[\W_](?=(" + source + ")" + _BOUNDARY_AFTER + ")")

    def matches(self, folded: str) -> list[tuple[int, int, int]]:
        """Counted matches as ``(group, start, end)`` in text order."""
        free = [0] * self.n          # per group: first position not yet consumed
        out = []
        for m in self.regex.finditer(" " + folded):
            pos = m.start()             # of the padded text's boundary char = word start in folded
            for g, ln, counts in self._implied[m.group(1)]:
                if pos >= free[g]:
                    free[g] = pos + ln
                    if counts:
                        out.append((g, pos, pos + ln))
        return out

    def counts(self, folded: str) -> list[int]:
        c = [0] * self.n
        for g, _, _ in self.matches(folded):
            c[g] += 1
        return c

    def _tally(self, text: str) -> tuple[tuple[int, int], ...]:
        c = self.counts(fold(text))
        return tuple((g, n) for g, n in enumerate(c) if n)

    def tallies(self, texts: Iterable[str]) -> dict[str, tuple[tuple[int, int], ...]]:
        """Per distinct raw (unfolded) text, ``((group, count), ...)`` of its counted
        matches, groups ascending, zeros left out.  Memoised per matcher: a corpus repeats
        most paragraphs verbatim, and a refreshed corpus repeats almost all of them."""
        memo = self.__dict__.get("_memo")
        if memo is None:
            memo = self._memo = FunctionMemo(self._tally)
        return memo.map(texts)

    def document(self, doc: Resolution) -> tuple[list[int], list[int], list[list[str]], list[float]]:
        """(preambular counts, operative counts, paragraph keys, per 1,000 words) per group
        for one document.  Memoised per record, so a corpus reloaded after one file changed
        recounts that document only.  Shared: read-only."""
        memo = self.__dict__.get("_docs")
        if memo is None:
            memo = self._docs = RecordMemo(self._document)
        return memo(doc)

    def _document(self, doc: Resolution):
        n = self.n
        table = self.tallies([p.text for p in doc.paragraphs])
        pre, op = [0] * n, [0] * n
        keys: list[list[str]] = [[] for _ in range(n)]
        for paras, tally in ((doc.preambular, pre), (doc.operative, op)):
            for para in paras:
                hits = table[para.text]
                if hits:
                    key = para.key
                    for g, c in hits:
                        tally[g] += c
                        keys[g].append(key)
        wc = word_count(doc)
        per_1000 = [(a + b) * 1000.0 / wc for a, b in zip(pre, op)] if wc else [0.0] * n
        return pre, op, keys, per_1000


def _lexicon_key(lexicon: Mapping[str, Mapping]) -> tuple:
    return tuple((tid, t["label"], tuple(t["phrases"]), tuple(t.get("exclude", ())))
                 for tid, t in lexicon.items())


@lru_cache(maxsize=16)
def _matcher_for(key: tuple) -> PhraseMatcher:
    # phrases are re-folded so a hand-built lexicon may use plain spellings
    return PhraseMatcher((fold_phrases(ph), fold_phrases(ex)) for _, _, ph, ex in key)


def matcher(lexicon: Mapping[str, Mapping]) -> PhraseMatcher:
    """The (cached) compiled matcher of a lexicon; groups follow the lexicon's order."""
    return _matcher_for(_lexicon_key(lexicon))


# --- counting ----------------------------------------------------------------------------------

def count_documents(docs, lexicon: Mapping[str, Mapping]) -> pd.DataFrame:
    """Long table of counts per document x group of ``lexicon`` (shared with `emerging`).

    Columns: document, symbol, session, kind, theme, label, count, per_1000,
    preambular, operative, paragraphs.  Every document x theme row is present,
    zeros included; rows in document order (`records.sort_key`) then lexicon order.
    """
    m = matcher(lexicon)
    ids = list(lexicon)
    labels = [lexicon[t]["label"] for t in ids]
    docs = as_documents(docs)
    n = m.n
    m.tallies([p.text for doc in docs for p in doc.paragraphs])   # each distinct text once
    cols: dict[str, list] = {c: [] for c in COLUMNS}
    with gc_paused():
        for doc in docs:
            pre, op, keys, per_1000 = m.document(doc)
            cols["document"] += [doc.id] * n
            cols["symbol"] += [doc.symbol] * n
            cols["session"] += [doc.session] * n
            cols["kind"] += [doc.kind] * n
            cols["theme"] += ids
            cols["label"] += labels
            cols["count"] += [a + b for a, b in zip(pre, op)]
            cols["per_1000"] += per_1000
            cols["preambular"] += pre
            cols["operative"] += op
            cols["paragraphs"] += [list(k) for k in keys]   # each row its own list
        df = pd.DataFrame(cols, columns=COLUMNS)
    df["session"] = df["session"].astype("Int64")
    for c in ("count", "preambular", "operative"):
        df[c] = df[c].astype("int64")
    df["per_1000"] = df["per_1000"].astype("float64")
    return df


def theme_counts(docs, *, lexicon: Mapping[str, Mapping] | None = None) -> pd.DataFrame:
    """One row per document x theme (zeros included, so heatmaps are complete).

    Columns: document, symbol, session, kind, theme, label, count, per_1000
    (per 1,000 words of ``doc.word_count``), preambular, operative (counts by
    part), paragraphs (keys such as "OP3" of the paragraphs where the theme
    matches, in document order).  ``lexicon`` defaults to the bundled one.
    """
    return count_documents(docs, lexicon if lexicon is not None else default_lexicon())


# --- series and comparisons --------------------------------------------------------------------

def representative_ids(df: pd.DataFrame) -> dict[int, str]:
    """``records.representative`` re-derived from a document-ordered table.

    Tables from this module list documents in `records.sort_key` order (session,
    draft before resolution, date), so per session the last adopted resolution,
    else the last draft, is the representative: the same choice as
    ``records.representative``.  A table without ``kind`` falls back to the last
    document of each session.
    """
    docs = df.drop_duplicates("document")
    docs = docs[docs["session"].notna()]
    out: dict[int, str] = {}
    for session, group in docs.groupby("session", sort=True):
        if "kind" in group:
            adopted = group[group["kind"] == "resolution"]
            group = adopted if len(adopted) else group
        out[int(session)] = group["document"].iloc[-1]
    return out


def theme_series(df: pd.DataFrame, *, value: str = "count",
                 sessions: Iterable[int] | None = None) -> pd.DataFrame:
    """Theme x session pivot of ``value`` ("count" or "per_1000") from `theme_counts` rows.

    One text per session (the adopted resolution over its draft, see
    `representative_ids`).  Index: theme ids in lexicon order; columns: sessions
    ascending, limited to ``sessions`` when given (sessions without a text are
    left out).
    """
    if value not in ("count", "per_1000"):
        raise ValueError(f"value must be 'count' or 'per_1000', not {value!r}")
    reps = representative_ids(df)
    if sessions is not None:
        wanted = {int(s) for s in sessions}
        reps = {s: d for s, d in reps.items() if s in wanted}
    themes = list(dict.fromkeys(df["theme"]))
    rows = df[df["document"].isin(set(reps.values()))]
    table = rows.pivot_table(index="theme", columns="session", values=value, aggfunc="sum")
    table = table.reindex(index=themes, columns=sorted(reps))
    table.columns = [int(c) for c in table.columns]
    table.columns.name = "session"
    table.index.name = "theme"
    if value == "count":
        table = table.fillna(0).astype("int64")
    return table


def theme_deltas(df: pd.DataFrame, doc_a_id: str, doc_b_id: str) -> pd.DataFrame:
    """Per theme, how document B differs from document A.

    Columns: theme, label, count_a, count_b, delta (b - a), per_1000_a,
    per_1000_b, delta_per_1000, change ("new", "gone", "up", "down", "same" by
    count).  Rows sorted by the size of the change per 1,000 words, largest
    first; ties keep lexicon order.  Raises KeyError for an unknown document.
    """
    parts = []
    for doc_id in (doc_a_id, doc_b_id):
        sub = df[df["document"] == doc_id]
        if sub.empty:
            raise KeyError(f"document {doc_id!r} is not in the table")
        parts.append(sub.set_index("theme"))
    a, b = parts
    themes = list(a.index)
    b = b.reindex(themes)
    out = pd.DataFrame({
        "theme": themes,
        "label": a["label"].to_numpy(),
        "count_a": a["count"].to_numpy(),
        "count_b": b["count"].fillna(0).astype("int64").to_numpy(),
        "per_1000_a": a["per_1000"].to_numpy(),
        "per_1000_b": b["per_1000"].fillna(0.0).to_numpy(),
    })
    out["delta"] = out["count_b"] - out["count_a"]
    out["delta_per_1000"] = out["per_1000_b"] - out["per_1000_a"]
    out["change"] = [_change(x, y) for x, y in zip(out["count_a"], out["count_b"])]
    out = out[["theme", "label", "count_a", "count_b", "delta", "per_1000_a", "per_1000_b",
               "delta_per_1000", "change"]]
    order = out["delta_per_1000"].abs().sort_values(ascending=False, kind="stable").index
    return out.loc[order].reset_index(drop=True)


def _change(a: int, b: int) -> str:
    if a == b:
        return "same"
    if a == 0:
        return "new"
    if b == 0:
        return "gone"
    return "up" if b > a else "down"


SERIES_THEME_COLUMNS = ["series", "theme", "label", "count", "documents", "first_session", "last_session"]


def themes_by_series(docs, *, series, lexicon: Mapping | None = None,
                     sessions: tuple[int, int] | None = None) -> pd.DataFrame:
    """Which resolutions talk about a theme, and since when: one row per series and theme with
    the mentions in ``sessions`` (inclusive range; None = all), the documents that mention it
    and the first and last session that do.  ``series`` maps a document id to its series id
    (a `SeriesIndex`' ``series_of`` will do)."""
    mentions = series_mentions(theme_counts(docs, lexicon=lexicon), series=series)
    return mentions_by_series(mentions, sessions=sessions)


def series_mentions(counts: pd.DataFrame, *, series) -> pd.DataFrame | None:
    """The `theme_counts` rows with a mention, tagged with their document's ``series``; None
    when there are no rows at all.  Apart from `mentions_by_series` so that a dashboard tags
    a corpus once and only cuts and groups per session range."""
    if counts.empty:
        return None
    found = counts.loc[counts["count"] > 0, ["document", "theme", "label", "count", "session"]]
    of = {d: series(d) for d in found["document"].unique()}
    return found.assign(series=[of[d] for d in found["document"].to_numpy(object)])


def mentions_by_series(mentions: pd.DataFrame | None, *,
                       sessions: tuple[int, int] | None = None) -> pd.DataFrame:
    """`themes_by_series` from the rows of `series_mentions`."""
    if mentions is None:
        return pd.DataFrame(columns=SERIES_THEME_COLUMNS)
    if sessions is not None:
        mentions = mentions[mentions["session"].between(*sessions)]
    if mentions.empty:      # a series column of no values, typed as a list of them would be
        mentions = mentions.assign(series=[])
    grouped = mentions.groupby(["series", "theme", "label"], sort=False).agg(
        count=("count", "sum"), documents=("document", "nunique"),
        first_session=("session", "min"), last_session=("session", "max")).reset_index()
    return grouped.sort_values(["theme", "first_session", "series"],
                               kind="stable")[SERIES_THEME_COLUMNS].reset_index(drop=True)
