"""The participation rate, defined once, and its views (issue 5).

    rate = attended half-days / expected half-days

- *expected half-days*: for every session that counts for attendance (not trainers' meetings),
  the registered participants the schedule expects there. Someone joining the programme late is
  expected only from the sessions the schedule puts them in.
- *attended half-days*: present counts 1, late ``attendance.late_weight`` (1 by default) and
  left early ``attendance.left_early_weight`` (1 by default).
- excused absences are absences (French training law bills no missed hour, excused or not) but
  are counted apart; ``excluding_excused`` removes them from the expected half-days instead.
- a half-day with no mark counts as not attended; sessions where nobody is marked are listed
  (``sessions_without_marks``) so that a forgotten sheet is seen.

Hours are the second measure, defined in :mod:`cotrain.domain.attendance`
(:func:`~cotrain.domain.attendance.minutes_attended`): minutes between arrival and departure
within the half-day's timetable. ``Figures.minutes`` carries them beside the half-days, so that
every view has its trainee-hours (``Figures.hours``) from the same marks.

Rates are Decimals in 0..1; rounding (half up, to a whole percent by default, as on the
national training account) happens only when printing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal

from cotrain.domain.attendance import (
    AttendanceFile,
    minutes_attended,
    session_minutes,
)
from cotrain.domain.changes import has_begun, is_expected, session_order
from cotrain.domain.config import Config, SessionSpec
from cotrain.domain.models import Participant, ScheduleFile
from cotrain.enums import ATTENDED_STATUSES, AttendanceStatus, Role, all_roles

VIEWS = ("city", "role", "day", "session", "person")
GROUPS = ("recipients", "activists", "all")
ACTIVISTS_KEY = "activists"

_ZERO = Decimal(0)


@dataclass(frozen=True)
class Figures:
    """Counts of half-days for a set of people and sessions, and the rate they give."""

    people: int = 0
    expected: int = 0
    present: int = 0
    late: int = 0
    left_early: int = 0
    excused: int = 0
    absent: int = 0  # marked absent
    unmarked: int = 0  # expected, no mark: not attended
    attended: Decimal = _ZERO  # weighted
    excluding_excused: bool = False
    minutes: int = 0  # minutes attended (arrival to departure), see domain/attendance.py
    expected_minutes: int = 0  # minutes of the expected half-days

    @property
    def hours(self) -> Decimal:
        """Hours attended (trainee-hours for a group): minutes / 60."""
        return Decimal(self.minutes) / 60

    @property
    def expected_hours(self) -> Decimal:
        return Decimal(self.expected_minutes) / 60

    @property
    def attended_count(self) -> int:
        """Half-days attended, late and left early included, without weights."""
        return self.present + self.late + self.left_early

    @property
    def missed(self) -> int:
        """Half-days not attended: excused, absent or unmarked."""
        return self.excused + self.absent + self.unmarked

    @property
    def base(self) -> int:
        """The denominator: expected half-days, less excused ones if so asked."""
        return self.expected - self.excused if self.excluding_excused else self.expected

    @property
    def rate(self) -> Decimal | None:
        """attended / base in 0..1, or None when nothing was expected."""
        if self.base <= 0:
            return None
        return self.attended / self.base

    def __add__(self, other: Figures) -> Figures:
        return Figures(
            people=self.people + other.people,
            expected=self.expected + other.expected,
            present=self.present + other.present,
            late=self.late + other.late,
            left_early=self.left_early + other.left_early,
            excused=self.excused + other.excused,
            absent=self.absent + other.absent,
            unmarked=self.unmarked + other.unmarked,
            attended=self.attended + other.attended,
            excluding_excused=self.excluding_excused,
            minutes=self.minutes + other.minutes,
            expected_minutes=self.expected_minutes + other.expected_minutes,
        )


def rounded_percent(rate: Decimal | None, decimals: int = 0) -> Decimal | None:
    """A rate as a percentage rounded half up: ``0.952`` -> ``95``, with 1 decimal ``95.2``."""
    if rate is None:
        return None
    return (rate * 100).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class ViewRow:
    """One row of a view: what it is about (``key``, raw ``label``) and its figures."""

    key: str
    label: str
    figures: Figures
    role: Role | None = None
    city: str = ""
    is_activists: bool = False


@dataclass(frozen=True)
class PersonFigures:
    participant: Participant
    figures: Figures
    statuses: Mapping[str, AttendanceStatus | None]  # session id -> status (None: unmarked)
    minutes: Mapping[str, int] = field(default_factory=dict)  # session id -> minutes attended
    # session id -> (arrived, left) for the half-days where a time was recorded
    times: Mapping[str, tuple[time | None, time | None]] = field(default_factory=dict)


@dataclass
class ParticipationReport:
    """The participation of every registered participant, and the views of it."""

    config: Config
    sessions: list[SessionSpec]  # the sessions that count, in plan order
    people: list[PersonFigures]
    excluding_excused: bool
    session_figures: dict[str, Figures] = field(default_factory=dict)
    session_people: dict[str, set[str]] = field(default_factory=dict)  # who is expected where
    sessions_without_marks: list[SessionSpec] = field(default_factory=list)
    ignored_marks: int = 0  # marks of people not expected there (the schedule changed since)
    # late / left-early marks without the time they need: their hours are untimed_share only
    untimed_marks: int = 0

    # --- overall --------------------------------------------------------------------------

    def total(self, group: str = "all") -> Figures:
        """Figures of ``recipients`` (the cities' people), ``activists`` or ``all``."""
        if group not in GROUPS:
            raise ValueError(f"unknown group {group!r}")
        chosen = [
            p.figures
            for p in self.people
            if group == "all" or (p.participant.role == Role.ACTIVIST) == (group == "activists")
        ]
        return _sum(chosen, self.excluding_excused)

    @property
    def recipients(self) -> Figures:
        return self.total("recipients")

    @property
    def activists(self) -> Figures:
        return self.total("activists")

    @property
    def all(self) -> Figures:
        return self.total("all")

    @property
    def target(self) -> Decimal:
        return self.config.reporting.target

    def target_met(self, group: str = "recipients", *, decimals: int | None = None) -> bool | None:
        """Whether the (rounded, as published) rate of ``group`` reaches the target."""
        rate = self.total(group).rate
        if rate is None:
            return None
        places = self.config.reporting.decimals if decimals is None else decimals
        published = rounded_percent(rate, places)
        return published is not None and published >= self.target * 100

    # --- follow-up (Qualiopi indicator 12) ------------------------------------------------

    def follow_up(self, *, missed_more_than: int | None = None) -> list[PersonFigures]:
        """People to follow up (most missed first): everyone with an unexcused absence (absent
        or unmarked), and anyone who missed more than ``reporting.follow_up_missed`` half-days,
        excused or not. Qualiopi indicator 12 asks that every unexcused absence be acted on
        (issue 11): a single one is listed too."""
        limit = (
            self.config.reporting.follow_up_missed if missed_more_than is None else missed_more_than
        )
        chosen = [
            p
            for p in self.people
            if p.figures.absent + p.figures.unmarked > 0 or p.figures.missed > limit
        ]
        return sorted(chosen, key=lambda p: (-p.figures.missed, p.participant.id))

    # --- views ----------------------------------------------------------------------------

    def by_view(self, view: str) -> list[ViewRow]:
        """Rows of ``city``, ``role``, ``day``, ``session`` or ``person``; they add up to ``all``.

        The city view has one row per selected city (its recipients) and one row for all the
        activists together: activists are never broken down by city.
        """
        builders: dict[str, Callable[[], list[ViewRow]]] = {
            "city": self._by_city,
            "role": self._by_role,
            "day": self._by_day,
            "session": self._by_session,
            "person": self._by_person,
        }
        if view not in builders:
            raise ValueError(f"unknown view {view!r}")
        return builders[view]()

    def _by_city(self) -> list[ViewRow]:
        rows: dict[str, list[PersonFigures]] = {}
        names: dict[str, str] = {}
        activists: list[PersonFigures] = []
        for person in self.people:
            if person.participant.role == Role.ACTIVIST:
                activists.append(person)
            else:
                rows.setdefault(person.participant.city_id, []).append(person)
                names[person.participant.city_id] = person.participant.city
        out = [
            ViewRow(city_id, names[city_id], self._sum_people(people), city=names[city_id])
            for city_id, people in rows.items()
        ]
        if activists:
            out.append(
                ViewRow(
                    ACTIVISTS_KEY,
                    "",
                    self._sum_people(activists),
                    role=Role.ACTIVIST,
                    is_activists=True,
                )
            )
        return out

    def _by_role(self) -> list[ViewRow]:
        out = []
        for role in all_roles():
            people = [p for p in self.people if p.participant.role == role]
            if people:
                out.append(
                    ViewRow(
                        role.value,
                        "",
                        self._sum_people(people),
                        role=role,
                        is_activists=role == Role.ACTIVIST,
                    )
                )
        return out

    def _by_session(self) -> list[ViewRow]:
        return [ViewRow(s.id, s.title, self.session_figures[s.id]) for s in self.sessions]

    def _by_day(self) -> list[ViewRow]:
        days: dict[date, list[Figures]] = {}
        people: dict[date, set[str]] = {}
        for session in self.sessions:
            days.setdefault(session.date, []).append(self.session_figures[session.id])
            people.setdefault(session.date, set()).update(self.session_people.get(session.id, ()))
        return [
            ViewRow(
                day.isoformat(),
                "",
                replace(_sum(figures, self.excluding_excused), people=len(people[day])),
            )
            for day, figures in sorted(days.items())
        ]

    def _by_person(self) -> list[ViewRow]:
        return [
            ViewRow(
                p.participant.id,
                p.participant.name,
                p.figures,
                role=p.participant.role,
                city=p.participant.city,
                is_activists=p.participant.role == Role.ACTIVIST,
            )
            for p in self.people
        ]

    def _sum_people(self, people: Iterable[PersonFigures]) -> Figures:
        return _sum((p.figures for p in people), self.excluding_excused)


def _sum(figures: Iterable[Figures], excluding_excused: bool) -> Figures:
    total = Figures(excluding_excused=excluding_excused)
    for item in figures:
        total = total + item
    return total


def participation(
    config: Config,
    participants: Sequence[Participant],
    schedule: ScheduleFile,
    attendance: AttendanceFile,
    *,
    excluding_excused: bool = False,
    now: datetime | None = None,
) -> ParticipationReport:
    """The participation of ``participants``: per person, per session, and every view.

    With ``now`` (mid-programme, read by the command line), only the half-days begun by then
    (or already marked) are expected; once all have begun, the figures are the same as without.

    Only sessions that count for attendance are used, and for each only the participants the
    schedule expects there. Marks of people not expected are left out (and counted in
    ``ignored_marks``).
    """
    weights = {
        AttendanceStatus.PRESENT: Decimal(1),
        AttendanceStatus.LATE: config.attendance.late_weight,
        AttendanceStatus.LEFT_EARLY: config.attendance.left_early_weight,
        AttendanceStatus.EXCUSED: _ZERO,
        AttendanceStatus.ABSENT: _ZERO,
    }
    sessions = config.plan.trainee_sessions
    if now is not None:
        marked = {s.session_id for s in attendance.sessions if s.statuses()}
        sessions = [s for s in sessions if s.id in marked or has_begun(config, s, now)]
    expected = schedule.expected()
    by_session = {s.session_id: s for s in attendance.sessions}
    registered = {p.id for p in participants}
    people_by_id = {p.id: p for p in participants}
    # Per person: status per expected session (None: no mark). Counting is done with
    # collections.Counter (C speed): 100,000 marks in a few hundredths of a second.
    statuses: dict[str, dict[str, AttendanceStatus | None]] = {p.id: {} for p in participants}
    minutes: dict[str, dict[str, int]] = {p.id: {} for p in participants}
    times: dict[str, dict[str, tuple[time | None, time | None]]] = {p.id: {} for p in participants}
    session_figures: dict[str, Figures] = {}
    session_people: dict[str, set[str]] = {}
    without_marks: list[SessionSpec] = []
    ignored = 0
    # Issue 15: someone who left (a withdrawn city, a leaver, a person replaced) is expected
    # only until they left, someone who joined late only from then on.
    order = session_order(config)
    untimed = 0
    for session in sessions:
        who = {
            pid
            for pid in expected.get(session.id, set()) & registered
            if is_expected(people_by_id[pid], session.id, order)
        }
        session_people[session.id] = who
        recorded = by_session.get(session.id)
        marks = recorded.statuses() if recorded is not None else {}
        ignored += len(marks.keys() - who)
        found = [marks.get(pid) for pid in who]
        full = session_minutes(config, session)
        timed = (set(recorded.arrived) | set(recorded.left)) if recorded is not None else set()
        spent = 0
        for pid, status in zip(who, found, strict=True):
            statuses[pid][session.id] = status
            if status == AttendanceStatus.PRESENT and pid not in timed:
                done = full  # the common case, without the arithmetic
            else:
                came = recorded.arrived.get(pid) if recorded is not None else None
                went = recorded.left.get(pid) if recorded is not None else None
                done = minutes_attended(config, session, status, arrived=came, left=went)
                if came is not None or went is not None:
                    times[pid][session.id] = (came, went)
            minutes[pid][session.id] = done
            spent += done
            if (
                status == AttendanceStatus.LATE
                and pid not in (recorded.arrived if recorded else {})
            ) or (
                status == AttendanceStatus.LEFT_EARLY
                and pid not in (recorded.left if recorded else {})
            ):
                untimed += 1
        if who and all(status is None for status in found):
            without_marks.append(session)
        session_figures[session.id] = replace(
            _figures(Counter(found), weights, len(who), excluding_excused),
            minutes=spent,
            expected_minutes=full * len(who),
        )
    lengths = {s.id: session_minutes(config, s) for s in sessions}
    people = [
        PersonFigures(
            participant=participant,
            figures=replace(
                _figures(Counter(statuses[participant.id].values()), weights, 1, excluding_excused),
                minutes=sum(minutes[participant.id].values()),
                expected_minutes=sum(lengths[sid] for sid in statuses[participant.id]),
            ),
            statuses=statuses[participant.id],
            minutes=minutes[participant.id],
            times=times[participant.id],
        )
        for participant in participants
    ]
    return ParticipationReport(
        config=config,
        sessions=sessions,
        people=people,
        excluding_excused=excluding_excused,
        session_figures=session_figures,
        session_people=session_people,
        sessions_without_marks=without_marks,
        ignored_marks=ignored,
        untimed_marks=untimed,
    )


def _figures(
    counts: Mapping[AttendanceStatus | None, int],
    weights: Mapping[AttendanceStatus, Decimal],
    people: int,
    excluding_excused: bool,
) -> Figures:
    return Figures(
        people=people,
        expected=sum(counts.values()),
        present=counts.get(AttendanceStatus.PRESENT, 0),
        late=counts.get(AttendanceStatus.LATE, 0),
        left_early=counts.get(AttendanceStatus.LEFT_EARLY, 0),
        excused=counts.get(AttendanceStatus.EXCUSED, 0),
        absent=counts.get(AttendanceStatus.ABSENT, 0),
        unmarked=counts.get(None, 0),
        attended=sum(
            (weights[status] * n for status, n in counts.items() if status is not None), _ZERO
        ),
        excluding_excused=excluding_excused,
    )


# --- Qualiopi indicator 2: completion ------------------------------------------------------


@dataclass(frozen=True)
class Completion:
    """Who started (attended at least one half-day), completed, or dropped out.

    A drop-out (abandon) stopped attending before the end: after their last attended half-day,
    they missed every remaining expected half-day, and at least ``reporting.dropout_half_days``
    of them (2 by default). Missing the last half-day only is an absence, not a drop-out (issue
    11). Half-days nobody has been marked for yet are not counted as missed. A person who left
    before the end (``leave``, replaced, their city withdrawn) counts as a drop-out.
    """

    registered: int
    started: int
    completed: int
    dropped_out_ids: tuple[str, ...] = ()
    # Who stopped because of a change after the start (issue 15): (person id, kind), the kind
    # one of ``withdrawal`` (their city withdrew), ``replaced`` (a substitute took the seat),
    # ``departure`` (``cotrain leave``). Not completed courses: counted with the drop-outs.
    interrupted: tuple[tuple[str, str], ...] = ()

    @property
    def dropped_out(self) -> int:
        return self.started - self.completed

    def interrupted_by(self) -> dict[str, int]:
        """kind -> how many people stopped for that reason (kinds in a fixed order)."""
        counts = {kind: 0 for kind in INTERRUPTIONS}
        for _, kind in self.interrupted:
            counts[kind] += 1
        return {kind: n for kind, n in counts.items() if n}

    @property
    def rate(self) -> Decimal | None:
        return Decimal(self.completed) / self.registered if self.registered else None


INTERRUPTIONS = ("withdrawal", "departure", "replaced")


def dropped_out_text(done: Completion) -> str:
    """« 5 (dont 3 désistement(s) de ville, 1 départ, 1 remplacement) »: the drop-outs, with
    the changes after the start that stopped a course before its end."""
    from cotrain.i18n import t

    kinds = done.interrupted_by()
    if not kinds:
        return str(done.dropped_out)
    parts = ", ".join(t(f"midprog.interrupted.{k}", count=n) for k, n in kinds.items())
    return t("midprog.dropped_out_detail", count=done.dropped_out, detail=parts)


def interruption_kinds(participants: Sequence[Participant]) -> dict[str, str]:
    """person id -> why they stopped before the end (see :attr:`Completion.interrupted`), for
    everyone whose window closes early (``left_from``)."""
    kinds: dict[str, str] = {}
    for person in participants:
        if not person.left_from:
            continue
        team = [p for p in participants if person.city_id and p.city_id == person.city_id]
        if any(
            p.role == person.role and p.joined_from == person.left_from and p.id != person.id
            for p in team
        ):
            kinds[person.id] = "replaced"
        elif team and all(p.left_from == person.left_from for p in team if not p.joined_from):
            kinds[person.id] = "withdrawal"
        else:
            kinds[person.id] = "departure"
    return kinds


def completion(report: ParticipationReport, group: str = "recipients") -> Completion:
    """Completion of ``group`` (``recipients``, ``activists`` or ``all``) for indicator 2."""
    attended = set(ATTENDED_STATUSES)
    unmarked = {s.id for s in report.sessions_without_marks}
    order = [s.id for s in report.sessions if s.id not in unmarked]
    threshold = report.config.reporting.dropout_half_days
    registered = started = completed = 0
    dropped: list[str] = []
    stopped: list[tuple[str, str]] = []
    kinds = interruption_kinds([p.participant for p in report.people])
    for person in report.people:
        is_activist = person.participant.role == Role.ACTIVIST
        if group != "all" and is_activist != (group == "activists"):
            continue
        registered += 1
        mine = [sid for sid in order if sid in person.statuses]
        went = [i for i, sid in enumerate(mine) if person.statuses[sid] in attended]
        if not went:
            continue
        started += 1
        missed_at_end = len(mine) - 1 - went[-1]
        if person.participant.id in kinds:  # left before the end: not a completed course
            stopped.append((person.participant.id, kinds[person.participant.id]))
        elif missed_at_end >= threshold:
            dropped.append(person.participant.id)
        else:
            completed += 1
    return Completion(registered, started, completed, tuple(dropped), tuple(stopped))


# --- pseudonyms ----------------------------------------------------------------------------


def pseudonyms(ids: Iterable[str], secret: bytes) -> dict[str, str]:
    """Stable pseudonyms ``P-3F2A``: a keyed hash (HMAC-SHA256) of each id with the workspace's
    secret, as short as keeps them distinct (4 hex digits, longer on a collision)."""
    import hashlib
    import hmac

    unique = sorted(set(ids))
    digests = {i: hmac.new(secret, i.encode(), hashlib.sha256).hexdigest().upper() for i in unique}
    length = 4
    while len({d[:length] for d in digests.values()}) < len(unique):
        length += 1
    return {i: f"P-{d[:length]}" for i, d in digests.items()}


# --- certificates of attendance (certificats de réalisation) --------------------------------


@dataclass(frozen=True)
class AttendedSession:
    session: SessionSpec
    status: AttendanceStatus
    hours: Decimal  # hours attended: arrival to departure (domain/attendance.minutes_attended)
    minutes: int = 0
    arrived: time | None = None  # when recorded
    left: time | None = None

    length: int = 0  # the half-day's minutes

    @property
    def full(self) -> bool:
        """Whether the whole half-day was attended."""
        return self.minutes >= self.length


@dataclass(frozen=True)
class CertificateFigures:
    """What a person's certificate states: half-days and hours attended, out of those expected."""

    participant: Participant
    sessions: list[AttendedSession]
    expected: int
    expected_hours: Decimal

    @property
    def half_days(self) -> int:
        return len(self.sessions)

    @property
    def minutes(self) -> int:
        return sum(s.minutes for s in self.sessions)

    @property
    def hours(self) -> Decimal:
        """Hours attended: late arrivals and early departures count only the time present."""
        return Decimal(self.minutes) / 60


def session_hours(config: Config, session: SessionSpec) -> Decimal:
    """Length of a session in hours, from its own times or its half-day's slot."""
    return Decimal(session_minutes(config, session)) / 60


def certificate_figures(report: ParticipationReport) -> list[CertificateFigures]:
    """Per participant, the half-days attended (present, late, left early) and their hours.

    The hours are the minutes between arrival and departure (issue 11): a late arrival or an
    early departure earns only the time present, whatever the rate's weights.
    """
    config = report.config
    out = []
    for person in report.people:
        attended = []
        expected_minutes = 0
        for session in report.sessions:
            if session.id not in person.statuses:
                continue
            expected_minutes += session_minutes(config, session)
            status = person.statuses[session.id]
            if status in ATTENDED_STATUSES:
                done = person.minutes.get(session.id, 0)
                came, went = person.times.get(session.id, (None, None))
                attended.append(
                    AttendedSession(
                        session,
                        status,
                        Decimal(done) / 60,
                        done,
                        arrived=came,
                        left=went,
                        length=session_minutes(config, session),
                    )
                )
        out.append(
            CertificateFigures(
                participant=person.participant,
                sessions=attended,
                expected=len(person.statuses),
                expected_hours=Decimal(expected_minutes) / 60,
            )
        )
    return out
