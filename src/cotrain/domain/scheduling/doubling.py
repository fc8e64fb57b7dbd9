"""Doubling construction: ``2 * 2^d`` people in groups of ``2^e`` for ``2(2^d - 1)/(2^e - 1)``
rounds with no repeat (32 people in 8 groups of 4 for 10 rounds, the social golfer problem's
8-4-10; 128 in 32 groups of 4 for 42), the most rounds possible for these sizes. Groups of 4
only (``e = 2``): for groups of 8 (128 people, 18 rounds) no draw gave a solvable system.

The people are ``(x, b)``: a *letter* ``x`` of ``F_2^d`` and a *sign* ``b`` in ``{0, 1}``; the
two people of one letter never meet (each person meets all ``n - 2`` others but that twin,
exactly once). Method (a resolvable group divisible design of type ``2^(n/2)`` by lifting):

1. **Quotient.** The ``e``-dimensional subspaces ``W`` of a spread of ``F_2^d`` (Desarguesian:
   the multiples ``c * F_(2^e)`` in ``F_(2^d)``) cover every nonzero vector once; a second
   spread, the first's image by an invertible linear map that shares none of its subspaces,
   covers them once more. Each subspace gives a round of the letters, its cosets ``a + W``:
   every two letters share exactly two of these blocks.
2. **Signs.** A letter block ``B`` becomes two groups of people, ``{(x, s_x)}`` and
   ``{(x, 1 - s_x)}``. Two letters ``x, y`` then meet as ``(x, b), (y, b)`` or as ``(x, b),
   (y, 1 - b)`` depending on ``s_x + s_y``; they must do both once, so in the two blocks
   that hold them ``s_x + s_y`` differs: one equation over ``F_2`` per pair of letters. The
   system is solved by Gaussian elimination (bit sets); the linear map of step 1 is drawn
   again (by the caller's random generator, so a seed gives one plan) until it is solvable.

No combinatorial set is listed: the work is ``tries`` eliminations of a ``C(2^d, 2)``-row
system, counted, and ``should_stop`` is checked between rows.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from itertools import combinations

from cotrain.domain.scheduling.construct import _Field

# Linear maps drawn for the second spread before giving up.
DOUBLING_TRIES = 40
# Largest letter space tried (``2^d`` letters: 2 * 64 = 128 people).
DOUBLING_MAX_D = 6


def doubling_shape(n: int, groups: int, rounds: int) -> tuple[int, int] | None:
    """``(d, e)`` when ``n = 2 * 2^d`` people in ``groups`` groups of ``2^e`` (``e = 2``
    divides ``d``, ``d >= 4``) can have ``rounds`` repeat-free rounds by doubling; else ``None``."""
    if groups < 1 or n % groups or n % 2:
        return None
    s, v = n // groups, n // 2
    d, e = v.bit_length() - 1, s.bit_length() - 1
    if v != 1 << d or s != 1 << e or e != 2 or d % e or d < 4 or d > DOUBLING_MAX_D:
        return None
    if rounds > 2 * (v - 1) // (s - 1):
        return None
    return d, e


def doubled_rounds(
    n: int,
    groups: int,
    rounds: int,
    rng: random.Random,
    *,
    tries: int = DOUBLING_TRIES,
    should_stop: Callable[[], bool] = lambda: False,
) -> list[list[list[int]]] | None:
    """``rounds`` repeat-free rounds (groups of person indices ``0..n-1``; person ``2x + b`` is
    letter ``x``, sign ``b``) by the doubling construction, or ``None`` when the shape does not
    fit (see ``doubling_shape``) or no solvable second spread was drawn within ``tries``."""
    shape = doubling_shape(n, groups, rounds)
    if shape is None:
        return None
    d, e = shape
    v = 1 << d
    first = _spread(d, e)
    known = set(first)
    for _ in range(tries):
        if should_stop():
            return None
        cols = _invertible(d, rng)
        if cols is None:
            continue
        second = [frozenset(_apply(cols, x) for x in w) for w in first]
        if known.intersection(second):
            continue
        blocks: list[tuple[int, ...]] = []
        plan_blocks: list[list[int]] = []
        for w in first + second:
            seen: set[int] = set()
            ids = []
            for a in range(v):
                if a not in seen:
                    coset = tuple(sorted(a ^ x for x in w))
                    seen.update(coset)
                    ids.append(len(blocks))
                    blocks.append(coset)
            plan_blocks.append(ids)
        signs = _signs(blocks, should_stop)
        if signs is None:
            continue
        out = []
        for ids in plan_blocks[:rounds]:
            groups_ = []
            for bi in ids:
                sg = signs[bi]
                groups_.append([2 * x + b for x, b in zip(blocks[bi], sg, strict=True)])
                groups_.append([2 * x + 1 - b for x, b in zip(blocks[bi], sg, strict=True)])
            out.append(groups_)
        return out
    return None


def _spread(d: int, e: int) -> list[frozenset[int]]:
    """The Desarguesian spread of ``F_2^d`` by ``e``-dimensional subspaces (``e | d``)."""
    fld = _Field(2, d)
    q = 1 << d

    def power(x: int, k: int) -> int:
        r = 1
        for _ in range(k):
            r = fld.mul(r, x)
        return r

    sub = [x for x in range(q) if power(x, 1 << e) == x]  # the subfield F_(2^e)
    out: list[frozenset[int]] = []
    seen: set[frozenset[int]] = set()
    for c in range(1, q):
        w = frozenset(fld.mul(c, x) for x in sub)
        if w not in seen:
            seen.add(w)
            out.append(w)
    return out


def _apply(cols: list[int], x: int) -> int:
    r, i = 0, 0
    while x:
        if x & 1:
            r ^= cols[i]
        x >>= 1
        i += 1
    return r


def _invertible(d: int, rng: random.Random, draws: int = 64) -> list[int] | None:
    """The columns of a random invertible ``d x d`` matrix over ``F_2`` (``None`` if none of
    ``draws`` matrices is invertible; each is with probability above 0.28)."""
    for _ in range(draws):
        cols = [rng.randrange(1, 1 << d) for _ in range(d)]
        basis: dict[int, int] = {}
        for c in cols:
            while c:
                top = c.bit_length() - 1
                if top not in basis:
                    basis[top] = c
                    break
                c ^= basis[top]
        if len(basis) == d:
            return cols
    return None


def _signs(blocks: list[tuple[int, ...]], should_stop: Callable[[], bool],
           ) -> list[tuple[int, ...]] | None:
    """Signs ``s_x`` per block (the first letter's fixed to 0) such that the two blocks of
    every pair of letters give ``s_x + s_y`` different values; ``None`` if inconsistent."""
    var: dict[tuple[int, int], int] = {}
    holders: dict[tuple[int, int], list[int]] = {}
    for bi, blk in enumerate(blocks):
        for x in blk[1:]:
            var[(bi, x)] = len(var)
        for x, y in combinations(blk, 2):
            holders.setdefault((x, y), []).append(bi)
    nv = len(var)
    rhs = 1 << nv
    pivots: dict[int, int] = {}
    for count, ((x, y), held) in enumerate(holders.items()):
        if len(held) != 2:
            return None
        if count % 256 == 0 and should_stop():
            return None
        row = rhs
        for bi in held:
            for z in (x, y):
                idx = var.get((bi, z))
                if idx is not None:
                    row ^= 1 << idx
        low = row & (rhs - 1)
        while low:
            top = low.bit_length() - 1
            if top not in pivots:
                pivots[top] = row
                break
            row ^= pivots[top]
            low = row & (rhs - 1)
        else:
            if row:  # 0 = 1: no signs for this quotient
                return None
    value = [0] * nv
    for top in sorted(pivots):  # each pivot row holds its top bit and lower ones only
        row = pivots[top]
        b = row >> nv & 1
        rest = row & ((1 << top) - 1)
        while rest:
            low = rest & -rest
            b ^= value[low.bit_length() - 1]
            rest ^= low
        value[top] = b
    return [(0, *(value[var[(bi, x)]] for x in blk[1:])) for bi, blk in enumerate(blocks)]
