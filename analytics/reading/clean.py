"""Paragraph line groups -> the exact text a careful reader copies from the page.

Lines are joined (a line-final hyphen of a compound keeps its hyphen and takes no space),
markup and footnote marks are removed, spacing is normalised.  A number is a footnote mark only
if that footnote is printed on the same page, or (glued to a word, as repeat references are)
on an earlier one: real numbers are never removed for looking like marks.
"""
from __future__ import annotations

import bisect
import re
from typing import Callable

from .layout import Line
from .emphasis import strip_emphasis
from .patterns import (COUNT_WORDS, PLURAL_COUNT_WORDS, GLUED_BEFORE, GLUED_MARK, QUOTE_SPACE, SPACE_BEFORE_PUNCT,
                       SPACED_MARK, SUP, WS, YEAR_MARK)

_WORD_END = re.compile(r"([^\W\d_]+)-$")
_WORD_START = re.compile(r"[^\W\d_]+")
_SUSPENDED = ("and ", "or ", "to ", "nor ")
_PREV_WORD = re.compile(r"([A-Za-z]+)$")
_RANGE_AFTER = re.compile(r"(?: (?:and|or|to) \d|, \d|[-\u2013]\d| ?[;:.,)(]|$)")
_DIGIT = re.compile(r"\d")
_LOOKBACK = 40          # context read before a candidate mark (bounded: a 1 MB line stays linear)


class MarkContext:
    """Which numbers are footnote marks in this document.

    ``pages`` maps a note key to the page it was printed on.  ``paged`` says whether the
    layout has pages at all; without them (markdown, ODS) a printed note number is a mark
    wherever it is glued, and a spaced number only right after "word," or "thereto"."""

    def __init__(self, pages: dict[str, int], *, paged: bool, spaced: bool) -> None:
        self.pages, self.paged, self.spaced = pages, paged, spaced
        self.last = 0          # highest mark of the paragraphs finished so far
        self._seen = 0

    def allows(self, digits: str, page: int, *, glued: bool) -> bool:
        note_page = self.pages.get(digits)
        if note_page is None:
            # a layout whose notes we could not read: the old context rules decide alone
            return not self.pages and not self.paged and (not glued or int(digits) <= 99)
        # a first reference comes in sequence; only glued marks repeat an earlier note
        if not glued and int(digits) <= self.last:
            return False
        if self.paged and not (note_page == page or (glued and note_page < page)):
            return False
        self._seen = max(self._seen, int(digits))
        return True

    def next_paragraph(self) -> None:
        self.last = max(self.last, self._seen)


def join_lines(lines: list[Line], vocab: Callable[[], set[str]]) -> tuple[str, list[tuple[int, int]]]:
    """One string, and (offset, page) for each line so a character's page can be looked up."""
    parts: list[str] = []
    offsets: list[tuple[int, int]] = []
    size = 0
    for line in lines:
        text = line.text
        if not text:
            continue
        if parts:
            sep = _separator(parts[-1], text, vocab)
            if sep == "unhyphen":
                parts[-1] = parts[-1][:-1]
                size -= 1
                sep = ""
            parts.append(sep)
            size += len(sep)
        offsets.append((size, line.page))
        parts.append(text)
        size += len(text)
    return "".join(parts), offsets


def _separator(previous: str, text: str, vocab: Callable[[], set[str]]) -> str:
    if not previous.endswith("-") or previous.endswith(" -"):
        return " "
    if text.startswith(_SUSPENDED):
        return " "   # "gender-" / "and age-sensitive": a suspended hyphen keeps its space
    head, tail = _WORD_END.search(previous), _WORD_START.match(text)
    if head and tail and text[:1].islower():
        # UN style does not break words at line ends, so a line-end hyphen is a compound's
        # hyphen, unless the document writes the word solid elsewhere and never hyphenated
        solid = (head.group(1) + tail.group(0)).lower()
        words = vocab()
        if solid in words and f"{head.group(1).lower()}-{tail.group(0).lower()}" not in words:
            return "unhyphen"
    return ""


def page_at(offsets: list[tuple[int, int]], pos: int) -> int:
    i = bisect.bisect_right(offsets, (pos, 10**9)) - 1
    return offsets[max(i, 0)][1] if offsets else 0


def strip_marks(text: str, offsets: list[tuple[int, int]], ctx: MarkContext) -> str:
    """Remove the footnote marks of one paragraph (paragraphs are given in document order)."""
    # every mark pattern needs a digit (YEAR_MARK a "19" or "20"): most paragraphs skip all three
    if _DIGIT.search(text):
        if "19" in text or "20" in text:
            text = YEAR_MARK.sub(lambda m: _year(m, offsets, ctx), text)
        text = GLUED_MARK.sub(lambda m: _glued(m, text, offsets, ctx), text)
        if ctx.spaced:
            text = SPACED_MARK.sub(lambda m: _spaced(m, text, offsets, ctx), text)
    ctx.next_paragraph()
    return text


def _year(m: re.Match[str], offsets, ctx: MarkContext) -> str:
    # "201629": the year 2016 and mark 29, only when note 29 is printed on this page
    year, digits = m.group(1), m.group(2)
    page = page_at(offsets, m.start(2))
    if not ctx.paged or ctx.pages.get(digits) != page or not ctx.allows(digits, page, glued=True):
        return m.group(0)
    return year


def _glued(m: re.Match[str], text: str, offsets, ctx: MarkContext) -> str:
    digits, start = m.group(1), m.start(1)
    before = text[start - 1]     # asserted by the pattern, not consumed
    if before not in GLUED_BEFORE:
        return m.group(0)
    if before == "," and start >= 2 and text[start - 2].isdigit() and len(digits) == 3:
        return m.group(0)  # thousands separator: "1,000"
    if before not in ",;:)]\"\u201d\u2019" and _reference_like(text, start, before):
        return m.group(0)
    if not ctx.allows(digits, page_at(offsets, start), glued=True):
        return m.group(0)
    return ""


def _reference_like(text: str, start: int, before: str) -> bool:
    # after a letter or full stop the digits may belong to a reference such as "E/CN.15",
    # "Rev.1", "No.5" or a code like "G77": keep them
    lo = max(0, start - _LOOKBACK)
    word_start = max(text.rfind(" ", lo, start), text.rfind("\n", lo, start), lo - 1) + 1
    word = text[word_start:start]
    return ("/" in word or any(ch.isdigit() for ch in word) or (before == "." and len(word) <= 5)
            or (word[:1].isupper() and word.isupper()))


def _spaced(m: re.Match[str], text: str, offsets, ctx: MarkContext) -> str:
    digits = m.group(1)
    head = text[max(0, m.start() - _LOOKBACK):m.start()]
    prev = _PREV_WORD.search(head)
    word = prev.group(1).lower() if prev else ""
    if word in COUNT_WORDS or (word in PLURAL_COUNT_WORDS and _RANGE_AFTER.match(text, m.end(1))):
        return m.group(0)  # "paragraph 3 of", "paragraphs 10 and 11": a reference, not a mark
    after = text[m.end(1) + 1:m.end(1) + 2]
    if after.isupper() and not head.endswith((",", ")", "\u201d")):
        return m.group(0)  # "Crime 10 Conference": only after a comma is that a mark
    if not ctx.paged and not (re.search(r"[A-Za-z]{3},$", head) or head.endswith("thereto")):
        return m.group(0)
    if not ctx.allows(digits, page_at(offsets, m.start(1)), glued=False):
        return m.group(0)
    return ""


def tidy(text: str) -> str:
    """Markup out, spacing as printed: one space, none before punctuation or inside quotes."""
    if "<" in text:
        text = SUP.sub("", text)
    if "*" in text or "_" in text:
        text = strip_emphasis(strip_emphasis(text))
        if text.count("*") <= 2 and (text.rstrip().endswith("*") or text.lstrip().startswith("*")):
            text = text.replace("*", "")
    if "  " in text or "\t" in text:
        text = WS.sub(" ", text)
    if " ," in text or " ;" in text or " :" in text or " ." in text:
        text = SPACE_BEFORE_PUNCT.sub(r"\1", text)
    if "\u201c " in text or " \u201d" in text:
        text = QUOTE_SPACE.sub(lambda m: m.group(1) or m.group(2), text)
    return text.strip()

