"""The doubling construction (doubling.py): repeat-free rounds for 2 * 2^d people."""

from __future__ import annotations

import itertools
import random

from cotrain.domain.scheduling.doubling import doubled_rounds, doubling_shape


def repeats(rounds: list[list[list[int]]], n: int, size: int) -> int:
    met: dict[tuple[int, int], int] = {}
    for groups in rounds:
        assert sorted(p for g in groups for p in g) == list(range(n))
        assert {len(g) for g in groups} == {size}
        for g in groups:
            for pair in itertools.combinations(sorted(g), 2):
                met[pair] = met.get(pair, 0) + 1
    return sum(v - 1 for v in met.values())


def test_32_people_in_fours_meet_everybody_but_their_twin_once() -> None:
    for seed in range(3):
        rounds = doubled_rounds(32, 8, 10, random.Random(seed))
        assert rounds is not None and len(rounds) == 10
        assert repeats(rounds, 32, 4) == 0
        # 10 rounds x 8 groups x 6 pairs = 480 = all 496 pairs but the 16 twins (2x, 2x + 1)
        met = {pair for groups in rounds for g in groups
               for pair in itertools.combinations(sorted(g), 2)}
        assert len(met) == 480
        assert not any((2 * x, 2 * x + 1) in met for x in range(16))


def test_128_people_in_fours_for_42_rounds() -> None:
    rounds = doubled_rounds(128, 32, 42, random.Random(0))
    assert rounds is not None and len(rounds) == 42
    assert repeats(rounds, 128, 4) == 0


def test_fewer_rounds_are_a_prefix_and_the_seed_decides_the_plan() -> None:
    full = doubled_rounds(32, 8, 10, random.Random(5))
    assert doubled_rounds(32, 8, 6, random.Random(5)) == full[:6]
    assert doubled_rounds(32, 8, 10, random.Random(5)) == full


def test_shapes_outside_the_construction_are_declined() -> None:
    assert doubling_shape(32, 8, 11) is None  # more rounds than 31 / 3 allow
    assert doubling_shape(36, 9, 5) is None  # 18 letters: not a power of two
    assert doubling_shape(24, 8, 5) is None  # groups of 3
    assert doubling_shape(128, 16, 18) is None  # groups of 8: no solvable draw known
    assert doubled_rounds(30, 6, 5, random.Random(0)) is None


def test_a_stop_request_ends_the_construction() -> None:
    assert doubled_rounds(32, 8, 10, random.Random(0), should_stop=lambda: True) is None
