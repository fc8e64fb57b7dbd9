"""What the import tests share: the stored applications of a workspace, read back."""

from __future__ import annotations

import tomllib
from pathlib import Path

from cotrain.domain.models import ApplicationsFile


def applications(ws: Path) -> ApplicationsFile:
    """``applications.toml`` of ``ws``, validated as the commands read it."""
    return ApplicationsFile.model_validate(tomllib.loads((ws / "applications.toml").read_text()))


# The shipped example's twelve cities, however they are exported: 7 eligible, and why not
EXAMPLE_ELIGIBLE = [
    "aubervilliers",
    "bondy",
    "clichy-sous-bois",
    "lile-saint-denis",
    "montreuil",
    "saint-denis",
    "sevran",
]
EXAMPLE_FAILURES = {
    "aulnay-sous-bois": ["not_committed"],
    "bobigny": ["role_missing"],
    "epinay-sur-seine": ["contribution_below_minimum"],
    "noisy-le-grand": ["role_too_many"],
    "stains": ["contribution_missing"],
}


def assert_checked_as_the_example(run, ws: Path) -> None:  # type: ignore[no-untyped-def]
    """``cotrain check --json`` in ``ws`` gives the example's 7 of 12, for the same reasons."""
    import json

    checked = run("check", "-w", ws, "--json")
    assert checked.exit_code == 0, checked.output
    report = json.loads(checked.stdout)
    assert sorted(c["city_id"] for c in report["cities"] if c["eligible"]) == EXAMPLE_ELIGIBLE
    failures = {
        c["city_id"]: [f["code"] for f in c["failures"]]
        for c in report["cities"]
        if not c["eligible"]
    }
    assert failures == EXAMPLE_FAILURES


def imported(run, ws: Path, path: Path, *more: str):  # type: ignore[no-untyped-def]
    """``cotrain import PATH -w WS MORE...``, which must succeed; its result."""
    result = run("import", path, "-w", ws, *more)
    assert result.exit_code == 0, result.output
    return result
