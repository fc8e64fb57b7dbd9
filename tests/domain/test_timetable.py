"""The timetable views: per half-day, per person, per trainer; finding people by name."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.fixtures_outputs import make_workspace

from cotrain.domain.models import ApplicationsFile, Group, ScheduleFile, SelectionFile
from cotrain.domain.participants import list_participants
from cotrain.domain.timetable import (
    build_timetable,
    entry_rows,
    find_participant,
    find_trainer,
    person_timetable,
    session_rows,
    sheet_groups,
    sort_name,
    trainer_timetable,
)
from cotrain.enums import SessionKind
from cotrain.errors import InputError, UsageError
from cotrain.files.workspace import APPLICATIONS, SCHEDULE, SELECTION, Workspace


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory):
    root = make_workspace(tmp_path_factory.mktemp("timetable") / "ws")
    ws = Workspace.open(root)
    applications = ws.load(APPLICATIONS, ApplicationsFile)
    selection = ws.load(SELECTION, SelectionFile)
    schedule = ws.load(SCHEDULE, ScheduleFile)
    participants = list_participants(ws.config, applications, selection)
    return ws.config, participants, schedule


def test_timetable_lists_every_planned_session_in_time_order(loaded) -> None:
    config, participants, schedule = loaded

    views = build_timetable(config, participants, schedule)

    assert [v.id for v in views] == [
        "preparation",
        "j1-matin",
        "j1-apres-midi",
        "j1-debrief",
        "j2-matin",
        "j2-apres-midi",
        "j2-debrief",
        "j3-matin",
        "j3-apres-midi",
        "j3-debrief",
        "j4-matin",
        "j4-apres-midi",
        "j4-debrief",
        "restitution",
    ]
    assert [v.id for v in views if not v.groups] == [
        s.id for s in config.plan.sessions if s.kind == SessionKind.TRAINERS_MEETING
    ]


def test_group_members_are_sorted_by_name_ignoring_accents(loaded) -> None:
    config, participants, schedule = loaded

    views = build_timetable(config, participants, schedule)
    professionals = next(g for g in views[1].groups if g.id == "professionals")

    names = [m.name for m in professionals.members]
    assert names == sorted(names, key=sort_name)
    assert names[:4] == ["Aïcha Traoré", "Bruno Petit", "Chloé L'Hôte-Œuvray", "Éloïse Benoît"]
    assert professionals.duo_id == "duo-3"


def test_personal_timetable_holds_exactly_the_persons_sessions(loaded) -> None:
    config, participants, schedule = loaded
    views = build_timetable(config, participants, schedule)

    for person in participants:
        entries = person_timetable(views, person.id)
        expected = {sid for sid, ids in schedule.expected().items() if person.id in ids}
        assert [e.session.id for e in entries] == [v.id for v in views if v.id in expected]
        assert all(person.id in {m.id for m in e.group.members} for e in entries)


def test_trainer_timetable_adds_unscheduled_trainers_meetings(loaded) -> None:
    config, participants, schedule = loaded
    views = build_timetable(config, participants, schedule)

    helene = trainer_timetable(views, find_trainer(config, "helene-marchand-roux"))
    ginette = trainer_timetable(views, find_trainer(config, "ginette-poulain"))

    meetings = ["preparation", "j1-debrief", "j2-debrief", "j3-debrief", "j4-debrief"]
    assert [e.session.id for e in ginette] == meetings  # leads no group in this schedule
    led = [e.session.id for e in helene if e.group is not None]
    assert led == [
        "j1-matin",
        "j1-apres-midi",
        "j2-matin",
        "j2-apres-midi",
        "j3-matin",
        "j3-apres-midi",
        "j4-matin",
        "j4-apres-midi",
        "restitution",
    ]
    assert len(helene) == len(led) + len(meetings)


def test_unknown_participant_in_schedule_is_reported_with_its_place(loaded) -> None:
    config, participants, schedule = loaded
    first = schedule.sessions[0]
    broken = schedule.model_copy(
        update={
            "sessions": [
                first.model_copy(update={"groups": [Group(id="g9", members=["nobody-here"])]}),
                *schedule.sessions[1:],
            ]
        }
    )

    with pytest.raises(InputError) as caught:
        build_timetable(config, participants, broken)

    assert "nobody-here" in caught.value.message
    assert caught.value.location.file == "schedule.toml"
    assert caught.value.location.key == f"sessions.{first.session_id}.g9"


def test_sheets_are_one_per_group_of_trainee_half_days(loaded) -> None:
    config, participants, schedule = loaded
    views = build_timetable(config, participants, schedule)

    pairs = sheet_groups(views)

    assert len(pairs) == sum(len(s.groups) for s in schedule.sessions) == 24
    assert {v.spec.kind for v, _ in pairs}.isdisjoint({SessionKind.TRAINERS_MEETING})
    assert [g.id for _, g in sheet_groups(views, "j1-matin")] == [
        "activists",
        "elected",
        "professionals",
    ]


def test_no_sheet_for_a_trainers_meeting_or_an_unknown_session(loaded) -> None:
    config, participants, schedule = loaded
    views = build_timetable(config, participants, schedule)

    with pytest.raises(UsageError):
        sheet_groups(views, "j1-debrief")
    with pytest.raises(UsageError) as caught:
        sheet_groups(views, "j9-matin")
    assert "j1-matin" in (caught.value.hint or "")


def test_people_are_found_by_id_name_or_unambiguous_part(loaded) -> None:
    _, participants, _ = loaded

    assert find_participant(participants, "awa-diallo").id == "awa-diallo"
    assert find_participant(participants, "CHLOE L'HOTE-OEUVRAY").id == "chloe-lhote"
    assert find_participant(participants, "traore").id == "aicha-traore"
    assert find_participant(participants, "zoe").id == "zoe-papadopoulou"
    with pytest.raises(UsageError) as caught:
        find_participant(participants, "ma")  # Léa Martin, Marc-Antoine Leroy
    assert caught.value.message == "« ma » correspond à 2 personnes"
    assert "martin" not in caught.value.render().lower()  # no one's name in the message
    with pytest.raises(UsageError):
        find_participant(participants, "Jean Nonretenu")  # his city was not selected


def test_rows_carry_stable_keys_and_raw_values(loaded) -> None:
    config, participants, schedule = loaded
    views = build_timetable(config, participants, schedule)

    rows = session_rows(views)
    mine = entry_rows(person_timetable(views, "awa-diallo"))

    assert len(rows) == sum(len(g.members) for s in schedule.sessions for g in s.groups)
    assert rows[0]["session"] == "j1-matin" and rows[0]["role"] == "activist"
    assert rows[0]["name"] == "Awa Diallo" and rows[0]["organisation"] == "ATD Quart Monde"
    assert [r["group"] for r in mine][:2] == ["activists", "g2"]
    assert mine[-1]["group_size"] == len(participants)


def test_fixture_is_where_it_says(tmp_path: Path) -> None:
    root = make_workspace(tmp_path / "ws", language="en")
    assert Workspace.open(root).config.language == "en"
