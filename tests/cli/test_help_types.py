"""``--help`` names value types in the user's words, never Python type names."""

from __future__ import annotations

import re

import pytest

RAW = re.compile(r"<(str|int|float|path|Path|list\[[^\]]*\]|int range|float range)>|\(present\)")


@pytest.mark.parametrize("command", ["attend", "import", "schedule", "init", "report", "doctor"])
def test_help_has_no_raw_type_names(run, command: str) -> None:
    french = run(command, "--help")
    english = run("--lang", "en", command, "--help")

    assert french.exit_code == 0 and english.exit_code == 0
    assert not RAW.search(french.stdout), RAW.search(french.stdout)
    assert not RAW.search(english.stdout), RAW.search(english.stdout)


def test_help_words_in_french_and_english(run) -> None:
    french = run("attend", "--help").stdout
    english = run("--lang", "en", "attend", "--help").stdout
    imports = run("import", "--help").stdout

    assert "--status <TEXTE>" in french and "--workspace <DOSSIER>" in french
    assert "FICHIERS... <FICHIER>" in imports
    assert "Usage : cotrain import [OPTIONS] FICHIERS..." in imports  # not typer's "{files}"
    assert "Usage : cotrain attend [OPTIONS] DEMI-JOURNÉE [PERSONNES]..." in french
    assert "--status <TEXT>" in english
    assert "present]" in french.replace("\n", " ").replace("  ", " ")
    assert "<NOMBRE>" in run("schedule", "--help").stdout
