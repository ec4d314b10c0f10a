"""analytics.text: folding, words, phrase patterns, the per-text memos and gc_paused, on strings
quoted from the bundled corpus (each quote is checked to be in its file first)."""
from __future__ import annotations

import dataclasses
import gc
import re
from pathlib import Path

import pytest

from analytics.text import FunctionMemo, RecordMemo, fold, gc_paused, n_words, phrase_pattern, word_count, words
# paths spelled out: "from conftest import" is ambiguous beside tests/e2e/conftest.py
CORPUS_DIR = Path(__file__).resolve().parent.parent / "corpus"

A60, A63, A65, A67 = "A-RES-60-175", "A-RES-63-195", "A-RES-65-232", "A-RES-67-189"


def quote(name: str, text: str) -> str:
    """``text`` as printed in corpus/``name`` (line breaks of the file read as spaces)."""
    flat = re.sub(r"\s*\n\s*", " ", (CORPUS_DIR / name).read_text(encoding="utf-8"))
    assert text in flat, f"{text!r} is not in {name}"
    return text


# --------------------------------------------------------------------------- fold

def test_fold_joins_the_hyphenated_and_the_hyphen_lost_spelling():
    # the markdown layout keeps the hyphen, the text export of 65/232 lost it
    hyphen = quote("A-RES-63-195.md", "Global Programme against Money-Laundering")
    lost = quote("A-RES-65-232.txt", "Global Programme against MoneyLaundering")
    assert fold(hyphen) == fold(lost) == "global programme against moneylaundering"
    # a spaced spelling stays two words: the lexicons list it beside the joined one
    assert fold(quote("A-RES-63-195.md", "Financial Action Task Force on Money Laundering")) == \
        "financial action task force on money laundering"


def test_fold_straightens_quotes_and_dashes_and_keeps_hyphens_between_digits():
    assert fold(quote("A-RES-60-175.txt", "Partnership for Africa’s Development")) == \
        "partnership for africa's development"
    assert fold(quote("A-RES-60-175.txt", "comprehensive programme of action, 2006–2010, to strengthen")) == \
        "comprehensive programme of action, 2006-2010, to strengthen"
    assert fold(quote("A-RES-63-195.md", "entitled “Follow-up to the Eleventh United Nations")) == \
        'entitled "followup to the eleventh united nations'


def test_fold_white_space_soft_hyphens_and_no_break_spaces():
    # as a PDF export delivers a line of 67/189: a soft hyphen inside a word, a no-break space
    # before a number, a line break and a tab
    raw = "Convention against Transnational Organized Crime has reached\u00a0172,\n\tand\u00a0wel\u00adcomes"
    assert fold(raw) == "convention against transnational organized crime has reached 172, and welcomes"
    assert fold("a  b") == "a b" and fold("a \n b") == "a b" and fold(" a ") == " a "
    assert fold("") == ""


# --------------------------------------------------------------------------- words

def test_words_are_folded_letter_and_digit_runs():
    text = quote("A-RES-60-175.txt", "Partnership for Africa’s Development6 and similar efforts")
    # the footnote mark 6 stays glued to the word, as the text prints it
    assert words(text) == ["partnership", "for", "africa's", "development6", "and", "similar", "efforts"]
    assert words(quote("A-RES-60-175.txt", "comprehensive programme of action, 2006–2010,")) == \
        ["comprehensive", "programme", "of", "action", "2006", "2010"]
    assert words("Secretary-General’s report") == ["secretarygeneral's", "report"]
    assert words("under_score") == ["under", "score"]
    assert words("") == []


# --------------------------------------------------------------------------- phrase_pattern

def test_phrase_pattern_counts_a_term_in_every_layout(docs):
    pattern = phrase_pattern("money-laundering")
    assert pattern is phrase_pattern("money-laundering")       # compiled once
    counts = {i: len(pattern.findall(fold(docs[i].text))) for i in (A63, A65, A67)}
    # 63 (markdown) prints "money-laundering" four times in its paragraphs, 65 (hyphen lost)
    # "moneylaundering" four times; the Task Force's "Money Laundering" is not this phrase
    assert counts == {A63: 4, A65: 4, A67: 5}
    raw63 = (CORPUS_DIR / "A-RES-63-195.md").read_text(encoding="utf-8")
    assert len(re.findall(r"money-laundering", raw63, flags=re.I)) == 4


def test_phrase_pattern_spans_line_breaks_and_respects_word_boundaries(docs):
    cultural = phrase_pattern("Cultural  property")
    raw67 = (CORPUS_DIR / "A-RES-67-189.txt").read_text(encoding="utf-8")
    assert len(cultural.findall(fold(docs[A67].text))) == 7 == len(re.findall(r"cultural\s+property", raw67, re.I))
    assert cultural.search("trafficking in cultural\n property") is not None
    assert cultural.search("culturalproperty") is None
    assert cultural.search("multicultural property") is None
    assert cultural.search("cultural propertys") is None
    # an underscore is a boundary, as in words(): a joined analysis token reads as its words
    assert len(phrase_pattern("piracy").findall(fold("Piracy, piracy_by_sea, piracyx and (piracy)."))) == 3


# --------------------------------------------------------------------------- memos

def test_memo_computes_each_distinct_text_once(docs):
    calls = []
    memo = FunctionMemo(lambda text: calls.append(text) or len(text.split()), limit=1000)
    texts = [p.text for d in (docs[A65], docs[A67]) for p in d.paragraphs]
    first = memo.map(texts)
    assert len(calls) == len(set(texts)) < len(texts)           # 65 and 67 share paragraphs verbatim
    assert list(first) == list(dict.fromkeys(texts))
    assert all(first[t] == len(t.split()) for t in texts)
    assert memo(texts[0]) == len(texts[0].split())
    again = memo.map(texts)
    assert again == first and len(calls) == len(set(texts))     # every key a hit


def test_memo_starts_afresh_when_full():
    calls = []
    memo = FunctionMemo(lambda k: calls.append(k) or k.upper(), limit=2)
    assert [memo("a"), memo("b"), memo("a")] == ["A", "B", "A"] and calls == ["a", "b"]
    assert memo("c") == "C" and memo.data == {"c": "C"}          # cleared, not evicted piecemeal
    assert memo("a") == "A" and calls == ["a", "b", "c", "a"]
    assert memo.map(["d", "e", "d"]) == {"d": "D", "e": "E"} and len(memo.data) <= 2


def test_record_memo_keys_by_identity(docs):
    calls = []
    memo = RecordMemo(lambda d: calls.append(d.id) or len(d.operative))
    doc = docs[A67]
    assert memo(doc) == memo(doc) == 41 and calls == [A67]
    twin = dataclasses.replace(doc)                              # equal, but another object
    assert twin == doc and twin is not doc
    assert memo(twin) == 41 and calls == [A67, A67]


def test_word_count_matches_the_record_and_n_words(docs):
    for doc in docs.values():
        assert word_count(doc) == doc.word_count == sum(n_words(p.text) for p in doc.paragraphs)
    assert {i: docs[i].word_count for i in (A60, A63)} == {A60: 2312, A63: 2173}
    assert n_words(quote("A-RES-60-175.txt", "Partnership for Africa’s Development")) == 4


# --------------------------------------------------------------------------- gc_paused

@pytest.fixture
def gc_state():
    was = gc.isenabled()
    yield
    (gc.enable if was else gc.disable)()


def test_gc_paused_restores_the_previous_state(gc_state):
    gc.enable()
    with gc_paused():
        assert not gc.isenabled()
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()                                # the inner block kept the outer pause
    assert gc.isenabled()
    gc.disable()
    with gc_paused():
        pass
    assert not gc.isenabled()                                    # a caller's own gc.disable() is kept
    gc.enable()
    with pytest.raises(RuntimeError), gc_paused():
        raise RuntimeError("boom")
    assert gc.isenabled()


def test_trie_pattern_prefers_the_longest_phrase_and_spaces_can_stand_for_line_breaks():
    from analytics.text import trie_pattern
    phrases = ["money", "money laundering", "trafficking in persons", "traffic"]
    plain = re.compile(trie_pattern(phrases))
    assert plain.findall("money laundering and trafficking in persons, money") == [
        "money laundering", "trafficking in persons", "money"]
    assert plain.findall("money\nlaundering") == ["money"]
    spaced = re.compile(trie_pattern(phrases, space=r"\s+"))
    assert spaced.findall("money\nlaundering; trafficking  in\npersons") == [
        "money\nlaundering", "trafficking  in\npersons"]
    assert re.compile(trie_pattern(["a.b"])).findall("axb a.b") == ["a.b"]   # literal, not a regex
