"""The code style is checked with the tests (STYLE.md: ruff runs with the tests by one command)."""

from __future__ import annotations

import subprocess
import sys

import pytest
from tests.conftest import REPO


def test_ruff_finds_nothing() -> None:
    pytest.importorskip("ruff")
    done = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "src", "tests", "benchmarks", "docs"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:]
