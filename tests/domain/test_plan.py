"""Building the whole plan on the reference programme (7 cities x 4 + 6 activists)."""

from __future__ import annotations

from collections import Counter

import pytest
from tests.fixtures_mixing import NO_CLOCK
from tests.fixtures_schedule import example_config, example_participants

from cotrain.domain.scheduling.constraints import PlanContext, validate_schedule
from cotrain.domain.scheduling.plan import build_plan, make_pairs, split_peer_groups
from cotrain.enums import Role, SessionKind

ITERATIONS = 150


@pytest.fixture(scope="module")
def built():
    config = example_config()
    people = example_participants(config)
    return (
        config,
        people,
        build_plan(
            config, people, seed=0, max_iterations=ITERATIONS, time_limit=60, clock=NO_CLOCK
        ),
    )


def test_reference_plan_keeps_every_rule(built) -> None:
    config, people, result = built
    assert result.problems == []
    assert validate_schedule(PlanContext(config, people), result.schedule) == []
    assert [s.session_id for s in result.schedule.sessions] == [s.id for s in config.plan.sessions]


def test_reference_plan_has_nine_trainee_half_days_for_34_people(built) -> None:
    config, people, result = built
    trainee = [
        s
        for s in result.schedule.sessions
        if config.plan.session(s.session_id).counts_for_attendance
    ]
    assert len(trainee) == 9
    assert len(people) == 34
    assert all(len({m for g in s.groups for m in g.members}) == 34 for s in trainee)


def test_mixed_groups_hold_two_activists_and_one_person_per_city_at_most_two(built) -> None:
    config, people, result = built
    by_id = {p.id: p for p in people}
    for session_id in (
        "j1-apres-midi",
        "j2-apres-midi",
        "j3-matin",
        "j3-apres-midi",
        "j4-apres-midi",
    ):
        groups = result.schedule.session(session_id).groups
        assert [g.id for g in groups] == ["g1", "g2", "g3"]
        assert sorted(len(g.members) for g in groups) == [11, 11, 12]
        for g in groups:
            roles = Counter(by_id[m].role for m in g.members)
            assert roles[Role.ACTIVIST] == 2
            cities = Counter(by_id[m].city_id for m in g.members if by_id[m].city_id)
            assert max(cities.values()) <= 2  # 4 people of a city over 3 groups: 2-1-1


def test_peer_worlds_split_above_cap_with_cities_spread() -> None:
    config = example_config()
    people = example_participants(config)
    parts = split_peer_groups(PlanContext(config, people))
    assert [(p.id, len(p.members)) for p in parts] == [
        ("peer-activist", 6),
        ("peer-elected", 7),
        ("peer-professional-prefect-delegate-1", 7),
        ("peer-professional-prefect-delegate-2", 7),
        ("peer-professional-prefect-delegate-3", 7),
    ]
    city_of = {p.id: p.city_id for p in people}
    for part in parts[2:]:
        assert sorted(Counter(city_of[m] for m in part.members).values()) == [1] * 7


def test_same_duo_follows_each_peer_group(built) -> None:
    _, _, result = built
    first = {g.id: g.trainers for g in result.schedule.session("j1-matin").groups}
    second = {g.id: g.trainers for g in result.schedule.session("j2-matin").groups}
    assert first == second
    assert result.quality["peer_trainer_changes"] == 0


def test_pairs_couple_different_roles_and_cities(built) -> None:
    _, people, result = built
    by_id = {p.id: p for p in people}
    pairs = result.schedule.session("j4-matin").groups
    assert len(pairs) == 17
    for g in pairs:
        a, b = (by_id[m] for m in g.members)
        assert a.role != b.role
        assert not (a.city_id and a.city_id == b.city_id)
        assert len(g.trainers) == 2


def test_odd_count_makes_one_trio() -> None:
    config = example_config()
    people = example_participants(config)[:-1]  # 33 people
    import random

    ctx = PlanContext(config, people)
    pairs = make_pairs(ctx, [p.id for p in people], Counter(), random.Random(0))
    assert sorted(len(p) for p in pairs) == [2] * 15 + [3]


def test_unavailable_trainer_leads_nothing_that_half_day(built) -> None:
    _, _, result = built
    session = result.schedule.session("j3-apres-midi")
    assert all("ginette-poulain" not in g.trainers for g in session.groups)
    debrief = result.schedule.session("j3-debrief")
    assert "ginette-poulain" not in debrief.groups[0].trainers


def test_trainers_meetings_have_trainers_and_no_participants(built) -> None:
    config, _, result = built
    for spec in config.plan.sessions:
        if spec.kind == SessionKind.TRAINERS_MEETING:
            (group,) = result.schedule.session(spec.id).groups
            assert group.members == []
            assert len(group.trainers) >= 9


def test_quality_shows_repeats_next_to_lower_bound(built) -> None:
    _, _, result = built
    q = result.quality
    assert q["lower_bound"] <= q["repeats"]
    assert result.schedule.quality == q


def test_same_inputs_and_seed_give_the_same_plan(built) -> None:
    config, people, result = built
    again = build_plan(
        config, people, seed=0, max_iterations=ITERATIONS, time_limit=60, clock=NO_CLOCK
    )
    assert again.schedule == result.schedule


def test_another_seed_gives_another_valid_plan(built) -> None:
    config, people, result = built
    other = build_plan(
        config, people, seed=7, max_iterations=ITERATIONS, time_limit=60, clock=NO_CLOCK
    )
    assert other.problems == []
    assert other.schedule.seed == 7
    assert other.schedule.sessions != result.schedule.sessions


# --- re-planning, replacing, diff --------------------------------------------------------


def test_repair_round_moves_few_people_after_a_withdrawal(built) -> None:
    from cotrain.domain.scheduling.mixing import validate_rounds
    from cotrain.domain.scheduling.replan import repair_round

    config, people, result = built
    remaining = [p for p in people if p.city_id != "sevran"]
    ctx = PlanContext(config, remaining)
    problem = ctx.mix_problem(1, stable=False)
    before = [
        [m for m in g.members if not m.startswith("sevran")]
        for g in result.schedule.session("j2-apres-midi").groups
    ]
    after = repair_round(problem, before)
    assert after is not None
    assert validate_rounds(problem, [after]) == []
    moved = sum(1 for k, g in enumerate(after) for m in g if m not in before[k])
    assert moved <= 4


def test_replan_changes_far_less_than_a_new_plan(built) -> None:
    from cotrain.domain.scheduling.diff import diff_schedules
    from cotrain.domain.scheduling.replan import replan

    config, people, result = built
    remaining = [p for p in people if p.city_id != "sevran"]
    kept = replan(config, remaining, result.schedule, seed=0, max_iterations=ITERATIONS)
    fresh = build_plan(config, remaining, seed=0, max_iterations=ITERATIONS, clock=NO_CLOCK)
    assert kept.problems == []
    assert validate_schedule(PlanContext(config, remaining), kept.schedule) == []
    staying = [m for m in kept.moves if m.before and m.after and m.kind == "person"]
    fresh_moves = [
        m
        for m in diff_schedules(result.schedule, fresh.schedule)
        if m.before and m.after and m.kind == "person"
    ]
    assert len(staying) * 5 < len(fresh_moves)
    assert {m.who for m in kept.moves if m.after is None} == {
        p.id for p in people if p.city_id == "sevran"
    }


def test_replan_with_nothing_changed_moves_nobody(built) -> None:
    from cotrain.domain.scheduling.replan import replan

    config, people, result = built
    kept = replan(config, people, result.schedule, seed=3, max_iterations=ITERATIONS)
    assert kept.moves == []


def test_replace_person_moves_only_that_person(built) -> None:
    from tests.fixtures_schedule import make_applications, make_selection

    from cotrain.domain.scheduling.replan import replace_person

    config, _, result = built
    outcome = replace_person(
        config,
        make_applications(),
        make_selection(),
        result.schedule,
        old="pantin-elected-0",
        new_name="Zoé Durand",
    )
    assert outcome.error is None
    assert outcome.new_id == "zoe-durand"
    assert {(m.who, m.before is None, m.after is None) for m in outcome.moves} == {
        ("pantin-elected-0", False, True),
        ("zoe-durand", True, False),
    }
    assert len(outcome.moves) == 2 * 9
    pantin = outcome.applications.get("pantin")
    assert [p.id for p in pantin.people][-1] == "zoe-durand"
    assert "pantin-elected-0" not in [p.id for p in pantin.people]


def test_diff_of_a_plan_with_itself_is_empty(built) -> None:
    from cotrain.domain.scheduling.diff import diff_schedules

    _, _, result = built
    assert diff_schedules(result.schedule, result.schedule) == []


# --- property: any programme that passes the feasibility check gets a valid plan -----------


def test_any_feasible_programme_gets_a_valid_plan() -> None:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from cotrain.domain.models import Participant

    @settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
    @given(
        cities=st.integers(min_value=2, max_value=9),
        two_pros=st.lists(st.booleans(), min_size=9, max_size=9),
        activists=st.integers(min_value=3, max_value=9),
        groups=st.integers(min_value=2, max_value=4),
        seed=st.integers(min_value=0, max_value=1000),
    )
    def check(cities, two_pros, activists, groups, seed) -> None:
        config = example_config(mixed_groups=groups)
        people = []
        for c in range(cities):
            roles = [Role.ELECTED, Role.PROFESSIONAL, Role.PREFECT_DELEGATE]
            if two_pros[c]:
                roles.append(Role.PROFESSIONAL)
            people += [
                Participant(
                    id=f"c{c}-{k}", name=f"P {c} {k}", role=r, city_id=f"c{c}", city=f"C{c}"
                )
                for k, r in enumerate(roles)
            ]
        people += [
            Participant(id=f"a{k}", name=f"A {k}", role=Role.ACTIVIST) for k in range(activists)
        ]
        result = build_plan(config, people, seed=seed, max_iterations=30, clock=NO_CLOCK)
        if result.schedule is None:
            assert result.problems
            assert all(
                p.rule
                in {
                    "min_activists",
                    "not_enough_duos_absent",
                    "not_enough_duos",
                    "pairs_role",
                    "groups_too_small",
                }
                for p in result.problems
            )
            return
        ctx = PlanContext(config, people)
        assert validate_schedule(ctx, result.schedule) == []
        for spec in config.plan.trainee_sessions:
            seats = [m for g in result.schedule.session(spec.id).groups for m in g.members]
            assert sorted(seats) == sorted(p.id for p in people)

    check()


def test_search_short_of_the_rules_retries_then_says_so(monkeypatch) -> None:
    import dataclasses

    from cotrain.domain.scheduling import plan as plan_module
    from cotrain.domain.scheduling.mixing import validate_rounds

    real = plan_module.solve_mix
    budgets: list[int | None] = []

    def short(problem, **kwargs):
        budgets.append(kwargs["max_iterations"])
        result = real(problem, **kwargs)
        first = [list(g) for g in result.rounds[0]]
        first[1].append(first[0].pop())  # sizes no longer balanced
        rounds = (tuple(tuple(g) for g in first), *result.rounds[1:])
        broken = tuple(validate_rounds(problem, rounds))
        return dataclasses.replace(
            result, rounds=rounds, violations=broken, stopped_by="iteration_limit"
        )

    monkeypatch.setattr(plan_module, "solve_mix", short)
    config = example_config()
    result = build_plan(
        config, example_participants(config), seed=0, max_iterations=5, clock=NO_CLOCK
    )
    assert budgets == [5, 20, 80]
    assert result.schedule is None
    assert result.problems[0].rule == "search_incomplete"
    assert result.problems[0].params["iterations"] > 0
