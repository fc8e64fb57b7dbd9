"""Who is trained: the members of the selected cities' triads, and the activists."""

from __future__ import annotations

from cotrain.domain.config import Config
from cotrain.domain.models import ApplicationsFile, Participant, SelectionFile
from cotrain.enums import Role


def list_participants(
    config: Config, applications: ApplicationsFile, selection: SelectionFile | None
) -> list[Participant]:
    """Participants in a stable order: cities in selection order, then activists by id.

    Without a selection, nobody from the cities is listed (only the activists).
    """
    people: list[Participant] = []
    for city_id in selection.selected_city_ids() if selection else []:
        application = applications.get(city_id)
        if application is None:
            continue
        for person in application.people:
            people.append(
                Participant(
                    id=person.id,
                    name=person.name,
                    role=person.role,
                    city_id=application.city_id,
                    city=application.city,
                    email=person.email,
                )
            )
    for activist in sorted(config.activists, key=lambda a: a.id):
        people.append(
            Participant(
                id=activist.id,
                name=activist.name,
                role=Role.ACTIVIST,
                organisation=activist.organisation,
                email=activist.email,
            )
        )
    return people
