"""Hostile and odd inputs, third round (issue 16): each builder returns ``(file name, bytes)``.

``REFUSED`` must give exit 1 with ``applications.toml`` unchanged; ``IMPORTED`` must import
the twelve cities (the answers of the shipped example) correctly; ``COSTLY`` are refused or
imported but are about the work they cost (``benchmarks/bench_hostile.py --set hostile3``
measures time and memory from outside). ``python hostile3.py FOLDER`` writes them all.
"""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
VARIANTS = HERE / "variantes"
sys.path.insert(0, str(HERE))

HEADER = ["Commune", "Élu·e - Nom", "Élu·e - Engagement nominatif", "Contribution financière (€)"]


def _csv(rows, *, delimiter=";", encoding="utf-8") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode(encoding)


def _book(build) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    build(book)
    buffer = io.BytesIO()
    book.properties.created = book.properties.modified = datetime(2014, 12, 18)
    book.save(buffer)
    return buffer.getvalue()


# --- refused -----------------------------------------------------------------------------


def ods_cut() -> tuple[str, bytes]:
    """A LibreOffice file cut halfway through its download."""
    data = (VARIANTS / "personnes-statut.ods").read_bytes()
    return "coupe.ods", data[: len(data) // 2]


def xlsx_formulas_without_values() -> tuple[str, bytes]:
    """Formulas saved by a program that never computed them: no cached value, no city."""

    def build(book) -> None:
        sheet = book.active
        sheet.append(HEADER)
        for n in range(3):
            sheet.append([f'=CONCATENATE("Saint-","Denis{n}")', "=B1", "oui", 600])

    return "formules.xlsx", _book(build)


def xlsx_pivot_only() -> tuple[str, bytes]:
    """A workbook holding only a pivot table's output, not the answers."""

    def build(book) -> None:
        sheet = book.active
        sheet.title = "TCD"
        sheet.append(["Somme de Montant", "Étiquettes de colonnes"])
        sheet.append(["Étiquettes de lignes", "Est Ensemble", "Plaine Commune", "Total général"])
        sheet.append(["2014", 1800, 1700, 3500])
        sheet.append(["Total général", 1800, 1700, 3500])

    return "tableau-croise.xlsx", _book(build)


def csv_utf16_without_bom() -> tuple[str, bytes]:
    """UTF-16 with no byte-order mark: half the bytes are NUL."""
    return "utf16-sans-bom.csv", _csv([HEADER, ["Bondy", "Ana Lima", "oui", "600"]]).decode(
        "utf-8"
    ).encode("utf-16-le")


def csv_yes_with_reservation() -> tuple[str, bytes]:
    """« Oui, sauf le jeudi »: not a yes, not a no; an error with its row and column."""
    rows = [HEADER, ["Bondy", "Ana Lima", "Oui, sauf le jeudi", "600"]]
    return "oui-sauf.csv", _csv(rows)


def csv_serial_out_of_range() -> tuple[str, bytes]:
    """A number in the date column that is no Excel date."""
    rows = [[*HEADER, "Horodatage"], ["Bondy", "Ana Lima", "oui", "600", "99999,5"]]
    return "serie-hors-plage.csv", _csv(rows)


def csv_sep_line_only() -> tuple[str, bytes]:
    """Excel's ``sep=;`` line and nothing else."""
    return "sep-seul.csv", b"sep=;\r\n"


def csv_all_drafts() -> tuple[str, bytes]:
    """150,000 drafts (Framaforms' Draft = 1): nothing to import."""
    head = ["Serial", "Draft", *HEADER]
    rows = [head] + [[str(n), "1", "Bondy", "Ana Lima", "oui", "600"] for n in range(150_000)]
    return "brouillons.csv", _csv(rows)


# --- imported ----------------------------------------------------------------------------


def xlsx_serial_dates_and_hyperlinks() -> tuple[str, bytes]:
    """The example's answers with dates as bare numbers (a lost format) and e-mails as
    ``=HYPERLINK`` formulas whose values were saved, as Excel saves them."""
    from xml.sax.saxutils import escape

    from hostile import _xlsx
    from make_variants import CITIES, email, when

    def text(ref: str, value: str) -> str:
        return f'<c r="{ref}" t="inlineStr"><is><t>{escape(value)}</t></is></c>'

    head = ["Reçu le", "Commune", "Rôle", "Nom", "Courriel", "Engagement", "Montant"]
    rows = [
        '<row r="1">' + "".join(text(f"{chr(65 + i)}1", h) for i, h in enumerate(head)) + "</row>"
    ]
    number = 1
    for city in CITIES:
        serial = (when(city[3]) - datetime(1899, 12, 30)).total_seconds() / 86400
        for role, first, last, _, committed in city[8]:
            number += 1
            address = email(first, last, role, city[7])
            formula = escape(f'HYPERLINK("mailto:{address}","{address}")', {'"': "&quot;"})
            cells = [
                f'<c r="A{number}"><v>{serial:.8f}</v></c>',
                text(f"B{number}", city[0]),
                text(f"C{number}", role),
                text(f"D{number}", f"{first} {last}"),
                f'<c r="E{number}" t="str"><f>{formula}</f><v>{escape(address)}</v></c>',
                text(f"F{number}", "oui" if committed else "non"),
                f'<c r="G{number}"><v>{city[4].replace(",", ".")}</v></c>' if city[4] else "",
            ]
            rows.append(f'<row r="{number}">' + "".join(cells) + "</row>")
    return "dates-en-nombres.xlsx", _xlsx("<sheetData>" + "".join(rows) + "</sheetData>")


def xlsx_hidden_sheet_holds_everything() -> tuple[str, bytes]:
    """The only filled sheet is hidden (the visible one is empty): it is still the table."""

    def build(book) -> None:
        book.active.title = "Vide"
        sheet = book.create_sheet("Données")
        sheet.append(HEADER)
        sheet.append(["Bondy", "Ana Lima", "oui", 600])
        sheet.sheet_state = "hidden"

    return "feuille-cachee.xlsx", _book(build)


# --- costly ------------------------------------------------------------------------------


def xlsx_too_many_sheets() -> tuple[str, bytes]:
    """300 one-cell sheets: over the sheet limit (256), refused before any is read."""

    def build(book) -> None:
        book.active.append(["x"])
        for index in range(1, 300):
            book.create_sheet(f"S{index}").append(["x"])

    return "mille-feuilles.xlsx", _book(build)


def xlsx_many_sheets_of_texts() -> tuple[str, bytes]:
    """250 sheets of 30 × 60 distinct texts: choosing the answers' sheet must stay cheap."""

    def build(book) -> None:
        for index in range(250):
            sheet = book.active if index == 0 else book.create_sheet(f"S{index}")
            for r in range(30):
                sheet.append([f"t{index}-{r}-{c} mot" for c in range(60)])

    return "feuilles-de-textes.xlsx", _book(build)


def csv_wide_texts() -> tuple[str, bytes]:
    """1,400 rows of 2,000 columns of words (2.8 million cells) under a ``Nom`` header:
    looking for a column of role labels, then of job titles, reads each column once."""
    head = ["Commune", "Nom", *[f"Colonne {n}" for n in range(1_998)]]
    row = ["Bondy", "Ana Lima", *[f"mot n{n}" for n in range(1_998)]]
    return "large-phrases.csv", _csv([head, *([row] * 1_400)])


def csv_long_sentence_yes() -> tuple[str, bytes]:
    """A yes in a sentence of 20 million characters."""
    rows = [HEADER, ["Bondy", "Ana Lima", "Oui, " + "très " * 4_000_000, "600"]]
    return "oui-long.csv", _csv(rows)


REFUSED: list[Callable[[], tuple[str, bytes]]] = [
    ods_cut,
    xlsx_formulas_without_values,
    xlsx_pivot_only,
    csv_utf16_without_bom,
    csv_yes_with_reservation,
    csv_serial_out_of_range,
    csv_sep_line_only,
]
IMPORTED: list[Callable[[], tuple[str, bytes]]] = [
    xlsx_serial_dates_and_hyperlinks,
    xlsx_hidden_sheet_holds_everything,
]
COSTLY: list[Callable[[], tuple[str, bytes]]] = [
    csv_all_drafts,
    xlsx_too_many_sheets,
    xlsx_many_sheets_of_texts,
    csv_wide_texts,
    csv_long_sentence_yes,
]
BUILDERS = [*REFUSED, *IMPORTED, *COSTLY]


if __name__ == "__main__":
    folder = Path(sys.argv[1])
    folder.mkdir(parents=True, exist_ok=True)
    for build in BUILDERS:
        name, data = build()
        (folder / name).write_bytes(data)
        print(name, len(data))
