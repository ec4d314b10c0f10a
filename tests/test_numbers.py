"""Number words and digits as layouts print them.

The renderer here is written independently of analytics.numbers (its own word
lists and assembly) so that a shared mistake cannot make the round trip pass.
"""
import itertools
import re

import pytest
from hypothesis import given, settings, strategies as st

from analytics.numbers import NUMBER_PATTERN, NUMBER_RE, find_numbers, parse_number

ONES = ["", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
        "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
        "seventeen", "eighteen", "nineteen"]
TENS = {2: "twenty", 3: "thirty", 4: "forty", 5: "fifty", 6: "sixty", 7: "seventy",
        8: "eighty", 9: "ninety"}

JOINS = ["-", "", " ", "-\n", "\n"]          # between "sixty" and "four"
SEPS = [" ", "\n", "  ", " \n "]             # between other words
CASES = [str.lower, str.title, str.upper, str.capitalize]


def render(n: int, *, join: str = "-", use_and: bool = True, sep: str = " ", case=str.lower) -> str:
    assert 1 <= n <= 999
    hundreds, rest = divmod(n, 100)
    parts = []
    if hundreds:
        parts += [ONES[hundreds], "hundred"]
        if rest and use_and:
            parts.append("and")
    if rest:
        if rest < 20:
            parts.append(ONES[rest])
        else:
            t, u = divmod(rest, 10)
            parts.append(TENS[t] + (join + ONES[u] if u else ""))
    return case(sep.join(parts))


def test_renderer_itself():
    assert render(164) == "one hundred and sixty-four"
    assert render(158, join="") == "one hundred and fiftyeight"
    assert render(164, join=" ", use_and=False) == "one hundred sixty four"
    assert render(7) == "seven" and render(40) == "forty" and render(300) == "three hundred"


@pytest.mark.parametrize("join,use_and,sep,case",
                         list(itertools.product(JOINS, [True, False], SEPS, CASES)))
def test_every_number_every_layout(join, use_and, sep, case):
    bad = [n for n in range(1, 1000)
           if parse_number(render(n, join=join, use_and=use_and, sep=sep, case=case)) != n]
    assert bad == []


@given(n=st.integers(1, 999), join=st.sampled_from(JOINS), use_and=st.booleans(),
       sep=st.sampled_from(SEPS), case=st.sampled_from(CASES))
@settings(max_examples=500)
def test_round_trip_property(n, join, use_and, sep, case):
    text = render(n, join=join, use_and=use_and, sep=sep, case=case)
    assert parse_number(text) == n
    # found inside running text, whole, with the same value
    found = find_numbers(f"has reached {text}, which is")
    assert [v for _, _, v in found] == [n]


@given(st.integers(0, 10**7))
def test_digits_round_trip(n):
    assert parse_number(str(n)) == n
    assert parse_number(f"{n:,}") == n


@pytest.mark.parametrize("text,value", [
    ("172", 172), ("1,000", 1000), (" 158 ", 158),
    ("one hundred and sixty-four", 164), ("one hundred sixty four", 164),
    ("one hundred and fiftyeight", 158), ("One Hundred And Fifty-Eight", 158),
    ("one hundred and\nsixty-\nfour", 164), ("ninety-nine", 99), ("nine hundred and ninety-nine", 999),
])
def test_known_values(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize("text", [
    "one hundred and", "and", "hundred", "first", "sixty-fourth", "sixtyfourth", "hundredth",
    "", "   ", "the", "someone", "often", "ten four", "twenty twenty", "one two",
    "sixty hundred", "one hundred hundred", "eleven-one", "1,00", "12a", "46/152", "1.5",
    "1373 (2001)", "vol. 2225", "No. 39574", "one hundred and sixty-four States",
])
def test_hostile_is_none(text):
    assert parse_number(text) is None


_VOCAB = ONES[1:] + list(TENS.values()) + ["hundred", "and", "the", "first", "States", "thousand"]


def _squash(text: str) -> str:
    return re.sub(r"[\s\-]+|\band\b", "", text.lower())


@given(st.lists(st.sampled_from(_VOCAB), min_size=1, max_size=6),
       st.lists(st.sampled_from([" ", "-", "", "\n"]), min_size=5, max_size=5))
@settings(max_examples=1000)
def test_random_word_sequences_parse_only_as_a_spelling_of_their_value(words, seps):
    text = words[0] + "".join(s + w for s, w in zip(seps, words[1:]))
    value = parse_number(text)
    if value is not None:
        assert 1 <= value <= 999
        assert _squash(text) == _squash(render(value, use_and=False))


def test_pattern_in_text_respects_boundaries():
    text = ("at its sixty-fourth session, resolution 46/152, vol. 2225, No. 39574, "
            "someone often; has reached one hundred and fiftyeight, and twenty-one others")
    assert [(text[s:e], v) for s, e, v in find_numbers(text)] == [
        ("2225", 2225), ("39574", 39574), ("one hundred and fiftyeight", 158), ("twenty-one", 21)]


def test_pattern_takes_no_trailing_and():
    m = NUMBER_RE.search("one hundred and the rest")
    assert m.group() == "one hundred"


def test_pattern_embeds_twice_without_clash():
    rx = re.compile(rf"from\s+({NUMBER_PATTERN})\s+to\s+({NUMBER_PATTERN})")
    m = rx.search("has increased from one hundred and forty to 158 States")
    assert (parse_number(m.group(1)), parse_number(m.group(2))) == (140, 158)
    assert isinstance(NUMBER_PATTERN, str)


def test_glued_digits_are_not_numbers():
    assert find_numbers("Convention against Corruption2 and 172nd and A/63/99") == []
