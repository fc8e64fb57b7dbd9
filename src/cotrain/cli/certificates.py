"""``cotrain certificates``: a certificate of attendance (certificat de réalisation) per person."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cotrain.cli.common import JsonOpt, LangOpt, WorkspaceOpt, help_text, open_workspace
from cotrain.i18n import t


def certificates(
    output: Annotated[
        Path, typer.Option("--output", "-o", help=t("certificates.opt_output"))
    ] = Path("attestations"),
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help=t("certificates.opt_format"),
            metavar="[md|html|pdf][,…]",
            autocompletion=lambda: ["md", "html", "pdf", "md,html"],
        ),
    ] = "md,html",
    person: Annotated[
        list[str] | None,
        typer.Option("--person", help=t("certificates.opt_person"), show_default=False),
    ] = None,
    json_out: JsonOpt = False,
    workspace: WorkspaceOpt = None,
    lang: LangOpt = None,
) -> None:
    from datetime import date

    from cotrain.cli.attendance import load_people
    from cotrain.cli.render import echo, emit_json, print_notices
    from cotrain.domain.attendance import PersonLookup
    from cotrain.domain.rates import certificate_figures, participation
    from cotrain.errors import UsageError
    from cotrain.files.attendance_store import load_attendance
    from cotrain.files.exporters.certificates import CERTIFICATE_FORMATS, write_certificates

    formats = tuple(dict.fromkeys(part.strip().lower() for part in fmt.split(",") if part.strip()))
    unknown = [f for f in formats if f not in CERTIFICATE_FORMATS]
    if unknown or not formats:
        raise UsageError(
            t(
                "report.bad_choice",
                option="--format",
                value=fmt,
                allowed=", ".join(CERTIFICATE_FORMATS),
            )
        )
    ws = open_workspace(workspace, lang)
    participants, schedule = load_people(ws)
    if person:
        lookup = PersonLookup(participants)
        wanted = {lookup.find(name).id for name in person}
        participants = [p for p in participants if p.id in wanted]
    report = participation(ws.config, participants, schedule, load_attendance(ws))
    figures = certificate_figures(report)
    issued = [f for f in figures if f.half_days > 0]
    skipped = [f.participant.id for f in figures if f.half_days == 0]
    folder = output if output.is_absolute() else Path.cwd() / output
    written = write_certificates(
        ws.config, issued, folder, issued=date.today(), formats=formats, workspace=ws.root
    )
    print_notices(ws.notices)
    if json_out:
        emit_json({"folder": str(folder), "files": [str(p) for p in written], "skipped": skipped})
        return
    echo(t("certificates.written", count=len(issued), folder=str(output)))
    if skipped:
        echo(t("certificates.skipped", count=len(skipped)))


def register(app: typer.Typer) -> None:
    app.command("certificates", help=help_text("certificates"))(certificates)
