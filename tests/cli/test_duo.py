"""``cotrain duo note`` and ``cotrain duo report``."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

from cotrain.domain.models import Group, ScheduledSession, ScheduleFile
from cotrain.files.store import save_model


def _notes(ws: Path) -> list[dict]:
    return tomllib.loads((ws / "duo_notes.toml").read_text(encoding="utf-8"))["notes"]


def test_note_is_recorded_then_replaced_on_the_same_half_day(run, example_ws) -> None:
    (example_ws / "duo_notes.toml").unlink()
    first = run(
        "duo",
        "note",
        "duo-2",
        "j1-matin",
        "--text",
        "Démarrage lent",
        "--cohosting",
        "3",
        "-w",
        example_ws,
    )
    second = run(
        "duo",
        "note",
        "duo-2",
        "j1-matin",
        "--text",
        "Démarrage lent mais confiant",
        "--cohosting",
        "4",
        "--spoke",
        "Les élus surtout",
        "--change",
        "Tour de parole plus court",
        "-w",
        example_ws,
    )

    assert (first.exit_code, second.exit_code) == (0, 0)
    assert second.output.strip() == "Note remplacée : duo-2, j1-matin."
    notes = _notes(example_ws)
    assert len(notes) == 1
    assert {k: notes[0][k] for k in ("duo", "session", "text", "cohosting", "spoke", "change")} == {
        "duo": "duo-2",
        "session": "j1-matin",
        "text": "Démarrage lent mais confiant",
        "cohosting": 4,
        "spoke": "Les élus surtout",
        "change": "Tour de parole plus court",
    }


def test_note_refuses_unknown_duo_or_session_and_bad_score(run, example_ws) -> None:
    unknown_duo = run("duo", "note", "duo-9", "j1-matin", "--text", "x", "-w", example_ws)
    unknown_session = run("duo", "note", "duo-1", "j9", "--text", "x", "-w", example_ws)
    bad_score = run("duo", "note", "duo-1", "j1-matin", "--cohosting", "6", "-w", example_ws)
    empty = run("duo", "note", "duo-1", "j1-matin", "-w", example_ws)

    assert unknown_duo.exit_code == 2
    assert "binôme inconnu : « duo-9 »" in unknown_duo.output
    assert "binômes connus : duo-1, duo-2, duo-3, duo-4, duo-5." in unknown_duo.output
    assert unknown_session.exit_code == 2
    assert (bad_score.exit_code, empty.exit_code) == (2, 1)


def test_report_counts_half_days_and_groups_led_from_the_schedule(run, example_ws) -> None:
    duo1 = ["helene-marchand-roux", "marie-josee-carpentier"]
    duo2 = ["jean-baptiste-ndiaye", "rachid-el-amrani"]
    everyone = [tr for tr in duo1 + duo2]
    schedule = ScheduleFile(
        sessions=[
            ScheduledSession(
                session_id="j1-matin",
                groups=[Group(id="a", trainers=duo1), Group(id="b", trainers=duo2)],
            ),
            ScheduledSession(
                session_id="j1-apres-midi",
                groups=[Group(id="g1", trainers=duo1), Group(id="g2", trainers=duo1)],
            ),
            ScheduledSession(session_id="j1-debrief", groups=[Group(id="t", trainers=everyone)]),
            ScheduledSession(session_id="restitution", groups=[Group(id="all", trainers=everyone)]),
        ]
    )
    save_model(example_ws / "schedule.toml", schedule)

    result = run("duo", "report", "--json", "-w", example_ws)

    data = {d["duo"]: d for d in json.loads(result.output)}
    assert (data["duo-1"]["half_days"], data["duo-1"]["groups"]) == (2, 3)
    assert data["duo-1"]["sessions"] == ["j1-matin", "j1-apres-midi"]
    assert (data["duo-2"]["half_days"], data["duo-2"]["groups"]) == (1, 1)
    assert data["duo-1"]["cohosting_mean"] == 4.33  # shipped notes: 4, 5, 4


def test_report_gives_the_satisfaction_of_the_groups_led(run, pipeline_ws) -> None:
    result = run("duo", "report", "--json", "-w", pipeline_ws)

    data = {d["duo"]: d for d in json.loads(result.output)}
    # fin-de-journee-4.csv: 9 answers name each of duo-1, duo-4 and duo-5; none name duo-2 or duo-3.
    assert [
        data[d]["satisfaction_answers"] for d in ("duo-1", "duo-2", "duo-3", "duo-4", "duo-5")
    ] == [9, 0, 0, 9, 9]
    assert data["duo-2"]["satisfaction"] is None


def test_report_for_one_duo_lists_its_notes(run, pipeline_ws) -> None:
    result = run("duo", "report", "duo-4", "-w", pipeline_ws)

    assert result.exit_code == 0, result.output
    assert "Se répartir les consignes à l'avance, par écrit." in result.output
    assert "duo-1" not in result.output
