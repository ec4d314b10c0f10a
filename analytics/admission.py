"""Which files may become documents: one policy for the corpus folder and for uploads.

Both entry points ask the same questions in the same words, so a file gets the same
verdict whichever way it arrives: its type (`suffix_problem`), and whether its bytes can
be a document of that type (`content_problem`: empty, too large, not a PDF, not text).
Text is judged as the reader decodes it (`analytics.reading.decode`): UTF-8, UTF-16 with a
byte-order mark, else Windows-1252 with undefined bytes replaced (the reader then warns);
the result must look like prose.  Whether a PDF opens and has text is the reader's
verdict, given in a worker process (pypdf can take long on a hostile file).

Only the size limit differs by entry point, on purpose, and each has its own name:
`MAX_FOLDER_FILE_BYTES` bounds what the loader reads of a file already in the user's
folder (a stray huge file must not exhaust memory); `MAX_UPLOAD_BYTES` is lower because an
upload comes from anyone with the dashboard open and is held in server memory whole
(`.streamlit/config.toml`'s ``maxUploadSize`` is the same figure).
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter

SUPPORTED_SUFFIXES = (".txt", ".md", ".pdf")
TEXT_SUFFIXES = (".txt", ".md")
MAX_FOLDER_FILE_BYTES = 50 * 2**20
MAX_UPLOAD_BYTES = 10 * 2**20
# The configuration stage's corpus-folder overrides (analytics.config reads them): not
# documents, and not worth a "not supported" line either.  Kept here rather than imported,
# so listing a folder never imports the analyses; tests check it covers config's list.
OVERRIDE_FILES = ("themes.toml", "emerging_aliases.toml", "series.toml", "conventions.toml",
                  "stopwords.toml")
IGNORED_NAMES = ("readme", *OVERRIDE_FILES)     # prefixes, lower case: README.md, readme.txt

_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
# Shares measured over a sample of the decoded text (see _prose_problem). A resolution
# is prose: about 15% whitespace, under 1% symbols, no control characters.
JUNK_SHARE_LIMIT = 0.01          # control, unassigned, private-use, surrogate, U+FFFD
TEXT_SHARE_MIN = 0.75            # letters, marks, digits, whitespace, punctuation
SPACE_SHARE_MIN = 0.02           # words are separated; random bytes almost never are
LEGACY_NON_ASCII_MAX = 0.30      # Windows-1252 text in any language it covers is mostly ASCII
MIN_SAMPLE_CHARS = 200           # below this the shares say nothing
SAMPLE_CHARS = 32_768            # from the start, the middle and the end
_ALLOWED_CONTROLS = b"\t\n\r\f"  # as the reader allows
# ASCII by Unicode category, so the common case is counted with bytes methods at C speed
_ASCII_CONTROLS = bytes(range(0x20)) + b"\x7f"          # Cc
_ASCII_SYMBOLS = b"$+<=>^`|~"                            # Sc, Sm, Sk: not text
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_JUNK_CATEGORIES = ("Cc", "Cn", "Co", "Cs")


def is_ignored(name: str) -> bool:
    """Hidden files, READMEs and configuration overrides are no documents, and no problems."""
    return name.startswith(".") or name.lower().startswith(IGNORED_NAMES)


def suffix_problem(suffix: str) -> str | None:
    """Why a file with this suffix (".PDF", "", ...) is not read, or None."""
    if suffix.lower() in SUPPORTED_SUFFIXES:
        return None
    shown = f'"{suffix}"' if suffix else "none"
    return f"file type {shown} is not accepted (allowed: {', '.join(SUPPORTED_SUFFIXES)})"


def too_large(size: int, limit: int) -> str:
    return f"too large ({_amount(size)}; the limit is {_amount(limit)})"


def _amount(n: int) -> str:
    return f"{n / 2**20:.1f} MB" if n >= 2**20 else f"{n:,} bytes"


def content_problem(suffix: str, data: bytes, *, limit: int) -> str | None:
    """Why ``data`` cannot be a document of type ``suffix``, or None (cheap checks only)."""
    if not data.strip():
        return "empty file"
    if len(data) > limit:
        return too_large(len(data), limit)
    if suffix.lower() == ".pdf":
        return None if data.startswith(b"%PDF-") else "not a PDF (it does not start with %PDF-)"
    return text_problem(data)


def text_problem(data: bytes) -> str | None:
    """Why ``data`` is not a text file, or None; decoded as the reader decodes it."""
    if data.startswith(_UTF16_BOMS):
        try:
            return _prose_problem(_sample(data.decode("utf-16")), legacy=False)
        except UnicodeDecodeError:
            return "binary content (not UTF-16 text, despite its byte-order mark)"
    if b"\x00" in data:
        return "binary content (NUL bytes) in a text file"
    try:
        return _prose_problem(_sample(data.decode("utf-8-sig")), legacy=False)
    except UnicodeDecodeError:
        return _prose_problem(_sample(data.decode("cp1252", errors="replace")), legacy=True)


def _sample(text: str) -> str:
    """Start, middle and end: binary appended to or spliced into a text still shows."""
    if len(text) <= 3 * SAMPLE_CHARS:
        return text
    mid = len(text) // 2
    return text[:SAMPLE_CHARS] + text[mid - SAMPLE_CHARS // 2: mid + SAMPLE_CHARS // 2] + text[-SAMPLE_CHARS:]


def char_shares(text: str) -> dict[str, float]:
    """Shares of junk, text-like, space and non-ASCII characters, by Unicode category.

    Junk: control (but tab, newline, CR, form feed), unassigned, private-use, surrogate and
    U+FFFD (what the reader makes of Windows-1252's undefined bytes).  Text: letters, marks,
    digits, punctuation and every kind of space.  ASCII is counted with bytes methods; only
    the non-ASCII characters are looked up one by one (a folder of 10,000 files is judged
    on the loader's thread)."""
    ascii_ = text.encode("ascii", "ignore")
    allowed = sum(map(ascii_.count, (bytes([b]) for b in _ALLOWED_CONTROLS)))
    controls = len(ascii_) - len(ascii_.translate(None, _ASCII_CONTROLS))
    symbols = len(ascii_) - len(ascii_.translate(None, _ASCII_SYMBOLS))
    # most corpus files are pure ASCII: isascii() answers at C speed, the scan finds nothing
    cats = Counter() if text.isascii() else Counter(map(unicodedata.category, _NON_ASCII.findall(text)))
    junk = controls - allowed + sum(cats[c] for c in _JUNK_CATEGORIES) + text.count("\ufffd")
    spaces = ascii_.count(b" ") + allowed + cats["Zs"]
    texty = (len(ascii_) - controls - symbols + allowed + cats["Zs"] + cats["Zl"] + cats["Zp"]
             + sum(n for c, n in cats.items() if c[0] in "LMNP"))
    n = len(text) or 1
    return {"junk": junk / n, "text": texty / n, "space": spaces / n,
            "non_ascii": 1 - len(ascii_) / n}


def _prose_problem(text: str, *, legacy: bool) -> str | None:
    shares = char_shares(text)
    if shares["junk"] > JUNK_SHARE_LIMIT:
        return "binary content (control or undefined characters) in a text file"
    if len(text) < MIN_SAMPLE_CHARS:
        return None
    if legacy and shares["non_ascii"] > LEGACY_NON_ASCII_MAX:
        return ("binary content (not UTF-8, and too few plain ASCII characters "
                "for Windows-1252 text)")
    if shares["text"] < TEXT_SHARE_MIN:
        return (f"does not look like text (only {shares['text']:.0%} letters, digits, "
                "spaces and punctuation)")
    if shares["space"] < SPACE_SHARE_MIN:
        return "does not look like text (almost no spaces between words)"
    return None
