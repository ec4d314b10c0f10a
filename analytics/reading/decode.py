"""Bytes -> text.  PDF pages are read with PDFium and joined by form feeds, so later stages
know where each page ends whatever the layout."""
from __future__ import annotations

import re
import threading
from collections import Counter

from .patterns import CONTROL

# Justified lines in official PDFs put glyph gaps inside words that a text layer reads as
# spaces ("prostitutio n", "an d", "hostage -taking", "case -" / "by-case"); the page has none.
_LETTER = r"[^\W\d_]"
_SPACED_HYPHEN = re.compile(rf"(?<={_LETTER}) -(?=\n?{_LETTER})|(?<={_LETTER}) - (?={_LETTER})"
                            rf"|(?<={_LETTER})- (?!(?:and|or|to|nor)\b)(?={_LETTER})")
_WORD_SPLIT = re.compile(r"([^\W\d_]+)")
_WORD = re.compile(r"[^\W\d_]+")
# English words that stand alone: never glued to a neighbour ("over all" stays two words)
_FUNCTION_WORDS = frozenset("""a i an the of in on at to by for from with into onto over under
    all any and or nor but as is are was were be been its it this that these those their there
    other another each every some such no not only also than then so up out off per via""".split())


PAGE_BREAK = "\n\f\n"
# PDFium is not thread-safe; dashboard sessions are threads of one process
_PDFIUM_LOCK = threading.Lock()


def decode(data: bytes, *, source: str = "") -> tuple[str, list[str]]:
    """Bytes -> (text, warnings).  Raises ValueError with a one-line reason for empty or binary input."""
    if not data.strip():
        raise ValueError("empty file")
    if data[:5] == b"%PDF-":
        return pdf_text(data), []
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ValueError("binary file (contains NUL bytes), not text")
    text, warnings = _decode_text(data)
    sample = text[:20000]
    if len(CONTROL.findall(sample)) > max(8, len(sample) // 100):
        raise ValueError("binary file (control characters), not text")
    return text, warnings


def _decode_text(data: bytes) -> tuple[str, list[str]]:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), []
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        return (data.decode("cp1252", errors="replace"),
                ["not valid UTF-8: decoded as Windows-1252/Latin-1"])


def pdf_text(data: bytes) -> str:
    """The text layer of every page, pages joined by a form feed."""
    try:
        import pypdfium2 as pdfium
        with _PDFIUM_LOCK:
            doc = pdfium.PdfDocument(data)
            try:
                pages = [_page_text(doc[i]) for i in range(len(doc))]
            finally:
                doc.close()
    except Exception as exc:  # PDFium raises its own error types for damaged files
        raise ValueError(f"unreadable PDF ({type(exc).__name__}: {exc})") from None
    if not any(p.strip() for p in pages):
        raise ValueError("PDF has no extractable text (scanned image?)")
    return repair_pdf_spacing(PAGE_BREAK.join(pages))


def repair_pdf_spacing(text: str) -> str:
    """Close gaps the text layer put inside words: a hyphen with a space beside it between two
    letters, and two pieces that make a word the document uses elsewhere while one piece is
    not a word of the document ("an d" -> "and", but "in to" stays)."""
    text = text.replace("\r\n", "\n")
    if "\ufffe" in text:  # PDFium's hyphen at a line break, the two lines already joined
        text = re.sub("\ufffe(?=(?:and|or|to|nor) )", "- ", text).replace("\ufffe", "-")
    text = _SPACED_HYPHEN.sub("-", text)
    counts = Counter(_WORD.findall(text))

    def known(word: str) -> bool:
        return counts[word] > 1 and len(word) > 1

    def glue(a: str, b: str) -> bool:
        if b[:1].isupper() or a.lower() in _FUNCTION_WORDS and len(b) > 1:
            return False
        stray = len(b) == 1 and b.islower() and b not in "ai"   # "an d", "principle s"
        if stray:
            return counts[a + b] > 0 or (len(a) > 2 and not known(a))
        if b.lower() in _FUNCTION_WORDS:
            return False
        return counts[a + b] > 0 and not (known(a) and known(b))  # "int ernational"

    pieces = _WORD_SPLIT.split(text)   # text, word, separator, word, separator, ...
    out = [pieces[0]]
    for i in range(1, len(pieces), 2):
        word, sep = pieces[i], pieces[i + 1] if i + 1 < len(pieces) else ""
        if len(out) >= 3 and out[-1] == " " and glue(out[-2], word):
            out[-2:] = [out[-2] + word]
        else:
            out.append(word)
        out.append(sep)
    return "".join(out)


def _page_text(page) -> str:
    textpage = page.get_textpage()
    try:
        return textpage.get_text_range()
    finally:
        textpage.close()
        page.close()
