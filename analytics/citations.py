"""Which resolutions and decisions each resolution cites, and by which body.

Only paragraph text is read: footnotes cite treaty-series volumes and report
symbols, not the resolutions the Assembly recalls.

A citation starts at "resolution(s)" or "decision(s)" followed by a symbol
list ("46/152 of 18 December 1991, 60/1 ... 64/178 and 64/179").  The body is
what the text names just before ("Economic and Social Council resolutions",
"Commission decision", "its resolution"), or just after ("decision 16/1 of
27 April 2007 of the Commission ...", "resolution 6/2 ..., adopted by the
Conference of the Parties"), or what the symbol's shape proves (a four-digit
year before the slash is the Council's, "1373 (2001)" the Security Council's).
Bare "resolution N/M" in an Assembly text is the Assembly's own.  The body in
force continues through a list ("resolutions 2003/29 of ... on ..., 2004/34
... and 2010/19").  A citation whose body cannot be told, or whose stated
date contradicts its symbol, is left out rather than guessed.

A bare symbol that cannot be the Assembly's (a session before its thirty-first,
"resolution 9/8 of 17 December 2021") is a treaty body's or a commission's: with
no body named before it or right after it, it takes the author a later phrase of
the same sentence names ("resolution 6/2 on ..., resolution 6/3 on ... and
resolution 6/4 ..., adopted by the Conference of the States Parties at its sixth
session"; "..., entitled “...”, of the Conference of the Parties"; "the adoption
of resolution 10/12 ... by the Conference"), else the subsidiary body cited last
before it in the same sentence ("including resolutions 7/8 ... of the
Conference ..., as well as resolution 7/5").  "Of the X" after a common noun
("the work of the Conference") names no author.  A subsidiary body's resolution
dated before the body first met is left out.

Dates keep their year when a footnote mark is still glued to it ("21 May
202114" is 2021) or stands between two symbols ("2013, 24 6/2"): the reader
removes marks, and a text that still has them must give the same citations.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable

import pandas as pd

from analytics.records import Resolution
from analytics.text import MEMO_LIMIT, FunctionMemo, RecordMemo, gc_paused
from analytics.treaties import load_lexicon

COLUMNS = ["document", "symbol", "session", "cited", "body", "year", "part", "number", "key"]

GA = "General Assembly"
ECOSOC = "Economic and Social Council"
SC = "Security Council"
CCPCJ = "Commission on Crime Prevention and Criminal Justice"
CND = "Commission on Narcotic Drugs"
CHR = "Commission on Human Rights"
HRC = "Human Rights Council"
COP = "Conference of the Parties"
COSP = "Conference of the States Parties"

# How a citation is written in the `cited` column: {sym} is the symbol as printed.
_FORMAT = {
    (GA, "resolution"): "{sym}", (GA, "decision"): "GA decision {sym}",
    (ECOSOC, "resolution"): "ECOSOC {sym}", (ECOSOC, "decision"): "ECOSOC decision {sym}",
    (SC, "resolution"): "SC {sym}",
    (CCPCJ, "resolution"): "CCPCJ resolution {sym}", (CCPCJ, "decision"): "CCPCJ decision {sym}",
    (CND, "resolution"): "CND resolution {sym}", (CND, "decision"): "CND decision {sym}",
    (CHR, "resolution"): "CHR resolution {sym}", (CHR, "decision"): "CHR decision {sym}",
    (HRC, "resolution"): "HRC resolution {sym}", (HRC, "decision"): "HRC decision {sym}",
    (COP, "resolution"): "COP {sym}", (COP, "decision"): "COP decision {sym}",
    (COSP, "resolution"): "COSP {sym}", (COSP, "decision"): "COSP decision {sym}",
}
# Symbol shapes each body uses: "year" = 2007/12, "session" = 46/152, "sc" = 1373 (2001).
_SHAPES = {GA: {"session", "special"}, ECOSOC: {"year"}, SC: {"sc"}, CCPCJ: {"session"},
           CND: {"session"}, CHR: {"year"}, HRC: {"session", "special"}, COP: {"session"},
           COSP: {"session"}}

_MONTH = (r"(?:January|February|March|April|May|June|July|August|September|October|"
          r"November|December)")
_SYM = (r"(?<![\w/.\-])(?:"
        r"(?P<sc>\d{1,4})\s*\((?P<scy>(?:19|20)\d\d)\)"
        r"|(?P<special>(?:S|ES)-\d{1,2}/\d{1,3})"
        r"|(?P<a>\d{1,4})/(?P<b>\d{1,4})(?:\s(?P<suffix>[A-H])(?![\w/\-]))?"
        r")(?![\w/])")
# A year may carry a footnote mark glued to it ("21 May 202114": 2021, mark
# 14) until the reader removes it: a date's year is its first four digits.
_DATE = (rf"(?:,?\s+also)?\s+of\s+\d{{1,2}}(?:\s*(?:and|to|-|–)\s*\d{{1,2}})?\s+{_MONTH}\s+"
         rf"(?P<year>(?:19|20)\d\d)\d{{0,3}}(?!\d)")
_ITEM = re.compile(rf"{_SYM}(?:{_DATE})?")
# A footnote mark the reader has not removed may stand alone between two
# symbols of a list ("29 November 2013, 24 6/2 and 6/3").
_MARK = r"(?:\d{1,3}\s+(?=\d{1,4}/))?"
_SEP = re.compile(rf"\s*,\s*{_MARK}(?:and\s+)?|\s+(?:and|or|to)\s+")
_TRIGGER = re.compile(r"(?<![\w-])(?P<kind>resolution|decision)s?\s+(?=(?:\d|E?S-\d))", re.IGNORECASE)
_GENERIC_WORD = re.compile(r"Commission|Council|Conference")
_CONTINUE = re.compile(rf"(?:,\s*{_MARK}(?:and\s+)?|\s+and\s+)(?=\d)")


def _body_alts(conv: str) -> list[tuple[str, str]]:
    """(regex, body) for every way a body is named, longest first.
    'Commission', 'Council' and 'Conference' alone resolve to the last one
    named in full in the document."""
    # "to the United Nations Convention on Transnational Organized Crime" (80/227,
    # misprinted) still names the treaty body, not some other organ
    conf_tail = (rf"(?:\s+to\s+(?:the\s+)?(?:{conv}|(?:United\s+Nations\s+)?Convention"
                 r"(?:\s+(?:on|against)(?:\s+[A-Z][\w-]*)+)?))?")
    return [
        (r"General\s+Assembly", GA),
        (r"Economic\s+and\s+Social\s+Council", ECOSOC),
        (r"Security\s+Council", SC),
        (r"Human\s+Rights\s+Council", HRC),
        (r"Commission\s+on\s+Crime\s+Prevention\s+and\s+Criminal\s+Justice", CCPCJ),
        (r"Commission\s+on\s+Narcotic\s+Drugs", CND),
        (r"Commission\s+on\s+Human\s+Rights", CHR),
        (rf"Conference\s+of\s+(?:the\s+)?States\s+Parties{conf_tail}", COSP),
        (rf"Conference\s+of\s+the\s+Parties{conf_tail}", COP),
        (r"(?<=the\s)Assembly", GA),
        (r"Commission", "Commission"),
        (r"Council", "Council"),
        (r"Conference", "Conference"),
    ]


@dataclass(frozen=True)
class _Patterns:
    before: re.Pattern       # body named right before the trigger
    its_owner: re.Pattern    # "<body> in its resolution"
    chain: re.Pattern        # "<body> resolutions, in particular resolutions"
    chain_of: re.Pattern     # "all resolutions and decisions of the <body>, including resolutions"
    after_of: re.Pattern     # "decision 16/1 of 27 April 2007 of the Commission"
    adopted_by: re.Pattern   # "..., adopted by the Conference of the Parties"
    further: re.Pattern      # "adopted by / by / of the <body>" later in the sentence
    full_names: re.Pattern   # bodies named in full, to resolve "the Commission"
    organ: re.Pattern        # some other organ right before the trigger: unknown body
    names: list[str]         # body for group g{i}


def _build() -> _Patterns:
    conv = load_lexicon().names_source
    alts = _body_alts(conv)
    names = [b for _, b in alts]
    body = "|".join(f"(?P<g{i}>{rx})" for i, (rx, _) in enumerate(alts))
    full = "|".join(f"(?P<g{i}>{rx})" for i, (rx, b) in enumerate(alts)
                    if b not in ("Commission", "Council", "Conference"))
    trig = r"(?:resolutions?|decisions?)"
    lead = r"(?:in\s+particular|including|especially|notably|inter\s+alia)"
    return _Patterns(
        before=re.compile(rf"(?<![\w-])(?:{body})(?:['’]s)?\s*$"),
        its_owner=re.compile(rf"(?<![\w-])(?:{body})(?:\s*,)?(?:\s+(?!its\b)[a-z]+){{0,3}}\s+its\s*$"),
        chain=re.compile(rf"(?<![\w-])(?:(?:{body})|(?P<its>its))\s+{trig}\s*,?\s*{lead}\s*,?\s*$"),
        chain_of=re.compile(rf"(?<![\w-]){trig}(?:\s+and\s+{trig})?\s+of\s+the\s+(?:{body})"
                            rf"\s*,?\s*{lead}\s*,?\s*$"),
        after_of=re.compile(rf"\s*,?\s*(?:of|by)\s+the\s+(?:{body})(?![\w-])"),
        adopted_by=re.compile(rf"\b(?:adopted|taken|approved)\s+by\s+the\s+(?:{body})(?![\w-])"),
        further=re.compile(rf"(?:\b(?P<adopted>adopted|taken|approved)\s+by|\b(?P<by>by)|\b(?P<of>of))"
                           rf"\s+the\s+(?:{body})(?![\w-])"),
        full_names=re.compile(rf"(?<![\w-])(?:{full})(?![\w-])"),
        organ=re.compile(rf"(?:\b(?:Assembly|Council|Commission|Conference|Committee|Board|Organization|"
                         rf"Forum|Congress|Union|Group|Summit|Meeting|Parties)|\b[A-Z]{{2,}})(?:['’]s)?\s*$"),
        names=names,
    )


@lru_cache(maxsize=1)
def _patterns() -> _Patterns:
    return _build()


def _body_of(m: re.Match, p: _Patterns) -> str:
    return p.names[int(next(k for k, v in m.groupdict().items() if v and k.startswith("g"))[1:])]


# --- one paragraph ----------------------------------------------------------

@dataclass
class _Item:
    start: int
    sym: str
    shape: str
    year: int | None          # stated: date year, SC year, or ECOSOC symbol year
    date_year: int | None     # the year of the date printed after it
    session: int | None       # N of N/M


@dataclass
class _DocState:
    """Bodies named in full so far in the document, to resolve 'the Commission'.
    Paragraphs without citations are scanned only if a later one needs them."""
    last: dict = field(default_factory=dict)   # "Commission"/"Council"/"Conference" -> body
    pending: list = field(default_factory=list)
    session: int | None = None                 # of the citing document
    deps: list | None = None                   # when a list: every lookup and its answer

    def note(self, names: list[tuple[int, str]]) -> None:
        self.note_bodies(full for _, full in names)

    def note_bodies(self, fulls: Iterable[str]) -> None:
        self._flush()
        for full in fulls:
            self.last[_GENERIC_OF.get(full, full)] = full

    def lookup(self, generic: str) -> str | None:
        self._flush()
        found = self.last.get(generic)
        if self.deps is not None:
            self.deps.append((generic, found))
        return found

    def _flush(self) -> None:
        if self.pending:
            texts, self.pending = self.pending, []
            for text in texts:
                for full in _full_names(text):
                    self.last[_GENERIC_OF.get(full, full)] = full


_GENERIC_OF = {CCPCJ: "Commission", CND: "Commission", CHR: "Commission",
               ECOSOC: "Council", SC: "Council", HRC: "Council", COP: "Conference", COSP: "Conference"}


def _item(m: re.Match) -> _Item:
    g = m.groupdict()
    date_year = int(g["year"]) if g.get("year") else None
    if g["sc"]:
        return _Item(m.start(), f"{int(g['sc'])} ({g['scy']})", "sc", int(g["scy"]), date_year, None)
    if g["special"]:
        return _Item(m.start(), g["special"], "special", date_year, date_year, None)
    a, b = g["a"], g["b"]
    sym = f"{a}/{b}" + (f" {g['suffix']}" if g["suffix"] else "")
    if len(a) == 4:
        return _Item(m.start(), sym, "year", int(a), date_year, None)
    return _Item(m.start(), sym, "session", date_year, date_year, int(a))


def _parse_list(text: str, pos: int) -> tuple[list[_Item], int]:
    items: list[_Item] = []
    m = _ITEM.match(text, pos)
    end = pos
    while m:
        items.append(_item(m))
        end = m.end()
        s = _SEP.match(text, end)
        if not s:
            break
        nxt = _ITEM.match(text, s.end())
        if not nxt:
            break
        # "2012/12 to 2012/19": both endpoints are recorded, nothing between
        m = nxt
    _share_dates(items)
    return items, end


def _share_dates(items: list[_Item]) -> None:
    """"64/178 and 64/179 of 18 December 2009": one date for a run of
    symbols of the same session (or Council year); never across sessions."""
    for i in range(len(items) - 2, -1, -1):
        it, nxt = items[i], items[i + 1]
        if it.date_year is not None or nxt.date_year is None or it.shape != nxt.shape:
            continue
        if it.shape == "session" and it.session == nxt.session:
            it.date_year = it.year = nxt.date_year
        elif it.shape == "year" and it.year == nxt.date_year:
            it.date_year = nxt.date_year


def _explicit_body(text: str, start: int, seg_start: int, state: _DocState,
                   pos_names: list[tuple[int, str]], p: _Patterns) -> str | None | bool:
    """Body named right before a trigger at `start`; None if none named;
    False if some other, unknown organ is named there."""
    pre = text[max(seg_start, start - 300):start]
    m = p.chain.search(pre)
    if m:
        if m.group("its"):
            return _its_owner(pre[:m.start("its") + 3], start, state, pos_names, p)
        return _generic(_body_of(m, p), start, state, pos_names)
    m = p.before.search(pre) or p.chain_of.search(pre)
    if m:
        return _generic(_body_of(m, p), start, state, pos_names)
    if re.search(r"\bits\s*$", pre):
        return _its_owner(pre, start, state, pos_names, p)
    if p.organ.search(pre):
        return False
    return None


def _its_owner(pre: str, start: int, state, pos_names, p: _Patterns) -> str | None | bool:
    m = p.its_owner.search(pre)
    if m:
        return _generic(_body_of(m, p), start, state, pos_names)
    return GA


def _generic(body: str, pos: int, state: _DocState, pos_names) -> str | None:
    if body not in ("Commission", "Council", "Conference"):
        return body
    for at, full in reversed(pos_names):
        if at < pos and _GENERIC_OF.get(full) == body:
            return full
    return state.lookup(body)


# Assembly resolutions are numbered "session/number" from the thirty-first
# session (1976) on; the Council's "year/number" from 1978 on.
_FIRST_GA_SESSION = 31
_FIRST_ECOSOC_YEAR = 1978
# The year each session-numbered subsidiary body first met.
_FIRST_YEAR = {CCPCJ: 1992, HRC: 2006, COP: 2004, COSP: 2006}


def _ga_ok(it: _Item, citing_session: int | None) -> bool:
    if it.shape != "session":
        return True
    if it.session is None or it.session < _FIRST_GA_SESSION:
        return False
    if citing_session is not None and it.session > citing_session:
        return False     # nothing cites a resolution of a later session
    # Session N of the Assembly opens in September 1945+N and closes in 1946+N.
    return it.date_year is None or 1945 + it.session <= it.date_year <= 1946 + it.session


def _resolve_body(it: _Item, body: str | None, citing_session: int | None = None) -> str | None:
    if it.shape == "sc":
        return SC
    if it.shape == "year":
        if it.year is None or it.year < _FIRST_ECOSOC_YEAR:
            return None
        if body in (None, GA, "Council"):
            return ECOSOC
        return body if body in (ECOSOC, CHR) else None
    if body is None:
        return None
    if it.shape not in _SHAPES.get(body, ()):
        return None
    if body == GA and not _ga_ok(it, citing_session):
        return None
    if it.date_year is not None and it.date_year < _FIRST_YEAR.get(body, 0):
        return None      # dated before the body first met: not its resolution
    return body


def _cited(body: str, kind: str, sym: str) -> str | None:
    fmt = _FORMAT.get((body, kind))
    return fmt.format(sym=sym) if fmt else None


def paragraph_citations(text: str, state: _DocState | None = None, *,
                        session: int | None = None) -> list[tuple[str, str, int | None]]:
    """(cited, body, year) for each citation in one paragraph, in text order.
    `session` is the citing document's (a later session cannot be cited)."""
    state = state if state is not None else _DocState(session=session)
    return _finish(_scan(text, state), state.session)


# (start, cited, body, year, session of a cited Assembly "N/M" symbol or None), sorted by start
_Entry = tuple[int, str, str, "int | None", "int | None"]


def _finish(entries: Iterable[_Entry], citing_session: int | None) -> list[tuple[str, str, int | None]]:
    """Drop Assembly resolutions of sessions after the citing one, then repeats."""
    seen, result = set(), []
    for _, c, b, y, cited_session in entries:
        if cited_session is not None and citing_session is not None and cited_session > citing_session:
            continue     # nothing cites a resolution of a later session
        if c not in seen:
            seen.add(c)
            result.append((c, b, y))
    return result


def _need(it: _Item, body: str) -> int | None:
    # the one check of `_resolve_body` that depends on the citing session (see `_ga_ok`)
    return it.session if body == GA and it.shape == "session" else None


def _scan(text: str, state: _DocState) -> list[_Entry]:
    """The citations of one paragraph before the citing-session check, and the document
    state updated with the bodies it names.  Depends on the text and on the answers of
    ``state.lookup`` only (which `_cached_scan` relies on)."""
    p = _patterns()
    triggers = list(_TRIGGER.finditer(text))
    if not triggers:
        if _GENERIC_WORD.search(text):
            state.pending.append(text)
        return []
    pos_names = [(m.start(), _body_of(m, p)) for m in p.full_names.finditer(text)]
    out: list[_Entry] = []
    prev_end = 0
    for ti, t in enumerate(triggers):
        kind = t.group("kind").lower()
        items, end = _parse_list(text, t.end())
        if not items:
            continue
        _date_before(text, t.start(), items[0])
        limit = triggers[ti + 1].start() if ti + 1 < len(triggers) else len(text)
        body = _trigger_body(text, triggers, ti, items, (prev_end, end), out, state, pos_names)
        if body is False:
            prev_end = end
            continue
        for it in items:
            b = _resolve_body(it, body, None)
            if b and (c := _cited(b, kind, it.sym)):
                out.append((it.start, c, b, it.year, _need(it, b)))
        if body:
            # the body in force runs on through ", 2004/34 of ... and 2010/19"
            for c in _continuation(text, end, limit, body, kind, None):
                out.append(c)
        prev_end = end
    state.note(pos_names)
    return sorted(out, key=lambda r: r[0])


def _trigger_body(text: str, triggers, ti: int, items: list[_Item], ends: tuple[int, int],
                  out: list[_Entry], state: _DocState, pos_names) -> str | None | bool:
    """The body of the symbols after trigger `ti` (`ends`: where the previous list and
    this one end); False if some other, unknown organ is named before it."""
    p = _patterns()
    prev_end, end = ends
    t = triggers[ti]
    body = _explicit_body(text, t.start(), prev_end, state, pos_names, p)
    if body is not None:
        return body
    limit = triggers[ti + 1].start() if ti + 1 < len(triggers) else len(text)
    body = _body_after(text, end, limit, state, pos_names, p)
    if body is None and _not_assembly(items):
        body = (_body_further(text, t.start(), end, triggers[ti + 1:], state, pos_names)
                or _sentence_body(text, t.start(), out))
    if body is None and any(it.shape == "session" for it in items):
        body = GA  # bare "resolution N/M" in an Assembly text is its own
    return body


def _not_assembly(items: list[_Item]) -> bool:
    # "resolution 9/8 of 17 December 2021" cannot be the Assembly's (sessions
    # before the thirty-first were not numbered so): some treaty body's or commission's
    return all(it.shape == "session" and not _ga_ok(it, None) for it in items)


# "the adoption on 29 November 2013 of resolution 5/6 ... by the Conference"
_ADOPTION = re.compile(rf"\badoption(?:\s+on\s+\d{{1,2}}\s+{_MONTH}\s+(?P<year>(?:19|20)\d\d))?\s+of\s*$")


def _date_before(text: str, start: int, first: _Item) -> None:
    """"the adoption on 29 November 2013 of resolution 5/6": the date printed
    before the symbol is its date when none follows it."""
    m = _ADOPTION.search(text, max(0, start - 60), start)
    if m and m.group("year") and first.date_year is None and first.shape in ("session", "special"):
        first.date_year = first.year = int(m.group("year"))


# the word before "of the <body>": lower case is a common noun ("the work of the Conference")
_WORD_BEFORE = re.compile(r"([^\W\d_][\w’'-]*)\s*$")


def _body_further(text: str, start: int, end: int, later, state, pos_names) -> str | None:
    """For symbols that cannot be the Assembly's: the body a later phrase of the
    same sentence names as their author, "adopted by the X" (a group of
    resolutions "..., adopted by the Conference at its sixth session"), "of the X"
    after a title or a date (not "the work of the X"), or "by the X" after "the
    adoption of".  The search stops at a symbol whose own body is named."""
    p = _patterns()
    stop = _sentence_end(text, end)
    for t2 in later:
        if t2.start() >= stop or _owns_body(text, t2.start(), p):
            stop = min(stop, t2.start())
            break
    adoption = _ADOPTION.search(text, max(0, start - 60), start) is not None
    for m in p.further.finditer(text, end, stop):
        if m.group("by") and not adoption:
            continue
        if m.group("of"):
            word = _WORD_BEFORE.search(text, max(0, m.start() - 40), m.start())
            if word and word.group(1)[0].islower():
                continue
        return _generic(_body_of(m, p), m.start(), state, pos_names)
    return None


def _owns_body(text: str, pos: int, p: _Patterns) -> bool:
    pre = text[max(0, pos - 300):pos]
    return bool(p.chain.search(pre) or p.chain_of.search(pre) or p.before.search(pre)
                or re.search(r"\bits\s*$", pre) or p.organ.search(pre))


def _sentence_end(text: str, pos: int) -> int:
    i = text.find(";", pos)
    return i if i != -1 else len(text)


# Bodies whose resolutions are numbered "session/number" like the Assembly's.
_SUBSIDIARY = (CCPCJ, CND, HRC, COP, COSP)


def _sentence_body(text: str, start: int, out: list[_Entry]) -> str | None:
    """The subsidiary body cited last before `start` in the same sentence: "including
    resolutions 7/8 ... of the Conference ..., as well as resolution 7/5" (79/190 OP43)."""
    lo = text.rfind(";", 0, start) + 1
    for entry in reversed(out):
        if lo <= entry[0] < start and entry[2] in _SUBSIDIARY:
            return entry[2]
    return None


def _text_info(text: str) -> tuple[bool, bool, tuple[str, ...]]:
    """(has a trigger, names a Commission/Council/Conference, bodies named in full in order)."""
    p = _patterns()
    # Both patterns open with a look-behind, so the engine tries every position: a plain
    # `in` test first rules out most texts (nine in ten name no body in full) at C speed.
    fulls = tuple(_body_of(m, p) for m in p.full_names.finditer(text)) if _may_name(text) else ()
    return (_may_trigger(text) and _TRIGGER.search(text) is not None,
            _GENERIC_WORD.search(text) is not None, fulls)


# Every full name of `_body_alts` holds one of these words, spelt so (the pattern is case-sensitive).
_FULL_NAME_WORDS = ("Assembly", "Council", "Commission", "Conference")
# The only characters besides ASCII letters that `_TRIGGER` (case-insensitive) takes for a
# letter of "resolution"/"decision" (checked over all of Unicode): with none of them in a
# text, its lower-case form shows whether the trigger word can occur at all.
_CASE_ODD = ("\u0130", "\u0131", "\u017f")


def _may_name(text: str) -> bool:
    return any(w in text for w in _FULL_NAME_WORDS)


def _may_trigger(text: str) -> bool:
    if any(c in text for c in _CASE_ODD):
        return True
    low = text.lower()
    return "resolution" in low or "decision" in low


_INFO = FunctionMemo(_text_info)
_SCANS: dict[str, list] = {}     # text -> [(lookups and answers, entries), ...]


def _full_names(text: str) -> tuple[str, ...]:
    return _INFO(text)[2]


def _cached_scan(text: str, state: _DocState, fulls: tuple[str, ...]) -> tuple[_Entry, ...]:
    """`_scan` of a text with a trigger (``fulls``: its `_text_info`), with the result kept per
    text and per answers of the document-state lookups it made: a paragraph carried verbatim
    into another document is resolved once, unless the bodies it leaves to the context
    ("the Commission") resolve differently there."""
    variants = _SCANS.get(text)
    if variants:
        for deps, entries in variants:
            if all(state.lookup(g) == found for g, found in deps):
                state.note_bodies(fulls)
                return entries
    state.deps = []
    try:
        entries = tuple(_scan(text, state))
        deps = tuple(state.deps)
    finally:
        state.deps = None
    if variants is None:
        if len(_SCANS) >= MEMO_LIMIT:
            _SCANS.clear()
        variants = _SCANS[text] = []
    if len(variants) < 16:
        variants.append((deps, entries))
    return entries


def _body_after(text: str, end: int, limit: int, state, pos_names, p: _Patterns) -> str | None:
    m = p.after_of.match(text, end)
    if m:
        return _generic(_body_of(m, p), end, state, pos_names)
    stop = min([limit] + [i for i in (text.find(";", end),) if i != -1])
    nxt = _ITEM.search(text, end, stop)
    stop = nxt.start() if nxt else stop
    m = p.adopted_by.search(text, end, stop)
    if m:
        return _generic(_body_of(m, p), m.start(), state, pos_names)
    return None


def _continuation(text: str, end: int, limit: int, body: str, kind: str, citing_session: int | None):
    pos = end
    while True:
        m = _CONTINUE.search(text, pos, limit)
        if not m:
            return
        items, stop = _parse_list(text, m.end())
        if not items or stop > limit:
            pos = m.end()
            continue
        for it in items:
            if it.shape in _SHAPES.get(body, ()) and (b := _resolve_body(it, body, citing_session)) == body:
                if c := _cited(b, kind, it.sym):
                    yield (it.start, c, b, it.year, _need(it, b))
        pos = stop


# --- corpus -----------------------------------------------------------------

_PART_ORDER = {"preambular": 0, "operative": 1}


def citations(docs: Iterable[Resolution], *, parts: tuple[str, ...] = ("preambular", "operative")
              ) -> pd.DataFrame:
    """One row per (paragraph, cited resolution or decision).

    Columns: document, symbol, session, cited, body, year (when stated),
    part, number (operative number or preambular index), key.
    """
    docs = list(docs)
    rows = []
    with gc_paused():     # many small acyclic results: collections would walk the whole corpus
        _INFO.map([p.text for doc in docs for p in doc.paragraphs])   # each distinct text once
        for doc in docs:
            rows += [r for r in _DOC_ROWS(doc) if r[6] in parts]
    rows.sort(key=lambda r: (r[2] if r[2] is not None else 10**6, r[0], r[9]))
    rows = [r[:9] for r in rows]
    # object columns keep None for a missing symbol (pandas' str dtype would make it NaN)
    df = pd.DataFrame(rows, columns=COLUMNS, dtype=object)
    return df.astype({"session": "Int64", "year": "Int64", "number": "int64"})


def _document_rows(doc: Resolution) -> tuple[tuple, ...]:
    """Rows of one document for every part, each ending with its (part, index) order."""
    rows = []
    state = _DocState(session=doc.session)
    known = _INFO.data.get    # `citations` mapped every text: a plain lookup, no call per paragraph
    for p in doc.paragraphs:
        has_trigger, generic, fulls = known(p.text) or _INFO(p.text)
        if not has_trigger:
            if generic:     # may name the body a later "the Commission" means
                state.pending.append(p.text)
            continue
        entries = _cached_scan(p.text, state, fulls)
        if not entries:
            continue
        for cited, body, year in _finish(entries, doc.session):
            rows.append((doc.id, doc.symbol, doc.session, cited, body, year, p.part,
                         p.number if (p.part == "operative" and p.number is not None) else p.index,
                         p.key, (_PART_ORDER[p.part], p.index)))
    return tuple(rows)


# per record: a corpus reloaded after one file changed re-reads that document only
_DOC_ROWS = RecordMemo(_document_rows)


def citation_counts(df: pd.DataFrame, *, by: str = "documents") -> pd.DataFrame:
    """How often each resolution is cited: columns cited, body, documents
    (distinct citing documents), mentions (citing paragraphs), first_session,
    last_session; sorted by `by` ("documents" or "mentions") descending, then cited."""
    cols = ["cited", "body", "documents", "mentions", "first_session", "last_session"]
    if df.empty:
        return pd.DataFrame(columns=cols).astype({"documents": "int64", "mentions": "int64",
                                                  "first_session": "Int64", "last_session": "Int64"})
    g = df.groupby(["cited", "body"], sort=False)
    out = g.agg(documents=("document", "nunique"), mentions=("key", "size"),
                first_session=("session", "min"), last_session=("session", "max")).reset_index()
    other = "mentions" if by == "documents" else "documents"
    out = out.sort_values([by, other, "cited"], ascending=[False, False, True], kind="stable")
    return out.reset_index(drop=True).astype({"documents": "int64", "mentions": "int64",
                                              "first_session": "Int64", "last_session": "Int64"})


# --- a series' own predecessors -------------------------------------------------------------

CHAIN_COLUMNS = ["cited", "symbol", "cited_session", "cited_by", "citing_session", "in_corpus", "note"]
TITLE_SHARE = 0.7        # share of the series title's words the text after a symbol must name
TITLE_WINDOW = 260       # characters after a cited symbol where "on <title>" is looked for
_TITLE_WORD = re.compile(r"[a-z]{4,}")


def ga_symbol(cited: str) -> str:
    """The document symbol of an Assembly resolution as `citations` writes it: "62/175" -> "A/RES/62/175"."""
    return f"A/RES/{cited}"


def title_words(title: str) -> set[str]:
    return set(_TITLE_WORD.findall(title.lower()))


def names_title(text: str, symbol: str, words: set[str]) -> bool:
    """Whether the text right after ``symbol`` ("62/175 of 18 December 2007 on strengthening ...")
    names most of the series title: how a resolution recalls its own predecessor."""
    if not words:
        return False
    for m in re.finditer(rf"(?<![\w/]){re.escape(symbol)}(?![\w/])", text):
        window = set(_TITLE_WORD.findall(text[m.end():m.end() + TITLE_WINDOW].lower()))
        if len(words & window) >= TITLE_SHARE * len(words):
            return True
    return False


def series_predecessors(rows: pd.DataFrame, *, documents: Iterable[Resolution], series,
                        series_id: str | None) -> pd.DataFrame:
    """Assembly resolutions of series ``series_id`` that the citations ``rows`` recall.

    A cited resolution is the series' own when it is in ``documents`` (the corpus) and the
    `SeriesIndex` ``series`` puts it in that series, or, when it is not in the corpus, when
    the citing paragraph names the series title right after the symbol.  One row per cited
    resolution (its first citation in ``rows``), by cited session; columns `CHAIN_COLUMNS`.
    ``documents`` must hold every document of ``rows``.
    """
    if not series_id or rows.empty:
        return pd.DataFrame(columns=CHAIN_COLUMNS)
    docs = list(documents)
    by_id = {d.id: d for d in docs}
    by_symbol = {d.symbol: d for d in docs if d.symbol}
    words = title_words(series.title_of(series_id))
    out: dict[str, dict] = {}
    for r in rows[rows["body"] == GA].itertuples():
        if r.cited in out:
            continue
        cited, citing = by_symbol.get(ga_symbol(r.cited)), by_id[r.document]
        ours = (series.series_of(cited.id) == series_id) if cited is not None else \
            names_title(citing.paragraph(r.key).text, r.cited, words)
        if ours:
            out[r.cited] = _chain_row(r, citing, cited)
    return pd.DataFrame(list(out.values()), columns=CHAIN_COLUMNS).sort_values("cited_session", kind="stable")


def _chain_row(r, citing: Resolution, cited: Resolution | None) -> dict:
    head = r.cited.split("/")[0]
    symbol = ga_symbol(r.cited)
    return {"cited": r.cited, "symbol": symbol, "cited_session": int(head) if head.isdigit() else None,
            "cited_by": citing.cite(r.key), "citing_session": r.session, "in_corpus": cited is not None,
            "note": f"in the corpus ({cited.id})" if cited is not None else f"add {symbol} to see it"}
