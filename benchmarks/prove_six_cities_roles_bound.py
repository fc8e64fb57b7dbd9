"""Proof (by exhaustive branch and bound) that 6 cities of 4 with their roles spread need at
least 249 repeats: counting gives 246, the proof without roles 247 (prove_cities_bound.py).

    python benchmarks/prove_six_cities_roles_bound.py            # the proof (10-30 min)
    python benchmarks/prove_six_cities_roles_bound.py --check    # cross-checks (a few min)

The shape (bench_engine.py's ``cotraining(cities=6)``): 6 cities of one elected (E), two
professionals (P) and one prefect's delegate (D); 6 activists (A); 3 groups of 10, 5 rounds;
at least 2 activists per group (so exactly 2); every role spread (E and D: 2 per group, P: 4)
and every city spread (2-1-1 over the groups). A person's plan is a word of 5 group indices;
two people meet iff their words agree in some round. The pair-meetings are fixed by the group
sizes, so

    repeats = 5 x 3 x C(10, 2) - C(30, 2) + U = 240 + U

with U the pairs (any two people, same city or not) that never meet. A city meets inside once
per round (2-1-1), 5 meetings for its 6 pairs: U >= 6 (246, counting). The claim: U >= 9, so
repeats >= 249 (248 would be within 1 % of counting).

Symmetries used (each maps plans to plans with the same U): the activists' names, the order of
the rounds and the group labels of each round put the activists in one of the 52 classes of 5
perfect matchings of K6 (activist_matchings.py; round t's pairs in groups 0, 1, 2). Only
classes whose activist pairs never met, U_A, leave U_A + 6 <= limit are searched: for limit
8 the round-robin (U_A = 0) and two classes with U_A = 2 (a pair of activists can never be
the only one unmet: the 5 matchings give every activist 5 meetings).

*Classes with no slack* (U_A + 6 = limit): every city must be perfect (its 5 internal
meetings on 5 different pairs) and every other pair meet. ``zero_slack`` lists the 233,280
perfect cities as sets of 4 words (prove_cities_bound.py's listing), keeps those meeting all
activists, links two when their 16 cross pairs meet, finds every set of 6 linked cities with
2 doubled cities per group and round, and tries every labelling of each city's words as (E,
P, P, D) against the role spread.

*Other classes* (the round-robin, slack 2): a depth-first search over people. The cities'
names make the elected's words non-decreasing (city 0 the smallest), and the two
professionals of a city are ordered by word; the symmetries that keep the activists' words
(120 for the round-robin) then make city 0's elected the smallest word of its orbit, and no
other elected's word lie in an orbit with a smaller word (choose, among the images of a plan
under those symmetries, one whose smallest elected word is smallest). People are placed in
this order: the 6 elected, the 6 delegates, then each city's two professionals; each gets a
word whose every round keeps its role within its share of the group (2, 2 or 4) and its city
within 2 people per group with enough people left to fill the city's empty groups. ``cost``
counts the placed pairs that never meet (internal pairs included). A branch is cut when cost
+ (cities with no unmet internal pair yet: each will get one) + (people still to place none
of whose allowed words meets everybody placed outside their city: each adds a different
unmet pair) exceeds the limit: lower bounds on disjoint sets of pairs still to come, and the
allowed words only shrink deeper in the tree, so a cut branch holds no plan within the limit.

Result: see BENCHMARKS.md ("Proven bounds for the neighbours", 6 cities with roles): what
ran to the end and what it found.

``--check`` reruns cases with known answers: the 52 classes (Burnside's count), the 3 classes
within the limit, the 7 orbits of words under the round-robin's symmetries; the 233,280
perfect cities (prove_cities_bound.py's count) and, under the round-robin, no 6 of them
meeting completely (its 247); under the two classes with U_A = 2, sets of perfect cities at
U = 8 with the roles free (248, as the engine finds without roles), one rebuilt as groups and
recounted pair by pair; with 2 cities, the search with the look-ahead on and off and with and
without the activists' symmetries agree. Deterministic; standard library only; independent
of the engine's code.
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
DIG = [[(x // GROUPS**t) % GROUPS for t in range(ROUNDS)] for x in range(WORDS)]
MEET = [sum(1 << y for y in range(WORDS) if any(DIG[x][t] == DIG[y][t] for t in range(ROUNDS)))
        for x in range(WORDS)]
NEVER = [[y for y in range(WORDS) if not MEET[x] >> y & 1] for x in range(WORDS)]
BY_DIGIT = [[sum(1 << x for x in range(WORDS) if DIG[x][t] == k) for k in range(GROUPS)]
            for t in range(ROUNDS)]
FULL = (1 << WORDS) - 1
CITY_ROLES = ("E", "P", "P", "D")  # person 6 + 4c + i of city c has role CITY_ROLES[i]


def activist_words(cfg: tuple[int, ...]) -> list[int]:
    return [matchings.word([next(j for j, pr in enumerate(PM[m]) if a in pr) for m in cfg])
            for a in range(6)]


def orbit_minima(cfg: tuple[int, ...]) -> list[int]:
    """For each word, the smallest word of its orbit under the symmetries that keep the
    activists' words (a renaming of the activists with an order of the rounds and new group
    labels in each round mapping every round's matching onto another's)."""
    pairs = [[frozenset(pr) for pr in PM[m]] for m in cfg]
    elements = []
    for rho in itertools.permutations(range(ROUNDS)):  # new round t is old round rho[t]
        for pi in itertools.permutations(range(6)):
            sigs = []
            for t in range(ROUNDS):
                image = [frozenset(pi[a] for a in pr) for pr in pairs[rho[t]]]
                if set(image) != set(pairs[t]):
                    break
                sigs.append([pairs[t].index(x) for x in image])  # old group j -> new group
            else:
                elements.append((rho, sigs))
    return [min(sum(sigs[t][DIG[x][rho[t]]] * GROUPS**t for t in range(ROUNDS))
                for rho, sigs in elements) for x in range(WORDS)]


def search(n_cities: int, limit: int, cfg: tuple[int, ...], roles: bool = True,
           look: bool = True, want: int | None = 1,
           orbit_min: list[int] | None = None) -> tuple[list[tuple[int, list[int]]], int]:
    """Every plan (up to ``want``) with U <= limit under these activists, as words per
    person (activists 0-5, then city c's people 6 + 4c + (E, P, P, D)); and the nodes.
    ``orbit_min`` (``orbit_minima(cfg)``): also use the symmetries keeping the activists:
    city 0's first person's word (the smallest of the firsts) is the smallest of its
    orbit, and no other first's word has an orbit with a smaller word."""
    n = 6 + 4 * n_cities
    role = ["A"] * 6 + (list(CITY_ROLES) if roles else ["M"] * 4) * n_cities
    city = [-1] * 6 + [c for c in range(n_cities) for _ in range(4)]
    count = Counter(role)
    cap = {r: -(-k // GROUPS) for r, k in count.items()}
    word = [-1] * n
    strangers = [0] * WORDS  # placed people whose word never agrees with each word
    per_role = {r: [[0] * GROUPS for _ in range(ROUNDS)] for r in count}
    per_city = [[[0] * GROUPS for _ in range(ROUNDS)] for _ in range(n_cities)]
    internal = [0] * n_cities  # unmet internal pairs counted so far
    left = [4] * n_cities

    def place(p: int, x: int, d: int) -> None:
        word[p] = x if d > 0 else -1
        for y in NEVER[x]:
            strangers[y] += d
        for t in range(ROUNDS):
            per_role[role[p]][t][DIG[x][t]] += d
            if city[p] >= 0:
                per_city[city[p]][t][DIG[x][t]] += d

    cost = 0
    for a, x in enumerate(activist_words(cfg)):
        cost += strangers[x]
        place(a, x, 1)
    if cost + n_cities > limit:
        return [], 0
    if roles:
        order = ([6 + 4 * c for c in range(n_cities)] + [9 + 4 * c for c in range(n_cities)]
                 + [6 + 4 * c + i for c in range(n_cities) for i in (1, 2)])
    else:
        order = [6 + 4 * c + i for c in range(n_cities) for i in (0, 3, 1, 2)]

    def allowed(p: int) -> int:
        r, c = role[p], city[p]
        after = left[c] - 1  # the city's people placed after p
        mask = FULL
        for t in range(ROUNDS):
            row, crow = per_role[r][t], per_city[c][t]
            zeros = crow.count(0)
            m = 0
            for k in range(GROUPS):
                if row[k] < cap[r] and crow[k] < 2 and zeros - (crow[k] == 0) <= after:
                    m |= BY_DIGIT[t][k]
            mask &= m
        first = 6 + 4 * c
        if p == first and c > 0 and word[first - 4] >= 0:  # cities by their first's word
            mask &= ~((1 << word[first - 4]) - 1)
        if p == first and orbit_min is not None:
            if c == 0:
                mask &= firsts
            elif word[6] >= 0:
                mask &= not_below[word[6]]
        if p == first + 2 and word[first + 1] >= 0:  # the two professionals in order
            mask &= ~((1 << word[first + 1]) - 1)
        return mask

    if orbit_min is not None:
        firsts = sum(1 << x for x in range(WORDS) if orbit_min[x] == x)
        not_below = [sum(1 << y for y in range(WORDS) if orbit_min[y] >= x)
                     for x in range(WORDS)]
    found: list[tuple[int, list[int]]] = []
    nodes = 0

    def rec(i: int, cost: int) -> bool:
        nonlocal nodes
        nodes += 1
        if i == len(order):
            found.append((cost, list(word)))
            return want is not None and len(found) >= want
        need = sum(1 for c in range(n_cities) if internal[c] == 0)
        extra = 0
        if look:
            outside = []
            for c in range(n_cities):
                m = FULL
                for q in range(n):
                    if word[q] >= 0 and city[q] != c:
                        m &= MEET[word[q]]
                outside.append(m)
            for q in order[i + 1:]:
                a = allowed(q)
                if not a:
                    return False
                if not a & outside[city[q]]:
                    extra += 1
            if cost + need + extra > limit:
                return False
        p = order[i]
        c = city[p]
        mask = allowed(p)
        while mask:
            x = (mask & -mask).bit_length() - 1
            mask &= mask - 1
            ins = sum(1 for q in range(6 + 4 * c, 10 + 4 * c)
                      if word[q] >= 0 and not MEET[x] >> word[q] & 1)
            still = need - (1 if internal[c] == 0 and ins else 0)
            if cost + strangers[x] + still + extra > limit:
                continue
            internal[c] += ins
            left[c] -= 1
            add = strangers[x]
            place(p, x, 1)
            stop = rec(i + 1, cost + add)
            place(p, x, -1)
            left[c] += 1
            internal[c] -= ins
            if stop:
                return True
        return False

    rec(0, cost)
    return found, nodes


# the pairs of a city's 4 people (the unmet one, by symmetry, is (0, 1) for the listing)
CITY_PAIRS = [(0, 2), (0, 3), (1, 2), (1, 3), (2, 3)]
S3 = list(itertools.permutations(range(GROUPS)))


def perfect_cities() -> list[tuple[int, ...]]:
    """Every city whose 5 internal meetings fall on 5 different pairs, as its 4 words
    (sorted): round t doubles pair order[t] in group double, the other two alone."""
    cities: set[tuple[int, ...]] = set()
    for order in itertools.permutations(range(ROUNDS)):
        for syms in itertools.product(range(len(S3)), repeat=ROUNDS):
            words = [[0] * ROUNDS for _ in range(4)]
            for t in range(ROUNDS):
                i, j = CITY_PAIRS[order[t]]
                k, m = (x for x in range(4) if x not in (i, j))
                double, single1, single2 = S3[syms[t]]
                words[i][t] = words[j][t] = double
                words[k][t], words[m][t] = single1, single2
            cities.add(tuple(sorted(matchings.word(w) for w in words)))
    return sorted(cities)


def zero_slack(cfg: tuple[int, ...], cities: list[tuple[int, ...]],
               sample: list[list[int]] | None = None) -> tuple[int, int]:
    """Classes whose activist pairs use all the slack (U_A + 6 = limit): every other pair
    must meet and every city be perfect (exactly one unmet internal pair). Lists the
    perfect cities meeting all activists, links two when their 16 cross pairs all meet,
    searches every set of 6 pairwise linked cities with exactly 2 doubled cities per group
    and round (8 city people per group), then every labelling of each city's 4 words as
    (E, P, P, D) with 2 E, 2 D and 4 P per group and round. Returns (role-free sets,
    sets admitting the roles); ``sample`` receives the first set's people as words."""
    aw = activist_words(cfg)
    allm = FULL
    for a in aw:
        allm &= MEET[a]
    good = [c for c in cities if all(allm >> x & 1 for x in c)]
    both = []
    for c in good:
        m = FULL
        for x in c:
            m &= MEET[x]
        both.append(m)
    n = len(good)
    holding = [0] * WORDS  # the good cities holding each word
    for j, d in enumerate(good):
        for y in d:
            holding[y] |= 1 << j
    adj = []
    for i in range(n):
        bad = 1 << i
        for y in range(WORDS):
            if not both[i] >> y & 1:
                bad |= holding[y]
        adj.append(((1 << n) - 1) & ~bad)

    def doubled(c: tuple[int, ...]) -> list[int]:
        return [next(k for k in range(GROUPS) if [DIG[x][t] for x in c].count(k) == 2)
                for t in range(ROUNDS)]

    dbl = [doubled(c) for c in good]
    counts = [[0] * GROUPS for _ in range(ROUNDS)]
    chosen: list[int] = []
    sets: list[list[int]] = []

    def extend(cand: int) -> None:
        if len(chosen) == 6:
            sets.append(list(chosen))
            return
        while cand:
            v = cand.bit_length() - 1
            cand &= ~(1 << v)
            if len(chosen) + 1 + cand.bit_count() < 6:
                return
            for t in range(ROUNDS):
                counts[t][dbl[v][t]] += 1
            if all(max(row) <= 2 for row in counts):
                chosen.append(v)
                extend(cand & adj[v])
                chosen.pop()
            for t in range(ROUNDS):
                counts[t][dbl[v][t]] -= 1

    extend((1 << n) - 1)
    if sets and sample is not None:
        sample.append(activist_words(cfg) + [x for v in sets[0] for x in good[v]])
    role_ok = sum(1 for st in sets if admits_roles([good[v] for v in st]))
    return len(sets), role_ok


def admits_roles(city_words: list[tuple[int, ...]]) -> bool:
    """Whether each city's 4 words can be labelled (E, P, P, D) with 2 E, 2 D and 4 P in
    every group and round (every labelling tried, a branch cut at the first excess)."""
    cap = {"E": 2, "D": 2, "P": 4}
    count = {r: [[0] * GROUPS for _ in range(ROUNDS)] for r in cap}
    labellings = [(e, d) for e in range(4) for d in range(4) if e != d]

    def label(i: int) -> bool:
        if i == len(city_words):
            return True
        for e, d in labellings:
            roles = ["P"] * 4
            roles[e], roles[d] = "E", "D"
            ok = True
            for x, r in zip(city_words[i], roles, strict=True):
                for t in range(ROUNDS):
                    count[r][t][DIG[x][t]] += 1
                    ok &= count[r][t][DIG[x][t]] <= cap[r]
            if ok and label(i + 1):
                return True
            for x, r in zip(city_words[i], roles, strict=True):
                for t in range(ROUNDS):
                    count[r][t][DIG[x][t]] -= 1
        return False

    return label(0)


def groups_of(words: list[int], n_cities: int) -> list[list[list[str]]]:
    """The plan as rounds of groups of ids: ``mA`` activists, ``cC-i`` city C's person i."""
    ids = [f"m{a}" for a in range(6)] + [f"c{c}-{i}" for c in range(n_cities) for i in range(4)]
    return [[[ids[p] for p, x in enumerate(words) if DIG[x][t] == k] for k in range(GROUPS)]
            for t in range(ROUNDS)]


def recount(plan: list[list[list[str]]], n_cities: int, roles: bool) -> int:
    """Check a plan's rules from its groups alone, and count its pairs that never meet."""
    people = [f"m{a}" for a in range(6)] + [f"c{c}-{i}" for c in range(n_cities)
                                            for i in range(4)]
    met: set[tuple[str, str]] = set()
    for groups in plan:
        assert sorted(x for g in groups for x in g) == sorted(people)
        sizes = [len(g) for g in groups]
        assert max(sizes) - min(sizes) <= 1
        for g in groups:
            assert sum(x.startswith("m") for x in g) == 2
            for c in range(n_cities):
                assert 1 <= sum(x.startswith(f"c{c}-") for x in g) <= 2
            if roles:
                for r in "EPD":
                    k = sum(x.startswith("c") and CITY_ROLES[int(x[-1])] == r for x in g)
                    share = n_cities * CITY_ROLES.count(r)
                    assert share // GROUPS <= k <= -(-share // GROUPS)
            met.update(itertools.combinations(sorted(g), 2))
    return sum(1 for pair in itertools.combinations(sorted(people), 2) if pair not in met)


def prove(limit: int) -> int:
    start = time.perf_counter()
    classes = matchings.activist_classes(ROUNDS)
    print(f"6 cities (E, P, P, D) + 6 activists, roles spread: looking for U <= {limit} "
          f"(repeats <= {240 + limit}) in the {len(classes)} activist classes")
    total_nodes = 0
    any_found = False
    cities: list[tuple[int, ...]] | None = None
    for cfg in classes:
        u_a = sum(1 for a, b in itertools.combinations(activist_words(cfg), 2)
                  if not MEET[a] >> b & 1)
        if u_a + 6 > limit:
            continue
        t0 = time.perf_counter()
        if u_a + 6 == limit:  # no slack: perfect cities, every other pair met
            if cities is None:
                cities = perfect_cities()
            free, with_roles = zero_slack(cfg, cities)
            any_found |= with_roles > 0
            print(f"  activists {cfg} (U_A = {u_a}, no slack): {free} sets of 6 perfect "
                  f"cities with roles free, {with_roles} admit the roles, "
                  f"{time.perf_counter() - t0:.0f} s", flush=True)
            continue
        found, nodes = search(6, limit, cfg, orbit_min=orbit_minima(cfg))
        total_nodes += nodes
        print(f"  activists {cfg} (U_A = {u_a}): {'a plan' if found else 'none'}, "
              f"{nodes} nodes, {time.perf_counter() - t0:.0f} s", flush=True)
        if found:
            any_found = True
            plan = groups_of(found[0][1], 6)
            print(f"  U = {found[0][0]}, recounted from the groups: {recount(plan, 6, True)}")
    print(f"{total_nodes} nodes, {time.perf_counter() - start:.0f} s")
    if any_found:
        print(f"a plan with U <= {limit} exists: repeats {240 + limit} may be reachable")
        return 1
    print(f"proved: U >= {limit + 1}, every plan of this shape has at least "
          f"{240 + limit + 1} repeats")
    return 0


def check() -> int:
    start = time.perf_counter()
    classes = matchings.activist_classes(ROUNDS)
    assert len(classes) == matchings.burnside_count(ROUNDS) == 52
    print("activist classes: 52 (Burnside's count agrees)")
    u_a = {cfg: sum(1 for a, b in itertools.combinations(activist_words(cfg), 2)
                    if not MEET[a] >> b & 1) for cfg in classes}
    assert sorted(u_a.values())[:3] == [0, 2, 2]
    onef = next(cfg for cfg in classes if u_a[cfg] == 0)
    assert len(set(orbit_minima(onef))) == 7  # 120 symmetries keep the round-robin
    cities = perfect_cities()
    assert len(cities) == 233_280  # prove_cities_bound.py's count
    free, _ = zero_slack(onef, cities)
    assert free == 0
    print("round-robin activists, perfect cities meeting everyone (U = 6): none, as "
          "prove_cities_bound.py --cities 6 says")
    for cfg in classes:
        if u_a[cfg] != 2:
            continue
        sample: list[list[int]] = []
        free, with_roles = zero_slack(cfg, cities, sample)
        print(f"activists {cfg}, U = 8 with perfect cities: {free} sets roles free, "
              f"{with_roles} with the roles")
        if sample:
            assert recount(groups_of(sample[0], 6), 6, False) == 8
            print("  one of them rebuilt as groups and recounted pair by pair: U = 8 (248)")
    for limit in (3,):
        a, _ = search(2, limit, onef, look=True, want=None)
        b, _ = search(2, limit, onef, look=False, want=None)
        c, _ = search(2, limit, onef, want=None, orbit_min=orbit_minima(onef))
        assert a == b and bool(a) == bool(c)
        print(f"2 cities, U <= {limit}: look-ahead on and off, with and without the "
              f"activists' symmetries, the same {len(a)} plans")
    print(f"checks passed, {time.perf_counter() - start:.0f} s")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-unmet", type=int, default=8)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args(argv)
    return check() if args.check else prove(args.max_unmet)


if __name__ == "__main__":
    raise SystemExit(main())
