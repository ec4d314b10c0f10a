"""How well `analytics.series.group_series` recovers the generator's series.

The manifest ``benchmarks.generate`` writes is the truth: each file's ``series`` index.  The
scores are over the pairwise same-series relation (every pair of documents is "same series" or
not): precision is the share of the pairs grouped together that truly belong together, recall
the share of the true pairs that were grouped together.  Counted from the contingency table of
(predicted series, true series), so 10,000 documents never make 50 million pairs.

    python -m benchmarks.series_eval benchmarks/out/corpus-1000-seed0
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Iterable, Mapping


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


def pair_scores(predicted: Mapping[str, str], truth: Mapping[str, object]) -> dict:
    """Pairwise precision and recall of `predicted` (item -> group) against `truth`,
    over the items both know."""
    items = [k for k in predicted if k in truth]
    together = sum(_pairs(n) for n in Counter((predicted[k], truth[k]) for k in items).values())
    grouped = sum(_pairs(n) for n in Counter(predicted[k] for k in items).values())
    true = sum(_pairs(n) for n in Counter(truth[k] for k in items).values())
    return {"precision": together / grouped if grouped else 1.0,
            "recall": together / true if true else 1.0,
            "documents": len(items)}


def _documents(corpus_dir: Path, cache_dir: Path | None) -> list:
    from analytics.corpus import load_corpus
    if cache_dir is not None:
        return list(load_corpus(corpus_dir, cache_dir=cache_dir).documents)
    with tempfile.TemporaryDirectory(prefix="series-eval-cache-") as tmp:
        return list(load_corpus(corpus_dir, cache_dir=Path(tmp)).documents)


def grouping_scores(corpus_dir: str | Path, manifest: Mapping | None = None, *,
                    cache_dir: str | Path | None = None, docs: Iterable | None = None) -> dict:
    """Group a generated corpus and score it against its manifest.

    Returns ``precision``, ``recall``, ``seconds`` (the `group_series` call alone, not the
    load), ``documents`` scored, ``series`` found and ``true_series``.  ``manifest`` defaults to
    the one beside the documents; ``docs`` skips loading when the records are at hand."""
    from analytics.series import group_series
    from benchmarks.generate import load_manifest
    corpus_dir = Path(corpus_dir)
    manifest = manifest if manifest is not None else load_manifest(corpus_dir)
    docs = list(docs) if docs is not None else _documents(corpus_dir, Path(cache_dir) if cache_dir else None)
    t = time.perf_counter()
    index = group_series(docs)
    seconds = time.perf_counter() - t
    truth = {f["file"]: f["series"] for f in manifest["files"]}
    scores = pair_scores({d.source: index.series_of(d.id) for d in docs}, truth)
    return {**scores, "seconds": seconds, "series": len(index.ids),
            "true_series": len({truth[d.source] for d in docs if d.source in truth})}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus", type=Path, help="a folder written by benchmarks.generate")
    ap.add_argument("--cache", type=Path, help="cache folder (default: a temporary one)")
    a = ap.parse_args(argv)
    r = grouping_scores(a.corpus, cache_dir=a.cache)
    print(f"{r['documents']} documents, {r['series']} series found ({r['true_series']} generated): "
          f"precision {r['precision']:.4f}, recall {r['recall']:.4f}, {r['seconds']:.3f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
