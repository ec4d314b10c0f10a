"""Hand-built documents for analysis tests (layouts and wording the seeds don't cover)."""
from __future__ import annotations

from analytics.records import Paragraph, Resolution


def make_doc(doc_id: str, pre=(), op=(), *, session: int | None = 70, kind: str = "resolution",
             symbol: str | None = None) -> Resolution:
    """A document from paragraph texts (operative numbers = positions; lead = first word)."""
    return Resolution(
        id=doc_id, symbol=symbol, session=session, year=None, date=None, kind=kind,
        title="t", sponsors=(), agenda_item=None, committee_report=None, plenary_meeting=None,
        keywords=(), source=f"{doc_id}.txt", sha256="0" * 64,
        preambular=tuple(Paragraph("preambular", i, None, t.split(" ")[0], t)
                         for i, t in enumerate(pre, 1)),
        operative=tuple(Paragraph("operative", i, i, t.split(" ")[0], t)
                        for i, t in enumerate(op, 1)),
        footnotes=())
