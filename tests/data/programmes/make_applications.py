"""Write an applications file (one row per city, the layout the README describes) for any
programme written by ``cotrain init``: its template's columns, invented people.

    python tests/data/programmes/make_applications.py WORKSPACE CITIES [--seed N] [--out FILE]

Used by tests/cli/test_programmes.py; deterministic for a given seed.
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import tomllib
from pathlib import Path

FIRST = [
    "Amina",
    "Bruno",
    "Chloé",
    "David",
    "Élise",
    "Farid",
    "Gaëlle",
    "Hugo",
    "Inès",
    "Jules",
    "Karima",
    "Louis",
    "Maëlle",
    "Nadir",
    "Odile",
    "Pierre",
    "Rania",
    "Samuel",
    "Téa",
    "Yanis",
]
LAST = [
    "Abadie",
    "Benali",
    "Cordier",
    "Diallo",
    "Estève",
    "Fournier",
    "Garnier",
    "Hamidi",
    "Imbert",
    "Joly",
    "Keita",
    "Lambert",
    "Mercier",
    "N'Diaye",
    "Olivier",
    "Perrin",
    "Roussel",
    "Sanchez",
]
TOWNS = [
    "Villeurbanne",
    "Vénissieux",
    "Vaulx-en-Velin",
    "Bron",
    "Rillieux-la-Pape",
    "Givors",
    "Saint-Fons",
    "Décines-Charpieu",
    "Meyzieu",
    "Oullins",
    "Pierre-Bénite",
    "Saint-Priest",
    "Caluire-et-Cuire",
    "Tassin",
    "Écully",
    "Mions",
]
SLOT = re.compile(r"^(?P<role>.+?)(?: (?P<slot>\d+))? - (?P<field>[^-]+)$")


def rows_for(workspace: Path, cities: int, seed: int) -> tuple[list[str], list[list[str]]]:
    config = tomllib.loads((workspace / "cotrain.toml").read_text(encoding="utf-8"))
    template = next(workspace.glob("*.csv"))
    header = template.read_text(encoding="utf-8-sig").strip().split(";")
    minimum = float(config["eligibility"].get("min_contribution", 0))
    limits = config["eligibility"]["roles"]
    rng = random.Random(seed)
    people = iter(rng.sample([(f, last) for f in FIRST for last in LAST], len(FIRST) * len(LAST)))
    # How many people each role slot column group holds: every required slot, and the first
    # optional one in one city out of two (an optional role really is optional).
    roles_in_order: list[str] = []
    for column in header:
        found = SLOT.match(column)
        if found and found["role"] not in roles_in_order:
            roles_in_order.append(found["role"])
    role_ids = list(limits)
    rows = []
    for index in range(cities):
        town = TOWNS[index]
        row: dict[str, str] = {}
        for column in header:
            found = SLOT.match(column)
            if found is None:
                continue
            role_id = role_ids[roles_in_order.index(found["role"])]
            slot = int(found["slot"] or 1)
            low, high = limits[role_id]["min"], limits[role_id]["max"]
            # every required person, one more in every other city; an optional role in half
            wanted = min(high, max(low, 1) + index % 2) if low else (1 if index % 2 == 0 else 0)
            if slot > wanted:
                continue
            key = (found["role"], slot)
            if key not in row:
                first, last = next(people)
                row[key] = (first, last)  # type: ignore[index]
            first, last = row[key]  # type: ignore[index]
            field = found["field"].strip().lower()
            domain = town.lower().replace(" ", "-").replace("é", "e").replace("è", "e")
            row[column] = {
                "nom": f"{first} {last}",
                "name": f"{first} {last}",
                "fonction": "Chargé·e de mission",
                "job title": "Project officer",
                "courriel": f"{first.lower()}.{last.lower().replace(chr(39), '')}@{domain}.fr",
                "email": f"{first.lower()}.{last.lower().replace(chr(39), '')}@{domain}.fr",
                "engagement nominatif": "Oui",
                "commitment": "Yes",
            }.get(field, "")
        cells = []
        for position, column in enumerate(header):
            if position == 0:
                cells.append(f"0{index % 9 + 1}/12/2025 09:{10 + index:02d}:00")
            elif position == 1:
                cells.append(town)
            elif position == 2:
                cells.append("Service politique de la ville")
            elif column.lower().startswith(("contribution", "financial")):
                cells.append(f"{int(minimum) + 100 * (index % 3)}")
            elif column.lower().startswith(("référence", "resolution")):
                cells.append(f"Délibération 2025-{index + 1:03d}")
            else:
                cells.append(str(row.get(column, "")))
        rows.append(cells)
    return header, rows


def write(workspace: Path, cities: int, out: Path, seed: int = 1) -> Path:
    header, rows = rows_for(workspace, cities, seed)
    with out.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(header)
        writer.writerows(rows)
    return out


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("workspace", type=Path)
    parser.add_argument("cities", type=int)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=Path("candidatures.csv"))
    args = parser.parse_args()
    print(write(args.workspace, args.cities, args.out, args.seed))
