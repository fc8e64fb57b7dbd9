"""What a sign-in sheet says of each trainee (AUDIT.md §1.1 and issue 11): the name, the status
in the programme's own words (``[roles.<id>]`` labels) and the employer as the certificate
states it; never an organisation that would tell a funder a person lives in poverty."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

ROLES = """
[roles.elected]
kind = "city"
label = "élue ou élu"
plural = "élues et élus"

[roles.professional]
kind = "city"
label = "agente ou agent"
plural = "agentes et agents"
label_en = "council officer"

[roles.prefect_delegate]
kind = "city"
label = "déléguée ou délégué du préfet"
plural = "délégués du préfet"

[roles.activist]
kind = "lived_experience"
label = "co-formatrice ou co-formateur"
plural = "co-formatrices et co-formateurs"
label_en = "co-trainer"
"""


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from typer.testing import CliRunner

    from cotrain.cli.app import build_app

    root = tmp_path_factory.mktemp("status") / "demo"
    app, runner = build_app(), CliRunner()
    for args in (["init", str(root), "--example"], ["import", str(root / "reponses.csv")],
                 ["select"], ["schedule", "--iterations", "60"]):
        where = [] if args[0] == "init" else ["-w", str(root)]
        result = runner.invoke(app, [*where, *args])
        assert result.exit_code == 0, result.output
    return root


def _rows(path: Path) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(path).pages)


def test_sheet_names_status_and_employer_and_no_organisation_for_lived_experience(
    run, example, tmp_path
) -> None:
    config = (example / "cotrain.toml").read_text(encoding="utf-8")
    assert 'organisation = "ATD Quart Monde"' in config  # the example names it for its activists

    result = run("sheets", "-w", example, "--session", "j1-matin", "--format", "pdf",
                 "--output", tmp_path)

    assert result.exit_code == 0, result.output
    activists = _rows(tmp_path / "j1-matin_peer-activist.pdf")
    assert "Statut" in activists and "Employeur ou structure" in activists
    assert "Awa Diallo militant·e à titre individuel" in activists
    assert "militant·e ATD Quart Monde" not in activists
    professionals = _rows(tmp_path / "j1-matin_peer-professional-prefect-delegate-1.pdf")
    assert "délégué·e du préfet État – Préfecture" in professionals  # the State, not the city


def test_sheet_status_comes_from_the_programme_roles(run, example, tmp_path) -> None:
    workspace = tmp_path / "ws"
    import shutil

    shutil.copytree(example, workspace)
    config = workspace / "cotrain.toml"
    config.write_text(config.read_text(encoding="utf-8") + ROLES, encoding="utf-8")

    french = run("sheets", "-w", workspace, "--session", "j1-matin", "--format", "pdf",
                 "--output", tmp_path / "fr")
    english = run("sheets", "-w", workspace, "--session", "j1-matin", "--format", "pdf",
                  "--output", tmp_path / "en", "--lang", "en")

    assert french.exit_code == 0, french.output
    assert english.exit_code == 0, english.output
    activists = _rows(tmp_path / "fr" / "j1-matin_peer-activist.pdf")
    assert "Awa Diallo co-formatrice ou co-formateur à titre individuel" in activists
    assert "Awa Diallo militant" not in activists
    officers = _rows(tmp_path / "en" / "j1-matin_peer-professional-prefect-delegate-1.pdf")
    assert "council officer" in officers and "Status" in officers
    assert "Employer or body" in officers


def test_without_provider_the_first_organiser_is_never_its_own_partner(run, example, tmp_path):
    """Tester's F19.8: a programme from `init` has no [provider]; its sheets named the
    organisers, then « En partenariat avec » the same organisers."""
    import re
    import shutil

    workspace = tmp_path / "ws"
    shutil.copytree(example, workspace)
    config = workspace / "cotrain.toml"
    text = config.read_text(encoding="utf-8")
    text = re.sub(r"\n\[provider\]\n(?:[^\[].*\n|\n)*", "\n", text)
    assert "[provider]" not in text
    config.write_text(text, encoding="utf-8")

    result = run("sheets", "-w", workspace, "--session", "j1-matin", "--format", "pdf",
                 "--output", tmp_path / "out")

    assert result.exit_code == 0, result.output
    sheet = _rows(tmp_path / "out" / "j1-matin_peer-activist.pdf")
    assert sheet.startswith("Profession Banlieue ")
    assert "En partenariat avec ATD Quart Monde" in sheet
    assert "Profession Banlieue, ATD Quart Monde" not in sheet
    assert "partenariat avec Profession Banlieue" not in sheet
