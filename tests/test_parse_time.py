"""Parse time is linear in the input (issue 9, item 1): a complexity check, not a benchmark.

Each pathological family (tests/fixtures/pathological/families.py) is built at size n and
G * n (G = 8), inside a real document.  Parse time grows with the size; so does the time of a
simple linear pass over the same bytes (the *baseline*), measured right before the parses so
that the load of a shared machine cancels out.  A linear parser's time grows like the
baseline's; a quadratic one grows up to G times faster.  The test asserts

    (parse(G n) / parse(n)) / (baseline(G n) / baseline(n))  <  LIMIT

with the best of 3 runs per size.  A watchdog turns a runaway (cubic, or a machine stall)
into a failure after a few seconds instead of a hung CI job.  Refusing an input
(ValueError) is fine: only the time matters.

Environment knobs: PARSE_TIME_LIMIT (default 3.0), PARSE_TIME_WATCHDOG (seconds per parse,
default 5).
"""
from __future__ import annotations

import gc
import os
import re
import signal
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings, strategies as st

from analytics.reader import parse_bytes

ROOT = Path(__file__).resolve().parents[1]
GROWTH = 4  # for the property test; the family tests use each family's own (8)
LIMIT = float(os.environ.get("PARSE_TIME_LIMIT", "3.0"))
WATCHDOG_S = float(os.environ.get("PARSE_TIME_WATCHDOG", "5"))
BIG_RUNS_CAP_S = 6.0  # stop repeating the large size once this much time went into it


from benchmarks.fuzz import load_families  # noqa: E402  (one loader for the families)

fam = load_families()


class Runaway(BaseException):
    """Raised by the watchdog; a BaseException so that no `except Exception` swallows it."""


def _alarm(signum, frame):
    raise Runaway()


def _parse(data: bytes) -> None:
    try:
        parse_bytes(data, source="pathological.txt")
    except ValueError:
        pass


_WORDS = re.compile(r"\w+")


def _baseline(data: bytes) -> None:
    """A simple linear pass over the same input (its cost per byte depends little on the content)."""
    text = data.decode("utf-8", "surrogatepass")
    _WORDS.findall(text)
    text.split("\n")


def _timed(fn, data: bytes, limit_s: float) -> float:
    old = signal.signal(signal.SIGALRM, _alarm)
    gc.disable()
    signal.setitimer(signal.ITIMER_REAL, limit_s)
    try:
        t0 = time.perf_counter()
        fn(data)
        return time.perf_counter() - t0
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        gc.enable()
        signal.signal(signal.SIGALRM, old)


def _base_time(data: bytes) -> float:
    """Best of at least 5 baseline runs (and at least 20 ms of them): it is cheap and small."""
    best, spent, runs = float("inf"), 0.0, 0
    while runs < 5 or (spent < 0.02 and runs < 200):
        t = _timed(_baseline, data, 30)
        best, spent, runs = min(best, t), spent + t, runs + 1
    return best


def growth_ratio(small: bytes, big: bytes, label: str) -> tuple[float, str]:
    """(normalised growth, description); fails the test on a watchdog overrun."""
    t_small = float("inf")
    b_small = _base_time(small)
    for _ in range(3):
        try:
            t_small = min(t_small, _timed(_parse, small, WATCHDOG_S))
        except Runaway:
            pytest.fail(f"{label}: parsing {len(small):,} bytes took over {WATCHDOG_S:.0f} s "
                        "(the small size)")
    b_big = _base_time(big)
    base_growth = max(b_big / b_small, 1e-9)
    t_big, spent = float("inf"), 0.0
    # a linear parser needs about base_growth * t_small; give it 6 times LIMIT that, at least 2 s
    limit = min(WATCHDOG_S, max(2.0, 6 * LIMIT * base_growth * t_small))
    for _ in range(3):
        try:
            t = _timed(_parse, big, limit)
        except Runaway:
            pytest.fail(f"{label}: parsing {len(big):,} bytes took over {limit:.1f} s, while "
                        f"{len(small):,} bytes took {t_small:.3f} s (baseline growth "
                        f"{base_growth:.1f}x): superlinear")
        t_big, spent = min(t_big, t), spent + t
        if (t_big / t_small) / base_growth < LIMIT or spent > BIG_RUNS_CAP_S:
            break
    ratio = (t_big / t_small) / base_growth
    desc = (f"{label}: {len(small):,} B -> {t_small:.3f} s, {len(big):,} B -> {t_big:.3f} s "
            f"(parse grew {t_big / t_small:.1f}x, baseline {base_growth:.1f}x, "
            f"normalised {ratio:.1f}x, limit {LIMIT}x)")
    return ratio, desc


@pytest.mark.parametrize("name", list(fam.FAMILIES))
def test_parse_time_grows_linearly(name):
    family = fam.FAMILIES[name]
    small = fam.build(name, family.n)
    big = fam.build(name, family.growth * family.n)
    ratio, desc = growth_ratio(small, big, f"{name} ({family.note})")
    print(desc)
    assert ratio < LIMIT, desc


def test_real_documents_parse_well_within_the_budget():
    """The baseline of the checks above: every real text parses at an ordinary rate."""
    for name in fam.real_names():
        data = fam.encode(fam.real_text(name))
        t = _timed(_parse, data, WATCHDOG_S)
        assert t < 1.0 + 2e-6 * len(data), f"{name}: {t:.2f} s for {len(data):,} bytes"


# --- property: random compositions of the families and of real text -------------------------

_SMALL = {name: max(1, f.n // 4) for name, f in fam.FAMILIES.items() if f.where != "doc"}
_REAL = fam.real_names()


@st.composite
def compositions(draw):
    """(parts, base, real slices) for a document mixing 1-3 families and 0-2 real slices."""
    names = draw(st.lists(st.sampled_from(sorted(_SMALL)), min_size=1, max_size=3, unique=True))
    parts = [(n, draw(st.integers(1, 4)) * _SMALL[n]) for n in names]
    base = draw(st.sampled_from(_REAL[:8]))
    slices = []
    for src in draw(st.lists(st.sampled_from(_REAL), max_size=2)):
        text = fam.real_text(src)
        start = draw(st.integers(0, max(0, len(text) - 3000)))
        slices.append(text[start:start + draw(st.integers(500, 3000))])
    whole = draw(st.sampled_from([None, "repeated_doc", "single_line"]))
    return parts, base, slices, whole


def _compose(parts, base, slices, whole, scale):
    if whole:  # the whole document grows: 1 -> GROWTH copies (or bodies, one-line layout)
        return fam.compose(parts + [(whole, scale)], base=base, real=slices)
    return fam.compose([(n, k * scale) for n, k in parts], base=base, real=slices * scale)


@settings(max_examples=8, deadline=None, derandomize=True, database=None,
          phases=[Phase.explicit, Phase.generate], report_multiple_bugs=False,
          suppress_health_check=list(HealthCheck))
@given(compositions())
def test_time_per_mb_stays_bounded_as_compositions_grow(composition):
    parts, base, slices, whole = composition
    small = _compose(parts, base, slices, whole, 1)
    big = _compose(parts, base, slices, whole, GROWTH)
    label = f"{[p[0] for p in parts]} in {base}, {len(slices)} real slices, whole={whole}"
    ratio, desc = growth_ratio(small, big, label)
    assert ratio < LIMIT, desc
