"""Text normalisation shared by every analysis.

Layouts disagree on hyphens ("money-laundering", "money laundering",
"moneylaundering") and quotes, so analyses match and count on *folded* text:
lower case, straight quotes, and intra-word hyphens removed.  Spaced variants
("money laundering") are handled by the lexicons listing both spellings; the
folding makes the hyphenated and hyphen-lost spellings identical.
"""
from __future__ import annotations

import gc
import re
from contextlib import contextmanager
from functools import lru_cache
from typing import Callable, Generic, Hashable, Iterable, TypeVar

# str.replace is several times faster than str.translate for a handful of characters,
# and fold() runs over every byte of the corpus.
_REPLACEMENTS = (("\u2018", "'"), ("\u2019", "'"), ("\u201c", '"'), ("\u201d", '"'),
                 ("\u2013", "-"), ("\u2014", "-"), ("\u00ad", ""), ("\u00a0", " "))
# Starts with the literal "-" so the engine jumps between hyphens; the letter before is
# checked by a look-behind that includes the hyphen itself.
_INTRAWORD_HYPHEN = re.compile(r"-(?<=[^\W\d_]-)(?=[^\W\d_])")
WORD = re.compile(r"[^\W_]+(?:['’][a-z]+)?")   # a word of folded text (public: align tokenises batches with it)
# Only runs that are not already a single space: rewriting every space is pure cost.
_SPACES = re.compile(r"[^\S ]\s*| \s+")


def fold(text: str) -> str:
    """Lower-case, straighten quotes and dashes, drop intra-word hyphens."""
    for old, new in _REPLACEMENTS:
        if old in text:
            text = text.replace(old, new)
    text = text.lower()
    if "-" in text:
        text = _INTRAWORD_HYPHEN.sub("", text)
    return _SPACES.sub(" ", text)


def words(text: str) -> list[str]:
    """Folded word tokens (letters and digits); punctuation dropped."""
    return WORD.findall(fold(text))


@lru_cache(maxsize=4096)
def phrase_pattern(phrase: str) -> re.Pattern[str]:
    """A compiled pattern matching a folded phrase on folded text at word boundaries,
    tolerating any run of white space between its words."""
    parts = [re.escape(w) for w in fold(phrase).split()]
    return re.compile(r"(?<![^\W_])" + r"\s+".join(parts) + r"(?![^\W_])")


# --- per-text memos --------------------------------------------------------------------------
# A resolution series carries most of its paragraphs verbatim from session to session: in a
# generated 10,000-document corpus 603,000 paragraphs hold only 65,000 distinct texts.  Analyses
# that are a pure function of a paragraph's text therefore compute each distinct text once, and
# keep the result for the next call in the same process (a dashboard refresh after one changed
# file then only pays for the new paragraphs).

def trie_pattern(phrases: Iterable[str], *, space: str = " ") -> str:
    r"""Regex source matching any of ``phrases`` literally, longest alternative first.

    Built as a character trie: Python's engine tries alternatives one by one, so at each node
    it tests one character of continuations instead of every phrase (a 200-word lexicon is
    ten times cheaper), and a phrase that is a prefix of a longer one is an optional greedy
    tail, so the longest phrase is tried first and shorter ones are reached by backtracking.
    ``space``: the source a space in a phrase stands for (``r"\s+"`` where line breaks and
    runs of blanks must match too).
    """
    trie: dict = {}
    for p in phrases:
        node = trie
        for ch in p:
            node = node.setdefault(ch, {})
        node[""] = {}

    def literal(chars: list[str]) -> str:
        return "".join(space if c == " " else re.escape(c) for c in chars)

    def emit(node: dict) -> str:
        branches = []
        for ch in sorted(k for k in node if k):
            child, chars = node[ch], [ch]
            # compress single-child chains into one literal run
            while len(child) == 1 and "" not in child:
                (nxt, child), = child.items()
                chars.append(nxt)
            branches.append(literal(chars) + emit(child))
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(trie)


MEMO_LIMIT = 1 << 18   # distinct texts kept per memo; past it the memo starts afresh

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class FunctionMemo(Generic[K, V]):
    """A bounded dict of results of one pure function, keyed by its (hashable) argument.

    Cleared, not evicted piecemeal, when full: a corpus either fits (and every later call
    is a hit) or it does not (and the memo costs one dict per call)."""

    def __init__(self, fn: Callable[[K], V], limit: int = MEMO_LIMIT):
        self.fn, self.limit, self.data = fn, limit, {}

    def __call__(self, key: K) -> V:
        try:
            return self.data[key]
        except KeyError:
            pass
        value = self.fn(key)
        if len(self.data) >= self.limit:
            self.data.clear()
        self.data[key] = value
        return value

    def map(self, keys: Iterable[K]) -> dict[K, V]:
        """{key: result} for the distinct keys, each computed at most once."""
        out: dict = dict.fromkeys(keys)      # distinct keys, at C speed
        data, fn = self.data, self.fn
        for k in out:
            v = data.get(k, _MISSING)
            if v is _MISSING:
                v = fn(k)
                if len(data) >= self.limit:
                    data.clear()
                data[k] = v
            out[k] = v                        # replacing a value keeps the dict's size
        return out


_MISSING = object()


class RecordMemo(Generic[K, V]):
    """A bounded memo of a pure function of one record (a `Resolution`), by identity.

    A reloaded corpus hands back the very record objects it had for unchanged files, so
    identity finds them; hashing a record instead would walk all its paragraphs each time.
    The memo holds each record it keys, so an id is never reused while its entry lives."""

    def __init__(self, fn: Callable[[K], V], limit: int = 1 << 16):
        self.fn, self.limit, self.data = fn, limit, {}

    def __call__(self, record: K) -> V:
        hit = self.data.get(id(record))
        if hit is not None and hit[0] is record:
            return hit[1]
        value = self.fn(record)
        if len(self.data) >= self.limit:
            self.data.clear()
        self.data[id(record)] = (record, value)
        return value


n_words = FunctionMemo(lambda text: len(text.split()))
"""Number of white-space separated words of a text (memoised ``len(text.split())``)."""


def word_count(doc) -> int:
    """``Resolution.word_count`` computed through the per-paragraph memo (same value)."""
    return sum(n_words(p.text) for p in doc.paragraphs)


@contextmanager
def gc_paused():
    """Pause the cyclic garbage collector around a loop that builds many acyclic objects.

    With a loaded corpus (a million tracked objects) each full collection walks them all, and
    building hundreds of thousands of rows triggers several: 10-20% of a large table's time.
    The previous state is restored, so nesting and a caller's own ``gc.disable()`` are kept."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()
