"""Derived data kept in the cache folder, keyed by content, for what a warm start would
otherwise recompute (the series grouping's citation scan, 1.5-2.5 s at 10,000 documents,
paid by every dashboard start and every command; the lineage index of the corpus's texts,
2.3-3 s, paid by the Lineage page's first visit; the per-document rows of theme counts,
treaty figures, citations and emerging-issue lists, 3.4 s for the theme counts of 10,000
documents, paid by the Series page's first visit).

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
import itertools
import json
import os
import zipfile
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd

from . import cachefmt
from .reader import PARSER_VERSION
from .text import gc_paused

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
    data = _read_json(_path(cache_dir, name, k), k)
    return data if data is not None and check(data) else None


def _read_json(path: Path, k: str) -> object | None:
    """The data of a sealed JSON file filed under ``k`` (None: no such file, or a check failed)."""
    try:
        obj = cachefmt._loads(_payload(path))
    except (OSError, cachefmt.CorruptCache):
        return None
    if not isinstance(obj, dict) or obj.get("format") != FORMAT or obj.get("key") != k:
        return None
    return obj.get("data")


def write(cache_dir: Path, name: str, k: str, data: object, *, keep: int = KEEP) -> bool:
    """File ``data`` (JSON values) under ``k``; False when the folder cannot be written."""
    return _write(_path(cache_dir, name, k), name, cachefmt.seal(_json_blob(k, data)), keep)


def _json_blob(k: str, data: object) -> bytes:
    return json.dumps({"format": FORMAT, "key": k, "data": data}, ensure_ascii=True,
                      separators=(",", ":")).encode("ascii")


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


# Frames: the columns as JSON with each column's dtype, rebuilt with that very dtype; text
# columns as their distinct values and one code per row (a document's id, title and keys
# repeat on each of its rows: a third of the size, and the codes parse several times faster).
# A frame is filed only when it comes back equal, dtype for dtype and value for value (an
# object column's values of the same Python types: a tuple, which JSON makes a list, is not
# filed); a frame of any other dtype, index or attrs is simply not kept.

_FRAME_DTYPES = ("str", "object", "Int64", "int64", "float64", "bool")


def encode_frame(df: pd.DataFrame) -> dict | None:
    """``df`` as JSON values that `decode_frame` rebuilds exactly, or None when it cannot."""
    with gc_paused():       # hundreds of thousands of values, lists and rows, no cycles
        out = _encoded(df)
        return out if out is not None and _comes_back(df, json.loads(json.dumps(out, ensure_ascii=True))) else None


def _encoded(df: pd.DataFrame) -> dict | None:
    """``df`` as JSON values, not yet checked to come back exactly (`_comes_back`)."""
    if df.attrs or not isinstance(df.index, pd.RangeIndex) or df.index.start != 0 or df.index.step != 1 \
            or not all(isinstance(c, str) for c in df.columns) or df.columns.has_duplicates:
        return None
    dtypes = [str(t) for t in df.dtypes]
    if any(t not in _FRAME_DTYPES for t in dtypes):
        return None
    try:
        data = [_column_values(df[c], t) for c, t in zip(df.columns, dtypes)]
    except (TypeError, ValueError):
        return None
    return {"columns": list(df.columns), "dtypes": dtypes, "rows": len(df), "data": data}


def _comes_back(df: pd.DataFrame, parsed) -> bool:
    """Whether ``parsed`` (an encoding of ``df`` after JSON) decodes to ``df`` exactly."""
    back = decode_frame(parsed)
    return back is not None and _same_frame(df, back)


def _column_values(col: pd.Series, dtype: str):
    if dtype == "Int64":
        return [None if v is pd.NA else v for v in col.tolist()]
    if dtype not in ("str", "object"):
        return col.tolist()
    values = col.to_numpy(dtype=object, na_value=None) if dtype == "str" else col.to_numpy()
    if dtype == "object" and any(type(v) is list for v in values.tolist()):
        return _list_values(values.tolist())
    # factorize takes 1 and True for one value: the round trip's check refuses such a column
    codes, uniques = pd.factorize(values)
    uniques = uniques.tolist()
    missing = codes < 0         # None and NaN alike: which one it is, is read off the rows
    if missing.any():
        kinds = {repr(v) for v in values[missing].tolist()}
        if len(kinds) > 1:
            raise TypeError("None and NaN in one column")
        codes[missing] = len(uniques)
        uniques.append(values[missing][0])
    return {"values": uniques, "codes": codes.tolist()}


def _list_values(values: list) -> dict:
    """A column of lists of text (a row's paragraph keys): the distinct items, every row's
    codes in one flat list, and each row's length."""
    if not all(type(v) is list for v in values):
        raise TypeError("lists and other values")
    flat = np.fromiter(itertools.chain.from_iterable(values), dtype=object)
    codes, items = pd.factorize(flat, use_na_sentinel=False)
    items = items.tolist()
    if not all(type(x) is str for x in items):
        raise TypeError("a list of other than text")
    return {"items": items, "flat": codes.tolist(), "lengths": [len(v) for v in values]}


def _lists(data: dict, n: int) -> np.ndarray:
    items, flat, lengths = data["items"], np.asarray(data["flat"], dtype=np.int64), np.asarray(data["lengths"], dtype=np.int64)
    if not isinstance(items, list) or not all(type(x) is str for x in items) or lengths.shape != (n,) \
            or flat.ndim != 1 or (n and lengths.min() < 0) or int(lengths.sum()) != flat.size \
            or (flat.size and (flat.min() < 0 or flat.max() >= len(items))):
        raise ValueError("not a column of lists")
    words = np.fromiter(items, dtype=object, count=len(items))[flat].tolist()
    ends = np.cumsum(lengths).tolist()
    # one list per row, as computed, never shared between rows
    return np.fromiter((words[e - k:e] for e, k in zip(ends, lengths.tolist())), dtype=object, count=n)


def decode_frame(obj) -> pd.DataFrame | None:
    """The frame `encode_frame` made, or None when ``obj`` is not one."""
    if not isinstance(obj, dict):
        return None
    cols, dtypes, data, n = obj.get("columns"), obj.get("dtypes"), obj.get("data"), obj.get("rows")
    if not (isinstance(cols, list) and isinstance(dtypes, list) and isinstance(data, list) and type(n) is int
            and len(cols) == len(dtypes) == len(data) and all(isinstance(c, str) for c in cols)
            and len(set(cols)) == len(cols) and all(t in _FRAME_DTYPES for t in dtypes)):
        return None
    try:
        columns = {c: _column(v, t, n) for c, v, t in zip(cols, data, dtypes)}
    except (TypeError, ValueError, OverflowError, IndexError, KeyError):
        return None
    return pd.DataFrame(columns, index=pd.RangeIndex(n), columns=cols)


def _column(data, dtype: str, n: int) -> pd.Series:
    if dtype in ("str", "object") and not isinstance(data, dict):
        raise ValueError("not a text column")
    if dtype == "object" and "lengths" in data:
        return pd.Series(_lists(data, n), dtype=object)
    if dtype in ("str", "object"):
        codes = np.asarray(data["codes"], dtype=np.int64)
        values = data["values"]
        if codes.shape != (n,) or not isinstance(values, list) or (n and (codes.min() < 0 or codes.max() >= len(values))):
            raise ValueError("not a coded column")
        if any(v is not None and type(v) is not str for v in values) if dtype == "str" \
                else any(isinstance(v, (list, dict)) for v in values):
            raise TypeError(f"not {dtype}")     # (a list in a code table would be shared by its rows)
        arr = np.fromiter(values, dtype=object, count=len(values))[codes]
        return pd.Series(arr, dtype=object) if dtype == "object" else pd.Series(pd.array(arr, dtype="str"))
    if not isinstance(data, list) or len(data) != n:
        raise ValueError("not a column")
    if dtype == "float64":
        return pd.Series(np.array([float(v) for v in data], dtype=np.float64))
    if dtype in ("int64", "bool"):
        arr = np.asarray(data)
        if arr.dtype != dtype and not (n == 0 and arr.dtype == np.float64):
            raise TypeError(f"not {dtype}")
        return pd.Series(arr.astype(dtype))
    if any(v is not None and type(v) is not int for v in data):
        raise TypeError("not Int64")
    return pd.Series(pd.array(data, dtype="Int64"))


def _same_frame(a: pd.DataFrame, b: pd.DataFrame) -> bool:
    if list(a.columns) != list(b.columns) or len(a) != len(b) or list(a.dtypes) != list(b.dtypes):
        return False
    for c in a.columns:
        x, y = a[c], b[c]
        if x.dtype == object:
            if any(type(u) is not type(v) or u != v for u, v in zip(x.tolist(), y.tolist())
                   if not (u is None and v is None)):
                return False
        elif not x.equals(y):
            return False
    return True


# Per-document analysis rows (`analytics.memo.Memo.rows`): one file per call's documents,
# named for the analysis and its family (code, parser, lexicon fingerprint, parameters).
# A call whose very documents were filed reads that file; another call of the family reads
# the family's largest file and takes the rows of the documents it holds (same id, same
# sha256), so after a file changed a restarted dashboard computes that document's rows only.

ROWS_KEEP = 3


def rows_family(analysis: str, fingerprint: str | None, params: tuple) -> str:
    return key(f"rows-{analysis}", hashlib.sha256(repr((fingerprint, params)).encode()).hexdigest())


def _rows_path(cache_dir: Path, analysis: str, family: str, docs_key: str) -> Path:
    return _dir(cache_dir) / f"rows-{analysis}-{family[:16]}-{docs_key[:32]}.json"


def read_rows(cache_dir: Path, analysis: str, family: str,
              docs_key: str) -> tuple[dict[str, str], pd.DataFrame] | None:
    """(document id -> sha256, their rows) filed for these documents, else the family's
    largest file; None when there is none that passes every check."""
    exact = _rows_path(cache_dir, analysis, family, docs_key)
    found = _read_rows_file(exact, family)
    if found is not None:
        return found
    sized = []
    for p in _dir(cache_dir).glob(f"rows-{analysis}-{family[:16]}-*.json"):
        try:
            sized.append((p.stat().st_size, p))
        except OSError:
            pass
    sized = [s for s in sized if s[1] != exact]
    return _read_rows_file(max(sized)[1], family) if sized else None


def _read_rows_file(path: Path, family: str) -> tuple[dict[str, str], pd.DataFrame] | None:
    data = _read_json(path, family)
    if not isinstance(data, dict):
        return None
    docs = data.get("docs")
    if not (isinstance(docs, list) and all(isinstance(d, list) and len(d) == 2 and all(isinstance(x, str) for x in d)
                                           for d in docs)):
        return None
    shas = dict(map(tuple, docs))
    with gc_paused():
        frame = decode_frame(data.get("frame"))
    if len(shas) != len(docs) or frame is None or "document" not in frame.columns \
            or not set(frame["document"].tolist()) <= shas.keys():
        return None
    return shas, frame


def write_rows(cache_dir: Path, analysis: str, family: str, docs_key: str, docs: list[tuple[str, str]],
               frame: pd.DataFrame, *, keep: int = ROWS_KEEP) -> bool:
    """File the rows of ``docs`` ((id, sha256) each, ids distinct); False when the frame
    cannot be kept exactly or the folder cannot be written."""
    if len({d for d, _ in docs}) != len(docs):
        return False
    with gc_paused():
        encoded = _encoded(frame)
        if encoded is None:
            return False
        blob = _json_blob(family, {"docs": [list(d) for d in docs], "frame": encoded})
        # the check of `encode_frame`, on the very JSON that is written (encoded once)
        if not _comes_back(frame, json.loads(blob)["data"]["frame"]):
            return False
    return _write(_rows_path(cache_dir, analysis, family, docs_key), f"rows-{analysis}", cachefmt.seal(blob), keep)
