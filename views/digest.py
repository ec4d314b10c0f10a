"""Session digest: what changed in one session of the series against its previous version."""
from __future__ import annotations

import dataclasses
import datetime as _dt

import pandas as pd
import streamlit as st

from analytics import figures as F
from analytics.records import representative
from views import analyses
from views.context import Ctx, open_page
from views.exporting import Chart, show_chart
from views.markup import md, span

TITLE = "Session digest"
SESSION_KEY = "w_digest_session"
PREVIOUS_KEY = "w_digest_previous"


def sessions(ctx: Ctx) -> list[int]:
    return list(representative(ctx.docs))


def choice(ctx: Ctx) -> tuple[int, int] | None:
    """(session, previous) from the page's widgets, defaulting to the last two sessions."""
    known = sessions(ctx)
    if len(known) < 2:
        return None
    s = st.session_state.get(SESSION_KEY)
    s = s if s in known[1:] else known[-1]
    earlier = [x for x in known if x < s]
    p = st.session_state.get(PREVIOUS_KEY)
    return s, (p if p in earlier else earlier[-1])


def digest_chart(ctx: Ctx) -> Chart:
    picked = choice(ctx)
    if picked is None:
        return Chart.empty("digest.session", TITLE, "A digest compares two sessions: widen the session range.")
    from analytics.digest import pack_item, sentences
    d = analyses.digest(ctx, *picked)
    data = d.paragraphs[d.paragraphs["part"] != "total"].rename(columns={"count": "paragraphs"})
    source = ctx.source([d.previous_doc.id, d.doc.id])
    fig = F.status_chart(data.reset_index(drop=True), a_label=d.previous_doc.label, b_label=d.doc.label,
                         source=source)
    item = pack_item(d, fig)
    rows = pd.DataFrame([{"section": n, "sentence": s} for n, items in sentences(d).items() for s in items],
                        columns=["section", "sentence"])
    return Chart("digest.session", item.title, fig, rows, f"{source}. {item.caption}", item.quotes)


CHARTS = {"digest.session": ("What changed in a session", digest_chart)}


def _pickers(ctx: Ctx) -> None:
    known = sessions(ctx)
    c1, c2 = st.columns(2)
    s = c1.selectbox("Session", known[1:][::-1], key=SESSION_KEY, help="The session whose text is read")
    earlier = [x for x in known if x < s][::-1]
    if st.session_state.get(PREVIOUS_KEY) not in earlier:
        st.session_state[PREVIOUS_KEY] = earlier[0]
    c2.selectbox("Compared with", earlier, key=PREVIOUS_KEY, help="Default: the previous session")


def _changed(d) -> None:
    from analytics.align import redline
    for r in d.changed.itertuples():
        a, b = d.previous_doc.paragraph(r.a_key), d.doc.paragraph(r.b_key)
        st.markdown(f"**{md(d.doc.cite(r.b_key))}** amends {md(d.previous_doc.cite(r.a_key))} "
                    f"(similarity {r.similarity:.2f})")
        html = " ".join(span(op, t) for op, t in redline(a.text, b.text))
        st.markdown(f'<div style="line-height:1.5">{html}</div>', unsafe_allow_html=True)


def _sections(d) -> None:
    from analytics.digest import EMPTY, HEADINGS, render_markdown, sentences, title
    st.subheader(title(d))
    for name, items in sentences(d).items():
        st.markdown(f"#### {HEADINGS[name]}")
        if name == "changed" and items:
            _changed(d)
            continue
        st.markdown("\n".join(f"- {md(s)}" for s in items) or f"- {md(EMPTY[name])}")
    st.download_button("Digest as Markdown", data=render_markdown(d).encode("utf-8"),
                       file_name=f"digest-{d.session}-{_dt.date.today().isoformat()}.md",
                       mime="text/markdown", key="digest_md", on_click="ignore", icon=":material/download:")


def render() -> None:
    ctx = open_page(TITLE, "What changed in one session's text against an earlier one: new and dropped issues "
                    "(listed and found in the text), paragraphs, operative verbs, treaty figures and terms. "
                    "Every line names the paragraph it is about.", need=2, what="the session digest")
    if ctx is None:
        return
    if choice(ctx) is None:
        st.info("The selected documents are all of one session: widen the session range.")
        return
    _pickers(ctx)
    chart = digest_chart(ctx)
    # the full digest is the pack's caption; on the page it is written out below the chart
    short = chart.caption.split(". ", 1)[0] + ". Paragraphs of the two texts by status; the digest follows."
    show_chart(dataclasses.replace(chart, caption=short) if chart.figure is not None else chart)
    _sections(analyses.digest(ctx, *choice(ctx)))


if __name__ == "__main__":
    render()
