"""``cotrain init``: a new programme from a few answers (issue 15), or the shipped example.

Every question has an option; the questions not answered by an option are asked when the
terminal is interactive (``--yes`` or a pipe: the defaults). The answers go through
``domain.setup.build_programme``; the result is validated like any ``cotrain.toml`` before
anything is written.
"""

from __future__ import annotations

import sys
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Annotated, Any

import typer

from cotrain.cli.common import LangOpt, choose_language, help_text
from cotrain.i18n import t

EXAMPLE = "seine-saint-denis-2015"
TEMPLATE_NAME = {"fr": "candidatures-modele.csv", "en": "applications-template.csv"}


def render_template(language: str) -> str:
    """The commented ``cotrain.toml`` of the reference programme, comments in ``language``."""
    from importlib.resources import files

    text = (files("cotrain") / "templates" / "cotrain.toml").read_text(encoding="utf-8")
    lines = []
    for line in text.splitlines():
        if line.startswith("#: "):
            comment = t(line[3:].strip(), lang=language)
            lines.extend(f"# {part}".rstrip() for part in comment.splitlines())
        else:
            lines.append(line.replace("{language}", language))
    return "\n".join(lines) + "\n"


def example_folder() -> Path:
    from importlib.resources import files

    return Path(str(files("cotrain") / "examples" / EXAMPLE))


def _opt(name: str, *flags: str) -> Any:
    return typer.Option(*flags, help=t(f"init.opt_{name}"), show_default=False)


def init(
    folder: Annotated[Path, typer.Argument(help=t("init.arg_folder"), show_default=False)],
    title: Annotated[str | None, _opt("title", "--title", "--name")] = None,
    short_name: Annotated[str | None, _opt("short_name", "--short-name")] = None,
    organiser: Annotated[
        list[str] | None, _opt("organiser", "--organiser", "--organizer", "--organisers")
    ] = None,
    responsible: Annotated[str | None, _opt("responsible", "--responsible")] = None,
    place: Annotated[str | None, _opt("place", "--place", "--site")] = None,
    address: Annotated[str | None, _opt("address", "--address")] = None,
    manager: Annotated[str | None, _opt("manager", "--manager")] = None,
    theme: Annotated[str | None, _opt("theme", "--theme")] = None,
    start: Annotated[str | None, _opt("start", "--start", "--first-day")] = None,
    days: Annotated[int | None, _opt("days", "--days")] = None,
    half_days: Annotated[int | None, _opt("half_days", "--half-days")] = None,
    gap: Annotated[int | None, _opt("gap", "--gap")] = None,
    roles: Annotated[str | None, _opt("roles", "--roles", "--publics")] = None,
    optional: Annotated[list[str] | None, _opt("optional", "--optional")] = None,
    activist_label: Annotated[str | None, _opt("activist_label", "--activist-label")] = None,
    peer_worlds: Annotated[str | None, _opt("peer_worlds", "--peer-worlds")] = None,
    cities: Annotated[int | None, _opt("cities", "--cities")] = None,
    activists: Annotated[int | None, _opt("activists", "--activists")] = None,
    peer_group_cap: Annotated[int | None, _opt("peer_group_cap", "--peer-group-cap")] = None,
    peer_groups: Annotated[str | None, _opt("peer_groups", "--peer-groups")] = None,
    mixed_groups: Annotated[int | None, _opt("mixed_groups", "--mixed-groups")] = None,
    min_activists: Annotated[int | None, _opt("min_activists", "--min-activists")] = None,
    facilitation: Annotated[str | None, _opt("facilitation", "--facilitation")] = None,
    duos: Annotated[int | None, _opt("duos", "--duos")] = None,
    commitment: Annotated[bool | None, _opt("commitment", "--commitment/--no-commitment")] = None,
    min_contribution: Annotated[
        str | None, _opt("min_contribution", "--min-contribution", "--contribution")
    ] = None,
    proof: Annotated[bool | None, _opt("proof", "--proof/--no-proof")] = None,
    cost: Annotated[list[str] | None, _opt("cost", "--cost", "--budget", "--budget-line")] = None,
    funder: Annotated[
        list[str] | None, _opt("funder", "--funder", "--funders", "--funding")
    ] = None,
    yes: Annotated[bool, typer.Option("--yes", "-y", help=t("init.opt_yes"))] = False,
    example: Annotated[bool, typer.Option("--example", help=t("init.opt_example"))] = False,
    force: Annotated[bool, typer.Option("--force", help=t("init.opt_force"))] = False,
    lang: LangOpt = None,
) -> None:
    from cotrain.cli.render import echo
    from cotrain.errors import UsageError, WorkspaceError
    from cotrain.files.store import ensure_dir, workspace_lock
    from cotrain.files.transaction import finish_pending, transaction
    from cotrain.files.workspace import CONFIG_NAME

    language = choose_language(lang)
    target = folder / CONFIG_NAME
    if folder.exists() and not folder.is_dir():
        raise UsageError(t("init.not_a_folder", folder=str(folder)))
    # An init killed half-way left a journal: finish it (issue 13); before the journal, only
    # hidden temporary files, removed here, and the folder is made anew.
    finished = folder.is_dir() and finish_pending(folder)
    if finished and target.is_file() and not force:
        echo(t("trust.finished", folder=str(folder)))
        echo(t("init.next", folder=str(folder)))
        return
    if target.exists() and not force:
        raise WorkspaceError(t("init.exists", file=str(target)), hint=t("init.exists_hint"))
    running = [
        name
        for name in ("schedule.toml", "attendance.toml", "history.toml")
        if (folder / name).is_file()
    ]
    if target.exists() and running:
        # a programme under way: a new cotrain.toml would leave its schedule, marks and history
        # pointing at placeholders (finding F24)
        raise WorkspaceError(
            t("init.running", folder=str(folder), files=", ".join(running)),
            hint=t("init.running_hint"),
        )
    previous = target.read_bytes() if target.is_file() else None
    if example:
        source = example_folder()
        if not (source / CONFIG_NAME).is_file():
            raise WorkspaceError(t("init.example_missing", folder=str(source)))
        ensure_dir(folder)
        # Every file of the example appears at once, cotrain.toml last: a folder holding
        # cotrain.toml is a whole programme (issue 13).
        with workspace_lock(folder), transaction(folder) as tx:
            tx.last = (CONFIG_NAME,)
            for path in sorted(source.rglob("*")):
                relative = path.relative_to(source)
                if path.is_file() and not any(part.startswith(".") for part in relative.parts):
                    tx.write_bytes(relative.as_posix(), path.read_bytes())
        echo(t("init.example_done", folder=str(folder), example=EXAMPLE))
        echo(t("init.next", folder=str(folder)))
        return

    ask = _interactive() and not yes
    given = dict(
        title=title, short_name=short_name, organiser=organiser, responsible=responsible,
        place=place, address=address, manager=manager, theme=theme, start=start, days=days,
        half_days=half_days, gap=gap, roles=roles, optional=optional,
        activist_label=activist_label,
        peer_worlds=peer_worlds, cities=cities, activists=activists,
        peer_group_cap=peer_group_cap, peer_groups=peer_groups, mixed_groups=mixed_groups,
        min_activists=min_activists, facilitation=facilitation, duos=duos,
        commitment=commitment, min_contribution=min_contribution, proof=proof, cost=cost,
        funder=funder,
    )  # fmt: skip
    answers = _answers(given, language, ask=ask)
    config_data, text, template = _programme(answers)
    ensure_dir(folder)
    with workspace_lock(folder), transaction(folder) as tx:  # both files, cotrain.toml last
        tx.last = (CONFIG_NAME,)
        # with a BOM and CRLF: French Excel opens it by a double click with its accents right
        tx.write_text(TEMPLATE_NAME[language], template, encoding="utf-8-sig", newline="\r\n")
        if previous is not None:
            tx.write_bytes(BACKUP_NAME, previous)
        tx.write_text(CONFIG_NAME, text)
    echo(
        t(
            "init.done_programme",
            file=str(target),
            days=answers.days,
            half_days=len(
                [s for s in config_data["plan"]["sessions"] if s["kind"] != "trainers_meeting"]
            ),
            cities=answers.cities,
            activists=answers.activists,
            mixed=config_data["plan"]["rules"]["mixed_groups"],
            team=t("init.team_duos", count=len(config_data["duos"]))
            if config_data["duos"]
            else t("init.team_referents", count=len(config_data["trainers"])),
        )
    )
    from cotrain.domain.setup import is_working_day
    from cotrain.i18n import format_date

    if not is_working_day(answers.start):  # a sheet dated on a holiday is an audit red flag
        echo(t("init.not_working_day", date=format_date(answers.start, long=True)))
    rules = config_data["plan"]["rules"]
    if min_activists is None and 0 < rules["min_activists_per_group"] < 2:
        # the method wants at least two activists in each mixed group: say it when too few
        echo(
            t(
                "init.fewer_activists",
                activists=answers.activists,
                mixed=rules["mixed_groups"],
                minimum=rules["min_activists_per_group"],
            )
        )
    if previous is not None:
        echo(t("init.backup", file=str(folder / BACKUP_NAME)))
    echo(t("init.template_done", file=str(folder / TEMPLATE_NAME[language])))
    echo(t("init.next", folder=str(folder)))


# --------------------------------------------------------------------------- answers


BACKUP_NAME = "cotrain.toml.bak"  # the file --force replaced, kept once


def _interactive() -> bool:
    """Questions only for a person at a terminal; scripts and pipes take the defaults."""
    return sys.stdin.isatty()


def _answers(given: dict[str, Any], language: str, *, ask: bool) -> Any:
    """The answers, from the options, else the questions (interactive), else the defaults."""
    from cotrain.domain.setup import Answers, SetupError, parse_roles, parse_worlds
    from cotrain.enums import Facilitation
    from cotrain.errors import UsageError

    def value(name: str, default: Any, kind: type = str) -> Any:
        if given[name] is not None:
            return given[name]
        if not ask:
            return default
        return _ask(t(f"init.q.{name}"), default, kind)

    a = Answers(language=language)
    a.title = value("title", t("setup.default_title", lang=language))
    organisers = given["organiser"] or (
        [
            o.strip()
            for o in value("organiser", t("setup.default_organiser", lang=language)).split(",")
        ]
        if ask
        else []
    )
    a.organisers = [o.strip() for o in organisers if o.strip()]
    a.responsible = value("responsible", a.organisers[0] if a.organisers else "")
    a.place = value("place", t("setup.default_place", lang=language))
    a.address = given["address"] or ""
    a.manager = given["manager"] or ""
    a.theme = given["theme"] or ""
    a.short_name = given["short_name"] or ""
    today = date.today()
    soon = today + timedelta(days=60)
    first = soon + timedelta(days=(7 - soon.weekday()) % 7)  # a Monday about two months ahead
    start_text = value("start", first.isoformat())
    a.start = _date(str(start_text))
    a.days = value("days", 4, int)
    a.half_days = value("half_days", 2 * a.days, int)
    a.gap = value("gap", 7, int)
    try:
        roles_text = value("roles", "elected, professional:1-2, prefect_delegate")
        a.roles, lived = parse_roles(roles_text)
        a.activist_label = value("activist_label", lived) or lived
        a.optional = [o.strip() for item in given["optional"] or [] for o in item.split(",")]
        if given["peer_worlds"]:
            a.peer_worlds = parse_worlds(given["peer_worlds"])
        a.cities = value("cities", 7, int)
        a.activists = value("activists", 5, int)
        a.peer_group_cap = given["peer_group_cap"] or 10
        a.peer_groups = _counts(given["peer_groups"] or "")
        a.mixed_groups = value("mixed_groups", 0, int)
        a.min_activists = given["min_activists"] if given["min_activists"] is not None else -1
        chosen = str(value("facilitation", "duos")).strip().lower()
        if chosen not in {f.value for f in Facilitation}:
            raise SetupError(
                "bad_facilitation",
                value=chosen,
                allowed=", ".join(f.value for f in Facilitation),
            )
        a.facilitation = Facilitation(chosen)
        a.duos = given["duos"] or 0
        a.commitment = value("commitment", True, bool)
        a.min_contribution = _money(value("min_contribution", "0"))
        a.contribution_proof = value("proof", False, bool)
        # asked last, so that the answers above keep their order: who is in charge (letters
        # and certificates name them), the address, the theme
        a.manager = value("manager", "")
        a.address = value("address", "")
        a.theme = value("theme", "")
        # then the money: budget lines and funders (« Salle=1200 ; Repas=800 »)
        a.costs = _lines(given["cost"], "cost", ask)
        a.funders = _lines(given["funder"], "funder", ask)
    except SetupError as exc:
        raise UsageError(t(f"init.setup.{exc.code}", **exc.params)) from None
    except ValueError as exc:
        raise UsageError(t("init.bad_answer", reason=str(exc))) from None
    return a


def _ask(question: str, default: Any, kind: type = str) -> Any:
    """One question in the user's language: « Question [défaut] : », yes / no as « [O/n] », a
    wrong answer said in French and asked again; the end of the input takes the default."""
    from cotrain.cli.render import echo

    if kind is bool:
        shown = t("init.yes_no_default_yes") if default else t("init.yes_no_default_no")
    else:
        shown = str(default)
    label = f"{question} [{shown}]" if shown != "" else question
    while True:
        try:
            answer = typer.prompt(
                label, default="", show_default=False, prompt_suffix=t("init.prompt_suffix")
            )
        except typer.Abort:  # the end of the input (a script): the default
            return default
        text = str(answer).strip()
        if not text:
            return default
        if kind is bool:
            word = text.casefold()
            if word in t("init.yes_words").split(","):
                return True
            if word in t("init.no_words").split(","):
                return False
            echo(t("init.bad_yes_no", value=text))
            continue
        if kind is int:
            try:
                return int(text)
            except ValueError:
                echo(t("init.bad_integer", value=text))
                continue
        return text


def _date(text: str) -> date:
    """``2026-03-02``, or the French way ``02/03/2026``."""
    from datetime import datetime

    from cotrain.errors import UsageError

    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
    raise UsageError(t("init.bad_date", value=text))


def _counts(text: str) -> dict[str, int]:
    """``"professional=2, elected=1"`` -> {role: count}."""
    from cotrain.domain.setup import SetupError, builtin_role, slug

    out: dict[str, int] = {}
    if text.strip().isdigit():  # one number: every public gets that many peer groups
        if int(text) < 1:
            raise SetupError("bad_peer_groups", item=text.strip())
        return {"*": int(text)}
    for item in (part for part in text.replace(";", ",").split(",") if part.strip()):
        name, _, number = item.partition("=")
        if not number.strip().isdigit() or int(number) < 1:
            raise SetupError("bad_peer_groups", item=item.strip())
        out[builtin_role(name.strip()) or slug(name.strip())] = int(number)
    return out


def _money(text: str) -> Decimal:
    try:
        amount = Decimal(
            str(text).replace("€", "").replace("\u00a0", "").replace(" ", "").replace(",", ".")
        )
    except InvalidOperation:
        raise ValueError(str(text)) from None
    if amount < 0:
        raise ValueError(str(text))
    return amount


def _lines(given: list[str] | None, name: str, ask: bool) -> list[tuple[str, Decimal]]:
    """Budget lines or funders: from the options, else asked as « Salle=1200 ; Repas=800 »
    (an unreadable answer is said and asked again), else none."""
    from cotrain.cli.render import echo
    from cotrain.domain.setup import SetupError

    if given or not ask:
        return [_line(item) for item in given or []]
    while True:
        text = _ask(t(f"init.q.{name}"), "")
        try:
            return [_line(item) for item in str(text).split(";") if item.strip()]
        except SetupError as exc:
            echo(t(f"init.setup.{exc.code}", **exc.params))


def _line(item: str) -> tuple[str, Decimal]:
    from cotrain.domain.setup import SetupError

    label, sep, amount = item.rpartition("=")
    if not sep or not label.strip():
        raise SetupError("bad_budget_line", item=item)
    return label.strip(), _money(amount)


def _programme(answers: Any) -> tuple[dict[str, Any], str, str]:
    """The config data, its commented text (validated as ``cotrain.toml``), the CSV template."""
    from pydantic import ValidationError

    from cotrain.domain.config import Config, config_problems
    from cotrain.domain.setup import SetupError, application_headers, build_programme
    from cotrain.errors import UsageError
    from cotrain.files.config_text import render_config
    from cotrain.files.store import parse_toml

    try:
        data = build_programme(answers)
    except SetupError as exc:
        raise UsageError(t(f"init.setup.{exc.code}", **exc.params)) from None
    text = render_config(data)
    try:
        config = Config.model_validate(parse_toml(text.encode("utf-8"), Path("cotrain.toml")))
    except ValidationError as exc:
        from cotrain.files.store import validation_error

        raise validation_error(exc, file="cotrain.toml", text=text, model=Config) from None
    problems = config_problems(config)
    if problems:
        raise UsageError(t(f"config.{problems[0].code}", **problems[0].params))
    template = ";".join(application_headers(config)) + "\n"
    return data, text, template


def register(app: typer.Typer) -> None:
    app.command("init", help=help_text("init"))(init)
