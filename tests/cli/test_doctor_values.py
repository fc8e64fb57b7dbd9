"""``doctor`` checks what each file's schema lets through but is wrong (issue 13)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from cotrain.domain.surveys import Response, SurveyAnswers, SurveysFile
from cotrain.enums import Role
from cotrain.files.evaluation_store import SURVEYS
from fixtures_integrity import write_programme


@pytest.fixture
def programme(example_ws: Path) -> Path:
    os.chmod(example_ws, 0o700)
    for path in example_ws.iterdir():
        os.chmod(path, 0o700 if path.is_dir() else 0o600)
    write_programme(example_ws)
    return example_ws


def errors(run, root: Path) -> list[tuple[str, str, dict]]:
    result = run("doctor", "--json", "-w", root)
    found = json.loads(result.stdout)["findings"]
    assert result.exit_code == (1 if any(f["severity"] == "error" for f in found) else 0)
    return [(f["code"], f["file"], f["params"]) for f in found if f["severity"] == "error"]


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def survey_answers(root: Path, **answers: object) -> None:
    from cotrain.files.workspace import Workspace

    Workspace.open(root).save(
        SURVEYS,
        SurveysFile(
            surveys=[
                SurveyAnswers(
                    survey_id="fin-de-formation",
                    responses=[
                        Response(id="q-2", role=Role.ELECTED, answers=answers, source="q.csv")
                    ],
                )
            ]
        ),
    )


def test_a_scale_answer_of_9_is_an_error(run, programme: Path) -> None:
    survey_answers(programme, satisfaction=9, recommander=True)

    found = errors(run, programme)

    assert [(c, f, p["question"], p["value"]) for c, f, p in found] == [
        ("answer_out_of_range", "surveys.toml", "satisfaction", "9")
    ]


def test_a_yes_no_answer_that_is_a_word_is_an_error(run, programme: Path) -> None:
    survey_answers(programme, satisfaction=4, recommander="peut-être")

    assert [p["question"] for _, _, p in errors(run, programme)] == ["recommander"]


def test_valid_answers_are_no_finding(run, programme: Path) -> None:
    survey_answers(programme, satisfaction=5, recommander=False)

    assert errors(run, programme) == []


def test_a_negative_contribution_is_an_error(run, programme: Path) -> None:
    edit(programme / "applications.toml", "contribution = 500", "contribution = -500")

    assert [(c, p["city"]) for c, _, p in errors(run, programme)] == [("negative_amount", "bondy")]


def test_an_invalid_email_is_an_error_naming_the_person_not_the_address(run, programme: Path) -> None:
    edit(programme / "applications.toml", "@example.org", "@", count=1)

    found = errors(run, programme)

    assert [(c, f) for c, f, _ in found] == [("invalid_email", "applications.toml")]
    assert "@" not in json.dumps(found)


def test_the_same_half_day_marked_in_two_blocks_is_an_error(run, programme: Path) -> None:
    path = programme / "attendance.toml"
    text = path.read_text(encoding="utf-8")
    block = text[text.index("[[sessions]]") : text.index("[[sessions]]", text.index("[[sessions]]") + 1)]
    path.write_text(text.replace(block, block + block, 1), encoding="utf-8")

    found = errors(run, programme)

    assert ("duplicate_block", "attendance.toml", {"block": "j1-matin"}) in found
