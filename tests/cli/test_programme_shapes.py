"""The six programme shapes of tests/data/programmes/make_programmes.py (issue 15), each set up
with ``cotrain init`` and its options and run through the whole pipeline, in-process through
the real command line: other counts of cities (3, 5, 9), days (1, 2, 4), activists (2, 4, 8)
and mixed groups (1, 2, 4), peer groups set, a triad without delegate, an optional delegate,
CNFPT-style publics, and activists co-leading (trainees and trainers at once).

The same shapes run from the installed ``cotrain``:
``python tests/data/programmes/make_programmes.py``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.data.programmes.make_programmes import SHAPES, run_shape


@pytest.mark.parametrize("shape", list(SHAPES))
def test_programme_shape_runs_end_to_end_with_its_groups_led(
    run, tmp_path: Path, shape: str
) -> None:
    def runner(*args: str | Path) -> tuple[int, str]:
        result = run(*args)
        return result.exit_code, result.output

    figures = run_shape(shape, tmp_path / shape, runner, cheap=True)

    expected = {
        "one-day": (3, 1, 2, 1),
        "triad-no-delegate": (5, 2, 4, 2),
        "large-counted": (9, 4, 8, 4),
        "optional-delegate": (5, 2, 4, 2),
        "cnfpt": (5, 4, 8, 2),
        "activists-co-lead": (4, 2, 4, 2),
    }[shape]
    got = (figures["cities"], figures["days"], figures["activists"], figures["mixed_groups"])
    assert got == expected


def test_letters_speak_of_the_programmes_own_public_length_and_signatory(run, tmp_path: Path) -> None:
    """A one-day CNFPT-style programme without an address: the letters (also .docx, which
    crashed on the empty line) name its public, its one day, and the person in charge signs."""

    def runner(*args: str | Path) -> tuple[int, str]:
        result = run(*args)
        return result.exit_code, result.output

    ws = tmp_path / "p"
    code, output = runner(
        "init", ws, "--yes", "--start", "2026-01-13", "--days", "1", "--cities", "3",
        "--activists", "2", "--organiser", "CNFPT Rhône-Alpes", "--manager", "Hélène Fabre",
        "--roles", "travailleur social=Travailleur·se social·e:1-2, formateur=Formateur·rice",
        "--activist-label", "personne accompagnée",
    )  # fmt: skip
    assert code == 0, output
    from tests.data.programmes.make_applications import write

    write(ws, 3, ws / "c.csv", seed=1)
    for args in (("import", ws / "c.csv"), ("select",), ("letters", "-o", ws / "l", "--format", "md,docx")):
        code, output = runner("-w", ws, *args)
        assert code == 0, (args, output)
    letter = next((ws / "l").glob("*.md")).read_text(encoding="utf-8")
    assert "La co-formation compte 2 demi-journées (1 jour), le mardi 13 janvier 2026 :" in letter
    assert "aux côtés de personnes accompagnées, dans des groupes animés" in letter
    assert "Quart Monde" not in letter
    assert "Votre contact pour la suite : Hélène Fabre." in letter
    assert "> Hélène Fabre" in letter
    assert len(list((ws / "l").glob("*.docx"))) == 3
    config = (ws / "cotrain.toml").read_text(encoding="utf-8")
    assert 'plural_en = "personnes accompagnées"' in config
