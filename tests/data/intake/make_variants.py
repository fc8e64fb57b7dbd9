"""Write the shipped responses and their variants from one source of truth (issue 2).

    python tests/data/intake/make_variants.py

- ``examples/seine-saint-denis-2015/reponses.csv``: French Excel (Windows-1252, ``;``, CRLF,
  decimal commas, DD/MM/YYYY HH:MM:SS), one row per city, as a form tool exports it;
- ``tests/data/intake/reponses-utf8-virgules.csv``: UTF-8, commas, ISO dates;
- ``tests/data/intake/reponses.xlsx``: the same in a workbook (numbers and dates typed);
- ``tests/data/intake/reponses-par-personne.csv``: one row per person (UTF-8 with BOM, ``;``,
  Prénom / Nom split);
- ``tests/data/intake/reponses.json`` (one row per city, English headers) and
  ``tests/data/intake/reponses.toml`` (one row per person, ``[[rows]]``).

All of them import to the same applications (apart from ``source``). 12 candidate cities:
7 eligible (contributions 500 + 500 + 5 × 600 = 4 000 €), 5 failing the way real calls fail.
"""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from datetime import datetime
from decimal import Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]
EXAMPLE = REPO / "examples" / "seine-saint-denis-2015"

E, P, D = "elected", "professional", "prefect_delegate"
GOUV = "seine-saint-denis.gouv.fr"

# (commune, EPT, QPV, submitted, contribution as typed, proof, score as typed, domain, people)
# people: (role, first name, last name, job title, committed)
CITIES = [
    (
        "Saint-Denis",
        "Plaine Commune",
        14,
        "03/12/2014 09:12:45",
        "600,00",
        "Délibération n° 2014-187\ndu 11 décembre 2014",
        "16",
        "ville-saint-denis.fr",
        [
            (E, "Éloïse", "N'Guessan", "Adjointe au maire chargée de la démocratie locale", True),
            (P, "Jean-François", "Lefèvre-Duval", "Chef de projet politique de la ville", True),
            (P, "Samira", "Haddad", "Coordinatrice des conseils citoyens", True),
            (D, "Thierry", "Vasseur", "Délégué du préfet", True),
        ],
    ),
    (
        "Aubervilliers",
        "Plaine Commune",
        6,
        "05/12/2014 14:03:10",
        "500",
        "Bon de commande BC-2014-0932",
        "14",
        "mairie-aubervilliers.fr",
        [
            (E, "Karim", "Bouzid", "Adjoint au maire chargé de la démocratie locale", True),
            (P, "Maëlle", "d'Argentré", "Cheffe de projet politique de la ville", True),
            (P, "Lucas", "Ferreira", "Chargé de mission participation des habitants", True),
            (D, "Nathalie", "Öztürk", "Déléguée du préfet", True),
        ],
    ),
    (
        "Montreuil",
        "Est Ensemble",
        7,
        "04/12/2014 11:47:02",
        "600",
        "Délibération 2014-DL-245",
        "15,5",
        "montreuil.fr",
        [
            (
                E,
                "Hélène",
                "Pradier-Kaci",
                "Adjointe au maire chargée de la politique de la ville",
                True,
            ),
            (P, "Sophie", "Martin", "Cheffe de projet politique de la ville", True),
            (P, "Ousmane", "Traoré", "Agent de développement local", True),
            (D, "Guillaume", "Le Goff", "Délégué du préfet", True),
        ],
    ),
    (
        "Bondy",
        "Est Ensemble",
        5,
        "08/12/2014 16:25:33",
        "600,00",
        "Délibération du conseil municipal du 27/11/2014",
        "13",
        "ville-bondy.fr",
        [
            (
                E,
                "Fatoumata",
                "Camara",
                "Conseillère municipale déléguée aux conseils citoyens",
                True,
            ),
            (P, "Pierre-Yves", "Morvan", "Chef de projet politique de la ville", True),
            (P, "Inès", "Belkacem", "Chargée de mission démocratie participative", True),
            (D, "Chantal", "Nguyen-Rousseau", "Déléguée du préfet", True),
        ],
    ),
    (
        "Sevran",
        "Paris Terres d'Envol",
        5,
        "10/12/2014 10:05:00",
        "500,00",
        "Bon de commande 2014/1187",
        "14,5",
        "ville-sevran.fr",
        [
            (E, "Mamadou", "Sissoko", "Adjoint au maire chargé de la cohésion sociale", True),
            (P, "Anne-Sophie", "Delattre", "Directrice du service politique de la ville", True),
            (P, "Yanis", "Chérif", "Agent de développement territorial", True),
            (D, "Bernard", "Lemoine-Castel", "Délégué du préfet", True),
        ],
    ),
    (
        "Clichy-sous-Bois",
        "Grand Paris Grand Est",
        3,
        "11/12/2014 09:40:18",
        "600",
        "Délibération n° 2014-93",
        "15",
        "clichy-sous-bois.fr",
        [
            (
                E,
                "Noura",
                "El Mansouri",
                "Adjointe au maire chargée de la jeunesse et de la citoyenneté",
                True,
            ),
            (P, "Grégoire", "Aubry", "Chef de projet contrat de ville", True),
            (P, "Aïcha", "Diop", "Coordinatrice du conseil citoyen", True),
            (D, "Loïc", "Tanguy", "Délégué du préfet", True),
        ],
    ),
    (
        "L'Île-Saint-Denis",
        "Plaine Commune",
        1,
        "12/12/2014 15:18:27",
        "600,00",
        "Bon de commande n° 2014-077",
        "12",
        "mairie-ile-saint-denis.fr",
        [
            (E, "Rémi", "Da Silva", "Maire adjoint chargé de la vie des quartiers", True),
            (P, "Claire", "Hubert-N'Diaye", "Chargée de mission politique de la ville", True),
            (P, "Baptiste", "Ollivier", "Animateur de la démocratie locale", True),
            (D, "Zoé", "Lambert", "Déléguée du préfet", True),
        ],
    ),
    # No prefect's delegate named.
    (
        "Bobigny",
        "Est Ensemble",
        8,
        "06/12/2014 13:55:41",
        "600",
        "Délibération n° 2014-301",
        "13,5",
        "ville-bobigny.fr",
        [
            (
                E,
                "Sophie",
                "Martin",
                "Adjointe au maire chargée de la démocratie participative",
                True,
            ),
            (P, "Abdelkader", "Mansour", "Chef de projet politique de la ville", True),
            (P, "Julie", "Kervella", "Chargée de mission conseils citoyens", True),
        ],
    ),
    # One professional not committed to all the days.
    (
        "Aulnay-sous-Bois",
        "Paris Terres d'Envol",
        6,
        "09/12/2014 11:02:09",
        "600,00",
        "Bon de commande BC/2014/5521",
        "14",
        "aulnay-sous-bois.fr",
        [
            (
                E,
                "Patricia",
                "Vandenberghe",
                "Adjointe au maire chargée de la politique de la ville",
                True,
            ),
            (
                P,
                "Mehdi",
                "Zerrouki",
                "Chef de projet rénovation urbaine et politique de la ville",
                True,
            ),
            (P, "Émilie", "Saint-Arnaud", "Chargée de mission participation", False),
            (D, "Olivier", "Fabre", "Délégué du préfet", True),
        ],
    ),
    # No contribution voted.
    (
        "Stains",
        "Plaine Commune",
        4,
        "15/12/2014 17:30:52",
        "",
        "",
        "12,5",
        "ville-stains.fr",
        [
            (E, "Djamel", "Harbi", "Adjoint au maire chargé de la démocratie locale", True),
            (P, "Marion", "Le Bihan", "Cheffe de projet politique de la ville", True),
            (P, "Kévin", "Nsimba", "Agent de développement local", True),
            (D, "Martine", "Goulard", "Déléguée du préfet", True),
        ],
    ),
    # Three professionals.
    (
        "Noisy-le-Grand",
        "Grand Paris Grand Est",
        3,
        "16/12/2014 10:11:11",
        "600",
        "Délibération n° 2014-412",
        "11",
        "noisylegrand.fr",
        [
            (
                E,
                "Jean-Marc",
                "Duplessis-Viard",
                "Conseiller municipal délégué à la politique de la ville",
                True,
            ),
            (P, "Laetitia", "Moreau", "Cheffe de projet politique de la ville", True),
            (P, "Hugo", "Benhamou", "Chargé de mission démocratie locale", True),
            (P, "Nadège", "Éboué", "Coordinatrice des conseils citoyens", True),
            (D, "Yves-Marie", "Quéré", "Délégué du préfet", True),
        ],
    ),
    # Contribution below the 500 € minimum.
    (
        "Épinay-sur-Seine",
        "Plaine Commune",
        5,
        "17/12/2014 09:05:37",
        "300,00",
        "Bon de commande 14-0456",
        "12",
        "epinay-sur-seine.fr",
        [
            (E, "Salimata", "Koné", "Adjointe au maire chargée de la cohésion sociale", True),
            (P, "Thomas", "O'Neill-Berthier", "Chef de projet politique de la ville", True),
            (P, "Lina", "Aït-Ahmed", "Chargée de mission conseils citoyens", True),
            (D, "Arnaud", "Deschamps", "Délégué du préfet", True),
        ],
    ),
]

ROLE_FR = {E: "Élu·e", P: "Professionnel·le", D: "Délégué·e du préfet"}
ROLE_EN = {E: "Elected official", P: "Professional", D: "Prefect's delegate"}
PERSON_FR = ("Nom", "Fonction", "Courriel", "Engagement nominatif")
PERSON_EN = ("Name", "Job title", "Email", "Commitment")
GROUPS = [(E, 0), (P, 1), (P, 2), (P, 3), (D, 0)]  # (role, number in the header; 0 = none)


def ascii_part(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.replace("'", ""))
    return "".join(c for c in text if not unicodedata.combining(c)).lower().replace(" ", "-")


def email(first: str, last: str, role: str, domain: str) -> str:
    return f"{ascii_part(first)}.{ascii_part(last)}@{GOUV if role == D else domain}"


def when(text: str) -> datetime:
    return datetime.strptime(text, "%d/%m/%Y %H:%M:%S")


def amount(text: str) -> Decimal | None:
    return Decimal(text.replace(",", ".")) if text else None


def group_people(people, role, number):
    same = [p for p in people if p[0] == role]
    index = max(number - 1, 0)
    return same[index] if index < len(same) else None


def per_city_rows(english: bool = False, yes=("Oui", "Non")):
    roles = ROLE_EN if english else ROLE_FR
    fields = PERSON_EN if english else PERSON_FR
    head = (
        ["Timestamp", "City", "Territory (EPT)", "Number of QPV", "Contact"]
        if english
        else ["Horodatage", "Commune", "Territoire (EPT)", "Nombre de QPV", "Contact"]
    )
    for role, number in GROUPS:
        label = roles[role] + (f" {number}" if number else "")
        head += [f"{label} - {f}" for f in fields]
    head += (
        [
            "Financial contribution (€)",
            "Council resolution or purchase order reference",
            "Committee score",
        ]
        if english
        else [
            "Contribution financière (€)",
            "Référence de la délibération ou du bon de commande",
            "Note du comité",
        ]
    )
    rows = []
    for commune, ept, qpv, ts, contrib, proof, score, domain, people in CITIES:
        row = [ts, commune, ept, qpv, "Service politique de la ville"]
        for role, number in GROUPS:
            person = group_people(people, role, number)
            if person is None:
                row += ["", "", "", ""]
            else:
                _, first, last, job, committed = person
                row += [
                    f"{first} {last}",
                    job,
                    email(first, last, role, domain),
                    yes[0] if committed else yes[1],
                ]
        row += [contrib, proof, score]
        rows.append(row)
    return head, rows


def per_person_rows():
    head = [
        "Horodatage",
        "Commune",
        "Territoire (EPT)",
        "Nombre de QPV",
        "Contact",
        "Rôle",
        "Prénom",
        "Nom",
        "Fonction",
        "Courriel",
        "Engagement nominatif",
        "Contribution financière (€)",
        "Référence de la délibération ou du bon de commande",
        "Note du comité",
    ]
    labels = {E: "élu.e", P: "Professionnel(le)", D: "Délégué du préfet"}
    rows = []
    for commune, ept, qpv, ts, contrib, proof, score, domain, people in CITIES:
        for role, first, last, job, committed in people:
            rows.append(
                [
                    ts,
                    commune,
                    ept,
                    qpv,
                    "Service politique de la ville",
                    labels[role],
                    first,
                    last,
                    job,
                    email(first, last, role, domain),
                    "x" if committed else "",
                    contrib,
                    proof,
                    score,
                ]
            )
    return head, rows


def write_csv(path: Path, head, rows, *, delimiter: str, encoding: str, newline: str) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=newline)
    writer.writerow(head)
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))


def main() -> None:
    head, rows = per_city_rows()
    write_csv(
        EXAMPLE / "reponses.csv", head, rows, delimiter=";", encoding="cp1252", newline="\r\n"
    )

    # UTF-8 with commas: ISO dates, decimal points, "x" for yes, empty for no.
    head, rows = per_city_rows(yes=("x", ""))
    for row in rows:
        row[0] = when(row[0]).isoformat(sep=" ")
        row[-3] = row[-3].replace(",", ".")
        row[-1] = row[-1].replace(",", ".")
    write_csv(
        HERE / "reponses-utf8-virgules.csv",
        head,
        rows,
        delimiter=",",
        encoding="utf-8",
        newline="\n",
    )

    from openpyxl import Workbook

    head, rows = per_city_rows()
    book = Workbook()
    sheet = book.active
    sheet.title = "Réponses"
    sheet.append(head)
    for row in rows:
        typed = list(row)
        typed[0] = when(row[0])
        typed[-3] = float(amount(row[-3])) if row[-3] else None
        typed[-1] = float(amount(row[-1]))
        sheet.append(typed)
    notes = book.create_sheet("Notes")
    notes.append(["Export du formulaire de candidature"])
    notes.append(["Appel à candidatures de décembre 2014"])
    book.save(HERE / "reponses.xlsx")

    head, rows = per_person_rows()
    write_csv(
        HERE / "reponses-par-personne.csv",
        head,
        rows,
        delimiter=";",
        encoding="utf-8-sig",
        newline="\r\n",
    )

    head, rows = per_city_rows(english=True, yes=("yes", "no"))
    objects = []
    for row in rows:
        item = dict(zip(head, row, strict=True))
        item["Timestamp"] = when(row[0]).isoformat()
        item["Financial contribution (€)"] = float(amount(row[-3])) if row[-3] else None
        item["Committee score"] = float(amount(row[-1]))
        objects.append(item)
    (HERE / "reponses.json").write_text(
        json.dumps(objects, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )

    import tomli_w

    head, rows = per_person_rows()
    entries = []
    for row in rows:
        item = {k: v for k, v in zip(head, row, strict=True) if v != ""}
        item["Horodatage"] = when(row[0])
        if row[-3]:
            item["Contribution financière (€)"] = float(amount(row[-3]))
        entries.append(item)
    (HERE / "reponses.toml").write_text(tomli_w.dumps({"rows": entries}), encoding="utf-8")


def write_large(path: Path, cities: int) -> None:
    """A French Excel file of ``cities`` responses (the 12 repeated under numbered names), for timing."""
    head, rows = per_city_rows()
    big = []
    for index in range(cities):
        row = list(rows[index % len(rows)])
        row[1] = f"{row[1]} {index // len(rows) + 1}"
        big.append(row)
    write_csv(path, head, big, delimiter=";", encoding="cp1252", newline="\r\n")


if __name__ == "__main__":
    import sys

    if len(sys.argv) == 4 and sys.argv[1] == "--large":
        write_large(Path(sys.argv[3]), int(sys.argv[2]))
    else:
        main()
