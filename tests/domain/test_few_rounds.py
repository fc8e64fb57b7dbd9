"""Co-training shapes over fewer rounds (3 or 4): the annealing stops at the bound, and
where it cannot reach it, it draws exactly as before (work budgets only, no clock)."""

from __future__ import annotations

import random

import pytest

import fixtures_mixing
from cotrain.domain.scheduling import search, words
from cotrain.domain.scheduling.mixing import (
    MixProblem,
    bound_details,
    repeats,
    solve_mix,
    validate_rounds,
)
from cotrain.domain.scheduling.search import _Model, _round_from_groups, _to_ids
from fixtures_mixing import NO_CLOCK

ROLES = ("elected", "professional", "professional", "delegate")


def start_plan(problem: MixProblem) -> tuple[_Model, list[list[int]]]:
    """A valid plan to anneal: the engine's start and a few tabu steps."""
    result = solve_mix(problem, seed=0, time_limit=60.0, max_iterations=30, clock=NO_CLOCK)
    assert not result.violations
    model = _Model(problem)
    plan = [_round_from_groups(model, groups) for groups in result.rounds]
    assert all(grp is not None for grp in plan)
    return model, plan  # type: ignore[return-value]


def test_the_annealing_stops_at_the_first_plan_at_the_bound() -> None:
    # 5 cities of 4 over 3 rounds: the counting bound (50) is reached by the annealing;
    # before, it went on to the end of its 2.5 million proposals (7 s of CPU in all)
    problem = fixtures_mixing.cotraining(5, ROLES, rounds=3)
    lb = bound_details(problem)[0]
    model, plan = start_plan(problem)
    assert repeats(problem, _to_ids(model, plan)) > lb
    target = search._unmet_target(model, plan, lb)
    best, unmet = words.polish(model, plan, list(range(3)), random.Random(0), 400_000,
                               target=target)
    rounds = _to_ids(model, best)
    assert validate_rounds(problem, rounds) == []
    assert unmet == target == words.unmet_pairs(model, best)
    assert repeats(problem, rounds) == lb  # the target is the bound, in unmet pairs


@pytest.fixture(scope="module")
def four_rounds() -> tuple[MixProblem, _Model, list[list[int]]]:
    problem = fixtures_mixing.cotraining(7, ROLES, rounds=4)
    return (problem, *start_plan(problem))


def test_a_target_never_reached_changes_nothing(
        four_rounds: tuple[MixProblem, _Model, list[list[int]]]) -> None:
    # 7 cities over 4 rounds: 21 pairs at least never meet (proven), so 0 is out of reach
    _, model, plan = four_rounds
    free = list(range(4))
    plain = words.polish(model, plan, free, random.Random(5), 20_000)
    for target in (-1, 0):
        assert words.polish(model, plan, free, random.Random(5), 20_000,
                            target=target) == plain


def test_unmet_target_counts_the_meetings_of_the_rounds_as_planned(
        four_rounds: tuple[MixProblem, _Model, list[list[int]]]) -> None:
    problem, model, plan = four_rounds
    rounds = _to_ids(model, plan)
    # repeats = meetings - pairs met: a plan with exactly the target's unmet pairs is at lb
    lb = repeats(problem, rounds)
    assert search._unmet_target(model, plan, lb) == words.unmet_pairs(model, plan)
    with_prior = MixProblem(problem.people, 4, 3, problem.min_per_group,
                            prior_meetings={("c0-0", "c1-0"): 1})
    assert search._unmet_target(_Model(with_prior), plan, lb) == -1


@pytest.mark.parametrize("cities", [7, 8])
def test_three_rounds_reach_the_bound_from_the_start(cities: int) -> None:
    # 3 rounds hold fewer meetings than pairs: the annealing of the start reaches the
    # counting bound before any tabu step (was: the whole tabu budget, then the annealing)
    problem = fixtures_mixing.cotraining(cities, ROLES, rounds=3)
    lb = bound_details(problem)[0]
    first = solve_mix(problem, seed=0, time_limit=60.0, clock=NO_CLOCK)
    assert first.stopped_by == "optimal" and first.iterations == 0
    assert first.quality.repeats == lb and first.violations == ()
    assert solve_mix(problem, seed=0, time_limit=60.0, clock=NO_CLOCK).rounds == first.rounds


def test_no_early_annealing_when_the_rounds_hold_more_meetings_than_pairs(
        four_rounds: tuple[MixProblem, _Model, list[list[int]]]) -> None:
    problem, model, plan = four_rounds
    rng = random.Random(1)
    state = rng.getstate()
    lb = bound_details(problem)[0]
    assert search._early_polish(model, plan, list(range(4)), rng, lb, lambda: False) is None
    assert rng.getstate() == state  # nothing drawn: the search after it is main's
