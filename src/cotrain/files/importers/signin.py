"""Typed sign-in sheets (feuilles d'émargement saisies), CSV or XLSX, in either layout:

- *rows*: one row per mark, with a session column (``Séance``: an id or ``22/01 matin``), a
  person column (id or name) and a status column (``Statut``: a code or a word);
- *grid*: the sheet project managers keep, one row per person (``Nom`` or ``Identifiant``,
  other columns such as ``Ville`` or ``Rôle`` ignored) and one column per half-day
  (``22/01 matin``, ``22/01 après-midi``, ``22/01/2015 AM``), cells holding codes (``x``, ``A``,
  ``E``, ``R``, ``D``; empty is absent). A half-day column with no mark at all is a session not
  signed in yet: it is skipped and said so.

Arrival and departure times (issue 11): in the rows layout, columns ``Arrivée`` / ``Départ``
(``Heure d'arrivée``, ``Arrival``, ``Departure``…); in a grid, a column per half-day that needs
them, named after it: ``22/01 matin arrivée``, ``22/01 matin départ`` (or ``Arrivée 22/01
matin``). Times read ``09:55``, ``9h55`` or ``9 h 55``; a present mark ("x") with an arrival
after the start becomes a late arrival.

This module only finds the layout and turns cells into :class:`SheetEntry` texts; resolving
sessions, people and statuses is the domain's job (``marks_from_entries``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cotrain.domain.attendance import SheetEntry, fold, parse_half_day_label
from cotrain.errors import InputError, Location
from cotrain.i18n import t

ID_HEADERS = {"id", "identifiant", "identifier", "person id", "id personne", "participant id"}
NAME_HEADERS = {
    "nom",
    "name",
    "nom prenom",
    "nom et prenom",
    "prenom nom",
    "prenom et nom",
    "participant",
    "participante",
    "participant e",
    "personne",
    "person",
    "stagiaire",
    "nom complet",
    "full name",
    "participants",
    "stagiaires",
}
FIRST_NAME_HEADERS = {"prenom", "first name", "firstname"}
LAST_NAME_HEADERS = {"nom", "last name", "lastname", "nom de famille", "surname"}
SESSION_HEADERS = {"seance", "session", "demi journee", "half day", "creneau", "session id"}
STATUS_HEADERS = {"statut", "status", "presence", "code", "emargement", "mark", "etat"}
TOTAL_ROWS = {"total", "totaux", "totals"}
# Arrival and departure times (issue 11): a column of their own in the rows layout, one column
# per half-day beside its status column in a grid ("22/01 matin arrivée", "Départ 22/01 matin").
ARRIVAL_WORDS = (
    "heure d arrivee",
    "heure arrivee",
    "arrivee",
    "arrival time",
    "arrival",
    "arrived",
)
DEPARTURE_WORDS = (
    "heure de depart",
    "heure depart",
    "depart",
    "departure time",
    "departure",
    "left at",
    "left",
)


def _time_kind(header: str) -> tuple[str, str] | None:
    """``("arrived" | "left", the rest of the header as typed)`` when a header names a time
    column: ``22/01 matin arrivée`` -> ``("arrived", "22/01 matin")``."""
    folded = fold(header)
    for kind, words in (("arrived", ARRIVAL_WORDS), ("left", DEPARTURE_WORDS)):
        for word in words:
            if folded == word:
                return kind, ""
            if not (folded.startswith(word + " ") or folded.endswith(" " + word)):
                continue
            rest = folded.removeprefix(word + " ").removesuffix(" " + word).strip()
            tokens = header.split()
            # the same words as typed: drop whole tokens from the side the time word was on
            while tokens and fold(" ".join(tokens)) != rest:
                tokens = tokens[1:] if folded.startswith(word + " ") else tokens[:-1]
            return kind, " ".join(tokens)
    return None


def _is_total(person: str) -> bool:
    """A "Total" row at the bottom of a grid (cheap test first: most names are longer)."""
    return len(person) <= 8 and fold(person) in TOTAL_ROWS


@dataclass
class SigninSheet:
    file: str
    layout: str  # "rows" or "grid"
    detected: str  # "CSV cp1252, ;" / "XLSX, sheet Feuil1"
    entries: list[SheetEntry] = field(default_factory=list)
    skipped_columns: list[str] = field(default_factory=list)
    empty_columns: list[str] = field(default_factory=list)


def read_signin(path: Path, *, header_row: int | None = None) -> SigninSheet:
    """Read a typed sign-in sheet and say which layout, encoding and delimiter were found;
    ``header_row``: the row of the column names, when it is not found alone (the row of the
    half-day words, in a grid whose dates are on the row above)."""
    table = _read(path, header_row=header_row)
    detected = table.detected
    if detected.format == "csv":
        delimiter = {"\t": "tab"}.get(detected.delimiter or "", detected.delimiter or "")
        described = f"CSV {detected.encoding}, « {delimiter} »"
    else:
        described = f"{detected.format.upper()}" + (f", {detected.sheet}" if detected.sheet else "")
    headers = [h.strip() for h in table.headers]
    folded = [fold(h) for h in headers]
    file = table.file

    def column(names: set[str]) -> int | None:
        return next((i for i, h in enumerate(folded) if h in names), None)

    id_col = column(ID_HEADERS)
    name_col = column(NAME_HEADERS)
    first_col = column(FIRST_NAME_HEADERS)
    last_col = column(LAST_NAME_HEADERS)
    session_col = column(SESSION_HEADERS)
    status_col = column(STATUS_HEADERS)
    time_of = {i: _time_kind(h) for i, h in enumerate(headers)}
    arrived_col = next((i for i, k in time_of.items() if k and k == ("arrived", "")), None)
    left_col = next((i for i, k in time_of.items() if k and k == ("left", "")), None)
    person_cols: list[int]
    if id_col is not None:
        person_cols = [id_col]
    elif first_col is not None and last_col is not None:
        person_cols = [first_col, last_col]
    elif name_col is not None:
        person_cols = [name_col]
    else:
        raise InputError(
            t("attendance.import.no_person_column"),
            location=Location(file=file, row=1),
            hint=t("attendance.import.no_person_column_hint"),
        )
    person_header = " + ".join(headers[i] for i in person_cols)

    def cell(cells: tuple[str, ...], index: int) -> str:
        return cells[index].strip() if index < len(cells) else ""

    def person_of(cells: tuple[str, ...]) -> str:
        if len(person_cols) == 1:
            return cell(cells, person_cols[0])
        return " ".join(part for part in (cell(cells, i) for i in person_cols) if part)

    sheet = SigninSheet(file=file, layout="rows", detected=described)
    if session_col is not None and status_col is not None:
        for row in table.rows:
            person = person_of(row.cells)
            session = cell(row.cells, session_col)
            status = cell(row.cells, status_col)
            if not (person or session or status) or _is_total(person):
                continue
            sheet.entries.append(
                SheetEntry(
                    session=session,
                    person=person,
                    status=status,
                    where=Location(file=file, row=row.number, column=headers[status_col]),
                    session_where=Location(file=file, row=row.number, column=headers[session_col]),
                    person_where=Location(file=file, row=row.number, column=person_header),
                    **_times(file, row, headers, arrived_col, left_col),
                )
            )
        return sheet

    half_day_cols = [
        i
        for i, h in enumerate(headers)
        if i not in person_cols and parse_half_day_label(h) is not None
    ]
    if not half_day_cols:
        raise InputError(
            t("attendance.import.no_layout"),
            location=Location(file=file, row=1),
            hint=t("attendance.import.no_layout_hint"),
        )
    sheet.layout = "grid"
    # Time columns of a half-day: "22/01 matin arrivée" -> the column of "22/01 matin".
    label_of = {i: parse_half_day_label(headers[i]) for i in half_day_cols}
    time_cols: dict[int, dict[str, int]] = {}
    for i, kind in time_of.items():
        if kind is None or i in person_cols or not kind[1]:
            continue
        label = parse_half_day_label(kind[1])
        owner = next((j for j, other in label_of.items() if other == label), None)
        if label is not None and owner is not None:
            time_cols.setdefault(owner, {})[kind[0]] = i
    used_time_cols = {i for cols in time_cols.values() for i in cols.values()}
    sheet.skipped_columns = [
        h
        for i, h in enumerate(headers)
        if h and i not in person_cols and i not in half_day_cols and i not in used_time_cols
    ]
    rows = [
        row
        for row in table.rows
        if any(cell(row.cells, i) for i in (*person_cols, *half_day_cols))
        and not _is_total(person_of(row.cells))
    ]
    for index in half_day_cols:
        header = headers[index]
        if not any(cell(row.cells, index) for row in rows):
            sheet.empty_columns.append(header)
            continue
        header_where = Location(file=file, row=1, column=header)
        own = time_cols.get(index, {})
        for row in rows:
            sheet.entries.append(
                SheetEntry(
                    session=header,
                    person=person_of(row.cells),
                    status=cell(row.cells, index),
                    where=Location(file=file, row=row.number, column=header),
                    session_where=header_where,
                    person_where=Location(file=file, row=row.number, column=person_header),
                    **_times(file, row, headers, own.get("arrived"), own.get("left")),
                )
            )
    return sheet


def _times(
    file: str, row: Any, headers: list[str], arrived_col: int | None, left_col: int | None
) -> dict[str, Any]:
    """The arrival and departure cells of a row (texts and where they are), if any."""
    out: dict[str, Any] = {}
    for name, index in (("arrived", arrived_col), ("left", left_col)):
        if index is None:
            continue
        text = row.cells[index].strip() if index < len(row.cells) else ""
        out[name] = text
        out[f"{name}_where"] = Location(file=file, row=row.number, column=headers[index])
    return out


# --- reading -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Detected:
    format: str
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None


@dataclass(frozen=True)
class _Row:
    number: int
    cells: tuple[str, ...]


@dataclass(frozen=True)
class _Table:
    file: str
    headers: tuple[str, ...]
    rows: tuple[_Row, ...]
    detected: _Detected


def _read(path: Path, header_row: int | None = None) -> Any:
    """The shared tabular reader of the intake area, or a minimal CSV/XLSX reader of our own.

    A grid typed with the date on one row, merged over « Matin | Après-midi » on the row below
    (what a project manager keeps), is read with its two header rows joined: « Mardi
    24/11/2026 Matin »."""
    try:
        from cotrain.files.importers.tabular import read_bytes, read_source, read_table
    except ImportError:  # pragma: no cover - the intake area ships with the tool
        return _read_minimal(path)
    if str(path) != "-":
        raw = read_bytes(path)
        source = read_source(raw, path.name, suffix=path.suffix)
        two_rows = _two_row_grid(source, header_row)
        if two_rows is not None:
            return two_rows
    return read_table(path, header_row=header_row)


def _halves(cells: tuple[str, ...]) -> list[int]:
    """The columns of a row that name a half-day alone (« Matin », « Après-midi », « AM »)."""
    from cotrain.domain.attendance import _HALF_WORDS

    return [i for i, c in enumerate(cells) if c.strip() and fold(c) in _HALF_WORDS]


def _two_row_grid(source: Any, header_row: int | None = None) -> _Table | None:
    """A grid whose half-days are named over two header rows (a date merged over the half-day
    words below it); None when the file is not one. The person columns' names are on either
    row; a date cell stands for every column to its right until the next date."""
    if source.headed or not source.grids:
        return None
    grid = next((g for g in source.grids if g.records), None)
    if grid is None:
        return None
    records = grid.records[:20]
    for k in range(len(records) - 1):
        top, below = records[k], records[k + 1]
        halves = _halves(below.cells)
        if len(halves) < 2 or below.number != top.number + 1:
            continue
        if header_row is not None and header_row not in (top.number, below.number):
            continue
        width = max(len(top.cells), len(below.cells))
        upper = [top.cells[i].strip() if i < len(top.cells) else "" for i in range(width)]
        lower = [below.cells[i].strip() if i < len(below.cells) else "" for i in range(width)]
        if not any(parse_half_day_label(u) for u in upper if u):
            continue
        headers: list[str] = []
        day = ""
        for i in range(width):
            if upper[i] and parse_half_day_label(upper[i]) is not None:
                day = upper[i]
            elif upper[i]:
                day = ""
            if i in halves and day:
                headers.append(f"{day} {lower[i]}")
            else:
                headers.append(upper[i] or lower[i])
        rows = tuple(
            _Row(r.number, tuple(r.cells)) for r in grid.records if r.number > below.number
        )
        detected = _Detected(
            format=source.detected.format,
            encoding=source.detected.encoding,
            delimiter=source.detected.delimiter,
            sheet=grid.name,
        )
        return _Table(source.file, tuple(headers), rows, detected)
    return None


def _read_minimal(path: Path) -> _Table:  # pragma: no cover - see _read
    import csv
    import io

    try:
        raw = path.read_bytes()
    except OSError as exc:
        from cotrain.files.store import os_reason

        raise InputError(
            t("attendance.import.unreadable", file=str(path), reason=os_reason(exc))
        ) from None
    if raw.startswith(b"PK\x03\x04"):
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
        sheet = book[book.sheetnames[0]]
        records = []
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = tuple(
                ""
                if v is None
                else (v.date().isoformat() if hasattr(v, "date") and v.time().hour == 0 else str(v))
                for v in values
            )
            if any(cells):
                records.append(_Row(number, cells))
        book.close()
        detected = _Detected("xlsx", sheet=sheet.title)
    else:
        for encoding in ("utf-8-sig", "cp1252"):
            try:
                text = raw.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        first = text.splitlines()[0] if text else ""
        delimiter = max((";", ",", "\t"), key=first.count)
        records = [
            _Row(number, tuple(cells))
            for number, cells in enumerate(
                csv.reader(io.StringIO(text), delimiter=delimiter), start=1
            )
            if any(c.strip() for c in cells)
        ]
        detected = _Detected("csv", encoding=encoding, delimiter=delimiter)
    if not records:
        raise InputError(t("attendance.import.empty"), location=Location(file=path.name))
    return _Table(
        path.name, tuple(c.strip() for c in records[0].cells), tuple(records[1:]), detected
    )
