"""Load a corpus folder into records, with a content-addressed cache.

Every file is read once; its bytes are hashed and, on a cache miss, those same bytes are
parsed, so a record is always filed under the hash of what was parsed.  A file whose stat
has not changed since its bytes were hashed is not read at all: a stat index beside the
cache (``analytics.statindex``, git's index with its racy-timestamp rule) gives its hash.  A record is cached
under ``sha256 + parser version`` so an unchanged file is never re-parsed, a changed one
alone is, and renaming a file costs nothing.  The cache holds JSON data only
(``analytics.cachefmt``), checksummed and type-checked on read: a corrupt, truncated,
tampered-with or foreign cache file is reported and rebuilt, never executed.  Writes are
atomic (temp file + rename), so two processes loading the same corpus never see a
half-written file.

Which files are documents, and whether their bytes can be, is the admission policy shared
with uploads (``analytics.admission``).  The corpus folder itself is only ever read, and only its regular files: a named pipe, a
device, a folder named like a document or a symbolic link leading out of the folder is one
line in ``Corpus.problems``.  Each file is parsed in a worker process within a time budget
(``analytics.safeparse``), so one pathological file cannot hang a load.
"""
from __future__ import annotations

import dataclasses
import errno
import functools
import gc
import hashlib
import mmap
import os
import stat
import tempfile
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Iterator

from . import admission, cachefmt, safeparse, statindex
from .reader import PARSER_VERSION, parse_bytes
from .records import Problem, Resolution, sort_key
from .text import gc_paused
if TYPE_CHECKING:
    from .config import Config
    from .series import SeriesIndex
from .safeparse import DEFAULT_BUDGET_S, OverBudget, WorkerFailed, parse_bytes_bounded

PACKAGE_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = PACKAGE_ROOT / "corpus"
DEFAULT_CACHE = PACKAGE_ROOT / "cache"
MEMO_LIMIT = 50_000
PACK_READ_THRESHOLD = 32      # misses above this read the pack rather than one file each
_MEMO: dict[str, tuple] = {}   # cache folder -> (pack file stamp, {sha: record})
# Below this many files to parse, starting a second worker process costs more than it saves.
POOL_THRESHOLD = 24
_CACHE_MODE = 0o644
# O_NOFOLLOW: a link is looked at before it is followed; O_NONBLOCK: opening a named pipe
# must not wait for a writer (fstat then refuses it)
_READ_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC


@dataclass(frozen=True)
class Corpus:
    """One corpus folder: its records, the files that could not be read, its lexicons
    (`config`) and, computed on first use, its series (`series`)."""
    documents: tuple[Resolution, ...]
    problems: tuple[Problem, ...] = ()
    fingerprint: str = ""
    notes: tuple[str, ...] = ()          # cache events and malformed overrides worth telling the user
    parsed: int = 0                      # documents parsed in this load (0 on a warm load)
    cached: int = 0
    folder: Path | None = None
    cache_dir: Path | None = None        # where derived data is kept (`analytics.derived`); None: nowhere

    @functools.cached_property
    def config(self) -> Config:
        """The lexicons of this corpus: bundled ones with the folder's overrides (read on first
        use, so commands that count nothing never import the analyses)."""
        from .config import load_config
        return load_config(self.folder)

    @functools.cached_property
    def series(self) -> SeriesIndex:
        """The series of this corpus (grouped from the text, `series.toml` applied)."""
        from .series import group_series
        return group_series(self.documents, overrides=self.config.series, merged=self._merged_groups())

    def _merged_groups(self):
        """The grouping's text-derived part from the cache when it holds it for these very
        documents and this code, else computed and filed there (None without a cache)."""
        if self.cache_dir is None:
            return None
        from . import derived
        from .memo import documents_key
        from .series import Merged, merged_groups
        k = derived.key(SERIES_GROUPS, documents_key(self.documents))
        data = derived.read(self.cache_dir, SERIES_GROUPS, k, _is_merged)
        if data is not None:
            found = Merged(tuple(map(tuple, data["groups"])), tuple(data["notes"]))
            # the key names these documents; a file that lists others was not written by us
            if found.fits(d.id for d in self.documents):
                return found
        merged = merged_groups(self.documents)
        derived.write(self.cache_dir, SERIES_GROUPS, k, {"groups": [list(g) for g in merged.groups],
                                                         "notes": list(merged.notes)})
        return merged

    def get(self, doc_id: str) -> Resolution:
        for d in self.documents:
            if d.id == doc_id:
                return d
        raise KeyError(f"no document with id {doc_id!r}; ids are: {', '.join(d.id for d in self.documents)}")

    @property
    def ids(self) -> list[str]:
        return [d.id for d in self.documents]


SERIES_GROUPS = "series-groups"


def _is_merged(data) -> bool:
    if not isinstance(data, dict) or not isinstance(data.get("groups"), list) \
            or not isinstance(data.get("notes"), list):
        return False
    groups = data["groups"]
    return (cachefmt.only_types(groups, cachefmt.LIST)
            and cachefmt.only_types((i for g in groups for i in g), cachefmt.STR)
            and cachefmt.only_types(data["notes"], cachefmt.STR))


def corpus_files(corpus_dir: Path) -> tuple[list[os.DirEntry], list[Problem]]:
    """Candidate files, sorted by name, and problems for entries we will not read.

    The files are the folder's own entries (each has ``name`` and is a path to ``os``
    functions): a `Path` per file cost a third of a warm load of 10,000 files."""
    files, problems = [], []
    try:
        with os.scandir(corpus_dir) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as exc:
        raise FileNotFoundError(f"cannot read corpus folder {corpus_dir}: {exc.strerror or exc}") from None
    for e in entries:
        name = e.name
        suffix = _suffix(name)
        if admission.is_ignored(name):
            continue
        refused = admission.suffix_problem(suffix)
        if _is_dir(e):
            # a folder called "x.txt" is somebody's mistake worth a line; "archive/" is not
            if not refused:
                problems.append(Problem(name, "a folder, not a file: skipped"))
            continue
        if refused:
            problems.append(Problem(name, refused))
            continue
        files.append(e)
    return files, problems


def _suffix(name: str) -> str:
    """``PurePath(name).suffix``, without building a path per file."""
    i = name.rfind(".")
    return name[i:] if 0 < i < len(name) - 1 else ""


def _is_dir(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


# --- reading corpus files ------------------------------------------------------------------

class _Refused(Exception):
    """A file we will not read; the message is the one line the user sees."""


def _open_fd(path: str, flags: int) -> int:
    return os.open(path, flags)   # a seam: tests make it fail as an unreadable file would


def _open_inside(path: Path, root: str) -> int:
    """An fd on ``path``, or on its target when it is a link that stays inside ``root``."""
    try:
        return _open_fd(os.fspath(path), _READ_FLAGS)
    except OSError as exc:
        if exc.errno != errno.ELOOP:    # O_NOFOLLOW: the name is a symbolic link
            raise
    try:
        real = os.path.realpath(path, strict=True)
    except OSError as exc:
        raise _Refused(f"cannot read: broken symbolic link ({exc.strerror or exc})") from None
    if os.path.commonpath([real, root]) != root:
        raise _Refused(f"symbolic link to {real}, outside the corpus folder: refused")
    return _open_fd(real, _READ_FLAGS)


def _read_regular(fd: int, *, limit: int | None) -> tuple[bytes, os.stat_result]:
    """All of a regular file and its stat taken before reading, refusing pipes and devices
    (which never end) before reading."""
    st = os.fstat(fd)
    if not stat.S_ISREG(st.st_mode):
        raise _Refused(f"not a regular file ({_kind(st.st_mode)}): skipped")
    if limit is not None and st.st_size > limit:
        raise _Refused(admission.too_large(st.st_size, limit))
    parts, total = [], 0
    while True:
        want = max(st.st_size + 1 - total, 1 << 16)   # one read for a file that did not change
        chunk = os.read(fd, want if limit is None else min(want, limit + 1 - total))
        if not chunk:
            break
        parts.append(chunk)
        total += len(chunk)
        if limit is not None and total > limit:   # it grew after fstat
            raise _Refused(admission.too_large(total, limit))
    return (parts[0] if len(parts) == 1 else b"".join(parts)), st


def _map_regular(fd: int) -> bytes | mmap.mmap:
    """A regular file mapped read-only: a 200 MB pack is not copied before it is decoded."""
    st = os.fstat(fd)
    if not stat.S_ISREG(st.st_mode):
        raise _Refused(f"not a regular file ({_kind(st.st_mode)}): skipped")
    return mmap.mmap(fd, 0, access=mmap.ACCESS_READ) if st.st_size else b""


def _kind(mode: int) -> str:
    kinds = ((stat.S_ISFIFO, "a named pipe"), (stat.S_ISCHR, "a character device"),
             (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"), (stat.S_ISDIR, "a folder"))
    return next((what for test, what in kinds if test(mode)), "a special file")


def _read_document(path: Path, root: str) -> tuple[bytes, os.stat_result] | str:
    """The file's bytes and stat, or the one-line reason they cannot be read."""
    try:
        fd = _open_inside(path, root)
    except _Refused as exc:
        return str(exc)
    except OSError as exc:
        return f"cannot read: {exc.strerror or exc}"
    try:
        return _read_regular(fd, limit=admission.MAX_FOLDER_FILE_BYTES)
    except _Refused as exc:
        return str(exc)
    except OSError as exc:
        return f"cannot read: {exc.strerror or exc}"
    finally:
        os.close(fd)


def _identify(files: list[os.DirEntry], corpus_dir: Path, problems: list[Problem],
              index: statindex.StatIndex, *,
              on_read: Callable[[str, str, bytes], None] | None = None,
              ) -> tuple[list[tuple[str, str]], dict[str, bytes]]:
    """(name, sha) of each distinct admitted file, and the bytes of those that were read:
    a file the stat index vouches for is not read (its bytes are read later only if its
    record has to be parsed).  ``on_read(name, sha, bytes)`` hears of each distinct admitted
    file as soon as it has been read."""
    root = os.path.realpath(corpus_dir)
    hashed: list[tuple[str, str]] = []
    data: dict[str, bytes] = {}
    seen: dict[str, str] = {}
    for p in files:
        known = _known(p, index)
        if known is None:
            known = _hash_file(p, root, index, data)
        if isinstance(known, Problem):
            problems.append(known)
            continue
        sha, verdict = known
        if verdict:
            problems.append(Problem(p.name, verdict))
        elif sha in seen:
            problems.append(Problem(p.name, f"same content as {seen[sha]}: skipped"))
        else:
            seen[sha] = p.name
            hashed.append((p.name, sha))
            if on_read is not None and sha in data:
                on_read(p.name, sha, data[sha])
    return hashed, data


def _known(path: Path, index: statindex.StatIndex) -> tuple[str, str | None] | None:
    try:
        st = os.lstat(path)    # a link is always read: its target's stat is not the link's
    except OSError:
        return None
    if st.st_size > admission.MAX_FOLDER_FILE_BYTES:
        return None            # the read refuses it, with its reason
    return index.known(path.name, st)


def _hash_file(path: Path, root: str, index: statindex.StatIndex,
               data: dict[str, bytes]) -> tuple[str, str | None] | Problem:
    got = _read_document(path, root)
    if isinstance(got, str):
        index.forget(path.name)
        return Problem(path.name, got)
    blob, st = got
    sha = hashlib.sha256(blob).hexdigest()
    verdict = admission.content_problem(_suffix(path.name), blob,
                                        limit=admission.MAX_FOLDER_FILE_BYTES)
    index.record(path.name, st, sha, verdict)
    if verdict is None:
        data.setdefault(sha, blob)
    return sha, verdict


def _read_unread(hashed: list[tuple[str, str]], hits: dict, data: dict[str, bytes],
                 corpus_dir: Path, problems: list[Problem],
                 index: statindex.StatIndex) -> list[tuple[str, str]]:
    """Read the files the index vouched for whose records must be parsed after all; one
    that changed since it was looked at keeps the hash of what is read now."""
    root, out = os.path.realpath(corpus_dir), []
    for name, sha in hashed:
        if sha in hits or sha in data:
            out.append((name, sha))
            continue
        got = _hash_file(corpus_dir / name, root, index, data)
        if isinstance(got, Problem):
            problems.append(got)
        elif got[1]:
            problems.append(Problem(name, got[1]))
        else:
            out.append((name, got[0]))
    return _dedupe(out, problems)


def _dedupe(hashed: list[tuple[str, str]], problems: list[Problem]) -> list[tuple[str, str]]:
    seen: dict[str, str] = {}
    out = []
    for name, sha in hashed:
        if sha in seen:
            problems.append(Problem(name, f"same content as {seen[sha]}: skipped"))
        else:
            seen[sha] = name
            out.append((name, sha))
    return out


# --- parsing -------------------------------------------------------------------------------

def _parse_one(name: str, data: bytes, *, budget: float) -> tuple[Resolution | Problem, bool]:
    """The record or the problem, and whether it may be cached: a timeout or a dead worker
    says something about this machine's load, not about the bytes."""
    try:
        return parse_bytes_bounded(data, source=name, budget=budget), True
    except OverBudget as exc:
        return Problem(name, str(exc)), False
    except WorkerFailed as exc:
        return Problem(name, f"could not be parsed ({exc})"), False
    except ValueError as exc:   # NotAResolution included
        return Problem(name, str(exc)), True
    except Exception as exc:  # a parser bug must not take the whole corpus down
        return Problem(name, f"could not be parsed ({type(exc).__name__}: {exc})"), True


# --- cache files -----------------------------------------------------------------------------

def _atomic_write(path: Path, blob: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
    try:
        os.fchmod(fd, _CACHE_MODE)   # mkstemp's 0600 would hide a shared cache from its other users
        with os.fdopen(fd, "wb") as fh:
            fh.write(blob)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _remove(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError:
        pass


def store_record(record: Resolution | Problem, *, sha256: str, cache_dir: str | Path) -> None:
    """File a record parsed elsewhere (a dashboard upload) where the next load looks first.

    ``sha256`` must be the hash of the bytes ``record`` was parsed from.  Raises OSError."""
    _atomic_write(_record_path(Path(cache_dir), sha256), cachefmt.dump_record(sha256, record))


def _stamp(path: Path):
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_ino, st.st_mtime_ns, st.st_size)


def _records_dir(cache_dir: Path) -> Path:
    # named for the format too: caches of the pickle era (records-vN) are simply never read
    return cache_dir / f"records-v{PARSER_VERSION}-json"


def _record_path(cache_dir: Path, sha: str) -> Path:
    return _records_dir(cache_dir) / sha[:2] / f"{sha}.json"


def _pack_path(cache_dir: Path) -> Path:
    return _records_dir(cache_dir) / "pack.bin"


class _Cache:
    """One load's view of a cache folder; every fault becomes a line in ``notes``."""

    def __init__(self, cache_dir: Path, notes: list[str]):
        self.dir, self.notes = cache_dir, notes
        self.pack = _pack_path(cache_dir)
        self.pack_keys: frozenset[str] = frozenset()
        self.pack_records: dict[str, Resolution | Problem] = {}
        self.memo_key = str(cache_dir.resolve())
        self.usable = not (cache_dir.exists() and not cache_dir.is_dir())
        if not self.usable:
            notes.append(f"cache folder {cache_dir} is not a folder; continuing without a cache")

    def read(self, path: Path, *, what: str, then: str, mapped: bool = False) -> bytes | None:
        """A cache file's bytes (``mapped``: memory-mapped, not copied); None when absent or
        unreadable (with a note for the latter)."""
        try:
            fd = _open_fd(str(path), _READ_FLAGS)
        except FileNotFoundError:
            return None
        except OSError as exc:
            self.notes.append(f"cannot read {what} ({exc.strerror or exc}); {then}")
            return None
        try:
            return _map_regular(fd) if mapped else _read_regular(fd, limit=None)[0]
        except (_Refused, OSError, ValueError) as exc:
            self.notes.append(f"cannot read {what} ({getattr(exc, 'strerror', None) or exc}); {then}")
            return None
        finally:
            os.close(fd)

    def read_pack(self) -> dict[str, Resolution | Problem]:
        blob = self.read(self.pack, what=f"cache {self.pack}", then="rebuilt", mapped=True)
        if blob is None:
            return {}
        # tens of thousands of new objects: no collection could free any of them
        try:
            with gc_paused():
                records = cachefmt.load_pack(blob)
        except cachefmt.CorruptCache as exc:
            self.notes.append(f"cache {self.pack} was corrupt ({exc}); rebuilt")
            return {}
        # The records are immutable and hold no cycles (refcounting frees them), yet every
        # later collection would scan them again: leave them out of the collector's
        # generations for good (their paragraphs, built on first read, are frozen then).
        gc.freeze()
        return records

    def read_record(self, sha: str, name: str) -> Resolution | Problem | None:
        path = _record_path(self.dir, sha)
        blob = self.read(path, what=f"cache file {path.name} for {name}", then="re-parsed")
        if blob is None:
            return None
        try:
            return cachefmt.load_record(blob, sha=sha)
        except cachefmt.CorruptCache as exc:
            self.notes.append(f"cache file {path.name} for {name} was corrupt ({exc}); re-parsed")
            return None

    def lookup(self, hashed: list[tuple[str, str]]) -> dict[str, Resolution | Problem]:
        if not self.usable:
            return {}
        # A long-running process (the dashboard) keeps what it has read: a refresh after one
        # file changed then costs the hashing and one parse, not a reload of the whole cache.
        memo = _MEMO.get(self.memo_key)
        # valid only while the cache on disk is the one it was read from (deleted, rebuilt or
        # tampered-with caches are read again, so their problems are seen)
        valid = bool(memo) and memo[0] == _stamp(self.pack)
        records, self.pack_keys = (memo[1], memo[2]) if valid else ({}, frozenset())
        hits = {sha: records[sha] for _, sha in hashed if sha in records}
        missing = len(hashed) - len(hits)
        pack = {}
        # A few misses are read from their own record files; the 200 MB pack only when many are.
        if missing > PACK_READ_THRESHOLD or (missing and not valid):
            pack = self.pack_records = self.read_pack()
            self.pack_keys = frozenset(pack)
        return {**hits, **self.lookup_more([(n, s) for n, s in hashed if s not in hits])}

    def lookup_more(self, hashed: list[tuple[str, str]]) -> dict[str, Resolution | Problem]:
        """Records not in memory: from the pack already read, else from their own files."""
        hits = {}
        for name, sha in hashed if self.usable else ():
            hit = self.pack_records.get(sha) or self.read_record(sha, name)
            if hit is not None:
                hits[sha] = hit
        return hits

    def read_index(self, corpus_dir: Path) -> statindex.StatIndex:
        path = statindex.index_path(self.dir, corpus_dir)
        index = statindex.StatIndex(path)     # its clock starts before any file is looked at
        blob = self.read(path, what=f"stat index {path}", then="rebuilt") if self.usable else None
        if blob is not None:
            try:
                index.entries = statindex.parse(blob, folder=os.path.realpath(corpus_dir))
            except cachefmt.CorruptCache as exc:
                self.notes.append(f"stat index {path} was corrupt ({exc}); rebuilt")
        return index

    def write_index(self, index: statindex.StatIndex, corpus_dir: Path) -> None:
        if index.changed and index.path is not None:
            self.write(index.path, statindex.dump(index, folder=os.path.realpath(corpus_dir)))

    def write_record(self, sha: str, rec: Resolution | Problem) -> None:
        if self.usable:
            self.write(_record_path(self.dir, sha), cachefmt.dump_record(sha, rec))

    def has_record(self, sha: str) -> bool:
        return self.usable and _record_path(self.dir, sha).exists()

    def known_keys(self) -> frozenset[str] | None:
        """The records this cache holds in memory or in its pack, when known without reading
        the pack; None when a pack on disk has not been read yet."""
        if not self.usable:
            return frozenset()
        memo = _MEMO.get(self.memo_key)
        if memo and memo[0] == _stamp(self.pack):
            return frozenset(memo[1]) | memo[2]
        return None if os.path.lexists(self.pack) else frozenset()

    def write(self, path: Path, blob: bytes) -> bool:
        if not self.usable:
            return False
        try:
            _atomic_write(path, blob)
            return True
        except OSError as exc:
            self.notes.append(f"cannot write cache ({exc.strerror or exc}); continuing without it")
            self.usable = False
            return False

    def store(self, new: dict[str, Resolution | Problem], keep: dict[str, Resolution | Problem]) -> None:
        """Rewrite the pack of ``keep`` when it has drifted (the ``new`` records are already
        in their own files: ``write_record``)."""
        # The pack is rewritten only when it has drifted noticeably from the corpus: a few new
        # records are read from their own files, so one changed file does not rewrite 200 MB.
        stale = sum(1 for sha in keep if sha not in self.pack_keys)
        if keep and (stale > max(20, len(keep) // 20) or not self.pack_keys):
            if self.write(self.pack, cachefmt.dump_pack(keep)):
                self.pack_keys = frozenset(keep)
                _remove(self.pack.with_name("pack.json"))   # the JSON pack of earlier versions
        if self.usable and len(keep) <= MEMO_LIMIT:
            _MEMO.clear()  # one corpus at a time is what a dashboard process needs
            _MEMO[self.memo_key] = (_stamp(self.pack), dict(keep), self.pack_keys)


# --- the load --------------------------------------------------------------------------------

def load_corpus(corpus_dir: str | Path | None = None, *, cache_dir: str | Path | None = None,
                workers: int | None = None, use_cache: bool = True,
                progress: Callable[[int, int], None] | None = None,
                budget: float = DEFAULT_BUDGET_S) -> Corpus:
    """Read every supported file of ``corpus_dir`` into records.

    Problems (empty, binary, not a resolution, duplicate content, unreadable, not a regular
    file, over the ``budget`` seconds of parsing) are returned in ``Corpus.problems``, one
    line per file; the other documents still load.  ``workers`` sets how many files are
    parsed at once, each in its own worker process (default: all cores).
    """
    corpus_dir = Path(corpus_dir) if corpus_dir is not None else DEFAULT_CORPUS
    cache_dir = Path(cache_dir) if cache_dir is not None else DEFAULT_CACHE
    notes: list[str] = []
    cache = _Cache(cache_dir, notes) if use_cache else None
    index = cache.read_index(corpus_dir) if cache else statindex.StatIndex(None)
    files, problems = corpus_files(corpus_dir)
    # The parsed records arrive as millions of new acyclic objects: every collection the
    # collector starts meanwhile walks all of them again (~6% of a 10,000-file cold load).
    with gc_paused(), _Parser(cache, workers=workers, budget=budget, early=len(files)) as parser:
        hashed, data = _identify(files, corpus_dir, problems, index, on_read=parser.offer)
        if data:       # new or changed files, likely to be parsed once the cache is read
            safeparse.prewarm()
        hits = cache.lookup(hashed) if cache else {}
        if any(sha not in hits and sha not in data for _, sha in hashed):
            hashed = _read_unread(hashed, hits, data, corpus_dir, problems, index)
            if cache:
                hits.update(cache.lookup_more([(n, s) for n, s in hashed if s not in hits]))
        todo = [(name, sha) for name, sha in hashed if sha not in hits]
        results, new = _parse_todo(todo, hits, data, parser=parser, cache=cache, progress=progress)
        if cache:
            cache.store(new, {**hits, **new})
            cache.write_index(index, corpus_dir)
        corpus = _assemble(hashed, results, problems, notes, parsed=len(todo), cached=len(hits))
    return dataclasses.replace(corpus, folder=corpus_dir,
                               cache_dir=cache_dir if cache is not None and cache.usable else None)


class _Parser:
    """Parses a load's files in worker processes, each as soon as it is known to be needed.

    A folder seen for the first time is read, hashed and checked on this thread (about 3 s
    for 10,000 files) while the workers would sit idle: a file whose record the cache cannot
    hold is sent to them as soon as it has been read (``offer``).  When the cache may hold
    records that only reading its pack would reveal, nothing is sent before the lookup."""

    def __init__(self, cache: "_Cache | None", *, workers: int | None, budget: float, early: int):
        self.budget = budget
        self.threads = max(1, workers if workers is not None else (os.cpu_count() or 1))
        self.cache = cache
        self.known = cache.known_keys() if cache is not None else frozenset()
        self.early = early >= POOL_THRESHOLD and self.threads > 1 and self.known is not None
        self.pool: ThreadPoolExecutor | None = None
        self.pending: dict[str, Future] = {}

    def __enter__(self) -> "_Parser":
        return self

    def __exit__(self, *exc) -> None:
        if self.pool is not None:     # a load that failed half-way parses nothing more
            self.pool.shutdown(wait=True, cancel_futures=True)

    def _submit(self, name: str, data: bytes):
        if self.pool is None:
            # each thread drives one warm worker process (analytics.safeparse) and waits on it
            self.pool = ThreadPoolExecutor(max_workers=self.threads, thread_name_prefix="corpus-parse")
        return self.pool.submit(_parse_one, name, data, budget=self.budget)

    def offer(self, name: str, sha: str, data: bytes) -> None:
        if self.early and sha not in self.known and not (self.cache and self.cache.has_record(sha)):
            self.pending[sha] = self._submit(name, data)

    def parse(self, jobs: list[tuple[str, str, bytes]]) -> Iterator[tuple[Resolution | Problem, bool]]:
        """Results in the order of ``jobs`` (name, sha, bytes), each as soon as it and those
        before it are done (a progress bar moves file by file)."""
        early = [self.pending.pop(sha, None) for _, sha, _ in jobs]
        for unneeded in self.pending.values():   # offered, then found in the cache after all
            unneeded.cancel()
        self.pending.clear()
        if not any(early) and (len(jobs) < POOL_THRESHOLD or self.threads == 1):
            yield from (_parse_one(name, data, budget=self.budget) for name, _, data in jobs)
            return
        futures = [f or self._submit(name, data) for f, (name, _, data) in zip(early, jobs)]
        for f in futures:
            yield f.result()


def _parse_todo(todo: list[tuple[str, str]], hits: dict, data: dict[str, bytes], *,
                parser: _Parser, cache: "_Cache | None",
                progress: Callable[[int, int], None] | None) -> tuple[dict, dict]:
    """Every record (cached or parsed now), and the parsed ones that may be cached (each
    written to its cache file as it arrives, while the workers parse the next ones)."""
    jobs = [(name, sha, data[sha]) for name, sha in todo]
    data.clear()   # only the bytes still to be parsed stay in memory
    total = len(hits) + len(todo)
    if progress:
        progress(len(hits), total)
    results, new = dict(hits), {}
    for done, ((_, sha), (res, cacheable)) in enumerate(zip(todo, parser.parse(jobs)), start=len(hits) + 1):
        results[sha] = res
        if cacheable:
            new[sha] = res
            if cache:
                cache.write_record(sha, res)
        if progress:
            progress(done, total)
    if progress:
        progress(total, total)
    return results, new


def _assemble(hashed: list[tuple[str, str]], results: dict, problems: list[Problem],
              notes: list[str], *, parsed: int, cached: int) -> Corpus:
    docs: list[Resolution] = []
    for name, sha in hashed:
        res = results[sha]
        if isinstance(res, Problem):
            problems.append(Problem(name, res.reason))
        else:
            docs.append(res if res.source == name else res.evolve(source=name))
    docs = _unique_ids(docs)
    docs.sort(key=sort_key)
    problems.sort(key=lambda pr: pr.source)
    fingerprint = hashlib.sha256(
        (PARSER_VERSION + "".join(f"{d.id}\0{d.sha256}\n" for d in docs)).encode()).hexdigest()[:16]
    return Corpus(tuple(docs), tuple(problems), fingerprint, tuple(notes), parsed=parsed, cached=cached)


def _unique_ids(docs: list[Resolution]) -> list[Resolution]:
    """Two texts of one symbol (say a .txt and a .pdf that differ by a byte) keep distinct ids.

    The suffix is decided by the file name so it does not depend on load order."""
    by_id: dict[str, list[Resolution]] = {}
    for d in docs:
        by_id.setdefault(d.id, []).append(d)
    out = []
    for doc_id, group in by_id.items():
        group.sort(key=lambda d: d.source)
        out.append(group[0])
        for n, d in enumerate(group[1:], 2):
            # a draft's id is ours to invent, so a second draft of a session is no news; two
            # texts carrying the same symbol are worth a warning
            extra = (f"same symbol as {group[0].source}: id {doc_id}-{n}",) if d.symbol else ()
            out.append(d.evolve(id=f"{doc_id}-{n}", warnings=d.warnings + extra))
    return out


def load_documents(paths: Iterable[str | Path]) -> list[Resolution]:
    """Parse individual files without a cache (for scripts and tests)."""
    out = []
    for p in paths:
        p = Path(p)
        out.append(parse_bytes(p.read_bytes(), source=p.name))
    return out
