"""One person named by two cities (issue 16): the quick search gives what comparing every pair
of people gives."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from cotrain.domain.intake import SharedPerson, _phone_key, people_in_two_cities
from cotrain.domain.models import Application, Person
from cotrain.domain.names import slugify
from cotrain.enums import Role

people = st.builds(
    Person,
    id=st.sampled_from(["a", "b", "c", "d"]),
    name=st.sampled_from(["Awa Diallo", "AWA DIALLO", "Paul Martin", "Léa Blanc"]),
    role=st.just(Role.ELECTED),
    email=st.sampled_from(["", "awa@x.fr", "AWA@x.fr", "paul@x.fr"]),
    phone=st.sampled_from(["", "06 12 34 56 78", "+33 6 12 34 56 78", "07 00 00 00 00"]),
)
cities = st.lists(
    st.builds(
        Application,
        city_id=st.sampled_from(["bondy", "bron", "givors", "stains"]),
        city=st.just("Ville"),
        people=st.lists(people, max_size=4),
    ),
    max_size=4,
    unique_by=lambda application: application.city_id,  # one application per city, as stored
)


def by_pairs(applications: list[Application]) -> list[SharedPerson]:
    """Every pair of people compared: the same e-mail, or the same name and phone."""
    found = [(a, p) for a in applications for p in a.people]
    keys = [(a.city_id, i) for a in applications for i in range(len(a.people))]

    def same(one: Person, two: Person) -> bool:
        if one.email and one.email.casefold() == two.email.casefold():
            return True
        phone = _phone_key(one.phone)
        return (
            bool(phone)
            and phone == _phone_key(two.phone)
            and slugify(one.name) == slugify(two.name)
        )

    groups: list[set[int]] = []
    for i in range(len(found)):
        linked = [g for g in groups if any(same(found[i][1], found[j][1]) for j in g)]
        merged = {i}.union(*linked)
        groups = [g for g in groups if g not in linked] + [merged]
    shared = []
    for group in groups:
        members = sorted(group)
        towns: dict[str, tuple[str, str, str]] = {}
        for index in members:
            app, person = found[index]
            towns.setdefault(app.city_id, (app.city_id, app.city, person.id))
        if len(towns) > 1:
            named = found[min(members, key=lambda m: keys[m])][1].name  # the first by city id
            shared.append(SharedPerson(named, tuple(sorted(towns.values()))))
    return sorted(shared, key=lambda s: (s.cities[0][0], s.name))


@settings(max_examples=300, deadline=None)
@given(cities)
def test_the_same_people_as_comparing_every_pair(applications: list[Application]) -> None:
    assert sorted(people_in_two_cities(applications), key=repr) == sorted(
        by_pairs(applications), key=repr
    )
