"""Read a table of answers from CSV, XLSX, JSON or TOML, and say what was detected.

Every cell comes back as text, exactly as a person would read it (numbers from XLSX, JSON or
TOML as plain decimals ``600.5``, dates as ISO ``2014-12-15T10:32:00``); parsing values is the
job of :mod:`cotrain.domain.intake`. Rows keep their number in the file (CSV and XLSX: the
spreadsheet row, header = 1; JSON and TOML: the entry number) so messages can point at them.

CSV (DOMAIN.md, "Import"): try UTF-8 with BOM, UTF-8, then Windows-1252; the delimiter is the
one of ``;``, ``,`` and tab found most often outside quotes in the header; quoted fields may
hold line breaks. The format is recognised by content first (an XLSX file named ``.csv`` is
still read as XLSX), then by extension.
"""

from __future__ import annotations

import csv
import io
import json
import tomllib
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

from cotrain.errors import InputError, Location
from cotrain.i18n import t

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # old .xls
DELIMITERS = (";", ",", "\t")
DELIMITER_NAMES = {";": "semicolon", ",": "comma", "\t": "tab"}


@dataclass(frozen=True)
class Detected:
    """What the reader found out about a file (printed by ``cotrain import``)."""

    format: str  # "csv", "xlsx", "json", "toml"
    encoding: str | None = None  # "utf-8", "utf-8-sig", "utf-16", "cp1252"
    delimiter: str | None = None
    sheet: str | None = None


@dataclass(frozen=True)
class RawRow:
    number: int  # CSV/XLSX: row in the spreadsheet (header = 1); JSON/TOML: entry (1-based)
    cells: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    file: str  # the file's name, as shown in messages
    headers: tuple[str, ...]
    rows: tuple[RawRow, ...]
    detected: Detected
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def keyed(self) -> bool:
        """JSON and TOML rows are entries of a list, not lines of a sheet."""
        return self.detected.format in ("json", "toml")

    def location(self, row: RawRow | int | None = None, column: str | None = None) -> Location:
        number = row.number if isinstance(row, RawRow) else row
        if number is None:
            return Location(file=self.file, column=column)
        if self.keyed:
            return Location(file=self.file, key=f"rows[{number}]", column=column)
        return Location(file=self.file, row=number, column=column)


def read_table(path: Path, *, sheet: str | None = None) -> Table:
    """Read the first sheet (or ``sheet``) of any supported file as headers plus text rows."""
    name = path.name
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError(t("intake.file_missing", file=str(path))) from None
    except IsADirectoryError:
        raise InputError(t("intake.file_is_folder", file=str(path))) from None
    except OSError as exc:
        raise InputError(
            t("intake.file_unreadable", file=str(path), reason=exc.strerror or "")
        ) from None
    where = Location(file=name)
    if not raw.strip():
        raise InputError(t("intake.empty_file"), location=where, hint=t("intake.empty_file_hint"))
    suffix = path.suffix.lower()
    if raw.startswith(ZIP_MAGIC):
        table = _read_xlsx(raw, name, sheet)
    elif raw.startswith(OLE_MAGIC):
        raise InputError(t("intake.old_excel"), location=where, hint=t("intake.old_excel_hint"))
    elif suffix == ".json":
        table = _read_json(raw, name)
    elif suffix == ".toml":
        table = _read_toml(raw, name)
    elif suffix in (".xlsx", ".xlsm"):
        raise InputError(t("intake.bad_xlsx", reason="not a zip archive"), location=where)
    else:
        table = _read_csv(raw, name)
    if not table.headers or all(not h for h in table.headers):
        raise InputError(t("intake.empty_file"), location=where, hint=t("intake.empty_file_hint"))
    if not table.rows:
        raise InputError(t("intake.no_rows"), location=where, hint=t("intake.no_rows_hint"))
    return table


# --- CSV ---------------------------------------------------------------------------------


def decode(raw: bytes, file: str) -> tuple[str, str]:
    """The text of a CSV file and the encoding that read it."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            pass
    elif b"\x00" in raw[:8192]:
        raise InputError(
            t("intake.binary_file"), location=Location(file=file), hint=t("intake.binary_file_hint")
        )
    if raw.startswith(b"\xef\xbb\xbf"):
        try:
            return raw.decode("utf-8-sig"), "utf-8-sig"
        except UnicodeDecodeError:
            pass
    else:
        try:
            return raw.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            pass
    try:
        text = raw.decode("cp1252")
    except UnicodeDecodeError:
        raise InputError(
            t("intake.unknown_encoding"),
            location=Location(file=file),
            hint=t("intake.unknown_encoding_hint"),
        ) from None
    controls = sum(1 for ch in text[:8192] if ord(ch) < 32 and ch not in "\t\r\n")
    if controls > 0:
        raise InputError(
            t("intake.binary_file"), location=Location(file=file), hint=t("intake.binary_file_hint")
        )
    return text, "cp1252"


def _first_record(text: str) -> str:
    """The header record: up to the first line break outside quotes."""
    quoted = False
    for index, char in enumerate(text):
        if char == '"':
            quoted = not quoted
        elif char in "\r\n" and not quoted:
            return text[:index]
    return text


def sniff_delimiter(text: str) -> str | None:
    header = _first_record(text)
    counts: dict[str, int] = {}
    quoted = False
    for char in header:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in DELIMITERS:
            counts[char] = counts.get(char, 0) + 1
    if not counts:
        return None
    # Ties go to the French-Excel order of DELIMITERS (";" first).
    return max(DELIMITERS, key=lambda d: (counts.get(d, 0), -DELIMITERS.index(d)))


def _read_csv(raw: bytes, file: str) -> Table:
    text, encoding = decode(raw, file)
    if not text.strip():
        raise InputError(
            t("intake.empty_file"), location=Location(file=file), hint=t("intake.empty_file_hint")
        )
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter or ";", strict=False)
    records: list[tuple[int, list[str]]] = []
    try:
        for index, record in enumerate(reader, start=1):
            records.append((index, record))
    except csv.Error as exc:
        raise InputError(
            t("intake.bad_csv", reason=str(exc)), location=Location(file=file, row=reader.line_num)
        ) from None
    while records and not any(cell.strip() for cell in records[0][1]):
        records.pop(0)
    if not records:
        raise InputError(
            t("intake.empty_file"), location=Location(file=file), hint=t("intake.empty_file_hint")
        )
    _, header = records[0]
    headers = tuple(_clean_header(h) for h in header)
    rows = tuple(
        RawRow(number, tuple(cell.strip() for cell in cells))
        for number, cells in records[1:]
        if any(cell.strip() for cell in cells)
    )
    return Table(file, _trim_headers(headers), rows, Detected("csv", encoding, delimiter))


def _clean_header(header: str) -> str:
    # A leftover BOM or non-breaking spaces break header matching (DOMAIN.md, frappe #22151).
    return " ".join(header.replace("\ufeff", "").replace("\u00a0", " ").split())


def _trim_headers(headers: tuple[str, ...]) -> tuple[str, ...]:
    end = len(headers)
    while end and not headers[end - 1]:
        end -= 1
    return headers[:end]


# --- XLSX --------------------------------------------------------------------------------


def cell_text(value: Any) -> str:
    """A spreadsheet, JSON or TOML value as text: plain decimals, ISO dates."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        number = Decimal(repr(value))
        if number == number.to_integral_value():
            return str(int(number))
        return f"{number:f}"
    if isinstance(value, Decimal):
        return f"{value:f}"
    if isinstance(value, datetime):
        return (
            value.isoformat(sep="T", timespec="seconds")
            if value.time() != time(0)
            else value.date().isoformat()
        )
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return " ".join(str(value).split()) if "\n" not in str(value) else str(value).strip()


def _read_xlsx(raw: bytes, file: str, sheet: str | None) -> Table:
    from openpyxl import load_workbook

    where = Location(file=file)
    # A damaged workbook can fail anywhere (zip, XML, styles), and in read-only mode only while
    # its rows are read: any failure other than ours is "unreadable workbook", never a traceback.
    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as exc:
        raise InputError(t("intake.bad_xlsx", reason=type(exc).__name__), location=where) from None
    try:
        names = book.sheetnames
        if sheet is not None and sheet not in names:
            raise InputError(
                t("intake.no_such_sheet", sheet=sheet, sheets=", ".join(names)),
                location=where,
            )
        chosen = sheet if sheet is not None else names[0]
        worksheet = book[chosen]
        records: list[tuple[int, list[str]]] = []
        for index, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
            cells = [cell_text(v) for v in values]
            if any(cells):
                records.append((index, cells))
    except InputError:
        raise
    except Exception as exc:
        raise InputError(t("intake.bad_xlsx", reason=type(exc).__name__), location=where) from None
    finally:
        book.close()
    if not records:
        raise InputError(t("intake.empty_file"), location=where, hint=t("intake.empty_file_hint"))
    _, header = records[0]
    headers = _trim_headers(tuple(_clean_header(h) for h in header))
    rows = tuple(RawRow(number, tuple(cells)) for number, cells in records[1:])
    return Table(file, headers, rows, Detected("xlsx", sheet=chosen))


# --- JSON and TOML -----------------------------------------------------------------------


def _table_from_objects(items: Any, file: str, detected: Detected) -> Table:
    where = Location(file=file)
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise InputError(
            t("intake.bad_rows_shape"), location=where, hint=t("intake.bad_rows_shape_hint")
        )
    headers: dict[str, None] = {}
    for item in items:
        for key in item:
            headers.setdefault(_clean_header(str(key)), None)
    order = list(headers)
    rows = []
    for number, item in enumerate(items, start=1):
        cleaned = {_clean_header(str(k)): v for k, v in item.items()}
        cells = tuple(cell_text(cleaned.get(h)) for h in order)
        if any(cells):
            rows.append(RawRow(number, cells))
    return Table(file, tuple(order), tuple(rows), detected)


def _read_json(raw: bytes, file: str) -> Table:
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise InputError(
            t("store.not_utf8"), location=Location(file=file), hint=t("store.not_utf8_hint")
        ) from None
    except json.JSONDecodeError as exc:
        raise InputError(
            t("intake.bad_json", reason=exc.msg), location=Location(file=file, line=exc.lineno)
        ) from None
    if isinstance(data, dict) and "rows" in data:
        data = data["rows"]
    return _table_from_objects(data, file, Detected("json", "utf-8"))


def _read_toml(raw: bytes, file: str) -> Table:
    try:
        data = tomllib.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise InputError(
            t("store.not_utf8"), location=Location(file=file), hint=t("store.not_utf8_hint")
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError(
            t("intake.bad_toml", reason=str(exc)), location=Location(file=file)
        ) from None
    return _table_from_objects(data.get("rows"), file, Detected("toml", "utf-8"))
