"""Mistakes in ``cotrain.toml``: one sentence each, in the user's language, with the real line,
the key, the value, the allowed values and the closest valid one (issue 15); the rules that
span tables (duo composition, declared roles) checked as soon as the file is read; one
definition of each scheduling rule."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from tests.data.programmes.make_applications import write as write_applications

INIT = ["--yes", "--start", "2026-03-02", "--days", "3", "--cities", "5", "--activists", "4"]


@pytest.fixture
def programme(run, tmp_path: Path) -> Path:
    ws = tmp_path / "prog"
    result = run("init", ws, *INIT, "--mixed-groups", "2")
    assert result.exit_code == 0, result.output
    return ws


def _edit(ws: Path, old: str, new: str, *, count: int = 1) -> int:
    """Replace the first ``count`` occurrences of ``old``; the line of the first one."""
    path = ws / "cotrain.toml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new, count), encoding="utf-8")
    return line


def test_mistyped_key_names_its_line_and_the_closest_key(run, programme: Path) -> None:
    line = _edit(programme, "mixed_groups = 2", "mixed_group = 2")

    result = run("-w", programme, "check")

    assert result.exit_code == 1
    expected = (
        f"plan.rules.mixed_group (ligne {line}) : "
        "`mixed_group` : clé inconnue ; vouliez-vous dire `mixed_groups` ?"
    )
    assert expected in result.output
    assert result.output.count("mixed_group`") == 1
    assert "Traceback" not in result.output


def test_mistyped_value_is_reported_once_at_its_line(run, programme: Path) -> None:
    text = (programme / "cotrain.toml").read_text(encoding="utf-8")
    fourth = [n for n, row in enumerate(text.splitlines(), 1) if row.startswith("kind = ")]
    lines = text.splitlines()
    target = next(n for n in fourth if lines[n - 1] == 'kind = "mixed_groups"')
    lines[target - 1] = 'kind = "mixed"'
    (programme / "cotrain.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")

    result = run("-w", programme, "check")

    assert result.exit_code == 1
    assert f"(ligne {target}) : `kind` : « mixed » n'est pas une valeur possible" in result.output
    assert "vouliez-vous dire « mixed_groups » ?" in result.output
    assert "plenary, peer_groups, mixed_groups" in result.output
    assert result.output.count("« mixed »") == 1


def test_mistyped_number_in_english_names_the_line(run, programme: Path) -> None:
    line = _edit(programme, "min_activists_per_group = 2", 'min_activists_per_group = "two"')

    result = run("-w", programme, "check", "--lang", "en")

    assert result.exit_code == 1
    assert f"plan.rules.min_activists_per_group (line {line}): " in result.output
    assert '"two" is not a number.' in result.output


def test_duo_of_two_professional_trainers_fails_when_the_file_is_read(run, programme: Path) -> None:
    line = _edit(
        programme,
        'trainers = ["formateur-1", "co-formateur-1"]',
        'trainers = ["formateur-1", "formateur-2"]',
    )
    _edit(
        programme,
        'trainers = ["formateur-2", "co-formateur-2"]',
        'trainers = ["co-formateur-1", "co-formateur-2"]',
    )

    result = run("-w", programme, "trainers")

    assert result.exit_code == 1
    assert f"duos[1].trainers (ligne {line}) : le binôme « duo-1 »" in result.output
    assert "professional_trainer + professional_trainer" in result.output


def test_unknown_role_in_peer_worlds_suggests_the_declared_one(run, programme: Path) -> None:
    line = _edit(programme, '["elected"]', '["elcted"]')

    result = run("-w", programme, "check")

    assert result.exit_code == 1
    assert f"plan.rules.peer_worlds[2] (ligne {line}) : le rôle « elcted »" in result.output
    assert "vouliez-vous dire « elected » ?" in result.output


def _scheduled(run, ws: Path, cities: int = 6) -> None:
    write_applications(ws, cities, ws / "candidatures.csv")
    for args in (("import", ws / "candidatures.csv"), ("select",), ("schedule",)):
        result = run("-w", ws, *args)
        assert result.exit_code == 0, result.output


def test_no_peer_half_day_fails_schedule_check_and_doctor(run, programme: Path) -> None:
    _scheduled(run, programme)
    _edit(programme, 'kind = "peer_groups"', 'kind = "plenary"', count=2)

    checked = run("-w", programme, "schedule", "check")
    doctor = run("-w", programme, "doctor")

    assert checked.exit_code == 1
    assert "aucune demi-journée entre pairs" in checked.output
    assert "le planning ne respecte plus cotrain.toml" in doctor.output


def test_doctor_says_when_mixed_group_count_changed(run, programme: Path) -> None:
    _scheduled(run, programme)
    assert "le planning ne respecte plus" not in run("-w", programme, "doctor").output
    _edit(programme, "mixed_groups = 2", "mixed_groups = 1")

    result = run("-w", programme, "doctor")

    assert "le planning ne respecte plus cotrain.toml" in result.output
    assert "groupe" in result.output


def test_peer_group_builder_keeps_apart_pairs_of_one_world(run, tmp_path: Path) -> None:
    programme = tmp_path / "split"
    assert run("init", programme, *INIT, "--peer-group-cap", "4").exit_code == 0
    _scheduled(run, programme)
    schedule = tomllib.loads((programme / "schedule.toml").read_text(encoding="utf-8"))
    # A world split in several peer groups (ids end in -1, -2...): the pair can be kept apart.
    peer = next(g for g in schedule["sessions"][0]["groups"] if g["id"][-1].isdigit())
    first, second = peer["members"][:2]
    _edit(programme, "keep_apart = []", f'keep_apart = [["{first}", "{second}"]]')

    again = run("-w", programme, "schedule")
    checked = run("-w", programme, "schedule", "check")

    assert again.exit_code == 0, again.output
    assert checked.exit_code == 0, checked.output
    config = tomllib.loads((programme / "cotrain.toml").read_text(encoding="utf-8"))
    kinds = {s["id"]: s["kind"] for s in config["plan"]["sessions"]}
    schedule = tomllib.loads((programme / "schedule.toml").read_text(encoding="utf-8"))
    led = [
        s
        for s in schedule["sessions"]
        if kinds[s["session_id"]] in ("peer_groups", "mixed_groups", "pairs")
    ]
    assert led
    for session in led:
        for group in session["groups"]:
            assert not {first, second} <= set(group["members"]), (
                session["session_id"],
                group["id"],
            )
