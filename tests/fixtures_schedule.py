"""Hand-made programmes for the schedule tests: the shipped example's cotrain.toml with
7 cities of 4 people (an elected official, two professionals, a prefect's delegate) and its
6 activists, as applications.toml and selection.toml built from the models."""

from __future__ import annotations

import re
import tomllib
from datetime import datetime
from pathlib import Path
from typing import Any

from cotrain.domain.config import Config
from cotrain.domain.models import (
    Application,
    ApplicationsFile,
    CityDecision,
    Person,
    SelectionFile,
)
from cotrain.domain.participants import list_participants
from cotrain.enums import Decision, Role
from cotrain.files.store import save_model
from cotrain.files.workspace import APPLICATIONS, SELECTION

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "seine-saint-denis-2015"

CITIES = ["aubervilliers", "bobigny", "bondy", "montreuil", "pantin", "saint-denis", "sevran"]
FIRST = ["alice", "bruno", "chloe", "david", "emma", "farid", "gael", "hugo", "ines", "jade"]


def example_config(**rules: Any) -> Config:
    """The shipped example's cotrain.toml, with ``plan.rules`` overridden by ``rules``.

    The example's ``keep_apart`` names people of its reponses.csv, absent from these
    fixtures: it is emptied unless given.
    """
    with (EXAMPLE / "cotrain.toml").open("rb") as handle:
        data = tomllib.load(handle)
    data.setdefault("plan", {}).setdefault("rules", {}).update({"keep_apart": [], **rules})
    return Config.model_validate(data)


def with_config(config: Config, **changes: Any) -> Config:
    data = config.model_dump(by_alias=True)
    for key, value in changes.items():
        data[key] = value
    return Config.model_validate(data)


def make_applications(cities: list[str] | None = None) -> ApplicationsFile:
    """One application per city: elected, two professionals, prefect's delegate."""
    apps = []
    roles = [Role.ELECTED, Role.PROFESSIONAL, Role.PROFESSIONAL, Role.PREFECT_DELEGATE]
    for c, city in enumerate(cities or CITIES):
        people = [
            Person(
                id=f"{city}-{r.value.replace('_', '-')}-{k}",
                name=f"{FIRST[k].title()} {city.title()}",
                role=r,
                committed=True,
            )
            for k, r in enumerate(roles)
        ]
        apps.append(
            Application(
                city_id=city,
                city=city.replace("-", " ").title(),
                submitted_at=datetime(2014, 11, 1 + c, 10, 0),
                contribution=600,
                people=people,
            )
        )
    return ApplicationsFile(applications=apps)


def make_selection(cities: list[str] | None = None) -> SelectionFile:
    return SelectionFile(
        decisions=[
            CityDecision(city_id=city, decision=Decision.SELECTED, rank=k + 1, rule="ranking")
            for k, city in enumerate(cities or CITIES)
        ]
    )


def example_participants(config: Config | None = None, cities: list[str] | None = None):
    config = config or example_config()
    return list_participants(config, make_applications(cities), make_selection(cities))


def write_workspace(folder: Path, cities: list[str] | None = None) -> Path:
    """Add applications.toml and selection.toml to a copy of the example workspace (and empty
    its ``keep_apart``, which names people of the shipped reponses.csv)."""
    config = folder / "cotrain.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(re.sub(r"(?m)^keep_apart = .*$", "keep_apart = []", text), encoding="utf-8")
    save_model(folder / APPLICATIONS.name, make_applications(cities))
    save_model(folder / SELECTION.name, make_selection(cities))
    return folder
