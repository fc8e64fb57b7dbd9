"""The root command, its error boundary, and the registration of every command.

Start-up is kept light (issue 6: ``cotrain --help`` within 1.3 times a two-command Typer app):
command modules import only typer, the standard library, ``cotrain.i18n`` and
``cotrain.cli.common`` at module level; pydantic, rich and the domain are imported inside the
command functions.

How commands are registered: each module named in ``COMMAND_MODULES`` exposes
``register(app: typer.Typer) -> None`` which adds its command(s) or sub-app(s).

Error boundary (STYLE.md): a ``CotrainError`` prints its message (file, row, column, hint) and
exits 1 (2 for usage errors); any other exception prints a short notice suggesting ``--debug``
and exits 3; ``--debug`` (or ``COTRAIN_DEBUG=1``) shows the traceback, never local variables.
"""

from __future__ import annotations

import importlib
import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from typer._click.exceptions import ClickException
from typer.core import TyperGroup

from cotrain import __version__
from cotrain.cli import common
from cotrain.i18n import detect_language, t

COMMAND_MODULES = (
    "init",
    "intake",
    "check",
    "selection",
    "budget",
    "people",
    "letters",
    "schedule",
    "outputs",
    "mix",
    "attendance",
    "sign",
    "report",
    "certificates",
    "attestations",
    "evaluation",
    "changes",
    "bilan",
    "doctor",
    "purge",
)


# The module of each command. A line whose command, after the root options (``-w DIR``,
# ``--lang``, ``-q``, ``--debug``), is one of these names builds that module's
# commands only, not the forty others (typer reads every command's signature when it builds
# the app: 0.05 s of each start; issue 16). Anything else (``--help``, another option, a name
# not listed here) builds every command. ``tests/cli/test_app_start.py`` checks this table.
COMMAND_HOME = {
    "init": "init", "import": "intake", "applications": "intake", "check": "check",
    "select": "selection", "budget": "budget", "participants": "people", "trainers": "people",
    "letters": "letters", "replace": "schedule", "schedule": "schedule", "roster": "outputs",
    "calendar": "outputs", "sheets": "outputs", "programme": "outputs", "mix": "mix",
    "attend": "attendance", "attendance": "attendance", "sign": "sign", "report": "report",
    "certificates": "certificates", "attestations": "attestations", "assess": "attestations",
    "survey": "evaluation", "duo": "evaluation", "join": "changes", "leave": "changes",
    "history": "changes", "bilan": "bilan", "doctor": "doctor", "purge": "purge",
}  # fmt: skip

# The root options before the command: those that take a value, and those that do not.
_ROOT_VALUED = ("-w", "--workspace", "--lang")
_ROOT_FLAGS = ("--debug", "--quiet", "-q")


def command_module(args: list[str]) -> str | None:
    """The module of the command named on the line, after the root options (``cotrain -w DIR
    import``), or None (every command is built) for anything else: ``--help``, an unknown
    option or command, a root option without its value."""
    index = 0
    while index < len(args):
        arg = args[index]
        if arg in _ROOT_VALUED:
            index += 2
        elif arg in _ROOT_FLAGS or arg.startswith(("--workspace=", "--lang=")):
            index += 1
        else:
            return COMMAND_HOME.get(arg)
    return None


class CotrainGroup(TyperGroup):
    """The root group: turns our errors into messages and exit codes."""

    def get_params(self, ctx: typer.Context) -> Any:
        params = super().get_params(ctx)
        for param in params:  # typer's own completion options, in the chosen language
            if param.name == "install_completion":
                param.help = t("usage.completion")
            elif param.name == "show_completion":
                param.help = t("usage.completion_show")
        return params

    def resolve_command(self, ctx: typer.Context, args: list[str]) -> Any:
        from cotrain.files.running import set_command

        name, command, rest = super().resolve_command(ctx, args)
        set_command(command.name if command is not None else name)
        _HAS_OUTPUT[0] = command is not None and any(
            "--output" in getattr(param, "opts", ()) for param in command.params
        )
        return name, command, rest

    def invoke(self, ctx: typer.Context) -> Any:
        from cotrain.cli import start_collector
        from cotrain.errors import CotrainError

        start_collector()  # the start-up is over: the command's own code runs with it
        try:
            return super().invoke(ctx)
        except CotrainError as exc:
            from cotrain.cli.render import print_error

            print_error(exc)
            raise typer.Exit(exc.exit_code) from None
        except (ClickException, typer.Exit, typer.Abort):
            raise
        except BrokenPipeError:
            _silence_stdout()
            raise typer.Exit(0) from None
        except OSError as exc:  # the environment's fault (issue 13): say what to do, exit 1
            from cotrain.cli.render import print_error

            print_error(environment_error(exc))
            if exc.filename is None:
                _silence_stdout()
            raise typer.Exit(1) from None
        except KeyboardInterrupt:
            typer.echo(t("app.interrupted"), err=True)
            raise typer.Exit(130) from None
        except Exception:
            if common.debug_enabled():
                raise
            typer.echo(t("app.unexpected"), err=True)
            raise typer.Exit(3) from None


_HAS_OUTPUT = [False]  # does the running command have --output? (the hint of a full output)


def environment_error(exc: OSError) -> Any:
    """A refusal of the system (permissions, full disk, name too long...) as a clear error.

    Without a file name, it was the command's own output (``cotrain report > /dev/full``).
    """
    from cotrain.errors import WorkspaceError
    from cotrain.files.store import cannot_write, os_reason

    if exc.filename is None:
        return WorkspaceError(
            t("trust.output_failed", reason=os_reason(exc)),
            hint=t(
                "trust.output_failed_hint" if _HAS_OUTPUT[0] else "trust.output_failed_hint_plain"
            ),
        )
    error = cannot_write(Path(str(exc.filename)), exc)
    return WorkspaceError(
        t("trust.os_error", path=str(exc.filename), reason=os_reason(exc)),
        hint=error.hint or t("trust.os_error_hint"),
    )


def _silence_stdout() -> None:
    """The reader went away (``cotrain applications | head``): stop writing, quietly."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def _version(value: bool) -> None:
    if value:
        typer.echo(f"cotrain {__version__}")
        raise typer.Exit()


def _root(
    ctx: typer.Context,
    workspace: common.WorkspaceOpt = None,
    lang: common.LangOpt = None,
    debug: Annotated[bool, typer.Option("--debug", help=t("opt.debug"))] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help=t("usage.quiet"))] = False,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help=t("opt.version")),
    ] = False,
) -> None:
    ctx.obj = {"workspace": workspace, "lang": lang}
    common.set_debug(debug)
    common.set_quiet(quiet)
    if lang:
        from cotrain.i18n import set_language

        set_language(lang)


def build_app(only: str | None = None) -> typer.Typer:
    """The ``cotrain`` application with every command registered (``only``: the commands of
    that one module of ``COMMAND_MODULES``)."""
    from cotrain.cli.usage import install

    install()  # usage errors and help headings in the chosen language (issue 15)
    app = typer.Typer(
        cls=CotrainGroup,
        name="cotrain",
        help=t("app.help"),
        epilog="\b\n" + t("usage.environment"),  # \b: keep the lines as written
        no_args_is_help=True,
        add_completion=True,
        pretty_exceptions_enable=False,  # tracebacks with locals would show personal data
        rich_markup_mode=None,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    app.callback()(_root)
    for name in COMMAND_MODULES if only is None else (only,):
        module_name = f"cotrain.cli.{name}"
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:  # an area not written yet
            if exc.name == module_name:
                continue
            raise
        module.register(app)
    return app


def main(argv: list[str] | None = None) -> None:
    """The console script ``cotrain``."""
    args = sys.argv[1:] if argv is None else argv
    if args == ["--version"]:  # the fastest path: no app to build
        sys.stdout.write(f"cotrain {__version__}\n")
        return
    # The cyclic collector's pace is set when ``cotrain.cli`` is imported (issue 16).
    if os.environ.get("COTRAIN_DEBUG") == "1":
        common.set_debug(True)
    os.environ["COTRAIN_PROCESS"] = str(os.getpid())  # a real process: --time-limit counts
    detect_language(args)
    code: Any = 0
    try:
        build_app(command_module(args))(args=args, prog_name="cotrain")
    except SystemExit as exc:
        code = exc.code
    except BrokenPipeError:
        _silence_stdout()
    except Exception as exc:  # only with --debug: the boundary re-raises for the traceback
        sys.stderr.write(debug_traceback(exc))
        raise SystemExit(3) from None
    # What is still buffered: a write error here (a full disk behind ``> file``) is an error
    # too, not a silent exit 0 (issue 13).
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        _silence_stdout()
    except OSError as exc:
        _silence_stdout()
        from cotrain.cli.render import print_error

        print_error(environment_error(exc))
        code = 1
    raise SystemExit(code)


def debug_traceback(exc: BaseException) -> str:
    """The traceback ``--debug`` shows: where it happened, never the data involved.

    Frames (file, line, function, source line) and the exception's type. Its message is kept
    except for pydantic's validation errors, whose messages quote the input values: those show
    only the field paths and the reasons.
    """
    import traceback

    frames = "".join(traceback.format_tb(exc.__traceback__))
    name = type(exc).__qualname__
    errors = getattr(exc, "errors", None)
    if callable(errors) and type(exc).__module__.startswith("pydantic"):
        try:
            problems = errors(include_url=False, include_input=False, include_context=False)
            detail = "; ".join(f"{'.'.join(map(str, p['loc']))}: {p['msg']}" for p in problems)
        except TypeError:
            detail = ""
    else:
        detail = str(exc)
    return f"Traceback (most recent call last):\n{frames}{name}: {detail}\n"
