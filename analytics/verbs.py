"""What the Assembly does in each text: the verbs that open its paragraphs.

A lead as written ("Also requests", "Takes note with appreciation",
"Reiterates its request") says the same act as its plain verb: intensity
adverbs and "with appreciation" tails are style, and "reiterates its request"
is a request.  `verb_profile` counts the plain verbs; `lead_profile` keeps
the leads as written.
"""
from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable

import pandas as pd

from analytics.records import PARTS, Resolution
from analytics.text import FunctionMemo, RecordMemo

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


_VERB_OF = FunctionMemo(canonical_verb)   # a corpus writes a few dozen distinct leads


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


# --- the strength scale -------------------------------------------------------------------------
# The scale is data (data/verb_strength.toml), shared with the session digest: a reviewer edits
# the file, not this code.

STRENGTH_PATH = Path(__file__).with_name("data") / "verb_strength.toml"
UNRATED = "unrated"          # a verb the scale does not list: counted, never rated


@lru_cache(maxsize=4)
def strength_scale(path: str | Path = STRENGTH_PATH) -> tuple[tuple[int, str, tuple[str, ...]], ...]:
    """The levels of the scale, strongest first: (strength, name, verbs)."""
    with open(path, "rb") as fh:
        data = tomllib.load(fh)
    levels = [(int(lv["strength"]), str(lv["name"]), tuple(lv["verbs"])) for lv in data["level"]]
    return tuple(sorted(levels, key=lambda lv: -lv[0]))


def verb_strength(verb: str, path: str | Path = STRENGTH_PATH) -> int | None:
    """Strength of a canonical verb ("Urges" -> 3), None when the scale does not list it."""
    return _strengths(str(path)).get(verb)


@lru_cache(maxsize=4)
def _strengths(path: str) -> dict[str, int]:
    return {v: s for s, _, verbs in strength_scale(path) for v in verbs}


def level_name(strength: int | None, path: str | Path = STRENGTH_PATH) -> str:
    names = {s: n for s, n, _ in strength_scale(path)}
    return names.get(strength, UNRATED) if strength is not None else UNRATED


def level_order(path: str | Path = STRENGTH_PATH) -> list[str]:
    """Level names strongest first, then the unrated bucket."""
    return [n for _, n, _ in strength_scale(path)] + [UNRATED]


PROFILE_COLUMNS = ["session", "document", "strength", "level", "count", "share", "verbs"]


def strength_profile(docs: Iterable[Resolution]) -> pd.DataFrame:
    """Per session (its representative text), operative paragraphs by strength level.

    Columns: session, document, strength (None for unrated), level, count, share
    (of the session's operative paragraphs with a verb), verbs ("Requests ×10; Urges ×3").
    Every level of the scale appears for every session, zeros included, so stacked
    bars and CSV rows line up.
    """
    from analytics.records import representative
    rows = []
    for session, doc in representative(docs).items():
        rows += _profile_rows(session, doc)
    return pd.DataFrame(rows, columns=PROFILE_COLUMNS).astype({"strength": "Int64", "count": "int64",
                                                              "share": "float64"})


def _profile_rows(session: int, doc: Resolution) -> list[dict]:
    by_level: dict[str, dict[str, int]] = {n: {} for n in level_order()}
    for p in doc.operative:
        verb = _VERB_OF(p.lead)
        if verb:
            bucket = by_level[level_name(verb_strength(verb))]
            bucket[verb] = bucket.get(verb, 0) + 1
    total = sum(sum(b.values()) for b in by_level.values()) or 1
    strength_of = {n: s for s, n, _ in strength_scale()}
    return [{"session": session, "document": doc.id, "strength": strength_of.get(name),
             "level": name, "count": sum(verbs.values()), "share": sum(verbs.values()) / total,
             "verbs": "; ".join(f"{v} \u00d7{n}" for v, n in sorted(verbs.items(), key=lambda kv: (-kv[1], kv[0])))}
            for name, verbs in by_level.items()]


CHANGE_COLUMNS = ["from_session", "to_session", "from_key", "to_key", "from_verb", "to_verb",
                  "direction", "from_text", "to_text", "from_document", "to_document"]


def verb_changes(docs: Iterable[Resolution], *,
                 pair_rows: Callable[[Resolution, Resolution], list[dict]] | None = None) -> pd.DataFrame:
    """Operative paragraphs whose opening verb changed between consecutive sessions.

    Paragraphs are paired by `analytics.align.align` on the representative texts of
    each pair of consecutive sessions; direction is "strengthened" / "weakened" on the
    scale, "same level" when both verbs share a level, "unrated" when either is off it.
    ``pair_rows``: what gives the rows of one pair (`pair_verb_changes` by default; the
    dashboard passes a memoised one, so a narrower range reuses pairs already aligned).
    """
    rows_of = pair_rows or pair_verb_changes
    return pd.DataFrame([row for a, b in consecutive_texts(docs) for row in rows_of(a, b)],
                        columns=CHANGE_COLUMNS)


def consecutive_texts(docs: Iterable[Resolution]) -> list[tuple[Resolution, Resolution]]:
    """The representative texts of each pair of consecutive sessions, in session order."""
    from analytics.records import representative
    reps = [d for _, d in sorted(representative(docs).items())]
    return list(zip(reps, reps[1:]))


def pair_verb_changes(a: Resolution, b: Resolution) -> list[dict]:
    """The `verb_changes` rows of text ``a`` followed by text ``b``."""
    return _pair_changes(a.session, a, b.session, b)


def _pair_changes(sa: int, a: Resolution, sb: int, b: Resolution) -> list[dict]:
    from analytics.align import align
    pairs = align(a, b)
    ops = pairs[(pairs["part"] == "operative") & pairs["status"].isin(["carried", "amended"])]
    pa, pb = {p.key: p for p in a.operative}, {p.key: p for p in b.operative}
    out = []
    for ka, kb in zip(ops["a_key"], ops["b_key"]):
        va, vb = _VERB_OF(pa[ka].lead), _VERB_OF(pb[kb].lead)
        if va and vb and va != vb:
            out.append({"from_session": sa, "to_session": sb, "from_key": ka, "to_key": kb,
                        "from_verb": va, "to_verb": vb, "direction": direction(va, vb),
                        "from_text": pa[ka].text, "to_text": pb[kb].text,
                        "from_document": a.id, "to_document": b.id})
    return out


DIRECTIONS = ("strengthened", "weakened", "same level", "unrated")


def direction(from_verb: str, to_verb: str) -> str:
    fa, fb = verb_strength(from_verb), verb_strength(to_verb)
    if fa is None or fb is None:
        return "unrated"
    return "strengthened" if fb > fa else "weakened" if fb < fa else "same level"
