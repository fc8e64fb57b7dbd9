"""The end-of-programme report (bilan) as Markdown, HTML and PDF, and survey reports as text.

Everything is rendered from the figures gathered by ``cotrain.domain.bilan.build_bilan`` (and
``survey_report``): this module formats, it never computes a figure. Charts are drawn by hand:
inline SVG bars in HTML, rectangles in the PDF (no plotting dependency).

Small cells: any count below ``reporting.small_cell`` is printed "< 3"; the anonymised edition
prints no name at all.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cotrain.domain.surveys import QuestionStats, SurveyReport
from cotrain.files.exporters.markup import md_escape
from cotrain.i18n import format_number, format_percent, get_language, t

# --- small formatting helpers (shared with the CLI) ----------------------------------------


def suppressed_text(small_cell: int) -> str:
    return t("evaluation.report.suppressed", n=small_cell)


def mean_text(value: QuestionStats | float | None) -> str:
    if isinstance(value, QuestionStats):
        value = value.mean
    if value is None:
        return "—"
    return format_number(value, decimals=1)


def audience_label(audience: Any) -> str:
    return t(f"evaluation.audience.{getattr(audience, 'value', audience)}")


def group_label(report: SurveyReport, key: str) -> str:
    if report.breakdown == "trainer_kind":
        return t(f"trainer_kind.{key}")
    return t(f"role_plural.{key}")


def rate_line(report: SurveyReport) -> str:
    if report.response_rate is None:
        return t("evaluation.report.rate_unknown", respondents=report.respondents)
    return t(
        "evaluation.report.rate",
        respondents=report.respondents,
        size=report.audience_size,
        rate=format_percent(report.response_rate),
    )


def counts_text(question: QuestionStats) -> str:
    """``1: 0 · 2: 1 · 3: 4 ...`` for scales, ``oui: 12 · non: 3``, option counts."""
    if question.suppressed or not question.counts:
        return ""
    parts = []
    for key, count in question.counts.items():
        label = t(f"evaluation.report.{key}") if key in ("yes", "no") else key
        parts.append(f"{label} : {count}" if get_language() == "fr" else f"{label}: {count}")
    return " · ".join(parts)


def quote(text: str) -> str:
    return f"« {text} »" if get_language() == "fr" else f"“{text}”"


def _md_cell(text: object) -> str:
    return md_escape(str(text)).replace("|", "\\|").replace("\n", " ")


def md_table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> list[str]:
    lines = ["| " + " | ".join(_md_cell(h) for h in header) + " |"]
    lines.append("|" + "|".join("---" for _ in header) + "|")
    lines.extend("| " + " | ".join(_md_cell(c) for c in row) + " |" for row in rows)
    return lines


def survey_tables(report: SurveyReport) -> list[tuple[str, list[str], list[list[str]]]]:
    """A survey's figures as tables (title, header, rows), shared by the terminal and Markdown.

    The questions; the means by group when there are groups; the comparison with another
    survey when there is one. Small cells show as "< n", never as figures.
    """
    small = report.small_cell
    hidden = suppressed_text(small)
    tables = [
        (
            "",
            [
                t("evaluation.report.question"),
                t("evaluation.report.answered"),
                t("evaluation.report.mean"),
                t("evaluation.report.distribution"),
            ],
            [
                [q.text, hidden if q.suppressed else str(q.answered), mean_text(q), counts_text(q)]
                for q in report.questions
            ],
        )
    ]
    if report.groups:
        scale_ids = list(report.groups[0].means)
        texts = {q.id: q.text for q in report.questions}
        rows = []
        for group in report.groups:
            cells = [group_label(report, group.key)]
            cells.append(hidden if group.suppressed else str(group.respondents))
            for qid in scale_ids:
                value = group.means.get(qid)
                cells.append(hidden if value is None else mean_text(value))
            rows.append(cells)
        header = [
            t("evaluation.report.group"),
            t("evaluation.report.respondents"),
            *(texts[q] for q in scale_ids),
        ]
        tables.append((t("evaluation.report.by_group"), header, rows))
    if report.comparison:
        tables.append(
            (
                t("evaluation.report.compare", other=report.compare_with),
                [
                    t("evaluation.report.question"),
                    t("evaluation.report.this_survey"),
                    t("evaluation.report.other_survey", other=report.compare_with),
                ],
                [
                    [
                        row.text,
                        hidden if row.suppressed else mean_text(row.mean),
                        hidden if row.other_suppressed else mean_text(row.other_mean),
                    ]
                    for row in report.comparison
                ],
            )
        )
    return tables


def survey_markdown(report: SurveyReport, *, anonymise: bool, level: int = 1) -> str:
    """One survey's results in Markdown. Free text is listed, never attributed."""
    hashes = "#" * level
    small = report.small_cell
    lines = [f"{hashes} {md_escape(t('evaluation.report.title', title=report.title))}", ""]
    lines.append(
        t(
            "evaluation.report.audience",
            audience=audience_label(report.audience),
            timing=t(f"evaluation.timing.{report.timing}"),
        )
        + "  "
    )
    lines.append(rate_line(report))
    lines.append("")
    tables = survey_tables(report)
    for index, (title, header, rows) in enumerate(tables):
        if index:
            lines += ["", f"{hashes}# {md_escape(title)}", ""]
        lines += md_table(header, rows)
    for q in report.questions:
        if q.type.value != "text":
            continue
        lines += ["", f"{hashes}# {md_escape(q.text)} — {t('evaluation.report.free_text')}", ""]
        if q.suppressed:
            lines.append(suppressed_text(small))
        elif not q.texts:
            lines.append(t("evaluation.report.no_text"))
        else:
            lines += [f"- {md_escape(quote(text))}" for text in q.texts]
    lines += ["", f"_{t('evaluation.report.small_cell_note', n=small)}_", ""]
    return "\n".join(lines)


# --- charts --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None  # None: suppressed or unknown (drawn as an empty bar with a note)
    text: str  # the value as printed beside the bar


@dataclass(frozen=True)
class Chart:
    title: str
    bars: list[Bar]
    maximum: float  # the full length of a bar (1.0 for rates, 5 for scales)
    target: float | None = None  # a vertical line (the participation target)
    target_text: str = ""


def chart_svg(chart: Chart) -> str:
    """A horizontal bar chart as inline SVG, with its values written as text (readable in print)."""
    esc = html.escape
    label_width, bar_width, row, top = 220, 360, 28, 8
    height = top + row * len(chart.bars) + 24
    width = label_width + bar_width + 90
    parts = [
        f'<svg class="chart" role="img" aria-label="{esc(chart.title)}" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{esc(chart.title)}</title>",
    ]
    for index, bar in enumerate(chart.bars):
        y = top + index * row
        parts.append(
            f'<text x="{label_width - 8}" y="{y + 17}" text-anchor="end" font-size="13">'
            f"{esc(bar.label)}</text>"
        )
        parts.append(
            f'<rect x="{label_width}" y="{y + 4}" width="{bar_width}" height="18" fill="#eeeeee"/>'
        )
        if bar.value is not None and chart.maximum:
            length = max(0.0, min(1.0, bar.value / chart.maximum)) * bar_width
            parts.append(
                f'<rect x="{label_width}" y="{y + 4}" width="{length:.1f}" height="18" '
                'fill="#2b6cb0"/>'
            )
        parts.append(
            f'<text x="{label_width + bar_width + 6}" y="{y + 17}" font-size="13">'
            f"{esc(bar.text)}</text>"
        )
    if chart.target is not None and chart.maximum:
        x = label_width + chart.target / chart.maximum * bar_width
        bottom = top + row * len(chart.bars)
        parts.append(
            f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{bottom}" stroke="#c53030" '
            'stroke-width="2" stroke-dasharray="4 3"/>'
        )
        parts.append(
            f'<text x="{x:.1f}" y="{bottom + 16}" text-anchor="middle" font-size="12" '
            f'fill="#c53030">{esc(chart.target_text)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


# --- the bilan as blocks, rendered three ways ----------------------------------------------


@dataclass(frozen=True)
class Block:
    kind: str  # "h1", "h2", "h3", "p", "kv", "table", "chart", "list", "note"
    text: str = ""
    rows: tuple[tuple[str, ...], ...] = ()
    header: tuple[str, ...] = ()
    chart: Chart | None = None


def _money(value: str | None) -> str:
    from decimal import Decimal

    from cotrain.i18n import format_money

    return "—" if value is None else format_money(Decimal(value))


def _pct(value: str | None) -> str:
    if value is None:
        return "—"
    return f"{value}\u00a0%" if get_language() == "fr" else f"{value}%"


def _count(value: int | None, small: int) -> str:
    return suppressed_text(small) if value is None else str(value)


def bilan_blocks(bilan: Any) -> list[Block]:
    """The whole report as a sequence of blocks, in the reader's language."""
    from datetime import date as _date

    from cotrain.i18n import format_date

    small = bilan.small_cell
    title = bilan.programme.get("title") or t("bilan.title")
    out: list[Block] = [Block("h1", title), Block("p", bilan.programme["name"])]
    organisers = ", ".join(bilan.programme.get("organisers", []))
    place = ", ".join(p for p in (bilan.programme.get("site"), bilan.programme.get("address")) if p)
    out.append(Block("p", " — ".join(p for p in (organisers, place) if p)))
    if bilan.anonymised:
        out.append(Block("note", t("bilan.anonymised_note", n=small)))

    call = bilan.call
    out.append(Block("h2", t("bilan.call.title")))
    kv = [(t("bilan.call.candidates"), str(call.candidates))]
    if call.eligible is not None:
        kv += [
            (t("bilan.call.eligible"), str(call.eligible)),
            (t("bilan.call.not_eligible"), str(call.not_eligible)),
        ]
    kv += [
        (t("bilan.call.selected"), str(call.selected)),
        (t("bilan.call.waitlisted"), str(call.waitlisted)),
        (t("bilan.call.withdrawn"), str(call.withdrawn)),
        (t("bilan.call.promotions"), str(call.promotions)),
    ]
    out.append(Block("kv", rows=tuple(kv)))
    if call.selected_cities:
        out.append(
            Block("p", t("bilan.call.selected_list", cities=", ".join(call.selected_cities)))
        )
    if call.events:
        out.append(Block("h3", t("bilan.call.events")))
        items = []
        for event in call.events:
            kind_key = f"bilan.call.kind_{event['kind']}"
            line = t(
                "bilan.call.event",
                date=format_date(_date.fromisoformat(event["at"])),
                kind=t(kind_key),
                city=event["city"],
            )
            if event.get("detail"):
                line += f" — {event['detail']}"
            items.append((line,))
        out.append(Block("list", rows=tuple(items)))

    cohort = bilan.cohort
    out.append(Block("h2", t("bilan.cohort.title")))
    out.append(
        Block(
            "kv",
            rows=(
                (t("bilan.cohort.participants"), str(cohort.participants)),
                (t("bilan.cohort.recipients"), str(cohort.recipients)),
                (t("bilan.cohort.activists"), str(cohort.activists)),
            ),
        )
    )
    out.append(Block("h3", t("bilan.cohort.by_role")))
    out.append(
        Block(
            "table",
            header=(t("bilan.cohort.role"), t("bilan.cohort.people")),
            rows=tuple(
                (t(f"role_plural.{k}"), _count(v, small)) for k, v in cohort.by_role.items()
            ),
        )
    )
    if cohort.by_city:
        out.append(Block("h3", t("bilan.cohort.by_city")))
        roles = list(cohort.by_city[0].counts)
        out.append(
            Block(
                "table",
                header=(
                    t("bilan.city"),
                    *(t(f"role_plural.{r}") for r in roles),
                    t("bilan.cohort.total"),
                ),
                rows=tuple(
                    (
                        row.city,
                        *(_count(row.counts[r], small) for r in roles),
                        _count(row.total, small),
                    )
                    for row in cohort.by_city
                ),
            )
        )

    plan = bilan.plan
    out.append(Block("h2", t("bilan.plan.title")))
    kv = [
        (t("bilan.plan.half_days"), str(plan.half_days)),
        (t("bilan.plan.days"), str(plan.days)),
        (
            t("bilan.plan.length"),
            t(
                "bilan.plan.length_value",
                days=format_number(float(plan.length_in_days), decimals=1),
            ),
        ),
    ]
    if plan.first_day and plan.last_day:
        kv.append(
            (
                t("bilan.plan.period"),
                t(
                    "bilan.plan.period_value",
                    first=format_date(plan.first_day),
                    last=format_date(plan.last_day),
                ),
            )
        )
    kv += [(t("bilan.plan.groups"), str(plan.groups)), (t("bilan.plan.duos"), str(plan.duos))]
    out.append(Block("kv", rows=tuple(kv)))
    if not plan.scheduled:
        out.append(Block("note", t("bilan.plan.not_scheduled")))
    out.append(
        Block(
            "table",
            header=(
                t("bilan.plan.date"),
                t("bilan.plan.half"),
                t("bilan.plan.kind"),
                t("bilan.plan.session_title"),
                t("bilan.plan.groups_col"),
            ),
            rows=tuple(
                (
                    format_date(s.date),
                    t(f"half.{s.half}"),
                    t(f"session_kind.{s.kind}"),
                    s.title,
                    str(s.groups),
                )
                for s in plan.sessions
            ),
        )
    )

    att = bilan.attendance
    out.append(Block("h2", t("bilan.attendance.title")))
    out.append(Block("p", t("bilan.attendance.target", target=att.target_percent)))
    if not att.available:
        out.append(Block("note", t("bilan.attendance.missing")))
    else:
        kv = [
            (t("bilan.attendance.recipients"), _pct(att.recipients.percent)),
            (t("bilan.attendance.activists"), _pct(att.activists.percent)),
            (t("bilan.attendance.all"), _pct(att.all.percent)),
            (
                t("bilan.attendance.target_met"),
                "—" if att.target_met is None else t("bilan.yes" if att.target_met else "bilan.no"),
            ),
            (t("bilan.attendance.excused"), str(att.excused)),
            (t("bilan.attendance.absent"), str(att.absent)),
            (t("bilan.attendance.trained"), str(att.trained)),
            (t("bilan.attendance.completed"), f"{att.completed} / {att.trained}"),
            (t("bilan.attendance.dropped_out"), att.dropped_out_text or str(att.dropped_out)),
        ]
        if att.hours_all is not None:
            kv += [
                (t("bilan.attendance.hours_recipients"), _hours(att.hours_recipients)),
                (t("bilan.attendance.hours_activists"), _hours(att.hours_activists)),
                (
                    t("bilan.attendance.hours_all"),
                    t(
                        "bilan.attendance.hours_of",
                        hours=_hours(att.hours_all),
                        planned=_hours(att.hours_planned),
                    ),
                ),
            ]
        out.append(Block("kv", rows=tuple(kv)))
        out.append(Block("note", t("bilan.attendance.hours_note")))
        target = att.target
        day_bars = [
            Bar(format_date(_date.fromisoformat(r.key)), r.rate, _pct(r.percent))
            for r in att.by_day
        ]
        out.append(
            Block(
                "chart",
                chart=Chart(
                    t("bilan.attendance.chart_day"), day_bars, 1.0, target, _pct(att.target_percent)
                ),
            )
        )
        city_bars = [
            Bar(
                t("bilan.attendance.activists_row") if r.is_activists else r.label,
                r.rate,
                suppressed_text(small) if r.suppressed else _pct(r.percent),
            )
            for r in att.by_city
        ]
        out.append(
            Block(
                "chart",
                chart=Chart(
                    t("bilan.attendance.chart_city"),
                    city_bars,
                    1.0,
                    target,
                    _pct(att.target_percent),
                ),
            )
        )
        header = (
            t("bilan.attendance.people"),
            t("bilan.attendance.expected"),
            t("bilan.attendance.attended"),
            t("bilan.attendance.rate"),
        )

        def rate_rows(rows: Sequence[Any], label: Any) -> tuple[tuple[str, ...], ...]:
            return tuple(
                (
                    label(r),
                    _count(r.people, small),
                    _count(r.expected, small),
                    "—"
                    if r.attended is None
                    else format_number(float(r.attended), decimals=_decimals(r.attended)),
                    suppressed_text(small) if r.suppressed else _pct(r.percent),
                )
                for r in rows
            )

        out.append(Block("h3", t("bilan.attendance.by_day")))
        out.append(
            Block(
                "table",
                header=(t("bilan.attendance.day"), *header),
                rows=rate_rows(att.by_day, lambda r: format_date(_date.fromisoformat(r.key))),
            )
        )
        out.append(Block("h3", t("bilan.attendance.by_city")))
        out.append(
            Block(
                "table",
                header=(t("bilan.city"), *header),
                rows=rate_rows(
                    att.by_city,
                    lambda r: t("bilan.attendance.activists_row") if r.is_activists else r.label,
                ),
            )
        )
        out.append(Block("h3", t("bilan.attendance.by_role")))
        out.append(
            Block(
                "table",
                header=(t("bilan.cohort.role"), *header),
                rows=rate_rows(att.by_role, lambda r: t(f"role_plural.{r.key}")),
            )
        )

    out += _objective_blocks(bilan)
    financial = bilan.financial
    if financial is not None and financial.reported:
        out += _financial_blocks(bilan)
    else:
        budget = bilan.budget
        out.append(Block("h2", t("bilan.budget.title")))
        line = t("bilan.budget.line")
        out.append(Block("h3", t("bilan.budget.costs")))
        out.append(
            _amounts(line, [(c["label"], c["amount"]) for c in budget["costs"]],
                     (t("bilan.cohort.total"), budget["costs_total"]))
        )
        if budget.get("spent"):
            out.append(Block("h3", t("bilan.budget.spent")))
            out.append(
                _amounts(line, [(c["label"], c["amount"]) for c in budget["spent"]],
                         (t("bilan.cohort.total"), budget["spent_total"]))
            )
        else:
            out.append(Block("note", t("bilan.budget.no_spent")))
        out.append(Block("h3", t("bilan.budget.funding")))
        out.append(
            _amounts(t("bilan.budget.funder"),
                     [(f["funder"], f["amount"]) for f in budget["funding"]],
                     (t("bilan.budget.contributions"), budget["contributions_total"]),
                     (t("bilan.budget.resources"), budget["resources_total"]))
        )
        out.append(
            Block(
                "kv",
                rows=(
                    (t("bilan.budget.balance"), _money(budget["balance"])),
                    (t("bilan.budget.status"), t(f"bilan.budget.status_{budget['status']}")),
                    (
                        t("bilan.budget.cost_per_participant"),
                        _money(budget.get("cost_per_participant")),
                    ),
                ),
            )
        )

    ev = bilan.evaluation
    out.append(Block("h2", t("bilan.evaluation.title")))
    if not ev.surveys:
        out.append(Block("note", t("bilan.evaluation.none")))
    if ev.satisfaction:
        bars = []
        for bar in ev.satisfaction:
            label = audience_label(bar.audience)
            if bar.group:
                label = (
                    f"{label} : {_group_name(bar.group)}"
                    if get_language() == "fr"
                    else f"{label}: {_group_name(bar.group)}"
                )
            else:
                label = f"{label} ({bar.survey_id})"
            text = (
                suppressed_text(small)
                if bar.suppressed or bar.mean is None
                else mean_text(bar.mean)
            )
            bars.append(Bar(label, None if bar.suppressed else bar.mean, text))
        out.append(Block("chart", chart=Chart(t("bilan.evaluation.chart"), bars, 5.0)))
    for report in ev.surveys:
        out.extend(_survey_blocks(report))
    if ev.declared_without_answers:
        out.append(
            Block(
                "note",
                t(
                    "bilan.evaluation.without_answers",
                    surveys=", ".join(ev.declared_without_answers),
                ),
            )
        )

    if bilan.duos:
        out.append(Block("h2", t("bilan.duos.title")))
        names = bilan.trainer_names
        out.append(
            Block(
                "table",
                header=(
                    t("evaluation.duo.duo"),
                    *(() if bilan.anonymised else (t("evaluation.duo.trainers"),)),
                    t("evaluation.duo.half_days"),
                    t("evaluation.duo.groups"),
                    t("evaluation.duo.cohosting"),
                    t("evaluation.duo.satisfaction"),
                ),
                rows=tuple(
                    (
                        s.duo,
                        *(
                            ()
                            if bilan.anonymised
                            else (" / ".join(names.get(x, x) for x in s.trainers),)
                        ),
                        str(s.half_days),
                        str(s.groups),
                        mean_text(s.cohosting_mean),
                        suppressed_text(small)
                        if s.satisfaction_suppressed
                        else mean_text(s.satisfaction),
                    )
                    for s in bilan.duos
                ),
            )
        )

    out.append(Block("h2", t("bilan.lessons.title")))
    if not bilan.lessons and not bilan.lessons_from_duos:
        out.append(Block("note", t("bilan.lessons.none")))
    if bilan.lessons:
        out.append(Block("h3", t("bilan.lessons.team")))
        out.append(Block("list", rows=tuple((x,) for x in bilan.lessons)))
    if bilan.lessons_from_duos:
        out.append(Block("h3", t("bilan.lessons.duos")))
        out.append(Block("list", rows=tuple((x,) for x in bilan.lessons_from_duos)))
    out.append(Block("note", t("bilan.generated")))
    return out


def _decimals(text: str) -> int:
    return 0 if "." not in text else min(2, len(text.split(".")[1].rstrip("0")))


def _group_name(key: str) -> str:
    from cotrain.i18n import has_key

    return t(f"role_plural.{key}") if has_key(f"role_plural.{key}") else t(f"trainer_kind.{key}")


def _survey_blocks(report: SurveyReport) -> list[Block]:
    small = report.small_cell
    out = [Block("h3", t("evaluation.report.title", title=report.title))]
    out.append(
        Block(
            "p",
            t(
                "evaluation.report.audience",
                audience=audience_label(report.audience),
                timing=t(f"evaluation.timing.{report.timing}"),
            )
            + " — "
            + rate_line(report),
        )
    )
    out.append(
        Block(
            "table",
            header=(
                t("evaluation.report.question"),
                t("evaluation.report.answered"),
                t("evaluation.report.mean"),
                t("evaluation.report.distribution"),
            ),
            rows=tuple(
                (
                    q.text,
                    suppressed_text(small) if q.suppressed else str(q.answered),
                    mean_text(q) if q.type.value == "scale" else "",
                    counts_text(q),
                )
                for q in report.questions
                if q.type.value != "text"
            ),
        )
    )
    if report.groups:
        scale_ids = list(report.groups[0].means)
        texts = {q.id: q.text for q in report.questions}
        out.append(
            Block(
                "table",
                header=(
                    t("evaluation.report.group"),
                    t("evaluation.report.respondents"),
                    *(texts[q] for q in scale_ids),
                ),
                rows=tuple(
                    (
                        group_label(report, g.key),
                        suppressed_text(small) if g.suppressed else str(g.respondents),
                        *(
                            suppressed_text(small)
                            if g.means.get(q) is None
                            else mean_text(g.means.get(q))
                            for q in scale_ids
                        ),
                    )
                    for g in report.groups
                ),
            )
        )
    if report.comparison:
        out.append(
            Block(
                "table",
                header=(
                    t("evaluation.report.compare", other=report.compare_with),
                    t("evaluation.report.this_survey"),
                    t("evaluation.report.other_survey", other=report.compare_with),
                ),
                rows=tuple(
                    (
                        row.text,
                        suppressed_text(small) if row.suppressed else mean_text(row.mean),
                        suppressed_text(small)
                        if row.other_suppressed
                        else mean_text(row.other_mean),
                    )
                    for row in report.comparison
                ),
            )
        )
    for q in report.questions:
        if q.type.value != "text":
            continue
        out.append(Block("p", f"{q.text} — {t('evaluation.report.free_text')}"))
        if q.suppressed:
            out.append(Block("note", suppressed_text(small)))
        elif q.texts:
            out.append(Block("list", rows=tuple((quote(x),) for x in q.texts)))
        else:
            out.append(Block("note", t("evaluation.report.no_text")))
    return out


def _hours(value: str | None) -> str:
    """ "874.75" (decimal hours) -> "874 h 45"."""
    from decimal import Decimal

    from cotrain.domain.attendance import format_minutes

    if value is None:
        return "—"
    return format_minutes(int((Decimal(value) * 60).to_integral_value()))


def _objective_blocks(bilan: Any) -> list[Block]:
    """Objectives against results (the qualitative bilan a funder asks for)."""
    if not bilan.objectives:
        return []
    out = [Block("h2", t("bilan.objectives.title"))]
    rows = []
    for row in bilan.objectives:
        if row.indicator:
            value = _indicator_text(row.indicator, row.value)
            target = _indicator_text(row.indicator, row.target)
            verdict = (
                ""
                if row.reached is None
                else t("bilan.objectives.reached" if row.reached else "bilan.objectives.missed")
            )
            measured = t(
                "bilan.objectives.measured",
                indicator=t(f"bilan.objectives.indicator.{row.indicator}"),
                value=value,
                target=target,
                verdict=verdict,
            )
            result = f"{measured} {row.result}".strip()
        else:
            result = row.result or t("bilan.objectives.no_result")
        rows.append((row.objective, result))
    out.append(
        Block(
            "table",
            header=(t("bilan.objectives.objective"), t("bilan.objectives.result")),
            rows=tuple(rows),
        )
    )
    return out


def _indicator_text(indicator: str, value: str | None) -> str:
    if value is None:
        return "—"
    if indicator in ("participation_rate", "completion_rate"):
        return _pct(value)
    if indicator == "satisfaction":
        return t("bilan.objectives.out_of_5", value=format_number(float(value), decimals=1))
    if indicator == "trainee_hours":
        return _hours(value)
    return value


def _financial_blocks(bilan: Any) -> list[Block]:
    """The compte rendu financier: charges and products, planned against actual, gaps
    explained; contributions in kind; result and cost per person trained."""
    financial = bilan.financial
    out = [Block("h2", t("bilan.financial.title")), Block("p", t("bilan.financial.intro"))]
    header = (
        t("bilan.budget.line"),
        t("bilan.financial.planned"),
        t("bilan.financial.actual"),
        t("bilan.financial.gap"),
        t("bilan.financial.explanation"),
    )

    def gap(row: Any) -> str:
        if row.gap is None:
            return "—"
        if row.gap_percent is None or float(row.gap) == 0:
            return _money(row.gap)
        return f"{_money(row.gap)} ({_signed_pct(row.gap_percent)})"

    def label(row: Any) -> str:
        if not row.city:
            return str(row.label)
        from cotrain.domain.french import de

        return t("bilan.financial.city_line", of_city=de(row.label), city=row.label)

    def explanation(row: Any) -> str:
        if row.actual is None:
            return t("bilan.financial.not_reported")
        if row.unexplained:
            return t("bilan.financial.to_explain")
        return str(row.note)

    def rows(
        lines: Sequence[Any], total: tuple[str, str | None, str]
    ) -> tuple[tuple[str, ...], ...]:
        body = [
            (label(r), _money(r.planned), _money(r.actual), gap(r), explanation(r)) for r in lines
        ]
        planned, actual = total[1], total[2]
        difference = None
        if planned is not None and actual is not None:
            from decimal import Decimal

            difference = f"{Decimal(actual) - Decimal(planned):.2f}"
        body.append((total[0], _money(planned), _money(actual), _money(difference), ""))
        return tuple(body)

    out.append(Block("h3", t("bilan.financial.charges")))
    out.append(
        Block(
            "table",
            header=header,
            rows=rows(
                financial.charges,
                (t("bilan.cohort.total"), financial.planned_charges, financial.actual_charges),
            ),
        )
    )
    out.append(Block("h3", t("bilan.financial.products")))
    out.append(
        Block(
            "table",
            header=(t("bilan.budget.funder"), *header[1:]),
            rows=rows(
                financial.products,
                (t("bilan.cohort.total"), financial.planned_products, financial.actual_products),
            ),
        )
    )
    out.append(
        Block(
            "kv",
            rows=(
                (t("bilan.financial.planned_result"), _money(financial.planned_result)),
                (t("bilan.financial.actual_result"), _money(financial.actual_result)),
                (t("bilan.financial.cost_per_trainee"), _money(financial.cost_per_trainee)),
            ),
        )
    )
    if financial.unexplained or financial.missing:
        out.append(
            Block(
                "note",
                t(
                    "bilan.financial.warning",
                    unexplained=financial.unexplained,
                    missing=financial.missing,
                ),
            )
        )
    out.append(Block("h3", t("bilan.financial.in_kind")))
    if financial.in_kind:
        out.append(Block("p", t("bilan.financial.in_kind_intro")))
        out.append(
            Block(
                "table",
                header=(
                    t("bilan.financial.in_kind_line"),
                    t("bilan.financial.provider"),
                    t("bilan.budget.amount"),
                    t("bilan.financial.explanation"),
                ),
                rows=(
                    *((k.label, k.provider, _money(k.amount), k.note) for k in financial.in_kind),
                    (t("bilan.cohort.total"), "", _money(financial.in_kind_total), ""),
                ),
            )
        )
    else:
        out.append(Block("note", t("bilan.financial.no_in_kind")))
    return out


def _signed_pct(value: str) -> str:
    number = float(value)
    text = format_number(abs(number), decimals=1)
    sign = "+" if number > 0 else "−"
    return f"{sign}{text}\u00a0%" if get_language() == "fr" else f"{sign}{text}%"


def bilan_markdown(blocks: Sequence[Block]) -> str:
    lines: list[str] = []
    esc = md_escape  # names and free text must not become HTML in a Markdown viewer
    for block in blocks:
        if block.kind in ("h1", "h2", "h3"):
            lines += ["#" * int(block.kind[1]) + " " + esc(block.text), ""]
        elif block.kind == "p":
            lines += [esc(block.text), ""]
        elif block.kind == "note":
            lines += [f"_{esc(block.text)}_", ""]
        elif block.kind == "kv":
            lines += [
                f"- **{esc(k)}** : {esc(v)}"
                if get_language() == "fr"
                else f"- **{esc(k)}**: {esc(v)}"
                for k, v in block.rows
            ]
            lines.append("")
        elif block.kind == "list":
            lines += [f"- {esc(row[0])}" for row in block.rows]
            lines.append("")
        elif block.kind == "table":
            lines += md_table(block.header, block.rows)
            lines.append("")
        elif block.kind == "chart" and block.chart:
            lines += md_table(
                (block.chart.title, ""), [(b.label, b.text) for b in block.chart.bars]
            )
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


_BILAN_CSS = """
body { font-family: "DejaVu Sans", Verdana, Arial, sans-serif; font-size: 11pt; line-height: 1.45;
       color: #111; max-width: 60em; margin: 2em auto; padding: 0 1em; }
h1 { font-size: 22pt; } h2 { font-size: 16pt; border-bottom: 2px solid #2b6cb0; margin-top: 1.6em; }
h3 { font-size: 12.5pt; margin-top: 1.2em; }
table { border-collapse: collapse; margin: .5em 0 1em; }
th, td { border: 1px solid #bbb; padding: .25em .6em; text-align: left; vertical-align: top; }
th { background: #f0f4f8; }
dl.kv { display: grid; grid-template-columns: max-content auto; gap: .2em 1em; }
dl.kv dt { font-weight: bold; } dl.kv dd { margin: 0; }
p.note { font-style: italic; color: #444; }
svg.chart { display: block; margin: .5em 0 1em; max-width: 100%; height: auto; }
@media print { h2 { break-after: avoid; } table, svg { break-inside: avoid; } }
"""


def bilan_html(blocks: Sequence[Block], *, title: str) -> str:
    esc = html.escape
    body: list[str] = []
    for block in blocks:
        if block.kind in ("h1", "h2", "h3"):
            body.append(f"<{block.kind}>{esc(block.text)}</{block.kind}>")
        elif block.kind == "p":
            body.append(f"<p>{esc(block.text)}</p>")
        elif block.kind == "note":
            body.append(f'<p class="note">{esc(block.text)}</p>')
        elif block.kind == "kv":
            items = "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in block.rows)
            body.append(f'<dl class="kv">{items}</dl>')
        elif block.kind == "list":
            body.append("<ul>" + "".join(f"<li>{esc(r[0])}</li>" for r in block.rows) + "</ul>")
        elif block.kind == "table":
            head = "".join(f"<th>{esc(h)}</th>" for h in block.header)
            rows = "".join(
                "<tr>" + "".join(f"<td>{esc(c)}</td>" for c in row) + "</tr>" for row in block.rows
            )
            body.append(f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>")
        elif block.kind == "chart" and block.chart:
            body.append(f"<h4>{esc(block.chart.title)}</h4>{chart_svg(block.chart)}")
    return (
        f'<!DOCTYPE html>\n<html lang="{get_language()}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(title)}</title><style>{_BILAN_CSS}</style></head><body>\n"
        + "\n".join(body)
        + "\n</body></html>\n"
    )


def bilan_data(blocks: Sequence[Block], *, title: str) -> dict[str, Any]:
    """The JSON the ``bilan.typ`` template reads."""
    out = []
    for block in blocks:
        item: dict[str, Any] = {
            "kind": block.kind,
            "text": block.text,
            "rows": [[str(c) for c in row] for row in block.rows],
            "header": [str(h) for h in block.header],
            "chart": None,
        }
        if block.chart is not None:
            chart = block.chart
            item["chart"] = {
                "title": chart.title,
                "bars": [{"label": b.label, "value": b.value, "text": b.text} for b in chart.bars],
                "maximum": chart.maximum,
                "target": chart.target,
                "target_text": chart.target_text,
            }
        if block.kind == "table" and item["header"]:
            # every row as wide as the header (a short row would shift the cells)
            width = len(item["header"])
            item["rows"] = [(row + [""] * width)[:width] for row in item["rows"]]
        out.append(item)
    return {
        "lang": get_language(),
        "title": title,
        "blocks": out,
        "page_label": t("outputs.page", page="{page}", pages="{pages}"),
        "letterhead": False,
        "provider": {"name": "", "address": "", "ids": "", "partners": "", "logo": ""},
    }


def bilan_pdf(
    blocks: Sequence[Block],
    *,
    title: str,
    workspace: Path | None = None,
    provider: dict[str, str] | None = None,
) -> bytes:
    """The bilan as an A4 PDF (Typst template ``bilan.typ``): French hyphenation, table headers
    repeated on every page, rows never split, short tables kept whole, fonts embedded.
    ``provider`` (see ``documents.provider_identity``) prints the letterhead on the first page."""
    from cotrain.files.exporters.documents import letterhead_logo
    from cotrain.files.exporters.typeset import Typesetter, overrides_folder

    overrides = overrides_folder(workspace)
    data = bilan_data(blocks, title=title)
    if provider:
        data["letterhead"] = True
        data["provider"] = {**data["provider"], **provider, "logo": letterhead_logo(overrides)}
    with Typesetter(overrides) as setter:
        return setter.pdf("bilan.typ", data)


def _amounts(first: str, lines: list[tuple[str, Any]], *totals: tuple[str, Any]) -> Block:
    """A two-column table of amounts: each line, then its total rows."""
    return Block(
        "table",
        header=(first, t("bilan.budget.amount")),
        rows=tuple((label, _money(amount)) for label, amount in (*lines, *totals)),
    )
