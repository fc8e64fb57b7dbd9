"""``cotrain purge``: remove personal data once the programme is over, keep the statistics."""

from __future__ import annotations

from typing import Annotated

import typer

from cotrain.cli.common import DryRunOpt, JsonOpt, LangOpt, WorkspaceOpt, help_text, open_workspace
from cotrain.i18n import t

KINDS = ("people", "trainers", "emails", "phones", "job_titles", "notes", "free_texts")


def purge(
    yes: Annotated[bool, typer.Option("--yes", "-y", help=t("purge.opt_yes"))] = False,
    keep_files: Annotated[
        bool, typer.Option("--keep-files", help=t("purge.opt_keep_files"))
    ] = False,
    force: Annotated[bool, typer.Option("--force", help=t("purge.opt_force"))] = False,
    dry_run: DryRunOpt = False,
    json_out: JsonOpt = False,
    workspace: WorkspaceOpt = None,
    lang: LangOpt = None,
) -> None:
    import secrets

    from cotrain import __version__
    from cotrain.cli.render import echo, emit_json
    from cotrain.domain.purge import purge_data
    from cotrain.errors import WorkspaceError
    from cotrain.files.integrity import (
        cache_files,
        other_files,
        register_all_files,
        scan_workspace,
        temp_files,
    )
    from cotrain.files.workspace import CONFIG_NAME

    # A change killed half-way (a purge included) is finished when the workspace is opened;
    # a dry run reads it as finished, without writing (issue 13).
    ws = open_workspace(workspace, lang, dry_run=dry_run)
    with ws.lock():
        scan = scan_workspace(ws)
        broken = scan.invalid_files()
        if broken:
            raise WorkspaceError(
                t("purge.invalid_files", files=", ".join(broken)),
                hint=t("purge.invalid_files_hint"),
            )
        config = ws.config
        from cotrain.cli.changes import clock_now
        from cotrain.domain.purge import retention
        from cotrain.i18n import format_date

        today = clock_now().date()
        last_day = max((s.date for s in config.plan.sessions), default=None)
        if last_day is not None and last_day >= today and not force:
            raise WorkspaceError(
                t("purge.not_over", date=format_date(last_day)), hint=t("purge.not_over_hint")
            )
        kept_until = periods = None
        if last_day is not None:
            period = retention(
                last_day,
                retention_years=config.privacy.retention_years,
                keep_years=config.training.keep_years,
            )
            periods = {
                "date": format_date(period.purge_from),
                "end": format_date(last_day),
                "years": period.retention_years,
                "keep": period.keep_years,
                "evidence": format_date(period.evidence_until),
            }
            # Signed sheets and certificates are evidence for funders' controls (issue 11).
            if today < period.purge_from:
                kept_until = periods
                if not force and not dry_run:
                    raise WorkspaceError(
                        t("purge.retention", **kept_until),
                        hint=t("purge.retention_hint", **kept_until),
                    )
        raw = {
            name: model.model_dump(by_alias=True, exclude_none=True, mode="python")
            for name, model in scan.models.items()
        }
        outcome = purge_data(raw, seed=secrets.randbits(64))
        specs = register_all_files()
        texts = {}
        for name, data in outcome.files.items():
            if data == raw[name]:
                continue
            model = specs[name].model.model_validate(data)  # our own output: must validate
            header = t(
                "workspace.file_header",
                description=specs[name].description,
                version=__version__,
                lang="en",
            )
            texts[name] = _render(name, model, header)
        doomed = [] if keep_files else other_files(ws)
        # Hidden copies and leftovers hold personal data too: they always go (issue 13).
        hidden = [*temp_files(ws), *cache_files(ws)]
        removed = {kind: outcome.removed.get(kind, 0) for kind in KINDS}
        listed = [str(p.relative_to(ws.root)) for p in doomed]
        if json_out:
            emit_json(
                {
                    "dry_run": dry_run,
                    "removed": removed,
                    "rewritten": sorted(texts),
                    "deleted_files": listed,
                    "hidden_files": len(hidden),
                }
            )
        if not texts and not doomed and not hidden:
            if not json_out:
                echo(t("purge.nothing"))
            return
        if not json_out:
            echo(t("purge.plan_title", folder=str(ws.root)))
            for kind in KINDS:
                if removed[kind]:
                    echo("  - " + t(f"purge.removed.{kind}", count=removed[kind]))
            if texts:
                echo("  - " + t("purge.rewritten", files=", ".join(sorted(texts))))
            for name in listed:
                echo("  - " + t("purge.deleted", file=name))
            if hidden:
                echo("  - " + t("purge.hidden", count=len(hidden)))
            echo(t("purge.kept"))
            if periods is not None:
                echo(t("purge.periods", **periods))
            if CONFIG_NAME in texts:
                echo(t("purge.config_comments"))
        if dry_run:
            if not json_out:
                echo(t("purge.dry_run"))
            return
        if kept_until is not None and not json_out:
            echo(t("purge.retention_forced", **kept_until), stderr=True)
        if not yes and not _confirmed():
            echo(t("purge.cancelled"), stderr=True)
            raise typer.Exit(1)
        with ws.transaction() as tx:  # every file, or none
            for name, text in texts.items():
                tx.write_text(name, text)
            for path in [*doomed, *hidden]:
                tx.delete(path)
        if not json_out:
            echo(t("purge.done"))


def _render(name: str, model: object, header: str) -> str:
    """The file's text, in the layout its own area writes (attendance has a faster one)."""
    from cotrain.files.store import dump_toml

    if name == "attendance.toml":
        try:
            from cotrain.files.attendance_store import render_attendance
        except ImportError:
            pass
        else:
            return render_attendance(model, header=header)  # type: ignore[arg-type]
    dumped = model.model_dump(by_alias=True, exclude_none=True, mode="python")  # type: ignore[attr-defined]
    schema = dumped.pop("schema", None)
    ordered = {"schema": schema, **dumped} if schema is not None else dumped
    return dump_toml(ordered, header=header)


def _confirmed() -> bool:
    """Ask in the user's language: "o"/"oui" in French, "y"/"yes" in English."""
    answer = typer.prompt(t("purge.confirm"), default="", show_default=False, err=True)
    return answer.strip().casefold() in {w.strip() for w in t("purge.yes_words").split(",")}


def register(app: typer.Typer) -> None:
    app.command("purge", help=help_text("purge"))(purge)
