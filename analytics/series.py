"""Recurring resolution series: which documents are the sessions and versions of one text.

Identity is read from the text (the title and the paragraphs), never from a file name.

Title key
---------
`series_key` normalises a title: Unicode compatibility forms and case are folded
("Programme"/"programme"); quotation marks are dropped; a hyphen between two letters is removed
together with any line break after it, so "Follow-up", "Followup" (a layout lost it) and
"Follow- up" all read "followup"; every ordinal word or number ("Fourteenth", "twenty-first",
"13th") becomes ``#``, because recurring titles advance them with the session ("Follow-up to the
Thirteenth United Nations Congress ... preparations for the Fourteenth ..." is the series of the
Fourteenth/Fifteenth text); any other punctuation or white space becomes one space.  Documents
with the same key are one series; a document with an empty title is a series of one.  The word
lists are in ``data/series_words.txt``.

Citation chain
--------------
A series text recalls its predecessors ("Recalling its resolution 62/175 of 18 December 2007 on
strengthening ...").  Two key groups are merged when a paragraph of a document of one cites, as
an Assembly resolution (`analytics.citations.paragraph_citations`), an adopted resolution of the
other from an earlier session, and

- the paragraph names the cited resolution's title after the symbol (its first
  max(4, 60 %) words, as normalised above) and the two titles share at least
  ``NAMED_JACCARD`` (0.6) of their content words, or
- the two titles share at least ``CLOSE_JACCARD`` (0.8) of their content words and neither is
  the other plus words (a bare recall of "Action against cybercrime" by "Action against
  cybercrime in Africa" is another scope, not a rewording: it merges only if the recall names it)

(token Jaccard on the title keys without function words and ordinals).  A bare citation never
merges: resolutions cite many unrelated resolutions.  Naming is not enough either: 80/229 (the
crime programme) recalls 79/186 "on the follow-up to the Fourteenth United Nations Congress ..."
and 78/227 "on equal access to justice"; those titles share 0.40 and 0.07 of their words, while a
title reworded between sessions ("Strengthening the ... Programme" -> "Strengthening the ...
Programme, in particular its technical cooperation capacity") shares 0.67.  Two groups that both
hold an adopted resolution of the same session are never merged automatically, since a series
adopts one text a session.  Only groups that cite each other are compared.  A draft named by a
plenary resolution (``draft_symbol``) and a revised draft (``.../L.3/Rev.1``) join the series of
the text they name, under the same session rule.  `SeriesIndex.notes` says which merges were
made (and refused) and why.

Ids and titles
--------------
A series id is a slug of the key of the series' earliest document (so it stays put as new
sessions arrive), ordinals left out, hyphens shown where a member's title has them, cut at a
word boundary to at most 60 characters; a six-character hash of the key is appended only when
two series would get the same slug.  The display title is the latest adopted wording, else the
latest draft's.

Versions
--------
A draft's adopted text is, in its series and session, the resolution that names it
(``draft_symbol``, revisions included), else the one adopted resolution that names no draft; if
several qualify, the one whose paragraph words are closest (Jaccard) is chosen and a note says so
(a note also flags an adopted text whose paragraph counts differ from its last draft's).  A
revision supersedes the highest earlier revision of the same symbol in the corpus; every draft of
a revision chain links to the adopted text, and ``supersedes``/``superseded_by`` tell which came
last.

API: `group_series` -> `SeriesIndex`; `series_table` and `document_series` (DataFrames);
`series_key`; `parse_series_overrides` -> `SeriesOverrides`; `session_ranges`.

Overrides (``series.toml``)
---------------------------
`parse_series_overrides` takes the parsed TOML table::

    [[merge]]                       # one series out of several
    ids = ["report-of-the-international-criminal-court", "A-RES-77-5"]

    [[split]]                       # documents out of their series into a new one
    id = "icc-plenary-drafts"       # lower-case letters, digits and hyphens
    title = "ICC report (drafts)"   # optional: else the latest wording of its documents
    documents = ["A-80-L.9"]

    [rename]                        # series id (or a document id: its series) = display title
    "follow-up-to-the-united-nations-congress-on-crime-prevention" = "Crime Congress follow-up"

A series id in ``merge`` brings its whole series, a document id only that document; the merged
series keeps the id of the first series listed (else the series of the first document).  Splits
apply first, then merges, then renames; ids are those of the automatic grouping, of splits, or of
series merged away (they then mean the series they went into).  A malformed table raises
`ValueError` naming the file and the entry; an id the corpus does not have is reported in
`SeriesIndex.warnings` and ignored (``group_series(..., strict=True)`` raises instead).
"""
from __future__ import annotations

import hashlib
import json
import math
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Iterable, Mapping

import pandas as pd

from analytics.citations import GA, paragraph_citations
from analytics.records import Resolution, sort_key
from analytics.text import words

SERIES_VERSION = 1
NAMED_JACCARD = 0.6    # title named after the symbol: the titles must still share most words
CLOSE_JACCARD = 0.8    # bare citation: titles must be nearly the same
SLUG_MAX = 60
_HASH_LEN = 6
_WINDOW = 600          # characters after a cited symbol searched for the cited title
PLACEHOLDER = "#"


def _load_words(path: Path) -> dict[str, frozenset[str]]:
    sections: dict[str, set[str]] = {}
    current = None
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line.startswith("["):
            current = sections.setdefault(line.strip("[]"), set())
        elif line and current is not None:
            current.update(line.split())
    return {k: frozenset(v) for k, v in sections.items()}


def _alternation(ws: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(ws, key=lambda w: (-len(w), w)))


_WORDS = _load_words(Path(__file__).with_name("data") / "series_words.txt")
FUNCTION_WORDS = _WORDS["function-words"]
_ORDINAL = re.compile(rf"\b(?:(?:{_alternation(_WORDS['tens'])})[\s-]?)?"
                      rf"(?:{_alternation(_WORDS['ordinals'])})\b|\b\d+(?:st|nd|rd|th)\b")
_QUOTES = re.compile("[\"'`\u00b4\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u201f]")
_HYPHEN = "-\u00ad\u2010\u2011\u2012"
# a hyphen between letters, with the line break a layout may have put after it
_LOST_HYPHEN = re.compile(rf"(?<=[^\W\d_])[{_HYPHEN}]\s*(?=[^\W\d_])")
_HYPHENATED = re.compile(rf"[^\W\d_]+(?:[{_HYPHEN}][^\W\d_]+)+")
_ANY_HYPHEN = re.compile(f"[{_HYPHEN}]")
_NOT_SLUG = re.compile(r"[^a-z0-9-]+")
_NON_WORD = re.compile(r"(?:[^\w#]|_)+")
_GA_SYMBOL = re.compile(r"(?<![\w/.\-])\d{2,3}/\d{1,4}(?![\w/])")
_RES_SYMBOL = re.compile(r"^A/RES/(\d{1,3}/\d{1,4})$")
_REVISION = re.compile(r"^(?P<base>.+?)/Rev\.\s*(?P<rev>\d+)$", re.IGNORECASE)
_SPLIT_ID = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?$")


def series_key(title: str) -> str:
    """The title as a series is recognised by (see the module docstring)."""
    t = unicodedata.normalize("NFKC", title or "").casefold()
    t = _QUOTES.sub("", t)
    t = _LOST_HYPHEN.sub("", t)
    t = _ORDINAL.sub(f" {PLACEHOLDER} ", t)
    return " ".join(_NON_WORD.sub(" ", t).split())


def _content(key: str) -> frozenset[str]:
    return frozenset(t for t in key.split() if t not in FUNCTION_WORDS and t != PLACEHOLDER)


def _jaccard(a: frozenset, b: frozenset) -> float:
    union = len(a | b)
    return len(a & b) / union if union else 0.0


@lru_cache(maxsize=4096)
def _opening(key: str) -> str:
    """The words a recall must repeat to name a title: its first max(4, 60 %) words."""
    tokens = key.split()
    return " ".join(tokens[:min(len(tokens), max(4, math.ceil(0.6 * len(tokens))))])


def _names_title(window_key: str, key: str) -> bool:
    """Whether the normalised text after a cited symbol names the title `key`."""
    opening = _opening(key)
    return bool(opening) and f" {opening} " in f" {window_key} "


def _base(symbol: str | None) -> tuple[str, int] | None:
    """(symbol without its revision, revision number) of a draft symbol."""
    if not symbol:
        return None
    m = _REVISION.match(symbol)
    return (m.group("base"), int(m.group("rev"))) if m else (symbol, 0)


# --- overrides ------------------------------------------------------------------------------

@dataclass(frozen=True)
class SeriesSplit:
    id: str
    documents: tuple[str, ...]
    title: str | None = None


@dataclass(frozen=True)
class SeriesOverrides:
    merge: tuple[tuple[str, ...], ...] = ()
    split: tuple[SeriesSplit, ...] = ()
    rename: tuple[tuple[str, str], ...] = ()
    source: str = "series.toml"

    def canonical(self) -> str:
        """The overrides as one stable string (part of the index fingerprint)."""
        return json.dumps([self.merge, [(s.id, s.documents, s.title) for s in self.split],
                           self.rename])


_OVERRIDE_KEYS = ("merge", "split", "rename")


def parse_series_overrides(data: Mapping, *, source: str) -> SeriesOverrides:
    """Validate a parsed ``series.toml`` table; `ValueError` names ``source`` and the problem."""
    if not isinstance(data, Mapping):
        raise ValueError(f"{source}: expected a table with {', '.join(_OVERRIDE_KEYS)}, "
                         f"got {type(data).__name__}")
    unknown = sorted(str(k) for k in data if k not in _OVERRIDE_KEYS)
    if unknown:
        raise ValueError(f"{source}: unknown key {unknown[0]!r} (expected {', '.join(_OVERRIDE_KEYS)})")
    merge = tuple(_parse_merge(e, f"{source}: merge entry {i}")
                  for i, e in enumerate(_entries(data.get("merge", []), f"{source}: merge"), 1))
    split = tuple(_parse_split(e, f"{source}: split entry {i}")
                  for i, e in enumerate(_entries(data.get("split", []), f"{source}: split"), 1))
    _check_splits(split, source)
    return SeriesOverrides(merge=merge, split=split, rename=_parse_rename(data.get("rename", {}), source),
                           source=source)


def _entries(value, where: str) -> list:
    if not isinstance(value, list):
        raise ValueError(f"{where}: expected a list of tables ([[...]] in TOML), got {type(value).__name__}")
    return value


def _table(value, where: str, *, required: tuple[str, ...], optional: tuple[str, ...] = ()) -> None:
    if not isinstance(value, Mapping):
        raise ValueError(f"{where}: expected a table, got {type(value).__name__}")
    for k in value:
        if k not in required + optional:
            raise ValueError(f"{where}: unknown key {k!r} (expected {', '.join(required + optional)})")
    for k in required:
        if k not in value:
            raise ValueError(f"{where}: missing {k!r}")


def _ids(value, where: str, *, minimum: int) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(x, str) and x.strip() for x in value):
        raise ValueError(f"{where}: expected a list of ids (non-empty strings), got {value!r}")
    ids = tuple(dict.fromkeys(x.strip() for x in value))
    if len(ids) < minimum:
        raise ValueError(f"{where}: expected at least {minimum} different ids, got {list(ids)!r}")
    return ids


def _title(value, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{where}: expected a non-empty title string, got {value!r}")
    return " ".join(value.split())


def _parse_merge(entry, where: str) -> tuple[str, ...]:
    _table(entry, where, required=("ids",))
    return _ids(entry["ids"], f"{where}: ids", minimum=2)


def _parse_split(entry, where: str) -> SeriesSplit:
    _table(entry, where, required=("id", "documents"), optional=("title",))
    sid = entry["id"]
    if not isinstance(sid, str) or not _SPLIT_ID.match(sid):
        raise ValueError(f"{where}: id {sid!r} must be lower-case letters, digits and hyphens "
                         "(at most 80 characters)")
    title = _title(entry["title"], f"{where} ({sid}): title") if "title" in entry else None
    return SeriesSplit(id=sid, documents=_ids(entry["documents"], f"{where} ({sid}): documents", minimum=1),
                       title=title)


def _check_splits(splits: tuple[SeriesSplit, ...], source: str) -> None:
    owner: dict[str, str] = {}
    seen: set[str] = set()
    for s in splits:
        if s.id in seen:
            raise ValueError(f"{source}: split id {s.id!r} is used twice")
        seen.add(s.id)
        for d in s.documents:
            if d in owner:
                raise ValueError(f"{source}: document {d!r} is in two splits ({owner[d]!r} and {s.id!r})")
            owner[d] = s.id


def _parse_rename(value, source: str) -> tuple[tuple[str, str], ...]:
    if not isinstance(value, Mapping):
        raise ValueError(f"{source}: rename: expected a table of id = \"title\", got {type(value).__name__}")
    return tuple((str(k), _title(v, f"{source}: rename {k!r}")) for k, v in value.items())


# --- the index ------------------------------------------------------------------------------

def _frozen(d: Mapping) -> Mapping:
    return MappingProxyType(dict(d))


@dataclass(frozen=True, eq=False)
class SeriesIndex:
    """The series of a corpus: build with `group_series`."""
    ids: tuple[str, ...]                      # largest series first
    fingerprint: str                          # hash of the grouping input
    notes: tuple[str, ...]                    # how merges and draft links were decided
    warnings: tuple[str, ...]                 # override entries that could not be applied
    _members: Mapping[str, tuple[Resolution, ...]] = field(repr=False)
    _titles: Mapping[str, str] = field(repr=False)
    _series: Mapping[str, str] = field(repr=False)
    _adopted_as: Mapping[str, str] = field(repr=False)
    _drafts_of: Mapping[str, tuple[str, ...]] = field(repr=False)
    _superseded_by: Mapping[str, str] = field(repr=False)
    _supersedes: Mapping[str, str] = field(repr=False)

    def __len__(self) -> int:
        return len(self.ids)

    def series_of(self, doc_id: str) -> str:
        try:
            return self._series[doc_id]
        except KeyError:
            raise KeyError(f"no document with id {doc_id!r} in this series index") from None

    def title_of(self, series_id: str) -> str:
        return self._titles[self._known(series_id)]

    def members(self, series_id: str) -> tuple[Resolution, ...]:
        """Sorted by session, drafts before the adopted text."""
        return self._members[self._known(series_id)]

    def adopted_as(self, doc_id: str) -> str | None:
        """For a draft: the id of the resolution adopted from it, if in the corpus."""
        self.series_of(doc_id)
        return self._adopted_as.get(doc_id)

    def drafts_of(self, doc_id: str) -> tuple[str, ...]:
        """For a resolution: the ids of the drafts it was adopted from."""
        self.series_of(doc_id)
        return self._drafts_of.get(doc_id, ())

    def superseded_by(self, doc_id: str) -> str | None:
        self.series_of(doc_id)
        return self._superseded_by.get(doc_id)

    def supersedes(self, doc_id: str) -> str | None:
        self.series_of(doc_id)
        return self._supersedes.get(doc_id)

    def largest(self) -> str:
        if not self.ids:
            raise ValueError("no series: the index holds no documents")
        return self.ids[0]

    def _known(self, series_id: str) -> str:
        if series_id not in self._members:
            raise KeyError(f"no series {series_id!r}; series ids are: {', '.join(self.ids[:20])}"
                           + (" ..." if len(self.ids) > 20 else ""))
        return series_id


# --- grouping -------------------------------------------------------------------------------

@dataclass(frozen=True, order=True)
class _Edge:
    rank: int      # 0: a draft named by its symbol, 1: title named in the recall, 2: close titles
    score: float   # negated Jaccard, so the closest pair merges first
    citing: str
    cited: str
    why: str = field(compare=False)


class _Union:
    """Union-find over key groups; each root knows the sessions its adopted texts cover."""

    def __init__(self, sessions: list[set[int]]):
        self.parent = list(range(len(sessions)))
        self.sessions = sessions

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def join(self, a: int, b: int) -> bool | None:
        """True: merged; None: already one group; False: refused (a shared adopted session)."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return None
        if self.sessions[ra] & self.sessions[rb]:
            return False
        lo, hi = min(ra, rb), max(ra, rb)
        self.parent[hi] = lo
        self.sessions[lo] |= self.sessions[hi]
        return True


def _key_groups(docs: list[Resolution], keys: dict[str, str]) -> tuple[list[list[Resolution]], dict[str, int]]:
    groups: list[list[Resolution]] = []
    by_key: dict[str, int] = {}
    gid: dict[str, int] = {}
    for d in docs:
        k = keys[d.id]
        g = by_key.get(k) if k else None     # an empty title groups with nothing
        if g is None:
            g = len(groups)
            groups.append([])
            if k:
                by_key[k] = g
        groups[g].append(d)
        gid[d.id] = g
    return groups, gid


def _symbol_edges(docs: list[Resolution]) -> list[_Edge]:
    """Drafts named by a plenary resolution, and revisions of one draft."""
    drafts: dict[str, list[Resolution]] = defaultdict(list)
    for d in docs:
        if d.kind == "draft" and d.symbol:
            drafts[_base(d.symbol)[0]].append(d)
    edges = []
    for chain in drafts.values():
        edges += [_Edge(0, -1.0, b.id, a.id, f"{b.id} is a revision of {a.id}")
                  for a, b in zip(chain, chain[1:])]
    for r in docs:
        if r.kind != "draft" and r.draft_symbol:
            edges += [_Edge(0, -1.0, r.id, d.id, f"{r.id} was adopted from {d.id} (named in its text)")
                      for d in drafts.get(_base(r.draft_symbol)[0], ())]
    return edges


def _qualified(a: frozenset[str], b: frozenset[str]) -> bool:
    """One title is the other plus words ("... in Africa"): another scope, unless a recall names it."""
    return a != b and (a < b or b < a)


def _earlier(cited: Resolution, citing: Resolution) -> bool:
    # a predecessor is of an earlier session: a text citing one of its own session is
    # pointing at a neighbour on the agenda, not at an earlier version of itself
    return cited.session is not None and citing.session is not None and cited.session < citing.session


class _CitationScan:
    """Cross-group citations of adopted resolutions, each with its evidence (or none)."""

    def __init__(self, docs: list[Resolution], keys: dict[str, str], gid: dict[str, int]):
        self.keys, self.gid = keys, gid
        self.by_symbol: dict[str, list[Resolution]] = defaultdict(list)
        for d in docs:
            m = _RES_SYMBOL.match(d.symbol or "") if d.kind != "draft" else None
            if m:
                self.by_symbol[m.group(1)].append(d)
        # a series carries most paragraphs verbatim: each text, window and title pair once
        self.symbols: dict[str, tuple] = {}     # paragraph text -> its symbol-like matches
        self.confirmed: dict[tuple, frozenset[str]] = {}
        self.windows: dict[tuple[str, int], str] = {}
        self.pairs: dict[tuple[str, str], tuple[float, bool]] = {}

    def edges(self, docs: list[Resolution]) -> list[_Edge]:
        out: list[_Edge] = []
        for d in docs:
            for p in d.paragraphs:
                if "/" in p.text:
                    out += self._paragraph(d, p)
        return out

    def _paragraph(self, d: Resolution, p) -> list[_Edge]:
        found = self.symbols.get(p.text)
        if found is None:
            found = self.symbols[p.text] = tuple((m.start(), m.group(0)) for m in _GA_SYMBOL.finditer(p.text)
                                                 if m.group(0) in self.by_symbol)
        hits = [(pos, sym, e) for pos, sym in found for e in self.by_symbol[sym]
                if self.gid[e.id] != self.gid[d.id] and _earlier(e, d)]
        if not hits:
            return []
        cited = self._assembly_citations(p.text, d.session)
        return [edge for pos, sym, e in hits if sym in cited
                for edge in (self._evidence(d, p, pos, sym, e),) if edge]

    def _assembly_citations(self, text: str, session: int | None) -> frozenset[str]:
        # only what the citation reader takes for the Assembly's own resolutions (not a
        # commission's "resolution 26/3" that happens to share a symbol)
        key = (text, session)
        if key not in self.confirmed:
            self.confirmed[key] = frozenset(c.split(" ")[0] for c, body, _ in
                                            paragraph_citations(text, session=session) if body == GA)
        return self.confirmed[key]

    def _titles(self, citing: str, cited: str) -> tuple[float, bool]:
        """(content-word Jaccard, whether one is the other plus words) of two title keys."""
        found = self.pairs.get((citing, cited))
        if found is None:
            a, b = _content(citing), _content(cited)
            found = self.pairs[(citing, cited)] = (_jaccard(a, b), _qualified(a, b))
        return found

    def _window(self, text: str, pos: int) -> str:
        found = self.windows.get((text, pos))
        if found is None:
            found = self.windows[(text, pos)] = series_key(text[pos:pos + _WINDOW])
        return found

    def _evidence(self, d: Resolution, p, pos: int, sym: str, e: Resolution) -> _Edge | None:
        j, qualified = self._titles(self.keys[d.id], self.keys[e.id])
        if j >= NAMED_JACCARD and _names_title(self._window(p.text, pos), self.keys[e.id]):
            return _Edge(1, -j, d.id, e.id, f"{d.id} {p.key} cites {sym} ({e.id}) and names its title "
                                            f"(title word Jaccard {j:.2f})")
        if j >= CLOSE_JACCARD and not qualified:
            return _Edge(2, -j, d.id, e.id, f"{d.id} {p.key} cites {sym} ({e.id}); the titles are close "
                                            f"(word Jaccard {j:.2f})")
        return None


def _merge_groups(docs: list[Resolution], keys: dict[str, str]) -> tuple[list[list[Resolution]], list[str]]:
    groups, gid = _key_groups(docs, keys)
    union = _Union([{d.session for d in g if d.kind != "draft" and d.session is not None} for g in groups])
    notes, refused = [], set()
    edges = sorted(_symbol_edges(docs) + _CitationScan(docs, keys, gid).edges(docs))
    for e in edges:
        a, b = gid[e.citing], gid[e.cited]
        roots = tuple(sorted((union.find(a), union.find(b))))
        done = union.join(a, b)
        if done:
            notes.append(f"merged: {e.why}")
        elif done is False and roots not in refused:
            refused.add(roots)
            notes.append(f"not merged (both have an adopted text of one session): {e.why}")
    merged: dict[int, list[Resolution]] = defaultdict(list)
    for i, g in enumerate(groups):
        merged[union.find(i)] += g
    return [sorted(g, key=sort_key) for _, g in sorted(merged.items())], notes


# --- ids and titles ---------------------------------------------------------------------------

def _slug_tokens(key: str, members: Iterable[Resolution]) -> list[str]:
    """The key's words for a slug, hyphenated as some member's title writes them
    ("followup" -> "follow-up"), ordinals left out."""
    shown: dict[str, str] = {}
    for title in sorted({d.title for d in members if _ANY_HYPHEN.search(d.title or "")}):
        for w in _HYPHENATED.findall(unicodedata.normalize("NFKC", title).casefold()):
            shown.setdefault(_LOST_HYPHEN.sub("", w), _ANY_HYPHEN.sub("-", w))
    out = []
    for t in key.split():
        if t != PLACEHOLDER:
            t = unicodedata.normalize("NFKD", shown.get(t, t)).encode("ascii", "ignore").decode()
            if t := _NOT_SLUG.sub("", t).strip("-"):
                out.append(t)
    return out


def _truncate(tokens: list[str], limit: int) -> str:
    kept: list[str] = []
    for t in tokens:
        if len("-".join(kept + [t])) > limit:
            # a cut slug ending "...-prevention-and" reads as if a word were missing
            while len(kept) > 1 and kept[-1] in FUNCTION_WORDS:
                kept.pop()
            break
        kept.append(t)
    return "-".join(kept) or (tokens[0][:limit].rstrip("-") if tokens else "series")


def _assign_ids(groups: list[list[Resolution]], keys: dict[str, str]) -> list[str]:
    """A readable slug per group, with a short hash only where two groups would share one."""
    basis = []
    for g in groups:
        key = keys[g[0].id]
        tokens = _slug_tokens(key, g) if key else ["untitled", *_slug_tokens(series_key(g[0].id), ())]
        basis.append((tokens, key or f"document {g[0].id}"))
    plain = [_truncate(t, SLUG_MAX) for t, _ in basis]
    count: dict[str, int] = defaultdict(int)
    for s in plain:
        count[s] += 1
    ids, used = [], set()
    for s, (tokens, key) in zip(plain, basis):
        if count[s] > 1:
            digest = hashlib.sha1(key.encode("utf-8")).hexdigest()[:_HASH_LEN]
            s = f"{_truncate(tokens, SLUG_MAX - _HASH_LEN - 1)}-{digest}"
        n, base = 2, s
        while s in used:   # two keys sharing a hash prefix: never seen, but ids must be unique
            s, n = f"{base}-{n}", n + 1
        used.add(s)
        ids.append(s)
    return ids


def _display_title(members: Iterable[Resolution]) -> str:
    ms = sorted(members, key=sort_key)
    adopted = [d for d in ms if d.kind != "draft"]
    return (adopted or ms)[-1].title if ms else ""


# --- overrides applied ------------------------------------------------------------------------

class _Assignment:
    """Document -> series id, as the overrides change it, with what could not be applied."""

    def __init__(self, series: dict[str, str], source: str):
        self.series = series
        self.source = source
        self.absorbed: dict[str, str] = {}   # series merged away -> the series it went into
        self.titles: dict[str, str] = {}     # titles fixed by a split or a rename
        self.warnings: list[str] = []

    def current(self) -> set[str]:
        return set(self.series.values())

    def resolve(self, sid: str) -> str | None:
        """A series id as it is now (following merges), or None if there is no such series."""
        seen = set()
        while sid in self.absorbed and sid not in seen:
            seen.add(sid)
            sid = self.absorbed[sid]
        return sid if sid in self.current() else None

    def unknown(self, where: str, value: str) -> None:
        self.warnings.append(f"{self.source}: {where}: unknown id {value!r} (not a series id or a "
                             "document id of this corpus); ignored")

    def split(self, s: SeriesSplit) -> None:
        if s.id in self.current():
            self.warnings.append(f"{self.source}: split {s.id!r}: that id already names a series; "
                                 "choose another id (split ignored)")
            return
        known = [d for d in s.documents if d in self.series]
        for d in s.documents:
            if d not in self.series:
                self.unknown(f"split {s.id!r}", d)
        for d in known:
            self.series[d] = s.id
        if known and s.title:
            self.titles[s.id] = s.title

    def merge(self, n: int, ids: tuple[str, ...]) -> None:
        series, documents = [], []
        for x in ids:
            if (sid := self.resolve(x)) is not None:
                series.append(sid)
            elif x in self.series:
                documents.append(x)
            else:
                self.unknown(f"merge entry {n}", x)
        target = series[0] if series else (self.series[documents[0]] if documents else None)
        if target is None or len(series) + len(documents) < 2:
            self.warnings.append(f"{self.source}: merge entry {n}: fewer than two known ids; nothing merged")
            return
        for sid in dict.fromkeys(series[1:]):
            if sid != target:
                self.absorbed[sid] = target
                for d, cur in self.series.items():
                    if cur == sid:
                        self.series[d] = target
        for d in documents:
            self.series[d] = target

    def rename(self, key: str, title: str) -> None:
        sid = self.resolve(key)
        if sid is None and key in self.series:
            sid = self.series[key]
        if sid is None:
            self.unknown(f"rename {key!r}", key)
        else:
            self.titles[sid] = title


def _apply(overrides: SeriesOverrides, series: dict[str, str]) -> _Assignment:
    a = _Assignment(dict(series), overrides.source)
    for s in overrides.split:
        a.split(s)
    for n, ids in enumerate(overrides.merge, 1):
        a.merge(n, ids)
    for key, title in overrides.rename:
        a.rename(key, title)
    return a


# --- versions ---------------------------------------------------------------------------------

def _word_set(doc: Resolution) -> frozenset[str]:
    return frozenset(w for p in doc.paragraphs for w in words(p.text))


def _choose(draft: Resolution, candidates: list[Resolution], notes: list[str]) -> Resolution | None:
    if len(candidates) <= 1:
        return candidates[0] if candidates else None
    mine = _word_set(draft)
    scored = sorted(((-_jaccard(mine, _word_set(r)), sort_key(r), r) for r in candidates),
                    key=lambda t: t[:2])
    best = scored[0][2]
    others = ", ".join(f"{r.id} {-s:.2f}" for s, _, r in scored[1:])
    notes.append(f"{draft.id}: {len(candidates)} adopted texts of its series in session {draft.session}; "
                 f"linked to {best.id}, the closest paragraph wording (word Jaccard {-scored[0][0]:.2f}; "
                 f"{others})")
    return best


def _adopted_from(draft: Resolution, members: tuple[Resolution, ...], notes: list[str], *,
                  superseded: bool) -> Resolution | None:
    """The resolution adopted from `draft`: same series, same session."""
    if draft.session is None:
        return None
    same = [r for r in members if r.kind != "draft" and r.session == draft.session]
    mine = _base(draft.symbol)
    named = [r for r in same if r.draft_symbol and mine and _base(r.draft_symbol)[0] == mine[0]]
    best = _choose(draft, named or [r for r in same if not r.draft_symbol], notes)
    # a superseded draft differs from the adopted text by its revision: no news
    if best is not None and not superseded and (len(best.preambular), len(best.operative)) != (
            len(draft.preambular), len(draft.operative)):
        notes.append(f"{draft.id} -> {best.id}: the adopted text has {len(best.preambular)}/"
                     f"{len(best.operative)} preambular/operative paragraphs, the draft "
                     f"{len(draft.preambular)}/{len(draft.operative)} (adopted as changed, or from a "
                     "revision not in the corpus)")
    return best


def _versions(members: Mapping[str, tuple[Resolution, ...]], superseded_by: Mapping[str, str],
              notes: list[str]):
    adopted_as: dict[str, str] = {}
    drafts_of: dict[str, list[str]] = defaultdict(list)
    for ms in members.values():
        for d in ms:
            if d.kind != "draft":
                continue
            if (r := _adopted_from(d, ms, notes, superseded=d.id in superseded_by)) is not None:
                adopted_as[d.id] = r.id
                drafts_of[r.id].append(d.id)
    return adopted_as, {k: tuple(v) for k, v in drafts_of.items()}


def _revisions(docs: list[Resolution]) -> tuple[dict[str, str], dict[str, str]]:
    chains: dict[str, list[tuple]] = defaultdict(list)
    for d in docs:
        if d.kind == "draft" and d.symbol:
            base, rev = _base(d.symbol)
            chains[base].append((rev, sort_key(d), d.id))
    superseded_by, supersedes = {}, {}
    for chain in chains.values():
        chain.sort()
        for (_, _, old), (_, _, new) in zip(chain, chain[1:]):
            superseded_by[old], supersedes[new] = new, old
    return superseded_by, supersedes


# --- public API -------------------------------------------------------------------------------

def _fingerprint(docs: list[Resolution], overrides: SeriesOverrides | None) -> str:
    h = hashlib.sha256(f"series v{SERIES_VERSION}\n".encode())
    for d in sorted(docs, key=lambda d: d.id):
        h.update(json.dumps([d.id, d.sha256, d.title, d.symbol, d.session, d.kind, d.draft_symbol,
                             d.date.isoformat() if d.date else None]).encode("utf-8") + b"\n")
    h.update((overrides.canonical() if overrides else "").encode("utf-8"))
    return h.hexdigest()[:16]


def _order(members: Mapping[str, tuple[Resolution, ...]]) -> tuple[str, ...]:
    def key(sid: str):
        sessions = [d.session for d in members[sid] if d.session is not None]
        return (-len(members[sid]), -(max(sessions) if sessions else -1), sid)
    return tuple(sorted(members, key=key))


@dataclass(frozen=True)
class Merged:
    """What the text alone decides, before any override: the groups of document ids in the
    order `group_series` makes them, and the notes on how each merge was decided.  Plain
    data, so that a cache can keep it (``analytics.derived``): at 10,000 documents it is
    most of the grouping's time, the citation scan."""
    groups: tuple[tuple[str, ...], ...]
    notes: tuple[str, ...]

    def fits(self, ids: Iterable[str]) -> bool:
        """Whether the groups hold exactly ``ids``, each once, and no group is empty."""
        ids = set(ids)
        listed = [i for g in self.groups for i in g]
        return all(self.groups) and len(listed) == len(ids) and set(listed) == ids


def merged_groups(docs: Iterable[Resolution]) -> Merged:
    """The `Merged` grouping of ``docs`` (what ``group_series(docs, merged=...)`` takes)."""
    docs = _sorted_unique(docs)
    groups, notes = _merge_groups(docs, {d.id: series_key(d.title) for d in docs})
    return Merged(tuple(tuple(d.id for d in g) for g in groups), tuple(notes))


def _sorted_unique(docs: Iterable[Resolution]) -> list[Resolution]:
    docs = sorted(docs, key=sort_key)
    ids = [d.id for d in docs]
    if len(set(ids)) != len(ids):
        dup = sorted({i for i in ids if ids.count(i) > 1})
        raise ValueError(f"duplicate document ids: {', '.join(dup[:5])}")
    return docs


def _regroup(docs: list[Resolution], merged: Merged) -> tuple[list[list[Resolution]], list[str]]:
    by_id = {d.id: d for d in docs}
    if not merged.fits(by_id):
        raise ValueError("the merged groups are of other documents: make them with merged_groups(docs)")
    return [[by_id[i] for i in g] for g in merged.groups], list(merged.notes)


def group_series(docs: Iterable[Resolution], *, overrides: SeriesOverrides | Mapping | None = None,
                 strict: bool = False, merged: Merged | None = None) -> SeriesIndex:
    """Group documents into series and link their versions (rules: the module docstring).

    ``overrides`` is a `SeriesOverrides` or the parsed ``series.toml`` table; with
    ``strict=True`` an override that names an unknown id raises `ValueError`.  ``merged``:
    the `merged_groups` of these very documents, made earlier (a `ValueError` if it lists
    other ids); the result is the one a call without it gives."""
    docs = _sorted_unique(docs)
    if overrides is not None and not isinstance(overrides, SeriesOverrides):
        overrides = parse_series_overrides(overrides, source="series.toml")
    keys = {d.id: series_key(d.title) for d in docs}
    groups, notes = _merge_groups(docs, keys) if merged is None else _regroup(docs, merged)
    auto = {d.id: sid for sid, g in zip(_assign_ids(groups, keys), groups) for d in g}
    assignment = _apply(overrides, auto) if overrides else _Assignment(auto, "")
    if strict and assignment.warnings:
        raise ValueError("\n".join(assignment.warnings))
    grouped: dict[str, list[Resolution]] = defaultdict(list)
    for d in docs:
        grouped[assignment.series[d.id]].append(d)
    members = {sid: tuple(ms) for sid, ms in grouped.items()}
    titles = {sid: assignment.titles.get(sid) or _display_title(ms) for sid, ms in members.items()}
    superseded_by, supersedes = _revisions(docs)
    adopted_as, drafts_of = _versions(members, superseded_by, notes)
    order = _order(members)
    return SeriesIndex(
        ids=order, fingerprint=_fingerprint(docs, overrides), notes=tuple(notes),
        warnings=tuple(assignment.warnings), _members=_frozen({s: members[s] for s in order}),
        _titles=_frozen(titles), _series=_frozen(assignment.series), _adopted_as=_frozen(adopted_as),
        _drafts_of=_frozen(drafts_of), _superseded_by=_frozen(superseded_by),
        _supersedes=_frozen(supersedes))


def session_ranges(sessions: Iterable[int]) -> str:
    """"60-67" for a run, "78, 80" for a gap: 60, 63, 65, 66, 67 -> "60, 63, 65-67"."""
    xs = sorted(set(sessions))
    runs: list[list[int]] = []
    for s in xs:
        if runs and s == runs[-1][-1] + 1:
            runs[-1].append(s)
        else:
            runs.append([s])
    return ", ".join(f"{r[0]}-{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs)


SERIES_COLUMNS = ["series", "title", "sessions", "first_session", "last_session", "documents",
                  "resolutions", "drafts", "latest"]
DOCUMENT_COLUMNS = ["document", "series", "series_title", "adopted_as", "drafts"]


def series_table(index: SeriesIndex) -> pd.DataFrame:
    """One row per series, largest first; ``latest`` is the id of its newest document."""
    rows = []
    for sid in index.ids:
        ms = index.members(sid)
        sessions = [d.session for d in ms if d.session is not None]
        drafts = sum(d.kind == "draft" for d in ms)
        rows.append((sid, index.title_of(sid), session_ranges(sessions),
                     min(sessions) if sessions else None, max(sessions) if sessions else None,
                     len(ms), len(ms) - drafts, drafts, ms[-1].id))
    df = pd.DataFrame(rows, columns=SERIES_COLUMNS, dtype=object)
    return df.astype({"first_session": "Int64", "last_session": "Int64", "documents": "int64",
                      "resolutions": "int64", "drafts": "int64"})


def document_series(index: SeriesIndex) -> pd.DataFrame:
    """One row per document, in series order; ``drafts`` lists a resolution's draft ids
    separated by ", " ("" if none), ``adopted_as`` is a draft's adopted text (None if none)."""
    rows = [(d.id, sid, index.title_of(sid), index.adopted_as(d.id), ", ".join(index.drafts_of(d.id)))
            for sid in index.ids for d in index.members(sid)]
    return pd.DataFrame(rows, columns=DOCUMENT_COLUMNS, dtype=object)
