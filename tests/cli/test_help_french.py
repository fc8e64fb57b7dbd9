"""The help in French typography and words (issue 15; tester's F19.6): headings with a space
before the colon, argument names in the user's words, number ranges and decimal defaults
written as French writes them."""

from __future__ import annotations

from typer.testing import CliRunner


def _help(lang: str, *args: str) -> str:
    from cotrain.cli.app import build_app
    from cotrain.i18n import set_language

    set_language(lang)
    result = CliRunner().invoke(build_app(), [*args, "--help"], env={"COLUMNS": "100"})
    set_language("fr")
    assert result.exit_code == 0, result.output
    return result.output


def test_french_help_headings_arguments_and_numbers() -> None:
    root, schedule, replace = _help("fr"), _help("fr", "schedule"), _help("fr", "replace")

    assert "Usage : cotrain [OPTIONS] COMMANDE [ARGUMENTS]..." in root
    assert "\nCommandes\u00a0:\n" in root and "\nOptions\u00a0:\n" in root
    assert "Usage : cotrain replace [OPTIONS] PERSONNE\n" in replace
    assert "\nArguments\u00a0:\n  PERSONNE <TEXTE>" in replace
    assert "{person}" not in replace and "x>=" not in schedule
    flat = " ".join(schedule.split())
    assert "[par défaut : 60,0; au moins 0,1]" in flat.replace("\u00a0", " ")


def test_english_help_keeps_english_conventions() -> None:
    root, schedule = _help("en"), _help("en", "schedule")

    assert "Usage: cotrain [OPTIONS] COMMAND [ARGS]..." in root
    assert "\nCommands:\n" in root
    assert "[default: 60.0; at least 0.1]" in " ".join(schedule.split())


def test_a_missing_option_with_a_short_name_is_said_in_french(run, tmp_path) -> None:
    result = run("sheets", "-w", tmp_path)

    assert result.exit_code == 2
    assert "Erreur : Option obligatoire manquante : --output / -o." in result.output
    assert "Missing" not in result.output


def test_a_decimal_option_given_a_word_says_a_number_is_expected(run, tmp_path) -> None:
    result = run("schedule", "-w", tmp_path, "--time-limit", "abc")

    assert result.exit_code == 2
    assert "Valeur incorrecte pour '--time-limit' : ce n'est pas un nombre." in result.output
