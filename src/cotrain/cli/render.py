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


def table(title: str, columns: Sequence[str], rows: Iterable[Sequence[Any]], **kwargs: Any) -> Table:
    from rich.table import Table

    tbl = Table(title=title, title_justify="left", **kwargs)
    for column in columns:
        tbl.add_column(column)
    for row in rows:
        tbl.add_row(*(str(cell) for cell in row))
    return tbl


def show(*renderables: Any) -> None:
    out = console()
    for item in renderables:
        out.print(item)
