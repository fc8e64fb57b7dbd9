"""Options shared by every command, and opening the workspace with the right language.

Light at import (typer, stdlib, i18n only); see ``cli/app.py``.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from typer._click.globals import get_current_context

from cotrain.i18n import set_language, t

if TYPE_CHECKING:
    from cotrain.files.workspace import Workspace

_debug = False
_quiet = False


def set_debug(value: bool) -> None:
    global _debug
    _debug = _debug or value


def debug_enabled() -> bool:
    return _debug


def set_quiet(value: bool) -> None:
    """``cotrain --quiet``: only errors (and JSON output) are written."""
    global _quiet
    _quiet = value


def quiet_enabled() -> bool:
    return _quiet


def _check_lang(value: str | None) -> str | None:
    """``--lang de`` is a usage error (exit 2), not silently French (issue 15)."""
    from cotrain.i18n import LANGUAGES

    if value is not None and value.lower() not in LANGUAGES:
        raise typer.BadParameter(
            t("usage.bad_lang", value=value, allowed=", ".join(LANGUAGES)), param_hint="'--lang'"
        )
    return value.lower() if value else value


WorkspaceOpt = Annotated[
    Path | None,
    typer.Option("--workspace", "-w", help=t("opt.workspace"), show_default=False),
]
LangOpt = Annotated[
    str | None,
    typer.Option("--lang", help=t("opt.lang"), show_default=False, callback=_check_lang),
]
JsonOpt = Annotated[bool, typer.Option("--json", help=t("opt.json"))]
DryRunOpt = Annotated[bool, typer.Option("--dry-run", help=t("opt.dry_run"))]


def choice_list(values: tuple[str, ...] | list[str]) -> str:
    """The metavar of a ``--format``-like option: its choices, ``[csv|json|toml]`` (issue 15)."""
    return "[" + "|".join(values) + "]"


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
    say_recovered(ws)
    choose_language(lang, ws.config.language)
    return ws


def say_recovered(ws: Workspace) -> None:
    """One line on stderr for each half-done change that opening ``ws`` finished or undid."""
    from cotrain.cli.render import echo

    for line in ws.recovered:
        echo(line, stderr=True)
    ws.recovered = []


STDIO = "-"


def input_path(file: Path, ws: Workspace) -> Path:
    """A file named on the command line: as given (absolute, or found from the current
    folder), else relative to the workspace (``questionnaires/fin.csv`` from anywhere);
    ``-``: standard input."""
    if str(file) == STDIO:
        return stdin_file()
    return file if file.is_absolute() or file.exists() else ws.root / file


def stdin_file() -> Path:
    """Standard input copied to a private temporary file (0600 in a 0700 folder, removed at
    exit), for the readers that need a file: ``cotrain import - < reponses.csv`` (issue 15)."""
    import atexit
    import shutil
    import sys
    import tempfile

    from cotrain.files.store import atomic_write_bytes

    folder = Path(tempfile.mkdtemp(prefix="cotrain-"))
    atexit.register(shutil.rmtree, folder, True)
    path = folder / t("usage.stdin_name")
    atomic_write_bytes(path, sys.stdin.buffer.read(), durable=False)
    return path


def output_path(path: Path | None) -> Path | None:
    """``-o -`` is standard output, as no ``-o`` at all (issue 15)."""
    return None if path is not None and str(path) == STDIO else path


def folder_metavar() -> str:
    """The value of an option that names a folder to write into (typer would say <FICHIER>)."""
    return f"<{t('usage.type_folder')}>"


def clock_epilog() -> str:
    """The note under the help of every command that reads the clock (issue 15: the
    ``COTRAIN_*`` variables are shown where they act)."""
    return "\b\n" + t("usage.environment_now")


def help_text(key: str) -> str:
    """A command's help: its purpose and one example, from the catalogue.

    Paragraph breaks are kept: the example is shown verbatim.
    """
    return t(f"help.{key}").replace("\n\n", "\n\n\b\n", 1)


@contextmanager
def without_cycle_collector() -> Iterator[None]:
    """Around the part of a command that reads or writes a whole file of models at once
    (10,000 people for ``import`` and ``check``): hundreds of thousands of objects without
    cycles, which the cyclic collector would scan again and again for nothing (issue 16; peak
    memory measured unchanged). Afterwards what was made is moved out of its sight
    (``gc.freeze``): neither its next pass nor the full one at exit scans it all again
    (0.15 s of an import of 10,000 applications). Only in the command's own process, which
    ends soon after: a test runner calling commands in its process keeps its collector."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if os.environ.get("COTRAIN_PROCESS") == str(os.getpid()):  # set by cli.app.main
            gc.freeze()
        if enabled:
            gc.enable()
