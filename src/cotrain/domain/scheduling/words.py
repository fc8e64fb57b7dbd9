"""Plans as words: cities as sets of words, and annealing on the pairs that never meet.

Seen from one person, a plan over ``w`` rounds is a *word* of ``w`` group indices; two people
meet once in every round where their words agree. The pair-meetings of a round are fixed by
the group sizes, so

    repeats = (pair-meetings of all rounds) - (pairs that meet at least once)

and, whatever the quotas, the fewest repeats is the fewest pairs whose words disagree in
every round (a pair met in an earlier session counts as met). Two tools use this.

**Cities as sets of words** (``city_plan``, tried before the constructions). The structure
of a plan at the counting bound, for cities of any size: the 2g people without a city (2 per
group) meet as a 1-factorisation of K_2g; every other person takes a word meeting all of
theirs; a city is a set of such words that keeps the city's spread in every round and puts
its internal meetings on different pairs; a plan is a set of pairwise compatible cities
(every cross pair meets) whose group sizes and role quotas hold in every round. The cities
are listed with a role on each word, and a clique search with restarts, branching as an
exact cover on the (round, group, role) furthest below its floor, looks for the plan; its
node budget ends it. structured.py does the same for cities of 4 (where the bound is one
more than counting); this covers the other sizes (cities of 5 and 6 at the bound).

**Annealing on unmet pairs** (``polish``, after the tabu search). It starts from a valid
plan and anneals over two moves in one round, every quota kept hard:

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

import functools
import itertools
import math
import random
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cotrain.domain.scheduling.search import _Model

# Proposals (moves drawn, whether feasible or not) of one polish: 2 to 3 s of CPU on the
# project's shared machine for 27 to 42 people. The work budget, never the clock, ends it.
POLISH_MOVES = 2_500_000
# ... and at most this many per pair of people: a handful of people need no 2.5 million
# proposals (4 people took 3 s); from 27 people on (351 pairs) the cap above decides.
POLISH_PER_PAIR = 7_200


def polish_moves(people: int) -> int:
    """The proposals one polish may make for this many people (its work budget)."""
    return min(POLISH_MOVES, POLISH_PER_PAIR * people * (people - 1) // 2)
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


def meeting_tables(model: _Model, grp: list[list[int]],
                   ) -> tuple[list[list[list[int]]], list[list[list[int]]], list[list[int]], int]:
    """What the annealings keep up to date, for the rounds ``grp`` (group of each person, per
    round): per round, each group's people and its count of each role; each pair's meetings
    (an earlier session counts as one: only "ever met" matters); the pairs that never meet."""
    n, g, role = model.n, model.g, model.role
    nr = len(model.role_names)
    agree = [[0] * n for _ in range(n)]
    for (a, b) in model.prior:
        agree[a][b] = agree[b][a] = 1
    members: list[list[list[int]]] = []
    rc: list[list[list[int]]] = []  # rc[r][group][role]: people of the role there
    for r in range(len(grp)):
        mem: list[list[int]] = [[] for _ in range(g)]
        rrow = [[0] * nr for _ in range(g)]
        for p, k in enumerate(grp[r]):
            mem[k].append(p)
            rrow[k][role[p]] += 1
        members.append(mem)
        rc.append(rrow)
        for ms in mem:
            for i, a in enumerate(ms):
                row = agree[a]
                for b in ms[i + 1:]:
                    row[b] += 1
                    agree[b][a] += 1
    unmet = sum(1 for a in range(n) for b in range(a + 1, n) if not agree[a][b])
    return members, rc, agree, unmet


def polish(model: _Model, rounds: list[list[int]], free: list[int], rng: random.Random,
           moves: int = POLISH_MOVES,
           should_stop: Callable[[], bool] = lambda: False,
           target: int = -1) -> tuple[list[list[int]], int]:
    """Anneal the valid plan ``rounds`` (group of each person, per round; only the rounds in
    ``free`` change) on its unmet pairs; returns the best plan seen and its unmet pairs.
    It ends early, with the first plan seen at ``target`` unmet pairs or fewer (the caller's
    lower bound: nothing better exists); with the default nothing ends it early, and where the
    target is never reached the draws and the result are the same as without it.

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
    nc = len(m.city_names)
    size_lo, size_hi = min(m.sizes), max(m.sizes)
    members, rc, agree, unmet = meeting_tables(m, grp)
    cc: list[list[list[int]]] = []  # cc[r][group][city]: people of the city there
    for r in range(len(grp)):
        crow = [[0] * max(nc, 1) for _ in range(g)]
        for p, k in enumerate(grp[r]):
            if city[p] >= 0:
                crow[k][city[p]] += 1
        cc.append(crow)
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
            if best <= target:  # at the caller's bound: no better plan exists
                break
    return best_grp, best


# ----------------------------------------------------------------- cities as sets of words
#
# The structure of a plan at the counting bound, for any city size: the 2g people without a
# city (2 per group) meet as a 1-factorisation of K_2g (circle method, one matching per
# round, pair j in group j); every other person is a word that agrees with each of theirs
# somewhere; a city is a set of such words whose counts per group keep the city's spread and
# whose internal meetings fall on as many different pairs as the rounds allow; two cities are
# compatible when all their cross pairs meet; a plan is a set of pairwise compatible cities
# whose group sizes balance in every round, the people then seated on the words by role.
# structured.py does this for cities of 4 (and a proven +1); this is the same idea for
# cities of any size, without the +1.

# Largest word space searched (groups ** rounds): 3 groups, 5 rounds is 243.
MAX_WORDS = 1024
# Cities listed at most (each a set of words), and steps of that listing.
MAX_CITIES = 20_000
CITY_STEPS = 200_000
# Clique search nodes: the work budget that ends the search; a restart with a new order of
# the candidates every RESTART_NODES.
CLIQUE_NODES = 20_000
# Candidates (cities times the orders of their roles) at most: a clique node costs bit
# operations over every candidate, so above this the search's work is not bounded by its node
# budget (10 cities of 4: 51,840 candidates, 13 s and 280 MB for nothing; cities of 4 are
# structured.py's shape anyway). 7 cities of 6: 4,920; of 5: 9,840.
MAX_CANDIDATES = 12_000
RESTART_NODES = 60


def _matchings(points: int, rounds: int) -> list[list[tuple[int, int]]]:
    """The first ``rounds`` perfect matchings of K_points (points even) by the circle method:
    point ``points - 1`` in the middle, the others on a circle."""
    m = points - 1
    out = []
    for t in range(rounds):
        pairs = [(t, m)]
        for i in range(1, points // 2):
            pairs.append(((t + i) % m, (t - i) % m))
        out.append(pairs)
    return out


# Activists' structures other than a 1-factorisation (multisets of perfect matchings of
# K_2g up to renaming them) are enumerated only while they are few: at most this many
# multisets of matchings looked at, and renamings of at most this many points (6: 720).
MAX_ACTIVIST_SETS = 20_000
MAX_ACTIVIST_POINTS = 6


@functools.lru_cache(maxsize=8)
def word_tables(g: int, w: int) -> tuple[list[list[int]], list[list[int]], list[int],
                                          list[int]]:
    """The words of ``w`` rounds in ``g`` groups: digits, words by (round, digit), words
    agreeing with each somewhere (itself included), words agreeing with each at most once."""
    nwords = g ** w
    dig = [[(x // g ** t) % g for t in range(w)] for x in range(nwords)]
    by_digit = [[0] * g for _ in range(w)]
    for x in range(nwords):
        for t in range(w):
            by_digit[t][dig[x][t]] |= 1 << x
    meet, once = [], []
    full = (1 << nwords) - 1
    for x in range(nwords):
        sets = [by_digit[t][dig[x][t]] for t in range(w)]
        m = twice = 0
        for t, st in enumerate(sets):
            m |= st
            for su in sets[t + 1:]:
                twice |= st & su
        meet.append(m)
        once.append(full & ~twice)
    return dig, by_digit, meet, once


def _perfect_matchings(points: list[int]) -> list[tuple[tuple[int, int], ...]]:
    if not points:
        return [()]
    a = points[0]
    out: list[tuple[tuple[int, int], ...]] = []
    for b in points[1:]:
        rest = [x for x in points if x not in (a, b)]
        out.extend(((a, b), *m) for m in _perfect_matchings(rest))
    return out


@functools.lru_cache(maxsize=32)
def _activist_structures(points: int, rounds: int, missing: int,
                         ) -> list[list[list[tuple[int, int]]]]:
    """Plans of ``points`` people at 2 per group as ``rounds`` perfect matchings of K_points
    (one per round, pair j in group j) that leave exactly ``missing`` of their pairs unmet:
    the circle 1-factorisation when it does, otherwise one multiset of matchings per class
    under renaming the people (rounds in the multiset's order: their order is a symmetry
    too), listed only while small (``MAX_ACTIVIST_SETS``, ``MAX_ACTIVIST_POINTS``).
    Cached: the same lists for every solve (read only)."""
    pairs = points * (points - 1) // 2
    if rounds <= points - 1 and missing == pairs - rounds * points // 2:
        return [_matchings(points, rounds)]
    pm = _perfect_matchings(list(range(points)))
    if (missing <= 0 or points > MAX_ACTIVIST_POINTS
            or math.comb(len(pm) + rounds - 1, rounds) > MAX_ACTIVIST_SETS):
        return []
    index = {frozenset(mt): i for i, mt in enumerate(pm)}
    images = [[index[frozenset((min(pr[a], pr[b]), max(pr[a], pr[b])) for a, b in mt)]
               for mt in pm] for pr in itertools.permutations(range(points))]
    edges = [{frozenset(e) for e in mt} for mt in pm]
    seen: set[tuple[int, ...]] = set()
    out = []
    for ms in itertools.combinations_with_replacement(range(len(pm)), rounds):
        if pairs - len(set().union(*(edges[i] for i in ms))) != missing or ms in seen:
            continue
        seen |= {tuple(sorted(img[i] for i in ms)) for img in images}
        out.append([list(pm[i]) for i in ms])
    return out


class _CityShape:
    """The problem seen as words: activists, cities and what a plan at the bound needs."""

    def __init__(self, model: _Model, loose: list[int], cities: list[list[int]],
                 matchings: list[list[tuple[int, int]]], factorised: bool = True) -> None:
        self.model = model
        self.factorised = factorised  # the activists as a 1-factorisation (circle method)
        g, w = model.g, model.w
        self.g, self.w = g, w
        self.loose = loose
        self.cities = cities
        self.size = len(cities[0])
        self.nwords = g ** w
        self.dig, self.by_digit, self.meet, self.once = word_tables(g, w)
        self.loose_word = [sum(next(j for j, pr in enumerate(matchings[t]) if a in pr) * g ** t
                               for t in range(w)) for a in range(2 * g)]


def city_shape(model: _Model, lb: int) -> _CityShape | None:
    """The first of ``city_shapes`` (None when there is none)."""
    shapes = city_shapes(model, lb)
    return shapes[0] if shapes else None


def city_shapes(model: _Model, lb: int) -> list[_CityShape]:
    """The views of ``city_plan`` when the problem fits it and a plan of that structure would
    be at the bound ``lb`` (so that finding one ends the search): one per structure of the
    activists (see ``_activist_structures``); none otherwise."""
    p = model.problem
    g, w, n = model.g, model.w, model.n
    if (p.stable or p.fixed or model.prior or not p.spread_cities or any(model.apart)
            or g < 2 or w < 2 or g ** w > MAX_WORDS):
        return []
    loose = [i for i in range(n) if model.city[i] < 0]
    if len(loose) != 2 * g:
        return []
    roles = {model.role[i] for i in loose}
    r0 = next(iter(roles))
    if len(roles) != 1 or r0 == 0 or any(model.role[i] == r0 and model.city[i] >= 0
                                         for i in range(n)):
        return []
    if not model.role_lo[r0] <= 2 <= model.role_hi[r0]:
        return []
    cities: list[list[int]] = [[] for _ in model.city_names]
    for i in range(n):
        if model.city[i] >= 0:
            cities[model.city[i]].append(i)
    sizes = {len(c) for c in cities}
    if len(cities) < 2 or len(sizes) != 1:
        return []
    s = sizes.pop()
    if s < 2 or min(model.sizes) < 2:
        return []
    # pairs a plan of this structure leaves unmet: each city's pairs its rounds cannot cover,
    # and the 2g people's pairs their matchings leave: what the bound leaves to them
    q, r = divmod(s, g)
    inside = r * (q + 1) * q // 2 + (g - r) * q * (q - 1) // 2  # meetings per round
    pairs_in = s * (s - 1) // 2
    city_unmet = len(cities) * max(0, pairs_in - w * inside)
    total = w * sum(x * (x - 1) // 2 for x in model.sizes)
    missing = lb - total + n * (n - 1) // 2 - city_unmet
    structures = _activist_structures(2 * g, w, missing)
    factorised = len(structures) == 1 and structures[0] == _matchings(2 * g, w)
    return [_CityShape(model, loose, cities, ms, factorised) for ms in structures]


def _list_cities(shape: _CityShape, good: int, steps: list[int],
                 should_stop: Callable[[], bool] = lambda: False,
                 ) -> list[tuple[tuple[int, ...], tuple[tuple[int, ...], ...]]]:
    """Every city of good words (up to ``MAX_CITIES``), as (words, counts per group per
    round): per round each group within the city's range, and its internal meetings on
    different pairs (or on every pair when the rounds hold more meetings than pairs)."""
    m = shape.model
    g, w, s = shape.g, shape.w, shape.size
    lo, hi = m.city_lo[0], m.city_hi[0]
    q, r = divmod(s, g)
    inside = r * (q + 1) * q // 2 + (g - r) * q * (q - 1) // 2
    distinct = w * inside <= s * (s - 1) // 2
    dig, by_digit = shape.dig, shape.by_digit
    out: list[tuple[tuple[int, ...], tuple[tuple[int, ...], ...]]] = []
    counts = [[0] * g for _ in range(w)]
    chosen: list[int] = []

    def rec(cand: int) -> None:
        steps[0] -= 1
        if (steps[0] & 1023) == 0 and should_stop():
            steps[0] = -1
        if steps[0] < 0 or len(out) >= MAX_CITIES:
            return
        if len(chosen) == s:
            if any(c < lo for row in counts for c in row):
                return
            if not distinct:  # every pair must meet somewhere
                for i, x in enumerate(chosen):
                    for y in chosen[i + 1:]:
                        if not shape.meet[x] >> y & 1:
                            return
            out.append((tuple(chosen), tuple(tuple(row) for row in counts)))
            return
        # groups already full in a round: their words are out
        for t in range(w):
            for k in range(g):
                if counts[t][k] >= hi:
                    cand &= ~by_digit[t][k]
        while cand:
            low = cand & -cand
            x = low.bit_length() - 1
            cand ^= low
            nxt = cand & shape.once[x] if distinct else cand
            chosen.append(x)
            for t in range(w):
                counts[t][dig[x][t]] += 1
            rec(nxt)
            for t in range(w):
                counts[t][dig[x][t]] -= 1
            chosen.pop()
            if steps[0] < 0 or len(out) >= MAX_CITIES:
                return

    rec(good)
    return out


def city_plan(model: _Model, lb: int, rng: random.Random,
              should_stop: Callable[[], bool] = lambda: False,
              node_budget: int | None = None,
              accept: Callable[[list[list[int]]], bool] | None = None,
              ) -> list[list[int]] | None:
    """A plan of the structure above (at the bound ``lb``), or None: not this shape, or
    nothing found within the budgets (cities listed, clique nodes).

    Cities are searched with their roles: a candidate is a set of words with a role on each
    word (every city has the same roles), so the role quotas of every round and group are
    counted like the group sizes and cut the search as early; the search branches, as an
    exact cover does, on the (round, group, role) short of its floor with the fewest
    candidates.

    When the bound leaves the activists some pairs unmet (a proven bound above counting),
    every structure of theirs that leaves exactly those is a shape: the shapes with the most
    cities are searched first, the first with ``node_budget`` nodes, each next one with half
    of what is left of a second ``node_budget`` (the last with all of it).

    ``accept`` (phantoms.py): a plan found is returned only if it accepts it; otherwise the
    search goes on (same nodes, same budget)."""
    shapes = city_shapes(model, lb)
    if not shapes:
        return None
    if node_budget is None:
        node_budget = CLIQUE_NODES
    if not shapes[0].factorised:
        # other structures of the activists (new shapes): searched on a copy of the random
        # state, so that where they find nothing the rest of the search draws the same
        # numbers as without them (7 cities over 4 rounds: the same plans as before)
        own = random.Random()
        own.setstate(rng.getstate())
        rng = own
    m = model
    layouts = {tuple(sorted(m.role[p] for p in people)) for people in shapes[0].cities}
    if len(layouts) != 1:
        return None
    listed = []
    for shape in shapes:
        good = (1 << shape.nwords) - 1
        for x in shape.loose_word:
            good &= shape.meet[x]
        cities = _list_cities(shape, good, [CITY_STEPS], should_stop)
        if should_stop():
            return None
        if cities:
            listed.append((shape, cities))
    listed.sort(key=lambda sc: -len(sc[1]))  # stable: ties keep the structures' order
    left = node_budget * (2 if len(listed) > 1 else 1)
    for i, (shape, cities) in enumerate(listed):
        share = left if i == len(listed) - 1 else min(node_budget, left // 2) if i else \
            node_budget
        left -= share
        plan = _clique_plan(shape, cities, rng, should_stop, share, accept)
        if plan is not None or should_stop():
            return plan
    return None


def _clique_plan(shape: _CityShape, cities: list[tuple[tuple[int, ...], tuple[tuple[int, ...],
                                                                                ...]]],
                 rng: random.Random, should_stop: Callable[[], bool], node_budget: int,
                 accept: Callable[[list[list[int]]], bool] | None = None,
                 ) -> list[list[int]] | None:
    """The clique search of ``city_plan`` for one shape and its listed cities."""
    import bisect

    m = shape.model
    layouts = {tuple(sorted(m.role[p] for p in people)) for people in shape.cities}
    g, w, c, dig = shape.g, shape.w, len(shape.cities), shape.dig
    roles = sorted(layouts.pop())
    perms = sorted(set(itertools.permutations(roles)))
    if len(cities) * len(perms) > MAX_CANDIDATES:
        return None
    nr = len(m.role_names)
    # cells: (round, group, role) for every role of the cities, and (round, group, size)
    role_ids = sorted(set(roles))
    slot = {r: i for i, r in enumerate(role_ids)}
    width = len(role_ids) + 1
    ncell = w * g * width

    def cell(t: int, k: int, i: int) -> int:
        return (t * g + k) * width + i

    loose_count = [0] * ncell
    for ai in range(len(shape.loose)):
        p = shape.loose[ai]
        word = shape.loose_word[ai]
        for t in range(w):
            if m.role[p] in slot:
                loose_count[cell(t, dig[word][t], slot[m.role[p]])] += 1
    floor = [0] * ncell
    ceil = [0] * ncell
    big, small = max(m.sizes) - 2, min(m.sizes) - 2  # city people per group
    for t in range(w):
        for k in range(g):
            for r in role_ids:
                i = cell(t, k, slot[r])
                floor[i] = m.role_lo[r] - loose_count[i]
                ceil[i] = m.role_hi[r] - loose_count[i]
            floor[cell(t, k, width - 1)] = small
            ceil[cell(t, k, width - 1)] = big
    # the most one city adds to a cell: its people of the role, at most the city's ceiling
    city_cap = m.city_hi[0]
    cap = [min(city_cap, roles.count(role_ids[i % width]) if i % width < width - 1
               else city_cap) for i in range(ncell)]
    cands: list[tuple[tuple[int, ...], tuple[int, ...], list[tuple[int, int]]]] = []
    for words, _ in cities:
        if should_stop():
            return None
        for perm in perms:
            add = [0] * ncell
            for x, r in zip(words, perm, strict=True):
                for t in range(w):
                    add[cell(t, dig[x][t], slot[r])] += 1
                    add[cell(t, dig[x][t], width - 1)] += 1
            cands.append((words, perm, [(i, v) for i, v in enumerate(add) if v]))
    ncand = len(cands)
    everything = (1 << ncand) - 1
    with_word: dict[int, int] = {}
    at_least = [[0] * (shape.size + 2) for _ in range(ncell)]
    for k, (words, _, adds) in enumerate(cands):
        for x in words:
            with_word[x] = with_word.get(x, 0) | 1 << k
        for i, v in adds:
            for u in range(1, v + 1):
                at_least[i][u] |= 1 << k
    by_word: dict[int, int] = {}

    def meeting_word(x: int) -> int:
        got = by_word.get(x)
        if got is None:
            got = everything
            for y, cs in with_word.items():
                if not shape.meet[x] >> y & 1:
                    got &= ~cs
            by_word[x] = got
        return got

    compat: dict[int, int] = {}

    def compat_of(k: int) -> int:
        got = compat.get(k)
        if got is None:
            got = everything
            for x in cands[k][0]:
                got &= meeting_word(x)
            compat[k] = got
        return got

    counts = [0] * ncell
    chosen: list[int] = []
    nodes = [0]
    # candidates taken in one random order, from a point of it drawn at each restart
    pos = list(range(ncand))
    rng.shuffle(pos)
    start = [0]
    top = shape.size + 1
    limit = [0]

    def search(cand: int, need: int) -> bool:
        nodes[0] += 1
        if nodes[0] >= limit[0] or ((nodes[0] & 255) == 0 and should_stop()):
            return False
        if need == 0:
            return all(counts[i] >= floor[i] for i in range(ncell)) and (
                accept is None or accept(build()))
        branch, fewest = -1, -1
        for i in range(ncell):
            room = ceil[i] - counts[i]
            if room < 0:
                return False
            if room + 1 <= top:
                cand &= ~at_least[i][room + 1]
        if cand.bit_count() < need:
            return False
        for i in range(ncell):
            short = floor[i] - counts[i]
            if short > 0:
                avail = cand & at_least[i][1]
                size = avail.bit_count()
                if size == 0 or short > need * cap[i] or size * cap[i] < short:
                    return False
                if fewest < 0 or size < fewest:
                    branch, fewest = avail, size
        if fewest < 0:
            branch = cand
        tried = 0
        ks = sorted(_bits(branch), key=pos.__getitem__)
        cut = bisect.bisect_left(ks, start[0], key=pos.__getitem__)
        for k in ks[cut:] + ks[:cut]:
            tried |= 1 << k
            nxt = cand & compat_of(k) & ~tried
            if nxt.bit_count() < need - 1:
                continue
            chosen.append(k)
            for i, v in cands[k][2]:
                counts[i] += v
            found = search(nxt, need - 1)
            for i, v in cands[k][2]:
                counts[i] -= v
            if found:
                return True
            chosen.pop()
            if nodes[0] >= limit[0]:
                return False
        return False

    def build() -> list[list[int]]:  # the plan of the cities chosen
        grp = [[0] * m.n for _ in range(w)]
        for ai, p in enumerate(shape.loose):
            for t in range(w):
                grp[t][p] = dig[shape.loose_word[ai]][t]
        for people, k in zip(shape.cities, chosen, strict=True):
            words, perm, _ = cands[k]
            free_slots = list(range(len(words)))
            for p in people:
                s_i = next(j for j in free_slots if perm[j] == m.role[p])
                free_slots.remove(s_i)
                for t in range(w):
                    grp[t][p] = dig[words[s_i]][t]
        return grp

    # restarts: a fresh candidate order for every ``RESTART_NODES`` nodes (a depth-first
    # search stuck under a bad first choice gets nowhere with more nodes)
    while True:
        if nodes[0] >= node_budget or should_stop():
            return None
        limit[0] = min(node_budget, nodes[0] + RESTART_NODES)
        start[0] = rng.randrange(ncand)
        if search(everything, c):
            break
        if nodes[0] < limit[0] and not should_stop():
            return None  # the whole tree was searched within the restart: no such plan
    del nr
    return build()


_BYTE_BITS = [[j for j in range(8) if v >> j & 1] for v in range(256)]


def _bits(m: int) -> list[int]:
    """The set bits of ``m``, lowest first (byte by byte: linear in its width)."""
    out: list[int] = []
    data = m.to_bytes((m.bit_length() + 7) // 8, "little")
    table = _BYTE_BITS
    for i, byte in enumerate(data):
        if byte:
            base = i * 8
            out.extend(base + j for j in table[byte])
    return out
