"""``cotrain report --funder`` on the shipped example: drop-outs, satisfaction, trainee-hours,
BPF categories (issue 11)."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner


@pytest.fixture(scope="module")
def example(tmp_path_factory, app) -> Path:
    from tests.conftest import EXAMPLE

    root = tmp_path_factory.mktemp("funder") / "ex"
    shutil.copytree(EXAMPLE, root)
    runner = CliRunner()
    for args in (
        ["import", str(root / "reponses.csv")],
        ["select"],
        ["schedule"],
        ["attendance", "import", "emargement.csv"],
        ["survey", "import", "fin-de-formation", "questionnaires/fin-de-formation.csv"],
    ):
        result = runner.invoke(app, [*args, "-w", str(root)], env={"NO_COLOR": "1"})
        assert result.exit_code == 0, (args, result.output)
    return root


def test_one_missed_last_half_day_is_no_drop_out_on_the_example(run, example) -> None:
    data = json.loads(run("report", "--funder", "--json", "-w", example).output)

    q2 = data["qualiopi_indicator_2"]
    # Yanis Chérif missed only the restitution; Rémi Da Silva missed the last three half-days.
    assert (q2["trained"], q2["completed"], q2["dropped_out"]) == (34, 33, 1)
    assert q2["published"] == date.today().isoformat()


def test_funder_page_shows_satisfaction_with_its_response_rate(run, example) -> None:
    data = json.loads(run("report", "--funder", "--json", "-w", example).output)
    text = run("report", "--funder", "-w", example).output

    [survey] = data["qualiopi_indicator_2"]["satisfaction"]
    assert survey["survey"] == "fin-de-formation"
    assert (survey["answered"], survey["audience"]) == (31, 34)
    assert 1 <= survey["mean"] <= 5
    assert "Satisfaction : Questionnaire de fin de formation" in " ".join(text.split())


def test_trainee_hours_count_late_arrivals_and_early_departures(run, example) -> None:
    data = json.loads(run("report", "--funder", "--json", "-w", example).output)

    hours = data["trainee_hours"]
    assert hours["planned"] == 918  # 34 people x 9 half-days x 3 h
    # 13 half-days missed (39 h) and the recorded late arrivals / early departures
    assert hours["all"] < 918 - 39
    assert hours["all"] == hours["recipients"] + hours["activists"]


def test_bpf_puts_elected_officials_and_agents_under_other_trainees(run, example) -> None:
    data = json.loads(run("report", "--funder", "--json", "-w", example).output)

    lines = {row["category"]: row for row in data["bpf_f1"]}
    assert list(lines) == ["private_employees", "apprentices", "jobseekers", "individuals", "other"]
    assert lines["other"]["trainees"] == 34
    assert lines["other"]["by_role"] == {
        "elected": 7,
        "professional": 14,
        "prefect_delegate": 7,
        "activist": 6,
    }
    assert lines["other"]["hours"] == data["trainee_hours"]["all"]
