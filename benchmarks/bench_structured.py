"""The structured search on the reference programme's shape and its neighbours.

    python benchmarks/bench_structured.py            # 5 seeds, 2 s each, about 4 minutes
    python benchmarks/bench_structured.py --quick    # 1 seed

For each shape (cities of 4 people, 6 activists at 2 per group, 3 groups), the engine as
shipped is compared in the same run with the engine whose structured phase is switched off
(the local search alone, the baseline): median repeats, lower bound and seconds over the
seeds. Every plan is checked against the hard rules. The structured phase takes at most 60 %
of the time limit, so on shapes where it finds nothing the local search has less time: the
last column shows what that costs.
"""

from __future__ import annotations

import argparse
import statistics
import time

from cotrain.domain.scheduling import search
from cotrain.domain.scheduling.mixing import MixPerson, MixProblem, solve_mix

ROLES = ("elected", "professional", "professional", "prefect_delegate")


def problem(cities: int, rounds: int, keep_apart: tuple[tuple[str, str], ...] = ()) -> MixProblem:
    people = [MixPerson(f"c{c}-{i}", role, f"city{c}")
              for c in range(cities) for i, role in enumerate(ROLES)]
    people += [MixPerson(f"act{i}", "activist") for i in range(6)]
    return MixProblem(tuple(people), rounds, 3, {"activist": 2}, keep_apart=keep_apart)


CASES = [
    ("reference: 7 cities, 5 rounds", problem(7, 5)),
    ("reference + a pair kept apart in a city", problem(7, 5, (("c2-0", "c2-3"),))),
    ("reference + an activist kept from a member", problem(7, 5, (("act0", "c3-1"),))),
    ("5 cities, 5 rounds", problem(5, 5)),
    ("6 cities, 5 rounds", problem(6, 5)),
    ("8 cities, 5 rounds", problem(8, 5)),
    ("7 cities, 4 rounds", problem(7, 4)),
]


def run(pb: MixProblem, seeds: list[int], limit: float,
        structured: bool) -> tuple[float, float, int, int, float, float]:
    original = search.structured_rounds
    if not structured:
        search.structured_rounds = lambda *a, **k: None  # type: ignore[assignment]
    try:
        reps, secs, valid = [], [], 0
        for seed in seeds:
            start = time.perf_counter()
            result = solve_mix(pb, seed=seed, time_limit=limit)
            secs.append(time.perf_counter() - start)
            reps.append(result.quality.repeats)
            valid += not result.violations
        return (statistics.median(reps), statistics.median(secs), result.quality.lower_bound,
                valid, max(reps), max(secs))
    finally:
        search.structured_rounds = original


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--time-limit", type=float, default=2.0)
    ap.add_argument("--seeds", type=int, default=5, help="number of seeds (default 5)")
    ap.add_argument("--shape", default="", help="only the shapes whose name starts with this")
    args = ap.parse_args()
    seeds = [0] if args.quick else list(range(args.seeds))
    print(f"time limit {args.time_limit:g} s, seeds {seeds}, medians")
    print()
    print("| shape | lower bound | engine repeats (max) | engine s (max) "
          "| local search alone repeats | local search alone s | repeats engine/alone | valid |")
    print("|---|---|---|---|---|---|---|---|")
    for name, pb in CASES:
        if not name.startswith(args.shape):
            continue
        er, es, lb, ev, emax, esmax = run(pb, seeds, args.time_limit, True)
        br, bs, _, bv, _, _ = run(pb, seeds, args.time_limit, False)
        print(f"| {name} | {lb} | {er:g} ({emax:g}) | {es:.2f} ({esmax:.2f}) | {br:g} | {bs:.2f} "
              f"| {er / br:.3f} "
              f"| {ev}/{len(seeds)}, {bv}/{len(seeds)} |", flush=True)


if __name__ == "__main__":
    main()
