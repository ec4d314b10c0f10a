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
"""
from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from .align import DEFAULT_THRESHOLD, Features, as_documents, featurize, pair_similarity
from .text import gc_paused

COLUMNS = ["document", "symbol", "session", "key", "part", "number",
           "origin_session", "origin_document", "origin_key", "similarity",
           "previous_session", "previous_document", "previous_key", "status", "chain"]
EXACT_LIMIT = 1500          # paragraphs; all-pairs scoring below this is cheaper than hashing
N_HASHES, ROWS_PER_BAND = 64, 2
_SCREEN = 0.1               # MinHash-estimated bigram Jaccard below which a candidate is dropped
_NO_SESSION = 10**6


# --------------------------------------------------------------------------- candidates

def minhash(f: Features, *, n_hashes: int = N_HASHES, seed: int = 0) -> np.ndarray:
    """MinHash signatures (rows x n_hashes, uint32) of the bigram sets of `f`.

    Multiply-shift hashing of the bigram ids (``(a*x + b) mod 2**64 >> 32``): no modulo,
    one pass over the non-zeros per hash function."""
    rng = np.random.default_rng(seed)
    a = rng.integers(0, 2**63, size=n_hashes, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
    b = rng.integers(0, 2**63, size=n_hashes, dtype=np.uint64)
    big = f.bigrams
    cols = big.indices.astype(np.uint64)
    n = big.shape[0]
    sig = np.full((n, n_hashes), np.iinfo(np.uint32).max, dtype=np.uint32)
    nonempty = np.diff(big.indptr) > 0          # padded bigrams: never empty, kept for safety
    if not cols.size:
        return sig
    starts = big.indptr[:-1][nonempty]
    shift = np.uint64(32)
    for k in range(n_hashes):
        h = ((a[k] * cols + b[k]) >> shift).astype(np.uint32)
        sig[nonempty, k] = np.minimum.reduceat(h, starts)
    return sig


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
    idx = np.arange(n)
    ranks, rdense = np.unique(rank, return_inverse=True)
    rdense = rdense.ravel().astype(np.int64)
    ib, rb = _bits(n), _bits(len(ranks))
    small = np.int32 if n < 2**31 else np.int64
    out = []
    for start in range(0, sig.shape[1] - rows_per_band + 1, rows_per_band):
        ukeys, bucket = np.unique(_band_keys(sig, start, rows_per_band), return_inverse=True)
        bucket = bucket.ravel().astype(np.int64)
        if rows is not None:
            bucket = bucket[rows]
        bb = _bits(len(ukeys))
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
        where = np.empty(n, dtype=np.int64)
        where[order] = idx
        g, bs = group_start[where[items]], bucket_start[where[items]]
        lo = np.maximum(bs, g - per_band)
        out.append((order.astype(small), lo.astype(small), (g - lo).astype(np.min_scalar_type(per_band))))
    return out


def _window_matrix(windows, sel: np.ndarray, n: int, per_band: int) -> np.ndarray:
    """Candidates of the items at positions ``sel`` as a matrix: one row per item, holding its
    distinct candidate rows in ascending order, and ``n`` in unused slots."""
    width = len(windows) * per_band
    cand = np.full((sel.size, width), n, dtype=np.int32 if n < 2**31 - 1 else np.int64)
    steps = np.arange(per_band)
    for b, (order, lo, length) in enumerate(windows):
        pos = lo[sel].astype(np.int64)[:, None] + steps
        ok = steps < length[sel][:, None]
        cand[:, b * per_band:(b + 1) * per_band] = np.where(ok, order[np.where(ok, pos, 0)], n)
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


def _chunks(m: int, width: int, cells: int = 1 << 23) -> list[np.ndarray]:
    step = max(1, cells // max(width, 1))
    return [np.arange(s, min(s + step, m)) for s in range(0, m, step)]


def _exact_candidates(rank: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    i, j = np.nonzero(rank[:, None] > rank[None, :])
    return i.astype(np.int64), j.astype(np.int64)


def _agreements(sig: np.ndarray, i: np.ndarray, j: np.ndarray,
                rows: np.ndarray | None = None) -> np.ndarray:
    """Number of MinHash functions on which items i and j agree (batched: bounded memory);
    item k's signature is ``sig[rows[k]]`` when ``rows`` is given."""
    out = np.empty(i.size, dtype=np.int64)
    # batches small enough for the gathered signatures to stay in cache (about 2x faster
    # than batches of millions of hashes)
    step = max(1, (1 << 21) // max(sig.shape[1], 1))
    for s in range(0, i.size, step):
        a, b = i[s:s + step], j[s:s + step]
        if rows is not None:
            a, b = rows[a], rows[b]
        out[s:s + step] = np.count_nonzero(sig[a] == sig[b], axis=1)
    return out


def _distinct(texts) -> tuple[list[str], np.ndarray]:
    """The distinct texts in first-seen order, and each text's index among them."""
    index: dict[str, int] = {}
    uid = np.fromiter((index.setdefault(t, len(index)) for t in texts), dtype=np.int64)
    return list(index), uid


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


def _search_order(i: np.ndarray, j: np.ndarray, rdense: np.ndarray, n_ranks: int,
                  agree: np.ndarray, n_hashes: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(i, j, rdense[j]) of the pairs sorted by i, rank of j descending, estimate descending,
    j; ``rdense`` is the rank of each row as 0..n_ranks-1.

    When the four fields fit in 63 bits (any realistic corpus) they are packed into one int64
    key and sorted in place: several times faster and lighter than a four-key lexsort, and the
    same order, because `agree` (hashes that agree: the estimate times n_hashes) is monotone
    in the estimate and the (i, j) pairs are distinct."""
    rj = rdense[j]
    rb, eb, ib = _bits(n_ranks), _bits(n_hashes), _bits(rdense.size)
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
        _verify(f, uid, rdense, len(ranks), i, j, np.zeros(i.size, np.int64), 1, None,
                min_similarity, prev, sim_out)
        return prev, sim_out
    sig = minhash(f, seed=seed)
    n_hashes = sig.shape[1]
    # Copies of a text in one session fall in the same bucket of every band, so they get the
    # same candidates and the same predecessor: search for one of them only.
    _, first, cls = np.unique(uid * len(ranks) + rdense, return_index=True, return_inverse=True)
    rep_of = first[cls.ravel()]            # the searched row of each row's (text, session)
    items = np.sort(first)
    del first, cls
    windows = band_windows(sig, rank, per_band=candidates, rows=uid, items=items)
    # Items are searched in chunks (bounded memory); each item's search is independent.
    for sel in _chunks(items.size, len(windows) * candidates):
        cand = _window_matrix(windows, sel, n, candidates)
        r, c = np.nonzero(cand < n)
        i, j = items[sel[r]], cand[r, c].astype(np.int64)
        del cand, r, c
        agree = _agreements(sig, i, j, rows=uid)
        keep = (agree / n_hashes).astype(np.float32) >= _SCREEN
        _verify(f, uid, rdense, len(ranks), i[keep], j[keep], agree[keep], n_hashes, verify,
                min_similarity, prev, sim_out)
    return prev[rep_of], sim_out[rep_of]


def _verify(f: Features, uid: np.ndarray, rdense: np.ndarray, n_ranks: int, i: np.ndarray,
            j: np.ndarray, agree: np.ndarray, n_hashes: int, verify: int | None,
            min_similarity: float, prev: np.ndarray, sim_out: np.ndarray) -> None:
    """Score candidate pairs (i, j) and set prev/sim_out of each i that has a match.

    The most recent candidate session of every paragraph is verified first; only paragraphs
    with no match there go on to their next candidate session (most are settled at once).
    Within a session only the `verify` best candidates by MinHash estimate are scored
    (boilerplate can have dozens of near-copies in one session); None scores them all."""
    if i.size == 0:
        return
    i, j, rj = _search_order(i, j, rdense, n_ranks, agree, n_hashes)
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
        if si.size:
            # best similarity first, then corpus order
            best = np.lexsort((sj, -sim, si))
            si, sj, sim = si[best], sj[best], sim[best]
            first = np.r_[True, si[1:] != si[:-1]]
            prev[si[first]] = sj[first]
            sim_out[si[first]] = sim[first]
        later = (rounds > r) & (prev[i] < 0)
        i, j, rounds = i[later], j[later], rounds[later]
        r += 1


def _frame_rows(docs) -> dict[str, list]:
    """Column lists, one entry per paragraph in corpus order."""
    cols: dict[str, list] = {c: [] for c in ("document", "symbol", "session", "key", "part",
                                             "number", "_rank", "_text")}
    for d in docs:
        rank = d.session if d.session is not None else _NO_SESSION
        paras = d.paragraphs
        k = len(paras)
        cols["document"] += [d.id] * k
        cols["symbol"] += [d.symbol] * k
        cols["session"] += [d.session] * k
        cols["_rank"] += [rank] * k
        cols["key"] += [p.key for p in paras]
        cols["part"] += [p.part for p in paras]
        cols["number"] += [p.number if (p.part == "operative" and p.number is not None) else p.index
                           for p in paras]
        cols["_text"] += [p.text for p in paras]
    return cols


def lineage(docs, *, threshold: float = 0.8, min_similarity: float = DEFAULT_THRESHOLD,
            method: Literal["auto", "exact", "lsh"] = "auto", candidates: int = 8,
            verify: int = 4, seed: int = 0) -> pd.DataFrame:
    """One row per paragraph of every document (corpus order) with its predecessor,
    origin, status and chain (see module docstring).

    ``method``: "exact" scores every earlier-session pair, "lsh" uses MinHash
    candidates, "auto" is exact up to `EXACT_LIMIT` paragraphs.
    """
    if min_similarity > threshold:
        raise ValueError(f"min_similarity {min_similarity} is above threshold {threshold}")
    with gc_paused():      # hundreds of thousands of rows and chains, no cycles
        return _lineage(as_documents(docs), threshold, min_similarity, method, candidates,
                        verify, seed)


def _lineage(docs, threshold, min_similarity, method, candidates, verify, seed) -> pd.DataFrame:
    rows = _frame_rows(docs)
    n = len(rows["document"])
    prev, sim = predecessors(rows["_text"], np.asarray(rows["_rank"], dtype=np.int64),
                             min_similarity=min_similarity, method=method,
                             candidates=candidates, verify=verify, seed=seed)
    del rows["_text"], rows["_rank"]
    labels = [f"{d}:{k}" for d, k in zip(rows["document"], rows["key"])]
    # Rows are in corpus order and predecessors are in strictly earlier sessions, so one
    # forward pass sees every predecessor's chain before it is extended.
    origins = list(range(n))
    chains: list[list[str]] = [None] * n  # type: ignore[list-item]
    for r, p in enumerate(prev.tolist()):
        if p >= 0:
            origins[r] = origins[p]
            chains[r] = chains[p] + [labels[r]]
        else:
            chains[r] = [labels[r]]
    origin = np.asarray(origins, dtype=np.int64)
    del labels, origins
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
    out["previous_session"] = pd.array(np.where(has_prev, session[pidx], None), dtype="Int64")
    out["previous_document"] = pd.Series(np.where(has_prev, document[pidx], None), dtype=object)
    out["previous_key"] = pd.Series(np.where(has_prev, key[pidx], None), dtype=object)
    out["status"] = pd.Series(np.where(~has_prev, "new",
                                       np.where(sim >= threshold, "agreed", "amended")), dtype=object)
    out["chain"] = chains
    for col in ("session", "origin_session", "number"):
        out[col] = out[col].astype("Int64")
    return out[COLUMNS].reset_index(drop=True)


def lineage_summary(df: pd.DataFrame) -> pd.DataFrame:
    """Per document (in the order of `df`): paragraph count, agreed/amended/new counts and
    the share of paragraphs carried over nearly verbatim (agreed)."""
    cols = ["document", "symbol", "session", "paragraphs", "agreed", "amended", "new",
            "share_agreed"]
    if df.empty:
        return pd.DataFrame(columns=cols)
    counts = pd.crosstab(df["document"], df["status"]).reindex(
        columns=["agreed", "amended", "new"], fill_value=0)
    first = df.drop_duplicates("document")[["document", "symbol", "session"]].set_index("document")
    out = first.join(counts)
    out["paragraphs"] = out[["agreed", "amended", "new"]].sum(axis=1)
    out["share_agreed"] = out["agreed"] / out["paragraphs"]
    return out.reset_index()[cols]
