"""Hyphens a layout lost: compound numbers always, the whole lexicon for texts that lost all."""
from __future__ import annotations

import itertools
import re
from functools import lru_cache
from importlib import resources

from ..text import trie_pattern
from .patterns import CARDINAL_UNITS, ORDINAL_UNITS, TENS

# Compound numbers are the one hyphen family that PDF line breaks lose even in texts that
# otherwise keep their hyphens ("Twenty-\nfirst" extracted as "Twentyfirst").
_NUMBER_COMPOUND = re.compile(r"(?i)ty(" + "|".join(
    CARDINAL_UNITS + [k for k, v in ORDINAL_UNITS.items() if v < 10]) + r")\b")
_TENS_BEFORE = re.compile(r"(?i)\b(?:twen|thir|for|fif|six|seven|eigh|nine)$")
_HYPHENATED = re.compile(r"[^\W\d_]-[^\W\d_]")
_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=1)
def hyphen_lexicon() -> dict[str, str]:
    """lower-case joined form -> lower-case hyphenated form."""
    text = resources.files("analytics").joinpath("data/hyphenated.txt").read_text(encoding="utf-8")
    forms = [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    for tens in TENS:
        forms.extend(f"{tens}-{unit}" for unit in CARDINAL_UNITS)
        forms.extend(f"{tens}-{unit}" for unit, value in ORDINAL_UNITS.items() if value < 10)
    return {f.lower().replace("-", ""): f.lower() for f in forms if "-" in f}


@lru_cache(maxsize=1)
def _hyphen_pattern() -> re.Pattern[str]:
    # \b first: the engine cannot skip ahead to a case-insensitive trie, but \b fails at once
    # inside a word (2.2x faster on texts that lost their hyphens).  A word after "-" or "_"
    # still matches \b and is turned down by the caller.
    return re.compile(r"\b(" + trie_pattern(hyphen_lexicon(), space=r"\s+") + r")(?![\w-])", re.I)


def hyphens_lost(body: str) -> bool:
    """A text that kept its hyphens has some compounds; one that lost them all has none."""
    need = max(3, len(body) // 20000)
    return body.count("-") < need or \
        sum(1 for _ in itertools.islice(_HYPHENATED.finditer(body), need)) < need


def restore_number_hyphens(text: str) -> str:
    def fix(m: re.Match[str]) -> str:
        if _TENS_BEFORE.search(text, max(0, m.start() - 6), m.start()):
            return "ty-" + m.group(1)
        return m.group(0)
    return _NUMBER_COMPOUND.sub(fix, text)


def restore_hyphens(text: str) -> str:
    lex = hyphen_lexicon()

    def fix(m: re.Match[str]) -> str:
        word = m.group(1)
        if m.start() and (text[m.start() - 1].isalnum() or text[m.start() - 1] in "-_"):
            return word
        target = lex[_SPACES.sub(" ", word.lower())]
        out, i = [], 0
        for ch in target:  # re-insert hyphens while keeping the text's own capitals
            if ch == "-":
                out.append("-")
            else:
                out.append(word[i])
                i += 1
        return "".join(out)

    return _hyphen_pattern().sub(fix, text)
