"""``cotrain participants`` and ``cotrain trainers``: who is trained, who trains.

Light at import (see ``cli/app.py``).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from cotrain.cli.common import (
    JsonOpt,
    LangOpt,
    WorkspaceOpt,
    choice_list,
    help_text,
    open_workspace,
    output_path,
)
from cotrain.i18n import t

if TYPE_CHECKING:
    from cotrain.domain.config import Config
    from cotrain.domain.models import Participant

FORMATS = ("table", "csv", "json", "toml")
# What people type for a role, besides the stable values.
ROLE_ALIASES = {
    "elu": "elected",
    "élu": "elected",
    "elue": "elected",
    "élue": "elected",
    "élu·e": "elected",
    "professionnel": "professional",
    "professionnelle": "professional",
    "agent": "professional",
    "delegue": "prefect_delegate",
    "délégué": "prefect_delegate",
    "déléguée": "prefect_delegate",
    "prefect-delegate": "prefect_delegate",
    "militant": "activist",
    "militante": "activist",
    "militant·e": "activist",
}


def parse_roles(values: list[str]) -> list[Any]:
    from cotrain.enums import all_roles
    from cotrain.errors import UsageError

    roles = []
    for value in values:
        key = ROLE_ALIASES.get(value.strip().casefold(), value.strip().casefold())
        role = next((r for r in all_roles() if r.value == key), None)
        if role is None:
            from cotrain.domain.intake import parse_role

            role = parse_role(value)  # a configured label: « travailleur social »
        if role is None or role not in all_roles():
            raise UsageError(
                t("people.bad_role", value=value),
                hint=t("people.bad_role_hint", allowed=", ".join(r.value for r in all_roles())),
            )
        roles.append(role)
    return roles


def participant_rows(
    people: list[Participant], *, labels: bool
) -> tuple[list[str], list[list[Any]]]:
    """Header and rows for CSV: translated role labels for people, stable values for scripts."""
    header = [
        t("people.col_id"),
        t("people.col_name"),
        t("people.col_role"),
        t("people.col_city_id"),
        t("people.col_city"),
        t("people.col_organisation"),
        t("people.col_job_title"),
        t("people.col_email"),
    ]
    rows = [
        [
            p.id,
            p.name,
            t(f"role.{p.role.value}") if labels else p.role.value,
            p.city_id,
            p.city,
            p.organisation,
            p.job_title,
            p.email,
        ]
        for p in people
    ]
    return header, rows


def participants(
    role: Annotated[
        list[str] | None, typer.Option("--role", help=t("people.opt_role"), show_default=False)
    ] = None,
    city: Annotated[
        list[str] | None, typer.Option("--city", help=t("people.opt_city"), show_default=False)
    ] = None,
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            help=t("people.opt_format"),
            metavar=choice_list(FORMATS),
            autocompletion=lambda: list(FORMATS),
        ),
    ] = "table",
    plain: Annotated[bool, typer.Option("--plain", help=t("people.opt_plain"))] = False,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help=t("people.opt_output"), show_default=False)
    ] = None,
    json_out: JsonOpt = False,
    workspace: WorkspaceOpt = None,
    lang: LangOpt = None,
) -> None:
    from cotrain.domain.models import ApplicationsFile, SelectionFile
    from cotrain.domain.participants import duplicate_ids, filter_participants, list_participants
    from cotrain.errors import InputError, UsageError
    from cotrain.files.workspace import APPLICATIONS, SELECTION

    fmt = "json" if json_out else fmt.casefold()
    if output is not None and output_path(output) is None:  # -o -: standard output
        output, fmt = None, "csv" if fmt == "table" else fmt
    if fmt == "table" and output is not None:
        fmt = output.suffix.lstrip(".").casefold() if output.suffix else "csv"
    if fmt not in FORMATS or (fmt == "table" and output is not None):
        raise UsageError(t("people.bad_format", value=fmt, allowed=", ".join(FORMATS)))
    roles = parse_roles(role or [])
    ws = open_workspace(workspace, lang)
    applications = ws.load_or_default(APPLICATIONS, ApplicationsFile)
    selection = ws.load(SELECTION, SelectionFile)
    refuse_same_person(ws.config, applications, selection)
    everyone = list_participants(ws.config, applications, selection)
    twice = duplicate_ids(everyone)
    if twice:
        raise InputError(
            t("people.duplicate_ids", ids=", ".join(twice)), hint=t("people.duplicate_ids_hint")
        )
    selected = selection.selected_city_ids() if selection else []
    for city_id in city or []:
        if city_id not in selected:
            raise UsageError(
                t("people.unknown_city", city=city_id),
                hint=t("people.unknown_city_hint", cities=", ".join(selected) or t("common.none")),
            )
    people = filter_participants(everyone, roles=roles, city_ids=city or [])
    render_participants(
        people, fmt=fmt, plain=plain, output=output, has_selection=selection is not None
    )


def refuse_same_person(config: Config, applications: Any, selection: Any) -> None:
    """One person, one place (issue 15): refuse a person listed twice, naming both places."""
    from cotrain.domain.participants import same_person_twice
    from cotrain.errors import InputError, Location

    found = same_person_twice(config, applications, selection)
    if not found:
        return
    details = [
        t(
            f"changes.same_person.{item.why}",
            name=item.name,
            places=t("changes.same_person.and").join(item.places),
            ids=", ".join(item.ids),
        )
        for item in found
    ]
    raise InputError(
        details[0] if len(details) == 1 else t("changes.same_person.many", count=len(details)),
        details=details if len(details) > 1 else None,
        location=Location(file="applications.toml"),
        hint=t("changes.same_person.hint"),
    )


def render_participants(
    people: list[Participant], *, fmt: str, plain: bool, output: Path | None, has_selection: bool
) -> None:
    from cotrain.cli.render import echo, show, table

    if fmt == "table":
        if not has_selection:
            echo(t("people.no_selection"), stderr=True)
        if not people:
            echo(t("people.nobody"))
            return
        listing = table(
            t("people.title", count=len(people)),
            [
                t("people.col_id"),
                t("people.col_name"),
                t("people.col_role"),
                t("people.col_city_or_organisation"),
            ],
            [[p.id, p.name, t(f"role.{p.role.value}"), p.city or p.organisation] for p in people],
            optional=[0],  # the identifier goes first on a narrow terminal; --json keeps it
        )
        listing.columns[0].no_wrap = True
        show(listing)
        return
    text: str
    data: bytes
    if fmt == "csv":
        from cotrain.files.exporters.tabular import render_csv

        header, rows = participant_rows(people, labels=not plain)
        text = render_csv(header, rows, excel=not plain)
        data = text.encode("utf-8-sig" if not plain else "utf-8")
    elif fmt == "json":
        import json

        records = [_record(p) for p in people]
        text = json.dumps(records, ensure_ascii=False, indent=2) + "\n"
        data = text.encode("utf-8")
    else:
        from cotrain.files.store import dump_toml

        text = dump_toml({"participants": [_record(p) for p in people]})
        data = text.encode("utf-8")
    if output is None:
        import sys

        sys.stdout.write(text)
        return
    from cotrain.files.store import atomic_write_bytes

    atomic_write_bytes(output, data)
    echo(t("people.written", count=len(people), file=str(output)), stderr=True)


def _record(person: Participant) -> dict[str, Any]:
    """A participant for scripts; the presence window only when there is one (issue 15)."""
    data = person.model_dump(mode="json")
    for key in ("joined_from", "left_from"):
        if not data[key]:
            del data[key]
    return data


# --- trainers ----------------------------------------------------------------------------


def check_trainers(config: Config, config_file: Path) -> None:
    """Refuse unknown half-days and trainers in ``[[trainers]]`` / ``[[duos]]``, naming each key."""
    from cotrain.domain.participants import trainer_problems
    from cotrain.errors import InputError, Location

    problems = trainer_problems(config)
    if not problems:
        return
    text = config_file.read_text(encoding="utf-8-sig") if config_file.is_file() else ""

    def line_of(problem: Any) -> int | None:
        value = problem.params.get("session") or problem.params.get("trainer") or ""
        needle = f'"{value}"'
        for number, line in enumerate(text.splitlines(), start=1):
            if needle in line and ("unavailable" in line or "trainers" in line):
                return number
        return None

    details = [
        f"{p.key}"
        + (f" ({t('location.line', line=n)})" if (n := line_of(p)) else "")
        + f": {t(f'people.problem.{p.code}', **p.params)}"
        for p in problems
    ]
    first = problems[0]
    raise InputError(
        t("people.invalid_trainers", count=len(problems)),
        location=Location(file=str(config_file), key=first.key, line=line_of(first)),
        details=details,
        hint=t("people.invalid_trainers_hint"),
    )


def trainers(
    json_out: JsonOpt = False,
    workspace: WorkspaceOpt = None,
    lang: LangOpt = None,
) -> None:
    from cotrain.cli.render import emit_json, show, table
    from cotrain.domain.participants import list_trainers
    from cotrain.enums import TrainerKind
    from cotrain.files.workspace import CONFIG_NAME
    from cotrain.i18n import format_date

    ws = open_workspace(workspace, lang)
    config = ws.config
    check_trainers(config, ws.path(CONFIG_NAME))
    views = list_trainers(config)
    names = {tr.id: tr.name for tr in config.trainers}
    kinds = {tr.id: tr.kind for tr in config.trainers}
    if json_out:
        emit_json(
            {
                "trainers": [
                    {
                        "id": v.trainer.id,
                        "name": v.trainer.name,
                        "kind": v.trainer.kind.value,
                        "organisation": v.trainer.organisation,
                        "duo": v.duo_id or None,
                        "unavailable": [s.id for s in v.unavailable],
                    }
                    for v in views
                ],
                "duos": [
                    {
                        "id": d.id,
                        "trainers": list(d.trainers),
                        "mixed": {kinds.get(x) for x in d.trainers}
                        == {TrainerKind.PROFESSIONAL_TRAINER, TrainerKind.CO_TRAINER},
                    }
                    for d in config.duos
                ],
            }
        )
        return

    def half_day(session: Any) -> str:
        when = format_date(session.date, long=True)
        return f"{when}, {t(f'half.{session.half.value}')} ({session.id})"

    listing = table(
        t("people.title_trainers", count=len(views)),
        [
            t("people.col_id"),
            t("people.col_name"),
            t("people.col_kind"),
            t("people.col_duo"),
            t("people.col_unavailable"),
        ],
        [
            [
                v.trainer.id,
                v.trainer.name,
                t(f"trainer_kind.{v.trainer.kind.value}"),
                v.duo_id or t("people.no_duo"),
                "\n".join(half_day(s) for s in v.unavailable) or t("people.available_always"),
            ]
            for v in views
        ],
        optional=[0],
    )
    listing.columns[0].no_wrap = True
    show(listing)
    if config.duos:
        mixed = {TrainerKind.PROFESSIONAL_TRAINER, TrainerKind.CO_TRAINER}
        show(
            table(
                t("people.title_duos", count=len(config.duos)),
                [t("people.col_duo"), t("people.col_trainers"), t("people.col_balance")],
                [
                    [
                        d.id,
                        " + ".join(names.get(x, x) for x in d.trainers),
                        t("people.duo_mixed")
                        if {kinds.get(x) for x in d.trainers} == mixed
                        else t("people.duo_not_mixed"),
                    ]
                    for d in config.duos
                ],
            )
        )


def register(app: typer.Typer) -> None:
    app.command("participants", help=help_text("participants"))(participants)
    app.command("trainers", help=help_text("trainers"))(trainers)
