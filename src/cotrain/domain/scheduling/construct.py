"""Instant constructions for structured mixing problems (no search).

* ``grid_rounds``: the affine / Latin-square construction. People sit on a grid of ``s`` rows
  (roles) and ``q`` columns (cities), ``q`` a prime power >= s; in round ``t`` group ``k``
  holds person ``(i, k + x_i * t)`` (finite-field arithmetic, ``x_i`` distinct). Two people
  of different rows meet in exactly one of the ``q`` rounds, so the rounds are repeat-free;
  each group has one person per row. Round ``t = 0`` puts a whole column together (a city),
  which the caller drops when cities must be spread (MIXING.md: 28 people, 6 rounds).
* ``starter_rounds``: cyclic development of one "starter" round (the design-theory method of
  Miller, Valkov and Abel): points ``Z_m x {0..k-1}`` plus ``f`` fixed points; round ``t``
  adds ``t`` to every finite point. A small randomised backtracking search finds a starter
  whose ``w`` translates are repeat-free (Kirkman's schoolgirls, 6-3-8, 7-3-9, ...).

Both return rounds as lists of groups of person indices ``0..n-1``.
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
    one cyclic starter round; ``None`` when no starter is found within ``node_budget``."""
    if groups < 1 or n % groups or rounds < 2:
        return None
    s = n // groups
    if s < 2:
        return None
    shapes = []
    for f in range(0, groups + 1):
        for m in range(rounds, n - f + 1):
            if (n - f) % m == 0:
                shapes.append(((n - f) // m, m, f))
    # try shapes with more symmetry (fewer classes) first, a budget share each
    shapes.sort(key=lambda x: (x[0] * x[1] == n and x[0] > 1, x[0], x[2]))
    per_shape = max(1000, node_budget // max(1, len(shapes)))
    for k, m, f in shapes[:12]:
        for _attempt in range(3):
            if should_stop():
                return None
            found = _starter_search(k, m, f, s, rounds, rng, per_shape // 3)
            if found is not None:
                return found
    return None


def _starter_search(
    k: int, m: int, f: int, s: int, w: int, rng: random.Random, budget: int
) -> list[list[list[int]]] | None:
    n = k * m + f
    # point p < k*m is (x = p % m, cls = p // m); p >= k*m is a fixed point

    def raw_shift(p: int, t: int) -> int:
        if p >= k * m:
            return p
        return (p // m) * m + (p % m + t) % m

    used: set[int] = set()
    blocks: list[list[int]] = []
    assigned = [False] * n
    nodes = [budget]
    shuffled = list(range(n))
    rng.shuffle(shuffled)
    # fixed points first: they constrain most. The search works on ranks in this order, so
    # that "later members of a block come later in the order" is a plain comparison.
    shuffled.sort(key=lambda p: 0 if p >= k * m else 1)
    rank = {p: i for i, p in enumerate(shuffled)}
    inv = shuffled
    order = list(range(n))

    def shift(p: int, t: int) -> int:
        return rank[raw_shift(inv[p], t)]

    def pairs_of(p: int, block: list[int]) -> list[int] | None:
        keys = []
        for q in block:
            for t in range(w):
                a, b = shift(p, t), shift(q, t)
                key = a * n + b if a < b else b * n + a
                if key in used:
                    return None
                keys.append(key)
        if len(set(keys)) != len(keys):
            return None
        return keys

    def fill(block: list[int], added: list[list[int]]) -> bool:
        nodes[0] -= 1
        if nodes[0] < 0:
            return False
        if len(block) == s:
            blocks.append(list(block))
            if next_block():
                return True
            blocks.pop()
            return False
        cands = [p for p in order if not assigned[p] and p > block[-1]] if len(block) > 1 \
            else [p for p in order if not assigned[p] and p != block[0]]
        # canonical: members after the first are increasing in 'order' index
        for p in cands:
            keys = pairs_of(p, block)
            if keys is None:
                continue
            used.update(keys)
            assigned[p] = True
            block.append(p)
            if fill(block, added):
                return True
            block.pop()
            assigned[p] = False
            used.difference_update(keys)
            if nodes[0] < 0:
                return False
        return False

    def next_block() -> bool:
        first = next((p for p in order if not assigned[p]), None)
        if first is None:
            return True
        assigned[first] = True
        ok = fill([first], [])
        if not ok:
            assigned[first] = False
        return ok

    if not next_block():
        return None
    out = []
    for t in range(w):
        out.append([[inv[shift(p, t)] for p in b] for b in blocks])
    return out
