"""The reader's fast paths give what the plain patterns give.

Patterns were reordered so the regex engine can skip ahead (a literal first, look-behinds
after it), and cheap membership checks now stand before some regexes.  These tests hold the
fast forms to the plain ones on many generated strings, including the edge cases
(text start, runs of delimiters, line ends)."""
from __future__ import annotations

import random
import re

import pytest

from analytics import admission
from analytics.reader import _last_plenary
from analytics.reading import emphasis, layout
from analytics.reading.patterns import FURNITURE_LINE, PLENARY

# the patterns as they were first written (a look-behind first: tried at every position)
PLAIN_OPEN = re.compile(r"(?<![\w*])(?:\*{1,3}|_{1,2})(?=[^\s_*])")
PLAIN_CLOSE = {d: re.compile(r"(?<=[^\s_*])(?=" + re.escape(d) + r"(?![\w*]))")
               for d in ("*", "**", "***", "_", "__")}
RULE = re.compile(r"(?<![\w*])(\*{1,3}|_{1,2})(?=[^\s_*])([^\n]+?)(?<=[^\s_*])\1(?![\w*])")


def _strings(alphabet: str, n: int, seed: int, longest: int = 14) -> list[str]:
    rnd = random.Random(seed)
    return [''.join(rnd.choice(alphabet) for _ in range(rnd.randint(0, longest))) for _ in range(n)]


@pytest.mark.parametrize("seed", [0, 1])
def test_emphasis_opener_finds_what_the_plain_pattern_finds(seed):
    for s in _strings("*_ a\n1.", 4000, seed):
        for pos in range(len(s) + 1):
            fast = [(m.start(), m.group(0)) for m in emphasis._EMPH_OPEN.finditer(s, pos)]
            plain = [(m.start(), m.group(0)) for m in PLAIN_OPEN.finditer(s, pos)]
            assert fast == plain, (s, pos)


@pytest.mark.parametrize("delim", ["*", "**", "***", "_", "__"])
def test_emphasis_closers_start_where_the_plain_pattern_matches(delim):
    for s in _strings("*_ a\n1.", 6000, 7):
        fast = [m.start() for m in emphasis._EMPH_CLOSE[delim].finditer(s)]
        assert fast == [m.start() for m in PLAIN_CLOSE[delim].finditer(s)], s


def test_strip_emphasis_applies_the_rule():
    assert emphasis.strip_emphasis("*Recalling* its __resolution__ 70/1,") == "Recalling its resolution 70/1,"
    assert emphasis.strip_emphasis("a*b* **c** ***d") == "a*b* c ***d"
    for s in _strings("*_ ab\n", 3000, 3, longest=12):
        assert emphasis.strip_emphasis(s) == RULE.sub(r"\2", s), s


def test_last_plenary_is_the_last_match_and_none_without_the_word():
    text = "adopted at the 12th plenary meeting and again at the 70th (resumed) Plenary  meeting."
    m = _last_plenary(text)
    assert m is not None and m.group(1) == "70"
    assert m.span() == list(PLENARY.finditer(text))[-1].span()
    assert _last_plenary("Draft resolution: 12th meeting of the Committee") is None
    assert _last_plenary("") is None


def test_furniture_check_agrees_with_the_pattern_on_lines_that_are_not_running_heads():
    title = layout._Title("", "")
    lines = ["---", "2/4", "12", "1234", "12-48994 (E) 010213", "*1348994*", "Please recycle",
             "Printed here. Please  recycle", "[DU1]", "<<ODS JOB NO>>N1344880E<<ODS JOB NO>>",
             "United Nations A/RES/70/1", "Distr.: General", "Original: English",
             "Recalling its resolution 70/1,", "Decides to remain seized of the matter.",
             "== = ==", "Unitednations", "(E)", "\u0661\u0662", "\u00b9"]
    for line in lines:
        expected = (not re.match(r"^\d{1,3}$", line)) and bool(FURNITURE_LINE.match(line))
        if expected:
            assert layout._strict_furniture(line, title), line
        elif "A/" not in line and not line[:1].isdigit() and line[:1] not in "*(":
            assert not layout._strict_furniture(line, title), line


def test_char_shares_of_ascii_text_count_no_unicode_categories():
    text = "Recalling its resolution 70/1 of 25 September 2015,\n\tentitled \"Transforming\"\f"
    shares = admission.char_shares(text)
    assert shares["non_ascii"] == 0
    assert shares["junk"] == 0
    assert shares["space"] == pytest.approx((text.count(" ") + 3) / len(text))
    accented = admission.char_shares(text + "\u00e9\u00a0\ue000")
    assert accented["non_ascii"] == pytest.approx(3 / (len(text) + 3))
    assert accented["junk"] == pytest.approx(1 / (len(text) + 3))   # the private-use character
