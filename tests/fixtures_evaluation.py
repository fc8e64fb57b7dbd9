"""A complete example workspace (applications, selection, schedule, attendance, survey answers).

Built once per test session through the real command line, then copied for each test that
needs it. Attendance comes from the shipped sign-in grid (``emargement.csv``); without it, it is
written with the domain models: a fixed pattern of absences, so that rates are not all 100 %.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from tests.conftest import EXAMPLE
from typer.testing import CliRunner

SURVEY_FILES = ("fin-de-formation", "fin-de-journee-4", "villes", "binomes", "suivi-6-mois")


def invoke(*args: str | Path) -> str:
    from cotrain.cli.app import build_app
    from cotrain.i18n import set_language

    result = CliRunner().invoke(
        build_app(), [str(a) for a in args], env={"COLUMNS": "200", "NO_COLOR": "1"}
    )
    set_language("fr")
    assert result.exit_code == 0, result.output
    return result.output


def write_attendance(folder: Path) -> None:
    from cotrain.domain.attendance import AttendanceFile, SessionMarks
    from cotrain.domain.models import ScheduleFile
    from cotrain.files.attendance_store import save_attendance
    from cotrain.files.workspace import SCHEDULE, Workspace

    ws = Workspace.open(folder)
    expected = ws.load(SCHEDULE, ScheduleFile).expected()
    marks = []
    for index, session in enumerate(ws.config.plan.trainee_sessions):
        people = sorted(expected[session.id])
        absent = people[index::17][:1]
        excused = people[index + 5 :: 23][:1]
        late = people[index + 3 :: 29][:1]
        present = [p for p in people if p not in {*absent, *excused, *late}]
        marks.append(
            SessionMarks(
                session_id=session.id, present=present, absent=absent, excused=excused, late=late
            )
        )
    save_attendance(ws, AttendanceFile(sessions=marks))


@pytest.fixture(scope="session")
def pipeline_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("pipeline") / "example"
    shutil.copytree(EXAMPLE, folder)
    invoke("-w", folder, "import", folder / "reponses.csv")
    invoke("-w", folder, "select")
    invoke("-w", folder, "schedule")
    if (folder / "emargement.csv").exists():  # the shipped sign-in grid
        invoke("-w", folder, "attendance", "import", folder / "emargement.csv")
    else:
        write_attendance(folder)
    for name in SURVEY_FILES:
        invoke("-w", folder, "survey", "import", name, folder / "questionnaires" / f"{name}.csv")
    return folder


@pytest.fixture
def pipeline_ws(pipeline_template: Path, tmp_path: Path) -> Path:
    """A fresh copy of the example carried through the whole pipeline."""
    target = tmp_path / "pipeline"
    shutil.copytree(pipeline_template, target)
    return target
