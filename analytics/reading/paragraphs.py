"""Body lines -> paragraph line groups, from what the text says.

Operative paragraphs start at the next number in sequence ("paragraph 2." inside a sentence
never splits one, nor do the items "1." to "7." of an agenda printed inside paragraph 11);
preambular paragraphs start at an opening phrase after a line that ends a clause, whether or
not a blank line comes first (the PDF route has none).
"""
from __future__ import annotations

import re

from .layout import Line
from .emphasis import strip_emphasis
from .patterns import (INLINE_OP, LEAD_END_FUNCTION_WORDS, LEAD_FIRST, LEAD_TAIL,
                       NOT_A_LEAD, OP_NUMBER, PRE_SPLIT, PREAMBULAR_ADJECTIVES, SUP)

_TRAILING_MARK = re.compile(r"(?<=[,;:.\u201d)])[ ]?\d{1,3}$")
_EMPHASISED_START = re.compile(r"^[*_]+[A-Z]")
ONE_LINE_LIMIT = 3      # a body of at most this many lines is a one-line layout
LONG_LINE = 5000        # a line this long holds several paragraphs (ODS exports)


def lead_of(text: str) -> str:
    m = LEAD_FIRST.match(text)
    if not m:
        return ""
    end = m.end()
    tail = LEAD_TAIL.match(text, end)
    lead = text[:tail.end() if tail else end]
    # "by", "of", "that" introduce the object: they are never the last word of a lead.
    return LEAD_END_FUNCTION_WORDS.sub("", lead).strip()


def starts_preambular(text: str) -> bool:
    m = LEAD_FIRST.match(text)
    if not m or not text[:1].isupper():
        return False
    first = m.group(1)
    if m.start(1) > 0 and first[:1].isupper():
        return False  # "Also Recalling" is not a lead; "Deeply concerned" is
    if first in NOT_A_LEAD:
        return False
    return first.endswith(("ing", "ed")) or first in PREAMBULAR_ADJECTIVES


class Builder:
    """Accumulates body lines into preambular and operative paragraphs."""

    def __init__(self) -> None:
        self.pre: list[list[Line]] = []
        self.ops: list[tuple[int, list[Line]]] = []
        self.current: list[Line] | None = None

    @property
    def next_number(self) -> int:
        return self.ops[-1][0] + 1 if self.ops else 1

    def _previous_ends_clause(self) -> bool:
        if not self.current:
            return True
        last = SUP.sub("", self.current[-1].text).rstrip("*_ ")
        last = _TRAILING_MARK.sub("", last)
        # a preambular paragraph ends with a comma; after ";" comes the next item of a list
        # ("... against Cybercrime;" / "Strengthening International Cooperation ...")
        return last.endswith((",", ":", "."))

    def add(self, line: Line) -> None:
        m = OP_NUMBER.match(line.text)
        if m and int(m.group(1)) == self.next_number:
            rest = line.text[m.end():]
            self.current = [line._replace(text=rest)] if rest else []
            self.ops.append((int(m.group(1)), self.current))
            return
        if self.current is None or (not self.ops and self._opens_preambular(line.text)):
            self.current = [line]
            self.pre.append(self.current)
            return
        self.current.append(line)

    def _opens_preambular(self, text: str) -> bool:
        marked = "*" in text or "_" in text
        if marked and _EMPHASISED_START.match(text):
            return True
        plain = strip_emphasis(text) if marked else text
        return starts_preambular(plain) and self._previous_ends_clause()


def split_inline(lines: list[Line]) -> list[Line]:
    """Put each paragraph of a one-line layout on its own line.

    Operative numbers are only split in sequence (so "paragraph 2. " never splits),
    preambular leads only after a comma and only before the first operative number.
    """
    one_line = len(lines) <= ONE_LINE_LIMIT
    out: list[Line] = []
    for line in lines:
        if not one_line and len(line.text) < LONG_LINE:
            out.append(line)
            continue
        out.extend(line._replace(text=t) for t in _split_line(line.text))
    return out


def _split_line(text: str) -> list[str]:
    expected, pieces, last = 1, [], 0
    for m in INLINE_OP.finditer(text):
        if int(m.group(1)) == expected:
            pieces.append(text[last:m.start()])
            last = m.start() + 1
            expected += 1
    pieces.append(text[last:])
    if expected == 1:
        return _split_preamble(text)
    return _split_preamble(pieces[0]) + [p.strip() for p in pieces[1:] if p.strip()]


def _split_preamble(text: str) -> list[str]:
    parts, last = [], 0
    for m in PRE_SPLIT.finditer(text):
        if starts_preambular(text[m.end():m.end() + 60]):
            parts.append(text[last:m.start() + 1])
            last = m.end()
    parts.append(text[last:])
    return [p.strip() for p in parts if p.strip()]
