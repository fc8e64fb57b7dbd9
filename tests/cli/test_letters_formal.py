"""Formal letters to mayors: addressee, grammar of city names, next steps, .docx and PDF read
back, escaped Markdown, promotion from the waitlist (issue 11)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from tests.fixtures_selection import EXAMPLE_CITIES, City, make_applications, write_applications

# Place names of the Rhône and of Seine-Saint-Denis where French elides or contracts.
RHONE = (
    City("vaulx-en-velin", "Vaulx-en-Velin", "Est lyonnais", "2014-11-03T10:00", "500", "14", 5),
    City("epinay-sur-seine", "Épinay-sur-Seine", "Plaine Commune", "2014-11-04T10:00", "500"),
    City("aulnay-sous-bois", "Aulnay-sous-Bois", "Terres d'Envol", "2014-11-05T10:00", "500"),
    City("lile-saint-denis", "L'Île-Saint-Denis", "Plaine Commune", "2014-11-06T10:00", "500"),
    City("le-blanc-mesnil", "Le Blanc-Mesnil", "Terres d'Envol", "2014-11-07T10:00", "500"),
    City("les-lilas", "Les Lilas", "Est Ensemble", "2014-11-08T10:00", "500"),
    City("oullins", "Oullins", "Sud-Ouest lyonnais", "2014-11-09T10:00", "100", flaw="x"),
)
# A preposition before a vowel or an article that French would have elided or contracted.
WRONG = re.compile(r"\b(?:de|à) (?:[AEIOUYÉÈÊÎÔÂ]|Le |Les )|\bque [aeiouy]")


@pytest.fixture
def rhone_ws(run, example_ws: Path) -> Path:
    write_applications(example_ws, make_applications(RHONE))
    result = run("select", "-w", example_ws, "--max", "5")
    assert result.exit_code == 0, result.output
    return example_ws


def _letters(run, ws: Path, *args: str) -> Path:
    out = ws / "lettres"
    result = run("letters", "-w", ws, "--output", out, "--date", "2014-12-01", *args)
    assert result.exit_code == 0, result.output
    return out


def _pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return " ".join(" ".join((page.extract_text() or "").split()) for page in PdfReader(path).pages)


def _docx_text(path: Path) -> str:
    from docx import Document

    return "\n".join(p.text for p in Document(str(path)).paragraphs)


def test_city_names_are_elided_and_contracted_in_every_format(run, rhone_ws: Path) -> None:
    out = _letters(run, rhone_ws)

    texts = {p.name: p.read_text(encoding="utf-8") for p in out.glob("*.txt")}
    texts |= {p.name: _pdf_text(p) for p in out.glob("*.pdf")}
    texts |= {p.name: _docx_text(p) for p in out.glob("*.docx")}
    assert len(texts) == 21
    for name, text in texts.items():
        assert not WRONG.search(text), (name, WRONG.search(text))
    assert "la ville de Vaulx-en-Velin" in texts["vaulx-en-velin.txt"]
    assert "la ville d'Épinay-sur-Seine" in texts["epinay-sur-seine.pdf"]
    assert "la ville d'Aulnay-sous-Bois" in texts["aulnay-sous-bois.docx"]
    assert "la ville de L'Île-Saint-Denis" in texts["lile-saint-denis.txt"]
    assert "la ville du Blanc-Mesnil" in texts["le-blanc-mesnil.txt"]
    assert "la ville des Lilas" in texts["les-lilas.txt"]
    assert "Maire d'Oullins" in texts["oullins.txt"]


def test_every_letter_of_the_shipped_example_reads_correctly(run, example_ws: Path) -> None:
    for args in (["import", str(example_ws / "reponses.csv")], ["select"]):
        result = run(*args, "-w", example_ws)
        assert result.exit_code == 0, result.output
    out = _letters(run, example_ws, "--format", "txt,pdf")

    letters = sorted(out.glob("*.txt"))
    assert len(letters) == 12
    for path in [*letters, *out.glob("*.pdf")]:
        text = path.read_text(encoding="utf-8") if path.suffix == ".txt" else _pdf_text(path)
        assert not WRONG.search(text), (path.name, WRONG.search(text))
        assert "Martine Lefort" in text and "Directrice de Profession Banlieue" in text
        assert "considération" in text
    bondy = (out / "bondy.txt").read_text(encoding="utf-8")
    assert "Madame Sylvie Thomasset\nMaire de Bondy\nHôtel de ville" in bondy
    assert "Madame la Maire,\n" in bondy
    assert "Saint-Denis, le 1er décembre 2014" in bondy
    assert "avant le 19 décembre 2014" in bondy  # deliberation or purchase order
    assert "avant le 9 janvier 2015" in bondy  # the convention
    epinay = _pdf_text(out / "epinay-sur-seine.pdf")
    assert "Monsieur le Maire," in epinay and "la ville d'Épinay-sur-Seine" in epinay
    assert "contribution financière de la ville d'au moins 500,00" in epinay


def test_waitlisted_letter_says_until_when(run, rhone_ws: Path) -> None:
    out = _letters(run, rhone_ws, "--format", "txt")

    waitlisted = (out / "les-lilas.txt").read_text(encoding="utf-8")
    assert "liste d'attente" in waitlisted
    assert "jusqu'au 15 janvier 2015" in waitlisted


def test_a_city_promoted_from_the_waitlist_is_not_told_it_ranked_among_the_best(
    run, example_ws: Path
) -> None:
    write_applications(example_ws, make_applications(EXAMPLE_CITIES))
    assert run("select", "-w", example_ws, "--max", "5").exit_code == 0
    withdrawn = run(
        "select", "-w", example_ws, "--withdraw", "aubervilliers", "--reason", "Municipales"
    )
    assert withdrawn.exit_code == 0, withdrawn.output

    out = _letters(run, example_ws, "--format", "txt")

    promoted = (out / "saint-denis.txt").read_text(encoding="utf-8")  # entered on the withdrawal
    first = (out / "bobigny.txt").read_text(encoding="utf-8")
    assert "Une place s'est libérée" in promoted
    assert "mieux classées" not in promoted
    assert "mieux classées" in first


def test_markdown_letters_escape_html_the_others_keep_the_text(run, example_ws: Path) -> None:
    apps = make_applications(EXAMPLE_CITIES)
    hostile = [
        a.model_copy(
            update={
                "people": [
                    a.people[0].model_copy(update={"name": "<script>alert(1)</script> Karine"}),
                    *a.people[1:],
                ]
            }
        )
        if a.city_id == "bobigny"
        else a
        for a in apps.applications
    ]
    write_applications(example_ws, apps.model_copy(update={"applications": hostile}))
    assert run("select", "-w", example_ws, "--max", "5").exit_code == 0

    out = _letters(run, example_ws, "--city", "bobigny")

    markdown = (out / "bobigny.md").read_text(encoding="utf-8")
    assert "<script>" not in markdown
    assert "&lt;script>alert(1)&lt;/script> Karine" in markdown
    assert "<script>alert(1)</script> Karine" in (out / "bobigny.txt").read_text(encoding="utf-8")
    assert "<script>alert(1)</script> Karine" in _pdf_text(out / "bobigny.pdf")


def test_english_letters_have_no_french_left(run, rhone_ws: Path) -> None:
    out = _letters(run, rhone_ws, "--lang", "en", "--format", "txt")

    for path in out.glob("*.txt"):
        text = path.read_text(encoding="utf-8")
        for french in ("Madame", "Monsieur", "Objet", "considération", " le 1er ", "Hôtel de"):
            assert french not in text, (path.name, french)
        assert not re.search(r"la ville (?:de|d'|du|des) [A-ZÉ]", text), path.name
        assert "Yours sincerely," in text


def test_workspace_letterhead_docx_and_logo_are_used(run, rhone_ws: Path) -> None:
    from docx import Document

    letters = rhone_ws / "letters"
    letters.mkdir()
    head = Document()
    head.sections[0].header.paragraphs[0].text = "CENTRE DE FORMATION — EN-TÊTE"
    head.add_paragraph("texte d'exemple à remplacer")
    head.save(str(letters / "letterhead.docx"))

    out = _letters(run, rhone_ws, "--format", "docx", "--city", "oullins")

    document = Document(str(out / "oullins.docx"))
    assert document.sections[0].header.paragraphs[0].text == "CENTRE DE FORMATION — EN-TÊTE"
    body = "\n".join(p.text for p in document.paragraphs)
    assert "texte d'exemple" not in body
    assert "Maire d'Oullins" in body


def test_unknown_format_is_bad_usage(run, rhone_ws: Path) -> None:
    result = run("letters", "-w", rhone_ws, "--output", rhone_ws / "l", "--format", "odt")

    assert result.exit_code == 2
    assert "odt" in result.output
    assert not (rhone_ws / "l").exists()
