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
"""
from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from .align import DEFAULT_THRESHOLD, Features, as_documents, featurize, pair_similarity

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


def lsh_candidates(sig: np.ndarray, rank: np.ndarray, *, rows_per_band: int = ROWS_PER_BAND,
                   per_band: int = 8) -> tuple[np.ndarray, np.ndarray]:
    """Candidate pairs (i, j) with rank[j] < rank[i] sharing a band bucket; per band each i
    pairs with at most `per_band` members of the most recent earlier sessions in its bucket."""
    n, h = sig.shape
    found: list[np.ndarray] = []
    idx = np.arange(n, dtype=np.int64)
    pos = np.arange(n)
    for start in range(0, h - rows_per_band + 1, rows_per_band):
        key = sig[:, start].astype(np.uint64)
        for r in range(1, rows_per_band):
            key = key * np.uint64(0x9E3779B97F4A7C15) + sig[:, start + r]
        order = np.lexsort((idx, rank, key))
        k, s = key[order], rank[order]
        new_bucket = np.r_[True, k[1:] != k[:-1]]
        new_group = new_bucket | np.r_[True, s[1:] != s[:-1]]
        bucket_start = np.maximum.accumulate(np.where(new_bucket, pos, 0))
        group_start = np.maximum.accumulate(np.where(new_group, pos, 0))
        has_earlier = group_start > bucket_start
        if not has_earlier.any():
            continue
        p = pos[has_earlier]
        g, bs = group_start[has_earlier], bucket_start[has_earlier]
        band = []
        for d in range(1, per_band + 1):
            q = g - d
            ok = q >= bs
            if not ok.any():
                break
            band.append(order[p[ok]] * n + order[q[ok]])
        found.append(_sorted_unique(np.concatenate(band)))
        if len(found) == 8:                     # merge now and then: memory ~ unique pairs
            found = [_sorted_unique(np.concatenate(found))]
    pairs = _sorted_unique(np.concatenate(found)) if found else np.zeros(0, np.int64)
    return pairs // n, pairs % n


def _sorted_unique(a: np.ndarray) -> np.ndarray:
    a = np.sort(a)
    return a[np.r_[True, a[1:] != a[:-1]]] if a.size else a


def _exact_candidates(rank: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    i, j = np.nonzero(rank[:, None] > rank[None, :])
    return i.astype(np.int64), j.astype(np.int64)


def _estimate(sig: np.ndarray, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """MinHash estimate of the bigram Jaccard of pairs (batched: bounded memory)."""
    est = np.empty(i.size, dtype=np.float32)
    step = max(1, 4_000_000 // sig.shape[1])
    for s in range(0, i.size, step):
        est[s:s + step] = (sig[i[s:s + step]] == sig[j[s:s + step]]).mean(axis=1)
    return est


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
    f = featurize(texts)
    exact = method == "exact" or (method == "auto" and n <= EXACT_LIMIT)
    if exact:
        i, j = _exact_candidates(rank)
        est = np.ones(i.size, dtype=np.float32)
    else:
        sig = minhash(f, seed=seed)
        i, j = lsh_candidates(sig, rank, per_band=candidates)
        est = _estimate(sig, i, j)
        keep = est >= _SCREEN
        i, j, est = i[keep], j[keep], est[keep]
        del sig
    if i.size == 0:
        return prev, sim_out
    # Verify the most recent candidate session of every paragraph first; only paragraphs
    # with no match there go on to their next candidate session (most are settled at once).
    # Within a session only the `verify` best candidates by MinHash estimate are scored
    # (boilerplate can have dozens of near-copies in one session).
    rj = rank[j]
    order = np.lexsort((j, -est, -rj, i))
    i, j, rj = i[order], j[order], rj[order]
    new_i = np.r_[True, i[1:] != i[:-1]]
    new_g = new_i | np.r_[True, rj[1:] != rj[:-1]]
    group = np.cumsum(new_g) - 1
    rounds = group - np.maximum.accumulate(np.where(new_i, group, 0))   # 0 = latest session
    if not exact:
        pos = np.arange(i.size)
        in_group = pos - np.maximum.accumulate(np.where(new_g, pos, 0))
        keep = in_group < verify
        i, j, rounds = i[keep], j[keep], rounds[keep]
    r = 0
    while i.size:
        now = rounds == r
        si, sj = i[now], j[now]
        sim = pair_similarity(f, si, sj)
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
    return prev, sim_out


def _frame_rows(docs):
    rows = []
    for d in docs:
        rank = d.session if d.session is not None else _NO_SESSION
        for p in d.paragraphs:
            number = p.number if (p.part == "operative" and p.number is not None) else p.index
            rows.append((d.id, d.symbol, d.session, p.key, p.part, number, rank, p.text))
    # object columns keep None for a missing symbol (pandas' str dtype would turn it into NaN)
    return pd.DataFrame(rows, columns=["document", "symbol", "session", "key", "part", "number",
                                       "_rank", "_text"], dtype=object)


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
    base = _frame_rows(as_documents(docs))
    n = len(base)
    prev, sim = predecessors(base["_text"].tolist(), base["_rank"].to_numpy(np.int64),
                             min_similarity=min_similarity, method=method,
                             candidates=candidates, verify=verify, seed=seed)
    labels = (base["document"] + ":" + base["key"]).tolist()
    # Rows are in corpus order and predecessors are in strictly earlier sessions, so one
    # forward pass sees every predecessor's chain before it is extended.
    origin = np.arange(n)
    chains: list[list[str]] = [None] * n  # type: ignore[list-item]
    for r in range(n):
        p = prev[r]
        if p >= 0:
            origin[r] = origin[p]
            chains[r] = chains[p] + [labels[r]]
        else:
            chains[r] = [labels[r]]

    has_prev = prev >= 0
    pidx = np.where(has_prev, prev, 0)
    out = base[["document", "symbol", "session", "key", "part", "number"]].copy()
    out["origin_session"] = base["session"].to_numpy()[origin]
    out["origin_document"] = base["document"].to_numpy()[origin]
    out["origin_key"] = base["key"].to_numpy()[origin]
    out["similarity"] = sim
    out["previous_session"] = pd.array(
        np.where(has_prev, base["session"].to_numpy()[pidx], None), dtype="Int64")
    out["previous_document"] = pd.Series(np.where(has_prev, base["document"].to_numpy()[pidx], None),
                                         dtype=object)
    out["previous_key"] = pd.Series(np.where(has_prev, base["key"].to_numpy()[pidx], None),
                                    dtype=object)
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
