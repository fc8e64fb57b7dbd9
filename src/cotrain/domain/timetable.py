"""Who is where, when: the schedule seen per half-day, per person and per trainer (issue 4).

Pure: built from ``cotrain.toml`` (the plan, the trainers, the duos), the participants and
``schedule.toml``; no file, no clock. Rosters, calendars, sign-in sheets and personal programmes
are all renderings of these views, so they always agree with each other.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import time

from cotrain.domain.config import Config, SessionSpec, Trainer
from cotrain.domain.models import Group, Participant, ScheduleFile
from cotrain.enums import SessionKind
from cotrain.errors import InputError, Location, UsageError
from cotrain.i18n import t


@dataclass(frozen=True)
class GroupView:
    """One group of one half-day, with people resolved: members sorted by name."""

    id: str
    label: str
    room: str
    members: tuple[Participant, ...]
    trainers: tuple[Trainer, ...]
    duo_id: str = ""  # the declared duo these trainers form, if any


@dataclass(frozen=True)
class SessionView:
    """One half-day (or trainers' meeting) of the plan, its times and its groups."""

    spec: SessionSpec
    start: time
    end: time
    groups: tuple[GroupView, ...]

    @property
    def id(self) -> str:
        return self.spec.id

    @property
    def for_trainees(self) -> bool:
        return self.spec.counts_for_attendance


@dataclass(frozen=True)
class Entry:
    """One line of a personal timetable: a half-day and the group the person is in."""

    session: SessionView
    group: GroupView | None  # None: a trainers' meeting with no group in the schedule


def sort_name(name: str) -> str:
    """A key sorting names the way people expect: accents and case ignored."""
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return plain.replace("œ", "oe").replace("æ", "ae")  # ligatures NFKD leaves alone


def localised_label(label: str) -> str:
    """A group label cotrain generated (``Tout le groupe``, ``Groupe croisé 2``, ``Binôme 4``,
    ``Groupe de pairs : élu·es (1/2)``), said again in the current language; any other label
    (written by hand) is kept as it is.

    ``schedule.toml`` keeps labels in the language the schedule was made in: without this, an
    English document would print French labels (issue 11).
    """
    import re

    from cotrain.enums import Role, all_roles
    from cotrain.i18n import LANGUAGES, get_language

    current = get_language()
    for lang in LANGUAGES:
        if lang == current:
            continue
        for key in ("all", "trainers"):
            if label == t(f"schedule.label.{key}", lang=lang):
                return t(f"schedule.label.{key}")
        for key in ("mixed", "pair", "trio"):
            pattern = re.escape(t(f"schedule.label.{key}", lang=lang, number="\x00"))
            found = re.fullmatch(pattern.replace("\x00", r"(\d+)"), label)
            if found:
                return t(f"schedule.label.{key}", number=found.group(1))
        head, _, tail = t("schedule.label.peer", lang=lang, world="\x00").partition("\x00")
        if label.startswith(head) and head:
            rest = label[len(head) :]
            suffix = ""
            part = re.search(r"\s\(\d+/\d+\)$", rest)
            if part:
                rest, suffix = rest[: part.start()], part.group(0)
            if tail and rest.endswith(tail):
                rest = rest[: -len(tail)]
            names = {t(f"role_plural.{r.value}", lang=lang): r for r in (*Role, *all_roles())}
            words = rest.split(t("schedule.label.and", lang=lang))
            if all(w in names for w in words):
                world = t("schedule.label.and").join(
                    t(f"role_plural.{names[w].value}") for w in words
                )
                return t("schedule.label.peer", world=world) + suffix
    return label


def _duo_id(config: Config, trainer_ids: list[str]) -> str:
    wanted = set(trainer_ids)
    for duo in config.duos:
        if set(duo.trainers) == wanted:
            return duo.id
    return ""


def _resolve_group(
    config: Config, people: dict[str, Participant], session_id: str, group: Group
) -> GroupView:
    def unknown(kind: str, ident: str) -> InputError:
        return InputError(
            t(f"timetable.unknown_{kind}", id=ident, session=session_id, group=group.id),
            location=Location(file="schedule.toml", key=f"sessions.{session_id}.{group.id}"),
            hint=t("timetable.unknown_hint"),
        )

    members = []
    for member_id in group.members:
        if member_id not in people:
            raise unknown("participant", member_id)
        members.append(people[member_id])
    trainers = []
    for trainer_id in group.trainers:
        trainer = config.trainer(trainer_id)
        if trainer is None:
            raise unknown("trainer", trainer_id)
        trainers.append(trainer)
    return GroupView(
        id=group.id,
        label=localised_label(group.label),
        room=group.room,
        members=tuple(sorted(members, key=lambda p: (sort_name(p.name), p.id))),
        trainers=tuple(trainers),
        duo_id=_duo_id(config, group.trainers),
    )


def build_timetable(
    config: Config, participants: list[Participant], schedule: ScheduleFile | None
) -> list[SessionView]:
    """Every session of the plan in time order, with its scheduled groups resolved.

    A session missing from the schedule has no groups. An id in the schedule that names no
    participant or trainer is an ``InputError`` (the schedule is older than the people).
    """
    people = {p.id: p for p in participants}
    views = []
    for spec in config.plan.sessions:
        start, end = config.plan.times(spec)
        scheduled = schedule.session(spec.id) if schedule else None
        groups = tuple(
            _resolve_group(config, people, spec.id, group)
            for group in (scheduled.groups if scheduled else [])
        )
        views.append(SessionView(spec=spec, start=start, end=end, groups=groups))
    return sorted(views, key=lambda v: (v.spec.date, v.start, v.end, v.spec.id))


def person_timetable(views: list[SessionView], person_id: str) -> list[Entry]:
    """The half-days a participant is expected at, each with their group (in time order)."""
    entries = []
    for view in views:
        for group in view.groups:
            if any(m.id == person_id for m in group.members):
                entries.append(Entry(session=view, group=group))
                break
    return entries


def trainer_timetable(views: list[SessionView], trainer: Trainer) -> list[Entry]:
    """The sessions a trainer leads or attends, in time order.

    A trainers' meeting with no group in the schedule concerns every trainer who is not
    declared unavailable for it.
    """
    entries = []
    for view in views:
        mine = [g for g in view.groups if any(tr.id == trainer.id for tr in g.trainers)]
        if mine:
            entries.append(Entry(session=view, group=mine[0]))
        elif (
            view.spec.kind == SessionKind.TRAINERS_MEETING
            and not view.groups
            and view.id not in trainer.unavailable
        ):
            entries.append(Entry(session=view, group=None))
    return entries


def sheet_groups(
    views: list[SessionView], session_id: str | None = None
) -> list[tuple[SessionView, GroupView]]:
    """The (half-day, group) pairs that get a sign-in sheet: trainee sessions only.

    Trainers' meetings get no sheet (they do not count for attendance). On a half-day of
    pairs (binômes), the pairs one duo looks after share one sheet: the duo signs once and
    carries one page, not one per pair. ``session_id`` keeps one half-day; an unknown or
    non-trainee session is a ``UsageError``.
    """
    if session_id is not None:
        chosen = [v for v in views if v.id == session_id]
        if not chosen:
            known = ", ".join(v.id for v in views if v.for_trainees)
            raise UsageError(
                t("timetable.unknown_session", session=session_id),
                hint=t("timetable.unknown_session_hint", known=known),
            )
        if not chosen[0].for_trainees:
            raise UsageError(t("timetable.no_sheet_for_meeting", session=session_id))
        views = chosen
    return [
        (v, g)
        for v in views
        if v.for_trainees
        for g in (_pairs_by_duo(v.groups) if v.spec.kind == SessionKind.PAIRS else v.groups)
    ]


def _pairs_by_duo(groups: tuple[GroupView, ...]) -> list[GroupView]:
    """Pairs led by the same trainers, gathered into one group (in the order they come)."""
    by_trainers: dict[tuple[str, ...], list[GroupView]] = {}
    for group in groups:
        by_trainers.setdefault(tuple(tr.id for tr in group.trainers), []).append(group)
    gathered = []
    for trainer_ids, pairs in by_trainers.items():
        first = pairs[0]
        if len(pairs) == 1 or not trainer_ids:
            gathered.extend(pairs)
            continue
        members = sorted(
            (m for g in pairs for m in g.members), key=lambda p: (sort_name(p.name), p.id)
        )
        gathered.append(
            GroupView(
                id=first.duo_id or "-".join(trainer_ids),
                label=" · ".join(g.label or g.id for g in pairs),
                room=first.room,
                members=tuple(members),
                trainers=first.trainers,
                duo_id=first.duo_id,
            )
        )
    return gathered


def _match(query: str, candidates: list[tuple[str, str]], kind: str) -> str:
    """The id among (id, name) pairs that ``query`` names: an id, a full name, or part of one."""
    for ident, _ in candidates:
        if ident == query:
            return ident
    wanted = sort_name(query).strip()
    exact = [ident for ident, name in candidates if sort_name(name) == wanted]
    if len(exact) == 1:
        return exact[0]
    partial = [
        ident
        for ident, name in candidates
        if wanted and (wanted in sort_name(name) or wanted in ident)
    ]
    if len(partial) == 1:
        return partial[0]
    if not partial:
        raise UsageError(
            t(f"timetable.no_{kind}", query=query), hint=t(f"timetable.no_{kind}_hint")
        )
    raise UsageError(
        t("timetable.ambiguous", query=query, count=len(partial)),
        # No names or ids in the message (team rule: no personal data beyond what was typed).
        hint=t(f"timetable.ambiguous_{kind}_hint"),
    )


def find_participant(participants: list[Participant], query: str) -> Participant:
    """The participant named by id or name (accents and case ignored; a unique part will do)."""
    ident = _match(query, [(p.id, p.name) for p in participants], "person")
    return next(p for p in participants if p.id == ident)


def find_trainer(config: Config, query: str) -> Trainer:
    """The trainer named by id or name, like :func:`find_participant`."""
    ident = _match(query, [(tr.id, tr.name) for tr in config.trainers], "trainer")
    trainer = config.trainer(ident)
    assert trainer is not None
    return trainer


# --- rows for rosters: stable keys and raw values; renderers translate and format ---------

_GROUP_COLUMNS = (
    "session",
    "date",
    "half",
    "start",
    "end",
    "kind",
    "title",
    "group",
    "group_label",
    "room",
    "trainers",
    "duo",
)
SESSION_COLUMNS = (*_GROUP_COLUMNS, "person", "name", "role", "city", "organisation")
ENTRY_COLUMNS = (*_GROUP_COLUMNS, "group_size")


def trainer_names(group: GroupView | None) -> str:
    return " & ".join(tr.name for tr in group.trainers) if group else ""


def _session_cells(view: SessionView, group: GroupView | None) -> dict[str, object]:
    return {
        "session": view.id,
        "date": view.spec.date,
        "half": view.spec.half.value,
        "start": view.start,
        "end": view.end,
        "kind": view.spec.kind.value,
        "title": view.spec.title,
        "group": group.id if group else "",
        "group_label": group.label if group else "",
        "room": (group.room if group else "") or view.spec.room,
        "trainers": trainer_names(group),
        "duo": group.duo_id if group else "",
    }


def session_rows(
    views: list[SessionView], session_id: str | None = None
) -> list[dict[str, object]]:
    """One row per person per group per half-day (trainee sessions; members sorted by name)."""
    rows = []
    for view in views:
        if not view.for_trainees or (session_id and view.id != session_id):
            continue
        for group in view.groups:
            for member in group.members:
                rows.append(
                    {
                        **_session_cells(view, group),
                        "person": member.id,
                        "name": member.name,
                        "role": member.role.value,
                        "city": member.city,
                        "organisation": member.organisation,
                    }
                )
    return rows


def entry_rows(entries: list[Entry]) -> list[dict[str, object]]:
    """One row per half-day of a personal (or trainer's) timetable."""
    return [
        {**_session_cells(e.session, e.group), "group_size": len(e.group.members) if e.group else 0}
        for e in entries
    ]
