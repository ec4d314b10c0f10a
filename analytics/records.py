"""Frozen records produced by the reader and consumed by every analysis.

Analyses never see files: they see `Resolution` records, so a new layout only
ever touches `analytics.reader`.
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field, fields, replace
from typing import Callable, Iterable, Literal, NamedTuple

Part = Literal["preambular", "operative"]
PARTS: tuple[Part, Part] = ("preambular", "operative")


class Paragraph(NamedTuple):
    """One paragraph.  A named tuple rather than a dataclass: a large corpus holds hundreds of
    thousands of them, and tuples build and unpickle two to three times faster."""
    part: Part
    index: int            # 1-based position within its part
    number: int | None    # printed operative number; None for preambular paragraphs
    lead: str             # opening phrase as written, e.g. "Recalling also", "Reiterates its request"
    text: str             # whole clean paragraph, starting with its lead
    pages: tuple[int, ...] = ()   # printed pages it spans (layouts with pages); () when unknown

    @property
    def key(self) -> str:
        """Stable, human-readable reference such as ``PP3`` or ``OP24``."""
        if self.part == "operative":
            return f"OP{self.number if self.number is not None else self.index}"
        return f"PP{self.index}"

    def to_dict(self) -> dict:
        d = {"lead": self.lead, "text": self.text, "pages": list(self.pages)}
        if self.part == "operative":
            d = {"number": self.number, **d}
        return d


@dataclass(frozen=True, slots=True)
class Resolution:
    id: str
    symbol: str | None
    session: int | None
    year: int | None
    date: _dt.date | None         # adoption (plenary) date; distribution date for a draft
    kind: str                     # "resolution" | "draft"
    title: str
    sponsors: tuple[str, ...]
    agenda_item: str | None
    committee_report: str | None
    plenary_meeting: str | None
    keywords: tuple[str, ...]
    source: str                   # file name inside the corpus folder
    sha256: str
    preambular: tuple[Paragraph, ...]
    operative: tuple[Paragraph, ...]
    footnotes: tuple[str, ...]
    warnings: tuple[str, ...] = field(default=())
    # symbol of the draft a resolution was adopted from, when the text names it
    # ("adopted without reference to a Main Committee (A/78/L.6)")
    draft_symbol: str | None = None
    # A record read from the cache's pack leaves its two paragraph slots unset and keeps
    # here what builds them: a warm start of 10,000 documents then makes 10,000 objects,
    # not 600,000 paragraphs nobody may read (`deferred`).  None once they are built.
    _body: Callable[[], tuple[tuple[Paragraph, ...], tuple[Paragraph, ...]]] | None = field(
        default=None, init=False, repr=False, compare=False)

    def __reduce__(self):
        return (Resolution, tuple(getattr(self, f) for f in FIELDS))

    def __getattr__(self, name: str):
        # Python calls this only when normal lookup fails: here, an unset paragraph slot.
        if name not in _DEFERRED:
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        body = object.__getattribute__(self, "_body")
        if body is None:   # another thread built them between the failed lookup and now
            return object.__getattribute__(self, name)
        pre, op = body()
        # slots before the body is dropped: a thread that then finds no body finds the slots
        object.__setattr__(self, "preambular", pre)
        object.__setattr__(self, "operative", op)
        object.__setattr__(self, "_body", None)
        return pre if name == "preambular" else op

    @classmethod
    def deferred(cls, values: Iterable, body: Callable[[], tuple[tuple, tuple]]) -> "Resolution":
        """A record from the values of `FIELDS` (the paragraph ones ignored, e.g. ``()``) whose
        paragraphs ``body()`` builds on first use.  ``body`` may run more than once (two
        threads at a time), so it must give equal paragraphs every time."""
        rec = cls(*values)
        for name in _DEFERRED:
            object.__delattr__(rec, name)
        object.__setattr__(rec, "_body", body)
        return rec

    def evolve(self, **changes) -> "Resolution":
        """`dataclasses.replace` that leaves unbuilt paragraphs unbuilt."""
        body = object.__getattribute__(self, "_body")
        if body is None or not changes.keys().isdisjoint(_DEFERRED):
            return replace(self, **changes)
        values = [changes.get(f, ()) if f in _DEFERRED else changes.get(f, getattr(self, f)) for f in FIELDS]
        return Resolution.deferred(values, body)

    @property
    def paragraphs(self) -> tuple[Paragraph, ...]:
        return self.preambular + self.operative

    @property
    def text(self) -> str:
        """Clean body text (paragraphs only: no title, footnotes or furniture)."""
        return "\n\n".join(p.text for p in self.paragraphs)

    @property
    def word_count(self) -> int:
        return sum(len(p.text.split()) for p in self.paragraphs)

    @property
    def label(self) -> str:
        """Short name for charts: the symbol, or what the draft is."""
        if self.symbol:
            return self.symbol
        what = "draft" if self.kind == "draft" else "resolution (no symbol)"
        return f"{_ordinal(self.session)} session {what}" if self.session else f"{what} {self.id}"

    def paragraph(self, key: str) -> Paragraph | None:
        return next((p for p in self.paragraphs if p.key == key), None)

    def cite(self, key: str) -> str:
        """Where a quote can be checked in the printed document: "A/RES/78/229, para. 7, p. 4"."""
        p = self.paragraph(key)
        if p is None:
            return f"{self.label}, {key}"
        where = f"para. {p.number}" if p.part == "operative" else f"preambular para. {p.index}"
        return f"{self.label}, {where}" + (f", {page_label(p.pages)}" if p.pages else "")

    def to_dict(self, *, with_text: bool = True) -> dict:
        d = {
            "id": self.id,
            "symbol": self.symbol,
            "session": self.session,
            "year": self.year,
            "date": self.date.isoformat() if self.date else None,
            "kind": self.kind,
            "title": self.title,
            "sponsors": list(self.sponsors),
            "agenda_item": self.agenda_item,
            "committee_report": self.committee_report,
            "plenary_meeting": self.plenary_meeting,
            "keywords": list(self.keywords),
            "source": self.source,
            "sha256": self.sha256,
            "warnings": list(self.warnings),
            "draft_symbol": self.draft_symbol,
        }
        if with_text:
            d["preambular"] = [p.to_dict() for p in self.preambular]
            d["operative"] = [p.to_dict() for p in self.operative]
            d["footnotes"] = list(self.footnotes)
        else:
            d["preambular"] = len(self.preambular)
            d["operative"] = len(self.operative)
        return d

    @classmethod
    def from_dict(cls, d: dict) -> "Resolution":
        return cls(
            id=d["id"], symbol=d["symbol"], session=d["session"], year=d["year"],
            date=_dt.date.fromisoformat(d["date"]) if d["date"] else None,
            kind=d["kind"], title=d["title"], sponsors=tuple(d["sponsors"]),
            agenda_item=d["agenda_item"], committee_report=d["committee_report"],
            plenary_meeting=d["plenary_meeting"], keywords=tuple(d["keywords"]),
            source=d["source"], sha256=d["sha256"],
            preambular=tuple(Paragraph("preambular", i, None, p["lead"], p["text"],
                                       tuple(p.get("pages", ())))
                             for i, p in enumerate(d["preambular"], 1)),
            operative=tuple(Paragraph("operative", i, p["number"], p["lead"], p["text"],
                                      tuple(p.get("pages", ())))
                            for i, p in enumerate(d["operative"], 1)),
            footnotes=tuple(d["footnotes"]), warnings=tuple(d["warnings"]),
            draft_symbol=d.get("draft_symbol"),
        )


# The record's own fields, in constructor order (not the cache slot `_body`).
FIELDS = tuple(f.name for f in fields(Resolution) if f.init)
_DEFERRED = ("preambular", "operative")


@dataclass(frozen=True, slots=True)
class Problem:
    """A file that could not be read as a resolution, and why (one line for the user)."""
    source: str
    reason: str

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"


_KIND_ORDER = {"draft": 0, "resolution": 1}


def sort_key(doc: Resolution) -> tuple:
    return (doc.session if doc.session is not None else 10**6,
            _KIND_ORDER.get(doc.kind, 2),
            doc.date or _dt.date.max, doc.id)


def representative(docs: Iterable[Resolution]) -> dict[int, Resolution]:
    """One text per session for session-level series (themes, drift).

    The adopted resolution is what the Assembly said; a draft stands in for a
    session only when no adopted text of that session is in the corpus.  Within
    a kind the latest-dated text wins (a reissue supersedes the original).
    """
    best: dict[int, Resolution] = {}
    for d in sorted(docs, key=sort_key):
        if d.session is None:
            continue
        cur = best.get(d.session)
        if cur is None or sort_key(d)[1:3] >= sort_key(cur)[1:3]:
            best[d.session] = d
    return dict(sorted(best.items()))


def page_label(pages: tuple[int, ...]) -> str:
    """"p. 4" or "pp. 4\u20135": where to check a paragraph in the printed PDF ("" if unknown)."""
    if not pages:
        return ""
    return f"p. {pages[0]}" if len(pages) == 1 else f"pp. {pages[0]}\u2013{pages[-1]}"


def _ordinal(n: int | None) -> str:
    if n is None:
        return "?"
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"
