"""Load a corpus folder into records, with a content-addressed cache.

Every file is read once; its bytes are hashed and, on a cache miss, those same bytes are
parsed, so a record is always filed under the hash of what was parsed.  A record is cached
under ``sha256 + parser version`` so an unchanged file is never re-parsed, a changed one
alone is, and renaming a file costs nothing.  The cache holds JSON data only
(``analytics.cachefmt``), checksummed and type-checked on read: a corrupt, truncated,
tampered-with or foreign cache file is reported and rebuilt, never executed.  Writes are
atomic (temp file + rename), so two processes loading the same corpus never see a
half-written file.

The corpus folder itself is only ever read, and only its regular files: a named pipe, a
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
import os
import stat
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable

from . import cachefmt
from .reader import PARSER_VERSION, parse_bytes
from .records import Problem, Resolution, sort_key
if TYPE_CHECKING:
    from .config import Config
    from .series import SeriesIndex
from .safeparse import DEFAULT_BUDGET_S, OverBudget, WorkerFailed, parse_bytes_bounded

PACKAGE_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = PACKAGE_ROOT / "corpus"
DEFAULT_CACHE = PACKAGE_ROOT / "cache"
SUPPORTED = (".txt", ".md", ".pdf")
# lexicon overrides live beside the documents (analytics.config reads them)
IGNORED_NAMES = ("readme", "themes.toml", "emerging_aliases.toml", "series.toml")
MAX_BYTES = 50 * 2**20
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
        return group_series(self.documents, overrides=self.config.series)

    def get(self, doc_id: str) -> Resolution:
        for d in self.documents:
            if d.id == doc_id:
                return d
        raise KeyError(f"no document with id {doc_id!r}; ids are: {', '.join(d.id for d in self.documents)}")

    @property
    def ids(self) -> list[str]:
        return [d.id for d in self.documents]


def corpus_files(corpus_dir: Path) -> tuple[list[Path], list[Problem]]:
    """Candidate files, sorted by name, and problems for entries we will not read."""
    files, problems = [], []
    try:
        with os.scandir(corpus_dir) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as exc:
        raise FileNotFoundError(f"cannot read corpus folder {corpus_dir}: {exc.strerror or exc}") from None
    for e in entries:
        name = e.name
        suffix = _suffix(name)
        if name.startswith(".") or name.lower().startswith(IGNORED_NAMES):
            continue
        supported = suffix.lower() in SUPPORTED
        if _is_dir(e):
            # a folder called "x.txt" is somebody's mistake worth a line; "archive/" is not
            if supported:
                problems.append(Problem(name, "a folder, not a file: skipped"))
            continue
        if not supported:
            problems.append(Problem(name, f"unsupported file type {suffix or '(none)'!r}: "
                                          f"use {', '.join(SUPPORTED)}"))
            continue
        files.append(Path(e.path))
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
        return _open_fd(str(path), _READ_FLAGS)
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


def _read_regular(fd: int, *, limit: int | None) -> bytes:
    """All of a regular file, refusing pipes and devices (which never end) before reading."""
    st = os.fstat(fd)
    if not stat.S_ISREG(st.st_mode):
        raise _Refused(f"not a regular file ({_kind(st.st_mode)}): skipped")
    if limit is not None and st.st_size > limit:
        raise _Refused(_too_large(st.st_size))
    parts, total = [], 0
    while True:
        want = max(st.st_size + 1 - total, 1 << 16)   # one read for a file that did not change
        chunk = os.read(fd, want if limit is None else min(want, limit + 1 - total))
        if not chunk:
            break
        parts.append(chunk)
        total += len(chunk)
        if limit is not None and total > limit:   # it grew after fstat
            raise _Refused(_too_large(total))
    return parts[0] if len(parts) == 1 else b"".join(parts)


def _too_large(size: int) -> str:
    return f"too large ({size / 2**20:.0f} MB; the limit is {MAX_BYTES // 2**20} MB)"


def _kind(mode: int) -> str:
    kinds = ((stat.S_ISFIFO, "a named pipe"), (stat.S_ISCHR, "a character device"),
             (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"), (stat.S_ISDIR, "a folder"))
    return next((what for test, what in kinds if test(mode)), "a special file")


def _read_document(path: Path, root: str) -> bytes | str:
    """The file's bytes, or the one-line reason they cannot be read."""
    try:
        fd = _open_inside(path, root)
    except _Refused as exc:
        return str(exc)
    except OSError as exc:
        return f"cannot read: {exc.strerror or exc}"
    try:
        return _read_regular(fd, limit=MAX_BYTES)
    except _Refused as exc:
        return str(exc)
    except OSError as exc:
        return f"cannot read: {exc.strerror or exc}"
    finally:
        os.close(fd)


def _read_files(files: list[Path], corpus_dir: Path,
                problems: list[Problem]) -> tuple[list[tuple[str, str]], dict[str, bytes]]:
    """(name, sha) of each distinct readable file, and the very bytes each sha was taken of."""
    root = os.path.realpath(corpus_dir)
    hashed: list[tuple[str, str]] = []
    data: dict[str, bytes] = {}
    seen: dict[str, str] = {}
    for p in files:
        blob = _read_document(p, root)
        if isinstance(blob, str):
            problems.append(Problem(p.name, blob))
            continue
        sha = hashlib.sha256(blob).hexdigest()
        if sha in seen:
            problems.append(Problem(p.name, f"same content as {seen[sha]}: skipped"))
            continue
        seen[sha] = p.name
        hashed.append((p.name, sha))
        data[sha] = blob
    return hashed, data


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


def _parse_many(jobs: list[tuple[str, bytes]], *, workers: int | None,
                budget: float) -> list[tuple[Resolution | Problem, bool]]:
    if workers is None:
        workers = os.cpu_count() or 1
    # each thread drives one warm worker process (analytics.safeparse) and waits on it
    threads = 1 if len(jobs) < POOL_THRESHOLD else max(1, min(workers, len(jobs)))
    if threads == 1:
        return [_parse_one(name, data, budget=budget) for name, data in jobs]
    with ThreadPoolExecutor(max_workers=threads, thread_name_prefix="corpus-parse") as pool:
        return list(pool.map(lambda job: _parse_one(*job, budget=budget), jobs))


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
    return _records_dir(cache_dir) / "pack.json"


class _Cache:
    """One load's view of a cache folder; every fault becomes a line in ``notes``."""

    def __init__(self, cache_dir: Path, notes: list[str]):
        self.dir, self.notes = cache_dir, notes
        self.pack = _pack_path(cache_dir)
        self.pack_keys: frozenset[str] = frozenset()
        self.memo_key = str(cache_dir.resolve())
        self.usable = not (cache_dir.exists() and not cache_dir.is_dir())
        if not self.usable:
            notes.append(f"cache folder {cache_dir} is not a folder; continuing without a cache")

    def read(self, path: Path, *, what: str, then: str) -> bytes | None:
        """A cache file's bytes; None when absent or unreadable (with a note for the latter)."""
        try:
            fd = _open_fd(str(path), _READ_FLAGS)
        except FileNotFoundError:
            return None
        except OSError as exc:
            self.notes.append(f"cannot read {what} ({exc.strerror or exc}); {then}")
            return None
        try:
            return _read_regular(fd, limit=None)
        except (_Refused, OSError) as exc:
            self.notes.append(f"cannot read {what} ({getattr(exc, 'strerror', None) or exc}); {then}")
            return None
        finally:
            os.close(fd)

    def read_pack(self) -> dict[str, Resolution | Problem]:
        blob = self.read(self.pack, what=f"cache {self.pack}", then="rebuilt")
        if blob is None:
            return {}
        gc_was_on = gc.isenabled()
        gc.disable()  # a million new objects would trigger a dozen useless full collections
        try:
            return cachefmt.load_pack(blob)
        except cachefmt.CorruptCache as exc:
            self.notes.append(f"cache {self.pack} was corrupt ({exc}); rebuilt")
            return {}
        finally:
            if gc_was_on:
                gc.enable()

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
            pack = self.read_pack()
            self.pack_keys = frozenset(pack)
        for name, sha in hashed:
            if sha not in hits:
                hit = pack.get(sha) or self.read_record(sha, name)
                if hit is not None:
                    hits[sha] = hit
        return hits

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
        """Write ``new`` records; rewrite the pack of ``keep`` when it has drifted."""
        for sha, res in new.items():
            if not self.write(_record_path(self.dir, sha), cachefmt.dump_record(sha, res)):
                break
        # The pack is rewritten only when it has drifted noticeably from the corpus: a few new
        # records are read from their own files, so one changed file does not rewrite 200 MB.
        stale = sum(1 for sha in keep if sha not in self.pack_keys)
        if keep and (stale > max(20, len(keep) // 20) or not self.pack_keys):
            if self.write(self.pack, cachefmt.dump_pack(keep)):
                self.pack_keys = frozenset(keep)
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
    files, problems = corpus_files(corpus_dir)
    notes: list[str] = []
    hashed, data = _read_files(files, corpus_dir, problems)
    cache = _Cache(cache_dir, notes) if use_cache else None
    hits = cache.lookup(hashed) if cache else {}
    todo = [(name, sha) for name, sha in hashed if sha not in hits]
    jobs = [(name, data[sha]) for name, sha in todo]
    data.clear()   # only the bytes still to be parsed stay in memory
    if progress:
        progress(len(hits), len(hashed))
    results, new = dict(hits), {}
    for (_, sha), (res, cacheable) in zip(todo, _parse_many(jobs, workers=workers, budget=budget)):
        results[sha] = res
        if cacheable:
            new[sha] = res
    del jobs
    if progress:
        progress(len(hashed), len(hashed))
    if cache:
        cache.store(new, {**hits, **new})
    corpus = _assemble(hashed, results, problems, notes, parsed=len(todo), cached=len(hits))
    return dataclasses.replace(corpus, folder=corpus_dir)


def _assemble(hashed: list[tuple[str, str]], results: dict, problems: list[Problem],
              notes: list[str], *, parsed: int, cached: int) -> Corpus:
    docs: list[Resolution] = []
    for name, sha in hashed:
        res = results[sha]
        if isinstance(res, Problem):
            problems.append(Problem(name, res.reason))
        else:
            docs.append(res if res.source == name else dataclasses.replace(res, source=name))
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
            out.append(dataclasses.replace(d, id=f"{doc_id}-{n}", warnings=d.warnings + extra))
    return out


def load_documents(paths: Iterable[str | Path]) -> list[Resolution]:
    """Parse individual files without a cache (for scripts and tests)."""
    out = []
    for p in paths:
        p = Path(p)
        out.append(parse_bytes(p.read_bytes(), source=p.name))
    return out
