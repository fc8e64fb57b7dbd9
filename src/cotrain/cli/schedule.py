"""``cotrain schedule`` (build, ``check``, ``diff``) and ``cotrain replace``.

The plan is built by ``domain.scheduling.plan.build_plan``; the hard rules live once in
``domain.scheduling.constraints`` and are shared by the builder and ``schedule check``.
"""

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
    open_workspace,
)
from cotrain.i18n import t

if TYPE_CHECKING:
    from cotrain.domain.models import Participant, ScheduleFile
    from cotrain.domain.scheduling.constraints import PlanContext, PlanViolation
    from cotrain.files.workspace import Workspace

DEFAULT_ITERATIONS = 500
DEFAULT_TIME_LIMIT = 60.0

SeedOpt = Annotated[int, typer.Option("--seed", help=t("schedule.opt.seed"))]
TimeLimitOpt = Annotated[
    float, typer.Option("--time-limit", min=0.1, help=t("schedule.opt.time_limit"))
]
IterationsOpt = Annotated[
    int, typer.Option("--iterations", min=1, help=t("schedule.opt.iterations"))
]


# --------------------------------------------------------------------------- shared helpers


def known_ids(ws: Workspace) -> set[str]:
    """Every person id of the workspace: applications and activists."""
    from cotrain.files.workspace import APPLICATIONS

    applications = ws.load(APPLICATIONS)
    ids = {p.id for a in applications.applications for p in a.people} if applications else set()  # type: ignore[attr-defined]
    return ids | {a.id for a in ws.config.activists}


def load_people(ws: Workspace) -> tuple[list[Participant], bool]:
    """Participants of the workspace and whether a selection exists."""
    from cotrain.domain.participants import list_participants
    from cotrain.files.workspace import APPLICATIONS, SELECTION

    applications = ws.load(APPLICATIONS)
    selection = ws.load(SELECTION)
    if applications is None or selection is None or not selection.selected_city_ids():  # type: ignore[attr-defined]
        return list_participants(ws.config, applications or _empty_apps(), None), False
    return list_participants(ws.config, applications, selection), True  # type: ignore[arg-type]


def _check_hint(ws: Any, violations: Any) -> str:
    """``schedule --keep`` before the start; after it, what works then (issue 15)."""
    from cotrain.cli.changes import advice_after_start

    return advice_after_start(ws, violations) or t("schedule.check_hint")


def _refuse_same_person(ws: Workspace) -> None:
    """One person, one place: no schedule gives a person listed by two cities two seats."""
    from cotrain.cli.people import refuse_same_person
    from cotrain.domain.models import ApplicationsFile
    from cotrain.files.workspace import APPLICATIONS, SELECTION

    applications = ws.load_or_default(APPLICATIONS, ApplicationsFile)
    refuse_same_person(ws.config, applications, ws.load(SELECTION))


def stamped(ws: Workspace, schedule: Any) -> Any:
    """The schedule with the fingerprint of the rules it was planned under (for doctor)."""
    from cotrain.domain.config import plan_digest

    return schedule.model_copy(update={"rules_digest": plan_digest(ws.config)})


def _empty_apps() -> Any:
    from cotrain.domain.models import ApplicationsFile

    return ApplicationsFile()


def _name(ctx: PlanContext, ident: object) -> str:
    key = str(ident)
    if key in ctx.by_id:
        return ctx.by_id[key].name
    if key in ctx.trainers:
        return ctx.trainers[key].name
    return key


def _params(ctx: PlanContext, v: PlanViolation) -> dict[str, object]:
    """Parameters of a violation made readable: names for ids, labels for roles and cities."""
    params = dict(v.params)
    for key in ("person", "first", "second", "trainer"):
        if key in params:
            params[key] = _name(ctx, params[key])
    if "role" in params:
        params["role_label"] = t(f"role_plural.{params['role']}")
    if "city" in params:
        city = str(params["city"])
        params["city"] = next((p.city for p in ctx.participants if p.city_id == city), city)
    if "roles" in params and isinstance(params["roles"], list):
        params["roles"] = ", ".join(t(f"role_plural.{r}") for r in params["roles"])
    if "world" in params:
        params["world"] = t("schedule.label.and").join(
            t(f"role_plural.{r}") for r in str(params["world"]).split("+")
        )
    return params


def describe(ctx: PlanContext, v: PlanViolation, *, prefix: str = "schedule.rule") -> str:
    """One violation in plain words: where (session, group), what, who."""
    from cotrain.i18n import has_key

    if not has_key(f"{prefix}.{v.rule}"):
        prefix = "schedule.rule"
    text = t(f"{prefix}.{v.rule}", **_params(ctx, v))
    if v.session and v.group:
        return t("schedule.where_group", session=v.session, group=v.group, text=text)
    if v.session and prefix == "schedule.rule":
        return t("schedule.where_session", session=v.session, text=text)
    return text


def _infeasible(ctx: PlanContext, problems: list[PlanViolation]) -> Exception:
    from cotrain.errors import InfeasibleError, Location

    hint = t("schedule.hint_select") if any(p.rule == "no_selection" for p in problems) else None
    first_key = next((p.key for p in problems if p.key), None)
    return InfeasibleError(
        t("schedule.infeasible_head", count=len(problems)),
        details=[describe(ctx, p, prefix="schedule.infeasible") for p in problems],
        hint=hint or t("schedule.hint_config"),
        location=Location(file="cotrain.toml", key=first_key) if first_key else None,
    )


def render_quality(quality: dict[str, int]) -> list[str]:
    if "repeats" in quality and "lower_bound" not in quality:  # after mid-programme changes
        lines = [t("changes.quality_repeats", repeats=quality["repeats"])]
    else:
        lines = [_repeats_line(quality)]
    return lines + _other_quality_lines(quality)


def _repeats_line(quality: dict[str, int]) -> str:
    return t(
        "schedule.quality.repeats",
        repeats=quality.get("repeats", 0),
        lower_bound=quality.get("lower_bound", 0),
        gap=quality.get("repeats", 0) - quality.get("lower_bound", 0),
    )


def _other_quality_lines(quality: dict[str, int]) -> list[str]:
    lines = []
    lines.append(
        t(
            "schedule.quality.pairs",
            distinct=quality.get("distinct_pairs_met", 0),
            most=quality.get("max_times_met", 0),
        )
    )
    lines.append(
        t(
            "schedule.quality.load",
            low=quality.get("trainer_load_min", 0),
            high=quality.get("trainer_load_max", 0),
            changes=quality.get("peer_trainer_changes", 0),
        )
    )
    return lines


def _summary_rows(ctx: PlanContext, schedule: ScheduleFile) -> list[list[str]]:
    from cotrain.i18n import format_date

    rows = []
    for s in schedule.sessions:
        spec = ctx.session_by_id.get(s.session_id)
        if spec is None:
            continue
        sizes = sorted({len(g.members) for g in s.groups})
        rows.append(
            [
                spec.id,
                format_date(spec.date),
                t(f"half.{spec.half.value}"),
                t(f"session_kind.{spec.kind.value}"),
                str(len(s.groups)),
                "-".join(str(x) for x in sizes) if sizes != [0] else "",
                str(len({tr for g in s.groups for tr in g.trainers})),
            ]
        )
    return rows


def _show_plan(ctx: PlanContext, schedule: ScheduleFile, notices: list[str], *, title: str) -> None:
    from cotrain.cli.render import echo, show, table

    cols = [
        t("schedule.col.session"),
        t("schedule.col.date"),
        t("schedule.col.half"),
        t("schedule.col.kind"),
        t("schedule.col.groups"),
        t("schedule.col.sizes"),
        t("schedule.col.trainers"),
    ]
    show(table(title, cols, _summary_rows(ctx, schedule)))
    for line in render_quality(dict(schedule.quality)):
        echo(line)
    for notice in notices:
        echo(notice)


class _Progress:
    """A rich progress bar on stderr fed by the mixing engine."""

    def __init__(self, enabled: bool) -> None:
        import sys

        # Only on a terminal: a progress bar written to a log or a pipe is noise.
        self.enabled = enabled and sys.stderr.isatty()
        self.bar: Any = None
        self.task: Any = None

    def __enter__(self) -> _Progress:
        if self.enabled:
            from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

            from cotrain.cli.render import console

            self.bar = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                TextColumn("{task.fields[figures]}"),
                TimeElapsedColumn(),
                console=console(stderr=True),
                transient=True,
            )
            self.bar.__enter__()
            self.task = self.bar.add_task(t("schedule.progress"), total=1.0, figures="")
        return self

    def __call__(self, fraction: float, quality: Any) -> None:
        if self.bar is not None:
            self.bar.update(
                self.task,
                completed=min(1.0, fraction),
                figures=t(
                    "schedule.progress_figures",
                    repeats=quality.repeats,
                    lower_bound=quality.lower_bound,
                ),
            )

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.__exit__(*exc)


# --------------------------------------------------------------------------- schedule


def schedule(
    ctx: typer.Context,
    seed: SeedOpt = 0,
    time_limit: TimeLimitOpt = DEFAULT_TIME_LIMIT,
    iterations: IterationsOpt = DEFAULT_ITERATIONS,
    keep: Annotated[bool, typer.Option("--keep", help=t("schedule.opt.keep"))] = False,
    dry_run: DryRunOpt = False,
    json_out: JsonOpt = False,
    workspace: WorkspaceOpt = None,
    lang: LangOpt = None,
) -> None:
    if ctx.invoked_subcommand:
        return
    import time

    from cotrain.cli.render import echo, emit_json, print_notices
    from cotrain.domain.scheduling.constraints import PlanContext
    from cotrain.domain.scheduling.plan import build_plan
    from cotrain.domain.scheduling.replan import replan
    from cotrain.errors import InfeasibleError
    from cotrain.files.workspace import SCHEDULE

    ws = open_workspace(workspace, lang, dry_run=dry_run)
    with ws.lock():
        _refuse_same_person(ws)
        people, has_selection = load_people(ws)
        if any(p.joined_from or p.left_from for p in people):
            # Issue 15: a whole new plan would give the half-days already held to people who
            # were not there; the changes after the start edit only the half-days ahead.
            raise InfeasibleError(
                t("changes.schedule_started"), hint=t("changes.schedule_started_hint")
            )
        pctx = PlanContext(ws.config, people)
        previous = ws.load(SCHEDULE) if keep else None
        if keep and previous is None:
            raise InfeasibleError(t("schedule.keep_without_schedule"), hint=t("schedule.keep_hint"))
        with _Progress(not json_out) as progress:
            if previous is not None:
                result = replan(
                    ws.config,
                    people,
                    previous,
                    seed=seed,  # type: ignore[arg-type]
                    time_limit=time_limit,
                    max_iterations=iterations,
                    has_selection=has_selection,
                    clock=time.monotonic,
                    progress=progress,
                    known_people=known_ids(ws),
                )
            else:
                result = build_plan(
                    ws.config,
                    people,
                    seed=seed,
                    time_limit=time_limit,
                    max_iterations=iterations,
                    has_selection=has_selection,
                    clock=time.monotonic,
                    progress=progress,
                    known_people=known_ids(ws),
                )
        if result.schedule is None:
            raise _infeasible(pctx, result.problems)
        ws.save(SCHEDULE, stamped(ws, result.schedule), dry_run=dry_run)
    notices = [describe(pctx, n, prefix="schedule.notice") for n in result.notices]
    if result.mix is not None and result.mix.stopped_by == "time_limit":
        notices.append(t("schedule.notice.time_limit", seconds=time_limit))
    moves = getattr(result, "moves", None)
    if json_out:
        emit_json(
            {
                "written": None if dry_run else str(ws.path(SCHEDULE.name)),
                "seed": seed,
                "quality": result.quality,
                "stopped_by": result.mix.stopped_by if result.mix else None,
                "notices": [n.as_dict() for n in result.notices],
                "moves": [m.as_dict() for m in moves] if moves is not None else None,
                "schedule": result.schedule.model_dump(by_alias=True, mode="json"),
            }
        )
        return
    print_notices(ws.notices)
    _show_plan(pctx, result.schedule, notices, title=t("schedule.title", seed=seed))
    if moves is not None:
        _show_moves(pctx, moves)
    if dry_run:
        echo(t("schedule.dry_run"))
    else:
        echo(t("schedule.written", file=str(ws.path(SCHEDULE.name))))


def _show_moves(ctx: PlanContext, moves: list[Any]) -> None:
    from cotrain.cli.render import echo, show, table

    if not moves:
        echo(t("schedule.diff.none"))
        return
    cols = [
        t("schedule.col.who"),
        t("schedule.col.session"),
        t("schedule.col.from"),
        t("schedule.col.to"),
    ]
    rows = [[_name(ctx, m.who), m.session, m.before or "-", m.after or "-"] for m in moves]
    show(table(t("schedule.diff.title", count=len(moves)), cols, rows))


# --------------------------------------------------------------------------- check


def check(
    file: Annotated[
        Path | None, typer.Argument(help=t("schedule.arg_file"), show_default=False)
    ] = None,
    json_out: JsonOpt = False,
    workspace: WorkspaceOpt = None,
    lang: LangOpt = None,
) -> None:
    from cotrain.cli.render import echo, emit_json
    from cotrain.domain.scheduling.constraints import PlanContext, validate_schedule
    from cotrain.domain.scheduling.objectives import plan_quality
    from cotrain.errors import InfeasibleError, InputError, Location
    from cotrain.files.store import load_model
    from cotrain.files.workspace import SCHEDULE

    ws = open_workspace(workspace, lang)
    path = file or ws.path(SCHEDULE.name)
    if not path.is_file():
        raise InputError(
            t("schedule.no_schedule", file=str(path)), hint=t("schedule.no_schedule_hint")
        )
    sched = load_model(path, SCHEDULE, notices=ws.notices)
    _refuse_same_person(ws)  # one person listed by two cities has two places in this plan
    people, _ = load_people(ws)
    pctx = PlanContext(ws.config, people)
    from cotrain.domain.scheduling.feasibility import unknown_in_keep_apart

    violations = unknown_in_keep_apart(pctx, known_ids(ws))
    violations += validate_schedule(pctx, sched)  # type: ignore[arg-type]
    quality = plan_quality(pctx, sched) if not violations else {}  # type: ignore[arg-type]
    if json_out:
        emit_json(
            {
                "file": str(path),
                "valid": not violations,
                "violations": [v.as_dict() for v in violations],
                "quality": quality,
            }
        )
        if violations:
            raise typer.Exit(1)
        return
    if violations:
        details = []
        for v in violations:
            prefix = "schedule.infeasible" if v.rule.startswith("keep_apart_unknown") else None
            line = describe(pctx, v, prefix=prefix) if prefix else describe(pctx, v)
            if v.key:
                line = f"{line} [{v.key}]"
            details.append(line)
        raise InfeasibleError(
            t("schedule.check_failed", count=len(violations)),
            location=Location(file=path.name),
            details=details,
            hint=_check_hint(ws, violations),
        )
    echo(t("schedule.check_ok", file=path.name))
    for line in render_quality(quality):
        echo(line)


# --------------------------------------------------------------------------- diff


def diff(
    old: Annotated[
        Path | None, typer.Argument(help=t("schedule.arg_old"), show_default=False)
    ] = None,
    new: Annotated[
        Path | None, typer.Argument(help=t("schedule.arg_new"), show_default=False)
    ] = None,
    json_out: JsonOpt = False,
    workspace: WorkspaceOpt = None,
    lang: LangOpt = None,
) -> None:
    from cotrain.cli.render import emit_json
    from cotrain.domain.scheduling.constraints import PlanContext
    from cotrain.domain.scheduling.diff import diff_schedules
    from cotrain.errors import InputError, UsageError
    from cotrain.files.store import load_model
    from cotrain.files.workspace import SCHEDULE

    ws = open_workspace(workspace, lang)
    if old is None:  # issue 15: the moves of each change recorded since the start
        _diff_history(ws, json_out=json_out)
        return
    if new is None:
        raise UsageError(t("changes.diff_two_files"))
    for path in (old, new):
        if not path.is_file():
            raise InputError(t("schedule.no_schedule", file=str(path)))
    before = load_model(old, SCHEDULE)
    after = load_model(new, SCHEDULE)
    moves = diff_schedules(before, after)  # type: ignore[arg-type]
    if json_out:
        emit_json({"old": str(old), "new": str(new), "moves": [m.as_dict() for m in moves]})
        return
    people, _ = load_people(ws)
    _show_moves(PlanContext(ws.config, people), moves)


def _diff_history(ws: Workspace, *, json_out: bool) -> None:
    """Every change of ``history.toml`` with the seats it changed."""
    from cotrain.cli.changes import describe_people, person_names
    from cotrain.cli.render import echo, emit_json
    from cotrain.domain.scheduling.constraints import PlanContext
    from cotrain.domain.scheduling.diff import Move
    from cotrain.files.workspace import HISTORY
    from cotrain.i18n import format_datetime

    recorded = ws.load(HISTORY)
    changes = list(recorded.changes) if recorded is not None else []  # type: ignore[attr-defined]
    if json_out:
        emit_json({"changes": [c.model_dump(mode="json") for c in changes]})
        return
    if not changes:
        echo(t("changes.history_none"))
        return
    people, _ = load_people(ws)
    pctx = PlanContext(ws.config, people)
    names = person_names(ws)
    for change in changes:
        echo(
            t(
                "changes.diff_title",
                at=format_datetime(change.at),
                kind=t(f"changes.kind.{change.kind}"),
                who=describe_people(change, names),
            )
        )
        moves = [
            Move(m.who, m.session, m.before or None, m.after or None, m.kind) for m in change.moves
        ]
        _show_moves(pctx, moves)


# --------------------------------------------------------------------------- replace


def replace(
    person: Annotated[str, typer.Argument(help=t("schedule.arg_person"), show_default=False)],
    by: Annotated[
        str | None, typer.Option("--by", help=t("schedule.opt.by"), show_default=False)
    ] = None,
    name: Annotated[
        str | None, typer.Option("--name", help=t("schedule.opt.name"), show_default=False)
    ] = None,
    email: Annotated[str, typer.Option("--email", help=t("schedule.opt.email"))] = "",
    from_session: Annotated[
        str | None,
        typer.Option(
            "--from",
            help=t("changes.opt_replace_from"),
            metavar=t("changes.metavar_session"),
            show_default=False,
        ),
    ] = None,
    reason: Annotated[
        str,
        typer.Option("--reason", help=t("changes.opt_reason"), metavar=t("changes.metavar_text")),
    ] = "",
    dry_run: DryRunOpt = False,
    json_out: JsonOpt = False,
    workspace: WorkspaceOpt = None,
    lang: LangOpt = None,
) -> None:
    from cotrain.cli.render import echo, emit_json
    from cotrain.domain.scheduling.replan import replace_person
    from cotrain.errors import InputError, UsageError
    from cotrain.files.workspace import APPLICATIONS, SCHEDULE, SELECTION

    if (by is None) == (name is None):
        raise UsageError(t("schedule.replace_usage"))
    ws = open_workspace(workspace, lang, dry_run=dry_run)
    from cotrain.cli.changes import marked_sessions

    # issue 15: a substitute from a given half-day; once marks exist, never on a marked one
    # (without --from: from the first half-day after the last one marked)
    if from_session is not None or marked_sessions(ws):
        from cotrain.cli.changes import replace_from

        replace_from(
            ws,
            person=person,
            by=by,
            name=name,
            email=email,
            from_session=from_session,
            reason=reason,
            dry_run=dry_run,
            json_out=json_out,
        )
        return
    with ws.lock():
        current = ws.load(SCHEDULE)
        if current is None:
            raise InputError(
                t("schedule.no_schedule", file=SCHEDULE.name), hint=t("schedule.no_schedule_hint")
            )
        applications = ws.load(APPLICATIONS)
        selection = ws.load(SELECTION)
        outcome = replace_person(
            ws.config,
            applications,
            selection,
            current,  # type: ignore[arg-type]
            old=person,
            by=by,
            new_name=name,
            new_email=email,
        )
        if outcome.error:
            for key in ("role", "expected"):
                if key in outcome.params:
                    outcome.params[key] = t(f"role.{outcome.params[key]}")
            raise InputError(
                t(f"schedule.replace.{outcome.error}", **outcome.params),
                hint=t(f"schedule.replace.{outcome.error}_hint", **outcome.params)
                if outcome.error in ("not_scheduled", "unknown_new")
                else None,
            )
        if not dry_run:
            with ws.transaction() as tx:  # both files, or neither (issue 13)
                if outcome.applications is not None:
                    tx.save(APPLICATIONS, outcome.applications)
                tx.save(SCHEDULE, stamped(ws, outcome.schedule))
    if json_out:
        emit_json(
            {
                "old": outcome.old_id,
                "new": outcome.new_id,
                "dry_run": dry_run,
                "moves": [m.as_dict() for m in outcome.moves],
                "notices": [n.as_dict() for n in outcome.notices],
            }
        )
        return
    echo(
        t(
            "schedule.replace.done",
            old=outcome.old_name,
            new=outcome.new_name,
            count=sum(1 for m in outcome.moves if m.who == outcome.old_id),
        )
    )
    for n in outcome.notices:
        echo(t(f"schedule.replace.{n.rule}", **n.params))
    if dry_run:
        echo(t("schedule.dry_run"))


def register(app: typer.Typer) -> None:
    sub = typer.Typer(
        help=help_text("schedule"), invoke_without_command=True, rich_markup_mode=None
    )
    sub.callback()(schedule)
    sub.command("check", help=help_text("schedule_check"))(check)
    sub.command("diff", help=help_text("schedule_diff"))(diff)
    app.add_typer(sub, name="schedule")
    app.command("replace", help=help_text("replace"), epilog=clock_epilog())(replace)
