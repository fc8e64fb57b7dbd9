"""``cotrain import`` (responses -> ``applications.toml``) and ``cotrain applications``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from cotrain.cli.common import (
    DryRunOpt,
    JsonOpt,
    LangOpt,
    WorkspaceOpt,
    help_text,
    open_workspace,
    without_cycle_collector,
)
from cotrain.i18n import t

if TYPE_CHECKING:
    from cotrain.domain.models import Application, ApplicationsFile
    from cotrain.files.importers.tabular import Detected
    from cotrain.files.workspace import Workspace

ENCODING_NAMES = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8 (BOM)",
    "utf-16": "UTF-16",
    "cp1252": "Windows-1252",
    "mac-roman": "Mac Roman",
    "iso8859-15": "ISO-8859-15",
}


def describe_detected(detected: Detected, layout: str, rows: int) -> str:
    """``CSV, Windows-1252, séparateur « ; », une ligne par ville, 12 lignes``."""
    parts = [detected.format.upper()]
    if detected.encoding and detected.format == "csv":
        parts.append(ENCODING_NAMES.get(detected.encoding, detected.encoding))
    if detected.format == "csv":
        from cotrain.files.importers.tabular import DELIMITER_NAMES

        name = DELIMITER_NAMES.get(detected.delimiter or "", "none")
        parts.append(t(f"intake.delimiter.{name}"))
    if detected.sheet:
        parts.append(t("intake.sheet", sheet=detected.sheet))
    parts.append(t(f"intake.layout.{layout}"))
    parts.append(t("intake.rows", count=rows))
    return ", ".join(parts)


def reserved_ids(ws: Workspace) -> set[str]:
    """Ids people must not take: the trainers' and the activists'."""
    config = ws.config
    return {tr.id for tr in config.trainers} | {a.id for a in config.activists}


def read_files(
    ws: Workspace,
    files: list[Path],
    sheet: str | None,
    *,
    header_row: int | None = None,
    encoding: str | None = None,
) -> tuple[list[Application], list[str], list[str]]:
    """Every application the files describe, one line per file saying what was detected, and
    the notes to show (rows skipped, sheets joined, columns that look like a person).

    All problems of all files are raised together: nothing is imported from a batch with errors.
    """
    from cotrain.domain.intake import build_applications
    from cotrain.errors import CotrainError, InputError
    from cotrain.files.importers.headers import check_custom_columns, map_columns, source_rows
    from cotrain.files.importers.tabular import read_table

    config = ws.config
    check_custom_columns(config.import_.columns)
    applications: list[Application] = []
    lines: list[str] = []
    notes: list[str] = []
    errors: list[CotrainError] = []
    for path in files:
        try:
            table = read_table(
                path,
                sheet=sheet,
                header_row=header_row,
                encoding=encoding,
                custom=config.import_.columns,
            )
            columns = map_columns(
                table,
                custom=config.import_.columns,
                require_commitment=config.eligibility.require_full_commitment,
                require_contribution=config.eligibility.min_contribution > 0,
            )
            lines.append(
                t(
                    "intake.detected",
                    file=table.file,
                    what=describe_detected(table.detected, columns.layout.value, len(table.rows)),
                )
            )
            notes += [t("intake.detail", where=table.file, message=n) for n in table.notes]
            notes += [t("intake.detail", where=table.file, message=n) for n in columns.notes]
            filled: list[str] = []
            rows = source_rows(table, columns, notes=filled)
            notes += [t("intake.detail", where=table.file, message=n) for n in filled]
            applications += build_applications(rows, layout=columns.layout, lang=config.language)
        except CotrainError as exc:
            errors.append(exc)
    if len(errors) == 1:
        raise errors[0]
    if errors:
        details = [line for exc in errors for line in exc.render().splitlines()]
        raise InputError(t("intake.files_failed", count=len(errors)), details=details)
    return applications, lines, notes


def suggest_mapping(ws: Workspace, files: list[Path], sheet: str | None, *, header_row: int | None,
                    encoding: str | None, write: bool, dry_run: bool) -> None:
    """Print (and with ``--write`` save in cotrain.toml) an ``[import.columns]`` block."""
    from cotrain.cli.render import echo
    from cotrain.files.importers.headers import suggest_columns, suggestion_block
    from cotrain.files.importers.tabular import read_table

    config = ws.config
    suggestions = []
    for path in files:
        table = read_table(
            path, sheet=sheet, header_row=header_row, encoding=encoding,
            custom=config.import_.columns, repeated=True,
        )
        found = suggest_columns(
            table,
            config.import_.columns,
            role_limits=config.eligibility.roles,
            require_commitment=config.eligibility.require_full_commitment,
            require_contribution=config.eligibility.min_contribution > 0,
        )
        for item in found:
            if all(item.header != s.header for s in suggestions):
                suggestions.append(item)
    block = suggestion_block(suggestions)
    known = sum(1 for s in suggestions if s.sure)
    guessed = [s for s in suggestions if not s.sure]
    echo(t("forms.suggest_title", known=known, guessed=len(guessed)))
    echo("")
    echo(block.rstrip("\n"))
    echo("")
    if not guessed:
        echo(t("forms.suggest_nothing"))
        return
    if not write:
        echo(t("forms.suggest_how"))
        return
    from cotrain.files.importers.mapping import write_mapping

    with ws.lock():
        written = write_mapping(
            ws.path("cotrain.toml"),
            [(s.header, s.target) for s in guessed if not s.placeholder],
            reasons={s.header: t(f"forms.review.{s.reason}") for s in guessed},
            replace={s.header for s in guessed if s.reason == "missing"},
            comments=[
                line
                for line in block.splitlines()
                if line.startswith("# ") and line not in ws.path("cotrain.toml").read_text()
            ],
            dry_run=dry_run,
        )
    echo(t("forms.suggest_written", file=str(ws.path("cotrain.toml")), count=written))


def import_responses(
    files: Annotated[list[Path], typer.Argument(help=t("intake.arg_files"), show_default=False)],
    sheet: Annotated[
        str | None, typer.Option("--sheet", help=t("intake.opt_sheet"), show_default=False)
    ] = None,
    header_row: Annotated[
        int | None,
        typer.Option("--header-row", min=1, help=t("forms.opt_header_row"), show_default=False),
    ] = None,
    encoding: Annotated[
        str | None, typer.Option("--encoding", help=t("forms.opt_encoding"), show_default=False)
    ] = None,
    suggest: Annotated[bool, typer.Option("--suggest", help=t("forms.opt_suggest"))] = False,
    write: Annotated[bool, typer.Option("--write", help=t("forms.opt_write"))] = False,
    replace: Annotated[bool, typer.Option("--replace", help=t("intake.opt_replace"))] = False,
    dry_run: DryRunOpt = False,
    json_out: JsonOpt = False,
    workspace: WorkspaceOpt = None,
    lang: LangOpt = None,
) -> None:
    from cotrain.cli.render import echo, emit_json, print_notices
    from cotrain.domain.intake import merge_applications, people_in_two_cities
    from cotrain.domain.models import ApplicationsFile
    from cotrain.files.workspace import APPLICATIONS

    ws = open_workspace(workspace, lang, dry_run=dry_run)
    if suggest:
        suggest_mapping(
            ws, files, sheet, header_row=header_row, encoding=encoding, write=write,
            dry_run=dry_run,
        )
        return
    if write:
        from cotrain.errors import UsageError

        raise UsageError(t("forms.write_needs_suggest"))
    with without_cycle_collector():
        incoming, detected, notes = read_files(
            ws, files, sheet, header_row=header_row, encoding=encoding
        )
        with ws.lock():
            existing = ws.load_or_default(APPLICATIONS, ApplicationsFile)
            result = merge_applications(
                existing, incoming, replace=replace, reserved_ids=reserved_ids(ws)
            )
            changed = result.applications != existing or not ws.exists(APPLICATIONS)
            if changed:
                ws.save(APPLICATIONS, result.applications, dry_run=dry_run)
    print_notices(ws.notices)
    touched = {a.city_id for a in incoming}
    shared = [
        s
        for s in people_in_two_cities(result.applications.applications)
        if any(cid in touched for cid, _, _ in s.cities)
    ]
    # the people stored for this file's cities (an answer refused as a conflict is not counted)
    people = sum(len(a.people) for a in result.applications.applications if a.city_id in touched)
    if json_out:
        emit_json(
            {
                "dry_run": dry_run,
                "cities": len({a.city_id for a in incoming}),
                "people": people,
                "added": list(result.added),
                "replaced": list(result.replaced),
                "unchanged": list(result.unchanged),
                "conflicts": [
                    {"city_id": c.city_id, "kept": c.kept, "new": c.new, "replaced": c.replaced}
                    for c in result.conflicts
                ],
                "people_in_two_cities": [
                    {"person": s.name, "cities": [cid for cid, _, _ in s.cities]} for s in shared
                ],
                "notes": notes,
            }
        )
        return
    for line in detected:
        echo(line)
    for note in notes:
        echo(note, stderr=True)
    for person in shared:
        echo(
            t(
                "forms.person_in_two_cities",
                person=person.name,
                cities=", ".join(city for _, city, _ in person.cities),
            ),
            stderr=True,
        )
    for conflict in result.conflicts:
        key = "intake.conflict_replaced" if conflict.replaced else "intake.conflict"
        echo(t(key, city=conflict.city, kept=conflict.kept, new=conflict.new), stderr=True)
    if result.unresolved:
        echo(t("error.hint", hint=t("intake.conflict_hint")), stderr=True)
    echo(
        t(
            "intake.summary",
            cities=len({a.city_id for a in incoming}),
            people=people,
            added=len(result.added),
            replaced=len(result.replaced),
            unchanged=len(result.unchanged),
            conflicts=len(result.conflicts),
        )
    )
    if dry_run:
        echo(t("intake.dry_run_done"))
    elif changed:
        echo(
            t(
                "intake.saved",
                file=str(ws.path(APPLICATIONS.name)),
                total=len(result.applications.applications),
            )
        )
    else:
        echo(t("intake.nothing_changed"))


# --- cotrain applications ----------------------------------------------------------------


def load_applications(ws: Workspace) -> ApplicationsFile:
    from cotrain.errors import WorkspaceError
    from cotrain.files.workspace import APPLICATIONS

    loaded = ws.load(APPLICATIONS)
    if loaded is None:
        raise WorkspaceError(t("intake.no_applications"), hint=t("intake.no_applications_hint"))
    return loaded  # type: ignore[return-value]


def find_city(applications: ApplicationsFile, name: str) -> Application:
    """A city by id or name, ignoring accents, case and punctuation."""
    from cotrain.domain.intake import normalise_label, slugify
    from cotrain.errors import UsageError

    wanted_slug, wanted = slugify(name), normalise_label(name)
    for app in applications.applications:
        if app.city_id == name or app.city_id == wanted_slug or normalise_label(app.city) == wanted:
            return app
    # "ile saint denis" for "L'Île-Saint-Denis": a part of one name only.
    partial = [a for a in applications.applications if wanted and wanted in normalise_label(a.city)]
    if len(partial) == 1:
        return partial[0]
    known = ", ".join(a.city for a in applications.applications)
    raise UsageError(
        t("intake.unknown_city", city=name), hint=t("intake.unknown_city_hint", cities=known)
    )


def _money(value: Any) -> str:
    from cotrain.i18n import format_money

    return format_money(value) if value is not None else "—"


def _when(value: Any) -> str:
    from cotrain.i18n import format_datetime

    return format_datetime(value) if value is not None else "—"


def application_json(app: Application) -> dict[str, Any]:
    data = app.model_dump(mode="json")
    data["contribution"] = None if app.contribution is None else f"{app.contribution:.2f}"
    data["score"] = None if app.score is None else f"{app.score:f}"
    return data


def applications(
    city: Annotated[
        str | None, typer.Argument(help=t("intake.arg_city"), show_default=False)
    ] = None,
    json_out: JsonOpt = False,
    workspace: WorkspaceOpt = None,
    lang: LangOpt = None,
) -> None:
    from cotrain.cli.render import echo, emit_json, print_notices, show, table
    from cotrain.enums import city_roles

    ws = open_workspace(workspace, lang)
    loaded = load_applications(ws)
    print_notices(ws.notices)
    if city is not None:
        app = find_city(loaded, city)
        if json_out:
            emit_json(application_json(app))
            return
        echo(t("intake.city_title", city=app.city, city_id=app.city_id))
        for key, value in (
            ("territory", app.territory or "—"),
            ("contribution", _money(app.contribution)),
            ("contribution_proof", app.contribution_proof or "—"),
            ("submitted_at", _when(app.submitted_at)),
            (
                "priority_neighbourhoods",
                "—" if app.priority_neighbourhoods is None else app.priority_neighbourhoods,
            ),
            ("score", "—" if app.score is None else app.score),
            ("contact", app.contact or "—"),
            ("source", app.source),
        ):
            echo("  " + t("intake.field_line", label=t(f"intake.field.{key}"), value=value))
        for header, value in app.extra.items():
            echo("  " + t("intake.field_line", label=header, value=value))
        rows = [
            (
                t(f"role.{p.role.value}"),
                p.name,
                p.job_title,
                p.email,
                t("common.yes") if p.committed else t("common.no"),
                p.id,
            )
            for p in app.people
        ]
        columns = [
            t(f"intake.col.{c}") for c in ("role", "name", "job_title", "email", "committed", "id")
        ]
        show(table(t("intake.people_title", count=len(app.people)), columns, rows))
        return
    if json_out:
        emit_json({"applications": [application_json(a) for a in loaded.applications]})
        return
    rows = []
    for app in loaded.applications:
        by_role = ["\n".join(p.name for p in app.members(role)) or "—" for role in city_roles()]
        rows.append(
            (
                app.city,
                app.territory or "—",
                *by_role,
                _money(app.contribution),
                _when(app.submitted_at),
            )
        )
    columns = [
        t("intake.col.city"),
        t("intake.col.territory"),
        *(t(f"role_plural.{role.value}").capitalize() for role in city_roles()),
        t("intake.col.contribution"),
        t("intake.col.submitted_at"),
    ]
    from cotrain.cli.render import mark_optional

    listing = table(t("intake.list_title", count=len(loaded.applications)), [], [], show_lines=True)
    for index, column in enumerate(columns):
        listing.add_column(column, no_wrap=index in (0, len(columns) - 2, len(columns) - 1))
    for row in rows:
        listing.add_row(*row)
    mark_optional(listing, [len(columns) - 1, 1])  # narrow terminal: the date, then territory
    show(listing)


def register(app: typer.Typer) -> None:
    app.command("import", help=help_text("import"))(import_responses)
    app.command("applications", help=help_text("applications"))(applications)
