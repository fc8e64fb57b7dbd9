"""cotrain select: the summary, selection.toml, overrides kept, withdrawals, bad input."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from tests.fixtures_selection import ELIGIBLE, write_applications


@pytest.fixture
def ws(example_ws: Path) -> Path:
    write_applications(example_ws)
    return example_ws


def _set_selection_rules(ws: Path, *, max_cities: int, cap: int, ranking: str) -> None:
    config = ws / "cotrain.toml"
    text = config.read_text(encoding="utf-8")
    text = text.replace("max_cities = 7", f"max_cities = {max_cities}")
    text = text.replace("max_per_territory = 0", f"max_per_territory = {cap}")
    text = text.replace('field = "submitted_at"\norder = "asc"', ranking)
    config.write_text(text, encoding="utf-8")


def _selection(ws: Path) -> dict:
    return tomllib.loads((ws / "selection.toml").read_text(encoding="utf-8"))


def _by_decision(ws: Path, decision: str) -> list[str]:
    rows = [d for d in _selection(ws)["decisions"] if d["decision"] == decision]
    return [d["city_id"] for d in sorted(rows, key=lambda d: (d.get("rank", 0), d["city_id"]))]


def test_select_picks_the_seven_eligible_cities_and_shows_the_balance(run, ws: Path) -> None:
    result = run("select", "-w", ws)

    assert result.exit_code == 0, result.output
    assert sorted(_by_decision(ws, "selected")) == sorted(ELIGIBLE)
    assert _by_decision(ws, "not_eligible") == [
        "aulnay-sous-bois",
        "bondy",
        "noisy-le-sec",
        "pantin",
        "stains",
    ]
    assert "Villes retenues (7 sur 7)" in result.output
    assert "Karine Montreuil (élu·e)" in result.output
    assert "Le budget est équilibré : 36\u00a0000,00\u00a0€ de ressources" in result.output
    assert "Sélection enregistrée" in result.output


def test_select_twice_writes_the_same_bytes(run, ws: Path) -> None:
    run("select", "-w", ws, "--include", "sevran", "--reason", "Nouveau contrat de ville")
    first = (ws / "selection.toml").read_bytes()

    again = run("select", "-w", ws)

    assert again.exit_code == 0, again.output
    assert (ws / "selection.toml").read_bytes() == first
    assert "Sélection inchangée" in again.output


def test_ranking_cap_overrides_and_withdrawal_end_to_end(run, ws: Path) -> None:
    _set_selection_rules(ws, max_cities=4, cap=1, ranking='field = "score"\norder = "desc"')

    first = run("select", "-w", ws)
    assert first.exit_code == 0, first.output
    assert _by_decision(ws, "selected") == ["clichy-sous-bois", "saint-denis", "bobigny", "sevran"]
    assert _by_decision(ws, "waitlisted") == ["aubervilliers", "montreuil", "la-courneuve"]
    assert "déjà 1 ville(s) du territoire Plaine Commune retenue(s)" in first.output

    overrides = run(
        "select",
        "-w",
        ws,
        "--exclude",
        "bobigny",
        "--reason",
        "Déjà formée en 2014",
        "--include",
        "montreuil",
        "--reason",
        "Conseil citoyen à installer",
    )
    assert overrides.exit_code == 0, overrides.output
    decisions = {d["city_id"]: d for d in _selection(ws)["decisions"]}
    assert (decisions["bobigny"]["decision"], decisions["bobigny"]["reason"]) == (
        "declined",
        "Déjà formée en 2014",
    )
    assert (decisions["montreuil"]["rule"], decisions["montreuil"]["reason"]) == (
        "override",
        "Conseil citoyen à installer",
    )
    assert _by_decision(ws, "selected") == [
        "clichy-sous-bois",
        "saint-denis",
        "montreuil",
        "sevran",
    ]

    withdrawal = run(
        "select", "-w", ws, "--withdraw", "saint-denis", "--reason", "Changement de municipalité"
    )
    assert withdrawal.exit_code == 0, withdrawal.output
    assert (
        "Aubervilliers est repêchée de la liste d'attente à la place de Saint-Denis."
        in withdrawal.output
    )
    assert _by_decision(ws, "selected") == [
        "clichy-sous-bois",
        "aubervilliers",
        "montreuil",
        "sevran",
    ]
    events = [(e["kind"], e["city_id"]) for e in _selection(ws)["events"]]
    assert events == [
        ("exclude", "bobigny"),
        ("include", "montreuil"),
        ("withdrawal", "saint-denis"),
        ("promotion", "aubervilliers"),
    ]
    assert all("at" in e for e in _selection(ws)["events"])

    kept = (ws / "selection.toml").read_bytes()
    rerun = run("select", "-w", ws)
    assert rerun.exit_code == 0, rerun.output
    assert (ws / "selection.toml").read_bytes() == kept


def test_dry_run_writes_nothing(run, ws: Path) -> None:
    result = run("select", "-w", ws, "--dry-run")

    assert result.exit_code == 0, result.output
    assert not (ws / "selection.toml").exists()
    assert "Simulation" in result.output


def test_json_output_for_scripts(run, ws: Path) -> None:
    result = run("select", "-w", ws, "--max", "6", "--json")

    data = json.loads(result.output)
    assert [c["city_id"] for c in data["selected"]] == ELIGIBLE[:6]
    assert [c["city_id"] for c in data["waitlist"]] == ["sevran"]
    assert data["waitlist"][0]["rule"] == "max_cities"
    assert data["selected"][0]["triad"][0] == {
        "id": "aubervilliers-elu",
        "name": "Karine Aubervilliers",
        "role": "elected",
    }
    assert data["budget"]["balance"] == "-500.00"
    stains = next(c for c in data["left_out"] if c["city_id"] == "stains")
    assert stains["failed_rules"] == ["contribution_missing"]
    assert _selection(ws)["max_override"] == 6


def test_select_in_english(run, ws: Path) -> None:
    result = run("select", "-w", ws, "--lang", "en")

    assert result.exit_code == 0, result.output
    assert "Selected cities (7 of 7)" in result.output
    assert "The budget balances: €36,000.00 of resources" in result.output


def test_forced_include_of_an_ineligible_city(run, ws: Path) -> None:
    refused = run("select", "-w", ws, "--include", "bondy", "--reason", "Engagement oral du maire")
    forced = run(
        "select",
        "-w",
        ws,
        "--max",
        "8",
        "--include",
        "bondy",
        "--reason",
        "Engagement oral du maire",
        "--force",
    )

    assert refused.exit_code == 1
    assert "--force" in refused.output
    assert forced.exit_code == 0, forced.output
    bondy = next(d for d in _selection(ws)["decisions"] if d["city_id"] == "bondy")
    assert (bondy["decision"], bondy["failed_rules"]) == (
        "selected",
        ["contribution_below_minimum"],
    )
    assert _selection(ws)["overrides"][0]["force"] is True


def test_clear_forgets_a_kept_override(run, ws: Path) -> None:
    run("select", "-w", ws, "--exclude", "bobigny", "--reason", "Déjà formée")

    result = run("select", "-w", ws, "--clear", "bobigny")

    assert result.exit_code == 0, result.output
    assert "bobigny" in _by_decision(ws, "selected")
    assert _selection(ws)["overrides"] == []


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("--include", "paris", "--reason", "x"), 1, "ville inconnue : « paris »"),
        (("--exclude", "bobigny"), 2, "indiquez le motif de la décision sur « bobigny »"),
        (("--max", "0"), 2, "--max doit valoir au moins 1"),
        (("--withdraw", "bondy", "--reason", "x"), 1, "« bondy » ne peut pas se désister"),
        (("--clear", "sevran"), 1, "aucune décision enregistrée pour « sevran »"),
        (
            ("--reason", "seul", "--reason", "deux", "--include", "sevran"),
            2,
            "ne suit aucune ville",
        ),
    ],
)
def test_bad_input_leaves_selection_unchanged(run, ws: Path, args, code, message) -> None:
    run("select", "-w", ws)
    before = (ws / "selection.toml").read_bytes()

    result = run("select", "-w", ws, *args)

    assert result.exit_code == code, result.output
    assert message in result.output
    assert (ws / "selection.toml").read_bytes() == before


def test_select_before_any_application_is_a_clear_error(run, example_ws: Path) -> None:
    result = run("select", "-w", example_ws)

    assert result.exit_code == 1
    assert "aucune candidature chargée" in result.output
    assert "cotrain import" in result.output
    assert not (example_ws / "selection.toml").exists()


def test_negative_budget_line_is_refused_and_selection_unchanged(run, ws: Path) -> None:
    run("select", "-w", ws)
    before = (ws / "selection.toml").read_bytes()
    config = ws / "cotrain.toml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("amount = 3600", "amount = -3600"),
        encoding="utf-8",
    )

    result = run("select", "-w", ws, "--max", "3")

    assert result.exit_code == 1
    assert "budget.costs[2].amount" in result.output
    assert (ws / "selection.toml").read_bytes() == before


def test_reason_goes_with_the_city_typed_before_it(run, ws: Path) -> None:
    result = run(
        "select",
        "-w",
        ws,
        "--max",
        "8",
        "--include",
        "bondy",
        "--reason",
        "A",
        "--force",
        "--exclude",
        "sevran",
        "--reason",
        "B",
        "--include",
        "stains",
        "--reason",
        "C",
    )

    assert result.exit_code == 0, result.output
    reasons = {o["city_id"]: o["reason"] for o in _selection(ws)["overrides"]}
    assert reasons == {"bondy": "A", "sevran": "B", "stains": "C"}


def test_installed_command_runs_select(ws: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "cotrain", "-w", str(ws), "select", "--json"],
        capture_output=True,
        text=True,
        env={"PATH": "", "COTRAIN_LANG": "en"},
        check=False,
    )

    assert done.returncode == 0, done.stderr
    assert len(json.loads(done.stdout)["selected"]) == 7


def test_shipped_example_end_to_end_in_french_and_english(run, example_ws: Path) -> None:
    imported = run("import", example_ws / "reponses.csv", "-w", example_ws)
    assert imported.exit_code == 0, imported.output

    selected = json.loads(run("select", "-w", example_ws, "--json").output)
    people = json.loads(run("participants", "-w", example_ws, "--format", "json").output)
    budget = json.loads(run("budget", "-w", example_ws, "--json").output)
    english = run("budget", "-w", example_ws, "--lang", "en")
    letters = run("letters", "-w", example_ws, "--output", example_ws / "lettres", "--lang", "en")

    assert len(selected["selected"]) == 7
    assert selected["waitlist"] == []
    assert len(selected["left_out"]) == 5
    assert all(
        sorted(p["role"] for p in city["triad"])
        == ["elected", "prefect_delegate", "professional", "professional"]
        for city in selected["selected"]
    )
    roles = [p["role"] for p in people]
    assert (len(people), roles.count("activist")) == (34, 6)
    assert (budget["costs_total"], budget["funding_total"], budget["contributions_total"]) == (
        "36000.00",
        "32000.00",
        "4000.00",
    )
    assert budget["balanced"] is True
    assert "The budget balances" in english.output
    assert letters.exit_code == 0, letters.output
    assert len(list((example_ws / "lettres").iterdir())) == 48  # md, txt, docx, pdf x 12


def test_reset_and_clear_together_forget_everything_once(run, ws: Path) -> None:
    run("select", "-w", ws, "--exclude", "bobigny", "--reason", "Déjà formée", "--max", "4")

    result = run("select", "-w", ws, "--reset", "--clear", "bobigny")

    assert result.exit_code == 0, result.output
    assert _selection(ws)["overrides"] == []
    assert "max_override" not in _selection(ws)
    assert len(_by_decision(ws, "selected")) == 7


def test_select_says_when_the_ranking_key_is_empty(run, ws: Path) -> None:
    """Finding F3: a file without submission dates ranks the cities by their id; with more
    eligible cities than places the manager is told which key is empty and how to fill it."""
    _set_selection_rules(ws, max_cities=4, cap=0, ranking='field = "submitted_at"\norder = "asc"')
    quiet = run("select", "-w", ws, "--dry-run")
    assert quiet.exit_code == 0 and "critère de classement" not in quiet.output

    apps = ws / "applications.toml"
    text = apps.read_text(encoding="utf-8")
    assert "\nsubmitted_at = " in text, "the fixture's applications carry submission dates"
    undated = "\n".join(line for line in text.splitlines() if not line.startswith("submitted_at"))
    apps.write_text(undated + "\n", encoding="utf-8")

    result = run("select", "-w", ws, "--dry-run")

    assert result.exit_code == 0, result.output
    assert "le critère de classement « submitted_at » est vide pour les 7 villes éligibles" in (
        result.output
    )
    assert "changez [selection] ranking" in result.output


def test_select_before_the_start_says_to_schedule_again(run, ws: Path) -> None:
    """Finding F19.12: a withdrawal before the start leaves the plan seating the city's people;
    select says to run schedule again (after the start it re-seats them itself)."""
    assert run("select", "-w", ws).exit_code == 0
    untouched = run("select", "-w", ws)
    assert "relancez « cotrain schedule »" not in untouched.output
    (ws / "schedule.toml").write_text("schema = 1\n", encoding="utf-8")  # a plan made earlier
    selected = [d["city_id"] for d in _selection(ws)["decisions"] if d["decision"] == "selected"]

    result = run("select", "-w", ws, "--withdraw", selected[0], "--reason", "Élections")

    assert result.exit_code == 0, result.output
    assert "date d'avant ce changement (1 ville(s) entrée(s) ou sortie(s)) : relancez « cotrain " \
        "schedule » avant d'imprimer les feuilles." in result.output
