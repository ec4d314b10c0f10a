"""Regexes and word lists of the reader: data, compiled once.

Quantifiers that could run over a whole text are bounded or anchored to one line (``[ \\t]``,
``[^\\n]``, ``{1,N}``), so no pattern backtracks over a long run of blanks, stars or spaces.
"""
from __future__ import annotations

import re

MONTHS = ("january february march april may june july august september october "
          "november december").split()
MONTH = r"(?:" + "|".join(m.capitalize() for m in MONTHS) + r")"
DATE = rf"(\d{{1,2}})[ \t\n]+({MONTH})[ \t\n]+(\d{{4}})"

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

# --- characters ------------------------------------------------------------------------------
# One form for every layout's characters (U+2011/U+2010 are hyphens as printed; PDFium marks a
# hyphen at a line break as U+FFFE).  Pairs, not str.translate: a dict-driven translate
# visits every character in Python (3.4 ms for a 20 KB text); a replace per pair that occurs
# is a C scan each (0.07 ms).
CHAR_REPLACEMENTS = (("\u00ad", ""), ("\u200b", ""), ("\ufeff", ""), ("\u2011", "-"), ("\u2010", "-"),
                     ("\u00a0", " "), ("\u3000", " "), ("\u2009", " "), ("\u202f", " "), ("\ufffe", "-"),
                     ("\r", "\n"))
CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
WS = re.compile(r"[ \t\u2000-\u200a]{2,}|[\t\u2000-\u200a]")
SPACE_BEFORE_PUNCT = re.compile(r" ([,;:.])(?=\s|$)")
QUOTE_SPACE = re.compile(r"(\u201c) | (\u201d)")

# --- furniture -------------------------------------------------------------------------------
FURNITURE_LINE = re.compile(
    r"""^[ \t]*(?:
        [-_*=]{3,}                               # rules, markdown and PDF footnote separators
      | \d{1,4}[ \t]*/[ \t]*\d{1,4}              # page counters "2/2"
      | \d{1,4}                                  # bare page numbers
      | \d{2}-\d{5}[ \t]*+(?:\(E\))?[ \t]*+(?:\d{6}[ \t]*+)?\*?  # job numbers "12-48994 (E) 010213"
      | \*\d{7}\*[^\n]*                          # bar-code job numbers
      | [^\n]{0,200}Please[ \t]+recycle[^\n]*
      | (?:\[DU\d*\][ \t]*)?<<ODS[^>\n]{0,200}>>[^\n]*   # ODS field markers
      | \[DU\d*\]
      | United[ \t]Nations[ \t]*A/\S+[^\n]*       # ODS/PDF first-page head
      | (?:Distr\.|Original):[^\n]*
    )[ \t]*$""", re.X)
RULE_LINE = re.compile(r"^[ \t]*_{3,}[ \t]*$")
# A line made only of these tokens is page furniture ("2/4 13-44880", "13-44880 (E) 200114 *1344880*").
FURNITURE_TOKEN = re.compile(r"^(?:\d{1,4}/\d{1,4}|\d{2}-\d{5}\*?|\(E\)|\d{6}|\*\d{5,8}\*|\d{1,4})$")
PAGE_COUNTER = re.compile(r"(?<![\d/])(\d{1,3})[ \t]*/[ \t]*(\d{1,3})(?![\d/])")
LEAD_SYMBOL = re.compile(r"^[ \t]*A/(?:RES/|C\.\d/)?\d+/[\w./]+\*?[ \t]+(\S.{14,})$")
TRAIL_SYMBOL = re.compile(r"^(.{15,}?)[ \t]+A/(?:RES/|C\.\d/)?\d+/[\w./]+\*?[ \t]*$")
SYMBOL_HEAD = re.compile(r"^[ \t]*A/(?:RES/)?[\dA-Z][\w./]*\*?[ \t]*$")
HEADER_LINE = re.compile(r"^[ \t]*(?:General Assembly\b.*|[A-Z][a-z]+(?:-[a-z]+)?\s+session\s*|Agenda item.*|"
                         r"Distr\.:.*|Original:.*|\d{1,2}\s+" + MONTH + r"\s+\d{4}\s*)$")

# --- markup ----------------------------------------------------------------------------------
SUP = re.compile(r"<sup>[ \t]*([\w*]{1,6})[ \t]*</sup>")
FOOTNOTE_MD = re.compile(r"^[ \t]*<sup>[ \t]*([\w*]{1,6})[ \t]*</sup>[ \t]*(.*)$")
FOOTNOTE_PLAIN = re.compile(r"^[ \t]*(\d{1,3}|\*{1,3})[ \t]+(\S.*)$")
MD_HEADING = re.compile(r"^[ \t]*#{1,6}[ \t]*")
KEYWORDS = re.compile(r"^%%%([^\n]*)$", re.M)

# --- structure -------------------------------------------------------------------------------
# the opener itself, without the emphasis marks around it: "[*_]*The..." backtracks over a
# run of 80,000 underscores; the marks are skipped by hand
OPENER = re.compile(r"The[ \t\n]+General[ \t\n]+Assembly[ \t\n]*,")
PLENARY_LINE = re.compile(r"^[ \t*_#]*(\d{1,3})(?:st|nd|rd|th)[ \t]+(?:\(resumed\)[ \t]+)?plenary[ \t]+meeting\b",
                          re.I | re.M)
PLENARY = re.compile(r"(\d{1,3})(?:st|nd|rd|th)[ \t\n]+(?:\(resumed\)[ \t\n]+)?plenary[ \t\n]+meeting", re.I)
ANNEX_LINE = re.compile(r"^[ \t*_#]*Annex(?:es)?(?:[ \t]+[IVX]+)?[ \t*_]*$", re.M)
OP_NUMBER = re.compile(r"^[ \t]*(\d{1,4})\.(?:[ \t]+|$)")
INLINE_OP = re.compile(r"(?<=[;:.,])[ \t]+(\d{1,4})\.[ \t]+(?=[A-Z*])")
PRE_SPLIT = re.compile(r",[ \t]+(?=[A-Z][a-z]+)")

# --- metadata --------------------------------------------------------------------------------
ADOPTED = re.compile(r"Resolution\s+adopted\s+by\s+the\s+General\s+Assembly\s+on\s+" + DATE)
TITLE_SYMBOL = re.compile(r"(?:^|[ \t\n*#])(\d{1,3})/(\d{1,4})\.[ \t]+(?=\S)")
ODS_SYMBOL = re.compile(r"<<ODS DOC SYMBOL1>>[ \t]*(A/[^<\s]+)[ \t]*<<")
ANY_RES_SYMBOL = re.compile(r"\bA/RES/(\d{1,3})/(\d{1,4})\b")
DRAFT_SYMBOL = re.compile(r"\b(A/C\.\d/\d{1,3}/L\.\d+(?:/Rev\.\d+)?|A/\d{1,3}/L\.\d+(?:/Rev\.\d+)?)\b")
# the second word needs its separator: "[- ]?" lets one long word split at every letter
SESSION_WORDS = re.compile(r"\b([A-Z][a-z]{1,30}(?:[- ][a-z]{1,30})?)[ \t\n]+session\b")
AGENDA = re.compile(r"Agenda[ \t]+items?[ \t]+(\d+(?:[ \t]*\([a-z]\))?)", re.I)
REPORT = re.compile(r"\[\s*on\s+the\s+report\s+of\s+the\s+([A-Z][\w ]{0,60}?Committee)\s*"
                    r"\((A/[\w./]+)(?:\s*,[^)\]]{0,40})?\)\s*\]")
WITHOUT_COMMITTEE = re.compile(r"without\s+reference\s+to\s+a\s+Main\s+Committee\s*\((A/[\w./]+)\)")
# applied to single lines that contain "draft resolution" (a whole-head search backtracks
# over a line of 80,000 stars)
SPONSOR_LINE = re.compile(r"^[ \t*_]{0,8}(.{0,2000}?)[ \t]*:[ \t]*\**[ \t]*(?:revised[ \t]+)?draft[ \t]+resolution[*_ \t]*$",
                          re.I)
SUBMITTED_BY = re.compile(r"draft[ \t]+resolution[ \t]+submitted[ \t]+by[ \t]+the[ \t]+"
                          r"(Vice-Chair|Chair|President|Rapporteur)\b", re.I)
DISTR_DATE = re.compile(r"Distr\.:[ \t]*\w+[ \t]*(?:\n[ \t]*)?" + DATE)

# --- leads -----------------------------------------------------------------------------------
# Opening phrases of preambular paragraphs that are not "-ing"/"-ed" participles.
PREAMBULAR_ADJECTIVES = ("Aware", "Mindful", "Conscious", "Cognizant", "Convinced", "Concerned",
                         "Alarmed", "Determined", "Desirous", "Deeply", "Gravely", "Seriously",
                         "Fully", "Having", "Guided", "Bearing", "Keeping", "Noting", "Taking",
                         "Further", "Also", "Reiterating", "Expressing", "Affirming", "Reaffirming")
NOT_A_LEAD = frozenset({"United", "Member", "States", "General", "Security", "Economic", "Heads",
                        "Government", "Convention", "Office", "Commission", "Conference", "Council",
                        "Secretary", "Assembly", "Protocol", "Protocols", "Programme", "Declaration",
                        "Vienna", "Bangkok", "Salvador", "Millennium", "International",
                        "Model", "Global", "Rules", "Strategy", "Criminal", "Crime", "The", "In", "On"})
LEAD_TAIL = re.compile(
    r"""(?:[ ]+(?:also|further|moreover|again|in\ mind|into\ (?:consideration|account)|note|
         with\ (?:deep\ |grave\ |great\ |particular\ |serious\ |profound\ )?
              (?:appreciation|concern|satisfaction|interest|regret|alarm)|
         its\ (?:deep\ |grave\ |serious\ |profound\ |full\ |strong\ )?
              (?:appreciation|concern|request|support|commitment|call|gratitude|condemnation)|
         (?:deep\ |grave\ |serious\ |profound\ )?concern|appreciation|
         upon|attention|concerned|aware|convinced|alarmed|considered|examined|
         by|of|that)(?=[\s,;:]|$)){1,8}""",
    re.X)
LEAD_FIRST = re.compile(r"^(?:(?:Deeply|Gravely|Seriously|Fully|Further|Also|Again|Once again|Strongly|"
                        r"Firmly|Urgently|Finally|Once more|Profoundly)[ ]+)?([A-Za-z][a-z]{1,30})")
LEAD_END_FUNCTION_WORDS = re.compile(r"(?:[ ]+(?:by|of|that))+$")

# --- footnote marks --------------------------------------------------------------------------
# Each mark pattern opens with a digit or a literal and checks the character before it with a
# fixed-width look-behind placed after that first character, so the engine can skip ahead to
# candidates: opening with a look-behind or a catch-all class makes it try every position (3-4x
# slower per paragraph).  GLUED_MARK does not consume the character before the digits; the rest
# of the context is checked in Python (analytics.reading.clean).
GLUED_MARK = re.compile(r"(\d(?<=[^\s\d/]\d)\d{0,2})(?=[\s,;:.)\u201d]|$)")
GLUED_BEFORE = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ\u2019\u201d\")],;:.")
SPACED_MARK = re.compile(r" (?<=[\w),;:.\u201d] )(\d{1,3})(?= [A-Za-z(\u201c]| \d{1,3}/\d| ?[,;:.]?$| ?[,;:.] )")
YEAR_MARK = re.compile(r"((?:19|20)(?<![\w/.](?:19|20))\d\d)(\d{1,2})(?=[\s,;:.)]|$)")
# a number after these words is a quantity or a reference, never a footnote mark
COUNT_WORDS = frozenset("""paragraph para article resolution rule goal target chapter section annex
    item page principle no nos vol vols volume decision recommendation option meeting part
    of from to and or between than
    about some over under least only nearly almost approximately the its their at in on by for
    with session sessions year years day days month months phase phases level levels these those
    all each every first last""".split())
# after a plural the number is a reference only when a range follows ("paragraphs 3 and 4");
# "all resolutions 30 and decisions" carries mark 30
PLURAL_COUNT_WORDS = frozenset("""paragraphs paras articles resolutions rules goals targets chapters
    sections annexes items pages principles decisions recommendations options meetings parts""".split())
