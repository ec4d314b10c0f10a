"""The cache holds data, never code: whatever is put in the cache folder is never executed,
and a file that is not exactly what the loader writes is rebuilt with a note."""
import ast
import dataclasses
import datetime as dt
import hashlib
import json
import pickle
from pathlib import Path

import pytest

from analytics import cachefmt
from analytics import corpus as corpus_mod
from analytics.corpus import _pack_path, _record_path, load_corpus
from analytics.reader import PARSER_VERSION
from analytics.records import Paragraph, Problem, Resolution

ROOT = Path(__file__).resolve().parent.parent


class Payload:
    """Unpickling this creates the marker file: proof that the cache ran code."""

    def __init__(self, marker: Path):
        self.marker = str(marker)

    def __reduce__(self):
        return (open, (self.marker, "w"))


def evil_pickle(marker: Path) -> bytes:
    return pickle.dumps({"x": Payload(marker)})


def test_a_malicious_pickle_anywhere_in_the_cache_is_never_run(work, tmp_path):
    corpus_dir, cache = work
    cold = load_corpus(corpus_dir, cache_dir=cache, workers=1)
    marker = tmp_path / "pwned"
    blob = evil_pickle(marker)
    doc = cold.get("A-RES-65-232")
    _pack_path(cache).write_bytes(blob)                                       # raw pickle
    _record_path(cache, doc.sha256).write_bytes(cachefmt.seal(blob))          # right frame and checksum
    # where the pickle-era loader kept its pack, in its own frame with a valid checksum
    old_pack = cache / f"records-v{PARSER_VERSION}" / "pack.pkl"
    old_pack.parent.mkdir(exist_ok=True)
    old_pack.write_bytes(b"UNRCACHE1\n" + hashlib.sha256(blob).digest() + blob)
    corpus_mod._MEMO.clear()
    again = load_corpus(corpus_dir, cache_dir=cache, workers=1)
    assert not marker.exists()
    assert again.documents == cold.documents and again.parsed == 1
    assert any("pack.bin" in n and "corrupt" in n for n in again.notes)
    assert any("A-RES-65-232.txt" in n and "corrupt" in n for n in again.notes)


def test_the_loader_cannot_unpickle():
    # stronger than any payload test: the modules that read the cache never import a code loader
    for module in ("corpus.py", "cachefmt.py"):
        tree = ast.parse((ROOT / "analytics" / module).read_text())
        imported = {a.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import)
                    for a in node.names}
        imported |= {(node.module or "").split(".")[0] for node in ast.walk(tree)
                     if isinstance(node, ast.ImportFrom)}
        assert not imported & {"pickle", "marshal", "shelve", "dill", "cloudpickle", "joblib"}, module


def test_cache_files_are_plain_data(work):
    corpus_dir, cache = work
    cold = load_corpus(corpus_dir, cache_dir=cache, workers=1)
    head = len(cachefmt.MAGIC) + 32
    for path in [_record_path(cache, d.sha256) for d in cold.documents]:
        obj = json.loads(path.read_bytes()[head:])
        assert obj["format"] == cachefmt.FORMAT and isinstance(obj["records"], dict)
    # the pack: a JSON head, then int64 numbers and UTF-8 text, nothing else
    meta, ints, text = _pack_parts(_pack_path(cache).read_bytes())
    assert json.loads(meta)["format"] == cachefmt.PACK_FORMAT
    assert len(ints) == 8 * 4 * sum(len(d.paragraphs) for d in cold.documents)
    sep = json.loads(meta)["separator"]
    texts = [sep.join(p.text for p in d.paragraphs) for d in cold.documents]   # one string each
    decoded = text.decode("utf-8")
    assert len(decoded) == sum(map(len, texts)) and all(t in decoded for t in texts)


_FRAME = len(cachefmt.PACK_MAGIC) + cachefmt._PACK_HEAD.size


def _pack_parts(blob: bytes) -> tuple[bytes, bytes, bytes]:
    meta_len, ints_len, _, _, _ = cachefmt._PACK_HEAD.unpack_from(blob, len(cachefmt.PACK_MAGIC))
    payload = blob[_FRAME:]
    return payload[:meta_len], payload[meta_len:meta_len + ints_len], payload[meta_len + ints_len:]


def _repack(path: Path, *, head=None, ints=None, text=None) -> None:
    """Edit a pack's parts and write it back with valid sizes and checksum, as a tamperer
    (or a buggy tool) would."""
    meta, old_ints, old_text = _pack_parts(path.read_bytes())
    obj = json.loads(meta)
    if head:
        head(obj)
    meta = json.dumps(obj).encode()
    meta += b" " * (-len(meta) % 8)
    ints = ints(bytearray(old_ints)) if ints else old_ints
    text = text(old_text) if text else old_text
    payload = bytes(meta) + bytes(ints) + bytes(text)
    sums = cachefmt._checksum(memoryview(payload))
    path.write_bytes(cachefmt.PACK_MAGIC + cachefmt._PACK_HEAD.pack(len(meta), len(ints), len(text), *sums)
                     + payload)


def _set_int(column: int, value: int):
    def edit(ints: bytearray) -> bytearray:
        ints[8 * column:8 * column + 8] = value.to_bytes(8, "little", signed=True)
        return ints
    return edit


def _reseal(path: Path, edit) -> None:
    """Apply ``edit`` to a cache file's JSON and write it back with a valid checksum, as a
    tamperer (or a buggy tool) would."""
    obj = json.loads(cachefmt.unseal(path.read_bytes()).tobytes())
    edit(obj)
    path.write_bytes(cachefmt.seal(json.dumps(obj).encode()))


def _rec(obj) -> dict:
    return next(iter(obj["records"].values()))


def _at(text: bytes, i: int, new: bytes) -> bytes:
    """``text`` with the bytes at ``i`` replaced by ``new`` (same length: sizes still add up)."""
    return text[:i] + new + text[i + len(new):]


def _move_first_separator(text: bytes) -> bytes:
    i = text.index(b"\x1f")
    return text[:i] + text[i + 1:i + 2] + b"\x1f" + text[i + 2:]


TAMPERINGS = {
    "session as text": lambda o: _rec(o).update(session="sixty-fifth"),
    "bool for an int": lambda o: _rec(o).update(year=True),
    "sponsors not strings": lambda o: _rec(o).update(sponsors=[1, 2]),
    "date not a date": lambda o: _rec(o).update(date="yesterday"),
    "missing field": lambda o: _rec(o).pop("title"),
    "unknown field": lambda o: _rec(o).update(extra="x"),
    "text a number": lambda o: _rec(o)["operative"][2].__setitem__(0, 42),
    "page a string": lambda o: _rec(o)["preambular"][2].__setitem__(0, ["1"]),
    "columns of different lengths": lambda o: _rec(o)["operative"][1].pop(),
    "filed under another hash": lambda o: _rec(o).update(sha256="0" * 64),
    "a record that is a list": lambda o: o["records"].update({k: [] for k in o["records"]}),
    "a foreign format": lambda o: o.update(format="someone else's"),
    "not an object": lambda o: o.clear(),
}


@pytest.mark.parametrize("tamper", TAMPERINGS, ids=list(TAMPERINGS))
def test_a_record_of_wrong_types_is_corrupt_and_re_parsed(work, tamper):
    corpus_dir, cache = work
    cold = load_corpus(corpus_dir, cache_dir=cache, workers=1)
    doc = cold.get("A-RES-65-232")
    _pack_path(cache).unlink()       # so the record file is what the next load reads
    _reseal(_record_path(cache, doc.sha256), TAMPERINGS[tamper])
    corpus_mod._MEMO.clear()
    again = load_corpus(corpus_dir, cache_dir=cache, workers=1)
    assert again.parsed == 1 and again.documents == cold.documents
    [note] = again.notes
    assert note.startswith(f"cache file {doc.sha256}.json for A-RES-65-232.txt was corrupt (")
    assert note.endswith("); re-parsed")
    clean = load_corpus(corpus_dir, cache_dir=cache, workers=1)   # and it was rebuilt
    assert clean.notes == () and clean.parsed == 0


PACK_TAMPERINGS = {
    "session as text": (dict(head=lambda o: o["docs"]["session"].__setitem__(0, "x")),
                        "field 'session' has the wrong type"),
    "a field missing": (dict(head=lambda o: o["docs"].pop("title")), "a record has the wrong fields"),
    "counts that do not add up": (dict(head=lambda o: o["counts"][0].__setitem__(0, 1000)),
                                  "paragraph counts do not add up"),
    "negative count": (dict(head=lambda o: o["counts"][0].__setitem__(0, -1)),
                       "paragraph counts do not add up"),
    "lead out of range": (dict(ints=_set_int(2, 10**6)), "paragraph offsets out of range"),
    "page span out of range": (dict(ints=_set_int(1, -1)), "paragraph offsets out of range"),
    "text longer than the pack": (dict(ints=_set_int(3, 10**9)), "text sizes do not add up"),
    "text not UTF-8": (dict(text=lambda t: b"\xff" + t[1:]), "paragraph text is not UTF-8"),
    # checked without decoding the text: each run of bytes >= 0x80 is decoded on its own
    "a lone continuation byte deep in the text": (dict(text=lambda t: _at(t, len(t) // 2, b"\x80")),
                                                  "paragraph text is not UTF-8"),
    "a sequence cut short before an ASCII byte": (dict(text=lambda t: _at(t, 1000, b"\xe2\x80")),
                                                  "paragraph text is not UTF-8"),
    "a separator more": (dict(text=lambda t: _at(t, 700, b"\x1f")),
                         "paragraph texts do not match their counts"),
    "a separator moved": (dict(text=_move_first_separator), "paragraph texts do not match their counts"),
    "a foreign format": (dict(head=lambda o: o.update(format="someone else's")),
                         "not records of this format"),
}


@pytest.mark.parametrize("tamper", PACK_TAMPERINGS, ids=list(PACK_TAMPERINGS))
def test_a_pack_of_wrong_types_is_rebuilt(work, tamper):
    corpus_dir, cache = work
    cold = load_corpus(corpus_dir, cache_dir=cache, workers=1)
    edits, reason = PACK_TAMPERINGS[tamper]
    _repack(_pack_path(cache), **edits)
    corpus_mod._MEMO.clear()
    again = load_corpus(corpus_dir, cache_dir=cache, workers=1)
    assert again.documents == cold.documents
    assert again.notes == (f"cache {_pack_path(cache)} was corrupt ({reason}); rebuilt",)
    corpus_mod._MEMO.clear()
    assert load_corpus(corpus_dir, cache_dir=cache, workers=1).notes == ()


@pytest.mark.parametrize("where", [0.3, 0.9])
def test_a_flipped_byte_in_the_pack_is_caught_by_its_checksum(work, where):
    corpus_dir, cache = work
    cold = load_corpus(corpus_dir, cache_dir=cache, workers=1)
    blob = bytearray(_pack_path(cache).read_bytes())
    blob[int(len(blob) * where)] ^= 0x20          # "e" <-> "E": still valid UTF-8
    _pack_path(cache).write_bytes(bytes(blob))
    corpus_mod._MEMO.clear()
    again = load_corpus(corpus_dir, cache_dir=cache, workers=1)
    assert again.documents == cold.documents
    assert again.notes == (f"cache {_pack_path(cache)} was corrupt (checksum mismatch (truncated or "
                           "corrupt)); rebuilt",)


def _every_field_set() -> Resolution:
    return Resolution(
        id="A-RES-70-1", symbol="A/RES/70/1", session=70, year=2015, date=dt.date(2015, 12, 17),
        kind="resolution", title="Title “quoted” – é", sponsors=("France", "Côte d’Ivoire"),
        agenda_item="108", committee_report="A/70/490", plenary_meeting="80th", keywords=("crime",),
        source="x.pdf", sha256="ab" * 32,
        preambular=(Paragraph("preambular", 1, None, "Recalling", "Recalling its resolution,", (1,)),),
        operative=(Paragraph("operative", 1, 1, "Decides", "Decides to act;", (1, 2)),
                   Paragraph("operative", 2, None, "Requests", "Requests a report.", ())),
        footnotes=("1 See A/69/1.",), warnings=("odd layout",), draft_symbol="A/C.3/70/L.5")


def test_every_field_round_trips():
    rec = _every_field_set()
    assert cachefmt.load_record(cachefmt.dump_record(rec.sha256, rec), sha=rec.sha256) == rec
    prob = Problem("x.txt", "empty file")
    assert cachefmt.load_record(cachefmt.dump_record("cd" * 32, prob), sha="cd" * 32) == prob


def test_the_bundled_and_real_documents_round_trip(corpus):
    fixtures = sorted((ROOT / "tests" / "fixtures" / "real").glob("*.pdf"))[:6]
    from analytics.reader import parse_bytes
    docs = list(corpus.documents) + [parse_bytes(p.read_bytes(), source=p.name) for p in fixtures]
    packed = {d.sha256: d for d in docs}
    assert cachefmt.load_pack(cachefmt.dump_pack(packed)) == packed


def test_the_pack_round_trips_texts_holding_its_separators_and_empty_documents():
    rec = _every_field_set()
    odd = dataclasses.replace(rec, sha256="cd" * 32, id="odd", preambular=(), operative=(
        Paragraph("operative", 1, 1, "Decides", "Decides \x1f\x1e\x1d\x1c\x00 oddly;", ()),))
    empty = dataclasses.replace(rec, sha256="ef" * 32, id="empty", preambular=(), operative=())
    # one paragraph of no text: its document's joined string is "", like an empty document's
    blank = dataclasses.replace(rec, sha256="12" * 32, id="blank", preambular=(), operative=(
        Paragraph("operative", 1, 1, "", "", ()),))
    for records in ({rec.sha256: rec, odd.sha256: odd, empty.sha256: empty},   # no separator free
                    {blank.sha256: blank, rec.sha256: rec, empty.sha256: empty},
                    {empty.sha256: empty}, {}):
        loaded = cachefmt.load_pack(cachefmt.dump_pack(records))
        assert loaded == records
        assert [d.paragraphs for d in loaded.values()] == [d.paragraphs for d in records.values()]


def _docs_with(texts: list[str]) -> dict:
    rec = _every_field_set()
    out = {}
    for k, text in enumerate(texts):
        doc = dataclasses.replace(rec, sha256=f"{k:064x}", id=f"d{k}",
                                  preambular=(Paragraph("preambular", 1, None, "Recalling", text, ()),),
                                  operative=(Paragraph("operative", 1, 1, "Decides", text, ()),))
        out[doc.sha256] = doc
    return out


def test_a_multi_byte_sequence_across_two_documents_is_not_utf8():
    # "é" is C3 A9: the first document ends with C3, the next begins with A9.  The bytes are
    # UTF-8 as a whole, but neither document's text is, and each is decoded on its own.
    blob = bytearray(cachefmt.dump_pack(_docs_with(["abc\u00e9", "\u00e9xyz"])))
    text = blob.rindex("\u00e9".encode())
    first = blob.index("\u00e9".encode())
    blob[first:first + 2], blob[text:text + 2] = b"a\xc3", b"\xa9a"
    _refresh_checksum(blob)
    with pytest.raises(cachefmt.CorruptCache, match="not UTF-8"):
        cachefmt.load_pack(bytes(blob))


def _refresh_checksum(blob: bytearray) -> None:
    start = len(cachefmt.PACK_MAGIC)
    meta, ints, text, _, _ = cachefmt._PACK_HEAD.unpack_from(blob, start)
    sums = cachefmt._checksum(memoryview(bytes(blob[_FRAME:])))
    cachefmt._PACK_HEAD.pack_into(blob, start, meta, ints, text, *sums)


def test_texts_of_every_kind_of_character_round_trip_lazily():
    texts = ["plain", "caf\u00e9 \u201cquoted\u201d \u2013 \U0001f600", "\ud800 lone surrogate",
             "x" * 600 + "\u00e9", "\u00e9" * 300, ""]
    records = _docs_with(texts)
    loaded = cachefmt.load_pack(cachefmt.dump_pack(records))
    assert [p.text for d in loaded.values() for p in d.paragraphs] == [t for t in texts for _ in (0, 1)]


def test_high_bytes_are_found_in_every_position():
    import numpy as np
    rng = np.random.default_rng(0)
    for size in (0, 7, 511, 512, 513, 4096 + 77):
        arr = rng.integers(0, 128, size, dtype=np.uint8)
        arr[rng.integers(0, max(size, 1), size // 50)] = 0xC3 if size else 0
        arr[-1:] = 0x80
        assert cachefmt._high_bytes(arr).tolist() == np.flatnonzero(arr >= 0x80).tolist()


def _pack_in_memory() -> tuple[bytearray, dict]:
    records = _docs_with(["Recalling \u00e9 the text", "another text"])
    return bytearray(cachefmt.dump_pack(records)), records


def test_a_pack_changed_in_place_after_its_load_is_refused_when_its_paragraphs_are_built():
    # The pack is memory-mapped and its texts decoded on first read: a change made in the
    # meantime (by another tool: our writers replace the file whole) is seen and refused.
    blob, records = _pack_in_memory()
    loaded = cachefmt.load_pack(blob)
    i = blob.rindex(b"another")
    blob[i:i + 2] = b"\xff\xff"
    doc = next(iter(loaded.values()))
    with pytest.raises(cachefmt.CorruptCache, match="changed after it was loaded"):
        doc.operative
    blob[i:i + 2] = b"an"          # as it was: the paragraphs build
    assert loaded == records


def test_a_changed_paragraph_number_after_the_load_is_refused():
    blob, _ = _pack_in_memory()
    loaded = cachefmt.load_pack(blob)
    meta_len = cachefmt._PACK_HEAD.unpack_from(blob, len(cachefmt.PACK_MAGIC))[0]
    lead = _FRAME + meta_len + 16            # the first paragraph's lead
    blob[lead:lead + 8] = (10**6).to_bytes(8, "little")
    with pytest.raises(cachefmt.CorruptCache, match="changed after it was loaded"):
        next(iter(loaded.values())).preambular


def test_a_mapped_pack_truncated_after_its_load_is_refused_not_a_crash(tmp_path):
    import mmap
    blob, records = _pack_in_memory()
    path = tmp_path / "pack.bin"
    path.write_bytes(blob)
    with path.open("rb") as fh:
        mapped = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
    loaded = cachefmt.load_pack(mapped)
    path.write_bytes(blob[:100])        # in place, as ``cp`` over it would; reading past the
    with pytest.raises(cachefmt.CorruptCache, match="changed after it was loaded"):   # end: SIGBUS
        next(iter(loaded.values())).operative
