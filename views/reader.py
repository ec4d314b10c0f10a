"""Reader: one document's clean structure, with search and keyword-in-context."""
from __future__ import annotations

import re

import streamlit as st

from analytics.kwic import kwic, search_pattern
from analytics.records import page_label  # noqa: F401  (search_pattern is used by tests too)
from views.context import Ctx, doc_option, open_page
from views.markup import esc, highlight, md
from views.state import KIND_LABELS, bound, choose, put
from views.tables import show_table

PARTS = (("preambular", "Preambular paragraphs"), ("operative", "Operative paragraphs"))


def _meta(doc) -> list[tuple[str, str]]:
    return [(k, v) for k, v in (
        ("Symbol", doc.symbol or "(draft, no symbol)"),
        ("Session", str(doc.session) if doc.session is not None else "?"),
        ("Date", doc.date.isoformat() if doc.date else "?"),
        ("Kind", KIND_LABELS.get(doc.kind, doc.kind)),
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


def _pickers(ctx: Ctx) -> tuple[str, str]:
    """(document id, search query) from the page's two inputs."""
    ids = list(ctx.ids)
    c1, c2 = st.columns([2, 1])
    doc_id = choose("doc", "Document", ids, default=ids[-1], format_func=lambda i: doc_option(ctx.doc(i)),
                    container=c1)
    with c2:
        query = bound("q", st.text_input, coerce=lambda v: v or "", label="Search this document",
                      placeholder="e.g. cybercrime", max_chars=100)
    if not query:
        put("q", None)
    return doc_id, query


def _matches(doc, pattern: re.Pattern | None) -> bool:
    """The keyword-in-context table; True when only matching paragraphs are to be shown."""
    if pattern is None:
        return False
    hits = kwic(doc.paragraphs, pattern)
    st.markdown(f"**{len(hits)}** match{'es' if len(hits) != 1 else ''} in "
                f"**{hits['paragraph'].nunique() if len(hits) else 0}** paragraphs")
    if len(hits):
        show_table(hits, medium=["left", "right"])
    return st.toggle("Show only paragraphs with a match", value=bool(len(hits)), key="reader_only")


def _body(doc, pattern: re.Pattern | None, only: bool) -> None:
    for part, title in PARTS:
        paras = getattr(doc, part)
        if only:
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


def render() -> None:
    ctx = open_page("Reader", "A document's clean structure: preambular and operative paragraphs, without page "
                    "furniture.", need=1, what="the reader")
    if ctx is None:
        return
    doc_id, query = _pickers(ctx)
    doc = ctx.doc(doc_id)
    pattern = search_pattern(query)
    st.html(f'<h3 style="margin:0.4rem 0 0.6rem;font-weight:600;">{esc(doc.title or doc.label)}</h3>')
    st.html(meta_html(_meta(doc)))
    for w in doc.warnings:
        st.warning(md(f"Parser warning: {w}"))
    _body(doc, pattern, _matches(doc, pattern))


if __name__ == "__main__":
    render()
