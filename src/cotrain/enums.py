"""Roles, kinds, statuses and decisions, with their useful groups named once.

Values are the stable English keys written to files and to ``--json``; labels shown to users
come from the catalogues (``role.<value>``, ``session_kind.<value>``...).
"""

from __future__ import annotations

import re
from enum import StrEnum

_ROLE_ID = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


class Role(StrEnum):
    """A participant's role: the three of a city's triad, and the activists.

    These four are the reference programme's publics and the default. A programme declares its
    own publics in ``[roles]`` of ``cotrain.toml`` (issue 15): any other id (``social_worker``)
    becomes a member of this enum on first use, so every model typed ``Role`` accepts it. The
    public with lived experience keeps the id ``activist`` whatever its label.
    """

    ELECTED = "elected"  # élu·e
    PROFESSIONAL = "professional"  # professionnel·le de la collectivité (agent)
    PREFECT_DELEGATE = "prefect_delegate"  # délégué·e du préfet
    ACTIVIST = "activist"  # militant·e Quart Monde, with lived experience of poverty

    @classmethod
    def _missing_(cls, value: object) -> Role | None:
        if not isinstance(value, str) or not _ROLE_ID.match(value):
            return None
        member = str.__new__(cls, value)
        member._name_ = value.upper()
        member._value_ = value
        return cls._value2member_map_.setdefault(value, member)  # type: ignore[return-value]


class RoleKind(StrEnum):
    """What a public is to the method: a member of a city's team, or lived experience."""

    CITY = "city"
    LIVED_EXPERIENCE = "lived_experience"  # trainers and trainees at once (the activists)


# The reference programme's publics; the current programme's come from city_roles().
TRIAD_ROLES: tuple[Role, ...] = (Role.ELECTED, Role.PROFESSIONAL, Role.PREFECT_DELEGATE)
ALL_ROLES: tuple[Role, ...] = (*TRIAD_ROLES, Role.ACTIVIST)

_city_roles: list[Role] = list(TRIAD_ROLES)


def city_roles() -> tuple[Role, ...]:
    """The roles of a city's team in the current programme (``[roles]``), in their order."""
    return tuple(_city_roles)


def all_roles() -> tuple[Role, ...]:
    """Every role of the current programme: the city roles, then the activists."""
    return (*_city_roles, Role.ACTIVIST)


def set_city_roles(roles: list[Role] | tuple[Role, ...]) -> None:
    """Set the programme's city roles (done once when ``cotrain.toml`` is read)."""
    _city_roles[:] = list(roles) or list(TRIAD_ROLES)


class TrainerKind(StrEnum):
    """The two halves of a trainer duo (seed 002)."""

    PROFESSIONAL_TRAINER = "professional_trainer"
    CO_TRAINER = "co_trainer"  # co-trainer with lived experience


class HalfDay(StrEnum):
    AM = "am"
    PM = "pm"


class SessionKind(StrEnum):
    PLENARY = "plenary"
    PEER_GROUPS = "peer_groups"
    MIXED_GROUPS = "mixed_groups"
    INDIVIDUAL = "individual"
    PAIRS = "pairs"  # binômes
    CLOSING = "closing"  # restitution
    # Duo preparation and debriefs: not counted for attendance.
    TRAINERS_MEETING = "trainers_meeting"


# Sessions trainees are expected at and that count for attendance (issue 5).
TRAINEE_SESSION_KINDS: tuple[SessionKind, ...] = (
    SessionKind.PLENARY,
    SessionKind.PEER_GROUPS,
    SessionKind.MIXED_GROUPS,
    SessionKind.INDIVIDUAL,
    SessionKind.PAIRS,
    SessionKind.CLOSING,
)


class AttendanceStatus(StrEnum):
    PRESENT = "present"
    LATE = "late"
    LEFT_EARLY = "left_early"
    EXCUSED = "excused"  # absence justifiée: still an absence
    ABSENT = "absent"


ATTENDED_STATUSES: tuple[AttendanceStatus, ...] = (
    AttendanceStatus.PRESENT,
    AttendanceStatus.LATE,
    AttendanceStatus.LEFT_EARLY,
)


class Decision(StrEnum):
    """What became of a candidate city."""

    SELECTED = "selected"
    WAITLISTED = "waitlisted"
    NOT_ELIGIBLE = "not_eligible"
    DECLINED = "declined"  # eligible but excluded by the manager, or not chosen
    WITHDRAWN = "withdrawn"  # selected, then withdrew


SELECTED_DECISIONS: tuple[Decision, ...] = (Decision.SELECTED,)


class Facilitation(StrEnum):
    DUOS = "duos"  # a professional trainer with a co-trainer with lived experience on every group
    REFERENTS = "referents"  # one facilitator per peer group from that group's own world
    # Activists trained and training at once ("à la fois formateurs et formés", issue 15): a
    # mixed group is led by a professional trainer and an activist of that very group, whose
    # co-trainer entry in [[trainers]] has the activist's id; other groups by a trainer alone.
    ACTIVISTS = "activists"


class Mixing(StrEnum):
    VARIED = "varied"  # meet as many different people as possible
    STABLE = "stable"  # keep the same mixed groups
