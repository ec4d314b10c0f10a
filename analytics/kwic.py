"""Search inside a document: a tolerant phrase pattern and keyword-in-context rows."""
from __future__ import annotations

import re
from typing import Iterable

import pandas as pd

from .records import Paragraph

KWIC_WIDTH = 60
_QUERY_WORD = re.compile(r"[^\W_]+")
# Layouts disagree on hyphens and spacing ("money-laundering", "money laundering",
# "moneylaundering"), so typed words may be joined by any run of spaces or hyphens, or none.
_JOINER = r"[\s\-\u2010\u2011]*"


def search_pattern(query: str | None) -> re.Pattern | None:
    """Case-insensitive pattern for the typed words at word boundaries; None for no words."""
    words = _QUERY_WORD.findall(query or "")
    if not words:
        return None
    return re.compile(r"(?<![^\W_])" + _JOINER.join(map(re.escape, words)) + r"(?![^\W_])", re.IGNORECASE)


def kwic(paragraphs: Iterable[Paragraph], pattern: re.Pattern, *, width: int = KWIC_WIDTH) -> pd.DataFrame:
    """Keyword in context: one row per match with `width` characters either side."""
    rows = []
    for p in paragraphs:
        text = " ".join(p.text.split())
        for m in pattern.finditer(text):
            left = text[max(0, m.start() - width):m.start()]
            right = text[m.end():m.end() + width]
            rows.append({"paragraph": p.key,
                         "left": ("…" if m.start() > width else "") + left,
                         "match": m.group(0),
                         "right": right + ("…" if m.end() + width < len(text) else "")})
    return pd.DataFrame(rows, columns=["paragraph", "left", "match", "right"])
