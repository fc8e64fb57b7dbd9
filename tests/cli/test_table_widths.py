"""Long tables stay readable on a narrow terminal (issue 15: "long tables wrap readably on
100 columns"): no word is cut or shortened with "…" at 80 or 100 columns; a column of least
value is dropped (and named below the table), or each row becomes a record."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

WIDTHS = ("80", "100")
COMMANDS = [
    ("participants",),
    ("applications",),
    ("trainers",),
    ("check",),
    ("select", "--dry-run"),
    ("roster",),
    ("roster", "--person", "jean-francois-lefevre-duval"),
    ("report",),
    ("report", "--by", "city"),
    ("history",),
    ("attendance", "list"),
]


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from typer.testing import CliRunner

    from cotrain.cli.app import build_app

    root = tmp_path_factory.mktemp("widths") / "demo"
    app, runner = build_app(), CliRunner()
    for args, env in (
        (["init", str(root), "--example"], {}),
        (["import", str(root / "reponses.csv")], {}),
        (["select"], {}),
        (["schedule", "--iterations", "60"], {}),
        (["leave", "patrick-lhermitte", "--from", "j3-matin",
          "--reason", "raisons de santé, départ définitif du programme"], {}),
    ):
        where = [] if args[0] == "init" else ["-w", str(root)]
        result = runner.invoke(app, [*where, *args], env=env)
        assert result.exit_code == 0, result.output
    # the sign-in grid, without the marks of the person who left
    grid = root / "emargement.csv"
    lines = grid.read_text(encoding="cp1252").splitlines()
    kept = [line for line in lines if "L'Hermitte" not in line]
    assert len(kept) == len(lines) - 1
    grid.write_text("\r\n".join(kept) + "\r\n", encoding="cp1252")
    result = runner.invoke(app, ["-w", str(root), "attendance", "import", str(grid)])
    assert result.exit_code == 0, result.output
    return root


def _words(root: Path) -> set[str]:
    """Every word of every name the example holds: people, trainers, cities, territories."""
    names: set[str] = set()
    config = tomllib.loads((root / "cotrain.toml").read_text(encoding="utf-8"))
    names |= {p["name"] for p in config.get("activists", []) + config.get("trainers", [])}

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("name", "city", "territory") and isinstance(value, str):
                    names.add(value)
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(tomllib.loads((root / "applications.toml").read_text(encoding="utf-8")))
    return {word for name in names for word in name.split()}


@pytest.mark.parametrize("width", WIDTHS)
def test_no_word_is_cut_at_80_or_100_columns(run, example, width) -> None:
    words = _words(example)
    assert {"Lefèvre-Duval", "L'Île-Saint-Denis", "Vandenberghe", "Marchand-Roux"} <= words
    seen: set[str] = set()
    for command in COMMANDS:
        result = run(*command, "-w", example, env={"COLUMNS": width})
        assert result.exit_code == 0, (command, result.output)
        out = result.stdout
        assert "…" not in out, (command, width, out)
        for line in out.splitlines():  # tables fit (messages are left to the terminal)
            if any(edge in line for edge in "│┃┏└"):
                assert len(line.rstrip()) <= int(width), (command, line)
        tokens = set(re.findall(r"[^\s│┃┆|]+", out))
        # a name's word is in the output whole, or not at all (never "Lefèvre-Du" + "val")
        for word in words:
            if word in out:
                seen.add(word)
                continue
            cuts = [(word[:i], word[i:]) for i in range(2, len(word) - 1)]
            split = [c for c in cuts if c[0] in tokens and c[1] in tokens]
            assert not split, (command, width, word, split)
    assert words <= seen  # every name word was shown, whole, by at least one table


def test_a_narrow_terminal_drops_the_identifier_column_and_says_so(run, example) -> None:
    narrow = run("participants", "-w", example, env={"COLUMNS": "80"})
    wide = run("participants", "-w", example, env={"COLUMNS": "140"})

    assert "jean-francois-lefevre-duval" in wide.stdout and "Colonne" not in wide.stdout
    assert "jean-francois-lefevre-duval" not in narrow.stdout
    assert "Jean-François Lefèvre-Duval" in narrow.stdout  # one line, whole
    assert "Colonne masquée faute de place\u00a0: Identifiant" in narrow.stdout


def test_a_table_too_wide_for_any_cut_becomes_records(run, example) -> None:
    result = run("applications", "-w", example, env={"COLUMNS": "60"})

    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert "Aulnay-sous-Bois" in lines  # the city as a heading
    assert any(re.fullmatch(r"\s+Élu·es\s+Patricia Vandenberghe\s*", line) for line in lines)
