"""Emerging policy issues: what the Assembly lists, session by session.

Most resolutions of the series have an operative paragraph such as

    Draws attention to the emerging policy issues identified in the report of
    the Secretary-General ..., namely, piracy, cybercrime, ..., and invites ...

`list_items` finds such a list in a paragraph and splits it into items as
written; `emerging_issues` maps each item to a canonical issue through
``data/emerging_aliases.toml``; `emerging_matrix` shows, per issue and
session, whether the issue is first listed, persists, is dropped or returns;
`issue_mentions` counts each issue anywhere in each text, and `issue_status`
puts the two side by side.

Honest statuses
---------------
A text that has no list says nothing about what is on the list: its status
is "no list in this text", never "dropped".  "Dropped" means the text has a
list and the issue, listed in the previous text that had one, is not on it.
Whether a text mentions an issue anywhere (`issue_status`: count and
paragraph keys) is a separate fact, always shown beside the status: an issue
dropped from the list is often still discussed.

Finding the list
----------------
A mention of "emerging (policy) issues" (or "emerging crimes", "emerging forms
of crime", ...) opens a clause that runs until ";", the end of the paragraph
or a new verb clause (", and invites ...", ", bearing in mind ...").  The list
starts after "namely" / "inter alia" (else "in particular" / "including" /
"such as") inside that clause, and only when nothing but a participle phrase
("identified in the report ...") stands between the mention and that word, so
"a report ... reflecting also emerging policy issues and possible responses"
lists nothing, and a "namely" list elsewhere is never taken.

Splitting the list
------------------
Items are separated by commas and by the list's final "and" / "as well as":

* a piece opening with "and", "or" or "as well as" is the list's last item
  ("and urban crime"); a bare ", and," piece only marks it;
* a piece opening with "including", "in particular", "such as", ... continues
  the previous item, and so do the pieces after it until one that has its own
  "and" ("forest products, including timber, wildlife and other forest
  biological resources" is one item);
* an aside between commas ("in the context of advisory services and technical
  assistance") is dropped, and "the issue of" / "the question of" openings are
  cut, so "..., and, in the context of ..., the issue of cybercrime" gives
  "cybercrime";
* "and" inside a piece that is not the last one belongs to the item
  ("economic fraud and identity theft"); in the last piece, when no final
  "and" came before, its first "and" separates the last two items ("sexual
  exploitation of children and urban crime");
* "and" inside the ``keep_together`` phrases and the aliases of the alias file
  ("fauna and flora", "abuse and exploitation of children") never separates.
"""
from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pandas as pd

from . import overrides, themes
from .align import as_documents
from .records import Resolution, representative
from .text import FunctionMemo, RecordMemo, fold, trie_pattern, words

DEFAULT_PATH = Path(__file__).with_name("data") / "emerging_aliases.toml"
OVERRIDE_NAME = "emerging_aliases.toml"

COLUMNS = ["document", "symbol", "session", "issue", "label", "raw", "key", "position", "warning"]
MENTION_COLUMNS = ["document", "symbol", "session", "issue", "label", "count"]
STATUSES = ("first", "persists", "returns", "dropped", "absent", "no-list")
# What a reader sees for each status (chart legends, captions, the CLI's --help).
STATUS_LABELS = {
    "first": "first listed",
    "persists": "still listed",
    "returns": "listed again",
    "dropped": "dropped from the list",
    "absent": "not on the list",
    "no-list": "no list in this text",
}
LISTED = ("first", "persists", "returns")
STATUS_COLUMNS = ["issue", "label", "session", "document", "symbol", "status", "status_label",
                  "listed", "list_key", "mentions", "mention_keys"]

_F = re.IGNORECASE

MENTION = re.compile(
    r"\bemerging\s+(?:policy\s+)?(?:issues?|crimes?|forms\s+of\s+crimes?|threats?|challenges?)\b", _F)
STRONG_INTRO = re.compile(r"\b(?:namely|inter\s+alia|viz\.?)(?:\s*[,:])?\s*", _F)
WEAK_INTRO = re.compile(r"\b(?:in\s+particular|including|such\s+as)(?:\s*[,:])?\s*", _F)
# What may stand between the mention and the list word: nothing, or a
# participle phrase about where the issues come from.
GAP_OK = re.compile(
    r"^[\s,]*(?:(?:that\s+(?:were|are|have\s+been)\s+)?(?:identified|raised|highlighted|contained|"
    r"set\s+out|described|outlined|discussed|referred\s+to|noted|mentioned|presented|addressed|"
    r"listed|reflected|in\s+the\s+report|of\s+the\s+report)\b[^;]*)?$", _F)
_VERBS = (r"invites|requests|urges|encourages|calls|decides|stresses|notes|welcomes|emphasizes|"
          r"emphasises|recognizes|recognises|reaffirms|reiterates|takes|expresses|underlines|"
          r"underscores|acknowledges|recommends|supports|asks|appeals|commends|affirms|endorses|"
          r"approves|considers|highlights|reminds|looks|agrees|authorizes|authorises|directs")
CLAUSE_END = re.compile(
    # a sentence end, or a numbered paragraph starting (one-line layouts)
    r";|\.\s*$|\.\s+(?=(?-i:[A-Z])|\d+\.\s)|,?\s+\d{1,3}\.\s+(?=(?-i:[A-Z]))"
    r"|,?\s+and\s*,?\s+(?:[^,;]{0,80},\s+)?(?:also\s+|further\s+|in\s+this\s+regard\s*,?\s+)?"
    rf"(?:{_VERBS})\b"
    r"|,\s+(?:bearing\s+in\s+mind|taking\s+into\s+(?:account|consideration)|with\s+a\s+view\s+to)\b",
    _F)

FINAL_MARK = re.compile(r"^(?:and|or)$", _F)
FINAL_LEAD = re.compile(r"^(?:and\s+also|and|or|as\s+well\s+as|as\s+also)\s+", _F)
CONTINUATION = re.compile(
    r"^(?:including|in\s+particular|particularly|especially|notably|such\s+as|inter\s+alia|"
    r"e\.g\.|for\s+example|for\s+instance|in\s+all\s+(?:its|their)\s+forms)(?![^\W_])", _F)
ASIDE = re.compile(
    r"^(?:in\s+the\s+context\s+of|with\s+(?:regard|respect|reference)\s+to|in\s+relation\s+to|"
    r"in\s+this\s+(?:regard|context)|as\s+appropriate|where\s+(?:appropriate|applicable|relevant)|"
    r"within\s+its\s+mandate|inter\s+alia|in\s+particular|among\s+others)\b", _F)
ISSUE_OF = re.compile(
    r"^(?:the\s+)?(?:issues?|question|questions|problem|problems|phenomenon|matter)\s+of\s+", _F)
INNER_AND = re.compile(r"\s+(?:and|as\s+well\s+as)\s+", _F)
_TRAIL = re.compile(r"[\s,;:.]+$")
_ARTICLE = re.compile(r"^(?:the|a|an)\s+")
_SLUG = re.compile(r"[^0-9a-z]+")


# --- alias file --------------------------------------------------------------------------------

def _keywords(value) -> tuple[tuple[str, ...], ...]:
    ok = isinstance(value, list) and all(
        isinstance(g, list) and g and all(isinstance(w, str) and w.strip() for w in g) for g in value)
    if not ok:
        raise overrides.FieldError("must be a list of lists of words")
    return tuple(tuple(fold(w).strip() for w in g) for g in value)


def _finish_issue(issue: dict) -> dict:
    if not issue["aliases"] and not issue["keywords"]:
        raise overrides.FieldError("has neither aliases nor keywords")
    return issue


ISSUE_RULE = overrides.EntryRule(
    table="issue", kind="issue",
    fields={"label": (overrides.text_field, overrides.REQUIRED), "aliases": (overrides.strings, ()),
            "keywords": (_keywords, ()), "mentions": (overrides.strings, ()),
            "exclude": (overrides.strings, ())},
    extend=("aliases", "mentions"), finish=_finish_issue)


def load_aliases(path: str | Path | None = None, *, corpus_dir: str | Path | None = None) -> dict:
    """Read the alias file: ``{"issues": {id: {...}}, "keep_together": tuple}``.

    Each issue has ``label``, ``aliases``, ``keywords`` (tuple of word groups),
    ``mentions`` and ``exclude``.  A corpus folder's ``emerging_aliases.toml``
    is applied on top by the merge rule of `analytics.overrides` (its
    ``[parsing] keep_together`` extends the bundled one).  Raises
    `overrides.FileProblem` (a ValueError) naming the file and line.
    """
    issues: dict[str, dict] = {}
    keep: tuple[str, ...] = ()
    override = overrides.override_path(corpus_dir, OVERRIDE_NAME)
    for i, file in enumerate([Path(path) if path is not None else DEFAULT_PATH, override]):
        if file is None:
            continue
        src = overrides.read_toml(file)
        overrides.merge_file(issues, src, ISSUE_RULE, base=i == 0)
        keep += _keep_together(src)
    return {"issues": issues, "keep_together": tuple(dict.fromkeys(keep))}


def _keep_together(src: overrides.Source) -> tuple[str, ...]:
    parsing = src.data.get("parsing", {})
    try:
        if not isinstance(parsing, dict):
            raise overrides.FieldError("must be a table")
        return overrides.strings(parsing.get("keep_together", []))
    except overrides.FieldError as exc:
        raise src.problem(f"[parsing] keep_together {exc}", key="keep_together") from None


@lru_cache(maxsize=1)
def _bundled() -> dict:
    return load_aliases()


def default_aliases() -> dict:
    """The bundled alias table, read once; a fresh copy each call, so a caller may edit it."""
    return copy.deepcopy(_bundled())


# --- finding and splitting the list ------------------------------------------------------------

def _normalise(text: str) -> str:
    return " ".join(text.split())


def _protect_pattern(phrases: Iterable[str]) -> re.Pattern | None:
    """Regex for the keep-together phrases on *unfolded* text (any case, hyphen kept or lost)."""
    alts = []
    for p in sorted({_normalise(p) for p in phrases if " and " in fold(p)}, key=len, reverse=True):
        parts = [re.sub(r"\\-", "-?", re.escape(w)) for w in p.split()]
        alts.append(r"\s+".join(parts))
    if not alts:
        return None
    return re.compile(r"(?<![^\W_])(?:" + "|".join(alts) + r")(?![^\W_])", _F)


def list_items(text: str, *, keep_together: Iterable[str] | None = None) -> list[str]:
    """The emerging-issue items listed in one paragraph, as written ([] when none).

    ``keep_together`` are phrases whose "and" never separates items; by
    default those of the bundled alias file and its aliases.
    """
    if keep_together is None:
        protect = _default_protect()
    else:
        protect = _protect_pattern(keep_together)
    return _items_in(_normalise(text), protect)


@lru_cache(maxsize=1)
def _default_protect() -> re.Pattern | None:
    return _index_for(alias_key(default_aliases())).protect


def _items_in(norm: str, protect: re.Pattern | None) -> list[str]:
    items: list[str] = []
    pos = 0
    while True:
        m = MENTION.search(norm, pos)
        if not m:
            return items
        end_m = CLAUSE_END.search(norm, m.end())
        clause_end = end_m.start() if end_m else len(norm)
        intro = (STRONG_INTRO.search(norm, m.end(), clause_end)
                 or WEAK_INTRO.search(norm, m.end(), clause_end))
        if intro and GAP_OK.match(norm[m.end():intro.start()]):
            items.extend(_split(norm[intro.end():clause_end], protect))
        pos = max(clause_end, m.end())


def _split(segment: str, protect: re.Pattern | None) -> list[str]:
    protected = [(p.start(), p.end()) for p in protect.finditer(segment)] if protect else []

    def inner_ands(start: int, end: int) -> list[re.Match]:
        return [a for a in INNER_AND.finditer(segment, start, end)
                if not any(s < a.end() and a.start() < e for s, e in protected)]

    pieces = _pieces(segment)
    state = _ListState()
    for n, (s, e) in enumerate(pieces):
        text = segment[s:e]
        if text and not text.isdigit():   # empty pieces and stray footnote numbers say nothing
            state.take(text, s, e, last=n == len(pieces) - 1, inner_ands=inner_ands)
    items = state.items
    if items and state.last_plain:
        s, e = items[-1]
        ands = inner_ands(s, e)
        if ands:
            items[-1:] = [[s, ands[0].start()], [ands[0].end(), e]]
    out = []
    for s, e in items:
        raw = ISSUE_OF.sub("", _TRAIL.sub("", segment[s:e]).strip())
        if raw:
            out.append(raw)
    return out


@dataclass
class _ListState:
    """Where `_split` is in a list, piece by piece (the rules are in the module docstring)."""
    items: list[list[int]] = field(default_factory=list)   # [start, end] spans into the segment
    after_final: bool = False     # the list's final "and" has been seen
    pending: bool = False         # a bare ", and," waits for its item
    continuing: bool = False      # inside an "including ..." tail
    last_plain: bool = False      # last item is one plain piece (may hold the final "and")

    def take(self, text: str, s: int, e: int, *, last: bool, inner_ands: Callable) -> None:
        items = self.items
        if FINAL_MARK.match(text):
            self.after_final, self.pending, self.continuing = True, True, False
            return
        lead = FINAL_LEAD.match(text)
        if lead:
            items.append([s + lead.end(), e])
            self.after_final, self.pending, self.continuing, self.last_plain = True, False, False, False
            return
        if items and (self.continuing or (not self.pending and CONTINUATION.match(text))):
            if not self.continuing:
                self.last_plain = False
            items[-1][1] = e
            self.continuing = not inner_ands(s, e)
            return
        if ASIDE.match(text) and not last:
            return
        items.append([s, e])
        self.last_plain, self.pending = not self.after_final, False


def _pieces(segment: str) -> list[tuple[int, int]]:
    """Comma-separated spans of ``segment`` (commas inside brackets do not split), trimmed."""
    spans, depth, start = [], 0, 0
    for i, ch in enumerate(segment):
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth = max(0, depth - 1)
        elif ch == "," and depth == 0:
            spans.append((start, i))
            start = i + 1
    spans.append((start, len(segment)))
    out = []
    for s, e in spans:
        while s < e and segment[s].isspace():
            s += 1
        while e > s and segment[e - 1].isspace():
            e -= 1
        out.append((s, e))
    return out


# --- mapping items to issues -------------------------------------------------------------------

def _key_text(text: str) -> str:
    f = _TRAIL.sub("", fold(text)).strip()
    while True:
        g = _ARTICLE.sub("", f)
        if g == f:
            return f
        f = g


class _AliasIndex:
    def __init__(self, key: tuple):
        issues, keep = key
        self.labels = {iid: label for iid, label, *_ in issues}
        self.exact: dict[str, str] = {}
        for iid, _, aliases, _kw in issues:
            for a in aliases:
                self.exact.setdefault(_key_text(a), iid)
        phrases = [a for a in self.exact if a]
        self.contained = (re.compile(r"(?<![^\W_])(?:" + trie_pattern(phrases) + r")(?![^\W_])")
                          if phrases else None)
        self.keywords = [(iid, kw) for iid, _, _, kw in issues if kw]
        self.protect = _protect_pattern(list(keep) + [a for _, _, aliases, _ in issues for a in aliases])
        # Both are pure functions of a text; a corpus repeats its paragraphs and items.
        self.items_of = FunctionMemo(lambda text: tuple(_items_in(_normalise(text), self.protect)))
        self.issue_memo = FunctionMemo(self._issue_of)
        # per record: a reload after one file changed re-reads that document only
        self.rows_of = RecordMemo(self._rows)

    def _rows(self, doc: Resolution) -> tuple[tuple, ...]:
        rows = []
        position = 0
        for para in doc.operative:
            found = self.items_of(para.text)
            if not found:
                continue
            key = para.key
            for raw in found:
                position += 1
                iid = self.issue_of(raw)
                if iid is None:
                    iid, label = slug(raw), raw
                    warning = f"unmapped item {raw!r}: no alias or keywords match it"
                else:
                    label, warning = self.labels[iid], ""
                rows.append((doc.id, doc.symbol, doc.session, iid, label, raw, key,
                             position, warning))
        return tuple(rows)

    def issue_of(self, raw: str) -> str | None:
        return self.issue_memo(raw)

    def _issue_of(self, raw: str) -> str | None:
        k = _key_text(raw)
        if k in self.exact:
            return self.exact[k]
        if self.contained is not None:
            m = self.contained.search(k)
            if m:
                return self.exact[m.group(0)]
        tokens = words(k)
        for iid, groups in self.keywords:
            if all(any(_kw_match(w, t) for w in g for t in tokens) for g in groups):
                return iid
        return None


def _kw_match(word: str, token: str) -> bool:
    return token.startswith(word[:-1]) if word.endswith("*") else token == word


def alias_key(aliases: Mapping) -> tuple:
    """The alias table as a hashable value: a cache key that changes when the table does."""
    issues = tuple((iid, i["label"], tuple(i.get("aliases", ())),
                    tuple(tuple(g) for g in i.get("keywords", ())))
                   for iid, i in aliases["issues"].items())
    return issues, tuple(aliases.get("keep_together", ()))


@lru_cache(maxsize=8)
def _index_for(key: tuple) -> _AliasIndex:
    return _AliasIndex(key)


def slug(text: str) -> str:
    return _SLUG.sub("-", _key_text(text)).strip("-")[:60] or "item"


# --- public tables -----------------------------------------------------------------------------

def emerging_issues(docs, *, aliases: Mapping | None = None) -> pd.DataFrame:
    """Every listed emerging issue of every document, one row per item.

    Columns: document, symbol, session, issue (canonical id), label, raw (the
    item as written), key (paragraph key, e.g. "OP20"), position (1-based order
    in the list), warning ("" when the item maps to an issue of the alias file;
    otherwise the issue is a slug of the item and the warning says so).
    Only operative paragraphs are read: the list the Assembly draws attention
    to is operative; a preambular recollection would repeat an earlier list.
    Rows: documents in `records.sort_key` order, then list order.  A session whose
    text lists nothing has no row: give `emerging_matrix` the ``docs`` too.
    """
    aliases = aliases if aliases is not None else default_aliases()
    index = _index_for(alias_key(aliases))
    docs = as_documents(docs)
    index.items_of.map([p.text for doc in docs for p in doc.operative])   # each text once
    rows = []
    for doc in docs:
        rows += index.rows_of(doc)
    df = pd.DataFrame(rows, columns=COLUMNS)
    df["session"] = df["session"].astype("Int64")
    df["position"] = df["position"].astype("int64")
    return df


def representatives(docs) -> dict[int, str]:
    """``{session: document id}`` of the text that speaks for each session (`records.representative`)."""
    return {s: d.id for s, d in representative(as_documents(docs)).items()}


def emerging_matrix(df: pd.DataFrame, *, sessions: Iterable[int] | None = None,
                    docs: Iterable[Resolution] | None = None,
                    representative: Mapping[int, str] | None = None) -> pd.DataFrame:
    """Issue x session status of the emerging-issue lists (``df``: `emerging_issues` rows).

    Each session is read from one text: ``representative`` ({session: document id}) when
    given, else `representatives` of ``docs``, else the last document of each session in
    ``df`` -- which cannot know the sessions whose text listed nothing, so pass ``docs``.
    Sessions are the columns in ascending order (only ``sessions`` when given; a session
    with no text is left out, as nothing can be said about it).

    Status of an issue in a session (labels in `STATUS_LABELS`), where "the
    previous list" is that of the latest earlier column whose text has a list:

    * ``first``    listed, and not listed in any earlier session;
    * ``persists`` listed, and on the previous list;
    * ``returns``  listed, not on the previous list but on an earlier one;
    * ``dropped``  the text has a list, the issue is not on it but was on the previous list;
    * ``absent``   the text has a list, the issue is on neither it nor the previous list;
    * ``no-list``  the text has no list at all: nothing is said about the issue.

    Rows: issues listed in at least one of those texts, index ``issue``, ordered by first
    session, then by position in that first list.  Columns: the sessions and ``first_session``.
    """
    reps = (dict(representative) if representative is not None
            else representatives(docs) if docs is not None else themes.representative_ids(df))
    scope = sorted(set(reps) if sessions is None else {int(s) for s in sessions} & set(reps))
    rows = df[df["document"].isin({reps[s] for s in scope})]
    listed, order = _listings(rows)
    with_list = {int(s) for s in rows["session"]}
    table = {iid: _statuses(listed[iid], scope, with_list) + [min(listed[iid])] for iid in order}
    out = pd.DataFrame.from_dict(table, orient="index", columns=[*scope, "first_session"])
    if not table:
        out = pd.DataFrame(columns=[*scope, "first_session"])
    out.index.name = "issue"
    out["first_session"] = out["first_session"].astype("int64")
    return out


def _listings(rows: pd.DataFrame) -> tuple[dict[str, set[int]], list[str]]:
    """Sessions listing each issue, and the issues by (first session, position there)."""
    listed: dict[str, set[int]] = {}
    first_pos: dict[str, tuple[int, int]] = {}
    for iid, session, position in zip(rows["issue"], rows["session"], rows["position"]):
        s = int(session)
        listed.setdefault(iid, set()).add(s)
        first_pos[iid] = min(first_pos.get(iid, (s, position)), (s, int(position)))
    return listed, sorted(listed, key=lambda i: (first_pos[i], i))


def _statuses(listed: set[int], scope: list[int], with_list: set[int]) -> list[str]:
    out, before, prev = [], False, False      # prev: on the previous list
    for s in scope:
        if s not in with_list:
            out.append("no-list")
            continue
        now = s in listed
        if now:
            out.append("persists" if prev else "returns" if before else "first")
        else:
            out.append("dropped" if prev else "absent")
        before, prev = before or now, now
    return out


def issue_mentions(docs, *, aliases: Mapping | None = None) -> pd.DataFrame:
    """Mentions of each canonical issue anywhere in each text (zeros included).

    Counts the issue's ``mentions`` and ``aliases`` phrases on folded text,
    leftmost-longest without overlaps (the `themes` rule), over all paragraphs,
    so an issue shows up before the Assembly lists it and after it drops it.
    Columns: document, symbol, session, issue, label, count; rows in document
    order, then alias-file order.
    """
    aliases = aliases if aliases is not None else default_aliases()
    counts = themes.count_documents(docs, _mention_lexicon(aliases))
    return counts.rename(columns={"theme": "issue"})[MENTION_COLUMNS].reset_index(drop=True)


def _mention_lexicon(aliases: Mapping) -> dict:
    """The issues as a theme lexicon: their mentions and aliases, counted by the `themes` rule."""
    return {iid: {"label": i["label"],
                  "phrases": tuple(i.get("mentions", ())) + tuple(i.get("aliases", ())),
                  "exclude": tuple(i.get("exclude", ()))}
            for iid, i in aliases["issues"].items()}


def mention_index(docs, aliases: Mapping) -> dict[tuple[str, str], tuple[int, list]]:
    """(document, issue) -> (mentions anywhere in the text, keys of the paragraphs)."""
    counts = themes.count_documents(docs, _mention_lexicon(aliases))
    return {(d, i): (int(n), list(k)) for d, i, n, k in
            zip(counts["document"], counts["theme"], counts["count"], counts["paragraphs"])}


def issue_status(docs, *, aliases: Mapping | None = None, rows: pd.DataFrame | None = None,
                 sessions: Iterable[int] | None = None) -> pd.DataFrame:
    """The `emerging_matrix` as a long table, with the mentions beside every status.

    One row per issue x session of the matrix.  Columns: issue, label, session,
    document (the text read for the session), symbol, status, status_label
    (`STATUS_LABELS`), listed (bool), list_key (the paragraph holding the list
    item, "" when not listed), mentions (how often the text mentions the issue
    anywhere, `issue_mentions`' rule) and mention_keys (the paragraphs).
    ``rows``: `emerging_issues` of ``docs`` when already computed.
    """
    aliases = aliases if aliases is not None else default_aliases()
    docs = as_documents(docs)
    rows = rows if rows is not None else emerging_issues(docs, aliases=aliases)
    matrix = emerging_matrix(rows, sessions=sessions, docs=docs)
    reps = {s: d for s, d in representative(docs).items() if s in matrix.columns}
    men = mention_index(list(reps.values()), aliases)
    labels = {**{i: v["label"] for i, v in aliases["issues"].items()}, **dict(zip(rows["issue"], rows["label"]))}
    keys = {(d, i): k for d, i, k in zip(rows["document"], rows["issue"], rows["key"])}
    out = []
    for iid in matrix.index:
        for s, doc in reps.items():
            status = matrix.at[iid, s]
            count, where = men.get((doc.id, iid), (0, []))
            out.append((iid, labels.get(iid, iid), s, doc.id, doc.symbol, status,
                        STATUS_LABELS[status], status in LISTED, keys.get((doc.id, iid), ""),
                        count, where))
    # object columns keep None for a draft's missing symbol
    df = pd.DataFrame(out, columns=STATUS_COLUMNS, dtype=object)
    return df.astype({"session": "int64", "mentions": "int64", "listed": bool})


def session_summary(matrix: pd.DataFrame, session: int | None = None) -> dict:
    """Headline counts for one session of `emerging_matrix` (default: its last session):
    how many issues are listed there, how many for the first time, and how many are tracked.
    ``has_list`` is False when the session's text has no list at all: its "0 listed" says
    nothing about the issues, which the text may still name elsewhere (``no-list``)."""
    sessions = [c for c in matrix.columns if c != "first_session"]
    if not len(matrix) or not sessions:
        return {"session": None, "listed": 0, "new": 0, "tracked": len(matrix), "has_list": False}
    s = sessions[-1] if session is None else session
    col = matrix[s]
    return {"session": s, "listed": int(col.isin(LISTED).sum()),
            "new": int((col == "first").sum()), "tracked": len(matrix),
            "has_list": bool((col != "no-list").any())}
