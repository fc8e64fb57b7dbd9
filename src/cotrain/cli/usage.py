"""The command-line parser's own words in the chosen language (issue 15).

Typer's bundled click writes its usage errors and help headings in English ("No such option",
"Missing option", "[default: …]", "Usage:", "Try … for help"). :func:`install` makes them go
through :func:`cotrain.i18n.t` like every other message: the headings and brackets through the
``_`` typer looks up, the usage line's prefix through the help formatter, and the errors by
reading the English sentence back into its parts (the bundled click builds them as f-strings).

Light at import: typer and the standard library only.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import IO, Any

from cotrain.i18n import has_key, t

# typer.core's gettext message ids -> catalogue keys.
_MSGIDS = {
    "Arguments": "usage.arguments",
    "Options": "usage.options",
    "Commands": "usage.commands",
    "default: {default}": "usage.default",
    "required": "usage.required",
    "env var: {var}": "usage.env_var",
    "(dynamic)": "usage.dynamic",
    "(deprecated) ": "usage.deprecated",
    "Missing command.": "usage.missing_command",
    "No such command {name!r}.": "usage.no_such_command",
    "Aborted!": "usage.aborted",
    "Aborted.": "usage.aborted",
}

# English error sentences of the bundled click -> catalogue key (named groups are parameters).
# Patterns compiled when a usage error is first translated (re caches them), not at each start.
_ERRORS: list[tuple[str, str]] = [
    (
        r"^No such option: (?P<name>\S+)(?: \(Possible options: (?P<options>.*)\))?$",
        "usage.no_such_option",
    ),
    (  # "--output / -o": an option with a short name is quoted twice by click
        r"^Missing option '(?P<name>[^']*)'(?: / '(?P<alias>[^']*)')?\.(?P<rest>.*)$",
        "usage.missing_option",
    ),
    (r"^Missing argument '(?P<name>[^']*)'\.(?P<rest>.*)$", "usage.missing_argument"),
    (r"^Missing parameter: (?P<name>.*)$", "usage.missing_parameter"),
    (r"^Option '(?P<name>[^']*)' requires an argument\.$", "usage.needs_value"),
    (
        r"^Option '(?P<name>[^']*)' requires (?P<count>\d+) arguments\.$",
        "usage.needs_values",
    ),
    (r"^Option '(?P<name>[^']*)' does not take a value\.$", "usage.no_value"),
    (r"^Got unexpected extra arguments? \((?P<args>.*)\)$", "usage.extra_args"),
    (
        r"^No such command '(?P<name>[^']*)'\.(?: Did you mean (?P<close>.*)\?)?$",
        "usage.no_such_command",
    ),
    (r"^Invalid value for (?P<param>.+?): (?P<problem>.*)$", "usage.invalid_value"),
    (r"^Invalid value: (?P<problem>.*)$", "usage.invalid_value_plain"),
]
# What a value's problem says, inside "Invalid value for …".
_PROBLEMS: list[tuple[str, str]] = [
    (
        r"^(?:Value )?(?P<value>'.*'|\".*\"|\S+) is not a valid (?P<kind>[\w ]+)\.$",
        "usage.not_a",
    ),
    (r"^Input should be a valid (?P<kind>\w+)(?:,.*)?$", "usage.not_a_plain"),
    (r"^Input should be greater than or equal to (?P<limit>\S+)$", "usage.at_least"),
    (r"^Input should be less than or equal to (?P<limit>\S+)$", "usage.at_most"),
    (r"^(?P<value>.+?) is not one of (?P<choices>.*)\.$", "usage.not_one_of"),
    (r"^(?P<value>.+?) is not in the range (?P<range>.*)\.$", "usage.not_in_range"),
]
_KINDS = {
    "integer": "usage.kind_integer",
    "int": "usage.kind_integer",
    "float": "usage.kind_float",
    "number": "usage.kind_float",
    "boolean": "usage.kind_boolean",
    "bool": "usage.kind_boolean",
    "date": "usage.kind_date",
    "path": "usage.kind_path",
}


_CLOSE = re.compile(r"^(?P<head>.*?)\.? Did you mean (?P<close>.*)\?$")


def translate_error(message: str) -> str:
    """An English usage error of the bundled click, in the chosen language."""
    close = _CLOSE.match(message)
    if close is not None:  # typer adds its suggestions after the translated sentence
        head = translate_error(close["head"] + ("" if close["head"].endswith(".") else "."))
        return t("usage.did_you_mean", message=head, close=close["close"])
    for pattern, key in _ERRORS:
        found = re.match(pattern, message)
        if found is None:
            continue
        params = {k: v or "" for k, v in found.groupdict().items()}
        if "problem" in params:
            params["problem"] = _problem(params["problem"])
        if key == "usage.no_such_option" and params["options"]:
            key = "usage.no_such_option_close"
        if key == "usage.no_such_command" and params["close"]:
            key = "usage.no_such_command_close"
        if params.get("alias"):
            params["name"] = f"{params['name']} / {params.pop('alias')}"
        if params.get("rest"):
            params["rest"] = " " + params["rest"].strip()
        return t(key, **params)
    return message


def _problem(text: str) -> str:
    for pattern, key in _PROBLEMS:
        found = re.match(pattern, text)
        if found is not None:
            params = found.groupdict()
            if "kind" in params:
                params["kind"] = t(_KINDS.get(params["kind"].strip(), "usage.kind_value"))
            return t(key, **params)
    return text


def _gettext(message: str) -> str:
    key = _MSGIDS.get(message)
    if key is None:
        return message
    # keep the placeholders for the caller's .format()
    return t(key, default="{default}", var="{var}", name="{name!r}")


def _show_usage_error(self: Any, file: IO[Any] | None = None) -> None:
    from typer._click.utils import echo

    stream = file
    if stream is None:
        import sys

        stream = sys.stderr
    ctx = getattr(self, "ctx", None)
    if ctx is not None:
        hint = ""
        if ctx.command.get_help_option(ctx) is not None:
            hint = t("usage.try_help", command=f"{ctx.command_path} {ctx.help_option_names[0]}")
        echo(f"{ctx.get_usage()}\n{hint}\n", file=stream, color=ctx.color)
    echo(t("usage.error", message=translate_error(self.format_message())), file=stream)


def _show_error(self: Any, file: IO[Any] | None = None) -> None:
    from typer._click.utils import echo

    echo(t("usage.error", message=translate_error(self.format_message())), file=file, err=True)


_TYPE_WORDS = {
    "str": "usage.type_text",
    "int": "usage.type_number",
    "float": "usage.type_number",
    "int range": "usage.type_number",
    "float range": "usage.type_number",
    "path": "usage.type_file",
    "Path": "usage.type_file",
    "file": "usage.type_file",
    "directory": "usage.type_folder",
    "datetime": "usage.type_date",
    "date": "usage.type_date",
}


_FOLDERS = {"workspace", "folder", "directory", "root", "dest", "destination"}


def type_word(label: str) -> str:
    """A type name of the help (``list[Path]``, ``int range``) in the user's words (FICHIER)."""
    inner = label[5:-1] if label.startswith("list[") and label.endswith("]") else label
    key = _TYPE_WORDS.get(inner)
    return t(key) if key else label


def _translate_type_names(typer_core: Any) -> None:
    """``<list[Path]>``, ``<int range>``, ``<str>`` become ``<FICHIER>``, ``<NOMBRE>``,
    ``<TEXTE>``; a default given as text shows without typer's parentheses."""
    display_type = typer_core._TyperParameter.display_type

    def translated_display_type(self: Any, ctx: Any) -> str:
        shown = str(display_type(self, ctx))
        if not (shown.startswith("<") and shown.endswith(">")):
            return shown
        label = shown[1:-1]
        name = str(self.name or "")
        if label in ("path", "Path") and (name in _FOLDERS or name.endswith("_dir")):
            return f"<{t('usage.type_folder')}>"
        return f"<{type_word(label)}>"

    typer_core._TyperParameter.display_type = translated_display_type
    default_string = typer_core._get_default_string

    def translated_default(obj: Any, *, ctx: Any, show_default_is_str: bool, **rest: Any) -> str:
        if show_default_is_str:
            return str(obj.show_default)
        shown = str(
            default_string(obj, ctx=ctx, show_default_is_str=show_default_is_str, **rest)
        )
        if re.fullmatch(r"-?\d+\.\d+", shown):  # a decimal default: « 60,0 » in French
            from cotrain.i18n import format_number

            shown = format_number(float(shown), decimals=len(shown.split(".")[1]))
        return shown

    typer_core._get_default_string = translated_default


def _translate_argument_names(typer_core: Any) -> None:
    """Arguments are named in the user's words and capitals, as options' values are:
    ``cotrain replace [OPTIONS] PERSONNE`` (typer shows ``{person}``: the code's English name
    in braces)."""
    argument = typer_core.TyperArgument

    def display_name_raw(self: Any) -> str:
        if self.metavar is not None:
            return str(self.metavar)
        name = str(self.name or "")
        key = f"usage.arg.{name}"
        return t(key) if has_key(key) else name.upper()

    def usage_display_name(self: Any) -> str:
        name = display_name_raw(self)
        if not self.required:
            name = f"[{name}]"
        return name + ("..." if self.nargs != 1 else "")

    argument.display_name_raw = property(display_name_raw)
    argument._usage_display_name = usage_display_name

    from typer._click import core as click_core

    def translating(collect: Callable[..., list[str]]) -> Callable[..., list[str]]:
        def translated_pieces(self: Any, ctx: Any) -> list[str]:
            words = {"[OPTIONS]": t("usage.options_metavar"),
                     "COMMAND [ARGS]...": t("usage.command_metavar")}
            return [words.get(piece, piece) for piece in collect(self, ctx)]

        return translated_pieces

    for cls in (click_core.Command, typer_core.TyperGroup):
        if "collect_usage_pieces" in vars(cls):
            cls.collect_usage_pieces = translating(vars(cls)["collect_usage_pieces"])


def _describe_range(low: float | None, high: float | None) -> str | None:
    """``au moins 0,1`` / ``at least 0.1`` rather than typer's ``x>=0.1``."""
    from cotrain.i18n import format_number

    def number(value: float) -> str:
        decimals = 0 if float(value).is_integer() else len(repr(float(value)).split(".")[1])
        return format_number(value, decimals=decimals)

    if low is None and high is None:
        return None
    if high is None:
        return t("usage.range_min", low=number(low))  # type: ignore[arg-type]
    if low is None:
        return t("usage.range_max", high=number(high))
    return t("usage.range_between", low=number(low), high=number(high))


def install() -> None:
    """Make typer and its bundled click speak through :func:`t` (idempotent)."""
    import typer.core as typer_core
    from typer._click import decorators, exceptions, formatting

    if getattr(typer_core, "_cotrain_usage", False):
        return
    typer_core._ = _gettext  # type: ignore[attr-defined]
    typer_core._cotrain_usage = True  # type: ignore[attr-defined]

    write_usage: Callable[..., None] = formatting.HelpFormatter.write_usage

    def translated_usage(self: Any, prog: str, args: str = "", prefix: str | None = None) -> None:
        write_usage(self, prog, args, t("usage.usage") + " " if prefix is None else prefix)

    formatting.HelpFormatter.write_usage = translated_usage  # type: ignore[method-assign]
    _translate_type_names(typer_core)
    _translate_argument_names(typer_core)
    import typer._display as typer_display

    typer_display.describe_number_range = _describe_range
    typer_core.describe_number_range = _describe_range  # type: ignore[attr-defined]
    exceptions.UsageError.show = _show_usage_error  # type: ignore[method-assign]
    exceptions.ClickException.show = _show_error  # type: ignore[method-assign]

    help_option = decorators.help_option

    def translated_help_option(param_decls: list[str]) -> Any:
        decorate = help_option(param_decls)

        def apply(command: Any) -> Any:
            result = decorate(command)
            command.params[-1].help = t("usage.help_option")
            return result

        return apply

    decorators.help_option = translated_help_option  # type: ignore[assignment]
