"""The word-space annealing (words.py): every rule kept, its count exact, work budgets only."""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cotrain.domain.scheduling import search, words
from cotrain.domain.scheduling.mixing import (
    MixPerson,
    MixProblem,
    repeats,
    solve_mix,
    validate_rounds,
)
from cotrain.domain.scheduling.search import _Model, _round_from_groups, _to_ids


def NO_CLOCK() -> float:  # noqa: N802 - a clock that never moves: results rest on work budgets
    return 0.0


def cotraining(cities: int = 7, city_roles: tuple[str, ...] = ("elected", "professional",
                                                               "professional", "delegate"),
               activists: int = 6, rounds: int = 5, **kw: object) -> MixProblem:
    people = [MixPerson(f"c{c}-{i}", role, f"city{c}")
              for c in range(cities) for i, role in enumerate(city_roles)]
    people += [MixPerson(f"act{a}", "activist") for a in range(activists)]
    return MixProblem(tuple(people), rounds, 3, {"activist": 2}, **kw)  # type: ignore[arg-type]


def start_plan(problem: MixProblem, seed: int = 0) -> tuple[_Model, list[list[int]]]:
    """A valid plan to anneal: the engine's greedy start and a few tabu steps (cities as
    words off: on cities of 3 they find the optimum at once)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(words, "city_plan", lambda *_, **__: None)
        result = solve_mix(problem, seed=seed, time_limit=60.0, max_iterations=30,
                           clock=NO_CLOCK)
    assert not result.violations
    model = _Model(problem)
    plan = [_round_from_groups(model, groups) for groups in result.rounds]
    assert all(grp is not None for grp in plan)
    return model, plan  # type: ignore[return-value]


@pytest.mark.parametrize("problem", [
    cotraining(city_roles=("elected", "professional", "delegate")),  # cities one per group
    cotraining(rounds=4),
    cotraining(cities=6, activists=7),  # 31 people: groups of 11/10/10, moves of one person
], ids=["cities of 3", "4 rounds", "uneven sizes"])
def test_polish_keeps_every_rule_and_counts_the_pairs_it_leaves_unmet(problem: MixProblem,
                                                                     ) -> None:
    model, plan = start_plan(problem)
    before = words.unmet_pairs(model, plan)
    best, unmet = words.polish(model, plan, list(range(model.w)), random.Random(3), 100_000)
    rounds = _to_ids(model, best)
    assert validate_rounds(problem, rounds) == []
    assert unmet == words.unmet_pairs(model, best)  # the incremental count is exact
    assert unmet < before
    # fewer pairs never met is exactly fewer repeats (the meetings of a round are fixed)
    assert repeats(problem, _to_ids(model, plan)) - repeats(problem, rounds) == before - unmet


def test_polish_keeps_fixed_rounds_pairs_kept_apart_and_counts_earlier_meetings() -> None:
    base = cotraining(rounds=4)
    apart = (("c0-0", "c1-0"), ("act0", "c2-1"), ("c3-2", "c4-3"))
    prior = {("c5-0", "c6-1"): 1, ("act1", "act2"): 2}
    problem = MixProblem(base.people, 4, 3, base.min_per_group, keep_apart=apart,
                         prior_meetings=prior)
    model, plan = start_plan(problem, seed=1)
    frozen = list(plan[2])
    free = [0, 1, 3]
    best, unmet = words.polish(model, plan, free, random.Random(0), 100_000)
    assert best[2] == frozen
    assert validate_rounds(problem, _to_ids(model, best)) == []
    assert unmet == words.unmet_pairs(model, best)
    met_before = {tuple(sorted((model.index[a], model.index[b]))) for a, b in prior}
    never = sum(1 for a in range(model.n) for b in range(a + 1, model.n)
                if (a, b) not in met_before and all(grp[a] != grp[b] for grp in best))
    assert unmet == never  # a pair met in an earlier session counts as met
    assert unmet < words.unmet_pairs(model, plan)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(3, 9), st.integers(2, 3), st.integers(2, 4), st.integers(0, 2),
       st.integers(0, 10))
def test_polish_never_breaks_a_rule_on_random_shapes(cities: int, per_city: int, rounds: int,
                                                    extra: int, seed: int) -> None:
    roles = ("elected", "professional", "delegate")[:per_city]
    problem = cotraining(cities=cities, city_roles=roles, activists=6 + extra, rounds=rounds)
    result = solve_mix(problem, seed=seed, time_limit=60.0, max_iterations=20, clock=NO_CLOCK)
    if result.violations:  # a start that breaks a rule is not annealed (nor here)
        return
    model = _Model(problem)
    plan = [_round_from_groups(model, groups) for groups in result.rounds]
    best, unmet = words.polish(model, plan, list(range(rounds)),  # type: ignore[arg-type]
                               random.Random(seed), 5_000)
    assert validate_rounds(problem, _to_ids(model, best)) == []
    assert unmet == words.unmet_pairs(model, best)
    assert unmet <= words.unmet_pairs(model, plan)  # type: ignore[arg-type]


def test_engine_anneals_after_the_tabu_search_by_its_work_budget(monkeypatch: pytest.MonkeyPatch,
                                                                ) -> None:
    # small budgets keep the test quick; the clock never moves, so only work decides
    problem = cotraining(city_roles=("elected", "professional", "delegate"))
    monkeypatch.setattr(search, "WORK_BUDGET", 200_000)
    # cities as words would find the optimum (216) before any tabu step: off here
    monkeypatch.setattr(words, "city_plan", lambda *_, **__: None)
    monkeypatch.setattr(words, "POLISH_MOVES", 0)
    without = solve_mix(problem, seed=2, time_limit=60.0, clock=NO_CLOCK)
    monkeypatch.setattr(words, "POLISH_MOVES", 200_000)
    first = solve_mix(problem, seed=2, time_limit=60.0, clock=NO_CLOCK)
    second = solve_mix(problem, seed=2, time_limit=60.0, clock=NO_CLOCK)
    assert first == second  # the same seed and budgets give the same plan
    assert first.stopped_by == "work_limit" and not first.violations
    assert first.quality.repeats < without.quality.repeats
    assert first.quality.repeats == repeats(problem, first.rounds)


# ----------------------------------------------------------------- cities as sets of words

SIX = ("elected", "professional", "professional", "delegate", "professional", "elected")


@pytest.mark.parametrize(("problem", "bound"), [
    (cotraining(city_roles=SIX), 672),  # cities of 6: 2-2-2, every internal pair once
    (cotraining(city_roles=("member",) * 5), 480),  # cities of 5: 2-2-1
], ids=["7 cities of 6", "7 cities of 5"])
def test_cities_as_words_reach_the_counting_bound(problem: MixProblem, bound: int) -> None:
    result = solve_mix(problem, seed=0, time_limit=60.0, clock=NO_CLOCK)
    assert result.violations == ()
    assert (result.quality.repeats, result.quality.lower_bound) == (bound, bound)
    assert result.stopped_by == "optimal" and result.quality.lower_bound_proven
    # every pair meets except those no plan can make meet: here none at all
    assert result.quality.distinct_pairs_met == len(problem.people) * (
        len(problem.people) - 1) // 2


def test_cities_as_words_need_the_shape_they_describe() -> None:
    from dataclasses import replace

    from cotrain.domain.scheduling.mixing import bound_details

    def shape(problem: MixProblem) -> bool:
        return words.city_shape(_Model(problem), bound_details(problem)[0]) is not None

    six = cotraining(city_roles=SIX)
    assert shape(six)
    assert not shape(cotraining())  # the reference: its bound is the counting bound + 1
    assert not shape(replace(six, keep_apart=(("c0-0", "c1-0"),)))
    assert not shape(cotraining(city_roles=SIX, activists=8))  # not 2 per group
    uneven = MixProblem(six.people[:-7] + six.people[-6:], 5, 3, {"activist": 2})
    assert not shape(uneven)  # a city of 5 among cities of 6
    assert not shape(replace(six, stable=True))


def test_cities_as_words_stop_on_their_node_budget() -> None:
    from cotrain.domain.scheduling.mixing import bound_details

    problem = cotraining(city_roles=("member",) * 5)
    model, lb = _Model(problem), bound_details(problem)[0]
    assert words.city_plan(model, lb, random.Random(0), node_budget=1) is None
    calls = []

    def stop() -> bool:
        calls.append(1)
        return True

    assert words.city_plan(model, lb, random.Random(0), should_stop=stop) is None
    plan = words.city_plan(model, lb, random.Random(0))
    assert plan is not None and plan == words.city_plan(model, lb, random.Random(0))
    assert repeats(problem, _to_ids(model, plan)) == lb


def test_cities_as_words_decline_a_shape_whose_candidates_would_outgrow_the_node_budget(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from cotrain.domain.scheduling.mixing import bound_details

    # 10 cities of 4: 4,320 cities x 12 orders of their roles; a clique node works over every
    # candidate, so the search would cost seconds and hundreds of MB per node budget
    ten = cotraining(cities=10)
    model, lb = _Model(ten), bound_details(ten)[0]
    assert words.city_shape(model, lb) is not None

    def no_search(*_: object) -> list[int]:
        raise AssertionError("the clique search ran")

    monkeypatch.setattr(words, "_bits", no_search)
    assert words.city_plan(model, lb, random.Random(0)) is None
    # the cap is what declines it: cities of 5 (9,840 candidates) still search, under a cap
    five = cotraining(city_roles=("elected", "professional", "professional", "delegate",
                                  "professional"))  # 492 cities x 20 orders = 9,840
    monkeypatch.setattr(words, "MAX_CANDIDATES", 9_839)
    assert words.city_plan(_Model(five), bound_details(five)[0], random.Random(0)) is None


def test_a_phase_cut_by_the_clock_is_reported_as_the_time_limit(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # cities of 5 with their roles: cities as words search here, and find nothing in 50 nodes
    problem = cotraining(city_roles=("elected", "professional", "professional", "delegate",
                                     "professional"))
    monkeypatch.setattr(search, "WORK_BUDGET", 20_000)
    monkeypatch.setattr(words, "POLISH_MOVES", 0)
    monkeypatch.setattr(words, "CLIQUE_NODES", 50)
    on_budget = solve_mix(problem, seed=1, time_limit=60.0, clock=NO_CLOCK)
    assert on_budget.stopped_by == "work_limit"
    ticks = iter([0.0])

    def late_clock() -> float:  # past 70 % of the limit (the structured phases' share) at
        return next(ticks, 45.0)  # once, short of the limit itself: only that phase is cut

    cut = solve_mix(problem, seed=1, time_limit=60.0, clock=late_clock)
    assert cut.stopped_by == "time_limit"  # not « work_limit »: the clock decided the plan
    assert not cut.violations


def test_a_tiny_problem_ends_on_its_work_budget_not_on_the_clock(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # 4 people, 2 groups, 3 rounds, one elected per group: 2 repeats are the best any plan
    # can do, but the counting bound says 1, so only the work budget can end the search
    # (it lasted 2 million steps: the clock ended it, after 10 s, a tester found)
    people = (MixPerson("a", "elected"), MixPerson("b", "activist"),
              MixPerson("c", "professional"), MixPerson("d", "elected"))
    problem = MixProblem(people, 3, 2, {"elected": 1})
    monkeypatch.setattr(search, "WORK_BUDGET", 400_000)  # a tenth: the same rule, quicker
    result = solve_mix(problem, seed=0, time_limit=60.0, clock=NO_CLOCK)
    assert result.stopped_by in ("work_limit", "optimal") and not result.violations
    assert result.iterations <= search.WORK_BUDGET // search.MIN_STEP_WORK
    assert result == solve_mix(problem, seed=0, time_limit=60.0, clock=NO_CLOCK)


def test_activists_classes_are_every_multiset_of_matchings_up_to_renaming() -> None:
    # 6 activists at 2 per group over 5 rounds: 52 classes of 5 perfect matchings of K6
    # (benchmarks/activist_matchings.py counts them by Burnside's lemma), by pairs left unmet
    by_missing = {u: words._activist_structures(6, 5, u) for u in range(16)}
    assert sum(len(v) for v in by_missing.values()) == 52
    assert len(by_missing[0]) == 1 and len(by_missing[6]) == 14
    for u, structures in by_missing.items():
        for ms in structures:
            assert all(sorted(x for pr in mt for x in pr) == list(range(6)) for mt in ms)
            met = {frozenset(pr) for mt in ms for pr in mt}
            assert 15 - len(met) == u
    assert words._activist_structures(8, 5, 3) == []  # 105 matchings of K8: not listed


def test_cities_of_three_reach_their_proven_optimum_with_activists_not_factorised() -> None:
    # the counting bound (210) is unreachable; 216 is proven (PROVEN_SHAPES): the activists
    # must leave 6 of their pairs unmet, and one structure of theirs that does admits cities
    problem = cotraining(city_roles=("elected", "professional", "delegate"))
    for seed in (0, 1):
        result = solve_mix(problem, seed=seed, time_limit=60.0, clock=NO_CLOCK)
        assert result.violations == ()
        assert result.quality.repeats == repeats(problem, result.rounds) == 216
        assert result.stopped_by == "optimal" and result.quality.lower_bound_proven
        assert result == solve_mix(problem, seed=seed, time_limit=60.0, clock=NO_CLOCK)


def test_other_activist_structures_leave_the_random_draws_alone_when_they_find_nothing() -> None:
    from cotrain.domain.scheduling.mixing import bound_details

    # 7 cities of 4 over 4 rounds: the proven 164 leaves the activists 7 pairs; the three
    # structures that do have too few cities (the whole trees are searched, nothing found)
    problem = cotraining(rounds=4)
    model, lb = _Model(problem), bound_details(problem)[0]
    shapes = words.city_shapes(model, lb)
    assert len(shapes) == 3 and not any(s.factorised for s in shapes)
    rng = random.Random(7)
    before = rng.getstate()
    assert words.city_plan(model, lb, rng) is None
    assert rng.getstate() == before  # the tabu search after it draws as it did before
    # the 1-factorised case is the old one: one shape, the caller's draws
    five = cotraining(city_roles=("member",) * 5)
    assert [s.factorised for s in words.city_shapes(_Model(five), bound_details(five)[0])] == [
        True]
