"""Tables saved as markup under a workbook's name (issue 16).

Many web tools "export to Excel" by writing an HTML page holding one ``<table>`` and naming
it ``.xls``; Excel also saves "XML Spreadsheet 2003" files (``.xml`` or ``.xls``). Both are read
here as grids, like any sheet: each ``<table>`` (HTML) or ``<Worksheet>`` (XML) is a sheet,
merged cells (``colspan``/``rowspan``, ``ss:MergeAcross``/``ss:MergeDown``) fill every cell
they cover, and the sizes are checked against :class:`Limits` while reading, so that a
hostile page cannot grow a grid past them. HTML is read by the standard library's tolerant
parser; XML by defusedxml, which refuses entity declarations (no "billion laughs").
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from cotrain.errors import InputError, Location
from cotrain.files.importers.tabular import (
    Detected,
    Grid,
    Limits,
    RawRow,
    Source,
    cell_text,
    decode,
    too_big,
)
from cotrain.i18n import t

XML_SPREADSHEET = b"urn:schemas-microsoft-com:office:spreadsheet"
_SS = "{urn:schemas-microsoft-com:office:spreadsheet}"
_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_\-]+)", re.IGNORECASE)
_SPAN_MAX = 1000  # a colspan or rowspan larger than this is a mistake or an attack


def looks_like_xml_spreadsheet(head: bytes) -> bool:
    return XML_SPREADSHEET in head or b'progid="excel.sheet"' in head.lower()


def looks_like_html(head: bytes) -> bool:
    head = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith(b"<") and (
        b"<table" in head or b"<html" in head or b"<!doctype html" in head
    )


class _Grid:
    """Rows being filled, with cells covered by an earlier merged cell kept apart."""

    def __init__(self, file: str, limits: Limits) -> None:
        self.file, self.limits = file, limits
        self.rows: list[list[str]] = []
        self.pending: dict[tuple[int, int], str] = {}  # (row, column) -> text from above
        self.cells = 0

    def new_row(self, index: int | None = None) -> None:
        target = len(self.rows) if index is None else max(index, len(self.rows))
        if target >= self.limits.rows:
            raise too_big("rows", target + 1, self.limits.rows, self.file)
        while len(self.rows) <= target:
            self.rows.append([])

    def put(self, text: str, column: int | None, across: int, down: int) -> None:
        """A cell in the current row at ``column`` (default: the next free one), spread over
        ``across`` more columns and ``down`` more rows."""
        row_index = len(self.rows) - 1
        row = self.rows[row_index]
        position = len(row) if column is None else max(column, len(row))
        while (row_index, position) in self.pending and column is None:
            position += 1
        across, down = min(across, _SPAN_MAX), min(down, _SPAN_MAX)
        if position + across >= self.limits.columns:
            raise too_big("columns", position + across + 1, self.limits.columns, self.file)
        self.cells += (across + 1) * (down + 1)
        if self.cells > self.limits.cells:
            raise too_big("cells", self.cells, self.limits.cells, self.file)
        for c in range(position, position + across + 1):
            self._set(row, c, text)
            for r in range(row_index + 1, row_index + down + 1):
                self.pending[(r, c)] = text

    def _set(self, row: list[str], column: int, text: str) -> None:
        row_index = len(self.rows) - 1
        while len(row) < column:  # columns skipped: filled from above, else empty
            row.append(self.pending.pop((row_index, len(row)), ""))
        if len(row) == column:
            row.append(text)
        else:
            row[column] = text

    def end_row(self) -> None:
        row_index = len(self.rows) - 1
        row = self.rows[row_index]
        for (r, c), text in sorted(self.pending.items()):
            if r == row_index and c >= len(row):
                self._set(row, c, text)
        for key in [k for k in self.pending if k[0] <= row_index]:
            text = self.pending.pop(key)
            if key[1] < len(row) and not row[key[1]]:
                row[key[1]] = text

    def grid(self, name: str | None) -> Grid:
        records = tuple(
            RawRow(number, tuple(cells))
            for number, cells in enumerate(self.rows, start=1)
            if any(cells)
        )
        return Grid(name, records)


class _TableParser(HTMLParser):
    def __init__(self, file: str, limits: Limits) -> None:
        super().__init__(convert_charrefs=True)
        self.file, self.limits = file, limits
        self.tables: list[_Grid] = []
        self.stack: list[_Grid] = []  # nested tables: the innermost is filled
        self.text: list[str] | None = None
        self.span = (0, 0)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            grid = _Grid(self.file, self.limits)
            self.tables.append(grid)
            self.stack.append(grid)
        elif not self.stack:
            return
        elif tag == "tr":
            self._close_cell()
            if self.stack[-1].rows:
                self.stack[-1].end_row()
            self.stack[-1].new_row()
        elif tag in ("td", "th"):
            self._close_cell()
            if not self.stack[-1].rows:
                self.stack[-1].new_row()
            values = dict(attrs)
            self.span = (_span(values.get("colspan")) - 1, _span(values.get("rowspan")) - 1)
            self.text = []
        elif tag in ("br", "p", "div", "li") and self.text is not None:
            self.text.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if not self.stack:
            return
        if tag in ("td", "th"):
            self._close_cell()
        elif tag == "tr":
            self._close_cell()
        elif tag == "table":
            self._close_cell()
            grid = self.stack.pop()
            if grid.rows:
                grid.end_row()

    def handle_data(self, data: str) -> None:
        if self.text is not None:
            self.text.append(data)

    def _close_cell(self) -> None:
        if self.text is None or not self.stack:
            return
        text = cell_text("".join(self.text).replace("\u00a0", " "))
        self.text = None
        self.stack[-1].put(text, None, *self.span)


def _span(value: str | None) -> int:
    try:
        return max(1, int((value or "1").strip()))
    except ValueError:
        return 1


def read_html(raw: bytes, file: str, *, encoding: str | None, limits: Limits) -> Source:
    """Every ``<table>`` of a web page saved as ``.xls``, as sheets (the largest first)."""
    declared = _CHARSET.search(raw[:4096])
    if encoding is None and declared is not None:
        try:
            text = raw.decode(declared.group(1).decode("ascii"))
            used = declared.group(1).decode("ascii").lower()
        except (LookupError, UnicodeDecodeError):
            text, used = decode(raw, file, None)
    else:
        text, used = decode(raw, file, encoding)
    parser = _TableParser(file, limits)
    try:
        parser.feed(text)
        parser.close()
    except (AssertionError, ValueError):  # html.parser's own refusals of broken markup
        raise InputError(
            t("intake.bad_xlsx", reason="html"),
            location=Location(file=file),
            hint=t("forms.bad_workbook_hint"),
        ) from None
    if parser.stack:  # a table never closed: the page was cut (a download stopped)
        raise InputError(
            t("forms.cut_html"), location=Location(file=file), hint=t("forms.cut_hint")
        )
    tables = [g for g in parser.tables if any(any(r) for r in g.rows)]
    if not tables:
        raise InputError(
            t("forms.html_no_table"), location=Location(file=file), hint=t("forms.html_table_hint")
        )
    tables.sort(key=lambda g: -sum(1 for r in g.rows if any(r)))
    grids = tuple(
        g.grid(None if len(tables) == 1 else t("forms.html_table_name", number=n))
        for n, g in enumerate(tables, start=1)
    )
    return Source(file, grids, Detected("html", used, sheet=grids[0].name))


def read_xml_spreadsheet(raw: bytes, file: str, *, limits: Limits) -> Source:
    """An "XML Spreadsheet 2003" file: each ``<Worksheet>`` a sheet."""
    from xml.etree.ElementTree import ParseError

    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    try:
        root = fromstring(raw, forbid_dtd=True)
    except (ParseError, DefusedXmlException, ValueError):
        raise InputError(
            t("intake.bad_xlsx", reason="xml"),
            location=Location(file=file),
            hint=t("forms.bad_workbook_hint"),
        ) from None
    grids = []
    for sheet in root.iter(f"{_SS}Worksheet"):
        name = sheet.get(f"{_SS}Name") or None
        grid = _Grid(file, limits)
        for table in sheet.iter(f"{_SS}Table"):
            for row in table.iter(f"{_SS}Row"):
                index = _index(row.get(f"{_SS}Index"))
                grid.new_row(None if index is None else index - 1)
                for cell in row.iter(f"{_SS}Cell"):
                    column = _index(cell.get(f"{_SS}Index"))
                    data = cell.find(f"{_SS}Data")
                    text = "" if data is None else "".join(data.itertext())
                    grid.put(
                        cell_text(text),
                        None if column is None else column - 1,
                        _index(cell.get(f"{_SS}MergeAcross")) or 0,
                        _index(cell.get(f"{_SS}MergeDown")) or 0,
                    )
                grid.end_row()
        grids.append(grid.grid(name))
    if not any(g.records for g in grids):
        raise InputError(
            t("intake.empty_file"), location=Location(file=file), hint=t("intake.empty_file_hint")
        )
    return Source(file, tuple(grids), Detected("xml", sheet=grids[0].name))


def _index(value: str | None) -> int | None:
    if value is None:
        return None
    try:
        return max(0, min(int(value.strip()), 1 << 20))
    except ValueError:
        return None
