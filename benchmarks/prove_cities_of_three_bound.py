"""Proof (by exhaustive branch and bound) of the fewest repeats for a co-training of cities
of 3 people: 7 cities (one elected, one professional, one prefect's delegate each) and 6
activists, 3 groups, 5 rounds, at least 2 activists per group, roles and cities spread.

    python benchmarks/prove_cities_of_three_bound.py               # the proof: 216 (about 3 min)
    python benchmarks/prove_cities_of_three_bound.py --max-unmet 6  # also finds a plan at 216
    python benchmarks/prove_cities_of_three_bound.py --check        # cross-checks (about 1 min)

The shape forces everything but the words. Each group holds 9 people: 2 activists (6 held at
2 per group) and, since a city of 3 has at most one member per group, exactly one member of
every city. Members of one city never meet. So in every plan

    repeats = 5 rounds x 3 groups x C(9, 2) meetings - 330 pairs that may meet + U = 210 + U

where U counts the pairs that may meet and never do (activist pairs, activist-member pairs,
member pairs of different cities). The counting bound is 210 (U = 0).

A person's plan is a word of 5 group indices; two people meet iff their words agree in some
round. Symmetries (group labels per round, round order, activist names) fix the activists to
one of the 52 classes of 5 perfect matchings of K6, the pairs of round t in groups 0, 1, 2;
a city is 3 words disagreeing in every round: with its members relabelled so that round 0
reads 0, 1, 2, one of 6^4 = 1,296 cities. For each activist class the script lists every set
of 7 cities (repetition allowed) with U <= --max-unmet, by a depth-first search over cities in
increasing order: U so far plus, for the cities still to choose, the smallest possible
additions (each candidate's unmet pairs with the activists and the cities chosen; a city
taken j times adds 6 unmet pairs per copy pair), cut as soon as it exceeds the limit. Then
the roles: each found set is tried with every assignment of the 3 roles to each city's 3
members (a role of 7 people spread over 3 groups: 2 or 3 per group in every round).

Result (--max-unmet 5): ignoring roles the fewest unmet pairs are 4 (4 solutions, so without
the role rule the bound would be 214); none of them admits the role spread, and no solution
has 5: every plan with the roles spread has U >= 6, so **repeats >= 216**. With --max-unmet 6
the script also finds role-feasible solutions at 6, builds one plan and recounts its repeats
pair by pair: 216 is reached, the optimum.

``--check`` reruns smaller cases two ways (with and without the sum bound, which must find
the same solutions) and the known fact that under the 1-factorised activists at most 3 cities
meet each other and all activists completely. Deterministic; only the standard library;
independent of the engine's code.
"""

from __future__ import annotations

import argparse
import itertools
import time
from collections import Counter

import activist_matchings as matchings
from activist_matchings import PM

ROUNDS, GROUPS = 5, 3
WORDS = GROUPS**ROUNDS
S3 = list(itertools.permutations(range(3)))


def activist_classes() -> list[tuple[int, ...]]:
    """One representative per class of 5-multisets of perfect matchings of K6 under S6."""
    return matchings.activist_classes(ROUNDS)


DIG, AGREE = matchings.word_tables(ROUNDS, GROUPS)


def all_cities() -> list[tuple[int, int, int]]:
    out = []
    for ps in itertools.product(range(6), repeat=ROUNDS - 1):
        pis = [S3[0]] + [S3[k] for k in ps]
        out.append(tuple(matchings.word([pis[t][i] for t in range(ROUNDS)]) for i in range(3)))
    return out


CITIES = all_cities()


def cross_unmet() -> list[list[int]]:
    """E[c][d]: pairs (member of c, member of d) whose words never agree."""
    rows = []
    for c in CITIES:
        cnt = [0] * WORDS
        for w in c:
            row = AGREE[w]
            for y in range(WORDS):
                if not row[y]:
                    cnt[y] += 1
        rows.append([cnt[d[0]] + cnt[d[1]] + cnt[d[2]] for d in CITIES])
    return rows


def activist_words(cfg: tuple[int, ...]) -> list[int]:
    g = [[0] * ROUNDS for _ in range(6)]
    for t, m in enumerate(cfg):
        for k, (a, b) in enumerate(PM[m]):
            g[a][t] = g[b][t] = k
    return [matchings.word(row) for row in g]


def solutions(cfg: tuple[int, ...], n_cities: int, limit: int, edges: list[list[int]],
              use_sum_bound: bool = True) -> tuple[list[tuple[int, tuple[int, ...]]], int]:
    """Every multiset of ``n_cities`` cities with U <= limit under these activists."""
    aw = activist_words(cfg)
    u_act = sum(1 for a, b in itertools.combinations(aw, 2) if not AGREE[a][b])
    found: list[tuple[int, tuple[int, ...]]] = []
    nodes = 0
    if u_act > limit:
        return found, nodes
    vertex = [sum(1 for w in c for a in aw if not AGREE[w][a]) for c in CITIES]
    chosen: list[int] = []

    def rec(cost: int, cands: list[tuple[int, int]]) -> None:
        nonlocal nodes
        nodes += 1
        need = n_cities - len(chosen)
        if need == 0:
            found.append((cost, tuple(chosen)))
            return
        budget = limit - cost
        if use_sum_bound:
            smallest = sorted(i for _, i in cands)[:need]
            # j copies of one city cost j * inc + 6 * C(j, 2): inc, inc + 6, inc + 12, ...
            extra = sorted(i + 6 * k for i in smallest for k in range(need))
            if sum(extra[:need]) > budget:
                return
        for idx, (c, inc) in enumerate(cands):
            if inc > budget:
                continue
            row, left = edges[c], budget - inc
            nxt = [(d, v + row[d]) for d, v in cands[idx:] if v + row[d] <= left]
            if need > 1 and not nxt:
                continue
            chosen.append(c)
            rec(cost + inc, nxt)
            chosen.pop()

    rec(u_act, [(c, vertex[c]) for c in range(len(CITIES)) if vertex[c] <= limit - u_act])
    return found, nodes


def unmet(cfg: tuple[int, ...], sol: tuple[int, ...]) -> int:
    """U recounted from the words alone (round by round, no table)."""
    people = activist_words(cfg) + [w for c in sol for w in CITIES[c]]
    city = [None] * 6 + [k for k in range(len(sol)) for _ in range(3)]
    return sum(1 for i, j in itertools.combinations(range(len(people)), 2)
               if (city[i] is None or city[i] != city[j])
               and all(DIG[people[i]][t] != DIG[people[j]][t] for t in range(ROUNDS)))


def role_assignment(sol: tuple[int, ...]) -> list[tuple[int, int, int]] | None:
    """Roles r = 0, 1, 2 to each city's members so that every role has floor or ceil of its
    share (n_cities / 3) in every group and round; None when impossible."""
    n = len(sol)
    lo, hi = n // GROUPS, -(-n // GROUPS)
    cnt = [[[0] * 3 for _ in range(GROUPS)] for _ in range(ROUNDS)]
    out: list[tuple[int, int, int]] = []

    def place(p: tuple[int, int, int], city: tuple[int, int, int], delta: int) -> bool:
        ok = True
        for t in range(ROUNDS):
            for r in range(3):
                j = DIG[city[p[r]]][t]
                cnt[t][j][r] += delta
                ok &= cnt[t][j][r] <= hi
        return ok

    def rec(k: int) -> bool:
        if k == n:
            return all(lo <= cnt[t][j][r] for t in range(ROUNDS) for j in range(GROUPS)
                       for r in range(3))
        city = CITIES[sol[k]]
        for p in S3:
            out.append(p)
            if place(p, city, 1) and rec(k + 1):
                return True
            place(p, city, -1)
            out.pop()
        return False

    return list(out) if rec(0) else None


def build_plan(cfg: tuple[int, ...], sol: tuple[int, ...],
               roles: list[tuple[int, int, int]]) -> list[list[list[str]]]:
    """Rounds of groups of ids: ``cXX-r`` the member of city XX with role r, ``mXX``."""
    aw = activist_words(cfg)
    plan = []
    for t in range(ROUNDS):
        groups: list[list[str]] = [[] for _ in range(GROUPS)]
        for a, w in enumerate(aw):
            groups[DIG[w][t]].append(f"m{a:02d}")
        for c, (ci, p) in enumerate(zip(sol, roles, strict=True)):
            for r in range(3):
                groups[DIG[CITIES[ci][p[r]]][t]].append(f"c{c:02d}-{r}")
        plan.append(groups)
    return plan


def check_plan(plan: list[list[list[str]]], n_cities: int) -> int:
    """Recount a plan from its groups alone: every rule of the shape, then its repeats."""
    ids = sorted([f"c{c:02d}-{r}" for c in range(n_cities) for r in range(3)]
                 + [f"m{a:02d}" for a in range(6)])
    met: Counter[tuple[str, str]] = Counter()
    for groups in plan:
        assert sorted(x for g in groups for x in g) == ids
        for g in groups:
            assert sum(x.startswith("m") for x in g) == 2
            for c in range(n_cities):
                assert sum(x.startswith(f"c{c:02d}-") for x in g) == 1
            for r in range(3):
                k = sum(x.startswith("c") and x.endswith(f"-{r}") for x in g)
                assert n_cities // 3 <= k <= -(-n_cities // 3)
            for a, b in itertools.combinations(sorted(g), 2):
                met[(a, b)] += 1
    return sum(v - 1 for v in met.values())


def counting_bound(n_cities: int) -> int:
    size = n_cities + 2
    may_meet = (3 * n_cities + 6) * (3 * n_cities + 5) // 2 - 3 * n_cities
    return ROUNDS * GROUPS * size * (size - 1) // 2 - may_meet


def prove(n_cities: int, limit: int) -> int:
    start = time.perf_counter()
    classes = activist_classes()
    edges = cross_unmet()
    print(f"{n_cities} cities of 3 + 6 activists: {len(classes)} activist classes, "
          f"{len(CITIES)} cities, counting bound {counting_bound(n_cities)}")
    found: list[tuple[int, tuple[int, ...], tuple[int, ...]]] = []
    nodes = 0
    for cfg in classes:
        sols, k = solutions(cfg, n_cities, limit, edges)
        nodes += k
        found.extend((u, cfg, s) for u, s in sols)
    assert all(unmet(cfg, s) == u for u, cfg, s in found)
    by_u = Counter(u for u, _, _ in found)
    print(f"sets with U <= {limit}, roles ignored: {len(found)} {dict(sorted(by_u.items()))} "
          f"({nodes} search nodes)")
    feasible = [(u, cfg, s, r) for u, cfg, s in found if (r := role_assignment(s))]
    by_u_roles = Counter(u for u, _, _, _ in feasible)
    print(f"of which admit the role spread: {len(feasible)} {dict(sorted(by_u_roles.items()))}")
    bound = counting_bound(n_cities)
    low_free = min(by_u, default=limit + 1)
    low_roles = min(by_u_roles, default=limit + 1)
    print(f"roles ignored: U >= {low_free}, repeats >= {bound + low_free}"
          f"{' (reached by those sets)' if by_u else ''}")
    print(f"roles spread:  U >= {low_roles}, repeats >= {bound + low_roles}")
    if feasible:
        u, cfg, sol, roles = min(feasible)
        plan = build_plan(cfg, sol, roles)
        counted = check_plan(plan, n_cities)
        print(f"a plan with U = {u}, repeats recounted from its groups: {counted}")
        assert counted == bound + u
        for t, groups in enumerate(plan):
            print(f"  round {t + 1}: " + " | ".join(" ".join(g) for g in groups))
    print(f"{time.perf_counter() - start:.0f} s")
    return 0


def check() -> int:
    """Cross-checks on cases with a known answer."""
    start = time.perf_counter()
    classes = activist_classes()
    assert len(PM) == 15 and len(CITIES) == 1296 and len(set(CITIES)) == 1296
    count = matchings.burnside_count(ROUNDS)  # orbits = mean number of fixed multisets
    assert count == len(classes), (count, len(classes))
    print(f"activist classes: {len(classes)} (Burnside's count agrees)")
    # the 1-factorisation of K6 is one class: U_act = 0 only there
    onef = [c for c in classes if len(set(c)) == 5
            and len({e for m in c for e in PM[m]}) == 15]
    assert len(onef) == 1, onef
    edges = cross_unmet()
    assert all(edges[i][i] == 6 for i in range(len(CITIES)))
    assert all(edges[i][j] == edges[j][i] for i in range(0, 1296, 7) for j in range(1296))
    # under the 1-factorised activists: sets of k cities meeting all activists and each
    # other completely (U = 0), each recounted directly from its words
    aw = activist_words(onef[0])
    good = [i for i, c in enumerate(CITIES) if all(AGREE[w][a] for w in c for a in aw)]
    print(f"cities meeting all 1-factorised activists: {len(good)}")
    for k in range(3, 8):
        sols, _ = solutions(onef[0], k, 0, edges)
        for _, s in sols:
            assert unmet(onef[0], s) == 0
        print(f"  sets of {k} such cities meeting each other completely: {len(sols)}")
    # the activist classes that leave the fewest activist pairs unmet (the others are cut at
    # once for small limits, so they would check nothing)
    low = sorted(classes, key=lambda c: unmet(c, ()))[:4]
    print("activist pairs never met in the classes checked:", [unmet(c, ()) for c in low])
    # the sum bound only cuts: same solutions with and without it (2 and 3 cities)
    total = 0
    for n_cities, limit in ((2, 3), (3, 3)):
        for cfg in low:
            a, _ = solutions(cfg, n_cities, limit, edges, use_sum_bound=True)
            b, _ = solutions(cfg, n_cities, limit, edges, use_sum_bound=False)
            assert a == b, (cfg, n_cities, limit)
            total += len(a)
    print(f"sum bound on and off: the same {total} solutions")
    # small cases by brute force: 2 cities, every pair of cities, U recomputed from words
    total = 0
    for cfg in low:
        aw = activist_words(cfg)
        u_act = sum(1 for a, b in itertools.combinations(aw, 2) if not AGREE[a][b])
        brute = Counter()
        for i in range(0, 1296, 11):
            for j in range(i, 1296):
                words = [*CITIES[i], *CITIES[j]]
                u = u_act + sum(1 for x in words for a in aw if not AGREE[x][a])
                u += sum(1 for x in CITIES[i] for y in CITIES[j] if not AGREE[x][y])
                if u <= 4:
                    brute[(i, j)] = u
        sols, _ = solutions(cfg, 2, 4, edges)
        mine = {s: u for u, s in sols if s[0] % 11 == 0}
        assert mine == dict(brute), cfg
        total += len(mine)
    print(f"2 cities by brute force (every 11th first city): the same {total} solutions")
    print(f"checks passed, {time.perf_counter() - start:.0f} s")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cities", type=int, default=7)
    parser.add_argument("--max-unmet", type=int, default=5)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args(argv)
    if args.check:
        return check()
    return prove(args.cities, args.max_unmet)


if __name__ == "__main__":
    raise SystemExit(main())
