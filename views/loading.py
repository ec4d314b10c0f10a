"""The loaded corpus, kept per server and loaded again when the folder's listing changes."""
from __future__ import annotations

import gc
import hashlib
import threading

import streamlit as st

from analytics.corpus import Corpus, load_corpus
from views.paths import cache_dir, corpus_dir, folder_stamp

MAX_LOADED = 4


class _Loaded:
    """Corpora by (folder, listing digest), most recent last; one load at a time.

    Not `st.cache_resource` over the listing: hashing a 10,000-entry listing through
    Streamlit's hasher costs a tenth of a second on every rerun, and a cache that answers
    without telling whether it holds the key cannot decide to show a progress bar only when
    a load really happens."""

    def __init__(self):
        self.lock = threading.Lock()
        self.corpora: dict[tuple[str, str], Corpus] = {}

    def get(self, key: tuple[str, str]) -> Corpus | None:
        return self.corpora.get(key)

    def put(self, key: tuple[str, str], corpus: Corpus) -> None:
        self.corpora.pop(key, None)
        self.corpora[key] = corpus
        while len(self.corpora) > MAX_LOADED:
            self.corpora.pop(next(iter(self.corpora)))

    def clear(self) -> None:
        self.corpora.clear()


@st.cache_resource(show_spinner=False)
def _loaded() -> _Loaded:
    return _Loaded()


def _key(path) -> tuple[str, str]:
    stamp = repr(folder_stamp(path)).encode()
    return str(path), hashlib.sha256(stamp).hexdigest()


def _progress_bar():
    """A callback `load_corpus` reports (done, total) files to, drawing a bar with counts."""
    bar = st.progress(0.0, text="Loading the corpus…")

    def report(done: int, total: int) -> None:
        bar.progress(done / total if total else 1.0, text=f"Loading the corpus: {done:,} of {total:,} files")
    return bar, report


def _load_now(path) -> Corpus:
    bar, report = _progress_bar()
    try:
        corpus = load_corpus(path, cache_dir=cache_dir(), progress=report)
    finally:
        bar.empty()
    # Move the records (hundreds of thousands of objects that live as long as the corpus) out
    # of the collector's view: otherwise every full collection a rerun triggers walks them
    # all, half a second at 1,000 documents.  They are still freed by reference counting.
    gc.collect()
    gc.freeze()
    return corpus


def get_corpus() -> Corpus:
    path = corpus_dir()
    key = _key(path)
    loaded = _loaded()
    corpus = loaded.get(key)
    if corpus is not None:
        return corpus
    with loaded.lock:             # two sessions opening at once load the folder once
        corpus = loaded.get(key)
        if corpus is None:
            corpus = _load_now(path)
            loaded.put(key, corpus)
    return corpus


def reload_corpus() -> None:
    """After an upload: drop the loaded corpus.  The listing changed anyway, so the next
    `get_corpus` reloads (only the new file is parsed); analysis results stay in the memo
    under their documents' hashes, so only the new document's rows are computed."""
    _loaded().clear()


# Libraries that pages import on first use: NLTK (the Emerging, Topic drift and Digest pages'
# tokenizers; its package imports scipy.stats, 0.9 s) and scikit-learn's text features (Topic
# drift).  They are imported once per server, in a thread started after the first page is
# drawn, so a later page's first visit does not wait for them.  Third-party modules only.
WARM_IMPORTS = ("nltk", "sklearn.feature_extraction.text")
IMPORT_WAIT_S = 120.0
_warm: list[threading.Thread] = []      # the server's warm-import thread, once started


@st.cache_resource(show_spinner=False)
def warm_imports() -> threading.Thread:
    thread = threading.Thread(target=_import_all, args=(WARM_IMPORTS,), name="warm-imports", daemon=True)
    thread.start()
    _warm.append(thread)
    return thread


def await_warm_imports() -> None:
    """A run that starts while the warm imports are going waits for them first.

    Python's per-module locks do not make two threads' imports of the same package trees safe:
    nltk (through scipy.stats) and scikit-learn imported at once in two threads raised
    ``_DeadlockError`` in one of them in 1 of 8 tries here, and a page that gets it draws no
    chart.  Only the first seconds of a server are concerned; afterwards this is a no-op."""
    for thread in _warm:
        if thread.is_alive():
            thread.join(IMPORT_WAIT_S)


def _import_all(names: tuple[str, ...]) -> None:
    import importlib
    for name in names:
        try:
            importlib.import_module(name)
        except Exception:       # the page that needs it will say why, when it imports it
            pass
