"""Every ``COTRAIN_*`` variable the code reads is shown in ``cotrain --help``, and the commands
that read the clock say how to simulate it (issue 15, command-line conventions)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import cotrain

# Set by cotrain itself for its own child processes, or test hooks: never a user's setting.
INTERNAL = {"COTRAIN_PROCESS", "COTRAIN_TEST_KILL_AT", "COTRAIN_TEST_FAIL_AT"}
CLOCK_COMMANDS = [
    ("sign",), ("attend",), ("join",), ("leave",), ("replace",), ("select",), ("report",),
    ("attendance", "import"),
]


def _variables_in_code() -> set[str]:
    root = Path(cotrain.__file__).parent
    found: set[str] = set()
    for path in root.rglob("*.py"):
        found |= set(re.findall(r"\bCOTRAIN_[A-Z_]+[A-Z]\b", path.read_text(encoding="utf-8")))
    return found


def _help(lang: str, *args: str) -> str:
    """Help texts are written when the application is built, in the language of that moment
    (as ``cotrain --lang en … --help`` does before parsing)."""
    from typer.testing import CliRunner

    from cotrain.cli.app import build_app
    from cotrain.i18n import set_language

    set_language(lang)
    result = CliRunner().invoke(build_app(), [*args, "--help"], env={"COLUMNS": "100"})
    set_language("fr")
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_root_help_lists_every_variable_the_code_reads(lang) -> None:
    variables = _variables_in_code() - INTERNAL
    assert {"COTRAIN_NOW", "COTRAIN_LOCK_TIMEOUT", "COTRAIN_WORKSPACE"} <= variables

    output = _help(lang)

    missing = sorted(v for v in variables if v not in output)
    assert not missing, missing


@pytest.mark.parametrize("command", CLOCK_COMMANDS)
def test_commands_that_read_the_clock_explain_cotrain_now(command) -> None:
    french, english = _help("fr", *command), _help("en", *command)

    assert "COTRAIN_NOW" in french and "horloge simulée" in french
    assert "COTRAIN_NOW" in english and "simulated clock" in english


def test_attend_reads_the_simulated_clock(run, tmp_path) -> None:
    """``attend`` refuses a half-day not begun by the same clock as ``sign``: COTRAIN_NOW."""
    from typer.testing import CliRunner

    from cotrain.cli.app import build_app

    root = tmp_path / "demo"
    runner, app = CliRunner(), build_app()
    for args in (["init", str(root), "--example"], ["-w", str(root), "import",
                 str(root / "reponses.csv")], ["-w", str(root), "select"],
                 ["-w", str(root), "schedule", "--iterations", "20"]):
        assert runner.invoke(app, args).exit_code == 0

    before = run("attend", "-w", root, "j1-matin", "--all-present",
                 env={"COTRAIN_NOW": "2015-01-21T18:00"})
    after = run("attend", "-w", root, "j1-matin", "--all-present",
                env={"COTRAIN_NOW": "2015-01-22T10:00"})

    assert before.exit_code == 1, before.output
    assert "22/01/2015" in before.output
    assert after.exit_code == 0, after.output
