"""``cotrain survey``: printable templates, imports (good and bad files), reports."""

from __future__ import annotations

import csv
import io
import json
import tomllib
from html.parser import HTMLParser
from pathlib import Path

from openpyxl import Workbook

FIN = "fin-de-formation"
Q_SATISFACTION = "Dans l'ensemble, êtes-vous satisfait·e de la co-formation ?"


def _write_cp1252(path: Path, rows: list[list[str]]) -> Path:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode("cp1252"))
    return path


def _answers(ws: Path) -> dict:
    return tomllib.loads((ws / "surveys.toml").read_text(encoding="utf-8"))


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        self.tags.append(tag)

    def handle_data(self, data) -> None:
        self.text.append(data)


def test_template_writes_printable_html_pdf_and_a_csv_with_the_question_headers(
    run, example_ws
) -> None:
    result = run("survey", "template", FIN, "--output", "formulaires", "-w", example_ws)

    assert result.exit_code == 0, result.output
    folder = example_ws / "formulaires"
    page = _Collector()
    page.feed((folder / f"{FIN}.html").read_text(encoding="utf-8"))
    assert page.tags.count("section") == 7
    assert page.tags.count("svg") == 3 * 5  # a drawn face per box of each scale question
    assert Q_SATISFACTION in "".join(page.text)
    assert (folder / f"{FIN}.pdf").read_bytes().startswith(b"%PDF")
    raw = (folder / f"{FIN}.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    header = next(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert header[:2] == ["Rôle", "Binôme"]
    assert header[2] == Q_SATISFACTION
    assert len(header) == 2 + 7


def test_filled_template_imports_back(run, example_ws) -> None:
    run("survey", "template", FIN, "--output", "formulaires", "-w", example_ws)
    header = next(
        csv.reader(
            io.StringIO(
                (example_ws / "formulaires" / f"{FIN}.csv").read_bytes().decode("utf-8-sig")
            ),
            delimiter=";",
        )
    )
    rows = [header, ["Élue", "duo-1", "5", "4", "5", "oui", "Le théâtre-forum", "Écouter", ""]]
    path = _write_cp1252(example_ws / "saisie.csv", rows)

    result = run("survey", "import", FIN, path, "-w", example_ws)

    assert result.exit_code == 0, result.output
    stored = _answers(example_ws)["surveys"][0]["responses"]
    assert stored == [
        {
            "id": "saisie-0002",
            "respondent": "",
            "role": "elected",
            "city_id": "",
            "session": "",
            "group": "",
            "duo": "duo-1",
            "source": "saisie.csv",
            "answers": {
                "satisfaction": 5,
                "ecoute": 4,
                "comprendre": 5,
                "recommander": True,
                "moment": "Le théâtre-forum",
                "retenu": "Écouter",
            },
        }
    ]


def test_limesurvey_export_imports_and_a_second_import_changes_nothing(run, example_ws) -> None:
    first = run("survey", "import", FIN, "questionnaires/fin-de-formation.csv", "-w", example_ws)
    before = (example_ws / "surveys.toml").read_bytes()
    second = run(
        "survey", "import", FIN, "questionnaires/fin-de-formation.csv", "-w", example_ws, "--json"
    )

    assert first.exit_code == 0, first.output
    assert "31 nouvelle(s)" in first.output
    assert json.loads(second.output)["changed"] is False
    assert (example_ws / "surveys.toml").read_bytes() == before
    responses = _answers(example_ws)["surveys"][0]["responses"]
    assert len(responses) == 31
    assert {r["role"] for r in responses} == {
        "elected",
        "professional",
        "prefect_delegate",
        "activist",
    }


def test_named_respondents_are_matched_by_name(run, example_ws) -> None:
    result = run("survey", "import", "binomes", "questionnaires/binomes.csv", "-w", example_ws)

    assert result.exit_code == 0, result.output
    responses = _answers(example_ws)["surveys"][0]["responses"]
    assert responses[0]["respondent"] == "claire-lefevre"
    assert {r["trainer_kind"] for r in responses} == {"professional_trainer", "co_trainer"}


def test_out_of_range_and_unknown_values_are_reported_with_row_and_column(run, example_ws) -> None:
    rows = [
        ["Rôle", "satisfaction", "recommander", "moment"],
        ["Élu", "4", "oui", "Les groupes de pairs"],
        ["Professionnel", "7", "oui", "Les groupes de pairs"],
        ["Militante", "5", "bof", "La cantine"],
    ]
    path = _write_cp1252(example_ws / "reponses-papier.csv", rows)

    result = run("survey", "import", FIN, path, "-w", example_ws)

    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0] == (
        "reponses-papier.csv, ligne 3, colonne « satisfaction » : "
        "« 7 » est hors de l'échelle de 1 à 5"
    )
    assert lines[1] == "  - ligne 4, colonne « recommander » : « bof » n'est ni oui ni non"
    assert lines[2].startswith(
        "  - ligne 4, colonne « moment » : « La cantine » ne fait pas partie des choix"
    )
    assert not (example_ws / "surveys.toml").exists()


def test_unknown_respondent_is_refused(run, example_ws) -> None:
    rows = [["Répondant", "satisfaction"], ["Claire Lefèvre", "5"], ["Jean Inconnu", "4"]]
    path = _write_cp1252(example_ws / "b.csv", rows)

    result = run("survey", "import", "binomes", path, "-w", example_ws)

    assert result.exit_code == 1
    assert (
        "b.csv, ligne 3, colonne « Répondant » : répondant inconnu : « Jean Inconnu »"
        in result.output
    )


def test_a_file_without_any_question_column_is_refused(run, example_ws) -> None:
    path = _write_cp1252(example_ws / "vide.csv", [["Nom", "Date"], ["x", "y"]])

    result = run("survey", "import", FIN, path, "-w", example_ws)

    assert result.exit_code == 1
    assert "aucune colonne ne correspond" in result.output


def test_xlsx_answers_import(run, example_ws) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(
        [
            "Vous êtes",
            Q_SATISFACTION,
            "Conseilleriez-vous cette co-formation à un·e collègue ou à un·e proche ?",
        ]
    )
    sheet.append(["Délégué du préfet", 4, "Oui"])
    sheet.append(["Élu", 5, "Non"])
    sheet.append([None, None, None])
    book.save(example_ws / "reponses.xlsx")

    result = run("survey", "import", FIN, "reponses.xlsx", "-w", example_ws, "--json")

    assert result.exit_code == 0, result.output
    responses = _answers(example_ws)["surveys"][0]["responses"]
    assert [(r["role"], r["answers"]) for r in responses] == [
        ("prefect_delegate", {"satisfaction": 4, "recommander": True}),
        ("elected", {"satisfaction": 5, "recommander": False}),
    ]


def test_unknown_survey_is_a_usage_error(run, example_ws) -> None:
    result = run("survey", "report", "nope", "-w", example_ws)

    assert result.exit_code == 2
    assert "aucun questionnaire « nope »" in result.output


def test_report_json_gives_rate_distribution_mean_and_comparison(run, pipeline_ws) -> None:
    result = run("survey", "report", FIN, "--json", "-w", pipeline_ws)

    data = json.loads(result.output)
    assert (data["respondents"], data["audience_size"]) == (31, 34)
    assert round(data["response_rate"], 4) == round(31 / 34, 4)
    satisfaction = data["questions"][0]
    assert sum(satisfaction["counts"].values()) == 31
    hand_mean = sum(int(k) * v for k, v in satisfaction["counts"].items()) / 31
    assert satisfaction["mean"] == round(hand_mean + 1e-9, 2)
    assert data["compare_with"] == "suivi-6-mois"
    assert [row["question_id"] for row in data["comparison"]] == ["satisfaction", "comprendre"]


def test_report_hides_small_groups(run, pipeline_ws) -> None:
    result = run("survey", "report", "suivi-6-mois", "--format", "md", "-w", pipeline_ws)

    assert result.exit_code == 0, result.output
    assert "| délégué·es du préfet | < 3 | < 3 | < 3 |" in result.output


def test_report_in_english_with_comparison_option(run, pipeline_ws) -> None:
    result = run(
        "survey",
        "report",
        "villes",
        "--compare",
        FIN,
        "--format",
        "md",
        "--lang",
        "en",
        "-w",
        pipeline_ws,
    )

    assert result.exit_code == 0, result.output
    assert result.output.startswith('# Questionnaire "Questionnaire aux villes participantes"')
    assert "Answers: 6 of 7 (86%)" in result.output
    assert 'Compared with "fin-de-formation"' in result.output


def test_free_text_is_never_attributed(run, pipeline_ws) -> None:
    result = run("survey", "report", "binomes", "-w", pipeline_ws)

    assert result.exit_code == 0, result.output
    assert "Garder le débriefing de fin de journée, indispensable." in result.output
    assert "Claire" not in result.output
    assert "Lefèvre" not in result.output


def test_dry_run_saves_nothing(run, example_ws) -> None:
    result = run(
        "survey",
        "import",
        FIN,
        "questionnaires/fin-de-formation.csv",
        "--dry-run",
        "-w",
        example_ws,
    )

    assert result.exit_code == 0, result.output
    assert "Simulation : rien n'a été enregistré." in result.output
    assert not (example_ws / "surveys.toml").exists()


def test_list_shows_declared_surveys_with_answer_counts(run, pipeline_ws) -> None:
    result = run("survey", "list", "--json", "-w", pipeline_ws)

    counts = {row["id"]: row["responses"] for row in json.loads(result.output)}
    assert counts == {
        "fin-de-formation": 31,
        "fin-de-journee-4": 27,
        "villes": 6,
        "binomes": 9,
        "suivi-6-mois": 18,
        "financeurs": 0,
    }


def test_installed_command_imports_and_reports(example_ws) -> None:
    import subprocess

    env_run = {"cwd": example_ws, "capture_output": True, "text": True, "check": False}
    imported = subprocess.run(
        ["cotrain", "survey", "import", "villes", "questionnaires/villes.csv"], **env_run
    )
    report = subprocess.run(["cotrain", "survey", "report", FIN, "--lang", "en"], **env_run)

    # Without a selection the cities are unknown: the import names the first one and fails.
    assert imported.returncode == 1
    assert "villes.csv, ligne 2, colonne « Ville »" in imported.stderr
    assert report.returncode == 0
    assert "Answers: 0 of 6" in report.stdout


def test_template_never_replaces_a_file_of_answers(run, example_ws) -> None:
    answers = example_ws / "questionnaires" / f"{FIN}.csv"
    before = answers.read_bytes()

    result = run("survey", "template", FIN, "--output", "questionnaires", "-w", example_ws)

    assert result.exit_code == 2
    assert "contient déjà des réponses" in result.output
    assert answers.read_bytes() == before
