"""The fuzz tests' sandbox stops a runaway child (time, memory) instead of hanging the suite."""

from __future__ import annotations

import os

import pytest

from sandbox import LimitExceeded, run_limited

pytestmark = pytest.mark.skipif(os.name != "posix", reason="fork and setrlimit are POSIX")


def test_a_result_comes_back() -> None:
    assert run_limited(lambda: (1, "deux", None)) == (1, "deux", None)


def test_an_exception_comes_back() -> None:
    def fail() -> None:
        raise ValueError("mauvais")

    with pytest.raises(ValueError, match="mauvais"):
        run_limited(fail)


def test_an_endless_loop_is_stopped() -> None:
    def spin() -> None:
        while True:
            pass

    with pytest.raises(LimitExceeded):
        run_limited(spin, seconds=1)


def test_a_memory_hog_is_stopped() -> None:
    def hog() -> int:
        return len(bytearray(4 << 30))

    with pytest.raises(LimitExceeded):
        run_limited(hog, memory=512 << 20)
