"""``cotrain certificates``: one certificate per person, hours from session times, safe paths."""

from __future__ import annotations

import json
from pathlib import Path

from tests.fixtures_attendance import make_workspace


def _ws(tmp_path: Path, run) -> Path:
    ws = make_workspace(tmp_path / "ws")
    for session in ("j1-matin", "j1-apres-midi", "restitution"):
        assert run("attend", session, "--all-present", "-w", ws).exit_code == 0
    run("attend", "j1-apres-midi", "awa-diallo", "-s", "absent", "--reason", "malade", "-w", ws)
    return ws


def test_one_certificate_per_person_with_half_days_and_hours(run, tmp_path) -> None:
    ws = _ws(tmp_path, run)
    out = tmp_path / "attestations"

    result = run("certificates", "--output", out, "-w", ws)

    assert result.exit_code == 0, result.output
    assert len(list(out.glob("*.md"))) == 34 and len(list(out.glob("*.html"))) == 34
    text = (out / "joelle-kergoat.md").read_text()
    assert "# Certificat de réalisation" in text
    assert (
        "pour une durée de 9\u00a0h réalisées sur 27\u00a0h prévues "
        "(3 demi-journées suivies sur 9 ; heures de présence effective)." in text
    )
    assert (
        "représentant·e légal·e du dispensateur de l'action concernée, Profession Banlieue" in text
    )
    assert "Déclaration d'activité n°\u00a011 93 05479 93 · SIRET\u00a0398 241 713 00036" in text
    assert "Martine Lefort, Directrice" in text
    assert "jeudi 22 janvier 2015, après-midi, 13\u00a0h\u00a030\u00a0– 16\u00a0h\u00a030 : 3\u00a0h" in text
    awa = (out / "awa-diallo.md").read_text()
    assert "pour une durée de 6\u00a0h réalisées sur 27\u00a0h" in awa
    html = (out / "awa-diallo.html").read_text()
    assert html.startswith("<!DOCTYPE html>") and "Awa Diallo" in html
    assert (out / "awa-diallo.md").stat().st_mode & 0o077 == 0


def test_certificates_in_english_for_chosen_people(run, tmp_path) -> None:
    ws = _ws(tmp_path, run)
    out = tmp_path / "certs"

    result = run(
        "certificates",
        "-o",
        out,
        "--format",
        "md",
        "--person",
        "Awa Diallo",
        "--lang",
        "en",
        "--json",
        "-w",
        ws,
    )

    assert result.exit_code == 0, result.output
    assert [Path(p).name for p in json.loads(result.output)["files"]] == ["awa-diallo.md"]
    assert (
        "for 6\u00a0h attended of 27\u00a0h planned (2 half-days attended of 9; hours actually present)."
        in (out / "awa-diallo.md").read_text()
    )


def test_person_with_no_half_day_gets_no_certificate(run, tmp_path) -> None:
    ws = make_workspace(tmp_path / "ws")
    run("attend", "j1-matin", "awa-diallo", "-w", ws)

    result = run("certificates", "-o", tmp_path / "c", "--json", "-w", ws)

    data = json.loads(result.output)
    assert [Path(p).name for p in data["files"]] == ["awa-diallo.md", "awa-diallo.html"]
    assert len(data["skipped"]) == 33


def test_unknown_format_is_bad_usage(run, tmp_path) -> None:
    ws = make_workspace(tmp_path / "ws")
    assert run("certificates", "--format", "docx", "-w", ws).exit_code == 2


def test_pdf_certificates_are_written_on_request(run, tmp_path) -> None:
    ws = _ws(tmp_path, run)
    out = tmp_path / "pdf"

    result = run("certificates", "-o", out, "--format", "pdf", "--person", "awa-diallo", "-w", ws)

    assert result.exit_code == 0, result.output
    assert [p.name for p in out.iterdir()] == ["awa-diallo.pdf"]
    assert (out / "awa-diallo.pdf").read_bytes().startswith(b"%PDF-")


def test_an_id_that_would_leave_the_folder_is_refused(run, tmp_path) -> None:
    ws = make_workspace(tmp_path / "ws")
    apps = ws / "applications.toml"
    apps.write_text(apps.read_text().replace('"amelie-bondy"', '"../../evil"'))
    schedule = ws / "schedule.toml"
    schedule.write_text(schedule.read_text().replace('"amelie-bondy"', '"../../evil"'))
    run("attend", "j1-matin", "--all-present", "-w", ws)

    result = run("certificates", "-o", tmp_path / "out", "-w", ws)

    assert result.exit_code == 1
    assert not (tmp_path / "evil.md").exists()


def test_late_arrival_and_early_departure_certify_only_the_time_present(run, tmp_path) -> None:
    ws = _ws(tmp_path, run)
    late = run("attend", "j1-matin", "Joëlle Kergoat", "--late", "35", "--reason", "bus", "-w", ws)
    early = run(
        "attend", "restitution", "joelle-kergoat", "--left", "11:50", "--reason", "rdv", "-w", ws
    )
    out = tmp_path / "c"

    result = run("certificates", "-o", out, "--format", "md", "-w", ws)

    assert (late.exit_code, early.exit_code, result.exit_code) == (0, 0, 0), result.output
    text = (out / "joelle-kergoat.md").read_text()
    # 3 h - 35 min + 3 h + 3 h - 40 min = 7 h 45
    assert "pour une durée de 7\u00a0h\u00a045 réalisées sur 27\u00a0h prévues" in text
    assert "matin, 9\u00a0h\u00a030\u00a0– 12\u00a0h\u00a030 : 2\u00a0h\u00a025 (en retard, arrivée à 10\u00a0h\u00a005)" in text
    assert ": 2\u00a0h\u00a020 (parti·e plus tôt, départ à 11\u00a0h\u00a050)" in text


def test_a_signatory_without_function_is_named_without_a_dash(run, tmp_path) -> None:
    """A programme whose [provider] names its signatory but not their function (as `init`
    leaves it) prints the name alone, never « Martine Lefort, — »."""
    ws = _ws(tmp_path, run)
    config = ws / "cotrain.toml"
    text = config.read_text(encoding="utf-8")
    assert 'signatory_function = "Directrice"' in text
    config.write_text(text.replace('signatory_function = "Directrice"', 'signatory_function = ""'),
                      encoding="utf-8")
    out = tmp_path / "certificats"

    assert run("certificates", "--output", out, "-w", ws).exit_code == 0
    assert run("attestations", "--output", tmp_path / "att", "-w", ws).exit_code == 0

    for text in [(out / "joelle-kergoat.md").read_text(encoding="utf-8"),
                 *(p.read_text(encoding="utf-8") for p in (tmp_path / "att").glob("*.md"))]:
        assert "—" not in text
        assert "Martine Lefort" in text and "Martine Lefort," not in text.replace(
            "Martine Lefort, représentant", "")



def test_attestations_without_objectives_say_to_complete_never_the_config_syntax(
    run, tmp_path
) -> None:
    """No objective anywhere (as a programme from `init` starts): the trainee's attestation
    reads « à compléter », never the configuration's syntax; the terminal says which key."""
    import re

    ws = _ws(tmp_path, run)
    config = ws / "cotrain.toml"
    text = config.read_text(encoding="utf-8")
    text = re.sub(r"objectives = \[\n(?:  .*\n)*\]\n", "objectives = []\n", text)
    text = text[: text.index("[[bilan.objectives]]")] + text[text.index("[letters]"):]
    config.write_text(text, encoding="utf-8")

    result = run("attestations", "--output", tmp_path / "att", "-f", "md", "-w", ws)

    assert result.exit_code == 0, result.output
    assert "[training] objectives" in result.output
    attestation = (tmp_path / "att" / "joelle-kergoat.md").read_text(encoding="utf-8")
    assert "- à compléter" in attestation and "cotrain.toml" not in attestation
