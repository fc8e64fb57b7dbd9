"""What the reference structure gives on 6 and 9 cities of 4 when the activists are not a
1-factorisation (issue 12, round 4, branch cities): the experiments behind BENCHMARKS.md's
"Round 4: plans from a neighbouring shape".

    python benchmarks/neighbour_structures.py --cities 6            # with the roles (~20 s)
    python benchmarks/neighbour_structures.py --cities 6 --no-roles  # roles left free (~10 s)
    python benchmarks/neighbour_structures.py --cities 9

The activists' 5 rounds are the round-robin's 5 perfect matchings of K6 with one of them
replaced by another perfect matching (5 x 10 = 50 ways): 2 or 3 activist pairs then never
meet. Every city must be "perfect" (its 4 people meet every activist and every person of
every other city, and its 5 internal meetings fall on 5 different pairs), so a plan found has
exactly (cities + activist pairs unmet) pairs that never meet. For each replacement the
engine's structured search (structured.py: cliques of compatible cities with balanced
groups, then people seated by role) runs until it finds a plan or has searched its whole
tree (--nodes is only a guard). Deterministic; prints one line per replacement.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from cotrain.domain.scheduling import structured  # noqa: E402
from cotrain.domain.scheduling.mixing import (  # noqa: E402
    MixPerson,
    MixProblem,
    repeats,
    validate_rounds,
)
from cotrain.domain.scheduling.search import _Model, _to_ids  # noqa: E402

ROLES = ("elected", "professional", "professional", "prefect_delegate")


def perfect_matchings(points: list[int]) -> list[list[tuple[int, int]]]:
    if not points:
        return [[]]
    a, out = points[0], []
    for b in points[1:]:
        rest = [x for x in points if x not in (a, b)]
        out.extend([(a, b), *pm] for pm in perfect_matchings(rest))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cities", type=int, default=6)
    parser.add_argument("--no-roles", action="store_true", help="every city person role-free")
    parser.add_argument("--nodes", type=int, default=400_000)
    args = parser.parse_args(argv)
    people = [MixPerson(f"c{c}-{i}", None if args.no_roles else role, f"city{c}")
              for c in range(args.cities) for i, role in enumerate(ROLES)]
    people += [MixPerson(f"act{a}", "activist") for a in range(6)]
    problem = MixProblem(tuple(people), 5, 3, {"activist": 2})
    model = _Model(problem)
    base = structured._factorisation()
    key = [frozenset(frozenset(e) for e in m) for m in base]
    found_any = 0
    start = time.perf_counter()
    configs = []
    for i in range(5):
        for pm in perfect_matchings(list(range(6))):
            if frozenset(frozenset(e) for e in pm) in key:
                continue
            rounds = [*base[:i], pm, *base[i + 1:]]
            met = {frozenset(e) for m in rounds for e in m}
            configs.append((15 - len(met), i, pm, rounds))
    configs.sort(key=lambda c: c[0])
    for unmet_act, i, pm, rounds in configs:
        shape = structured.shape_of(model)
        assert shape is not None
        shape.activist_word = [sum(next(j for j, pr in enumerate(rounds[t]) if a in pr) * 3 ** t
                                   for t in range(5)) for a in range(6)]
        good_words = shape.words_meeting_all(shape.activist_word)
        good = structured._good_cities(shape, good_words, lambda: False)
        cliques = structured._Cliques(shape, good, lambda: False, args.nodes)
        placer = structured._Placer(shape, {})
        plan: list[list[int]] = []

        def leaf(chosen: list[int], cliques=cliques, placer=placer, good=good,
                 plan=plan) -> bool:
            before = placer.steps
            got = placer.place([good[k] for k in chosen])
            cliques.nodes += placer.steps - before
            if got is None:
                return False
            plan.extend(got)
            return True

        counts = [[0] * 3 for _ in range(5)]
        ok = cliques.search([], cliques.everything, counts, args.cities, leaf)
        result = "none (whole tree searched)" if not ok and not cliques.exhausted() else \
            "none (node guard reached)" if not ok else ""
        if ok:
            built = _to_ids(model, plan)
            assert validate_rounds(problem, built) == []
            result = f"plan at {repeats(problem, built)} repeats"
            found_any += 1
        print(f"round {i} -> {pm}: {unmet_act} activist pairs unmet, {len(good)} perfect "
              f"cities, {cliques.nodes} nodes: {result}", flush=True)
    print(f"{found_any} of {len(configs)} replacements give a plan; "
          f"{time.perf_counter() - start:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
