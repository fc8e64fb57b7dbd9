"""Proof (by exhaustive search) that a co-training of N cities of 4 cannot reach its counting
bound over 5 rounds in 3 groups, for the N where that is so.

    python benchmarks/prove_cities_bound.py --cities 6      # also 5, 7 (the reference), 8, 9

The shape: N cities of 4 people spread 2-1-1 over 3 groups in every round, 6 activists
without a city, 2 per group, 5 rounds; 4N + 6 people in balanced groups. The counting bound
of ``lower_bound`` is ``5 * (pairs inside the groups of a round) - (all pairs) + N``: each
city meets internally once per round, so at least one of its 6 pairs never meets. Reaching
it needs exactly what ``prove_reference_bound.py`` lists for 7 cities:

1. the activists meet each other exactly once (a 1-factorisation of K6, unique up to
   isomorphism, so their groups can be fixed);
2. inside each city the 5 internal meetings fall on 5 different pairs;
3. every other pair meets (activist-member and members of different cities);
4. balanced groups: 2 activists + one person per city + the cities doubled in the group, so
   each round the doubled cities per group are N // 3 or N // 3 + 1, as the sizes say.

People are words of 5 group indices (they meet iff their words agree somewhere). The script
lists every city (4 words with 2.: 233,280), keeps those meeting all 6 activists (3.), links
two cities when all 16 cross pairs meet (3.), and searches every set of N pairwise linked
cities whose doubled groups stay within 4. (a depth-first search that cuts a branch as soon
as a round has too many doubled cities in one group). Roles are ignored, which only removes
plans. None found: the bound is the counting bound + 1 (``lower_bound`` adds it for N in
``PROVEN_CITIES`` of mixing.py). Found: the counting bound may be reachable (N = 5: it is).
Independent of the engine's code (only the standard library).
"""

from __future__ import annotations

import argparse
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


def counting_bound(n_cities: int) -> int:
    n = 4 * n_cities + 6
    q, r = divmod(n, GROUPS)
    sizes = [q + 1] * r + [q] * (GROUPS - r)
    return ROUNDS * sum(s * (s - 1) // 2 for s in sizes) - n * (n - 1) // 2 + n_cities


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cities", type=int, default=6)
    n_cities = parser.parse_args(argv).cities
    start = time.perf_counter()
    low, extra = divmod(n_cities, GROUPS)  # doubled cities per group and round: low or low+1
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
    n = len(good)
    adj = []
    for i, c in enumerate(good):
        both = (1 << WORDS) - 1
        for x in c:
            both &= agree[x]
        forbidden = ((1 << WORDS) - 1) & ~both
        adj.append(sum(1 << j for j in range(n) if j != i and not members[j] & forbidden))
    print(f"pairs of cities whose 16 cross pairs all meet: "
          f"{sum(a.bit_count() for a in adj) // 2}")

    def doubled(c: list[int]) -> list[int]:
        out = []
        for t in range(ROUNDS):
            ds = [dig[x][t] for x in c]
            out.append(next(k for k in range(GROUPS) if ds.count(k) == 2))
        return out

    dbl = [doubled(c) for c in good]
    cap = low + 1 if extra else low
    found = 0
    counts = [[0] * GROUPS for _ in range(ROUNDS)]

    def fits() -> bool:  # no group above its cap, and not too many groups at low + 1
        for row in counts:
            if max(row) > cap or (extra and sum(1 for v in row if v > low) > extra):
                return False
        return True

    def extend(size: int, cand: int) -> None:
        nonlocal found
        if size == n_cities:
            found += 1
            return
        while cand:
            v = cand.bit_length() - 1
            cand &= ~(1 << v)
            if size + 1 + cand.bit_count() < n_cities:
                return
            for t in range(ROUNDS):
                counts[t][dbl[v][t]] += 1
            if fits():
                extend(size + 1, cand & adj[v])
            for t in range(ROUNDS):
                counts[t][dbl[v][t]] -= 1
            if found:
                return

    extend(0, (1 << n) - 1)
    bound = counting_bound(n_cities)
    print(f"{n_cities} cities, {4 * n_cities + 6} people: counting bound {bound}; "
          f"a balanced set of {n_cities} pairwise linked cities: {'found' if found else 'none'}")
    print(f"{time.perf_counter() - start:.0f} s")
    if found:
        print(f"{bound} may be reachable")
        return 1
    print(f"proved: no plan of this shape has fewer than {bound + 1} repeats")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
