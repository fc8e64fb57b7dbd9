"""Plans from a neighbouring shape (neighbours.py): the structure solved with one city more or
fewer, then cities moved in by branch and bound."""

from __future__ import annotations

import itertools
import random

import pytest

from cotrain.domain.scheduling import neighbours, structured
from cotrain.domain.scheduling.mixing import (
    MixPerson,
    MixProblem,
    _meeting_counts,
    bound_details,
    repeats,
    solve_mix,
    validate_rounds,
)
from cotrain.domain.scheduling.search import _Model, _to_ids

ROLES = ("elected", "professional", "professional", "prefect_delegate")


def NO_CLOCK() -> float:  # noqa: N802 - a clock that never moves: results rest on work budgets
    return 0.0


def programme(cities: int, **kw: object) -> MixProblem:
    people = [MixPerson(f"c{c}-{i}", role, f"city{c}")
              for c in range(cities) for i, role in enumerate(ROLES)]
    people += [MixPerson(f"act{a}", "activist") for a in range(6)]
    return MixProblem(tuple(people), 5, 3, {"activist": 2}, **kw)  # type: ignore[arg-type]


def never_met(problem: MixProblem, rounds: object) -> int:
    met = _meeting_counts(problem, rounds)  # type: ignore[arg-type]
    ids = sorted(p.id for p in problem.people)
    return sum(1 for a, b in itertools.combinations(ids, 2) if not met.get((a, b)))


def test_eight_cities_end_within_one_percent_of_the_counting_bound() -> None:
    # 8 cities have no plan of the structure (proven: 416 > 415); 7 have one (327), and the
    # eighth city's words are nearly forced by the exact group sizes and role counts
    problem = programme(8)
    result = solve_mix(problem, seed=0, time_limit=60.0, clock=NO_CLOCK)
    assert result.violations == ()
    assert result.quality.lower_bound == 416
    assert result.quality.repeats == repeats(problem, result.rounds) <= 419
    assert result.stopped_by == "work_limit"  # the budgets, not the clock, ended it
    # the plan: 8 pairs inside the cities and 4 more never meet
    assert never_met(problem, result.rounds) == result.quality.repeats - 407


def test_a_city_moved_back_into_a_structured_plan_keeps_every_rule() -> None:
    problem = programme(7)
    model = _Model(problem)
    plan = structured.structured_rounds(model, 8, random.Random(0), lambda: False)
    assert plan is not None
    words = neighbours._Words(3, 5)
    moved = [p for p in range(model.n) if model.ids[p].startswith("c3-")]
    state = neighbours._Plan(model, words)
    for p in range(model.n):
        if p not in moved:
            state.put(p, sum(plan[t][p] * 3 ** t for t in range(5)))
    before = state.unmet()
    added = state.insert([moved], random.Random(1), neighbours.INSERT_NODES)
    assert added is not None
    rounds = _to_ids(model, state.rounds())
    assert validate_rounds(problem, rounds) == []
    # the counts are exact, and the city's old words were a candidate: no worse than before
    assert state.unmet() == before + added == never_met(problem, rounds) <= 8


def test_the_same_seed_gives_the_same_plan() -> None:
    model = _Model(programme(6))
    first = neighbours.neighbour_plan(model, random.Random(4))
    assert first is not None
    assert first == neighbours.neighbour_plan(model, random.Random(4))
    rounds = _to_ids(model, first[0])
    assert validate_rounds(model.problem, rounds) == []
    assert first[1] == never_met(model.problem, rounds)
    assert repeats(model.problem, rounds) == 240 + first[1] >= bound_details(model.problem)[0]


@pytest.mark.parametrize("problem", [
    programme(6, keep_apart=(("c0-0", "c1-0"),)),  # pairs kept apart: not handled here
    programme(6, spread_cities=False),
    MixProblem(tuple(MixPerson(f"p{i}") for i in range(30)), 5, 3),  # no city at all
], ids=["keep apart", "cities not spread", "plain"])
def test_shapes_it_does_not_handle_are_declined_before_any_search(
        problem: MixProblem, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_search(*_: object, **__: object) -> None:
        raise AssertionError("a structured search ran")

    monkeypatch.setattr(neighbours, "structured_rounds", no_search)
    assert neighbours.neighbour_plan(_Model(problem), random.Random(0)) is None
