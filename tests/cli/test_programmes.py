"""Programmes shaped unlike the example, set up with ``cotrain init`` and its options, each run
through the whole pipeline (issue 15).

Each shape: init -> an applications file generated for it (tests/data/programmes/
make_applications.py, in the layout the README describes) -> import, check, select,
participants, schedule, schedule check, sheets, attendance, report, certificates, bilan.
Every mixed group must hold its activists and a trainer duo.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from tests.data.programmes.make_applications import write as write_applications

SHAPES: dict[str, tuple[list[str], int]] = {
    # 5 cities in the Rhône, 3 days, 4 activists, 2 mixed groups (the new user).
    "rhone": (
        [
            "--title",
            "Co-formation Rhône",
            "--place",
            "Maison des solidarités, Lyon",
            "--organiser",
            "Centre de ressources Rhône",
            "--organiser",
            "ATD Quart Monde",
            "--responsible",
            "Centre de ressources Rhône",
            "--start",
            "2026-03-02",
            "--days",
            "3",
            "--cities",
            "5",
            "--activists",
            "4",
            "--mixed-groups",
            "2",
        ],
        7,
    ),
    # A triad of three: exactly one person per role.
    "triad": (
        [
            "--title",
            "Trinômes",
            "--start",
            "2026-04-07",
            "--days",
            "2",
            "--gap",
            "1",
            "--roles",
            "elected:1, professional:1, prefect_delegate:1",
            "--cities",
            "6",
            "--activists",
            "6",
            "--mixed-groups",
            "3",
        ],
        8,
    ),
    # The prefect's delegate optional; five days; a contribution and its proof required.
    "optional-delegate": (
        [
            "--start",
            "2026-05-04",
            "--days",
            "5",
            "--half-days",
            "9",
            "--roles",
            "elected, professional:1-2, prefect_delegate?",
            "--cities",
            "8",
            "--activists",
            "5",
            "--min-contribution",
            "300",
            "--proof",
            "--funder",
            "Région=9000",
            "--funder",
            "Ville=3000",
            "--cost",
            "Animation=12000",
        ],
        10,
    ),
    # CNFPT-style publics: social workers and their managers, supported people.
    "cnfpt": (
        [
            "--title",
            "Co-formation CNFPT",
            "--start",
            "2026-06-01",
            "--days",
            "3",
            "--roles",
            "travailleur social=Travailleur·se social·e:1-3, encadrant=Encadrant·e",
            "--activist-label",
            "personne accompagnée",
            "--peer-worlds",
            "travailleur_social+encadrant",
            "--cities",
            "4",
            "--activists",
            "6",
            "--mixed-groups",
            "3",
        ],
        5,
    ),
    # Peer groups set by count, consecutive days, an odd number of half-days.
    "counted-groups": (
        [
            "--start",
            "2026-09-14",
            "--days",
            "4",
            "--half-days",
            "7",
            "--gap",
            "1",
            "--cities",
            "10",
            "--activists",
            "7",
            "--mixed-groups",
            "3",
            "--peer-groups",
            "professional=3, elected=2",
            "--peer-group-cap",
            "8",
        ],
        12,
    ),
    # In English, small: three cities, two days, three activists.
    "small-english": (
        [
            "--lang",
            "en",
            "--title",
            "Merging Knowledge, Leeds",
            "--start",
            "2026-10-05",
            "--days",
            "2",
            "--cities",
            "3",
            "--activists",
            "3",
        ],
        4,
    ),
}


def _run_ok(run, *args: str | Path) -> str:
    result = run(*args)
    assert result.exit_code == 0, f"{args}: {result.output}"
    return result.output


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_programme_shape_runs_the_whole_pipeline(run, tmp_path: Path, shape: str) -> None:
    options, candidates = SHAPES[shape]
    ws = tmp_path / shape
    _run_ok(run, "init", ws, "--yes", *options)
    text = (ws / "cotrain.toml").read_text(encoding="utf-8")
    for leftover in ("Pierrelaye", "Seine-Saint-Denis", "Préfecture", "Théâtre-forum"):
        assert leftover not in text
    config = tomllib.loads(text)
    lang = config["language"]
    applications = write_applications(ws, candidates, ws / "candidatures.csv", seed=len(shape))

    _run_ok(run, "-w", ws, "import", applications)
    _run_ok(run, "-w", ws, "check")
    _run_ok(run, "-w", ws, "select")
    _run_ok(run, "-w", ws, "participants")
    _run_ok(run, "-w", ws, "schedule")
    _run_ok(run, "-w", ws, "schedule", "check")
    # PDF rendering is the slow part: one shape renders both formats, the others HTML.
    sheets_format = "both" if shape == "rhone" else "html"
    _run_ok(run, "-w", ws, "sheets", "--output", ws / "feuilles", "--format", sheets_format)
    first = next(s["id"] for s in config["plan"]["sessions"] if s["kind"] != "trainers_meeting")
    _run_ok(run, "-w", ws, "attend", first, "--all-present")
    _run_ok(run, "-w", ws, "report")
    _run_ok(run, "-w", ws, "certificates", "-o", ws / "certificats")
    _run_ok(run, "-w", ws, "bilan", "--output", ws / "bilan")

    selection = tomllib.loads((ws / "selection.toml").read_text(encoding="utf-8"))
    selected = [c for c in selection["decisions"] if c["decision"] == "selected"]
    assert len(selected) == min(candidates, config["selection"]["max_cities"])
    schedule = tomllib.loads((ws / "schedule.toml").read_text(encoding="utf-8"))
    activists = {a["id"] for a in config["activists"]}
    kinds = {t["id"]: t["kind"] for t in config["trainers"]}
    mixed_ids = {s["id"] for s in config["plan"]["sessions"] if s["kind"] == "mixed_groups"}
    minimum = config["plan"]["rules"]["min_activists_per_group"]
    mixed = [s for s in schedule["sessions"] if s["session_id"] in mixed_ids]
    assert len(mixed) == len(mixed_ids) >= 1
    for session in mixed:
        assert len(session["groups"]) == config["plan"]["rules"]["mixed_groups"]
        for group in session["groups"]:
            assert len(activists & set(group["members"])) >= max(minimum, 1), group["id"]
            duo = sorted(kinds[t] for t in group["trainers"])
            assert duo == ["co_trainer", "professional_trainer"], group["id"]
    assert any((ws / "feuilles").iterdir())
    assert any((ws / "certificats").iterdir())
    assert lang in ("fr", "en")


def test_one_row_per_person_file_names_the_programmes_own_publics(run, tmp_path: Path) -> None:
    ws = tmp_path / "cnfpt"
    _run_ok(
        run, "init", ws, "--yes", "--roles",
        "travailleur social=Travailleur·se social·e:1-2, encadrant=Encadrant·e?",
        "--activist-label", "personne accompagnée", "--cities", "2", "--activists", "2",
    )  # fmt: skip
    rows = [
        "Commune;Rôle;Nom;Courriel;Engagement nominatif",
        "Bron;Travailleuse sociale;Ana Lima;ana@bron.fr;oui",
        "Bron;travailleur social;Léo Roy;leo@bron.fr;oui",
        "Bron;encadrante;Bob Roy;bob@bron.fr;oui",
        "Givors;Travailleur·se social·e;Cyd Paz;cyd@givors.fr;oui",
    ]
    (ws / "personnes.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")

    _run_ok(run, "-w", ws, "import", ws / "personnes.csv")
    checked = run("-w", ws, "check")

    applications = tomllib.loads((ws / "applications.toml").read_text(encoding="utf-8"))
    roles = {
        app["city_id"]: sorted(p["role"] for p in app["people"])
        for app in applications["applications"]
    }
    assert roles == {
        "bron": ["encadrant", "travailleur_social", "travailleur_social"],
        "givors": ["travailleur_social"],
    }
    assert checked.exit_code == 0, checked.output
    assert "Travailleur·se social·e" in checked.output
    assert "2 villes éligibles sur 2" in checked.output


def test_unknown_public_in_a_file_lists_the_programmes_labels(run, tmp_path: Path) -> None:
    ws = tmp_path / "cnfpt"
    _run_ok(run, "init", ws, "--yes", "--roles", "travailleur social=Travailleur·se social·e")
    rows = ["Commune;Rôle;Nom;Engagement nominatif", "Bron;élu;Ana Lima;oui"]
    (ws / "personnes.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")

    result = run("-w", ws, "import", ws / "personnes.csv")

    assert result.exit_code == 1
    assert "rôle inconnu « élu » (valeurs acceptées : « travailleur·se social·e »)" in result.output
