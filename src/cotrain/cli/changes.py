"""``cotrain join``, ``cotrain leave``, ``cotrain history`` and ``cotrain duo replace``: the
changes of real life once the programme has started (issue 15).

Light at import (see ``cli/app.py``). The work is done by ``domain.changes``; each command
saves through the workspace (``ws.save``) and records the change, with its moves, in
``history.toml``.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any

import typer

from cotrain.cli.common import (
    DryRunOpt,
    JsonOpt,
    LangOpt,
    WorkspaceOpt,
    clock_epilog,
    help_text,
    open_workspace,
)
from cotrain.i18n import t

if TYPE_CHECKING:
    from cotrain.domain.changes import PersonChange
    from cotrain.files.workspace import Workspace

FromOpt = Annotated[
    str | None,
    typer.Option(
        "--from",
        help=t("changes.opt_from"),
        metavar=t("changes.metavar_session"),
        show_default=False,
    ),
]
ReasonOpt = Annotated[
    str, typer.Option("--reason", help=t("changes.opt_reason"), metavar=t("changes.metavar_text"))
]


def _now() -> datetime:
    return clock_now()


def clock_now() -> datetime:
    """The current time for the default start of a change: the computer's clock, or
    ``COTRAIN_NOW`` (see ``cotrain sign``) to simulate it."""
    from cotrain.cli.sign_desk import Clock

    return Clock().now()


def marked_sessions(ws: Workspace) -> list[str]:
    """The half-days with at least one mark in attendance.toml."""
    from cotrain.files.attendance_store import load_attendance

    return [s.session_id for s in load_attendance(ws).sessions if s.statuses()]


def refuse_marked_start(config: Any, asked: str, marked: list[str]) -> None:
    """A change cannot take effect on (or before) a half-day already marked: its marks would
    lose their participants. Exit 1 naming the marked half-days and the first one allowed."""
    from cotrain.domain.changes import first_unmarked_session, session_order
    from cotrain.errors import InputError

    order = session_order(config)
    done = sorted({s for s in marked if s in order}, key=lambda s: order[s])
    if not done or order.get(asked, len(order)) > order[done[-1]]:
        return
    first = first_unmarked_session(config, done)
    raise InputError(
        t("changes.from_marked", session=asked, marked=", ".join(done)),
        hint=t("changes.from_marked_hint", first=first)
        if first
        else t("changes.programme_over_hint"),
    )


def resolve_from(ws: Workspace, asked: str | None, *, clock: bool = True) -> str:
    """``--from``, checked; else the half-day after the last one marked (and, with ``clock``,
    not yet begun by now); else the first one."""
    from cotrain.cli.selection import check_session
    from cotrain.domain.changes import first_unmarked_session
    from cotrain.errors import UsageError

    config = ws.config
    marked = marked_sessions(ws)
    if asked:
        check_session(config, asked)
        refuse_marked_start(config, asked, marked)
        return asked
    start = first_unmarked_session(config, marked, clock_now() if clock else None)
    if start == "":
        raise UsageError(t("changes.programme_over"), hint=t("changes.programme_over_hint"))
    if start is None:
        first = config.plan.trainee_sessions
        return first[0].id if first else ""
    return start


def load_state(ws: Workspace) -> tuple[Any, Any, Any]:
    """applications, selection and schedule; a clear error when there is no schedule yet."""
    from cotrain.domain.models import ApplicationsFile, ScheduleFile, SelectionFile
    from cotrain.errors import WorkspaceError
    from cotrain.files.workspace import APPLICATIONS, SCHEDULE, SELECTION

    schedule = ws.load(SCHEDULE, ScheduleFile)
    if schedule is None:
        raise WorkspaceError(t("changes.no_schedule"), hint=t("changes.schedule_hint"))
    applications = ws.load_or_default(APPLICATIONS, ApplicationsFile)
    selection = ws.load_or_default(SELECTION, SelectionFile)
    return applications, selection, schedule


def refuse(change: PersonChange) -> None:
    from cotrain.errors import InputError

    if change.error:
        raise InputError(
            t(f"changes.error.{change.error}", **change.params),
            hint=t(f"changes.error.{change.error}_hint", **change.params)
            if t(f"changes.error.{change.error}_hint") != f"changes.error.{change.error}_hint"
            else None,
        )


def save_change(
    ws: Workspace,
    change: PersonChange,
    *,
    kind: str,
    start: str,
    reason: str,
    dry_run: bool,
) -> None:
    """Save what the change touched, and the change in history.toml."""
    from cotrain.domain.changes import record
    from cotrain.files.workspace import APPLICATIONS, HISTORY, SCHEDULE, SELECTION

    main = change.person or change.newcomer
    history = record(
        ws.load(HISTORY),
        at=_now(),
        kind=kind,
        people=[change.person.id] if change.person else [],
        arrivals=[change.newcomer.id] if change.newcomer else [],
        city_id=main.city_id if main else "",
        from_session=start,
        reason=reason,
        moves=change.moves,
    )
    with ws.transaction():  # issue 13: every file of the change, or none
        if change.applications is not None:
            ws.save(APPLICATIONS, change.applications, dry_run=dry_run)
        ws.save(SELECTION, change.selection, dry_run=dry_run)  # type: ignore[arg-type]
        ws.save(SCHEDULE, change.schedule, dry_run=dry_run)  # type: ignore[arg-type]
        ws.save(HISTORY, history, dry_run=dry_run)


def warn_rules(ws: Workspace, applications: Any, selection: Any, schedule: Any, start: str) -> None:
    """After a change: the rules now broken in the half-days ahead, on standard error."""
    from cotrain.cli.render import echo
    from cotrain.cli.schedule import describe
    from cotrain.domain.changes import rules_broken_ahead
    from cotrain.domain.participants import list_participants
    from cotrain.domain.scheduling.constraints import PlanContext

    people = list_participants(ws.config, applications, selection)
    broken = rules_broken_ahead(ws.config, people, schedule, from_session=start)
    if not broken:
        return
    ctx = PlanContext(ws.config, people)
    echo(t("changes.rules_broken", count=len(broken)), stderr=True)
    for violation in broken:
        echo(f"  - {describe(ctx, violation)}", stderr=True)
    advice = advice_after_start(ws, broken)
    if advice:
        echo(t("midprog.what_to_do", advice=advice), stderr=True)


def advice_after_start(ws: Workspace, violations: Any) -> str:
    """What to do about rules broken once the programme has started, as commands and keys that
    work then (``schedule --keep`` redoes past half-days and is refused): '' before the start."""
    if not marked_sessions(ws):
        return ""
    lows = [
        int(v.params.get("count", 0))
        for v in violations
        if v.rule == "min_role" and v.params.get("role") == "activist"
    ]
    advice = t("midprog.after_start_advice")
    if lows:
        most = min(lows)
        advice += " " + t(
            "midprog.after_start_activists",
            most=most,
            rule=ws.config.plan.rules.min_activists_per_group,
        )
    return advice


def where(person: Any) -> str:
    return person.city or person.organisation or t(f"role.{person.role.value}")


def report_change(
    change: PersonChange, *, key: str, start: str, config: Any, json_out: bool, dry_run: bool
) -> None:
    from cotrain.cli.render import echo, emit_json
    from cotrain.cli.selection import session_label
    from cotrain.domain.changes import sessions_ahead

    main = change.newcomer or change.person
    assert main is not None
    ahead = [s for s in sessions_ahead(config, start) if s.counts_for_attendance]
    before = len(config.plan.trainee_sessions) - len(ahead)
    if change.person is not None:  # only the half-days where they were expected
        from cotrain.domain.changes import is_expected, session_order

        order = session_order(config)
        ahead_ids = {s.id for s in ahead}
        before = sum(
            1
            for s in config.plan.trainee_sessions
            if s.id not in ahead_ids and is_expected(change.person, s.id, order)
        )
    touched = {p.id for p in (change.person, change.newcomer) if p is not None}
    others = sorted({m.who for m in change.moves if m.who not in touched})
    if json_out:
        emit_json(
            {
                "person": change.person.id if change.person else None,
                "newcomer": change.newcomer.id if change.newcomer else None,
                "from_session": start,
                "others_moved": others,
                "moves": [m.as_dict() for m in change.moves],
                "dry_run": dry_run,
            }
        )
        return
    echo(
        t(
            key,
            person=change.person.name if change.person else "",
            newcomer=change.newcomer.name if change.newcomer else "",
            where=where(main),
            session=session_label(config, start),
            before=before,
            ahead=len(ahead),
        )
    )
    echo(t("changes.others_moved", count=len(others)))
    if dry_run:
        echo(t("changes.dry_run"))


# --------------------------------------------------------------------------- commands


def join(
    person: Annotated[str, typer.Argument(help=t("changes.arg_join"), show_default=False)],
    from_session: FromOpt = None,
    city: Annotated[
        str | None, typer.Option("--city", help=t("changes.opt_city"), show_default=False)
    ] = None,
    role: Annotated[
        str | None, typer.Option("--role", help=t("changes.opt_role"), show_default=False)
    ] = None,
    email: Annotated[str, typer.Option("--email", help=t("changes.opt_email"))] = "",
    reason: ReasonOpt = "",
    dry_run: DryRunOpt = False,
    json_out: JsonOpt = False,
    workspace: WorkspaceOpt = None,
    lang: LangOpt = None,
) -> None:
    from cotrain.cli.people import parse_roles
    from cotrain.domain.changes import JOIN, join_person, over_role_limit

    ws = open_workspace(workspace, lang, dry_run=dry_run)
    roles = parse_roles([role]) if role else [None]
    with ws.lock():
        start = resolve_from(ws, from_session)
        applications, selection, schedule = load_state(ws)
        change = join_person(
            ws.config,
            applications,
            selection,
            schedule,
            who=person,
            from_session=start,
            city_id=city or "",
            role=roles[0],
            email=email,
        )
        refuse(change)
        newcomer = change.newcomer
        if city and newcomer is not None and change.applications is not None:
            over = over_role_limit(ws.config, change.applications, newcomer.city_id, newcomer.role)
            if over is not None:  # the eligibility rule is broken: say so, on standard error
                from cotrain.cli.render import echo

                echo(
                    t(
                        "changes.over_role_limit",
                        city=newcomer.city,
                        role=t(f"role.{newcomer.role.value}"),
                        count=over[0],
                        max=over[1],
                    ),
                    stderr=True,
                )
        save_change(ws, change, kind=JOIN, start=start, reason=reason, dry_run=dry_run)
        warn_rules(
            ws, change.applications or applications, change.selection, change.schedule, start
        )
    report_change(
        change,
        key="changes.join_done",
        start=start,
        config=ws.config,
        json_out=json_out,
        dry_run=dry_run,
    )


def leave(
    person: Annotated[str, typer.Argument(help=t("changes.arg_leave"), show_default=False)],
    from_session: FromOpt = None,
    reason: ReasonOpt = "",
    dry_run: DryRunOpt = False,
    json_out: JsonOpt = False,
    workspace: WorkspaceOpt = None,
    lang: LangOpt = None,
) -> None:
    from cotrain.domain.changes import LEAVE, leave_person

    ws = open_workspace(workspace, lang, dry_run=dry_run)
    with ws.lock():
        start = resolve_from(ws, from_session)
        applications, selection, schedule = load_state(ws)
        change = leave_person(
            ws.config, applications, selection, schedule, who=person, from_session=start
        )
        refuse(change)
        save_change(ws, change, kind=LEAVE, start=start, reason=reason, dry_run=dry_run)
        warn_rules(
            ws, change.applications or applications, change.selection, change.schedule, start
        )
    report_change(
        change,
        key="changes.leave_done",
        start=start,
        config=ws.config,
        json_out=json_out,
        dry_run=dry_run,
    )


def replace_from(
    ws: Workspace,
    *,
    person: str,
    by: str | None,
    name: str | None,
    email: str,
    from_session: str | None,
    reason: str,
    dry_run: bool,
    json_out: bool,
) -> None:
    """``cotrain replace PERSON --from SESSION``: the substitute joins from that half-day."""
    from cotrain.cli.render import echo
    from cotrain.cli.selection import session_label
    from cotrain.domain.changes import REPLACE, substitute_person

    with ws.lock():
        start = resolve_from(ws, from_session, clock=False)  # after the last marked half-day
        applications, selection, schedule = load_state(ws)
        change = substitute_person(
            ws.config,
            applications,
            selection,
            schedule,
            old=person,
            from_session=start,
            by=by,
            new_name=name,
            new_email=email,
        )
        refuse(change)
        save_change(ws, change, kind=REPLACE, start=start, reason=reason, dry_run=dry_run)
        warn_rules(
            ws, change.applications or applications, change.selection, change.schedule, start
        )
    if from_session is None and not json_out:
        echo(t("changes.replace_default_from", session=session_label(ws.config, start)))
    report_change(
        change,
        key="changes.replace_done",
        start=start,
        config=ws.config,
        json_out=json_out,
        dry_run=dry_run,
    )


def duo_replace(
    trainer: Annotated[str, typer.Argument(help=t("changes.arg_trainer"), show_default=False)],
    by: Annotated[str, typer.Option("--by", help=t("changes.opt_trainer_by"), show_default=False)],
    session: Annotated[
        list[str],
        typer.Option(
            "--session",
            help=t("changes.opt_sessions"),
            metavar=t("changes.metavar_session"),
            show_default=False,
        ),
    ],
    reason: ReasonOpt = "",
    dry_run: DryRunOpt = False,
    json_out: JsonOpt = False,
    workspace: WorkspaceOpt = None,
    lang: LangOpt = None,
) -> None:
    from cotrain.cli.render import echo, emit_json
    from cotrain.cli.selection import check_session
    from cotrain.domain.changes import DUO_REPLACE, record, stand_in
    from cotrain.errors import InputError
    from cotrain.files.workspace import HISTORY, SCHEDULE

    ws = open_workspace(workspace, lang, dry_run=dry_run)
    config = ws.config
    names = {tr.id: tr.name for tr in config.trainers}

    def trainer_id(text: str) -> str:
        from cotrain.domain.attendance import fold

        found = [tid for tid, nm in names.items() if text == tid or fold(text) == fold(nm)]
        if len(found) != 1:
            raise InputError(
                t("changes.error.unknown_trainer", trainer=text),
                hint=t("changes.error.unknown_trainer_hint", trainers=", ".join(sorted(names))),
            )
        return found[0]

    old, new = trainer_id(trainer), trainer_id(by)
    for sid in session:
        check_session(config, sid)
    with ws.lock():
        _, _, schedule = load_state(ws)
        outcome = stand_in(config, schedule, old=old, new=new, sessions=session)
        if outcome.error:
            params = dict(outcome.params)
            if "kind" in params:
                params["kind"] = t(f"trainer_kind.{params['kind']}")
            if outcome.error == "trainer_busy" and not params["trainers"]:
                params["trainers"] = t("common.none")
            raise InputError(
                t(f"changes.error.{outcome.error}", **params),
                hint=t("changes.error.trainer_busy_hint", **params)
                if outcome.error == "trainer_busy"
                else None,
            )
        assert outcome.edit is not None
        edit = outcome.edit
        history = record(
            ws.load(HISTORY),
            at=_now(),
            kind=DUO_REPLACE,
            people=[old],
            arrivals=[new],
            sessions=list(session),
            reason=reason,
            moves=edit.moves,
        )
        with ws.transaction():  # issue 13: both files, or neither
            ws.save(SCHEDULE, edit.schedule, dry_run=dry_run)
            ws.save(HISTORY, history, dry_run=dry_run)
    if json_out:
        emit_json(
            {
                "trainer": old,
                "by": new,
                "sessions": list(session),
                "moves": [m.as_dict() for m in edit.moves],
                "dry_run": dry_run,
            }
        )
        return
    groups = sorted({m.after or "" for m in edit.moves if m.who == new})
    echo(
        t(
            "changes.duo_done",
            trainer=names[old],
            by=names[new],
            sessions=", ".join(session),
            groups=", ".join(groups),
        )
    )
    if dry_run:
        echo(t("changes.dry_run"))


def history(
    json_out: JsonOpt = False,
    workspace: WorkspaceOpt = None,
    lang: LangOpt = None,
) -> None:
    from cotrain.cli.render import echo, emit_json, show, table
    from cotrain.files.workspace import HISTORY
    from cotrain.i18n import format_datetime

    ws = open_workspace(workspace, lang)
    recorded = ws.load(HISTORY)
    changes = list(recorded.changes) if recorded is not None else []  # type: ignore[attr-defined]
    if json_out:
        emit_json({"changes": [c.model_dump(mode="json") for c in changes]})
        return
    if not changes:
        echo(t("changes.history_none"))
        return
    names = person_names(ws)
    listing = table(
        t("changes.history_title", count=len(changes)),
        [
            t("changes.col.at"),
            t("changes.col.kind"),
            t("changes.col.who"),
            t("changes.col.from"),
            t("changes.col.moves"),
            t("changes.col.reason"),
        ],
        [
            [
                format_datetime(c.at),
                t(f"changes.kind.{c.kind}"),
                describe_people(c, names),
                c.from_session or ", ".join(c.sessions),
                str(len(c.moves)),
                c.reason,
            ]
            for c in changes
        ],
    )
    listing.columns[0].no_wrap = True
    listing.columns[4].justify = "right"
    show(listing)


def person_names(ws: Workspace) -> dict[str, str]:
    """Every id of the workspace (people, activists, trainers) -> name."""
    from cotrain.domain.models import ApplicationsFile
    from cotrain.files.workspace import APPLICATIONS

    applications = ws.load_or_default(APPLICATIONS, ApplicationsFile)
    names = {p.id: p.name for a in applications.applications for p in a.people}
    names.update({f"city:{a.city_id}": a.city for a in applications.applications})
    names.update({a.id: a.name for a in ws.config.activists})
    names.update({tr.id: tr.name for tr in ws.config.trainers})
    return names


def describe_people(change: Any, names: dict[str, str]) -> str:
    """Who a change touched: a city and its head count for a withdrawal or a promotion,
    else the names (``Éloïse N'Guessan → Paul Durand`` for a substitute)."""
    if change.kind in ("withdrawal", "promotion") and change.city_id:
        city = names.get(f"city:{change.city_id}", change.city_id)
        return t("changes.city_people", city=city, count=len(change.people or change.arrivals))
    gone = ", ".join(names.get(p, p) for p in change.people)
    come = ", ".join(names.get(p, p) for p in change.arrivals)
    if gone and come:
        return f"{gone} → {come}"
    return gone or come


def register(app: typer.Typer) -> None:
    app.command("join", help=help_text("join"), epilog=clock_epilog())(join)
    app.command("leave", help=help_text("leave"), epilog=clock_epilog())(leave)
    app.command("history", help=help_text("history"))(history)
    # `duo replace` is registered by cli/evaluation.py, with the duo group
