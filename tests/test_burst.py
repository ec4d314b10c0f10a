"""Kleinberg's two-state burst model against hand-computed cases (costs without the binomial
coefficient, which is the same in both states)."""
import math

import pytest

from analytics import burst
from analytics.detect import novelty_score


def test_step_after_two_quiet_sessions_is_one_burst():
    # r = 0 0 5 5 of d = 10 each.  p0 = 10/40 = 0.25, p1 = 2 p0 = 0.5, moving up costs ln 4.
    #   cost0(0) = -10 ln .75            = 2.876821   cost1(0) = -10 ln .5 = 6.931472
    #   cost0(5) = -5 ln .25 - 5 ln .75  = 8.369882   cost1(5) = -10 ln .5 = 6.931472
    #   0000: 2(2.876821) + 2(8.369882)            = 22.493406
    #   0011: 2(2.876821) + 1.386294 + 2(6.931472) = 21.002880   <- least
    #   weight = 2 (8.369882 - 6.931472) = 2.876820
    r, d = [0, 0, 5, 5], [10, 10, 10, 10]
    assert burst.rates(r, d) == (0.25, 0.5)
    assert burst.cost(0, 10, 0.25) == pytest.approx(2.876821, abs=1e-6)
    assert burst.cost(5, 10, 0.25) == pytest.approx(8.369882, abs=1e-6)
    assert burst.burst_states(r, d) == [0, 0, 1, 1]
    (b,) = burst.bursts(r, d)
    assert (b.start, b.end) == (2, 3)
    assert b.weight == pytest.approx(2.876820, abs=1e-6)
    assert burst.burst_weight_at(r, d, 2) == pytest.approx(b.weight)
    assert burst.burst_weight_at(r, d, 1) == 0.0


def test_a_weak_step_is_no_burst():
    # r = 0 0 2 2 of 10: p0 = 0.1, p1 = 0.2.  Each busy session gains
    #   cost0(2) - cost1(2) = (-2 ln .1 - 8 ln .9) - (-2 ln .2 - 8 ln .8) = 5.448064 - 5.004024 = 0.444040
    # but the quiet ones lose cost1(0) - cost0(0) = 2.231436 - 1.053605 in state 1, and entering
    # costs ln 4 = 1.386294 > 2 (0.444040): the base state all along is cheapest.
    assert burst.burst_states([0, 0, 2, 2], [10] * 4) == [0, 0, 0, 0]
    assert burst.bursts([0, 0, 2, 2], [10] * 4) == []


def test_a_burst_ends_for_free_and_gamma_prices_it():
    # r = 0 5 0 of 10: p0 = 1/6, p1 = 1/3, moving up costs ln 3 = 1.098612.
    #   cost0(0) = 1.823216, cost0(5) = 9.870405, cost1(0) = 4.054651, cost1(5) = 7.520387
    #   000: 13.516837;  010: 1.823216 + 1.098612 + 7.520387 + 1.823216 = 12.265431 <- least
    r, d = [0, 5, 0], [10, 10, 10]
    (b,) = burst.bursts(r, d)
    assert (b.start, b.end) == (1, 1)
    assert b.weight == pytest.approx(9.870405 - 7.520387, abs=1e-6)
    # with gamma = 3 entering costs 3 ln 3 = 3.295837: 010 = 14.462656 > 13.516837
    assert burst.bursts(r, d, gamma=3.0) == []


def test_degenerate_counts():
    assert burst.bursts([0, 0, 0], [5, 5, 5]) == []          # no rate to speak of
    assert burst.bursts([5, 5], [5, 5]) == []                # every unit: nothing is faster
    assert burst.bursts([], []) == []
    assert burst.cost(0, 0, 0.5) == 0.0
    with pytest.raises(ValueError, match="differ in length"):
        burst.bursts([1], [1, 2])
    with pytest.raises(ValueError, match="0 <= r <= d"):
        burst.bursts([3], [2])


def test_novelty_score_adds_half_g2_and_the_burst_weight():
    # From session 2 on: 10 of 20 paragraphs against 0 of 20 before.
    #   E = 20 * 10 / 40 = 5, G2 = 2 (10 ln (10 / 5)) = 20 ln 2 = 13.862944
    #   score = G2 / 2 + W = 6.931472 + 2.876820 = 9.808292
    score, g2, w = novelty_score([0, 0, 5, 5], [10] * 4, 2)
    assert g2 == pytest.approx(20 * math.log(2))
    assert w == pytest.approx(2.876820, abs=1e-6)
    assert score == pytest.approx(9.808292, abs=1e-6)
    # 5 of 10 at the last session against 0 of 30: E = 10 * 5 / 40 = 1.25, G2 = 10 ln 4.
    # p0 = 0.125, p1 = 0.25: cost0(5) = -5 ln .125 - 5 ln .875 = 11.064865,
    # cost1(5) = -5 ln .25 - 5 ln .75 = 8.369882; gaining 2.694983 > ln 4, it is a burst
    score, g2, w = novelty_score([0, 0, 0, 5], [10] * 4, 3)
    assert g2 == pytest.approx(10 * math.log(4))
    assert w == pytest.approx(2.694983, abs=1e-6)
    assert novelty_score([3, 3], [10, 10], 0) == (0.0, 0.0, 0.0)   # nothing before: no novelty
