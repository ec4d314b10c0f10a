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
