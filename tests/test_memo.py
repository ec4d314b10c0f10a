"""analytics.memo: results by content, per-document rows, the LRU bound, one computation per key."""
from __future__ import annotations

import shutil
import threading
import time
from pathlib import Path

import pandas as pd
import pytest

from analytics.citations import citations
from analytics.corpus import load_corpus
from analytics.drift import distances
from analytics.emerging import emerging_issues
from analytics.memo import Memo
from analytics.records import representative, sort_key
from analytics.themes import theme_counts
from analytics.treaties import treaty_figures
from analytics.verbs import strength_profile

ROOT = Path(__file__).resolve().parent.parent


def by_session_then_id(df: pd.DataFrame) -> pd.DataFrame:
    return df.sort_values(["session", "document"], kind="stable", na_position="last").reset_index(drop=True)


@pytest.fixture(scope="module")
def bundled(tmp_path_factory):
    return load_corpus(ROOT / "corpus", cache_dir=tmp_path_factory.mktemp("cache"), workers=1)


def per_document_cases(corpus):
    """(analysis, documents in the order its rows come, the analysis's own row order)."""
    docs = sorted(corpus.documents, key=sort_key)
    config = corpus.config
    return {
        "themes": (lambda ds: theme_counts(ds, lexicon=config.themes), docs, None),
        "emerging": (lambda ds: emerging_issues(ds, aliases=config.aliases), docs, None),
        "treaties": (treaty_figures, list(corpus.documents), by_session_then_id),
        "citations": (citations, list(corpus.documents), by_session_then_id),
        "verb_profile": (strength_profile, list(representative(docs).values()), None),
    }


@pytest.mark.parametrize("name", ["themes", "emerging", "treaties", "citations", "verb_profile"])
def test_per_document_rows_equal_the_direct_call(bundled, name):
    fn, docs, order = per_document_cases(bundled)[name]
    memo = Memo()
    # each document computed on its own first: the hardest assembly (a draft alone has no symbol)
    for d in docs:
        memo.rows(name, fn, [d], order=order)
    got = memo.rows(name, fn, docs, order=order)
    want = fn(docs)
    pd.testing.assert_frame_equal(got, want)
    assert memo.stats["document_misses"] == len(docs)


def test_per_document_values_on_the_bundled_corpus(bundled):
    fn, docs, order = per_document_cases(bundled)["treaties"]
    rows = Memo().rows("treaties", fn, docs, order=order)
    assert list(rows["parties"]) == [158, 164, 172]
    assert list(rows["document"]) == ["A-RES-65-232", "draft-66", "A-RES-67-189"]
    fn, docs, _ = per_document_cases(bundled)["themes"]
    counts = Memo().rows("themes", fn, docs)
    cyber = counts[counts["theme"] == "cybercrime"].set_index("document")["count"]
    assert int(cyber["A-RES-67-189"]) == int(theme_counts([bundled.get("A-RES-67-189")])
                                              .set_index("theme").at["cybercrime", "count"]) > 0


def test_whole_result_equals_the_direct_call_and_is_computed_once(bundled):
    memo, calls = Memo(), []
    docs = bundled.documents

    def run():
        calls.append(1)
        return distances(docs)
    first = memo.result("distances", run, docs)
    second = memo.result("distances", run, docs)
    pd.testing.assert_frame_equal(first, distances(docs))
    pd.testing.assert_frame_equal(second, first)
    assert len(calls) == 1 and memo.stats["hits"] == 1


def test_a_caller_changing_a_frame_does_not_change_the_memo(bundled):
    memo = Memo()
    docs = bundled.documents
    frame = memo.result("treaties", lambda: treaty_figures(docs), docs)
    frame["parties"] = 0
    frame["extra"] = 1
    again = memo.result("treaties", lambda: treaty_figures(docs), docs)
    assert list(again["parties"]) == [158, 164, 172] and "extra" not in again


def test_a_changed_lexicon_fingerprint_recomputes(tmp_path):
    folder = tmp_path / "corpus"
    shutil.copytree(ROOT / "corpus", folder)
    before = load_corpus(folder, cache_dir=tmp_path / "cache", workers=1)
    memo, calls = Memo(), []

    def counting(corpus):
        def run(ds):
            calls.append([d.id for d in ds])
            return theme_counts(ds, lexicon=corpus.config.themes)
        return run
    docs = sorted(before.documents, key=sort_key)
    old = memo.rows("themes", counting(before), docs, fingerprint=before.config.fingerprint)
    (folder / "themes.toml").write_text('[[theme]]\nid = "wildlife"\nlabel = "Wildlife crime"\n'
                                        'phrases = ["trafficking in wildlife", "wild fauna and flora"]\n')
    after = load_corpus(folder, cache_dir=tmp_path / "cache", workers=1)
    assert after.config.fingerprint != before.config.fingerprint
    new = memo.rows("themes", counting(after), docs, fingerprint=after.config.fingerprint)
    assert len(calls) == 2 and len(calls[1]) == len(docs)       # every document counted again
    assert "wildlife" not in set(old["theme"]) and "wildlife" in set(new["theme"])
    pd.testing.assert_frame_equal(new, theme_counts(docs, lexicon=after.config.themes))


def test_a_changed_document_recomputes_only_its_rows(tmp_path):
    folder = tmp_path / "corpus"
    shutil.copytree(ROOT / "corpus", folder)
    memo, calls = Memo(), []

    def run(ds):
        calls.append([d.id for d in ds])
        return treaty_figures(ds)
    first = load_corpus(folder, cache_dir=tmp_path / "cache", workers=1)
    rows = memo.rows("treaties", run, first.documents, order=by_session_then_id)
    assert list(rows["parties"]) == [158, 164, 172]
    path = folder / "A-RES-67-189.txt"
    text = path.read_text(encoding="utf-8")
    assert "has reached 172," in text
    path.write_text(text.replace("has reached 172,", "has reached 175,", 1), encoding="utf-8")
    second = load_corpus(folder, cache_dir=tmp_path / "cache", workers=1)
    rows = memo.rows("treaties", run, second.documents, order=by_session_then_id)
    assert calls == [[d.id for d in first.documents], ["A-RES-67-189"]]
    assert list(rows["parties"]) == [158, 164, 175]
    pd.testing.assert_frame_equal(rows, treaty_figures(second.documents))


def test_the_lru_bound_holds_and_keeps_the_recently_used():
    memo, calls = Memo(max_entries=2), []

    class Doc:
        def __init__(self, i):
            self.id, self.sha256 = f"d{i}", f"{i:064x}"

    def result(i):
        return memo.result("n", lambda: calls.append(i) or i, [Doc(i)])
    for i in (1, 2):
        result(i)
    result(1)              # 1 is now the most recently used
    result(3)              # evicts 2
    assert len(memo) == 2
    result(1)
    result(2)
    assert calls == [1, 2, 3, 2]


def test_concurrent_threads_get_one_computation(bundled):
    memo, calls = Memo(), []
    docs = bundled.documents
    start = threading.Barrier(8)

    def slow():
        calls.append(1)
        time.sleep(0.3)
        return treaty_figures(docs)
    out: list = []

    def worker():
        start.wait()
        out.append(memo.result("treaties", slow, docs))
    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(calls) == 1 and len(out) == 8
    assert all(list(f["parties"]) == [158, 164, 172] for f in out)


def test_concurrent_rows_calls_compute_each_document_once(bundled):
    memo, calls = Memo(), []
    docs = list(bundled.documents)
    start = threading.Barrier(6)

    def slow(ds):
        calls.append(len(ds))
        time.sleep(0.3)
        return citations(ds)
    out: list = []

    def worker():
        start.wait()
        out.append(memo.rows("citations", slow, docs, order=by_session_then_id))
    threads = [threading.Thread(target=worker) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert calls == [len(docs)] and len(out) == 6
    assert all(len(f) == len(citations(docs)) for f in out)


def test_a_failure_reaches_every_waiter_and_is_not_kept(bundled):
    memo = Memo()
    docs = bundled.documents

    def broken():
        raise ValueError("no such term")
    with pytest.raises(ValueError, match="no such term"):
        memo.result("trend", broken, docs, params={"term": "x"})
    assert memo.result("trend", lambda: 7, docs, params={"term": "x"}) == 7


def test_keys_separate_parameters_and_documents(bundled):
    memo = Memo()
    docs = bundled.documents
    a = memo.result("n", lambda: "a", docs, params={"top": 15})
    b = memo.result("n", lambda: "b", docs, params={"top": 10})
    c = memo.result("n", lambda: "c", docs[:2], params={"top": 15})
    d = memo.result("n", lambda: "d", docs, params={"top": 15})
    assert (a, b, c, d) == ("a", "b", "c", "a")


@pytest.mark.parametrize("max_runs", [64, 2])
def test_rows_from_many_blocks_come_in_document_order_either_way(bundled, monkeypatch, max_runs):
    """Rows assembled from blocks computed at different times: by runs of consecutive
    documents (slices where the rows sit together), or, past MAX_RUNS runs, by one take per
    block and a reorder. The analysis orders its own rows by theme, not by document."""
    from analytics import memo as memo_mod
    monkeypatch.setattr(memo_mod, "MAX_RUNS", max_runs)
    fn, docs, _ = per_document_cases(bundled)["themes"]
    memo = Memo()
    memo.rows("themes", fn, docs)                      # one block: all five
    memo.rows("themes", fn, [docs[2]], fingerprint="b")
    for d in docs[::2]:
        memo.rows("themes", fn, [d], fingerprint="b")  # blocks of one document each
    got = memo.rows("themes", fn, docs[::-1] + docs, fingerprint="b")
    full = fn(docs)      # the memo's contract: each document's rows, in the order asked for
    want = pd.concat([full[full["document"] == d.id] for d in docs[::-1] + docs], ignore_index=True)
    pd.testing.assert_frame_equal(got, want)
    assert memo.stats["document_misses"] == 5 + 3 + 2
    cyber = got[(got["document"] == "A-RES-65-232") & (got["theme"] == "cybercrime")]
    assert cyber["count"].tolist() == [3, 3]
