import math

import pytest

from analytics.keyness import COLUMNS, keyness, keyness_docs, log_likelihood, log_ratio, p_value
from analytics.tokens import STOP_WORDS


def filler(prefix, n):
    # n distinct one-off tokens: each is far too rare to be key on its own
    return [f"{prefix}{i:05d}" for i in range(n)]


def test_g2_by_hand_10_in_1000_against_2_in_1200():
    tokens_a = ["piracy"] * 10 + filler("a", 990)
    tokens_b = ["piracy"] * 2 + filler("b", 1198)
    e_a = 1000 * 12 / 2200
    e_b = 1200 * 12 / 2200
    expected = 2 * (10 * math.log(10 / e_a) + 2 * math.log(2 / e_b))
    assert expected == pytest.approx(7.3802, abs=1e-4)  # worked on paper: 2 * (6.0614 - 2.3713)
    out = keyness(tokens_a, tokens_b)
    assert list(out.columns) == COLUMNS
    assert out["term"].tolist() == ["piracy"]
    row = out.iloc[0]
    assert row["side"] == "a" and row["count_a"] == 10 and row["count_b"] == 2
    assert row["per_1000_a"] == pytest.approx(10.0)
    assert row["per_1000_b"] == pytest.approx(2000 / 1200)
    assert row["g2"] == pytest.approx(expected)
    assert row["log_ratio"] == pytest.approx(math.log2(6))  # (10/1000) / (2/1200) = 6
    assert row["p_value"] == pytest.approx(math.erfc(math.sqrt(expected / 2)))
    assert 0.001 < row["p_value"] < 0.01  # 7.38 lies between 6.63 (p=.01) and 10.83 (p=.001)
    assert log_likelihood(10, 2, 1000, 1200) == pytest.approx(expected)


def test_zero_count_uses_half_for_log_ratio():
    # 5 of 1000 against 0 of 1000: Hardie's 0.5 stands in for the zero
    assert log_ratio(5, 0, 1000, 1000) == pytest.approx(math.log2(10))
    assert log_ratio(0, 5, 1000, 1000) == pytest.approx(-math.log2(10))
    # b = 0: G2 = 2 * a * ln(a / E_a), E_a = 1000 * 5 / 2000
    assert log_likelihood(5, 0, 1000, 1000) == pytest.approx(2 * 5 * math.log(2))


def test_p_value_at_the_critical_value():
    assert p_value(3.841458820694124) == pytest.approx(0.05)
    assert p_value(0.0) == 1.0


def test_sides_sorting_threshold_and_top():
    tokens_a = ["piracy"] * 30 + ["crime"] * 12 + ["drugs"] * 3 + filler("a", 955)
    tokens_b = ["cybercrime"] * 20 + ["crime"] * 10 + ["drugs"] * 2 + filler("b", 968)
    out = keyness(tokens_a, tokens_b)
    assert out["side"].tolist() == ["a", "b"]
    assert out["term"].tolist() == ["piracy", "cybercrime"]
    # crime 12 vs 10 and drugs 3 vs 2 are not significant
    assert log_likelihood(12, 10, 1000, 1000) < 3.84
    only_a = keyness(tokens_a + ["wildlife"] * 8, tokens_b, top=1)
    assert only_a["term"].tolist() == ["piracy", "cybercrime"]
    both = keyness(tokens_a + ["wildlife"] * 8, tokens_b)
    side_a = both[both["side"] == "a"]
    assert side_a["term"].tolist() == ["piracy", "wildlife"]
    assert side_a["g2"].is_monotonic_decreasing


def test_min_count_applies_to_the_key_side():
    # 3 of 100 against 0 of 10,000: G2 = 6 ln(3 / E_a) = 27.7, significant but only 3 occurrences
    tokens_a = ["piracy"] * 3 + filler("a", 97)
    tokens_b = filler("b", 10_000)
    assert keyness(tokens_a, tokens_b)["term"].tolist() == ["piracy"]
    assert keyness(tokens_a, tokens_b, min_count=4).empty


def test_empty_inputs():
    assert keyness([], ["piracy"]).empty
    assert list(keyness([], []).columns) == COLUMNS


def test_multiword_terms_display_with_spaces():
    tokens_a = ["trafficking_in_persons"] * 10 + filler("a", 90)
    tokens_b = filler("b", 100)
    assert keyness(tokens_a, tokens_b)["term"].tolist() == ["trafficking in persons"]


# --- the seeds ---------------------------------------------------------------

def test_67_against_63(docs):
    out = keyness_docs(docs["A-RES-67-189"], docs["A-RES-63-195"])
    assert list(out.columns) == COLUMNS
    key = out.set_index("term")
    # cultural property: 7 times in 67/189, never in 63/195
    assert key.loc["cultural property", "side"] == "a"
    assert key.loc["cultural property", ["count_a", "count_b"]].tolist() == [7, 0]
    # the Commission on Crime Prevention and Criminal Justice: 15 mentions in 63/195, 3 in 67/189
    assert key.loc["commission", "side"] == "b"
    assert key.loc["commission", ["count_a", "count_b"]].tolist() == [3, 15]
    assert key.loc["commission", "log_ratio"] < 0 < key.loc["cultural property", "log_ratio"]
    assert (out["g2"] >= 3.84).all() and (out["p_value"] < 0.05).all()
    assert out["side"].tolist() == sorted(out["side"])
    terms = {t.replace(" ", "_") for t in out["term"]}
    assert not terms & STOP_WORDS
    assert not any(c.isdigit() for t in terms for c in t)


def test_seed_keyness_is_deterministic(docs):
    a, b = docs["A-RES-65-232"], docs["A-RES-60-175"]
    first = keyness_docs(a, b, top=10)
    assert first.equals(keyness_docs(a, b, top=10))
    swapped = keyness_docs(b, a, top=10)
    assert sorted(first["term"]) == sorted(swapped["term"])
    assert (first.set_index("term")["g2"].sort_index()
            .equals(swapped.set_index("term")["g2"].sort_index()))
