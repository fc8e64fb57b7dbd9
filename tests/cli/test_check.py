"""``cotrain check`` on the shipped example, in French and in English."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from cotrain.cli.explain import explain_outcome
from cotrain.domain.eligibility import RuleOutcome
from cotrain.i18n import NBSP, set_language
from fixtures_intake import EXAMPLE_ELIGIBLE


@pytest.fixture
def imported_ws(example_ws: Path, run) -> Path:
    result = run("import", example_ws / "reponses.csv", "-w", example_ws)
    assert result.exit_code == 0, result.output
    return example_ws


def reasons(output: str) -> list[str]:
    lines = output.splitlines()
    return lines[
        lines.index(next(line for line in lines if line in ("Motifs :", "Reasons:"))) + 1 :
    ]


def test_check_shows_seven_eligible_cities_of_twelve_with_each_reason(
    imported_ws: Path, run
) -> None:
    result = run("check", "-w", imported_ws)
    assert result.exit_code == 0, result.output
    assert reasons(result.stdout) == [
        "Aulnay-sous-Bois :",
        "  - Émilie Saint-Arnaud (professionnel·le) ne s'est pas engagé·e sur les 4,5 jours",
        "Bobigny :",
        "  - aucun·e délégué·e du préfet n'est nommé·e",
        "Épinay-sur-Seine :",
        f"  - contribution de 300,00{NBSP}€ inférieure au minimum de 500,00{NBSP}€",
        "Noisy-le-Grand :",
        "  - 3 professionnel·les nommé·es ; 2 au plus",
        "Stains :",
        f"  - aucune contribution financière votée (minimum : 500,00{NBSP}€)",
        "7 villes éligibles sur 12",
    ]


def test_check_table_has_a_column_per_rule_and_a_tick_or_cross(imported_ws: Path, run) -> None:
    result = run("check", "-w", imported_ws)
    header = next(line for line in result.stdout.splitlines() if "Ville" in line)
    assert [cell.strip() for cell in header.strip("┃").split("┃")] == [
        "Ville",
        "Élu·e",
        "Professionnel·les",
        "Délégué·e du préfet",
        "Engagement",
        "Contribution",
        "Éligible",
    ]
    bobigny = next(line for line in result.stdout.splitlines() if "Bobigny" in line)
    assert [cell.strip() for cell in bobigny.strip("│").split("│")] == [
        "Bobigny",
        "✓",
        "✓",
        "✗",
        "✓",
        "✓",
        "non",
    ]


def test_check_in_english(imported_ws: Path, run) -> None:
    result = run("check", "-w", imported_ws, "--lang", "en")
    assert result.exit_code == 0, result.output
    assert reasons(result.stdout) == [
        "Aulnay-sous-Bois:",
        "  - Émilie Saint-Arnaud (professional) has not committed to all 4.5 days",
        "Bobigny:",
        "  - no prefect's delegate is named",
        "Épinay-sur-Seine:",
        "  - contribution of €300.00 below the minimum of €500.00",
        "Noisy-le-Grand:",
        "  - 3 professionals named; 2 at most",
        "Stains:",
        "  - no financial contribution voted (minimum: €500.00)",
        "7 eligible cities out of 12",
    ]


def test_check_json_is_the_same_in_both_languages(imported_ws: Path, run) -> None:
    french = json.loads(run("check", "--json", "-w", imported_ws).stdout)
    english = json.loads(run("check", "--json", "-w", imported_ws, "--lang", "en").stdout)
    assert french == english
    assert (french["eligible"], french["total"], french["days"]) == (7, 12, "4.5")
    assert [c["city_id"] for c in french["cities"] if c["eligible"]] == EXAMPLE_ELIGIBLE
    stains = next(c for c in french["cities"] if c["city_id"] == "stains")
    assert stains["failures"] == [
        {
            "rule": "contribution",
            "ok": False,
            "code": "contribution_missing",
            "params": {"minimum": "500.00"},
        }
    ]


def test_check_one_city_by_name(imported_ws: Path, run) -> None:
    result = run("check", "--city", "epinay-sur-seine", "-w", imported_ws)
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1] == "0 ville éligible sur 1"
    eligible = run("check", "--city", "Saint-Denis", "-w", imported_ws)
    assert eligible.stdout.splitlines()[-1] == "1 ville éligible sur 1"
    assert "Motifs" not in eligible.stdout


def test_strict_exits_1_when_a_city_fails(imported_ws: Path, run) -> None:
    assert run("check", "--strict", "-w", imported_ws).exit_code == 1
    assert run("check", "--strict", "--city", "Bondy", "-w", imported_ws).exit_code == 0


def test_rules_come_from_cotrain_toml(imported_ws: Path, run) -> None:
    config = imported_ws / "cotrain.toml"
    text = config.read_text(encoding="utf-8")
    text = text.replace("min_contribution = 500", "min_contribution = 250")
    text = text.replace("require_contribution_proof = false", "require_contribution_proof = true")
    text = text.replace(
        "[eligibility.roles.professional]\nmin = 1\nmax = 2",
        "[eligibility.roles.professional]\nmin = 1\nmax = 3",
    )
    config.write_text(text, encoding="utf-8")
    data = json.loads(run("check", "--json", "-w", imported_ws).stdout)
    assert data["rules"][-1] == "contribution_proof"
    # Épinay (300 €) and Noisy-le-Grand (3 professionals) now pass; Stains has no proof either.
    assert data["eligible"] == 9
    stains = next(c for c in data["cities"] if c["city_id"] == "stains")
    assert [f["code"] for f in stains["failures"]] == ["contribution_missing", "proof_missing"]


def test_check_before_import_says_what_to_do(example_ws: Path, run) -> None:
    result = run("check", "-w", example_ws)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == "aucune candidature importée"


@pytest.mark.parametrize(
    ("outcome", "fr", "en"),
    [
        (
            RuleOutcome(
                "elected", False, "role_missing", {"role": "elected", "count": 0, "min": 1}
            ),
            "aucun·e élu·e n'est nommé·e",
            "no elected official is named",
        ),
        (
            RuleOutcome(
                "professional",
                False,
                "role_missing",
                {"role": "professional", "count": 1, "min": 2},
            ),
            "1 professionnel·le nommé·e ; il en faut au moins 2",
            "1 professional named; at least 2 needed",
        ),
        (
            RuleOutcome(
                "commitment",
                False,
                "not_committed",
                {"person": "Awa Diallo", "person_id": "awa-diallo", "role": "elected", "days": "4"},
            ),
            "Awa Diallo (élu·e) ne s'est pas engagé·e sur les 4 jours",
            "Awa Diallo (elected official) has not committed to all 4 days",
        ),
        (
            RuleOutcome(
                "contribution",
                False,
                "contribution_below_minimum",
                {"amount": "0.00", "minimum": "500.00"},
            ),
            f"contribution de 0,00{NBSP}€ inférieure au minimum de 500,00{NBSP}€",
            "contribution of €0.00 below the minimum of €500.00",
        ),
        (
            RuleOutcome("contribution_proof", False, "proof_missing", {}),
            "aucune référence de délibération ou de bon de commande",
            "no council resolution or purchase order reference",
        ),
        (RuleOutcome("contribution", True), "Contribution : conforme", "Contribution: met"),
    ],
)
def test_explain_outcome_in_both_languages(outcome: RuleOutcome, fr: str, en: str) -> None:
    set_language("fr")
    assert explain_outcome(outcome) == fr
    set_language("en")
    try:
        assert explain_outcome(outcome) == en
    finally:
        set_language("fr")


def test_explain_formats_days_and_money_for_the_reader() -> None:
    outcome = RuleOutcome(
        "commitment",
        False,
        "not_committed",
        {"person": "A B", "person_id": "a-b", "role": "professional", "days": str(Decimal("4.5"))},
    )
    assert explain_outcome(outcome).endswith("4,5 jours")
