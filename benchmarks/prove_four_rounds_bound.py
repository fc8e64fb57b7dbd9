"""Proof (by exhaustive branch and bound) that the reference programme's people over 4 rounds
need more repeats than counting says: 7 cities of 4 and 6 activists at 2 per group, 3 groups.

    python benchmarks/prove_four_rounds_bound.py              # the proof: 164 (about 2 min)
    python benchmarks/prove_four_rounds_bound.py --max-unmet 21   # 165 if none (over 15 min)
    python benchmarks/prove_four_rounds_bound.py --check      # cross-checks (about 2 min)

Every pair may meet here (a city of 4 has up to 2 people per group), so in every plan

    repeats = 4 rounds x (66 + 55 + 55) pair-meetings - 561 pairs + U = 143 + U

with U the pairs that never meet. The counting bound, 162, is U >= 19 (each city meets
inside once per round: 2 of its 6 pairs unmet; the 6 activists 12 meetings for 15 pairs; one
elected pair and one delegate pair, from the role spread). Roles are ignored below, which
only adds plans.

A person's plan is a word of 4 group indices; two people meet iff their words agree in some
round. Symmetries (group labels per round, round order, activist names) fix the activists to
one of the 21 classes of 4 perfect matchings of K6, round t's pairs in groups 0, 1, 2. A
city is a multiset of 4 words with 2-1-1 people per group in every round (70,308 cities);
its cost is its own unmet pairs plus its people's unmet activists, and two cities add their
unmet cross pairs. For each activist class the script searches every multiset of 7 cities in
increasing order with U <= --max-unmet and balanced groups (each round: the cities doubled in
a group are 3, 2, 2, as the sizes 12, 11, 11 say), cutting a branch as soon as U so far plus
the cheapest cities still possible exceeds the limit or a group has too many doubled cities.
None found: U > limit, so repeats >= 143 + limit + 1.

``--check`` reruns cases with known answers: Burnside's count of the activist classes; the
observation (also made on branch words) that under 4 matchings of the round-robin only 12
words meet all activists, 30 cities have no unmet pair beyond their forced 2 (counted twice,
two ways) and no two of them meet completely; with
fewer cities the search finds solutions whose U is recounted pair by pair, and the same ones
by a brute force over pairs of cities. Deterministic, standard library only, independent of
the engine's code.
"""

from __future__ import annotations

import argparse
import itertools
import time
from collections import Counter

import activist_matchings as matchings
from activist_matchings import PM

ROUNDS, GROUPS = 4, 3
WORDS = GROUPS**ROUNDS
N_CITIES = 7


def activist_classes() -> list[tuple[int, ...]]:
    return matchings.activist_classes(ROUNDS)


DIG, AGREE = matchings.word_tables(ROUNDS, GROUPS)


def all_cities() -> list[tuple[int, ...]]:
    columns = [c for c in itertools.product(range(GROUPS), repeat=4)
               if sorted(Counter(c).values()) == [1, 1, 2]]
    cities = {tuple(sorted(matchings.word([combo[t][i] for t in range(ROUNDS)]) for i in range(4)))
              for combo in itertools.product(columns, repeat=ROUNDS)}
    return sorted(cities)


CITIES = all_cities()
INSIDE = [sum(1 for a, b in itertools.combinations(c, 2) if not AGREE[a][b]) for c in CITIES]
DOUBLED = [[next(k for k in range(GROUPS) if [DIG[w][t] for w in c].count(k) == 2)
            for t in range(ROUNDS)] for c in CITIES]


def activist_words(cfg: tuple[int, ...]) -> list[int]:
    g = [[0] * ROUNDS for _ in range(6)]
    for t, m in enumerate(cfg):
        for k, (a, b) in enumerate(PM[m]):
            g[a][t] = g[b][t] = k
    return [matchings.word(row) for row in g]


def unmet(cfg: tuple[int, ...], sol: tuple[int, ...]) -> int:
    """U recounted from the words alone: every pair of people, round by round."""
    people = activist_words(cfg) + [w for c in sol for w in CITIES[c]]
    return sum(1 for x, y in itertools.combinations(people, 2) if not AGREE[x][y])


def doubled_caps(n_cities: int) -> list[int]:
    """Cities doubled per group in a round, from the balanced sizes (largest first)."""
    n = 4 * n_cities + 6
    q, r = divmod(n, GROUPS)
    return sorted((s - 2 - n_cities for s in [q + 1] * r + [q] * (GROUPS - r)), reverse=True)


def solutions(cfg: tuple[int, ...], n_cities: int, limit: int, *, balance: bool = True,
              first: bool = True, use_sum_bound: bool = True, roots: set[int] | None = None,
              ) -> tuple[list[tuple[int, tuple[int, ...]]], int]:
    """Multisets of ``n_cities`` cities with U <= limit (balanced groups when ``balance``;
    ``roots``: only sets whose first city is one of these, for the cross-checks)."""
    aw = activist_words(cfg)
    u_act = sum(1 for a, b in itertools.combinations(aw, 2) if not AGREE[a][b])
    vertex = [INSIDE[i] + sum(1 for w in c for a in aw if not AGREE[w][a])
              for i, c in enumerate(CITIES)]
    least = min(vertex)
    found: list[tuple[int, tuple[int, ...]]] = []
    nodes = 0
    if u_act + n_cities * least > limit:
        return found, nodes
    caps = doubled_caps(n_cities)
    top, n_top = caps[0], caps.count(caps[0])
    counts = [[0] * GROUPS for _ in range(ROUNDS)]
    chosen: list[int] = []
    miss_cache: dict[int, list[int]] = {}

    def misses(c: int) -> list[int]:  # per word: people of city c it never meets
        row = miss_cache.get(c)
        if row is None:
            row = [0] * WORDS
            for w in CITIES[c]:
                agree = AGREE[w]
                for y in range(WORDS):
                    if not agree[y]:
                        row[y] += 1
            miss_cache[c] = row
        return row

    def rec(cost: int, cands: list[tuple[int, int]]) -> bool:
        nonlocal nodes
        nodes += 1
        need = n_cities - len(chosen)
        if need == 0:
            if not balance or all(sorted(row, reverse=True) == caps for row in counts):
                found.append((cost, tuple(chosen)))
                return first
            return False
        budget = limit - cost
        if use_sum_bound:
            # the k-th copy of a city adds inc + k * (its pairs with each earlier copy:
            # twice its own unmet pairs), so take the cheapest need of those values
            smallest = sorted(cands, key=lambda x: x[1])[:need]
            extra = sorted(i + 2 * k * INSIDE[c] for c, i in smallest for k in range(need))
            if sum(extra[:need]) > budget:
                return False
        for idx, (c, inc) in enumerate(cands):
            if inc > budget or (roots is not None and not chosen and c not in roots):
                continue
            d = DOUBLED[c]
            ok = True
            for t in range(ROUNDS):
                row = counts[t]
                row[d[t]] += 1
                if balance and (row[d[t]] > top or sum(v == top for v in row) > n_top):
                    ok = False
            if ok:
                m, left = misses(c), budget - inc
                nxt = []
                for e, v in cands[idx:]:
                    w = CITIES[e]
                    v += m[w[0]] + m[w[1]] + m[w[2]] + m[w[3]]
                    if v <= left:
                        nxt.append((e, v))
                if need == 1 or nxt:
                    chosen.append(c)
                    stop = rec(cost + inc, nxt)
                    chosen.pop()
                    if stop:
                        for t in range(ROUNDS):
                            counts[t][d[t]] -= 1
                        return True
            for t in range(ROUNDS):
                counts[t][d[t]] -= 1
        return False

    rest = limit - u_act - (n_cities - 1) * least
    rec(u_act, [(c, v) for c, v in enumerate(vertex) if v <= rest])
    return found, nodes


def prove(limit: int) -> int:
    start = time.perf_counter()
    classes = activist_classes()
    print(f"{N_CITIES} cities of 4 + 6 activists, {ROUNDS} rounds: {len(classes)} activist "
          f"classes, {len(CITIES)} cities; repeats = 143 + U, counting bound 162 (U >= 19)")
    nodes = 0
    for cfg in classes:
        sols, k = solutions(cfg, N_CITIES, limit)
        nodes += k
        if sols:
            u, sol = sols[0]
            assert unmet(cfg, sol) == u
            print(f"found: activists {cfg}, cities {sol}, U = {u} (roles ignored)")
            print(f"{time.perf_counter() - start:.0f} s")
            return 1
    print(f"no plan with U <= {limit} ({nodes} search nodes): every plan has U >= "
          f"{limit + 1}, so repeats >= {143 + limit + 1}")
    print(f"{time.perf_counter() - start:.0f} s")
    return 0


def check() -> int:
    start = time.perf_counter()
    classes = activist_classes()
    assert matchings.burnside_count(ROUNDS) == len(classes) == 21
    print(f"activist classes: {len(classes)} (Burnside's count agrees); cities: {len(CITIES)}")
    assert Counter(INSIDE) == {2: 19440, 3: 38880, 4: 11340, 5: 648}
    # 4 matchings of the round-robin (3 activist pairs unmet): 12 words meet all activists
    # and no two cities with only their 2 forced unmet pairs meet completely (branch words
    # saw the same obstruction independently)
    round_robin = next(c for c in classes if len(set(c)) == 4
                       and len({e for m in c for e in PM[m]}) == 12
                       and unmet(c, ()) == 3)
    aw = activist_words(round_robin)
    perfect = [i for i, c in enumerate(CITIES)
               if INSIDE[i] == 2 and all(AGREE[w][a] for w in c for a in aw)]
    good = [w for w in range(WORDS) if all(AGREE[w][a] for a in aw)]
    again = 0  # the same cities counted from scratch over the words meeting all activists
    for combo in itertools.combinations_with_replacement(good, 4):
        if all(sorted(Counter(DIG[w][t] for w in combo).values()) == [1, 1, 2]
               for t in range(ROUNDS)):
            met = {(a, b) for t in range(ROUNDS) for a, b in itertools.combinations(range(4), 2)
                   if DIG[combo[a]][t] == DIG[combo[b]][t]}
            again += len(met) == 4
    assert len(good) == 12 and len(perfect) == again == 30, (len(good), len(perfect), again)
    assert all(any(not AGREE[x][y] for x in CITIES[i] for y in CITIES[j])
               for i in perfect for j in perfect)
    print("round-robin activists: 12 words meet them all, 30 cities with only their forced "
          "unmet pairs, no two meeting completely")
    # fewer cities, no balance: the search (with and without the sum bound) and a brute
    # force over pairs of cities agree, every set recounted from its words
    low = sorted(classes, key=lambda c: unmet(c, ()))[:2]
    total = 0
    for cfg in low:
        aw = activist_words(cfg)
        cheap = [i for i, c in enumerate(CITIES)  # first cities: every 50th of the cheap ones
                 if INSIDE[i] + sum(1 for w in c for a in aw if not AGREE[w][a]) <= 3]
        roots = set(cheap[::50])
        limit = unmet(cfg, ()) + 10
        sols, _ = solutions(cfg, 2, limit, balance=False, first=False, roots=roots)
        plain, _ = solutions(cfg, 2, limit, balance=False, first=False, roots=roots,
                             use_sum_bound=False)
        assert sols == plain
        mine = {s: u for u, s in sols if s[1] % 3 == 0}
        brute = {}
        for i in sorted(roots):
            for j in range(i + (-i) % 3, len(CITIES), 3):
                u = unmet(cfg, (i, j))
                if u <= limit:
                    brute[(i, j)] = u
        assert mine == brute, cfg
        total += len(brute)
    assert total > 0
    print(f"2 cities: the search with and without the sum bound and a brute force (first "
          f"city among the cheap ones, second every 3rd) agree on {total} sets")
    # 3 cities with the balance of 18 people (one doubled city per group and round)
    aw = activist_words(low[0])
    cheap = [i for i, c in enumerate(CITIES)
             if INSIDE[i] + sum(1 for w in c for a in aw if not AGREE[w][a]) <= 3]
    sols, _ = solutions(low[0], 3, unmet(low[0], ()) + 14, first=False, roots=set(cheap[::40]))
    assert sols and all(unmet(low[0], s) == u for u, s in sols)
    for _, sol in sols:
        for t in range(ROUNDS):
            assert sorted(DOUBLED[c][t] for c in sol) == [0, 1, 2]
    print(f"3 balanced cities: {len(sols)} sets, each recounted and balanced")
    print(f"checks passed, {time.perf_counter() - start:.0f} s")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-unmet", type=int, default=20)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args(argv)
    return check() if args.check else prove(args.max_unmet)


if __name__ == "__main__":
    raise SystemExit(main())
