"""Raw document bytes -> `Resolution` records.

One path for every layout: decode (PDF pages via pypdf), split the text into
head / body / tail at "The General Assembly," and the closing plenary line,
drop page furniture line by line, then rebuild paragraphs from *what the text
says* (operative numbers in sequence, preambular opening phrases after a
comma) rather than from where the lines happen to break.  Metadata is read from
the text, never from the file name.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import itertools
import re
from functools import lru_cache
from importlib import resources

from .records import Paragraph, Resolution

PARSER_VERSION = "2"  # bump whenever parsing output or the record classes change

MONTHS = ("january february march april may june july august september october "
          "november december").split()
_MONTH = r"(?:" + "|".join(m.capitalize() for m in MONTHS) + r")"
_DATE = rf"(\d{{1,2}})\s+({_MONTH})\s+(\d{{4}})"

ORDINAL_UNITS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19, "twentieth": 20, "thirtieth": 30, "fortieth": 40, "fiftieth": 50,
    "sixtieth": 60, "seventieth": 70, "eightieth": 80, "ninetieth": 90,
}
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
        "eighty": 80, "ninety": 90}
CARDINAL_UNITS = "one two three four five six seven eight nine".split()

# Opening phrases of preambular paragraphs that are not "-ing"/"-ed" participles.
PREAMBULAR_ADJECTIVES = ("Aware", "Mindful", "Conscious", "Cognizant", "Convinced", "Concerned",
                         "Alarmed", "Determined", "Desirous", "Deeply", "Gravely", "Seriously",
                         "Fully", "Having", "Guided", "Bearing", "Keeping", "Noting", "Taking",
                         "Further", "Also", "Reiterating", "Expressing", "Affirming", "Reaffirming")
# Words that may follow the first word of a lead and still belong to it.
LEAD_TAIL = re.compile(
    r"""^(?:\s+(?:also|further|moreover|again|in\ mind|into\ (?:consideration|account)|note|
         with\ (?:deep\ |grave\ |great\ |particular\ |serious\ |profound\ )?
              (?:appreciation|concern|satisfaction|interest|regret|alarm)|
         its\ (?:deep\ |grave\ |serious\ |profound\ |full\ |strong\ )?
              (?:appreciation|concern|request|support|commitment|call|gratitude|condemnation)|
         (?:deep\ |grave\ |serious\ |profound\ )?concern|appreciation|
         upon|attention|concerned|aware|convinced|alarmed|considered|examined|
         by|of|that)(?=[\s,;:]|$))+""",
    re.X)
OPERATIVE_ADVERBS = ("Also", "Further", "Again", "Once again", "Strongly", "Further also",
                     "Once more", "Again also", "Finally", "Firmly", "Urgently")

_LEAD_FIRST = re.compile(r"^(?:(?:Deeply|Gravely|Seriously|Fully|Further|Also|Again|Once again|Strongly|"
                         r"Firmly|Urgently|Finally|Once more|Profoundly)\s+)?([A-Za-z][a-z]+)")

# --- furniture -------------------------------------------------------------------------------
FURNITURE_LINE = re.compile(
    r"""^\s*(?:
        [-_*=]{3,}                               # rules, markdown and PDF footnote separators
      | \d{1,4}\s*/\s*\d{1,4}                     # page counters "2/2"
      | \d{1,4}                                   # bare page numbers
      | \d{2}-\d{5}\s*(?:\(E\))?\s*(?:\d{6}\s*)?\*?  # job numbers "12-48994 (E) 010213"
      | \*\d{7}\*.*                               # bar-code job numbers
      | .*Please\s+recycle.*
      | (?:\[DU\d*\]\s*)?<<ODS[^>]*>>.*           # ODS field markers
      | \[DU\d*\]
      | United\ Nations\s*A/\S+.*                 # ODS/PDF first-page head
      | (?:Distr\.|Original):.*
    )\s*$""", re.X)
# A line made only of these tokens is page furniture ("2/4 13-44880", "13-44880 (E) 200114 *1344880*").
FURNITURE_TOKEN = re.compile(r"^(?:\d{1,4}/\d{1,4}|\d{2}-\d{5}\*?|\(E\)|\d{6}|\*\d{5,8}\*|\d{1,4})$")
_LEAD_SYMBOL = re.compile(r"^\s*A/RES/\d+/\d+\*?\s+(.{15,})$")
SYMBOL_HEAD = re.compile(r"^\s*A/(?:RES/)?[\dA-Z][\w./]*\*?\s*$|^.{0,160}?\bA/RES/\d+/\d+\*?\s*$|^\s*A/RES/\d+/\d+\*?\S")
HEADER_LINE = re.compile(r"^\s*(?:General Assembly\b.*|[A-Z][a-z]+(?:-[a-z]+)?\s+session\s*|Agenda item.*|"
                         r"Distr\.:.*|Original:.*|\d{1,2}\s+" + _MONTH + r"\s+\d{4}\s*)$")

SUP = re.compile(r"<sup>\s*([\w*]+)\s*</sup>")
FOOTNOTE_MD = re.compile(r"^\s*<sup>\s*([\w*]+)\s*</sup>\s*(.*)$")
FOOTNOTE_PLAIN = re.compile(r"^\s*(\d{1,3}|\*{1,3})\s+(\S.*)$")
EMPHASIS = re.compile(r"(?<![\w*])(\*{1,3}|_{1,2})(?=\S)(.+?)(?<=\S)\1(?![\w*])")
MD_HEADING = re.compile(r"^\s*#{1,6}\s*")
MD_BREAK = re.compile(r"\\$")

OPENER = re.compile(r"[*_]*The\s+General\s+Assembly\s*,[*_]*")
PLENARY = re.compile(r"(\d{1,3})(?:st|nd|rd|th)\s+plenary\s+meeting", re.I)
ADOPTED = re.compile(r"Resolution\s+adopted\s+by\s+the\s+General\s+Assembly\s+on\s+" + _DATE)
TITLE_SYMBOL = re.compile(r"(?:^|\s|\*|#)(\d{1,3})/(\d{1,4})\.\s+(?=\S)")
ODS_SYMBOL = re.compile(r"<<ODS DOC SYMBOL1>>\s*(A/[^<\s]+)\s*<<")
ANY_RES_SYMBOL = re.compile(r"\bA/RES/(\d{1,3})/(\d{1,4})\b")
DRAFT_SYMBOL = re.compile(r"\b(A/C\.\d/\d{1,3}/L\.\d+(?:/Rev\.\d+)?|A/\d{1,3}/L\.\d+(?:/Rev\.\d+)?)\b")
SESSION_WORDS = re.compile(r"\b([A-Z][a-z]+(?:[- ]?[a-z]+)?)\s+session\b")
AGENDA = re.compile(r"Agenda\s+items?\s+(\d+(?:\s*\([a-z]\))?)", re.I)
REPORT = re.compile(r"\[\s*on\s+the\s+report\s+of\s+the\s+([A-Z][\w ]*?Committee)\s*\((A/[\w./]+)\)\s*\]")
SPONSORS = re.compile(r"^\s*[*_]*([A-Z][^:\n]{1,400}?)\s*:\s*(?:revised\s+)?draft\s+resolution[*_]*\s*$",
                      re.M | re.I)
DISTR_DATE = re.compile(r"Distr\.:\s*\w+\s*(?:\n\s*)?" + _DATE)
KEYWORDS = re.compile(r"^%%%(.*)$", re.M)
OP_NUMBER = re.compile(r"^\s*(\d{1,3})\.(?:\s+|$)")
INLINE_OP = re.compile(r"(?<=[;:.,])\s+(\d{1,3})\.\s+(?=[A-Z*])")
NOT_A_LEAD = frozenset({"United", "Member", "States", "General", "Security", "Economic", "Heads",
                        "Government", "Convention", "Office", "Commission", "Conference", "Council",
                        "Secretary", "Assembly", "Protocol", "Protocols", "Programme", "Declaration",
                        "Office", "Vienna", "Bangkok", "Salvador", "Millennium", "International",
                        "Model", "Global", "Rules", "Strategy", "Criminal", "Crime", "The", "In", "On"})

# Footnote marks that layouts glue to the word or punctuation before them ("thereto,1",
# "Corruption2", "2012,10", ";9").  A digit run after digits+comma of exactly three digits
# is a thousands separator, not a mark.
# Patterns start with a digit (not a look-behind) so the regex engine can skip ahead fast;
# the context before the digits is checked in Python.
GLUED_MARK = re.compile(r"[^\s\d/](\d+)(?=[\s,;:.)]|$)")
_GLUED_BEFORE = frozenset("abcdefghijklmnopqrstuvwxyz\u2019\u201d\")],;:.")
SPACED_MARK = re.compile(r" (\d{1,2}) (?=[a-z])")

# single spaces are left alone: rewriting every one of them is the costliest no-op there is
WS = re.compile(r"[ \t\u00a0\u2000-\u200b]{2,}|[\t\u00a0\u2000-\u200b]")
_SPACE_BEFORE_PUNCT = re.compile(r"\s+([,;:.])(?=\s|$)")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_HYPHENATED = re.compile(r"[^\W\d_]-[^\W\d_]")
# Compound numbers are the one hyphen family that PDF line breaks lose even in texts that
# otherwise keep their hyphens ("Twenty-\nfirst" extracted as "Twentyfirst").
_NUMBER_COMPOUND = re.compile(r"(?i)ty(" + "|".join(
    CARDINAL_UNITS + [k for k, v in ORDINAL_UNITS.items() if v < 10]) + r")\b")
_TENS_BEFORE = re.compile(r"(?i)\b(?:twen|thir|for|fif|six|seven|eigh|nine)$")


class NotAResolution(ValueError):
    """The file is readable text but not a resolution or draft resolution."""


# --- decoding --------------------------------------------------------------------------------

def decode(data: bytes, *, source: str = "") -> tuple[str, list[str]]:
    """Bytes -> text.  Raises ValueError with a one-line reason for empty or binary input."""
    warnings: list[str] = []
    if not data.strip():
        raise ValueError("empty file")
    if data[:5] == b"%PDF-":
        return _pdf_text(data), warnings
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ValueError("binary file (contains NUL bytes), not text")
    for enc in ("utf-8-sig", "utf-16"):
        if enc == "utf-16" and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
            continue
        try:
            text = data.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    else:
        text = data.decode("cp1252", errors="replace")
        warnings.append("not valid UTF-8: decoded as Windows-1252/Latin-1")
    controls = len(_CONTROL.findall(text, 0, 20000))
    if controls > max(8, len(text[:20000]) // 100):
        raise ValueError("binary file (control characters), not text")
    return text, warnings


def _pdf_text(data: bytes) -> str:
    try:
        from pypdf import PdfReader
        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
    except Exception as exc:  # pypdf raises many types for damaged files
        raise ValueError(f"unreadable PDF ({type(exc).__name__}: {exc})") from None
    if not any(p.strip() for p in pages):
        raise ValueError("PDF has no extractable text (scanned image?)")
    return "\n\f\n".join(pages)


# --- hyphens ---------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _hyphen_lexicon() -> dict[str, str]:
    """lower-case joined form -> lower-case hyphenated form."""
    text = resources.files("analytics").joinpath("data/hyphenated.txt").read_text(encoding="utf-8")
    forms = [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    for tens in TENS:
        for unit in CARDINAL_UNITS:
            forms.append(f"{tens}-{unit}")
        for unit, value in ORDINAL_UNITS.items():
            if value < 10:
                forms.append(f"{tens}-{unit}")
    return {f.lower().replace("-", ""): f.lower() for f in forms if "-" in f}


def trie_regex(words: list[str]) -> str:
    """One regex for many literal words, factored as a trie.

    Python's engine tries alternatives one by one; a trie fails after a character or two
    instead of after every word, which makes a 200-word lexicon ten times cheaper."""
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        alts, optional = [], False
        for ch in sorted(node):
            if ch == "":
                optional = True
                continue
            piece = r"\s+" if ch == " " else re.escape(ch)
            alts.append(piece + build(node[ch]))
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if optional else body

    return build(trie)


@lru_cache(maxsize=1)
def _hyphen_pattern() -> re.Pattern[str]:
    # no leading assertion: a pattern that starts with its letters lets the engine skip ahead;
    # the word boundary before the match is checked by the caller
    return re.compile(r"(" + trie_regex(list(_hyphen_lexicon())) + r")(?![\w-])", re.I)


def _restore_number_hyphens(text: str) -> str:
    def fix(m: re.Match[str]) -> str:
        if _TENS_BEFORE.search(text, max(0, m.start() - 6), m.start()):
            return "ty-" + m.group(1)
        return m.group(0)
    return _NUMBER_COMPOUND.sub(fix, text)


def _restore_hyphens(text: str) -> str:
    lex = _hyphen_lexicon()

    def fix(m: re.Match[str]) -> str:
        word = m.group(1)
        if m.start() and (text[m.start() - 1].isalnum() or text[m.start() - 1] in "-_"):
            return word
        target = lex[re.sub(r"\s+", " ", word.lower())]
        out, i = [], 0
        for ch in target:  # re-insert hyphens while keeping the text's own capitals
            if ch == "-":
                out.append("-")
            else:
                out.append(word[i])
                i += 1
        return "".join(out)

    return _hyphen_pattern().sub(fix, text)


# --- metadata --------------------------------------------------------------------------------

def ordinal_value(words: str) -> int | None:
    """'Sixty-third' / 'sixtythird' / 'sixty third' -> 63."""
    w = re.sub(r"[\s-]+", "", words.lower())
    if w in ORDINAL_UNITS:
        return ORDINAL_UNITS[w]
    for tens, tv in TENS.items():
        if w.startswith(tens):
            rest = w[len(tens):]
            if rest in ORDINAL_UNITS and ORDINAL_UNITS[rest] < 10:
                return tv + ORDINAL_UNITS[rest]
    return None


def _date(m: re.Match[str] | None) -> dt.date | None:
    if not m:
        return None
    day, month, year = m.groups()
    try:
        return dt.date(int(year), MONTHS.index(month.lower()) + 1, int(day))
    except ValueError:
        return None


def _flat(text: str) -> str:
    """Markup-free single-spaced text for metadata regexes."""
    text = SUP.sub(" ", text)
    text = EMPHASIS.sub(r"\2", EMPHASIS.sub(r"\2", text))
    text = re.sub(r"^[ \t]*#{1,6}[ \t]*", "", text, flags=re.M)
    return text


# --- body ------------------------------------------------------------------------------------

def _clean_line(line: str) -> str:
    # cheap membership tests first: this runs on every line of the corpus
    if "#" in line:
        line = MD_HEADING.sub("", line)
    if line.endswith("\\"):
        line = line[:-1]
    if "  " in line or "\t" in line or "\u00a0" in line:
        line = WS.sub(" ", line)
    return line.strip()


def _is_furniture(line: str, title_fold: str, prev_furniture: bool) -> bool:
    if FURNITURE_LINE.match(line):
        return True
    has_symbol = "A/" in line
    if has_symbol and SYMBOL_HEAD.match(line):
        return True
    if line[:1].isdigit() or line[:1] in "*(":
        tokens = line.split()
        if len(tokens) > 1 and all(FURNITURE_TOKEN.match(t) for t in tokens):
            return True
    lead_symbol = has_symbol and _LEAD_SYMBOL.match(line)
    if lead_symbol:  # running head: symbol, then the short title
        frag = re.sub(r"\W+", " ", lead_symbol.group(1)).strip().lower()
        return frag in title_fold
    # A running head repeats the short title beside the symbol: drop a title fragment
    # only next to other furniture, never a body line that happens to echo the title.
    if prev_furniture and len(line) >= 15:
        frag = re.sub(r"\W+", " ", line).strip().lower()
        return bool(frag) and frag in title_fold
    return False


def _lead_of(text: str, part: str) -> str:
    m = _LEAD_FIRST.match(text)
    if not m:
        return ""
    end = m.end()
    tail = LEAD_TAIL.match(text[end:])
    lead = text[:end] + (tail.group(0) if tail else "")
    # "by", "of", "that" introduce the object: they are never the last word of a lead.
    lead = re.sub(r"(?:\s+(?:by|of|that))+$", "", lead)
    return lead.strip()


def _starts_preambular(text: str) -> bool:
    m = _LEAD_FIRST.match(text)
    if not m or not text[:1].isupper():
        return False
    first = m.group(1)
    if m.start(1) > 0 and first[:1].isupper():
        return False  # "Also Recalling" is not a lead; "Deeply concerned" is
    if first in NOT_A_LEAD:
        return False
    return first.endswith(("ing", "ed")) or first in PREAMBULAR_ADJECTIVES


def _strip_marks(text: str, known: set[str], spaced: bool) -> str:
    def glued(m: re.Match[str]) -> str:
        before, digits = m.group(0)[0], m.group(1)
        start = m.start(1)
        if len(digits) > 3 or before not in _GLUED_BEFORE:
            return m.group(0)
        # thousands separator: "1,000"
        if before == "," and start >= 2 and text[start - 2].isdigit() and len(digits) == 3:
            return m.group(0)
        if before not in ",;:)]\"\u201d\u2019":
            # after a letter or full stop the digits may belong to a reference such as
            # "E/CN.15", "Rev.1", "No.5" or a code like "G77": keep them
            word_start = max(text.rfind(" ", 0, start), text.rfind("\n", 0, start)) + 1
            word = text[word_start:start]
            if "/" in word or any(ch.isdigit() for ch in word) or \
                    (before == "." and len(word) <= 5) or word[:1].isupper() and word.isupper():
                return m.group(0)
        if known and digits not in known:
            return m.group(0)
        if not known and int(digits) > 99:
            return m.group(0)
        return before

    text = GLUED_MARK.sub(glued, text)
    if spaced:
        def spaced_mark(m: re.Match[str]) -> str:
            # a bare number is a footnote mark only right after "word," or "thereto"
            head = text[max(0, m.start() - 7):m.start()]
            if not (re.search(r"[A-Za-z]{3},$", head) or head.endswith("thereto")):
                return m.group(0)
            if known and m.group(1) not in known:
                return m.group(0)
            return " "
        text = SPACED_MARK.sub(spaced_mark, text)
    return text


def _join(lines: list[str], vocab) -> str:
    out = ""
    for ln in lines:
        if not out:
            out = ln
        elif out.endswith("-") and ln[:1].islower():
            # UN style does not break words at line ends, so a line-end hyphen is a real
            # compound hyphen unless the document writes the word solid elsewhere.
            head = re.search(r"(\w+)-$", out)
            tail = re.match(r"\w+", ln)
            solid = (head.group(1) + tail.group(0)).lower() if head and tail else ""
            words = str(vocab)
            if solid and re.search(r"\b" + re.escape(solid) + r"\b", words) and \
                    not re.search(r"\b" + re.escape(head.group(1).lower() + "-" + tail.group(0).lower()) + r"\b", words):
                out = out[:-1] + ln
            else:
                out = out + ln
        else:
            out = out + " " + ln
    return out


class _Builder:
    """Accumulates body lines into paragraphs and footnotes."""

    def __init__(self) -> None:
        self.pre: list[list[str]] = []
        self.ops: list[tuple[int, list[str]]] = []
        self.footnotes: list[list[str]] = []
        self.current: list[str] | None = None
        self.in_footnotes = False

    @property
    def next_number(self) -> int:
        return self.ops[-1][0] + 1 if self.ops else 1

    def previous_ends_clause(self) -> bool:
        if self.current is None or not self.current:
            return True
        last = self.current[-1]
        last = SUP.sub("", last).rstrip("*_ ")
        last = re.sub(r"(?<=[,;:.])\s?\d{1,3}$", "", last)
        return last.endswith((",", ";", ":", "."))

    def add(self, line: str) -> None:
        m = OP_NUMBER.match(line)
        if m and int(m.group(1)) == self.next_number:
            rest = line[m.end():]
            self.current = [rest] if rest else []
            self.ops.append((int(m.group(1)), self.current))
            return
        marked = "*" in line or "_" in line
        plain = EMPHASIS.sub(r"\2", line) if marked else line
        emphasised = marked and bool(re.match(r"^[*_]+[A-Z]", line))
        if not self.ops and (emphasised or (_starts_preambular(plain) and self.previous_ends_clause())):
            self.current = [line]
            self.pre.append(self.current)
            return
        if self.current is None:
            # text between the opener and the first recognisable paragraph
            self.current = [line]
            self.pre.append(self.current)
            return
        self.current.append(line)


def _split_inline(body: str) -> str:
    """Put each paragraph of a one-line layout on its own line.

    Operative numbers are only split in sequence (so "paragraph 2. " never splits),
    preambular leads only after a comma and only before the first operative number.
    """
    out: list[str] = []
    lines = body.split("\n")
    # Only a body that is (nearly) one line is split inline; elsewhere line breaks already
    # separate paragraphs and a long ODS line is a single paragraph.
    one_line = sum(1 for ln in lines if ln.strip()) <= 3
    for line in lines:
        if not one_line and len(line) < 5000:
            out.append(line)
            continue
        expected = 1
        pieces, last = [], 0
        for m in INLINE_OP.finditer(line):
            n = int(m.group(1))
            if n == expected:
                pieces.append(line[last:m.start()])
                last = m.start() + 1
                expected += 1
        pieces.append(line[last:])
        if expected > 1:
            first_op = len(pieces[0])
            pre = _split_preamble(pieces[0])
            out.extend(pre)
            out.extend(p.strip() for p in pieces[1:])
        else:
            out.extend(_split_preamble(line))
    return "\n".join(out)


_PRE_SPLIT = re.compile(r",\s+(?=[A-Z][a-z]+)")


def _split_preamble(text: str) -> list[str]:
    parts, last = [], 0
    for m in _PRE_SPLIT.finditer(text):
        if _starts_preambular(text[m.end():m.end() + 60]):
            parts.append(text[last:m.start() + 1])
            last = m.end()
    parts.append(text[last:])
    return [p.strip() for p in parts if p.strip()]


def parse_text(text: str, *, source: str = "document.txt", sha256: str | None = None,
               warnings: tuple[str, ...] | list[str] = ()) -> Resolution:
    """Parse one document's decoded text.  Raises NotAResolution with the reason."""
    warns = list(warnings)
    sha = sha256 or hashlib.sha256(text.encode("utf-8")).hexdigest()
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00ad", "")
    text = text.replace("\u00a0", " ")
    if "\f" in text:  # pdftotext glues the form feed to the next page's first line
        text = re.sub(r"[ \t]*\f[ \t]*", "\n\f\n", text)
    keywords = tuple(k.strip() for m in KEYWORDS.finditer(text) for k in m.group(1).split("|") if k.strip())
    text = KEYWORDS.sub("", text)

    # The opener may share its line with the title and the first paragraph (one-line layout).
    opener = OPENER.search(text)
    if not opener:
        raise NotAResolution("not a resolution: no 'The General Assembly,' opening")
    head, rest = text[:opener.start()], text[opener.end():]
    plenary = PLENARY.search(rest)
    if plenary:
        body, tail = rest[:plenary.start()], rest[plenary.start():]
    else:
        body, tail = rest, ""
    # header fields live before the opener or after the plenary line, never in the body
    # (whose "at its sixty-fourth session" is not this document's session)
    flat_head = _flat(head)
    flat_all = flat_head + "\n" + _flat(tail)

    # --- metadata
    symbol = None
    title = ""
    m = ODS_SYMBOL.search(text)
    ts = TITLE_SYMBOL.search(flat_head)
    if ts:
        symbol = f"A/RES/{ts.group(1)}/{ts.group(2)}"
        title = flat_head[ts.end():]
    if m and symbol is None:
        symbol = m.group(1).rstrip("*")
    if symbol is None:
        heads = ANY_RES_SYMBOL.findall(head + tail)
        if heads:
            symbol = f"A/RES/{heads[0][0]}/{heads[0][1]}"
        else:
            d = DRAFT_SYMBOL.search(head)
            symbol = d.group(1) if d else None
    if not title:
        blocks = [b for b in re.split(r"\n\s*\n", flat_head) if b.strip()]
        title = blocks[-1] if blocks else ""
    title = re.sub(r"\s+", " ", title).strip(" *#_")
    title = re.sub(r"^\[?on the report of[^\]]*\]\s*", "", title)

    sponsors_m = SPONSORS.search(flat_head)
    is_draft = bool(sponsors_m) or bool(re.search(r"\bdraft resolution\b", flat_head, re.I)) \
        and not re.search(r"Resolution adopted", flat_head)
    kind = "draft" if is_draft else "resolution"
    sponsors: tuple[str, ...] = ()
    if sponsors_m:
        sponsors = tuple(s.strip(" *_") for s in re.split(r",\s*|\s+and\s+", sponsors_m.group(1)) if s.strip(" *_"))

    session = None
    sm = re.match(r"A/(?:RES/|C\.\d/)?(\d{1,3})/", symbol or "")
    if sm:
        session = int(sm.group(1))
    else:
        for w in SESSION_WORDS.finditer(flat_all[:5000]):
            session = ordinal_value(w.group(1))
            if session:
                break
    adopted = _date(ADOPTED.search(flat_head))
    plenary_date = None
    plenary_meeting = None
    if plenary:
        plenary_meeting = f"{plenary.group(0)}"
        plenary_date = _date(re.search(_DATE, _flat(tail[:200])))
    distr = _date(DISTR_DATE.search(flat_all))
    if kind == "resolution":
        date = adopted or plenary_date
        if adopted and plenary_date and adopted != plenary_date:
            warns.append(f"adoption date {adopted} differs from plenary date {plenary_date}")
    else:
        date = distr or adopted
    if date is None:
        warns.append("no date found in the text")
    year = date.year if date else (1945 + session if session else None)
    agenda = AGENDA.search(flat_all)
    report = REPORT.search(flat_all)
    if symbol is None and kind == "resolution":
        warns.append("no document symbol found in the text")

    # --- body lines, furniture, footnotes
    title_fold = re.sub(r"\W+", " ", title).lower()
    builder = _Builder()
    footnotes: dict[str, list[str]] = {}
    fn_order: list[str] = []
    open_fn: list[str] | None = None
    prev_furniture = False
    in_fn_zone = False  # after a PDF "____" rule until the page ends
    body = _split_inline(body)
    for raw in body.split("\n"):
        if raw.strip() == "\f":
            in_fn_zone, open_fn, prev_furniture = False, None, True
            continue
        line = _clean_line(raw)
        if not line:
            continue
        md = FOOTNOTE_MD.match(line)
        if md:
            open_fn = [md.group(2)]
            footnotes.setdefault(md.group(1), open_fn)
            fn_order.append(md.group(1))
            continue
        if _is_furniture(line, title_fold, prev_furniture):
            if re.match(r"^\s*_{3,}\s*$", line):
                in_fn_zone = True
            else:
                in_fn_zone, open_fn = False, None
            prev_furniture = True
            continue
        prev_furniture = False
        if in_fn_zone:
            fm = FOOTNOTE_PLAIN.match(line)
            if fm and not OP_NUMBER.match(line):
                open_fn = [fm.group(2)]
                footnotes.setdefault(fm.group(1), open_fn)
                fn_order.append(fm.group(1))
                continue
            if open_fn is not None:
                open_fn.append(line)
                continue
            in_fn_zone = False
        open_fn = None
        builder.add(line)

    # tail: closing date, then footnotes and furniture
    open_fn = None
    prev_furniture = False
    # numbering continues from the body's last footnote (official PDFs put the last page's
    # notes after the plenary line)
    expected_fn = max((int(k) for k in footnotes if k.isdigit()), default=0) + 1
    for raw in tail.split("\n")[1:]:
        if "<<ODS" in raw or raw.lstrip().startswith("[DU"):
            break  # ODS exports end with field markers and a copy of the page furniture
        line = _clean_line(raw)
        if not line or raw.strip() == "\f":
            continue
        md = FOOTNOTE_MD.match(line) or FOOTNOTE_PLAIN.match(line)
        if md and md.group(1).isdigit():
            # footnotes run in sequence; "27 March 2013" after note 13 is not note 27
            if int(md.group(1)) != expected_fn:
                md = None
            else:
                expected_fn += 1
        if _is_furniture(line, title_fold, prev_furniture) and not md:
            prev_furniture = True
            open_fn = None
            continue
        prev_furniture = False
        if md:
            open_fn = [md.group(2)]
            footnotes.setdefault(md.group(1), open_fn)
            fn_order.append(md.group(1))
        elif open_fn is not None:
            open_fn.append(line)

    # --- assemble paragraphs
    known_marks = {k for k in footnotes if k.isdigit()}
    spaced_marks = "<sup>" not in text
    vocab = _LazyVocab(body)
    # A layout that lost every hyphen gets them back from the lexicon; the full pass is the
    # costliest step of parsing, so texts that kept their hyphens only get the number pass.
    need = max(3, len(body) // 20000)
    hyphens_lost = body.count("-") < need or \
        sum(1 for _ in itertools.islice(_HYPHENATED.finditer(body), need)) < need
    restore = _restore_hyphens if hyphens_lost else _restore_number_hyphens
    if hyphens_lost:
        warns.append("hyphens appear to be lost in this text: restored from the compound lexicon")

    def finish(lines: list[str]) -> str:
        s = _join([ln for ln in lines if ln], vocab)
        if "<" in s:
            s = SUP.sub("", s)
        if "*" in s or "_" in s:
            s = EMPHASIS.sub(r"\2", EMPHASIS.sub(r"\2", s))
            s = s.replace("*", "") if s.count("*") <= 2 and re.search(r"\*\s*$|^\s*\*", s) else s
        s = _strip_marks(s, known_marks, spaced_marks)
        s = restore(s)
        if " ," in s or " ;" in s or " :" in s or " ." in s:
            s = _SPACE_BEFORE_PUNCT.sub(r"\1", s)
        if "  " in s or "\t" in s:
            s = WS.sub(" ", s)
        return s.strip()

    preambular = []
    for lines in builder.pre:
        s = finish(lines)
        if s:
            preambular.append(Paragraph("preambular", len(preambular) + 1, None, _lead_of(s, "preambular"), s))
    operative = []
    for number, lines in builder.ops:
        s = finish(lines)
        operative.append(Paragraph("operative", len(operative) + 1, number, _lead_of(s, "operative"), s))
    if not operative:
        raise NotAResolution("not a resolution: no numbered operative paragraphs after 'The General Assembly,'")
    for p in preambular:
        if not p.lead:
            warns.append(f"{p.key}: no recognisable opening phrase: {p.text[:60]!r}")
    fn_texts = []
    seen = set()
    for k in fn_order:
        if k in seen:
            continue
        seen.add(k)
        s = finish(footnotes[k]) if k in footnotes else ""
        fn_texts.append(f"{k} {s}".strip())
    return Resolution(
        id=_make_id(symbol, session, kind, sha),
        symbol=symbol, session=session, year=year, date=date, kind=kind,
        title=restore(title), sponsors=sponsors,
        agenda_item=agenda.group(1) if agenda else None,
        committee_report=report.group(2) if report else None,
        plenary_meeting=plenary_meeting, keywords=keywords, source=source, sha256=sha,
        preambular=tuple(preambular), operative=tuple(operative),
        footnotes=tuple(fn_texts), warnings=tuple(warns),
    )


class _LazyVocab:
    """The document's words, built only if some line ends with a hyphen (rare)."""

    def __init__(self, body: str) -> None:
        self.body, self._text = body, None

    def __str__(self) -> str:
        if self._text is None:
            self._text = " ".join(re.findall(r"[\w-]+", self.body.lower()))
        return self._text


def _make_id(symbol: str | None, session: int | None, kind: str, sha: str) -> str:
    if symbol:
        return re.sub(r"[^A-Za-z0-9.]+", "-", symbol).strip("-")
    if session:
        return f"{kind}-{session}"
    return f"{kind}-{sha[:8]}"


def parse_bytes(data: bytes, *, source: str = "document.txt") -> Resolution:
    """Decode and parse one file's bytes; raises ValueError (incl. NotAResolution) with a reason."""
    sha = hashlib.sha256(data).hexdigest()
    text, warns = decode(data, source=source)
    return parse_text(text, source=source, sha256=sha, warnings=warns)


def load_corpus(*args, **kwargs):
    """Convenience re-export of `analytics.corpus.load_corpus` (imported lazily: corpus imports us)."""
    from .corpus import load_corpus as _load
    return _load(*args, **kwargs)
