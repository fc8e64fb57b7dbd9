"""The lower bound never exceeds the true optimum: tiny instances solved exhaustively.

Every plan of a tiny instance is listed (each round one of the valid partitions into
groups), its repeats counted, and the least compared with ``bound_details`` and with the
overlap (pigeonhole) bound alone (tester's F4: groups larger than their number)."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import pytest

from cotrain.domain.scheduling.mixing import (
    MixPerson,
    MixProblem,
    _overlap_bound,
    bound_details,
    group_sizes,
    validate_rounds,
)


def _partitions(people: list[str], sizes: list[int]) -> Iterator[tuple[tuple[str, ...], ...]]:
    """Every split of ``people`` into unordered groups of ``sizes``, each once: the first
    person's group (of each size in turn), then the rest."""
    if not sizes:
        yield ()
        return
    first, rest = people[0], people[1:]
    for size in sorted(set(sizes)):
        left_sizes = list(sizes)
        left_sizes.remove(size)
        for others in itertools.combinations(rest, size - 1):
            left = [p for p in rest if p not in others]
            for tail in _partitions(left, left_sizes):
                yield ((first, *others), *tail)


def _optimum(problem: MixProblem, *, symmetric: bool = False) -> int:
    """The fewest repeats of any valid plan (repeats = pair-meetings - pairs met);
    ``symmetric``: people are interchangeable, so the first round may be fixed."""
    one = MixProblem(people=problem.people, rounds=1, groups=problem.groups,
                     min_per_group=problem.min_per_group, keep_apart=problem.keep_apart)
    sizes = sorted(group_sizes(problem), reverse=True)
    ids = [p.id for p in problem.people]
    rounds = [frozenset(pair for group in part for pair in itertools.combinations(group, 2))
              for part in _partitions(ids, sizes) if not validate_rounds(one, [part])]
    assert rounds, "no valid round"
    total = problem.rounds * sum(s * (s - 1) // 2 for s in sizes)
    most = 0
    # rounds are unordered: non-decreasing indices list each plan once
    fixed = 1 if symmetric else 0
    for plan in itertools.combinations_with_replacement(range(len(rounds)),
                                                        problem.rounds - fixed):
        met = frozenset().union(*(rounds[i] for i in plan), *rounds[:fixed])
        most = max(most, len(met))
    return total - most


def _plain(n: int, groups: int, rounds: int) -> MixProblem:
    return MixProblem(people=tuple(MixPerson(f"p{i}") for i in range(n)), rounds=rounds,
                      groups=groups)


@pytest.mark.parametrize(("n", "groups", "rounds"), [
    (5, 2, 4), (6, 2, 3), (6, 2, 4), (6, 3, 4), (7, 2, 3), (7, 3, 3), (8, 2, 2), (8, 2, 3),
    (8, 4, 3), (9, 2, 3), (9, 3, 3),
])
def test_plain_bounds_never_exceed_the_optimum(n: int, groups: int, rounds: int) -> None:
    problem = _plain(n, groups, rounds)
    best = _optimum(problem, symmetric=True)
    assert _overlap_bound(group_sizes(problem), groups, rounds) <= best
    assert bound_details(problem)[0] <= best


def test_the_overlap_bound_is_reached_where_counting_pairs_is_not() -> None:
    # 8 people in 2 groups of 4 over 3 rounds: 36 pair-meetings, 28 pairs, so counting
    # gives 8; 6 people in 2 groups of 3 over 3 rounds: counting 3, overlaps 4, optimum 5
    assert _optimum(_plain(8, 2, 3)) == bound_details(_plain(8, 2, 3))[0] == 8
    assert bound_details(_plain(6, 2, 3))[0] == 4 <= _optimum(_plain(6, 2, 3))


def test_groups_larger_than_their_number_have_a_bound() -> None:
    # the tester's F4: 6 groups of 10 over 5 rounds, counting pairs gives 0; every two rounds
    # share at least 24 pairs (each group of 10 falls into 6 groups: 4 pairs meet again)
    assert bound_details(_plain(60, 6, 5)) == (96, False)
    uneven = MixProblem(people=tuple(MixPerson(f"p{i}") for i in range(37)), rounds=5,
                        groups=5)
    assert bound_details(uneven)[0] == 48


@pytest.mark.parametrize("problem", [
    # two roles of 3, spread over 2 groups (1 or 2 of each per group)
    MixProblem(people=tuple(MixPerson(f"p{i}", role="a" if i < 3 else "b") for i in range(6)),
               rounds=3, groups=2),
    # four cities of 2 in 2 groups: a city's two people never meet
    MixProblem(people=tuple(MixPerson(f"p{i}", city=f"c{i // 2}") for i in range(8)),
               rounds=3, groups=2),
    # pairs kept apart and a minimum per role
    MixProblem(people=tuple(MixPerson(f"p{i}", role="a" if i < 4 else None) for i in range(7)),
               rounds=3, groups=2, min_per_group={"a": 2},
               keep_apart=(("p4", "p5"), ("p0", "p6"))),
], ids=["roles", "cities", "apart"])
def test_bounds_with_rules_never_exceed_the_optimum(problem: MixProblem) -> None:
    assert bound_details(problem)[0] <= _optimum(problem)
