"""The cache's on-disk formats: data, checksummed, type-checked on read; never code.

A cache folder may be shared, copied or tampered with, so reading it must never run
anything: nothing here unpickles, and a file that does not parse, or holds a missing
field, a field of the wrong type or offsets that do not add up, is rejected as corrupt
(the caller re-parses).

Two formats.  One record per file (a dashboard upload, a few changed files) is plain JSON
with paragraphs stored as columns.  The pack of every record of a corpus is what a warm
load reads, 600,000 paragraphs at 10,000 documents, so it is built for that: a small JSON
head with the per-document fields as columns, one int64 array with four numbers per
paragraph (printed number, page span, lead, length of its UTF-8) and the UTF-8 of every
paragraph text, one after the other.  Loading it checks the text without decoding it (the
runs of non-ASCII bytes are decoded alone, the separators found where the lengths put them,
at numpy speed) and decodes it when the paragraphs are first read: a warm load or a
refresh never pays for 200 MB of strings.  Leads and page spans are a few hundred distinct
values, stored once each and shared by every paragraph that has them;
its checksum is two sums over 64-bit words at numpy speed, since SHA-256 over 200 MB alone
costs more than the rest of the load.  The checks run per column at C speed
(``set(map(type, column))``), never in a Python loop per paragraph.

Every function here works on bytes; reading and writing files is the caller's business.
"""
from __future__ import annotations

import datetime as _dt
import gc
import hashlib
import json
import mmap
import struct
import threading
from functools import partial
from itertools import chain, count, repeat
from operator import itemgetter

import numpy as np

from .reader import PARSER_VERSION
from .records import FIELDS, Paragraph, Problem, Resolution

MAGIC = b"UNRCACHE3-JSON\n"
FORMAT = f"unres-records/3 parser/{PARSER_VERSION}"
_HEAD = len(MAGIC) + 32
_NONE = type(None)
STR, INT, LIST = frozenset({str}), frozenset({int}), frozenset({list})
OPT_STR, OPT_INT = frozenset({str, _NONE}), frozenset({int, _NONE})
# Field -> allowed JSON types, compared by ``type()``, so a bool is never taken for an int.
_SCALARS = {"id": STR, "symbol": OPT_STR, "session": OPT_INT, "year": OPT_INT,
            "date": OPT_STR, "kind": STR, "title": STR, "agenda_item": OPT_STR,
            "committee_report": OPT_STR, "plenary_meeting": OPT_STR, "source": STR,
            "sha256": STR, "draft_symbol": OPT_STR}
_STR_LISTS = ("sponsors", "keywords", "footnotes", "warnings")
# Paragraph columns of each part; the operative part also has the printed numbers.
_WIDTH = {"preambular": 3, "operative": 4}      # [numbers,] leads, texts, pages
_KNOWN = set(_SCALARS) | set(_STR_LISTS) | set(_WIDTH)
_FIELD_ORDER = FIELDS
# A field added to Resolution must be added here, or its value would be lost on a warm load.
assert _KNOWN == set(_FIELD_ORDER), "cachefmt does not know every Resolution field"
# Paragraph._make is a Python function; this is the C-level tuple.__new__ it calls
_new_paragraph = partial(tuple.__new__, Paragraph)


class CorruptCache(ValueError):
    """The bytes are not a cache file of this format (truncated, tampered with, foreign)."""


# --- framing -------------------------------------------------------------------------------

def seal(payload: bytes) -> bytes:
    return MAGIC + hashlib.sha256(payload).digest() + payload


def unseal(blob: bytes) -> memoryview:
    payload = memoryview(blob)[_HEAD:]   # no copy of a 200 MB pack
    if len(blob) < _HEAD or not blob.startswith(MAGIC):
        raise CorruptCache("not a cache file of this format")
    if hashlib.sha256(payload).digest() != blob[len(MAGIC):_HEAD]:
        raise CorruptCache("checksum mismatch (truncated or corrupt)")
    return payload


def _dumps(obj) -> bytes:
    return json.dumps(obj, ensure_ascii=True, separators=(",", ":")).encode("ascii")


def _loads(payload: memoryview):
    try:
        return json.loads(str(payload, "ascii"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise CorruptCache(f"not valid JSON ({type(exc).__name__})") from None


# --- whole files ---------------------------------------------------------------------------

def dump_record(sha: str, rec: Resolution | Problem) -> bytes:
    return seal(_dumps({"format": FORMAT, "records": {sha: encode(rec)}}))


def load_record(blob: bytes, *, sha: str) -> Resolution | Problem:
    records = _load_json_records(blob)
    if records.keys() != {sha}:
        raise CorruptCache("not the record of this content")
    return records[sha]


def _load_json_records(blob: bytes) -> dict[str, Resolution | Problem]:
    obj = _loads(unseal(blob))
    if type(obj) is not dict or obj.keys() != {"format", "records"} or obj["format"] != FORMAT \
            or type(obj["records"]) is not dict:
        raise CorruptCache("not records of this format")
    return decode_all(obj["records"])


# --- records -------------------------------------------------------------------------------

def encode(rec: Resolution | Problem) -> dict:
    if isinstance(rec, Problem):
        return {"type": "problem", "source": rec.source, "reason": rec.reason}
    d = rec.to_dict(with_text=False)
    d["footnotes"] = list(rec.footnotes)
    pre, op = rec.preambular, rec.operative
    d["preambular"] = [[p.lead for p in pre], [p.text for p in pre], [list(p.pages) for p in pre]]
    d["operative"] = [[p.number for p in op], [p.lead for p in op], [p.text for p in op],
                      [list(p.pages) for p in op]]
    return {"type": "resolution", **d}


def decode_all(encoded: dict) -> dict[str, Resolution | Problem]:
    """sha -> the record ``encode`` wrote; CorruptCache on any missing field or wrong type."""
    out: dict[str, Resolution | Problem] = {}
    docs: list[dict] = []
    for sha, enc in encoded.items():
        kind = enc.pop("type", None) if type(enc) is dict else None
        if kind == "problem":
            out[sha] = _problem(enc)
        elif kind == "resolution" and enc.keys() == _KNOWN and enc["sha256"] == sha:
            docs.append(enc)
        else:
            raise CorruptCache("a record has the wrong fields or another content's hash")
    _check_fields(docs)
    for part, width in _WIDTH.items():
        _check_paragraphs(list(map(itemgetter(part), docs)), width, part)
    for enc in docs:
        out[enc["sha256"]] = _build(enc)
    return out


def _problem(enc: dict) -> Problem:
    if enc.keys() != {"source", "reason"} or type(enc["source"]) is not str \
            or type(enc["reason"]) is not str:
        raise CorruptCache("a problem record has the wrong fields")
    return Problem(enc["source"], enc["reason"])


def only_types(values, allowed: frozenset) -> bool:
    """Whether every value's type is one of ``allowed`` (`STR`, `INT`, ...), compared by
    ``type()`` at C speed, so a bool is never taken for an int.  Also the stat index's check."""
    return set(map(type, values)) <= allowed


def _check_fields(docs: list[dict]) -> None:
    for name, allowed in _SCALARS.items():
        if not only_types(map(itemgetter(name), docs), allowed):
            raise CorruptCache(f"field {name!r} has the wrong type")
    for name in _STR_LISTS:
        lists = list(map(itemgetter(name), docs))
        if not only_types(lists, LIST) or not only_types(chain.from_iterable(lists), STR):
            raise CorruptCache(f"field {name!r} has the wrong type")


def _check_paragraphs(parts: list, width: int, name: str) -> None:
    """``parts``: one value per document, each ``width`` equally long lists (the columns)."""
    if not only_types(parts, LIST) or set(map(len, parts)) - {width}:
        raise CorruptCache(f"field {name!r} has the wrong shape")
    columns = list(chain.from_iterable(parts))
    if not only_types(columns, LIST):
        raise CorruptCache(f"field {name!r} has the wrong shape")
    lengths = list(map(len, columns))
    if any(lengths[k::width] != lengths[::width] for k in range(1, width)):
        raise CorruptCache(f"field {name!r} has columns of different lengths")
    pages = list(chain.from_iterable(columns[width - 1::width]))
    if not (only_types(chain.from_iterable(columns[width - 3::width]), STR)         # leads
            and only_types(chain.from_iterable(columns[width - 2::width]), STR)     # texts
            and only_types(pages, LIST) and only_types(chain.from_iterable(pages), INT)
            and (width == 3 or only_types(chain.from_iterable(columns[::width]), OPT_INT))):
        raise CorruptCache(f"field {name!r} has the wrong type")


def _part(part: str, numbers, leads, texts, pages) -> tuple[Paragraph, ...]:
    """One part's paragraphs from its columns (numbered from 1)."""
    return tuple(map(_new_paragraph, zip(repeat(part), count(1), numbers, leads, texts, pages)))


def _build(enc: dict) -> Resolution:
    """A Resolution from a record that passed the checks (shapes and types are right)."""
    try:
        enc["date"] = _dt.date.fromisoformat(enc["date"]) if enc["date"] is not None else None
    except ValueError:
        raise CorruptCache("field 'date' is not a date") from None
    for name in _STR_LISTS:
        enc[name] = tuple(enc[name])
    leads, texts, pages = enc["preambular"]
    enc["preambular"] = _part("preambular", repeat(None), leads, texts, map(tuple, pages))
    numbers, leads, texts, pages = enc["operative"]
    enc["operative"] = _part("operative", numbers, leads, texts, map(tuple, pages))
    return Resolution(*map(enc.__getitem__, _FIELD_ORDER))   # positional: half the cost of **enc


# --- the pack: every record of a corpus, columnar ------------------------------------------

PACK_MAGIC = b"UNRPACK1-COLUMNS\n\0\0\0\0\0\0\0"     # 24 bytes: the arrays stay 8-byte aligned
PACK_FORMAT = f"unres-pack/2 parser/{PARSER_VERSION}"
_PACK_HEAD = struct.Struct("<QQQQQ")       # head, ints and text lengths; the two checksums
_NO_NUMBER = -(2**63)
_PER_PARAGRAPH = 4                          # number, page span, lead, text length
_BLOCK_WORDS = 512
_WORDS = np.dtype("<u8")
_INTS = np.dtype("<i8")
_HEAD_KEYS = {"format", "problems", "docs", "counts", "pages", "leads", "separator"}
# Paragraphs of a document are joined by a character none of the texts holds, so a load
# decodes one string per document and splits it at C speed: a fraction of the cost of
# 600,000 separate decodes.  Control characters the reader never leaves in a paragraph.
_SEPARATORS = "\x1f\x1e\x1d\x1c\x00"


def _checksum(payload: memoryview) -> tuple[int, int]:
    """Sum of the 64-bit words, and of the 4 KB blocks' sums weighted by position: any
    changed, lost or moved block shows (against accidents; a tamperer could rewrite any
    unkeyed checksum, so the type checks, not this, are what keep a load safe)."""
    whole = len(payload) // 8 * 8
    words = np.frombuffer(payload[:whole], dtype=_WORDS)
    tail = int.from_bytes(payload[whole:], "little")
    blocks = len(words) // _BLOCK_WORDS * _BLOCK_WORDS
    sums = words[:blocks].reshape(-1, _BLOCK_WORDS).sum(axis=1, dtype=_WORDS)
    weights = np.arange(1, len(sums) + 1, dtype=_WORDS)
    rest = int(words[blocks:].sum(dtype=_WORDS))
    mask = 2**64 - 1
    s1 = (int(sums.sum(dtype=_WORDS)) + rest + tail) & mask
    s2 = (int((sums * weights).sum(dtype=_WORDS)) + (len(sums) + 1) * (rest + tail)) & mask
    return s1, s2


def dump_pack(records: dict[str, Resolution | Problem]) -> bytes:
    docs = [r for r in records.values() if isinstance(r, Resolution)]
    problems = [[sha, r.source, r.reason] for sha, r in records.items() if isinstance(r, Problem)]
    head, ints, text = _pack_columns(docs)
    head["problems"] = problems
    meta = _dumps(head)
    meta += b" " * (-len(meta) % 8)       # numpy reads unaligned words many times slower
    payload = meta + ints + text
    sums = _checksum(memoryview(payload))
    return PACK_MAGIC + _PACK_HEAD.pack(len(meta), len(ints), len(text), *sums) + payload


def _pack_columns(docs: list[Resolution]) -> tuple[dict, bytes, bytes]:
    pages: dict[tuple, int] = {}
    leads: dict[str, int] = {}
    rows: list[int] = []
    texts: list[bytes] = []
    for d in docs:
        for p in d.paragraphs:
            texts.append(p.text.encode("utf-8", "surrogatepass"))
            rows += (_NO_NUMBER if p.number is None else p.number, pages.setdefault(p.pages, len(pages)),
                     leads.setdefault(p.lead, len(leads)), len(texts[-1]))
    sep = _separator(docs)
    if sep is not None:   # each document's paragraphs, joined
        parts = iter(texts)
        texts = [sep.encode().join([next(parts) for _ in d.paragraphs]) for d in docs]
    cols = {name: [getattr(d, name) for d in docs] for name in _SCALARS}
    cols["date"] = [d.date.isoformat() if d.date else None for d in docs]
    cols.update({name: [list(getattr(d, name)) for d in docs] for name in _STR_LISTS})
    head = {"format": PACK_FORMAT, "docs": cols, "leads": list(leads),
            "counts": [[len(d.preambular), len(d.operative)] for d in docs],
            "pages": [list(p) for p in pages], "separator": sep}
    return head, np.array(rows, dtype=_INTS).tobytes(), b"".join(texts)


def _separator(docs: list[Resolution]) -> str | None:
    for sep in _SEPARATORS:
        if not any(sep in p.text for d in docs for p in d.paragraphs):
            return sep
    return None       # then every paragraph is decoded on its own


def load_pack(blob: bytes | mmap.mmap) -> dict[str, Resolution | Problem]:
    """sha -> record; CorruptCache on a wrong frame, checksum, shape, type or offset."""
    head, ints, text_start = _unframe(blob)
    out: dict[str, Resolution | Problem] = {sha: rec for sha, rec in _pack_problems(head)}
    docs = _pack_docs(head, ints, blob, text_start)
    for doc in docs:
        if doc.sha256 in out:
            raise CorruptCache("two records of one content")
        out[doc.sha256] = doc
    return out


def _unframe(blob: bytes) -> tuple[dict, np.ndarray, int]:
    start = len(PACK_MAGIC) + _PACK_HEAD.size
    if len(blob) < start or blob[:len(PACK_MAGIC)] != PACK_MAGIC:     # bytes or an mmap
        raise CorruptCache("not a cache file of this format")
    meta_len, ints_len, text_len, *sums = _PACK_HEAD.unpack_from(blob, len(PACK_MAGIC))
    payload = memoryview(blob)[start:]
    if len(payload) != meta_len + ints_len + text_len or ints_len % (8 * _PER_PARAGRAPH) \
            or meta_len % 8:
        raise CorruptCache("sizes do not add up (truncated?)")
    if list(_checksum(payload)) != sums:
        raise CorruptCache("checksum mismatch (truncated or corrupt)")
    head = _loads(payload[:meta_len])
    if type(head) is not dict or head.keys() != _HEAD_KEYS or head["format"] != PACK_FORMAT:
        raise CorruptCache("not records of this format")
    ints = np.frombuffer(payload[meta_len:meta_len + ints_len], dtype=_INTS)
    return head, ints.reshape(-1, _PER_PARAGRAPH), start + meta_len + ints_len


def _pack_problems(head: dict):
    problems = head["problems"]
    if not only_types(problems, LIST) or set(map(len, problems)) - {3} \
            or not only_types(chain.from_iterable(problems), STR):
        raise CorruptCache("a problem record has the wrong fields")
    return ((sha, Problem(source, reason)) for sha, source, reason in problems)


def _pack_docs(head: dict, ints: np.ndarray, blob: bytes, text_start: int) -> list[Resolution]:
    cols, counts = head["docs"], head["counts"]
    if type(cols) is not dict or cols.keys() != set(_SCALARS) | set(_STR_LISTS):
        raise CorruptCache("a record has the wrong fields")
    n = len(counts)
    if not only_types(counts, LIST) or set(map(len, counts)) - {2} \
            or not only_types(chain.from_iterable(counts), INT) \
            or any(type(c) is not list or len(c) != n for c in cols.values()):
        raise CorruptCache("field 'counts' has the wrong shape")
    _check_columns(cols)
    parts = np.array(counts, dtype=_INTS).reshape(-1, 2)
    if (parts < 0).any() or int(parts.sum()) != len(ints):
        raise CorruptCache("paragraph counts do not add up")
    _check_offsets(head, ints)
    sep = head["separator"]
    if sep is not None and not (type(sep) is str and len(sep) == 1 and sep in _SEPARATORS):
        raise CorruptCache("field 'separator' has the wrong type")
    layout = _Layout(blob, text_start, ints, parts.sum(axis=1), sep)
    _check_text(layout, ints[:, 3])
    return _build_docs(cols, parts, layout, head)


def _check_columns(cols: dict) -> None:
    for name, allowed in _SCALARS.items():
        if not only_types(cols[name], allowed):
            raise CorruptCache(f"field {name!r} has the wrong type")
    for name in _STR_LISTS:
        if not only_types(cols[name], LIST) or not only_types(chain.from_iterable(cols[name]), STR):
            raise CorruptCache(f"field {name!r} has the wrong type")
    if len(set(cols["sha256"])) != len(cols["sha256"]):
        raise CorruptCache("two records of one content")


def _check_offsets(head: dict, ints: np.ndarray) -> None:
    _, spans, lead_ids, text_len = ints.T
    table, lead_table = head["pages"], head["leads"]
    if not only_types(table, LIST) or not only_types(chain.from_iterable(table), INT) \
            or not only_types(lead_table, STR):
        raise CorruptCache("field 'pages' or 'leads' has the wrong type")
    if len(ints) and (spans.min() < 0 or spans.max() >= len(table) or text_len.min() < 0
                      or lead_ids.min() < 0 or lead_ids.max() >= len(lead_table)):
        raise CorruptCache("paragraph offsets out of range")


class _Layout:
    """Where each unit of text lies in the pack: a document's paragraphs joined by ``sep``,
    or each paragraph on its own when there is no separator.  ``ends``: offsets from the
    start of the text, as ``text_len`` (the fourth number of each paragraph) says."""

    def __init__(self, blob, text_start: int, ints: np.ndarray, per_doc: np.ndarray, sep):
        self.blob, self.text_start, self.ints, self.sep = blob, text_start, ints, sep
        self.per_doc = per_doc
        self.sizes = _unit_sizes(ints[:, 3], per_doc, sep)
        self.ends = np.cumsum(self.sizes)
        if (int(self.ends[-1]) if len(self.ends) else 0) != len(blob) - text_start:
            raise CorruptCache("text sizes do not add up")

    @property
    def text(self) -> memoryview:
        return memoryview(self.blob)[self.text_start:]


def _unit_sizes(text_len: np.ndarray, per_doc: np.ndarray, sep: str | None) -> np.ndarray:
    """Bytes of each unit of text: each document's (its paragraphs and the separators between
    them), or each paragraph's when there is no separator."""
    if sep is None:
        return np.array(text_len)     # a copy: the pack's own column may change
    firsts = np.cumsum(per_doc) - per_doc
    cum = np.concatenate([np.zeros(1, dtype=_INTS), np.cumsum(text_len)])
    return cum[firsts + per_doc] - cum[firsts] + np.maximum(per_doc - 1, 0)   # separators: 1 byte


# Bytes compared at a time when separators are counted: a buffer reused for each step stays
# in the processor's cache, and no temporary as large as the 200 MB of text is allocated.
_CHUNK = 1 << 21
# Non-ASCII bytes are looked for by blocks: an OR of a block's words tells the blocks of
# ASCII alone (nearly all of them), and only the others are looked at closer: their 64-byte
# pieces likewise, then the bytes of the pieces that hold any.
_BLOCK_BYTES, _PIECE_WORDS = 512, 8
_HIGH_BITS = np.uint64(0x8080808080808080)


def _high_bytes(arr: np.ndarray) -> np.ndarray:
    """Offsets of the bytes >= 0x80 of ``arr`` (uint8): all of UTF-8's multi-byte sequences."""
    body = len(arr) // _BLOCK_BYTES * _BLOCK_BYTES
    blocks = arr[:body].view(_WORDS).reshape(-1, _BLOCK_BYTES // 8)
    flagged = _with_high_bits(blocks)
    pieces = blocks[flagged].reshape(-1, _PIECE_WORDS)
    held = _with_high_bits(pieces)
    rows, cols = np.nonzero(pieces[held].view(np.uint8) >= 0x80)
    per_block = _BLOCK_BYTES // (8 * _PIECE_WORDS)
    starts = flagged[held // per_block] * _BLOCK_BYTES + held % per_block * (8 * _PIECE_WORDS)
    tail = np.flatnonzero(arr[body:] >= 0x80) + body
    return np.concatenate([starts[rows] + cols, tail])


def _with_high_bits(rows: np.ndarray) -> np.ndarray:
    """Indices of the rows (of 64-bit words) holding a byte >= 0x80."""
    return np.flatnonzero(np.bitwise_or.reduce(rows, axis=1) & _HIGH_BITS)


def _count_byte(arr: np.ndarray, value: int) -> int:
    mask = np.empty(min(_CHUNK, len(arr)), dtype=bool)
    total = 0
    for a in range(0, len(arr), _CHUNK):
        chunk = arr[a:a + _CHUNK]
        total += np.count_nonzero(np.equal(chunk, value, out=mask[:len(chunk)]))
    return total


def _check_text(layout: _Layout, text_len: np.ndarray) -> None:
    """Refuse now, at load, a text that is not UTF-8 or whose separators are not exactly
    where the paragraph lengths put them, without decoding 200 MB: the paragraphs are
    decoded when first read (`_PackedParagraphs`)."""
    text = layout.text
    arr = np.frombuffer(text, dtype=np.uint8)
    _check_utf8(text, _high_bytes(arr), layout.ends)
    if layout.sep is not None:
        # a separator at each place it must be, and as many as there are places: none elsewhere
        where = _separator_offsets(text_len, layout.per_doc)
        if not (arr[where] == ord(layout.sep)).all() or _count_byte(arr, ord(layout.sep)) != len(where):
            raise CorruptCache("paragraph texts do not match their counts")


def _check_utf8(text: memoryview, high: np.ndarray, ends: np.ndarray) -> None:
    """Each unit's text is UTF-8 when each run of its bytes >= 0x80 is (ASCII bytes are
    UTF-8 on their own): the runs, an ASCII space between any two, are decoded as one string
    of a few hundred KB.  The space ends any sequence a run leaves unfinished, as the
    unit's end would, so an invalid run is as invalid here as in its own text."""
    if not len(high):
        return
    unit = np.searchsorted(ends, high, side="right")
    breaks = np.flatnonzero((np.diff(high) != 1) | (np.diff(unit) != 0)) + 1
    runs = np.insert(np.frombuffer(text, dtype=np.uint8)[high], breaks, 0x20)
    try:
        runs.tobytes().decode("utf-8", "surrogatepass")
    except UnicodeDecodeError:
        raise CorruptCache("paragraph text is not UTF-8") from None


def _separator_offsets(text_len: np.ndarray, per_doc: np.ndarray) -> np.ndarray:
    """Where the separators must be: after every paragraph but the last of its document."""
    ends = np.cumsum(text_len)
    nonempty = per_doc > 0
    doc_of = np.repeat(np.arange(len(per_doc)), per_doc)
    # bytes before a paragraph: the texts and the separators of the paragraphs before it,
    # one per paragraph but the last of each earlier document
    offsets = ends + np.arange(len(ends)) - (np.cumsum(nonempty) - nonempty)[doc_of]
    last = np.zeros(len(ends), dtype=bool)
    last[(np.cumsum(per_doc) - 1)[nonempty]] = True
    return offsets[~last]


def _build_docs(cols: dict, parts: np.ndarray, layout: _Layout, head: dict) -> list[Resolution]:
    """The records, their paragraphs deferred (`Resolution.deferred`)."""
    try:
        cols["date"] = [_dt.date.fromisoformat(v) if v is not None else None for v in cols["date"]]
    except ValueError:
        raise CorruptCache("field 'date' is not a date") from None
    for name in _STR_LISTS:
        cols[name] = list(map(tuple, cols[name]))
    cols["preambular"], cols["operative"] = repeat((), len(parts)), repeat((), len(parts))
    packed = _PackedParagraphs(layout, parts, head["leads"], head["pages"])
    bodies = map(partial, repeat(packed.of), range(len(parts)))
    return list(map(Resolution.deferred, zip(*map(cols.__getitem__, _FIELD_ORDER)), bodies))


class _PackedParagraphs:
    """The paragraphs of every document of a pack, built together when the first of them is
    read.  A warm start that only needs the documents' fields (listings, series, a refresh
    after one file changed) never pays for 600,000 paragraphs nor decodes their 200 MB of
    text; the first analysis pays once, with the collector paused and the result frozen out
    of it, as an eager load did: built one document at a time, each of the few full
    collections on the way would walk every paragraph built so far (named tuples are never
    untracked), more than doubling the cost.

    The pack is memory-mapped and read again here: a file rewritten in place since its checks
    (our writers replace it whole, so only another tool could) would show, so what is read
    is checked again (sizes, offsets, UTF-8, separators), and a change is CorruptCache."""

    def __init__(self, layout: _Layout, parts: np.ndarray, leads: list[str], pages: list[list[int]]):
        self._source = (layout, parts, leads, pages)
        self._built: list[tuple[tuple, tuple]] | None = None
        self._lock = threading.Lock()

    def of(self, i: int) -> tuple[tuple[Paragraph, ...], tuple[Paragraph, ...]]:
        if self._built is None:
            with self._lock:    # two sessions of a dashboard: one builds, the other waits
                if self._built is None:
                    self._built = self._build(*self._source)
                    self._source = None    # and with it the pack's mapping
        return self._built[i]

    @staticmethod
    def _build(layout: _Layout, parts, lead_table, page_table) -> list[tuple[tuple, tuple]]:
        was = gc.isenabled()
        gc.disable()
        try:
            ints, texts = _reread(layout, lead_table, page_table)
            numbers = ints[:, 0].tolist()
            for i in np.flatnonzero(ints[:, 0] == _NO_NUMBER).tolist():
                numbers[i] = None
            page_table = list(map(tuple, page_table))
            leads = list(map(lead_table.__getitem__, ints[:, 2].tolist()))
            pages = list(map(page_table.__getitem__, ints[:, 1].tolist()))
            out, k = [], 0
            for n_pre, n_op in parts.tolist():
                mid, end = k + n_pre, k + n_pre + n_op
                out.append((
                    _part("preambular", repeat(None), leads[k:mid], texts[k:mid], pages[k:mid]),
                    _part("operative", numbers[mid:end], leads[mid:end], texts[mid:end], pages[mid:end])))
                k = end
        finally:
            if was:
                gc.enable()
        gc.freeze()     # immutable, acyclic and long-lived: see the corpus loader's read_pack
        return out


_CHANGED = "the cache file changed after it was loaded"


def _reread(layout: _Layout, lead_table: list, page_table: list) -> tuple[np.ndarray, list[str]]:
    """The paragraphs' numbers (a private copy) and texts, read again from the pack and
    checked again against what its load checked."""
    size = getattr(layout.blob, "size", None)     # an mmap: its file may have shrunk since
    if size is not None and size() != len(layout.blob):
        raise CorruptCache(_CHANGED)              # reading past the file's end would crash
    ints = layout.ints.copy()
    try:
        _check_offsets({"pages": page_table, "leads": lead_table}, ints)
    except CorruptCache:
        raise CorruptCache(_CHANGED) from None
    if not np.array_equal(_unit_sizes(ints[:, 3], layout.per_doc, layout.sep), layout.sizes):
        raise CorruptCache(_CHANGED)
    try:
        return ints, _decode_units(layout)
    except UnicodeDecodeError:
        raise CorruptCache(_CHANGED) from None


def _decode_units(layout: _Layout) -> list[str]:
    """Every paragraph's text: each document's decoded and split at its separator (a
    fraction of the cost of 600,000 decodes), or each paragraph's own bytes decoded."""
    text, sep = layout.text, layout.sep
    bounds = zip((layout.ends - layout.sizes).tolist(), layout.ends.tolist())
    if sep is None:
        return [str(text[a:b], "utf-8", "surrogatepass") for a, b in bounds]
    out: list[str] = []
    for (a, b), n in zip(bounds, layout.per_doc.tolist()):
        if n:    # "" is the joined string of no paragraph and of one empty paragraph
            got = str(text[a:b], "utf-8", "surrogatepass").split(sep)
            if len(got) != n:
                raise CorruptCache(_CHANGED)
            out += got
    return out
