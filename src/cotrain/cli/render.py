"""The one object owning terminal output (STYLE.md): consoles, tables, JSON, errors.

rich is imported lazily: it is needed only when a command prints a table.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from itertools import repeat
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

    from cotrain.errors import CotrainError


def _width() -> int | None:
    value = os.environ.get("COLUMNS")
    return int(value) if value and value.isdigit() else None


def keep_no_break_spaces() -> None:
    """Make rich wrap lines at ordinary spaces only: French typography puts no-break spaces in
    « 9 h 30 », « 500,00 € » and before « : », and a table must not break there. (rich counts
    every Unicode space as a break; its word pattern is the one place that decides it.)"""
    import re

    from rich import _wrap

    if hasattr(_wrap, "re_word"):
        _wrap.re_word = re.compile(r"[ \t\n\r\f\v]*[^ \t\n\r\f\v]+[ \t\n\r\f\v]*")


def console(*, stderr: bool = False) -> Console:
    """A console bound to the current stdout/stderr (tests swap them)."""
    from rich.console import Console

    keep_no_break_spaces()

    return Console(
        file=sys.stderr if stderr else sys.stdout,
        width=_width(),
        highlight=False,
        soft_wrap=False,
        no_color=bool(os.environ.get("NO_COLOR")),
    )


def echo(text: str = "", *, stderr: bool = False) -> None:
    from cotrain.cli.common import quiet_enabled

    if quiet_enabled() and not stderr:  # ``cotrain --quiet``: no messages (issue 15)
        return
    stream = sys.stderr if stderr else sys.stdout
    stream.write(text + "\n")


def print_error(exc: CotrainError) -> None:
    echo(exc.render(), stderr=True)


def print_notices(notices: Iterable[str]) -> None:
    for notice in notices:
        echo(notice, stderr=True)


def emit_json(data: Any) -> None:
    """Machine-readable output: UTF-8, stable key order as given, dates as ISO strings."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def table(
    title: str,
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    optional: Sequence[int] = (),
    **kwargs: Any,
) -> Table:
    """A table for the terminal. ``optional``: indexes of the columns of least value, dropped
    first (and said below the table) when the terminal is too narrow to show every word whole."""
    from rich.table import Table

    tbl = Table(title=title, title_justify="left", **kwargs)
    for column in columns:
        tbl.add_column(column)
    for row in rows:
        tbl.add_row(*(str(cell) for cell in row))
    mark_optional(tbl, optional)
    return tbl


def mark_optional(tbl: Table, indexes: Sequence[int]) -> None:
    """Name the columns :func:`show` may drop on a narrow terminal, least valuable first."""
    tbl.cotrain_optional = list(indexes)  # type: ignore[attr-defined]


# Above this many rows a table is printed by a plain aligned-text renderer: rich lays out every
# cell and needs seconds for thousands of rows (issue 6: check of 10,000 applications under 2 s).
LARGE_TABLE_ROWS = 200


class PlainColumn:
    """A column of a :class:`PlainTable`: what :func:`plain_table` reads of rich's columns."""

    def __init__(self, header: str, justify: str) -> None:
        self.header = header
        self.justify = justify
        self._cells: list[Any] = []


class PlainTable:
    """A table of more than ``LARGE_TABLE_ROWS`` rows, built without importing rich (issue 16:
    rich's import is a tenth of ``check``'s time for 2,000 cities, which print as plain text
    anyway). Takes rich's ``add_column``/``add_row`` calls; :func:`show` prints it as
    :func:`plain_table` prints a large rich table, the same text."""

    show_header = True

    def __init__(self, title: str = "") -> None:
        self.title = title
        self.columns: list[PlainColumn] = []
        self.row_count = 0

    def add_column(self, header: str = "", *, justify: str = "left", **_layout: Any) -> None:
        self.columns.append(PlainColumn(header, justify))

    def add_row(self, *cells: Any) -> None:
        for column, cell in zip(self.columns, cells, strict=True):
            column._cells.append(cell)
        self.row_count += 1


def show(*renderables: Any) -> None:
    if all(isinstance(item, PlainTable) for item in renderables):
        for item in renderables:
            echo(plain_table(item))
        return
    from rich.table import Table

    out = console()
    for item in renderables:
        if isinstance(item, PlainTable) or (
            isinstance(item, Table) and item.row_count > LARGE_TABLE_ROWS
        ):
            echo(plain_table(item))
        elif isinstance(item, Table) and item.columns:
            for part in fit_table(item, out):
                out.print(part)
        else:
            out.print(item)


def _measure(tbl: Table) -> list[tuple[int, int]]:
    """Each column's (narrowest, widest) width, padding included: the narrowest keeps every
    word whole (the longest word; the whole text of a no-wrap column)."""
    import re

    from rich.cells import cell_len

    ranges = []
    for index, column in enumerate(tbl.columns):
        texts = [_plain(column.header), *(_plain(cell) for cell in column._cells)]
        lines = [line for text in texts for line in text.splitlines()] or [""]
        high = max(cell_len(line) for line in lines)
        words = [w for line in lines for w in re.split(r"[ \t]+", line) if w]
        low = high if column.no_wrap else max((cell_len(w) for w in words), default=1)
        if column.min_width:
            low, high = max(low, column.min_width), max(high, column.min_width)
        padding = tbl._get_padding_width(index)
        ranges.append((max(low, 1) + padding, max(high, 1) + padding))
    return ranges


def fit_table(tbl: Table, out: Console) -> list[Any]:
    """What to print for ``tbl`` so that no word is cut on this terminal (issue 15: "long
    tables wrap readably on 100 columns").

    rich shrinks the widest columns past their longest word when a table is too wide, then
    cuts words ("professionne…", "Ka…"). Instead: the columns get at least their longest word,
    the space left is shared by how much each has to wrap; when even that cannot fit, the
    table's optional columns are dropped (and named below it); when it still cannot, each row
    is shown as a record (the first cell as a heading, then "column  value" lines).
    """
    keep_no_break_spaces()
    width = out.width
    optional = list(getattr(tbl, "cotrain_optional", []))
    dropped: list[str] = []
    while True:
        ranges = _measure(tbl)
        room = width - tbl._extra_width
        narrowest = sum(low for low, _ in ranges)
        widest = sum(high for _, high in ranges)
        if widest <= room:
            break
        if narrowest <= room:
            _share_widths(tbl, ranges, room)
            break
        if optional:
            index = optional.pop(0)
            dropped.append(_plain(tbl.columns[index].header))
            tbl.columns.pop(index)
            for i, column in enumerate(tbl.columns):
                column._index = i
            optional = [i - 1 if i > index else i for i in optional]
            continue
        return [*_records(tbl), *_dropped_note(dropped)]
    return [tbl, *_dropped_note(dropped)]


def _share_widths(tbl: Table, ranges: list[tuple[int, int]], room: int) -> None:
    """Fix each column's width: its longest word, plus a fair share of what is left (columns
    that need little get all they need; the others share the rest equally)."""
    widths = [low for low, _ in ranges]
    wants = [high - low for low, high in ranges]
    spare = room - sum(widths)
    order = sorted(range(len(widths)), key=lambda i: wants[i])
    for done, i in enumerate(order):
        give = min(wants[i], spare // (len(order) - done))
        widths[i] += give
        spare -= give
    for i in order:  # what integer division left over
        if spare <= 0:
            break
        if widths[i] < ranges[i][1]:
            widths[i] += 1
            spare -= 1
    for i, column in enumerate(tbl.columns):
        column.width = max(1, widths[i] - tbl._get_padding_width(i))
        column.overflow = "fold"  # a last resort: a word wider than the column, never "…"


def _dropped_note(dropped: list[str]) -> list[str]:
    if not dropped:
        return []
    from cotrain.i18n import t

    key = "render.column_dropped" if len(dropped) == 1 else "render.columns_dropped"
    return [t(key, columns=", ".join(dropped))]


def _records(tbl: Table) -> list[Any]:
    """A table too wide for the terminal, one row at a time: the first cell as a heading, then
    one line per other column (header, value), values wrapping at word boundaries."""
    from rich.padding import Padding
    from rich.table import Table
    from rich.text import Text

    headers = [_plain(c.header) for c in tbl.columns]
    cells = [list(c._cells) for c in tbl.columns]
    parts: list[Any] = []
    if tbl.title:
        parts.append(Text(_plain(tbl.title)))
    for row in range(tbl.row_count):
        parts.append(Text(_plain(cells[0][row]), style="bold"))
        grid = Table.grid(padding=(0, 2))
        grid.add_column(no_wrap=True)
        grid.add_column(overflow="fold")
        for index in range(1, len(headers)):
            grid.add_row(headers[index], cells[index][row])
        parts.append(Padding(grid, (0, 0, 0, 2)))
    return parts
def _plain(cell: Any) -> str:
    if isinstance(cell, str):
        if "[" not in cell:
            return cell
        from rich.markup import render

        return render(cell).plain
    plain = getattr(cell, "plain", None)
    return plain if isinstance(plain, str) else str(cell)


def plain_table(tbl: Table | PlainTable) -> str:
    """A rich Table as aligned plain text: title, header, rule, one line per row."""
    columns = tbl.columns
    headers = [_plain(column.header) for column in columns]
    cells = [
        [c if type(c) is str and "[" not in c else _plain(c) for c in column._cells]
        for column in columns
    ]
    widths = [
        max([len(header), *map(len, values)]) for header, values in zip(headers, cells, strict=True)
    ]
    # Each column padded at once (a table of 2,000 cities: issue 16), then joined row by row.
    pads = [_PADS.get(column.justify, str.ljust) for column in columns]
    padded = [
        list(map(pad, values, repeat(width, len(values))))
        for pad, values, width in zip(pads, cells, widths, strict=True)
    ]
    out = []
    if tbl.title:
        out.append(_plain(tbl.title))
    if tbl.show_header:
        out.append("  ".join(map(_pad, pads, headers, widths)).rstrip())
        out.append("  ".join("─" * width for width in widths))
    out.extend("  ".join(parts).rstrip() for parts in zip(*padded, strict=True))
    return "\n".join(out)


_PADS = {"right": str.rjust, "center": str.center}


def _pad(pad: Callable[[str, int], str], text: str, width: int) -> str:
    return pad(text, width)
