"""The end-of-programme report (bilan): every section's figures gathered into one model.

This module computes no figure of another area: it calls their domain functions
(``check_applications``, ``budget_summary``, ``participation``, ``survey_report``,
``duo_report``) and copies what they return, so the bilan agrees with ``cotrain check``,
``budget``, ``report`` and ``survey report`` by construction.

``anonymise=True`` gives the edition fit for publication: no person's name anywhere (duos are
named by their id, free text has known names blanked), cells under ``reporting.small_cell``
suppressed, activists never broken down by city.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from pydantic import BaseModel

from cotrain.domain.attendance import AttendanceFile
from cotrain.domain.budget import budget_summary
from cotrain.domain.config import Config
from cotrain.domain.duos import DuoNotesFile, DuoSummary, duo_report, lessons_from_notes
from cotrain.domain.eligibility import check_applications
from cotrain.domain.financial_report import FinancialReport, financial_report
from cotrain.domain.models import ApplicationsFile, ScheduleFile, SelectionFile
from cotrain.domain.participants import list_participants
from cotrain.domain.questionnaires import Objective as BilanObjective
from cotrain.domain.rates import completion, dropped_out_text, participation, rounded_percent
from cotrain.domain.surveys import (
    DuoRef,
    SurveyReport,
    SurveysFile,
    default_comparison,
    survey_report,
)
from cotrain.enums import Decision, Role, all_roles, city_roles

BLANKED = "[…]"


class CallSection(BaseModel):
    candidates: int
    eligible: int | None  # None without applications
    not_eligible: int | None
    selected: int
    waitlisted: int
    withdrawn: int
    promotions: int
    events: list[dict[str, Any]] = []  # {"at", "kind", "city"}
    selected_cities: list[str] = []


class CityRow(BaseModel):
    city_id: str
    city: str
    counts: dict[str, int | None]  # role -> people (None: suppressed)
    total: int | None


class CohortSection(BaseModel):
    participants: int
    recipients: int
    activists: int
    by_role: dict[str, int | None]
    by_city: list[CityRow] = []


class SessionRow(BaseModel):
    id: str
    date: date
    half: str
    kind: str
    title: str
    groups: int


class PlanSection(BaseModel):
    half_days: int
    days: int
    length_in_days: str  # "4.5"
    first_day: date | None
    last_day: date | None
    sessions: list[SessionRow] = []
    groups: int = 0
    duos: int = 0
    scheduled: bool = False


class RateRow(BaseModel):
    key: str
    label: str
    people: int | None
    expected: int | None
    attended: str | None  # weighted half-days attended, as a decimal string
    rate: float | None  # 0..1 (None: suppressed or nothing expected)
    percent: str | None  # rounded as published: "95"
    is_activists: bool = False
    suppressed: bool = False


class AttendanceSection(BaseModel):
    available: bool
    target: float
    target_percent: str
    recipients: RateRow | None = None
    activists: RateRow | None = None
    all: RateRow | None = None
    target_met: bool | None = None
    excused: int = 0
    absent: int = 0
    trained: int = 0  # attended at least one half-day
    completed: int = 0
    dropped_out: int = 0
    dropped_out_text: str = ""  # with the interruptions after the start (issue 15)
    hours_all: str | None = None  # trainee-hours, time actually present ("874.75")
    hours_recipients: str | None = None
    hours_activists: str | None = None
    hours_planned: str | None = None
    by_day: list[RateRow] = []
    by_city: list[RateRow] = []
    by_role: list[RateRow] = []


class MoneyRow(BaseModel):
    """A line of the compte rendu financier; amounts as strings with two decimals."""

    label: str
    planned: str
    actual: str | None  # None: not reported yet
    gap: str | None
    gap_percent: str | None  # "-3.3"
    note: str = ""
    unexplained: bool = False
    city: bool = False


class InKindRow(BaseModel):
    label: str
    amount: str
    provider: str = ""
    note: str = ""


class FinancialSection(BaseModel):
    """The compte rendu financier (loi 2000-321 art. 10; Cerfa 15059), see financial_report."""

    reported: bool
    charges: list[MoneyRow] = []
    products: list[MoneyRow] = []
    planned_charges: str = "0.00"
    actual_charges: str | None = None
    planned_products: str = "0.00"
    actual_products: str | None = None
    planned_result: str = "0.00"
    actual_result: str | None = None
    in_kind: list[InKindRow] = []
    in_kind_total: str = "0.00"
    unexplained: int = 0
    missing: int = 0
    cost_per_trainee: str | None = None  # actual charges / people trained


class ObjectiveRow(BaseModel):
    objective: str
    indicator: str = ""
    target: str | None = None
    value: str | None = None  # the figure cotrain computed, as published
    reached: bool | None = None
    result: str = ""


class SatisfactionBar(BaseModel):
    survey_id: str
    label: str  # audience (and group) label key material: "trainees", "trainees:elected"...
    audience: str
    group: str = ""
    mean: float | None
    suppressed: bool


class EvaluationSection(BaseModel):
    surveys: list[SurveyReport] = []
    satisfaction: list[SatisfactionBar] = []
    declared_without_answers: list[str] = []


class BilanModel(BaseModel):
    language: str
    anonymised: bool
    small_cell: int
    programme: dict[str, Any]
    call: CallSection
    cohort: CohortSection
    plan: PlanSection
    attendance: AttendanceSection
    budget: dict[str, Any]
    financial: FinancialSection | None = None
    objectives: list[ObjectiveRow] = []
    evaluation: EvaluationSection
    duos: list[DuoSummary] = []
    trainer_names: dict[str, str] = {}
    lessons: list[str] = []
    lessons_from_duos: list[str] = []


def _rate_row(
    row: Any, small: int, anonymise: bool, decimals: int, *, hide: bool = False
) -> RateRow:
    figures = row.figures
    suppressed = hide or (anonymise and 0 < figures.people < small)
    rate = figures.rate
    return RateRow(
        key=row.key,
        label=row.label,
        people=None if suppressed else figures.people,
        expected=None if suppressed else figures.expected,
        attended=None if suppressed else str(figures.attended),
        rate=None if suppressed or rate is None else float(rate),
        percent=None if suppressed or rate is None else str(rounded_percent(rate, decimals)),
        is_activists=bool(getattr(row, "is_activists", False)),
        suppressed=suppressed,
    )


def _rate_rows(report: Any, view: str, small: int, anonymise: bool, decimals: int) -> list[RateRow]:
    """A view's rows; anonymised, small rows hidden and enough others with them that no hidden
    row is the published total minus the published rows (issue 13). Totals stay published."""
    from cotrain.domain.suppression import parts_make_total, suppress

    rows = report.by_view(view)
    if not anonymise:
        return [_rate_row(r, small, False, decimals) for r in rows]
    totals = [report.recipients.people, report.activists.people, report.all.people]
    people = totals + [r.figures.people for r in rows]
    indices = list(range(3, len(people)))
    recipients = [i for i, r in zip(indices, rows, strict=True) if not r.is_activists]
    activists = [i for i, r in zip(indices, rows, strict=True) if r.is_activists]
    relations = [
        parts_make_total(recipients, 0),
        parts_make_total(activists, 1),
        parts_make_total(indices, 2),
    ]
    primary, complement = suppress(people, relations, small=small, fixed=frozenset({0, 1, 2}))
    hidden = primary | complement
    return [
        _rate_row(r, small, False, decimals, hide=i in hidden)
        for i, r in zip(indices, rows, strict=True)
    ]


def _cohort_suppression(
    grid: dict[str, dict[str, int]], by_role: dict[str, int], recipients: int, small: int
) -> set[tuple[str, str, str]]:
    """The cells of the city x role table to hide: small ones, and enough others that no hidden
    cell is a row, column or grand total minus published cells (the totals stay published)."""
    from cotrain.domain.suppression import parts_make_total, suppress

    names: list[tuple[str, str, str]] = []
    people: list[int] = []

    def cell(key: tuple[str, str, str], value: int) -> int:
        names.append(key)
        people.append(value)
        return len(names) - 1

    total = cell(("recipients", "", ""), recipients)
    roles = {role: cell(("role", "", role), value) for role, value in by_role.items()}
    relations = []
    city_totals = []
    columns: dict[str, list[int]] = {role: [] for role in grid[next(iter(grid))]} if grid else {}
    for cid, counts in grid.items():
        members = []
        for role, value in counts.items():
            index = cell(("cell", cid, role), value)
            members.append(index)
            columns[role].append(index)
        city_totals.append(cell(("city", cid, ""), sum(counts.values())))
        relations.append(parts_make_total(members, city_totals[-1]))
    for role, members in columns.items():
        relations.append(parts_make_total(members, roles[role]))
    relations.append(parts_make_total(city_totals, total))
    relations.append(parts_make_total([roles[r] for r in columns], total))
    primary, complement = suppress(people, relations, small=small, fixed=frozenset({total}))
    return {names[i] for i in primary | complement}


def _total_row(key: str, figures: Any, decimals: int) -> RateRow:
    rate = figures.rate
    return RateRow(
        key=key,
        label="",
        people=figures.people,
        expected=figures.expected,
        attended=str(figures.attended),
        rate=None if rate is None else float(rate),
        percent=None if rate is None else str(rounded_percent(rate, decimals)),
    )


def _names_pattern(names: Sequence[str]) -> re.Pattern[str] | None:
    words: set[str] = set()
    for name in names:
        if not name.strip():
            continue
        words.add(name.strip())
        for part in re.split(r"[\s]+", name):
            if len(part) >= 3:
                words.add(part)
    if not words:
        return None
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def _movements(
    config: Config,
    selection: SelectionFile | None,
    history: Any,
    participants: Sequence[Any],
    names: dict[str, str],
    anonymise: bool,
) -> list[dict[str, Any]]:
    """The movements after the selection, each dated by the half-day it took effect from (the
    day it was typed before the start): the selection's events, then the changes of
    ``history.toml`` about people (substitute, late joiner, departure, duo stand-in; issue 15).
    People are named by their city and role only; a departure's reason unless anonymised."""
    from cotrain.i18n import t

    dates = {s.id: s.date for s in config.plan.sessions}
    since: dict[Any, str] = {}  # a withdrawal's time -> the half-day it took effect from
    for o in selection.overrides if selection else []:
        if o.action == "withdraw" and o.from_session and o.at is not None:
            since[o.at] = o.from_session

    def when(at: Any, session: str) -> str:
        day = dates.get(session) or dates.get(since.get(at, ""))
        return (day or at.date()).isoformat()

    events: list[dict[str, Any]] = [
        {"at": when(e.at, e.from_session), "kind": e.kind, "city": names.get(e.city_id, e.city_id)}
        for e in (selection.events if selection else [])
    ]
    people = {p.id: p for p in participants}
    trainers = {tr.id for tr in config.trainers}
    for change in history.changes if history is not None else []:
        if change.kind not in ("replace", "join", "leave", "duo_replace"):
            continue
        who = next((people[i] for i in (*change.people, *change.arrivals) if i in people), None)
        if change.kind == "duo_replace" or (who is None and set(change.people) & trainers):
            place = t("bilan.movement.duo")
        elif who is not None:
            place = ", ".join(
                x for x in (who.city or who.organisation, t(f"role.{who.role.value}")) if x
            )
        else:
            place = names.get(change.city_id, change.city_id)
        session = change.from_session or (change.sessions[0] if change.sessions else "")
        event = {"at": when(change.at, session), "kind": change.kind, "city": place}
        if change.kind == "leave" and change.reason and not anonymise:
            event["detail"] = change.reason
        events.append(event)
    return sorted(events, key=lambda e: e["at"])


def build_bilan(
    config: Config,
    *,
    applications: ApplicationsFile | None,
    selection: SelectionFile | None,
    schedule: ScheduleFile | None,
    attendance: AttendanceFile | None,
    surveys: SurveysFile,
    notes: DuoNotesFile,
    duos: Sequence[DuoRef],
    anonymise: bool = False,
    history: Any = None,
) -> BilanModel:
    """Every section of the bilan, from the workspace's models."""
    small = config.reporting.small_cell
    decimals = config.reporting.decimals
    applications = applications or ApplicationsFile()
    participants = list_participants(config, applications, selection)
    selected_ids = selection.selected_city_ids() if selection else []
    cities = {cid: getattr(applications.get(cid), "city", cid) for cid in selected_ids}
    all_names = {a.city_id: a.city for a in applications.applications}

    # The call: candidates, eligibility, decisions, movements.
    from cotrain.domain.changes import as_declared

    declared = as_declared(config, applications, selection)
    checks = check_applications(config, declared) if applications.applications else []
    decisions = selection.decisions if selection else []

    def count(decision: Decision) -> int:
        return sum(1 for d in decisions if d.decision == decision)

    events = _movements(config, selection, history, participants, all_names, anonymise)
    call = CallSection(
        candidates=len(applications.applications),
        eligible=sum(1 for c in checks if c.eligible) if checks else None,
        not_eligible=sum(1 for c in checks if not c.eligible) if checks else None,
        selected=len(selected_ids),
        waitlisted=count(Decision.WAITLISTED),
        withdrawn=count(Decision.WITHDRAWN),
        promotions=sum(1 for e in events if e["kind"] == "promotion"),
        events=events,
        selected_cities=[cities[c] for c in selected_ids],
    )

    # The cohort by role and city.
    by_role_raw = {
        role.value: sum(1 for p in participants if p.role == role) for role in all_roles()
    }
    grid = {
        cid: {
            role.value: sum(1 for p in participants if p.city_id == cid and p.role == role)
            for role in city_roles()
        }
        for cid in selected_ids
    }
    recipients = sum(1 for p in participants if p.role != Role.ACTIVIST)
    hide = _cohort_suppression(grid, by_role_raw, recipients, small) if anonymise else set()
    city_rows = []
    for cid in selected_ids:
        counts = {
            role: None if ("cell", cid, role) in hide else value
            for role, value in grid[cid].items()
        }
        total = sum(grid[cid].values())
        city_rows.append(
            CityRow(
                city_id=cid,
                city=cities[cid],
                counts=counts,
                total=None if ("city", cid, "") in hide else total,
            )
        )
    cohort = CohortSection(
        participants=len(participants),
        recipients=recipients,
        activists=len(participants) - recipients,
        by_role={k: None if ("role", "", k) in hide else v for k, v in by_role_raw.items()},
        by_city=city_rows,
    )

    # The plan as held.
    trainee_sessions = config.plan.trainee_sessions
    session_rows = []
    for spec in trainee_sessions:
        scheduled = schedule.session(spec.id) if schedule else None
        session_rows.append(
            SessionRow(
                id=spec.id,
                date=spec.date,
                half=spec.half.value,
                kind=spec.kind.value,
                title=spec.title,
                groups=len(scheduled.groups) if scheduled else 0,
            )
        )
    days = config.plan.days
    plan = PlanSection(
        half_days=len(trainee_sessions),
        days=len(days),
        length_in_days=str(config.plan.length_in_days),
        first_day=days[0] if days else None,
        last_day=days[-1] if days else None,
        sessions=session_rows,
        groups=sum(r.groups for r in session_rows),
        duos=len(duos),
        scheduled=schedule is not None,
    )

    # Attendance and participation, from the report's own function.
    target = config.reporting.target
    section = AttendanceSection(
        available=False,
        target=float(target),
        target_percent=str(rounded_percent(target, decimals)),
    )
    report = None
    if schedule is not None and attendance is not None and attendance.sessions:
        report = participation(config, participants, schedule, attendance)
        everyone = report.all
        done = completion(report, "all")
        section = AttendanceSection(
            available=True,
            target=float(target),
            target_percent=str(rounded_percent(target, decimals)),
            recipients=_total_row("recipients", report.recipients, decimals),
            activists=_total_row("activists", report.activists, decimals),
            all=_total_row("all", everyone, decimals),
            target_met=report.target_met("recipients"),
            excused=everyone.excused,
            absent=everyone.absent + everyone.unmarked,
            trained=done.started,
            completed=done.completed,
            dropped_out=done.dropped_out,
            dropped_out_text=dropped_out_text(done),
            hours_all=_hours(everyone.minutes),
            hours_recipients=_hours(report.recipients.minutes),
            hours_activists=_hours(report.activists.minutes),
            hours_planned=_hours(everyone.expected_minutes),
            by_day=[_rate_row(r, small, False, decimals) for r in report.by_view("day")],
            by_city=_rate_rows(report, "city", small, anonymise, decimals),
            by_role=_rate_rows(report, "role", small, anonymise, decimals),
        )

    # The budget, as ``cotrain budget`` computes it, and the compte rendu financier.
    summary = budget_summary(config, applications, selection)
    budget = summary.to_json()
    financial = _financial_section(
        financial_report(config, summary), trained=section.trained or None
    )
    budget["spent"] = [
        {"label": line.label, "amount": f"{line.amount:.2f}", "note": line.note}
        for line in config.budget.spent
    ]

    # The evaluation.
    evaluation = EvaluationSection()
    for survey in config.surveys:
        responses = surveys.responses(survey.id)
        if not responses:
            evaluation.declared_without_answers.append(survey.id)
            continue
        other = default_comparison(config, survey)
        compare = (
            (other, surveys.responses(other.id)) if other and surveys.responses(other.id) else None
        )
        result = survey_report(
            survey,
            responses,
            config=config,
            participants=participants,
            cities=cities,
            duos=duos,
            compare=compare,
        )
        evaluation.surveys.append(result)
        if result.satisfaction_question is not None:
            main = next(q for q in result.questions if q.id == result.satisfaction_question)
            evaluation.satisfaction.append(
                SatisfactionBar(
                    survey_id=survey.id,
                    label=survey.title,
                    audience=survey.audience.value,
                    mean=main.mean,
                    suppressed=main.suppressed,
                )
            )
            for group in result.groups:
                value = group.means.get(result.satisfaction_question)
                evaluation.satisfaction.append(
                    SatisfactionBar(
                        survey_id=survey.id,
                        label=survey.title,
                        audience=survey.audience.value,
                        group=group.key,
                        mean=value,
                        suppressed=value is None,
                    )
                )

    objectives = _objectives(
        config, attendance=section, call=call, evaluation=evaluation, report=report
    )
    summaries = duo_report(
        config,
        duos=duos,
        schedule=schedule,
        notes=notes,
        answers=[(s, surveys.responses(s.id)) for s in config.surveys],
    )
    bilan = BilanModel(
        language=config.language,
        anonymised=anonymise,
        small_cell=small,
        programme={
            "name": config.programme.name,
            "organisers": list(config.programme.organisers),
            "site": config.programme.site,
            "address": config.programme.address,
            "theme": config.programme.theme,
            "title": config.bilan.title,
        },
        call=call,
        cohort=cohort,
        plan=plan,
        attendance=section,
        budget=budget,
        financial=financial,
        objectives=objectives,
        evaluation=evaluation,
        duos=summaries,
        trainer_names={} if anonymise else {tr.id: tr.name for tr in config.trainers},
        lessons=list(config.bilan.lessons),
        lessons_from_duos=lessons_from_notes(notes),
    )
    if anonymise:
        names = [p.name for p in participants] + [tr.name for tr in config.trainers]
        names += [person.name for a in applications.applications for person in a.people]
        names += [a.name for a in config.activists]
        bilan = _scrub(bilan, _names_pattern(names))
    return bilan


def _hours(minutes: int) -> str:
    """Minutes as decimal hours with two decimals ("874.75"): a stable JSON figure."""
    return f"{Decimal(minutes) / 60:.2f}"


def _money(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def _financial_section(report: FinancialReport, *, trained: int | None) -> FinancialSection:
    def row(line: Any) -> MoneyRow:
        share = line.gap_share
        return MoneyRow(
            label=line.label,
            planned=f"{line.planned:.2f}",
            actual=_money(line.actual),
            gap=_money(line.gap),
            gap_percent=None if share is None else f"{share * 100:.1f}",
            note=line.note,
            unexplained=line.needs_explanation,
            city=line.city,
        )

    actual = report.actual_charges
    return FinancialSection(
        reported=report.reported,
        charges=[row(line) for line in report.charges],
        products=[row(line) for line in report.products],
        planned_charges=f"{report.planned_charges:.2f}",
        actual_charges=_money(actual),
        planned_products=f"{report.planned_products:.2f}",
        actual_products=_money(report.actual_products),
        planned_result=f"{report.planned_result:.2f}",
        actual_result=_money(report.actual_result),
        in_kind=[
            InKindRow(label=k.label, amount=f"{k.amount:.2f}", provider=k.provider, note=k.note)
            for k in report.in_kind
        ],
        in_kind_total=f"{report.in_kind_total:.2f}",
        unexplained=len(report.unexplained),
        missing=len(report.missing),
        cost_per_trainee=_money((actual / trained).quantize(Decimal("0.01")))
        if actual is not None and trained
        else None,
    )


def _objectives(
    config: Config,
    *,
    attendance: AttendanceSection,
    call: CallSection,
    evaluation: EvaluationSection,
    report: Any,
) -> list[ObjectiveRow]:
    """Each objective of ``[[bilan.objectives]]`` with the figure that measures it."""
    decimals = config.reporting.decimals
    satisfaction = next(
        (
            bar.mean
            for bar in evaluation.satisfaction
            if bar.audience == "trainees" and not bar.group and bar.mean is not None
        ),
        None,
    )
    figures: dict[str, Decimal | None] = {
        "cities": Decimal(call.selected),
        "satisfaction": None if satisfaction is None else Decimal(str(satisfaction)),
    }
    if report is not None:
        done = completion(report, "all")
        figures["participation_rate"] = rounded_percent(report.recipients.rate, decimals)
        figures["completion_rate"] = rounded_percent(done.rate, decimals)
        figures["trained"] = Decimal(done.started)
        figures["trainee_hours"] = (Decimal(report.all.minutes) / 60).quantize(Decimal("0.01"))
    rows = []
    # The bilan's objectives, or else the training's own (``[training] objectives``), stated once.
    items = config.bilan.objectives or [
        BilanObjective(objective=text) for text in config.training.objectives if text.strip()
    ]
    for item in items:
        value = figures.get(item.indicator) if item.indicator else None
        reached = None
        if value is not None and item.target is not None:
            reached = value >= item.target
        rows.append(
            ObjectiveRow(
                objective=item.objective,
                indicator=item.indicator,
                target=None if item.target is None else str(item.target),
                value=None if value is None else str(value),
                reached=reached,
                result=item.result,
            )
        )
    return rows


def _scrub(bilan: BilanModel, pattern: re.Pattern[str] | None) -> BilanModel:
    """Blank every known name in the free text of the published edition; drop duo notes' details."""

    def clean(text: str) -> str:
        return pattern.sub(BLANKED, text) if pattern else text

    for report in bilan.evaluation.surveys:
        for question in report.questions:
            question.texts = sorted(clean(text) for text in question.texts)
    bilan.duos = [
        summary.model_copy(update={"trainers": [], "notes": []}) for summary in bilan.duos
    ]
    bilan.lessons = [clean(text) for text in bilan.lessons]
    bilan.objectives = [
        row.model_copy(update={"result": clean(row.result)}) for row in bilan.objectives
    ]
    bilan.lessons_from_duos = [clean(text) for text in bilan.lessons_from_duos]
    return bilan
