"""Issue 12's targets for the mixing engine, measured from outside.

    python benchmarks/bench_engine.py                  # every instance, seed 0 (about 6 minutes)
    python benchmarks/bench_engine.py --seeds 5 --only reference
    python benchmarks/bench_engine.py --busy           # with a busy-loop process beside it
    python benchmarks/bench_engine.py --busy --quiet-machine -10   # ... on a shared machine
    python benchmarks/bench_engine.py --markdown benchmarks/results/engine.md

Each solve is the installed ``cotrain mix FILE --time-limit T --seed S --json`` in its own
process; wall time by ``time.perf_counter`` around it, peak memory (max RSS) and CPU time of
that process by ``os.wait4``. The plan is checked here, not by the engine: everybody once per
round, group sizes within one, repeats counted from the rounds. Instances are written to a
temporary folder (generators below: plain g-s-w, the reference programme and its neighbours).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from itertools import combinations
from pathlib import Path

ROLES = ("elected", "professional", "professional", "prefect_delegate")


def plain(g: int, s: int, w: int) -> dict:
    return {"people": [{"id": f"p{i:04d}"} for i in range(g * s)], "groups": g, "rounds": w}


def cotraining(cities: int = 7, city_roles: tuple[str, ...] = ROLES, activists: int = 6,
               groups: int = 3, rounds: int = 5, min_activists: int = 2) -> dict:
    people = [{"id": f"c{c:02d}-{i}", "role": r, "city": f"ville{c:02d}"}
              for c in range(cities) for i, r in enumerate(city_roles)]
    people += [{"id": f"m{a:02d}", "role": "activist"} for a in range(activists)]
    return {"people": people, "groups": groups, "rounds": rounds,
            "min_per_group": {"activist": min_activists}}


def thousand() -> dict:
    people = [{"id": f"c{c:03d}-{i}", "role": r, "city": f"ville{c:03d}"}
              for c in range(200) for i, r in enumerate(ROLES)]
    people += [{"id": f"m{a:03d}", "role": "activist"} for a in range(200)]
    return {"people": people, "groups": 100, "rounds": 6, "min_per_group": {"activist": 2}}


# name -> (instance, time limit, target text, GEG's figure where known)
INSTANCES: dict[str, tuple[dict, float, str, str]] = {
    "20-5-8": (plain(20, 5, 8), 2, "0 repeats within 2 s", ""),
    "60-5-8": (plain(60, 5, 8), 5, "0 repeats within 5 s", ""),
    "200-5-6": (plain(200, 5, 6), 10, "0 repeats within 10 s", ""),
    "7-4-9": (plain(7, 4, 9), 10, "0 repeats within 10 s", ""),
    "8-4-10": (plain(8, 4, 10), 60, "0 repeats within 60 s", "34"),
    "8-4-10@2s": (plain(8, 4, 10), 2, "within 2.5 s", "34"),
    "10-4-13": (plain(10, 4, 13), 60, "0 repeats within 60 s", ""),
    "reference": (cotraining(), 2, "327 at 2 s", ""),
    "thousand@2s": (thousand(), 2, "within 2.5 s, < 500 MB", ""),
    "6 cities": (cotraining(cities=6), 10, "within 1 % of the bound", ""),
    "8 cities": (cotraining(cities=8), 10, "within 1 % of the bound", ""),
    "9 cities": (cotraining(cities=9), 10, "within 1 % of the bound", ""),
    "10 cities": (cotraining(cities=10), 10, "as low as possible", ""),
    "11 cities": (cotraining(cities=11), 10, "as low as possible", ""),
    "9 cities, 4 rounds": (cotraining(cities=9, rounds=4), 10, "as low as possible", ""),
    "9 cities, 6 rounds": (cotraining(cities=9, rounds=6), 10, "as low as possible", ""),
    "4 rounds": (cotraining(rounds=4), 10, "within 1 % of the bound", ""),
    "6 rounds": (cotraining(rounds=6), 10, "within 1 % of the bound", ""),
    "3 rounds": (cotraining(rounds=3), 10, "within 1 % of the bound", ""),
    "6 cities, 4 rounds": (cotraining(cities=6, rounds=4), 10, "within 1 % of the bound", ""),
    "8 activists": (cotraining(activists=8), 10, "within 1 % of the bound", ""),
    "cities of 3": (cotraining(city_roles=("elected", "professional", "prefect_delegate")), 10,
                    "within 1 % of the bound", ""),
    "cities of 5": (cotraining(city_roles=(*ROLES, "professional")), 10,
                    "within 1 % of the bound", ""),
    "cities of 6": (cotraining(city_roles=(*ROLES, "professional", "elected")), 10,
                    "at the bound", ""),
    "coop 28, 8 rounds": (cotraining(cities=7, city_roles=("elected", "professional",
                                                           "prefect_delegate"),
                                     activists=7, groups=7, rounds=8, min_activists=1), 10,
                          "as low as possible", "105-108"),
    # co-training shapes in more than 3 groups (cities of 4: one person per group in 4 groups)
    "4 groups": (cotraining(groups=4, cities=8, activists=8), 10, "as low as possible", ""),
    "5 groups": (cotraining(groups=5, cities=10, activists=10), 10, "as low as possible", ""),
    "4 groups, 7 cities": (cotraining(groups=4, cities=7, activists=8), 10,
                           "as low as possible", ""),
    "4 groups, 6 rounds": (cotraining(groups=4, cities=8, activists=8, rounds=6), 10,
                           "as low as possible", ""),
    "5 groups, cities of 5": (cotraining(groups=5, cities=10, activists=10,
                                         city_roles=(*ROLES, "professional")), 10,
                              "as low as possible", ""),
}


def check(instance: dict, rounds: list[list[list[str]]]) -> tuple[bool, int]:
    """Everybody once per round, sizes within one; the repeats counted here."""
    ids = sorted(p["id"] for p in instance["people"])
    ok = len(rounds) == instance["rounds"]
    met: Counter[tuple[str, str]] = Counter()
    for groups in rounds:
        ok &= len(groups) == instance["groups"]
        ok &= sorted(x for g in groups for x in g) == ids
        sizes = [len(g) for g in groups]
        ok &= max(sizes) - min(sizes) <= 1
        for g in groups:
            for a, b in combinations(sorted(g), 2):
                met[(a, b)] += 1
    return ok, sum(c - 1 for c in met.values() if c > 1)


def run_one(path: Path, limit: float, seed: int) -> dict:
    # spawned by hand so that os.wait4 reaps it and gives its own resource usage
    cmd = ["cotrain", "mix", str(path), "--time-limit", str(limit), "--seed", str(seed),
           "--json"]
    start = time.perf_counter()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        pid = os.posix_spawnp(cmd[0], cmd, os.environ, file_actions=[
            (os.POSIX_SPAWN_DUP2, out.fileno(), 1), (os.POSIX_SPAWN_DUP2, err.fileno(), 2)])
        _, status, usage = os.wait4(pid, 0)
        wall = time.perf_counter() - start
        out.seek(0)
        err.seek(0)
        text, errors = out.read(), err.read()
    code = os.waitstatus_to_exitcode(status)
    data = json.loads(text) if text.strip().startswith(b"{") else None
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime,
            "rss_mb": usage.ru_maxrss / 1024, "code": code, "data": data,
            "error": errors.decode(errors="replace")[-300:]}


def busy_loop() -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", "while True: pass"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=1)
    parser.add_argument("--only", nargs="*", default=None, help="instance names")
    parser.add_argument("--busy", action="store_true", help="keep one core busy meanwhile")
    parser.add_argument("--markdown", type=Path, default=None)
    parser.add_argument("--quiet-machine", type=int, default=None, metavar="NICE",
                        help="Linux: give this session's scheduling group this nice value "
                             "(/proc/self/autogroup) for the run, so that on a machine shared "
                             "with other sessions the solves and the busy loop compete with "
                             "each other, as on a machine of their own (restored at the end)")
    parser.add_argument("--limit-scale", type=float, default=1.0,
                        help="multiply every time limit (a shared, loaded machine: say so)")
    args = parser.parse_args(argv)
    names = [n for n in INSTANCES if not args.only or n in args.only]
    group = Path("/proc/self/autogroup")
    before_nice = None
    if args.quiet_machine is not None:
        before_nice = group.read_text().split("nice")[-1].strip()
        group.write_text(str(args.quiet_machine))
    busy = busy_loop() if args.busy else None
    lines = [f"Machine: {os.cpu_count()} CPU, load average {os.getloadavg()[0]:.1f} at start"
             f"{'; one busy-loop process beside the runs' if busy else ''}"
             f"{f'; session nice {args.quiet_machine}' if before_nice is not None else ''}"
             f"{f'; time limits x {args.limit_scale:g}' if args.limit_scale != 1 else ''}.", "",
             "| instance | people | limit s | seed | repeats (checked) | lower bound | proven "
             "| gap | stopped by | wall s | CPU s | peak MB | valid | target | GEG |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    print("\n".join(lines), flush=True)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for name in names:
                instance, limit, target, geg = INSTANCES[name]
                limit *= args.limit_scale
                path = Path(tmp) / (name.replace(" ", "_").replace("@", "_") + ".json")
                path.write_text(json.dumps(instance), encoding="utf-8")
                for seed in range(args.seeds):
                    r = run_one(path, limit, seed)
                    d = r["data"]
                    if d is None:
                        row = (f"| {name} | {len(instance['people'])} | {limit:g} | {seed} | "
                               f"error (exit {r['code']}) | | | | | {r['wall']:.2f} | "
                               f"{r['cpu']:.2f} | {r['rss_mb']:.0f} | no | {target} | {geg} |")
                    else:
                        ok, reps = check(instance, d["rounds"])
                        ok &= not d["violations"] and reps == d["quality"]["repeats"]
                        row = (f"| {name} | {len(instance['people'])} | {limit:g} | {seed} | "
                               f"{reps} | {d['lower_bound']} | "
                               f"{'yes' if d['lower_bound_proven'] else 'no'} | {d['gap']} | "
                               f"{d['stopped_by']} | {r['wall']:.2f} | {r['cpu']:.2f} | "
                               f"{r['rss_mb']:.0f} | {'yes' if ok else 'NO'} | {target} | {geg} |")
                    print(row, flush=True)
                    lines.append(row)
    finally:
        if busy is not None:
            busy.kill()
            busy.wait()
        if before_nice is not None:
            group.write_text(before_nice)
    if args.markdown:
        args.markdown.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
