"""No personal data in errors or ``--debug`` output beyond what was typed (issue 6).

Commands are made to fail, through the installed ``cotrain`` with ``--debug``, on a workspace
whose people are known; neither stdout nor stderr may name anybody the user did not type on
that command line (names, e-mail addresses, ids derived from names).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest


def cotrain(*args: str | Path) -> list[str]:
    exe = shutil.which("cotrain")
    head = [exe] if exe else [sys.executable, "-m", "cotrain"]
    return [*head, *(str(a) for a in args)]


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("privacy") / "demo"
    for step in (
        ("init", root, "--example"),
        ("import", root / "reponses.csv", "-w", root),
        ("select", "-w", root),
        ("schedule", "-w", root),
        ("attendance", "import", root / "emargement.csv", "-w", root),
    ):
        done = subprocess.run(cotrain(*step), capture_output=True, text=True)
        assert done.returncode == 0, (step, done.stderr)
    return root


@pytest.fixture
def ws(prepared: Path, tmp_path: Path) -> Path:
    target = tmp_path / "demo"
    shutil.copytree(prepared, target)
    return target


def personal_data(root: Path) -> set[str]:
    """Every name, e-mail address and person id the workspace holds."""
    apps = tomllib.loads((root / "applications.toml").read_text(encoding="utf-8"))
    config = tomllib.loads((root / "cotrain.toml").read_text(encoding="utf-8"))
    found = set()
    for app in apps["applications"]:
        for person in app["people"]:
            found |= {person["name"], person["id"], person.get("email", "")}
    for activist in config["activists"]:
        found |= {activist["name"], activist["id"]}
    return {item for item in found if item}


def fail(root: Path, *args: str | Path, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        cotrain("--debug", *args, "-w", root),
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "200", **(env or {})},
    )
    assert done.returncode in (1, 2, 3), done.stdout
    return done.stdout + done.stderr


def leaks(output: str, root: Path, typed: tuple[str, ...] = ()) -> list[str]:
    return sorted(item for item in personal_data(root) if item in output and item not in typed)


def test_unknown_person_names_only_what_was_typed(ws: Path) -> None:
    output = fail(ws, "attend", "j1-matin", "Personne Inconnue")

    assert "Personne Inconnue" in output
    assert leaks(output, ws) == []


def test_unknown_session_names_nobody(ws: Path) -> None:
    assert leaks(fail(ws, "attend", "j9-soir", "--all-present"), ws) == []


def test_broken_applications_file_names_its_line_not_its_people(ws: Path) -> None:
    path = ws / "applications.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("committed = true", 'committed = "oui oui"', 1), encoding="utf-8")

    output = fail(ws, "select")

    assert "applications.toml" in output and "committed" in output
    assert leaks(output, ws) == []


def test_broken_attendance_file_shows_no_name(ws: Path) -> None:
    path = ws / "attendance.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("\n[[sessions]]", "\n[[sessions]]\nabsent = 12", 1), encoding="utf-8"
    )

    assert leaks(fail(ws, "report"), ws) == []


def test_bad_cell_in_an_import_shows_only_that_cell(ws: Path, tmp_path: Path) -> None:
    source = ws / "reponses.csv"
    text = source.read_bytes().decode("cp1252")
    bad = tmp_path / "reponses-abimees.csv"
    bad.write_bytes(text.replace("Oui;", "Peut-être;", 1).encode("cp1252"))

    output = fail(ws, "import", bad, "--replace")

    assert leaks(output, ws) == []


def test_unexpected_error_traceback_under_debug_shows_no_name(ws: Path) -> None:
    # The store's test hook raises an unexpected error at its first file-system step.
    output = fail(ws, "attend", "j1-matin", "--all-present", env={"COTRAIN_TEST_FAIL_AT": "1"})

    assert "Traceback" in output
    assert leaks(output, ws) == []
