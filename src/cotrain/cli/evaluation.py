"""``cotrain survey ...`` and ``cotrain duo ...``: questionnaires and the trainer duos' notes."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from cotrain.cli.common import (
    DryRunOpt,
    JsonOpt,
    LangOpt,
    WorkspaceOpt,
    choice_list,
    help_text,
    input_path,
    open_workspace,
)
from cotrain.i18n import t

if TYPE_CHECKING:
    from cotrain.domain.questionnaires import Survey
    from cotrain.domain.surveys import SurveyReport
    from cotrain.files.workspace import Workspace

FormatOpt = Annotated[
    str,
    typer.Option(
        "--format",
        help=t("evaluation.opt_format"),
        metavar=choice_list(("table", "md")),
        autocompletion=lambda: ["table", "md"],
    ),
]


# --- shared ------------------------------------------------------------------------------


def evaluation_context(ws: Workspace) -> dict[str, Any]:
    """What the evaluation needs from the workspace: participants, cities, schedule, duos."""
    from cotrain.domain.duos import schedule_duos
    from cotrain.domain.models import ApplicationsFile, ScheduleFile, SelectionFile
    from cotrain.domain.participants import list_participants
    from cotrain.files.workspace import APPLICATIONS, SCHEDULE, SELECTION

    config = ws.config
    applications = ws.load_or_default(APPLICATIONS, ApplicationsFile)
    selection = ws.load(SELECTION, SelectionFile)
    schedule = ws.load(SCHEDULE, ScheduleFile)
    participants = list_participants(config, applications, selection)
    cities: dict[str, str] = {}
    for city_id in selection.selected_city_ids() if selection else []:
        application = applications.get(city_id)
        cities[city_id] = application.city if application else city_id
    return {
        "config": config,
        "participants": participants,
        "cities": cities,
        "schedule": schedule,
        "duos": schedule_duos(config, schedule),
    }


def find_survey(ws: Workspace, survey_id: str) -> Survey:
    from cotrain.errors import UsageError

    survey = ws.config.survey(survey_id)
    if survey is None:
        known = ", ".join(s.id for s in ws.config.surveys) or t("evaluation.no_surveys")
        raise UsageError(
            t("evaluation.unknown_survey", survey=survey_id),
            hint=t("evaluation.unknown_survey_hint", known=known),
        )
    return survey


def build_survey_report(ws: Workspace, survey_id: str, compare: str | None) -> SurveyReport:
    """The report of one survey (and its comparison), from the saved answers."""
    from cotrain.domain.surveys import default_comparison, survey_report
    from cotrain.files.evaluation_store import load_surveys

    survey = find_survey(ws, survey_id)
    other = find_survey(ws, compare) if compare else None
    answers = load_surveys(ws)
    context = evaluation_context(ws)
    if other is None and compare is None:
        candidate = default_comparison(ws.config, survey)
        other = candidate if candidate and answers.responses(candidate.id) else None
    return survey_report(
        survey,
        answers.responses(survey.id),
        config=context["config"],
        participants=context["participants"],
        cities=context["cities"],
        duos=context["duos"],
        compare=(other, answers.responses(other.id)) if other else None,
    )


# --- survey ------------------------------------------------------------------------------


def survey_template(
    name: Annotated[str, typer.Argument(help=t("evaluation.arg_survey"), show_default=False)],
    output: Annotated[Path, typer.Option("--output", "-o", help=t("evaluation.opt_output"))] = Path(
        "formulaires"
    ),
    workspace: WorkspaceOpt = None,
    lang: LangOpt = None,
) -> None:
    from cotrain.cli.render import echo
    from cotrain.errors import UsageError
    from cotrain.files.exporters.survey_form import write_form
    from cotrain.files.store import ensure_dir

    ws = open_workspace(workspace, lang)
    survey = find_survey(ws, name)
    if output.suffix.lower() in (".html", ".pdf", ".csv"):
        folder, stem = output.parent, output.stem
    else:
        folder, stem = output, survey.id
    if not folder.is_absolute():
        folder = ws.root / folder
    existing = folder / f"{stem}.csv"
    if existing.is_file() and len(existing.read_bytes().strip().splitlines()) > 1:
        # The template must never replace a file already holding answers.
        raise UsageError(
            t("evaluation.template_would_overwrite", file=str(existing)),
            hint=t("evaluation.template_would_overwrite_hint"),
        )
    ensure_dir(folder)
    written = write_form(ws.config, survey, folder=folder, stem=stem)
    echo(t("evaluation.template_written", files=", ".join(str(p) for p in written)))


def survey_import(
    name: Annotated[str, typer.Argument(help=t("evaluation.arg_survey"), show_default=False)],
    file: Annotated[Path, typer.Argument(help=t("evaluation.arg_file"), show_default=False)],
    dry_run: DryRunOpt = False,
    json_out: JsonOpt = False,
    workspace: WorkspaceOpt = None,
    lang: LangOpt = None,
) -> None:
    from cotrain.cli.render import echo, emit_json, print_notices
    from cotrain.domain.surveys import merge_responses, respondent_index
    from cotrain.errors import InputError
    from cotrain.files.evaluation_store import load_surveys, save_surveys
    from cotrain.files.importers.survey import import_answers

    ws = open_workspace(workspace, lang, dry_run=dry_run)
    survey = find_survey(ws, name)
    path = input_path(file, ws)
    with ws.lock():
        context = evaluation_context(ws)
        config = context["config"]
        index = respondent_index(
            survey,
            config=config,
            participants=context["participants"],
            cities=context["cities"],
            duos=context["duos"],
        )
        result = import_answers(
            path,
            survey,
            respondents=index,
            session_ids=[s.id for s in config.plan.sessions],
            duos=context["duos"],
            trainer_names={tr.id: tr.name for tr in config.trainers},
            cities=context["cities"],
        )
        merged = merge_responses(
            load_surveys(ws), survey.id, source=path.name, responses=result.responses
        )
        if merged.duplicates:
            raise InputError(
                t("evaluation.respondent_elsewhere", who=", ".join(merged.duplicates)),
                hint=t("evaluation.respondent_elsewhere_hint"),
            )
        if merged.changed:
            save_surveys(ws, merged.file, dry_run=dry_run)
    print_notices(ws.notices)
    if json_out:
        emit_json(
            {
                "survey": survey.id,
                "file": path.name,
                "responses": len(result.responses),
                "added": merged.added,
                "replaced": merged.replaced,
                "removed": merged.removed,
                "changed": merged.changed,
                "ignored_columns": result.ignored,
                "dry_run": dry_run,
            }
        )
        return
    table = result.table
    echo(
        t(
            "evaluation.detected",
            encoding=table.detected.encoding or table.detected.format,
            delimiter=(table.detected.delimiter or "-").replace("\t", "tab"),
            rows=len(table.rows),
        )
    )
    if result.ignored:
        echo(t("evaluation.ignored_columns", columns=", ".join(result.ignored)))
    params = {"survey": survey.id, "count": len(result.responses), "file": path.name}
    if merged.changed:
        echo(
            t(
                "evaluation.imported",
                added=merged.added,
                replaced=merged.replaced,
                removed=merged.removed,
                **params,
            )
        )
    else:
        echo(t("evaluation.unchanged", **params))
    if dry_run:
        echo(t("evaluation.dry_run"))


def survey_report_command(
    name: Annotated[str, typer.Argument(help=t("evaluation.arg_survey"), show_default=False)],
    compare: Annotated[
        str | None, typer.Option("--compare", help=t("evaluation.opt_compare"))
    ] = None,
    fmt: FormatOpt = "table",
    json_out: JsonOpt = False,
    workspace: WorkspaceOpt = None,
    lang: LangOpt = None,
) -> None:
    from cotrain.cli.render import echo, emit_json, print_notices
    from cotrain.files.exporters.bilan import survey_markdown

    ws = open_workspace(workspace, lang)
    report = build_survey_report(ws, name, compare)
    print_notices(ws.notices)
    if json_out:
        emit_json(report.model_dump(mode="json"))
        return
    if fmt == "md":
        echo(survey_markdown(report, anonymise=False))
        return
    _show_survey(report)


def _show_survey(report: SurveyReport) -> None:
    from cotrain.cli.render import echo, show, table
    from cotrain.files.exporters.bilan import audience_label, quote, rate_line, survey_tables

    echo(t("evaluation.report.title", title=report.title))
    echo(
        t(
            "evaluation.report.audience",
            audience=audience_label(report.audience),
            timing=t(f"evaluation.timing.{report.timing}"),
        )
    )
    echo(rate_line(report))
    for title, header, rows in survey_tables(report):
        show(table(title, header, rows))
    for q in report.questions:
        if q.type.value == "text" and not q.suppressed:
            echo("")
            echo(f"{q.text} — {t('evaluation.report.free_text')}")
            for text in q.texts:
                echo(f"  {quote(text)}")
    echo(t("evaluation.report.small_cell_note", n=report.small_cell))


def _fr() -> bool:
    from cotrain.i18n import get_language

    return get_language() == "fr"


def survey_list(
    json_out: JsonOpt = False,
    workspace: WorkspaceOpt = None,
    lang: LangOpt = None,
) -> None:
    from cotrain.cli.render import emit_json, show, table
    from cotrain.files.evaluation_store import load_surveys
    from cotrain.files.exporters.bilan import audience_label

    ws = open_workspace(workspace, lang)
    answers = load_surveys(ws)
    rows = [
        {
            "id": s.id,
            "title": s.title,
            "audience": s.audience.value,
            "timing": s.timing.value,
            "questions": len(s.questions),
            "responses": len(answers.responses(s.id)),
        }
        for s in ws.config.surveys
    ]
    if json_out:
        emit_json(rows)
        return
    show(
        table(
            t("evaluation.report.list_title"),
            [
                t("evaluation.report.id"),
                t("evaluation.report.survey_title"),
                t("evaluation.report.group"),
                t("evaluation.report.questions"),
                t("evaluation.report.answered"),
            ],
            [
                [r["id"], r["title"], audience_label(r["audience"]), r["questions"], r["responses"]]
                for r in rows
            ],
        )
    )


# --- duo ---------------------------------------------------------------------------------


def duo_note(
    duo: Annotated[str, typer.Argument(help=t("evaluation.arg_duo"), show_default=False)],
    session: Annotated[str, typer.Argument(help=t("evaluation.arg_session"), show_default=False)],
    text: Annotated[str, typer.Option("--text", help=t("evaluation.opt_text"))] = "",
    cohosting: Annotated[
        int | None, typer.Option("--cohosting", help=t("evaluation.opt_cohosting"))
    ] = None,
    spoke: Annotated[str, typer.Option("--spoke", help=t("evaluation.opt_spoke"))] = "",
    change: Annotated[str, typer.Option("--change", help=t("evaluation.opt_change"))] = "",
    dry_run: DryRunOpt = False,
    workspace: WorkspaceOpt = None,
    lang: LangOpt = None,
) -> None:
    from datetime import datetime

    from cotrain.cli.render import echo, print_notices
    from cotrain.domain.duos import NoteProblem, record_note
    from cotrain.errors import InputError, UsageError
    from cotrain.files.evaluation_store import load_duo_notes, save_duo_notes

    ws = open_workspace(workspace, lang, dry_run=dry_run)
    with ws.lock():
        context = evaluation_context(ws)
        try:
            notes, replaced = record_note(
                load_duo_notes(ws),
                config=context["config"],
                duos=context["duos"],
                duo=duo,
                session=session,
                text=text,
                cohosting=cohosting,
                spoke=spoke,
                change=change,
                now=datetime.now(),
            )
        except NoteProblem as problem:
            error = UsageError if problem.code != "empty_note" else InputError
            params = {k: str(v) for k, v in problem.params.items()}
            raise error(
                t(
                    f"evaluation.bad_{problem.code}_note"
                    if problem.code.startswith("unknown")
                    else f"evaluation.bad_{problem.code}",
                    **params,
                ),
                hint=t(
                    f"evaluation.bad_{problem.code}_note_hint"
                    if problem.code.startswith("unknown")
                    else f"evaluation.bad_{problem.code}_hint",
                    **params,
                ),
            ) from None
        save_duo_notes(ws, notes, dry_run=dry_run)
    print_notices(ws.notices)
    echo(
        t(
            "evaluation.note_replaced" if replaced else "evaluation.note_saved",
            duo=duo,
            session=session,
        )
    )
    if dry_run:
        echo(t("evaluation.dry_run"))


def duo_report_command(
    duo: Annotated[
        str | None, typer.Argument(help=t("evaluation.arg_duo"), show_default=False)
    ] = None,
    json_out: JsonOpt = False,
    workspace: WorkspaceOpt = None,
    lang: LangOpt = None,
) -> None:
    from cotrain.cli.render import echo, emit_json, print_notices, show, table
    from cotrain.domain.duos import duo_report
    from cotrain.errors import UsageError
    from cotrain.files.evaluation_store import load_duo_notes, load_surveys
    from cotrain.files.exporters.bilan import mean_text, suppressed_text

    ws = open_workspace(workspace, lang)
    context = evaluation_context(ws)
    config = context["config"]
    duos = context["duos"]
    if not duos:
        raise UsageError(t("evaluation.no_duos"))
    if duo and duo not in {d.id for d in duos}:
        raise UsageError(
            t("evaluation.bad_unknown_duo_note", duo=duo),
            hint=t("evaluation.bad_unknown_duo_note_hint", known=", ".join(d.id for d in duos)),
        )
    answers = load_surveys(ws)
    summaries = duo_report(
        config,
        duos=duos,
        schedule=context["schedule"],
        notes=load_duo_notes(ws),
        answers=[(s, answers.responses(s.id)) for s in config.surveys],
        only=duo,
    )
    print_notices(ws.notices)
    if json_out:
        emit_json([s.model_dump(mode="json") for s in summaries])
        return
    names = {tr.id: tr.name for tr in config.trainers}
    small = config.reporting.small_cell
    show(
        table(
            t("evaluation.duo.title"),
            [
                t("evaluation.duo.duo"),
                t("evaluation.duo.trainers"),
                t("evaluation.duo.half_days"),
                t("evaluation.duo.groups"),
                t("evaluation.duo.cohosting"),
                t("evaluation.duo.satisfaction"),
            ],
            [
                [
                    s.duo,
                    " / ".join(names.get(tid, tid) for tid in s.trainers),
                    s.half_days,
                    s.groups,
                    mean_text(s.cohosting_mean),
                    suppressed_text(small)
                    if s.satisfaction_suppressed
                    else mean_text(s.satisfaction),
                ]
                for s in summaries
            ],
        )
    )
    titles = {s.id: s.title or s.id for s in config.plan.sessions}
    for summary in summaries:
        echo("")
        echo(f"{summary.duo} — {t('evaluation.duo.notes')}")
        if not summary.notes:
            echo(f"  {t('evaluation.duo.no_notes')}")
        for note in summary.notes:
            parts = [f"[{note.session}] {titles.get(note.session, note.session)}"]
            if note.cohosting:
                parts.append(
                    f"{t('evaluation.duo.cohosting_note')} : {note.cohosting}/5"
                    if _fr()
                    else f"{t('evaluation.duo.cohosting_note')}: {note.cohosting}/5"
                )
            echo("  " + " — ".join(parts))
            for label, value in (
                ("text", note.text),
                ("spoke", note.spoke),
                ("change", note.change),
            ):
                if value:
                    sep = " : " if _fr() else ": "
                    echo(f"    {t(f'evaluation.duo.{label}')}{sep}{value}")


def register(app: typer.Typer) -> None:
    survey = typer.Typer(help=help_text("survey"), no_args_is_help=True)
    survey.command("template", help=help_text("survey_template"))(survey_template)
    survey.command("import", help=help_text("survey_import"))(survey_import)
    survey.command("report", help=help_text("survey_report"))(survey_report_command)
    survey.command("list", help=help_text("survey_list"))(survey_list)
    app.add_typer(survey, name="survey")
    duo = typer.Typer(help=help_text("duo"), no_args_is_help=True)
    duo.command("note", help=help_text("duo_note"))(duo_note)
    duo.command("report", help=help_text("duo_report"))(duo_report_command)
    # `duo replace` (a duo member replaced for one day) lives with the other changes after the
    # start; registered here so that `cotrain duo replace`, which builds this module only
    # (issue 16's fast start), finds it
    from cotrain.cli.changes import duo_replace

    duo.command("replace", help=help_text("duo_replace"))(duo_replace)
    app.add_typer(duo, name="duo")
