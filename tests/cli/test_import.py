"""``cotrain import`` and ``cotrain applications`` through the real command line."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest

from cotrain.domain.models import ApplicationsFile
from fixtures_intake import EXAMPLE_ELIGIBLE, applications

DATA = Path(__file__).resolve().parents[1] / "data" / "intake"
VARIANTS = [
    "reponses-utf8-virgules.csv",
    "reponses.xlsx",
    "reponses-par-personne.csv",
    "reponses.json",
    "reponses.toml",
]


def read_rows(path: Path) -> list[list[str]]:
    """The example's rows as French Excel wrote them (header first)."""
    return list(
        csv.reader(io.StringIO(path.read_bytes().decode("cp1252"), newline=""), delimiter=";")
    )


def write_rows(path: Path, rows: list[list[str]]) -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode("cp1252"))
    return path


def edited(ws: Path, name: str, changes: dict[tuple[int, str], str]) -> Path:
    """A copy of the example responses with cells changed: {(spreadsheet row, header): value}."""
    rows = read_rows(ws / "reponses.csv")
    header = rows[0]
    for (row, column), value in changes.items():
        rows[row - 1][header.index(column)] = value
    return write_rows(ws / name, rows)


def without_source(model: ApplicationsFile) -> ApplicationsFile:
    apps = [a.model_copy(update={"source": ""}) for a in model.applications]
    return model.model_copy(update={"applications": apps})


@pytest.fixture
def imported_ws(example_ws: Path, run) -> Path:
    result = run("import", example_ws / "reponses.csv", "-w", example_ws)
    assert result.exit_code == 0, result.output
    return example_ws


# --- the shipped example -----------------------------------------------------------------


def test_import_of_the_example_reports_what_was_detected_and_imported(
    example_ws: Path, run
) -> None:
    result = run("import", example_ws / "reponses.csv", "-w", example_ws)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert (
        lines[0]
        == "reponses.csv : CSV, Windows-1252, séparateur « ; », une ligne par ville, 12 ligne(s)"
    )
    assert lines[1] == (
        "Importé : 12 ville(s), 48 personne(s) ; 12 nouvelle(s), 0 remplacée(s), 0 inchangée(s) ; 0 conflit(s)."
    )
    loaded = applications(example_ws)
    assert [a.city_id for a in loaded.applications] == sorted(
        a.city_id for a in loaded.applications
    )
    saint_denis = loaded.get("saint-denis")
    assert saint_denis is not None
    assert saint_denis.source == "reponses.csv, ligne 2"
    assert str(saint_denis.submitted_at) == "2014-12-03 09:12:45"
    assert [p.id for p in saint_denis.people] == [
        "eloise-nguessan",
        "jean-francois-lefevre-duval",
        "samira-haddad",
        "thierry-vasseur",
    ]
    assert saint_denis.people[0].name == "Éloïse N'Guessan"
    assert saint_denis.contribution_proof == "Délibération n° 2014-187 du 11 décembre 2014"


def test_eligible_cities_contribute_four_thousand_euros(imported_ws: Path) -> None:
    from decimal import Decimal

    loaded = applications(imported_ws)
    assert sum((loaded.get(c).contribution for c in EXAMPLE_ELIGIBLE), Decimal(0)) == Decimal("4000")
    assert len({a.submitted_at for a in loaded.applications}) == 12


def test_same_name_in_two_cities_gets_the_city_slug(imported_ws: Path) -> None:
    loaded = applications(imported_ws)
    assert loaded.get("bobigny").people[0].id == "sophie-martin"
    assert [p.id for p in loaded.get("montreuil").people if p.name == "Sophie Martin"] == [
        "sophie-martin-montreuil"
    ]


def test_import_twice_changes_nothing(imported_ws: Path, run) -> None:
    before = (imported_ws / "applications.toml").read_bytes()
    result = run("import", imported_ws / "reponses.csv", "-w", imported_ws)
    assert result.exit_code == 0, result.output
    assert (imported_ws / "applications.toml").read_bytes() == before
    assert "12 inchangée(s)" in result.stdout
    assert result.stdout.splitlines()[-1] == "Rien de nouveau : applications.toml est inchangé."


@pytest.mark.parametrize("variant", VARIANTS)
def test_every_variant_imports_to_the_same_applications(
    example_ws: Path, run, tmp_path: Path, variant: str
) -> None:
    reference = run("import", example_ws / "reponses.csv", "-w", example_ws)
    assert reference.exit_code == 0
    other = tmp_path / "other"
    shutil.copytree(example_ws, other)
    (other / "applications.toml").unlink()
    result = run("import", DATA / variant, "-w", other)
    assert result.exit_code == 0, result.output
    assert without_source(applications(other)) == without_source(applications(example_ws))


def test_variants_after_the_example_are_unchanged_responses(imported_ws: Path, run) -> None:
    before = (imported_ws / "applications.toml").read_bytes()
    result = run("import", *(DATA / v for v in VARIANTS), "-w", imported_ws)
    assert result.exit_code == 0, result.output
    assert (imported_ws / "applications.toml").read_bytes() == before
    assert "0 conflit(s)" in result.stdout


def test_dry_run_writes_nothing(example_ws: Path, run) -> None:
    result = run("import", example_ws / "reponses.csv", "--dry-run", "-w", example_ws)
    assert result.exit_code == 0, result.output
    assert not (example_ws / "applications.toml").exists()
    assert result.stdout.splitlines()[-1] == "Essai (--dry-run) : rien n'a été écrit."


def test_import_json_output(example_ws: Path, run) -> None:
    result = run("import", example_ws / "reponses.csv", "--json", "-w", example_ws)
    data = json.loads(result.stdout)
    assert (data["cities"], data["people"], len(data["added"]), data["conflicts"]) == (
        12,
        48,
        12,
        [],
    )


# --- conflicts ---------------------------------------------------------------------------


def test_a_different_response_is_a_conflict_kept_out_without_replace(
    imported_ws: Path, run
) -> None:
    before = (imported_ws / "applications.toml").read_bytes()
    newer = edited(imported_ws, "nouvelles.csv", {(5, "Contribution financière (€)"): "700,00"})
    result = run("import", newer, "-w", imported_ws)
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[0] == (
        "Conflit : Bondy a déjà une réponse (reponses.csv, ligne 5) ; la nouvelle (nouvelles.csv, ligne 5)"
        " est différente et n'a pas été importée."
    )
    assert "--replace" in result.stderr
    assert (imported_ws / "applications.toml").read_bytes() == before


def test_replace_takes_the_new_response_and_keeps_people_ids(imported_ws: Path, run) -> None:
    newer = edited(imported_ws, "nouvelles.csv", {(5, "Contribution financière (€)"): "700,00"})
    result = run("import", newer, "--replace", "-w", imported_ws)
    assert result.exit_code == 0, result.output
    bondy = applications(imported_ws).get("bondy")
    assert (str(bondy.contribution), bondy.source) == ("700", "nouvelles.csv, ligne 5")
    assert [p.id for p in bondy.people][0] == "fatoumata-camara"
    assert "1 remplacée(s)" in result.stdout


def test_one_city_twice_in_one_file_is_a_conflict(example_ws: Path, run) -> None:
    rows = read_rows(example_ws / "reponses.csv")
    again = list(rows[4])
    again[rows[0].index("Contribution financière (€)")] = "650"
    path = write_rows(example_ws / "deux-fois.csv", [*rows, again])
    result = run("import", path, "-w", example_ws)
    assert result.exit_code == 0, result.output
    assert "Conflit : Bondy" in result.stderr
    assert str(applications(example_ws).get("bondy").contribution) == "600"


# --- bad input ---------------------------------------------------------------------------


def assert_refused(result, ws: Path, before: bytes | None) -> None:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    path = ws / "applications.toml"
    assert (path.read_bytes() if path.exists() else None) == before


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        (
            {(3, "Élu·e - Courriel"): "karim.bouzid@"},
            "nouvelles.csv, ligne 3, colonne « Élu·e - Courriel » : « karim.bouzid@ » n'est pas une adresse e-mail",
        ),
        (
            {(4, "Contribution financière (€)"): "-600"},
            "nouvelles.csv, ligne 4, colonne « Contribution financière (€) » : « -600 » : un montant ne peut pas"
            " être négatif",
        ),
        (
            {(4, "Contribution financière (€)"): "six cents"},
            "nouvelles.csv, ligne 4, colonne « Contribution financière (€) » : « six cents » n'est pas un montant"
            " (exemples : 600 ; 1 234,50 ; 500,00 €)",
        ),
        (
            {(6, "Horodatage"): "31/13/2014 10:00"},
            "nouvelles.csv, ligne 6, colonne « Horodatage » : « 31/13/2014 10:00 » n'est pas une date"
            " (JJ/MM/AAAA, avec éventuellement HH:MM, ou AAAA-MM-JJ)",
        ),
        (
            {(2, "Élu·e - Engagement nominatif"): "peut-être"},
            "nouvelles.csv, ligne 2, colonne « Élu·e - Engagement nominatif » : « peut-être » n'est pas une"
            " réponse oui/non (oui, non, x, vrai, faux, 1, 0 ; vide = non)",
        ),
        (
            {(2, "Professionnel·le 2 - Nom"): "Jean-François Lefèvre-Duval"},
            "nouvelles.csv, ligne 2, colonne « Professionnel·le 2 - Nom » : Jean-François Lefèvre-Duval figure"
            " deux fois dans la même candidature",
        ),
        (
            {(2, "Commune"): ""},
            "nouvelles.csv, ligne 2, colonne « Commune » : la commune n'est pas renseignée",
        ),
        (
            {(2, "Professionnel·le 3 - Courriel"): "x.y@ville-saint-denis.fr"},
            "nouvelles.csv, ligne 2, colonne « Professionnel·le 3 - Nom » : le nom de la personne n'est pas"
            " renseigné",
        ),
    ],
)
def test_bad_cell_is_reported_with_file_row_and_column(
    imported_ws: Path, run, changes: dict, expected: str
) -> None:
    before = (imported_ws / "applications.toml").read_bytes()
    result = run("import", edited(imported_ws, "nouvelles.csv", changes), "-w", imported_ws)
    assert_refused(result, imported_ws, before)
    assert result.stderr.splitlines()[0] == "nouvelles.csv : 1 erreur(s) : rien n'a été importé"
    assert result.stderr.splitlines()[1] == f"  - {expected}"


def test_all_row_errors_of_a_file_are_reported_at_once(example_ws: Path, run) -> None:
    changes = {
        (2, "Élu·e - Courriel"): "eloise@",
        (5, "Contribution financière (€)"): "-1",
        (9, "Horodatage"): "hier",
    }
    result = run("import", edited(example_ws, "nouvelles.csv", changes), "-w", example_ws)
    assert_refused(result, example_ws, None)
    lines = result.stderr.splitlines()
    assert lines[0] == "nouvelles.csv : 3 erreur(s) : rien n'a été importé"
    assert [line.split(" : ")[0] for line in lines[1:4]] == [
        "  - nouvelles.csv, ligne 2, colonne « Élu·e - Courriel »",
        "  - nouvelles.csv, ligne 5, colonne « Contribution financière (€) »",
        "  - nouvelles.csv, ligne 9, colonne « Horodatage »",
    ]
    assert lines[-1].startswith("Pour corriger : ")


def test_unknown_role_label_is_refused(example_ws: Path, run) -> None:
    source = (DATA / "reponses-par-personne.csv").read_text(encoding="utf-8-sig")
    path = example_ws / "personnes.csv"
    path.write_text(source.replace("Délégué du préfet", "Sous-préfet", 1), encoding="utf-8")
    result = run("import", path, "-w", example_ws)
    assert_refused(result, example_ws, None)
    assert result.stderr.splitlines()[1] == (
        "  - personnes.csv, ligne 5, colonne « Rôle » : rôle inconnu « Sous-préfet » (valeurs acceptées :"
        " « élu·e », « professionnel·le », « délégué·e du préfet »)"
    )


def test_city_rows_that_disagree_on_the_contribution_are_refused(example_ws: Path, run) -> None:
    rows = list(
        csv.reader(
            io.StringIO((DATA / "reponses-par-personne.csv").read_text(encoding="utf-8-sig")),
            delimiter=";",
        )
    )
    rows[3][rows[0].index("Contribution financière (€)")] = "500"
    path = example_ws / "personnes.csv"
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";").writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    result = run("import", path, "-w", example_ws)
    assert_refused(result, example_ws, None)
    assert result.stderr.splitlines()[1] == (
        "  - personnes.csv, ligne 4, colonne « Contribution financière (€) » : les lignes de Saint-Denis ne"
        " donnent pas la même valeur : « 500,00\u00a0€ » ici, « 600,00\u00a0€ » ligne 2"
    )


def test_missing_columns_are_named_and_the_headers_found_listed(example_ws: Path, run) -> None:
    path = example_ws / "r.csv"
    path.write_text("Ville;Rôle;Nom\nBondy;élu;Karim Bouzid\n", encoding="utf-8")
    result = run("import", path, "-w", example_ws)
    assert_refused(result, example_ws, None)
    assert result.stderr.splitlines()[:2] == [
        "r.csv : 2 colonne(s) obligatoire(s) introuvable(s) : « Engagement nominatif », « Contribution financière (€) »",
        "  - colonnes trouvées : « Ville », « Rôle », « Nom »",
    ]


def test_missing_column_lists_only_the_columns_read_as_nothing(example_ws: Path, run) -> None:
    # a one-row-per-city export without its city column: the many person columns are read,
    # so the message names only the column that could hold the city, not all six
    path = example_ws / "r.csv"
    path.write_text(
        "Horodateur;Élu·e - Nom;Élu·e - Engagement;Montant;Question 5;Remarques\n"
        "02/12/2024 10:14:03;Karim Bouzid;oui;500;Bondy;rien\n",
        encoding="utf-8",
    )
    result = run("import", path, "-w", example_ws)
    assert_refused(result, example_ws, None)
    lines = result.stderr.splitlines()
    assert lines[0].startswith("r.csv : 1 colonne(s) obligatoire(s) introuvable(s)"), lines
    assert lines[1] == (
        "  - colonne non reconnue (la colonne manquante y est peut-être) : « Question 5 »"
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "r.csv : le fichier est vide"),
        (
            b"\x00\x01\x02\x03binary\x00",
            "r.csv : le fichier n'est pas un tableau lisible (contenu binaire)",
        ),
        (
            b"Commune\r\nSaint-Denis \x81\r\n",
            "r.csv : encodage des caractères inconnu (ni UTF-8, ni Windows-1252, ni Mac Roman)",
        ),
        (
            b"Commune;Contribution\r\n",
            "r.csv : le fichier n'a que la ligne des en-têtes : aucune réponse à importer",
        ),
    ],
)
def test_unreadable_files_are_refused_without_traceback(
    imported_ws: Path, run, content: bytes, message: str
) -> None:
    before = (imported_ws / "applications.toml").read_bytes()
    (imported_ws / "r.csv").write_bytes(content)
    result = run("import", imported_ws / "r.csv", "-w", imported_ws)
    assert_refused(result, imported_ws, before)
    assert result.stderr.splitlines()[0] == message


def test_errors_of_several_files_are_reported_together(example_ws: Path, run) -> None:
    (example_ws / "vide.csv").write_bytes(b"")
    bad = edited(example_ws, "nouvelles.csv", {(3, "Élu·e - Courriel"): "karim@"})
    result = run(
        "import", example_ws / "vide.csv", bad, example_ws / "reponses.csv", "-w", example_ws
    )
    assert_refused(result, example_ws, None)
    assert (
        result.stderr.splitlines()[0] == "2 fichiers comportent des erreurs : rien n'a été importé"
    )


def test_errors_are_translated_with_lang_en(example_ws: Path, run) -> None:
    bad = edited(example_ws, "new.csv", {(3, "Élu·e - Courriel"): "karim@"})
    result = run("import", bad, "-w", example_ws, "--lang", "en")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[:2] == [
        "new.csv: 1 error(s): nothing was imported",
        '  - new.csv, row 3, column "Élu·e - Courriel": "karim@" is not an email address',
    ]


def test_custom_columns_from_cotrain_toml_are_used(example_ws: Path, run) -> None:
    config = example_ws / "cotrain.toml"
    config.write_text(
        config.read_text(encoding="utf-8")
        + '\n[import.columns]\n"Nom de la collectivité" = "city"\n',
        encoding="utf-8",
    )
    rows = read_rows(example_ws / "reponses.csv")
    rows[0][rows[0].index("Commune")] = "Nom de la collectivité"
    result = run("import", write_rows(example_ws / "r.csv", rows), "-w", example_ws)
    assert result.exit_code == 0, result.output
    assert len(applications(example_ws).applications) == 12


# --- cotrain applications ----------------------------------------------------------------


def test_applications_lists_cities_people_money_and_time(imported_ws: Path, run) -> None:
    result = run("applications", "-w", imported_ws)
    assert result.exit_code == 0, result.output
    assert "Candidatures (12)" in result.stdout
    assert "600,00\u00a0€" in result.stdout
    assert "03/12/2014 9\u00a0h\u00a012" in result.stdout
    assert "Éloïse N'Guessan" in result.stdout


def test_applications_shows_one_city_by_name_ignoring_accents_and_case(
    imported_ws: Path, run
) -> None:
    result = run("applications", "l'ile-saint-denis", "-w", imported_ws)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == "L'Île-Saint-Denis (lile-saint-denis)"
    assert "Zoé Lambert" in result.stdout


def test_applications_json_and_unknown_city(imported_ws: Path, run) -> None:
    data = json.loads(run("applications", "EPINAY SUR SEINE", "--json", "-w", imported_ws).stdout)
    assert (data["city_id"], data["contribution"], len(data["people"])) == (
        "epinay-sur-seine",
        "300.00",
        4,
    )
    listed = json.loads(run("applications", "--json", "-w", imported_ws).stdout)
    assert len(listed["applications"]) == 12
    unknown = run("applications", "Paris", "-w", imported_ws)
    assert unknown.exit_code == 2
    assert unknown.stderr.splitlines()[0] == "aucune candidature pour « Paris »"


def test_applications_before_any_import_says_what_to_do(example_ws: Path, run) -> None:
    result = run("applications", "-w", example_ws)
    assert result.exit_code == 1
    assert "cotrain import reponses.csv" in result.stderr


# --- installed command -------------------------------------------------------------------


def test_installed_cotrain_imports_then_checks(example_ws: Path) -> None:
    imported = subprocess.run(
        ["cotrain", "import", "reponses.csv"],
        cwd=example_ws,
        capture_output=True,
        text=True,
        check=False,
    )
    checked = subprocess.run(
        ["cotrain", "check", "--lang", "en"],
        cwd=example_ws,
        capture_output=True,
        text=True,
        check=False,
        env={"COLUMNS": "160", "PATH": __import__("os").environ["PATH"], "NO_COLOR": "1"},
    )
    assert imported.returncode == 0, imported.stderr
    assert checked.returncode == 0, checked.stderr
    assert checked.stdout.splitlines()[-1] == "7 eligible cities out of 12"


def test_summary_counts_the_people_stored_not_those_of_a_refused_answer(run, example_ws) -> None:
    """Finding F19.13: a city answering twice in one file with a different team keeps its first
    answer (a conflict); the summary counts the people stored, not the refused answer's too."""
    import csv
    import io

    source = (example_ws / "reponses.csv").read_bytes().decode("cp1252")
    rows = list(csv.reader(io.StringIO(source, newline=""), delimiter=";"))
    again = list(rows[1])
    again[rows[0].index("Élu·e - Nom")] = "Nouvelle Personne"  # the same city, another team
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerows([*rows, again])
    (example_ws / "deux-envois.csv").write_bytes(buffer.getvalue().encode("cp1252"))

    result = run("import", example_ws / "deux-envois.csv", "-w", example_ws)

    assert result.exit_code == 0, result.output
    assert "1 conflit(s)" in result.output
    stored = tomllib.loads((example_ws / "applications.toml").read_text(encoding="utf-8"))
    people = sum(len(a.get("people", [])) for a in stored["applications"])
    assert f"{len(stored['applications'])} ville(s), {people} personne(s)" in result.output
