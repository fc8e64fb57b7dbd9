"""Arrival and departure times, the hours they prove, and half-days not begun (issue 11)."""

from __future__ import annotations

from datetime import datetime, time
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.fixtures_attendance import EXAMPLE_CONFIG, applications, schedule, selection

from cotrain.domain.attendance import (
    AttendanceFile,
    Mark,
    SessionMarks,
    attended_minutes_by_person,
    hours_attended,
    minutes_attended,
    parse_clock,
    record_marks,
    status_from_times,
)
from cotrain.domain.participants import list_participants
from cotrain.domain.rates import certificate_figures, participation
from cotrain.enums import AttendanceStatus as S
from cotrain.errors import InputError
from cotrain.files.attendance_store import render_attendance
from cotrain.files.store import load_model
from cotrain.files.workspace import CONFIG

CONFIG_ = load_model(EXAMPLE_CONFIG, CONFIG)
PEOPLE = list_participants(CONFIG_, applications(), selection())
SCHEDULE = schedule(CONFIG_, [p.id for p in PEOPLE])
EXPECTED = SCHEDULE.expected()
J1 = CONFIG_.plan.session("j1-matin")  # 09:30-12:30, 180 minutes
AFTER = datetime(2015, 3, 5, 18, 0)


def _record(marks, *, attendance=None, now=AFTER, **kwargs):
    return record_marks(
        attendance or AttendanceFile(),
        marks,
        config=CONFIG_,
        expected=EXPECTED,
        now=now,
        **kwargs,
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("09:40", time(9, 40)),
        ("9h40", time(9, 40)),
        ("9 h 40", time(9, 40)),
        ("9h", time(9, 0)),
        ("09.40", time(9, 40)),
        ("09:40:12", time(9, 40, 12)),
        ("25", None),
        ("9:4", None),
        ("24:00", None),
        ("midi", None),
    ],
)
def test_parse_clock_reads_the_usual_spellings(text, expected) -> None:
    assert parse_clock(text) == expected


def test_late_arrival_earns_the_minutes_from_arrival_to_end() -> None:
    assert minutes_attended(CONFIG_, J1, S.LATE, arrived=time(9, 55)) == 155
    assert hours_attended(CONFIG_, J1, S.LATE, arrived=time(10, 30)) == Decimal(2)


def test_early_departure_earns_the_minutes_from_start_to_departure() -> None:
    assert minutes_attended(CONFIG_, J1, S.LEFT_EARLY, left=time(11, 50)) == 140


def test_times_outside_the_timetable_are_clipped_to_it() -> None:
    assert minutes_attended(CONFIG_, J1, S.PRESENT, arrived=time(9, 0), left=time(13, 0)) == 180


def test_untimed_late_mark_earns_the_configured_share_never_the_whole() -> None:
    assert minutes_attended(CONFIG_, J1, S.LATE) == 90
    assert minutes_attended(CONFIG_, J1, S.LEFT_EARLY, arrived=time(9, 30)) == 90


def test_absences_earn_nothing() -> None:
    for status in (S.ABSENT, S.EXCUSED, None):
        assert minutes_attended(CONFIG_, J1, status) == 0


def test_status_from_times_says_late_or_left_early() -> None:
    assert status_from_times(CONFIG_, J1, arrived=time(9, 45), left=None) == S.LATE
    assert status_from_times(CONFIG_, J1, arrived=time(9, 20), left=time(12, 0)) == S.LEFT_EARLY
    assert status_from_times(CONFIG_, J1, arrived=time(9, 30), left=None) == S.PRESENT


def test_times_are_stored_and_read_back_from_the_toml_text() -> None:
    result = _record(
        [
            Mark("j1-matin", "awa-diallo", S.LATE, arrived=time(9, 55)),
            Mark("j1-matin", "amelie-bondy", S.LEFT_EARLY, left=time(11, 50)),
            Mark("j1-matin", "bruno-bondy", S.PRESENT),
        ]
    )
    text = render_attendance(result.attendance)
    import tomllib

    again = AttendanceFile.model_validate(tomllib.loads(text))

    assert "arrived = '''\nawa-diallo 09:55\n'''" in text
    assert again == result.attendance
    assert attended_minutes_by_person(CONFIG_, again) == {
        "amelie-bondy": {"j1-matin": 140},
        "awa-diallo": {"j1-matin": 155},
        "bruno-bondy": {"j1-matin": 180},
    }


def test_a_half_day_not_begun_is_refused_and_nothing_recorded() -> None:
    before = datetime(2015, 1, 29, 9, 29)
    with pytest.raises(InputError) as caught:
        _record(
            [Mark("j1-matin", "awa-diallo", S.PRESENT), Mark("j2-matin", "awa-diallo", S.PRESENT)],
            now=before,
        )
    assert caught.value.message.startswith(  # one mark on the command line: the error itself
        "la demi-journée « j2-matin » commence le 29/01/2015 à 9\u00a0h\u00a030 : "
        "on n'émarge pas une séance qui n'a pas commencé (il est 9\u00a0h\u00a029 le 29/01/2015"
    )  # the time it went by (COTRAIN_NOW or the computer's clock), and what to check
    started = _record([Mark("j2-matin", "awa-diallo", S.PRESENT)], now=datetime(2015, 1, 29, 9, 30))
    assert started.added == 1


def test_a_departure_time_not_yet_come_is_refused() -> None:
    with pytest.raises(InputError):
        _record(
            [Mark("j1-matin", "awa-diallo", S.LEFT_EARLY, left=time(12, 0))],
            now=datetime(2015, 1, 22, 11, 0),
        )


def test_impossible_times_are_refused() -> None:
    bad = [
        Mark("j1-matin", "awa-diallo", S.ABSENT, arrived=time(10, 0)),
        Mark("j1-matin", "amelie-bondy", S.LATE, arrived=time(12, 45)),
        Mark("j1-matin", "bruno-bondy", S.LEFT_EARLY, left=time(9, 0)),
        Mark("j1-matin", "chloe-bondy", S.LATE, arrived=time(11, 0), left=time(10, 0)),
    ]
    with pytest.raises(InputError) as caught:
        _record(bad)
    assert len(caught.value.details) == 4


def test_changing_a_time_keeps_the_previous_one_in_the_history() -> None:
    first = _record([Mark("j1-matin", "awa-diallo", S.LATE, arrived=time(9, 55))]).attendance
    second = _record(
        [Mark("j1-matin", "awa-diallo", S.LATE, arrived=time(10, 15))],
        attendance=first,
        reason="heure relue sur la feuille",
    )
    assert second.changed == 1
    [correction] = second.attendance.corrections
    assert (correction.previous_arrived, correction.arrived) == (time(9, 55), time(10, 15))
    assert correction.reason == "heure relue sur la feuille"
    again = _record(
        [Mark("j1-matin", "awa-diallo", S.LATE, arrived=time(10, 15))], attendance=second.attendance
    )
    assert not again.has_changes


def test_a_time_without_an_attended_status_is_not_a_valid_file() -> None:
    with pytest.raises(ValueError):
        SessionMarks(session_id="j1-matin", absent=["awa-diallo"], arrived={"awa-diallo": time(10)})


def test_certificate_and_report_hours_count_only_the_time_present() -> None:
    attendance = _record(
        [Mark("j1-matin", p.id, S.PRESENT) for p in PEOPLE if p.id != "awa-diallo"]
        + [Mark("j1-matin", "awa-diallo", S.LATE, arrived=time(10, 30))]
    ).attendance
    report = participation(CONFIG_, PEOPLE, SCHEDULE, attendance)
    figures = {c.participant.id: c for c in certificate_figures(report)}

    assert figures["awa-diallo"].hours == Decimal(2)
    assert figures["amelie-bondy"].hours == Decimal(3)
    assert report.total("all").minutes == 180 * (len(PEOPLE) - 1) + 120
    assert report.total("all").rate is not None  # the rate keeps its configured weights
    assert report.total("all").attended == len(PEOPLE)


@settings(max_examples=40, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from([p.id for p in PEOPLE]),
        st.tuples(
            st.times(min_value=time(9, 31), max_value=time(10, 59)).map(
                lambda v: v.replace(microsecond=0)
            ),
            st.one_of(st.none(), st.times(min_value=time(11), max_value=time(12, 29))).map(
                lambda v: v.replace(microsecond=0) if v else None
            ),
        ),
        max_size=8,
    )
)
def test_times_round_trip_through_the_toml_text_and_never_exceed_the_half_day(times) -> None:
    import tomllib

    marks = [
        Mark("j1-matin", pid, S.LATE, arrived=came, left=went)
        for pid, (came, went) in times.items()
    ]
    attendance = _record(marks).attendance if marks else AttendanceFile()

    again = AttendanceFile.model_validate(tomllib.loads(render_attendance(attendance)))

    assert again == attendance
    for minutes in attended_minutes_by_person(CONFIG_, again).values():
        assert 0 <= minutes["j1-matin"] < 180
