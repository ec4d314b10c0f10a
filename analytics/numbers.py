"""Cardinal numbers as resolutions print them: digits or English words.

Layouts mangle number words: the hyphen of "sixty-four" is lost
("sixtyfour", "fiftyeight"), a line break falls between words or after a
hyphen, and capitals vary.  `parse_number` reads one number expression;
`NUMBER_PATTERN` finds such expressions inside running text so that other
modules can embed it in larger patterns.

Ordinals ("first", "sixty-fourth") are not numbers here: a session ordinal
must never be read as a count, so a tens word followed by a hyphenated
letter ("sixty-fourth") does not match at all.
"""
from __future__ import annotations

import re

_UNITS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
_TEENS = ("ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen",
          "sixteen", "seventeen", "eighteen", "nineteen")
_TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")

_VALUE: dict[str, int] = {
    **{w: i for i, w in enumerate(_UNITS, 1)},
    **{w: i for i, w in enumerate(_TEENS, 10)},
    **{w: i for i, w in enumerate(_TENS, 2) for i in [i * 10]},
    "hundred": 100,
}

# Hyphen-like characters a layout may print inside "sixty-four".
_HY = "-\u2010\u2011\u00ad"
_LETTER = r"[^\W\d_]"

_UNIT = "(?:" + "|".join(_UNITS) + ")"
_TEEN = "(?:" + "|".join(_TEENS) + ")"
_TEN = "(?:" + "|".join(_TENS) + ")"
# Between "sixty" and "four": a hyphen (maybe followed by a line break), white
# space, or nothing at all (hyphen lost in extraction).
_JOIN = rf"(?:[{_HY}]\s*|\s*)"
_TWO = rf"(?:{_TEN}{_JOIN}{_UNIT}|{_TEEN}|{_TEN}|{_UNIT})"
_THREE = rf"(?:{_UNIT}\s+hundred(?:(?:\s+and)?\s+{_TWO})?)"
_WORDS = rf"(?:{_THREE}|{_TWO})"
# A word number must stand alone: no letter glued before it, no letter or
# hyphen-plus-letter after it (that would be an ordinal or a compound word).
_WORDS_BOUNDED = (rf"(?<!{_LETTER})(?<!{_LETTER}[{_HY}])"
                  rf"{_WORDS}"
                  rf"(?!{_LETTER})(?![{_HY}]\s*{_LETTER})")

_DIGITS = r"(?:\d{1,3}(?:,\d{3})+(?!\d)|\d+)"
# Digits that are part of a symbol ("46/152", "E/CN.15"), a decimal, a
# thousands group, a footnote marker glued to a word ("Crime1") or an ordinal
# ("172nd") are not a standalone number.
_DIGITS_BOUNDED = rf"(?<![\d/.,])(?<!{_LETTER}){_DIGITS}(?![\d/])(?![.,]\d)(?!{_LETTER})"

NUMBER_PATTERN: str = rf"(?i:{_WORDS_BOUNDED}|{_DIGITS_BOUNDED})"
"""Regex source (no capturing groups, flags scoped) for one number expression."""

NUMBER_RE = re.compile(NUMBER_PATTERN)

_FULL_WORDS = re.compile(rf"\s*{_WORDS}\s*", re.IGNORECASE)
_FULL_DIGITS = re.compile(rf"\s*{_DIGITS}\s*")
# Longest atoms first so "seventeen" is not read as "seven" + "teen".
_ATOM = re.compile("|".join(sorted(_VALUE, key=len, reverse=True)), re.IGNORECASE)


def parse_number(text: str) -> int | None:
    """The value of one number expression, or None if `text` is not exactly one.

    Accepts digits ("172", "1,000") and English cardinal words 1-999 in any
    case, with or without hyphens, "and", or line breaks between words.
    """
    if not isinstance(text, str):
        return None
    if _FULL_DIGITS.fullmatch(text):
        return int(text.strip().replace(",", ""))
    if not _FULL_WORDS.fullmatch(text):
        return None
    return _words_value(text)


def find_numbers(text: str) -> list[tuple[int, int, int]]:
    """Every number expression in `text` as (start, end, value)."""
    out = []
    for m in NUMBER_RE.finditer(text):
        value = parse_number(m.group())
        if value is not None:
            out.append((m.start(), m.end(), value))
    return out


def _words_value(text: str) -> int:
    # The grammar was checked by the full match, so atoms arrive as
    # [unit hundred] [tens] [unit|teen]: summing with one multiply is exact.
    total = 0
    for atom in _ATOM.findall(text):
        v = _VALUE[atom.lower()]
        total = total * 100 if v == 100 else total + v
    return total
