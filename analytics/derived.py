"""Derived data kept in the cache folder, keyed by content, for what a warm start would
otherwise recompute (the series grouping's citation scan, 1.5-2.5 s at 10,000 documents,
paid by every dashboard start and every command; the lineage index of the corpus's texts,
2.3-3 s, paid by the Lineage page's first visit).

A file is found by what its data was computed from: the name of the data, the documents
(ids and sha256, in order: `analytics.memo.documents_key`), the parser version and the
code that computed it (a hash of the package's source, so a changed rule can never be
answered from a file an older rule wrote).  The format is the cache's (``cachefmt``):
checksummed JSON (or numeric arrays), type-checked by the reader; a file that fails any check is ignored and
written again, and deleting the folder only costs the recomputation.  Writes are atomic.
Each name keeps its `KEEP` newest files (one per corpus state), so a corpus refreshed a
file at a time does not grow the folder without bound.
"""
from __future__ import annotations

import functools
import hashlib
import io
import json
import os
import zipfile
from pathlib import Path
from typing import Callable

import numpy as np

from . import cachefmt
from .reader import PARSER_VERSION

FORMAT = "unres-derived/1"
KEEP = 4
_PACKAGE = Path(__file__).resolve().parent


@functools.lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """sha256 of every source file of the package (path and bytes, in path order)."""
    h = hashlib.sha256()
    for path in sorted(_PACKAGE.rglob("*.py")):
        h.update(str(path.relative_to(_PACKAGE)).encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def key(name: str, docs_key: str) -> str:
    return hashlib.sha256(f"{FORMAT}\n{name}\n{PARSER_VERSION}\n{code_fingerprint()}\n{docs_key}".encode()).hexdigest()


def _dir(cache_dir: Path) -> Path:
    return Path(cache_dir) / "derived"


def _path(cache_dir: Path, name: str, k: str, suffix: str = ".json") -> Path:
    return _dir(cache_dir) / f"{name}-{k[:32]}{suffix}"


def _payload(path: Path) -> memoryview:
    """The checked payload of a sealed file (OSError, `cachefmt.CorruptCache`)."""
    with open(path, "rb") as fh:
        return cachefmt.unseal(fh.read())


def read(cache_dir: Path, name: str, k: str, check: Callable[[object], bool]) -> object | None:
    """The data filed under ``k``, or None when there is none or it fails a check
    (framing, checksum, JSON, its own key, then ``check(data)``)."""
    try:
        obj = cachefmt._loads(_payload(_path(cache_dir, name, k)))
    except (OSError, cachefmt.CorruptCache):
        return None
    if not isinstance(obj, dict) or obj.get("format") != FORMAT or obj.get("key") != k:
        return None
    data = obj.get("data")
    return data if check(data) else None


def write(cache_dir: Path, name: str, k: str, data: object, *, keep: int = KEEP) -> bool:
    """File ``data`` (JSON values) under ``k``; False when the folder cannot be written."""
    blob = json.dumps({"format": FORMAT, "key": k, "data": data}, ensure_ascii=True, separators=(",", ":"))
    return _write(_path(cache_dir, name, k), name, cachefmt.seal(blob.encode("ascii")), keep)


def _write(path: Path, name: str, blob: bytes, keep: int) -> bool:
    from .corpus import _atomic_write
    try:
        _atomic_write(path, blob)
        _prune(path.parent, name, path.suffix, newest=path, keep=keep)
    except OSError:
        return False
    return True


# Arrays: numpy's .npz without object arrays (``allow_pickle=False``: plain data, never code),
# in the same checksummed frame, with the format and the key as two arrays of their own.

def write_arrays(cache_dir: Path, name: str, k: str, arrays: dict, *, keep: int = KEEP) -> bool:
    """File numeric ``arrays`` (name -> ndarray) under ``k``; False when it cannot be written."""
    buf = io.BytesIO()
    np.savez(buf, _format=np.frombuffer(FORMAT.encode(), np.uint8), _key=np.frombuffer(k.encode(), np.uint8),
             **arrays)
    return _write(_path(cache_dir, name, k, ".npz"), name, cachefmt.seal(buf.getvalue()), keep)


def read_arrays(cache_dir: Path, name: str, k: str) -> dict | None:
    """The arrays filed under ``k`` (checked: frame, checksum, format, key, no object
    arrays), or None; their shapes and values are the caller's to check."""
    try:
        with np.load(io.BytesIO(_payload(_path(cache_dir, name, k, ".npz"))), allow_pickle=False) as z:
            arrays = {n: z[n] for n in z.files}
    except (OSError, ValueError, EOFError, zipfile.BadZipFile, cachefmt.CorruptCache):
        return None
    fmt, key = arrays.pop("_format", None), arrays.pop("_key", None)
    if fmt is None or key is None or fmt.tobytes() != FORMAT.encode() or key.tobytes() != k.encode():
        return None
    return arrays


def _prune(folder: Path, name: str, suffix: str, *, newest: Path, keep: int) -> None:
    dated = []
    for p in folder.glob(f"{name}-*{suffix}"):
        try:
            dated.append((p.stat().st_mtime_ns, p))
        except OSError:          # removed meanwhile by another process
            pass
    dated.sort(reverse=True)
    for _, old in [d for d in dated if d[1] != newest][keep - 1:]:
        try:
            os.unlink(old)
        except OSError:
            pass
