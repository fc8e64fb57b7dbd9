"""``cotrain calendar``: the programme as iCalendar, read back with icalendar."""

from __future__ import annotations

from datetime import datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from tests.fixtures_outputs import make_workspace

PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    return make_workspace(tmp_path / "ws")


def _events(path: Path) -> list:
    calendar = Calendar.from_ical(path.read_bytes())
    return list(calendar.walk("VEVENT"))


def test_whole_programme_has_one_event_per_session_in_paris_time(run, ws, tmp_path) -> None:
    out = tmp_path / "programme.ics"

    result = run("calendar", "-w", ws, "--output", out)

    assert result.exit_code == 0, result.output
    calendar = Calendar.from_ical(out.read_bytes())
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]
    events = _events(out)
    assert len(events) == 14
    first = next(e for e in events if e["UID"].startswith("co-formation-2015.j1-matin."))
    start, end = first.decoded("DTSTART"), first.decoded("DTEND")
    assert start == datetime(2015, 1, 22, 9, 30, tzinfo=PARIS)
    assert end == datetime(2015, 1, 22, 12, 30, tzinfo=PARIS)
    assert first["DTSTART"].params["TZID"] == "Europe/Paris"
    assert start.utcoffset().total_seconds() == 3600
    assert str(first["SUMMARY"]) == "Représentations mutuelles, entre pairs – groupes de pairs"
    assert "12 rue Pasteur, 95480 Pierrelaye" in str(first["LOCATION"])
    description = str(first["DESCRIPTION"])
    assert "Militant·es : 6 participant·es" in description
    assert "Claire Lefèvre & Odette Lemaître" in description
    assert all("DTSTAMP" in e for e in events)


def test_uids_are_unique_and_stable_across_exports(run, ws, tmp_path) -> None:
    first, second = tmp_path / "a.ics", tmp_path / "b.ics"

    run("calendar", "-w", ws, "--output", first)
    run("calendar", "-w", ws, "--output", second)

    uids = [str(e["UID"]) for e in _events(first)]
    assert len(set(uids)) == len(uids)
    assert uids == [str(e["UID"]) for e in _events(second)]


def test_personal_calendar_holds_their_sessions_group_and_duo(run, ws, tmp_path) -> None:
    out = tmp_path / "awa.ics"

    result = run("calendar", "-w", ws, "--person", "awa-diallo", "--output", out)

    assert result.exit_code == 0, result.output
    events = _events(out)
    assert len(events) == 9
    assert all(str(e["UID"]).endswith(".awa-diallo@cotrain") for e in events)
    afternoon = next(e for e in events if ".j1-apres-midi." in str(e["UID"]))
    assert str(afternoon["SUMMARY"]).endswith("– Groupe 2")
    assert "Votre groupe : Groupe 2 (6 participant·es)" in str(afternoon["DESCRIPTION"])
    assert "Jean-Baptiste N'Diaye & Rachid El Amrani" in str(afternoon["DESCRIPTION"])
    assert "Salle B" in str(afternoon["LOCATION"])
    assert afternoon.decoded("DTSTART").time() == time(13, 30)


def test_trainer_calendar_names_the_co_trainer_and_meetings(run, ws, tmp_path) -> None:
    out = tmp_path / "claire.ics"

    result = run(
        "calendar", "-w", ws, "--trainer", "claire-lefevre", "--output", out, "--lang", "en"
    )

    assert result.exit_code == 0, result.output
    events = _events(out)
    assert len(events) == 7 + 5  # peer and mixed groups of duo-3, and the five meetings
    debrief = next(e for e in events if ".j1-debrief." in str(e["UID"]))
    assert debrief.decoded("DTSTART") == datetime(2015, 1, 22, 16, 30, tzinfo=PARIS)
    led = next(e for e in events if ".j1-matin." in str(e["UID"]))
    assert "With: Odette Lemaître" in str(led["DESCRIPTION"])
    assert str(led["SUMMARY"]).endswith("peer groups – Professionnel·les")
    assert str(led["LOCATION"]).endswith("Pierrelaye, Salle C")
