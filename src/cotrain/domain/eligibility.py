"""Which candidate cities meet the call's conditions (issue 2).

The rules come from ``[eligibility]`` in ``cotrain.toml``; their defaults are the reference
programme (seed 000; DOMAIN.md section 3): a triad of 1 elected official, 1 to 2 professionals
and 1 prefect's delegate, a nominal commitment of every named person to all the days, and a
financial contribution of at least 500 €.

A failed rule is a result, not an exception: :func:`check_city` returns one
:class:`RuleOutcome` per problem (rule, code, parameters). The CLI translates them
(``cotrain.cli.explain``), so ``--json`` stays the same whatever the language.

Rule names (the columns of ``cotrain check``): ``elected``, ``professional``,
``prefect_delegate`` (one per role with limits), ``commitment`` (when a full commitment is
required), ``contribution``, and ``contribution_proof`` (when a proof is required).

Failure codes and their parameters (all strings or ints; amounts and days as plain decimal
strings such as ``"500.00"`` and ``"4.5"``, formatted for the reader later):

- ``role_missing``: role, count, min
- ``role_too_many``: role, count, max
- ``not_committed``: person (name), person_id, role, days
- ``contribution_missing``: minimum
- ``contribution_below_minimum``: amount, minimum
- ``proof_missing``: (none)
- ``person_in_two_cities``: person, role, cities (the other cities naming the same person,
  by e-mail or by name and phone; issue 16), under the person's role rule

A rule that holds gives one outcome with ``ok=True`` and code ``ok``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from cotrain.enums import Role, all_roles

if TYPE_CHECKING:
    from cotrain.domain.config import Config, EligibilityRules
    from cotrain.domain.models import Application, ApplicationsFile, Presence

OK = "ok"
ROLE_MISSING = "role_missing"
ROLE_TOO_MANY = "role_too_many"
NOT_COMMITTED = "not_committed"
CONTRIBUTION_MISSING = "contribution_missing"
CONTRIBUTION_BELOW_MINIMUM = "contribution_below_minimum"
PROOF_MISSING = "proof_missing"
PERSON_IN_TWO_CITIES = "person_in_two_cities"

COMMITMENT = "commitment"
CONTRIBUTION = "contribution"
CONTRIBUTION_PROOF = "contribution_proof"

Params = dict[str, str | int]


@dataclass(frozen=True)
class RuleOutcome:
    """The verdict of one rule on one city: ``ok``, or one problem with its parameters."""

    rule: str
    ok: bool
    code: str = OK
    params: Params = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        return {"rule": self.rule, "ok": self.ok, "code": self.code, "params": dict(self.params)}


@dataclass(frozen=True)
class CityCheck:
    """Every rule's outcomes for one city, in the order of the rules."""

    city_id: str
    city: str
    outcomes: tuple[RuleOutcome, ...]

    @property
    def eligible(self) -> bool:
        return all(outcome.ok for outcome in self.outcomes)

    @property
    def failures(self) -> tuple[RuleOutcome, ...]:
        return tuple(outcome for outcome in self.outcomes if not outcome.ok)

    @property
    def rules(self) -> tuple[str, ...]:
        """The rules checked, in order, each once."""
        return tuple(dict.fromkeys(outcome.rule for outcome in self.outcomes))

    def rule_ok(self, rule: str) -> bool:
        return all(outcome.ok for outcome in self.outcomes if outcome.rule == rule)

    @property
    def failed_rules(self) -> tuple[str, ...]:
        """The names of the rules that failed, in order (for ``selection.toml``)."""
        return tuple(rule for rule in self.rules if not self.rule_ok(rule))

    def as_dict(self) -> dict[str, object]:
        """The JSON shape of ``cotrain check --json`` for one city."""
        return {
            "city_id": self.city_id,
            "city": self.city,
            "eligible": self.eligible,
            "rules": {rule: self.rule_ok(rule) for rule in self.rules},
            "failures": [outcome.as_dict() for outcome in self.failures],
        }


def rule_names(rules: EligibilityRules) -> tuple[str, ...]:
    """The rules a check applies, in table order."""
    names = [role.value for role in all_roles() if role in rules.roles]
    if rules.require_full_commitment:
        names.append(COMMITMENT)
    names.append(CONTRIBUTION)
    if rules.require_contribution_proof:
        names.append(CONTRIBUTION_PROOF)
    return tuple(names)


def _amount(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01')):f}"


def _days(value: Decimal) -> str:
    text = f"{value.normalize():f}"
    return text


def _check_role(role: Role, count: int, low: int, high: int) -> list[RuleOutcome]:
    if count < low:
        return [
            RuleOutcome(
                role.value, False, ROLE_MISSING, {"role": role.value, "count": count, "min": low}
            )
        ]
    if count > high:
        return [
            RuleOutcome(
                role.value, False, ROLE_TOO_MANY, {"role": role.value, "count": count, "max": high}
            )
        ]
    return [RuleOutcome(role.value, True)]


def _check_commitment(application: Application, days: Decimal) -> list[RuleOutcome]:
    problems = [
        RuleOutcome(
            COMMITMENT,
            False,
            NOT_COMMITTED,
            {
                "person": person.name,
                "person_id": person.id,
                "role": person.role.value,
                "days": _days(days),
            },
        )
        for person in application.people
        if not person.committed
    ]
    return problems or [RuleOutcome(COMMITMENT, True)]


def _check_contribution(application: Application, minimum: Decimal) -> list[RuleOutcome]:
    amount = application.contribution
    if amount is None:
        if minimum > 0:
            return [
                RuleOutcome(
                    CONTRIBUTION, False, CONTRIBUTION_MISSING, {"minimum": _amount(minimum)}
                )
            ]
        return [RuleOutcome(CONTRIBUTION, True)]
    if amount < minimum:
        return [
            RuleOutcome(
                CONTRIBUTION,
                False,
                CONTRIBUTION_BELOW_MINIMUM,
                {"amount": _amount(amount), "minimum": _amount(minimum)},
            )
        ]
    return [RuleOutcome(CONTRIBUTION, True)]


def check_city(application: Application, rules: EligibilityRules, *, days: Decimal) -> CityCheck:
    """Apply every rule to one city's application; ``days`` is the programme's length (4.5).

    Returns a :class:`CityCheck` whose outcomes follow :func:`rule_names`; a rule that fails
    for several reasons (two people not committed) gives one outcome per reason.
    """
    outcomes: list[RuleOutcome] = []
    counts: dict[Role, int] = {}  # once, not once per role
    for person in application.people:
        counts[person.role] = counts.get(person.role, 0) + 1
    for role in all_roles():
        limits = rules.roles.get(role)
        if limits is not None:
            outcomes += _check_role(role, counts.get(role, 0), limits.min, limits.max)
    if rules.require_full_commitment:
        outcomes += _check_commitment(application, days)
    outcomes += _check_contribution(application, rules.min_contribution)
    if rules.require_contribution_proof:
        if application.contribution_proof.strip():
            outcomes.append(RuleOutcome(CONTRIBUTION_PROOF, True))
        else:
            outcomes.append(RuleOutcome(CONTRIBUTION_PROOF, False, PROOF_MISSING, {}))
    return CityCheck(application.city_id, application.city, tuple(outcomes))


def check_applications(
    config: Config,
    applications: ApplicationsFile | Iterable[Application],
    *,
    everyone: Iterable[Application] | None = None,
    presence: Iterable[Presence] = (),
) -> list[CityCheck]:
    """Check every application against ``config.eligibility``; sorted by city id.

    A person also named by another city of ``everyone`` (default: the applications checked)
    fails their role's rule in both cities: one person cannot take two places.

    ``presence`` (``selection.toml``): a city is judged on its application as filed; a late
    joiner or a substitute added after the start does not count (a substitute takes a seat,
    not a second one; a join above a role's maximum was accepted with a warning).
    """
    from cotrain.domain.intake import people_in_two_cities

    items = list(
        applications.applications if hasattr(applications, "applications") else applications
    )
    added = added_after_start(items, presence)
    if added:
        items = [
            a.model_copy(update={"people": [p for p in a.people if p.id not in added]})
            for a in items
        ]
    days = config.plan.length_in_days
    shared = people_in_two_cities(items if everyone is None else everyone)
    clashes: dict[str, list[RuleOutcome]] = {}
    by_city: dict[str, list[Application]] = {}
    if shared:
        for a in items:
            by_city.setdefault(a.city_id, []).append(a)
    for person in shared:
        for city_id, _, person_id in person.cities:
            role = next(
                (p.role for a in by_city.get(city_id, ()) for p in a.people if p.id == person_id),
                None,
            )
            if role is None:
                continue
            clashes.setdefault(city_id, []).append(
                RuleOutcome(
                    role.value,
                    False,
                    PERSON_IN_TWO_CITIES,
                    {
                        "person": person.name,
                        "role": role.value,
                        "cities": ", ".join(person.others(city_id)),
                    },
                )
            )
    checks = []
    for app in items:
        check = check_city(app, config.eligibility, days=days)
        extra = clashes.get(app.city_id)
        if extra:
            outcomes = list(check.outcomes)
            for outcome in extra:
                at = max((i for i, o in enumerate(outcomes) if o.rule == outcome.rule), default=-1)
                if at >= 0 and outcomes[at].ok:
                    outcomes[at] = outcome
                else:
                    outcomes.insert(at + 1, outcome)
            check = CityCheck(check.city_id, check.city, tuple(outcomes))
        checks.append(check)
    return sorted(checks, key=lambda check: check.city_id)


def added_after_start(
    applications: Iterable[Application], presence: Iterable[Presence]
) -> set[str]:
    """The people added to a city's team after the start (``join``, ``replace --name``): those
    who joined later than the city itself (a city promoted from the waitlist joins whole)."""
    joined = {p.person_id: p.joined_from for p in presence if p.joined_from}
    out: set[str] = set()
    if not joined:  # nobody joined after the start (before any selection: always)
        return out
    for app in applications:
        starts = [joined.get(p.id, "") for p in app.people]
        if not any(starts):
            continue
        city_start = "" if "" in starts else Counter(starts).most_common(1)[0][0]
        out.update(p.id for p, start in zip(app.people, starts, strict=True) if start != city_start)
    return out


def eligible_city_ids(checks: Iterable[CityCheck]) -> list[str]:
    """The ids of the cities that meet every rule, in the order given."""
    return [check.city_id for check in checks if check.eligible]
