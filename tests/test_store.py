"""Tests for analytics.store: storing uploads in the corpus folder safely."""
from __future__ import annotations

import errno
import hashlib
import os
import random
import re
import subprocess
import sys
import textwrap
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from analytics import corpus as corpus_mod
from analytics import admission, safeparse, store
from analytics.corpus import load_corpus
from analytics.reader import parse_bytes
from analytics.store import StoredFile, UploadRejected, safe_name, store_upload
from pdfmaker import make_pdf

ROOT = Path(__file__).resolve().parent.parent
# The smallest text the reader takes for a resolution: uploads are parsed before they are stored.
TEXT = b"""Resolution adopted by the General Assembly on 18 December 2009

64/179. Strengthening the crime prevention programme

The General Assembly,

Recalling its resolution 63/195 of 18 December 2008,

1. Reaffirms the importance of the programme;

2. Requests the Secretary-General to report to it at its sixty-fifth session.
"""


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
    """The corpus files (the empty, hidden lock file is the store's own)."""
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.name != store.LOCK_NAME}


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
        path=corpus.resolve() / stored_name, name=stored_name, sha256=hashlib.sha256(TEXT).hexdigest(),
        record=parse_bytes(TEXT, source=stored_name),
    )
    assert stored.path.read_bytes() == TEXT
    assert stored.path.resolve().parent == corpus.resolve()
    assert _tree(tmp_path) == {"outer", "outer/mid", "outer/mid/corpus", f"outer/mid/corpus/{stored_name}",
                               f"outer/mid/corpus/{store.LOCK_NAME}"}
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
    assert _files(corpus) == {}


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


def test_known_hashes_refuse_early_and_the_folder_is_still_checked(corpus):
    sha = hashlib.sha256(TEXT).hexdigest()
    with pytest.raises(UploadRejected, match="same content as a file already in the corpus"):
        store_upload(corpus, "a.txt", TEXT, known_hashes={sha})
    with pytest.raises(UploadRejected, match="same content as A-RES-60-175.txt"):
        store_upload(corpus, "a.txt", TEXT, known_hashes={sha: "A-RES-60-175.txt"})
    store_upload(corpus, "a.txt", TEXT, known_hashes=set())
    # A caller's snapshot is stale as soon as another session uploads: the folder decides.
    with pytest.raises(UploadRejected, match="same content as a.txt"):
        store_upload(corpus, "b.txt", TEXT, known_hashes=set())
    with pytest.raises(UploadRejected, match="same content as a.txt"):
        store_upload(corpus, "c.txt", TEXT, known_hashes={sha})
    assert list(_files(corpus)) == ["a.txt"]


def test_empty_and_oversize_uploads_are_rejected(corpus):
    with pytest.raises(UploadRejected, match='^"empty.txt": empty file$'):
        store_upload(corpus, "empty.txt", b"")
    with pytest.raises(UploadRejected, match=r"too large \(11 bytes; the limit is 10 bytes\)"):
        store_upload(corpus, "big.txt", b"x" * 11, max_bytes=10)
    assert store_upload(corpus, "fits.txt", b"x" * 10, max_bytes=10, parse=False).name == "fits.txt"
    assert sorted(_files(corpus)) == ["fits.txt"]


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"Recalling\x00 its resolution", "NUL bytes"),
        (bytes(range(1, 256)) * 8, "control"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(128, 256)) * 8, "binary content"),
        (b"\xff\xfe" + b"\x00\xd8" * 50, "not UTF-16 text"),     # lone surrogates after the BOM
    ],
)
def test_binary_text_uploads_are_rejected(corpus, data, reason):
    with pytest.raises(UploadRejected, match=reason):
        store_upload(corpus, "resolution.txt", data)
    assert _files(corpus) == {}


def test_text_in_utf8_bom_or_windows_1252_is_accepted(corpus):
    assert store_upload(corpus, "bom.md", "\ufeff# Côte d’Ivoire\n".encode(), parse=False).name == "bom.md"
    assert store_upload(corpus, "legacy.txt", b"Caf\xe9 \x93quoted\x94\x0c\n", parse=False).name == "legacy.txt"
    legacy = TEXT.replace(b"Recalling", b"Rappelant \x93d\xe9j\xe0\x94") + b"Caf\xe9\n"
    assert store_upload(corpus, "legacy-resolution.txt", legacy).record.id == "A-RES-64-179"


def test_pdf_needs_the_pdf_header(corpus):
    with pytest.raises(UploadRejected, match="not a PDF"):
        store_upload(corpus, "fake.pdf", b"<html>not a pdf</html>")
    with pytest.raises(UploadRejected, match="not a PDF"):
        store_upload(corpus, "late.PDF", b"junk %PDF-1.7\n")
    pdf = make_pdf([TEXT.decode().splitlines()])
    stored = store_upload(corpus, "real.PDF", pdf)
    assert stored.name == "real.pdf" and stored.path.read_bytes() == pdf
    assert stored.record.id == "A-RES-64-179" and len(stored.record.operative) == 2


def test_no_temporary_files_are_left_behind(corpus, monkeypatch):
    store_upload(corpus, "ok.txt", TEXT)
    with pytest.raises(UploadRejected):
        store_upload(corpus, "dup.txt", TEXT)

    def boom(temp, target):
        raise OSError(errno.EIO, "disk on fire")

    monkeypatch.setattr(store, "_claim", boom)
    with pytest.raises(OSError, match="disk on fire"):
        store_upload(corpus, "fails.txt", TEXT + b"more")
    assert sorted(p.name for p in corpus.iterdir()) == [store.LOCK_NAME, "ok.txt"]
    assert (corpus / store.LOCK_NAME).read_bytes() == b""


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


# --------------------------------------------------------------------------- parsing within a budget


def slow_parse(data: bytes, *, source: str):
    """Stand-in parser for the workers: a pathological file keeps it in a backtracking regular
    expression, which burns the CPU and holds the GIL for as long as it runs (hours here)."""
    if data.startswith(b"SLOW"):
        re.fullmatch(r"(a|aa)+", "a" * 90 + "b")
    return parse_bytes(data, source=source)


@pytest.fixture
def slow_parser(monkeypatch):
    monkeypatch.setattr(safeparse, "_PARSER", f"{__name__}:slow_parse")
    yield
    safeparse.shutdown()


def test_upload_too_slow_to_read_is_refused_and_nothing_is_lost(corpus, slow_parser):
    kept = store_upload(corpus, "kept.txt", TEXT)
    before = _files(corpus)
    hostile = b"SLOW" + TEXT * (40_000 // len(TEXT))          # 40 KB
    started = time.monotonic()
    with pytest.raises(UploadRejected) as info:
        store_upload(corpus, "kept.txt", hostile, budget=1.0)
    assert str(info.value) == '"kept.txt": took longer than 1 s to read'
    assert time.monotonic() - started < 30         # the budget, plus a worker start on a busy machine
    assert _files(corpus) == before and kept.path.read_bytes() == TEXT
    # The killed worker is replaced: the next upload is read as usual.
    assert store_upload(corpus, "next.txt", TEXT + b"next\n").record.id == "A-RES-64-179"


def test_the_caller_thread_waits_without_using_its_cpu(corpus, slow_parser):
    spent = {}

    def upload():
        cpu = time.thread_time()
        with pytest.raises(UploadRejected, match="took longer than 1.5 s"):
            store_upload(corpus, "slow.txt", b"SLOW" + TEXT, budget=1.5)
        spent["cpu"] = time.thread_time() - cpu

    store_upload(corpus, "warm.txt", TEXT)          # a warm worker: no process start counted below
    worker = threading.Thread(target=upload)
    worker.start()
    worker.join(60)
    # A parse on the caller's thread would have burnt the 1.5 s on it, holding the GIL.
    assert spent["cpu"] < 0.3


def test_reader_refusals_are_upload_refusals(corpus):
    with pytest.raises(UploadRejected, match=r'^"recipe.md": not a resolution'):
        store_upload(corpus, "recipe.md", b"Mix the flour and the sugar, then bake it for an hour.\n" * 5)
    assert _files(corpus) == {}


# --------------------------------------------------------------------------- one copy per content


def _same_content_in_threads(corpus: Path, n: int) -> list:
    gate = threading.Barrier(n)

    def upload(i: int):
        gate.wait()
        try:
            return store_upload(corpus, f"copy-{i}.txt", TEXT)
        except UploadRejected as exc:
            return exc

    with ThreadPoolExecutor(max_workers=n) as pool:
        return list(pool.map(upload, range(n)))


def test_twenty_simultaneous_uploads_of_one_content_store_one_copy(corpus):
    results = _same_content_in_threads(corpus, 20)
    stored = [r for r in results if isinstance(r, StoredFile)]
    refused = [r for r in results if isinstance(r, UploadRejected)]
    assert len(stored) == 1 and len(refused) == 19
    assert all(f"same content as {stored[0].name}" in str(r) for r in refused)
    assert _files(corpus) == {stored[0].name: TEXT}


PROCESS_UPLOAD = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    sys.path.insert(0, sys.argv[1])
    from analytics import store
    corpus, go, data, i = Path(sys.argv[2]), Path(sys.argv[3]), Path(sys.argv[4]).read_bytes(), sys.argv[5]
    write_temp = store._write_temp

    def slow_write(*args):
        time.sleep(0.2)        # a slow disk: widens any gap between the check and the write
        return write_temp(*args)

    store._write_temp = slow_write
    while not go.exists():
        time.sleep(0.001)
    try:
        print("stored", store.store_upload(corpus, f"proc-{i}.txt", data, parse=False).name)
    except store.UploadRejected as exc:
        print("refused", exc)
""")


def test_simultaneous_uploads_from_several_processes_store_one_copy(tmp_path, corpus):
    go, upload = tmp_path / "go", tmp_path / "upload.txt"
    upload.write_bytes(TEXT)
    procs = [subprocess.Popen([sys.executable, "-c", PROCESS_UPLOAD, str(ROOT), str(corpus), str(go), str(upload),
                               str(i)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
             for i in range(6)]
    time.sleep(1.0)            # every process imported and waiting
    go.touch()
    outs = [p.communicate(timeout=120) for p in procs]
    assert all(p.returncode == 0 for p in procs), [err.decode() for _, err in outs]
    lines = [out.decode().strip() for out, _ in outs]
    assert sum(line.startswith("stored") for line in lines) == 1, lines
    assert sum("same content as proc-" in line for line in lines) == 5, lines
    assert list(_files(corpus).values()) == [TEXT]


def test_the_lock_file_is_invisible_to_the_corpus_reader(tmp_path, corpus):
    store_upload(corpus, "r.txt", TEXT)
    assert (corpus / store.LOCK_NAME).exists()
    loaded = load_corpus(corpus, cache_dir=tmp_path / "cache", workers=1)
    assert [d.source for d in loaded.documents] == ["r.txt"] and loaded.problems == ()


def test_a_symlinked_lock_file_is_not_followed(tmp_path, corpus):
    outside = tmp_path / "outside"
    outside.write_bytes(b"outside\n")
    (corpus / store.LOCK_NAME).symlink_to(outside)
    with pytest.raises(OSError):
        store_upload(corpus, "r.txt", TEXT)
    assert outside.read_bytes() == b"outside\n" and not (corpus / "r.txt").exists()


# --------------------------------------------------------------------------- one content policy


_RNG = random.Random(9)
_CP1252_DEFINED = [b for b in range(0x20, 0x100) if b not in (0x7F, 0x81, 0x8D, 0x8F, 0x90, 0x9D)]


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (bytes(b for b in _RNG.randbytes(40_000) if b), "control or undefined"),
        (bytes(_RNG.choice(_CP1252_DEFINED) for _ in range(40_000)), "too few plain ASCII"),
        (bytes(_RNG.randrange(0xA0, 0x100) for _ in range(40_000)), "too few plain ASCII"),
        (bytes(_RNG.randrange(0x21, 0x7F) for _ in range(40_000)), "almost no spaces"),
        ("".join(chr(_RNG.randrange(0x2200, 0x2300)) + " " for _ in range(5000)).encode(), "only"),
    ],
    ids=["random-without-nul", "random-printable-cp1252", "random-latin1-letters", "random-ascii", "symbols"],
)
def test_random_binary_without_nul_bytes_is_refused_as_text(corpus, data, reason):
    assert b"\x00" not in data
    with pytest.raises(UploadRejected, match=reason):
        store_upload(corpus, "random.txt", data, parse=False)
    assert _files(corpus) == {}


def test_random_binary_is_refused_by_both_entry_points(tmp_path, corpus):
    data = bytes(_RNG.choice(_CP1252_DEFINED) for _ in range(40_000))
    with pytest.raises(UploadRejected, match="binary content"):
        store_upload(corpus, "random.txt", data)
    (corpus / "random.txt").write_bytes(data)
    loaded = load_corpus(corpus, cache_dir=tmp_path / "cache", workers=1)
    assert [p.source for p in loaded.problems] == ["random.txt"] and loaded.documents == ()


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_with_a_bom_is_read_from_the_folder_and_accepted_as_upload(tmp_path, corpus, encoding):
    bom = {"utf-16": b"", "utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff"}[encoding]
    data = bom + TEXT.decode().encode(encoding)
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "wide.txt").write_bytes(data)
    from_folder = load_corpus(folder, cache_dir=tmp_path / "cache", workers=1).documents
    uploaded = store_upload(corpus, "wide.txt", data)
    assert [d.id for d in from_folder] == [uploaded.record.id] == ["A-RES-64-179"]
    assert uploaded.path.read_bytes() == data


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"%PDF-1.4\n<html><head><title>x</title></head><body>Not a PDF at all</body></html>\n", "unreadable PDF"),
        (make_pdf([[]]), "no extractable text"),
    ],
    ids=["html-with-pdf-header", "pdf-without-text"],
)
def test_pdf_that_pypdf_cannot_read_as_text_is_refused(corpus, data, reason):
    with pytest.raises(UploadRejected, match=reason) as info:
        store_upload(corpus, "brief.pdf", data)
    assert str(info.value).startswith('"brief.pdf": ')
    assert _files(corpus) == {}


def test_the_upload_limit_has_its_own_name():
    assert not hasattr(store, "MAX_BYTES")
    assert not hasattr(corpus_mod, "MAX_BYTES")
    assert store.MAX_UPLOAD_BYTES == admission.MAX_UPLOAD_BYTES == 10 * 2**20 < admission.MAX_FOLDER_FILE_BYTES
    assert store_upload.__kwdefaults__["max_bytes"] == store.MAX_UPLOAD_BYTES


def test_the_server_upload_cap_is_the_store_limit():
    import tomllib

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["maxUploadSize"] * 2**20 == store.MAX_UPLOAD_BYTES
