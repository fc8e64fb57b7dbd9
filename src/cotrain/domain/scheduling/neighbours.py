"""Plans from a neighbouring shape: solve the structure where it fits, then move cities.

structured.py reaches the bound only where its structure fits (cities of 4 over 3 groups:
5 cities at the counting bound, the reference programme's 7 at its proven optimum); with
6, 8 or 9 cities the structure has no plan and the local search ends several repeats above
the bound. Seen as words (words.py: a person's group in every round; two people meet iff
their words agree somewhere), a plan of the neighbouring shape is most of a plan of this
one, so:

* **one city fewer** (the problem without its last city): solve it with the structure, then
  *insert* that city;
* **one city more** (the problem plus a *phantom* city with the same roles): solve it with
  the structure, then remove the phantom and one real city and insert that city back (each
  real city in turn; the best is kept).

Inserting a city is a branch and bound over its people's words, given everybody else's:
every group size and role count of every round within its range when the city is in (a
plan at the bound fills them exactly, so the city's words are nearly forced), the city's own
spread kept, at the fewest pairs that never meet (the city's own pairs and its pairs with
everybody else). Words are tried cheapest first (the people whose word they never meet are
counted incrementally); a node budget ends it.

The result is a valid plan (or None) with its number of unmet pairs; the caller compares it
with the bound. Deterministic: the seed orders the ties, budgets (nodes) end every phase.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from cotrain.domain.scheduling.mixing import MixPerson
from cotrain.domain.scheduling.structured import CITY_SIZE, MAX_ROUNDS, structured_rounds
from cotrain.domain.scheduling.words import word_tables

if TYPE_CHECKING:
    from cotrain.domain.scheduling.search import _Model

# Branch-and-bound nodes of one city insertion: a plan whose group sizes and role counts are
# exact leaves the city a handful of words (6 and 8 cities: 22 to 25 nodes); where no words
# fit, the budget ends the search (2,000 nodes: about 0.1 s of CPU).
INSERT_NODES = 2_000
# Clique nodes of the structured search of a neighbouring shape (structured.py's budget is
# 20,000): the reference programme needs 5,200 to 6,900; a shape without such a plan then
# costs about a quarter of a second.
NEIGHBOUR_NODES = 10_000
# Largest word space (groups ** rounds) handled: 3 groups, 5 rounds is 243.
MAX_WORDS = 243
PHANTOM = "\x00phantom"


class _Words:
    """Words over ``g`` groups and ``w`` rounds, and who meets whom."""

    def __init__(self, g: int, w: int) -> None:
        self.g, self.w = g, w
        self.n = g ** w
        # the tables of cities as words (digits; words agreeing with each, as bit sets)
        self.dig, _, self.meet, _ = word_tables(g, w)
        # words that never agree with x (x's "strangers")
        self.never = [[y for y in range(self.n) if not self.meet[x] >> y & 1]
                      for x in range(self.n)]

    def meets(self, x: int, y: int) -> bool:
        return bool(self.meet[x] >> y & 1)


class _Plan:
    """A plan as words, with the counts an insertion needs (sizes, roles, strangers)."""

    def __init__(self, model: _Model, words: _Words) -> None:
        self.m, self.words = model, words
        g, w = model.g, model.w
        self.word = [-1] * model.n
        self.size = [[0] * g for _ in range(w)]
        self.rolec = [[[0] * len(model.role_names) for _ in range(g)] for _ in range(w)]
        self.strangers = [0] * words.n  # placed people whose word never agrees with x

    def put(self, p: int, x: int) -> None:
        self.word[p] = x
        self._count(p, x, 1)

    def take(self, p: int) -> None:
        x = self.word[p]
        self.word[p] = -1
        self._count(p, x, -1)

    def _count(self, p: int, x: int, sign: int) -> None:
        r = self.m.role[p]
        for t, k in enumerate(self.words.dig[x]):
            self.size[t][k] += sign
            self.rolec[t][k][r] += sign
        for y in self.words.never[x]:
            self.strangers[y] += sign

    def unmet(self) -> int:
        """Pairs of placed people that never meet (pairs kept apart are not handled here)."""
        count: dict[int, int] = {}
        for x in self.word:
            if x >= 0:
                count[x] = count.get(x, 0) + 1
        total = 0
        for x, c in count.items():
            total += c * sum(count.get(y, 0) for y in self.words.never[x])
        return total // 2

    def rounds(self) -> list[list[int]]:
        dig = self.words.dig
        return [[dig[x][t] for x in self.word] for t in range(self.m.w)]

    def insert(self, cities: list[list[int]], rng: random.Random,
               node_budget: int) -> int | None:
        """Words for the people of ``cities`` (not placed yet) at the fewest new unmet
        pairs, every size, role and city count then in range; placed and returned (the new
        unmet pairs), or None when no such words exist or the budget ends first."""
        m, words = self.m, self.words
        g, w, dig = m.g, m.w, words.dig
        people = [(ci, p) for ci, ms in enumerate(cities)
                  for p in sorted(ms, key=lambda p: (m.role[p], p))]
        # the rarest roles first: their words are the most constrained
        total = [0] * len(m.role_names)
        for p in range(m.n):
            total[m.role[p]] += 1
        people.sort(key=lambda cp: (total[m.role[cp[1]]], m.role[cp[1]], cp[0]))
        s = len(people)
        lo = [m.city_lo[m.city[ms[0]]] for ms in cities]
        hi = [m.city_hi[m.city[ms[0]]] for ms in cities]
        size_lo, size_hi = min(m.sizes), max(m.sizes)
        role_lo, role_hi = m.role_lo, m.role_hi
        nr = len(m.role_names)
        size, rolec, strangers = self.size, self.rolec, self.strangers
        order = list(range(words.n))
        rng.shuffle(order)
        order.sort(key=strangers.__getitem__)
        cheapest = strangers[order[0]]
        best: list[Any] = [None, None]  # cost, then the chosen words
        counts = [[[0] * g for _ in range(w)] for _ in cities]
        chosen: list[int] = []
        nodes = [0]
        # people still to place after position j: in all, per role, per city
        left = [s - j for j in range(s + 1)]
        left_role = [[sum(1 for _, q in people[j:] if m.role[q] == r) for r in range(nr)]
                     for j in range(s + 1)]
        left_city = [[sum(1 for c, _ in people[j:] if c == ci) for ci in range(len(cities))]
                     for j in range(s + 1)]

        def reachable(j: int) -> bool:
            """The floors still unmet can be met by the people left after position j."""
            for t in range(w):
                if sum(max(0, size_lo - size[t][k]) for k in range(g)) > left[j]:
                    return False
                for r in range(1, nr):
                    if sum(max(0, role_lo[r] - rolec[t][k][r])
                           for k in range(g)) > left_role[j][r]:
                        return False
                for ci in range(len(cities)):
                    if sum(max(0, lo[ci] - counts[ci][t][k]) for k in range(g)) > \
                            left_city[j][ci]:
                        return False
            return True

        def complete() -> bool:
            for t in range(w):
                for k in range(g):
                    if any(counts[c][t][k] < lo[c] for c in range(len(cities))):
                        return False
                    if not size_lo <= size[t][k] <= size_hi:
                        return False
                    row = rolec[t][k]
                    if any(not role_lo[r] <= row[r] <= role_hi[r] for r in range(1, nr)):
                        return False
            return True

        def rec(j: int, cost: int, last: int) -> None:
            nodes[0] += 1
            if nodes[0] > node_budget:
                return
            if j == s:
                if complete() and (best[0] is None or cost < best[0]):
                    best[0], best[1] = cost, list(chosen)
                return
            ci, p = people[j]
            r = m.role[p]
            cnt, cap = counts[ci], hi[ci]
            # same city and role: words in order (the people are interchangeable)
            same = j > 0 and people[j - 1][0] == ci and m.role[people[j - 1][1]] == r
            rest = (s - j - 1) * cheapest
            for i in range(last + 1 if same else 0, len(order)):
                x = order[i]
                if best[0] is not None and cost + strangers[x] + rest >= best[0]:
                    break
                dx = dig[x]
                if any(cnt[t][k] >= cap or size[t][k] >= size_hi
                       or (r and rolec[t][k][r] >= role_hi[r]) for t, k in enumerate(dx)):
                    continue
                c2 = cost + strangers[x] + sum(1 for y in chosen if not words.meets(x, y))
                if best[0] is not None and c2 + rest >= best[0]:
                    continue
                chosen.append(x)
                for t, k in enumerate(dx):
                    cnt[t][k] += 1
                    size[t][k] += 1
                    rolec[t][k][r] += 1
                if reachable(j + 1):
                    rec(j + 1, c2, i)
                for t, k in enumerate(dx):
                    cnt[t][k] -= 1
                    size[t][k] -= 1
                    rolec[t][k][r] -= 1
                chosen.pop()
                if nodes[0] > node_budget:
                    return

        if reachable(0):
            rec(0, 0, -1)
        if best[1] is None:
            return None
        for (_, p), x in zip(people, best[1], strict=True):
            self.put(p, x)
        return int(best[0])


def _fits(model: _Model) -> bool:
    p = model.problem
    if (p.stable or p.fixed or model.prior or any(model.apart) or not p.spread_cities
            or model.g ** model.w > MAX_WORDS or model.w > MAX_ROUNDS):
        return False
    cities: dict[int, list[int]] = {}
    for i in range(model.n):
        if model.city[i] >= 0:
            cities.setdefault(model.city[i], []).append(i)
    layouts = {tuple(sorted(model.role[i] for i in ms)) for ms in cities.values()}
    return len(cities) >= 3 and len(layouts) == 1 and \
        all(len(ms) == CITY_SIZE for ms in cities.values())


def _structured_words(model: _Model, rng: random.Random,
                      should_stop: Callable[[], bool]) -> dict[str, int] | None:
    """Words of everyone in a structured plan of ``model`` at its own lower bound (as the
    engine asks of it: the counting bound, one more where that is proven), by id; None when
    the structure has none within its budget."""
    from cotrain.domain.scheduling.mixing import bound_details

    n = model.n
    lb = bound_details(model.problem)[0]
    unmet_allowed = lb - model.w * sum(s * (s - 1) // 2 for s in model.sizes) \
        + n * (n - 1) // 2
    plan = structured_rounds(model, unmet_allowed, rng, should_stop,
                             node_budget=NEIGHBOUR_NODES)
    if plan is None:
        return None
    g = model.g
    return {model.ids[p]: sum(plan[t][p] * g ** t for t in range(model.w))
            for p in range(n)}


def neighbour_plan(model: _Model, rng: random.Random,
                   should_stop: Callable[[], bool] = lambda: False,
                   insert_nodes: int = INSERT_NODES) -> tuple[list[list[int]], int] | None:
    """The best plan (group of each person, per round) built from a neighbouring shape, with
    its number of unmet pairs; None when neither neighbour has a structured plan."""
    from cotrain.domain.scheduling.search import _Model as Model

    if not _fits(model):
        return None
    problem = model.problem
    words = _Words(model.g, model.w)
    by_city: dict[str, list[int]] = {}
    for i in range(model.n):
        if model.city[i] >= 0:
            by_city.setdefault(model.city_names[model.city[i]], []).append(i)
    names = sorted(by_city)
    best: tuple[list[list[int]], int] | None = None

    def keep(plan: _Plan) -> None:
        nonlocal best
        unmet = plan.unmet()
        if best is None or unmet < best[1]:
            best = (plan.rounds(), unmet)

    # one city fewer: the last city left out, then inserted
    out = names[-1]
    smaller = replace(problem, people=tuple(q for q in problem.people if q.city != out))
    found = _structured_words(Model(smaller), rng, should_stop)
    if found is not None and not should_stop():
        plan = _Plan(model, words)
        for i in range(model.n):
            if model.ids[i] in found:
                plan.put(i, found[model.ids[i]])
        if plan.insert([by_city[out]], rng, insert_nodes) is not None:
            keep(plan)
    # one city more: a phantom city like the first, then each real city moved in its place
    first = by_city[names[0]]
    phantom = tuple(MixPerson(f"{PHANTOM}{j}", model.role_names[model.role[i]], PHANTOM)
                    for j, i in enumerate(first))
    larger = replace(problem, people=problem.people + phantom)
    found = _structured_words(Model(larger), rng, should_stop)
    if found is not None:
        for name in names:
            if should_stop():
                break
            plan = _Plan(model, words)
            for i in range(model.n):
                if model.city[i] < 0 or model.city_names[model.city[i]] != name:
                    plan.put(i, found[model.ids[i]])
            if plan.insert([by_city[name]], rng, insert_nodes) is not None:
                keep(plan)
    return best
