"""Developed plans: cities as orbits of a translation of the words, the activists placed last.

Seen as words (words.py: a person's group in every round; two people meet iff their words
agree somewhere), adding a fixed vector ``v`` to every word of a plan (digit by digit, mod
the number of groups ``g``) gives another plan with the same meetings. Take ``v = (0, 1, ..,
1)``: a city and its ``g - 1`` translates form an *orbit* of ``g`` cities, and

* in every round but the first, each orbit puts each of its members' roles once in every
  group, so **group sizes, role counts and the cities' spreads hold by construction**;
* in the first round the translates sit where the city sits (``v`` is 0 there), so that
  round's sizes and role counts are checked across the orbits (the cities of one orbit meet
  each other there: without it a member never meets the same member of a translate);
* a pair that never meets repeats along the orbit: the unmet pairs come ``g`` at a time.

So with ``c = g * k`` cities the search is over ``k`` city words-sets (one per orbit)
instead of ``c``: orbits are chosen depth first, each next one among the cities made of the
words that meet the orbits already chosen (``words._list_cities`` over those words), with at
most ``DEVELOP_SLACK`` orbits of unmet cross pairs; then every role order of each orbit is
tried against the first round's role counts; then the people without a city (the
activists) are placed word by word by branch and bound, at the fewest unmet pairs (their
own and with everyone), within the sizes and their role ranges in every round.

Shapes: cities of one size and layout whose number is a multiple of ``g`` and whose first
round can balance (a group's city people a multiple of ``g``): 9 cities of 4 with 6
activists in 3 groups (12 + 2 per group), not 6, 12 or 15 (8, 16, 20 city people per
group), up to 5 rounds in 3 groups (``MAX_WORDS``); and one city more (10 cities of 4: the
9 developed, the tenth inserted by neighbours.py's branch and bound). Elsewhere it declines
at once.

9 cities of 4 with 6 activists in 3 groups over 5 rounds (``bench_engine``'s "9 cities"):
the orbits' structure admits no balanced plan without an unmet cross orbit (13,608 sets of
3 orbits meeting completely, none with the first round's sizes), and with one (3 pairs) the
activists then lose 5 pairs at best: 9 + 3 + 5 = 17 unmet pairs, 521 repeats, in a second
or two of CPU, where the local search ends at 523-534. Deterministic: its own random stream
(from the seed) orders the candidates; budgets (orbit nodes, activist nodes) end it.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any, cast

from cotrain.domain.scheduling import neighbours, words

if TYPE_CHECKING:
    from cotrain.domain.scheduling.search import _Model

# Sets of orbits looked at (depth-first nodes over the orbits): the work budget of the search.
DEVELOP_NODES = 400
# Orbits of cross pairs (g unmet pairs each) allowed between the orbits of cities.
DEVELOP_SLACK = 1
# Branch-and-bound nodes of one placement of the people without a city.
LOOSE_NODES = 20_000
# Cities kept at most for one orbit choice, and steps of their listing (words._list_cities).
ORBIT_CITIES = 400
ORBIT_STEPS = 20_000
# Cities left out and inserted at most, where the cities do not form orbits (11 cities: 9
# developed and 2 inserted give 792-794, 6 % above the bound, where the local search gives
# 766-774: not worth its 2 s of CPU).
MAX_INSERTED = 1
# Largest word space (groups ** rounds).
MAX_WORDS = 243
# A plan found is kept (and the local search skipped) only within this share above the lower
# bound: the local search ends 1.8 to 3.9 % above it on the reference's neighbours.
DEVELOP_ACCEPT = 0.02


class _Space:
    """Words, who meets whom, and the translation by ``v = (0, 1, .., 1)``."""

    def __init__(self, model: _Model) -> None:
        g, w = model.g, model.w
        self.g, self.w = g, w
        self.nwords = g ** w
        self.dig, self.by_digit, self.meet, self.once = words.word_tables(g, w)
        # shift[k][x]: the word x + k * v, v = (0, 1, .., 1)
        self.shift = [[self._add(x, k) for x in range(self.nwords)] for k in range(g)]

    def _add(self, x: int, k: int) -> int:
        g, w = self.g, self.w
        return sum(((self.dig[x][t] + k * (t > 0)) % g) * g ** t for t in range(w))


class _Shape:  # what words._list_cities reads
    def __init__(self, model: _Model, space: _Space, size: int) -> None:
        self.model = model
        self.g, self.w, self.size = space.g, space.w, size
        self.dig, self.by_digit, self.meet, self.once = (space.dig, space.by_digit,
                                                         space.meet, space.once)


def applies(model: _Model) -> bool:
    """Cities of one size and one role layout, their number a multiple of the groups (two
    orbits at least) whose first round can balance, people without a city, nothing else
    asked of the plan."""
    p = model.problem
    g, w = model.g, model.w
    if (p.stable or p.fixed or model.prior or not p.spread_cities or any(model.apart)
            or g < 2 or w < 2 or g ** w > MAX_WORDS):
        return False
    cities: list[list[int]] = [[] for _ in model.city_names]
    for i in range(model.n):
        if model.city[i] >= 0:
            cities[model.city[i]].append(i)
    if len(cities) < 2 * g or len(cities) % g:
        return False
    layouts = {tuple(sorted(model.role[i] for i in c)) for c in cities}
    sizes = {len(c) for c in cities}
    if len(layouts) != 1 or len(sizes) != 1 or min(sizes) < 2:
        return False
    # first round: an orbit's g cities sit together, so a group holds a multiple of g city
    # people; the people without a city (spread evenly) make up the rest. 9 cities of 4 with
    # 6 activists: 12 + 2 per group; 6, 12 or 15 cities: 8, 16, 20 city people, no orbits.
    loose = model.n - sum(len(c) for c in cities)
    return loose % g == 0 and all((size - loose // g) % g == 0 for size in model.sizes)


def developed_plan(model: _Model, lb: int, seed: int,
                   should_stop: Callable[[], bool] = lambda: False,
                   ) -> tuple[list[list[int]], int] | None:
    """The best developed plan found (group of each person, per round) and its unmet pairs,
    or None (not such a shape, nothing found within the budgets, or nothing within
    ``DEVELOP_ACCEPT`` of the bound ``lb``). It ends at the first plan at the bound.

    Where the cities do not form orbits (10 cities of 4 in 3 groups), the shape with its
    last city (up to ``MAX_INSERTED``) left out is solved so, and that city is then inserted
    (neighbours.py's branch and bound over its words, at the fewest unmet pairs)."""
    n = model.n
    total = model.w * sum(x * (x - 1) // 2 for x in model.sizes) - n * (n - 1) // 2
    found = _search(model, lb, seed, should_stop) if applies(model) else \
        _with_inserted(model, seed, should_stop)
    if found is None or total + found[1] > lb * (1 + DEVELOP_ACCEPT):
        return None
    return found


def _with_inserted(model: _Model, seed: int, should_stop: Callable[[], bool],
                   ) -> tuple[list[list[int]], int] | None:
    """A developed plan of the shape without its last ``r`` cities (r = 1 .. MAX_INSERTED,
    the first that forms orbits), those cities then inserted; None if none fits."""
    from cotrain.domain.scheduling.mixing import bound_details
    from cotrain.domain.scheduling.search import _Model as Model

    names = sorted(model.city_names)
    problem = model.problem
    for r in range(1, MAX_INSERTED + 1):
        if len(names) - r < 2:
            return None
        out = set(names[-r:])
        smaller = replace(problem, people=tuple(q for q in problem.people if q.city not in out))
        sub = Model(smaller)
        if not applies(sub):
            continue
        found = _search(sub, bound_details(smaller)[0], seed, should_stop)
        if found is None or should_stop():
            return None
        plan = neighbours._Plan(model, neighbours._Words(model.g, model.w))  # noqa: SLF001
        g, w = model.g, model.w
        for i in range(sub.n):
            p = model.index[sub.ids[i]]
            plan.put(p, sum(found[0][t][i] * g ** t for t in range(w)))
        inserted = [[i for i in range(model.n) if model.city[i] >= 0
                     and model.city_names[model.city[i]] == name] for name in sorted(out)]
        if plan.insert(inserted, random.Random(seed), neighbours.INSERT_NODES) is None:
            return None
        return plan.rounds(), plan.unmet()
    return None


def _search(model: _Model, lb: int, seed: int, should_stop: Callable[[], bool],
            ) -> tuple[list[list[int]], int] | None:
    """The search of ``developed_plan`` on a shape whose cities form orbits."""
    rng = random.Random(seed * 7919 + 1)
    g, w, n = model.g, model.w, model.n
    space = _Space(model)
    dig, meet, shift = space.dig, space.meet, space.shift
    cities: list[list[int]] = [[] for _ in model.city_names]
    for i in range(n):
        if model.city[i] >= 0:
            cities[model.city[i]].append(i)
    loose = [i for i in range(n) if model.city[i] < 0]
    s = len(cities[0])
    k = len(cities) // g
    layout = sorted(model.role[i] for i in cities[0])
    shape = _Shape(model, space, s)
    total = w * sum(x * (x - 1) // 2 for x in model.sizes)
    target = lb - total + n * (n - 1) // 2  # unmet pairs of a plan at the bound
    q, r = divmod(s, g)
    inside = r * (q + 1) * q // 2 + (g - r) * q * (q - 1) // 2
    forced = max(0, s * (s - 1) // 2 - w * inside)  # unmet inside one city, at least
    nw = space.nwords

    def not_meet_count(a: list[int], y: int) -> int:
        """Pairs (x in a, translate of y) that never meet."""
        return sum(1 for x in a for j in range(g) if not meet[x] >> shift[j][y] & 1)

    def self_unmet(a: tuple[int, ...]) -> int:  # pairs across the translates of one city
        c = sum(1 for x in a for y in a for j in range(1, g) if not meet[x] >> shift[j][y] & 1)
        return c * g // 2

    def inner_unmet(a: tuple[int, ...]) -> int:
        return sum(1 for i, x in enumerate(a) for y in a[i + 1:] if not meet[x] >> y & 1)

    big = max(model.sizes)
    nodes = [0]
    best: list[tuple[int, list[list[int]]] | None] = [None]

    def orbit_cities(fails: list[int], left: int) -> list[tuple[int, ...]]:
        good = 0
        for y in range(nw):
            if fails[y] <= left:
                good |= 1 << y
        listed = words._list_cities(cast(Any, shape), good, [ORBIT_STEPS], should_stop)
        out = []
        for a, _ in listed:
            cost = sum(fails[y] for y in a) * g + self_unmet(a)
            if inner_unmet(a) == forced and cost <= left * g:
                out.append(a)
        rng.shuffle(out)
        return out[:ORBIT_CITIES]

    chosen: list[tuple[int, ...]] = []

    def finish_orbits(city_unmet: int) -> None:
        # first round: sizes (g cities per orbit sit together there)
        count0 = [0] * g
        for a in chosen:
            for x in a:
                count0[dig[x][0]] += g
        if any(c > big for c in count0):
            return
        roles = _role_orders(model, chosen, layout, g, dig)
        if roles is None:
            return
        placed = _place_loose(model, space, chosen, loose, count0, city_unmet, target, best)
        if placed is None:
            return
        unmet, loose_words = placed
        grp = [[0] * n for _ in range(w)]
        for o, (a, order) in enumerate(zip(chosen, roles, strict=True)):
            for j in range(g):
                people = list(cities[o * g + j])
                for x, role in zip(a, order, strict=True):
                    p = next(i for i in people if model.role[i] == role)
                    people.remove(p)
                    y = shift[j][x]
                    for t in range(w):
                        grp[t][p] = dig[y][t]
        for p, x in zip(loose, loose_words, strict=True):
            for t in range(w):
                grp[t][p] = dig[x][t]
        best[0] = (unmet, grp)

    def search(fails: list[int], used: int, city_unmet: int) -> bool:
        nodes[0] += 1
        if nodes[0] > DEVELOP_NODES or should_stop():  # the root is node 1
            return True
        if len(chosen) == k:
            finish_orbits(city_unmet)
            return best[0] is not None and best[0][0] <= target
        for a in orbit_cities(fails, DEVELOP_SLACK - used):
            cost = sum(fails[y] for y in a) * g + self_unmet(a)
            nxt = list(fails)
            for y in range(nw):
                nxt[y] += not_meet_count(list(a), y)
            chosen.append(a)
            done = search(nxt, used + cost // g, city_unmet + cost + g * inner_unmet(a))
            chosen.pop()
            if done:
                return True
        return False

    search([0] * nw, 0, 0)
    if best[0] is None:
        return None
    return best[0][1], best[0][0]


def _role_orders(model: _Model, chosen: list[tuple[int, ...]], layout: list[int], g: int,
                 dig: list[list[int]]) -> list[tuple[int, ...]] | None:
    """A role on each word of each orbit so that every role's count in each group of the
    first round is within its range (the other rounds hold them by construction), or None."""
    import itertools

    orders = sorted(set(itertools.permutations(layout)))
    roles = sorted(set(layout))
    counts = {r: [0] * g for r in roles}
    out: list[tuple[int, ...]] = []

    def rec(o: int) -> bool:
        if o == len(chosen):
            return all(model.role_lo[r] <= c <= model.role_hi[r]
                       for r in roles for c in counts[r])
        for order in orders:
            for x, r in zip(chosen[o], order, strict=True):
                counts[r][dig[x][0]] += g
            if all(c <= model.role_hi[r] for r in roles for c in counts[r]):
                out.append(order)
                if rec(o + 1):
                    return True
                out.pop()
            for x, r in zip(chosen[o], order, strict=True):
                counts[r][dig[x][0]] -= g
        return False

    return out if rec(0) else None


def _place_loose(model: _Model, space: _Space, chosen: list[tuple[int, ...]],
                 loose: list[int], count0: list[int], city_unmet: int, target: int,
                 best: list[tuple[int, list[list[int]]] | None],
                 ) -> tuple[int, list[int]] | None:
    """Words for the people without a city, by branch and bound: every group's size and
    their roles' counts within range in every round, at the fewest unmet pairs in all (below
    the best plan so far); None when none beats it."""
    g, w = space.g, space.w
    dig, meet, shift = space.dig, space.meet, space.shift
    nw = space.nwords
    city_words = [shift[j][x] for a in chosen for x in a for j in range(g)]
    miss = [sum(1 for y in city_words if not meet[x] >> y & 1) for x in range(nw)]
    per = len(city_words) // g  # city people per group in the rounds after the first
    cnt = [[count0[kk] if t == 0 else per for kk in range(g)] for t in range(w)]
    sizes = sorted(model.sizes)
    big = sizes[-1]
    rcount: list[list[dict[int, int]]] = [[{} for _ in range(g)] for _ in range(w)]
    order = sorted(range(nw), key=lambda x: miss[x])
    bound = [best[0][0] if best[0] is not None else city_unmet + 10 ** 9]
    if best[0] is None:
        bound[0] = city_unmet + sum(sorted(miss)[:len(loose)]) + len(loose) ** 2 + 1
    words_of: list[int] = []
    found: list[list[int] | None] = [None]
    nodes = [0]
    roles = [model.role[p] for p in loose]

    def ok_leaf() -> bool:
        for t in range(w):
            if sorted(cnt[t]) != sizes:
                return False
            for kk in range(g):
                for r in set(roles):
                    c = rcount[t][kk].get(r, 0)
                    if r and not model.role_lo[r] <= c <= model.role_hi[r]:
                        return False
        return True

    def rec(i: int, start: int, cost: int) -> None:
        nodes[0] += 1
        if nodes[0] > LOOSE_NODES:
            return
        if i == len(loose):
            if ok_leaf() and cost < bound[0]:
                bound[0] = cost
                found[0] = list(words_of)
            return
        r = roles[i]
        same = i > 0 and roles[i - 1] == r
        for j in range(start if same else 0, nw):
            x = order[j]
            m = miss[x]
            if cost + m * (len(loose) - i) >= bound[0]:
                break
            if any(cnt[t][dig[x][t]] >= big or
                   (r and rcount[t][dig[x][t]].get(r, 0) >= model.role_hi[r])
                   for t in range(w)):
                continue
            add = m + sum(1 for y in words_of if not meet[x] >> y & 1)
            if cost + add >= bound[0]:
                continue
            words_of.append(x)
            for t in range(w):
                cnt[t][dig[x][t]] += 1
                rc = rcount[t][dig[x][t]]
                rc[r] = rc.get(r, 0) + 1
            rec(i + 1, j + 1, cost + add)
            words_of.pop()
            for t in range(w):
                cnt[t][dig[x][t]] -= 1
                rcount[t][dig[x][t]][r] -= 1
            if bound[0] <= target or nodes[0] > LOOSE_NODES:
                return

    rec(0, 0, city_unmet)
    if found[0] is None:
        return None
    return bound[0], found[0]
