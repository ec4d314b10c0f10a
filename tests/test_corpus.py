"""Loading a corpus folder: bad files, duplicates, and the content-addressed cache."""
import hashlib
import multiprocessing as mp
import os
import shutil
from pathlib import Path

import pytest

from analytics import admission
from analytics import corpus as corpus_mod
from analytics.corpus import _record_path, _pack_path, load_corpus

ROOT = Path(__file__).resolve().parent.parent


def _snapshot(folder: Path) -> dict:
    return {p.name: (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
            for p in folder.iterdir() if p.is_file()}


def test_bundled_corpus_loads_without_problems(corpus):
    assert [d.id for d in corpus.documents] == ["A-RES-60-175", "A-RES-63-195", "A-RES-65-232", "draft-66",
                                                "A-RES-67-189"]
    assert corpus.problems == ()
    assert len(corpus.fingerprint) == 16


def test_bad_files_are_reported_and_the_rest_loads(work):
    corpus_dir, cache = work
    (corpus_dir / "empty.txt").write_bytes(b"")
    (corpus_dir / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00" + os.urandom(2000))
    (corpus_dir / "recipe.md").write_text("Mix flour and sugar. Bake for 30 minutes.\n")
    (corpus_dir / "copy of 63-195.md").write_bytes((corpus_dir / "A-RES-63-195.md").read_bytes())
    (corpus_dir / "notes.docx").write_bytes(b"PK\x03\x04")
    (corpus_dir / "dangling.txt").symlink_to(corpus_dir / "does-not-exist.txt")
    (corpus_dir / "-rf ; rm *.txt").write_text("x")  # hostile name, unsupported type
    (corpus_dir / "README.md").write_text("# about this folder\n")  # documentation is not a document
    (corpus_dir / "ünïcødé résolution.txt").write_bytes((corpus_dir / "A-RES-60-175.txt").read_bytes() + b"\n")
    before = _snapshot(corpus_dir)
    c = load_corpus(corpus_dir, cache_dir=cache, workers=1)
    reasons = {p.source: p.reason for p in c.problems}
    assert reasons["empty.txt"] == "empty file"
    assert reasons["image.txt"] == "binary content (NUL bytes) in a text file"
    assert reasons["recipe.md"].startswith("not a resolution")
    # files are taken in name order, so the later name is the one reported as the duplicate
    assert reasons["copy of 63-195.md"] == "same content as A-RES-63-195.md: skipped"
    assert reasons["notes.docx"] == 'file type ".docx" is not accepted (allowed: .txt, .md, .pdf)'
    assert reasons["dangling.txt"].startswith("cannot read")
    assert "README.md" not in reasons
    assert len(c.documents) == 6
    ids = [d.id for d in c.documents]
    assert "A-RES-60-175" in ids and "A-RES-60-175-2" in ids  # same symbol, different bytes: both kept
    renamed = next(d for d in c.documents if d.id == "A-RES-60-175-2")
    assert renamed.source == "ünïcødé résolution.txt"
    assert any("same symbol as A-RES-60-175.txt" in w for w in renamed.warnings)
    assert _snapshot(corpus_dir) == before  # nothing in the corpus was touched


def test_huge_file_is_refused(work, monkeypatch):
    corpus_dir, cache = work
    monkeypatch.setattr(admission, "MAX_FOLDER_FILE_BYTES", 20_000)
    c = load_corpus(corpus_dir, cache_dir=cache, workers=1)
    too_big = {p.source for p in c.problems if p.reason.startswith("too large")}
    assert too_big == {"A-RES-67-189.txt", "A-RES-65-232.txt", "A-C.3-66-draft.md"}
    assert len(c.documents) == 2


def test_missing_folder_raises_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="cannot read corpus folder"):
        load_corpus(tmp_path / "nope", cache_dir=tmp_path / "c")


def test_cache_hit_change_and_rename(work):
    corpus_dir, cache = work
    cold = load_corpus(corpus_dir, cache_dir=cache, workers=1)
    assert (cold.parsed, cold.cached) == (5, 0)
    warm = load_corpus(corpus_dir, cache_dir=cache, workers=1)
    assert (warm.parsed, warm.cached) == (0, 5)
    assert warm.documents == cold.documents and warm.fingerprint == cold.fingerprint
    # change one file: only it is re-parsed
    p = corpus_dir / "A-RES-63-195.md"
    p.write_text(p.read_text(encoding="utf-8").replace("urban crime", "rural crime"), encoding="utf-8")
    changed = load_corpus(corpus_dir, cache_dir=cache, workers=1)
    assert (changed.parsed, changed.cached) == (1, 4)
    assert "rural crime" in changed.get("A-RES-63-195").text
    assert changed.fingerprint != cold.fingerprint
    # renaming costs nothing: the cache is keyed by content, and the record reports the new name
    os.rename(corpus_dir / "A-RES-60-175.txt", corpus_dir / "renamed.txt")
    renamed = load_corpus(corpus_dir, cache_dir=cache, workers=1)
    assert renamed.parsed == 0
    assert renamed.get("A-RES-60-175").source == "renamed.txt"


def test_corrupt_cache_files_are_detected_and_rebuilt(work):
    corpus_dir, cache = work
    cold = load_corpus(corpus_dir, cache_dir=cache, workers=1)
    doc = cold.get("A-RES-65-232")
    rec = _record_path(cache, doc.sha256)
    rec.write_bytes(rec.read_bytes()[:100])               # truncated
    _pack_path(cache).write_bytes(b"garbage")             # corrupt
    again = load_corpus(corpus_dir, cache_dir=cache, workers=1)
    assert any("pack.bin" in n and "corrupt" in n for n in again.notes)
    assert any("A-RES-65-232.txt" in n and "corrupt" in n for n in again.notes)
    assert again.parsed == 1
    assert again.documents == cold.documents
    clean = load_corpus(corpus_dir, cache_dir=cache, workers=1)
    assert clean.notes == () and clean.parsed == 0


def test_deleting_the_cache_is_safe(work):
    corpus_dir, cache = work
    first = load_corpus(corpus_dir, cache_dir=cache, workers=1)
    shutil.rmtree(cache)
    second = load_corpus(corpus_dir, cache_dir=cache, workers=1)
    assert second.documents == first.documents and second.parsed == 5


def _load_in_child(args):
    corpus_dir, cache = args
    c = load_corpus(corpus_dir, cache_dir=cache, workers=1)
    return [d.sha256 for d in c.documents], c.notes


def test_two_concurrent_writers_leave_a_valid_cache(work):
    corpus_dir, cache = work
    ctx = mp.get_context("spawn")
    with ctx.Pool(4) as pool:
        results = pool.map(_load_in_child, [(str(corpus_dir), str(cache))] * 8)
    shas = {tuple(r[0]) for r in results}
    assert len(shas) == 1
    assert all(notes == () for _, notes in results)  # nobody ever read a half-written file
    leftovers = [p for p in cache.rglob(".tmp-*")]
    assert leftovers == []
    warm = load_corpus(corpus_dir, cache_dir=cache, workers=1)
    assert warm.notes == () and warm.parsed == 0


def test_process_pool_gives_the_same_records(work, monkeypatch):
    corpus_dir, cache = work
    monkeypatch.setattr(corpus_mod, "POOL_THRESHOLD", 1)
    pooled = load_corpus(corpus_dir, cache_dir=cache / "a", workers=2)
    serial = load_corpus(corpus_dir, cache_dir=cache / "b", workers=1)
    assert pooled.documents == serial.documents


def _count_parses(monkeypatch) -> list[str]:
    parsed: list[str] = []
    real = corpus_mod._parse_one
    monkeypatch.setattr(corpus_mod, "_parse_one", lambda name, data, **kw: (parsed.append(name), real(name, data, **kw))[1])
    return parsed


def test_a_cold_load_parses_files_while_it_is_still_reading_the_others(work, monkeypatch):
    import threading
    corpus_dir, cache = work
    monkeypatch.setattr(corpus_mod, "POOL_THRESHOLD", 1)
    names = sorted(p.name for p in corpus_dir.iterdir())
    first_parse = threading.Event()
    real_parse, real_hash = corpus_mod._parse_one, corpus_mod._hash_file

    def parse(name, data, **kw):
        first_parse.set()
        return real_parse(name, data, **kw)

    waited = []

    def hash_file(path, *args):
        if path.name == names[-1]:      # the last file is read only once a parse has begun
            waited.append(first_parse.wait(timeout=30))
        return real_hash(path, *args)

    monkeypatch.setattr(corpus_mod, "_parse_one", parse)
    monkeypatch.setattr(corpus_mod, "_hash_file", hash_file)
    early = load_corpus(corpus_dir, cache_dir=cache / "a", workers=2)
    assert waited == [True]
    monkeypatch.setattr(corpus_mod, "_hash_file", real_hash)
    serial = load_corpus(corpus_dir, cache_dir=cache / "b", workers=1)
    assert early.documents == serial.documents and early.parsed == len(names) == 5


def test_files_the_cache_holds_are_never_parsed_early(work, monkeypatch):
    corpus_dir, cache = work
    monkeypatch.setattr(corpus_mod, "POOL_THRESHOLD", 1)
    first = load_corpus(corpus_dir, cache_dir=cache, workers=2)
    parsed = _count_parses(monkeypatch)
    # a new process whose stat index is gone: every file is read again, none is parsed
    corpus_mod._MEMO.clear()
    shutil.rmtree(cache / "stat-index-v1")
    again = load_corpus(corpus_dir, cache_dir=cache, workers=2)
    assert parsed == [] and again.parsed == 0 and again.documents == first.documents
    # the pack gone too: the records' own files still answer, before any parse is sent
    corpus_mod._MEMO.clear()
    _pack_path(cache).unlink()
    shutil.rmtree(cache / "stat-index-v1")
    again = load_corpus(corpus_dir, cache_dir=cache, workers=2)
    assert parsed == [] and again.parsed == 0 and again.documents == first.documents
    # one new file among them is parsed once, whatever the cache still holds
    corpus_mod._MEMO.clear()
    (corpus_dir / "new.txt").write_bytes((corpus_dir / "A-RES-60-175.txt").read_bytes() + b"\n")
    again = load_corpus(corpus_dir, cache_dir=cache, workers=2)
    assert parsed == ["new.txt"] and again.parsed == 1


def test_one_changed_file_does_not_rewrite_the_pack(work):
    corpus_dir, cache = work
    load_corpus(corpus_dir, cache_dir=cache, workers=1)
    before = _pack_path(cache).stat().st_mtime_ns
    p = corpus_dir / "A-RES-67-189.txt"
    p.write_bytes(p.read_bytes().replace(b"has reached 172", b"has reached 173"))
    changed = load_corpus(corpus_dir, cache_dir=cache, workers=1)
    assert changed.parsed == 1 and "has reached 173" in changed.get("A-RES-67-189").operative[2].text
    assert _pack_path(cache).stat().st_mtime_ns == before
    # a fresh process (no memory of the previous load) finds the new record in its own file
    from analytics import corpus as c
    c._MEMO.clear()
    again = load_corpus(corpus_dir, cache_dir=cache, workers=1)
    assert again.parsed == 0 and again.documents == changed.documents


def test_a_record_stored_for_an_upload_is_found_by_the_next_load(work):
    corpus_dir, cache = work
    new = corpus_dir / "uploaded.txt"
    data = (corpus_dir / "A-RES-60-175.txt").read_bytes() + b"\n"
    sha = hashlib.sha256(data).hexdigest()
    record = corpus_mod.parse_bytes(data, source=new.name)
    load_corpus(corpus_dir, cache_dir=cache, workers=1)
    corpus_mod.store_record(record, sha256=sha, cache_dir=cache)
    new.write_bytes(data)
    after = load_corpus(corpus_dir, cache_dir=cache, workers=1)
    assert after.parsed == 0 and after.cached == 6


def test_progress_moves_file_by_file_and_a_warm_load_reports_all_done(tmp_path):
    calls: list[tuple[int, int]] = []
    cold = load_corpus(ROOT / "corpus", cache_dir=tmp_path / "cache",
                       progress=lambda done, total: calls.append((done, total)))
    assert cold.parsed == 5
    assert calls == [(0, 5), (1, 5), (2, 5), (3, 5), (4, 5), (5, 5), (5, 5)]
    calls.clear()
    load_corpus(ROOT / "corpus", cache_dir=tmp_path / "cache", progress=lambda d, t: calls.append((d, t)))
    assert calls == [(5, 5), (5, 5)]


def _unbuilt(doc) -> bool:
    """Whether a record's paragraphs are still to be built (its slots unset)."""
    try:
        object.__getattribute__(doc, "preambular")
        return False
    except AttributeError:
        return True


def test_a_warm_load_builds_paragraphs_on_first_read_equal_to_the_cold_ones(work):
    import pickle
    corpus_dir, cache = work
    cold = load_corpus(corpus_dir, cache_dir=cache, workers=1)
    corpus_mod._MEMO.clear()
    warm = load_corpus(corpus_dir, cache_dir=cache, workers=1)
    assert warm.parsed == 0 and all(map(_unbuilt, warm.documents))
    doc = warm.get("A-RES-65-232")
    # fields other than paragraphs are there without building anything
    assert (doc.symbol, doc.session, doc.title[:28]) == ("A/RES/65/232", 65, "Strengthening the United Nat")
    renamed = doc.evolve(source="renamed.txt")
    assert _unbuilt(doc) and _unbuilt(renamed) and renamed.source == "renamed.txt"
    first = doc.operative[0]
    assert first.key == "OP1" and first.text == cold.get("A-RES-65-232").operative[0].text
    assert first.text == ("Takes note with appreciation of the report of the Secretary-General prepared "
                          "pursuant to resolution 64/179;")
    assert not _unbuilt(doc) and _unbuilt(renamed)
    assert renamed.paragraphs == doc.paragraphs and not _unbuilt(renamed)
    assert warm.documents == cold.documents
    assert [pickle.loads(pickle.dumps(d)) for d in warm.documents] == list(cold.documents)


def test_threads_reading_unbuilt_paragraphs_at_once_all_get_the_same(work):
    import threading
    corpus_dir, cache = work
    cold = load_corpus(corpus_dir, cache_dir=cache, workers=1)
    corpus_mod._MEMO.clear()
    warm = load_corpus(corpus_dir, cache_dir=cache, workers=1)
    start, seen = threading.Barrier(8), []

    def read(doc):
        start.wait()
        seen.append((doc.id, doc.paragraphs))
    threads = [threading.Thread(target=read, args=(warm.documents[i % len(warm.documents)],))
               for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    by_id = {d.id: d.paragraphs for d in cold.documents}
    assert len(seen) == 8 and all(p == by_id[i] for i, p in seen)
