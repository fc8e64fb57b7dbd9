"""A command named first on the line is built alone (faster start, issue 16): the table that
says which module holds each command must match what the modules register."""

from __future__ import annotations

import importlib

import typer

from cotrain.cli.app import COMMAND_HOME, COMMAND_MODULES, build_app


def registered(module_name: str) -> set[str]:
    app = typer.Typer()
    importlib.import_module(f"cotrain.cli.{module_name}").register(app)
    names = {c.name or c.callback.__name__ for c in app.registered_commands}  # type: ignore[union-attr]
    names |= {g.name or g.typer_instance.info.name for g in app.registered_groups}  # type: ignore[misc,union-attr]
    return names  # type: ignore[return-value]


def test_every_listed_command_is_registered_by_its_module() -> None:
    for command, module in COMMAND_HOME.items():
        assert module in COMMAND_MODULES
        assert command in registered(module), (command, module)


def test_no_two_modules_register_one_name() -> None:
    seen: dict[str, str] = {}
    for module in COMMAND_MODULES:
        try:
            names = registered(module)
        except ModuleNotFoundError:
            continue
        for name in names:
            assert name not in seen, (name, seen.get(name), module)
            seen[name] = module


def test_one_module_app_has_its_commands_only() -> None:
    app = typer.main.get_command(build_app("intake"))
    assert set(app.commands) == {"import", "applications"}  # type: ignore[attr-defined]
    assert len(typer.main.get_command(build_app()).commands) >= len(COMMAND_HOME)  # type: ignore[attr-defined]


def test_the_command_is_found_after_the_root_options() -> None:
    from cotrain.cli.app import command_module

    assert command_module(["import", "f.csv"]) == "intake"
    assert command_module(["-w", "import", "check"]) == "check"  # a workspace named "import"
    assert command_module(["--workspace", "w", "--lang", "en", "-q", "check"]) == "check"
    assert command_module(["--workspace=w", "--lang=fr", "--debug", "import", "x"]) == "intake"
    assert command_module(["-w", "w", "--help"]) is None
    assert command_module(["-w"]) is None
    assert command_module(["-w", "w", "nosuch"]) is None
    assert command_module([]) is None


def _python(code: str, **env: str) -> str:
    import os
    import subprocess
    import sys

    environ = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    done = subprocess.run(
        [sys.executable, "-c", code], env={**environ, **env}, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_pydantic_plugins_stay_off_without_reading_package_metadata() -> None:
    code = (
        "import sys, cotrain.cli, cotrain.files.workspace\n"
        "from pydantic.plugin._loader import get_plugins\n"
        "print(tuple(get_plugins()), 'importlib.metadata' in sys.modules)\n"
        "from pydantic.plugin._loader import PYDANTIC_ENTRY_POINT_GROUP\n"  # the real module
        "print(PYDANTIC_ENTRY_POINT_GROUP, tuple(get_plugins()))\n"
    )

    assert _python(code).splitlines() == ["() False", "pydantic ()"]


def test_plugins_a_user_allows_are_looked_for_by_pydantic_itself() -> None:
    code = (
        "import sys, cotrain.cli, cotrain.files.workspace\n"
        "print('importlib.metadata' in sys.modules)\n"
    )

    assert _python(code, PYDANTIC_DISABLE_PLUGINS="some_plugin") == "True"


def test_import_and_check_in_a_test_process_keep_its_collector(run, example_ws) -> None:
    import gc

    frozen = gc.get_freeze_count()
    (example_ws / "applications.toml").unlink(missing_ok=True)

    assert run("import", "-w", example_ws, example_ws / "reponses.csv").exit_code == 0
    assert run("check", "-w", example_ws).exit_code in (0, 1)
    assert gc.isenabled()
    assert gc.get_freeze_count() == frozen  # only the command's own process freezes


def test_the_command_process_starts_without_the_collector_then_resumes_it() -> None:
    # cotrain's own process (its console script, python -m cotrain): no collector pass over
    # the start-up's objects (issue 16); they are frozen and the collector resumes before the
    # command runs. Any other program importing cotrain keeps its collector.
    code = (
        "import gc, sys\n"
        "sys.argv[0] = {argv0!r}\n"
        "import cotrain.cli.app\n"
        "from cotrain.cli import start_collector\n"
        "print(gc.isenabled(), gc.get_freeze_count() > 0)\n"
        "start_collector()\n"
        "print(gc.isenabled(), gc.get_freeze_count() > 0)\n"
    )

    assert _python(code.format(argv0="/usr/local/bin/cotrain")).splitlines() == [
        "False False",
        "True True",
    ]
    assert _python(code.format(argv0="/src/cotrain/__main__.py")).splitlines() == [
        "False False",
        "True True",
    ]
    assert _python(code.format(argv0="/usr/bin/pytest")).splitlines() == [
        "True False",
        "True False",
    ]
