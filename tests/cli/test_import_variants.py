"""``cotrain import`` of a third round of real-tool and manager exports (issue 16).

Each file of ``tests/data/intake/variantes/`` (``make_tool_variants.py``) holds the shipped
example's twelve cities in a shape the first two rounds did not cover: Framaforms with ``,``,
``;`` or tab and fieldsets in its second header row, Démarches simplifiées with blocks named
otherwise, LimeSurvey codes with ``;``, Google Forms' one-cell checkbox answers, Microsoft Forms,
and the manager's own workbooks (a summary sheet first, a hidden list sheet, merged role
headers over ``Engagé(e)``, job titles in the role column, ``=HYPERLINK`` e-mails, a ``TOTAL``
row whose label follows its sum). Each must import as exported, and ``check`` must give the
example's 7 of 12 for the same reasons.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from fixtures_intake import (
    EXAMPLE_ELIGIBLE,
    applications,
    assert_checked_as_the_example,
)

INTAKE = Path(__file__).resolve().parents[1] / "data" / "intake"
VARIANTS = INTAKE / "variantes"
TABLES = (".csv", ".xlsx", ".ods", ".xls", ".txt", ".zip")
# the third to sixth rounds' exports (make_tool_variants.py, make_tool_variants4.py,
# make_tool_variants5.py, make_tool_variants6.py)
EXPORTS = {
    folder: sorted(p.name for p in (INTAKE / folder).iterdir() if p.suffix in TABLES)
    for folder in ("variantes", "variantes4", "variantes5", "variantes6")
}


def test_the_generators_wrote_every_shape() -> None:
    assert len(EXPORTS["variantes"]) >= 32
    assert len(EXPORTS["variantes4"]) >= 25
    assert len(EXPORTS["variantes5"]) >= 13
    assert len(EXPORTS["variantes6"]) >= 32


@pytest.mark.parametrize(
    "export", [f"{folder}/{name}" for folder, names in EXPORTS.items() for name in names]
)
def test_each_variant_imports_as_exported_and_check_gives_seven_of_twelve(
    export: str, empty_ws: Path, run
) -> None:
    result = run("import", INTAKE / export, "-w", empty_ws)
    assert result.exit_code == 0, result.output
    assert "Importé : 12 ville(s), 48 personne(s)" in result.stdout
    assert_checked_as_the_example(run, empty_ws)


def test_a_summary_sheet_before_the_answers_is_not_read_as_them(empty_ws: Path, run) -> None:
    result = run("import", VARIANTS / "personnes-college.xls", "-w", empty_ws)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == (
        "personnes-college.xls : XLS, feuille « Candidatures », une ligne par personne, 48 ligne(s)"
    )


@pytest.mark.parametrize("export", ["personnes-statut.xlsx", "personnes-statut.ods"])
def test_a_hidden_sheet_of_choices_is_not_the_table(export: str, empty_ws: Path, run) -> None:
    result = run("import", VARIANTS / export, "-w", empty_ws)
    assert result.exit_code == 0, result.output
    assert "feuille « Candidatures »" in result.stdout.splitlines()[0]
    # « Agent » under « Statut » is a professional
    people = applications(empty_ws).get("montreuil").people
    assert sorted(p.role.value for p in people) == [
        "elected", "prefect_delegate", "professional", "professional"
    ]  # fmt: skip


def test_job_titles_in_the_role_column_give_the_role_and_stay_the_job_title(
    empty_ws: Path, run
) -> None:
    result = run("import", VARIANTS / "personnes-qualite-poste.xlsx", "-w", empty_ws)
    assert result.exit_code == 0, result.output
    people = {p.name: p for p in applications(empty_ws).get("saint-denis").people}
    assert people["Éloïse N'GUESSAN"].role.value == "elected"
    assert people["Éloïse N'GUESSAN"].job_title == (
        "Adjointe au maire chargée de la démocratie locale"
    )
    assert people["Jean-François LEFÈVRE-DUVAL"].role.value == "professional"
    assert people["Thierry VASSEUR"].role.value == "prefect_delegate"  # « DP »


@pytest.mark.parametrize("export", ["tableau-villes.xlsx", "tableau-villes.ods"])
def test_manager_table_with_merged_role_headers_hyperlinks_and_a_total_after_its_sum(
    export: str, empty_ws: Path, run
) -> None:
    result = run("import", VARIANTS / export, "-w", empty_ws)
    assert result.exit_code == 0, result.output
    assert f"{export} : ligne 28 ignorée : ligne de total" in result.stderr
    assert f"{export} : ligne 8 ignorée : commentaire (pas une réponse)" in result.stderr
    loaded = applications(empty_ws)
    aulnay = {p.name: p for p in loaded.get("aulnay-sous-bois").people}
    # « Engagé(e) » under a merged « Professionnel(le) 2 »: « non » is read, not an option
    # (« SAINT-ARNAUD Émilie », the last name first in capitals, is stored first name first)
    assert aulnay["Émilie SAINT-ARNAUD"].committed is False
    assert aulnay["Mehdi ZERROUKI"].committed is True
    # =HYPERLINK("mailto:…", "…") gives its text, in lower case
    assert aulnay["Mehdi ZERROUKI"].email == "mehdi.zerrouki@aulnay-sous-bois.fr"
    assert loaded.get("montreuil").contribution == 600


def test_google_forms_checkbox_answers_in_one_cell_name_people_in_the_forms_words(
    empty_ws: Path, run
) -> None:
    result = run("import", VARIANTS / "google-forms-cases-a-cocher.csv", "-w", empty_ws)
    assert result.exit_code == 0, result.output
    aulnay = {p.name: p.committed for p in applications(empty_ws).get("aulnay-sous-bois").people}
    assert aulnay == {
        "Patricia Vandenberghe": True,
        "Mehdi Zerrouki": True,
        "Émilie Saint-Arnaud": False,
        "Olivier Fabre": True,
    }


def test_st_is_saint_in_the_city_id_and_an_id_stored_earlier_is_kept(empty_ws: Path, run) -> None:
    export = VARIANTS / "personnes-fonction-cp1252.csv"
    assert run("import", export, "-w", empty_ws).exit_code == 0
    loaded = applications(empty_ws)
    assert loaded.get("saint-denis").city == "St-Denis"  # the name as typed, the id written out
    assert loaded.get("lile-saint-denis").city == "L'Ile-St-Denis"
    # A workspace where an earlier version stored « st-denis »: the id never changes
    path = empty_ws / "applications.toml"
    path.write_text(path.read_text().replace('city_id = "saint-denis"', 'city_id = "st-denis"'))
    again = run("import", export, "-w", empty_ws)
    assert again.exit_code == 0, again.output
    assert "0 nouvelle(s), 0 remplacée(s), 12 inchangée(s)" in again.stdout
    ids = [a.city_id for a in applications(empty_ws).applications]
    assert "st-denis" in ids and "saint-denis" not in ids


@pytest.mark.parametrize(
    ("export", "notes"),
    [
        (
            "limesurvey-incompletes.csv",
            [
                "limesurvey-incompletes.csv : lignes 2-3 ignorées : réponses incomplètes"
                " (jamais envoyées)",
            ],
        ),
        (
            "framaforms-brouillon.csv",
            ["framaforms-brouillon.csv : ligne 4 ignorée : réponse incomplète (brouillon)"],
        ),
    ],
)
def test_incomplete_responses_and_drafts_are_skipped_and_said(
    export: str, notes: list[str], empty_ws: Path, run
) -> None:
    result = run("import", VARIANTS / export, "-w", empty_ws)
    assert result.exit_code == 0, result.output
    for note in notes:
        assert note in result.stderr
    assert "Conflit" not in result.stderr  # the finished answer is the city's only one
    assert applications(empty_ws).get("sevran").people[0].committed is True


def test_sentences_serial_dates_and_a_sep_line_as_excel_and_google_give_them(
    empty_ws: Path, run
) -> None:
    result = run("import", VARIANTS / "google-forms-phrases-oui-non.csv", "-w", empty_ws)
    assert result.exit_code == 0, result.output
    aulnay = {p.name: p.committed for p in applications(empty_ws).get("aulnay-sous-bois").people}
    assert aulnay["Émilie Saint-Arnaud"] is False and aulnay["Mehdi Zerrouki"] is True
    (empty_ws / "applications.toml").unlink()
    result = run("import", VARIANTS / "tableau-excel-sep.csv", "-w", empty_ws)
    assert result.exit_code == 0, result.output
    stamp = applications(empty_ws).get("saint-denis").submitted_at
    assert stamp is not None and stamp.isoformat() == "2014-12-03T09:12:45"


# --- hostile and odd inputs, third round (hostile3.py) -------------------------------------

sys.path.insert(0, str(VARIANTS.parent))

import hostile3  # noqa: E402
import hostile4  # noqa: E402


@pytest.mark.parametrize(
    "build",
    [*hostile3.REFUSED, hostile3.xlsx_too_many_sheets, *hostile4.REFUSED],
    ids=lambda b: f"{b.__module__}.{b.__name__}",
)
def test_hostile_input_is_refused_and_changes_nothing(build, example_ws: Path, run) -> None:
    assert run("import", example_ws / "reponses.csv", "-w", example_ws).exit_code == 0
    before = (example_ws / "applications.toml").read_bytes()
    name, data = build()
    (example_ws / name).write_bytes(data)
    result = run("import", example_ws / name, "-w", example_ws, "--replace")
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert (example_ws / "applications.toml").read_bytes() == before


def test_a_utf16_file_cut_mid_character_is_said_to_be_cut(example_ws: Path, run) -> None:
    name, data = hostile4.csv_utf16_cut_mid_character()  # Excel's « Texte Unicode », cut
    (example_ws / name).write_bytes(data)
    result = run("import", example_ws / name, "-w", example_ws)
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith(
        f"{name} : le fichier est en UTF-16 mais s'arrête au milieu d'un caractère (octet"
    ), result.stderr
    assert "il semble tronqué" in result.stderr and "binaire" not in result.stderr


def test_serial_dates_and_saved_hyperlink_values_import_the_example(empty_ws: Path, run) -> None:
    name, data = hostile3.xlsx_serial_dates_and_hyperlinks()
    (empty_ws / name).write_bytes(data)
    result = run("import", empty_ws / name, "-w", empty_ws)
    assert result.exit_code == 0, result.output
    loaded = applications(empty_ws)
    bondy = loaded.get("bondy")
    assert bondy.submitted_at is not None
    assert bondy.submitted_at.isoformat() == "2014-12-08T16:25:33"
    assert "fatoumata.camara@ville-bondy.fr" in {p.email for p in bondy.people}
    checked = run("check", "-w", empty_ws, "--json")
    report = json.loads(checked.stdout)
    assert {c["city_id"] for c in report["cities"] if c["eligible"]} == set(EXAMPLE_ELIGIBLE)


def test_a_hidden_sheet_is_read_when_it_is_the_only_one_filled(empty_ws: Path, run) -> None:
    name, data = hostile3.xlsx_hidden_sheet_holds_everything()
    (empty_ws / name).write_bytes(data)
    result = run("import", empty_ws / name, "-w", empty_ws)
    assert result.exit_code == 0, result.output
    assert [a.city_id for a in applications(empty_ws).applications] == ["bondy"]


def test_excel_for_mac_csv_is_read_as_mac_roman(empty_ws: Path, run) -> None:
    result = run("import", VARIANTS / "personnes-mac.csv", "-w", empty_ws)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == (
        "personnes-mac.csv : CSV, Mac Roman, séparateur « ; », une ligne par personne, 48 ligne(s)"
    )
    names = {p.name for p in applications(empty_ws).get("saint-denis").people}
    assert "Éloïse N'Guessan" in names and "Jean-François Lefèvre-Duval" in names


def test_limesurvey_multiple_choice_codes_and_ds_on_off_checkboxes(empty_ws: Path, run) -> None:
    result = run("import", VARIANTS / "limesurvey-choix-multiple.csv", "-w", empty_ws)
    assert result.exit_code == 0, result.output  # ENGAGEMENT[PRO1]: the first professional's
    aulnay = {p.name: p.committed for p in applications(empty_ws).get("aulnay-sous-bois").people}
    assert aulnay["Émilie Saint-Arnaud"] is False and aulnay["Mehdi Zerrouki"] is True
    # LimeSurvey's participant columns (firstname, lastname, email) are the one who answered
    assert "Anne Lambert" not in {p.name for a in applications(empty_ws).applications
                                  for p in a.people}  # fmt: skip
    (empty_ws / "applications.toml").unlink()
    result = run("import", VARIANTS / "ds-cases-on-off.xlsx", "-w", empty_ws)
    assert result.exit_code == 0, result.output
    aulnay = {p.name: p.committed for p in applications(empty_ws).get("aulnay-sous-bois").people}
    assert aulnay["Émilie Saint-Arnaud"] is False and aulnay["Mehdi Zerrouki"] is True


def test_a_managers_blank_submission_date_is_not_an_unsent_answer(empty_ws: Path, run) -> None:
    text = (
        "Commune;Rôle;Nom;Engagement;Contribution (€);Date de soumission\r\n"
        "Bondy;Élu(e);Ana Lima;Oui;600;05/01/2027\r\n"
        "Sevran;Élu(e);Paul Roy;Oui;600;\r\n"
    )
    (empty_ws / "suivi.csv").write_text(text, encoding="utf-8")
    result = run("import", empty_ws / "suivi.csv", "-w", empty_ws)
    assert result.exit_code == 0, result.output
    assert [a.city_id for a in applications(empty_ws).applications] == ["bondy", "sevran"]


@pytest.mark.parametrize("export", ["framaforms-cles-options.csv", "framaforms-cles-compactes.csv"])
def test_framaforms_option_keys_are_ticks_of_the_person_they_name(
    export: str, empty_ws: Path, run
) -> None:
    result = run("import", VARIANTS / export, "-w", empty_ws)
    assert result.exit_code == 0, result.output
    aulnay = {p.name: p.committed for p in applications(empty_ws).get("aulnay-sous-bois").people}
    assert aulnay["Émilie Saint-Arnaud"] is False and aulnay["Mehdi Zerrouki"] is True
    assert aulnay["Olivier Fabre"] is True  # « dp »


def test_another_persons_key_in_a_commitment_column_is_no_tick(empty_ws: Path, run) -> None:
    text = (
        "Commune;Élu·e - Nom;Élu·e - Engagement nominatif;Contribution financière (€)\r\n"
        "Bondy;Ana Lima;elu;600\r\n"
        "Sevran;Paul Roy;pro1;600\r\n"
    )
    (empty_ws / "cles.csv").write_text(text, encoding="utf-8")
    result = run("import", empty_ws / "cles.csv", "-w", empty_ws)
    assert result.exit_code == 1
    assert "« pro1 » n'est pas une réponse oui/non" in result.stderr


@pytest.mark.parametrize(
    ("lang", "note"),
    [
        ("fr", "brouillons.csv : lignes 4-53 ignorées : réponses incomplètes (brouillons)"),
        ("en", "brouillons.csv: rows 4-53 skipped: incomplete responses (drafts)"),
    ],
)
def test_fifty_drafts_are_one_note_naming_their_rows(
    lang: str, note: str, empty_ws: Path, tmp_path: Path, run
) -> None:
    lines = (VARIANTS / "framaforms-brouillon.csv").read_text(encoding="utf-8").splitlines()
    export = tmp_path / "brouillons.csv"
    # the draft (file line 4) fifty times over, then the finished answers
    export.write_text("\n".join(lines[:3] + lines[3:4] * 50 + lines[4:]) + "\n", encoding="utf-8")
    result = run("--lang", lang, "import", export, "-w", empty_ws)
    assert result.exit_code == 0, result.output
    skipped = [line for line in result.stderr.splitlines() if "incompl" in line]
    assert skipped == [note]
    assert len(applications(empty_ws).applications) == 12
