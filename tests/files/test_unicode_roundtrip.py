"""Any Unicode, very long and empty values survive import, TOML and every export (issue 6).

Names, a city and free text with accents, apostrophes, right-to-left script, emoji, a very
long value and empty cells are slipped into the example's responses; after ``import``,
``select`` and ``schedule`` they must come back exactly from ``applications.toml`` and from
every export that shows them (participants CSV/JSON, roster CSV/JSON, report CSV/XLSX by
person). A property test does the same for any text through the store and the table writer.
"""

from __future__ import annotations

import csv
import io
import json
import tomllib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from cotrain.domain.models import Application, ApplicationsFile, Person
from cotrain.enums import Role
from cotrain.files.exporters.tabular import (
    neutralise,
    render_csv,
    restore,
    write_xlsx,
)
from cotrain.files.store import FileSpec, load_model, save_model

LONG = "Marie-" + "Bérénice-" * 120 + "Dupont"
# example name -> what replaces it
ODD_NAMES = {
    "Éloïse N'Guessan": "Zoë Ñúñez-O'Brien d'Ārgentré",
    "Jean-François Lefèvre-Duval": "محمد العربي",
    "Samira Haddad": "Chloé 👩🏽‍🏫 Émoji « Le Goff »",
    "Thierry Vasseur": LONG,
}
ODD_CITY = ("Saint-Denis;", "L'Haÿ-les-Roses 🌳 שלום;")


@pytest.fixture(scope="module")
def programme(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from typer.testing import CliRunner

    from cotrain.cli.app import build_app
    from cotrain.i18n import set_language

    root = tmp_path_factory.mktemp("unicode") / "demo"
    app, runner = build_app(), CliRunner()

    def run(*args: str | Path) -> None:
        result = runner.invoke(app, [str(a) for a in args], env={"COLUMNS": "200"})
        set_language("fr")
        assert result.exit_code == 0, (args, result.output)

    run("init", root, "--example")
    source = root / "reponses.csv"
    text = source.read_bytes().decode("cp1252")
    for old, new in ODD_NAMES.items():
        assert old in text
        text = text.replace(old, new)
    text = text.replace(*ODD_CITY)
    text = text.replace("Adjointe au maire chargée de la démocratie locale", "")  # an empty cell
    odd = root / "reponses-unicode.csv"
    odd.write_bytes(text.encode("utf-8-sig"))  # "CSV UTF-8" from Excel: what can hold them
    run("import", odd, "-w", root)
    run("select", "-w", root)
    run("schedule", "-w", root)
    for args in (
        ("participants", "--format", "csv", "-o", root / "participants.csv"),
        ("participants", "--format", "json", "-o", root / "participants.json"),
        ("roster", "-f", "csv", "-o", root / "roster.csv"),
        ("roster", "-f", "json", "-o", root / "roster.json"),
        ("report", "--by", "person", "-o", root / "rapport.csv"),
        ("report", "--by", "person", "-o", root / "rapport.xlsx"),
    ):
        run(*args, "-w", root)
    return root


def strings_in(value: object) -> set[str]:
    if isinstance(value, str):
        return {value}
    if isinstance(value, dict):
        return set().union(*(strings_in(v) for v in value.values())) if value else set()
    if isinstance(value, list):
        return set().union(*(strings_in(v) for v in value)) if value else set()
    return set()


def csv_cells(path: Path) -> set[str]:
    text = path.read_bytes().decode("utf-8-sig")
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=";")
    return {restore(cell) for row in rows for cell in row}


def xlsx_cells(path: Path) -> set[str]:
    book = load_workbook(path)
    return {
        restore(cell.value)
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str)
    }


def test_applications_toml_keeps_every_odd_value_exactly(programme: Path) -> None:
    data = tomllib.loads((programme / "applications.toml").read_text(encoding="utf-8"))
    names = {p["name"] for a in data["applications"] for p in a["people"]}
    cities = {a["city"] for a in data["applications"]}

    assert set(ODD_NAMES.values()) <= names
    assert "L'Haÿ-les-Roses 🌳 שלום" in cities
    titles = [p.get("job_title", "") for a in data["applications"] for p in a["people"]]
    assert "" in titles


@pytest.mark.parametrize(
    ("name", "reader"),
    [
        ("participants.csv", csv_cells),
        ("roster.csv", csv_cells),
        ("rapport.csv", csv_cells),
        ("rapport.xlsx", xlsx_cells),
        ("participants.json", lambda p: strings_in(json.loads(p.read_text(encoding="utf-8")))),
        ("roster.json", lambda p: strings_in(json.loads(p.read_text(encoding="utf-8")))),
    ],
)
def test_every_export_gives_the_odd_names_back_exactly(programme: Path, name: str, reader) -> None:
    found = reader(programme / name)

    assert sorted(set(ODD_NAMES.values()) - found) == []


text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=60)


@settings(max_examples=60, deadline=None)
@given(name=text, city=text, notes=text)
def test_any_text_survives_the_store(tmp_path_factory, name: str, city: str, notes: str) -> None:
    spec = FileSpec("applications.toml", ApplicationsFile, 1)
    model = ApplicationsFile(
        applications=[
            Application(
                city_id="x",
                city=city,
                people=[Person(id="p", name=name, role=Role.ELECTED, notes=notes)],
            )
        ]
    )
    path = tmp_path_factory.mktemp("store") / spec.name

    save_model(path, model)

    assert load_model(path, spec) == model


@settings(max_examples=60, deadline=None)
@given(cells=st.lists(text, min_size=1, max_size=4))
def test_any_text_survives_the_table_writers(tmp_path_factory, cells: list[str]) -> None:
    folder = tmp_path_factory.mktemp("tables")
    header = [f"c{n}" for n in range(len(cells))]

    rows = list(
        csv.reader(io.StringIO(render_csv(header, [cells], excel=True), newline=""), delimiter=";")
    )
    write_xlsx(folder / "t.xlsx", {"t": (header, [cells])})
    sheet = load_workbook(folder / "t.xlsx").active
    back = [cell.value for cell in next(sheet.iter_rows(min_row=2))] if sheet.max_row > 1 else []

    assert rows[1] == [neutralise(c) for c in cells]
    # XML holds no other control character, and reads a carriage return back as a line feed.
    in_xlsx = [
        "".join(
            ch
            for ch in c.replace("\r\n", "\n").replace("\r", "\n")
            if ch in "\t\n" or ord(ch) >= 32
        )
        for c in cells
    ]
    assert [v if v is not None else "" for v in back] + [""] * (len(cells) - len(back)) == [
        neutralise(c) for c in in_xlsx
    ]
