"""``cotrain report``: participation rates, their views, the follow-up list, the funder's page."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from cotrain.cli.common import (
    JsonOpt,
    LangOpt,
    WorkspaceOpt,
    choice_list,
    clock_epilog,
    help_text,
    open_workspace,
    output_path,
)
from cotrain.i18n import t

if TYPE_CHECKING:
    from cotrain.files.exporters.participation import FunderPage, ReportDocument

VIEWS = ("city", "role", "day", "session", "person")
FORMATS = ("csv", "json", "toml", "xlsx", "md")


def _choice(value: str | None, allowed: tuple[str, ...], option: str) -> str | None:
    from cotrain.errors import UsageError

    if value is None:
        return None
    value = value.lower()
    if value not in allowed:
        raise UsageError(
            t("report.bad_choice", option=option, value=value, allowed=", ".join(allowed))
        )
    return value


def report(
    by: Annotated[
        str | None, typer.Option("--by", help=t("report.opt_by"), show_default=False)
    ] = None,
    excluding_excused: Annotated[
        bool, typer.Option("--excluding-excused", help=t("report.opt_excluding_excused"))
    ] = False,
    decimals: Annotated[
        int | None,
        typer.Option("--decimals", min=0, max=4, help=t("report.opt_decimals"), show_default=False),
    ] = None,
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            help=t("report.opt_format"),
            show_default=False,
            metavar=choice_list(FORMATS),
            autocompletion=lambda: list(FORMATS),
        ),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help=t("report.opt_output"), show_default=False)
    ] = None,
    excel: Annotated[bool, typer.Option("--excel/--plain", help=t("report.opt_excel"))] = True,
    anonymise: Annotated[
        bool, typer.Option("--anonymise", "--anonymize", help=t("report.opt_anonymise"))
    ] = False,
    funder: Annotated[bool, typer.Option("--funder", help=t("report.opt_funder"))] = False,
    json_out: JsonOpt = False,
    workspace: WorkspaceOpt = None,
    lang: LangOpt = None,
) -> None:
    from cotrain.cli.attendance import load_people
    from cotrain.cli.render import emit_json, print_notices
    from cotrain.domain.rates import participation
    from cotrain.errors import UsageError
    from cotrain.files.attendance_store import load_attendance, workspace_secret
    from cotrain.files.exporters import participation as export

    view = _choice(by, VIEWS, "--by")
    chosen = _choice(fmt, FORMATS, "--format")
    if output is not None and output_path(output) is None:  # -o -: standard output
        output, chosen = None, chosen or "csv"
    if chosen is None and output is not None:
        chosen = _choice(output.suffix.lstrip(".") or "csv", FORMATS, "--format")
    if chosen == "xlsx" and output is None:
        raise UsageError(t("report.xlsx_needs_output"))
    ws = open_workspace(workspace, lang)
    config = ws.config
    places = config.reporting.decimals if decimals is None else decimals
    participants, schedule = load_people(ws)
    from cotrain.cli.changes import clock_now

    result = participation(
        config,
        participants,
        schedule,
        load_attendance(ws),
        excluding_excused=excluding_excused,
        now=clock_now(),  # half-days not begun yet are not expected (nor missed)
    )
    print_notices(ws.notices)
    if funder:
        from datetime import date

        page = export.build_funder_page(
            result,
            _budget(ws),
            decimals=places,
            today=date.today(),  # the publication date Qualiopi indicator 2 asks for
            satisfaction=_satisfaction(ws, participants),
        )
        _emit(page, chosen, output, excel=excel, json_out=json_out, funder=True)
        return
    import secrets

    secret = workspace_secret(ws) if anonymise else b""
    doc = export.build_document(
        result,
        view=view,
        decimals=places,
        anonymise=anonymise,
        secret=secret,
        seed=secrets.randbits(64),  # anonymised rows: a new order for every export
    )
    if json_out and chosen is None:
        emit_json(doc.data)
        return
    if chosen is not None:
        _emit(doc, chosen, output, excel=excel, json_out=False, funder=False)
        return
    _show(doc)


def _satisfaction(ws: Any, participants: Any) -> Any:
    """The trainees' satisfaction from the imported surveys (none: an empty list)."""
    from cotrain.cli.evaluation import evaluation_context
    from cotrain.domain.funder import trainee_satisfaction
    from cotrain.files.evaluation_store import load_surveys

    context = evaluation_context(ws)
    return trainee_satisfaction(
        ws.config, load_surveys(ws), participants=participants, cities=context["cities"]
    )


def _budget(ws: Any) -> Any:
    """The budget summary, or None if the budget area is not available."""
    try:
        from cotrain.domain.budget import budget_summary
    except ImportError:  # pragma: no cover - the budget area ships with the tool
        return None
    from cotrain.domain.models import ApplicationsFile, SelectionFile
    from cotrain.files.workspace import APPLICATIONS, SELECTION

    return budget_summary(
        ws.config, ws.load(APPLICATIONS, ApplicationsFile), ws.load(SELECTION, SelectionFile)
    )


def _emit(
    doc: ReportDocument | FunderPage,
    fmt: str | None,
    output: Path | None,
    *,
    excel: bool,
    json_out: bool,
    funder: bool,
) -> None:
    import sys
    import tempfile

    from cotrain.cli.render import echo, emit_json
    from cotrain.files.exporters import participation as export

    write = export.write_funder_page if funder else export.write_document
    if fmt is None:
        if json_out:
            emit_json(doc.data)
        else:
            _show_funder(doc)  # type: ignore[arg-type]
        return
    if output is not None:
        write(doc, output, fmt, excel=excel)  # type: ignore[arg-type]
        echo(t("report.written", file=str(output)), stderr=True)
        return
    # Text formats on stdout: write to a private temporary file through the same writer.
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"report.{fmt}"
        write(doc, path, fmt, excel=excel)  # type: ignore[arg-type]
        data = path.read_bytes()
    sys.stdout.write(data.decode("utf-8-sig"))


def _bar_table(title: str, bars: list[tuple[str, Any]], target: Any, decimals: int) -> Any:
    from rich.bar import Bar
    from rich.table import Table

    from cotrain.i18n import format_percent

    table = Table(title=title, title_justify="left", show_header=False, box=None, pad_edge=False)
    table.add_column()
    table.add_column(width=40)
    table.add_column(justify="right")
    for label, rate in bars:
        if rate is None:
            table.add_row(label, "", "—")
            continue
        colour = "green" if rate >= target else "yellow"
        table.add_row(
            label,
            Bar(size=1, begin=0, end=float(rate), width=40, color=colour),
            format_percent(rate, decimals=decimals),
        )
    return table


def _figure_table(
    title: str, header: list[str], rows: list[list[Any]], *, text_columns: int = 1
) -> Any:
    """A compact table: text columns first, figures right-aligned."""
    from rich import box
    from rich.table import Table

    tbl = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, padding=(0, 1))
    cells = [_cells(row) for row in rows]
    for index, name in enumerate(header):
        if index < text_columns:
            widest = max((len(row[index]) for row in cells), default=0)
            tbl.add_column(name, min_width=min(widest, 28))
        else:
            tbl.add_column(name, justify="right")
    for row in cells:
        tbl.add_row(*row)
    return tbl


def _transposed(header: list[str], rows: list[list[Any]]) -> tuple[list[str], list[list[Any]]]:
    """The overall table turned a quarter: one row per measure, one column per group."""
    columns = ["", *(str(row[0]) for row in rows)]
    body = [[name, *(row[index] for row in rows)] for index, name in enumerate(header) if index]
    return columns, body


def _compact(
    header: list[str], rows: list[list[Any]], text_columns: int
) -> tuple[list[str], list[list[Any]]]:
    """The figures that fit a terminal, the rate first: rate, people, expected, attended,
    excused, absent, not marked (when any). Files keep every column."""
    from cotrain.files.exporters.participation import FIGURE_KEYS

    names = header[text_columns:]
    has_people = len(names) == len(FIGURE_KEYS)
    wanted = ["rate", "expected", "attended", "excused", "absent", "unmarked"]
    # Column offsets after the optional "people" column, in the exporter's one order.
    offsets = {key.removesuffix("_percent"): i for i, key in enumerate(FIGURE_KEYS[1:])}
    shift = text_columns + (1 if has_people else 0)
    keep = list(range(text_columns))
    for key in wanted:
        if key == "expected" and has_people:
            keep.append(text_columns)
        index = shift + offsets[key]
        if key == "unmarked" and not any(row[index] for row in rows):
            continue
        keep.append(index)
    return [header[i] for i in keep], [[row[i] for i in keep] for row in rows]


def _show(doc: ReportDocument) -> None:
    from cotrain.cli.render import echo, show, table

    echo(doc.title)
    if doc.period:
        echo(doc.period)
    echo()
    show(_figure_table(t("report.sheet.overall"), *_transposed(*doc.overall)))
    echo(doc.headline)
    echo()
    if doc.view_table is not None and doc.view:
        text_columns = 1
        if doc.view == "person":
            text_columns = 2 if doc.data["anonymised"] else 3
        header, rows = _compact(*doc.view_table, text_columns)
        show(_figure_table(t(f"report.sheet.{doc.view}"), header, rows, text_columns=text_columns))
        echo()
    else:
        target = doc.data["target"]
        decimals = doc.data["decimals"]
        for view in ("city", "day"):
            if doc.bars.get(view):
                show(_bar_table(t(f"report.bars.{view}"), doc.bars[view], target, decimals))
                echo()
    if doc.follow_up is not None:
        if doc.follow_up[1]:
            show(
                table(
                    t("report.follow_up_title", missed=doc.data["follow_up_threshold"]),
                    doc.follow_up[0],
                    [_cells(r) for r in doc.follow_up[1]],
                )
            )
        else:
            echo(t("report.follow_up_none"))
        echo()
    for warning in doc.warnings:
        echo(t("report.warning", text=warning))
    echo(doc.definition)


def _show_funder(page: FunderPage) -> None:
    from cotrain.cli.render import echo, show, table

    echo(page.title)
    echo()
    for heading, rows in page.sections:
        show(table(heading, [t("report.funder.item"), t("report.funder.value")], rows))
        echo()
    echo(page.definition)


def _cells(row: list[Any]) -> list[str]:
    from decimal import Decimal

    from cotrain.i18n import format_number

    out = []
    for value in row:
        if value is None:
            out.append("")
        elif isinstance(value, Decimal):
            places = max(0, -value.as_tuple().exponent)  # type: ignore[operator]
            out.append(format_number(value, decimals=places))
        else:
            out.append(str(value))
    return out


def register(app: typer.Typer) -> None:
    app.command("report", help=help_text("report"), epilog=clock_epilog())(report)
