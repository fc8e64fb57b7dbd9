"""mypy --strict on ``domain/`` and ``files/`` runs with the tests (STYLE.md, issue 13).

The settings are in ``pyproject.toml`` (``[tool.mypy]``); mypy's cache (``.mypy_cache/``) makes
the runs after the first take about a second.
"""

from __future__ import annotations

import subprocess
import sys

import pytest
from tests.conftest import REPO


def test_mypy_strict_finds_nothing_in_domain_and_files() -> None:
    pytest.importorskip("mypy")
    done = subprocess.run(
        [sys.executable, "-m", "mypy"], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout[-3000:]
    assert "Success" in done.stdout
