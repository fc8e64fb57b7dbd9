"""``cotrain sign`` and ``cotrain attendance verify``: sign-in on a tablet (issue 14).

Light at import like every command module: the web server, the domain and segno (the QR code)
are imported inside the command, so ``cotrain --help`` does not pay for them.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from cotrain.cli.common import (
    JsonOpt,
    LangOpt,
    WorkspaceOpt,
    clock_epilog,
    help_text,
    open_workspace,
)
from cotrain.i18n import t

if TYPE_CHECKING:
    from cotrain.cli.sign_desk import SignDesk
    from cotrain.files.workspace import Workspace

EARLY_MINUTES = 60  # a half-day is "under way" from an hour before its start (people arrive)


def _desk(ws: Workspace, session: str | None, pdf_dir: Path | None, grace: int) -> SignDesk:
    from datetime import timedelta

    from cotrain.cli.attendance import load_people
    from cotrain.cli.sign_desk import Clock, SignDesk, session_under_way, today_sessions
    from cotrain.domain.attendance import SessionLookup
    from cotrain.domain.timetable import build_timetable, sheet_groups
    from cotrain.errors import UsageError, WorkspaceError
    from cotrain.i18n import format_datetime

    participants, schedule = load_people(ws)
    config = ws.config
    clock = Clock()
    if session is None:
        now = clock.now()
        found = session_under_way(config, now, early=timedelta(minutes=EARLY_MINUTES))
        if found is None:
            today = today_sessions(config, now.date())
            raise UsageError(
                t("sign.none_under_way", now=format_datetime(now)),
                hint=t("sign.none_today_hint", sessions=", ".join(today))
                if today
                else t("sign.none_under_way_hint"),
            )
        session = found
    spec = SessionLookup(config).find(session)
    views = build_timetable(config, participants, schedule)
    pairs = sheet_groups(views, spec.id)
    if not pairs or not any(group.members for _, group in pairs):
        raise WorkspaceError(t("sign.no_groups", session=spec.id), hint=t("sign.no_groups_hint"))
    return SignDesk(
        ws,
        view=pairs[0][0],
        groups=[group for _, group in pairs],
        participants=participants,
        schedule=schedule,
        clock=clock,
        grace=timedelta(minutes=grace),
        pdf_dir=pdf_dir,
    )


def _lan_address() -> str:
    """This laptop's address on the room's network (no packet is sent: a UDP socket is only
    pointed at a documentation address to learn which interface would be used)."""
    import socket

    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        probe.connect(("192.0.2.1", 9))
        return str(probe.getsockname()[0])
    except OSError:
        return "127.0.0.1"
    finally:
        probe.close()


def _print_qr(url: str) -> None:
    import sys

    import segno

    segno.make(url, error="m", micro=False).terminal(out=sys.stdout, compact=True)


def _report_closing(closing: Any, session: str) -> None:
    from cotrain.cli.render import echo

    key = "sign.closed_again" if closing.already else "sign.closed_done"
    echo(t(key, session=session, added=closing.added, changed=closing.changed))
    for path in closing.files:
        echo(t("sign.pdf_written", path=str(path)))
    if closing.unmarked:
        echo(t("sign.unmarked", count=len(closing.unmarked)))


def sign(
    session: Annotated[
        str | None, typer.Argument(help=t("sign.arg_session"), show_default=False)
    ] = None,
    lan: Annotated[bool, typer.Option("--lan", help=t("sign.opt_lan"))] = False,
    host: Annotated[
        str | None, typer.Option("--host", help=t("sign.opt_host"), show_default=False)
    ] = None,
    port: Annotated[int, typer.Option("--port", min=0, max=65535, help=t("sign.opt_port"))] = 8765,
    until: Annotated[
        str | None, typer.Option("--until", help=t("sign.opt_until"), show_default=False)
    ] = None,
    max_hours: Annotated[
        float, typer.Option("--max-hours", min=0.05, max=12, help=t("sign.opt_max_hours"))
    ] = 6,
    grace: Annotated[int, typer.Option("--grace", min=0, max=120, help=t("sign.opt_grace"))] = 0,
    close: Annotated[bool, typer.Option("--close", help=t("sign.opt_close"))] = False,
    pdf_dir: Annotated[
        Path | None, typer.Option("--pdf-dir", help=t("sign.opt_pdf_dir"), show_default=False)
    ] = None,
    workspace: WorkspaceOpt = None,
    lang: LangOpt = None,
) -> None:
    import secrets
    import sys
    import threading
    import time as clock_time
    from datetime import datetime, time

    from cotrain.cli.render import echo
    from cotrain.cli.sign_server import Server, SignApp, make_handler, serve
    from cotrain.errors import UsageError, WorkspaceError
    from cotrain.files.exporters.documents import spoken_time
    from cotrain.i18n import format_date, format_number

    ws = open_workspace(workspace, lang)
    desk = _desk(ws, session, pdf_dir, grace)
    spec = desk.view.spec
    if close:
        _report_closing(desk.close(), spec.id)
        return
    now = desk.clock.now()
    if spec.date != now.date():
        raise UsageError(
            t("sign.not_today", session=spec.id, date=format_date(spec.date)),
            hint=t("sign.not_today_hint"),
        )
    stop_at = desk.timing.ends_at
    if until:
        try:
            stop_at = datetime.combine(spec.date, time.fromisoformat(until))
        except ValueError:
            raise UsageError(t("sign.bad_until", value=until)) from None
    if now >= stop_at:
        raise UsageError(
            t("sign.ended", session=spec.id, time=spoken_time(stop_at.time())),
            hint=t("sign.ended_hint", session=spec.id),
        )
    if desk.state().closed is not None:
        raise UsageError(t("sign.already_closed", session=spec.id), hint=t("sign.closed_hint"))

    announce = (host or _lan_address()) if lan else "127.0.0.1"
    bind = (host or "0.0.0.0") if lan else "127.0.0.1"
    closed = threading.Event()
    app = SignApp(
        desk,
        signer_token=secrets.token_urlsafe(18),
        manager_token=secrets.token_urlsafe(18),
        hosts=set(),
        on_closed=closed.set,
    )
    try:
        server = Server((bind, port), make_handler(app))
    except OSError as exc:
        from cotrain.files.store import os_reason

        raise WorkspaceError(
            t("sign.cannot_listen", address=f"{bind}:{port}", reason=os_reason(exc)),
            hint=t("sign.cannot_listen_hint"),
        ) from None
    real_port = server.server_address[1]
    app.hosts = {f"{name}:{real_port}" for name in {announce, "127.0.0.1", "localhost"}}
    sign_url = f"http://{announce}:{real_port}/{app.signer_token}/"
    manager_url = f"http://{announce}:{real_port}/{app.manager_token}/"

    echo(t("sign.serving", session=spec.id, date=format_date(spec.date),
           half=t(f"half.{spec.half.value}"), groups=len(desk.groups)))
    echo(t("sign.url_signer", url=sign_url))
    if lan:
        _print_qr(sign_url)
    echo(t("sign.url_manager", url=manager_url))
    echo(t("sign.lan_note") if lan else t("sign.local_note"))
    hours = format_number(max_hours, decimals=1 if max_hours % 1 else 0)
    echo(t("sign.stops", time=spoken_time(stop_at.time()), hours=hours))
    if desk.clock.simulated:
        echo(t("sign.simulated_clock", now=spoken_time(now.time())))
    sys.stdout.flush()

    started = clock_time.monotonic()

    def should_stop() -> str | None:
        if closed.is_set():
            return "closed"
        if clock_time.monotonic() - started > max_hours * 3600:
            return "max"
        try:
            if desk.clock.now() >= stop_at:
                return "ended"
        except Exception:  # a simulated clock file being rewritten: ask again shortly
            return None
        return None

    reason = serve(server, should_stop=should_stop, stopped=closed)
    echo(t(f"sign.stopped_{reason}", session=spec.id))
    if reason == "closed" and app.closing is not None:
        _report_closing(app.closing, spec.id)
    else:
        echo(t("sign.close_later_hint", session=spec.id))


def verify(
    json_out: JsonOpt = False,
    workspace: WorkspaceOpt = None,
    lang: LangOpt = None,
) -> None:
    from cotrain.cli.render import echo, emit_json
    from cotrain.domain.signing import RecordKind, verify_log
    from cotrain.errors import WorkspaceError
    from cotrain.files.attendance_store import load_attendance
    from cotrain.files.signing_store import SIGNATURES, load_signatures

    ws = open_workspace(workspace, lang)
    log = load_signatures(ws)
    problems = [
        t(
            f"sign.verify_{p.code}",
            position=p.position,
            seq=p.seq,
            session=p.session_id,
        )
        for p in verify_log(log)
    ]
    closed = {r.session_id: r for r in log.records if r.kind == RecordKind.CLOSE}
    for marks in load_attendance(ws).sessions:
        if marks.source == "sign" and marks.session_id not in closed:
            problems.append(t("sign.verify_no_close", session=marks.session_id))
    simulated = sum(1 for r in log.records if r.clock)
    if json_out:
        emit_json(
            {
                "file": SIGNATURES.name,
                "records": len(log.records),
                "head": log.head(),
                "closed": {sid: r.hash for sid, r in sorted(closed.items())},
                "simulated_clock": simulated,
                "problems": problems,
                "ok": not problems,
            }
        )
        if problems:
            raise typer.Exit(1)
        return
    if problems:
        raise WorkspaceError(
            t("sign.verify_failed", count=len(problems), file=SIGNATURES.name),
            details=problems,
            hint=t("sign.verify_failed_hint"),
        )
    echo(t("sign.verify_ok", count=len(log.records), file=SIGNATURES.name, head=log.head()))
    for session_id, record in sorted(closed.items()):
        echo(t("sign.verify_closed", session=session_id, hash=record.hash))
    if simulated:
        echo(t("sign.verify_simulated", count=simulated))


def register(app: typer.Typer) -> None:
    app.command("sign", help=help_text("sign"), epilog=clock_epilog())(sign)


def register_verify(sub: typer.Typer) -> None:
    sub.command("verify", help=help_text("attendance_verify"))(verify)
