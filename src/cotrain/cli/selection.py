"""``cotrain select``: choose the cities, record overrides and withdrawals, write selection.toml.

Light at import (see ``cli/app.py``). ``--reason`` belongs to the ``--include``, ``--exclude``
or ``--withdraw`` written just before it; the command class below remembers the order in
which options were typed so that each reason goes with its city.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperCommand

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
    from cotrain.domain.budget import BudgetSummary
    from cotrain.domain.models import Application, ApplicationsFile, CityDecision
    from cotrain.domain.selection import OverrideRequest, SelectionResult

ORDER_KEY = "cotrain.option_order"
OVERRIDE_OPTIONS = {"include": "include", "exclude": "exclude", "withdraw": "withdraw"}


class OrderedOptionsCommand(TyperCommand):
    """Keeps the order in which options were typed (``ctx.meta[ORDER_KEY]``: parameter names)."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        try:
            _, _, order = self.make_parser(ctx).parse_args(args=list(args))
            ctx.meta[ORDER_KEY] = [param.name for param in order]
        except Exception:  # the real parse below reports the problem
            ctx.meta[ORDER_KEY] = None
        return super().parse_args(ctx, args)


def pair_reasons(
    order: list[str] | None,
    values: dict[str, list[str]],
    reasons: list[str],
    *,
    force: bool,
) -> list[OverrideRequest]:
    """Match each ``--reason`` with the override typed just before it.

    ``order`` lists parameter names as typed (one entry per occurrence). A single ``--reason``
    applies to every override of the command. Without the order (should not happen), reasons
    pair with overrides in the order include, exclude, withdraw.
    """
    from cotrain.domain.selection import OverrideRequest
    from cotrain.errors import UsageError

    queues = {name: list(items) for name, items in values.items()}
    typed: list[tuple[str, str]] = []  # (action, city) in typed order
    paired: dict[int, str] = {}
    if order is None:  # pair in the order include, exclude, withdraw
        flat = [name for name in OVERRIDE_OPTIONS for _ in values.get(name, [])]
        order = [n for name in flat for n in (name, "reason")][: len(flat) + len(reasons)]
    reason_queue = list(reasons)
    for name in order:
        if name in OVERRIDE_OPTIONS and queues.get(name):
            typed.append((OVERRIDE_OPTIONS[name], queues[name].pop(0)))
        elif name == "reason" and reason_queue:
            reason = reason_queue.pop(0)
            if not typed or (len(typed) - 1) in paired:
                if len(reasons) == 1:
                    continue  # a lone reason typed first: applies to all below
                raise UsageError(
                    t("selection.reason_orphan", reason=reason),
                    hint=t("selection.reason_orphan_hint"),
                )
            paired[len(typed) - 1] = reason
    lone = reasons[0] if len(reasons) == 1 else ""
    return [
        OverrideRequest(
            city_id=city,
            action=action,
            reason=paired.get(index, lone),
            force=force and action == "include",
        )
        for index, (action, city) in enumerate(typed)
    ]


def select(
    ctx: typer.Context,
    max_cities: Annotated[
        int | None, typer.Option("--max", help=t("selection.opt_max"), show_default=False)
    ] = None,
    include: Annotated[
        list[str] | None,
        typer.Option(
            "--include",
            help=t("selection.opt_include"),
            metavar=t("selection.metavar_city"),
            show_default=False,
        ),
    ] = None,
    exclude: Annotated[
        list[str] | None,
        typer.Option(
            "--exclude",
            help=t("selection.opt_exclude"),
            metavar=t("selection.metavar_city"),
            show_default=False,
        ),
    ] = None,
    withdraw: Annotated[
        list[str] | None,
        typer.Option(
            "--withdraw",
            help=t("selection.opt_withdraw"),
            metavar=t("selection.metavar_city"),
            show_default=False,
        ),
    ] = None,
    reason: Annotated[
        list[str] | None,
        typer.Option(
            "--reason",
            help=t("selection.opt_reason"),
            metavar=t("selection.metavar_text"),
            show_default=False,
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help=t("selection.opt_force"))] = False,
    clear: Annotated[
        list[str] | None,
        typer.Option(
            "--clear",
            help=t("selection.opt_clear"),
            metavar=t("selection.metavar_city"),
            show_default=False,
        ),
    ] = None,
    reset: Annotated[bool, typer.Option("--reset", help=t("selection.opt_reset"))] = False,
    from_session: Annotated[
        str | None,
        typer.Option(
            "--from",
            help=t("changes.opt_withdraw_from"),
            metavar=t("changes.metavar_session"),
            show_default=False,
        ),
    ] = None,
    promote: Annotated[
        bool | None,
        typer.Option("--promote/--no-promote", help=t("changes.opt_promote"), show_default=False),
    ] = None,
    dry_run: DryRunOpt = False,
    json_out: JsonOpt = False,
    workspace: WorkspaceOpt = None,
    lang: LangOpt = None,
) -> None:
    from datetime import datetime

    from cotrain.domain.budget import budget_summary
    from cotrain.domain.eligibility import check_applications
    from cotrain.domain.models import ApplicationsFile, SelectionFile
    from cotrain.domain.selection import SelectionRequest, select_cities
    from cotrain.errors import UsageError
    from cotrain.files.workspace import APPLICATIONS, SELECTION

    if max_cities is not None and max_cities < 1:
        raise UsageError(t("selection.bad_max", value=max_cities))
    ws = open_workspace(workspace, lang, dry_run=dry_run)
    overrides = pair_reasons(
        ctx.meta.get(ORDER_KEY),
        {"include": include or [], "exclude": exclude or [], "withdraw": withdraw or []},
        reason or [],
        force=force,
    )
    request = SelectionRequest(
        overrides=tuple(overrides), clear=tuple(clear or []), max_cities=max_cities, reset=reset
    )
    now = datetime.now().replace(microsecond=0)
    with ws.lock():
        applications = ws.load_or_default(APPLICATIONS, ApplicationsFile)
        previous = ws.load(SELECTION, SelectionFile)
        from cotrain.domain.changes import as_declared

        checks = check_applications(ws.config, as_declared(ws.config, applications, previous))
        start = after_start(ws, overrides, from_session)
        if start:
            keep = ws.config.selection.promote_after_start if promote is None else promote
            overrides = [
                dataclasses.replace(o, from_session=start, promote=keep)
                if o.action == "withdraw"
                else o
                for o in overrides
            ]
            request = dataclasses.replace(request, overrides=tuple(overrides))
        result = select_cities(ws.config, applications, checks, previous, request=request, now=now)
        _warn_empty_ranking(ws.config, applications, checks, result.selection.max_cities)
        if not start and (result.entered or result.left):
            refuse_reselect(ws, applications, result, dry_run=dry_run)
        mid = None
        if start:
            mid = mid_programme(ws, applications, result, overrides, start, now=now)
            result = dataclasses.replace(result, selection=mid[0].selection)
            show_preview(ws.config, applications, mid[0], json_out=json_out)
            from cotrain.cli.changes import warn_rules

            warn_rules(ws, applications, mid[0].selection, mid[0].schedule, start)
        written = not dry_run and result.selection != previous
        if written:
            with ws.transaction():  # issue 13: selection, schedule and history as one change
                ws.save(SELECTION, result.selection)
                if mid is not None:
                    from cotrain.files.workspace import HISTORY, SCHEDULE

                    ws.save(SCHEDULE, mid[0].schedule)
                    ws.save(HISTORY, mid[1])
    summary = budget_summary(ws.config, applications, result.selection)
    if json_out:
        from cotrain.cli.render import emit_json

        data = selection_json(
            result, applications, checks, summary, dry_run=dry_run, written=written
        )
        if mid is not None:
            data["after_start"] = {
                "from_session": mid[0].from_session,
                "leaving": mid[0].leaving,
                "arriving": mid[0].arriving,
                "moves": [m.as_dict() for m in mid[0].moves],
            }
        emit_json(data)
        return
    render_selection(
        result,
        applications,
        checks,
        summary,
        cap=ws.config.selection.max_per_territory,
        ws_file=str(ws.path(SELECTION.name)),
        dry_run=dry_run,
        written=written,
    )
    if mid is None and (result.entered or result.left):
        from cotrain.files.workspace import SCHEDULE

        if ws.exists(SCHEDULE):  # before the start the plan is not re-seated: say what to run
            from cotrain.cli.render import echo

            echo(t("selection.reschedule", count=len(result.entered) + len(result.left)))


# --- after the start (issue 15) -----------------------------------------------------------


def after_start(ws: Any, overrides: list[OverrideRequest], asked: str | None) -> str:
    """The half-day a withdrawal takes effect from, when the programme has started: ``--from``
    or the first half-day after the last one marked; '' before the start."""
    from cotrain.domain.changes import first_unmarked_session
    from cotrain.errors import UsageError
    from cotrain.files.attendance_store import load_attendance
    from cotrain.files.workspace import SCHEDULE

    withdrawing = [o for o in overrides if o.action == "withdraw"]
    if not withdrawing:
        if asked:
            raise UsageError(t("changes.from_without_withdraw"))
        return ""
    if asked:
        check_session(ws.config, asked)
        if not ws.exists(SCHEDULE):
            raise UsageError(t("changes.from_without_schedule"), hint=t("changes.schedule_hint"))
        return asked
    if not ws.exists(SCHEDULE):
        return ""
    marked = [s.session_id for s in load_attendance(ws).sessions if s.statuses()]
    from cotrain.cli.changes import clock_now

    start = first_unmarked_session(ws.config, marked, clock_now())
    if start == "":
        raise UsageError(t("changes.programme_over"), hint=t("changes.programme_over_hint"))
    return start or ""


def held_sessions(ws: Any) -> list[str]:
    """The trainee half-days already marked, in time order: the programme has started (as for
    ``--withdraw``); empty before the first mark or without a schedule."""
    from cotrain.cli.changes import marked_sessions
    from cotrain.domain.changes import session_order
    from cotrain.files.workspace import SCHEDULE

    if not ws.exists(SCHEDULE):
        return []
    marked = set(marked_sessions(ws))
    order = session_order(ws.config)
    held = [s.id for s in ws.config.plan.trainee_sessions if s.id in marked]
    return sorted(held, key=lambda sid: order.get(sid, 0))


def refuse_reselect(
    ws: Any, applications: ApplicationsFile, result: SelectionResult, *, dry_run: bool
) -> None:
    """After the start, a plain ``select`` never re-decides the selection (issue 15): cities
    dropped there would lose their seats, marks and certificates in silence. Exit 1 saying
    what it would have done (a dry run only warns); withdrawals go through ``--withdraw``."""
    from cotrain.cli.render import echo
    from cotrain.errors import WorkspaceError

    held = held_sessions(ws)
    if not held:
        return
    names = {a.city_id: a.city for a in applications.applications}
    parts = []
    if result.left:
        parts.append(
            t("midprog.would_drop", cities=", ".join(names.get(c, c) for c in result.left))
        )
    if result.entered:
        parts.append(
            t("midprog.would_add", cities=", ".join(names.get(c, c) for c in result.entered))
        )
    changes = t("midprog.join").join(parts)
    if dry_run:
        echo(t("midprog.select_after_start_dry", changes=changes), stderr=True)
        return
    raise WorkspaceError(
        t("midprog.select_after_start", sessions=", ".join(held), changes=changes),
        hint=t("midprog.select_after_start_hint"),
    )


def check_session(config: Any, session_id: str) -> None:
    """Refuse a half-day id that ``cotrain.toml`` does not declare, listing those it does."""
    from cotrain.errors import UsageError

    known = [s.id for s in config.plan.trainee_sessions]
    if session_id not in known:
        raise UsageError(
            t("changes.unknown_session", session=session_id),
            hint=t("changes.unknown_session_hint", sessions=", ".join(known)),
        )


def mid_programme(
    ws: Any,
    applications: ApplicationsFile,
    result: SelectionResult,
    overrides: list[OverrideRequest],
    start: str,
    *,
    now: Any,
) -> tuple[Any, Any]:
    """The withdrawal applied to the schedule from ``start``, and the history with it."""
    from cotrain.domain.changes import record_withdrawal, withdraw_after_start
    from cotrain.domain.models import ScheduleFile
    from cotrain.files.workspace import HISTORY, SCHEDULE

    schedule = ws.load(SCHEDULE, ScheduleFile)
    withdrawn = [o.city_id for o in overrides if o.action == "withdraw"]
    change = withdraw_after_start(
        ws.config,
        applications,
        result.selection,
        schedule,
        withdrawn=withdrawn,
        promoted=list(result.entered),
        from_session=start,
    )
    history = record_withdrawal(
        ws.load(HISTORY),
        change,
        applications,
        withdrawals=[(o.city_id, o.reason) for o in overrides if o.action == "withdraw"],
        promoted=list(result.entered),
        now=now,
    )
    return change, history


def show_preview(
    config: Any, applications: ApplicationsFile, change: Any, *, json_out: bool
) -> None:
    """Say what the withdrawal does before doing it."""
    from cotrain.cli.render import echo
    from cotrain.domain.changes import sessions_ahead

    if json_out:
        return
    ahead = [s for s in sessions_ahead(config, change.from_session) if s.counts_for_attendance]
    before = len(config.plan.trainee_sessions) - len(ahead)
    cities: dict[str, list[str]] = {}
    for pid in change.leaving:
        city = next(
            (a.city for a in applications.applications for p in a.people if p.id == pid), ""
        )
        cities.setdefault(city, []).append(pid)
    echo(t("changes.preview_title", session=session_label(config, change.from_session)))
    for city, ids in cities.items():
        echo(t("changes.preview_leaving", city=city, count=len(ids), before=before))
    arriving: dict[str, list[str]] = {}
    for pid in change.arriving:
        city = next(
            (a.city for a in applications.applications for p in a.people if p.id == pid), ""
        )
        arriving.setdefault(city, []).append(pid)
    for city, ids in arriving.items():
        echo(t("changes.preview_arriving", city=city, count=len(ids), ahead=len(ahead)))
    if not arriving:
        echo(t("changes.preview_no_promotion"))
    echo(t("changes.preview_moves", count=len(change.moves)))


def session_label(config: Any, session_id: str) -> str:
    """``j2-matin (29/01/2015, matin)``."""
    from cotrain.i18n import format_date

    spec = next((s for s in config.plan.sessions if s.id == session_id), None)
    if spec is None:
        return session_id
    return f"{session_id} ({format_date(spec.date)}, {t(f'half.{spec.half.value}')})"


# --- rendering ---------------------------------------------------------------------------


def explain(outcome: Any) -> str:
    """Plain words for a failed eligibility rule (``cli/explain.py``, owned by intake)."""
    try:
        from cotrain.cli.explain import explain_outcome
    except ImportError:  # pragma: no cover - until the intake area ships it
        return str(outcome.code)
    return explain_outcome(outcome)


def triad_text(application: Application | None) -> str:
    """One line per member: ``Awa Diallo (élu·e)``, in role order."""
    from cotrain.enums import city_roles

    if application is None:
        return ""
    return "\n".join(
        f"{person.name} ({t(f'role.{role.value}')})"
        for role in city_roles()
        for person in application.members(role)
    )


def _fr() -> bool:
    from cotrain.i18n import get_language

    return get_language() == "fr"


def why(
    decision: CityDecision, application: Application | None, check: Any, places: int, cap: int
) -> str:
    """Why a city got its decision, in plain words."""
    from cotrain.enums import Decision

    if decision.decision == Decision.NOT_ELIGIBLE:
        if check is None:
            return t("selection.why.not_checked")
        return "\n".join(dict.fromkeys(explain(o) for o in check.failures))
    if decision.decision == Decision.WITHDRAWN:
        return t("selection.why.withdrawal", reason=decision.reason)
    if decision.rule == "override":
        key = "override_forced" if decision.failed_rules else "override"
        return t(f"selection.why.{key}", reason=decision.reason)
    if decision.rule == "territory_cap":
        territory = application.territory if application else ""
        return t("selection.why.territory_cap", cap=cap, territory=territory)
    if decision.rule == "max_cities":
        return t("selection.why.max_cities", places=places)
    return t("selection.why.ranking")


def _money(value: Any) -> str:
    from cotrain.i18n import format_money

    return "" if value is None else format_money(value)


def selection_json(
    result: SelectionResult,
    applications: ApplicationsFile,
    checks: list[Any],
    summary: BudgetSummary,
    *,
    dry_run: bool,
    written: bool,
) -> dict[str, Any]:
    """Stable keys, whatever the language (reasons as typed, rule codes as codes)."""
    from cotrain.enums import Decision

    selection = result.selection
    by_check = {c.city_id: c for c in checks}

    def city(decision: CityDecision) -> dict[str, Any]:
        app = applications.get(decision.city_id)
        check = by_check.get(decision.city_id)
        return {
            "city_id": decision.city_id,
            "city": app.city if app else "",
            "territory": app.territory if app else "",
            "decision": decision.decision.value,
            "rank": decision.rank,
            "rule": decision.rule,
            "reason": decision.reason,
            "failed_rules": decision.failed_rules,
            "failures": [o.as_dict() for o in check.failures] if check is not None else [],
            "contribution": None
            if app is None or app.contribution is None
            else f"{app.contribution:.2f}",
            "triad": [
                {"id": p.id, "name": p.name, "role": p.role.value}
                for p in (app.people if app else [])
            ]
            if decision.decision == Decision.SELECTED
            else [],
        }

    ordered = sorted(selection.decisions, key=lambda d: (d.rank or 0, d.city_id))
    return {
        "max_cities": selection.max_cities,
        "selected": [city(d) for d in ordered if d.decision == Decision.SELECTED],
        "waitlist": [city(d) for d in ordered if d.decision == Decision.WAITLISTED],
        "left_out": [
            city(d)
            for d in sorted(selection.decisions, key=lambda d: d.city_id)
            if d.decision not in (Decision.SELECTED, Decision.WAITLISTED)
        ],
        "overrides": [o.model_dump(mode="json", exclude_none=True) for o in selection.overrides],
        "entered": list(result.entered),
        "left": list(result.left),
        "promoted": list(result.promoted),
        "new_events": [e.model_dump(mode="json") for e in result.new_events],
        "budget": summary.to_json(),
        "dry_run": dry_run,
        "written": written,
    }


def render_selection(
    result: SelectionResult,
    applications: ApplicationsFile,
    checks: list[Any],
    summary: BudgetSummary,
    *,
    cap: int,
    ws_file: str,
    dry_run: bool,
    written: bool,
) -> None:
    from cotrain.cli.budget import balance_sentence
    from cotrain.cli.render import echo, show, table
    from cotrain.enums import Decision

    selection = result.selection
    by_check = {c.city_id: c for c in checks}
    places = selection.max_cities
    ordered = sorted(selection.decisions, key=lambda d: (d.rank or 0, d.city_id))
    chosen = [d for d in ordered if d.decision == Decision.SELECTED]
    waiting = [d for d in ordered if d.decision == Decision.WAITLISTED]
    out = [
        d for d in sorted(selection.decisions, key=lambda d: d.city_id) if d not in chosen + waiting
    ]

    def name(city_id: str) -> str:
        app = applications.get(city_id)
        return app.city if app else city_id

    def reason_of(decision: CityDecision) -> str:
        app = applications.get(decision.city_id)
        return why(decision, app, by_check.get(decision.city_id), places, cap)

    if chosen:
        with_why = any(d.rule != "ranking" for d in chosen)
        columns = [
            t("selection.col_rank"),
            t("selection.col_city"),
            t("selection.col_triad"),
            t("selection.col_contribution"),
        ]
        selected_table = table(
            t("selection.title_selected", count=len(chosen), places=places),
            columns + ([t("selection.col_why")] if with_why else []),
            [
                [
                    d.rank,
                    "\n".join(filter(None, [name(d.city_id), _territory(d.city_id, applications)])),
                    triad_text(applications.get(d.city_id)),
                    _money(_contribution(d.city_id, applications)),
                ]
                + ([reason_of(d)] if with_why else [])
                for d in chosen
            ],
        )
        for index in (0, 3):  # rank, amount: never cut
            selected_table.columns[index].no_wrap = True
        selected_table.columns[3].justify = "right"
        show(selected_table)
    else:
        echo(t("selection.none_selected"))
    if waiting:
        show(
            table(
                t("selection.title_waitlist"),
                [
                    t("selection.col_place"),
                    t("selection.col_city"),
                    t("selection.col_territory"),
                    t("selection.col_why"),
                ],
                [
                    [d.rank, name(d.city_id), _territory(d.city_id, applications), reason_of(d)]
                    for d in waiting
                ],
            )
        )
    else:
        echo(t("selection.empty_waitlist"))
    if out:
        show(
            table(
                t("selection.title_left_out"),
                [t("selection.col_city"), t("selection.col_decision"), t("selection.col_why")],
                [[name(d.city_id), t(f"decision.{d.decision.value}"), reason_of(d)] for d in out],
            )
        )
    withdrawn_now = [e.city_id for e in result.new_events if e.kind == "withdrawal"]
    for city_id in result.promoted:
        if len(withdrawn_now) == 1:
            echo(t("selection.promoted", city=name(city_id), withdrawn=name(withdrawn_now[0])))
        else:
            echo(t("selection.promoted_plain", city=name(city_id)))
    if withdrawn_now and not result.promoted:
        for city_id in withdrawn_now:
            echo(t("selection.withdrawn_no_promotion", city=name(city_id)))
    for city_id in result.entered:
        if city_id not in result.promoted:
            echo(t("selection.entered", city=name(city_id)))
    for city_id in result.left:
        if city_id not in withdrawn_now:
            echo(t("selection.left", city=name(city_id)))
    for event in result.new_events:
        if event.kind == "clear":
            echo(t("selection.cleared", city=name(event.city_id)))
    echo(balance_sentence(summary))
    if dry_run:
        echo(t("selection.dry_run"))
    elif written:
        echo(t("selection.saved", file=ws_file))
    else:
        echo(t("selection.unchanged", file=ws_file))


def _territory(city_id: str, applications: ApplicationsFile) -> str:
    app = applications.get(city_id)
    return app.territory if app else ""


def _contribution(city_id: str, applications: ApplicationsFile) -> Any:
    app = applications.get(city_id)
    return app.contribution if app else None


def register(app: typer.Typer) -> None:
    app.command(
        "select", help=help_text("select"), cls=OrderedOptionsCommand, epilog=clock_epilog()
    )(select)


def _warn_empty_ranking(config: Any, applications: Any, checks: Any, places: int) -> None:
    """When the ranking decides (more eligible cities than places), say when one of its keys is
    empty (those cities rank last; when every one lacks it the order falls to the city id) and
    how to fill it."""
    from cotrain.cli.render import echo
    from cotrain.domain.selection import empty_ranking_keys

    eligible = {c.city_id for c in checks if c.eligible}
    apps = [a for a in applications.applications if a.city_id in eligible]
    if len(apps) <= places:
        return
    for field, missing, total in empty_ranking_keys(config.selection.ranking, apps):
        key = "selection.ranking_all_empty" if missing == total else "selection.ranking_some_empty"
        echo(t(key, field=field, missing=missing, total=total), stderr=True)
