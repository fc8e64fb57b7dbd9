"""The programme and its rules: the model of ``cotrain.toml``.

Defaults follow the reference programme (Profession Banlieue and ATD Quart Monde, Seine-Saint-
Denis, 2015; seed 000): a triad per city (1 elected official, 1 to 2 professionals, 1 prefect's
delegate), a nominal commitment of every person to all 4.5 days, a financial contribution,
7 cities selected, 9 half-days, groups led by trainer duos (seed 002).

Every table forbids unknown keys so that a mistyped key is reported, not ignored.
"""

# No ``from __future__ import annotations`` here: pydantic would compile and evaluate each
# field's annotation from its text when it builds the model (about a sixth of this module's
# import, paid by every command; issue 16). Annotations that name a class defined below are
# quoted.
import hashlib
import json
from dataclasses import dataclass, field
from datetime import date, time
from decimal import Decimal
from difflib import get_close_matches
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from cotrain.domain.provider import Provider, Training
from cotrain.domain.questionnaires import BilanSettings, Survey, check_surveys
from cotrain.enums import (
    TRAINEE_SESSION_KINDS,
    AttendanceStatus,
    Facilitation,
    HalfDay,
    Mixing,
    Role,
    RoleKind,
    SessionKind,
    TrainerKind,
)

CONFIG_SCHEMA = 1

Money = Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=2)]
Ident = Annotated[str, Field(min_length=1, max_length=80, pattern=r"^[a-z0-9][a-z0-9_-]*$")]


class DuplicateId(ValueError):
    """An id written twice in an array of ``cotrain.toml``; ``suffix`` leads from the table
    pydantic reports to the second one (``("sessions", 3, "id")``), so the error names its line."""

    def __init__(self, suffix: tuple[int | str, ...], value: str) -> None:
        super().__init__(f"id {value!r} is used twice")
        self.suffix = suffix
        self.value = value


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class ProgrammeInfo(Strict):
    name: str = "Co-formation « Participation des habitants »"
    short_name: str = "co-formation"
    organisers: list[str] = []
    responsible: str = ""  # the organisation answerable for the programme (signs certificates)
    site: str = ""
    address: str = "Pierrelaye (95)"
    manager: str = ""
    manager_phone: str = ""  # printed on personal programmes: who to call (issue 4)
    theme: str = ""
    training_number: str = ""  # numéro de déclaration d'activité (NDA), printed on certificates


class Slot(Strict):
    start: time
    end: time

    @model_validator(mode="after")
    def _ordered(self) -> "Slot":
        if self.end <= self.start:
            raise ValueError("end must come after start")
        return self


def _default_slots() -> dict[HalfDay, Slot]:
    return {
        HalfDay.AM: Slot(start=time(9, 30), end=time(12, 30)),
        HalfDay.PM: Slot(start=time(13, 30), end=time(16, 30)),
    }


class SessionSpec(Strict):
    """One half-day (or a trainers' meeting) of the plan."""

    id: Ident
    date: date
    half: HalfDay
    kind: SessionKind
    title: str = ""
    start: time | None = None  # overrides the half-day slot
    end: time | None = None
    room: str = ""

    @property
    def counts_for_attendance(self) -> bool:
        return self.kind in TRAINEE_SESSION_KINDS


class PlanRules(Strict):
    peer_before_mixed: bool = True
    # Peer groups gather one kind of knowledge; each inner list is one peer "world".
    peer_worlds: list[list[Role]] = [
        [Role.ACTIVIST],
        [Role.ELECTED],
        [Role.PROFESSIONAL, Role.PREFECT_DELEGATE],
    ]
    peer_group_cap: int = Field(default=10, ge=2)
    # Peer groups per public, by a role of its world (``professional = 2``); a world not
    # named here gets the automatic count: as few groups as the cap allows.
    peer_groups: dict[Role, Annotated[int, Field(ge=1, le=20)]] = {}
    mixed_groups: int = Field(default=3, ge=1)
    min_activists_per_group: int = Field(default=2, ge=0)
    spread_roles: bool = True
    spread_cities: bool = True
    mixing: Mixing = Mixing.VARIED
    keep_apart: list[tuple[str, str]] = []
    facilitation: Facilitation = Facilitation.DUOS


class RoleSpec(Strict):
    """One public of the programme (``[roles.<id>]``): its kind and its names (issue 15)."""

    kind: RoleKind = RoleKind.CITY
    label: str = ""  # French singular; empty: the built-in label of a reference role
    plural: str = ""
    label_en: str = ""
    plural_en: str = ""
    aliases: list[str] = []  # other words that name it in a form's headers and cells


def _default_roles() -> dict[Role, RoleSpec]:
    return {
        Role.ELECTED: RoleSpec(),
        Role.PROFESSIONAL: RoleSpec(),
        Role.PREFECT_DELEGATE: RoleSpec(),
        Role.ACTIVIST: RoleSpec(kind=RoleKind.LIVED_EXPERIENCE),
    }


class Plan(Strict):
    slots: dict[HalfDay, Slot] = Field(default_factory=_default_slots)
    sessions: list[SessionSpec] = []
    rules: PlanRules = PlanRules()

    @model_validator(mode="after")
    def _unique_sessions(self) -> "Plan":
        seen: set[str] = set()
        for index, session in enumerate(self.sessions):
            if session.id in seen:
                raise DuplicateId(("sessions", index, "id"), session.id)
            seen.add(session.id)
        return self

    def session(self, session_id: str) -> SessionSpec | None:
        return next((s for s in self.sessions if s.id == session_id), None)

    def times(self, session: SessionSpec) -> tuple[time, time]:
        slot = self.slots.get(session.half) or _default_slots()[session.half]
        return (session.start or slot.start, session.end or slot.end)

    @property
    def trainee_sessions(self) -> list[SessionSpec]:
        return [s for s in self.sessions if s.counts_for_attendance]

    @property
    def days(self) -> list[date]:
        return sorted({s.date for s in self.trainee_sessions})

    @property
    def length_in_days(self) -> Decimal:
        """Half-days trainees attend, as days: 9 half-days -> 4.5."""
        return Decimal(len(self.trainee_sessions)) / 2


class RoleLimits(Strict):
    min: int = Field(default=1, ge=0)
    max: int = Field(default=1, ge=0)

    @model_validator(mode="after")
    def _ordered(self) -> "RoleLimits":
        if self.max < self.min:
            raise ValueError("max must be at least min")
        return self


def _default_role_limits() -> dict[Role, RoleLimits]:
    return {
        Role.ELECTED: RoleLimits(min=1, max=1),
        Role.PROFESSIONAL: RoleLimits(min=1, max=2),
        Role.PREFECT_DELEGATE: RoleLimits(min=1, max=1),
    }


class EligibilityRules(Strict):
    roles: dict[Role, RoleLimits] = Field(default_factory=_default_role_limits)
    require_full_commitment: bool = True
    min_contribution: Money = Decimal("500")
    require_contribution_proof: bool = False


class RankKey(Strict):
    # An application field: score, submitted_at, priority_neighbourhoods, contribution...
    field: str
    order: str = Field(default="asc", pattern=r"^(asc|desc)$")


class SelectionRules(Strict):
    max_cities: int = Field(default=7, ge=1)
    ranking: list[RankKey] = [RankKey(field="submitted_at", order="asc")]
    max_per_territory: int = Field(default=0, ge=0)  # 0: no cap
    # A city withdrawing after the programme started: offer its place to the waitlist for the
    # half-days still ahead (true) or leave it empty (false). Issue 15.
    promote_after_start: bool = True


class BudgetLine(Strict):
    label: str
    amount: Money
    note: str = ""


class FundingLine(Strict):
    funder: str
    amount: Money
    note: str = ""


class InKindLine(Strict):
    """A contribution in kind (contribution volontaire en nature): staff paid by a partner,
    volunteer time, a room lent; valued in euros, outside the cash budget (issue 11)."""

    label: str
    amount: Money
    provider: str = ""
    note: str = ""


class Budget(Strict):
    costs: list[BudgetLine] = []
    funding: list[FundingLine] = []
    # Amounts actually spent, by cost label, once the programme is over (for the bilan); the
    # note explains the gap with the planned amount (compte rendu financier, loi 2000-321).
    spent: list[BudgetLine] = []
    # Funding actually received, by funder (a city's line names the city: "Ville de Bondy").
    received: list[FundingLine] = []
    in_kind: list[InKindLine] = []


class Mayor(Strict):
    """The mayor a city's letter is addressed to (issue 11)."""

    name: str = ""
    gender: Literal["f", "m", ""] = ""  # "Madame la Maire" / "Monsieur le Maire"
    address: list[str] = []  # postal lines under "Hôtel de ville", if wanted


class LettersSettings(Strict):
    """``[letters]``: who signs the letters to the cities, from where, and the next steps' dates."""

    signatory: str = ""  # a named person: "Martine Lefort"
    signatory_title: str = ""  # "Directrice de Profession Banlieue"
    place: str = ""  # where letters are written from: "Saint-Denis"
    sender: list[str] = []  # letterhead lines when no printed letterhead is used
    phone: str = ""  # contact phone (default: programme.manager_phone)
    email: str = ""
    commitment_by: date | None = None  # council deliberation or purchase order before this date
    convention_by: date | None = None  # convention signed and returned before this date
    waitlist_until: date | None = None  # the waitlist stays open until this date
    mayors: dict[str, Mayor] = {}  # city id -> mayor


class Trainer(Strict):
    id: Ident
    name: str
    kind: TrainerKind
    organisation: str = ""
    email: str = ""
    unavailable: list[str] = []  # session ids
    # With facilitation = "referents", the peer world this facilitator comes from.
    world: list[Role] = []


class Duo(Strict):
    id: Ident
    trainers: tuple[str, str]


class Activist(Strict):
    """A person with lived experience of poverty, trainer and trainee at once."""

    id: Ident
    name: str
    organisation: str = ""  # a body the person chose to name (never printed on their documents)
    email: str = ""
    phone: str = ""


class ImportSettings(Strict):
    # Extra header -> field mappings, e.g. "Nom de la commune" = "city".
    columns: dict[str, str] = {}
    multi_value_separator: str = ";"


def _default_codes() -> dict[AttendanceStatus, list[str]]:
    return {
        AttendanceStatus.PRESENT: ["x", "p", "present", "présent", "présente", "1"],
        AttendanceStatus.LATE: ["r", "retard", "late", "l"],
        AttendanceStatus.LEFT_EARLY: ["d", "départ", "depart", "left early"],
        AttendanceStatus.EXCUSED: ["e", "excusé", "excusée", "justifié", "aj", "excused"],
        AttendanceStatus.ABSENT: ["a", "absent", "absente", "0", ""],
    }


class AttendanceSettings(Strict):
    codes: dict[AttendanceStatus, list[str]] = Field(default_factory=_default_codes)
    late_weight: Decimal = Field(default=Decimal(1), ge=0, le=1)
    left_early_weight: Decimal = Field(default=Decimal(1), ge=0, le=1)
    # Hours (not the rate) of a late arrival / early departure recorded without its time:
    # this share of the half-day, never the whole of it (issue 11).
    untimed_share: Decimal = Field(default=Decimal("0.5"), ge=0, lt=1)


class ReportingSettings(Strict):
    target: Decimal = Field(default=Decimal("0.95"), ge=0, le=1)
    follow_up_missed: int = Field(default=1, ge=0)  # list people who missed more than this
    # Qualiopi ind. 2: a drop-out missed at least this many half-days at the end (issue 11).
    dropout_half_days: int = Field(default=2, ge=1)
    # BPF (Cerfa 10443) cadre F-1 line of each role; unlisted roles are "other" (autres
    # stagiaires): elected officials, territorial and State agents are not private employees.
    bpf_categories: dict[
        Role, Literal["private_employees", "apprentices", "jobseekers", "individuals", "other"]
    ] = {}
    small_cell: int = Field(default=3, ge=1)
    decimals: int = Field(default=0, ge=0, le=4)


class PrivacySettings(Strict):
    retention_years: int = Field(default=5, ge=0)


class Config(Strict):
    """The whole of ``cotrain.toml``."""

    schema_: int = Field(default=CONFIG_SCHEMA, alias="schema")
    language: str = Field(default="fr", pattern=r"^(fr|en)$")
    programme: ProgrammeInfo = ProgrammeInfo()
    # The publics, in order: city roles (a city's team) and the one with lived experience.
    roles: dict[Role, RoleSpec] = Field(default_factory=_default_roles)
    plan: Plan = Plan()
    eligibility: EligibilityRules = EligibilityRules()
    selection: SelectionRules = SelectionRules()
    budget: Budget = Budget()
    trainers: list[Trainer] = []
    duos: list[Duo] = []
    activists: list[Activist] = []
    import_: ImportSettings = Field(default=ImportSettings(), alias="import")
    attendance: AttendanceSettings = AttendanceSettings()
    reporting: ReportingSettings = ReportingSettings()
    privacy: PrivacySettings = PrivacySettings()
    surveys: list[Survey] = []  # questionnaires (Qualiopi ind. 30), see domain/questionnaires.py
    bilan: BilanSettings = BilanSettings()
    provider: Provider = Provider()  # issue 11: who signs, NDA, SIRET (domain/provider.py)
    training: Training = Training()  # issue 11: objectives for attestations
    letters: LettersSettings = LettersSettings()

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, defer_build=True)

    @field_validator("trainers", "activists")
    @classmethod
    def _unique_ids(cls, items: list[Trainer] | list[Activist]) -> list[Trainer] | list[Activist]:
        seen: set[str] = set()
        ids: list[str] = [item.id for item in items]
        for index, item_id in enumerate(ids):
            if item_id in seen:
                raise DuplicateId((index, "id"), item_id)
            seen.add(item_id)
        return items

    @model_validator(mode="before")
    @classmethod
    def _defaults_follow_roles(cls, data: object) -> object:
        """A programme naming its own publics gets rules about them, not the reference's."""
        if not isinstance(data, dict) or not isinstance(data.get("roles"), dict):
            return data
        roles = data["roles"]
        city = [
            r
            for r, spec in roles.items()
            if not (isinstance(spec, dict) and spec.get("kind") == RoleKind.LIVED_EXPERIENCE)
            and r != Role.ACTIVIST.value
        ]
        data = dict(data)
        if Role.ACTIVIST.value not in roles:
            data["roles"] = {**roles, Role.ACTIVIST.value: {"kind": "lived_experience"}}
        eligibility = data.get("eligibility")
        if isinstance(eligibility, dict) and "roles" not in eligibility or eligibility is None:
            data["eligibility"] = {
                **(eligibility or {}),
                "roles": {r: {"min": 1, "max": 1} for r in city},
            }
        raw_plan = data.get("plan")
        plan: dict[str, Any] = raw_plan if isinstance(raw_plan, dict) else {}
        raw_rules = plan.get("rules")
        rules: dict[str, Any] = raw_rules if isinstance(raw_rules, dict) else {}
        if "peer_worlds" not in rules:
            data["plan"] = {
                **plan,
                "rules": {**rules, "peer_worlds": [[Role.ACTIVIST.value], *([r] for r in city)]},
            }
        return data

    @property
    def city_roles(self) -> tuple[Role, ...]:
        """The roles of a city's team, in the order of ``[roles]``."""
        return tuple(r for r, spec in self.roles.items() if spec.kind == RoleKind.CITY)

    @model_validator(mode="after")
    def _surveys_refer_to_known_things(self) -> "Config":
        check_surveys(self.surveys, {s.id for s in self.plan.sessions})
        return self

    def survey(self, survey_id: str) -> Survey | None:
        return next((s for s in self.surveys if s.id == survey_id), None)

    def trainer(self, trainer_id: str) -> Trainer | None:
        return next((tr for tr in self.trainers if tr.id == trainer_id), None)


@dataclass(frozen=True)
class ConfigProblem:
    """A rule of ``cotrain.toml`` broken across tables: where (key path), code, parameters."""

    loc: tuple[int | str, ...]
    code: str
    params: dict[str, object] = field(default_factory=dict)


def plan_digest(config: Config) -> str:
    """A fingerprint of what shapes a schedule (plan, roles, trainers, duos, activists): saved
    with the schedule, so that ``doctor`` knows when ``cotrain.toml`` changed since."""
    shaping = config.model_dump(
        mode="json", include={"plan", "roles", "trainers", "duos", "activists"}
    )
    text = json.dumps(shaping, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def config_problems(config: Config) -> list[ConfigProblem]:
    """What the tables of ``cotrain.toml`` say that cannot hold together (issue 15): roles
    not declared in ``[roles]``, a duo that is not one professional trainer and one co-trainer
    with lived experience. Checked when the file is read, before any command works on it."""
    out: list[ConfigProblem] = []
    declared = list(config.roles)
    names = [r.value for r in declared]
    city = [r.value for r in config.city_roles]

    def unknown(loc: tuple[int | str, ...], role: Role, allowed: list[str]) -> ConfigProblem:
        near = get_close_matches(role.value, allowed, n=1, cutoff=0.6)
        return ConfigProblem(
            loc,
            "role_unknown_near" if near else "role_unknown",
            {"role": role.value, "allowed": ", ".join(allowed), "near": near[0] if near else ""},
        )

    for role, spec in config.roles.items():
        if spec.kind == RoleKind.LIVED_EXPERIENCE and role != Role.ACTIVIST:
            out.append(
                ConfigProblem(("roles", role.value, "kind"), "lived_id", {"role": role.value})
            )
    if not city:
        out.append(ConfigProblem(("roles",), "no_city_role"))
    for role in config.eligibility.roles:
        if role.value not in city:
            out.append(unknown(("eligibility", "roles", role.value), role, city))
    placed: set[Role] = set()
    for index, world in enumerate(config.plan.rules.peer_worlds):
        for role in world:
            if role not in declared:
                out.append(unknown(("plan", "rules", "peer_worlds", index), role, names))
            elif role in placed:
                out.append(
                    ConfigProblem(
                        ("plan", "rules", "peer_worlds", index), "world_twice", {"role": role.value}
                    )
                )
            placed.add(role)
    for role in declared:
        if role not in placed:
            out.append(
                ConfigProblem(
                    ("plan", "rules", "peer_worlds"), "world_missing", {"role": role.value}
                )
            )
    for role in config.plan.rules.peer_groups:
        if role not in placed:
            out.append(
                unknown(
                    ("plan", "rules", "peer_groups", role.value),
                    role,
                    sorted(r.value for r in placed),
                )
            )
    for index, trainer in enumerate(config.trainers):
        for role in trainer.world:
            if role not in declared:
                out.append(unknown(("trainers", index, "world"), role, names))
    out.extend(_duo_problems(config))
    return out


def _duo_problems(config: Config) -> list[ConfigProblem]:
    """A duo is two known trainers: one professional trainer and one co-trainer with lived
    experience (seed 002). The same rule the scheduler and ``schedule check`` apply."""
    out: list[ConfigProblem] = []
    if config.plan.rules.facilitation == Facilitation.REFERENTS:
        return out
    if config.plan.rules.facilitation == Facilitation.ACTIVISTS:
        # activists co-leading: each co-trainer is one of the [[activists]], by the same id
        activist_ids = [a.id for a in config.activists]
        for index, co in enumerate(config.trainers):
            if co.kind == TrainerKind.CO_TRAINER and co.id not in activist_ids:
                near = get_close_matches(co.id, activist_ids, n=1, cutoff=0.6)
                out.append(
                    ConfigProblem(
                        ("trainers", index, "id"),
                        "co_trainer_not_activist_near" if near else "co_trainer_not_activist",
                        {
                            "trainer": co.id,
                            "near": near[0] if near else "",
                            "allowed": ", ".join(activist_ids),
                        },
                    )
                )
    in_duo: dict[str, str] = {}
    for index, duo in enumerate(config.duos):
        loc = ("duos", index, "trainers")
        known = [config.trainer(tid) for tid in duo.trainers]
        for tid, trainer in zip(duo.trainers, known, strict=True):
            if trainer is None:
                near = get_close_matches(tid, [tr.id for tr in config.trainers], n=1, cutoff=0.6)
                out.append(
                    ConfigProblem(
                        loc,
                        "duo_unknown_near" if near else "duo_unknown",
                        {"duo": duo.id, "trainer": tid, "near": near[0] if near else ""},
                    )
                )
            elif tid in in_duo:
                out.append(
                    ConfigProblem(
                        loc,
                        "duo_trainer_twice",
                        {"trainer": tid, "duo": duo.id, "other": in_duo[tid]},
                    )
                )
            else:
                in_duo[tid] = duo.id
        if all(known):
            kinds = sorted(tr.kind.value for tr in known if tr is not None)
            if kinds != sorted(k.value for k in TrainerKind):
                out.append(
                    ConfigProblem(
                        loc,
                        "duo_composition",
                        {
                            "duo": duo.id,
                            "first": duo.trainers[0],
                            "second": duo.trainers[1],
                            "kinds": " + ".join(kinds),
                        },
                    )
                )
    return out
