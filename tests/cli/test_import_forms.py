"""``cotrain import`` of exports from the form tools people really use (issue 16).

Each file of ``tests/data/intake/outils/`` holds the shipped example's twelve cities as one tool
exports them (``make_form_exports.py``); each must import as it is and give the example's 7 of
12 with the same reasons. Hostile inputs (``hostile.py``) must be refused with exit 1 and leave
``applications.toml`` as it was.
"""

from __future__ import annotations

import json
import re
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

from cotrain.domain.models import ApplicationsFile
from fixtures_intake import EXAMPLE_ELIGIBLE, EXAMPLE_FAILURES, applications

DATA = Path(__file__).resolve().parents[1] / "data" / "intake"
TOOLS = DATA / "outils"
sys.path.insert(0, str(DATA))

import hostile  # noqa: E402

EXPORTS = sorted(p.name for p in TOOLS.iterdir() if p.suffix in (".csv", ".xlsx", ".ods", ".xls"))


def people(model: ApplicationsFile) -> dict[str, list[tuple[str, str, str, bool]]]:
    return {
        a.city_id: sorted((p.role.value, p.name, p.email, p.committed) for p in a.people)
        for a in model.applications
    }


@pytest.fixture(scope="module")
def expected_people(tmp_path_factory) -> dict[str, list[tuple[str, str, str, bool]]]:
    """The people of the shipped example, as its own CSV imports them."""
    from typer.testing import CliRunner

    from conftest import EXAMPLE
    from cotrain.cli.app import build_app

    ws = tmp_path_factory.mktemp("reference")
    for item in EXAMPLE.iterdir():
        if item.is_file():
            (ws / item.name).write_bytes(item.read_bytes())
    result = CliRunner().invoke(build_app(), ["import", str(ws / "reponses.csv"), "-w", str(ws)])
    assert result.exit_code == 0, result.output
    return people(applications(ws))


# --- every tool's export, as exported ----------------------------------------------------


@pytest.mark.parametrize("export", EXPORTS)
def test_each_tool_export_imports_as_is_and_check_gives_seven_of_twelve(
    export: str, empty_ws: Path, run, expected_people
) -> None:
    result = run("import", TOOLS / export, "-w", empty_ws)
    assert result.exit_code == 0, result.output
    assert "Importé : 12 ville(s), 48 personne(s)" in result.stdout
    assert people(applications(empty_ws)) == expected_people
    checked = run("check", "-w", empty_ws, "--json")
    assert checked.exit_code == 0, checked.output
    report = json.loads(checked.stdout)
    assert [c["city_id"] for c in report["cities"] if c["eligible"]] == EXAMPLE_ELIGIBLE
    failures = {
        c["city_id"]: [f["code"] for f in c["failures"]]
        for c in report["cities"]
        if not c["eligible"]
    }
    assert failures == EXAMPLE_FAILURES


def test_framaforms_title_rows_are_skipped_and_said(empty_ws: Path, run) -> None:
    result = run("import", TOOLS / "framaforms.xlsx", "-w", empty_ws)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == (
        "framaforms.xlsx : XLSX, feuille « Submissions », une ligne par ville, 12 ligne(s)"
    )
    assert (
        "framaforms.xlsx : 2 ligne(s) au-dessus des en-têtes ignorée(s) (titre) ; en-têtes lus ligne 3"
        in result.stderr
    )


@pytest.mark.parametrize(
    "export",
    [
        "tableau-suivi.xlsx",
        "tableau-suivi.ods",
        "tableau-suivi.xls",
        "tableau-suivi-web.xls",
        "tableau-suivi-xml2003.xls",
    ],
)
def test_manager_table_total_and_comment_rows_are_skipped_and_said(
    export: str, empty_ws: Path, run
) -> None:
    result = run("import", TOOLS / export, "-w", empty_ws)
    assert result.exit_code == 0, result.output
    assert f"{export} : ligne 54 ignorée : ligne de total" in result.stderr
    assert f"{export} : ligne 56 ignorée : commentaire (pas une réponse)" in result.stderr
    loaded = applications(empty_ws)
    # merged city cells apply to every person of the city; "1 000,00 €" is read
    assert [p.name for p in loaded.get("noisy-le-grand").people][0] == "Jean-Marc Duplessis-Viard"
    assert loaded.get("montreuil").contribution == 1000


def test_demarches_simplifiees_block_sheet_is_joined_and_the_filer_ignored(
    empty_ws: Path, run
) -> None:
    result = run("import", TOOLS / "demarches-simplifiees.xlsx", "-w", empty_ws)
    assert result.exit_code == 0, result.output
    assert (
        "demarches-simplifiees.xlsx : feuille « Professionnel·les de la ville » jointe par numéro "
        "de dossier (25 ligne(s))" in result.stderr
    )
    names = {p.name for a in applications(empty_ws).applications for p in a.people}
    assert "Julien Petit" not in names and "Camille Roux" not in names


def test_sheet_option_reads_one_sheet_only(empty_ws: Path, run) -> None:
    result = run(
        "import", TOOLS / "demarches-simplifiees.xlsx", "--sheet", "Nope", "-w", empty_ws
    )
    assert result.exit_code == 1
    assert "aucune feuille « Nope » dans ce classeur (feuilles : Dossiers, Professionnel·les de la ville)" in result.output


def test_header_row_option_overrides_the_detection(empty_ws: Path, run) -> None:
    result = run("import", TOOLS / "framaforms.csv", "--header-row", "2", "-w", empty_ws)
    assert result.exit_code == 1
    assert "introuvable" in result.output
    result = run("import", TOOLS / "framaforms.csv", "--header-row", "3", "-w", empty_ws)
    assert result.exit_code == 0, result.output


def test_stale_dimension_never_drops_rows(tmp_path: Path, empty_ws: Path, run) -> None:
    source = DATA / "reponses.xlsx"
    stale = tmp_path / "stale.xlsx"
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(stale, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename.startswith("xl/worksheets/sheet1"):
                data = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:C5"', data)
            zout.writestr(info, data)
    result = run("import", stale, "-w", empty_ws)
    assert result.exit_code == 0, result.output
    assert len(applications(empty_ws).applications) == 12


def test_standard_input_and_forced_encoding(empty_ws: Path, run) -> None:
    text = (TOOLS / "google-forms.csv").read_text(encoding="utf-8")
    result = run("import", "-", "-w", empty_ws, input=text)
    assert result.exit_code == 0, result.output
    assert len(applications(empty_ws).applications) == 12
    latin = empty_ws / "latin.csv"
    latin.write_bytes((DATA.parent.parent.parent / "examples/seine-saint-denis-2015/reponses.csv").read_bytes())
    result = run("import", latin, "--encoding", "utf-8", "-w", empty_ws)
    assert result.exit_code == 1
    assert "le fichier n'est pas en utf-8" in result.output
    result = run("import", latin, "--encoding", "cp1252", "-w", empty_ws, "--dry-run")
    assert result.exit_code == 0, result.output


# --- a mapping the tool proposes ---------------------------------------------------------


def test_unrecognised_headers_suggest_a_mapping_that_imports(example_ws: Path, run) -> None:
    (example_ws / "applications.toml").unlink(missing_ok=True)
    text = (example_ws / "reponses.csv").read_bytes().decode("cp1252")
    text = text.replace(";Commune;", ";Votre collectivité;", 1)
    text = text.replace("Contribution financière (€)", "Somme versée", 1)  # no word says what
    odd = example_ws / "odd.csv"
    odd.write_bytes(text.encode("cp1252"))
    refused = run("import", odd, "-w", example_ws)
    assert refused.exit_code == 1
    assert "« cotrain import odd.csv --suggest » propose un bloc [import.columns]" in refused.output
    shown = run("import", odd, "--suggest", "-w", example_ws)
    assert shown.exit_code == 0, shown.output
    assert '"Votre collectivité" = "city"  # à vérifier : deviné d\'après l\'en-tête' in shown.stdout
    assert '"Somme versée" = "contribution"  # à vérifier' in shown.stdout
    assert not (example_ws / "applications.toml").exists()
    written = run("import", odd, "--suggest", "--write", "-w", example_ws)
    assert written.exit_code == 0, written.output
    config = tomllib.loads((example_ws / "cotrain.toml").read_text())
    assert config["import"]["columns"]["Votre collectivité"] == "city"
    imported = run("import", odd, "-w", example_ws)
    assert imported.exit_code == 0, imported.output
    report = json.loads(run("check", "-w", example_ws, "--json").stdout)
    assert report["eligible"] == 7


def test_required_city_questions_are_read_from_their_words_and_said(
    example_ws: Path, run
) -> None:
    """One question only names the city, one only the contribution: read as such, with a note."""
    (example_ws / "applications.toml").unlink(missing_ok=True)
    text = (example_ws / "reponses.csv").read_bytes().decode("cp1252")
    text = text.replace(";Commune;", ";Quelle collectivité présente sa candidature ?;", 1)
    text = text.replace("Contribution financière (€)", "Montant versé par la ville (euros)", 1)
    odd = example_ws / "odd.csv"
    odd.write_bytes(text.encode("cp1252"))
    result = run("import", odd, "-w", example_ws)
    assert result.exit_code == 0, result.output
    assert (
        "odd.csv : question(s) lue(s) d'après leurs mots (vérifiez, ou fixez-les dans "
        "[import.columns]) : « Quelle collectivité présente sa candidature ? » : Commune"
    ) in result.stderr
    report = json.loads(run("check", "-w", example_ws, "--json").stdout)
    assert report["eligible"] == 7


def test_person_columns_with_no_role_are_an_error_naming_them(example_ws: Path, run) -> None:
    text = (example_ws / "reponses.csv").read_bytes().decode("cp1252")
    for field in ("Nom", "Fonction", "Courriel", "Engagement nominatif"):
        text = text.replace(f"Élu·e - {field}", f"Référent·e - {field}", 1)
    odd = example_ws / "odd.csv"
    odd.write_bytes(text.encode("cp1252"))
    result = run("import", odd, "-w", example_ws)
    assert result.exit_code == 1
    assert "« Élu·e - Nom »" in result.output  # the elected official is missing


# --- one person, two cities ---------------------------------------------------------------


def test_same_person_in_two_cities_is_reported_failed_by_check_and_flagged_by_doctor(
    example_ws: Path, run
) -> None:
    (example_ws / "applications.toml").unlink(missing_ok=True)
    text = (example_ws / "reponses.csv").read_bytes().decode("cp1252")
    text = text.replace("sophie.martin@ville-bobigny.fr", "sophie.martin@montreuil.fr")
    (example_ws / "twice.csv").write_bytes(text.encode("cp1252"))
    result = run("import", example_ws / "twice.csv", "-w", example_ws)
    assert result.exit_code == 0, result.output
    assert (
        "Attention : Sophie Martin est nommé·e par plusieurs villes (Bobigny, Montreuil) ; "
        "une personne ne peut occuper qu'une place." in result.stderr
    )
    checked = run("check", "-w", example_ws)
    assert "Sophie Martin (élu·e) est aussi nommé·e par Montreuil" in checked.stdout
    assert "Sophie Martin (professionnel·le) est aussi nommé·e par Bobigny" in checked.stdout
    report = json.loads(run("check", "-w", example_ws, "--json").stdout)
    assert "montreuil" not in [c["city_id"] for c in report["cities"] if c["eligible"]]
    doctor = run("doctor", "-w", example_ws)
    assert "Sophie Martin est nommé·e par plusieurs villes : Bobigny, Montreuil." in doctor.output


# --- hostile and damaged inputs ----------------------------------------------------------


@pytest.mark.parametrize("build", hostile.BUILDERS, ids=lambda b: b.__name__)
def test_hostile_input_is_refused_and_changes_nothing(build, example_ws: Path, run) -> None:
    assert run("import", example_ws / "reponses.csv", "-w", example_ws).exit_code == 0
    before = (example_ws / "applications.toml").read_bytes()
    name, data = build()
    path = example_ws / name
    path.write_bytes(data)
    result = run("import", path, "-w", example_ws, "--replace")
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert (example_ws / "applications.toml").read_bytes() == before


@pytest.mark.parametrize(
    "build",
    [hostile.csv_escape_sequences, hostile.csv_bom_in_value, hostile.xlsx_huge_dimension,
     hostile.csv_nul_bytes],
    ids=lambda b: b.__name__,
)
def test_invisible_and_control_characters_are_never_stored(build, empty_ws: Path, run) -> None:
    name, data = build()
    path = empty_ws / name
    path.write_bytes(data)
    result = run("import", path, "-w", empty_ws)
    assert result.exit_code == 0, result.output
    stored = (empty_ws / "applications.toml").read_text()
    assert 'name = "Awa Diallo"' in stored
    assert "\x1b" not in stored and "\ufeff" not in stored and "\x00" not in stored


def test_huge_numbers_are_a_data_error_with_row_and_column(empty_ws: Path, run) -> None:
    name, data = hostile.csv_huge_numbers()
    (empty_ws / name).write_bytes(data)
    result = run("import", empty_ws / name, "-w", empty_ws)
    assert result.exit_code == 1
    assert "nombres.csv, ligne 2, colonne « Contribution financière (€) » : « 1e308 » n'est pas un montant" in result.output
    assert "nombres.csv, ligne 3, colonne « Contribution financière (€) »" in result.output


def test_truncated_csv_names_the_line(empty_ws: Path, run) -> None:
    for build, expected in (
        (hostile.csv_cut_in_quotes, "coupe-guillemets.csv, ligne 3: le fichier s'arrête au milieu d'une cellule entre guillemets ouverte ligne 3"),
        (hostile.csv_cut_mid_row, "coupe-ligne.csv, ligne 4: la dernière ligne (4) n'a que 2 colonne(s) au lieu de 4"),
    ):
        name, data = build()
        (empty_ws / name).write_bytes(data)
        result = run("import", empty_ws / name, "-w", empty_ws)
        assert result.exit_code == 1
        assert expected in result.output.replace("\u00a0", " ").replace(" :", ":", 1)


def test_duplicate_header_is_an_error(empty_ws: Path, run) -> None:
    name, data = hostile.csv_duplicate_header()
    (empty_ws / name).write_bytes(data)
    result = run("import", empty_ws / name, "-w", empty_ws)
    assert result.exit_code == 1
    assert "l'en-tête « Commune » figure deux fois (colonnes 1 et 2)" in result.output


def test_unknown_yes_no_and_tick_marks(empty_ws: Path, run) -> None:
    name, data = hostile.csv_unknown_yes_no()
    (empty_ws / name).write_bytes(data)
    result = run("import", empty_ws / name, "-w", empty_ws)
    assert result.exit_code == 1
    assert "« peut-être » n'est pas une réponse oui/non" in result.output
    rows = ["Bondy;Awa Diallo;✓;600", "Sevran;Ana Silva;✗;600", "Stains;Li Wu;☑;600", "Bobigny;Jo Kim;N;600"]
    (empty_ws / "ticks.csv").write_bytes(("\r\n".join([hostile.HEADER, *rows]) + "\r\n").encode())
    result = run("import", empty_ws / "ticks.csv", "-w", empty_ws)
    assert result.exit_code == 0, result.output
    committed = {a.city_id: a.people[0].committed for a in applications(empty_ws).applications}
    assert committed == {"bondy": True, "sevran": False, "stains": True, "bobigny": False}


def test_installed_cotrain_refuses_a_workbook_bomb_by_its_row_limit(tmp_path: Path) -> None:
    import subprocess

    name, data = hostile.xlsx_far_cell()
    path = tmp_path / name
    path.write_bytes(data)
    (tmp_path / "cotrain.toml").write_text("schema = 1\n")
    done = subprocess.run(
        ["cotrain", "import", str(path), "-w", str(tmp_path)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1, done.stderr
    assert "fichier trop gros : nombre de lignes 1048576 (limite : 200000)" in done.stderr.replace("\u00a0", " ")
    assert not (tmp_path / "applications.toml").exists()


def test_framaforms_checkboxes_holding_the_option_text_are_ticks(
    tmp_path: Path, empty_ws: Path, run
) -> None:
    import csv
    import io

    text = (TOOLS / "framaforms.csv").read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text), delimiter="\t"))
    labels = rows[2]
    start = labels.index("Élu·e", 12)
    for row in rows[3:]:
        for index in range(start, start + 5):
            if row[index] == "X":
                row[index] = labels[index]
    for index in range(start, start + 5):  # the question over every option, not the first only
        rows[1][index] = "Engagement nominatif sur toutes les journées"
    buffer = io.StringIO()
    csv.writer(buffer, delimiter="\t", quoting=csv.QUOTE_ALL, lineterminator="\n").writerows(rows)
    path = tmp_path / "framaforms-textes.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    result = run("import", path, "-w", empty_ws)
    assert result.exit_code == 0, result.output
    report = json.loads(run("check", "-w", empty_ws, "--json").stdout)
    assert [c["city_id"] for c in report["cities"] if c["eligible"]] == EXAMPLE_ELIGIBLE


def test_manager_table_saved_as_csv_takes_the_city_from_the_row_above(
    empty_ws: Path, run
) -> None:
    result = run("import", TOOLS / "tableau-suivi.csv", "-w", empty_ws)
    assert result.exit_code == 0, result.output
    assert (
        "tableau-suivi.csv : ligne(s) 6-8, 10-12, 14-16, 18-20, 22-24, 26-28, 31-33, 35-36, "
        "38-40, 42-44, 46-49, 51-53 sans commune : commune reprise de la ligne au-dessus "
        "(cellule fusionnée)" in result.stderr
    )


def test_google_checkbox_question_in_one_cell_gives_each_person_commitment(
    tmp_path: Path, empty_ws: Path, run
) -> None:
    import csv
    import io

    rows = list(csv.reader(io.StringIO((TOOLS / "google-forms.csv").read_text(encoding="utf-8"))))
    head = rows[0]
    columns = [i for i, h in enumerate(head) if h.startswith("Engagement")]
    labels = ["Élu·e", "Professionnel·le 1", "Professionnel·le 2", "Professionnel·le 3", "Délégué·e du préfet"]
    out = [[h for i, h in enumerate(head) if i not in columns] + ["Qui s'engage sur toutes les journées ?"]]
    for row in rows[1:]:
        who = [labels[k] for k, i in enumerate(columns) if row[i] == "Oui"]
        out.append([v for i, v in enumerate(row) if i not in columns] + [", ".join(who)])
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(out)
    path = tmp_path / "google-cases.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    result = run("import", path, "-w", empty_ws)
    assert result.exit_code == 0, result.output
    report = json.loads(run("check", "-w", empty_ws, "--json").stdout)
    assert [c["city_id"] for c in report["cities"] if c["eligible"]] == EXAMPLE_ELIGIBLE
    failures = {c["city_id"]: [f["code"] for f in c["failures"]] for c in report["cities"] if not c["eligible"]}
    assert failures == EXAMPLE_FAILURES


# --- truncated and disguised files (tester's findings) -------------------------------------


def _example_lines(ws: Path) -> list[str]:
    return (ws / "reponses.csv").read_bytes().decode("cp1252").replace("\r\n", "\n").split("\n")


def test_unterminated_quote_in_the_only_data_row_is_refused(empty_ws: Path, run) -> None:
    header, row = _example_lines(empty_ws)[0], _example_lines(empty_ws)[4]
    cut = row.rsplit(";", 3)[0] + ';secretariat"Bron;unterminated'
    (empty_ws / "p3.csv").write_text(header + "\n" + cut, encoding="utf-8")
    result = run("import", empty_ws / "p3.csv", "-w", empty_ws)
    assert result.exit_code == 1
    out = result.output.replace("\u00a0", " ")
    assert "p3.csv, ligne 2" in out and "guillemet qui n'est jamais refermé" in out
    assert "il semble tronqué" in out
    assert not (empty_ws / "applications.toml").exists()


def test_utf8_file_cut_mid_character_is_truncated_not_windows_1252(empty_ws: Path, run) -> None:
    lines = _example_lines(empty_ws)
    data = ("\n".join(lines[:5]) + "\n").encode("utf-8")
    (empty_ws / "p4.csv").write_bytes(data[:-1] + "é".encode()[:1])
    result = run("import", empty_ws / "p4.csv", "-w", empty_ws)
    assert result.exit_code == 1
    out = result.output.replace("\u00a0", " ")
    assert "p4.csv" in out and "UTF-8" in out and "il semble tronqué" in out
    assert "Ã" not in out
    assert not (empty_ws / "applications.toml").exists()


def test_complete_file_without_final_newline_still_imports(empty_ws: Path, run) -> None:
    text = "\n".join(_example_lines(empty_ws)).rstrip("\n")
    (empty_ws / "sans-fin.csv").write_text(text, encoding="utf-8")
    result = run("import", empty_ws / "sans-fin.csv", "-w", empty_ws)
    assert result.exit_code == 0, result.output
    assert len(applications(empty_ws).applications) == 12


def test_html_saved_as_xls_is_read_as_its_table(empty_ws: Path, run) -> None:
    html = (
        "<html><body><table><tr><th>Commune</th><th>Élu·e - Nom</th>"
        "<th>Élu·e - Engagement nominatif</th><th>Contribution financière (€)</th></tr>"
        "<tr><td>Bondy</td><td>Awa&nbsp;Diallo</td><td>Oui</td><td>1&nbsp;000,00&nbsp;&euro;</td>"
        "</tr></table></body></html>"
    )
    (empty_ws / "p5.xls").write_text(html, encoding="utf-8")
    result = run("import", empty_ws / "p5.xls", "-w", empty_ws)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("p5.xls : HTML, une ligne par ville, 1 ligne(s)")
    bondy = applications(empty_ws).get("bondy")
    assert [(p.name, p.committed) for p in bondy.people] == [("Awa Diallo", True)]
    assert bondy.contribution == 1000


def test_not_a_zip_workbook_has_a_hint(empty_ws: Path, run) -> None:
    (empty_ws / "p6.xlsx").write_bytes(b"garbage, not a workbook\n")
    result = run("import", empty_ws / "p6.xlsx", "-w", empty_ws)
    assert result.exit_code == 1
    out = result.output.replace("\u00a0", " ")
    assert "classeur illisible (not a zip archive)" in out
    assert "Pour corriger" in out


def _per_person_csv(extra_header: str, extra: list[str]) -> str:
    people = [("Marie Lenoir", "Élu·e"), ("Paul Martin", "Professionnel·le"), ("Ana Lopes", "Professionnel·le")]
    lines = ["Horodateur,Adresse e-mail,Commune,Nom et prénom,Rôle,Engagement nominatif,Contribution financière (€)" + extra_header]
    for (name, role), more in zip(people, extra, strict=True):
        lines.append(f"01/12/2014 10:00,secretariat@ville-bron.fr,Bron,{name},{role},Oui,600{more}")
    return "\n".join(lines) + "\n"


def test_respondent_email_repeated_for_everyone_is_not_the_persons_email(empty_ws: Path, run) -> None:
    (empty_ws / "p4.csv").write_text(_per_person_csv("", ["", "", ""]), encoding="utf-8")
    result = run("import", empty_ws / "p4.csv", "-w", empty_ws)
    assert result.exit_code == 0, result.output
    assert "figure deux fois" not in result.output
    assert "« Adresse e-mail »" in result.output
    bron = people(applications(empty_ws))["bron"]
    assert sorted(p[1] for p in bron) == ["Ana Lopes", "Marie Lenoir", "Paul Martin"]
    assert all(p[2] == "" for p in bron)


def test_per_person_email_column_wins_over_the_respondents(empty_ws: Path, run) -> None:
    own = [",marie.lenoir@ville-bron.fr", ",paul.martin@ville-bron.fr", ",ana.lopes@ville-bron.fr"]
    (empty_ws / "p4b.csv").write_text(_per_person_csv(",Courriel", own), encoding="utf-8")
    result = run("import", empty_ws / "p4b.csv", "-w", empty_ws)
    assert result.exit_code == 0, result.output
    emails = {p[1]: p[2] for p in people(applications(empty_ws))["bron"]}
    assert emails == {
        "Marie Lenoir": "marie.lenoir@ville-bron.fr",
        "Paul Martin": "paul.martin@ville-bron.fr",
        "Ana Lopes": "ana.lopes@ville-bron.fr",
    }


def test_same_person_twice_with_one_email_is_still_refused(empty_ws: Path, run) -> None:
    text = _per_person_csv("", ["", "", ""]).replace("Paul Martin", "Marie Lenoir")
    (empty_ws / "p4c.csv").write_text(text, encoding="utf-8")
    result = run("import", empty_ws / "p4c.csv", "-w", empty_ws)
    assert result.exit_code == 1
    assert "Marie Lenoir figure deux fois" in result.output.replace("\u00a0", " ")


# --- --suggest leads to an import (tester's finding) --------------------------------------

ODD_HEADERS = (
    "Commune;Contribution financière (€);Maire adjoint·e en charge;Son engagement;"
    "Agent référent;Engagement de l'agent;Deuxième agent;Engagement du second agent;"
    "Délégué·e du préfet - Nom;Délégué·e du préfet - Engagement nominatif\n"
    "Bondy;600;Fatoumata Camara;Oui;Pierre-Yves Morvan;Oui;Inès Belkacem;Oui;Chantal Nguyen;Oui\n"
    "Sevran;600;Marc Durand;Oui;Julie Petit;Oui;Karim Benali;Oui;Paul Roy;Oui\n"
    "Stains;600;Sophie Martin;Oui;Luc Bernard;Oui;Nadia Farah;Oui;Anne Roy;Oui\n"
)


def _flat(output: str) -> str:
    return output.replace("\u00a0", " ")


def test_suggest_proposes_every_missing_field_until_the_import_works(empty_ws: Path, run) -> None:
    (empty_ws / "odd.csv").write_text(ODD_HEADERS, encoding="utf-8")
    assert run("import", empty_ws / "odd.csv", "-w", empty_ws).exit_code == 1
    out = _flat(run("import", empty_ws / "odd.csv", "--suggest", "-w", empty_ws).output)
    assert '"Maire adjoint·e en charge" = "elected.name"' in out
    assert '"Son engagement" = "elected.committed"' in out
    assert '"Agent référent" = "professional.name"' in out
    assert '= "role"' not in out
    # "Deuxième agent", "Engagement du second agent": the ordinal word says which agent.
    assert '"Deuxième agent" = "professional.2.name"' in out
    assert '# "<colonne>"' not in out
    assert run("import", empty_ws / "odd.csv", "--suggest", "--write", "-w", empty_ws).exit_code == 0
    result = run("import", empty_ws / "odd.csv", "-w", empty_ws)
    assert result.exit_code == 0, result.output
    found = people(applications(empty_ws))
    assert ("elected", "Fatoumata Camara", "", True) in found["bondy"]
    assert ("professional", "Inès Belkacem", "", True) in found["bondy"]
    assert len(found) == 3


def test_suggest_after_a_wrong_mapping_still_proposes_and_rewrites_it(empty_ws: Path, run) -> None:
    (empty_ws / "odd.csv").write_text(ODD_HEADERS, encoding="utf-8")
    config = empty_ws / "cotrain.toml"
    config.write_text(
        config.read_text(encoding="utf-8")
        + '\n[import.columns]\n"Agent référent" = "role"\n"Maire adjoint·e en charge" = "ignore"\n',
        encoding="utf-8",
    )
    assert run("import", empty_ws / "odd.csv", "-w", empty_ws).exit_code == 1
    out = _flat(run("import", empty_ws / "odd.csv", "--suggest", "-w", empty_ws).output)
    assert "rien à ajouter" not in out
    assert '"Maire adjoint·e en charge" = "elected.name"' in out
    assert '"Agent référent" = "professional.name"' in out
    assert run("import", empty_ws / "odd.csv", "--suggest", "--write", "-w", empty_ws).exit_code == 0
    columns = tomllib.loads(config.read_text(encoding="utf-8"))["import"]["columns"]
    assert columns["Agent référent"] == "professional.name"
    assert columns["Maire adjoint·e en charge"] == "elected.name"


@pytest.mark.parametrize(
    ("export", "kind"),
    [("tableau-suivi-web.xls", "HTML"), ("tableau-suivi-xml2003.xls", "XML"), ("tableau-suivi.xls", "XLS")],
)
def test_what_is_named_xls_is_read_as_what_it_is(export: str, kind: str, empty_ws: Path, run) -> None:
    """A web page or an XML spreadsheet saved as .xls is read as a table, not refused."""
    result = run("import", TOOLS / export, "-w", empty_ws)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0].startswith(f"{export} : {kind}, ")


def test_a_web_page_without_a_table_or_cut_short_is_refused_with_why(empty_ws: Path, run) -> None:
    for build, message in (
        (hostile.html_no_table, "page web (HTML) sans tableau de réponses"),
        (hostile.html_cut, "s'arrête avant la fin de son tableau"),
    ):
        name, data = build()
        (empty_ws / name).write_bytes(data)
        result = run("import", empty_ws / name, "-w", empty_ws)
        assert result.exit_code == 1, result.output
        assert message in result.output
        assert not (empty_ws / "applications.toml").exists()


def test_a_sparse_old_excel_file_is_refused_before_it_is_built(empty_ws: Path, run) -> None:
    name, data = hostile.xls_sparse()
    (empty_ws / name).write_bytes(data)
    result = run("import", empty_ws / name, "-w", empty_ws)
    assert result.exit_code == 1, result.output
    assert "nombre de cellules 16777216 (limite : 3000000)" in result.output
