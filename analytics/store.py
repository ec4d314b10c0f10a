"""Store a user upload in the corpus folder without trusting its name or content.

The upload gets a safe ASCII name inside corpus_dir, never replaces an existing
file, and appears atomically (readers never see a half-written file). Nothing
else in the folder is modified.
"""
from __future__ import annotations

import errno
import hashlib
import os
import re
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Collection, Mapping

ALLOWED_SUFFIXES = frozenset({".txt", ".md", ".pdf"})
TEXT_SUFFIXES = frozenset({".txt", ".md"})
MAX_BYTES = 10 * 2**20
# Leaves room for "-NNNN" and stays far below NAME_MAX (255 bytes) on every filesystem.
MAX_STEM_CHARS = 100
FALLBACK_STEM = "upload"
MAX_COPIES = 10_000
TEMP_PREFIX = ".upload-"

# Device names Windows refuses whatever the extension ("con.txt"), in case the corpus
# folder is ever synced to or shared with Windows.
_RESERVED_STEMS = frozenset(
    {"con", "prn", "aux", "nul", "clock$", "conin$", "conout$"}
    | {f"com{i}" for i in range(10)}
    | {f"lpt{i}" for i in range(10)}
)
_UNSAFE_RUN = re.compile(r"[^A-Za-z0-9._-]+")
_EDGE_JUNK = "._-"
# Letters NFKD does not decompose into ASCII but have an obvious spelling.
_TRANSLITERATE = str.maketrans({
    "ß": "ss", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ø": "o", "Ø": "O",
    "đ": "d", "Đ": "D", "ł": "l", "Ł": "L", "þ": "th", "Þ": "Th", "ð": "d", "Ð": "D",
    "ı": "i", "’": "", "‘": "", "–": "-", "—": "-",
})

# Bytes that do not occur in text files (tab, LF, FF, CR and ESC are allowed).
_BINARY_BYTES = bytes(set(range(0x20)) - {0x09, 0x0A, 0x0C, 0x0D, 0x1B}) + b"\x7f"
BINARY_SHARE_LIMIT = 0.01

_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


class UploadRejected(ValueError):
    """An upload that was not stored; the message names the file and the reason."""

    def __init__(self, filename: str, reason: str):
        self.filename = filename
        self.reason = reason
        super().__init__(f"{_display_name(filename)}: {reason}")


@dataclass(frozen=True)
class StoredFile:
    path: Path      # absolute path of the new file inside corpus_dir
    name: str       # its file name (may differ from the uploaded name)
    sha256: str     # hex digest of the stored bytes


def _display_name(filename: str, limit: int = 80) -> str:
    shown = "".join(ch for ch in str(filename) if unicodedata.category(ch)[0] != "C")
    if len(shown) > limit:
        shown = shown[: limit - 1] + "…"
    return f'"{shown}"'


# --------------------------------------------------------------------------- names


def _drop_controls(text: str) -> str:
    # Category C covers NUL, control chars and format chars like U+202E (RTL override),
    # which can make "txt.exe" display as "exe.txt".
    return "".join(ch for ch in text if unicodedata.category(ch)[0] != "C")


def _basename(filename: str) -> str:
    """Last path component, treating both / and \\ as separators."""
    return re.split(r"[/\\]", filename)[-1]


def split_suffix(name: str) -> tuple[str, str]:
    """("report.final", ".md") for "report.final.md"; a bare ".md" is all suffix."""
    dot = name.rfind(".")
    if dot < 0:
        return name, ""
    return name[:dot], name[dot:].lower()


def _ascii_stem(stem: str) -> str:
    stem = unicodedata.normalize("NFKD", stem.translate(_TRANSLITERATE))
    stem = "".join(ch for ch in stem if not unicodedata.combining(ch))
    stem = _UNSAFE_RUN.sub("_", stem)
    stem = re.sub(r"([._-])[._-]+", r"\1", stem)  # "a..b", "a_-_b" read as one separator
    return stem.strip(_EDGE_JUNK)


def safe_name(filename: str) -> str:
    """A file name made only of [A-Za-z0-9._-], never empty, never hidden, never reserved.

    The (lower-cased) extension is kept; raises UploadRejected for other extensions.
    """
    base = _drop_controls(_basename(_drop_controls(filename))).strip()
    stem, suffix = split_suffix(base)
    if suffix not in ALLOWED_SUFFIXES:
        allowed = ", ".join(sorted(ALLOWED_SUFFIXES))
        shown = f'"{suffix}"' if suffix else "none"
        raise UploadRejected(filename, f"file type {shown} is not accepted (allowed: {allowed})")
    stem = _ascii_stem(stem)[:MAX_STEM_CHARS].rstrip(_EDGE_JUNK) or FALLBACK_STEM
    # Windows reads "aux.final.txt" as the device AUX too: mark the first segment.
    first, dot, rest = stem.partition(".")
    if first.lower() in _RESERVED_STEMS:
        stem = f"{first}_{dot}{rest}"
    return stem + suffix


def _numbered(name: str, n: int) -> str:
    if n == 1:
        return name
    stem, suffix = split_suffix(name)
    return f"{stem}-{n}{suffix}"


# --------------------------------------------------------------------------- content


def _content_problem(suffix: str, data: bytes, max_bytes: int) -> str | None:
    if not data:
        return "the file is empty"
    if len(data) > max_bytes:
        return f"the file is too large ({len(data):,} bytes; the limit is {max_bytes:,})"
    if suffix == ".pdf":
        if not data.startswith(b"%PDF-"):
            return "not a PDF (it does not start with %PDF-)"
        return None
    if data.startswith(_UTF16_BOMS):
        return "UTF-16 text is not supported; save it as UTF-8"
    if b"\x00" in data:
        return "binary content (NUL bytes) in a text file"
    binary = len(data) - len(data.translate(None, _BINARY_BYTES))
    if binary > BINARY_SHARE_LIMIT * len(data):
        return "binary content (control bytes) in a text file"
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        # Legacy 8-bit text (cp1252 from older ODS exports) is text too; random
        # bytes are not: they hit cp1252's five undefined code points soon enough.
        try:
            data.decode("cp1252")
        except UnicodeDecodeError:
            return "binary content (not UTF-8 or Windows-1252 text)"
    return None


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _existing_with_hash(corpus_dir: Path, sha: str, size: int) -> str | None:
    with os.scandir(corpus_dir) as it:
        entries = sorted(it, key=lambda e: e.name)  # deterministic message
    for entry in entries:
        if entry.name.startswith(TEMP_PREFIX) or not entry.is_file(follow_symlinks=False):
            continue
        try:
            # Same size first: hashing a 10,000-file corpus per upload is wasteful.
            if entry.stat(follow_symlinks=False).st_size == size and _sha256_file(Path(entry.path)) == sha:
                return entry.name
        except OSError:
            continue
    return None


def _duplicate_of(
    corpus_dir: Path, sha: str, size: int, known_hashes: Collection[str] | Mapping[str, str] | None
) -> str | None:
    if known_hashes is None:
        return _existing_with_hash(corpus_dir, sha, size)
    if sha not in known_hashes:
        return None
    if isinstance(known_hashes, Mapping) and known_hashes[sha]:
        return str(known_hashes[sha])
    return _existing_with_hash(corpus_dir, sha, size) or "a file already in the corpus"


# --------------------------------------------------------------------------- writing


def _write_temp(corpus_dir: Path, data: bytes) -> Path:
    fd, temp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=".part", dir=corpus_dir)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fchmod(handle.fileno(), 0o644)
            os.fsync(handle.fileno())
    except BaseException:
        os.unlink(temp)
        raise
    return Path(temp)


def _claim(temp: Path, target: Path) -> bool:
    """Give temp the name target unless target exists; True on success.

    os.link never replaces an existing name, so two concurrent uploads cannot
    clobber each other, and the file appears complete. Filesystems without hard
    links get an O_EXCL placeholder that os.replace fills atomically.
    """
    try:
        os.link(temp, target)
        return True
    except FileExistsError:
        return False
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK, errno.ENOSYS):
            raise
    try:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o644)
    except FileExistsError:
        return False
    os.close(fd)
    try:
        os.replace(temp, target)
    except BaseException:
        os.unlink(target)  # our own empty placeholder
        raise
    return True


def store_upload(
    corpus_dir: Path,
    filename: str,
    data: bytes,
    *,
    max_bytes: int = MAX_BYTES,
    known_hashes: Collection[str] | Mapping[str, str] | None = None,
) -> StoredFile:
    """Save an uploaded .txt/.md/.pdf into corpus_dir under a safe, unused name.

    ``known_hashes``: sha256 hex digests of the corpus files (e.g. from the loaded
    corpus), or a mapping digest -> file name for better messages; when given the
    folder is not re-hashed. Raises UploadRejected (message names the file and the
    reason) for a bad type, empty, oversized, binary or duplicate upload.
    """
    corpus_dir = Path(corpus_dir)
    data = bytes(data)  # accept memoryview/bytearray from upload widgets
    if not corpus_dir.is_dir():
        raise NotADirectoryError(f"corpus folder {corpus_dir} does not exist")
    root = corpus_dir.resolve()

    name = safe_name(filename)
    problem = _content_problem(split_suffix(name)[1], data, max_bytes)
    if problem:
        raise UploadRejected(filename, problem)
    sha = hashlib.sha256(data).hexdigest()
    if duplicate := _duplicate_of(root, sha, len(data), known_hashes):
        raise UploadRejected(filename, f"same content as {duplicate}")

    temp = _write_temp(root, data)
    try:
        for n in range(1, MAX_COPIES + 1):
            target = root / _numbered(name, n)
            if target.parent != root or target.name in ("", ".", ".."):
                raise RuntimeError(f"built a path outside the corpus folder: {target}")
            if _claim(temp, target):
                return StoredFile(path=target, name=target.name, sha256=sha)
        raise UploadRejected(filename, f"too many files already named like {name}")
    finally:
        temp.unlink(missing_ok=True)
