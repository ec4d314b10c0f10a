"""Which content a corpus file holds, known without reading it: a stat index, as git keeps.

The sha256 of a file's bytes stays each document's identity; this index only remembers,
per file name, the stat it had when its bytes were hashed (size, mtime, ctime, inode), so
a later load trusts the hash of a file whose stat has not changed instead of re-reading
207 MB.  A file edited since has another mtime/ctime/size and is hashed again.

Git's racy-timestamp rule guards the one case a stat cannot tell: a file written again
within the filesystem's timestamp granularity of the moment it was looked at keeps its
mtime.  So an entry is trusted only when the file's timestamps were safely older
(``RACY_MARGIN_NS``) than the moment its stat was taken (``checked_ns``, recorded just
before the folder scan of the load that hashed it); otherwise it is hashed again next time.

The index is a cache like the others: JSON data, sealed with a checksum, type-checked on
read; a corrupt or foreign index is dropped (with a note) and rebuilt from the files.
Deleting it costs one re-hash of every file, nothing else.
"""
from __future__ import annotations

import hashlib
import json
import os
import stat
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import cachefmt
from .cachefmt import INT, LIST, OPT_STR, STR, only_types

# the admission policy's verdicts are stored too: a policy change must bump this
FORMAT = "unres-statindex/1 admission/1"
# Coarser than any timestamp a local filesystem keeps (FAT: 2 s; ext4, tmpfs: the kernel's
# clock tick, a few ms) and than the lag of the kernel's file clock behind time.time_ns().
RACY_MARGIN_NS = 2_000_000_000
_SHA_CHARS = frozenset("0123456789abcdef")

Key = tuple[int, int, int, int]     # size, mtime_ns, ctime_ns, inode
Entry = tuple[Key, str, int, "str | None"]


def stat_key(st: os.stat_result) -> Key:
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


def is_racy(key: Key, checked_ns: int, *, margin_ns: int = RACY_MARGIN_NS) -> bool:
    """True when the file may have changed within its timestamps' granularity of the moment
    its stat was taken: then an unchanged stat proves nothing and the bytes are hashed."""
    _, mtime_ns, ctime_ns, _ = key
    return max(mtime_ns, ctime_ns) + margin_ns >= checked_ns


@dataclass
class StatIndex:
    """File name -> (stat key, sha256, checked_ns, admission verdict) for one corpus folder.

    The verdict (`analytics.admission.content_problem`, None for an admitted file) depends
    only on the name's suffix and the bytes, so an unchanged stat keeps it too."""
    path: Path | None
    entries: dict[str, Entry] = field(default_factory=dict)
    fresh: dict[str, Entry] = field(default_factory=dict)
    scan_ns: int = field(default_factory=time.time_ns)   # taken before any stat of this load

    def known(self, name: str, st: os.stat_result) -> tuple[str, str | None] | None:
        """(sha256, verdict) of ``name``'s bytes when its stat proves they did not change."""
        entry = self.entries.get(name)
        if entry is None or not stat.S_ISREG(st.st_mode):
            return None
        key, sha, checked_ns, verdict = entry
        if key != stat_key(st) or is_racy(key, checked_ns):
            return None
        self.fresh[name] = entry
        return sha, verdict

    def record(self, name: str, st: os.stat_result, sha: str, verdict: str | None) -> None:
        """``sha`` was taken of bytes read after ``st`` (an fstat of the same open file)."""
        self.fresh[name] = (stat_key(st), sha, self.scan_ns, verdict)

    def forget(self, name: str) -> None:
        self.fresh.pop(name, None)

    @property
    def changed(self) -> bool:
        return self.fresh != self.entries


def index_path(cache_dir: Path, corpus_dir: Path) -> Path:
    # one index per corpus folder: a cache folder may serve several
    folder = os.path.realpath(corpus_dir)
    return cache_dir / "stat-index-v1" / f"{hashlib.sha256(folder.encode()).hexdigest()[:24]}.json"


def dump(index: StatIndex, *, folder: str) -> bytes:
    names = sorted(index.fresh)
    cols = [[*index.fresh[n][0], *index.fresh[n][1:]] for n in names]
    return cachefmt.seal(json.dumps({"format": FORMAT, "folder": folder, "names": names,
                                     "entries": cols}, ensure_ascii=True,
                                    separators=(",", ":")).encode("ascii"))


def parse(blob: bytes, *, folder: str) -> dict[str, Entry]:
    """The entries of an index file; cachefmt.CorruptCache when it is not one of ours."""
    payload = cachefmt.unseal(blob)
    try:
        obj = json.loads(str(payload, "ascii"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise cachefmt.CorruptCache(f"not valid JSON ({type(exc).__name__})") from None
    if type(obj) is not dict or obj.keys() != {"format", "folder", "names", "entries"} \
            or obj["format"] != FORMAT or obj["folder"] != folder:
        raise cachefmt.CorruptCache("not a stat index of this folder")
    names, cols = obj["names"], obj["entries"]
    if type(names) is not list or type(cols) is not list or len(names) != len(cols):
        raise cachefmt.CorruptCache("entries of the wrong shape")
    return _entries(names, cols)


def _entries(names: list, cols: list) -> dict[str, Entry]:
    """The entries, checked column by column at C speed (10,000 files: no Python loop each)."""
    if not only_types(names, STR) or not only_types(cols, LIST) or set(map(len, cols)) - {7}:
        raise cachefmt.CorruptCache("an entry of the wrong shape")
    size, mtime, ctime, ino, shas, checked, verdicts = zip(*cols) if cols else ((),) * 7
    if not all(only_types(col, INT) for col in (size, mtime, ctime, ino, checked)) \
            or not only_types(shas, STR) or set(map(len, shas)) - {64} \
            or not _SHA_CHARS.issuperset("".join(shas)) or not only_types(verdicts, OPT_STR):
        raise cachefmt.CorruptCache("an entry of the wrong type")
    return dict(zip(names, zip(zip(size, mtime, ctime, ino), shas, checked, verdicts)))
