"""Hostile and damaged inputs for ``cotrain import`` (issue 16), built on demand (some are
large once unpacked, so none is committed). Each builder returns ``(file name, bytes)``.

Used by ``tests/cli/test_import_forms.py``; ``python tests/data/intake/hostile.py FOLDER``
writes them all into FOLDER to try them by hand.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path

HEADER = "Commune;Élu·e - Nom;Élu·e - Engagement nominatif;Contribution financière (€)"


def _csv(*rows: str, newline: str = "\r\n") -> bytes:
    return (newline.join((HEADER, *rows)) + newline).encode("utf-8")


def _xlsx(sheet_xml: str, shared: str | None = None, *, extra: dict[str, bytes] | None = None) -> bytes:
    """A minimal workbook around a hand-written sheet."""
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            + ('<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>' if shared is not None else "")
            + "</Types>"
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>"
        ),
        "xl/workbook.xml": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '<sheets><sheet name="Feuil1" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
            + ('<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>' if shared is not None else "")
            + "</Relationships>"
        ),
        "xl/worksheets/sheet1.xml": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            + sheet_xml
            + "</worksheet>"
        ),
    }
    if shared is not None:
        parts["xl/sharedStrings.xml"] = (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            + shared
            + "</sst>"
        )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def _header_row() -> str:
    cells = [_inline(f"{c}1", h) for c, h in zip("ABCD", HEADER.split(";"), strict=True)]
    return '<row r="1">' + "".join(cells) + "</row>"


def xlsx_huge_dimension() -> tuple[str, bytes]:
    """6 KB declaring A1:XFD1048576: must be read from its cells, quickly."""
    row = '<row r="2">' + _inline("A2", "Bondy") + _inline("B2", "Awa Diallo") + _inline("C2", "oui") + '<c r="D2"><v>600</v></c></row>'
    return "dimension.xlsx", _xlsx('<dimension ref="A1:XFD1048576"/><sheetData>' + _header_row() + row + "</sheetData>")


def xlsx_far_cell() -> tuple[str, bytes]:
    """Two cells, A1 and XFD1048576: a dense sheet of 17 billion cells."""
    return "cellule-lointaine.xlsx", _xlsx(
        "<sheetData>" + _header_row() + '<row r="1048576">' + _inline("XFD1048576", "x") + "</row></sheetData>"
    )


def xlsx_shared_string_bomb() -> tuple[str, bytes]:
    """One 1 MB shared string referenced by 60,000 cells: 60 GB of text once expanded."""
    shared = "<si><t>" + "A" * 1_000_000 + "</t></si>"
    rows = "".join(f'<row r="{r}"><c r="A{r}" t="s"><v>0</v></c></row>' for r in range(2, 60_002))
    return "chaines-partagees.xlsx", _xlsx("<sheetData>" + _header_row() + rows + "</sheetData>", shared)


def xlsx_too_many_shared_strings() -> tuple[str, bytes]:
    shared = "<si><t>x</t></si>" * 1_100_000
    return "trop-de-chaines.xlsx", _xlsx("<sheetData>" + _header_row() + "</sheetData>", shared)


def xlsx_zip_bomb() -> tuple[str, bytes]:
    """A sheet that unpacks to 205 MB of spaces (over the 200 MB limit), honestly declared."""
    buffer = io.BytesIO()
    base = _xlsx("<sheetData>" + _header_row() + "</sheetData>")
    with zipfile.ZipFile(io.BytesIO(base)) as source, zipfile.ZipFile(
        buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1
    ) as archive:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                with archive.open(info.filename, "w", force_zip64=True) as handle:
                    handle.write(data[:-len("</worksheet>")])
                    chunk = b" " * (1 << 20)
                    for _ in range(205):
                        handle.write(chunk)
                    handle.write(b"</worksheet>")
            else:
                archive.writestr(info.filename, data)
    return "bombe.xlsx", buffer.getvalue()


def xlsx_huge_number() -> tuple[str, bytes]:
    row = '<row r="2">' + _inline("A2", "Bondy") + _inline("B2", "Awa Diallo") + _inline("C2", "oui") + '<c r="D2"><v>1e308</v></c></row>'
    return "grand-nombre.xlsx", _xlsx("<sheetData>" + _header_row() + row + "</sheetData>")


def xlsx_billion_laughs() -> tuple[str, bytes]:
    entities = '<!DOCTYPE lolz [<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol%s;" % ("" if i == 1 else i - 1)) * 10}">' for i in range(1, 10)
    ) + "]>"
    sheet = _xlsx("<sheetData>" + _header_row() + '<row r="2">' + _inline("A2", "&lol9;") + "</row></sheetData>")
    with zipfile.ZipFile(io.BytesIO(sheet)) as source:
        parts = {i.filename: source.read(i.filename) for i in source.infolist()}
    xml = parts["xl/worksheets/sheet1.xml"].decode()
    parts["xl/worksheets/sheet1.xml"] = xml.replace("?>", "?>" + entities, 1).encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return "rires.xlsx", buffer.getvalue()


def _ods(rows_xml: str) -> bytes:
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        '<office:body><office:spreadsheet><table:table table:name="Feuille1">'
        + rows_xml
        + "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", content)
    return buffer.getvalue()


def _ods_text(text: str, attrs: str = "") -> str:
    return f'<table:table-cell office:value-type="string"{attrs}><text:p>{text}</text:p></table:table-cell>'


def ods_repeated_cells() -> tuple[str, bytes]:
    """A filled cell repeated 16,384 times on a row repeated a million times."""
    header = "<table:table-row>" + "".join(_ods_text(h) for h in HEADER.split(";")) + "</table:table-row>"
    rows = '<table:table-row table:number-rows-repeated="1000000">' + _ods_text("x", ' table:number-columns-repeated="16384"') + "</table:table-row>"
    return "repetitions.ods", _ods(header + rows)


def ods_billion_laughs() -> tuple[str, bytes]:
    data = _ods("<table:table-row>" + _ods_text("&lol9;") + "</table:table-row>")
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        parts = {i.filename: source.read(i.filename) for i in source.infolist()}
    entities = '<!DOCTYPE lolz [<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol%s;" % ("" if i == 1 else i - 1)) * 10}">' for i in range(1, 10)
    ) + "]>"
    parts["content.xml"] = parts["content.xml"].decode().replace("?>", "?>" + entities, 1).encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, blob in parts.items():
            archive.writestr(name, blob)
    return "rires.ods", buffer.getvalue()


def csv_many_columns() -> tuple[str, bytes]:
    return "colonnes.csv", (";".join(f"c{i}" for i in range(5000)) + "\r\n" + ";" * 4999 + "x\r\n").encode()


def csv_many_rows() -> tuple[str, bytes]:
    return "lignes.csv", _csv(*(["Bondy;Awa Diallo;oui;600"] * 250_000))


def csv_cut_in_quotes() -> tuple[str, bytes]:
    return "coupe-guillemets.csv", _csv("Bondy;Awa Diallo;oui;600", 'Sevran;"Mamadou Sis')[:-2]


def csv_cut_mid_row() -> tuple[str, bytes]:
    return "coupe-ligne.csv", _csv("Bondy;Awa Diallo;oui;600", "Sevran;Mamadou Sissoko;oui;600", "Stains;Djamel")[:-2]


def csv_duplicate_header() -> tuple[str, bytes]:
    return "doublon.csv", ("Commune;Commune;Élu·e - Nom\r\nBondy;Bondy;Awa\r\n").encode()


def csv_huge_numbers() -> tuple[str, bytes]:
    return "nombres.csv", _csv("Bondy;Awa Diallo;oui;1e308", "Sevran;Mamadou Sissoko;oui;123456789012345678901234567")


def csv_nul_bytes() -> tuple[str, bytes]:
    return "nul.csv", _csv("Bondy;Awa\x00 Diallo;oui;600", "Sevran;Mamadou Sissoko;oui;600")


def csv_zero_width_name() -> tuple[str, bytes]:
    return "invisible.csv", _csv("Bondy;\u200b\u200c\u200d;oui;600")


def csv_escape_sequences() -> tuple[str, bytes]:
    return "echappements.csv", _csv("Bondy;\x1b[31mAwa\x1b[0m Diallo\x1b[2J\x1bc;oui;600")


def csv_bom_in_value() -> tuple[str, bytes]:
    return "bom.csv", _csv("Bondy;\ufeffAwa Diallo;oui\ufeff;600")


def csv_unknown_yes_no() -> tuple[str, bytes]:
    return "peut-etre.csv", _csv("Bondy;Awa Diallo;peut-être;600")


def json_deep() -> tuple[str, bytes]:
    return "profond.json", b"[" * 100_000 + b"]" * 100_000


def json_huge_integer() -> tuple[str, bytes]:
    return "entier.json", b'[{"Commune": "Bondy", "Contribution": 1' + b"0" * 5000 + b"}]"


def toml_huge_integer() -> tuple[str, bytes]:
    return "entier.toml", b'[[rows]]\nCommune = "Bondy"\nContribution = 1' + b"0" * 5000 + b"\n"


def binary_noise() -> tuple[str, bytes]:
    return "bruit.xlsx", bytes(range(256)) * 40


def truncated_xlsx() -> tuple[str, bytes]:
    data = _xlsx("<sheetData>" + _header_row() + "</sheetData>")
    return "tronque.xlsx", data[: len(data) // 2]


def xls_garbage() -> tuple[str, bytes]:
    return "abime.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 4000


# --- old Excel, web pages and XML spreadsheets named .xls ------------------------------

HOSTILE = Path(__file__).resolve().parent / "hostile"  # made by make_hostile_xls.py (xlwt)


def xls_sparse() -> tuple[str, bytes]:
    """A 6 KB old Excel file with cells in A1 and IV65536: a grid of 16.7 million cells."""
    return "xls-creux.xls", (HOSTILE / "xls-creux.xls").read_bytes()


def xls_shared_strings() -> tuple[str, bytes]:
    """One 32,000-character shared string in 4,000 cells: 128 million characters."""
    return "xls-chaines.xls", (HOSTILE / "xls-chaines.xls").read_bytes()


def _html(rows: str) -> bytes:
    return (
        '<html><head><meta charset="utf-8"></head><body><table>'
        + "<tr>" + "".join(f"<th>{h}</th>" for h in HEADER.split(";")) + "</tr>"
        + rows + "</table></body></html>"
    ).encode()


def html_huge_spans() -> tuple[str, bytes]:
    """A web page named .xls whose cells each span 1,000 rows and 1,000 columns."""
    return "spans.xls", _html("<tr>" + '<td colspan="1000" rowspan="1000">x</td>' * 50 + "</tr>")


def html_many_rows() -> tuple[str, bytes]:
    """300,000 one-cell rows (5 MB): over the row limit."""
    return "lignes.xls", _html("<tr><td>x</td></tr>" * 300_000)


def html_no_table() -> tuple[str, bytes]:
    return "page.xls", b"<!DOCTYPE html><html><body><p>Session expired, please log in.</p></body></html>"


def html_cut() -> tuple[str, bytes]:
    """A web page cut in the middle of a person's row: a city with half a person."""
    data = _html('<tr><td>Bondy</td><td>Awa Diallo</td><td>oui</td><td>600</td></tr>'
                 '<tr><td>Sevran</td><td>Karim Benali</td><td>peut-')
    return "coupe.xls", data[: data.index(b"peut-") + 5]


def _xml2003(rows: str, prolog: str = "") -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>' + prolog
        + '<?mso-application progid="Excel.Sheet"?>'
        '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" '
        'xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">'
        '<Worksheet ss:Name="Feuil1"><Table><Row>'
        + "".join(f'<Cell><Data ss:Type="String">{h}</Data></Cell>' for h in HEADER.split(";"))
        + "</Row>" + rows + "</Table></Worksheet></Workbook>"
    ).encode()


def xml2003_billion_laughs() -> tuple[str, bytes]:
    entities = '<!DOCTYPE lolz [<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol%s;" % ("" if i == 1 else i - 1)) * 10}">' for i in range(1, 10)
    ) + "]>"
    row = '<Row><Cell><Data ss:Type="String">&lol9;</Data></Cell></Row>'
    return "rires-2003.xls", _xml2003(row, entities)


def xml2003_far_index() -> tuple[str, bytes]:
    """A row at index 1,000,000 and a cell at column 1,000,000."""
    row = '<Row ss:Index="1000000"><Cell ss:Index="1000000"><Data ss:Type="String">x</Data></Cell></Row>'
    return "loin-2003.xls", _xml2003(row)


def xml2003_huge_merge() -> tuple[str, bytes]:
    """Cells merged over 1,000 rows and 1,000 columns, fifty times."""
    row = "<Row>" + '<Cell ss:MergeAcross="999" ss:MergeDown="999"><Data ss:Type="String">x</Data></Cell>' * 50 + "</Row>"
    return "fusions-2003.xls", _xml2003(row)


BUILDERS: list[Callable[[], tuple[str, bytes]]] = [
    xlsx_far_cell,
    xlsx_shared_string_bomb,
    xlsx_zip_bomb,
    xlsx_huge_number,
    xlsx_billion_laughs,
    ods_repeated_cells,
    ods_billion_laughs,
    csv_many_columns,
    csv_cut_in_quotes,
    csv_cut_mid_row,
    csv_duplicate_header,
    csv_huge_numbers,
    csv_zero_width_name,
    csv_unknown_yes_no,
    json_deep,
    json_huge_integer,
    toml_huge_integer,
    binary_noise,
    truncated_xlsx,
    xls_garbage,
    xls_sparse,
    xls_shared_strings,
    html_huge_spans,
    html_many_rows,
    html_no_table,
    html_cut,
    xml2003_billion_laughs,
    xml2003_far_index,
    xml2003_huge_merge,
]
# Refused when run by hand, but slow or large to build in the test suite: kept for
# ``python hostile.py FOLDER`` and benchmarks/bench_hostile.py.
EXTRA: list[Callable[[], tuple[str, bytes]]] = [
    xlsx_too_many_shared_strings, csv_many_rows, xlsx_huge_dimension, csv_nul_bytes,
    csv_escape_sequences, csv_bom_in_value,
]  # fmt: skip


if __name__ == "__main__":
    import sys

    folder = Path(sys.argv[1])
    folder.mkdir(parents=True, exist_ok=True)
    for build in [*BUILDERS, *EXTRA]:
        name, data = build()
        (folder / name).write_bytes(data)
        print(name, len(data))
