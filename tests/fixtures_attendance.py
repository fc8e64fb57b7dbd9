"""A small hand-made workspace for attendance tests: the example's cotrain.toml, 7 cities of 4
people (28 recipients), the 6 activists, and a schedule expecting everyone at the 9 trainee
half-days (optionally one person joining from the third day only)."""

from __future__ import annotations

import shutil
from pathlib import Path

from cotrain.domain.config import Config
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
from cotrain.enums import Decision, Role
from cotrain.files.store import save_model
from cotrain.files.workspace import Workspace

REPO = Path(__file__).resolve().parents[1]
EXAMPLE_CONFIG = REPO / "examples" / "seine-saint-denis-2015" / "cotrain.toml"

CITIES = [
    ("aubervilliers", "Aubervilliers"),
    ("bobigny", "Bobigny"),
    ("bondy", "Bondy"),
    ("clichy-sous-bois", "Clichy-sous-Bois"),
    ("montreuil", "Montreuil"),
    ("saint-denis", "Saint-Denis"),
    ("sevran", "Sevran"),
]
ROLES = [Role.ELECTED, Role.PROFESSIONAL, Role.PROFESSIONAL, Role.PREFECT_DELEGATE]
FIRST = ["Amélie", "Bruno", "Chloé", "Didier"]
# The person who joins late (expected from j3-matin on) when late_joiner=True.
LATE_JOINER = "didier-sevran"
LATE_FROM = "j3-matin"


def person_id(first: str, city_id: str) -> str:
    ascii_first = first.lower().replace("é", "e")
    return f"{ascii_first}-{city_id}"


def applications(cities: int = 7) -> ApplicationsFile:
    apps = []
    for city_id, city in CITIES[:cities]:
        people = [
            Person(id=person_id(first, city_id), name=f"{first} {city}", role=role, committed=True)
            for first, role in zip(FIRST, ROLES, strict=True)
        ]
        apps.append(Application(city_id=city_id, city=city, people=people))
    return ApplicationsFile(applications=apps)


def selection(cities: int = 7) -> SelectionFile:
    return SelectionFile(
        decisions=[
            CityDecision(city_id=city_id, decision=Decision.SELECTED, rank=index + 1)
            for index, (city_id, _) in enumerate(CITIES[:cities])
        ]
    )


def schedule(config: Config, people: list[str], *, late_joiner: bool = False) -> ScheduleFile:
    sessions = []
    started = False
    for spec in config.plan.sessions:
        if not spec.counts_for_attendance:
            sessions.append(ScheduledSession(session_id=spec.id, groups=[]))
            continue
        started = started or spec.id == LATE_FROM
        members = [p for p in people if not (late_joiner and p == LATE_JOINER and not started)]
        sessions.append(
            ScheduledSession(session_id=spec.id, groups=[Group(id="all", members=members)])
        )
    return ScheduleFile(sessions=sessions)


def make_workspace(root: Path, *, late_joiner: bool = False, cities: int = 7) -> Path:
    """Write the workspace files into ``root`` (created) and return it."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy(EXAMPLE_CONFIG, root / "cotrain.toml")
    ws = Workspace.open(root)
    apps = applications(cities)
    sel = selection(cities)
    from cotrain.domain.participants import list_participants

    people = [p.id for p in list_participants(ws.config, apps, sel)]
    save_model(root / "applications.toml", apps)
    save_model(root / "selection.toml", sel)
    save_model(root / "schedule.toml", schedule(ws.config, people, late_joiner=late_joiner))
    return root


def write_grid_csv(
    path: Path, rows: list[list[str]], *, encoding: str = "cp1252", delimiter: str = ";"
) -> Path:
    """A typed sign-in grid as French Excel saves it (cp1252, semicolons, CRLF)."""
    import csv
    import io

    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def write_grid_xlsx(path: Path, rows: list[list[object]]) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Émargement"
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


GRID_HEADER = [
    "Nom",
    "Ville",
    "22/01 matin",
    "22/01 après-midi",
    "29/01 matin",
    "29/01 après-midi",
    "05/02 matin",
    "05/02 après-midi",
    "12/02 matin",
    "12/02 après-midi",
    "05/03 matin",
]


def full_grid(
    names: list[str], overrides: dict[tuple[str, int], str] | None = None
) -> list[list[str]]:
    """Everyone ``x`` on the 9 half-days, except ``overrides[(name, column index 0..8)]``."""
    overrides = overrides or {}
    rows = [GRID_HEADER]
    for name in names:
        rows.append([name, "", *(overrides.get((name, i), "x") for i in range(9))])
    return rows
