"""``cotrain bilan``: the end-of-programme report agrees with ``report`` and ``budget``."""

from __future__ import annotations

import json
import tomllib
from html.parser import HTMLParser
from pathlib import Path


def _json(run, *args: str | Path) -> dict:
    result = run(*args)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


class _Html(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.headings: list[str] = []
        self._in_h2 = False

    def handle_starttag(self, tag, attrs) -> None:
        self.tags.append(tag)
        self._in_h2 = tag == "h2"

    def handle_endtag(self, tag) -> None:
        self._in_h2 = False

    def handle_data(self, data) -> None:
        if self._in_h2:
            self.headings.append(data)


def test_bilan_figures_agree_with_report_and_budget(run, pipeline_ws) -> None:
    bilan = _json(run, "bilan", "--json", "-w", pipeline_ws)
    report = _json(run, "report", "--json", "-w", pipeline_ws)
    by_day = _json(run, "report", "--json", "--by", "day", "-w", pipeline_ws)
    by_city = _json(run, "report", "--json", "--by", "city", "-w", pipeline_ws)
    budget = _json(run, "budget", "--json", "-w", pipeline_ws)

    for group in ("recipients", "activists", "all"):
        mine, theirs = bilan["attendance"][group], report["overall"][group]
        assert (mine["people"], mine["expected"], int(mine["percent"])) == (
            theirs["people"],
            theirs["expected"],
            theirs["rate_percent"],
        )
        assert float(mine["attended"]) == theirs["attended"]
    assert bilan["attendance"]["target_met"] == report["target_met"]
    assert [(r["key"], int(r["percent"])) for r in bilan["attendance"]["by_day"]] == [
        (r["key"], r["rate_percent"]) for r in by_day["rows"]
    ]
    assert [(r["key"], int(r["percent"])) for r in bilan["attendance"]["by_city"]] == [
        (r["key"], r["rate_percent"]) for r in by_city["rows"]
    ]
    for key in (
        "costs_total",
        "funding_total",
        "contributions_total",
        "resources_total",
        "balance",
        "cost_per_participant",
        "participants",
        "recipients",
        "activists",
    ):
        assert bilan["budget"][key] == budget[key], key
    assert (bilan["cohort"]["participants"], bilan["cohort"]["recipients"]) == (
        budget["participants"],
        budget["recipients"],
    )


def test_bilan_call_and_plan_sections_count_the_example(run, pipeline_ws) -> None:
    bilan = _json(run, "bilan", "--json", "-w", pipeline_ws)
    selection = tomllib.loads((pipeline_ws / "selection.toml").read_text(encoding="utf-8"))

    selected = sum(1 for d in selection["decisions"] if d["decision"] == "selected")
    assert (bilan["call"]["candidates"], bilan["call"]["eligible"], bilan["call"]["selected"]) == (
        12,
        7,
        selected,
    )
    assert (bilan["plan"]["half_days"], bilan["plan"]["length_in_days"], bilan["plan"]["duos"]) == (
        9,
        "4.5",
        5,
    )
    assert bilan["evaluation"]["declared_without_answers"] == ["financeurs"]
    assert len(bilan["evaluation"]["surveys"]) == 5


def test_bilan_writes_markdown_html_pdf_and_json_in_french(run, pipeline_ws) -> None:
    result = run("bilan", "--output", "bilan", "-w", pipeline_ws)

    assert result.exit_code == 0, result.output
    folder = pipeline_ws / "bilan"
    assert sorted(p.name for p in folder.iterdir()) == [
        "bilan.html",
        "bilan.json",
        "bilan.md",
        "bilan.pdf",
    ]
    page = _Html()
    page.feed((folder / "bilan.html").read_text(encoding="utf-8"))
    assert page.headings == [
        "L'appel à candidatures",
        "La cohorte",
        "Le programme réalisé",
        "Assiduité et participation",
        "Objectifs et résultats",
        "Compte rendu financier",
        "L'évaluation",
        "Les binômes d'animation",
        "Les enseignements",
    ]
    assert page.tags.count("svg") == 3  # participation by day, by city; satisfaction by audience
    assert (folder / "bilan.pdf").read_bytes().startswith(b"%PDF")
    markdown = (folder / "bilan.md").read_text(encoding="utf-8")
    assert markdown.startswith("# Bilan de la co-formation\n")
    assert "- **Villes candidates** : 12" in markdown
    assert "Se répartir les consignes à l'avance, par écrit." in markdown


def test_bilan_in_english(run, pipeline_ws) -> None:
    result = run("bilan", "--output", "report-en", "--lang", "en", "-w", pipeline_ws)

    assert result.exit_code == 0, result.output
    page = _Html()
    page.feed((pipeline_ws / "report-en" / "bilan.html").read_text(encoding="utf-8"))
    assert page.headings[0] == "The call for applications"
    assert page.headings[-1] == "Lessons learnt"
    assert (pipeline_ws / "report-en" / "bilan.pdf").read_bytes().startswith(b"%PDF")
    assert "- **Candidate cities**: 12" in (pipeline_ws / "report-en" / "bilan.md").read_text(
        encoding="utf-8"
    )


def test_anonymised_bilan_names_nobody(run, pipeline_ws) -> None:
    result = run("bilan", "--output", "public", "--anonymise", "-w", pipeline_ws)

    assert result.exit_code == 0, result.output
    config = tomllib.loads((pipeline_ws / "cotrain.toml").read_text(encoding="utf-8"))
    applications = tomllib.loads((pipeline_ws / "applications.toml").read_text(encoding="utf-8"))
    names = [p["name"] for a in applications["applications"] for p in a["people"]]
    names += [a["name"] for a in config["activists"]] + [tr["name"] for tr in config["trainers"]]
    folder = pipeline_ws / "public"
    texts = {
        p.name: p.read_text(encoding="utf-8")
        for p in folder.glob("bilan-anonyme.*")
        if p.suffix != ".pdf"
    }
    assert sorted(texts) == ["bilan-anonyme.html", "bilan-anonyme.json", "bilan-anonyme.md"]
    names += [p["id"] for a in applications["applications"] for p in a["people"]]
    names += [a["id"] for a in config["activists"]] + [tr["id"] for tr in config["trainers"]]
    leaks = [(file, name) for file, text in texts.items() for name in names if name in text]
    assert leaks == []
    pdf = (folder / "bilan-anonyme.pdf").read_bytes()
    assert pdf.startswith(b"%PDF")
    markdown = texts["bilan-anonyme.md"]
    assert "| Montreuil | < 3 | < 3 | < 3 | 4 |" in markdown
    assert "Militant·es (toutes villes)" in markdown


def test_anonymised_bilan_blanks_names_written_in_free_text(run, pipeline_ws) -> None:
    path = pipeline_ws / "extra.csv"
    path.write_bytes("Rôle;ameliorer\r\nÉlu;Merci à Awa Diallo et à Hélène\r\n".encode("cp1252"))
    assert run("survey", "import", "fin-de-formation", path, "-w", pipeline_ws).exit_code == 0

    bilan = _json(run, "bilan", "--json", "--anonymise", "-w", pipeline_ws)

    texts = next(
        q["texts"] for q in bilan["evaluation"]["surveys"][0]["questions"] if q["id"] == "ameliorer"
    )
    assert "Merci à […] et à […]" in texts


def test_bilan_of_a_programme_not_yet_held_still_writes(run, example_ws) -> None:
    """Cities selected, nothing held yet: a bilan is written, saying what is not available."""
    assert run("import", example_ws / "reponses.csv", "-w", example_ws).exit_code == 0
    assert run("select", "-w", example_ws).exit_code == 0

    result = run("bilan", "--output", "bilan", "-w", example_ws)

    assert result.exit_code == 0, result.output
    markdown = (example_ws / "bilan" / "bilan.md").read_text(encoding="utf-8")
    assert "la participation n'est pas disponible" in markdown
    assert "Aucun questionnaire n'a encore de réponses." in markdown


def test_bilan_of_a_programme_with_nothing_selected_is_refused(run, tmp_path) -> None:
    """Finding F19.2: a programme just made by init has placeholder activists and no cities; a
    bilan stating « Personnes formées : 5 » would be false. Refused with the way forward."""
    assert run("init", tmp_path / "p", "--yes").exit_code == 0

    result = run("bilan", "--output", tmp_path / "b", "-w", tmp_path / "p")

    assert result.exit_code == 1
    assert "aucune sélection" in result.output and "cotrain select" in result.output
    assert not (tmp_path / "b").exists()
