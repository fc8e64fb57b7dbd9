"""cotrain mix on a co-training over 3 rounds: at the bound from the start, the same plan on
every run (work budgets only: the search clock is frozen)."""

from __future__ import annotations

import json
from collections import Counter
from itertools import combinations
from pathlib import Path

import pytest

from fixtures_mixing import cotraining_rows, write_people_csv

pytestmark = pytest.mark.usefixtures("frozen_search_clock")

ROLES = ["élu", "professionnel", "professionnel", "agent"]


def test_three_rounds_end_at_the_bound_the_same_on_every_run(tmp_path: Path, run) -> None:
    path = write_people_csv(tmp_path / "personnes.csv", cotraining_rows(ROLES, "militant"))
    outputs = []
    for name in ("a.json", "b.json"):
        out = tmp_path / name
        result = run("mix", path, "--groups", "3", "--rounds", "3", "--min", "militant=2",
                     "--seed", "1", "--json", "--output", out)
        assert result.exit_code == 0, result.output
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    data = json.loads(outputs[0])
    assert (data["quality"]["repeats"], data["lower_bound"], data["gap"]) == (96, 96, 0)
    assert data["stopped_by"] == "optimal" and data["violations"] == []
    # recounted here: 34 people in groups of 12/11/11, each city 2-1-1, 2 activists a group
    meetings: Counter[tuple[str, str]] = Counter()
    for groups in data["rounds"]:
        members = [g["members"] if isinstance(g, dict) else g for g in groups]
        assert sorted(len(g) for g in members) == [11, 11, 12]
        for group in members:
            cities = Counter(p.split("-")[0] for p in group if p.startswith("c"))
            assert len(cities) == 7 and set(cities.values()) <= {1, 2}
            assert sum(p.startswith("militant") for p in group) == 2
            meetings.update(combinations(sorted(group), 2))
    assert sum(c - 1 for c in meetings.values()) == 96
