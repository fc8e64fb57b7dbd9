"""``cotrain import`` of a fourth round of real-tool exports (issue 16).

Each file of ``tests/data/intake/variantes4/`` (``make_tool_variants4.py``) holds the shipped
example's twelve cities in a shape the earlier rounds did not try: Google Forms answers
downloaded from Google Sheets (typed « Horodatage », a quiz « Score », columns the manager
added), Google and Microsoft Forms in English, Framaforms as real XLS and with component keys,
Démarches simplifiées blocks named « Personnes », « Bloc 1 », « Triade », LimeSurvey question
texts in HTML or « code. texte », cities with postcodes and CEDEX, Excel tables (autofilter,
hidden columns, totals row), Excel's « Texte Unicode », Apple Numbers' export. Each must
import as exported, and ``check`` must give the example's 7 of 12 for the same reasons (tested
with the third round's in ``test_import_variants.py``); the tests here name the mechanism each
file needed.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from fixtures_intake import applications
from fixtures_intake import imported as _import

VARIANTS = Path(__file__).resolve().parents[1] / "data" / "intake" / "variantes4"


def test_limesurvey_question_texts_in_html_are_read_as_their_text(empty_ws: Path, run) -> None:
    # « <p>Professionnel(le)&nbsp;n°2</p> [Nom] »: the tags and entities are not the words
    result = _import(run, empty_ws, VARIANTS / "limesurvey-html.csv", "--suggest")
    assert '"Votre commune :" = "city"' in result.stdout
    assert "<p>" not in result.stdout and "&nbsp;" not in result.stdout
    _import(run, empty_ws, VARIANTS / "limesurvey-html.csv")
    people = applications(empty_ws).get("saint-denis").people
    assert sorted(p.name for p in people if p.role.value == "professional") == [
        "Jean-François Lefèvre-Duval", "Samira Haddad"
    ]  # fmt: skip


def test_a_header_of_markup_only_stays_as_written(empty_ws: Path, run, tmp_path: Path) -> None:
    text = (VARIANTS / "personnes-anglais.csv").read_text(encoding="utf-8")
    export = tmp_path / "balises.csv"
    export.write_text(text.replace("Contribution (EUR)", "Contribution (EUR),<b>R&D < 5</b>", 1)
                      .replace("\n", ",x\n").replace(",x\n", "\n", 1), encoding="utf-8")  # fmt: skip
    _import(run, empty_ws, export)
    extra = applications(empty_ws).get("montreuil").extra
    assert extra == {"R&D < 5": "x"}


def test_google_forms_quiz_score_is_form_metadata_not_the_committee_score(
    empty_ws: Path, run
) -> None:
    _import(run, empty_ws, VARIANTS / "google-sheets-horodatage.xlsx")
    assert applications(empty_ws).get("montreuil").score is None


def test_a_score_of_plain_numbers_is_still_the_committees(
    empty_ws: Path, run, tmp_path: Path
) -> None:
    text = (VARIANTS / "google-forms-anglais.csv").read_text(encoding="utf-8")
    lines = text.splitlines()
    rows = [lines[0]] + [
        line.replace(".fr,,", ".fr,14,", 1)
        for line in lines[1:]
    ]
    export = tmp_path / "notes.csv"
    export.write_text("\n".join(rows) + "\n", encoding="utf-8")
    _import(run, empty_ws, export)
    assert applications(empty_ws).get("montreuil").score == 14


@pytest.mark.parametrize(
    ("typed", "amount"),
    [("600,-", 600), ("600 € TTC", 600), ("1 000,00 € HT", 1000), ("500.-", 500)],
)
def test_amounts_with_a_tax_mention_or_a_dash_are_the_sum(
    typed: str, amount: int, empty_ws: Path, run, tmp_path: Path
) -> None:
    text = (VARIANTS / "personnes-codes-postaux.csv").read_text(encoding="utf-8-sig")
    export = tmp_path / "montants.csv"
    export.write_text(text.replace(";600,00\n", f";{typed}\n"), encoding="utf-8")
    _import(run, empty_ws, export)
    assert applications(empty_ws).get("saint-denis").contribution == amount


def test_an_amount_with_other_words_is_still_an_error(empty_ws: Path, run, tmp_path: Path) -> None:
    text = (VARIANTS / "personnes-codes-postaux.csv").read_text(encoding="utf-8-sig")
    export = tmp_path / "montants.csv"
    export.write_text(text.replace(";600,00\n", ";600 € TTC environ\n", 1), encoding="utf-8")
    result = run("import", export, "-w", empty_ws)
    assert result.exit_code == 1
    assert "« 600 € TTC environ » n'est pas un montant" in result.output
    assert not (empty_ws / "applications.toml").exists()


def test_postcodes_and_cedex_are_not_part_of_the_city(empty_ws: Path, run) -> None:
    _import(run, empty_ws, VARIANTS / "personnes-codes-postaux.csv")
    loaded = applications(empty_ws)
    assert loaded.get("saint-denis").city == "Saint-Denis"  # « 93200 Saint-Denis »
    assert loaded.get("bobigny").city == "BOBIGNY"  # « 93009 BOBIGNY CEDEX »
    assert loaded.get("montreuil").city == "Montreuil"  # « Montreuil (93100) »
    assert loaded.get("noisy-le-grand").city == "Noisy-le-Grand"  # « 93160 … Cedex »


def test_english_form_wording_needs_no_mapping(empty_ws: Path, run) -> None:
    result = _import(run, empty_ws, VARIANTS / "microsoft-forms-anglais.xlsx")
    assert "City's financial contribution (€)" in result.stderr  # read from its words, said
    aulnay = {p.name: p for p in applications(empty_ws).get("aulnay-sous-bois").people}
    assert aulnay["Émilie Saint-Arnaud"].committed is False  # « Attends all days »: No
    assert "Last modified time" not in applications(empty_ws).get("aulnay-sous-bois").extra


def test_a_month_first_timestamp_column_is_read_month_first_and_said(
    empty_ws: Path, run
) -> None:
    result = _import(run, empty_ws, VARIANTS / "google-forms-anglais.csv")
    assert "colonne « Timestamp » : dates lues au format mois/jour/année" in result.stderr
    submitted = applications(empty_ws).get("aubervilliers").submitted_at
    assert (submitted.year, submitted.month, submitted.day) == (2014, 12, 5)  # 12/5/2014


@pytest.mark.parametrize(
    ("dates", "day"),
    [(["05/12/2014", "03/12/2014"], 5), (["05/12/2014", "15/12/2014"], 5),
     (["12/5/2014", "12/15/2014"], 5)],
)  # fmt: skip
def test_a_day_first_column_stays_day_first(
    dates: list[str], day: int, empty_ws: Path, run, tmp_path: Path
) -> None:
    """Only evidence turns a column round: no date over 12 in second place, or one over 12 in
    first place, keeps the French order."""
    text = (VARIANTS / "google-forms-anglais.csv").read_text(encoding="utf-8")
    lines = text.splitlines()
    rows = [lines[0]]
    for number, line in enumerate(lines[1:]):
        stamp, rest = line.split(",", 1)
        rows.append(f"{dates[min(number, 1)]} 10:00:00,{rest}")
    export = tmp_path / "dates.csv"
    export.write_text("\n".join(rows) + "\n", encoding="utf-8")
    result = _import(run, empty_ws, export)
    submitted = applications(empty_ws).get("saint-denis").submitted_at  # the first row
    assert (submitted.month, submitted.day) == (12, day)
    assert ("mois/jour/année" in result.stderr) == dates[0].startswith("12/")


def test_a_civility_before_a_name_is_not_part_of_it(empty_ws: Path, run) -> None:
    _import(run, empty_ws, VARIANTS / "google-forms-civilite.csv")
    people = {p.id: p for p in applications(empty_ws).get("aubervilliers").people}
    # « Monsieur Lucas Ferreira »: the id the programme's keep_apart names
    assert people["lucas-ferreira"].name == "Lucas Ferreira"
    assert people["maelle-dargentre"].name == "Maëlle d'Argentré"  # « Madame Maëlle… »


def test_ids_stored_by_an_earlier_version_never_change(empty_ws: Path, run) -> None:
    # An earlier version stored « 93200 Saint-Denis » as 93200-saint-denis, and « Monsieur
    # Lucas Ferreira » as monsieur-lucas-ferreira; re-imported, both keep their ids
    _import(run, empty_ws, VARIANTS / "google-forms-civilite.csv")
    path = empty_ws / "applications.toml"
    text = path.read_text(encoding="utf-8")
    for before, after in (
        ('city_id = "saint-denis"', 'city_id = "93200-saint-denis"'),
        ('city = "Saint-Denis"', 'city = "93200 Saint-Denis"'),
        ('id = "lucas-ferreira"', 'id = "monsieur-lucas-ferreira"'),
        ('name = "Lucas Ferreira"', 'name = "Monsieur Lucas Ferreira"'),
    ):
        assert before in text
        text = text.replace(before, after)
    path.write_text(text, encoding="utf-8")
    again = run("import", VARIANTS / "google-forms-civilite.csv", "--replace", "-w", empty_ws)
    assert again.exit_code == 0, again.output
    assert "0 nouvelle(s), 2 remplacée(s), 10 inchangée(s)" in again.stdout
    stored = applications(empty_ws)
    assert sorted(a.city_id for a in stored.applications).count("saint-denis") == 0
    assert stored.get("93200-saint-denis").city == "Saint-Denis"
    people = {p.id: p.name for p in stored.get("aubervilliers").people}
    assert people["monsieur-lucas-ferreira"] == "Lucas Ferreira"


def test_ds_commune_field_with_postcode_and_insee_code(empty_ws: Path, run) -> None:
    _import(run, empty_ws, VARIANTS / "ds-commune-insee.xlsx")
    saint_denis = applications(empty_ws).get("saint-denis")
    assert saint_denis.city == "Saint-Denis"  # « Saint-Denis (93200) »
    assert saint_denis.extra["Commune (Code INSEE)"] == "93066"


def test_ds_proof_file_column_is_the_contribution_proof(empty_ws: Path, run) -> None:
    _import(run, empty_ws, VARIANTS / "ds-personnes.xlsx")
    assert applications(empty_ws).get("saint-denis").contribution_proof == "deliberation-0.pdf"
    assert applications(empty_ws).get("saint-denis").contribution == Decimal("600")


# --- odd inputs, fourth round (hostile4.py's are refused in test_import_variants.py) -------


def test_a_zip_holding_one_table_is_read_as_that_table(empty_ws: Path, run) -> None:
    # Google Forms' « Télécharger les réponses (.csv) » gives « Formulaire.csv.zip »
    result = _import(run, empty_ws, VARIANTS / "google-forms-telechargement.csv.zip")
    assert result.stdout.splitlines()[0].startswith(
        "google-forms-telechargement.csv.zip/Candidature co-formation 2015 (réponses).csv : CSV"
    )


def test_a_weekday_before_a_date_is_read(empty_ws: Path, run) -> None:
    # Drupal's medium date in Framaforms: « mer, 03/12/2014 - 09:12 »
    _import(run, empty_ws, VARIANTS / "framaforms-jour-semaine.csv")
    submitted = applications(empty_ws).get("saint-denis").submitted_at
    assert submitted is not None and submitted.isoformat() == "2014-12-03T09:12:00"


def test_a_department_in_brackets_and_a_presence_question(empty_ws: Path, run) -> None:
    # a drop-down « Saint-Denis (93) »; « Élu(e) référent(e) : présent(e) les 4,5 jours ? »
    _import(run, empty_ws, VARIANTS / "google-forms-liste-departement.csv")
    loaded = applications(empty_ws)
    assert loaded.get("saint-denis").city == "Saint-Denis"
    aulnay = {p.name: p for p in loaded.get("aulnay-sous-bois").people}
    assert aulnay["Émilie Saint-Arnaud"].committed is False  # « Non — absente le jeudi »
