"""Objectives are written once: the attestation and the bilan each fall back on the other's
(``[training] objectives`` / ``[[bilan.objectives]]``); older files with both read as before."""

from __future__ import annotations

import re
from pathlib import Path

from tests.fixtures_attendance import make_workspace

TRAINING = re.compile(r"\nobjectives = \[\n(?:  .*\n)+\]\n")
BILAN = re.compile(r"\[\[bilan\.objectives\]\]\n(?:[a-z]+ = .*\n)+\n?")


def _edit(ws: Path, pattern: re.Pattern[str]) -> None:
    config = ws / "cotrain.toml"
    text, n = pattern.subn("\n", config.read_text(encoding="utf-8"))
    assert n >= 1
    config.write_text(text, encoding="utf-8")


def test_attestations_state_the_bilans_objectives_when_training_has_none(run, tmp_path) -> None:
    ws = make_workspace(tmp_path / "ws")
    _edit(ws, TRAINING)
    assert run("attend", "j1-matin", "--all-present", "-w", ws).exit_code == 0

    result = run("attestations", "--output", tmp_path / "att", "--format", "md", "-w", ws)
    doctor = run("doctor", "-w", ws).output

    assert result.exit_code == 0, result.output
    text = (tmp_path / "att" / "awa-diallo.md").read_text(encoding="utf-8")
    assert "- Une participation assidue des bénéficiaires" in text
    assert "Connaître les conditions" not in text
    assert "training.objectives" not in doctor


def test_the_bilan_lists_the_training_objectives_when_it_has_none_of_its_own(run, tmp_path) -> None:
    ws = make_workspace(tmp_path / "ws")
    _edit(ws, BILAN)

    result = run("bilan", "--output", tmp_path / "bilan", "-w", ws)

    assert result.exit_code == 0, result.output
    text = (tmp_path / "bilan" / "bilan.md").read_text(encoding="utf-8")
    assert "Une participation assidue" not in text
    assert "| Connaître les conditions de la participation des habitants en situation" in text
