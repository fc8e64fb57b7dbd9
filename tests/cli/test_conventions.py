"""Conventions of a good command-line tool (issue 15), through the real CLI: the parser's own
words in the chosen language, ``--lang`` checked, ``-`` for standard input and output,
completion, environment variables in the help, ``--quiet``, one ``--json``, ``--format``
choices, commands naming whom they touched, tables within 100 columns."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import typer.main

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "seine-saint-denis-2015"
ENGLISH = (
    "Usage:",
    "Show this message",
    "[default:",
    "[required]",
    "Try '",
    "Error:",
    "No such option",
    "Missing ",
)


def commands(app) -> list[list[str]]:
    """Every command path of the application: ["select"], ["schedule", "check"], ..."""
    root = typer.main.get_command(app)
    out = []
    for name, cmd in root.commands.items():
        out.append([name])
        for sub in getattr(cmd, "commands", {}):
            out.append([name, sub])
    return out


def test_every_help_is_french_including_the_parsers_words(app, run, tmp_path) -> None:
    for path in [[]] + commands(app):
        result = run(*path, "--help")
        assert result.exit_code == 0, (path, result.output)
        for word in ENGLISH:
            assert word not in result.output, (path, word)
        assert "Usage : cotrain" in result.output
        assert "Afficher cette aide et quitter." in result.output


def test_attend_help_shows_defaults_in_french(run) -> None:
    result = run("attend", "--help")
    assert "[par défaut : absent]" in result.output
    assert "[obligatoire]" in result.output
    schedule = run("schedule", "--help")
    assert "[par défaut : 0]" in " ".join(schedule.output.split())  # wrapped anywhere


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("select", "--bogus"), "Erreur : Option inconnue : --bogus"),
        (("attend",), "Erreur : Argument obligatoire manquant : DEMI-JOURNÉE."),
        (("select", "--max"), "Erreur : L'option --max attend une valeur."),
        (
            ("select", "--max", "abc"),
            "Erreur : Valeur incorrecte pour '--max' : ce n'est pas un nombre entier.",
        ),
        (("selec",), "Erreur : Commande inconnue : 'selec'. Vouliez-vous dire 'select'"),
        (("--lang", "de", "select"), "« de » n'est pas une langue de cotrain (au choix : fr, en)."),
        (("select", "--lang", "de"), "« de » n'est pas une langue de cotrain (au choix : fr, en)."),
    ],
)
def test_usage_errors_are_french_and_exit_2(run, args, expected) -> None:
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert expected in result.output
    if "Usage :" in result.output:
        assert "Essayez « cotrain" in result.output and "pour l'aide." in result.output
    for word in ENGLISH:
        assert word not in result.output


def test_usage_errors_in_english_when_asked(run) -> None:
    result = run("--lang", "en", "select", "--bogus")
    assert result.exit_code == 2
    assert "Error: No such option: --bogus" in result.output


def test_root_help_names_the_environment_variables_and_completion(run) -> None:
    result = run("--help")
    for name in ("COTRAIN_WORKSPACE", "COTRAIN_LANG", "COTRAIN_DEBUG"):
        assert name in result.output
    assert "--install-completion" in result.output
    assert "--quiet" in result.output


def test_shell_completion_script_is_installable() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "cotrain", "--show-completion", "bash"],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"},
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "complete" in result.stdout and "cotrain" in result.stdout


def test_json_option_has_one_name_and_format_shows_its_choices(app) -> None:
    root = typer.main.get_command(app)
    seen_json = seen_format = 0
    for path in commands(app):
        cmd = root
        for part in path:
            cmd = cmd.commands[part]
        for param in cmd.params:
            if "--json" in getattr(param, "opts", []):
                assert param.name == "json_out", path
                seen_json += 1
            if "--format" in getattr(param, "opts", []):
                assert param.metavar and param.metavar.startswith("["), path
                seen_format += 1
    assert seen_json >= 20 and seen_format >= 6


@pytest.fixture
def imported(tmp_path: Path, run) -> Path:
    ws = tmp_path / "ws"
    shutil.copytree(EXAMPLE, ws)
    for args in (("import", ws / "reponses.csv"), ("check",), ("select",)):
        assert run("-w", ws, *args).exit_code == 0
    return ws


def test_dash_reads_standard_input_and_writes_standard_output(tmp_path: Path, run) -> None:
    ws = tmp_path / "ws"
    shutil.copytree(EXAMPLE, ws)
    data = (ws / "reponses.csv").read_bytes().decode("cp1252")
    result = run("-w", ws, "import", "-", input=data)
    assert result.exit_code == 0, result.output
    assert "12 ville(s), 48 personne(s)" in result.output
    assert run("-w", ws, "check").exit_code == 0
    assert run("-w", ws, "select").exit_code == 0
    out = run("-w", ws, "participants", "-o", "-", "--format", "csv")
    assert out.exit_code == 0
    assert out.output.splitlines()[0].startswith("Identifiant;Nom;Rôle")
    assert len(out.output.splitlines()) == 35  # header + 28 people + 6 activists
    assert run("-w", ws, "schedule", "--iterations", "5").exit_code == 0
    ics = run("-w", ws, "calendar", "-o", "-")
    assert ics.exit_code == 0, ics.output
    assert ics.output.startswith("BEGIN:VCALENDAR")
    assert not (ws / "-").exists()


def test_quiet_keeps_errors_and_json_only(imported: Path, run) -> None:
    loud = run("-w", imported, "select", "--dry-run")
    quiet = run("-w", imported, "-q", "select", "--dry-run")
    assert "Simulation" in loud.output or "rien" in loud.output
    assert "Le budget" not in quiet.output and "Le budget" in loud.output
    data = run("-w", imported, "-q", "select", "--json", "--dry-run")
    assert json.loads(data.output)["dry_run"] is True
    bad = run("-w", imported, "-q", "participants", "--city", "nowhere")
    assert bad.exit_code == 2 and "nowhere" in bad.output  # a UsageError, still shown


def test_tables_stay_within_100_columns(imported: Path, run) -> None:
    for args in (("select", "--dry-run"), ("participants",), ("applications",)):
        result = run("-w", imported, *args, env={"COLUMNS": "100"})
        assert result.exit_code == 0, result.output
        assert max(len(line) for line in result.output.splitlines()) <= 100, args
