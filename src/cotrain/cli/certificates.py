"""``cotrain certificates``: a certificate of attendance (certificat de réalisation) per person."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

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


def certificates(
    output: Annotated[
        Path,
        typer.Option(
            "--output", "-o", help=t("certificates.opt_output"), metavar=folder_metavar()
        ),
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

    from cotrain.cli.render import echo, emit_json, print_notices
    from cotrain.files.exporters.certificates import CERTIFICATE_FORMATS, write_certificates

    formats = parse_formats(fmt, CERTIFICATE_FORMATS)
    ws = open_workspace(workspace, lang)
    figures = people_figures(ws, person)
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


def parse_formats(fmt: str, allowed: tuple[str, ...]) -> tuple[str, ...]:
    """``md,pdf`` as a tuple of formats, each among ``allowed`` (a usage error otherwise)."""
    from cotrain.errors import UsageError

    formats = tuple(dict.fromkeys(part.strip().lower() for part in fmt.split(",") if part.strip()))
    if not formats or any(f not in allowed for f in formats):
        raise UsageError(
            t("report.bad_choice", option="--format", value=fmt, allowed=", ".join(allowed))
        )
    return formats


def people_figures(ws: Any, person: list[str] | None) -> list[Any]:
    """Each chosen person's (everyone's by default) certificate figures: the half-days and
    hours attended, as certificates and attestations print them."""
    from cotrain.cli.attendance import load_people
    from cotrain.domain.attendance import PersonLookup
    from cotrain.domain.rates import certificate_figures, participation
    from cotrain.files.attendance_store import load_attendance

    participants, schedule = load_people(ws)
    if person:
        lookup = PersonLookup(participants)
        wanted = {lookup.find(name).id for name in person}
        participants = [p for p in participants if p.id in wanted]
    report = participation(ws.config, participants, schedule, load_attendance(ws))
    return list(certificate_figures(report))
