"""Write the twelve cities' answers as each form tool exports them (issue 16).

    python tests/data/intake/make_form_exports.py

Files in ``tests/data/intake/outils/``, all with the content of the shipped example (same 12
cities, people, commitments and contributions), so ``cotrain check`` gives the same 7 of 12:

- ``framaforms.csv``: Drupal Webform CSV, tab-separated, every value quoted, UTF-8 without BOM,
  three header rows (form title, "Submission Details" and question names, labels), metadata
  columns, times ``02/12/2024 - 10:14``, one checkbox column per person holding ``X``;
- ``framaforms.xlsx``: the same as a workbook;
- ``demarches-simplifiees.xlsx`` and ``.ods``: ``Dossiers`` sheet (the filer's ``Nom``,
  ``Prénom``, ``Email``; the elected official and the prefect's delegate as fields) and a
  repeatable block sheet ``Professionnel·les de la ville`` keyed by ``Dossier ID``/``Ligne``;
- ``demarches-simplifiees.csv``: the main sheet of a form whose professionals are fields;
- ``limesurvey-codes.csv``: UTF-8 BOM, every value quoted, CRLF, question codes ``ELU[NOM]``,
  ``PRO1[MAIL]``, ``DP[ENGAGEMENT]``, answers ``Y``/``N``;
- ``limesurvey-textes.csv``: the same with the full question text as headings, ``Oui``/``Non``;
- ``google-forms.csv``: ``Horodateur``, ``Adresse e-mail``, question titles verbatim (trailing
  spaces), ``2014/12/03 9:12:45 AM GMT+1``;
- ``microsoft-forms.xlsx``: ``ID, Heure de début, Heure de fin, Adresse de messagerie, Nom``;
- ``tableau-suivi.xlsx``, ``.ods``, ``.xls`` and ``.csv``: the project manager's own table: merged title
  rows, one row per person, the role column headed ``Fonction``, merged city cells, blank rows
  between cities, a ``TOTAL`` row, comments in the margin, commitments typed ``oui``, ``Oui ``,
  ``X``, ``✓``, ``✔``, ``☑``, amounts ``1 000,00 €`` (saved as CSV, a merged city is on the
  first of its rows only);
- ``tableau-suivi-web.xls``: the same table as a web tool's "export to Excel" gives it, an
  HTML page named ``.xls`` (``colspan``/``rowspan``, Windows-1252, ``&euro;``);
- ``tableau-suivi-xml2003.xls``: the same saved as Excel's "XML Spreadsheet 2003";
- ``ancien-par-personne-fonction.csv``: an older one-row-per-person file, role column
  ``Fonction``.
"""

from __future__ import annotations

import csv
import io
import sys
import zipfile
from datetime import datetime, timedelta
from pathlib import Path
from xml.sax.saxutils import escape

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from make_variants import CITIES, D, E, P, email, when  # noqa: E402

OUT = HERE / "outils"
ROLE_LABEL = {E: "Élu·e", P: "Professionnel·le", D: "Délégué·e du préfet"}
ROLE_VALUE = {E: "Élu(e)", P: "Professionnel(le)", D: "Délégué(e) du préfet"}


def people_of(city, role):
    return [p for p in city[8] if p[0] == role]


FIXED = datetime(2014, 12, 18, 12, 0, 0)


def save_book(book, path: Path) -> None:
    """Save a workbook with fixed dates, so that regenerating gives the same bytes."""
    book.properties.created = FIXED
    book.properties.modified = FIXED
    book.save(path)


def write_csv(path: Path, rows, *, delimiter: str, encoding: str, newline: str, quote_all=False):
    buffer = io.StringIO()
    writer = csv.writer(
        buffer,
        delimiter=delimiter,
        lineterminator=newline,
        quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL,
    )
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))


def slots(city):
    """(role, number, person or None) for the élu, three professionals and the delegate."""
    pros = people_of(city, P)
    yield E, 0, (people_of(city, E) or [None])[0]
    for n in range(3):
        yield P, n + 1, pros[n] if n < len(pros) else None
    yield D, 0, (people_of(city, D) or [None])[0]


def contribution(city) -> str:
    return city[4]


# --- Framaforms --------------------------------------------------------------------------


def framaforms_rows():
    meta = ["Serial", "SID", "Submitted Time", "Completed Time", "Modified Time", "Draft",
            "IP Address", "UID", "Username"]  # fmt: skip
    title = ["Appel à candidatures : co-formation 2015"] + [""] * (len(meta) - 1)
    details = ["Submission Details"] + [""] * (len(meta) - 1)
    labels = list(meta)
    fields = [("Commune", "city"), ("Territoire (EPT)", "ept"), ("Nombre de QPV", "qpv")]
    for label, _ in fields:
        details.append("")
        title.append("")
        labels.append(label)
    for role, number, _ in slots(CITIES[0]):
        group = ROLE_LABEL[role] + (f" {number}" if number else "")
        for index, label in enumerate(("Nom", "Fonction", "Courriel")):
            details.append(group if index == 0 else "")
            title.append("")
            labels.append(label)
    # One checkbox component: who commits to every day; one column per option.
    question = "Engagement nominatif sur toutes les journées"
    for index, (role, number, _) in enumerate(slots(CITIES[0])):
        details.append(question if index == 0 else "")
        title.append("")
        labels.append(ROLE_LABEL[role] + (f" {number}" if number else ""))
    for label in ("Contribution financière (€)", "Référence de la délibération ou du bon de commande"):
        details.append("")
        title.append("")
        labels.append(label)
    rows = [title, details, labels]
    for serial, city in enumerate(CITIES, start=1):
        stamp = when(city[3])
        text = stamp.strftime("%d/%m/%Y - %H:%M")
        row = [str(serial), str(100 + serial), text, text, text, "0", "192.0.2.1", "0", "Anonymous"]
        row += [city[0], city[1], str(city[2])]
        for role, _, person in slots(city):
            if person is None:
                row += ["", "", ""]
            else:
                _, first, last, job, _ = person
                row += [f"{first} {last}", job, email(first, last, role, city[7])]
        for _, _, person in slots(city):
            row.append("X" if person is not None and person[4] else "")
        row += [contribution(city), city[5]]
        rows.append(row)
    return rows


def write_framaforms() -> None:
    rows = framaforms_rows()
    write_csv(OUT / "framaforms.csv", rows, delimiter="\t", encoding="utf-8", newline="\n",
              quote_all=True)  # fmt: skip
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Submissions"
    for row in rows:
        sheet.append(row)
    save_book(book, OUT / "framaforms.xlsx")


# --- Démarches simplifiées ---------------------------------------------------------------

DS_META = ["ID", "Email", "Connecté via", "Civilité", "Nom", "Prénom", "Archivé",
           "État du dossier", "Dernière mise à jour le", "Déposé le", "Passé en instruction le",
           "Traité le", "Motivation de la décision", "Instructeurs"]  # fmt: skip
FILERS = [("M.", "Petit", "Julien"), ("Mme", "Roux", "Camille")]


def ds_main(with_pros: bool):
    head = list(DS_META) + ["Commune", "Territoire (EPT)", "Nombre de QPV"]
    for who in ("de l'élu·e", "du délégué·e du préfet"):
        head += [f"Nom {who}", f"Prénom {who}", f"Fonction {who}", f"Courriel {who}",
                 f"Engagement nominatif {who}"]  # fmt: skip
    if with_pros:
        for n in (1, 2, 3):
            head += [f"Professionnel·le {n} - {f}" for f in ("Nom", "Prénom", "Fonction", "Courriel", "Engagement nominatif")]
    head += ["Montant de la contribution", "Référence de la délibération ou du bon de commande",
             "Note du comité"]  # fmt: skip
    rows = []
    for index, city in enumerate(CITIES):
        civ, last, first = FILERS[index % 2]
        stamp = when(city[3])
        row = [
            str(4_200_000 + index), f"{first.lower()}.{last.lower()}@{city[7]}", "Mot de passe",
            civ, last, first, "false", "en_construction", stamp + timedelta(days=1), stamp, "",
            "", "", "instruction@profession-banlieue.org",
        ]  # fmt: skip
        row += [city[0], city[1], city[2]]
        for role in (E, D):
            found = people_of(city, role)
            if found:
                _, f, l_, job, committed = found[0]
                row += [l_, f, job, email(f, l_, role, city[7]), "Oui" if committed else "Non"]
            else:
                row += ["", "", "", "", ""]
        if with_pros:
            pros = people_of(city, P)
            for n in range(3):
                if n < len(pros):
                    _, f, l_, job, committed = pros[n]
                    row += [l_, f, job, email(f, l_, P, city[7]), "Oui" if committed else "Non"]
                else:
                    row += ["", "", "", "", ""]
        amount = city[4].replace(",", ".")
        row += [float(amount) if amount else None, city[5], float(city[6].replace(",", "."))]
        rows.append(row)
    return head, rows


def ds_block():
    head = ["Dossier ID", "Ligne", "Nom", "Prénom", "Fonction", "Courriel", "Engagement nominatif"]
    rows = []
    for index, city in enumerate(CITIES):
        for line, (_, f, l_, job, committed) in enumerate(people_of(city, P), start=1):
            rows.append([4_200_000 + index, line, l_, f, job, email(f, l_, P, city[7]),
                         "Oui" if committed else "Non"])  # fmt: skip
    return head, rows


def write_demarches() -> None:
    from openpyxl import Workbook

    book = Workbook()
    main = book.active
    main.title = "Dossiers"
    head, rows = ds_main(with_pros=False)
    main.append(head)
    for row in rows:
        main.append(row)
    block = book.create_sheet("Professionnel·les de la ville")
    bhead, brows = ds_block()
    block.append(bhead)
    for row in brows:
        block.append(row)
    save_book(book, OUT / "demarches-simplifiees.xlsx")
    write_ods(
        OUT / "demarches-simplifiees.ods",
        [("Dossiers", [head, *rows], []), ("Professionnel·les de la ville", [bhead, *brows], [])],
    )
    head, rows = ds_main(with_pros=True)
    text_rows = [head] + [
        [
            v.strftime("%Y-%m-%d %H:%M:%S") if isinstance(v, datetime) else
            ("" if v is None else str(v))
            for v in row
        ]
        for row in rows
    ]  # fmt: skip
    write_csv(OUT / "demarches-simplifiees.csv", text_rows, delimiter=",", encoding="utf-8",
              newline="\n")  # fmt: skip


# --- LimeSurvey --------------------------------------------------------------------------


def write_limesurvey() -> None:
    meta = ["id", "submitdate", "lastpage", "startlanguage", "seed"]
    codes = {E: "ELU", P: "PRO", D: "DP"}
    fields = [("NOM", "Nom"), ("FONCTION", "Fonction"), ("MAIL", "Courriel"),
              ("ENGAGEMENT", "Engagement sur toutes les journées")]  # fmt: skip
    texts = {
        E: "Élu·e référent·e",
        P: "Professionnel·le n°{n}",
        D: "Délégué·e du préfet",
    }
    code_head = meta + ["COMMUNE", "EPT", "QPV"]
    text_head = ["ID de la réponse", "Date de soumission", "Dernière page", "Langue de départ",
                 "Tête de série", "Commune candidate", "Territoire (EPT)", "Nombre de QPV"]  # fmt: skip
    for role, number, _ in slots(CITIES[0]):
        code = codes[role] + (str(number) if number else "")
        text = texts[role].format(n=number)
        code_head += [f"{code}[{c}]" for c, _ in fields]
        text_head += [f"{text} [{t}]" for _, t in fields]
    code_head += ["CONTRIB", "DELIBERATION", "NOTE"]
    text_head += ["Montant de la contribution financière (€)",
                  "Référence de la délibération ou du bon de commande", "Note du comité"]  # fmt: skip
    code_rows, text_rows = [code_head], [text_head]
    for index, city in enumerate(CITIES, start=1):
        base = [str(index), when(city[3]).strftime("%Y-%m-%d %H:%M:%S"), "4", "fr", str(9000 + index)]
        base += [city[0], city[1], str(city[2])]
        yes_code, yes_text = list(base), list(base)
        for role, _, person in slots(city):
            if person is None:
                yes_code += ["", "", "", ""]
                yes_text += ["", "", "", ""]
            else:
                _, f, l_, job, committed = person
                cells = [f"{f} {l_}", job, email(f, l_, role, city[7])]
                yes_code += cells + ["Y" if committed else "N"]
                yes_text += cells + ["Oui" if committed else "Non"]
        tail = [city[4].replace(",", "."), city[5], city[6].replace(",", ".")]
        code_rows.append(yes_code + tail)
        text_rows.append(yes_text + tail)
    for name, rows in (("limesurvey-codes.csv", code_rows), ("limesurvey-textes.csv", text_rows)):
        write_csv(OUT / name, rows, delimiter=",", encoding="utf-8-sig", newline="\r\n",
                  quote_all=True)  # fmt: skip


# --- Google Forms and Microsoft Forms ----------------------------------------------------


def google_question(role, number, field):
    who = {E: "de l'élu·e référent·e", P: f"du/de la professionnel·le {number}",
           D: "du/de la délégué·e du préfet"}[role]  # fmt: skip
    return {
        "name": f"Nom et prénom {who} ",
        "job": f"Fonction {who}",
        "mail": f"Adresse mail {who} ",
        "commit": f"Engagement {who} sur toutes les journées ? ",
    }[field]


def write_google() -> None:
    head = ["Horodateur", "Adresse e-mail", "Nom de la commune ", "Territoire (EPT) ",
            "Nombre de quartiers prioritaires (QPV)"]  # fmt: skip
    for role, number, _ in slots(CITIES[0]):
        head += [google_question(role, number, f) for f in ("name", "job", "mail", "commit")]
    head += ["Montant de la contribution financière (en €) ",
             "Référence de la délibération ou du bon de commande"]  # fmt: skip
    rows = [head]
    for index, city in enumerate(CITIES):
        stamp = when(city[3])
        if index % 2:
            text = stamp.strftime("%d/%m/%Y %H:%M:%S")
        else:
            text = stamp.strftime("%Y/%m/%d %I:%M:%S %p GMT+1").replace(" 0", " ", 1)
        row = [text, f"politique.ville@{city[7]}", city[0], city[1], str(city[2])]
        for role, _, person in slots(city):
            if person is None:
                row += ["", "", "", ""]
            else:
                _, f, l_, job, committed = person
                row += [f"{f} {l_}", job, email(f, l_, role, city[7]), "Oui" if committed else "Non"]
        row += [city[4], city[5]]
        rows.append(row)
    write_csv(OUT / "google-forms.csv", rows, delimiter=",", encoding="utf-8", newline="\r\n")


def write_microsoft() -> None:
    from openpyxl import Workbook

    head = ["ID", "Heure de début", "Heure de fin", "Adresse de messagerie", "Nom", "Commune",
            "Territoire", "Nombre de QPV"]  # fmt: skip
    who = {E: "Élu(e)", P: "Professionnel(le) {n}", D: "Délégué(e) du préfet"}
    for role, number, _ in slots(CITIES[0]):
        label = who[role].format(n=number)
        head += [f"{label} : nom et prénom", f"{label} : fonction", f"{label} : adresse mail",
                 f"{label} : engagement sur toutes les journées"]  # fmt: skip
    head += ["Contribution financière (€)", "Délibération ou bon de commande"]
    book = Workbook()
    sheet = book.active
    sheet.title = "Form1"
    sheet.append(head)
    for index, city in enumerate(CITIES, start=1):
        stamp = when(city[3])
        row = [index, stamp - timedelta(minutes=12), stamp, "anonymous", "Julien Petit",
               city[0], city[1], city[2]]  # fmt: skip
        for role, _, person in slots(city):
            if person is None:
                row += [None, None, None, None]
            else:
                _, f, l_, job, committed = person
                row += [f"{f} {l_}", job, email(f, l_, role, city[7]), "Oui" if committed else "Non"]
        amount = city[4].replace(",", ".")
        row += [float(amount) if amount else None, city[5]]
        sheet.append(row)
    save_book(book, OUT / "microsoft-forms.xlsx")


# --- The project manager's own table -----------------------------------------------------

TICKS = ["oui", "Oui ", "X", "✓", "✔", "☑"]
PM_HEAD = ["Ville", "EPT", "QPV", "Fonction", "Prénom", "Nom", "Poste", "Mail",
           "Engagé(e) sur toutes les journées", "Montant", "Délibération / BC"]  # fmt: skip


def money(text: str) -> str:
    if not text:
        return ""
    value = float(text.replace(",", "."))
    whole = f"{int(value):,}".replace(",", " ")
    return f"{whole},{round(value * 100) % 100:02d} €"


def pm_table():
    """Rows (None = a blank row) and merged ranges (row, col, last row, last col; 0-based)."""
    rows: list[list | None] = [
        ["Co-formation 2015 : candidatures des villes"] + [""] * (len(PM_HEAD) - 1),
        ["Seine-Saint-Denis, tableau de suivi mis à jour le 18/12/2014"] + [""] * (len(PM_HEAD) - 1),
        None,
        list(PM_HEAD),
    ]
    merges = [(0, 0, 0, len(PM_HEAD) - 1), (1, 0, 1, len(PM_HEAD) - 1)]
    tick = 0
    total = 0.0
    for index, city in enumerate(CITIES):
        if index == 6:
            rows.append(None)  # a blank row between two blocks of cities
        first = len(rows)
        amount = city[4]
        total += float(amount.replace(",", ".")) if amount else 0
        shown = "1 000,00 €" if city[0] == "Montreuil" else money(amount)  # see below
        for n, (role, f, l_, job, committed) in enumerate(city[8]):
            if committed:
                mark = TICKS[tick % len(TICKS)]
                tick += 1
            else:
                mark = "non"
            row = [city[0], city[1], city[2], ROLE_VALUE[role], f, l_, job,
                   email(f, l_, role, city[7]), mark, shown, city[5].replace("\n", " ")]  # fmt: skip
            if n:
                for column in (0, 1, 2, 9, 10):
                    row[column] = ""
            row += ["", "dossier complet" if n == 0 and index % 3 == 0 else ""]
            rows.append(row)
        last = len(rows) - 1
        for column in (0, 1, 2, 9, 10):
            merges.append((first, column, last, column))
    rows.append(["TOTAL", "", "", "", "", "", "", "", "", money(str(total + 400)), ""])
    rows.append(None)
    rows.append(["", "", "", "", "", "", "", "", "", "", "", "", "Relancer Bobigny pour le délégué du préfet"])
    return rows, merges


def write_pm() -> None:
    from openpyxl import Workbook

    rows, merges = pm_table()
    book = Workbook()
    sheet = book.active
    sheet.title = "Candidatures"
    for number, row in enumerate(rows, start=1):
        for column, value in enumerate(row or [], start=1):
            if value != "":
                sheet.cell(number, column, value)
    for top, left, bottom, right in merges:
        if bottom > top or right > left:
            sheet.merge_cells(start_row=top + 1, start_column=left + 1,
                              end_row=bottom + 1, end_column=right + 1)  # fmt: skip
    save_book(book, OUT / "tableau-suivi.xlsx")
    write_ods(OUT / "tableau-suivi.ods", [("Candidatures", rows, merges)])
    write_xls(OUT / "tableau-suivi.xls", rows, merges)
    write_html_xls(OUT / "tableau-suivi-web.xls", rows, merges)
    write_xml_2003(OUT / "tableau-suivi-xml2003.xls", rows, merges)
    # Saved as CSV, a merged cell keeps its text in its first cell only.
    write_csv(OUT / "tableau-suivi.csv", [row or [] for row in rows], delimiter=";",
              encoding="utf-8-sig", newline="\r\n")  # fmt: skip


def write_old_per_person() -> None:
    head = ["Commune", "Fonction", "Nom", "Prénom", "Courriel", "Engagement", "Contribution (€)"]
    rows = [head]
    for city in CITIES:
        for role, f, l_, _job, committed in city[8]:
            rows.append([city[0], ROLE_VALUE[role], l_, f, email(f, l_, role, city[7]),
                         "Oui" if committed else "Non", city[4]])  # fmt: skip
    write_csv(OUT / "ancien-par-personne-fonction.csv", rows, delimiter=";", encoding="cp1252",
              newline="\r\n")  # fmt: skip


# --- writers without a library: ODS and XLS ----------------------------------------------


def _ods_cell(value, spans=None) -> str:
    attrs = ""
    if spans:
        rows, columns = spans
        if rows > 1:
            attrs += f' table:number-rows-spanned="{rows}"'
        if columns > 1:
            attrs += f' table:number-columns-spanned="{columns}"'
    if value is None or value == "":
        return f"<table:table-cell{attrs}/>"
    if isinstance(value, datetime):
        iso = value.isoformat(timespec="seconds")
        return (f'<table:table-cell{attrs} office:value-type="date" office:date-value="{iso}">'
                f"<text:p>{iso}</text:p></table:table-cell>")  # fmt: skip
    if isinstance(value, int | float):
        return (f'<table:table-cell{attrs} office:value-type="float" office:value="{value}">'
                f"<text:p>{value}</text:p></table:table-cell>")  # fmt: skip
    paragraphs = "".join(f"<text:p>{escape(line)}</text:p>" for line in str(value).split("\n"))
    return f'<table:table-cell{attrs} office:value-type="string">{paragraphs}</table:table-cell>'


def write_ods(path: Path, sheets) -> None:
    """A minimal OpenDocument spreadsheet, as LibreOffice writes one (merged cells included)."""
    tables = []
    for name, rows, merges in sheets:
        starts = {(t, l_): (b - t + 1, r - l_ + 1) for t, l_, b, r in merges}
        covered = {
            (r, c)
            for t, l_, b, right in merges
            for r in range(t, b + 1)
            for c in range(l_, right + 1)
            if (r, c) != (t, l_)
        }
        body = []
        for r, row in enumerate(rows):
            cells = []
            for c, value in enumerate(row or []):
                if (r, c) in covered:
                    cells.append("<table:covered-table-cell/>")
                else:
                    cells.append(_ods_cell(value, starts.get((r, c))))
            body.append("<table:table-row>" + "".join(cells or ["<table:table-cell/>"]) + "</table:table-row>")
        # LibreOffice ends every sheet with a huge run of empty rows.
        body.append('<table:table-row table:number-rows-repeated="1048000"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>')
        tables.append(f'<table:table table:name="{escape(name)}">' + "".join(body) + "</table:table>")
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        "<office:body><office:spreadsheet>" + "".join(tables) +
        "</office:spreadsheet></office:body></office:document-content>"
    )  # fmt: skip
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )  # fmt: skip
    with zipfile.ZipFile(path, "w") as archive:
        fixed = (2014, 12, 18, 12, 0, 0)
        archive.writestr(zipfile.ZipInfo("mimetype", fixed), "application/vnd.oasis.opendocument.spreadsheet")
        for name, data in (("content.xml", content), ("META-INF/manifest.xml", manifest)):
            info = zipfile.ZipInfo(name, fixed)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)


def write_xls(path: Path, rows, merges) -> None:
    """The old Excel format, through xlwt (needed here only: ``pip install xlwt``)."""
    try:
        import xlwt
    except ImportError:  # keep the committed file
        print("xlwt is not installed: tableau-suivi.xls left as it is")
        return
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("Candidatures")
    starts = {(t, l_): (b, r) for t, l_, b, r in merges if b > t or r > l_}
    covered = {
        (r, c)
        for (t, l_), (b, right) in starts.items()
        for r in range(t, b + 1)
        for c in range(l_, right + 1)
        if (r, c) != (t, l_)
    }
    for r, row in enumerate(rows):
        for c, value in enumerate(row or []):
            if (r, c) in covered:
                continue
            if (r, c) in starts:
                b, right = starts[(r, c)]
                sheet.write_merge(r, b, c, right, value)
            elif value != "":
                sheet.write(r, c, value)
    buffer = io.BytesIO()
    book.save(buffer)
    path.write_bytes(buffer.getvalue())


def _spans(merges):
    starts = {(t, l_): (b, r) for t, l_, b, r in merges if b > t or r > l_}
    covered = {
        (r, c)
        for (t, l_), (b, right) in starts.items()
        for r in range(t, b + 1)
        for c in range(l_, right + 1)
        if (r, c) != (t, l_)
    }
    return starts, covered


def write_html_xls(path: Path, rows, merges) -> None:
    """What many web tools give for "export to Excel": an HTML page named ``.xls``, with
    ``colspan``/``rowspan`` for merged cells, ``&nbsp;`` and entities, a Windows-1252 page."""
    starts, covered = _spans(merges)
    out = [
        '<html xmlns:o="urn:schemas-microsoft-com:office:office" '
        'xmlns:x="urn:schemas-microsoft-com:office:excel" '
        'xmlns="http://www.w3.org/TR/REC-html40">',
        '<head><meta http-equiv="Content-Type" content="text/html; charset=windows-1252">',
        "<!--[if gte mso 9]><xml><x:ExcelWorkbook><x:ExcelWorksheets><x:ExcelWorksheet>"
        "<x:Name>Candidatures</x:Name></x:ExcelWorksheet></x:ExcelWorksheets>"
        "</x:ExcelWorkbook></xml><![endif]-->",
        "<style>td { mso-number-format:\\@; }</style></head><body>",
        '<table border="1" cellspacing="0">',
    ]
    width = max(len(r or []) for r in rows)
    for r, row in enumerate(rows):
        cells = []
        for c, value in enumerate((row or []) + [""] * (width - len(row or []))):
            if (r, c) in covered:
                continue
            tag = "th" if r == 3 else "td"
            attrs = ""
            if (r, c) in starts:
                bottom, right = starts[(r, c)]
                if right > c:
                    attrs += f' colspan="{right - c + 1}"'
                if bottom > r:
                    attrs += f' rowspan="{bottom - r + 1}"'
            text = escape(str(value)).replace("€", "&euro;") if value != "" else "&nbsp;"
            cells.append(f"<{tag}{attrs}>{text}</{tag}>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</table></body></html>")
    path.write_bytes("\r\n".join(out).encode("cp1252", "xmlcharrefreplace"))


def write_xml_2003(path: Path, rows, merges) -> None:
    """Excel's "XML Spreadsheet 2003" under an ``.xls`` name: ``ss:MergeAcross``,
    ``ss:MergeDown``, ``ss:Index`` after skipped cells, numbers typed."""
    starts, covered = _spans(merges)
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<?mso-application progid="Excel.Sheet"?>',
        '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" '
        'xmlns:o="urn:schemas-microsoft-com:office:office" '
        'xmlns:x="urn:schemas-microsoft-com:office:excel" '
        'xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">',
        ' <Worksheet ss:Name="Candidatures">',
        "  <Table>",
    ]
    for r, row in enumerate(rows):
        if not row:
            continue  # a blank row: the next row says where it is
        cells = []
        skipped = False
        for c, value in enumerate(row):
            if (r, c) in covered or value == "":
                skipped = True
                continue
            attrs = f' ss:Index="{c + 1}"' if skipped or c and not cells else ""
            skipped = False
            if (r, c) in starts:
                bottom, right = starts[(r, c)]
                if right > c:
                    attrs += f' ss:MergeAcross="{right - c}"'
                if bottom > r:
                    attrs += f' ss:MergeDown="{bottom - r}"'
            kind = "Number" if str(value).replace(".", "", 1).isdigit() else "String"
            cells.append(f'<Cell{attrs}><Data ss:Type="{kind}">{escape(str(value))}</Data></Cell>')
        out.append(f'   <Row ss:Index="{r + 1}">' + "".join(cells) + "</Row>")
    out += ["  </Table>", " </Worksheet>", "</Workbook>", ""]
    path.write_text("\n".join(out), encoding="utf-8")


def main() -> None:
    OUT.mkdir(exist_ok=True)
    write_framaforms()
    write_demarches()
    write_limesurvey()
    write_google()
    write_microsoft()
    write_pm()
    write_old_per_person()


if __name__ == "__main__":
    main()
