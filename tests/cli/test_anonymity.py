"""Anonymised reports cannot be re-identified by their order or by subtraction (issue 13)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.fixtures_attendance import CITIES, FIRST, full_grid, make_workspace, write_grid_csv

from cotrain.domain.suppression import computable, parts_make_total, suppress
from cotrain.files.workspace import APPLICATIONS, Workspace

ACTIVISTS = [
    "Awa Diallo",
    "Joëlle Kergoat",
    "Patrick L'Hermitte",
    "Nadia Ben Saïd",
    "Gérard Dupont-Moreau",
    "Françoise Ménard",
]

RECIPIENTS = [f"{first} {city}" for _, city in CITIES for first in FIRST]


@pytest.fixture
def ws(tmp_path: Path, run) -> Path:
    root = make_workspace(tmp_path / "ws")
    sheet = write_grid_csv(root / "emargement.csv", full_grid(RECIPIENTS + ACTIVISTS, {}))
    assert run("attendance", "import", sheet, "-w", root).exit_code == 0
    return root


def shrink_first_city(root: Path, keep: int) -> None:
    """Leave only ``keep`` people in the first city: a small cell."""
    ws = Workspace.open(root)
    apps = ws.load(APPLICATIONS)
    first = apps.applications[0]
    smaller = first.model_copy(update={"people": first.people[:keep]})
    ws.save(APPLICATIONS, apps.model_copy(update={"applications": [smaller, *apps.applications[1:]]}))


def report(run, root: Path, *args: str) -> dict:
    result = run("report", "--json", "--anonymise", *args, "-w", root)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_person_rows_come_in_a_new_random_order_each_export(run, ws: Path) -> None:
    named = [r["id"] for r in json.loads(run("report", "--json", "--by", "person", "-w", ws).stdout)["rows"]]
    orders = [[r["id"] for r in report(run, ws, "--by", "person")["rows"]] for _ in range(3)]

    assert len({tuple(o) for o in orders}) == 3
    assert all(sorted(o) == sorted(orders[0]) for o in orders)
    from cotrain.domain.rates import pseudonyms
    from cotrain.files.attendance_store import workspace_secret

    mapping = pseudonyms(named, workspace_secret(Workspace.open(ws)))
    assert orders[0] != [mapping[i] for i in named]


def test_a_small_city_cannot_be_recovered_by_subtraction(run, ws: Path) -> None:
    shrink_first_city(ws, keep=2)

    data = report(run, ws, "--by", "city")

    rows = data["rows"]
    cities = [r for r in rows if r["key"] != "activists"]
    hidden = [r for r in cities if r["suppressed"]]
    assert len(hidden) >= 2  # the city of 2, and at least one more
    assert data["overall"]["recipients"] is None or len(hidden) >= 2
    # The attack of the audit: total minus the published cities.
    if data["overall"]["recipients"] is not None:
        published = sum(r["people"] for r in cities if not r["suppressed"])
        assert data["overall"]["recipients"]["people"] - published != 2 or len(hidden) > 1


def test_complementary_cells_are_marked_hidden_not_small(run, ws: Path) -> None:
    shrink_first_city(ws, keep=2)

    text = run("report", "--by", "city", "--anonymise", "--format", "csv", "-w", ws).stdout

    assert text.count("< 3") == 1
    assert text.count("masqué") >= 1


def test_small_activists_cannot_be_recovered_from_all_minus_recipients(run, ws: Path) -> None:
    config = ws / "cotrain.toml"
    config.write_text(config.read_text().replace("small_cell = 3", "small_cell = 7"))

    data = report(run, ws, "--by", "role")

    overall = data["overall"]
    assert overall["activists"] is None
    assert overall["recipients"] is None or overall["all"] is None
    roles = {r["key"]: r for r in data["rows"]}
    assert roles["activist"]["suppressed"]
    # Recipients' roles add up to the recipients: never one hidden alone in that sum.
    in_sum = [r["suppressed"] for k, r in roles.items() if k != "activist"]
    assert sum(in_sum) + (overall["recipients"] is None) != 1


def test_the_follow_up_list_is_only_counted_when_anonymised(run, ws: Path) -> None:
    data = report(run, ws)

    assert data["follow_up"] == []
    assert isinstance(data["follow_up_count"], int)


@pytest.mark.parametrize(
    ("people", "small"),
    [([2, 10, 12], 3), ([2, 1, 40], 3), ([1, 5, 5, 5, 5], 3), ([2, 2, 2, 9], 3), ([4, 4], 5)],
)
def test_no_hidden_cell_is_computable_from_the_published_ones(people: list[int], small: int) -> None:
    cells = [*people, sum(people)]
    relations = [parts_make_total(list(range(len(people))), len(people))]

    primary, complement = suppress(cells, relations, small=small)

    hidden = primary | complement
    assert primary == {i for i, n in enumerate(cells) if 0 < n < small}
    assert computable(relations, hidden) == []
    assert len(hidden & set(range(len(people)))) != 1


def test_a_two_way_table_hides_enough_in_rows_and_columns() -> None:
    # 3 cities x 2 roles, row totals, column totals and the grand total.
    grid = [[2, 8], [6, 7], [9, 5]]
    cells = [n for row in grid for n in row]
    row_totals = [sum(r) for r in grid]
    col_totals = [sum(c) for c in zip(*grid, strict=True)]
    cells += row_totals + col_totals + [sum(row_totals)]
    relations = [parts_make_total([2 * r, 2 * r + 1], 6 + r) for r in range(3)]
    relations += [parts_make_total([c, 2 + c, 4 + c], 9 + c) for c in range(2)]
    relations += [parts_make_total([6, 7, 8], 11), parts_make_total([9, 10], 11)]

    primary, complement = suppress(cells, relations, small=3)

    assert primary == {0}
    assert computable(relations, primary | complement) == []
    assert len(complement) >= 3  # its row, its column, and the corner that closes them


def test_the_anonymised_bilan_cannot_be_undone_by_subtraction(run, ws: Path) -> None:
    shrink_first_city(ws, keep=2)  # a city of 2: its elected official and one professional

    result = run("bilan", "--json", "--anonymise", "-w", ws)

    assert result.exit_code == 0, result.output
    bilan = json.loads(result.stdout)
    cohort = bilan["cohort"]
    rows = cohort["by_city"]
    hidden_totals = [r for r in rows if r["total"] is None]
    assert len(hidden_totals) >= 2  # the city of 2 and another: recipients minus the rest fails
    for role in ("elected", "professional", "prefect_delegate"):
        column = [r["counts"][role] for r in rows] + [cohort["by_role"][role]]
        assert sum(v is None for v in column) != 1, role
    for row in rows:
        line = [*row["counts"].values(), row["total"]]
        assert sum(v is None for v in line) != 1, row["city_id"]
    cities = [r for r in bilan["attendance"]["by_city"] if not r["is_activists"]]
    assert sum(r["suppressed"] for r in cities) >= 2
