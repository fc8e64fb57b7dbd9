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


def forget_keep_apart(root: Path) -> None:
    """Empty ``keep_apart``: the example's pairs name people these programmes do not have."""
    import re

    path = root / "cotrain.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"(?m)^keep_apart = \[.*\]$", "keep_apart = []", text), encoding="utf-8")


def write_programme(root: Path) -> Workspace:
    """Write applications, selection, schedule and attendance into the workspace ``root``."""
    forget_keep_apart(root)
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


# --- larger programmes, for kill and concurrency tests -----------------------------------

FIRST = [
    "Awa",
    "Zoé",
    "Éloïse",
    "Kévin",
    "Jean-François",
    "Maëlle",
    "Loïc",
    "Aïcha",
    "Hervé",
    "Inès",
]
LAST = ["Diallo", "N'Guessan", "Lefèvre", "Öztürk", "d'Argentré", "Traoré", "Le Goff", "Müller"]
HEADER = (
    "Horodatage;Commune;Territoire (EPT);Nombre de QPV;Contact;"
    "Élu·e - Nom;Élu·e - Fonction;Élu·e - Courriel;Élu·e - Engagement nominatif;"
    "Professionnel·le 1 - Nom;Professionnel·le 1 - Fonction;Professionnel·le 1 - Courriel;"
    "Professionnel·le 1 - Engagement nominatif;"
    "Professionnel·le 2 - Nom;Professionnel·le 2 - Fonction;Professionnel·le 2 - Courriel;"
    "Professionnel·le 2 - Engagement nominatif;"
    "Délégué·e du préfet - Nom;Délégué·e du préfet - Fonction;Délégué·e du préfet - Courriel;"
    "Délégué·e du préfet - Engagement nominatif;"
    "Contribution financière (€);Référence de la délibération ou du bon de commande;Note du comité"
)


def applications_csv(cities: int, *, offset: int = 0) -> bytes:
    """A French Excel CSV (cp1252, ``;``, CRLF) of ``cities`` cities, one row each."""
    lines = [HEADER]
    for n in range(offset, offset + cities):
        people = []
        for k in range(4):
            name = f"{FIRST[(n + k) % len(FIRST)]} {LAST[(n * 3 + k) % len(LAST)]} {n}-{k}"
            people += [name, "Chargé de mission", f"p{n}-{k}@ville{n}.fr", "Oui"]
        row = [
            f"{(n % 28) + 1:02d}/11/2014 10:{n % 60:02d}:00",
            f"Ville-{n} l'Étang",
            "Est Ensemble",
            str(n % 9 + 1),
            "Service politique de la ville",
            *people,
            "600,00",
            f"Délibération n° {n}",
            "12,5",
        ]
        lines.append(";".join(row))
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")


def medium_programme(root: Path, *, cities: int = 50) -> list[str]:
    """``cities`` selected cities of four plus the activists, everybody scheduled in groups of
    ten on every trainee half-day of the example; no attendance yet. Returns participant ids.
    """
    forget_keep_apart(root)
    ws = Workspace.open(root)
    apps = []
    for n in range(cities):
        people = [
            Person(id=f"personne-{n}-{k}", name=f"{FIRST[k]} {LAST[n % len(LAST)]} {n}", role=role)
            for k, role in enumerate(TRIAD)
        ]
        apps.append(Application(city_id=f"ville-{n}", city=f"Ville {n}", people=people))
    ws.save(APPLICATIONS, ApplicationsFile(applications=apps))
    ws.save(
        SELECTION,
        SelectionFile(
            max_cities=cities,
            decisions=[
                CityDecision(city_id=a.city_id, decision=Decision.SELECTED, rank=rank)
                for rank, a in enumerate(apps, start=1)
            ],
        ),
    )
    people = sorted([p.id for a in apps for p in a.people] + [a.id for a in ws.config.activists])
    sessions = [s.id for s in ws.config.plan.sessions if s.kind != "trainers_meeting"]
    ws.save(
        SCHEDULE,
        ScheduleFile(
            sessions=[
                ScheduledSession(
                    session_id=session_id,
                    groups=[
                        Group(id=f"g{n // 10 + 1}", members=people[n : n + 10])
                        for n in range(0, len(people), 10)
                    ],
                )
                for session_id in sessions
            ]
        ),
    )
    return people
