"""Benchmark of the mixing engine against a round-by-round greedy baseline.

    python benchmarks/bench_mixing.py            # 5 seeds per instance (about 10 minutes)
    python benchmarks/bench_mixing.py --quick    # 1 seed (a couple of minutes)
    python benchmarks/bench_mixing.py --cpsat 600   # optional: OR-Tools CP-SAT, reference

Every solve runs in its own subprocess (one core) which reports its time (time.perf_counter)
and its peak resident memory (resource.getrusage). Instances are written to
benchmarks/instances/ as JSON on first use. Figures are medians over the seeds.

The baseline is what Good-Enough Golfers does: each round is built once (greedy placement
respecting the same quotas, then swaps improving that round only) with cost = sum of squared
past meetings, and never revisited.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

from cotrain.domain.scheduling.mixing import (  # noqa: E402
    MixPerson,
    MixProblem,
    quality,
    solve_mix,
    validate_rounds,
)
from cotrain.domain.scheduling.search import _Model  # noqa: E402

INSTANCES = HERE / "instances"


# ----------------------------------------------------------------------------- instances


def reference() -> dict:
    people = []
    for c in range(7):
        city = f"city{c}"
        people += [
            {"id": f"{city}-elected", "role": "elected", "city": city},
            {"id": f"{city}-pro1", "role": "professional", "city": city},
            {"id": f"{city}-pro2", "role": "professional", "city": city},
            {"id": f"{city}-delegate", "role": "prefect_delegate", "city": city},
        ]
    people += [{"id": f"activist{i}", "role": "activist", "city": None} for i in range(6)]
    return {"people": people, "rounds": 5, "groups": 3, "min_per_group": {"activist": 2}}


def golfers(g: int, s: int, w: int) -> dict:
    return {
        "people": [{"id": f"p{i:03d}", "role": None, "city": None} for i in range(g * s)],
        "rounds": w,
        "groups": g,
        "min_per_group": {},
    }


def thousand() -> dict:
    people = []
    for c in range(200):
        city = f"city{c:03d}"
        people += [
            {"id": f"{city}-elected", "role": "elected", "city": city},
            {"id": f"{city}-pro1", "role": "professional", "city": city},
            {"id": f"{city}-pro2", "role": "professional", "city": city},
            {"id": f"{city}-delegate", "role": "prefect_delegate", "city": city},
        ]
    people += [{"id": f"activist{i:03d}", "role": "activist", "city": None} for i in range(200)]
    return {"people": people, "rounds": 6, "groups": 100, "min_per_group": {"activist": 2}}


def instance_path(name: str) -> Path:
    path = INSTANCES / f"{name}.json"
    if not path.exists():
        INSTANCES.mkdir(exist_ok=True)
        if name == "reference":
            data = reference()
        elif name == "thousand":
            data = thousand()
        else:
            g, s, w = (int(x) for x in name.split("-"))
            data = golfers(g, s, w)
        path.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    return path


def load(name: str, rounds: int | None = None) -> MixProblem:
    data = json.loads(instance_path(name).read_text(encoding="utf-8"))
    people = tuple(MixPerson(p["id"], p["role"], p["city"]) for p in data["people"])
    return MixProblem(people, rounds or data["rounds"], data["groups"], data["min_per_group"])


# ----------------------------------------------------------------------------- baseline


def baseline(problem: MixProblem, seed: int) -> list[list[list[str]]]:
    """Round-by-round greedy: each round optimised once for sum of squared past meetings."""
    rng = random.Random(seed)
    m = _Model(problem)
    met: dict[tuple[int, int], int] = defaultdict(int)
    out = []
    for _r in range(problem.rounds):
        comp = m.composition(rng)
        assert comp is not None
        slots = [list(row) for row in comp]
        grp = [-1] * m.n
        cc = [[0] * len(m.city_names) for _ in range(m.g)]
        members: list[list[int]] = [[] for _ in range(m.g)]
        order = list(range(m.n))
        rng.shuffle(order)
        order.sort(key=lambda p: m.city[p] < 0)
        for p in order:
            best, key = -1, None
            for k in range(m.g):
                if slots[k][m.role[p]] <= 0:
                    continue
                c = m.city[p]
                over = c >= 0 and cc[k][c] + 1 > m.city_hi[c]
                cost = sum(met.get((min(p, q), max(p, q)), 0) ** 2 for q in members[k])
                kk = (over, cc[k][c] if c >= 0 else 0, cost, rng.random())
                if key is None or kk < key:
                    best, key = k, kk
            grp[p] = best
            slots[best][m.role[p]] -= 1
            members[best].append(p)
            if m.city[p] >= 0:
                cc[best][m.city[p]] += 1

        def cost_of(p: int, k: int, skip: int, members: list[list[int]] = members) -> int:
            return sum(
                met.get((min(p, q), max(p, q)), 0) ** 2 for q in members[k] if q != p and q != skip
            )

        improved = True
        while improved:  # swaps of same-role people that lower this round's cost
            improved = False
            for a in [p for p in range(m.n) if cost_of(p, grp[p], p) > 0]:
                for b in range(m.n):
                    ga, gb = grp[a], grp[b]
                    if ga == gb or m.role[a] != m.role[b]:
                        continue
                    if m.city[a] != m.city[b] and (m.city[a] >= 0 or m.city[b] >= 0):
                        ok = True
                        for c, src, dst in ((m.city[a], ga, gb), (m.city[b], gb, ga)):
                            if c >= 0 and not (
                                cc[src][c] - 1 >= m.city_lo[c] and cc[dst][c] + 1 <= m.city_hi[c]
                            ):
                                ok = False
                        if not ok:
                            continue
                    delta = (
                        cost_of(a, gb, b)
                        + cost_of(b, ga, a)
                        - cost_of(a, ga, a)
                        - cost_of(b, gb, b)
                    )
                    if delta < 0:
                        members[ga].remove(a)
                        members[gb].remove(b)
                        members[ga].append(b)
                        members[gb].append(a)
                        grp[a], grp[b] = gb, ga
                        for c, src, dst in ((m.city[a], ga, gb), (m.city[b], gb, ga)):
                            if c >= 0:
                                cc[src][c] -= 1
                                cc[dst][c] += 1
                        improved = True
        for ms in members:
            for i, a in enumerate(ms):
                for b in ms[i + 1 :]:
                    met[(min(a, b), max(a, b))] += 1
        out.append([[m.ids[p] for p in ms] for ms in members])
    return out


# ----------------------------------------------------------------------------- one run


def run_one(name: str, rounds: int | None, engine: str, seed: int, limit: float) -> dict:
    problem = load(name, rounds)
    start = time.perf_counter()
    if engine == "engine":
        result = solve_mix(problem, seed=seed, time_limit=limit)
        plan, q, stopped = result.rounds, result.quality, result.stopped_by
        valid = not result.violations
    else:
        plan = baseline(problem, seed)
        q = quality(problem, plan)
        stopped = "done"
        valid = not validate_rounds(problem, plan)
    seconds = time.perf_counter() - start
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "repeats": q.repeats,
        "lower_bound": q.lower_bound,
        "seconds": seconds,
        "valid": valid,
        "stopped_by": stopped,
        "rss_mb": rss_mb,
        "clean_rounds": q.rounds_without_repeat,
    }


def cpsat(problem: MixProblem, limit: float, workers: int) -> dict:
    """Optional comparison (needs `pip install ortools`; never a dependency of the package).

    Booleans x[p, r, k] (person p in group k of round r), the same hard rules as
    validate_rounds, met[a, b] = OR over r, k of (x[a, r, k] AND x[b, r, k]), maximise the
    pairs met: repeats = pair-meetings (fixed by the group sizes) - pairs met. Returns the
    best plan's repeats, the solver's proven bound on repeats and its status.
    """
    import itertools

    from ortools.sat.python import cp_model  # optional

    m = _Model(problem)
    n, g, w = m.n, m.g, m.w
    lo, hi = min(m.sizes), max(m.sizes)
    model = cp_model.CpModel()
    x = {(p, r, k): model.NewBoolVar("") for p in range(n) for r in range(w) for k in range(g)}
    for p in range(n):
        for r in range(w):
            model.AddExactlyOne(x[p, r, k] for k in range(g))
    roles = range(1, len(m.role_names))
    for r in range(w):
        for k in range(g):
            model.AddLinearConstraint(sum(x[p, r, k] for p in range(n)), lo, hi)
            for ro in roles:
                members = [x[p, r, k] for p in range(n) if m.role[p] == ro]
                model.AddLinearConstraint(sum(members), m.role_lo[ro], m.role_hi[ro])
            for c in range(len(m.city_names)):
                members = [x[p, r, k] for p in range(n) if m.city[p] == c]
                model.AddLinearConstraint(sum(members), m.city_lo[c], m.city_hi[c])
    met = []
    for a, b in itertools.combinations(range(n), 2):
        together = []
        for r in range(w):
            for k in range(g):
                y = model.NewBoolVar("")
                model.AddImplication(y, x[a, r, k])
                model.AddImplication(y, x[b, r, k])
                together.append(y)
        mv = model.NewBoolVar("")
        model.AddBoolOr(together).OnlyEnforceIf(mv)
        model.Add(sum(together) == 0).OnlyEnforceIf(mv.Not())
        met.append(mv)
    model.Maximize(sum(met))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = limit
    solver.parameters.num_workers = workers
    start = time.perf_counter()
    status = solver.Solve(model)
    total = w * sum(s * (s - 1) // 2 for s in m.sizes)
    out = {"status": solver.StatusName(status), "seconds": time.perf_counter() - start,
           "proven_min_repeats": total - int(solver.BestObjectiveBound())}
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        out["repeats"] = total - int(solver.ObjectiveValue())
    return out


def spawn(name: str, rounds: int | None, engine: str, seed: int, limit: float) -> dict:
    cmd = [sys.executable, __file__, "--one", name, str(rounds or 0), engine, str(seed), str(limit)]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


# ----------------------------------------------------------------------------- table


def med(xs: list[float]) -> float:
    return statistics.median(xs)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="one seed per instance")
    ap.add_argument("--one", nargs=5, help=argparse.SUPPRESS)
    ap.add_argument("--cpsat", type=float, metavar="SECONDS",
                    help="only run OR-Tools CP-SAT on the reference programme (optional)")
    args = ap.parse_args()
    if args.cpsat:
        print(json.dumps(cpsat(load("reference"), args.cpsat, workers=1)))
        return
    if args.one:
        name, rounds, engine, seed, limit = args.one
        print(json.dumps(run_one(name, int(rounds) or None, engine, int(seed), float(limit))))
        return
    seeds = [0] if args.quick else [0, 1, 2, 3, 4]
    rows = []
    print(
        "| instance | people | time limit | engine repeats | lower bound | engine s | valid "
        "| baseline repeats | baseline s | repeats engine/baseline | peak RSS MB |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    cases = [
        ("reference", None, 2.0),
        ("5-3-7", None, 10.0),
        ("6-3-8", None, 10.0),
        ("7-3-9", None, 10.0),
        ("7-4-7", None, 10.0),
        ("8-4-8", None, 10.0),
        ("thousand", None, 60.0),
    ]
    for name, rounds, limit in cases:
        eng = [spawn(name, rounds, "engine", s, limit) for s in seeds]
        base = [spawn(name, rounds, "baseline", s, limit) for s in seeds]
        people = len(load(name).people)
        er, br = med([e["repeats"] for e in eng]), med([b["repeats"] for b in base])
        ratio = f"{er / br:.2f}" if br else ("1.00" if er == 0 else "inf")
        row = (
            f"| {name} | {people} | {limit:g} s | {er:g} | {eng[0]['lower_bound']} "
            f"| {med([e['seconds'] for e in eng]):.2f} "
            f"| {sum(e['valid'] for e in eng)}/{len(eng)} | {br:g} "
            f"| {med([b['seconds'] for b in base]):.2f} | {ratio} "
            f"| {max(e['rss_mb'] for e in eng):.0f} |"
        )
        rows.append(row)
        print(row, flush=True)
    print()
    print(
        "| instance | most rounds with no repeat (median) | seconds for that solve | "
        "baseline rounds without repeat |"
    )
    print("|---|---|---|---|")
    for name, start_w in (("7-3-10", 7), ("7-4-9", 7), ("8-4-9", 8), ("8-4-10", 8)):
        g, s, top = (int(x) for x in name.split("-"))
        reached, secs, base_clean = [], [], []
        for seed in seeds:
            best_w, best_s = start_w - 1, 0.0
            for w in range(start_w, top + 1):
                r = spawn(name, w, "engine", seed, 10.0)
                if r["repeats"] != 0:
                    break
                best_w, best_s = w, r["seconds"]
            reached.append(best_w)
            secs.append(best_s)
            base_clean.append(spawn(name, top, "baseline", seed, 10.0)["clean_rounds"])
        row = f"| {name} | {med(reached):g} | {med(secs):.2f} | {med(base_clean):g} |"
        print(row, flush=True)


if __name__ == "__main__":
    main()
