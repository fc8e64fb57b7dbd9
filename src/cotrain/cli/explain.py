"""Eligibility outcomes in plain, translated words (used by ``check`` and by the letters).

``explain_outcome(outcome)`` turns one :class:`~cotrain.domain.eligibility.RuleOutcome` into a
sentence in the current language: « aucun·e délégué·e du préfet n'est nommé·e »,
« Awa Diallo (professionnel·le) ne s'est pas engagé·e sur les 4,5 jours »,
« contribution de 0,00 € inférieure au minimum de 500,00 € ».
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from cotrain.i18n import format_money, format_number, has_key, has_override, t

if TYPE_CHECKING:
    from cotrain.domain.eligibility import CityCheck, RuleOutcome


def _money(text: object) -> str:
    try:
        return format_money(Decimal(str(text)))
    except InvalidOperation:
        return str(text)


def _days(text: object) -> str:
    try:
        value = Decimal(str(text))
    except InvalidOperation:
        return str(text)
    return format_number(value, decimals=0 if value == value.to_integral_value() else 1)


def _role(value: object, *, plural: bool = False) -> str:
    key = f"{'role_plural' if plural else 'role'}.{value}"
    return t(key) if has_key(key) or has_key(key, lang="en") else str(value)


def rule_label(rule: str) -> str:
    """A rule's column title: « Élu·e », « Engagement », « Contribution »."""
    key = f"check.rule.{rule}"
    if has_override(f"role.{rule}") or (not has_key(key, lang="en") and has_key(f"role.{rule}")):
        label = t(f"role.{rule}")  # a public the programme names itself (issue 15)
        return label[:1].upper() + label[1:]
    return t(key) if has_key(key, lang="en") else rule


def explain_outcome(outcome: RuleOutcome) -> str:
    """One outcome in plain words (an outcome that holds says so too)."""
    params = dict(outcome.params)
    code = outcome.code
    if outcome.ok:
        return t("check.explain.ok", rule=rule_label(outcome.rule))
    if code == "role_missing":
        role = str(params.get("role", outcome.rule))
        count = int(params.get("count", 0))
        if count == 0 and has_key(f"check.explain.none.{role}", lang="en"):
            return t(f"check.explain.none.{role}")
        return t(
            "check.explain.role_too_few_one" if count == 1 else "check.explain.role_too_few",
            count=count,
            roles=_role(role, plural=count != 1),
            min=params.get("min", 1),
        )
    if code == "role_too_many":
        return t(
            "check.explain.role_too_many",
            count=params.get("count", 0),
            roles=_role(params.get("role", outcome.rule), plural=True),
            max=params.get("max", 1),
        )
    if code == "not_committed":
        return t(
            "check.explain.not_committed",
            person=params.get("person", ""),
            role=_role(params.get("role", "")),
            days=_days(params.get("days", "")),
        )
    if code == "contribution_missing":
        return t("check.explain.contribution_missing", minimum=_money(params.get("minimum", "0")))
    if code == "contribution_below_minimum":
        return t(
            "check.explain.contribution_below_minimum",
            amount=_money(params.get("amount", "0")),
            minimum=_money(params.get("minimum", "0")),
        )
    if code == "proof_missing":
        return t("check.explain.proof_missing")
    if code == "person_in_two_cities":
        return t(
            "check.explain.person_in_two_cities",
            person=params.get("person", ""),
            role=_role(params.get("role", "")),
            cities=params.get("cities", ""),
        )
    return t("check.explain.other", rule=rule_label(outcome.rule), code=code)


def explain_city(check: CityCheck) -> list[str]:
    """Every failure of a city, in plain words, in rule order."""
    return [explain_outcome(outcome) for outcome in check.failures]
