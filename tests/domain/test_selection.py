"""select_cities: ranking, territory cap, overrides, withdrawals, determinism."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.fixtures_selection import (
    ELIGIBLE,
    EXAMPLE_CITIES,
    eligibility_checks,
    make_application,
    make_applications,
)

from cotrain.domain.config import Config, RankKey, SelectionRules
from cotrain.domain.models import ApplicationsFile
from cotrain.domain.selection import (
    OverrideRequest,
    SelectionRequest,
    rank_applications,
    select_cities,
)
from cotrain.enums import Decision
from cotrain.errors import InputError, UsageError
from cotrain.files.store import dump_toml

NOW = datetime(2014, 12, 1, 10, 0)
LATER = datetime(2014, 12, 15, 9, 30)


def _config(max_cities: int = 7, cap: int = 0, ranking: list[RankKey] | None = None) -> Config:
    rules = SelectionRules(
        max_cities=max_cities,
        max_per_territory=cap,
        ranking=ranking or [RankKey(field="submitted_at", order="asc")],
    )
    return Config(selection=rules)


def _decided(selection, decision: Decision) -> list[str]:
    chosen = [d for d in selection.decisions if d.decision == decision]
    return [d.city_id for d in sorted(chosen, key=lambda d: (d.rank or 0, d.city_id))]


def test_selects_every_eligible_city_when_there_are_enough_places() -> None:
    result = select_cities(_config(), make_applications(), eligibility_checks(), now=NOW)

    assert sorted(result.selection.selected_city_ids()) == sorted(ELIGIBLE)
    assert result.selection.waitlisted_city_ids() == []
    not_eligible = {
        d.city_id: d.failed_rules
        for d in result.selection.decisions
        if d.decision == Decision.NOT_ELIGIBLE
    }
    assert not_eligible == {
        "aulnay-sous-bois": ["role_missing"],
        "bondy": ["contribution_below_minimum"],
        "noisy-le-sec": ["role_missing"],
        "pantin": ["not_committed"],
        "stains": ["contribution_missing"],
    }


def test_ranking_by_score_descending_fills_places_then_waitlist() -> None:
    config = _config(max_cities=4, ranking=[RankKey(field="score", order="desc")])

    result = select_cities(config, make_applications(), eligibility_checks(), now=NOW)

    # Eligible scores: clichy 17, saint-denis 16, bobigny 15, aubervilliers 14, montreuil 13,
    # la-courneuve 12, sevran 11.
    assert result.selection.selected_city_ids() == [
        "clichy-sous-bois",
        "saint-denis",
        "bobigny",
        "aubervilliers",
    ]
    assert result.selection.waitlisted_city_ids() == ["montreuil", "la-courneuve", "sevran"]
    assert {d.rule for d in result.selection.decisions if d.decision == Decision.WAITLISTED} == {
        "max_cities"
    }


def test_territory_cap_sends_skipped_cities_to_the_waitlist_with_its_rule() -> None:
    config = _config(max_cities=4, cap=1, ranking=[RankKey(field="score", order="desc")])

    result = select_cities(config, make_applications(), eligibility_checks(), now=NOW)

    # One per territory: clichy (GPGE), saint-denis (Plaine Commune), bobigny (Est Ensemble),
    # sevran (Paris Terres d'Envol) although last by score.
    assert result.selection.selected_city_ids() == [
        "clichy-sous-bois",
        "saint-denis",
        "bobigny",
        "sevran",
    ]
    waitlist = [
        (d.city_id, d.rule) for d in result.selection.decisions if d.decision == Decision.WAITLISTED
    ]
    assert sorted(waitlist, key=lambda x: x[0]) == [
        ("aubervilliers", "territory_cap"),
        ("la-courneuve", "territory_cap"),
        ("montreuil", "territory_cap"),
    ]
    assert result.selection.waitlisted_city_ids() == ["aubervilliers", "montreuil", "la-courneuve"]


def test_ties_are_broken_by_city_id_and_missing_values_rank_last() -> None:
    base = EXAMPLE_CITIES[0]
    apps = [
        make_application(base, city_id="zeta", city="Zeta", score=Decimal("10")),
        make_application(base, city_id="alpha", city="Alpha", score=Decimal("10")),
        make_application(base, city_id="beta", city="Beta", score=None),
        make_application(base, city_id="gamma", city="Gamma", score=Decimal("12")),
    ]

    for order in ("asc", "desc"):
        ranked = [a.city_id for a in rank_applications(apps, [RankKey(field="score", order=order)])]
        expected = (
            ["alpha", "zeta", "gamma", "beta"]
            if order == "asc"
            else ["gamma", "alpha", "zeta", "beta"]
        )
        assert ranked == expected


def test_extra_fields_rank_as_numbers_when_they_are_numbers() -> None:
    base = EXAMPLE_CITIES[0]
    apps = [
        make_application(base, city_id=f"c{n}", extra={"population": value})
        for n, value in enumerate(["9 000", "10000", "1 500,5"])
    ]

    ranked = rank_applications(apps, [RankKey(field="population", order="desc")])

    assert [a.city_id for a in ranked] == ["c1", "c0", "c2"]


def test_unknown_ranking_field_names_the_key() -> None:
    config = _config(ranking=[RankKey(field="scroe", order="desc")])

    with pytest.raises(InputError) as caught:
        select_cities(config, make_applications(), eligibility_checks(), now=NOW)

    assert caught.value.location.key == "selection.ranking[1].field"
    assert "scroe" in caught.value.message


def test_include_and_exclude_override_the_ranking_and_are_kept() -> None:
    config = _config(max_cities=3, ranking=[RankKey(field="score", order="desc")])
    request = SelectionRequest(
        overrides=(
            OverrideRequest("sevran", "include", "Nouveau contrat de ville"),
            OverrideRequest("clichy-sous-bois", "exclude", "Déjà formée en 2014"),
        )
    )

    first = select_cities(
        config, make_applications(), eligibility_checks(), request=request, now=NOW
    )
    again = select_cities(
        config, make_applications(), eligibility_checks(), first.selection, now=LATER
    )

    assert first.selection.selected_city_ids() == ["saint-denis", "bobigny", "sevran"]
    sevran = first.selection.decision("sevran")
    assert (sevran.rule, sevran.reason) == ("override", "Nouveau contrat de ville")
    clichy = first.selection.decision("clichy-sous-bois")
    assert (clichy.decision, clichy.rule, clichy.reason) == (
        Decision.DECLINED,
        "override",
        "Déjà formée en 2014",
    )
    assert [(e.kind, e.city_id) for e in first.new_events] == [
        ("include", "sevran"),
        ("exclude", "clichy-sous-bois"),
    ]
    assert again.selection == first.selection
    assert again.new_events == ()


def test_including_an_ineligible_city_needs_force() -> None:
    request = SelectionRequest(overrides=(OverrideRequest("bondy", "include", "Engagement oral"),))

    with pytest.raises(InputError) as caught:
        select_cities(
            _config(), make_applications(), eligibility_checks(), request=request, now=NOW
        )
    assert "--force" in caught.value.hint

    forced = SelectionRequest(
        overrides=(OverrideRequest("bondy", "include", "Engagement oral", force=True),)
    )
    result = select_cities(
        _config(max_cities=8), make_applications(), eligibility_checks(), request=forced, now=NOW
    )
    bondy = result.selection.decision("bondy")
    assert (bondy.decision, bondy.rank, bondy.failed_rules) == (
        Decision.SELECTED,
        8,
        ["contribution_below_minimum"],
    )


@pytest.mark.parametrize(
    ("request_", "error"),
    [
        (SelectionRequest(overrides=(OverrideRequest("paris", "include", "x"),)), InputError),
        (SelectionRequest(overrides=(OverrideRequest("bobigny", "exclude", " "),)), UsageError),
        (SelectionRequest(max_cities=0), UsageError),
        (SelectionRequest(clear=("bobigny",)), InputError),
        (SelectionRequest(overrides=(OverrideRequest("bobigny", "withdraw", "x"),)), InputError),
    ],
)
def test_bad_requests_are_refused(request_: SelectionRequest, error: type) -> None:
    with pytest.raises(error):
        select_cities(
            _config(), make_applications(), eligibility_checks(), request=request_, now=NOW
        )


def test_selection_without_applications_is_refused() -> None:
    with pytest.raises(InputError) as caught:
        select_cities(_config(), ApplicationsFile(), [], now=NOW)
    assert "cotrain import" in caught.value.hint


def test_withdrawal_promotes_the_first_waitlisted_city_within_the_territory_cap() -> None:
    config = _config(max_cities=4, cap=1, ranking=[RankKey(field="score", order="desc")])
    first = select_cities(config, make_applications(), eligibility_checks(), now=NOW)
    request = SelectionRequest(
        overrides=(OverrideRequest("saint-denis", "withdraw", "Changement de municipalité"),)
    )

    after = select_cities(
        config,
        make_applications(),
        eligibility_checks(),
        first.selection,
        request=request,
        now=LATER,
    )

    # Saint-Denis (Plaine Commune) leaves: Aubervilliers, first of the waitlist and of
    # Plaine Commune, takes the freed place; Montreuil (Est Ensemble, capped) stays waiting.
    assert after.selection.selected_city_ids() == [
        "clichy-sous-bois",
        "bobigny",
        "aubervilliers",
        "sevran",
    ]
    assert after.promoted == ("aubervilliers",)
    assert after.left == ("saint-denis",)
    assert [(e.at, e.kind, e.city_id) for e in after.new_events] == [
        (LATER, "withdrawal", "saint-denis"),
        (LATER, "promotion", "aubervilliers"),
    ]
    withdrawn = after.selection.decision("saint-denis")
    assert (withdrawn.decision, withdrawn.reason) == (
        Decision.WITHDRAWN,
        "Changement de municipalité",
    )
    assert after.selection.waitlisted_city_ids() == ["montreuil", "la-courneuve"]


def test_same_inputs_give_the_same_file_bytes() -> None:
    config = _config(
        max_cities=4, cap=2, ranking=[RankKey(field="priority_neighbourhoods", order="desc")]
    )
    first = select_cities(config, make_applications(), eligibility_checks(), now=NOW)
    second = select_cities(
        config, make_applications(), eligibility_checks(), first.selection, now=LATER
    )
    fresh = select_cities(config, make_applications(), eligibility_checks(), now=LATER)

    dumped = [
        dump_toml(r.selection.model_dump(by_alias=True, exclude_none=True))
        for r in (first, second, fresh)
    ]
    assert dumped[0] == dumped[1] == dumped[2]


def test_max_option_is_kept_until_reset() -> None:
    first = select_cities(
        _config(),
        make_applications(),
        eligibility_checks(),
        request=SelectionRequest(max_cities=2),
        now=NOW,
    )
    again = select_cities(
        _config(), make_applications(), eligibility_checks(), first.selection, now=LATER
    )
    reset = select_cities(
        _config(),
        make_applications(),
        eligibility_checks(),
        again.selection,
        request=SelectionRequest(reset=True),
        now=LATER,
    )

    assert len(first.selection.selected_city_ids()) == 2
    assert len(again.selection.selected_city_ids()) == 2
    assert len(reset.selection.selected_city_ids()) == 7
    assert reset.selection.max_override is None


def test_kept_include_of_a_city_that_became_ineligible_is_refused() -> None:
    request = SelectionRequest(overrides=(OverrideRequest("bobigny", "include", "Priorité"),))
    first = select_cities(
        _config(), make_applications(), eligibility_checks(), request=request, now=NOW
    )
    apps = make_applications()
    bobigny = apps.get("bobigny").model_copy(update={"contribution": Decimal("100")})
    others = [a for a in apps.applications if a.city_id != "bobigny"]
    changed = apps.model_copy(update={"applications": [bobigny, *others]})
    from cotrain.domain.eligibility import check_applications

    with pytest.raises(InputError) as caught:
        select_cities(
            _config(), changed, check_applications(Config(), changed), first.selection, now=LATER
        )

    assert "--force" in caught.value.hint
    assert "--clear bobigny" in caught.value.hint


@settings(max_examples=60, deadline=None)
@given(
    order=st.permutations(list(EXAMPLE_CITIES)),
    places=st.integers(min_value=1, max_value=12),
    cap=st.integers(min_value=0, max_value=3),
    key=st.sampled_from(["score", "submitted_at", "priority_neighbourhoods", "population"]),
    descending=st.booleans(),
)
def test_selection_does_not_depend_on_file_order_and_keeps_its_limits(
    order, places, cap, key, descending
) -> None:
    ranking = [RankKey(field=key, order="desc" if descending else "asc")]
    config = _config(max_cities=places, cap=cap, ranking=ranking)
    shuffled = ApplicationsFile(applications=[make_application(c) for c in order])

    result = select_cities(config, shuffled, eligibility_checks(), now=NOW)
    reference = select_cities(config, make_applications(), eligibility_checks(), now=NOW)

    assert result.selection == reference.selection
    selected = result.selection.selected_city_ids()
    waiting = result.selection.waitlisted_city_ids()
    assert sorted(selected + waiting) == sorted(ELIGIBLE)
    assert len(selected) <= places
    if cap == 0:
        assert len(selected) == min(places, len(ELIGIBLE))
    else:
        territories = [shuffled.get(c).territory for c in selected]
        assert all(territories.count(t) <= cap for t in territories)
    assert [d.rank for d in result.selection.decisions if d.city_id in selected] == [
        selected.index(d.city_id) + 1 for d in result.selection.decisions if d.city_id in selected
    ]
