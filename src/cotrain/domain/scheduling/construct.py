"""Instant constructions for structured mixing problems (no search).

* ``grid_rounds``: the affine / Latin-square construction. People sit on a grid of ``s`` rows
  (roles) and ``q`` columns (cities), ``q`` a prime power >= s; in round ``t`` group ``k``
  holds person ``(i, k + x_i * t)`` (finite-field arithmetic, ``x_i`` distinct). Two people
  of different rows meet in exactly one of the ``q`` rounds, so the rounds are repeat-free;
  each group has one person per row. Round ``t = 0`` puts a whole column together (a city),
  which the caller drops when cities must be spread (MIXING.md: 28 people, 6 rounds).
* ``starter_rounds``: cyclic development of a few "starter" rounds (the design-theory
  method of Miller, Valkov and Abel): points ``Z_m x {0..k-1}`` plus ``f`` fixed points;
  starter ``j`` developed by ``t = 0..m-1`` gives rounds ``j*m + t`` (add ``t`` to every
  finite point). The starters are found by an exact-cover search (every point once per
  starter, no pair twice over all translates) with forward checking: Kirkman's schoolgirls
  (5-3-7), a nearly Kirkman triple system of order 18 (6-3-8), 7-3-9 and a Kirkman triple
  system of order 21 (7-3-10) in well under a second. It first tries the doubling
  construction of ``doubling.py`` (32 people in 8 groups of 4 for 10 rounds, 128 in 32
  groups of 4 for 42: a resolvable design lifted from two spreads of ``F_2^d`` by signs found
  as a linear system over ``F_2``).

* ``cyclic_rounds``: the same grid over the ring ``Z_cols`` when ``cols`` is no prime power
  (as many rounds as the ring allows, chosen greedily).

``starter_rounds`` returns rounds as lists of groups of person indices ``0..n-1``; the grids
return cells. Nothing here enumerates a combinatorial set (issue 12): every search counts
its nodes.
"""

from __future__ import annotations

import random
from collections.abc import Callable


def _prime_power(q: int) -> tuple[int, int] | None:
    if q < 2:
        return None
    for p in range(2, q + 1):
        if q % p == 0:
            k, v = 0, q
            while v % p == 0:
                v //= p
                k += 1
            return (p, k) if v == 1 else None
    return None


class _Field:
    """GF(p^k), elements 0..q-1 as base-p digit vectors (polynomial coefficients)."""

    def __init__(self, p: int, k: int) -> None:
        self.p, self.k, self.q = p, k, p**k
        self.modulus = self._irreducible() if k > 1 else None

    def _digits(self, a: int) -> list[int]:
        out = []
        for _ in range(self.k):
            a, d = divmod(a, self.p)
            out.append(d)
        return out

    def _number(self, digits: list[int]) -> int:
        v = 0
        for d in reversed(digits):
            v = v * self.p + d
        return v

    def add(self, a: int, b: int) -> int:
        if self.k == 1:
            return (a + b) % self.p
        pairs = zip(self._digits(a), self._digits(b), strict=True)
        return self._number([(x + y) % self.p for x, y in pairs])

    def _polymul_mod(self, a: list[int], b: list[int], mod: list[int]) -> list[int]:
        prod = [0] * (len(a) + len(b) - 1)
        for i, x in enumerate(a):
            for j, y in enumerate(b):
                prod[i + j] = (prod[i + j] + x * y) % self.p
        # reduce by monic modulus of degree k
        for i in range(len(prod) - 1, self.k - 1, -1):
            c = prod[i]
            if c:
                for j in range(self.k + 1):
                    prod[i - self.k + j] = (prod[i - self.k + j] - c * mod[j]) % self.p
        return (prod + [0] * self.k)[: self.k]

    def mul(self, a: int, b: int) -> int:
        if self.k == 1:
            return (a * b) % self.p
        assert self.modulus is not None
        return self._number(self._polymul_mod(self._digits(a), self._digits(b), self.modulus))

    def _irreducible(self) -> list[int]:
        p, k = self.p, self.k
        for tail in range(p**k):
            coeffs = []
            v = tail
            for _ in range(k):
                v, d = divmod(v, p)
                coeffs.append(d)
            poly = coeffs + [1]
            if coeffs[0] == 0:
                continue
            # irreducible iff no root-free factorisation: test x^(p^k) = x and gcd conditions
            # cheaply by brute force: no factor of degree <= k/2.
            if all(not self._divides(f, poly) for f in self._monic_polys(k // 2)):
                return poly
        raise ValueError("no irreducible polynomial")  # pragma: no cover

    def _monic_polys(self, max_deg: int) -> list[list[int]]:
        out = []
        for deg in range(1, max_deg + 1):
            for v in range(self.p**deg):
                coeffs = []
                for _ in range(deg):
                    v, d = divmod(v, self.p)
                    coeffs.append(d)
                out.append(coeffs + [1])
        return out

    def _divides(self, f: list[int], g: list[int]) -> bool:
        rem = list(g)
        df = len(f) - 1
        for i in range(len(rem) - 1, df - 1, -1):
            c = rem[i]
            if c:
                for j in range(df + 1):
                    rem[i - df + j] = (rem[i - df + j] - c * f[j]) % self.p
        return not any(rem[:df])


def grid_rounds(rows: int, cols: int) -> list[list[list[tuple[int, int]]]] | None:
    """``cols`` rounds of ``cols`` groups over the ``rows x cols`` grid, pairwise repeat-free.

    Returns ``None`` when ``cols`` is not a prime power at least ``rows``. Round ``t`` uses
    the field element ``t``; cells are ``(row, col)``.
    """
    pk = _prime_power(cols)
    if pk is None or rows > cols:
        return None
    fld = _Field(*pk)
    out = []
    for t in range(cols):
        groups = []
        for k in range(cols):
            groups.append([(i, fld.add(k, fld.mul(i, t))) for i in range(rows)])
        out.append(groups)
    return out


def cyclic_rounds(rows: int, cols: int, rounds: int) -> list[list[list[tuple[int, int]]]]:
    """Up to ``rounds`` pairwise repeat-free rounds of ``cols`` groups over the ``rows x cols``
    grid, for any ``cols`` (the ring ``Z_cols`` instead of a field): in round ``t`` group
    ``k`` holds ``(i, k + i * t mod cols)``. Two rounds ``t, t'`` share a pair iff
    ``(i - j)(t - t')`` is 0 mod ``cols`` for two rows, so the rounds are chosen greedily
    among ``t = 0, 1, ...`` avoiding that: all ``rounds`` when ``(rows - 1)(rounds - 1) <
    cols``, e.g. 300 people in 60 groups of 5 for 8 rounds, or 1,000 in 200 groups of 5.
    Cells are ``(row, col)``; work ``O(cols * rounds * rows)``."""
    if rows < 1 or cols < 1 or rounds < 1:
        return []
    chosen: list[int] = []
    for t in range(cols):
        if len(chosen) >= rounds:
            break
        if all(d * (t - u) % cols for u in chosen for d in range(1, rows)):
            chosen.append(t)
    return [[[(i, (k + i * t) % cols) for i in range(rows)] for k in range(cols)]
            for t in chosen]


def starter_rounds(
    n: int,
    groups: int,
    rounds: int,
    rng: random.Random,
    *,
    node_budget: int = 200000,
    should_stop: Callable[[], bool] = lambda: False,
) -> list[list[list[int]]] | None:
    """Repeat-free ``rounds`` for ``n`` people in ``groups`` equal groups, found by developing
    a few cyclic starter rounds; ``None`` when no starter is found within ``node_budget``.

    Shapes ``(k, m, f, b, T)``: points ``Z_m x {0..k-1}`` plus ``f`` fixed points, ``b``
    starter rounds each developed by the translates ``0..T-1`` (``b * T >= rounds``). One
    starter over ``Z_7 x 2 + 1`` gives Kirkman's schoolgirls (5-3-7); two starters over
    ``Z_4 x 4 + 2`` developed four times each give a nearly Kirkman triple system (6-3-8).

    Nothing is enumerated up front: the search builds blocks point by point (issue 12: the
    former version listed every possible group, 75 million for 100 people in groups of 5),
    so its work is the node budget whatever ``n``; it restarts with a new random order every
    ``RESTART_NODES`` nodes (short runs find these designs far more often than long ones).
    """
    if groups < 1 or n % groups or rounds < 2 or n > STARTER_MAX_PEOPLE:
        return None
    # the doubling construction first (32 people in groups of 4 for 10 rounds: no cyclic
    # starter is known to reach it); a few eliminations, nothing listed
    from cotrain.domain.scheduling.doubling import doubled_rounds

    doubled = doubled_rounds(n, groups, rounds, rng, should_stop=should_stop)
    if doubled is not None:
        return doubled
    s = n // groups
    if s < 2:
        return None
    shapes = _starter_shapes(n, groups, rounds)
    classes: dict[tuple[int, int, int], list[list[int]]] = {}
    if not shapes:
        return None
    # each shape, and each with a multiplier symmetry (rows rotated, ``x -> u*x``): symmetric
    # starters are far fewer, and the resolvable (28,4,1) and (40,4,1) designs behind 7-4-9
    # and 10-4-13 are found among them in a fraction of a second
    symmetric: list[tuple[int, int, int, int, int, int]] = []
    for k, m, f, b, t in shapes:
        symmetric.extend((k, m, f, b, t, u) for u in _multipliers(k, m, f))
    plain = [(k, m, f, b, t, 1) for k, m, f, b, t in shapes]
    # restarts go round the variants, the symmetric ones taking half of every round
    variants = symmetric * -(-len(plain) // max(1, len(symmetric))) + plain
    left = node_budget
    attempt = 0
    while left > 0:
        k, m, f, b, t, u = variants[attempt % len(variants)]
        attempt += 1
        if should_stop():
            return None
        spend = min(left, RESTART_NODES)
        if (k, m, f) not in classes:  # O(n^2): once per shape, not once per restart
            classes[(k, m, f)] = _difference_classes(k, m, f)
        found, used = _starter_search(k, m, f, s, b, rng, spend, should_stop, u,
                                      classes[(k, m, f)])
        left -= max(used, 1)
        if found is not None:
            fixed0 = k * m
            return [[[p if p >= fixed0 else (p // m) * m + (p % m + tt) % m for p in block]
                     for block in found[j]]
                    for j in range(b) for tt in range(t)][:rounds]
    return None


# Above this many people the starter search is not tried (its pair table grows with n^2;
# such instances are loose enough for the grids and the local search).
STARTER_MAX_PEOPLE = 300
# Nodes per restart of the starter search.
RESTART_NODES = 1000


def _starter_shapes(n: int, groups: int, rounds: int) -> list[tuple[int, int, int, int, int]]:
    """Cyclic shapes ``(k, m, f, b, T)`` with full orbits (``T == m``), fewest starters first.

    A full orbit makes the search a difference-family problem (each difference of the
    starters covers its whole orbit of pairs once), which is where solutions are known to
    live: ``(2, 7, 1, 1, 7)`` for 5-3-7, ``(4, 4, 2, 2, 4)`` for 6-3-8, ``(2, 9, 3, 1, 9)``
    for 7-3-9, ``(4, 5, 1, 2, 5)`` for 7-3-10 (a Kirkman triple system of order 21).
    """
    out = []
    for b in (1, 2, 3, 4):
        t = -(-rounds // b)
        if t < 2 or (b > 1 and b * (t - 1) >= rounds):
            continue
        for f in range(0, groups + 1):
            if (n - f) % t == 0 and n - f >= t:
                out.append(((n - f) // t, t, f, b, t))
    return out


def _multipliers(k: int, m: int, f: int) -> list[int]:
    """Units ``u != 1`` of ``Z_m`` with ``u^k = 1``: ``(x, r) -> (u*x, r+1)`` then maps the
    translates to translates and has order ``k`` (fixed points stay put, so at most one)."""
    if k < 2 or m < 3 or f > 1:
        return []
    from math import gcd

    return [u for u in range(2, m) if gcd(u, m) == 1 and pow(u, k, m) == 1]


def _difference_classes(k: int, m: int, f: int) -> list[list[int]]:
    """``cls[p][q]``: the orbit of the pair ``{p, q}`` under the translations of ``Z_m`` (an
    integer), or -1 when its translates would meet twice (two fixed points; two points of a
    row half the cycle apart). Two pairs of the starters in one orbit means a repeat."""
    n = k * m + f
    fixed0 = k * m
    ids: dict[tuple[int, ...], int] = {}
    cls = [[-1] * n for _ in range(n)]
    for p in range(n):
        for q in range(n):
            if p == q or (p >= fixed0 and q >= fixed0):
                continue
            key: tuple[int, ...]
            if p >= fixed0 or q >= fixed0:
                fp, o = (p, q) if p >= fixed0 else (q, p)
                key = (0, fp, o // m)
            else:
                rp, xp = divmod(p, m)
                rq, xq = divmod(q, m)
                if rp == rq:
                    d = (xq - xp) % m
                    d = min(d, m - d)
                    if 2 * d == m:
                        continue
                    key = (1, rp, d)
                else:
                    if rp > rq:
                        rp, rq, xp, xq = rq, rp, xq, xp
                    key = (2, rp, rq, (xq - xp) % m)
            cls[p][q] = ids.setdefault(key, len(ids))
    return cls


def _starter_search(
    k: int, m: int, f: int, s: int, b: int, rng: random.Random, budget: int,
    should_stop: Callable[[], bool], u: int = 1, cls: list[list[int]] | None = None,
) -> tuple[list[list[tuple[int, ...]]] | None, int]:
    """``b`` starter rounds (partitions of the points into blocks of ``s``) using every pair
    orbit at most once, and the nodes spent. Depth first: the lowest uncovered point's
    block is completed point by point, each new point checked against the orbits used.
    With ``u != 1`` the starters are invariant under ``sigma: (x, r) -> (u*x, r+1)``: each
    block comes with its images."""
    n = k * m + f
    fixed0 = k * m
    if cls is None:
        cls = _difference_classes(k, m, f)
    sigma = [p if p >= fixed0 or u == 1 else ((p // m + 1) % k) * m + (u * (p % m)) % m
             for p in range(n)]

    def orbit(block: list[int]) -> list[tuple[int, ...]]:
        out = [tuple(block)]
        if u == 1:
            return out
        first = set(block)
        nxt = tuple(sigma[p] for p in block)
        while set(nxt) != first:
            out.append(nxt)
            nxt = tuple(sigma[p] for p in nxt)
        return out
    full = (1 << n) - 1
    order = list(range(n))
    rng.shuffle(order)
    rank = {p: i for i, p in enumerate(order)}
    starters: list[list[tuple[int, ...]]] = [[] for _ in range(b)]
    nodes = [0]

    def fill(j: int, covered: int, used: int) -> bool:
        if j == b:
            return True
        if covered == full:
            return fill(j + 1, 0, used)
        p = next(x for x in order if not covered >> x & 1)
        cands = [q for q in order if not covered >> q & 1 and rank[q] > rank[p]
                 and cls[p][q] >= 0 and not used >> cls[p][q] & 1]

        def extend(block: list[int], bused: int, start: int) -> bool:
            nodes[0] += 1
            if nodes[0] > budget or ((nodes[0] & 1023) == 0 and should_stop()):
                return False
            if len(block) == s:
                orb = orbit(block)
                cov, us = covered, used
                for blk in orb:
                    for q in blk:
                        if cov >> q & 1:
                            return False
                        cov |= 1 << q
                    for i, a in enumerate(blk):
                        for q in blk[i + 1:]:
                            c = cls[a][q]
                            if c < 0 or us >> c & 1:
                                return False
                            us |= 1 << c
                starters[j].extend(orb)
                if fill(j, cov, us):
                    return True
                del starters[j][len(starters[j]) - len(orb):]
                return False
            if len(cands) - start < s - len(block):
                return False
            for i in range(start, len(cands)):
                q = cands[i]
                add = 0
                for x in block:
                    c = cls[x][q]
                    if c < 0 or (bused | add) >> c & 1:
                        break
                    add |= 1 << c
                else:
                    block.append(q)
                    if extend(block, bused | add, i + 1):
                        return True
                    block.pop()
                    if nodes[0] > budget:
                        return False
            return False

        return extend([p], used, 0)

    found = fill(0, 0, 0)
    return (starters if found else None), nodes[0]
