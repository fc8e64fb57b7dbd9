"""``cotrain budget``: costs, funders, the selected cities' contributions, balance, cost per person.

Light at import (see ``cli/app.py``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from cotrain.cli.common import JsonOpt, LangOpt, WorkspaceOpt, help_text, open_workspace
from cotrain.i18n import t

if TYPE_CHECKING:
    from cotrain.domain.budget import BudgetSummary


def balance_sentence(summary: BudgetSummary) -> str:
    """One plain sentence: balanced, or how much is missing / in surplus."""
    from cotrain.i18n import format_money

    if summary.status == "deficit":
        return t("budget.deficit", amount=format_money(-summary.balance))
    if summary.status == "surplus":
        return t("budget.surplus", amount=format_money(summary.balance))
    return t(
        "budget.balanced",
        resources=format_money(summary.resources_total),
        costs=format_money(summary.costs_total),
    )


def budget(
    json_out: JsonOpt = False,
    workspace: WorkspaceOpt = None,
    lang: LangOpt = None,
) -> None:
    from cotrain.domain.budget import budget_summary
    from cotrain.domain.models import ApplicationsFile, SelectionFile
    from cotrain.files.workspace import APPLICATIONS, SELECTION

    ws = open_workspace(workspace, lang)
    applications = ws.load_or_default(APPLICATIONS, ApplicationsFile)
    selection = ws.load(SELECTION, SelectionFile)
    summary = budget_summary(ws.config, applications, selection)
    if json_out:
        from cotrain.cli.render import emit_json

        emit_json(summary.to_json())
        return
    render_budget(summary)


def render_budget(summary: BudgetSummary) -> None:
    from cotrain.cli.render import echo, show
    from cotrain.cli.render import table as plain_table
    from cotrain.i18n import format_money

    def table(*args: object, **kwargs: object) -> object:
        built = plain_table(*args, **kwargs)  # type: ignore[arg-type]
        built.columns[1].justify = "right"  # amounts
        return built

    total = t("common.total")
    show(
        table(
            t("budget.title_costs"),
            [t("budget.col_label"), t("budget.col_amount"), t("budget.col_note")],
            [
                *([c.label, format_money(c.amount), c.note] for c in summary.costs),
                [total, format_money(summary.costs_total), ""],
            ],
        ),
        table(
            t("budget.title_funding"),
            [t("budget.col_funder"), t("budget.col_amount"), t("budget.col_note")],
            [
                *([f.funder, format_money(f.amount), f.note] for f in summary.funding),
                [total, format_money(summary.funding_total), ""],
            ],
        ),
    )
    if summary.contributions:
        show(
            table(
                t("budget.title_contributions"),
                [t("budget.col_city"), t("budget.col_amount"), t("budget.col_note")],
                [
                    *(
                        [
                            c.city,
                            format_money(c.amount),
                            "" if c.city_id not in summary.undeclared else t("budget.not_declared"),
                        ]
                        for c in summary.contributions
                    ),
                    [total, format_money(summary.contributions_total), ""],
                ],
            )
        )
    else:
        echo(t("budget.no_contribution"))

    def per_head(value: object) -> str:
        return t("budget.per_nobody") if value is None else format_money(value)  # type: ignore[arg-type]

    rows = [
        [t("budget.costs_total"), format_money(summary.costs_total)],
        [t("budget.resources_total"), format_money(summary.resources_total)],
        [t("budget.balance"), format_money(summary.balance)],
        [
            t(
                "budget.per_participant",
                count=summary.participants,
                recipients=summary.recipients,
                activists=summary.activists,
            ),
            per_head(summary.cost_per_participant),
        ],
        [t("budget.per_recipient", count=summary.recipients), per_head(summary.cost_per_recipient)],
    ]
    if summary.spent_total:
        rows.append([t("budget.spent_total"), format_money(summary.spent_total)])
    show(table(t("budget.title_summary"), ["", t("budget.col_amount")], rows))
    echo(balance_sentence(summary))
    if summary.status != "balanced":
        echo(t("error.hint", hint=t(f"budget.{summary.status}_hint")))


def register(app: typer.Typer) -> None:
    app.command("budget", help=help_text("budget"))(budget)
