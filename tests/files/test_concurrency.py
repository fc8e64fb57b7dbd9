"""Two real ``cotrain attend`` processes marking at the same time lose nothing (issue 6).

Each worker runs a series of ``cotrain attend`` commands on its own half-days, both series at
once; every command loads ``attendance.toml``, changes it and saves it. Without the workspace
lock one worker's save would drop the other's marks; with it, every mark is there afterwards.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from cotrain.domain.attendance import AttendanceFile
from cotrain.files.attendance_store import ATTENDANCE
from cotrain.files.store import LOCK_NAME, load_model
from fixtures_integrity import medium_programme

pytestmark = pytest.mark.skipif(os.name != "posix", reason="flock is POSIX")

CHUNK = 35  # people per command: six commands per worker


def cotrain(*args: str | Path) -> list[str]:
    exe = shutil.which("cotrain")
    head = [exe] if exe else [sys.executable, "-m", "cotrain"]
    return [*head, *(str(a) for a in args)]


@pytest.fixture
def programme(example_ws: Path) -> tuple[Path, list[str]]:
    os.chmod(example_ws, 0o700)
    people = medium_programme(example_ws, cities=50)
    return example_ws, people


def worker(
    root: Path, sessions: list[str], people: list[str], status: str, errors: list[str]
) -> None:
    for session in sessions:
        for start in range(0, len(people), CHUNK):
            done = subprocess.run(
                cotrain(
                    "attend",
                    session,
                    *people[start : start + CHUNK],
                    "--status",
                    status,
                    "-w",
                    root,
                ),
                capture_output=True,
                text=True,
                env={**os.environ, "COTRAIN_LOCK_TIMEOUT": "120"},
            )
            if done.returncode != 0:
                errors.append(done.stderr)


def test_two_attend_processes_at_once_lose_no_mark(programme: tuple[Path, list[str]]) -> None:
    root, people = programme
    errors: list[str] = []
    plans = [
        (["j1-matin"], "present"),
        (["j2-matin"], "late"),
    ]
    threads = [
        threading.Thread(target=worker, args=(root, sessions, people, status, errors))
        for sessions, status in plans
    ]

    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    attendance = load_model(root / "attendance.toml", ATTENDANCE)
    assert isinstance(attendance, AttendanceFile)
    marks = attendance.marks()
    expected = {
        session: {person: status for person in people}
        for sessions, status in plans
        for session in sessions
    }
    assert {s: {p: v.value for p, v in m.items()} for s, m in marks.items()} == expected
    assert attendance.count() == 2 * len(people) > 400


def test_lock_of_a_killed_process_is_released_for_the_next_command(
    programme: tuple[Path, list[str]],
) -> None:
    root, people = programme
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\n"
            "from pathlib import Path\n"
            "from cotrain.files.store import workspace_lock\n"
            "with workspace_lock(Path(sys.argv[1])):\n"
            "    print('locked', flush=True)\n"
            "    time.sleep(600)\n",
            str(root),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
    assert json.loads((root / LOCK_NAME).read_text())["pid"] == holder.pid
    blocked = subprocess.run(
        cotrain("attend", "j1-matin", people[0], "-w", root),
        capture_output=True,
        text=True,
        env={**os.environ, "COTRAIN_LOCK_TIMEOUT": "0.5"},
    )
    assert blocked.returncode == 1
    assert str(holder.pid) in blocked.stderr

    holder.send_signal(signal.SIGKILL)
    holder.wait()
    # no wait at all: a lock left by the killed process would refuse the command at once
    done = subprocess.run(
        cotrain("attend", "j1-matin", people[0], "-w", root),
        capture_output=True,
        text=True,
        env={**os.environ, "COTRAIN_LOCK_TIMEOUT": "0"},
    )

    assert done.returncode == 0, done.stderr
    attendance = load_model(root / "attendance.toml", ATTENDANCE)
    assert isinstance(attendance, AttendanceFile)
    assert attendance.marks() == {"j1-matin": {people[0]: "present"}}
