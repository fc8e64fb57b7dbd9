"""``doctor`` reads the modes of the workspace's own files, never through a symbolic link."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from fixtures_integrity import write_programme


@pytest.fixture
def programme(example_ws: Path) -> Path:
    os.chmod(example_ws, 0o700)
    for extra in example_ws.iterdir():
        if extra.is_file():
            os.chmod(extra, 0o600)
    write_programme(example_ws)
    for extra in example_ws.iterdir():
        if extra.is_file():
            os.chmod(extra, 0o600)
    return example_ws


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_symlinked_lock_is_reported_as_a_link_and_its_target_left_alone(
    run, programme: Path, tmp_path: Path
) -> None:
    target = tmp_path / "target.txt"
    target.write_text("not ours\n", encoding="utf-8")
    os.chmod(target, 0o644)
    lock = programme / ".cotrain.lock"
    lock.unlink(missing_ok=True)
    lock.symlink_to(target)

    result = run("doctor", "-w", programme)

    assert result.exit_code == 1
    assert "le verrou est un lien symbolique ; supprimez-le" in result.stdout
    assert "644" not in result.stdout and "chmod" not in result.stdout
    data = json.loads(run("doctor", "--json", "-w", programme).stdout)
    assert [(f["code"], f["file"]) for f in data["findings"]] == [
        ("lock_symlink", ".cotrain.lock")
    ]

    run("doctor", "--fix", "-w", programme)

    assert mode(target) == 0o644  # never chmod-ed through the link
    assert lock.is_symlink() and target.read_text(encoding="utf-8") == "not ours\n"


def test_a_symlinked_data_file_is_an_error_and_fix_never_chmods_its_target(
    run, programme: Path, tmp_path: Path
) -> None:
    target = tmp_path / "elsewhere.toml"
    (programme / "surveys.toml").write_text("schema = 1\n", encoding="utf-8")
    os.replace(programme / "surveys.toml", target)
    os.chmod(target, 0o644)
    (programme / "surveys.toml").symlink_to(target)

    data = json.loads(run("doctor", "--json", "-w", programme).stdout)
    found = [(f["code"], f["file"]) for f in data["findings"]]
    assert ("symlink", "surveys.toml") in found
    assert not any(code == "permissions" for code, _ in found)

    result = run("doctor", "--fix", "-w", programme)

    assert result.exit_code == 1
    assert "est un lien symbolique" in result.stdout
    assert mode(target) == 0o644


def test_fix_still_mends_a_loose_regular_file(run, programme: Path) -> None:
    os.chmod(programme / "selection.toml", 0o644)

    result = run("doctor", "--fix", "-w", programme)

    assert result.exit_code == 0, result.output
    assert mode(programme / "selection.toml") == 0o600
