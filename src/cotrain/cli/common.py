"""Options shared by every command, and opening the workspace with the right language.

Light at import (typer, stdlib, i18n only); see ``cli/app.py``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from typer._click.globals import get_current_context

from cotrain.i18n import set_language, t

if TYPE_CHECKING:
    from cotrain.files.workspace import Workspace

_debug = False


def set_debug(value: bool) -> None:
    global _debug
    _debug = _debug or value


def debug_enabled() -> bool:
    return _debug


WorkspaceOpt = Annotated[
    Path | None,
    typer.Option("--workspace", "-w", help=t("opt.workspace"), show_default=False),
]
LangOpt = Annotated[str | None, typer.Option("--lang", help=t("opt.lang"), show_default=False)]
JsonOpt = Annotated[bool, typer.Option("--json", help=t("opt.json"))]
DryRunOpt = Annotated[bool, typer.Option("--dry-run", help=t("opt.dry_run"))]


def _root_obj() -> dict[str, object]:
    ctx = get_current_context(silent=True)
    if ctx is None:
        return {}
    root = ctx.find_root()
    return root.obj if isinstance(root.obj, dict) else {}


def choose_language(lang: str | None, configured: str | None = None) -> str:
    """``--lang`` (command, then root), else ``COTRAIN_LANG``, else the workspace's language.

    The same order as the help texts' (``i18n.detect_language``).
    """
    chosen = lang or _root_obj().get("lang") or os.environ.get("COTRAIN_LANG") or configured
    return set_language(str(chosen) if chosen else None)


def open_workspace(
    workspace: Path | None, lang: str | None, *, dry_run: bool = False
) -> Workspace:
    """Open the workspace named by ``-w`` (command or root), ``COTRAIN_WORKSPACE`` or cwd.

    Sets the language: ``--lang`` wins over ``language`` in ``cotrain.toml``. A change a
    killed command left half-done is finished first (``dry_run``: read as finished, never
    written; issue 13).
    """
    from cotrain.files.workspace import Workspace

    choose_language(lang)  # so that an error opening the workspace is in the asked language
    root = workspace or _root_obj().get("workspace")
    ws = Workspace.open(root if isinstance(root, str | Path) else None, dry_run=dry_run)
    choose_language(lang, ws.config.language)
    return ws


def input_path(file: Path, ws: Workspace) -> Path:
    """A file named on the command line: as given (absolute, or found from the current
    folder), else relative to the workspace (``questionnaires/fin.csv`` from anywhere)."""
    return file if file.is_absolute() or file.exists() else ws.root / file


def help_text(key: str) -> str:
    """A command's help: its purpose and one example, from the catalogue.

    Paragraph breaks are kept: the example is shown verbatim.
    """
    return t(f"help.{key}").replace("\n\n", "\n\n\b\n", 1)
