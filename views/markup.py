"""Escaping and highlighting: labels, file names, warnings and paragraphs come from documents
and uploads, so every piece of it reaches Markdown or HTML escaped."""
from __future__ import annotations

import html
import re

import pandas as pd

_HL_STYLE = {
    "delete": "background:#FBE3D6;color:#8A2E00;text-decoration:line-through;",
    "insert": "background:#D6EAF8;color:#003F66;text-decoration:underline;font-weight:600;",
    "mark": "background:#FFE9A8;",
}
_HL_TAG = {"delete": "del", "insert": "ins", "mark": "mark"}
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>$~:=])")


def md(text: object) -> str:
    """Text for st.markdown/st.info/st.caption with every Markdown/LaTeX/emoji trigger escaped."""
    return _MD_SPECIAL.sub(r"\\\1", "" if text is None else str(text))


def esc(text: object) -> str:
    return html.escape("" if text is None else " ".join(str(text).split()), quote=True)


def span(op: str, text: str) -> str:
    """One escaped segment, highlighted when op is delete/insert/mark."""
    style = _HL_STYLE.get(op)
    if not style:
        return esc(text)
    tag = _HL_TAG[op]
    return f'<{tag} style="{style}">{esc(text)}</{tag}>'


def highlight(text: str, pattern: re.Pattern | None) -> str:
    """Escaped text with the matches of ``pattern`` marked."""
    if pattern is None:
        return esc(text)
    out, pos = [], 0
    text = " ".join(str(text).split())
    for m in pattern.finditer(text):
        if m.end() == m.start():
            continue
        out.append(esc(text[pos:m.start()]))
        out.append(span("mark", m.group(0)))
        pos = m.end()
    out.append(esc(text[pos:]))
    return "".join(out)


def list_text(v: object) -> str:
    if isinstance(v, (list, tuple)):
        return "; ".join(str(x) for x in v)
    return "" if v is None or (isinstance(v, float) and pd.isna(v)) else str(v)
