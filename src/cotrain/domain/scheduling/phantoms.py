"""Plans from cities one person larger: add a phantom to every city, solve, take them out.

words.city_plan searches the structure of a plan at the bound (cities as sets of words, the
people without a city as a 1-factorisation); where the role quotas are tight it finds
nothing within its budget. Cities of 5 in 3 groups (7 cities of an elected official, three
professionals and a delegate, 6 activists, 5 rounds) are such a shape: each round must hold
exactly 7 professionals per group, and the role-labelled search spends its budget there.

The same shape with one more person in every city is often *easier*: cities of 6 spread
2-2-2 meet all their 15 internal pairs over 5 rounds, the structure is more regular, and
city_plan finds its plans at the bound in a fraction of a second. Taking the added person
out of every city leaves a plan of the real problem in which every pair that met still
meets, and:

* each city keeps a valid spread whenever the larger city is spread evenly (its size a
  multiple of the groups): one fewer in one group is still "within one";
* the group sizes and role counts of every round must be checked: the added people must
  leave the right number in each group. Two kinds of added person make this exact:
  - a **phantom role** of its own: its quota (one per city, spread like any role) is what
    the group sizes need, so every plan of the larger shape at its bound gives a valid plan
    (group sizes and every real role's counts are the real problem's quotas); its searches
    are the slowest and, on cities of 5, never found a plan the next kind did not: not tried;
  - a **second person of a real role** (a second delegate, say): the larger shape has fewer
    role orders per city (its search is faster), and which of a city's two delegates is the
    added one is chosen afterwards, city by city, so that sizes and role counts hold
    (a small depth-first search); plans where no choice fits are passed over and the
    search goes on (words.city_plan's ``accept``).

So a plan found this way has no more unmet pairs than the larger shape's plan: at the bound
there (every pair meets), the real plan is at the counting bound too (cities of 5: 480).
Deterministic: the larger shapes are tried in a fixed order, each with its own share of
the node budget and a random stream of its own (drawn from the seed), so that where nothing
is found the search after it draws the same numbers as without it. A take-out fits only some
of the larger plans (7 cities of 5: about 1 in 5 to 10), so where the first pass over the
shapes met larger plans but took none out, up to ``PHANTOM_PASSES`` passes try again with new
streams, until ``PHANTOM_MISSES`` larger plans have failed the take-out.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from cotrain.domain.scheduling import words
from cotrain.domain.scheduling.mixing import MixPerson, bound_details, repeats, validate_rounds
from cotrain.domain.scheduling.words import MAX_WORDS, city_plan

if TYPE_CHECKING:
    from cotrain.domain.scheduling.search import _Model

# Clique nodes of each larger shape tried, as a share of words.CLIQUE_NODES (20,000: 10,000
# nodes): cities of 5 in 3 groups, 4 larger shapes, 0.1 to 1.3 s of CPU each on the project's
# machine (read at each call, so that a smaller clique budget makes this one smaller too).
PHANTOM_SHARE = 0.5
# Passes over the larger shapes: the first is one try of each (PHANTOM_SHARE each); the later
# ones try every shape again with fresh random streams, but only if the first pass met a plan
# of a larger shape at its bound that no take-out fitted (7 cities of 5: 0 to 16 such plans
# per try, 1 in 5 to 10 taken out). Where no larger shape has a plan, only pass 1 is spent.
# 7 cities of 5: 1 pass finds the bound on seeds 0, 4-9 of 0-9; 3 passes on 17 seeds of 0-19
# (not 11, 14, 17; 1.7-5.2 s of CPU where found), 4 passes (40 misses) on the same 17.
PHANTOM_PASSES = 3
# ... and all passes end once this many plans of the larger shapes at their bound have been
# met that no take-out fitted (later passes only), so that a shape whose larger plans are
# never taken out (5 cities of 5: 18 in pass 1 on seed 2) spends less than PHANTOM_PASSES.
PHANTOM_MISSES = 30
# Choices tried when taking the added people out of one larger plan (a depth-first search over
# the cities, 2 or 3 ways each: 7 cities of 5 need a few dozen; bounded for many cities).
TAKE_OUT_NODES = 20_000
# Role name of the phantom people (never a real role: starts with a NUL character).
PHANTOM = "\x00phantom"


def phantom_plan(model: _Model, lb: int, seed: int,
                 should_stop: Callable[[], bool] = lambda: False,
                 node_budget: int | None = None) -> list[list[int]] | None:
    """A valid plan of ``model`` at the bound ``lb`` (group of each person, per round) built
    from a plan at the bound of the shape with one more person in every city, or None (not
    such a shape, or nothing found within the budgets)."""
    layout = _layout(model)
    if layout is None:
        return None
    if node_budget is None:
        node_budget = int(words.CLIQUE_NODES * PHANTOM_SHARE)
    rng = random.Random(seed)
    # a second person of each role of the cities, fewest in a city first (a role of its own,
    # tried last, found no plan these did not on cities of 5, seeds 0-9, and cost 1.5-1.9 s
    # of CPU where nothing is found, before the search that follows: left out)
    extras = sorted(set(layout), key=lambda r: (layout.count(r), r))
    # pass 1 tries each shape once; later passes draw new streams from ``rng`` and try every
    # shape again, but only if pass 1 met a plan of a larger shape at its bound that no
    # take-out fitted (the larger shapes have plans: more tries meet more), and only until
    # PHANTOM_MISSES such plans (pass 1 is never cut by that: where it finds a plan, it is the
    # plan of one pass alone)
    misses = [0]  # plans of a larger shape met that no take-out fitted, all tries together
    later = [False]

    def stop() -> bool:
        return (later[0] and misses[0] >= PHANTOM_MISSES) or should_stop()

    for pass_no in range(max(1, PHANTOM_PASSES)):
        if pass_no and not misses[0]:
            return None
        later[0] = pass_no > 0
        for extra in extras:
            if stop():
                return None
            plan = _with_extra(model, lb, extra, random.Random(rng.random()), stop,
                               node_budget, misses)
            if plan is not None:
                return plan
    return None


def _layout(model: _Model) -> list[str] | None:
    """The role names of one city (sorted), when the shape fits: every city of one size and
    one layout, that size plus one a multiple of the groups, a word space city_plan takes,
    none of the rules it does not handle."""
    p = model.problem
    g, w = model.g, model.w
    if (p.stable or p.fixed or model.prior or not p.spread_cities or any(model.apart)
            or g < 2 or w < 2 or g ** w > MAX_WORDS or not model.city_names):
        return None
    layouts = set()
    sizes = set()
    for c in range(len(model.city_names)):
        members = [i for i in range(model.n) if model.city[i] == c]
        sizes.add(len(members))
        names = [model.role_names[model.role[i]] for i in members]
        if any(r is None for r in names):
            return None
        layouts.add(tuple(sorted(str(r) for r in names)))
    if len(layouts) != 1 or len(sizes) != 1:
        return None
    s = sizes.pop()
    if s < 2 or (s + 1) % g:
        return None
    return list(layouts.pop())


def _with_extra(model: _Model, bound: int, extra: str, rng: random.Random,
                should_stop: Callable[[], bool], node_budget: int,
                misses: list[int] | None = None) -> list[list[int]] | None:
    """One larger shape: every city gets a person of role ``extra``; its plan at the bound,
    taken back to the real people, or None. ``misses[0]`` counts the plans of the larger
    shape at its bound met that no take-out fitted."""
    if misses is None:
        misses = [0]
    from cotrain.domain.scheduling.search import _Model, _to_ids

    p = model.problem
    added = [MixPerson(f"{PHANTOM}{c:06d}", extra, name)
             for c, name in enumerate(model.city_names)]
    larger = replace(p, people=(*p.people, *added))
    big = _Model(larger)
    lb, _ = bound_details(larger)
    # per city, the ways to take one person out: one of its people of role ``extra`` (the
    # city keeps the real layout); each way as the people kept, with their real role
    # (taking anyone out, another taking their role, was tried: the search grows by 10 ** 7
    # and found no more on cities of 5)
    x = big.role_names.index(extra)
    real_role = {r: model.role_names.index(name) for r, name in enumerate(big.role_names)
                 if name in model.role_names}
    ways: list[list[list[tuple[int, int]]]] = []
    for c in range(len(model.city_names)):
        members = [i for i in range(big.n) if big.city[i] == c]
        ways.append([[(i, real_role[big.role[i]]) for i in members if i != out]
                     for out in members if big.role[out] == x])
    found: list[list[list[int]]] = []

    def accept(grp: list[list[int]]) -> bool:
        real = _take_out(model, big, grp, ways)
        if real is None:
            misses[0] += 1
            return False
        ids = _to_ids(model, real)
        if validate_rounds(p, ids) or repeats(p, ids) > bound:
            return False
        found.append(real)
        return True

    plan = city_plan(big, lb, rng, should_stop, node_budget, accept)
    if plan is None or not found:
        return None
    return found[0]


def _take_out(model: _Model, big: _Model, grp: list[list[int]],
              ways: list[list[list[tuple[int, int]]]]) -> list[list[int]] | None:
    """The real plan from the larger shape's plan ``grp``: one way per city (``ways``) such
    that every round's group sizes and role counts are the real problem's (a depth-first
    search, the counts checked as they grow, at most ``TAKE_OUT_NODES`` choices); None if no
    choice fits within them."""
    m = model
    w, g = m.w, m.g
    nr = len(m.role_names)
    hi_size, lo_size = max(m.sizes), min(m.sizes)
    size = [[0] * g for _ in range(w)]
    roles = [[[0] * nr for _ in range(g)] for _ in range(w)]
    for i in range(big.n):  # the people without a city (real, role unchanged)
        if big.city[i] < 0:
            r = m.role[m.index[big.ids[i]]]
            for t in range(w):
                size[t][grp[t][i]] += 1
                roles[t][grp[t][i]][r] += 1
    chosen: list[int] = []
    nodes = [0]

    def add(option: list[tuple[int, int]], d: int) -> bool:
        ok = True
        for i, r in option:
            for t in range(w):
                k = grp[t][i]
                size[t][k] += d
                roles[t][k][r] += d
                if size[t][k] > hi_size or roles[t][k][r] > m.role_hi[r]:
                    ok = False
        return ok

    def rec(c: int) -> bool:
        if c == len(ways):
            return all(lo_size <= size[t][k] and all(
                roles[t][k][r] >= m.role_lo[r] for r in range(1, nr))
                for t in range(w) for k in range(g))
        for j, option in enumerate(ways[c]):
            nodes[0] += 1
            if nodes[0] > TAKE_OUT_NODES:
                return False
            ok = add(option, 1)
            if ok and rec(c + 1):
                chosen.append(j)
                return True
            add(option, -1)
        return False

    if not rec(0):
        return None
    chosen.reverse()
    out = [[0] * m.n for _ in range(w)]
    for c, j in enumerate(chosen):
        reals = sorted((m.role[p], p) for p in range(m.n) if m.city[p] == c)
        kept = sorted((r, i) for i, r in ways[c][j])
        for (_, p), (_, i) in zip(reals, kept, strict=True):  # same roles, in order
            for t in range(w):
                out[t][p] = grp[t][i]
    for p in range(m.n):
        if m.city[p] < 0:
            i = big.index[m.ids[p]]
            for t in range(w):
                out[t][p] = grp[t][i]
    return out
