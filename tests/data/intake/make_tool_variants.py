"""Write the twelve cities' answers in more of the shapes real tools and managers give (issue 16).

    python tests/data/intake/make_tool_variants.py          # needs openpyxl; soffice for .ods/.xls

A third round of export styles, beside ``make_form_exports.py`` (``outils/``): the files go to
``tests/data/intake/variantes/``. Every file holds the shipped example's answers (same 12 cities,
people, commitments and contributions), so ``cotrain check`` with the example's ``cotrain.toml``
must give the same 7 of 12 eligible, for the same reasons. ``EXPECTED`` below says, per file,
whether it imports as exported or after ``cotrain import FILE --suggest --write``.

The ``.ods`` and ``.xls`` files are made by LibreOffice from the ``.xlsx`` written here
(``soffice --headless --convert-to``), as a manager saving from LibreOffice gets them; they are
committed, so the tests do not need LibreOffice.
"""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import sys
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from make_variants import CITIES, D, E, P, email, when  # noqa: E402

OUT = HERE / "variantes"
FIXED = datetime(2014, 12, 18, 12, 0, 0)

# file -> "as-is" (imports as exported) or "suggest" (after --suggest --write)
EXPECTED: dict[str, str] = {}


def people_of(city, role):
    return [p for p in city[8] if p[0] == role]


def slots(city, pros=3):
    """(role, number, person or None): the élu, ``pros`` professionals and the delegate."""
    found = people_of(city, P)
    yield E, 0, (people_of(city, E) or [None])[0]
    for n in range(pros):
        yield P, n + 1, found[n] if n < len(found) else None
    yield D, 0, (people_of(city, D) or [None])[0]


def mail(person, city, upper=False):
    _, first, last, _, _ = person
    text = email(first, last, person[0], city[7])
    return text.upper() if upper else text


def write_csv(path: Path, rows, *, delimiter=",", encoding="utf-8", newline="\n", quote_all=False):
    buffer = io.StringIO()
    quoting = csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL
    csv.writer(buffer, delimiter=delimiter, lineterminator=newline, quoting=quoting).writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))


def save_book(book, path: Path) -> None:
    book.properties.created = FIXED
    book.properties.modified = FIXED
    book.save(path)


def amount_text(city, style: str) -> str:
    text = city[4]
    if not text:
        return ""
    value = float(text.replace(",", "."))
    if style == "euro":  # 600,00 €
        return f"{value:.2f}".replace(".", ",") + "\u00a0€"
    if style == "int-euro":  # 600 €
        return f"{int(value)} €"
    if style == "dot":  # 600.00
        return f"{value:.2f}"
    return text


# --- Framaforms: fieldsets in the second header row, one checkbox question ----------------

FRAMA_META = ["Serial", "SID", "Submitted Time", "Completed Time", "Modified Time", "Draft",
              "IP Address", "UID", "Username"]  # fmt: skip
FRAMA_GROUP = {E: "Élu(e) référent(e)", P: "Professionnel(le) n°{n}", D: "Délégué(e) du préfet"}
FRAMA_OPTION = {
    E: "L'élu(e) référent(e) s'engage sur toutes les journées",
    P: "Le ou la professionnel(le) n°{n} s'engage sur toutes les journées",
    D: "Le ou la délégué(e) du préfet s'engage sur toutes les journées",
}


def frama_header(form_title: str, pad=""):
    """Framaforms' three header rows (the form's title, « Submission Details » with the
    fieldsets, the labels) after its metadata columns, and ``add(label, fieldset=pad)``;
    ``pad`` fills the cells left empty (``""`` in a CSV, ``None`` in a workbook)."""
    title = [form_title] + [pad] * (len(FRAMA_META) - 1)
    details = ["Submission Details"] + [pad] * (len(FRAMA_META) - 1)
    labels = list(FRAMA_META)

    def add(label, group=pad):
        title.append(pad)
        details.append(group)
        labels.append(label)

    return title, details, labels, add


def date_cells(*sheets, min_row=2) -> None:
    """Every date of these worksheets (from ``min_row`` down) shown as a day and a time."""
    for sheet in sheets:
        for cells in sheet.iter_rows(min_row=min_row):
            for cell in cells:
                if hasattr(cell.value, "year"):
                    cell.number_format = "dd/mm/yyyy hh:mm"


def framaforms_rows(per_person_select: bool):
    title, details, labels, add = frama_header(
        "Candidature co-formation élus, professionnels et habitants 2015"
    )

    add("Votre commune")
    add("Territoire (EPT)")
    fields = ["Prénom", "Nom", "Fonction", "Adresse électronique"]
    if per_person_select:
        fields.append("Engagement sur les 4,5 jours")
    for role, n, _ in slots(CITIES[0]):
        for index, field in enumerate(fields):
            add(field, FRAMA_GROUP[role].format(n=n) if index == 0 else "")
    if not per_person_select:
        for index, (role, n, _) in enumerate(slots(CITIES[0])):
            add(FRAMA_OPTION[role].format(n=n), "Engagements" if index == 0 else "")
    add("Montant de la participation financière (€)")
    add("Délibération ou bon de commande")
    add("J'accepte que ces informations soient utilisées pour la gestion de la co-formation")
    rows = [title, details, labels]
    for serial, city in enumerate(CITIES, start=1):
        stamp = when(city[3]).strftime("%d/%m/%Y - %H:%M")
        row = [str(serial), str(2000 + serial), stamp, stamp, stamp, "0", "192.0.2.7", "0",
               "Anonymous"]  # fmt: skip
        row += [city[0], city[1]]
        for _, _, person in slots(city):
            if person is None:
                row += [""] * len(fields)
                continue
            _, first, last, job, committed = person
            row += [first, last, job, mail(person, city)]
            if per_person_select:
                row.append("Oui" if committed else "Non")
        if not per_person_select:
            for _, _, person in slots(city):
                row.append("X" if person is not None and person[4] else "")
        row += [city[4], city[5], "X"]
        rows.append(row)
    return rows


def write_framaforms(tmp: Path) -> None:
    rows = framaforms_rows(per_person_select=False)
    write_csv(OUT / "framaforms-virgules.csv", rows, delimiter=",", quote_all=True)
    EXPECTED["framaforms-virgules.csv"] = "as-is"
    write_csv(OUT / "framaforms-points-virgules.csv", rows, delimiter=";", quote_all=True)
    EXPECTED["framaforms-points-virgules.csv"] = "as-is"
    select_rows = framaforms_rows(per_person_select=True)
    write_csv(OUT / "framaforms-tab-oui-non.csv", select_rows, delimiter="\t", quote_all=True)
    EXPECTED["framaforms-tab-oui-non.csv"] = "as-is"
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Submissions"
    for row in rows:
        sheet.append(row)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(rows[0]))
    save_book(book, OUT / "framaforms-titre-fusionne.xlsx")
    EXPECTED["framaforms-titre-fusionne.xlsx"] = "as-is"


# --- Démarches simplifiées: annotations, blocks named otherwise --------------------------

DS_META = ["ID", "Email", "FranceConnect ?", "Civilité", "Nom", "Prénom", "Dépôt pour un tiers",
           "Archivé", "État du dossier", "Dernière mise à jour le", "Dernière mise à jour du dossier le",
           "Déposé le", "Passé en instruction le", "Traité le", "Motivation de la décision",
           "Instructeurs", "Groupe instructeur"]  # fmt: skip


def ds_book(one_block: bool):
    from openpyxl import Workbook

    book = Workbook()
    main = book.active
    main.title = "Dossiers"
    head = list(DS_META) + ["Nom de la commune", "EPT de rattachement"]
    if not one_block:
        for who in ("élu(e) référent(e)", "délégué(e) du préfet"):
            head += [f"Nom et prénom de l'{who}" if who[0] == "é" else f"Nom et prénom du/de la {who}",
                     f"Courriel {who}", f"Engagement {who} sur toutes les journées"]  # fmt: skip
    head += ["Montant de la contribution (€)", "Pièce justificative : délibération",
             "Avis de l'instructeur (annotation privée)", "Note du comité (annotation privée)"]  # fmt: skip
    main.append(head)
    if one_block:
        block = book.create_sheet("Personnes engagées dans la co…")
        block.append(["Dossier ID", "Ligne", "Qualité", "Nom", "Prénom", "Courriel",
                      "S'engage sur toutes les journées"])  # fmt: skip
    else:
        block = book.create_sheet("Agents de la commune")
        block.append(["Dossier ID", "Ligne", "Nom", "Prénom", "Intitulé du poste", "Courriel",
                      "S'engage sur toutes les journées"])  # fmt: skip
    for index, city in enumerate(CITIES):
        folder = 9_100_000 + index * 7
        stamp = when(city[3])
        row = [folder, f"dossiers.{city[7].split('.')[0]}@{city[7]}", "false", "Mme", "Lambert",
               "Anne", "false", "false", "en_instruction", stamp + timedelta(days=2),
               stamp + timedelta(days=2), stamp, stamp + timedelta(days=3), None, None,
               "instructeur@cr-politique-ville.fr", "Seine-Saint-Denis"]  # fmt: skip
        row += [city[0], city[1]]
        if not one_block:
            for role in (E, D):
                found = people_of(city, role)
                if found:
                    person = found[0]
                    row += [
                        f"{person[1]} {person[2]}",
                        mail(person, city),
                        "Oui" if person[4] else "Non",
                    ]
                else:
                    row += [None, None, None]
        value = city[4]
        row += [float(value.replace(",", ".")) if value else None, f"{city[5]}.pdf" if city[5] else None,
                "Dossier complet", int(city[6].split(",")[0])]  # fmt: skip
        main.append(row)
        line = 0
        for person in city[8]:
            if not one_block and person[0] != P:
                continue
            line += 1
            role, first, last, job, committed = person
            if one_block:
                label = {E: "Élu(e)", P: "Professionnel(le)", D: "Délégué(e) du préfet"}[role]
                block.append([folder, line, label, last, first, mail(person, city),
                              "Oui" if committed else "Non"])  # fmt: skip
            else:
                block.append([folder, line, last, first, job, mail(person, city),
                              "Oui" if committed else "Non"])  # fmt: skip
    return book


def write_ds(tmp: Path) -> None:
    save_book(ds_book(one_block=False), OUT / "ds-agents-de-la-commune.xlsx")
    EXPECTED["ds-agents-de-la-commune.xlsx"] = "as-is"
    save_book(ds_book(one_block=True), tmp / "ds-un-bloc.xlsx")
    shutil.copy(tmp / "ds-un-bloc.xlsx", OUT / "ds-un-bloc.xlsx")
    EXPECTED["ds-un-bloc.xlsx"] = "as-is"
    EXPECTED["ds-un-bloc.ods"] = "as-is"


# --- LimeSurvey: codes with ';', Y/N; full text with sub-questions, Oui/Non ---------------


def limesurvey_rows(codes: bool):
    meta = (["id", "submitdate", "lastpage", "startlanguage", "seed", "startdate", "datestamp"]
            if codes else
            ["ID de la réponse", "Date de soumission", "Dernière page", "Langue de départ",
             "Tête de série", "Date de début", "Date de la dernière action"])  # fmt: skip
    head = list(meta)
    head += ["VILLE", "EPT"] if codes else ["Nom de votre ville", "Territoire (EPT)"]
    code = {E: "ELU", P: "PRO{n}", D: "DP"}
    text = {E: "Élu(e) référent(e)", P: "Professionnel(le) {n}", D: "Délégué(e) du préfet"}
    subs = (["PRENOM", "NOM", "MAIL", "ENGAGEMENT"] if codes
            else ["Prénom", "Nom", "Adresse e-mail", "S'engage sur toutes les journées"])  # fmt: skip
    for role, n, _ in slots(CITIES[0]):
        for sub in subs:
            head.append(f"{(code if codes else text)[role].format(n=n)}[{sub}]" if codes
                        else f"{text[role].format(n=n)} [{sub}]")  # fmt: skip
    head += ["MONTANT", "DELIB", "RGPD"] if codes else [
        "Montant de la contribution (€)", "Référence de la délibération",
        "Acceptez-vous le traitement de vos données ?"]  # fmt: skip
    rows = [head]
    yes, no = ("Y", "N") if codes else ("Oui", "Non")
    for index, city in enumerate(CITIES, start=1):
        stamp = when(city[3])
        iso = stamp.strftime("%Y-%m-%d %H:%M:%S")
        start = (stamp - timedelta(minutes=17)).strftime("%Y-%m-%d %H:%M:%S")
        row = [str(index), iso, "3", "fr", str(123456 + index), start, iso, city[0], city[1]]
        for _, _, person in slots(city):
            if person is None:
                row += ["", "", "", ""]
            else:
                row += [person[1], person[2], mail(person, city), yes if person[4] else no]
        row += [city[4].replace(",", ".") if codes else city[4], city[5], yes]
        rows.append(row)
    return rows


def write_limesurvey(tmp: Path) -> None:
    write_csv(OUT / "limesurvey-codes-points-virgules.csv", limesurvey_rows(True), delimiter=";",
              encoding="utf-8-sig", newline="\r\n", quote_all=True)  # fmt: skip
    EXPECTED["limesurvey-codes-points-virgules.csv"] = "as-is"
    write_csv(OUT / "limesurvey-textes-prenom-nom.csv", limesurvey_rows(False), delimiter=",",
              encoding="utf-8-sig", newline="\r\n", quote_all=True)  # fmt: skip
    EXPECTED["limesurvey-textes-prenom-nom.csv"] = "as-is"


# --- Google Forms: French times, questions in sentences, a checkbox question -------------


def google_rows(checkbox: bool):
    head = ["Horodateur", "Adresse e-mail", "Commune candidate ", "Territoire "]
    ask = {
        E: ("Nom et prénom de l'élu(e) référent(e) ", "Adresse électronique de l'élu(e) référent(e) "),
        P: ("Nom et prénom du professionnel ou de la professionnelle n°{n} ",
            "Adresse électronique du professionnel ou de la professionnelle n°{n} "),
        D: ("Nom et prénom du délégué ou de la déléguée du préfet ",
            "Adresse électronique du délégué ou de la déléguée du préfet "),
    }  # fmt: skip
    option = {E: "Élu(e) référent(e)", P: "Professionnel(le) n°{n}", D: "Délégué(e) du préfet"}
    for role, n, _ in slots(CITIES[0]):
        head += [q.format(n=n) for q in ask[role]]
        if not checkbox:
            head.append(f"Engagement sur toutes les journées : {option[role].format(n=n)} ")
    if checkbox:
        head.append("Qui s'engage à suivre toutes les journées ? ")
    head += ["Montant de la contribution de la ville (en euros) ",
             "J'accepte que mes données soient utilisées dans le cadre de la co-formation "]  # fmt: skip
    rows = [head]
    for city in CITIES:
        stamp = when(city[3])
        row = [stamp.strftime("%d/%m/%Y %H:%M:%S"), f"POLITIQUE.VILLE@{city[7].upper()}", city[0],
               city[1]]  # fmt: skip
        ticked = []
        for role, n, person in slots(city):
            if person is None:
                row += ["", ""] + ([] if checkbox else [""])
                continue
            row += [f"{person[1]} {person[2]}", mail(person, city, upper=True)]
            if not checkbox:
                row.append("Oui" if person[4] else "Non")
            elif person[4]:
                ticked.append(option[role].format(n=n))
        if checkbox:
            row.append(", ".join(ticked))
        row += [city[4], "J'accepte"]
        rows.append(row)
    return rows


def write_google(tmp: Path) -> None:
    write_csv(OUT / "google-forms-phrases.csv", google_rows(False))
    EXPECTED["google-forms-phrases.csv"] = "as-is"
    write_csv(OUT / "google-forms-cases-a-cocher.csv", google_rows(True))
    EXPECTED["google-forms-cases-a-cocher.csv"] = "as-is"


# --- Microsoft Forms ---------------------------------------------------------------------


def write_microsoft(tmp: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Form1"
    head = ["ID", "Heure de début", "Heure de fin", "Adresse de messagerie", "Nom",
            "Heure de la dernière modification", "Commune", "Votre EPT"]  # fmt: skip
    label = {E: "Élu(e)", P: "Professionnel(le) {n}", D: "Délégué(e) du préfet"}
    for role, n, _ in slots(CITIES[0]):
        who = label[role].format(n=n)
        head += [
            f"{who} : nom et prénom",
            f"{who} : adresse mail",
            f"{who} : s'engage sur les 4,5 jours",
        ]
    head += ["Contribution financière de la commune", "Commentaires"]
    sheet.append(head)
    for index, city in enumerate(CITIES, start=1):
        stamp = when(city[3])
        row = [index, stamp - timedelta(minutes=9), stamp, "anonymous", "", None, city[0], city[1]]
        for _, _, person in slots(city):
            if person is None:
                row += [None, None, None]
            else:
                row += [
                    f"{person[1]} {person[2]}",
                    mail(person, city),
                    "Oui" if person[4] else "Non",
                ]
        row += [amount_text(city, "int-euro") or None, "RAS" if index % 3 else None]
        sheet.append(row)
    save_book(book, OUT / "microsoft-forms-ms.xlsx")
    EXPECTED["microsoft-forms-ms.xlsx"] = "as-is"


# --- The manager's own tables ------------------------------------------------------------

TICKS = ["oui", "Oui ", "X", "✓", "✔", "☑", "OUI", "x"]


def manager_per_city(tmp: Path) -> None:
    """One row per city, people grouped under merged role headers; typed via LibreOffice."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "Suivi 2015"
    groups = [(E, 0, "Élu(e)"), (P, 1, "Professionnel(le) 1"), (P, 2, "Professionnel(le) 2"),
              (P, 3, "Professionnel(le) 3"), (D, 0, "Délégué(e) du préfet")]  # fmt: skip
    fields = ["Courriel", "Nom", "Engagé(e)"]
    width = 3 + len(groups) * len(fields) + 2
    sheet.append(["CO-FORMATION 2015 — suivi des candidatures"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(["Mis à jour le 18/12/2014 par le centre de ressources"])
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    sheet.append([])
    top = ["", "", ""]
    for _, _, title in groups:
        top += [title, "", ""]
    top += ["", ""]
    sheet.append(top)
    for index in range(len(groups)):
        col = 4 + index * 3
        sheet.merge_cells(start_row=4, start_column=col, end_row=4, end_column=col + 2)
    sheet.append(
        ["Montant (€)", "Ville", "Territoire"]
        + fields * len(groups)
        + ["Date de réception", "Délibération"]
    )
    first_data = 6
    tick = 0
    for index, city in enumerate(CITIES):
        if index and CITIES[index - 1][1] != city[1]:
            sheet.append([])
        value = city[4]
        row = [float(value.replace(",", ".")) if value else None,
               city[0].replace("Saint-", "St-") if city[0] == "Saint-Denis" else city[0], city[1]]  # fmt: skip
        for role, n, _ in groups:
            found = people_of(city, role)
            person = found[max(n - 1, 0)] if max(n - 1, 0) < len(found) else None
            if person is None:
                row += [None, None, None]
                continue
            address = mail(person, city, upper=index % 2 == 0)
            row += [
                f'=HYPERLINK("mailto:{address}","{address}")',
                f"{person[2].upper()} {person[1]}",
            ]
            if person[4]:
                row.append(TICKS[tick % len(TICKS)])
                tick += 1
            else:
                row.append("non")
        row += [when(city[3]), city[5] or None]
        sheet.append(row)
        sheet.cell(row=sheet.max_row, column=1).number_format = '#,##0.00 "€"'
        sheet.cell(row=sheet.max_row, column=width - 1).number_format = "DD/MM/YYYY HH:MM"
    last = sheet.max_row
    sheet.append([])
    sheet.append([f"=SUM(A{first_data}:A{last})", "TOTAL"])
    sheet.cell(row=first_data + 2, column=width + 2, value="relancer Bobigny pour le DP")
    save_book(book, tmp / "tableau-villes.xlsx")
    EXPECTED["tableau-villes.xlsx"] = "as-is"
    EXPECTED["tableau-villes.ods"] = "as-is"


PERSON_LABELS = {
    "statut": {E: "Élu(e)", P: "Agent", D: "Délégué(e) du préfet"},
    "college": {E: "Élu·e", P: "Professionnel(le)", D: "DP"},
}


def manager_per_person(tmp: Path, name: str, role_header: str, labels, *, job_as_role=False,
                       listes=False, synthese=False) -> None:  # fmt: skip
    """One row per person, merged city cells, a role column under another header."""
    from openpyxl import Workbook

    book = Workbook()
    if listes:
        hidden = book.active
        hidden.title = "Listes"
        for label in ("Élu(e)", "Professionnel(le)", "Délégué(e) du préfet", "Oui", "Non"):
            hidden.append([label])
        hidden.sheet_state = "hidden"
        sheet = book.create_sheet("Candidatures")
    else:
        sheet = book.active
        sheet.title = "Candidatures"
    if synthese:
        summary = book.create_sheet("Synthèse", 0 if not listes else 1)
        summary.append(["Territoire", "Nombre de villes", "Montant total"])
        for ept in sorted({c[1] for c in CITIES}):
            these = [c for c in CITIES if c[1] == ept]
            total = sum(float(c[4].replace(",", ".")) for c in these if c[4])
            summary.append([ept, len(these), total])
        summary.append(["Total général", len(CITIES), None])
        book.active = book.sheetnames.index("Synthèse")
    sheet.append(["Appel à candidatures co-formation 2015"])
    sheet.merge_cells("A1:I1")
    sheet.append([])
    head = ["Ville", role_header, "NOM", "Prénom"] + ([] if job_as_role else ["Poste"]) + [
        "Mail", "Tél.", "Présent(e) les 4,5 jours", "Participation (€)"]  # fmt: skip
    sheet.append(head)
    tick = 0
    for city in CITIES:
        start = sheet._current_row + 1  # max_row ignores the blank rows appended
        for position, person in enumerate(city[8]):
            role, first, last, job, committed = person
            label = job if job_as_role else labels[role]
            if job_as_role and role == D:
                label = "DP"
            mark = TICKS[tick % len(TICKS)] if committed else "non"
            tick += 1
            phone = f"01 48 {10 + position:02d} {CITIES.index(city) + 20:02d} 00"
            row = [city[0] if position == 0 else None, label, last.upper(), first] + (
                [] if job_as_role else [job]) + [mail(person, city, upper=position == 1), phone, mark,
                amount_text(city, "euro") if position == 0 else None]  # fmt: skip
            sheet.append(row)
        end = sheet._current_row
        column_of_amount = len(head)
        sheet.merge_cells(start_row=start, start_column=1, end_row=end, end_column=1)
        sheet.merge_cells(start_row=start, start_column=column_of_amount, end_row=end,
                          end_column=column_of_amount)  # fmt: skip
        sheet.append([])
    sheet.append(["TOTAL", None, None, None] + [None] * (len(head) - 5) + ["3 900,00 €"])
    sheet.cell(row=5, column=len(head) + 2, value="à vérifier avec la DDETS")
    save_book(book, tmp / f"{name}.xlsx")


def write_manager(tmp: Path) -> None:
    manager_per_city(tmp)
    manager_per_person(tmp, "personnes-statut", "Statut", PERSON_LABELS["statut"], listes=True)
    EXPECTED["personnes-statut.xlsx"] = "as-is"
    EXPECTED["personnes-statut.ods"] = "as-is"
    manager_per_person(tmp, "personnes-college", "Collège", PERSON_LABELS["college"], synthese=True)
    EXPECTED["personnes-college.xls"] = "as-is"
    manager_per_person(tmp, "personnes-qualite-poste", "Qualité", None, job_as_role=True)
    EXPECTED["personnes-qualite-poste.xlsx"] = "as-is"
    for name in ("personnes-statut", "personnes-qualite-poste"):
        shutil.copy(tmp / f"{name}.xlsx", OUT / f"{name}.xlsx")


def write_plain_csvs() -> None:
    """cp1252 as French Excel saves it; one row per person with « Fonction »; city spellings."""
    head = ["Fonction", "Commune", "Prénom", "Nom", "Adresse mail", "Engagement", "Contribution",
            "Commentaire"]  # fmt: skip
    label = {E: "Adjoint(e) au maire", P: "Professionnel(le)", D: "Délégué(e) du préfet"}
    spelled = {"Saint-Denis": "St-Denis", "L'Île-Saint-Denis": "L'Ile-St-Denis",
               "Épinay-sur-Seine": "Epinay sur Seine"}  # fmt: skip
    rows = [head]
    for city in CITIES:
        for person in city[8]:
            role, first, last, _, committed = person
            rows.append([label[role], spelled.get(city[0], city[0]), first, last,
                         mail(person, city, upper=True), "Oui" if committed else "Non",
                         amount_text(city, "int-euro"), ""])  # fmt: skip
    write_csv(OUT / "personnes-fonction-cp1252.csv", rows, delimiter=";", encoding="cp1252",
              newline="\r\n")  # fmt: skip
    EXPECTED["personnes-fonction-cp1252.csv"] = "as-is"


# --- Batch 2: what a form keeps that is not an answer, and values in full sentences --------


def write_incomplete(tmp: Path) -> None:
    """LimeSurvey's "all responses" export holds the incomplete ones (no ``submitdate``);
    Framaforms' the drafts (``Draft`` = 1): a city that began, stopped, then answered."""
    rows = limesurvey_rows(True)
    head = rows[0]
    partial = [""] * len(head)
    partial[0], partial[2], partial[3], partial[4] = "13", "1", "fr", "999"
    partial[head.index("startdate")] = "2014-12-01 10:00:00"
    partial[head.index("datestamp")] = "2014-12-01 10:04:00"
    partial[head.index("VILLE")] = "Bobigny"
    partial[head.index("EPT")] = "Est Ensemble"
    other = list(partial)
    other[0] = "14"
    other[head.index("VILLE")] = "Sevran"
    other[head.index("ELU[NOM]")] = "Sissoko"
    other[head.index("ELU[ENGAGEMENT]")] = "N"
    write_csv(OUT / "limesurvey-incompletes.csv", [head, partial, other, *rows[1:]], delimiter=",",
              encoding="utf-8-sig", newline="\r\n", quote_all=True)  # fmt: skip
    EXPECTED["limesurvey-incompletes.csv"] = "as-is"
    frama = framaforms_rows(per_person_select=False)
    draft = list(frama[3 + 4])  # Sevran's row, saved as a draft before the final answer
    draft[0], draft[1], draft[5] = "13", "2013", "1"
    draft[draft.index("X") if "X" in draft else 0] = ""
    for index in range(12, len(draft) - 4):
        draft[index] = ""
    write_csv(OUT / "framaforms-brouillon.csv", [*frama[:3], draft, *frama[3:]], delimiter=",",
              quote_all=True)  # fmt: skip
    EXPECTED["framaforms-brouillon.csv"] = "as-is"


def write_sentences(tmp: Path) -> None:
    """Google Forms radio answers in full sentences; amounts typed every way."""
    head = ["Horodateur", "Adresse e-mail", "Commune", "Territoire"]
    for role, n, _ in slots(CITIES[0]):
        who = {E: "l'élu(e)", P: f"du professionnel n°{n}", D: "du délégué du préfet"}[role]
        head += [f"Nom et prénom {who}", f"Courriel {who}", f"Engagement {who}"]
    head += ["Montant de la contribution", "Date de la délibération"]
    rows = [head]
    money = ["600,00\u202f€", "500 EUR", "600 euros", "€ 600", "600,00", "500", "600.00"]
    for index, city in enumerate(CITIES):
        stamp = when(city[3])
        row = [stamp.strftime("%Y/%m/%d %-I:%M:%S %p") + " UTC+1", "", city[0], city[1]]
        for _, _, person in slots(city):
            if person is None:
                row += ["", "", ""]
                continue
            row += [f"{person[1]} {person[2]}", mail(person, city),
                    "Oui, je m'engage à suivre toutes les journées" if person[4]
                    else "Non, pas sur toutes les journées"]  # fmt: skip
        value = city[4]
        typed = ""
        if value:
            typed = money[index % len(money)].replace(
                "600", str(int(float(value.replace(",", "."))))
            )
            typed = typed.replace("500", str(int(float(value.replace(",", ".")))))
        row += [typed, f"{stamp.day} décembre 2014"]
        rows.append(row)
    write_csv(OUT / "google-forms-phrases-oui-non.csv", rows)
    EXPECTED["google-forms-phrases-oui-non.csv"] = "as-is"


def write_excel_csv_two_headers() -> None:
    """The manager's table saved by French Excel as CSV: ``sep=;`` first, the role row above
    the labels (a merged cell: on its first column only), serial dates in a General column."""
    groups = [(E, 0, "Élu(e)"), (P, 1, "Professionnel(le) 1"), (P, 2, "Professionnel(le) 2"),
              (P, 3, "Professionnel(le) 3"), (D, 0, "Délégué(e) du préfet")]  # fmt: skip
    top = ["", "", ""]
    labels = ["Ville", "Reçu le", "Contribution"]
    for _, _, title in groups:
        top += [title, "", ""]
        labels += ["Nom", "Courriel", "Engagé(e)"]
    rows = [["sep=;"], top, labels]
    for city in CITIES:
        stamp = when(city[3])
        serial = (stamp - datetime(1899, 12, 30)).total_seconds() / 86400
        row = [city[0], f"{serial:.6f}".replace(".", ","), amount_text(city, "euro")]
        for role, n, _ in groups:
            found = people_of(city, role)
            person = found[max(n - 1, 0)] if max(n - 1, 0) < len(found) else None
            if person is None:
                row += ["", "", ""]
            else:
                row += [
                    f"{person[1]} {person[2]}",
                    mail(person, city),
                    "oui" if person[4] else "non",
                ]
        rows.append(row)
    rows.append(["TOTAL", "", "6 400,00 €"])
    write_csv(OUT / "tableau-excel-sep.csv", rows, delimiter=";", encoding="cp1252", newline="\r\n")
    EXPECTED["tableau-excel-sep.csv"] = "as-is"


def write_cover_sheet(tmp: Path) -> None:
    """A workbook that opens on a « Lisez-moi » page, the answers on the second sheet,
    starting in column B with a hidden helper column; a role column and a job title column."""
    from openpyxl import Workbook

    book = Workbook()
    cover = book.active
    cover.title = "Lisez-moi"
    cover.append(["Tableau des candidatures à la co-formation 2015"])
    cover.append(["Une ligne par personne. Colonne Qualité : Élu(e), Professionnel(le), DP."])
    cover.append(["Contact : centre de ressources politique de la ville"])
    sheet = book.create_sheet("Réponses")
    head = [None, "Commune", "Qualité", "Fonction", "NOM Prénom", "E-mail", "Tél. portable",
            "Engagement", "Montant voté", "clé"]  # fmt: skip
    sheet.append(head)
    labels = {E: ["Élu(e)", "Adjoint au maire"], P: ["Professionnel(le)", "Agent", "Technicien.ne"],
              D: ["DP", "Délégué du Préfet"]}  # fmt: skip
    turn = 0
    for city in CITIES:
        for person in city[8]:
            role, first, last, job, committed = person
            turn += 1
            options = labels[role]
            sheet.append([None, city[0], options[turn % len(options)], job, f"{last.upper()} {first}",
                          mail(person, city), f"06 12 34 {turn:02d} 00",
                          TICKS[turn % len(TICKS)] if committed else "✗",
                          amount_text(city, "euro") or None, f"k{turn}"])  # fmt: skip
    sheet.column_dimensions["J"].hidden = True
    save_book(book, OUT / "personnes-lisez-moi.xlsx")
    EXPECTED["personnes-lisez-moi.xlsx"] = "as-is"


# --- Batch 3: machine keys, multiple-choice codes, sections, Mac encodings -------------------


def write_batch3(tmp: Path) -> None:
    from openpyxl import Workbook

    key = {E: "elu", P: "professionnel_{n}", D: "delegue_prefet"}
    # Framaforms with "machine names" as headers, one header row, saved as .txt (tab)
    head = ["sid", "submitted", "draft", "commune", "territoire"]
    for role, n, _ in slots(CITIES[0]):
        head += [f"{key[role].format(n=n)}_{f}" for f in ("nom", "courriel", "engagement")]
    head += ["montant_contribution"]
    rows = [head]
    for index, city in enumerate(CITIES, start=1):
        row = [str(index), when(city[3]).strftime("%d/%m/%Y - %H:%M"), "0", city[0], city[1]]
        for _, _, person in slots(city):
            row += (["", "", ""] if person is None
                    else [f"{person[1]} {person[2]}", mail(person, city), "oui" if person[4] else "non"])  # fmt: skip
        row.append(city[4])
        rows.append(row)
    write_csv(OUT / "framaforms-cles.txt", rows, delimiter="\t")
    EXPECTED["framaforms-cles.txt"] = "as-is"

    # LimeSurvey: a multiple-choice question ENGAGEMENT[ELU], ENGAGEMENT[PRO1]… (Y or empty),
    # and the participant table's own firstname, lastname, email (the person who answered)
    code = {E: "ELU", P: "PRO{n}", D: "DP"}
    head = ["id", "token", "submitdate", "lastpage", "startlanguage", "firstname", "lastname",
            "email", "COMMUNE"]  # fmt: skip
    for role, n, _ in slots(CITIES[0]):
        head += [f"{code[role].format(n=n)}[NOM]", f"{code[role].format(n=n)}[MAIL]"]
    head += [f"ENGAGEMENT[{code[role].format(n=n)}]" for role, n, _ in slots(CITIES[0])]
    head += ["CONTRIB"]
    rows = [head]
    for index, city in enumerate(CITIES, start=1):
        row = [str(index), f"tok{index}", when(city[3]).strftime("%Y-%m-%d %H:%M:%S"), "4", "fr",
               "Anne", "Lambert", f"contact@{city[7]}", city[0]]  # fmt: skip
        for _, _, person in slots(city):
            row += ["", ""] if person is None else [f"{person[1]} {person[2]}", mail(person, city)]
        row += ["Y" if person is not None and person[4] else "" for _, _, person in slots(city)]
        row.append(city[4].replace(",", "."))
        rows.append(row)
    write_csv(OUT / "limesurvey-choix-multiple.csv", rows, encoding="utf-8-sig", newline="\r\n",
              quote_all=True)  # fmt: skip
    EXPECTED["limesurvey-choix-multiple.csv"] = "as-is"

    # Microsoft Forms: one multiple-answer question, answers joined by « ; » with a trailing one
    book = Workbook()
    sheet = book.active
    sheet.title = "Sheet1"
    label = {E: "Élu(e)", P: "Professionnel(le) {n}", D: "Délégué(e) du préfet"}
    head = ["ID", "Heure de début", "Heure de fin", "Adresse de messagerie", "Nom", "Commune"]
    for role, n, _ in slots(CITIES[0]):
        head += [
            f"Nom et prénom : {label[role].format(n=n)}",
            f"Courriel : {label[role].format(n=n)}",
        ]
    head += ["Qui s'engage sur toutes les journées ?", "Montant de la contribution (€)"]
    sheet.append(head)
    for index, city in enumerate(CITIES, start=1):
        stamp = when(city[3])
        row = [index, stamp, stamp, "anonymous", None, city[0]]
        ticked = ""
        for role, n, person in slots(city):
            row += (
                [None, None] if person is None else [f"{person[1]} {person[2]}", mail(person, city)]
            )
            if person is not None and person[4]:
                ticked += label[role].format(n=n) + ";"
        row += [ticked, float(city[4].replace(",", ".")) if city[4] else None]
        sheet.append(row)
    save_book(book, OUT / "microsoft-forms-choix.xlsx")
    EXPECTED["microsoft-forms-choix.xlsx"] = "as-is"

    # Démarches simplifiées: single checkboxes exported as « on » / « off »
    book = ds_book(one_block=False)
    for row in book["Dossiers"].iter_rows(min_row=2):
        for cell in row:
            if cell.value in ("Oui", "Non"):
                cell.value = "on" if cell.value == "Oui" else "off"
    for row in book["Agents de la commune"].iter_rows(min_row=2):
        for cell in row:
            if cell.value in ("Oui", "Non"):
                cell.value = "on" if cell.value == "Oui" else "off"
    save_book(book, OUT / "ds-cases-on-off.xlsx")
    EXPECTED["ds-cases-on-off.xlsx"] = "as-is"

    # A manager's CSV saved by Excel for Mac: Mac Roman, « ; », CR line ends
    head = ["Commune", "Rôle", "Prénom", "Nom", "Courriel", "Engagé(e)", "Contribution (€)"]
    rows = [head]
    for city in CITIES:
        for person in city[8]:
            role, first, last, _, committed = person
            rows.append([city[0], {E: "Élu(e)", P: "Professionnel(le)", D: "Délégué(e) du préfet"}[role],
                         first, last, mail(person, city), "oui" if committed else "non", city[4]])  # fmt: skip
    write_csv(OUT / "personnes-mac.csv", rows, delimiter=";", encoding="mac_roman", newline="\r")
    EXPECTED["personnes-mac.csv"] = "as-is"

    # « Collège » in the plural words of the triad: Élus, Techniciennes, Représentant de l'État
    college = {E: ["Élus", "Élues"], P: ["Techniciens", "Techniciennes"],
               D: ["Représentant de l'État", "Collège État"]}  # fmt: skip
    head = ["Collège", "Commune", "Nom", "Prénom", "Courriel", "Présence sur les 4,5 jours",
            "Participation financière"]  # fmt: skip
    rows = [head]
    for index, city in enumerate(CITIES):
        for person in city[8]:
            role, first, last, _, committed = person
            rows.append([college[role][index % 2], city[0], last, first, mail(person, city),
                         "Oui" if committed else "Non", city[4]])  # fmt: skip
    write_csv(OUT / "personnes-college-pluriels.csv", rows, delimiter=";", encoding="utf-8-sig")
    EXPECTED["personnes-college-pluriels.csv"] = "as-is"


# --- Batch 4: Framaforms' "option keys" -----------------------------------------------------


def write_option_keys() -> None:
    """Framaforms exporting checkbox options as their keys (``elu``, ``pro1``, ``dp``): one
    column per option holding its key when ticked, or one column holding them all."""
    rows = framaforms_rows(per_person_select=False)
    options = [i for i, label in enumerate(rows[2]) if "s'engage sur toutes" in label]
    keys = ["elu", "pro1", "pro2", "pro3", "dp"]
    spread = [list(r) for r in rows]
    for row in spread[3:]:
        for key, column in zip(keys, options, strict=True):
            if row[column] == "X":
                row[column] = key
    write_csv(OUT / "framaforms-cles-options.csv", spread, quote_all=True)
    EXPECTED["framaforms-cles-options.csv"] = "as-is"
    compact = []
    for number, row in enumerate(spread):
        kept = [c for i, c in enumerate(row) if i not in options[1:]]
        if number == 2:
            kept[options[0]] = "Engagements sur toutes les journées"
        elif number > 2:
            kept[options[0]] = ",".join(row[i] for i in options if row[i])
        compact.append(kept)
    write_csv(OUT / "framaforms-cles-compactes.csv", compact, quote_all=True)
    EXPECTED["framaforms-cles-compactes.csv"] = "as-is"


def convert(tmp: Path, target: str, names: list[str], out: Path = OUT) -> None:
    """``names`` in ``tmp`` saved as ``target`` by LibreOffice, as a manager gets them, into
    ``out``."""
    soffice = shutil.which("soffice")
    if soffice is None:
        print(f"soffice missing: {target} files not rebuilt", file=sys.stderr)
        return
    profile = tmp / "profile"
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", target,
         "--outdir", str(tmp / target), *[str(tmp / n) for n in names]],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    for name in names:
        made = tmp / target / (Path(name).stem + "." + target)
        shutil.copy(made, out / made.name)


def main() -> None:
    OUT.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        write_framaforms(tmp)
        write_ds(tmp)
        write_limesurvey(tmp)
        write_google(tmp)
        write_microsoft(tmp)
        write_manager(tmp)
        write_plain_csvs()
        write_incomplete(tmp)
        write_sentences(tmp)
        write_excel_csv_two_headers()
        write_cover_sheet(tmp)
        write_batch3(tmp)
        write_option_keys()
        # LibreOffice computes the formulas' values (=HYPERLINK, =SUM) as Excel would save them.
        convert(tmp, "ods", ["tableau-villes.xlsx", "ds-un-bloc.xlsx", "personnes-statut.xlsx"])
        convert(tmp, "xls", ["personnes-college.xlsx"])
        # An .xlsx saved by LibreOffice from the .ods: formulas with their values.
        convert(tmp / "ods", "xlsx", ["tableau-villes.ods"])
    print("\n".join(f"{k}: {v}" for k, v in sorted(EXPECTED.items())))


if __name__ == "__main__":
    main()
