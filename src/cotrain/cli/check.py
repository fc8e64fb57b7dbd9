"""``cotrain check``: which candidate cities meet the call's conditions, and why not."""

from __future__ import annotations

from typing import Annotated

import typer

from cotrain.cli.common import (
    JsonOpt,
    LangOpt,
    WorkspaceOpt,
    help_text,
    open_workspace,
    without_cycle_collector,
)
from cotrain.i18n import get_language, t

TICK = "✓"
CROSS = "✗"


def summary_line(eligible: int, total: int) -> str:
    """« 7 villes éligibles sur 12 »."""
    one = eligible <= 1 if get_language() == "fr" else eligible == 1
    return t("check.summary_one" if one else "check.summary", eligible=eligible, total=total)


def check(
    city: Annotated[
        str | None, typer.Option("--city", help=t("check.opt_city"), show_default=False)
    ] = None,
    strict: Annotated[bool, typer.Option("--strict", help=t("check.opt_strict"))] = False,
    json_out: JsonOpt = False,
    workspace: WorkspaceOpt = None,
    lang: LangOpt = None,
) -> None:
    from cotrain.cli.explain import explain_outcome, rule_label
    from cotrain.cli.intake import find_city, load_applications
    from cotrain.cli.render import (
        LARGE_TABLE_ROWS,
        PlainTable,
        echo,
        emit_json,
        print_notices,
        show,
        table,
    )
    from cotrain.domain.eligibility import check_applications, rule_names

    ws = open_workspace(workspace, lang)
    with without_cycle_collector():
        loaded = load_applications(ws)
        config = ws.config
        from cotrain.domain.changes import as_declared
        from cotrain.domain.models import SelectionFile
        from cotrain.files.workspace import SELECTION

        selection = ws.load(SELECTION, SelectionFile)  # read once: both uses below
        # Substitutes and late joiners are not judged again (issue 15): the teams as selected.
        loaded = as_declared(config, loaded, selection)
        candidates = [find_city(loaded, city)] if city is not None else loaded.applications
        presence = selection.presence if selection is not None else []
        checks = check_applications(
            config, candidates, everyone=loaded.applications, presence=presence
        )
    print_notices(ws.notices)
    eligible = sum(1 for c in checks if c.eligible)
    rules = rule_names(config.eligibility)
    if json_out:
        emit_json(
            {
                "rules": list(rules),
                "days": f"{config.plan.length_in_days.normalize():f}",
                "eligible": eligible,
                "total": len(checks),
                "cities": [c.as_dict() for c in checks],
            }
        )
    else:
        yes, no = t("common.yes"), t("common.no")
        rows = []
        for c in checks:  # a rule holds when none of its outcomes fails (CityCheck.rule_ok)
            failed = {outcome.rule for outcome in c.outcomes if not outcome.ok}
            marks = (CROSS if rule in failed else TICK for rule in rules)
            rows.append((c.city, *marks, no if failed else yes))
        # 2,000 cities print as plain text: built without rich (issue 16)
        large = len(rows) > LARGE_TABLE_ROWS
        grid = PlainTable(t("check.title")) if large else table(t("check.title"), [], [])
        grid.add_column(t("check.col.city"), no_wrap=True)
        for rule in rules:
            grid.add_column(rule_label(rule), justify="center", overflow="fold")
        grid.add_column(t("check.col.eligible"), justify="center", overflow="fold")
        for row in rows:
            grid.add_row(*row)
        show(grid)
        failing = [c for c in checks if not c.eligible]
        if failing:
            echo(t("check.reasons"))
        lines = []  # written at once: a thousand cities may fail
        for c in failing:
            lines.append(t("check.city_reasons", city=c.city))
            lines += [f"  - {explain_outcome(outcome)}" for outcome in c.failures]
        if lines:
            echo("\n".join(lines))
        echo(summary_line(eligible, len(checks)))
    if strict and eligible < len(checks):
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command("check", help=help_text("check"))(check)
