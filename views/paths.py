"""Where the dashboard's corpus and parse cache live: the environment, else the bundled folders."""
from __future__ import annotations

import os
from pathlib import Path

from analytics.corpus import DEFAULT_CACHE, DEFAULT_CORPUS

CORPUS_ENV = "UNRES_CORPUS_DIR"
CACHE_ENV = "UNRES_CACHE_DIR"


def corpus_dir() -> Path:
    return Path(os.environ.get(CORPUS_ENV) or DEFAULT_CORPUS)


def cache_dir() -> Path:
    return Path(os.environ.get(CACHE_ENV) or DEFAULT_CACHE)


def folder_stamp(path: Path) -> tuple:
    """Cheap change detector for a folder: names, sizes and mtimes (stat only).  Override
    files (themes.toml, ...) are in the listing, so a changed lexicon reloads the corpus
    and with it `Corpus.config`."""
    try:
        with os.scandir(path) as it:
            return tuple(sorted((e.name, e.stat().st_size, e.stat().st_mtime_ns)
                                for e in it if e.is_file() and not e.name.startswith(".")))
    except OSError:
        return ()
