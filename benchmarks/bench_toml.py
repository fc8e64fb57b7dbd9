"""Parse + validate of a 10,000-application ``applications.toml``: tomllib, tomli, rtoml.

issue 13 removed the parse cache (``.cotrain-cache/``: personal data beside the files, and a
tampered copy overrode the TOML); this measures what reading costs without it, to choose the
parser. Each parser reads the same bytes written by cotrain; the figures are the median of
``--runs`` runs of parse + ``ApplicationsFile.model_validate``, in one process.

    python benchmarks/bench_toml.py --applications 10000 --runs 5
"""

from __future__ import annotations

import argparse
import importlib
import statistics
import time
from datetime import datetime
from decimal import Decimal
from typing import Any

from cotrain.domain.models import Application, ApplicationsFile, Person
from cotrain.enums import Role
from cotrain.files.store import render_model

ROLES = (Role.ELECTED, Role.PROFESSIONAL, Role.PROFESSIONAL, Role.PREFECT_DELEGATE)


def applications(count: int) -> bytes:
    apps = [
        Application(
            city_id=f"ville-{n}",
            city=f"Ville-{n} l'Étang",
            territory="Est Ensemble",
            submitted_at=datetime(2014, 11, 1 + n % 28, 10, n % 60),
            contribution=Decimal("600.00"),
            contribution_proof=f"Délibération n° {n}",
            score=Decimal("12.5"),
            contact="Service politique de la ville",
            people=[
                Person(
                    id=f"p{n}-{k}",
                    name=f"Awa Diallo {n}-{k}",
                    role=role,
                    job_title="Chargée de mission",
                    email=f"p{n}-{k}@ville{n}.fr",
                    committed=True,
                )
                for k, role in enumerate(ROLES)
            ],
            source=f"reponses.csv, ligne {n + 2}",
        )
        for n in range(count)
    ]
    return render_model(ApplicationsFile(applications=apps)).encode("utf-8")


def parser(name: str) -> Any:
    module = importlib.import_module(name)
    return module.loads


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--applications", type=int, default=10_000)
    options.add_argument("--runs", type=int, default=5)
    args = options.parse_args()
    raw = applications(args.applications)
    text = raw.decode("utf-8")
    print(f"{args.applications} applications, {len(raw) / 1e6:.1f} MB of TOML")
    reference = ApplicationsFile.model_validate(parser("tomllib")(text))
    print("| parser | parse (s) | parse + validate (s) |")
    print("|---|---|---|")
    for name in ("tomllib", "tomli", "rtoml"):
        try:
            loads = parser(name)
        except ImportError:
            print(f"| {name} | not installed | |")
            continue
        parse, total = [], []
        for _ in range(args.runs):
            started = time.perf_counter()
            data = loads(text)
            parsed = time.perf_counter()
            model = ApplicationsFile.model_validate(data)
            done = time.perf_counter()
            parse.append(parsed - started)
            total.append(done - started)
        assert model == reference, f"{name} reads the file differently"
        print(f"| {name} | {statistics.median(parse):.2f} | {statistics.median(total):.2f} |")


if __name__ == "__main__":
    main()
