"""Analysis tokens: the vocabulary TF-IDF, drift and keyness are computed on.

Pipeline for one text:

1. ``analytics.text.fold`` (lower case, straight quotes, intra-word hyphens
   dropped, so "Money-Laundering" and the hyphen-lost "MoneyLaundering" agree);
2. NLTK ``RegexpTokenizer`` (pure regex, needs no NLTK data) into runs of
   letters and digits; underscores split, so a displayed or joined term typed
   back in ("trafficking_in_persons") tokenises like the prose it came from;
3. NLTK ``MWETokenizer`` joins the multi-word terms of ``PHRASES`` with ``_``
   ("trafficking in persons" -> ``trafficking_in_persons``);
4. spelling variants collapse onto one canonical token (``moneylaundering`` and
   ``money_laundering``; the Office's full name and ``unodc``);
5. numbers (any token with a digit), one-letter tokens and stop words go.
   Stop words are scikit-learn's ``ENGLISH_STOP_WORDS`` plus the UN procedural
   boilerplate in ``data/stopwords_un.txt`` (`STOP_WORDS`); a corpus folder's
   ``stopwords.toml`` adds and removes words (`stop_words_with`, read by
   `analytics.config`), and every function here takes the set as ``stop_words``.  This runs *after* step 3, so the
   "in" of "trafficking in persons" cannot break the term up.

Tokens join words with ``_``; ``display_term`` turns one back into what a user
reads ("trafficking in persons"), and ``term_token`` maps what a user types to
the token (or ``None`` when it is not a single analysis token).
"""
from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from nltk.tokenize import MWETokenizer, RegexpTokenizer

try:  # NLTK >= 3.9.3 routes tokenizer patterns through a ReDoS guard
    from nltk import redos as _redos
except ImportError:  # pragma: no cover - older NLTK compiles with plain `re`
    _redos = None
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from analytics.text import fold

# canonical token -> folded surface forms that mean it.  Multi-word forms feed the
# MWETokenizer; one-word forms are spelling variants that fold() cannot unify
# (a hyphen lost in one layout and a space in another).
PHRASES: dict[str, tuple[str, ...]] = {
    "unodc": ("united nations office on drugs and crime", "office on drugs and crime", "unodc"),
    "transnational_organized_crime": ("transnational organized crime", "transnational organised crime"),
    "organized_crime": ("organized crime", "organised crime"),
    "trafficking_in_persons": ("trafficking in persons",),
    "smuggling_of_migrants": ("smuggling of migrants", "migrant smuggling"),
    "money_laundering": ("money laundering", "moneylaundering"),
    "financing_of_terrorism": ("financing of terrorism", "terrorist financing", "terrorism financing"),
    "counterterrorism": ("counterterrorism", "counter terrorism"),
    "cybercrime": ("cybercrime", "cyber crime"),
    "identity_related_crime": ("identityrelated crime", "identity related crime"),
    "drug_trafficking": ("drug trafficking",),
    "world_drug_problem": ("world drug problem",),
    "illicit_financial_flows": ("illicit financial flows",),
    "cultural_property": ("cultural property",),
    "asset_recovery": ("asset recovery",),
    "technical_assistance": ("technical assistance",),
    "technical_cooperation": ("technical cooperation",),
    "capacity_building": ("capacity building", "capacitybuilding"),
    "international_cooperation": ("international cooperation",),
    "mutual_legal_assistance": ("mutual legal assistance",),
    "legal_aid": ("legal aid",),
    "rule_of_law": ("rule of law",),
    "law_enforcement": ("law enforcement",),
    "crime_prevention": ("crime prevention",),
    "criminal_justice": ("criminal justice",),
    "juvenile_justice": ("juvenile justice",),
    "restorative_justice": ("restorative justice",),
    "violence_against_women": ("violence against women",),
    "gender_equality": ("gender equality",),
    "human_rights": ("human rights",),
    "sustainable_development": ("sustainable development",),
    "developing_countries": ("developing countries",),
    "civil_society": ("civil society",),
    "private_sector": ("private sector",),
    "best_practices": ("best practices",),
    # procedural: joined so its words do not leak in as content, then stop-listed
    "economic_and_social_council": ("economic and social council",),
}

# Acronyms read better in upper case; everything else displays with spaces.
_DISPLAY = {"unodc": "UNODC"}

_STOPWORDS_FILE = Path(__file__).with_name("data") / "stopwords_un.txt"


def _load_stopwords(path: Path) -> frozenset[str]:
    lines = (line.split("#", 1)[0].strip() for line in path.read_text(encoding="utf-8").splitlines())
    return frozenset(w for w in lines if w)


UN_STOP_WORDS: frozenset[str] = _load_stopwords(_STOPWORDS_FILE)
STOP_WORDS: frozenset[str] = frozenset(ENGLISH_STOP_WORDS) | UN_STOP_WORDS



def stop_words_with(*, add: Iterable[str] = (), remove: Iterable[str] = ()) -> frozenset[str]:
    """`STOP_WORDS` with words added and removed (a corpus folder's ``stopwords.toml``, read by
    `analytics.config`).  A word is folded; a multi-word entry names a joined term."""
    def tokens(words: Iterable[str]) -> frozenset[str]:
        return frozenset(_SEP.join(fold(w).split()) for w in words) - {""}
    return (STOP_WORDS | tokens(add)) - tokens(remove)


class _TrustedRegexpTokenizer(RegexpTokenizer):
    """RegexpTokenizer for a fixed, linear pattern of ours.

    NLTK's ReDoS guard runs every match under a wall-clock timeout: for a single
    character class that guard cannot trip on backtracking, yet it makes matching
    about three times slower and would abort one very large text after 5 s."""

    def _check_regexp(self):
        if self._regexp is None and _redos is not None:
            self._regexp = _redos.compile(self._pattern, self._flags, timeout=None)
        super()._check_regexp()


_SEP = "_"
_WORD_TOKENIZER = _TrustedRegexpTokenizer(r"[^\W_]+")
_MWE_TOKENIZER = MWETokenizer(
    sorted({tuple(form.split()) for forms in PHRASES.values() for form in forms if " " in form}),
    separator=_SEP,
)
# joined or one-word surface form -> canonical token
_CANONICAL: dict[str, str] = {
    form.replace(" ", _SEP): token for token, forms in PHRASES.items() for form in forms
}


class _Vocabulary:
    """Step 4 and 5 of the pipeline under one stop-word set."""

    def __init__(self, stop_words: frozenset[str]):
        self.stop_words = stop_words
        # per instance: a corpus reuses a small vocabulary millions of times
        self.normalise = lru_cache(maxsize=1 << 18)(self._normalise)

    def _normalise(self, token: str) -> str | None:
        """Canonical token, or None for numbers, single letters and stop words."""
        token = _CANONICAL.get(token, token)
        if len(token) < 2 or token in self.stop_words or any(c.isdigit() for c in token):
            return None
        return token


@lru_cache(maxsize=8)
def _vocabulary(stop_words: frozenset[str]) -> _Vocabulary:
    # keyed by the set's content, so an override never reuses another set's verdicts
    return _Vocabulary(stop_words)


def _vocabulary_of(stop_words) -> _Vocabulary:
    return _vocabulary(STOP_WORDS if stop_words is None else frozenset(stop_words))


def analysis_tokens(text: str, *, stop_words: frozenset[str] | None = None) -> list[str]:
    """Content tokens of ``text`` for TF-IDF and keyness, in text order.

    ``stop_words``: the full stop-word set (`Corpus.config.stop_words`; `STOP_WORDS` by default)."""
    words = _WORD_TOKENIZER.tokenize(fold(text))
    joined = _MWE_TOKENIZER.tokenize(words)
    return [t for t in map(_vocabulary_of(stop_words).normalise, joined) if t is not None]


def display_term(token: str) -> str:
    """What a user reads for a token: ``trafficking_in_persons`` -> "trafficking in persons"."""
    return _DISPLAY.get(token) or token.replace(_SEP, " ")


def term_token(term: str, *, stop_words: frozenset[str] | None = None) -> str | None:
    """The analysis token a user-typed word or phrase stands for, if it is exactly one."""
    tokens = analysis_tokens(term, stop_words=stop_words)
    return tokens[0] if len(tokens) == 1 else None


def surface_forms(term: str, *, stop_words: frozenset[str] | None = None) -> tuple[str, ...]:
    """Folded spellings to count in text for a user-typed term.

    A known term brings all its spellings ("money laundering" also finds the
    hyphen-lost "moneylaundering"); anything else is just the folded term.
    Longest first, so an alternation of them prefers the full name."""
    folded = " ".join(fold(term).replace(_SEP, " ").split())
    token = term_token(term, stop_words=stop_words)
    forms = {folded, *PHRASES.get(token, ())} if token else {folded}
    forms.discard("")
    return tuple(sorted(forms, key=lambda f: (-len(f), f)))
