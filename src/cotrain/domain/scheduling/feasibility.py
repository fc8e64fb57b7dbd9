"""Before solving: plain reasons why the plan cannot work, with the numbers to fix it.

``check_plan`` returns :class:`PlanViolation` values (never raises); the CLI translates them
(``schedule.infeasible.<code>``) and stops without writing anything.
"""

from __future__ import annotations

from collections import Counter
from difflib import get_close_matches

from cotrain.domain.scheduling.constraints import (
    LED_KINDS,
    PlanContext,
    PlanViolation,
    check_peer_order,
)
from cotrain.domain.scheduling.mixing import check_feasibility
from cotrain.domain.scheduling.teams import session_teams
from cotrain.enums import Facilitation, Role, SessionKind


def peer_part_counts(ctx: PlanContext) -> list[tuple[int, int]]:
    """Per peer world: (people in it, number of peer groups it splits into)."""
    out = []
    for index, world in enumerate(ctx.rules.peer_worlds):
        count = sum(1 for p in ctx.participants if p.role in world)
        out.append((count, ctx.peer_parts(index, count)))
    return out


def groups_needed(ctx: PlanContext, kind: SessionKind) -> int:
    if kind == SessionKind.PEER_GROUPS:
        return sum(parts for _, parts in peer_part_counts(ctx))
    if kind == SessionKind.MIXED_GROUPS:
        return ctx.rules.mixed_groups
    if kind == SessionKind.PAIRS:
        return 1  # several pairs may share one duo
    return 0


def unknown_in_keep_apart(ctx: PlanContext, known: set[str]) -> list[PlanViolation]:
    """The ``keep_apart`` ids known nowhere (a typo): ``schedule check`` reports them as
    ``schedule`` does, since the rule they write cannot be kept."""
    return [v for v in _check_keep_apart(ctx, known) if v.rule.startswith("keep_apart_unknown")]


def check_plan(
    ctx: PlanContext, *, has_selection: bool = True, known_people: set[str] | None = None
) -> list[PlanViolation]:
    """Everything that makes the plan impossible, found before solving; empty when none.

    ``known_people``: every id of the workspace (applications and activists). A ``keep_apart``
    id known there but not a participant (a city not selected) is ignored; an id known
    nowhere is reported as a typo.
    """
    out: list[PlanViolation] = []
    if not has_selection:
        out.append(PlanViolation("no_selection"))
        return out
    if not ctx.participants:
        out.append(PlanViolation("no_participants"))
        return out
    out.extend(check_peer_order(ctx))
    out.extend(_check_keep_apart(ctx, known_people or set()))
    mixed = ctx.sessions_of(SessionKind.MIXED_GROUPS)
    if mixed:
        out.extend(_check_mixing(ctx, len(mixed)))
    if ctx.sessions_of(SessionKind.PAIRS):
        out.extend(_check_pairs(ctx))
    out.extend(_check_trainers(ctx))
    return out


def _check_keep_apart(ctx: PlanContext, known: set[str]) -> list[PlanViolation]:
    out: list[PlanViolation] = []
    parts = peer_part_counts(ctx)
    for i, (a, b) in enumerate(ctx.rules.keep_apart):
        key = f"plan.rules.keep_apart[{i}]"
        unknown = [pid for pid in (a, b) if pid not in ctx.by_id and pid not in known]
        if any(pid not in ctx.by_id for pid in (a, b)) and not unknown:
            continue  # someone not taking part (city not selected): nothing to keep apart
        if unknown:
            for pid in unknown:
                near = get_close_matches(pid, sorted(set(ctx.by_id) | known), n=1, cutoff=0.6)
                out.append(
                    PlanViolation(
                        "keep_apart_unknown_near" if near else "keep_apart_unknown",
                        None,
                        None,
                        {"person": pid, "near": near[0] if near else ""},
                        key=key,
                    )
                )
            continue
        if a == b:
            out.append(PlanViolation("keep_apart_self", None, None, {"person": a}, key=key))
            continue
        wa, wb = ctx.world_of(ctx.by_id[a].role), ctx.world_of(ctx.by_id[b].role)
        if (
            wa is not None
            and wa == wb
            and parts[wa][1] <= 1
            and ctx.sessions_of(SessionKind.PEER_GROUPS)
        ):
            out.append(
                PlanViolation(
                    "keep_apart_peer",
                    None,
                    None,
                    {"first": a, "second": b, "cap": ctx.rules.peer_group_cap},
                    key=key,
                )
            )
    return out


def _check_mixing(ctx: PlanContext, rounds: int) -> list[PlanViolation]:
    out: list[PlanViolation] = []
    problem = ctx.mix_problem(rounds)
    for v in check_feasibility(problem):
        p = dict(v.params)
        if v.rule == "min_role":
            out.append(
                PlanViolation(
                    "min_activists",
                    None,
                    None,
                    {
                        "available": p["available"],
                        "groups": p["groups"],
                        "minimum": p["minimum"],
                        "max_groups": p["max_groups"],
                        "missing": p["missing"],
                    },
                    key="plan.rules.min_activists_per_group",
                )
            )
        elif v.rule == "group_count":
            out.append(
                PlanViolation(
                    "too_many_groups",
                    None,
                    None,
                    {"groups": p.get("groups"), "people": p.get("people")},
                    key="plan.rules.mixed_groups",
                )
            )
        elif v.rule == "group_size":
            out.append(
                PlanViolation(
                    "groups_too_small",
                    None,
                    None,
                    {"size": p["size"], "required": p["required"]},
                    key="plan.rules.mixed_groups",
                )
            )
        elif v.rule == "keep_apart" and len(p.get("people", [])) > 1:  # type: ignore[arg-type]
            out.append(
                PlanViolation(
                    "keep_apart_clique",
                    None,
                    None,
                    {
                        "people": ", ".join(p["people"]),  # type: ignore[arg-type]
                        "groups": p["groups"],
                    },
                    key="plan.rules.keep_apart",
                )
            )
    return out


def _check_pairs(ctx: PlanContext) -> list[PlanViolation]:
    n = len(ctx.participants)
    room = n // 2  # pairs, the trio counting as one
    if n < 2:
        return [PlanViolation("pairs_too_few", None, None, {"people": n})]
    out: list[PlanViolation] = []
    roles = Counter(p.role for p in ctx.participants)
    for role, count in sorted(roles.items()):
        if count > room:
            out.append(
                PlanViolation(
                    "pairs_role", None, None, {"role": role.value, "count": count, "pairs": room}
                )
            )
    cities = Counter(p.city_id for p in ctx.participants if p.city_id)
    for city, count in sorted(cities.items()):
        if count > room:
            out.append(
                PlanViolation(
                    "pairs_city", None, None, {"city": city, "count": count, "pairs": room}
                )
            )
    return out


def _check_trainers(ctx: PlanContext) -> list[PlanViolation]:
    out: list[PlanViolation] = []
    referents = ctx.rules.facilitation == Facilitation.REFERENTS
    for spec in ctx.sessions:
        if spec.kind not in LED_KINDS:
            continue
        needed = groups_needed(ctx, spec.kind)
        teams = session_teams(ctx, spec)
        if len(teams.teams) < needed:
            names = ", ".join(ctx.trainers[t].name for t in teams.absent)
            code = "not_enough_referents" if referents else "not_enough_duos"
            if teams.absent:
                code += "_absent" if len(teams.absent) == 1 else "_absents"
            out.append(
                PlanViolation(
                    code,
                    spec.id,
                    None,
                    {
                        "session": spec.id,
                        "needed": needed,
                        "available": len(teams.teams),
                        "absent": names,
                    },
                )
            )
        if referents and spec.kind == SessionKind.PEER_GROUPS:
            for world, (count, parts) in zip(
                ctx.rules.peer_worlds, peer_part_counts(ctx), strict=True
            ):
                if not count:
                    continue
                able = [t for (t,) in teams.teams if set(ctx.trainers[t].world) & set(world)]
                if len(able) < parts:
                    out.append(
                        PlanViolation(
                            "referents_for_world",
                            spec.id,
                            None,
                            {
                                "session": spec.id,
                                "world": _world_label_roles(world),
                                "needed": parts,
                                "available": len(able),
                            },
                        )
                    )
    return out


def _world_label_roles(world: list[Role]) -> str:
    return "+".join(r.value for r in world)
