"""Changing a plan as little as possible: replacing one person, re-planning after a change.

* :func:`replace_person` puts a substitute of the same role and city in every seat of the
  person replaced; nothing else moves.
* :func:`replan` (``cotrain schedule --keep``) keeps every group that still satisfies the
  rules, removes people who left, places newcomers, repairs a broken mixed half-day by the
  fewest moves it finds (each move keeps the groups it does not need to touch), lets the
  mixing engine re-plan only the half-days it could not repair (the kept ones are passed as
  ``MixProblem.fixed``), and reports every move.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from cotrain.domain import names
from cotrain.domain.config import Config
from cotrain.domain.models import (
    ApplicationsFile,
    Group,
    Participant,
    Person,
    ScheduleFile,
    SelectionFile,
)
from cotrain.domain.participants import list_participants
from cotrain.domain.scheduling.constraints import (
    PlanContext,
    PlanViolation,
    pair_conflict,
    rule_peer_groups,
)
from cotrain.domain.scheduling.diff import Move, diff_schedules
from cotrain.domain.scheduling.feasibility import check_plan
from cotrain.domain.scheduling.mixing import MixProblem, MixQuality, pair_key, validate_rounds
from cotrain.domain.scheduling.objectives import plan_quality
from cotrain.domain.scheduling.plan import KeepHints, PeerPart, PlanResult, build_plan, make_pairs
from cotrain.enums import Mixing, Role, SessionKind

# --------------------------------------------------------------------------- replace


@dataclass
class ReplaceOutcome:
    schedule: ScheduleFile | None = None
    applications: ApplicationsFile | None = None  # None: applications.toml unchanged
    participants: list[Participant] = field(default_factory=list)
    moves: list[Move] = field(default_factory=list)
    notices: list[PlanViolation] = field(default_factory=list)
    error: str | None = None
    params: dict[str, object] = field(default_factory=dict)
    old_id: str = ""
    new_id: str = ""
    old_name: str = ""
    new_name: str = ""


def slugify(text: str) -> str:
    """The id a new person gets: the same as at import (issue 16: one slug for all)."""
    return names.slugify(text, "personne")


def _match(ident: str, pid: str, name: str) -> bool:
    return ident == pid or ident.casefold().strip() == name.casefold().strip()


def replace_person(
    config: Config,
    applications: ApplicationsFile | None,
    selection: SelectionFile | None,
    schedule: ScheduleFile,
    *,
    old: str,
    by: str | None = None,
    new_name: str | None = None,
    new_email: str = "",
) -> ReplaceOutcome:
    """Give ``old``'s seats to a substitute of the same role and city; nothing else moves.

    The substitute is ``by`` (id or name of a person of the same city in applications.toml,
    or of an activist of cotrain.toml, not yet in the schedule) or a new person named
    ``new_name``, added to the city's application. For a city's member, ``old`` leaves the
    application so that the participants (and attendance sheets) follow the schedule; an
    activist replaced stays in cotrain.toml, which the manager edits (a notice says so).
    """
    applications = applications or ApplicationsFile()
    people = list_participants(config, applications, selection)
    scheduled = {m for s in schedule.sessions for g in s.groups for m in g.members}
    person = next((p for p in people if _match(old, p.id, p.name) and p.id in scheduled), None)
    if person is None:
        return ReplaceOutcome(error="not_scheduled", params={"person": old})
    out = ReplaceOutcome(old_id=person.id, old_name=person.name)
    app = applications.get(person.city_id) if person.city_id else None
    new_apps: ApplicationsFile | None = None
    if new_name is not None:
        if app is None:
            return ReplaceOutcome(error="activist_by_name", params={"person": person.name})
        taken = {p.id for a in applications.applications for p in a.people} | {
            a.id for a in config.activists
        }
        base = slugify(new_name)
        new_id, k = base, 2
        while new_id in taken:
            new_id, k = f"{base}-{k}", k + 1
        newcomer = Person(
            id=new_id, name=new_name.strip(), role=person.role, email=new_email, committed=True
        )
        kept = [p for p in app.people if p.id != person.id] + [newcomer]
        new_apps = _with_people(applications, app.city_id, kept)
        out.new_id, out.new_name = new_id, newcomer.name
    else:
        assert by is not None
        candidates: list[tuple[str, str, Role, str]] = [
            (p.id, p.name, p.role, a.city_id) for a in applications.applications for p in a.people
        ]
        candidates += [(a.id, a.name, Role.ACTIVIST, "") for a in config.activists]
        found = [c for c in candidates if _match(by, c[0], c[1])]
        if not found:
            return ReplaceOutcome(error="unknown_new", params={"person": by})
        new_id, name, role, city = found[0]
        if new_id in scheduled:
            return ReplaceOutcome(error="already_scheduled", params={"person": name})
        if role != person.role:
            return ReplaceOutcome(
                error="different_role",
                params={"person": name, "role": role.value, "expected": person.role.value},
            )
        if city != person.city_id:
            return ReplaceOutcome(error="different_city", params={"person": name})
        out.new_id, out.new_name = new_id, name
        if app is not None:
            new_apps = _with_people(
                applications, app.city_id, [p for p in app.people if p.id != person.id]
            )
        else:
            out.notices.append(
                PlanViolation("remove_activist", None, None, {"person": person.name})
            )
    if any(person.id in pair for pair in config.plan.rules.keep_apart):
        out.notices.append(PlanViolation("keep_apart_stale", None, None, {"person": person.name}))
    out.schedule = _substitute(schedule, person.id, out.new_id)
    out.applications = new_apps
    out.participants = list_participants(config, new_apps or applications, selection)
    out.moves = diff_schedules(schedule, out.schedule)
    return out


def _with_people(
    applications: ApplicationsFile, city_id: str, people: list[Person]
) -> ApplicationsFile:
    apps = [
        a.model_copy(update={"people": people}) if a.city_id == city_id else a
        for a in applications.applications
    ]
    return applications.model_copy(update={"applications": apps})


def _substitute(schedule: ScheduleFile, old: str, new: str) -> ScheduleFile:
    sessions = []
    for s in schedule.sessions:
        groups = [
            g.model_copy(update={"members": sorted(new if m == old else m for m in g.members)})
            if old in g.members
            else g
            for g in s.groups
        ]
        sessions.append(s.model_copy(update={"groups": groups}))
    return schedule.model_copy(update={"sessions": sessions})


# --------------------------------------------------------------------------- re-plan


def _distance(params: dict[str, object]) -> int:
    """How far a count is from what a rule allows (1 when the rule gives no numbers): a
    finer measure than the number of broken rules, so that the repair can see progress."""
    count = params.get("size", params.get("count"))
    low = params.get("minimum", params.get("low"))
    high = params.get("maximum", params.get("high"))
    if isinstance(count, int) and isinstance(low, int):
        if count < low:
            return low - count
        if isinstance(high, int) and count > high:
            return count - high
    return 1


def repair_round(
    problem: MixProblem, groups: list[list[str]], *, max_steps: int = 60
) -> list[list[str]] | None:
    """The fewest moves (a person to another group, or two people swapped) that make one
    mixed half-day valid again; None when the greedy repair gets stuck."""
    groups = [list(g) for g in groups]
    origin = {pid: k for k, g in enumerate(groups) for pid in g}
    one = MixProblem(
        **{**problem.__dict__, "rounds": 1, "stable": False, "fixed": {}, "prior_meetings": {}}
    )

    def score(gs: list[list[str]]) -> tuple[int, int]:
        moved = sum(1 for k, g in enumerate(gs) for pid in g if origin.get(pid, -1) != k)
        return sum(_distance(v.params) for v in validate_rounds(one, [gs])), moved

    current = score(groups)
    for _ in range(max_steps):
        if current[0] == 0:
            return groups
        best: tuple[tuple[int, int], list[list[str]]] | None = None
        for i, gi in enumerate(groups):
            for x, a in enumerate(gi):
                for j, gj in enumerate(groups):
                    if i == j:
                        continue
                    moved = [list(g) for g in groups]
                    moved[i].pop(x)
                    moved[j].append(a)
                    candidate = (score(moved), moved)
                    if best is None or candidate[0] < best[0]:
                        best = candidate
                    for y, b in enumerate(gj):
                        swapped = [list(g) for g in groups]
                        swapped[i][x], swapped[j][y] = b, a
                        candidate = (score(swapped), swapped)
                        if candidate[0] < best[0]:
                            best = candidate
        if best is None or best[0] >= current:
            return None
        current, groups = best
    return groups if current[0] == 0 else None


def _newcomer_group(ctx: PlanContext, groups: Sequence[Sequence[str]], pid: str) -> int:
    person = ctx.by_id[pid]

    def cost(k: int) -> tuple[int, int, int, int]:
        g = groups[k]
        same_city = sum(1 for m in g if person.city_id and ctx.by_id[m].city_id == person.city_id)
        same_role = sum(1 for m in g if ctx.by_id[m].role == person.role)
        return (same_city, same_role, len(g), k)

    return min(range(len(groups)), key=cost)


def _kept_peers(ctx: PlanContext, previous: ScheduleFile) -> list[PeerPart] | None:
    first = next(
        (
            previous.session(s.id)
            for s in ctx.sessions_of(SessionKind.PEER_GROUPS)
            if previous.session(s.id) is not None
        ),
        None,
    )
    if first is None:
        return None
    present = set(ctx.by_id)
    groups = [[m for m in g.members if m in present] for g in first.groups]
    ids = [g.id for g in first.groups]
    placed = {m for g in groups for m in g}
    for pid in sorted(present - placed):
        world = ctx.world_of(ctx.by_id[pid].role)
        same = [
            k for k, g in enumerate(groups) if g and ctx.world_of(ctx.by_id[g[0]].role) == world
        ]
        if not same:
            return None
        k = same[min(range(len(same)), key=lambda i: (len(groups[same[i]]), same[i]))]
        groups[k].append(pid)
    trial = ScheduleFile(
        sessions=[
            first.model_copy(
                update={
                    "groups": [
                        Group(id=gid, members=sorted(g)) for gid, g in zip(ids, groups, strict=True)
                    ]
                }
            )
        ]
    )
    if list(rule_peer_groups(ctx, trial)) or any(not g for g in groups):
        return None
    parts: list[PeerPart] = []
    by_world: Counter[int] = Counter()
    for g in groups:
        by_world[ctx.world_of(ctx.by_id[g[0]].role) or 0] += 1
    seen: Counter[int] = Counter()
    for gid, g in zip(ids, groups, strict=True):
        w = ctx.world_of(ctx.by_id[g[0]].role) or 0
        seen[w] += 1
        parts.append(PeerPart(gid, w, seen[w], by_world[w], tuple(sorted(g))))
    return parts


def _kept_pairs(
    ctx: PlanContext, previous: ScheduleFile, met: Counter[tuple[str, str]], seed: int
) -> tuple[list[tuple[str, ...]], list[str]] | None:
    """Pairs still whole and valid (with their ids), the others re-paired among themselves."""
    import random

    spec = next(iter(ctx.sessions_of(SessionKind.PAIRS)), None)
    old = previous.session(spec.id) if spec else None
    if old is None:
        return None
    present = set(ctx.by_id)
    kept: list[tuple[str, ...]] = []
    ids: list[str] = []
    for g in old.groups:
        members = tuple(sorted(g.members))
        if (
            len(members) == 2
            and all(m in present for m in members)
            and pair_conflict(ctx, members[0], members[1]) is None
        ):
            kept.append(members)
            ids.append(g.id)
    placed = {m for g in kept for m in g}
    left = sorted(present - placed)
    rng = random.Random(seed)
    # When those left cannot be paired among themselves, open kept pairs one by one.
    while left:
        rest = make_pairs(ctx, left, met, rng)
        if rest is not None:
            return kept + rest, ids
        if not kept:
            return None
        left = sorted([*left, *kept.pop()])
        ids.pop()
    return kept, ids


@dataclass
class ReplanResult(PlanResult):
    moves: list[Move] = field(default_factory=list)


def replan(
    config: Config,
    participants: Sequence[Participant],
    previous: ScheduleFile,
    *,
    seed: int = 0,
    time_limit: float = 30.0,
    max_iterations: int | None = None,
    has_selection: bool = True,
    clock: Callable[[], float] | None = None,
    progress: Callable[[float, MixQuality], None] | None = None,
    known_people: set[str] | None = None,
) -> ReplanResult:
    """A new plan as close as possible to ``previous`` for the current participants and
    rules; ``moves`` lists what changed."""
    ctx = PlanContext(config, participants)
    problems = check_plan(ctx, has_selection=has_selection, known_people=known_people)
    if problems:
        return ReplanResult(None, problems)
    hints = KeepHints()
    hints.peer = _kept_peers(ctx, previous)
    met: Counter[tuple[str, str]] = Counter()
    peer_sessions = ctx.sessions_of(SessionKind.PEER_GROUPS)
    for part in hints.peer or []:
        for i, a in enumerate(part.members):
            for b in part.members[i + 1 :]:
                met[pair_key(a, b)] += len(peer_sessions)

    mixed = ctx.sessions_of(SessionKind.MIXED_GROUPS)
    problem = ctx.mix_problem(max(1, len(mixed)))
    present = set(ctx.by_id)
    repaired: dict[int, tuple[tuple[str, ...], ...]] = {}
    for r, spec in enumerate(mixed):
        old = previous.session(spec.id)
        if old is None:
            continue
        groups = [[m for m in g.members if m in present] for g in old.groups]
        if len(groups) != ctx.rules.mixed_groups:
            continue
        for pid in sorted(present - {m for g in groups for m in g}):
            groups[_newcomer_group(ctx, groups, pid)].append(pid)
        fixed = repair_round(problem, groups)
        if fixed is not None:
            repaired[r] = tuple(tuple(sorted(g)) for g in fixed)
    if ctx.rules.mixing == Mixing.STABLE and repaired:
        first = min(repaired)
        repaired = {first: repaired[first]}
    hints.mixed_fixed = repaired
    for kept_round in repaired.values():
        for members in kept_round:
            for i, a in enumerate(members):
                for b in members[i + 1 :]:
                    met[pair_key(a, b)] += 1
    if hints.peer is not None:
        kept_pairs = _kept_pairs(ctx, previous, met, seed)
        if kept_pairs is not None:
            hints.pairs, hints.pair_ids = kept_pairs
    for s in previous.sessions:
        for led in s.groups:
            if led.trainers:
                hints.trainers[(s.session_id, led.id)] = tuple(led.trainers)
    def plan() -> PlanResult:
        return build_plan(
            config,
            participants,
            seed=seed,
            time_limit=time_limit,
            max_iterations=max_iterations,
            has_selection=has_selection,
            clock=clock,
            progress=progress,
            keep=hints,
            known_people=known_people,
        )

    result = plan()
    if result.schedule is None and (hints.peer is not None or hints.pairs is not None):
        # What was kept could not be completed: plan those parts afresh, mixed rounds kept.
        hints.peer, hints.pairs, hints.pair_ids = None, None, None
        result = plan()
    if result.schedule is None:
        return ReplanResult(None, result.problems, result.notices, mix=result.mix)
    schedule = result.schedule.model_copy(update={"quality": plan_quality(ctx, result.schedule)})
    return ReplanResult(
        schedule,
        [],
        result.notices,
        dict(schedule.quality),
        result.mix,
        moves=diff_schedules(previous, schedule),
    )
