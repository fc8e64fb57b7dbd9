"""``cotrain doctor`` warns of what would make a document unfit to send (issue 11)."""

from __future__ import annotations

import re
from pathlib import Path

from tests.fixtures_attendance import make_workspace


def test_doctor_warns_of_untimed_late_marks_and_an_unsigned_letter(run, tmp_path: Path) -> None:
    ws = make_workspace(tmp_path / "ws")
    assert run("attend", "j1-matin", "awa-diallo", "-s", "retard", "-w", ws).exit_code == 0
    before = run("doctor", "-w", ws).output  # the example names its signatory
    assert "signataire" not in before
    config = ws / "cotrain.toml"
    config.write_text(
        config.read_text(encoding="utf-8").replace('signatory = "Martine Lefort"\n', ""),
        encoding="utf-8",
    )

    result = run("doctor", "-w", ws)

    text = " ".join(result.output.split())
    assert "les courriers aux villes n'ont pas de signataire nommé·e" in text
    assert "1 retard(s) ou départ(s) anticipé(s) sans heure" in text
    # More warnings than before (the missing signatory), whatever else the folder has.
    assert _warnings(result.output) > _warnings(before)


def _warnings(output: str) -> int:
    found = re.search(r"(\d+) avertissement\(s\)", " ".join(output.split()))
    return int(found.group(1)) if found else 0
