"""A small hand-made workspace with a schedule, for rosters, calendars, sheets and programmes.

The example's ``cotrain.toml`` (9 trainee half-days, 10 trainers, 6 activists), three selected
cities of four people each (one not selected), and a ``schedule.toml`` made by hand: three
peer groups, three mixed groups, two pair groups and one closing plenary. Some names carry
what printing must survive: accents, apostrophes, œ, and a Greek name.
"""

from __future__ import annotations

import shutil
from pathlib import Path

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
from cotrain.enums import Decision, Role, SessionKind
from cotrain.files.workspace import APPLICATIONS, SCHEDULE, SELECTION, Workspace

REPO = Path(__file__).resolve().parents[1]
EXAMPLE_CONFIG = REPO / "examples" / "seine-saint-denis-2015" / "cotrain.toml"

CITIES = {
    "bondy": (
        "Bondy",
        [
            ("lea-martin", "Léa Martin", Role.ELECTED),
            ("chloe-lhote", "Chloé L'Hôte-Œuvray", Role.PROFESSIONAL),
            ("karim-bensalem", "Karim Bensalem", Role.PROFESSIONAL),
            ("yves-rocher", "Yves Rocher", Role.PREFECT_DELEGATE),
        ],
    ),
    "montreuil": (
        "Montreuil",
        [
            ("paul-durand", "Paul Durand", Role.ELECTED),
            ("zoe-papadopoulou", "Ζωή Παπαδοπούλου", Role.PROFESSIONAL),
            ("sarah-cohen", "Sarah Cohen", Role.PROFESSIONAL),
            ("ines-garcia", "Inès García", Role.PREFECT_DELEGATE),
        ],
    ),
    "saint-ouen": (
        "Saint-Ouen",
        [
            ("marc-antoine-leroy", "Marc-Antoine Leroy", Role.ELECTED),
            ("aicha-traore", "Aïcha Traoré", Role.PROFESSIONAL),
            ("bruno-petit", "Bruno Petit", Role.PROFESSIONAL),
            ("eloise-benoit", "Éloïse Benoît", Role.PREFECT_DELEGATE),
        ],
    ),
    "pantin": (
        "Pantin",
        [  # applied, not selected: never on a roster
            ("jean-nonretenu", "Jean Nonretenu", Role.ELECTED),
        ],
    ),
}
SELECTED = ("bondy", "montreuil", "saint-ouen")
ACTIVISTS = (
    "awa-diallo",
    "francoise-menard",
    "gerard-dupont-moreau",
    "joelle-kergoat",
    "nadia-ben-said",
    "patrick-lhermitte",
)
DUOS = {
    "duo-1": ["helene-marchand-roux", "marie-josee-carpentier"],
    "duo-2": ["jean-baptiste-ndiaye", "rachid-el-amrani"],
    "duo-3": ["claire-lefevre", "odette-lemaitre"],
}


def city_people(role_filter: tuple[Role, ...]) -> list[str]:
    return [pid for city in SELECTED for pid, _, role in CITIES[city][1] if role in role_filter]


def everyone() -> list[str]:
    return city_people((Role.ELECTED, Role.PROFESSIONAL, Role.PREFECT_DELEGATE)) + list(ACTIVISTS)


def build_schedule(session_kinds: dict[str, SessionKind]) -> ScheduleFile:
    """Groups for every trainee session; trainers' meetings are left out (no groups)."""
    people = sorted(everyone())
    sessions = []
    for session_id, kind in session_kinds.items():
        if kind == SessionKind.PEER_GROUPS:
            groups = [
                Group(
                    id="activists",
                    label="Militant·es",
                    members=list(ACTIVISTS),
                    trainers=DUOS["duo-1"],
                    room="Salle A",
                ),
                Group(
                    id="elected",
                    label="Élu·es",
                    members=city_people((Role.ELECTED,)),
                    trainers=DUOS["duo-2"],
                    room="Salle B",
                ),
                Group(
                    id="professionals",
                    label="Professionnel·les",
                    members=city_people((Role.PROFESSIONAL, Role.PREFECT_DELEGATE)),
                    trainers=DUOS["duo-3"],
                    room="Salle C",
                ),
            ]
        elif kind == SessionKind.MIXED_GROUPS:
            groups = [
                Group(
                    id=f"g{n + 1}",
                    label=f"Groupe {n + 1}",
                    members=people[n::3],
                    trainers=DUOS[f"duo-{n + 1}"],
                    room=f"Salle {'ABC'[n]}",
                )
                for n in range(3)
            ]
        elif kind == SessionKind.PAIRS:
            groups = [
                Group(
                    id=f"binomes-{n + 1}",
                    label=f"Binômes {n + 1}",
                    members=people[n::2],
                    trainers=DUOS[f"duo-{n + 1}"],
                    room="",
                )
                for n in range(2)
            ]
        elif kind == SessionKind.CLOSING:
            groups = [
                Group(
                    id="all",
                    label="Tout le monde",
                    members=people,
                    trainers=DUOS["duo-1"] + DUOS["duo-2"],
                    room="Grande salle",
                )
            ]
        else:
            continue
        sessions.append(ScheduledSession(session_id=session_id, groups=groups))
    return ScheduleFile(seed=1, sessions=sessions)


def make_workspace(root: Path, *, language: str = "fr") -> Path:
    """Write the fixture workspace into ``root`` (created); return it."""
    root.mkdir(parents=True, exist_ok=True)
    text = EXAMPLE_CONFIG.read_text(encoding="utf-8")
    if language != "fr":
        text = text.replace('language = "fr"', f'language = "{language}"')
    (root / "cotrain.toml").write_text(text, encoding="utf-8")
    ws = Workspace.open(root)
    applications = ApplicationsFile(
        applications=[
            Application(
                city_id=city_id,
                city=city,
                people=[
                    Person(id=pid, name=name, role=role, committed=True)
                    for pid, name, role in people
                ],
            )
            for city_id, (city, people) in sorted(CITIES.items())
        ]
    )
    selection = SelectionFile(
        decisions=[
            CityDecision(city_id=c, decision=Decision.SELECTED, rank=i)
            for i, c in enumerate(SELECTED, 1)
        ]
        + [CityDecision(city_id="pantin", decision=Decision.WAITLISTED, rank=1)]
    )
    kinds = {s.id: s.kind for s in ws.config.plan.sessions}
    ws.save(APPLICATIONS, applications)
    ws.save(SELECTION, selection)
    ws.save(SCHEDULE, build_schedule(kinds))
    return root


def copy_workspace(source: Path, target: Path) -> Path:
    shutil.copytree(source, target)
    return target
