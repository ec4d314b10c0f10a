"""Keyness: which terms one text uses markedly more than another.

Significance is Dunning's log-likelihood G2 on the 2x2 table of a term's count
against the rest of each token list (Rayson & Garside's form):

    E_a = N_a (a + b) / (N_a + N_b),  E_b = N_b (a + b) / (N_a + N_b)
    G2  = 2 (a ln(a / E_a) + b ln(b / E_b)),  with 0 ln 0 = 0

G2 follows chi-squared with one degree of freedom, so p = erfc(sqrt(G2 / 2)),
and G2 >= 3.84 is p < 0.05.  Significance alone grows with text length, so
each row also carries an effect size, Hardie's Log Ratio:

    log_ratio = log2((a / N_a) / (b / N_b))

with a zero count replaced by 0.5 (Hardie 2014) so a term absent from one
side still gets a finite ratio.  Positive means more frequent in ``a``.

A term is reported on the side where its relative frequency is higher, only
when it occurs at least ``min_count`` times on that side and G2 >= 3.84.
"""
from __future__ import annotations

import math
from collections import Counter
from typing import Iterable

import numpy as np
import pandas as pd

from analytics.records import Resolution
from analytics.tokens import analysis_tokens, display_term

G2_CRITICAL = 3.84  # chi-squared, 1 degree of freedom, p = 0.05
ZERO_FREQUENCY = 0.5
COLUMNS = ["term", "side", "count_a", "count_b", "per_1000_a", "per_1000_b",
           "g2", "log_ratio", "p_value"]


def log_likelihood(a: int, b: int, total_a: int, total_b: int) -> float:
    """Dunning G2 for one term: ``a`` of ``total_a`` tokens against ``b`` of ``total_b``."""
    g2 = _g2(np.array([a], float), np.array([b], float), float(total_a), float(total_b))
    return float(g2[0])


def log_ratio(a: int, b: int, total_a: int, total_b: int) -> float:
    """Hardie's Log Ratio (binary log of the ratio of relative frequencies)."""
    return float(_log_ratio(np.array([a], float), np.array([b], float), total_a, total_b)[0])


def p_value(g2: float) -> float:
    """Upper tail of chi-squared with one degree of freedom."""
    return math.erfc(math.sqrt(max(g2, 0.0) / 2.0))


def keyness(tokens_a: Iterable[str], tokens_b: Iterable[str], *,
            top: int = 25, min_count: int = 2) -> pd.DataFrame:
    """Key terms of token list ``a`` against ``b`` and of ``b`` against ``a``.

    Up to ``top`` rows per side; rows sorted by side ("a" first), then G2
    descending, then term.  ``term`` is the display form of the token.
    """
    count_a, count_b = Counter(tokens_a), Counter(tokens_b)
    total_a, total_b = sum(count_a.values()), sum(count_b.values())
    if not total_a or not total_b:
        return pd.DataFrame(columns=COLUMNS)
    terms = np.array(sorted(count_a.keys() | count_b.keys()), dtype=object)
    a = np.array([count_a.get(t, 0) for t in terms], dtype=float)
    b = np.array([count_b.get(t, 0) for t in terms], dtype=float)
    g2 = _g2(a, b, float(total_a), float(total_b))
    side_a = a * total_b > b * total_a
    own = np.where(side_a, a, b)
    keep = (g2 >= G2_CRITICAL) & (own >= min_count)
    out = pd.DataFrame({
        "term": [display_term(t) for t in terms[keep]],
        "side": np.where(side_a[keep], "a", "b"),
        "count_a": a[keep].astype(int),
        "count_b": b[keep].astype(int),
        "per_1000_a": 1000.0 * a[keep] / total_a,
        "per_1000_b": 1000.0 * b[keep] / total_b,
        "g2": g2[keep],
        "log_ratio": _log_ratio(a[keep], b[keep], total_a, total_b),
    })
    out["p_value"] = [p_value(g) for g in out["g2"]]
    out = out.sort_values(["side", "g2", "term"], ascending=[True, False, True], kind="mergesort")
    out = out.groupby("side", sort=False).head(max(top, 0))
    return out[COLUMNS].reset_index(drop=True)


def keyness_docs(doc_a: Resolution, doc_b: Resolution, *, stop_words: frozenset[str] | None = None,
                 **kw) -> pd.DataFrame:
    """``keyness`` of two documents' clean body texts (their analysis tokens)."""
    return keyness(analysis_tokens(doc_a.text, stop_words=stop_words),
                   analysis_tokens(doc_b.text, stop_words=stop_words), **kw)


def _g2(a: np.ndarray, b: np.ndarray, total_a: float, total_b: float) -> np.ndarray:
    expected_a = total_a * (a + b) / (total_a + total_b)
    expected_b = total_b * (a + b) / (total_a + total_b)
    return 2.0 * (_x_ln_x_over(a, expected_a) + _x_ln_x_over(b, expected_b))


def _x_ln_x_over(x: np.ndarray, e: np.ndarray) -> np.ndarray:
    # x ln(x/e) with the limit 0 at x = 0 (e is positive wherever x is)
    safe = np.where(x > 0, x, 1.0) / np.where(e > 0, e, 1.0)
    return np.where(x > 0, x * np.log(safe), 0.0)


def _log_ratio(a: np.ndarray, b: np.ndarray, total_a: float, total_b: float) -> np.ndarray:
    a = np.where(a > 0, a, ZERO_FREQUENCY)
    b = np.where(b > 0, b, ZERO_FREQUENCY)
    return np.log2((a / total_a) / (b / total_b))
