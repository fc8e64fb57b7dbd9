"""A new programme from a few answers: what ``cotrain init`` writes to ``cotrain.toml`` (issue 15).

:func:`build_programme` turns :class:`Answers` (title, place, first day, days, publics, counts of
cities and activists, group counts, eligibility, budget) into the data of a whole, valid
``cotrain.toml``: the half-days, the rules, placeholder trainers in as many duos as the groups
need, placeholder activists, and a budget. Nothing comes from the shipped example.
Pure: ``start`` arrives as an argument, labels through ``t()`` in the programme's language.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from decimal import Decimal
from typing import Any

from cotrain.domain.config import Config
from cotrain.enums import Facilitation, Role, RoleKind, SessionKind
from cotrain.i18n import t

REFERENCE_CITY_ROLES = ("elected", "professional", "prefect_delegate")
_ROLE_ID = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
_ITEM = re.compile(
    r"^\s*(?P<name>[^=:?]+?)\s*(?:=\s*(?P<label>[^:?]+?)\s*)?"
    r"(?::\s*(?P<low>\d+)(?:\s*-\s*(?P<high>\d+))?)?\s*(?P<optional>\?)?\s*$"
)


class SetupError(ValueError):
    """An answer that cannot shape a programme; ``code`` and ``params`` for the message."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class RoleAnswer:
    """One public of a city's team: id, French label (empty: built-in), min and max."""

    id: str
    label: str = ""
    min: int = 1
    max: int = 1


@dataclass
class Answers:
    """Everything ``cotrain init`` asks; every field has a sensible default."""

    language: str = "fr"
    title: str = ""
    short_name: str = ""
    organisers: list[str] = field(default_factory=list)
    responsible: str = ""
    place: str = ""
    address: str = ""
    manager: str = ""
    theme: str = ""
    start: date = date(2026, 1, 12)
    days: int = 4
    half_days: int = 0  # 0: two per day
    gap: int = 7  # days between two training days (1: consecutive working days)
    morning: tuple[time, time] = (time(9, 30), time(12, 30))
    afternoon: tuple[time, time] = (time(13, 30), time(16, 30))
    roles: list[RoleAnswer] = field(default_factory=list)
    activist_label: str = ""  # the public with lived experience (empty: « militant·e »)
    optional: list[str] = field(default_factory=list)  # roles a city may leave out (min 0)
    peer_worlds: list[list[str]] = field(default_factory=list)
    cities: int = 7
    activists: int = 5
    peer_group_cap: int = 10
    peer_groups: dict[str, int] = field(default_factory=dict)
    mixed_groups: int = 0  # 0: automatic
    min_activists: int = -1  # -1: automatic (2, or fewer when there are fewer activists)
    facilitation: Facilitation = Facilitation.DUOS
    duos: int = 0  # 0: as many as the groups need
    commitment: bool = True
    min_contribution: Decimal = Decimal(0)
    contribution_proof: bool = False
    costs: list[tuple[str, Decimal]] = field(default_factory=list)
    funders: list[tuple[str, Decimal]] = field(default_factory=list)


def slug(text: str, sep: str = "_") -> str:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return re.sub(r"[^a-z0-9]+", sep, text).strip(sep)


def parse_roles(spec: str) -> tuple[list[RoleAnswer], str]:
    """``"elected, professional:1-2, prefect_delegate?"`` -> the city roles, and the label of the
    public with lived experience when an item ``activist=Label`` names it.

    Each item: ``id`` or a label (``travailleur social``), ``=Label``, ``:min-max`` (``:2`` is
    exactly 2), ``?`` for an optional role (min 0).
    """
    roles: list[RoleAnswer] = []
    activist_label = ""
    for raw in (part for part in re.split(r"[,;]", spec) if part.strip()):
        found = _ITEM.match(raw)
        if found is None:
            raise SetupError("bad_role", item=raw.strip())
        name = found["name"].strip()
        label = (found["label"] or "").strip()
        builtin = builtin_role(name)
        role_id = builtin or (name if _ROLE_ID.match(name) else slug(name))
        if not role_id or not _ROLE_ID.match(role_id):
            raise SetupError("bad_role", item=raw.strip())
        if not label and role_id != name and builtin is None:
            label = name
        if role_id == Role.ACTIVIST.value:
            activist_label = label
            continue
        low = int(found["low"]) if found["low"] else 1
        high = int(found["high"]) if found["high"] else max(low, 1)
        if found["optional"]:
            low = 0
            high = max(high, 1)
        if high < low or high == 0:
            raise SetupError("bad_role_count", item=raw.strip())
        if any(r.id == role_id for r in roles):
            raise SetupError("role_twice", role=role_id)
        roles.append(RoleAnswer(role_id, label, low, high))
    if not roles:
        raise SetupError("no_city_role")
    return roles, activist_label


_LIVED_WORDS = {"activist", "activists", "militant", "militante", "militants", "militantes"}


def builtin_role(name: str) -> str | None:
    """The id of a reference role written by its id or one of its usual labels (``élu·e``,
    ``Délégué du préfet``, ``militante``), else None."""
    from cotrain.domain.intake import ROLE_LABELS, normalise_label

    plain = normalise_label(name)
    if plain.replace(" ", "_") in _LIVED_WORDS or plain in _LIVED_WORDS:
        return Role.ACTIVIST.value
    for role, labels in ROLE_LABELS.items():
        words = {normalise_label(label) for label in labels} | {role.value.replace("_", " ")}
        if plain in words or plain.replace(" ", "_") == role.value:
            return role.value
    return None


def parse_worlds(spec: str) -> list[list[str]]:
    """``"elected; professional+prefect_delegate"`` -> peer worlds (ids or labels)."""
    worlds = []
    for part in re.split(r"[;|]", spec):
        ids = [p.strip() for p in re.split(r"[+&]", part) if p.strip()]
        ids = [builtin_role(i) or (i if _ROLE_ID.match(i) else slug(i)) for i in ids]
        if ids:
            worlds.append(ids)
    return worlds


def default_roles() -> list[RoleAnswer]:
    return [
        RoleAnswer("elected", "", 1, 1),
        RoleAnswer("professional", "", 1, 2),
        RoleAnswer("prefect_delegate", "", 1, 1),
    ]


# --------------------------------------------------------------------------- the plan


def easter(year: int) -> date:
    """Easter Sunday (the anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    el = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * el) // 451
    month, day = divmod(h + el - 7 * m + 114, 31)
    return date(year, month, day + 1)


def public_holidays(year: int) -> set[date]:
    """France's public holidays (jours fériés) of ``year``: no sign-in sheet is dated on one
    (AUDIT.md, the inspection's red flags)."""
    fixed = [(1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25)]
    sunday = easter(year)
    moving = [sunday + timedelta(days=n) for n in (1, 39, 50)]  # Monday, Ascension, Whit Monday
    return {date(year, m, d) for m, d in fixed} | set(moving)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in public_holidays(day.year)


def training_days(start: date, days: int, gap: int) -> list[date]:
    """The training days: every ``gap`` days from ``start``; consecutive days skip weekends;
    a day falling on a public holiday moves to the next working day (issue 15, finding F26)."""
    out = [start]
    while len(out) < days:
        # weekly (or wider): the same weekday each time, a holiday moving only its own day
        nxt = out[-1] + timedelta(days=gap) if gap < 7 else start + timedelta(days=gap * len(out))
        while (gap < 7 and nxt.weekday() >= 5) or nxt in public_holidays(nxt.year):
            nxt += timedelta(days=1)
        out.append(nxt)
    return out


def session_kinds(half_days: int, *, pairs: bool) -> list[SessionKind]:
    """The kind of each half-day, following the method: peer groups first (and again on the
    second day), mixed groups, pairs on the last full day, a closing morning at the end."""
    kinds = [SessionKind.MIXED_GROUPS] * half_days
    kinds[0] = SessionKind.PEER_GROUPS
    if half_days >= 6:
        kinds[2] = SessionKind.PEER_GROUPS
    if half_days >= 5:
        kinds[-1] = SessionKind.CLOSING
    if pairs and half_days >= 8:
        kinds[-3] = SessionKind.PAIRS
    return kinds


def _sessions(a: Answers, half_days: int, pairs: bool) -> list[dict[str, Any]]:
    dates = training_days(a.start, -(-half_days // 2), a.gap)
    kinds = session_kinds(half_days, pairs=pairs)
    out: list[dict[str, Any]] = []
    titles = {
        SessionKind.PEER_GROUPS: t("setup.title.peer_groups", lang=a.language),
        SessionKind.MIXED_GROUPS: t("setup.title.mixed_groups", lang=a.language),
        SessionKind.PAIRS: t("setup.title.pairs", lang=a.language),
        SessionKind.CLOSING: t("setup.title.closing", lang=a.language),
    }
    am, pm = t("setup.am", lang=a.language), t("setup.pm", lang=a.language)
    letter = t("setup.day_letter", lang=a.language)  # j1-matin, d1-am
    for index, kind in enumerate(kinds):
        day, half = divmod(index, 2)
        out.append(
            {
                "id": f"{letter}{day + 1}-{pm if half else am}",
                "date": dates[day],
                "half": "pm" if half else "am",
                "kind": kind.value,
                "title": titles[kind],
            }
        )
        last_of_day = half == 1 or index == half_days - 1
        if last_of_day and kind != SessionKind.CLOSING:
            end = a.afternoon[1] if half else a.morning[1]
            debrief_end = (
                (end.hour * 60 + end.minute + 30) // 60 % 24,
                (end.minute + 30) % 60,
            )
            out.append(
                {
                    "id": f"{letter}{day + 1}-debrief",
                    "date": dates[day],
                    "half": "pm" if half else "am",
                    "kind": SessionKind.TRAINERS_MEETING.value,
                    "title": t("setup.title.debrief", lang=a.language),
                    "start": end,
                    "end": time(*debrief_end),
                }
            )
    return out


# --------------------------------------------------------------------------- counts


def _worlds(a: Answers, roles: list[RoleAnswer]) -> list[list[str]]:
    ids = [r.id for r in roles]
    if a.peer_worlds:
        worlds = [list(w) for w in a.peer_worlds]
        if not any(Role.ACTIVIST.value in w for w in worlds):
            worlds.insert(0, [Role.ACTIVIST.value])
        placed = [r for w in worlds for r in w]
        for role in placed:
            if role != Role.ACTIVIST.value and role not in ids:
                near = difflib.get_close_matches(role, ids, n=1, cutoff=0.6)
                if near:
                    raise SetupError(
                        "unknown_world_role_near", role=role, roles=", ".join(ids), near=near[0]
                    )
                raise SetupError("unknown_world_role", role=role, roles=", ".join(ids))
        worlds += [[r] for r in ids if r not in placed]
        return worlds
    if tuple(ids) == REFERENCE_CITY_ROLES:
        return [["activist"], ["elected"], ["professional", "prefect_delegate"]]
    return [["activist"], *([r] for r in ids)]


def peer_group_counts(a: Answers, roles: list[RoleAnswer], worlds: list[list[str]]) -> list[int]:
    """Peer groups per world: the count asked for, else as few as the cap allows (at most)."""
    most = {r.id: r.max * a.cities for r in roles} | {Role.ACTIVIST.value: a.activists}
    out = []
    for world in worlds:
        asked = [a.peer_groups[r] for r in world if r in a.peer_groups]
        if not asked and "*" in a.peer_groups:  # one number for every public
            asked = [a.peer_groups["*"]]
        people = sum(most.get(r, 0) for r in world)
        out.append(asked[0] if asked else (-(-people // a.peer_group_cap) if people else 0))
    return out


def mixed_group_count(a: Answers, roles: list[RoleAnswer], min_activists: int) -> int:
    """Mixed groups: about ten people each, never more than the activists can fill."""
    people = a.activists + a.cities * sum(r.min + r.max for r in roles) // 2
    by_size = max(1, round(people / 10))
    if min_activists > 0:
        by_size = min(by_size, max(1, a.activists // min_activists))
    return max(1, by_size)


# --------------------------------------------------------------------------- the whole


def build_programme(a: Answers) -> dict[str, Any]:
    """The data of a whole ``cotrain.toml`` for these answers (validate with ``Config``)."""
    lang = a.language
    roles = a.roles or default_roles()
    for name in a.optional:
        role_id = builtin_role(name) or (name if _ROLE_ID.match(name) else slug(name))
        if role_id not in [r.id for r in roles]:
            raise SetupError("unknown_optional", role=name, roles=", ".join(r.id for r in roles))
    optional = {builtin_role(n) or (n if _ROLE_ID.match(n) else slug(n)) for n in a.optional}
    roles = [RoleAnswer(r.id, r.label, 0, r.max) if r.id in optional else r for r in roles]
    if a.days < 1 or a.cities < 1 or a.activists < 0:
        raise SetupError("bad_count")
    half_days = a.half_days or 2 * a.days
    if not 1 <= half_days <= 2 * a.days:
        raise SetupError("bad_half_days", half_days=half_days, days=a.days)
    worlds = _worlds(a, roles)
    if a.min_activists >= 0:
        min_act = a.min_activists
    elif a.mixed_groups:  # as many activists in each group as the count asked for allows
        min_act = max(min(2, a.activists // a.mixed_groups), min(1, a.activists))
    else:
        min_act = min(2, a.activists)
    mixed = a.mixed_groups or mixed_group_count(a, roles, min_act)
    peer_counts = peer_group_counts(a, roles, worlds)
    most = {r.id: r.max * a.cities for r in roles} | {Role.ACTIVIST.value: a.activists}
    total = sum(most.values())
    pairs = max(most.values()) * 2 <= total
    sessions = _sessions(a, half_days, pairs)
    kinds = {s["kind"] for s in sessions}
    led = max(
        sum(peer_counts) if SessionKind.PEER_GROUPS.value in kinds else 0,
        mixed if SessionKind.MIXED_GROUPS.value in kinds else 0,
        1,
    )
    organisers = a.organisers or [t("setup.default_organiser", lang=lang)]
    responsible = a.responsible or organisers[0]
    title = a.title or t("setup.default_title", lang=lang)
    lived_label = lower_first(a.activist_label)

    role_table: dict[str, dict[str, Any]] = {}
    for r in roles:
        spec: dict[str, Any] = {"kind": RoleKind.CITY.value}
        if r.label or r.id not in (*REFERENCE_CITY_ROLES,):
            label = lower_first(r.label or r.id.replace("_", " "))
            spec["label"] = label
            # the labels are in the programme's language: both plurals follow its rule
            spec["plural"] = plural(label, lang=lang)
            spec["label_en"] = label
            spec["plural_en"] = plural(label, lang=lang)
        role_table[r.id] = spec
    activist_spec: dict[str, Any] = {"kind": RoleKind.LIVED_EXPERIENCE.value}
    if lived_label:
        activist_spec |= {
            "label": lived_label,
            "plural": plural(lived_label, lang=lang),
            "label_en": lived_label,
            "plural_en": plural(lived_label, lang=lang),
        }
    role_table[Role.ACTIVIST.value] = activist_spec
    person_word = lived_label or t("role.activist", lang=lang)

    prefix = slug(re.split(r"[·.(]", person_word)[0], "-") or "militant"
    activists = [
        {
            "id": f"{prefix}-{i + 1}",
            "name": f"{person_word[:1].upper()}{person_word[1:]} {i + 1}",
            "organisation": organisers[-1],
        }
        for i in range(a.activists)
    ]

    trainers: list[dict[str, Any]] = []
    duos: list[dict[str, Any]] = []
    if a.facilitation == Facilitation.ACTIVISTS:
        # Trained and training at once: each mixed group is co-led by one of its activists
        # (a co-trainer under the activist's own id) and a trainer; other groups by a trainer.
        if a.activists < mixed:
            raise SetupError("co_leaders", activists=a.activists, groups=mixed)
        pros = [
            _trainer(a, organisers[0], "professional_trainer", i + 1)
            for i in range(max(a.duos, led))
        ]
        trainers += pros
        for i, person in enumerate(activists[: max(min(a.duos, a.activists), mixed)]):
            co = {
                "id": person["id"],
                "name": person["name"],
                "kind": "co_trainer",
                "organisation": person["organisation"],
            }
            trainers.append(co)
            duos.append({"id": f"duo-{i + 1}", "trainers": [pros[i]["id"], co["id"]]})
    elif a.facilitation == Facilitation.REFERENTS:
        number = 0
        for world, count in zip(worlds, peer_counts, strict=True):
            for _ in range(max(count, 1)):
                number += 1
                trainers.append(_trainer(a, organisers[0], "referent", number, world=world))
        while number < mixed:
            number += 1
            trainers.append(_trainer(a, organisers[0], "referent", number, world=worlds[0]))
    else:
        for i in range(max(a.duos, led)):
            pro = _trainer(a, organisers[0], "professional_trainer", i + 1)
            co = _trainer(a, organisers[0], "co_trainer", i + 1)
            trainers += [pro, co]
            duos.append({"id": f"duo-{i + 1}", "trainers": [pro["id"], co["id"]]})


    trainee_people = total
    costs = a.costs or [
        (t("setup.cost.facilitation", lang=lang), Decimal(300 * half_days * len(duos or trainers))),
        (t("setup.cost.activists", lang=lang), Decimal(60 * a.days * a.activists)),
        (
            t("setup.cost.venue", lang=lang),
            Decimal(25 * a.days * (trainee_people + len(trainers))),
        ),
    ]
    spent = sum((amount for _, amount in costs), Decimal(0))
    funders = a.funders or [(responsible, spent)]

    peer_groups = {
        world[0]: count
        for world, count in zip(worlds, peer_counts, strict=True)
        if count and (any(r in a.peer_groups for r in world) or "*" in a.peer_groups)
    }
    return {
        "schema": 1,
        "language": lang,
        "programme": {
            "name": title,
            "short_name": a.short_name or title,
            "organisers": organisers,
            "responsible": responsible,
            "site": a.place or t("setup.default_place", lang=lang),
            "address": a.address,
            "manager": a.manager,
            "manager_phone": "",
            "theme": a.theme,
            "training_number": "",
        },
        "roles": role_table,
        "plan": {
            "slots": {
                "am": {"start": a.morning[0], "end": a.morning[1]},
                "pm": {"start": a.afternoon[0], "end": a.afternoon[1]},
            },
            "rules": {
                "peer_before_mixed": True,
                "peer_worlds": worlds,
                "peer_group_cap": a.peer_group_cap,
                "peer_groups": peer_groups,
                "mixed_groups": mixed,
                "min_activists_per_group": min_act,
                "spread_roles": True,
                "spread_cities": True,
                "mixing": "varied",
                "keep_apart": [],
                "facilitation": a.facilitation.value,
            },
            "sessions": sessions,
        },
        "eligibility": {
            "require_full_commitment": a.commitment,
            "min_contribution": a.min_contribution,
            "require_contribution_proof": a.contribution_proof,
            "roles": {r.id: {"min": r.min, "max": r.max} for r in roles},
        },
        "selection": {
            "max_cities": a.cities,
            "max_per_territory": 0,
            "ranking": [{"field": "submitted_at", "order": "asc"}],
        },
        "budget": {
            "costs": [{"label": label, "amount": amount} for label, amount in costs],
            "funding": [{"funder": name, "amount": amount} for name, amount in funders],
        },
        "trainers": trainers,
        "duos": duos,
        "activists": activists,
        "attendance": {"late_weight": 1, "left_early_weight": 1},
        "reporting": {
            "target": Decimal("0.95"),
            "follow_up_missed": 1,
            "small_cell": 3,
            "decimals": 0,
        },
        "privacy": {"retention_years": 5},
        # Who answers for the training (sign-in sheets, certificates, attestations): to fill
        # in; `doctor` says what is still missing (finding F5).
        "provider": {
            "name": responsible,
            "declaration_number": "",
            "siret": "",
            "address": "",
            "signatory": a.manager,
            "signatory_function": "",
        },
        "training": {"objectives": [], "evaluation": "", "signing_place": ""},
        "surveys": [_end_survey(lang)],
    }


def lower_first(label: str) -> str:
    """Labels are written in the middle of sentences: « Encadrant·e » -> « encadrant·e »
    (an acronym such as « CESF » stays as it is)."""
    if len(label) > 1 and label[0].isupper() and not label[1].isupper():
        return label[0].lower() + label[1:]
    return label


_SMALL_WORDS = {
    "de",
    "du",
    "des",
    "la",
    "le",
    "les",
    "en",
    "et",
    "of",
    "the",
    "and",
    "with",
    "avec",
}


def plural(label: str, *, lang: str = "fr") -> str:
    """A label's plural, the simple way: in French every word before a complement (« du »,
    « de »...) takes an s (``personne accompagnée`` -> ``personnes accompagnées``,
    ``délégué·e du préfet`` -> ``délégué·es du préfet``); in English only the last of them
    (``social worker`` -> ``social workers``)."""
    words = label.split(" ")
    head = next((i for i, w in enumerate(words) if w.casefold() in _SMALL_WORDS and i), len(words))
    targets = range(head) if lang == "fr" else range(head - 1, head)
    out = []
    for index, word in enumerate(words):
        plain = word.casefold()
        if index in targets and len(word) >= 3 and not plain.endswith(("s", "x", "z", "'", "’")):
            word = f"{word}s"
        out.append(word)
    return " ".join(out)


def _trainer(
    a: Answers, organisation: str, kind: str, number: int, *, world: list[str] | None = None
) -> dict[str, Any]:
    name = t(f"setup.trainer.{kind}", lang=a.language, number=number)
    out: dict[str, Any] = {
        "id": t(f"setup.trainer_id.{kind}", lang=a.language, number=number),
        "name": name,
        "kind": "co_trainer" if kind == "co_trainer" else "professional_trainer",
        "organisation": organisation,
    }
    if world is not None:
        out["world"] = world
    return out


def _end_survey(lang: str) -> dict[str, Any]:
    return {
        "id": "fin-de-formation" if lang == "fr" else "end-of-programme",
        "title": t("setup.survey.title", lang=lang),
        "audience": "trainees",
        "timing": "end_of_programme",
        "satisfaction": "satisfaction",
        "questions": [
            {
                "id": "satisfaction",
                "text": t("setup.survey.satisfaction", lang=lang),
                "type": "scale",
            },
            {"id": "ecoute", "text": t("setup.survey.listened", lang=lang), "type": "scale"},
            {"id": "retenu", "text": t("setup.survey.kept", lang=lang), "type": "text"},
            {"id": "ameliorer", "text": t("setup.survey.improve", lang=lang), "type": "text"},
        ],
    }


# --------------------------------------------------------------------------- call for applications


def application_headers(config: Config) -> list[str]:
    """The columns of an applications file for this programme (one row per city): what the
    import recognises, with the programme's own role labels and as many slots per role as the
    eligibility rules allow."""
    lang = config.language
    heads = [t(f"setup.h.{name}", lang=lang) for name in ("submitted_at", "city", "contact")]
    for role in config.city_roles:
        spec = config.roles[role]
        label = (spec.label if lang == "fr" else spec.label_en or spec.label) or t(
            f"role.{role.value}", lang=lang
        )
        label = label[:1].upper() + label[1:]
        limits = config.eligibility.roles.get(role)
        high = limits.max if limits is not None else 1
        for slot in range(1, high + 1):
            prefix = f"{label} {slot}" if high > 1 else label
            heads += [
                f"{prefix} - {t(f'setup.h.{name}', lang=lang)}"
                for name in ("name", "job_title", "email", "committed")
            ]
    heads += [t(f"setup.h.{name}", lang=lang) for name in ("contribution", "contribution_proof")]
    return heads
