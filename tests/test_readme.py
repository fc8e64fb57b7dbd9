"""The README is the user's first contact: it must be current, complete and true."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from tests.conftest import REPO

sys.path.insert(0, str(REPO / "docs"))
import build_readme  # noqa: E402


def _command_paths() -> list[str]:
    import typer
    import typer.main

    from cotrain.cli.app import build_app

    def walk(group, prefix):
        ctx = typer.Context(group)
        for name in group.list_commands(ctx):
            command = group.get_command(ctx, name)
            yield " ".join((*prefix, name))
            if hasattr(command, "list_commands"):
                yield from walk(command, (*prefix, name))

    return list(walk(typer.main.get_command(build_app()), ()))


def test_readme_is_assembled_from_its_sections() -> None:
    assert (REPO / "README.md").read_text(encoding="utf-8") == build_readme.build()


def test_every_command_is_documented_in_the_readme() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    missing = [path for path in _command_paths() if f"cotrain {path}" not in readme]
    assert missing == []


def test_quick_start_has_exactly_two_commands_and_ci_runs_the_second() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    quick = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    blocks = quick.split("```sh\n")[1:]
    commands = [block.split("```", 1)[0].strip() for block in blocks]
    assert commands == [build_readme.QUICKSTART_RUN, build_readme.QUICKSTART_TEST]
    assert build_readme.QUICKSTART_TEST in (REPO / ".ci" / "run").read_text(encoding="utf-8")


@pytest.mark.skipif(shutil.which("cotrain") is None, reason="needs the installed cotrain command")
def test_quick_start_pipeline_runs_on_the_shipped_example(tmp_path: Path) -> None:
    pipeline = build_readme.QUICKSTART_RUN.replace("\\\n", " ")
    pipeline = pipeline[pipeline.index("cotrain init demo") :]

    done = subprocess.run(
        ["bash", "-c", pipeline], cwd=tmp_path, capture_output=True, text=True, check=False
    )

    assert done.returncode == 0, done.stderr[-2000:]
    demo = tmp_path / "demo"
    report = subprocess.run(
        ["cotrain", "report", "--json"], cwd=demo, capture_output=True, text=True, check=True
    )
    recipients = json.loads(report.stdout)["overall"]["recipients"]
    assert (recipients["people"], recipients["rate_percent"]) == (28, 95)
    assert (demo / "feuilles" / "index.html").is_file()
    assert (demo / "programme.ics").is_file()
    assert sorted(p.suffix for p in (demo / "bilan").iterdir() if p.stem == "bilan") == [
        ".html",
        ".json",
        ".md",
        ".pdf",
    ]
