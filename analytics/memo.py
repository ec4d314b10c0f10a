"""One memo for analysis results, keyed by content, shared by the threads of one process.

An analysis is a pure function of records and lexicons, so its result is found again by what
it was computed from: the analysis name, the documents (id and ``sha256``, in order), the
lexicon fingerprint (`Config.fingerprint`) where lexicons matter, and the call's parameters.
A path, a folder listing or a session never enters a key, so a reloaded corpus finds the
results of its unchanged documents, and two dashboard sessions on the same corpus share them.

Two paths:

* `Memo.result` keeps one result per key (a frame, a tuple or dict of frames, any value).
* `Memo.rows` is for analyses whose rows for one document depend on that document alone
  (theme counts, listed emerging issues, treaty figures, citations): rows are kept per
  document and concatenated in document order, so after one file changes only its rows are
  computed again.

Both are bounded (least recently used entries go first) and single-flight: threads asking
for the same missing key wait for one computation instead of repeating it.  Frames come
back as shallow copies (copy-on-write), so a caller that adds a column never changes the
memo's copy.
"""
from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from typing import Any, Callable, Hashable, Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

DEFAULT_ENTRIES = 256
DEFAULT_DOCUMENT_ENTRIES = 200_000     # (analysis, document) row sets: a 10,000-document corpus x 20


def documents_key(docs: Iterable) -> str:
    """Content key of documents in order: their ids and sha256 (an id is in the rows)."""
    h = hashlib.sha256()
    for d in docs:
        h.update(f"{d.id}\0{d.sha256}\n".encode())
    return h.hexdigest()


def params_key(params: Mapping[str, Any] | None) -> tuple:
    """A hashable, order-independent form of a call's keyword parameters."""
    return tuple(sorted((k, _hashable(v)) for k, v in (params or {}).items()))


def _hashable(v: Any) -> Hashable:
    if isinstance(v, Mapping):
        return params_key(v)
    if isinstance(v, (list, tuple, set, frozenset)):
        items = sorted(v, key=repr) if isinstance(v, (set, frozenset)) else v
        return tuple(_hashable(x) for x in items)
    hash(v)          # an unhashable parameter is a caller's bug: fail here, not in the dict
    return v


def fresh(value: Any) -> Any:
    """``value`` with every frame replaced by a shallow (copy-on-write) copy."""
    if isinstance(value, pd.DataFrame):
        return value.copy(deep=False)
    if isinstance(value, tuple):
        return tuple(fresh(v) for v in value)
    if isinstance(value, dict):
        return {k: fresh(v) for k, v in value.items()}
    return value


def _typed_columns(frames: list[pd.DataFrame]) -> dict:
    """Columns to cast after concatenating per-document parts: pandas infers a column of
    strings and None as a string column, but a document's own rows with only None (a draft's
    missing symbol) as object.  The call over all documents at once would have typed the
    column, so the assembled frame is cast to the typed parts' dtype."""
    out = {}
    for col in frames[0].columns:
        dtypes = {str(f[col].dtype): f[col].dtype for f in frames}
        typed = [d for name, d in dtypes.items() if name != "object"]
        if len(dtypes) > 1 and len(typed) == 1:
            out[col] = typed[0]
    return out


class _Flight:
    """One computation in progress: the waiters read its outcome."""

    def __init__(self):
        self.done = threading.Event()
        self.value: Any = None
        self.error: BaseException | None = None


class _LRU:
    """A bounded mapping with single-flight `get`; not for direct use (see `Memo`)."""

    def __init__(self, max_entries: int):
        if max_entries < 1:
            raise ValueError("max_entries must be at least 1")
        self.max_entries = max_entries
        self.data: OrderedDict[Hashable, Any] = OrderedDict()
        self.flights: dict[Hashable, _Flight] = {}
        self.lock = threading.Lock()
        self.hits = self.misses = 0
        self.filed = 0      # entries read from a cache folder (`Memo.rows`)

    def peek(self, key: Hashable) -> tuple[bool, Any]:
        with self.lock:
            if key in self.data:
                self.data.move_to_end(key)
                self.hits += 1
                return True, self.data[key]
            return False, None

    def put(self, key: Hashable, value: Any) -> None:
        with self.lock:
            self.data[key] = value
            self.data.move_to_end(key)
            while len(self.data) > self.max_entries:
                self.data.popitem(last=False)

    def get(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        with self.lock:
            if key in self.data:
                self.data.move_to_end(key)
                self.hits += 1
                return self.data[key]
            flight = self.flights.get(key)
            leader = flight is None
            if leader:
                flight = self.flights[key] = _Flight()
                self.misses += 1
        if not leader:
            return self._wait(flight)
        try:
            flight.value = compute()
            self.put(key, flight.value)
        except BaseException as exc:     # the waiters see the same failure; nothing is kept
            flight.error = exc
            raise
        finally:
            with self.lock:
                self.flights.pop(key, None)
            flight.done.set()
        return flight.value

    @staticmethod
    def _wait(flight: _Flight) -> Any:
        flight.done.wait()
        if flight.error is not None:
            raise flight.error
        return flight.value

    def __len__(self) -> int:
        return len(self.data)

    def clear(self) -> None:
        with self.lock:
            self.data.clear()


class Memo:
    """Analysis results by content (see the module docstring).

    ``max_entries`` bounds the whole results, ``max_document_entries`` the per-document row
    sets.  Thread-safe; one instance serves every session of a dashboard process.
    """

    def __init__(self, *, max_entries: int = DEFAULT_ENTRIES,
                 max_document_entries: int = DEFAULT_DOCUMENT_ENTRIES):
        self._results = _LRU(max_entries)
        self._rows = _LRU(max_document_entries)
        self._rows_flight = _LRU(max_entries)      # single flight for one whole `rows` call
        self._filing: list[threading.Thread] = []  # `rows` files being written

    def wait_filed(self, timeout: float | None = None) -> None:
        """Wait until the rows `rows` is filing are written (tests, a command about to exit)."""
        with self._rows.lock:
            pending = list(self._filing)
        for t in pending:
            t.join(timeout)

    @property
    def max_entries(self) -> int:
        return self._results.max_entries

    def __len__(self) -> int:
        return len(self._results)

    @property
    def stats(self) -> dict[str, int]:
        return {"hits": self._results.hits, "misses": self._results.misses,
                "document_hits": self._rows.hits, "document_misses": self._rows.misses,
                "document_filed": self._rows.filed,
                "entries": len(self._results), "document_entries": len(self._rows)}

    def clear(self) -> None:
        for store in (self._results, self._rows, self._rows_flight):
            store.clear()

    @staticmethod
    def key(name: str, docs: Iterable, *, fingerprint: str | None = None,
            params: Mapping[str, Any] | None = None) -> tuple:
        return (name, documents_key(docs), fingerprint, params_key(params))

    def result(self, name: str, fn: Callable[[], Any], docs: Iterable, *, fingerprint: str | None = None,
               params: Mapping[str, Any] | None = None) -> Any:
        """``fn()``, computed once per (name, documents, fingerprint, params).

        ``fn`` takes no argument: it closes over the very documents and lexicons the key
        names, so a key can never stand for inputs other than the ones computed with."""
        value = self._results.get(self.key(name, docs, fingerprint=fingerprint, params=params), fn)
        return fresh(value)

    def rows(self, name: str, fn: Callable[[Sequence], pd.DataFrame], docs: Sequence, *,
             fingerprint: str | None = None, params: Mapping[str, Any] | None = None,
             order: Callable[[pd.DataFrame], pd.DataFrame] | None = None,
             cache_dir=None) -> pd.DataFrame:
        """``fn(docs)`` assembled from per-document row sets.

        ``fn`` must give, for any documents, the rows of each of them that it gives for that
        document alone, with a ``document`` column.  Missing documents are computed in one
        call of ``fn`` and split by that column; the rows are concatenated in the order of
        ``docs``, then passed through ``order`` (e.g. the analysis's own sort) if given.

        ``cache_dir``: missing documents are looked for in the rows filed there
        (`analytics.derived.read_rows`: same analysis, code, fingerprint and parameters, same
        document id and sha256) before they are computed, and a call that computed at least
        `FILE_MIN_DOCUMENTS` documents files the rows of all of its documents, so a restarted
        process does not count themes in 10,000 texts again."""
        docs = list(docs)
        whole = self.key(name, docs, fingerprint=fingerprint, params=params)
        value = self._rows_flight.get(whole, lambda: self._assemble(name, fn, docs, fingerprint,
                                                                    params_key(params), order, cache_dir))
        return fresh(value)

    def _assemble(self, name, fn, docs, fingerprint, params, order, cache_dir=None) -> pd.DataFrame:
        # A document's rows are kept as (block, row positions): the frame of the call that
        # computed them and where they sit in it.  Assembling is then one `take` per block
        # (usually one or two), not a concat of thousands of small frames (6 ms a document).
        keys = [(name, d.id, d.sha256, fingerprint, params) for d in docs]
        parts: dict[Hashable, tuple[pd.DataFrame, np.ndarray]] = {}
        missing = []
        for d, k in zip(docs, keys):
            if k in parts:
                continue            # a document listed twice is computed once
            found, value = self._rows.peek(k)
            parts[k] = value if found else None
            if not found:
                missing.append((d, k))
        filed = _Filed(cache_dir, name, fingerprint, params, docs) if cache_dir is not None and missing else None
        if filed is not None:
            missing = filed.take(missing, parts, self._rows)
        template = self._compute_missing(fn, missing, parts)
        if template is None:      # every document was known: any block is a template
            template = next(iter(parts.values()))[0].iloc[:0] if parts else fn([]).iloc[:0]
        out = _take_blocks([parts[k] for k in keys])
        if out is None:
            out = template.iloc[:0].reset_index(drop=True)
        if filed is not None and len(missing) >= FILE_MIN_DOCUMENTS and len(parts) == len(keys):
            # (a call listing a document twice is not filed) Filing (a second or two at
            # 10,000 documents) runs beside the caller, who has the rows already.
            writer = threading.Thread(target=filed.store, args=(out,), name="memo-file-rows", daemon=True)
            with self._rows.lock:
                self._filing = [t for t in self._filing if t.is_alive()] + [writer]
            writer.start()
        return order(out) if order is not None else out

    def _compute_missing(self, fn, missing, parts) -> pd.DataFrame | None:
        if not missing:
            return None
        with self._rows.lock:
            self._rows.misses += len(missing)
        computed = fn([d for d, _ in missing]).reset_index(drop=True)
        positions = computed.groupby("document", sort=False).indices if len(computed) else {}
        nothing = np.empty(0, dtype=np.intp)
        for d, k in missing:
            part = (computed, positions.get(d.id, nothing))
            parts[k] = part
            self._rows.put(k, part)
        return computed.iloc[:0]


FILE_MIN_DOCUMENTS = 200   # fewer are computed again in well under a second: not worth a file


class _Filed:
    """The rows of one `Memo.rows` call kept in a cache folder (`analytics.derived`)."""

    def __init__(self, cache_dir, name: str, fingerprint, params: tuple, docs: list):
        from . import derived
        self._derived, self.cache_dir, self.name = derived, cache_dir, name
        self.family = derived.rows_family(name, fingerprint, params)
        self.docs = docs
        self.docs_key = documents_key(docs)
        self.read = 0

    def take(self, missing: list, parts: dict, rows: _LRU) -> list:
        """Fill ``parts`` with the filed rows of the missing documents; the others, left to compute."""
        found = self._derived.read_rows(self.cache_dir, self.name, self.family, self.docs_key)
        if found is None:
            return missing
        shas, frame = found
        positions = frame.groupby("document", sort=False).indices if len(frame) else {}
        nothing = np.empty(0, dtype=np.intp)
        rest = []
        for d, k in missing:
            if shas.get(d.id) == d.sha256:
                parts[k] = (frame, positions.get(d.id, nothing))
                rows.put(k, parts[k])
                self.read += 1
            else:
                rest.append((d, k))
        with rows.lock:
            rows.filed += self.read
        return rest

    def store(self, out: pd.DataFrame) -> None:
        try:
            self._derived.write_rows(self.cache_dir, self.name, self.family, self.docs_key,
                                     [(d.id, d.sha256) for d in self.docs], out.reset_index(drop=True))
        except Exception:   # filing only saves a later recomputation; the caller has its rows
            pass


MAX_RUNS = 64    # above this many runs, one take per block and a reorder beat concatenating


def _take_blocks(parts: list[tuple[pd.DataFrame, np.ndarray]]) -> pd.DataFrame | None:
    """The rows of ``parts`` in order, or None when there are none."""
    runs: list[list] = []     # consecutive documents whose rows come from the same block
    for block, pos in parts:
        if len(pos):
            if runs and runs[-1][0] is block:
                runs[-1][1].append(pos)
            else:
                runs.append([block, [pos]])
    if not runs:
        return None
    if len(runs) > MAX_RUNS:
        return _take_reordered(parts)
    # After one changed file: three runs (before it, it, after it), each usually a slice
    # of its block, so nothing of the 10,000 unchanged documents' rows is copied row by row.
    pieces = [_rows_at(block, np.concatenate(pos)) for block, pos in runs]
    if len(pieces) == 1:
        return pieces[0].reset_index(drop=True)
    return pd.concat(pieces, ignore_index=True).astype(_typed_columns(pieces))


def _rows_at(block: pd.DataFrame, pos: np.ndarray) -> pd.DataFrame:
    if pos[-1] - pos[0] + 1 == len(pos) and bool((np.diff(pos) == 1).all()):
        return block.iloc[int(pos[0]):int(pos[-1]) + 1]
    return block.take(pos)


def _take_reordered(parts: list[tuple[pd.DataFrame, np.ndarray]]) -> pd.DataFrame:
    blocks: dict[int, list] = {}
    for rank, (block, pos) in enumerate(parts):
        if len(pos):
            blocks.setdefault(id(block), [block, [], []])
            entry = blocks[id(block)]
            entry[1].append(pos)
            entry[2].append(np.full(len(pos), rank))
    pieces = [block.take(np.concatenate(pos)) for block, pos, _ in blocks.values()]
    ranks = np.concatenate([np.concatenate(r) for _, _, r in blocks.values()])
    out = pd.concat(pieces, ignore_index=True).astype(_typed_columns(pieces))
    return out.take(np.argsort(ranks, kind="stable")).reset_index(drop=True)
