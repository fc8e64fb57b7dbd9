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
    monkeypatch.setattr(phantoms, "PHANTOM_PASSES", 1)
    assert phantoms.phantom_plan(model, lb, 0, node_budget=2000) is None


def _fake_tries(monkeypatch, misses_per_try: int) -> list[str]:  # type: ignore[no-untyped-def]
    """Each try of a larger shape finds nothing and meets ``misses_per_try`` larger plans that
    no take-out fitted (the pass logic alone, without the searches)."""
    tries: list[str] = []

    def fake(model, bound, extra, rng, should_stop, node_budget, misses):  # type: ignore[no-untyped-def]
        tries.append(extra)
        misses[0] += misses_per_try
        return None

    monkeypatch.setattr(phantoms, "_with_extra", fake)
    return tries


SHAPES = ["elected", "prefect_delegate", "professional"]  # the added person, fewest first


def _five() -> tuple[_Model, int]:
    problem = cotraining(city_roles=CITIES_OF_5)
    return _Model(problem), bound_details(problem)[0]


def test_later_passes_retry_every_shape_when_take_outs_failed(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # the larger shapes have plans at their bound but no take-out fitted: every pass tries
    # the three larger shapes again (new random streams)
    model, lb = _five()
    monkeypatch.setattr(phantoms, "PHANTOM_PASSES", 3)
    monkeypatch.setattr(phantoms, "PHANTOM_MISSES", 1000)
    tries = _fake_tries(monkeypatch, 2)
    assert phantoms.phantom_plan(model, lb, 0) is None
    assert tries == SHAPES * 3


def test_later_passes_end_after_so_many_misses(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # pass 1 always runs whole (its plans are one pass's); the later ones end once
    # PHANTOM_MISSES larger plans were met that no take-out fitted
    model, lb = _five()
    monkeypatch.setattr(phantoms, "PHANTOM_PASSES", 4)
    monkeypatch.setattr(phantoms, "PHANTOM_MISSES", 5)
    tries = _fake_tries(monkeypatch, 2)
    assert phantoms.phantom_plan(model, lb, 0) is None
    assert tries == SHAPES  # 6 misses after pass 1: no later try
    monkeypatch.setattr(phantoms, "PHANTOM_MISSES", 9)
    tries = _fake_tries(monkeypatch, 2)
    assert phantoms.phantom_plan(model, lb, 0) is None
    assert tries == SHAPES + SHAPES[:2]  # 6, 8, then 10 >= 9


def test_no_later_pass_where_no_larger_shape_has_a_plan(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # the larger shapes' searches meet no plan at all: one pass only, whatever PHANTOM_PASSES,
    # so the cost where nothing is found stays one try per shape
    model, lb = _five()
    monkeypatch.setattr(phantoms, "PHANTOM_PASSES", 5)
    tries = _fake_tries(monkeypatch, 0)
    assert phantoms.phantom_plan(model, lb, 0) is None
    assert tries == SHAPES
    # and for real: no candidate allowed in the larger shapes' searches
    monkeypatch.undo()
    monkeypatch.setattr(phantoms, "PHANTOM_PASSES", 5)
    monkeypatch.setattr(phantoms.words, "MAX_CANDIDATES", 0)
    calls: list[str] = []
    real = phantoms._with_extra

    def counted(model, bound, extra, *args):  # type: ignore[no-untyped-def]
        calls.append(extra)
        return real(model, bound, extra, *args)

    monkeypatch.setattr(phantoms, "_with_extra", counted)
    assert phantoms.phantom_plan(model, lb, 0) is None
    assert calls == SHAPES

