"""The compte rendu financier: planned against actual, line by line, with the gaps explained
(issue 11).

An earmarked public subsidy is accounted for within six months of the end of the financial year
(loi 2000-321, art. 10; Cerfa 15059): the forecast budget beside what was actually spent and
received, every significant gap explained, and the contributions in kind (staff paid by a
partner, volunteer time, a room lent) valued apart from the cash budget.

- charges: ``[[budget.costs]]`` (planned) against ``[[budget.spent]]`` (actual, matched by
  label; its ``note`` explains the gap);
- products: ``[[budget.funding]]`` and the selected cities' contributions (planned) against
  ``[[budget.received]]`` (actual, matched by funder; a city's line names the city);
- in kind: ``[[budget.in_kind]]``, valued, equal on both sides (comptes 86 / 87).

A line with a gap and no note is listed in ``unexplained``: the bilan asks for the reason.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from cotrain.domain.budget import BudgetSummary
from cotrain.domain.config import BudgetLine, Config, FundingLine, InKindLine

ZERO = Decimal("0.00")
_CITY_WORDS = ("ville de", "ville d", "commune de", "commune d", "mairie de", "mairie d")


def _key(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", " ", bare).strip()


@dataclass(frozen=True)
class ReportLine:
    """One line of the compte rendu: planned, actual (None: not reported yet) and why."""

    label: str
    planned: Decimal
    actual: Decimal | None
    note: str = ""
    city: bool = False  # a selected city's contribution ("Ville de …" when printed)

    @property
    def gap(self) -> Decimal | None:
        return None if self.actual is None else self.actual - self.planned

    @property
    def gap_share(self) -> Decimal | None:
        """The gap as a share of the planned amount (None without a plan or an actual)."""
        if self.gap is None or not self.planned:
            return None
        return (self.gap / self.planned).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)

    @property
    def needs_explanation(self) -> bool:
        return bool(self.gap) and not self.note.strip()


@dataclass(frozen=True)
class FinancialReport:
    charges: tuple[ReportLine, ...]
    products: tuple[ReportLine, ...]
    in_kind: tuple[InKindLine, ...]
    reported: bool  # whether any actual amount was entered

    @staticmethod
    def _total(lines: Sequence[ReportLine], actual: bool) -> Decimal | None:
        if not actual:
            return sum((line.planned for line in lines), ZERO)
        if any(line.actual is None for line in lines):
            return None
        return sum((line.actual or ZERO for line in lines), ZERO)

    @property
    def planned_charges(self) -> Decimal:
        return self._total(self.charges, False) or ZERO

    @property
    def actual_charges(self) -> Decimal | None:
        return self._total(self.charges, True)

    @property
    def planned_products(self) -> Decimal:
        return self._total(self.products, False) or ZERO

    @property
    def actual_products(self) -> Decimal | None:
        return self._total(self.products, True)

    @property
    def in_kind_total(self) -> Decimal:
        return sum((line.amount for line in self.in_kind), ZERO)

    @property
    def planned_result(self) -> Decimal:
        return self.planned_products - self.planned_charges

    @property
    def actual_result(self) -> Decimal | None:
        charges, products = self.actual_charges, self.actual_products
        return None if charges is None or products is None else products - charges

    @property
    def unexplained(self) -> list[ReportLine]:
        return [line for line in (*self.charges, *self.products) if line.needs_explanation]

    @property
    def missing(self) -> list[ReportLine]:
        """Planned lines without an actual amount once reporting has begun."""
        if not self.reported:
            return []
        return [line for line in (*self.charges, *self.products) if line.actual is None]


def _match(
    planned: Sequence[tuple[str, Decimal, tuple[str, ...]]],
    actual: Sequence[BudgetLine] | Sequence[FundingLine],
    name_of: str,
) -> tuple[ReportLine, ...]:
    """Planned (label, amount, other spellings) against actual lines matched by name."""
    remaining: list[BudgetLine | FundingLine] = list(actual)
    out = []
    for label, amount, spellings in planned:
        keys = {_key(label), *(_key(s) for s in spellings)}
        # "Ville de Bondy", "Mairie d'Aubervilliers", "Commune de L'Île-Saint-Denis" name a city.
        keys |= {f"{word} {k}" for k in set(keys) for word in _CITY_WORDS}
        found = next((line for line in remaining if _key(getattr(line, name_of)) in keys), None)
        if found is not None:
            remaining.remove(found)
        out.append(
            ReportLine(
                label=label,
                planned=amount,
                actual=found.amount if found is not None else None,
                note=found.note if found is not None else "",
                city=bool(spellings),
            )
        )
    # Actual lines nobody planned: shown with a planned amount of 0, so the gap shows.
    out += [
        ReportLine(label=getattr(line, name_of), planned=ZERO, actual=line.amount, note=line.note)
        for line in remaining
    ]
    return tuple(out)


def financial_report(config: Config, summary: BudgetSummary) -> FinancialReport:
    """The compte rendu financier of the programme from ``cotrain.toml`` and the budget."""
    budget = config.budget
    no_spelling: tuple[str, ...] = ()
    charges = _match(
        [(c.label, c.amount, no_spelling) for c in budget.costs], budget.spent, "label"
    )
    planned_products = [(f.funder, f.amount, no_spelling) for f in budget.funding]
    planned_products += [(c.city, c.amount, (c.city_id,)) for c in summary.contributions]
    products = _match(planned_products, budget.received, "funder")
    reported = bool(budget.spent or budget.received)
    if not budget.spent:
        charges = tuple(ReportLine(c.label, c.planned, None, city=c.city) for c in charges)
    if not budget.received:
        products = tuple(ReportLine(p.label, p.planned, None, city=p.city) for p in products)
    return FinancialReport(
        charges=charges, products=products, in_kind=tuple(budget.in_kind), reported=reported
    )
