"""Do a workspace's files agree with each other? (issue 6, ``cotrain doctor``)

Pure checks over models already loaded: no file is opened here. Each problem is a
:class:`Finding` (a code, the file it is in, and parameters); the CLI translates
``integrity.finding.<code>`` and ``integrity.fix.<code>`` so that ``--json`` stays the same in
every language.

What is checked:

- ``selection.toml`` names only cities that applied;
- ``schedule.toml`` names only sessions of the plan, selected participants and known trainers,
  and nobody twice in one session;
- ``attendance.toml`` names only scheduled sessions and people expected there;
- ``cotrain.toml``: trainers' unavailable half-days exist, duos name known trainers,
  ``keep_apart`` names known people;
- person ids are unique across applications and activists;
- survey answers name declared surveys; duo notes name declared duos and half-days;
- values the schema lets through but that are wrong (issue 13): a survey answer out of its
  question's scale, type or options; a negative contribution; an e-mail address that is not
  one; the same block twice (a half-day's marks, a survey, a respondent, a city's decision).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from cotrain.domain.config import Config
from cotrain.domain.models import ApplicationsFile, ScheduleFile, SelectionFile
from cotrain.domain.participants import list_participants
from cotrain.domain.provider import missing_provider_fields

if TYPE_CHECKING:
    from cotrain.domain.attendance import AttendanceFile
    from cotrain.domain.duos import DuoNotesFile
    from cotrain.domain.surveys import SurveysFile

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Finding:
    """One problem: ``code`` names the message and the fix; ``params`` fill them in."""

    code: str
    file: str
    severity: str = ERROR
    params: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "file": self.file,
            "severity": self.severity,
            "params": self.params,
        }


def has_errors(findings: list[Finding]) -> bool:
    return any(f.severity == ERROR for f in findings)


def check_references(
    config: Config,
    *,
    applications: ApplicationsFile | None = None,
    selection: SelectionFile | None = None,
    schedule: ScheduleFile | None = None,
    attendance: AttendanceFile | None = None,
    surveys: SurveysFile | None = None,
    duo_notes: DuoNotesFile | None = None,
) -> list[Finding]:
    """Every reference from one file to another that does not resolve, in a stable order."""
    apps = applications or ApplicationsFile()
    # Before any import the cities' people are unknown: keep_apart ids cannot be judged yet.
    findings = list(_config_references(config, apps, check_people=applications is not None))
    findings += _duplicate_people(config, apps)
    if selection is not None:
        findings += _selection_references(selection, apps)
    participants = list_participants(config, apps, selection)
    if schedule is not None:
        findings += _schedule_references(config, schedule, {p.id for p in participants})
    if attendance is not None:
        findings += _attendance_references(attendance, schedule, {p.id for p in participants})
    if surveys is not None:
        declared = {s.id for s in config.surveys}
        for survey_id in sorted({s.survey_id for s in surveys.surveys} - declared):
            findings.append(Finding("unknown_survey", "surveys.toml", params={"survey": survey_id}))
    findings += _value_checks(
        config,
        apps,
        selection=selection,
        schedule=schedule,
        attendance=attendance,
        surveys=surveys,
        duo_notes=duo_notes,
    )
    if duo_notes is not None:
        duos = {d.id for d in config.duos}
        sessions = {s.id for s in config.plan.sessions}
        for note in duo_notes.notes:
            if note.duo not in duos:
                findings.append(Finding("unknown_duo", "duo_notes.toml", params={"duo": note.duo}))
            if note.session not in sessions:
                where = {"session": note.session}
                findings.append(Finding("unknown_note_session", "duo_notes.toml", params=where))
    findings += _document_warnings(config, apps, selection, attendance)
    return findings


def _document_warnings(
    config: Config,
    apps: ApplicationsFile,
    selection: SelectionFile | None,
    attendance: AttendanceFile | None,
) -> Iterator[Finding]:
    """What would make a document unfit to send (issue 11): letters without a named
    signatory, late or early marks without their time. (Budget gaps left unexplained are
    flagged in the bilan itself, « écart à expliquer ».)"""
    if (
        selection is not None
        and not (config.letters.signatory or config.provider.signatory).strip()
    ):
        yield Finding("letters_no_signatory", "cotrain.toml", WARNING)
    if attendance is not None:
        untimed = sum(
            sum(1 for pid in marks.late if pid not in marks.arrived)
            + sum(1 for pid in marks.left_early if pid not in marks.left)
            for marks in attendance.sessions
        )
        if untimed:
            yield Finding(
                "untimed_marks",
                "attendance.toml",
                WARNING,
                params={"count": str(untimed)},
            )


def _known_people(config: Config, apps: ApplicationsFile) -> set[str]:
    people = {p.id for a in apps.applications for p in a.people}
    return people | {a.id for a in config.activists}


def _config_references(
    config: Config, apps: ApplicationsFile, *, check_people: bool
) -> Iterator[Finding]:
    sessions = {s.id for s in config.plan.sessions}
    trainers = {tr.id for tr in config.trainers}
    for trainer in config.trainers:
        for session_id in trainer.unavailable:
            if session_id not in sessions:
                yield Finding(
                    "unknown_unavailable_session",
                    "cotrain.toml",
                    params={"trainer": trainer.id, "session": session_id},
                )
    for duo in config.duos:
        for trainer_id in duo.trainers:
            if trainer_id not in trainers:
                yield Finding(
                    "unknown_duo_trainer",
                    "cotrain.toml",
                    params={"duo": duo.id, "trainer": trainer_id},
                )
    known = _known_people(config, apps)
    for pair in config.plan.rules.keep_apart if check_people else ():
        for person_id in pair:
            if person_id not in known:
                yield Finding("unknown_keep_apart", "cotrain.toml", params={"person": person_id})
    for session_id, count in sorted(Counter(s.id for s in config.plan.sessions).items()):
        if count > 1:
            yield Finding("duplicate_session", "cotrain.toml", params={"session": session_id})
    # A sign-in sheet dated on a weekend or a public holiday is an inspection red flag (F26).
    from cotrain.domain.setup import is_working_day

    for session in config.plan.sessions:
        if session.kind.value != "trainers_meeting" and not is_working_day(session.date):
            yield Finding(
                "session_not_working_day",
                "cotrain.toml",
                WARNING,
                {"session": session.id, "date": session.date.isoformat()},
            )
    # Sheets and certificates without the provider's identity do not pass an audit (issue 11).
    for key in missing_provider_fields(
        config.provider, config.training, [o.objective for o in config.bilan.objectives]
    ):
        yield Finding("provider_missing", "cotrain.toml", WARNING, {"key": key})


def _duplicate_people(config: Config, apps: ApplicationsFile) -> Iterator[Finding]:
    ids = [p.id for a in apps.applications for p in a.people] + [a.id for a in config.activists]
    for person_id, count in sorted(Counter(ids).items()):
        if count > 1:
            yield Finding("duplicate_person", "applications.toml", params={"person": person_id})
    for city_id, count in sorted(Counter(a.city_id for a in apps.applications).items()):
        if count > 1:
            yield Finding("duplicate_city", "applications.toml", params={"city": city_id})
    from cotrain.domain.intake import people_in_two_cities

    for shared in people_in_two_cities(apps.applications):
        cities = ", ".join(city for _, city, _ in shared.cities)
        yield Finding(
            "person_in_two_cities",
            "applications.toml",
            params={"person": shared.name, "cities": cities},
        )


def _selection_references(selection: SelectionFile, apps: ApplicationsFile) -> Iterator[Finding]:
    applied = {a.city_id for a in apps.applications}
    named = [d.city_id for d in selection.decisions] + [e.city_id for e in selection.events]
    for city_id in sorted(set(named) - applied):
        yield Finding("unknown_city", "selection.toml", params={"city": city_id})


def _schedule_references(
    config: Config, schedule: ScheduleFile, participants: set[str]
) -> Iterator[Finding]:
    sessions = {s.id for s in config.plan.sessions}
    trainers = {tr.id for tr in config.trainers}
    for scheduled in schedule.sessions:
        where = {"session": scheduled.session_id}
        if scheduled.session_id not in sessions:
            yield Finding("unknown_session", "schedule.toml", params=where)
        counts = Counter(m for g in scheduled.groups for m in g.members)
        for person_id in sorted(counts):
            if person_id not in participants:
                yield Finding(
                    "unknown_participant", "schedule.toml", params={**where, "person": person_id}
                )
            elif counts[person_id] > 1:
                yield Finding(
                    "twice_in_session", "schedule.toml", params={**where, "person": person_id}
                )
        for trainer_id in sorted({tr for g in scheduled.groups for tr in g.trainers} - trainers):
            yield Finding(
                "unknown_trainer", "schedule.toml", params={**where, "trainer": trainer_id}
            )


def _attendance_references(
    attendance: AttendanceFile, schedule: ScheduleFile | None, participants: set[str]
) -> Iterator[Finding]:
    expected = schedule.expected() if schedule is not None else {}
    if schedule is None and attendance.sessions:
        yield Finding("attendance_without_schedule", "attendance.toml")
        return
    for marks in attendance.sessions:
        where = {"session": marks.session_id}
        if marks.session_id not in expected:
            yield Finding("unscheduled_session", "attendance.toml", params=where)
            continue
        for person_id in sorted(marks.statuses()):
            if person_id not in expected[marks.session_id]:
                code = "unexpected_person" if person_id in participants else "unknown_person"
                yield Finding(code, "attendance.toml", params={**where, "person": person_id})
    for correction in attendance.corrections:
        if correction.session_id not in expected:
            yield Finding(
                "unscheduled_correction",
                "attendance.toml",
                params={"session": correction.session_id},
            )


_EMAIL = re.compile(r"^[^@\s<>(),;:\"]+@[^@\s<>(),;:\"]+\.[^@\s<>(),;:\".]{2,}$")


def _twice(keys: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
    return sorted(k for k, n in Counter(keys).items() if n > 1)


def _value_checks(
    config: Config,
    apps: ApplicationsFile,
    *,
    selection: SelectionFile | None,
    schedule: ScheduleFile | None,
    attendance: AttendanceFile | None,
    surveys: SurveysFile | None,
    duo_notes: DuoNotesFile | None,
) -> Iterator[Finding]:
    """What each file's schema accepts but is wrong all the same (issue 13)."""
    for app in apps.applications:
        if app.contribution is not None and app.contribution < 0:
            yield Finding(
                "negative_amount",
                "applications.toml",
                params={"city": app.city_id, "amount": str(app.contribution)},
            )
        for person in app.people:
            if person.email and not _EMAIL.match(person.email.strip()):
                yield Finding("invalid_email", "applications.toml", params={"person": person.id})
    for activist in config.activists:
        if activist.email and not _EMAIL.match(activist.email.strip()):
            yield Finding("invalid_email", "cotrain.toml", params={"person": activist.id})
    if selection is not None:
        for (city,) in _twice([(d.city_id,) for d in selection.decisions]):
            yield Finding("duplicate_block", "selection.toml", params={"block": city})
    if schedule is not None:
        for (session,) in _twice([(s.session_id,) for s in schedule.sessions]):
            yield Finding("duplicate_block", "schedule.toml", params={"block": session})
    if attendance is not None:
        for (session,) in _twice([(s.session_id,) for s in attendance.sessions]):
            yield Finding("duplicate_block", "attendance.toml", params={"block": session})
    if duo_notes is not None:
        for duo, session in _twice([(n.duo, n.session) for n in duo_notes.notes]):
            yield Finding("duplicate_block", "duo_notes.toml", params={"block": f"{duo} {session}"})
    if surveys is not None:
        yield from _survey_values(config, surveys)


def _survey_values(config: Config, surveys: SurveysFile) -> Iterator[Finding]:
    from cotrain.domain.questionnaires import SCALE_MAX, SCALE_MIN, QuestionType

    declared = {s.id: s for s in config.surveys}
    for (survey_id,) in _twice([(s.survey_id,) for s in surveys.surveys]):
        yield Finding("duplicate_block", "surveys.toml", params={"block": survey_id})
    for block in surveys.surveys:
        for (response_id,) in _twice([(r.id,) for r in block.responses]):
            where = f"{block.survey_id} {response_id}"
            yield Finding("duplicate_block", "surveys.toml", params={"block": where})
        survey = declared.get(block.survey_id)
        if survey is None:
            continue
        questions = {q.id: q for q in survey.questions}
        for response in block.responses:
            for question_id, answer in response.answers.items():
                question = questions.get(question_id)
                if question is None or answer is None or answer == "":
                    continue
                if question.type == QuestionType.SCALE:
                    ok = (
                        isinstance(answer, int)
                        and not isinstance(answer, bool)
                        and SCALE_MIN <= answer <= SCALE_MAX
                    )
                elif question.type == QuestionType.YES_NO:
                    ok = isinstance(answer, bool)
                elif question.type == QuestionType.CHOICE:
                    ok = answer in question.options
                else:
                    ok = isinstance(answer, str)
                if not ok:
                    yield Finding(
                        "answer_out_of_range",
                        "surveys.toml",
                        params={
                            "survey": block.survey_id,
                            "question": question_id,
                            "response": response.id,
                            "value": str(answer)[:20],
                            "low": str(SCALE_MIN),
                            "high": str(SCALE_MAX),
                        },
                    )
