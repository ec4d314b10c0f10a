"""Emerging issues found in the text: terms a series starts using at one session and keeps.

`emerging.py` reads the lists the Assembly itself writes ("namely, piracy,
cybercrime, ...").  This module looks for new issues in the wording instead,
so it also sees what no list names ("Kyoto Declaration", "Convention against
Cybercrime", "crimes that affect the environment").

One text per session (`records.representative`: the adopted text over its
draft), its paragraphs the unit of counting.

Candidates
----------
* phrases: scikit-learn ``CountVectorizer`` word n-grams (1 to 5 words) over
  the clauses of each paragraph (a comma, semicolon, bracket or colon ends a
  clause, so no term spans "piracy, cybercrime").  A phrase may not start or
  end with a stop word (scikit-learn's English list plus
  ``data/stopwords_un.txt``: "Member States", "Secretary-General",
  "seventy-fifth session" are made of stop words only), may not hold more stop
  words than content words, nor "and"/"or" unless it is a known phrase
  ("fauna and flora"), nor a digit;
* named things: runs of capitalised words holding a head word
  (Declaration, Convention, Protocol, ...), reported as the place or year
  before the head ("Kyoto Declaration") or the head and its complement
  ("Convention against Cybercrime"); their words are then masked, so the
  fragments of a long title ("advancing crime prevention") are not phrases;
* acronyms (UNODC, COVID-19);
* the multi-word terms of `analytics.tokens` (joined before stop words go).

Boilerplate (document symbols, dates, meeting numbers, "at its nineteenth
session", the reports of the year, budget furniture) is blanked out by the
patterns of ``data/detect_boilerplate.toml``; its procedural phrases are
dropped.

Near-duplicates are one term: each candidate is keyed by its content words
stemmed with NLTK's Porter stemmer, stop words left out, so "crimes that
affect the environment" and "crimes affecting the environment" share the key
(crime, affect, environ) and their paragraphs add up.  The aliases and
mentions of one issue of ``emerging_aliases.toml`` are one term carrying that
issue's id (kind "listed").  A plain phrase goes into the listed issue whose
wording holds it or is held by it, and into a term of its session that it
contains or that is used in exactly the same paragraphs (the words of one new
paragraph carried on verbatim are one issue, not twenty); a phrase only ever
used inside a longer one gives way to it ("involvement of organized" to
"involvement of organized criminal groups").

When a term emerges
-------------------
At session S when no earlier text of the series uses it, S uses it, and at
least half of the later texts use it too (none needed when S is the last).
S is never the first session: everything is new there.  A single plain word
is never enough.  A plain phrase (not a named thing, acronym, known term or
listed issue) must hold a word no text used before S, be used in two
paragraphs of one text, open on no verb and end on no adjective or
participle (word lists of the data file: no tagger data can be downloaded
here), and every pair of its adjacent content words must be a collocation:
Dunning's log-likelihood >= 3.84 in NLTK's ``BigramCollocationFinder`` over
the series' clauses.

Score
-----
With r[t] the paragraphs of session t's text using the term and d[t] its
paragraphs, R and D their sums from S on, D_<S the paragraphs before S:

    score = G2 / 2 + W

G2 is Dunning's log-likelihood (`keyness.log_likelihood`) of R of D against
the 0 of D_<S, that is 2 R ln((D_<S + D) / D): novelty and persistence
together, growing with the uses from S on and with how much earlier text
never used the term, finite and comparable on 3 or 30 sessions.  W is the
weight of the Kleinberg burst (`burst.py`, s = 2, gamma = 1, paragraph counts
as the denominators) that starts at S, 0 when the two-state model finds none:
a sudden, heavy use on top.  Both are log-likelihood ratios in nats (G2 is
twice one), so they add.  Ties: more sessions using it, then label.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from types import MappingProxyType
from pathlib import Path
from typing import Iterable, Mapping

import numpy as np
import pandas as pd
from nltk.collocations import BigramCollocationFinder
from nltk.metrics import BigramAssocMeasures
from nltk.stem import PorterStemmer
from nltk.tokenize import MWETokenizer
from scipy import sparse
from sklearn.feature_extraction.text import CountVectorizer

from . import burst, emerging
from .keyness import G2_CRITICAL, log_likelihood
from .records import Resolution, representative
from .text import fold
from .tokens import PHRASES, STOP_WORDS

RULES_PATH = Path(__file__).with_name("data") / "detect_boilerplate.toml"
COLUMNS = ["issue", "label", "first_session", "first_document", "first_key", "sessions", "counts",
           "score", "quote", "kind", "listed_issue", "g2", "burst", "persistence", "variants"]
# what `python -m analytics emerging-detected` prints
CLI_COLUMNS = ["issue", "label", "first_session", "first_document", "first_key", "sessions", "counts",
               "score", "quote", "listed_issue"]
KINDS = ("listed", "named", "acronym", "term", "phrase", "word")   # strongest first
DEFAULT_TOP = 25
MAX_NGRAM = 5

_WORD = re.compile(r"[^\W_]+")      # a word, as `analytics.tokens` splits them
_SEP = "_"


# --- rules (data) -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Rules:
    boilerplate: tuple[re.Pattern, ...]
    procedural: tuple[tuple[str, ...], ...]     # keys of procedural phrases
    heads: frozenset[str]
    generic: frozenset[str]
    acronyms_ignored: frozenset[str]
    max_words: int
    title: re.Pattern
    clause_end: re.Pattern
    sentence_end: re.Pattern
    acronym: re.Pattern
    verbs_first: frozenset[str] = frozenset()
    adjective_endings: tuple[str, ...] = ()
    nouns: frozenset[str] = frozenset()

    def plain_ends_ok(self, words: list[str]) -> bool:
        """A plain phrase opens on no verb and ends on no adjective or participle."""
        last = words[-1]
        cut = last not in self.nouns and last.endswith(self.adjective_endings) and len(last) > 4
        return words[0] not in self.verbs_first and last not in self.verbs_first and not cut


@lru_cache(maxsize=4)
def load_rules(path: str | Path = RULES_PATH) -> Rules:
    """The boilerplate patterns, procedural phrases and named-thing heads of the data file."""
    with open(path, "rb") as fh:
        data = tomllib.load(fh)
    named = data["named"]
    cap = r"(?:[A-Z][\w'’-]*|\d{4})"
    conn = "|".join(map(re.escape, named["connectors"]))
    title = re.compile(rf"{cap}(?:\s+(?:(?:{conn})\s+)*{cap})*")
    return Rules(
        boilerplate=tuple(re.compile(p, re.IGNORECASE) for p in data["boilerplate"]["patterns"]),
        procedural=tuple(k for k in (key_of(p) for p in data["procedural"]["phrases"]) if k),
        heads=frozenset(named["heads"]), generic=frozenset(named["generic"]),
        acronyms_ignored=frozenset(named["acronyms_ignored"]), max_words=int(named["max_words"]),
        title=title, clause_end=re.compile(data["reading"]["clause_end"]),
        sentence_end=re.compile(data["reading"]["sentence_end"]),
        acronym=re.compile(data["reading"]["acronym"]), verbs_first=frozenset(data["phrase"]["verbs_first"]),
        adjective_endings=tuple(data["phrase"]["adjective_endings"]),
        nouns=frozenset(data["phrase"]["nouns"]))


# --- tokens -------------------------------------------------------------------------------------

_MWE = MWETokenizer(sorted({tuple(f.split()) for forms in PHRASES.values() for f in forms if " " in f}),
                    separator=_SEP)
_CANONICAL = {f.replace(" ", _SEP): t for t, forms in PHRASES.items() for f in forms}
_STEMMER = PorterStemmer()


@lru_cache(maxsize=1 << 16)
def _content(token: str) -> str | None:
    token = _CANONICAL.get(token, token)
    if len(token) < 2 or token in STOP_WORDS or any(c.isdigit() for c in token):
        return None
    return _STEMMER.stem(token) if _SEP not in token else token


def content_stems(words: list[str]) -> list[str]:
    """Content words of folded ``words``, known terms joined, stop words out, Porter-stemmed."""
    return [c for c in map(_content, _MWE.tokenize(words)) if c is not None]


_NUMBER = re.compile(r"\d+")


@lru_cache(maxsize=1 << 16)
def key_of(phrase: str) -> tuple[str, ...]:
    """The key near-duplicates share: "crimes affecting the environment" -> (crime, affect, environ)."""
    return tuple(content_stems(_WORD.findall(fold(phrase))))


def _name_key(name: str) -> tuple[str, ...]:
    # "2030 Agenda" is not the word "agenda", nor "Declaration of 2019" the word "declaration";
    # and the "2009 Political Declaration" is not any political declaration (80/229 PP25
    # reaffirms the one of 2021): a name's numbers are part of its key
    key = key_of(name)
    if len(key) > 1:
        return key + tuple(_NUMBER.findall(name))
    return (" ".join(fold(name).split()),)


def _is_stop(word: str) -> bool:
    return word in STOP_WORDS or any(c.isdigit() for c in word) or len(word) < 2


# --- reading one paragraph ----------------------------------------------------------------------

@dataclass(frozen=True)
class Reading:
    clauses: tuple[str, ...]                 # folded, boilerplate and titles blanked
    names: tuple[tuple[str, str], ...]       # (name as written, kind)


def _short_name(words: list[str], rules: Rules) -> tuple[str | None, int]:
    """The name a title is known by (None when it holds no head word) and where it ends."""
    heads = [i for i, w in enumerate(words) if w in rules.heads]
    if not heads:
        return None, len(words)
    h = heads[0]
    # a name right before the head: "Kyoto Declaration", "Crime Prevention and Criminal Justice Fund"
    start = h
    while start > 0 and _name_word(words, start - 1, rules):
        start -= 1
    while start < h and (words[start] == "and" or words[start] in rules.generic):
        start += 1
    end = next((k for k in range(h + 2, len(words)) if _title_starts(words, k, rules)), len(words))
    # else the head and its complement, up to a title inside it ("... and the Protocol")
    name = words[start:h + 1] if start < h else words[h:min(end, h + rules.max_words)]
    while name and (name[-1][:1].islower() or name[-1] in rules.generic):
        name.pop()
    return (" ".join(name) if len(name) > 1 else None), end


def _title_starts(words: list[str], k: int, rules: Rules) -> bool:
    """Another title starts at word k: "... and the Twelfth United Nations Congress", "... Crime
    Global Study", "... to the United Nations Convention"."""
    w = words[k]
    if w in rules.generic:
        return w == "United" or words[k - 1][:1].isupper()
    if w != "and":
        return False
    rest = [x for x in words[k + 1:k + 6] if x != "the"]
    while rest and rest[0] in rules.generic:
        rest.pop(0)
    return bool(rest) and rest[0] in rules.heads


def _name_word(words: list[str], i: int, rules: Rules) -> bool:
    w = words[i]
    if w == "and":      # "Crime Prevention and Criminal Justice", never "Bank and the ..."
        return i > 0 and words[i - 1][:1].isupper() and words[i - 1] not in rules.generic
    # generic words may sit inside a name ("Kyoto Model Strategies"); leading ones are cut later
    return (w[:1].isupper() or w[:1].isdigit()) and w not in rules.heads


def _titles(text: str, rules: Rules) -> list[tuple[int, int, str]]:
    """(start, end, name) of every named thing; one run of capitals may hold several."""
    out = []
    for m in rules.title.finditer(text):
        words = m.group(0).split()
        while len(words) > 1:
            name, end = _short_name(words, rules)
            if name:
                out.append((m.start(), m.end(), name))
            if end >= len(words):
                break
            words = words[end + (words[end] == "and"):]
    return out


def _acronyms(text: str, rules: Rules) -> list[str]:
    return [a for a in rules.acronym.findall(text)
            if len(a) > 2 and fold(a) not in rules.acronyms_ignored and not a[1:].isdigit()]


def read_paragraph(text: str, rules: Rules | None = None) -> Reading:
    """Clauses to count phrases in, and the named things and acronyms of one paragraph."""
    return _read(text, rules or load_rules())


# a series carries most paragraphs verbatim from session to session: read each text once
@lru_cache(maxsize=1 << 15)
def _read(text: str, rules: Rules) -> Reading:
    masked = text
    for pattern in rules.boilerplate:
        masked = pattern.sub(lambda m: "|" * len(m.group(0)), masked)
    titles = _titles(masked, rules)
    names = [(n, "named") for _, _, n in titles] + [(a, "acronym") for a in _acronyms(masked, rules)]
    chars = list(masked)
    for start, end, _ in titles:
        chars[start:end] = "|" * (end - start)
    masked = "".join(chars)
    clauses = tuple(c.strip() for c in rules.clause_end.split(fold(masked)) if c.strip())
    return Reading(clauses, tuple(names))


# --- the series ---------------------------------------------------------------------------------

@dataclass
class Series:
    """One text per session and its paragraphs, in session and paragraph order."""
    texts: list[Resolution]
    sessions: list[int]
    paragraphs: list[tuple[int, str, str]]       # (session index, paragraph key, text)
    readings: list[Reading] = field(default_factory=list)

    @property
    def totals(self) -> np.ndarray:
        counts = np.zeros(len(self.sessions), dtype=int)
        for t, _, _ in self.paragraphs:
            counts[t] += 1
        return counts


def series_texts(docs: Iterable[Resolution], rules: Rules | None = None) -> Series:
    reps = representative(list(docs))
    texts = list(reps.values())
    paragraphs = [(t, p.key, p.text) for t, doc in enumerate(texts) for p in doc.paragraphs]
    rules = rules or load_rules()
    return Series(texts, list(reps), paragraphs, [read_paragraph(x, rules) for _, _, x in paragraphs])


# --- candidates ---------------------------------------------------------------------------------

@dataclass
class Term:
    key: tuple[str, ...]
    label: str
    kind: str
    paragraphs: set[int]
    variants: list[str] = field(default_factory=list)
    keys: set[tuple[str, ...]] = field(default_factory=set)     # every key merged into it

    def __post_init__(self):
        self.keys.add(self.key)


@lru_cache(maxsize=8)
def _protected(alias_key: tuple) -> frozenset[str]:
    """Known phrases whose "and" belongs to them ("fauna and flora")."""
    issues, keep = alias_key
    phrases = list(keep) + [a for _, _, aliases, _ in issues for a in aliases]
    phrases += [f for forms in PHRASES.values() for f in forms]
    return frozenset(" ".join(fold(p).split()) for p in phrases if " and " in fold(p) or " or " in fold(p))


def _phrase_ok(ngram: str, protected: frozenset[str]) -> bool:
    words = ngram.split()
    if _is_stop(words[0]) or _is_stop(words[-1]) or any(c.isdigit() for c in ngram):
        return False
    if len(words) > 2 and ("and" in words or "or" in words) and not _and_ok(ngram, protected):
        return False
    stops = sum(w in STOP_WORDS for w in words)
    return stops <= len(words) - stops


def _and_ok(ngram: str, protected: frozenset[str]) -> bool:
    """Every "and" / "or" of the n-gram belongs to a known phrase ("parts and components")."""
    if any(ngram in p for p in protected):
        return True
    rest = ngram
    for p in sorted(protected, key=len, reverse=True):
        rest = rest.replace(p, "_")
    return not {"and", "or"} & set(rest.split())


def _contains(key: tuple, part: tuple) -> bool:
    n = len(part)
    return any(key[i:i + n] == part for i in range(len(key) - n + 1))


def _surface(series: Series) -> tuple[list[str], sparse.csr_matrix]:
    """Surface n-grams (1 to MAX_NGRAM words within a clause) and paragraphs x n-grams counts."""
    owner = [i for i, r in enumerate(series.readings) for _ in r.clauses]
    clauses = [c for r in series.readings for c in r.clauses]
    if not clauses:
        return [], sparse.csr_matrix((len(series.paragraphs), 0))
    cv = CountVectorizer(ngram_range=(1, MAX_NGRAM), token_pattern=r"(?u)[^\W_]+",
                         lowercase=False, binary=True, dtype=np.int32)
    x = cv.fit_transform(clauses)
    to_par = sparse.csr_matrix((np.ones(len(owner), dtype=np.int32), (owner, range(len(owner)))),
                               shape=(len(series.paragraphs), len(clauses)))
    return list(cv.get_feature_names_out()), (to_par @ x).tocsc()


def candidates(series: Series, *, aliases: Mapping | None = None,
               rules: Rules | None = None) -> dict[tuple, Term]:
    """Every candidate term of the series keyed by its stem key, with the paragraphs using it."""
    rules = rules or load_rules()
    alias_key = emerging.alias_key(aliases if aliases is not None else emerging.default_aliases())
    protected = _protected(alias_key)
    vocab, counts = _surface(series)
    terms: dict[tuple, Term] = {}
    best: dict[tuple, tuple] = {}
    for j, ngram in enumerate(vocab):
        if not _phrase_ok(ngram, protected):
            continue
        key = key_of(ngram)
        if not key or any(_contains(key, p) for p in rules.procedural):
            continue
        rows = counts.indices[counts.indptr[j]:counts.indptr[j + 1]]
        term = terms.setdefault(key, Term(key, ngram, "phrase" if len(key) > 1 else "word", set()))
        term.paragraphs.update(rows.tolist())
        rank = (-len(rows), len(ngram), ngram)
        if rank < best.get(key, (0,)):
            best[key], term.label = rank, ngram
    for i, reading in enumerate(series.readings):
        for name, kind in reading.names:
            key = _name_key(name)
            term = terms.setdefault(key, Term(key, name, kind, set()))
            if term.kind not in ("named", "acronym"):
                term.kind, term.label = kind, name
            term.paragraphs.add(i)
    known = {_content(t) for t in PHRASES}
    for term in terms.values():
        if term.kind == "word" and term.key[0] in known:
            term.kind = "term"
    return terms


# --- when a term emerges ------------------------------------------------------------------------

def session_counts(series: Series, terms: Iterable[Term]) -> np.ndarray:
    """terms x sessions: paragraphs of each session's text using each term."""
    of = np.array([t for t, _, _ in series.paragraphs], dtype=int)
    terms = list(terms)
    out = np.zeros((len(terms), len(series.sessions)), dtype=int)
    for i, term in enumerate(terms):
        np.add.at(out[i], of[sorted(term.paragraphs)], 1)
    return out


def _emerges(counts: np.ndarray) -> np.ndarray:
    """Per term, the index of the session it emerges at, or -1: unused before, used there,
    and used by at least half of the later texts.  Never the first session."""
    used = counts > 0
    first = np.where(used.any(axis=1), used.argmax(axis=1), -1)
    after = np.arange(counts.shape[1])[None, :] > first[:, None]
    later = after.sum(axis=1)
    kept = 2 * (used & after).sum(axis=1) >= later
    return np.where((first >= 1) & kept, first, -1)


def collocations(series: Series) -> dict[tuple[str, str], float]:
    """Dunning log-likelihood of every adjacent pair of content words (NLTK), within clauses."""
    clauses = [content_stems(_WORD.findall(c)) for r in series.readings for c in r.clauses]
    finder = BigramCollocationFinder.from_documents(clauses)
    return dict(finder.score_ngrams(BigramAssocMeasures.likelihood_ratio))


def _plain_ok(term: Term, row: np.ndarray, new_words: set[str], colloc: Mapping,
              rules: Rules) -> bool:
    """A plain phrase needs a word new at its session, two paragraphs of one text, the
    shape of a noun phrase and every pair of adjacent content words a collocation; a plain
    word is never enough."""
    if term.kind != "phrase":
        return term.kind != "word"
    if not new_words or row.max() < 2 or not rules.plain_ends_ok(term.label.split()):
        return False
    return all(colloc.get(pair, 0.0) >= G2_CRITICAL for pair in zip(term.key, term.key[1:]))


# --- listed issues and near-duplicates ----------------------------------------------------------

@lru_cache(maxsize=8)
def _issue_keys(alias_key: tuple, mentions: tuple) -> dict[tuple, str]:
    """Stem key of every alias and mention -> canonical issue id (first issue wins)."""
    issues, _ = alias_key
    out: dict[tuple, str] = {}
    for iid, _, aliases, _ in issues:
        for phrase in aliases:
            out.setdefault(key_of(phrase), iid)
    for iid, phrases in mentions:
        for phrase in phrases:
            out.setdefault(key_of(phrase), iid)
    out.pop((), None)
    return out


def issue_keys(aliases: Mapping | None = None) -> Mapping[tuple, str]:
    aliases = aliases if aliases is not None else emerging.default_aliases()
    mentions = tuple((iid, tuple(i.get("mentions", ()))) for iid, i in aliases["issues"].items())
    # read-only: the mapping is shared by every caller with the same aliases
    return MappingProxyType(_issue_keys(emerging.alias_key(aliases), mentions))


def _link(term: Term, keys: Mapping[tuple, str]) -> tuple[str, str]:
    """(issue the term is, issue it names): an alias itself, or a term holding one."""
    if term.key in keys:
        return keys[term.key], keys[term.key]
    inside = [(len(k), i) for k, i in keys.items() if _contains(term.key, k)]
    return "", (max(inside)[1] if inside else "")


def _strength(term: Term) -> tuple:
    return (KINDS.index(term.kind), -len(term.paragraphs), len(term.label), term.label)


def _merge(into: Term, other: Term) -> None:
    into.paragraphs |= other.paragraphs
    into.variants += [other.label, *other.variants]
    into.keys |= other.keys


def merge_near_duplicates(found: list[tuple[Term, int, str, str]]) -> list[tuple[Term, int, str, str]]:
    """A plain phrase goes into the listed issue whose wording holds it or is held by it, or
    into a term of its session it contains or that is used in exactly the same paragraphs."""
    out: list[tuple[Term, int, str, str]] = []
    for item in sorted(found, key=lambda x: (x[1], _strength(x[0]))):
        term, first, issue, _ = item
        home = next((o for o in out if _same(o, item)), None)
        if home is None:
            out.append(item)
        elif _fragment(home[0], term):
            _merge(term, home[0])
            out[out.index(home)] = (term, *home[1:])
        else:
            _merge(home[0], term)
    return out


def _fragment(kept: Term, longer: Term) -> bool:
    """A phrase only ever used inside a longer one is a fragment of it ("involvement of
    organized" of "involvement of organized criminal groups")."""
    return (kept.kind == longer.kind == "phrase" and kept.paragraphs == longer.paragraphs
            and len(longer.key) > len(kept.key) and _contains(longer.key, kept.key))


def _same(kept: tuple, new: tuple) -> bool:
    """Whether ``new`` (term, first, issue, related) is a near-duplicate of ``kept``."""
    a, b = kept[0], new[0]
    if b.kind != "phrase":
        return False
    if a.kind == "listed" and any(_contains(b.key, k) or _contains(k, b.key) for k in a.keys):
        return True
    return kept[1] == new[1] and (_contains(b.key, a.key) or a.paragraphs == b.paragraphs)


# --- score and provenance -----------------------------------------------------------------------

def novelty_score(r: list[int], d: list[int], start: int, *, s: float = burst.DEFAULT_S,
                  gamma: float = burst.DEFAULT_GAMMA) -> tuple[float, float, float]:
    """(score, G2, W) of a term first used at batch ``start`` (see the module docstring)."""
    if start <= 0:
        return 0.0, 0.0, 0.0
    g2 = log_likelihood(sum(r[start:]), sum(r[:start]), sum(d[start:]), sum(d[:start]))
    w = burst.burst_weight_at(r, d, start, s=s, gamma=gamma)
    return g2 / 2.0 + w, g2, w


def _has(text: str, term: Term, rules: Rules) -> bool:
    """Whether ``text`` uses the term in any of the wordings merged into it."""
    reading = read_paragraph(text, rules)
    if any(_name_key(n) in term.keys for n, _ in reading.names):
        return True
    streams = [tuple(content_stems(_WORD.findall(c))) for c in reading.clauses]
    return any(_contains(st, k) for st in streams for k in term.keys)


_WRITTEN = re.compile(r"[^\W_]+(?:[-\u2010\u2011][^\W_]+)*")


def as_written(text: str, folded: str) -> str:
    """``folded`` ("identityrelated crime") as ``text`` writes it ("identity-related crime")."""
    target = folded.split()
    found = [(m.start(), m.end(), fold(m.group(0))) for m in _WRITTEN.finditer(text)]
    n = len(target)
    for i in range(len(found) - n + 1):
        if [w for _, _, w in found[i:i + n]] == target:
            return text[found[i][0]:found[i + n - 1][1]]
    return folded


def quote(text: str, term: Term, rules: Rules | None = None) -> str:
    """The sentence (a paragraph's clause up to ";" or ".") in which the term is used."""
    rules = rules or load_rules()
    pieces = [p for p in rules.sentence_end.split(text) if p.strip()]
    return next((p.strip() for p in pieces if _has(p, term, rules)), text.strip())


def _first_wording(text: str, term: Term, rules: Rules) -> str:
    """The term's label if the first paragraph uses it, else the most specific wording merged
    into it that the paragraph uses ("forest products" before "crimes that affect ...")."""
    reading = read_paragraph(text, rules)
    streams = [tuple(content_stems(_WORD.findall(c))) for c in reading.clauses]
    names = {_name_key(n) for n, _ in reading.names}

    def used(w: str) -> bool:
        return _name_key(w) in names or any(_contains(st, key_of(w)) for st in streams if key_of(w))

    if not term.variants or used(term.label):
        return term.label
    found = [w for w in term.variants if used(w)]
    return max(found, key=lambda w: (len(key_of(w)), len(w.split()))) if found else term.label


def _row(series: Series, term: Term, first: int, issue: str, related: str,
         rules: Rules) -> dict:
    r = session_counts(series, [term])[0].tolist()
    d = series.totals.tolist()
    score, g2, w = novelty_score(r, d, first)
    para = min(i for i in term.paragraphs if series.paragraphs[i][0] == first)
    later = r[first + 1:]
    used = [t for t, n in enumerate(r) if n]
    label = _first_wording(series.paragraphs[para][2], term, rules)
    if term.kind not in ("named", "acronym"):
        written = [as_written(series.paragraphs[i][2], label) for i in sorted(term.paragraphs)]
        # prose over a title's capitals: "illicit manufacturing", not "Illicit Manufacturing"
        label = min(written, key=lambda w: (w != w.lower(), w == label))
    return {"issue": issue or emerging.slug(term.label), "label": label,
            "first_session": series.sessions[first], "first_document": series.texts[first].id,
            "first_key": series.paragraphs[para][1],
            "sessions": [series.sessions[t] for t in used], "counts": [r[t] for t in used],
            "score": score, "quote": quote(series.paragraphs[para][2], term, rules),
            "kind": term.kind, "listed_issue": related, "g2": g2, "burst": w,
            "persistence": sum(n > 0 for n in later) / len(later) if later else float("nan"),
            "variants": sorted({v for v in (term.label, *term.variants) if fold(v) != fold(label)})}


# --- the table ----------------------------------------------------------------------------------

def _first_use(terms: list[Term], counts: np.ndarray) -> dict[str, int]:
    """Session index at which every single content word is first used."""
    used = counts > 0
    return {t.key[0]: int(used[i].argmax()) for i, t in enumerate(terms)
            if len(t.key) == 1 and used[i].any()}


def _by_issue(terms: list[Term], keys: Mapping[tuple, str]) -> list[tuple[Term, str]]:
    """Terms with the terms that are aliases or mentions of one listed issue made one."""
    out: list[tuple[Term, str]] = []
    home: dict[str, Term] = {}
    for term in sorted(terms, key=lambda t: (-len(t.paragraphs), len(t.label), t.label)):
        issue = keys.get(term.key, "")
        if issue and issue in home:
            _merge(home[issue], term)
            continue
        if issue:
            term.kind = "listed"
            home[issue] = term
        out.append((term, issue))
    return out


def found_terms(series: Series, *, aliases: Mapping | None = None,
                rules: Rules | None = None) -> list[tuple[Term, int, str, str]]:
    """(term, session index it emerges at, issue it is, issue it names), near-duplicates merged."""
    rules = rules or load_rules()
    terms = list(candidates(series, aliases=aliases, rules=rules).values())
    if len(series.sessions) < 2 or not terms:
        return []
    keys = issue_keys(aliases)
    first_use = _first_use(terms, session_counts(series, terms))
    linked = _by_issue(terms, keys)
    for term, issue in linked:       # an issue's wordings longer than any n-gram count too
        if issue:
            term.keys |= {k for k, i in keys.items() if i == issue}
    counts = session_counts(series, [t for t, _ in linked])
    firsts = _emerges(counts)
    colloc = collocations(series)
    found = []
    for i in np.flatnonzero(firsts >= 0):
        (term, issue), first = linked[i], int(firsts[i])
        new_words = {k for k in term.key if first_use.get(k) == first}
        if _plain_ok(term, counts[i], new_words, colloc, rules):
            found.append((term, first, issue, issue or _link(term, keys)[1]))
    return merge_near_duplicates(found)


def detect(docs: Iterable[Resolution], *, top: int | None = DEFAULT_TOP,
           aliases: Mapping | None = None, rules: Rules | None = None) -> pd.DataFrame:
    """Emerging issues found in the texts of one series, ranked by score (best first).

    Columns: issue (the canonical id of ``emerging_aliases.toml`` when the term is
    one of its aliases or mentions, else a slug of the label), label, first_session,
    first_document, first_key (paragraph key), sessions (those whose text uses the
    term), counts (paragraphs using it in each of those), score, quote (the sentence
    of first_key using it), kind (listed / named / acronym / term / phrase),
    listed_issue (the listed issue the term is or names, "" if none), g2, burst,
    persistence (share of later texts using it; NaN at the last session), variants
    (near-duplicates merged into it).  ``top=None``: every row.
    """
    rules = rules or load_rules()
    series = series_texts(docs, rules)
    rows = [_row(series, *item, rules) for item in found_terms(series, aliases=aliases, rules=rules)]
    df = pd.DataFrame(rows, columns=COLUMNS)
    if df.empty:
        return df
    df["_n"] = df["sessions"].map(len)
    df = df.sort_values(["score", "_n", "label"], ascending=[False, False, True], kind="mergesort")
    df = df.drop(columns="_n").reset_index(drop=True)
    return df if top is None else df.head(max(top, 0)).reset_index(drop=True)


# --- series -------------------------------------------------------------------------------------

def only_series_id(docs: Iterable[Resolution]) -> str:
    """The id of a corpus holding one series, without `analytics.series`: a slug of its most
    common title."""
    titles = pd.Series([" ".join(d.title.split()) for d in docs if d.title])
    return emerging.slug(titles.value_counts().index[0]) if len(titles) else "series"


def _grouping():
    try:
        from . import series as grouping
    except ImportError:        # the series module is optional: one corpus, one series
        return None
    return grouping if hasattr(grouping, "group_series") else None


def default_series_id(docs: Iterable[Resolution]) -> str:
    """The series `series_members` reads when none is named: the largest one."""
    grouping = _grouping()
    return grouping.group_series(list(docs)).largest() if grouping else only_series_id(list(docs))


def series_members(docs: Iterable[Resolution], series_id: str | None = None) -> list[Resolution]:
    """The documents of one series: ``analytics.series`` when it is there (default: its largest
    series), else the whole corpus, whose only series ``series_id`` must then name (or omit).
    Raises LookupError for a series that is not in the corpus."""
    docs = list(docs)
    grouping = _grouping()
    if grouping is None:
        only = only_series_id(docs)
        if series_id is not None and series_id != only:
            raise LookupError(f"series {series_id!r} is not in the corpus (its only series: {only})")
        return docs
    groups = grouping.group_series(docs)
    try:
        return list(groups.members(series_id if series_id is not None else groups.largest()))
    except (KeyError, ValueError) as exc:
        raise LookupError(exc.args[0] if exc.args else f"series {series_id!r} is not in the corpus") from None
