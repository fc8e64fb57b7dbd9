"""Annealing by balanced exchanges, for co-training shapes in many groups (issue 12).

With 4 groups or more, a city of up to ``g`` people has at most one person per group, and
each role is held to an exact count per group. Then almost no swap of two people keeps the
rules: two electeds of different cities swapped put two people of one city in one group.
The tabu search (which weighs a broken rule as repeats) and the annealing of words.py (which
only makes moves that keep every rule) both stay where the start put them: 282 repeats for
8 cities of 4 + 8 activists in 4 groups over 5 rounds, against a bound of 192.

The moves here keep every count exactly. In one round, between two groups ``ga`` and ``gb``:

* a *swap*: two people of the same role and the same city (or both without one), e.g. the
  two professionals of a city, or two activists;
* an *exchange*: ``a`` (city X, in ``ga``) and ``b`` (city Y, in ``gb``) of the same role
  trade places, and so do ``c`` (city X, in ``gb``) and ``d`` (city Y, in ``ga``), also of one
  role: each group gives and takes one person of each of X and Y and the same roles, so every
  size, role count and city count stays as it was.

As in words.py the objective is the number of pairs that never meet (repeats are the plan's
fixed pair-meetings minus the pairs met), read from agreement counts in ``O(group size)``
per move; the temperature falls geometrically over a fixed number of proposals, so the plan
depends on the seed and that budget only. The best plan seen is returned.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from typing import TYPE_CHECKING

from cotrain.domain.scheduling.words import meeting_tables

if TYPE_CHECKING:
    from cotrain.domain.scheduling.search import _Model

# The path is taken from this many groups on (3 groups keep the search of search.py).
MIN_GROUPS = 4
# Proposals of one annealing (its work budget, never the clock): about 2.5 CPU s on the
# project's shared machine for 40 people in 4 groups of 10 (8 cities of 4 + 8 activists).
EXCHANGE_MOVES = 500_000
# Mean group size up to which the budget is whole (10 cities of 5 in 5 groups: 12).
FULL_GROUP_SIZE = 12
# ... or this many per search step when the caller counts steps (``max_iterations``).
MOVES_PER_ITERATION = 100
# Temperatures (in unmet pairs) at the start and at the end of the schedule.
T_START = 2.0
T_END = 0.2
# Share of proposals aimed at a pair that has not met yet (the rest: two random people of
# one role in one round).
AIMED = 0.9
# Share of the other proposals that draw the second person among the first's city (a swap
# of two roles, when the role ranges allow it), the rest among the first's role.
MATES = 0.3
# The clock (a safety net only) is read every this many proposals.
CLOCK_EVERY = 1024


def applies(model: _Model) -> bool:
    """Shapes this annealing is for: at least ``MIN_GROUPS`` groups and every city held to
    exactly one person per group in every round (a city of ``g`` people: no swap of two
    people of different cities keeps the rules); no fixed round, stable groups, earlier
    session or pair kept apart (those keep the general search)."""
    p = model.problem
    if model.g < MIN_GROUPS or not model.city_names or p.stable or p.fixed or model.prior:
        return False
    if any(model.apart):
        return False
    return all(lo == hi == 1 for lo, hi in zip(model.city_lo, model.city_hi, strict=True))


def moves_for(model: _Model, max_iterations: int | None) -> int:
    """The proposals of one annealing: ``EXCHANGE_MOVES``, cut by the square of the mean
    group size above ``FULL_GROUP_SIZE`` (a proposal costs a pass over both groups, and
    larger groups have more pairs that meet anyway), or ``MOVES_PER_ITERATION`` per search
    step when the caller counts steps (``--iterations``)."""
    size = model.n / max(1, model.g)
    moves = int(EXCHANGE_MOVES * min(1.0, (FULL_GROUP_SIZE / max(1.0, size)) ** 2))
    if max_iterations is None:
        return moves
    return min(moves, max(0, max_iterations) * MOVES_PER_ITERATION)


def anneal(model: _Model, rounds: list[list[int]], free: list[int], rng: random.Random,
           moves: int = EXCHANGE_MOVES,
           should_stop: Callable[[], bool] = lambda: False,
           report: Callable[[float, list[list[int]]], None] | None = None,
           ) -> tuple[list[list[int]], int]:
    """Anneal the valid plan ``rounds`` (only rounds in ``free`` change) on its unmet pairs
    with swaps and exchanges; returns the best plan seen and its unmet pair count (all
    pairs, including those no plan can make meet). ``report``, if given, is called with the
    share of the budget spent and the best plan every ``CLOCK_EVERY`` proposals (progress
    only: it must not change anything)."""
    m = model
    n, g = m.n, m.g
    grp = [list(x) for x in rounds]
    role, city = m.role, m.city
    members, rc, agree, unmet = meeting_tables(m, grp)
    # at[r][city][group]: the city's people in that group (cities indexed from 0; -1 is last)
    nc = len(m.city_names)
    at: list[list[list[list[int]]]] = []
    for r in range(len(grp)):
        where: list[list[list[int]]] = [[[] for _ in range(g)] for _ in range(nc + 1)]
        for p, k in enumerate(grp[r]):
            where[city[p]][k].append(p)
        at.append(where)
    best, best_grp = unmet, [list(x) for x in grp]
    if not free or n < 3 or g < 2:
        return best_grp, best
    # pairs that may meet and have not: a list with positions, for draws and updates
    open_list: list[int] = []
    open_pos: dict[int, int] = {}

    def may_meet(a: int, b: int) -> bool:
        return city[a] < 0 or city[a] != city[b]

    for a in range(n):
        for b in range(a + 1, n):
            if not agree[a][b] and may_meet(a, b):
                open_pos[a * n + b] = len(open_list)
                open_list.append(a * n + b)

    def opened(a: int, b: int) -> None:
        key = a * n + b if a < b else b * n + a
        open_pos[key] = len(open_list)
        open_list.append(key)

    def closed(a: int, b: int) -> None:
        key = a * n + b if a < b else b * n + a
        i = open_pos.pop(key)
        last = open_list.pop()
        if last != key:
            open_list[i] = last
            open_pos[last] = i

    lo, hi = m.city_lo, m.city_hi
    role_lo, role_hi = m.role_lo, m.role_hi
    # two people of one city may swap only where a role count may move (a range, not an
    # exact count): elsewhere they are never drawn together
    loose = any(role_lo[role[p]] < role_hi[role[p]] for p in range(n) if city[p] >= 0)
    same_role: list[list[int]] = []
    mates: list[list[int]] = []
    for a in range(n):
        same_role.append([b for b in range(n) if b != a and role[b] == role[a]])
        mates.append([b for b in range(n) if b != a and loose and city[a] >= 0
                      and city[b] == city[a]])

    def roles_fit(counts_a: list[int], counts_b: list[int], go: tuple[int, ...],
                  back: tuple[int, ...]) -> bool:
        """Whether every role count of both groups stays in its range when ``go``
        leaves group a for group b and ``back`` goes the other way."""
        change: dict[int, int] = {}
        for p in go:
            change[role[p]] = change.get(role[p], 0) - 1
        for q in back:
            change[role[q]] = change.get(role[q], 0) + 1
        for x, v in change.items():
            if v and not (role_lo[x] <= counts_a[x] + v <= role_hi[x]
                          and role_lo[x] <= counts_b[x] - v <= role_hi[x]):
                return False
        return True

    temp = T_START
    cool = (T_END / T_START) ** (1.0 / max(1, moves))
    rand = rng.random
    nfree = len(free)
    for step in range(moves):
        temp *= cool
        if (step % CLOCK_EVERY) == 0 and step:
            if should_stop():
                break
            if report is not None:
                report(step / moves, best_grp)
        r = free[int(rand() * nfree)]
        gr = grp[r]
        if open_list and rand() < AIMED:
            # aimed: an unmet pair (a, y) made to meet, a moving to y's group
            key = open_list[int(rand() * len(open_list))]
            a, y = divmod(key, n)
            if rand() < 0.5:
                a, y = y, a
            gy = gr[y]
            ca = city[a]
            pool = [b for b in members[r][gy] if b != y and (
                role[b] == role[a] or (loose and ca >= 0 and city[b] == ca))]
            if not pool:
                continue
            b = pool[int(rand() * len(pool))]
        else:
            a = int(rand() * n)
            pool = mates[a] if mates[a] and rand() < MATES else same_role[a]
            if not pool:
                continue
            b = pool[int(rand() * len(pool))]
        ga, gb = gr[a], gr[b]
        if ga == gb:
            continue
        ca, cb = city[a], city[b]
        mem_a, mem_b = members[r][ga], members[r][gb]
        where = at[r]
        go: tuple[int, ...]
        back: tuple[int, ...]
        if ca == cb or ((ca < 0 or (len(where[ca][ga]) > lo[ca]
                                     and len(where[ca][gb]) < hi[ca]))
                        and (cb < 0 or (len(where[cb][gb]) > lo[cb]
                                        and len(where[cb][ga]) < hi[cb]))):
            go = (a,)
            back = (b,)
            if role[a] != role[b] and not roles_fit(rc[r][ga], rc[r][gb], go, back):
                continue
        else:
            cs = where[ca][gb]
            ds = where[cb][ga]
            counts_a, counts_b = rc[r][ga], rc[r][gb]
            pairs = [(c, d) for c in cs for d in ds if role[c] == role[d] or roles_fit(
                counts_a, counts_b, (a, d), (b, c))]
            if not pairs:
                continue
            c, d = pairs[int(rand() * len(pairs))] if len(pairs) > 1 else pairs[0]
            go = (a, d)
            back = (b, c)
        delta = 0
        for p in go:
            ag = agree[p]
            for x in mem_a:
                if x not in go and ag[x] == 1:
                    delta += 1
            for y in mem_b:
                if y not in back and not ag[y]:
                    delta -= 1
        for q in back:
            ag = agree[q]
            for y in mem_b:
                if y not in back and ag[y] == 1:
                    delta += 1
            for x in mem_a:
                if x not in go and not ag[x]:
                    delta -= 1
        if delta > 0 and rand() >= math.exp(-delta / temp):
            continue
        for p in go:
            ag = agree[p]
            for x in mem_a:
                if x not in go:
                    ag[x] -= 1
                    agree[x][p] -= 1
                    if not ag[x]:
                        opened(p, x)
            for y in mem_b:
                if y not in back:
                    if not ag[y]:
                        closed(p, y)
                    ag[y] += 1
                    agree[y][p] += 1
        for q in back:
            ag = agree[q]
            for y in mem_b:
                if y not in back:
                    ag[y] -= 1
                    agree[y][q] -= 1
                    if not ag[y]:
                        opened(q, y)
            for x in mem_a:
                if x not in go:
                    if not ag[x]:
                        closed(q, x)
                    ag[x] += 1
                    agree[x][q] += 1
        counts_a, counts_b = rc[r][ga], rc[r][gb]
        for p in go:
            counts_a[role[p]] -= 1
            counts_b[role[p]] += 1
        for q in back:
            counts_b[role[q]] -= 1
            counts_a[role[q]] += 1
        for p in go:
            mem_a.remove(p)
            mem_b.append(p)
            gr[p] = gb
            where[city[p]][ga].remove(p)
            where[city[p]][gb].append(p)
        for q in back:
            mem_b.remove(q)
            mem_a.append(q)
            gr[q] = ga
            where[city[q]][gb].remove(q)
            where[city[q]][ga].append(q)
        unmet += delta
        if unmet < best:
            best = unmet
            best_grp = [list(x) for x in grp]
    return best_grp, best
