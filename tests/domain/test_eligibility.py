"""Eligibility rules: a failed rule is a result with a code and parameters."""

from __future__ import annotations

from decimal import Decimal

from cotrain.domain.config import Config, EligibilityRules, RoleLimits
from cotrain.domain.eligibility import (
    CityCheck,
    RuleOutcome,
    check_applications,
    check_city,
    rule_names,
)
from cotrain.domain.models import Application, ApplicationsFile, Person
from cotrain.enums import Role

DAYS = Decimal("4.5")


def person(pid: str, role: Role, *, committed: bool = True) -> Person:
    return Person(id=pid, name=pid.replace("-", " ").title(), role=role, committed=committed)


def full_triad() -> list[Person]:
    return [
        person("awa-diallo", Role.ELECTED),
        person("jean-petit", Role.PROFESSIONAL),
        person("lea-roux", Role.PROFESSIONAL),
        person("omar-benali", Role.PREFECT_DELEGATE),
    ]


def city(people: list[Person] | None = None, contribution: str | None = "600", **kw) -> Application:
    return Application(
        city_id=kw.pop("city_id", "bondy"),
        city=kw.pop("city", "Bondy"),
        people=full_triad() if people is None else people,
        contribution=None if contribution is None else Decimal(contribution),
        **kw,
    )


def test_complete_committed_city_with_contribution_is_eligible() -> None:
    check = check_city(city(), EligibilityRules(), days=DAYS)
    assert check.eligible is True
    assert check.failures == ()
    assert check.rules == (
        "elected",
        "professional",
        "prefect_delegate",
        "commitment",
        "contribution",
    )


def test_check_reports_city_without_prefect_delegate() -> None:
    people = [p for p in full_triad() if p.role != Role.PREFECT_DELEGATE]
    check = check_city(city(people), EligibilityRules(), days=DAYS)
    assert check.eligible is False
    assert check.failures == (
        RuleOutcome(
            "prefect_delegate",
            False,
            "role_missing",
            {"role": "prefect_delegate", "count": 0, "min": 1},
        ),
    )
    assert check.failed_rules == ("prefect_delegate",)


def test_three_professionals_are_too_many() -> None:
    people = [*full_triad(), person("zoe-martin", Role.PROFESSIONAL)]
    check = check_city(city(people), EligibilityRules(), days=DAYS)
    assert check.failures == (
        RuleOutcome(
            "professional", False, "role_too_many", {"role": "professional", "count": 3, "max": 2}
        ),
    )


def test_each_uncommitted_person_is_one_failure_with_name_role_and_days() -> None:
    people = full_triad()
    people[1] = person("jean-petit", Role.PROFESSIONAL, committed=False)
    people[0] = person("awa-diallo", Role.ELECTED, committed=False)
    check = check_city(city(people), EligibilityRules(), days=DAYS)
    assert [f.params for f in check.failures] == [
        {"person": "Awa Diallo", "person_id": "awa-diallo", "role": "elected", "days": "4.5"},
        {"person": "Jean Petit", "person_id": "jean-petit", "role": "professional", "days": "4.5"},
    ]
    assert check.failed_rules == ("commitment",)


def test_commitment_is_not_checked_when_not_required() -> None:
    people = [person(p.id, p.role, committed=False) for p in full_triad()]
    check = check_city(city(people), EligibilityRules(require_full_commitment=False), days=DAYS)
    assert check.eligible is True
    assert "commitment" not in check.rules


def test_empty_contribution_is_missing() -> None:
    check = check_city(city(contribution=None), EligibilityRules(), days=DAYS)
    assert check.failures == (
        RuleOutcome("contribution", False, "contribution_missing", {"minimum": "500.00"}),
    )


def test_zero_contribution_is_below_minimum() -> None:
    check = check_city(city(contribution="0"), EligibilityRules(), days=DAYS)
    assert check.failures == (
        RuleOutcome(
            "contribution",
            False,
            "contribution_below_minimum",
            {"amount": "0.00", "minimum": "500.00"},
        ),
    )


def test_contribution_equal_to_minimum_is_enough() -> None:
    assert check_city(city(contribution="500.00"), EligibilityRules(), days=DAYS).eligible


def test_proof_is_checked_only_when_required() -> None:
    rules = EligibilityRules(require_contribution_proof=True)
    without = check_city(city(), rules, days=DAYS)
    with_proof = check_city(city(contribution_proof="Délibération 2014-112"), rules, days=DAYS)
    assert without.failures == (RuleOutcome("contribution_proof", False, "proof_missing", {}),)
    assert with_proof.eligible is True
    assert rule_names(rules)[-1] == "contribution_proof"


def test_custom_role_limits_apply() -> None:
    rules = EligibilityRules(
        roles={Role.ELECTED: RoleLimits(min=0, max=2), Role.PROFESSIONAL: RoleLimits(min=1, max=3)}
    )
    people = [*full_triad(), person("zoe-martin", Role.PROFESSIONAL)]
    check = check_city(city(people), rules, days=DAYS)
    assert check.eligible is True
    assert check.rules == ("elected", "professional", "commitment", "contribution")


def test_check_applications_sorts_by_city_and_uses_programme_length() -> None:
    people = full_triad()
    people[3] = person("omar-benali", Role.PREFECT_DELEGATE, committed=False)
    apps = ApplicationsFile(
        applications=[city(people, city_id="stains", city="Stains"), city(city_id="aubervilliers")]
    )
    checks = check_applications(Config(), apps)
    assert [c.city_id for c in checks] == ["aubervilliers", "stains"]
    # The default config has no sessions: the programme lasts 0 days.
    assert checks[1].failures[0].params["days"] == "0"


def test_as_dict_is_the_json_shape() -> None:
    check = CityCheck(
        "bondy",
        "Bondy",
        (
            RuleOutcome("elected", True),
            RuleOutcome("contribution", False, "contribution_missing", {"minimum": "500.00"}),
        ),
    )
    assert check.as_dict() == {
        "city_id": "bondy",
        "city": "Bondy",
        "eligible": False,
        "rules": {"elected": True, "contribution": False},
        "failures": [
            {
                "rule": "contribution",
                "ok": False,
                "code": "contribution_missing",
                "params": {"minimum": "500.00"},
            }
        ],
    }
