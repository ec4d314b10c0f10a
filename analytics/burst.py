"""Kleinberg's two-state burst model for batched counts (Kleinberg 2002, section 4).

A term is watched over T batches (here: the sessions of a series).  In batch
t, ``r[t]`` of ``d[t]`` units (here: paragraphs) use the term.  The model has
a base state 0, emitting at the series' overall rate, and a burst state 1,
emitting ``s`` times faster:

    p0 = sum(r) / sum(d),    p1 = min(s * p0, P_MAX)

The cost of being in state i at batch t is the negative log-likelihood of
the batch (the binomial coefficient is dropped: it is the same for both
states, so it never changes the optimal sequence nor a burst's weight):

    cost_i(t) = -( r[t] ln p_i + (d[t] - r[t]) ln(1 - p_i) )

Moving up from state 0 to state 1 costs ``gamma * ln T``; moving down is
free.  The sequence starts in state 0 before the first batch.  The optimal
state sequence is found by the Viterbi recursion (`burst_states`), and each
maximal run of state 1 is a burst whose weight is the likelihood it gains
over the base state (`bursts`):

    weight = sum over the run of ( cost_0(t) - cost_1(t) )

Pure functions of lists of ints, no randomness: the same counts always give
the same bursts.  The ``burst_detection`` package implements the same model
but no longer runs on current numpy.
"""
from __future__ import annotations

import math
from typing import NamedTuple, Sequence

DEFAULT_S = 2.0
DEFAULT_GAMMA = 1.0
P_MAX = 1.0 - 1e-9      # keeps ln(1 - p1) finite when s * p0 reaches 1


class Burst(NamedTuple):
    start: int      # index of the first batch in the burst state
    end: int        # index of the last one (inclusive)
    weight: float


def _check(r: Sequence[int], d: Sequence[int]) -> None:
    if len(r) != len(d):
        raise ValueError(f"r and d differ in length ({len(r)} and {len(d)})")
    for rt, dt in zip(r, d):
        if rt < 0 or dt < 0 or rt > dt:
            raise ValueError(f"need 0 <= r <= d in every batch, got r={rt}, d={dt}")


def rates(r: Sequence[int], d: Sequence[int], *, s: float = DEFAULT_S) -> tuple[float, float]:
    """(p0, p1): the base rate over all batches and the burst rate."""
    _check(r, d)
    total = sum(d)
    p0 = sum(r) / total if total else 0.0
    return p0, min(s * p0, P_MAX)


def cost(r: int, d: int, p: float) -> float:
    """Negative log-likelihood of r of d units at rate p (0 ln 0 taken as 0)."""
    hit = r * math.log(p) if r else 0.0
    miss = (d - r) * math.log(1.0 - p) if d - r else 0.0
    return -(hit + miss)


def burst_states(r: Sequence[int], d: Sequence[int], *, s: float = DEFAULT_S,
                 gamma: float = DEFAULT_GAMMA) -> list[int]:
    """The optimal state (0 or 1) of every batch; all 0 when no rate can be estimated."""
    p0, p1 = rates(r, d, s=s)
    n = len(r)
    if n == 0 or p0 <= 0.0 or p0 >= 1.0 or p1 <= p0:
        return [0] * n
    up = gamma * math.log(n)
    # best[i]: least total cost of a sequence ending in state i; back[t][i]: its previous state
    best = [0.0, math.inf]
    back: list[tuple[int, int]] = []
    for rt, dt in zip(r, d):
        c0, c1 = cost(rt, dt, p0), cost(rt, dt, p1)
        from0 = (best[0], 0) if best[0] <= best[1] else (best[1], 1)
        from1 = (best[1], 1) if best[1] <= best[0] + up else (best[0] + up, 0)
        best = [from0[0] + c0, from1[0] + c1]
        back.append((from0[1], from1[1]))
    state = 0 if best[0] <= best[1] else 1
    states = []
    for prev in reversed(back):
        states.append(state)
        state = prev[state]
    return states[::-1]


def bursts(r: Sequence[int], d: Sequence[int], *, s: float = DEFAULT_S,
           gamma: float = DEFAULT_GAMMA) -> list[Burst]:
    """Maximal runs of the burst state with their weights, in batch order."""
    states = burst_states(r, d, s=s, gamma=gamma)
    p0, p1 = rates(r, d, s=s)
    out: list[Burst] = []
    t = 0
    while t < len(states):
        if states[t] != 1:
            t += 1
            continue
        start = t
        while t < len(states) and states[t] == 1:
            t += 1
        weight = sum(cost(r[u], d[u], p0) - cost(r[u], d[u], p1) for u in range(start, t))
        out.append(Burst(start, t - 1, weight))
    return out


def burst_weight_at(r: Sequence[int], d: Sequence[int], start: int, *, s: float = DEFAULT_S,
                    gamma: float = DEFAULT_GAMMA) -> float:
    """Weight of the burst that begins at batch ``start`` (0.0 when none begins there)."""
    return next((b.weight for b in bursts(r, d, s=s, gamma=gamma) if b.start == start), 0.0)
