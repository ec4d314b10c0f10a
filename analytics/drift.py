"""Vocabulary drift: how the wording of a resolution moves from session to session.

Each text becomes a row of a TF-IDF matrix over its analysis tokens
(``analytics.tokens.analysis_tokens`` on the clean body text, so no title,
footnotes or page furniture): sublinear term frequency (1 + ln tf), smoothed
idf, rows L2-normalised, so the cosine similarity of two rows is their dot
product.

Rows are either

* ``by="session"`` (default): one row per session, the text
  ``records.representative`` picks for it -- the adopted resolution, or the
  draft when no adopted text of that session is in the corpus.  A draft and its
  adopted text are near-duplicates; counting both would weight that session
  twice and make the draft->resolution step look like drift.  Documents
  without a session are left out.
* ``by="document"``: one row per document, every draft and resolution, in
  ``records.sort_key`` order.

idf is computed over the rows of the chosen matrix, so a session matrix and a
document matrix weigh the same term differently.

Each text is tokenised once per matrix; the matrix for a given set of documents
and stop words is cached (keyed on the frozen records and the stop-word set
themselves, i.e. on content), so ``distances``,
``term_changes`` and ``term_trend`` on the same corpus share one computation.
The returned ``TfidfResult`` is shared: treat it as read-only.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Mapping

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from analytics.records import Resolution, representative, sort_key
from analytics.text import fold, phrase_pattern
from analytics.tokens import STOP_WORDS, analysis_tokens, display_term, surface_forms, term_token

BY = ("session", "document")
DISTANCE_COLUMNS = ["from_session", "to_session", "distance"]
CHANGE_COLUMNS = ["term", "weight_a", "weight_b", "change", "direction"]
TREND_COLUMNS = ["session", "document", "symbol", "term", "count", "per_1000", "tfidf"]


@dataclass(frozen=True, eq=False)
class TfidfResult:
    """A TF-IDF matrix and what its rows and columns are.

    ``rows``: one row per matrix row, columns session, document, symbol, tokens
    (number of analysis tokens in the text); ``documents``: the record behind
    each row.  ``terms``: the analysis tokens, in sorted order, one per matrix
    column.  ``matrix``: sparse CSR, rows x terms.
    """
    by: str
    rows: pd.DataFrame
    documents: tuple[Resolution, ...]
    terms: tuple[str, ...]
    matrix: sparse.csr_matrix
    stop_words: frozenset[str] = STOP_WORDS     # what the tokens were computed with

    def term_index(self, token: str) -> int | None:
        """Column of an analysis token, or None when it is not in the vocabulary."""
        i = bisect_left(self.terms, token)
        return i if i < len(self.terms) and self.terms[i] == token else None

    def column(self, term: str) -> np.ndarray:
        """TF-IDF of a user-typed word or phrase in every row (zeros when unknown)."""
        token = term_token(term, stop_words=self.stop_words)
        j = self.term_index(token) if token else None
        if j is None:
            return np.zeros(len(self.rows))
        return self.matrix[:, j].toarray().ravel()

    def to_frame(self) -> pd.DataFrame:
        """Dense rows x terms frame (index session or document id, columns display terms).

        Dense: for a small corpus or a slice only."""
        index = self.rows["session" if self.by == "session" else "document"]
        return pd.DataFrame(self.matrix.toarray(), index=pd.Index(index, name=self.by),
                            columns=[display_term(t) for t in self.terms])


def tfidf_matrix(docs: Iterable[Resolution] | Mapping[str, Resolution], *,
                 by: str = "session", stop_words: frozenset[str] | None = None) -> TfidfResult:
    """Sublinear, L2-normalised TF-IDF of sessions (default) or documents.

    ``stop_words``: the full stop-word set (`Corpus.config.stop_words`; the bundled
    `tokens.STOP_WORDS` by default).  Every function here takes it the same way."""
    return _tfidf_cached(_as_tuple(docs), _check_by(by),
                         STOP_WORDS if stop_words is None else frozenset(stop_words))


def distances(docs: Iterable[Resolution] | Mapping[str, Resolution], *,
              all_pairs: bool = False, stop_words: frozenset[str] | None = None) -> pd.DataFrame:
    """Cosine distance (1 - cosine similarity) between session texts.

    Consecutive sessions present in the corpus by default, every pair with
    ``all_pairs``; rows sorted by (from_session, to_session).  A session whose
    text has no analysis tokens has no direction, so its distances are NaN.
    """
    res = tfidf_matrix(docs, by="session", stop_words=stop_words)
    sessions = res.rows["session"].to_numpy(dtype=int)
    n = len(sessions)
    if all_pairs:
        i, j = np.triu_indices(n, k=1)
    else:
        i = np.arange(max(n - 1, 0))
        j = i + 1
    sim = (res.matrix @ res.matrix.T).toarray()
    dist = np.clip(1.0 - sim[i, j], 0.0, 1.0)
    empty = np.asarray(res.matrix.getnnz(axis=1) == 0)
    dist = np.where(empty[i] | empty[j], np.nan, dist)
    out = pd.DataFrame({"from_session": sessions[i].astype(int), "to_session": sessions[j].astype(int),
                        "distance": dist.astype(float)}, columns=DISTANCE_COLUMNS)
    return out.sort_values(["from_session", "to_session"], kind="mergesort").reset_index(drop=True)


def term_changes(docs: Iterable[Resolution] | Mapping[str, Resolution], a: int, b: int, *,
                 top: int = 20, stop_words: frozenset[str] | None = None) -> pd.DataFrame:
    """Terms whose TF-IDF weight moved most from session ``a`` to session ``b``.

    Up to ``top`` rising terms (largest gain first) then up to ``top`` falling
    terms (largest loss first); ties by term.  change = weight_b - weight_a.
    """
    res = tfidf_matrix(docs, by="session", stop_words=stop_words)
    wa, wb = _session_row(res, a), _session_row(res, b)
    change = wb - wa
    terms = np.asarray(res.terms, dtype=object)
    parts = []
    for direction, mask, key in (("rising", change > 0, -change), ("falling", change < 0, change)):
        idx = np.flatnonzero(mask)
        idx = idx[np.lexsort((terms[idx], key[idx]))][:max(top, 0)]
        parts.append(pd.DataFrame({
            "term": [display_term(t) for t in terms[idx]],
            "weight_a": wa[idx], "weight_b": wb[idx], "change": change[idx],
            "direction": direction,
        }, columns=CHANGE_COLUMNS))
    return pd.concat(parts, ignore_index=True)


def term_trend(docs: Iterable[Resolution] | Mapping[str, Resolution], term: str, *,
               by: str = "session", stop_words: frozenset[str] | None = None) -> pd.DataFrame:
    """How often a user-typed word or phrase occurs in each session (or document).

    ``count`` matches the folded term (and, for a known multi-word term, its
    other spellings: "money laundering" also finds "moneylaundering") on the
    folded body text at word boundaries; ``per_1000`` is per 1,000 words of the
    record's ``word_count``.  ``tfidf`` is the weight of the term's analysis
    token, 0.0 when the term is not a single token of the vocabulary (a stop
    word, or a phrase the tokeniser does not join).
    """
    if not fold(term).strip():
        raise ValueError("term_trend needs a non-empty term")
    res = tfidf_matrix(docs, by=by, stop_words=stop_words)
    tfidf = res.column(term)
    forms = surface_forms(term, stop_words=res.stop_words)
    pattern = _count_pattern(forms)
    token = term_token(term, stop_words=res.stop_words)
    label = display_term(token) if token else " ".join(fold(term).split())
    counts, per_1000 = [], []
    for doc in res.documents:
        folded = fold(doc.text)
        # fold() leaves single spaces, so a plain substring test is an exact
        # pre-check that spares the (much slower) boundary regex on most texts
        n = len(pattern.findall(folded)) if any(f in folded for f in forms) else 0
        counts.append(n)
        per_1000.append(1000.0 * n / doc.word_count if doc.word_count else 0.0)
    out = res.rows[["session", "document", "symbol"]].copy()
    out["term"] = label
    out["count"] = np.asarray(counts, dtype=int)
    out["per_1000"] = np.asarray(per_1000, dtype=float)
    out["tfidf"] = tfidf
    return out[TREND_COLUMNS].reset_index(drop=True)


# --- internals -------------------------------------------------------------

def _check_by(by: str) -> str:
    if by not in BY:
        raise ValueError(f"by must be one of {BY}, not {by!r}")
    return by


def _as_tuple(docs) -> tuple[Resolution, ...]:
    return tuple(docs.values()) if isinstance(docs, Mapping) else tuple(docs)


def _pretokenised(tokens: list[str]) -> list[str]:
    return tokens


@lru_cache(maxsize=4)
def _tfidf_cached(docs: tuple[Resolution, ...], by: str, stop_words: frozenset[str]) -> TfidfResult:
    if by == "session":
        chosen = list(representative(docs).values())
    else:
        chosen = sorted(docs, key=sort_key)
    token_lists = [analysis_tokens(d.text, stop_words=stop_words) for d in chosen]
    rows = pd.DataFrame({
        "session": pd.array([d.session for d in chosen], dtype="Int64"),
        "document": [d.id for d in chosen],
        "symbol": [d.symbol for d in chosen],
        "tokens": np.asarray([len(t) for t in token_lists], dtype=int),
    })
    if not any(token_lists):
        return TfidfResult(by, rows, tuple(chosen), (), sparse.csr_matrix((len(chosen), 0)), stop_words)
    vectorizer = TfidfVectorizer(analyzer=_pretokenised, lowercase=False,
                                 sublinear_tf=True, norm="l2", smooth_idf=True)
    matrix = vectorizer.fit_transform(token_lists).tocsr()
    matrix.sort_indices()
    return TfidfResult(by, rows, tuple(chosen), tuple(vectorizer.get_feature_names_out()), matrix, stop_words)


def _session_row(res: TfidfResult, session: int) -> np.ndarray:
    hits = np.flatnonzero(res.rows["session"].to_numpy(dtype=int) == session)
    if not len(hits):
        known = ", ".join(str(s) for s in res.rows["session"])
        raise ValueError(f"session {session} is not in the corpus (sessions: {known})")
    return res.matrix[hits[0]].toarray().ravel()


@lru_cache(maxsize=256)
def _count_pattern(forms: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(phrase_pattern(f).pattern for f in forms))
