"""Proof (by exhaustive search) that the reference programme cannot reach 326 repeats.

    python benchmarks/prove_reference_bound.py      # pure Python, about a minute

The reference programme: 7 cities of 4 people spread over 3 groups (2-1-1 in every round),
6 activists without a city at least 2 per group, 5 rounds; 34 people, groups of 12/11/11,
880 pair-meetings for 561 pairs. The counting bound of ``lower_bound`` is 326 = 880 - 561 + 7:
each city meets internally once per round (5 meetings, 6 pairs). Reaching 326 therefore
needs exactly 554 distinct pairs met, i.e. ALL of:

1. the activists (exactly 2 per group) meet each other exactly once: their 5 pairings are
   a 1-factorisation of K6. All 1-factorisations of K6 are isomorphic, and the groups of a
   round may be renamed, so the activists' groups can be fixed (pair j of round t in group j);
2. inside each city the 5 internal meetings fall on 5 different pairs (one pair never meets);
3. every other pair meets at least once (activist-member and members of different cities);
4. group sizes 12/11/11: 2 activists + one person per city + the cities doubled in the
   group, so every round has 3/2/2 doubled cities per group.

Write a person's plan as a "word" of 5 group indices (one per round); two people meet iff
their words agree in some round. The script enumerates every possible city (a set of 4 words
satisfying 2.: 233,280 of them), keeps those meeting all 6 activists (3.), links two cities
when all 16 of their cross pairs meet (3.), enumerates every set of 7 pairwise linked cities
(the cities are interchangeable), and checks 4. on each. It finds 2,760 such sets and none
with balanced groups: no plan reaches 326, so at least 327 repeats (roles ignored, which only
removes plans). ``lower_bound`` adds this one repeat for problems of exactly this shape.

The bound 327 is reached: the same search, allowing one unmet activist-member pair (one city
meeting 5 of the 6 activists, then a check that the roles fit their quotas), finds plans with
327 repeats; one is kept in tests/data/mixing/reference_327.json and checked by the tests.
"""

from __future__ import annotations

import itertools
import time

ROUNDS, GROUPS = 5, 3
WORDS = GROUPS**ROUNDS
FACTORISATION = [[(0, 1), (2, 3), (4, 5)], [(0, 2), (1, 4), (3, 5)], [(0, 3), (1, 5), (2, 4)],
                 [(0, 4), (1, 3), (2, 5)], [(0, 5), (1, 2), (3, 4)]]
# the pairs of a city other than (0, 1), the pair that never meets
CITY_PAIRS = [(0, 2), (0, 3), (1, 2), (1, 3), (2, 3)]


def digits(x: int) -> list[int]:
    return [(x // GROUPS**t) % GROUPS for t in range(ROUNDS)]


def main() -> int:
    start = time.perf_counter()
    dig = [digits(x) for x in range(WORDS)]
    agree = [sum(1 << y for y in range(WORDS)
                 if any(dig[x][t] == dig[y][t] for t in range(ROUNDS))) for x in range(WORDS)]
    activists = [sum(next(j for j, pr in enumerate(FACTORISATION[t]) if a in pr) * GROUPS**t
                     for t in range(ROUNDS)) for a in range(6)]
    for a, b in itertools.combinations(activists, 2):  # each activist pair meets once
        assert sum(dig[a][t] == dig[b][t] for t in range(ROUNDS)) == 1
    symbol_orders = list(itertools.permutations(range(GROUPS)))
    cities: set[frozenset[int]] = set()
    for order in itertools.permutations(range(ROUNDS)):  # round t holds pair order[t]
        for syms in itertools.product(range(len(symbol_orders)), repeat=ROUNDS):
            words = [[0] * ROUNDS for _ in range(4)]
            for t in range(ROUNDS):
                i, j = CITY_PAIRS[order[t]]
                k, m = (x for x in range(4) if x not in (i, j))
                double, single1, single2 = symbol_orders[syms[t]]
                words[i][t] = words[j][t] = double
                words[k][t], words[m][t] = single1, single2
            cities.add(frozenset(sum(d * GROUPS**t for t, d in enumerate(w)) for w in words))
    print(f"cities (4 words, 5 distinct internal pairs): {len(cities)}")
    good = sorted(sorted(c) for c in cities
                   if all(agree[x] >> a & 1 for x in c for a in activists))
    print(f"cities meeting all 6 activists: {len(good)}")
    members = [sum(1 << x for x in c) for c in good]
    forbidden = []
    for c in good:
        both = (1 << WORDS) - 1
        for x in c:
            both &= agree[x]
        forbidden.append(((1 << WORDS) - 1) & ~both)
    n = len(good)
    adj = [{j for j in range(n) if j != i and not members[j] & forbidden[i]} for i in range(n)]
    print(f"pairs of cities whose 16 cross pairs all meet: {sum(map(len, adj)) // 2}")

    def doubled(c: list[int]) -> list[int]:
        out = []
        for t in range(ROUNDS):
            ds = [dig[x][t] for x in c]
            out.append(next(k for k in range(GROUPS) if ds.count(k) == 2))
        return out

    dbl = [doubled(c) for c in good]
    found = balanced = 0

    def extend(chosen: list[int], cand: set[int]) -> None:
        nonlocal found, balanced
        if len(chosen) == 7:
            found += 1
            if all(sorted(sum(1 for c in chosen if dbl[c][t] == k) for k in range(GROUPS))
                   == [2, 2, 3] for t in range(ROUNDS)):
                balanced += 1
            return
        for v in sorted(cand):
            rest = {u for u in cand if u > v}
            if len(chosen) + 1 + len(rest) < 7:
                break
            extend(chosen + [v], rest & adj[v])

    extend([], set(range(n)))
    print(f"sets of 7 cities meeting every cross pair: {found}; with 12/11/11 groups: {balanced}")
    print(f"{time.perf_counter() - start:.0f} s")
    if balanced:
        print("326 may be reachable")
        return 1
    print("proved: no plan of the reference programme has fewer than 327 repeats")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
