"""The one writer of tables: CSV for French Excel or for scripts, XLSX, and CSV on stdout.

Every CSV or XLSX the tool produces goes through here, so that:

- cells a spreadsheet would evaluate as a formula are neutralised (issue 6, "CSV injection",
  OWASP): a text cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is
  written with a leading apostrophe (``'=HYPERLINK(...)``), which spreadsheets show as text;
- numbers stay numbers. A cell holding a Python number (``int``, ``Decimal``, ``float``) is never
  prefixed, negative or not: ``-3`` is read back as the number -3, which a spreadsheet does not
  evaluate. A *text* cell that is exactly a plain decimal number (``-12``, ``-3,5``, ``+4.25``)
  is left alone for the same reason. Anything else starting with a trigger character is
  prefixed, including phone numbers written ``+33 6 ...`` (shown as ``'+33 6 ...``: harmless);
- writes are atomic and owner-only (:mod:`cotrain.files.store`).

Two CSV dialects:

- ``excel=True`` (the default, what French users open by double-click): ``;`` separator,
  UTF-8 with a byte-order mark (so Excel detects the encoding), CRLF line ends, decimal comma
  (``1234,5``, no thousands separator so Excel reads a number), dates ``22/01/2015``, booleans
  as the translated yes/no;
- ``excel=False`` (for scripts): ``,`` separator, UTF-8 without BOM, LF line ends, decimal
  point, ISO dates (``2015-01-22``), booleans ``true``/``false``.

XLSX keeps numbers and dates as real numeric cells (dates formatted ``DD/MM/YYYY``); text cells
are neutralised as in CSV and stripped of the control characters the format cannot hold.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from datetime import time as dtime
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import TypeGuard

from cotrain.files.store import atomic_write_bytes

Row = Sequence[object]
Sheet = tuple[Sequence[str], Iterable[Row]]

# OWASP's list: what makes Excel, LibreOffice or Google Sheets start a formula (or a DDE call).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?")
# Control characters XLSX (XML 1.0) cannot hold; openpyxl refuses them.
_XLSX_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_SHEET_TITLE_MAX = 31


def is_number(value: object) -> TypeGuard[int | float | Decimal]:
    """A Python number (booleans are not numbers here)."""
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def neutralise(value: object) -> str:
    """The text of a cell, safe to open in a spreadsheet.

    ``None`` is an empty cell; Python numbers are written plainly and never prefixed; any
    other value is turned into text and, if a spreadsheet would read it as a formula, gets a
    leading ``'``. Plain numeric text (``-12``, ``-3,5``) is kept: it is read as a number.
    """
    if value is None:
        return ""
    if is_number(value):
        return _plain_number(value)
    text = value.value if isinstance(value, Enum) else str(value)
    if text.startswith(FORMULA_TRIGGERS) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def restore(text: str) -> str:
    """Undo :func:`neutralise` on text read back from one of our exports."""
    if text.startswith("'") and text[1:].startswith(FORMULA_TRIGGERS):
        return text[1:]
    return text


def _plain_number(value: int | float | Decimal) -> str:
    if isinstance(value, Decimal):
        return f"{value:f}"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    return str(value)


# --- CSV ---------------------------------------------------------------------------------


def csv_cell(value: object, *, excel: bool = True) -> str:
    """One cell as text in the chosen CSV dialect (see the module docstring)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        if excel:
            from cotrain.i18n import t

            return t("common.yes") if value else t("common.no")
        return "true" if value else "false"
    if is_number(value):
        text = _plain_number(value)
        return text.replace(".", ",") if excel else text
    if isinstance(value, datetime):
        value = value.replace(tzinfo=None)
        return value.strftime("%d/%m/%Y %H:%M") if excel else value.isoformat(timespec="minutes")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y") if excel else value.isoformat()
    if isinstance(value, dtime):
        return value.strftime("%H:%M")
    return neutralise(value)


def render_csv(header: Sequence[str], rows: Iterable[Row], *, excel: bool = False) -> str:
    """The CSV text of a table (no byte-order mark), e.g. for printing on stdout."""
    buffer = io.StringIO()
    writer = csv.writer(
        buffer,
        delimiter=";" if excel else ",",
        lineterminator="\r\n" if excel else "\n",
        quoting=csv.QUOTE_MINIMAL,
    )
    writer.writerow([neutralise(name) for name in header])
    for row in rows:
        writer.writerow([csv_cell(value, excel=excel) for value in row])
    return buffer.getvalue()


def write_csv(
    path: Path, header: Sequence[str], rows: Iterable[Row], *, excel: bool = True
) -> Path:
    """Write a table as CSV atomically (owner-only); return ``path``."""
    text = render_csv(header, rows, excel=excel)
    atomic_write_bytes(path, text.encode("utf-8-sig" if excel else "utf-8"))
    return path


# --- XLSX --------------------------------------------------------------------------------


def sheet_title(title: str, taken: Iterable[str] = ()) -> str:
    """A valid, unique worksheet title: at most 31 characters, none of ``[]:*?/\\``."""
    base = _XLSX_ILLEGAL.sub("", _SHEET_TITLE_FORBIDDEN.sub("-", title)).strip("'").strip() or "-"
    base = base[:_SHEET_TITLE_MAX]
    used = {name.casefold() for name in taken}
    candidate, counter = base, 2
    while candidate.casefold() in used:
        suffix = f" ({counter})"
        candidate = base[: _SHEET_TITLE_MAX - len(suffix)] + suffix
        counter += 1
    return candidate


def _xlsx_value(value: object) -> object:
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if is_number(value):
        return value
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, date | dtime):
        return value
    if isinstance(value, str):
        # XML reads a carriage return back as a line feed and holds no other control
        # character: clean first, so that what is neutralised is what will be read.
        value = _XLSX_ILLEGAL.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))
    return neutralise(value)


def _width(value: object) -> int:
    if value is None:
        return 0
    text = value if isinstance(value, str) else csv_cell(value)
    return max((len(line) for line in text.splitlines()), default=0)


def render_xlsx(sheets: Mapping[str, Sheet]) -> bytes:
    """The bytes of a workbook with one worksheet per entry (title -> (header, rows))."""
    from openpyxl import Workbook  # type: ignore[import-untyped]
    from openpyxl.cell import WriteOnlyCell  # type: ignore[import-untyped]
    from openpyxl.styles import Font  # type: ignore[import-untyped]
    from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]

    book = Workbook(write_only=True)
    bold = Font(bold=True)
    titles: list[str] = []
    for title, (header, rows) in sheets.items():
        name = sheet_title(title, titles)
        titles.append(name)
        sheet = book.create_sheet(name)
        values = [[_xlsx_value(v) for v in row] for row in rows]
        widths = [_width(h) for h in header]
        for row in values[:500]:
            for index, value in enumerate(row):
                if index >= len(widths):
                    widths.append(0)
                widths[index] = max(widths[index], _width(value))
        for index, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = min(max(width, 6) + 2, 60)
        sheet.freeze_panes = "A2"
        heading = []
        for name_ in header:
            cell = WriteOnlyCell(sheet, value=_xlsx_value(name_))
            cell.font = bold
            heading.append(cell)
        sheet.append(heading)
        for row in values:
            cells = []
            for value in row:
                cell = WriteOnlyCell(sheet, value=value)
                if isinstance(value, str):
                    cell.data_type = "s"  # text is text, even if openpyxl thinks otherwise
                elif isinstance(value, datetime):
                    cell.number_format = "DD/MM/YYYY HH:MM"
                elif isinstance(value, date):
                    cell.number_format = "DD/MM/YYYY"
                cells.append(cell)
            sheet.append(cells)
    if not titles:
        book.create_sheet("-")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def write_xlsx(path: Path, sheets: Mapping[str, Sheet]) -> Path:
    """Write a workbook atomically (owner-only); return ``path``."""
    atomic_write_bytes(path, render_xlsx(sheets))
    return path
