"""What people get from the schedule (issue 4): ``roster``, ``calendar``, ``sheets``, ``programme``.

Light at import (see ``cli/app.py``): the domain, the exporters, rich, typst and icalendar are
imported inside the commands.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from cotrain.cli.common import (
    LangOpt,
    WorkspaceOpt,
    choice_list,
    folder_metavar,
    help_text,
    open_workspace,
    output_path,
)
from cotrain.i18n import t

if TYPE_CHECKING:
    from cotrain.domain.config import Config
    from cotrain.domain.models import Participant
    from cotrain.domain.timetable import SessionView
    from cotrain.files.workspace import Workspace

PersonOpt = Annotated[
    str | None, typer.Option("--person", help=t("outputs.opt_person"), show_default=False)
]
TrainerOpt = Annotated[
    str | None, typer.Option("--trainer", help=t("outputs.opt_trainer"), show_default=False)
]
SessionOpt = Annotated[
    str | None, typer.Option("--session", help=t("outputs.opt_session"), show_default=False)
]
DOC_FORMATS = ("html", "pdf", "both")
# files.exporters.roster.FORMATS, named here so that --help does not import the exporter.
ROSTER_FORMATS = ("table", "csv", "json", "toml", "md", "html")


def _choice(value: str, allowed: tuple[str, ...], option: str) -> str:
    from cotrain.errors import UsageError

    if value not in allowed:
        raise UsageError(
            t("outputs.bad_choice", option=option, value=value, allowed=", ".join(allowed))
        )
    return value


def _load(ws: Workspace) -> tuple[Config, list[Participant], list[SessionView]]:
    """The configuration, the participants and the timetable; a clear error without a schedule."""
    from cotrain.domain.models import ApplicationsFile, ScheduleFile, SelectionFile
    from cotrain.domain.participants import list_participants
    from cotrain.domain.timetable import build_timetable
    from cotrain.errors import WorkspaceError
    from cotrain.files.workspace import APPLICATIONS, SCHEDULE, SELECTION

    config = ws.config
    schedule = ws.load(SCHEDULE, ScheduleFile)
    if schedule is None:
        raise WorkspaceError(
            t("outputs.no_schedule", folder=str(ws.root)), hint=t("outputs.no_schedule_hint")
        )
    applications = ws.load_or_default(APPLICATIONS, ApplicationsFile)
    selection = ws.load(SELECTION, SelectionFile)
    participants = list_participants(config, applications, selection)
    return config, participants, build_timetable(config, participants, schedule)


def _exclusive(person: str | None, trainer: str | None) -> None:
    from cotrain.errors import UsageError

    if person and trainer:
        raise UsageError(t("outputs.person_or_trainer"))


def _write_report(path: Path, count: int, key: str) -> None:
    from cotrain.cli.render import echo

    echo(t(key, count=count, path=str(path)))


# --- roster ------------------------------------------------------------------------------


def roster(
    person: PersonOpt = None,
    trainer: TrainerOpt = None,
    session: SessionOpt = None,
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help=t("outputs.opt_format_roster"),
            metavar=choice_list(ROSTER_FORMATS),
            autocompletion=lambda: list(ROSTER_FORMATS),
        ),
    ] = "table",
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help=t("outputs.opt_output_roster"), show_default=False),
    ] = None,
    plain: Annotated[bool, typer.Option("--plain", help=t("outputs.opt_plain"))] = False,
    workspace: WorkspaceOpt = None,
    lang: LangOpt = None,
) -> None:
    from cotrain.domain import timetable
    from cotrain.files.exporters import roster as export

    fmt = _choice(fmt, export.FORMATS, "--format")
    output = output_path(output)  # -o -: standard output
    _exclusive(person, trainer)
    ws = open_workspace(workspace, lang)
    config, participants, views = _load(ws)

    about: dict[str, str] = {}
    if person:
        who = timetable.find_participant(participants, person)
        rows = timetable.entry_rows(timetable.person_timetable(views, who.id))
        view, columns, title = (
            "person",
            timetable.ENTRY_COLUMNS,
            t("outputs.roster_person", name=who.name),
        )
        about = {"person": who.id, "name": who.name}
    elif trainer:
        found = timetable.find_trainer(config, trainer)
        rows = timetable.entry_rows(timetable.trainer_timetable(views, found))
        view, columns, title = (
            "trainer",
            timetable.ENTRY_COLUMNS,
            t("outputs.roster_trainer", name=found.name),
        )
        about = {"trainer": found.id, "name": found.name}
    else:
        if session:
            timetable.sheet_groups(views, session)  # names the known sessions if mistyped
        rows = timetable.session_rows(views, session)
        view, columns, title = (
            "sessions",
            timetable.SESSION_COLUMNS,
            t("outputs.roster_title", programme=config.programme.name),
        )

    excel = not plain
    if fmt == "csv":
        text = export.render_csv(columns, rows, excel=excel)
    elif fmt == "json":
        text = export.render_json(view, columns, rows, about)
    elif fmt == "toml":
        text = export.render_toml(view, rows, about)
    elif fmt == "md":
        text = export.render_markdown(view, rows, title)
    elif fmt == "html":
        from cotrain.i18n import get_language

        text = export.render_html(view, rows, title, lang=get_language())
    else:
        text = _tables_text(view, rows, title, to_file=output is not None)
        if output is None:
            return
    _emit(text, output, bom=fmt == "csv" and excel)
    if output is not None:
        _write_report(output, len(rows), "outputs.roster_written")


def _tables_text(view: str, rows: list[dict[str, object]], title: str, *, to_file: bool) -> str:
    """Rich tables: printed straight away on the terminal, or rendered to plain text for a file."""
    import io

    from rich.console import Console

    from cotrain.cli.render import fit_table, show, table
    from cotrain.files.exporters import roster as export

    tables: list[Any]
    if not rows:
        tables = [t("outputs.roster_empty")]
    elif view == "sessions":
        # Narrow terminals: the group, its room and its trainers share the first column.
        columns = [export.column_title(k) for k in ("group", "name", "role", "place")]
        tables = [
            table(export.session_heading(first), columns, export.stacked_cells(members))
            for first, members in export.by_session(rows)
        ]
    else:
        keys = list(export.ENTRY_DISPLAY)
        cells = [[export.display(r, k) for k in keys] for r in rows]
        if not any(r[keys.index("room")] for r in cells):  # no room named: no empty column
            at = keys.index("room")
            keys.pop(at)
            cells = [r[:at] + r[at + 1:] for r in cells]
        tables = [
            table(title, [export.column_title(k) for k in keys], cells,
                  optional=[keys.index("group")] if "room" not in keys else [keys.index("room")])
        ]
    if not to_file:
        show(*tables)
        return ""
    buffer = io.StringIO()
    plain = Console(file=buffer, width=160, no_color=True, highlight=False, soft_wrap=False)
    for item in tables:
        for part in fit_table(item, plain) if not isinstance(item, str) else [item]:
            plain.print(part)
    return buffer.getvalue()


def _emit(text: str, output: Path | None, *, bom: bool = False) -> None:
    import sys

    from cotrain.files.store import atomic_write_bytes

    if output is None:
        sys.stdout.write(text)
        return
    atomic_write_bytes(output, text.encode("utf-8-sig" if bom else "utf-8"))


# --- calendar ----------------------------------------------------------------------------


def calendar(
    output: Annotated[Path, typer.Option("--output", "-o", help=t("outputs.opt_output_ics"))],
    person: PersonOpt = None,
    trainer: TrainerOpt = None,
    workspace: WorkspaceOpt = None,
    lang: LangOpt = None,
) -> None:
    from datetime import UTC, datetime

    from cotrain.domain import timetable
    from cotrain.files.exporters.ics import build_calendar
    from cotrain.files.store import atomic_write_bytes

    _exclusive(person, trainer)
    ws = open_workspace(workspace, lang)
    config, participants, views = _load(ws)
    now = datetime.now(UTC)
    if person:
        who = timetable.find_participant(participants, person)
        entries = timetable.person_timetable(views, who.id)
        data = build_calendar(
            config, views, now=now, entries=entries, who=who.id, who_name=who.name
        )
        count = len(entries)
    elif trainer:
        found = timetable.find_trainer(config, trainer)
        entries = timetable.trainer_timetable(views, found)
        data = build_calendar(
            config,
            views,
            now=now,
            entries=entries,
            who=found.id,
            who_name=found.name,
            trainer_id=found.id,
        )
        count = len(entries)
    else:
        data = build_calendar(config, views, now=now)
        count = len(views)
    if output_path(output) is None:  # -o -: standard output (issue 15)
        import sys

        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    atomic_write_bytes(output, data)
    _write_report(output, count, "outputs.calendar_written")


# --- sheets ------------------------------------------------------------------------------


def sheets(
    output: Annotated[
        Path,
        typer.Option(
            "--output", "-o", help=t("outputs.opt_output_sheets"), metavar=folder_metavar()
        ),
    ],
    session: SessionOpt = None,
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help=t("outputs.opt_format_doc"),
            metavar=choice_list(DOC_FORMATS),
            autocompletion=lambda: list(DOC_FORMATS),
        ),
    ] = "both",
    blank_rows: Annotated[
        int, typer.Option("--blank-rows", min=0, max=50, help=t("outputs.opt_blank_rows"))
    ] = 3,
    workspace: WorkspaceOpt = None,
    lang: LangOpt = None,
) -> None:
    from cotrain.domain.timetable import sheet_groups
    from cotrain.errors import WorkspaceError
    from cotrain.files.exporters import documents
    from cotrain.files.store import (
        atomic_write_bytes,
        atomic_write_text,
        ensure_dir,
        safe_output_path,
    )
    from cotrain.i18n import format_date, get_language

    fmt = _choice(fmt, DOC_FORMATS, "--format")
    ws = open_workspace(workspace, lang)
    config, _, views = _load(ws)
    pairs = sheet_groups(views, session)
    if not pairs:
        raise WorkspaceError(t("outputs.no_groups"), hint=t("outputs.no_schedule_hint"))
    ensure_dir(output)
    index = []
    blank_in: list[str] = []  # PDFs where a name uses characters the font lacks
    printed: list[documents.SheetText] = []
    for view, group in pairs:
        sheet = documents.sheet_text(config, view, group, blank_rows=blank_rows)
        printed.append(sheet)
        written = []
        # The PDF first: a broken template (templates/print) stops before anything is written.
        pdf = documents.sheet_pdf(sheet, workspace=ws.root) if fmt in ("pdf", "both") else b""
        if fmt in ("html", "both"):
            name = f"{sheet.stem}.html"
            atomic_write_text(safe_output_path(output, name), documents.sheet_html(sheet))
            written.append(name)
        if fmt in ("pdf", "both"):
            name = f"{sheet.stem}.pdf"
            atomic_write_bytes(safe_output_path(output, name), pdf)
            written.append(name)
            names = [p[0] for p in sheet.participants] + [tr[0] for tr in sheet.trainers]
            if documents.unprintable_in(names):
                blank_in.append(name)
        index.append(
            documents.SheetEntry(
                date=format_date(view.spec.date),
                half=t(f"half.{view.spec.half.value}"),
                session=view.spec.title or t(f"session_kind.{view.spec.kind.value}"),
                group=documents.group_name(group),
                expected=len(group.members),
                files=written,
            )
        )
    combined: list[str] = []
    if fmt in ("pdf", "both") and printed:
        # Ready to print double-sided: a day's sheets, and the whole programme, each sheet
        # starting on a recto (issue 11).
        days: dict[str, list[documents.SheetText]] = {}
        for sheet in printed:
            days.setdefault(sheet.day, []).append(sheet)
        for day, on_day in days.items():
            name = f"day_{day}.pdf"
            pdf = documents.sheets_pdf(on_day, duplex=True, workspace=ws.root)
            atomic_write_bytes(safe_output_path(output, name), pdf)
            combined.append(name)
        pdf = documents.sheets_pdf(printed, duplex=True, workspace=ws.root)
        atomic_write_bytes(safe_output_path(output, "all_sheets.pdf"), pdf)
        combined.append("all_sheets.pdf")
    page = documents.index_html(
        t("outputs.index_title", programme=config.programme.name),
        t("outputs.index_intro"),
        index,
        lang=get_language(),
        combined=combined,
    )
    atomic_write_text(safe_output_path(output, "index.html"), page)
    _write_report(output, len(pairs), "outputs.sheets_written")
    _warn_unprintable(blank_in)


def _warn_unprintable(files: list[str]) -> None:
    from cotrain.cli.render import echo

    if files:
        echo(t("outputs.pdf_missing_glyphs", count=len(files), files=", ".join(files)), stderr=True)


# --- programme ---------------------------------------------------------------------------


def programme(
    output: Annotated[
        Path,
        typer.Option(
            "--output", "-o", help=t("outputs.opt_output_programme"), metavar=folder_metavar()
        ),
    ],
    person: PersonOpt = None,
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help=t("outputs.opt_format_doc"),
            metavar=choice_list(DOC_FORMATS),
            autocompletion=lambda: list(DOC_FORMATS),
        ),
    ] = "both",
    workspace: WorkspaceOpt = None,
    lang: LangOpt = None,
) -> None:
    from cotrain.domain.timetable import find_participant, person_timetable
    from cotrain.files.exporters import documents
    from cotrain.files.store import (
        atomic_write_bytes,
        atomic_write_text,
        ensure_dir,
        safe_output_path,
    )

    fmt = _choice(fmt, DOC_FORMATS, "--format")
    ws = open_workspace(workspace, lang)
    config, participants, views = _load(ws)
    people = [find_participant(participants, person)] if person else participants
    ensure_dir(output)
    blank_in: list[str] = []
    for who in people:
        text = documents.programme_text(config, who, person_timetable(views, who.id))
        if fmt in ("html", "both"):
            atomic_write_text(
                safe_output_path(output, f"{text.stem}.html"), documents.programme_html(text)
            )
        if fmt in ("pdf", "both"):
            atomic_write_bytes(
                safe_output_path(output, f"{text.stem}.pdf"),
                documents.programme_pdf(text, workspace=ws.root),
            )
            if documents.unprintable_in([line for block in text.blocks for line, _ in block.lines]):
                blank_in.append(f"{text.stem}.pdf")
    _write_report(output, len(people), "outputs.programmes_written")
    _warn_unprintable(blank_in)


def register(app: typer.Typer) -> None:
    app.command("roster", help=help_text("roster"))(roster)
    app.command("calendar", help=help_text("calendar"))(calendar)
    app.command("sheets", help=help_text("sheets"))(sheets)
    app.command("programme", help=help_text("programme"))(programme)
