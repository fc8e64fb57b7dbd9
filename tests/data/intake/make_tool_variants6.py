"""Write the twelve cities' answers in a sixth round of real-tool shapes (issue 16).

    python tests/data/intake/make_tool_variants6.py      # needs openpyxl; soffice for .ods/.xls

Beside ``outils/``, ``variantes/``, ``variantes4/`` and ``variantes5/``, the files go to
``tests/data/intake/variantes6/``: what the earlier rounds did not imitate. Question wordings
in inclusive writing (``Élu·e référent·e``, ``Élu.e``) and in a manager's abbreviations
(``CDP 1``, ``Dlg préfet``, ``DP``); several people of one role (``Professionnel 1``/``2``);
one row per person and one row per city; dates (``03.12.2014``, ``12/3/2014`` month first,
``3 déc. 2014``, ``2014-12-03T08:12:45Z``) and amounts (``€600.00``, ``600 EUR``) in other
notations; yes/no as ``O``/``N``, ``1``/``0``, ``TRUE``/``FALSE``, ``☒``/``☐``; an instruction
sheet placed first, hidden columns, a filter, trailing spaces, upper case, CRLF inside cells.
And the neighbours of the six tools a resource centre uses: Sphinx, Eval&Go, KoboToolbox
(repeat group on its own sheet, keyed by ``_parent_index``), Typeform, Tally, Jotform.

Every file holds the shipped example's answers, so ``cotrain check`` with the example's
``cotrain.toml`` must give the same 7 of 12 eligible, for the same reasons. The ``.ods`` and
``.xls`` files are made by LibreOffice (``soffice --headless --convert-to``) and committed.
"""

from __future__ import annotations

import re
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from make_tool_variants import (  # noqa: E402
    amount_text,
    convert,
    date_cells,
    frama_header,
    mail,
    people_of,
    slots,
    write_csv,
)
from make_tool_variants import save_book as _save_book  # noqa: E402
from make_tool_variants4 import value_of  # noqa: E402
from make_variants import CITIES, D, E, P, when  # noqa: E402

OUT = HERE / "variantes6"
MONTHS = ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.",
          "nov.", "déc."]  # fmt: skip


def save_book(book, path: Path) -> None:
    """The workbook saved with every part of its zip dated as its properties: the same bytes
    each time the generator runs."""
    import zipfile

    _save_book(book, path)
    with zipfile.ZipFile(path) as source:
        parts = [(info, source.read(info)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in parts:
            if info.filename == "docProps/core.xml":  # openpyxl dates « modified » at saving
                data = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2014-12-18T12:00:00Z", data
                )
            info.date_time = (2014, 12, 18, 12, 0, 0)
            target.writestr(info, data)


def full(person) -> str:
    return f"{person[1]} {person[2]}"


def proof_crlf(city) -> str:
    """The proof as typed in a text area on Windows: lines end with CRLF."""
    return city[5].replace("\n", "\r\n")


# --- Framaforms: inclusive fieldsets, `;`; abbreviations in an XLS ----------------------------

INCLUSIVE = {E: "Élu·e référent·e", P: "Professionnel·le {n}", D: "Délégué·e du préfet"}


def framaforms_inclusive_rows():
    """CSV with « ; » (the user's choice), three header rows; one column per option of the
    checkbox « Engagement sur les 4,5 jours » holding ``X``; CRLF inside the proof cell."""
    title, details, labels, add = frama_header(
        "Co-formation élu·e·s, professionnel·le·s et habitant·e·s 2015"
    )

    add("Commune")
    add("Territoire")
    for role, n, _ in slots(CITIES[0]):
        group = INCLUSIVE[role].format(n=n)
        for index, field in enumerate(["Nom", "Prénom", "Adresse mail"]):
            add(field, group if index == 0 else "")
    for index, (role, n, _) in enumerate(slots(CITIES[0])):
        add(INCLUSIVE[role].format(n=n), "Engagement sur les 4,5 jours" if index == 0 else "")
    add("Montant de la participation")
    add("Justificatif (délibération ou bon de commande)")
    rows = [title, details, labels]
    for number, city in enumerate(CITIES, start=1):
        stamp = when(city[3]).strftime("%d/%m/%Y - %H:%M")
        row = [str(number), str(300 + number), stamp, stamp, stamp, "0", "192.0.2.5", "0",
               "Anonymous", city[0], city[1]]  # fmt: skip
        for _, _, person in slots(city):
            row += ["", "", ""] if person is None else [person[2], person[1], mail(person, city)]
        for _, _, person in slots(city):
            row.append("X" if person is not None and person[4] else "")
        row += [amount_text(city, "euro"), proof_crlf(city)]
        rows.append(row)
    return rows


ABBREV = {E: "Élu.e", P: "CDP {n}", D: "Dlg préfet"}


def framaforms_abbrev_book():
    """XLSX (saved as XLS by LibreOffice) with three header rows; fieldsets in a manager's
    abbreviations, last names in capitals, ``Oui``/``Non``; amounts as numbers."""
    from openpyxl import Workbook

    title, details, labels, add = frama_header("Candidature co-formation 2015", pad=None)

    add("Ville")
    for role, n, _ in slots(CITIES[0]):
        group = ABBREV[role].format(n=n)
        for index, field in enumerate(["NOM", "Prénom", "Mél", "Présent 4,5 j ?"]):
            add(field, group if index == 0 else None)
    add("Contribution (€)")
    book = Workbook()
    sheet = book.active
    sheet.title = "Sheet1"
    for row in (title, details, labels):
        sheet.append(row)
    for number, city in enumerate(CITIES, start=1):
        stamp = when(city[3]).strftime("%d/%m/%Y - %H:%M")
        row = [number, 900 + number, stamp, stamp, stamp, 0, "192.0.2.8", 0, "Anonymous", city[0]]
        for _, _, person in slots(city):
            row += ([None] * 4 if person is None
                    else [person[2].upper(), person[1], mail(person, city),
                          "Oui" if person[4] else "Non"])  # fmt: skip
        row.append(value_of(city))
        sheet.append(row)
    return book


def write_framaforms(tmp: Path) -> None:
    write_csv(OUT / "framaforms-inclusif-pointvirgule.csv", framaforms_inclusive_rows(),
              delimiter=";", quote_all=True)  # fmt: skip
    save_book(framaforms_abbrev_book(), tmp / "framaforms-abreviations.xlsx")


# --- Démarches simplifiées: one block sheet per role; the CSV of the main sheet -----------------

DS_META = ["ID", "Email", "Connecté via", "Civilité", "Nom", "Prénom", "Archivé",
           "État du dossier", "Dernière mise à jour le", "Déposé le", "Passé en instruction le",
           "Traité le", "Motivation de la décision", "Instructeurs"]  # fmt: skip
DS_SHEETS = {E: "Élu·e référent·e", P: "Professionnel·les de la ville", D: "Délégué·e du préfet"}


def ds_blocks_book():
    from openpyxl import Workbook

    book = Workbook()
    main = book.active
    main.title = "Dossiers"
    main.append(DS_META + ["Nom de la commune", "EPT de rattachement",
                           "Participation financière de la commune", "Pièce justificative"])  # fmt: skip
    blocks = {}
    for role, name in DS_SHEETS.items():
        blocks[role] = book.create_sheet(name)
        blocks[role].append(["Dossier ID", "Ligne", "Nom", "Prénom", "Adresse électronique",
                             "Engagement sur toute la durée de la co-formation"])  # fmt: skip
    for index, city in enumerate(CITIES):
        folder = 45_000_100 + index * 7
        stamp = when(city[3])
        filer = people_of(city, P)[0]
        main.append([folder, f"politique.ville@{city[7]}", "Mot de passe", "Mme", filer[2],
                     filer[1], "false", "en_instruction", stamp + timedelta(days=2), stamp,
                     stamp + timedelta(days=1), None, None, "instruction@cr-ressources.fr",
                     city[0], city[1], value_of(city),
                     f"{city[5]}.pdf" if city[5] else None])  # fmt: skip
        lines = {E: 0, P: 0, D: 0}
        for person in city[8]:
            role = person[0]
            lines[role] += 1
            blocks[role].append([folder, lines[role], person[2], person[1], mail(person, city),
                                 "Oui" if person[4] else "Non"])  # fmt: skip
    date_cells(*book.worksheets)
    return book


def ds_csv_rows():
    """DS CSV (main sheet only): non-repeated fields per person, « : » in the labels, ``,``,
    dates as Ruby writes them (``2014-12-03 09:12:45 +0100``), checkboxes ``true``/``false``."""
    head = DS_META + ["Commune"]
    who = {E: "Élu·e référent·e", P: "Professionnel·le n°{n}", D: "Délégué·e du préfet"}
    for role, n, _ in slots(CITIES[0]):
        label = who[role].format(n=n)
        head += [f"{label} : nom et prénom", f"{label} : courriel",
                 f"{label} : s'engage sur les 4,5 jours"]  # fmt: skip
    head += ["Montant de la participation de la ville (en euros)"]
    rows = [head]
    for index, city in enumerate(CITIES):
        stamp = when(city[3])
        ruby = "%Y-%m-%d %H:%M:%S +0100"
        filer = people_of(city, E)[0]
        row = [str(60_000 + index), mail(filer, city), "FranceConnect", "M.", filer[2], filer[1],
               "false", "en_construction", (stamp + timedelta(hours=3)).strftime(ruby),
               stamp.strftime(ruby), "", "", "", "", city[0]]  # fmt: skip
        for _, _, person in slots(city):
            row += (["", "", ""] if person is None
                    else [full(person), mail(person, city), "true" if person[4] else "false"])  # fmt: skip
        row.append(city[4].replace(",", ".") if city[4] else "")
        rows.append(row)
    return rows


def write_ds(tmp: Path) -> None:
    save_book(ds_blocks_book(), OUT / "ds-blocs-par-role.xlsx")
    save_book(ds_blocks_book(), tmp / "ds-blocs-par-role.xlsx")
    write_csv(OUT / "ds-dossiers-principal.csv", ds_csv_rows())


# --- LimeSurvey: full texts in inclusive writing; other question codes ----------------------


def limesurvey_texts_rows():
    """« Texte complet de la question » in French, ``;``, BOM, all quoted, CRLF."""
    head = ["ID de la réponse", "Date de soumission", "Dernière page", "Langue de départ",
            "Tête de série", "Date de début", "Date de la dernière action", "Votre commune"]  # fmt: skip
    who = {
        E: "l'élu·e référent·e",
        P: "du·de la professionnel·le {n}",
        D: "du·de la délégué·e du préfet",
    }
    for role, n, _ in slots(CITIES[0]):
        text = who[role].format(n=n)
        of = "de " + text if role == E else text
        head += [f"Nom {of}", f"Prénom {of}", f"Adresse électronique {of}",
                 f"Engagement {of} sur les 4,5 journées"]  # fmt: skip
    head.append("Montant de la contribution de la commune (€)")
    rows = [head]
    for index, city in enumerate(CITIES, start=1):
        stamp = when(city[3])
        iso = stamp.strftime("%Y-%m-%d %H:%M:%S")
        row = [str(index), iso, "5", "fr", str(1000 + index),
               (stamp - timedelta(minutes=20)).strftime("%Y-%m-%d %H:%M:%S"), iso, city[0]]  # fmt: skip
        for _, _, person in slots(city):
            row += (["", "", "", ""] if person is None
                    else [person[2], person[1], mail(person, city), "Oui" if person[4] else "Non"])  # fmt: skip
        row.append(city[4])
        rows.append(row)
    return rows


LS_CODE = {E: "ELUREF", P: "PROF{n}", D: "DELPREF"}


def limesurvey_codes_book():
    """LimeSurvey's Excel export with codes that name the roles in longer words
    (``ELUREF[NOM]``, ``PROF2[COURRIEL]``, ``DELPREF[ENGAGE]``), ``Y``/``N``."""
    from openpyxl import Workbook

    head = ["id", "submitdate", "lastpage", "startlanguage", "seed", "COMMUNE"]
    for role, n, _ in slots(CITIES[0]):
        code = LS_CODE[role].format(n=n)
        head += [f"{code}[NOM]", f"{code}[PRENOM]", f"{code}[COURRIEL]", f"{code}[ENGAGE]"]
    head += ["CONTRIB"]
    book = Workbook()
    sheet = book.active
    sheet.title = "results-survey841273"
    sheet.append(head)
    for index, city in enumerate(CITIES, start=1):
        row = [index, when(city[3]).strftime("%Y-%m-%d %H:%M:%S"), 4, "fr", 77 + index, city[0]]
        for _, _, person in slots(city):
            row += ([None] * 4 if person is None
                    else [person[2], person[1], mail(person, city), "Y" if person[4] else "N"])  # fmt: skip
        row.append(city[4].replace(",", ".") if city[4] else None)
        sheet.append(row)
    return book


def write_limesurvey() -> None:
    write_csv(OUT / "limesurvey-textes-inclusifs.csv", limesurvey_texts_rows(), delimiter=";",
              encoding="utf-8-sig", newline="\r\n", quote_all=True)  # fmt: skip
    save_book(limesurvey_codes_book(), OUT / "limesurvey-codes-longs.xlsx")


# --- Google Forms: US locale (month first), inclusive titles; a Google Sheet with a filter ----

GOOGLE_WHO = {
    E: "l'élu·e référent·e",
    P: "le·la professionnel·le n°{n}",
    D: "le·la délégué·e du préfet",
}


def google_rows(us: bool):
    head = ["Horodateur", "Adresse e-mail", "Commune candidate "]
    for role, n, _ in slots(CITIES[0]):
        who = GOOGLE_WHO[role].format(n=n)
        head += [f"Nom et prénom de {who} ", f"Adresse e-mail de {who} ",
                 f"{who[0].upper() + who[1:]} s'engage sur les 4,5 jours "]  # fmt: skip
    head.append("Contribution financière de la commune ")
    rows = [head]
    for city in CITIES:
        stamp = when(city[3])
        stamp_text = (f"{stamp.month}/{stamp.day}/{stamp.year} {stamp.strftime('%H:%M:%S')}"
                      if us else stamp.strftime("%d/%m/%Y %H:%M:%S"))  # fmt: skip
        row = [stamp_text, f"contact@{city[7]}", city[0]]
        for _, _, person in slots(city):
            row += (["", "", ""] if person is None
                    else [full(person), mail(person, city),
                          "Oui, je m'engage" if person[4] else "Non"])  # fmt: skip
        row.append(amount_text(city, "int-euro"))
        rows.append(row)
    return rows


def google_sheet_filter_book():
    """The Google Sheet behind the form, downloaded as XLSX by a manager who added a filter,
    hid the respondent's e-mail column, froze the header and added « Suivi » at the end."""
    from openpyxl import Workbook
    from openpyxl.styles import PatternFill

    rows = google_rows(us=False)
    book = Workbook()
    sheet = book.active
    sheet.title = "Réponses au formulaire 1"
    sheet.append(rows[0] + ["Suivi"])
    for index, row in enumerate(rows[1:]):
        stamp = when(CITIES[index][3])
        sheet.append([stamp] + row[1:] + ["relancé" if index % 3 == 0 else None])
        sheet.cell(row=index + 2, column=1).number_format = "dd/mm/yyyy hh:mm:ss"
    sheet.auto_filter.ref = sheet.dimensions
    sheet.freeze_panes = "A2"
    sheet.column_dimensions["B"].hidden = True
    yellow = PatternFill("solid", fgColor="FFF2CC")
    for cell in sheet[4]:
        cell.fill = yellow
    return book


def write_google() -> None:
    write_csv(OUT / "google-forms-us-inclusif.csv", google_rows(us=True))
    save_book(google_sheet_filter_book(), OUT / "google-sheets-filtre-masquee.xlsx")


# --- Microsoft Forms: « Élu.e », en dashes ------------------------------------------------------


def write_microsoft() -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Sheet1"
    head = ["ID", "Heure de début", "Heure de fin", "Adresse de messagerie", "Nom",
            "Heure de la dernière modification", "Commune candidate"]  # fmt: skip
    who = {E: "Élu.e référent.e", P: "Professionnel.le {n}", D: "Délégué.e du préfet"}
    for role, n, _ in slots(CITIES[0]):
        label = who[role].format(n=n)
        head += [f"{label} – Nom et prénom", f"{label} – Mail", f"{label} – Engagé.e sur 4,5 j"]
    head.append("Montant voté par la commune")
    sheet.append(head)
    for index, city in enumerate(CITIES, start=1):
        stamp = when(city[3])
        row = [index, stamp - timedelta(minutes=6), stamp, "anonymous", None, None, city[0]]
        for _, _, person in slots(city):
            row += ([None] * 3 if person is None
                    else [full(person), mail(person, city), "Oui" if person[4] else "Non"])  # fmt: skip
        row.append(city[4].replace(",", ".") if city[4] else None)
        sheet.append(row)
    for cells in sheet.iter_rows(min_row=2, max_col=3):
        for cell in cells:
            if hasattr(cell.value, "year"):
                cell.number_format = "m/d/yy h:mm:ss"
    save_book(book, OUT / "microsoft-forms-inclusif.xlsx")


# --- The manager's own tables --------------------------------------------------------------------

PERSON_ROLE = {E: "Élu.e", P: "Professionnel {n}", D: "DP"}


def manager_people_book():
    """One row per person on the second sheet « Inscrits » after a « Mode d'emploi » sheet;
    ``Professionnel 1``/``2``/``3``, ``DP``; the city in capitals on the first row of its
    people only, with the amount and the date (``03.12.2014``); ``O``/``N``; a hidden phone
    column, an autofilter, trailing spaces."""
    from openpyxl import Workbook

    book = Workbook()
    notes = book.active
    notes.title = "Mode d'emploi"
    for line in ["Suivi des candidatures co-formation 2015",
                 "Une ligne par personne engagée. Qualité : Élu.e, Professionnel 1, 2 ou 3, DP.",
                 "Engagé(e) : O si la personne s'engage sur les 4,5 jours, N sinon.",
                 "Ne pas modifier les en-têtes de l'onglet « Inscrits »."]:  # fmt: skip
        notes.append([line])
    sheet = book.create_sheet("Inscrits")
    sheet.append(["VILLE", "Qualité ", "NOM", "Prénom", "Tél.", "Courriel ", "Engagé(e) ",
                  "Montant (€)", "Date réception"])  # fmt: skip
    for city in CITIES:
        stamp = when(city[3])
        for line, person in enumerate(city[8]):
            role = person[0]
            number = [p for p in city[8] if p[0] == role].index(person) + 1
            sheet.append([city[0].upper() if line == 0 else None,
                          PERSON_ROLE[role].format(n=number) + " ", person[2], person[1] + " ",
                          None, mail(person, city), "O" if person[4] else "N",
                          amount_text(city, "plain") if line == 0 else None,
                          stamp.strftime("%d.%m.%Y") if line == 0 else None])  # fmt: skip
    sheet.auto_filter.ref = sheet.dimensions
    sheet.column_dimensions["E"].hidden = True
    return book


def manager_abbrev_book():
    """One row per city, the manager's short headers (``Élu``, ``Mail élu``, ``Engt élu``,
    ``CDP 1``…, ``DP``), ticks ``☒``/``☐``, amounts ``600 EUR``, dates ``3 déc. 2014``."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Candidatures"
    sheet.append(["Candidatures 2015 – tableau de suivi"])
    sheet.append([])
    head = ["Commune"]
    short = {E: "élu", P: "CDP {n}", D: "DP"}
    for role, n, _ in slots(CITIES[0]):
        label = short[role].format(n=n)
        head += [label[0].upper() + label[1:], f"Mail {label}", f"Engt {label}"]
    head += ["Contrib.", "Reçu le"]
    sheet.append(head)
    for city in CITIES:
        stamp = when(city[3])
        row = [city[0]]
        for _, _, person in slots(city):
            row += ([None] * 3 if person is None
                    else [full(person), mail(person, city), "☒" if person[4] else "☐"])  # fmt: skip
        value = value_of(city)
        row += [f"{int(value)} EUR" if value else None,
                f"{stamp.day} {MONTHS[stamp.month - 1]} {stamp.year}"]  # fmt: skip
        sheet.append(row)
    return book


def write_manager(tmp: Path) -> None:
    save_book(manager_people_book(), OUT / "tableau-inscrits-mode-emploi.xlsx")
    save_book(manager_people_book(), tmp / "tableau-inscrits-mode-emploi.xlsx")
    save_book(manager_abbrev_book(), OUT / "tableau-abreviations.xlsx")


def people_crlf_rows():
    """Excel on Windows, CSV (cp1252, ``;``, CRLF), one row per person; the role column
    « Collège » (``Élu·e``, ``Pro``, ``Dlg préfet``); the job title under the name after a CRLF
    inside the cell; ``VRAI``/``FAUX``; ``600,00 €``."""
    short = {E: "Élu·e", P: "Pro", D: "Dlg préfet"}
    rows = [["Commune", "Collège", "Identité", "Mail", "4,5 jours", "Participation",
             "Date de dépôt"]]  # fmt: skip
    for city in CITIES:
        stamp = when(city[3]).strftime("%d/%m/%Y %H:%M")
        for person in city[8]:
            rows.append([city[0], short[person[0]], f"{full(person)}\r\n{person[3]}",
                         mail(person, city), "VRAI" if person[4] else "FAUX",
                         amount_text(city, "euro").replace("\u00a0", " "), stamp])  # fmt: skip
    return rows


# --- Neighbours: Sphinx, Eval&Go, KoboToolbox, Typeform, Tally, Jotform ---------------------


def sphinx_book():
    """Sphinx iQ « données brutes »: variable names (``NOM_ELU``, ``MAIL_PRO1``, ``ENG_DP``) on
    row 1, labels on row 2; ``Oui``/``Non``; dates typed."""
    from openpyxl import Workbook

    names = ["IDENT", "DATE_SAISIE", "COMMUNE"]
    labels = ["Identifiant", "Date de saisie", "Commune"]
    code = {E: "ELU", P: "PRO{n}", D: "DP"}
    text = {E: "l'élu(e)", P: "professionnel(le) {n}", D: "délégué(e) du préfet"}
    for role, n, _ in slots(CITIES[0]):
        c = code[role].format(n=n)
        t = text[role].format(n=n)
        names += [f"NOM_{c}", f"MAIL_{c}", f"ENG_{c}"]
        labels += [f"Nom {t}", f"Mail {t}", f"Engagement {t}"]
    names.append("CONTRIB")
    labels.append("Contribution de la commune")
    book = Workbook()
    sheet = book.active
    sheet.title = "Données"
    sheet.append(names)
    sheet.append(labels)
    for index, city in enumerate(CITIES, start=1):
        row = [index, when(city[3]), city[0]]
        for _, _, person in slots(city):
            row += ([None] * 3 if person is None
                    else [full(person), mail(person, city), "Oui" if person[4] else "Non"])  # fmt: skip
        row.append(value_of(city))
        sheet.append(row)
        sheet.cell(row=index + 2, column=2).number_format = "dd/mm/yyyy hh:mm"
    return book


def evalandgo_rows():
    """Eval&Go: ``;``, UTF-8 BOM, « Qn - » before each question, « Statut » ``Complète``."""
    head = ["ID", "Date de début", "Date de fin", "Statut", "Langue", "Q1 - Commune"]
    who = {E: "Élu(e)", P: "Professionnel(le) {n}", D: "Délégué(e) du préfet"}
    for q, (role, n, _) in enumerate(slots(CITIES[0]), start=2):
        label = who[role].format(n=n)
        head += [f"Q{q} - {label} : Nom", f"Q{q} - {label} : Prénom",
                 f"Q{q} - {label} : E-mail", f"Q{q} - {label} : Engagement 4,5 jours"]  # fmt: skip
    head.append("Q7 - Montant de la participation (€)")
    rows = [head]
    for index, city in enumerate(CITIES, start=1):
        stamp = when(city[3])
        row = [str(index), (stamp - timedelta(minutes=9)).strftime("%d/%m/%Y %H:%M"),
               stamp.strftime("%d/%m/%Y %H:%M"), "Complète", "Français", city[0]]  # fmt: skip
        for _, _, person in slots(city):
            row += (["", "", "", ""] if person is None
                    else [person[2], person[1], mail(person, city), "Oui" if person[4] else "Non"])  # fmt: skip
        row.append(city[4])
        rows.append(row)
    return rows


def kobo_book():
    """KoboToolbox XLSX (labels): the form's sheet, then the repeat group « membres » on its
    own sheet keyed by ``_parent_index`` (the main sheet's ``_index``)."""
    from openpyxl import Workbook

    book = Workbook()
    main = book.active
    main.title = "Candidature co-formation 2015"
    main.append(["start", "end", "today", "Commune", "Montant de la participation (€)",
                 "_id", "_uuid", "_submission_time", "_validation_status", "_notes", "_status",
                 "_submitted_by", "__version__", "_tags", "_index"])  # fmt: skip
    group = book.create_sheet("membres")
    group.append(["Rôle dans la triade", "Nom", "Prénom", "Courriel",
                  "S'engage sur les 4,5 jours", "_index", "_parent_table_name", "_parent_index",
                  "_submission__id", "_submission__uuid", "_submission__submission_time",
                  "_submission__validation_status", "_submission__notes", "_submission__status",
                  "_submission__submitted_by", "_submission___version__", "_submission__tags"])  # fmt: skip
    role_label = {E: "Élu·e", P: "Professionnel·le", D: "Délégué·e du préfet"}
    member = 0
    for index, city in enumerate(CITIES, start=1):
        stamp = when(city[3])
        utc = (stamp - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%S")
        ident = 215_000 + index
        uuid = f"5f0c{index:04d}-aaaa-4bbb-8ccc-000000{index:06d}"
        main.append([(stamp - timedelta(minutes=15)).strftime("%Y-%m-%dT%H:%M:%S.000+01:00"),
                     stamp.strftime("%Y-%m-%dT%H:%M:%S.000+01:00"), stamp.strftime("%Y-%m-%d"),
                     city[0], value_of(city), ident, uuid, utc, None, None,
                     "submitted_via_web", None, "vGh3kq", None, index])  # fmt: skip
        for person in city[8]:
            member += 1
            group.append([role_label[person[0]], person[2], person[1], mail(person, city),
                          "Oui" if person[4] else "Non", member,
                          "Candidature co-formation 2015", index, ident, uuid, utc, None, None,
                          "submitted_via_web", None, "vGh3kq", None])  # fmt: skip
    return book


def typeform_rows():
    """Typeform CSV: ``#`` first, yes/no questions as ``1``/``0``, dates in UTC."""
    head = ["#", "Quelle est votre commune ?"]
    who = {
        E: "l'élu·e référent·e",
        P: "le ou la professionnel·le n°{n}",
        D: "le ou la délégué·e du préfet",
    }
    for role, n, _ in slots(CITIES[0]):
        label = who[role].format(n=n)
        head += [f"Prénom et nom de {label}", f"E-mail de {label}",
                 f"{label[0].upper() + label[1:]} s'engage-t-il ou elle sur les 4,5 jours ?"]  # fmt: skip
    head += ["Quel montant la commune verse-t-elle ?", "Start Date (UTC)", "Submit Date (UTC)",
             "Network ID", "Tags"]  # fmt: skip
    rows = [head]
    for index, city in enumerate(CITIES, start=1):
        stamp = when(city[3]) - timedelta(hours=1)
        row = [f"k3v9x{index:02d}qz7", city[0]]
        for _, _, person in slots(city):
            row += (["", "", ""] if person is None
                    else [full(person), mail(person, city), "1" if person[4] else "0"])  # fmt: skip
        row += [city[4].replace(",", ".").removesuffix(".00"),
                (stamp - timedelta(minutes=7)).strftime("%Y-%m-%d %H:%M:%S"),
                stamp.strftime("%Y-%m-%d %H:%M:%S"), f"a1b2c3d{index}", ""]  # fmt: skip
        rows.append(row)
    return rows


def tally_rows():
    """Tally CSV: ``Submission ID``, ``Respondent ID``, ``Submitted at``; the checkbox question
    as one column of labels, then one column per option ``true``/``false``."""
    head = ["Submission ID", "Respondent ID", "Submitted at", "Commune"]
    who = {E: "Élu·e", P: "Professionnel·le {n}", D: "Délégué·e du préfet"}
    options = [who[role].format(n=n) for role, n, _ in slots(CITIES[0])]
    for option in options:
        head += [f"{option} : nom complet", f"{option} : e-mail"]
    question = "Qui s'engage sur les 4,5 jours ?"
    head.append(question)
    head += [f"{question} ({option})" for option in options]
    head.append("Montant de la participation (€)")
    rows = [head]
    for index, city in enumerate(CITIES, start=1):
        stamp = when(city[3]) - timedelta(hours=1)
        row = [f"wMz{index:02d}Lp", f"3xR{index:02d}aQ", stamp.strftime("%Y-%m-%d %H:%M:%S"),
               city[0]]  # fmt: skip
        people = list(slots(city))
        for _, _, person in people:
            row += ["", ""] if person is None else [full(person), mail(person, city)]
        ticked = [o for o, (_, _, p) in zip(options, people, strict=True) if p is not None and p[4]]
        row.append(", ".join(ticked))
        row += ["true" if o in ticked else "false" for o in options]
        row.append(city[4])
        rows.append(row)
    return rows


def jotform_rows():
    """Jotform CSV: ``Submission Date`` as ``Dec 3, 2014``, ``Professionnel 1`` without
    inclusive writing, ``Yes``/``No`` (an English form), amounts ``€600.00``."""
    head = ["Submission Date", "Commune"]
    who = {E: "Elu", P: "Professionnel {n}", D: "Délégué du préfet"}
    for role, n, _ in slots(CITIES[0]):
        label = who[role].format(n=n)
        head += [f"{label} - Nom", f"{label} - Email", f"{label} - 4,5 jours"]
    head += ["Contribution", "Submission ID", "Submission IP"]
    rows = [head]
    months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    for index, city in enumerate(CITIES, start=1):
        stamp = when(city[3])
        row = [f"{months[stamp.month - 1]} {stamp.day}, {stamp.year}", city[0]]
        for _, _, person in slots(city):
            row += (["", "", ""] if person is None
                    else [full(person), mail(person, city), "Yes" if person[4] else "No"])  # fmt: skip
        value = value_of(city)
        row += [f"€{value:.2f}" if value else "", f"59{index:08d}", "192.0.2.77"]
        rows.append(row)
    return rows


def write_neighbours() -> None:
    save_book(sphinx_book(), OUT / "sphinx-donnees-brutes.xlsx")
    write_csv(OUT / "evalandgo.csv", evalandgo_rows(), delimiter=";", encoding="utf-8-sig",
              newline="\r\n")  # fmt: skip
    save_book(kobo_book(), OUT / "kobotoolbox-groupe-repete.xlsx")
    write_csv(OUT / "typeform.csv", typeform_rows())
    write_csv(OUT / "tally.csv", tally_rows())
    write_csv(OUT / "jotform.csv", jotform_rows())
    write_csv(OUT / "personnes-excel-windows-crlf.csv", people_crlf_rows(), delimiter=";",
              encoding="cp1252", newline="\r\n")  # fmt: skip


# --- Batch 2: what a user's own hands and other export options add ------------------------------


def ds_functions_book():
    """DS « Personnes engagées » block with no role column and a neutral sheet name: the role
    is only in each person's « Fonction » (job title), as the filer typed it."""
    from openpyxl import Workbook

    book = Workbook()
    main = book.active
    main.title = "Dossiers"
    main.append(DS_META + ["Commune", "Montant de la participation communale (€)"])
    block = book.create_sheet("Personnes engagées")
    block.append(["Dossier ID", "Ligne", "Civilité", "Nom", "Prénom", "Fonction",
                  "Adresse électronique", "Présent·e sur les 4,5 jours"])  # fmt: skip
    for index, city in enumerate(CITIES):
        folder = 71_200 + index
        stamp = when(city[3])
        filer = people_of(city, E)[0]
        main.append([folder, mail(filer, city), "Mot de passe", "Mme", filer[2], filer[1],
                     "false", "accepte", stamp + timedelta(days=4), stamp, None, None, None,
                     "instruction@cr-ressources.fr", city[0], value_of(city)])  # fmt: skip
        for line, person in enumerate(city[8], start=1):
            title = person[3]
            block.append([folder, line, "Mme" if person[1][-1] in "ae" else "M.", person[2],
                          person[1], title, mail(person, city),
                          "Oui" if person[4] else "Non"])  # fmt: skip
    date_cells(main)
    return book


def excel_line_breaks_book():
    """A manager's XLSX, one row per person, typed in Excel on Windows: the name and the job
    title on two lines of one cell (CR LF, which the file stores as ``_x000D_``), e-mails in
    mixed case with a no-break space, amounts ``EUR 600``, ``Présent·e``/``Absent·e``."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment

    book = Workbook()
    sheet = book.active
    sheet.title = "Liste"
    sheet.append(["Ville", "Rôle", "Nom\r\n(et fonction)", "Courriel", "Présence 4,5 j",
                  "Montant", "Reçu le"])  # fmt: skip
    for city in CITIES:
        stamp = when(city[3])
        for person in city[8]:
            address = mail(person, city)
            local, domain = address.split("@")
            sheet.append([city[0], {E: "élu·e", P: "professionnel·le", D: "délégué·e du préfet"}[person[0]],
                          f"{full(person)}\r\n{person[3]}",
                          f"{local.title()}@{domain.upper()}\u00a0",
                          "Présent·e" if person[4] else "Absent·e",
                          f"EUR {int(value_of(city))}" if city[4] else "", stamp])  # fmt: skip
            sheet.cell(row=sheet.max_row, column=3).alignment = Alignment(wrap_text=True)
            sheet.cell(row=sheet.max_row, column=7).number_format = "dd/mm/yyyy"
    return book


def last_name_first_rows():
    """One row per person as an administration writes them: « Mme N'GUESSAN Éloïse » (civility,
    last name in capitals, first name), ISO times in UTC with milliseconds, ``600 euros``."""
    rows = [["Commune", "Type", "NOM Prénom", "Adresse mail", "Engagement", "Contribution",
             "Date de réception"]]  # fmt: skip
    for city in CITIES:
        stamp = when(city[3]) - timedelta(hours=1)
        for person in city[8]:
            civility = "Mme" if person[1][-1] in "ae" else "M."
            rows.append([city[0], {E: "Élu", P: "Pro", D: "DP"}[person[0]],
                         f"{civility} {person[2].upper()} {person[1]}", mail(person, city),
                         "oui" if person[4] else "non",
                         f"{int(value_of(city))} euros" if city[4] else "",
                         stamp.strftime("%Y-%m-%dT%H:%M:%S.000Z")])  # fmt: skip
    return rows


def google_grid_rows():
    """Google Forms, a grid question « Engagement sur les 4,5 jours [<person>] » answered
    ``Je m'engage`` / ``Je ne m'engage pas``; the people's questions in sections."""
    head = ["Horodateur", "Commune"]
    who = {E: "Élu·e référent·e", P: "Professionnel·le n°{n}", D: "Délégué·e du préfet"}
    for role, n, _ in slots(CITIES[0]):
        head += [f"{who[role].format(n=n)} : prénom et nom", f"{who[role].format(n=n)} : e-mail"]
    head += [f"Engagement sur les 4,5 jours [{who[role].format(n=n)}]"
             for role, n, _ in slots(CITIES[0])]  # fmt: skip
    head.append("Montant de la participation (€)")
    rows = [head]
    for city in CITIES:
        row = [when(city[3]).strftime("%d/%m/%Y %H:%M:%S"), city[0]]
        people = list(slots(city))
        for _, _, person in people:
            row += ["", ""] if person is None else [full(person), mail(person, city)]
        for _, _, person in people:
            row.append("" if person is None else
                       ("Je m'engage" if person[4] else "Je ne m'engage pas"))  # fmt: skip
        row.append(city[4])
        rows.append(row)
    return rows


def evalandgo_matrix_book():
    """Eval&Go's XLSX: each person's question merged over its sub-questions on row 1
    (« Q2 - Élu(e) référent(e) » over « Nom | Prénom | E-mail | Engagement »)."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Résultats"
    top = ["ID", "Date de fin", "Q1 - Commune"]
    sub = [None, None, None]
    who = {E: "Élu(e) référent(e)", P: "Professionnel(le) {n}", D: "Délégué(e) du préfet"}
    merges = []
    for q, (role, n, _) in enumerate(slots(CITIES[0]), start=2):
        start = len(top) + 1
        top += [f"Q{q} - {who[role].format(n=n)}", None, None, None]
        sub += ["Nom", "Prénom", "E-mail", "Engagement"]
        merges.append((start, start + 3))
    top.append("Q7 - Montant de la participation")
    sub.append(None)
    sheet.append(top)
    sheet.append(sub)
    for first, last in merges:
        sheet.merge_cells(start_row=1, start_column=first, end_row=1, end_column=last)
    for index, city in enumerate(CITIES, start=1):
        row = [index, when(city[3]).strftime("%d/%m/%Y %H:%M:%S"), city[0]]
        for _, _, person in slots(city):
            row += ([None] * 4 if person is None
                    else [person[2], person[1], mail(person, city), "Oui" if person[4] else "Non"])  # fmt: skip
        row.append(value_of(city))
        sheet.append(row)
    return book


def sphinx_codes_book():
    """Sphinx with its variable names only (« NOM_ELU », « MAIL_PRO2 », « ENG_DP »)."""
    book = sphinx_book()
    book.active.delete_rows(2)
    return book


def kobo_xml_book():
    """KoboToolbox XLSX with « XML values and headers »: group paths (``triade/commune``),
    the repeat group's choices as their names (``elu``, ``pro``, ``dp``; ``oui``/``non``)."""
    from openpyxl import Workbook

    book = Workbook()
    main = book.active
    main.title = "candidature_coformation"
    main.append(["start", "end", "infos/commune", "infos/montant", "_id", "_uuid",
                 "_submission_time", "_index"])  # fmt: skip
    group = book.create_sheet("membres")
    group.append(["membres/role", "membres/nom", "membres/prenom", "membres/courriel",
                  "membres/engagement", "_index", "_parent_table_name", "_parent_index",
                  "_submission__id", "_submission__uuid"])  # fmt: skip
    member = 0
    for index, city in enumerate(CITIES, start=1):
        stamp = when(city[3])
        ident = 990_000 + index
        uuid = f"c0ffee{index:02d}-1111-4222-8333-444455556666"
        main.append([(stamp - timedelta(minutes=5)).isoformat(), stamp.isoformat(), city[0],
                     value_of(city), ident, uuid,
                     (stamp - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%S"), index])  # fmt: skip
        for person in city[8]:
            member += 1
            group.append([{E: "elu", P: "pro", D: "dp"}[person[0]], person[2], person[1],
                          mail(person, city), "oui" if person[4] else "non", member,
                          "candidature_coformation", index, ident, uuid])  # fmt: skip
    return book


def write_batch2(tmp: Path) -> None:
    save_book(ds_functions_book(), OUT / "ds-bloc-fonctions.xlsx")
    save_book(excel_line_breaks_book(), OUT / "tableau-retours-ligne-excel.xlsx")
    save_book(excel_line_breaks_book(), tmp / "tableau-retours-ligne-excel.xlsx")
    write_csv(OUT / "personnes-nom-prenom-majuscules.csv", last_name_first_rows(), delimiter=";")
    write_csv(OUT / "google-forms-grille-engagement.csv", google_grid_rows())
    save_book(evalandgo_matrix_book(), OUT / "evalandgo-matrice.xlsx")
    save_book(sphinx_codes_book(), OUT / "sphinx-codes-seuls.xlsx")
    save_book(kobo_xml_book(), OUT / "kobotoolbox-valeurs-xml.xlsx")


# --- Batch 3: a table off A1, Sphinx's « code - label » answers, one-hot role columns ---------


def shifted_book():
    """A manager's sheet whose table starts at B4 (a margin column, a title and a blank row
    above), with a column « N° » of row numbers, one row per city; dates typed as French Excel
    shows ``jj-mmm-aa`` (``03-déc.-14``) in text cells."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Feuille1"
    sheet["B2"] = "Co-formation 2015 – candidatures reçues"
    head = ["N°", "Commune", "Reçue le"]
    who = {E: "Élu·e", P: "Pro {n}", D: "DP"}
    for role, n, _ in slots(CITIES[0]):
        head += [f"{who[role].format(n=n)} - Nom", f"{who[role].format(n=n)} - Courriel",
                 f"{who[role].format(n=n)} - 4,5 j"]  # fmt: skip
    head.append("Montant")
    for column, text in enumerate(head, start=2):
        sheet.cell(row=4, column=column, value=text)
    for number, city in enumerate(CITIES, start=1):
        stamp = when(city[3])
        row = [number, city[0], f"{stamp.day:02d}-{MONTHS[stamp.month - 1]}-{stamp.year % 100:02d}"]
        for _, _, person in slots(city):
            row += ([None] * 3 if person is None
                    else [full(person), mail(person, city), "oui" if person[4] else "non"])  # fmt: skip
        row.append(value_of(city))
        for column, value in enumerate(row, start=2):
            sheet.cell(row=4 + number, column=column, value=value)
    return book


def sphinx_code_label_rows():
    """Sphinx CSV with answers as « code - libellé » (``1 - Oui``, ``2 - Non``), ``;``."""
    code = {E: "ELU", P: "PRO{n}", D: "DP"}
    head = ["Numéro", "Commune"]
    for role, n, _ in slots(CITIES[0]):
        c = code[role].format(n=n)
        head += [f"NOM_{c}", f"MAIL_{c}", f"ENG_{c}"]
    head.append("CONTRIB")
    rows = [head]
    for index, city in enumerate(CITIES, start=1):
        row = [str(index), city[0]]
        for _, _, person in slots(city):
            row += (["", "", ""] if person is None
                    else [full(person), mail(person, city), "1 - Oui" if person[4] else "2 - Non"])  # fmt: skip
        row.append(city[4])
        rows.append(row)
    return rows


def one_hot_roles_book():
    """One row per person whose role is an ``X`` in one of three columns « Élu·e »,
    « Professionnel·le », « DP » (a manager's grid), no role column."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Participants"
    sheet.append(["Commune", "Prénom", "Nom", "Élu·e", "Professionnel·le", "DP", "E-mail",
                  "Engagé·e 4,5 j", "Contribution de la ville", "Date"])  # fmt: skip
    for city in CITIES:
        stamp = when(city[3])
        for person in city[8]:
            sheet.append([city[0], person[1], person[2],
                          "X" if person[0] == E else None, "X" if person[0] == P else None,
                          "X" if person[0] == D else None, mail(person, city),
                          "oui" if person[4] else "non", value_of(city), stamp])  # fmt: skip
            sheet.cell(row=sheet.max_row, column=10).number_format = "dd/mm/yyyy hh:mm"
    return book


def write_batch3(tmp: Path) -> None:
    save_book(shifted_book(), OUT / "tableau-decale-b4.xlsx")
    save_book(shifted_book(), tmp / "tableau-decale-b4.xlsx")
    write_csv(OUT / "sphinx-codes-libelles.csv", sphinx_code_label_rows(), delimiter=";",
              encoding="utf-8-sig", newline="\r\n")  # fmt: skip
    save_book(one_hot_roles_book(), OUT / "personnes-roles-en-colonnes.xlsx")


def main() -> None:
    OUT.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        write_framaforms(tmp)
        write_ds(tmp)
        write_limesurvey()
        write_google()
        write_microsoft()
        write_manager(tmp)
        write_neighbours()
        write_batch2(tmp)
        write_batch3(tmp)
        convert(tmp, "xls", ["framaforms-abreviations.xlsx"], OUT)
        convert(tmp, "ods", ["ds-blocs-par-role.xlsx", "tableau-inscrits-mode-emploi.xlsx",
                             "tableau-retours-ligne-excel.xlsx", "tableau-decale-b4.xlsx"],
                OUT)  # fmt: skip
    print("\n".join(sorted(p.name for p in OUT.iterdir())))


if __name__ == "__main__":
    main()
