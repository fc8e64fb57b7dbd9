"""What the mixing engine's tests share: a clock that never moves, co-training problems of
any shape, and the pairs a plan leaves unmet."""

from __future__ import annotations

import csv
import itertools
from collections.abc import Iterable
from pathlib import Path

from cotrain.domain.scheduling.mixing import MixPerson, MixProblem, _meeting_counts

# The reference programme's city: an elected official, two professionals, a delegate
CITY_ROLES = ("elected", "professional", "professional", "prefect_delegate")


def NO_CLOCK() -> float:  # noqa: N802 - a clock that never moves: results rest on work budgets
    return 0.0


def cotraining(cities: int = 7, city_roles: tuple[str, ...] = CITY_ROLES,
               activists: int = 6, rounds: int = 5, **kw: object) -> MixProblem:
    """``cities`` cities of ``city_roles`` and ``activists`` activists in 3 groups (at least 2
    activists each); ids ``c<city>-<i>`` and ``act<i>``."""
    people = [MixPerson(f"c{c}-{i}", role, f"city{c}")
              for c in range(cities) for i, role in enumerate(city_roles)]
    people += [MixPerson(f"act{a}", "activist") for a in range(activists)]
    return MixProblem(tuple(people), rounds, 3, {"activist": 2}, **kw)  # type: ignore[arg-type]


def unmet_pairs(problem: MixProblem, rounds: object) -> set[tuple[str, str]]:
    """The pairs of people who never share a group in ``rounds``."""
    met = _meeting_counts(problem, rounds)  # type: ignore[arg-type]
    ids = sorted(p.id for p in problem.people)
    return {(a, b) for a, b in itertools.combinations(ids, 2) if not met.get((a, b))}


def cotraining_rows(city_roles: tuple[str, ...] | list[str], activist_role: str, *,
                    cities: int = 7, activists: int = 6,
                    prefix: str = "c") -> list[tuple[str, str, str]]:
    """A co-training's people as ``cotrain mix`` reads them: (id, role, city) rows."""
    rows = [(f"{prefix}{c}-{i}", role, f"ville-{c}")
            for c in range(cities) for i, role in enumerate(city_roles)]
    return rows + [(f"militant-{a}", activist_role, "") for a in range(activists)]


def write_people_csv(path: Path, rows: Iterable[tuple[str, str, str]],
                     encoding: str = "utf-8") -> Path:
    """``rows`` as a French spreadsheet's CSV (``;``) under the headers Identifiant, Rôle, Ville."""
    with path.open("w", newline="", encoding=encoding) as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["Identifiant", "Rôle", "Ville"])
        writer.writerows(rows)
    return path
