"""The programme's budget: costs, funders and the contributions of the selected cities.

Costs and funding lines come from ``cotrain.toml`` (``[[budget.costs]]``,
``[[budget.funding]]``); each selected city adds the contribution it declared in its
application. The balance is resources minus costs: negative means money is missing.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, NamedTuple

from cotrain.domain.config import BudgetLine, Config, FundingLine
from cotrain.domain.models import ApplicationsFile, SelectionFile
from cotrain.domain.participants import list_participants
from cotrain.enums import Role

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


class CityContribution(NamedTuple):
    """One selected city's contribution; unpacks as ``(city_id, city, amount)``."""

    city_id: str
    city: str
    amount: Decimal


@dataclass(frozen=True)
class BudgetSummary:
    """Every figure ``cotrain budget`` shows; amounts in euros, rounded to the cent."""

    costs: tuple[BudgetLine, ...]
    funding: tuple[FundingLine, ...]
    costs_total: Decimal
    funding_total: Decimal
    contributions: tuple[CityContribution, ...]
    contributions_total: Decimal
    undeclared: tuple[str, ...]  # selected cities whose application left the amount empty (0)
    resources_total: Decimal
    balance: Decimal  # resources - costs: < 0 is a deficit, > 0 a surplus
    participants: int  # recipients + activists
    recipients: int  # members of the selected cities' triads
    activists: int
    cost_per_participant: Decimal | None  # None when nobody is to be trained yet
    cost_per_recipient: Decimal | None
    spent_total: Decimal
    balanced: bool

    @property
    def status(self) -> str:
        """``balanced``, ``deficit`` or ``surplus``."""
        if self.balance < 0:
            return "deficit"
        if self.balance > 0:
            return "surplus"
        return "balanced"

    def to_json(self) -> dict[str, Any]:
        """Stable keys, amounts as strings with two decimals (no float rounding)."""

        def money(value: Decimal | None) -> str | None:
            return None if value is None else f"{value:.2f}"

        return {
            "costs": [
                {"label": c.label, "amount": money(c.amount), "note": c.note} for c in self.costs
            ],
            "funding": [
                {"funder": f.funder, "amount": money(f.amount), "note": f.note}
                for f in self.funding
            ],
            "contributions": [
                {
                    "city_id": c.city_id,
                    "city": c.city,
                    "amount": money(c.amount),
                    "declared": c.city_id not in self.undeclared,
                }
                for c in self.contributions
            ],
            "costs_total": money(self.costs_total),
            "funding_total": money(self.funding_total),
            "contributions_total": money(self.contributions_total),
            "resources_total": money(self.resources_total),
            "balance": money(self.balance),
            "status": self.status,
            "balanced": self.balanced,
            "participants": self.participants,
            "recipients": self.recipients,
            "activists": self.activists,
            "cost_per_participant": money(self.cost_per_participant),
            "cost_per_recipient": money(self.cost_per_recipient),
            "spent_total": money(self.spent_total),
        }


def _cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _per_head(total: Decimal, heads: int) -> Decimal | None:
    return _cents(total / heads) if heads else None


def budget_summary(
    config: Config, applications: ApplicationsFile | None, selection: SelectionFile | None
) -> BudgetSummary:
    """The budget of this selection: totals, balance and cost per trained person.

    Only selected cities contribute (in selection order); a city whose application left the
    contribution empty counts for 0 and is listed in ``undeclared``. Without a selection,
    no city contributes and only the activists are counted as participants.
    ``contributions`` lists ``(city_id, city, amount)`` in selection order.
    """
    applications = applications or ApplicationsFile()
    budget = config.budget
    contributions: list[CityContribution] = []
    undeclared: list[str] = []
    by_id = {a.city_id: a for a in applications.applications}
    for city_id in selection.selected_city_ids() if selection else []:
        application = by_id.get(city_id)
        if application is None:
            continue
        amount = application.contribution
        contributions.append(CityContribution(city_id, application.city, _cents(amount or ZERO)))
        if amount is None:
            undeclared.append(city_id)
    costs_total = _cents(sum((c.amount for c in budget.costs), ZERO))
    funding_total = _cents(sum((f.amount for f in budget.funding), ZERO))
    contributions_total = _cents(sum((c.amount for c in contributions), ZERO))
    resources_total = funding_total + contributions_total
    balance = resources_total - costs_total
    people = list_participants(config, applications, selection)
    activists = sum(1 for p in people if p.role == Role.ACTIVIST)
    recipients = len(people) - activists
    return BudgetSummary(
        costs=tuple(budget.costs),
        funding=tuple(budget.funding),
        costs_total=costs_total,
        funding_total=funding_total,
        contributions=tuple(contributions),
        contributions_total=contributions_total,
        undeclared=tuple(undeclared),
        resources_total=resources_total,
        balance=balance,
        participants=len(people),
        recipients=recipients,
        activists=activists,
        cost_per_participant=_per_head(costs_total, len(people)),
        cost_per_recipient=_per_head(costs_total, recipients),
        spent_total=_cents(sum((s.amount for s in budget.spent), ZERO)),
        balanced=balance == 0,
    )
