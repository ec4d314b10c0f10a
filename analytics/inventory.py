"""The inventory of a corpus: one row per document with its identity, series, size and warnings.

One table for every entry point: the CLI's ``documents`` command prints `CLI_COLUMNS`
of it, the dashboard's Overview and Corpus pages show their own selection and labels.
"""
from __future__ import annotations

from typing import Iterable, Sequence

import pandas as pd

from .records import Resolution
# the per-text memo shared with the theme counts: a series repeats most paragraphs verbatim
from .text import word_count

DOCUMENT_COLUMNS = ["id", "symbol", "label", "session", "date", "kind", "series", "adopted_as",
                    "preambular", "operative", "paragraphs", "words", "warnings", "warning_text", "source"]
CLI_COLUMNS = ["id", "symbol", "session", "date", "kind", "series", "adopted_as",
               "preambular", "operative", "words", "warnings", "source"]


def documents_frame(corpus, docs: Iterable[Resolution] | None = None, *,
                    columns: Sequence[str] = CLI_COLUMNS) -> pd.DataFrame:
    """One row per document of ``docs`` (default: the whole corpus), in the given order.

    Columns (any of `DOCUMENT_COLUMNS`, in the order of ``columns``): id, symbol (None for a
    draft), label (the symbol, or what stands for it), session, date (ISO), kind, series (id),
    adopted_as (a draft's resolution, if in the corpus), preambular, operative, paragraphs,
    words, warnings (how many), warning_text (the warnings, "; "-joined), source (file name).
    """
    unknown = [c for c in columns if c not in DOCUMENT_COLUMNS]
    if unknown:
        raise ValueError(f"unknown column(s) {', '.join(unknown)}; known: {', '.join(DOCUMENT_COLUMNS)}")
    docs = corpus.documents if docs is None else docs
    wanted = set(columns)
    index = corpus.series if wanted & {"series", "adopted_as"} else None
    rows = [_row(d, index) for d in docs]
    return pd.DataFrame([{c: r[c] for c in columns} for r in rows], columns=list(columns))


def _row(d: Resolution, index) -> dict:
    return {"id": d.id, "symbol": d.symbol, "label": d.label, "session": d.session,
            "date": d.date.isoformat() if d.date else None, "kind": d.kind,
            "series": index.series_of(d.id) if index is not None else None,
            "adopted_as": index.adopted_as(d.id) if index is not None else None,
            "preambular": len(d.preambular), "operative": len(d.operative), "paragraphs": len(d.paragraphs),
            "words": word_count(d), "warnings": len(d.warnings), "warning_text": "; ".join(d.warnings),
            "source": d.source}
