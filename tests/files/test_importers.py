"""Reading tables (CSV, XLSX, JSON, TOML) and matching their headers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cotrain.domain.intake import FieldRef, Layout
from cotrain.enums import Role
from cotrain.errors import InputError
from cotrain.files.importers.headers import map_columns, match_header, parse_field_name
from cotrain.files.importers.tabular import read_table

DATA = Path(__file__).resolve().parents[1] / "data" / "intake"
EXAMPLE_CSV = (
    Path(__file__).resolve().parents[2] / "examples" / "seine-saint-denis-2015" / "reponses.csv"
)


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


# --- CSV ---------------------------------------------------------------------------------


def test_french_excel_csv_is_detected_as_cp1252_semicolon(tmp_path: Path) -> None:
    table = read_table(EXAMPLE_CSV)
    assert (table.detected.format, table.detected.encoding, table.detected.delimiter) == (
        "csv",
        "cp1252",
        ";",
    )
    assert table.headers[:3] == ("Horodatage", "Commune", "Territoire (EPT)")
    assert table.headers[5] == "Élu·e - Nom"
    assert len(table.rows) == 12
    assert table.rows[0].number == 2


def test_quoted_field_with_line_break_stays_one_cell_and_rows_keep_their_number() -> None:
    table = read_table(EXAMPLE_CSV)
    proof = table.headers.index("Référence de la délibération ou du bon de commande")
    assert table.rows[0].cells[proof] == "Délibération n° 2014-187\ndu 11 décembre 2014"
    assert [r.number for r in table.rows[:2]] == [2, 3]


def test_utf8_with_bom_strips_the_bom_from_the_first_header(tmp_path: Path) -> None:
    path = write(tmp_path / "r.csv", "Commune;Montant\r\nBondy;600,00\r\n", "utf-8-sig")
    table = read_table(path)
    assert (table.detected.encoding, table.headers) == ("utf-8-sig", ("Commune", "Montant"))


@pytest.mark.parametrize(("delimiter", "expected"), [(";", ";"), (",", ","), ("\t", "\t")])
def test_delimiter_is_detected(tmp_path: Path, delimiter: str, expected: str) -> None:
    text = delimiter.join(["Commune", "Élu·e - Nom", "Contribution"]) + "\n"
    text += (
        delimiter.join(["Bondy", "Karim Bouzid", '"600,50"' if delimiter == "," else "600,50"])
        + "\n"
    )
    table = read_table(write(tmp_path / "r.csv", text))
    assert table.detected.delimiter == expected
    assert table.rows[0].cells == ("Bondy", "Karim Bouzid", "600,50")


def test_utf16_with_bom_is_read(tmp_path: Path) -> None:
    path = write(tmp_path / "r.txt", "Commune\tMontant\r\nÉpinay\t300\r\n", "utf-16")
    table = read_table(path)
    assert (table.detected.encoding, table.rows[0].cells) == ("utf-16", ("Épinay", "300"))


def test_blank_rows_are_skipped(tmp_path: Path) -> None:
    table = read_table(write(tmp_path / "r.csv", "Commune;Montant\n;\nBondy;600\n\n"))
    assert [(r.number, r.cells) for r in table.rows] == [(3, ("Bondy", "600"))]


@pytest.mark.parametrize(
    ("content", "key"),
    [
        (b"", "intake.empty_file"),
        (b"   \r\n  ", "intake.empty_file"),
        (b"Commune;Contribution\r\n", "intake.no_rows"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "intake.binary_file"),
        (b"Commune\r\nSaint-Denis \x81\x8d\r\n", "intake.unknown_encoding"),
    ],
)
def test_unreadable_content_is_a_clear_input_error(
    tmp_path: Path, content: bytes, key: str
) -> None:
    from cotrain.i18n import t

    path = tmp_path / "reponses.csv"
    path.write_bytes(content)
    with pytest.raises(InputError) as caught:
        read_table(path)
    assert caught.value.message == t(key)
    assert caught.value.location is not None and caught.value.location.file == "reponses.csv"


def test_missing_file_and_folder_are_input_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="introuvable"):
        read_table(tmp_path / "absent.csv")
    with pytest.raises(InputError, match="dossier"):
        read_table(tmp_path)


# --- XLSX, JSON, TOML --------------------------------------------------------------------


def test_xlsx_reads_first_sheet_with_typed_cells_as_text() -> None:
    table = read_table(DATA / "reponses.xlsx")
    assert (table.detected.format, table.detected.sheet) == ("xlsx", "Réponses")
    first = dict(zip(table.headers, table.rows[0].cells, strict=False))
    assert first["Horodatage"] == "2014-12-03T09:12:45"
    assert first["Contribution financière (€)"] == "600"
    assert first["Note du comité"] == "16"
    assert table.rows[2].cells[table.headers.index("Note du comité")] == "15.5"


def test_xlsx_sheet_can_be_chosen_and_unknown_sheet_lists_the_sheets() -> None:
    assert read_table(DATA / "reponses.xlsx", sheet="Notes").headers == (
        "Export du formulaire de candidature",
    )
    with pytest.raises(InputError) as caught:
        read_table(DATA / "reponses.xlsx", sheet="Feuil1")
    assert (
        caught.value.message
        == "aucune feuille « Feuil1 » dans ce classeur (feuilles : Réponses, Notes)"
    )


def test_xlsx_named_csv_is_still_read_as_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes((DATA / "reponses.xlsx").read_bytes())
    assert read_table(path).detected.format == "xlsx"


def test_corrupt_xlsx_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "r.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 64)
    with pytest.raises(InputError, match="classeur illisible"):
        read_table(path)


def test_json_list_and_rows_object_give_the_same_table(tmp_path: Path) -> None:
    rows = [
        {"City": "Bondy", "Amount": 600.5, "Committed": True},
        {"City": "Stains", "Amount": None},
    ]
    listed = read_table(write(tmp_path / "a.json", json.dumps(rows)))
    wrapped = read_table(write(tmp_path / "b.json", json.dumps({"rows": rows})))
    assert listed.headers == wrapped.headers == ("City", "Amount", "Committed")
    assert [r.cells for r in listed.rows] == [r.cells for r in wrapped.rows]
    assert listed.rows[0].cells == ("Bondy", "600.5", "true")
    assert (
        listed.location(listed.rows[1], "Amount").render()
        == "a.json, colonne « Amount », clé rows[2]"
    )


def test_json_of_the_wrong_shape_or_syntax_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="liste de lignes"):
        read_table(write(tmp_path / "a.json", '{"city": "Bondy"}'))
    with pytest.raises(InputError) as caught:
        read_table(write(tmp_path / "b.json", '[{"city": "Bondy",}]'))
    assert caught.value.location.line == 1


def test_toml_rows_tables_are_read(tmp_path: Path) -> None:
    table = read_table(DATA / "reponses.toml")
    assert table.detected.format == "toml"
    assert len(table.rows) == 48
    with pytest.raises(InputError, match="TOML"):
        read_table(write(tmp_path / "x.toml", "[[rows]\n"))


# --- headers -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("Élu·e - Nom", FieldRef("name", Role.ELECTED)),
        ("élu.e - nom", FieldRef("name", Role.ELECTED)),
        ("Elu(e) - Nom", FieldRef("name", Role.ELECTED)),
        ("ELU - NOM", FieldRef("name", Role.ELECTED)),
        ("Élue – Courriel", FieldRef("email", Role.ELECTED)),
        ("Professionnel·le 2 - Engagement nominatif", FieldRef("committed", Role.PROFESSIONAL, 2)),
        ("Professionnel(le) 3 - Fonction", FieldRef("job_title", Role.PROFESSIONAL, 3)),
        ("Délégué·e du préfet - Courriel", FieldRef("email", Role.PREFECT_DELEGATE)),
        ("Courriel du délégué du préfet", FieldRef("email", Role.PREFECT_DELEGATE)),
        ("Prénom de l'élu·e", FieldRef("first_name", Role.ELECTED)),
        ("Prefect's delegate - Email", FieldRef("email", Role.PREFECT_DELEGATE)),
        ("Professional 1 - Commitment", FieldRef("committed", Role.PROFESSIONAL, 1)),
        ("Contribution financière (€)", FieldRef("contribution")),
        ("Financial contribution (€)", FieldRef("contribution")),
        ("Horodatage", FieldRef("submitted_at")),
        ("Territoire (EPT)", FieldRef("territory")),
        ("Nombre de QPV", FieldRef("priority_neighbourhoods")),
        ("Référence de la délibération ou du bon de commande", FieldRef("contribution_proof")),
        ("Note du comité", FieldRef("score")),
        ("Engagement nominatif sur les 4,5 jours", FieldRef("committed")),
        ("Rôle", FieldRef("role")),
        ("Adresse IP", FieldRef("ignore")),
        ("Couleur préférée", None),
    ],
)
def test_known_headers_match_their_field(header: str, expected: FieldRef | None) -> None:
    assert match_header(header) == expected


def test_custom_columns_map_any_header() -> None:
    custom = {"Nom de la collectivité candidate": "city", "Mail agent 2": "professional.2.email"}
    assert match_header("nom de la collectivite candidate", custom) == FieldRef("city")
    assert match_header("MAIL AGENT 2", custom) == FieldRef("email", Role.PROFESSIONAL, 2)
    assert parse_field_name("professional.0.email") is None
    assert parse_field_name("mayor.email") is None


KNOWN = {
    "Élu·e - Nom": FieldRef("name", Role.ELECTED),
    "Professionnel·le 2 - Courriel": FieldRef("email", Role.PROFESSIONAL, 2),
    "Délégué·e du préfet - Engagement nominatif": FieldRef("committed", Role.PREFECT_DELEGATE),
    "Contribution financière (€)": FieldRef("contribution"),
    "Territoire (EPT)": FieldRef("territory"),
    "Référence de la délibération": FieldRef("contribution_proof"),
}
_ACCENTS = {"é": "e", "è": "e", "É": "E", "ï": "i", "ô": "o", "à": "a"}


@st.composite
def header_variant(draw: st.DrawFn) -> tuple[str, FieldRef]:
    header = draw(st.sampled_from(sorted(KNOWN)))
    expected = KNOWN[header]
    dot = draw(st.sampled_from(["·", ".", "•", "-", "(", ""]))
    text = header.replace("·e", {"(": "(e)", "": ""}.get(dot, f"{dot}e"))
    text = text.replace("·le", {"(": "(le)", "": ""}.get(dot, f"{dot}le"))
    out = []
    for char in text:
        if char in _ACCENTS and draw(st.booleans()):
            char = _ACCENTS[char]
        if char.isalpha():
            char = char.upper() if draw(st.booleans()) else char.lower()
        if char == " ":
            char = draw(st.sampled_from([" ", "  ", "\u00a0", " \t"]))
        out.append(char)
    padding = draw(st.sampled_from(["", " ", "  "]))
    return padding + "".join(out) + padding, expected


@settings(max_examples=300, deadline=None)
@given(header_variant())
def test_any_accent_case_spacing_or_dot_variant_of_a_known_header_matches(
    case: tuple[str, FieldRef],
) -> None:
    header, expected = case
    assert match_header(header) == expected


def test_layout_comes_from_the_headers() -> None:
    per_city = read_table(EXAMPLE_CSV)
    per_person = read_table(DATA / "reponses-par-personne.csv")
    assert map_columns(per_city).layout is Layout.PER_CITY
    assert map_columns(per_person).layout is Layout.PER_PERSON


def test_missing_required_columns_are_named_with_the_headers_found(tmp_path: Path) -> None:
    table = read_table(
        write(tmp_path / "r.csv", "Ville;Rôle;Nom;Courriel\nBondy;élu;Karim Bouzid;k@b.fr\n")
    )
    with pytest.raises(InputError) as caught:
        map_columns(table)
    error = caught.value
    assert error.message == (
        "2 colonne(s) obligatoire(s) introuvable(s) : « Engagement nominatif », « Contribution financière (€) »"
    )
    assert error.details == ["colonnes trouvées : « Ville », « Rôle », « Nom », « Courriel »"]


def test_required_columns_follow_the_eligibility_rules(tmp_path: Path) -> None:
    table = read_table(write(tmp_path / "r.csv", "Ville;Rôle;Nom\nBondy;élu;Karim Bouzid\n"))
    assert (
        map_columns(table, require_commitment=False, require_contribution=False).layout
        is Layout.PER_PERSON
    )


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 11), st.integers(0, 40), st.text(max_size=12)),
        min_size=1,
        max_size=6,
    )
)
def test_any_cell_content_gives_applications_or_an_input_error_never_a_crash(edits) -> None:
    from dataclasses import replace

    from cotrain.domain.intake import build_applications
    from cotrain.files.importers.headers import source_rows

    table = read_table(EXAMPLE_CSV)
    rows = [list(r.cells) for r in table.rows]
    for row, column, text in edits:
        rows[row][column % len(table.headers)] = text
    edited = replace(
        table, rows=tuple(replace(r, cells=tuple(c)) for r, c in zip(table.rows, rows, strict=True))
    )
    columns = map_columns(edited)
    try:
        applications = build_applications(source_rows(edited, columns), layout=columns.layout)
    except InputError as error:
        assert error.details
    else:
        assert len({a.city_id for a in applications}) <= 12


def test_damaged_workbook_is_an_input_error(tmp_path: Path) -> None:
    data = bytearray((DATA / "reponses.xlsx").read_bytes())
    data[len(data) // 2 : len(data) // 2 + 40] = b"\x00" * 40
    path = tmp_path / "abime.xlsx"
    path.write_bytes(bytes(data))
    with pytest.raises(InputError, match="classeur illisible"):
        read_table(path)


# --- size limits (issue 16): each one refused with a clear error --------------------------


def _limit_error(path: Path, **limits: int) -> str:
    from cotrain.files.importers.tabular import Limits

    with pytest.raises(InputError) as caught:
        read_table(path, limits=Limits(**limits))
    assert caught.value.location is not None and caught.value.location.file == path.name
    return caught.value.message


def _workbook(path: Path, rows: list[list[object]], merges: tuple[str, ...] = ()) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    for merge in merges:
        sheet.merge_cells(merge)
    book.save(path)
    return path


@pytest.mark.parametrize(
    ("limit", "what"),
    [("bytes", "taille en octets"), ("rows", "nombre de lignes"), ("columns", "nombre de colonnes")],
)
def test_csv_size_limits(tmp_path: Path, limit: str, what: str) -> None:
    path = tmp_path / "r.csv"
    path.write_text("\n".join([";".join(f"c{i}" for i in range(30))] + ["x;" * 29 + "x"] * 40) + "\n")
    message = _limit_error(path, **{limit: 20})
    assert message.startswith(f"fichier trop gros : {what} ")
    assert message.endswith("(limite : 20)")


@pytest.mark.parametrize(
    ("limit", "value", "what"),
    [
        ("rows", 5, "nombre de lignes"),
        ("columns", 5, "nombre de colonnes"),
        ("cells", 50, "nombre de cellules"),
        ("unzipped", 2000, "taille décompressée en octets"),
        ("merged", 1, "nombre de cellules fusionnées"),
    ],
)
def test_workbook_size_limits(tmp_path: Path, limit: str, value: int, what: str) -> None:
    rows: list[list[object]] = [[f"h{i}" for i in range(10)]]
    rows += [[f"{'long text ' * 10}{r}-{c}" for c in range(10)] for r in range(10)]
    path = _workbook(tmp_path / "r.xlsx", rows, merges=("A2:A3", "B2:B3"))
    message = _limit_error(path, **{limit: value})
    assert message.startswith(f"fichier trop gros : {what} "), message
    assert message.endswith(f"(limite : {value})")


def test_shared_string_limits(tmp_path: Path) -> None:
    import sys

    sys.path.insert(0, str(DATA))
    from hostile import _xlsx

    shared = "".join(f"<si><t>{'texte ' * 20}{i}</t></si>" for i in range(20))
    rows = "".join(f'<row r="{r}"><c r="A{r}" t="s"><v>{r % 20}</v></c></row>' for r in range(1, 40))
    path = tmp_path / "r.xlsx"
    path.write_bytes(_xlsx(f"<sheetData>{rows}</sheetData>", shared))
    assert _limit_error(path, shared_strings=10) == (
        "fichier trop gros : nombre de textes partagés 20 (limite : 10)"
    )
    assert _limit_error(path, text=1000).startswith("fichier trop gros : volume de texte (caractères)")
    assert len(read_table(path).rows) == 38


def test_ods_size_limits(tmp_path: Path) -> None:
    import sys

    sys.path.insert(0, str(DATA))
    from make_form_exports import write_ods

    path = tmp_path / "r.ods"
    write_ods(path, [("S", [[f"h{i}" for i in range(12)], ["x"] * 12, ["y"] * 12], [(1, 0, 2, 0)])])
    assert _limit_error(path, columns=10).startswith("fichier trop gros : nombre de colonnes")
    assert _limit_error(path, merged=0).startswith("fichier trop gros : nombre de cellules fusionnées")
    assert _limit_error(path, cells=20).startswith("fichier trop gros : nombre de cellules")


def test_ods_merged_cells_fill_every_row_they_cover(tmp_path: Path) -> None:
    import sys

    sys.path.insert(0, str(DATA))
    from make_form_exports import write_ods

    path = tmp_path / "r.ods"
    rows = [["Ville", "Nom", "Montant"], ["Bondy", "A", "600"], ["", "B", ""], ["", "C", ""]]
    write_ods(path, [("S", rows, [(1, 0, 3, 0), (1, 2, 3, 2)])])
    table = read_table(path)
    assert [r.cells for r in table.rows] == [
        ("Bondy", "A", "600"),
        ("Bondy", "B", "600"),
        ("Bondy", "C", "600"),
    ]


def test_xlsx_header_row_is_found_under_merged_titles_and_total_rows_skipped(tmp_path: Path) -> None:
    rows = [
        ["Candidatures 2015", None, None],
        [None, None, None],
        ["Commune", "Élu·e - Nom", "Contribution"],
        ["Bondy", "Awa", 600],
        [None, None, None],
        ["TOTAL", None, 600],
    ]
    path = _workbook(tmp_path / "r.xlsx", rows, merges=("A1:C1",))
    table = read_table(path)
    assert table.headers == ("Commune", "Élu·e - Nom", "Contribution")
    assert table.detected.header_row == 3
    assert [r.number for r in table.rows] == [4]
    assert table.notes == (
        "1 ligne(s) au-dessus des en-têtes ignorée(s) (titre) ; en-têtes lus ligne 3",
        "ligne 6 ignorée : ligne de total",
    )


def test_rows_and_locations_made_fast_equal_those_made_by_their_classes() -> None:
    # tabular.raw_row, tabular.row_location and SourceRow.made skip the frozen dataclasses'
    # __init__ (issue 16): the objects must be the same in every way that is used.
    import copy
    import dataclasses

    from cotrain.domain.intake import Cell, FieldRef, SourceRow
    from cotrain.errors import Location
    from cotrain.files.importers.tabular import RawRow, raw_row, row_location

    pairs = [
        (raw_row(3, ("a", "")), RawRow(3, ("a", ""))),
        (row_location("f.csv", 7), Location(file="f.csv", row=7)),
    ]
    cells = {FieldRef("city"): Cell("Commune", "Bondy")}
    pairs.append(
        (
            SourceRow.made(Location(file="f.csv", row=2), cells, {"x": "y"}),
            SourceRow(Location(file="f.csv", row=2), cells, {"x": "y"}),
        )
    )
    for fast, made in pairs:
        assert fast == made
        assert repr(fast) == repr(made)
        assert vars(fast) == vars(made) and list(vars(fast)) == list(vars(made))
        assert dataclasses.asdict(fast) == dataclasses.asdict(made)
        assert copy.copy(fast) == made
        with pytest.raises(dataclasses.FrozenInstanceError):
            fast.__setattr__(dataclasses.fields(fast)[0].name, None)
    assert hash(pairs[0][0]) == hash(pairs[0][1]) and hash(pairs[1][0]) == hash(pairs[1][1])
    assert row_location("f.csv", 7).render() == Location(file="f.csv", row=7).render()
