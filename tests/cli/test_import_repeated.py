"""A form that asks each person the same questions (issue 16): Google Forms with one section per
person exports « Nom », « Prénom », « Adresse e-mail »… five times. Imported as it is, the
repeated header is refused, naming ``--suggest``; the mapping ``--suggest --write`` proposes
gives the questions to the call's roles in order, and ``check`` then gives the example's 7 of 12.
"""

from __future__ import annotations

import csv
import tomllib
from pathlib import Path

from fixtures_intake import applications, assert_checked_as_the_example

SECTIONS = Path(__file__).resolve().parents[1] / "data" / "intake" / "suggest" / "google-forms-sections.csv"


def _columns(ws: Path) -> dict[str, str]:
    return tomllib.loads((ws / "cotrain.toml").read_text(encoding="utf-8"))["import"]["columns"]


def test_repeated_questions_are_refused_and_the_error_names_suggest(empty_ws: Path, run) -> None:
    result = run("import", SECTIONS, "-w", empty_ws)

    assert result.exit_code == 1
    assert "« Adresse e-mail » figure deux fois (colonnes 2 et 6)" in result.output
    assert "cotrain import google-forms-sections.csv --suggest" in result.output
    assert not (empty_ws / "applications.toml").exists()


def test_suggest_gives_each_block_of_questions_to_the_next_role(empty_ws: Path, run) -> None:
    result = run("import", SECTIONS, "-w", empty_ws, "--suggest", "--write")

    assert result.exit_code == 0, result.output
    columns = _columns(empty_ws)
    assert columns["Adresse e-mail #1"] == "ignore"  # Google's own: the respondent
    assert [columns[f"Nom #{k}"] for k in range(1, 6)] == [
        "elected.last_name",
        "professional.last_name",
        "professional.2.last_name",
        "professional.3.last_name",
        "prefect_delegate.last_name",
    ]
    assert columns["Adresse e-mail #6"] == "prefect_delegate.email"
    assert columns["Vous engagez-vous à suivre toutes les journées ? #2"] == "professional.committed"
    assert "question répétée pour chaque personne" in result.output


def test_with_the_suggested_mapping_the_file_imports_as_the_example(empty_ws: Path, run) -> None:
    assert run("import", SECTIONS, "-w", empty_ws, "--suggest", "--write").exit_code == 0

    result = run("import", SECTIONS, "-w", empty_ws)

    assert result.exit_code == 0, result.output
    saint_denis = applications(empty_ws).get("saint-denis")
    assert {(p.role.value, p.name) for p in saint_denis.people} == {
        ("elected", "Éloïse N'Guessan"),
        ("professional", "Jean-François Lefèvre-Duval"),
        ("professional", "Samira Haddad"),
        ("prefect_delegate", "Thierry Vasseur"),
    }
    assert_checked_as_the_example(run, empty_ws)


def test_a_question_naming_its_role_is_numbered_within_that_role(
    empty_ws: Path, run, tmp_path: Path
) -> None:
    rows = list(csv.reader(SECTIONS.open(encoding="utf-8")))
    head = rows[0]
    # The élu's and the delegate's questions name them; the professionals' three blocks repeat
    # « Nom du professionnel », « Prénom », « Courriel du professionnel »…
    names = ["Nom de l'élu", "Nom du professionnel", "Nom du professionnel",
             "Nom du professionnel", "Nom du délégué du préfet"]  # fmt: skip
    k = 0
    for index, header in enumerate(head):
        if header == "Nom":
            head[index] = names[k]
            k += 1
    export = tmp_path / "sections-roles.csv"
    with export.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows([head, *rows[1:]])

    result = run("import", export, "-w", empty_ws, "--suggest", "--write")

    assert result.exit_code == 0, result.output
    columns = _columns(empty_ws)
    assert [columns[f"Nom du professionnel #{k}"] for k in (1, 2, 3)] == [
        "professional.last_name",
        "professional.2.last_name",
        "professional.3.last_name",
    ]
    assert run("import", export, "-w", empty_ws).exit_code == 0
    assert_checked_as_the_example(run, empty_ws)


def test_a_question_repeated_fewer_times_than_the_people_is_left_out(
    empty_ws: Path, run, tmp_path: Path
) -> None:
    text = SECTIONS.read_text(encoding="utf-8").splitlines()
    export = tmp_path / "commentaires.csv"
    export.write_text(
        "\n".join([text[0] + ",Commentaire,Commentaire"] + [line + ",a,b" for line in text[1:]]),
        encoding="utf-8",
    )
    assert run("import", export, "-w", empty_ws, "--suggest", "--write").exit_code == 0
    columns = _columns(empty_ws)
    assert (columns["Commentaire #1"], columns["Commentaire #2"]) == ("ignore", "ignore")


def test_a_title_line_above_a_comma_separated_export_is_passed_over(
    empty_ws: Path, run, tmp_path: Path
) -> None:
    # the separator is read from the headers, not from the title line above them (which holds
    # none): before, « , » files under a title were read as one column
    export = tmp_path / "titre.csv"
    export.write_text(
        "Appel à candidatures co-formation 2015\n\n" + SECTIONS.read_text(encoding="utf-8"),
        encoding="utf-8",
    )

    assert run("import", export, "-w", empty_ws, "--suggest", "--write").exit_code == 0
    result = run("import", export, "-w", empty_ws)

    assert result.exit_code == 0, result.output
    assert "titre.csv : CSV, UTF-8, séparateur « , »" in result.output
    assert "en-têtes lus ligne 3" in result.output
    assert_checked_as_the_example(run, empty_ws)
