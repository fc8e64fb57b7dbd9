"""Who is trained and who trains: the selected cities' triads, the activists, the trainers.

Activists are declared in ``cotrain.toml`` (``[[activists]]``): they are not candidates, so
they do not go through the call for applications. Trainers and their duos are declared there
too (``[[trainers]]``, ``[[duos]]``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from cotrain.domain.config import Config, SessionSpec, Trainer
from cotrain.domain.models import ApplicationsFile, Participant, SelectionFile
from cotrain.enums import Role


def list_participants(
    config: Config, applications: ApplicationsFile, selection: SelectionFile | None
) -> list[Participant]:
    """Participants in a stable order: cities in selection order, then activists by id.

    Without a selection, nobody from the cities is listed (only the activists). A city that
    withdrew after the programme started stays listed after the selected ones, its people
    expected only until they left (``left_from``), so that their marks still count (issue 15);
    the windows of ``selection.toml`` (``[[presence]]``) are applied to everyone.
    """
    from cotrain.domain.changes import with_presence

    people: list[Participant] = []
    by_id = {a.city_id: a for a in applications.applications}
    left_from: dict[str, str] = {}
    if selection is not None:
        left_from = {
            o.city_id: o.from_session
            for o in selection.overrides
            if o.action == "withdraw" and o.from_session
        }
    cities = selection.selected_city_ids() if selection else []
    cities += [c for c in sorted(left_from) if c not in cities]
    for city_id in cities:
        application = by_id.get(city_id)
        if application is None:
            continue
        for person in application.people:
            people.append(
                Participant(
                    id=person.id,
                    name=person.name,
                    role=person.role,
                    city_id=application.city_id,
                    city=application.city,
                    email=person.email,
                    job_title=person.job_title,
                    left_from=left_from.get(application.city_id, ""),
                )
            )
    for activist in sorted(config.activists, key=lambda a: a.id):
        people.append(
            Participant(
                id=activist.id,
                name=activist.name,
                role=Role.ACTIVIST,
                organisation=activist.organisation,
                email=activist.email,
            )
        )
    return with_presence(people, selection)


def filter_participants(
    people: Iterable[Participant], *, roles: Iterable[Role] = (), city_ids: Iterable[str] = ()
) -> list[Participant]:
    """Keep the people of any of ``roles`` and any of ``city_ids`` (empty: no filter)."""
    wanted_roles, wanted_cities = set(roles), set(city_ids)
    return [
        p
        for p in people
        if (not wanted_roles or p.role in wanted_roles)
        and (not wanted_cities or p.city_id in wanted_cities)
    ]


def duplicate_ids(people: Iterable[Participant]) -> list[str]:
    """Identifiers used by more than one person (an activist and a city member, say)."""
    seen: set[str] = set()
    twice: list[str] = []
    for person in people:
        if person.id in seen and person.id not in twice:
            twice.append(person.id)
        seen.add(person.id)
    return twice


# --- trainers ----------------------------------------------------------------------------


@dataclass(frozen=True)
class TrainerProblem:
    """A reference in ``[[trainers]]`` / ``[[duos]]`` that names nothing: key path, code, params."""

    key: str  # "trainers[10].unavailable"
    code: str  # "unknown_session", "unknown_trainer", "trainer_in_two_duos"
    params: dict[str, str] = field(default_factory=dict)


def trainer_problems(config: Config) -> list[TrainerProblem]:
    """Unknown session ids in ``unavailable``, unknown or repeated trainers in duos."""
    sessions = {s.id for s in config.plan.sessions}
    trainers = {tr.id for tr in config.trainers}
    problems: list[TrainerProblem] = []
    for index, trainer in enumerate(config.trainers, start=1):
        for session_id in trainer.unavailable:
            if session_id not in sessions:
                problems.append(
                    TrainerProblem(
                        f"trainers[{index}].unavailable",
                        "unknown_session",
                        {"trainer": trainer.id, "session": session_id},
                    )
                )
    in_duo: dict[str, str] = {}
    for index, duo in enumerate(config.duos, start=1):
        for trainer_id in duo.trainers:
            if trainer_id not in trainers:
                problems.append(
                    TrainerProblem(
                        f"duos[{index}].trainers",
                        "unknown_trainer",
                        {"duo": duo.id, "trainer": trainer_id},
                    )
                )
            elif trainer_id in in_duo:
                problems.append(
                    TrainerProblem(
                        f"duos[{index}].trainers",
                        "trainer_in_two_duos",
                        {"duo": duo.id, "other": in_duo[trainer_id], "trainer": trainer_id},
                    )
                )
            else:
                in_duo[trainer_id] = duo.id
    return problems


@dataclass(frozen=True)
class TrainerView:
    trainer: Trainer
    duo_id: str  # "" when in no declared duo
    unavailable: tuple[SessionSpec, ...]  # in plan order


def list_trainers(config: Config) -> list[TrainerView]:
    """The declared trainers in file order, with their duo and the half-days they miss."""
    duo_of = {tid: duo.id for duo in config.duos for tid in duo.trainers}
    return [
        TrainerView(
            trainer=trainer,
            duo_id=duo_of.get(trainer.id, ""),
            unavailable=tuple(s for s in config.plan.sessions if s.id in trainer.unavailable),
        )
        for trainer in config.trainers
    ]


# --- one person, one place (issue 15) --------------------------------------------------


@dataclass(frozen=True)
class SamePerson:
    """One person listed more than once among the participants: by two cities, or by a city
    and as an activist."""

    name: str
    ids: tuple[str, ...]
    places: tuple[str, ...]  # city names (or the activist's organisation), in listing order
    why: str  # "email" or "name_phone"


def _digits(text: str) -> str:
    digits = "".join(ch for ch in text if ch.isdigit())
    return digits[-9:]  # 06 12 34 56 78 and +33 6 12 34 56 78 are the same number


def same_person_twice(
    config: Config, applications: ApplicationsFile, selection: SelectionFile | None
) -> list[SamePerson]:
    """People who would get two places: the same e-mail, or the same name and phone, in two
    selected cities (or a city and the activists)."""
    from cotrain.domain.attendance import fold

    people = list_participants(config, applications, selection)
    phones = {p.id: p.phone for a in applications.applications for p in a.people}
    keys: dict[tuple[str, str], list[Participant]] = {}
    for person in people:
        if person.left_from and person.city_id and selection is not None:
            if person.city_id not in selection.selected_city_ids():
                continue  # a withdrawn city's people no longer take a place
        found = []  # the same id twice is duplicate_ids' (two people, one identifier)
        if person.email.strip():
            found.append(("email", person.email.strip().casefold()))
        phone = _digits(phones.get(person.id, ""))
        if phone:
            found.append(("name_phone", f"{fold(person.name)}|{phone}"))
        for key in found:
            keys.setdefault(key, []).append(person)
    out: list[SamePerson] = []
    seen: set[frozenset[str]] = set()
    for (why, _), group in keys.items():
        places = [p.city_id or "activists" for p in group]
        if len(group) < 2 or len(set(places)) < 2:
            continue
        marker = frozenset(f"{p.id}@{p.city_id}" for p in group)
        if marker in seen:
            continue
        seen.add(marker)
        out.append(
            SamePerson(
                name=group[0].name,
                ids=tuple(dict.fromkeys(p.id for p in group)),
                places=tuple(p.city or p.organisation or p.role.value for p in group),
                why=why,
            )
        )
    return out
