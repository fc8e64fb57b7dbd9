"""Shared fixtures: the real CLI through Typer's CliRunner, and workspaces on disk."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import typer.testing
from typer.testing import CliRunner, Result

from cotrain.cli import common
from cotrain.cli.app import build_app
from cotrain.domain.intake import set_role_labels
from cotrain.enums import TRIAD_ROLES, set_city_roles
from cotrain.i18n import set_language, set_overrides

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / "seine-saint-denis-2015"


# Typer turns the app into a click command at every invoke (0.15 s for cotrain's 30 commands,
# most of the suite's time once multiplied by every CLI test): do it once per app. The app is
# kept with its command, so that its id is never reused by another app.
_commands: dict[int, tuple[object, object]] = {}
_get_command = typer.testing._get_command


def _cached_command(app: typer.Typer):  # type: ignore[no-untyped-def]
    if id(app) not in _commands:
        _commands[id(app)] = (app, _get_command(app))
    return _commands[id(app)][1]


typer.testing._get_command = _cached_command


@pytest.fixture(scope="session")
def app():
    return build_app()


@pytest.fixture(autouse=True)
def _fresh_state(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts in French, with unexpected exceptions surfaced to the test."""
    set_language("fr")
    set_city_roles(TRIAD_ROLES)  # a programme read by an earlier test must not leak its publics
    set_overrides({})  # nor its own labels for them (« élu·es » read back as English)
    set_role_labels()
    monkeypatch.setattr(common, "_debug", True)
    monkeypatch.delenv("COTRAIN_WORKSPACE", raising=False)
    monkeypatch.delenv("COTRAIN_LANG", raising=False)


Run = Callable[..., Result]


@pytest.fixture
def run(app) -> Run:
    """``run("check", "-w", ws)`` invokes the real command line; returns click's Result."""
    runner = CliRunner()

    def _run(*args: str | Path, input: str | None = None, env: dict[str, str] | None = None) -> Result:
        result = runner.invoke(
            app,
            [str(a) for a in args],
            input=input,
            env={"COLUMNS": "200", "NO_COLOR": "1", **(env or {})},
        )
        set_language("fr")
        return result

    return _run


@pytest.fixture
def example_ws(tmp_path: Path) -> Path:
    """A fresh copy of the shipped example workspace."""
    target = tmp_path / "example"
    shutil.copytree(EXAMPLE, target)
    return target


@pytest.fixture
def empty_ws(example_ws: Path) -> Path:
    """The example's workspace before any import."""
    (example_ws / "applications.toml").unlink(missing_ok=True)
    return example_ws


@pytest.fixture
def blank_ws(tmp_path: Path, run: Run) -> Path:
    """A workspace made by ``cotrain init``."""
    target = tmp_path / "blank"
    result = run("init", target)
    assert result.exit_code == 0, result.output
    return target


# The evaluation area's whole-pipeline example workspace (``pipeline_ws``), shared by its tests.
pytest_plugins = ["tests.fixtures_evaluation"]


@pytest.fixture
def frozen_search_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """``cotrain mix`` with a clock that never moves: its work budgets alone decide the plan,
    whatever the machine's load (``--time-limit`` is never reached)."""
    from cotrain.cli import mix
    from fixtures_mixing import NO_CLOCK

    monkeypatch.setattr(mix, "search_clock", NO_CLOCK)
