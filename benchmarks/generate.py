"""Large, realistic programmes for the benchmarks (issue 6), the same for the same seed.

    python benchmarks/generate.py OUT [--seed 2015]

writes into OUT:

- ``applications-10000.csv``: 10,000 rows (one per person) from 2,000 cities, as French Excel
  saves it: Windows-1252, ``;``, CRLF, decimal comma, ``JJ/MM/AAAA HH:MM:SS``;
- ``intake/``: a fresh workspace (the shipped example's ``cotrain.toml``) to import it into;
- ``programme-9/``: 1,000 participants (200 selected cities of four, 200 activists; 100 mixed
  groups of ten) over the example's nine half-days: applications and selection written,
  ready for ``schedule``;
- ``programme-100/``: the same 1,000 participants over 100 half-days, scheduled in groups of
  ten, with 100,000 attendance marks in ``attendance.toml`` and a sign-in grid
  ``emargement-100000.csv`` (one row per person and half-day) for ``attendance import``.
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import shutil
import sys
import unicodedata
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

FIRST = (
    "Awa Zoé Éloïse Chloé Fatoumata Hélène Maëlle Joëlle Anne-Sophie Nadia Samira Océane "
    "Françoise Inès Léa Aïcha Mélanie Gaëlle Noémie Agnès Kévin Jean-François Mohamed Éric "
    "Thierry Lucas Karim Ousmane Guillaume Gérard Patrick Rachid Loïc Benoît Jérôme Hervé "
    "Mathéo Aurélien Cédric Raphaël"
).split()
LAST = (
    "Diallo Martin N'Guessan Lefèvre-Duval Haddad Traoré Le-Goff Öztürk Bouzid d'Argentré "
    "Ferreira Pradier-Kaci Kergoat L'Hermitte Dubois Garnier Petit Ben Saïd Sy Leroux "
    "Nguyen Da Silva Moreau Fabre Chevalier Lambert Girard Bonnet Dupont Mercier Blanc "
    "Guérin Muller Henry Roussel Nicolas Perrin Morin Mathieu Clément Gauthier Dumont "
    "Lopez Fontaine Rousseau Vincent Müller Lefebvre Faure André"
).split()
CITY_PARTS = (
    "Saint Sainte Villeneuve Neuilly Montreuil Bondy Pantin Aulnay Sevran Livry Noisy "
    "Rosny Bobigny Drancy Stains Épinay Bagnolet Clichy Montfermeil Gagny Tremblay Le-Blanc "
    "Pierrefitte Villetaneuse L'Île Dugny Romainville Les-Lilas Vaujours Coubron"
).split()
SUFFIXES = (
    "sur-Marne sous-Bois le-Grand la-Garenne en-France le-Sec-Denis d'Aulnay Plage les-Bois "
    "Haut Bas Centre Nord Sud Est Ouest"
).split()
TERRITORIES = (
    "Plaine Commune",
    "Est Ensemble",
    "Paris Terres d'Envol",
    "Grand Paris Grand Est",
    "Paris Est Marne & Bois",
)
ROLE_LABELS = {
    "elected": "élu.e",
    "professional": "Professionnel(le)",
    "prefect_delegate": "Délégué du préfet",
}
HEADER = [
    "Horodatage",
    "Commune",
    "Territoire (EPT)",
    "Nombre de QPV",
    "Contact",
    "Rôle",
    "Prénom",
    "Nom",
    "Fonction",
    "Courriel",
    "Engagement nominatif",
    "Contribution financière (€)",
    "Référence de la délibération ou du bon de commande",
    "Note du comité",
]
JOBS = (
    "Adjointe au maire chargée de la démocratie locale",
    "Chef de projet politique de la ville",
    "Coordinatrice des conseils citoyens",
    "Agent de développement local",
    "Délégué du préfet",
)
STATUS_WEIGHTS = {"present": 85, "late": 5, "left_early": 3, "excused": 4, "absent": 3}


def slug(text: str) -> str:
    bare = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return "-".join("".join(c if c.isalnum() else " " for c in bare).split())


def city_names(rng: random.Random, count: int) -> list[str]:
    names: list[str] = []
    seen: set[str] = set()
    while len(names) < count:
        name = f"{rng.choice(CITY_PARTS)}-{rng.choice(CITY_PARTS)}-{rng.choice(SUFFIXES)}"
        if len(seen) > count * 0.8:
            name += f" {len(names)}"
        if slug(name) not in seen:
            seen.add(slug(name))
            names.append(name)
    return names


def applications_csv(rng: random.Random, *, rows: int = 10_000, cities: int = 2_000) -> bytes:
    """The call for applications' answers, one row per person, as French Excel writes them."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADER)
    # Half the cities send their triad of four (eligible), the other half six people: too many
    # professionals (not eligible). 1,000 x 4 + 1,000 x 6 = 10,000 rows.
    roles = [
        "elected",
        "professional",
        "professional",
        "prefect_delegate",
        "professional",
        "professional",
    ]
    assert rows == cities * 5
    start = datetime(2014, 11, 3, 9, 0)
    for index, city in enumerate(city_names(rng, cities)):
        submitted = start + timedelta(minutes=rng.randrange(60 * 24 * 40))
        contribution = rng.choice(["500", "600,00", "750,50", "0", "1 000", ""])
        territory = rng.choice(TERRITORIES)
        neighbourhoods = str(rng.randrange(1, 15))
        reference = f"Délibération n° 2014-{rng.randrange(1000)}"
        score = str(rng.randrange(8, 20)) + rng.choice(["", ",5"])
        per_city = 4 if index % 2 == 0 else 6
        names: dict[str, tuple[str, str]] = {}  # by slug: "Müller" and "Muller" are one name
        while len(names) < per_city:
            first, last = rng.choice(FIRST), rng.choice(LAST)
            names.setdefault(slug(f"{first} {last}"), (first, last))
        for position, (first, last) in enumerate(names.values()):
            role = roles[position % len(roles)]
            writer.writerow(
                [
                    submitted.strftime("%d/%m/%Y %H:%M:%S"),
                    city,
                    territory,
                    neighbourhoods,
                    "Service politique de la ville",
                    ROLE_LABELS[role],
                    first,
                    last,
                    rng.choice(JOBS),
                    f"{slug(first)}.{slug(last)}@ville-{index}.fr",
                    "x" if rng.random() < 0.95 else "",
                    contribution,
                    reference,
                    score,
                ]
            )
    return buffer.getvalue().encode("cp1252")


def example_config() -> object:
    from cotrain.cli.init import example_folder
    from cotrain.domain.config import Config
    from cotrain.files.store import load_model
    from cotrain.files.workspace import CONFIG

    config = load_model(example_folder() / "cotrain.toml", CONFIG)
    assert isinstance(config, Config)
    return config


def new_workspace(folder: Path) -> None:
    from cotrain.cli.init import example_folder
    from cotrain.files.store import atomic_write_bytes, ensure_dir

    if folder.exists():
        shutil.rmtree(folder)
    ensure_dir(folder)
    atomic_write_bytes(folder / "cotrain.toml", (example_folder() / "cotrain.toml").read_bytes())


def programme(folder: Path, rng: random.Random, *, half_days: int) -> list[str]:
    """A workspace of 1,000 participants; ``half_days`` trainee half-days; returns their ids."""
    from cotrain.domain.config import Activist, Config, Duo, SessionSpec, Trainer
    from cotrain.domain.models import (
        Application,
        ApplicationsFile,
        CityDecision,
        Person,
        SelectionFile,
    )
    from cotrain.enums import Decision, HalfDay, Role, SessionKind, TrainerKind
    from cotrain.files.store import save_model
    from cotrain.files.workspace import CONFIG, Workspace

    new_workspace(folder)
    config = example_config()
    assert isinstance(config, Config)
    activists = [
        Activist(id=f"militant-{n:03d}", name=f"{rng.choice(FIRST)} {rng.choice(LAST)}")
        for n in range(1, 201)
    ]
    # The shape of issue 4's large case: 200 cities of four and 200 activists, mixed groups
    # of ten (100 groups, two activists each), peer groups of at most twelve (84 groups):
    # 110 duos declared.
    trainers, duos = [], []
    for n in range(1, 111):
        pro, co = f"formateur-{n:03d}", f"co-formateur-{n:03d}"
        trainers.append(
            Trainer(
                id=pro,
                name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                kind=TrainerKind.PROFESSIONAL_TRAINER,
            )
        )
        trainers.append(
            Trainer(
                id=co, name=f"{rng.choice(FIRST)} {rng.choice(LAST)}", kind=TrainerKind.CO_TRAINER
            )
        )
        duos.append(Duo(id=f"duo-{n:03d}", trainers=(pro, co)))
    rules = config.plan.rules.model_copy(
        update={"mixed_groups": 100, "peer_group_cap": 12, "keep_apart": []}
    )
    update: dict[str, object] = {
        "activists": activists,
        "trainers": trainers,
        "duos": duos,
        "plan": config.plan.model_copy(update={"rules": rules}),
    }
    if half_days != 9:
        kinds = [SessionKind.PEER_GROUPS, SessionKind.MIXED_GROUPS, SessionKind.PLENARY]
        sessions, day = [], date(2015, 1, 5)
        for number in range(half_days):
            if number % 2 == 0 and number:
                day += timedelta(days=3 if day.weekday() == 4 else 1)
            half = HalfDay.AM if number % 2 == 0 else HalfDay.PM
            sessions.append(
                SessionSpec(
                    id=f"d{number // 2 + 1:02d}-{half.value}",
                    date=day,
                    half=half,
                    kind=kinds[number % 3],
                    title=f"Demi-journée {number + 1}",
                )
            )
        update["plan"] = config.plan.model_copy(update={"sessions": sessions, "rules": rules})
        update["surveys"] = []
    config = config.model_copy(update=update)
    save_model(folder / "cotrain.toml", Config.model_validate(config.model_dump(by_alias=True)))
    apps, ids = [], []
    for index, city in enumerate(city_names(rng, 200)):
        city_id = slug(city)
        people = []
        for role in (Role.ELECTED, Role.PROFESSIONAL, Role.PROFESSIONAL, Role.PREFECT_DELEGATE):
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            person_id = f"{slug(name)}-{len(ids) + 1}"
            ids.append(person_id)
            people.append(
                Person(
                    id=person_id,
                    name=name,
                    role=role,
                    job_title=rng.choice(JOBS),
                    email=f"{person_id}@ville-{index}.fr",
                    committed=True,
                )
            )
        apps.append(
            Application(
                city_id=city_id,
                city=city,
                territory=rng.choice(TERRITORIES),
                submitted_at=datetime(2014, 11, 3, 9, 0) + timedelta(minutes=index),
                contribution=Decimal(500),
                people=people,
            )
        )
    ws = Workspace(folder)
    from cotrain.files.workspace import APPLICATIONS, SELECTION

    ws.save(APPLICATIONS, ApplicationsFile(applications=apps))
    ws.save(
        SELECTION,
        SelectionFile(
            max_cities=len(apps),
            decisions=[
                CityDecision(city_id=a.city_id, decision=Decision.SELECTED, rank=rank)
                for rank, a in enumerate(apps, start=1)
            ],
        ),
    )
    assert CONFIG.name == "cotrain.toml"
    return ids + [a.id for a in activists]


def attendance(folder: Path, rng: random.Random, people: list[str]) -> int:
    """Schedule everybody in groups of ten on every half-day, and mark them; the mark count."""
    from cotrain.domain.attendance import AttendanceFile, SessionMarks
    from cotrain.domain.models import Group, ScheduledSession, ScheduleFile
    from cotrain.files.attendance_store import save_attendance
    from cotrain.files.workspace import SCHEDULE, Workspace

    ws = Workspace(folder)
    config = ws.config
    duos = [list(d.trainers) for d in config.duos]
    sessions = [s for s in config.plan.sessions if s.kind != "trainers_meeting"]
    scheduled, marks = [], []
    statuses, weights = list(STATUS_WEIGHTS), list(STATUS_WEIGHTS.values())
    for session in sessions:
        order = sorted(people)
        rng.shuffle(order)
        groups = [
            Group(
                id=f"g{n + 1}",
                members=sorted(order[n * 10 : n * 10 + 10]),
                trainers=duos[n % len(duos)] if n < len(duos) else [],
            )
            for n in range(len(order) // 10)
        ]
        scheduled.append(ScheduledSession(session_id=session.id, groups=groups))
        by_status: dict[str, list[str]] = {status: [] for status in statuses}
        for person in people:
            by_status[rng.choices(statuses, weights)[0]].append(person)
        marks.append(
            SessionMarks(session_id=session.id, **{k: sorted(v) for k, v in by_status.items()})
        )
    ws.save(SCHEDULE, ScheduleFile(seed=1, sessions=scheduled))
    save_attendance(ws, AttendanceFile(sessions=marks))  # the attendance area's fast layout
    return sum(len(m.statuses()) for m in marks)


def signin_csv(folder: Path) -> bytes:
    """The marks of ``attendance.toml`` as a typed sign-in grid: one row per person and half-day."""
    from cotrain.domain.participants import list_participants
    from cotrain.files.attendance_store import ATTENDANCE
    from cotrain.files.workspace import APPLICATIONS, SELECTION, Workspace

    ws = Workspace(folder)
    names = {
        p.id: p.name
        for p in list_participants(ws.config, ws.load(APPLICATIONS), ws.load(SELECTION))
    }
    words = {"present": "P", "late": "R", "left_early": "D", "excused": "E", "absent": "A"}
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(["Demi-journée", "Identifiant", "Nom", "Statut"])
    loaded = ws.load(ATTENDANCE)
    assert loaded is not None
    for marks in loaded.sessions:
        for person, status in marks.statuses().items():
            writer.writerow([marks.session_id, person, names[person], words[status.value]])
    return buffer.getvalue().encode("utf-8-sig")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=2015)
    args = parser.parse_args(argv)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(args.seed)

    (out / "applications-10000.csv").write_bytes(applications_csv(rng))
    new_workspace(out / "intake")
    shutil.copy(out / "applications-10000.csv", out / "intake" / "applications-10000.csv")
    programme(out / "programme-9", random.Random(args.seed + 1), half_days=9)
    people = programme(out / "programme-100", random.Random(args.seed + 2), half_days=100)
    count = attendance(out / "programme-100", random.Random(args.seed + 3), people)
    (out / "programme-100" / "emargement-100000.csv").write_bytes(signin_csv(out / "programme-100"))
    print(f"{out}: 10,000 applications, 1,000 participants, {count:,} attendance marks")
    return 0


if __name__ == "__main__":
    sys.exit(main())
