"""Each hard rule, once: a valid plan edited by hand breaks exactly the rule expected; and the
feasibility check explains, in French and in English, what cannot work."""

from __future__ import annotations

import pytest
from tests.fixtures_mixing import NO_CLOCK
from tests.fixtures_schedule import example_config, example_participants, with_config

from cotrain.domain.scheduling.constraints import PlanContext, validate_schedule
from cotrain.domain.scheduling.feasibility import check_plan
from cotrain.domain.scheduling.plan import build_plan
from cotrain.enums import Role


@pytest.fixture(scope="module")
def plan():
    config = example_config()
    people = example_participants(config)
    result = build_plan(config, people, seed=0, max_iterations=100, time_limit=60, clock=NO_CLOCK)
    assert result.problems == []
    return config, people, result.schedule


def edit(schedule, session_id, group_id, **changes):
    sessions = []
    for s in schedule.sessions:
        if s.session_id == session_id:
            s = s.model_copy(
                update={
                    "groups": [
                        g.model_copy(update=changes) if g.id == group_id else g for g in s.groups
                    ]
                }
            )
        sessions.append(s)
    return schedule.model_copy(update={"sessions": sessions})


def group(schedule, session_id, group_id):
    return next(g for g in schedule.session(session_id).groups if g.id == group_id)


def rules_of(config, people, schedule):
    return [
        (v.rule, v.session, v.group)
        for v in validate_schedule(PlanContext(config, people), schedule)
    ]


def move(schedule, session_id, pid, src, dst):
    a, b = group(schedule, session_id, src), group(schedule, session_id, dst)
    schedule = edit(schedule, session_id, src, members=[m for m in a.members if m != pid])
    return edit(schedule, session_id, dst, members=sorted([*b.members, pid]))


def swap(schedule, session_id, x, gx, y, gy):
    a, b = group(schedule, session_id, gx), group(schedule, session_id, gy)
    schedule = edit(
        schedule, session_id, gx, members=sorted([y if m == x else m for m in a.members])
    )
    return edit(schedule, session_id, gy, members=sorted([x if m == y else m for m in b.members]))


def test_valid_plan_has_no_violation(plan) -> None:
    assert rules_of(*plan) == []


def test_person_missing_and_unknown_person_are_reported(plan) -> None:
    config, people, schedule = plan
    g1 = group(schedule, "j1-apres-midi", "g1")
    gone = g1.members[0]
    edited = edit(schedule, "j1-apres-midi", "g1", members=["nobody", *g1.members[1:]])
    violations = validate_schedule(PlanContext(config, people), edited)
    assert [(v.rule, v.params, v.key) for v in violations][:2] == [
        ("unknown_person", {"person": "nobody"}, "sessions[2].groups[0].members[0]"),
        ("person_missing", {"person": gone}, None),
    ]
    # the group now holds 10 known people: the size rule says so too
    assert {v.rule for v in violations[2:]} <= {
        "group_size",
        "role_spread",
        "city_spread",
        "min_role",
    }


def test_unknown_session_is_reported_with_its_key(plan) -> None:
    config, people, schedule = plan
    sessions = list(schedule.sessions)
    sessions[1] = sessions[1].model_copy(update={"session_id": "j9-matin"})
    violations = validate_schedule(
        PlanContext(config, people), schedule.model_copy(update={"sessions": sessions})
    )
    assert [(v.rule, v.key) for v in violations] == [
        ("unknown_session", "sessions[1].session_id"),
        ("missing_session", None),
    ]


def test_two_activists_rule_and_role_spread(plan) -> None:
    config, people, schedule = plan
    activist = next(
        m
        for m in group(schedule, "j2-apres-midi", "g1").members
        if m in {a.id for a in config.activists}
    )
    other = next(
        m
        for m in group(schedule, "j2-apres-midi", "g2").members
        if m not in {a.id for a in config.activists}
        and next(p for p in people if p.id == m).role == Role.ELECTED
    )
    edited = swap(schedule, "j2-apres-midi", activist, "g1", other, "g2")
    found = rules_of(config, people, edited)
    assert ("min_role", "j2-apres-midi", "g1") in found
    assert {r for r, _, _ in found} <= {"min_role", "role_spread", "city_spread"}


def test_unbalanced_group_sizes_are_reported(plan) -> None:
    config, people, schedule = plan
    big = max(schedule.session("j3-matin").groups, key=lambda g: len(g.members))
    small = next(
        g for g in schedule.session("j3-matin").groups if g.id != big.id and len(g.members) == 11
    )
    pid = next(m for m in small.members if m not in {a.id for a in config.activists})
    found = rules_of(config, people, move(schedule, "j3-matin", pid, small.id, big.id))
    assert ("group_size", "j3-matin", big.id) in found


def test_two_people_of_one_city_together_when_avoidable(plan) -> None:
    config, people, schedule = plan
    # 4 people of a city over 3 groups: 2-1-1. Moving a third one into the pair's group breaks it.
    city_of = {p.id: p.city_id for p in people}
    session = schedule.session("j1-apres-midi")
    for g in session.groups:
        cities = [city_of[m] for m in g.members if city_of[m]]
        double = next((c for c in set(cities) if cities.count(c) == 2), None)
        if double:
            other = next(
                o
                for o in session.groups
                if o.id != g.id and double in [city_of[m] for m in o.members]
            )
            pid = next(m for m in other.members if city_of[m] == double)
            role = next(p.role for p in people if p.id == pid)
            back = next(
                m
                for m in g.members
                if city_of[m] != double
                and m not in {a.id for a in config.activists}
                and next(p.role for p in people if p.id == m) == role
            )
            found = rules_of(
                config, people, swap(schedule, "j1-apres-midi", pid, other.id, back, g.id)
            )
            assert ("city_spread", "j1-apres-midi", g.id) in found
            return
    raise AssertionError("no city with two people in one group")


def test_keep_apart_pair_in_one_group_is_reported(plan) -> None:
    config, people, schedule = plan
    g1 = group(schedule, "j1-apres-midi", "g1")
    a, b = g1.members[0], g1.members[1]
    strict = with_config(
        config,
        plan={
            **config.plan.model_dump(),
            "rules": {**config.plan.rules.model_dump(), "keep_apart": [[a, b]]},
        },
    )
    assert ("keep_apart", "j1-apres-midi", "g1") in rules_of(strict, people, schedule)


def test_peer_group_mixing_worlds_is_reported(plan) -> None:
    config, people, schedule = plan
    peer = schedule.session("j1-matin").groups
    activist = peer[0].members[0]
    elected = peer[1].members[0]
    found = rules_of(
        config, people, swap(schedule, "j1-matin", activist, peer[0].id, elected, peer[1].id)
    )
    assert ("peer_world_mixed", "j1-matin", "peer-activist") in found
    assert ("peer_world_mixed", "j1-matin", "peer-elected") in found


def test_peer_group_above_cap_is_reported(plan) -> None:
    config, people, schedule = plan
    low = with_config(
        config,
        plan={
            **config.plan.model_dump(),
            "rules": {**config.plan.rules.model_dump(), "peer_group_cap": 6},
        },
    )
    found = rules_of(low, people, schedule)
    assert ("peer_group_too_big", "j1-matin", "peer-elected") in found


def test_peer_groups_after_mixed_is_reported() -> None:
    config = example_config()
    data = config.model_dump(by_alias=True)
    for s in data["plan"]["sessions"]:
        if s["id"] == "j1-matin":
            s["kind"], s["half"] = "mixed_groups", "am"
        if s["id"] == "j1-apres-midi":
            s["kind"] = "peer_groups"
    swapped = type(config).model_validate(data)
    problems = check_plan(PlanContext(swapped, example_participants(swapped)))
    assert [(p.rule, p.params) for p in problems] == [
        ("peer_after_mixed", {"session": "j1-matin", "peer_session": "j1-apres-midi"})
    ]


def test_pairs_of_same_role_or_city_are_reported(plan) -> None:
    config, people, schedule = plan
    pairs = schedule.session("j4-matin").groups
    role = {p.id: p.role for p in people}
    a, b = (
        pairs[0].members[0],
        next(m for g in pairs[1:] for m in g.members if role[m] == role[pairs[0].members[0]]),
    )
    where = next(g for g in pairs if b in g.members)
    found = rules_of(
        config, people, swap(schedule, "j4-matin", pairs[0].members[1], pairs[0].id, b, where.id)
    )
    assert ("pair_same_role", "j4-matin", pairs[0].id) in found
    assert a in pairs[0].members


def test_group_without_duo_and_unavailable_trainer_and_trainer_twice(plan) -> None:
    config, people, schedule = plan
    g1 = group(schedule, "j3-apres-midi", "g1")
    g2 = group(schedule, "j3-apres-midi", "g2")
    edited = edit(schedule, "j3-apres-midi", "g1", trainers=[g1.trainers[0]])
    edited = edit(edited, "j3-apres-midi", "g2", trainers=[g1.trainers[0], "ginette-poulain"])
    found = rules_of(config, people, edited)
    assert ("needs_duo", "j3-apres-midi", "g1") in found
    assert ("trainer_unavailable", "j3-apres-midi", "g2") in found
    assert ("trainer_twice", "j3-apres-midi", None) in found
    assert g2.trainers != g1.trainers


def test_one_duo_may_follow_several_pairs(plan) -> None:
    config, people, schedule = plan
    pairs = schedule.session("j4-matin").groups
    teams = [tuple(g.trainers) for g in pairs]
    assert len(set(teams)) == 5
    assert rules_of(config, people, schedule) == []


def test_stable_mixing_requires_the_same_groups() -> None:
    config = example_config(mixing="stable")
    people = example_participants(config)
    result = build_plan(config, people, seed=0, max_iterations=50, time_limit=60, clock=NO_CLOCK)
    assert result.problems == []
    shapes = {
        tuple(tuple(g.members) for g in s.groups)
        for s in result.schedule.sessions
        if s.session_id
        in ("j1-apres-midi", "j2-apres-midi", "j3-matin", "j3-apres-midi", "j4-apres-midi")
    }
    assert len(shapes) == 1
    ctx = PlanContext(config, people)
    edited = swap(
        result.schedule,
        "j4-apres-midi",
        group(result.schedule, "j4-apres-midi", "g1").members[0],
        "g1",
        group(result.schedule, "j4-apres-midi", "g2").members[0],
        "g2",
    )
    assert "stable" in [v.rule for v in validate_schedule(ctx, edited)]


# --- feasibility ------------------------------------------------------------------------


def messages(problems, lang):
    from cotrain.cli.schedule import describe
    from cotrain.i18n import set_language

    set_language(lang)
    ctx = PlanContext(example_config(), example_participants())
    return [describe(ctx, p, prefix="schedule.infeasible") for p in problems]


def test_too_few_activists_for_four_groups_says_how_to_fix() -> None:
    config = example_config(mixed_groups=4)
    problems = check_plan(PlanContext(config, example_participants(config)))
    assert [p.rule for p in problems][0] == "min_activists"
    assert messages(problems[:1], "fr") == [
        "6 militant·es ne peuvent pas donner 2 militant·es à chacun des 4 groupes croisés : "
        "prévoyez au plus 3 groupes croisés ou invitez 2 militant·es de plus."
    ]
    assert messages(problems[:1], "en") == [
        "6 activists cannot give 2 activists to each of the 4 mixed groups: "
        "plan at most 3 mixed groups or invite 2 more activists."
    ]


def test_missing_duo_names_the_absent_trainer() -> None:
    config = example_config(mixed_groups=5, min_activists_per_group=1)
    problems = check_plan(PlanContext(config, example_participants(config)))
    assert [p.rule for p in problems] == ["not_enough_duos_absent"]
    assert messages(problems, "fr") == [
        "la demi-journée j3-apres-midi demande 5 binômes d'animation, 4 sont disponibles "
        "car Ginette Poulain est indisponible."
    ]
    assert messages(problems, "en") == [
        "half-day j3-apres-midi needs 5 trainer duos, 4 are available "
        "because Ginette Poulain is unavailable."
    ]


def test_broken_duo_is_re_paired_with_another_broken_one() -> None:
    config = example_config()
    data = config.model_dump(by_alias=True)
    for tr in data["trainers"]:
        if tr["id"] == "helene-marchand-roux":
            tr["unavailable"] = ["j3-apres-midi"]
    config = type(config).model_validate(data)
    people = example_participants(config)
    result = build_plan(config, people, seed=0, max_iterations=50, time_limit=60, clock=NO_CLOCK)
    assert [(n.rule, n.session) for n in result.notices] == [("duo_repaired", "j3-apres-midi")]
    assert result.notices[0].params["teams"] == "Sophie Benaïssa + Marie-Josée Carpentier"


def test_keep_apart_unknown_person_points_at_the_key() -> None:
    config = example_config(keep_apart=[["awa-diallo", "nobody"]])
    problems = check_plan(PlanContext(config, example_participants(config)))
    assert [(p.rule, p.key) for p in problems] == [
        ("keep_apart_unknown", "plan.rules.keep_apart[0]")
    ]


def test_keep_apart_in_one_unsplit_peer_group_is_impossible() -> None:
    config = example_config(keep_apart=[["awa-diallo", "joelle-kergoat"]])
    problems = check_plan(PlanContext(config, example_participants(config)))
    assert [p.rule for p in problems] == ["keep_apart_peer"]
    assert messages(problems, "en") == [
        "Awa Diallo and Joëlle Kergoat must be kept apart but share a peer group "
        "(at most 10 people, it is not split)."
    ]


def test_keep_apart_activist_and_professional_of_one_city_holds() -> None:
    config = example_config(keep_apart=[["awa-diallo", "bondy-professional-1"]])
    people = example_participants(config)
    result = build_plan(config, people, seed=0, max_iterations=50, time_limit=60, clock=NO_CLOCK)
    assert result.problems == []
    for s in result.schedule.sessions:
        for g in s.groups:
            if g.id != "all":
                assert not {"awa-diallo", "bondy-professional-1"} <= set(g.members)


def test_no_selection_is_reported_first() -> None:
    config = example_config()
    problems = check_plan(PlanContext(config, []), has_selection=False)
    assert [p.rule for p in problems] == ["no_selection"]


def test_referents_need_a_facilitator_from_each_world() -> None:
    config = example_config(facilitation="referents")
    problems = check_plan(PlanContext(config, example_participants(config)))
    assert {p.rule for p in problems} == {"referents_for_world"}


def test_referents_lead_their_own_world() -> None:
    config = example_config(facilitation="referents")
    data = config.model_dump(by_alias=True)
    worlds = [
        ["activist"],
        ["elected"],
        ["professional", "prefect_delegate"],
        ["professional", "prefect_delegate"],
        ["professional", "prefect_delegate"],
    ]
    for tr, world in zip(data["trainers"], worlds + [[]] * 5, strict=True):
        tr["world"] = world
    config = type(config).model_validate(data)
    people = example_participants(config)
    result = build_plan(config, people, seed=0, max_iterations=50, time_limit=60, clock=NO_CLOCK)
    assert result.problems == []
    peer = {g.id: g.trainers for g in result.schedule.session("j1-matin").groups}
    assert peer["peer-activist"] == ["helene-marchand-roux"]
    assert peer["peer-elected"] == ["marie-josee-carpentier"]
    assert all(len(g.trainers) == 1 for g in result.schedule.session("j1-apres-midi").groups)
