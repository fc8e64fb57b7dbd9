"""Trainer duos' notes and debriefs (seed 002: "take regular time to watch each other perform
as a duo; evaluate the quality of exchanges and the fluidity of co-hosting").

A note records, for one duo and one half-day, how the co-hosting went (1-5), who spoke, what
to change. ``duo_report`` gathers a duo's notes with its load (half-days and groups led, from
schedule.toml) and the satisfaction of the groups it led (survey answers linked to the duo, or
to a session and group of the schedule).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from pydantic import BaseModel, ConfigDict, Field

from cotrain.domain.config import Config
from cotrain.domain.models import ScheduleFile
from cotrain.domain.questionnaires import QuestionType, Survey
from cotrain.domain.surveys import DuoRef, Response, resolve_duos

DUO_NOTES_SCHEMA = 1


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class DuoNote(_Model):
    duo: str
    session: str
    text: str = ""
    cohosting: int | None = Field(default=None, ge=1, le=5)  # how the co-hosting went, 1-5
    spoke: str = ""  # who spoke, who did not
    change: str = ""  # what to change next time
    recorded_at: datetime | None = None


class DuoNotesFile(_Model):
    schema_: int = Field(default=DUO_NOTES_SCHEMA, alias="schema")
    notes: list[DuoNote] = []


class NoteProblem(ValueError):
    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


def schedule_duos(config: Config, schedule: ScheduleFile | None) -> list[DuoRef]:
    """The duos: declared in cotrain.toml, else formed by the trainers of schedule.toml's groups."""
    groups = [g.trainers for s in (schedule.sessions if schedule else []) for g in s.groups]
    return resolve_duos(config, groups)


def _session_order(config: Config) -> dict[str, int]:
    return {s.id: i for i, s in enumerate(config.plan.sessions)}


def record_note(
    notes: DuoNotesFile,
    *,
    config: Config,
    duos: Sequence[DuoRef],
    duo: str,
    session: str,
    text: str,
    cohosting: int | None,
    spoke: str,
    change: str,
    now: datetime,
) -> tuple[DuoNotesFile, bool]:
    """Add (or replace) ``duo``'s note on ``session``; return the file and whether it replaced one.

    Raises NoteProblem for an unknown duo or session, or an empty note.
    """
    if duo not in {d.id for d in duos}:
        raise NoteProblem("unknown_duo", duo=duo, known=", ".join(d.id for d in duos) or "-")
    if config.plan.session(session) is None:
        raise NoteProblem("unknown_session", session=session)
    if not (text.strip() or spoke.strip() or change.strip() or cohosting):
        raise NoteProblem("empty_note")
    if cohosting is not None and not 1 <= cohosting <= 5:
        raise NoteProblem("cohosting_range")
    note = DuoNote(
        duo=duo,
        session=session,
        text=text.strip(),
        cohosting=cohosting,
        spoke=spoke.strip(),
        change=change.strip(),
        recorded_at=now.replace(microsecond=0),
    )
    order = _session_order(config)
    others = [n for n in notes.notes if (n.duo, n.session) != (duo, session)]
    replaced = len(others) != len(notes.notes)
    merged = sorted([*others, note], key=lambda n: (n.duo, order.get(n.session, 10**6), n.session))
    return notes.model_copy(update={"notes": merged}), replaced


def _mean(values: Sequence[int]) -> float | None:
    if not values:
        return None
    exact = Decimal(sum(values)) / Decimal(len(values))
    return float(exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


class DuoSummary(BaseModel):
    duo: str
    trainers: list[str]
    half_days: int  # distinct sessions where the duo led a group
    groups: int  # groups led, over all sessions
    sessions: list[str] = []
    notes: list[DuoNote] = []
    cohosting_mean: float | None = None
    satisfaction_answers: int = 0
    satisfaction: float | None = None  # mean satisfaction of the groups led (None if too few)
    satisfaction_suppressed: bool = False


def _led(duo: DuoRef, trainers: Sequence[str]) -> bool:
    """The duo led this group: its trainers are exactly the duo (not the whole team in plenary)."""
    return bool(trainers) and set(duo.trainers) == set(trainers)


def duo_report(
    config: Config,
    *,
    duos: Sequence[DuoRef],
    schedule: ScheduleFile | None,
    notes: DuoNotesFile,
    answers: Sequence[tuple[Survey, Sequence[Response]]] = (),
    only: str | None = None,
) -> list[DuoSummary]:
    """Each duo's load, notes and the satisfaction of the groups it led.

    A survey answer counts for a duo when it names the duo, or names a session and a group the
    duo led, or comes from a respondent who sat in a group the duo led on the answer's session.
    Fewer than ``reporting.small_cell`` such answers: the satisfaction is suppressed.
    """
    small = config.reporting.small_cell
    order = _session_order(config)
    # (session, group) -> trainers; (session, participant) -> group
    led_by: dict[tuple[str, str], list[str]] = {}
    member_of: dict[tuple[str, str], str] = {}
    trainee_sessions = {s.id for s in config.plan.trainee_sessions}
    for scheduled in schedule.sessions if schedule else []:
        if scheduled.session_id not in trainee_sessions:
            continue  # trainers' meetings are not groups led
        for group in scheduled.groups:
            led_by[(scheduled.session_id, group.id)] = list(group.trainers)
            for member in group.members:
                member_of[(scheduled.session_id, member)] = group.id
    summaries: list[DuoSummary] = []
    for duo in duos:
        if only and duo.id != only:
            continue
        led = [key for key, trainers in led_by.items() if _led(duo, trainers)]
        sessions = sorted({s for s, _ in led}, key=lambda s: (order.get(s, 10**6), s))
        duo_notes = [n for n in notes.notes if n.duo == duo.id]
        scores: list[int] = []
        for survey, responses in answers:
            question = survey.satisfaction_question
            if question is None or question.type != QuestionType.SCALE:
                continue
            for response in responses:
                value = response.answers.get(question.id)
                if not isinstance(value, int) or isinstance(value, bool):
                    continue
                if _answer_is_about(duo, response, led_by, member_of):
                    scores.append(value)
        suppressed = 0 < len(scores) < small
        summaries.append(
            DuoSummary(
                duo=duo.id,
                trainers=list(duo.trainers),
                half_days=len(sessions),
                groups=len(led),
                sessions=sessions,
                notes=duo_notes,
                cohosting_mean=_mean([n.cohosting for n in duo_notes if n.cohosting]),
                satisfaction_answers=len(scores),
                satisfaction=None if suppressed else _mean(scores),
                satisfaction_suppressed=suppressed,
            )
        )
    return summaries


def _answer_is_about(
    duo: DuoRef,
    response: Response,
    led_by: dict[tuple[str, str], list[str]],
    member_of: dict[tuple[str, str], str],
) -> bool:
    if response.duo:
        return response.duo == duo.id
    if not response.session:
        return False
    group = response.group or member_of.get((response.session, response.respondent), "")
    return bool(group) and _led(duo, led_by.get((response.session, group), []))


def lessons_from_notes(notes: DuoNotesFile) -> list[str]:
    """The "what to change" of every note, once each, in the order they were written."""
    seen: dict[str, None] = {}
    for note in notes.notes:
        if note.change:
            seen.setdefault(note.change, None)
    return list(seen)
