"""The hard rules of a plan, each written once (ConferenceScheduler style).

Every rule is a small named function ``rule_x(ctx, schedule)`` yielding labelled
:class:`PlanViolation` values. The plan builder runs them all on what it built (a plan that
breaks one is never written) and ``cotrain schedule check`` runs the same functions on a
hand-edited ``schedule.toml``. The mixed-group rules reuse the mixing engine's own rule
functions (``mixing.validate_rounds``) so that the optimiser and the validator share one
definition of "valid".

Violations are data (rule code, session id, group id, parameters); the CLI translates them
with ``schedule.rule.<code>``.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from cotrain.domain.config import Config, SessionSpec, Trainer
from cotrain.domain.models import Group, Participant, ScheduledSession, ScheduleFile
from cotrain.domain.scheduling.mixing import MixPerson, MixProblem, validate_rounds
from cotrain.enums import Facilitation, Mixing, Role, SessionKind, TrainerKind

# Sessions where everyone sits in one group "all" (no meeting counted, no mixing rule).
WHOLE_KINDS = (SessionKind.PLENARY, SessionKind.CLOSING, SessionKind.INDIVIDUAL)
# Sessions whose groups are led by a trainer duo (or a referent).
LED_KINDS = (SessionKind.PEER_GROUPS, SessionKind.MIXED_GROUPS, SessionKind.PAIRS)
WHOLE_GROUP = "all"
TRAINERS_GROUP = "trainers"


@dataclass(frozen=True)
class PlanViolation:
    """One broken rule: ``rule`` code, where (session id, group id), and the numbers/ids."""

    rule: str
    session: str | None = None
    group: str | None = None
    params: dict[str, object] = field(default_factory=dict)
    key: str | None = None  # TOML key path in schedule.toml or cotrain.toml, when useful

    def as_dict(self) -> dict[str, object]:
        return {
            "rule": self.rule,
            "session": self.session,
            "group": self.group,
            "key": self.key,
            "params": self.params,
        }


class PlanContext:
    """What the rules need to know: the plan, its participants and trainers, in one place."""

    def __init__(self, config: Config, participants: Sequence[Participant]) -> None:
        self.config = config
        self.rules = config.plan.rules
        self.participants = list(participants)
        self.by_id = {p.id: p for p in self.participants}
        self.trainers: dict[str, Trainer] = {tr.id: tr for tr in config.trainers}
        indexed = list(enumerate(config.plan.sessions))
        indexed.sort(key=lambda item: (item[1].date, config.plan.times(item[1])[0], item[0]))
        self.sessions: list[SessionSpec] = [s for _, s in indexed]
        self.session_by_id = {s.id: s for s in self.sessions}
        self._order = {s.id: k for k, s in enumerate(self.sessions)}

    # --- people ---------------------------------------------------------------------------

    def expected_at(self, pid: str, session_id: str) -> bool:
        """Whether participant ``pid`` is expected at ``session_id`` (joined, not yet left)."""
        from cotrain.domain.changes import is_expected

        return is_expected(self.by_id[pid], session_id, self._order)

    def world_of(self, role: Role) -> int | None:
        """Index of the peer world holding ``role`` (``plan.rules.peer_worlds``), or None."""
        for index, world in enumerate(self.rules.peer_worlds):
            if role in world:
                return index
        return None

    def peer_parts(self, world: int, people: int) -> int:
        """How many peer groups a world of ``people`` splits into: the count set in
        ``plan.rules.peer_groups`` for one of its roles, else as few as the cap allows."""
        if not people:
            return 0
        for role in self.rules.peer_worlds[world]:
            if role in self.rules.peer_groups:
                return min(self.rules.peer_groups[role], people)
        return -(-people // self.rules.peer_group_cap)

    def co_leaders(self) -> list[str]:
        """With ``facilitation = "activists"``: the co-trainers who are also trained (their
        ``[[trainers]]`` id is a participant's id), in id order; else none."""
        if self.rules.facilitation != Facilitation.ACTIVISTS:
            return []
        return sorted(
            tid
            for tid, tr in self.trainers.items()
            if tr.kind == TrainerKind.CO_TRAINER and tid in self.by_id
        )

    def mix_person(self, pid: str) -> MixPerson:
        p = self.by_id[pid]
        return MixPerson(p.id, p.role.value, p.city_id or None)

    def mix_problem(self, rounds: int, **changes: object) -> MixProblem:
        """The mixing problem of the mixed-group sessions (people in id order)."""
        known = set(self.by_id)
        apart = tuple((a, b) for a, b in self.rules.keep_apart if a in known and b in known)
        # activists co-leading: one in each mixed group, so that each group has its duo
        leaders = self.co_leaders()[: self.rules.mixed_groups]
        apart += tuple((a, b) for i, a in enumerate(leaders) for b in leaders[i + 1 :])
        people = tuple(self.mix_person(pid) for pid in sorted(known))
        min_per_group = (
            {Role.ACTIVIST.value: self.rules.min_activists_per_group}
            if self.rules.min_activists_per_group
            else {}
        )
        args: dict[str, object] = dict(
            people=people,
            rounds=rounds,
            groups=self.rules.mixed_groups,
            min_per_group=min_per_group,
            spread_roles=self.rules.spread_roles,
            spread_cities=self.rules.spread_cities,
            keep_apart=apart,
            stable=self.rules.mixing == Mixing.STABLE,
        )
        args.update(changes)
        return MixProblem(**args)  # type: ignore[arg-type]

    # --- sessions and trainers ------------------------------------------------------------

    def sessions_of(self, kind: SessionKind) -> list[SessionSpec]:
        return [s for s in self.sessions if s.kind == kind]

    def span(self, session: SessionSpec) -> tuple[datetime, datetime]:
        start, end = self.config.plan.times(session)
        return datetime.combine(session.date, start), datetime.combine(session.date, end)

    def overlap(self, a: SessionSpec, b: SessionSpec) -> bool:
        (s1, e1), (s2, e2) = self.span(a), self.span(b)
        return s1 < e2 and s2 < e1

    def is_available(self, trainer_id: str, session: SessionSpec) -> bool:
        """A trainer is absent from a session listed in ``unavailable``; a trainers' meeting
        also misses those absent from the trainee session of the same half-day (a debrief
        follows the afternoon it debriefs)."""
        trainer = self.trainers.get(trainer_id)
        if trainer is None:
            return False
        if session.id in trainer.unavailable:
            return False
        if session.kind == SessionKind.TRAINERS_MEETING:
            for other in self.sessions:
                if (
                    other.date == session.date
                    and other.half == session.half
                    and other.kind != SessionKind.TRAINERS_MEETING
                    and other.id in trainer.unavailable
                ):
                    return False
        return True

    def available_trainers(self, session: SessionSpec) -> list[str]:
        return [tid for tid in sorted(self.trainers) if self.is_available(tid, session)]


Rule = Callable[[PlanContext, ScheduleFile], Iterator[PlanViolation]]


def _key(
    si: int, gi: int | None = None, field_name: str | None = None, k: int | None = None
) -> str:
    path = f"sessions[{si}]"
    if gi is not None:
        path += f".groups[{gi}]"
    if field_name:
        path += f".{field_name}"
    if k is not None:
        path += f"[{k}]"
    return path


def _planned(
    ctx: PlanContext, schedule: ScheduleFile
) -> Iterator[tuple[int, ScheduledSession, SessionSpec]]:
    seen: set[str] = set()
    for si, scheduled in enumerate(schedule.sessions):
        spec = ctx.session_by_id.get(scheduled.session_id)
        if spec is not None and scheduled.session_id not in seen:
            seen.add(scheduled.session_id)
            yield si, scheduled, spec


# --------------------------------------------------------------------------- the file itself


def rule_known_sessions(ctx: PlanContext, schedule: ScheduleFile) -> Iterator[PlanViolation]:
    """Every scheduled session exists in cotrain.toml, once."""
    seen: set[str] = set()
    for si, scheduled in enumerate(schedule.sessions):
        sid = scheduled.session_id
        if sid not in ctx.session_by_id:
            yield PlanViolation(
                "unknown_session",
                sid,
                None,
                {"session": sid},
                key=_key(si, field_name="session_id"),
            )
        elif sid in seen:
            yield PlanViolation(
                "duplicate_session",
                sid,
                None,
                {"session": sid},
                key=_key(si, field_name="session_id"),
            )
        seen.add(sid)


def rule_all_sessions_planned(ctx: PlanContext, schedule: ScheduleFile) -> Iterator[PlanViolation]:
    """Every half-day of cotrain.toml appears in the schedule."""
    planned = {s.session_id for s in schedule.sessions}
    for spec in ctx.sessions:
        if spec.id not in planned:
            yield PlanViolation("missing_session", spec.id, None, {"session": spec.id})


def rule_known_people(ctx: PlanContext, schedule: ScheduleFile) -> Iterator[PlanViolation]:
    """Members are participants; trainers are declared in cotrain.toml; group ids unique."""
    for si, scheduled in enumerate(schedule.sessions):
        ids: Counter[str] = Counter(g.id for g in scheduled.groups)
        for gid in sorted(g for g, c in ids.items() if c > 1):
            yield PlanViolation(
                "duplicate_group",
                scheduled.session_id,
                gid,
                {"group": gid},
                key=_key(si, field_name="groups"),
            )
        for gi, group in enumerate(scheduled.groups):
            for k, pid in enumerate(group.members):
                if pid not in ctx.by_id:
                    yield PlanViolation(
                        "unknown_person",
                        scheduled.session_id,
                        group.id,
                        {"person": pid},
                        key=_key(si, gi, "members", k),
                    )
            for k, tid in enumerate(group.trainers):
                if tid not in ctx.trainers:
                    yield PlanViolation(
                        "unknown_trainer",
                        scheduled.session_id,
                        group.id,
                        {"trainer": tid},
                        key=_key(si, gi, "trainers", k),
                    )


def rule_everyone_placed(ctx: PlanContext, schedule: ScheduleFile) -> Iterator[PlanViolation]:
    """At a trainee half-day every participant sits in exactly one group; trainers' meetings
    have no participants."""
    for si, scheduled, spec in _planned(ctx, schedule):
        if spec.kind == SessionKind.TRAINERS_MEETING:
            for gi, group in enumerate(scheduled.groups):
                if group.members:
                    yield PlanViolation(
                        "meeting_with_participants",
                        spec.id,
                        group.id,
                        {"count": len(group.members)},
                        key=_key(si, gi, "members"),
                    )
            continue
        where: dict[str, list[str]] = defaultdict(list)
        for group in scheduled.groups:
            for pid in group.members:
                where[pid].append(group.id)
        for pid in sorted(where):
            if len(where[pid]) > 1 and pid in ctx.by_id:
                yield PlanViolation(
                    "person_twice", spec.id, None, {"person": pid, "groups": ", ".join(where[pid])}
                )
        # Issue 15: after a change mid-programme, people are expected only in their window.
        expected = {pid for pid in ctx.by_id if ctx.expected_at(pid, spec.id)}
        for pid in sorted(expected - set(where)):
            yield PlanViolation("person_missing", spec.id, None, {"person": pid})
        for pid in sorted((set(where) & set(ctx.by_id)) - expected):
            yield PlanViolation("person_not_expected", spec.id, None, {"person": pid})


# --------------------------------------------------------------------------- peer groups


def rule_peer_before_mixed(ctx: PlanContext, schedule: ScheduleFile) -> Iterator[PlanViolation]:
    """Peer groups meet before any mixed group (``plan.rules.peer_before_mixed``)."""
    yield from check_peer_order(ctx)


def check_peer_order(ctx: PlanContext) -> Iterator[PlanViolation]:
    if not ctx.rules.peer_before_mixed:
        return
    peers = ctx.sessions_of(SessionKind.PEER_GROUPS)
    if not peers:
        mixed = ctx.sessions_of(SessionKind.MIXED_GROUPS)
        if mixed:  # peer groups first means there are peer groups (issue 15)
            yield PlanViolation(
                "no_peer_groups", mixed[0].id, None, {"session": mixed[0].id}, key="plan.sessions"
            )
        return
    first = ctx.span(peers[0])[0]
    for spec in ctx.sessions_of(SessionKind.MIXED_GROUPS):
        if ctx.span(spec)[0] < first:
            yield PlanViolation(
                "peer_after_mixed", spec.id, None, {"session": spec.id, "peer_session": peers[0].id}
            )


def rule_peer_groups(ctx: PlanContext, schedule: ScheduleFile) -> Iterator[PlanViolation]:
    """A peer group gathers one world, holds at most ``peer_group_cap`` people, and when a
    world is split its cities are spread across the parts."""
    cap = ctx.rules.peer_group_cap
    for si, scheduled, spec in _planned(ctx, schedule):
        if spec.kind != SessionKind.PEER_GROUPS:
            continue
        parts: dict[int, list[Group]] = defaultdict(list)
        for gi, group in enumerate(scheduled.groups):
            worlds = {
                ctx.world_of(ctx.by_id[pid].role) for pid in group.members if pid in ctx.by_id
            }
            if len(worlds) > 1 or None in worlds:
                roles = sorted(
                    {ctx.by_id[pid].role.value for pid in group.members if pid in ctx.by_id}
                )
                yield PlanViolation(
                    "peer_world_mixed",
                    spec.id,
                    group.id,
                    {"roles": roles},
                    key=_key(si, gi, "members"),
                )
            elif worlds:
                world = next(iter(worlds))
                if world is not None:
                    parts[world].append(group)
            if len(group.members) > cap and not _counted_world(ctx, group):
                yield PlanViolation(
                    "peer_group_too_big",
                    spec.id,
                    group.id,
                    {"size": len(group.members), "cap": cap},
                )
        for _, groups in sorted(parts.items()):
            if len(groups) < 2:
                continue
            sizes = [len(g.members) for g in groups]
            if max(sizes) - min(sizes) > 1:
                yield PlanViolation(
                    "group_size",
                    spec.id,
                    groups[sizes.index(max(sizes))].id,
                    {"size": max(sizes), "minimum": min(sizes), "maximum": min(sizes) + 1},
                )
            yield from _spread(ctx, spec.id, groups, "peer_city_spread")


def _counted_world(ctx: PlanContext, group: Group) -> bool:
    """A group of a world whose number of peer groups is set: the count wins over the cap."""
    worlds = {ctx.world_of(ctx.by_id[pid].role) for pid in group.members if pid in ctx.by_id}
    return len(worlds) == 1 and any(
        r in ctx.rules.peer_groups
        for w in worlds
        if w is not None
        for r in ctx.rules.peer_worlds[w]
    )


def _spread(
    ctx: PlanContext, session_id: str, groups: Sequence[Group], rule: str
) -> Iterator[PlanViolation]:
    count = len(groups)
    per_group = [
        Counter(
            ctx.by_id[pid].city_id
            for pid in g.members
            if pid in ctx.by_id and ctx.by_id[pid].city_id
        )
        for g in groups
    ]
    totals: Counter[str] = Counter()
    for c in per_group:
        totals.update(c)
    for city in sorted(totals):
        low, high = totals[city] // count, -(-totals[city] // count)
        for group, counts in zip(groups, per_group, strict=True):
            if not low <= counts[city] <= high:
                yield PlanViolation(
                    rule,
                    session_id,
                    group.id,
                    {"city": city, "count": counts[city], "low": low, "high": high},
                )


# --------------------------------------------------------------------------- mixed groups


def rule_mixed_groups(ctx: PlanContext, schedule: ScheduleFile) -> Iterator[PlanViolation]:
    """Mixed groups: the configured number of groups, balanced sizes, at least
    ``min_activists_per_group`` activists, roles and cities spread as evenly as the numbers
    allow (the mixing engine's rules, run on each half-day)."""
    problem = ctx.mix_problem(1, stable=False, keep_apart=())
    windows = any(p.joined_from or p.left_from for p in ctx.participants)
    for _, scheduled, spec in _planned(ctx, schedule):
        if spec.kind != SessionKind.MIXED_GROUPS:
            continue
        if windows:  # issue 15: only the people expected at this half-day
            here = tuple(
                ctx.mix_person(pid) for pid in sorted(ctx.by_id) if ctx.expected_at(pid, spec.id)
            )
            problem = ctx.mix_problem(1, stable=False, keep_apart=(), people=here)
        groups = [[pid for pid in g.members if pid in ctx.by_id] for g in scheduled.groups]
        for v in validate_rounds(problem, [groups]):
            if v.rule in ("round_count", "unknown_person", "duplicate_person", "missing_person"):
                continue  # reported once, for every kind of session, by rule_everyone_placed
            group_id = scheduled.groups[v.group].id if v.group is not None else None
            yield PlanViolation(v.rule, spec.id, group_id, dict(v.params))


def rule_stable_groups(ctx: PlanContext, schedule: ScheduleFile) -> Iterator[PlanViolation]:
    """With ``mixing = "stable"`` every mixed half-day keeps the groups of the first one."""
    if ctx.rules.mixing != Mixing.STABLE:
        return
    first: tuple[tuple[str, ...], ...] | None = None
    first_id = ""
    for _, scheduled, spec in _planned(ctx, schedule):
        if spec.kind != SessionKind.MIXED_GROUPS:
            continue
        shape = tuple(sorted(tuple(sorted(g.members)) for g in scheduled.groups))
        if first is None:
            first, first_id = shape, spec.id
        elif shape != first:
            yield PlanViolation("stable", spec.id, None, {"first_session": first_id})


def kept_apart(ctx: PlanContext, a: str, b: str) -> bool:
    """``a`` and ``b`` are a ``keep_apart`` pair: never in one group (the one definition used
    by the peer-group builder, the pairs, the mixing engine's input and the validator)."""
    return a != b and ((a, b) in ctx.rules.keep_apart or (b, a) in ctx.rules.keep_apart)


def rule_keep_apart(ctx: PlanContext, schedule: ScheduleFile) -> Iterator[PlanViolation]:
    """``keep_apart`` pairs never share a group or a pair (whole-cohort sessions aside)."""
    pairs = [(a, b) for a, b in ctx.rules.keep_apart if a != b]
    if not pairs:
        return
    for _, scheduled, spec in _planned(ctx, schedule):
        if spec.kind not in LED_KINDS:
            continue
        for group in scheduled.groups:
            members = set(group.members)
            for a, b in pairs:
                if a in members and b in members and kept_apart(ctx, a, b):
                    yield PlanViolation("keep_apart", spec.id, group.id, {"first": a, "second": b})


# --------------------------------------------------------------------------- pairs


def pair_conflict(ctx: PlanContext, a: str, b: str) -> str | None:
    """Why ``a`` and ``b`` cannot work as a pair (a rule code), or None."""
    pa, pb = ctx.by_id[a], ctx.by_id[b]
    if pa.role == pb.role:
        return "pair_same_role"
    if pa.city_id and pa.city_id == pb.city_id:
        return "pair_same_city"
    if kept_apart(ctx, a, b):
        return "keep_apart"
    return None


def rule_pairs(ctx: PlanContext, schedule: ScheduleFile) -> Iterator[PlanViolation]:
    """Pairs (binômes) couple people of different roles and cities; an odd count makes one
    trio."""
    for _, scheduled, spec in _planned(ctx, schedule):
        if spec.kind != SessionKind.PAIRS:
            continue
        trios = 0
        for group in scheduled.groups:
            members = [pid for pid in group.members if pid in ctx.by_id]
            size = len(group.members)
            if size == 3:
                trios += 1
            here = sum(1 for pid in ctx.by_id if ctx.expected_at(pid, spec.id))
            if size not in (2, 3) or (size == 3 and trios > here % 2):
                yield PlanViolation("pair_size", spec.id, group.id, {"size": size})
            for i, a in enumerate(members):
                for b in members[i + 1 :]:
                    code = pair_conflict(ctx, a, b)
                    if code and code != "keep_apart":  # keep_apart has its own rule
                        yield PlanViolation(code, spec.id, group.id, {"first": a, "second": b})


# --------------------------------------------------------------------------- facilitation


def is_duo(ctx: PlanContext, trainer_ids: Sequence[str]) -> bool:
    kinds = sorted(ctx.trainers[t].kind.value for t in trainer_ids if t in ctx.trainers)
    return len(trainer_ids) == 2 and kinds == sorted(k.value for k in TrainerKind)


def can_refer(ctx: PlanContext, trainer_id: str, world: int | None) -> bool:
    trainer = ctx.trainers.get(trainer_id)
    if trainer is None or world is None:
        return False
    return bool(set(trainer.world) & set(ctx.rules.peer_worlds[world]))


def rule_facilitation(ctx: PlanContext, schedule: ScheduleFile) -> Iterator[PlanViolation]:
    """Duos: every peer, mixed and pairs group has a professional trainer and a co-trainer.
    Referents: one facilitator per group, from the peer group's own world."""
    referents = ctx.rules.facilitation == Facilitation.REFERENTS
    co_lead = ctx.rules.facilitation == Facilitation.ACTIVISTS
    for _, scheduled, spec in _planned(ctx, schedule):
        if spec.kind not in LED_KINDS:
            continue
        for group in scheduled.groups:
            known = [t for t in group.trainers if t in ctx.trainers]
            if referents:
                if len(group.trainers) != 1:
                    yield PlanViolation(
                        "needs_referent", spec.id, group.id, {"count": len(group.trainers)}
                    )
                elif spec.kind == SessionKind.PEER_GROUPS and known:
                    worlds = {
                        ctx.world_of(ctx.by_id[p].role) for p in group.members if p in ctx.by_id
                    }
                    if len(worlds) == 1 and not can_refer(ctx, known[0], next(iter(worlds))):
                        yield PlanViolation(
                            "referent_world", spec.id, group.id, {"trainer": known[0]}
                        )
            elif co_lead and spec.kind != SessionKind.MIXED_GROUPS:
                pros = [
                    t for t in known if ctx.trainers[t].kind == TrainerKind.PROFESSIONAL_TRAINER
                ]
                if not pros:
                    yield PlanViolation("needs_trainer", spec.id, group.id, {})
            elif not is_duo(ctx, group.trainers):
                yield PlanViolation("needs_duo", spec.id, group.id, {"count": len(group.trainers)})
            # A co-trainer who is also trained leads only the group they are in: leading counts
            # as being there, so nobody is in two places in a half-day (issue 15).
            for tid in known:
                if tid in ctx.by_id and tid not in group.members and spec.kind in LED_KINDS:
                    yield PlanViolation("leader_elsewhere", spec.id, group.id, {"trainer": tid})


def rule_trainers_available(ctx: PlanContext, schedule: ScheduleFile) -> Iterator[PlanViolation]:
    """Nobody leads a session they declared unavailable for (``trainers.unavailable``)."""
    for _, scheduled, spec in _planned(ctx, schedule):
        for group in scheduled.groups:
            for tid in group.trainers:
                if tid in ctx.trainers and not ctx.is_available(tid, spec):
                    yield PlanViolation("trainer_unavailable", spec.id, group.id, {"trainer": tid})


def rule_trainers_once(ctx: PlanContext, schedule: ScheduleFile) -> Iterator[PlanViolation]:
    """Nobody leads two groups at once. In a pairs session one duo may look after several
    pairs, but always with the same partner."""
    planned = list(_planned(ctx, schedule))
    for _, scheduled, spec in planned:
        if spec.kind == SessionKind.TRAINERS_MEETING or spec.kind in WHOLE_KINDS:
            continue
        teams: dict[str, set[tuple[str, ...]]] = defaultdict(set)
        groups_of: dict[str, list[str]] = defaultdict(list)
        for group in scheduled.groups:
            for tid in group.trainers:
                teams[tid].add(tuple(sorted(group.trainers)))
                groups_of[tid].append(group.id)
        for tid in sorted(groups_of):
            several = len(groups_of[tid]) > 1
            if several and (spec.kind != SessionKind.PAIRS or len(teams[tid]) > 1):
                yield PlanViolation(
                    "trainer_twice",
                    spec.id,
                    None,
                    {"trainer": tid, "groups": ", ".join(groups_of[tid])},
                )
    for i, (_, first, a) in enumerate(planned):
        for _, second, b in planned[i + 1 :]:
            if not ctx.overlap(a, b):
                continue
            common = {t for g in first.groups for t in g.trainers} & {
                t for g in second.groups for t in g.trainers
            }
            for tid in sorted(common):
                yield PlanViolation(
                    "trainer_overlap", b.id, None, {"trainer": tid, "other_session": a.id}
                )


HARD_RULES: tuple[Rule, ...] = (
    rule_known_sessions,
    rule_all_sessions_planned,
    rule_known_people,
    rule_everyone_placed,
    rule_peer_before_mixed,
    rule_peer_groups,
    rule_mixed_groups,
    rule_stable_groups,
    rule_keep_apart,
    rule_pairs,
    rule_facilitation,
    rule_trainers_available,
    rule_trainers_once,
)


def validate_schedule(ctx: PlanContext, schedule: ScheduleFile) -> list[PlanViolation]:
    """Every broken hard rule of ``schedule``, in plan order; empty when it is valid."""
    order = {s.id: i for i, s in enumerate(ctx.sessions)}
    found = [v for rule in HARD_RULES for v in rule(ctx, schedule)]
    return sorted(found, key=lambda v: order.get(v.session or "", -1))
