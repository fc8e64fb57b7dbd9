"""Values, people ids and merging of responses (the pure part of intake)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cotrain.domain.intake import (
    Cell,
    FieldRef,
    Layout,
    SourceRow,
    build_applications,
    merge_applications,
    normalise_label,
    parse_amount,
    parse_datetime,
    parse_role,
    parse_yes_no,
    slugify,
)
from cotrain.domain.models import Application, ApplicationsFile, Person
from cotrain.enums import Role
from cotrain.errors import InputError, Location


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("600", Decimal("600")),
        ("600,00", Decimal("600.00")),
        ("1 234,50", Decimal("1234.50")),
        ("1\u00a0234,50\u00a0€", Decimal("1234.50")),
        ("1\u202f234,5", Decimal("1234.5")),
        ("1,234.50", Decimal("1234.50")),
        ("1.234,50", Decimal("1234.50")),
        ("500 EUR", Decimal("500")),
        ("-12,5", Decimal("-12.5")),
        ("", None),
    ],
)
def test_amounts_are_read_the_french_or_english_way(text: str, expected: Decimal | None) -> None:
    assert parse_amount(text) == expected


@pytest.mark.parametrize("text", ["six cents", "12,5,3.1.2", "€", "1 2 3a"])
def test_non_numeric_amounts_are_refused(text: str) -> None:
    if text == "€":
        assert parse_amount(text) is None
        return
    with pytest.raises(ValueError):
        parse_amount(text)


@given(st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False))
def test_french_formatted_amounts_read_back(value: Decimal) -> None:
    from cotrain.i18n import format_number

    assert parse_amount(format_number(value, decimals=2, lang="fr")) == value
    assert parse_amount(format_number(value, decimals=2, lang="en")) == value


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("03/12/2014 09:12:45", datetime(2014, 12, 3, 9, 12, 45)),
        ("03/12/2014 09:12", datetime(2014, 12, 3, 9, 12)),
        ("3/12/2014", datetime(2014, 12, 3)),
        ("2014-12-03T09:12:45", datetime(2014, 12, 3, 9, 12, 45)),
        ("2014-12-03 09:12", datetime(2014, 12, 3, 9, 12)),
        ("2014-12-03T09:12:45Z", datetime(2014, 12, 3, 9, 12, 45)),
        ("2014-12-03", datetime(2014, 12, 3)),
        # the form tools' own (issue 16): Framaforms, Google Forms, LimeSurvey, American order
        ("03/12/2014 - 09:12", datetime(2014, 12, 3, 9, 12)),
        ("2014/12/03 9:12:45 AM GMT+1", datetime(2014, 12, 3, 9, 12, 45)),
        ("2014/12/03 2:12:45 PM GMT+1", datetime(2014, 12, 3, 14, 12, 45)),
        ("2014/12/03", datetime(2014, 12, 3)),
        ("2014-12-03 09:12:45 +0100", datetime(2014, 12, 3, 9, 12, 45)),
        ("12/31/2014 09:12", datetime(2014, 12, 31, 9, 12)),
    ],
)
def test_dates_are_read_french_or_iso(text: str, expected: datetime) -> None:
    assert parse_datetime(text) == expected


@pytest.mark.parametrize("text", ["31/13/2014", "hier", "2014/13/03", "12-2014", "03/12/2014 13:00 PM"])
def test_unparseable_dates_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_datetime(text)


def test_yes_no_cells() -> None:
    assert [parse_yes_no(v) for v in ("Oui", "yes", "X", "true", "1", "VRAI")] == [True] * 6
    assert [parse_yes_no(v) for v in ("non", "No", "false", "0", "", "  ")] == [False] * 6
    with pytest.raises(ValueError):
        parse_yes_no("peut-être")


def test_role_labels_in_both_languages() -> None:
    assert parse_role("Élu·e") is Role.ELECTED
    assert parse_role("elected official") is Role.ELECTED
    assert parse_role("Professionnel(le)") is Role.PROFESSIONAL
    assert parse_role("DÉLÉGUÉE DU PRÉFET") is Role.PREFECT_DELEGATE
    assert parse_role("Prefect's delegate") is Role.PREFECT_DELEGATE
    assert parse_role("militant") is None


def test_labels_and_slugs() -> None:
    assert normalise_label("  Élu·e  –  NOM ") == "elu nom"
    assert normalise_label("Professionnel·le 2 - Courriel") == "professionnel 2 courriel"
    assert slugify("Éloïse N'Guessan") == "eloise-nguessan"
    assert slugify("Maëlle d’Argentré") == "maelle-dargentre"
    assert slugify("L'Île-Saint-Denis") == "lile-saint-denis"


# --- building and merging ----------------------------------------------------------------


def row(number: int, **cells: str) -> SourceRow:
    keyed = {}
    for name, text in cells.items():
        role, _, field = name.rpartition("__")
        ref = FieldRef(field, Role(role), 1) if role else FieldRef(field)
        keyed[ref] = Cell(name, text)
    return SourceRow(Location(file="r.csv", row=number), keyed)


def test_per_person_rows_group_by_city_and_keep_the_earliest_time() -> None:
    rows = [
        row(
            2,
            city="Bondy",
            role="élu",
            name="Karim Bouzid",
            committed="oui",
            contribution="600",
            submitted_at="05/12/2014 10:00",
        ),
        row(
            3,
            city="BONDY",
            role="agent",
            name="Inès Belkacem",
            committed="x",
            contribution="600,00",
            submitted_at="04/12/2014 10:00",
        ),
    ]
    [app] = build_applications(rows, layout=Layout.PER_PERSON)
    assert (app.city_id, app.city, app.contribution, app.submitted_at) == (
        "bondy",
        "Bondy",
        Decimal("600.00"),
        datetime(2014, 12, 4, 10),
    )
    assert [(p.id, p.role, p.committed) for p in app.people] == [
        ("karim-bouzid", Role.ELECTED, True),
        ("ines-belkacem", Role.PROFESSIONAL, True),
    ]
    assert app.source == "r.csv, lignes 2-3"


def test_every_problem_of_the_rows_is_raised_at_once() -> None:
    rows = [
        row(2, city="Bondy", role="habitant", name="A B", committed="oui"),
        row(3, city="", role="élu", name="C D"),
        row(4, city="Stains", role="élu", name="", email="not-an-email"),
    ]
    with pytest.raises(InputError) as caught:
        build_applications(rows, layout=Layout.PER_PERSON)
    assert len(caught.value.details) == 4


def test_a_job_title_in_the_role_column_names_the_role_by_its_first_word() -> None:
    rows = [
        row(2, city="Bondy", role="Adjointe au maire chargée de la ville", name="A B"),
        row(3, city="Bondy", role="Chargé de mission auprès du maire", name="C D"),
        row(4, city="Bondy", role="Déléguée du préfet pour Bondy et Pantin", name="E F"),
        row(5, city="Bondy", role="Conseillère municipale déléguée", name="G H"),
        row(6, city="Bondy", role="DP", name="I J"),
    ]
    (app_,) = build_applications(rows, layout=Layout.PER_PERSON)
    assert {p.name: (p.role, p.job_title) for p in app_.people} == {
        "A B": (Role.ELECTED, "Adjointe au maire chargée de la ville"),
        "C D": (Role.PROFESSIONAL, "Chargé de mission auprès du maire"),
        "E F": (Role.PREFECT_DELEGATE, "Déléguée du préfet pour Bondy et Pantin"),
        "G H": (Role.ELECTED, "Conseillère municipale déléguée"),
        "I J": (Role.PREFECT_DELEGATE, ""),  # a role label: no job title read from it
    }
    with pytest.raises(InputError):  # another office of the State is no delegate
        build_applications([row(2, city="Bondy", role="Sous-préfet", name="A B")],
                           layout=Layout.PER_PERSON)  # fmt: skip


def app(city_id: str, *names: str, contribution: str = "600", source: str = "") -> Application:
    people = [Person(id=slugify(n), name=n, role=Role.PROFESSIONAL, committed=True) for n in names]
    return Application(
        city_id=city_id,
        city=city_id.title(),
        people=people,
        contribution=Decimal(contribution),
        source=source,
    )


def test_merge_gives_ids_avoiding_trainers_activists_and_other_cities() -> None:
    existing = ApplicationsFile(applications=[app("bondy", "Sophie Martin")])
    result = merge_applications(
        existing, [app("stains", "Sophie Martin", "Awa Diallo")], reserved_ids={"awa-diallo"}
    )
    stains = result.applications.get("stains")
    assert [p.id for p in stains.people] == ["sophie-martin-stains", "awa-diallo-stains"]
    assert result.applications.get("bondy").people[0].id == "sophie-martin"
    assert result.added == ("stains",)


def test_merge_same_response_is_unchanged_and_different_one_is_a_conflict() -> None:
    existing = merge_applications(
        ApplicationsFile(), [app("bondy", "Inès Belkacem", source="a.csv, ligne 2")]
    )
    again = merge_applications(
        existing.applications, [app("bondy", "Inès Belkacem", source="b.xlsx, ligne 2")]
    )
    assert (again.unchanged, again.conflicts, again.applications) == (
        ("bondy",),
        (),
        existing.applications,
    )
    changed = app("bondy", "Inès Belkacem", contribution="700", source="c.csv, ligne 9")
    kept = merge_applications(existing.applications, [changed])
    assert kept.applications == existing.applications
    assert [(c.city_id, c.kept, c.new, c.replaced) for c in kept.conflicts] == [
        ("bondy", "a.csv, ligne 2", "c.csv, ligne 9", False)
    ]
    taken = merge_applications(existing.applications, [changed], replace=True)
    assert taken.applications.get("bondy").contribution == Decimal("700")
    assert taken.replaced == ("bondy",)


@given(
    st.lists(
        st.sampled_from(["Sophie Martin", "Awa Diallo", "Jean Petit", "Léa Roux"]),
        min_size=1,
        max_size=4,
        unique=True,
    ),
    st.sampled_from(["bondy", "stains", "sevran"]),
)
def test_merging_twice_is_idempotent(names: list[str], city: str) -> None:
    first = merge_applications(
        ApplicationsFile(applications=[app("montreuil", "Sophie Martin")]), [app(city, *names)]
    )
    second = merge_applications(first.applications, [app(city, *names)])
    assert second.applications == first.applications
    ids = [p.id for a in first.applications.applications for p in a.people]
    assert len(ids) == len(set(ids))


def test_other_columns_are_kept_only_when_the_city_rows_agree() -> None:
    rows = [
        row(2, city="Bondy", role="élu", name="Karim Bouzid"),
        row(3, city="Bondy", role="agent", name="Inès Belkacem"),
    ]
    rows[0].extra.update({"Civilité": "M.", "Conseil citoyen": "oui"})
    rows[1].extra.update({"Civilité": "Mme", "Conseil citoyen": "oui"})
    [app] = build_applications(rows, layout=Layout.PER_PERSON)
    assert app.extra == {"Conseil citoyen": "oui"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Oui, je m'engage à suivre toutes les journées", True),
        ("Non, pas sur toutes les journées", False),
        ("Oui (4,5 jours)", True),
        ("Yes - all days", True),
    ],
)
def test_yes_no_answers_in_a_sentence(text: str, expected: bool) -> None:
    assert parse_yes_no(text) is expected


@pytest.mark.parametrize("text", ["Oui, sauf le jeudi", "oui mais pas le 3e jour", "Ouistreham"])
def test_a_yes_with_a_reservation_is_no_answer(text: str) -> None:
    with pytest.raises(ValueError):
        parse_yes_no(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("41976,383854", "2014-12-03T09:12:45"),  # Excel's serial day, the format lost
        ("41976", "2014-12-03T00:00:00"),
        ("mercredi 3 décembre 2014", "2014-12-03T00:00:00"),
        ("1er déc. 2014 à 9h05", "2014-12-01T09:05:00"),
    ],
)
def test_serial_and_worded_dates(text: str, expected: str) -> None:
    found = parse_datetime(text)
    assert found is not None and found.isoformat() == expected


@pytest.mark.parametrize("text", ["12345", "99999", "75011", "3 truc 2014", "31 février 2014"])
def test_numbers_and_words_that_are_no_date(text: str) -> None:
    with pytest.raises(ValueError):
        parse_datetime(text)


@pytest.mark.parametrize(
    ("label", "role"),
    [
        ("Élues", Role.ELECTED),
        ("Techniciennes", Role.PROFESSIONAL),
        ("Collège techniciens", Role.PROFESSIONAL),
        ("Représentant de l'État", Role.PREFECT_DELEGATE),
        ("Collège État", Role.PREFECT_DELEGATE),
        ("Déléguées du préfet", Role.PREFECT_DELEGATE),
    ],
)
def test_a_college_column_in_the_triads_plural_words(label: str, role: Role) -> None:
    assert parse_role(label, loose=True) is role


def test_a_state_column_is_no_delegate() -> None:
    from cotrain.files.importers.headers import match_header

    assert match_header("État") is None  # a dossier's state, not the delegate's name
    assert parse_role("État") is None


def test_updated_copy_is_model_copy() -> None:
    """The merge's own copy (issue 16) gives what ``model_copy(update=...)`` gives, leaves the
    original alone, and keeps a copy's ``model_fields_set``."""
    from cotrain.domain.intake import _updated

    person = Person(id="awa-diallo", name="Awa Diallo", role=Role.ELECTED, email="a@b.fr")
    app = Application(city_id="bondy", city="Bondy", people=[person])
    for model, changes in (
        (person, {"id": "awa-diallo-bondy"}),
        (person, {"id": "", "notes": "x"}),
        (app, {"people": [], "source": ""}),
        (app, {"city_id": "saint-fons"}),
    ):
        mine, theirs = _updated(model, changes), model.model_copy(update=changes)
        assert mine == theirs and type(mine) is type(theirs)
        assert mine.model_fields_set == theirs.model_fields_set
        assert mine.model_dump() == theirs.model_dump()
        assert mine is not model and model.model_dump() != mine.model_dump()
    assert person.id == "awa-diallo" and app.city_id == "bondy"


@pytest.mark.parametrize(
    ("typed", "city"),
    [
        ("93200 Saint-Denis", "Saint-Denis"),
        ("Saint-Denis (93200)", "Saint-Denis"),
        ("Saint-Denis (93)", "Saint-Denis"),
        ("Saint-Denis (974)", "Saint-Denis"),  # Réunion: a three-digit overseas department
        ("Ajaccio (2A)", "Ajaccio"),
        ("93009 BOBIGNY CEDEX", "BOBIGNY"),
        ("Montreuil, 93100", "Montreuil"),
        ("Saint-Denis", "Saint-Denis"),
        ("Marseille 13e", "Marseille 13e"),  # an arrondissement is part of the name
        ("93200", "93200"),  # nothing but a number: left for the checks to refuse
    ],
)
def test_a_city_written_as_in_a_postal_address_is_the_city(typed: str, city: str) -> None:
    from cotrain.domain.intake import city_text

    assert city_text(typed) == city
