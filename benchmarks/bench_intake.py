"""Import of 10,000 applications from CSV and from XLSX, and import + check (issue 16).

    python benchmarks/bench_intake.py /tmp/bench-intake [--runs 5] [--cotrain PATH]
    python benchmarks/bench_intake.py /tmp/bench-intake --runs 5 --against "BEFORE"

``--against`` times the issue's target as a user types it, before and after: ``cotrain -w W
import applications-10000.csv`` then ``cotrain -w W check``, W a new folder holding only the
shipped example's ``cotrain.toml``, the two installations alternated run by run (``BEFORE``
and ``--cotrain`` are commands, e.g. ``"env PYTHONPATH=/path/to/main/src cotrain"``); medians
of wall and CPU time of each command and of the two together.

Data (written once into the folder, deterministic, seed 2015): ``applications-10000.csv`` as
``benchmarks/generate.py`` writes it (10,000 rows, one per person, 2,000 cities, French Excel:
Windows-1252, ``;``, CRLF) and ``applications-10000.xlsx``, the same rows in a workbook (typed
numbers). Each command runs in a fresh process on a fresh copy of a workspace holding the
shipped example's ``cotrain.toml``; median of ``--runs`` runs of wall time, CPU time (user +
system of the process) and peak memory. ``--cotrain`` times another installation (the
``main`` branch, for the "before" figures).
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_commands import PROBE  # noqa: E402
from generate import applications_csv, new_workspace  # noqa: E402


def write_data(folder: Path) -> tuple[Path, Path, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    csv_file = folder / "applications-10000.csv"
    xlsx_file = folder / "applications-10000.xlsx"
    template = folder / "workspace"
    if not csv_file.exists():
        csv_file.write_bytes(applications_csv(random.Random(2015)))
    if not xlsx_file.exists():
        import csv
        import io

        from openpyxl import Workbook

        rows = list(
            csv.reader(
                io.StringIO(csv_file.read_bytes().decode("cp1252"), newline=""), delimiter=";"
            )
        )
        book = Workbook(write_only=True)
        sheet = book.create_sheet("Réponses")
        for row in rows:
            typed: list[object] = []
            for cell in row:
                text = cell.replace(",", ".")
                try:
                    typed.append(
                        float(text) if text and text[0].isdigit() and "/" not in text else cell
                    )
                except ValueError:
                    typed.append(cell)
            sheet.append(typed)
        book.save(xlsx_file)
    if not template.exists():
        new_workspace(template)
    return csv_file, xlsx_file, template


def run(args: list[str], cwd: Path | None = None) -> dict[str, float]:
    import json
    import subprocess

    env = {**os.environ, "COLUMNS": "120", "NO_COLOR": "1"}
    out = subprocess.run(
        [sys.executable, "-c", PROBE, str(cwd or ""), *args],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    return json.loads(out.stdout)


EXAMPLE_CONFIG = HERE.parent / "examples" / "seine-saint-denis-2015" / "cotrain.toml"


def alternate(folder: Path, csv_file: Path, commands: dict[str, list[str]], runs: int) -> None:
    """Import then check, each installation in turn, ``runs`` times; medians printed."""
    times: dict[str, list[tuple[dict[str, float], dict[str, float]]]] = {k: [] for k in commands}
    for _ in range(runs):
        for label, command in commands.items():
            work = folder / f"w-{label}"
            shutil.rmtree(work, ignore_errors=True)
            work.mkdir()
            shutil.copy(EXAMPLE_CONFIG, work / "cotrain.toml")
            done = run([*command, "-w", str(work), "import", str(csv_file)])
            checked = run([*command, "-w", str(work), "check"])
            if done["code"] != 0 or checked["code"] not in (0, 1):
                raise SystemExit(f"{label}: exit {done['code']} / {checked['code']}")
            times[label].append((done, checked))
    print(f"{runs} alternated runs; load average {os.getloadavg()[0]:.1f}")
    print(
        "| median (s) | import, wall | import, CPU | check, wall | check, CPU "
        "| import + check, wall | import + check, CPU |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    for label, pairs in times.items():
        cells = [statistics.median(i[key] for i, _ in pairs) for key in ("wall", "cpu")] + [
            statistics.median(c[key] for _, c in pairs) for key in ("wall", "cpu")
        ]
        both = [statistics.median(i[key] + c[key] for i, c in pairs) for key in ("wall", "cpu")]
        values = [cells[0], cells[1], cells[2], cells[3], *both]
        print(f"| {label} | " + " | ".join(f"{v:.2f}" for v in values) + " |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("folder", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--cotrain", default=shutil.which("cotrain") or "cotrain")
    parser.add_argument("--against", help="the installation to compare with (a command)")
    args = parser.parse_args(argv)
    csv_file, xlsx_file, template = write_data(args.folder)
    if args.against:
        import shlex

        commands = {"before": shlex.split(args.against), "after": shlex.split(args.cotrain)}
        alternate(args.folder, csv_file, commands, args.runs)
        return 0
    work = args.folder / "work"
    rows = []
    for label, source in (("CSV", csv_file), ("XLSX", xlsx_file)):
        imports, checks = [], []
        for _ in range(args.runs):
            shutil.rmtree(work, ignore_errors=True)
            shutil.copytree(template, work)
            done = run([args.cotrain, "import", str(source), "-w", str(work)])
            if done["code"] != 0:
                print(f"{label}: import failed (exit {done['code']})")
                break
            imports.append(done)
            checks.append(run([args.cotrain, "check", "-w", str(work)]))
        if not imports:
            rows.append((label, None, None))
            continue
        rows.append((label, imports, checks))

    def median(items: list[dict[str, float]], key: str) -> float:
        return statistics.median(item[key] for item in items)

    print(f"cotrain: {args.cotrain}; {args.runs} run(s); load average {os.getloadavg()[0]:.1f}")
    print(
        "| file | import wall (s) | import CPU (s) | import peak (MB) "
        "| import + check wall (s) | import + check CPU (s) |"
    )
    print("|---|---:|---:|---:|---:|---:|")
    for label, imports, checks in rows:
        if imports is None:
            print(f"| {label} | refused | | | | |")
            continue
        both_wall = statistics.median(
            i["wall"] + c["wall"] for i, c in zip(imports, checks, strict=True)
        )
        both_cpu = statistics.median(
            i["cpu"] + c["cpu"] for i, c in zip(imports, checks, strict=True)
        )
        peak = max(i["rss_kib"] for i in imports) / 1024
        print(
            f"| {label} | {median(imports, 'wall'):.3f} | {median(imports, 'cpu'):.3f} "
            f"| {peak:.0f} "
            f"| {both_wall:.3f} | {both_cpu:.3f} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
