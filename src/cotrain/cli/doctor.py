"""``cotrain doctor``: is every file of the workspace readable, consistent and private?"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from cotrain.cli.common import JsonOpt, LangOpt, WorkspaceOpt, choose_language, help_text
from cotrain.i18n import t


def _open(workspace: Path | None, lang: str | None) -> Any:
    """The workspace, without reading cotrain.toml yet: doctor must report a broken one."""
    from cotrain.cli.common import _root_obj, say_recovered
    from cotrain.files.workspace import Workspace

    choose_language(lang)
    root = workspace or _root_obj().get("workspace")
    ws = Workspace.open(root if isinstance(root, str | Path) else None)
    say_recovered(ws)
    return ws


def doctor(
    fix: Annotated[bool, typer.Option("--fix", help=t("integrity.opt_fix"))] = False,
    json_out: JsonOpt = False,
    workspace: WorkspaceOpt = None,
    lang: LangOpt = None,
) -> None:
    from cotrain.cli.render import echo, emit_json
    from cotrain.domain.doctor import ERROR, check_references, has_errors
    from cotrain.files.integrity import mend, scan_workspace
    from cotrain.files.workspace import CONFIG_NAME

    ws = _open(workspace, lang)
    scan = scan_workspace(ws)
    config = scan.models.get(CONFIG_NAME)
    findings = list(scan.findings)
    if config is not None:
        choose_language(lang, config.language)  # type: ignore[attr-defined]
    # References are checked once every file reads: a broken file would make everything that
    # depends on it look wrong, and drown the one message that matters.
    if config is not None and not scan.invalid_files():
        findings += check_references(
            config,  # type: ignore[arg-type]
            applications=scan.models.get("applications.toml"),  # type: ignore[arg-type]
            selection=scan.models.get("selection.toml"),  # type: ignore[arg-type]
            schedule=scan.models.get("schedule.toml"),  # type: ignore[arg-type]
            attendance=scan.models.get("attendance.toml"),  # type: ignore[arg-type]
            surveys=scan.models.get("surveys.toml"),  # type: ignore[arg-type]
            duo_notes=scan.models.get("duo_notes.toml"),  # type: ignore[arg-type]
        )
    if config is not None and not scan.invalid_files() and scan.models.get("schedule.toml"):
        findings += _schedule_misfits(scan.models)
    mended = []
    if fix and any(f.code in {"temp_leftover", "permissions", "cache_leftover"} for f in findings):
        with ws.lock():
            scan = scan_workspace(ws)  # under the lock: no command is writing now
            mended = mend(ws, scan)
        mended_keys = {(f.code, f.file) for f in mended}
        findings = [f for f in findings if (f.code, f.file) not in mended_keys]

    def described(finding: Any) -> dict[str, Any]:
        return {
            **finding.as_dict(),
            "message": t(f"integrity.finding.{finding.code}", **finding.params),
            "fix": t(f"integrity.fix.{finding.code}", **finding.params),
        }

    failed = has_errors(findings)
    if json_out:
        emit_json(
            {
                "ok": not failed,
                "findings": [described(f) for f in findings],
                "mended": [described(f) for f in mended],
            }
        )
    else:
        for finding in mended:
            echo(t("integrity.mended", file=finding.file, what=described(finding)["message"]))
        for finding in findings:
            mark = t("integrity.error") if finding.severity == ERROR else t("integrity.warning")
            info = described(finding)
            echo(f"{mark} {t('error.at', where=finding.file, message=info['message'])}")
            echo("  " + t("integrity.how_to_fix", fix=info["fix"]))
        errors = sum(1 for f in findings if f.severity == ERROR)
        if not findings:
            echo(t("integrity.all_good", folder=str(ws.root)))
        else:
            echo(t("integrity.summary", errors=errors, warnings=len(findings) - errors))
    if failed:
        raise typer.Exit(1)


# Reference problems doctor already reports in its own words.
_ALREADY_REPORTED = {"unknown_session", "unknown_person", "unknown_trainer", "person_twice"}


def _schedule_misfits(models: dict[str, Any]) -> list[Any]:
    """The schedule against today's ``cotrain.toml``: every hard rule of ``schedule check``
    (issue 15: a configuration changed after scheduling no longer fits the schedule). Warnings:
    the files themselves are sound, ``schedule check`` is the verdict on the plan."""
    from cotrain.cli.schedule import describe
    from cotrain.domain.config import plan_digest
    from cotrain.domain.doctor import WARNING, Finding
    from cotrain.domain.models import ApplicationsFile
    from cotrain.domain.participants import list_participants
    from cotrain.domain.scheduling.constraints import PlanContext, validate_schedule
    from cotrain.files.workspace import CONFIG_NAME

    config = models[CONFIG_NAME]
    schedule = models["schedule.toml"]
    if not schedule.rules_digest or schedule.rules_digest == plan_digest(config):
        return []  # the rules have not changed since it was planned: schedule check judges it
    people = list_participants(
        config, models.get("applications.toml") or ApplicationsFile(), models.get("selection.toml")
    )
    ctx = PlanContext(config, people)
    return [
        Finding("schedule_misfit", "schedule.toml", WARNING, params={"detail": describe(ctx, v)})
        for v in validate_schedule(ctx, models["schedule.toml"])
        if v.rule not in _ALREADY_REPORTED
    ]


def register(app: typer.Typer) -> None:
    app.command("doctor", help=help_text("doctor"))(doctor)
