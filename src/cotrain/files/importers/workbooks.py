"""Read XLSX, XLS and ODS workbooks through python-calamine, within :class:`Limits` (issue 16).

calamine reads the cells themselves (never trusting a stale ``<dimension>``) and is much faster
than openpyxl; openpyxl stays for writing. Before calamine builds a sheet in memory, the parts
of a zipped workbook are checked: declared uncompressed sizes, the area the cells' references
span, the number and expanded size of shared strings (XLSX), repeated rows and columns (ODS).
Merged ranges are filled: a merged city cell applies to every row it covers. calamine reports
them for XLSX and XLS; for ODS they are read from ``content.xml`` (``number-columns-spanned``,
``number-rows-spanned``) with defusedxml.
"""

from __future__ import annotations

import html
import io
import re
import struct
import zipfile
from dataclasses import dataclass

from cotrain.errors import InputError, Location
from cotrain.files.importers.tabular import (
    LIMITS,
    OLE_MAGIC,
    Detected,
    Grid,
    Limits,
    RawRow,
    Source,
    cell_text,
    too_big,
)
from cotrain.i18n import t

_ROW_REF = re.compile(rb"<row\b[^>]*?\sr=\"([0-9]{1,10})\"")
_BIG_ROW = re.compile(rb"\sr=\"[A-Z]{1,4}([0-9]{6,10})\"")
_WIDE_COLUMN = re.compile(rb"\sr=\"([A-Z]{3,4})[0-9]")
_TWO_LETTERS = re.compile(rb"\sr=\"([A-Z]{2})[0-9]")
_SHARED_REF = re.compile(rb"<c\b[^>]*?\bt=\"s\"[^>]*>\s*<v>([0-9]{1,12})</v>")
_SI_BODY = re.compile(rb"<si\b[^>]*?(?:/>|>(.*?)</si>)", re.DOTALL)
# A formula cell with no value saved (a workbook written by a script, never opened in a
# spreadsheet): no type (a number) and an empty or missing <v>. Excel's empty text result
# carries t="str".
_UNCOMPUTED = re.compile(
    rb"<c r=\"([A-Z]{1,3}[0-9]{1,7})\"([^>]*)>\s*<f\b[^>]*?(?:/>|>[^<]*</f>)"
    rb"\s*(?:<v\s*/>|<v>\s*</v>)?\s*</c>"
)
_SHEET_ENTRY = re.compile(rb"<(?:\w+:)?sheet\b[^>]*>")
_RELATION = re.compile(rb"<(?:\w+:)?Relationship\b[^>]*>")
_ATTRIBUTE = re.compile(rb"(?:^|\s)([\w:]+)=\"([^\"]*)\"")

ODS_MIME = b"application/vnd.oasis.opendocument.spreadsheet"


def _column_number(letters: bytes) -> int:
    number = 0
    for char in letters:
        number = number * 26 + (char - 64)
    return number


def _bad(file: str, reason: str) -> InputError:
    return InputError(
        t("intake.bad_xlsx", reason=reason),
        location=Location(file=file),
        hint=t("forms.bad_workbook_hint"),
    )


@dataclass
class _Extent:
    rows: int = 0
    columns: int = 0


def _open_zip(raw: bytes, file: str) -> tuple[zipfile.ZipFile, list[zipfile.ZipInfo]]:
    """A zip archive and its entries (at most 10,000), or the error saying it is damaged."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        raise _bad(file, "zip") from None
    if len(infos) > 10_000:
        archive.close()
        raise too_big("unzipped", len(infos), 10_000, file)
    return archive, infos


def _check_zip(raw: bytes, file: str, limits: Limits) -> tuple[zipfile.ZipFile, str]:
    archive, infos = _open_zip(raw, file)
    declared = sum(info.file_size for info in infos)
    if declared > limits.unzipped:
        raise too_big("unzipped", declared, limits.unzipped, file)
    names = {info.filename for info in infos}
    if "content.xml" in names:
        kind = "ods"
    elif "xl/workbook.xml" in names:
        kind = "xlsx"
    else:
        raise _bad(file, "not a spreadsheet")
    return archive, kind


def _member_name(info: zipfile.ZipInfo) -> str:
    name = info.filename
    if not info.flag_bits & 0x800:  # no UTF-8 flag: read as cp437, often UTF-8 in fact
        try:
            name = name.encode("cp437").decode("utf-8")
        except UnicodeError:
            pass
    return name


_TABLE_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".xls", ".ods")


def archived_table(raw: bytes, file: str, limits: Limits) -> tuple[str, bytes] | None:
    """The one table of a plain zip archive (Google Forms' « Télécharger les réponses
    (.csv) » gives ``Formulaire.csv.zip``): its name and bytes; None for a workbook (XLSX,
    ODS: a zip too) or an archive holding no table. An archive holding several is refused,
    naming them."""
    archive, infos = _open_zip(raw, file)
    with archive:
        names = {info.filename for info in infos}
        if names & {"content.xml", "xl/workbook.xml", "[Content_Types].xml", "mimetype"}:
            return None
        tables = [
            info
            for info in infos
            if not info.is_dir()
            and not info.filename.startswith("__MACOSX/")
            and not info.filename.rsplit("/", 1)[-1].startswith(".")
            and info.filename.lower().endswith(_TABLE_SUFFIXES)
        ]
        if not tables:
            return None
        if len(tables) > 1:
            raise InputError(
                t(
                    "forms_archive.several_tables",
                    count=len(tables),
                    names=", ".join(f"« {_member_name(i)} »" for i in tables[:10]),
                ),
                location=Location(file=file),
                hint=t("forms_archive.several_tables_hint"),
            )
        info = tables[0]
        if info.file_size > limits.bytes:
            raise too_big("bytes", info.file_size, limits.bytes, file)
        try:
            with archive.open(info) as handle:
                data = handle.read(limits.bytes + 1)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
            raise _bad(file, "zip") from None
        if len(data) > limits.bytes:
            raise too_big("bytes", len(data), limits.bytes, file)
        return _member_name(info).rsplit("/", 1)[-1], data


def _read_part(archive: zipfile.ZipFile, name: str, file: str, limits: Limits) -> bytes:
    try:
        with archive.open(name) as handle:
            data = handle.read(limits.unzipped + 1)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, KeyError):
        raise _bad(file, "zip") from None
    if len(data) > limits.unzipped:
        raise too_big("unzipped", len(data), limits.unzipped, file)
    return data


def _sheet_extent(data: bytes) -> tuple[int, int]:
    """Rows and columns a sheet's cells span, found without building one object per cell.

    Rows: the largest ``<row r>`` and any cell reference of six digits or more. Columns: the
    largest reference of three or four letters, else of two letters, else at most 26.
    Cells written without a reference count one after the other.
    """
    rows = max((int(m.group(1)) for m in _ROW_REF.finditer(data)), default=0)
    rows = max(rows, max((int(m.group(1)) for m in _BIG_ROW.finditer(data)), default=0))
    columns = max((_column_number(m.group(1)) for m in _WIDE_COLUMN.finditer(data)), default=0)
    if not columns:
        columns = max((_column_number(m.group(1)) for m in _TWO_LETTERS.finditer(data)), default=0)
    cells = data.count(b"<c ") + data.count(b"<c>") + data.count(b"<c/")
    if cells:
        columns = max(columns, min(26, cells))
        rows = max(rows, 1)
    unreferenced = cells - data.count(b' r="') + data.count(b"<row ")
    if unreferenced > 0:  # cells without a reference: one after the other
        columns = max(columns, min(cells, 1 << 20))
        rows = max(rows, data.count(b"<row"))
    return rows, columns


def _check_xlsx(archive: zipfile.ZipFile, file: str, limits: Limits) -> None:
    """Refuse sheets whose cells span too large an area, and shared-string bombs."""
    names = archive.namelist()
    sheets = sum(1 for n in names if n.startswith("xl/worksheets/") and n.endswith(".xml"))
    if sheets > limits.sheets:
        raise too_big("sheets", sheets, limits.sheets, file)
    shared_lengths: list[int] = []
    if "xl/sharedStrings.xml" in archive.namelist():
        shared = _read_part(archive, "xl/sharedStrings.xml", file, limits)
        count = shared.count(b"<si>") + shared.count(b"<si ") + shared.count(b"<si/")
        if count > limits.shared_strings:
            raise too_big("shared_strings", count, limits.shared_strings, file)
        shared_lengths = [len(m.group(1) or b"") for m in _SI_BODY.finditer(shared)]
        del shared
    longest = max(shared_lengths, default=0)
    text = 0
    for name in archive.namelist():
        if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
            continue
        data = _read_part(archive, name, file, limits)
        if b"<f" in data:
            _refuse_uncomputed(archive, name, data, file, limits)
        rows, columns = _sheet_extent(data)
        if rows > limits.rows:
            raise too_big("rows", rows, limits.rows, file)
        if columns > limits.columns:
            raise too_big("columns", columns, limits.columns, file)
        if rows * columns > limits.cells:
            raise too_big("cells", rows * columns, limits.cells, file)
        if longest and data.count(b't="s"') * longest > limits.text:
            for found in _SHARED_REF.finditer(data):
                index = int(found.group(1))
                text += shared_lengths[index] if index < len(shared_lengths) else 0
                if text > limits.text:
                    raise too_big("text", text, limits.text, file)


def _refuse_uncomputed(
    archive: zipfile.ZipFile, part: str, data: bytes, file: str, limits: Limits
) -> None:
    """A formula never computed would be read as an empty cell (a contribution lost in
    silence): refused, naming the cell and its sheet."""
    for found in _UNCOMPUTED.finditer(data):
        if b't="' in found.group(2):
            continue
        raise InputError(
            t(
                "forms5.formula_without_value",
                cell=found.group(1).decode(),
                sheet=_sheet_name(archive, part, file, limits),
            ),
            location=Location(file=file),
            hint=t("forms5.formula_without_value_hint"),
        )


def _sheet_name(archive: zipfile.ZipFile, part: str, file: str, limits: Limits) -> str:
    """The name the workbook gives its sheet ``part`` (``xl/worksheets/sheet2.xml``), through
    ``workbook.xml`` and its relations; the part's file name when they do not say."""
    try:
        book = _read_part(archive, "xl/workbook.xml", file, limits)
        rels = _read_part(archive, "xl/_rels/workbook.xml.rels", file, limits)
    except (KeyError, InputError):
        return part.rsplit("/", 1)[-1]
    targets = {}
    for element in _RELATION.finditer(rels):
        attributes = dict(_ATTRIBUTE.findall(element.group(0)))
        targets[attributes.get(b"Id")] = attributes.get(b"Target", b"")
    for element in _SHEET_ENTRY.finditer(book):
        attributes = dict(_ATTRIBUTE.findall(element.group(0)))
        target = targets.get(attributes.get(b"r:id"), b"").decode("utf-8", "replace")
        if target.lstrip("/").removeprefix("xl/") == part.removeprefix("xl/"):
            return html.unescape(attributes.get(b"name", b"").decode("utf-8", "replace"))
    return part.rsplit("/", 1)[-1]


def _check_xls(raw: bytes, file: str, limits: Limits) -> None:
    """An old Excel file's sheets, shared strings and text, bounded before calamine builds a
    grid from its first cell to its last (:mod:`cotrain.files.importers.biff`)."""
    from cotrain.files.importers.biff import BiffDamaged, scan

    try:
        found = scan(raw, stream_limit=limits.unzipped, shared_limit=limits.shared_strings)
    except (BiffDamaged, IndexError, struct.error, RecursionError):
        raise _bad(file, "xls") from None
    if found.shared_strings > limits.shared_strings:
        raise too_big("shared_strings", found.shared_strings, limits.shared_strings, file)
    if len(found.sheets) > limits.sheets:
        raise too_big("sheets", len(found.sheets), limits.sheets, file)
    total = 0
    for sheet in found.sheets:
        if sheet.rows > limits.rows:
            raise too_big("rows", sheet.rows, limits.rows, file)
        if sheet.columns > limits.columns:
            raise too_big("columns", sheet.columns, limits.columns, file)
        total += sheet.rows * sheet.columns
        if total > limits.cells:
            raise too_big("cells", total, limits.cells, file)
    if found.text > limits.text:
        raise too_big("text", found.text, limits.text, file)


_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"


def _ods_merges(
    archive: zipfile.ZipFile, file: str, limits: Limits
) -> dict[str, list[tuple[int, int, int, int]]]:
    """Merged ranges of each sheet of an ODS file, checking the area its content spans."""
    from defusedxml import ElementTree
    from defusedxml.common import DefusedXmlException

    data = _read_part(archive, "content.xml", file, limits)
    merges: dict[str, list[tuple[int, int, int, int]]] = {}
    sheet = ""
    row = 0
    column = 0
    extent = _Extent()
    count = 0

    def repeat(element: object, attribute: str) -> int:
        value = element.get(_TABLE + attribute)  # type: ignore[attr-defined]
        try:
            return max(1, int(value)) if value else 1
        except ValueError:
            return 1

    try:
        for event, element in ElementTree.iterparse(io.BytesIO(data), events=("start", "end")):
            tag = element.tag
            if event == "start":
                if tag == _TABLE + "table":
                    sheet = element.get(_TABLE + "name") or ""
                    merges.setdefault(sheet, [])
                    if len(merges) > limits.sheets:
                        raise too_big("sheets", len(merges), limits.sheets, file)
                    row = 0
                    extent = _Extent()
                elif tag == _TABLE + "table-row":
                    column = 0
                continue
            if tag in (_TABLE + "table-cell", _TABLE + "covered-table-cell"):
                times = repeat(element, "number-columns-repeated")
                filled = element.get(_OFFICE + "value-type") is not None or len(element) > 0
                spanned_columns = repeat(element, "number-columns-spanned")
                spanned_rows = repeat(element, "number-rows-spanned")
                if tag == _TABLE + "table-cell" and (spanned_columns > 1 or spanned_rows > 1):
                    count += 1
                    if count > limits.merged:
                        raise too_big("merged", count, limits.merged, file)
                    merges[sheet].append(
                        (row, column, row + spanned_rows - 1, column + spanned_columns - 1)
                    )
                column += times
                if filled:
                    extent.columns = max(extent.columns, column)
                    extent.rows = max(extent.rows, row + 1)
                    if extent.columns > limits.columns:
                        raise too_big("columns", extent.columns, limits.columns, file)
                element.clear()
            elif tag == _TABLE + "table-row":
                times = repeat(element, "number-rows-repeated")
                if extent.rows == row + 1 and times > 1:
                    extent.rows = row + times
                row += times
                if extent.rows > limits.rows:
                    raise too_big("rows", extent.rows, limits.rows, file)
                if extent.rows * extent.columns > limits.cells:
                    raise too_big("cells", extent.rows * extent.columns, limits.cells, file)
                element.clear()
    except InputError:
        raise
    except (DefusedXmlException, SyntaxError, ValueError):
        raise _bad(file, "content.xml") from None
    return merges


def read_workbook(
    raw: bytes, file: str, *, sheet: str | None = None, limits: Limits = LIMITS
) -> Source:
    """Every sheet of an XLSX, XLS or ODS workbook as grids of text records."""
    import python_calamine

    ods_merges: dict[str, list[tuple[int, int, int, int]]] = {}
    if raw.startswith(OLE_MAGIC):
        kind = "xls"
        _check_xls(raw, file, limits)
    else:
        archive, kind = _check_zip(raw, file, limits)
        with archive:
            if kind == "xlsx":
                _check_xlsx(archive, file, limits)
            else:
                ods_merges = _ods_merges(archive, file, limits)
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(raw))
    except python_calamine.PasswordError:
        raise InputError(
            t("forms.password"), location=Location(file=file), hint=t("forms.password_hint")
        ) from None
    except Exception as exc:  # calamine raises its own and Python errors for damaged parts
        raise _bad(file, type(exc).__name__) from None
    try:
        names = [
            m.name
            for m in book.sheets_metadata
            if str(getattr(m.typ, "name", m.typ)).lower().endswith("worksheet")
        ] or list(book.sheet_names)
        if len(names) > limits.sheets:
            raise too_big("sheets", len(names), limits.sheets, file)
        if sheet is not None and sheet not in names:
            raise InputError(
                t("intake.no_such_sheet", sheet=sheet, sheets=", ".join(names)),
                location=Location(file=file),
            )
        grids = []
        total = 0
        hidden = {
            m.name
            for m in book.sheets_metadata
            if not str(getattr(m.visible, "name", m.visible)).lower().endswith("visible")
        }
        ordered = (
            [sheet] + [n for n in names if n != sheet]
            if sheet
            else sorted(names, key=lambda n: n in hidden)  # visible sheets first
        )
        for name in ordered:
            grid, cells = _read_sheet(book, name, file, limits, ods_merges.get(name))
            if name in hidden:
                grid = Grid(grid.name, grid.records, hidden=True)
            total += cells
            if total > limits.cells:
                raise too_big("cells", total, limits.cells, file)
            grids.append(grid)
    except InputError:
        raise
    except MemoryError:
        raise too_big("cells", 0, limits.cells, file) from None
    except Exception as exc:
        raise _bad(file, type(exc).__name__) from None
    finally:
        book.close()
    return Source(file, tuple(grids), Detected(kind, sheet=ordered[0]), chosen=sheet is not None)


def _read_sheet(
    book: object,
    name: str,
    file: str,
    limits: Limits,
    ods_merges: list[tuple[int, int, int, int]] | None,
) -> tuple[Grid, int]:
    worksheet = book.get_sheet_by_name(name)  # type: ignore[attr-defined]
    height, width = worksheet.height, worksheet.width
    if height > limits.rows:
        raise too_big("rows", height, limits.rows, file)
    if width > limits.columns:
        raise too_big("columns", width, limits.columns, file)
    if height * width > limits.cells:
        raise too_big("cells", height * width, limits.cells, file)
    start = worksheet.start or (0, 0)
    first_row, first_column = start
    pad = ("",) * first_column
    grid: list[list[str]] = [
        [*pad, *(cell_text(v) for v in values)] for values in worksheet.to_python()
    ]
    merges = ods_merges if ods_merges is not None else (worksheet.merged_cell_ranges or [])
    if len(merges) > limits.merged:
        raise too_big("merged", len(merges), limits.merged, file)
    for merge in merges:
        if isinstance(merge[0], tuple):
            (top, left), (bottom, right) = merge  # type: ignore[misc]
        else:
            top, left, bottom, right = merge  # type: ignore[misc]
        top -= first_row
        bottom = min(bottom - first_row, len(grid) - 1)
        if top < 0 or top >= len(grid) or left >= len(grid[top]):
            continue
        value = grid[top][left]
        if not value:
            continue
        for r in range(top, bottom + 1):
            line = grid[r]
            for c in range(left, min(right, len(line) - 1) + 1):
                if not line[c]:
                    line[c] = value
    records = tuple(
        RawRow(first_row + index + 1, tuple(cells))
        for index, cells in enumerate(grid)
        if any(cells)
    )
    return Grid(name, records), height * width
