"""Every document speaks its reader's language: dates, times and amounts (issue 11, "English
documents print ISO dates"). Each document of the shipped example is written in English and in
French through the real CLI, read back as text (PDFs with pypdf, .docx with python-docx), and
searched for a date, a time or an amount in the other convention."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

ISO_DATE = re.compile(r"\b(19|20)\d\d-\d\d-\d\d\b")
NUMERIC_DATE = re.compile(r"\b\d\d/\d\d/(19|20)\d\d\b")
# A full date in words (the example's own texts may say "la restitution du 5 mars").
ENGLISH_MONTHS = re.compile(r"\b\d{1,2} (January|February|March|November|December) (19|20)\d\d")
FRENCH_MONTHS = re.compile(r"\b\d{1,2}(er)? (janvier|février|mars|novembre|décembre) (19|20)\d\d")
CLOCK_24 = re.compile(r"\b\d\d:\d\d\b(?!\s?[ap]m)")  # "09:30": neither language's way in a document


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from typer.testing import CliRunner

    from cotrain.cli.app import build_app

    root = tmp_path_factory.mktemp("dates") / "demo"
    app, runner = build_app(), CliRunner()
    for args in (
        ["init", str(root), "--example"],
        ["import", str(root / "reponses.csv")],
        ["select"],
        ["schedule", "--iterations", "60"],
        ["attendance", "import", str(root / "emargement.csv")],
    ):
        where = [] if args[0] == "init" else ["-w", str(root)]
        result = runner.invoke(app, [*where, *args])
        assert result.exit_code == 0, result.output
    return root


def _documents(run, root: Path, lang: str, out: Path) -> dict[str, str]:
    """Every kind of document, as text, by name."""
    commands = [
        ["sheets", "--session", "j1-matin", "--format", "both", "--output", str(out / "sheets")],
        ["certificates", "--person", "ousmane-traore", "--format", "md,html,pdf",
         "--output", str(out / "certificates")],
        ["attestations", "--person", "ousmane-traore", "--format", "md,html,pdf",
         "--output", str(out / "attestations")],
        ["letters", "--city", "bondy", "--format", "all", "--date", "2014-12-01",
         "--output", str(out / "letters")],
        ["programme", "--person", "awa-diallo", "--format", "both",
         "--output", str(out / "programmes")],
        ["bilan", "--output", str(out / "bilan")],
    ]
    for args in commands:
        result = run(args[0], "-w", root, "--lang", lang, *args[1:])
        assert result.exit_code == 0, result.output
    texts: dict[str, str] = {}
    for path in sorted(out.rglob("*")):
        if path.suffix in (".md", ".txt", ".html"):
            texts[path.name] = path.read_text(encoding="utf-8")
        elif path.suffix == ".pdf":
            texts[path.name] = "\n".join(p.extract_text() for p in PdfReader(path).pages)
        elif path.suffix == ".docx":
            import docx

            texts[path.name] = "\n".join(p.text for p in docx.Document(str(path)).paragraphs)
    for view in (["report"], ["report", "--funder"], ["roster", "--session", "j1-matin"]):
        result = run(view[0], "-w", root, "--lang", lang, *view[1:])
        assert result.exit_code == 0, result.output
        texts[" ".join(view)] = result.stdout
    return texts


def test_english_documents_print_english_dates_times_and_amounts(run, example, tmp_path) -> None:
    texts = _documents(run, example, "en", tmp_path)

    assert {"bilan.pdf", "bondy.docx", "bondy.pdf", "ousmane-traore.pdf", "awa-diallo.pdf"} <= set(
        texts
    )
    for name, text in texts.items():
        assert not ISO_DATE.search(text), (name, ISO_DATE.search(text))
        assert not NUMERIC_DATE.search(text), (name, NUMERIC_DATE.search(text))
        assert not FRENCH_MONTHS.search(text), (name, FRENCH_MONTHS.search(text))
        if not name.endswith(".html"):  # HTML carries CSS
            assert not CLOCK_24.search(text), (name, CLOCK_24.search(text))
    certificate = " ".join(texts["ousmane-traore.pdf"].split())
    assert "from 22 January 2015 to 5 March 2015" in certificate
    assert "Thursday 22 January 2015, morning, 9:30 am – 12:30 pm" in certificate
    assert "arrived at 10:05 am" in certificate
    assert "from 22 January 2015 to 5 March 2015" in " ".join(texts["bilan.pdf"].split())
    assert "1 December 2014" in texts["bondy.md"] and "1 December 2014" in texts["bondy.docx"]
    assert "€36,000.00" in texts["bilan.md"] and "36\u00a0000" not in texts["bilan.md"]
    assert "from 22 January 2015 to 5 March 2015" in texts["report"]


def test_french_documents_print_french_dates_times_and_amounts(run, example, tmp_path) -> None:
    texts = _documents(run, example, "fr", tmp_path)

    for name, text in texts.items():
        assert not ISO_DATE.search(text), (name, ISO_DATE.search(text))
        assert not ENGLISH_MONTHS.search(text), (name, ENGLISH_MONTHS.search(text))
        assert not re.search(r"\b\d{1,2}:\d\d ?[ap]m\b", text), name
        if not name.endswith(".html"):
            assert not CLOCK_24.search(text), (name, CLOCK_24.search(text))
    certificate = " ".join(texts["ousmane-traore.md"].split())
    assert "du 22 janvier 2015 au 5 mars 2015" in certificate
    assert "jeudi 22 janvier 2015, matin, 9\u00a0h\u00a030\u00a0– 12\u00a0h\u00a030" in texts[
        "ousmane-traore.md"
    ]
    assert "1er décembre 2014" in texts["bondy.md"]
    assert "36\u00a0000,00\u00a0€" in texts["bilan.md"]
