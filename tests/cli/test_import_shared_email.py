"""One row per person: an e-mail column holding the address of whoever filled the form in (the
same address for two people of one city) is not stored as the people's address (issue 16)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

HEAD = "Ville;Rôle;Prénom;Nom;Courriel;Engagement;Contribution financière (€)\r\n"


def people(ws: Path) -> dict[str, str]:
    data = tomllib.loads((ws / "applications.toml").read_text(encoding="utf-8"))
    return {p["name"]: p["email"] for a in data["applications"] for p in a["people"]}


def test_one_address_for_two_people_of_a_city_is_not_theirs(run, empty_ws: Path) -> None:
    rows = [
        "Bron;Élu(e);Awa;Diallo;secretariat@bron.fr;oui;600",
        "BRON;Professionnel(le);Paul;Martin;Secretariat@Bron.fr;oui;600",
        "Givors;Élu(e);Léa;Blanc;lea.blanc@givors.fr;oui;600",
    ]
    (empty_ws / "r.csv").write_text(HEAD + "\r\n".join(rows) + "\r\n", encoding="utf-8")

    result = run("import", "-w", empty_ws, empty_ws / "r.csv")

    assert result.exit_code == 0, result.output
    assert "« Courriel »" in result.stderr
    assert people(empty_ws) == {"Awa Diallo": "", "Paul Martin": "", "Léa Blanc": ""}


@pytest.mark.parametrize(
    "rows",
    [
        [  # one address in two cities: two answers, not a respondent
            "Bron;Élu(e);Awa;Diallo;awa@mail.fr;oui;600",
            "Givors;Élu(e);Awa;Diallo;awa@mail.fr;oui;600",
        ],
        [  # two addresses in a city
            "Bron;Élu(e);Awa;Diallo;awa@mail.fr;oui;600",
            "Bron;Professionnel(le);Paul;Martin;paul@mail.fr;oui;600",
        ],
    ],
)
def test_an_address_is_kept_when_no_city_gives_it_to_two_people(
    run, empty_ws: Path, rows: list[str]
) -> None:
    (empty_ws / "r.csv").write_text(HEAD + "\r\n".join(rows) + "\r\n", encoding="utf-8")

    result = run("import", "-w", empty_ws, empty_ws / "r.csv")

    assert result.exit_code == 0, result.output
    assert "Courriel" not in result.stderr
    assert "" not in set(people(empty_ws).values())
