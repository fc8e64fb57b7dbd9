"""``--output DIR`` never writes outside ``DIR``, whatever the names inside (issue 6).

A hand-edited ``applications.toml`` gives a person an id and a name made of ``../`` and
slashes; every command that writes one file per person or per session into a folder must
either refuse cleanly or keep every file inside the folder named on the command line.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

HOSTILE_ID = "../../../evil"
HOSTILE_NAME = "../../Evil/..\\Name"
HOSTILE_CITY = "../../../ville-evil"

COMMANDS = [
    ("sheets", "--output"),
    ("programme", "-o"),
    ("certificates", "-o"),
    ("bilan", "--output"),
    ("letters", "--output"),
]


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from typer.testing import CliRunner

    from cotrain.cli.app import build_app
    from cotrain.i18n import set_language

    root = tmp_path_factory.mktemp("paths") / "outer" / "inner" / "demo"
    root.parent.mkdir(parents=True)
    app, runner = build_app(), CliRunner()
    for step in (
        ["init", str(root), "--example"],
        ["import", str(root / "reponses.csv"), "-w", str(root)],
    ):
        result = runner.invoke(app, step)
        set_language("fr")
        assert result.exit_code == 0, result.output
    path = root / "applications.toml"
    text = path.read_text(encoding="utf-8")
    first_city = text.split('city_id = "', 1)[1].split('"', 1)[0]
    text = text.replace(f'city_id = "{first_city}"', f'city_id = "{HOSTILE_CITY}"')
    person = text.split('[[applications.people]]\nid = "', 1)[1]  # the first person
    first_id = person.split('"', 1)[0]
    first_name = person.split('name = "', 1)[1].split('"', 1)[0]
    text = text.replace(f'"{first_id}"', f'"{HOSTILE_ID}"')
    text = text.replace(f'"{first_name}"', '"' + HOSTILE_NAME.replace("\\", "\\\\") + '"', 1)
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["select", "-w", str(root)])
    set_language("fr")
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["schedule", "-w", str(root)])
    set_language("fr")
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["attend", "j1-matin", "--all-present", "-w", str(root)])
    set_language("fr")
    assert result.exit_code == 0, result.output
    assert HOSTILE_ID in (root / "schedule.toml").read_text(encoding="utf-8")
    return root


def listing(top: Path) -> set[Path]:
    return {p for p in top.rglob("*")}


@pytest.mark.parametrize(("command", "option"), COMMANDS)
def test_output_folder_keeps_every_file_inside(
    run, prepared: Path, tmp_path: Path, command: str, option: str
) -> None:
    root = tmp_path / "outer" / "inner" / "demo"
    shutil.copytree(prepared, root)
    top = tmp_path
    before = listing(top)
    target = root / "sortie"

    result = run(command, option, target, "-w", root)

    assert result.exit_code in (0, 1), result.output
    created = listing(top) - before
    outside = sorted(
        str(p.relative_to(top))
        for p in created
        if p != target
        and target not in p.parents
        and root / ".cotrain-cache" not in p.parents
        and p.parent != root  # the workspace's own files (lock, cache folder)
    )
    assert outside == []
    hostile = [p for p in tmp_path.rglob("*") if "evil" in p.name]
    assert [p for p in hostile if target not in p.parents] == []


def test_safe_output_path_refuses_escaping_names(tmp_path: Path) -> None:
    from cotrain.errors import InputError
    from cotrain.files.store import safe_output_path

    assert safe_output_path(tmp_path, "a/b.csv") == (tmp_path / "a" / "b.csv").resolve()
    for name in ("../x.csv", "../../etc/passwd", str(tmp_path.parent / "x"), "a/../../x"):
        with pytest.raises(InputError):
            safe_output_path(tmp_path, name)
