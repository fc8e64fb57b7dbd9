"""The stages of an import of 10,000 applications, run once up to one stage (issue 16).

    ./ir.sh python benchmarks/import_stages_once.py MODE /tmp/bench-intake2/applications-10000.csv

MODE is ``none`` (start-up and the workspace's configuration only), ``read`` (the table read),
``rows`` (its columns mapped and its rows keyed), ``build`` (the applications built) or ``all``
(merged into an empty ``applications.toml``, people in two cities looked for, the file's text
made). The difference between two modes' instruction counts (valgrind, ``ir.sh`` in
BENCHMARKS.md, round 5) is the cost of the stages between them, independent of the machine's
load. The cyclic collector is off, as in the command.
"""

from __future__ import annotations

import gc
import shutil
import sys
import tempfile
from pathlib import Path

gc.disable()

from cotrain.domain.intake import (  # noqa: E402
    build_applications,
    merge_applications,
    people_in_two_cities,
)
from cotrain.domain.models import ApplicationsFile  # noqa: E402
from cotrain.files.importers.headers import map_columns, source_rows  # noqa: E402
from cotrain.files.importers.tabular import read_table  # noqa: E402
from cotrain.files.store import render_model  # noqa: E402
from cotrain.files.workspace import Workspace  # noqa: E402
from cotrain.i18n import set_language  # noqa: E402

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "seine-saint-denis-2015"
MODES = ("none", "read", "rows", "build", "all")


def main(mode: str, path: Path) -> None:
    set_language("fr")
    folder = Path(tempfile.mkdtemp())
    try:
        shutil.copy(EXAMPLE / "cotrain.toml", folder / "cotrain.toml")
        config = Workspace.open(folder).config
        custom = config.import_.columns
        upto = MODES.index(mode)
        if upto < 1:
            return
        table = read_table(path, custom=custom)
        if upto < 2:
            return
        columns = map_columns(
            table, custom=custom, require_commitment=True, require_contribution=True
        )
        rows = source_rows(table, columns, notes=[])
        if upto < 3:
            return
        apps = build_applications(rows, layout=columns.layout, lang="fr")
        if upto < 4:
            return
        merged = merge_applications(ApplicationsFile(), apps, reserved_ids=set())
        people_in_two_cities(merged.applications.applications)
        render_model(merged.applications)
    finally:
        shutil.rmtree(folder)


if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2]))
