"""The structured search (structured.py) on the reference programme's shape and its variants."""

from __future__ import annotations

import itertools
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cotrain.domain.scheduling import structured
from cotrain.domain.scheduling.mixing import (
    MixPerson,
    MixProblem,
    _meeting_counts,
    lower_bound,
    solve_mix,
    validate_rounds,
)
from cotrain.domain.scheduling.search import _Model, _to_ids
from cotrain.domain.scheduling.structured import shape_of, structured_rounds
from fixtures_mixing import NO_CLOCK, unmet_pairs

ROLES = ("elected", "professional", "professional", "prefect_delegate")


def programme(cities: int = 7, rounds: int = 5, keep_apart: tuple[tuple[str, str], ...] = (),
              roles: dict[int, tuple[str, ...]] | None = None) -> MixProblem:
    people = []
    for c in range(cities):
        for i, role in enumerate((roles or {}).get(c, ROLES)):
            people.append(MixPerson(f"c{c}-{i}", role, f"city{c}"))
    people += [MixPerson(f"act{i}", "activist") for i in range(6)]
    return MixProblem(tuple(people), rounds, 3, {"activist": 2}, keep_apart=keep_apart)


def test_reference_programme_reaches_its_proven_bound_on_every_seed() -> None:
    problem = programme()
    for seed in range(3):
        result = solve_mix(problem, seed=seed, time_limit=30.0, clock=NO_CLOCK)
        assert result.violations == ()
        assert result.quality.repeats == result.quality.lower_bound == 327
        assert result.stopped_by == "optimal"
        # the structure of the optimum: one pair per city and one more pair never meet,
        # the activists meet each other exactly once
        unmet = unmet_pairs(problem, result.rounds)
        same_city = {(a, b) for a, b in unmet if a.split("-")[0] == b.split("-")[0]}
        assert len(same_city) == 7 and len(unmet) == 8
        met = _meeting_counts(problem, result.rounds)
        for a, b in itertools.combinations([f"act{i}" for i in range(6)], 2):
            assert met[(a, b)] == 1


def test_every_seed_finds_the_optimum_with_half_the_node_budget() -> None:
    # the mechanism, not a lucky order: the branching on the most constrained slot needs
    # 5,200 to 6,900 nodes on seeds 0 to 19; half the default budget must still do
    model = _Model(programme())
    for seed in (0, 1, 2, 12, 19):
        plan = structured_rounds(model, 8, random.Random(seed), lambda: False,
                                 node_budget=structured.NODE_BUDGET // 2)
        assert plan is not None, seed
        rounds = _to_ids(model, plan)
        assert validate_rounds(model.problem, rounds) == []
        assert len(unmet_pairs(model.problem, rounds)) == 8


def test_same_seed_same_plan() -> None:
    problem = programme()
    first = solve_mix(problem, seed=7, time_limit=30.0, max_iterations=50, clock=NO_CLOCK)
    second = solve_mix(problem, seed=7, time_limit=30.0, max_iterations=50, clock=NO_CLOCK)
    assert first == second
    assert first.stopped_by == "optimal"  # found before any local-search step
    other = solve_mix(problem, seed=8, time_limit=30.0, clock=NO_CLOCK)
    assert other.quality.repeats == 327


def test_a_pair_kept_apart_inside_a_city_costs_nothing() -> None:
    # the pair takes the city's two people who never meet; the proof still gives 327
    problem = programme(keep_apart=(("c2-0", "c2-3"),))
    assert lower_bound(problem) == 327
    result = solve_mix(problem, seed=0, time_limit=30.0, clock=NO_CLOCK)
    assert result.violations == ()
    assert result.quality.repeats == 327
    assert ("c2-0", "c2-3") in unmet_pairs(problem, result.rounds)


def test_other_pairs_kept_apart_are_left_to_the_local_search() -> None:
    # an activist and a member of a city: the structure is not used, the rules still hold
    problem = programme(keep_apart=(("act0", "c3-1"),))
    model = _Model(problem)
    assert structured_rounds(model, 8, random.Random(0), lambda: False) is None
    result = solve_mix(problem, seed=0, time_limit=1.0, max_iterations=300, clock=NO_CLOCK)
    assert result.violations == ()
    assert ("act0", "c3-1") in unmet_pairs(problem, result.rounds)
    assert result.quality.repeats >= result.quality.lower_bound


def test_five_cities_reach_the_counting_bound() -> None:
    # 26 people in groups of 9/9/8: every pair that may meet does
    problem = programme(cities=5)
    result = solve_mix(problem, seed=0, time_limit=30.0, clock=NO_CLOCK)
    assert result.violations == ()
    assert result.quality.repeats == result.quality.lower_bound
    assert len(unmet_pairs(problem, result.rounds)) == 5


def test_six_rounds_reach_the_counting_bound_by_one_covering_round() -> None:
    # the 5-round structure leaves 8 pairs unmet; a sixth round in which they all meet gives
    # 1,056 meetings - 561 pairs = 495, the bound (every pair meets): a proven optimum
    problem = programme(rounds=6)
    for seed in (0, 1, 12):
        result = solve_mix(problem, seed=seed, time_limit=30.0, clock=NO_CLOCK)
        assert result.violations == ()
        assert result.quality.repeats == result.quality.lower_bound == 495
        assert result.stopped_by == "optimal" and result.quality.lower_bound_proven
        assert unmet_pairs(problem, result.rounds) == set()


def test_shapes_outside_the_structure_are_declined() -> None:
    assert shape_of(_Model(programme(rounds=6))) is None  # more rounds than K6 has matchings
    people = programme().people[:-1]  # 5 activists
    assert shape_of(_Model(MixProblem(people, 5, 3, {"activist": 1}))) is None
    assert shape_of(_Model(MixProblem(programme().people, 5, 4, {"activist": 1}))) is None
    unequal = programme().people[1:]  # a city of 3
    assert shape_of(_Model(MixProblem(unequal, 5, 3, {"activist": 2}))) is None
    assert shape_of(_Model(programme())) is not None


def test_found_plans_leave_no_more_pairs_unmet_than_allowed() -> None:
    problem = programme()
    model = _Model(problem)
    plan = structured_rounds(model, 8, random.Random(3), lambda: False)
    assert plan is not None
    rounds = _to_ids(model, plan)
    assert validate_rounds(problem, rounds) == []
    assert len(unmet_pairs(problem, rounds)) <= 8
    # no plan leaves only the 7 city pairs unmet (the proof): asking for it finds nothing
    assert structured_rounds(model, 7, random.Random(0), lambda: False, node_budget=3000) is None


@settings(max_examples=6, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(compositions=st.lists(st.sampled_from([
    ROLES,
    ("elected", "professional", "prefect_delegate", "prefect_delegate"),
    ("elected", "elected", "professional", "prefect_delegate"),
    ("elected", "professional", "professional", "professional"),
]), min_size=7, max_size=7), apart=st.integers(min_value=-1, max_value=6))
def test_any_role_mix_gives_a_valid_plan(compositions: list[tuple[str, ...]], apart: int,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    # a small structured budget: role mixes the seating cannot fit would spend the default
    # (20,000 nodes) before the local search; validity is what this test is about
    monkeypatch.setattr(structured, "NODE_BUDGET", 3000)
    keep = (((f"c{apart}-0", f"c{apart}-1"),) if apart >= 0 else ())
    problem = programme(roles=dict(enumerate(compositions)), keep_apart=keep)
    result = solve_mix(problem, seed=0, time_limit=1.5, max_iterations=300, clock=NO_CLOCK)
    assert result.violations == ()
    assert result.quality.repeats >= result.quality.lower_bound
    for pair in keep:
        assert pair in unmet_pairs(problem, result.rounds)
