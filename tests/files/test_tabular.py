"""The shared table writer: formula cells neutralised, numbers kept, both CSV dialects, XLSX."""

from __future__ import annotations

import csv
import io
import stat
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from cotrain.enums import Role
from cotrain.files.exporters.tabular import (
    csv_cell,
    neutralise,
    render_csv,
    restore,
    sheet_title,
    write_csv,
    write_xlsx,
)

DANGEROUS = [
    "=1+1",
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1",
    "\r=1",
    '=HYPERLINK("http://evil.example","clic")',
]


@pytest.mark.parametrize("text", DANGEROUS)
def test_neutralise_prefixes_formula_looking_text_with_apostrophe(text: str) -> None:
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (-3, "-3"),
        (Decimal("-1500.50"), "-1500.50"),
        (-2.5, "-2.5"),
        ("-12", "-12"),
        ("-3,5", "-3,5"),
        ("+4.25", "+4.25"),
        ("Awa Diallo", "Awa Diallo"),
        ("", ""),
        (None, ""),
        (Role.ELECTED, "elected"),
        ("l'Île-Saint-Denis", "l'Île-Saint-Denis"),
    ],
)
def test_neutralise_keeps_numbers_and_ordinary_text(value: object, expected: str) -> None:
    assert neutralise(value) == expected


def test_phone_number_with_spaces_is_neutralised_as_text() -> None:
    assert neutralise("+33 6 12 34 56 78") == "'+33 6 12 34 56 78"


@given(st.text())
def test_neutralised_text_never_starts_a_formula_unless_plain_number(text: str) -> None:
    out = neutralise(text)
    if not text.startswith("'"):
        assert restore(out) == text
    if out.startswith(("=", "+", "-", "@", "\t", "\r")):
        assert out.lstrip("+-").replace(",", "").replace(".", "").isdigit()


def test_excel_csv_uses_semicolon_bom_crlf_decimal_comma_and_french_dates(tmp_path: Path) -> None:
    path = tmp_path / "out.csv"

    write_csv(
        path,
        ["Nom", "Montant", "Taux", "Date", "Présent"],
        [
            ["=1+1", Decimal("1234.50"), 0.25, date(2015, 1, 22), True],
            ["Zoé", -3, None, None, False],
        ],
    )

    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert raw.count(b"\r\n") == 3
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert rows == [
        ["Nom", "Montant", "Taux", "Date", "Présent"],
        ["'=1+1", "1234,50", "0,25", "22/01/2015", "oui"],
        ["Zoé", "-3", "", "", "non"],
    ]


def test_plain_csv_uses_comma_utf8_lf_decimal_point_and_iso_dates(tmp_path: Path) -> None:
    path = tmp_path / "out.csv"

    write_csv(
        path,
        ["name", "amount", "when", "ok"],
        [
            ["@x", Decimal("2.5"), datetime(2015, 1, 22, 9, 30), True],
            ["a,b", 7, date(2015, 3, 5), False],
        ],
        excel=False,
    )

    raw = path.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" not in raw
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8"), newline="")))
    assert rows == [
        ["name", "amount", "when", "ok"],
        ["'@x", "2.5", "2015-01-22T09:30", "true"],
        ["a,b", "7", "2015-03-05", "false"],
    ]


def test_written_files_are_owner_only_and_no_temporary_file_remains(tmp_path: Path) -> None:
    write_csv(tmp_path / "a.csv", ["x"], [[1]])
    write_xlsx(tmp_path / "b.xlsx", {"S": (["x"], [[1]])})

    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.csv", "b.xlsx"]
    for name in ("a.csv", "b.xlsx"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o600


def test_csv_keeps_newlines_quotes_and_any_unicode(tmp_path: Path) -> None:
    texts = ["ligne 1\nligne 2", 'dit "oui"', "سلام", "👩🏽‍🏫 Zoë", "x" * 5000, ""]
    path = tmp_path / "u.csv"

    write_csv(path, ["t"], [[text] for text in texts])

    rows = list(
        csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline=""), delimiter=";")
    )
    assert [row[0] for row in rows[1:]] == texts


def test_render_csv_has_no_bom_and_plain_dialect_by_default() -> None:
    assert render_csv(["a", "b"], [[1, "-x"]]) == "a,b\n1,'-x\n"


def test_csv_cell_formats_boolean_in_english(monkeypatch: pytest.MonkeyPatch) -> None:
    from cotrain.i18n import set_language

    set_language("en")
    assert csv_cell(True) == "yes"
    assert csv_cell(Decimal("-0.5")) == "-0,5"


def test_xlsx_keeps_numbers_numeric_and_dates_as_dates_and_neutralises_text(tmp_path: Path) -> None:
    path = tmp_path / "r.xlsx"

    write_xlsx(
        path,
        {
            "Présence": (
                ["Nom", "Heures", "Taux", "Date"],
                [
                    ["=cmd|' /C calc'!A0", Decimal("10.5"), -0.25, date(2015, 1, 22)],
                    ["Zoé\x07", -3, Decimal("4"), None],
                ],
            ),
            "Autre": (["x"], []),
        },
    )

    book = load_workbook(path)
    assert book.sheetnames == ["Présence", "Autre"]
    sheet = book["Présence"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0] == ["Nom", "Heures", "Taux", "Date"]
    assert rows[1][:3] == ["'=cmd|' /C calc'!A0", 10.5, -0.25]
    assert rows[1][3] == datetime(2015, 1, 22)
    assert sheet["D2"].number_format == "DD/MM/YYYY"
    assert rows[2] == ["Zoé", -3, 4, None]
    assert sheet["B3"].data_type == "n"
    assert sheet["A2"].data_type == "s"
    assert [[c.value for c in row] for row in book["Autre"].iter_rows()] == [["x"]]


def test_xlsx_sheet_titles_are_made_valid_and_unique() -> None:
    assert sheet_title("Groupe A/B: [test]?") == "Groupe A-B- -test--"
    assert sheet_title("x" * 40) == "x" * 31
    assert sheet_title("Bilan", ["bilan"]) == "Bilan (2)"


def test_xlsx_round_trips_unicode_text(tmp_path: Path) -> None:
    texts = ["Françoise N'Diaye", "שלום עולם", "🙂🎉", "Ω" * 3000]
    path = tmp_path / "u.xlsx"

    write_xlsx(path, {"t": (["t"], [[text] for text in texts])})

    sheet = load_workbook(path).active
    assert [row[0].value for row in sheet.iter_rows(min_row=2)] == texts


@settings(max_examples=50, deadline=None)
@given(st.lists(st.text(max_size=30), min_size=1, max_size=5))
def test_excel_csv_round_trips_any_text_row(cells: list[str]) -> None:
    text = render_csv(["h"] * len(cells), [cells], excel=True)

    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    assert rows[1] == [neutralise(cell) for cell in cells]
