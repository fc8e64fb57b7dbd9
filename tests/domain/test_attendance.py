"""Recording marks: validation, corrections with history, idempotence, name and session lookup."""

from __future__ import annotations

from datetime import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.fixtures_attendance import EXAMPLE_CONFIG, applications, schedule, selection

from cotrain.domain.attendance import (
    AttendanceFile,
    HalfDayLabel,
    Mark,
    PersonLookup,
    SessionLookup,
    fold,
    parse_half_day_label,
    parse_status,
    record_marks,
    status_words,
)
from cotrain.domain.participants import list_participants
from cotrain.enums import AttendanceStatus as S
from cotrain.enums import HalfDay
from cotrain.errors import InputError, Location
from cotrain.files.store import load_model
from cotrain.files.workspace import CONFIG

NOW = datetime(2015, 3, 5, 18, 0)  # after the last half-day: every session has begun
LATER = datetime(2015, 3, 6, 9, 0)
CONFIG_ = load_model(EXAMPLE_CONFIG, CONFIG)
PEOPLE = list_participants(CONFIG_, applications(), selection())
EXPECTED = schedule(CONFIG_, [p.id for p in PEOPLE]).expected()


def _record(attendance, marks, **kwargs):
    return record_marks(
        attendance, marks, config=CONFIG_, expected=EXPECTED, **{"now": NOW, **kwargs}
    )


def test_new_marks_are_stored_sorted_by_status() -> None:
    result = _record(
        AttendanceFile(),
        [
            Mark("j1-matin", "bruno-bondy", S.PRESENT),
            Mark("j1-matin", "amelie-bondy", S.PRESENT),
            Mark("j1-matin", "awa-diallo", S.LATE),
        ],
        source="attend",
    )

    session = result.attendance.sessions[0]
    assert (result.added, result.changed, result.unchanged) == (3, 0, 0)
    assert session.present == ["amelie-bondy", "bruno-bondy"]
    assert session.late == ["awa-diallo"]
    assert (session.updated_at, session.source) == (NOW, "attend")
    assert result.attendance.corrections == []


def test_changing_a_mark_keeps_the_previous_status_in_the_history() -> None:
    first = _record(AttendanceFile(), [Mark("j1-matin", "awa-diallo", S.ABSENT)]).attendance

    second = _record(
        first,
        [Mark("j1-matin", "awa-diallo", S.EXCUSED)],
        now=LATER,
        reason="certificat médical",
        source="attend",
    ).attendance

    assert second.marks()["j1-matin"]["awa-diallo"] == S.EXCUSED
    [entry] = second.history("awa-diallo")
    assert (entry.previous, entry.status, entry.at, entry.reason) == (
        S.ABSENT,
        S.EXCUSED,
        LATER,
        "certificat médical",
    )


def test_recording_the_same_marks_twice_changes_nothing() -> None:
    marks = [Mark("j1-matin", "awa-diallo", S.PRESENT), Mark("j2-matin", "awa-diallo", S.LATE)]
    first = _record(AttendanceFile(), marks).attendance

    again = _record(first, marks, now=LATER)

    assert not again.has_changes
    assert again.unchanged == 2
    assert again.attendance is first


def test_bad_marks_are_all_reported_and_none_recorded() -> None:
    marks = [
        Mark("j1-matin", "awa-diallo", S.PRESENT, Location(file="f.csv", row=2)),
        Mark("j9-matin", "awa-diallo", S.PRESENT, Location(file="f.csv", row=3)),
        Mark("j1-debrief", "awa-diallo", S.PRESENT, Location(file="f.csv", row=4)),
        Mark(
            "j1-matin",
            "someone-else",
            S.PRESENT,
            Location(file="f.csv", row=5, column="22/01 matin"),
        ),
    ]

    with pytest.raises(InputError) as caught:
        _record(AttendanceFile(), marks, file="f.csv")

    assert len(caught.value.details) == 3
    assert caught.value.details[0].startswith("f.csv, ligne 3")
    assert "réunion des formateurs" in caught.value.details[1]
    assert caught.value.details[2].startswith(
        "f.csv, ligne 5, colonne « 22/01 matin »"
    ) or caught.value.details[2].startswith('f.csv, ligne 5, colonne "22/01 matin"')


def test_same_person_with_two_statuses_in_one_batch_is_an_error() -> None:
    with pytest.raises(InputError):
        _record(
            AttendanceFile(),
            [Mark("j1-matin", "awa-diallo", S.PRESENT), Mark("j1-matin", "awa-diallo", S.ABSENT)],
        )


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("22/01 matin", HalfDayLabel(22, 1, None, HalfDay.AM)),
        ("22/01 après-midi", HalfDayLabel(22, 1, None, HalfDay.PM)),
        ("22/01/2015 AM", HalfDayLabel(22, 1, 2015, HalfDay.AM)),
        ("22/01/15 PM", HalfDayLabel(22, 1, 2015, HalfDay.PM)),
        ("2015-01-22 pm", HalfDayLabel(22, 1, 2015, HalfDay.PM)),
        ("5/3 Matin", HalfDayLabel(5, 3, None, HalfDay.AM)),
        ("05/03/2015", HalfDayLabel(5, 3, 2015, None)),
        ("Ville", None),
        ("22/01 soirée dansante", None),
    ],
)
def test_half_day_labels_are_read_in_french_and_english(text, label) -> None:
    assert parse_half_day_label(text) == label


def test_sessions_are_found_by_id_or_date_and_half() -> None:
    lookup = SessionLookup(CONFIG_)

    assert lookup.find("j1-matin").id == "j1-matin"
    assert lookup.find("22/01 après-midi").id == "j1-apres-midi"
    assert lookup.find("05/03/2015").id == "restitution"
    assert lookup.find("2015-02-12 AM").id == "j4-matin"


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("19/03 matin", "en dehors du programme"),
        ("23/01 matin", "aucune demi-journée"),
        ("22/01", "plusieurs demi-journées"),
        ("j1-debrief", "réunion des formateurs"),
        ("lundi", "aucune demi-journée"),
    ],
)
def test_unknown_sessions_say_why(text, fragment) -> None:
    with pytest.raises(InputError) as caught:
        SessionLookup(CONFIG_).find(text)
    assert fragment in caught.value.message


def test_people_are_found_by_id_or_name_ignoring_case_accents_and_order() -> None:
    lookup = PersonLookup(PEOPLE)

    assert lookup.find("joelle-kergoat").id == "joelle-kergoat"
    assert lookup.find("JOELLE kergoat").id == "joelle-kergoat"
    assert lookup.find("Kergoat Joëlle").id == "joelle-kergoat"
    assert lookup.find("Amelie  Bondy").id == "amelie-bondy"


def test_unknown_or_ambiguous_name_lists_candidates() -> None:
    lookup = PersonLookup([*PEOPLE, PEOPLE[0].model_copy(update={"id": "amelie-bis"})])

    with pytest.raises(InputError) as ambiguous:
        lookup.find("amélie aubervilliers")
    with pytest.raises(InputError) as unknown:
        lookup.find("Amélie Poulain")

    assert "amelie-aubervilliers" in ambiguous.value.hint and "amelie-bis" in ambiguous.value.hint
    assert "Amélie Bondy (amelie-bondy" in unknown.value.hint


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("x", S.PRESENT),
        ("P", S.PRESENT),
        ("présent", S.PRESENT),
        ("present", S.PRESENT),
        ("R", S.LATE),
        ("retard", S.LATE),
        ("late", S.LATE),
        ("D", S.LEFT_EARLY),
        ("left_early", S.LEFT_EARLY),
        ("parti plus tôt", S.LEFT_EARLY),
        ("E", S.EXCUSED),
        ("Excusée", S.EXCUSED),
        ("excused", S.EXCUSED),
        ("A", S.ABSENT),
        ("", S.ABSENT),
        ("absent", S.ABSENT),
        ("?", None),
    ],
)
def test_statuses_are_accepted_in_french_english_and_codes(text, status) -> None:
    assert parse_status(text, status_words(CONFIG_)) == status


def test_fold_ignores_case_accents_and_punctuation() -> None:
    assert fold("  Joëlle  KERGOAT-d'Arc ") == "joelle kergoat d arc"


_CODES = st.sampled_from(["x", "X", "P", "A", "E", "R", "D", "", "présent", "retard"])


@settings(max_examples=25, deadline=None)
@given(st.lists(st.lists(_CODES, min_size=9, max_size=9), min_size=1, max_size=len(PEOPLE)))
def test_importing_any_grid_twice_changes_nothing(tmp_path_factory, codes) -> None:
    from tests.fixtures_attendance import GRID_HEADER, write_grid_csv

    from cotrain.domain.attendance import marks_from_entries, parse_status, status_words
    from cotrain.files.attendance_store import render_attendance
    from cotrain.files.importers.signin import read_signin

    people = PEOPLE[: len(codes)]
    rows = [GRID_HEADER, *([p.name, p.city, *row] for p, row in zip(people, codes, strict=True))]
    sheet = read_signin(write_grid_csv(tmp_path_factory.mktemp("g") / "g.csv", rows))

    def once(attendance):
        marks = marks_from_entries(
            sheet.entries, config=CONFIG_, participants=PEOPLE, expected=EXPECTED, file=sheet.file
        )
        return _record(attendance, marks, source=sheet.file)

    first = once(AttendanceFile())
    second = once(first.attendance)

    assert not second.has_changes
    assert render_attendance(second.attendance) == render_attendance(first.attendance)
    words = status_words(CONFIG_)
    marks = first.attendance.marks()
    sessions = [s.id for s in CONFIG_.plan.trainee_sessions]
    for person, row in zip(people, codes, strict=True):
        for session_id, code in zip(sessions, row, strict=True):
            if any(r[sessions.index(session_id)] for r in codes):  # a blank column is skipped
                assert marks[session_id][person.id] == parse_status(code, words)
