"""``cotrain bilan``: the end-of-programme report as Markdown, HTML, PDF and JSON figures."""

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


def bilan(
    output: Annotated[
        Path,
        typer.Option("--output", "-o", help=t("bilan.opt_output"), metavar=folder_metavar()),
    ] = Path(
        "bilan"
    ),
    anonymise: Annotated[bool, typer.Option("--anonymise", help=t("bilan.opt_anonymise"))] = False,
    json_out: JsonOpt = False,
    workspace: WorkspaceOpt = None,
    lang: LangOpt = None,
) -> None:
    import json as jsonlib

    from cotrain.cli.evaluation import evaluation_context
    from cotrain.cli.render import echo, emit_json, print_notices
    from cotrain.domain.bilan import build_bilan
    from cotrain.domain.changes import HistoryFile
    from cotrain.domain.models import ApplicationsFile, SelectionFile
    from cotrain.files.attendance_store import load_attendance
    from cotrain.files.evaluation_store import load_duo_notes, load_surveys
    from cotrain.files.exporters.bilan import bilan_blocks, bilan_html, bilan_markdown, bilan_pdf
    from cotrain.files.store import (
        atomic_write_bytes,
        atomic_write_text,
        ensure_dir,
        safe_output_path,
    )
    from cotrain.files.workspace import APPLICATIONS, HISTORY, SELECTION

    ws = open_workspace(workspace, lang)
    if not ws.exists(SELECTION):  # nothing selected, no one trained: no bilan to write
        from cotrain.errors import WorkspaceError

        raise WorkspaceError(t("bilan.no_selection"), hint=t("bilan.no_selection_hint"))
    context = evaluation_context(ws)
    attendance = load_attendance(ws)
    model = build_bilan(
        ws.config,
        applications=ws.load(APPLICATIONS, ApplicationsFile),
        selection=ws.load(SELECTION, SelectionFile),
        schedule=context["schedule"],
        attendance=attendance,
        surveys=load_surveys(ws),
        notes=load_duo_notes(ws),
        duos=context["duos"],
        anonymise=anonymise,
        history=ws.load(HISTORY, HistoryFile),
    )
    print_notices(ws.notices)
    data = model.model_dump(mode="json")
    if json_out:
        emit_json(data)
        return
    folder = output if output.is_absolute() else ws.root / output
    ensure_dir(folder)
    stem = "bilan-anonyme" if anonymise else "bilan"
    blocks = bilan_blocks(model)
    title = model.programme.get("title") or t("bilan.title")
    written = []
    for suffix, render in (
        ("md", lambda: bilan_markdown(blocks)),
        ("html", lambda: bilan_html(blocks, title=title)),
    ):
        path = safe_output_path(folder, f"{stem}.{suffix}")
        atomic_write_text(path, render())
        written.append(path)
    pdf_path = safe_output_path(folder, f"{stem}.pdf")
    from cotrain.files.exporters.documents import provider_identity

    pdf = bilan_pdf(blocks, title=title, workspace=ws.root, provider=provider_identity(ws.config))
    atomic_write_bytes(pdf_path, pdf)
    json_path = safe_output_path(folder, f"{stem}.json")
    atomic_write_text(json_path, jsonlib.dumps(data, ensure_ascii=False, indent=2) + "\n")
    written += [pdf_path, json_path]
    echo(t("bilan.written", files=", ".join(str(p) for p in written)))
    # What the document leaves « à compléter » is said here, with the key to fill (F8).
    missing = [row for row in model.objectives if not (row.result or "").strip()]
    if missing:
        echo(t("midprog.bilan_no_result", count=len(missing)), stderr=True)
    if not ws.config.budget.spent:
        echo(t("midprog.bilan_no_spent"), stderr=True)


def register(app: typer.Typer) -> None:
    app.command("bilan", help=help_text("bilan"))(bilan)
