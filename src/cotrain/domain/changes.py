"""Changes after the programme has started (issue 15): withdrawals, substitutes, late joiners,
leavers, a duo member replaced for a day.

The schedule is the record of who is expected where. A change after the start never touches
the half-days before the one it takes effect from (``from_session``): their sheets, marks and
certificates stay as they were. From that half-day on, the people who leave are taken out and
those who arrive are placed with the fewest moves (a newcomer joins the group with the fewest
people of their city and role; lone pair members are re-paired among themselves), so the rest
of the schedule does not move.

Who is expected when is kept in ``selection.toml`` (``[[presence]]`` and the withdrawals'
``from_session``), so every command that lists the participants sees the same windows; each
change is recorded, with its moves, in ``history.toml``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from pydantic import Field

from cotrain.domain.config import Config, SessionSpec
from cotrain.domain.models import (
    ApplicationsFile,
    Group,
    Model,
    Participant,
    Person,
    Presence,
    ScheduledSession,
    ScheduleFile,
    SelectionFile,
)
from cotrain.enums import Role, SessionKind

if TYPE_CHECKING:  # the scheduler is imported by the edits that need it, not by every command
    from cotrain.domain.scheduling.constraints import PlanViolation
    from cotrain.domain.scheduling.diff import Move

HISTORY_SCHEMA = 1

# Kinds of change, as stored in history.toml.
WITHDRAWAL = "withdrawal"
PROMOTION = "promotion"
JOIN = "join"
LEAVE = "leave"
REPLACE = "replace"
DUO_REPLACE = "duo_replace"


class ChangeMove(Model):
    who: str
    session: str
    before: str = ""
    after: str = ""
    kind: str = "person"


class ProgrammeChange(Model):
    """One change after the start, as ``cotrain history`` shows it."""

    at: datetime
    kind: str
    people: list[str] = []  # participant (or trainer) ids who leave or stand aside
    arrivals: list[str] = []  # ids who join or stand in
    city_id: str = ""
    from_session: str = ""
    sessions: list[str] = []  # a duo member replaced: the half-days concerned
    reason: str = ""
    moves: list[ChangeMove] = []


class HistoryFile(Model):
    schema_: int = Field(default=HISTORY_SCHEMA, alias="schema")
    changes: list[ProgrammeChange] = []


# --------------------------------------------------------------------------- order, windows


def session_order(config: Config) -> dict[str, int]:
    """session id -> its position in time (date, start time, file order)."""
    indexed = list(enumerate(config.plan.sessions))
    indexed.sort(key=lambda item: (item[1].date, config.plan.times(item[1])[0], item[0]))
    return {s.id: k for k, (_, s) in enumerate(indexed)}


def is_expected(person: Participant, session_id: str, order: Mapping[str, int]) -> bool:
    """Whether ``person`` is expected at ``session_id``: after they joined, before they left."""
    here = order.get(session_id)
    if here is None:
        return True
    if person.joined_from and here < order.get(person.joined_from, -1):
        return False
    return not (person.left_from and here >= order.get(person.left_from, len(order)))


def with_presence(
    people: Iterable[Participant], selection: SelectionFile | None
) -> list[Participant]:
    """``people`` with the windows ``selection.toml`` records for them."""
    if selection is None or not selection.presence:
        return list(people)
    out = []
    for person in people:
        window = selection.presence_of(person.id)
        if window is not None:
            person = person.model_copy(
                update={"joined_from": window.joined_from, "left_from": window.left_from}
            )
        out.append(person)
    return out


def set_presence(
    selection: SelectionFile,
    person_ids: Iterable[str],
    *,
    joined_from: str | None = None,
    left_from: str | None = None,
) -> SelectionFile:
    """``selection`` with the windows of ``person_ids`` updated (None: unchanged)."""
    kept = {p.person_id: p for p in selection.presence}
    for pid in person_ids:
        old = kept.get(pid, Presence(person_id=pid))
        kept[pid] = old.model_copy(
            update={
                "joined_from": old.joined_from if joined_from is None else joined_from,
                "left_from": old.left_from if left_from is None else left_from,
            }
        )
    presence = [kept[pid] for pid in sorted(kept) if kept[pid].joined_from or kept[pid].left_from]
    return selection.model_copy(update={"presence": presence})


def late_arrivals(
    config: Config, applications: ApplicationsFile, selection: SelectionFile | None
) -> set[str]:
    """The ids of the people who arrived in a city's team after it started the programme: a
    substitute (``replace --from``) or a late joiner (``join --from``).

    A city's own start is the earliest window of its members (empty: from the first half-day;
    a city promoted from the waitlist: the half-day it entered); a member whose window opens
    later came after the call and is not part of the application the city was selected on.
    """
    if selection is None or not selection.presence:
        return set()
    order = session_order(config)
    late: set[str] = set()
    for app in applications.applications:
        starts = {}
        for person in app.people:
            window = selection.presence_of(person.id)
            joined = window.joined_from if window is not None else ""
            starts[person.id] = order.get(joined, -1) if joined else -1
        if not starts:
            continue
        first = min(starts.values())
        late |= {pid for pid, at in starts.items() if at > first}
    return late


def as_declared(
    config: Config, applications: ApplicationsFile, selection: SelectionFile | None
) -> ApplicationsFile:
    """``applications`` without the people who arrived after their city started (see
    :func:`late_arrivals`): eligibility is judged on the teams the cities were selected on, so
    a substitute never counts twice against a role's maximum (with the person replaced), and a
    late joiner accepted with a warning never unselects the city afterwards."""
    late = late_arrivals(config, applications, selection)
    if not late:
        return applications
    apps = [
        a.model_copy(update={"people": [p for p in a.people if p.id not in late]})
        for a in applications.applications
    ]
    return applications.model_copy(update={"applications": apps})


def has_begun(config: Config, session: SessionSpec, now: datetime) -> bool:
    """Whether ``session`` has begun at ``now`` (its date and start time)."""
    return datetime.combine(session.date, config.plan.times(session)[0]) <= now


def first_unmarked_session(
    config: Config, marked: Iterable[str], now: datetime | None = None
) -> str | None:
    """Where a change takes effect by default: the first trainee half-day after the last one
    with a mark and, given the time ``now`` (read by the command line), not yet begun.

    None when nothing was marked (the programme has not started: nothing to keep); '' when no
    half-day is left."""
    order = session_order(config)
    done = [order[s] for s in marked if s in order]

    def begun(session: SessionSpec) -> bool:
        return now is not None and has_begun(config, session, now)

    if not done:
        return None
    trainee = config.plan.trainee_sessions
    last = max(done)
    ahead = sorted(
        (s for s in trainee if order[s.id] > last and not begun(s)), key=lambda s: order[s.id]
    )
    return ahead[0].id if ahead else ""


def sessions_ahead(config: Config, from_session: str) -> list[SessionSpec]:
    """The half-days from ``from_session`` on, in time order (trainers' meetings included)."""
    order = session_order(config)
    start = order.get(from_session, len(order))
    return sorted(
        (s for s in config.plan.sessions if order[s.id] >= start), key=lambda s: order[s.id]
    )


# --------------------------------------------------------------------------- editing ahead


@dataclass
class Edit:
    """A schedule changed from a half-day on, and what moved."""

    schedule: ScheduleFile
    moves: list[Move] = field(default_factory=list)


def _cost(
    people: Mapping[str, Participant], members: Sequence[str], newcomer: Participant
) -> tuple[int, int, int]:
    same_city = sum(
        1
        for m in members
        if newcomer.city_id and people.get(m, newcomer).city_id == newcomer.city_id
    )
    same_role = sum(1 for m in members if m in people and people[m].role == newcomer.role)
    return (same_city, same_role, len(members))


def _pair_up(people: Mapping[str, Participant], ids: list[str]) -> list[list[str]]:
    """Pairs of different roles and cities among ``ids`` (greedy, in id order), a trio when odd."""
    left = sorted(ids)
    pairs: list[list[str]] = []
    while len(left) >= 2:
        a = left.pop(0)
        pa = people[a]
        k = next(
            (
                i
                for i, b in enumerate(left)
                if people[b].role != pa.role and (not pa.city_id or people[b].city_id != pa.city_id)
            ),
            0,
        )
        pairs.append([a, left.pop(k)])
    if left and pairs:
        pairs[-1].append(left.pop())
    elif left:
        pairs.append(left)
    return pairs


def edit_ahead(
    config: Config,
    schedule: ScheduleFile,
    people: Sequence[Participant],
    *,
    from_session: str,
    leave: Iterable[str] = (),
    arrive: Iterable[str] = (),
    substitute: Mapping[str, str] | None = None,
) -> Edit:
    """The schedule with ``leave`` taken out and ``arrive`` placed from ``from_session`` on.

    ``substitute`` (old id -> new id) gives the newcomer the very seats of the person replaced.
    Half-days before ``from_session`` are returned unchanged. Peer groups keep a newcomer in
    the same group (by id) at every peer half-day; pairs that lost a member are re-paired
    among themselves and the newcomers.
    """
    by_id = {p.id: p for p in people}
    gone, coming = set(leave), [pid for pid in arrive if pid in by_id]
    swap = dict(substitute or {})
    ahead = {s.id: s for s in sessions_ahead(config, from_session)}
    chosen: dict[tuple[SessionKind, str], str] = {}  # (kind, person) -> group id, kept across
    sessions: list[ScheduledSession] = []
    for scheduled in schedule.sessions:
        spec = ahead.get(scheduled.session_id)
        if spec is None or spec.kind == SessionKind.TRAINERS_MEETING:
            sessions.append(scheduled)
            continue
        groups = [[swap.get(m, m) for m in g.members if m not in gone] for g in scheduled.groups]
        placed = {m for g in groups for m in g}
        newcomers = [pid for pid in coming if pid not in placed]
        if spec.kind == SessionKind.PAIRS:
            broken = [
                k
                for k, (g, old) in enumerate(zip(groups, scheduled.groups, strict=True))
                if len(g) < min(2, len(old.members))
            ]
            loose = [m for k in broken for m in groups[k]] + newcomers
            for k in broken:
                groups[k] = []
            fresh = _repair_pairs(config, people, spec.id, groups, broken, loose)
            for pair in fresh:
                slot = next((k for k in broken if not groups[k]), None)
                if slot is None:
                    groups.append(pair)
                else:
                    groups[slot] = pair
        elif groups:
            for pid in newcomers:
                person = by_id[pid]
                key = (spec.kind, pid)
                ids = [g.id for g in scheduled.groups]
                if key in chosen and chosen[key] in ids:
                    k = ids.index(chosen[key])
                else:
                    candidates = list(range(len(groups)))
                    if spec.kind == SessionKind.PEER_GROUPS:
                        world = _world(config, person)
                        same = [
                            k
                            for k in candidates
                            if any(
                                _world(config, by_id[m]) == world for m in groups[k] if m in by_id
                            )
                        ]
                        candidates = same or candidates
                    k = min(candidates, key=lambda i: (*_cost(by_id, groups[i], person), i))
                    chosen[key] = ids[k]
                groups[k].append(pid)
        else:
            groups = [list(newcomers)]
        if spec.kind == SessionKind.MIXED_GROUPS and len(groups) > 1:
            groups = _repair_mixed(config, people, spec.id, groups)
        new_groups = []
        for k, members in enumerate(groups):
            if k < len(scheduled.groups):
                old = scheduled.groups[k]
                if not members and spec.kind == SessionKind.PAIRS:
                    continue
                new_groups.append(old.model_copy(update={"members": sorted(members)}))
            else:
                new_groups.append(
                    Group(
                        id=_fresh_id(scheduled.groups, new_groups),
                        members=sorted(members),
                        trainers=_least_used_team(new_groups),
                    )
                )
        sessions.append(scheduled.model_copy(update={"groups": new_groups}))
    edited = schedule.model_copy(update={"sessions": sessions})
    from cotrain.domain.scheduling.diff import diff_schedules

    return Edit(edited, diff_schedules(schedule, edited))


def _repair_pairs(
    config: Config,
    people: Sequence[Participant],
    session_id: str,
    groups: list[list[str]],
    broken: list[int],
    loose: list[str],
) -> list[list[str]]:
    """Valid pairs for the ``loose`` people (lone members and newcomers); when they cannot be
    paired among themselves, whole pairs are opened one at a time (last first)."""
    import random
    from collections import Counter

    from cotrain.domain.scheduling.constraints import PlanContext
    from cotrain.domain.scheduling.plan import make_pairs

    if not loose:
        return []
    ctx = PlanContext(config, people)
    intact = [k for k in range(len(groups)) if k not in broken and groups[k]]
    # One trio at most, and only when the count is odd: an odd number of loose people joins
    # the trio (which then splits into pairs); trios are opened before pairs.
    intact.sort(key=lambda k: len(groups[k]) == 3)
    if len(loose) % 2 == 1 and intact and len(groups[intact[-1]]) == 3:
        k = intact.pop()
        loose = [*loose, *groups[k]]
        groups[k] = []
        broken.append(k)
    while True:
        found = make_pairs(ctx, loose, Counter(), random.Random(0))
        if found is not None:
            return [list(g) for g in found]
        if not intact:
            return _pair_up({p.id: p for p in people}, loose)
        k = intact.pop()
        loose = [*loose, *groups[k]]
        groups[k] = []
        broken.append(k)


def _repair_mixed(
    config: Config, people: Sequence[Participant], session_id: str, groups: list[list[str]]
) -> list[list[str]]:
    """The fewest moves that make one mixed half-day valid again for the people expected
    there (the re-planner's repair); the groups as they are when it finds none."""
    from cotrain.domain.scheduling.constraints import PlanContext
    from cotrain.domain.scheduling.replan import repair_round

    ctx = PlanContext(config, people)
    here = tuple(
        ctx.mix_person(pid) for pid in sorted(ctx.by_id) if ctx.expected_at(pid, session_id)
    )
    problem = ctx.mix_problem(1, people=here)
    fixed = repair_round(problem, groups)
    if fixed is None:
        # Too few activists left for the rule (2 for 2 groups that need 2 each): the same
        # repair with the most the people left allow, so that every group keeps one.
        rules = config.plan.rules
        count = sum(1 for p in here if p.role == Role.ACTIVIST.value)
        most = count // max(1, len(groups))
        if most < rules.min_activists_per_group:
            plan = config.plan.model_copy(
                update={"rules": rules.model_copy(update={"min_activists_per_group": most})}
            )
            relaxed = PlanContext(config.model_copy(update={"plan": plan}), people)
            fixed = repair_round(relaxed.mix_problem(1, people=here), groups)
    if fixed is not None:
        return [list(g) for g in fixed]
    return _spread_activists(people, groups)


def _spread_activists(people: Sequence[Participant], groups: list[list[str]]) -> list[list[str]]:
    """When no arrangement meets every rule (two activists left for two groups that each need
    two), at least no mixed group without any activist: the method crosses the knowledge of
    people in poverty with the others' in every group. An activist of the group that has the
    most changes places with a member of an activist-less group (the most common role there,
    so the groups keep their sizes and their mix); the fewest such swaps."""
    from collections import Counter

    by_id = {p.id: p for p in people}
    groups = [list(g) for g in groups]

    def activists(group: list[str]) -> list[str]:
        return [m for m in group if m in by_id and by_id[m].role == Role.ACTIVIST]

    while True:
        empty = [k for k, g in enumerate(groups) if g and not activists(g)]
        rich = max(range(len(groups)), key=lambda k: (len(activists(groups[k])), -k))
        if not empty or len(activists(groups[rich])) < 2:
            return groups
        poor = empty[0]
        roles = Counter(by_id[m].role for m in groups[poor] if m in by_id)
        common = roles.most_common(1)[0][0] if roles else None
        other = next((m for m in groups[poor] if m in by_id and by_id[m].role == common), None)
        mover = activists(groups[rich])[-1]
        groups[rich].remove(mover)
        groups[poor].append(mover)
        if other is not None:
            groups[poor].remove(other)
            groups[rich].append(other)


def _world(config: Config, person: Participant) -> int | None:
    for index, world in enumerate(config.plan.rules.peer_worlds):
        if person.role in world:
            return index
    return None


def _fresh_id(old: Sequence[Group], new: Sequence[Group]) -> str:
    """The next id in the session's own pattern (``pair-16`` after ``pair-15``)."""
    import re

    taken = {g.id for g in old} | {g.id for g in new}
    prefix = re.sub(r"\d+$", "", old[-1].id) if old else "pair-"
    k = len(taken) + 1
    while f"{prefix}{k}" in taken:
        k += 1
    return f"{prefix}{k}"


def _least_used_team(groups: Sequence[Group]) -> list[str]:
    """The trainers' team leading the fewest groups of the half-day (for a new pair)."""
    from collections import Counter

    teams: Counter[tuple[str, ...]] = Counter(tuple(g.trainers) for g in groups if g.trainers)
    if not teams:
        return []
    best: tuple[str, ...] = min(teams, key=lambda team: (teams[team], team))
    return list(best)


def replace_trainer(schedule: ScheduleFile, *, old: str, new: str, sessions: Iterable[str]) -> Edit:
    """``new`` leads ``old``'s groups at ``sessions``; nothing else moves."""
    wanted = set(sessions)
    out = []
    for scheduled in schedule.sessions:
        if scheduled.session_id not in wanted:
            out.append(scheduled)
            continue
        groups = [
            g.model_copy(update={"trainers": [new if x == old else x for x in g.trainers]})
            for g in scheduled.groups
        ]
        out.append(scheduled.model_copy(update={"groups": groups}))
    edited = schedule.model_copy(update={"sessions": out})
    from cotrain.domain.scheduling.diff import diff_schedules

    return Edit(edited, diff_schedules(schedule, edited))


def seat_of(schedule: ScheduleFile, who: str, session_id: str, *, trainer: bool = False) -> str:
    """The group ``who`` sits in (or leads) at ``session_id``: '' when none."""
    scheduled = schedule.session(session_id)
    if scheduled is None:
        return ""
    for group in scheduled.groups:
        if who in (group.trainers if trainer else group.members):
            return group.id
    return ""


def record(
    history: HistoryFile | None,
    *,
    at: datetime,
    kind: str,
    moves: Sequence[Move] = (),
    **fields: object,
) -> HistoryFile:
    """``history`` with one more change."""
    history = history or HistoryFile()
    change = ProgrammeChange(
        at=at,
        kind=kind,
        moves=[
            ChangeMove(
                who=m.who,
                session=m.session,
                before=m.before or "",
                after=m.after or "",
                kind=m.kind,
            )
            for m in moves
        ],
        **fields,  # type: ignore[arg-type]
    )
    return history.model_copy(update={"changes": [*history.changes, change]})


# --------------------------------------------------------------------------- withdrawal


@dataclass
class Withdrawal:
    """A city's withdrawal after the start: the new selection and schedule, and who moved."""

    selection: SelectionFile
    schedule: ScheduleFile
    from_session: str
    leaving: list[str]  # person ids expected until ``from_session``
    arriving: list[str]  # person ids of the promoted cities, expected from ``from_session``
    moves: list[Move] = field(default_factory=list)


def withdraw_after_start(
    config: Config,
    applications: ApplicationsFile,
    selection: SelectionFile,
    schedule: ScheduleFile,
    *,
    withdrawn: Sequence[str],
    promoted: Sequence[str],
    from_session: str,
) -> Withdrawal:
    """The withdrawn cities' people leave the half-days from ``from_session`` on (the ones
    before keep them, with their marks); the promoted cities' people are placed in those
    half-days only."""
    from cotrain.domain.participants import list_participants

    def members(city_ids: Sequence[str]) -> list[str]:
        return [p.id for c in city_ids if (a := applications.get(c)) for p in a.people]

    leaving, arriving = members(withdrawn), members(promoted)
    selection = set_presence(selection, arriving, joined_from=from_session)
    people = list_participants(config, applications, selection)
    edit = edit_ahead(
        config, schedule, people, from_session=from_session, leave=leaving, arrive=arriving
    )
    return Withdrawal(selection, edit.schedule, from_session, leaving, arriving, edit.moves)


# --------------------------------------------------------------------------- people


@dataclass
class PersonChange:
    """A substitute, a late joiner or a leaver: the files to save and what it did.

    ``error`` (a message key under ``changes.``, with ``params``) when the change is refused;
    nothing is to be saved then.
    """

    applications: ApplicationsFile | None = None  # None: unchanged
    selection: SelectionFile | None = None
    schedule: ScheduleFile | None = None
    moves: list[Move] = field(default_factory=list)
    person: Participant | None = None  # who leaves, or who is replaced
    newcomer: Participant | None = None  # who joins, or who stands in
    error: str = ""
    params: dict[str, str] = field(default_factory=dict)


def _find(people: Sequence[Participant], text: str) -> list[Participant]:
    """People whose id is ``text``, or whose name matches it (case and accents aside), or whose
    last word of name does (``attend "Martin"``)."""
    from cotrain.domain.attendance import fold

    exact = [p for p in people if p.id == text]
    if exact:
        return exact
    key = fold(text)
    named = [p for p in people if fold(p.name) == key]
    if named:
        return named
    return [p for p in people if key and key in fold(p.name).split()]


def find_person(people: Sequence[Participant], text: str) -> tuple[Participant | None, str]:
    """The one person ``text`` names, or None and an error key (``unknown_person``,
    ``ambiguous_person``)."""
    found = _find(people, text)
    if len(found) == 1:
        return found[0], ""
    return None, "ambiguous_person" if found else "unknown_person"


def who_params(people: Sequence[Participant], text: str) -> dict[str, str]:
    """The params of an unknown or ambiguous person's error: the candidates, with id and city
    (``Sophie Martin (sophie-martin-2, Lyon)``), or the closest names for a typo."""
    import difflib

    from cotrain.domain.attendance import _listing, fold
    from cotrain.i18n import t

    found = _find(people, text)
    if len(found) > 1:
        return {"person": text, "candidates": _listing(found), "close": ""}
    names = {fold(p.name): p for p in people}
    close = difflib.get_close_matches(fold(text), list(names), n=5, cutoff=0.6)
    near = [names[name] for name in close]
    suggestion = t("changes.error.close_names", names=_listing(near)) if near else ""
    return {"person": text, "candidates": "", "close": suggestion}


def scheduled_ids(schedule: ScheduleFile) -> set[str]:
    return {m for s in schedule.sessions for g in s.groups for m in g.members}


def _new_person_id(applications: ApplicationsFile, config: Config, name: str) -> str:
    from cotrain.domain.scheduling.replan import slugify

    taken = {p.id for a in applications.applications for p in a.people} | {
        a.id for a in config.activists
    }
    base = slugify(name)
    new_id, k = base, 2
    while new_id in taken:
        new_id, k = f"{base}-{k}", k + 1
    return new_id


def _add_person(applications: ApplicationsFile, city_id: str, person: Person) -> ApplicationsFile:
    apps = [
        a.model_copy(update={"people": [*a.people, person]}) if a.city_id == city_id else a
        for a in applications.applications
    ]
    return applications.model_copy(update={"applications": apps})


def over_role_limit(
    config: Config, applications: ApplicationsFile, city_id: str, role: Role
) -> tuple[int, int] | None:
    """(how many, the maximum) when ``city_id`` now lists more people of ``role`` than the
    eligibility rules allow; None otherwise."""
    limits = config.eligibility.roles.get(role)
    app = applications.get(city_id)
    if limits is None or app is None:
        return None
    count = sum(1 for p in app.people if p.role == role)
    return (count, limits.max) if count > limits.max else None


def has_a_place(
    config: Config, people: Sequence[Participant], name: str, *, from_session: str
) -> PersonChange | None:
    """One person, one place (issue 15): a refusal when ``name`` is a trainer's, or the name of
    someone still taking part at ``from_session`` (in any city, or an activist); None when the
    name is free."""
    from cotrain.domain.attendance import _listing, fold

    key = fold(name)
    if not key:
        return None
    trainer = next((tr for tr in config.trainers if fold(tr.name) == key), None)
    if trainer is not None:
        return PersonChange(
            error="is_trainer", params={"person": name.strip(), "trainer_id": trainer.id}
        )
    order = session_order(config)
    here = order.get(from_session, -1)
    taken = [
        p
        for p in people
        if fold(p.name) == key and not (p.left_from and order.get(p.left_from, 0) <= here)
    ]
    if taken:
        return PersonChange(
            error="has_a_place", params={"person": name.strip(), "who": _listing(taken)}
        )
    return None


def join_person(
    config: Config,
    applications: ApplicationsFile,
    selection: SelectionFile,
    schedule: ScheduleFile,
    *,
    who: str,
    from_session: str,
    city_id: str = "",
    role: Role | None = None,
    email: str = "",
) -> PersonChange:
    """A late joiner, placed from ``from_session`` on with the fewest moves.

    ``who`` names a person already declared (an activist of cotrain.toml, a member of a selected
    city's application) who has no place yet; or, with ``city_id`` and ``role``, a new person
    added to that city's application.
    """
    from cotrain.domain.participants import list_participants

    people = list_participants(config, applications, selection)
    if city_id:
        app = applications.get(city_id)
        if app is None or city_id not in selection.selected_city_ids():
            return PersonChange(error="city_not_selected", params={"city": city_id})
        if role is None:
            return PersonChange(error="role_required", params={"person": who})
        same = [p for p in _find(people, who) if p.city_id == city_id]
        if same:
            person = same[0]
        elif refused := has_a_place(config, people, who, from_session=from_session):
            return refused
        else:
            new = Person(
                id=_new_person_id(applications, config, who),
                name=who.strip(),
                role=role,
                email=email,
                committed=True,
            )
            applications = _add_person(applications, city_id, new)
            person = Participant(
                id=new.id, name=new.name, role=role, city_id=city_id, city=app.city, email=email
            )
    else:
        found, error = find_person(people, who)
        if found is None:
            return PersonChange(error=error or "unknown_person", params=who_params(people, who))
        person = found
    ahead = {x.id for x in sessions_ahead(config, from_session)}
    if any(
        person.id in g.members for s in schedule.sessions if s.session_id in ahead for g in s.groups
    ):
        return PersonChange(error="already_placed", params={"person": person.name})
    selection = set_presence(selection, [person.id], joined_from=from_session)
    people = list_participants(config, applications, selection)
    edit = edit_ahead(config, schedule, people, from_session=from_session, arrive=[person.id])
    newcomer = next(p for p in people if p.id == person.id)
    return PersonChange(
        applications=applications,
        selection=selection,
        schedule=edit.schedule,
        moves=edit.moves,
        newcomer=newcomer,
    )


def leave_person(
    config: Config,
    applications: ApplicationsFile,
    selection: SelectionFile,
    schedule: ScheduleFile,
    *,
    who: str,
    from_session: str,
) -> PersonChange:
    """Someone who leaves for good: expected until ``from_session``, their marks kept; the
    half-days ahead lose them with the fewest moves."""
    from cotrain.domain.participants import list_participants

    people = list_participants(config, applications, selection)
    person, error = find_person(people, who)
    if person is None:
        return PersonChange(error=error, params=who_params(people, who))
    if person.left_from:
        return PersonChange(
            error="already_left", params={"person": person.name, "session": person.left_from}
        )
    selection = set_presence(selection, [person.id], left_from=from_session)
    people = list_participants(config, applications, selection)
    edit = edit_ahead(config, schedule, people, from_session=from_session, leave=[person.id])
    return PersonChange(
        selection=selection,
        schedule=edit.schedule,
        moves=edit.moves,
        person=next(p for p in people if p.id == person.id),
    )


def substitute_person(
    config: Config,
    applications: ApplicationsFile,
    selection: SelectionFile,
    schedule: ScheduleFile,
    *,
    old: str,
    from_session: str,
    by: str | None = None,
    new_name: str | None = None,
    new_email: str = "",
) -> PersonChange:
    """A substitute takes ``old``'s seats from ``from_session`` on; ``old`` keeps the half-days
    before (sheets, marks, certificate) and nothing else moves.

    The substitute is ``by`` (a declared person with no place yet, same role and city) or a new
    person ``new_name`` added to the city's application.
    """
    from cotrain.domain.participants import list_participants

    people = list_participants(config, applications, selection)
    person, error = find_person(people, old)
    if person is None:
        return PersonChange(error=error, params=who_params(people, old))
    if person.left_from:  # already replaced, or gone: no seat left to hand over
        return PersonChange(
            error="already_left", params={"person": person.name, "session": person.left_from}
        )
    if new_name is not None:
        if not person.city_id:
            return PersonChange(error="activist_by_name", params={"person": person.name})
        refused = has_a_place(config, people, new_name, from_session=from_session)
        if refused is not None:
            return refused
        new = Person(
            id=_new_person_id(applications, config, new_name),
            name=new_name.strip(),
            role=person.role,
            email=new_email,
            committed=True,
        )
        applications = _add_person(applications, person.city_id, new)
        new_id = new.id
    else:
        assert by is not None
        everyone = list_participants(config, applications, selection)
        found, error = find_person([p for p in everyone if p.id != person.id], by)
        if found is None:
            return PersonChange(
                error=error, params=who_params([p for p in everyone if p.id != person.id], by)
            )
        if found.id in scheduled_ids(schedule):
            return PersonChange(error="already_placed", params={"person": found.name})
        if found.role != person.role or found.city_id != person.city_id:
            return PersonChange(
                error="different_seat", params={"person": found.name, "old": person.name}
            )
        new_id = found.id
    selection = set_presence(selection, [person.id], left_from=from_session)
    selection = set_presence(selection, [new_id], joined_from=from_session)
    people = list_participants(config, applications, selection)
    edit = edit_ahead(
        config, schedule, people, from_session=from_session, substitute={person.id: new_id}
    )
    by_id = {p.id: p for p in people}
    return PersonChange(
        applications=applications,
        selection=selection,
        schedule=edit.schedule,
        moves=edit.moves,
        person=by_id[person.id],
        newcomer=by_id[new_id],
    )


def record_withdrawal(
    history: HistoryFile | None,
    change: Withdrawal,
    applications: ApplicationsFile,
    *,
    withdrawals: Sequence[tuple[str, str]],
    promoted: Sequence[str],
    now: datetime,
) -> HistoryFile:
    """``history`` with one change per city withdrawn (city id, reason) and per city promoted,
    each with the seats it moved."""

    def people(city_id: str) -> list[str]:
        app = applications.get(city_id)
        return [p.id for p in app.people] if app else []

    for city_id, reason in withdrawals:
        ids = set(people(city_id))
        history = record(
            history,
            at=now,
            kind=WITHDRAWAL,
            people=people(city_id),
            city_id=city_id,
            from_session=change.from_session,
            reason=reason,
            moves=[m for m in change.moves if m.who in ids],
        )
    leaving = set(change.leaving)
    for city_id in promoted:
        history = record(
            history,
            at=now,
            kind=PROMOTION,
            arrivals=sorted(people(city_id)),
            city_id=city_id,
            from_session=change.from_session,
            moves=[m for m in change.moves if m.who not in leaving],
        )
    return history or HistoryFile()


# --------------------------------------------------------------------------- trainers


@dataclass
class StandIn:
    """A duo member replaced for some half-days: the edit, or why it is refused (``error``, a
    key under ``changes.error.``, with ``params``)."""

    edit: Edit | None = None
    error: str = ""
    params: dict[str, str] = field(default_factory=dict)


def stand_in(
    config: Config, schedule: ScheduleFile, *, old: str, new: str, sessions: Sequence[str]
) -> StandIn:
    """``new`` leads ``old``'s groups at ``sessions``: of the same kind (a duo keeps a
    professional trainer and a co-trainer), available, and leading no other group then (one
    person, one place)."""
    from cotrain.domain.scheduling.constraints import PlanContext

    trainers = {tr.id: tr for tr in config.trainers}
    names = {tid: tr.name for tid, tr in trainers.items()}
    if trainers[old].kind != trainers[new].kind:
        return StandIn(
            error="trainer_kind",
            params={"trainer": names[old], "by": names[new], "kind": trainers[old].kind.value},
        )
    ctx = PlanContext(config, [])
    for sid in sessions:
        spec = ctx.session_by_id[sid]
        if not seat_of(schedule, old, sid, trainer=True):
            return StandIn(
                error="trainer_not_there", params={"trainer": names[old], "session": sid}
            )
        busy = seat_of(schedule, new, sid, trainer=True)
        if busy:
            free = [
                names[x]
                for x in ctx.available_trainers(spec)
                if trainers[x].kind == trainers[old].kind
                and not seat_of(schedule, x, sid, trainer=True)
            ]
            return StandIn(
                error="trainer_busy",
                params={
                    "trainer": names[new],
                    "session": sid,
                    "group": busy,
                    "trainers": ", ".join(free),
                },
            )
        if not ctx.is_available(new, spec):
            return StandIn(
                error="trainer_unavailable", params={"trainer": names[new], "session": sid}
            )
    return StandIn(edit=replace_trainer(schedule, old=old, new=new, sessions=sessions))


def rules_broken_ahead(
    config: Config, people: Sequence[Participant], schedule: ScheduleFile, *, from_session: str
) -> list[PlanViolation]:
    """The rules the schedule breaks from ``from_session`` on, after a change: a fact of life
    (a leaver, a withdrawal) may leave a rule unmet; the change is kept and this says so."""
    from cotrain.domain.scheduling.constraints import PlanContext, validate_schedule

    ahead = {s.id for s in sessions_ahead(config, from_session)}
    ctx = PlanContext(config, people)
    return [v for v in validate_schedule(ctx, schedule) if v.session in ahead]
