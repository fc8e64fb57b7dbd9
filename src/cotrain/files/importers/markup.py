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
# A web page of 10,000 answers with 15 questions has some 330,000 tags and a few tables.
MAX_TAGS = 1_000_000
MAX_TABLES = 1_000


def looks_like_xml_spreadsheet(head: bytes) -> bool:
    return XML_SPREADSHEET in head or b'progid="excel.sheet"' in head.lower()


def looks_like_html(head: bytes) -> bool:
    head = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith(b"<") and (
        b"<table" in head or b"<html" in head or b"<!doctype html" in head
    )


class _Grid:
    """Rows being filled. A merged cell is kept as a rectangle, applied to the rows that
    exist as they come: a cell spanning a thousand rows costs nothing for rows never written."""

    def __init__(self, file: str, limits: Limits) -> None:
        self.file, self.limits = file, limits
        self.rows: list[list[str]] = []
        self.spans: list[tuple[int, int, int, str]] = []  # last row, left, right, text
        self._covered: dict[int, str] = {}
        self.cells = 0  # of the rows ended

    def new_row(self, index: int | None = None) -> None:
        target = len(self.rows) if index is None else max(index, len(self.rows))
        if target >= self.limits.rows:
            raise too_big("rows", target + 1, self.limits.rows, self.file)
        while len(self.rows) <= target:
            self.rows.append([])
            self._covered = self._cover(len(self.rows) - 1)

    def _cover(self, row_index: int) -> dict[int, str]:
        """The columns of this row that merged cells from above cover, with their text."""
        self.spans = [s for s in self.spans if s[0] >= row_index]
        covered: dict[int, str] = {}
        for _, left, right, text in self.spans:
            for column in range(left, right + 1):
                covered.setdefault(column, text)
        return covered

    def put(self, text: str, column: int | None, across: int, down: int) -> None:
        """A cell in the current row at ``column`` (default: the next free one), spread over
        ``across`` more columns and ``down`` more rows."""
        row_index = len(self.rows) - 1
        row = self.rows[row_index]
        position = len(row) if column is None else max(column, len(row))
        while column is None and position in self._covered:
            position += 1
        across, down = min(across, _SPAN_MAX), min(down, _SPAN_MAX)
        if position + across >= self.limits.columns:
            raise too_big("columns", position + across + 1, self.limits.columns, self.file)
        if self.cells + position + across + 1 > self.limits.cells:
            raise too_big("cells", self.cells + position + across + 1, self.limits.cells, self.file)
        self._pad(row, position)
        row.extend([text] * (across + 1))
        if down:
            self.spans.append((row_index + down, position, position + across, text))

    def _pad(self, row: list[str], column: int) -> None:
        while len(row) < column:  # columns skipped: what a merged cell above covers, or empty
            row.append(self._covered.get(len(row), ""))

    def end_row(self) -> None:
        row = self.rows[-1]
        if self._covered:
            self._pad(row, max(self._covered) + 1)
        self.cells += len(row)
        if self.cells > self.limits.cells:
            raise too_big("cells", self.cells, self.limits.cells, self.file)

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
    lowered = text.lower()  # bounds before parsing: html.parser reads 1 MB a second or so
    if lowered.count("<tr") > limits.rows:
        raise too_big("rows", lowered.count("<tr"), limits.rows, file)
    cells = lowered.count("<td") + lowered.count("<th")
    if cells > limits.cells:
        raise too_big("cells", cells, limits.cells, file)
    tags = lowered.count("<")  # html.parser takes about 20 µs a tag: 30 s is 1.5 million
    if tags > MAX_TAGS:
        raise too_big("tags", tags, MAX_TAGS, file)
    if lowered.count("<table") > MAX_TABLES:
        raise too_big("tables", lowered.count("<table"), MAX_TABLES, file)
    del lowered
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
    """An "XML Spreadsheet 2003" file: each ``<Worksheet>`` a sheet, read row by row (a row
    is dropped from memory once read, and a limit stops the reading where it is crossed)."""
    import io
    from xml.etree.ElementTree import ParseError

    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import iterparse

    grids: list[Grid] = []
    grid: _Grid | None = None
    name: str | None = None
    try:
        for event, element in iterparse(
            io.BytesIO(raw), events=("start", "end"), forbid_dtd=True
        ):
            tag = element.tag
            if event == "start":
                if tag == f"{_SS}Worksheet":
                    grid, name = _Grid(file, limits), element.get(f"{_SS}Name") or None
                elif tag == f"{_SS}Row" and grid is not None:
                    index = _index(element.get(f"{_SS}Index"))
                    grid.new_row(None if index is None else index - 1)
                continue
            if grid is None:
                continue
            if tag == f"{_SS}Cell" and grid.rows:  # each cell as it ends: limits stop early
                column = _index(element.get(f"{_SS}Index"))
                data = element.find(f"{_SS}Data")
                grid.put(
                    cell_text("" if data is None else "".join(data.itertext())),
                    None if column is None else column - 1,
                    _index(element.get(f"{_SS}MergeAcross")) or 0,
                    _index(element.get(f"{_SS}MergeDown")) or 0,
                )
                element.clear()
            elif tag == f"{_SS}Row" and grid.rows:
                grid.end_row()
                element.clear()
            elif tag == f"{_SS}Worksheet":
                grids.append(grid.grid(name))
                grid = None
                element.clear()
    except (ParseError, DefusedXmlException, ValueError):
        raise InputError(
            t("intake.bad_xlsx", reason="xml"),
            location=Location(file=file),
            hint=t("forms.bad_workbook_hint"),
        ) from None
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
