"""cotrain participants and cotrain trainers: who is trained, filters, formats, trainers' checks."""

from __future__ import annotations

import csv
import io
import json
import tomllib
from pathlib import Path

import pytest
from tests.fixtures_selection import (
    EXAMPLE_CITIES,
    make_application,
    make_applications,
    write_applications,
)


@pytest.fixture
def ws(run, example_ws: Path) -> Path:
    write_applications(example_ws)
    assert run("select", "-w", example_ws).exit_code == 0
    return example_ws


def test_json_lists_34_people_with_stable_ids(run, ws: Path) -> None:
    result = run("participants", "-w", ws, "--format", "json")

    people = json.loads(result.output)
    roles = [p["role"] for p in people]
    assert len(people) == 34
    assert (
        roles.count("elected"),
        roles.count("professional"),
        roles.count("prefect_delegate"),
        roles.count("activist"),
    ) == (7, 14, 7, 6)
    assert people[0] == {
        "id": "aubervilliers-elu",
        "name": "Karine Aubervilliers",
        "role": "elected",
        "city_id": "aubervilliers",
        "city": "Aubervilliers",
        "organisation": "",
        "email": "",
        "job_title": "Adjoint·e au maire",
    }
    assert people[-1]["id"] == "patrick-lhermitte"
    assert people[-1]["organisation"] == "ATD Quart Monde"
    assert len({p["id"] for p in people}) == 34


def test_table_shows_everyone_in_french_and_english(run, ws: Path) -> None:
    fr = run("participants", "-w", ws)
    en = run("participants", "-w", ws, "--lang", "en")

    assert fr.exit_code == 0, fr.output
    assert "Personnes à former (34)" in fr.output
    assert "délégué·e du préfet" in fr.output
    assert "People to be trained (34)" in en.output
    assert "prefect's delegate" in en.output or "prefect" in en.output


def test_filters_by_role_and_city(run, ws: Path) -> None:
    result = run(
        "participants", "-w", ws, "--role", "professional", "--city", "bobigny", "--format", "json"
    )

    assert [p["id"] for p in json.loads(result.output)] == ["bobigny-agent-1", "bobigny-agent-2"]
    activists = json.loads(run("participants", "-w", ws, "--role", "militant", "--json").output)
    assert len(activists) == 6


def test_csv_for_french_excel_by_default_and_plain_on_request(run, ws: Path) -> None:
    out = ws / "exports" / "participants.csv"

    result = run("participants", "-w", ws, "--format", "csv", "--output", out, "--role", "elected")
    plain = run("participants", "-w", ws, "--format", "csv", "--plain", "--role", "elected")

    assert result.exit_code == 0, result.output
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Identifiant", "Nom", "Rôle"]
    assert rows[1][:3] == ["aubervilliers-elu", "Karine Aubervilliers", "élu·e"]
    assert len(rows) == 8
    assert oct(out.stat().st_mode & 0o777) == "0o600"
    plain_rows = list(csv.reader(io.StringIO(plain.output)))
    assert plain_rows[1][:3] == ["aubervilliers-elu", "Karine Aubervilliers", "elected"]


def test_formula_looking_cells_are_neutralised(run, example_ws: Path) -> None:
    apps = make_applications()
    evil = make_application(EXAMPLE_CITIES[0])
    people = [
        p.model_copy(update={"name": '=HYPERLINK("http://x")'}) if p.role == "elected" else p
        for p in evil.people
    ]
    apps = apps.model_copy(
        update={
            "applications": [evil.model_copy(update={"people": people}), *apps.applications[1:]]
        }
    )
    write_applications(example_ws, apps)
    run("select", "-w", example_ws)

    result = run(
        "participants",
        "-w",
        example_ws,
        "--format",
        "csv",
        "--role",
        "elected",
        "--city",
        "aubervilliers",
    )

    rows = list(csv.reader(io.StringIO(result.output.lstrip("\ufeff")), delimiter=";"))
    assert rows[1][1] == '\'=HYPERLINK("http://x")'


def test_toml_export_reads_back(run, ws: Path) -> None:
    out = ws / "participants.toml"

    run("participants", "-w", ws, "--output", out)

    data = tomllib.loads(out.read_text(encoding="utf-8"))
    assert len(data["participants"]) == 34


def test_before_selection_only_activists_are_listed(run, example_ws: Path) -> None:
    result = run("participants", "-w", example_ws, "--json")

    assert [p["role"] for p in json.loads(result.output)] == ["activist"] * 6


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--role", "maire"), "rôle inconnu : « maire »"),
        (("--city", "stains"), "aucune ville retenue n'a l'identifiant « stains »"),
        (("--format", "xlsx"), "format inconnu : « xlsx »"),
    ],
)
def test_bad_options_are_clear(run, ws: Path, args, message) -> None:
    result = run("participants", "-w", ws, *args)

    assert result.exit_code == 2
    assert message in result.output


def test_activist_id_clashing_with_a_city_member_is_refused(run, ws: Path) -> None:
    config = ws / "cotrain.toml"
    config.write_text(
        config.read_text(encoding="utf-8").replace('id = "awa-diallo"', 'id = "bobigny-elu"'),
        encoding="utf-8",
    )

    result = run("participants", "-w", ws)

    assert result.exit_code == 1
    assert "identifiant utilisé par plusieurs personnes : bobigny-elu" in result.output


def test_trainers_lists_kinds_duos_and_unavailable_half_days(run, example_ws: Path) -> None:
    result = run("trainers", "-w", example_ws)
    data = json.loads(run("trainers", "-w", example_ws, "--json").output)

    assert result.exit_code == 0, result.output
    assert "Formateurs (10)" in result.output
    assert "Binômes d'animation (5)" in result.output
    assert "jeudi 5 février 2015, après-midi (j3-apres-midi)" in result.output
    ginette = next(tr for tr in data["trainers"] if tr["id"] == "ginette-poulain")
    assert (ginette["kind"], ginette["duo"], ginette["unavailable"]) == (
        "co_trainer",
        "duo-5",
        ["j3-apres-midi"],
    )
    assert [d["mixed"] for d in data["duos"]] == [True] * 5


def test_trainer_unavailable_on_an_unknown_half_day_names_the_key(run, example_ws: Path) -> None:
    config = example_ws / "cotrain.toml"
    text = config.read_text(encoding="utf-8").replace(
        'unavailable = ["j3-apres-midi"]', 'unavailable = ["j3-aprem"]'
    )
    config.write_text(text, encoding="utf-8")
    line = text.splitlines().index('unavailable = ["j3-aprem"]') + 1

    result = run("trainers", "-w", example_ws)

    assert result.exit_code == 1
    assert f"cotrain.toml, ligne {line}, clé trainers[10].unavailable" in result.output
    assert (
        "« j3-aprem » (formateur ginette-poulain) n'est pas une demi-journée du programme"
        in result.output
    )
