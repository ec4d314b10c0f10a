"""Pages and page furniture.

A segment of text becomes a list of `Line`s that carry the page they were printed on, with the
running heads (symbol line, short title wrapped over up to three lines, job number, page
counter, barcode) and other furniture removed.  Where the furniture stood, a `BREAK` line is
left (it ends a footnote zone); footnote rules are kept as `RULE` lines.

Pages come from form feeds (PDF route, pdftotext) and from the page counters of running heads
("2/13"), so the text route and the PDF route number pages alike.
"""
from __future__ import annotations

import re
from typing import NamedTuple

from .patterns import (FURNITURE_LINE, FURNITURE_TOKEN, LEAD_SYMBOL, MD_HEADING, PAGE_COUNTER,
                       RULE_LINE, SYMBOL_HEAD, TRAIL_SYMBOL, WS)

TEXT, RULE, BREAK, NUMBER = "text", "rule", "break", "number"
# A number alone on a line: PDFium prints footnote marks and the numbers of footnotes on
# lines of their own; old layouts print bare page numbers.  Never paragraph text.
_BARE_NUMBER = re.compile(r"^\d{1,3}$")
_NON_WORD = re.compile(r"\W+")
_FURNITURE_FIRST = frozenset("-_*=[<UDO")   # FURNITURE_LINE's branches that do not start with a digit
_CLAUSE_END = (",", ";", ":", ".", ",\u201d", ";\u201d", ".\u201d", "\u201d,", "\u201d;", "\u201d.")


class Line(NamedTuple):
    text: str
    page: int
    kind: str = TEXT


def fold(text: str) -> str:
    """Lower-case words separated by single spaces: the form running heads are matched in."""
    return _NON_WORD.sub(" ", text).strip().lower()


def clean_line(line: str) -> str:
    # cheap membership tests first: this runs on every line of the corpus
    if "#" in line:
        line = MD_HEADING.sub("", line)
    if line.endswith("\\"):
        line = line[:-1]
    if "  " in line or "\t" in line:
        line = WS.sub(" ", line)
    return line.strip()


def page_lines(segment: str, *, title: str, first_page: int = 1) -> tuple[list[Line], int]:
    """Lines of ``segment`` with their pages and without furniture; also the page it ends on."""
    raw = segment.split("\n")
    lines = [clean_line(r) for r in raw]
    furniture = _furniture_flags(lines, _Title(fold(title), " ".join(title.lower().split())))
    out: list[Line] = []
    page = first_page
    for r, line, is_furniture in zip(raw, lines, furniture):
        if r.strip() == "\f":
            page += 1
            out.append(Line("", page, BREAK))
        elif _BARE_NUMBER.match(line):
            out.append(Line(line, page, NUMBER))
        elif is_furniture:
            page = _counter_page(line, page)
            out.append(Line("", page, RULE if RULE_LINE.match(line) else BREAK))
        elif line:
            out.append(Line(line, page))
    return out, page


def _counter_page(line: str, page: int) -> int:
    for m in PAGE_COUNTER.finditer(line):
        n, total = int(m.group(1)), int(m.group(2))
        if 1 <= n <= total:
            return n
    return page


class _Title(NamedTuple):
    folded: str    # words only, for fragments wrapped anywhere
    plain: str     # lower case with its punctuation, for fragments that end in a comma


def _strict_furniture(line: str, title: _Title) -> bool:
    if not line:
        return False
    first = line[0]
    if first.isdigit() and _BARE_NUMBER.match(line):
        return False
    # a FURNITURE_LINE match starts with one of these (lines are stripped) or holds "Please":
    # most body lines are turned down without running the long alternation
    if (first in _FURNITURE_FIRST or first.isdigit() or "Please" in line) and FURNITURE_LINE.match(line):
        return True
    if "A/" in line:
        if SYMBOL_HEAD.match(line):
            return True
        m = LEAD_SYMBOL.match(line) or TRAIL_SYMBOL.match(line)
        if m:  # running head: symbol beside the short title
            frag = fold(m.group(1))
            return bool(frag) and frag in title.folded
    if line[:1].isdigit() or line[:1] in "*(":
        tokens = line.split()
        return len(tokens) > 1 and all(FURNITURE_TOKEN.match(t) for t in tokens)
    return False


def _title_fragment(line: str, title: _Title) -> bool:
    if not line or len(line) < 15 or len(line) > 300 or not title.folded:
        return False
    if line.endswith(_CLAUSE_END):
        # a head may wrap after the title's own comma ("... programme,"); a body line that
        # ends a clause the title does not ("prevention and criminal justice;") is text
        return " ".join(line.lower().split()) in title.plain
    frag = fold(line)
    return len(frag) >= 10 and frag in title.folded


def _furniture_flags(lines: list[str], title: _Title) -> list[bool]:
    """Strict furniture by pattern; a title fragment only next to other furniture (skipping
    blank lines), so a body line that happens to echo the title is kept."""
    flags = [_strict_furniture(ln, title) for ln in lines]
    strict = flags.copy()
    # a line is a candidate only if it is a title fragment and not strict furniture; it is
    # asked only beside furniture, so most lines are never folded
    candidates: dict[int, bool] = {}
    for order in (range(len(lines)), range(len(lines) - 1, -1, -1)):
        neighbour = False   # the nearest non-blank line in this direction is furniture
        for i in order:
            if not lines[i]:
                continue
            if neighbour and _candidate(i, lines, strict, title, candidates):
                flags[i] = True
            neighbour = flags[i]
    return flags


def _candidate(i: int, lines: list[str], strict: list[bool], title: _Title, seen: dict[int, bool]) -> bool:
    found = seen.get(i)
    if found is None:
        found = seen[i] = not strict[i] and _title_fragment(lines[i], title)
    return found
