"""cotrain letters: one letter per city, plain-word reasons, overridable templates, safe writes."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.fixtures_selection import write_applications

from cotrain.domain.letters import markdown_to_text, render_letter
from cotrain.errors import InputError


@pytest.fixture
def ws(run, example_ws: Path) -> Path:
    write_applications(example_ws)
    result = run(
        "select",
        "-w",
        example_ws,
        "--max",
        "5",
        "--exclude",
        "montreuil",
        "--reason",
        "Déjà formée en 2014",
    )
    assert result.exit_code == 0, result.output
    return example_ws


def _letters(run, ws: Path, *args: str) -> Path:
    out = ws / "lettres"
    result = run("letters", "-w", ws, "--output", out, "--date", "2014-12-01", *args)
    assert result.exit_code == 0, result.output
    return out


def test_one_letter_per_candidate_city_in_every_format(run, ws: Path) -> None:
    out = _letters(run, ws)

    names = sorted(p.name for p in out.iterdir())
    assert len(names) == 48
    assert names[:4] == [
        "aubervilliers.docx",
        "aubervilliers.md",
        "aubervilliers.pdf",
        "aubervilliers.txt",
    ]
    assert oct((out / "bobigny.md").stat().st_mode & 0o777) == "0o600"
    assert oct((out / "bobigny.pdf").stat().st_mode & 0o777) == "0o600"


def test_both_still_means_markdown_and_text(run, ws: Path) -> None:
    out = _letters(run, ws, "--format", "both", "--city", "bobigny")

    assert sorted(p.name for p in out.iterdir()) == ["bobigny.md", "bobigny.txt"]


def test_selected_letter_has_dates_site_times_and_people(run, ws: Path) -> None:
    letter = (_letters(run, ws) / "bobigny.md").read_text(encoding="utf-8")

    assert (
        "**Objet : Co-formation « Participation des habitants et conseils citoyens » — "
        "candidature de la ville de Bobigny : retenue**" in letter
    )
    assert "> Saint-Denis, le 1er décembre 2014" in letter
    assert "> Madame Sophie Vasseur  \n> Maire de Bobigny" in letter
    assert "Madame la Maire,\n" in letter
    assert "- jeudi 22 janvier 2015, de 9\u00a0h\u00a030 à 16\u00a0h\u00a030" in letter
    assert "- jeudi 5 mars 2015, de 9\u00a0h\u00a030 à 12\u00a0h\u00a030" in letter
    assert "du jeudi 22 janvier 2015 au jeudi 5 mars 2015" in letter
    assert "Horaires : matin de 9\u00a0h\u00a030 à 12\u00a0h\u00a030, après-midi de 13\u00a0h\u00a030 à 16\u00a0h\u00a030." in letter
    assert "Centre international ATD Quart Monde  \n12 rue Pasteur, 95480 Pierrelaye" in letter
    assert "- Karine Bobigny, adjoint·e au maire" in letter
    assert "- Thierry Bobigny, délégué·e du préfet" in letter
    assert "9 demi-journées (4,5 jours)" in letter
    assert "500,00\u00a0€" in letter


def test_other_letters_give_the_reasons_in_plain_words(run, ws: Path) -> None:
    out = _letters(run, ws)

    waitlisted = (out / "sevran.md").read_text(encoding="utf-8")
    declined = (out / "montreuil.txt").read_text(encoding="utf-8")
    not_eligible = (out / "bondy.md").read_text(encoding="utf-8")
    assert "**en liste d'attente, à la place n° 1**" in waitlisted
    assert "- Les 5 places sont attribuées aux candidatures les mieux classées." in waitlisted
    assert "- Motif : Déjà formée en 2014" in declined
    assert "n'a pas été retenue" in declined
    assert "**" not in declined
    assert "contribution de 200,00\u00a0€ inférieure au minimum de 500,00\u00a0€" in not_eligible


def test_letters_in_english(run, ws: Path) -> None:
    out = _letters(run, ws, "--lang", "en", "--city", "bobigny", "--format", "md")

    letter = (out / "bobigny.md").read_text(encoding="utf-8")
    assert sorted(p.name for p in out.iterdir()) == ["bobigny.md"]
    assert "Bobigny: selected**" in letter
    assert "- Thursday 22 January 2015, from 9:30\u00a0am to 4:30\u00a0pm" in letter
    assert "1 December 2014" in letter
    assert "Dear Mayor Vasseur," in letter


def test_workspace_template_overrides_the_default(run, ws: Path) -> None:
    (ws / "letters").mkdir()
    (ws / "letters" / "selected.md").write_text(
        "Bonjour $city,\n\nvenez le $first_date à $site.\n\n$people\n\nCoût : 5 $$.\n",
        encoding="utf-8",
    )

    out = _letters(run, ws, "--city", "bobigny", "--city", "bondy")

    assert (out / "bobigny.md").read_text(encoding="utf-8") == (
        "Bonjour Bobigny,\n\n"
        "venez le jeudi 22 janvier 2015 à Centre international ATD Quart Monde.\n\n"
        "- Karine Bobigny, adjoint·e au maire\n"
        "- Youssef Bobigny, chef·fe de projet politique de la ville\n"
        "- Sandrine Bobigny, agent de développement local\n"
        "- Thierry Bobigny, délégué·e du préfet\n\nCoût : 5 $.\n"
    )
    assert "ne remplit pas les conditions" in (out / "bondy.md").read_text(encoding="utf-8")


def test_unknown_placeholder_names_the_template_and_writes_nothing(run, ws: Path) -> None:
    (ws / "letters").mkdir()
    (ws / "letters" / "waitlisted.md").write_text(
        "Bonjour $city,\n\nplace $plaec\n", encoding="utf-8"
    )

    result = run("letters", "-w", ws, "--output", ws / "lettres")

    assert result.exit_code == 1
    assert "waitlisted.md, ligne 3 : champ inconnu dans le modèle : $plaec" in result.output
    assert not (ws / "lettres").exists()


def test_letters_need_a_selection(run, example_ws: Path) -> None:
    result = run("letters", "-w", example_ws, "--output", example_ws / "lettres")

    assert result.exit_code == 1
    assert "lancez d'abord cotrain select" in result.output


def test_city_ids_cannot_escape_the_output_folder(tmp_path: Path) -> None:
    from cotrain.files.store import safe_output_path

    with pytest.raises(InputError):
        safe_output_path(tmp_path / "lettres", "../../etc/passwd.md")


def test_template_syntax_is_safe_and_plain_text_drops_markup() -> None:
    with pytest.raises(InputError) as caught:
        render_letter("Prix : 5 $ net\n", {}, source="x.md")
    assert caught.value.location.line == 1
    assert render_letter("${city}ois", {"city": "Pantin"}, source="x.md") == "Pantinois"
    assert markdown_to_text("# Titre\n\n**Gras** et *italique*  \nsuite\n") == (
        "Titre\n=====\n\nGras et italique\nsuite\n"
    )


def test_a_city_id_escaping_the_folder_writes_nothing(run, example_ws: Path) -> None:
    from tests.fixtures_selection import EXAMPLE_CITIES, make_application, make_applications

    apps = make_applications()
    evil = make_application(EXAMPLE_CITIES[0], city_id="../../evil", city="Evil")
    write_applications(
        example_ws, apps.model_copy(update={"applications": [*apps.applications, evil]})
    )
    assert run("select", "-w", example_ws).exit_code == 0

    result = run("letters", "-w", example_ws, "--output", example_ws / "lettres")

    assert result.exit_code == 1
    assert "sortirait du dossier" in result.output
    assert not (example_ws / "lettres").exists()
    assert not (example_ws.parent / "evil.md").exists()
