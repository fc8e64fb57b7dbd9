"""Changes after the programme has started (issue 15), through the real CLI on the shipped
example: 6 cities selected, one on the waitlist, day 1 marked, then a withdrawal, a
substitute, a late joiner, a leaver, a duo member replaced for one day."""

from __future__ import annotations

import json
import shutil
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "seine-saint-denis-2015"
DAY1 = ("j1-matin", "j1-apres-midi")


@pytest.fixture
def started(tmp_path: Path, run) -> Path:
    """The example with 6 cities selected (L'Île-Saint-Denis waitlisted), a schedule, and day 1
    marked: everyone present but two absences."""
    ws = tmp_path / "ws"
    shutil.copytree(EXAMPLE, ws)
    for args in (
        ("import", ws / "reponses.csv"),
        ("check",),
        ("select", "--max", "6"),
        ("schedule", "--iterations", "60"),
        ("attend", "j1-matin", "--all-present", "--except", "awa-diallo"),
        ("attend", "j1-apres-midi", "--all-present", "--except", "karim-bouzid"),
    ):
        result = run("-w", ws, *args)
        assert result.exit_code == 0, (args, result.output)
    return ws


def load(path: Path) -> dict:
    return tomllib.loads(path.read_text(encoding="utf-8"))


def report(run, ws: Path, by: str = "session") -> dict:
    result = run("-w", ws, "report", "--by", by, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def rows(data: dict, keys: tuple[str, ...]) -> list[dict]:
    return [r for r in data["rows"] if r.get("key", r.get("id")) in keys]


def members(schedule: dict, session: str) -> set[str]:
    s = next(s for s in schedule["sessions"] if s["session_id"] == session)
    return {m for g in s.get("groups", []) for m in g.get("members", [])}


def city_people(ws: Path, city_id: str) -> set[str]:
    apps = load(ws / "applications.toml")["applications"]
    return {p["id"] for a in apps if a["city_id"] == city_id for p in a["people"]}


def test_withdrawal_after_day_one_keeps_marks_and_rates(started: Path, run) -> None:
    before = report(run, started)
    sched_before = load(started / "schedule.toml")
    result = run("-w", started, "select", "--withdraw", "montreuil", "--reason", "Retrait du maire")
    assert result.exit_code == 0, result.output
    # The preview comes first and says what happens.
    assert result.output.startswith(
        "En cours de programme, à partir de j2-matin (29/01/2015, matin) :"
    )
    assert "Montreuil se retire : ses 4 personne(s) restent attendues aux 2" in result.output
    assert "L'Île-Saint-Denis (liste d'attente) rejoint le programme pour les 7" in result.output
    after = report(run, started)
    # Day 1 is unchanged: same people expected, same marks, same rates; no orphan marks.
    assert rows(after, DAY1) == rows(before, DAY1)
    assert after["overall"]["all"]["attended"] == before["overall"]["all"]["attended"]
    people = report(run, started, by="person")
    gone = rows(people, ("ousmane-traore",))  # from Montreuil, present on day 1
    assert [(r["expected"], r["attended"], r["rate_percent"]) for r in gone] == [(2, 2, 100)]
    sched = load(started / "schedule.toml")
    montreuil, ile = city_people(started, "montreuil"), city_people(started, "lile-saint-denis")
    for session in DAY1:
        assert members(sched, session) == members(sched_before, session)
    assert montreuil <= members(sched, "j1-matin")
    assert not montreuil & members(sched, "j2-matin")
    assert ile <= members(sched, "j2-matin")
    assert not ile & members(sched, "j1-apres-midi")
    check = run("-w", started, "schedule", "check")
    assert check.exit_code == 0, check.output
