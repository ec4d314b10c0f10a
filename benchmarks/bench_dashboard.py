"""Dashboard speed: browser time to first chart, and page reruns after a filter change.

    python -m benchmarks.bench_dashboard [--reps 5] [--skip-browser] [--corpus DIR] [--json FILE]

1. Navigation -> first plotly chart drawn in Chromium, for our Themes page and for a
   bare one-chart Streamlit app written to a temporary file, in the same run and
   alternating, median of ``--reps`` fresh browser contexts each (one warm-up each
   first).  Most of this time is plotly.js itself (a 4.7 MB chunk parsed on the
   client), so the ratio to the bare app is the number to watch.
2. Rerun time of every page after a sidebar filter change, measured in-process with
   AppTest (server-side script time, which is what a filter change costs before the
   browser redraws): a session range not seen before (the analyses keyed by the
   selected documents miss their caches) and toggles between two ranges already
   seen (cache hits).  Medians.
3. In the browser, the Themes page: click that removes "draft" -> heatmap redrawn (the
   bundled corpus only: the check knows its sessions).

Reads the corpus in place (default: the bundled corpus) with a temporary cache, loaded once
before anything is timed so every server and page starts warm; needs /usr/bin/chromium for
parts 1 and 3 (skipped with a note when absent).  `benchmarks.bench` runs this script in
a subprocess for the dashboard rows of its table.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.bench import dashboard_medians
from benchmarks.serving import free_port, start_streamlit, stop, wait_healthy

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--headless=new", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
BARE_APP = '''\
import plotly.graph_objects as go
import streamlit as st

st.title("Bare")
st.plotly_chart(go.Figure(go.Scatter(x=[1, 2, 3], y=[1, 3, 2])).update_layout(title="Bare chart"))
'''
# The same kinds of Streamlit elements as our sidebar and Themes page (navigation over 14
# pages, a select box, a range slider, two multiselects, a radio, a toggle, a download
# button) around one tiny chart: Streamlit fetches each widget's code lazily, so this app
# shows what those elements cost before any of our work.  A row to read the target
# against, not the target itself (that stays Themes / bare).
CONTROL_APP = '''\
import plotly.graph_objects as go
import streamlit as st


def chart_page():
    st.title("Control")
    st.caption("Widgets like the dashboard's, one tiny chart.")
    st.radio("Measure", ["Mentions", "Per 1,000 words"], horizontal=True, key="m")
    st.plotly_chart(go.Figure(go.Scatter(x=[1, 2, 3], y=[1, 3, 2])).update_layout(title="Control chart"))
    st.download_button("Download CSV", data="a,b\\n1,2\\n", file_name="c.csv")
    st.toggle("Edit", key="t")


pages = [st.Page(chart_page, title="Chart", url_path="chart", default=True)] + [
    st.Page(lambda: st.title("Other"), title=f"Page {i}", url_path=f"p{i}") for i in range(13)]
page = st.navigation(pages, position="sidebar", expanded=True)
with st.sidebar:
    st.subheader("Filters")
    st.selectbox("Series", ["One series", "Another"], key="s")
    st.select_slider("Sessions", options=list(range(60, 68)), value=(60, 67), key="r")
    st.multiselect("Document kind", ["adopted", "draft"], default=["adopted", "draft"], key="k")
    st.multiselect("Themes", ["a", "b"], key="th", placeholder="All themes")
    st.caption("5 of 5 documents selected")
page.run()
'''


# --------------------------------------------------------------------------- servers


def _start(script: Path, env: dict, log: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    proc = start_streamlit(script, port, env, log)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, proc)
    except (RuntimeError, TimeoutError) as exc:
        proc.kill()
        raise RuntimeError(f"{script.name}: {exc}; see {log}") from None
    return proc, url


# --------------------------------------------------------------------------- browser


def _first_chart_s(browser, url: str, chart_text: str) -> float:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    t0 = time.perf_counter()
    page.goto(url)
    page.locator(".js-plotly-plot .main-svg").first.wait_for(state="visible", timeout=90_000)
    page.locator(".js-plotly-plot", has_text=chart_text).first.wait_for(state="visible", timeout=90_000)
    elapsed = time.perf_counter() - t0
    context.close()
    return elapsed


SESSION_66_EMPTY = """() => [...document.querySelectorAll('.js-plotly-plot')].some(gd => {
    const t = gd._fullData && gd._fullData[0];
    if (!t || t.type !== 'heatmap') return false;
    const i = Array.from(t.x).indexOf('66');
    return i < 0 || Array.from(t.z).every(row => row[i] === null || Number.isNaN(row[i]));
})"""


def _filter_redraw_s(browser, url: str) -> float:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.goto(url)
    heat = page.locator(".js-plotly-plot", has_text="Theme mentions by session").first
    heat.wait_for(state="visible", timeout=90_000)
    page.wait_for_timeout(1500)
    kinds = page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]', has_text="Document kind")
    t0 = time.perf_counter()
    kinds.locator('button[aria-label^="Remove draft"]').click()
    # the heatmap keeps every session of the range as a column (a session without documents
    # is an empty one), so "redrawn" is: session 66's column, the draft's, holds no count
    page.wait_for_function(SESSION_66_EMPTY, timeout=90_000)
    elapsed = time.perf_counter() - t0
    context.close()
    return elapsed


def browser_part(reps: int, env: dict, work: Path, *, filter_click: bool = True) -> dict:
    from playwright.sync_api import sync_playwright

    bare = work / "bare_app.py"
    bare.write_text(BARE_APP, encoding="utf-8")
    control = work / "control_app.py"
    control.write_text(CONTROL_APP, encoding="utf-8")
    ours, ours_url = _start(ROOT / "dashboard.py", env, work / "dashboard.log")
    plain, plain_url = _start(bare, env, work / "bare.log")
    ctrl, ctrl_url = _start(control, env, work / "control.log")
    out: dict = {}
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            themes = f"{ours_url}/themes"
            out["themes_warmup_s"] = _first_chart_s(browser, themes, "Theme mentions by session")
            out["bare_warmup_s"] = _first_chart_s(browser, plain_url, "Bare chart")
            out["control_warmup_s"] = _first_chart_s(browser, ctrl_url, "Control chart")
            ours_t, bare_t, ctrl_t = [], [], []
            for _ in range(reps):                  # alternate so all see the same machine load
                ours_t.append(_first_chart_s(browser, themes, "Theme mentions by session"))
                bare_t.append(_first_chart_s(browser, plain_url, "Bare chart"))
                ctrl_t.append(_first_chart_s(browser, ctrl_url, "Control chart"))
            out["themes_first_chart_s"] = ours_t
            out["bare_first_chart_s"] = bare_t
            out["control_first_chart_s"] = ctrl_t
            if filter_click:
                out["themes_filter_redraw_s"] = [_filter_redraw_s(browser, themes) for _ in range(reps)]
            browser.close()
    finally:
        stop(ours)
        stop(plain)
        stop(ctrl)
    return out


# --------------------------------------------------------------------------- reruns (AppTest)


RANGES = [(63, 67), (65, 67), (60, 66), (63, 66), (60, 65), (65, 66), (60, 63)]


def session_ranges(options: list[str], n: int) -> list[tuple[int, int]]:
    """At least ``max(n, 2)`` distinct ranges inside the slider's sessions, none of them the
    full span (the page's first state): RANGES when they fit (the bundled corpus), else
    ranges spread over the sessions of a generated corpus."""
    want = max(n, 2)
    try:
        sessions = [int(o) for o in options]
    except ValueError:
        return RANGES
    if all(lo in sessions and hi in sessions for lo, hi in RANGES[:want]):
        return RANGES
    out: list[tuple[int, int]] = []
    m = len(sessions)
    for k in range(m * m):
        lo, hi = sessions[(k * 7) % m], sessions[m - 1 - (k * 3) % m]
        if lo < hi and (lo, hi) not in out and (lo, hi) != (sessions[0], sessions[-1]):
            out.append((lo, hi))
        if len(out) >= want:
            break
    return out


def rerun_part(reps: int) -> dict[str, dict[str, float]]:
    """Per page: a session-range change to a range not seen before (every analysis keyed by
    the selected documents misses its cache) and toggles between two ranges already seen."""
    from streamlit import logger as st_logger
    from streamlit.testing.v1 import AppTest

    st_logger.set_log_level("error")
    sys.path.insert(0, str(ROOT))
    from views import PAGES

    out: dict[str, dict[str, float]] = {}
    for spec in PAGES:
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=300).run()
        at.switch_page(f"views/{spec.module}.py").run()
        if at.exception:
            raise RuntimeError(f"{spec.module}: {at.exception}")
        slider = next(w.key for w in at.select_slider if str(w.key).startswith("w_sessions"))
        ranges = session_ranges(at.select_slider(key=slider).options, reps)
        cold, cached = [], []
        for rng in ranges[:reps]:
            t0 = time.perf_counter()
            at.select_slider(key=slider).set_range(*rng).run()
            cold.append(time.perf_counter() - t0)
        if reps < 2:   # the toggles below go between two ranges already seen
            at.select_slider(key=slider).set_range(*ranges[1]).run()
        for i in range(2 * reps):
            rng = ranges[i % 2]
            t0 = time.perf_counter()
            at.select_slider(key=slider).set_range(*rng).run()
            cached.append(time.perf_counter() - t0)
        if at.exception:
            raise RuntimeError(f"{spec.module}: {at.exception}")
        out[spec.module] = {"cold_s": statistics.median(cold), "cached_s": statistics.median(cached),
                            **series_switches(at, reps)}
        if at.exception:
            raise RuntimeError(f"{spec.module}: {at.exception}")
    return out


def series_switches(at, reps: int) -> dict[str, float]:
    """The sidebar's series picker set to ``reps`` series not seen before (each page's
    analyses of that series miss their cache), then toggled between two seen ones; empty
    when the corpus has one series."""
    box = next((w for w in at.selectbox if w.key == "w_series"), None)
    if box is None or len(box.options) < 2:
        return {}
    others = [i for i in range(len(box.options)) if i != box.index][:max(reps, 2)]
    new, seen = [], []
    for i in others[:reps]:
        t0 = time.perf_counter()
        at.selectbox(key="w_series").select_index(i).run()
        new.append(time.perf_counter() - t0)
    for k in range(2 * reps):
        t0 = time.perf_counter()
        at.selectbox(key="w_series").select_index(others[k % 2]).run()
        seen.append(time.perf_counter() - t0)
    return {"series_new_s": statistics.median(new), "series_seen_s": statistics.median(seen)}


# --------------------------------------------------------------------------- main


def _fmt(xs: list[float]) -> str:
    return f"{statistics.median(xs):6.2f} s  (min {min(xs):.2f}, max {max(xs):.2f})"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--skip-browser", action="store_true")
    ap.add_argument("--corpus", type=Path, default=ROOT / "corpus",
                    help="corpus folder (read only; default: the bundled corpus)")
    ap.add_argument("--cache", type=Path, default=None,
                    help="cache folder to reuse (default: a fresh temporary one)")
    ap.add_argument("--json", type=Path, default=ROOT / "benchmarks" / "out" / "dashboard.json",
                    help="where the raw numbers go")
    args = ap.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="bench-dashboard-") as tmp:
        work = Path(tmp)
        # the pages only read the corpus (no upload here), so a large one is used in place
        corpus_dir = args.corpus.resolve()
        cache_dir = args.cache.resolve() if args.cache else work / "cache"
        cache_dir.mkdir(parents=True, exist_ok=True)
        env = dict(os.environ, UNRES_CORPUS_DIR=str(corpus_dir), UNRES_CACHE_DIR=str(cache_dir))
        print(f"corpus: {corpus_dir} ({sum(1 for _ in corpus_dir.iterdir())} files)")
        os.environ.update(UNRES_CORPUS_DIR=env["UNRES_CORPUS_DIR"], UNRES_CACHE_DIR=env["UNRES_CACHE_DIR"])
        result: dict = {"reps": args.reps, "corpus": str(corpus_dir)}
        sys.path.insert(0, str(ROOT))
        from analytics.corpus import load_corpus
        t0 = time.perf_counter()
        # untimed: a large corpus would otherwise spend the first browser wait on its cold ingest
        docs = load_corpus(corpus_dir, cache_dir=cache_dir).documents
        result["warm_up_load_s"] = time.perf_counter() - t0
        print(f"  loaded {len(docs)} documents in {result['warm_up_load_s']:.1f} s (cache warmed, not timed)")

        if args.skip_browser or not os.access(CHROMIUM, os.X_OK):
            print(f"browser timings skipped ({CHROMIUM} not found: apt-get install -y chromium)"
                  if not args.skip_browser else "browser timings skipped (--skip-browser)")
        else:
            b = browser_part(args.reps, env, work,
                             filter_click=corpus_dir == (ROOT / "corpus").resolve())
            result["browser"] = b
            m = dashboard_medians(result)     # the table's medians and ratios, computed in one place
            print(f"\nNavigation -> first chart in Chromium (median of {args.reps}, fresh context each)")
            print(f"  Themes page (heatmap)        {_fmt(b['themes_first_chart_s'])}")
            print(f"  bare one-chart app           {_fmt(b['bare_first_chart_s'])}")
            print(f"  ratio Themes / bare          {m['first_chart_ratio']:6.2f}")
            if "control_ratio" in m:
                print(f"  widgets-only control app     {_fmt(b['control_first_chart_s'])}")
                print(f"  ratio control / bare         {m['control_ratio']:6.2f}   (Streamlit's widget code alone)")
                print(f"  ratio Themes / control       {m['first_chart_s'] / m['control_chart_s']:6.2f}"
                      "   (our own work)")
            print(f"  warm-up loads: Themes {b['themes_warmup_s']:.2f} s, bare {b['bare_warmup_s']:.2f} s")
            if "themes_filter_redraw_s" in b:
                print(f"  Themes: filter click -> heatmap redrawn  {_fmt(b['themes_filter_redraw_s'])}")

        reruns = rerun_part(args.reps)
        result["reruns"] = reruns
        print(f"\nRerun after a sidebar filter change, AppTest, median of {args.reps}")
        print(f"  {'page':<12}{'new range':>12}{'seen range':>12}{'new series':>12}{'seen series':>12}")
        for page, r in reruns.items():
            cells = [r.get(k) for k in ("cold_s", "cached_s", "series_new_s", "series_seen_s")]
            print(f"  {page:<12}" + "".join(f"{'—':>12}" if v is None else f"{v:>10.3f} s" for v in cells))

    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, indent=2), encoding="utf-8")
    print(f"\nraw numbers: {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
