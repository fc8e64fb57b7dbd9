"""Scale of select_cities and budget_summary: synthetic applications (12, 1,000, 10,000 cities).

Run: python benchmarks/selection_scale.py
"""

import time
from datetime import datetime, timedelta
from decimal import Decimal

from cotrain.domain.budget import budget_summary
from cotrain.domain.config import Config, RankKey, SelectionRules
from cotrain.domain.eligibility import check_applications
from cotrain.domain.models import Application, ApplicationsFile, Person
from cotrain.domain.selection import select_cities
from cotrain.enums import Role


def apps(n):
    out = []
    for i in range(n):
        cid = f"ville-{i:05d}"
        people = [
            Person(id=f"{cid}-{r}-{k}", name=f"P {i} {k}", role=role, committed=True)
            for k, (r, role) in enumerate(
                [
                    ("e", Role.ELECTED),
                    ("p1", Role.PROFESSIONAL),
                    ("p2", Role.PROFESSIONAL),
                    ("d", Role.PREFECT_DELEGATE),
                ]
            )
        ]
        out.append(
            Application(
                city_id=cid,
                city=f"Ville {i}",
                territory=f"T{i % 9}",
                submitted_at=datetime(2014, 11, 1) + timedelta(minutes=i * 7 % 5000),
                contribution=Decimal(500 + i % 300),
                score=Decimal(i * 37 % 101),
                priority_neighbourhoods=i % 11,
                people=people,
            )
        )
    return ApplicationsFile(applications=out)


for n in (12, 1000, 10000):
    a = apps(n)
    config = Config(
        selection=SelectionRules(
            max_cities=max(7, n // 10),
            max_per_territory=max(1, n // 80),
            ranking=[RankKey(field="score", order="desc"), RankKey(field="submitted_at")],
        )
    )
    checks = check_applications(config, a)
    t0 = time.perf_counter()
    r = select_cities(config, a, checks, now=datetime(2014, 12, 1))
    t1 = time.perf_counter()
    budget_summary(config, a, r.selection)
    t2 = time.perf_counter()
    select_ms, budget_ms = 1000 * (t1 - t0), 1000 * (t2 - t1)
    print(f"{n} cities: select_cities {select_ms:.1f} ms, budget_summary {budget_ms:.1f} ms")
