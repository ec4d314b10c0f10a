"""Store a user upload in the corpus folder without trusting its name or content.

The upload gets a safe ASCII name inside corpus_dir, never replaces an existing
file, and appears atomically (readers never see a half-written file). Nothing
else in the folder is modified (apart from a hidden, empty lock file). The
duplicate check and the write happen under one exclusive lock, so concurrent
uploads of the same content store it once. The bytes are parsed in a worker
process within a time budget before anything is written: what the reader cannot
read in time is refused, and the parsing never runs on the caller's thread.
"""
from __future__ import annotations

import dataclasses
import errno
import fcntl
import hashlib
import os
import re
import tempfile
import time
import unicodedata
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Collection, Iterator, Mapping

from . import admission
from .records import Resolution
from .safeparse import DEFAULT_BUDGET_S

# One admission policy for uploads and folder files (analytics.admission); re-exported
# here for callers of the store.
ALLOWED_SUFFIXES = frozenset(admission.SUPPORTED_SUFFIXES)
TEXT_SUFFIXES = frozenset(admission.TEXT_SUFFIXES)
MAX_UPLOAD_BYTES = admission.MAX_UPLOAD_BYTES
# Leaves room for "-NNNN" and stays far below NAME_MAX (255 bytes) on every filesystem.
MAX_STEM_CHARS = 100
FALLBACK_STEM = "upload"
MAX_COPIES = 10_000
TEMP_PREFIX = ".upload-"
# Hidden, so the corpus reader and the dashboard's change detector ignore it.
LOCK_NAME = ".upload.lock"
# A holder keeps the lock for one folder scan and one write; far longer means a hung
# filesystem, and the user should hear so rather than wait forever.
LOCK_WAIT_S = 30.0

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
    record: Resolution | None = None    # the parsed document (None when parse=False)


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
    if refused := admission.suffix_problem(suffix):
        raise UploadRejected(filename, refused)
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


def content_problem(suffix: str, data: bytes, *, max_bytes: int = MAX_UPLOAD_BYTES) -> str | None:
    """Why ``data`` cannot be an upload of type ``suffix``, or None: the folder's verdict,
    with the upload's own size limit (``admission.content_problem``)."""
    return admission.content_problem(suffix, data, limit=max_bytes)


text_problem = admission.text_problem


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


@contextmanager
def _folder_lock(root: Path, *, filename: str, wait: float = LOCK_WAIT_S) -> Iterator[None]:
    """Exclusive across threads and processes alike.

    flock belongs to the open file description and every call opens its own, so
    two threads of one dashboard exclude each other just as two processes do.
    """
    fd = os.open(root / LOCK_NAME, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC | getattr(os, "O_NOFOLLOW", 0), 0o644)
    try:
        deadline = time.monotonic() + wait
        delay = 0.001
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise UploadRejected(filename, "the corpus folder is busy with other uploads; "
                                                   "try again") from None
                time.sleep(delay)
                delay = min(delay * 2, 0.05)
        yield
    finally:
        os.close(fd)  # releases the lock


def _parse(filename: str, name: str, data: bytes, *, budget: float) -> Resolution:
    """The reader's record, parsed in a worker process: a hostile file costs its
    uploader ``budget`` seconds and never the caller's thread or CPU."""
    from .safeparse import WorkerFailed, parse_bytes_bounded

    try:
        return parse_bytes_bounded(data, source=name, budget=budget)
    except ValueError as exc:  # not a resolution, unreadable PDF, over budget
        raise UploadRejected(filename, str(exc)) from None
    except WorkerFailed as exc:
        raise UploadRejected(filename, f"could not be read ({exc})") from None


def _write_new(root: Path, name: str, data: bytes, *, filename: str) -> Path:
    temp = _write_temp(root, data)
    try:
        for n in range(1, MAX_COPIES + 1):
            target = root / _numbered(name, n)
            if target.parent != root or target.name in ("", ".", ".."):
                raise RuntimeError(f"built a path outside the corpus folder: {target}")
            if _claim(temp, target):
                return target
        raise UploadRejected(filename, f"too many files already named like {name}")
    finally:
        temp.unlink(missing_ok=True)


def _refuse_duplicate(filename: str, duplicate: str | None) -> None:
    if duplicate:
        raise UploadRejected(filename, f"same content as {duplicate}")


def store_upload(
    corpus_dir: Path,
    filename: str,
    data: bytes,
    *,
    max_bytes: int = MAX_UPLOAD_BYTES,
    known_hashes: Collection[str] | Mapping[str, str] | None = None,
    parse: bool = True,
    budget: float = DEFAULT_BUDGET_S,
) -> StoredFile:
    """Save an uploaded .txt/.md/.pdf into corpus_dir under a safe, unused name.

    ``parse``: read the bytes with the corpus reader first (in a worker process,
    at most ``budget`` seconds) and store them only if they are a resolution;
    the record is returned in ``StoredFile.record``. ``known_hashes``: sha256 hex
    digests of the corpus files (e.g. from the loaded corpus), or a mapping
    digest -> file name, for an early refusal with a better message; the folder
    itself is always checked, under the lock that the write holds too. Raises
    UploadRejected (message names the file and the reason) for a bad type, empty,
    oversized, binary, unreadable, too slow to read or duplicate upload.
    """
    corpus_dir = Path(corpus_dir)
    data = bytes(data)  # accept memoryview/bytearray from upload widgets
    if not corpus_dir.is_dir():
        raise NotADirectoryError(f"corpus folder {corpus_dir} does not exist")
    root = corpus_dir.resolve()

    name = safe_name(filename)
    if problem := content_problem(split_suffix(name)[1], data, max_bytes=max_bytes):
        raise UploadRejected(filename, problem)
    sha = hashlib.sha256(data).hexdigest()
    # Early and unlocked, so a duplicate does not cost a parse; the check that counts is below.
    _refuse_duplicate(filename, _duplicate_of(root, sha, len(data), known_hashes))
    record = _parse(filename, name, data, budget=budget) if parse else None
    with _folder_lock(root, filename=filename):
        _refuse_duplicate(filename, _existing_with_hash(root, sha, len(data)))
        target = _write_new(root, name, data, filename=filename)
    if record is not None and record.source != target.name:
        record = dataclasses.replace(record, source=target.name)
    return StoredFile(path=target, name=target.name, sha256=sha, record=record)
