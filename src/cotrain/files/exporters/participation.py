"""Participation reports as tables and files: CSV (French Excel or plain), XLSX, JSON, TOML,
Markdown (issue 5).

One :class:`ReportDocument` is built from a :class:`~cotrain.domain.rates.ParticipationReport`
(translated headers, rounded rates, pseudonyms and small-cell suppression when anonymised) and
then written in any format, so that every format says the same thing. CSV and XLSX go through
the shared formula-safe writer (:mod:`cotrain.files.exporters.tabular`).

Anonymised output (``--anonymise``): names become stable pseudonyms (``P-3F2A``), person rows
lose their city and role (only "recipient" or "activist" is kept), rows describing fewer than
``reporting.small_cell`` people are suppressed, and activists are never broken down by city.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from cotrain.domain.rates import (
    GROUPS,
    Figures,
    ParticipationReport,
    ViewRow,
    completion,
    dropped_out_text,
    pseudonyms,
    rounded_percent,
)
from cotrain.enums import Role, all_roles
from cotrain.i18n import format_date, format_percent, t

FORMATS = ("csv", "json", "toml", "xlsx", "md")
FIGURE_KEYS = (
    "people",
    "expected",
    "attended",
    "present",
    "late",
    "left_early",
    "excused",
    "absent",
    "unmarked",
    "rate_percent",
)

Table = tuple[list[str], list[list[Any]]]


@dataclass
class ReportDocument:
    """A participation report ready to print or write: tables with translated headers."""

    title: str
    period: str
    definition: str
    headline: str
    overall: Table
    view: str | None = None
    view_table: Table | None = None
    follow_up: Table | None = None
    warnings: list[str] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)  # the same, with stable keys (JSON/TOML)
    bars: dict[str, list[tuple[str, Decimal | None]]] = field(default_factory=dict)


def _number(value: Decimal) -> int | Decimal:
    return int(value) if value == value.to_integral_value() else value.normalize()


def _json_number(value: Decimal | int | None) -> int | float | None:
    if value is None:
        return None
    if isinstance(value, int):
        return value
    return int(value) if value == value.to_integral_value() else float(value)


def definition_text(report: ParticipationReport) -> str:
    """The one definition of the rate (report footer and README)."""
    weights = report.config.attendance
    text = t(
        "report.definition",
        late=format_number_plain(weights.late_weight),
        left_early=format_number_plain(weights.left_early_weight),
    )
    if report.excluding_excused:
        text += " " + t("report.definition_excluding")
    return text


def format_number_plain(value: Decimal) -> str:
    from cotrain.i18n import format_number

    decimals = max(0, -value.normalize().as_tuple().exponent)  # type: ignore[operator]
    return format_number(value, decimals=decimals)


def figure_header(first: list[str], *, with_people: bool = True) -> list[str]:
    columns = [*first]
    if with_people:
        columns.append(t("report.col.people"))
    columns += [
        t("report.col.expected"),
        t("report.col.attended"),
        t("report.col.present"),
        t("report.col.late"),
        t("report.col.left_early"),
        t("report.col.excused"),
        t("report.col.absent"),
        t("report.col.unmarked"),
        t("report.col.rate"),
    ]
    return columns


def figure_cells(
    figures: Figures,
    decimals: int,
    *,
    with_people: bool = True,
    suppressed: bool | str = False,
    small_cell: int = 3,
) -> list[Any]:
    """A row's figures; ``suppressed`` (``"small"``, ``"complement"`` or True) hides them."""
    if suppressed:
        shown = t("report.hidden") if suppressed == "complement" else f"< {small_cell}"
        return ([shown] if with_people else []) + [None] * 9
    cells: list[Any] = [figures.people] if with_people else []
    cells += [
        figures.expected,
        _number(figures.attended),
        figures.present,
        figures.late,
        figures.left_early,
        figures.excused,
        figures.absent,
        figures.unmarked,
        rounded_percent(figures.rate, decimals),
    ]
    return cells


def figure_data(figures: Figures, decimals: int) -> dict[str, Any]:
    return {
        "people": figures.people,
        "expected": figures.expected,
        "attended": _json_number(figures.attended),
        "present": figures.present,
        "late": figures.late,
        "left_early": figures.left_early,
        "excused": figures.excused,
        "absent": figures.absent,
        "unmarked": figures.unmarked,
        "missed": figures.missed,
        "rate": None if figures.rate is None else float(round(figures.rate, 6)),
        "rate_percent": _json_number(rounded_percent(figures.rate, decimals)),
    }


def row_label(report: ParticipationReport, view: str, row: ViewRow, names: dict[str, str]) -> str:
    if view == "city":
        return t("role_plural.activist") if row.is_activists else row.label
    if view == "role":
        return t(f"role_plural.{row.key}")
    if view == "day":
        return format_date(date.fromisoformat(row.key))
    if view == "session":
        spec = report.config.plan.session(row.key)
        if spec is None:
            return row.key
        return f"{format_date(spec.date)} {t(f'half.{spec.half.value}')} ({spec.id})"
    return names.get(row.key, row.label)


def build_document(
    report: ParticipationReport,
    *,
    view: str | None = None,
    decimals: int = 0,
    anonymise: bool = False,
    secret: bytes = b"",
    seed: int | None = None,
) -> ReportDocument:
    """Everything a participation report shows, in the current language.

    Anonymised, person rows come in an order drawn from ``seed`` (a new one for each export).
    """
    config = report.config
    small = config.reporting.small_cell
    sessions = report.sessions
    start = min((s.date for s in sessions), default=None)
    end = max((s.date for s in sessions), default=None)
    period = (
        t("report.period", start=format_date(start), end=format_date(end)) if start and end else ""
    )
    ids = [p.participant.id for p in report.people]
    names = (
        pseudonyms(ids, secret)
        if anonymise
        else {p.participant.id: p.participant.name for p in report.people}
    )

    view_rows = report.by_view(view) if view else []
    hidden_overall, hidden_rows = (
        suppressed_cells(report, view, view_rows, small=small) if anonymise else ({}, {})
    )

    overall_rows = []
    data_overall: dict[str, Any] = {}
    for group in GROUPS:
        figures = report.total(group)
        mark = hidden_overall.get(group, "")
        overall_rows.append(
            [
                t(f"report.group.{group}"),
                *figure_cells(figures, decimals, suppressed=mark, small_cell=small),
            ]
        )
        data_overall[group] = None if mark else figure_data(figures, decimals)
    recipients = report.recipients
    met = report.target_met(decimals=decimals)
    headline = t(
        "report.headline",
        people=recipients.people,
        attended=format_number_plain(recipients.attended),
        expected=recipients.expected,
        rate=format_percent(recipients.rate, decimals=decimals)
        if recipients.rate is not None
        else "—",
        target=format_percent(report.target),
        verdict=t("report.target_met")
        if met
        else (t("report.target_missed") if met is False else "—"),
    )
    doc = ReportDocument(
        title=t("report.title", programme=config.programme.name),
        period=period,
        definition=definition_text(report),
        headline=headline,
        overall=(figure_header([t("report.col.group")]), overall_rows),
    )
    data: dict[str, Any] = {
        "programme": config.programme.name,
        "period": {
            "start": start.isoformat() if start else None,
            "end": end.isoformat() if end else None,
        },
        "definition": doc.definition,
        "excluding_excused": report.excluding_excused,
        "decimals": decimals,
        "anonymised": anonymise,
        "target": float(report.target),
        "target_met": met,
        "overall": data_overall,
    }
    if view:
        doc.view = view
        rows = view_rows
        if view == "person":
            if anonymise:  # an order of its own for every export: never the named one
                import random

                rows = list(rows)
                random.Random(seed).shuffle(rows)
            if anonymise:
                first = [t("report.col.pseudonym"), t("report.col.group")]
            else:
                first = [t("report.col.person"), t("report.col.city"), t("report.col.role")]
            header = figure_header(first, with_people=False)
            table_rows = []
            data_rows = []
            for row in rows:
                group = "activists" if row.is_activists else "recipients"
                if anonymise:
                    lead = [names[row.key], t(f"report.group.{group}")]
                else:
                    lead = [
                        names[row.key],
                        "" if row.is_activists else row.city,
                        t(f"role.{row.role.value}") if row.role else "",
                    ]
                table_rows.append([*lead, *figure_cells(row.figures, decimals, with_people=False)])
                entry = (
                    {"id": names[row.key], "group": group}
                    if anonymise
                    else {
                        "id": row.key,
                        "name": row.label,
                        "city": row.city,
                        "role": row.role.value if row.role else None,
                    }
                )
                data_rows.append({**entry, **figure_data(row.figures, decimals)})
        else:
            header = figure_header([t(f"report.col.{view}")])
            table_rows = []
            data_rows = []
            for index, row in enumerate(rows):
                mark = hidden_rows.get(index, "")
                suppressed = bool(mark)
                table_rows.append(
                    [
                        row_label(report, view, row, names),
                        *figure_cells(row.figures, decimals, suppressed=mark, small_cell=small),
                    ]
                )
                shown = {} if suppressed else figure_data(row.figures, decimals)
                data_rows.append(
                    {
                        "key": row.key,
                        "label": row_label(report, view, row, names),
                        "suppressed": suppressed,
                        **shown,
                    }
                )
        doc.view_table = (header, table_rows)
        data["view"] = view
        data["rows"] = data_rows
    follow = report.follow_up()
    follow_rows = []
    follow_data = []
    # Anonymised, the list is only counted: its rows (missed half-days, sessions) would match
    # each pseudonym to a name in the named report (issue 13).
    data["follow_up_count"] = len(follow)
    if anonymise:
        follow = []
    for person in follow:
        p, f = person.participant, person.figures
        missed_sessions = [
            sid
            for sid, status in person.statuses.items()
            if status is None or status.value in ("excused", "absent")
        ]
        if anonymise:
            follow_rows.append([names[p.id], f.missed, f.excused, ", ".join(missed_sessions)])
            follow_data.append(
                {
                    "id": names[p.id],
                    "missed": f.missed,
                    "excused": f.excused,
                    "sessions": missed_sessions,
                }
            )
        else:
            place = p.city if p.role != Role.ACTIVIST else t("role.activist")
            follow_rows.append([p.name, place, f.missed, f.excused, ", ".join(missed_sessions)])
            follow_data.append(
                {
                    "id": p.id,
                    "name": p.name,
                    "city": p.city,
                    "missed": f.missed,
                    "excused": f.excused,
                    "sessions": missed_sessions,
                }
            )
    first = (
        [t("report.col.pseudonym")] if anonymise else [t("report.col.person"), t("report.col.city")]
    )
    doc.follow_up = (
        [*first, t("report.col.missed"), t("report.col.excused"), t("report.col.sessions")],
        follow_rows,
    )
    data["follow_up_threshold"] = config.reporting.follow_up_missed
    data["follow_up"] = follow_data
    if anonymise:
        doc.follow_up = None
        doc.warnings.append(
            t(
                "report.follow_up_counted",
                count=data["follow_up_count"],
                missed=config.reporting.follow_up_missed,
            )
        )
    without = [s.id for s in report.sessions_without_marks]
    if without:
        doc.warnings.append(t("report.sessions_without_marks", sessions=", ".join(without)))
    if report.ignored_marks:
        doc.warnings.append(t("report.ignored_marks", count=report.ignored_marks))
    if report.untimed_marks:
        doc.warnings.append(
            t(
                "attendance.untimed_notice",
                count=report.untimed_marks,
                share=format_percent(config.attendance.untimed_share),
            )
        )
    data["sessions_without_marks"] = without
    data["completion"] = {
        group: None if hidden_overall.get(group) else figures
        for group, figures in _completion_data(report).items()
    }
    doc.data = data
    for bar_view in ("city", "day"):
        bar_rows = report.by_view(bar_view)
        _, hidden_bars = (
            suppressed_cells(report, bar_view, bar_rows, small=small) if anonymise else ({}, {})
        )
        doc.bars[bar_view] = [
            (
                row_label(report, bar_view, row, names),
                None if hidden_bars.get(index) else row.figures.rate,
            )
            for index, row in enumerate(bar_rows)
        ]
    return doc


def suppressed_cells(
    report: ParticipationReport, view: str | None, rows: Sequence[ViewRow], *, small: int
) -> tuple[dict[str, str], dict[int, str]]:
    """What an anonymised report hides: overall groups and view rows, each marked ``small``
    (fewer than ``small`` people) or ``complement`` (hidden so that subtracting the published
    rows from the totals gives nothing away)."""
    from cotrain.domain.suppression import parts_make_total, suppress

    rec, act, everyone = 0, 1, 2
    people = [report.total(group).people for group in GROUPS]  # recipients, activists, all
    relations = [parts_make_total([rec, act], everyone)]
    first = len(people)
    if view in ("city", "role", "day", "session"):
        people += [row.figures.people for row in rows]
        indices = list(range(first, first + len(rows)))
        if view in ("city", "role"):
            recipients = [i for i, row in zip(indices, rows, strict=True) if not row.is_activists]
            activists = [i for i, row in zip(indices, rows, strict=True) if row.is_activists]
            relations.append(parts_make_total(recipients, rec))
            relations.append(parts_make_total(activists, act))
        relations.append(parts_make_total(indices, everyone))
    primary, complement = suppress(people, relations, small=small)

    def mark(cell: int) -> str:
        return "small" if cell in primary else "complement" if cell in complement else ""

    overall = {group: mark(i) for i, group in enumerate(GROUPS) if mark(i)}
    by_row = {i - first: mark(i) for i in range(first, len(people)) if mark(i)}
    return overall, by_row


def _completion_data(report: ParticipationReport) -> dict[str, Any]:
    out = {}
    for group in GROUPS:
        c = completion(report, group)
        out[group] = {
            "registered": c.registered,
            "started": c.started,
            "completed": c.completed,
            "dropped_out": c.dropped_out,
            "interrupted": c.interrupted_by(),
        }
    return out


# --- writing ---------------------------------------------------------------------------------


def _sheets(doc: ReportDocument) -> dict[str, tuple[list[str], list[list[Any]]]]:
    sheets = {t("report.sheet.overall"): doc.overall}
    if doc.view_table is not None and doc.view:
        sheets[t(f"report.sheet.{doc.view}")] = doc.view_table
    if doc.follow_up is not None:
        sheets[t("report.sheet.follow_up")] = doc.follow_up
    return sheets


def _markdown_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        from cotrain.i18n import format_number

        decimals = max(0, -value.as_tuple().exponent)  # type: ignore[operator]
        return format_number(value, decimals=decimals)
    from cotrain.files.exporters.markup import md_escape

    return md_escape(str(value)).replace("|", "\\|").replace("\n", " ")


def markdown_table(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    lines = [
        "| " + " | ".join(_markdown_cell(h) for h in header) + " |",
        "|" + "|".join(" --- " for _ in header) + "|",
    ]
    lines += ["| " + " | ".join(_markdown_cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def render_markdown(doc: ReportDocument) -> str:
    from cotrain.files.exporters.markup import md_escape

    parts = [f"# {md_escape(doc.title)}", ""]
    if doc.period:
        parts += [doc.period, ""]
    parts += [doc.headline, "", markdown_table(*doc.overall), ""]
    if doc.view_table is not None and doc.view:
        parts += [f"## {t(f'report.sheet.{doc.view}')}", "", markdown_table(*doc.view_table), ""]
    if doc.follow_up is not None:
        parts += [f"## {t('report.sheet.follow_up')}", ""]
        if doc.follow_up[1]:
            parts += [markdown_table(*doc.follow_up), ""]
        else:
            parts += [t("report.follow_up_none"), ""]
    for warning in doc.warnings:
        parts += [f"> {warning}", ""]
    parts += ["---", "", doc.definition, ""]
    return "\n".join(parts)


def write_document(doc: ReportDocument, path: Path, fmt: str, *, excel: bool = True) -> Path:
    """Write ``doc`` to ``path`` in ``fmt`` (csv, json, toml, xlsx, md), atomically."""
    from cotrain.files.exporters.tabular import write_csv, write_xlsx
    from cotrain.files.store import atomic_write_text, dump_toml

    if fmt == "csv":
        header, rows = doc.view_table if doc.view_table is not None else doc.overall
        return write_csv(path, header, rows, excel=excel)
    if fmt == "xlsx":
        return write_xlsx(path, _sheets(doc))
    if fmt == "json":
        atomic_write_text(path, json.dumps(doc.data, ensure_ascii=False, indent=2) + "\n")
        return path
    if fmt == "toml":
        atomic_write_text(path, dump_toml({"schema": 1, **doc.data}))
        return path
    if fmt == "md":
        atomic_write_text(path, render_markdown(doc))
        return path
    raise ValueError(fmt)


# --- the funder's page -------------------------------------------------------------------------


@dataclass
class FunderPage:
    """The one-page summary a funder asks for, and the Qualiopi indicator 2 figures."""

    title: str
    sections: list[tuple[str, list[tuple[str, str]]]]
    data: dict[str, Any]
    definition: str


def build_funder_page(
    report: ParticipationReport,
    budget: Any,
    *,
    decimals: int = 0,
    today: date | None = None,
    satisfaction: Sequence[Any] = (),
) -> FunderPage:
    """``budget`` is a :class:`cotrain.domain.budget.BudgetSummary` (or None when unavailable);
    ``satisfaction`` the :class:`cotrain.domain.funder.Satisfaction` of the trainees' surveys;
    ``today`` the publication date printed with the Qualiopi indicators."""
    from cotrain.domain.attendance import format_minutes
    from cotrain.domain.funder import bpf_trainees
    from cotrain.i18n import format_money

    config = report.config
    programme = config.programme
    start = min((s.date for s in report.sessions), default=None)
    end = max((s.date for s in report.sessions), default=None)
    cities: dict[str, str] = {}
    roles: dict[str, int] = {}
    for person in report.people:
        p = person.participant
        if p.role != Role.ACTIVIST:
            cities.setdefault(p.city_id, p.city)
        roles[p.role.value] = roles.get(p.role.value, 0) + 1
    recipients, activists, everyone = report.recipients, report.activists, report.all

    def pct(figures: Figures) -> str:
        return format_percent(figures.rate, decimals=decimals) if figures.rate is not None else "—"

    met = report.target_met(decimals=decimals)
    half_days = len(report.sessions)
    about = [
        (t("report.funder.programme"), programme.name),
        (t("report.funder.organisers"), ", ".join(programme.organisers)),
        (
            t("report.funder.period"),
            t("report.period", start=format_date(start), end=format_date(end))
            if start and end
            else "—",
        ),
        (
            t("report.funder.length"),
            t(
                "report.funder.length_value",
                half_days=half_days,
                days=format_number_plain(Decimal(half_days) / 2),
            ),
        ),
        (t("report.funder.site"), ", ".join(x for x in (programme.site, programme.address) if x)),
        (
            t("report.funder.cities"),
            t("report.funder.cities_value", count=len(cities), names=", ".join(cities.values()))
            if cities
            else "—",
        ),
    ]
    people = [
        (t(f"role_plural.{role.value}"), str(roles.get(role.value, 0)))
        for role in all_roles()
    ]
    people.append((t("report.funder.recipients"), str(recipients.people)))
    people.append((t("common.total"), str(everyone.people)))

    def detailed(figures: Figures) -> str:
        return f"{pct(figures)} ({format_number_plain(figures.attended)} / {figures.expected})"

    participation_rows = [
        (t("report.funder.rate_recipients"), detailed(recipients)),
        (t("report.funder.rate_activists"), detailed(activists)),
        (t("report.funder.rate_all"), pct(everyone)),
        (
            t("report.funder.target"),
            f"{format_percent(report.target)} — "
            + (
                t("report.target_met")
                if met
                else t("report.target_missed")
                if met is False
                else "—"
            ),
        ),
        (t("report.funder.excused"), str(recipients.excused + activists.excused)),
        (t("report.funder.hours_recipients"), format_minutes(recipients.minutes)),
        (t("report.funder.hours_activists"), format_minutes(activists.minutes)),
        (
            t("report.funder.hours_all"),
            t(
                "report.funder.hours_of",
                hours=format_minutes(everyone.minutes),
                planned=format_minutes(everyone.expected_minutes),
            ),
        ),
    ]
    done = completion(report, "all")
    qualiopi = [
        (t("report.funder.q_published"), format_date(today) if today else "—"),
        (
            t("report.funder.q_period"),
            t("report.period", start=format_date(start), end=format_date(end))
            if start and end
            else "—",
        ),
        (t("report.funder.q_headcount"), str(done.started)),
        (t("report.funder.q_registered"), str(done.registered)),
        (
            t("report.funder.q_completion"),
            f"{done.completed} / {done.registered}"
            + (
                f" ({format_percent(done.rate, decimals=decimals)})"
                if done.rate is not None
                else ""
            ),
        ),
        (t("report.funder.q_dropped_out"), dropped_out_text(done)),
        (t("report.funder.q_attendance"), pct(everyone)),
        (t("report.funder.q_hours"), format_minutes(everyone.minutes)),
    ]
    for item in satisfaction:
        rate = (
            format_percent(Decimal(str(item.response_rate)))
            if item.response_rate is not None
            else "—"
        )
        qualiopi.append(
            (
                t("report.funder.q_satisfaction", survey=item.title),
                t(
                    "report.funder.q_satisfaction_value",
                    mean=format_number_plain(Decimal(str(item.mean)))
                    if item.mean is not None
                    else "—",
                    answered=item.answered,
                    audience=item.audience,
                    rate=rate,
                ),
            )
        )
    if not satisfaction:
        qualiopi.append((t("report.funder.q_satisfaction_none"), "—"))
    bpf = bpf_trainees(report)
    bpf_rows = []
    for row in bpf:
        detail = ", ".join(
            f"{t(f'role_plural.{role}')} {count}" for role, count in row.by_role.items()
        )
        bpf_rows.append(
            (
                t(f"report.bpf.{row.category}"),
                t(
                    "report.bpf.value",
                    trainees=row.trainees,
                    hours=format_minutes(row.minutes),
                )
                + (f" ({detail})" if detail else ""),
            )
        )
    bpf_rows.append(
        (
            t("common.total"),
            t(
                "report.bpf.value",
                trainees=sum(r.trainees for r in bpf),
                hours=format_minutes(sum(r.minutes for r in bpf)),
            ),
        )
    )
    sections = [
        (t("report.funder.s_programme"), about),
        (t("report.funder.s_people"), people),
        (t("report.funder.s_participation"), participation_rows),
    ]
    data: dict[str, Any] = {
        "programme": programme.name,
        "organisers": list(programme.organisers),
        "period": {
            "start": start.isoformat() if start else None,
            "end": end.isoformat() if end else None,
        },
        "half_days": half_days,
        "site": programme.site,
        "address": programme.address,
        "cities": list(cities.values()),
        "people_by_role": {role.value: roles.get(role.value, 0) for role in all_roles()},
        "recipients": figure_data(recipients, decimals),
        "activists": figure_data(activists, decimals),
        "all": figure_data(everyone, decimals),
        "target": float(report.target),
        "target_met": met,
        "qualiopi_indicator_2": {
            "period_start": start.isoformat() if start else None,
            "period_end": end.isoformat() if end else None,
            "trained": done.started,
            "registered": done.registered,
            "completed": done.completed,
            "dropped_out": done.dropped_out,
            "interrupted": done.interrupted_by(),
            "dropout_rule_half_days": config.reporting.dropout_half_days,
            "attendance_rate_percent": _json_number(rounded_percent(everyone.rate, decimals)),
            "trainee_hours": float(everyone.hours.quantize(Decimal("0.01"))),
            "published": today.isoformat() if today else None,
            "satisfaction": [
                {
                    "survey": item.survey_id,
                    "mean": item.mean,
                    "answered": item.answered,
                    "respondents": item.respondents,
                    "audience": item.audience,
                    "response_rate": item.response_rate,
                }
                for item in satisfaction
            ],
        },
        "trainee_hours": {
            "recipients": float(recipients.hours.quantize(Decimal("0.01"))),
            "activists": float(activists.hours.quantize(Decimal("0.01"))),
            "all": float(everyone.hours.quantize(Decimal("0.01"))),
            "planned": float(everyone.expected_hours.quantize(Decimal("0.01"))),
        },
        "bpf_f1": [
            {
                "category": row.category,
                "trainees": row.trainees,
                "hours": float(row.hours.quantize(Decimal("0.01"))),
                "by_role": dict(row.by_role),
            }
            for row in bpf
        ],
    }
    if budget is not None:
        money_rows = [(line.label, format_money(line.amount)) for line in budget.costs]
        money_rows.append((t("report.funder.costs_total"), format_money(budget.costs_total)))
        if budget.spent_total:
            money_rows.append((t("report.funder.spent_total"), format_money(budget.spent_total)))
        money_rows += [(line.funder, format_money(line.amount)) for line in budget.funding]
        money_rows.append(
            (t("report.funder.contributions"), format_money(budget.contributions_total))
        )
        money_rows.append(
            (t("report.funder.resources_total"), format_money(budget.resources_total))
        )
        money_rows.append((t("report.funder.balance"), format_money(budget.balance)))
        sections.append((t("report.funder.s_budget"), money_rows))
        data["budget"] = budget.to_json()
    sections.append((t("report.funder.s_qualiopi"), qualiopi))
    sections.append((t("report.funder.s_bpf"), bpf_rows))
    return FunderPage(
        title=t("report.funder.title", programme=programme.short_name or programme.name),
        sections=sections,
        data=data,
        definition=definition_text(report)
        + " "
        + t("report.hours_definition")
        + " "
        + t("report.funder.dropout_rule", count=config.reporting.dropout_half_days),
    )


def render_funder_markdown(page: FunderPage) -> str:
    from cotrain.files.exporters.markup import md_escape

    parts = [f"# {md_escape(page.title)}", ""]
    for heading, rows in page.sections:
        parts += [
            f"## {heading}",
            "",
            markdown_table(
                [t("report.funder.item"), t("report.funder.value")], [list(r) for r in rows]
            ),
            "",
        ]
    parts += ["---", "", page.definition, ""]
    return "\n".join(parts)


def write_funder_page(page: FunderPage, path: Path, fmt: str, *, excel: bool = True) -> Path:
    from cotrain.files.exporters.tabular import write_csv, write_xlsx
    from cotrain.files.store import atomic_write_text, dump_toml

    rows = [[heading, label, value] for heading, items in page.sections for label, value in items]
    header = [t("report.funder.section"), t("report.funder.item"), t("report.funder.value")]
    if fmt == "csv":
        return write_csv(path, header, rows, excel=excel)
    if fmt == "xlsx":
        return write_xlsx(path, {t("report.funder.sheet"): (header, rows)})
    if fmt == "json":
        atomic_write_text(path, json.dumps(page.data, ensure_ascii=False, indent=2) + "\n")
        return path
    if fmt == "toml":
        atomic_write_text(path, dump_toml({"schema": 1, **page.data}))
        return path
    if fmt == "md":
        atomic_write_text(path, render_funder_markdown(page))
        return path
    raise ValueError(fmt)
