"""Rounds that keep the hard rules before any stop is honoured (issue 12).

The search may be stopped early (``--iterations``, the time limit on a slow machine); what it
returns then is its start. So the start must already keep the rules, and a stop may only cost
repeats, never validity. Two tools, both bounded by work (never by the clock), so the same
seed gives the same rounds on any machine:

* ``dealt_round``: a round at once, the role composition dealt city by city over the groups
  in turn, so that a city's people land in different groups and pairs kept apart are
  avoided; linear in the people, for when no time is left for the greedy start.
* ``repair_round``: a tabu search on the round's broken city and keep-apart rules only
  (swaps of two people of one role, so role counts and group sizes hold): it leaves the
  plateaus a steepest descent stops on (a city doubled in one group and missing from
  another often needs a chain of two swaps).

Role quotas (minimum per role, roles spread) hold by construction: the round follows the
composition drawn by ``_Model.composition``.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cotrain.domain.scheduling.search import _Model

# Moves evaluated by one repair of one round, per person (plus a floor): the work budget.
REPAIR_WORK_PER_PERSON = 200
REPAIR_WORK_MIN = 20_000
# Swap partners sampled per person to move when the role is larger than this.
REPAIR_PARTNERS = 60


def dealt_round(model: _Model, rng: random.Random) -> list[int]:
    """A round placed without looking at earlier rounds: cities in a random order, each
    city's people given to the groups in turn (the next group with a seat for their role,
    room for their city and none of their kept-apart partners), so the hard rules mostly
    hold at once; ``repair_round`` fixes the rest."""
    m = model
    n, g = m.n, m.g
    comp = m.composition(rng)
    grp = [-1] * n
    if comp is None:  # no valid composition: sizes only (the broken rules are reported)
        shuffled = list(range(n))
        rng.shuffle(shuffled)
        for i, p in enumerate(shuffled):
            grp[p] = i % g
        return grp
    slots = [list(row) for row in comp]
    nc = len(m.city_names)
    cc = [[0] * nc for _ in range(g)]
    by_city: dict[int, list[int]] = {}
    for p in range(n):
        by_city.setdefault(m.city[p], []).append(p)
    cities = sorted((c for c in by_city if c >= 0), key=lambda c: (-len(by_city[c]), rng.random()))
    order: list[int] = []
    for c in [*cities, *([-1] if -1 in by_city else [])]:
        ps = by_city[c]
        rng.shuffle(ps)
        order.extend(ps)
    ptr = rng.randrange(g)
    for p in order:
        r, c = m.role[p], m.city[p]
        hi = m.city_hi[c] if c >= 0 else n
        pick = fallback = -1
        for step in range(g):
            k = (ptr + step) % g
            if slots[k][r] <= 0:
                continue
            if fallback < 0:
                fallback = k
            if c >= 0 and cc[k][c] >= hi:
                continue
            if any(grp[q] == k for q in m.apart[p]):
                continue
            pick = k
            break
        if pick < 0:
            pick = fallback
        if pick < 0:  # the composition has no seat left for the role (cannot happen)
            pick = ptr % g
        else:
            slots[pick][r] -= 1
        grp[p] = pick
        if c >= 0:
            cc[pick][c] += 1
        ptr = pick + 1
    return grp


def round_penalty(model: _Model, grp: list[int]) -> int:
    """Broken city and keep-apart rules of one round (the search's hard penalty)."""
    m = model
    nc = len(m.city_names)
    cc = [[0] * nc for _ in range(m.g)]
    for p in range(m.n):
        if m.city[p] >= 0:
            cc[grp[p]][m.city[p]] += 1
    h = 0
    for row in cc:
        for c, cnt in enumerate(row):
            h += max(0, cnt - m.city_hi[c]) + max(0, m.city_lo[c] - cnt)
    for a in range(m.n):
        h += sum(1 for b in m.apart[a] if a < b and grp[a] == grp[b])
    return h


def repair_work(model: _Model) -> int:
    """The evaluated swaps one repair of one round may spend (its work budget)."""
    return max(REPAIR_WORK_MIN, REPAIR_WORK_PER_PERSON * model.n)


def repair_round(model: _Model, grp: list[int], rng: random.Random,
                 work: int | None = None) -> tuple[int, int]:
    """Make ``grp`` (one round: each person's group) keep the city and keep-apart rules, in
    place, by same-role swaps; returns what is still broken (0: the round is valid) and
    the work spent.

    Tabu search with min-conflicts: a broken rule drawn at random, every swap that moves one
    of its people evaluated (partners sampled on large roles), the best one not tabu taken
    even when it does not improve (a person may not go back to the group they left for a
    few steps). Ends when nothing is broken or after ``work`` evaluated swaps (default:
    ``repair_work``); the best round seen is kept.
    """
    m = model
    n, g = m.n, m.g
    nc = len(m.city_names)
    lo, hi = m.city_lo, m.city_hi
    if work is None:
        work = repair_work(model)
    members: list[list[int]] = [[] for _ in range(g)]
    for p in range(n):
        members[grp[p]].append(p)
    cc = [[0] * nc for _ in range(g)]
    for p in range(n):
        if m.city[p] >= 0:
            cc[grp[p]][m.city[p]] += 1
    by_city: list[list[int]] = [[] for _ in range(nc)]
    for p in range(n):
        if m.city[p] >= 0:
            by_city[m.city[p]].append(p)
    same_role: dict[int, list[int]] = {}
    for p in range(n):
        same_role.setdefault(m.role[p], []).append(p)

    def dev(k: int, c: int) -> int:
        cnt = cc[k][c]
        return max(0, cnt - hi[c]) + max(0, lo[c] - cnt)

    # broken items, in a list (drawn from; stale entries skipped) and a set
    bad: list[tuple[int, int, int]] = []  # (0, group, city) or (1, a, b) with a < b
    bad_set: set[tuple[int, int, int]] = set()

    def note(item: tuple[int, int, int]) -> None:
        if item not in bad_set and is_bad(item):
            bad_set.add(item)
            bad.append(item)

    def is_bad(item: tuple[int, int, int]) -> bool:
        kind, x, y = item
        return dev(x, y) > 0 if kind == 0 else grp[x] == grp[y]

    h = 0
    for k in range(g):
        for c in range(nc):
            d = dev(k, c)
            if d:
                h += d
                note((0, k, c))
    for a in range(n):
        for b in m.apart[a]:
            if a < b and grp[a] == grp[b]:
                h += 1
                note((1, a, b))
    if h == 0:
        return 0, 0

    def delta(a: int, b: int) -> int:  # the twin of _State.hard_delta
        ga, gb = grp[a], grp[b]
        d = 0
        ca, cb = m.city[a], m.city[b]
        if ca != cb:
            if ca >= 0:
                x, y = cc[ga][ca], cc[gb][ca]
                d += _dev(x - 1, lo[ca], hi[ca]) - _dev(x, lo[ca], hi[ca]) \
                    + _dev(y + 1, lo[ca], hi[ca]) - _dev(y, lo[ca], hi[ca])
            if cb >= 0:
                x, y = cc[gb][cb], cc[ga][cb]
                d += _dev(x - 1, lo[cb], hi[cb]) - _dev(x, lo[cb], hi[cb]) \
                    + _dev(y + 1, lo[cb], hi[cb]) - _dev(y, lo[cb], hi[cb])
        for x in m.apart[a]:
            if x != b:
                d += (grp[x] == gb) - (grp[x] == ga)
        for y in m.apart[b]:
            if y != a:
                d += (grp[y] == ga) - (grp[y] == gb)
        return d

    def swap(a: int, b: int) -> None:
        ga, gb = grp[a], grp[b]
        for p, src, dst in ((a, ga, gb), (b, gb, ga)):
            members[src].remove(p)
            members[dst].append(p)
            grp[p] = dst
            c = m.city[p]
            if c >= 0:
                cc[src][c] -= 1
                cc[dst][c] += 1
        for p in (a, b):
            c = m.city[p]
            if c >= 0:
                note((0, ga, c))
                note((0, gb, c))
            for x in m.apart[p]:
                note((1, min(p, x), max(p, x)))

    best_h, best = h, list(grp)
    tabu: dict[tuple[int, int], int] = {}
    step = 0
    spent = 0
    while h > 0 and spent < work:
        step += 1
        item = None
        while bad:
            i = rng.randrange(len(bad))
            cand = bad[i]
            bad[i] = bad[-1]
            bad.pop()
            if is_bad(cand):
                item = cand
                bad.append(cand)  # still broken: stays listed
                break
            bad_set.discard(cand)
        if item is None:  # nothing listed is broken: the count drifted, recount
            h = round_penalty(m, grp)
            break
        kind, x, y = item
        moves: list[tuple[int, int]] = []
        if kind == 1:
            for a in (x, y):
                moves.extend(_partners(a, grp, same_role[m.role[a]], rng))
        elif cc[x][y] > hi[y]:  # too many of city y in group x: move one out
            for a in members[x]:
                if m.city[a] == y:
                    moves.extend(_partners(a, grp, same_role[m.role[a]], rng))
        else:  # too few: bring one in, in exchange for someone of the same role
            for a in by_city[y]:
                if grp[a] != x:
                    moves.extend((a, b) for b in members[x] if m.role[b] == m.role[a])
        best_move, best_key = None, None
        for a, b in moves:
            d = delta(a, b)
            if (tabu.get((a, grp[b]), 0) > step or tabu.get((b, grp[a]), 0) > step) \
                    and h + d >= best_h:
                continue
            key = (d, rng.random())
            if best_key is None or key < best_key:
                best_key, best_move = key, (a, b)
        spent += len(moves) + 1
        if best_move is None:
            continue
        a, b = best_move
        tenure = 3 + rng.randrange(4 + n // 20)
        tabu[(a, grp[a])] = step + tenure
        tabu[(b, grp[b])] = step + tenure
        h += best_key[0]  # type: ignore[index]
        swap(a, b)
        if h < best_h:
            best_h, best = h, list(grp)
    if best_h < h:
        grp[:] = best
        return best_h, spent
    return h, spent


def _dev(cnt: int, lo: int, hi: int) -> int:
    return max(0, cnt - hi) + max(0, lo - cnt)


def _partners(a: int, grp: list[int], others: list[int],
              rng: random.Random) -> list[tuple[int, int]]:
    """Swaps of ``a`` with people of its role (``others``) in other groups (a sample on
    large roles)."""
    ga = grp[a]
    if len(others) > REPAIR_PARTNERS:
        others = rng.sample(others, REPAIR_PARTNERS)
    return [(a, b) for b in others if grp[b] != ga]
