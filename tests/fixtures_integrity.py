"""A small, consistent programme written straight into a workspace (for doctor and purge tests).

Two cities (Bondy, L'Île-Saint-Denis) of four people each are selected, the example's six
activists join them, everybody is in one group on ``j1-matin`` and ``j2-matin``, and attendance
is marked for both half-days.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from pathlib import Path

from cotrain.domain.attendance import AttendanceFile, Correction, SessionMarks
from cotrain.domain.models import (
    Application,
    ApplicationsFile,
    CityDecision,
    Group,
    Person,
    ScheduledSession,
    ScheduleFile,
    SelectionFile,
)
from cotrain.enums import AttendanceStatus, Decision, Role
from cotrain.files.attendance_store import ATTENDANCE
from cotrain.files.workspace import APPLICATIONS, SCHEDULE, SELECTION, Workspace

TRIAD = (Role.ELECTED, Role.PROFESSIONAL, Role.PROFESSIONAL, Role.PREFECT_DELEGATE)
CITIES = {
    "bondy": ("Bondy", ["Zoé Martin-Ndiaye", "Kévin O'Brien", "Fatoumata Sy", "Éric Leroux"]),
    "l-ile-saint-denis": (
        "L'Île-Saint-Denis",
        ["Chloé Dubois", "Mohamed Ben Saïd", "Anne-Sophie Petit", "Thierry Garnier"],
    ),
}
SESSIONS = ("j1-matin", "j2-matin")


def person_id(name: str) -> str:
    from cotrain.domain.attendance import fold

    return fold(name).replace(" ", "-")


def applications() -> ApplicationsFile:
    apps = []
    for city_id, (city, names) in CITIES.items():
        people = [
            Person(
                id=person_id(name),
                name=name,
                role=role,
                job_title="Chargé·e de mission",
                email=f"{person_id(name)}@example.org",
                phone="+33 6 12 34 56 78",
                committed=True,
                notes="Besoin d'un accès PMR",
            )
            for name, role in zip(names, TRIAD, strict=True)
        ]
        apps.append(
            Application(
                city_id=city_id,
                city=city,
                territory="Est Ensemble",
                submitted_at=datetime(2014, 11, 3, 10, 0),
                contribution=Decimal("500"),
                contact=f"{names[1]} <contact@{city_id}.fr>",
                people=people,
                extra={"Motivation": f"Écrit par {names[0]}"},
                source="reponses.csv, ligne 2",
            )
        )
    return ApplicationsFile(applications=apps)


def everyone(ws: Workspace) -> list[str]:
    ids = [p.id for a in applications().applications for p in a.people]
    return ids + sorted(a.id for a in ws.config.activists)


def write_programme(root: Path) -> Workspace:
    """Write applications, selection, schedule and attendance into the workspace ``root``."""
    ws = Workspace.open(root)
    ws.save(APPLICATIONS, applications())
    ws.save(
        SELECTION,
        SelectionFile(
            decisions=[
                CityDecision(city_id=city_id, decision=Decision.SELECTED, rank=rank)
                for rank, city_id in enumerate(CITIES, start=1)
            ]
        ),
    )
    members = sorted(everyone(ws))
    ws.save(
        SCHEDULE,
        ScheduleFile(
            seed=7,
            sessions=[
                ScheduledSession(
                    session_id=session_id,
                    groups=[
                        Group(
                            id="g1",
                            members=members,
                            trainers=["helene-marchand-roux", "marie-josee-carpentier"],
                        )
                    ],
                )
                for session_id in SESSIONS
            ],
        ),
    )
    absent = members[:2]
    ws.save(
        ATTENDANCE,
        AttendanceFile(
            sessions=[
                SessionMarks(session_id="j1-matin", present=members),
                SessionMarks(
                    session_id="j2-matin",
                    present=[m for m in members if m not in absent],
                    absent=absent,
                ),
            ],
            corrections=[
                Correction(
                    at=datetime(2015, 1, 30, 9, 0),
                    session_id="j2-matin",
                    person_id=absent[0],
                    previous=AttendanceStatus.PRESENT,
                    status=AttendanceStatus.ABSENT,
                    reason=f"{absent[0]} malade",
                )
            ],
        ),
    )
    return ws
