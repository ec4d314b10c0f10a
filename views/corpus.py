"""Corpus: add resolutions (.txt, .md, .pdf).

Each upload is read by the corpus reader in a worker process within a time budget
(`analytics.safeparse`), then stored; a file the reader cannot read in time is refused
with one line. The script thread only waits, so other sessions keep running.
"""
from __future__ import annotations

from pathlib import Path

import streamlit as st

from analytics.records import Resolution
from analytics.safeparse import DEFAULT_BUDGET_S
from analytics.store import MAX_UPLOAD_BYTES, StoredFile, UploadRejected, store_upload
from views import analyses
from views.context import open_page
from views.loading import get_corpus, reload_corpus
from views.markup import md
from views.paths import cache_dir, corpus_dir
from views.state import KIND_LABELS
from views.tables import problems_frame, show_table

DONE = "_uploads_done"       # file ids already handled (the uploader keeps its files across reruns)
MESSAGES = "_upload_messages"


def remember(record: Resolution, sha256: str, *, cache_dir: Path) -> None:
    """Put the worker's record where the corpus loader looks first. The reload after an
    upload would otherwise parse the file again: the user waits twice, and a second parse
    on a busier machine may run over the budget, so a stored file would show as unreadable."""
    from analytics.corpus import store_record

    try:
        store_record(record, sha256=sha256, cache_dir=cache_dir)
    except OSError:
        pass  # then the reload parses it, as for any new file in the folder


def store_one(f, *, corpus_dir: Path, cache_dir: Path) -> tuple[str, StoredFile | None]:
    """(message, stored file) for one uploaded file; the message is empty when it was stored."""
    try:
        saved = store_upload(corpus_dir, f.name, f.getvalue(), max_bytes=MAX_UPLOAD_BYTES,
                             budget=DEFAULT_BUDGET_S)
    except UploadRejected as exc:
        return f"Refused {exc}", None
    except OSError as exc:
        return f"Could not store {f.name}: {exc.strerror or exc}", None
    if saved.record is not None:
        remember(saved.record, saved.sha256, cache_dir=cache_dir)
    return "", saved


def store_all(files, *, corpus_dir: Path, cache_dir: Path) -> tuple[list[tuple[str, str]], list[StoredFile]]:
    """Store ``files`` one by one, with a spinner for the file being read and, for several
    files, a progress bar over them."""
    messages, stored = [], []
    bar = st.progress(0.0, text=f"Reading 1 of {len(files)} files…") if len(files) > 1 else None
    for i, f in enumerate(files):
        if bar is not None:
            bar.progress(i / len(files), text=f"Reading {i + 1} of {len(files)} files…")
        with st.spinner(md(f"Reading {f.name} (at most {DEFAULT_BUDGET_S:g} s)…")):
            error, saved = store_one(f, corpus_dir=corpus_dir, cache_dir=cache_dir)
        if saved is None:
            messages.append(("error", error))
        else:
            stored.append(saved)
    if bar is not None:
        bar.empty()
    return messages, stored


def added_messages(stored: list[StoredFile]) -> list[tuple[str, str]]:
    """What the reloaded corpus made of each stored file (its id may carry a -2 suffix)."""
    with st.spinner("Updating the corpus…"):
        corpus = get_corpus()
    by_sha = {d.sha256: d for d in corpus.documents}
    messages = []
    for s in stored:
        doc = by_sha.get(s.sha256, s.record)
        text = (f"Added {s.name} as {doc.label} (session {doc.session}, "
                f"{KIND_LABELS.get(doc.kind, doc.kind)}): {len(doc.preambular)} preambular and "
                f"{len(doc.operative)} operative paragraphs.{_joined(corpus, doc)}")
        messages.append(("success", text))
        messages += [("warning", f"{s.name}: {w}") for w in doc.warnings]
    return messages


def _joined(corpus, doc) -> str:
    """Which series the new text joined, and the version it is linked to."""
    if doc.id not in corpus.ids:
        return ""
    index = corpus.series
    sid = index.series_of(doc.id)
    size = len(index.members(sid))
    where = f" It joined the series \u201c{index.title_of(sid)}\u201d ({size} documents)." if size > 1 else \
        f" It starts a series of its own (\u201c{index.title_of(sid)}\u201d)."
    adopted = index.adopted_as(doc.id) if doc.kind == "draft" else None
    if adopted:
        where += f" Adopted as {corpus.get(adopted).label}."
    return where


def _handle(files) -> None:
    done = st.session_state.setdefault(DONE, set())
    fresh = [f for f in files or () if f.file_id not in done]
    if not fresh:
        return
    done.update(f.file_id for f in fresh)
    messages, stored = store_all(fresh, corpus_dir=corpus_dir(), cache_dir=cache_dir())
    if stored:
        reload_corpus()
        messages += added_messages(stored)
    st.session_state[MESSAGES] = messages
    if stored:
        st.rerun()


def _documents(ctx) -> None:
    corpus = ctx.corpus
    st.subheader(f"Documents ({len(corpus.documents)})")
    if corpus.documents:
        rows = analyses.documents(ctx)
        show_table(rows[["file", "symbol", "session", "kind", "paragraphs", "words", "warnings"]]
                   .rename(columns={"symbol": "document"}), ints=["session"])
    else:
        st.info("No documents yet: upload a resolution above.")
    st.subheader(f"Files not read ({len(corpus.problems)})")
    if corpus.problems:
        show_table(problems_frame(corpus.problems))
    else:
        st.caption("None.")
    for note in corpus.notes:
        st.warning(md(note))


def render() -> None:
    ctx = open_page("Corpus", md(f"Corpus folder: {corpus_dir()}.") + " Add resolutions or drafts as .txt, .md "
                    f"or .pdf (up to {MAX_UPLOAD_BYTES // 2**20} MB each). Duplicates of a file already in the "
                    "corpus are refused.")
    files = st.file_uploader("Add documents", type=["txt", "md", "pdf"], accept_multiple_files=True,
                             key="uploader", help="Each file is read as soon as it arrives and stored if it "
                                                  "is a resolution or a draft")
    _handle(files)
    for level, text in st.session_state.get(MESSAGES, []):     # results of the latest upload
        getattr(st, level)(md(text))
    _documents(ctx)


if __name__ == "__main__":
    render()
