"""Cold and warm load times of a corpus folder (default: the bundled corpus).

    python -m benchmarks.load_bundled [--corpus DIR] [--runs 7]

Each run is a fresh interpreter, so imports and in-process caches do not flatter the figures;
"cold" starts from an empty cache folder, "warm" reuses the cache the cold run wrote.  Times are
for load_corpus() alone (imports excluded), medians over the runs.
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHILD = """
import json, sys, time
sys.path.insert(0, {root!r})
from analytics.corpus import load_corpus
t = time.perf_counter()
c = load_corpus({corpus!r}, cache_dir={cache!r}, workers={workers})
print(json.dumps({{"seconds": time.perf_counter() - t, "docs": len(c.documents), "parsed": c.parsed}}))
"""


def one(corpus: Path, cache: Path, workers: int | None) -> dict:
    code = CHILD.format(root=str(ROOT), corpus=str(corpus), cache=str(cache), workers=workers)
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--workers", type=int, default=None)
    args = ap.parse_args(argv)
    cold, warm = [], []
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as tmp:
            c = one(args.corpus, Path(tmp), args.workers)
            w = one(args.corpus, Path(tmp), args.workers)
            assert w["parsed"] == 0, "warm run re-parsed files"
            cold.append(c["seconds"])
            warm.append(w["seconds"])
    cm, wm = statistics.median(cold), statistics.median(warm)
    print(f"corpus: {args.corpus} ({c['docs']} documents), {args.runs} runs, fresh interpreter each")
    print(f"cold load (empty cache): median {cm * 1000:.1f} ms  (min {min(cold) * 1000:.1f}, max {max(cold) * 1000:.1f})")
    print(f"warm load (cache hit):   median {wm * 1000:.1f} ms  (min {min(warm) * 1000:.1f}, max {max(warm) * 1000:.1f})")
    print(f"warm is {cm / wm:.0f}x faster than cold")


if __name__ == "__main__":
    main()
