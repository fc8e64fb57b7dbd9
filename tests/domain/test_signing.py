"""The signature log: hash chain, strokes, and the marks a sheet gives (issue 14)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from cotrain.domain.signing import (
    GENESIS,
    RecordKind,
    Roster,
    SheetMark,
    SignatureLog,
    Timing,
    append_record,
    check_event,
    decode_strokes,
    encode_strokes,
    sheet_marks,
    sheet_state,
    verify_log,
)
from cotrain.enums import AttendanceStatus
from cotrain.errors import InputError

DAY = date(2015, 1, 22)
TIMING = Timing(DAY, time(9, 30), time(12, 30))
ROSTER = Roster({"g1": ([("tr", "Trainer")], [("awa", "Awa"), ("joe", "Joe"), ("ana", "Ana")])})
STROKE = [[[10, 10], [20, 30], [40, 12], [60, 40]]]


def at(hour: int, minute: int) -> datetime:
    return datetime.combine(DAY, time(hour, minute))


def signed_log() -> SignatureLog:
    log = SignatureLog()
    strokes, w, h = encode_strokes(STROKE, 300, 150)
    common = {"session_id": "j1", "group_id": "g1", "strokes": strokes, "width": w, "height": h}
    log, _ = append_record(log, at=at(9, 20), kind=RecordKind.ARRIVE, person_id="awa", **common)
    log, _ = append_record(log, at=at(9, 47), kind=RecordKind.ARRIVE, person_id="joe", **common)
    log, _ = append_record(log, at=at(11, 50), kind=RecordKind.LEAVE, person_id="awa", **common)
    return log


def test_records_are_chained_and_verify_clean() -> None:
    log = signed_log()

    assert [r.seq for r in log.records] == [1, 2, 3]
    assert log.records[0].prev == GENESIS
    assert [r.prev for r in log.records[1:]] == [r.hash for r in log.records[:-1]]
    assert verify_log(log) == []


def test_verify_names_a_changed_record() -> None:
    log = signed_log()
    altered = log.records[1].model_copy(update={"at": at(9, 25)})
    log = log.model_copy(update={"records": [log.records[0], altered, log.records[2]]})

    assert [(p.position, p.code) for p in verify_log(log)] == [(2, "changed")]


def test_verify_names_a_removed_record() -> None:
    log = signed_log()
    log = log.model_copy(update={"records": [log.records[0], log.records[2]]})

    assert [(p.position, p.code) for p in verify_log(log)] == [(2, "broken_link"), (2, "bad_seq")]


def test_strokes_are_integers_simplified_and_clamped() -> None:
    text, w, h = encode_strokes([[[0.4, 0.4], [5, 5], [10, 10], [500, 10]]], 300, 150.6)

    assert (text, w, h) == ("0,0 10,10 300,10", 300, 150)
    assert decode_strokes(text) == [[(0, 0), (10, 10), (300, 10)]]


@pytest.mark.parametrize(
    "strokes",
    [[], [[]], [[[1, 1]]], "x", [[[1, "a"]]], [[[1, 2, 3]]], [[[1, 1], [2, 2]]] * 61],
)
def test_bad_or_empty_signatures_are_refused(strokes: object) -> None:
    with pytest.raises(InputError):
        encode_strokes(strokes, 300, 150)


def test_sheet_gives_present_late_left_early_and_absent() -> None:
    log = signed_log()
    state = sheet_state(log, "j1", ROSTER)

    marks, unmarked = sheet_marks(state, TIMING, expected={"awa", "joe", "ana"})

    assert marks == {
        "awa": SheetMark(AttendanceStatus.LEFT_EARLY, time(9, 20), time(11, 50)),
        "joe": SheetMark(AttendanceStatus.LATE, time(9, 47)),
        "ana": SheetMark(AttendanceStatus.ABSENT),
    }
    assert unmarked == []


def test_late_wins_over_left_early_and_both_times_are_kept() -> None:
    log = signed_log()
    strokes, w, h = encode_strokes(STROKE, 300, 150)
    log, _ = append_record(
        log, at=at(12, 0), session_id="j1", group_id="g1", kind=RecordKind.LEAVE,
        person_id="joe", strokes=strokes, width=w, height=h,
    )

    marks, _ = sheet_marks(sheet_state(log, "j1", ROSTER), TIMING, expected={"joe"})

    assert marks["joe"] == SheetMark(AttendanceStatus.LATE, time(9, 47), time(12, 0))


def test_grace_keeps_a_few_minutes_on_time() -> None:
    state = sheet_state(signed_log(), "j1", ROSTER)
    lenient = Timing(DAY, time(9, 30), time(12, 30), timedelta(minutes=20))

    marks, _ = sheet_marks(state, lenient, expected={"joe"})

    assert marks["joe"].status == AttendanceStatus.PRESENT


def test_signing_twice_is_refused_until_corrected() -> None:
    log = signed_log()
    state = sheet_state(log, "j1", ROSTER)
    with pytest.raises(InputError):
        check_event(state, kind=RecordKind.ARRIVE, group_id="g1", person_id="joe")

    log, _ = append_record(
        log, at=at(10, 0), session_id="j1", kind=RecordKind.CORRECT, replaces=2, reason="wrong"
    )
    state = sheet_state(log, "j1", ROSTER)

    assert check_event(state, kind=RecordKind.ARRIVE, group_id="g1", person_id="joe") is not None
    assert [r.seq for r in state.person("g1", "joe").history] == [2]


def test_a_closed_sheet_takes_nothing() -> None:
    log, _ = append_record(signed_log(), at=at(12, 30), session_id="j1", kind=RecordKind.CLOSE)
    state = sheet_state(log, "j1", ROSTER)

    with pytest.raises(InputError):
        check_event(state, kind=RecordKind.ARRIVE, group_id="g1", person_id="ana")


def test_manager_marks_and_walk_ins() -> None:
    log = signed_log()
    log, _ = append_record(
        log, at=at(10, 0), session_id="j1", group_id="g1", kind=RecordKind.MARK,
        person_id="ana", status="excused",
    )
    log, _ = append_record(
        log, at=at(10, 5), session_id="j1", group_id="g1", kind=RecordKind.WALK_IN,
        person_id="guest-1", name="Visiting Mayor", signer="guest",
    )
    state = sheet_state(log, "j1", ROSTER)

    marks, unmarked = sheet_marks(state, TIMING, expected={"awa", "joe", "ana"})

    assert marks["ana"] == SheetMark(AttendanceStatus.EXCUSED)
    assert [p.name for p in unmarked] == ["Visiting Mayor"]
