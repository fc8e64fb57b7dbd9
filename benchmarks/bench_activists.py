"""In-process figures for co-trainings with more activists than two per group (issue 12).

Each run is ``solve_mix(problem, seed=s, time_limit=1e9, clock=lambda: 0.0)``: the clock never
moves, so the work budgets end every run and the plan is the one ``cotrain mix FILE --seed s``
gives whenever the clock does not cut it. CPU by ``time.process_time``; the md5 of the rounds
tells whether two versions give the same plan. Shapes: ``cotraining(activists=A, cities=C)``
(cities of an elected, two professionals and a delegate; 3 groups, 5 rounds, at least 2
activists per group), as in bench_engine.py.

    python benchmarks/bench_activists.py --seeds 0-9 --shapes 8x7 7x7 9x7 8x5 8x8
    PYTHONPATH=/path/to/other/src python -B benchmarks/bench_activists.py ...   # another version
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_engine import cotraining  # noqa: E402

from cotrain.domain.scheduling.mixing import MixPerson, MixProblem, solve_mix  # noqa: E402


def problem(activists: int, cities: int) -> MixProblem:
    spec = cotraining(cities=cities, activists=activists)
    people = tuple(MixPerson(p["id"], p["role"], p.get("city")) for p in spec["people"])
    return MixProblem(people, spec["rounds"], spec["groups"], spec["min_per_group"])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", default="0-2", help="e.g. 0-9 or 0,3,5")
    ap.add_argument("--shapes", nargs="+", default=["8x7"],
                    help="ACTIVISTSxCITIES, e.g. 8x7 (the bench's '8 activists')")
    args = ap.parse_args(argv)
    if "-" in args.seeds:
        lo, hi = map(int, args.seeds.split("-"))
        seeds = list(range(lo, hi + 1))
    else:
        seeds = [int(s) for s in args.seeds.split(",")]
    print("shape | seed | bound | repeats | stopped by | CPU s | md5")
    for shape in args.shapes:
        a, c = map(int, shape.split("x"))
        prob = problem(a, c)
        for seed in seeds:
            t0 = time.process_time()
            r = solve_mix(prob, seed=seed, time_limit=1e9, clock=lambda: 0.0)
            cpu = time.process_time() - t0
            md5 = hashlib.md5(repr(r.rounds).encode()).hexdigest()[:10]
            print(f"{shape} | {seed} | {r.quality.lower_bound} | {r.quality.repeats} | "
                  f"{r.stopped_by} | {cpu:.2f} | {md5}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
