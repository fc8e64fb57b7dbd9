from __future__ import annotations

from rich.table import Table

from cotrain.cli.render import LARGE_TABLE_ROWS, plain_table, show


def test_plain_table_aligns_columns_and_strips_markup() -> None:
    tbl = Table(title="Villes")
    tbl.add_column("Ville")
    tbl.add_column("Montant", justify="right")
    tbl.add_row("Bondy", "[green]600,00 €[/]")
    tbl.add_row("L'Île-Saint-Denis", "12,00 €")

    assert plain_table(tbl).splitlines() == [
        "Villes",
        "Ville               Montant",
        "─────────────────  ────────",
        "Bondy              600,00 €",
        "L'Île-Saint-Denis   12,00 €",
    ]


def test_large_tables_are_printed_plainly(capsys) -> None:
    tbl = Table(title="Grand")
    tbl.add_column("n")
    for number in range(LARGE_TABLE_ROWS + 1):
        tbl.add_row(str(number))

    show(tbl)

    lines = capsys.readouterr().out.splitlines()
    assert lines[:3] == ["Grand", "n", "───"]
    assert len(lines) == LARGE_TABLE_ROWS + 4


def test_a_plain_table_prints_as_a_large_rich_table(capsys) -> None:
    from cotrain.cli.render import PlainTable

    rows = [(f"Ville [{n}]", "✓" if n % 2 else "✗", "[green]oui[/]") for n in range(250)]
    tables = (Table(title="Éligibilité", title_justify="left"), PlainTable("Éligibilité"))
    for tbl in tables:
        tbl.add_column("Ville", no_wrap=True)
        tbl.add_column("Élu·e", justify="center", overflow="fold")
        tbl.add_column("Éligible", justify="right")
        for row in rows:
            tbl.add_row(*row)

    show(tables[0])
    rich_text = capsys.readouterr().out
    show(tables[1])

    assert capsys.readouterr().out == rich_text
    assert rich_text.splitlines()[3] == "Ville [0]      ✗         oui"
