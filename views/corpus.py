"""Corpus: add resolutions (.txt, .md, .pdf); each upload is stored safely and parsed at once."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics.store import MAX_BYTES, UploadRejected, store_upload
from views import common

DONE = "_uploads_done"       # file ids already handled (the uploader keeps its files across reruns)
MESSAGES = "_upload_messages"


def _handle(files) -> None:
    done = st.session_state.setdefault(DONE, set())
    fresh = [f for f in files or () if f.file_id not in done]
    if not fresh:
        return
    messages = []
    stored = []
    with st.spinner(f"Storing {len(fresh)} file{'s' if len(fresh) > 1 else ''}…"):
        for f in fresh:
            done.add(f.file_id)
            try:
                saved = store_upload(common.corpus_dir(), f.name, f.getvalue(), max_bytes=MAX_BYTES)
            except UploadRejected as exc:
                messages.append(("error", f"Refused {exc}"))
            except OSError as exc:
                messages.append(("error", f"Could not store {f.name}: {exc.strerror or exc}"))
            else:
                stored.append(saved)
    if stored:
        common.reload_corpus()
        with st.spinner("Parsing…"):
            corpus = common.get_corpus()
        by_sha = {d.sha256: d for d in corpus.documents}
        problems = {p.source: p.reason for p in corpus.problems}
        for s in stored:
            doc = by_sha.get(s.sha256)
            if doc is not None:
                text = (f"Added {s.name} as {doc.label} (session {doc.session}, "
                        f"{common.KIND_LABELS.get(doc.kind, doc.kind)}): {len(doc.preambular)} preambular and "
                        f"{len(doc.operative)} operative paragraphs.")
                messages.append(("success", text))
                messages += [("warning", f"{s.name}: {w}") for w in doc.warnings]
            else:
                messages.append(("error", f"Stored {s.name}, but it could not be read as a resolution: "
                                          f"{problems.get(s.name, 'unknown reason')}"))
    st.session_state[MESSAGES] = messages
    if stored:
        st.rerun()


def render() -> None:
    ctx = common.context()
    st.title("Corpus")
    st.caption(common.md(f"Corpus folder: {common.corpus_dir()}.") + " Add resolutions or drafts as .txt, .md or .pdf "
               f"(up to {MAX_BYTES // 2**20} MB each). Duplicates of a file already in the corpus are refused.")
    files = st.file_uploader("Add documents", type=["txt", "md", "pdf"], accept_multiple_files=True,
                             key="uploader", help="Each file is parsed as soon as it is stored")
    _handle(files)
    for level, text in st.session_state.get(MESSAGES, []):     # results of the latest upload
        getattr(st, level)(common.md(text))

    corpus = ctx.corpus
    st.subheader(f"Documents ({len(corpus.documents)})")
    if corpus.documents:
        rows = common.document_rows(corpus.fingerprint, corpus.documents)
        st.dataframe(rows[["file", "symbol", "session", "kind", "paragraphs", "words", "warnings"]]
                     .rename(columns={"symbol": "document"}), hide_index=True, width="stretch",
                     column_config={"session": st.column_config.NumberColumn(format="%d")})
    else:
        st.info("No documents yet: upload a resolution above.")
    st.subheader(f"Files not read ({len(corpus.problems)})")
    if corpus.problems:
        st.dataframe(pd.DataFrame([{"file": p.source, "reason": p.reason} for p in corpus.problems]),
                     hide_index=True, width="stretch")
    else:
        st.caption("None.")
    for note in corpus.notes:
        st.warning(common.md(note))


if __name__ == "__main__":
    render()
