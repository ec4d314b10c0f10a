"""Tests for analytics.store: storing uploads in the corpus folder safely."""
from __future__ import annotations

import errno
import hashlib
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from analytics import store
from analytics.store import StoredFile, UploadRejected, safe_name, store_upload

TEXT = b"Resolution adopted by the General Assembly\n\nRecalling its resolution 64/179,\n"


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    # Nested two levels down, so "../../x" escaping the corpus would still land
    # inside tmp_path, where the tree check below sees it.
    folder = tmp_path / "outer" / "mid" / "corpus"
    folder.mkdir(parents=True)
    return folder


def _tree(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*")}


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir()}


@pytest.mark.parametrize(
    ("upload_name", "stored_name"),
    [
        ("../../etc/passwd.txt", "passwd.txt"),
        ("..\\..\\win.txt", "win.txt"),
        ("/abs/path.md", "path.md"),
        ("C:\\Users\\x\\Desktop\\brief.MD", "brief.md"),
        ("con.txt", "con_.txt"),
        ("LPT1.md", "LPT1_.md"),
        ("aux.final.txt", "aux_.final.txt"),
        (".hidden.txt", "hidden.txt"),
        ("...txt", "upload.txt"),
        ("a\x00b.txt", "ab.txt"),
        ("line\nbreak\r\t.txt", "linebreak.txt"),
        ("ü名前.txt", "u.txt"),
        ("名前.txt", "upload.txt"),
        ("Résolution – draft (final).MD", "Resolution_draft_final.md"),
        ("Straße Œuvre.txt", "Strasse_OEuvre.txt"),
        ("A/RES/67/189.txt", "189.txt"),
        ("dots..and  spaces .txt", "dots.and_spaces.txt"),
    ],
)
def test_hostile_names_are_stored_safely_inside_the_corpus(tmp_path, corpus, upload_name, stored_name):
    outside_before = set(os.listdir(tmp_path.parent))
    stored = store_upload(corpus, upload_name, TEXT)
    assert stored == StoredFile(
        path=corpus.resolve() / stored_name, name=stored_name, sha256=hashlib.sha256(TEXT).hexdigest()
    )
    assert stored.path.read_bytes() == TEXT
    assert stored.path.resolve().parent == corpus.resolve()
    assert _tree(tmp_path) == {"outer", "outer/mid", "outer/mid/corpus", f"outer/mid/corpus/{stored_name}"}
    assert set(os.listdir(tmp_path.parent)) == outside_before


@pytest.mark.parametrize("upload_name", ["x" * 300 + ".txt", "é" * 300 + ".md", "a." * 200 + "pdf"])
def test_long_names_are_capped_and_keep_their_extension(upload_name):
    name = safe_name(upload_name)
    assert len(name) <= store.MAX_STEM_CHARS + 4
    assert name.endswith(Path(upload_name).suffix)
    assert name[0] not in "._-"


def test_safe_name_charset_never_empty():
    for raw in ["\u202etxt.exe.txt", "  .txt", "\\\\server\\share\\..\\.txt", "\x7f\x1b.md"]:
        name = safe_name(raw)
        assert name and not name.startswith(".")
        assert set(name) <= set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")


@pytest.mark.parametrize("upload_name", ["report.exe", "report.txt.exe", "noextension", "notes.txt.", "\u202etxt.exe"])
def test_disallowed_extensions_are_rejected(corpus, upload_name):
    with pytest.raises(UploadRejected, match="is not accepted") as info:
        store_upload(corpus, upload_name, TEXT)
    assert info.value.filename == upload_name
    assert list(corpus.iterdir()) == []


def test_rejection_message_names_the_file_without_control_characters(corpus):
    with pytest.raises(UploadRejected) as info:
        store_upload(corpus, "evil\nname\x1b[31m.exe", TEXT)
    message = str(info.value)
    assert message.startswith('"evilname[31m.exe": file type ".exe" is not accepted')
    assert not any(ord(ch) < 32 for ch in message)


def test_same_name_twice_gets_numbered_and_first_is_untouched(corpus):
    first = store_upload(corpus, "brief.txt", TEXT)
    inode, mtime = first.path.stat().st_ino, first.path.stat().st_mtime_ns
    second = store_upload(corpus, "brief.txt", TEXT + b"Second version\n")
    third = store_upload(corpus, "../brief.txt", TEXT + b"Third version\n")
    assert (first.name, second.name, third.name) == ("brief.txt", "brief-2.txt", "brief-3.txt")
    assert first.path.read_bytes() == TEXT
    assert (first.path.stat().st_ino, first.path.stat().st_mtime_ns) == (inode, mtime)
    assert _files(corpus) == {
        "brief.txt": TEXT,
        "brief-2.txt": TEXT + b"Second version\n",
        "brief-3.txt": TEXT + b"Third version\n",
    }


def test_existing_files_are_never_replaced_even_read_only_or_symlinked(tmp_path, corpus):
    (corpus / "seed.md").write_bytes(b"# seed\n")
    (corpus / "seed.md").chmod(0o444)
    outside = tmp_path / "outside.txt"
    outside.write_bytes(b"outside\n")
    (corpus / "link.txt").symlink_to(outside)
    a = store_upload(corpus, "seed.md", TEXT)
    b = store_upload(corpus, "link.txt", TEXT + b"2")
    assert (a.name, b.name) == ("seed-2.md", "link-2.txt")
    assert (corpus / "seed.md").read_bytes() == b"# seed\n"
    assert outside.read_bytes() == b"outside\n"
    assert (corpus / "link.txt").is_symlink()


def test_same_content_under_another_name_is_rejected(corpus):
    store_upload(corpus, "notes.txt", TEXT)
    before = _files(corpus)
    with pytest.raises(UploadRejected, match=r'^"copy\.md": same content as notes\.txt$'):
        store_upload(corpus, "copy.md", TEXT)
    assert _files(corpus) == before


def test_known_hashes_replace_the_folder_scan(corpus):
    sha = hashlib.sha256(TEXT).hexdigest()
    with pytest.raises(UploadRejected, match="same content as a file already in the corpus"):
        store_upload(corpus, "a.txt", TEXT, known_hashes={sha})
    with pytest.raises(UploadRejected, match="same content as A-RES-60-175.txt"):
        store_upload(corpus, "a.txt", TEXT, known_hashes={sha: "A-RES-60-175.txt"})
    store_upload(corpus, "a.txt", TEXT, known_hashes=set())
    # The folder is not re-hashed when the caller says what it holds.
    assert store_upload(corpus, "b.txt", TEXT, known_hashes=set()).name == "b.txt"
    with pytest.raises(UploadRejected, match="same content as a.txt"):
        store_upload(corpus, "c.txt", TEXT, known_hashes={sha})


def test_empty_and_oversize_uploads_are_rejected(corpus):
    with pytest.raises(UploadRejected, match='^"empty.txt": the file is empty$'):
        store_upload(corpus, "empty.txt", b"")
    with pytest.raises(UploadRejected, match=r"too large \(11 bytes; the limit is 10\)"):
        store_upload(corpus, "big.txt", b"x" * 11, max_bytes=10)
    assert store_upload(corpus, "fits.txt", b"x" * 10, max_bytes=10).name == "fits.txt"
    assert sorted(p.name for p in corpus.iterdir()) == ["fits.txt"]


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"Recalling\x00 its resolution", "NUL bytes"),
        (bytes(range(1, 256)) * 8, "control bytes"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(128, 256)) * 8, "not UTF-8 or Windows-1252"),
        ("Recalling".encode("utf-16"), "UTF-16"),
    ],
)
def test_binary_text_uploads_are_rejected(corpus, data, reason):
    with pytest.raises(UploadRejected, match=reason):
        store_upload(corpus, "resolution.txt", data)
    assert list(corpus.iterdir()) == []


def test_text_in_utf8_bom_or_windows_1252_is_accepted(corpus):
    assert store_upload(corpus, "bom.md", "\ufeff# Côte d’Ivoire\n".encode()).name == "bom.md"
    assert store_upload(corpus, "legacy.txt", b"Caf\xe9 \x93quoted\x94\x0c\n").name == "legacy.txt"


def test_pdf_needs_the_pdf_header(corpus):
    with pytest.raises(UploadRejected, match="not a PDF"):
        store_upload(corpus, "fake.pdf", b"<html>not a pdf</html>")
    with pytest.raises(UploadRejected, match="not a PDF"):
        store_upload(corpus, "late.PDF", b"junk %PDF-1.7\n")
    pdf = b"%PDF-1.7\n\x00\xff binary is fine here\n%%EOF\n"
    stored = store_upload(corpus, "real.PDF", pdf)
    assert stored.name == "real.pdf" and stored.path.read_bytes() == pdf


def test_no_temporary_files_are_left_behind(corpus, monkeypatch):
    store_upload(corpus, "ok.txt", TEXT)
    with pytest.raises(UploadRejected):
        store_upload(corpus, "dup.txt", TEXT)

    def boom(temp, target):
        raise OSError(errno.EIO, "disk on fire")

    monkeypatch.setattr(store, "_claim", boom)
    with pytest.raises(OSError, match="disk on fire"):
        store_upload(corpus, "fails.txt", TEXT + b"more")
    assert sorted(p.name for p in corpus.iterdir()) == ["ok.txt"]


def test_filesystems_without_hard_links_still_never_overwrite(corpus, monkeypatch):
    def no_links(src, dst):
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(store.os, "link", no_links)
    a = store_upload(corpus, "x.txt", TEXT)
    b = store_upload(corpus, "x.txt", TEXT + b"other")
    assert (a.name, b.name) == ("x.txt", "x-2.txt")
    assert _files(corpus) == {"x.txt": TEXT, "x-2.txt": TEXT + b"other"}


def test_concurrent_uploads_with_one_name_all_survive(corpus):
    payloads = [TEXT + f"version {i}\n".encode() for i in range(24)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        stored = list(pool.map(lambda data: store_upload(corpus, "same.txt", data), payloads))
    names = {s.name for s in stored}
    assert names == {"same.txt"} | {f"same-{n}.txt" for n in range(2, 25)}
    assert sorted(_files(corpus).values()) == sorted(payloads)
    for s, data in zip(stored, payloads):
        assert s.path.read_bytes() == data


def test_missing_corpus_folder_is_an_error_not_created(tmp_path):
    with pytest.raises(NotADirectoryError):
        store_upload(tmp_path / "nope", "a.txt", TEXT)
    assert not (tmp_path / "nope").exists()
