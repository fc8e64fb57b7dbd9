"""``cotrain roster``: who is where, per half-day, per person, per trainer, in every format."""

from __future__ import annotations

import csv
import io
import json
import stat
import tomllib
from html.parser import HTMLParser
from pathlib import Path

import pytest
from tests.fixtures_outputs import make_workspace

from cotrain.domain.models import ApplicationsFile, ScheduleFile
from cotrain.files.workspace import APPLICATIONS, SCHEDULE, Workspace


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    return make_workspace(tmp_path / "ws")


def _schedule(root: Path) -> ScheduleFile:
    schedule = Workspace.open(root).load(SCHEDULE, ScheduleFile)
    assert schedule is not None
    return schedule


def _member_rows(root: Path) -> int:
    return sum(len(g.members) for s in _schedule(root).sessions for g in s.groups)


def test_csv_for_french_excel_reads_back_with_one_row_per_person_and_half_day(
    run, ws, tmp_path
) -> None:
    out = tmp_path / "roster.csv"

    result = run("roster", "-w", ws, "--format", "csv", "--output", out)

    assert result.exit_code == 0, result.output
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == _member_rows(ws)
    assert rows[0]["Demi-journée"] == "j1-matin"
    assert rows[0]["Date"] == "22/01/2015"
    assert rows[0]["Nom"] == "Awa Diallo"
    assert rows[0]["Rôle"] == "militant·e"
    assert rows[0]["Binôme d'animation"] == "Hélène Marchand-Roux & Marie-Josée Carpentier"
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_plain_csv_uses_commas_iso_dates_and_stable_values(run, ws) -> None:
    result = run("roster", "-w", ws, "--format", "csv", "--plain", "--session", "j1-matin")

    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert not result.stdout.startswith("\ufeff")
    assert len(rows) == 18
    assert {r["Demi-journée"] for r in rows} == {"j1-matin"}
    assert rows[0]["Date"] == "2015-01-22"
    assert rows[0]["Rôle"] == "activist"


def test_csv_neutralises_formula_looking_names(run, ws) -> None:
    workspace = Workspace.open(ws)
    applications = workspace.load(APPLICATIONS, ApplicationsFile)
    bondy = applications.get("bondy")
    people = [
        p.model_copy(update={"name": '=HYPERLINK("x")'}) if p.id == "lea-martin" else p
        for p in bondy.people
    ]
    changed = applications.model_copy(
        update={
            "applications": [
                a.model_copy(update={"people": people}) if a.city_id == "bondy" else a
                for a in applications.applications
            ]
        }
    )
    workspace.save(APPLICATIONS, changed)

    result = run("roster", "-w", ws, "--format", "csv", "--person", "lea-martin", "--trainer", "x")
    assert result.exit_code == 2  # --person and --trainer together
    result = run("roster", "-w", ws, "--format", "csv", "--session", "j1-matin")

    rows = list(csv.DictReader(io.StringIO(result.stdout), delimiter=";"))
    names = [r["Nom"] for r in rows]
    assert '\'=HYPERLINK("x")' in names
    assert not any(name.startswith("=") for name in names)


def test_json_rows_read_back_with_stable_english_keys(run, ws) -> None:
    result = run("roster", "-w", ws, "--format", "json", "--lang", "en")

    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["view"] == "sessions"
    assert len(data["rows"]) == _member_rows(ws)
    first = data["rows"][0]
    assert first["date"] == "2015-01-22" and first["start"] == "09:30" and first["end"] == "12:30"
    assert first["kind"] == "peer_groups" and first["role"] == "activist"


def test_toml_reads_back_with_tomllib(run, ws, tmp_path) -> None:
    out = tmp_path / "roster.toml"

    result = run("roster", "-w", ws, "--format", "toml", "--person", "Awa Diallo", "--output", out)

    assert result.exit_code == 0, result.output
    data = tomllib.loads(out.read_text(encoding="utf-8"))
    assert data["view"] == "person" and data["person"] == "awa-diallo"
    expected = [s for s, ids in _schedule(ws).expected().items() if "awa-diallo" in ids]
    assert sorted(r["session"] for r in data["rows"]) == sorted(expected)
    assert str(data["rows"][0]["date"]) == "2015-01-22"


def test_personal_timetable_has_exactly_their_sessions(run, ws) -> None:
    result = run("roster", "-w", ws, "--format", "json", "--person", "eloise")

    data = json.loads(result.stdout)
    expected = {s for s, ids in _schedule(ws).expected().items() if "eloise-benoit" in ids}
    assert data["name"] == "Éloïse Benoît"
    assert {r["session"] for r in data["rows"]} == expected
    assert len(data["rows"]) == len(expected) == 9


def test_trainer_timetable_includes_trainers_meetings(run, ws) -> None:
    result = run("roster", "-w", ws, "--format", "json", "--trainer", "Odette Lemaître")

    data = json.loads(result.stdout)
    assert data["trainer"] == "odette-lemaitre"
    kinds = [r["kind"] for r in data["rows"]]
    assert kinds.count("trainers_meeting") == 5
    assert {r["duo"] for r in data["rows"] if r["group"]} == {"duo-3"}


class _Cells(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.cells: list[str] = []
        self.headings: list[str] = []
        self._tag = ""

    def handle_starttag(self, tag, attrs) -> None:
        self._tag = tag
        if tag == "td":
            self.cells.append("")

    def handle_data(self, data) -> None:
        if self._tag == "td":
            self.cells[-1] += data
        elif self._tag == "h2":
            self.headings.append(data)

    def handle_endtag(self, tag) -> None:
        self._tag = ""


def test_html_and_markdown_show_every_half_day(run, ws) -> None:
    html_result = run("roster", "-w", ws, "--format", "html")
    md_result = run("roster", "-w", ws, "--format", "md", "--lang", "en")

    parser = _Cells()
    parser.feed(html_result.stdout)
    assert len(parser.headings) == 9
    assert parser.headings[0].startswith("jeudi 22 janvier 2015, matin (9\u00a0h\u00a030\u00a0– 12\u00a0h\u00a030)")
    assert parser.cells.count("Ζωή Παπαδοπούλου") == 9
    md = md_result.stdout
    assert md.count("\n## ") == 9
    assert "## Thursday 22 January 2015, morning (9:30\u00a0am\u00a0– 12:30\u00a0pm)" in md
    assert "| Group | Room | Trainer duo | Name | Role | City or organisation |" in md


def test_table_on_the_terminal_in_english(run, ws) -> None:
    result = run("roster", "-w", ws, "--person", "awa-diallo", "--lang", "en")

    assert result.exit_code == 0, result.output
    assert "Timetable of Awa Diallo" in result.stdout
    assert "22/01/2015" not in result.stdout and "2015-01-22" not in result.stdout
    assert "22 January 2015" in result.stdout


def test_without_schedule_the_roster_says_what_to_run(run, ws) -> None:
    (ws / "schedule.toml").unlink()

    result = run("roster", "-w", ws)

    assert result.exit_code == 1
    assert "cotrain schedule" in result.output


def test_unknown_person_and_bad_format_are_usage_errors(run, ws) -> None:
    assert run("roster", "-w", ws, "--person", "personne-inconnue").exit_code == 2
    assert run("roster", "-w", ws, "--format", "xlsx").exit_code == 2
