"""The one object owning terminal output (STYLE.md): consoles, tables, JSON, errors.

rich is imported lazily: it is needed only when a command prints a table.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

    from cotrain.errors import CotrainError


def _width() -> int | None:
    value = os.environ.get("COLUMNS")
    return int(value) if value and value.isdigit() else None


def console(*, stderr: bool = False) -> Console:
    """A console bound to the current stdout/stderr (tests swap them)."""
    from rich.console import Console

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
    title: str, columns: Sequence[str], rows: Iterable[Sequence[Any]], **kwargs: Any
) -> Table:
    from rich.table import Table

    tbl = Table(title=title, title_justify="left", **kwargs)
    for column in columns:
        tbl.add_column(column)
    for row in rows:
        tbl.add_row(*(str(cell) for cell in row))
    return tbl


# Above this many rows a table is printed by a plain aligned-text renderer: rich lays out every
# cell and needs seconds for thousands of rows (issue 6: check of 10,000 applications under 2 s).
LARGE_TABLE_ROWS = 200


def show(*renderables: Any) -> None:
    from rich.table import Table

    out = console()
    for item in renderables:
        if isinstance(item, Table) and item.row_count > LARGE_TABLE_ROWS:
            echo(plain_table(item))
        else:
            out.print(item)


def _plain(cell: Any) -> str:
    if isinstance(cell, str):
        if "[" not in cell:
            return cell
        from rich.markup import render

        return render(cell).plain
    plain = getattr(cell, "plain", None)
    return plain if isinstance(plain, str) else str(cell)


def plain_table(tbl: Table) -> str:
    """A rich Table as aligned plain text: title, header, rule, one line per row."""
    columns = tbl.columns
    headers = [_plain(column.header) for column in columns]
    cells = [[_plain(cell) for cell in column._cells] for column in columns]
    widths = [
        max([len(header), *(len(value) for value in values)])
        for header, values in zip(headers, cells, strict=True)
    ]

    def line(values: list[str]) -> str:
        parts = []
        for column, value, width in zip(columns, values, widths, strict=True):
            if column.justify == "right":
                parts.append(value.rjust(width))
            elif column.justify == "center":
                parts.append(value.center(width))
            else:
                parts.append(value.ljust(width))
        return "  ".join(parts).rstrip()

    out = []
    if tbl.title:
        out.append(_plain(tbl.title))
    if tbl.show_header:
        out.append(line(headers))
        out.append("  ".join("─" * width for width in widths))
    out.extend(line(list(row)) for row in zip(*cells, strict=True))
    return "\n".join(out)
