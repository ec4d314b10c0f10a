"""Header fields, read from the head (before the opener) and the tail (from the plenary line),
never from the body: the body's "at its sixty-fourth session" is not this document's session."""
from __future__ import annotations

import datetime as dt
import re
from typing import NamedTuple

from .emphasis import strip_emphasis
from .patterns import (ADOPTED, AGENDA, ANY_RES_SYMBOL, DATE, DISTR_DATE, DRAFT_SYMBOL,
                       MONTHS, ODS_SYMBOL, ORDINAL_UNITS, REPORT, SESSION_WORDS, SPONSOR_LINE, SUBMITTED_BY,
                       SUP, TENS, TITLE_SYMBOL, WITHOUT_COMMITTEE)

_HEADING = re.compile(r"^[ \t]*#{1,6}[ \t]*", re.M)
_BLOCKS = re.compile(r"\n[ \t]*\n")
_SPACES = re.compile(r"\s+")
_SESSION_SYMBOL = re.compile(r"A/(?:RES/|C\.\d/)?(\d{1,3})/")
_DRAFT_WORDS = re.compile(r"\bdraft resolution\b", re.I)
_CONTINUED = (",", " and", " of", "(", " the")
# country names that contain " and ": a sponsor list is split at its last " and " otherwise
_AND_NAMES = ("Bosnia and Herzegovina", "Trinidad and Tobago", "Antigua and Barbuda",
              "Saint Kitts and Nevis", "Saint Vincent and the Grenadines", "Sao Tome and Principe",
              "Heard Island and McDonald Islands")


class Header(NamedTuple):
    symbol: str | None
    title: str
    kind: str
    sponsors: tuple[str, ...]
    session: int | None
    date: dt.date | None
    year: int | None
    agenda_item: str | None
    committee_report: str | None
    plenary_meeting: str | None
    draft_symbol: str | None
    warnings: tuple[str, ...]


def ordinal_value(words: str) -> int | None:
    """'Sixty-third' / 'sixtythird' / 'sixty third' -> 63."""
    w = re.sub(r"[\s-]+", "", words.lower())
    if w in ORDINAL_UNITS:
        return ORDINAL_UNITS[w]
    for tens, tv in TENS.items():
        if w.startswith(tens):
            rest = w[len(tens):]
            if rest in ORDINAL_UNITS and ORDINAL_UNITS[rest] < 10:
                return tv + ORDINAL_UNITS[rest]
    return None


def flat(text: str) -> str:
    """Markup-free text for metadata regexes."""
    text = SUP.sub(" ", text)
    text = strip_emphasis(strip_emphasis(text))
    return _HEADING.sub("", text)


def to_date(m: re.Match[str] | None) -> dt.date | None:
    if not m:
        return None
    day, month, year = m.groups()
    try:
        return dt.date(int(year), MONTHS.index(month.lower()) + 1, int(day))
    except ValueError:
        return None


def read_header(head: str, tail: str, *, raw: str, plenary: re.Match[str] | None) -> Header:
    flat_head, flat_tail = flat(head), flat(tail)
    flat_all = flat_head + "\n" + flat_tail
    symbol, title = _symbol_and_title(flat_head, head + tail, raw)
    sponsors = _sponsors(flat_head)
    is_draft = bool(sponsors) or (bool(_DRAFT_WORDS.search(flat_head)) and "Resolution adopted" not in flat_head)
    kind = "draft" if is_draft else "resolution"
    if kind == "draft" and not title:
        title = _draft_title(flat_head)
    session = _session(symbol, flat_all)
    date, warns = _date(kind, flat_head, flat_tail, flat_all, plenary)
    if symbol is None and kind == "resolution":
        warns.append("no document symbol found in the text")
    agenda, report, without = AGENDA.search(flat_all), REPORT.search(flat_all), WITHOUT_COMMITTEE.search(flat_all)
    return Header(
        symbol=symbol, title=title, kind=kind, sponsors=sponsors, session=session, date=date,
        year=date.year if date else (1945 + session if session else None),
        agenda_item=_SPACES.sub(" ", agenda.group(1)) if agenda else None,
        committee_report=report.group(2) if report else None,
        plenary_meeting=_SPACES.sub(" ", plenary.group(0)).strip(" *_#") if plenary else None,
        draft_symbol=without.group(1) if without else None, warnings=tuple(warns))


def _symbol_and_title(flat_head: str, head_and_tail: str, raw: str) -> tuple[str | None, str]:
    symbol, title = None, ""
    ts = TITLE_SYMBOL.search(flat_head)
    if ts:
        symbol, title = f"A/RES/{ts.group(1)}/{ts.group(2)}", flat_head[ts.end():]
    if symbol is None:
        ods = ODS_SYMBOL.search(raw, 0, 20000)
        heads = ANY_RES_SYMBOL.findall(head_and_tail)
        draft = DRAFT_SYMBOL.search(flat_head)
        if ods:
            symbol = ods.group(1).rstrip("*")
        elif heads:
            symbol = f"A/RES/{heads[0][0]}/{heads[0][1]}"
        elif draft:
            symbol = draft.group(1)
    return symbol, _tidy_title(title)


def _tidy_title(title: str) -> str:
    title = _SPACES.sub(" ", title).strip(" *#_")
    return re.sub(r"^\[?on the report of[^\]]{0,200}\]\s*", "", title)


def _sponsor_line(lines: list[str]) -> tuple[int, str] | None:
    """The line that ends the sponsor list ("Italy: draft resolution", "Draft resolution
    submitted by the Chair"): its index and the sponsor text on it."""
    for i, line in enumerate(lines):
        if len(line) > 4000 or "draft resolution" not in line.lower():
            continue
        chair = SUBMITTED_BY.search(line)
        if chair:
            word = chair.group(1)
            return i, word.capitalize() if word.islower() else word
        m = SPONSOR_LINE.match(line)
        if m and m.group(1).strip():
            return i, m.group(1).strip()
    return None


def _draft_title(flat_head: str) -> str:
    """A draft's title follows its sponsor line, else it is the last block of the head."""
    lines = flat_head.split("\n")
    found = _sponsor_line(lines)
    if found:
        return _tidy_title(" ".join(lines[found[0] + 1:]))
    blocks = [b for b in _BLOCKS.split(flat_head) if b.strip()]
    return _tidy_title(blocks[-1]) if blocks else ""


def _sponsors(flat_head: str) -> tuple[str, ...]:
    lines = flat_head.split("\n")
    found = _sponsor_line(lines)
    if not found:
        return ()
    index, text = found
    if SUBMITTED_BY.search(lines[index]):
        return (text,)
    first = [text]
    # a long list wraps over lines that end with a comma or an unfinished name
    for line in reversed(lines[:index]):
        line = line.strip()
        if not line or not line.endswith(_CONTINUED):
            break
        first.insert(0, line)
    return _split_sponsors(" ".join(first))


def _split_sponsors(text: str) -> tuple[str, ...]:
    items = [s.strip(" *_") for s in _SPACES.sub(" ", text).split(",")]
    items = [s for s in items if s]
    if items and " and " in items[-1] and items[-1] not in _AND_NAMES:
        head, _, last = items[-1].rpartition(" and ")
        items[-1:] = [head, last]
    return tuple(s.strip(" *_") for s in items if s.strip(" *_"))


def _session(symbol: str | None, flat_all: str) -> int | None:
    sm = _SESSION_SYMBOL.match(symbol or "")
    if sm:
        return int(sm.group(1))
    for w in SESSION_WORDS.finditer(flat_all, 0, 5000):
        value = ordinal_value(w.group(1))
        if value:
            return value
    return None


def _date(kind: str, flat_head: str, flat_tail: str, flat_all: str,
          plenary: re.Match[str] | None) -> tuple[dt.date | None, list[str]]:
    warns: list[str] = []
    adopted = to_date(ADOPTED.search(flat_head))
    plenary_date = to_date(re.search(DATE, flat_tail[:200])) if plenary else None
    if kind == "resolution":
        date = adopted or plenary_date
        if adopted and plenary_date and adopted != plenary_date:
            warns.append(f"adoption date {adopted} differs from plenary date {plenary_date}")
    else:
        date = to_date(DISTR_DATE.search(flat_all)) or adopted
    if date is None:
        warns.append("no date found in the text")
    return date, warns
