"""What changed in session S of a series, against its previous version.

`session_digest` compares the text that speaks for session S
(`records.representative`) with that of the previous session of the series
(or any earlier one given), and gathers, as DataFrames:

* listed issues: what S's own list of emerging issues adds and drops
  (`emerging`), with the honest statuses: when S's text has no list, nothing is
  said to be dropped, and a dropped issue still mentioned elsewhere says so;
* issues found in the text: terms first used after the previous session, up to
  S (`detect`, run on the series up to S);
* paragraphs new, dropped and amended (`compare`/`align`), and the most changed
  amended ones with their redline;
* operative verbs that strengthened or weakened, on the scale of
  ``data/verb_strength.toml`` (`verbs.canonical_verb` of each aligned pair);
* treaty figures that changed (`treaties`, `compare.treaty_changes`);
* the top rising and falling terms (`drift.term_changes`).

Every sentence of `sentences` / `render_markdown` carries the paragraph it is
about, cited as printed ("A/RES/67/189, para. 3", `Resolution.cite`).
`pack_item` makes the digest one section of a briefing pack.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping

import pandas as pd

from .records import Resolution, representative

STRENGTH_PATH = Path(__file__).with_name("data") / "verb_strength.toml"
DEFAULT_TOP = 5
SECTIONS = ("listed", "found", "paragraphs", "changed", "verbs", "treaties", "terms")
HEADINGS = {"listed": "Emerging issues listed by the Assembly", "found": "New issues found in the text",
            "paragraphs": "Paragraphs", "changed": "Most changed paragraphs",
            "verbs": "Operative verbs", "treaties": "Treaty figures", "terms": "Rising and falling terms"}
QUOTE_CHARS = 240


@dataclass(frozen=True)
class Digest:
    """The digest of ``doc`` (session ``session``) against ``previous_doc``; one frame per section."""
    session: int
    previous: int
    doc: Resolution
    previous_doc: Resolution
    listed: pd.DataFrame       # change, issue, label, raw, key, cite, mentions, mention_keys
    found: pd.DataFrame        # `detect.detect` rows first used after `previous`, up to `session`
    paragraphs: pd.DataFrame   # part, status, count
    changed: pd.DataFrame      # a_key, b_key, similarity, redline (least similar amended first)
    verbs: pd.DataFrame        # a_key, b_key, a_verb, b_verb, a_strength, b_strength, change
    treaties: pd.DataFrame     # `compare.treaty_changes` rows whose figure changed
    terms: pd.DataFrame        # term, direction, change, key (where the text uses it)
    has_list: bool = True      # whether the text of `session` lists emerging issues at all
    new_keys: tuple[str, ...] = ()       # paragraphs of `doc` with no counterpart in `previous_doc`
    dropped_keys: tuple[str, ...] = ()   # paragraphs of `previous_doc` gone from `doc`


# --- the verb scale ---------------------------------------------------------------------------

def verb_strength(path: str | Path = STRENGTH_PATH) -> dict[str, int]:
    """Canonical verb -> strength (3 directs, 2 invites, 1 records): `verbs.strength_scale`
    of the data file, as a fresh dict."""
    from .verbs import strength_scale
    return {verb: strength for strength, _, verbs in strength_scale(path) for verb in verbs}


# --- picking the two texts ----------------------------------------------------------------------

def _texts(docs: list[Resolution], session: int, previous: int | None) -> tuple[Resolution, Resolution]:
    reps = representative(docs)
    known = ", ".join(map(str, reps)) or "none"
    if session not in reps:
        raise LookupError(f"session {session} is not in the series (sessions: {known})")
    earlier = [s for s in reps if s < session]
    if previous is None:
        if not earlier:
            raise LookupError(f"session {session} is the first of the series: nothing to compare with")
        previous = earlier[-1]
    if previous not in earlier:
        raise LookupError(f"session {previous} is not an earlier session of the series (sessions: {known})")
    return reps[previous], reps[session]


# --- sections -----------------------------------------------------------------------------------

def _listed(a: Resolution, b: Resolution, aliases: Mapping | None) -> tuple[pd.DataFrame, bool]:
    """Issues B's list adds or drops against A's, with where B still mentions them."""
    from .compare import emerging_changes
    from .emerging import default_aliases, emerging_issues, mention_index
    aliases = aliases if aliases is not None else default_aliases()
    rows = emerging_issues([a, b], aliases=aliases)
    has_list = bool((rows["document"] == b.id).any())
    changes = emerging_changes(rows, a.id, b.id)
    if not has_list:       # a text without a list drops nothing
        changes = changes.assign(change=changes["change"].replace({"dropped": "no-list"}))
    mentions = mention_index([b], aliases)
    keys = {(d, i): k for d, i, k in zip(rows["document"], rows["issue"], rows["key"])}
    out = []
    for r in changes.itertuples():
        doc = a if r.change in ("dropped", "no-list") else b
        raw = (r.a_raw if doc is a else r.b_raw) or [""]
        key = keys.get((doc.id, r.issue), "")
        count, where = mentions.get((b.id, r.issue), (0, []))
        out.append({"change": r.change, "issue": r.issue, "label": r.label, "raw": raw[0],
                    "key": key, "cite": doc.cite(key), "mentions": count, "mention_keys": where})
    cols = ["change", "issue", "label", "raw", "key", "cite", "mentions", "mention_keys"]
    return pd.DataFrame(out, columns=cols), has_list


def _found(docs: list[Resolution], a: Resolution, b: Resolution, aliases: Mapping | None,
           top: int) -> pd.DataFrame:
    from .detect import detect
    upto = [d for d in docs if d.session is not None and d.session <= b.session]
    found = detect(upto, aliases=aliases, top=None)
    new = found[(found["first_session"] > a.session) & (found["first_session"] <= b.session)]
    new = new.head(top).reset_index(drop=True)
    texts = {d.id: d for d in representative(upto).values()}
    return new.assign(cite=[texts[d].cite(k) for d, k in zip(new["first_document"], new["first_key"])])


def _paragraphs(a: Resolution, b: Resolution, top: int) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(summary part x status, the `top` least similar amended pairs, all aligned pairs)."""
    from .align import align
    from .compare import summary_frame
    pairs = align(a, b)
    amended = pairs[pairs["status"] == "amended"].sort_values(["similarity", "part"], kind="mergesort")
    changed = amended[["part", "a_key", "b_key", "similarity", "redline"]].head(top).reset_index(drop=True)
    return summary_frame(pairs), changed, pairs


def _verbs(a: Resolution, b: Resolution, pairs: pd.DataFrame) -> pd.DataFrame:
    """Aligned operative paragraphs whose opening verb moved up or down the strength scale."""
    from .verbs import canonical_verb
    scale = verb_strength()
    leads_a = {p.key: p.lead for p in a.operative}
    leads_b = {p.key: p.lead for p in b.operative}
    out = []
    ops = pairs[(pairs["part"] == "operative") & pairs["status"].isin(["carried", "amended"])]
    for ka, kb in zip(ops["a_key"], ops["b_key"]):
        va, vb = canonical_verb(leads_a[ka]), canonical_verb(leads_b[kb])
        sa, sb = scale.get(va), scale.get(vb)
        if va != vb and sa is not None and sb is not None and sa != sb:
            out.append({"a_key": ka, "b_key": kb, "a_verb": va, "b_verb": vb, "a_strength": sa,
                        "b_strength": sb, "change": "strengthened" if sb > sa else "weakened"})
    return pd.DataFrame(out, columns=["a_key", "b_key", "a_verb", "b_verb", "a_strength",
                                      "b_strength", "change"])


def _treaties(a: Resolution, b: Resolution, conventions) -> pd.DataFrame:
    from .compare import treaty_changes
    from .treaties import treaty_figures
    rows = treaty_changes(treaty_figures([a, b], conventions=conventions), a.id, b.id)
    moved = rows["a_parties"].isna() | rows["b_parties"].isna() | (rows["delta"].fillna(0) != 0)
    return rows[moved.astype(bool)].reset_index(drop=True)


def _terms(docs: list[Resolution], a: Resolution, b: Resolution, top: int, stop_words) -> pd.DataFrame:
    from .drift import term_changes
    changes = term_changes(docs, a.session, b.session, top=top, stop_words=stop_words)
    keys = [_first_key(b if d == "rising" else a, t, stop_words)
            for t, d in zip(changes["term"], changes["direction"])]
    return changes.assign(key=keys)[["term", "direction", "change", "weight_a", "weight_b", "key"]]


def _first_key(doc: Resolution, term: str, stop_words) -> str:
    """The first paragraph of ``doc`` whose analysis tokens hold ``term`` ("" when none)."""
    from .tokens import analysis_tokens, term_token
    token = term_token(term, stop_words=stop_words)
    return next((p.key for p in doc.paragraphs
                 if token and token in analysis_tokens(p.text, stop_words=stop_words)), "")


def _in_order(doc: Resolution, keys: Iterable[str]) -> tuple[str, ...]:
    wanted = set(keys)
    return tuple(p.key for p in doc.paragraphs if p.key in wanted)


def session_digest(docs: Iterable[Resolution], session: int, *, previous: int | None = None,
                   top: int = DEFAULT_TOP, aliases: Mapping | None = None,
                   conventions: tuple | None = None, stop_words: frozenset[str] | None = None) -> Digest:
    """The digest of ``session`` of one series (``docs``: the series' documents) against
    ``previous`` (default: the series' latest earlier session).  LookupError for a session
    that is not in the series or has no earlier one.  ``aliases``, ``conventions``,
    ``stop_words``: the corpus's lexicons (`Corpus.config`); the bundled ones by default."""
    docs = list(docs)
    a, b = _texts(docs, int(session), None if previous is None else int(previous))
    listed, has_list = _listed(a, b, aliases)
    summary, changed, pairs = _paragraphs(a, b, top)
    return Digest(session=b.session, previous=a.session, doc=b, previous_doc=a, listed=listed,
                  found=_found(docs, a, b, aliases, 2 * top), paragraphs=summary, changed=changed,
                  verbs=_verbs(a, b, pairs), treaties=_treaties(a, b, conventions),
                  terms=_terms(docs, a, b, top, stop_words), has_list=has_list,
                  new_keys=tuple(pairs.loc[pairs["status"] == "new", "b_key"]),
                  dropped_keys=_in_order(a, pairs.loc[pairs["status"] == "dropped", "a_key"]))


# --- sentences ----------------------------------------------------------------------------------

def _cites(doc: Resolution, keys: Iterable[str]) -> str:
    """"A/RES/67/189, preambular para. 8; para. 20" for several paragraphs of one text."""
    where = [doc.cite(k).removeprefix(f"{doc.label}, ") for k in keys if k]
    return f"{doc.label}, " + "; ".join(where) if where else doc.label


def excerpt(text: str, term: str, limit: int = QUOTE_CHARS) -> str:
    """About ``limit`` characters of ``text`` around the first ``term`` (case ignored), cut
    at spaces only, and always holding the whole term: a quote that stops at "Convention
    against …" before "Cybercrime" does not show what it is quoted for."""
    text = " ".join(str(text).split())
    if len(text) <= limit:
        return text
    found = text.lower().find(term.lower())
    at, term_end = (found, found + len(term)) if found >= 0 else (0, 0)
    start = text.rfind(" ", 0, max(at - limit // 3, 0)) + 1 if at > limit // 3 else 0
    end = max(start + limit, term_end)
    if end < len(text) and text[end] != " ":
        # back to the last space, unless that would cut the term: then on to the next one
        back, on = text.rfind(" ", term_end, end), text.find(" ", end)
        end = back if back >= 0 else (on if on >= 0 else len(text))
    end = min(end, len(text))
    piece = text[start:end].rstrip()
    return ("… " if start else "") + piece + (" …" if end < len(text) else "")


def _listed_sentences(d: Digest) -> list[str]:
    a, b = d.previous_doc, d.doc
    out = []
    for r in d.listed.itertuples():
        if r.change == "added":
            out.append(f"Newly listed: {r.label}, “{r.raw}” ({r.cite}).")
            continue
        if r.change == "kept":
            continue
        seen = (f"{b.label} still mentions it {r.mentions} time{'s' if r.mentions != 1 else ''} "
                f"({_cites(b, r.mention_keys)})" if r.mentions else f"{b.label} does not mention it anywhere")
        what = "Dropped from the list" if r.change == "dropped" else f"No list in this text ({b.label})"
        out.append(f"{what}: {r.label}, listed in {r.cite}; {seen}.")
    kept = d.listed[d.listed["change"] == "kept"]
    if len(kept):
        out.append(f"Still listed: {', '.join(kept['label'])} ({_cites(b, dict.fromkeys(kept['key']))}).")
    if not d.has_list and not len(d.listed):
        out.append(f"Neither {a.label} nor {b.label} lists emerging issues ({b.label}: no list in this text).")
    return out


def _found_sentences(d: Digest) -> list[str]:
    return [f"First used in {r.cite}: “{r.label}”, in “{excerpt(r.quote, r.label)}”."
            for r in d.found.itertuples()]


def _paragraph_sentences(d: Digest) -> list[str]:
    a, b = d.previous_doc, d.doc
    total = d.paragraphs[d.paragraphs["part"] == "total"].set_index("status")["count"]
    out = [f"{b.label} against {a.label}: {total['carried']} paragraphs carried over word for word, "
           f"{total['amended']} amended, {total['new']} new and {total['dropped']} dropped."]
    if d.new_keys:
        out.append(f"New: {_cites(b, d.new_keys)}.")
    if d.dropped_keys:
        out.append(f"Dropped: {_cites(a, d.dropped_keys)}.")
    return out


def _changed_sentences(d: Digest) -> list[str]:
    a, b = d.previous_doc, d.doc
    return [f"{b.cite(r.b_key)} amends {a.cite(r.a_key)} (similarity {r.similarity:.2f}): {r.redline}"
            for r in d.changed.itertuples()]


def _verb_sentences(d: Digest) -> list[str]:
    a, b = d.previous_doc, d.doc
    return [f"{b.cite(r.b_key)}: “{r.a_verb}” became “{r.b_verb}” ({r.change}; was {a.cite(r.a_key)})."
            for r in d.verbs.itertuples()]


def _treaty_sentences(d: Digest) -> list[str]:
    a, b = d.previous_doc, d.doc
    out = []
    for r in d.treaties.itertuples():
        if pd.isna(r.a_parties):
            out.append(f"Parties to the {r.convention}: {r.b_parties}, first stated in {b.cite(r.b_key)}.")
        elif pd.isna(r.b_parties):
            out.append(f"Parties to the {r.convention}: {r.a_parties} in {a.cite(r.a_key)}, "
                       f"no longer stated in {b.label}.")
        else:
            out.append(f"Parties to the {r.convention}: {r.a_parties} → {r.b_parties} "
                       f"({int(r.delta):+d}), {b.cite(r.b_key)} (was {a.cite(r.a_key)}).")
    return out


def _term_sentences(d: Digest) -> list[str]:
    out = []
    for r in d.terms.itertuples():
        doc = d.doc if r.direction == "rising" else d.previous_doc
        where = doc.cite(r.key) if r.key else doc.label
        out.append(f"{r.direction.capitalize()}: “{r.term}” (tf-idf {r.weight_a:.3f} → {r.weight_b:.3f}), {where}.")
    return out


_SENTENCES = {"listed": _listed_sentences, "found": _found_sentences,
              "paragraphs": _paragraph_sentences, "changed": _changed_sentences,
              "verbs": _verb_sentences, "treaties": _treaty_sentences, "terms": _term_sentences}


def sentences(d: Digest) -> dict[str, list[str]]:
    """Section -> sentences, each citing the paragraph(s) it is about."""
    return {name: _SENTENCES[name](d) for name in SECTIONS}


def title(d: Digest) -> str:
    return f"What changed in session {d.session}: {d.doc.label} against {d.previous_doc.label}"


EMPTY = {"listed": "No change to the list.", "found": "No new term.", "changed": "No amended paragraph.",
         "verbs": "No operative verb changed strength.", "treaties": "No treaty figure changed.",
         "terms": "No term rose or fell.", "paragraphs": "No paragraph."}


def render_markdown(d: Digest) -> str:
    """The digest as Markdown: a heading per section, a bullet per sentence."""
    lines = [f"# {title(d)}", "", f"*{d.doc.title}*", ""]
    for name, items in sentences(d).items():
        lines += [f"## {HEADINGS[name]}", ""]
        lines += [f"- {s}" for s in items] or [f"- {EMPTY[name]}"]
        lines.append("")
    return "\n".join(lines)


def pack_item(d: Digest, figure=None):
    """The digest as one section of a briefing pack (`export.PackItem`): its sentences as the
    caption, and the wording behind them (redlines, first uses, new list items) as quotes."""
    from .export import PackItem
    caption = "\n".join(f"{HEADINGS[n]}: " + " ".join(items) for n, items in sentences(d).items() if items)
    quotes = [(r.cite, r.raw) for r in d.listed.itertuples() if r.change == "added"]
    quotes += [(r.cite, r.quote) for r in d.found.itertuples()]
    quotes += [(d.doc.cite(r.b_key), r.redline) for r in d.changed.itertuples()]
    return PackItem(title(d), figure, caption, tuple(quotes))
