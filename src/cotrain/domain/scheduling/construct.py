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
  system of order 21 (7-3-10) in well under a second.

Both return rounds as lists of groups of person indices ``0..n-1``.
"""

from __future__ import annotations

import itertools
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
    """
    if groups < 1 or n % groups or rounds < 2:
        return None
    s = n // groups
    if s < 2:
        return None
    shapes = _starter_shapes(n, groups, rounds)
    per_shape = max(1000, node_budget // max(1, len(shapes)))
    for k, m, f, b, t in shapes:
        if should_stop():
            return None
        found = _starter_cover(k, m, f, s, b, t, rng, per_shape, should_stop)
        if found is not None:
            return found[:rounds]
    return None


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


_Cand = tuple[int, int, tuple[int, ...]]  # (points bit mask, pairs bit mask, block)


def _starter_cover(
    k: int, m: int, f: int, s: int, b: int, t_count: int, rng: random.Random,
    budget: int, should_stop: Callable[[], bool],
) -> list[list[list[int]]] | None:
    """Exact cover: ``b`` starter rounds (partitions of the points into blocks of ``s``)
    whose translates ``0..t_count-1`` never put a pair together twice.

    Each candidate block carries the bit mask of every pair its translates cover; the search
    picks the (starter, point) with the fewest compatible blocks left and passes filtered
    candidate lists down (forward checking), so that dead ends show early.
    """
    n = k * m + f
    fixed0 = k * m

    def shift(p: int, t: int) -> int:
        return p if p >= fixed0 else (p // m) * m + (p % m + t) % m

    cands: list[_Cand] = []
    for block in itertools.combinations(range(n), s):
        if sum(1 for p in block if p >= fixed0) > (1 if t_count > 1 else s):
            continue
        mask = 0
        ok = True
        for t in range(t_count):
            moved = [shift(p, t) for p in block]
            for i in range(s):
                a = moved[i]
                for j in range(i + 1, s):
                    c = moved[j]
                    bit = 1 << (a * n + c if a < c else c * n + a)
                    if mask & bit:
                        ok = False
                        break
                    mask |= bit
                if not ok:
                    break
            if not ok:
                break
        if ok:
            pm = 0
            for p in block:
                pm |= 1 << p
            cands.append((pm, mask, block))
    rng.shuffle(cands)
    lists: dict[tuple[int, int], list[_Cand]] = {
        (j, p): [c for c in cands if c[0] >> p & 1] for j in range(b) for p in range(n)}
    chosen: list[list[tuple[int, ...]]] = [[] for _ in range(b)]
    nodes = [budget]

    def dfs(lists: dict[tuple[int, int], list[_Cand]]) -> bool:
        if not lists:
            return True
        nodes[0] -= 1
        if nodes[0] < 0 or ((nodes[0] & 7) == 0 and should_stop()):
            return False
        key = min(lists, key=lambda kk: len(lists[kk]))
        j = key[0]
        for pm, mask, block in lists[key]:
            sub: dict[tuple[int, int], list[_Cand]] = {}
            dead = False
            for (jj, p), cl in lists.items():
                if jj == j and pm >> p & 1:
                    continue
                if jj == j:
                    kept = [c for c in cl if not (c[0] & pm) and not (c[1] & mask)]
                else:
                    kept = [c for c in cl if not (c[1] & mask)]
                if not kept:
                    dead = True
                    break
                sub[(jj, p)] = kept
            if dead:
                continue
            chosen[j].append(block)
            if dfs(sub):
                return True
            chosen[j].pop()
            if nodes[0] < 0:
                return False
        return False

    if not dfs(lists):
        return None
    return [[[shift(p, t) for p in block] for block in chosen[j]]
            for j in range(b) for t in range(t_count)]
