"""The 6 activists at 2 per group in 3 groups, as the proof scripts see them: each round is a
perfect matching of K6 (its pairs in groups 0, 1, 2), and the activists' whole plan one of the
classes of multisets of matchings under renaming the activists (S6).

Shared by ``prove_cities_of_three_bound.py`` and ``prove_four_rounds_bound.py``; standard
library only, independent of the engine's code.
"""

from __future__ import annotations

import itertools


def perfect_matchings(vs: list[int]) -> list[tuple[tuple[int, int], ...]]:
    if not vs:
        return [()]
    a, out = vs[0], []
    for b in vs[1:]:
        rest = [x for x in vs if x not in (a, b)]
        out.extend(((a, b), *m) for m in perfect_matchings(rest))
    return out


PM = perfect_matchings(list(range(6)))  # 15
PM_INDEX = {frozenset(m): i for i, m in enumerate(PM)}
# each renaming of the activists as a permutation of the 15 matchings
IMAGES = [[PM_INDEX[frozenset(tuple(sorted((p[a], p[b]))) for a, b in m)] for m in PM]
          for p in itertools.permutations(range(6))]


def activist_classes(rounds: int) -> list[tuple[int, ...]]:
    """One representative per class of ``rounds``-multisets of matchings under S6."""
    seen: set[tuple[int, ...]] = set()
    reps = []
    for ms in itertools.combinations_with_replacement(range(len(PM)), rounds):
        if ms not in seen:
            seen |= {tuple(sorted(img[i] for i in ms)) for img in IMAGES}
            reps.append(ms)
    return reps


def burnside_count(rounds: int) -> int:
    """The number of those classes by Burnside's lemma (orbits = mean number of fixed
    multisets), a count independent of ``activist_classes``."""
    fixed = 0
    for img in IMAGES:
        seen, series = set(), [1] + [0] * rounds  # multisets of size k fixed by the renaming
        for i in range(len(PM)):
            if i in seen:
                continue
            length, j = 0, i
            while j not in seen:
                seen.add(j)
                j, length = img[j], length + 1
            series = [sum(series[k - length * m] for m in range(k // length + 1))
                      for k in range(rounds + 1)]
        fixed += series[rounds]
    assert fixed % len(IMAGES) == 0
    return fixed // len(IMAGES)


def word(letters: list[int], groups: int = 3) -> int:
    """A person's groups round by round (``letters``) as one integer, round 0 the lowest digit."""
    return sum(d * groups**t for t, d in enumerate(letters))


def word_tables(rounds: int, groups: int = 3) -> tuple[list[list[int]], list[list[bool]]]:
    """Every word of ``rounds`` letters: its letters, and for each pair whether the two words
    agree in some round (the two people meet)."""
    words = groups**rounds
    letters = [[(x // groups**t) % groups for t in range(rounds)] for x in range(words)]
    agree = [[any(a == b for a, b in zip(x, y, strict=True)) for y in letters] for x in letters]
    return letters, agree
