"""cotrain mix on shapes the reference's structure does not cover: cities as sets of words."""

from __future__ import annotations

import json
from collections import Counter
from itertools import combinations
from pathlib import Path

import pytest

from fixtures_mixing import cotraining_rows, write_people_csv

# no result of these tests depends on the machine's speed: work budgets decide
pytestmark = pytest.mark.usefixtures("frozen_search_clock")

ROLES = ["élu", "professionnel", "professionnel", "agent", "professionnel", "élu"]


def test_cities_of_six_reach_the_bound_the_same_on_every_run(tmp_path: Path, run) -> None:
    path = write_people_csv(tmp_path / "personnes.csv",
                            cotraining_rows(ROLES, "militant", prefix="v"))
    outputs = []
    for name in ("a.json", "b.json"):
        out = tmp_path / name
        result = run("mix", path, "--groups", "3", "--rounds", "5", "--min", "militant=2",
                     "--time-limit", "600", "--seed", "0", "--json", "--output", out)
        assert result.exit_code == 0, result.output
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]  # the node budget decides, not the clock
    data = json.loads(outputs[0])
    assert (data["quality"]["repeats"], data["lower_bound"], data["gap"]) == (672, 672, 0)
    assert data["lower_bound_proven"] is True and data["stopped_by"] == "optimal"
    assert data["violations"] == []
    # recounted here: 48 people, every pair meets, 2 per city and 2 activists in each group
    rounds = data["rounds"]
    assert len(rounds) == 5
    met: set[tuple[str, str]] = set()
    for groups in rounds:
        members = [g["members"] if isinstance(g, dict) else g for g in groups]
        assert sorted(len(g) for g in members) == [16, 16, 16]
        for group in members:
            cities = Counter(p.split("-")[0] for p in group if p.startswith("v"))
            assert set(cities.values()) == {2}
            assert sum(p.startswith("militant") for p in group) == 2
            met.update(combinations(sorted(group), 2))
    assert len(met) == 48 * 47 // 2
