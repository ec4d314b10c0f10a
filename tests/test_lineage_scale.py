"""The large-corpus search of analytics.lineage: settling verbatim copies without scoring
gives the search's own predecessors (no timing here: speed is measured by benchmarks/)."""
from __future__ import annotations

import random

import numpy as np

from analytics import lineage as L
from analytics.align import featurize

WORDS = ("General Assembly Member States Office Drugs Crime Convention technical assistance "
         "requests urges welcomes notes report Secretary-General programme cooperation "
         "international regional national trafficking persons corruption protocol session").split()


def _corpus(seed: int = 3, sessions: int = 12, series: int = 15, paras: int = 12):
    """Series re-adopting their paragraphs each session: most verbatim, some amended, some
    new, a shared formula in every text (crowded buckets)."""
    rng = random.Random(seed)
    texts, rank = [], []
    current = [[" ".join(rng.choices(WORDS, k=25)) for _ in range(paras)] for _ in range(series)]
    for s in range(sessions):
        for k, body in enumerate(current):
            for t in body + ["Recalling its previous resolutions on the subject,"]:
                texts.append(t)
                rank.append(60 + s)
            for p in range(paras):
                roll = rng.random()
                if roll < 0.15:
                    w = body[p].split()
                    w[rng.randrange(len(w))] = rng.choice(WORDS)
                    body[p] = " ".join(w)
                elif roll < 0.2:
                    body[p] = " ".join(rng.choices(WORDS, k=25))
    return texts, np.asarray(rank, dtype=np.int64)


def _full_search(texts, rank, *, candidates=8, verify=4, min_similarity=0.5):
    """The search over every item, no copy settled: the pre-settling algorithm."""
    distinct, uid = L._distinct(texts)
    f = featurize(distinct)
    opt = L._Search(min_similarity, candidates, 0)   # verify 0 disables the settling ...
    ranks, rdense = np.unique(rank, return_inverse=True)
    sig = L.minhash(f)
    orig = L._settle_copies
    try:
        L._settle_copies = lambda windows, items, *a: np.arange(items.size)
        return L._lsh_predecessors(f, uid, rank, rdense.ravel().astype(np.int64), len(ranks),
                                   opt._replace(verify=verify), sig)   # ... not the search
    finally:
        L._settle_copies = orig


def test_settled_copies_are_the_searchs_result():
    texts, rank = _corpus()
    assert len(texts) > L.EXACT_LIMIT           # the LSH path, not the exact one
    prev, sim = L.predecessors(texts, rank, method="lsh")
    ref_prev, ref_sim = _full_search(texts, rank)
    np.testing.assert_array_equal(prev, ref_prev)
    np.testing.assert_array_equal(sim, ref_sim)
    first_session = rank == rank.min()
    assert (prev[first_session] == -1).all()
    # the shared formula of a later session takes its first copy in the session before
    row = texts.index("Recalling its previous resolutions on the subject,", int(np.argmax(rank == 61)))
    assert rank[prev[row]] == 60 and sim[row] == 1.0
    assert texts[prev[row]] == texts[row]


def test_first_copy_a_band_window_holds():
    # one band, windows of 2: rows 0-3 are copies (session 0), row 4 the item (session 1)
    order = np.arange(5, dtype=np.int32)
    windows = [(order, np.array([2], np.int32), np.array([2], np.uint8))]
    t = L._first_in_window(windows, np.arange(4), np.array([0]), np.array([4]))
    assert t.tolist() == [2]      # rows 2 and 3 are in the window, row 2 is the lowest


def test_batch_tokeniser_matches_words_per_text():
    """featurize tokenises a batch as one string joined by U+0001: the same words, per text,
    as `words` on each text, across text boundaries and with the separator inside a text."""
    from analytics.align import _typographic, _word_codes
    from analytics.text import words
    batches = [["Recalling its resolution 78/228 of 19 December 2023,", "", "non\u2011governmental ΟΔΟΣ",
                "ΣΟ", "States’ -led cross-border"],
               ["a\x01b", "c"]]           # a text holding the separator: tokenised text by text
    for batch in batches:
        vocab: dict[str, int] = {}
        codes, lens = _word_codes(batch, vocab, [])
        word_of = {v: w for w, v in vocab.items()}
        got, start = [], 0
        for n in lens.tolist():
            got.append([word_of[c] for c in codes[start:start + n].tolist()])
            start += n
        assert got == [words(_typographic(t)) for t in batch]
    assert got[0] == ["a", "b"]
    assert words(_typographic(batches[0][2])) == ["nongovernmental", "οδος"]


def test_roots_follow_predecessors_to_the_first_row():
    prev = np.array([-1, 0, 1, -1, 2, 3, -1])
    assert L._roots(prev).tolist() == [0, 0, 0, 3, 0, 3, 6]


# --------------------------------------------------------------------------- exact shortcuts

def test_agreement_counts_are_the_hashes_that_agree():
    rng = np.random.default_rng(1)
    sig = rng.integers(0, 4, size=(50, 64)).astype(np.uint16)
    i, j = rng.integers(0, 50, 3000), rng.integers(0, 50, 3000)
    expected = (sig[i] == sig[j]).sum(axis=1)
    assert np.array_equal(L._agreements(sig, i, j), expected)
    rows = rng.permutation(50)
    assert np.array_equal(L._agreements(sig, i, j, rows=rows), (sig[rows[i]] == sig[rows[j]]).sum(axis=1))
    # every width: multiples of 8 take the byte-sum path, others count_nonzero
    for width in (1, 7, 8, 64, 72):
        eq = rng.random((20, width)) < 0.5
        assert np.array_equal(L._count_true(eq), eq.sum(axis=1))
    assert np.array_equal(L._count_true(np.ones((3, 64), dtype=bool)), [64, 64, 64])


def test_minhash_is_the_minimum_hash_of_each_bigram_set():
    texts, _ = _corpus(sessions=2, series=3, paras=4)
    f = featurize(texts)
    rng = np.random.default_rng(0)
    a = rng.integers(0, 2**63, size=L.N_HASHES, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
    b = rng.integers(0, 2**63, size=L.N_HASHES, dtype=np.uint64)
    sig = L.minhash(f)
    assert sig.shape == (len(texts), L.N_HASHES) and sig.flags.c_contiguous
    for r in (0, 5, len(texts) - 1):
        cols = f.bigram_hash[f.bigrams.indices[f.bigrams.indptr[r]:f.bigrams.indptr[r + 1]]]
        want = [int(((a[k] * cols + b[k]) >> np.uint64(32)).astype(np.uint32).min()) for k in range(L.N_HASHES)]
        assert sig[r].tolist() == want


def test_a_first_match_prunes_only_pairs_that_cannot_beat_it():
    texts = ["the General Assembly welcomes the report of the Secretary-General on crime",
             "the General Assembly welcomes the report of the Secretary-General on crime prevention",
             "the General Assembly welcomes the report",
             "notes",
             "the General Assembly welcomes the report of the Secretary-General on crime"]
    f = featurize(texts)
    uid = np.arange(len(texts))
    i, j = np.array([0, 0, 0, 2, 2]), np.array([1, 2, 3, 4, 3])
    fi, fj, s = L._first_beaten(f, uid, i, j, 0.5)
    # 0's first pair scores high; "notes" is too short to tie it, the third pair is kept only if
    # its bound reaches that score; row 2's first pair is scored as well
    pairs = set(zip(fi.tolist(), fj.tolist()))
    assert (0, 1) in pairs and (2, 4) in pairs and (0, 3) not in pairs
    full = L._similarities(f, uid, i, j)
    got = dict(zip(zip(fi.tolist(), fj.tolist()), s.tolist()))
    for a, b, v in zip(i.tolist(), j.tolist(), full.tolist()):
        if (a, b) in got:
            assert got[(a, b)] == v
        else:       # pruned: cannot beat its row's first pair
            first = full[np.flatnonzero(i == a)[0]]
            assert v < first


def test_pair_chunks_cover_every_item_once_in_order():
    sizes = np.array([3, 0, 5, 1, 2, 7, 0, 4])
    chunks = L._pair_chunks(sizes, cells=6)
    assert [x for c in chunks for x in range(len(sizes))[c]] == list(range(len(sizes)))
    assert all(sizes[c].sum() <= 6 + 7 for c in chunks) and len(chunks) > 1
    assert L._pair_chunks(np.zeros(0, dtype=np.int64)) == []


def test_query_classes_group_queries_of_one_text_and_session():
    first, members, bounds = L._query_classes(np.array([5, 2, 5, 9, 2, 5]))
    assert first.tolist() == [1, 0, 3]            # classes 2, 5, 9 and where each first occurs
    assert [members[bounds[c]:bounds[c + 1]].tolist() for c in range(3)] == [[1, 4], [0, 2, 5], [3]]


def test_threaded_series_lineage_equals_one_thread(tmp_path, monkeypatch):
    """Series parts, source bands and query chunks searched in threads give, row for row, the
    frame one thread gives (a generated corpus of many series, with borrowed language)."""
    import sys
    from pathlib import Path

    import pandas as pd

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from analytics.corpus import load_corpus
    from analytics.series import group_series
    from benchmarks.generate import generate

    generate(tmp_path / "corpus", 120, seed=1)
    docs = list(load_corpus(tmp_path / "corpus", cache_dir=tmp_path / "cache").documents)
    series = group_series(docs)
    monkeypatch.setattr(L, "WORKERS", 1)
    one = L.paragraph_lineage(docs, series=series, method="lsh")
    monkeypatch.setattr(L, "WORKERS", 3)
    lay = L._layout(docs, np.ones(len(docs), dtype=bool), series)
    assert len(L._series_parts(lay, 3)) == 3            # three threads really share the work
    many = L.paragraph_lineage(docs, series=series, method="lsh")
    assert set(one["status"]) == {"agreed", "amended", "new", "borrowed"}
    pd.testing.assert_frame_equal(many, one)


def test_a_series_traced_alone_is_its_rows_of_the_whole_trace(tmp_path):
    """Traced alone with the corpus as sources, each series gets exactly its rows of the
    trace of the whole corpus: the pool is in corpus order whatever is traced, so every
    candidate window and tie-break is the same (before, among verbatim copies of a source
    another copy could be named).  With a shared `lineage_index` too."""
    import sys
    from pathlib import Path

    import pandas as pd

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from analytics.corpus import load_corpus
    from analytics.series import group_series
    from benchmarks.generate import generate

    generate(tmp_path / "corpus", 160, seed=2)
    docs = list(load_corpus(tmp_path / "corpus", cache_dir=tmp_path / "cache").documents)
    series = group_series(docs)
    whole = L.paragraph_lineage(docs, series=series, method="lsh")
    assert set(whole["status"]) == {"agreed", "amended", "new", "borrowed"}
    index = L.lineage_index(docs, method="lsh")
    for sid in series.ids:
        members = series.members(sid)
        cut = L.rows_of(whole, [d.id for d in members])
        alone = L.paragraph_lineage(members, series=series, sources=docs, method="lsh")
        pd.testing.assert_frame_equal(alone, cut)
        pd.testing.assert_frame_equal(
            L.paragraph_lineage(members, series=series, sources=docs, method="lsh", index=index), cut)


def test_an_index_extended_after_a_change_traces_as_a_fresh_one(tmp_path):
    """One paragraph edited, one document added: the index of the earlier state, extended
    (`lineage_index(..., previous=)`), reads only the new texts and traces exactly as an index
    built from scratch; so does one extended from an unrelated corpus, which is rebuilt once
    its unused texts outnumber the used ones."""
    import sys
    from pathlib import Path

    import pandas as pd

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from analytics.corpus import load_corpus
    from analytics.series import group_series
    from benchmarks.generate import generate

    generate(tmp_path / "corpus", 160, seed=4)
    docs = list(load_corpus(tmp_path / "corpus", cache_dir=tmp_path / "cache").documents)
    series = group_series(docs)
    fresh = L.paragraph_lineage(docs, series=series, method="lsh")
    x, added = docs[40], docs[90]
    p0 = x.preambular[0]
    edited = x.evolve(preambular=(p0._replace(text=p0.text + " and its new protocol"),) + x.preambular[1:],
                      sha256="edited")
    before = [edited if d is x else d for d in docs if d is not added]
    old = L.lineage_index(before, method="lsh")
    new = L.lineage_index(docs, method="lsh", previous=old)
    # the texts of the earlier state keep their rows; only the unseen ones were added
    assert len(new.texts) == len(old.texts) + len(set(p.text for p in (*x.paragraphs, *added.paragraphs))
                                                  - set(old.texts))
    assert (new.sig[:len(old.texts)] == old.sig).all()
    assert new.features.bag.shape[0] == len(new.texts)
    pd.testing.assert_frame_equal(L.paragraph_lineage(docs, series=series, method="lsh", index=new), fresh)
    assert set(fresh["status"]) == {"agreed", "amended", "new", "borrowed"}

    generate(tmp_path / "other", 160, seed=5)
    other = list(load_corpus(tmp_path / "other", cache_dir=tmp_path / "cache2").documents)
    used = len(set(new.uid.tolist()))
    grown = L.lineage_index(docs, method="lsh", previous=L.lineage_index(other, method="lsh"))
    assert used < len(grown.texts) <= 2 * used       # generated series share much boilerplate
    pd.testing.assert_frame_equal(L.paragraph_lineage(docs, series=series, method="lsh", index=grown), fresh)
    from docmaker import make_doc
    unrelated = [make_doc(f"u{k}", [f"Noting report number {k} on topic {k * 7919 % 10007} item {w}"
                                    for w in ("alpha", "beta", "gamma", "delta")]) for k in range(1000)]
    rebuilt = L.lineage_index(docs, method="lsh", previous=L.lineage_index(unrelated, method="lsh"))
    assert len(rebuilt.texts) == used
    pd.testing.assert_frame_equal(L.paragraph_lineage(docs, series=series, method="lsh", index=rebuilt), fresh)


def test_extended_features_score_as_fresh_ones():
    from analytics.align import pair_similarity

    texts = ["Recalling its resolution 70/1 of 25 September 2015,",
             "Decides to include in the provisional agenda of its eighty-first session the item;",
             "Recalling also its resolution 79/1 of 22 September 2024,",
             "Decides to remain seized of the matter."]
    whole = featurize(texts)
    # the last two texts first: their words and bigrams get the first numbers
    grown = featurize(texts[:2], base=featurize(texts[2:]))
    at = np.array([2, 3, 0, 1])                      # grown row k is text at[k]
    assert grown.vocab != whole.vocab                # the same words, numbered otherwise
    i, j = np.array([0, 0, 1, 2, 0]), np.array([2, 3, 3, 3, 1])
    assert np.allclose(pair_similarity(grown, i, j), pair_similarity(whole, at[i], at[j]))
    assert (grown.n_words == whole.n_words[at]).all() and (grown.n_bigrams == whole.n_bigrams[at]).all()
    assert (L.minhash(grown) == L.minhash(whole)[at]).all()


def test_an_index_of_other_documents_is_refused(tmp_path):
    import pytest
    from docmaker import make_doc

    a = make_doc("a70", ["Recalling its resolution 1/1,"], ["Decides to remain seized of the matter;"])
    b = make_doc("b71", ["Recalling its resolution 1/1,"], ["Decides to remain seized of the matter;"], session=71)
    with pytest.raises(ValueError, match="other documents"):
        L.paragraph_lineage([a], series={"a70": "s", "b71": "s"}, sources=[b], index=L.lineage_index([a]))
    with pytest.raises(ValueError, match="other documents or options"):
        L.paragraph_lineage([a], series={"a70": "s"}, index=L.lineage_index([a], method="exact"))
    with pytest.raises(ValueError, match="series"):
        L.paragraph_lineage([a], index=L.lineage_index([a]))


def test_series_parts_are_whole_series_of_about_equal_rows():
    bounds = np.array([0, 10, 20, 30, 40, 45, 50], dtype=np.int64)      # 6 documents
    lay = L._Layout(bounds=bounds, rank=np.arange(6), series=np.array([0, 0, 1, 1, 2, 3]),
                    names=("a", "b", "c", "d"), traced=np.ones(6, dtype=bool), earlier=((),) * 6,
                    source=np.ones(6, dtype=bool), version=np.arange(6))
    parts = L._series_parts(lay, 2)
    # rows per series 20, 20, 5, 5: the two large series apart, then a small one with each
    assert [p.tolist() for p in parts] == [[True, True, False, False, True, False],
                                           [False, False, True, True, False, True]]
    assert len(L._series_parts(lay, 1)) == 1 and L._series_parts(lay, 1)[0].all()


def test_chunks_make_one_range_per_thread_at_least():
    assert [c.tolist() for c in L._chunks(10, 1, parts=3)] == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
    assert [c.tolist() for c in L._chunks(10, 1 << 22, cells=1 << 23, parts=1)] == [
        [0, 1], [2, 3], [4, 5], [6, 7], [8, 9]]


def test_band_tables_of_the_query_buckets_alone_give_the_same_trace(tmp_path, monkeypatch):
    """One series of a larger corpus sorts only the band buckets its queries are in
    (`QUERY_BANDS_SHARE`): every series' trace equals the one with the whole band tables."""
    import sys
    from pathlib import Path

    import pandas as pd

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from analytics.corpus import load_corpus
    from analytics.series import group_series
    from benchmarks.generate import generate

    generate(tmp_path / "corpus", 160, seed=6)
    docs = list(load_corpus(tmp_path / "corpus", cache_dir=tmp_path / "cache").documents)
    series = group_series(docs)
    restricted: list = []
    real = L._source_bands

    def counted(*args, texts=None):
        restricted.append(texts is not None)
        return real(*args, texts=texts)
    monkeypatch.setattr(L, "_source_bands", counted)
    borrowed = 0
    for sid in series.ids:
        members = series.members(sid)
        monkeypatch.setattr(L, "QUERY_BANDS_SHARE", 8)    # small corpus: the path is taken
        part = L.paragraph_lineage(members, series=series, sources=docs, method="lsh")
        monkeypatch.setattr(L, "QUERY_BANDS_SHARE", 10**9)   # never: the whole tables
        pd.testing.assert_frame_equal(part, L.paragraph_lineage(members, series=series, sources=docs, method="lsh"))
        borrowed += int((part["status"] == "borrowed").sum())
    assert borrowed > 0
    assert True in restricted and False in restricted        # both paths were taken
    # one index traced series after series (the Lineage page): the first sorts its queries'
    # buckets, the next ones build the whole tables once and keep them; the same rows
    monkeypatch.setattr(L, "QUERY_BANDS_SHARE", 8)    # small corpus: the path is taken
    index = L.lineage_index(docs, method="lsh")
    restricted.clear()
    for sid in series.ids[:3]:
        members = series.members(sid)
        pd.testing.assert_frame_equal(L.paragraph_lineage(members, series=series, sources=docs, method="lsh",
                                                          index=index),
                                      L.paragraph_lineage(members, series=series, sources=docs, method="lsh"))
    assert restricted[0] is True and restricted.count(False) == 1    # whole tables once, then kept


def test_bucket_order_is_the_stable_order_of_bucket_then_session():
    rng = np.random.default_rng(3)
    session = np.sort(rng.integers(0, 7, 5000))
    for high in (50, 70_000, 5_000_000):       # one radix pass, two passes, two with big ids
        bucket = rng.integers(0, high, 5000)
        order, key = L._bucket_order(bucket, session, 7, True)
        want_order, want_key = L._stable_order(bucket * 7 + session)
        assert np.array_equal(order, want_order) and np.array_equal(key, want_key)
    # sessions out of order: the bucket alone no longer orders them, the packed sort does
    shuffled = rng.permutation(session)
    order, key = L._bucket_order(bucket, shuffled, 7, False)
    assert np.array_equal(order, np.argsort(bucket * 7 + shuffled, kind="stable"))
    assert np.all(np.diff(key) >= 0)


def test_cross_candidates_are_the_same_whatever_the_order_of_the_windows():
    # one bucket of six sources in sessions 0, 0, 1, 1, 2, 2; queries of session 2 and 1
    key = np.array([0, 0, 1, 1, 2, 2])
    rows = np.array([10, 11, 12, 13, 14, 15])
    bands = [(np.array([0, 0]), key, rows), (np.array([0, 0]), key, rows)]
    k, j = L._cross_candidates(bands, np.array([0, 1]), np.array([2, 1]), 3, 2)
    # per query the two latest of earlier sessions and the first two of its own, once each
    assert list(zip(k.tolist(), j.tolist())) == [(0, 12), (0, 13), (0, 14), (0, 15),
                                                 (1, 10), (1, 11), (1, 12), (1, 13)]
