"""``cotrain init``: a new workspace, from the reference programme or the shipped example."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cotrain.cli.common import LangOpt, choose_language, help_text
from cotrain.i18n import t

EXAMPLE = "seine-saint-denis-2015"


def render_template(language: str) -> str:
    """The commented ``cotrain.toml`` of the reference programme, comments in ``language``."""
    from importlib.resources import files

    text = (files("cotrain") / "templates" / "cotrain.toml").read_text(encoding="utf-8")
    lines = []
    for line in text.splitlines():
        if line.startswith("#: "):
            comment = t(line[3:].strip(), lang=language)
            lines.extend(f"# {part}".rstrip() for part in comment.splitlines())
        else:
            lines.append(line.replace("{language}", language))
    return "\n".join(lines) + "\n"


def example_folder() -> Path:
    from importlib.resources import files

    return Path(str(files("cotrain") / "examples" / EXAMPLE))


def init(
    folder: Annotated[Path, typer.Argument(help=t("init.arg_folder"), show_default=False)],
    example: Annotated[bool, typer.Option("--example", help=t("init.opt_example"))] = False,
    force: Annotated[bool, typer.Option("--force", help=t("init.opt_force"))] = False,
    lang: LangOpt = None,
) -> None:
    from cotrain.cli.render import echo
    from cotrain.errors import UsageError, WorkspaceError
    from cotrain.files.store import ensure_dir, workspace_lock
    from cotrain.files.transaction import finish_pending, transaction
    from cotrain.files.workspace import CONFIG_NAME

    language = choose_language(lang)
    target = folder / CONFIG_NAME
    if folder.exists() and not folder.is_dir():
        raise UsageError(t("init.not_a_folder", folder=str(folder)))
    # An init killed half-way left a journal: finish it (issue 13); before the journal, only
    # hidden temporary files, removed here, and the folder is made anew.
    finished = folder.is_dir() and finish_pending(folder)
    if finished and target.is_file() and not force:
        echo(t("trust.finished", folder=str(folder)))
        echo(t("init.next", folder=str(folder)))
        return
    if target.exists() and not force:
        raise WorkspaceError(
            t("init.exists", file=str(target)), hint=t("init.exists_hint")
        )
    ensure_dir(folder)
    # Every file of the example appears at once, cotrain.toml last: a folder holding
    # cotrain.toml is a whole programme.
    with workspace_lock(folder), transaction(folder) as tx:
        tx.last = (CONFIG_NAME,)
        if example:
            source = example_folder()
            if not (source / CONFIG_NAME).is_file():
                raise WorkspaceError(t("init.example_missing", folder=str(source)))
            for path in sorted(source.rglob("*")):
                relative = path.relative_to(source)
                if path.is_file() and not any(part.startswith(".") for part in relative.parts):
                    tx.write_bytes(relative.as_posix(), path.read_bytes())
        else:
            tx.write_text(CONFIG_NAME, render_template(language))
    if example:
        echo(t("init.example_done", folder=str(folder), example=EXAMPLE))
    else:
        echo(t("init.done", file=str(target)))
    echo(t("init.next", folder=str(folder)))


def register(app: typer.Typer) -> None:
    app.command("init", help=help_text("init"))(init)
