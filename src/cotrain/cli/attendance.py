"""``cotrain attend`` and ``cotrain attendance import|history|list``: marks by half-day."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from cotrain.cli.common import (
    DryRunOpt,
    JsonOpt,
    LangOpt,
    WorkspaceOpt,
    clock_epilog,
    help_text,
    input_path,
    open_workspace,
)
from cotrain.i18n import t

if TYPE_CHECKING:
    from cotrain.domain.models import Participant, ScheduleFile
    from cotrain.files.workspace import Workspace


def load_people(
    ws: Workspace, *, need_schedule: bool = True
) -> tuple[list[Participant], ScheduleFile]:
    """The registered participants and the schedule (an error if there is none yet)."""
    from cotrain.domain.models import ApplicationsFile, ScheduleFile, SelectionFile
    from cotrain.domain.participants import list_participants
    from cotrain.errors import WorkspaceError
    from cotrain.files.workspace import APPLICATIONS, SCHEDULE, SELECTION

    applications = ws.load_or_default(APPLICATIONS, ApplicationsFile)
    selection = ws.load(SELECTION, SelectionFile)
    schedule = ws.load(SCHEDULE, ScheduleFile)
    if schedule is None:
        if need_schedule:
            raise WorkspaceError(t("attendance.no_schedule"), hint=t("attendance.no_schedule_hint"))
        schedule = ScheduleFile()
    return list_participants(ws.config, applications, selection), schedule


def _now() -> Any:
    """The computer's clock, or ``COTRAIN_NOW`` (one clock for every command, see ``sign``)."""
    from cotrain.cli.changes import clock_now

    return clock_now()


def _status(text: str, config: Any) -> Any:
    from cotrain.domain.attendance import parse_status, status_words
    from cotrain.errors import UsageError

    status = parse_status(text, status_words(config))
    if status is None or not text.strip():
        raise UsageError(
            t("attendance.unknown_status", status=text),
            hint=t(
                "attendance.unknown_status_hint",
                statuses=", ".join(t(f"status.{s}") for s in _statuses()),
            ),
        )
    return status


def _times(
    config: Any,
    session: Any,
    *,
    arrived: str | None,
    left: str | None,
    late: str | None,
    left_early: str | None,
) -> tuple[Any, Any]:
    """Arrival and departure times from ``--arrived``/``--late`` and ``--left``/``--left-early``."""
    from cotrain.domain.attendance import parse_clock, shift_clock
    from cotrain.errors import UsageError

    start, end = config.plan.times(session)

    def clock(text: str | None) -> Any:
        if text is None:
            return None
        value = parse_clock(text)
        if value is None:
            raise UsageError(t("attendance.bad_clock", time=text))
        return value

    def minutes(text: str | None) -> int | None:
        if text is None:
            return None
        if not text.strip().isdigit():
            raise UsageError(t("attendance.bad_minutes", minutes=text))
        return int(text)

    came, went = clock(arrived), clock(left)
    late_by, early_by = minutes(late), minutes(left_early)
    if late_by is not None:
        came = shift_clock(start, late_by)
    if early_by is not None:
        went = shift_clock(end, -early_by)
    return came, went


def _statuses() -> list[str]:
    from cotrain.enums import AttendanceStatus

    return [s.value for s in AttendanceStatus]


def _summary(result: Any) -> dict[str, Any]:
    return {
        "added": result.added,
        "changed": result.changed,
        "unchanged": result.unchanged,
        "corrections": [c.model_dump(mode="json") for c in result.corrections],
    }


def attend(
    session: Annotated[str, typer.Argument(help=t("attendance.arg_session"), show_default=False)],
    people: Annotated[
        list[str] | None, typer.Argument(help=t("attendance.arg_people"), show_default=False)
    ] = None,
    status: Annotated[
        str | None,
        typer.Option("--status", "-s", help=t("attendance.opt_status"), show_default="present"),
    ] = None,
    arrived: Annotated[
        str | None, typer.Option("--arrived", help=t("attendance.opt_arrived"), show_default=False)
    ] = None,
    left: Annotated[
        str | None, typer.Option("--left", help=t("attendance.opt_left"), show_default=False)
    ] = None,
    late: Annotated[
        str | None, typer.Option("--late", help=t("attendance.opt_late"), show_default=False)
    ] = None,
    left_early: Annotated[
        str | None,
        typer.Option("--left-early", help=t("attendance.opt_left_early"), show_default=False),
    ] = None,
    all_present: Annotated[
        bool, typer.Option("--all-present", help=t("attendance.opt_all_present"))
    ] = False,
    except_: Annotated[
        list[str] | None,
        typer.Option("--except", help=t("attendance.opt_except"), show_default=False),
    ] = None,
    except_status: Annotated[
        str, typer.Option("--except-status", help=t("attendance.opt_except_status"))
    ] = "absent",
    reason: Annotated[str, typer.Option("--reason", help=t("attendance.opt_reason"))] = "",
    dry_run: DryRunOpt = False,
    json_out: JsonOpt = False,
    workspace: WorkspaceOpt = None,
    lang: LangOpt = None,
) -> None:
    from cotrain.cli.render import echo, emit_json, print_notices
    from cotrain.domain.attendance import (
        Mark,
        PersonLookup,
        SessionLookup,
        marks_for_all_present,
        record_marks,
        status_from_times,
    )
    from cotrain.errors import UsageError
    from cotrain.files.attendance_store import load_attendance, save_attendance

    if all_present and people:
        raise UsageError(t("attendance.all_present_and_people"))
    if except_ and not all_present:
        raise UsageError(t("attendance.except_without_all"))
    if not all_present and not people:
        raise UsageError(t("attendance.no_people"))
    timed = any(v is not None for v in (arrived, left, late, left_early))
    if timed and (all_present or len(people or []) != 1):
        raise UsageError(t("attendance.times_need_one_person"))
    if arrived is not None and late is not None:
        raise UsageError(t("attendance.arrived_and_late"))
    if left is not None and left_early is not None:
        raise UsageError(t("attendance.left_and_early"))
    ws = open_workspace(workspace, lang, dry_run=dry_run)
    config = ws.config
    participants, schedule = load_people(ws)
    spec = SessionLookup(config).find(session)
    came, went = _times(config, spec, arrived=arrived, left=left, late=late, left_early=left_early)
    if status is not None:
        chosen = _status(status, config)
    else:  # the times say late or left early; present without them
        chosen = status_from_times(config, spec, arrived=came, left=went)
    lookup = PersonLookup(participants)
    expected = schedule.expected()
    if all_present:
        exception_status = _status(except_status, config)
        exceptions = {lookup.find(name).id: exception_status for name in except_ or []}
        marks = marks_for_all_present(spec, expected=expected, status=chosen, exceptions=exceptions)
    else:
        marks = [
            Mark(spec.id, lookup.find(name).id, chosen, arrived=came, left=went)
            for name in people or []
        ]
    with ws.lock():
        # "now" is read here and handed to the domain, which refuses half-days not begun.
        result = record_marks(
            load_attendance(ws),
            marks,
            config=config,
            expected=expected,
            now=_now(),
            reason=reason,
            source="attend",
        )
        if result.has_changes:
            save_attendance(ws, result.attendance, dry_run=dry_run)
    print_notices(ws.notices)
    if json_out:
        emit_json({"session": spec.id, **_summary(result), "dry_run": dry_run})
        return
    echo(
        t(
            "attendance.marked",
            session=spec.id,
            added=result.added,
            changed=result.changed,
            unchanged=result.unchanged,
        )
    )
    # Say whom the command touched (issue 15: ``attend "Martin"`` names Sophie Martin).
    names = {p.id: p.name for p in participants}
    named = {lookup.find(name).id for name in (except_ if all_present else people) or []}
    for mark in marks:
        if mark.person_id in named:
            echo(
                t(
                    "changes.marked_person",
                    name=names.get(mark.person_id, mark.person_id),
                    id=mark.person_id,
                    status=t(f"status.{mark.status.value}"),
                    session=spec.id,
                )
            )
    if dry_run:
        echo(t("attendance.dry_run"))


def import_sheet(
    file: Annotated[Path, typer.Argument(help=t("attendance.arg_file"), show_default=False)],
    reason: Annotated[str, typer.Option("--reason", help=t("attendance.opt_reason"))] = "",
    header_row: Annotated[
        int | None,
        typer.Option("--header-row", min=1, help=t("forms.opt_header_row"), show_default=False),
    ] = None,
    dry_run: DryRunOpt = False,
    json_out: JsonOpt = False,
    workspace: WorkspaceOpt = None,
    lang: LangOpt = None,
) -> None:
    import gc

    from cotrain.cli.render import echo, emit_json, print_notices
    from cotrain.domain.attendance import marks_from_entries, record_marks
    from cotrain.files.attendance_store import load_attendance, save_attendance
    from cotrain.files.importers.signin import read_signin

    ws = open_workspace(workspace, lang, dry_run=dry_run)
    path = input_path(file, ws)
    # A sheet of 100,000 cells makes hundreds of thousands of small objects without cycles:
    # the cyclic garbage collector would only slow the import down (2 to 3 times).
    gc.disable()
    try:
        sheet = read_signin(path, header_row=header_row)
        participants, schedule = load_people(ws)
        now = _now()  # read here, handed to the domain: no mark for a half-day not begun
        expected = schedule.expected()
        marks = marks_from_entries(
            sheet.entries,
            config=ws.config,
            participants=participants,
            expected=expected,
            file=sheet.file,
            now=now,
        )
        with ws.lock():
            result = record_marks(
                load_attendance(ws),
                marks,
                config=ws.config,
                expected=expected,
                now=now,
                reason=reason or t("attendance.correction_reason_import", file=sheet.file),
                source=sheet.file,
                file=sheet.file,
            )
            if result.has_changes:
                save_attendance(ws, result.attendance, dry_run=dry_run)
    finally:
        gc.enable()
    print_notices(ws.notices)
    if json_out:
        emit_json(
            {
                "file": sheet.file,
                "layout": sheet.layout,
                "detected": sheet.detected,
                "skipped_columns": sheet.skipped_columns,
                "empty_columns": sheet.empty_columns,
                **_summary(result),
                "dry_run": dry_run,
            }
        )
        return
    echo(
        t(
            "attendance.imported",
            file=sheet.file,
            layout=t(f"attendance.layout_{sheet.layout}"),
            detected=sheet.detected,
            added=result.added,
            changed=result.changed,
            unchanged=result.unchanged,
        )
    )
    if sheet.skipped_columns:
        echo(t("attendance.skipped_columns", columns=", ".join(sheet.skipped_columns)))
    if sheet.empty_columns:
        echo(t("attendance.empty_columns", columns=", ".join(sheet.empty_columns)))
    if not result.has_changes:
        echo(t("attendance.nothing_changed"))
    elif dry_run:
        echo(t("attendance.dry_run"))


def history(
    person: Annotated[str, typer.Argument(help=t("attendance.arg_person"), show_default=False)],
    json_out: JsonOpt = False,
    workspace: WorkspaceOpt = None,
    lang: LangOpt = None,
) -> None:
    from cotrain.cli.render import echo, emit_json, show, table
    from cotrain.domain.attendance import PersonLookup
    from cotrain.files.attendance_store import load_attendance
    from cotrain.i18n import format_datetime

    ws = open_workspace(workspace, lang)
    participants, _ = load_people(ws, need_schedule=False)
    who = PersonLookup(participants).find(person)
    attendance = load_attendance(ws)
    entries = attendance.history(who.id)
    current = {sid: marks.get(who.id) for sid, marks in attendance.marks().items()}
    if json_out:
        emit_json(
            {
                "person": who.id,
                "marks": {sid: (s.value if s else None) for sid, s in current.items() if s},
                "corrections": [c.model_dump(mode="json") for c in entries],
            }
        )
        return
    if not entries:
        echo(t("attendance.history_none", person=who.name))
        return
    rows = [
        (
            format_datetime(c.at),
            c.session_id,
            t(f"status.{c.previous.value}"),
            t(f"status.{c.status.value}"),
            c.reason,
            c.source,
        )
        for c in entries
    ]
    show(
        table(
            t("attendance.history_title", person=who.name),
            [
                t("attendance.col_when"),
                t("attendance.col_session"),
                t("attendance.col_previous"),
                t("attendance.col_new"),
                t("attendance.col_reason"),
                t("attendance.col_source"),
            ],
            rows,
        )
    )


def list_marks(
    session: Annotated[
        str | None,
        typer.Option("--session", help=t("attendance.opt_session_filter"), show_default=False),
    ] = None,
    json_out: JsonOpt = False,
    workspace: WorkspaceOpt = None,
    lang: LangOpt = None,
) -> None:
    from cotrain.cli.render import emit_json, show, table
    from cotrain.domain.attendance import (
        SessionLookup,
        format_clock,
        format_minutes,
        minutes_attended,
    )
    from cotrain.enums import ATTENDED_STATUSES, AttendanceStatus
    from cotrain.files.attendance_store import load_attendance
    from cotrain.i18n import format_date

    ws = open_workspace(workspace, lang)
    participants, schedule = load_people(ws)
    config = ws.config
    sessions = [SessionLookup(config).find(session)] if session else config.plan.trainee_sessions
    attendance = load_attendance(ws)
    marks = attendance.marks()
    recorded = {m.session_id: m for m in attendance.sessions}
    expected = schedule.expected()
    names = {p.id: p.name for p in participants}
    data = {
        s.id: {
            pid: (marks.get(s.id, {}).get(pid).value if marks.get(s.id, {}).get(pid) else None)
            for pid in sorted(expected.get(s.id, set()) & set(names), key=lambda p: names[p])
        }
        for s in sessions
    }
    if json_out:
        emit_json(data)
        return
    for spec in sessions:
        times = recorded.get(spec.id)
        rows = []
        for pid, value in data[spec.id].items():
            came = times.arrived.get(pid) if times else None
            went = times.left.get(pid) if times else None
            status = AttendanceStatus(value) if value else None
            rows.append(
                (
                    names[pid],
                    t(f"status.{value}") if value else t("attendance.unmarked"),
                    format_clock(came) if came else "",
                    format_clock(went) if went else "",
                    # the hours this half-day proves (issue 11): what a certificate counts
                    format_minutes(minutes_attended(config, spec, status, arrived=came, left=went))
                    if status in ATTENDED_STATUSES
                    else "",
                )
            )
        title = f"{spec.id} — {format_date(spec.date)} {t(f'half.{spec.half.value}')}"
        show(
            table(
                t("attendance.list_title", session=title),
                [
                    t("attendance.col_person"),
                    t("attendance.col_status"),
                    t("attendance.col_arrived"),
                    t("attendance.col_left"),
                    t("attendance.col_time_present"),
                ],
                rows,
            )
        )


def register(app: typer.Typer) -> None:
    app.command("attend", help=help_text("attend"), epilog=clock_epilog())(attend)
    sub = typer.Typer(help=help_text("attendance"), no_args_is_help=True)
    sub.command("import", help=help_text("attendance_import"), epilog=clock_epilog())(
        import_sheet
    )
    sub.command("history", help=help_text("attendance_history"))(history)
    sub.command("list", help=help_text("attendance_list"))(list_marks)
    from cotrain.cli.sign import register_verify  # light: typer and i18n only

    register_verify(sub)
    app.add_typer(sub, name="attendance")
