"""Building the whole plan: peer groups, mixed groups, pairs, whole-cohort sessions, trainers.

The order of work follows the method (issue 4):

1. Feasibility first (``feasibility.check_plan``): when something cannot work, nothing is
   built and the reasons come back as data.
2. Peer groups: one per peer world (``plan.rules.peer_worlds``), split into balanced parts
   above ``peer_group_cap`` with each city spread across the parts. The same peer groups meet
   at every peer half-day (so that a duo can follow its group).
3. Mixed groups: all mixed half-days are solved together by the mixing engine
   (``mixing.solve_mix``), the peer-group meetings counted as earlier meetings so that people
   who already worked together are not put together again first.
4. Pairs (binômes): people of different roles and cities, one trio when the count is odd,
   chosen among those who met least so far.
5. Trainers: duos (or referents) per half-day, broken duos re-paired, load balanced, the same
   team following the same peer group.
6. Every hard rule is checked again with ``constraints.validate_schedule``; a plan breaking one
   is never returned as a success.

Randomness only through ``random.Random(seed)`` and the engine's seed: same inputs and same
seed give the same plan (when the search stops on its iteration budget, not on the clock).
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from cotrain.domain.config import Config, SessionSpec
from cotrain.domain.models import Group, Participant, ScheduledSession, ScheduleFile
from cotrain.domain.scheduling.constraints import (
    LED_KINDS,
    TRAINERS_GROUP,
    WHOLE_GROUP,
    WHOLE_KINDS,
    PlanContext,
    PlanViolation,
    can_refer,
    kept_apart,
    pair_conflict,
    validate_schedule,
)
from cotrain.domain.scheduling.feasibility import check_plan
from cotrain.domain.scheduling.mixing import MixProblem, MixQuality, MixResult, pair_key, solve_mix
from cotrain.domain.scheduling.objectives import plan_quality
from cotrain.domain.scheduling.teams import Team, session_teams
from cotrain.enums import Facilitation, Mixing, SessionKind
from cotrain.i18n import t


@dataclass(frozen=True)
class PeerPart:
    """One peer group: a peer world, or one part of it when the world is split."""

    id: str
    world: int
    part: int  # 1-based
    parts: int
    members: tuple[str, ...]


@dataclass
class KeepHints:
    """What to keep from an earlier schedule (``cotrain schedule --keep``)."""

    peer: list[PeerPart] | None = None
    mixed_fixed: dict[int, tuple[tuple[str, ...], ...]] = field(default_factory=dict)
    pairs: list[tuple[str, ...]] | None = None
    pair_ids: list[str] | None = None  # ids of the kept pairs (then new ones), same order
    trainers: dict[tuple[str, str], tuple[str, ...]] = field(default_factory=dict)


@dataclass
class PlanResult:
    """A built plan (``schedule`` is None when ``problems`` says why it cannot be built)."""

    schedule: ScheduleFile | None
    problems: list[PlanViolation] = field(default_factory=list)
    notices: list[PlanViolation] = field(default_factory=list)
    quality: dict[str, int] = field(default_factory=dict)
    mix: MixResult | None = None


# --------------------------------------------------------------------------- peer groups


def world_slug(ctx: PlanContext, world: int) -> str:
    return "-".join(r.value.replace("_", "-") for r in ctx.rules.peer_worlds[world])


def world_label(ctx: PlanContext, world: int) -> str:
    names = [t(f"role_plural.{r.value}") for r in ctx.rules.peer_worlds[world]]
    return t("schedule.label.peer", world=t("schedule.label.and").join(names))


def split_peer_groups(ctx: PlanContext) -> list[PeerPart]:
    """The peer groups, each world split into balanced parts above the cap, cities spread."""
    out: list[PeerPart] = []
    for w, world in enumerate(ctx.rules.peer_worlds):
        members = [p for p in ctx.participants if p.role in world]
        if not members:
            continue
        parts = ctx.peer_parts(w, len(members))
        q, r = divmod(len(members), parts)
        sizes = [q + 1] * r + [q] * (parts - r)
        city_size = Counter(p.city_id for p in members)
        members.sort(key=lambda p: (-city_size[p.city_id], p.city_id, world.index(p.role), p.id))
        chosen: list[list[Participant]] = [[] for _ in range(parts)]
        for person in members:

            def cost(
                k: int, person: Participant = person, chosen: list[list[Participant]] = chosen
            ) -> tuple[int, int, int, int, int]:
                # Keep-apart pairs first: the one rule the validator also holds peer groups to.
                apart = sum(1 for m in chosen[k] if kept_apart(ctx, person.id, m.id))
                same_city = sum(
                    1 for m in chosen[k] if person.city_id and m.city_id == person.city_id
                )
                same_role = sum(1 for m in chosen[k] if m.role == person.role)
                return (apart, same_city, same_role, len(chosen[k]), k)

            open_parts = [k for k in range(parts) if len(chosen[k]) < sizes[k]]
            chosen[min(open_parts, key=cost)].append(person)
        _separate_kept_apart(ctx, chosen)
        slug = world_slug(ctx, w)
        for k, group in enumerate(chosen):
            gid = f"peer-{slug}" if parts == 1 else f"peer-{slug}-{k + 1}"
            out.append(PeerPart(gid, w, k + 1, parts, tuple(sorted(p.id for p in group))))
    return out


def _separate_kept_apart(ctx: PlanContext, chosen: list[list[Participant]]) -> None:
    """Swap people between the parts of a world until no keep-apart pair shares one (the
    greedy filling may leave the last places to a pair); sizes stay as they are."""

    def clashes(group: list[Participant], person: Participant) -> int:
        return sum(1 for m in group if m.id != person.id and kept_apart(ctx, person.id, m.id))

    for _ in range(len(ctx.rules.keep_apart) * 2):
        found = next(
            ((k, p) for k, group in enumerate(chosen) for p in group if clashes(group, p)), None
        )
        if found is None:
            return
        k, person = found
        best: tuple[int, int, Participant] | None = None
        for j, other_group in enumerate(chosen):
            if j == k:
                continue
            for other in other_group:
                after_k = [m for m in chosen[k] if m.id != person.id]
                after_j = [m for m in other_group if m.id != other.id]
                cost = clashes([*after_k, other], other) + clashes([*after_j, person], person)
                same = int(other.role != person.role)  # prefer a swap within one role
                if cost == 0 and (best is None or same < best[0]):
                    best = (same, j, other)
        if best is None:
            return
        _, j, other = best
        chosen[k] = [other if m.id == person.id else m for m in chosen[k]]
        chosen[j] = [person if m.id == other.id else m for m in chosen[j]]


def peer_label(ctx: PlanContext, part: PeerPart) -> str:
    label = world_label(ctx, part.world)
    if part.parts > 1:
        label += f" ({part.part}/{part.parts})"
    return label


# --------------------------------------------------------------------------- pairs


def make_pairs(
    ctx: PlanContext,
    people: Sequence[str],
    met: Counter[tuple[str, str]],
    rng: random.Random,
    *,
    attempts: int = 10,
) -> list[tuple[str, ...]] | None:
    """Pairs of different roles and cities (one trio when the count is odd), people who met
    least so far put together first. None when no valid pairing was found."""
    ids = sorted(people)
    best: list[tuple[str, ...]] | None = None
    best_cost = -1
    for _ in range(attempts):
        groups = _greedy_pairs(ctx, ids, met, rng)
        if groups is None:
            continue
        groups = _improve_pairs(ctx, groups, met)
        cost = _pairs_cost(groups, met)
        if best is None or cost < best_cost:
            best, best_cost = groups, cost
        if best_cost == 0:
            break
    if best is None:
        return None
    return sorted((tuple(sorted(g)) for g in best), key=lambda g: g[0])


def _ok(ctx: PlanContext, group: Sequence[str]) -> bool:
    return all(
        pair_conflict(ctx, a, b) is None for i, a in enumerate(group) for b in group[i + 1 :]
    )


def _pairs_cost(groups: Sequence[Sequence[str]], met: Counter[tuple[str, str]]) -> int:
    return sum(met[pair_key(a, b)] for g in groups for i, a in enumerate(g) for b in g[i + 1 :])


def _balanced(ctx: PlanContext, remaining: Sequence[str]) -> bool:
    """No role and no city holds more than half of who is left (else some pair must clash)."""
    half = len(remaining) // 2
    roles = Counter(ctx.by_id[p].role for p in remaining)
    cities = Counter(ctx.by_id[p].city_id for p in remaining if ctx.by_id[p].city_id)
    return max(roles.values(), default=0) <= half and max(cities.values(), default=0) <= half


def _greedy_pairs(
    ctx: PlanContext, ids: list[str], met: Counter[tuple[str, str]], rng: random.Random
) -> list[tuple[str, ...]] | None:
    """Pairs one by one: someone of the largest role left, with the partner met least whose
    removal keeps the rest pairable (``_balanced``). Role and city counts of who is left are
    kept up to date, so a step costs O(people) instead of O(people^2) (issue 12: this was
    91 % of a 76 s schedule of 1,000 people); the choices are those of the plain version."""
    left = list(ids)
    rng.shuffle(left)
    groups: list[tuple[str, ...]] = []
    if len(left) % 2:
        trio = _pick_trio(ctx, left, met, rng)
        if trio is None:
            return None
        groups.append(trio)
        left = [p for p in left if p not in trio]
    role_of = {p: ctx.by_id[p].role for p in left}
    city_of = {p: ctx.by_id[p].city_id for p in left}
    roles = Counter(role_of.values())
    cities = Counter(c for c in city_of.values() if c)
    while left:
        top = max(roles.values())
        a = next(p for p in left if roles[role_of[p]] == top)
        ra, ca = role_of[a], city_of[a]
        half = (len(left) - 2) // 2
        # the largest city once a and b leave is among the three largest now (a and b
        # lower at most two of them)
        top_cities = sorted(cities.items(), key=lambda kv: -kv[1])[:3]
        options = []
        for b in left:
            if b == a or pair_conflict(ctx, a, b):
                continue
            rb, cb = role_of[b], city_of[b]
            if max(v - (r == ra) - (r == rb) for r, v in roles.items()) > half:
                continue
            city_max = 0
            for c, v in top_cities:
                city_max = max(city_max, v - (c == ca) - (c == cb))
            if city_max > half:
                continue
            options.append((met[pair_key(a, b)], rng.random(), b))
        if not options:
            return None
        b = min(options)[2]
        groups.append((a, b))
        left = [p for p in left if p not in (a, b)]
        for x in (a, b):
            roles[role_of[x]] -= 1
            if city_of[x]:
                cities[city_of[x]] -= 1
                if not cities[city_of[x]]:
                    del cities[city_of[x]]
    return groups


def _pick_trio(
    ctx: PlanContext, left: list[str], met: Counter[tuple[str, str]], rng: random.Random
) -> tuple[str, ...] | None:
    roles = Counter(ctx.by_id[p].role for p in left)
    top = max(roles.values())
    firsts = [p for p in left if roles[ctx.by_id[p].role] == top]
    for a in firsts[:3]:
        options = []
        for i, b in enumerate(left):
            if b == a or pair_conflict(ctx, a, b):
                continue
            for c in left[i + 1 :]:
                if c in (a, b) or not _ok(ctx, (a, b, c)):
                    continue
                rest = [p for p in left if p not in (a, b, c)]
                if _balanced(ctx, rest):
                    cost = met[pair_key(a, b)] + met[pair_key(a, c)] + met[pair_key(b, c)]
                    options.append((cost, rng.random(), (a, b, c)))
                    if len(options) > 200:
                        break
        if options:
            return min(options)[2]
    return None


def _improve_pairs(
    ctx: PlanContext, groups: list[tuple[str, ...]], met: Counter[tuple[str, str]]
) -> list[tuple[str, ...]]:
    """Exchange partners between two pairs while it lowers the meetings count (only pairs
    of groups with a meeting between them can gain: the others are skipped at once)."""
    groups = [tuple(g) for g in groups]
    cost = [_pairs_cost([g], met) for g in groups]
    improved = True
    while improved:
        improved = False
        for i in range(len(groups)):
            for j in range(i + 1, len(groups)):
                if not cost[i] and not cost[j]:
                    continue
                gi, gj = groups[i], groups[j]
                current = cost[i] + cost[j]
                for x in range(len(gi)):
                    for y in range(len(gj)):
                        ni = gi[:x] + (gj[y],) + gi[x + 1 :]
                        nj = gj[:y] + (gi[x],) + gj[y + 1 :]
                        if _pairs_cost([ni, nj], met) < current and _ok(ctx, ni) and _ok(ctx, nj):
                            groups[i], groups[j] = ni, nj
                            gi, gj = ni, nj
                            cost[i], cost[j] = _pairs_cost([ni], met), _pairs_cost([nj], met)
                            current = cost[i] + cost[j]
                            improved = True
    return groups


# --------------------------------------------------------------------------- trainers


def _team_names(ctx: PlanContext, teams: Sequence[Team]) -> str:
    return "; ".join(" + ".join(ctx.trainers[m].name for m in team) for team in teams)


def assign_trainers(
    ctx: PlanContext,
    drafts: Sequence[tuple[SessionSpec, list[Group]]],
    *,
    prefer: dict[tuple[str, str], tuple[str, ...]] | None = None,
) -> tuple[list[ScheduledSession], list[PlanViolation]]:
    """Put a team on every led group: the team that led the group last time when it can,
    else the least loaded; pairs share the available teams in turn."""
    prefer = prefer or {}
    load: Counter[str] = Counter()
    follow: dict[str, Team] = {}
    notices: list[PlanViolation] = []
    referents = ctx.rules.facilitation == Facilitation.REFERENTS
    stable = ctx.rules.mixing == Mixing.STABLE
    out: list[ScheduledSession] = []
    spare: dict[int, list[Team]] = {}  # mixed half-day (index in out) -> teams left unused
    for spec, groups in drafts:
        if spec.kind not in LED_KINDS:
            everyone = ctx.available_trainers(spec)
            if spec.kind != SessionKind.TRAINERS_MEETING:  # who is trained is there as such
                everyone = [tid for tid in everyone if tid not in ctx.by_id]
            out.append(
                ScheduledSession(
                    session_id=spec.id,
                    groups=[g.model_copy(update={"trainers": everyone}) for g in groups],
                )
            )
            continue
        available = session_teams(ctx, spec)
        if available.repaired:
            notices.append(
                PlanViolation(
                    "duo_repaired",
                    spec.id,
                    None,
                    {
                        "session": spec.id,
                        "absent": ", ".join(ctx.trainers[t].name for t in available.absent),
                        "teams": _team_names(ctx, available.repaired),
                    },
                )
            )
        free = list(available.teams)

        def weight(team: Team, free: list[Team] = free) -> tuple[int, int]:
            return (sum(load[m] for m in team), free.index(team))

        if spec.kind == SessionKind.PAIRS:
            order = sorted(free, key=weight)
            used: list[Team] = []
            placed = []
            for k, group in enumerate(groups):
                kept = prefer.get((spec.id, group.id))
                team = kept if kept in free else (order[k % len(order)] if order else ())
                placed.append(group.model_copy(update={"trainers": list(team)}))
                if team and team not in used:
                    used.append(team)
            for team in used:
                load.update(team)
            out.append(ScheduledSession(session_id=spec.id, groups=placed))
            continue

        def candidates(
            group: Group, free: list[Team] = free, spec: SessionSpec = spec
        ) -> list[Team]:
            if referents and spec.kind == SessionKind.PEER_GROUPS:
                world = ctx.world_of(ctx.by_id[group.members[0]].role) if group.members else None
                return [tm for tm in free if can_refer(ctx, tm[0], world)]
            # a co-trainer who is also trained leads only the group they are in
            return [
                tm for tm in free if all(m in group.members or m not in ctx.by_id for m in tm)
            ]

        chosen: dict[str, Team] = {}
        for group in sorted(groups, key=lambda g: len(candidates(g))):
            options = candidates(group)
            if not options:
                continue
            wanted = prefer.get((spec.id, group.id))
            if wanted is None and (spec.kind == SessionKind.PEER_GROUPS or stable):
                wanted = follow.get(group.id)
            team = wanted if wanted in options else min(options, key=weight)
            chosen[group.id] = team
            free.remove(team)
            load.update(team)
            follow[group.id] = team
        out.append(
            ScheduledSession(
                session_id=spec.id,
                groups=[
                    g.model_copy(update={"trainers": list(chosen.get(g.id, ()))}) for g in groups
                ],
            )
        )
        if spec.kind == SessionKind.MIXED_GROUPS and not stable:
            spare[len(out) - 1] = [tm for tm in available.teams if tm not in chosen.values()]
    _balance_loads(out, spare, load, fixed=set(prefer), trained=set(ctx.by_id))
    return out, notices


def _balance_loads(
    sessions: list[ScheduledSession],
    spare: dict[int, list[Team]],
    load: Counter[str],
    *,
    fixed: set[tuple[str, str]],
    trained: frozenset[str] | set[str] = frozenset(),
) -> None:
    """Hand a mixed group to a spare team of the same half-day while that narrows the gap
    between the most and the least loaded trainers (the greedy pass cannot look ahead)."""
    improved = True
    while improved:
        improved = False
        for index, teams in spare.items():
            session = sessions[index]
            for k, group in enumerate(session.groups):
                if (session.session_id, group.id) in fixed or not group.trainers:
                    continue
                current = tuple(group.trainers)
                for team in teams:
                    if any(m in trained and m not in group.members for m in team):
                        continue  # a co-trainer who is trained leads only their own group
                    # moving one group from ``current`` to ``team`` must lower the sum of
                    # squared loads (so the loop ends): sum(current) - sum(team) > size
                    if len(team) != len(current) or (
                        sum(load[m] for m in current) - sum(load[m] for m in team) <= len(team)
                    ):
                        continue
                    load.subtract(current)
                    load.update(team)
                    groups = list(session.groups)
                    groups[k] = group.model_copy(update={"trainers": list(team)})
                    session = session.model_copy(update={"groups": groups})
                    sessions[index] = session
                    teams[teams.index(team)] = current
                    improved = True
                    break


# --------------------------------------------------------------------------- the whole plan


RETRIES = 2  # a search that ends on its step budget with a broken rule tries again, 4x longer


def _solve_mixed(
    problem: MixProblem,
    *,
    seed: int,
    time_limit: float,
    max_iterations: int | None,
    clock: Callable[[], float] | None,
    progress: Callable[[float, MixQuality], None] | None,
) -> MixResult:
    """The mixing engine on the mixed half-days. When the step budget runs out before every
    rule holds, the search runs again with four times the steps (still reproducible: steps,
    not seconds), at most ``RETRIES`` times."""
    steps = max_iterations
    start = clock() if clock is not None else 0.0
    for attempt in range(RETRIES + 1):
        if clock is None:  # the engine's own clock
            mix = solve_mix(
                problem, seed=seed, time_limit=time_limit, max_iterations=steps, progress=progress
            )
        else:  # the retries share what is left of the time limit
            left = max(0.1, time_limit - (clock() - start))
            mix = solve_mix(
                problem,
                seed=seed,
                time_limit=left,
                max_iterations=steps,
                progress=progress,
                clock=clock,
            )
        if not mix.violations or mix.stopped_by != "iteration_limit" or steps is None:
            return mix
        if attempt < RETRIES:
            steps *= 4
    return mix


def _pair_ids(kept: list[str] | None, count: int) -> list[str]:
    ids = list(kept or [])[:count]
    number = 1
    while len(ids) < count:
        if f"pair-{number}" not in ids:
            ids.append(f"pair-{number}")
        number += 1
    return ids


def build_plan(
    config: Config,
    participants: Sequence[Participant],
    *,
    seed: int = 0,
    time_limit: float = 30.0,
    max_iterations: int | None = None,
    has_selection: bool = True,
    clock: Callable[[], float] | None = None,
    progress: Callable[[float, MixQuality], None] | None = None,
    keep: KeepHints | None = None,
    known_people: set[str] | None = None,
) -> PlanResult:
    """The schedule of every half-day, or the reasons it cannot be built.

    ``problems`` lists feasibility failures (nothing built) or, should the builder ever break
    a rule, the broken rules (nothing returned either). ``notices`` reports what the manager
    should know (a broken duo re-paired...).
    """
    ctx = PlanContext(config, participants)
    problems = check_plan(ctx, has_selection=has_selection, known_people=known_people)
    if problems:
        return PlanResult(None, problems)
    keep = keep or KeepHints()
    rng = random.Random(seed)
    everyone = sorted(ctx.by_id)

    peer_parts = keep.peer if keep.peer is not None else split_peer_groups(ctx)
    peer_sessions = ctx.sessions_of(SessionKind.PEER_GROUPS)
    met: Counter[tuple[str, str]] = Counter()
    for _ in peer_sessions:
        for part in peer_parts:
            for i, a in enumerate(part.members):
                for b in part.members[i + 1 :]:
                    met[pair_key(a, b)] += 1

    mixed_sessions = ctx.sessions_of(SessionKind.MIXED_GROUPS)
    mix: MixResult | None = None
    mixed_rounds: list[list[tuple[str, ...]]] = []
    if mixed_sessions:
        problem = ctx.mix_problem(
            len(mixed_sessions), prior_meetings=dict(met), fixed=dict(keep.mixed_fixed)
        )
        mix = _solve_mixed(
            problem,
            seed=seed,
            time_limit=time_limit,
            max_iterations=max_iterations,
            clock=clock,
            progress=progress,
        )
        for r, solved in enumerate(mix.rounds):
            if r in keep.mixed_fixed:  # kept half-days keep their group order (and ids)
                mixed_rounds.append([tuple(sorted(g)) for g in keep.mixed_fixed[r]])
            else:
                mixed_rounds.append(sorted(tuple(sorted(g)) for g in solved))
            for group in solved:
                members = sorted(group)
                for i, a in enumerate(members):
                    for b in members[i + 1 :]:
                        met[pair_key(a, b)] += 1

    pairs: list[tuple[str, ...]] | None = None
    if ctx.sessions_of(SessionKind.PAIRS):
        pairs = keep.pairs if keep.pairs is not None else make_pairs(ctx, everyone, met, rng)
        if pairs is None:
            return PlanResult(None, [PlanViolation("pairs_not_found")])

    drafts: list[tuple[SessionSpec, list[Group]]] = []
    mixed_index = 0
    for spec in ctx.sessions:
        groups: list[Group]
        if spec.kind == SessionKind.TRAINERS_MEETING:
            groups = [Group(id=TRAINERS_GROUP, label=t("schedule.label.trainers"), room=spec.room)]
        elif spec.kind in WHOLE_KINDS:
            groups = [
                Group(
                    id=WHOLE_GROUP, label=t("schedule.label.all"), members=everyone, room=spec.room
                )
            ]
        elif spec.kind == SessionKind.PEER_GROUPS:
            groups = [
                Group(id=p.id, label=peer_label(ctx, p), members=list(p.members))
                for p in peer_parts
            ]
        elif spec.kind == SessionKind.MIXED_GROUPS:
            groups = [
                Group(
                    id=f"g{k + 1}",
                    label=t("schedule.label.mixed", number=k + 1),
                    members=list(members),
                )
                for k, members in enumerate(mixed_rounds[mixed_index])
            ]
            mixed_index += 1
        else:  # pairs
            ids = _pair_ids(keep.pair_ids, len(pairs or []))
            groups = [
                Group(
                    id=gid,
                    label=t(
                        "schedule.label.trio" if len(members) == 3 else "schedule.label.pair",
                        number=gid.rsplit("-", 1)[-1],
                    ),
                    members=list(members),
                )
                for gid, members in zip(ids, pairs or [], strict=True)
            ]
        drafts.append((spec, groups))

    sessions, notices = assign_trainers(ctx, drafts, prefer=keep.trainers)
    schedule = ScheduleFile(seed=seed, sessions=sessions)
    violations = validate_schedule(ctx, schedule)
    if violations:
        if mix is not None and mix.violations:  # say why first: the search fell short
            violations.insert(
                0,
                PlanViolation(
                    "search_incomplete",
                    None,
                    None,
                    {"count": len(mix.violations), "iterations": mix.iterations},
                ),
            )
        return PlanResult(None, violations, notices, mix=mix)
    quality = plan_quality(ctx, schedule)
    schedule = schedule.model_copy(update={"quality": quality})
    return PlanResult(schedule, [], notices, quality, mix)
