"""``cotrain doctor``: broken files, broken references, loose permissions, leftovers."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from fixtures_integrity import write_programme


@pytest.fixture
def programme(example_ws: Path) -> Path:
    os.chmod(example_ws, 0o700)
    os.chmod(example_ws / "cotrain.toml", 0o600)
    for extra in example_ws.iterdir():
        if extra.is_file():
            os.chmod(extra, 0o600)
    write_programme(example_ws)
    (example_ws / "surveys.toml").write_text("schema = 1\n", encoding="utf-8")
    os.chmod(example_ws / "surveys.toml", 0o600)
    return example_ws


def findings(run, ws: Path, *args: str) -> tuple[int, list[dict]]:
    result = run("doctor", "--json", "-w", ws, *args)
    data = json.loads(result.stdout)
    assert data["ok"] is (result.exit_code == 0)
    return result.exit_code, data["findings"]


def codes(items: list[dict]) -> list[tuple[str, str, dict]]:
    return [(f["code"], f["file"], f["params"]) for f in items]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_consistent_programme_has_no_finding(run, programme: Path) -> None:
    result = run("doctor", "-w", programme)

    assert result.exit_code == 0, result.output
    assert result.stdout == f"Aucun problème : {programme} est cohérent.\n"


def test_selection_of_a_city_that_never_applied_is_an_error(run, programme: Path) -> None:
    with (programme / "selection.toml").open("a", encoding="utf-8") as handle:
        handle.write('\n[[decisions]]\ncity_id = "pantin"\ndecision = "waitlisted"\n')

    code, found = findings(run, programme)

    assert code == 1
    assert codes(found) == [("unknown_city", "selection.toml", {"city": "pantin"})]


def test_schedule_with_unknown_session_person_and_trainer_is_reported(run, programme: Path) -> None:
    path = programme / "schedule.toml"
    edit(path, 'session_id = "j2-matin"', 'session_id = "j9-matin"')
    edit(path, '"helene-marchand-roux"', '"inconnu-formateur"')
    edit(path, '"gerard-dupont-moreau"', '"personne-inconnue"')

    code, found = findings(run, programme)

    assert code == 1
    assert codes(found) == [
        (
            "unknown_participant",
            "schedule.toml",
            {"session": "j1-matin", "person": "personne-inconnue"},
        ),
        (
            "unknown_trainer",
            "schedule.toml",
            {"session": "j1-matin", "trainer": "inconnu-formateur"},
        ),
        ("unknown_session", "schedule.toml", {"session": "j9-matin"}),
        (
            "unexpected_person",
            "attendance.toml",
            {"session": "j1-matin", "person": "gerard-dupont-moreau"},
        ),
        ("unscheduled_session", "attendance.toml", {"session": "j2-matin"}),
        ("unscheduled_correction", "attendance.toml", {"session": "j2-matin"}),
    ]


def test_attendance_of_someone_not_expected_is_reported(run, programme: Path) -> None:
    path = programme / "schedule.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('    "zoe-martin-ndiaye",\n', ""), encoding="utf-8")

    code, found = findings(run, programme)

    assert code == 1
    assert codes(found) == [
        (
            "unexpected_person",
            "attendance.toml",
            {"session": "j1-matin", "person": "zoe-martin-ndiaye"},
        ),
        (
            "unexpected_person",
            "attendance.toml",
            {"session": "j2-matin", "person": "zoe-martin-ndiaye"},
        ),
    ]


def test_config_references_unknown_session_trainer_and_person(run, programme: Path) -> None:
    path = programme / "cotrain.toml"
    edit(path, 'unavailable = ["j3-apres-midi"]', 'unavailable = ["j7-soir"]')
    edit(path, "keep_apart = []", 'keep_apart = [["awa-diallo", "quelqu-un"]]')

    code, found = findings(run, programme)

    assert code == 1
    assert codes(found) == [
        (
            "unknown_unavailable_session",
            "cotrain.toml",
            {"trainer": "ginette-poulain", "session": "j7-soir"},
        ),
        ("unknown_keep_apart", "cotrain.toml", {"person": "quelqu-un"}),
    ]


def test_file_that_does_not_parse_is_named_with_its_line_and_left_untouched(
    run, programme: Path
) -> None:
    path = programme / "schedule.toml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[5] = "seed = = 3\n"
    path.write_text("".join(lines), encoding="utf-8")
    before = path.read_bytes()

    code, found = findings(run, programme, "--fix")

    assert code == 1
    assert [(f["code"], f["file"]) for f in found] == [("file_invalid", "schedule.toml")]
    assert f"{path}, ligne 6" in found[0]["message"]
    assert path.read_bytes() == before


def test_file_that_does_not_validate_names_the_key(run, programme: Path) -> None:
    edit(programme / "applications.toml", "committed = true", 'committed = "peut-être"')

    result = run("doctor", "-w", programme)

    assert result.exit_code == 1
    assert "applications.toml" in result.stdout
    assert "applications[1].people[1].committed" in result.stdout


def test_file_from_a_newer_version_is_refused_with_a_clear_message(run, programme: Path) -> None:
    edit(programme / "selection.toml", "schema = 1", "schema = 99")

    code, found = findings(run, programme)

    assert code == 1
    assert [(f["code"], f["file"]) for f in found] == [("file_invalid", "selection.toml")]
    assert "99" in found[0]["message"]


def test_broken_cotrain_toml_is_reported_not_crashed_on(run, programme: Path) -> None:
    edit(programme / "cotrain.toml", "[programme]", "[programme")

    code, found = findings(run, programme)

    assert code == 1
    assert [(f["code"], f["file"]) for f in found] == [("file_invalid", "cotrain.toml")]


def test_loose_permissions_and_leftover_temp_files_are_found_then_mended(
    run, programme: Path
) -> None:
    os.chmod(programme / "attendance.toml", 0o644)
    os.chmod(programme, 0o755)
    leftover = programme / ".attendance.toml.k2j3.tmp"
    leftover.write_text("schema = 1\n[[sess")

    code, found = findings(run, programme)
    assert code == 1
    assert sorted((f["code"], f["file"], f["severity"]) for f in found) == [
        ("permissions", str(programme), "error"),
        ("permissions", "attendance.toml", "error"),
        ("temp_leftover", ".attendance.toml.k2j3.tmp", "warning"),
    ]

    result = run("doctor", "--fix", "-w", programme)

    assert result.exit_code == 0, result.output
    assert not leftover.exists()
    assert stat.S_IMODE((programme / "attendance.toml").stat().st_mode) == 0o600
    assert stat.S_IMODE(programme.stat().st_mode) == 0o700
    assert run("doctor", "-w", programme).exit_code == 0


def test_leftover_temp_file_alone_is_only_a_warning(run, programme: Path) -> None:
    (programme / ".schedule.toml.x.tmp").write_text("")

    result = run("doctor", "-w", programme, "--lang", "en")

    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == (
        "WARNING .schedule.toml.x.tmp: temporary file abandoned by an interrupted command"
        " (.schedule.toml.x.tmp)."
    )


def test_doctor_reads_every_registered_kind_of_file(run, programme: Path) -> None:
    (programme / "attendance.toml").write_text("schema = 1\nsessions = 3\n", encoding="utf-8")

    code, found = findings(run, programme)

    assert code == 1
    assert [(f["code"], f["file"]) for f in found] == [("file_invalid", "attendance.toml")]


def test_duo_notes_and_survey_answers_must_name_declared_things(run, programme: Path) -> None:
    notes = programme / "duo_notes.toml"
    assert notes.exists()
    edit(notes, 'duo = "duo-1"', 'duo = "duo-99"')
    with (programme / "surveys.toml").open("a", encoding="utf-8") as handle:
        handle.write('\n[[surveys]]\nsurvey_id = "sondage-fantome"\n')

    code, found = findings(run, programme)

    assert code == 1
    assert codes(found) == [
        ("unknown_survey", "surveys.toml", {"survey": "sondage-fantome"}),
        ("unknown_duo", "duo_notes.toml", {"duo": "duo-99"}),
    ]


def test_a_file_in_an_older_format_is_converted_on_read_and_only_warned_about(
    run, programme: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pydantic import BaseModel, ConfigDict, Field

    from cotrain.files.store import FileSpec
    from cotrain.files.workspace import FILES

    class Legacy(BaseModel):
        model_config = ConfigDict(extra="forbid", populate_by_name=True)
        schema_: int = Field(default=2, alias="schema")
        label: str = ""

    def rename_title(data: dict) -> dict:
        data["label"] = data.pop("title", "")
        return data

    monkeypatch.setitem(
        FILES, "legacy.toml", FileSpec("legacy.toml", Legacy, 2, "", {1: rename_title})
    )
    path = programme / "legacy.toml"
    path.write_text('schema = 1\ntitle = "ancien"\n', encoding="utf-8")
    os.chmod(path, 0o600)

    code, found = findings(run, programme)

    assert code == 0
    assert [(f["code"], f["file"], f["severity"]) for f in found] == [
        ("file_old_schema", "legacy.toml", "warning")
    ]
    assert "1" in found[0]["message"] and "2" in found[0]["message"]
    assert path.read_text(encoding="utf-8") == 'schema = 1\ntitle = "ancien"\n'


def test_an_old_parse_cache_is_reported_and_removed_by_fix(run, programme: Path) -> None:
    assert run("doctor", "-w", programme).exit_code == 0
    cache = programme / ".cotrain-cache"
    assert not cache.exists()  # reading writes no copy (issue 13)
    cache.mkdir(mode=0o700)
    (cache / "applications.toml.json").write_text("Awa Diallo")
    (cache / "applications.toml.json").chmod(0o600)

    code, found = findings(run, programme)

    assert code == 0
    assert [(f["code"], f["file"]) for f in found] == [("cache_leftover", ".cotrain-cache")]
    assert run("doctor", "--fix", "-w", programme).exit_code == 0
    assert not cache.exists()
