"""How many States are parties to a convention, as each resolution states it.

A figure is read only from a construction that says so ("the number of States
parties to X has reached N", "N States have ratified or acceded to X", "N parties
have ratified X", "X has been ratified by N States", "X has N States parties").
Anything else, and anything ambiguous, yields no row: an absent figure is
honest, a wrong one is not.  Resolution symbols, dates, treaty-series volumes,
paragraph and article numbers and session ordinals never sit in those slots,
and a plausibility bound on the count guards the rest.

What counts as the total number of parties to the named treaty:

- the count of "States", "States parties", "parties" (regional organizations
  are parties too) or "Member States" that have ratified, accepted, approved,
  acceded or succeeded to it, or that it "has";
- not signatures ("191 States have signed"), nor ratifications alone or
  accessions alone, nor a bound or estimate ("more than 140", "nearly 140");
- not a part of the total: a count the sentence dates or qualifies ("since
  2010, 12 States", "an additional 12"), a count narrowed by a phrase after it
  ("12 parties in the region", "15 States parties that have reported");
- not a count shared by two treaties ("140 States have ratified X and Y",
  "X and Y have been ratified by 140 States");
- not a count of something else ("parties to 191 treaties", "the 191st meeting").

"The Convention" means the last convention named before it in the paragraph.
When the paragraph names no treaty before it (and no other convention-like
title either), it means the convention the document was last speaking of: the
one named in the nearest earlier paragraph that names any, provided that
paragraph names only that one convention (79/190 OP7 "191 parties have already
ratified or acceded to the Convention", after OP6 names the UNCAC).  A bare
"the number of States parties has reached N" never borrows from other
paragraphs: without a treaty in its own paragraph it yields nothing.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Iterable

import pandas as pd

from analytics import overrides
from analytics.numbers import NUMBER_PATTERN, parse_number
from analytics.records import Paragraph, Resolution
from analytics.text import FunctionMemo, RecordMemo

COLUMNS = ["document", "symbol", "session", "convention", "short", "parties",
           "part", "number", "key", "quote"]

LEXICON = Path(__file__).with_name("data") / "conventions.toml"
OVERRIDE_NAME = "conventions.toml"

# No treaty can have more parties than there are States (193 Members, two
# observers, a few others and a regional organization).
MAX_PARTIES = 200

_HY = "-\u2010\u2011"
_PART_ORDER = {"preambular": 0, "operative": 1}


@dataclass(frozen=True)
class Convention:
    short: str
    name: str
    kind: str              # "convention" | "protocol"
    parent: str | None     # short name of the parent convention of a protocol
    aliases: tuple[str, ...]


Conventions = tuple[Convention, ...]


def _alias_pattern(alias: str) -> str:
    # Hyphens may be lost or doubled by layouts; words may wrap anywhere.
    parts = []
    for token in alias.split():
        esc = re.escape(token).replace(r"\-", f"[{_HY}]?")
        esc = esc.replace(",", r"\s*,")
        parts.append(esc)
    return r"\s+".join(parts)


def _kind(value) -> str:
    if value not in ("convention", "protocol"):
        raise overrides.FieldError('must be "convention" or "protocol"')
    return value


CONVENTION_RULE = overrides.EntryRule(
    table="convention", kind="convention", id_key="short",
    fields={"name": (overrides.text_field, overrides.REQUIRED), "kind": (_kind, "convention"),
            "parent": (overrides.text_field, None), "aliases": (overrides.strings, ())},
    extend=("aliases",))


def read_conventions(path: str | Path = LEXICON, *, corpus_dir: str | Path | None = None) -> Conventions:
    """The conventions of a lexicon file, with a corpus folder's ``conventions.toml`` merged on
    (the rule of `analytics.overrides`, entries keyed by ``short``; ``add_aliases`` extends).
    Raises `overrides.FileProblem` (a ValueError) naming the file and line."""
    table = overrides.read_table(path, CONVENTION_RULE,
                                 override=overrides.override_path(corpus_dir, OVERRIDE_NAME))
    return tuple(Convention(short=short, name=c["name"], kind=c["kind"], parent=c["parent"],
                            aliases=tuple(c["aliases"])) for short, c in table.items())


@lru_cache(maxsize=1)
def default_conventions() -> Conventions:
    """The bundled lexicon (an immutable tuple, so one read serves every caller)."""
    return read_conventions()


def load_lexicon(path: str | Path = LEXICON) -> "_Lexicon":
    """The compiled lexicon of a conventions file (the bundled one by default)."""
    return compiled(default_conventions() if Path(path) == LEXICON else read_conventions(path))


@lru_cache(maxsize=8)
def compiled(conventions: Conventions) -> "_Lexicon":
    """The regexes (and memos) of a conventions tuple, built once per content."""
    return _Lexicon(conventions)


class _Lexicon:
    """A conventions tuple compiled: which convention a name means, the readings' patterns,
    and the memos of the texts read with them (so they never serve another lexicon)."""

    def __init__(self, conventions: Conventions):
        self.conventions = conventions
        self.by_short = {c.short: c for c in conventions}
        spellings = sorted(((a, c) for c in conventions for a in (c.name, *c.aliases)),
                           key=lambda ac: len(ac[0]), reverse=True)
        grouped = "|".join(f"(?P<a{i}>{_alias_pattern(a)})" for i, (a, _) in enumerate(spellings))
        plain = "|".join(_alias_pattern(a) for a, _ in spellings) or r"(?!x)x"
        bound_l, bound_r = r"(?<![^\W_])", r"(?![^\W\d_])"
        # one group per alias: which convention a mention names (owner of group a{i})
        self.names = re.compile(f"{bound_l}(?:{grouped or '(?!x)x'}){bound_r}", re.IGNORECASE)
        self.names_source = f"{bound_l}(?:{plain}){bound_r}"     # the same without groups, to embed
        self.owners = tuple(c for _, c in spellings)
        self._memos: dict[tuple, FunctionMemo | RecordMemo] = {}

    @cached_property
    def patterns(self) -> dict[str, re.Pattern]:
        return _patterns(self)

    @cached_property
    def shared(self) -> re.Pattern:
        """Right after a treaty reference: a second treaty that shares the count."""
        return re.compile(rf"\s*,?\s*(?:and|or|as\s+well\s+as)\s+(?:to\s+)?(?:the\s+|its\s+)?"
                          rf"(?:{self.names_source}|(?:Optional\s+)?Protocols?(?![^\W\d_])"
                          rf"|Conventions?(?![^\W\d_]))", re.IGNORECASE)

    @cached_property
    def mentions(self) -> re.Pattern:
        return re.compile(rf"(?P<named>{self.names_source})|(?P<gconv>{_GENERIC_CONV})"
                          rf"|(?P<gprot>{_GENERIC_PROT})", re.IGNORECASE)

    def memo(self, key: tuple, make):
        """The memo ``key`` of this lexicon (``make()`` builds it the first time)."""
        memo = self._memos.get(key)
        if memo is None:
            memo = self._memos[key] = make()
        return memo


def _named(lex: _Lexicon, m: re.Match) -> Convention:
    return lex.owners[int(m.lastgroup[1:])]


# --- patterns -------------------------------------------------------------

_NUM = NUMBER_PATTERN
# A count, not a share or an ordinal.
_NOT_SHARE = r"(?!\s*(?:per\s*cent|percent|%))"
# After "has reached N" the count must end its phrase: "two thirds", "one of
# the highest", "50 per cent" are not counts of parties, and "one hundred and
# fif-\nty" (a word broken by the layout) must not be read as 100.
_COUNT_END = (r"(?=\s*(?:[,;.:)(]|$)|\s+(?:States|parties|Member|countries|as|in|on|by|at|"
              r"which|with|following|since|compared|from|to\s+date)(?![^\W\d_]))")
_GENERIC_CONV = r"(?:the|that|this|said|the\s+said)\s+Convention(?![^\W\d_])(?!\s+(?:on|against|for|of)\b)"
_GENERIC_PROT = r"(?:the|that|this|said|the\s+said)\s+Protocol(?![^\W\d_])(?!\s+(?:to|against|on|for|of|relating)\b)"
_VERB = r"(?:ratified|acceded\s+to|acceded|accepted|approved|become\s+part(?:y|ies)\s+to|succeeded\s+to)"
_VERBS = rf"{_VERB}(?:\s*(?:,\s*(?:or\s+|and\s+)?|\s+or\s+|\s+and(?:/or)?\s+){_VERB})*"
_ADV = r"(?:(?:now|thus|already|so\s+far|to\s+date|further)\s+)?"
_REACH = (r"(?:reached|risen\s+to|rose\s+to|increased\s+to|grown\s+to|grew\s+to|climbed\s+to"
          r"|amounts?\s+to|amounted\s+to|stands?\s+at|stood\s+at|totals?|totalled|is|was)")
_FROM_TO = r"(?:risen|rose|increased|grown|grew|climbed)\s+from\s+" + _NUM + r"\s+to"
# "over 140 States", "nearly 140": a bound or an estimate, not the figure.
_APPROXIMATE = re.compile(r"\b(?:over|than|nearly|almost|about|approximately|some|around|least|most|"
                          r"up\s+to|roughly|close\s+to|under|below|above|exceeding|circa|c\.)\s*$",
                          re.IGNORECASE)
# Words that make "N States have ratified" a partial count, not the total.
_PARTIAL = re.compile(r"\b(?:since|during|additional|further|more|new|newly|recently|another|"
                      r"past|last|this\s+year|in\s+(?:19|20)\d\d)\b", re.IGNORECASE)
# Who is counted: regional organizations are parties too, so "191 parties"
# is as much the total as "191 States".
_COUNTED = r"(?:Member\s+States|States(?:\s+parties)?|parties)(?![^\W\d_])"
# "12 parties in the region", "140 States of the Group": a phrase right after
# the count narrows it to a subset ("in total" and "in all" do not).
_SUBSET = r"(?!\s+(?:in|from|of|within|across|among|outside)\s+(?!total\b|all\b))"


def _ref(lex: _Lexicon) -> str:
    # A convention reference, with what layouts glue to it: a footnote
    # marker ("Crime1") and a parenthetical short name ("(Palermo Convention)").
    return (rf"(?:(?:the\s+)?{lex.names_source}|{_GENERIC_CONV}|{_GENERIC_PROT})"
            r"(?:\d{1,2}(?![\d/]))?(?:\s*\([^()]{1,60}\)(?:\d{1,2}(?![\d/]))?)?")


def _patterns(lex: _Lexicon) -> dict[str, re.Pattern]:
    ref = _ref(lex)
    num = rf"(?P<num>{_NUM}){_NOT_SHARE}"
    flags = re.IGNORECASE
    return {
        # "the number of States parties to X has reached N"
        "number_of": re.compile(
            r"\bnumber\s+of\s+(?:"
            rf"(?:States\s+)?parties(?:\s+to\s+(?P<conv>{ref})|\s+thereto)?"
            # ratifications alone or accessions alone are not all the parties
            rf"|ratifications\s+(?:and|or)\s+accessions(?:\s+(?:to|of)\s+(?P<conv2>{ref}))?"
            rf"|States\s+(?:that|which)\s+(?:have|had)\s+{_VERBS}\s+(?P<conv3>{ref})"
            r")\s*,?\s+(?:(?:has|had|have)\s+)?" + _ADV +
            rf"(?:{_REACH}|{_FROM_TO})\s+(?:now\s+)?(?:a\s+total\s+of\s+)?{num}{_COUNT_END}", flags),
        # "N States have ratified or acceded to X", "N parties have already ratified X"
        "states_have": re.compile(
            rf"{num}\s+{_COUNTED}\s+(?:have|had)\s+{_ADV}{_VERBS}\s+(?P<conv>{ref})", flags),
        # "X has been ratified by N States" (X: the subject named before)
        "ratified_by": re.compile(
            rf"\b(?:has|have|had)\s+{_ADV}been\s+{_VERBS}\s+by\s+(?:a\s+total\s+of\s+)?"
            rf"{num}\s+{_COUNTED}(?!\s+Members){_SUBSET}", flags),
        # "X now has N States parties", "with N States parties to X"
        "states_parties": re.compile(
            r"\b(?:has|have|had|with|there\s+(?:are|were)|reached|totall?ing)\s+"
            rf"(?:now\s+|a\s+total\s+of\s+)?{num}\s+(?:States\s+)?parties(?![^\W\d_])"
            # "15 States parties that have reported" counts a subset
            r"(?!\s+(?:having|that|which|who|whose|have|has|had|were|are|to\s+report)\b)"
            rf"{_SUBSET}(?:\s+to\s+(?P<conv>{ref}))?", flags),
    }


# --- resolution of "the Convention" ---------------------------------------

def _mentions(text: str, lex: _Lexicon) -> list[tuple[int, int, Convention | None, str]]:
    """(start, end, convention, what) for each treaty mention; `what` is
    'named', 'gconv' or 'gprot' (generic: resolved later)."""
    out = []
    for m in lex.mentions.finditer(text):
        if m.group("named"):
            nm = lex.names.match(text, m.start())
            out.append((m.start(), m.end(), _named(lex, nm), "named"))
        else:
            out.append((m.start(), m.end(), None, m.lastgroup))
    return out


_COORDINATED = re.compile(r"[\s\d]*(?:\([^()]*\)[\s\d]*)?(?:,|,?\s*(?:and|or|as\s+well\s+as))\s+(?:to\s+)?(?:the\s+)?",
                          re.IGNORECASE)


# Stands for "the Convention" in a paragraph that names no treaty before it;
# `_settle` puts the document's convention in its place (or drops the row).
_OPEN = Convention(short="", name="", kind="convention", parent=None, aliases=())

# A convention-like title the lexicon does not know ("the Convention on
# Biological Diversity", "the Minamata Convention"): after one, "the
# Convention" may mean it, so the document's convention must not be assumed.
_OTHER_TITLE = re.compile(r"\b(?:Convention|Covenant|Treaty|Agreement)\s+(?:on|against|for|of|relating)\s"
                          r"|(?<![^\W\d_])(?!The\b)[A-Z][^\W\d_]+\s+Convention(?![^\W\d_])")


def _resolve(text: str, mentions, pos: int, want: str, lex: _Lexicon) -> Convention | None:
    """The convention a generic reference at `pos` means: the last named
    treaty of the wanted kind before it in the paragraph.  A protocol named
    with its "supplementing the ... Convention" tail also names its parent.
    Two treaties named side by side ("X and Y") leave the reference open.
    "The Convention" with nothing named before it is `_OPEN`: the document's."""
    named = [mt for mt in mentions if mt[2] is not None and mt[0] < pos]
    if not named:
        open_ = want == "convention" and not _OTHER_TITLE.search(text, 0, pos)
        return _OPEN if open_ else None
    for i in range(len(named) - 1, -1, -1):
        start, end, conv, _ = named[i]
        found = None
        if want == "any" or conv.kind == want:
            found = conv
        elif want == "convention" and conv.kind == "protocol" and conv.parent:
            # Only a title that spells out "supplementing the <parent>" names
            # the parent; a bare protocol title leaves "the Convention" open.
            parent = lex.by_short.get(conv.parent)
            if parent and re.search(_alias_pattern(parent.name), text[start:end], re.IGNORECASE):
                found = parent
            else:
                return None
        if found is None:
            continue
        if i > 0 and named[i - 1][2] != conv and _COORDINATED.fullmatch(text, named[i - 1][1], start):
            return None
        return found
    return None


# Between a treaty named as subject and "has been ratified by N States" /
# "now has N States parties": a footnote marker, a parenthetical, one
# comma-fenced aside, "which".  Anything else may be another subject
# ("the amendment to X has been ratified by ...").
_SUBJECT_GAP = re.compile(r"[\s\d]*(?:\([^()]*\)[\s\d]*)?(?:,[^,;]{0,150}(?=,))?"
                          r"(?P<rel>,?\s*(?:which|that)\b)?\s*(?:(?:now|already|so\s+far)\s+)?",
                          re.IGNORECASE)
# A treaty named as the object of a preposition ("the amendment to the X")
# is not the subject of what follows, unless a relative clause attaches to it
# after a phrase that only introduces it ("the entry into force of the X, which").
_OBJECT_OF = re.compile(r"\b(?:to|of|under|in|for|from|by|with|on|against|into|within)\s+(?:the\s+)?$",
                        re.IGNORECASE)
_INTRODUCES = re.compile(r"\b(?:entry\s+into\s+force|adoption|ratification|implementation|"
                         r"opening\s+for\s+signature)\s+of\s+(?:the\s+)?$", re.IGNORECASE)
_THERE_ARE = re.compile(r"there\s+(?:are|were)\b", re.IGNORECASE)


def _subject(text: str, mentions, pos: int, lex) -> Convention | None:
    before = [mt for mt in mentions if mt[1] <= pos]
    if not before:
        return None
    start, end, conv, what = before[-1]
    gap = _SUBJECT_GAP.fullmatch(text, end, pos)
    if not gap:
        return None
    if len(before) > 1 and _COORDINATED.fullmatch(text, before[-2][1], start):
        return None      # "X and Y have been ratified by N States": a count of neither
    lead = text[max(0, start - 60):start]
    if _OBJECT_OF.search(lead) and not (gap.group("rel") and _INTRODUCES.search(lead)):
        return None
    if conv is not None:
        return conv
    return _resolve(text, mentions, start, "protocol" if what == "gprot" else "convention", lex)


def _convention_at(text: str, span: tuple[int, int] | None, pos: int, mentions, lex,
                   kind: str = "number_of") -> Convention | None:
    if span is None and kind in ("ratified_by", "states_parties"):
        if kind == "states_parties" and _THERE_ARE.match(text, pos):
            return _resolve(text, mentions, pos, "any", lex)
        return _subject(text, mentions, pos, lex)
    if span is not None:
        ref = text[span[0]:span[1]]
        m = lex.names.search(ref)
        if m:
            return _named(lex, m)
        low = ref.lower()
        want = "protocol" if "protocol" in low else "convention"
        return _resolve(text, mentions, span[0], want, lex)
    return _resolve(text, mentions, pos, "any", lex)


# --- quoting ----------------------------------------------------------------

_ABBREV = r"(?<!\bNo)(?<!\bno)(?<!\bvol)(?<!\bvols)(?<!\bpara)(?<!\bparas)(?<!\bart)(?<!\bRev)(?<!\bsect)(?<!\bchap)(?<!\bp)(?<!\bpp)(?<!\bcf)(?<!\be\.g)(?<!\bi\.e)"
_SENTENCE_END = re.compile(rf";|{_ABBREV}\.(?=\s+[A-Z\"“]|\s*$)")


def _sentence(text: str, start: int, end: int) -> str:
    lo = 0
    for m in _SENTENCE_END.finditer(text, 0, start):
        lo = m.end()
    m = _SENTENCE_END.search(text, end)
    hi = m.start() if m else len(text)
    return " ".join(text[lo:hi].split()).strip(" ,;:")


# --- extraction -------------------------------------------------------------

def paragraph_figures(text: str, *, conventions: Conventions | None = None, max_parties: int = MAX_PARTIES,
                      context: Convention | None = None) -> list[tuple[Convention, int, str]]:
    """(convention, parties, quote) for every party count stated in one paragraph.

    ``conventions``: the lexicon (`Corpus.config.conventions`; the bundled one by default).
    `context` is the convention "the Convention" means when the paragraph names
    no treaty before it (`treaty_figures` passes the document's: see the
    module docstring); without one, such a count yields nothing."""
    return _settle(_open_figures(text, _compiled(conventions), max_parties), context)


def _compiled(conventions: Conventions | None) -> _Lexicon:
    return compiled(tuple(conventions) if conventions is not None else default_conventions())


def _settle(found, context: Convention | None) -> list[tuple[Convention, int, str]]:
    out = []
    for conv, value, quote in found:
        conv = context if conv is _OPEN else conv
        if conv is not None:
            out.append((conv, value, quote))
    return out


def _open_figures(text: str, lex: _Lexicon, max_parties: int) -> list[tuple[Convention, int, str]]:
    """`paragraph_figures` before the context: a count on "the Convention" of
    a paragraph that names no treaty carries `_OPEN`."""
    mentions = None
    found: dict[tuple[int, int], tuple[Convention | None, int, str]] = {}
    for name, pat in lex.patterns.items():
        if not _CUES[name].search(text):
            continue
        for m in pat.finditer(text):
            value = parse_number(m.group("num"))
            if value is None or not 1 <= value <= max_parties or not _is_total(text, name, m):
                continue
            if mentions is None:
                mentions = _mentions(text, lex)
            span = next((m.span(g) for g in ("conv", "conv2", "conv3")
                         if g in pat.groupindex and m.group(g)), None)
            if span is not None and lex.shared.match(text, span[1]):
                continue     # "140 States have ratified X and Y": a count of neither
            conv = _convention_at(text, span, m.start(), mentions, lex, name)
            key = m.span("num")
            prev = found.get(key)
            if prev is not None and (prev[0] != conv or prev[1] != value):
                found[key] = (None, value, "")  # two readings disagree: say nothing
                continue
            found[key] = (conv, value, _sentence(text, m.start(), m.end()))
    return [(c, v, q) for _, (c, v, q) in sorted(found.items()) if c is not None]


def _is_total(text: str, name: str, m: re.Match) -> bool:
    if _APPROXIMATE.search(text, max(0, m.start("num") - 30), m.start("num")):
        return False
    return name == "number_of" or not _partial(text, m)


# Cheap literal cues: a pattern runs only on paragraphs that contain its cue.
_CUES = {
    "number_of": re.compile(r"number\s+of", re.IGNORECASE),
    # "States have", "parties had" in any case; spelled out because an IGNORECASE
    # alternation here costs more than the pattern it guards
    "states_have": re.compile(r"[sS]\s+[hH][aA](?:[vV][eE]|[dD])\s"),
    "ratified_by": re.compile(r"\bbeen\s", re.IGNORECASE),
    "states_parties": re.compile(r"parties", re.IGNORECASE),
}


def _partial(text: str, m: re.Match) -> bool:
    """Whether the sentence up to the end of the count's clause says the count
    is only part of the total ("since 2010, 12 States have ratified")."""
    lo = max([0] + [e.end() for e in _SENTENCE_END.finditer(text, 0, m.start())])
    hi_candidates = [i for i in (text.find(c, m.end()) for c in ",;:") if i != -1]
    hi = min(hi_candidates) if hi_candidates else len(text)
    return bool(_PARTIAL.search(text[lo:hi]))


def treaty_figures(docs: Iterable[Resolution], *, conventions: Conventions | None = None,
                   max_parties: int = MAX_PARTIES) -> pd.DataFrame:
    """One row per statement of how many States are parties to a convention.

    Columns: document, symbol, session, convention (full name), short,
    parties, part, number (operative number or preambular index), key, quote.
    Rows are sorted by session, document and paragraph order.  ``conventions``: the
    lexicon (`Corpus.config.conventions`; the bundled one by default).
    """
    docs = list(docs)
    rows_of = _document_memo(_compiled(conventions), max_parties)
    rows_of.figures.map([p.text for doc in docs for p in doc.paragraphs])   # each text once
    rows = []
    for doc in docs:
        rows += rows_of(doc)
    rows.sort(key=lambda r: (r[2] if r[2] is not None else 10**6, r[0], r[10]))
    # object columns keep None for a missing symbol (pandas' str dtype would make it NaN)
    df = pd.DataFrame([r[:10] for r in rows], columns=COLUMNS, dtype=object)
    return df.astype({"session": "Int64", "parties": "int64", "number": "int64"})


def _figures_memo(lex: _Lexicon, max_parties: int) -> FunctionMemo:
    """`paragraph_figures` of a text, memoised per lexicon and bound: most paragraphs of a
    corpus are verbatim copies of a paragraph of an earlier session."""
    return lex.memo(("figures", max_parties),
                    lambda: FunctionMemo(lambda text: tuple(_open_figures(text, lex, max_parties))))


def _subjects_memo(lex: _Lexicon) -> FunctionMemo:
    return lex.memo(("subjects",), lambda: FunctionMemo(lambda text: _subject_of(text, lex)))


def _context(paragraphs, index: int, subjects: FunctionMemo) -> Convention | None:
    """The convention the document was speaking of before paragraph `index`:
    that of the nearest earlier paragraph naming any treaty, if it names one only."""
    for p in reversed(paragraphs[:index]):
        subject = subjects(p.text)
        if subject is not None:
            return subject or None
    return None


def _subject_of(text: str, lex: _Lexicon) -> Convention | None | bool:
    """The one convention a paragraph names; None if it names no treaty;
    False if it names several, a bare protocol, or a title the lexicon does not know."""
    known = [mt for mt in _mentions(text, lex) if mt[2] is not None]
    named = {_as_convention(text, mt, lex) for mt in known}
    unknown = any(not any(s <= m.start() < e for s, e, _, _ in known) for m in _OTHER_TITLE.finditer(text))
    if not named and not unknown:
        return None
    if unknown or len(named) != 1 or None in named:
        return False
    return named.pop()


def _as_convention(text: str, mention, lex: _Lexicon) -> Convention | None:
    # only a protocol title spelling out "supplementing the <parent>" names the parent
    start, end, conv, _ = mention
    if conv.kind != "protocol":
        return conv
    parent = lex.by_short.get(conv.parent)
    if parent and re.search(_alias_pattern(parent.name), text[start:end], re.IGNORECASE):
        return parent
    return None


def _document_memo(lex: _Lexicon, max_parties: int) -> RecordMemo:
    """Rows (COLUMNS, then the paragraph order) of one document, memoised per record: a
    corpus reloaded after one file changed re-reads that document only."""
    def make() -> RecordMemo:
        figures, subjects = _figures_memo(lex, max_parties), _subjects_memo(lex)

        def rows(doc: Resolution) -> tuple[tuple, ...]:
            out = []
            for i, p in enumerate(doc.paragraphs):
                found = figures(p.text)
                if any(conv is _OPEN for conv, _, _ in found):
                    found = _settle(found, _context(doc.paragraphs, i, subjects))
                out += [(doc.id, doc.symbol, doc.session, conv.name, conv.short, value, p.part,
                         _number(p), p.key, quote, (_PART_ORDER[p.part], p.index))
                        for conv, value, quote in found]
            return tuple(out)
        memo = RecordMemo(rows)
        memo.figures = figures          # the per-text memo these rows are read from
        return memo
    return lex.memo(("documents", max_parties), make)


def _number(p: Paragraph) -> int:
    return p.number if (p.part == "operative" and p.number is not None) else p.index


def latest_figures(df: pd.DataFrame) -> pd.DataFrame:
    """Per convention, the latest stated figure and its change from the previous one.

    Columns: short, convention, session, document, key, parties, previous_session,
    previous_parties, change (None when no earlier session states a figure).  Conventions
    keep the order of their first row in `df`; within one the last row by session wins.  The
    previous figure is the latest of an earlier session: a draft and its adopted text state
    the same session's figure, and "+0 since session 80" of a session-80 figure says nothing."""
    cols = ["short", "convention", "session", "document", "key", "parties",
            "previous_session", "previous_parties", "change"]
    rows = []
    for short, g in df.groupby("short", sort=False):
        g = g.sort_values("session", kind="stable")
        last = g.iloc[-1]
        earlier = g[g["session"] < last["session"]]
        prev = earlier.iloc[-1] if len(earlier) else None
        rows.append({
            "short": short, "convention": last["convention"], "session": int(last["session"]),
            "document": last["document"], "key": last["key"], "parties": int(last["parties"]),
            "previous_session": int(prev["session"]) if prev is not None else None,
            "previous_parties": int(prev["parties"]) if prev is not None else None,
            "change": int(last["parties"] - prev["parties"]) if prev is not None else None,
        })
    out = pd.DataFrame(rows, columns=cols)
    # object columns keep None beside ints: pandas would make a column with any None float,
    # NaN for the missing and 8.0 for a change of 8
    for c in ("previous_session", "previous_parties", "change"):
        out[c] = pd.Series([r[c] for r in rows], dtype=object)
    return out
