"""Raw document bytes -> `Resolution` records.

One path for every layout, in named stages (``analytics.reading``): decode (PDF pages via
PDFium), split the text at "The General Assembly," and the closing plenary line, number the
pages and drop their furniture, set footnotes apart, rebuild paragraphs from *what the text
says* (operative numbers in sequence, preambular opening phrases after a clause), and clean
each paragraph to the exact printed words.  Metadata is read from the text, never from the
file name.
"""
from __future__ import annotations

import hashlib
import re
from typing import NamedTuple

from .reading.clean import MarkContext, join_lines, strip_marks, tidy
from .reading.decode import decode
from .reading.footnotes import Notes, split_footnotes
from .reading.hyphens import hyphens_lost, restore_hyphens, restore_number_hyphens
from .reading.layout import TEXT, Line, page_lines
from .reading.metadata import Header, ordinal_value, read_header
from .reading.paragraphs import Builder, lead_of, split_inline, starts_preambular
from .reading.patterns import (ANNEX_LINE, CHAR_REPLACEMENTS, KEYWORDS, OPENER, PLENARY, PLENARY_LINE, TITLE_SYMBOL,
                               WS)
from .records import Paragraph, Resolution

__all__ = ["PARSER_VERSION", "NotAResolution", "decode", "ordinal_value", "parse_bytes", "parse_text"]

PARSER_VERSION = "4"  # bump whenever parsing output or the record classes change
# anchored at the start of a blank run: "[ \t]*\f" alone retries at every blank of a long run
_FORM_FEED = re.compile(r"(?<![ \t])[ \t]*\f[ \t]*")
_MARKS_AROUND = "*_"
_WORDS = re.compile(r"[\w-]+")
_PLENARY_WORD = re.compile("plenary", re.I)


class NotAResolution(ValueError):
    """The file is readable text but not a resolution or draft resolution."""


class Sections(NamedTuple):
    head: str
    body: str
    tail: str
    plenary: re.Match[str] | None
    warnings: tuple[str, ...]


def normalise(text: str) -> str:
    """One form for every layout's characters: newlines, hyphens, spaces, form feeds."""
    text = text.replace("\r\n", "\n")
    for char, replacement in CHAR_REPLACEMENTS:
        if char in text:
            text = text.replace(char, replacement)
    if "\f" in text:  # pdftotext glues the form feed to the next page's first line
        text = _FORM_FEED.sub("\n\f\n", text)
    return text


def split_sections(text: str) -> Sections:
    """Head (before the opener), body, tail (from the closing plenary line, annex cut off)."""
    warns: list[str] = []
    opener = OPENER.search(text)
    if opener:
        start, end = _widen(text, opener.start(), opener.end())
    else:
        start = end = _body_after_title(text)
        warns.append("no 'The General Assembly,' line: read from the title on")
    head, rest = text[:start], text[end:]
    plenary = PLENARY_LINE.search(rest) or _last_plenary(rest)
    if not plenary:
        return Sections(head, rest, "", None, tuple(warns))
    body, tail = rest[:plenary.start()], rest[plenary.start():]
    annex = ANNEX_LINE.search(tail)
    return Sections(head, body, tail[:annex.start()] if annex else tail, plenary, tuple(warns))


def _widen(text: str, start: int, end: int) -> tuple[int, int]:
    # emphasis marks around the opener ("*The General Assembly,*"), a few at most
    while start > 0 and end - start < 60 and text[start - 1] in _MARKS_AROUND:
        start -= 1
    while end < len(text) and text[end] in _MARKS_AROUND and end - start < 80:
        end += 1
    return start, end


def _last_plenary(text: str) -> re.Match[str] | None:
    # every PLENARY match holds the word, and a text without it (a draft) is common: the
    # case-insensitive literal is found at C speed, PLENARY's digits are tried everywhere
    if not _PLENARY_WORD.search(text):
        return None
    m = None
    for m in PLENARY.finditer(text):
        pass
    return m


def _body_after_title(text: str) -> int:
    """Where the body starts in a text with no opener: the first opening phrase after the
    title ("78/225. Enhancing ..." then "Reaffirming its resolution ...")."""
    title = TITLE_SYMBOL.search(text, 0, 20000)
    if not title:
        raise NotAResolution("not a resolution: no 'The General Assembly,' opening")
    pos = text.find("\n", title.end())
    while pos != -1:
        line = text[pos + 1:text.find("\n", pos + 1) if text.find("\n", pos + 1) != -1 else len(text)]
        if starts_preambular(line.strip()):
            return pos + 1
        pos = text.find("\n", pos + 1)
    raise NotAResolution("not a resolution: no 'The General Assembly,' opening")


def parse_text(text: str, *, source: str = "document.txt", sha256: str | None = None,
               warnings: tuple[str, ...] | list[str] = ()) -> Resolution:
    """Parse one document's decoded text.  Raises NotAResolution with the reason."""
    sha = sha256 or hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    text = normalise(text)
    # KEYWORDS is anchored at every line start: a text without its marker is not scanned
    keywords = tuple(k.strip() for m in KEYWORDS.finditer(text) for k in m.group(1).split("|")
                     if k.strip()) if "%%%" in text else ()
    if keywords:
        text = KEYWORDS.sub("", text)
    sections = split_sections(text)
    header = read_header(sections.head, sections.tail, raw=text, plenary=sections.plenary)
    first_page = 1 + sections.head.count("\f")
    body_lines, page = page_lines(sections.body, title=header.title, first_page=first_page)
    tail_lines, _ = page_lines(sections.tail.partition("\n")[2], title=header.title, first_page=page)
    notes = Notes()
    body_lines = split_footnotes(body_lines, notes)
    split_footnotes(tail_lines, notes, tail=True)
    builder = Builder()
    for line in split_inline([ln for ln in body_lines if ln.kind == TEXT]):
        builder.add(line)
    # pages are known from form feeds, or from running heads seen inside the body; counters in
    # trailing junk after the plenary line (ODS exports) number nothing
    paged = "\f" in text or page > first_page
    finisher = _Finisher(sections.body, notes, paged=paged, spaced="<sup>" not in text)
    return _record(header, sections, builder, notes, finisher,
                   source=source, sha=sha, keywords=keywords, warnings=list(warnings))


class _Finisher:
    """Line groups -> clean paragraph text and pages (one document's settings)."""

    def __init__(self, body: str, notes: Notes, *, paged: bool, spaced: bool) -> None:
        self.body, self._vocab = body, None
        self.paged = paged
        self.marks = MarkContext(notes.pages(), paged=paged, spaced=spaced)
        self.lost = hyphens_lost(body)
        self.restore = restore_hyphens if self.lost else restore_number_hyphens

    def vocab(self) -> set[str]:
        # the document's words, built only if some line ends with a hyphen
        if self._vocab is None:
            self._vocab = set(_WORDS.findall(self.body.lower()))
        return self._vocab

    def text(self, lines: list[Line]) -> str:
        joined, offsets = join_lines(lines, self.vocab)
        if "  " in joined or "\t" in joined:
            joined = WS.sub(" ", joined)  # collapsing keeps offsets close enough for pages
        return tidy(self.restore(strip_marks(joined, offsets, self.marks)))

    def pages(self, lines: list[Line]) -> tuple[int, ...]:
        return tuple(sorted({ln.page for ln in lines})) if self.paged else ()


def _record(header: Header, sections: Sections, builder: Builder, notes: Notes, finisher: _Finisher, *,
            source: str, sha: str, keywords: tuple[str, ...], warnings: list[str]) -> Resolution:
    warns = warnings + list(sections.warnings) + list(header.warnings)
    if finisher.lost:
        warns.append("hyphens appear to be lost in this text: restored from the compound lexicon")
    preambular = []
    for lines in builder.pre:
        s = finisher.text(lines)
        if s:
            preambular.append(Paragraph("preambular", len(preambular) + 1, None, lead_of(s), s,
                                        finisher.pages(lines)))
    operative = [Paragraph("operative", i, number, lead_of(s), s, finisher.pages(lines))
                 for i, (number, lines) in enumerate(builder.ops, 1)
                 for s in (finisher.text(lines),)]
    if not operative:
        raise NotAResolution("not a resolution: no numbered operative paragraphs after 'The General Assembly,'")
    warns.extend(f"{p.key}: no recognisable opening phrase: {p.text[:60]!r}" for p in preambular if not p.lead)
    footnotes = tuple(f"{k} {finisher.text([Line(t, n.page) for t in n.lines])}".strip()
                      for k, n in ((k, notes.by_key[k]) for k in notes.order))
    return Resolution(
        id=_make_id(header.symbol, header.session, header.kind, sha),
        symbol=header.symbol, session=header.session, year=header.year, date=header.date, kind=header.kind,
        title=finisher.restore(header.title), sponsors=header.sponsors, agenda_item=header.agenda_item,
        committee_report=header.committee_report, plenary_meeting=header.plenary_meeting,
        keywords=keywords, source=source, sha256=sha,
        preambular=tuple(preambular), operative=tuple(operative), footnotes=footnotes,
        warnings=tuple(warns), draft_symbol=header.draft_symbol,
    )


def _make_id(symbol: str | None, session: int | None, kind: str, sha: str) -> str:
    if symbol:
        return re.sub(r"[^A-Za-z0-9.]+", "-", symbol).strip("-")
    if session:
        return f"{kind}-{session}"
    return f"{kind}-{sha[:8]}"


def parse_bytes(data: bytes, *, source: str = "document.txt") -> Resolution:
    """Decode and parse one file's bytes; raises ValueError (incl. NotAResolution) with a reason."""
    sha = hashlib.sha256(data).hexdigest()
    text, warns = decode(data, source=source)
    return parse_text(text, source=source, sha256=sha, warnings=warns)
