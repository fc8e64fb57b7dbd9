"""Small findings of the tester (F19), each through the real command line."""

from __future__ import annotations


def test_a_mistyped_file_name_says_which_files_are_there(run, tmp_path) -> None:
    (tmp_path / "cotrain.toml").write_text('schema = 1\nlanguage = "fr"\n', encoding="utf-8")
    (tmp_path / "reponses.csv").write_text("Commune;Contact\n", encoding="utf-8")
    (tmp_path / "notes.md").write_text("#\n", encoding="utf-8")

    result = run("import", "-w", tmp_path, tmp_path / "reponse.csv")

    assert result.exit_code == 1
    assert "fichier introuvable" in result.output
    expected = "vérifiez le nom du fichier ; fichiers importables de ce dossier : reponses.csv."
    assert expected in result.output.replace("\u00a0", " ")
    assert "notes.md" not in result.output
