"""Tests of the mixing engine (cotrain.domain.scheduling)."""

from __future__ import annotations

import itertools
import json
import random
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cotrain.domain.scheduling.construct import starter_rounds
from cotrain.domain.scheduling.mixing import (
    PROVEN_SHAPES,
    MixPerson,
    MixProblem,
    Violation,
    bound_details,
    check_feasibility,
    lower_bound,
    quality,
    repeats,
    solve_mix,
    validate_rounds,
)
from cotrain.domain.scheduling.search import _Model, _State
from fixtures_mixing import NO_CLOCK


def reference_programme(rounds: int = 5) -> MixProblem:
    people = []
    for c in range(7):
        city = f"city{c}"
        people += [MixPerson(f"{city}-e", "elected", city),
                   MixPerson(f"{city}-p1", "professional", city),
                   MixPerson(f"{city}-p2", "professional", city),
                   MixPerson(f"{city}-d", "prefect_delegate", city)]
    people += [MixPerson(f"act{i}", "activist") for i in range(6)]
    return MixProblem(tuple(people), rounds, 3, {"activist": 2})


def plain(n: int, groups: int, rounds: int, **kw: object) -> MixProblem:
    return MixProblem(tuple(MixPerson(f"p{i:02d}") for i in range(n)), rounds, groups, **kw)


def mixing_example(rounds: int, activists_in_cities: bool = False) -> MixProblem:
    people = []
    for c in range(7):
        city = f"c{c}"
        people += [MixPerson(f"{city}-e", "elected", city),
                   MixPerson(f"{city}-p", "professional", city),
                   MixPerson(f"{city}-d", "prefect_delegate", city),
                   MixPerson(f"a{c}", "activist", city if activists_in_cities else None)]
    return MixProblem(tuple(people), rounds, 7)


def rules(violations: list[Violation]) -> list[str]:
    return [v.rule for v in violations]


# ---------------------------------------------------------------- solved plans hold the rules


def test_reference_programme_solution_holds_every_rule() -> None:
    problem = reference_programme()
    result = solve_mix(problem, seed=1, time_limit=1.0, clock=NO_CLOCK)
    assert result.violations == ()
    assert validate_rounds(problem, result.rounds) == []
    assert result.quality.repeats >= result.quality.lower_bound == 327
    for groups in result.rounds:
        assert sorted(len(g) for g in groups) == [11, 11, 12]
        for group in groups:
            assert sum(pid.startswith("act") for pid in group) == 2


def test_plain_golfers_5_3_7_solved_without_repeat() -> None:
    result = solve_mix(plain(15, 5, 7), seed=0, time_limit=10.0, clock=NO_CLOCK)
    assert result.quality.repeats == 0
    assert result.stopped_by == "optimal"
    assert result.violations == ()


def test_plain_golfers_6_3_8_solved_without_repeat() -> None:
    # a nearly Kirkman triple system of order 18, from two cyclic starters over Z_4 x 4 + 2
    result = solve_mix(plain(18, 6, 8), seed=0, time_limit=10.0, clock=NO_CLOCK)
    assert result.quality.repeats == 0
    assert result.stopped_by == "optimal"
    assert result.violations == ()


def assert_repeat_free_partitions(rounds: list[list[list[int]]], n: int, size: int) -> None:
    seen: set[tuple[int, int]] = set()
    for groups in rounds:
        assert sorted(p for g in groups for p in g) == list(range(n))
        assert {len(g) for g in groups} == {size}
        for g in groups:
            for a, b in itertools.combinations(sorted(g), 2):
                assert (a, b) not in seen
                seen.add((a, b))


def test_starter_rounds_build_a_kirkman_triple_system_of_order_21() -> None:
    rounds = starter_rounds(21, 7, 10, random.Random(0))
    assert rounds is not None and len(rounds) == 10
    assert_repeat_free_partitions(rounds, 21, 3)  # 10 x 7 x 3 = all 210 pairs, once each


def test_starter_rounds_give_kirkman_schoolgirls_for_any_seed() -> None:
    for seed in range(3):
        rounds = starter_rounds(15, 5, 7, random.Random(seed))
        assert rounds is not None and len(rounds) == 7
        assert_repeat_free_partitions(rounds, 15, 3)


def test_starter_rounds_give_up_within_the_node_budget() -> None:
    # 4 people in 2 pairs cannot have 4 rounds without a repeat (only 3 exist)
    assert starter_rounds(4, 2, 4, random.Random(0), node_budget=100) is None


def test_mixing_example_six_rounds_are_repeat_free() -> None:
    problem = mixing_example(6)
    result = solve_mix(problem, seed=0, time_limit=5.0, clock=NO_CLOCK)
    assert result.violations == ()
    assert result.quality.repeats == 0


# ---------------------------------------------------------------- one test per hard rule


def small_problem(**kw: object) -> MixProblem:
    people = (MixPerson("a1", "activist"), MixPerson("a2", "activist"),
              MixPerson("e1", "elected", "x"), MixPerson("e2", "elected", "y"),
              MixPerson("p1", "professional", "x"), MixPerson("p2", "professional", "y"))
    return MixProblem(people, 1, 2, **kw)  # type: ignore[arg-type]


GOOD = [[("a1", "e1", "p2"), ("a2", "e2", "p1")]]


def test_validate_accepts_a_good_round() -> None:
    assert validate_rounds(small_problem(min_per_group={"activist": 1}), GOOD) == []


def test_validate_flags_round_count() -> None:
    assert rules(validate_rounds(small_problem(), GOOD * 2)) == ["round_count"]


def test_validate_flags_group_count() -> None:
    bad = [[("a1", "e1", "p2", "a2", "e2", "p1")]]
    assert "group_count" in rules(validate_rounds(small_problem(), bad))


def test_validate_flags_group_size() -> None:
    bad = [[("a1", "e1", "p2", "a2"), ("e2", "p1")]]
    found = [v for v in validate_rounds(small_problem(spread_roles=False), bad)
             if v.rule == "group_size"]
    assert found[0].params == {"size": 4, "minimum": 3, "maximum": 3}


def test_validate_flags_min_role() -> None:
    bad = [[("a1", "a2", "p2"), ("e1", "e2", "p1")]]
    found = validate_rounds(small_problem(spread_roles=False, spread_cities=False,
                                          min_per_group={"activist": 1}), bad)
    assert found == [Violation("min_role", 0, 1, {"role": "activist", "count": 0, "minimum": 1})]


def test_validate_flags_role_spread() -> None:
    bad = [[("a1", "a2", "p2"), ("e1", "e2", "p1")]]
    found = [v for v in validate_rounds(small_problem(spread_cities=False), bad)]
    assert found[0] == Violation("role_spread", 0, 0,
                                 {"role": "activist", "count": 2, "low": 1, "high": 1})


def test_validate_flags_city_spread() -> None:
    bad = [[("a1", "e1", "p1"), ("a2", "e2", "p2")]]
    found = validate_rounds(small_problem(spread_roles=False), bad)
    assert found[0] == Violation("city_spread", 0, 0,
                                 {"city": "x", "count": 2, "low": 1, "high": 1})


def test_validate_flags_keep_apart() -> None:
    found = validate_rounds(small_problem(keep_apart=(("p2", "a1"),)), GOOD)
    assert found == [Violation("keep_apart", 0, 0, {"first": "a1", "second": "p2"})]


def test_validate_flags_duplicate_missing_and_unknown_people() -> None:
    bad = [[("a1", "e1", "p2"), ("a1", "e2", "zz")]]
    assert rules(validate_rounds(small_problem(spread_roles=False, spread_cities=False), bad)) \
        == ["unknown_person", "duplicate_person", "missing_person", "missing_person"]


# ---------------------------------------------------------------- feasibility


def test_feasibility_reports_too_few_activists() -> None:
    people = tuple(MixPerson(f"a{i}", "activist") for i in range(6)) + \
        tuple(MixPerson(f"e{i}", "elected") for i in range(10))
    problem = MixProblem(people, 2, 4, {"activist": 2})
    assert check_feasibility(problem) == [Violation("min_role", None, None, {
        "role": "activist", "available": 6, "groups": 4, "minimum": 2,
        "max_groups": 3, "missing": 2})]


def test_feasibility_reports_impossible_keep_apart() -> None:
    problem = plain(6, 2, 1, keep_apart=(("p00", "p01"), ("p01", "p02"), ("p00", "p02")))
    assert check_feasibility(problem) == [
        Violation("keep_apart", None, None, {"people": ["p00", "p01", "p02"], "groups": 2})]


def test_feasibility_reports_more_groups_than_people() -> None:
    assert check_feasibility(plain(3, 4, 1)) == [
        Violation("group_count", None, None, {"groups": 4, "people": 3})]


def test_infeasible_problem_still_returns_a_plan_with_violations() -> None:
    people = tuple(MixPerson(f"a{i}", "activist") for i in range(6)) + \
        tuple(MixPerson(f"e{i}", "elected") for i in range(10))
    result = solve_mix(MixProblem(people, 2, 4, {"activist": 2}), seed=0, max_iterations=50,
                       clock=NO_CLOCK)
    assert "min_role" in rules(list(result.violations))
    assert len(result.rounds) == 2


# ---------------------------------------------------------------- bounds and counting


def test_lower_bound_hand_computed_small_cases() -> None:
    # 4 people, 2 groups of 2, 4 rounds: 8 meetings over 6 pairs -> 2 repeats
    assert lower_bound(plain(4, 2, 4)) == 2
    # 3 rounds fit exactly (a 1-factorisation of K4)
    assert lower_bound(plain(4, 2, 3)) == 0
    # keeping one pair apart leaves 5 pairs for 6 meetings
    assert lower_bound(plain(4, 2, 3, keep_apart=(("p00", "p01"),))) == 1
    # an earlier encounter twice counts one repeat already
    assert lower_bound(plain(4, 2, 1, prior_meetings={("p00", "p01"): 2})) == 1


def test_lower_bound_mixing_example() -> None:
    assert lower_bound(mixing_example(6)) == 0
    assert lower_bound(mixing_example(8)) == 63
    assert lower_bound(mixing_example(8, activists_in_cities=True)) == 84


def test_lower_bound_counts_city_pairs_that_cannot_all_meet() -> None:
    # each city of 4 spread 2-1-1 meets internally once per round: 5 of its 6 pairs at most
    # counting alone: 880 pair-meetings - 561 pairs + 7 city pairs that cannot meet = 326;
    # the exhaustive search of benchmarks/prove_reference_bound.py adds one for this shape
    assert lower_bound(reference_programme()) == 327


def test_reference_bound_is_reached_by_a_known_plan() -> None:
    # the bound is tight: a plan with 327 repeats exists (see the data file's "about")
    data = json.loads((Path(__file__).parents[1] / "data" / "mixing" / "reference_327.json")
                      .read_text(encoding="utf-8"))
    problem = reference_programme()
    assert validate_rounds(problem, data["rounds"]) == []
    assert repeats(problem, data["rounds"]) == lower_bound(problem) == 327


def test_six_eight_nine_cities_bounds_are_proven_one_above_counting() -> None:
    # benchmarks/prove_cities_bound.py --cities N: no balanced set of N cities reaches the
    # counting bound (246, 415, 513)
    def cities(count: int) -> list[MixPerson]:
        return [MixPerson(f"c{c}-{i}", r, f"city{c}") for c in range(count)
                for i, r in enumerate(("elected", "professional", "professional", "delegate"))]

    acts = [MixPerson(f"act{i}", "activist") for i in range(6)]
    for count, bound in ((6, 247), (8, 416), (9, 514)):
        problem = MixProblem(tuple(cities(count) + acts), 5, 3, {"activist": 2})
        assert bound_details(problem) == (bound, True)
    people = cities(8) + acts
    # 5 cities reach their counting bound (test_structured.py): nothing is added there
    assert bound_details(MixProblem(tuple(people[:20] + people[-6:]), 5, 3,
                                    {"activist": 2})) == (180, False)
    # 4 rounds of 8 cities: neither proof speaks of it
    assert bound_details(MixProblem(tuple(people), 4, 3, {"activist": 2}))[1] is False
    # 4 rounds of 7 cities: benchmarks/prove_four_rounds_bound.py, at least 21 pairs never
    # meet (143 + 21), where counting (with the roles) gives 162
    seven = people[:28] + acts
    assert bound_details(MixProblem(tuple(seven), 4, 3, {"activist": 2})) == (164, True)
    assert bound_details(MixProblem(tuple(seven), 4, 3, {"activist": 2},
                                    spread_roles=False)) == (164, True)
    assert bound_details(MixProblem(tuple(seven), 4, 3, {"activist": 2},
                                    spread_cities=False))[1] is False


def test_proven_extra_repeat_only_for_the_proven_shape() -> None:
    people = reference_programme().people
    # activists no longer held at exactly 2 per group: the proof does not apply
    assert lower_bound(MixProblem(people, 5, 3, spread_roles=False)) == 326
    # activists held at 2 by the role spread alone: same shape, same proof
    assert lower_bound(MixProblem(people, 5, 3)) == 327
    # cities free: every pair may meet, 880 - 561
    assert lower_bound(MixProblem(people, 5, 3, {"activist": 2}, spread_cities=False)) == 319


def test_prior_meetings_count_as_repeats() -> None:
    problem = plain(4, 2, 1, prior_meetings={("p00", "p01"): 1})
    assert repeats(problem, [[("p00", "p01"), ("p02", "p03")]]) == 1
    assert repeats(problem, [[("p00", "p02"), ("p01", "p03")]]) == 0
    result = solve_mix(problem, seed=0, time_limit=2.0, clock=NO_CLOCK)
    assert result.quality.repeats == 0
    assert ("p00", "p01") not in result.rounds[0]


def test_quality_figures() -> None:
    problem = plain(4, 2, 2)
    q = quality(problem, [[("p00", "p01"), ("p02", "p03")]] * 2)
    assert (q.repeats, q.distinct_pairs_met, q.max_times_met, q.rounds_without_repeat) \
        == (2, 2, 2, 1)


# ---------------------------------------------------------------- modes


def test_same_seed_and_iteration_cap_give_identical_results() -> None:
    # 4 rounds: the structured search finds nothing (test_structured.py), the local search
    # runs and stays above the counting bound
    problem = reference_programme(rounds=4)
    first = solve_mix(problem, seed=7, time_limit=60.0, max_iterations=150, clock=NO_CLOCK)
    second = solve_mix(problem, seed=7, time_limit=60.0, max_iterations=150, clock=NO_CLOCK)
    assert first == second
    assert first.stopped_by == "iteration_limit"


def test_stable_mode_repeats_one_valid_round() -> None:
    problem = reference_programme(rounds=3)
    stable = MixProblem(problem.people, 3, 3, {"activist": 2}, stable=True)
    result = solve_mix(stable, seed=0, time_limit=2.0, clock=NO_CLOCK)
    assert result.rounds[0] == result.rounds[1] == result.rounds[2]
    assert result.violations == ()
    assert result.stopped_by == "optimal"
    assert result.quality.repeats == result.quality.lower_bound


def test_fixed_rounds_are_kept() -> None:
    fixed_round = (("p00", "p01", "p02"), ("p03", "p04", "p05"), ("p06", "p07", "p08"))
    problem = plain(9, 3, 3, fixed={1: fixed_round})
    result = solve_mix(problem, seed=0, time_limit=3.0, clock=NO_CLOCK)
    assert result.rounds[1] == fixed_round
    assert result.violations == ()


def test_progress_is_reported_up_to_completion() -> None:
    seen: list[float] = []
    solve_mix(reference_programme(), seed=0, time_limit=0.6, clock=NO_CLOCK, progress=lambda f, q: seen.append(f))
    assert seen[-1] == 1.0


# ---------------------------------------------------------------- search penalty == rules


def test_search_penalty_equals_rule_violations_on_random_plans() -> None:
    rng = random.Random(3)
    problem = MixProblem(reference_programme().people, 2, 3, {"activist": 2},
                         keep_apart=(("city0-e", "city1-e"), ("act0", "act1")))
    model = _Model(problem)
    for _ in range(20):
        rounds = []
        for _r in range(2):
            order = list(range(model.n))
            rng.shuffle(order)
            grp = [0] * model.n
            for i, p in enumerate(order):
                grp[p] = i % 3
            rounds.append(grp)
        state = _State(model, rounds, [0, 1])
        ids = [[[model.ids[p] for p in range(model.n) if grp[p] == k] for k in range(3)]
               for grp in rounds]
        counted = sum(
            v.params["count"] - v.params["high"] if v.params["count"] > v.params["high"]  # type: ignore[operator]
            else v.params["low"] - v.params["count"]  # type: ignore[operator]
            for v in validate_rounds(problem, ids) if v.rule == "city_spread")
        counted += sum(1 for v in validate_rounds(problem, ids) if v.rule == "keep_apart")
        assert state.H == counted
        assert state.R == repeats(problem, ids)
        # and after a few swaps the incremental counts still agree
        for _s in range(5):
            r = rng.randrange(2)
            a, b = rng.sample(range(model.n), 2)
            if state.grp[r][a] != state.grp[r][b]:
                state.swap(r, a, b)
        ids = [[[model.ids[p] for p in range(model.n) if grp[p] == k] for k in range(3)]
               for grp in state.grp]
        assert state.R == repeats(problem, ids)


# ---------------------------------------------------------------- property test


@st.composite
def small_problems(draw: st.DrawFn) -> MixProblem:
    n = draw(st.integers(2, 14))
    groups = draw(st.integers(1, max(1, n // 2)))
    roles = draw(st.lists(st.sampled_from([None, "activist", "elected"]), min_size=n, max_size=n))
    cities = draw(st.lists(st.sampled_from([None, "x", "y", "z"]), min_size=n, max_size=n))
    people = tuple(MixPerson(f"p{i}", roles[i], cities[i]) for i in range(n))
    rounds = draw(st.integers(1, 4))
    pairs = list(itertools.combinations([p.id for p in people], 2))
    apart = tuple(draw(st.lists(st.sampled_from(pairs), max_size=2))) if pairs else ()
    return MixProblem(people, rounds, groups, keep_apart=apart,
                      spread_roles=draw(st.booleans()), spread_cities=draw(st.booleans()))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_problems(), st.integers(0, 3))
def test_everybody_placed_once_and_repeats_at_least_bound(problem: MixProblem, seed: int) -> None:
    result = solve_mix(problem, seed=seed, time_limit=5.0, max_iterations=60, clock=NO_CLOCK)
    ids = sorted(p.id for p in problem.people)
    assert len(result.rounds) == problem.rounds
    for groups in result.rounds:
        assert len(groups) == problem.groups
        assert sorted(pid for g in groups for pid in g) == ids
    assert result.quality.repeats == repeats(problem, result.rounds)
    if not result.violations:  # the bound leaves out pairs a valid plan keeps apart
        assert result.quality.repeats >= result.quality.lower_bound


def test_same_seed_same_plan_whatever_the_time_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    # issue 12: the search stops on its work budget, not on the clock; a clock that moves
    # (by a fixed step per reading) and two limits far above the work give the same plan
    from cotrain.domain.scheduling import search, words

    monkeypatch.setattr(search, "WORK_BUDGET", 300_000)
    monkeypatch.setattr(words, "POLISH_MOVES", 50_000)  # the annealing after it, too
    problem = reference_programme(rounds=4)  # the local search runs (above the bound)

    def ticking() -> Callable[[], float]:
        now = [0.0]

        def clock() -> float:
            now[0] += 1e-6
            return now[0]
        return clock

    first = solve_mix(problem, seed=5, time_limit=1_000.0, clock=ticking())
    second = solve_mix(problem, seed=5, time_limit=50_000.0, clock=ticking())
    assert first.stopped_by == "work_limit"
    assert first == second


def test_cities_of_three_bound_is_proven_and_reached() -> None:
    # benchmarks/prove_cities_of_three_bound.py: 7 cities of 3 + 6 activists, 3 groups,
    # 5 rounds; every group is 2 activists + one person per city, so repeats = 210 + the
    # pairs that may meet and never do: at least 4 of them (214), at least 6 when each city
    # has one person of each role and the roles are spread (216); a plan reaches 216
    data = json.loads((Path(__file__).parents[1] / "data" / "mixing"
                       / "cities_of_three_216.json").read_text(encoding="utf-8"))
    people = tuple(MixPerson(p["id"], p["role"], p.get("city")) for p in data["people"])
    problem = MixProblem(people, 5, 3, {"activist": 2})
    assert validate_rounds(problem, data["plan"]) == []
    assert bound_details(problem) == (216, True)
    assert repeats(problem, data["plan"]) == 216
    assert quality(problem, data["plan"]).lower_bound_proven
    # roles free (not spread, or not one of each per city): the proof without roles, 214
    assert bound_details(replace(problem, spread_roles=False)) == (214, True)
    same_role = tuple(MixPerson(p.id, "member" if p.city else p.role, p.city) for p in people)
    assert bound_details(replace(problem, people=same_role)) == (214, True)
    # pairs kept apart only remove plans: inside a city they never meet anyway, across
    # cities the counting bound rises to 211 and the proof still says 216
    assert bound_details(replace(problem, keep_apart=(("c00-0", "c00-1"),))) == (216, True)
    assert bound_details(replace(problem, keep_apart=(("c00-0", "c01-1"),))) == (216, True)
    # outside the proofs: 4 rounds, 6 cities, one activist fewer per group, earlier
    # sessions: the counting bound only
    assert bound_details(replace(problem, rounds=4))[1] is False
    six = tuple(p for p in people if not (p.city or "").endswith("06"))
    assert bound_details(replace(problem, people=six))[1] is False
    assert bound_details(replace(problem, min_per_group={}, spread_roles=False))[1] is False
    assert bound_details(replace(problem, prior_meetings={("c00-0", "c01-0"): 1}))[1] is False


def test_proven_shapes_table_is_backed_by_scripts() -> None:
    # every proven shape names a script that exists in benchmarks/ (rerunnable proofs)
    root = Path(__file__).parents[2]
    for shape in PROVEN_SHAPES:
        script = shape.script.split()[0]
        assert (root / script).is_file(), script
        assert shape.unmet and min(shape.unmet.values()) > 0 and shape.cities


@settings(max_examples=150, deadline=None)
@given(people=st.integers(2, 12), groups=st.integers(1, 4), rounds=st.integers(0, 6),
       seed=st.integers(0, 10_000), stray=st.booleans())
def test_large_plans_are_counted_by_bit_sets_with_the_same_figures(
        people: int, groups: int, rounds: int, seed: int, stray: bool) -> None:
    from cotrain.domain.scheduling import mixing

    rng = random.Random(seed)
    ids = [f"p{i}" for i in range(people)]
    problem = MixProblem(tuple(MixPerson(pid, "x") for pid in ids), max(rounds, 1), groups)
    plan = []
    for _ in range(rounds):
        order = ids[:]
        rng.shuffle(order)
        round_groups = [tuple(order[k::groups]) for k in range(groups)]
        if stray:  # someone unknown, and a name written twice in one group
            round_groups[0] = (*round_groups[0], "nobody", round_groups[0][0])
        plan.append(tuple(round_groups))
    pair_by_pair = quality(problem, tuple(plan), bound=0)
    fast = mixing._bitset_figures(problem, tuple(plan))
    assert fast == (pair_by_pair.repeats, pair_by_pair.distinct_pairs_met,
                    pair_by_pair.max_times_met, pair_by_pair.rounds_without_repeat)


def test_a_plan_of_big_groups_is_counted_by_bit_sets(monkeypatch: pytest.MonkeyPatch) -> None:
    from cotrain.domain.scheduling import mixing

    ids = [f"p{i:04d}" for i in range(1000)]
    problem = MixProblem(tuple(MixPerson(pid, "x") for pid in ids), 3, 2)
    evens_odds = (tuple(ids[0::2]), tuple(ids[1::2]))
    halves = (tuple(ids[:500]), tuple(ids[500:]))
    plan = (evens_odds, evens_odds, halves)
    assert mixing._large_plan(problem, plan)

    def no_pairs(*_: object) -> None:
        raise AssertionError("counted pair by pair")

    monkeypatch.setattr(mixing, "_meeting_counts", no_pairs)
    q = quality(problem, plan, bound=0)
    # round 1 meets 2 x C(500, 2) = 249,500 pairs, round 2 the same again; round 3 adds the
    # pairs of each half not of one parity: 2 x (C(500, 2) - 2 x C(250, 2)) = 125,000
    assert q.distinct_pairs_met == 374_500
    assert q.repeats == 3 * 249_500 - 374_500
    assert q.rounds_without_repeat == 1 and q.max_times_met == 3
