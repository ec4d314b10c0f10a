"""Reader: one document's clean structure, with search and keyword-in-context."""
from __future__ import annotations

import re

import pandas as pd
import streamlit as st

from analytics.kwic import kwic, search_pattern
from analytics.records import page_label  # noqa: F401  (search_pattern is used by tests too)
from views import common
from views.common import Ctx, esc, highlight

def _meta(doc) -> list[tuple[str, str]]:
    return [(k, v) for k, v in (
        ("Symbol", doc.symbol or "(draft, no symbol)"),
        ("Session", str(doc.session) if doc.session is not None else "?"),
        ("Date", doc.date.isoformat() if doc.date else "?"),
        ("Kind", common.KIND_LABELS.get(doc.kind, doc.kind)),
        ("Agenda item", doc.agenda_item or ""),
        ("Committee report", doc.committee_report or ""),
        ("Plenary meeting", doc.plenary_meeting or ""),
        ("Sponsors", ", ".join(doc.sponsors)),
        ("Keywords", ", ".join(doc.keywords)),
        ("File", doc.source),
    ) if v]


def meta_html(meta: list[tuple[str, str]]) -> str:
    cells = "".join(f'<tr><th style="text-align:left;padding:2px 14px 2px 0;color:#4A5868;font-weight:600;'
                    f'vertical-align:top;white-space:nowrap;">{esc(k)}</th><td style="padding:2px 0;">{esc(v)}</td></tr>'
                    for k, v in meta)
    return f'<table style="border-collapse:collapse;font-size:0.92rem;margin-bottom:0.5rem;">{cells}</table>'


def paragraphs_html(paragraphs, pattern: re.Pattern | None) -> str:
    """Escaped paragraphs with search hits marked (document text never reaches HTML unescaped)."""
    out = ['<div style="line-height:1.55;font-size:0.97rem;">']
    for p in paragraphs:
        label = f"{p.number}." if p.part == "operative" and p.number is not None else ""
        pages = (f' <span style="color:#6B7885;font-size:0.75rem;">({esc(page_label(p.pages))})</span>'
                 if p.pages else "")
        out.append(
            f'<p style="margin:0 0 0.6em 0;{"padding-left:2.2em;text-indent:-2.2em;" if label else ""}">'
            f'<span style="color:#6B7885;font-size:0.8rem;margin-right:0.4em;">{esc(p.key)}</span>'
            f'{("<b>" + esc(label) + "</b> ") if label else ""}{highlight(p.text, pattern)}{pages}</p>')
    out.append("</div>")
    return "".join(out)


def render() -> None:
    ctx: Ctx = common.context()
    st.title("Reader")
    st.caption("A document's clean structure: preambular and operative paragraphs, without page furniture.")
    if not common.need_docs(ctx, 1, "the reader"):
        return
    ids = list(ctx.ids)
    c1, c2 = st.columns([2, 1])
    doc_id = common.choose("doc", "Document", ids, default=ids[-1],
                           format_func=lambda i: common.doc_option(ctx.doc(i)), container=c1)
    with c2:
        query = common.bound("q", st.text_input, coerce=lambda v: v or "", label="Search this document",
                             placeholder="e.g. cybercrime", max_chars=100)
    if not query:
        common.put("q", None)
    doc = ctx.doc(doc_id)
    pattern = search_pattern(query)

    st.html(f'<h3 style="margin:0.4rem 0 0.6rem;font-weight:600;">{esc(doc.title or doc.label)}</h3>')
    st.html(meta_html(_meta(doc)))
    for w in doc.warnings:
        st.warning(common.md(f"Parser warning: {w}"))

    if pattern is not None:
        hits = kwic(doc.paragraphs, pattern)
        st.markdown(f"**{len(hits)}** match{'es' if len(hits) != 1 else ''} in "
                    f"**{hits['paragraph'].nunique() if len(hits) else 0}** paragraphs")
        if len(hits):
            st.dataframe(hits, hide_index=True, width="stretch",
                         column_config={"left": st.column_config.TextColumn(width="medium"),
                                        "right": st.column_config.TextColumn(width="medium")})
        only = st.toggle("Show only paragraphs with a match", value=bool(len(hits)), key="reader_only")
    else:
        only = False
    for part, title in (("preambular", "Preambular paragraphs"), ("operative", "Operative paragraphs")):
        paras = getattr(doc, part)
        if only and pattern is not None:
            paras = tuple(p for p in paras if pattern.search(" ".join(p.text.split())))
        st.markdown(f"#### {title} ({len(paras)})")
        if paras:
            st.html(paragraphs_html(paras, pattern))
        else:
            st.caption("None.")
    if doc.footnotes:
        with st.expander(f"Footnotes ({len(doc.footnotes)})"):
            for i, note in enumerate(doc.footnotes, 1):
                st.text(f"{i}. {note}")


if __name__ == "__main__":
    render()
