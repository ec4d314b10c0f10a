"""The cache's on-disk format: JSON data, checksummed, type-checked on read; never code.

A cache folder may be shared, copied or tampered with, so reading it must never run
anything: records are plain JSON (no pickle), and a file that does not parse, or holds a
missing field or a field of the wrong type, is rejected as corrupt (the caller re-parses).

A warm load decodes some 600,000 paragraphs at 10,000 documents, and must stay as fast as
unpickling was.  Hence paragraphs are stored as columns (all leads, all texts, ...) rather
than one object each, the JSON is pure ASCII (decoding a str with one non-Latin-1 character
widens all of it), and the checks run per field over all records at once, at C speed
(``set(map(type, column))``), instead of a Python loop per paragraph.

Every function here works on bytes; reading and writing files is the caller's business.
"""
from __future__ import annotations

import datetime as _dt
import hashlib
import json
from dataclasses import fields
from functools import partial
from itertools import chain, count, repeat
from operator import itemgetter

from .reader import PARSER_VERSION
from .records import Paragraph, Problem, Resolution

MAGIC = b"UNRCACHE3-JSON\n"
FORMAT = f"unres-records/3 parser/{PARSER_VERSION}"
_HEAD = len(MAGIC) + 32
_NONE = type(None)
_STR, _INT, _LIST = frozenset({str}), frozenset({int}), frozenset({list})
_OPT_STR, _OPT_INT = frozenset({str, _NONE}), frozenset({int, _NONE})
# Field -> allowed JSON types, compared by ``type()``, so a bool is never taken for an int.
_SCALARS = {"id": _STR, "symbol": _OPT_STR, "session": _OPT_INT, "year": _OPT_INT,
            "date": _OPT_STR, "kind": _STR, "title": _STR, "agenda_item": _OPT_STR,
            "committee_report": _OPT_STR, "plenary_meeting": _OPT_STR, "source": _STR,
            "sha256": _STR, "draft_symbol": _OPT_STR}
_STR_LISTS = ("sponsors", "keywords", "footnotes", "warnings")
# Paragraph columns of each part; the operative part also has the printed numbers.
_WIDTH = {"preambular": 3, "operative": 4}      # [numbers,] leads, texts, pages
_KNOWN = set(_SCALARS) | set(_STR_LISTS) | set(_WIDTH)
_FIELD_ORDER = tuple(f.name for f in fields(Resolution))
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
    records = load_pack(blob)
    if records.keys() != {sha}:
        raise CorruptCache("not the record of this content")
    return records[sha]


def dump_pack(records: dict[str, Resolution | Problem]) -> bytes:
    return seal(_dumps({"format": FORMAT, "records": {sha: encode(r) for sha, r in records.items()}}))


def load_pack(blob: bytes) -> dict[str, Resolution | Problem]:
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


def _only(values, allowed: frozenset) -> bool:
    return set(map(type, values)) <= allowed


def _check_fields(docs: list[dict]) -> None:
    for name, allowed in _SCALARS.items():
        if not _only(map(itemgetter(name), docs), allowed):
            raise CorruptCache(f"field {name!r} has the wrong type")
    for name in _STR_LISTS:
        lists = list(map(itemgetter(name), docs))
        if not _only(lists, _LIST) or not _only(chain.from_iterable(lists), _STR):
            raise CorruptCache(f"field {name!r} has the wrong type")


def _check_paragraphs(parts: list, width: int, name: str) -> None:
    """``parts``: one value per document, each ``width`` equally long lists (the columns)."""
    if not _only(parts, _LIST) or set(map(len, parts)) - {width}:
        raise CorruptCache(f"field {name!r} has the wrong shape")
    columns = list(chain.from_iterable(parts))
    if not _only(columns, _LIST):
        raise CorruptCache(f"field {name!r} has the wrong shape")
    lengths = list(map(len, columns))
    if any(lengths[k::width] != lengths[::width] for k in range(1, width)):
        raise CorruptCache(f"field {name!r} has columns of different lengths")
    pages = list(chain.from_iterable(columns[width - 1::width]))
    if not (_only(chain.from_iterable(columns[width - 3::width]), _STR)         # leads
            and _only(chain.from_iterable(columns[width - 2::width]), _STR)     # texts
            and _only(pages, _LIST) and _only(chain.from_iterable(pages), _INT)
            and (width == 3 or _only(chain.from_iterable(columns[::width]), _OPT_INT))):
        raise CorruptCache(f"field {name!r} has the wrong type")


def _build(enc: dict) -> Resolution:
    """A Resolution from a record that passed the checks (shapes and types are right)."""
    try:
        enc["date"] = _dt.date.fromisoformat(enc["date"]) if enc["date"] is not None else None
    except ValueError:
        raise CorruptCache("field 'date' is not a date") from None
    for name in _STR_LISTS:
        enc[name] = tuple(enc[name])
    leads, texts, pages = enc["preambular"]
    enc["preambular"] = tuple(map(_new_paragraph, zip(
        repeat("preambular"), count(1), repeat(None), leads, texts, map(tuple, pages))))
    numbers, leads, texts, pages = enc["operative"]
    enc["operative"] = tuple(map(_new_paragraph, zip(
        repeat("operative"), count(1), numbers, leads, texts, map(tuple, pages))))
    return Resolution(*map(enc.__getitem__, _FIELD_ORDER))   # positional: half the cost of **enc
