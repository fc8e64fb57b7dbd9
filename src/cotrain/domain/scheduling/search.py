"""The search behind ``solve_mix``: structures (structured.py, words.py, and the structure of
a neighbouring shape with the cities moved in, neighbours.py), constructions, a greedy start,
tabu search, then annealing on the pairs that never meet (words.py).

State: for every round, each person's group; a symmetric meetings matrix ``t`` (earlier
sessions and all rounds included); ``conf[r][p]``, the number of people in ``p``'s group of
round ``r`` whom ``p`` meets at least twice. A move swaps two people of the same role in two
groups of one round, so group sizes and role counts never change (min_role and role_spread
hold by construction). City spread and keep-apart are counted as a hard penalty ``H`` that
is minimised before repeats ``R``: the objective is the pair ``(H, R)``. The penalty is the
incremental twin of ``_rule_city_spread`` and ``_rule_keep_apart`` in mixing.py (tests
compare them on random plans).

Tabu search after Dotu and Van Hentenryck (CPAIOR 2005): each step takes the best swap
involving a person in conflict (sampled when there are many), forbids moving a person back
to the group they left for a few steps, and restarts from the best plan with random swaps
when it stalls.
"""

from __future__ import annotations

import random
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence

from cotrain.domain.scheduling import activists, exchange, neighbours, phantoms, repair, words
from cotrain.domain.scheduling.construct import cyclic_rounds, grid_rounds, starter_rounds
from cotrain.domain.scheduling.mixing import (
    MixProblem,
    MixQuality,
    MixResult,
    bound_details,
    city_ranges,
    group_sizes,
    quality,
    repeats,
    role_ranges,
    validate_rounds,
)
from cotrain.domain.scheduling.structured import (
    MAX_ROUNDS,
    covering_round,
    shape_of,
    structured_rounds,
)

# Stop sampling beyond this many conflicting positions per step (keeps a step O(K * n * s)).
MAX_POSITIONS = 12
# A broken rule weighs this many repeats during the search, so that it may pass through
# invalid plans between valid ones; only valid plans are kept as the best.
HARD_WEIGHT = 3
# Swap partners sampled per conflicting person when the role is larger than this.
MAX_PARTNERS = 200
# Unmet pairs sampled per step on dense problems.
MAX_UNMET = 8
# Above this many people the unmet pairs are not tracked (memory grows with n^2).
DENSE_MAX_PEOPLE = 400
# Search nodes shared by the cyclic starter shapes tried on plain social-golfer instances.
STARTER_NODES = 400_000
# Work budget of the tabu search, in evaluated moves times the group size plus the conflict
# scan of each step (about the number of basic steps). Issue 12: phases stop on work, not on
# the clock, so that a seed gives the same plan on any machine; 4 million take 1.2 to 3 s of
# CPU on the project's machine (measured on 32 to 30-person instances), so that a whole solve
# (structured search and constructions included) ends well inside the default 10 s even with
# another process on the second core. The clock is only a safety net.
WORK_BUDGET = 4_000_000
# The budgets (this one and words.POLISH_MOVES) were sized on the reference's neighbours,
# 27 to 42 people: 4.5 to 8 CPU s at the work limit on the project's machine. A unit of
# work costs about as much on larger instances (10 to 50 cities of 4, 46 to 206 people:
# 6 to 8 s, tester's F10; 60 people in 6 groups of 10: 7 s), so above that size the
# budgets are cut to this share, to end inside the default 10 s with room for a loaded
# machine (3 to 4 CPU s).
NEIGHBOUR_PEOPLE = 42
LARGE_SHARE = 0.5
# Mean group size up to which the annealing's proposals are not cut (the neighbours': 14).
POLISH_GROUP_SIZE = 14
# The least work a step counts, whatever its size: a step of a tiny problem (4 people, a
# handful of moves) still costs the loop's own time, and counted at its few units the budget
# lasted 2 million steps, so the clock ended the search (and the plan depended on the
# machine). Steps of the co-training shapes count more than this (about 570 for 34 people).
MIN_STEP_WORK = 200
# Below this many people x groups (or x the group size, when larger) the greedy start
# always runs, even past the time limit: it takes milliseconds there.
GREEDY_ALWAYS = 5000
# Share of the annealing's proposals tried on the start when the rounds are few
# (``_early_polish``; 300,000 for up to 42 people), in at most this many tries: 3 rounds of
# 26 to 42 people reach their bound in 0.01 to 0.1 s of CPU in the first or second try on most
# seeds (46 of 48 within three); where none does, the tries cost about 1.2 s of CPU. Above
# NEIGHBOUR_PEOPLE one try only (60 people in 6 groups of 10: 0.3 s).
EARLY_POLISH_SHARE = 0.12
EARLY_POLISH_TRIES = 3
# Rounds' worth of repair work (repair.repair_work) shared by all the rounds of one start:
# a round the rules cannot be made to hold in does not cost that much again every round.
REPAIR_ROUNDS = 4
# Long programmes (tester's F1: 20,000 rounds of 8 people were planned one by one, past the
# time limit): at most this many rounds are planned, at least this many times the rounds a
# person needs to meet everyone, then repeated in turn (see ``_cycled``).
CYCLE_ROUNDS = 50
CYCLE_COVERS = 4
# Seconds kept per person and round of a repeated plan to count and check it.
CYCLE_FINISH_PER_PLACE = 2e-7
# Seconds kept, before the time limit, to turn the best plan into the result.
FINISH_RESERVE = 0.25
# ... plus this many seconds per person-meeting of the plan (rounds x people x group size):
# counted with bit sets (mixing.quality), a plan of 1,000 people in 2 groups of 500 over 5
# rounds takes about 0.06 s to count and check (it took a second when this was 5e-7).
FINISH_PER_MEETING = 1e-7


class _Model:
    """The problem with people numbered 0..n-1 (in id order)."""

    def __init__(self, problem: MixProblem) -> None:
        self.problem = problem
        people = sorted(problem.people, key=lambda p: p.id)
        seen: set[str] = set()
        uniq = []
        for p in people:
            if p.id not in seen:
                seen.add(p.id)
                uniq.append(p)
        self.people = uniq
        self.ids = [p.id for p in uniq]
        self.index = {pid: i for i, pid in enumerate(self.ids)}
        self.n = len(uniq)
        self.g = max(1, problem.groups)
        self.w = max(0, problem.rounds)
        roles = sorted({p.role for p in uniq if p.role is not None})
        self.role_names: list[str | None] = [None, *roles]
        self.role = [self.role_names.index(p.role) for p in uniq]
        cities = sorted({p.city for p in uniq if p.city is not None})
        self.city_names = cities
        cidx = {c: i for i, c in enumerate(cities)}
        self.city = [cidx[p.city] if p.city is not None else -1 for p in uniq]
        cr = city_ranges(problem)
        self.city_lo = [cr[c][0] if c in cr else 0 for c in cities]
        self.city_hi = [cr[c][1] if c in cr else self.n for c in cities]
        rr = role_ranges(problem)
        self.role_lo = [0] + [rr.get(r, (0, self.n))[0] for r in roles]
        self.role_hi = [self.n] + [rr.get(r, (0, self.n))[1] for r in roles]
        self.apart: list[list[int]] = [[] for _ in range(self.n)]
        for a, b in problem.keep_apart:
            if a in self.index and b in self.index and a != b:
                ia, ib = self.index[a], self.index[b]
                if ib not in self.apart[ia]:
                    self.apart[ia].append(ib)
                    self.apart[ib].append(ia)
        sizes = group_sizes(problem)
        self.sizes = sizes if sizes else [self.n]
        self.prior: dict[tuple[int, int], int] = {}
        for (a, b), c in problem.prior_meetings.items():
            if a in self.index and b in self.index and a != b and c > 0:
                ia, ib = sorted((self.index[a], self.index[b]))
                self.prior[(ia, ib)] = self.prior.get((ia, ib), 0) + c

    def is_plain(self) -> bool:
        """No role, city, keep-apart, earlier session or fixed round: a social-golfer case."""
        p = self.problem
        return (len(self.role_names) == 1 and all(c < 0 for c in self.city)
                and not self.prior and not any(self.apart) and not p.fixed
                and all(v <= 0 for v in p.min_per_group.values()))

    def composition(self, rng: random.Random) -> list[list[int]] | None:
        """Role counts per group: each within its range, rows summing to the group sizes,
        and leaving each group a number of people from cities that the city quotas allow
        (e.g. 3 cities of 4 in 2 groups need exactly 6 city people per group, so the larger
        group must take the extra activist). A few random draws are tried for that."""
        comp = self._composition_once(rng)
        for _ in range(50):
            if comp is None or self._cities_fit(comp):
                break
            comp = self._composition_once(rng)
        return comp

    def _cities_fit(self, comp: list[list[int]]) -> bool:
        if not self.city_names:
            return True
        nr = len(self.role_names)
        with_city = [0] * nr
        without = [0] * nr
        for p in range(self.n):
            if self.city[p] >= 0:
                with_city[self.role[p]] += 1
            else:
                without[self.role[p]] += 1
        need_lo, need_hi = sum(self.city_lo), sum(self.city_hi)
        for row in comp:
            lo = sum(row[r] for r in range(nr) if not without[r])
            hi = lo + sum(row[r] for r in range(nr) if without[r] and with_city[r])
            if hi < need_lo or lo > need_hi:
                return False
        return True

    def _composition_once(self, rng: random.Random) -> list[list[int]] | None:
        g, nr = self.g, len(self.role_names)
        totals = [0] * nr
        for r in self.role:
            totals[r] += 1
        comp = [[min(self.role_lo[r], totals[r]) for r in range(nr)] for _ in range(g)]
        room = [self.sizes[k] - sum(comp[k]) for k in range(g)]
        left = [totals[r] - sum(comp[k][r] for k in range(g)) for r in range(nr)]
        if any(x < 0 for x in room) or any(x < 0 for x in left):
            return None
        # Deal the remaining people role by role (most first) to the groups with the most
        # room left; with at most one extra per group and role this greedy always succeeds
        # when any composition exists (a Gale-Ryser argument).
        order = sorted(range(nr), key=lambda r: (-left[r], rng.random()))
        for r in order:
            while left[r] > 0:
                cands = [k for k in range(g) if room[k] > 0 and comp[k][r] < self.role_hi[r]]
                if not cands:
                    return None
                best = max(cands, key=lambda k: (room[k], -comp[k][r], rng.random()))
                comp[best][r] += 1
                room[best] -= 1
                left[r] -= 1
        return comp


class _State:
    def __init__(self, model: _Model, rounds: list[list[int]], free: list[int],
                 eligible: set[int] | None = None) -> None:
        m = self.m = model
        n, g = m.n, m.g
        self.w = len(rounds)
        self.grp = rounds  # grp[r][p] = group index of p in round r
        self.free = free
        self.members: list[list[list[int]]] = []
        for r in range(self.w):
            mem: list[list[int]] = [[] for _ in range(g)]
            for p in range(n):
                mem[rounds[r][p]].append(p)
            self.members.append(mem)
        self.t = [array("H", bytes(2 * n)) for _ in range(n)]
        for (a, b), c in m.prior.items():
            self.t[a][b] += c
            self.t[b][a] += c
        for r in range(self.w):
            for grp in self.members[r]:
                for i, a in enumerate(grp):
                    ta = self.t[a]
                    for b in grp[i + 1:]:
                        ta[b] += 1
                        self.t[b][a] += 1
        self.R = 0
        for a in range(n):
            ta = self.t[a]
            self.R += sum(c - 1 for c in ta[a + 1:] if c > 1)
        self.conf = [[0] * n for _ in range(self.w)]
        for r in range(self.w):
            for grp in self.members[r]:
                for a in grp:
                    ta = self.t[a]
                    self.conf[r][a] = sum(1 for b in grp if b != a and ta[b] >= 2)
        nc = len(m.city_names)
        self.cc = [[[0] * nc for _ in range(g)] for _ in range(self.w)]
        for r in range(self.w):
            for p in range(n):
                if m.city[p] >= 0:
                    self.cc[r][rounds[r][p]][m.city[p]] += 1
        # devt[c][count]: the city's deviation from its range at that count (index -1 unused)
        city_size = [0] * nc
        for p in range(n):
            if m.city[p] >= 0:
                city_size[m.city[p]] += 1
        self.devt = [[self._dev(x, c) for x in range(city_size[c] + 2)] + [0] for c in range(nc)]
        self.H = sum(self.round_penalty(r) for r in range(self.w))
        # Pairs that may meet but have not (tracked only for dense problems, where covering
        # every pair, not avoiding repeats, is what is left to do).
        self.eligible = eligible
        self.unmet: set[int] = set()
        if eligible is not None:
            self.unmet = {key for key in eligible if self.t[key // n][key % n] == 0}

    # -- hard penalty: twin of _rule_city_spread / _rule_keep_apart ------------------------
    def _dev(self, cnt: int, c: int) -> int:
        m = self.m
        return max(0, cnt - m.city_hi[c]) + max(0, m.city_lo[c] - cnt)

    def round_penalty(self, r: int) -> int:
        m = self.m
        h = 0
        devt = self.devt
        for row in self.cc[r]:
            for c, cnt in enumerate(row):
                h += devt[c][cnt]
        gr = self.grp[r]
        for a in range(m.n):
            for b in m.apart[a]:
                if a < b and gr[a] == gr[b]:
                    h += 1
        return h

    def hard_delta(self, r: int, a: int, b: int) -> int:
        m = self.m
        gr = self.grp[r]
        ga, gb = gr[a], gr[b]
        d = 0
        ca, cb = m.city[a], m.city[b]
        if ca != cb:
            cc = self.cc[r]
            dev = self.devt
            if ca >= 0:
                t, x, y = dev[ca], cc[ga][ca], cc[gb][ca]
                d += t[x - 1] - t[x] + t[y + 1] - t[y]
            if cb >= 0:
                t, x, y = dev[cb], cc[gb][cb], cc[ga][cb]
                d += t[x - 1] - t[x] + t[y + 1] - t[y]
        for x in m.apart[a]:
            if x != b:
                d += (gr[x] == gb) - (gr[x] == ga)
        for y in m.apart[b]:
            if y != a:
                d += (gr[y] == ga) - (gr[y] == gb)
        return d

    def hard_positions(self, r: int) -> list[int]:
        m = self.m
        gr = self.grp[r]
        out = []
        for p in range(m.n):
            c = m.city[p]
            if c >= 0 and self._dev(self.cc[r][gr[p]][c], c) > 0:
                out.append(p)
            elif any(gr[x] == gr[p] for x in m.apart[p]):
                out.append(p)
        # a city short in one group can be fixed by moving its people from other groups
        short = {c for k in range(m.g) for c, cnt in enumerate(self.cc[r][k])
                 if cnt < m.city_lo[c]}
        if short:
            out.extend(p for p in range(m.n) if m.city[p] in short and p not in out)
        return out

    # -- moves ---------------------------------------------------------------------------
    def move_delta(self, r: int, a: int, b: int) -> tuple[int, int]:
        """Change of (repeats, sum of squared meetings) if a and b swap groups in round r."""
        t = self.t
        ta, tb = t[a], t[b]
        ga, gb = self.grp[r][a], self.grp[r][b]
        d = -self.conf[r][a] - self.conf[r][b]
        q = 0
        for x in self.members[r][ga]:
            if x != a:
                tbx = tb[x]
                if tbx:
                    d += 1
                q += tbx - ta[x]
        for y in self.members[r][gb]:
            if y != b:
                tay = ta[y]
                if tay:
                    d += 1
                q += tay - tb[y]
        # each term is 2*(new - old) + 2 in the squared sum; constants dropped (same count)
        return d, q

    def _together_elsewhere(self, r: int, a: int, x: int) -> list[int]:
        return [q for q in range(self.w) if q != r and self.grp[q][a] == self.grp[q][x]]

    def _leave(self, r: int, a: int) -> None:
        k = self.grp[r][a]
        ta = self.t[a]
        conf_r = self.conf[r]
        for x in self.members[r][k]:
            if x == a:
                continue
            old = ta[x]
            ta[x] = old - 1
            self.t[x][a] = old - 1
            if old == 1 and self.eligible is not None:
                key = a * self.m.n + x if a < x else x * self.m.n + a
                if key in self.eligible:
                    self.unmet.add(key)
            if old >= 2:
                self.R -= 1
                conf_r[x] -= 1
                if old == 2:
                    for q in self._together_elsewhere(r, a, x):
                        self.conf[q][a] -= 1
                        self.conf[q][x] -= 1
        conf_r[a] = 0
        self.members[r][k].remove(a)
        if self.m.city[a] >= 0:
            self.cc[r][k][self.m.city[a]] -= 1

    def _join(self, r: int, a: int, k: int) -> None:
        ta = self.t[a]
        conf_r = self.conf[r]
        for y in self.members[r][k]:
            old = ta[y]
            ta[y] = old + 1
            self.t[y][a] = old + 1
            if old == 0 and self.eligible is not None:
                self.unmet.discard(a * self.m.n + y if a < y else y * self.m.n + a)
            if old >= 1:
                self.R += 1
                conf_r[y] += 1
                conf_r[a] += 1
                if old == 1:
                    for q in self._together_elsewhere(r, a, y):
                        self.conf[q][a] += 1
                        self.conf[q][y] += 1
        self.members[r][k].append(a)
        self.grp[r][a] = k
        if self.m.city[a] >= 0:
            self.cc[r][k][self.m.city[a]] += 1

    def swap(self, r: int, a: int, b: int) -> None:
        dh = self.hard_delta(r, a, b)
        ga, gb = self.grp[r][a], self.grp[r][b]
        self._leave(r, a)
        self._leave(r, b)
        self._join(r, a, gb)
        self._join(r, b, ga)
        self.H += dh

    def snapshot(self) -> list[list[int]]:
        return [list(g) for g in self.grp]


def _greedy_round(model: _Model, t: list[dict[int, int]], rng: random.Random,
                  should_stop: Callable[[], bool] = lambda: False) -> list[int]:
    """One round placed person by person, respecting the role composition; each person goes
    to the allowed group where they met the fewest (squared) before, cities spread first."""
    m = model
    comp = m.composition(rng)
    if comp is None:  # no valid composition: fill by size only, violations are reported
        comp = [[0] * len(m.role_names) for _ in range(m.g)]
        order_people = list(range(m.n))
        rng.shuffle(order_people)
        grp = [0] * m.n
        for i, p in enumerate(order_people):
            grp[p] = i % m.g
        return grp
    slots = [list(row) for row in comp]
    nc = len(m.city_names)
    cc = [[0] * nc for _ in range(m.g)]
    grp = [-1] * m.n
    by_city: dict[int, list[int]] = defaultdict(list)
    for p in range(m.n):
        by_city[m.city[p]].append(p)
    city_order = sorted((c for c in by_city if c >= 0),
                        key=lambda c: (-len(by_city[c]), rng.random()))
    order: list[int] = []
    for c in city_order + ([-1] if -1 in by_city else []):
        ps = by_city[c]
        rng.shuffle(ps)
        order.extend(ps)
    groups = list(range(m.g))
    rng.shuffle(groups)
    for i, p in enumerate(order):
        if (i & 63) == 0 and should_stop():
            return _quick_round(model, rng)
        r, c = m.role[p], m.city[p]
        cost: dict[int, int] = defaultdict(int)
        for q, v in t[p].items():
            k = grp[q]
            if k >= 0:
                cost[k] += v * v
        for q in m.apart[p]:
            if grp[q] >= 0:
                cost[grp[q]] += 1 << 40  # a pair kept apart weighs more than any repeat
        # ties broken by a random group order: one shuffle per round, rotated per person
        off = i % m.g
        best_k, best_key = -1, None
        hi = m.city_hi[c] if c >= 0 else 0
        for k in groups[off:] + groups[:off]:
            if slots[k][r] <= 0:
                continue
            if c >= 0:
                x = cc[k][c]
                key = ((x + 1 > hi) + (cost[k] >> 40), x, cost[k])
            else:
                key = (cost[k] >> 40, 0, cost[k])
            if best_key is None or key < best_key:
                best_k, best_key = k, key
        grp[p] = best_k
        slots[best_k][r] -= 1
        if c >= 0:
            cc[best_k][c] += 1
    return grp


def _round_from_groups(model: _Model, groups: Sequence[Sequence[str]]) -> list[int] | None:
    grp = [-1] * model.n
    for k, group in enumerate(groups):
        for pid in group:
            if pid in model.index and k < model.g:
                grp[model.index[pid]] = k
    if any(x < 0 for x in grp):
        return None
    return grp


def _constructed_rounds(model: _Model, rng: random.Random, should_stop: Callable[[], bool],
                        repeat_free: bool = True) -> list[list[int]]:
    """Repeat-free rounds from a construction, as group-index lists (may be empty);
    ``repeat_free``: whether a whole plan without repeats may exist (the bound is 0), else
    the starter search, which looks for one, is not run."""
    m = model
    n, g, w = m.n, m.g, m.w
    if n % g or n // g < 2 or m.problem.fixed or m.prior:
        return []
    s = n // g
    cells: dict[int, tuple[int, int]] = {}
    if m.is_plain():
        for p in range(n):
            cells[p] = (p // g, p % g)
    else:
        # roles x cities grid: each role has g people, each city at most one per role.
        roles = sorted(set(m.role))
        if len(roles) != s or any(m.role.count(r) != g for r in roles):
            return []
        ncity = len(m.city_names)
        if ncity > g:
            return []
        for ri, r in enumerate(roles):
            people = [p for p in range(n) if m.role[p] == r]
            used = {m.city[p] for p in people if m.city[p] >= 0}
            if len(used) != sum(1 for p in people if m.city[p] >= 0):
                return []
            spare = [c for c in range(g) if c not in used]
            for p in people:
                cells[p] = (ri, m.city[p] if m.city[p] >= 0 else spare.pop(0))
    grids = [grid_rounds(s, g) or [], cyclic_rounds(s, g, w)]
    grid = max(grids, key=len)
    rounds: list[list[int]] = []
    where = {cell: p for p, cell in cells.items()}
    for groups in grid:
        grp = [0] * n
        for k, group in enumerate(groups):
            for cell in group:
                grp[where[cell]] = k
        rounds.append(grp)
    if m.is_plain() and len(rounds) < w and repeat_free and not should_stop():
        found = starter_rounds(n, g, w, rng, node_budget=STARTER_NODES, should_stop=should_stop)
        if found is not None:
            rounds = []
            for starter_groups in found:
                grp = [0] * n
                for k, members in enumerate(starter_groups):
                    for p in members:
                        grp[p] = k
                rounds.append(grp)
    return rounds


def _to_ids(model: _Model, grp_rounds: list[list[int]]) -> tuple[tuple[tuple[str, ...], ...], ...]:
    out = []
    for grp in grp_rounds:
        groups: list[list[str]] = [[] for _ in range(model.g)]
        for p, k in enumerate(grp):
            groups[k].append(model.ids[p])
        out.append(tuple(sorted(tuple(sorted(x)) for x in groups)))
    return tuple(out)


def run_search(
    problem: MixProblem,
    *,
    seed: int,
    time_limit: float,
    max_iterations: int | None,
    clock: Callable[[], float],
    progress: Callable[[float, MixQuality], None] | None,
) -> MixResult:
    rng = random.Random(seed)
    start = clock()
    model = _Model(problem)
    lb, lb_proof = bound_details(problem)
    w = model.w
    cycle = _cycle_length(model)
    if cycle is not None:
        return _cycled(problem, model, cycle, lb, lb_proof, seed=seed, time_limit=time_limit,
                       max_iterations=max_iterations, clock=clock, progress=progress)
    budget = work_budget(problem) if max_iterations is None else None

    clock_cut = [False]  # a phase ended on the clock: the plan is not the budget's

    def finish(grp_rounds: list[list[int]], it: int, stopped: str) -> MixResult:
        if stopped in ("work_limit", "iteration_limit") and clock_cut[0]:
            stopped = "time_limit"
        rounds = _to_ids(model, grp_rounds)
        if problem.stable and rounds:
            rounds = tuple(rounds[0] for _ in range(w))
        for r, groups in problem.fixed.items():  # keep fixed rounds exactly as given
            if 0 <= r < len(rounds):
                rounds = rounds[:r] + (tuple(sorted(tuple(sorted(x)) for x in groups)),) \
                    + rounds[r + 1:]
        q = quality(problem, rounds, bound=lb, bound_proven=lb_proof)
        violations = tuple(validate_rounds(problem, rounds))
        if q.repeats <= lb and not violations:  # at the bound, however the search ended
            stopped = "optimal"
        if progress is not None:
            progress(1.0, q)
        return MixResult(rounds=rounds, quality=q, violations=violations,
                         seed=seed, iterations=it, stopped_by=stopped)

    if model.n == 0 or w == 0:
        return finish([[] for _ in range(w)], 0, "optimal")

    # time kept to count the plan's meetings and check it: grows with pairs in groups
    reserve = FINISH_RESERVE + w * model.n * max(1, model.n // model.g) * FINISH_PER_MEETING

    def should_stop() -> bool:
        # the safety net: phases end on their work budgets; this only guards the time limit.
        # Once it fires, whatever phase asked was cut by the clock: the result says so
        # (tester's F10 under load: the annealing cut by the clock still said work_limit).
        if clock() - start >= time_limit - reserve:
            clock_cut[0] = True
            return True
        return False

    # Rounds to plan: in stable mode one round stands for all (its repeats are forced).
    planned = 1 if problem.stable else w
    fixed: dict[int, list[int]] = {}
    for r, groups in problem.fixed.items():
        grp = _round_from_groups(model, groups)
        if grp is not None and 0 <= r < planned:
            fixed[r] = grp
    if problem.stable and not fixed and problem.fixed:
        first = _round_from_groups(model, problem.fixed[min(problem.fixed)])
        if first is not None:
            fixed[0] = first
    free = [r for r in range(planned) if r not in fixed]

    grp_rounds: list[list[int]] = [[] for _ in range(planned)]
    for r, grp in fixed.items():
        grp_rounds[r] = grp

    if not problem.stable and not fixed and lb > 0:
        # the reference programme's shape: search the structure of the optimal plans
        sizes = model.sizes
        unmet_allowed = lb - w * sum(s * (s - 1) // 2 for s in sizes) + model.n * (model.n - 1) // 2

        def structured_stop() -> bool:  # safety net only: leave the rest room for a plan
            if clock() - start >= time_limit * 0.7:
                clock_cut[0] = True  # the clock, not the work, ended a phase: say so
            return clock_cut[0]

        plan = structured_rounds(model, unmet_allowed, rng, structured_stop)
        if plan is None and w == MAX_ROUNDS + 1:
            plan = _structured_plus_one(problem, model, rng, structured_stop)
        if plan is None:  # cities one person larger, the added people taken out (phantoms.py)
            plan = phantoms.phantom_plan(model, lb, seed, structured_stop)  # own random stream
        if plan is None:  # cities of any size as sets of words (words.py)
            plan = words.city_plan(model, lb, rng, structured_stop)
        near = False
        if plan is None and max_iterations is None:  # more activists than 2 per group:
            # those 2 by the structure, the rest added (activists.py; its own random stream)
            plan = activists.extra_plan(model, seed, structured_stop, polish_moves(problem))
            near = plan is not None
        if plan is None:  # a neighbouring shape's structure, cities moved (neighbours.py)
            # its own random stream: where it finds nothing, the search below is unchanged
            found = neighbours.neighbour_plan(model, random.Random(seed), structured_stop)
            plan, near = (found[0], True) if found is not None else (None, False)
        if plan is not None:
            built = _to_ids(model, plan)
            if not validate_rounds(problem, built):
                if quality(problem, built, bound=lb).repeats <= lb:
                    return finish(plan, 0, "optimal")
                if near and max_iterations is None:  # the local search does not improve
                    return finish(plan, 0, "work_limit")  # it (6 and 8 cities): its end

    # small problems always get a greedy start (it is instant); its work grows with the
    # people times the groups, or times the group size (2 groups of 500: a second a round)
    big = model.n * max(model.g, model.n // model.g) >= GREEDY_ALWAYS

    def big_stop() -> bool:
        return big and should_stop()

    constructed = [] if problem.stable else _constructed_rounds(model, rng, should_stop,
                                                                lb == 0)
    # keep constructed rounds that satisfy every per-round rule
    valid_built = []
    for grp in constructed:
        ids_round = _to_ids(model, [grp])
        single = MixProblem(people=problem.people, rounds=1, groups=problem.groups,
                            min_per_group=problem.min_per_group,
                            spread_roles=problem.spread_roles,
                            spread_cities=problem.spread_cities,
                            keep_apart=problem.keep_apart)
        if not validate_rounds(single, ids_round):
            valid_built.append(grp)
    # incremental meetings for the greedy: t[p] = {q: times met}
    met: list[dict[int, int]] = [defaultdict(int) for _ in range(model.n)]
    for (a, b), c in model.prior.items():
        met[a][b] += c
        met[b][a] += c

    def record(grp: list[int]) -> None:
        members: dict[int, list[int]] = defaultdict(list)
        for p, k in enumerate(grp):
            members[k].append(p)
        for ms in members.values():
            for i, a in enumerate(ms):
                for b in ms[i + 1:]:
                    met[a][b] += 1
                    met[b][a] += 1

    for grp in fixed.values():
        record(grp)
    for r in free:
        if valid_built:
            grp_rounds[r] = valid_built.pop(0)
        elif big_stop():
            grp_rounds[r] = _quick_round(model, rng)
        else:
            grp_rounds[r] = _greedy_round(model, met, rng, big_stop)
        if not big_stop():  # the meetings so far serve the greedy of the next rounds only
            record(grp_rounds[r])
    if should_stop() and (big or model.n // model.g > 50):
        _make_valid(model, grp_rounds, free, rng)
        return finish(grp_rounds, 0, "time_limit")

    # Dense problems (the bound is above zero because people meet more often than there are
    # partners) are about covering every pair once: track the pairs not met yet and aim moves
    # at them, as conflicts aim moves at repeats.
    eligible: set[int] | None = None
    if lb > 0 and not problem.stable and model.n <= DENSE_MAX_PEOPLE:
        eligible = _eligible_pairs(problem, model)
    state = _State(model, grp_rounds, free, eligible)
    same_role: dict[int, list[int]] = defaultdict(list)
    for p in range(model.n):
        same_role[model.role[p]].append(p)
    _repair(state, same_role, big_stop)
    if state.H:  # a stop may cost repeats, never validity: the start keeps the rules
        _make_valid(model, grp_rounds, free, rng)
        state = _State(model, grp_rounds, free, eligible)
    best = (state.H, state.R)
    best_grp = state.snapshot()
    if best[0] == 0 and exchange.applies(model):  # many groups: exchanges (exchange.py)
        def report(frac: float, grps: list[list[int]]) -> None:
            if progress is not None and clock() - last_report[0] >= 0.25:
                last_report[0] = clock()
                progress(frac, quality(problem, _to_ids(model, grps), bound=lb))

        last_report = [start]
        plan, _ = exchange.anneal(model, best_grp, free, rng,
                                  exchange.moves_for(model, max_iterations), should_stop,
                                  report)
        return finish(plan, 0, "work_limit" if max_iterations is None else "iteration_limit")

    # In stable mode one round is searched; its repeats above those of earlier sessions
    # alone are exactly the full plan's repeats above the bound (pairs met before that meet
    # again), so the target there is the earlier sessions' own count.
    target = sum(max(0, c - 1) for c in model.prior.values()) if problem.stable else lb

    def reached() -> bool:
        return state.H == 0 and state.R <= target

    def _expand(grps: list[list[int]]) -> tuple[tuple[tuple[str, ...], ...], ...]:
        ids_rounds = _to_ids(model, grps)
        return tuple(ids_rounds[0] for _ in range(w)) if problem.stable else ids_rounds

    last_report = [start]
    it = 0
    if reached():
        return finish(best_grp, it, "optimal")
    if eligible is not None and best[0] == 0 and max_iterations is None:
        early = _early_polish(model, best_grp, free, rng, lb, should_stop)
        if early is not None:  # few rounds: the annealing reached the bound at once
            return finish(early, it, "optimal")
    n, g = model.n, model.g
    tabu = [[0] * (n * g) for _ in range(planned)]
    stall = 0
    stall_limit = max(200, 20 * n)
    stopped = "time_limit"
    work = 0
    gsize = max(2, n // g)
    scan = len(free) * n // 8 + 1  # the conflict scan of every step
    heavy = MAX_POSITIONS * MAX_PARTNERS * gsize > 100_000  # a step can take a while
    while True:
        if max_iterations is not None and it >= max_iterations:
            stopped = "iteration_limit"
            break
        if budget is not None and work >= budget:
            stopped = "work_limit"
            break
        if ((it & 15) == 0 or heavy) and should_stop():
            stopped = "time_limit"
            break
        it += 1
        if progress is not None and (it & 63) == 0 and clock() - last_report[0] >= 0.25:
            last_report[0] = clock()
            frac = work / budget if budget else it / (max_iterations or 1)
            progress(min(1.0, max(frac, (clock() - start) / time_limit if time_limit > 0
                                  else 1.0)),
                     quality(problem, _expand(best_grp), bound=lb))
        moves = _candidate_moves(state, rng, same_role)
        work += max(MIN_STEP_WORK, scan + len(moves) * gsize)
        if not moves:
            _perturb(state, rng, same_role, 3)
            stall += 1
            continue
        best_move = None
        best_key: tuple[int, int, float] | None = None
        check_hard = bool(state.H) or any(model.apart) or bool(model.city_names)
        for r, a, b in moves:
            ga, gb = state.grp[r][a], state.grp[r][b]
            dr, dq = state.move_delta(r, a, b)
            dh = state.hard_delta(r, a, b) if check_hard else 0
            tabu_r = tabu[r]
            if (tabu_r[a * g + gb] > it or tabu_r[b * g + ga] > it) and \
                    (state.H + dh, state.R + dr) >= best:
                continue
            key = (HARD_WEIGHT * dh + dr, dq, rng.random())
            if best_key is None or key < best_key:
                best_key, best_move = key, (r, a, b)
        if best_move is None:
            stall += 1
            continue
        r, a, b = best_move
        ga, gb = state.grp[r][a], state.grp[r][b]
        state.swap(r, a, b)
        tenure = 4 + rng.randrange(max(4, n // 4))
        tabu[r][a * g + ga] = it + tenure
        tabu[r][b * g + gb] = it + tenure
        cur = (state.H, state.R)
        if cur < best:
            best = cur
            best_grp = state.snapshot()
            stall = 0
            if reached():
                stopped = "optimal"
                break
        else:
            stall += 1
        if stall > stall_limit:
            state = _State(model, [list(x) for x in best_grp], free, eligible)
            _perturb(state, rng, same_role, 2 + rng.randrange(max(2, n // 8)))
            tabu = [[0] * (n * g) for _ in range(planned)]
            stall = 0
    if stopped == "work_limit" and eligible is not None and best[0] == 0:
        # dense shapes: anneal the best plan on the pairs that never meet (words.py)
        polished, unmet = words.polish(model, best_grp, free, rng, polish_moves(problem),
                                       should_stop, _unmet_target(model, best_grp, lb))
        if unmet < words.unmet_pairs(model, best_grp):
            best_grp = polished
            if repeats(problem, _to_ids(model, best_grp)) <= lb:
                stopped = "optimal"
    return finish(best_grp, it, stopped)


def _make_valid(model: _Model, grp_rounds: list[list[int]], free: list[int],
                rng: random.Random) -> None:
    """Make the free rounds keep the city and keep-apart rules, in place, before any stop
    is honoured (tester's F3, F7: stopped early, the start was returned with whole cities in
    one group): each broken round repaired (repair.py), else dealt anew and repaired, else
    replaced by a copy of a valid round (a valid round again beats a broken one). Spends
    work, never time: ``REPAIR_ROUNDS`` rounds' worth of ``repair.repair_work`` at most."""
    left = repair.repair_work(model) * REPAIR_ROUNDS
    valid = [r for r in free if not repair.round_penalty(model, grp_rounds[r])]
    broken = [r for r in free if r not in valid]
    still = []
    for r in broken:
        h, spent = repair.repair_round(model, grp_rounds[r], rng,
                                       min(repair.repair_work(model), left))
        left -= spent
        if h and left > 0:  # a second start, dealt without looking at the meetings
            other = repair.dealt_round(model, rng)
            h2, spent = repair.repair_round(model, other, rng,
                                            min(repair.repair_work(model), left))
            left -= spent
            if h2 < h:
                grp_rounds[r][:] = other
                h = h2
        if h:
            still.append(r)
        else:
            valid.append(r)
    for i, r in enumerate(still):
        if valid:
            grp_rounds[r][:] = grp_rounds[valid[i % len(valid)]]


def _cycle_length(model: _Model) -> int | None:
    """Rounds to plan when the programme is long enough to repeat them (``CYCLE_ROUNDS``),
    None to plan every round."""
    p = model.problem
    if p.stable or p.fixed or model.prior or model.n < 2:
        return None
    s = min(model.sizes)
    cover = -(-(model.n - 1) // (s - 1)) if s > 1 else 1  # rounds to meet everyone once
    cycle = max(CYCLE_ROUNDS, CYCLE_COVERS * cover)
    return cycle if model.w > cycle else None


def _cycled(problem: MixProblem, model: _Model, cycle: int, lb: int, lb_proof: bool, *,
            seed: int, time_limit: float, max_iterations: int | None,
            clock: Callable[[], float],
            progress: Callable[[float, MixQuality], None] | None) -> MixResult:
    """The first ``cycle`` rounds planned, then repeated in turn up to the last round.

    Repeats are the pair-meetings (fixed by the group sizes) minus the pairs that meet at
    least once, so rounds repeated after people met all they could lose nothing, and the
    rules of a round hold in its copies."""
    from dataclasses import replace

    start = clock()
    w = model.w
    # the whole plan is counted and checked after the search: keep time for it
    reserve = FINISH_RESERVE + w * model.n * CYCLE_FINISH_PER_PLACE
    sub = replace(problem, rounds=cycle)
    first = run_search(sub, seed=seed, time_limit=max(0.0, time_limit - reserve),
                       max_iterations=max_iterations, clock=clock, progress=None)
    rounds = tuple(first.rounds[r % cycle] for r in range(w))
    # a copy breaks the rules its round breaks: checking the cycle checks the plan
    violations = first.violations and tuple(validate_rounds(problem, rounds))
    q = quality(problem, rounds, bound=lb, bound_proven=lb_proof)
    stopped = first.stopped_by
    if q.repeats <= lb and not violations:
        stopped = "optimal"
    elif stopped == "optimal":  # the cycle's bound, not the plan's: reproducible, not optimal
        stopped = "work_limit"
    if clock() - start > time_limit and stopped == "work_limit":
        stopped = "time_limit"
    if progress is not None:
        progress(1.0, q)
    return MixResult(rounds=rounds, quality=q, violations=tuple(violations), seed=seed,
                     iterations=first.iterations, stopped_by=stopped)


def _structured_plus_one(problem: MixProblem, model: _Model, rng: random.Random,
                         should_stop: Callable[[], bool]) -> list[list[int]] | None:
    """One round more than the structure has (6 on the reference's shape): the structured
    plan of the first rounds, then a round in which every pair they left unmet meets (see
    ``covering_round``); None when either step finds nothing."""
    from dataclasses import replace

    sub = replace(problem, rounds=model.w - 1)
    sub_model = _Model(sub)
    if shape_of(sub_model) is None:  # not the structure's shape: nothing more to compute
        return None
    sub_lb = bound_details(sub)[0]
    n = model.n
    unmet_allowed = sub_lb - sub_model.w * sum(s * (s - 1) // 2 for s in model.sizes) \
        + n * (n - 1) // 2
    first = structured_rounds(sub_model, unmet_allowed, rng, should_stop)
    if first is None:
        return None
    last = covering_round(model, first, rng, should_stop=should_stop)
    return None if last is None else [*first, last]


def work_budget(problem: MixProblem) -> int:
    """The tabu search's default work budget (see ``WORK_BUDGET``): the same for every
    machine, so the plan does not depend on the machine's speed; a share of it above
    ``NEIGHBOUR_PEOPLE`` people (``LARGE_SHARE``)."""
    return int(WORK_BUDGET * _size_share(problem))


def _early_polish(model: _Model, grp_rounds: list[list[int]], free: list[int],
                  rng: random.Random, lb: int, should_stop: Callable[[], bool],
                  ) -> list[list[int]] | None:
    """With few rounds (their meetings no more than the pairs, so that every meeting may be
    a first one: 3 rounds of the reference's people), anneal the valid start on its unmet
    pairs before the tabu search (``EARLY_POLISH_TRIES`` times ``EARLY_POLISH_SHARE`` of its
    proposals); the plan if it reaches the bound, else None. Draws from a copy of ``rng``:
    where it returns None the search goes on exactly as without it; with more rounds it is
    not tried at all."""
    target = _unmet_target(model, grp_rounds, lb)
    if target < 0 or _meetings(grp_rounds) > model.n * (model.n - 1) // 2:
        return None
    own = random.Random()
    own.setstate(rng.getstate())
    moves = int(polish_moves(model.problem) * EARLY_POLISH_SHARE)
    tries = EARLY_POLISH_TRIES if model.n <= NEIGHBOUR_PEOPLE else 1  # larger: cost kept low
    for _ in range(tries):  # each from the start, on the draws left by the last
        plan, unmet = words.polish(model, grp_rounds, free, own, moves, should_stop, target)
        if unmet <= target:
            return plan
        if should_stop():
            break
    return None


def _unmet_target(model: _Model, grp_rounds: list[list[int]], lb: int) -> int:
    """The unmet pairs at which a plan with these group sizes has ``lb`` repeats (every
    pair's meetings beyond the first: the meetings of all rounds less the pairs that meet),
    so that the annealing stops there; -1 (never) with meetings from earlier sessions, which
    that count leaves out."""
    if model.prior:
        return -1
    return lb - _meetings(grp_rounds) + model.n * (model.n - 1) // 2


def _meetings(grp_rounds: list[list[int]]) -> int:
    """The pair-meetings of these rounds (group of each person, per round), repeats included."""
    return sum(s * (s - 1) // 2 for grp in grp_rounds for s in Counter(grp).values())


def polish_moves(problem: MixProblem) -> int:
    """The annealing's default proposals (``words.polish_moves``), with the same share, and
    fewer for groups above ``POLISH_GROUP_SIZE`` (a proposal goes through both groups: 400
    people in 4 groups of 100 took 18 CPU s)."""
    n, g = len(problem.people), max(1, problem.groups)
    share = _size_share(problem) * min(1.0, POLISH_GROUP_SIZE * g / max(1, n))
    return int(words.polish_moves(n) * share)


def _size_share(problem: MixProblem) -> float:
    return 1.0 if len(problem.people) <= NEIGHBOUR_PEOPLE else LARGE_SHARE


def _quick_round(model: _Model, rng: random.Random) -> list[int]:
    """A round at once, when the time limit leaves no room for the greedy: the role
    composition dealt city by city over the groups (repair.py), without looking at the
    meetings so far."""
    return repair.dealt_round(model, rng)


def _eligible_pairs(problem: MixProblem, model: _Model) -> set[int]:
    from cotrain.domain.scheduling.mixing import _forced_apart

    apart = _forced_apart(problem)
    n = model.n
    out = set()
    for a in range(n):
        for b in range(a + 1, n):
            if (model.ids[a], model.ids[b]) not in apart:
                out.add(a * n + b)
    return out


def _candidate_moves(state: _State, rng: random.Random,
                     same_role: dict[int, list[int]]) -> list[tuple[int, int, int]]:
    """Swaps worth evaluating: every swap of a sampled person in conflict (a repeat or a
    broken rule) and, on dense problems, swaps that make a sampled unmet pair meet."""
    m = state.m
    n = m.n
    positions: list[tuple[int, int]] = []
    for r in state.free:
        conf_r = state.conf[r]
        positions.extend((r, p) for p in range(n) if conf_r[p])
    if state.H:
        for r in state.free:
            positions.extend((r, p) for p in state.hard_positions(r))
    k_pos = MAX_POSITIONS if not state.unmet else MAX_POSITIONS // 3
    if len(positions) > k_pos:
        positions = rng.sample(positions, k_pos)
    moves: list[tuple[int, int, int]] = []
    for r, a in positions:
        gr = state.grp[r]
        ga = gr[a]
        partners = same_role[m.role[a]]
        if len(partners) > MAX_PARTNERS:  # large roles: a sample keeps a step bounded
            partners = rng.sample(partners, MAX_PARTNERS)
        moves.extend((r, a, b) for b in partners if gr[b] != ga)
    if state.unmet:
        unmet = state.unmet
        picks = rng.sample(sorted(unmet), min(len(unmet), MAX_UNMET)) \
            if len(unmet) > MAX_UNMET else list(unmet)
        for key in picks:
            a, y = divmod(key, n)
            for r in state.free:
                gr = state.grp[r]
                ga, gy = gr[a], gr[y]
                if ga == gy:
                    continue
                mem = state.members[r]
                moves.extend((r, a, b) for b in mem[gy] if b != y and m.role[b] == m.role[a])
                moves.extend((r, y, c) for c in mem[ga] if c != a and m.role[c] == m.role[y])
    return moves


def _repair(state: _State, same_role: dict[int, list[int]],
            should_stop: Callable[[], bool] = lambda: False) -> None:
    """Steepest descent on the broken city / keep-apart rules of the start, round by round
    (same-role swaps only, so role quotas hold): the greedy start may leave a city short or
    doubled where a swap fixes it, and the search proper should not spend its steps there."""
    m = state.m
    for r in state.free:
        for _ in range(m.n):
            if should_stop() or not state.round_penalty(r):
                break
            best_move, best_dh = None, 0
            for a in state.hard_positions(r):
                ga = state.grp[r][a]
                for b in same_role[m.role[a]]:
                    if state.grp[r][b] != ga:
                        dh = state.hard_delta(r, a, b)
                        if dh < best_dh:
                            best_move, best_dh = (a, b), dh
            if best_move is None:
                break
            state.swap(r, *best_move)


def _perturb(state: _State, rng: random.Random, same_role: dict[int, list[int]],
             count: int) -> None:
    """A few random same-role swaps in free rounds that do not add hard violations."""
    if not state.free:
        return
    for _ in range(count):
        for _try in range(20):
            r = rng.choice(state.free)
            a = rng.randrange(state.m.n)
            b = rng.choice(same_role[state.m.role[a]])
            if state.grp[r][a] != state.grp[r][b] and state.hard_delta(r, a, b) <= 0:
                state.swap(r, a, b)
                break
