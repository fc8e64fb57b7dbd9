"""More activists than two per group (activists.py): the plan with two per group by the
structure, the other activists added by an exhaustive search over their groups."""

from __future__ import annotations

from cotrain.domain.scheduling import activists, words
from cotrain.domain.scheduling.mixing import repeats, solve_mix, validate_rounds
from cotrain.domain.scheduling.search import _Model, _to_ids
from fixtures_mixing import NO_CLOCK, cotraining, unmet_pairs


def test_eight_activists_from_the_reference_plan() -> None:
    # 7 cities of 4 + 8 activists (3-3-2 a round): the reference's 327 with 6 activists,
    # then 2 extras placed over 32 combinations; without the annealing: 372 (the local
    # search ended at 374-376)
    problem = cotraining(activists=8)
    model = _Model(problem)
    plan = activists.extra_plan(model, 0, lambda: False, 0)
    assert plan is not None
    rounds = _to_ids(model, plan)
    assert validate_rounds(problem, rounds) == []
    assert repeats(problem, rounds) == 372
    # the 6 activists of the smaller plan never meet twice; the 2 extras never meet
    assert ("act6", "act7") in unmet_pairs(problem, rounds)
    for groups in rounds:
        assert sorted(sum(pid.startswith("act") for pid in g) for g in groups) == [2, 3, 3]


def test_seven_activists_through_solve_mix(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # one extra, 2 ways a round; the annealing after it given a small budget
    monkeypatch.setattr(words, "POLISH_MOVES", 20_000)
    problem = cotraining(activists=7)
    result = solve_mix(problem, seed=0, time_limit=60.0, clock=NO_CLOCK)
    assert result.violations == ()
    assert result.quality.lower_bound == 347
    assert result.quality.repeats <= 350  # within 1 % of the counting bound
    assert result.stopped_by == "work_limit"


def test_shapes_it_does_not_fit_are_declined_at_once() -> None:
    # 2 activists per group (the structure itself), more than MAX_EXTRAS extras, a pair kept
    # apart, cities of 3 with 8 activists (no structured plan of the smaller shape)
    for problem in (cotraining(), cotraining(activists=10),
                    cotraining(activists=8, keep_apart=(("c0-0", "c1-0"),))):
        assert activists.extra_plan(_Model(problem), 0, lambda: False, 0) is None
    three = cotraining(activists=8, city_roles=("elected", "professional", "delegate"))
    assert activists.extra_plan(_Model(three), 0, lambda: False, 0) is None


def test_budgets_bound_it(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    model = _Model(cotraining(activists=8))
    monkeypatch.setattr(activists, "PLACE_NODES", 0)
    assert activists.extra_plan(model, 0, lambda: False, 0) is None
    monkeypatch.setattr(activists, "PLACE_NODES", 100_000)
    monkeypatch.setattr(activists, "BASE_NODES", 0)
    assert activists.extra_plan(model, 0, lambda: False, 0) is None
    # the clock (a safety net) ends it too
    assert activists.extra_plan(model, 0, lambda: True, 0) is None


def test_an_iteration_count_leaves_it_out(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # with --iterations the local search alone plans (the phase's plan would be thrown away)
    called = []
    monkeypatch.setattr(activists, "extra_plan", lambda *a, **k: called.append(1))
    result = solve_mix(cotraining(activists=8), seed=0, max_iterations=20, clock=NO_CLOCK)
    assert result.violations == () and result.stopped_by == "iteration_limit"
    assert called == []
