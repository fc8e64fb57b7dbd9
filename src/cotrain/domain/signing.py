"""Signing on a tablet (issue 14): the signature log, its hash chain, and the marks it gives.

Every event of a half-day's digital sign-in sheet is one record appended to the workspace's
``signatures.toml``: a person signing in (``arrive``) or out before the end (``leave``), a
trainer signing for the group, the project manager marking someone absent or excused, adding a
walk-in, correcting a signature, closing the sheet. Records are never rewritten. Each one holds
the SHA-256 of the previous record (``prev``) and its own (``hash``, over every other field), so
that changing, removing, inserting or reordering any record breaks the chain and
:func:`verify_log` names the first record where it breaks.

A confirmed signature cannot be replaced: signing again is refused until the project manager
records a ``correct`` record naming the signature it cancels and why; both stay in the log.

Closing the sheet turns the records into the ordinary attendance marks (:func:`sheet_marks`):
signed on time -> present, signed after the start -> late, signed out before the end ->
left early, marked by the manager -> absent or excused, nothing at all -> absent.

Pure: the clock arrives as an argument, nothing is read or written here.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from cotrain.enums import AttendanceStatus
from cotrain.errors import InputError
from cotrain.i18n import t

SIGNATURES_SCHEMA = 1
GENESIS = "0" * 64
# Limits of one signature as received from a page: enough for any handwriting, small on disk.
MAX_STROKES = 60
MAX_POINTS = 6000
MAX_SIDE = 4000
SIMPLIFY_TOLERANCE = 1.2  # pixels of the signing pad: invisible at the size a sheet prints


class RecordKind(StrEnum):
    ARRIVE = "arrive"  # a person (or trainer) signs in
    LEAVE = "leave"  # a person signs out before the end
    MARK = "mark"  # the manager marks someone absent or excused (or clears it)
    WALK_IN = "walk_in"  # the manager adds someone not on the group's list
    CORRECT = "correct"  # the manager cancels an earlier signature or mark, with a reason
    CLOSE = "close"  # the manager closes the half-day's sheet


class Signer(StrEnum):
    PARTICIPANT = "participant"
    TRAINER = "trainer"
    GUEST = "guest"  # a walk-in the programme does not know


MANAGER_STATUSES = (AttendanceStatus.ABSENT, AttendanceStatus.EXCUSED)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class SignRecord(_Model):
    """One event of a sign-in sheet; ``hash`` covers every other field, ``prev`` included."""

    seq: int
    at: datetime
    session_id: str
    group_id: str = ""
    kind: RecordKind
    person_id: str = ""
    name: str = ""  # as shown when the event happened
    signer: str = ""  # a Signer value, for arrive / leave / walk_in
    status: str = ""  # mark: "absent", "excused" or "" (cleared)
    width: int = 0  # the signing pad, in its own pixels
    height: int = 0
    strokes: str = ""  # "x,y x,y x,y;x,y x,y": strokes separated by ";"
    replaces: int = 0  # correct: the seq of the record it cancels
    reason: str = ""
    clock: str = ""  # "simulated" when the times come from COTRAIN_NOW, not the real clock
    prev: str = GENESIS
    hash: str = ""


class SignatureLog(_Model):
    """The whole of ``signatures.toml``."""

    schema_: int = Field(default=SIGNATURES_SCHEMA, alias="schema")
    records: list[SignRecord] = []

    def head(self) -> str:
        return self.records[-1].hash if self.records else GENESIS

    def of_session(self, session_id: str) -> list[SignRecord]:
        return [r for r in self.records if r.session_id == session_id]


def record_hash(record: SignRecord) -> str:
    """The SHA-256 of a record's canonical JSON (sorted keys, no spaces), ``hash`` left out."""
    data = record.model_dump(mode="json", exclude={"hash"})
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def append_record(log: SignatureLog, **fields: object) -> tuple[SignatureLog, SignRecord]:
    """``log`` with one more record chained to the last one; returns both."""
    seq = log.records[-1].seq + 1 if log.records else 1
    draft = SignRecord(seq=seq, prev=log.head(), **fields)  # type: ignore[arg-type]
    record = draft.model_copy(update={"hash": record_hash(draft)})
    return log.model_copy(update={"records": [*log.records, record]}), record


@dataclass(frozen=True)
class ChainProblem:
    """Where the chain breaks: the record's position (1-based), its seq, and what is wrong."""

    position: int
    seq: int
    code: str  # "changed", "broken_link", "bad_seq"
    session_id: str


def verify_log(log: SignatureLog) -> list[ChainProblem]:
    """Every record whose content or link does not match: empty when nothing was altered.

    ``changed``: the record's fields no longer give its hash (it was edited).
    ``broken_link``: its ``prev`` is not the previous record's hash (a record was removed,
    inserted or moved, or the previous one's hash was rewritten).
    ``bad_seq``: numbering does not follow (a record removed at the end of a run).
    """
    problems = []
    previous = GENESIS
    for position, record in enumerate(log.records, start=1):
        if record_hash(record) != record.hash:
            problems.append(ChainProblem(position, record.seq, "changed", record.session_id))
        if record.prev != previous:
            problems.append(ChainProblem(position, record.seq, "broken_link", record.session_id))
        if record.seq != position:
            problems.append(ChainProblem(position, record.seq, "bad_seq", record.session_id))
        previous = record.hash
    return problems


# --- strokes -----------------------------------------------------------------------------


def _simplify(points: list[tuple[int, int]], tolerance: float) -> list[tuple[int, int]]:
    """Ramer-Douglas-Peucker: drop points closer than ``tolerance`` to the line they sit on."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        dx, dy = x2 - x1, y2 - y1
        length = (dx * dx + dy * dy) ** 0.5
        worst, index = 0.0, -1
        for i in range(first + 1, last):
            px, py = points[i]
            if length == 0:
                dist = ((px - x1) ** 2 + (py - y1) ** 2) ** 0.5
            else:
                dist = abs(dy * px - dx * py + x2 * y1 - y2 * x1) / length
            if dist > worst:
                worst, index = dist, i
        if worst > tolerance and index > 0:
            keep[index] = True
            stack.append((first, index))
            stack.append((index, last))
    return [p for p, kept in zip(points, keep, strict=True) if kept]


def encode_strokes(raw: object, width: object, height: object) -> tuple[str, int, int]:
    """Strokes sent by a page (``[[[x, y], ...], ...]`` in pad pixels) as the stored text.

    Coordinates are rounded to integers and clamped to the pad, each stroke simplified; an
    empty, oversized or malformed signature is an ``InputError`` (``sign.bad_strokes``).
    """
    if not isinstance(width, int | float) or not isinstance(height, int | float):
        raise InputError(t("sign.bad_strokes"))
    w, h = int(width), int(height)
    if not (10 <= w <= MAX_SIDE and 10 <= h <= MAX_SIDE):
        raise InputError(t("sign.bad_strokes"))
    if not isinstance(raw, list) or not raw or len(raw) > MAX_STROKES:
        raise InputError(t("sign.bad_strokes"))
    total = 0
    strokes: list[str] = []
    for stroke in raw:
        if not isinstance(stroke, list) or not stroke:
            raise InputError(t("sign.bad_strokes"))
        total += len(stroke)
        if total > MAX_POINTS:
            raise InputError(t("sign.bad_strokes"))
        points: list[tuple[int, int]] = []
        for point in stroke:
            if (
                not isinstance(point, list | tuple)
                or len(point) != 2
                or not all(isinstance(v, int | float) and v == v for v in point)
            ):
                raise InputError(t("sign.bad_strokes"))
            x = min(max(round(point[0]), 0), w)
            y = min(max(round(point[1]), 0), h)
            if not points or points[-1] != (x, y):
                points.append((x, y))
        points = _simplify(points, SIMPLIFY_TOLERANCE)
        strokes.append(" ".join(f"{x},{y}" for x, y in points))
    if all(len(s.split()) < 2 for s in strokes):  # dots only: not a signature
        raise InputError(t("sign.empty_signature"))
    return ";".join(strokes), w, h


def decode_strokes(text: str) -> list[list[tuple[int, int]]]:
    """The stored text back as strokes of integer points."""
    strokes = []
    for part in text.split(";"):
        points = []
        for pair in part.split():
            x, _, y = pair.partition(",")
            points.append((int(x), int(y)))
        if points:
            strokes.append(points)
    return strokes


# --- the sheet as the records make it ----------------------------------------------------


@dataclass
class PersonState:
    """Where one person of a sheet stands: their live signatures and marks."""

    person_id: str
    name: str
    signer: Signer
    group_id: str
    arrival: SignRecord | None = None
    departure: SignRecord | None = None
    mark: SignRecord | None = None  # absent / excused by the manager
    walk_in: SignRecord | None = None
    history: list[SignRecord] = field(default_factory=list)  # corrected records


@dataclass
class SheetState:
    """The live state of one half-day: every person by group, and whether it is closed."""

    session_id: str
    people: dict[tuple[str, str], PersonState]  # (group id, person id) -> state
    closed: SignRecord | None = None
    records: int = 0  # how many records concern this half-day (the page's version number)
    head: str = GENESIS  # hash of this half-day's last record

    def person(self, group_id: str, person_id: str) -> PersonState | None:
        return self.people.get((group_id, person_id))

    def group(self, group_id: str) -> list[PersonState]:
        return [p for (g, _), p in self.people.items() if g == group_id]


@dataclass(frozen=True)
class Roster:
    """Who is expected on each group's sheet: (id, name) of trainers and participants."""

    groups: Mapping[str, tuple[Sequence[tuple[str, str]], Sequence[tuple[str, str]]]]


def sheet_state(log: SignatureLog, session_id: str, roster: Roster) -> SheetState:
    """Replay ``log`` for one half-day over the expected people of each group."""
    people: dict[tuple[str, str], PersonState] = {}
    for group_id, (trainers, members) in roster.groups.items():
        for pid, name in trainers:
            people[(group_id, pid)] = PersonState(pid, name, Signer.TRAINER, group_id)
        for pid, name in members:
            people[(group_id, pid)] = PersonState(pid, name, Signer.PARTICIPANT, group_id)
    state = SheetState(session_id=session_id, people=people)
    by_seq: dict[int, SignRecord] = {}
    for record in log.of_session(session_id):
        by_seq[record.seq] = record
        state.records += 1
        state.head = record.hash
        key = (record.group_id, record.person_id)
        if record.kind == RecordKind.CLOSE:
            state.closed = record
        elif record.kind == RecordKind.WALK_IN:
            moved = _find_elsewhere(people, record.person_id, record.group_id)
            person = PersonState(
                record.person_id, record.name, Signer(record.signer), record.group_id
            )
            if moved is not None:
                person = moved
                del people[(moved.group_id, moved.person_id)]
                person.group_id = record.group_id
            person.walk_in = record
            people[key] = person
        elif record.kind == RecordKind.CORRECT:
            cancelled = by_seq.get(record.replaces)
            if cancelled is None:
                continue
            target = people.get((cancelled.group_id, cancelled.person_id))
            if target is None:
                continue
            for slot in ("arrival", "departure", "mark"):
                if getattr(target, slot) is cancelled:
                    setattr(target, slot, None)
                    target.history.append(cancelled)
        else:
            target = people.get(key)
            if target is None:
                continue
            if record.kind == RecordKind.ARRIVE:
                target.arrival = record
                target.mark = None
            elif record.kind == RecordKind.LEAVE:
                target.departure = record
            elif record.kind == RecordKind.MARK:
                target.mark = record if record.status else None
    return state


def _find_elsewhere(
    people: Mapping[tuple[str, str], PersonState], person_id: str, group_id: str
) -> PersonState | None:
    for (group, pid), person in people.items():
        if pid == person_id and group != group_id and person.signer == Signer.PARTICIPANT:
            return person
    return None


# --- what may happen next ----------------------------------------------------------------


def check_event(
    state: SheetState,
    *,
    kind: RecordKind,
    group_id: str,
    person_id: str = "",
    status: str = "",
) -> PersonState | None:
    """The person concerned, or an ``InputError`` saying why the event is refused.

    A closed sheet takes nothing more; one signs in once (a correction first, to sign again);
    one signs out only after signing in, and once; trainers do not sign out; a person marked
    absent or excused who then signs in is simply present (the signature wins).
    """
    if state.closed is not None:
        raise InputError(t("sign.closed"))
    if kind in (RecordKind.CLOSE, RecordKind.WALK_IN):
        return None
    person = state.person(group_id, person_id)
    if person is None:
        raise InputError(t("sign.not_on_sheet"))
    if kind == RecordKind.ARRIVE and person.arrival is not None:
        raise InputError(t("sign.already_signed"))
    if kind == RecordKind.LEAVE:
        if person.arrival is None:
            raise InputError(t("sign.leave_before_arrival"))
        if person.departure is not None:
            raise InputError(t("sign.already_left"))
        if person.signer == Signer.TRAINER:
            raise InputError(t("sign.not_on_sheet"))
    if kind == RecordKind.MARK:
        if status and status not in {s.value for s in MANAGER_STATUSES}:
            raise InputError(t("sign.bad_status"))
        if person.arrival is not None:
            raise InputError(t("sign.mark_signed"))
    return person


@dataclass(frozen=True)
class Timing:
    """The half-day's times, on its date, and the tolerance before a signature is late."""

    day: date
    start: time
    end: time
    grace: timedelta = timedelta(0)

    @property
    def starts_at(self) -> datetime:
        return datetime.combine(self.day, self.start)

    @property
    def ends_at(self) -> datetime:
        return datetime.combine(self.day, self.end)

    def is_late(self, at: datetime) -> bool:
        return at > self.starts_at + self.grace

    def is_early(self, at: datetime) -> bool:
        return at < self.ends_at - self.grace


def person_status(person: PersonState, timing: Timing) -> AttendanceStatus:
    """The attendance status the sheet gives one person.

    One status per half-day, as ``attendance.status_from_times`` decides it (late wins over
    left early when both); the times themselves are recorded with the mark, and the hours
    attended are counted from them.
    """
    if person.arrival is None:
        if person.mark is not None:
            return AttendanceStatus(person.mark.status)
        return AttendanceStatus.ABSENT
    if timing.is_late(person.arrival.at):
        return AttendanceStatus.LATE
    if person.departure is not None and timing.is_early(person.departure.at):
        return AttendanceStatus.LEFT_EARLY
    return AttendanceStatus.PRESENT


@dataclass(frozen=True)
class SheetMark:
    """What the sheet says of one participant: a status and, when signed, the times."""

    status: AttendanceStatus
    arrived: time | None = None
    left: time | None = None


def sheet_marks(
    state: SheetState, timing: Timing, *, expected: set[str]
) -> tuple[dict[str, SheetMark], list[PersonState]]:
    """Participant id -> mark for everyone on the half-day's sheets whom the schedule expects
    there, and the walk-ins it cannot mark (guests, or people not expected that half-day).

    The times are the instants of signing in and (before the end) out, to the second.
    """
    marks: dict[str, SheetMark] = {}
    unmarked: list[PersonState] = []
    for person in state.people.values():
        if person.signer == Signer.TRAINER:
            continue
        if person.signer == Signer.GUEST or person.person_id not in expected:
            unmarked.append(person)
            continue
        status = person_status(person, timing)
        arrived = person.arrival.at.time() if person.arrival else None
        departure = person.departure
        left = departure.at.time() if departure and timing.is_early(departure.at) else None
        marks[person.person_id] = SheetMark(status, arrived, left)
    return marks, unmarked
