"""Body lines apart from footnotes: one routine for every layout.

A footnote starts with its number (or ``<sup>n</sup>`` in markdown) and runs on until the page
ends: in the official layout the notes sit under a ``____`` rule at the foot of each page, and
the last page's notes follow the closing plenary line.  Note numbers run in sequence, which
tells a note ("12 Ibid.") from a wrapped line that starts with a number ("12 May 2020").
"""
from __future__ import annotations

import re
from typing import NamedTuple

from .layout import NUMBER, RULE, Line
from .patterns import FOOTNOTE_MD, FOOTNOTE_PLAIN, MONTH, OP_NUMBER

MAX_GAP = 5            # a note number may skip a few (a note we failed to read), not more
_NOT_A_NOTE_TEXT = re.compile(rf"^(?:{MONTH}\b|per cent\b|and\b|or\b|to\b)")


def numeric(key: str) -> bool:
    # "¹" and "①" pass str.isdigit() but not int(); a 5,000-digit key is no note number
    return key.isascii() and key.isdigit() and len(key) <= 6


class Note(NamedTuple):
    lines: list[str]
    page: int


class Notes:
    """The document's footnotes, in printed order, with the page each was printed on."""

    def __init__(self) -> None:
        self.by_key: dict[str, Note] = {}
        self.order: list[str] = []
        self.last = 0

    def start(self, key: str, text: str, page: int) -> list[str]:
        lines = [text] if text else []
        if key not in self.by_key:
            self.by_key[key] = Note(lines, page)
            self.order.append(key)
        if numeric(key):
            self.last = max(self.last, int(key))
        return lines

    def plausible(self, key: str, text: str) -> bool:
        if not numeric(key):
            return not key.isdigit()   # "*" notes; never an exotic digit
        n = int(key)
        return self.last < n <= self.last + MAX_GAP and not _NOT_A_NOTE_TEXT.match(text)

    def pages(self) -> dict[str, int]:
        return {k: n.page for k, n in self.by_key.items()}


def split_footnotes(lines: list[Line], notes: Notes, *, tail: bool = False) -> list[Line]:
    """Collect footnotes into ``notes``; return the body lines.  In the ``tail`` (after the
    plenary line) nothing is body: lines that are not notes are dates and furniture."""
    body: list[Line] = []
    in_zone, open_note, number = tail, None, None
    for line in lines:
        if line.kind == NUMBER:
            # a note's number on a line of its own (PDFium); in the body, a footnote mark
            number = line.text if in_zone else None
            continue
        if number is not None:
            line, number = line._replace(text=f"{number} {line.text}"), None
        if line.kind != "text":
            in_zone = tail or line.kind == RULE
            open_note = None
            continue
        md = FOOTNOTE_MD.match(line.text)
        if md:
            open_note = notes.start(md.group(1), md.group(2), line.page)
            continue
        if in_zone:
            fm = FOOTNOTE_PLAIN.match(line.text)
            if fm and not OP_NUMBER.match(line.text) and notes.plausible(fm.group(1), fm.group(2)):
                open_note = notes.start(fm.group(1), fm.group(2), line.page)
                continue
            if open_note is not None:
                open_note.append(line.text)
                continue
            in_zone = tail
        if tail:
            continue
        open_note = None
        body.append(line)
    return body
