"""The stat index: a file whose stat has not changed is not read again, a changed file is
always noticed (git's racy-timestamp rule included), and the corpus folder is never touched."""
import hashlib
import os
import time
import types
from pathlib import Path

import pytest

from analytics import corpus as corpus_mod
from analytics import statindex
from analytics.corpus import load_corpus

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "corpus").glob("A-*"))
S = 1_000_000_000


@pytest.fixture
def old_files(work):
    """Files last changed safely before the first load, as in a corpus folder of real use."""
    time.sleep(statindex.RACY_MARGIN_NS / S + 0.1)
    return work


@pytest.fixture
def reads(monkeypatch):
    """Names of the corpus files whose bytes each load reads."""
    seen: list[str] = []
    real = corpus_mod._read_document

    def counting(path, root):
        seen.append(Path(path).name)
        return real(path, root)
    monkeypatch.setattr(corpus_mod, "_read_document", counting)
    return seen


def _stat(*, size=100, mtime_ns, ctime_ns=None, ino=7):
    return types.SimpleNamespace(st_mode=0o100644, st_size=size, st_mtime_ns=mtime_ns,
                                 st_ctime_ns=ctime_ns if ctime_ns is not None else mtime_ns, st_ino=ino)


def _index_after(st, *, scan_ns: int) -> statindex.StatIndex:
    """The index a later load reads, after a load at ``scan_ns`` hashed a file of stat ``st``."""
    first = statindex.StatIndex(None, scan_ns=scan_ns)
    first.record("a.txt", st, "ab" * 32, None)
    return statindex.StatIndex(None, entries=dict(first.fresh))


def test_a_stat_safely_older_than_its_check_is_trusted():
    now = 1_700_000_000 * S
    st = _stat(mtime_ns=now - 3 * S)
    assert _index_after(st, scan_ns=now).known("a.txt", st) == ("ab" * 32, None)


@pytest.mark.parametrize("mtime_ns, ctime_ns", [
    (1_700_000_000 * S, None),                         # the same second as the check
    (1_700_000_000 * S + 999_000_000, None),           # the same second, a millisecond before
    (1_699_999_999 * S + 500_000_000, None),           # within the granularity margin
    (1_700_000_005 * S, None),                         # later than the check (clock skew)
    (1_699_999_990 * S, 1_700_000_000 * S),            # old content, but changed metadata just now
], ids=["same-second", "same-second-before", "within-margin", "in-the-future", "recent-ctime"])
def test_a_racy_entry_is_hashed_again(mtime_ns, ctime_ns):
    # a file written again within its filesystem's timestamp granularity keeps its stat: only
    # the racy rule tells that the stat proves nothing
    st = _stat(mtime_ns=mtime_ns, ctime_ns=ctime_ns)
    index = _index_after(st, scan_ns=1_700_000_000 * S + 999_999_999)
    assert index.known("a.txt", st) is None


@pytest.mark.parametrize("change", [dict(size=101), dict(ino=8), dict(mtime_ns=1), dict(ctime_ns=2)],
                         ids=["size", "inode", "mtime", "ctime"])
def test_any_changed_stat_field_is_a_miss(change):
    old = dict(size=100, mtime_ns=10 * S, ctime_ns=10 * S, ino=7)
    index = _index_after(_stat(**old), scan_ns=100 * S)
    assert index.known("a.txt", _stat(**{**old, **change})) is None
    assert index.known("a.txt", _stat(**old)) is not None


def test_a_warm_load_reads_no_file(old_files, reads):
    corpus_dir, cache = old_files
    cold = load_corpus(corpus_dir, cache_dir=cache, workers=1)
    assert sorted(reads) == sorted(p.name for p in SEEDS)
    reads.clear()
    corpus_mod._MEMO.clear()
    warm = load_corpus(corpus_dir, cache_dir=cache, workers=1)
    assert reads == [] and warm.parsed == 0 and warm.notes == ()
    assert warm.documents == cold.documents and warm.fingerprint == cold.fingerprint


@pytest.mark.parametrize("age", ["fresh", "old"])
def test_an_edit_within_the_same_second_keeping_size_and_mtime_is_noticed(work, age):
    corpus_dir, cache = work
    if age == "old":
        time.sleep(statindex.RACY_MARGIN_NS / S + 0.1)
    load_corpus(corpus_dir, cache_dir=cache, workers=1)
    p = corpus_dir / "A-RES-63-195.md"
    before = p.stat()
    p.write_bytes(p.read_bytes().replace(b"urban crime", b"rural crime"))
    os.utime(p, ns=(before.st_atime_ns, before.st_mtime_ns))   # as a coarse-grained filesystem keeps it
    assert (p.stat().st_size, p.stat().st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    corpus_mod._MEMO.clear()
    again = load_corpus(corpus_dir, cache_dir=cache, workers=1)
    assert again.parsed == 1 and "rural crime" in again.get("A-RES-63-195").text


def test_a_file_replaced_by_another_of_the_same_size_and_mtime_is_noticed(old_files):
    corpus_dir, cache = old_files
    load_corpus(corpus_dir, cache_dir=cache, workers=1)
    p = corpus_dir / "A-RES-63-195.md"
    before = p.stat()
    tmp = corpus_dir / ".swap"
    tmp.write_bytes(p.read_bytes().replace(b"urban crime", b"rural crime"))
    os.utime(tmp, ns=(before.st_atime_ns, before.st_mtime_ns))
    os.replace(tmp, p)            # an editor's save: new inode, same size and mtime
    again = load_corpus(corpus_dir, cache_dir=cache, workers=1)
    assert again.parsed == 1 and "rural crime" in again.get("A-RES-63-195").text


def test_touch_without_change_re_hashes_but_does_not_re_parse(old_files, reads):
    corpus_dir, cache = old_files
    load_corpus(corpus_dir, cache_dir=cache, workers=1)
    reads.clear()
    os.utime(corpus_dir / "A-RES-60-175.txt")
    corpus_mod._MEMO.clear()
    touched = load_corpus(corpus_dir, cache_dir=cache, workers=1)
    assert reads == ["A-RES-60-175.txt"] and touched.parsed == 0


def test_rename_re_hashes_that_file_only_and_does_not_re_parse(old_files, reads):
    corpus_dir, cache = old_files
    load_corpus(corpus_dir, cache_dir=cache, workers=1)
    reads.clear()
    os.rename(corpus_dir / "A-RES-60-175.txt", corpus_dir / "renamed.txt")
    corpus_mod._MEMO.clear()
    renamed = load_corpus(corpus_dir, cache_dir=cache, workers=1)
    assert reads == ["renamed.txt"] and renamed.parsed == 0
    assert renamed.get("A-RES-60-175").source == "renamed.txt"


@pytest.mark.parametrize("garbage", [b"garbage", b"", None], ids=["garbage", "empty", "other-folder"])
def test_a_corrupt_index_is_rebuilt_with_a_note(old_files, tmp_path, garbage):
    corpus_dir, cache = old_files
    cold = load_corpus(corpus_dir, cache_dir=cache, workers=1)
    path = statindex.index_path(cache, corpus_dir)
    if garbage is None:      # a valid index, but of another folder (copied by hand)
        other = statindex.StatIndex(None)
        garbage = statindex.dump(other, folder=str(tmp_path / "elsewhere"))
    path.write_bytes(garbage)
    corpus_mod._MEMO.clear()
    again = load_corpus(corpus_dir, cache_dir=cache, workers=1)
    assert again.documents == cold.documents and again.parsed == 0
    [note] = again.notes
    assert note.startswith(f"stat index {path} was corrupt (") and note.endswith("); rebuilt")
    corpus_mod._MEMO.clear()
    assert load_corpus(corpus_dir, cache_dir=cache, workers=1).notes == ()


def test_an_index_that_lies_still_gives_records_true_to_the_bytes(old_files):
    # the index vouches for a hash whose record is not cached: the file is read and the
    # record filed under the hash of what was read
    corpus_dir, cache = old_files
    load_corpus(corpus_dir, cache_dir=cache, workers=1)
    path = statindex.index_path(cache, corpus_dir)
    folder = os.path.realpath(corpus_dir)
    index = statindex.StatIndex(path, entries=statindex.parse(path.read_bytes(), folder=folder))
    key, _, checked, verdict = index.entries["A-RES-63-195.md"]
    index.fresh = {**index.entries, "A-RES-63-195.md": (key, "cd" * 32, checked, verdict)}
    path.write_bytes(statindex.dump(index, folder=folder))
    corpus_mod._MEMO.clear()
    again = load_corpus(corpus_dir, cache_dir=cache, workers=1)
    real = hashlib.sha256((corpus_dir / "A-RES-63-195.md").read_bytes()).hexdigest()
    assert again.get("A-RES-63-195").sha256 == real


def _snapshot(folder: Path) -> dict:
    return {p.name: (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns, p.stat().st_size)
            for p in folder.iterdir()}


def test_loads_leave_the_corpus_folder_as_it_was(work):
    corpus_dir, cache = work
    (corpus_dir / "empty.txt").write_bytes(b"")
    (corpus_dir / "themes.toml").write_text("[[theme]]\n")
    before = _snapshot(corpus_dir)
    for _ in range(2):   # cold, then warm
        corpus_mod._MEMO.clear()
        load_corpus(corpus_dir, cache_dir=cache, workers=1)
    assert _snapshot(corpus_dir) == before


def _sealed(names, entries, *, folder="/x") -> bytes:
    import json
    from analytics import cachefmt
    return cachefmt.seal(json.dumps({"format": statindex.FORMAT, "folder": folder, "names": names,
                                     "entries": entries}).encode())


def test_an_index_round_trips_its_entries():
    index = statindex.StatIndex(None, scan_ns=5 * S)
    index.record("a.txt", _stat(size=3, mtime_ns=S, ctime_ns=2 * S, ino=9), "ab" * 32, None)
    index.record("b.pdf", _stat(mtime_ns=S), "cd" * 32, "a scanned PDF")
    assert statindex.parse(statindex.dump(index, folder="/x"), folder="/x") == {
        "a.txt": ((3, S, 2 * S, 9), "ab" * 32, 5 * S, None),
        "b.pdf": ((100, S, S, 7), "cd" * 32, 5 * S, "a scanned PDF")}
    assert statindex.parse(_sealed([], []), folder="/x") == {}


GOOD = [1, 2, 3, 4, "ab" * 32, 5, None]
BAD_ENTRIES = {
    "a bool for an int": [True, *GOOD[1:]],
    "a float for an int": [1.0, *GOOD[1:]],
    "a checked time as text": [*GOOD[:5], "5", None],
    "a short hash": [*GOOD[:4], "ab" * 31, 5, None],
    "a hash not hex": [*GOOD[:4], "zz" * 32, 5, None],
    "a hash not a string": [*GOOD[:4], 12, 5, None],
    "a verdict not a string": [*GOOD[:6], 3],
    "too few fields": GOOD[:6],
    "not a list": dict(enumerate(GOOD)),
}


@pytest.mark.parametrize("bad", BAD_ENTRIES, ids=list(BAD_ENTRIES))
def test_an_entry_of_the_wrong_shape_or_type_is_corrupt(bad):
    from analytics import cachefmt
    assert statindex.parse(_sealed(["a.txt", "b.txt"], [GOOD, GOOD]), folder="/x")["b.txt"][1] == "ab" * 32
    with pytest.raises(cachefmt.CorruptCache, match="an entry of the wrong"):
        statindex.parse(_sealed(["a.txt", "b.txt"], [GOOD, BAD_ENTRIES[bad]]), folder="/x")
    with pytest.raises(cachefmt.CorruptCache, match="an entry of the wrong shape"):
        statindex.parse(_sealed([1, "b.txt"], [GOOD, GOOD]), folder="/x")
