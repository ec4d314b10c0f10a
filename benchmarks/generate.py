"""Synthetic corpus generator for benchmarks and reader round-trip tests.

Builds many sessions of several resolution series by recombining and perturbing
the real paragraphs of the five seed texts, then renders each document in one of
the five seed layouts.  Everything is derived from ``random.Random`` instances
seeded from ``seed`` (string seeds hash with SHA-512, so streams are stable
across processes and Python hash randomisation): the same seed gives
byte-identical files.

The seeds are parsed here with deliberately simple code so that the generator
never depends on ``analytics.reader`` -- the reader is what it exercises.

Usage::

    python -m benchmarks.generate --n 1000 --out benchmarks/out/corpus-1000 --seed 0

Besides the documents, ``generate`` writes a manifest (``out_dir/.manifest.json``, hidden
so the corpus loader skips it, unless ``manifest_path`` says otherwise) recording, per file, what the
generator put in: symbol, session, paragraph counts, treaty figures, emerging
issues.  Tests compare the reader's output with it.  Each file's ``series`` (the index of
the series it was written for, listed under ``series`` with its title and sessions) is the
truth that ``benchmarks/series_eval.py`` scores `analytics.series.group_series` against.
"""
from __future__ import annotations

import argparse
import bisect
import datetime as dt
import json
import math
import random
import re
import sys
import time
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

GENERATOR_VERSION = 1
SEEDS_DIR = Path("/work/shared/seeds")
# The bundled corpus must stay byte-identical to the seeds: never generate into it.
_FORBIDDEN_OUT = Path(__file__).resolve().parents[1] / "corpus"

LAYOUTS = ("markdown", "ods", "draft", "pdf", "oneline")
# A dot-file: the corpus loader skips hidden files, so the manifest can live beside the
# documents without being reported as an unsupported file.
MANIFEST_NAME = ".manifest.json"
LAST_SESSION = 79   # 2024; sessions run back from here

# ---------------------------------------------------------------------------
# Lexicons (all attested in the seeds, so every layout's reader can know them)

PREAMBULAR_LEADS = (
    "Recalling also", "Recalling further", "Recalling", "Reaffirming also", "Reaffirming further",
    "Reaffirming", "Recognizing also", "Recognizing", "Taking note with appreciation",
    "Taking into consideration", "Emphasizing", "Stressing", "Welcoming", "Deeply concerned",
    "Concerned", "Expressing its grave concern", "Expressing deep concern", "Expressing its appreciation",
    "Expressing concern", "Taking note", "Welcoming also",
    "Convinced", "Mindful", "Reiterating", "Noting with appreciation", "Acknowledging",
    "Encouraging", "Bearing in mind also", "Bearing in mind", "Aware",
)
OPERATIVE_LEADS = (
    "Takes note with appreciation", "Reaffirms", "Also reaffirms", "Recognizes", "Urges",
    "Requests", "Also requests", "Draws attention", "Encourages", "Also encourages",
    "Welcomes with appreciation", "Also welcomes", "Welcomes", "Reiterates its request",
    "Reiterates its appreciation", "Reiterates", "Calls upon", "Notes with appreciation", "Notes",
    "Recommends", "Underlines", "Also invites", "Invites", "Expresses its grave concern",
    "Expresses its appreciation", "Takes note",
)
_ALL_LEADS = sorted(set(PREAMBULAR_LEADS + OPERATIVE_LEADS), key=len, reverse=True)
_LEAD_RE = re.compile("(" + "|".join(re.escape(x) for x in _ALL_LEADS) + r")(?=[ ,])")
_PP_SPLIT_RE = re.compile(r", (?=(?:" + "|".join(re.escape(x) for x in
                                               sorted(PREAMBULAR_LEADS, key=len, reverse=True))
                          + r")[ ,])")

# Paragraphs the generator writes itself (so the manifest knows their figures).
_EXCLUDE_RE = re.compile(
    r"has reached|emerging policy issues|submit a report|prepared pursuant to resolution|"
    r"progress made in the implementation of General Assembly resolution|its resolutions 46/152|"
    r"status of ratifications|report referred to in paragraph")

SWAPS = (
    ("strengthen", "enhance"), ("enhance", "strengthen"), ("continue to provide", "provide"),
    ("Member States", "States"), ("technical assistance", "technical cooperation"),
    ("upon request", "upon their request"), ("in particular", "especially"),
    ("effective", "efficient"), ("relevant", "competent"), ("comprehensive", "integrated"),
    ("to combat", "to prevent and combat"), ("cooperation", "collaboration"),
    ("importance", "crucial importance"), ("encourages", "strongly encourages"),
    ("urges", "calls upon"), ("the need", "the urgent need"), ("support", "assistance"),
    ("national", "national and local"), ("measures", "steps"),
)
INSERTS = (
    ", within existing resources", ", in accordance with its mandate", ", as appropriate",
    ", taking into account the specific needs of developing countries",
    ", including through South-South cooperation", ", in close cooperation with Member States",
    ", upon request", ", with a gender perspective", ", in a coordinated manner",
)

ISSUES = (  # (text, first session named, last session named or None)
    ("juvenile delinquency", 20, 45), ("the treatment of offenders", 20, 48),
    ("crime and development", 25, 50), ("drug abuse", 25, 45),
    ("drug trafficking", 40, 52), ("terrorism", 40, 56), ("computer-related crime", 45, 56),
    ("money-laundering", 44, 60), ("corruption", 46, 58), ("kidnapping", 50, 66),
    ("trafficking in persons", 52, 62), ("the smuggling of migrants", 52, 64),
    ("urban crime", 55, 68), ("the sexual exploitation of children", 55, 64),
    ("cybercrime", 56, None), ("economic fraud and identity-related crime", 58, 72),
    ("illicit international trafficking in forest products, including timber, wildlife and other "
     "forest biological resources", 60, 68), ("piracy", 63, 74),
    ("trafficking in cultural property", 64, None),
    ("the use of new information technologies to abuse and exploit children", 65, 72),
    ("illicit financial flows", 66, None),
    ("environmental crime, including illicit trafficking in endangered species of wild fauna and "
     "flora", 66, None), ("trafficking in falsified medical products", 66, None),
    ("trafficking in human organs", 67, None), ("maritime crime", 68, None),
    ("the smuggling of migrants by sea", 69, 77), ("fisheries crime", 70, None),
    ("crimes that affect the environment", 70, None), ("hate crime", 71, None),
    ("online child sexual exploitation and abuse", 72, None),
    ("trafficking in precious metals and stones", 73, None), ("illegal mining", 74, None),
    ("crimes involving cryptocurrencies", 74, None), ("ransomware attacks", 76, None),
    ("artificial intelligence-enabled fraud", 77, None),
)

TREATIES = (  # (name, session of entry into force, parties then, parties at LAST_SESSION)
    ("United Nations Convention against Transnational Organized Crime", 58, 80, 192),
    ("United Nations Convention against Corruption", 60, 38, 190),
    ("Protocol to Prevent, Suppress and Punish Trafficking in Persons, Especially Women and Children",
     58, 55, 182),
    ("Protocol against the Smuggling of Migrants by Land, Sea and Air", 59, 45, 152),
    ("Protocol against the Illicit Manufacturing of and Trafficking in Firearms, Their Parts and "
     "Components and Ammunition", 60, 40, 122),
    ("United Nations Convention against Illicit Traffic in Narcotic Drugs and Psychotropic "
     "Substances of 1988", 45, 20, 191),
    ("International Convention for the Suppression of the Financing of Terrorism", 56, 30, 190),
    ("International Convention for the Suppression of Acts of Nuclear Terrorism", 62, 22, 125),
)

SEED_TITLE = ("Strengthening the United Nations crime prevention and criminal justice programme, "
              "in particular its technical cooperation capacity")
FIXED_TITLES = (
    "International cooperation against the world drug problem",
    "Strengthening international cooperation in combating the harmful effects of illicit financial flows",
    "Improving the coordination of efforts against trafficking in persons",
    "Technical assistance for implementing the international conventions and protocols related to terrorism",
    "Preventing and combating corrupt practices and the transfer of proceeds of corruption",
    "Follow-up to the United Nations Congress on Crime Prevention and Criminal Justice",
    "Strengthening crime prevention and criminal justice responses to protect cultural property",
    "United Nations African Institute for the Prevention of Crime and the Treatment of Offenders",
)
CRIME_TOPICS = (
    "trafficking in persons", "the smuggling of migrants", "corruption", "money-laundering",
    "cybercrime", "piracy", "trafficking in cultural property", "illicit trafficking in wildlife",
    "terrorism", "kidnapping", "illicit financial flows", "urban crime", "violence against women",
    "illicit trafficking in firearms", "crimes that affect the environment",
    "economic fraud and identity-related crime", "trafficking in human organs", "maritime crime",
    "trafficking in falsified medical products", "illicit trafficking in precious metals",
)
FRAMES = (
    "Strengthening international cooperation to combat {t}",
    "Technical assistance for preventing and countering {t}",
    "Improving the coordination of efforts against {t}",
    "Strengthening crime prevention and criminal justice responses to {t}",
    "International cooperation in preventing and combating {t}",
    "Action against {t}",
    "Promoting technical assistance and capacity-building to counter {t}",
    "Measures to prevent and combat {t}",
)
REGIONS = ("", " in Africa", " in Central Asia", " in the Caribbean", " in West Africa",
           " in South-East Asia", " in Latin America")
TOPIC_TREATY = {
    "trafficking in persons": 2, "the smuggling of migrants": 3, "corruption": 1,
    "money-laundering": 6, "terrorism": 6, "illicit trafficking in firearms": 4,
    "illicit financial flows": 1, "maritime crime": 0,
}
AGENDA_TITLES = {
    "Third": ("Crime prevention and criminal justice", "International drug control",
              "Advancement of women", "Promotion and protection of the rights of children"),
    "Sixth": ("Measures to eliminate international terrorism", "The rule of law at the national and "
              "international levels"),
    "Second": ("Sustainable development", "Globalization and interdependence"),
}
COUNTRIES = (
    "Italy", "Mexico", "Brazil", "Canada", "Nigeria", "Japan", "Egypt", "France", "Germany",
    "Thailand", "Qatar", "Austria", "Norway", "Peru", "Chile", "Kenya", "Morocco", "Philippines",
    "Colombia", "Argentina", "Indonesia", "Senegal", "Sweden", "Finland", "Spain", "Portugal",
    "Belarus", "Viet Nam", "South Africa", "Costa Rica", "Ghana", "Turkey", "Ukraine", "Mongolia",
)
KEYWORDS = (
    "CRIME PREVENTION", "CRIMINAL JUSTICE", "TERRORISM", "CORRUPTION", "TECHNICAL COOPERATION",
    "TRAFFICKING IN PERSONS", "TRANSNATIONAL CRIME", "ORGANIZED CRIME", "INTERNATIONAL COOPERATION",
    "ADVISORY SERVICES", "COORDINATION WITHIN UN SYSTEM", "LAUNDERING OF FUNDS", "ABDUCTION",
    "CRIME VICTIMS", "WITNESSES", "DRUG TRAFFIC", "EXTRADITION", "TERRORISM FINANCING",
    "INTERGOVERNMENTAL ORGANIZATIONS", "REGIONAL ORGANIZATIONS", "SMUGGLING", "MIGRANTS",
    "FIREARMS", "COUNTER-TERRORISM", "LAW ENFORCEMENT", "RULE OF LAW",
    "SIGNATURES, ACCESSIONS, RATIFICATIONS", "TREATY COMPLIANCE", "GENDER-BASED VIOLENCE", "GIRLS",
    "STANDARDS", "MANUALS", "BUDGET CONTRIBUTIONS", "FINANCIAL ASSISTANCE", "CYBERCRIME", "PIRACY",
    "CULTURAL PROPERTY", "WILDLIFE", "ENVIRONMENTAL PROTECTION", "CHILDREN", "DATA COLLECTION",
)
_INSTRUMENT_END = re.compile(
    r"\b(?:Crime|Corruption|thereto|Strategy|Declaration|Protocols|Rules|Children|Substances|"
    r"Congress|Century|Action|Convention|Programme),?(?= [a-z])")

# Synthesized paragraphs, so series on different topics say different things.
OP_TEMPLATES = (
    "Urges {actor} to {action} {obj}{qual}", "Requests {actor} to {action} {obj}{qual}",
    "Encourages {actor} to {action} {obj}{qual}", "Calls upon {actor} to {action} {obj}{qual}",
    "Invites {actor} to {action} {obj}{qual}",
    "Recognizes the efforts made by {actor} to {action} {obj}, and requests the Office to continue "
    "to provide technical assistance{qual}",
    "Welcomes the work of {actor} to {action} {obj}{qual}",
)
PP_TEMPLATES = (
    "Concerned about the growing links between {obj} and other forms of transnational organized crime",
    "Deeply concerned about the increase in {obj}, and emphasizing the need to {action} such crime",
    "Recognizing the importance of international cooperation to {action} {obj}",
    "Emphasizing the need to {action} {obj}{qual}",
    "Mindful of the need to {action} {obj} in full respect for human rights",
    "Welcoming the efforts of {actor} to {action} {obj}",
    "Acknowledging the work of {actor} to {action} {obj}{qual}",
    "Stressing that {obj} must be addressed in a comprehensive and integrated manner",
)
ACTORS = (
    "Member States", "the United Nations Office on Drugs and Crime", "States parties",
    "relevant international and regional organizations", "the Secretary-General",
    "the Commission on Crime Prevention and Criminal Justice", "the institutes of the United Nations "
    "crime prevention and criminal justice programme network",
)
ACTIONS = (
    "strengthen cooperation in combating", "provide technical assistance to counter",
    "support national efforts to prevent", "intensify efforts to prevent and combat",
    "share information and best practices on", "develop comprehensive strategies to address",
    "collect and analyse data on", "build capacity to investigate and prosecute",
)
QUALS = ("", ", upon request", ", within existing resources", ", as appropriate to their national "
         "contexts", ", in close cooperation with civil society and the private sector",
         ", with a view to protecting victims")

# ---------------------------------------------------------------------------
# Small text helpers

_ONES = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
         "fifteen sixteen seventeen eighteen nineteen").split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()
_ORD = {"one": "first", "two": "second", "three": "third", "four": "fourth", "five": "fifth",
        "six": "sixth", "seven": "seventh", "eight": "eighth", "nine": "ninth", "ten": "tenth",
        "eleven": "eleventh", "twelve": "twelfth", "thirteen": "thirteenth",
        "fourteen": "fourteenth", "fifteen": "fifteenth", "sixteen": "sixteenth",
        "seventeen": "seventeenth", "eighteen": "eighteenth", "nineteen": "nineteenth",
        "twenty": "twentieth", "thirty": "thirtieth", "forty": "fortieth", "fifty": "fiftieth",
        "sixty": "sixtieth", "seventy": "seventieth", "eighty": "eightieth", "ninety": "ninetieth"}
MONTHS = ("January February March April May June July August September October November "
          "December").split()


@lru_cache(maxsize=None)
def number_words(n: int) -> str:
    """UN style: 164 -> 'one hundred and sixty-four'."""
    if n < 20:
        return _ONES[n]
    if n < 100:
        t, o = divmod(n, 10)
        return _TENS[t] + ("-" + _ONES[o] if o else "")
    h, r = divmod(n, 100)
    return _ONES[h] + " hundred" + (" and " + number_words(r) if r else "")


@lru_cache(maxsize=None)
def ordinal_words(n: int) -> str:
    """63 -> 'sixty-third'."""
    w = number_words(n)
    head, sep, last = w.rpartition("-") if "-" in w else w.rpartition(" ")
    return head + sep + _ORD[last]


def ordinal_suffix(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def fmt_date(d: dt.date) -> str:
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


@lru_cache(maxsize=64)
def _wrap_re(width: int) -> re.Pattern[str]:
    return re.compile(r"(\S.{0,%d}|\S+)(?: +|$)" % (width - 1))


def wrap(text: str, width: int) -> list[str]:
    """Greedy word wrap; never leaves a line that looks like a paragraph number."""
    lines = _wrap_re(width).findall(text)
    # A wrapped line starting "12. Xxx" or consisting of "12." would read as a paragraph number.
    i = 1
    while i < len(lines):
        if lines[i][0].isdigit() and _NUMBERISH.match(lines[i]):
            first, _, rest = lines[i].partition(" ")
            lines[i - 1] += " " + first
            if rest:
                lines[i] = rest
            else:
                del lines[i]
                continue
        i += 1
    return lines


_NUMBERISH = re.compile(r"^\d+\.?(?: |$)")

# ---------------------------------------------------------------------------
# Seed parsing (rough on purpose: it only feeds the paragraph pool)


@dataclass(frozen=True, slots=True)
class PoolPara:
    part: str
    lead: str
    rest: str       # text after the lead, no closing punctuation
    rank: float     # relative position in its seed, keeps recombined texts in a natural order
    family: int     # same opening across seeds: one paragraph in different sessions' wording


_SUP = re.compile(r"<sup>\d+</sup>")
_GLUED = re.compile(r"(?<=[A-Za-z,;.)”\"])\d{1,2}(?=[\s,;.:]|$)")
_SPACED_MARK = re.compile(r"(?<=,) \d{1,2}(?= (?:and|in)\b)|(?<=thereto) \d(?= and\b)")
_HYPHENATED = re.compile(r"\b[A-Za-z]+(?:-[A-Za-z]+)+\b")


def _split_lead(text: str) -> tuple[str, str] | None:
    m = _LEAD_RE.match(text)
    if not m:
        return None
    return m.group(1), text[m.end():]


def _clean(rest: str) -> str:
    rest = re.sub(r"\s+", " ", rest).strip()
    rest = re.sub(r'"([^"]*)"', "\u201c\\1\u201d", rest)
    rest = re.sub(r"(\d{4}) ?[-–] ?(\d{4})", "\\1\u2013\\2", rest)
    rest = rest.rstrip(" ,;.")
    return rest if rest.startswith(",") else " " + rest


def _parse_markdown(text: str) -> list[tuple[str, str]]:
    blocks = [b.strip() for b in re.split(r"\n\s*\n", text)]
    out: list[tuple[str, str]] = []
    started = in_notes = False
    for b in blocks:
        if not started:
            started = b == "*The General Assembly,*"
            continue
        if b == "---":
            in_notes = True
            continue
        if in_notes and b.startswith("<sup>"):
            continue
        in_notes = False
        if "plenary meeting" in b:
            break
        b = _SUP.sub("", b).replace("*", "")
        m = re.match(r"(\d+)\. (.*)", b, re.S)
        if m:
            out.append(("operative", m.group(2)))
        elif b[:1].isupper():
            out.append(("preambular", b))
        elif out:
            out[-1] = (out[-1][0], out[-1][1] + " " + b)
    return out


def _parse_ods(text: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    started = False
    for line in text.splitlines():
        if not started:
            started = line.strip() == "The General Assembly,"
            continue
        if not line.startswith("\t"):
            if out:
                break
            continue
        line = _GLUED.sub("", line)
        m = re.match(r"\t(\d+)\.\t(.*)", line)
        out.append(("operative", m.group(2)) if m else ("preambular", line.strip()))
    return out


def _parse_flat(flat: str) -> list[tuple[str, str]]:
    """One string holding all paragraphs (PDF lines joined, or the one-line layout)."""
    starts: list[tuple[int, int]] = []
    pos, k = 0, 1
    while True:
        m = re.compile(rf"(?<=[,;.:] ){k}\. (?=[A-Z])").search(flat, pos)
        if not m:
            break
        starts.append((m.start(), m.end()))
        pos, k = m.end(), k + 1
    pre = flat[: starts[0][0]] if starts else flat
    out = [("preambular", p) for p in _PP_SPLIT_RE.split(pre)]
    for i, (_, b) in enumerate(starts):
        e = starts[i + 1][0] if i + 1 < len(starts) else len(flat)
        out.append(("operative", flat[b:e]))
    return out


def _parse_pdf(text: str) -> list[tuple[str, str]]:
    lines = text.splitlines()
    i = next(i for i, l in enumerate(lines) if l.strip() == "The General Assembly,")
    body: list[str] = []
    for line in lines[i + 1:]:
        s = line.strip()
        if re.match(r"\d+(st|nd|rd|th) plenary meeting", s):
            break
        if s and not s.startswith("____"):
            body.append(s)
    flat = _SPACED_MARK.sub("", _GLUED.sub("", " ".join(body)))
    return _parse_flat(flat)


def _parse_oneline(text: str, hyphen_map: dict[str, str]) -> list[tuple[str, str]]:
    body = text.splitlines()[-1]
    body = body[body.index("The General Assembly,") + len("The General Assembly,"):].strip()
    body = re.sub(r"\s\d+(st|nd|rd|th) plenary meeting.*$", "", body)

    def restore(m: re.Match) -> str:
        w = m.group(0)
        h = hyphen_map.get(w.lower())
        if not h:
            return w
        return (w[0] + h[1:]) if w[0].isupper() == h[0].isupper() else h
    body = re.sub(r"[A-Za-z]{6,}", restore, body)
    return _parse_flat(body)


@lru_cache(maxsize=4)
def load_pool(seeds_dir: Path = SEEDS_DIR) -> tuple[tuple[PoolPara, ...], tuple[PoolPara, ...]]:
    """(preambular, operative) paragraphs parsed from the seed texts, deduplicated."""
    files = sorted(seeds_dir.glob("*.txt"))
    texts = {f.name[:3]: f.read_text(encoding="utf-8") for f in files}
    hyphen_map: dict[str, str] = {}
    for key in ("000", "001", "002", "003"):
        for w in _HYPHENATED.findall(texts.get(key, "")):
            hyphen_map.setdefault(w.replace("-", "").lower(), w)
    parsed = []
    for key, text in sorted(texts.items()):
        if text.lstrip().startswith("%%%"):
            parsed.append(_parse_oneline(text, hyphen_map))
        elif "\t1.\t" in text:
            parsed.append(_parse_ods(text))
        elif "*The General Assembly,*" in text:
            parsed.append(_parse_markdown(text))
        else:
            parsed.append(_parse_pdf(text))
    seen: set[str] = set()
    families: dict[tuple[str, str], int] = {}
    pools: dict[str, list[PoolPara]] = {"preambular": [], "operative": []}
    for paras in parsed:
        n = max(1, len(paras))
        for i, (part, raw) in enumerate(paras):
            split = _split_lead(re.sub(r"\s+", " ", raw).strip())
            if not split:
                continue
            lead, rest = split
            rest = _clean(rest)
            if (lead in PREAMBULAR_LEADS) != (part == "preambular") or _EXCLUDE_RE.search(rest):
                continue
            if len(rest) < 40:
                continue
            key = re.sub(r"\W+", "", (lead + rest).lower())
            if key in seen:
                continue
            seen.add(key)
            fam_key = (lead.split(" ")[0], " ".join(rest.replace(",", " ").split()[:5]))
            family = families.setdefault(fam_key, len(families))
            pools[part].append(PoolPara(part, lead, rest, i / n, family))
    return tuple(pools["preambular"]), tuple(pools["operative"])


# ---------------------------------------------------------------------------
# Corpus model


@dataclass(slots=True)
class Para:
    lead: str
    rest: str
    rank: float
    origin: str            # "pool", "template", or what the generator wrote itself
    src: int = -1          # pool family, so a series never carries the same paragraph twice
    end_mark: int = 0      # footnote mark after the closing punctuation


@dataclass(slots=True)
class Series:
    index: int
    title: str
    topic: str
    committee: str
    agenda_title: str
    treaties: tuple[int, ...]
    emerging: bool
    schedule: list[int]
    keywords: tuple[str, ...]
    rng: random.Random
    pp_target: int
    op_target: int
    agenda_base: int
    symbols: dict[int, str] = field(default_factory=dict)


@dataclass(slots=True)
class Doc:
    layout: str
    kind: str
    series: Series
    session: int
    symbol: str | None
    title: str
    preambular: list[Para]
    operative: list[Para]
    adopted: dt.date
    distributed: dt.date
    meeting: int
    agenda_item: int
    report: str
    sponsors: tuple[str, ...]
    keywords: tuple[str, ...]
    footnotes: list[str]
    treaty_figures: list[dict]
    issues: list[str]
    changes: dict
    rng: random.Random


def _treaty_parties(t: int, session: int) -> int:
    name, eif, first, last = TREATIES[t]
    f = min(1.0, max(0.0, (session - eif) / (LAST_SESSION - eif)))
    return round(first + (last - first) * math.sqrt(f))


def _active_issues(session: int) -> list[str]:
    return [t for t, a, b in ISSUES if a <= session and (b is None or session <= b)]


_DROPPABLE = re.compile(r", [a-z][a-z -]{3,60}")


def _amend(rest: str, rng: random.Random) -> str:
    """Word swaps, an added or removed qualifier, or a dropped clause; bounded so that
    paragraphs drift over many sessions without growing without limit."""
    for _ in range(rng.randint(1, 3)):
        op = rng.random()
        if op < 0.55:
            hits = [(a, b) for a, b in SWAPS if f" {a} " in rest and b not in rest]
            if hits:
                a, b = rng.choice(hits)
                rest = rest.replace(f" {a} ", f" {b} ", 1)
                continue
        present = [x for x in INSERTS if rest.endswith(x)]
        if present:
            rest = rest[: -len(present[0])]
        elif op < 0.8:
            rest += rng.choice(INSERTS)
        else:
            commas = [m.start() for m in re.finditer(",", rest)]
            if len(commas) >= 3:
                j = rng.randrange(len(commas) - 1)
                seg = rest[commas[j]:commas[j + 1]]
                if _DROPPABLE.fullmatch(seg):
                    rest = rest[:commas[j]] + rest[commas[j + 1]:]
    return rest


def _template(part: str, topic: str, rng: random.Random) -> tuple[str, str]:
    tpl = rng.choice(PP_TEMPLATES if part == "preambular" else OP_TEMPLATES)
    obj = topic if topic and rng.random() < 0.6 else rng.choice(CRIME_TOPICS)
    text = tpl.format(actor=rng.choice(ACTORS), action=rng.choice(ACTIONS), obj=obj,
                      qual=rng.choice(QUALS))
    lead, rest = _split_lead(text)  # every template starts with a known lead
    return lead, rest


class _State:
    """A series' evolving body: carried, amended, new and dropped paragraphs per session."""

    def __init__(self, series: Series, pool: tuple[tuple[PoolPara, ...], tuple[PoolPara, ...]]):
        rng = series.rng
        self.series = series
        self.pool = {"preambular": pool[0], "operative": pool[1]}
        self.parts: dict[str, list[Para]] = {}
        for part, target in (("preambular", series.pp_target), ("operative", series.op_target)):
            src = self.pool[part]
            chosen: dict[int, int] = {}
            for i in rng.sample(range(len(src)), len(src)):
                if len(chosen) >= target:
                    break
                chosen.setdefault(src[i].family, i)
            self.parts[part] = sorted((Para(src[i].lead, src[i].rest, src[i].rank, "pool", src[i].family)
                                       for i in chosen.values()), key=lambda p: p.rank)
        self.changes = {"carried": 0, "amended": 0, "new": 0, "dropped": 0}

    def step(self) -> None:
        rng = self.series.rng
        ch = {"carried": 0, "amended": 0, "new": 0, "dropped": 0}
        for part, base in (("preambular", self.series.pp_target), ("operative", self.series.op_target)):
            target = base + rng.randint(-3, 3)
            kept: list[Para] = []
            for p in self.parts[part]:
                r = rng.random()
                if r < 0.06 and len(self.parts[part]) > 6:
                    ch["dropped"] += 1
                elif r < 0.20:
                    kept.append(Para(p.lead, _amend(p.rest, rng), p.rank, p.origin, p.src))
                    ch["amended"] += 1
                else:
                    kept.append(p)
                    ch["carried"] += 1
            while len(kept) > target + 2:
                del kept[rng.randrange(len(kept))]
                ch["dropped"] += 1
            n_new = max(0, target - len(kept)) + (1 if rng.random() < 0.5 else 0)
            for _ in range(n_new):
                in_use = {p.src for p in kept}
                src = rng.choice(self.pool[part])
                if rng.random() < 0.6 and src.family not in in_use:
                    new = Para(src.lead, src.rest, src.rank, "pool", src.family)
                else:
                    lead, rest = _template(part, self.series.topic, rng)
                    new = Para(lead, rest, rng.random(), "template")
                bisect.insort(kept, new, key=lambda p: p.rank)
                ch["new"] += 1
            self.parts[part] = kept
        self.changes = ch


def _plan(n_docs: int, seed: int):
    """Sessions, series and their schedules; returns (sessions, series list)."""
    rng = random.Random(f"{seed}:plan")
    n_sessions = rng.randint(40, 60)
    first = LAST_SESSION - n_sessions + 1
    sessions = list(range(first, LAST_SESSION + 1))
    titles_used: set[str] = set()
    series: list[Series] = []
    total = 0
    while total < n_docs * 1.1 or len(series) < 4:
        i = len(series)
        srng = random.Random(f"{seed}:series:{i}")
        if i == 0:
            title, topic = SEED_TITLE, ""
        elif i <= len(FIXED_TITLES):
            title = FIXED_TITLES[i - 1]
            topic = rng.choice(CRIME_TOPICS)
        else:
            while True:
                topic = rng.choice(CRIME_TOPICS)
                title = rng.choice(FRAMES).format(t=topic) + rng.choice(REGIONS)
                if title not in titles_used:
                    break
        titles_used.add(title)
        if i == 0:
            schedule = sessions[:]
        else:
            start = rng.randint(first, LAST_SESSION - 5)
            step = 1 if rng.random() < 0.7 else 2
            length = rng.randint(6, max(6, (LAST_SESSION - start) // step + 1))
            schedule = [s for s in range(start, LAST_SESSION + 1, step)][:length]
        committee = "Third" if i == 0 or rng.random() < 0.8 else rng.choice(("Sixth", "Second"))
        if i == 0:
            treaties = (0,)
        else:
            t = TOPIC_TREATY.get(topic)
            chosen = ({t} if t is not None else set()) | ({0} if rng.random() < 0.35 else set())
            treaties = tuple(sorted(chosen))
        kws = tuple(srng.sample(KEYWORDS, srng.randint(15, 30)))
        series.append(Series(
            index=i, title=title, topic=topic, committee=committee,
            agenda_title=("Crime prevention and criminal justice" if i == 0 else
                          srng.choice(AGENDA_TITLES[committee])),
            treaties=treaties, emerging=i == 0 or srng.random() < 0.5, schedule=schedule,
            keywords=kws, rng=srng, pp_target=srng.randint(16, 28), op_target=srng.randint(24, 41),
            agenda_base=srng.randint(90, 118)))
        total += len(schedule)
    # Symbols: unique per session, numbered in series order with gaps.
    by_session: dict[int, list[Series]] = {s: [] for s in sessions}
    for se in series:
        for s in se.schedule:
            by_session[s].append(se)
    for s in sessions:
        nrng = random.Random(f"{seed}:numbers:{s}")
        num = nrng.randint(110, 160)
        for se in by_session[s]:
            se.symbols[s] = f"{s}/{num}"
            num += nrng.randint(1, 5)
    return sessions, series


def _session_calendar(seed: int, sessions: list[int]) -> dict[tuple[int, str], tuple[dt.date, int]]:
    cal = {}
    for s in sessions:
        r = random.Random(f"{seed}:calendar:{s}")
        for c in ("Third", "Second", "Sixth"):
            cal[(s, c)] = (dt.date(1945 + s, 12, r.randint(4, 22)), r.randint(55, 82))
    return cal


_FOOTNOTE_TEMPLATES = (
    "United Nations, *Treaty Series*, vol. {vol}, No. {no}.",
    "*Ibid.*, vol. {vol}, No. {no}.",
    "Resolution {sym}, annex.",
    "A/{s}/{rep}.",
    "See *Official Records of the Economic and Social Council, {y}, Supplement No. 10 (E/{y}/30)*, "
    "chap. I, sect. D.",
    "See CTOC/COP/{y}/{k}, sect. I.A.",
    "E/CN.15/{y}/{k}.",
)


def _footnote(rng: random.Random, session: int) -> str:
    y = 1945 + session
    return rng.choice(_FOOTNOTE_TEMPLATES).format(
        vol=rng.randint(1500, 2900), no=rng.randint(20000, 50000), sym=f"{session - rng.randint(1, 6)}/"
        f"{rng.randint(100, 250)}", s=session, rep=rng.randint(60, 320), y=y, k=rng.randint(2, 20))


_MARK = "\ue000"   # placeholder for a footnote mark inside paragraph text


def _place_marks(doc: Doc) -> None:
    """Put footnote marks where the seeds put them: after instrument names, or after the
    paragraph's closing punctuation."""
    rng = doc.rng
    n = 0
    for p in doc.preambular + doc.operative:
        if rng.random() > 0.22:
            continue
        spots = [m.end() for m in _INSTRUMENT_END.finditer(p.rest)]
        n += 1
        doc.footnotes.append(_footnote(rng, doc.session))
        if spots and rng.random() < 0.7:
            k = rng.choice(spots)
            p.rest = f"{p.rest[:k]}{_MARK}{n}{_MARK}{p.rest[k:]}"
        else:
            p.end_mark = n


_PROGRAMME_NAMES = ("United Nations crime prevention and criminal justice programme",
                    "United Nations Crime Prevention and Criminal Justice Programme")


def _build_doc(series: Series, state: _State, session: int, layout: str, seed: int,
               cal: dict) -> Doc:
    rng = random.Random(f"{seed}:doc:{series.index}:{session}")
    kind = "draft" if layout == "draft" else "resolution"
    title = series.title
    if series.index == 0 and session < 64:  # the seed series' own title changed case at session 64
        title = title.replace("crime prevention and criminal justice programme",
                              "Crime Prevention and Criminal Justice Programme")
    pps = [Para(p.lead, p.rest, p.rank, p.origin) for p in state.parts["preambular"]]
    ops = [Para(p.lead, p.rest, p.rank, p.origin) for p in state.parts["operative"]]

    previous = [s for s in series.schedule if s < session][-4:]
    if previous:
        refs = [f"{series.symbols[s]} of {fmt_date(cal[(s, series.committee)][0])}" for s in previous]
        listed = refs[0] if len(refs) == 1 else ", ".join(refs[:-1]) + " and " + refs[-1]
        pps.insert(0, Para("Recalling", f" its resolution{'s' if len(refs) > 1 else ''} {listed}",
                           0.0, "recall"))
        ops.insert(0, Para("Takes note with appreciation",
                           f" of the report of the Secretary-General prepared pursuant to resolution "
                           f"{series.symbols[previous[-1]]}", 0.0, "report"))
    else:
        ops.insert(0, Para("Takes note", " of the report of the Secretary-General", 0.0, "report"))

    figures = []
    pos = min(2, len(ops))
    for t in series.treaties:
        name, eif = TREATIES[t][0], TREATIES[t][1]
        if session <= eif:
            continue
        parties = _treaty_parties(t, session)
        as_words = rng.random() < 0.5
        shown = number_words(parties) if as_words else str(parties)
        ops.insert(pos, Para("Notes with appreciation",
                             f" that the number of States parties to the {name} has reached {shown}, "
                             f"which is a {rng.choice(('good', 'significant'))} indication of the "
                             f"commitment shown by the international community to combat this phenomenon",
                             0.1, "treaty"))
        figures.append({"treaty": name, "parties": parties, "as_words": as_words})
        pos += 1

    issues: list[str] = []
    if series.emerging:
        active = _active_issues(session)
        issues = [x for x in active if rng.random() < 0.85] or (active or [ISSUES[0][0]])[-1:]
        listed = issues[0] if len(issues) == 1 else ", ".join(issues[:-1]) + " and " + issues[-1]
        ops.insert(len(ops) // 2, Para(
            "Draws attention", " to the emerging policy issues identified in the report of the "
            "Secretary-General on the implementation of the mandates of the United Nations crime "
            "prevention and criminal justice programme, " + rng.choice(("namely", "inter alia")) +
            f", {listed}, and invites the United Nations Office on Drugs and Crime to explore, within "
            "its mandate, ways and means of addressing those issues", 0.5, "emerging"))

    nxt = session + (2 if len(series.schedule) > 1 and series.schedule[1] - series.schedule[0] == 2 else 1)
    ops.append(Para("Requests", f" the Secretary-General to submit a report to the General Assembly at "
                    f"its {ordinal_words(nxt)} session on the implementation of the present resolution",
                    1.0, "report"))
    if figures and rng.random() < 0.6:
        ops.append(Para("Also requests", f" the Secretary-General to include in the report referred to in "
                        f"paragraph {len(ops)} above information on the status of ratifications or "
                        f"accessions to the {figures[0]['treaty']}", 1.0, "report"))

    # House style of the programme's name changed with the seed series' title at session 64.
    old, new = _PROGRAMME_NAMES if session < 64 else _PROGRAMME_NAMES[::-1]
    for p in pps + ops:
        if old in p.rest:
            p.rest = p.rest.replace(old, new)

    adopted, meeting = cal[(session, series.committee)]
    if kind == "draft":
        distributed = dt.date(1945 + session, 10, rng.randint(1, 31))
    else:
        distributed = adopted + dt.timedelta(days=rng.randint(50, 110))
    k = rng.randint(1, 4) if rng.random() < 0.3 else 2
    doc = Doc(
        layout=layout, kind=kind, series=series, session=session,
        symbol=None if kind == "draft" else series.symbols[session], title=title,
        preambular=pps, operative=ops, adopted=adopted, distributed=distributed, meeting=meeting,
        agenda_item=series.agenda_base + (session % 7), report=f"A/{session}/{rng.randint(400, 480)}",
        sponsors=tuple(rng.sample(COUNTRIES, k)) if kind == "draft" else (),
        keywords=series.keywords, footnotes=[], treaty_figures=figures, issues=issues,
        changes=dict(state.changes), rng=rng)
    if layout != "oneline":
        _place_marks(doc)
    return doc


# ---------------------------------------------------------------------------
# Renderers: one per seed layout


def _closing(i: int, n: int, part: str) -> str:
    if part == "preambular":
        return ","
    return "." if i == n - 1 else ";"


def _md_marks(text: str) -> str:
    return re.sub(_MARK + r"(\d+)" + _MARK, r"<sup>\1</sup>", text)


def _glued_marks(text: str) -> str:
    return re.sub(_MARK + r"(\d+)" + _MARK, r"\1", text)


def _md_paragraphs(doc: Doc, *, italic_inter_alia: bool) -> tuple[list[str], list[int]]:
    """Body blocks with footnote blocks at page breaks, sometimes splitting a paragraph
    mid-sentence across the break as in the seeds."""
    rng = doc.rng
    blocks: list[str] = []
    pending: list[int] = []
    used = 0
    since_break = 0
    page_len = rng.randint(5, 9)
    items = [(p, "preambular", i, len(doc.preambular)) for i, p in enumerate(doc.preambular)]
    items += [(p, "operative", i, len(doc.operative)) for i, p in enumerate(doc.operative)]
    for p, part, i, n in items:
        rest = p.rest
        if italic_inter_alia:
            rest = rest.replace(" inter alia", " *inter alia*")
        marks = [int(x) for x in re.findall(_MARK + r"(\d+)" + _MARK, rest)]
        text = f"*{p.lead}*{_md_marks(rest)}{_closing(i, n, part)}"
        if p.end_mark:
            text += f"<sup>{p.end_mark}</sup>"
            marks.append(p.end_mark)
        if part == "operative":
            text = f"{i + 1}. {text}"
        pending.extend(marks)
        since_break += 1
        if since_break >= page_len:
            since_break, page_len = 0, rng.randint(5, 9)
            notes = [f"<sup>{m}</sup> {doc.footnotes[m - 1]}" for m in sorted(pending) if m > used]
            split = None
            if rng.random() < 0.3:
                cands = [m.start() for m in re.finditer(r" (?=[a-z]{3,} )", text[40:-40])]
                if cands:
                    split = 40 + rng.choice(cands)
            if split is not None:
                blocks.append(text[:split])
                if notes:
                    blocks.append("---")
                    blocks.extend(notes)
                blocks.append(text[split + 1:])
            else:
                blocks.append(text)
                if notes:
                    blocks.append("---")
                    blocks.extend(notes)
            if notes:
                used = max(pending)
            pending = []
        else:
            blocks.append(text)
    return blocks, list(range(used + 1, len(doc.footnotes) + 1))


def _md_footnotes(doc: Doc, marks: list[int]) -> str:
    """The notes the page breaks did not print, after a rule at the end of the text."""
    if not marks:
        return ""
    return "\n\n---\n\n" + "\n\n".join(f"<sup>{m}</sup> {doc.footnotes[m - 1]}" for m in marks)


def render_markdown(doc: Doc) -> str:
    s = doc.session
    head = (f"\n\n\n\n# General Assembly\n\nDistr.: General  \n{fmt_date(doc.distributed)}\n\n"
            f"{ordinal_words(s).capitalize()} session  \nAgenda item {doc.agenda_item}\n\n"
            f"## Resolution adopted by the General Assembly on {fmt_date(doc.adopted)}\n\n"
            f"[on the report of the {doc.series.committee} Committee ({doc.report})]\n\n"
            f"### **{doc.symbol}. {doc.title}**\n\n*The General Assembly,*\n\n")
    blocks, tail = _md_paragraphs(doc, italic_inter_alia=False)
    out = head + "\n\n".join(blocks)
    out += f"\n\n*{ordinal_suffix(doc.meeting)} plenary meeting  \n{fmt_date(doc.adopted)}*"
    return out + _md_footnotes(doc, tail)


def render_draft(doc: Doc) -> str:
    s = doc.session
    sp = doc.sponsors
    sponsors = sp[0] if len(sp) == 1 else ", ".join(sp[:-1]) + " and " + sp[-1]
    head = (f"\n\n\n\n# General Assembly\n\nDistr.: Limited  \n{fmt_date(doc.distributed)}\n\n"
            f"Original: English\n\n---\n\n{ordinal_words(s).capitalize()} session\n\n"
            f"**{doc.series.committee} Committee**\n\nAgenda item {doc.agenda_item}\n\n"
            f"**{doc.series.agenda_title}**\n\n**{sponsors}: draft resolution**\n\n"
            f"## **{doc.title}**\n\n*The General Assembly,*\n\n")
    blocks, tail = _md_paragraphs(doc, italic_inter_alia=True)
    out = head + "\n\n".join(blocks)
    return out + _md_footnotes(doc, tail) + "\n\n---"


def _plain(text: str) -> str:
    return text.replace("*", "")


def render_ods(doc: Doc) -> str:
    rng = doc.rng
    sym = doc.symbol
    reissued = rng.random() < 0.2
    lines = ["[DU1]", f"Resolution adopted by the General Assembly on {fmt_date(doc.adopted)}",
             f"[on the report of the {doc.series.committee} Committee ({doc.report})]",
             f"{sym}.\t{doc.title}", "", "", "\tThe General Assembly,"]
    for p in doc.preambular:
        lines.append(f"\t{p.lead}{_glued_marks(p.rest)},{p.end_mark or ''}".replace('\u201c', '"')
                     .replace('\u201d', '"'))
    n = len(doc.operative)
    for i, p in enumerate(doc.operative):
        lines.append(f"\t{i + 1}.\t{p.lead}{_glued_marks(p.rest)}{_closing(i, n, 'operative')}"
                     f"{p.end_mark or ''}".replace('\u201c', '"').replace('\u201d', '"'))
    yy = doc.adopted.year % 100
    job = rng.randint(40000, 69999)
    lines += ["", f"{ordinal_suffix(doc.meeting)} plenary meeting", fmt_date(doc.adopted), ""]
    if reissued:
        lines.append(f"* Reissued for technical reasons on {fmt_date(doc.distributed + dt.timedelta(days=rng.randint(30, 120)))}.")
    lines += [f"{i} {_plain(t)}" for i, t in enumerate(doc.footnotes, 1)]
    star = "*" if reissued else ""
    head1, head2 = _title_halves(doc.title)
    pages = rng.randint(2, 4)
    lines += [f"[DU1]<<ODS JOB NO>>N{yy:02d}{job}E<<ODS JOB NO>>",
              f"<<ODS DOC SYMBOL1>>A/RES/{sym}<<ODS DOC SYMBOL1>>",
              "<<ODS DOC SYMBOL2>><<ODS DOC SYMBOL2>>", "_______________", "", "-" * 60, "", "-" * 15,
              "", "-" * 60, "", "10", "    ", "", "10", "",
              f"United NationsA/RES/{sym}{star}General AssemblyDistr.: General",
              f"{fmt_date(doc.distributed)}{ordinal_words(doc.session).capitalize()} session",
              f"Agenda item {doc.agenda_item}", "", f"{yy:02d}-{job}*", f"*{yy:02d}{job}*Please recycle ",
              "", f"A/RES/{sym}{head1}", head2, "", f"{head1} ", f"{head2}A/RES/{sym}", "",
              f"{pages - 1}/{pages - 1}", "", f"{pages}/{pages}", ""]
    return "\n".join(lines)


def _title_halves(title: str) -> tuple[str, str]:
    ws = title.split(" ")
    h = max(1, len(ws) // 2 + 1)
    return " ".join(ws[:h]), " ".join(ws[h:])


_MARK_RE = re.compile(_MARK + r"(\d+)" + _MARK)


def render_pdf(doc: Doc) -> str:
    """Hard-wrapped PDF extraction: numbers 1-9 alone on a line, running head and page
    counter per page, glued (sometimes spaced) footnote marks, and, in half of the
    documents, the footnote text under the page's "____" rule."""
    rng = doc.rng
    width = rng.randint(80, 86)
    keep_notes = rng.random() < 0.5
    head = f"A/RES/{doc.symbol}"
    out: list[str] = []
    tlines = wrap(f"{doc.symbol}. {doc.title}", 62)
    out.append(" " + tlines[0])
    out.extend(tlines[1:])
    out.append("The General Assembly,")
    page, on_page, page_len = 1, len(out), rng.randint(42, 48)
    page_marks: list[int] = []

    def notes() -> None:
        if page_marks:
            out.append("_______________")
            if keep_notes:
                for m in page_marks:
                    out.extend(wrap(f"{m} {_plain(doc.footnotes[m - 1])}", width))
            page_marks.clear()

    def mark(m: re.Match) -> str:
        page_marks.append(int(m.group(1)))
        before, after = m.string[:m.start()], m.string[m.end():m.end() + 2]
        spaced = (before.endswith(",") or before.endswith("thereto")) and after[:1] == " " \
            and after[1:2].islower() and rng.random() < 0.25
        return (" " if spaced else "") + m.group(1)

    def emit(line: str) -> None:
        nonlocal page, on_page, page_len
        if on_page >= page_len:
            notes()
            page += 1
            out.append(str(page))
            out.append(head)
            on_page, page_len = 0, rng.randint(42, 48)
        out.append(_MARK_RE.sub(mark, line) if _MARK in line else line)
        on_page += 1

    def body(p: Para, close: str) -> str:
        end = f"{_MARK}{p.end_mark}{_MARK}" if p.end_mark else ""
        return f"{p.lead}{p.rest}{close}{end}"

    for p in doc.preambular:
        lines = wrap(body(p, ","), width)
        if rng.random() < 0.05:
            lines[0] = " " + lines[0]
        for line in lines:
            emit(line)
    n = len(doc.operative)
    for i, p in enumerate(doc.operative):
        text = body(p, _closing(i, n, "operative"))
        if i < 9:
            emit(f"{i + 1}.")
            lines = wrap(text, width)
        else:
            lines = wrap(f"{i + 1}. {text}", width)
            if rng.random() < 0.05:
                lines[0] = " " + lines[0]
        for line in lines:
            emit(line)
    emit(f"{ordinal_suffix(doc.meeting)} plenary meeting")
    out.append(fmt_date(doc.adopted))
    notes()
    out += ["", str(page), ""]
    return "\n".join(out)


def _lose_hyphens(text: str) -> str:
    text = text.replace("-", "").replace("\u2013", " - ")
    for q in ("\u201c", "\u201d", "\u2018", "\u2019", '"'):
        text = text.replace(q, "")
    return text


def render_oneline(doc: Doc) -> str:
    parts = [f"Resolution adopted by the General Assembly on {fmt_date(doc.adopted)} "
             f"[on the report of the {doc.series.committee} Committee ({doc.report})] "
             f"{doc.symbol}. {doc.title} The General Assembly,"]
    for p in doc.preambular:
        parts.append(f"{p.lead}{p.rest},")
    n = len(doc.operative)
    for i, p in enumerate(doc.operative):
        parts.append(f"{i + 1}. {p.lead}{p.rest}{_closing(i, n, 'operative')}")
    parts.append(f"{ordinal_suffix(doc.meeting)} plenary meeting {fmt_date(doc.adopted)} ")
    header = "%%%" + "".join(k + "|" for k in doc.keywords)
    return header + "\n\n" + _lose_hyphens(" ".join(parts))


RENDERERS = {"markdown": render_markdown, "ods": render_ods, "draft": render_draft,
             "pdf": render_pdf, "oneline": render_oneline}


def _file_name(doc: Doc, draft_no: int) -> str:
    if doc.kind == "draft":
        c = {"Third": 3, "Second": 2, "Sixth": 6}[doc.series.committee]
        return f"A-C.{c}-{doc.session}-L.{draft_no}-draft.md"
    ext = ".md" if doc.layout == "markdown" else ".txt"
    return "A-RES-" + doc.symbol.replace("/", "-") + ext


# ---------------------------------------------------------------------------
# Entry point


def generate(out_dir: Path, n_docs: int, *, seed: int = 0, manifest_path: Path | None = None,
             seeds_dir: Path = SEEDS_DIR) -> list[Path]:
    """Write ``n_docs`` synthetic resolutions into ``out_dir`` and a manifest; return the
    document paths in generation order (sorted by session, then series)."""
    out_dir = Path(out_dir)
    if out_dir.resolve() == _FORBIDDEN_OUT.resolve():
        raise ValueError(f"refusing to generate into the bundled corpus {out_dir}")
    if n_docs < 1:
        raise ValueError("n_docs must be positive")
    pool = load_pool(Path(seeds_dir))
    sessions, series = _plan(n_docs, seed)
    cal = _session_calendar(seed, sessions)

    slots = [(s, se.index) for se in series for s in se.schedule]
    pick = random.Random(f"{seed}:sample")
    if len(slots) > n_docs:
        slots = pick.sample(slots, n_docs)
    slots.sort()
    layouts = [LAYOUTS[i % len(LAYOUTS)] for i in range(len(slots))]
    pick.shuffle(layouts)
    wanted: dict[int, dict[int, str]] = {}
    for (s, si), lay in zip(slots, layouts):
        wanted.setdefault(si, {})[s] = lay

    out_dir.mkdir(parents=True, exist_ok=True)
    docs: list[tuple[int, int, Path, dict]] = []
    draft_no: dict[tuple[int, str], int] = {}
    for se in series:
        want = wanted.get(se.index)
        if not want:
            continue
        state = _State(se, pool)
        last = max(want)
        for j, s in enumerate(se.schedule):
            if s > last:
                break
            if j:
                state.step()
            if s not in want:
                continue
            doc = _build_doc(se, state, s, want[s], seed, cal)
            text = RENDERERS[doc.layout](doc)
            key = (s, se.committee)
            if doc.kind == "draft":
                draft_no[key] = draft_no.get(key, 0) + 1
            name = _file_name(doc, draft_no.get(key, 0))
            path = out_dir / name
            data = text.encode("utf-8")
            path.write_bytes(data)
            docs.append((s, se.index, path, _manifest_entry(doc, name, len(data))))
    docs.sort(key=lambda d: (d[0], d[1]))
    manifest = {
        "generator_version": GENERATOR_VERSION, "seed": seed, "n_docs": len(docs),
        "sessions": [sessions[0], sessions[-1]],
        "series": [{"index": se.index, "title": se.title, "committee": se.committee,
                    "sessions": se.schedule} for se in series if se.index in wanted],
        "files": [d[3] for d in docs],
    }
    mpath = Path(manifest_path) if manifest_path else out_dir / MANIFEST_NAME
    mpath.write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return [d[2] for d in docs]


def _manifest_entry(doc: Doc, name: str, size: int) -> dict:
    return {
        "file": name, "layout": doc.layout, "kind": doc.kind, "symbol": doc.symbol and f"A/RES/{doc.symbol}",
        "session": doc.session, "year": 1945 + doc.session,
        "date": (doc.distributed if doc.kind == "draft" else doc.adopted).isoformat(),
        "series": doc.series.index, "title": doc.title, "sponsors": list(doc.sponsors),
        "preambular": len(doc.preambular), "operative": len(doc.operative),
        "footnotes": 0 if doc.layout == "oneline" else len(doc.footnotes),
        "treaty_figures": doc.treaty_figures, "emerging_issues": doc.issues,
        "keywords": list(doc.keywords) if doc.layout == "oneline" else [],
        "changes": doc.changes, "bytes": size,
    }


def load_manifest(out_dir: Path) -> dict:
    """The manifest ``generate`` wrote for ``out_dir``."""
    return json.loads((Path(out_dir) / MANIFEST_NAME).read_text(encoding="utf-8"))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=1000, help="number of documents")
    ap.add_argument("--out", type=Path, required=True, help="output folder (not corpus/)")
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args(argv)
    t0 = time.perf_counter()
    paths = generate(a.out, a.n, seed=a.seed)
    mb = sum(p.stat().st_size for p in paths) / 1e6
    print(f"wrote {len(paths)} documents, {mb:.1f} MB, to {a.out} in {time.perf_counter() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
