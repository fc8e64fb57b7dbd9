"""Write the twelve cities' answers in a fourth round of real-tool shapes (issue 16).

    python tests/data/intake/make_tool_variants4.py      # needs openpyxl; soffice for .ods/.xls

Beside ``make_form_exports.py`` (``outils/``) and ``make_tool_variants.py`` (``variantes/``),
the files go to ``tests/data/intake/variantes4/``: what the earlier rounds did not vary, as a
user of each tool gets it. Google Forms answers downloaded from Google Sheets as XLSX/ODS
(typed « Horodatage », « Score », titles like « Élu(e) référent(e) — Nom », columns the
manager added at the right), Google and Microsoft Forms in English, Microsoft Forms whose
respondent is also in the triad, Framaforms as real XLS (BIFF) and with component keys
under « Submission Details », Démarches simplifiées blocks on sheets named « Personnes » or
« Bloc 1 » with ISO dates and amounts typed ``600.00``, ``600,-``, ``600 € TTC``, LimeSurvey
question texts in HTML, cities with postcodes and ``CEDEX``, an Excel table with a frozen
header, an autofilter, hidden columns and an empty first column, and the manager's table
saved by Excel as « Texte Unicode » (UTF-16 with BOM, tabs).

Every file holds the shipped example's answers, so ``cotrain check`` with the example's
``cotrain.toml`` must give the same 7 of 12 eligible, for the same reasons. The ``.ods`` and
``.xls`` files are made by LibreOffice (``soffice --headless --convert-to``) and committed.
"""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from make_tool_variants import (  # noqa: E402
    FRAMA_GROUP,
    TICKS,
    convert,
    framaforms_rows,
    google_rows,
    mail,
    people_of,
    save_book,
    slots,
    write_csv,
)
from make_variants import CITIES, D, E, P, when  # noqa: E402

OUT = HERE / "variantes4"


def value_of(city) -> float | None:
    return float(city[4].replace(",", ".")) if city[4] else None


def whole(city) -> str:
    value = value_of(city)
    return "" if value is None else str(int(value))


# --- Google Forms answers downloaded from Google Sheets ----------------------------------

SECTION = {E: "Élu(e) référent(e)", P: "Professionnel(le) n°{n}", D: "Délégué(e) du préfet"}


def google_sheet_book(added_columns: bool):
    """Google Sheets' « Réponses au formulaire 1 »: typed timestamps, a quiz « Score »,
    section-style question titles, a one-option checkbox « Je m'engage » per person."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Réponses au formulaire 1"
    head = ["Horodatage", "Adresse e-mail", "Score", "Commune", "Territoire"]
    for role, n, _ in slots(CITIES[0]):
        who = SECTION[role].format(n=n)
        head += [f"{who} — Nom", f"{who} — Prénom", f"{who} — Adresse électronique",
                 f"{who} — Engagement sur toutes les journées"]  # fmt: skip
    head += ["Montant de la contribution (€)", "Délibération ou bon de commande"]
    if added_columns:
        head += ["Éligible ?", "Commentaire CR", "Relancé le"]
    sheet.append(head)
    for index, city in enumerate(CITIES):
        row = [when(city[3]), f"politique.ville@{city[7]}", "0 / 0", city[0], city[1]]
        for _, _, person in slots(city):
            if person is None:
                row += [None] * 4
                continue
            row += [person[2], person[1], mail(person, city),
                    "Je m'engage" if person[4] else None]  # fmt: skip
        row += [value_of(city), city[5] or None]
        if added_columns:
            row += ["Non" if index >= 7 else "Oui", "à relancer" if index % 4 == 0 else None,
                    when(city[3]) + timedelta(days=5) if index % 3 == 0 else None]  # fmt: skip
        sheet.append(row)
        sheet.cell(row=sheet.max_row, column=1).number_format = "dd/mm/yyyy hh:mm:ss"
        if added_columns and index % 3 == 0:
            sheet.cell(row=sheet.max_row, column=len(head)).number_format = "dd/mm/yyyy"
    sheet.freeze_panes = "A2"
    return book


def write_google_sheets(tmp: Path) -> None:
    save_book(google_sheet_book(False), OUT / "google-sheets-horodatage.xlsx")
    save_book(google_sheet_book(False), tmp / "google-sheets-horodatage.xlsx")
    save_book(google_sheet_book(True), OUT / "google-sheets-colonnes-ajoutees.xlsx")


def write_google_english() -> None:
    """An English Google account: « Timestamp », « Email Address », US times with AM/PM and
    GMT offset; the questions written in French by the manager."""
    head = ["Timestamp", "Email Address", "Score", "Ville ", "EPT "]
    for role, n, _ in slots(CITIES[0]):
        who = SECTION[role].format(n=n)
        head += [f"{who} : nom et prénom ", f"{who} : e-mail ", f"{who} : engagé(e) ? "]
    head += ["Contribution (€) "]
    rows = [head]
    for city in CITIES:
        stamp = when(city[3])
        row = [f"{stamp.month}/{stamp.day}/{stamp.year} {stamp.strftime('%-I:%M:%S %p')} GMT+1",
               f"contact@{city[7]}", "", city[0], city[1]]  # fmt: skip
        for _, _, person in slots(city):
            row += (["", "", ""] if person is None
                    else [f"{person[1]} {person[2]}", mail(person, city), "Oui" if person[4] else "Non"])  # fmt: skip
        row.append(whole(city))
        rows.append(row)
    write_csv(OUT / "google-forms-anglais.csv", rows)


# --- Microsoft Forms: in English; the respondent also in the triad -------------------------

MS_EN = {E: "Elected official", P: "Professional {n}", D: "Prefect's delegate"}


def write_microsoft() -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Sheet1"
    head = ["ID", "Start time", "Completion time", "Email", "Name", "Last modified time", "City",
            "Territory"]  # fmt: skip
    for role, n, _ in slots(CITIES[0]):
        who = MS_EN[role].format(n=n)
        head += [f"{who} - Full name", f"{who} - Email address", f"{who} - Attends all days"]
    head += ["City's financial contribution (€)", "Council resolution or purchase order"]
    sheet.append(head)
    for index, city in enumerate(CITIES, start=1):
        stamp = when(city[3])
        row = [index, stamp - timedelta(minutes=12), stamp, "anonymous", None, None, city[0],
               city[1]]  # fmt: skip
        for _, _, person in slots(city):
            row += ([None] * 3 if person is None
                    else [f"{person[1]} {person[2]}", mail(person, city), "Yes" if person[4] else "No"])  # fmt: skip
        row += [value_of(city), city[5] or None]
        sheet.append(row)
    save_book(book, OUT / "microsoft-forms-anglais.xlsx")

    # French, signed-in respondents: « Nom » and « Adresse de messagerie » are the elected
    # official who filled the form, who is also the first person of the triad.
    book = Workbook()
    sheet = book.active
    sheet.title = "Form1"
    head = ["ID", "Heure de début", "Heure de fin", "Adresse de messagerie", "Nom",
            "Heure de la dernière modification", "Commune"]  # fmt: skip
    label = {E: "Élu(e) référent(e)", P: "Professionnel(le) {n}", D: "Délégué(e) du préfet"}
    for role, n, _ in slots(CITIES[0]):
        who = label[role].format(n=n)
        head += [f"{who} : Nom", f"{who} : Prénom", f"{who} : Courriel", f"{who} : Engagement"]
    head += ["Montant (€)"]
    sheet.append(head)
    for index, city in enumerate(CITIES, start=1):
        stamp = when(city[3])
        elected = people_of(city, E)[0]
        row = [index, stamp - timedelta(minutes=7), stamp, mail(elected, city),
               f"{elected[1]} {elected[2].upper()}", None, city[0]]  # fmt: skip
        for _, _, person in slots(city):
            row += ([None] * 4 if person is None
                    else [person[2], person[1], mail(person, city), "Oui" if person[4] else "Non"])  # fmt: skip
        row.append(whole(city) or None)
        sheet.append(row)
    save_book(book, OUT / "microsoft-forms-repondant-elu.xlsx")


# --- Framaforms: a real XLS; component keys under « Submission Details » -------------------


def write_framaforms(tmp: Path) -> None:
    from openpyxl import Workbook

    rows = framaforms_rows(per_person_select=True)
    book = Workbook()
    sheet = book.active
    sheet.title = "Sheet1"
    for row in rows:
        sheet.append(row)
    save_book(book, tmp / "framaforms-biff.xlsx")

    # Keys as column headers: the same short keys under each fieldset (a fieldset's key
    # is unique, its children's are not)
    keys = {"Prénom": "prenom", "Nom": "nom", "Fonction": "fonction",
            "Adresse électronique": "courriel", "Engagement sur les 4,5 jours": "engagement"}  # fmt: skip
    keyed = [list(r) for r in rows]
    other = {"Votre commune": "commune", "Territoire (EPT)": "ept",
             "Montant de la participation financière (€)": "montant",
             "Délibération ou bon de commande": "deliberation"}  # fmt: skip
    for index, label in enumerate(keyed[2]):
        if label in keys:
            keyed[2][index] = keys[label]
        elif label in other:
            keyed[2][index] = other[label]
        elif label.startswith("J'accepte"):
            keyed[2][index] = "rgpd"
    for row in keyed[3:]:
        for index, value in enumerate(row):
            if keyed[2][index] == "engagement" and value:
                row[index] = value.lower()
    keyed[1] = [FRAMA_GROUP_KEYS.get(v, v) for v in keyed[1]]
    write_csv(OUT / "framaforms-cles-details.csv", keyed, delimiter="\t", quote_all=True)


FRAMA_GROUP_KEYS = {FRAMA_GROUP[E]: "Élu(e) référent(e)",
                    **{FRAMA_GROUP[P].format(n=n): f"Professionnel(le) n°{n}" for n in (1, 2, 3)},
                    FRAMA_GROUP[D]: "Délégué(e) du préfet"}  # fmt: skip


# --- Démarches simplifiées: the people's block on « Personnes » / « Bloc 1 » ----------------

DS_META = ["ID", "Email", "Connecté via", "Civilité", "Nom", "Prénom", "Archivé",
           "État du dossier", "Dernière mise à jour le", "Déposé le", "Passé en instruction le",
           "Traité le", "Motivation de la décision", "Instructeurs"]  # fmt: skip
DS_ROLE = {E: "Élu·e", P: "Professionnel·le", D: "Délégué·e du préfet"}


def ds_book(block_name: str, amount_style: str, commit_header: str, iso_text: bool):
    from openpyxl import Workbook

    book = Workbook()
    main = book.active
    main.title = "Dossiers"
    main.append(list(DS_META) + ["Commune", "Établissement public territorial",
                                 "Montant de la participation", "Délibération (fichier)",
                                 "Suivi (annotation privée)"])  # fmt: skip
    block = book.create_sheet(block_name)
    block.append(["Dossier ID", "Ligne", "Rôle dans la co-formation", "Nom", "Prénom",
                  "Adresse électronique", commit_header])  # fmt: skip
    for index, city in enumerate(CITIES):
        folder = 12_400_000 + index * 13
        stamp = when(city[3])

        def at(moment):
            return moment.strftime("%Y-%m-%dT%H:%M:%S+01:00") if iso_text else moment

        value = value_of(city)
        if value is None:
            typed = None
        elif amount_style == "dot":
            typed = f"{value:.2f}"
        else:
            typed = [f"{int(value)},-", f"{int(value)} € TTC", f"{value:.2f}".replace(".", ",") + " € TTC"][index % 3]  # fmt: skip
        main.append([folder, f"dsu@{city[7]}", "FranceConnect" if index % 2 else "Mot de passe",
                     "M.", "Bernard", "Paul", "false", "En construction" if index == 4 else "En instruction",
                     at(stamp + timedelta(days=1)), at(stamp), at(stamp + timedelta(days=2)), None,
                     None, "instruction@profession-banlieue.org", city[0], city[1], typed,
                     f"deliberation-{index}.pdf" if city[5] else None,
                     "RAS"])  # fmt: skip
        for line, person in enumerate(city[8], start=1):
            role, first, last, _, committed = person
            block.append([folder, line, DS_ROLE[role], last, first, mail(person, city),
                          "Oui" if committed else "Non"])  # fmt: skip
    return book


def write_ds(tmp: Path) -> None:
    save_book(ds_book("Personnes", "dot", "Engagé·e", iso_text=True), OUT / "ds-personnes.xlsx")
    save_book(ds_book("Bloc 1", "euros", "Je m'engage", iso_text=False), tmp / "ds-bloc-1.xlsx")


# --- LimeSurvey: question texts with HTML, ``,`` separator ---------------------------------


def write_limesurvey() -> None:
    head = ["ID de la réponse", "Date de soumission", "Dernière page", "Langue de départ",
            "Tête de série", "<p>Votre commune&nbsp;:</p>",
            "<p><strong>Territoire</strong> (EPT)</p>"]  # fmt: skip
    question = {E: "<p><strong>Élu(e) référent(e)</strong></p>",
                P: "<p>Professionnel(le)&nbsp;n°{n}</p>",
                D: "<p>Délégué(e) du préfet&nbsp;<em>(DP)</em></p>"}  # fmt: skip
    subs = ["Nom", "Prénom", "Adresse électronique", "S&#39;engage sur toutes les journées"]
    for role, n, _ in slots(CITIES[0]):
        head += [f"{question[role].format(n=n)} [{sub}]" for sub in subs]
    head += ["<p>Montant de la contribution&nbsp;(€)</p>", "<p>Référence de la délibération</p>"]
    rows = [head]
    for index, city in enumerate(CITIES, start=1):
        row = [str(index), when(city[3]).strftime("%Y-%m-%d %H:%M:%S"), "4", "fr",
               str(778000 + index), city[0], city[1]]  # fmt: skip
        for _, _, person in slots(city):
            row += (["", "", "", ""] if person is None
                    else [person[2], person[1], mail(person, city), "Oui" if person[4] else "Non"])  # fmt: skip
        row += [city[4], city[5]]
        rows.append(row)
    write_csv(OUT / "limesurvey-html.csv", rows, delimiter=",", encoding="utf-8-sig",
              newline="\r\n", quote_all=True)  # fmt: skip


# --- Cities written with their postcodes and CEDEX ------------------------------------------

POSTAL = {
    "Saint-Denis": "93200 Saint-Denis",
    "Aubervilliers": "93300 AUBERVILLIERS",
    "Montreuil": "Montreuil (93100)",
    "Bondy": "BONDY CEDEX",
    "Sevran": "93270 Sevran",
    "Clichy-sous-Bois": "93390 Clichy-sous-Bois",
    "L'Île-Saint-Denis": "93450 L'Île-Saint-Denis",
    "Bobigny": "93009 BOBIGNY CEDEX",
    "Aulnay-sous-Bois": "Aulnay-sous-Bois",
    "Stains": "93240 Stains",
    "Noisy-le-Grand": "93160 Noisy-le-Grand Cedex",
    "Épinay-sur-Seine": "Épinay-sur-Seine (93800)",
}


def write_postcodes() -> None:
    head = ["Commune (code postal et ville)", "Rôle", "Nom", "Prénom", "Courriel", "Engagé(e)",
            "Contribution"]  # fmt: skip
    rows = [head]
    label = {E: "Élu(e)", P: "Professionnel(le)", D: "Délégué(e) du préfet"}
    for city in CITIES:
        for person in city[8]:
            role, first, last, _, committed = person
            rows.append([POSTAL[city[0]], label[role], last, first, mail(person, city),
                         "Oui" if committed else "Non", city[4]])  # fmt: skip
    write_csv(OUT / "personnes-codes-postaux.csv", rows, delimiter=";", encoding="utf-8-sig",
              newline="\r\n")  # fmt: skip


# --- The manager's Excel tables -------------------------------------------------------------


def write_excel_table() -> None:
    """An Excel table (ListObject) from column B, frozen header, autofilter, two hidden
    columns, an empty first column; one row per person."""
    from openpyxl import Workbook
    from openpyxl.worksheet.table import Table, TableStyleInfo

    book = Workbook()
    sheet = book.active
    sheet.title = "Candidatures"
    head = [None, "Commune", "Collège", "NOM", "Prénom", "Mél", "Tél", "N° agent",
            "Engagement 4,5 j", "Montant voté (€)"]  # fmt: skip
    sheet.append(head)
    label = {E: "Élu(e)", P: "Professionnel(le)", D: "DP"}
    tick = 0
    for city in CITIES:
        for position, person in enumerate(city[8]):
            role, first, last, _, committed = person
            mark = TICKS[tick % len(TICKS)] if committed else "Non"
            tick += 1
            sheet.append([None, city[0], label[role], last.upper(), first, mail(person, city),
                          f"01 43 {position:02d} {tick:02d} 00", f"A{tick:04d}", mark,
                          value_of(city)])  # fmt: skip
            sheet.cell(row=sheet.max_row, column=10).number_format = '#,##0.00 "€"'
    table = Table(displayName="Candidatures2015", ref=f"B1:J{sheet.max_row}")
    table.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
    sheet.add_table(table)
    sheet.freeze_panes = "C2"
    sheet.column_dimensions["G"].hidden = True
    sheet.column_dimensions["H"].hidden = True
    save_book(book, OUT / "tableau-excel-filtre.xlsx")


def write_unicode_text() -> None:
    """Excel's « Texte Unicode »: UTF-16LE with BOM, tabs, CRLF, displayed values (amounts
    with €, dates as shown), a title row padded with tabs, a quoted cell with a line break."""
    groups = [(E, 0, "Élu(e)"), (P, 1, "Pro 1"), (P, 2, "Pro 2"), (P, 3, "Pro 3"), (D, 0, "DP")]
    head = ["Ville", "Reçu le", "Montant"]
    for _, _, title in groups:
        head += [f"{title} nom", f"{title} mail", f"{title} engagé"]
    head += ["Délibération"]
    width = len(head)
    lines = ["Candidatures co-formation 2015" + "\t" * (width - 1), "\t" * (width - 1),
             "\t".join(head)]  # fmt: skip
    for city in CITIES:
        value = value_of(city)
        row = [city[0], when(city[3]).strftime("%d/%m/%Y %H:%M"),
               "" if value is None else f"{value:,.2f}".replace(",", "\u00a0").replace(".", ",") + " €"]  # fmt: skip
        for role, n, _ in groups:
            found = people_of(city, role)
            person = found[max(n - 1, 0)] if max(n - 1, 0) < len(found) else None
            row += (["", "", ""] if person is None
                    else [f"{person[2].upper()} {person[1]}", mail(person, city), "oui" if person[4] else "non"])  # fmt: skip
        proof = city[5]
        row.append(f'"{proof}"' if "\n" in proof else proof)
        lines.append("\t".join(row))
    text = "\r\n".join(lines) + "\r\n"
    (OUT / "tableau-texte-unicode.txt").write_bytes(text.encode("utf-16"))


# --- Batch 2 -----------------------------------------------------------------------------


def write_limesurvey_xlsx() -> None:
    """LimeSurvey's Excel export, headings « Question code & question text »."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "results-survey778412"
    head = ["id. ID de la réponse", "submitdate. Date de soumission", "lastpage. Dernière page",
            "startlanguage. Langue de départ", "seed. Tête de série", "VILLE. Votre commune"]  # fmt: skip
    code = {E: "ELU", P: "PRO{n}", D: "DP"}
    text = {E: "Élu(e) référent(e)", P: "Professionnel(le) {n}", D: "Délégué(e) du préfet"}
    subs = [("NOM", "Nom"), ("PRENOM", "Prénom"), ("MAIL", "Courriel"),
            ("ENG", "S'engage sur toutes les journées")]  # fmt: skip
    for role, n, _ in slots(CITIES[0]):
        head += [f"{code[role].format(n=n)}[{c}]. {text[role].format(n=n)} [{label}]"
                 for c, label in subs]  # fmt: skip
    head += ["MONTANT. Montant de la contribution (€)"]
    sheet.append(head)
    for index, city in enumerate(CITIES, start=1):
        row = [index, when(city[3]).strftime("%Y-%m-%d %H:%M:%S"), 4, "fr", 5550 + index, city[0]]
        for _, _, person in slots(city):
            row += ([None] * 4 if person is None
                    else [person[2], person[1], mail(person, city), "Oui" if person[4] else "Non"])  # fmt: skip
        row.append(value_of(city))
        sheet.append(row)
    save_book(book, OUT / "limesurvey-code-et-texte.xlsx")


def write_ds_insee() -> None:
    """Démarches simplifiées' « Commune » field: the name with its postcode, then its INSEE
    code in a column of its own; a « Département » column; the people on « Triade »."""
    from openpyxl import Workbook

    insee = {"Saint-Denis": "93066", "Aubervilliers": "93001", "Montreuil": "93048",
             "Bondy": "93010", "Sevran": "93071", "Clichy-sous-Bois": "93014",
             "L'Île-Saint-Denis": "93039", "Bobigny": "93008", "Aulnay-sous-Bois": "93005",
             "Stains": "93072", "Noisy-le-Grand": "93051", "Épinay-sur-Seine": "93031"}  # fmt: skip
    postal = {"Saint-Denis": "93200", "Aubervilliers": "93300", "Montreuil": "93100",
              "Bondy": "93140", "Sevran": "93270", "Clichy-sous-Bois": "93390",
              "L'Île-Saint-Denis": "93450", "Bobigny": "93000", "Aulnay-sous-Bois": "93600",
              "Stains": "93240", "Noisy-le-Grand": "93160", "Épinay-sur-Seine": "93800"}  # fmt: skip
    book = Workbook()
    main = book.active
    main.title = "Dossiers"
    main.append(list(DS_META) + ["Commune", "Commune (Code INSEE)", "Département",
                                 "Montant de la contribution (€)"])  # fmt: skip
    block = book.create_sheet("Triade")
    block.append(["Dossier ID", "Ligne", "Qualité", "Nom", "Prénom", "Courriel",
                  "Engagement sur toutes les journées"])  # fmt: skip
    for index, city in enumerate(CITIES):
        folder = 13_000_000 + index
        stamp = when(city[3])
        main.append([folder, f"dsu@{city[7]}", "Mot de passe", "Mme", "Durand", "Claire", "false",
                     "En instruction", stamp + timedelta(days=1), stamp, None, None, None,
                     "instruction@profession-banlieue.org", f"{city[0]} ({postal[city[0]]})",
                     insee[city[0]], "93 - Seine-Saint-Denis", value_of(city)])  # fmt: skip
        for line, person in enumerate(city[8], start=1):
            role, first, last, _, committed = person
            block.append([folder, line, DS_ROLE[role], last, first, mail(person, city),
                          "Oui" if committed else "Non"])  # fmt: skip
    save_book(book, OUT / "ds-commune-insee.xlsx")


def write_english_people() -> None:
    head = ["City", "Role", "First name", "Last name", "Email", "Committed (Y/N)",
            "Contribution (EUR)"]  # fmt: skip
    label = {E: "Elected official", P: "Professional", D: "Prefect's delegate"}
    rows = [head]
    for city in CITIES:
        value = value_of(city)
        for person in city[8]:
            role, first, last, _, committed = person
            rows.append([city[0], label[role], first, last, mail(person, city),
                         "Y" if committed else "N", "" if value is None else f"€{value:,.2f}"])  # fmt: skip
    write_csv(OUT / "personnes-anglais.csv", rows)


def excel_totals_book():
    """An Excel table with its totals row (« Total » and =SUBTOTAL(109, …)), one row per
    person, the amount on every row of the city."""
    from openpyxl import Workbook
    from openpyxl.worksheet.table import Table, TableStyleInfo

    book = Workbook()
    sheet = book.active
    sheet.title = "Suivi"
    sheet.append(["Commune", "Rôle", "Nom complet", "Adresse mail", "Engagé(e) ?", "Montant"])
    label = {E: "Élu(e)", P: "Professionnel(le)", D: "Délégué(e) du préfet"}
    for city in CITIES:
        for person in city[8]:
            role, first, last, _, committed = person
            sheet.append([city[0], label[role], f"{first} {last}", mail(person, city),
                          "Oui" if committed else "Non", value_of(city)])  # fmt: skip
    last = sheet.max_row
    sheet.append(["Total", None, None, None, f"=SUBTOTAL(103,E2:E{last})",
                  f"=SUBTOTAL(109,F2:F{last})"])  # fmt: skip
    table = Table(displayName="Suivi2015", ref=f"A1:F{last + 1}", totalsRowCount=1)
    table.tableStyleInfo = TableStyleInfo(name="TableStyleLight9", showRowStripes=True)
    sheet.add_table(table)
    return book


def write_civility() -> None:
    """Google Forms where people typed their civility before their name (« Mme », « M. »)."""
    head = ["Horodateur", "Adresse e-mail", "Commune"]
    for role, n, _ in slots(CITIES[0]):
        who = SECTION[role].format(n=n)
        head += [f"{who} : civilité, prénom et nom", f"{who} : courriel",
                 f"{who} : engagement sur toutes les journées"]  # fmt: skip
    head += ["Montant de la contribution"]
    rows = [head]
    for index, city in enumerate(CITIES):
        row = [when(city[3]).strftime("%d/%m/%Y %H:%M:%S"), f"pv@{city[7]}", city[0]]
        for _, _, person in slots(city):
            if person is None:
                row += ["", "", ""]
                continue
            feminine = person[3].split()[0].endswith(("e", "ée")) and not person[3].startswith(
                ("Chef ", "Délégué ", "Adjoint ", "Conseiller ", "Maire", "Agent ", "Animateur"))
            civ = ["Mme", "Madame"][index % 2] if feminine else ["M.", "Monsieur"][index % 2]
            row += [f"{civ} {person[1]} {person[2]}", mail(person, city),
                    "Oui" if person[4] else "Non"]  # fmt: skip
        row.append(city[4])
        rows.append(row)
    write_csv(OUT / "google-forms-civilite.csv", rows)


def write_sections() -> None:
    """Google Forms with one section per person, each asking the same questions: the export
    repeats « Nom », « Prénom », « Adresse e-mail » (also Google's own respondent column) and
    the commitment, five times. Imported with the mapping ``--suggest`` writes, so it goes to
    ``suggest/``, not ``variantes4/``."""
    head = ["Horodateur", "Adresse e-mail", "Commune"]
    for _ in slots(CITIES[0]):
        head += ["Nom", "Prénom", "Adresse e-mail", "Vous engagez-vous à suivre toutes les journées ?"]
    head += ["Montant de la contribution (en euros)"]
    rows = [head]
    for city in CITIES:
        row = [when(city[3]).strftime("%d/%m/%Y %H:%M:%S"), f"pv@{city[7]}", city[0]]
        for _, _, person in slots(city):
            row += (["", "", "", ""] if person is None
                    else [person[2], person[1], mail(person, city), "Oui" if person[4] else "Non"])
        row.append(city[4])
        rows.append(row)
    (HERE / "suggest").mkdir(exist_ok=True)
    write_csv(HERE / "suggest" / "google-forms-sections.csv", rows)


def write_frama_grid() -> None:
    """Framaforms XLSX with a grid component: « Engagement sur toutes les journées » in the
    second header row over one column per person, « Oui »/« Non » in each."""
    from openpyxl import Workbook

    head1 = ["Candidature co-formation 2015"] + [None] * 5
    head2 = ["Submission Details", None, None, None, None, None]
    head3 = ["Serial", "SID", "Submitted Time", "Draft", "Commune", "Montant (€)"]
    for role, n, _ in slots(CITIES[0]):
        who = SECTION[role].format(n=n)
        head1 += [None, None]
        head2 += [who, None]
        head3 += ["Nom et prénom", "Courriel"]
    for index, (role, n, _) in enumerate(slots(CITIES[0])):
        head1.append(None)
        head2.append("Engagement sur toutes les journées" if index == 0 else None)
        head3.append(SECTION[role].format(n=n))
    book = Workbook()
    sheet = book.active
    sheet.title = "Sheet1"
    for row in (head1, head2, head3):
        sheet.append(row)
    for serial, city in enumerate(CITIES, start=1):
        row = [serial, 400 + serial, when(city[3]).strftime("%d/%m/%Y - %H:%M"), 0, city[0],
               city[4] or None]  # fmt: skip
        for _, _, person in slots(city):
            row += [None, None] if person is None else [f"{person[1]} {person[2]}", mail(person, city)]
        for _, _, person in slots(city):
            row.append(None if person is None else ("Oui" if person[4] else "Non"))
        sheet.append(row)
    save_book(book, OUT / "framaforms-grille.xlsx")


def write_numbers() -> None:
    """Apple Numbers' export to Excel: a « Résumé de l'exportation » sheet first, the table
    on « Feuille 1 - Tableau 1 » under its title row."""
    from openpyxl import Workbook

    book = Workbook()
    summary = book.active
    summary.title = "Résumé de l'exportation"
    summary.append(["Résumé de l'exportation"])
    summary.append([])
    summary.append(["Nom de la feuille Numbers", "Nom du tableau Numbers", "Nom de la feuille Excel"])
    summary.append(["Feuille 1", "Tableau 1", "Feuille 1 - Tableau 1"])
    sheet = book.create_sheet("Feuille 1 - Tableau 1")
    sheet.append(["Tableau 1"])
    sheet.append(["Ville", "Fonction", "Prénom", "Nom", "Email", "Engagement", "Contribution"])
    label = {E: "Élu(e)", P: "Professionnel(le)", D: "Délégué(e) du préfet"}
    for city in CITIES:
        for person in city[8]:
            role, first, last, _, committed = person
            sheet.append([city[0], label[role], first, last, mail(person, city),
                          "✓" if committed else "", value_of(city)])  # fmt: skip
    save_book(book, OUT / "numbers-resume.xlsx")


def write_google_zip() -> None:
    """Google Forms' « Télécharger les réponses (.csv) » gives a zip holding the CSV."""
    import zipfile

    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(google_rows(False))
    with zipfile.ZipFile(OUT / "google-forms-telechargement.csv.zip", "w",
                         zipfile.ZIP_DEFLATED) as archive:  # fmt: skip
        info = zipfile.ZipInfo("Candidature co-formation 2015 (réponses).csv", (2014, 12, 18, 12, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        archive.writestr(info, buffer.getvalue().encode("utf-8"))


def write_batch3() -> None:
    """A Google Forms city drop-down « Ville (93) » with radio answers carrying a remark,
    Framaforms times with the weekday (« mer, 03/12/2014 - 09:12 »), and Excel's checkboxes
    (TRUE/FALSE cells) in the manager's table."""
    from openpyxl import Workbook

    head = ["Horodateur", "Commune (liste)"]
    for role, n, _ in slots(CITIES[0]):
        who = SECTION[role].format(n=n)
        head += [f"{who} : nom et prénom", f"{who} : courriel", f"{who} : présent(e) les 4,5 jours ?"]
    head += ["Participation de la ville"]
    rows = [head]
    for city in CITIES:
        row = [when(city[3]).strftime("%d/%m/%Y %H:%M:%S"), f"{city[0]} (93)"]
        for _, _, person in slots(city):
            row += (["", "", ""] if person is None
                    else [f"{person[1]} {person[2]}", mail(person, city),
                          "Oui (les 4,5 jours)" if person[4] else "Non — absente le jeudi"])  # fmt: skip
        row.append(city[4])
        rows.append(row)
    write_csv(OUT / "google-forms-liste-departement.csv", rows)

    days = ["lun", "mar", "mer", "jeu", "ven", "sam", "dim"]
    frama = [list(r) for r in framaforms_rows(per_person_select=True)]
    for row, city in zip(frama[3:], CITIES, strict=True):
        stamp = when(city[3])
        text = f"{days[stamp.weekday()]}, {stamp.strftime('%d/%m/%Y - %H:%M')}"
        row[2] = row[3] = row[4] = text
    write_csv(OUT / "framaforms-jour-semaine.csv", frama, delimiter=";", quote_all=True)

    book = Workbook()
    sheet = book.active
    sheet.title = "Candidatures"
    sheet.append(["Commune", "Rôle", "Nom", "Prénom", "Mail", "Engagé(e)", "Montant"])
    label = {E: "Élu(e)", P: "Professionnel(le)", D: "Délégué(e) du préfet"}
    for city in CITIES:
        for person in city[8]:
            role, first, last, _, committed = person
            sheet.append([city[0], label[role], last, first, mail(person, city), bool(committed),
                          value_of(city)])  # fmt: skip
    save_book(book, OUT / "tableau-cases-excel.xlsx")


def convert_same(tmp: Path, name: str) -> None:
    """An .xlsx opened and saved again by LibreOffice: its formulas get their values."""
    soffice = shutil.which("soffice")
    if soffice is None:
        print(f"soffice missing: {name} not rebuilt", file=sys.stderr)
        return
    out = tmp / "again"
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{tmp / 'profile'}", "--headless",
         "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out), str(tmp / name)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    shutil.copy(out / name, OUT / name)


def main() -> None:
    OUT.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        write_google_sheets(tmp)
        write_google_english()
        write_microsoft()
        write_framaforms(tmp)
        write_ds(tmp)
        write_limesurvey()
        write_postcodes()
        write_excel_table()
        write_unicode_text()
        write_limesurvey_xlsx()
        write_ds_insee()
        write_english_people()
        save_book(excel_totals_book(), tmp / "tableau-excel-totaux.xlsx")
        write_civility()
        write_frama_grid()
        write_numbers()
        write_google_zip()
        write_sections()
        write_batch3()
        # As Google Sheets' « Télécharger > OpenDocument » and LibreOffice save them
        convert(tmp, "ods", ["google-sheets-horodatage.xlsx", "ds-bloc-1.xlsx"], OUT)
        convert(tmp, "xls", ["framaforms-biff.xlsx"], OUT)
        # Excel computes the totals row's formulas when it saves: LibreOffice does the same
        convert_same(tmp, "tableau-excel-totaux.xlsx")
    print("\n".join(sorted(p.name for p in OUT.iterdir())))


if __name__ == "__main__":
    main()
