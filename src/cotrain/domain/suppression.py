"""Small-cell suppression that subtraction cannot undo (issue 13).

A published table hides every cell describing fewer than ``small`` people (primary
suppression). That is not enough when totals are published too: a city of 2 shown as "< 3"
is recovered by subtracting the other cities from the total. So more cells are hidden
(complementary suppression) until no hidden cell can be computed from the published cells and
the table's sums, whatever combination of sums one uses.

The sums are given as relations ``sum(coefficient * cell) = 0`` (a total is a part with
coefficient -1). A hidden cell is computable exactly when, once the published cells are moved
to the right-hand side, the unit vector of that cell lies in the row space of the relations
restricted to the hidden cells: in the reduced row echelon form, its column is a pivot whose row
has no other non-zero entry. Hidden cells are added (the smallest cell of a relation that
exposes one) until none is computable.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

Relation = Sequence[tuple[int, int]]  # (cell index, coefficient)


def parts_make_total(parts: Sequence[int], total: int) -> list[tuple[int, int]]:
    """The relation "the cells ``parts`` add up to the cell ``total``"."""
    return [*((p, 1) for p in parts), (total, -1)]


def computable(relations: Sequence[Relation], hidden: set[int]) -> list[int]:
    """The hidden cells that the relations and the published cells give away, in order."""
    columns = sorted(hidden)
    where = {cell: k for k, cell in enumerate(columns)}
    rows: list[list[Fraction]] = []
    for relation in relations:
        row = [Fraction(0)] * len(columns)
        for cell, coefficient in relation:
            if cell in where:
                row[where[cell]] += coefficient
        if any(row):
            rows.append(row)
    pivots: list[tuple[int, int]] = []  # (row, column)
    top = 0
    for column in range(len(columns)):
        found = next((r for r in range(top, len(rows)) if rows[r][column] != 0), None)
        if found is None:
            continue
        rows[top], rows[found] = rows[found], rows[top]
        head = rows[top][column]
        rows[top] = [value / head for value in rows[top]]
        for r in range(len(rows)):
            if r != top and rows[r][column] != 0:
                factor = rows[r][column]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[top], strict=True)]
        pivots.append((top, column))
        top += 1
    return [
        columns[column]
        for row, column in pivots
        if sum(1 for value in rows[row] if value != 0) == 1
    ]


def suppress(
    people: Sequence[int],
    relations: Sequence[Relation],
    *,
    small: int,
    fixed: frozenset[int] = frozenset(),
) -> tuple[set[int], set[int]]:
    """The cells to hide: (primary, complementary).

    ``people[i]`` is the number of people cell ``i`` describes; cells of 1 to ``small - 1``
    people are hidden, then others (the smallest first) until no hidden cell is computable.
    Cells in ``fixed`` are published whatever they hold (headline totals).
    """
    primary = {i for i, n in enumerate(people) if 0 < n < small and i not in fixed}
    hidden = set(primary)
    while hidden:
        exposed = computable(relations, hidden)
        pick = next(
            (
                c
                for c in (_complement(cell, relations, hidden, people) for cell in exposed)
                if c is not None
            ),
            None,
        )
        if pick is None:  # nothing left to hide with them (never seen: kept for safety)
            break
        hidden.add(pick)
    return primary, hidden - primary


def _complement(
    cell: int, relations: Sequence[Relation], hidden: set[int], people: Sequence[int]
) -> int | None:
    """The published cell to hide with ``cell``: the smallest one sharing a relation with it."""
    best: tuple[tuple[bool, int, int], int] | None = None
    for relation in relations:
        members = [i for i, _ in relation]
        if cell not in members:
            continue
        for other in members:
            if other in hidden:
                continue
            key = (people[other] == 0, people[other], other)  # empty cells protect nobody
            if best is None or key < best[0]:
                best = (key, other)
    return None if best is None else best[1]
