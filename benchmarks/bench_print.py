"""Printed documents: fpdf2 (cotrain 0.1.0's hand-written layouts) against Typst (issue 11).

Renders the shipped example's sign-in sheets with both engines and reports, per engine:
time to render all the sheets (median of ``--runs``), pages and bytes written, the import cost
of the library (``python -X importtime``, median of 5), and the installed size of the library
with the packages it brings.

The fpdf2 renderer is cotrain 0.1.0's own ``documents.py``, read from git history (commit
``BASELINE``), so this script needs the repository's git history.

    python benchmarks/bench_print.py /tmp/bench-print --runs 3
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

BASELINE = "b743c71"  # main before issue 11: fpdf2 layouts
REPO = Path(__file__).resolve().parent.parent


def _cotrain(*args: str, cwd: Path) -> None:
    subprocess.run(["cotrain", *args], cwd=cwd, check=True, capture_output=True)


def prepare(folder: Path) -> Path:
    root = folder / "demo"
    if not (root / "schedule.toml").exists():
        folder.mkdir(parents=True, exist_ok=True)
        _cotrain("init", str(root), "--example", cwd=folder)
        for args in (("import", "reponses.csv"), ("select",), ("schedule", "--time-limit", "2")):
            _cotrain(*args, cwd=root)
    return root


def baseline_module() -> object:
    source = subprocess.run(
        ["git", "show", f"{BASELINE}:src/cotrain/files/exporters/documents.py"],
        cwd=REPO,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    path = Path("/tmp") / f"cotrain_fpdf_documents_{BASELINE}.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("fpdf_documents", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["fpdf_documents"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def pages(data: bytes) -> int:
    import io

    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(data)).pages)


def import_cost(module: str) -> float:
    """Median wall time of ``python -c "import MODULE"`` minus a bare interpreter, in ms."""

    def run(code: str) -> float:
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        return time.perf_counter() - start

    bare = statistics.median(run("pass") for _ in range(5))
    return (statistics.median(run(f"import {module}") for _ in range(5)) - bare) * 1000


def installed_mb(*packages: str) -> float:
    import importlib.metadata as md

    total = 0
    for name in packages:
        try:
            dist = md.distribution(name)
        except md.PackageNotFoundError:
            continue
        for file in dist.files or []:
            path = Path(dist.locate_file(file))
            if path.is_file():
                total += path.stat().st_size
    return total / 1e6


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("folder", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    from cotrain.cli.outputs import _load
    from cotrain.domain.timetable import sheet_groups
    from cotrain.files.exporters import documents
    from cotrain.files.workspace import Workspace
    from cotrain.i18n import set_language

    set_language("fr")
    root = prepare(args.folder)
    config, _, views = _load(Workspace.open(root))
    groups = sheet_groups(views)
    texts = [documents.sheet_text(config, v, g, blank_rows=3) for v, g in groups]
    old = baseline_module()

    def fpdf_all() -> list[bytes]:
        sheets = [old.sheet_text(config, v, g, blank_rows=3) for v, g in groups]  # type: ignore[attr-defined]
        return [old.sheet_pdf(s) for s in sheets]  # type: ignore[attr-defined]

    def typst_all() -> list[bytes]:
        return [documents.sheet_pdf(s) for s in texts]

    def typst_combined() -> list[bytes]:
        return [documents.sheets_pdf(texts, duplex=True)]

    results = {}
    for name, render in (
        ("fpdf2, one file per sheet", fpdf_all),
        ("Typst, one file per sheet", typst_all),
        ("Typst, all sheets in one file (duplex)", typst_combined),
    ):
        times, out = [], []
        for _ in range(args.runs):
            start = time.perf_counter()
            out = render()
            times.append(time.perf_counter() - start)
        results[name] = {
            "sheets": len(groups),
            "seconds_median": round(statistics.median(times), 2),
            "pages": sum(pages(b) for b in out),
            "kilobytes": round(sum(len(b) for b in out) / 1000),
        }
    results["import_ms"] = {
        "fpdf": round(import_cost("fpdf")),
        "typst": round(import_cost("typst")),
    }
    results["installed_mb"] = {
        "fpdf2 + fonttools + pillow + defusedxml": round(
            installed_mb("fpdf2", "fonttools", "pillow", "defusedxml"), 1
        ),
        "typst": round(installed_mb("typst"), 1),
    }
    print(json.dumps(results, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
