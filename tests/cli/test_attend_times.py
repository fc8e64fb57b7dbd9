"""Arrival and departure times from ``attend`` and typed grids; no mark before a half-day has
begun (issue 11)."""

from __future__ import annotations

import re
from datetime import time
from pathlib import Path

import pytest
from tests.fixtures_attendance import GRID_HEADER, make_workspace, write_grid_csv

from cotrain.files.attendance_store import ATTENDANCE
from cotrain.files.store import load_model


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    return make_workspace(tmp_path / "ws")


def _session(ws: Path, session_id: str):
    attendance = load_model(ws / "attendance.toml", ATTENDANCE)
    return next(s for s in attendance.sessions if s.session_id == session_id)


def _move_to_future(ws: Path, session_id: str, day: str) -> None:
    """Move one half-day of the workspace's plan to ``day`` (YYYY-MM-DD)."""
    config = ws / "cotrain.toml"
    text = config.read_text()
    pattern = rf'(id = "{session_id}"\ndate = )\d{{4}}-\d{{2}}-\d{{2}}'
    assert re.search(pattern, text)
    config.write_text(re.sub(pattern, rf"\g<1>{day}", text))


def test_attend_late_by_minutes_records_the_arrival_time_and_status(run, ws) -> None:
    result = run("attend", "j1-matin", "Awa Diallo", "--late", "25", "-w", ws)

    assert result.exit_code == 0, result.output
    session = _session(ws, "j1-matin")
    assert session.late == ["awa-diallo"]
    assert session.arrived == {"awa-diallo": time(9, 55)}
    assert "awa-diallo 09:55" in (ws / "attendance.toml").read_text()


def test_attend_with_a_departure_time_marks_left_early(run, ws) -> None:
    result = run("attend", "j1-matin", "awa-diallo", "--left", "11h50", "-w", ws)

    assert result.exit_code == 0, result.output
    session = _session(ws, "j1-matin")
    assert (session.left_early, session.left) == (["awa-diallo"], {"awa-diallo": time(11, 50)})


def test_attend_times_with_several_people_is_refused(run, ws) -> None:
    result = run("attend", "j1-matin", "awa-diallo", "joelle-kergoat", "--late", "10", "-w", ws)

    assert result.exit_code == 2  # bad usage
    assert "une seule personne" in result.output
    assert not (ws / "attendance.toml").exists()


def test_unreadable_time_is_refused(run, ws) -> None:
    result = run("attend", "j1-matin", "awa-diallo", "--arrived", "midi", "-w", ws)

    assert result.exit_code == 2
    assert "heure illisible « midi »" in result.output


def test_arrival_after_the_end_is_refused_and_nothing_written(run, ws) -> None:
    result = run("attend", "j1-matin", "awa-diallo", "--arrived", "12:45", "-w", ws)

    assert result.exit_code == 1
    assert "après sa fin" in result.output
    assert not (ws / "attendance.toml").exists()


def test_a_half_day_in_the_future_is_refused_and_nothing_written(run, ws) -> None:
    assert run("attend", "j1-matin", "--all-present", "-w", ws).exit_code == 0
    before = (ws / "attendance.toml").read_bytes()
    _move_to_future(ws, "restitution", "2099-03-05")

    result = run("attend", "restitution", "--all-present", "-w", ws)

    assert result.exit_code == 1
    assert "commence le 05/03/2099 à 9\u00a0h\u00a030" in result.output
    assert (ws / "attendance.toml").read_bytes() == before
    # The same reason for the whole group is said once, not once per person.
    assert result.output.count("n'a pas commencé") == 1


def test_a_grid_with_marks_for_a_future_half_day_is_refused(run, ws, tmp_path) -> None:
    _move_to_future(ws, "restitution", "2099-03-05")
    rows = [GRID_HEADER, ["Awa Diallo", "", *["x"] * 9]]
    grid = write_grid_csv(tmp_path / "grille.csv", rows)

    result = run("attendance", "import", grid, "-w", ws)

    assert result.exit_code == 1
    assert "grille.csv, ligne 2, colonne « 05/03 matin »" in result.output
    assert not (ws / "attendance.toml").exists()


def test_a_grid_with_an_empty_future_column_is_accepted(run, ws, tmp_path) -> None:
    _move_to_future(ws, "restitution", "2099-03-05")
    rows = [GRID_HEADER, ["Awa Diallo", "", *["x"] * 8, ""]]
    grid = write_grid_csv(tmp_path / "grille.csv", rows)

    result = run("attendance", "import", grid, "-w", ws)

    assert result.exit_code == 0, result.output


def test_grid_time_columns_give_arrival_and_departure(run, ws, tmp_path) -> None:
    header = [*GRID_HEADER[:3], "22/01 matin arrivée", *GRID_HEADER[3:], "Départ 05/03 matin"]
    rows = [
        header,
        ["Awa Diallo", "", "R", "10:05", *["x"] * 8, ""],
        ["Joëlle Kergoat", "", "x", "9h45", *["x"] * 8, "11h50"],
        ["Nadia Ben Saïd", "", "x", "", *["x"] * 8, ""],
    ]
    grid = write_grid_csv(tmp_path / "grille.csv", rows)

    result = run("attendance", "import", grid, "-w", ws)

    assert result.exit_code == 0, result.output
    assert "Colonnes ignorées : Ville." in result.output
    first = _session(ws, "j1-matin")
    assert first.arrived == {"awa-diallo": time(10, 5), "joelle-kergoat": time(9, 45)}
    assert first.late == ["awa-diallo", "joelle-kergoat"]  # "x" and 9 h 45: late
    last = _session(ws, "restitution")
    assert (last.left_early, last.left) == (["joelle-kergoat"], {"joelle-kergoat": time(11, 50)})


def test_grid_with_an_unreadable_time_names_the_cell(run, ws, tmp_path) -> None:
    header = [*GRID_HEADER[:3], "22/01 matin arrivée", *GRID_HEADER[3:]]
    rows = [header, ["Awa Diallo", "", "R", "dix heures", *["x"] * 8]]
    grid = write_grid_csv(tmp_path / "grille.csv", rows)

    result = run("attendance", "import", grid, "-w", ws)

    assert result.exit_code == 1
    assert "grille.csv, ligne 2, colonne « 22/01 matin arrivée »" in result.output
    assert not (ws / "attendance.toml").exists()


def test_rows_layout_reads_arrival_and_departure_columns(run, ws, tmp_path) -> None:
    rows = [
        ["Séance", "Nom", "Statut", "Arrivée", "Départ"],
        ["j1-matin", "Awa Diallo", "retard", "09:50", ""],
        ["j1-matin", "Joëlle Kergoat", "x", "", "12:00"],
    ]
    sheet = write_grid_csv(tmp_path / "lignes.csv", rows)

    result = run("attendance", "import", sheet, "-w", ws)

    assert result.exit_code == 0, result.output
    session = _session(ws, "j1-matin")
    assert session.arrived == {"awa-diallo": time(9, 50)}
    assert session.left == {"joelle-kergoat": time(12, 0)}
    assert session.left_early == ["joelle-kergoat"]


def test_a_schema_1_file_is_read_and_rewritten_as_schema_2(run, ws) -> None:
    (ws / "attendance.toml").write_text(
        'schema = 1\n\n[[sessions]]\nsession_id = "j1-matin"\n'
        "present = '''\nawa-diallo\n'''\nlate = '''\njoelle-kergoat\n'''\n"
    )

    result = run("attend", "j1-matin", "nadia-ben-said", "--late", "15", "-w", ws)

    assert result.exit_code == 0, result.output
    text = (ws / "attendance.toml").read_text()
    assert "schema = 2" in text
    session = _session(ws, "j1-matin")
    assert session.late == ["joelle-kergoat", "nadia-ben-said"]
    assert session.arrived == {"nadia-ben-said": time(9, 45)}


def test_history_keeps_the_previous_time(run, ws) -> None:
    run("attend", "j1-matin", "awa-diallo", "--arrived", "09:55", "-w", ws)
    run("attend", "j1-matin", "awa-diallo", "--arrived", "10:20", "--reason", "relu", "-w", ws)

    result = run("attendance", "history", "awa-diallo", "--json", "-w", ws)

    assert result.exit_code == 0, result.output
    import json

    [correction] = json.loads(result.output)["corrections"]
    assert (correction["previous_arrived"], correction["arrived"]) == ("09:55", "10:20")
    assert correction["reason"] == "relu"


def test_attendance_list_shows_times_and_time_present(run, ws) -> None:
    run("attend", "j1-matin", "--all-present", "--except", "awa-diallo", "-w", ws)
    run("attend", "j1-matin", "awa-diallo", "--arrived", "10:05", "--reason", "bus", "-w", ws)

    result = run("attendance", "list", "--session", "j1-matin", "-w", ws)

    assert result.exit_code == 0, result.output
    row = next(line for line in result.output.splitlines() if "Awa Diallo" in line)
    cells = [cell.strip() for cell in row.split("│") if cell.strip()]
    assert cells == ["Awa Diallo", "en retard", "10\u00a0h\u00a005", "2\u00a0h\u00a025"]


def test_report_warns_of_late_marks_without_a_time(run, ws) -> None:
    run("attend", "j1-matin", "--all-present", "-w", ws)
    run("attend", "j1-matin", "awa-diallo", "-s", "retard", "--reason", "sans heure", "-w", ws)

    result = run("report", "-w", ws)

    assert result.exit_code == 0, result.output
    assert "1 retard(s) ou départ(s) anticipé(s) sans heure" in " ".join(result.output.split())
