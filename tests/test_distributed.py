"""The Dask route (analytics.distributed): a 2-worker LocalCluster on loopback parses a
generated corpus plus two bad files; the Parquet store it writes loads back into the same
records, problems and analysis results as `load_corpus` on the same folder."""
import ast
import dataclasses
import os
from pathlib import Path

import pandas as pd
import pytest

from analytics import distributed, lineage, themes, treaties
from analytics.corpus import load_corpus, load_documents
from analytics.records import FIELDS
from benchmarks.generate import generate, load_manifest

ANALYTICS = Path(__file__).resolve().parent.parent / "analytics"
BAD_NAME, COPY_NAME = "zz-notes.txt", "zz-copy.md"
RENAMED = "Crime programme (as series.toml names it)"


def _require_dask():
    try:
        import dask.distributed  # noqa: F401
    except ImportError as exc:
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the Dask route, but dask is missing ({exc}): "
                        "install requirements-dask.txt")
        pytest.skip("dask[distributed] is not installed (.venv/bin/pip install -r requirements-dask.txt)")


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    root = tmp_path_factory.mktemp("distributed")
    corpus_dir = root / "corpus"
    generate(corpus_dir, 60, seed=3)
    (corpus_dir / BAD_NAME).write_text("Minutes of the informal consultations, not a resolution.\n")
    first = load_manifest(corpus_dir)["files"][0]["file"]
    (corpus_dir / COPY_NAME).write_bytes((corpus_dir / first).read_bytes())
    # an override beside the documents: the store must apply it as the folder does
    doc_id = load_documents([corpus_dir / first])[0].id
    (corpus_dir / "series.toml").write_text(f'[rename]\n"{doc_id}" = "{RENAMED}"\n')
    return root, corpus_dir, first


@pytest.fixture(scope="module")
def local(folder):
    root, corpus_dir, _ = folder
    return load_corpus(corpus_dir, cache_dir=root / "cache")


@pytest.fixture(scope="module")
def dask_run(folder):
    _require_dask()
    from dask.distributed import LocalCluster
    root, corpus_dir, _ = folder
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as cluster:
        assert cluster.scheduler_address.startswith("tcp://127.0.0.1:")
        summary = distributed.ingest(corpus_dir, out=root / "store", engine="dask",
                                     scheduler=cluster.scheduler_address, cache_dir=root / "dask-cache")
    return summary, distributed.load_store(root / "store")


def test_dask_store_has_the_local_records_field_by_field(dask_run, local):
    summary, stored = dask_run
    assert [d.id for d in stored.documents] == [d.id for d in local.documents]
    for mine, theirs in zip(stored.documents, local.documents):
        for name in FIELDS:
            assert getattr(mine, name) == getattr(theirs, name), (mine.id, name)
    assert stored.documents == local.documents
    assert stored.fingerprint == local.fingerprint
    assert (summary["documents"], summary["problems"], summary["engine"]) == (60, 2, "dask")


def test_bad_files_are_the_same_problems_as_locally(dask_run, local, folder):
    _, stored = dask_run
    first = folder[2]
    assert stored.problems == local.problems
    reasons = {p.source: p.reason for p in stored.problems}
    assert reasons == {BAD_NAME: "not a resolution: no 'The General Assembly,' opening",
                       COPY_NAME: f"same content as {first}: skipped"}


def test_store_is_partitioned_by_series_and_session(dask_run, folder):
    summary, stored = dask_run
    root = folder[0]
    index = stored.series
    want = {(index.series_of(d.id), d.session) for d in stored.documents}
    dirs = {(s.name.removeprefix("series="), int(p.name.removeprefix("session=")))
            for s in (root / "store").glob("series=*") for p in s.glob("session=*")}
    assert dirs == want
    assert summary["partitions"] == len(want)
    # the generator wrote 60 documents over a few series, one file per series and session
    truth = load_manifest(folder[1])
    assert summary["series"] == len(index.ids) == len({f["series"] for f in truth["files"]})


def test_analyses_agree_on_the_store(dask_run, local):
    _, stored = dask_run
    pd.testing.assert_frame_equal(themes.theme_counts(stored.documents), themes.theme_counts(local.documents))
    figures = treaties.treaty_figures(stored.documents)
    pd.testing.assert_frame_equal(figures, treaties.treaty_figures(local.documents))
    pd.testing.assert_frame_equal(lineage.paragraph_lineage(stored.documents, series=stored.series),
                                  lineage.paragraph_lineage(local.documents, series=local.series))
    assert stored.series.ids == local.series.ids
    assert [stored.series.title_of(s) for s in stored.series.ids] == \
        [local.series.title_of(s) for s in local.series.ids]
    assert RENAMED in [stored.series.title_of(s) for s in stored.series.ids]


def test_treaty_figures_read_from_the_store_match_the_generator(dask_run, folder):
    _, stored = dask_run
    truth = {(f["symbol"], t["parties"]) for f in load_manifest(folder[1])["files"]
             for t in f["treaty_figures"] if f["symbol"]}
    figures = treaties.treaty_figures(stored.documents)
    found = set(zip(figures["symbol"], figures["parties"].astype(int)))
    assert truth and truth <= found


def test_records_parsed_on_the_cluster_warm_the_local_cache(dask_run, local, folder):
    root, corpus_dir, _ = folder
    again = load_corpus(corpus_dir, cache_dir=root / "dask-cache")
    # 60 documents and the bad file's verdict; the duplicate is never parsed
    assert (again.parsed, again.cached) == (0, 61)
    assert again.documents == local.documents and again.problems == local.problems


def test_local_engine_writes_the_same_store(folder, local):
    root, corpus_dir, _ = folder
    summary = distributed.ingest(corpus_dir, out=root / "store-local", cache_dir=root / "cache")
    stored = distributed.load_store(root / "store-local")
    assert stored.documents == local.documents and stored.problems == local.problems
    assert (summary["documents"], summary["problems"], summary["engine"]) == (60, 2, "local")
    # ingesting again replaces the store in place
    distributed.ingest(corpus_dir, out=root / "store-local", cache_dir=root / "cache")
    assert distributed.load_store(root / "store-local").documents == local.documents


def test_ingest_never_overwrites_a_folder_that_is_not_a_store(folder, tmp_path):
    _, corpus_dir, _ = folder
    keep = tmp_path / "mine" / "thesis.txt"
    keep.parent.mkdir()
    keep.write_text("three years of work")
    with pytest.raises(ValueError, match="is not a store"):
        distributed.ingest(corpus_dir, out=keep.parent)
    with pytest.raises(ValueError, match="outside the corpus folder"):
        distributed.ingest(corpus_dir, out=corpus_dir / "store")
    assert keep.read_text() == "three years of work"
    with pytest.raises(ValueError, match="unknown engine 'spark'"):
        distributed.ingest(corpus_dir, out=tmp_path / "s", engine="spark")


def test_analytics_imports_dask_only_inside_functions():
    offenders = []
    for path in ANALYTICS.rglob("*.py"):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:   # module level only
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] in ("dask", "distributed")]
    assert offenders == []


def test_a_store_of_more_than_1024_partitions_is_written(local, tmp_path):
    """pyarrow's default refuses over 1,024 partitions; 10,000 generated documents make about
    10,000 (series x session): every one is written and read back."""
    from analytics.corpus import Corpus
    base = local.documents[0]
    docs = tuple(dataclasses.replace(base, id=f"copy-{i}", session=1000 + i) for i in range(1100))
    corpus = Corpus(docs)
    assert distributed.write_store(corpus, tmp_path / "store") == 1100
    assert len(list((tmp_path / "store").glob("series=*/session=*"))) == 1100
    back = distributed.load_store(tmp_path / "store")
    assert sorted(d.session for d in back.documents) == list(range(1000, 2100))
