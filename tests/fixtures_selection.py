"""Hand-made applications for the selection, budget, participants and letters tests.

Twelve Seine-Saint-Denis cities shaped like the shipped example: seven complete triads
(an elected official, two professionals, a prefect's delegate, all committed, contributions
summing to 4,000 EUR) and five cities that fail one eligibility rule each.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from cotrain.domain.models import Application, ApplicationsFile, Person
from cotrain.enums import Role
from cotrain.files.store import save_model


@dataclass(frozen=True)
class City:
    city_id: str
    city: str
    territory: str
    submitted: str  # ISO datetime
    contribution: str | None
    score: str | None = None
    qpv: int | None = None
    flaw: str = ""  # "", "no_prefect", "low_contribution", "not_committed", "no_contribution"


EXAMPLE_CITIES: tuple[City, ...] = (
    City("aubervilliers", "Aubervilliers", "Plaine Commune", "2014-11-03T10:00", "500", "14", 5),
    City("bobigny", "Bobigny", "Est Ensemble", "2014-11-04T09:30", "500", "15", 4),
    City(
        "clichy-sous-bois",
        "Clichy-sous-Bois",
        "Grand Paris Grand Est",
        "2014-11-05T11:00",
        "500",
        "17",
        3,
    ),
    City("la-courneuve", "La Courneuve", "Plaine Commune", "2014-11-06T14:00", "500", "12", 6),
    City("montreuil", "Montreuil", "Est Ensemble", "2014-11-07T16:45", "500", "13", 7),
    City("saint-denis", "Saint-Denis", "Plaine Commune", "2014-11-10T08:15", "1000", "16", 9),
    City("sevran", "Sevran", "Paris Terres d'Envol", "2014-11-12T12:00", "500", "11", 4),
    City(
        "aulnay-sous-bois",
        "Aulnay-sous-Bois",
        "Paris Terres d'Envol",
        "2014-11-03T09:00",
        "500",
        "18",
        5,
        "no_prefect",
    ),
    City("bondy", "Bondy", "Est Ensemble", "2014-11-08T10:00", "200", "10", 3, "low_contribution"),
    City("pantin", "Pantin", "Est Ensemble", "2014-11-09T10:00", "600", "9", 2, "not_committed"),
    City("stains", "Stains", "Plaine Commune", "2014-11-11T10:00", None, "8", 3, "no_contribution"),
    City(
        "noisy-le-sec",
        "Noisy-le-Sec",
        "Est Ensemble",
        "2014-11-13T10:00",
        "500",
        "7",
        2,
        "no_elected",
    ),
)
ELIGIBLE = [c.city_id for c in EXAMPLE_CITIES if not c.flaw]
INELIGIBLE = [c.city_id for c in EXAMPLE_CITIES if c.flaw]


FIRST_NAMES = {"elu": "Karine", "agent-1": "Youssef", "agent-2": "Sandrine", "delegue": "Thierry"}


def triad(city: City) -> list[Person]:
    """An elected official, two professionals, a prefect's delegate (minus the flaw)."""
    roles = [
        ("elu", Role.ELECTED, "Adjoint·e au maire"),
        ("agent-1", Role.PROFESSIONAL, "Chef·fe de projet politique de la ville"),
        ("agent-2", Role.PROFESSIONAL, "Agent de développement local"),
        ("delegue", Role.PREFECT_DELEGATE, "Délégué·e du préfet"),
    ]
    if city.flaw == "no_prefect":
        roles = roles[:3]
    if city.flaw == "no_elected":
        roles = roles[1:]
    committed = city.flaw != "not_committed"
    return [
        Person(
            id=f"{city.city_id}-{suffix}",
            name=f"{FIRST_NAMES[suffix]} {city.city.split('-')[0].split()[-1]}",
            role=role,
            job_title=label,
            committed=committed,
        )
        for suffix, role, label in roles
    ]


def make_application(source: City, /, **changes: object) -> Application:
    city = source
    data: dict[str, object] = {
        "city_id": city.city_id,
        "city": city.city,
        "territory": city.territory,
        "submitted_at": datetime.fromisoformat(city.submitted),
        "contribution": Decimal(city.contribution) if city.contribution is not None else None,
        "contribution_proof": "délibération" if city.contribution else "",
        "score": Decimal(city.score) if city.score is not None else None,
        "priority_neighbourhoods": city.qpv,
        "people": triad(city),
        "extra": {"population": str(len(city.city) * 1000)},
    }
    data.update(changes)
    return Application.model_validate(data)


def make_applications(cities: tuple[City, ...] = EXAMPLE_CITIES) -> ApplicationsFile:
    apps = sorted((make_application(c) for c in cities), key=lambda a: a.city_id)
    return ApplicationsFile(applications=apps)


def write_applications(workspace: Path, applications: ApplicationsFile | None = None) -> Path:
    """Write ``applications.toml`` into ``workspace`` as ``cotrain import`` would."""
    path = workspace / "applications.toml"
    save_model(path, applications or make_applications())
    return path


# --- eligibility ---------------------------------------------------------------------------


def eligibility_checks(cities: tuple[City, ...] = EXAMPLE_CITIES) -> list:
    """The real eligibility results of the fixture's cities under the default rules."""
    from cotrain.domain.config import Config
    from cotrain.domain.eligibility import check_applications

    return check_applications(Config(), make_applications(cities))
