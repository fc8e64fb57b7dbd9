"""``cotrain purge``: personal data gone everywhere, statistics unchanged, safe to run."""

from __future__ import annotations

import json
import os
import re
import tomllib
from datetime import date
from pathlib import Path

import pytest

from cotrain.domain.participants import list_participants
from cotrain.domain.rates import participation
from cotrain.domain.surveys import Response, SurveyAnswers, SurveysFile
from cotrain.enums import Role
from cotrain.files.attendance_store import ATTENDANCE
from cotrain.files.evaluation_store import SURVEYS
from cotrain.files.workspace import APPLICATIONS, SCHEDULE, SELECTION, Workspace
from fixtures_integrity import CITIES, applications, write_programme

VIEWS = ("city", "role", "session", "day")


@pytest.fixture
def programme(example_ws: Path) -> Path:
    os.chmod(example_ws, 0o700)
    for path in example_ws.iterdir():
        os.chmod(path, 0o600)
    ws = write_programme(example_ws)
    ws.save(
        SURVEYS,
        SurveysFile(
            surveys=[
                SurveyAnswers(
                    survey_id="fin-de-formation",
                    responses=[
                        Response(
                            id="awa-diallo",
                            respondent="awa-diallo",
                            role=Role.ACTIVIST,
                            answers={"satisfaction": 5, "retenu": "Merci à Zoé Martin-Ndiaye"},
                            source="questionnaire.csv",
                        ),
                        Response(
                            id="questionnaire.csv-3",
                            answers={
                                "satisfaction": 4,
                                "ameliorer": "Plus de pauses, dit Kévin O'Brien",
                            },
                            source="questionnaire.csv",
                        ),
                    ],
                )
            ]
        ),
    )
    (example_ws / "feuilles").mkdir(mode=0o700)
    (example_ws / "feuilles" / "j1-matin.csv").write_text("Zoé Martin-Ndiaye;\n")
    return example_ws


def personal_strings() -> list[str]:
    out = []
    for app in applications().applications:
        out.append(app.contact)
        for person in app.people:
            out += [
                person.name,
                person.id,
                person.email,
                person.phone,
                person.job_title,
                person.notes,
            ]
    out += ["Awa Diallo", "awa-diallo", "Joëlle Kergoat", "Hélène", "helene-marchand-roux"]
    return out


def workspace_text(root: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(root.rglob("*")) if p.is_file())


def figures(root: Path) -> dict[str, list[tuple]]:
    ws = Workspace.open(root)
    people = list_participants(ws.config, ws.load(APPLICATIONS), ws.load(SELECTION))
    report = participation(ws.config, people, ws.load(SCHEDULE), ws.load(ATTENDANCE))
    out = {
        view: [(row.key, row.label, row.figures) for row in report.by_view(view)] for view in VIEWS
    }
    out["person"] = sorted(
        ((row.role, row.city, row.figures) for row in report.by_view("person")), key=repr
    )
    return out


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(root).parts)
    }


def test_purge_removes_every_name_email_phone_and_note_from_every_file(
    run, programme: Path
) -> None:
    result = run("purge", "--yes", "-w", programme)

    assert result.exit_code == 0, result.output
    text = workspace_text(programme)
    leaked = [s for s in personal_strings() if s and s in text]
    assert leaked == []
    assert "@" not in text
    assert not (programme / "feuilles").exists()
    assert not (programme / "reponses.csv").exists()
    assert not (programme / ".cotrain-cache").exists()


def test_purge_keeps_every_participation_figure(run, programme: Path) -> None:
    before = figures(programme)

    result = run("purge", "--yes", "-w", programme)

    assert result.exit_code == 0, result.output
    assert figures(programme) == before


def test_purge_replaces_ids_consistently_so_doctor_finds_nothing(run, programme: Path) -> None:
    run("purge", "--yes", "-w", programme)

    result = run("doctor", "-w", programme)

    assert result.exit_code == 0, result.output
    ws = Workspace.open(programme)
    ids = sorted(p.id for a in ws.load(APPLICATIONS).applications for p in a.people)
    ids += sorted(a.id for a in ws.config.activists)
    assert sorted(ids) == [f"p{n:03d}" for n in range(1, 15)]
    assert sorted(tr.id for tr in ws.config.trainers) == [f"t{n:02d}" for n in range(1, 11)]
    assert {a.name for a in ws.config.activists} <= {f"Personne {n:03d}" for n in range(1, 15)}
    assert [d.trainers for d in ws.config.duos][0][0].startswith("t")


def test_purge_drops_free_text_answers_of_named_respondents_only(run, programme: Path) -> None:
    run("purge", "--yes", "-w", programme)

    surveys = Workspace.open(programme).load(SURVEYS)
    named, anonymous = surveys.surveys[0].responses
    assert named.respondent.startswith("p") and named.answers == {"satisfaction": 5}
    assert anonymous.answers["satisfaction"] == 4
    assert anonymous.answers["ameliorer"].startswith("Plus de pauses, dit Personne ")


def test_purge_says_what_it_removed(run, programme: Path) -> None:
    from cotrain.files.evaluation_store import DUO_NOTES

    notes = Workspace.open(programme).load(DUO_NOTES)
    who_spoke = sum(1 for note in notes.notes if note.spoke) if notes else 0
    assessments = programme / "assessments.toml"  # the example ships results with notes
    written_notes = (
        sum(
            1
            for a in tomllib.loads(assessments.read_text(encoding="utf-8"))["assessments"]
            if a["note"]
        )
        if assessments.is_file()
        else 0
    )
    others = sorted(
        str(p.relative_to(programme))
        for p in programme.rglob("*")
        if p.is_file()
        and p.suffix != ".toml"
        and not any(part.startswith(".") for part in p.relative_to(programme).parts)
    )

    result = run("purge", "--yes", "--json", "-w", programme)

    data = json.loads(result.stdout)
    assert data["removed"] == {
        "people": 14,
        "trainers": 10,
        "emails": 9,  # 8 people's, and the letters' contact address ([letters] email)
        # 8 people's, the letters' contact phone ([letters] phone), and the manager's written in
        # cotrain.toml (manager_phone: a phone number in any text goes, issue 13)
        "phones": 10,
        "job_titles": 8,
        "notes": 8,
        "free_texts": 6 + who_spoke + written_notes,
    }
    assert data["deleted_files"] == others
    assert "feuilles/j1-matin.csv" in others
    assert "surveys.toml" in data["rewritten"]


def test_purge_asks_for_confirmation_and_no_changes_nothing(run, programme: Path) -> None:
    before = snapshot(programme)

    result = run("purge", "-w", programme, input="n\n")

    assert result.exit_code == 1
    assert "Purge annulée" in result.output
    assert snapshot(programme) == before

    result = run("purge", "-w", programme, input="o\n")
    assert result.exit_code == 0, result.output
    assert snapshot(programme) != before


def test_dry_run_changes_nothing(run, programme: Path) -> None:
    before = snapshot(programme)

    result = run("purge", "--dry-run", "-w", programme)

    assert result.exit_code == 0
    assert "14 personne(s) remplacée(s)" in result.stdout
    assert snapshot(programme) == before


def test_keep_files_purges_only_the_toml_files(run, programme: Path) -> None:
    result = run("purge", "--yes", "--keep-files", "-w", programme)

    assert result.exit_code == 0, result.output
    assert (programme / "feuilles" / "j1-matin.csv").exists()


def test_purge_twice_finds_nothing_left(run, programme: Path) -> None:
    run("purge", "--yes", "-w", programme)
    before = snapshot(programme)

    result = run("purge", "--yes", "-w", programme)

    assert result.exit_code == 0
    assert result.stdout.startswith("Rien à purger")
    assert snapshot(programme) == before


def test_purge_refuses_a_workspace_with_an_invalid_file(run, programme: Path) -> None:
    path = programme / "attendance.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"(?m)^(schema = \d+)$", r"\1\n[", text, count=1))
    before = snapshot(programme)

    result = run("purge", "--yes", "-w", programme)

    assert result.exit_code == 1
    assert "attendance.toml" in result.stderr
    assert snapshot(programme) == before


def test_purge_refuses_before_the_programme_is_over_unless_forced(run, programme: Path) -> None:
    path = programme / "cotrain.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("2015-03-05", "2099-03-05"))
    before = snapshot(programme)

    refused = run("purge", "--yes", "-w", programme)
    assert refused.exit_code == 1
    assert "05/03/2099" in refused.stderr
    assert snapshot(programme) == before

    forced = run("purge", "--yes", "--force", "-w", programme)
    assert forced.exit_code == 0, forced.output


def test_a_purge_killed_after_its_journal_is_finished_by_the_next_command(
    run, programme: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cotrain.files import transaction

    def killed(root: Path, journal: object) -> None:  # stopped right after the journal
        raise KeyboardInterrupt

    monkeypatch.setattr(transaction, "_replay", killed)
    run("purge", "--yes", "-w", programme)
    monkeypatch.undo()
    assert (programme / transaction.JOURNAL_NAME).exists()
    half_done = snapshot(programme)

    dry = run("purge", "--dry-run", "--json", "-w", programme)

    assert dry.exit_code == 0, dry.output
    assert snapshot(programme) == half_done  # a dry run never writes, whatever it finds
    assert json.loads(dry.stdout)["rewritten"] == []  # it reads the purge as finished

    report = run("report", "-w", programme)  # any command finishes the change first

    assert report.exit_code == 0, report.output
    assert not (programme / transaction.JOURNAL_NAME).exists()
    assert run("doctor", "-w", programme).exit_code == 0
    assert "Awa Diallo" not in workspace_text(programme)
    assert not [p for p in programme.rglob(".*") if p.name != ".cotrain.lock" and p.is_file()
                and p.name != ".cotrain-secret"]


def test_purge_is_offered_in_english(run, programme: Path) -> None:
    result = run("purge", "--dry-run", "--lang", "en", "-w", programme)

    assert "14 person(s) replaced by a pseudonym (id and name)" in result.stdout
    assert sorted(CITIES) == ["bondy", "l-ile-saint-denis"]
    assert date(2015, 3, 5) < date.today()
