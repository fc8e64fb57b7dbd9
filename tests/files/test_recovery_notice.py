"""A half-done change finished (or undone) when a workspace opens is said, in one line."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from cotrain.files.transaction import JOURNAL_NAME, TX_SUFFIX
from fixtures_integrity import write_programme


@pytest.fixture
def programme(example_ws: Path) -> Path:
    os.chmod(example_ws, 0o700)
    for path in example_ws.rglob("*"):
        os.chmod(path, 0o700 if path.is_dir() else 0o600)
    write_programme(example_ws)
    return example_ws


def half_done(run, root: Path, args: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """Run ``args`` and stop it right after its journal was written."""
    from cotrain.files import transaction

    def stopped(root: Path, journal: object) -> None:
        raise KeyboardInterrupt

    with monkeypatch.context() as patch:
        patch.setattr(transaction, "_replay", stopped)
        run(*args)
    assert (root / JOURNAL_NAME).exists()


def test_doctor_says_it_finished_an_interrupted_purge(
    run, programme: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    half_done(run, programme, ["purge", "--yes", "-w", programme], monkeypatch)
    assert json.loads((programme / JOURNAL_NAME).read_text("utf-8"))["command"] == "purge"

    result = run("doctor", "-w", programme)

    assert result.stderr.splitlines() == ["Une modification interrompue (purge) a été terminée."]
    assert not (programme / JOURNAL_NAME).exists()
    again = run("doctor", "-w", programme)
    assert again.stderr == ""  # said once, by the command that finished it


@pytest.mark.parametrize("command", [["report"], ["check"], ["participants"]])
def test_every_command_says_so_in_english_too(
    run, programme: Path, monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    half_done(
        run,
        programme,
        ["replace", "zoe-martin-ndiaye", "--name", "Nadia Nouvelle", "-w", programme],
        monkeypatch,
    )

    result = run(*command, "--lang", "en", "-w", programme)

    assert "An interrupted change (replace) was finished." in result.stderr.splitlines()


def test_an_interrupted_change_before_its_journal_is_said_undone(run, programme: Path) -> None:
    staged = programme / f".selection.toml.abcd{TX_SUFFIX}"
    staged.write_text("half written", encoding="utf-8")

    result = run("doctor", "-w", programme)

    assert not staged.exists()
    assert result.stderr.splitlines() == [
        "Une modification interrompue a été annulée : les fichiers sont restés tels qu'avant."
    ]
