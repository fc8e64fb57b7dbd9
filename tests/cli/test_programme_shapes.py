"""The six programme shapes of tests/data/programmes/make_programmes.py (issue 15), each set up
with ``cotrain init`` and its options and run through the whole pipeline, in-process through
the real command line: other counts of cities (3, 5, 9), days (1, 2, 4), activists (2, 4, 8)
and mixed groups (1, 2, 4), peer groups set, a triad without delegate, an optional delegate,
CNFPT-style publics, and activists co-leading (trainees and trainers at once).

The same shapes run from the installed ``cotrain``:
``python tests/data/programmes/make_programmes.py``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.data.programmes.make_programmes import SHAPES, run_shape


@pytest.mark.parametrize("shape", list(SHAPES))
def test_programme_shape_runs_end_to_end_with_its_groups_led(
    run, tmp_path: Path, shape: str
) -> None:
    def runner(*args: str | Path) -> tuple[int, str]:
        result = run(*args)
        return result.exit_code, result.output

    figures = run_shape(shape, tmp_path / shape, runner, cheap=True)

    expected = {
        "one-day": (3, 1, 2, 1),
        "triad-no-delegate": (5, 2, 4, 2),
        "large-counted": (9, 4, 8, 4),
        "optional-delegate": (5, 2, 4, 2),
        "cnfpt": (5, 4, 8, 2),
        "activists-co-lead": (4, 2, 4, 2),
    }[shape]
    got = (figures["cities"], figures["days"], figures["activists"], figures["mixed_groups"])
    assert got == expected
