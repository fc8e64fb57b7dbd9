"""Plans from cities one person larger (phantoms.py): a person added to every city, the larger
shape solved at its bound by words.city_plan, the added people taken out again."""

from __future__ import annotations

from cotrain.domain.scheduling import phantoms
from cotrain.domain.scheduling.mixing import (
    bound_details,
    repeats,
    solve_mix,
    validate_rounds,
)
from cotrain.domain.scheduling.search import _Model, _to_ids
from fixtures_mixing import CITY_ROLES, NO_CLOCK, cotraining, unmet_pairs

CITIES_OF_5 = (*CITY_ROLES, "professional")  # elected, 3 professionals, delegate


def test_cities_of_five_reach_the_counting_bound() -> None:
    # 7 cities of 5 + 6 activists, 3 groups, 5 rounds: exactly 7 professionals per group in
    # every round; from cities of 6 (2-2-2, all 15 internal pairs met) one person taken out
    problem = cotraining(city_roles=CITIES_OF_5)
    result = solve_mix(problem, seed=0, time_limit=60.0, clock=NO_CLOCK)
    assert result.violations == ()
    assert result.quality.lower_bound == 480
    assert result.quality.repeats == repeats(problem, result.rounds) == 480
    assert result.stopped_by == "optimal"
    assert unmet_pairs(problem, result.rounds) == set()  # every pair meets, internal ones too


def test_the_plan_keeps_every_rule() -> None:
    problem = cotraining(city_roles=CITIES_OF_5)
    model = _Model(problem)
    lb, _ = bound_details(problem)
    plan = phantoms.phantom_plan(model, lb, 0)
    assert plan is not None
    rounds = _to_ids(model, plan)
    assert validate_rounds(problem, rounds) == []
    assert repeats(problem, rounds) == lb
    # each city spread 2-2-1 in every round, exactly 7 professionals in every group
    for groups in rounds:
        for group in groups:
            assert sum(1 for pid in group if pid.endswith(("-1", "-2", "-4"))) == 7


def test_shapes_it_does_not_fit_are_declined_at_once() -> None:
    # cities of 4 (4 + 1 is not a multiple of 3 groups), of 3, and a keep-apart rule
    for problem in (cotraining(), cotraining(city_roles=CITY_ROLES[:3]),
                    cotraining(city_roles=CITIES_OF_5, keep_apart=(("c0-0", "c1-0"),))):
        model = _Model(problem)
        lb, _ = bound_details(problem)
        assert phantoms.phantom_plan(model, lb, 0) is None


def test_taking_the_added_people_out_is_bounded(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # with no choice allowed, no larger plan can be taken back: nothing, rather than a search
    # that grows with the number of cities
    problem = cotraining(city_roles=CITIES_OF_5)
    model = _Model(problem)
    lb, _ = bound_details(problem)
    monkeypatch.setattr(phantoms, "TAKE_OUT_NODES", 0)
    assert phantoms.phantom_plan(model, lb, 0, node_budget=2000) is None
