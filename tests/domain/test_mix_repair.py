"""A stop may cost repeats, never validity (tester's F3, F7), and long programmes are planned
as a repeated cycle (F1): work budgets only, no clock."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from cotrain.domain.scheduling import exchange, repair, words
from cotrain.domain.scheduling.mixing import (
    MixPerson,
    MixProblem,
    bound_details,
    solve_mix,
    validate_rounds,
)
from cotrain.domain.scheduling.search import _Model
from fixtures_mixing import NO_CLOCK

ROLES = ("elected", "professional", "professional", "delegate")


def _cities(cities: int, activists: int, groups: int, rounds: int = 5,
            keep_apart: tuple[tuple[str, str], ...] = ()) -> MixProblem:
    people = [MixPerson(f"c{c:02d}-{i}", role, f"v{c:02d}")
              for c in range(cities) for i, role in enumerate(ROLES)]
    people += [MixPerson(f"m{a:02d}", "activist") for a in range(activists)]
    return MixProblem(people=tuple(people), rounds=rounds, groups=groups,
                      min_per_group={"activist": 2}, keep_apart=keep_apart)


def _shuffled_round(model: _Model, rng: random.Random) -> list[int]:
    """A round keeping the role composition, people placed at random (cities broken)."""
    comp = model.composition(rng)
    assert comp is not None
    seats = [(k, r) for k, row in enumerate(comp) for r, c in enumerate(row) for _ in range(c)]
    grp = [-1] * model.n
    by_role: dict[int, list[int]] = {}
    for p in range(model.n):
        by_role.setdefault(model.role[p], []).append(p)
    for r, people in by_role.items():
        rng.shuffle(people)
        ks = [k for k, rr in seats if rr == r]
        for p, k in zip(people, ks, strict=True):
            grp[p] = k
    return grp


@pytest.mark.parametrize(("problem", "seed"), [
    (_cities(7, 8, 4), 0),
    (_cities(7, 8, 4), 1),
    (_cities(12, 12, 6, keep_apart=(("m00", "m01"), ("c00-0", "c01-0"), ("m02", "c03-1"))), 2),
    (_cities(30, 20, 10), 3),
])
def test_a_scrambled_round_is_repaired_role_counts_kept(problem: MixProblem, seed: int) -> None:
    model = _Model(problem)
    rng = random.Random(seed)
    grp = _shuffled_round(model, rng)
    before = Counter((grp[p], model.role[p]) for p in range(model.n))
    assert repair.round_penalty(model, grp) > 0
    left, spent = repair.repair_round(model, grp, rng)
    assert left == repair.round_penalty(model, grp) == 0
    assert 0 < spent <= repair.repair_work(model)
    assert Counter((grp[p], model.role[p]) for p in range(model.n)) == before


def test_a_dealt_round_keeps_the_rules_at_once() -> None:
    model = _Model(_cities(200, 200, 100, rounds=1))
    grp = repair.dealt_round(model, random.Random(0))
    assert sorted(Counter(grp).values()) == [10] * 100
    assert repair.round_penalty(model, grp) == 0


def test_a_repair_that_cannot_succeed_stops_on_its_budget() -> None:
    # five people kept apart in a ring cannot be split into 2 groups
    people = tuple(MixPerson(f"p{i}") for i in range(6))
    ring = tuple((f"p{i}", f"p{(i + 1) % 5}") for i in range(5))
    model = _Model(MixProblem(people=people, rounds=1, groups=2, keep_apart=ring))
    grp = [0, 0, 0, 1, 1, 1]
    left, spent = repair.repair_round(model, grp, random.Random(0), work=500)
    assert left == repair.round_penalty(model, grp) >= 1
    assert spent <= 500 + 20  # the last step's moves may pass the budget by a step


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_one_search_step_returns_a_valid_plan(seed: int) -> None:
    problem = _cities(7, 8, 4)
    result = solve_mix(problem, seed=seed, max_iterations=1, time_limit=600, clock=NO_CLOCK)
    assert result.stopped_by == "iteration_limit"
    assert result.violations == ()


def test_a_long_programme_is_a_repeated_cycle() -> None:
    # 8 people, 2 groups, 400 rounds: planned as a cycle of 50 rounds, repeated; every pair
    # meets, so the plan reaches the bound (repeats = pair-meetings - pairs)
    people = tuple(MixPerson(f"a{i}") for i in range(8))
    problem = MixProblem(people=people, rounds=400, groups=2)
    result = solve_mix(problem, seed=0, time_limit=600, clock=NO_CLOCK)
    assert len(result.rounds) == 400
    assert result.rounds[:50] == result.rounds[50:100] == result.rounds[350:]
    assert validate_rounds(problem, result.rounds) == []
    assert result.quality.repeats == bound_details(problem)[0] == 400 * 12 - 28
    assert result.stopped_by == "optimal"
    assert solve_mix(problem, seed=0, time_limit=600, clock=NO_CLOCK).rounds == result.rounds


def test_no_starter_search_where_repeats_are_forced(monkeypatch: pytest.MonkeyPatch) -> None:
    # 8 people in 2 groups of 4 over 3 rounds: at least 8 repeats (two rounds share pairs),
    # so repeat-free starter rounds cannot exist and are not searched for (their nodes cost
    # 9 of 16 CPU s on 60 people in 6 groups of 10)
    from cotrain.domain.scheduling import search

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("starter search run")

    monkeypatch.setattr(search, "starter_rounds", refuse)
    problem = MixProblem(people=tuple(MixPerson(f"a{i}") for i in range(8)), rounds=3, groups=2)
    result = solve_mix(problem, seed=1, time_limit=600, clock=NO_CLOCK)
    assert result.quality.repeats == result.quality.lower_bound == 8


def test_larger_instances_get_a_share_of_the_budgets() -> None:
    from cotrain.domain.scheduling import search

    small, large = _cities(9, 6, 3), _cities(10, 6, 3)  # 42 and 46 people
    assert search.work_budget(small) == search.WORK_BUDGET
    assert search.work_budget(large) == int(search.WORK_BUDGET * search.LARGE_SHARE)
    assert search.polish_moves(small) == words.polish_moves(42)
    # 46 people in 3 groups (15.3 a group, above 14): half, and 14 / 15.3 of that
    assert search.polish_moves(large) == int(words.polish_moves(46) * 0.5 * 14 * 3 / 46)
    hundreds = MixProblem(people=tuple(MixPerson(f"p{i}") for i in range(400)), rounds=5,
                          groups=4)  # groups of 100: a proposal costs 7 times as much
    assert search.polish_moves(hundreds) == int(words.polish_moves(400) * 0.5 * 14 / 100)


def test_a_phase_cut_by_the_clock_is_never_reported_as_work_limit(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # small budgets keep this cheap; the clock is a counter of its own calls
    from cotrain.domain.scheduling import search

    monkeypatch.setattr(search, "WORK_BUDGET", 20_000)
    monkeypatch.setattr(words, "POLISH_MOVES", 60_000)
    monkeypatch.setattr(exchange, "EXCHANGE_MOVES", 20_000)  # cities of 4 in 4 groups
    problem = _cities(7, 8, 4)
    calls = [0]

    def frozen() -> float:
        calls[0] += 1
        return 0.0

    whole = solve_mix(problem, seed=0, time_limit=10, clock=frozen)
    assert whole.stopped_by == "work_limit"
    total = calls[0]
    # the clock fires among the last reads (the annealing's, after the tabu search): the
    # plan may differ from the budget's, so it must not claim the budget ended it
    for fire_at in (total - 2, total - 10, total // 2):
        calls[0] = 0

        def late(fire_at: int = fire_at) -> float:
            calls[0] += 1
            return 0.0 if calls[0] < fire_at else 1e6

        result = solve_mix(problem, seed=0, time_limit=10, clock=late)
        assert result.stopped_by == "time_limit", fire_at
        assert result.violations == ()


def test_a_plan_at_the_bound_says_optimal_even_when_the_clock_fired() -> None:
    # 1,000 people in 250 groups of 4: the construction gives 8 rounds without a repeat;
    # a clock already past the limit must not turn that into "time_limit"
    people = tuple(MixPerson(f"p{i:04d}") for i in range(1000))
    problem = MixProblem(people=people, rounds=8, groups=250)
    ticks = [0.0]

    def late() -> float:
        ticks[0] += 1.0
        return ticks[0]

    result = solve_mix(problem, seed=0, time_limit=2, clock=late)
    assert result.quality.repeats == 0
    assert result.stopped_by == "optimal"
