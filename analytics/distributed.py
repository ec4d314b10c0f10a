"""The optional Dask route: parse a corpus on a cluster, keep the records as a Parquet store.

    ingest(corpus_dir, out=STORE, engine="dask", scheduler="tcp://host:8786")
    corpus = load_store(STORE)          # the same `Corpus` as `load_corpus(corpus_dir)`

The driver admits and reads the files exactly as `analytics.corpus.load_corpus` does (same
refusals, same duplicate rule, same hashes), so a bad file is the same one-line problem on
either route; only the parse (the CPU-bound part) is mapped over the cluster, each worker
using the same time-bounded parse per file.  The bytes travel to the workers through Dask,
so workers need this package importable but no access to the corpus folder.  The records
come back to the driver, which assembles them as the local path does, groups the series
(`Corpus.series`) and writes one Parquet file per series and session
(``series=<id>/session=<n>/``).  Dask is imported only inside the functions that need it:
the default install does not have it (``pip install -r requirements-dask.txt``).

The store is data only (Parquet and JSON, nothing executable).  Beside the partitions it
holds ``_corpus.json`` (fingerprint, problems, parser version) and copies of the corpus
folder's lexicon overrides, so `load_store` serves `Corpus.config` and `Corpus.series`
with the same overrides as the folder.
"""
from __future__ import annotations

import contextlib
import dataclasses
import json
import math
import os
import shutil
import tempfile
import time
from pathlib import Path

from . import corpus as _corpus
from .reader import PARSER_VERSION
from .records import FIELDS, Paragraph, Problem, Resolution, sort_key
from .safeparse import DEFAULT_BUDGET_S

ENGINES = ("local", "dask")
STORE_FORMAT = "unres-store/1"
META_NAME = "_corpus.json"          # a leading "_": Parquet readers skip it
PARTITION_COLUMNS = ("series", "session")
MAX_BATCH = 64                      # files per task: big enough to amortise a task, small to balance
_PARTS = ("preambular", "operative")
_SCALAR_FIELDS = ("id", "symbol", "session", "year", "date", "kind", "title", "agenda_item",
                  "committee_report", "plenary_meeting", "source", "sha256", "draft_symbol")
_LIST_FIELDS = ("sponsors", "keywords", "footnotes", "warnings")
_PARAGRAPH_FIELDS = ("index", "number", "lead", "text", "pages")
# A field added to a record must be added here, or the store would silently lose it.
assert set(_SCALAR_FIELDS + _LIST_FIELDS + _PARTS) == set(FIELDS)
assert set(_PARAGRAPH_FIELDS) | {"part"} == set(Paragraph._fields)


# --- ingest --------------------------------------------------------------------------------

def ingest(corpus_dir: str | Path, *, out: str | Path, engine: str = "local",
           scheduler: str | None = None, cache_dir: str | Path | None = None) -> dict:
    """Parse ``corpus_dir`` and write its records to the Parquet store ``out``.

    ``engine="local"``: `load_corpus` (with its cache, ``cache_dir``).  ``engine="dask"``: the
    parse runs on the Dask scheduler at ``scheduler`` (an address such as
    ``tcp://10.0.0.5:8786``), or on a `LocalCluster` of this machine's cores when it is None;
    with ``cache_dir`` the records parsed are also filed in that cache, so a later local load
    of the folder parses nothing.  An existing store at ``out`` is replaced; any other
    existing folder there is refused (ValueError).  Returns a summary: ``documents``,
    ``problems`` (counts), ``partitions`` (series x session folders written), ``series``,
    ``seconds``, ``out``, ``engine`` and ``notes``."""
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}: use {' or '.join(ENGINES)}")
    if scheduler is not None and engine != "dask":
        raise ValueError("a scheduler address needs engine='dask'")
    corpus_dir, out = Path(corpus_dir), Path(out)
    _check_out(out, corpus_dir)
    t = time.perf_counter()
    if engine == "dask":
        corpus = load_corpus_dask(corpus_dir, scheduler=scheduler, cache_dir=cache_dir)
    else:
        corpus = _corpus.load_corpus(corpus_dir, cache_dir=cache_dir)
    partitions = write_store(corpus, out)
    return {"documents": len(corpus.documents), "problems": len(corpus.problems),
            "partitions": partitions, "series": len(corpus.series.ids),
            "seconds": time.perf_counter() - t, "out": str(out), "engine": engine,
            "notes": list(corpus.notes)}


def load_corpus_dask(corpus_dir: str | Path, *, scheduler: str | None = None,
                     cache_dir: str | Path | None = None,
                     budget: float = DEFAULT_BUDGET_S) -> _corpus.Corpus:
    """`load_corpus(corpus_dir, use_cache=False)`, with every file parsed on a Dask cluster."""
    corpus_dir = Path(corpus_dir)
    _dask()    # before reading 200 MB, say so if the engine is not installed
    hashed, data, problems = _read_folder(corpus_dir)
    jobs = [(name, data.pop(sha)) for name, sha in hashed]   # each file's bytes held once
    with _client(scheduler) as client:
        outcomes = _map_parse(client, jobs, budget=budget)
    del jobs
    results = {sha: res for (_, sha), (res, _) in zip(hashed, outcomes)}
    notes = _file_records(hashed, outcomes, cache_dir) if cache_dir is not None else []
    corpus = _corpus._assemble(hashed, results, problems, notes, parsed=len(hashed), cached=0)
    return dataclasses.replace(corpus, folder=corpus_dir)


def _read_folder(corpus_dir: Path) -> tuple[list[tuple[str, str]], dict[str, bytes], list[Problem]]:
    """Every admitted file's (name, sha) and bytes, and the problems, by the loader's own
    code, so a refusal or a duplicate reads the same on both routes.  corpus.py has no public
    function for this step yet: `_identify` with an empty stat index reads and hashes every
    file; `_read_files` is what the same step was called before the stat index."""
    files, problems = _corpus.corpus_files(corpus_dir)
    identify = getattr(_corpus, "_identify", None)
    if identify is None:
        hashed, data = _corpus._read_files(files, corpus_dir, problems)
    else:
        from .statindex import StatIndex
        hashed, data = identify(files, corpus_dir, problems, StatIndex(None))
    return hashed, data, problems


def _dask():
    try:
        import dask.distributed
    except ImportError as exc:
        raise ImportError(f"the Dask engine needs dask[distributed] ({exc}): "
                          "pip install -r requirements-dask.txt") from None
    return dask.distributed


@contextlib.contextmanager
def _client(scheduler: str | None):
    dd = _dask()
    Client, LocalCluster = dd.Client, dd.LocalCluster
    if scheduler:
        try:
            client = Client(scheduler)
        except (OSError, TimeoutError, TypeError, ValueError) as exc:
            raise ValueError(f"cannot reach the Dask scheduler at {scheduler!r}: {exc}") from None
        with client:   # closing it leaves somebody else's cluster running
            yield client
        return
    # one single-threaded worker per core: each drives one parse process (analytics.safeparse)
    with LocalCluster(n_workers=os.cpu_count() or 1, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        yield client


def _map_parse(client, jobs: list[tuple[str, bytes]], *, budget: float) -> list[tuple]:
    """``_parse_one`` of every job on the cluster, in job order."""
    if not jobs:
        return []
    slots = max(1, sum(client.nthreads().values()))
    size = max(1, min(MAX_BATCH, math.ceil(len(jobs) / (4 * slots))))
    batches = [jobs[i:i + size] for i in range(0, len(jobs), size)]
    # scattered, not embedded in the task graph: the scheduler never holds 200 MB of text
    futures = client.map(_parse_batch, client.scatter(batches), budget=budget, pure=False)
    return [outcome for batch in client.gather(futures) for outcome in batch]


def _parse_batch(jobs: list[tuple[str, bytes]], *, budget: float) -> list[tuple]:
    """Runs on a worker: (record or problem, cacheable) per file, as the local loader parses."""
    return [_corpus._parse_one(name, data, budget=budget) for name, data in jobs]


def _file_records(hashed: list[tuple[str, str]], outcomes: list[tuple], cache_dir) -> list[str]:
    """File what may be cached where `load_corpus` looks first; a failure is a note, not an error."""
    for (_, sha), (res, cacheable) in zip(hashed, outcomes):
        if not cacheable:
            continue
        try:
            _corpus.store_record(res, sha256=sha, cache_dir=cache_dir)
        except OSError as exc:
            return [f"cannot write cache ({exc.strerror or exc}); continuing without it"]
    return []


# --- the store -----------------------------------------------------------------------------

def write_store(corpus: _corpus.Corpus, out: str | Path) -> int:
    """Write ``corpus`` as a Parquet store at ``out`` (replacing a store there); returns the
    number of series x session partitions written."""
    import pyarrow.parquet as pq
    out = Path(out)
    index = corpus.series
    table = _documents_table(corpus.documents, [index.series_of(d.id) for d in corpus.documents])
    partitions = len({(index.series_of(d.id), d.session) for d in corpus.documents})
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}.tmp-"))
    try:
        if table.num_rows:
            # pyarrow refuses more than 1,024 partitions by default; an archive of many series
            # over many sessions has more (10,000 generated documents: about 10,000)
            pq.write_to_dataset(table, tmp, partition_cols=list(PARTITION_COLUMNS),
                                basename_template="part-{i}.parquet",
                                max_partitions=max(1024, partitions))
        _write_meta(tmp, corpus)
        _copy_overrides(corpus.folder, tmp)
        _replace(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return partitions


def load_store(path: str | Path) -> _corpus.Corpus:
    """The `Corpus` a store holds: records equal to the local path's, in the same order."""
    path = Path(path)
    meta = _read_meta(path)
    docs = sorted(_read_documents(path), key=sort_key)
    notes = ()
    if meta["parser_version"] != PARSER_VERSION:
        notes = (f"store {path} was parsed by parser version {meta['parser_version']}, this is "
                 f"{PARSER_VERSION}: ingest again for the current reader",)
    return _corpus.Corpus(tuple(docs), tuple(Problem(s, r) for s, r in meta["problems"]),
                          meta["fingerprint"], notes, folder=path)


def _check_out(out: Path, corpus_dir: Path) -> None:
    o, c = out.resolve(), corpus_dir.resolve()
    if o == c or c in o.parents or o in c.parents:
        raise ValueError(f"the store {out} must be outside the corpus folder {corpus_dir}")
    if out.exists() and not (out / META_NAME).is_file() and (not out.is_dir() or any(out.iterdir())):
        raise ValueError(f"{out} exists and is not a store: not overwritten")


def _replace(tmp: Path, out: Path) -> None:
    """Swap the new store in; the old one is removed only after the new one is in place."""
    old = None
    if out.exists():
        old = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}.old-")) / "store"
        os.rename(out, old)
    os.rename(tmp, out)
    if old is not None:
        shutil.rmtree(old.parent, ignore_errors=True)


def _write_meta(folder: Path, corpus: _corpus.Corpus) -> None:
    meta = {"format": STORE_FORMAT, "parser_version": PARSER_VERSION,
            "fingerprint": corpus.fingerprint, "documents": len(corpus.documents),
            "problems": [[p.source, p.reason] for p in corpus.problems],
            "source_folder": str(corpus.folder) if corpus.folder else None}
    (folder / META_NAME).write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")


def _read_meta(path: Path) -> dict:
    try:
        meta = json.loads((path / META_NAME).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise FileNotFoundError(f"{path} is not a store (no {META_NAME}): run ingest first") from None
    except (OSError, ValueError) as exc:
        raise ValueError(f"cannot read {path / META_NAME}: {exc}") from None
    if not isinstance(meta, dict) or meta.get("format") != STORE_FORMAT:
        raise ValueError(f"{path} is not a store of format {STORE_FORMAT}")
    return meta


def _copy_overrides(folder: Path | None, dest: Path) -> None:
    # every top-level TOML file: the overrides analytics.config knows today and any it learns
    for path in sorted(folder.glob("*.toml")) if folder is not None else ():
        if path.is_file():
            shutil.copyfile(path, dest / path.name)


# --- records <-> Arrow -----------------------------------------------------------------------

def _schema():
    import pyarrow as pa
    s, i, strings = pa.string(), pa.int64(), pa.list_(pa.string())
    types = {"session": i, "year": i, "date": pa.date32(),
             **{f: strings for f in _LIST_FIELDS}, "series": s}
    for part in _PARTS:
        types.update({f"{part}_index": pa.list_(i), f"{part}_number": pa.list_(i),
                      f"{part}_lead": strings, f"{part}_text": strings,
                      f"{part}_pages": pa.list_(pa.list_(i))})
    names = _SCALAR_FIELDS + _LIST_FIELDS + ("series",) + tuple(
        f"{part}_{f}" for part in _PARTS for f in _PARAGRAPH_FIELDS)
    return pa.schema([(n, types.get(n, s)) for n in names])


def _documents_table(docs, series: list[str]):
    """One row per document; each part's paragraphs as list columns (one per field)."""
    import pyarrow as pa
    cols = {f: [getattr(d, f) for d in docs] for f in _SCALAR_FIELDS + _LIST_FIELDS}
    cols["series"] = series
    for part in _PARTS:
        for k, f in enumerate(_PARAGRAPH_FIELDS, 1):    # Paragraph field k (0 is the part)
            cols[f"{part}_{f}"] = [[p[k] for p in getattr(d, part)] for d in docs]
    return pa.Table.from_pydict(cols, schema=_schema())


def _read_documents(path: Path) -> list[Resolution]:
    import pyarrow as pa
    import pyarrow.dataset as ds
    files = sorted(str(p) for p in path.glob("series=*/session=*/*.parquet"))
    if not files:
        return []
    partitioning = ds.partitioning(pa.schema([("series", pa.string()), ("session", pa.int64())]),
                                   flavor="hive")
    table = ds.dataset(files, format="parquet", partitioning=partitioning,
                       partition_base_dir=str(path)).to_table()
    cols = {name: table.column(name).to_pylist() for name in table.column_names}
    return [_record(cols, row) for row in range(table.num_rows)]


def _record(cols: dict, row: int) -> Resolution:
    values = {f: cols[f][row] for f in _SCALAR_FIELDS}
    values.update({f: tuple(cols[f][row]) for f in _LIST_FIELDS})
    for part in _PARTS:
        index, number, lead, text, pages = (cols[f"{part}_{f}"][row] for f in _PARAGRAPH_FIELDS)
        values[part] = tuple(Paragraph(part, i, n, le, t, tuple(pg))
                             for i, n, le, t, pg in zip(index, number, lead, text, pages))
    return Resolution(**values)
