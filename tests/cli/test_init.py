from __future__ import annotations

import stat
import tomllib
from pathlib import Path

from tests.conftest import EXAMPLE


def test_init_writes_commented_reference_programme(run, tmp_path: Path) -> None:
    result = run("init", tmp_path / "prog")

    assert result.exit_code == 0, result.output
    text = (tmp_path / "prog" / "cotrain.toml").read_text(encoding="utf-8")
    data = tomllib.loads(text)
    assert data["schema"] == 1
    assert data["language"] == "fr"
    assert data["selection"]["max_cities"] == 7
    assert sum(line["amount"] for line in data["budget"]["funding"]) == 32000
    trainee_kinds = [s["kind"] for s in data["plan"]["sessions"] if s["kind"] != "trainers_meeting"]
    assert len(trainee_kinds) == 9
    assert "# Programme de co-formation" in text


def test_init_in_english_writes_english_comments(run, tmp_path: Path) -> None:
    result = run("init", tmp_path / "prog", "--lang", "en")

    assert result.exit_code == 0, result.output
    text = (tmp_path / "prog" / "cotrain.toml").read_text(encoding="utf-8")
    assert "# Co-training programme" in text
    assert tomllib.loads(text)["language"] == "en"
    assert "Programme created" in result.output


def test_init_files_are_private(run, tmp_path: Path) -> None:
    run("init", tmp_path / "prog")

    folder_mode = stat.S_IMODE((tmp_path / "prog").stat().st_mode)
    file_mode = stat.S_IMODE((tmp_path / "prog" / "cotrain.toml").stat().st_mode)
    assert (folder_mode, file_mode) == (0o700, 0o600)


def test_init_refuses_to_overwrite_without_force(run, tmp_path: Path) -> None:
    run("init", tmp_path / "prog")
    (tmp_path / "prog" / "cotrain.toml").write_text("schema = 1\n# mine\n", encoding="utf-8")

    refused = run("init", tmp_path / "prog")
    assert refused.exit_code == 1
    assert "existe déjà" in refused.output
    assert "--force" in refused.output
    assert (tmp_path / "prog" / "cotrain.toml").read_text(encoding="utf-8") == "schema = 1\n# mine\n"

    forced = run("init", tmp_path / "prog", "--force")
    assert forced.exit_code == 0


def test_init_example_copies_the_shipped_example(run, tmp_path: Path) -> None:
    result = run("init", tmp_path / "demo", "--example")

    assert result.exit_code == 0, result.output
    shipped = sorted(
        p.relative_to(EXAMPLE)
        for p in EXAMPLE.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(EXAMPLE).parts)
    )
    copied = sorted(
        p.relative_to(tmp_path / "demo")
        for p in (tmp_path / "demo").rglob("*")
        if p.is_file() and p.name != ".cotrain.lock"
    )
    assert copied == shipped
