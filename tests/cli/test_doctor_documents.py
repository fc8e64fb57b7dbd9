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
    # Both signatories gone: the certificates' (provider.signatory) and the letters' warnings.
    assert "provider.signatory" in text


def test_letters_are_signed_by_the_provider_when_letters_name_no_one(run, tmp_path: Path) -> None:
    """[provider] is the source of the signatory; [letters] only overrides it."""
    ws = make_workspace(tmp_path / "ws")
    config = ws / "cotrain.toml"
    text = config.read_text(encoding="utf-8")
    letters = text.index("[letters]")
    head, tail = text[:letters], text[letters:]
    tail = tail.replace('signatory = "Martine Lefort"\n', "", 1)
    tail = tail.replace('signatory_title = "Directrice de Profession Banlieue"\n', "", 1)
    config.write_text(head + tail, encoding="utf-8")
    assert run("select", "-w", ws).exit_code == 0

    doctor = " ".join(run("doctor", "-w", ws).output.split())
    result = run("letters", "--output", tmp_path / "lettres", "--format", "md", "-w", ws)

    assert result.exit_code == 0, result.output
    assert "pas de signataire" not in doctor
    letter = (tmp_path / "lettres" / "aubervilliers.md").read_text(encoding="utf-8")
    assert "Martine Lefort  \n> Directrice de Profession Banlieue" in letter


def _warnings(output: str) -> int:
    found = re.search(r"(\d+) avertissement\(s\)", " ".join(output.split()))
    return int(found.group(1)) if found else 0
