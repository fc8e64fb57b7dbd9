"""The bilan as a compte rendu financier, with objectives against results, trainee-hours,
escaped Markdown and no French in the English edition (issue 11); PDFs read back as text."""

from __future__ import annotations

import json
import re
from pathlib import Path


def _json(run, ws: Path) -> dict:
    result = run("bilan", "--json", "-w", ws)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def _pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return " ".join(" ".join((page.extract_text() or "").split()) for page in PdfReader(path).pages)


def test_financial_report_sets_actual_against_planned_line_by_line(run, pipeline_ws) -> None:
    financial = _json(run, pipeline_ws)["financial"]

    assert financial["reported"] is True
    assert (financial["planned_charges"], financial["actual_charges"]) == ("36000.00", "35680.00")
    assert (financial["planned_products"], financial["actual_products"]) == ("36000.00", "35700.00")
    assert financial["actual_result"] == "20.00"
    transport = next(r for r in financial["charges"] if r["label"] == "Transports")
    assert (transport["gap"], transport["gap_percent"]) == ("-390.00", "-14.4")
    assert transport["note"].startswith("Covoiturage")
    clichy = next(r for r in financial["products"] if r["label"] == "Clichy-sous-Bois")
    assert (clichy["planned"], clichy["actual"], clichy["city"]) == ("600.00", "300.00", True)
    assert financial["unexplained"] == 0 and financial["missing"] == 0
    assert financial["in_kind_total"] == "5350.00"
    assert [k["provider"] for k in financial["in_kind"]][0] == "ATD Quart Monde"


def test_bilan_pdf_prints_the_compte_rendu_and_the_objectives(run, pipeline_ws) -> None:
    assert run("bilan", "--output", "bilan", "-w", pipeline_ws).exit_code == 0

    text = _pdf_text(pipeline_ws / "bilan" / "bilan.pdf")

    assert "Compte rendu financier" in text
    assert "Contributions volontaires en nature" in text
    assert "Animatrice mise à disposition" in text
    assert "Ville de Clichy-sous-Bois" in text and "Ville d'Aubervilliers" in text
    assert "17 400,00 €" in text and "35 680,00 €" in text  # no amount broken across lines
    assert "Objectifs et résultats" in text
    assert "taux de participation des bénéficiaires : 95 % (objectif 95 %), atteint" in text
    assert "Heures-stagiaires, ensemble" in text


def test_a_gap_without_a_note_is_flagged_to_explain(run, pipeline_ws) -> None:
    config = pipeline_ws / "cotrain.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(
        text.replace(
            'note = "Covoiturage organisé entre les villes de l\'est du département."\n', ""
        ),
        encoding="utf-8",
    )

    data = _json(run, pipeline_ws)
    assert run("bilan", "--output", "b", "-w", pipeline_ws).exit_code == 0

    assert data["financial"]["unexplained"] == 1
    markdown = (pipeline_ws / "b" / "bilan.md").read_text(encoding="utf-8")
    assert "| Transports | 2 700,00 € | 2 310,00 € | -390,00 € (−14,4 %) | écart à expliquer |" in (
        markdown.replace("\u00a0", " ").replace("\u202f", " ")
    )


def test_objectives_are_measured_by_the_figures_cotrain_computes(run, pipeline_ws) -> None:
    objectives = _json(run, pipeline_ws)["objectives"]

    measured = {o["indicator"]: o for o in objectives if o["indicator"]}
    assert measured["cities"]["value"] == "7" and measured["cities"]["reached"] is True
    assert measured["participation_rate"]["value"] == "95"
    assert float(measured["satisfaction"]["value"]) >= 4
    assert [o["result"] != "" for o in objectives if not o["indicator"]] == [True, True]


def test_bilan_counts_trainee_hours_and_drop_outs(run, pipeline_ws) -> None:
    attendance = _json(run, pipeline_ws)["attendance"]

    assert attendance["hours_planned"] == "918.00"
    assert float(attendance["hours_all"]) < 918 - 13 * 3  # absences and late arrivals
    assert (attendance["trained"], attendance["dropped_out"]) == (34, 1)


def test_markdown_bilan_escapes_html_from_names_and_answers(run, pipeline_ws) -> None:
    config = pipeline_ws / "cotrain.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(
        text.replace(
            "Prévoir dès l'appel à candidatures",
            "<script>alert('x')</script> Prévoir dès l'appel à candidatures",
        ),
        encoding="utf-8",
    )

    assert run("bilan", "--output", "b", "-w", pipeline_ws).exit_code == 0

    markdown = (pipeline_ws / "b" / "bilan.md").read_text(encoding="utf-8")
    assert "<script>" not in markdown
    assert "&lt;script>alert('x')&lt;/script> Prévoir" in markdown
    assert "< 3" not in markdown or "&lt; 3" not in markdown  # "< 3" stays readable


def test_english_bilan_has_no_french_labels(run, pipeline_ws) -> None:
    assert run("bilan", "--output", "en", "--lang", "en", "-w", pipeline_ws).exit_code == 0

    markdown = (pipeline_ws / "en" / "bilan.md").read_text(encoding="utf-8")
    # Only the programme's own data (titles, budget lines, answers) may be French: every
    # heading and every label cotrain writes is English.
    headings = [line for line in markdown.splitlines() if line.startswith("#")]
    assert "## Financial report" in headings and "## Objectives and results" in headings
    labels = re.findall(r"^- \*\*(.+?)\*\*", markdown, flags=re.M)
    french = [label for label in labels if re.search(r"[àâçéèêëîôûù]|\b(des|les|du)\b", label)]
    assert french == []
    assert "Tout le groupe" not in markdown
    assert "City of Clichy-sous-Bois" in markdown
