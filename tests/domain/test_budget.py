"""budget_summary: totals, balance, contributions of the selected cities, cost per person."""

from __future__ import annotations

from decimal import Decimal

from tests.conftest import EXAMPLE
from tests.fixtures_selection import ELIGIBLE, make_applications

from cotrain.domain.budget import budget_summary
from cotrain.domain.config import Budget, BudgetLine, Config, FundingLine
from cotrain.domain.models import CityDecision, SelectionFile
from cotrain.enums import Decision
from cotrain.files.store import load_model
from cotrain.files.workspace import CONFIG


def _selection(selected: list[str], waitlisted: list[str] = ()) -> SelectionFile:
    decisions = [
        CityDecision(city_id=c, decision=Decision.SELECTED, rank=i + 1, rule="ranking")
        for i, c in enumerate(selected)
    ] + [
        CityDecision(city_id=c, decision=Decision.WAITLISTED, rank=i + 1, rule="max_cities")
        for i, c in enumerate(waitlisted)
    ]
    return SelectionFile(decisions=decisions)


def _example_config() -> Config:
    return load_model(EXAMPLE / "cotrain.toml", CONFIG)  # type: ignore[return-value]


def test_reference_budget_balances_with_the_seven_cities() -> None:
    summary = budget_summary(_example_config(), make_applications(), _selection(ELIGIBLE))

    assert summary.costs_total == Decimal("36000.00")
    assert summary.funding_total == Decimal("32000.00")
    assert summary.contributions_total == Decimal("4000.00")
    assert summary.resources_total == Decimal("36000.00")
    assert summary.balance == Decimal("0.00")
    assert summary.balanced is True
    assert summary.status == "balanced"
    assert (summary.participants, summary.recipients, summary.activists) == (34, 28, 6)
    assert summary.cost_per_participant == Decimal("1058.82")
    assert summary.cost_per_recipient == Decimal("1285.71")
    assert summary.spent_total == Decimal("35680.00")  # the example reports its actual spending


def test_only_selected_cities_contribute_in_selection_order() -> None:
    summary = budget_summary(
        _example_config(), make_applications(), _selection(["saint-denis", "bobigny"], ["sevran"])
    )

    assert [(c.city_id, c.amount) for c in summary.contributions] == [
        ("saint-denis", Decimal("1000.00")),
        ("bobigny", Decimal("500.00")),
    ]
    assert summary.balance == Decimal("-2500.00")
    assert summary.status == "deficit"
    assert summary.balanced is False


def test_empty_contribution_counts_zero_and_is_flagged() -> None:
    summary = budget_summary(_example_config(), make_applications(), _selection(["stains"]))

    assert [tuple(c) for c in summary.contributions] == [("stains", "Stains", Decimal("0.00"))]
    assert summary.undeclared == ("stains",)


def test_without_selection_only_activists_are_counted() -> None:
    summary = budget_summary(_example_config(), None, None)

    assert summary.contributions == ()
    assert (summary.participants, summary.recipients) == (6, 0)
    assert summary.cost_per_recipient is None
    assert summary.balance == Decimal("-4000.00")


def test_surplus_and_spent_total() -> None:
    config = Config(
        budget=Budget(
            costs=[BudgetLine(label="Salle", amount=Decimal("100.10"))],
            funding=[FundingLine(funder="Ville", amount=Decimal("200"))],
            spent=[BudgetLine(label="Salle", amount=Decimal("90.05"))],
        )
    )

    summary = budget_summary(config, make_applications(), _selection([]))

    assert summary.balance == Decimal("99.90")
    assert summary.status == "surplus"
    assert summary.spent_total == Decimal("90.05")
    assert summary.cost_per_participant is None


def test_json_has_amounts_as_strings() -> None:
    data = budget_summary(_example_config(), make_applications(), _selection(ELIGIBLE)).to_json()

    assert data["balance"] == "0.00"
    assert data["costs_total"] == "36000.00"
    assert data["contributions"][0] == {
        "city_id": "aubervilliers",
        "city": "Aubervilliers",
        "amount": "500.00",
        "declared": True,
    }
