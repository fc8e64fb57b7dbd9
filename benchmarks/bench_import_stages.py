"""The stages of an import of 10,000 applications, each timed in process (issue 16).

    python benchmarks/bench_import_stages.py /tmp/bench-intake2/applications-10000.csv [--runs 5]

Calls the functions ``cotrain import`` calls, in order, on the same file: reading the table,
mapping its columns, keying its rows, building the applications, merging them into an empty
``applications.toml``, looking for one person in two cities, writing the file's text. Each run
is a fresh process (the label and slug caches start empty, as in a real import); CPU time
(``time.process_time``) of each stage, the best of ``--runs``, the cyclic garbage collector off
(its passes would land in one stage or another). Run it with another ``src/`` on ``PYTHONPATH``
for the "before" figures.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
EXAMPLE = HERE.parent / "examples" / "seine-saint-denis-2015"

STAGES = r"""
import gc, json, sys, tempfile, time, shutil
from pathlib import Path
gc.disable()  # the collector's passes land in one stage or another: timed apart (BENCHMARKS.md)
from cotrain.domain.intake import build_applications, merge_applications, people_in_two_cities
from cotrain.domain.models import ApplicationsFile
from cotrain.files.importers.headers import map_columns, source_rows
from cotrain.files.importers.tabular import read_table
from cotrain.files.store import render_model
from cotrain.files.workspace import Workspace
from cotrain.i18n import set_language

set_language("fr")
folder = Path(tempfile.mkdtemp())
shutil.copy(sys.argv[2], folder / "cotrain.toml")
config = Workspace.open(folder).config
path = Path(sys.argv[1])
times = {}

def timed(name, step):
    start = time.process_time()
    result = step()
    times[name] = time.process_time() - start
    return result

custom = config.import_.columns
table = timed("read", lambda: read_table(path, custom=custom))
columns = timed("map", lambda: map_columns(
    table, custom=custom, require_commitment=True, require_contribution=True))
rows = timed("rows", lambda: source_rows(table, columns, notes=[]))
apps = timed("build", lambda: build_applications(rows, layout=columns.layout, lang="fr"))
merged = timed("merge", lambda: merge_applications(ApplicationsFile(), apps, reserved_ids=set()))
timed("two cities", lambda: people_in_two_cities(merged.applications.applications))
timed("text", lambda: render_model(merged.applications))
shutil.rmtree(folder)
print(json.dumps(times))
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("csv", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    best: dict[str, float] = {}
    for _ in range(args.runs):
        done = subprocess.run(
            [sys.executable, "-c", STAGES, str(args.csv), str(EXAMPLE / "cotrain.toml")],
            capture_output=True,
            text=True,
            check=True,
        )
        for name, value in json.loads(done.stdout).items():
            best[name] = min(best.get(name, value), value)
    print(f"| stage | CPU (s), best of {args.runs} |")
    print("|---|---:|")
    for name, value in best.items():
        print(f"| {name} | {value:.3f} |")
    print(f"| all | {sum(best.values()):.3f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
