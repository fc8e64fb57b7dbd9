"""``cotrain attestations`` and ``cotrain assess``: end-of-training attestations (L6353-1) and
the evaluation of learning they state (issue 11)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cotrain.cli.common import (
    JsonOpt,
    LangOpt,
    WorkspaceOpt,
    folder_metavar,
    help_text,
    open_workspace,
)
from cotrain.i18n import t


def attestations(
    output: Annotated[
        Path,
        typer.Option(
            "--output", "-o", help=t("attestations.opt_output"), metavar=folder_metavar()
        ),
    ] = Path("attestations"),
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help=t("attestations.opt_format"),
            metavar="[md|html|pdf][,…]",
            autocompletion=lambda: ["md", "html", "pdf", "md,pdf"],
        ),
    ] = "md,pdf",
    person: Annotated[
        list[str] | None,
        typer.Option("--person", help=t("certificates.opt_person"), show_default=False),
    ] = None,
    json_out: JsonOpt = False,
    workspace: WorkspaceOpt = None,
    lang: LangOpt = None,
) -> None:
    from datetime import date

    from cotrain.cli.certificates import parse_formats, people_figures
    from cotrain.cli.render import echo, emit_json, print_notices
    from cotrain.domain.provider import training_objectives
    from cotrain.files.assessment_store import load_assessments
    from cotrain.files.exporters.attestations import ATTESTATION_FORMATS, write_attestations

    formats = parse_formats(fmt, ATTESTATION_FORMATS)
    ws = open_workspace(workspace, lang)
    figures = people_figures(ws, person)
    issued = [f for f in figures if f.half_days > 0]
    skipped = [f.participant.id for f in figures if f.half_days == 0]
    assessed = {a.person: a for a in load_assessments(ws).assessments}
    unassessed = [f.participant.id for f in issued if f.participant.id not in assessed]
    folder = output if output.is_absolute() else Path.cwd() / output
    written = write_attestations(
        ws.config,
        issued,
        assessed,
        folder,
        issued=date.today(),
        formats=formats,
        workspace=ws.root,
    )
    print_notices(ws.notices)
    if json_out:
        emit_json(
            {
                "folder": str(folder),
                "files": [str(p) for p in written],
                "skipped": skipped,
                "unassessed": unassessed,
            }
        )
        return
    echo(t("attestations.written", count=len(issued), folder=str(output)))
    if skipped:
        echo(t("attestations.skipped", count=len(skipped)))
    if unassessed and (ws.config.training.evaluation or assessed):
        echo(t("attestations.unassessed", count=len(unassessed)))
    if issued and not training_objectives(
        ws.config.training, [o.objective for o in ws.config.bilan.objectives]
    ):  # the document says « à compléter », never the configuration's syntax
        echo(t("attestations.objectives_missing_warning"), stderr=True)


def assess(
    person: Annotated[str, typer.Argument(help=t("attestations.assess_person"))],
    result: Annotated[
        str, typer.Option("--result", "-r", help=t("attestations.assess_opt_result"))
    ],
    note: Annotated[str, typer.Option("--note", help=t("attestations.assess_opt_note"))] = "",
    dry_run: Annotated[bool, typer.Option("--dry-run")] = False,
    workspace: WorkspaceOpt = None,
    lang: LangOpt = None,
) -> None:
    from datetime import UTC, datetime

    from cotrain.cli.attendance import load_people
    from cotrain.cli.render import echo
    from cotrain.domain.assessment import parse_result, record_assessment
    from cotrain.domain.attendance import PersonLookup
    from cotrain.errors import UsageError
    from cotrain.files.assessment_store import load_assessments, save_assessments

    parsed = parse_result(result)
    if parsed is None:
        raise UsageError(t("attestations.bad_result", value=result))
    ws = open_workspace(workspace, lang, dry_run=dry_run)
    participants, _ = load_people(ws, need_schedule=False)
    who = PersonLookup(participants).find(person)
    updated = record_assessment(
        load_assessments(ws),
        who.id,
        parsed,
        note=note,
        now=datetime.now(UTC).replace(microsecond=0),
    )
    save_assessments(ws, updated, dry_run=dry_run)
    echo(t("attestations.assessed", name=who.name, result=t(f"attestations.result_{parsed.value}")))


def register(app: typer.Typer) -> None:
    app.command("attestations", help=help_text("attestations"))(attestations)
    app.command("assess", help=help_text("assess"))(assess)
