"""Load a corpus folder into records, with a content-addressed cache.

Every file is hashed; a record is cached under ``sha256 + parser version`` so an
unchanged file is never re-parsed, a changed one alone is, and renaming a file
costs nothing.  Cache files carry their own checksum: a corrupt or truncated one
is detected, reported and rebuilt.  Writes are atomic (temp file + rename), so
two processes loading the same corpus never see a half-written file.  The corpus
folder itself is only ever read.
"""
from __future__ import annotations

import dataclasses
import gc
import hashlib
import os
import pickle
import tempfile
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from .reader import PARSER_VERSION, NotAResolution, parse_bytes
from .records import Problem, Resolution, sort_key

PACKAGE_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = PACKAGE_ROOT / "corpus"
DEFAULT_CACHE = PACKAGE_ROOT / "cache"
SUPPORTED = (".txt", ".md", ".pdf")
IGNORED_NAMES = ("readme", "themes.toml", "emerging_aliases.toml")
MAX_BYTES = 50 * 2**20
_MAGIC = b"UNRCACHE1\n"
MEMO_LIMIT = 50_000
PACK_READ_THRESHOLD = 32      # misses above this read the pack rather than one file each
_MEMO: dict[str, tuple] = {}   # cache folder -> (pack file stamp, {sha: record})
# Below this many files to parse, a process pool costs more than it saves.
POOL_THRESHOLD = 24


@dataclass(frozen=True)
class Corpus:
    documents: tuple[Resolution, ...]
    problems: tuple[Problem, ...] = ()
    fingerprint: str = ""
    notes: tuple[str, ...] = ()          # cache events worth telling the user (corrupt file rebuilt)
    parsed: int = 0                      # documents parsed in this load (0 on a warm load)
    cached: int = 0

    def get(self, doc_id: str) -> Resolution:
        for d in self.documents:
            if d.id == doc_id:
                return d
        raise KeyError(f"no document with id {doc_id!r}; ids are: {', '.join(d.id for d in self.documents)}")

    @property
    def ids(self) -> list[str]:
        return [d.id for d in self.documents]


def corpus_files(corpus_dir: Path) -> tuple[list[Path], list[Problem]]:
    """Candidate files, sorted by name, and problems for files we will not read."""
    files, problems = [], []
    try:
        entries = sorted(corpus_dir.iterdir(), key=lambda p: p.name)
    except OSError as exc:
        raise FileNotFoundError(f"cannot read corpus folder {corpus_dir}: {exc.strerror or exc}") from None
    for p in entries:
        name = p.name
        if name.startswith(".") or name.lower().startswith(IGNORED_NAMES) or p.is_dir():
            continue
        if p.suffix.lower() not in SUPPORTED:
            problems.append(Problem(name, f"unsupported file type {p.suffix or '(none)'!r}: "
                                          f"use {', '.join(SUPPORTED)}"))
            continue
        files.append(p)
    return files, problems


def _parse_file(path: str, sha: str) -> Resolution | Problem:
    name = os.path.basename(path)
    try:
        data = Path(path).read_bytes()
        rec = parse_bytes(data, source=name)
    except (ValueError, NotAResolution) as exc:
        return Problem(name, str(exc))
    except OSError as exc:
        return Problem(name, f"cannot read: {exc.strerror or exc}")
    except Exception as exc:  # a parser bug must not take the whole corpus down
        return Problem(name, f"could not be parsed ({type(exc).__name__}: {exc})")
    return rec


def _parse_many(jobs: list[tuple[str, str]], workers: int | None) -> list[Resolution | Problem]:
    if workers is None:
        workers = os.cpu_count() or 1
    if workers <= 1 or len(jobs) < POOL_THRESHOLD:
        return [_parse_file(p, s) for p, s in jobs]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        chunk = max(1, len(jobs) // (workers * 8))
        return list(pool.map(_parse_file, *zip(*jobs), chunksize=chunk))


# --- cache files -----------------------------------------------------------------------------

def _atomic_write(path: Path, payload: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    blob = _MAGIC + hashlib.sha256(payload).digest() + payload
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(blob)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _read_checked(path: Path):
    """Unpickle a cache file; None when absent; ValueError when corrupt."""
    try:
        blob = path.read_bytes()
    except FileNotFoundError:
        return None
    head = len(_MAGIC) + 32
    payload = memoryview(blob)[head:]   # no copy of a 200 MB pack, twice
    if len(blob) < head or not blob.startswith(_MAGIC) or \
            hashlib.sha256(payload).digest() != blob[len(_MAGIC):head]:
        raise ValueError("checksum mismatch (truncated or corrupt)")
    gc_was_on = gc.isenabled()
    gc.disable()  # a million new objects would trigger a dozen useless full collections
    try:
        return pickle.loads(payload)
    except Exception as exc:
        raise ValueError(f"cannot unpickle ({type(exc).__name__})") from None
    finally:
        if gc_was_on:
            gc.enable()


def _stamp(path: Path):
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_ino, st.st_mtime_ns, st.st_size)


def _record_path(cache_dir: Path, sha: str) -> Path:
    return cache_dir / f"records-v{PARSER_VERSION}" / sha[:2] / f"{sha}.pkl"


def _pack_path(cache_dir: Path) -> Path:
    return cache_dir / f"records-v{PARSER_VERSION}" / "pack.pkl"


def load_corpus(corpus_dir: str | Path | None = None, *, cache_dir: str | Path | None = None,
                workers: int | None = None, use_cache: bool = True,
                progress: Callable[[int, int], None] | None = None) -> Corpus:
    """Read every supported file of ``corpus_dir`` into records.

    Problems (empty, binary, not a resolution, duplicate content, unreadable)
    are returned in ``Corpus.problems``, one line per file; the other documents
    still load.  ``workers`` sets the parsing process pool (default: all cores).
    """
    corpus_dir = Path(corpus_dir) if corpus_dir is not None else DEFAULT_CORPUS
    cache_dir = Path(cache_dir) if cache_dir is not None else DEFAULT_CACHE
    files, problems = corpus_files(corpus_dir)
    notes: list[str] = []

    hashed: list[tuple[Path, str]] = []
    seen: dict[str, str] = {}
    for p in files:
        try:
            size = p.stat().st_size
            if size > MAX_BYTES:
                problems.append(Problem(p.name, f"too large ({size / 2**20:.0f} MB; the limit is "
                                                f"{MAX_BYTES // 2**20} MB)"))
                continue
            sha = hashlib.sha256(p.read_bytes()).hexdigest()
        except OSError as exc:
            problems.append(Problem(p.name, f"cannot read: {exc.strerror or exc}"))
            continue
        if sha in seen:
            problems.append(Problem(p.name, f"same content as {seen[sha]}: skipped"))
            continue
        seen[sha] = p.name
        hashed.append((p, sha))

    pack: dict[str, Resolution | Problem] = {}
    # A long-running process (the dashboard) keeps what it has read: a refresh after one
    # file changed then costs the hashing and one parse, not a reload of the whole cache.
    memo_key = str(cache_dir.resolve())
    memo = _MEMO.get(memo_key)
    # valid only while the cache on disk is the one it was read from (deleted, rebuilt or
    # tampered-with caches are read again, so their problems are seen)
    valid = use_cache and memo and memo[0] == _stamp(_pack_path(cache_dir))
    memo_records, pack_keys = (memo[1], memo[2]) if valid else ({}, frozenset())
    memo_hits = {sha: memo_records[sha] for _, sha in hashed if sha in memo_records}
    missing = len(hashed) - len(memo_hits)
    # A few misses are read from their own record files; the 200 MB pack only when many are.
    if use_cache and missing > PACK_READ_THRESHOLD or (use_cache and missing and not valid):
        try:
            pack = _read_checked(_pack_path(cache_dir)) or {}
        except ValueError as exc:
            notes.append(f"cache {_pack_path(cache_dir)} was corrupt ({exc}); rebuilt")
            pack = {}
        pack_keys = frozenset(pack)
    results: dict[str, Resolution | Problem] = {}
    todo: list[tuple[str, str]] = []
    for p, sha in hashed:
        hit = memo_hits.get(sha) or pack.get(sha)
        if hit is None and use_cache:
            rp = _record_path(cache_dir, sha)
            try:
                hit = _read_checked(rp)
            except ValueError as exc:
                notes.append(f"cache file {rp.name} for {p.name} was corrupt ({exc}); re-parsed")
                hit = None
        if hit is None:
            todo.append((str(p), sha))
        else:
            results[sha] = hit
    cached = len(results)
    if progress:
        progress(cached, len(hashed))
    parsed = _parse_many(todo, workers)
    for (path, sha), res in zip(todo, parsed):
        results[sha] = res
        if use_cache:
            try:
                _atomic_write(_record_path(cache_dir, sha), pickle.dumps(res, protocol=pickle.HIGHEST_PROTOCOL))
            except OSError as exc:
                notes.append(f"cannot write cache ({exc.strerror or exc}); continuing without it")
                use_cache = False
    if progress:
        progress(len(hashed), len(hashed))
    # The pack is rewritten only when it has drifted noticeably from the corpus: a few new
    # records are read from their own files, so one changed file does not rewrite 200 MB.
    stale = sum(1 for sha in results if sha not in pack_keys)
    if use_cache and results and (stale > max(20, len(results) // 20) or not pack_keys):
        try:
            _atomic_write(_pack_path(cache_dir), pickle.dumps(results, protocol=pickle.HIGHEST_PROTOCOL))
            pack_keys = frozenset(results)
        except OSError as exc:
            notes.append(f"cannot write cache ({exc.strerror or exc}); continuing without it")

    if use_cache:
        if len(results) <= MEMO_LIMIT:
            _MEMO.clear()  # one corpus at a time is what a dashboard process needs
            _MEMO[memo_key] = (_stamp(_pack_path(cache_dir)), dict(results), pack_keys)

    docs: list[Resolution] = []
    for p, sha in hashed:
        res = results[sha]
        if isinstance(res, Problem):
            problems.append(Problem(p.name, res.reason))
        else:
            docs.append(res if res.source == p.name else dataclasses.replace(res, source=p.name))
    docs = _unique_ids(docs)
    docs.sort(key=sort_key)
    problems.sort(key=lambda pr: pr.source)
    fingerprint = hashlib.sha256(
        (PARSER_VERSION + "".join(f"{d.id}\0{d.sha256}\n" for d in docs)).encode()).hexdigest()[:16]
    return Corpus(tuple(docs), tuple(problems), fingerprint, tuple(notes), parsed=len(todo), cached=cached)


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
