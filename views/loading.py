"""The loaded corpus, kept per server and loaded again when the folder's listing changes."""
from __future__ import annotations

import streamlit as st

from analytics.corpus import Corpus, load_corpus
from views.paths import cache_dir, corpus_dir, folder_stamp


@st.cache_resource(show_spinner=False, max_entries=4)
def _load(stamp: tuple, _corpus: str, _cache: str) -> Corpus:
    return load_corpus(_corpus, cache_dir=_cache)


def get_corpus() -> Corpus:
    path = corpus_dir()
    with st.spinner("Loading the corpus…"):
        return _load(folder_stamp(path), str(path), str(cache_dir()))


def reload_corpus() -> None:
    """After an upload: drop the loaded corpus.  The listing changed anyway, so the next
    `get_corpus` reloads (only the new file is parsed); analysis results stay in the memo
    under their documents' hashes, so only the new document's rows are computed."""
    _load.clear()
