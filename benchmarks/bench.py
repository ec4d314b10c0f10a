"""Benchmark the ingest pipeline and the analyses on generated corpora.

    python -m benchmarks.bench [--sizes 1000,10000] [--repeat 3] [--out benchmarks/out]
                               [--quick] [--json FILE] [--seed 0]

Prints one markdown table (medians of ``--repeat`` runs per corpus size) with the
targets beside the measures.  Every measured step runs in a fresh subprocess, so
module imports, ``lru_cache``s and the page cache of earlier steps in the same
interpreter cannot flatter it; the timer covers only the measured call (imports
done first).  Progress goes to stderr, the table to stdout.

See benchmarks/README.md for what each row means.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULT_TAG = "BENCH_RESULT "
# where the corpus loader lives (analytics.reader parses one file; it no longer re-exports it)
LOAD_CORPUS = ("analytics.corpus", "load_corpus")

# (row name, module, function); how each is called is in `_call_analysis`.
ANALYSES = (
    ("themes", "analytics.themes", "theme_counts"),
    ("emerging", "analytics.emerging", "emerging_issues"),
    ("treaties", "analytics.treaties", "treaty_figures"),
    ("drift", "analytics.drift", "distances"),
    ("compare", "analytics.compare", "compare"),
    ("lineage", "analytics.lineage", "lineage"),
    ("citations", "analytics.citations", "citations"),
    ("verbs", "analytics.verbs", "verb_profile"),
)
# Analyses whose result for a document depends on that document alone: what a running
# dashboard recomputes after one file changed (drift, compare and lineage span documents).
PER_DOCUMENT = ("themes", "emerging", "treaties", "citations", "verbs")
TARGETS = {
    "ratio_vs_baseline": 2.5,     # (cold ingest + all analyses) / baseline <= (the aim beyond: 1.5)
    "lineage": 3.0,               # lineage over the whole corpus, by series <=
    "warm_speedup": 50.0,         # cold / warm >=
    "refresh_s": 1.0,             # <=
    "refresh_live_s": 1.0,        # <=
    "peak_rss_mb": 2048.0,        # <=
    "series_precision": 0.99,     # >=
    "series_recall": 0.99,        # >=
    "dashboard_rerun_s": 1.0,     # slowest page rerun after a filter change <=
    "first_chart_ratio": 1.1,     # first chart after navigation / bare one-chart app <=
}
RATIO_AIM = 1.5
# Targets a measure must reach from below (the others are ceilings).
AT_LEAST = ("warm_speedup", "series_precision", "series_recall")


# ---------------------------------------------------------------------------------------------
# Worker side: runs in a fresh interpreter, prints one tagged JSON line.


def _emit(payload: dict) -> None:
    sys.stdout.write(RESULT_TAG + json.dumps(payload) + "\n")
    sys.stdout.flush()


def _import_api(module: str, name: str):
    """The function, or raise LookupError naming what is missing."""
    import importlib
    try:
        mod = importlib.import_module(module)
    except ImportError as exc:
        raise LookupError(f"missing API: {module}.{name} ({type(exc).__name__}: {exc})") from None
    fn = getattr(mod, name, None)
    if fn is None:
        raise LookupError(f"missing API: {module}.{name} (module has no attribute {name!r})")
    return fn


def _status_kib(field: str) -> int | None:
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


class _PeakRss:
    """Peak resident memory of this process during a block, in MB.

    Linux: the high-water mark is reset through /proc/self/clear_refs before the block and
    read back (VmHWM) after it, so the peak of the warm load that precedes an analysis does
    not hide the analysis' own.  Elsewhere (or if the reset is refused) a thread samples
    the resident size every 10 ms instead."""

    def __enter__(self):
        import gc
        gc.collect()
        self.base_mb = (_status_kib("VmRSS") or 0) / 1024
        self.peak_mb = None
        try:
            with open("/proc/self/clear_refs", "w", encoding="ascii") as fh:
                fh.write("5")
            self._thread = None
        except OSError:
            import threading
            self._stop = threading.Event()
            self._samples = [self.base_mb]

            def sample():
                while not self._stop.wait(0.01):
                    self._samples.append((_status_kib("VmRSS") or 0) / 1024)
            self._thread = threading.Thread(target=sample, daemon=True)
            self._thread.start()
        return self

    def __exit__(self, *exc):
        if self._thread is None:
            hwm = _status_kib("VmHWM")
            self.peak_mb = hwm / 1024 if hwm is not None else None
        else:
            self._stop.set()
            self._thread.join()
            self.peak_mb = max(self._samples + [(_status_kib("VmRSS") or 0) / 1024])
        return False


def _load(corpus: str, cache: str):
    load_corpus = _import_api(*LOAD_CORPUS)
    return load_corpus(Path(corpus), cache_dir=Path(cache))


def _prepare(name: str, docs) -> dict:
    """What an analysis needs besides the records, made before its timer starts: lineage runs
    by series, as the Lineage page does; the grouping is timed in its own row."""
    if name == "lineage":
        from analytics.series import group_series
        return {"series": group_series(docs)}
    return {}


def _read_paragraphs(docs) -> int:
    return sum(len(d.paragraphs) for d in docs)


def _call_analysis(name: str, fn, docs, **extra):
    if extra:
        return fn(docs, **extra)
    if name == "drift":
        return fn(docs, all_pairs=False)
    if name == "compare":
        sessions = sorted({d.session for d in docs if d.session is not None})
        return fn(docs, sessions[0], sessions[-1])
    return fn(docs)


def _worker(task: str, a: argparse.Namespace) -> dict:
    if task in ("ingest", "refresh"):
        t = time.perf_counter()
        load_corpus = _import_api(*LOAD_CORPUS)
        imported = time.perf_counter() - t
        t = time.perf_counter()
        corpus = load_corpus(Path(a.corpus), cache_dir=Path(a.cache))
        seconds = time.perf_counter() - t
        out = {"seconds": seconds, "import_s": imported, "docs": len(corpus.documents),
               "problems": len(corpus.problems), "parsed": getattr(corpus, "parsed", None),
               "problem_examples": [str(p) for p in corpus.problems[:3]]}
        # A warm load defers building the paragraphs to their first read: what that read
        # costs is reported beside it, so the deferred work is not lost from the table.
        t = time.perf_counter()
        _read_paragraphs(corpus.documents)
        out["first_read_s"] = time.perf_counter() - t
        if a.file:
            out["sha256"] = next((d.sha256 for d in corpus.documents if d.source == a.file), None)
        return out
    if task == "analysis":
        spec = {n: (m, f) for n, m, f in ANALYSES}[a.analysis]
        fn = _import_api(*spec)
        docs = _load(a.corpus, a.cache).documents
        # in memory, as after a cold ingest: its first read of paragraphs is the warm row's
        _read_paragraphs(docs)
        extra = _prepare(a.analysis, docs)
        with _PeakRss() as mem:
            t = time.perf_counter()
            result = _call_analysis(a.analysis, fn, docs, **extra)
            seconds = time.perf_counter() - t
        return {"seconds": seconds, "rows": _size_of(result), "peak_mb": mem.peak_mb,
                "loaded_mb": mem.base_mb}
    if task == "series":
        # the grouping against the generator's manifest (its time excludes the warm load)
        grouping_scores = _import_api("benchmarks.series_eval", "grouping_scores")
        corpus = _load(a.corpus, a.cache)
        res = grouping_scores(Path(a.corpus), docs=corpus.documents)
        out = {k: res[k] for k in ("seconds", "precision", "recall", "series", "true_series")}
        # what a dashboard or command started again pays: the corpus's grouping read back from
        # the cache (analytics.derived) once a first start has filed it
        corpus.series
        again = _load(a.corpus, a.cache)
        t = time.perf_counter()
        again.series
        out["cached_s"] = time.perf_counter() - t
        return out
    if task == "refresh_live":
        # A running dashboard: warm load, the per-document analyses shown once, then one file
        # changes and the same process reloads and recomputes them, through the one content-keyed
        # memo the dashboard uses (analytics.memo), so unchanged documents' rows are reused.
        from analytics.memo import Memo
        fns = {n: _import_api(m, f) for n, m, f in ANALYSES if n in PER_DOCUMENT}
        memo = Memo()
        docs = _load(a.corpus, a.cache).documents
        for name, fn in fns.items():
            memo.rows(name, fn, docs)
        path = Path(a.corpus) / a.file
        original = path.read_bytes()
        try:
            path.write_bytes(_touch_one(original))
            t = time.perf_counter()
            corpus = _load(a.corpus, a.cache)
            reload_s = time.perf_counter() - t
            each = {}
            for name, fn in fns.items():
                t = time.perf_counter()
                memo.rows(name, fn, corpus.documents)
                each[name] = time.perf_counter() - t
        finally:
            path.write_bytes(original)
        return {"seconds": reload_s + sum(each.values()), "reload_s": reload_s, "analyses": each,
                "parsed": getattr(corpus, "parsed", None)}
    if task == "all":  # memory probe: cold ingest + every analysis in one process
        t = time.perf_counter()
        docs = _load(a.corpus, a.cache).documents
        ingest = time.perf_counter() - t
        missing = []
        t = time.perf_counter()
        for name, module, func in ANALYSES:
            try:
                fn = _import_api(module, func)
            except LookupError as exc:
                missing.append(str(exc))
                continue
            _call_analysis(name, fn, docs, **_prepare(name, docs))
        return {"ingest_s": ingest, "analyses_s": time.perf_counter() - t, "missing": missing}
    if task == "maxrss":
        cmd = [sys.executable, "-m", "benchmarks.bench", "--worker", "all",
               "--corpus", a.corpus, "--cache", a.cache]
        proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=a.timeout)
        child = _parse_result(proc)
        # Linux reports ru_maxrss in KiB; it is the largest single descendant, not a sum.
        kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        child["peak_rss_mb"] = kib / 1024 if "error" not in child else None
        return child
    if task == "dask":
        return _dask_ingest(a)
    if task == "baseline":
        files = sorted(p for p in Path(a.corpus).iterdir()
                       if p.suffix in (".txt", ".md") and not p.name.startswith("."))
        t = time.perf_counter()
        texts = [p.read_text(encoding="utf-8") for p in files]
        read_s = time.perf_counter() - t
        from sklearn.feature_extraction.text import TfidfVectorizer
        t = time.perf_counter()
        matrix = TfidfVectorizer().fit_transform(texts)
        seconds = time.perf_counter() - t
        return {"seconds": seconds, "read_s": read_s, "docs": len(texts),
                "mb": sum(len(x.encode("utf-8")) for x in texts) / 1e6, "features": matrix.shape[1]}
    raise SystemExit(f"unknown worker task {task!r}")


def _dask_ingest(a: argparse.Namespace) -> dict:
    """`analytics.distributed.ingest(engine="dask")` on a LocalCluster of every core, as the CLI
    runs it without --scheduler; the cluster's start is timed apart from the ingest."""
    ingest = _import_api("analytics.distributed", "ingest")
    try:
        from dask.distributed import LocalCluster
    except ImportError as exc:
        raise LookupError(f"dask not installed ({exc}): pip install -r requirements-dask.txt") from None
    t = time.perf_counter()
    with LocalCluster(n_workers=os.cpu_count() or 1, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster:
        start_s = time.perf_counter() - t
        t = time.perf_counter()
        summary = ingest(Path(a.corpus), out=Path(a.cache) / "store", engine="dask",
                         scheduler=cluster.scheduler_address)
        ingest_s = time.perf_counter() - t
    return {"seconds": start_s + ingest_s, "start_s": start_s, "ingest_s": ingest_s,
            "docs": summary["documents"], "partitions": summary["partitions"]}


def _size_of(result) -> int | None:
    try:
        return len(result)
    except TypeError:
        return None


def _worker_main(a: argparse.Namespace) -> int:
    try:
        _emit(_worker(a.worker, a))
    except LookupError as exc:
        _emit({"error": str(exc), "missing": True})
    except Exception as exc:  # report, never crash the table
        _emit({"error": f"{type(exc).__name__}: {exc}", "trace": traceback.format_exc()[-2000:]})
    return 0


# ---------------------------------------------------------------------------------------------
# Parent side


def _parse_result(proc: subprocess.CompletedProcess) -> dict:
    for line in reversed(proc.stdout.splitlines()):
        if line.startswith(RESULT_TAG):
            return json.loads(line[len(RESULT_TAG):])
    tail = (proc.stderr or "").strip().splitlines()[-3:]
    return {"error": f"worker exited {proc.returncode} without a result: {' | '.join(tail)}"}


def run_worker(task: str, *, corpus: Path, cache: Path, timeout: float, **extra) -> dict:
    cmd = [sys.executable, "-m", "benchmarks.bench", "--worker", task, "--corpus", str(corpus),
           "--cache", str(cache), "--timeout", str(timeout)]
    for k, v in extra.items():
        cmd += [f"--{k}", str(v)]
    try:
        proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {timeout:.0f} s"}
    return _parse_result(proc)


def ensure_corpus(out: Path, n: int, seed: int) -> tuple[Path, dict]:
    """A generated corpus of n documents, regenerated if absent, stale or touched."""
    from benchmarks.generate import GENERATOR_VERSION, MANIFEST_NAME, generate, load_manifest
    d = out / f"corpus-{n}-seed{seed}"
    try:
        m = load_manifest(d)
        ok = (m["generator_version"] == GENERATOR_VERSION and m["seed"] == seed
              and m["n_docs"] == n
              and all((d / f["file"]).stat().st_size == f["bytes"] for f in m["files"]))
    except (OSError, KeyError, ValueError):
        ok = False
    if not ok:
        shutil.rmtree(d, ignore_errors=True)
        t = time.perf_counter()
        generate(d, n, seed=seed)
        _log(f"generated {n} documents in {time.perf_counter() - t:.1f} s -> {d}")
        m = load_manifest(d)
    assert (d / MANIFEST_NAME).exists()
    return d, m


def _touch_one(data: bytes) -> bytes:
    """The same document with one word changed after the opener (structure intact)."""
    start = data.find(b"General Assembly,")
    j = data.find(b" the ", max(start, 0))
    return data[:j] + b" this " + data[j + 5:]


def _log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def measure_once(corpus: Path, manifest: dict, cache_root: Path, rep: int, timeout: float,
                 notes: set[str], *, dask_row: bool = True) -> dict:
    run: dict[str, float | None] = {}

    def take(key: str, res: dict, field: str = "seconds") -> None:
        if "error" in res:
            notes.add(f"{key}: {res['error']}")
            run[key] = None
        else:
            run[key] = res.get(field)

    cache = cache_root / f"cache-{corpus.name}-r{rep}"
    shutil.rmtree(cache, ignore_errors=True)
    cache.mkdir(parents=True)

    res = run_worker("ingest", corpus=corpus, cache=cache, timeout=timeout)
    take("cold_s", res)
    if res.get("problems"):
        notes.add(f"cold ingest of {corpus.name}: {res['problems']} problems, e.g. "
                  f"{'; '.join(res.get('problem_examples', []))}")
    if res.get("docs") not in (None, manifest["n_docs"]):
        notes.add(f"cold ingest of {corpus.name}: {res.get('docs')} documents, "
                  f"{manifest['n_docs']} generated")
    _log(f"  cold ingest {run['cold_s']}")
    res = run_worker("ingest", corpus=corpus, cache=cache, timeout=timeout)
    take("warm_s", res)
    take("warm_read_s", res, "first_read_s")
    _log(f"  warm load {run['warm_s']} (then every paragraph read: {run['warm_read_s']})")

    # Refresh: one generated file changes; reload with the warm cache; restore it after.
    entry = manifest["files"][(rep * 7919) % len(manifest["files"])]
    path = corpus / entry["file"]
    original = path.read_bytes()
    try:
        path.write_bytes(_touch_one(original))
        res = run_worker("refresh", corpus=corpus, cache=cache, timeout=timeout, file=entry["file"])
    finally:
        path.write_bytes(original)
    take("refresh_s", res)
    if "error" not in res and res.get("parsed") not in (None, 1):
        notes.add(f"refresh re-parsed {res.get('parsed')} files, expected 1")
    _log(f"  refresh {run['refresh_s']}")

    # The same in a running process, on another file (the first one's edited version is
    # cached by now); the worker restores the file, and so does this process if it dies.
    entry = manifest["files"][(rep * 7919 + 1) % len(manifest["files"])]
    path = corpus / entry["file"]
    original = path.read_bytes()
    try:
        res = run_worker("refresh_live", corpus=corpus, cache=cache, timeout=timeout, file=entry["file"])
    finally:
        if path.read_bytes() != original:
            path.write_bytes(original)
    take("refresh_live_s", res)
    run["refresh_live_reload_s"] = res.get("reload_s")
    for name, v in (res.get("analyses") or {}).items():
        run[f"refresh_live_{name}_s"] = v
    if "error" not in res and res.get("parsed") not in (None, 1):
        notes.add(f"refresh in a running process re-parsed {res.get('parsed')} files, expected 1")
    _log(f"  refresh in a running process {run['refresh_live_s']} (reload {res.get('reload_s')})")

    for name, _, _ in ANALYSES:
        res = run_worker("analysis", corpus=corpus, cache=cache, timeout=timeout, analysis=name)
        take(name, res)
        run[f"mem_{name}"] = res.get("peak_mb")
        run[f"mem_{name}_loaded"] = res.get("loaded_mb")
        _log(f"  {name} {run[name]} (peak {res.get('peak_mb')} MB)")

    res = run_worker("series", corpus=corpus, cache=cache, timeout=timeout)
    take("series_s", res)
    take("series_cached_s", res, "cached_s")
    run["series_precision"], run["series_recall"] = res.get("precision"), res.get("recall")
    _log(f"  series grouping {run['series_s']} (precision {res.get('precision')}, recall "
         f"{res.get('recall')}, {res.get('series')} series of {res.get('true_series')})")

    res = run_worker("baseline", corpus=corpus, cache=cache, timeout=timeout)
    take("baseline_s", res)
    run["mb"] = res.get("mb")
    _log(f"  baseline {run['baseline_s']}")

    mem_cache = cache_root / f"cache-{corpus.name}-r{rep}-mem"
    shutil.rmtree(mem_cache, ignore_errors=True)
    res = run_worker("maxrss", corpus=corpus, cache=mem_cache, timeout=timeout)
    take("peak_rss_mb", res, "peak_rss_mb")
    missing = res.get("missing")
    for m in missing if isinstance(missing, list) else []:   # True when the worker lacked an API
        notes.add(m)
    _log(f"  peak RSS {run['peak_rss_mb']}")
    shutil.rmtree(mem_cache, ignore_errors=True)
    shutil.rmtree(cache, ignore_errors=True)
    _measure_dask(corpus, cache_root / f"dask-{corpus.name}-r{rep}", run, notes, timeout=timeout,
                  enabled=dask_row)

    # lineage runs by series, so the grouping is part of what the analyses cost
    analyses = [run[n] for n, _, _ in ANALYSES] + [run["series_s"]]
    run["analyses_s"] = None if any(v is None for v in analyses) else sum(analyses)
    run["cold_plus_analyses_s"] = (None if run["cold_s"] is None or run["analyses_s"] is None
                                   else run["cold_s"] + run["analyses_s"])
    run["ratio_vs_baseline"] = (None if run["cold_plus_analyses_s"] is None or not run["baseline_s"]
                                else run["cold_plus_analyses_s"] / run["baseline_s"])
    run["warm_speedup"] = (None if run["cold_s"] is None or not run["warm_s"]
                           else run["cold_s"] / run["warm_s"])
    run["dask_ratio"] = (None if run.get("dask_s") is None or not run["cold_s"]
                         else run["dask_s"] / run["cold_s"])
    return run


def dask_installed() -> bool:
    import importlib.util
    return importlib.util.find_spec("distributed") is not None


def _measure_dask(corpus: Path, work: Path, run: dict, notes: set[str], *, timeout: float,
                  enabled: bool) -> None:
    """The optional Dask row: skipped with a note when dask is not installed."""
    run["dask_s"] = run["dask_start_s"] = None
    if not enabled:
        return
    if not dask_installed():
        notes.add("Dask ingest: dask is not installed (pip install -r requirements-dask.txt); row skipped")
        return
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    try:
        res = run_worker("dask", corpus=corpus, cache=work, timeout=timeout)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if "error" in res:
        notes.add(f"dask_s: {res['error']}")
        return
    run["dask_s"], run["dask_start_s"] = res["seconds"], res["start_s"]
    _log(f"  Dask ingest {run['dask_s']} (cluster start {run['dask_start_s']})")


# ---------------------------------------------------------------------------------------------
# The dashboard rows: benchmarks.bench_dashboard in its own process, once per corpus size


def measure_dashboard(corpus: Path, out: Path, *, reps: int, timeout: float,
                      notes: set[str]) -> dict:
    """Medians from `benchmarks.bench_dashboard` on ``corpus``; every failure is a note and
    leaves the rows n/a, never an exception."""
    raw = out / f"dashboard-{corpus.name}.json"
    raw.unlink(missing_ok=True)
    cmd = [sys.executable, "-m", "benchmarks.bench_dashboard", "--corpus", str(corpus),
           "--reps", str(reps), "--json", str(raw)]
    try:
        proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        notes.add(f"dashboard rows: bench_dashboard timed out after {timeout:.0f} s")
        return {}
    if proc.returncode != 0 or not raw.exists():
        lines = [ln.strip() for ln in (proc.stderr or proc.stdout or "").splitlines()]
        tail = " | ".join([ln for ln in lines if ln.strip("^~ ")][-2:])   # no traceback carets
        notes.add(f"dashboard rows: bench_dashboard exited {proc.returncode}: {tail}")
        return {}
    for line in proc.stdout.splitlines():
        if "skipped" in line:
            notes.add(f"dashboard rows: {line.strip()}")
    return dashboard_medians(json.loads(raw.read_text(encoding="utf-8")))


def dashboard_medians(result: dict) -> dict:
    """Table values from bench_dashboard's JSON: the slowest page rerun (new or seen range),
    each page's pair, and the first-chart times and their ratio."""
    out: dict = {}
    reruns = result.get("reruns") or {}
    if reruns:
        # per page: new range, seen range, and (several series only) new series, seen series
        out["dashboard_pages"] = {page: (r["cold_s"], r["cached_s"], r.get("series_new_s"), r.get("series_seen_s"))
                                  for page, r in reruns.items()}
        out["dashboard_rerun_s"] = max(max(v for v in row if v is not None)
                                       for row in out["dashboard_pages"].values())
    b = result.get("browser") or {}
    if b.get("themes_first_chart_s") and b.get("bare_first_chart_s"):
        ours = statistics.median(b["themes_first_chart_s"])
        bare = statistics.median(b["bare_first_chart_s"])
        out.update(first_chart_s=ours, bare_chart_s=bare, first_chart_ratio=ours / bare)
        if b.get("control_first_chart_s"):
            control = statistics.median(b["control_first_chart_s"])
            out.update(control_chart_s=control, control_ratio=control / bare)
    return out


def _median(values: list) -> float | None:
    vals = [v for v in values if v is not None]
    if len(vals) != len(values) or not vals:
        return None
    return statistics.median(vals)


def _fmt(v: float | None, unit: str) -> str:
    if v is None:
        return "n/a"
    if unit == "x":
        return f"{v:.2f}x" if v < 10 else f"{v:.0f}x"
    if unit == "MB":
        return f"{v:.0f} MB"
    if unit == "ratio":
        return f"{v:.4f}"
    return f"{v:.3f} s" if v < 10 else f"{v:.1f} s"


def _verdict(key: str, v: float | None) -> str:
    if key not in TARGETS:
        return ""
    if v is None:
        return "n/a"
    ok = v >= TARGETS[key] if key in AT_LEAST else v <= TARGETS[key]
    if ok and key == "ratio_vs_baseline" and v <= RATIO_AIM:
        return "PASS (aim met)"
    return "PASS" if ok else "FAIL"


ROWS = (  # key, label, unit, target text
    ("cold_s", "cold ingest (empty cache)", "s", ""),
    ("warm_s", "warm load (cache hit)", "s", ""),
    ("warm_speedup", "warm speed-up (cold / warm)", "x", ">= 50x"),
    ("warm_read_s", "  after it: first read of every paragraph (built then, not at load)", "s", ""),
    ("refresh_s", "refresh after 1 changed file (new process: load only)", "s", "<= 1 s"),
    ("refresh_live_s", "refresh in a running process (reload + per-document analyses)", "s", "<= 1 s"),
    ("refresh_live_reload_s", "  of which: reload", "s", ""),
    *((f"refresh_live_{n}_s", f"  of which: {n}", "s", "") for n in PER_DOCUMENT),
    *((n, f"analysis: {n}", "s", "") for n, _, _ in ANALYSES if n != "lineage"),
    ("lineage", "analysis: lineage, whole corpus (by series, as the Lineage page)", "s", "<= 3 s"),
    ("series_s", "series grouping: time (group_series; in the sum below, lineage needs it)", "s", ""),
    ("series_cached_s", "series grouping on a warm start (Corpus.series, its text-derived part read from the cache)",
     "s", ""),
    ("series_precision", "series grouping: pairwise precision vs the manifest", "ratio", ">= 0.99"),
    ("series_recall", "series grouping: pairwise recall vs the manifest", "ratio", ">= 0.99"),
    ("analyses_s", "all analyses (sum, with the series grouping)", "s", ""),
    ("cold_plus_analyses_s", "cold ingest + all analyses", "s", ""),
    ("baseline_s", "baseline: TfidfVectorizer().fit_transform", "s", ""),
    ("ratio_vs_baseline", "(cold ingest + all analyses) / baseline", "x", "<= 2.5x (aim 1.5x)"),
    ("peak_rss_mb", "peak RSS, ingest + all analyses", "MB", "<= 2048 MB"),
    *((f"mem_{n}", f"peak RSS during analysis: {n} (+ over the loaded corpus)", "MB+", "")
      for n, _, _ in ANALYSES),
    ("dask_s", "Dask ingest: LocalCluster of every core (start + parse + Parquet store)", "s", ""),
    ("dask_start_s", "  of which: cluster start", "s", ""),
    ("dask_ratio", "Dask ingest / cold ingest (local)", "x", ""),
)
# From benchmarks.bench_dashboard (its own medians, one run per size); pages go after the first.
DASHBOARD_ROWS = (
    ("dashboard_rerun_s", "dashboard: slowest page rerun after a filter change (session range or series, new or seen)",
     "s", "<= 1 s"),
    ("first_chart_s", "dashboard: navigation -> first chart, Themes page", "s", ""),
    ("bare_chart_s", "dashboard: navigation -> first chart, bare one-chart app", "s", ""),
    ("first_chart_ratio", "dashboard: first chart, Themes / bare app (same run)", "x", "<= 1.1x"),
    ("control_chart_s", "  for reference: a widgets-only control app (our sidebar's kinds of widgets, one tiny chart)",
     "s", ""),
    ("control_ratio", "  control / bare app: what Streamlit's lazily loaded widget code costs alone", "x", ""),
)


def table(results: dict[int, dict], repeat: int) -> str:
    lines = [f"| docs | measure (median of {repeat}) | value | target | result |",
             "|---:|---|---:|---:|:---:|"]
    for n, r in results.items():
        med = r["median"]
        mb = med.get("mb")
        lines.append(f"| {n} | corpus size | {mb:.1f} MB |  |  |" if mb else f"| {n} | corpus size | n/a |  |  |")
        for key, label, unit, target in ROWS:
            v = med.get(key)
            if unit == "MB+":
                base = med.get(f"{key}_loaded")
                cell = "n/a" if v is None else (
                    f"{v:.0f} MB" + (f" (+{v - base:.0f})" if base is not None else ""))
                lines.append(f"| {n} | {label} | {cell} |  |  |")
                continue
            lines.append(f"| {n} | {label} | {_fmt(v, unit)} | {target} | {_verdict(key, v)} |")
        lines += _dashboard_lines(n, r.get("dashboard"))
    return "\n".join(lines)


def _dashboard_lines(n: int, dash: dict | None) -> list[str]:
    if dash is None:     # not measured in this run (--no-dashboard)
        return []
    lines = []
    for key, label, unit, target in DASHBOARD_ROWS:
        v = dash.get(key)
        lines.append(f"| {n} | {label} | {_fmt(v, unit)} | {target} | {_verdict(key, v)} |")
        if key == "dashboard_rerun_s":
            for page, (new, seen, *series) in (dash.get("dashboard_pages") or {}).items():
                shown = " / ".join(_fmt(v, "s") for v in (new, seen, *series) if v is not None)
                what = "new / seen range" + (", new / seen series" if any(v is not None for v in series) else "")
                lines.append(f"| {n} |   page {page}: {what} | {shown} |  |  |")
    return lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Benchmark ingest and analyses on generated corpora.")
    ap.add_argument("--sizes", default="1000,10000", help="comma-separated corpus sizes")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "out",
                    help="where generated corpora and temporary caches go (not corpus/)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--quick", action="store_true", help="smoke run: --sizes 200 --repeat 1")
    ap.add_argument("--json", type=Path, help="also save the raw numbers here")
    ap.add_argument("--timeout", type=float, default=3600.0, help="per measured step, seconds")
    ap.add_argument("--no-dashboard", action="store_true",
                    help="leave out the dashboard rows (benchmarks.bench_dashboard)")
    ap.add_argument("--dashboard-reps", type=int, default=None,
                    help="browser loads and ranges per page (default 5; 1 with --quick)")
    ap.add_argument("--no-dask", action="store_true", help="leave out the optional Dask ingest row")
    # worker mode (internal)
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    ap.add_argument("--corpus", help=argparse.SUPPRESS)
    ap.add_argument("--cache", help=argparse.SUPPRESS)
    ap.add_argument("--analysis", help=argparse.SUPPRESS)
    ap.add_argument("--file", help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.worker:
        return _worker_main(a)

    sizes = [200] if a.quick else [int(s) for s in a.sizes.split(",") if s.strip()]
    repeat = 1 if a.quick else max(1, a.repeat)
    out = a.out.resolve()
    if out == (ROOT / "corpus").resolve() or (ROOT / "corpus").resolve() in out.parents:
        ap.error("--out must not be inside corpus/")
    out.mkdir(parents=True, exist_ok=True)
    sys.path.insert(0, str(ROOT))

    notes: set[str] = set()
    results: dict[int, dict] = {}
    t0 = time.perf_counter()
    for n in sizes:
        corpus, manifest = ensure_corpus(out, n, a.seed)
        runs = []
        for rep in range(repeat):
            _log(f"size {n}, run {rep + 1}/{repeat}")
            runs.append(measure_once(corpus, manifest, out, rep, a.timeout, notes,
                                     dask_row=not a.no_dask))
        keys = dict.fromkeys(k for r in runs for k in r)
        results[n] = {"runs": runs, "median": {k: _median([r.get(k) for r in runs]) for k in keys}}
        if not a.no_dashboard:
            _log(f"size {n}, dashboard")
            reps = a.dashboard_reps or (1 if a.quick else 5)
            results[n]["dashboard"] = measure_dashboard(corpus, out, reps=reps, timeout=a.timeout,
                                                        notes=notes)

    print(table(results, repeat))
    if notes:
        print()
        for note in sorted(notes):
            print(f"- {note.splitlines()[0]}")
    if a.json:
        a.json.parent.mkdir(parents=True, exist_ok=True)
        a.json.write_text(json.dumps({
            "sizes": {str(n): r for n, r in results.items()}, "repeat": repeat, "seed": a.seed,
            "targets": TARGETS, "notes": sorted(notes), "wall_s": time.perf_counter() - t0,
            "machine": {"python": platform.python_version(), "cpus": os.cpu_count(),
                        "platform": platform.platform()},
        }, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
