"""``cotrain mix``: the mixing engine on its own, on a list of people (no workspace needed).

PEOPLE is a CSV, XLSX or JSON file. A table needs an ``id`` column and may have ``role`` and
``city`` columns (French headers ``identifiant``, ``rôle``, ``ville`` work too). A JSON file is
either a list of ``{"id", "role", "city"}`` or a whole instance
``{"participants": [...], "rounds", "groups", "min_per_group": {role: n}, "keep_apart": [[a, b]]}``;
options given on the command line override the instance's values.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated, Any

import typer

from cotrain.cli.common import JsonOpt, LangOpt, WorkspaceOpt, choose_language, help_text
from cotrain.i18n import t

HEADERS = {
    "id": "id",
    "identifiant": "id",
    "identifier": "id",
    "role": "role",
    "rôle": "role",
    "city": "city",
    "ville": "city",
    "commune": "city",
}


def _header_key(header: str) -> str | None:
    return HEADERS.get(header.strip().casefold())


def read_people(path: Path) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """People (id, role, city) and, for a JSON instance, its other settings."""
    from cotrain.errors import InputError, Location

    if path.suffix.lower() == ".json":
        import json

        try:
            data = json.loads(path.read_text(encoding="utf-8-sig"))
        except FileNotFoundError:
            raise InputError(t("mix.file_missing", file=str(path))) from None
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            line = getattr(exc, "lineno", None)
            raise InputError(
                t("mix.bad_json", reason=getattr(exc, "msg", str(exc))),
                location=Location(file=path.name, line=line),
            ) from None
        settings: dict[str, Any] = {}
        if isinstance(data, dict):
            key = "participants" if "participants" in data else "people"
            settings = {k: v for k, v in data.items() if k != key}
            data = data.get(key)
        if not isinstance(data, list):
            raise InputError(t("mix.json_shape"), location=Location(file=path.name))
        people = []
        for i, item in enumerate(data):
            where = Location(file=path.name, key=f"participants[{i}]")
            if isinstance(item, str):
                item = {"id": item}
            if not isinstance(item, dict) or not str(item.get("id", "")).strip():
                raise InputError(t("mix.no_id"), location=where)
            people.append(
                {
                    "id": str(item["id"]).strip(),
                    "role": role_value(str(item["role"])) if item.get("role") else None,
                    "city": str(item["city"]).strip() if item.get("city") else None,
                    "where": where,
                }
            )
        return people, settings
    from cotrain.files.importers.tabular import read_table

    table = read_table(path)
    columns = {_header_key(h): i for i, h in enumerate(table.headers) if _header_key(h)}
    if "id" not in columns:
        raise InputError(
            t("mix.no_id_column", headers=", ".join(table.headers)),
            location=Location(file=table.file),
            hint=t("mix.no_id_column_hint"),
        )
    people = []
    for row in table.rows:

        def cell(name: str, row: Any = row) -> str | None:
            k = columns.get(name)
            value = row.cells[k].strip() if k is not None and k < len(row.cells) else ""
            return value or None

        if not any(c.strip() for c in row.cells):
            continue
        pid = cell("id")
        if pid is None:
            raise InputError(t("mix.no_id"), location=table.location(row, "id"))
        people.append(
            {
                "id": pid,
                "role": role_value(cell("role")),
                "city": cell("city"),
                "where": table.location(row, "id"),
            }
        )
    return people, {}


def role_value(raw: str | None) -> str | None:
    """A role as cotrain.toml and the forms write it ("militant", "Élu·e", "agent") becomes
    the stable value (``activist``, ``elected``...); any other word is kept as a role of its
    own, so that --min and min_per_group may name it."""
    if raw is None or not raw.strip():
        return None
    from cotrain.enums import all_roles

    if raw.strip() in {r.value for r in all_roles()}:
        return raw.strip()  # the stable value itself: no need to load the form parser
    from cotrain.domain.surveys import parse_role

    role = parse_role(raw)
    return role.value if role is not None else raw.strip()


def seconds_since_start() -> float:
    """Seconds since this process started (Linux: /proc), so that --time-limit counts the
    start-up and the reading of the file too (issue 12: the limit is the user's whole wait);
    0 where the process start is not known."""
    import os

    if os.environ.get("COTRAIN_PROCESS") != str(os.getpid()):
        return 0.0  # called in-process (tests): the process is older than the command
    try:
        with open("/proc/self/stat", encoding="ascii") as handle:
            ticks = int(handle.read().rsplit(")", 1)[1].split()[19])
        with open("/proc/uptime", encoding="ascii") as handle:
            uptime = float(handle.read().split()[0])
        return max(0.0, uptime - ticks / os.sysconf("SC_CLK_TCK"))
    except (OSError, ValueError, IndexError):
        return 0.0


# Seconds kept, after the search, for writing the plan out.
OUTPUT_RESERVE = 0.1
# Start-up (Python and the imports) not charged to the search: the limit may be overrun by
# 0.5 s at most (issue 12), and charging the whole start-up left the reference programme
# 0.4 s short of the work that reaches its optimum.
STARTUP_GRACE = 0.35


# The clock that guards --time-limit, a safety net (the search stops on its work budgets);
# tests put one that never moves in its place, so that no result depends on speed.
search_clock = time.monotonic


def _parse_min(values: list[str]) -> dict[str, int]:
    from cotrain.errors import UsageError

    out: dict[str, int] = {}
    for value in values:
        role, _, number = value.partition("=")
        if not role.strip() or not number.strip().isdigit():
            raise UsageError(t("mix.bad_min", value=value))
        out[role_value(role) or role.strip()] = int(number)
    return out


def _parse_apart(values: list[str]) -> list[tuple[str, str]]:
    from cotrain.errors import UsageError

    out = []
    for value in values:
        parts = [p.strip() for p in value.split(",")]
        if len(parts) != 2 or not all(parts):
            raise UsageError(t("mix.bad_keep_apart", value=value))
        out.append((parts[0], parts[1]))
    return out


def _int_setting(settings: dict[str, Any], key: str, file: str) -> int | None:
    from cotrain.errors import InputError, Location

    value = settings.get(key)
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise InputError(t("mix.bad_setting", key=key), location=Location(file=file, key=key),
                         hint=t("mix.positive_hint", key=key))
    return value


def mix(
    people_file: Annotated[
        Path,
        typer.Argument(
            metavar=t("usage.arg.people_file"), help=t("mix.arg_people"), show_default=False
        ),
    ],
    groups: Annotated[
        int | None,
        typer.Option("--groups", min=1, help=t("schedule.opt.groups"), show_default=False),
    ] = None,
    rounds: Annotated[
        int | None,
        typer.Option("--rounds", min=1, help=t("schedule.opt.rounds"), show_default=False),
    ] = None,
    minimum: Annotated[
        list[str] | None, typer.Option("--min", help=t("schedule.opt.min"), show_default=False)
    ] = None,
    keep_apart: Annotated[
        list[str] | None,
        typer.Option("--keep-apart", help=t("schedule.opt.keep_apart"), show_default=False),
    ] = None,
    no_spread: Annotated[
        bool, typer.Option("--no-spread", help=t("schedule.opt.no_spread"))
    ] = False,
    time_limit: Annotated[
        float, typer.Option("--time-limit", min=0.1, help=t("schedule.opt.time_limit"))
    ] = 10.0,
    iterations: Annotated[
        int | None,
        typer.Option("--iterations", min=1, help=t("schedule.opt.iterations"), show_default=False),
    ] = None,
    seed: Annotated[int, typer.Option("--seed", help=t("schedule.opt.seed"))] = 0,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help=t("schedule.opt.output"), show_default=False),
    ] = None,
    json_out: JsonOpt = False,
    workspace: WorkspaceOpt = None,
    lang: LangOpt = None,
) -> None:
    import json

    from cotrain.cli.render import echo, emit_json
    from cotrain.cli.schedule import _Progress
    from cotrain.domain.scheduling.mixing import MixPerson, MixProblem, check_feasibility, solve_mix
    from cotrain.errors import InfeasibleError, InputError, Location, UsageError
    from cotrain.files.store import atomic_write_text

    choose_language(lang)
    people, settings = read_people(people_file)
    name = people_file.name
    seen: dict[str, Any] = {}
    for p in people:
        if p["id"] in seen:
            raise InputError(t("mix.duplicate_id", person=p["id"]), location=p["where"])
        seen[p["id"]] = p
    groups = groups or _int_setting(settings, "groups", name)
    rounds = rounds or _int_setting(settings, "rounds", name)
    if groups is None or rounds is None:
        raise UsageError(t("mix.need_groups_rounds"))
    mins = settings.get("min_per_group") or {}
    if not isinstance(mins, dict) or not all(isinstance(v, int) for v in mins.values()):
        raise InputError(
            t("mix.bad_setting", key="min_per_group"),
            location=Location(file=name, key="min_per_group"),
        )
    mins = {**{role_value(k) or k: v for k, v in mins.items()}, **_parse_min(minimum or [])}
    # the user's own word for each role (« militant » for activist), said back in messages
    words = {role_value(k) or k: k for k in mins_typed(settings, minimum)}
    apart_raw = settings.get("keep_apart") or []
    if not isinstance(apart_raw, list) or not all(
        isinstance(x, list) and len(x) == 2 for x in apart_raw
    ):
        raise InputError(
            t("mix.bad_setting", key="keep_apart"), location=Location(file=name, key="keep_apart")
        )
    in_file = [(str(a), str(b)) for a, b in apart_raw]
    typed = _parse_apart(keep_apart or [])
    for pairs, from_file in ((in_file, True), (typed, False)):
        for a, b in pairs:
            for pid in (a, b):
                if pid in seen:
                    continue
                if from_file:  # the file is wrong, not the command line
                    raise InputError(t("mix.unknown_keep_apart_file", person=pid),
                                     location=Location(file=name, key="keep_apart"))
                raise UsageError(t("mix.unknown_keep_apart", person=pid))
            if a == b:
                where = Location(file=name, key="keep_apart") if from_file else None
                raise InputError(t("mix.self_keep_apart", person=a), location=where)
    apart = in_file + typed
    problem = MixProblem(
        people=tuple(MixPerson(p["id"], p["role"], p["city"]) for p in people),
        rounds=rounds,
        groups=groups,
        min_per_group=mins,
        spread_roles=not no_spread,
        spread_cities=not no_spread,
        keep_apart=tuple(apart),
    )
    problems = check_feasibility(problem)
    if problems:
        raise InfeasibleError(
            t("mix.infeasible"),
            details=[_describe(v, "mix.infeasible_rule", words) for v in problems],
            hint=t("mix.infeasible_hint"),
        )
    spent = max(0.0, seconds_since_start() - STARTUP_GRACE)
    left = max(0.05, time_limit - spent - OUTPUT_RESERVE)
    with _Progress(not json_out) as progress:
        result = solve_mix(
            problem,
            seed=seed,
            time_limit=left,
            max_iterations=iterations,
            clock=search_clock,
            progress=progress,
        )
    q = result.quality
    data = {
        "rounds": [[list(g) for g in r] for r in result.rounds],
        "quality": {
            "repeats": q.repeats,
            "lower_bound": q.lower_bound,
            "distinct_pairs_met": q.distinct_pairs_met,
            "max_times_met": q.max_times_met,
            "rounds_without_repeat": q.rounds_without_repeat,
            "lower_bound_proven": q.lower_bound_proven,
            "gap": q.repeats - q.lower_bound,
        },
        "lower_bound": q.lower_bound,
        "lower_bound_proven": q.lower_bound_proven,
        "gap": q.repeats - q.lower_bound,
        "seed": seed,
        "stopped_by": result.stopped_by,
        "iterations": result.iterations,
        "violations": [
            {"rule": v.rule, "round": v.round, "group": v.group, "params": v.params}
            for v in result.violations
        ],
    }
    if output is not None and not result.violations:  # never a plan that breaks the rules
        atomic_write_text(output, json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    if json_out or output is None:
        emit_json(data)
    else:
        if not result.violations:
            echo(t("mix.done", people=len(people), groups=groups, rounds=rounds,
                   file=str(output)))
        gap = q.repeats - q.lower_bound
        kind = "proven" if q.lower_bound_proven else "counting"
        echo(t(f"mixing.quality.{kind}", repeats=q.repeats, lower_bound=q.lower_bound, gap=gap))
        echo(t(f"mixing.stop.{result.stopped_by}", gap=gap))
    if result.violations:
        raise InfeasibleError(
            t("mix.broken", count=len(result.violations)),
            details=[_describe(v, words=words) for v in result.violations],
            hint=t("mix.broken_hint") if output is not None else None,
        )


def mins_typed(settings: dict[str, Any], minimum: list[str] | None) -> list[str]:
    """The role words as typed in the file's ``min_per_group`` and in ``--min ROLE=N``."""
    typed = [str(k).strip() for k in (settings.get("min_per_group") or {})]
    typed += [v.partition("=")[0].strip() for v in minimum or []]
    return [w for w in typed if w]


def _describe(v: Any, prefix: str = "mix.rule", words: dict[str, str] | None = None) -> str:
    """A mixing violation in plain words (rounds and groups numbered from 1); a role is named by
    the word the user typed for it."""
    params = {
        k: (", ".join(map(str, x)) if isinstance(x, list) else x) for k, x in v.params.items()
    }
    if words and params.get("role") in words:
        params["role"] = words[params["role"]]
    rule = v.rule
    if rule == "min_role" and prefix == "mix.infeasible_rule" and not params.get("max_groups"):
        # "plan at most 0 groups" is no advice: nobody has the role, or too few for one group
        rule = "min_role_none" if not params.get("available") else "min_role_short"
    text = t(f"{prefix}.{rule}", **params)
    if v.round is None:
        return text
    if v.group is None:
        return t("mix.where_round", round=v.round + 1, text=text)
    return t("mix.where_group", round=v.round + 1, group=v.group + 1, text=text)


def register(app: typer.Typer) -> None:
    app.command("mix", help=help_text("mix"))(mix)
