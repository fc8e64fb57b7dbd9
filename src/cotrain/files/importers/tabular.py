"""Read a table of answers from CSV, XLSX, XLS, ODS, JSON or TOML, and say what was detected.

Every cell comes back as text, exactly as a person would read it (numbers from a workbook,
JSON or TOML as plain decimals ``600.5``, dates as ISO ``2014-12-15T10:32:00``); parsing values
is the job of :mod:`cotrain.domain.intake`. Rows keep their number in the file (CSV and
workbooks: the spreadsheet row; JSON and TOML: the entry number) so messages can point at them.

This module reads *grids*: every non-blank record of a file with its number. Where the table
sits in the grid (title rows, the header row, total and comment rows, sheets joined on a
dossier id) is decided by :mod:`cotrain.files.importers.sheets` (issue 16).

CSV (DOMAIN.md, "Import"): try UTF-8 with BOM, UTF-8, then Windows-1252 (or ``--encoding``);
the delimiter is the one of ``;``, ``,`` and tab found most often outside quotes in the first
line; quoted fields may hold line breaks; a file cut inside quotes or in the middle of its last
row is refused with the line. Workbooks (XLSX, XLS, ODS) are read by python-calamine, after
their declared sizes are checked (:class:`Limits`), so a small hostile file cannot take minutes
or gigabytes. The format is recognised by content first (an XLSX file named ``.csv`` is still
read as XLSX), then by extension.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from cotrain.errors import InputError, Location
from cotrain.i18n import t

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # old .xls
DELIMITERS = (";", ",", "\t")
# LibreOffice lets the user type any separator; "|" is the one people choose. It is read only
# when the header holds more of it than of any usual separator.
OTHER_DELIMITERS = ("|",)
DELIMITER_NAMES = {";": "semicolon", ",": "comma", "\t": "tab", "|": "pipe"}


@dataclass(frozen=True)
class Limits:
    """How much one input may hold (issue 16: no input over 30 s or 1 GB).

    The defaults admit 10,000 applications one row per person with room to spare.
    """

    bytes: int = 64 * 1024 * 1024
    rows: int = 200_000
    columns: int = 2_000
    cells: int = 3_000_000  # rows x columns of the used area of a sheet
    shared_strings: int = 1_000_000
    unzipped: int = 200 * 1024 * 1024  # declared uncompressed size of a workbook's parts
    text: int = 100_000_000  # characters of text in all cells, once shared strings are expanded
    merged: int = 100_000  # merged ranges
    sheets: int = 256  # sheets of a workbook, each read and looked at


LIMITS = Limits()


@dataclass(frozen=True)
class Detected:
    """What the reader found out about a file (printed by ``cotrain import``)."""

    format: str  # "csv", "xlsx", "xls", "ods", "json", "toml"
    encoding: str | None = None  # "utf-8", "utf-8-sig", "utf-16", "cp1252"
    delimiter: str | None = None
    sheet: str | None = None
    header_row: int | None = None


@dataclass(frozen=True)
class RawRow:
    number: int  # CSV/workbook: row in the spreadsheet; JSON/TOML: entry (1-based)
    cells: tuple[str, ...]


_new_object = object.__new__
_set_slot = object.__setattr__


def raw_row(number: int, cells: tuple[str, ...]) -> RawRow:
    """``RawRow(number, cells)``, made without the frozen dataclass's ``__init__`` (one call of
    ``object.__setattr__`` per field): a row of each of 10,000 records (issue 16)."""
    row = _new_object(RawRow)
    _set_slot(row, "__dict__", {"number": number, "cells": cells})
    return row


def row_location(file: str, row: int) -> Location:
    """``Location(file=file, row=row)``, made the same way as :func:`raw_row`."""
    where = _new_object(Location)
    _set_slot(
        where, "__dict__", {"file": file, "row": row, "column": None, "key": None, "line": None}
    )
    return where


@dataclass(frozen=True)
class Table:
    file: str  # the file's name, as shown in messages
    headers: tuple[str, ...]
    rows: tuple[RawRow, ...]
    detected: Detected
    notes: tuple[str, ...] = field(default_factory=tuple)
    # Columns that describe the dossier's filer when sheets were joined (never a triad member).
    filer_columns: frozenset[int] = frozenset()

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
        if column is None:
            return row_location(self.file, number)
        return Location(file=self.file, row=number, column=column)


@dataclass(frozen=True)
class Grid:
    """One sheet of a file: its non-blank records, numbered as the user sees them."""

    name: str | None  # sheet name (workbooks), None for CSV
    records: tuple[RawRow, ...]
    hidden: bool = False  # a hidden sheet (a list of choices): never the main table on its own


@dataclass(frozen=True)
class Source:
    """Every sheet read from one file (CSV, JSON, TOML: one)."""

    file: str
    grids: tuple[Grid, ...]
    detected: Detected
    chosen: bool = False  # a sheet was named with --sheet
    headed: bool = False  # JSON/TOML: the first record holds the headers, no detection


# --- cleaning ----------------------------------------------------------------------------

# Terminal escape sequences, C0/C1 controls (tab and line breaks kept), zero-width and
# bidirectional marks, stray BOMs: never stored (issue 16, hostile inputs).
_ESCAPES = re.compile(
    r"\x1b(?:\[[0-?]*[ -/]*[@-~]|[\]PX^_][^\x07\x1b]*(?:\x07|\x1b\\)?|[ -/]*[0-~])?"
)
# Zero-width joiners (U+200C, U+200D) and direction marks (U+200E, U+200F) are kept: they belong
# to emoji sequences and to right-to-left names; a name made of nothing visible is refused.
_INVISIBLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b\u2028\u2029\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]"
)


# Encodings that read each byte as one character, whatever the bytes around it: a text read in
# one of them holds an invisible character exactly when its bytes hold one of the bytes that
# read as one (``invisible_bytes``).
_ONE_BYTE_ONE_CHARACTER = frozenset(("cp1252", "mac-roman", "iso8859-15", "iso8859-1"))


@lru_cache(maxsize=8)
def invisible_bytes(encoding: str) -> bytes:
    """The bytes that a one-byte encoding reads as a character ``_INVISIBLE`` matches."""
    found = bytearray()
    for byte in range(256):
        try:
            char = bytes((byte,)).decode(encoding)
        except UnicodeDecodeError:  # a byte the encoding leaves undefined
            continue
        if _INVISIBLE.search(char):
            found.append(byte)
    return bytes(found)


def has_invisible(text: str, raw: bytes, encoding: str) -> bool:
    """Whether ``text``, read from ``raw`` in ``encoding``, holds an invisible character.

    In a one-byte encoding the bytes say so, in C (``bytes.translate``), instead of a regular
    expression's test of each of two million characters: 0.024 s of an import of 10,000
    applications from a Windows-1252 CSV (issue 16). The answer is the same either way: a byte
    stands for one character, and the invisible ones are those bytes' characters.
    """
    if encoding in _ONE_BYTE_ONE_CHARACTER and len(text) == len(raw):
        unwanted = invisible_bytes(encoding)
        return len(raw.translate(None, unwanted)) != len(raw)
    return _INVISIBLE.search(text) is not None


def clean_text(text: str) -> str:
    """A cell's text without escape sequences, control characters or invisible marks."""
    if text.isascii() and text.isprintable():
        return text
    if "\x1b" in text:
        text = _ESCAPES.sub("", text)
    return _INVISIBLE.sub("", text)


def too_big(what: str, value: int, limit: int, file: str) -> InputError:
    return InputError(
        t("forms.too_big", what=t(f"forms.limit.{what}"), value=value, limit=limit),
        location=Location(file=file),
        hint=t("forms.too_big_hint"),
    )


# --- entry points ------------------------------------------------------------------------


def _nearby_files(path: Path) -> str:
    """The fix for a mistyped file name: the files of that folder that could be imported,
    the closest names first (tester's F19.4)."""
    import difflib

    folder = path.parent
    try:
        names = sorted(
            p.name for p in folder.iterdir()
            if p.is_file() and p.suffix.lower() in (".csv", ".tsv", ".txt", ".xlsx", ".xls", ".ods")
        )
    except OSError:
        names = []
    if not names:
        return t("intake.file_missing_hint_none", folder=str(folder))
    close = difflib.get_close_matches(path.name, names, n=5, cutoff=0.0)
    return t("intake.file_missing_hint", files=", ".join(close))


def read_bytes(path: Path, *, limits: Limits = LIMITS) -> bytes:
    """A file's bytes (``-`` is standard input), at most ``limits.bytes`` of them."""
    import sys

    name = "-" if str(path) == "-" else path.name
    try:
        if str(path) == "-":
            raw = sys.stdin.buffer.read(limits.bytes + 1)
        else:
            with path.open("rb") as handle:
                raw = handle.read(limits.bytes + 1)
    except FileNotFoundError:
        hint = _nearby_files(path)
        raise InputError(t("intake.file_missing", file=str(path)), hint=hint) from None
    except IsADirectoryError:
        raise InputError(t("intake.file_is_folder", file=str(path))) from None
    except OSError as exc:
        from cotrain.files.store import os_reason

        raise InputError(
            t("intake.file_unreadable", file=str(path), reason=os_reason(exc))
        ) from None
    if len(raw) > limits.bytes:
        raise too_big("bytes", len(raw), limits.bytes, name)
    return raw


def read_source(
    raw: bytes,
    name: str,
    *,
    sheet: str | None = None,
    encoding: str | None = None,
    suffix: str = "",
    limits: Limits = LIMITS,
    archived: bool = False,
) -> Source:
    """Every sheet of a file, as grids of text records (``archived``: read from a zip)."""
    where = Location(file=name)
    if not raw.strip():
        raise InputError(t("intake.empty_file"), location=where, hint=t("intake.empty_file_hint"))
    suffix = suffix.lower()
    if raw.startswith(ZIP_MAGIC) and not archived:
        from cotrain.files.importers.workbooks import archived_table

        inner = archived_table(raw, name, limits)
        if inner is not None:  # a zip holding one table: that table, named inside its archive
            member, data = inner
            return read_source(
                data, f"{name}/{member}", sheet=sheet, encoding=encoding,
                suffix=Path(member).suffix, limits=limits, archived=True,
            )  # fmt: skip
    if raw.startswith(ZIP_MAGIC) or raw.startswith(OLE_MAGIC):
        from cotrain.files.importers.workbooks import read_workbook

        return read_workbook(raw, name, sheet=sheet, limits=limits)
    head = raw[:4096]
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        from cotrain.files.importers import markup

        if markup.looks_like_xml_spreadsheet(head):  # Excel's "XML Spreadsheet 2003"
            return choose_sheet(markup.read_xml_spreadsheet(raw, name, limits=limits), sheet)
        if markup.looks_like_html(head):  # what many web tools save as ".xls": a web page
            return choose_sheet(
                markup.read_html(raw, name, encoding=encoding, limits=limits), sheet
            )
    if suffix in (".xlsx", ".xlsm", ".ods"):
        raise InputError(
            t("intake.bad_xlsx", reason="not a zip archive"),
            location=where,
            hint=t("forms.bad_workbook_hint"),
        )
    if suffix == ".json":
        return _read_json(raw, name)
    if suffix == ".toml":
        return _read_toml(raw, name)
    return _read_csv(raw, name, encoding=encoding, limits=limits)


def choose_sheet(source: Source, sheet: str | None) -> Source:
    """``--sheet NAME`` on a file read as several grids: that grid first, as for a workbook."""
    if sheet is None:
        return source
    names = [g.name or "" for g in source.grids]
    if sheet not in names:
        raise InputError(
            t("intake.no_such_sheet", sheet=sheet, sheets=", ".join(n for n in names if n)),
            location=Location(file=source.file),
        )
    grids = sorted(source.grids, key=lambda g: g.name != sheet)
    detected = Detected(
        source.detected.format, source.detected.encoding, source.detected.delimiter, sheet
    )
    return Source(source.file, tuple(grids), detected, chosen=True)


def read_table(
    path: Path,
    *,
    sheet: str | None = None,
    header_row: int | None = None,
    encoding: str | None = None,
    custom: Mapping[str, str] | None = None,
    limits: Limits = LIMITS,
    repeated: bool = False,
) -> Table:
    """Read a file (``-``: standard input) as one table: headers plus text rows.

    ``custom`` is ``[import.columns]``: its headers count when looking for the header row.
    ``repeated``: headers written twice are numbered rather than refused (``--suggest``).
    """
    from cotrain.files.importers.sheets import locate_table

    raw = read_bytes(path, limits=limits)
    name = "-" if str(path) == "-" else path.name
    suffix = "" if str(path) == "-" else path.suffix
    source = read_source(raw, name, sheet=sheet, encoding=encoding, suffix=suffix, limits=limits)
    return locate_table(source, header_row=header_row, custom=custom, repeated=repeated)


# --- CSV ---------------------------------------------------------------------------------


def decode(raw: bytes, file: str, encoding: str | None = None) -> tuple[str, str]:
    """The text of a CSV file and the encoding that read it."""
    if encoding is not None:
        import codecs

        try:
            name = codecs.lookup(encoding).name
        except LookupError:
            raise InputError(
                t("forms.unknown_encoding_name", encoding=encoding), location=Location(file=file)
            ) from None
        if name == "utf-8" and raw.startswith(b"\xef\xbb\xbf"):
            name = "utf-8-sig"
        try:
            return raw.decode(name), name
        except UnicodeDecodeError as exc:
            raise InputError(
                t("forms.wrong_encoding", encoding=encoding, offset=exc.start),
                location=Location(file=file),
                hint=t("intake.unknown_encoding_hint"),
            ) from None
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            if exc.reason in ("truncated data", "unexpected end of data"):
                # an odd byte or half a pair at the very end: an interrupted download
                raise InputError(
                    t("forms.cut_mid_char_utf16", offset=exc.start),
                    location=Location(file=file),
                    hint=t("forms.cut_hint"),
                ) from None
    elif b"\x00" in raw[:8192]:
        head = raw[:8192]
        if head.count(b"\x00") * 100 > len(head):  # dense: binary (or UTF-16 without its BOM)
            if len(raw) % 2 and _utf16_shaped(head):
                raise InputError(
                    t("forms5.utf16_no_bom_cut", offset=len(raw) - 1),
                    location=Location(file=file),
                    hint=t("forms.cut_hint"),
                )
            raise InputError(
                t("intake.binary_file"),
                location=Location(file=file),
                hint=t("intake.binary_file_hint"),
            )
        raw = raw.replace(b"\x00", b"")  # a few stray NUL bytes of a faulty export: removed
    if raw.startswith(b"\xef\xbb\xbf"):
        try:
            return raw.decode("utf-8-sig"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            _utf8_cut(raw[3:], exc, file)
    else:
        try:
            return raw.decode("utf-8"), "utf-8"
        except UnicodeDecodeError as exc:
            _utf8_cut(raw, exc, file)
    used = "cp1252"
    try:
        text: str | None = raw.decode("cp1252")
    except UnicodeDecodeError:
        text = None
    # Excel for Mac's "CSV (Macintosh)": Mac Roman, where é è à ç are 0x8E 0x8F 0x88 0x8D
    # (Ž, undefined, ˆ, undefined in Windows-1252); chosen when its accents read as French.
    french = _french_share(raw[:65536].decode("mac_roman"))
    if text is None or french > _french_share(text[:65536]):
        if french < 0.9:
            if text is None:
                raise InputError(
                    t("intake.unknown_encoding"),
                    location=Location(file=file),
                    hint=t("intake.unknown_encoding_hint"),
                )
        else:
            text, used = raw.decode("mac_roman"), "mac-roman"
    assert text is not None
    if used == "cp1252" and b"\xa4" in raw and not _CP1252_ONLY.search(raw):
        # LibreOffice's « Europe occidentale (ISO-8859-15) »: its € is 0xA4 (¤ in Windows-1252,
        # a sign no one types), and 0x80-0x9F, Windows-1252's €, œ, quotes, are never used.
        text, used = raw.decode("iso8859-15"), "iso8859-15"
    controls = sum(1 for ch in text[:8192] if ord(ch) < 32 and ch not in "\t\r\n")
    if controls > 0:
        raise InputError(
            t("intake.binary_file"), location=Location(file=file), hint=t("intake.binary_file_hint")
        )
    return text, used


_CP1252_ONLY = re.compile(rb"[\x80-\x9f]")  # bytes ISO-8859-15 leaves to control codes
_FRENCH = frozenset("éèàçêâîôûùëïüœæÉÈÀÇÊÂÎÔÛÙËÏÜŒÆ«»’‘“”…€°\u00a0–—")


def _french_share(text: str) -> float:
    """The share of a text's non-ASCII characters that French text uses (accents, « », €).

    Counted in C (every character of ``_FRENCH`` is non-ASCII): a loop over each character of
    the 64 KiB read, twice per CSV, was 0.02 s of an import of 10,000 applications (issue 16).
    """
    other = len(text) - len(text.encode("ascii", "ignore"))
    if not other:
        return 1.0
    return sum(map(text.count, _FRENCH)) / other


def _utf8_cut(raw: bytes, exc: UnicodeDecodeError, file: str) -> None:
    """Refuse a UTF-8 file cut in the middle of its last character (not Windows-1252)."""
    if exc.reason != "unexpected end of data" or exc.start < len(raw) - 3:
        return
    try:
        raw[: exc.start].decode("utf-8")
    except UnicodeDecodeError:  # pragma: no cover - exc is the first error
        return
    if not any(byte >= 0x80 for byte in raw[: exc.start]):
        return  # plain ASCII up to the cut: one stray high byte says nothing about UTF-8
    raise InputError(
        t("forms.cut_mid_char", offset=exc.start),
        location=Location(file=file),
        hint=t("forms.cut_hint"),
    )


def _first_record(text: str, start: int = 0) -> str:
    """The header record (from ``start``): up to the first line break outside quotes."""
    quoted = False
    for index, char in enumerate(text[start : start + 200_000], start):
        if char == '"':
            quoted = not quoted
        elif char in "\r\n" and not quoted:
            return text[start:index]
    return text[start : start + 200_000]


# Records looked at for the separator: a title line above the headers holds none.
SNIFF_RECORDS = 10


def sniff_delimiter(text: str) -> str | None:
    """The separator of the header record: the first of the first ``SNIFF_RECORDS`` records
    that holds one (a title line, « Co-formation 2015 », and blank lines above the headers are
    passed over); None when none does."""
    start = 0
    for _ in range(SNIFF_RECORDS):
        header = _first_record(text, start)
        counts: dict[str, int] = {}
        quoted = False
        for char in header:
            if char == '"':
                quoted = not quoted
            elif not quoted and (char in DELIMITERS or char in OTHER_DELIMITERS):
                counts[char] = counts.get(char, 0) + 1
        if counts:
            break
        start += len(header)
        while start < len(text) and text[start] in "\r\n":
            start += 1
        if start >= len(text):
            return None
    else:
        return None
    # Ties go to the French-Excel order of DELIMITERS (";" first).
    usual = max(DELIMITERS, key=lambda d: (counts.get(d, 0), -DELIMITERS.index(d)))
    other = max(OTHER_DELIMITERS, key=lambda d: counts.get(d, 0))
    return other if counts.get(other, 0) > counts.get(usual, 0) else usual


def _csv_records(text: str, delimiter: str, file: str, limits: Limits) -> list[RawRow]:
    """Records with the line each starts on; a file cut inside quotes is refused."""
    for strict in (True, False):
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=strict)
        records: list[RawRow] = []
        total = 0
        start = 1  # the physical line a record starts on, for a file cut inside quotes
        try:
            # Rows are numbered as a spreadsheet shows them: one per record, even when a
            # quoted cell holds line breaks.
            for number, record in enumerate(reader, start=1):
                if len(record) > limits.columns:
                    raise too_big("columns", len(record), limits.columns, file)
                total += len(record)
                if total > limits.cells:
                    raise too_big("cells", total, limits.cells, file)
                cells = tuple(map(str.strip, record))
                if any(cells):
                    records.append(raw_row(number, cells))
                    if len(records) > limits.rows:
                        raise too_big("rows", len(records), limits.rows, file)
                start = reader.line_num + 1
        except csv.Error as exc:
            if "end of data" in str(exc) or "EOF" in str(exc):
                raise InputError(
                    t("forms.cut_in_quotes", line=start),
                    location=Location(file=file, line=start),
                    hint=t("forms.cut_hint"),
                ) from None
            if "field larger than field limit" in str(exc):
                raise _cell_too_long(text, delimiter, start, file) from None
            if strict:
                continue  # a stray quote inside a field: read it leniently
            raise InputError(
                t("intake.bad_csv", reason=str(exc)), location=Location(file=file, line=start)
            ) from None
        return records
    return []  # pragma: no cover - the lenient pass returns or raises


def _utf16_shaped(head: bytes) -> bool:
    """Text in UTF-16 without its byte-order mark: one byte in two, always on the same side,
    is NUL (the high byte of Latin letters), and the other side almost never."""
    even, odd = head[0::2], head[1::2]
    for zeros, letters in ((odd, even), (even, odd)):
        if zeros.count(0) * 10 >= len(zeros) * 9 and letters.count(0) * 20 <= len(letters):
            return True
    return False


def _cell_too_long(text: str, delimiter: str, line: int, file: str) -> InputError:
    """A cell over the csv module's limit (131,072 characters), with its line and column."""
    offset = 0
    end = "\n" if "\n" in text else "\r"
    for _ in range(line - 1):
        offset = text.find(end, offset) + 1
        if offset <= 0:
            offset = 0
            break
    limit = csv.field_size_limit()
    column, length = 1, limit + 1
    try:
        csv.field_size_limit(max(limit, len(text) + 1))
        cells = next(csv.reader(io.StringIO(text[offset:], newline=""), delimiter=delimiter), [])
        for index, cell in enumerate(cells, start=1):
            if len(cell) > limit:
                column, length = index, len(cell)
                break
    except csv.Error:
        pass
    finally:
        csv.field_size_limit(limit)
    return InputError(
        t("forms5.cell_too_long", column=column, limit=f"{limit:,}".replace(",", "\u202f"),
          length=f"{length:,}".replace(",", "\u202f")),
        location=Location(file=file, line=line),
        hint=t("forms5.cell_too_long_hint"),
    )  # fmt: skip


def _read_csv(raw: bytes, file: str, *, encoding: str | None, limits: Limits) -> Source:
    text, used = decode(raw, file, encoding)
    if "\x00" in text:
        text = text.replace("\x00", "")
    if not text.strip():
        raise InputError(
            t("intake.empty_file"), location=Location(file=file), hint=t("intake.empty_file_hint")
        )
    if "\x1b" not in text and has_invisible(text, raw, used):
        text = _INVISIBLE.sub("", text)
    delimiter = sniff_delimiter(text)
    records = _csv_records(text, delimiter or ";", file, limits)
    if not records:
        raise InputError(
            t("intake.empty_file"), location=Location(file=file), hint=t("intake.empty_file_hint")
        )
    # A file cut in the middle of its last row: shorter than the others, no final line break.
    last = records[-1]
    if len(records) > 1 and not text.endswith(("\n", "\r")):
        # A quote opened inside a cell and never closed: the csv module keeps it as text.
        if any(cell.count('"') % 2 for cell in last.cells):
            line = text.count("\n") + 1 if "\n" in text else text.count("\r") + 1
            raise InputError(
                t("forms.cut_stray_quote", line=line),
                location=Location(file=file, line=line),
                hint=t("forms.cut_hint"),
            )
        widths = sorted(len(r.cells) for r in records[1:-1]) or [len(records[0].cells)]
        usual = widths[len(widths) // 2]
        if len(last.cells) < usual:
            raise InputError(
                t("forms.cut_mid_row", line=last.number, found=len(last.cells), usual=usual),
                location=Location(file=file, line=last.number),
                hint=t("forms.cut_hint"),
            )
    if "\x1b" in text:  # escape sequences: cleaned cell by cell, never across cells
        cleaned = tuple(
            RawRow(r.number, tuple(clean_text(c).strip() for c in r.cells)) for r in records
        )
    else:  # invisible characters were removed from the whole text at once
        cleaned = tuple(records)
    return Source(file, (Grid(None, cleaned),), Detected("csv", used, delimiter))


_MARKUP = re.compile(r"<[/!]?[A-Za-z-][^<>]*>")  # a tag or comment, never across another


def clean_header(header: str) -> str:
    # A leftover BOM or non-breaking spaces break header matching (DOMAIN.md, frappe #22151).
    if "<" in header or "&" in header:  # LimeSurvey's question texts: « <p>Nom&nbsp;:</p> »
        header = html.unescape(_MARKUP.sub(" ", header))
    return " ".join(clean_text(header).replace("\u00a0", " ").split())


def trim_headers(headers: tuple[str, ...]) -> tuple[str, ...]:
    end = len(headers)
    while end and not headers[end - 1]:
        end -= 1
    return headers[:end]


def cell_text(value: Any) -> str:
    """A spreadsheet, JSON or TOML value as text: plain decimals, ISO dates."""
    if value is None:
        return ""
    if isinstance(value, str):
        value = clean_text(value)
        return " ".join(value.split()) if "\n" not in value else value.strip()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return repr(value)
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        number = Decimal(repr(value))
        if number == number.to_integral_value():
            return f"{number:f}" if abs(number) < Decimal("1e30") else repr(value)
        return f"{number:f}" if abs(number.adjusted()) < 30 else repr(value)
    if isinstance(value, Decimal):
        return f"{value:f}" if value.is_finite() and abs(value.adjusted()) < 30 else str(value)
    if isinstance(value, datetime):
        return (
            value.isoformat(sep="T", timespec="seconds")
            if value.time() != time(0)
            else value.date().isoformat()
        )
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    if isinstance(value, list | dict):
        return clean_text(json.dumps(value, ensure_ascii=False))
    return " ".join(clean_text(str(value)).split())


# --- JSON and TOML -----------------------------------------------------------------------


def _grid_from_objects(items: Any, file: str) -> Grid:
    where = Location(file=file)
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise InputError(
            t("intake.bad_rows_shape"), location=where, hint=t("intake.bad_rows_shape_hint")
        )
    headers: dict[str, None] = {}
    for item in items:
        for key in item:
            headers.setdefault(clean_header(str(key)), None)
    order = list(headers)
    rows = [RawRow(0, tuple(order))]
    for number, item in enumerate(items, start=1):
        cleaned = {clean_header(str(k)): v for k, v in item.items()}
        cells = tuple(cell_text(cleaned.get(h)) for h in order)
        if any(cells):
            rows.append(RawRow(number, cells))
    return Grid(None, tuple(rows))


def _read_json(raw: bytes, file: str) -> Source:
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
    except (RecursionError, ValueError):  # nesting; an integer of thousands of digits
        raise InputError(
            t("intake.bad_json", reason="nesting"), location=Location(file=file)
        ) from None
    if isinstance(data, dict) and "rows" in data:
        data = data["rows"]
    grid = _grid_from_objects(data, file)
    return Source(file, (grid,), Detected("json", "utf-8"), headed=True)


def _read_toml(raw: bytes, file: str) -> Source:
    import tomllib  # here only: 4 ms of every import otherwise (issue 16)

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
    except (RecursionError, ValueError):  # nesting; an integer of thousands of digits
        raise InputError(
            t("intake.bad_toml", reason="nesting"), location=Location(file=file)
        ) from None
    grid = _grid_from_objects(data.get("rows"), file)
    return Source(file, (grid,), Detected("toml", "utf-8"), headed=True)
