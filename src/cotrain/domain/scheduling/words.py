"""Plans as words: simulated annealing on the pairs that never meet.

Seen from one person, a plan over ``w`` rounds is a *word* of ``w`` group indices; two people
meet once in every round where their words agree. The pair-meetings of a round are fixed by
the group sizes, so

    repeats = (pair-meetings of all rounds) - (pairs that meet at least once)

and, whatever the quotas, the fewest repeats is the fewest pairs whose words disagree in
every round (a pair met in an earlier session counts as met). On dense co-training shapes
(3 groups, 4 to 5 rounds, every pair could meet) that is the whole objective: the tabu
search, which aims its moves at people in a repeat, has hundreds of repeats to choose from
and no gradient towards the few pairs that matter.

``polish`` starts from a valid plan (the tabu search's best) and anneals over two moves in
one round, every quota kept hard:

* swap two people in different groups (any roles or cities, as long as every role and city
  count stays within its range and no pair kept apart ends together);
* move one person from a larger group to a smaller one (only when the sizes differ), with
  the same checks; the sizes of the round are then the same multiset.

A move's effect on the number of unmet pairs is read from the agreement counts of the two
people with the members of the two groups (``O(group size)``). Temperature falls
geometrically over a fixed number of proposals (``POLISH_MOVES``), so the result depends
on the seed and the budget only: the same plan on any machine. The best plan seen is
returned; the caller keeps it only when it has fewer repeats than the start.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cotrain.domain.scheduling.search import _Model

# Proposals (moves drawn, whether feasible or not) of one polish: 2 to 3 s of CPU on the
# project's shared machine for 27 to 42 people. The work budget, never the clock, ends it.
POLISH_MOVES = 2_500_000
# Temperatures (in unmet pairs) at the start and at the end of the schedule.
T_START = 0.7
T_END = 0.05
# A proposal draws the second person among the first's role or city (most feasible moves)
# this often, and anybody otherwise.
NEAR_SHARE = 0.75
# The clock (a safety net only) is read every this many proposals.
CLOCK_EVERY = 1024


def unmet_pairs(model: _Model, rounds: list[list[int]]) -> int:
    """Pairs that never share a group in ``rounds`` and did not meet before."""
    n = model.n
    met = [[False] * n for _ in range(n)]
    for (a, b) in model.prior:
        met[a][b] = met[b][a] = True
    for grp in rounds:
        members: dict[int, list[int]] = {}
        for p, k in enumerate(grp):
            members.setdefault(k, []).append(p)
        for ms in members.values():
            for i, a in enumerate(ms):
                row = met[a]
                for b in ms[i + 1:]:
                    row[b] = True
    return sum(1 for a in range(n) for b in range(a + 1, n) if not met[a][b])


def polish(model: _Model, rounds: list[list[int]], free: list[int], rng: random.Random,
           moves: int = POLISH_MOVES,
           should_stop: Callable[[], bool] = lambda: False) -> tuple[list[list[int]], int]:
    """Anneal the valid plan ``rounds`` (group of each person, per round; only the rounds in
    ``free`` change) on its unmet pairs; returns the best plan seen and its unmet pairs.

    ``rounds`` must keep every per-round rule (the moves keep them; they do not repair)."""
    m = model
    n, g = m.n, m.g
    grp = [list(x) for x in rounds]
    if not free or n < 3 or g < 2:
        return grp, unmet_pairs(m, grp)
    role, city = m.role, m.city
    role_lo, role_hi = m.role_lo, m.role_hi
    city_lo, city_hi = m.city_lo, m.city_hi
    apart = m.apart
    nr, nc = len(m.role_names), len(m.city_names)
    size_lo, size_hi = min(m.sizes), max(m.sizes)
    # agreement counts (earlier sessions count as one meeting: only "ever met" matters)
    agree = [[0] * n for _ in range(n)]
    for (a, b) in m.prior:
        agree[a][b] = agree[b][a] = 1
    members: list[list[list[int]]] = []
    rc: list[list[list[int]]] = []
    cc: list[list[list[int]]] = []
    for r in range(len(grp)):
        mem: list[list[int]] = [[] for _ in range(g)]
        rrow = [[0] * nr for _ in range(g)]
        crow = [[0] * max(nc, 1) for _ in range(g)]
        for p, k in enumerate(grp[r]):
            mem[k].append(p)
            rrow[k][role[p]] += 1
            if city[p] >= 0:
                crow[k][city[p]] += 1
        members.append(mem)
        rc.append(rrow)
        cc.append(crow)
        for ms in mem:
            for i, a in enumerate(ms):
                row = agree[a]
                for b in ms[i + 1:]:
                    row[b] += 1
                    agree[b][a] += 1
    unmet = sum(1 for a in range(n) for b in range(a + 1, n) if not agree[a][b])
    best, best_grp = unmet, [list(x) for x in grp]
    # second person of a proposal: same role or same city (the swaps most often allowed)
    near: list[list[int]] = []
    for a in range(n):
        near.append([b for b in range(n) if b != a and (
            role[b] == role[a] or (city[a] >= 0 and city[b] == city[a]))] or
            [b for b in range(n) if b != a])
    uneven = size_lo != size_hi
    temp = T_START
    cool = (T_END / T_START) ** (1.0 / max(1, moves))
    rand = rng.random
    nfree = len(free)
    for step in range(moves):
        temp *= cool
        if (step % CLOCK_EVERY) == 0 and step and should_stop():
            break
        r = free[int(rand() * nfree)]
        gr = grp[r]
        a = int(rand() * n)
        ga = gr[a]
        mem_r, rc_r, cc_r = members[r], rc[r], cc[r]
        shift = uneven and rand() < 0.2
        if shift:
            gb = int(rand() * g)
            if len(mem_r[ga]) != len(mem_r[gb]) + 1:
                continue
            ra, ca = role[a], city[a]
            if ra and (rc_r[ga][ra] <= role_lo[ra] or rc_r[gb][ra] >= role_hi[ra]):
                continue
            if ca >= 0 and (cc_r[ga][ca] <= city_lo[ca] or cc_r[gb][ca] >= city_hi[ca]):
                continue
            if apart[a] and any(gr[x] == gb for x in apart[a]):
                continue
            ag = agree[a]
            d = 0
            for x in mem_r[ga]:
                if x != a and ag[x] == 1:
                    d += 1
            for x in mem_r[gb]:
                if not ag[x]:
                    d -= 1
            if d > 0 and rand() >= math.exp(-d / temp):
                continue
            for x in mem_r[ga]:
                if x != a:
                    ag[x] -= 1
                    agree[x][a] -= 1
            for x in mem_r[gb]:
                ag[x] += 1
                agree[x][a] += 1
            mem_r[ga].remove(a)
            mem_r[gb].append(a)
            gr[a] = gb
            rc_r[ga][ra] -= 1
            rc_r[gb][ra] += 1
            if ca >= 0:
                cc_r[ga][ca] -= 1
                cc_r[gb][ca] += 1
        else:
            pool = near[a] if rand() < NEAR_SHARE else None
            b = pool[int(rand() * len(pool))] if pool else int(rand() * n)
            gb = gr[b]
            if ga == gb:
                continue
            ra, rb = role[a], role[b]
            if ra != rb:
                if ra and (rc_r[ga][ra] <= role_lo[ra] or rc_r[gb][ra] >= role_hi[ra]):
                    continue
                if rb and (rc_r[gb][rb] <= role_lo[rb] or rc_r[ga][rb] >= role_hi[rb]):
                    continue
            ca, cb = city[a], city[b]
            if ca != cb:
                if ca >= 0 and (cc_r[ga][ca] <= city_lo[ca] or cc_r[gb][ca] >= city_hi[ca]):
                    continue
                if cb >= 0 and (cc_r[gb][cb] <= city_lo[cb] or cc_r[ga][cb] >= city_hi[cb]):
                    continue
            if (apart[a] and any(gr[x] == gb and x != b for x in apart[a])) or \
                    (apart[b] and any(gr[x] == ga and x != a for x in apart[b])):
                continue
            ag, bg = agree[a], agree[b]
            d = 0
            for x in mem_r[ga]:
                if x != a:
                    if ag[x] == 1:
                        d += 1
                    if not bg[x]:
                        d -= 1
            for x in mem_r[gb]:
                if x != b:
                    if not ag[x]:
                        d -= 1
                    if bg[x] == 1:
                        d += 1
            if d > 0 and rand() >= math.exp(-d / temp):
                continue
            for x in mem_r[ga]:
                if x != a:
                    ag[x] -= 1
                    agree[x][a] -= 1
                    bg[x] += 1
                    agree[x][b] += 1
            for x in mem_r[gb]:
                if x != b:
                    ag[x] += 1
                    agree[x][a] += 1
                    bg[x] -= 1
                    agree[x][b] -= 1
            mem_r[ga].remove(a)
            mem_r[gb].remove(b)
            mem_r[ga].append(b)
            mem_r[gb].append(a)
            gr[a], gr[b] = gb, ga
            rc_r[ga][ra] -= 1
            rc_r[gb][ra] += 1
            rc_r[gb][rb] -= 1
            rc_r[ga][rb] += 1
            if ca >= 0:
                cc_r[ga][ca] -= 1
                cc_r[gb][ca] += 1
            if cb >= 0:
                cc_r[gb][cb] -= 1
                cc_r[ga][cb] += 1
        unmet += d
        if unmet < best:
            best = unmet
            best_grp = [list(x) for x in grp]
    return best_grp, best
