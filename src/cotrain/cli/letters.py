"""``cotrain letters``: one letter per candidate city, from templates the programme may override.

Light at import (see ``cli/app.py``). Every letter is rendered before any is written, so that
a faulty template leaves the output folder as it was.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from cotrain.cli.common import (
    JsonOpt,
    LangOpt,
    WorkspaceOpt,
    folder_metavar,
    help_text,
    open_workspace,
)
from cotrain.i18n import t

if TYPE_CHECKING:
    from cotrain.domain.config import Config
    from cotrain.domain.models import Application, ApplicationsFile, CityDecision, SelectionFile
    from cotrain.files.workspace import Workspace

TEMPLATE_FOLDER = "letters"  # in the workspace: letters/selected.md overrides the default
FORMATS = ("md", "txt", "docx", "pdf")
ALIASES = {"both": ("md", "txt"), "all": FORMATS}


def _formats(value: str) -> tuple[str, ...]:
    from cotrain.errors import UsageError

    chosen: list[str] = []
    for word in (w.strip().lower() for w in value.split(",")):
        if word in ALIASES:
            chosen.extend(ALIASES[word])
        elif word in FORMATS:
            chosen.append(word)
        else:
            raise UsageError(t("letters.bad_formats", value=word))
    return tuple(f for f in FORMATS if f in chosen)


def load_template(ws: Workspace, kind: str, suffix: str, language: str) -> tuple[str, str] | None:
    """(text, source) of the template for ``kind``: the workspace's, else the packaged one.

    Only Markdown templates are packaged; a ``.txt`` template exists only if the programme
    wrote one (else the text letter is derived from the Markdown one).
    """
    from importlib.resources import files

    own = ws.path(TEMPLATE_FOLDER) / f"{kind}.{suffix}"
    if own.is_file():
        return own.read_text(encoding="utf-8-sig"), str(own)
    if suffix != "md":
        return None
    packaged = files("cotrain") / "templates" / "letters" / language / f"{kind}.md"
    return packaged.read_text(encoding="utf-8"), f"cotrain/templates/letters/{language}/{kind}.md"


def letter_reasons(
    decision: CityDecision,
    application: Application,
    check: Any,
    config: Config,
    places: int,
    *,
    promoted: bool = False,
    joined_from: str = "",
) -> list[str]:
    """The reasons a letter gives, in plain words, for the decision on this city.

    A city that entered from the waitlist is told a place became free, not that it ranked
    among the best (issue 11)."""
    from cotrain.cli.explain import explain_outcome
    from cotrain.enums import Decision

    if decision.decision == Decision.NOT_ELIGIBLE:
        return list(dict.fromkeys(explain_outcome(o) for o in check.failures)) if check else []
    if decision.reason:
        return [t("letters.reason.override", reason=decision.reason)]
    if promoted and decision.decision == Decision.SELECTED and joined_from:
        from cotrain.domain.letters import remaining_sessions
        from cotrain.i18n import format_date

        ahead = remaining_sessions(config, joined_from)
        first = ahead[0]
        return [
            t(
                "midprog.letters_promoted_from",
                date=format_date(first.date, long=True),
                half=t(f"half.{first.half.value}"),
                count=len(ahead),
            )
        ]
    if promoted and decision.decision == Decision.SELECTED:
        return [t("letters.reason.promoted")]
    if decision.rule == "territory_cap":
        return [
            t(
                "letters.reason.territory_cap",
                cap=config.selection.max_per_territory,
                territory=application.territory,
            )
        ]
    if decision.rule == "max_cities":
        return [t("letters.reason.max_cities", places=places)]
    return [t("letters.reason.ranking", places=places)]


def after_start_windows(
    applications: ApplicationsFile, selection: SelectionFile
) -> tuple[dict[str, str], dict[str, str]]:
    """For the letters after a change once the programme started (issue 15): city id -> the
    half-day a promoted city joins from (its people's shared window), or the half-day a
    withdrawn city stopped; and city id -> the cities its place was given to (promoted in the
    same decision)."""
    from cotrain.domain.models import Presence

    windows: dict[str, str] = {}
    for app in applications.applications:
        starts = {
            (selection.presence_of(p.id) or Presence(person_id=p.id)).joined_from
            for p in app.people
        }
        if len(starts) == 1 and "" not in starts:
            windows[app.city_id] = starts.pop()
    given: dict[str, str] = {}
    names = {a.city_id: a.city for a in applications.applications}
    for override in selection.overrides:
        if override.action != "withdraw":
            continue
        if override.from_session:
            windows[override.city_id] = override.from_session
        if override.at is not None:
            took = [
                names.get(e.city_id, e.city_id)
                for e in selection.events
                if e.kind == "promotion" and e.at == override.at
            ]
            if took:
                given[override.city_id] = ", ".join(took)
    return windows, given


def letters(
    output: Annotated[
        Path,
        typer.Option("--output", "-o", help=t("letters.opt_output"), metavar=folder_metavar()),
    ],
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            help=t("letters.opt_format_all"),
            metavar="[md|txt|docx|pdf|both|all][,…]",
            autocompletion=lambda: [*FORMATS, "both", "all", "md,txt,docx,pdf"],
        ),
    ] = "md,txt,docx,pdf",
    city: Annotated[
        list[str] | None, typer.Option("--city", help=t("letters.opt_city"), show_default=False)
    ] = None,
    on: Annotated[
        str | None, typer.Option("--date", help=t("letters.opt_date"), show_default=False)
    ] = None,
    json_out: JsonOpt = False,
    workspace: WorkspaceOpt = None,
    lang: LangOpt = None,
) -> None:
    from datetime import date

    from cotrain.domain.eligibility import check_applications
    from cotrain.domain.letters import (
        Letter,
        letter_kind,
        letter_values,
        markdown_to_text,
        render_letter,
    )
    from cotrain.domain.models import ApplicationsFile, SelectionFile
    from cotrain.errors import InputError, UsageError, WorkspaceError
    from cotrain.files.exporters.markup import md_escape
    from cotrain.files.store import (
        atomic_write_bytes,
        atomic_write_text,
        ensure_dir,
        safe_output_path,
    )
    from cotrain.files.workspace import APPLICATIONS, SELECTION
    from cotrain.i18n import get_language

    formats = _formats(fmt)
    try:
        today = date.fromisoformat(on) if on else date.today()
    except ValueError:
        raise UsageError(t("letters.bad_date", value=on)) from None
    ws = open_workspace(workspace, lang)
    language = get_language()
    selection = ws.load(SELECTION, SelectionFile)
    if selection is None:
        raise WorkspaceError(t("letters.no_selection"), hint=t("letters.no_selection_hint"))
    from cotrain.domain.letters import letter_signatory

    if not letter_signatory(ws.config)[0].strip():  # nobody to sign nor to contact (F10)
        raise WorkspaceError(
            t("midprog.letters_no_signatory"), hint=t("midprog.letters_no_signatory_hint")
        )
    applications = ws.load_or_default(APPLICATIONS, ApplicationsFile)
    names_of = {a.city_id: a.city for a in applications.applications}
    from cotrain.domain.changes import as_declared

    declared = as_declared(ws.config, applications, selection)
    checks = {c.city_id: c for c in check_applications(ws.config, declared)}
    decisions = sorted(selection.decisions, key=lambda d: d.city_id)
    known = [d.city_id for d in decisions]
    for city_id in city or []:
        if city_id not in known:
            raise UsageError(
                t("letters.unknown_city", city=city_id),
                hint=t("letters.unknown_city_hint", cities=", ".join(known)),
            )
    wanted = [d for d in decisions if not city or d.city_id in city]
    promoted = {e.city_id for e in selection.events if e.kind == "promotion"}
    joined, given_to = after_start_windows(applications, selection)

    rendered: list[tuple[Letter, str]] = []
    for decision in wanted:
        application = applications.get(decision.city_id)
        if application is None:
            raise InputError(
                t("letters.unknown_city", city=decision.city_id),
                hint=t(
                    "letters.unknown_city_hint",
                    cities=", ".join(a.city_id for a in applications.applications),
                ),
            )
        kind = letter_kind(decision)
        values = letter_values(
            ws.config,
            application,
            decision,
            reasons=letter_reasons(
                decision,
                application,
                checks.get(decision.city_id),
                ws.config,
                selection.max_cities,
                promoted=decision.city_id in promoted,
                joined_from=joined.get(decision.city_id, ""),
            ),
            today=today,
            from_session=joined.get(decision.city_id, ""),
            given_to=given_to.get(decision.city_id, ""),
        )
        md_template = load_template(ws, kind, "md", language)
        assert md_template is not None  # a packaged Markdown template exists for every kind
        # The .md file is Markdown, read as HTML by most viewers: the values are escaped there.
        # The text, .docx and PDF letters are written from the raw values.
        markdown = render_letter(
            md_template[0], {k: md_escape(v) for k, v in values.items()}, source=md_template[1]
        )
        raw_markdown = render_letter(md_template[0], values, source=md_template[1])
        txt_template = load_template(ws, kind, "txt", language)
        text = (
            render_letter(txt_template[0], values, source=txt_template[1])
            if txt_template
            else markdown_to_text(raw_markdown)
        )
        source = md_template[1] if md_template[1].startswith(str(ws.root)) else ""
        rendered.append((Letter(decision.city_id, kind, markdown, text, raw_markdown), source))

    # Every path is checked before anything is written: a city id that would escape the
    # folder (« ../x ») stops the command with the folder untouched.
    planned = [
        (letter, source, [(safe_output_path(output, f"{letter.city_id}.{s}"), s) for s in formats])
        for letter, source in rendered
    ]
    binary: dict[tuple[str, str], bytes] = {}
    if "docx" in formats or "pdf" in formats:
        from cotrain.files.exporters.letters import letter_docx, letter_pdf, workspace_asset

        own = ws.path(TEMPLATE_FOLDER)
        letterhead = workspace_asset(own, "letterhead.docx")
        logo = workspace_asset(own, "logo.png", "logo.jpg", "logo.jpeg")
        for letter, _ in rendered:
            title = f"{ws.config.programme.name} — {names_of.get(letter.city_id, letter.city_id)}"
            if "docx" in formats:
                binary[(letter.city_id, "docx")] = letter_docx(
                    letter.source_markdown, title=title, letterhead=letterhead
                )
            if "pdf" in formats:
                binary[(letter.city_id, "pdf")] = letter_pdf(
                    letter.source_markdown, title=title, logo=logo
                )
    ensure_dir(output)
    written: list[dict[str, Any]] = []
    for letter, source, paths in planned:
        for path, suffix in paths:
            if suffix in ("docx", "pdf"):
                atomic_write_bytes(path, binary[(letter.city_id, suffix)])
            else:
                atomic_write_text(path, letter.markdown if suffix == "md" else letter.text)
        written.append(
            {
                "city_id": letter.city_id,
                "kind": letter.kind,
                "template": source,
                "files": [path.name for path, _ in paths],
            }
        )

    if json_out:
        from cotrain.cli.render import emit_json

        emit_json({"folder": str(output), "language": language, "letters": written})
        return
    from cotrain.cli.render import show, table

    names = {a.city_id: a.city for a in applications.applications}
    by_city = {d.city_id: d for d in decisions}
    show(
        table(
            t("letters.title", folder=str(output), count=len(written)),
            [
                t("letters.col_city"),
                t("letters.col_decision"),
                t("letters.col_template"),
                t("letters.col_files"),
            ],
            [
                [
                    names.get(item["city_id"], item["city_id"]),
                    t(f"decision.{by_city[item['city_id']].decision.value}"),
                    t("letters.template_workspace", file=Path(item["template"]).name)
                    if item["template"]
                    else t("letters.template_default"),
                    ", ".join(item["files"]),
                ]
                for item in written
            ],
        )
    )


def register(app: typer.Typer) -> None:
    app.command("letters", help=help_text("letters"))(letters)
