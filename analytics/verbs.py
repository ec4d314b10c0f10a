"""What the Assembly does in each text: the verbs that open its paragraphs.

A lead as written ("Also requests", "Takes note with appreciation",
"Reiterates its request") says the same act as its plain verb: intensity
adverbs and "with appreciation" tails are style, and "reiterates its request"
is a request.  `verb_profile` counts the plain verbs; `lead_profile` keeps
the leads as written.
"""
from __future__ import annotations

import re
from typing import Iterable

import pandas as pd

from analytics.records import PARTS, Resolution
from analytics.text import Memo, RecordMemo

# Words that intensify or sequence an act without changing it.
ADVERBS = frozenset("""
also further furthermore again once more strongly firmly urgently deeply gravely seriously
fully hereby finally equally likewise similarly moreover earnestly kindly respectfully
repeatedly solemnly emphatically warmly sincerely particularly especially
""".split())

# Multi-word verbs kept whole (first words after adverbs are dropped), folded.
PHRASAL = {
    ("takes", "note"): "Takes note", ("taking", "note"): "Taking note",
    ("takes", "into", "account"): "Takes into account",
    ("taking", "into", "account"): "Taking into account",
    ("takes", "into", "consideration"): "Takes into consideration",
    ("taking", "into", "consideration"): "Taking into consideration",
    ("calls", "upon"): "Calls upon", ("calls", "on"): "Calls upon",
    ("calling", "upon"): "Calling upon", ("calling", "on"): "Calling upon",
    ("draws", "attention"): "Draws attention", ("drawing", "attention"): "Drawing attention",
    ("bears", "in", "mind"): "Bears in mind", ("bearing", "in", "mind"): "Bearing in mind",
    ("pays", "tribute"): "Pays tribute", ("paying", "tribute"): "Paying tribute",
    ("expresses",): "Expresses", ("expressing",): "Expressing",
}

# "Reiterates its request" is a request: the noun after a verb of repetition
# names the act repeated.
_REPEAT_VERBS = {"reiterates": "operative", "renews": "operative", "repeats": "operative",
                 "reiterating": "preambular", "renewing": "preambular", "repeating": "preambular"}
_REPEATED_ACT = {
    "request": ("Requests", "Requesting"), "requests": ("Requests", "Requesting"),
    "call": ("Calls upon", "Calling upon"), "calls": ("Calls upon", "Calling upon"),
    "appeal": ("Appeals", "Appealing"), "invitation": ("Invites", "Inviting"),
    "encouragement": ("Encourages", "Encouraging"), "recommendation": ("Recommends", "Recommending"),
    "support": ("Supports", "Supporting"), "commitment": ("Commits", "Committing"),
    "appreciation": ("Expresses", "Expressing"), "concern": ("Expresses", "Expressing"),
    "gratitude": ("Expresses", "Expressing"), "condemnation": ("Condemns", "Condemning"),
}
_WORD = re.compile(r"[^\W\d_]+")


def canonical_verb(lead: str) -> str:
    """The plain verb of a lead: "Also requests" -> "Requests",
    "Reiterates its request" -> "Requests", "Takes note with appreciation"
    -> "Takes note", "Further invites" -> "Invites"."""
    words = [w.lower() for w in _WORD.findall(lead)]
    if "with" in words[1:]:
        words = words[:words.index("with", 1)]   # "with appreciation", "with concern"
    words = [w for w in words if w not in ADVERBS] or words
    if not words:
        return lead.strip()
    if words[0] in _REPEAT_VERBS:
        rest = [w for w in words[1:] if w not in ("its", "their", "the")]
        act = _REPEATED_ACT.get(rest[0]) if rest else None
        if act:
            return act[0] if _REPEAT_VERBS[words[0]] == "operative" else act[1]
    for n in (3, 2, 1):
        hit = PHRASAL.get(tuple(words[:n]))
        if hit:
            return hit
    return words[0].capitalize()


_VERB_OF = Memo(canonical_verb)   # a corpus writes a few dozen distinct leads


def _verb_counts(doc: Resolution, paragraphs) -> tuple[tuple, ...]:
    counts: dict[str, int] = {}
    for p in paragraphs:
        v = _VERB_OF(p.lead)
        if v:   # a paragraph the reader found no lead for has no verb to count
            counts[v] = counts.get(v, 0) + 1
    return tuple((doc.id, doc.symbol, doc.session, v, n) for v, n in counts.items())


# per record and part: a corpus reloaded after one file changed recounts that document only
_ROWS = {True: RecordMemo(lambda doc: _verb_counts(doc, doc.operative)),
         False: RecordMemo(lambda doc: _verb_counts(doc, doc.preambular))}


def verb_profile(docs: Iterable[Resolution], *, part: str = "operative") -> pd.DataFrame:
    """Per document, how many paragraphs of `part` open with each canonical verb.

    Columns: document, symbol, session, verb, count (zero counts omitted);
    rows by session, document, count descending, verb.
    """
    rows_of = _ROWS[part == "operative"]
    rows = []
    for doc in docs:
        rows += rows_of(doc)
    rows.sort(key=lambda r: (_session_rank(r[2]), r[0], -r[4], r[3]))
    return _frame(rows, ["document", "symbol", "session", "verb", "count"])


def lead_profile(docs: Iterable[Resolution], *, parts: tuple[str, ...] = PARTS) -> pd.DataFrame:
    """Per document and part, how many paragraphs open with each lead as written
    (white space normalised).

    Columns: document, symbol, session, part, lead, count; rows by session,
    document, part (preambular first), count descending, lead.
    """
    rows = []
    for doc in docs:
        for part in parts:
            counts: dict[str, int] = {}
            for p in (doc.operative if part == "operative" else doc.preambular):
                lead = " ".join(p.lead.split())
                counts[lead] = counts.get(lead, 0) + 1
            rows += [(doc.id, doc.symbol, doc.session, part, k, n) for k, n in counts.items()]
    order = {"preambular": 0, "operative": 1}
    rows.sort(key=lambda r: (_session_rank(r[2]), r[0], order.get(r[3], 2), -r[5], r[4]))
    return _frame(rows, ["document", "symbol", "session", "part", "lead", "count"])


def _session_rank(session: int | None) -> int:
    return session if session is not None else 10**6


def _frame(rows: list[tuple], columns: list[str]) -> pd.DataFrame:
    # object columns keep None for a missing symbol (pandas' str dtype would make it NaN)
    df = pd.DataFrame(rows, columns=columns, dtype=object)
    return df.astype({"session": "Int64", "count": "int64"})
