"""The command line as a whole: help on every command, errors, exit codes, start-up."""

from __future__ import annotations

import subprocess
import sys

import pytest

from cotrain import __version__


def _commands(group, prefix: tuple[str, ...] = ()):
    import typer

    ctx = typer.Context(group)
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        path = (*prefix, name)
        yield path, command
        if hasattr(command, "list_commands"):
            yield from _commands(command, path)


def test_every_command_has_help_with_an_example(app) -> None:
    import typer.main

    root = typer.main.get_command(app)
    missing = [
        " ".join(path)
        for path, command in _commands(root)
        if not command.help or "Exemple" not in command.help
    ]
    assert missing == []


def test_every_command_takes_workspace_and_lang(app) -> None:
    import typer.main

    root = typer.main.get_command(app)
    lacking = []
    for path, command in _commands(root):
        if hasattr(command, "list_commands") and not command.invoke_without_command:
            continue
        names = {opt for param in command.params for opt in getattr(param, "opts", [])}
        wanted = {"--lang"} if path == ("init",) else {"--workspace", "-w", "--lang"}
        if not wanted <= names:
            lacking.append(" ".join(path))
    assert lacking == []


def test_version(run) -> None:
    result = run("--version")
    assert result.exit_code == 0
    assert result.output == f"cotrain {__version__}\n"


def test_missing_workspace_is_a_clear_error(run, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    from cotrain.cli.common import open_workspace

    with pytest.raises(Exception) as caught:
        open_workspace(None, None)
    assert "cotrain init" in caught.value.render()


def test_unexpected_error_shows_no_traceback_without_debug(app, monkeypatch, tmp_path) -> None:
    from typer.testing import CliRunner

    from cotrain.cli import common, init

    monkeypatch.setattr(common, "_debug", False)

    def boom(*args, **kwargs):
        raise RuntimeError("secret personal value")

    monkeypatch.setattr(init, "_programme", boom)
    result = CliRunner().invoke(app, ["init", str(tmp_path / "x")])
    assert result.exit_code == 3
    assert "secret" not in result.output
    assert "Traceback" not in result.output
    assert "--debug" in result.output


def test_installed_entry_point_and_module_run() -> None:
    script = subprocess.run(
        ["cotrain", "--version"], capture_output=True, text=True, check=False
    )
    module = subprocess.run(
        [sys.executable, "-m", "cotrain", "--version"], capture_output=True, text=True, check=False
    )
    assert (script.returncode, script.stdout) == (0, f"cotrain {__version__}\n")
    assert (module.returncode, module.stdout) == (0, f"cotrain {__version__}\n")


def test_bad_usage_exits_2(tmp_path) -> None:
    result = subprocess.run(
        ["cotrain", "init"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 2


def test_cli_start_up_imports_no_heavy_module() -> None:
    code = (
        "import sys; import cotrain.cli.app as a; a.build_app(); "
        "heavy = [m for m in ('pydantic', 'rich', 'openpyxl', 'fpdf', 'icalendar') if m in sys.modules]; "
        "print(','.join(heavy))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""


def test_debug_traceback_never_quotes_validation_input() -> None:
    from pydantic import BaseModel, ValidationError

    from cotrain.cli.app import debug_traceback

    class Person(BaseModel):
        email: int

    value = "awa" + ".diallo@example.org"  # not on the line the traceback quotes
    try:
        Person(email=value)
    except ValidationError as exc:
        text = debug_traceback(exc)

    assert "awa.diallo" not in text
    assert text.startswith("Traceback (most recent call last):")
    assert "ValidationError: email:" in text


def test_language_order_is_flag_then_environment_then_workspace(run, example_ws) -> None:
    french = run("trainers", "-w", example_ws)
    from_env = run("trainers", "-w", example_ws, env={"COTRAIN_LANG": "en"})
    flag_wins = run("trainers", "-w", example_ws, "--lang", "fr", env={"COTRAIN_LANG": "en"})

    assert "formateur·rice professionnel·le" in french.output
    assert "professional trainer" in from_env.output
    assert "formateur·rice professionnel·le" in flag_wins.output


def test_output_naming_a_folder_or_a_file_is_a_clear_error(run, example_ws) -> None:
    assert run("import", example_ws / "reponses.csv", "-w", example_ws).exit_code == 0
    assert run("select", "-w", example_ws).exit_code == 0
    (example_ws / "adir").mkdir()
    (example_ws / "afile").write_text("mine", encoding="utf-8")

    into_folder = run("participants", "-w", example_ws, "--format", "csv", "--output", example_ws / "adir")
    into_file = run("letters", "-w", example_ws, "--output", example_ws / "afile")

    assert (into_folder.exit_code, into_file.exit_code) == (1, 1)
    assert "est un dossier, pas un fichier" in into_folder.output
    assert "est un fichier, pas un dossier" in into_file.output
    assert (example_ws / "afile").read_text(encoding="utf-8") == "mine"
