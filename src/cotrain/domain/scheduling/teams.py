"""Who can lead a group on a given half-day: trainer duos (or single referents).

Duos come from ``[[duos]]`` in cotrain.toml, or are formed automatically (professional
trainers and co-trainers paired in id order, one of each kind). On a half-day where a member
of a duo is unavailable the duo is broken; the available members of broken duos (and trainers
in no duo) are re-paired, one of each kind, and the change is reported.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cotrain.domain.config import Config, SessionSpec
from cotrain.domain.scheduling.constraints import PlanContext
from cotrain.enums import Facilitation, SessionKind, TrainerKind

Team = tuple[str, ...]


@dataclass(frozen=True)
class SessionTeams:
    """The teams able to lead groups on one half-day."""

    teams: list[Team]
    repaired: list[Team] = field(default_factory=list)  # new duos formed for this half-day
    broken: list[str] = field(default_factory=list)  # ids of declared duos that cannot work
    absent: list[str] = field(default_factory=list)  # trainer ids unavailable that half-day


def base_duos(config: Config) -> list[tuple[str, Team]]:
    """Declared duos, or duos formed one of each kind in id order when none is declared."""
    if config.duos:
        return [(d.id, tuple(d.trainers)) for d in config.duos]
    pros = sorted(t.id for t in config.trainers if t.kind == TrainerKind.PROFESSIONAL_TRAINER)
    cos = sorted(t.id for t in config.trainers if t.kind == TrainerKind.CO_TRAINER)
    return [(f"duo-{i + 1}", (p, c)) for i, (p, c) in enumerate(zip(pros, cos, strict=False))]


def session_teams(ctx: PlanContext, session: SessionSpec) -> SessionTeams:
    """The duos (or referents) available on ``session``, broken duos re-paired."""
    absent = [tid for tid in sorted(ctx.trainers) if not ctx.is_available(tid, session)]
    if ctx.rules.facilitation == Facilitation.REFERENTS:
        return SessionTeams([(tid,) for tid in ctx.available_trainers(session)], absent=absent)
    co_lead = ctx.rules.facilitation == Facilitation.ACTIVISTS
    if co_lead and session.kind != SessionKind.MIXED_GROUPS:
        # activists co-lead the mixed groups they belong to; other groups have a trainer alone
        pros = [
            tid
            for tid in ctx.available_trainers(session)
            if ctx.trainers[tid].kind == TrainerKind.PROFESSIONAL_TRAINER
        ]
        return SessionTeams([(tid,) for tid in pros], absent=absent)
    teams: list[Team] = []
    broken: list[str] = []
    orphans: list[str] = []
    in_duo: set[str] = set()
    for duo_id, members in base_duos(ctx.config):
        in_duo.update(members)
        known = all(m in ctx.trainers for m in members)
        if known and all(ctx.is_available(m, session) for m in members):
            teams.append(members)
        else:
            broken.append(duo_id)
            orphans.extend(m for m in members if m in ctx.trainers and ctx.is_available(m, session))
    orphans.extend(t for t in ctx.available_trainers(session) if t not in in_duo)
    pros = [t for t in orphans if ctx.trainers[t].kind == TrainerKind.PROFESSIONAL_TRAINER]
    cos = [t for t in orphans if ctx.trainers[t].kind == TrainerKind.CO_TRAINER]
    repaired: list[Team] = [(p, c) for p, c in zip(pros, cos, strict=False)]
    if not broken:
        repaired = []  # spare trainers stay spare when no duo is broken
    return SessionTeams(teams + repaired, repaired=repaired, broken=broken, absent=absent)
