"""Six programmes shaped unlike the example, each set up with ``cotrain init`` and its answers
(options) and run through the whole pipeline as a new user would (issue 15).

    python tests/data/programmes/make_programmes.py [OUT_DIR] [--shape NAME ...]

Without ``--shape`` every shape runs, each in ``OUT_DIR/<shape>`` (a temporary folder by
default), from the installed ``cotrain`` (the one on PATH). Each run: init -> an applications
file written for that programme (make_applications.py) -> import, check, select, participants,
trainers, schedule, schedule check, roster, calendar, sheets, letters, attend, report,
certificates, attestations, bilan; then the schedule is read back: every mixed group holds its
activists and a duo (or, with activists co-leading, a trainer and an activist). Prints one line
per shape and exits 1 at the first failure with the command and its output.

tests/cli/test_programmes.py runs the same shapes through the CLI in-process (``run_shape``
takes the runner), so the test suite and this script check the same thing.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
from tests.data.programmes.make_applications import write as write_applications  # noqa: E402


@dataclass(frozen=True)
class Shape:
    """One programme: the answers given to ``cotrain init`` and how many cities apply."""

    options: tuple[str, ...]
    candidates: int
    # The schedule's work budget (search iterations): keeps the run cheap and reproducible.
    iterations: int = 300


SHAPES: dict[str, Shape] = {
    # The smallest: three cities, one day (two half-days), two activists, one mixed group.
    "one-day": Shape(
        (
            "--title",
            "Journée croisée du Val-de-Marne",
            "--place",
            "Centre social, Ivry-sur-Seine",
            "--organiser",
            "Centre de ressources politique de la ville",
            "--start",
            "2026-01-13",
            "--days",
            "1",
            "--cities",
            "3",
            "--activists",
            "2",
            "--mixed-groups",
            "1",
        ),
        3,
    ),
    # A triad of three publics, no delegate: elected, professional, activist; two days.
    "triad-no-delegate": Shape(
        (
            "--title",
            "Co-formation en trinômes",
            "--start",
            "2026-02-02",
            "--days",
            "2",
            "--gap",
            "1",
            "--roles",
            "elected:1, professional:1",
            "--cities",
            "5",
            "--activists",
            "4",
            "--mixed-groups",
            "2",
        ),
        6,
    ),
    # Nine cities, four days, eight activists, four mixed groups, peer groups set by count.
    "large-counted": Shape(
        (
            "--title",
            "Co-formation Nord-Isère",
            "--start",
            "2026-03-02",
            "--days",
            "4",
            "--cities",
            "9",
            "--activists",
            "8",
            "--mixed-groups",
            "4",
            "--peer-groups",
            "professional=2, elected=2",
        ),
        11,
    ),
    # The prefect's delegate optional (half the cities have none); an odd number of half-days.
    "optional-delegate": Shape(
        (
            "--start",
            "2026-04-07",
            "--days",
            "2",
            "--half-days",
            "3",
            "--roles",
            "elected, professional:1-2, prefect_delegate?",
            "--cities",
            "5",
            "--activists",
            "4",
            "--mixed-groups",
            "2",
            "--funder",
            "Région=6000",
            "--cost",
            "Animation=6000",
        ),
        6,
    ),
    # CNFPT-style publics: social workers, supported people, trainers of social work.
    "cnfpt": Shape(
        (
            "--title",
            "Co-formation CNFPT : accompagner avec les personnes",
            "--start",
            "2026-05-11",
            "--days",
            "4",
            "--gap",
            "1",
            "--roles",
            "travailleur social=Travailleur·se social·e:1-2, formateur=Formateur·rice",
            "--activist-label",
            "personne accompagnée",
            "--cities",
            "5",
            "--activists",
            "8",
            "--mixed-groups",
            "2",
        ),
        5,
    ),
    # Activists co-lead: each group is led by a trainer and an activist who is also trained.
    "activists-co-lead": Shape(
        (
            "--title",
            "Co-formation où les militants co-animent",
            "--start",
            "2026-06-08",
            "--days",
            "2",
            "--cities",
            "4",
            "--activists",
            "4",
            "--mixed-groups",
            "2",
            "--facilitation",
            "activists",
        ),
        4,
    ),
}

Runner = Callable[..., tuple[int, str]]


def installed_runner(*args: str | Path) -> tuple[int, str]:
    """Run the installed ``cotrain`` as a new user would; returns (exit code, output)."""
    done = subprocess.run(["cotrain", *map(str, args)], capture_output=True, text=True, check=False)
    return done.returncode, done.stdout + done.stderr


class ShapeFailed(AssertionError):
    pass


def _ok(runner: Runner, *args: str | Path) -> str:
    code, output = runner(*args)
    if code != 0:
        raise ShapeFailed(f"cotrain {' '.join(map(str, args))} -> exit {code}\n{output}")
    return output


def run_shape(
    name: str, workspace: Path, runner: Runner = installed_runner, *, cheap: bool = False
) -> dict[str, object]:
    """Set up and run one programme end to end; returns a few figures; raises ShapeFailed.
    ``cheap`` (the test suite): no PDF, the slow part, which other tests cover."""
    shape = SHAPES[name]
    ws = workspace
    # the person in charge signs the letters (without one, `letters` asks for one)
    _ok(runner, "init", ws, "--yes", "--manager", "Claire Dubœuf", *shape.options)
    text = (ws / "cotrain.toml").read_text(encoding="utf-8")
    for leftover in ("Pierrelaye", "Seine-Saint-Denis", "Préfecture de", "Théâtre-forum"):
        if leftover in text:
            raise ShapeFailed(f"{name}: cotrain.toml still holds the example's {leftover!r}")
    config = tomllib.loads(text)
    applications = write_applications(ws, shape.candidates, ws / "candidatures.csv", seed=len(name))
    _ok(runner, "-w", ws, "import", applications)
    _ok(runner, "-w", ws, "check")
    _ok(runner, "-w", ws, "select")
    _ok(runner, "-w", ws, "participants")
    _ok(runner, "-w", ws, "trainers")
    _ok(runner, "-w", ws, "schedule", "--iterations", str(shape.iterations))
    _ok(runner, "-w", ws, "schedule", "check")
    _ok(runner, "-w", ws, "roster")
    _ok(runner, "-w", ws, "calendar", "--output", ws / "programme.ics")
    _ok(runner, "-w", ws, "sheets", "--output", ws / "feuilles", "--format", "html")
    _ok(
        runner,
        "-w",
        ws,
        "letters",
        "--output",
        ws / "courriers",
        *(("--format", "md,docx") if cheap else ()),
    )
    sessions = [s for s in config["plan"]["sessions"] if s["kind"] != "trainers_meeting"]
    _ok(runner, "-w", ws, "attend", sessions[0]["id"], "--all-present")
    _ok(runner, "-w", ws, "report")
    _ok(runner, "-w", ws, "certificates", "--output", ws / "certificats")
    _ok(
        runner,
        "-w",
        ws,
        "attestations",
        "--output",
        ws / "attestations",
        *(("--format", "md") if cheap else ()),
    )
    _ok(runner, "-w", ws, "bilan", "--output", ws / "bilan")
    return check_schedule(name, ws)


def check_schedule(name: str, ws: Path) -> dict[str, object]:
    """Every mixed group holds its activists and a duo; returns figures for the summary line."""
    config = tomllib.loads((ws / "cotrain.toml").read_text(encoding="utf-8"))
    schedule = tomllib.loads((ws / "schedule.toml").read_text(encoding="utf-8"))
    selection = tomllib.loads((ws / "selection.toml").read_text(encoding="utf-8"))
    selected = [c for c in selection["decisions"] if c["decision"] == "selected"]
    rules = config["plan"]["rules"]
    activists = {a["id"] for a in config["activists"]}
    kinds = {t["id"]: t["kind"] for t in config.get("trainers", [])}
    co_lead = rules.get("facilitation") == "activists"
    mixed_ids = {s["id"] for s in config["plan"]["sessions"] if s["kind"] == "mixed_groups"}
    mixed = [s for s in schedule["sessions"] if s["session_id"] in mixed_ids]
    if not mixed or len(mixed) != len(mixed_ids):
        raise ShapeFailed(f"{name}: {len(mixed)} mixed half-days scheduled of {len(mixed_ids)}")
    wanted_groups = rules.get("mixed_groups")
    for session in mixed:
        if wanted_groups and len(session["groups"]) != wanted_groups:
            raise ShapeFailed(
                f"{name}: {session['session_id']} has {len(session['groups'])} groups"
            )
        for group in session["groups"]:
            held = activists & set(group["members"])
            if len(held) < max(rules.get("min_activists_per_group", 1), 1):
                raise ShapeFailed(f"{name}: {session['session_id']} {group['id']} activists {held}")
            leaders = group["trainers"]
            if co_lead:
                trainer = [t for t in leaders if kinds.get(t) == "professional_trainer"]
                activist = [t for t in leaders if t in activists]
                ok = len(leaders) == 2 and len(trainer) == 1 and len(activist) == 1
            else:
                ok = sorted(kinds.get(t, "?") for t in leaders) == [
                    "co_trainer",
                    "professional_trainer",
                ]
            if not ok:
                raise ShapeFailed(f"{name}: {session['session_id']} {group['id']} led by {leaders}")
    return {
        "cities": len(selected),
        "days": len({s["date"] for s in config["plan"]["sessions"]}),
        "activists": len(activists),
        "mixed_groups": len(mixed[0]["groups"]),
        "certificates": sum(1 for _ in (ws / "certificats").rglob("*.*")),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", nargs="?", type=Path)
    parser.add_argument("--shape", action="append", choices=sorted(SHAPES))
    args = parser.parse_args(argv)
    out = args.out or Path(tempfile.mkdtemp(prefix="cotrain-programmes-"))
    failed = 0
    for name in args.shape or list(SHAPES):
        try:
            figures = run_shape(name, out / name)
        except ShapeFailed as error:
            failed += 1
            print(f"FAIL {name}: {error}")
            continue
        print(f"ok   {name}: " + ", ".join(f"{k} {v}" for k, v in figures.items()))
    print(
        f"{len(args.shape or SHAPES) - failed} of {len(args.shape or SHAPES)} shapes ran end to end in {out}"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
