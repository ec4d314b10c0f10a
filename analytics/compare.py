"""Compare two texts of the series: paragraphs, themes, emerging issues, treaty
figures and distinctive vocabulary, in one call for the dashboard, CLI and export.

`compare` returns plain JSON-ready values; `compare_frames` the same content as
DataFrames.  The theme, emerging-issue, treaty and keyness analyses live in their
own modules and are imported when called, so this module loads without them.
Each is run on the two documents only: the comparison is about what they say.
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from .align import align, as_documents, summary
from .records import Resolution, representative

CHANGES = ("added", "dropped", "kept")
TREATY_COLUMNS = ["convention", "short", "a_parties", "b_parties", "delta",
                  "a_key", "b_key", "a_quote", "b_quote"]
EMERGING_COLUMNS = ["issue", "label", "change", "a_raw", "b_raw"]


def resolve(docs, ref) -> Resolution:
    """A document from a reference: a document id, a symbol ("A/RES/65/232"), or a
    session number (int or digit string: the session's adopted text, else its draft)."""
    if isinstance(ref, Resolution):
        return ref
    documents = as_documents(docs)
    text = str(ref).strip()
    for d in documents:
        if d.id == text or (d.symbol is not None and d.symbol == text):
            return d
    if text.isdigit():
        reps = representative(documents)
        if int(text) in reps:
            return reps[int(text)]
        sessions = ", ".join(str(s) for s in reps) or "none"
        raise ValueError(f"session {text} is not in the corpus (sessions: {sessions})")
    ids = ", ".join(d.id for d in documents) or "none"
    raise ValueError(f"{text!r} is neither a document id, a symbol nor a session in the corpus "
                     f"(ids: {ids})")


# --------------------------------------------------------------------------- pieces

def emerging_changes(rows: pd.DataFrame, a_id: str, b_id: str) -> pd.DataFrame:
    """Issues of `emerging_issues` rows (document, issue, label, raw) found in B only
    (added), A only (dropped) or both (kept), in the order issues first appear."""
    out = []
    for issue, group in rows.groupby("issue", sort=False):
        a_raw = _unique(group.loc[group["document"] == a_id, "raw"])
        b_raw = _unique(group.loc[group["document"] == b_id, "raw"])
        in_a = bool((group["document"] == a_id).any())
        in_b = bool((group["document"] == b_id).any())
        if not (in_a or in_b):
            continue
        change = "kept" if in_a and in_b else ("added" if in_b else "dropped")
        out.append({"issue": issue, "label": group["label"].iloc[0], "change": change,
                    "a_raw": a_raw, "b_raw": b_raw})
    return pd.DataFrame(out, columns=EMERGING_COLUMNS, dtype=object)


def treaty_changes(rows: pd.DataFrame, a_id: str, b_id: str) -> pd.DataFrame:
    """Per convention stated in A or B (`treaty_figures` rows), the number of parties in
    each (the highest figure when a text states several) and the change B - A."""
    out = []
    for short, group in rows.groupby("short", sort=False):
        sides = {}
        for side, doc_id in (("a", a_id), ("b", b_id)):
            g = group[group["document"] == doc_id]
            sides[side] = g.loc[g["parties"].idxmax()] if len(g) else None
        if sides["a"] is None and sides["b"] is None:
            continue
        a, b = sides["a"], sides["b"]
        out.append({
            "convention": group["convention"].iloc[0], "short": short,
            "a_parties": None if a is None else int(a["parties"]),
            "b_parties": None if b is None else int(b["parties"]),
            "delta": None if a is None or b is None else int(b["parties"]) - int(a["parties"]),
            "a_key": None if a is None else a["key"], "b_key": None if b is None else b["key"],
            "a_quote": None if a is None else a["quote"], "b_quote": None if b is None else b["quote"],
        })
    df = pd.DataFrame(out, columns=TREATY_COLUMNS, dtype=object)
    for col in ("a_parties", "b_parties", "delta"):
        df[col] = df[col].astype("Int64")
    return df


def summary_frame(paragraphs: pd.DataFrame) -> pd.DataFrame:
    """Long table part x status -> count (every combination, zeros included)."""
    rows = [{"part": part, "status": status, "count": n}
            for part, counts in summary(paragraphs).items() for status, n in counts.items()]
    return pd.DataFrame(rows, columns=["part", "status", "count"])


def compare_frames(docs, a, b, *, lexicon=None, aliases=None, conventions=None,
                   stop_words=None) -> dict[str, pd.DataFrame]:
    """The comparison of `compare` as DataFrames: documents (two rows, role a/b),
    paragraphs (`align` rows), summary (part, status, count), themes, emerging,
    treaties, keyness.  ``lexicon``/``aliases``/``conventions``/``stop_words``: the corpus's
    lexicons (`Corpus.config`); the bundled ones when omitted."""
    doc_a, doc_b = resolve(docs, a), resolve(docs, b)
    from .emerging import emerging_issues
    from .keyness import keyness_docs
    from .themes import theme_counts, theme_deltas
    from .treaties import treaty_figures

    pair = [doc_a, doc_b] if doc_a.id != doc_b.id else [doc_a]
    paragraphs = align(doc_a, doc_b)
    documents = pd.DataFrame([{"role": "a", **doc_a.to_dict(with_text=False)},
                              {"role": "b", **doc_b.to_dict(with_text=False)}])
    return {
        "documents": documents,
        "paragraphs": paragraphs,
        "summary": summary_frame(paragraphs),
        "themes": theme_deltas(theme_counts(pair, lexicon=lexicon), doc_a.id, doc_b.id),
        "emerging": emerging_changes(emerging_issues(pair, aliases=aliases), doc_a.id, doc_b.id),
        "treaties": treaty_changes(treaty_figures(pair, conventions=conventions), doc_a.id, doc_b.id),
        "keyness": keyness_docs(doc_a, doc_b, stop_words=stop_words),
    }


def compare(docs, a, b, **lexicons) -> dict:
    """Everything that changed from text A to text B, JSON-ready.

    Keys: a, b (document metadata), paragraphs (`align` rows), summary
    ({part: {status: count}} plus "total"), themes (`theme_deltas` rows),
    emerging ({"added"|"dropped"|"kept": [issue rows]}), treaties (per-convention
    figures and change), keyness (`keyness_docs` rows).
    """
    # resolved once: each lookup sorts the corpus
    doc_a, doc_b = resolve(docs, a), resolve(docs, b)
    frames = compare_frames(docs, doc_a, doc_b, **lexicons)
    emerging = frames["emerging"]
    return {
        "a": doc_a.to_dict(with_text=False),
        "b": doc_b.to_dict(with_text=False),
        "paragraphs": records(frames["paragraphs"]),
        "summary": summary(frames["paragraphs"]),
        "themes": records(frames["themes"]),
        "emerging": {c: records(emerging[emerging["change"] == c].drop(columns="change"))
                     for c in CHANGES},
        "treaties": records(frames["treaties"]),
        "keyness": records(frames["keyness"]),
    }


# --------------------------------------------------------------------------- plain values

def records(df: pd.DataFrame) -> list[dict]:
    """Rows as dicts of plain Python values (None for missing, lists for sequences)."""
    return [{k: plain(v) for k, v in row.items()} for row in df.to_dict("records")]


def plain(v: Any) -> Any:
    if isinstance(v, (list, tuple, np.ndarray, pd.Series)):
        return [plain(x) for x in v]
    if isinstance(v, dict):
        return {k: plain(x) for k, x in v.items()}
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, float) and math.isnan(v):
        return None
    if isinstance(v, pd.Timestamp):
        return v.isoformat()
    return v


def _unique(values: pd.Series) -> list:
    return list(dict.fromkeys(v for v in values if isinstance(v, str) or not pd.isna(v)))
