"""Where each paragraph's wording comes from: its predecessor, origin and chain.

For every paragraph of every document, the *predecessor* is the most similar
paragraph in the most recent earlier session that has any paragraph at least
``min_similarity`` alike (the similarity of `analytics.align`, so a pair scores
the same here and in a two-text comparison).  Following predecessors back gives
the *chain* and its first element, the *origin*: the earliest session where the
wording (or the wording it was amended from) appears.

Decisions
---------
* Same-session texts (a draft and its adopted text) are never each other's
  predecessors: the draft is not an earlier stage of agreed language, it is
  the same negotiation.  Both point back to the previous session.  A document
  without a session is treated as the latest.
* Any paragraph may be a predecessor, preambular or operative: agreed language
  does migrate between parts ("Recognizes the general progress ..." became
  "Recognizing the general progress ...").
* Several paragraphs may share a predecessor (a paragraph split in two).
* status: ``agreed`` similarity >= threshold, ``amended`` >= min_similarity,
  ``new`` no earlier match.  Chains follow agreed and amended links alike.

Scale (10,000 documents, ~600,000 paragraphs): no all-pairs comparison.
Candidate pairs come from MinHash LSH on the word-bigram sets (numpy only):
64 hash functions in 32 bands of 2 rows, so a pair with bigram Jaccard J
becomes a candidate with probability 1-(1-J^2)^32 (0.87 at J=0.25, 0.999 at
J=0.5; pairs at the agreed threshold have J > 0.6).  Within a band bucket
members are ordered by session and each paragraph takes only the `candidates`
members immediately before its own session group, i.e. the copies in the most
recent earlier sessions, which bounds the work at N x bands x candidates even
for boilerplate shared by thousands of paragraphs.  Candidates are screened by
the MinHash estimate and scored exactly (vectorised), session by session from
the most recent: only paragraphs without a match there go on to older ones, and
per session only the `verify` candidates with the best estimate are scored.
The approximations (a bucket window, a top-`verify` by estimate) only matter
when dozens of near-copies compete; on the seeds and on a synthetic series the
result equals the exact search (tests).  LSH was preferred to
TF-IDF + brute NearestNeighbors because a brute sparse search is still all
pairs of paragraphs sharing any shingle (common phrases make that dense), and
restricting it to earlier sessions means refitting per session.  Small corpora
(<= `EXACT_LIMIT` paragraphs) are scored exactly on all earlier-session pairs.

Work is per distinct text, not per paragraph: a series carries most paragraphs verbatim,
so word features and signatures are built once per distinct text (65,000 for 603,000
paragraphs at 10,000 generated documents), copies of a text within one session share their
candidates and result (one of them is searched), and each distinct pair of texts is scored
once.  Candidates are assembled and verified in chunks of searched paragraphs, so memory
stays bounded.  The result is the same as searching every paragraph.

Most searched paragraphs (59% at 10,000 generated documents) have a verbatim copy in their
latest candidate session; that copy scores 1.0 with every hash agreeing, so the search's
answer is known without scoring: the lowest-row copy some band window holds
(`_settle_copies`, exact by construction; a text whose signature another wording shares is
searched as before).  Only the rest go through agreement counts and scoring; agreements
are counted on signatures renumbered per hash into uint16 (the same equalities, half the
memory read).

Lineage by series (``paragraph_lineage(docs, series=...)``)
-----------------------------------------------------------
On a corpus of many resolutions the corpus-wide search calls language that two series share
"amended from" each other, which it is not: a series' versions are its own sessions.  Given
a `SeriesIndex` (or a mapping document id -> series id), lineage runs inside each series:

* Versions.  Each session of a series is represented by one text, as in the session-level
  series (`records.representative`: the adopted text, the draft only when no adopted text
  of that session is there).  Every document -- adopted text or draft -- is aligned with
  the representative of the latest earlier session of its own series, and a paragraph with
  no match there goes on to the session before (as above: most recent session with a match
  wins, best similarity, then corpus order).  A draft is thus compared with the previous
  session's adopted text; an adopted text is not compared with its own draft: the draft is
  the same negotiation, and linking them would count that session twice in every chain and
  call every paragraph "agreed from the draft", hiding what the session carried over.  A
  document without a session is the latest of its series.  Statuses, origins and chains
  are as above, within the series.
* Speed.  Each version is a few dozen paragraphs, so the alignment is a join: a paragraph
  whose wording (same words and bigrams: a score of 1.0) is in the version takes the first
  such paragraph at once (nothing scores higher); the others are scored against the
  version's paragraphs, less the pairs whose lengths alone keep them under
  ``min_similarity`` or, once a paragraph's best-estimate pair is scored, under that
  score (no score exceeds the length bound, so such a pair cannot win); going back a
  version, texts already met in a later version are skipped (they scored below the floor
  there).  That is exact.  Every document takes its
  k-th version back in one array pass over all documents (a few dozen passes in all, not a
  few numpy calls per document and version).  Above `EXACT_LIMIT`
  paragraphs ("auto") or with "lsh", only a paragraph's `verify` best candidates of a
  version by MinHash estimate are scored, the corpus-wide rule for one session.
* Borrowed language.  A paragraph left without a match in its series is looked for in the
  other series: among the paragraphs of their session texts (representatives) of the same
  or an earlier session, with similarity >= ``borrow_similarity``.  Earlier sessions come
  first, the latest first, and the paragraph's own session last: a text adopted the same
  day cannot have been the drafters' model, and of two series sharing language in one
  session each is reported as borrowing from the other.  Such a paragraph is ``borrowed``
  with ``source_document``/``source_key``/``source_series``/``source_session`` and
  ``similarity`` (to the source); it has no predecessor, and its origin in its own series
  is itself.  Candidates come from MinHash LSH over those paragraphs only: per band the
  `candidates` latest of earlier sessions in the paragraph's bucket and the first
  `candidates` of its own session; "auto" below `EXACT_LIMIT` scores every pair.
* ``borrow_similarity`` 0.6 (`BORROW_SIMILARITY`), above the 0.5 that links versions:
  another series' paragraph sharing only a long citation is not borrowed language.  On the
  real texts 78/228, 80/228 (trafficking in persons) and 80/229 (crime programme), 80/229
  takes three paragraphs from 78/228 at 0.81 (PP54, an organ-trafficking recall), 0.64
  (PP63) and 0.63 (PP58, half of 78/228 OP24), while PP3 shares only the Kyoto
  Declaration's title and the Fourteenth Congress with 78/228 PP16 (0.51).
* Threads (`WORKERS`, up to 4, one per core).  The alignment inside series runs in parts of
  whole series (a document's versions are in its own series, so parts share no rows), the
  borrowed-language search in chunks of queries (each query in one chunk), the band
  tables and MinHash functions split among threads, and the frame is built while the
  borrowed language is searched.  The work is numpy, which releases the GIL; the result is
  the one thread's, row for row (tests).  At 10,000 generated documents on 2 cores:
  8.6 s -> 5.5-6 s.
* ``sources``: further documents searched for borrowed language only (no rows of their
  own, never predecessors).

One pool in corpus order (`lineage_index`)
-----------------------------------------
Tracing one series with the rest of the corpus as ``sources`` gives exactly that series' rows
of the trace of the whole corpus (tests), so a paragraph shows one predecessor, similarity and
source whichever series or sessions the reader picks.  That holds because the pool (documents
and sources) is put in corpus order whatever part of it is traced, and tracing is a mask over
it: the candidate windows of the borrowed-language search and every tie-break ("then corpus
order") see the same rows in the same order.  (Before, the traced documents came first, and
among verbatim copies of a source a series traced alone could name another copy than the
whole trace, or resolve a near-tie the other way: some rows of each of 12 series sampled at
10,000 generated documents.)  The pool's own work -- rows, distinct texts, word features,
MinHash signatures -- is a `LineageIndex`, built once and shared by the calls that trace
different parts of one corpus (``index=``; it keeps the LSH band tables of the borrowed-language
search once built): at 10,000 generated documents the index takes 2.3-2.6 s, the first series
then 0.6 s (the band tables), each further series 0.17-0.26 s instead of about 3 s, and the
whole corpus 7-8.5 s either way.  After a file changes, the index of the corpus's previous state
is extended by the texts it has not seen (``previous=``; 1.05-1.26 s against 2.5-3.0 s), and
traces exactly as a new one (tests).
"""
from __future__ import annotations

import itertools
import os
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Literal, NamedTuple

import numpy as np
import pandas as pd
import scipy.sparse as sp

from .align import DEFAULT_THRESHOLD, Features, as_documents, featurize, pair_similarity
from .records import representative
from .text import gc_paused

COLUMNS = ["document", "symbol", "session", "key", "part", "number",
           "origin_session", "origin_document", "origin_key", "similarity",
           "previous_session", "previous_document", "previous_key", "status", "chain"]
SERIES_COLUMNS = COLUMNS + ["series", "source_series", "source_document", "source_key", "source_session"]
BORROWED_COLUMNS = ["document", "key", "source_document", "source_key", "source_series", "similarity",
                    "text", "series", "session", "source_session", "source_text"]
STATUSES = ("agreed", "amended", "new", "borrowed")
BORROW_SIMILARITY = 0.6     # across series; see "Language borrowed from another series"
EXACT_LIMIT = 1500          # paragraphs; all-pairs scoring below this is cheaper than hashing
N_HASHES, ROWS_PER_BAND = 64, 2
QUERY_BANDS_SHARE = 100     # fewer queries than sources / this: band tables of their buckets only
_SCREEN = 0.1               # MinHash-estimated bigram Jaccard below which a candidate is dropped
_NO_SESSION = 10**6
# Threads, not processes: the stages below spend their time in numpy sorts, gathers and
# comparisons, which release the GIL, on arrays every thread reads in place.
WORKERS = max(1, min(4, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1))


def _pmap(fn, items) -> list:
    """``[fn(x) for x in items]``, in up to `WORKERS` threads; results in the order of items."""
    items = list(items)
    n = min(WORKERS, len(items))
    if n < 2:
        return [fn(x) for x in items]
    with ThreadPoolExecutor(n) as pool:
        return list(pool.map(fn, items))


# --------------------------------------------------------------------------- candidates

def minhash(f: Features, *, n_hashes: int = N_HASHES, seed: int = 0) -> np.ndarray:
    """MinHash signatures (rows x n_hashes, uint32) of the bigram sets of `f`.

    Multiply-shift hashing (``(a*x + b) mod 2**64 >> 32``: no modulo) of each bigram's hash
    of its words (`Features.bigram_hash`), not of its column number: a text's signature is
    the same whichever texts were featurized with it, so an index extended by new texts
    (`lineage_index(..., previous=)`) has the signatures a fresh one would.  Each hash
    function is evaluated once per bigram column (every column occurs, so there are no more
    columns than non-zeros) and looked up per non-zero, and each function's minima fill one
    contiguous row of a transposed array (a third faster than a strided column)."""
    rng = np.random.default_rng(seed)
    a = rng.integers(0, 2**63, size=n_hashes, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
    b = rng.integers(0, 2**63, size=n_hashes, dtype=np.uint64)
    big = f.bigrams
    cols = big.indices
    n = big.shape[0]
    sig = np.full((n_hashes, n), np.iinfo(np.uint32).max, dtype=np.uint32)
    nonempty = np.diff(big.indptr) > 0          # padded bigrams: never empty, kept for safety
    if cols.size:
        starts, every = big.indptr[:-1][nonempty], bool(nonempty.all())
        ids, shift = f.bigram_hash.astype(np.uint64), np.uint64(32)

        def fill(ks):
            for k in ks:
                h = ((a[k] * ids + b[k]) >> shift).astype(np.uint32)
                low = np.minimum.reduceat(h[cols], starts)
                if every:
                    sig[k] = low
                else:
                    sig[k, nonempty] = low
        _pmap(fill, np.array_split(np.arange(n_hashes), WORKERS))
    return np.ascontiguousarray(sig.T)


def _band_keys(sig: np.ndarray, start: int, rows_per_band: int) -> np.ndarray:
    key = sig[:, start].astype(np.uint64)
    for r in range(1, rows_per_band):
        key = key * np.uint64(0x9E3779B97F4A7C15) + sig[:, start + r]
    return key


def band_windows(sig: np.ndarray, rank: np.ndarray, *, rows_per_band: int = ROWS_PER_BAND,
                 per_band: int = 8, rows: np.ndarray | None = None,
                 items: np.ndarray | None = None) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Per LSH band, where the candidates of each of ``items`` (default: all) are.

    Within a band bucket members are ordered by (rank, position); an item's candidates are the
    `per_band` members immediately before its own rank group.  Returns per band ``(order, lo,
    length)``: the candidates of ``items[k]`` are ``order[lo[k]:lo[k] + length[k]]``.  Item
    k's signature is ``sig[rows[k]]`` (default: row k), so copies of a text share one row."""
    n = rank.size
    items = np.arange(n) if items is None else np.asarray(items)
    _, rdense = np.unique(rank, return_inverse=True)
    rdense = rdense.ravel().astype(np.int64)
    small = np.int32 if n < 2**31 else np.int64
    out = []
    for start in range(0, sig.shape[1] - rows_per_band + 1, rows_per_band):
        _, bucket = np.unique(_band_keys(sig, start, rows_per_band), return_inverse=True)
        bucket = bucket.ravel().astype(np.int64)
        if rows is not None:
            bucket = bucket[rows]
        order, bucket_start, group_start = _band_groups(bucket, rdense)
        where = np.empty(n, dtype=np.int64)
        where[order] = np.arange(n)
        g, bs = group_start[where[items]], bucket_start[where[items]]
        lo = np.maximum(bs, g - per_band)
        out.append((order.astype(small), lo.astype(small), (g - lo).astype(np.min_scalar_type(per_band))))
    return out


def _band_groups(bucket: np.ndarray, rdense: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Positions sorted by (bucket, rank, position), and per sorted position where its bucket
    and its (bucket, rank) group start."""
    n = bucket.size
    idx = np.arange(n)
    ib, rb, bb = _bits(n), _bits(int(rdense.max(initial=0)) + 1), _bits(int(bucket.max(initial=0)) + 1)
    if bb + rb + ib <= 63:
        # (bucket, rank, position) packed in one int64: a plain sort instead of a lexsort;
        # bucket ids are the keys' ranks, so the order is the key order.
        packed = (bucket << (rb + ib)) | (rdense << ib) | idx
        packed.sort()
        order = packed & ((1 << ib) - 1)
        b_sorted, r_sorted = packed >> (rb + ib), (packed >> ib) & ((1 << rb) - 1)
        del packed
    else:
        order = np.lexsort((idx, rdense, bucket))
        b_sorted, r_sorted = bucket[order], rdense[order]
    new_bucket = np.r_[True, b_sorted[1:] != b_sorted[:-1]]
    new_group = new_bucket | np.r_[True, r_sorted[1:] != r_sorted[:-1]]
    del b_sorted, r_sorted
    bucket_start = np.maximum.accumulate(np.where(new_bucket, idx, 0))
    group_start = np.maximum.accumulate(np.where(new_group, idx, 0))
    return order, bucket_start, group_start


def _window_cells(windows, sel: np.ndarray, n: int, per_band: int) -> np.ndarray:
    """Every band's window of the items at positions ``sel`` side by side (one row per item,
    ``n`` in unused slots; a row met in several bands appears several times)."""
    width = len(windows) * per_band
    cand = np.full((sel.size, width), n, dtype=np.int32 if n < 2**31 - 1 else np.int64)
    steps = np.arange(per_band)
    for b, (order, lo, length) in enumerate(windows):
        pos = lo[sel].astype(np.int64)[:, None] + steps
        ok = steps < length[sel][:, None]
        cand[:, b * per_band:(b + 1) * per_band] = np.where(ok, order[np.where(ok, pos, 0)], n)
    return cand


def _window_matrix(windows, sel: np.ndarray, n: int, per_band: int) -> np.ndarray:
    """Candidates of the items at positions ``sel`` as a matrix: one row per item, holding its
    distinct candidate rows in ascending order, and ``n`` in unused slots."""
    cand = _window_cells(windows, sel, n, per_band)
    cand.sort(axis=1)
    cand[:, 1:][cand[:, 1:] == cand[:, :-1]] = n
    return cand


def lsh_candidates(sig: np.ndarray, rank: np.ndarray, *, rows_per_band: int = ROWS_PER_BAND,
                   per_band: int = 8) -> tuple[np.ndarray, np.ndarray]:
    """Candidate pairs (i, j) with rank[j] < rank[i] sharing a band bucket; per band each i
    pairs with at most `per_band` members of the most recent earlier sessions in its bucket.
    Sorted by (i, j), each pair once."""
    n = rank.size
    windows = band_windows(sig, rank, rows_per_band=rows_per_band, per_band=per_band)
    pi, pj = [], []
    for sel in _chunks(n, len(windows) * per_band):
        cand = _window_matrix(windows, sel, n, per_band)
        r, c = np.nonzero(cand < n)
        pi.append(sel[r])
        pj.append(cand[r, c].astype(np.int64))
    if not pi:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    return np.concatenate(pi).astype(np.int64), np.concatenate(pj).astype(np.int64)


def _chunks(m: int, width: int, cells: int = 1 << 23, *, parts: int = 1) -> list[np.ndarray]:
    """Consecutive ranges of m items of ``width`` cells each: about ``cells`` cells per range,
    and at least ``parts`` ranges (one per thread) when there are enough items."""
    step = max(1, min(cells // max(width, 1), -(-m // max(parts, 1))))
    return [np.arange(s, min(s + step, m)) for s in range(0, m, step)]


def _exact_candidates(rank: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    i, j = np.nonzero(rank[:, None] > rank[None, :])
    return i.astype(np.int64), j.astype(np.int64)


def _agreements(sig: np.ndarray, i: np.ndarray, j: np.ndarray,
                rows: np.ndarray | None = None) -> np.ndarray:
    """Number of MinHash functions on which items i and j agree (batched: bounded memory);
    item k's signature is ``sig[rows[k]]`` when ``rows`` is given."""
    out = np.empty(i.size, dtype=np.int64)
    if rows is not None:
        i, j = rows[i], rows[j]
    # batches small enough for the gathered signatures to stay in cache, gathered into
    # buffers reused from batch to batch (2-3x faster than fresh fancy-indexed copies)
    step = max(1, (1 << 19) // max(sig.shape[1], 1))
    a, b = np.empty((step, sig.shape[1]), sig.dtype), np.empty((step, sig.shape[1]), sig.dtype)
    eq = np.empty((step, sig.shape[1]), dtype=bool)
    for s in range(0, i.size, step):
        m = min(step, i.size - s)
        np.take(sig, i[s:s + m], axis=0, out=a[:m])
        np.take(sig, j[s:s + m], axis=0, out=b[:m])
        np.equal(a[:m], b[:m], out=eq[:m])
        out[s:s + m] = _count_true(eq[:m])
    return out


def _count_true(eq: np.ndarray) -> np.ndarray:
    """Per row, the number of True values of a 2-d bool array: its bytes (0 or 1) summed
    eight at a time as uint64 words (no byte can carry), then a word's bytes added by one
    multiplication; several times faster than `np.count_nonzero(axis=1)`."""
    if eq.shape[1] % 8 or eq.shape[1] > 255 or not eq.flags.c_contiguous:
        return np.count_nonzero(eq, axis=1)
    words = eq.view(np.uint64).sum(axis=1, dtype=np.uint64)
    return ((words * np.uint64(0x0101010101010101)) >> np.uint64(56)).astype(np.int64)


def _distinct(texts, known: dict[str, int] | None = None) -> tuple[list[str], np.ndarray]:
    """The distinct texts in first-seen order, and each text's index among them.  With
    ``known`` (text -> index, grown in place): the texts it did not hold, and each text's
    index among its texts and then those."""
    index: dict[str, int] = {} if known is None else known
    start = len(index)
    uid = np.fromiter((index.setdefault(t, len(index)) for t in texts), dtype=np.int64)
    return list(itertools.islice(index, start, None)), uid


def _similarities(f: Features, uid: np.ndarray, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """`pair_similarity` of rows i, j (texts uid[i], uid[j]), each distinct text pair once."""
    if not i.size:
        return np.zeros(0)
    width = np.int64(len(f))
    key = uid[i] * width + uid[j]
    uniq, inverse = np.unique(key, return_inverse=True)
    return pair_similarity(f, uniq // width, uniq % width)[inverse.ravel()]


def _bits(n: int) -> int:
    return max(int(n).bit_length(), 1)


def _search_order(i: np.ndarray, j: np.ndarray, rj: np.ndarray, n_rows: int, n_ranks: int,
                  agree: np.ndarray, n_hashes: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(i, j, rj) of the pairs sorted by i, rj descending, estimate descending, j; ``rj`` is
    the search rank of each pair (0..n_ranks-1, searched from the highest) and i, j < n_rows.

    When the four fields fit in 63 bits (any realistic corpus) they are packed into one int64
    key and sorted in place: several times faster and lighter than a four-key lexsort, and the
    same order, because `agree` (hashes that agree: the estimate times n_hashes) is monotone
    in the estimate and the (i, j) pairs are distinct."""
    rb, eb, ib = _bits(n_ranks), _bits(n_hashes), _bits(n_rows)
    if 2 * ib + rb + eb > 63:
        o = np.lexsort((j, n_hashes - agree.astype(np.int64), -rj, i))
        return i[o], j[o], rj[o]
    key = i.astype(np.int64) << (ib + eb + rb)
    key |= (n_ranks - 1 - rj) << (ib + eb)
    del rj
    key |= (n_hashes - agree.astype(np.int64)) << ib
    key |= j
    key.sort()
    j = key & ((1 << ib) - 1)
    rj = n_ranks - 1 - ((key >> (ib + eb)) & ((1 << rb) - 1))
    key >>= ib + eb + rb
    return key, j, rj


# --------------------------------------------------------------------------- lineage

def predecessors(texts, rank: np.ndarray, *, min_similarity: float = DEFAULT_THRESHOLD,
                 method: Literal["auto", "exact", "lsh"] = "auto", candidates: int = 8,
                 verify: int = 4, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """For paragraph texts with session ranks, each one's predecessor row (-1 if none) and
    the similarity to it (NaN if none): best match in the most recent earlier rank that
    has a match >= min_similarity."""
    rank = np.asarray(rank, dtype=np.int64)
    n = rank.size
    prev = np.full(n, -1, dtype=np.int64)
    sim_out = np.full(n, np.nan)
    if n == 0:
        return prev, sim_out
    # Series repeat their paragraphs verbatim: features and signatures are built once per
    # distinct text (10x fewer at 10,000 documents) and shared by its copies.
    distinct, uid = _distinct(texts)
    f = featurize(distinct)
    del distinct
    ranks, rdense = np.unique(rank, return_inverse=True)
    rdense = rdense.ravel().astype(np.int64)
    if method == "exact" or (method == "auto" and n <= EXACT_LIMIT):
        i, j = _exact_candidates(rank)
        _verify(f, uid, i, j, rdense[j], len(ranks), np.zeros(i.size, np.int64), 1, None,
                min_similarity, prev, sim_out)
        return prev, sim_out
    return _lsh_predecessors(f, uid, rank, rdense, len(ranks), _Search(min_similarity, candidates, verify),
                             minhash(f, seed=seed))


class _Search(NamedTuple):
    min_similarity: float
    candidates: int         # per band
    verify: int             # per session


def _lsh_predecessors(f: Features, uid: np.ndarray, rank: np.ndarray, rdense: np.ndarray, n_ranks: int,
                      opt: _Search, sig: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    n = rank.size
    prev, sim_out = np.full(n, -1, dtype=np.int64), np.full(n, np.nan)
    # Copies of a text in one session fall in the same bucket of every band, so they get the
    # same candidates and the same predecessor: search for one of them only.
    _, first, cls = np.unique(uid * n_ranks + rdense, return_index=True, return_inverse=True)
    rep_of = first[cls.ravel()]            # the searched row of each row's (text, session)
    items = np.sort(first)
    del first, cls
    windows = band_windows(sig, rank, per_band=opt.candidates, rows=uid, items=items)
    wording, same_sig = _wording_ids(f), _signature_ids(sig)
    sig = _compact(sig)
    rest = np.arange(items.size)
    if opt.verify >= 1:
        rest = _settle_copies(windows, items, rank, wording[uid], same_sig[uid], opt.min_similarity,
                              prev, sim_out)
    # Items are searched in chunks (bounded memory); each item's search is independent.
    for sel in _chunks(rest.size, len(windows) * opt.candidates):
        cand = _window_matrix(windows, rest[sel], n, opt.candidates)
        r, c = np.nonzero(cand < n)
        i, j = items[rest[sel][r]], cand[r, c].astype(np.int64)
        del cand, r, c
        agree = _agreements(sig, i, j, rows=uid)
        keep = (agree / sig.shape[1]).astype(np.float32) >= _SCREEN
        i, j = i[keep], j[keep]
        _verify(f, uid, i, j, rdense[j], n_ranks, agree[keep], sig.shape[1], opt.verify,
                opt.min_similarity, prev, sim_out)
    return prev[rep_of], sim_out[rep_of]


def _compact(sig: np.ndarray) -> np.ndarray:
    """The signatures with each hash column's values renumbered densely: the same agreements
    (a bijection per column), in uint16 when every column has at most 2**16 values, which
    halves the memory the agreement count reads."""
    # numpy sorts without the GIL: the columns are renumbered in threads
    columns = _pmap(lambda k: np.unique(sig[:, k], return_inverse=True), range(sig.shape[1]))
    # more than 2**16 texts can still have at most 2**16 values per hash (near-copies share them)
    if any(values.size > 2**16 for values, _ in columns):
        return sig
    out = np.empty(sig.shape, dtype=np.uint16)
    for k, (_, inverse) in enumerate(columns):
        out[:, k] = inverse.ravel()
    return out


def _signature_ids(sig: np.ndarray) -> np.ndarray:
    """Per text an id shared by the texts with the same MinHash signature (all hashes agree)."""
    rows = np.ascontiguousarray(sig).view(np.dtype((np.void, sig.dtype.itemsize * sig.shape[1])))
    return np.unique(rows.ravel(), return_inverse=True)[1].ravel().astype(np.int64)


def _settle_copies(windows, items: np.ndarray, rank: np.ndarray, wording: np.ndarray, same_sig: np.ndarray,
                   min_similarity: float, prev: np.ndarray, sim_out: np.ndarray) -> np.ndarray:
    """Settle, without scoring, the items whose wording their latest candidate session holds;
    returns the positions (in ``items``) of the others, to be searched.

    In that session such a copy scores 1.0 (the most) and passes the screen with every hash
    agreeing (the most), so the search takes the copy with the lowest row -- unless
    `verify` rows with all hashes agreeing came before it, which only texts with the same
    signature and other wording can be: an item whose signature other wordings share is
    searched instead.  This is the search's own result, for a fraction of its work."""
    _, rdense = np.unique(rank, return_inverse=True)
    rdense = rdense.ravel().astype(np.int64)
    latest = _latest_candidate(windows, rdense)
    class_rows, start, size = _copy_classes(wording, rdense, items, latest)
    t = _first_in_window(windows, class_rows, start, size)
    ok = (t < size) & ~_shared_signature(wording, same_sig)[items] & (min_similarity <= 1.0)
    first = class_rows[np.where(ok, start + t, 0)]
    prev[items[ok]], sim_out[items[ok]] = first[ok], 1.0
    return np.flatnonzero(~ok)


def _first_in_window(windows, class_rows: np.ndarray, start: np.ndarray, size: np.ndarray) -> np.ndarray:
    """Per item, the index (in row order) of the first of its ``size`` copies
    ``class_rows[start:start + size]`` that some band's window holds; ``size`` if none.

    Copies share every bucket and follow one another in row order there, so a band's window
    holds a suffix of them and the union over bands is a suffix too: a binary search."""
    where = []
    for order, _, _ in windows:
        w = np.empty(order.size, dtype=np.int32)
        w[order] = np.arange(order.size, dtype=np.int32)
        where.append(w)
    lo_all = np.stack([lo for _, lo, _ in windows]) if windows else np.zeros((0, size.size), np.int32)
    lo, hi = np.zeros(size.size, dtype=np.int64), size.astype(np.int64)
    open_ = np.flatnonzero(lo < hi)
    while open_.size:
        mid = (lo[open_] + hi[open_]) // 2
        x = class_rows[start[open_] + mid]
        held = np.zeros(open_.size, dtype=bool)
        for b, w in enumerate(where):
            held |= w[x] >= lo_all[b, open_]
        hi[open_] = np.where(held, mid, hi[open_])
        lo[open_] = np.where(held, lo[open_], mid + 1)
        open_ = open_[lo[open_] < hi[open_]]
    return lo


def _latest_candidate(windows, rdense: np.ndarray) -> np.ndarray:
    """Per item the (dense) session of its latest candidate, -1 if it has none: windows are
    ordered by session, so it is the last cell of one of them."""
    latest = np.full(windows[0][1].size if windows else 0, -1, dtype=np.int64)
    for order, lo, length in windows:
        last = order[np.maximum(lo.astype(np.int64) + length - 1, 0)]
        latest = np.maximum(latest, np.where(length > 0, rdense[last], -1))
    return latest


def _copy_classes(wording: np.ndarray, rdense: np.ndarray, items: np.ndarray, latest: np.ndarray):
    """The rows sorted by (wording, session, row), and per item where its copies in its latest
    candidate session start in that list and how many there are (0: none)."""
    width = np.int64(rdense.max(initial=0) + 1)
    key = wording * width + rdense
    class_rows = np.argsort(key, kind="stable")
    sorted_key = key[class_rows]
    want = np.where(latest >= 0, wording[items] * width + latest, -1)
    start = np.searchsorted(sorted_key, want, side="left")
    size = np.searchsorted(sorted_key, want, side="right") - start
    return class_rows, start, np.where(latest >= 0, size, 0)


def _shared_signature(wording: np.ndarray, same_sig: np.ndarray) -> np.ndarray:
    """Per row: whether another wording has its MinHash signature."""
    width = np.int64(wording.max(initial=0) + 1)
    pairs = np.unique(same_sig * width + wording)
    per_sig = np.bincount(pairs // width, minlength=int(same_sig.max(initial=0)) + 1)
    return per_sig[same_sig] > 1


def _verify(f: Features, uid: np.ndarray, i: np.ndarray, j: np.ndarray, rj: np.ndarray,
            n_ranks: int, agree: np.ndarray, n_hashes: int, verify: int | None,
            min_similarity: float, prev: np.ndarray, sim_out: np.ndarray) -> None:
    """Score candidate pairs (i, j) and set prev/sim_out of each i that has a match; ``rj``
    is the pair's search rank (highest first, see `_search_order`).

    The most recent candidate session of every paragraph is verified first; only paragraphs
    with no match there go on to their next candidate session (most are settled at once).
    Within a session only the `verify` best candidates by MinHash estimate are scored
    (boilerplate can have dozens of near-copies in one session); None scores them all."""
    if i.size == 0:
        return
    i, j, rj = _search_order(i, j, rj, prev.size, n_ranks, agree, n_hashes)
    new_i = np.r_[True, i[1:] != i[:-1]]
    new_g = new_i | np.r_[True, rj[1:] != rj[:-1]]
    del rj
    group = np.cumsum(new_g) - 1
    rounds = group - np.maximum.accumulate(np.where(new_i, group, 0))   # 0 = latest session
    del group, new_i
    if verify is not None:
        pos = np.arange(i.size)
        keep = pos - np.maximum.accumulate(np.where(new_g, pos, 0)) < verify
        del pos
        i, j, rounds = i[keep], j[keep], rounds[keep]
    del new_g
    r = 0
    while i.size:
        now = rounds == r
        si, sj = i[now], j[now]
        sim = _similarities(f, uid, si, sj)
        ok = sim >= min_similarity
        si, sj, sim = si[ok], sj[ok], sim[ok]
        _take_best(si, sj, sim, prev, sim_out)
        later = (rounds > r) & (prev[i] < 0)
        i, j, rounds = i[later], j[later], rounds[later]
        r += 1


def _take_best(i: np.ndarray, j: np.ndarray, sim: np.ndarray, prev: np.ndarray,
               sim_out: np.ndarray) -> None:
    """Set each i's match to its best j: highest similarity, then corpus order."""
    if not i.size:
        return
    best = np.lexsort((j, -sim, i))
    i, j, sim = i[best], j[best], sim[best]
    first = np.r_[True, i[1:] != i[:-1]]
    prev[i[first]] = j[first]
    sim_out[i[first]] = sim[first]


def _frame_rows(docs) -> dict[str, list]:
    """Column lists, one entry per paragraph in corpus order."""
    cols: dict[str, list] = {c: [] for c in ("document", "symbol", "session", "key", "part",
                                             "number", "_rank", "_text")}
    keys: dict[tuple, str] = {}     # ("operative", 3) -> "OP3": the same few keys in every document
    for d in docs:
        rank = d.session if d.session is not None else _NO_SESSION
        paras = d.paragraphs
        k = len(paras)
        if not k:
            continue
        cols["document"] += [d.id] * k
        cols["symbol"] += [d.symbol] * k
        cols["session"] += [d.session] * k
        cols["_rank"] += [rank] * k
        part, index, number, _, text, _ = zip(*paras)
        # `Paragraph.key` without the property call: OP<number, else index>, PP<index>
        shown = [n if (p == "operative" and n is not None) else i for p, i, n in zip(part, index, number)]
        cols["key"] += [keys.get(pn) or keys.setdefault(pn, _key(*pn)) for pn in zip(part, shown)]
        cols["part"] += part
        cols["number"] += shown
        cols["_text"] += text
    return cols


def _key(part: str, shown: int) -> str:
    return f"OP{shown}" if part == "operative" else f"PP{shown}"


# --------------------------------------------------------------------------- within a series

@dataclass(frozen=True)
class _Layout:
    """The documents of a series run: their rows, sessions, series and session texts."""
    bounds: np.ndarray        # per document its first row; the last entry is the row count
    rank: np.ndarray          # per document: session, or _NO_SESSION
    series: np.ndarray        # per document: series code
    names: tuple              # series id of each code (None: a document the index does not know)
    traced: np.ndarray        # per document: it gets rows (else it is only a source)
    earlier: tuple            # per document: its series' traced session texts before it, latest
                              # first; () for a document not traced
    source: np.ndarray        # per document: stands for its (series, session) among all documents
    version: np.ndarray       # per traced session text: its position in its series, oldest 0; else -1

    def rows(self, d: int) -> np.ndarray:
        return np.arange(self.bounds[d], self.bounds[d + 1])

    def per_row(self, values: np.ndarray) -> np.ndarray:
        return np.repeat(values, np.diff(self.bounds))


def _series_codes(pool, series) -> tuple[np.ndarray, tuple]:
    lookup = series.series_of if hasattr(series, "series_of") else series.__getitem__
    code: dict = {}
    names, out = [], []
    for d in pool:
        try:
            sid = lookup(d.id)
        except KeyError:
            sid = None
        # a document the index does not know yet (a fresh upload) is a series of its own
        key = sid if sid is not None else ("unknown", d.id)
        if key not in code:
            code[key] = len(names)
            names.append(sid)
        out.append(code[key])
    return np.asarray(out, dtype=np.int64), tuple(names)


def _layout(pool: list, traced: np.ndarray, series) -> _Layout:
    codes, names = _series_codes(pool, series)
    bounds = np.concatenate(([0], np.cumsum([len(d.paragraphs) for d in pool]))).astype(np.int64)
    rank = np.asarray([d.session if d.session is not None else _NO_SESSION for d in pool], dtype=np.int64)
    at = {id(d): k for k, d in enumerate(pool)}
    members: dict[int, list] = defaultdict(list)
    for k, d in enumerate(pool):
        members[int(codes[k])].append(d)
    source = np.zeros(len(pool), dtype=bool)
    version = np.full(len(pool), -1, dtype=np.int64)
    earlier: list[tuple] = [()] * len(pool)
    for ms in members.values():
        for d in representative(ms).values():
            source[at[id(d)]] = True
        # only the texts being traced are versions: a source-only text is never a predecessor
        reps = representative(m for m in ms if traced[at[id(m)]])
        latest_first = [at[id(reps[s])] for s in reversed(reps)]
        version[latest_first[::-1]] = np.arange(len(latest_first))
        for m in ms:
            k = at[id(m)]
            if traced[k]:
                earlier[k] = tuple(p for p in latest_first if rank[p] < rank[k])
    return _Layout(bounds=bounds, rank=rank, series=codes, names=names, traced=np.asarray(traced, dtype=bool),
                   earlier=tuple(earlier), source=source, version=version)


def _within_series(f: Features, uid: np.ndarray, lay: _Layout, min_similarity: float,
                   screen: _Screen, wording: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Predecessor row and similarity of every traced row (-1 and NaN for the others): the
    best match in the latest earlier session text of its own series that has one, version by
    version back."""
    n = int(lay.bounds[-1])
    prev, sim = np.full(n, -1, dtype=np.int64), np.full(n, np.nan)
    seen_until = _next_copy(lay, uid)
    wording = wording[uid]
    versions = _earlier_matrix(lay)
    depth = np.count_nonzero(versions >= 0, axis=1)
    doc = np.repeat(np.arange(lay.rank.size), np.diff(lay.bounds))

    def run(part: np.ndarray) -> None:
        # the part's open rows go through one round per version back, all its documents at once
        rows, k = np.flatnonzero((depth[doc] > 0) & part[doc]), 0
        while rows.size:
            docs, group = np.unique(doc[rows], return_inverse=True)
            g, js = _version_cells(lay, versions[docs, k], depth[docs] if k else None, seen_until)
            _settle_verbatim(group.ravel(), rows, g, js, wording, prev, sim)
            open_ = prev[rows] < 0
            _score_pairs(f, uid, (group.ravel()[open_], rows[open_], g, js), min_similarity, screen, prev, sim)
            k += 1
            rows = rows[(prev[rows] < 0) & (depth[doc[rows]] > k)]
    # a document's versions are in its own series: parts made of whole series share no rows
    _pmap(run, _series_parts(lay, WORKERS))
    return prev, sim


def _series_parts(lay: _Layout, n: int) -> list[np.ndarray]:
    """Per part a mask of the documents: whole series, parts of about equal traced rows."""
    series = lay.series
    if n < 2 or not series.size:
        return [np.ones(series.size, dtype=bool)]
    weight = np.bincount(series, weights=np.diff(lay.bounds) * lay.traced)
    part, load = np.zeros(weight.size, dtype=np.int64), np.zeros(n)
    for code in np.argsort(-weight, kind="stable"):
        part[code] = int(np.argmin(load))
        load[part[code]] += weight[code]
    return [part[series] == p for p in range(n) if load[p] > 0]


def _earlier_matrix(lay: _Layout) -> np.ndarray:
    """`_Layout.earlier` as a matrix: per document its versions back, -1 past them."""
    width = max((len(e) for e in lay.earlier), default=0)
    out = np.full((len(lay.earlier), width), -1, dtype=np.int64)
    for d, e in enumerate(lay.earlier):
        out[d, :len(e)] = e
    return out


def _version_cells(lay: _Layout, version: np.ndarray, depth: np.ndarray | None,
                   seen_until: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(group, row) of the rows of each group's version still worth scoring (rows ascending
    within a group); ``depth`` (None in the first round) is each group's number of versions."""
    g, js = _expand(lay.bounds[version], lay.bounds[version + 1])
    if depth is not None:
        # a row still open scored below the floor against every text of the later versions:
        # their copies here need no second look (series carry most paragraphs verbatim)
        keep = seen_until[js] >= depth[g]
        g, js = g[keep], js[keep]
    return g, js


def _session_rows(lay: _Layout) -> np.ndarray:
    docs = np.flatnonzero(lay.version >= 0).tolist()
    return np.concatenate([lay.rows(d) for d in docs]) if docs else np.zeros(0, np.int64)


class _Screen(NamedTuple):
    """How candidate pairs are cut before exact scoring: ``sig`` None scores them all."""
    sig: np.ndarray | None
    verify: int
    dense: np.ndarray | None = None     # `sig` renumbered by `_compact`, for agreement counts


def _score_pairs(f: Features, uid: np.ndarray, groups: tuple[np.ndarray, ...],
                 min_similarity: float, screen: _Screen, prev: np.ndarray, sim_out: np.ndarray) -> None:
    """`_take_best` over the pairs (row, version row) of every group (``groups``: group and
    row of the open rows, group and row of the version rows, ``gj`` ascending) scoring >=
    the floor, without scoring the pairs whose word and bigram counts alone keep them under
    it; with a MinHash screen only each row's `verify` candidates with the best estimate are
    scored."""
    gi, i, gj, j = groups
    n_groups = int(max(gi.max(initial=-1), gj.max(initial=-1))) + 1
    bounds = np.searchsorted(gj, np.arange(n_groups + 1))
    # each open row's search is its own: rows go through in chunks of about a million pairs,
    # so the pair arrays stay small (several times fewer cache misses than one pass)
    lengths = _lengths(f, uid, i), _lengths(f, uid, j)
    for sel in _pair_chunks(bounds[gi + 1] - bounds[gi]):
        k, pos = _expand(bounds[gi[sel]], bounds[gi[sel] + 1])
        keep = _within_bound([x[sel][k] for x in lengths[0]], [x[pos] for x in lengths[1]], min_similarity)
        pi, pj = i[sel][k[keep]], j[pos[keep]]
        if screen.sig is not None and pi.size:
            pi, pj = _best_estimates(screen, uid, pi, pj)
        pi, pj, s = _first_beaten(f, uid, pi, pj, min_similarity)
        ok = s >= min_similarity
        _take_best(pi[ok], pj[ok], s[ok], prev, sim_out)


def _first_beaten(f: Features, uid: np.ndarray, i: np.ndarray, j: np.ndarray,
                  min_similarity: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The pairs (sorted by i) that can be an i's best match, with their similarity.

    Each i's first pair (its best estimate: a near-copy, as a rule) is scored first; another
    pair whose length bound (`_within_bound`'s, which no score exceeds: the same arithmetic
    on counts at least as large) is below that score can neither beat it nor tie it, so it
    is not scored.  The best match is the one scoring them all would give."""
    first = np.r_[True, i[1:] != i[:-1]] if i.size else np.zeros(0, dtype=bool)
    s1 = _similarities(f, uid, i[first], j[first])
    ri, rj = i[~first], j[~first]
    a, b = _lengths(f, uid, ri), _lengths(f, uid, rj)
    bound = _scores((a[0], b[0]), (a[1], b[1]), np.minimum(a[0], b[0]), np.minimum(a[1], b[1]))
    best = np.repeat(s1, np.diff(np.r_[np.flatnonzero(first), i.size]) - 1)
    keep = (best < min_similarity) | (bound >= best)
    ri, rj = ri[keep], rj[keep]
    return (np.concatenate((i[first], ri)), np.concatenate((j[first], rj)),
            np.concatenate((s1, _similarities(f, uid, ri, rj))))


def _pair_chunks(sizes: np.ndarray, cells: int = 1 << 20) -> list[slice]:
    """Consecutive ranges of items holding about ``cells`` pairs each (``sizes``: per item)."""
    start = np.cumsum(sizes) - sizes
    cuts = np.searchsorted(start, np.arange(0, int(start[-1]) + 1, cells)) if sizes.size else []
    edges = sorted(set(int(c) for c in cuts) | {0, sizes.size})
    return [slice(a, b) for a, b in zip(edges[:-1], edges[1:])]


def _lengths(f: Features, uid: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return f.n_words[uid[rows]], f.n_bigrams[uid[rows]]


def _within_bound(a: list[np.ndarray], b: list[np.ndarray], min_similarity: float) -> np.ndarray:
    """Which pairs of texts (word and bigram counts ``a`` on one side, ``b`` on the other)
    their lengths alone allow a score >= min_similarity."""
    words, bigrams = (a[0], b[0]), (a[1], b[1])
    # shared words <= the shorter text's, shared bigrams <= the smaller set
    bound = _scores(words, bigrams, np.minimum(*words), np.minimum(*bigrams))
    return bound >= min_similarity - 1e-9


def _best_estimates(screen: _Screen, uid: np.ndarray, i: np.ndarray,
                    j: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per i, its `verify` pairs with the most agreeing hashes that pass `_SCREEN`: the old
    LSH search's rule for one session, here for one version."""
    agree = _agreements(screen.dense, i, j, rows=uid)
    ok = (agree / screen.sig.shape[1]).astype(np.float32) >= _SCREEN
    i, j = _by_estimate(i[ok], j[ok], agree[ok], screen.sig.shape[1])
    pos = np.arange(i.size)
    start = np.maximum.accumulate(np.where(np.r_[True, i[1:] != i[:-1]], pos, 0))
    keep = pos - start < screen.verify
    return i[keep], j[keep]


def _by_estimate(i: np.ndarray, j: np.ndarray, agree: np.ndarray,
                 n_hashes: int) -> tuple[np.ndarray, np.ndarray]:
    """The distinct pairs (i, j) sorted by i, agreeing hashes descending, j: packed in one
    int64 and sorted in place when they fit (as `_search_order`), else a lexsort."""
    ib, eb = _bits(int(max(i.max(initial=0), j.max(initial=0))) + 1), _bits(n_hashes)
    if 2 * ib + eb > 63:
        o = np.lexsort((j, -agree, i))
        return i[o], j[o]
    key = i.astype(np.int64) << (ib + eb)
    key |= (n_hashes - agree.astype(np.int64)) << ib
    key |= j
    key.sort()
    return key >> (ib + eb), key & ((1 << ib) - 1)


def _scores(words: tuple[np.ndarray, np.ndarray], bigrams: tuple[np.ndarray, np.ndarray],
            common: np.ndarray, inter: np.ndarray) -> np.ndarray:
    """`pair_similarity` of pairs of texts from their word and bigram counts (one array per
    side) and their shared words and shared bigrams."""
    common, inter = common.astype(np.float64), inter.astype(np.float64)
    total = (words[0] + words[1]).astype(np.float64)
    dice = np.divide(2 * common, total, out=np.ones_like(total), where=total > 0)
    union = bigrams[0] + bigrams[1] - inter
    jac = np.divide(inter, union, out=np.ones_like(union), where=union > 0)
    return (dice + jac) / 2


def _next_copy(lay: _Layout, uid: np.ndarray) -> np.ndarray:
    """Per row of a session text: the version number (position among its series' session
    texts, oldest 0) of the next session text holding the same text; a large number if none."""
    out = np.full(int(lay.bounds[-1]), np.iinfo(np.int64).max, dtype=np.int64)
    rows = _session_rows(lay)
    if not rows.size:
        return out
    version = lay.per_row(lay.version)[rows]
    series = lay.per_row(lay.series)[rows]
    width = np.int64(version.max() + 2)
    key = (series * np.int64(len(uid) + 1) + uid[rows]) * width + version
    uniq, inverse = np.unique(key, return_inverse=True)
    same_text = np.r_[uniq[1:] // width == uniq[:-1] // width, False]
    nxt = np.where(same_text, np.r_[uniq[1:] % width, 0], np.iinfo(np.int64).max)
    out[rows] = nxt[inverse.ravel()]
    return out


def _wording_ids(f: Features) -> np.ndarray:
    """Per text an id shared exactly by the texts with the same word counts and bigram set,
    i.e. by the texts it scores 1.0 with (case, quotes and hyphens aside)."""
    ids: dict[bytes, int] = {}
    bag, big = f.bag, f.bigrams
    out = np.empty(len(f), dtype=np.int64)
    for r in range(len(f)):
        a, b = bag.indptr[r], bag.indptr[r + 1]
        c, e = big.indptr[r], big.indptr[r + 1]
        key = b"".join((bag.indices[a:b].tobytes(), b"|", bag.data[a:b].tobytes(), b"|",
                        big.indices[c:e].tobytes()))
        out[r] = ids.setdefault(key, len(ids))
    return out


def _settle_verbatim(gi: np.ndarray, i: np.ndarray, gj: np.ndarray, j: np.ndarray, wording: np.ndarray,
                     prev: np.ndarray, sim_out: np.ndarray) -> None:
    """Match each open row i (of group gi) whose wording its group's version rows (j of group
    gj) hold to the first such row: a score of 1.0 beats every other pair and ties go to
    corpus order, so this is exact."""
    if not i.size or not j.size:
        return
    width = np.int64(wording.max() + 1)
    ki = gi * width + wording[i]
    kj = gj * width + wording[j]
    order = np.lexsort((j, kj))
    kj, j = kj[order], j[order]
    pos = np.minimum(np.searchsorted(kj, ki), kj.size - 1)
    hit = kj[pos] == ki
    prev[i[hit]] = j[pos[hit]]
    sim_out[i[hit]] = 1.0


# --------------------------------------------------------------------------- across series

def _expand(lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(k, p) for every position p in [lo[k], hi[k])."""
    n = np.maximum(hi - lo, 0)
    k = np.repeat(np.arange(lo.size), n)
    return k, np.arange(int(n.sum())) - np.repeat(np.cumsum(n) - n, n) + np.repeat(lo, n)


def _source_bands(sig: np.ndarray, uid: np.ndarray, rdense: np.ndarray, sources: np.ndarray,
                  n_ranks: int, texts: np.ndarray | None = None) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Per band: each text's bucket, and the sources sorted by (bucket, session, row).

    ``texts`` (sorted, distinct): only the buckets these query texts are in, the other
    texts' bucket -1 and their sources left out.  A query's window holds sources of its own
    bucket only, in the same order either way, so its candidates are the same; with a few
    queries there is far less to sort (one series of 10,000 documents: 0.1 s instead of 0.6-1 s)."""
    text, session = uid[sources], rdense[sources]
    in_order = bool(np.all(session[1:] >= session[:-1]))   # corpus order is session order

    def band(start: int):
        keys = _band_keys(sig, start, ROWS_PER_BAND)
        if texts is None:
            _, bucket = np.unique(keys, return_inverse=True)
            bucket = bucket.ravel().astype(np.int64)
            order, key = _bucket_order(bucket[text], session, n_ranks, in_order)
            return bucket, key, sources[order]
        wanted = np.unique(keys[texts])
        pos = np.minimum(np.searchsorted(wanted, keys), max(wanted.size - 1, 0))
        bucket = np.where(wanted[pos] == keys, pos, -1).astype(np.int64) if wanted.size \
            else np.full(keys.size, -1, dtype=np.int64)
        b = bucket[text]
        keep = np.flatnonzero(b >= 0)
        order, key = _bucket_order(b[keep], session[keep], n_ranks, in_order)
        return bucket, key, sources[keep[order]]
    return _pmap(band, range(0, sig.shape[1] - ROWS_PER_BAND + 1, ROWS_PER_BAND))


def _bucket_order(bucket: np.ndarray, session: np.ndarray, n_ranks: int,
                  in_order: bool) -> tuple[np.ndarray, np.ndarray]:
    """`_stable_order` of ``bucket * n_ranks + session`` (the sources' band table order).

    When the sessions never decrease along the sources (they are in corpus order, which is
    session order), sorting by bucket alone keeps each bucket's sessions in order, and
    bucket ids are small: numpy sorts 16-bit keys stably by radix, in linear time (three
    times faster than the packed sort at 600,000 sources), in one pass per 16 bits."""
    if not in_order or bucket.size == 0 or int(bucket.max()) >= 1 << 32:
        return _stable_order(bucket * n_ranks + session)
    order = np.argsort((bucket & 0xFFFF).astype(np.uint16), kind="stable")
    high = bucket >> 16
    if high.any():
        order = order[np.argsort(high[order].astype(np.uint16), kind="stable")]
    return order, (bucket * n_ranks + session)[order]


def _stable_order(key: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """`np.argsort(key, kind="stable")` of non-negative keys, and the keys in that order:
    (key, position) packed in one int64 and sorted in place when they fit, several times
    faster, and the sorted keys are read off the packed ones instead of gathered."""
    ib = _bits(key.size)
    if _bits(int(key.max(initial=0)) + 1) + ib > 63:
        order = np.argsort(key, kind="stable")
        return order, key[order]
    packed = (key << ib) | np.arange(key.size)
    packed.sort()
    return packed & ((1 << ib) - 1), packed >> ib


def _cross_candidates(bands, text: np.ndarray, session: np.ndarray, n_ranks: int,
                      per_band: int) -> tuple[np.ndarray, np.ndarray]:
    """Candidate pairs (k, source row) of the queries of text ``text[k]`` in dense session
    ``session[k]``: per band, the `per_band` latest sources of earlier sessions in the
    text's bucket and the first `per_band` of its own session.  Two windows, so a crowd of
    same-session copies never hides the earlier text a series took over.  Sorted by (k, row),
    each pair once."""
    pi, pj = [], []
    for bucket, key, rows in bands:
        base = bucket[text] * n_ranks
        lo, mid, hi = _sorted_search(key, (base, base + session, base + session + 1))
        for a, b in ((np.maximum(lo, mid - per_band), mid), (mid, np.minimum(hi, mid + per_band))):
            k, pos = _expand(a, b)
            pi.append(k)
            pj.append(rows[pos])
    i, j = np.concatenate(pi), np.concatenate(pj)
    width = np.int64(max(int(j.max(initial=0)), int(i.max(initial=0))) + 1)
    pair = i * width + j
    # each window's pairs come sorted by (k, row) (a bucket's sources are in (session, row)
    # order, which is row order when corpus order is session order): timsort merges these
    # 2 x bands runs instead of sorting from scratch, six times faster than quicksort at
    # 6 million pairs; any order still sorts correctly
    pair.sort(kind="stable")
    pair = pair[np.r_[True, pair[1:] != pair[:-1]]]
    return pair // width, pair % width


def _sorted_search(key: np.ndarray, needles: tuple[np.ndarray, ...]) -> tuple[np.ndarray, ...]:
    """`np.searchsorted(key, x)` for each x of ``needles``, searched in the order that sorts
    ``needles[1]``: when the needles share that order, numpy walks the key array forward
    instead of jumping across it (about twice as fast on large arrays)."""
    order = np.argsort(needles[1])
    out = []
    for x in needles:
        found = np.empty(x.size, dtype=np.int64)
        found[order] = np.searchsorted(key, x[order])
        out.append(found)
    return tuple(out)


def _borrowed(f: Features, uid: np.ndarray, lay: _Layout, open_rows: np.ndarray, floor: float,
              screen: _Screen, candidates: int, kept: dict | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Source row (-1 if none) and similarity of each traced row in ``open_rows``: the best
    match >= floor among other series' session texts, latest earlier session first and the
    row's own session last."""
    n_rows = int(lay.bounds[-1])
    src, sim = np.full(n_rows, -1, dtype=np.int64), np.full(n_rows, np.nan)
    queries = np.flatnonzero(open_rows)
    sources = np.flatnonzero(lay.per_row(lay.source))
    if not queries.size or not sources.size:
        return src, sim
    row_rank, row_series = lay.per_row(lay.rank), lay.per_row(lay.series)
    ranks, rdense = np.unique(row_rank, return_inverse=True)
    rdense = rdense.ravel().astype(np.int64)
    # copies of a text in one series and session have one answer: search one of them
    klass = (uid[queries] * (int(lay.series.max()) + 1) + row_series[queries]) * len(ranks) + rdense[queries]
    _, first, cls = np.unique(klass, return_index=True, return_inverse=True)
    items = queries[np.sort(first)]

    def search(pairs) -> None:
        i, j, agree, n_hashes = pairs()
        ok = (row_series[i] != row_series[j]) & (row_rank[j] <= row_rank[i])
        i, j, agree = i[ok], j[ok], agree[ok]
        # search rank: earlier sessions latest first (1..), the row's own session last (0)
        rj = np.where(row_rank[j] < row_rank[i], rdense[j] + 1, 0)
        _verify(f, uid, i, j, rj, len(ranks) + 1, agree, n_hashes,
                None if screen.sig is None else screen.verify, floor, src, sim)
    # each chunk's queries are its own (a query is in one chunk): they write disjoint rows
    _pmap(search, _cross_pairs(screen, uid, rdense, len(ranks) + 1, items, sources, candidates, kept))
    searched = queries[first[cls.ravel()]]
    src[queries], sim[queries] = src[searched], sim[searched]
    return src, sim


def _cross_pairs(screen: _Screen, uid: np.ndarray, rdense: np.ndarray, n_ranks: int,
                 items: np.ndarray, sources: np.ndarray, candidates: int, kept: dict | None = None):
    """Per chunk of queries, a function making its (i, j, agreeing hashes, hashes): every
    pair without signatures, else LSH candidates that pass the MinHash screen.  Functions,
    so that chunks are built where they are searched (one chunk in memory per thread)."""
    sig = screen.sig
    if sig is None:
        def every(sel):
            i, j = np.repeat(items[sel], sources.size), np.tile(sources, sel.size)
            return i, j, np.zeros(i.size, np.int64), 1
        return [lambda sel=sel: every(sel) for sel in _chunks(items.size, sources.size)]
    # the band tables depend on the pool (signatures, sessions) and its session texts, not on
    # what is traced: an index keeps them (``kept``) for the traces of its other series, as
    # long as the session texts are the same (another series grouping changes them)
    seen_sources, bands = (kept or {}).get("bands", (None, None))
    if bands is None or not np.array_equal(seen_sources, sources):
        if QUERY_BANDS_SHARE * items.size < sources.size and not (kept or {}).get("traced_few"):
            # a few queries (one series of a large corpus): only their buckets are sorted; an
            # index traced again (another series on the Lineage page) keeps whole tables instead
            bands = _source_bands(sig, uid, rdense, sources, n_ranks, texts=np.unique(uid[items]))
            if kept is not None:
                kept["traced_few"] = True
        else:
            bands = _source_bands(sig, uid, rdense, sources, n_ranks)
            if kept is not None:
                kept["bands"] = (sources, bands)
    reps, members, bounds = _query_classes(uid[items] * n_ranks + rdense[items])

    def candidates_of(sel):
        text = uid[items[reps[sel]]]
        k, j = _cross_candidates(bands, text, rdense[items[reps[sel]]], n_ranks, candidates)
        agree = _agreements(screen.dense, text[k], uid[j])
        keep = (agree / sig.shape[1]).astype(np.float32) >= _SCREEN
        k, j, agree = sel[k[keep]], j[keep], agree[keep]
        # every query of the class takes the class's pairs
        e, pos = _expand(bounds[k], bounds[k + 1])
        return items[members[pos]], j[e], agree[e], sig.shape[1]
    return [lambda sel=sel: candidates_of(sel) for sel in _chunks(reps.size, 2 * len(bands) * candidates,
                                                                 parts=2 * WORKERS)]


def _query_classes(klass: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Queries grouped by ``klass``: per class the position of its first query, and the
    positions of all queries sorted by class, class c's being ``members[bounds[c]:bounds[c+1]]``.

    A query's candidates depend on its text and session only, so the queries of one text
    and session in several series are searched once (half the searches at 10,000
    documents); the series filter comes after, per query."""
    _, first, inverse = np.unique(klass, return_index=True, return_inverse=True)
    inverse = inverse.ravel()
    members = np.argsort(inverse, kind="stable")
    bounds = np.searchsorted(inverse[members], np.arange(first.size + 1))
    return first, members, bounds


# --------------------------------------------------------------------------- frames

def paragraph_lineage(docs, *, series=None, sources=None, threshold: float = 0.8,
                      min_similarity: float = DEFAULT_THRESHOLD,
                      borrow_similarity: float = BORROW_SIMILARITY,
                      method: Literal["auto", "exact", "lsh"] = "auto", candidates: int = 8,
                      verify: int = 4, seed: int = 0, index: LineageIndex | None = None) -> pd.DataFrame:
    """One row per paragraph of every document (corpus order) with its predecessor,
    origin, status and chain (see module docstring).

    ``series``: a `SeriesIndex` or a mapping document id -> series id.  Without it the
    whole corpus is one pool (`COLUMNS`); with it lineage runs inside each series and
    language found in other series is ``borrowed`` (`SERIES_COLUMNS`).  ``sources``: more
    documents (with ``series`` only) searched as sources of borrowed language; they get no
    rows and are never predecessors.  ``method``: "exact" scores every candidate pair,
    "lsh" uses MinHash candidates, "auto" is exact up to `EXACT_LIMIT` paragraphs (inside a
    series the alignment is always exact).  ``index`` (with ``series`` only): the
    `lineage_index` of the documents and sources, built with the same ``method`` and
    ``seed``, shared by calls that trace different parts of one corpus.
    """
    if min_similarity > threshold:
        raise ValueError(f"min_similarity {min_similarity} is above threshold {threshold}")
    if series is None and index is not None:
        raise ValueError("a lineage index serves the search by series: give series too")
    if series is None and sources is not None:
        raise ValueError("sources are searched for language borrowed from other series: give series too")
    with gc_paused():      # hundreds of thousands of rows and chains, no cycles
        docs = as_documents(docs)
        if series is None:
            return _lineage(docs, threshold, min_similarity, method, candidates, verify, seed)
        return _series_lineage(docs, series, as_documents(sources or ()), threshold, min_similarity,
                               borrow_similarity, method, candidates, verify, seed, index)


lineage = paragraph_lineage     # the original name, used by the CLI and the dashboard


def _lineage(docs, threshold, min_similarity, method, candidates, verify, seed) -> pd.DataFrame:
    rows = _frame_rows(docs)
    prev, sim = predecessors(rows["_text"], np.asarray(rows["_rank"], dtype=np.int64),
                             min_similarity=min_similarity, method=method,
                             candidates=candidates, verify=verify, seed=seed)
    del rows["_text"], rows["_rank"]
    return _frame(rows, prev, sim, threshold)


@dataclass(frozen=True)
class LineageIndex:
    """What a trace by series needs of its pool of documents alone, whatever part of it is
    traced: the rows, each row's distinct text, the texts' word features and MinHash
    signatures.  Built once per corpus (`lineage_index`), it makes tracing one series of a
    large corpus a small search instead of a corpus-wide one (see "One pool in corpus order")."""
    key: tuple                # (id, sha256) of the pool's documents, corpus order
    rows: dict                # `_frame_rows` columns, without the text and session rank
    uid: np.ndarray           # per row: its distinct text
    features: Features        # per distinct text
    sig: np.ndarray | None    # MinHash signatures per distinct text; None: pairs scored exactly
    dense: np.ndarray | None  # `sig` renumbered by `_compact`
    wording: np.ndarray       # `_wording_ids` per distinct text
    method: str
    seed: int
    texts: dict = field(default_factory=dict, compare=False, repr=False)  # distinct text -> features row
    kept: dict = field(default_factory=dict, compare=False, repr=False)   # LSH band tables, once built


def lineage_index(docs, *, method: Literal["auto", "exact", "lsh"] = "auto", seed: int = 0,
                  previous: LineageIndex | None = None, cache_dir=None) -> LineageIndex:
    """The `LineageIndex` of ``docs`` (every document that is traced or searched as a source).

    ``previous``: an index of an earlier state of the corpus (built with the same method and
    seed).  Its texts keep their features and signatures and only texts it has not seen are
    read, so after one file changed the index is extended instead of rebuilt; the result
    traces exactly as a fresh index does (MinHash hashes the bigrams' words, not their column
    numbers; the rest compares texts by value).  Texts no longer in the corpus stay in it
    unused until they are as many as the used ones, then the index starts afresh.

    ``cache_dir``: the index of these very documents (and method, seed and code) is read
    from there when it was filed (``analytics.derived``), else built and filed there; it
    traces exactly as a built one."""
    pool = as_documents(docs)
    if cache_dir is not None:
        from . import derived
        from .memo import documents_key
        name = f"{INDEX_NAME}-{method}-{seed}"
        k = derived.key(name, documents_key(pool))
        found = _from_arrays(pool, derived.read_arrays(cache_dir, name, k), method=method, seed=seed)
        if found is not None:
            return found
        index = _built_index(pool, method, seed, previous)
        arrays = _index_arrays(index)
        if arrays is not None:
            derived.write_arrays(cache_dir, name, k, arrays, keep=INDEX_KEEP)
        return index
    return _built_index(pool, method, seed, previous)


def _rows_and_texts(pool: list) -> tuple[dict, list]:
    """The pool's `_frame_rows` columns an index keeps, and the text of every row."""
    rows = _frame_rows(pool)
    texts = rows.pop("_text")
    del rows["_rank"]
    return rows, texts


def _built_index(pool: list, method: str, seed: int, previous: LineageIndex | None) -> LineageIndex:
    rows, texts = _rows_and_texts(pool)
    reuse = previous if previous is not None and (previous.method, previous.seed) == (method, seed) else None
    known: dict[str, int] = dict(reuse.texts) if reuse is not None else {}
    n_old = len(known)
    new_texts, uid = _distinct(texts, known)
    if reuse is not None and len(known) > 2 * np.count_nonzero(np.bincount(uid, minlength=len(known))):
        return _built_index(pool, method, seed, None)
    f = featurize(new_texts, base=reuse.features if reuse is not None else None)
    del new_texts
    exact = method == "exact" or (method == "auto" and len(uid) <= EXACT_LIMIT)
    sig = None
    if not exact:
        if reuse is not None and reuse.sig is not None:
            sig = np.concatenate((reuse.sig, minhash(_tail(f, n_old), seed=seed)))
        else:
            sig = minhash(f, seed=seed)
    return LineageIndex(key=_pool_key(pool), rows=rows, uid=uid, features=f, sig=sig,
                        dense=None if sig is None else _compact(sig), wording=_wording_ids(f),
                        method=method, seed=seed, texts=known)


INDEX_NAME = "lineage-index"
INDEX_KEEP = 2            # about 60 MB each at 10,000 documents


def _index_arrays(index: LineageIndex) -> dict | None:
    """What a cache keeps of an index: its features and signatures (the rows and distinct
    texts are read again from the documents, in 0.6 s at 10,000 of them).  None when a
    word holds a line break (the words are stored one per line; no tokenizer makes one)."""
    f = index.features
    words = list(f.vocab)
    if any("\n" in w for w in words) or list(f.vocab.values()) != list(range(len(words))):
        return None
    out = {"bag_data": f.bag.data, "bag_indices": f.bag.indices, "bag_indptr": f.bag.indptr,
           "bag_width": np.array([f.bag.shape[1]], np.int64),
           "bigram_data": f.bigrams.data, "bigram_indices": f.bigrams.indices, "bigram_indptr": f.bigrams.indptr,
           "bigram_width": np.array([f.bigrams.shape[1]], np.int64),
           "n_words": f.n_words, "n_bigrams": f.n_bigrams, "bigram_hash": f.bigram_hash,
           "bigram_keys": f.bigram_keys, "numeric": np.asarray(f.numeric, dtype=bool),
           "vocab": np.frombuffer("\n".join(words).encode("utf-8"), np.uint8), "wording": index.wording}
    if any(out[k].dtype != t for k, t in _INDEX_DTYPES.items()):
        return None         # a corpus large enough for 64-bit sparse indices: not kept
    if index.sig is not None:
        out.update(sig=index.sig, dense=index.dense)
    return out


_INDEX_DTYPES = {"bag_data": np.int32, "bag_indices": np.int32, "bag_indptr": np.int32, "bag_width": np.int64,
                 "bigram_data": np.int32, "bigram_indices": np.int32, "bigram_indptr": np.int32,
                 "bigram_width": np.int64, "n_words": np.int64, "n_bigrams": np.int64, "bigram_hash": np.uint64,
                 "bigram_keys": np.int64, "numeric": np.bool_, "vocab": np.uint8, "wording": np.int64}


def _from_arrays(pool: list, a: dict | None, *, method: str, seed: int) -> LineageIndex | None:
    """The index of ``pool`` from `_index_arrays` output, or None if they do not fit it."""
    if a is None:
        return None
    rows, texts = _rows_and_texts(pool)
    known: dict[str, int] = {}
    _, uid = _distinct(texts, known)
    n = len(known)
    try:
        ok = (all(a[k].dtype == t and a[k].ndim == 1 for k, t in _INDEX_DTYPES.items())
              and all(len(a[k]) == n for k in ("n_words", "n_bigrams", "wording"))
              and all(len(a[k]) == n + 1 for k in ("bag_indptr", "bigram_indptr")))
        f = Features(bag=_stored_csr(a, "bag", n), bigrams=_stored_csr(a, "bigram", n), n_words=a["n_words"],
                     n_bigrams=a["n_bigrams"], bigram_hash=a["bigram_hash"],
                     vocab={w: i for i, w in enumerate(a["vocab"].tobytes().decode("utf-8").split("\n"))}
                     if a["vocab"].size else {},
                     numeric=a["numeric"].tolist(), bigram_keys=a["bigram_keys"]) if ok else None
    except (KeyError, ValueError, UnicodeDecodeError):
        return None
    if f is None or len(f.vocab) != len(f.numeric) or len(f.bigram_keys) != len(f.bigram_hash):
        return None
    sig = a.get("sig")
    exact = method == "exact" or (method == "auto" and len(uid) <= EXACT_LIMIT)
    dense = a.get("dense")
    if exact != (sig is None) or (sig is not None and (sig.ndim != 2 or sig.shape[0] != n or sig.dtype != np.uint32
                                                      or dense is None or dense.shape != sig.shape
                                                      or dense.dtype.kind != "u")):
        return None
    return LineageIndex(key=_pool_key(pool), rows=rows, uid=uid, features=f, sig=sig, dense=dense,
                        wording=a["wording"], method=method, seed=seed, texts=known)


def _stored_csr(a: dict, part: str, n: int) -> sp.csr_matrix:
    data, indices, indptr = a[f"{part}_data"], a[f"{part}_indices"], a[f"{part}_indptr"]
    width = int(a[f"{part}_width"][0])
    if indptr[0] != 0 or indptr[-1] != len(indices) or len(data) != len(indices) or np.any(np.diff(indptr) < 0) \
            or (indices.size and (indices.min() < 0 or indices.max() >= width)):
        raise ValueError("not a matrix")
    return sp.csr_matrix((data, indices, indptr), shape=(n, width))


def _tail(f: Features, start: int) -> Features:
    """The rows of `f` from ``start`` on (for their MinHash signatures)."""
    return Features(bag=f.bag[start:], bigrams=f.bigrams[start:], n_words=f.n_words[start:],
                    n_bigrams=f.n_bigrams[start:], bigram_hash=f.bigram_hash)


def _pool_key(pool: list) -> tuple:
    return tuple((d.id, d.sha256) for d in pool)


def _series_lineage(docs, series, sources, threshold, min_similarity, borrow_similarity, method,
                    candidates, verify, seed, index) -> pd.DataFrame:
    traced = {d.id for d in docs}
    # one pool in corpus order, whatever part of it is traced: a paragraph's candidates, and
    # so its answer, do not depend on which documents the call traces (a traced document
    # wins over a source of the same id)
    pool = as_documents({**{d.id: d for d in sources}, **{d.id: d for d in docs}}.values())
    if index is None:
        index = lineage_index(pool, method=method, seed=seed)
    elif index.key != _pool_key(pool) or (index.method, index.seed) != (method, seed):
        raise ValueError("the lineage index was built for other documents or options: "
                         "build it from the documents and sources of this call")
    f, uid, rows = index.features, index.uid, index.rows
    lay = _layout(pool, np.fromiter((d.id in traced for d in pool), dtype=bool, count=len(pool)), series)
    screen = _Screen(index.sig, verify, index.dense)
    prev, sim = _within_series(f, uid, lay, min_similarity, screen, index.wording)
    sel = lay.per_row(lay.traced)
    if sel.all():
        idx, mine, prev_t, sim_t = None, rows, prev, sim
    else:
        # the traced rows renumbered: their predecessors are traced rows of their own series
        idx = np.flatnonzero(sel)
        local = np.full(sel.size, -1, dtype=np.int64)
        local[idx] = np.arange(idx.size)
        p = prev[idx]
        prev_t, sim_t = np.where(p >= 0, local[np.maximum(p, 0)], -1), sim[idx]
        at = idx.tolist()
        mine = {c: [v[i] for i in at] for c, v in rows.items()}
    # the frame (Python loops over rows) is built while the borrowed-language search (numpy,
    # GIL released) runs: neither reads what the other writes
    out, (src, src_sim) = _pmap(lambda task: task(), (
        lambda: _frame(mine, prev_t, sim_t, threshold),
        lambda: _borrowed(f, uid, lay, (prev < 0) & sel, borrow_similarity, screen, candidates, index.kept)))
    return _with_sources(out, rows, lay, src, src_sim, idx)


def _with_sources(out: pd.DataFrame, rows: dict[str, list], lay: _Layout, src: np.ndarray,
                  src_sim: np.ndarray, idx: np.ndarray | None) -> pd.DataFrame:
    """Series columns, and the borrowed rows' status, similarity and source (``idx``: the
    pool rows of the frame's rows; None: all of them)."""
    names = np.empty(len(lay.names), dtype=object)
    names[:] = lay.names
    series = names[lay.per_row(lay.series)]
    if idx is not None:
        src, src_sim = src[idx], src_sim[idx]
    borrowed = src >= 0
    s = np.where(borrowed, src, 0)

    def source(values) -> pd.Series:
        return pd.Series(np.where(borrowed, np.asarray(values, dtype=object)[s], None), dtype=object)

    out["status"] = pd.Series(np.where(borrowed, "borrowed", out["status"].to_numpy(object)), dtype=object)
    out["similarity"] = np.where(borrowed, src_sim, out["similarity"].to_numpy(float))
    out["series"] = pd.Series(series if idx is None else series[idx], dtype=object)
    out["source_series"] = source(series)
    out["source_document"] = source(rows["document"])
    out["source_key"] = source(rows["key"])
    out["source_session"] = source(rows["session"]).astype("Int64")
    return out[SERIES_COLUMNS]


def _frame(rows: dict[str, list], prev: np.ndarray, sim: np.ndarray, threshold: float) -> pd.DataFrame:
    n = len(rows["document"])
    labels = [f"{d}:{k}" for d, k in zip(rows["document"], rows["key"])]
    # Rows are in corpus order and predecessors are in strictly earlier sessions, so one
    # forward pass sees every predecessor's chain before it is extended.
    chains: list[list[str]] = [None] * n  # type: ignore[list-item]
    for r, p in enumerate(prev.tolist()):
        chains[r] = chains[p] + [labels[r]] if p >= 0 else [labels[r]]
    origin = _roots(prev)
    del labels
    session = np.array(rows["session"], dtype=object)
    document = np.array(rows["document"], dtype=object)
    key = np.array(rows["key"], dtype=object)

    has_prev = prev >= 0
    pidx = np.where(has_prev, prev, 0)
    # object columns keep None for a missing symbol (pandas' str dtype would turn it into NaN)
    out = pd.DataFrame(rows, dtype=object)
    out["origin_session"] = session[origin]
    out["origin_document"] = document[origin]
    out["origin_key"] = key[origin]
    out["similarity"] = sim
    s_val, s_none = _int_values(session)
    out["previous_session"] = pd.arrays.IntegerArray(np.where(has_prev, s_val[pidx], 0), ~has_prev | s_none[pidx])
    out["previous_document"] = pd.Series(np.where(has_prev, document[pidx], None), dtype=object)
    out["previous_key"] = pd.Series(np.where(has_prev, key[pidx], None), dtype=object)
    out["status"] = pd.Series(np.where(~has_prev, "new",
                                       np.where(sim >= threshold, "agreed", "amended")), dtype=object)
    out["chain"] = chains
    # Int64 from values and a mask: pandas' conversion of object columns is a Python loop
    out["session"] = pd.arrays.IntegerArray(s_val, s_none)
    out["origin_session"] = pd.arrays.IntegerArray(s_val[origin], s_none[origin])
    # never missing (a paragraph without a printed number shows its index)
    out["number"] = pd.arrays.IntegerArray(np.asarray(rows["number"], dtype=np.int64), np.zeros(n, dtype=bool))
    return out[COLUMNS].reset_index(drop=True)


def _roots(prev: np.ndarray) -> np.ndarray:
    """Per row the first row of its chain of predecessors (itself without one): pointers
    doubled until every row points at a root, log2(chain length) steps."""
    up = np.where(prev >= 0, prev, np.arange(prev.size))
    while True:
        nxt = up[up]
        if np.array_equal(nxt, up):
            return up
        up = nxt


def _int_values(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Integers (object array, None for missing) as int64 values and a missing mask."""
    none = np.equal(values, None)
    return np.where(none, 0, values).astype(np.int64), none


def borrowed_language(docs, *, series, sources=None, rows: pd.DataFrame | None = None,
                      **options) -> pd.DataFrame:
    """The paragraphs of ``docs`` whose language comes from another series (`BORROWED_COLUMNS`,
    corpus order): the borrowing paragraph, its source and their similarity.

    ``rows``: a `paragraph_lineage` frame of the same call, if already computed; ``options``
    go to `paragraph_lineage`."""
    docs = as_documents(docs)
    if rows is None:
        rows = paragraph_lineage(docs, series=series, sources=sources, **options)
    b = rows[rows["status"] == "borrowed"].reset_index(drop=True)
    wanted = set(b["document"]) | set(b["source_document"])
    text = _paragraph_texts([*docs, *as_documents(sources or ())], wanted)
    out = b[["document", "key", "source_document", "source_key", "source_series", "similarity",
             "series", "session", "source_session"]].copy()
    out["text"] = pd.Series([text.get(k, "") for k in zip(b["document"], b["key"])], dtype=object)
    out["source_text"] = pd.Series([text.get(k, "") for k in zip(b["source_document"], b["source_key"])],
                                   dtype=object)
    return out[BORROWED_COLUMNS]


def rows_of(frame: pd.DataFrame, ids) -> pd.DataFrame:
    """The rows of a lineage or borrowed-language frame whose document is one of ``ids``, in
    the frame's order (corpus order); the frame itself when it holds no other document."""
    keep = frame["document"].isin(set(ids))
    return frame if bool(keep.all()) else frame[keep].reset_index(drop=True)


def _paragraph_texts(docs: list, wanted: set) -> dict:
    """(document id, key) -> text of the documents of ``wanted``, the last such paragraph
    winning.  Read backwards, first write wins, so a document object listed twice (among the
    documents and again among the sources) is read once.  Keys as `_frame_rows` makes them
    (no `Paragraph.key` call per paragraph: a corpus has hundreds of thousands)."""
    text: dict = {}
    read: set[int] = set()
    keys: dict[tuple, str] = {}
    for d in reversed(docs):
        if d.id in wanted and id(d) not in read:
            read.add(id(d))
            for part, index, number, _, body, _ in reversed(d.paragraphs):
                pn = (part, number if (part == "operative" and number is not None) else index)
                text.setdefault((d.id, keys.get(pn) or keys.setdefault(pn, _key(*pn))), body)
    return text


def lineage_summary(df: pd.DataFrame) -> pd.DataFrame:
    """Per document (in the order of `df`): paragraph count, counts per status and the
    share of paragraphs carried over nearly verbatim (agreed)."""
    cols = ["document", "symbol", "session", "paragraphs", *STATUSES, "share_agreed"]
    if df.empty:
        return pd.DataFrame(columns=cols)
    counts = pd.crosstab(df["document"], df["status"]).reindex(columns=list(STATUSES), fill_value=0)
    first = df.drop_duplicates("document")[["document", "symbol", "session"]].set_index("document")
    out = first.join(counts)
    out["paragraphs"] = out[list(STATUSES)].sum(axis=1)
    out["share_agreed"] = out["agreed"] / out["paragraphs"]
    return out.reset_index()[cols]
