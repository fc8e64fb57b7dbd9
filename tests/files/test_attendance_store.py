"""attendance.toml on disk: one id per line in literal strings, read back exactly, arrays too."""

from __future__ import annotations

import tomllib
from datetime import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from cotrain.domain.attendance import AttendanceFile, Correction, SessionMarks
from cotrain.enums import AttendanceStatus as S
from cotrain.files.attendance_store import ATTENDANCE, render_attendance
from cotrain.files.store import load_model

AT = datetime(2015, 1, 22, 18, 0)


def test_status_lists_are_one_id_per_line(tmp_path) -> None:
    attendance = AttendanceFile(
        sessions=[
            SessionMarks(
                session_id="j1-matin",
                present=["a-b", "c-d"],
                late=["e"],
                updated_at=AT,
                source="emargement.csv",
            )
        ],
        corrections=[
            Correction(
                at=AT,
                session_id="j1-matin",
                person_id="e",
                previous=S.ABSENT,
                status=S.LATE,
                reason="« retard » noté",
            )
        ],
    )

    text = render_attendance(attendance)

    assert "present = '''\na-b\nc-d\n'''" in text
    assert tomllib.loads(text)["corrections"][0]["reason"] == "« retard » noté"
    path = tmp_path / "attendance.toml"
    path.write_text(text)
    assert load_model(path, ATTENDANCE) == attendance


def test_hand_written_arrays_and_odd_ids_are_read(tmp_path) -> None:
    path = tmp_path / "attendance.toml"
    path.write_text('schema = 1\n[[sessions]]\nsession_id = "j1-matin"\npresent = ["x", "y"]\n')
    odd = AttendanceFile(sessions=[SessionMarks(session_id="s", absent=["o'brien", "a b"])])

    assert load_model(path, ATTENDANCE).marks() == {"j1-matin": {"x": S.PRESENT, "y": S.PRESENT}}
    path.write_text(render_attendance(odd))
    assert load_model(path, ATTENDANCE) == odd


_ID = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-'é ", min_size=1, max_size=12).filter(
    lambda s: s.strip() == s and s
)


@settings(max_examples=50, deadline=None)
@given(st.dictionaries(_ID, st.sampled_from(list(S)), max_size=20))
def test_any_marks_round_trip(tmp_path_factory, marks) -> None:
    lists = {s.value: sorted(pid for pid, status in marks.items() if status == s) for s in S}
    attendance = AttendanceFile(sessions=[SessionMarks(session_id="j1-matin", **lists)])
    path = tmp_path_factory.mktemp("rt") / "attendance.toml"

    path.write_text(render_attendance(attendance))

    assert load_model(path, ATTENDANCE) == attendance
