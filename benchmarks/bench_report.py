"""Where the time of ``cotrain report`` goes on a large programme (issue 6: 100,000 marks).

    python benchmarks/generate.py /tmp/bench          # once: programme-100 with 100,000 marks
    python benchmarks/bench_report.py /tmp/bench/programme-100

Prints the best of five runs of each step, measured with time.perf_counter.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path


def best(step, runs: int = 5) -> tuple[float, object]:
    fastest, result = float("inf"), None
    for _ in range(runs):
        start = time.perf_counter()
        result = step()
        fastest = min(fastest, time.perf_counter() - start)
    return fastest, result


def main(folder: Path) -> None:
    from cotrain.domain.participants import list_participants
    from cotrain.domain.rates import VIEWS, participation
    from cotrain.files.attendance_store import load_attendance
    from cotrain.files.exporters.participation import build_document
    from cotrain.files.workspace import APPLICATIONS, SCHEDULE, SELECTION, Workspace

    ws = Workspace.open(folder)
    config = ws.config
    took, (applications, selection) = best(lambda: (ws.load(APPLICATIONS), ws.load(SELECTION)))
    print(f"load applications + selection  {took:.3f} s")
    took, schedule = best(lambda: ws.load(SCHEDULE))
    print(f"load schedule.toml             {took:.3f} s")
    took, attendance = best(lambda: load_attendance(ws))
    print(f"load attendance.toml           {took:.3f} s ({attendance.count():,} marks)")
    people = list_participants(config, applications, selection)
    took, report = best(lambda: participation(config, people, schedule, attendance))
    print(f"participation()                {took:.3f} s ({len(people):,} participants)")
    took, _ = best(lambda: [report.by_view(view) for view in VIEWS])
    print(f"the five views                 {took:.3f} s")
    took, _ = best(lambda: build_document(report, view="person"))
    print(f"report document (by person)    {took:.3f} s")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
