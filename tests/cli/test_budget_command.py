"""cotrain budget: the reference budget, deficits and surpluses in plain words, JSON."""

from __future__ import annotations

import json
from pathlib import Path

from tests.fixtures_selection import write_applications

NBSP = "\u00a0"


def _selected_ws(run, example_ws: Path, *args: str) -> Path:
    write_applications(example_ws)
    assert run("select", "-w", example_ws, *args).exit_code == 0
    return example_ws


def test_reference_budget_is_balanced(run, example_ws: Path) -> None:
    ws = _selected_ws(run, example_ws)

    result = run("budget", "-w", ws)

    assert result.exit_code == 0, result.output
    assert f"36{NBSP}000,00{NBSP}€" in result.output
    assert f"22{NBSP}000,00{NBSP}€" in result.output
    assert f"1{NBSP}000,00{NBSP}€" in result.output  # Saint-Denis
    assert "Coût par personne formée (34 : 28 membres des triades + 6 militant·es)" in result.output
    assert f"1{NBSP}058,82{NBSP}€" in result.output
    assert f"1{NBSP}285,71{NBSP}€" in result.output
    amount = f"36{NBSP}000,00{NBSP}€"
    assert result.output.rstrip().endswith(
        f"Le budget est équilibré : {amount} de ressources pour {amount} de dépenses."
    )


def test_deficit_says_how_much_is_missing(run, example_ws: Path) -> None:
    ws = _selected_ws(run, example_ws, "--max", "4")

    result = run("budget", "-w", ws)

    assert f"Il manque 2{NBSP}000,00{NBSP}€ pour équilibrer le budget." in result.output
    assert "Pour corriger : ajoutez un financeur" in result.output


def test_surplus_in_english(run, example_ws: Path) -> None:
    ws = _selected_ws(run, example_ws)
    config = ws / "cotrain.toml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("amount = 1200", "amount = 700"),
        encoding="utf-8",
    )

    result = run("budget", "-w", ws, "--lang", "en")

    assert result.exit_code == 0, result.output
    assert "The budget has a surplus of €500.00." in result.output


def test_budget_json(run, example_ws: Path) -> None:
    ws = _selected_ws(run, example_ws)

    data = json.loads(run("budget", "-w", ws, "--json").output)

    assert (data["costs_total"], data["funding_total"], data["contributions_total"]) == (
        "36000.00",
        "32000.00",
        "4000.00",
    )
    assert (data["balance"], data["status"], data["balanced"]) == ("0.00", "balanced", True)
    assert (data["participants"], data["recipients"], data["activists"]) == (34, 28, 6)
    assert len(data["contributions"]) == 7


def test_budget_before_selection_counts_no_city(run, example_ws: Path) -> None:
    result = run("budget", "-w", example_ws)

    assert result.exit_code == 0, result.output
    assert "Aucune ville retenue" in result.output
    assert f"Il manque 4{NBSP}000,00{NBSP}€" in result.output


def test_negative_amount_is_a_clear_error(run, example_ws: Path) -> None:
    config = example_ws / "cotrain.toml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("amount = 22000", "amount = -22000"),
        encoding="utf-8",
    )

    result = run("budget", "-w", example_ws)

    assert result.exit_code == 1
    assert "budget.funding[1].amount" in result.output
