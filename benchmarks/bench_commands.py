"""Times every command on large programmes, with baselines measured in the same run (issue 6).

    python benchmarks/generate.py /tmp/bench            # once (deterministic, seed 2015)
    python benchmarks/bench_commands.py /tmp/bench [--runs 5] [--markdown out.md] [--quick]

Each command runs in a fresh process (``subprocess``), ``--runs`` times; the table gives the
median wall time (``time.perf_counter``), the median CPU time of the process (user + system,
from ``resource.getrusage(RUSAGE_CHILDREN)``, which a busy machine does not inflate) and the
peak memory (maximum resident set size). Each run is wrapped in its own small Python process
so that the peak is that run's, not the largest so far.

Targets (issue 6): ``cotrain --version`` within 1.5 x ``python -c "import typer"``;
``cotrain --help`` within 1.3 x the ``--help`` of a two-command Typer app
(``benchmarks/baseline_app.py``); import plus check of 10,000 applications under 2 s; a report
over 100,000 attendance marks under 1 s; under 200 MB for all of them.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
TYPER_IMPORT = 'python -c "import typer"'
COTRAIN = shutil.which("cotrain") or f"{sys.executable} -m cotrain"
# Runs one command, then prints its wall time, CPU time and peak memory (KiB on Linux) as JSON.
PROBE = r"""
import json, resource, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run(sys.argv[2:], cwd=sys.argv[1] or None,
                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
wall = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"wall": wall, "cpu": usage.ru_utime + usage.ru_stime,
                  "rss_kib": usage.ru_maxrss, "code": done.returncode}))
"""


@dataclass
class Measure:
    label: str
    wall: float
    cpu: float
    peak_mb: float
    code: int


def probe(args: list[str], cwd: Path | None, env: dict[str, str]) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-c", PROBE, str(cwd or ""), *args],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    return json.loads(out.stdout)


def measure(
    label: str,
    args: list[str],
    *,
    runs: int,
    cwd: Path | None = None,
    before=None,
    expect: tuple[int, ...] = (0,),
) -> Measure:
    env = {**os.environ, "COLUMNS": "120", "NO_COLOR": "1"}
    results = []
    for _ in range(runs):
        if before is not None:
            before()
        result = probe(args, cwd, env)
        results.append(result)
        if result["code"] not in expect:
            print(f"{label}: exit {result['code']} ({' '.join(args)})", file=sys.stderr)
            break
    scale = 1024 if sys.platform != "darwin" else 1024 * 1024
    return Measure(
        label,
        statistics.median(r["wall"] for r in results),
        statistics.median(r["cpu"] for r in results),
        max(r["rss_kib"] for r in results) / scale,
        int(results[-1]["code"]),
    )


def cotrain(*args: str) -> list[str]:
    return [*COTRAIN.split(), *args]


def fresh_copy(source: Path, target: Path):
    def reset() -> None:
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(source, target)

    return reset


def run_all(data: Path, runs: int, *, quick: bool = False) -> list[Measure]:
    intake, p9, p100 = data / "intake", data / "programme-9", data / "programme-100"
    work = data / "work"
    csv_file = data / "applications-10000.csv"
    out: list[Measure] = []
    add = out.append

    add(measure(TYPER_IMPORT, [sys.executable, "-c", "import typer"], runs=runs))
    add(measure("cotrain --version", cotrain("--version"), runs=runs))
    add(
        measure(
            "baseline_app.py --help",
            [sys.executable, str(HERE / "baseline_app.py"), "--help"],
            runs=runs,
        )
    )
    add(measure("cotrain --help", cotrain("--help"), runs=runs))

    # 10,000 applications from 2,000 cities: import into a fresh copy each time, then check.
    add(
        measure(
            "import 10,000 applications",
            cotrain("import", str(csv_file), "-w", str(work)),
            runs=runs,
            before=fresh_copy(intake, work),
        )
    )
    add(measure("check (2,000 cities)", cotrain("check", "-w", str(work)), runs=runs))
    if quick:  # start-up and import + check only (--quick)
        return out
    add(
        measure(
            "check --json (2,000 cities)", cotrain("check", "--json", "-w", str(work)), runs=runs
        )
    )
    add(measure("doctor (10,000 applications)", cotrain("doctor", "-w", str(work)), runs=runs))

    # 1,000 participants over 9 half-days: the schedule (once: the search has a time budget).
    add(
        measure(
            "schedule (1,000 people, 9 half-days)",
            cotrain("schedule", "-w", str(work / "p9")),
            runs=1,
            before=fresh_copy(p9, work / "p9"),
        )
    )

    # 1,000 participants x 100 half-days = 100,000 marks.
    add(measure("report (100,000 marks)", cotrain("report", "-w", str(p100)), runs=runs))
    add(
        measure(
            "report --by person (100,000 marks)",
            cotrain("report", "--by", "person", "-w", str(p100)),
            runs=runs,
        )
    )
    add(
        measure(
            "report --json (100,000 marks)", cotrain("report", "--json", "-w", str(p100)), runs=runs
        )
    )
    add(
        measure(
            "report -o rapport.xlsx --by person",
            cotrain("report", "--by", "person", "-o", str(work / "rapport.xlsx"), "-w", str(p100)),
            runs=runs,
        )
    )
    add(
        measure(
            "attendance import (100,000 rows, unchanged)",
            cotrain("attendance", "import", str(p100 / "emargement-100000.csv"), "-w", str(p100)),
            runs=runs,
        )
    )
    add(
        measure(
            "attend one half-day (1,000 people)",
            cotrain("attend", "d01-am", "--all-present", "-w", str(work / "p100")),
            runs=runs,
            before=fresh_copy(p100, work / "p100"),
        )
    )
    add(
        measure(
            "participants --format csv (1,000)",
            cotrain(
                "participants",
                "--format",
                "csv",
                "-o",
                str(work / "participants.csv"),
                "-w",
                str(p100),
            ),
            runs=runs,
        )
    )
    add(
        measure(
            "roster -f csv (100 half-days)",
            cotrain("roster", "-f", "csv", "-o", str(work / "roster.csv"), "-w", str(p100)),
            runs=runs,
        )
    )
    add(measure("doctor (100,000 marks)", cotrain("doctor", "-w", str(p100)), runs=runs))
    add(
        measure(
            "purge --dry-run (100,000 marks)",
            cotrain("purge", "--dry-run", "-w", str(p100)),
            runs=runs,
        )
    )
    return out


def table(results: list[Measure], runs: int) -> str:
    by = {m.label: m for m in results}

    def ratio(a: str, b: str, field: str = "wall") -> str:
        return f"{getattr(by[a], field) / getattr(by[b], field):.2f}"

    lines = [
        f"Machine: {platform.machine()}, {os.cpu_count()} CPU, Python {platform.python_version()}, "
        f"load average {os.getloadavg()[0]:.1f}; median of {runs} runs (schedule: 1 run).",
        "",
        "| command | wall (s) | CPU (s) | peak memory (MB) |",
        "|---|---:|---:|---:|",
    ]
    for m in results:
        note = "" if m.code == 0 else f" (exit {m.code})"
        lines.append(f"| {m.label}{note} | {m.wall:.3f} | {m.cpu:.3f} | {m.peak_mb:.0f} |")
    import_check_wall = by["import 10,000 applications"].wall + by["check (2,000 cities)"].wall
    import_check_cpu = by["import 10,000 applications"].cpu + by["check (2,000 cities)"].cpu
    peak = max(m.peak_mb for m in results)
    version = ratio("cotrain --version", TYPER_IMPORT)
    version_cpu = ratio("cotrain --version", TYPER_IMPORT, "cpu")
    help_wall = ratio("cotrain --help", "baseline_app.py --help")
    help_cpu = ratio("cotrain --help", "baseline_app.py --help", "cpu")
    lines += [
        "",
        "| target | measured | goal |",
        "|---|---:|---:|",
        f"| `cotrain --version` / `{TYPER_IMPORT}` (wall) | {version} | ≤ 1.5 |",
        f"| `cotrain --version` / `{TYPER_IMPORT}` (CPU) | {version_cpu} | ≤ 1.5 |",
        f"| `cotrain --help` / two-command Typer app `--help` (wall) | {help_wall} | ≤ 1.3 |",
        f"| `cotrain --help` / two-command Typer app `--help` (CPU) | {help_cpu} | ≤ 1.3 |",
        f"| import + check of 10,000 applications (wall / CPU, s) | "
        f"{import_check_wall:.2f} / {import_check_cpu:.2f} | < 2 (issue 16: < 1) |",
    ]
    report = by.get("report (100,000 marks)")
    if report is not None:
        lines.append(
            f"| report over 100,000 marks (wall / CPU, s) | {report.wall:.2f} / {report.cpu:.2f} "
            "| < 1 |"
        )
    lines.append(f"| peak memory of any command (MB) | {peak:.0f} | < 200 |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path, help="the folder benchmarks/generate.py wrote")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--markdown", type=Path, help="also write the tables to this file")
    parser.add_argument(
        "--quick", action="store_true", help="start-up (--version, --help) and import + check only"
    )
    args = parser.parse_args(argv)
    results = run_all(args.data.resolve(), args.runs, quick=args.quick)
    text = table(results, args.runs)
    print(text)
    if args.markdown:
        args.markdown.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
