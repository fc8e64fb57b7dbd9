"""Every hostile input of ``tests/data/intake/hostile.py`` (or ``--set hostile3``) through the
installed ``cotrain`` (issue 16): exit code, wall time and peak memory measured from outside.

    python benchmarks/bench_hostile.py /tmp/bench-hostile [--cotrain PATH] [--set hostile3]

Each file is imported with ``--replace`` into a fresh copy of a workspace that already holds
the shipped example's applications; ``applications.toml`` must be unchanged afterwards unless
the import succeeded. A run is stopped at 30 s. Peak memory is the command's maximum resident
set size as GNU ``/usr/bin/time`` reports it (a child started straight from this script would
report this script's own size when larger), so it counts calamine's and Python's allocations.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "tests" / "data" / "intake"))
sys.path.insert(0, str(HERE))

from generate import new_workspace  # noqa: E402

LIMIT_SECONDS = 30


TIME = Path("/usr/bin/time")


def run(command: list[str]) -> tuple[int, float, int]:
    """Exit code, wall seconds and peak resident memory (KiB) of one command."""
    import tempfile

    report = Path(tempfile.mkstemp(suffix=".time")[1])
    if TIME.exists():
        command = [str(TIME), "-q", "-f", "%M", "-o", str(report), *command]
    start = time.perf_counter()
    process = subprocess.Popen(
        command,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "NO_COLOR": "1"},
    )
    deadline = start + LIMIT_SECONDS
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            process.kill()
            pid, status, usage = os.wait4(process.pid, 0)
            return -9, time.perf_counter() - start, usage.ru_maxrss
        time.sleep(0.01)
    seconds = time.perf_counter() - start
    measured = report.read_text().split() if TIME.exists() else []
    report.unlink()
    peak = int(measured[-1]) if measured and measured[-1].isdigit() else usage.ru_maxrss
    return os.waitstatus_to_exitcode(status), seconds, peak


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("folder", type=Path)
    parser.add_argument("--cotrain", default=shutil.which("cotrain") or "cotrain")
    parser.add_argument("--set", default="hostile", choices=("hostile", "hostile3", "hostile4"))
    args = parser.parse_args(argv)
    import importlib

    inputs_module = importlib.import_module(args.set)
    builders = [*inputs_module.BUILDERS, *getattr(inputs_module, "EXTRA", [])]
    folder: Path = args.folder
    folder.mkdir(parents=True, exist_ok=True)
    template = folder / "workspace"
    if not template.exists():
        from cotrain.cli.init import example_folder

        new_workspace(template)
        example = example_folder() / "reponses.csv"
        code, _, _ = run([args.cotrain, "import", str(example), "-w", str(template)])
        assert code == 0, "the example does not import"
    inputs = folder / "inputs"
    inputs.mkdir(exist_ok=True)
    print(f"cotrain: {args.cotrain}; load average {os.getloadavg()[0]:.1f}")
    print("| input | size | exit | wall (s) | peak memory (MB) | applications.toml |")
    print("|---|---:|---:|---:|---:|---|")
    worst_time = worst_memory = 0.0
    failures = 0
    for build in builders:
        name, data = build()
        path = inputs / name
        path.write_bytes(data)
        work = folder / "work"
        shutil.rmtree(work, ignore_errors=True)
        shutil.copytree(template, work)
        before = (work / "applications.toml").read_bytes()
        code, seconds, peak = run(
            [args.cotrain, "import", str(path), "-w", str(work), "--replace"]
        )
        after = (work / "applications.toml").read_bytes()
        kept = "unchanged" if after == before else ("imported" if code == 0 else "CHANGED")
        ok = code in (0, 1, 2) and seconds < LIMIT_SECONDS and peak < 1024 * 1024
        ok = ok and kept != "CHANGED"
        failures += not ok
        worst_time, worst_memory = max(worst_time, seconds), max(worst_memory, peak / 1024)
        size = f"{len(data) / 1024:.0f} KB" if len(data) < 1 << 20 else f"{len(data) >> 20} MB"
        megabytes = peak / 1024
        print(f"| {build.__name__} | {size} | {code} | {seconds:.2f} | {megabytes:.0f} | {kept} |")
    print(
        f"\n{failures} outside the bounds; slowest {worst_time:.2f} s, "
        f"largest {worst_memory:.0f} MB"
    )
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
