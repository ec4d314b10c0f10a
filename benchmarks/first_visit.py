"""A restarted dashboard: the first run and every page's first visit, in a new process.

    python -m benchmarks.first_visit --corpus DIR --cache DIR [--runs 2] [--pause SECONDS]

Each run is a fresh Python process (nothing in memory, only what the cache folder holds)
driving the app with Streamlit's AppTest: the Overview's first run (corpus load included),
then every page in menu order, each visited once and rerun once.  The first run after a
code change or a new corpus computes and files what `analytics.derived` keeps; the runs
after it read it back.  Server-side script time only (no browser).
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_ONE_RUN = r"""
import sys, time
sys.path.insert(0, ROOT)
from streamlit import logger
logger.set_log_level("error")
from streamlit.testing.v1 import AppTest
from views import PAGES
at = AppTest.from_file(APP, default_timeout=900)
t = time.perf_counter(); at.run()
print(f"{'overview (load)':18s} {time.perf_counter() - t:6.2f} s", "ERROR" if at.exception else "", flush=True)
for p in PAGES[1:]:
    time.sleep(PAUSE)
    t = time.perf_counter(); at.switch_page(f"views/{p.module}.py").run(); first = time.perf_counter() - t
    t = time.perf_counter(); at.run(); again = time.perf_counter() - t
    print(f"{p.module:18s} {first:6.2f} s   rerun {again:5.2f} s", "ERROR" if at.exception else "", flush=True)
"""


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--cache", required=True)
    ap.add_argument("--runs", type=int, default=2)
    ap.add_argument("--pause", type=float, default=0.0,
                    help="seconds between one page and the next, as a reader would take (default 0)")
    a = ap.parse_args(argv)
    env = dict(os.environ, UNRES_CORPUS_DIR=str(Path(a.corpus).resolve()),
               UNRES_CACHE_DIR=str(Path(a.cache).resolve()), UNRES_EXPORT_WARMUP="0")
    code = _ONE_RUN.replace("ROOT", repr(str(ROOT)), 1).replace("APP", repr(str(ROOT / "dashboard.py")), 1) \
        .replace("PAUSE", repr(a.pause), 1)
    for run in range(1, a.runs + 1):
        print(f"== run {run} (a new process)", flush=True)
        rc = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT).returncode
        if rc:
            return rc
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
