"""``cotrain import`` of a fifth round of real-tool exports (issue 16).

Each file of ``tests/data/intake/variantes5/`` (``make_tool_variants5.py``) holds the shipped
example's twelve cities in a shape the earlier rounds did not try (tested for the 7 of 12 with
the others in ``test_import_variants.py``); the tests here name the mechanism each needed:
LibreOffice's own separator and ISO-8859-15, Microsoft Forms' quiz columns, Démarches
simplifiées' proxy columns and an instructor's amount beside the city's, LimeSurvey question
codes with no separator, a manager's two header rows, and three refusals that now say why
(a cell over the csv module's limit, UTF-16 without its mark cut short, formulas never
computed).
"""

from __future__ import annotations

from pathlib import Path

from fixtures_intake import applications
from fixtures_intake import imported as _import

VARIANTS = Path(__file__).resolve().parents[1] / "data" / "intake" / "variantes5"


def test_libreoffice_pipe_separator_and_iso_8859_15_are_read(empty_ws: Path, run) -> None:
    result = _import(run, empty_ws, VARIANTS / "personnes-libreoffice-barre.csv")
    assert result.stdout.splitlines()[0].startswith(
        "personnes-libreoffice-barre.csv : CSV, ISO-8859-15, séparateur « | »"
    )
    assert applications(empty_ws).get("saint-denis").contribution == 600  # « 600,00 € », € = 0xA4


def test_a_pipe_in_a_header_does_not_beat_the_usual_separator(
    empty_ws: Path, run, tmp_path: Path
) -> None:
    export = tmp_path / "pipe.csv"
    rows = (VARIANTS / "personnes-excel-mac.csv").read_text(encoding="utf-8-sig").splitlines()
    rows[0] = rows[0].replace("Commune", "Commune | ville", 1)
    export.write_text("\n".join(rows) + "\n", encoding="utf-8")
    result = _import(run, empty_ws, export)
    assert "séparateur « ; »" in result.stdout.splitlines()[0]


def test_microsoft_forms_quiz_points_and_comments_are_not_answers(empty_ws: Path, run) -> None:
    result = _import(run, empty_ws, VARIANTS / "microsoft-forms-quiz.xlsx")
    saint_denis = applications(empty_ws).get("saint-denis")
    assert saint_denis.contribution == 600
    assert not any(key.startswith(("Points", "Commentaires")) for key in saint_denis.extra)
    assert "Total des points" not in saint_denis.extra
    assert "Contribution de la commune (€)" in result.stderr  # read from its words, and said


def test_ds_proxy_columns_and_the_instructors_amount_are_not_the_citys(
    empty_ws: Path, run
) -> None:
    # « Nom du mandataire » is no triad member; « Montant accordé » (an annotation, 1000) is
    # not the city's « Montant de la participation de la commune »
    _import(run, empty_ws, VARIANTS / "ds-etats-annotations.xlsx")
    loaded = applications(empty_ws)
    assert loaded.get("saint-denis").contribution == 600
    assert loaded.get("epinay-sur-seine").contribution == 300
    assert loaded.get("stains").contribution is None


def test_limesurvey_codes_without_separator_name_each_persons_field(
    empty_ws: Path, run
) -> None:
    # « ELUENG », « PRO2ENG », « DPENG »: a role, its number, a field, glued
    _import(run, empty_ws, VARIANTS / "limesurvey-codes-reponses.csv")
    aulnay = {p.name: p.committed for p in applications(empty_ws).get("aulnay-sous-bois").people}
    assert aulnay["Émilie Saint-Arnaud"] is False and aulnay["Mehdi Zerrouki"] is True


def test_a_row_of_merged_groups_over_the_labels_is_not_the_header(empty_ws: Path, run) -> None:
    # « Élu·e » merged over « Nom | Prénom | Mail | Présent·e 4,5 j »
    result = _import(run, empty_ws, VARIANTS / "tableau-deux-lignes.xlsx")
    assert "en-têtes lus ligne 3" in result.stderr
    people = {p.role.value: p for p in applications(empty_ws).get("saint-denis").people}
    assert people["elected"].name == "Éloïse N'GUESSAN"
    assert people["elected"].email == "eloise.nguessan@ville-saint-denis.fr"
    submitted = applications(empty_ws).get("saint-denis").submitted_at
    assert (submitted.day, submitted.month, submitted.hour) == (3, 12, 9)  # a serial number


def test_a_cell_over_the_csv_limit_is_refused_in_french_with_line_and_column(
    empty_ws: Path, run, tmp_path: Path
) -> None:
    export = tmp_path / "long.csv"
    export.write_text("Commune;Nom\nBondy;" + "x" * 140_000 + "\n", encoding="utf-8")
    result = run("import", export, "-w", empty_ws)
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith(
        "long.csv, ligne 2 : une cellule de la colonne 2 dépasse 131\u202f072 caractères"
    ), result.stderr
    assert "field limit" not in result.stderr
    assert not (empty_ws / "applications.toml").exists()


def test_utf16_without_its_mark_cut_short_is_said_to_be_cut(
    empty_ws: Path, run, tmp_path: Path
) -> None:
    export = tmp_path / "coupe.txt"
    text = "Commune\tNom\r\nBondy\tAna Lima\r\n"
    export.write_bytes(text.encode("utf-16-le")[:-1])
    result = run("import", export, "-w", empty_ws)
    assert result.exit_code == 1, result.output
    assert "UTF-16 (sans marque d'ordre des octets)" in result.stderr
    assert "il semble tronqué" in result.stderr and "binaire" not in result.stderr


def test_a_formula_never_computed_is_refused_naming_its_cell(
    empty_ws: Path, run, tmp_path: Path
) -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "Notes"
    sheet = book.create_sheet("Suivi")
    sheet.append(["Commune", "Élu·e - Nom", "Élu·e - Engagé(e)", "Contribution (€)"])
    sheet.append(["Bondy", "Ana Lima", "Oui", "=500+100"])  # openpyxl saves no value
    export = tmp_path / "script.xlsx"
    book.save(export)
    result = run("import", export, "-w", empty_ws)
    assert result.exit_code == 1, result.output
    assert "la cellule D2 de la feuille « Suivi » contient une formule jamais calculée" in (
        result.stderr
    )
    assert not (empty_ws / "applications.toml").exists()


def test_addresses_pasted_from_a_mail_program_are_the_address(empty_ws: Path, run) -> None:
    # « Bouzid Karim <karim.bouzid@mairie-aubervilliers.fr> », a legend under the table
    result = _import(run, empty_ws, VARIANTS / "tableau-legende-excel.csv")
    assert "lignes 15-17 ignorées : commentaires" in result.stderr
    people = {p.name: p for p in applications(empty_ws).get("aubervilliers").people}
    assert people["Karim BOUZID"].email == "karim.bouzid@mairie-aubervilliers.fr"  # first name first
    submitted = applications(empty_ws).get("aubervilliers").submitted_at
    assert (submitted.year, submitted.month, submitted.day) == (2014, 12, 5)  # « 05/12/14 »


def test_an_address_with_other_words_is_still_an_error(empty_ws: Path, run, tmp_path: Path) -> None:
    text = (VARIANTS / "tableau-legende-excel.csv").read_text(encoding="cp1252")
    export = tmp_path / "adresses.csv"
    export.write_text(
        text.replace("<karim.bouzid@mairie-aubervilliers.fr>", "<karim.bouzid@mairie-aubervilliers.fr> (mairie)"),
        encoding="utf-8",
    )  # fmt: skip
    result = run("import", export, "-w", empty_ws)
    assert result.exit_code == 1
    assert "n'est pas une adresse e-mail" in result.output
    assert not (empty_ws / "applications.toml").exists()


def test_a_name_cell_on_two_lines_is_the_name_then_the_job_title(empty_ws: Path, run) -> None:
    # « Éloïse N'Guessan⏎Adjointe au maire chargée de la démocratie locale »
    _import(run, empty_ws, VARIANTS / "personnes-identite-deux-lignes.csv")
    people = {p.role.value: p for p in applications(empty_ws).get("saint-denis").people}
    assert people["elected"].name == "Éloïse N'Guessan"
    assert people["elected"].id == "eloise-nguessan"
    assert people["elected"].job_title == "Adjointe au maire chargée de la démocratie locale"


def test_a_name_broken_over_two_lines_stays_one_name(empty_ws: Path, run, tmp_path: Path) -> None:
    text = (VARIANTS / "personnes-identite-deux-lignes.csv").read_text(encoding="utf-8")
    export = tmp_path / "noms.csv"
    export.write_text(
        text.replace('"Éloïse N\'Guessan\nAdjointe au maire chargée de la démocratie locale"',
                     '"Éloïse\nN\'Guessan"'),
        encoding="utf-8",
    )  # fmt: skip
    _import(run, empty_ws, export)
    people = {p.role.value: p for p in applications(empty_ws).get("saint-denis").people}
    assert people["elected"].name == "Éloïse N'Guessan" and people["elected"].job_title == ""


def test_form_metadata_is_never_proposed_for_a_missing_field(
    empty_ws: Path, run, tmp_path: Path
) -> None:
    # LimeSurvey's SGQA headings name nothing: « id » (1, 2, 3…) is no contribution
    export = tmp_path / "sgqa.csv"
    export.write_text(
        "id,submitdate,579214X37X201,579214X38X210,579214X38X212,579214X43X220\n"
        "1,2014-12-03 09:12:45,Bondy,Ana Lima,Y,600\n"
        "2,2014-12-04 09:12:45,Sevran,Paul Roy,N,500\n",
        encoding="utf-8",
    )
    refused = run("import", export, "-w", empty_ws)
    assert refused.exit_code == 1 and "--suggest" in refused.stderr
    result = run("import", export, "-w", empty_ws, "--suggest")
    assert result.exit_code == 0, result.output
    assert '"id" = "contribution"' not in result.stdout
    assert '"579214X43X220" = "contribution"' in result.stdout


def test_a_question_merged_over_one_detail_label_names_the_column(empty_ws: Path, run) -> None:
    # « Engagement » over « 4,5 jours ? », « Personne engagée » over « Nom | Prénom | Fonction »
    _import(run, empty_ws, VARIANTS / "personnes-deux-lignes.xlsx")
    aulnay = {p.name: p for p in applications(empty_ws).get("aulnay-sous-bois").people}
    assert aulnay["Émilie Saint-Arnaud"].committed is False
    assert aulnay["Mehdi Zerrouki"].committed is True
    assert aulnay["Mehdi Zerrouki"].role.value == "professional"


def test_the_citys_contact_person_is_the_contact_not_a_person_without_role(
    empty_ws: Path, run
) -> None:
    # « Contact : nom et prénom », « Contact : fonction », « Contact : téléphone », « … : e-mail »
    _import(run, empty_ws, VARIANTS / "google-forms-contact.csv")
    aubervilliers = applications(empty_ws).get("aubervilliers")
    assert aubervilliers.contact == "Maëlle d'Argentré"
    assert aubervilliers.extra["Contact : téléphone"] == "01 49 00 00 00"
    assert len(aubervilliers.people) == 4


def test_person_columns_of_no_role_are_still_refused(empty_ws: Path, run, tmp_path: Path) -> None:
    text = (VARIANTS / "google-forms-contact.csv").read_text(encoding="utf-8")
    export = tmp_path / "sans-role.csv"
    export.write_text(text.replace("Contact : ", "Secrétaire : "), encoding="utf-8")
    result = run("import", export, "-w", empty_ws)
    assert result.exit_code == 1
    assert "« Secrétaire : nom et prénom »" in result.stderr


def test_a_question_marked_not_answered_is_no_answer(empty_ws: Path, run) -> None:
    # LimeSurvey's option: « N/A » in every field of Bobigny's absent delegate
    _import(run, empty_ws, VARIANTS / "limesurvey-non-renseigne.csv")
    people = applications(empty_ws).get("bobigny").people
    assert sorted(p.role.value for p in people) == ["elected", "professional", "professional"]
    assert not any("N/A" in p.name for p in people)
