"""Attendance by half-day: the marks, their times, their corrections, and the hours they prove
(issues 5 and 11).

The data model (``attendance.toml``, schema 2)
----------------------------------------------

Marks are kept per session as one sorted list of participant ids per status, so that a report
over 100,000 marks parses in a fraction of a second (a table per mark would not). Beside the
status lists, a session may carry **times**: ``arrived`` (when a person came in) and ``left``
(when they went out), each a literal string holding one ``<participant id> <HH:MM>`` per line
(``HH:MM:SS`` is accepted, e.g. the instant a tablet recorded a signature)::

    [[sessions]]
    session_id = "j1-matin"
    updated_at = 2015-01-22T12:40:00
    source = "emargement.csv"
    present = '''
    awa-diallo
    '''
    late = '''
    ousmane-traore
    '''
    arrived = '''
    ousmane-traore 09:55
    '''
    left = '''
    '''

A hand-written table (``arrived = { ousmane-traore = "09:55" }``) is read too. In memory these
are :attr:`SessionMarks.arrived` and :attr:`SessionMarks.left`: ``dict[person id, time]``. A
time belongs to a person with an attended status (present, late, left early); a person without a
time was there for the whole half-day as far as the evidence goes. Schema 1 files (no times) are
converted on read.

Whoever records marks (``attend``, ``attendance import``, a tablet sign-in) builds
:class:`Mark` objects (session, person, status, optional ``arrived``/``left``) and calls
:func:`record_marks` with the current time ``now``: it refuses a mark for a half-day that has not
begun, or a time that has not happened yet, and keeps every change of status or time in
``corrections`` (previous and new values, when, why, from where), never rewriting history.

The two measures
----------------

- the **participation rate** (``domain/rates.py``) counts half-days, weighting late and left
  early as ``[attendance] late_weight`` / ``left_early_weight`` say;
- the **hours attended** (:func:`minutes_attended`, :func:`hours_attended`) count the minutes
  between ``max(start, arrived)`` and ``min(end, left)`` of the half-day's timetable. A late
  arrival or early departure recorded without its time earns ``[attendance] untimed_share`` of
  the half-day (a half by default), never the whole of it. These minutes are what certificates,
  funder figures (trainee-hours) and the bilan print.

Only sessions that count for attendance (not trainers' meetings) can be marked, and only for
the participants the schedule expects there. Marks are validated all at once: one bad row and
nothing changes, and every bad row is named in the error.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    field_serializer,
    field_validator,
    model_validator,
)

from cotrain.domain.config import Config, SessionSpec
from cotrain.domain.models import Participant
from cotrain.enums import ATTENDED_STATUSES, AttendanceStatus, HalfDay
from cotrain.errors import InputError, Location
from cotrain.i18n import format_date, format_time, get_language, t

ATTENDANCE_SCHEMA = 2
STATUS_ORDER: tuple[AttendanceStatus, ...] = tuple(AttendanceStatus)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class SessionMarks(_Model):
    """The marks of one half-day: participant ids by status, each list sorted."""

    session_id: str
    present: list[str] = []
    late: list[str] = []
    left_early: list[str] = []
    excused: list[str] = []
    absent: list[str] = []
    arrived: dict[str, time] = {}  # person id -> arrival time (issue 11)
    left: dict[str, time] = {}  # person id -> departure time
    updated_at: datetime | None = None
    source: str = ""  # the last file or command that changed these marks

    @field_validator("present", "late", "left_early", "excused", "absent", mode="before")
    @classmethod
    def _ids_from_text(cls, value: object) -> object:
        # On disk a list may be one literal string, one id per line: it parses ten times
        # faster than an array (issue 6: a report over 100,000 marks within a second).
        return value.split() if isinstance(value, str) else value

    @field_validator("arrived", "left", mode="before")
    @classmethod
    def _times_from_text(cls, value: object) -> object:
        # "<id> <HH:MM>" per line, like the status lists (see the module docstring).
        if not isinstance(value, str):
            return value
        times: dict[str, str] = {}
        for line in value.splitlines():
            words = line.split()
            if not words:
                continue
            if len(words) != 2:
                raise ValueError(f"expected '<participant id> <HH:MM>', found {line.strip()!r}")
            times[words[0]] = words[1]
        return times

    @model_validator(mode="after")
    def _one_status_each(self) -> SessionMarks:
        seen: set[str] = set()
        for status in STATUS_ORDER:
            for person_id in getattr(self, status.value):
                if person_id in seen:
                    raise ValueError(
                        f"{person_id!r} has two statuses in session {self.session_id!r}"
                    )
                seen.add(person_id)
        attended = {pid for status in ATTENDED_STATUSES for pid in getattr(self, status.value)}
        for name in ("arrived", "left"):
            for person_id in getattr(self, name):
                if person_id not in attended:
                    raise ValueError(
                        f"{person_id!r} has a {name} time in session {self.session_id!r} "
                        "but is not marked present, late or left early"
                    )
        for person_id, came in self.arrived.items():
            went = self.left.get(person_id)
            if went is not None and went <= came:
                raise ValueError(
                    f"{person_id!r} left before arriving in session {self.session_id!r}"
                )
        return self

    def statuses(self) -> dict[str, AttendanceStatus]:
        """participant id -> status."""
        return {pid: status for status in STATUS_ORDER for pid in getattr(self, status.value)}


class Correction(_Model):
    """One change of an existing mark: kept for ever, never rewritten."""

    at: datetime
    session_id: str
    person_id: str
    previous: AttendanceStatus
    status: AttendanceStatus
    previous_arrived: time | None = None
    arrived: time | None = None
    previous_left: time | None = None
    left: time | None = None
    reason: str = ""
    source: str = ""

    @field_serializer("previous_arrived", "arrived", "previous_left", "left")
    def _clock(self, value: time | None) -> str | None:
        return None if value is None else clock_text(value)


class AttendanceFile(_Model):
    """The whole of ``attendance.toml``."""

    schema_: int = Field(default=ATTENDANCE_SCHEMA, alias="schema")
    sessions: list[SessionMarks] = []
    corrections: list[Correction] = []

    def marks(self) -> dict[str, dict[str, AttendanceStatus]]:
        """session id -> participant id -> status."""
        return {s.session_id: s.statuses() for s in self.sessions}

    def count(self) -> int:
        return sum(len(s.statuses()) for s in self.sessions)

    def history(self, person_id: str) -> list[Correction]:
        return [c for c in self.corrections if c.person_id == person_id]


# --- times and hours (issue 11) ------------------------------------------------------------

_CLOCK = re.compile(r"^\s*(\d{1,2})\s*(?:[:hH.]\s*(\d{2})?(?::(\d{2}))?)?\s*$")


def parse_clock(text: str) -> time | None:
    """``09:40``, ``9h40``, ``9 h 40``, ``9h``, ``09.40``, ``09:40:12``: a time, else None."""
    found = _CLOCK.match(text)
    if not found or (found[2] is None and not re.search(r"[hH]", text)):
        return None
    hour, minute, second = int(found[1]), int(found[2] or 0), int(found[3] or 0)
    if hour > 23 or minute > 59 or second > 59:
        return None
    return time(hour, minute, second)


def clock_text(value: time) -> str:
    """``09:40`` (``09:40:12`` when seconds were recorded): how times are written to disk."""
    return f"{value:%H:%M:%S}" if value.second else f"{value:%H:%M}"


def shift_clock(value: time, minutes: int) -> time:
    """``value`` plus ``minutes`` (negative: minus), staying within the day."""
    moved = datetime.combine(date(2000, 1, 1), value) + timedelta(minutes=minutes)
    if moved.date() != date(2000, 1, 1):
        return time(23, 59) if minutes > 0 else time(0, 0)
    return moved.time()


def _seconds(value: time) -> int:
    return value.hour * 3600 + value.minute * 60 + value.second


def session_minutes(config: Config, session: SessionSpec) -> int:
    """Length of a half-day in minutes, from its own times or its half-day's slot."""
    start, end = config.plan.times(session)
    return max(0, (_seconds(end) - _seconds(start)) // 60)


def session_begins(config: Config, session: SessionSpec) -> datetime:
    """When a half-day begins (its date and start time): no mark before that instant."""
    return datetime.combine(session.date, config.plan.times(session)[0])


def minutes_attended(
    config: Config,
    session: SessionSpec,
    status: AttendanceStatus | None,
    *,
    arrived: time | None = None,
    left: time | None = None,
) -> int:
    """Minutes of ``session`` a person with ``status`` (and these times) attended.

    0 for excused, absent or no mark. Otherwise the minutes between ``max(start, arrived)``
    and ``min(end, left)`` of the half-day's timetable (whole minutes, rounded down). A late
    mark without ``arrived`` (or a left-early mark without ``left``) earns
    ``config.attendance.untimed_share`` of the half-day: never all of it.
    """
    if status not in ATTENDED_STATUSES:
        return 0
    start, end = config.plan.times(session)
    full = session_minutes(config, session)
    share = config.attendance.untimed_share
    untimed = (status == AttendanceStatus.LATE and arrived is None) or (
        status == AttendanceStatus.LEFT_EARLY and left is None
    )
    if arrived is None and left is None:
        return int(full * share) if untimed else full
    begin = max(_seconds(start), _seconds(arrived)) if arrived else _seconds(start)
    finish = min(_seconds(end), _seconds(left)) if left else _seconds(end)
    minutes = max(0, finish - begin) // 60
    if untimed:  # one time known, the one the status is about missing
        minutes = min(minutes, int(full * share))
    return minutes


def hours_attended(
    config: Config,
    session: SessionSpec,
    status: AttendanceStatus | None,
    *,
    arrived: time | None = None,
    left: time | None = None,
) -> Decimal:
    """:func:`minutes_attended` as hours (a Decimal: 2 h 35 -> ``Decimal('2.5833…')``)."""
    return Decimal(minutes_attended(config, session, status, arrived=arrived, left=left)) / Decimal(
        60
    )


def attended_minutes_by_person(
    config: Config, attendance: AttendanceFile
) -> dict[str, dict[str, int]]:
    """participant id -> session id -> minutes attended, for every marked counted session.

    The one place documents read the hours from (certificates, funder figures, the bilan);
    people expected but without a mark attended 0 minutes and are not listed.
    """
    sessions = {s.id: s for s in config.plan.sessions if s.counts_for_attendance}
    out: dict[str, dict[str, int]] = {}
    for marks in attendance.sessions:
        session = sessions.get(marks.session_id)
        if session is None:
            continue
        full = session_minutes(config, session)
        for person_id, status in marks.statuses().items():
            arrived = marks.arrived.get(person_id)
            left = marks.left.get(person_id)
            if status == AttendanceStatus.PRESENT and arrived is None and left is None:
                minutes = full  # the common case, without the arithmetic
            else:
                minutes = minutes_attended(config, session, status, arrived=arrived, left=left)
            out.setdefault(person_id, {})[session.id] = minutes
    return out


def status_from_times(
    config: Config,
    session: SessionSpec,
    *,
    arrived: time | None,
    left: time | None,
) -> AttendanceStatus:
    """The status times imply: late when arriving after the start, left early when leaving
    before the end (late wins when both), present otherwise. For recorders that only know
    times (a tablet records when each person signed in and out)."""
    start, end = config.plan.times(session)
    if arrived is not None and arrived > start:
        return AttendanceStatus.LATE
    if left is not None and left < end:
        return AttendanceStatus.LEFT_EARLY
    return AttendanceStatus.PRESENT


# --- what users type ---------------------------------------------------------------------


def fold(text: str) -> str:
    """Lower case, accents removed, runs of spaces/punctuation made one space: for matching."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
    return re.sub(r"[^a-z0-9]+", " ", bare).strip()


def status_words(config: Config) -> dict[str, AttendanceStatus]:
    """Every accepted spelling of a status: the configured codes, the keys, fr and en labels."""
    words: dict[str, AttendanceStatus] = {}
    for status in STATUS_ORDER:
        for spelling in (
            status.value,
            status.value.replace("_", " "),
            t(f"status.{status.value}", lang="fr"),
            t(f"status.{status.value}", lang="en"),
            t(f"attendance.status_word.{status.value}", lang="fr"),
            t(f"attendance.status_word.{status.value}", lang="en"),
        ):
            words.setdefault(fold(spelling), status)
    # Configured codes come last and win: they are what the sheets really contain.
    for status, codes in config.attendance.codes.items():
        for code in codes:
            words[fold(code)] = status
    return words


def parse_status(text: str, words: Mapping[str, AttendanceStatus]) -> AttendanceStatus | None:
    """The status ``text`` spells, or None. Only a blank cell reads as the empty code."""
    if text.strip() and set(text.strip()) <= TICKS:
        return AttendanceStatus.PRESENT  # ✓, as the applications' ticks read
    key = fold(text)
    if not key and text.strip():
        return None  # "?" or "-" is not an empty cell
    return words.get(key)


_HALF_WORDS: dict[str, HalfDay] = {
    "matin": HalfDay.AM,
    "am": HalfDay.AM,
    "a m": HalfDay.AM,
    "morning": HalfDay.AM,
    "matinee": HalfDay.AM,
    "m": HalfDay.AM,
    "apres midi": HalfDay.PM,
    "apresmidi": HalfDay.PM,
    "aprem": HalfDay.PM,
    "pm": HalfDay.PM,
    "p m": HalfDay.PM,
    "afternoon": HalfDay.PM,
    "am pm": HalfDay.PM,
    "a midi": HalfDay.PM,
    "ap midi": HalfDay.PM,
    "apm": HalfDay.PM,
}
_DMY = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{2}|\d{4}))?(?:\s+|$)(.*)$")
# A weekday before the date, as date formats write it: "Mardi 24/11/2026", "Mar. 24/11".
_WEEKDAY = re.compile(
    r"^\s*(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|lun|mar|mer|jeu|ven|sam|dim"
    r"|monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|tues|wed|thu|thur"
    r"|thurs|fri|sat|sun)\.?,?\s+(?=\d)",
    re.IGNORECASE,
)
# Ticks typed or pasted in a grid for "present".
TICKS = frozenset("✓✔☑✅√")
# A status typed with its time in one cell: "R 13h50" (late, arrived 13:50), "D 11h45".
_STATUS_TIME = re.compile(r"^\s*(.*?\S)\s*(?:à\s+|at\s+)?(\d{1,2}\s*[h:.]\s*\d{0,2})\s*$", re.I)
_YMD = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?(?:\s+|$)(.*)$")


@dataclass(frozen=True)
class HalfDayLabel:
    """A header or argument such as ``22/01 matin``: a day (year maybe unknown) and maybe a half."""

    day: int
    month: int
    year: int | None
    half: HalfDay | None


def parse_half_day_label(text: str) -> HalfDayLabel | None:
    """``22/01 matin``, ``22/01/2015 AM``, ``2015-01-22 pm``, ``22/01 après-midi``; None otherwise.

    A label with a date but an unknown half-day word gives ``half=None`` only if nothing follows
    the date; anything else that is not a half-day word is not a label.
    """
    text = _WEEKDAY.sub("", text)
    found = _YMD.match(text)
    year: int | None
    if found:
        year, month, day, rest = int(found[1]), int(found[2]), int(found[3]), found[4]
    else:
        found = _DMY.match(text)
        if not found:
            return None
        day, month, rest = int(found[1]), int(found[2]), found[4]
        year = int(found[3]) if found[3] else None
        if year is not None and year < 100:
            year += 2000
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    words = fold(rest)
    if not words:
        return HalfDayLabel(day, month, year, None)
    half = _HALF_WORDS.get(words) or _HALF_WORDS.get(words.replace(" ", ""))
    if half is None:
        return None
    return HalfDayLabel(day, month, year, half)


class SessionLookup:
    """Find a session of the plan by id or by date and half-day; say why when none fits."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self.by_id = {s.id: s for s in config.plan.sessions}
        self.trainee = [s for s in config.plan.sessions if s.counts_for_attendance]
        self.first = min((s.date for s in self.trainee), default=None)
        self.last = max((s.date for s in self.trainee), default=None)

    def find(self, text: str) -> SessionSpec:
        """The session named by ``text``; an InputError (without location) saying why not."""
        session = self.by_id.get(text.strip())
        if session is not None:
            if not session.counts_for_attendance:
                raise InputError(t("attendance.not_counted", session=session.id))
            return session
        label = parse_half_day_label(text)
        if label is None:
            raise InputError(
                t("attendance.unknown_session", session=text),
                hint=t("attendance.unknown_session_hint", sessions=self.known()),
            )
        return self.find_label(label, text)

    def find_label(self, label: HalfDayLabel, text: str) -> SessionSpec:
        candidates = [
            s
            for s in self.trainee
            if (s.date.day, s.date.month) == (label.day, label.month)
            and (label.year is None or s.date.year == label.year)
        ]
        if not candidates:
            when = self._date_of(label)
            if (
                when is not None
                and self.first
                and self.last
                and not self.first <= when <= self.last
            ):
                raise InputError(
                    t(
                        "attendance.outside_programme",
                        session=text,
                        first=format_date(self.first),
                        last=format_date(self.last),
                    ),
                )
            raise InputError(
                t("attendance.unknown_session", session=text),
                hint=t("attendance.unknown_session_hint", sessions=self.known()),
            )
        if label.half is not None:
            candidates = [s for s in candidates if s.half == label.half]
            if not candidates:
                raise InputError(
                    t("attendance.unknown_session", session=text),
                    hint=t("attendance.unknown_session_hint", sessions=self.known()),
                )
        if len(candidates) > 1:
            raise InputError(
                t("attendance.ambiguous_session", session=text),
                hint=t(
                    "attendance.unknown_session_hint", sessions=", ".join(s.id for s in candidates)
                ),
            )
        return candidates[0]

    def _date_of(self, label: HalfDayLabel) -> date | None:
        years = [label.year] if label.year else sorted({s.date.year for s in self.trainee})
        for year in years:
            try:
                return date(year, label.month, label.day)
            except ValueError:
                continue
        return None

    def known(self) -> str:
        return ", ".join(s.id for s in self.trainee)


def session_label(session: SessionSpec, *, lang: str | None = None) -> str:
    """``22/01 matin``: how sign-in grids name a half-day."""
    return f"{session.date:%d/%m} {t(f'half.{session.half.value}', lang=lang)}"


class PersonLookup:
    """Find a participant by id, or by name ignoring case, accents and punctuation."""

    def __init__(self, participants: Sequence[Participant]) -> None:
        self.by_id = {p.id: p for p in participants}
        self.by_name: dict[str, list[Participant]] = {}
        for person in participants:
            for key in self._keys(person.name):
                self.by_name.setdefault(key, []).append(person)
        self.participants = list(participants)

    @staticmethod
    def _keys(name: str) -> set[str]:
        words = fold(name).split()
        # "Diallo Awa" as on many sign-in sheets (last name first) matches "Awa Diallo" too.
        return {" ".join(words), " ".join(sorted(words))}

    def find(self, text: str) -> Participant:
        person = self.by_id.get(text.strip())
        if person is not None:
            return person
        folded = fold(text)
        matches: dict[str, Participant] = {}
        for key in self._keys(text):
            for candidate in self.by_name.get(key, []):
                matches[candidate.id] = candidate
        if not matches and folded:
            # Part of a name ("Kergoat", "Awa Diallo" for "Awa Diallo-Sow"): every word typed
            # is a word of the name. Accepted only when one person fits.
            words = set(folded.split())
            for candidate in self.participants:
                if words <= set(fold(candidate.name).split()):
                    matches[candidate.id] = candidate
        if len(matches) == 1:
            return next(iter(matches.values()))
        if len(matches) > 1:
            raise InputError(
                t("attendance.ambiguous_person", person=text),
                hint=t("attendance.candidates", candidates=_listing(matches.values())),
            )
        # Unknown: suggest people sharing a word of the name, or whose name is close to it
        # (a typo: "Cedrik" for "Cédric"); never the whole list.
        words = set(folded.split())
        near = [p for p in self.participants if words & set(fold(p.name).split())][:8]
        if not near and folded:
            import difflib

            names = {fold(p.name): p for p in self.participants}
            close = difflib.get_close_matches(folded, list(names), n=5, cutoff=0.6)
            near = [names[name] for name in close]
        raise InputError(
            t("attendance.unknown_person", person=text),
            hint=(
                t("attendance.candidates", candidates=_listing(near))
                if near
                else t("attendance.unknown_person_hint")
            ),
        )


def _listing(people: Iterable[Participant]) -> str:
    """``Sophie Martin (sophie-martin-2, Lyon)``: enough to tell namesakes apart."""
    return ", ".join(
        f"{p.name} ({', '.join(x for x in (p.id, p.city or p.organisation) if x)})"
        for p in people
    )


# --- recording ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Mark:
    """One status to record, and where it came from (to name the row in errors)."""

    session_id: str
    person_id: str
    status: AttendanceStatus
    location: Location | None = None
    arrived: time | None = None  # None: no arrival time known (or none recorded)
    left: time | None = None


@dataclass
class MarkingResult:
    """What recording changed: new marks, corrected marks, unchanged marks."""

    attendance: AttendanceFile
    added: int = 0
    changed: int = 0
    unchanged: int = 0
    corrections: list[Correction] = field(default_factory=list)

    @property
    def has_changes(self) -> bool:
        return bool(self.added or self.changed)


def check_marks(
    marks: Sequence[Mark],
    *,
    config: Config,
    expected: Mapping[str, set[str]],
    now: datetime | None = None,
) -> list[str]:
    """Every problem with ``marks`` (unknown or uncounted session, half-day not begun at
    ``now``, person not expected there, the same person marked twice with different statuses,
    impossible times), each naming its row and column."""
    problems: list[str] = []
    seen: dict[tuple[str, str], AttendanceStatus] = {}
    sessions = {s.id: s for s in config.plan.sessions}
    nobody: set[str] = set()

    def problem(mark: Mark, message: str) -> None:
        where = mark.location.render() if mark.location else ""
        line = t("error.at", where=where, message=message) if where else message
        if where or line not in problems:  # marks typed on the command line: said once
            problems.append(line)

    for mark in marks:
        session = sessions.get(mark.session_id)
        if session is None:
            problem(mark, t("attendance.unknown_session", session=mark.session_id))
            continue
        if not session.counts_for_attendance:
            problem(mark, t("attendance.not_counted", session=session.id))
            continue
        if now is not None and session_begins(config, session) > now:
            # Issue 11: a sheet signed in advance is the first thing an inspector looks for.
            begins = session_begins(config, session)
            problem(
                mark,
                t(
                    "attendance.not_begun",
                    session=session.id,
                    date=format_date(begins.date()),
                    time=format_clock(begins.time()),
                    now_date=format_date(now.date()),
                    now_time=format_clock(now.time()),
                ),
            )
            continue
        if mark.person_id not in expected.get(session.id, nobody):
            problem(mark, t("attendance.not_expected", person=mark.person_id, session=session.id))
            continue
        key = (session.id, mark.person_id)
        previous = seen.setdefault(key, mark.status)
        if previous != mark.status:
            problem(mark, t("attendance.marked_twice", person=mark.person_id, session=session.id))
        for message in _time_problems(mark, config=config, session=session, now=now):
            problem(mark, message)
    return problems


def _time_problems(
    mark: Mark, *, config: Config, session: SessionSpec, now: datetime | None
) -> list[str]:
    """What is wrong with a mark's times: on an absence, in the wrong order, outside the
    half-day, or later than ``now``."""
    if mark.arrived is None and mark.left is None:
        return []
    who = {"person": mark.person_id, "session": session.id}
    if mark.status not in ATTENDED_STATUSES:
        return [t("attendance.time_on_absence", status=t(f"status.{mark.status.value}"), **who)]
    start, end = config.plan.times(session)
    out = []
    if mark.arrived is not None and mark.arrived >= end:
        out.append(
            t(
                "attendance.arrived_after_end",
                time=format_clock(mark.arrived),
                end=format_clock(end),
                **who,
            )
        )
    if mark.left is not None and mark.left <= start:
        out.append(
            t(
                "attendance.left_before_start",
                time=format_clock(mark.left),
                start=format_clock(start),
                **who,
            )
        )
    if mark.arrived is not None and mark.left is not None and mark.left <= mark.arrived:
        out.append(
            t(
                "attendance.left_before_arrival",
                arrived=format_clock(mark.arrived),
                left=format_clock(mark.left),
                **who,
            )
        )
    if now is not None:
        for value in (mark.arrived, mark.left):
            if value is not None and datetime.combine(session.date, value) > now:
                out.append(t("attendance.time_in_future", time=format_clock(value), **who))
                break
    return out


def format_minutes(minutes: int, *, lang: str | None = None) -> str:
    """A duration as documents print it: ``26 h 25`` (fr) / ``26 h 25 min`` (en), ``27 h``."""
    hours, rest = divmod(minutes, 60)
    nbsp = "\u00a0"
    if not rest:
        return f"{hours}{nbsp}h"
    if (lang or get_language()) == "fr":
        return f"{hours}{nbsp}h{nbsp}{rest:02d}"
    return f"{hours}{nbsp}h{nbsp}{rest:02d}{nbsp}min"


def format_clock(value: time, *, lang: str | None = None) -> str:
    """``9 h 40`` in French, ``9:40`` in English: times as messages and documents print them."""
    return format_time(value, lang=lang)


def record_marks(
    attendance: AttendanceFile,
    marks: Sequence[Mark],
    *,
    config: Config,
    expected: Mapping[str, set[str]],
    now: datetime,
    reason: str = "",
    source: str = "",
    file: str | None = None,
) -> MarkingResult:
    """Record ``marks`` at ``now``; changing an existing status or time appends a correction.

    Returns the new file and what changed. A mark replaces the status *and* the times recorded
    for that person and half-day (a mark without times clears them). Marks equal to what is
    recorded change nothing (an import run twice leaves the file as it was). Raises one
    InputError naming every bad mark (a half-day that has not begun at ``now`` among them), and
    then records none of them.
    """
    problems = check_marks(marks, config=config, expected=expected, now=now)
    if problems:
        raise _bad_marks(problems, file)
    current = attendance.marks()
    arrived = {s.session_id: dict(s.arrived) for s in attendance.sessions}
    left = {s.session_id: dict(s.left) for s in attendance.sessions}
    result = MarkingResult(attendance=attendance)
    touched: set[str] = set()
    for mark in marks:
        statuses = current.setdefault(mark.session_id, {})
        came = arrived.setdefault(mark.session_id, {})
        went = left.setdefault(mark.session_id, {})
        previous = statuses.get(mark.person_id)
        before = (came.get(mark.person_id), went.get(mark.person_id))
        if previous == mark.status and before == (mark.arrived, mark.left):
            result.unchanged += 1
            continue
        statuses[mark.person_id] = mark.status
        for times, value in ((came, mark.arrived), (went, mark.left)):
            if value is None:
                times.pop(mark.person_id, None)
            else:
                times[mark.person_id] = value
        touched.add(mark.session_id)
        if previous is None:
            result.added += 1
        else:
            result.changed += 1
            result.corrections.append(
                Correction(
                    at=now,
                    session_id=mark.session_id,
                    person_id=mark.person_id,
                    previous=previous,
                    status=mark.status,
                    previous_arrived=before[0],
                    arrived=mark.arrived,
                    previous_left=before[1],
                    left=mark.left,
                    reason=reason,
                    source=source,
                )
            )
    if not touched:
        return result
    old = {s.session_id: s for s in attendance.sessions}
    order = {s.id: index for index, s in enumerate(config.plan.sessions)}
    sessions = []
    for session_id in sorted(current, key=lambda sid: (order.get(sid, len(order)), sid)):
        if session_id in touched:
            sessions.append(
                _session_marks(
                    session_id,
                    current[session_id],
                    arrived=arrived[session_id],
                    left=left[session_id],
                    now=now,
                    source=source,
                )
            )
        else:
            sessions.append(old[session_id])
    result.attendance = attendance.model_copy(
        update={
            "sessions": sessions,
            "corrections": [*attendance.corrections, *result.corrections],
        }
    )
    return result


def _session_marks(
    session_id: str,
    statuses: Mapping[str, AttendanceStatus],
    *,
    arrived: Mapping[str, time],
    left: Mapping[str, time],
    now: datetime,
    source: str,
) -> SessionMarks:
    lists: dict[str, list[str]] = {status.value: [] for status in STATUS_ORDER}
    for person_id, status in statuses.items():
        lists[status.value].append(person_id)
    return SessionMarks(
        session_id=session_id,
        **{name: sorted(ids) for name, ids in lists.items()},
        arrived=dict(sorted(arrived.items())),
        left=dict(sorted(left.items())),
        updated_at=now,
        source=source,
    )


def marks_for_all_present(
    session: SessionSpec,
    *,
    expected: Mapping[str, set[str]],
    status: AttendanceStatus,
    exceptions: Mapping[str, AttendanceStatus],
) -> list[Mark]:
    """Everyone expected at ``session`` present, except the people given (with their status)."""
    people = expected.get(session.id, set())
    marks = [Mark(session.id, pid, exceptions.get(pid, status)) for pid in sorted(people)]
    extra = sorted(set(exceptions) - people)
    marks.extend(Mark(session.id, pid, exceptions[pid]) for pid in extra)  # reported as errors
    return marks


# --- typed sign-in sheets ----------------------------------------------------------------


@dataclass(frozen=True)
class SheetEntry:
    """One cell of a typed sign-in sheet, still as text: a session, a person, a status.

    ``where`` names the row and column of the status (or of the row); ``session_where`` the
    place that names the session (the column header in a grid), so that a bad header is
    reported once, not once per row.
    """

    session: str
    person: str
    status: str
    where: Location
    session_where: Location
    person_where: Location
    arrived: str = ""  # the arrival time as typed ("09:55", "9h55"), or ""
    left: str = ""
    arrived_where: Location | None = None
    left_where: Location | None = None


def marks_from_entries(
    entries: Sequence[SheetEntry],
    *,
    config: Config,
    participants: Sequence[Participant],
    expected: Mapping[str, set[str]],
    file: str | None = None,
    now: datetime | None = None,
) -> list[Mark]:
    """Resolve a sheet's sessions, people and statuses into marks, or raise one InputError
    naming every bad row and column.

    A blank cell for someone the schedule does not expect at that session is no mark (grids
    have a cell for every person and every half-day); a blank cell for someone expected is an
    absence (the ``absent`` codes include the empty cell).
    """
    sessions = SessionLookup(config)
    people = PersonLookup(participants)
    words = status_words(config)
    problems: list[str] = []
    reported: set[tuple[str | None, int | None, str | None]] = set()
    session_ids: dict[str, str | None] = {}
    person_ids: dict[str, str | None] = {}
    marks: list[Mark] = []

    def problem(where: Location, text: str) -> None:
        key = (where.file, where.row, where.column)
        if key not in reported:
            reported.add(key)
            problems.append(t("error.at", where=where.render(), message=text))

    session_errors: dict[str, str] = {}
    person_errors: dict[str, str] = {}
    parsed: dict[str, AttendanceStatus | None] = {}
    for entry in entries:
        if entry.session not in session_ids:
            try:
                session_ids[entry.session] = sessions.find(entry.session).id
            except InputError as exc:
                session_ids[entry.session] = None
                session_errors[entry.session] = exc.message
        session_id = session_ids[entry.session]
        if session_id is None:
            problem(entry.session_where, session_errors[entry.session])
        name = entry.person.strip()
        if not name:
            if entry.status.strip():
                problem(entry.person_where, t("attendance.import.empty_person"))
            continue
        if name not in person_ids:
            try:
                person_ids[name] = people.find(name).id
            except InputError as exc:
                person_ids[name] = None
                person_errors[name] = f"{exc.message} ({exc.hint})" if exc.hint else exc.message
        person_id = person_ids[name]
        if person_id is None:
            problem(entry.person_where, person_errors[name])
        if session_id is None or person_id is None:
            continue
        if not entry.status.strip() and person_id not in expected.get(session_id, set()):
            continue
        if entry.status not in parsed:
            parsed[entry.status] = parse_status(entry.status, words)
        status = parsed[entry.status]
        typed_time: time | None = None
        if status is None and (both := _STATUS_TIME.match(entry.status)):
            # "R 13h50": the status and its time in one cell (arrival, or departure).
            code = parse_status(both[1], words)
            typed_time = parse_clock(both[2].replace(" ", ""))
            if code is not None and typed_time is not None:
                status = code
        if status is None:
            problem(entry.where, t("attendance.unknown_status", status=entry.status))
            continue
        times: list[time | None] = []
        for text, where in (
            (entry.arrived, entry.arrived_where),
            (entry.left, entry.left_where),
        ):
            value = parse_clock(text) if text.strip() else None
            if text.strip() and value is None:
                problem(where or entry.where, t("attendance.bad_clock", time=text))
            times.append(value)
        if typed_time is not None:
            at = 1 if status == AttendanceStatus.LEFT_EARLY else 0
            times[at] = times[at] or typed_time
        if status == AttendanceStatus.PRESENT and any(times):
            # "x" with an arrival after the start is a late arrival: the times are the evidence.
            session = config.plan.session(session_id)
            if session is not None:
                status = status_from_times(config, session, arrived=times[0], left=times[1])
        marks.append(Mark(session_id, person_id, status, entry.where, times[0], times[1]))
    problems.extend(check_marks(marks, config=config, expected=expected, now=now))
    if problems:
        raise _bad_marks(problems, file)
    return marks


def _bad_marks(problems: list[str], file: str | None) -> InputError:
    """Every bad mark of a file in one error: nothing of it is recorded.

    The same problem for many people (a whole group marked for a half-day that has not begun)
    is listed once, with how many marks it stops. Marks typed on the command line (no ``file``)
    have no lines to point at: one problem is the error itself, and the hint speaks of the
    command.
    """
    counts: dict[str, int] = {}
    for text in problems:
        counts[text] = counts.get(text, 0) + 1
    details = [
        text if n == 1 else t("attendance.repeated_problem", problem=text, count=n)
        for text, n in counts.items()
    ]
    if file is None and len(details) == 1:
        return InputError(details[0], hint=t("attendance.bad_marks_hint_command"))
    return InputError(
        t("attendance.bad_marks", count=len(problems)),
        location=Location(file=file) if file else None,
        details=details,
        hint=t("attendance.bad_marks_hint" if file else "attendance.bad_marks_hint_command"),
    )
