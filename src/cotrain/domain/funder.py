"""Figures funders and certifiers ask for, computed once (issue 11).

- **Qualiopi indicator 2** (result indicators, dated, with period and headcount): people trained,
  completion and drop-outs (:func:`cotrain.domain.rates.completion`), attendance rate,
  trainee-hours, and **satisfaction** with its response rate when the trainees' end-of-programme
  survey has answers (:func:`trainee_satisfaction`).
- **Bilan pédagogique et financier** (Cerfa 10443, cadre F-1): trainees and trainee-hours by
  type of trainee (:func:`bpf_trainees`). Elected officials, territorial agents and the State's
  prefect's delegates are *autres stagiaires* (they are not employees of private employers);
  activists too by default. ``[reporting.bpf_categories]`` in ``cotrain.toml`` maps a role to
  another line when a programme's public differs.

A trainee, for the BPF and indicator 2, is a registered person who attended at least one
half-day; their hours are the minutes actually attended (``domain/attendance.py``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from cotrain.domain.config import Config
from cotrain.domain.models import Participant
from cotrain.domain.questionnaires import Audience, Timing
from cotrain.domain.rates import ParticipationReport
from cotrain.domain.surveys import SurveysFile, survey_report
from cotrain.enums import ATTENDED_STATUSES, all_roles

# Cerfa 10443 cadre F-1, in the form's order.
BPF_CATEGORIES: tuple[str, ...] = (
    "private_employees",  # a. salariés d'employeurs privés hors apprentis
    "apprentices",  # b. apprentis
    "jobseekers",  # c. personnes en recherche d'emploi
    "individuals",  # d. particuliers à leurs propres frais
    "other",  # e. autres stagiaires
)


@dataclass(frozen=True)
class BpfRow:
    """One line of cadre F-1: trainees and trainee-hours, and which roles make it up."""

    category: str
    trainees: int = 0
    minutes: int = 0
    by_role: Mapping[str, int] = field(default_factory=dict)

    @property
    def hours(self) -> Decimal:
        return Decimal(self.minutes) / 60


def bpf_trainees(report: ParticipationReport) -> list[BpfRow]:
    """Trainees (attended at least one half-day) and their hours, by BPF category (all five
    lines, in the form's order, zero lines included)."""
    mapping = report.config.reporting.bpf_categories
    people: dict[str, int] = dict.fromkeys(BPF_CATEGORIES, 0)
    minutes: dict[str, int] = dict.fromkeys(BPF_CATEGORIES, 0)
    roles: dict[str, dict[str, int]] = {c: {} for c in BPF_CATEGORIES}
    for person in report.people:
        if not any(s in ATTENDED_STATUSES for s in person.statuses.values()):
            continue
        role = person.participant.role
        category = mapping.get(role, "other")
        people[category] += 1
        minutes[category] += person.figures.minutes
        roles[category][role.value] = roles[category].get(role.value, 0) + 1
    return [
        BpfRow(
            category=c,
            trainees=people[c],
            minutes=minutes[c],
            by_role={r.value: roles[c][r.value] for r in all_roles() if r.value in roles[c]},
        )
        for c in BPF_CATEGORIES
    ]


@dataclass(frozen=True)
class Satisfaction:
    """The trainees' overall satisfaction from one survey: mean on 1-5 and who answered."""

    survey_id: str
    title: str
    mean: float | None  # None: fewer answers than reporting.small_cell
    answered: int
    respondents: int
    audience: int
    response_rate: float | None


def trainee_satisfaction(
    config: Config,
    surveys: SurveysFile,
    *,
    participants: Sequence[Participant],
    cities: Mapping[str, str],
) -> list[Satisfaction]:
    """Satisfaction of the trainees, one entry per trainee survey with answers and a
    satisfaction question; the end-of-programme ("à chaud") ones first."""
    chosen = [
        s
        for s in config.surveys
        if s.audience in (Audience.TRAINEES, Audience.ACTIVISTS)
        and s.satisfaction_question is not None
        and surveys.responses(s.id)
    ]
    order = {Timing.END_OF_PROGRAMME: 0, Timing.END_OF_DAY: 1, Timing.FOLLOW_UP: 2}
    chosen.sort(key=lambda s: (order.get(s.timing, 3), s.id))
    out = []
    for survey in chosen:
        result = survey_report(
            survey,
            surveys.responses(survey.id),
            config=config,
            participants=participants,
            cities=cities,
        )
        main = next(q for q in result.questions if q.id == result.satisfaction_question)
        out.append(
            Satisfaction(
                survey_id=survey.id,
                title=survey.title,
                mean=result.satisfaction,
                answered=main.answered,
                respondents=result.respondents,
                audience=result.audience_size,
                response_rate=result.response_rate,
            )
        )
    return out
