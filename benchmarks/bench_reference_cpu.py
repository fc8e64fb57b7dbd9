"""The reference programme on many seeds, in CPU seconds (independent of the machine's load).

    python benchmarks/bench_reference_cpu.py --seeds 20

Each seed is solved in this process with a clock that never moves, so that only the work
budgets stop the search (the plan is then the one any machine gives); the CPU time of the
solve is ``time.process_time``. With a free core, ``cotrain mix --time-limit 2`` gives the
same plan when start-up (about 0.3 s) plus this CPU time stays under 2 s.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from cotrain.domain.scheduling.mixing import MixPerson, MixProblem, solve_mix  # noqa: E402

ROLES = ("elected", "professional", "professional", "prefect_delegate")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=20)
    args = parser.parse_args(argv)
    people = [MixPerson(f"c{c}-{i}", r, f"ville{c}") for c in range(7) for i, r in enumerate(ROLES)]
    people += [MixPerson(f"m{a}", "activist") for a in range(6)]
    problem = MixProblem(tuple(people), 5, 3, {"activist": 2})
    print("| seed | repeats | stopped by | CPU s |\n|---|---|---|---|")
    worst = 0.0
    for seed in range(args.seeds):
        start = time.process_time()
        result = solve_mix(problem, seed=seed, time_limit=1e9, clock=lambda: 0.0)
        cpu = time.process_time() - start
        worst = max(worst, cpu)
        print(f"| {seed} | {result.quality.repeats} | {result.stopped_by} | {cpu:.2f} |",
              flush=True)
    print(f"\nmost CPU for one seed: {worst:.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
