"""Co-training shapes in 4 groups or more (exchange.py): the exchanges keep every rule and
bring the repeats down where no single swap is allowed; other shapes do not take the path."""

from __future__ import annotations

import random

import pytest
from tests.fixtures_mixing import CITY_ROLES, NO_CLOCK, cotraining

from cotrain.domain.scheduling import exchange, words
from cotrain.domain.scheduling.mixing import (
    MixPerson,
    MixProblem,
    repeats,
    solve_mix,
    validate_rounds,
)
from cotrain.domain.scheduling.search import _Model, _to_ids


def many_groups(groups: int = 4, cities: int = 8, activists: int = 8,
                city_roles: tuple[str, ...] = CITY_ROLES, rounds: int = 5) -> MixProblem:
    people = [MixPerson(f"c{c}-{i}", role, f"city{c}")
              for c in range(cities) for i, role in enumerate(city_roles)]
    people += [MixPerson(f"act{a}", "activist") for a in range(activists)]
    return MixProblem(tuple(people), rounds, groups, {"activist": 2})


def test_the_path_is_for_cities_held_to_one_person_per_group_in_many_groups() -> None:
    assert exchange.applies(_Model(many_groups()))  # cities of 4 in 4 groups
    assert exchange.applies(_Model(many_groups(5, 10, 10, (*CITY_ROLES, "professional"))))
    assert not exchange.applies(_Model(cotraining()))  # 3 groups: the reference's search
    assert not exchange.applies(_Model(many_groups(5, 10, 10)))  # cities of 4 in 5 groups
    three = ("elected", "professional", "prefect_delegate")
    assert not exchange.applies(_Model(many_groups(city_roles=three)))  # 0 or 1 per group
    people = many_groups().people
    apart = MixProblem(people, 5, 4, {"activist": 2}, keep_apart=(("c0-0", "c1-0"),))
    assert not exchange.applies(_Model(apart))


def test_exchanges_keep_every_rule_and_count_the_unmet_pairs_right() -> None:
    problem = many_groups()
    model = _Model(problem)
    start = solve_mix(problem, seed=0, max_iterations=0, clock=NO_CLOCK)  # the valid start
    grp = [[0] * model.n for _ in range(model.w)]
    for r, groups in enumerate(start.rounds):
        for k, group in enumerate(groups):
            for pid in group:
                grp[r][model.index[pid]] = k
    before = repeats(problem, start.rounds)
    plan, unmet = exchange.anneal(model, grp, list(range(model.w)), random.Random(3), 30_000)
    ids = _to_ids(model, plan)
    assert validate_rounds(problem, ids) == []
    assert unmet == words.unmet_pairs(model, plan)
    # repeats are the fixed pair-meetings (5 rounds x 4 groups x 45) minus the pairs met
    assert repeats(problem, ids) == 900 - (780 - unmet) < before


def test_four_groups_land_well_below_the_old_search(monkeypatch: pytest.MonkeyPatch) -> None:
    # 8 cities of 4 + 8 activists in 4 groups of 10 over 5 rounds: main's tabu search ended
    # at 282 (bound 192) with the default budget; a tenth of the exchanges' budget does better
    monkeypatch.setattr(exchange, "EXCHANGE_MOVES", 40_000)
    result = solve_mix(many_groups(), seed=0, clock=NO_CLOCK)
    assert result.violations == () and result.stopped_by == "work_limit"
    assert result.quality.lower_bound == 192
    assert result.quality.repeats <= 270  # 267 at this budget


def test_people_of_one_city_swap_roles_where_the_role_counts_have_room(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # 7 cities of 4 + 8 activists in 4 groups of 9: 1 or 2 electeds per group, so an elected
    # and a professional of one city may trade groups; main's tabu search and annealing
    # ended at 201 and 209 on seeds 0 and 1 with the default budgets
    monkeypatch.setattr(exchange, "EXCHANGE_MOVES", 40_000)
    problem = many_groups(cities=7)
    assert exchange.applies(_Model(problem))
    result = solve_mix(problem, seed=0, clock=NO_CLOCK)
    assert result.violations == () and result.stopped_by == "work_limit"
    assert result.quality.repeats <= 210  # 209 at this budget, 197 at the default


def test_the_annealing_reports_progress_and_the_same_plan(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(exchange, "EXCHANGE_MOVES", 20_000)
    ticks = [0.0]

    def clock() -> float:  # a clock moving 0.01 s a reading, far from the time limit
        ticks[0] += 0.01
        return ticks[0]

    seen: list[tuple[float, int]] = []
    result = solve_mix(many_groups(), seed=1, clock=clock, time_limit=1e9,
                       progress=lambda frac, q: seen.append((frac, q.repeats)))
    assert any(frac < 1 for frac, _ in seen) and seen[-1] == (1.0, result.quality.repeats)
    quiet = solve_mix(many_groups(), seed=1, clock=NO_CLOCK)
    assert quiet.rounds == result.rounds  # reporting reads the clock, never the plan
