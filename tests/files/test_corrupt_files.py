"""A hand-edited file that no longer reads is never overwritten (issue 6).

For every kind of workspace file: break it (a syntax error, a value that does not validate, a
schema from a newer version), run the command that would write it, and check that the command
stops with a message naming the file (and the line or the key), exit 1, and that the file's
bytes are unchanged.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

# file -> the command that writes it (paths are relative to the workspace)
WRITERS: dict[str, tuple[str, ...]] = {
    "cotrain.toml": ("purge", "--yes"),
    "applications.toml": ("import", "{ws}/reponses.csv"),
    "selection.toml": ("select",),
    "schedule.toml": ("schedule",),
    "attendance.toml": ("attend", "j1-matin", "--all-present"),
    "surveys.toml": (
        "survey",
        "import",
        "fin-de-formation",
        "{ws}/questionnaires/fin-de-formation.csv",
    ),
    "duo_notes.toml": ("duo", "note", "duo-1", "j1-matin", "--text", "bien", "--cohosting", "4"),
}


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example with every file written once (module-wide; each test works on a copy)."""
    from typer.testing import CliRunner

    from cotrain.cli.app import build_app
    from cotrain.i18n import set_language

    root = tmp_path_factory.mktemp("corrupt") / "demo"
    app, runner = build_app(), CliRunner()
    steps = [("init", str(root), "--example")] + [
        tuple(a.format(ws=root) for a in args) + ("-w", str(root))
        for name, args in WRITERS.items()
        if name != "cotrain.toml"
    ]
    for step in steps:
        result = runner.invoke(app, list(step), env={"COLUMNS": "200", "NO_COLOR": "1"})
        set_language("fr")
        assert result.exit_code == 0, (step, result.output)
    return root


@pytest.fixture
def ws(prepared: Path, tmp_path: Path) -> Path:
    target = tmp_path / "demo"
    shutil.copytree(prepared, target)
    return target


def writer(name: str, ws: Path) -> list[str]:
    return [a.format(ws=ws) for a in WRITERS[name]] + ["-w", str(ws)]


def break_syntax(text: str) -> tuple[str, str]:
    lines = text.splitlines()
    index = next(i for i, line in enumerate(lines) if line.startswith("schema"))
    lines.insert(index + 1, "oops = = 1")
    return "\n".join(lines) + "\n", f"ligne {index + 2}"


def break_value(text: str) -> tuple[str, str]:
    # any schema number (attendance.toml is at schema 2)
    return re.sub(r"(?m)^(schema = \d+\n)", r"\1random_key = 3\n", text, count=1), "random_key"


def break_schema(text: str) -> tuple[str, str]:
    return re.sub(r"(?m)^schema = \d+\n", "schema = 99\n", text, count=1), "99"


@pytest.mark.parametrize("breaker", [break_syntax, break_value, break_schema])
@pytest.mark.parametrize("name", sorted(WRITERS))
def test_broken_file_stops_the_command_that_would_write_it(
    run, ws: Path, name: str, breaker
) -> None:
    path = ws / name
    broken, clue = breaker(path.read_text(encoding="utf-8"))
    path.write_text(broken, encoding="utf-8")
    before = path.read_bytes()

    result = run(*writer(name, ws))

    assert result.exit_code == 1, result.output
    assert path.read_bytes() == before
    assert name in result.stderr
    assert clue in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize("name", sorted(WRITERS))
def test_doctor_names_each_broken_file(run, ws: Path, name: str) -> None:
    path = ws / name
    broken, _ = break_syntax(path.read_text(encoding="utf-8"))
    path.write_text(broken, encoding="utf-8")

    result = run("doctor", "--json", "-w", ws)

    assert result.exit_code == 1
    assert f'"file": "{name}"' in result.stdout


def test_workspace_save_refuses_to_overwrite_a_file_it_never_read(example_ws: Path) -> None:
    from cotrain.domain.models import ScheduleFile
    from cotrain.errors import InputError
    from cotrain.files.workspace import SCHEDULE, Workspace

    path = example_ws / "schedule.toml"
    path.write_text("schema = 1\n[[sessions]\n", encoding="utf-8")
    ws = Workspace.open(example_ws)

    with pytest.raises(InputError) as caught:
        ws.save(SCHEDULE, ScheduleFile())

    assert caught.value.location is not None and caught.value.location.line == 2
    assert path.read_text(encoding="utf-8") == "schema = 1\n[[sessions]\n"
