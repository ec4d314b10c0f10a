"""Text normalisation shared by every analysis.

Layouts disagree on hyphens ("money-laundering", "money laundering",
"moneylaundering") and quotes, so analyses match and count on *folded* text:
lower case, straight quotes, and intra-word hyphens removed.  Spaced variants
("money laundering") are handled by the lexicons listing both spellings; the
folding makes the hyphenated and hyphen-lost spellings identical.
"""
from __future__ import annotations

import re
from functools import lru_cache

# str.replace is several times faster than str.translate for a handful of characters,
# and fold() runs over every byte of the corpus.
_REPLACEMENTS = (("\u2018", "'"), ("\u2019", "'"), ("\u201c", '"'), ("\u201d", '"'),
                 ("\u2013", "-"), ("\u2014", "-"), ("\u00ad", ""), ("\u00a0", " "))
# Starts with the literal "-" so the engine jumps between hyphens; the letter before is
# checked by a look-behind that includes the hyphen itself.
_INTRAWORD_HYPHEN = re.compile(r"-(?<=[^\W\d_]-)(?=[^\W\d_])")
_WORD = re.compile(r"[^\W_]+(?:['’][a-z]+)?")
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
    return _WORD.findall(fold(text))


@lru_cache(maxsize=4096)
def phrase_pattern(phrase: str) -> re.Pattern[str]:
    """A compiled pattern matching a folded phrase on folded text at word boundaries,
    tolerating any run of white space between its words."""
    parts = [re.escape(w) for w in fold(phrase).split()]
    return re.compile(r"(?<![^\W_])" + r"\s+".join(parts) + r"(?![^\W_])")
