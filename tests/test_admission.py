"""One admission policy: a file gets the same verdict from the corpus folder and as an upload."""
import random
import unicodedata
from pathlib import Path

import pytest

from analytics import admission
from analytics.corpus import load_corpus
from analytics.store import UploadRejected, store_upload

ROOT = Path(__file__).resolve().parent.parent
TEXT = """Resolution adopted by the General Assembly on 18 December 2009

64/179. Strengthening the crime prevention programme

The General Assembly,

Recalling its resolution 63/195 of 18 December 2008 on the programme of Côte d’Ivoire,

1. Reaffirms the importance of the programme;

2. Requests the Secretary-General to report to it at its sixty-fifth session.
"""
CP1252_WARNING = "not valid UTF-8: decoded as Windows-1252/Latin-1"


def from_folder(tmp_path: Path, name: str, data: bytes):
    """(problem reason or None, the document or None) for ``data`` read from a corpus folder."""
    folder = tmp_path / "folder"
    folder.mkdir(exist_ok=True)
    (folder / name).write_bytes(data)
    loaded = load_corpus(folder, cache_dir=tmp_path / "cache", workers=1)
    reasons = {p.source: p.reason for p in loaded.problems}
    docs = [d for d in loaded.documents if d.source == name]
    return reasons.get(name), (docs[0] if docs else None)


def as_upload(tmp_path: Path, name: str, data: bytes):
    """(refusal reason or None, the stored record or None) for the same bytes uploaded."""
    target = tmp_path / "uploads"
    target.mkdir(exist_ok=True)
    try:
        return None, store_upload(target, name, data).record
    except UploadRejected as exc:
        return exc.reason, None


REFUSED = {
    "empty": ("x.txt", b"", "empty file"),
    "blank": ("x.md", b"  \n\n\t ", "empty file"),
    "png": ("x.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4,
            "binary content (NUL bytes) in a text file"),
    "random cp1252": ("x.txt", bytes(random.Random(3).randrange(0xA0, 0x100) for _ in range(5000)),
                      "binary content (not UTF-8, and too few plain ASCII characters for Windows-1252 text)"),
    "utf-16 with lone surrogates": ("x.txt", b"\xff\xfe" + b"\x00\xd8" * 50,
                                    "binary content (not UTF-16 text, despite its byte-order mark)"),
    "text named .pdf": ("x.pdf", TEXT.encode(), "not a PDF (it does not start with %PDF-)"),
    "wrong suffix": ("x.docx", TEXT.encode(), 'file type ".docx" is not accepted (allowed: .txt, .md, .pdf)'),
}


@pytest.mark.parametrize("case", REFUSED, ids=list(REFUSED))
def test_a_refused_file_gets_the_same_reason_both_ways(tmp_path, case):
    name, data, reason = REFUSED[case]
    assert from_folder(tmp_path, name, data) == (reason, None)
    assert as_upload(tmp_path, name, data) == (reason, None)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_with_a_bom_is_read_both_ways(tmp_path, encoding):
    bom = {"utf-16": b"", "utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff"}[encoding]
    data = bom + TEXT.encode(encoding)
    (problem, doc), (refusal, record) = from_folder(tmp_path, "wide.txt", data), as_upload(tmp_path, "wide.txt", data)
    assert problem is None and refusal is None
    assert doc.id == record.id == "A-RES-64-179"
    assert doc.preambular == record.preambular and "Côte d’Ivoire" in doc.preambular[0].text
    assert doc.warnings == record.warnings and CP1252_WARNING not in doc.warnings


def test_windows_1252_is_read_with_a_warning_both_ways(tmp_path):
    data = TEXT.replace("’", "'").encode("cp1252")
    assert b"C\xf4te" in data                        # "ô" in Windows-1252: not UTF-8
    (problem, doc), (refusal, record) = from_folder(tmp_path, "legacy.txt", data), as_upload(tmp_path, "legacy.txt", data)
    assert problem is None and refusal is None
    assert doc.warnings == record.warnings and CP1252_WARNING in doc.warnings
    assert "Côte d'Ivoire" in doc.preambular[0].text and doc.preambular == record.preambular


def test_the_two_size_limits_are_distinct_and_named(tmp_path, monkeypatch):
    assert admission.MAX_UPLOAD_BYTES == 10 * 2**20 < admission.MAX_FOLDER_FILE_BYTES == 50 * 2**20
    data = TEXT.encode()
    monkeypatch.setattr(admission, "MAX_FOLDER_FILE_BYTES", 100)
    assert from_folder(tmp_path, "big.txt", data) == (f"too large ({len(data)} bytes; the limit is 100 bytes)", None)
    with pytest.raises(UploadRejected, match=rf"too large \({len(data)} bytes; the limit is 200 bytes\)"):
        store_upload(tmp_path, "big.txt", data, max_bytes=200)
    assert admission.too_large(11 * 2**20, admission.MAX_UPLOAD_BYTES) == "too large (11.0 MB; the limit is 10.0 MB)"


def test_ignored_names_are_readme_and_the_configuration_overrides(tmp_path):
    from analytics import config
    assert set(config.OVERRIDE_FILES) <= set(admission.OVERRIDE_FILES)
    assert admission.IGNORED_NAMES == ("readme", "themes.toml", "emerging_aliases.toml", "series.toml",
                                       "conventions.toml", "stopwords.toml")
    folder = tmp_path / "folder"
    folder.mkdir()
    for name in ("README.md", "readme.txt", *admission.OVERRIDE_FILES, ".hidden.txt"):
        (folder / name).write_text("x")
    (folder / "notes.toml").write_text("x")
    loaded = load_corpus(folder, cache_dir=tmp_path / "cache", workers=1)
    assert [str(p) for p in loaded.problems] == [
        'notes.toml: file type ".toml" is not accepted (allowed: .txt, .md, .pdf)']


def _reference_shares(text: str) -> dict[str, float]:
    """The shares counted one character at a time, by the definition in admission's docstring."""
    allowed = sum(text.count(ch) for ch in "\t\n\r\f")
    cats = [unicodedata.category(ch) for ch in text]
    junk = sum(c in ("Cc", "Cn", "Co", "Cs") for c in cats) - allowed + text.count("\ufffd")
    spaces = cats.count("Zs") + allowed
    texty = spaces + sum(c[0] in "LMNP" for c in cats) + cats.count("Zl") + cats.count("Zp")
    n = len(text) or 1
    return {"junk": junk / n, "text": texty / n, "space": spaces / n,
            "non_ascii": 1 - sum(ord(ch) < 128 for ch in text) / n}


@pytest.mark.parametrize("seed", range(6))
def test_fast_character_shares_match_the_definition(seed):
    rng = random.Random(seed)
    alphabet = [chr(i) for i in range(128)] + list("é’“”–\u00a0\u2028\u2029\ufffd\ue000\u0301\u4e00\u0394$€")
    text = "".join(rng.choice(alphabet) for _ in range(5000)) + TEXT
    assert admission.char_shares(text) == pytest.approx(_reference_shares(text))
    assert admission.char_shares("") == _reference_shares("")
