"""Proof (by exhaustive branch and bound) that 6 cities of 4 with their roles spread need at
least 249 repeats: counting gives 246, the proof without roles 247 (prove_cities_bound.py).

    python benchmarks/prove_six_cities_roles_bound.py            # the proof (> 13 CPU min)
    python benchmarks/prove_six_cities_roles_bound.py --check    # cross-checks (~15 min)

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

*Other classes* (the round-robin, slack 2): ``slack_search`` (round 6), by cities. With the
activists fixed, U = U_A + the cities' costs (unmet internal pairs - 1 + unmet pairs with an
activist) + the unmet pairs between cities, so the costs and cross pairs share a slack of 2.
It lists every city of cost <= 2 (208,830: 4,320 of cost 0, the rest "defects"), numbers
their orbits under the 120 symmetries that keep the activists, and searches: plans of cost-0
cities whose first is its orbit's first city r (the others after r, orbit number >= r's);
plans with a defect whose first defect is its orbit's first city d, any further defects
(orbit number >= d's, costs within the slack) and then cost-0 cities. Cost-0 cities are
chosen by bit sets: for k = 0..slack the cities whose cross unmet pairs with those chosen
add up to <= k (bit-sliced counters), within 2 doubled cities per group and round. Every
set found is tried against the role spread (every labelling, as above). The first version's
word-by-word search (``search``, kept for the checks) did not end in 19 CPU minutes.

Result: see BENCHMARKS.md ("Proven bounds for the neighbours", 6 cities with roles): what
ran to the end and what it found.

``--check`` reruns cases with known answers: the 52 classes (Burnside's count), the 3 classes
within the limit, the 7 orbits of words under the round-robin's symmetries; the 233,280
perfect cities (prove_cities_bound.py's count) and, under the round-robin, no 6 of them
meeting completely (its 247); under the two classes with U_A = 2, sets of perfect cities at
U = 8 with the roles free (248, as the engine finds without roles), one rebuilt as groups and
recounted pair by pair; with 2 cities, the search with the look-ahead on and off and with and
without the activists' symmetries agree; ``slack_search`` with and without its symmetry cut
(2 cities, roles free) and against the word search (2 cities, roles spread) finds the same
orbits; its 6-city plans at U <= 8 with the roles free are each recounted pair by pair.
Deterministic; standard library only; independent of the engine's code.
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
    images = symmetry_images(cfg)
    return [min(image[x] for image in images) for x in range(WORDS)]


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


def admits_roles(city_words: list[tuple[int, ...]], n_cities: int = 6) -> bool:
    """Whether each city's 4 words can be labelled (E, P, P, D) with 2 E, 2 D and 4 P in
    every group and round (for 6 cities; at most N/3, N/3, 2N/3 rounded up for N), every
    labelling tried, a branch cut at the first excess."""
    cap = {"E": -(-n_cities // GROUPS), "D": -(-n_cities // GROUPS),
           "P": -(-2 * n_cities // GROUPS)}
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


# ----------------------------------------------------------------- classes with slack
# (round 6) A plan as 6 cities, each a multiset of 4 words spread 2-1-1 in every round. With
# the activists fixed (U_A of their pairs never meet), U = U_A + sum over cities of (their
# unmet internal pairs + their unmet pairs with an activist) + the unmet pairs between two
# cities. Every city has at least one unmet internal pair, so with ``slack`` = limit - U_A - N
# a city's *cost* (unmet internal pairs - 1 + unmet pairs with activists) and the cross pairs
# share at most ``slack``. Cities of cost 0 (perfect, meeting every activist) are the bulk;
# the others ("defects") are few per plan (their costs add up).


def symmetry_images(cfg: tuple[int, ...]) -> list[list[int]]:
    """The symmetries that keep the activists' words, as maps word -> word (an order of the
    rounds with a renaming of the activists and new group labels in each round)."""
    pairs = [[frozenset(pr) for pr in PM[m]] for m in cfg]
    images = []
    for rho in itertools.permutations(range(ROUNDS)):
        for pi in itertools.permutations(range(6)):
            sigs = []
            for t in range(ROUNDS):
                image = [frozenset(pi[a] for a in pr) for pr in pairs[rho[t]]]
                if set(image) != set(pairs[t]):
                    break
                sigs.append([pairs[t].index(x) for x in image])
            else:
                images.append([sum(sigs[t][DIG[x][rho[t]]] * GROUPS**t for t in range(ROUNDS))
                               for x in range(WORDS)])
    return images


def cheap_cities(cfg: tuple[int, ...], slack: int) -> list[tuple[tuple[int, ...], int]]:
    """Every city (4 words, non-decreasing, 2-1-1 in every round) of cost <= ``slack`` under
    these activists, with its cost, in lexicographic order of words."""
    aw = activist_words(cfg)
    miss = [sum(1 for a in aw if not MEET[x] >> a & 1) for x in range(WORDS)]
    words = [x for x in range(WORDS) if miss[x] <= slack]
    out: list[tuple[tuple[int, ...], int]] = []
    count = [[0] * GROUPS for _ in range(ROUNDS)]
    chosen: list[int] = []

    def rec(start: int, internal: int, missed: int) -> None:
        if len(chosen) == 4:
            out.append((tuple(chosen), internal - 1 + missed))
            return
        for i in range(start, len(words)):
            x = words[i]
            m = missed + miss[x]
            if m > slack or any(count[t][DIG[x][t]] == 2 for t in range(ROUNDS)):
                continue
            u = internal + sum(1 for y in chosen if not MEET[x] >> y & 1)
            if max(u - 1, 0) + m > slack:  # internal pairs unmet only grow
                continue
            for t in range(ROUNDS):
                count[t][DIG[x][t]] += 1
            if len(chosen) < 3 or all(min(row) for row in count):  # 2-1-1, never 2-2-0
                chosen.append(x)
                rec(i, u, m)
                chosen.pop()
            for t in range(ROUNDS):
                count[t][DIG[x][t]] -= 1

    rec(0, 0, 0)
    return out


def doubled_groups(c: tuple[int, ...]) -> list[int]:
    return [next(k for k in range(GROUPS) if [DIG[x][t] for x in c].count(k) == 2)
            for t in range(ROUNDS)]


def cross_unmet(c: tuple[int, ...], d: tuple[int, ...]) -> int:
    return sum(1 for x in c for y in d if not MEET[x] >> y & 1)


def slack_search(cfg: tuple[int, ...], limit: int, n_cities: int = 6, roles: bool = True,
                 symmetric: bool = True) -> tuple[list[list[tuple[int, ...]]], int, int]:
    """Every plan with U <= ``limit`` under these activists, up to their symmetries, as lists
    of cities (each 4 words); with ``roles``, only those whose cities' words can be labelled
    (E, P, P, D) with the roles spread. Returns (plans, role-free plans seen, nodes).
    ``symmetric=False``: every orbit is its own city (the check's plain search).

    A plan is a set of cities of total cost + cross unmet pairs <= slack. Orbits of cities
    under the symmetries keeping the activists are numbered by their first city in the
    listing's order. Plans of cost-0 cities only: the city with the smallest orbit number is
    mapped to its orbit's first city r; the others are cost-0 cities after r whose orbit
    number is >= r's. Plans with defects: the defect with the smallest orbit number is mapped
    to its orbit's first city d; the other defects (a few, chosen among the defects whose
    orbit number is >= d's, cost + cross unmet pairs within the slack) and then the cost-0
    cities. The cost-0 cities are chosen by a search over bit sets: for each number k of
    unmet pairs, the cities whose cross unmet pairs with those chosen add up to <= k; with
    at most n_cities / 3 (rounded up) doubled cities per group and round, so that the groups
    balance (2 activists + a person of each city + the cities doubled there; N = 2, 3 or 6)."""
    n = n_cities
    assert n in (2, 3, 6)
    cap = -(-n // GROUPS)  # doubled cities per group and round
    aw = activist_words(cfg)
    u_a = sum(1 for a, b in itertools.combinations(aw, 2) if not MEET[a] >> b & 1)
    slack = limit - u_a - n
    if slack < 0:
        return [], 0, 0
    pool = cheap_cities(cfg, slack)
    zero = [c for c, k in pool if k == 0]
    defects = [(c, k) for c, k in pool if k > 0]
    images = symmetry_images(cfg) if symmetric else [list(range(WORDS))]

    def orbit_numbers(cities: list[tuple[int, ...]]) -> list[int]:
        index = {c: i for i, c in enumerate(cities)}
        number = [-1] * len(cities)
        for i, c in enumerate(cities):
            if number[i] < 0:
                for im in images:
                    number[index[tuple(sorted(im[x] for x in c))]] = i
        return number

    z_orbit = orbit_numbers(zero)
    d_orbit = orbit_numbers([c for c, _ in defects])
    nz, full = len(zero), (1 << len(zero)) - 1
    holding = [0] * WORDS  # the cost-0 cities holding each word
    for i, c in enumerate(zero):
        for y in c:
            holding[y] |= 1 << i

    def levels(c: tuple[int, ...]) -> list[int]:
        """For k = 0..slack, the cost-0 cities with <= k unmet pairs with city ``c`` (bit-
        sliced saturating counters over the cities)."""
        planes = [0] * (slack + 1)  # planes[j]: cities with > j unmet pairs with c
        for x in c:
            for y in NEVER[x]:
                carry = holding[y]
                for j in range(slack + 1):
                    if not carry:
                        break
                    carry, planes[j] = planes[j] & carry, planes[j] | carry
        return [full & ~p for p in planes]

    z_levels = [levels(c) for c in zero]
    z_doubled = [doubled_groups(c) for c in zero]
    doubled_in = [[0] * GROUPS for _ in range(ROUNDS)]
    for i, dg in enumerate(z_doubled):
        for t in range(ROUNDS):
            doubled_in[t][dg[t]] |= 1 << i
    plans: list[list[tuple[int, ...]]] = []
    seen = 0
    nodes = 0
    count = [[0] * GROUPS for _ in range(ROUNDS)]

    def add_doubled(dg: list[int], d: int) -> None:
        for t in range(ROUNDS):
            count[t][dg[t]] += d

    def balance_mask() -> int:
        mask = full
        for t in range(ROUNDS):
            for k in range(GROUPS):
                if count[t][k] >= cap:
                    mask &= ~doubled_in[t][k]
        return mask

    def merge(m: list[int], e: list[int]) -> list[int]:
        # total <= k after adding a city: <= k - j before and <= j with it
        out = []
        for k in range(slack + 1):
            acc = 0
            for j in range(k + 1):
                acc |= m[k - j] & e[j]
            out.append(acc)
        return out

    def leaf(cities: list[tuple[int, ...]]) -> None:
        nonlocal seen
        seen += 1
        if not roles or admits_roles(cities, n):
            plans.append(list(cities))

    def grow(fixed: list[tuple[int, ...]], chosen: list[int], m: list[int], used: int,
             need: int, after: int) -> None:
        nonlocal nodes
        nodes += 1
        if need == 0:
            leaf(fixed + [zero[i] for i in chosen])
            return
        cand = m[slack - used] & balance_mask() & ~((1 << (after + 1)) - 1)
        while cand:
            if cand.bit_count() < need:
                return
            v = (cand & -cand).bit_length() - 1
            cand &= cand - 1
            w = next(k for k in range(slack + 1) if m[k] >> v & 1)
            chosen.append(v)
            add_doubled(z_doubled[v], 1)
            grow(fixed, chosen, merge(m, z_levels[v]), used + w, need - 1, v)
            add_doubled(z_doubled[v], -1)
            chosen.pop()

    # plans of cost-0 cities only
    for r in range(nz):
        if z_orbit[r] != r:
            continue
        allowed = sum(1 << i for i in range(nz) if z_orbit[i] >= r)
        add_doubled(z_doubled[r], 1)
        grow([zero[r]], [], [x & allowed for x in z_levels[r]], 0, n - 1, r)
        add_doubled(z_doubled[r], -1)
    def more(fixed: list[tuple[int, ...]], used: int, start: int,
             others: list[tuple[tuple[int, ...], int]]) -> None:
        """Plans holding the defects ``fixed`` (and maybe more from ``others[start:]``)."""
        dg = [doubled_groups(c) for c in fixed]
        if any(sum(1 for g in dg if g[t] == k) > cap
               for t in range(ROUNDS) for k in range(GROUPS)):
            return
        m = [full] * (slack + 1)
        for c in fixed:
            m = merge(m, levels(c))
        for g in dg:
            add_doubled(g, 1)
        grow(fixed, [], m, used, n - len(fixed), -1)
        for g in dg:
            add_doubled(g, -1)
        for j in range(start, len(others)):
            e, k = others[j]
            extra = k + sum(cross_unmet(c, e) for c in fixed)
            if used + extra <= slack and len(fixed) < n:
                more(fixed + [e], used + extra, j + 1, others)

    # plans with defects
    for i, (d, cost) in enumerate(defects):
        if d_orbit[i] != i:
            continue
        strange = [sum(1 for x in d if not MEET[x] >> y & 1) for y in range(WORDS)]
        others = [(e, k) for j, (e, k) in enumerate(defects)
                  if cost + k <= slack and d_orbit[j] >= i and j != i
                  and cost + k + sum(strange[y] for y in e) <= slack] if cost < slack else []
        more([d], cost, 0, others)
    return plans, seen, nodes


def labelled(city_words: list[tuple[int, ...]]) -> list[int]:
    """The words of a role-feasible set of cities person by person, each city in the order
    (E, P, P, D) of ``CITY_ROLES`` (the first labelling that keeps the role spread)."""
    n = len(city_words)
    cap = {"E": -(-n // GROUPS), "D": -(-n // GROUPS), "P": -(-2 * n // GROUPS)}
    count = {r: [[0] * GROUPS for _ in range(ROUNDS)] for r in cap}
    out: list[int] = []

    def label(i: int) -> bool:
        if i == n:
            return True
        ws = city_words[i]
        for e, d in ((e, d) for e in range(4) for d in range(4) if e != d):
            ps = [j for j in range(4) if j not in (e, d)]
            order = [ws[e], ws[ps[0]], ws[ps[1]], ws[d]]
            for x, r in zip(order, CITY_ROLES, strict=True):
                for t in range(ROUNDS):
                    count[r][t][DIG[x][t]] += 1
            if all(v <= cap[r] for r in cap for row in count[r] for v in row):
                out.extend(order)
                if label(i + 1):
                    return True
                del out[-4:]
            for x, r in zip(order, CITY_ROLES, strict=True):
                for t in range(ROUNDS):
                    count[r][t][DIG[x][t]] -= 1
        return False

    assert label(0)
    return out


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
        plans, free, nodes = slack_search(cfg, limit)
        total_nodes += nodes
        print(f"  activists {cfg} (U_A = {u_a}, slack {limit - u_a - 6}): {free} plans with "
              f"the roles free (up to symmetry), {len(plans)} admit the roles, {nodes} nodes, "
              f"{time.perf_counter() - t0:.0f} s", flush=True)
        if plans:
            any_found = True
            people = activist_words(cfg) + labelled(plans[0])
            print(f"  one rebuilt as groups, recounted pair by pair: U = "
                  f"{recount(groups_of(people, 6), 6, True)}")
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
    # the round-robin class by cities (slack_search): the symmetry cut against the plain
    # search on 2 cities, and against the word search with the roles; every plan of 6 cities
    # at U <= 8 with the roles free recounted pair by pair, none admitting the roles
    images = symmetry_images(onef)

    def canon(plan: list[tuple[int, ...]]) -> tuple[tuple[int, ...], ...]:
        return min(tuple(sorted(tuple(sorted(im[x] for x in c)) for c in plan))
                   for im in images)

    a2, _, _ = slack_search(onef, 2, 2, roles=False)
    b2, _, _ = slack_search(onef, 2, 2, roles=False, symmetric=False)
    assert {canon(p) for p in a2} == {canon(p) for p in b2} and len(b2) > len(a2) > 0
    print(f"2 cities, U <= 2, roles free: {len(a2)} plans up to symmetry, {len(b2)} without "
          f"the cut, the same {len({canon(p) for p in a2})} orbits")
    a3, _, _ = slack_search(onef, 3, 2)
    old, _ = search(2, 3, onef, want=None, orbit_min=orbit_minima(onef))
    assert ({canon(p) for p in a3}
            == {canon([tuple(sorted(w[6 + 4 * c:10 + 4 * c])) for c in range(2)])
                for _, w in old})
    print(f"2 cities, U <= 3, roles spread: {len(a3)} plans by cities, the same orbits as "
          f"the word search's {len(old)}")
    free6, seen, _ = slack_search(onef, 8, 6, roles=False)
    assert len(free6) == seen > 0
    for plan in free6:
        assert recount(groups_of(activist_words(onef) + [x for c in plan for x in c], 6), 6,
                       False) <= 8
        assert not admits_roles(plan)
    print(f"6 cities, U <= 8, round-robin activists: {len(free6)} plans with the roles free "
          f"(up to symmetry), each recounted pair by pair (U <= 8), none admits the roles")
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
