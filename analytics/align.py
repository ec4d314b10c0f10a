"""Paragraph similarity, alignment of two texts, and word-level redlines.

A resolution series re-adopts most of its agreed language session after
session with small amendments, moves paragraphs around and drops or adds a
few.  `align` pairs the paragraphs of two texts so a reader can see exactly
what was carried, amended, added and dropped.

Similarity (one measure, shared with `analytics.lineage`)
---------------------------------------------------------
``similarity = (bag_dice + bigram_jaccard) / 2`` on folded word tokens
(`analytics.text.words`), so case, quotes and lost or kept intra-word hyphens
never count as changes.

* ``bag_dice`` = 2 * shared words (multiset) / total words.  For an in-place
  amendment this equals difflib's ratio on the word sequences (the share of
  wording kept), so "has reached one hundred and fifty-eight" -> "has reached
  172" in a 35-word paragraph still scores ~0.93.
* ``bigram_jaccard`` on word bigram sets (padded with boundary markers so
  one-word texts have shingles).  Bag overlap alone rates two unrelated
  paragraphs of one series high, because they share "the United Nations Office
  on Drugs and Crime" and the function words; bigrams carry word order and
  push such pairs down (typically < 0.15) while genuine amendments stay high.

Both halves are sums over sparse vectors, so the same number is computed for
a handful of pairs here and for millions of candidate pairs in the lineage
(vectorised with scipy.sparse, no per-pair Python).  difflib's ratio would need
a Python call per pair, and TF-IDF cosine would make a pair's score depend on
which other texts are loaded; difflib only draws the redline of matched pairs.
Texts are already clean (footnote marks removed), and folding makes lost and
kept hyphens the same word.

Pairing (`pair_paragraphs`) runs in three passes, each greedy (best first)
rather than a maximum-total assignment, so a verbatim carry-over is never
broken up because two weaker amendments would add up to a larger total.  Ties
(duplicated paragraphs) go to the pair whose relative positions are closest,
then to document order.

1. Same wording (`normalized`) pairs first, wherever the paragraphs stand: a
   paragraph kept word for word is "carried" even when a reworded neighbour
   scores 1.0 against it too (a moved comma, a changed number).
2. Similarity >= ``threshold`` (0.5) for the rest.
3. Containment for what is still unpaired: a paragraph shortened or lengthened
   (a clause cut or added) keeps its wording but scores low on similarity,
   which counts every word only one side has (a 31-word paragraph kept as the
   opening of a 101-word one scores 0.39).  `containment` is the share of the
   shorter text's words found, in order, in runs of at least 3 words, in the
   longer.  A pair qualifies at >= 0.75 when the shorter text has at least 8
   words and at least a quarter of the longer's.  The runs keep out function
   words scattered through a long paragraph; the length floors keep out a
   short formula ("Taking note of the report of the Secretary-General,") met
   verbatim inside a long, unrelated paragraph.  The values were read off every
   dropped x new pair left by passes 1-2 among the hand-read texts of the real
   documents (tests/fixtures/real/expected) and the bundled corpus: the
   genuine shortenings and lengthenings score 0.76-1.0 at length ratios of
   0.29-0.50 (A/C.3/80/L.3 -> 80/229 PP23, OP23 -> OP24, OP59 -> OP65; 78/228
   PP45 -> 80/228 PP46; 65/232 PP24 -> 67/189 PP31; 60/175 PP8 -> 63/195
   PP15); paragraphs sharing a formula score lower (a funding clause 0.73,
   "Also welcomes ... as the newest partner of the Coordination Group" 0.57)
   or sit under the length ratio (0.06-0.20).
"""
from __future__ import annotations

import difflib
import itertools
import re
from dataclasses import dataclass, field
from typing import Iterable, Mapping, NamedTuple, Sequence

import numpy as np
import pandas as pd
import scipy.sparse as sp

from .records import PARTS, Paragraph, Resolution, sort_key
from .text import WORD, FunctionMemo, fold, words

DEFAULT_THRESHOLD = 0.5   # below this two paragraphs are different paragraphs (see tests on seeds)
DEFAULT_CONTAINMENT = 0.75  # see the module docstring for how it was chosen
MIN_RUN = 3                 # words; shorter shared runs ("of the", "and") are not shared wording
MIN_CONTAINED_WORDS = 8
MIN_LENGTH_RATIO = 0.25     # shorter / longer, in words
STATUSES = ("carried", "amended", "new", "dropped")
COLUMNS = ["status", "part", "a_number", "b_number", "a_key", "b_key", "similarity",
           "a_text", "b_text", "redline"]

_SPACED_DASH = re.compile(r"\s*-\s*")
_SPACED_ANY_DASH = re.compile(r"\s*[-\u2013\u2014]\s*")
_TRAILING = re.compile(r"[\s,;:.]+$")
_TOKEN = re.compile(r"\S+")
# Layouts print non-breaking and Unicode hyphens where a draft has "-": the same hyphen.
_HYPHENS = str.maketrans({"\u2010": "-", "\u2011": "-"})
_CHUNK = 200_000            # pairs per vectorised batch (bounded memory)
_BATCH = 20_000             # texts tokenised per batch


# --------------------------------------------------------------------------- inputs

def as_documents(docs) -> list[Resolution]:
    """Documents from a dict id -> Resolution, a Corpus (``.documents``) or any iterable,
    in corpus order (session, draft before adopted text, date)."""
    if hasattr(docs, "documents"):
        docs = docs.documents
    elif isinstance(docs, Mapping):
        docs = docs.values()
    return sorted(docs, key=sort_key)


# --------------------------------------------------------------------------- features

@dataclass(frozen=True)
class Features:
    """Sparse word-count and word-bigram rows for a list of texts (shared vocabulary)."""
    bag: sp.csr_matrix        # counts of folded words
    bigrams: sp.csr_matrix    # 0/1 presence of padded word bigrams
    n_words: np.ndarray       # row sums of `bag`
    n_bigrams: np.ndarray     # row sums of `bigrams`
    # per bigram column: a hash of its two words (any number one slot), the same whatever the
    # numbering of words and columns, i.e. whichever texts were featurized with it
    bigram_hash: np.ndarray = field(default_factory=lambda: np.zeros(0, np.uint64), repr=False)
    # what `featurize(..., base=)` extends: word -> bag column, whether each word has a digit,
    # and per bigram column its key of word ids (ascending)
    vocab: dict = field(default_factory=dict, repr=False, compare=False)
    numeric: list = field(default_factory=list, repr=False, compare=False)
    bigram_keys: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64), repr=False, compare=False)

    def __len__(self) -> int:
        return self.bag.shape[0]


def featurize(texts: Iterable[str], *, base: Features | None = None) -> Features:
    """Build `Features` for texts (one shared vocabulary; linear in total words).

    Texts are tokenised in batches: pandas hashes a batch's tokens in C, only its distinct
    words go through the vocabulary dict, and no batch's token strings outlive it.

    ``base``: features of other texts, whose rows come first in the result (their vocabulary
    extended, their bigram columns renumbered); each row is the row a single call on all the
    texts would give, up to the numbering of columns.
    """
    texts = list(texts)
    vocab: dict[str, int] = dict(base.vocab) if base is not None else {}
    numeric: list[bool] = list(base.numeric) if base is not None else []
    word_ids, word_lens, bigram_uniques, bigram_inverse = [], [], [], []
    for start in range(0, len(texts), _BATCH):
        codes, lens = _word_codes(texts[start:start + _BATCH], vocab, numeric)
        word_ids.append(codes.astype(np.int32))
        word_lens.append(lens)
        # bigram keys are 64-bit; each batch keeps only its distinct keys and an int32 index
        uniques, inverse = np.unique(_bigram_keys(codes, lens, np.asarray(numeric, dtype=bool)),
                                     return_inverse=True)
        bigram_uniques.append(uniques)
        bigram_inverse.append(inverse.astype(np.int32))
    lens_w = np.concatenate(word_lens) if word_lens else np.zeros(0, np.int64)
    cols_w = np.concatenate(word_ids) if word_ids else np.zeros(0, np.int32)
    width = max(len(vocab), 1)
    bag = _csr(cols_w, lens_w, width)
    keys = ([base.bigram_keys] if base is not None else []) + bigram_uniques
    every = np.unique(np.concatenate(keys)) if keys else np.zeros(0, np.int64)
    big = _bigram_sets(every, bigram_uniques, bigram_inverse, lens_w + 1)
    n_words = np.asarray(bag.sum(axis=1)).ravel().astype(np.int64)
    n_bigrams = np.asarray(big.sum(axis=1)).ravel().astype(np.int64)
    if base is not None:
        # the old keys are a subset of ``every``, in the same order: indices stay sorted
        renumber = np.searchsorted(every, base.bigram_keys).astype(base.bigrams.indices.dtype)
        old = sp.csr_matrix((base.bigrams.data, renumber[base.bigrams.indices], base.bigrams.indptr),
                            shape=(base.bigrams.shape[0], max(every.size, 1)))
        bag = sp.vstack([sp.csr_matrix((base.bag.data, base.bag.indices, base.bag.indptr),
                                       shape=(base.bag.shape[0], width)), bag], format="csr")
        big = sp.vstack([old, big], format="csr")
        n_words = np.concatenate((base.n_words, n_words))
        n_bigrams = np.concatenate((base.n_bigrams, n_bigrams))
    return Features(bag=bag, bigrams=big, n_words=n_words, n_bigrams=n_bigrams,
                    bigram_hash=_bigram_hashes(every, list(vocab)), vocab=vocab, numeric=numeric,
                    bigram_keys=every)


_PAD_HASH, _NUMBER_HASH = np.uint64(0x5BD1E9955BD1E995), np.uint64(0xC2B2AE3D27D4EB4F)


def _bigram_hashes(keys: np.ndarray, words: list[str]) -> np.ndarray:
    """Per bigram key (two word ids, `_bigram_keys`), a 64-bit hash of the two words' text."""
    if not keys.size:
        return np.zeros(0, np.uint64)
    word = pd.util.hash_array(np.asarray(words, dtype=object)) if words else np.zeros(0, np.uint64)
    slot = np.concatenate(([_PAD_HASH, _NUMBER_HASH], word)).astype(np.uint64)   # ids -2, -1, 0..
    first, second = slot[keys >> 32], slot[keys & 0xFFFFFFFF]
    h = first * np.uint64(0x9E3779B97F4A7C15) + (second ^ (second >> np.uint64(29)))
    h ^= h >> np.uint64(32)
    return h * np.uint64(0xD6E8FEB86659FD93)


def _word_codes(batch: list[str], vocab: dict[str, int], numeric: list[bool]) -> tuple[np.ndarray, np.ndarray]:
    """The vocabulary ids of a batch's words (``vocab`` and ``numeric`` grow with new words)
    and the number of words of each text.

    The batch is folded and tokenised as one string, its texts joined by U+0001: no word
    character, so no token, hyphen rule or case rule spans it, and each one found marks where
    a text ends (`words` of every text, with one regex pass instead of one per text)."""
    joined = "\x01".join(batch)
    if batch and joined.count("\x01") == len(batch) - 1:
        tokens = re.findall(WORD.pattern + "|\x01", fold(_typographic(joined)))
        flat = np.array(tokens, dtype=object)
        cut = np.flatnonzero(flat == "\x01")
        lens = np.diff(np.concatenate(([-1], cut, [flat.size]))).astype(np.int64) - 1
        flat = np.delete(flat, cut)
    else:                   # a text holding U+0001 itself
        toks = [words(_typographic(t)) for t in batch]
        lens = np.fromiter(map(len, toks), dtype=np.int64, count=len(toks))
        flat = np.array(list(itertools.chain.from_iterable(toks)), dtype=object)
    if not flat.size:
        return np.zeros(0, np.int64), lens
    local, uniques = pd.factorize(flat)
    ids = np.empty(len(uniques), dtype=np.int64)
    for k, w in enumerate(uniques):
        gid = vocab.get(w)
        if gid is None:
            gid = vocab[w] = len(vocab)
            numeric.append(any(c.isdigit() for c in w))
        ids[k] = gid
    return ids[local], lens


def _bigram_sets(every: np.ndarray, uniques: list[np.ndarray], inverse: list[np.ndarray],
                 lens: np.ndarray) -> sp.csr_matrix:
    """0/1 rows of bigram presence, columns numbered by ``every`` (the sorted keys), from each
    batch's distinct keys and index into them (``lens``: bigrams per text, one more than its
    words: the padded ends)."""
    cols = np.concatenate([np.searchsorted(every, u).astype(np.int32)[inv] for u, inv in zip(uniques, inverse)]) \
        if uniques else np.zeros(0, np.int32)
    big = _csr(cols, lens, max(every.size, 1))
    big.data[:] = 1          # a set: repeated bigrams count once
    return big


def _bigram_keys(codes: np.ndarray, lens: np.ndarray, numeric: np.ndarray) -> np.ndarray:
    """One int64 key per padded word bigram: text k contributes lens[k] + 1 keys."""
    # Bigrams see every number as one slot ("resolution # of # December #"): citations and
    # counts are updated mechanically each session while the sentence stays the same; the
    # bag half still counts the changed numbers.
    num, pad = -1, -2
    masked = np.where(numeric[codes], num, codes) if codes.size else codes
    seq_len = lens + 2
    seq_starts = np.concatenate(([0], np.cumsum(seq_len)[:-1])).astype(np.int64)
    seq = np.full(int(seq_len.sum()), pad, dtype=np.int64)
    if codes.size:
        tok_starts = np.concatenate(([0], np.cumsum(lens)[:-1]))
        seq[np.repeat(seq_starts - tok_starts + 1, lens) + np.arange(codes.size)] = masked
    nb = lens + 1
    b_starts = np.concatenate(([0], np.cumsum(nb)[:-1]))
    left = np.repeat(seq_starts - b_starts, nb) + np.arange(int(nb.sum()))
    return ((seq[left] + 2) << 32) | (seq[left + 1] + 2)


def _csr(cols: np.ndarray, lens: np.ndarray, width: int) -> sp.csr_matrix:
    indptr = np.concatenate(([0], np.cumsum(lens))).astype(np.int64)
    m = sp.csr_matrix((np.ones(cols.size, dtype=np.int32), cols, indptr), shape=(lens.size, width))
    m.sum_duplicates()
    return m


def pair_similarity(f: Features, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Similarity of rows ``i[k]`` and ``j[k]`` of `f` for every k, vectorised in batches."""
    return _pair_scores(f, i, j)[0]


def _pair_scores(f: Features, i: np.ndarray, j: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Similarity and number of shared words (multiset) of rows ``i[k]`` and ``j[k]``."""
    i = np.asarray(i, dtype=np.int64)
    j = np.asarray(j, dtype=np.int64)
    out = np.empty(i.size, dtype=np.float64)
    common = np.empty(i.size, dtype=np.float64)
    for s in range(0, i.size, _CHUNK):
        a, b = i[s:s + _CHUNK], j[s:s + _CHUNK]
        shared = np.asarray(f.bag[a].minimum(f.bag[b]).sum(axis=1), dtype=np.float64).ravel()
        total = (f.n_words[a] + f.n_words[b]).astype(np.float64)
        # two empty texts are the same (empty) wording
        dice = np.divide(2 * shared, total, out=np.ones_like(total), where=total > 0)
        inter = np.asarray(f.bigrams[a].multiply(f.bigrams[b]).sum(axis=1), dtype=np.float64).ravel()
        union = f.n_bigrams[a] + f.n_bigrams[b] - inter
        jac = np.divide(inter, union, out=np.ones_like(union), where=union > 0)
        out[s:s + _CHUNK] = (dice + jac) / 2
        common[s:s + _CHUNK] = shared
    return out, common


def similarity_matrix(a_texts: Sequence[str], b_texts: Sequence[str]) -> np.ndarray:
    """Dense |a| x |b| similarity matrix (for two documents' parts: small)."""
    return _matrices(a_texts, b_texts)[0]


class _Scores(NamedTuple):
    sim: np.ndarray           # |a| x |b| similarity
    bag: np.ndarray           # |a| x |b| shared words (multiset) / words of the shorter text
    n_a: np.ndarray           # words of each A text
    n_b: np.ndarray


def _matrices(a_texts: Sequence[str], b_texts: Sequence[str]) -> _Scores:
    na, nb = len(a_texts), len(b_texts)
    if na == 0 or nb == 0:
        return _Scores(np.zeros((na, nb)), np.zeros((na, nb)), np.zeros(na, int), np.zeros(nb, int))
    f = featurize(list(a_texts) + list(b_texts))
    ii, jj = np.meshgrid(np.arange(na), na + np.arange(nb), indexing="ij")
    i, j = ii.ravel(), jj.ravel()
    sim, shared = _pair_scores(f, i, j)
    shorter = np.minimum(f.n_words[i], f.n_words[j]).astype(np.float64)
    bag = np.divide(shared, shorter, out=np.zeros_like(shared), where=shorter > 0)
    return _Scores(sim.reshape(na, nb), bag.reshape(na, nb), f.n_words[:na], f.n_words[na:])


def similarity(a_text: str, b_text: str) -> float:
    """Similarity (0..1) of two paragraphs; 1.0 for the same folded wording."""
    return float(similarity_matrix([a_text], [b_text])[0, 0])


def _typographic(text: str) -> str:
    # the membership tests are C scans; translate would copy every text of a large corpus
    return text.translate(_HYPHENS) if ("\u2011" in text or "\u2010" in text) else text


def normalized(text: str) -> str:
    """Wording key for "carried": folded case/quotes/hyphens, spacing around dashes and
    runs of white space, and the terminal , ; . that only reflects a paragraph's position."""
    # dashes closed up before folding, so "Hague- Marrakech" loses its hyphen like "Hague-Marrakech"
    return _TRAILING.sub("", fold(_SPACED_ANY_DASH.sub("-", _typographic(text))).strip())


# a series repeats most of its paragraphs verbatim: each distinct text is keyed once per process
_wording = FunctionMemo(normalized)


# --------------------------------------------------------------------------- redline

def _token_key(token: str) -> str:
    return _SPACED_DASH.sub("-", fold(_typographic(token)))


def redline(a_text: str, b_text: str) -> list[tuple[str, str]]:
    """Word-level diff of two texts as ``(op, text)`` with op in equal/delete/insert.

    Words are compared folded (case, quotes, intra-word hyphens) but reported as
    written: deleted words in A's spelling, equal and inserted words in B's.
    Adjacent words with the same op are merged into one segment.
    """
    ta, tb = _TOKEN.findall(a_text), _TOKEN.findall(b_text)
    sm = difflib.SequenceMatcher(None, [_token_key(t) for t in ta], [_token_key(t) for t in tb],
                                 autojunk=False)
    ops: list[tuple[str, str]] = []

    def emit(op: str, toks: list[str]) -> None:
        if not toks:
            return
        if ops and ops[-1][0] == op:
            ops[-1] = (op, ops[-1][1] + " " + " ".join(toks))
        else:
            ops.append((op, " ".join(toks)))

    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal":
            emit("equal", tb[j1:j2])
        else:
            emit("delete", ta[i1:i2])
            emit("insert", tb[j1:j2])
    return ops


def redline_text(ops: Iterable[tuple[str, str]]) -> str:
    """Plain-text redline: ``[-deleted-]`` and ``{+inserted+}`` markers."""
    marks = {"equal": "{}", "delete": "[-{}-]", "insert": "{{+{}+}}"}
    return " ".join(marks[op].format(text) for op, text in ops)


# --------------------------------------------------------------------------- alignment

def _number(p: Paragraph) -> int:
    return p.number if (p.part == "operative" and p.number is not None) else p.index


def match_pairs(sim: np.ndarray, threshold: float) -> list[tuple[int, int]]:
    """Greedy one-to-one matching on a similarity matrix: best pairs first, ties to the
    closest relative position, then document order.  Pairs below threshold never match."""
    return _greedy((sim,), sim >= threshold)


def _greedy(scores: Sequence[np.ndarray], ok: np.ndarray,
            taken: tuple[np.ndarray, np.ndarray] | None = None) -> list[tuple[int, int]]:
    """One-to-one pairs among the `ok` cells whose row and column are not `taken`, by
    `scores` (first decides, later ones break its ties), then closest relative position,
    then document order.  `taken` (row and column masks) is updated in place."""
    na, nb = ok.shape
    used_a, used_b = taken if taken is not None else (np.zeros(na, bool), np.zeros(nb, bool))
    ia, ib = np.nonzero(ok & ~used_a[:, None] & ~used_b[None, :])
    if ia.size == 0:
        return []
    drift = np.abs((ia + 0.5) / na - (ib + 0.5) / nb)
    # rounded so that float noise never outranks position
    keys = [-np.round(s[ia, ib], 12) for s in reversed(scores)]
    order = np.lexsort((ib, ia, drift, *keys))
    pairs = []
    for k in order:
        x, y = ia[k], ib[k]
        if not used_a[x] and not used_b[y]:
            used_a[x] = used_b[y] = True
            pairs.append((int(x), int(y)))
    return pairs


def _containment_words(text: str) -> list[str]:
    return words(_typographic(text))


def containment(a_text: str, b_text: str, *, min_run: int = MIN_RUN) -> float:
    """Share (0..1) of the shorter text's words found in the longer, in order and in runs
    of at least `min_run` words (difflib's matching blocks on folded words)."""
    return _run_share(_containment_words(a_text), _containment_words(b_text), min_run)


def _run_share(a_words: list[str], b_words: list[str], min_run: int) -> float:
    short, long_ = sorted((a_words, b_words), key=len)
    if not short:
        return 0.0
    sm = difflib.SequenceMatcher(None, short, long_, autojunk=False)
    return sum(m.size for m in sm.get_matching_blocks() if m.size >= min_run) / len(short)


def _exact_pairs(a_keys: Sequence[str], b_keys: Sequence[str],
                 taken: tuple[np.ndarray, np.ndarray]) -> list[tuple[int, int]]:
    # greedy on equality: a repeated paragraph pairs with the copy closest in position
    codes = pd.factorize(np.array([*a_keys, *b_keys], dtype=object))[0]
    same = codes[:len(a_keys), None] == codes[None, len(a_keys):]
    return _greedy((same.astype(float),), same, taken)


def _contained_pairs(a_texts: Sequence[str], b_texts: Sequence[str], m: _Scores, *,
                     level: float, taken: tuple[np.ndarray, np.ndarray]) -> list[tuple[int, int]]:
    sim, bag, n_a, n_b = m
    used_a, used_b = taken
    short, long_ = np.minimum.outer(n_a, n_b), np.maximum.outer(n_a, n_b)
    # words kept in order are a subset of the words shared in any order: `bag` bounds the
    # containment from above, so difflib only runs on pairs that can qualify
    ok = ((short >= MIN_CONTAINED_WORDS) & (short >= MIN_LENGTH_RATIO * long_) & (bag >= level)
          & ~used_a[:, None] & ~used_b[None, :])
    score = np.zeros(sim.shape)
    toks: dict[tuple[int, int], list[str]] = {}

    def tokens(side: int, k: int) -> list[str]:
        if (side, k) not in toks:
            toks[side, k] = _containment_words((a_texts, b_texts)[side][k])
        return toks[side, k]

    for x, y in zip(*np.nonzero(ok)):
        score[x, y] = _run_share(tokens(0, x), tokens(1, y), MIN_RUN)
    return _greedy((score, sim), ok & (score >= level), taken)


def pair_paragraphs(a_texts: Sequence[str], b_texts: Sequence[str], *,
                    threshold: float = DEFAULT_THRESHOLD,
                    contained: float | None = DEFAULT_CONTAINMENT,
                    ) -> tuple[list[tuple[int, int]], np.ndarray]:
    """One-to-one (A index, B index) pairs of two lists of paragraphs, and their similarity
    matrix: same wording first, then similarity >= `threshold`, then (unless `contained`
    is None) containment >= `contained` (see the module docstring)."""
    return _pair(a_texts, b_texts, [_wording(t) for t in a_texts], [_wording(t) for t in b_texts],
                 threshold=threshold, contained=contained)


def _pair(a_texts: Sequence[str], b_texts: Sequence[str], a_keys: Sequence[str],
          b_keys: Sequence[str], *, threshold: float,
          contained: float | None) -> tuple[list[tuple[int, int]], np.ndarray]:
    """`pair_paragraphs` with the wording keys (`normalized`) already computed."""
    m = _matrices(a_texts, b_texts)
    if not a_texts or not b_texts:
        return [], m.sim
    taken = (np.zeros(len(a_texts), bool), np.zeros(len(b_texts), bool))
    pairs = _exact_pairs(a_keys, b_keys, taken)
    pairs += _greedy((m.sim,), m.sim >= threshold, taken)
    if contained is not None:
        pairs += _contained_pairs(a_texts, b_texts, m, level=contained, taken=taken)
    return pairs, m.sim


def _row(status, part, pa: Paragraph | None, pb: Paragraph | None, sim: float) -> dict:
    if pa is not None and pb is not None:
        red = pb.text if status == "carried" else redline_text(redline(pa.text, pb.text))
    elif pa is not None:
        red = redline_text([("delete", pa.text)])
    else:
        red = redline_text([("insert", pb.text)])
    return {"status": status, "part": part,
            "a_number": _number(pa) if pa else None, "b_number": _number(pb) if pb else None,
            "a_key": pa.key if pa else None, "b_key": pb.key if pb else None,
            "similarity": float(sim),
            "a_text": pa.text if pa else None, "b_text": pb.text if pb else None,
            "redline": red}


def _align_part(part: str, pa: Sequence[Paragraph], pb: Sequence[Paragraph],
                threshold: float, contained: float | None) -> list[dict]:
    a_keys, b_keys = [_wording(p.text) for p in pa], [_wording(p.text) for p in pb]
    pairs, sim = _pair([p.text for p in pa], [p.text for p in pb], a_keys, b_keys,
                       threshold=threshold, contained=contained)
    a_of_b = {y: x for x, y in pairs}
    rows: list[dict] = []
    where_a: dict[int, int] = {}           # A index -> position of its row in `rows`
    for y, p in enumerate(pb):
        x = a_of_b.get(y)
        if x is None:
            rows.append(_row("new", part, None, p, np.nan))
            continue
        same = a_keys[x] == b_keys[y]
        where_a[x] = len(rows)
        rows.append(_row("carried" if same else "amended", part, pa[x], p,
                         1.0 if same else min(float(sim[x, y]), 1.0)))
    # Dropped paragraphs go right after the row of their A predecessor (or first), in A order.
    for x, p in enumerate(pa):
        if x in where_a:
            continue
        pos = where_a[x - 1] + 1 if x - 1 in where_a else 0
        rows.insert(pos, _row("dropped", part, p, None, np.nan))
        where_a = {k: (v + 1 if v >= pos else v) for k, v in where_a.items()}
        where_a[x] = pos
    return rows


def align(a: Resolution, b: Resolution, *, threshold: float = DEFAULT_THRESHOLD,
          contained: float | None = DEFAULT_CONTAINMENT) -> pd.DataFrame:
    """Align A's paragraphs with B's, preambular with preambular and operative with operative.

    One row per paragraph pairing (see module docstring for the similarity and the
    passes of `pair_paragraphs`; ``contained=None`` turns containment off):
    ``carried`` same normalised wording, ``amended`` matched with changes (its
    similarity may be below `threshold` when containment paired it),
    ``new`` only in B, ``dropped`` only in A.  Rows run by part, then in B order,
    a dropped paragraph right after the row of the A paragraph preceding it.
    """
    rows: list[dict] = []
    for part in PARTS:
        rows += _align_part(part, getattr(a, part), getattr(b, part), threshold, contained)
    # object columns keep None for the missing side (pandas' default str dtype would make it NaN)
    df = pd.DataFrame(rows, columns=COLUMNS, dtype=object)
    for col in ("a_number", "b_number"):
        df[col] = df[col].astype("Int64")
    df["similarity"] = df["similarity"].astype(float)
    return df


def summary(df: pd.DataFrame) -> dict[str, dict[str, int]]:
    """Counts per part and status of an `align` frame, plus a "total" entry."""
    out: dict[str, dict[str, int]] = {}
    for part in (*PARTS, "total"):
        sel = df if part == "total" else df[df["part"] == part]
        counts = sel["status"].value_counts()
        out[part] = {s: int(counts.get(s, 0)) for s in STATUSES}
    return out
