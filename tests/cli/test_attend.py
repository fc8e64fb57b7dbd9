"""``cotrain attend`` and ``cotrain attendance import|history|list`` on a hand-made workspace."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from tests.fixtures_attendance import (
    GRID_HEADER,
    full_grid,
    make_workspace,
    write_grid_csv,
    write_grid_xlsx,
)

from cotrain.files.attendance_store import ATTENDANCE
from cotrain.files.store import load_model

ACTIVISTS = [
    "Awa Diallo",
    "Joëlle Kergoat",
    "Patrick L'Hermitte",
    "Nadia Ben Saïd",
    "Gérard Dupont-Moreau",
    "Françoise Ménard",
]


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    return make_workspace(tmp_path / "ws")


def _marks(ws: Path) -> dict:
    return load_model(ws / "attendance.toml", ATTENDANCE).marks()


def test_attend_marks_people_by_id_and_by_name(run, ws) -> None:
    result = run("attend", "j1-matin", "awa-diallo", "KERGOAT joelle", "-s", "retard", "-w", ws)

    assert result.exit_code == 0, result.output
    assert result.output == (
        "j1-matin : 2 émargement(s) ajouté(s), 0 corrigé(s), 0 inchangé(s).\n"
        "  Awa Diallo (awa-diallo) : en retard à j1-matin\n"
        "  Joëlle Kergoat (joelle-kergoat) : en retard à j1-matin\n"
    )  # issue 15: the command says whom it marked
    assert _marks(ws) == {"j1-matin": {"awa-diallo": "late", "joelle-kergoat": "late"}}


def test_all_present_except_covers_the_usual_case(run, ws) -> None:
    result = run(
        "attend",
        "22/01 après-midi",
        "--all-present",
        "--except",
        "Awa Diallo",
        "--except-status",
        "excused",
        "-w",
        ws,
    )

    marks = _marks(ws)["j1-apres-midi"]
    assert result.exit_code == 0, result.output
    assert len(marks) == 34
    assert marks["awa-diallo"] == "excused"
    assert sum(1 for s in marks.values() if s == "present") == 33


def test_correction_keeps_history_with_reason(run, ws) -> None:
    run("attend", "j1-matin", "awa-diallo", "-s", "absent", "-w", ws)

    run(
        "attend",
        "j1-matin",
        "awa-diallo",
        "-s",
        "excusée",
        "--reason",
        "certificat médical",
        "-w",
        ws,
    )
    history = run("attendance", "history", "Awa Diallo", "--json", "-w", ws)

    data = json.loads(history.output)
    assert data["marks"] == {"j1-matin": "excused"}
    [entry] = data["corrections"]
    assert (entry["previous"], entry["status"], entry["reason"]) == (
        "absent",
        "excused",
        "certificat médical",
    )
    table = run("attendance", "history", "awa-diallo", "-w", ws)
    assert "certificat médical" in table.output and "absence justifiée" in table.output


def test_ambiguous_or_unknown_name_is_an_error_listing_candidates(run, ws) -> None:
    ambiguous = run("attend", "j1-matin", "Amélie", "-w", ws)
    unknown = run("attend", "j1-matin", "Zoé Zorro", "-w", ws)

    assert ambiguous.exit_code == 1
    assert "amelie-bondy" in ambiguous.output and "amelie-sevran" in ambiguous.output
    assert unknown.exit_code == 1
    assert "Zoé Zorro" in unknown.output
    assert not (ws / "attendance.toml").exists()


def test_person_not_expected_or_trainers_meeting_is_refused(run, tmp_path) -> None:
    ws = make_workspace(tmp_path / "late", late_joiner=True)

    not_expected = run("attend", "j1-matin", "didier-sevran", "-w", ws)
    meeting = run("attend", "j1-debrief", "awa-diallo", "-w", ws)
    outside = run("attend", "19/03 matin", "awa-diallo", "-w", ws)

    assert not_expected.exit_code == 1 and "n'est pas attendu" in not_expected.output
    assert meeting.exit_code == 1 and "réunion des formateurs" in meeting.output
    assert outside.exit_code == 1 and "en dehors du programme" in outside.output


def test_status_names_are_accepted_in_english(run, ws) -> None:
    result = run(
        "--lang", "en", "attend", "j1-matin", "awa-diallo", "--status", "left early", "-w", ws
    )

    assert result.exit_code == 0, result.output
    assert result.output == (
        "j1-matin: 1 mark(s) added, 0 corrected, 0 unchanged.\n"
        "  Awa Diallo (awa-diallo): left early at j1-matin\n"
    )
    assert _marks(ws)["j1-matin"]["awa-diallo"] == "left_early"


def test_unknown_status_is_bad_usage(run, ws) -> None:
    result = run("attend", "j1-matin", "awa-diallo", "-s", "peut-être", "-w", ws)
    assert result.exit_code == 2


def _people_names() -> list[str]:
    from tests.fixtures_attendance import CITIES, FIRST

    return [f"{first} {city}" for _, city in CITIES for first in FIRST] + ACTIVISTS


def test_grid_csv_in_cp1252_imports_every_mark(run, ws) -> None:
    names = _people_names()
    grid = full_grid(
        names,
        {
            (names[0], 0): "A",
            (names[1], 3): "E",
            (names[2], 4): "R",
            (names[3], 8): "D",
            (names[4], 5): "",
        },
    )
    sheet = write_grid_csv(ws / "emargement.csv", grid)

    result = run("attendance", "import", sheet, "-w", ws)

    assert result.exit_code == 0, result.output
    assert "306 émargement(s) ajouté(s)" in result.output
    assert "cp1252" in result.output
    marks = _marks(ws)
    assert marks["j1-matin"]["amelie-aubervilliers"] == "absent"
    assert marks["j2-apres-midi"]["bruno-aubervilliers"] == "excused"
    assert marks["j3-matin"]["chloe-aubervilliers"] == "late"
    assert marks["restitution"]["didier-aubervilliers"] == "left_early"
    assert marks["j3-apres-midi"]["amelie-bobigny"] == "absent"


def test_importing_the_same_file_twice_changes_nothing(run, ws) -> None:
    sheet = write_grid_csv(
        ws / "emargement.csv", full_grid(_people_names(), {("Awa Diallo", 0): "A"})
    )
    run("attendance", "import", sheet, "-w", ws)
    before = (ws / "attendance.toml").read_bytes()

    again = run("attendance", "import", sheet, "-w", ws)

    assert again.exit_code == 0, again.output
    assert "0 émargement(s) ajouté(s), 0 corrigé(s), 306 inchangé(s)" in again.output
    assert (ws / "attendance.toml").read_bytes() == before


def test_reimport_of_a_corrected_grid_records_corrections(run, ws) -> None:
    names = _people_names()
    run(
        "attendance",
        "import",
        write_grid_csv(ws / "v1.csv", full_grid(names, {("Awa Diallo", 0): "A"})),
        "-w",
        ws,
    )

    run(
        "attendance",
        "import",
        write_grid_csv(ws / "v2.csv", full_grid(names, {("Awa Diallo", 0): "E"})),
        "--reason",
        "justificatif reçu",
        "-w",
        ws,
    )

    data = json.loads(run("attendance", "history", "awa-diallo", "--json", "-w", ws).output)
    assert [
        (c["previous"], c["status"], c["reason"], c["source"]) for c in data["corrections"]
    ] == [("absent", "excused", "justificatif reçu", "v2.csv")]


def test_grid_xlsx_with_ids_and_english_headers_imports(run, ws) -> None:
    from tests.fixtures_attendance import applications

    ids = [p.id for a in applications().applications for p in a.people]
    header = ["Identifiant", "22/01/2015 AM", "22/01/2015 PM", "29/01/2015 AM"]
    rows = [header, *([pid, "P", "x", "A"] for pid in ids)]
    sheet = write_grid_xlsx(ws / "emargement.xlsx", rows)

    result = run("attendance", "import", sheet, "-w", ws)

    assert result.exit_code == 0, result.output
    marks = _marks(ws)
    assert len(marks["j1-matin"]) == 28 and set(marks["j2-matin"].values()) == {"absent"}
    assert "j2-apres-midi" not in marks


def test_rows_layout_imports_one_mark_per_row(run, ws) -> None:
    rows = [
        ["Séance", "Personne", "Statut"],
        ["j1-matin", "Awa Diallo", "présent"],
        ["22/01 après-midi", "awa-diallo", "R"],
        ["29/01/2015 matin", "Joëlle Kergoat", "excusée"],
    ]
    sheet = write_grid_csv(ws / "lignes.csv", rows)

    result = run("attendance", "import", sheet, "-w", ws)

    assert result.exit_code == 0, result.output
    assert _marks(ws) == {
        "j1-matin": {"awa-diallo": "present"},
        "j1-apres-midi": {"awa-diallo": "late"},
        "j2-matin": {"joelle-kergoat": "excused"},
    }


def test_rows_layout_in_xlsx(run, ws) -> None:
    from datetime import datetime

    rows = [
        ["Session", "Person", "Status"],
        ["j4-matin", "patrick-lhermitte", "D"],
        [datetime(2015, 3, 5), "Nadia Ben Said", "x"],
    ]
    result = run("attendance", "import", write_grid_xlsx(ws / "rows.xlsx", rows), "-w", ws)

    assert result.exit_code == 0, result.output
    assert _marks(ws) == {
        "j4-matin": {"patrick-lhermitte": "left_early"},
        "restitution": {"nadia-ben-said": "present"},
    }


def test_bad_rows_are_all_named_and_nothing_changes(run, tmp_path) -> None:
    ws = make_workspace(tmp_path / "late", late_joiner=True)
    rows = [
        GRID_HEADER + ["19/03 matin"],
        ["Awa Diallo", "", "x", "x", "x", "x", "x", "x", "x", "x", "x", "x"],
        ["Didier Sevran", "Sevran", "x", "", "", "", "x", "x", "x", "x", "x", ""],
        ["Inconnu Total", "", "x", "x", "x", "x", "x", "x", "x", "x", "x", ""],
        ["Joëlle Kergoat", "", "?", "x", "x", "x", "x", "x", "x", "x", "x", ""],
    ]
    sheet = write_grid_csv(ws / "faux.csv", rows)

    result = run("attendance", "import", sheet, "-w", ws)

    assert result.exit_code == 1
    output = result.output
    assert (
        "faux.csv, ligne 1, colonne « 19/03 matin »" in output or 'colonne "19/03 matin"' in output
    )
    assert "ligne 3" in output and "22/01 matin" in output and "n'est pas attendu" in output
    assert "ligne 4" in output and "Inconnu Total" in output
    assert "ligne 5" in output and "« ? »" in output
    assert not (ws / "attendance.toml").exists()


def test_empty_half_day_column_is_skipped_and_said(run, ws) -> None:
    grid = full_grid(_people_names())
    for row in grid[1:]:
        row[-1] = ""
    result = run("attendance", "import", write_grid_csv(ws / "e.csv", grid), "-w", ws)

    assert result.exit_code == 0, result.output
    assert "05/03 matin" in result.output
    assert "restitution" not in _marks(ws)


def test_attendance_list_shows_unmarked_people(run, ws) -> None:
    run("attend", "j1-matin", "awa-diallo", "-w", ws)

    data = json.loads(run("attendance", "list", "--session", "j1-matin", "--json", "-w", ws).output)

    assert data["j1-matin"]["awa-diallo"] == "present"
    assert data["j1-matin"]["bruno-bondy"] is None
    assert len(data["j1-matin"]) == 34


def test_dry_run_writes_nothing(run, ws) -> None:
    result = run("attend", "j1-matin", "awa-diallo", "--dry-run", "-w", ws)
    assert result.exit_code == 0
    assert not (ws / "attendance.toml").exists()


def test_installed_command_marks_in_a_subprocess(ws) -> None:
    done = subprocess.run(
        ["cotrain", "attend", "j1-matin", "--all-present", "-w", str(ws)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert len(_marks(ws)["j1-matin"]) == 34


def test_all_present_on_a_half_day_not_begun_is_one_line_without_a_rows_hint(
    run, ws, monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import datetime

    from cotrain.cli import attendance

    monkeypatch.setattr(attendance, "_now", lambda: datetime(2000, 1, 1, 8, 0))

    result = run("attend", "j1-matin", "--all-present", "-w", ws)

    assert result.exit_code == 1
    assert result.stderr.count("on n'émarge pas une séance qui n'a pas commencé") == 1
    assert "lignes" not in result.stderr
    assert "corrigez la commande" in result.stderr
    assert not (ws / "attendance.toml").exists()


def test_unknown_name_points_to_participants_and_close_names_ambiguous_gives_cities(
    run, ws
) -> None:
    typo = run("attend", "j1-matin", "Joelle Kergaot", "-w", ws)
    nothing = run("attend", "j1-matin", "Xavier Quintessence", "-w", ws)
    ambiguous = run("attend", "j1-matin", "Amélie", "-w", ws)

    assert typo.exit_code == 1
    assert "Joëlle Kergoat (" in typo.stderr
    assert "cotrain people" not in nothing.stderr
    assert "« cotrain participants »" in nothing.stderr
    assert "amelie-bondy, Bondy" in ambiguous.stderr
    assert "amelie-sevran, Sevran" in ambiguous.stderr
