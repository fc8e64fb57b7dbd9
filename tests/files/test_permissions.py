"""Privacy and safety of everything the commands write (issue 6).

The whole pipeline of the shipped example runs once (module fixture); after every command, the
files and folders it created must be readable by their owner only (0600 / 0700) even with the
usual umask 022. Then every CSV and XLSX it exported is read back: no cell may start a formula.
"""

from __future__ import annotations

import csv
import io
import os
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cotrain.cli import common
from cotrain.cli.app import build_app
from cotrain.i18n import set_language

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

# What a manager runs, in order; each step is (arguments, files or folders it creates).
PIPELINE: list[tuple[str, ...]] = [
    ("import", "reponses.csv"),
    ("select",),
    ("schedule",),
    ("roster", "-f", "csv", "-o", "roster.csv"),
    ("roster", "-f", "csv", "--plain", "-o", "roster-plain.csv"),
    ("participants", "--format", "csv", "-o", "participants.csv"),
    ("sheets", "--output", "feuilles"),
    ("calendar", "-o", "agenda.ics"),
    ("programme", "-o", "programmes"),
    ("attendance", "import", "emargement.csv"),
    ("attend", "j1-matin", "--all-present"),
    ("report", "-o", "rapport.csv"),
    ("report", "--by", "person", "-o", "rapport-personnes.csv"),
    ("report", "--by", "person", "-o", "rapport.xlsx"),
    ("report", "--by", "city", "--plain", "-o", "rapport-villes.csv"),
    ("survey", "import", "fin-de-formation", "questionnaires/fin-de-formation.csv"),
    ("certificates", "-o", "certificats"),
    ("bilan", "--output", "bilan"),
    ("doctor",),
]

# Formula-looking values slipped into the responses the example imports.
POISON = {
    "Éloïse N'Guessan": "=Éloïse N'Guessan",
    "Adjointe au maire chargée de la démocratie locale": "+Adjointe au maire",
    "Service politique de la ville": "@SUM(1+1)*cmd|' /C calc'!A0",
}


def loose(root: Path) -> list[str]:
    """Files and folders under ``root`` readable or writable by others, with their mode."""
    out = []
    for path in [root, *root.rglob("*")]:
        mode = stat.S_IMODE(path.stat().st_mode)
        wanted = 0o700 if path.is_dir() else 0o600
        if mode != wanted:
            out.append(f"{path.relative_to(root)}: {mode:o}")
    return out


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, list[str]]]:
    """The example run end to end with umask 022; for each step, what was left too open."""
    old_umask = os.umask(0o022)
    old_cwd = Path.cwd()
    set_language("fr")
    saved_debug = common._debug
    common._debug = True
    try:
        root = tmp_path_factory.mktemp("pipeline") / "demo"
        app = build_app()
        runner = CliRunner()

        def run(*args: str) -> None:
            result = runner.invoke(app, list(args), env={"COLUMNS": "200", "NO_COLOR": "1"})
            set_language("fr")
            assert result.exit_code == 0, (args, result.output)

        run("init", str(root), "--example")
        path = root / "reponses.csv"
        text = path.read_bytes().decode("cp1252")
        for old, new in POISON.items():
            assert old in text
            text = text.replace(old, new)
        path.write_bytes(text.encode("cp1252"))
        report: dict[str, list[str]] = {"init": loose(root)}
        os.chdir(root)  # relative names, as a user in the programme's folder types them
        for step in PIPELINE:
            run(*step, "-w", str(root))
            report[" ".join(step)] = loose(root)
        return root, report
    finally:
        os.chdir(old_cwd)
        os.umask(old_umask)
        common._debug = saved_debug


def test_every_command_writes_owner_only_files_and_folders(pipeline) -> None:
    _, report = pipeline

    assert {step: found for step, found in report.items() if found} == {}


def test_the_pipeline_produced_every_kind_of_file(pipeline) -> None:
    root, _ = pipeline
    names = {p.name for p in root.rglob("*")}

    for expected in ("applications.toml", "selection.toml", "schedule.toml", "attendance.toml"):
        assert expected in names
    for expected in (
        "roster.csv",
        "participants.csv",
        "rapport.xlsx",
        "agenda.ics",
        "surveys.toml",
    ):
        assert expected in names
    assert list((root / "feuilles").iterdir())
    assert list((root / "certificats").iterdir())


def cells(path: Path) -> list[str]:
    if path.suffix == ".xlsx":
        from openpyxl import load_workbook

        book = load_workbook(path)
        return [
            cell.value
            for sheet in book.worksheets
            for row in sheet.iter_rows()
            for cell in row
            if isinstance(cell.value, str)
        ]
    raw = path.read_bytes()
    text = raw.decode("utf-8-sig") if raw.startswith(b"\xef\xbb\xbf") else raw.decode("utf-8")
    dialect = ";" if text.split("\n", 1)[0].count(";") > text.split("\n", 1)[0].count(",") else ","
    return [
        cell for row in csv.reader(io.StringIO(text, newline=""), delimiter=dialect) for cell in row
    ]


def is_plain_number(text: str) -> bool:
    return text.lstrip("+-").replace(",", "").replace(".", "").replace(" ", "").isdigit()


def test_no_exported_csv_or_xlsx_cell_starts_a_formula(pipeline) -> None:
    root, _ = pipeline
    exports = [
        p
        for p in root.rglob("*")
        if p.suffix in {".csv", ".xlsx"}
        and p.name not in {"reponses.csv", "emargement.csv"}
        and "questionnaires" not in p.parts
    ]
    assert len(exports) >= 6

    found = {
        str(p.relative_to(root)): [
            c for c in cells(p) if c.startswith(FORMULA_START) and not is_plain_number(c)
        ]
        for p in exports
    }

    assert {name: bad for name, bad in found.items() if bad} == {}
    everything = [c for p in exports for c in cells(p)]
    assert "'=Éloïse N'Guessan" in everything  # the poisoned name did reach the exports


def test_leftover_files_are_not_written_outside_the_workspace(pipeline) -> None:
    root, _ = pipeline
    outside = sorted(p.name for p in root.parent.iterdir())

    assert outside == ["demo"]
    assert not list(root.rglob(".*.tmp"))
