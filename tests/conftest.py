import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analytics.corpus import load_corpus  # noqa: E402

CORPUS_DIR = ROOT / "corpus"
FIXTURES = ROOT / "tests" / "fixtures"


@pytest.fixture(scope="session")
def corpus(tmp_path_factory):
    # a private cache so tests never depend on (or disturb) the developer's cache/
    return load_corpus(CORPUS_DIR, cache_dir=tmp_path_factory.mktemp("cache"), workers=1)


@pytest.fixture(scope="session")
def docs(corpus):
    return {d.id: d for d in corpus.documents}


@pytest.fixture
def work(tmp_path):
    """(corpus folder, cache folder): a fresh copy of the bundled texts and an empty cache, with
    the loader's in-process memo cleared so every test starts from what is on disk."""
    import shutil

    from analytics import corpus as corpus_mod
    corpus_dir = tmp_path / "corpus"
    corpus_dir.mkdir()
    for p in sorted(CORPUS_DIR.glob("A-*")):
        shutil.copy2(p, corpus_dir / p.name)
    corpus_mod._MEMO.clear()
    return corpus_dir, tmp_path / "cache"
