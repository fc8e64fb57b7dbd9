"""Write the twelve cities' answers in a fifth round of real-tool shapes (issue 16).

    python tests/data/intake/make_tool_variants5.py      # needs openpyxl; soffice for .ods/.xls

Beside ``outils/``, ``variantes/`` and ``variantes4/``, the files go to
``tests/data/intake/variantes5/``: what a demanding user of each tool gets and the earlier
rounds did not imitate. Framaforms' XLSX with a date component split into day / month / year
columns and Drupal's ``1``/``0`` select keys; a Framaforms grid in CSV; Démarches simplifiées
with every « État du dossier », private annotations that look like answers (« Montant
accordé », « Éligible ? ») and typed dates in ODS; LimeSurvey's Excel export with codes on
row 1 and texts on row 2, and one with answer codes for the territory; Google Forms with
numbered questions, a file-upload column of Drive links; Microsoft Forms' quiz export
(« Points - … », « Commentaires - … » beside each question); the manager's workbook with
two header rows (« Élu·e » over « Nom | Prénom | Mail »), formulas, serial-number dates,
a hidden list sheet and data validation; one-row-per-person CSVs saved by Excel for Mac
(UTF-8 with BOM, ``;``), by Numbers, and by LibreOffice (ISO-8859-15, ``|``), with role
labels in inclusive writing (``Élu·e``, ``Professionnel.le``).

Every file holds the shipped example's answers, so ``cotrain check`` with the example's
``cotrain.toml`` must give the same 7 of 12 eligible, for the same reasons. The ``.ods``
files are made by LibreOffice (``soffice --headless --convert-to``) and committed.
"""

from __future__ import annotations

import sys
import tempfile
from datetime import timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from make_tool_variants import (  # noqa: E402
    FRAMA_GROUP,
    amount_text,
    convert,
    date_cells,
    frama_header,
    mail,
    people_of,
    save_book,
    slots,
    write_csv,
)
from make_tool_variants4 import value_of  # noqa: E402
from make_variants import CITIES, D, E, P, when  # noqa: E402

OUT = HERE / "variantes5"


def serial(moment) -> float:
    """Excel's serial day number (1900 system) of ``moment``."""
    from datetime import datetime

    delta = moment - datetime(1899, 12, 30)
    return round(delta.days + delta.seconds / 86400, 6)


# --- Framaforms: a date split in three columns, select keys 1/0 ---------------------------


def framaforms_date_book():
    from openpyxl import Workbook

    title, details, labels, add = frama_header("Candidature co-formation 2015")

    add("Commune")
    add("EPT")
    for role, n, _ in slots(CITIES[0]):
        group = FRAMA_GROUP[role].format(n=n)
        for index, field in enumerate(["Nom", "Prénom", "Courriel", "S'engage à être présent(e)"]):
            add(field, group if index == 0 else "")
    add("Montant voté (€)")
    add("Jour", "Date de la délibération")
    add("Mois")
    add("Année")
    book = Workbook()
    sheet = book.active
    sheet.title = "Sheet1"
    for row in (title, details, labels):
        sheet.append(row)
    for number, city in enumerate(CITIES, start=1):
        stamp = when(city[3])
        text = stamp.strftime("%a, %d/%m/%Y - %H:%M")
        row = [number, 4000 + number, text, text, text, 0, "192.0.2.44", 0, "Anonymous",
               city[0], city[1]]  # fmt: skip
        for _, _, person in slots(city):
            row += ([None] * 4 if person is None
                    else [person[2], person[1], mail(person, city), 1 if person[4] else 0])  # fmt: skip
        voted = stamp - timedelta(days=20)
        row += [value_of(city)] + ([voted.day, voted.month, voted.year] if city[4] else [None] * 3)
        sheet.append(row)
    return book


def framaforms_grid_rows():
    """Framaforms CSV (tab) with a grid « Présence sur les 4,5 jours »: fieldset/grid names in
    row 2, one column per grid row (the people) in row 3, ``Oui``/``Non`` in the cells."""
    title, details, labels, add = frama_header("Co-formation 2015")

    add("Votre commune")
    for role, n, _ in slots(CITIES[0]):
        group = FRAMA_GROUP[role].format(n=n)
        add("Nom et prénom", group)
        add("Adresse électronique")
    for index, (role, n, _) in enumerate(slots(CITIES[0])):
        add(FRAMA_GROUP[role].format(n=n), "Présence sur les 4,5 jours" if index == 0 else "")
    add("Participation financière")
    rows = [title, details, labels]
    for number, city in enumerate(CITIES, start=1):
        stamp = when(city[3]).strftime("%d/%m/%Y - %H:%M")
        row = [str(number), str(700 + number), stamp, stamp, stamp, "0", "192.0.2.9", "0",
               "Anonymous", city[0]]  # fmt: skip
        for _, _, person in slots(city):
            row += (["", ""] if person is None
                    else [f"{person[1]} {person[2]}", mail(person, city)])  # fmt: skip
        for _, _, person in slots(city):
            row.append("" if person is None else ("Oui" if person[4] else "Non"))
        row.append(amount_text(city, "euro"))
        rows.append(row)
    return rows


def write_framaforms() -> None:
    save_book(framaforms_date_book(), OUT / "framaforms-date-eclatee.xlsx")
    write_csv(OUT / "framaforms-grille-tab.csv", framaforms_grid_rows(), delimiter="\t",
              quote_all=True)  # fmt: skip


# --- Démarches simplifiées: every state, annotations that look like answers -----------------

DS_STATES = ["en_construction", "en_instruction", "accepte", "refuse", "sans_suite"]
DS_HEAD = ["ID", "Email", "Entreprise raison sociale", "Civilité", "Nom", "Prénom",
           "Dépôt pour un tiers", "Nom du mandataire", "Prénom du mandataire", "Archivé",
           "État du dossier", "Dernière mise à jour le", "Déposé le", "Passé en instruction le",
           "Traité le", "Motivation de la décision", "Instructeurs", "Groupe instructeur"]  # fmt: skip


def ds_states_book():
    """DS « Dossiers » sheet with the filer (the elected official), every dossier state, the
    city's fields, then private annotations; the people in a block sheet « Triade »."""
    from openpyxl import Workbook

    book = Workbook()
    main = book.active
    main.title = "Dossiers"
    head = list(DS_HEAD) + ["Commune", "Établissement public territorial",
                            "Montant de la participation de la commune (€)",
                            "Délibération du conseil municipal",
                            "Éligible ?", "Montant accordé", "Commentaire de l'instruction"]  # fmt: skip
    main.append(head)
    block = book.create_sheet("Triade")
    block.append(["Dossier ID", "Ligne", "Rôle dans la co-formation", "Civilité", "Nom", "Prénom",
                  "Adresse électronique", "Engagement sur toutes les journées"])  # fmt: skip
    for index, city in enumerate(CITIES):
        folder = 12_300_000 + index * 11
        stamp = when(city[3])
        elected = people_of(city, E)[0]
        state = DS_STATES[index % len(DS_STATES)]
        done = stamp + timedelta(days=9) if state in ("accepte", "refuse", "sans_suite") else None
        row = [folder, mail(elected, city), None, "Mme" if elected[1][-1] == "e" else "M.",
               elected[2], elected[1], "false", None, None, "false", state,
               stamp + timedelta(days=10), stamp,
               stamp + timedelta(days=3) if state != "en_construction" else None, done,
               "Dossier incomplet" if state == "refuse" else None,
               "instructeur@cr-politique-ville.fr", "Défaut"]  # fmt: skip
        value = value_of(city)
        row += [city[0], city[1], value, f"{city[5]}.pdf" if city[5] else None,
                "Oui" if index < 7 else "Non", 1000.0 if value else None,
                "RAS" if index % 2 else "à relancer\npour la délibération"]  # fmt: skip
        main.append(row)
        for line, person in enumerate(city[8], start=1):
            role, first, last, _, committed = person
            label = {E: "Élu·e référent·e", P: "Professionnel·le", D: "Délégué·e du préfet"}[role]
            block.append([folder, line, label, "Mme" if first[-1] in "ae" else "M.", last, first,
                          mail(person, city), "Oui" if committed else "Non"])  # fmt: skip
    date_cells(main, block)
    return book


def write_ds(tmp: Path) -> None:
    save_book(ds_states_book(), OUT / "ds-etats-annotations.xlsx")
    save_book(ds_states_book(), tmp / "ds-etats-annotations.xlsx")


# --- LimeSurvey: Excel export with codes on row 1 and texts on row 2; answer codes ----------

LS_CODE = {E: "ELU", P: "PRO{n}", D: "DP"}
LS_TEXT = {E: "Élu(e) référent(e)", P: "Professionnel(le) {n}", D: "Délégué(e) du préfet"}


def limesurvey_two_rows_book():
    from openpyxl import Workbook

    codes = ["id", "submitdate", "lastpage", "startlanguage", "seed", "VILLE", "EPT"]
    texts = ["ID de la réponse", "Date de soumission", "Dernière page", "Langue de départ",
             "Tête de série", "Nom de votre ville", "Territoire (EPT)"]  # fmt: skip
    for role, n, _ in slots(CITIES[0]):
        for code, text in (("NOM", "Nom"), ("PRENOM", "Prénom"), ("MAIL", "Courriel"),
                           ("ENG", "S'engage sur toutes les journées")):  # fmt: skip
            codes.append(f"{LS_CODE[role].format(n=n)}[{code}]")
            texts.append(f"{LS_TEXT[role].format(n=n)} [{text}]")
    codes += ["MONTANT"]
    texts += ["Montant de la contribution (€)"]
    book = Workbook()
    sheet = book.active
    sheet.title = "Réponses"
    sheet.append(codes)
    sheet.append(texts)
    for index, city in enumerate(CITIES, start=1):
        row = [index, when(city[3]).strftime("%Y-%m-%d %H:%M:%S"), 3, "fr", 800 + index, city[0],
               city[1]]  # fmt: skip
        for _, _, person in slots(city):
            row += ([None] * 4 if person is None
                    else [person[2], person[1], mail(person, city), "Oui" if person[4] else "Non"])  # fmt: skip
        row.append(city[4].replace(",", ".") if city[4] else None)
        sheet.append(row)
    return book


def limesurvey_answer_codes_rows():
    """Codes for headings and answers: the territory is a list answered ``A1``…``A4``, the
    commitment a yes/no question (``Y``/``N``), the city a free text; ``,`` and CRLF."""
    ept = sorted({c[1] for c in CITIES})
    head = ["id", "submitdate", "lastpage", "startlanguage", "seed", "startdate", "datestamp",
            "ipaddr", "refurl", "COMMUNE", "EPT"]  # fmt: skip
    for role, n, _ in slots(CITIES[0]):
        code = LS_CODE[role].format(n=n)
        head += [f"{code}[NOM]", f"{code}[PRENOM]", f"{code}[MAIL]", f"{code}ENG"]
    head += ["MONTANT", "DELIB", "EPT[other]"]
    rows = [head]
    for index, city in enumerate(CITIES, start=1):
        stamp = when(city[3])
        iso = stamp.strftime("%Y-%m-%d %H:%M:%S")
        row = [str(index), iso, "4", "fr", str(4321 + index),
               (stamp - timedelta(minutes=12)).strftime("%Y-%m-%d %H:%M:%S"), iso, "192.0.2.1", "",
               city[0], f"A{ept.index(city[1]) + 1}"]  # fmt: skip
        for _, _, person in slots(city):
            row += (["", "", "", ""] if person is None
                    else [person[2], person[1], mail(person, city), "Y" if person[4] else "N"])  # fmt: skip
        row += [city[4].replace(",", "."), city[5], ""]
        rows.append(row)
    return rows


def write_limesurvey() -> None:
    save_book(limesurvey_two_rows_book(), OUT / "limesurvey-codes-et-textes.xlsx")
    write_csv(OUT / "limesurvey-codes-reponses.csv", limesurvey_answer_codes_rows(),
              encoding="utf-8-sig", newline="\r\n", quote_all=True)  # fmt: skip


# --- Google Forms: numbered questions, a file upload ----------------------------------------


def google_numbered_rows():
    who = {E: "l'élu(e) référent(e)", P: "le/la professionnel(le) n°{n}", D: "le/la délégué(e) du préfet"}
    head = ["Horodateur", "Adresse e-mail", "1. Commune candidate ", "2. Territoire (EPT) "]
    for q, (role, n, _) in enumerate(slots(CITIES[0]), start=3):
        person = who[role].format(n=n)
        head += [f"{q}.1 Nom et prénom de {person} ", f"{q}.2 Adresse e-mail de {person} ",
                 f"{q}.3 {person[0].upper() + person[1:]} s'engage-t-il/elle sur toutes les journées ? "]  # fmt: skip
    head += ["8. Montant de la contribution (€) ",
             "9. Délibération ou bon de commande (fichier PDF) ",
             "10. Remarques "]  # fmt: skip
    rows = [head]
    for index, city in enumerate(CITIES):
        stamp = when(city[3])
        row = [f"{stamp.year}/{stamp.month:02d}/{stamp.day:02d} {stamp.strftime('%-I:%M:%S %p')} UTC+1",
               f"politique.ville@{city[7]}", city[0], city[1]]  # fmt: skip
        for _, _, person in slots(city):
            row += (["", "", ""] if person is None
                    else [f"{person[1]} {person[2]}", mail(person, city), "Oui" if person[4] else "Non"])  # fmt: skip
        row += [city[4],
                f"https://drive.google.com/open?id=1xA{index:02d}bCdEfGhIjKlMnOpQrStUvWxYz" if city[5] else "",
                "Pour le 3, voir avec la DRH, 2 personnes possibles" if index == 2 else ""]  # fmt: skip
        rows.append(row)
    return rows


def write_google() -> None:
    write_csv(OUT / "google-forms-numerotees.csv", google_numbered_rows())


# --- Microsoft Forms: a quiz, with points and comments beside each question -----------------


def write_microsoft() -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Sheet1"
    head = ["ID", "Heure de début", "Heure de fin", "Adresse de messagerie", "Nom",
            "Total des points", "Commentaires du questionnaire", "Heure de publication des notes",
            "Heure de la dernière modification"]  # fmt: skip
    questions = ["Commune"]
    label = {E: "Élu(e)", P: "Professionnel(le) {n}", D: "Délégué(e) du préfet"}
    for role, n, _ in slots(CITIES[0]):
        who = label[role].format(n=n)
        questions += [f"{who} : nom et prénom", f"{who} : adresse mail",
                      f"{who} : présent(e) toutes les journées"]  # fmt: skip
    questions.append("Contribution de la commune (€)")
    for question in questions:
        head += [question, f"Points - {question}", f"Commentaires - {question}"]
    sheet.append(head)
    for index, city in enumerate(CITIES, start=1):
        stamp = when(city[3])
        row = [index, stamp - timedelta(minutes=8), stamp, "anonymous", None, 0, None, None, None]
        answers = [city[0]]
        for _, _, person in slots(city):
            answers += ([None] * 3 if person is None
                        else [f"{person[1]} {person[2]}", mail(person, city), "Oui" if person[4] else "Non"])  # fmt: skip
        answers.append(value_of(city))
        for answer in answers:
            row += [answer, None, None]
        sheet.append(row)
    save_book(book, OUT / "microsoft-forms-quiz.xlsx")


# --- The manager's workbook: two header rows, formulas, serial dates, validation ------------

GROUPS = [(E, 0, "Élu·e"), (P, 1, "Professionnel·le 1"), (P, 2, "Professionnel·le 2"),
          (P, 3, "Professionnel·le 3"), (D, 0, "Délégué·e du préfet")]  # fmt: skip


def manager_two_rows_book():
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    lists = book.active
    lists.title = "Listes"
    for value in ("Oui", "Non", "Plaine Commune", "Est Ensemble"):
        lists.append([value])
    lists.sheet_state = "hidden"
    sheet = book.create_sheet("Candidatures 2015")
    book.active = 1
    fields = ["Nom", "Prénom", "Mail", "Présent·e 4,5 j"]
    width = 3 + len(GROUPS) * len(fields) + 3
    sheet.append(["Co-formation élus / professionnels / habitants — candidatures 2015"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet["A1"].font = Font(bold=True, size=16)
    top = ["Commune", "EPT", "Reçu le"]
    for _, _, title in GROUPS:
        top += [title] + [None] * (len(fields) - 1)
    top += ["Contribution", None, "Remarques"]
    sheet.append(top)
    second = [None, None, None] + fields * len(GROUPS) + ["Montant (€)", "Délibération", None]
    sheet.append(second)
    for column in (1, 2, 3, width):
        sheet.merge_cells(start_row=2, start_column=column, end_row=3, end_column=column)
    for index in range(len(GROUPS)):
        col = 4 + index * len(fields)
        sheet.merge_cells(start_row=2, start_column=col, end_row=2, end_column=col + len(fields) - 1)
    money = 4 + len(GROUPS) * len(fields)
    sheet.merge_cells(start_row=2, start_column=money, end_row=2, end_column=money + 1)
    validation = DataValidation(type="list", formula1="=Listes!$A$1:$A$2", allow_blank=True)
    sheet.add_data_validation(validation)
    for index, city in enumerate(CITIES):
        stamp = when(city[3])
        row = [city[0], city[1], serial(stamp)]
        for role, n, _ in GROUPS:
            found = people_of(city, role)
            person = found[max(n - 1, 0)] if max(n - 1, 0) < len(found) else None
            row += ([None] * 4 if person is None
                    else [person[2].upper(), person[1], mail(person, city),
                          "Oui" if person[4] else "Non"])  # fmt: skip
        value = value_of(city)
        formula = f"={int(value) - 100}+100" if value else None
        row += [formula, city[5] or None, "Délibération reçue\nle 12/01/2015" if index % 4 == 0 else None]
        sheet.append(row)
        line = sheet.max_row
        sheet.cell(row=line, column=3).number_format = "0.00"
        sheet.cell(row=line, column=width).alignment = Alignment(wrap_text=True)
        for index_group in range(len(GROUPS)):
            validation.add(sheet.cell(row=line, column=4 + index_group * len(fields) + 3))
    sheet.freeze_panes = "D4"
    return book


def write_manager(tmp: Path) -> None:
    # openpyxl writes formulas without their values: LibreOffice computes them (ODS, then an
    # XLSX saved from it, as Excel would save it)
    save_book(manager_two_rows_book(), tmp / "tableau-deux-lignes.xlsx")


PERSON_LABELS = [
    {E: "Élu·e", P: "Professionnel·le", D: "Délégué·e du préfet"},
    {E: "Élu.e", P: "Professionnel.le", D: "Délégué.e du Préfet"},
    {E: "ÉLU(E)", P: "PROFESSIONNEL(LE)", D: "DÉLÉGUÉ(E) DU PRÉFET"},
]


def person_rows(labels, yes=("Oui", "Non")):
    head = ["Commune", "Fonction", "Nom", "Prénom", "Mail", "Présent·e sur les 4,5 jours",
            "Contribution de la ville"]  # fmt: skip
    rows = [head]
    for city in CITIES:
        for position, person in enumerate(city[8]):
            role, first, last, _, committed = person
            rows.append([city[0], labels[role], last, first, mail(person, city),
                         yes[0] if committed else yes[1],
                         amount_text(city, "euro") if position == 0 else ""])  # fmt: skip
    return rows


def write_person_csvs() -> None:
    # Excel for Mac « CSV UTF-8 (délimité par des virgules) » in a French locale: BOM, ';', CRLF
    write_csv(OUT / "personnes-excel-mac.csv", person_rows(PERSON_LABELS[0]), delimiter=";",
              encoding="utf-8-sig", newline="\r\n")  # fmt: skip
    # Numbers (French): UTF-8 without BOM, ';', LF, ticks exported as TRUE/FALSE words
    write_csv(OUT / "personnes-numbers.csv", person_rows(PERSON_LABELS[1], ("VRAI", "FAUX")),
              delimiter=";")  # fmt: skip
    # LibreOffice « Modifier les paramètres du filtre »: ISO-8859-15 (the € is 0xA4), '|', all quoted
    write_csv(OUT / "personnes-libreoffice-barre.csv", person_rows(PERSON_LABELS[2]),
              delimiter="|", encoding="iso-8859-15", quote_all=True)  # fmt: skip


# --- Batch 2: what a manager's hands add ----------------------------------------------------


def manager_legend_rows():
    """French Excel CSV (cp1252, ';', CRLF) of the manager's table: two-digit years as Excel
    shows them (``03/12/14 09:12``), a « Statut » column of the dossier's state, e-mails pasted
    from Outlook (``Nom Prénom <adresse>``), and a legend under the table."""
    head = ["Ville", "Reçu le", "Statut du dossier"]
    for _, _, title in GROUPS:
        head += [f"{title} - Nom", f"{title} - Mail", f"{title} - Engagé·e"]
    head += ["Contribution (€)", "Observations"]
    rows = [head]
    states = ["Complet", "Complet", "À compléter", "Complet", "En attente"]
    for index, city in enumerate(CITIES):
        stamp = when(city[3])
        row = [city[0], stamp.strftime("%d/%m/%y %H:%M"), states[index % len(states)]]
        for role, n, _ in GROUPS:
            found = people_of(city, role)
            person = found[max(n - 1, 0)] if max(n - 1, 0) < len(found) else None
            row += (["", "", ""] if person is None
                    else [f"{person[2].upper()} {person[1]}",
                          f"{person[2]} {person[1]} <{mail(person, city)}>" if index % 2
                          else mail(person, city),
                          "X" if person[4] else ""])  # fmt: skip
        row += [amount_text(city, "euro"), ""]
        rows.append(row)
    rows.append([""] * len(head))
    rows.append(["Légende :"] + [""] * (len(head) - 1))
    rows.append(["X = s'engage sur les 4,5 jours ; vide = non"] + [""] * (len(head) - 1))
    rows.append(["Source : boîte mail co-formation, mise à jour le 18/12/14"] + [""] * (len(head) - 1))
    return rows


def person_numbered_rows():
    """One row per person, the role column « Participant·e » numbering the professionals
    (``Professionnel·le 1``, ``Professionnel·le 2``), name and job in one cell on two lines."""
    head = ["Commune", "Participant·e", "Identité", "Courriel", "Engagement 4,5 jours",
            "Participation de la ville"]  # fmt: skip
    rows = [head]
    for city in CITIES:
        number = 0
        for position, person in enumerate(city[8]):
            role, first, last, job, committed = person
            if role == P:
                number += 1
                label = f"Professionnel·le {number}"
            else:
                label = {E: "Élu·e référent·e", D: "Délégué·e du préfet"}[role]
            rows.append([city[0], label, f"{first} {last}\n{job}", mail(person, city),
                         "Oui" if committed else "Non",
                         amount_text(city, "int-euro") if position == 0 else ""])  # fmt: skip
    return rows


def limesurvey_sgqa_rows():
    """LimeSurvey headings as SGQA codes (survey X group X question, sub-question glued):
    nothing in a heading names a field; the answers and their order do."""
    head = ["id", "submitdate", "lastpage", "startlanguage", "seed", "579214X37X201",
            "579214X37X202"]  # fmt: skip
    for group in range(38, 38 + len(list(slots(CITIES[0])))):
        head += [f"579214X{group}X{q}{sub}" for q, sub in ((210, "SQ001"), (210, "SQ002"),
                                                           (211, ""), (212, ""))]  # fmt: skip
    head += ["579214X43X220", "579214X43X221"]
    rows = [head]
    for index, city in enumerate(CITIES, start=1):
        row = [str(index), when(city[3]).strftime("%Y-%m-%d %H:%M:%S"), "6", "fr", str(77 + index),
               city[0], city[1]]  # fmt: skip
        for _, _, person in slots(city):
            row += (["", "", "", ""] if person is None
                    else [person[2], person[1], mail(person, city), "Y" if person[4] else "N"])  # fmt: skip
        row += [city[4].replace(",", "."), city[5]]
        rows.append(row)
    return rows


def person_two_rows_book():
    """One row per person under two header rows: « Personne engagée » merged over « Nom |
    Prénom | Fonction », « Contact » over « Mail | Tél. », « Engagement » over « 4,5 jours ? »;
    « Commune » and « Contribution » merged down both rows; the city merged over its people."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Inscrits"
    sheet.append(["Commune", "Personne engagée", None, None, "Contact", None, "Engagement",
                  "Contribution"])  # fmt: skip
    sheet.append([None, "Nom", "Prénom", "Fonction", "Mail", "Tél.", "4,5 jours ?", None])
    for column in (1, 8):
        sheet.merge_cells(start_row=1, start_column=column, end_row=2, end_column=column)
    sheet.merge_cells("B1:D1")
    sheet.merge_cells("E1:F1")
    label = {E: "Élu·e", P: "Professionnel·le", D: "Délégué·e du préfet"}
    for city in CITIES:
        start = sheet.max_row + 1
        for position, person in enumerate(city[8]):
            role, first, last, _, committed = person
            sheet.append([city[0] if position == 0 else None, last, first, label[role],
                          mail(person, city), f"01 49 {position + 10:02d} 00 00",
                          "oui" if committed else "non",
                          value_of(city) if position == 0 else None])  # fmt: skip
        end = sheet.max_row
        sheet.merge_cells(start_row=start, start_column=1, end_row=end, end_column=1)
        sheet.merge_cells(start_row=start, start_column=8, end_row=end, end_column=8)
    sheet.freeze_panes = "B3"
    return book


def google_contact_rows():
    """Google Forms whose first section asks for the person to contact (« Contact : nom et
    prénom », « fonction », « téléphone », « e-mail »), then one section per triad member whose
    titles carry the role's detail in brackets (« Professionnel·le n°1 (chef·fe de projet) »)."""
    who = {E: "Élu·e référent·e (adjoint·e au maire)", P: "Professionnel·le n°{n} (service PV)",
           D: "Délégué·e du préfet (DP)"}  # fmt: skip
    head = ["Horodateur", "Commune", "Contact : nom et prénom", "Contact : fonction",
            "Contact : téléphone", "Contact : e-mail"]  # fmt: skip
    for role, n, _ in slots(CITIES[0]):
        person = who[role].format(n=n)
        head += [f"{person} - Nom et prénom", f"{person} - E-mail", f"{person} - Engagement 4,5 jours"]
    head += ["Montant de la participation (€)"]
    rows = [head]
    for city in CITIES:
        stamp = when(city[3])
        contact = people_of(city, P)[0]
        row = [stamp.strftime("%d/%m/%Y %H:%M:%S"), city[0], f"{contact[1]} {contact[2]}",
               contact[3], "01 49 00 00 00", mail(contact, city)]  # fmt: skip
        for _, _, person in slots(city):
            row += (["", "", ""] if person is None
                    else [f"{person[1]} {person[2]}", mail(person, city), "Oui" if person[4] else "Non"])  # fmt: skip
        row.append(city[4])
        rows.append(row)
    return rows


def limesurvey_not_answered_rows():
    """LimeSurvey's export option « réponses non renseignées » set to ``N/A``: every question
    not answered (Bobigny's delegate, the third professional of most cities) says so."""
    rows = limesurvey_answer_codes_rows()
    head = rows[0]
    people = range(head.index("COMMUNE") + 2, head.index("MONTANT"))
    return [head] + [
        [("N/A" if i in people and not v else v) for i, v in enumerate(row)] for row in rows[1:]
    ]


def write_batch2() -> None:
    write_csv(OUT / "limesurvey-non-renseigne.csv", limesurvey_not_answered_rows(),
              encoding="utf-8-sig", newline="\r\n", quote_all=True, delimiter=";")  # fmt: skip
    write_csv(OUT / "google-forms-contact.csv", google_contact_rows())
    save_book(person_two_rows_book(), OUT / "personnes-deux-lignes.xlsx")
    # limesurvey_sgqa_rows() is not written: no heading names a field and --suggest cannot yet
    # rebuild the people from the answers alone (findings5.md); tested as a clear refusal.
    write_csv(OUT / "tableau-legende-excel.csv", manager_legend_rows(), delimiter=";",
              encoding="cp1252", newline="\r\n")  # fmt: skip
    write_csv(OUT / "personnes-identite-deux-lignes.csv", person_numbered_rows())


def main() -> None:
    OUT.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        write_framaforms()
        write_ds(tmp)
        write_limesurvey()
        write_google()
        write_microsoft()
        write_manager(tmp)
        write_person_csvs()
        write_batch2()
        # typed dates and computed formulas as LibreOffice saves them
        convert(tmp, "ods", ["ds-etats-annotations.xlsx", "tableau-deux-lignes.xlsx"], OUT)
        convert(tmp / "ods", "xlsx", ["tableau-deux-lignes.ods"], OUT)
        convert(tmp / "ods", "xls", ["tableau-deux-lignes.ods"], OUT)
    print("\n".join(sorted(p.name for p in OUT.iterdir())))


if __name__ == "__main__":
    main()
