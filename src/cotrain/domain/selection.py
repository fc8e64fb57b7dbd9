"""Choosing the cities: ranking, territory cap, the manager's overrides, withdrawals.

One deterministic function, :func:`select_cities`, turns (applications, eligibility results,
rules, the overrides kept in ``selection.toml``) into the decisions. Overrides and withdrawals
are stored in the file and replayed on every run, so that running ``cotrain select`` again
with the same inputs writes the same bytes; a withdrawal is simply a stored override after
which the same ranking promotes the first city of the waitlist that fits the territory cap.

Issue 3: up to ``selection.max_cities`` cities among the eligible ones, ranked by
``[[selection.ranking]]`` keys (ties by city id, missing values last), at most
``max_per_territory`` per territory (EPT); every decision records the rule or override behind it.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol

from cotrain.domain.config import Config, RankKey
from cotrain.domain.models import (
    Application,
    ApplicationsFile,
    CityDecision,
    SelectionEvent,
    SelectionFile,
    SelectionOverride,
)
from cotrain.enums import Decision
from cotrain.errors import InputError, Location, UsageError
from cotrain.i18n import t

INCLUDE = "include"
EXCLUDE = "exclude"
WITHDRAW = "withdraw"
ACTIONS = (INCLUDE, EXCLUDE, WITHDRAW)

# The rule recorded on each decision.
RULE_RANKING = "ranking"
RULE_MAX_CITIES = "max_cities"
RULE_TERRITORY_CAP = "territory_cap"
RULE_OVERRIDE = "override"
RULE_ELIGIBILITY = "eligibility"
RULE_WITHDRAWAL = "withdrawal"

# Application attributes usable as ranking keys; any other name is looked up in ``extra``.
RANKING_FIELDS = (
    "score",
    "submitted_at",
    "priority_neighbourhoods",
    "contribution",
    "city",
    "territory",
)


class Outcome(Protocol):
    code: str


class EligibilityResult(Protocol):
    """What ``check_applications`` returns for one city (``domain/eligibility.py``)."""

    city_id: str

    @property
    def eligible(self) -> bool: ...

    @property
    def failures(self) -> Sequence[Any]: ...


@dataclass(frozen=True)
class OverrideRequest:
    """One ``--include``, ``--exclude`` or ``--withdraw`` of this run."""

    city_id: str
    action: str
    reason: str
    force: bool = False
    from_session: str = ""  # a withdrawal after the start: the first half-day missed
    promote: bool = True  # ... and whether the waitlist gets the half-days still ahead


@dataclass(frozen=True)
class SelectionRequest:
    """What the manager asked for on this run, on top of what ``selection.toml`` keeps."""

    overrides: tuple[OverrideRequest, ...] = ()
    clear: tuple[str, ...] = ()  # city ids whose stored override is dropped
    max_cities: int | None = None  # ``--max N``
    reset: bool = False  # forget every stored include/exclude and --max (not withdrawals)


@dataclass(frozen=True)
class SelectionResult:
    selection: SelectionFile
    entered: tuple[str, ...] = ()  # city ids selected now and not before
    left: tuple[str, ...] = ()  # city ids selected before and not now
    promoted: tuple[str, ...] = ()  # entered from the previous waitlist
    new_events: tuple[SelectionEvent, ...] = field(default=())

    @property
    def changed(self) -> bool:
        return bool(self.entered or self.left or self.new_events)


# --- ranking -----------------------------------------------------------------------------


def _as_number(text: str) -> Decimal | None:
    cleaned = text.strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        return None


def rank_value(application: Application, name: str) -> Any:
    """The value of one ranking key, or None when the application leaves it empty."""
    if name in RANKING_FIELDS:
        value = getattr(application, name)
        return None if value == "" else value
    raw = application.extra.get(name, "").strip()
    return raw or None


def check_ranking(keys: Sequence[RankKey], applications: Sequence[Application]) -> None:
    """Refuse a ranking key that no application carries (a typo in cotrain.toml)."""
    known = set(RANKING_FIELDS) | {k for a in applications for k in a.extra}
    for index, key in enumerate(keys):
        if key.field not in known:
            raise InputError(
                t("selection.unknown_rank_field", field=key.field),
                location=Location(file="cotrain.toml", key=f"selection.ranking[{index + 1}].field"),
                hint=t("selection.unknown_rank_field_hint", fields=", ".join(sorted(known))),
            )


def empty_ranking_keys(
    keys: Sequence[RankKey], applications: Sequence[Application]
) -> list[tuple[str, int, int]]:
    """``(key, missing, total)`` for each ranking key some of these applications leave empty:
    they rank after the others (all of them: the order falls to the city id), which the
    manager must be told (a submission date the import could not find, say)."""
    out = []
    for key in keys:
        missing = sum(1 for a in applications if rank_value(a, key.field) is None)
        if missing:
            out.append((key.field, missing, len(applications)))
    return out


def _comparable(values: list[Any]) -> list[Any]:
    """Extra fields are text: compare them as numbers when every present value is one."""
    present = [v for v in values if v is not None]
    if present and all(isinstance(v, str) for v in present):
        numbers = [_as_number(v) for v in present]
        if all(n is not None for n in numbers):
            return [None if v is None else _as_number(v) for v in values]
        return [None if v is None else v.casefold() for v in values]
    return values


def rank_applications(
    applications: Sequence[Application], keys: Sequence[RankKey]
) -> list[Application]:
    """Best first: each key in order, asc or desc; missing values last; ties by city id."""
    items = list(applications)
    columns = [_comparable([rank_value(a, k.field) for a in items]) for k in keys]
    values = {a.city_id: [col[i] for col in columns] for i, a in enumerate(items)}

    def compare(left: Application, right: Application) -> int:
        for index, key in enumerate(keys):
            a, b = values[left.city_id][index], values[right.city_id][index]
            if a is None or b is None:
                if a is None and b is None:
                    continue
                return 1 if a is None else -1
            if a != b:
                lower = -1 if a < b else 1
                return lower if key.order == "asc" else -lower
        return (left.city_id > right.city_id) - (left.city_id < right.city_id)

    return sorted(items, key=functools.cmp_to_key(compare))


# --- overrides ---------------------------------------------------------------------------


def _unknown_city(city_id: str, applications: ApplicationsFile) -> InputError:
    known = ", ".join(a.city_id for a in applications.applications)
    return InputError(
        t("selection.unknown_city", city=city_id),
        hint=t("selection.unknown_city_hint", cities=known),
    )


def merge_overrides(
    previous: SelectionFile | None,
    request: SelectionRequest,
    applications: ApplicationsFile,
    eligible: set[str],
    *,
    now: datetime,
) -> tuple[list[SelectionOverride], list[SelectionEvent]]:
    """The overrides to apply (stored ones, updated by this run) and the events this run adds."""
    stored: dict[str, SelectionOverride] = {
        o.city_id: o for o in (previous.overrides if previous else [])
    }
    events: list[SelectionEvent] = []
    dropped: set[str] = set()
    if request.reset:
        for city_id in sorted(stored):
            if stored[city_id].action != WITHDRAW:
                del stored[city_id]
                dropped.add(city_id)
                events.append(SelectionEvent(at=now, kind="clear", city_id=city_id))
    for city_id in request.clear:
        if city_id in dropped:
            continue
        if city_id not in stored:
            raise InputError(
                t("selection.nothing_to_clear", city=city_id),
                hint=t("selection.nothing_to_clear_hint"),
            )
        del stored[city_id]
        events.append(SelectionEvent(at=now, kind="clear", city_id=city_id))
    seen: set[str] = set()
    for override in request.overrides:
        if applications.get(override.city_id) is None:
            raise _unknown_city(override.city_id, applications)
        if override.city_id in seen:
            raise UsageError(t("selection.twice", city=override.city_id))
        seen.add(override.city_id)
        if not override.reason.strip():
            raise UsageError(
                t("selection.reason_required", city=override.city_id),
                hint=t("selection.reason_required_hint"),
            )
        if override.action == INCLUDE and override.city_id not in eligible and not override.force:
            raise InputError(
                t("selection.include_ineligible", city=override.city_id),
                hint=t("selection.include_ineligible_hint", city=override.city_id),
            )
        if override.action == WITHDRAW:
            was = previous.decision(override.city_id) if previous else None
            if was is None or was.decision != Decision.SELECTED:
                status = t(f"decision.{was.decision.value}") if was else t("selection.no_decision")
                raise InputError(
                    t("selection.withdraw_not_selected", city=override.city_id, status=status),
                    hint=t("selection.withdraw_not_selected_hint"),
                )
        stored[override.city_id] = SelectionOverride(
            city_id=override.city_id,
            action=override.action,
            reason=override.reason.strip(),
            force=override.force,
            at=now,
            from_session=override.from_session,
            promote=override.promote,
        )
        kind = "withdrawal" if override.action == WITHDRAW else override.action
        events.append(
            SelectionEvent(
                at=now,
                kind=kind,
                city_id=override.city_id,
                reason=override.reason.strip(),
                from_session=override.from_session,
            )
        )
    for city_id, kept in stored.items():
        if kept.action == INCLUDE and not kept.force and city_id not in eligible:
            # Kept from an earlier run, when the city was eligible; a new import changed that.
            raise InputError(
                t("selection.include_no_longer_eligible", city=city_id),
                location=Location(file="selection.toml", key="overrides"),
                hint=t("selection.include_no_longer_eligible_hint", city=city_id),
            )
        if applications.get(city_id) is None:
            raise InputError(
                t("selection.stale_override", city=city_id, action=kept.action),
                location=Location(file="selection.toml", key="overrides"),
                hint=t("selection.stale_override_hint", city=city_id),
            )
    return [stored[c] for c in sorted(stored)], events


# --- selection ---------------------------------------------------------------------------


def select_cities(
    config: Config,
    applications: ApplicationsFile,
    checks: Sequence[EligibilityResult],
    previous: SelectionFile | None = None,
    *,
    request: SelectionRequest = SelectionRequest(),
    now: datetime,
) -> SelectionResult:
    """Decide every candidate city; the result carries the new ``selection.toml``.

    Included cities take their places first (they count towards the territory cap but are
    not stopped by it); the eligible cities follow in ranking order until ``max_cities``;
    an eligible city skipped by the territory cap or by the number of places is waitlisted,
    in ranking order. Raises ``InputError``/``UsageError`` on bad overrides, leaving nothing
    half-decided.
    """
    if not applications.applications:
        raise InputError(t("selection.no_applications"), hint=t("selection.no_applications_hint"))
    rules = config.selection
    results = {c.city_id: c for c in checks}
    eligible = {city_id for city_id, c in results.items() if c.eligible}
    overrides, events = merge_overrides(previous, request, applications, eligible, now=now)
    max_override = None if request.reset else (previous.max_override if previous else None)
    if request.max_cities is not None:
        if request.max_cities < 1:
            raise UsageError(t("selection.bad_max", value=request.max_cities))
        max_override = request.max_cities
    places = max_override or rules.max_cities
    # A city that withdrew after the start without offering its place keeps it empty.
    kept_empty = sum(
        1 for o in overrides if o.action == WITHDRAW and o.from_session and not o.promote
    )
    check_ranking(rules.ranking, applications.applications)

    by_action = {o.city_id: o for o in overrides}
    ranked = rank_applications(applications.applications, rules.ranking)
    position = {a.city_id: i for i, a in enumerate(ranked)}
    included = [a for a in ranked if (o := by_action.get(a.city_id)) and o.action == INCLUDE]
    # An include of a city that became eligible or not keeps its force flag; ineligible
    # included cities come after the eligible ones.
    included.sort(key=lambda a: (a.city_id not in eligible, position[a.city_id]))
    if len(included) > places:
        raise InputError(
            t("selection.too_many_includes", count=len(included), places=places),
            hint=t("selection.too_many_includes_hint"),
        )

    decisions: dict[str, CityDecision] = {}
    per_territory: dict[str, int] = {}

    def count(application: Application) -> None:
        if application.territory:
            per_territory[application.territory] = per_territory.get(application.territory, 0) + 1

    def failed(city_id: str) -> list[str]:
        check = results.get(city_id)
        if check is None:
            return ["not_checked"]
        return list(dict.fromkeys(f.code for f in check.failures))  # once each, in rule order

    chosen: list[Application] = []
    for application in included:
        chosen.append(application)
        count(application)
        decisions[application.city_id] = CityDecision(
            city_id=application.city_id,
            decision=Decision.SELECTED,
            rule=RULE_OVERRIDE,
            reason=by_action[application.city_id].reason,
            failed_rules=[] if application.city_id in eligible else failed(application.city_id),
        )

    waitlist: list[tuple[Application, str]] = []
    cap = rules.max_per_territory
    for application in ranked:
        city_id = application.city_id
        if city_id in decisions:
            continue
        override = by_action.get(city_id)
        if override is not None and override.action == WITHDRAW:
            decisions[city_id] = CityDecision(
                city_id=city_id,
                decision=Decision.WITHDRAWN,
                rule=RULE_WITHDRAWAL,
                reason=override.reason,
            )
            continue
        if override is not None and override.action == EXCLUDE:
            decisions[city_id] = CityDecision(
                city_id=city_id,
                decision=Decision.DECLINED,
                rule=RULE_OVERRIDE,
                reason=override.reason,
                failed_rules=[] if city_id in eligible else failed(city_id),
            )
            continue
        if city_id not in eligible:
            decisions[city_id] = CityDecision(
                city_id=city_id,
                decision=Decision.NOT_ELIGIBLE,
                rule=RULE_ELIGIBILITY,
                failed_rules=failed(city_id),
            )
            continue
        if len(chosen) >= places - kept_empty:
            waitlist.append((application, RULE_MAX_CITIES))
        elif cap and application.territory and per_territory.get(application.territory, 0) >= cap:
            waitlist.append((application, RULE_TERRITORY_CAP))
        else:
            chosen.append(application)
            count(application)
            decisions[city_id] = CityDecision(
                city_id=city_id, decision=Decision.SELECTED, rule=RULE_RANKING
            )

    # Ranks: the selected in ranking order (ineligible forced ones last), then the waitlist.
    chosen.sort(key=lambda a: (a.city_id not in eligible, position[a.city_id]))
    for rank, application in enumerate(chosen, start=1):
        decisions[application.city_id] = decisions[application.city_id].model_copy(
            update={"rank": rank}
        )
    for rank, (application, rule) in enumerate(waitlist, start=1):
        decisions[application.city_id] = CityDecision(
            city_id=application.city_id, decision=Decision.WAITLISTED, rank=rank, rule=rule
        )

    before = previous.selected_city_ids() if previous else []
    before_waitlist = set(previous.waitlisted_city_ids()) if previous else set()
    after = [a.city_id for a in chosen]
    before_set, after_set = set(before), set(after)
    entered = tuple(c for c in after if c not in before_set) if previous else ()
    left = tuple(c for c in before if c not in after_set)
    promoted = tuple(c for c in entered if c in before_waitlist)
    for city_id in entered:
        kind = "promotion" if city_id in before_waitlist else "selected"
        if by_action.get(city_id) is None or by_action[city_id].at != now:
            events.append(SelectionEvent(at=now, kind=kind, city_id=city_id))
    for city_id in left:
        if by_action.get(city_id) is None or by_action[city_id].at != now:
            events.append(SelectionEvent(at=now, kind="deselected", city_id=city_id))

    selection = SelectionFile(
        max_cities=places,
        max_override=max_override,
        decisions=[decisions[c] for c in sorted(decisions)],
        events=[*(previous.events if previous else []), *events],
        overrides=overrides,
        presence=previous.presence if previous else [],
    )
    return SelectionResult(
        selection=selection,
        entered=entered,
        left=left,
        promoted=promoted,
        new_events=tuple(events),
    )
