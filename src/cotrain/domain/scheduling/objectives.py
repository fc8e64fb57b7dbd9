"""How good a valid plan is: separate, named measures (the hard rules hold regardless).

* ``repeats``: repeated encounters, the sum over pairs of people of ``max(0, times met - 1)``,
  counting peer groups, mixed groups and pairs (whole-cohort sessions do not count: everyone
  is there).
* ``lower_bound``: the fewest repeated encounters any plan could reach under the same rules
  (the mixing engine's counting bound, the peer groups counted as earlier meetings).
* ``trainer_load_min`` / ``trainer_load_max``: groups led per trainer (peer and mixed groups,
  plus one per pairs half-day).
* ``peer_trainer_changes``: times a peer group gets another team than on its previous meeting.
* ``changes`` (re-planning): placements that differ from the previous schedule.
"""

from __future__ import annotations

from collections import Counter

from cotrain.domain.models import ScheduleFile
from cotrain.domain.scheduling.constraints import PlanContext
from cotrain.domain.scheduling.mixing import lower_bound, pair_key
from cotrain.enums import SessionKind

MEETING_KINDS = (SessionKind.PEER_GROUPS, SessionKind.MIXED_GROUPS, SessionKind.PAIRS)


def meetings(
    ctx: PlanContext, schedule: ScheduleFile, *, kinds: tuple[SessionKind, ...] = MEETING_KINDS
) -> Counter[tuple[str, str]]:
    """How many times each pair of participants shares a group, over sessions of ``kinds``."""
    met: Counter[tuple[str, str]] = Counter()
    for scheduled in schedule.sessions:
        spec = ctx.session_by_id.get(scheduled.session_id)
        if spec is None or spec.kind not in kinds:
            continue
        for group in scheduled.groups:
            members = sorted(set(group.members))
            for i, a in enumerate(members):
                for b in members[i + 1 :]:
                    met[pair_key(a, b)] += 1
    return met


def repeated_encounters(met: Counter[tuple[str, str]]) -> int:
    return sum(max(0, c - 1) for c in met.values())


def plan_lower_bound(ctx: PlanContext, schedule: ScheduleFile) -> int:
    """The mixing bound for the mixed half-days, peer-group meetings counted beforehand."""
    prior = meetings(ctx, schedule, kinds=(SessionKind.PEER_GROUPS,))
    rounds = len(ctx.sessions_of(SessionKind.MIXED_GROUPS))
    if not rounds:
        return repeated_encounters(prior)
    return lower_bound(ctx.mix_problem(rounds, prior_meetings=dict(prior)))


def trainer_loads(ctx: PlanContext, schedule: ScheduleFile) -> Counter[str]:
    """Groups led per trainer; a pairs half-day counts once however many pairs a duo follows."""
    load: Counter[str] = Counter({tid: 0 for tid in ctx.trainers})
    for scheduled in schedule.sessions:
        spec = ctx.session_by_id.get(scheduled.session_id)
        if spec is None or spec.kind not in MEETING_KINDS:
            continue
        led: Counter[str] = Counter()
        for group in scheduled.groups:
            led.update(group.trainers)
        for tid, count in led.items():
            load[tid] += 1 if spec.kind == SessionKind.PAIRS else count
    return load


def peer_trainer_changes(ctx: PlanContext, schedule: ScheduleFile) -> int:
    last: dict[str, tuple[str, ...]] = {}
    changes = 0
    for scheduled in schedule.sessions:
        spec = ctx.session_by_id.get(scheduled.session_id)
        if spec is None or spec.kind != SessionKind.PEER_GROUPS:
            continue
        for group in scheduled.groups:
            team = tuple(sorted(group.trainers))
            if group.id in last and last[group.id] != team:
                changes += 1
            last[group.id] = team
    return changes


def plan_quality(ctx: PlanContext, schedule: ScheduleFile) -> dict[str, int]:
    """The quality figures written to ``schedule.toml`` and printed by ``cotrain schedule``."""
    met = meetings(ctx, schedule)
    loads = trainer_loads(ctx, schedule)
    active = [v for v in loads.values()]
    figures = {
        "repeats": repeated_encounters(met),
        "lower_bound": plan_lower_bound(ctx, schedule),
        "distinct_pairs_met": len(met),
        "max_times_met": max(met.values(), default=0),
        "trainer_load_min": min(active, default=0),
        "trainer_load_max": max(active, default=0),
        "peer_trainer_changes": peer_trainer_changes(ctx, schedule),
    }
    if any(p.joined_from or p.left_from for p in ctx.participants):
        # Issue 15: people came and went mid-programme; the bound assumes everyone at every
        # half-day and would be meaningless (a negative gap).
        del figures["lower_bound"]
    return figures


def placements(schedule: ScheduleFile) -> dict[tuple[str, str], str]:
    """(session id, person id) -> group id."""
    return {
        (s.session_id, pid): g.id for s in schedule.sessions for g in s.groups for pid in g.members
    }


def changes(old: ScheduleFile, new: ScheduleFile) -> int:
    """Placements of ``new`` that differ from ``old`` (fewest-changes objective)."""
    before, after = placements(old), placements(new)
    return sum(1 for key, gid in after.items() if before.get(key) != gid) + sum(
        1 for key in before if key not in after
    )
