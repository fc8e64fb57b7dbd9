"""kill -9 at random moments: every file is as before or as after, never half-written (issue 6).

Real ``cotrain`` processes are started and killed with SIGKILL at random moments while they
import a large applications file or mark attendance; after each kill every workspace file must
parse and be byte for byte either its state before the command or after it, and the next
command must work (``doctor`` reads every file; leftover temporary files are only warnings).
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest

from fixtures_integrity import applications_csv, medium_programme

pytestmark = pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX")

# 32 kills in all by default; COTRAIN_KILLS=100 makes each test kill that many times.
IMPORT_KILLS = int(os.environ.get("COTRAIN_KILLS", "20"))
ATTEND_KILLS = int(os.environ.get("COTRAIN_KILLS", "12"))


def cotrain(*args: str | Path) -> list[str]:
    exe = shutil.which("cotrain")
    head = [exe] if exe else [sys.executable, "-m", "cotrain"]
    return [*head, *(str(a) for a in args)]


def state(root: Path) -> dict[str, bytes]:
    """Every TOML file of the workspace, by name."""
    return {p.name: p.read_bytes() for p in sorted(root.glob("*.toml"))}


def comparable(data: bytes | None) -> bytes | None:
    """The file without the time it was written at (``updated_at``, ``at``): runs differ there."""
    if data is None:
        return None
    lines = data.split(b"\n")
    return b"\n".join(line for line in lines if not line.startswith((b"updated_at =", b"at =")))


def restore(root: Path, files: dict[str, bytes]) -> None:
    for leftover in root.glob(".*.tmp"):
        leftover.unlink()
    for path in root.glob("*.toml"):
        if path.name not in files:
            path.unlink()
    for name, data in files.items():
        (root / name).write_bytes(data)


def run_to_end(root: Path, args: list[str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(cotrain(*args, "-w", root), capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return time.perf_counter() - started


def kill_at_random(root: Path, args: list[str], *, kills: int, seed: int) -> dict[str, int]:
    """Kill the command ``kills`` times; check before/after each time; count the outcomes."""
    before = state(root)
    duration = run_to_end(root, args)
    after = state(root)
    assert after != before
    rng = random.Random(seed)
    outcomes = {"before": 0, "after": 0, "leftovers": 0}
    seen: list[float] = []
    for _ in range(kills):
        restore(root, before)
        # Half the kills anywhere in the run, half towards its end, where the writes are.
        delay = duration * (rng.uniform(0, 1.0) if rng.random() < 0.5 else rng.uniform(0.6, 1.1))
        process = subprocess.Popen(
            cotrain(*args, "-w", root), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()

        now = state(root)
        for name, data in now.items():
            tomllib.loads(data.decode("utf-8"))  # parses
            expected = (comparable(before.get(name)), comparable(after.get(name)))
            assert comparable(data) in expected, f"{name} is half-written"
        assert set(now) in (set(before), set(after))
        same_as_after = all(comparable(now[n]) == comparable(after[n]) for n in after if n in now)
        outcomes["after" if set(now) == set(after) and same_as_after else "before"] += 1
        leftovers = list(root.glob(".*.tmp"))
        outcomes["leftovers"] += bool(leftovers)
        if leftovers or len(seen) % 4 == 0:  # the next command reads every file
            doctor = subprocess.run(
                cotrain("doctor", "--json", "-w", root), capture_output=True, text=True
            )
            assert doctor.returncode == 0, doctor.stdout + doctor.stderr
            codes = {f["code"] for f in json.loads(doctor.stdout)["findings"]}
            assert codes <= {"temp_leftover"}
        seen.append(delay)
    return outcomes


@pytest.fixture
def programme(example_ws: Path) -> Path:
    os.chmod(example_ws, 0o700)
    for path in example_ws.rglob("*"):
        os.chmod(path, 0o700 if path.is_dir() else 0o600)
    medium_programme(example_ws, cities=50)
    return example_ws


def test_import_killed_at_any_moment_leaves_files_before_or_after(
    programme: Path, tmp_path: Path
) -> None:
    responses = tmp_path / "reponses-grandes.csv"
    responses.write_bytes(applications_csv(100, offset=100))

    outcomes = kill_at_random(programme, ["import", responses], kills=IMPORT_KILLS, seed=6)

    assert outcomes["before"] + outcomes["after"] == IMPORT_KILLS
    assert outcomes["before"] > 0 and outcomes["after"] > 0, outcomes
    done = subprocess.run(cotrain("import", responses, "-w", programme), capture_output=True)
    assert done.returncode == 0


def test_attend_killed_at_any_moment_leaves_files_before_or_after(programme: Path) -> None:
    run_to_end(programme, ["attend", "j1-matin", "--all-present"])

    outcomes = kill_at_random(
        programme, ["attend", "j2-matin", "--all-present"], kills=ATTEND_KILLS, seed=9
    )

    assert outcomes["before"] + outcomes["after"] == ATTEND_KILLS
    assert outcomes["before"] > 0, outcomes
