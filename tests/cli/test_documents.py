"""Documents that pass an audit (issue 11), read back from the PDFs the commands write."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped example through import, selection, scheduling and its sign-in grid."""
    from typer.testing import CliRunner

    from cotrain.cli.app import build_app

    root = tmp_path_factory.mktemp("documents") / "demo"
    app, runner = build_app(), CliRunner()
    for args in (
        ["init", str(root), "--example"],
        ["import", str(root / "reponses.csv")],
        ["select"],
        ["schedule", "--iterations", "60"],  # a work budget: the same plan on any machine
        ["attendance", "import", str(root / "emargement.csv"), "-w", str(root)],
        ["sheets", "--output", str(root / "feuilles"), "--format", "pdf"],
        ["certificates", "--output", str(root / "certificats"), "--format", "md,pdf"],
    ):
        extra = [] if args[0] in ("init", "attendance") else ["-w", str(root)]
        result = runner.invoke(app, [args[0], *extra, *args[1:]])
        assert result.exit_code == 0, result.output
    return root


def _pages(path: Path) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(path).pages]


def test_every_page_of_every_sheet_carries_the_provider_times_and_trainer_signatures(
    example,
) -> None:
    sheets = [p for p in (example / "feuilles").glob("*.pdf") if "_" in p.stem]
    sheets = [p for p in sheets if not p.stem.startswith(("day_", "all_"))]
    config_trainers = {"Claire Lefèvre", "Fernand D'Almeida"}  # two of the example's trainers

    assert len(sheets) >= 20
    multi_page = 0
    for sheet in sheets:
        pages = _pages(sheet)
        multi_page += len(pages) > 1
        for number, text in enumerate(pages, start=1):
            assert "11 93 05479 93" in text, (sheet.name, number)
            assert "SIRET 398 241 713 00036" in text, (sheet.name, number)
            assert "Arrivée" in text and "Départ" in text, (sheet.name, number)
            assert "Les formateurs et formatrices signent chaque page" in text
            assert f"Page {number} / {len(pages)}" in text
            assert "Données personnelles" in text
    assert multi_page >= 1  # the closing half-day's sheet runs over several pages
    everyone = _pages(example / "feuilles" / "restitution_all.pdf")
    for text in everyone:
        assert all(name in text for name in config_trainers)


def test_pairs_sheet_names_who_works_with_whom(example) -> None:
    pairs = sorted((example / "feuilles").glob("j4-matin_*.pdf"))

    text = " ".join(_pages(pairs[0]))

    assert "Binôme" in text and ", avec " in text


def test_combined_pdfs_start_each_sheet_on_a_recto(example) -> None:
    folder = example / "feuilles"
    sheets = [p for p in folder.glob("*.pdf") if not p.stem.startswith(("day_", "all_"))]
    lengths = [len(PdfReader(p).pages) for p in sheets]

    everything = PdfReader(folder / "all_sheets.pdf")

    # every sheet but the last is padded to an even number of pages
    assert sum(lengths) < len(everything.pages) <= sum(n + n % 2 for n in lengths)
    starts = [
        i
        for i, page in enumerate(everything.pages)
        if "FEUILLE D'ÉMARGEMENT" in (page.extract_text() or "")
    ]
    assert len(starts) == len(sheets)
    assert all(i % 2 == 0 for i in starts)  # page 1, 3, 5 …: always a recto
    days = sorted(folder.glob("day_*.pdf"))
    assert len(days) == 5


def test_late_arrivals_get_fewer_hours_on_their_certificate(example) -> None:
    folder = example / "certificats"
    late = (folder / "ousmane-traore.md").read_text(encoding="utf-8")
    on_time = (folder / "helene-pradier-kaci.md").read_text(encoding="utf-8")

    assert "pour une durée de 27\u00a0h réalisées sur 27" in on_time
    assert "pour une durée de 27\u00a0h" not in late
    assert "(en retard" in late
    pdf = " ".join(_pages(folder / "ousmane-traore.pdf"))
    assert "11 93 05479 93" in pdf and "Martine Lefort, Directrice" in pdf


def test_certificate_names_the_state_for_a_prefect_delegate_and_no_poverty_for_an_activist(
    example,
) -> None:
    folder = example / "certificats"
    delegate = (folder / "nathalie-ozturk.md").read_text(encoding="utf-8")
    activist = (folder / "awa-diallo.md").read_text(encoding="utf-8")

    assert "Employeur ou structure : État – Préfecture de la Seine-Saint-Denis" in delegate
    assert "Aubervilliers" not in delegate
    official = (folder / "helene-pradier-kaci.md").read_text(encoding="utf-8")
    assert "Employeur ou structure : à titre individuel" in activist
    assert "militant" not in activist.lower()
    # ATD Quart Monde appears as the partner and the venue, as on everyone's certificate
    assert activist.count("Quart Monde") == official.count("Quart Monde")
    assert "au Centre international ATD Quart Monde" in activist
    assert "à conserver l'ensemble des pièces justificatives" in activist


def test_an_attestation_per_trainee_with_objectives_and_evaluation(run, example, tmp_path) -> None:
    (example / "assessments.toml").unlink()  # the example ships results: this test records its own
    note = ("--note", "Très présente")
    assert run("assess", "Awa Diallo", "--result", "acquis", *note, "-w", example).exit_code == 0
    assert run("assess", "ousmane", "--result", "en-cours", "-w", example).exit_code == 0
    out = tmp_path / "attestations"

    result = run("attestations", "--output", out, "-w", example)

    assert result.exit_code == 0, result.output
    assert len(list(out.glob("*.pdf"))) == len(list(out.glob("*.md"))) == 34
    awa = " ".join(_pages(out / "awa-diallo.pdf"))
    assert "Attestation de fin de formation" in awa
    assert "Objectifs de la formation" in awa and "conseils citoyens où chacun" in awa
    assert "Résultat : objectifs acquis." in awa and "Très présente" in awa
    ousmane = (out / "ousmane-traore.md").read_text(encoding="utf-8")
    assert "objectifs en cours d'acquisition" in ousmane
    other = (out / "helene-pradier-kaci.md").read_text(encoding="utf-8")
    assert "Résultat : non renseigné." in other
    assert "32 personne(s) sans résultat" in result.output


def test_assess_refuses_an_unknown_result(run, example) -> None:
    result = run("assess", "Awa Diallo", "--result", "bof", "-w", example)

    assert result.exit_code == 2
    assert "« bof » n'est pas un résultat" in result.output


def test_doctor_warns_when_the_provider_is_missing(run, tmp_path) -> None:
    import shutil

    from tests.conftest import EXAMPLE

    ws = tmp_path / "ws"
    shutil.copytree(EXAMPLE, ws)
    config = ws / "cotrain.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace('"398 241 713 00036"', '"123"'), encoding="utf-8")
    ws.chmod(0o700)
    for path in ws.rglob("*"):
        path.chmod(0o700 if path.is_dir() else 0o600)

    result = run("doctor", "-w", ws)

    assert result.exit_code == 0, result.output
    assert "provider.siret" in result.output


def test_bilan_pdf_keeps_dates_whole_and_embeds_its_fonts(run, example) -> None:
    result = run("bilan", "--output", "bilan", "-w", example)
    assert result.exit_code == 0, result.output
    reader = PdfReader(example / "bilan" / "bilan.pdf")
    lines = [line for page in reader.pages for line in page.extract_text().splitlines()]

    assert any("22/01/2015" in line for line in lines)
    assert not any(line.rstrip().endswith(("22/01/", "22/01")) for line in lines)
    assert "11 93 05479 93" in lines[0] + " ".join(lines[:6])
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            descendant = font.get_object()["/DescendantFonts"][0].get_object()
            descriptor = descendant["/FontDescriptor"].get_object()
            assert "/FontFile2" in descriptor or "/FontFile3" in descriptor  # embedded
            fonts.add(str(descendant["/BaseFont"]))
    assert any("DejaVuSans" in name for name in fonts)


def test_the_signing_hook_prints_times_and_draws_signatures(example) -> None:
    from cotrain.cli.outputs import _load
    from cotrain.domain.timetable import sheet_groups
    from cotrain.files.exporters.documents import SheetMark, sheet_pdf, sheet_text
    from cotrain.files.workspace import Workspace

    ws = Workspace.open(example)
    config, _, views = _load(ws)
    view, group = sheet_groups(views, "j1-matin")[0]
    first, trainer = group.members[0], group.trainers[0]
    pen = (((0.0, 0.0), (12.0, 6.0), (24.0, 1.0)), ((3.0, 8.0), (20.0, 8.0)))
    marks = {
        first.id: SheetMark(arrival="9 h 42", departure="12 h 10", strokes=pen, caption="signé"),
        trainer.id: SheetMark(strokes=pen, departure_strokes=pen),
    }

    signed = PdfReader(io.BytesIO(sheet_pdf(sheet_text(config, view, group, marks=marks))))
    blank = PdfReader(io.BytesIO(sheet_pdf(sheet_text(config, view, group))))

    text = " ".join(signed.pages[0].extract_text().split())
    assert "9 h 42" in text and "12 h 10" in text and "signé" in text
    # the pen strokes are drawn as vector paths in blue ink (0.043 0.165 0.42 RG)
    ink = signed.pages[0].get_contents().get_data()
    assert b"0.043" in ink and b"0.043" not in blank.pages[0].get_contents().get_data()
    assert "9 h 42" not in " ".join(blank.pages[0].extract_text().split())


LETTERHEAD = """#let letterhead(p) = grid(columns: (20mm, 1fr), column-gutter: 3mm,
  image(p.logo, width: 18mm),
  [*Centre social Les Tilleuls* \\ #p.ids])
"""
LOGO = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><circle cx="5" cy="5" r="4"/></svg>'


def test_a_centre_puts_its_letterhead_and_logo_on_every_document(run, example, tmp_path) -> None:
    folder = example / "templates" / "print"
    folder.mkdir(parents=True)
    (folder / "letterhead.typ").write_text(LETTERHEAD, encoding="utf-8")
    (folder / "logo.svg").write_text(LOGO, encoding="utf-8")
    try:
        sheets = run("sheets", "-o", tmp_path / "f", "--session", "j1-matin", "-w", example)
        certs = run("certificates", "-o", tmp_path / "c", "-f", "pdf", "-w", example)
        assert (sheets.exit_code, certs.exit_code) == (0, 0), sheets.output + certs.output

        sheet = _pages(next((tmp_path / "f").glob("j1-matin_*.pdf")))[0]
        certificate = _pages(tmp_path / "c" / "awa-diallo.pdf")[0]
        for text in (sheet, certificate):
            assert "Centre social Les Tilleuls" in text and "11 93 05479 93" in text
            assert "15 rue Catulienne" not in text  # the built-in letterhead is replaced
    finally:
        import shutil

        shutil.rmtree(example / "templates")


def test_a_broken_letterhead_is_a_clear_error_and_writes_nothing(run, example, tmp_path) -> None:
    folder = example / "templates" / "print"
    folder.mkdir(parents=True)
    (folder / "letterhead.typ").write_text("#let letterhead(p) = [#p.nope", encoding="utf-8")
    try:
        result = run("certificates", "-o", tmp_path / "c", "-f", "pdf", "-w", example)
    finally:
        import shutil

        shutil.rmtree(example / "templates")

    assert result.exit_code == 1
    assert "certificate.typ" in result.output and "templates/print" in result.output
    assert "Traceback" not in result.output
    assert not list((tmp_path / "c").glob("*.pdf")) if (tmp_path / "c").exists() else True


def test_the_funder_mention_prints_on_every_page_of_every_sheet(run, example, tmp_path) -> None:
    import shutil

    ws = tmp_path / "fse"
    shutil.copytree(example, ws, ignore=shutil.ignore_patterns("feuilles", "certificats"))
    (ws / "logos").mkdir()
    (ws / "logos" / "ue.svg").write_text(LOGO, encoding="utf-8")
    config = ws / "cotrain.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(
        text.replace(
            '[provider.mention]\ntext = ""\nlogo = ""',
            '[provider.mention]\ntext = "Cofinancé par l\'Union européenne (FSE+)"\n'
            'logo = "logos/ue.svg"',
        ),
        encoding="utf-8",
    )

    result = run("sheets", "-o", tmp_path / "f", "--session", "restitution", "-f", "pdf", "-w", ws)

    assert result.exit_code == 0, result.output
    pages = _pages(tmp_path / "f" / "restitution_all.pdf")
    assert len(pages) >= 2
    assert all("Cofinancé par l'Union européenne (FSE+)" in page for page in pages)


def test_the_letterhead_stays_on_the_page_and_keeps_numbers_whole(example) -> None:
    """A long running head (the pairs' sheet) used to push the provider's name above the page."""
    for sheet in sorted((example / "feuilles").glob("j4-matin_*.pdf")):
        for page in PdfReader(sheet).pages:
            top = float(page.mediabox.top)
            heights: list[float] = []

            def visit(text, cm, tm, font, size, heights=heights):
                if "Profession Banlieue" in text:
                    heights.append(cm[5] + tm[5] * cm[3])

            lines = page.extract_text(visitor_text=visit).splitlines()
            assert heights and all(0 < y < top - 10 for y in heights), (sheet.name, heights)
            assert any("SIRET 398 241 713 00036" in " ".join(line.split()) for line in lines)
