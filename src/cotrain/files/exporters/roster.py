"""Rosters as text: CSV (French Excel or plain), JSON, TOML, Markdown, HTML, terminal tables.

Rows come from :mod:`cotrain.domain.timetable` with stable English keys and raw values.
JSON and TOML keep them so (scripts read them across languages); CSV, Markdown, HTML and
tables show translated headers and labels, dates and times the way the reader writes them.
"""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from datetime import date
from datetime import time as dtime
from typing import Any

from cotrain.i18n import format_date, format_time_range, t
from cotrain.i18n import format_time as i18n_format_time

FORMATS = ("table", "csv", "json", "toml", "md", "html")

# What people read in the grouped views (table, md, html), by view.
SESSION_DISPLAY = ("group", "room", "trainers", "name", "role", "place")
ENTRY_DISPLAY = ("date", "times", "title", "group", "room", "trainers")


def format_time(value: dtime) -> str:
    return i18n_format_time(value)


def label(key: str, value: object) -> object:
    """A raw cell as a reader sees it: translated roles, kinds and half-days; local dates."""
    if key == "role" and value:
        return t(f"role.{value}")
    if key == "kind" and value:
        return t(f"session_kind.{value}")
    if key == "half" and value:
        return t(f"half.{value}")
    if isinstance(value, date):
        return format_date(value)
    if isinstance(value, dtime):
        return format_time(value)
    return value


def display(row: dict[str, object], key: str) -> str:
    if key == "times":
        start, end = row["start"], row["end"]
        assert isinstance(start, dtime) and isinstance(end, dtime)
        return f"{label('half', row['half'])}, {format_time_range(start, end)}"
    if key == "place":
        return str(row.get("city") or row.get("organisation") or "")
    if key == "group":
        return str(row.get("group_label") or row.get("group") or "")
    value = label(key, row.get(key, ""))
    return "" if value is None else str(value)


def column_title(key: str) -> str:
    return t(f"outputs.col.{key}")


def session_heading(row: dict[str, object]) -> str:
    return t(
        "outputs.session_heading",
        date=format_date(row["date"], long=True),  # type: ignore[arg-type]
        half=label("half", row["half"]),
        start=label("start", row["start"]),
        end=label("end", row["end"]),
        title=row["title"] or label("kind", row["kind"]),
        kind=label("kind", row["kind"]),
    )


def by_session(
    rows: list[dict[str, object]],
) -> list[tuple[dict[str, object], list[dict[str, object]]]]:
    out: list[tuple[dict[str, object], list[dict[str, object]]]] = []
    for row in rows:
        if not out or out[-1][0]["session"] != row["session"]:
            out.append((row, []))
        out[-1][1].append(row)
    return out


def grouped_cells(rows: list[dict[str, object]]) -> list[list[str]]:
    """Members of a group under one heading cell: group, room and trainers shown once."""
    cells = []
    previous = None
    for row in rows:
        line = [display(row, key) for key in SESSION_DISPLAY]
        if row["group"] == previous:
            line[:3] = ["", "", ""]
        previous = row["group"]
        cells.append(line)
    return cells


def stacked_cells(rows: list[dict[str, object]]) -> list[list[str]]:
    """Like :func:`grouped_cells`, with group, room and trainers stacked in the first cell."""
    cells = []
    previous = None
    for row in rows:
        head = ""
        if row["group"] != previous:
            trainers = str(row["trainers"]).split(" & ") if row["trainers"] else []
            head = "\n".join([display(row, "group"), str(row["room"] or ""), *trainers]).replace(
                "\n\n", "\n"
            )
        previous = row["group"]
        cells.append([head, *(display(row, key) for key in ("name", "role", "place"))])
    return cells


def render_csv(columns: Sequence[str], rows: list[dict[str, object]], *, excel: bool) -> str:
    from cotrain.files.exporters.tabular import render_csv as write

    header = [column_title(key) for key in columns]
    body = [
        [label(key, row.get(key, "")) if excel else row.get(key, "") for key in columns]
        for row in rows
    ]
    return write(header, body, excel=excel)


def render_json(
    view: str, columns: Sequence[str], rows: list[dict[str, object]], about: dict[str, str]
) -> str:
    data = {"view": view, **about, "columns": list(columns), "rows": rows}
    return json.dumps(data, ensure_ascii=False, indent=2, default=_iso) + "\n"


def _iso(value: Any) -> str:
    if isinstance(value, date | dtime):
        return (
            value.isoformat(timespec="minutes") if isinstance(value, dtime) else value.isoformat()
        )
    return str(value)


def render_toml(view: str, rows: list[dict[str, object]], about: dict[str, str]) -> str:
    from cotrain.files.store import dump_toml

    return dump_toml({"view": view, **about, "rows": rows})


def render_markdown(view: str, rows: list[dict[str, object]], title: str) -> str:
    def table(keys: Sequence[str], cells: list[list[str]]) -> list[str]:
        def escape(text: str) -> str:
            return text.replace("|", "\\|")

        out = ["| " + " | ".join(column_title(k) for k in keys) + " |"]
        out.append("|" + "|".join("---" for _ in keys) + "|")
        out.extend("| " + " | ".join(escape(c) for c in line) + " |" for line in cells)
        return out

    lines = [f"# {title}", ""]
    if not rows:
        lines.append(t("outputs.roster_empty"))
    elif view == "sessions":
        for first, members in by_session(rows):
            lines += [f"## {session_heading(first)}", ""]
            lines += table(SESSION_DISPLAY, grouped_cells(members)) + [""]
    else:
        lines += table(ENTRY_DISPLAY, [[display(r, k) for k in ENTRY_DISPLAY] for r in rows])
    return "\n".join(lines).rstrip() + "\n"


def render_html(view: str, rows: list[dict[str, object]], title: str, *, lang: str) -> str:
    from cotrain.files.exporters.documents import page

    def table(keys: Sequence[str], cells: list[list[str]]) -> str:
        head = "".join(f"<th>{html.escape(column_title(k))}</th>" for k in keys)
        body = "".join(
            "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in line) + "</tr>" for line in cells
        )
        return f'<table class="roster"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'

    parts = [f"<h1>{html.escape(title)}</h1>"]
    if not rows:
        parts.append(f"<p>{html.escape(t('outputs.roster_empty'))}</p>")
    elif view == "sessions":
        for first, members in by_session(rows):
            parts.append(f'<section class="session"><h2>{html.escape(session_heading(first))}</h2>')
            parts.append(table(SESSION_DISPLAY, grouped_cells(members)) + "</section>")
    else:
        parts.append(table(ENTRY_DISPLAY, [[display(r, k) for k in ENTRY_DISPLAY] for r in rows]))
    return page(title, "\n".join(parts), lang=lang, css="roster.css")
