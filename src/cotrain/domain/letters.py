"""Letters to the candidate cities: which template, which values, and filling it in.

Templates use ``string.Template`` placeholders (``$city`` or ``${city}``; ``$$`` is a dollar
sign): no expressions, no loops, nothing a template could run. The lists (dates, people,
reasons) arrive already written as Markdown bullet lists. An unknown placeholder is an error
naming the template and the placeholder, so that a typo never reaches a city.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal
from string import Template
from typing import Any

from cotrain.domain.config import Config
from cotrain.domain.french import a, a_place, de, de_body, mayor_title
from cotrain.domain.models import Application, CityDecision
from cotrain.enums import Decision, city_roles
from cotrain.errors import InputError, Location
from cotrain.i18n import format_date, format_money, format_number, get_language, t
from cotrain.i18n import format_time as i18n_format_time

# Letter kinds, one template each (``letters/<kind>.md`` in the workspace overrides the default).
SELECTED = "selected"
WAITLISTED = "waitlisted"
NOT_SELECTED = "not_selected"
NOT_ELIGIBLE = "not_eligible"
WITHDRAWN = "withdrawn"
KINDS = (SELECTED, WAITLISTED, NOT_SELECTED, NOT_ELIGIBLE, WITHDRAWN)

_KIND_OF = {
    Decision.SELECTED: SELECTED,
    Decision.WAITLISTED: WAITLISTED,
    Decision.DECLINED: NOT_SELECTED,
    Decision.NOT_ELIGIBLE: NOT_ELIGIBLE,
    Decision.WITHDRAWN: WITHDRAWN,
}

# Every placeholder a template may use (documented in docs/sections/30-selection.md).
PLACEHOLDERS = (
    "programme",
    "programme_short",
    "organisers",
    "site",
    "address",
    "manager",
    "theme",
    "city",
    "city_id",
    "territory",
    "contact",
    "decision",
    "rank",
    "waitlist_place",
    "reasons",
    "dates",
    "first_date",
    "last_date",
    "days",
    "half_days",
    "length",
    "venue",
    "alongside",
    "times",
    "people",
    "contribution",
    "today",
    # issue 11: formal letters to a mayor
    "of_city",
    "in_city",
    "at_site",
    "sender",
    "addressee",
    "place_date",
    "salutation",
    "object",
    "next_steps",
    "our_contact",
    "closing",
    "signatory",
    "signatory_title",
    "commitment_by",
    "convention_by",
    "waitlist_until",
)


@dataclass(frozen=True)
class Letter:
    city_id: str
    kind: str
    markdown: str  # as written to the .md file (values escaped for HTML)
    text: str
    source_markdown: str = ""  # the same with raw values: the source of the .docx and PDF


def letter_kind(decision: CityDecision) -> str:
    return _KIND_OF[decision.decision]


def format_time(value: time) -> str:
    """``9 h 30`` in French, ``9:30 am`` in English (one definition: ``i18n.format_time``)."""
    return i18n_format_time(value)


def _bullets(lines: Sequence[str]) -> str:
    return "\n".join(f"- {line}" for line in lines) if lines else f"- {t('common.none')}"


def remaining_sessions(config: Config, from_session: str) -> list[Any]:
    """The trainee half-days from ``from_session`` on, in time order (a city that joins after
    the start attends only those)."""
    from cotrain.domain.changes import session_order

    order = session_order(config)
    start = order.get(from_session, 0)
    ahead = [s for s in config.plan.trainee_sessions if order.get(s.id, 0) >= start]
    return sorted(ahead, key=lambda s: order.get(s.id, 0))


def programme_days(
    config: Config, sessions: Sequence[Any] | None = None
) -> list[tuple[date, time, time]]:
    """Each day trainees attend, with its first start and last end, in date order."""
    days: dict[date, tuple[time, time]] = {}
    for session in config.plan.trainee_sessions if sessions is None else sessions:
        start, end = config.plan.times(session)
        if session.date in days:
            first, last = days[session.date]
            days[session.date] = (min(first, start), max(last, end))
        else:
            days[session.date] = (start, end)
    return [(day, *days[day]) for day in sorted(days)]


def _lower_first(text: str) -> str:
    """ "Chef de projet" -> "chef de projet"; an acronym ("DGS adjoint") stays."""
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]


def letter_signatory(config: Config) -> tuple[str, str]:
    """Who signs the letters and their title. ``[provider]`` is the source (the person who signs
    certificates, their function and the body's name); ``[letters] signatory`` and
    ``signatory_title`` override it when letters are signed by someone else (older files that
    set both still read the same)."""
    settings, provider = config.letters, config.provider
    if settings.signatory:
        return settings.signatory, settings.signatory_title
    if provider.signatory:
        title = settings.signatory_title
        if not title and provider.signatory_function:
            title = (
                t(
                    "letters.signatory_of",
                    function=provider.signatory_function,
                    of_provider=de_body(provider.name),
                )
                if provider.name and get_language() == "fr"
                else ", ".join(x for x in (provider.signatory_function, provider.name) if x)
            )
        return provider.signatory, title
    return config.programme.manager, settings.signatory_title


def _long_date(value: date) -> str:
    """ "1er décembre 2014" (fr, no weekday, as letters write it) / "1 December 2014" (en)."""
    return format_date(value, words=True)


def _lines(lines: Sequence[str], *, right: bool = False) -> str:
    """Lines of one Markdown paragraph (hard breaks); ``right``: a ``> `` block, set in the
    right-hand column by the .docx and PDF writers (addressee, place and date)."""
    kept = [line for line in lines if line.strip()]
    if right:
        return "  \n".join(f"> {line}" for line in kept)
    return "  \n".join(kept)


def mayor_lines(config: Config, application: Application) -> tuple[list[str], str]:
    """(addressee block, salutation) for a city's mayor: "Madame Sylvie Thomasset / Maire de
    Bondy / Hôtel de ville" and "Madame la Maire" (by name when ``[letters.mayors]`` knows it)."""
    mayor = config.letters.mayors.get(application.city_id)
    gender = mayor.gender if mayor else ""
    name = mayor.name if mayor else ""
    fr = get_language() == "fr"
    if fr:
        civility = {"f": "Madame", "m": "Monsieur"}.get(gender, "")
        title = {"f": "Maire", "m": "Maire"}.get(gender, "Maire")
        first = f"{civility} {name}".strip() if name else mayor_title(gender)
        block = [first, f"{title} {de(application.city)}", "Hôtel de ville"]
        salutation = mayor_title(gender)
    else:
        civility = {"f": "Ms", "m": "Mr"}.get(gender, "")
        first = f"{civility} {name}".strip() if name else "The Mayor"
        block = [first, f"Mayor of {application.city}", "Town Hall"]
        surname = name.split()[-1] if name else ""
        salutation = f"Dear Mayor {surname}" if surname else "Dear Mayor"
    block += list(mayor.address) if mayor else []
    return block, salutation


def _enumeration(items: Sequence[str]) -> list[str]:
    """Items of a list that completes a sentence: ";" after each, "." after the last (French
    puts a non-breaking space before the semicolon)."""
    bare = [item.rstrip(" ;.\u00a0") for item in items]
    semicolon = "\u00a0;" if get_language() == "fr" else ";"
    return [item + (semicolon if i < len(bare) - 1 else ".") for i, item in enumerate(bare)]


def next_steps(
    config: Config,
    kind: str,
    application: Application,
    *,
    first_date: date | None,
    given_to: str = "",
    after_start: str = "",
) -> list[str]:
    """What happens next for a city, by the decision (issue 11): for a selected city the
    council deliberation or purchase order, the convention and the dates; for a waitlisted one
    until when; for one not eligible what a complete application needs."""
    settings = config.letters
    steps: list[str] = []
    if kind == SELECTED:
        money = (
            format_money(application.contribution) if application.contribution is not None else ""
        )
        steps.append(
            t("letters.next.commitment_by", amount=money, date=_long_date(settings.commitment_by))
            if settings.commitment_by
            else t("letters.next.commitment", amount=money)
        )
        steps.append(
            t("letters.next.convention_by", date=_long_date(settings.convention_by))
            if settings.convention_by
            else t("letters.next.convention")
        )
        steps.append(t("letters.next.people"))
        if first_date is not None:
            steps.append(t("letters.next.dates", date=_long_date(first_date)))
    elif kind == WAITLISTED:
        until = settings.waitlist_until or first_date
        steps.append(
            t("letters.next.waitlist_until", date=_long_date(until))
            if until
            else t("letters.next.waitlist")
        )
        steps.append(t("letters.next.waitlist_keep"))
    elif kind == NOT_ELIGIBLE:
        rules = config.eligibility
        steps.append(t("letters.next.needs_team", team=team_phrase(config)))
        if rules.require_full_commitment:
            steps.append(t("letters.next.needs_commitment"))
        minimum = format_money(rules.min_contribution)
        steps.append(t("letters.next.needs_contribution", amount=minimum))
        if rules.require_contribution_proof:
            steps.append(t("letters.next.needs_proof"))
        steps = _enumeration(steps)
    elif kind == NOT_SELECTED:
        steps.append(t("letters.next.next_session"))
    elif kind == WITHDRAWN:
        if given_to:  # the place went to the waitlist in the same decision (issue 15)
            steps.append(t("midprog.letters_withdrawn_given", cities=given_to))
        elif after_start:
            steps.append(t("midprog.letters_withdrawn_vacant"))
        else:
            steps.append(t("letters.next.withdrawn"))
        if after_start:
            steps.append(t("midprog.letters_withdrawn_kept", date=after_start))
    return steps


def letter_values(
    config: Config,
    application: Application,
    decision: CityDecision,
    *,
    reasons: Sequence[str],
    today: date,
    from_session: str = "",
    given_to: str = "",
) -> dict[str, str]:
    """The value of every placeholder for one city (all text, already in the reader's language).

    ``from_session``: a city promoted after the start attends from that half-day on (its dates
    and half-days are those left), a city withdrawn after the start stopped there; ``given_to``:
    the cities its place went to (issue 15)."""
    programme = config.programme
    settings = config.letters
    fr = get_language() == "fr"
    kind = letter_kind(decision)
    ahead = remaining_sessions(config, from_session) if from_session else None
    days = programme_days(config, ahead if kind == SELECTED else None)
    slots = config.plan.slots
    times = ", ".join(
        t(
            "letters.slot",
            half=t(f"half.{half.value}"),
            start=format_time(slot.start),
            end=format_time(slot.end),
        )
        for half, slot in sorted(slots.items(), key=lambda item: item[1].start)
    )
    # A named person is described by their own job title (which says "conseillère" or
    # "conseiller"); the role's inclusive label only when there is none.
    people = [
        t("letters.person", name=person.name, role=_lower_first(person.job_title))
        if person.job_title
        else t("letters.person", name=person.name, role=t(f"role.{person.role.value}"))
        for role in city_roles()
        for person in application.members(role)
    ]
    half_days = len(
        ahead if ahead is not None and kind == SELECTED else config.plan.trainee_sessions
    )
    first = days[0][0] if days else None
    stopped = ""
    if from_session and kind == WITHDRAWN:
        spec = next((s for s in config.plan.sessions if s.id == from_session), None)
        stopped = format_date(spec.date, long=True) if spec is not None else ""
    of_city = de(application.city) if fr else f"of {application.city}"
    addressee, salutation = mayor_lines(config, application)
    written = _long_date(today)
    place_date = (
        t("letters.place_date", place=settings.place, date=written)
        if settings.place
        else t("letters.date_only", date=written)
    )
    phone = settings.phone or programme.manager_phone
    who = letter_signatory(config)[0]
    details = ", ".join(x for x in (who, phone, settings.email) if x)
    contact = t("letters.contact_line", details=details) if details else ""
    return {
        "programme": programme.name,
        "programme_short": programme.short_name,
        "organisers": t("letters.and").join(programme.organisers)
        if len(programme.organisers) <= 2
        else ", ".join(programme.organisers),
        "site": programme.site,
        "address": programme.address,
        "manager": programme.manager,
        "theme": programme.theme,
        "city": application.city,
        "city_id": application.city_id,
        "territory": application.territory,
        "contact": application.contact,
        "decision": t(f"decision.{decision.decision.value}"),
        "rank": str(decision.rank or ""),
        "waitlist_place": str(decision.rank or "")
        if decision.decision == Decision.WAITLISTED
        else "",
        "reasons": _bullets(list(reasons)),
        "dates": _bullets(
            [
                t(
                    "letters.day",
                    date=format_date(day, long=True),
                    start=format_time(start),
                    end=format_time(end),
                )
                for day, start, end in days
            ]
        ),
        "first_date": format_date(days[0][0], long=True) if days else "",
        "last_date": format_date(days[-1][0], long=True) if days else "",
        "days": format_number(
            Decimal(half_days) / 2
            if ahead is not None and kind == SELECTED
            else config.plan.length_in_days,
            decimals=0 if half_days % 2 == 0 else 1,
        ),
        "half_days": str(half_days),
        "length": length_phrase(config, days, half_days=half_days),
        "venue": _lines([programme.site, programme.address]),
        "alongside": alongside_phrase(config),
        "times": times,
        "people": _bullets(people),
        "team": team_phrase(config),
        "contribution": format_money(application.contribution)
        if application.contribution is not None
        else "",
        "today": format_date(today, long=True),
        "of_city": de(application.city) if fr else f"of {application.city}",
        "in_city": a(application.city) if fr else f"in {application.city}",
        "at_site": a_place(programme.site) if fr else f"at {programme.site}",
        "sender": _lines(settings.sender or list(programme.organisers)),
        "addressee": _lines(addressee, right=True),
        "place_date": _lines([place_date], right=True),
        "salutation": salutation,
        "object": t(
            f"letters.object.{kind}",
            city=application.city,
            of_city=of_city,
            programme=programme.name,
        ),
        "next_steps": _bullets(
            next_steps(
                config, kind, application, first_date=first, given_to=given_to, after_start=stopped
            )
        ),
        "our_contact": contact,
        "closing": t("letters.closing", salutation=salutation),
        "signatory": letter_signatory(config)[0],
        "signatory_title": letter_signatory(config)[1],
        "commitment_by": _long_date(settings.commitment_by) if settings.commitment_by else "",
        "convention_by": _long_date(settings.convention_by) if settings.convention_by else "",
        "waitlist_until": _long_date(settings.waitlist_until) if settings.waitlist_until else "",
    }


def render_letter(template: str, values: dict[str, str], *, source: str) -> str:
    """Fill ``template``; an unknown or malformed placeholder names ``source`` and the line."""
    try:
        return Template(template).substitute(values)
    except KeyError as exc:
        name = str(exc.args[0])
        raise InputError(
            t("letters.unknown_placeholder", name=name),
            location=Location(file=source, line=_line_of(template, "$" + name)),
            hint=t(
                "letters.unknown_placeholder_hint", names=", ".join(f"${p}" for p in PLACEHOLDERS)
            ),
        ) from None
    except ValueError:
        found = re.search(r"\$(?![{\w$])", template)
        line = template.count("\n", 0, found.start()) + 1 if found else None
        raise InputError(
            t("letters.bad_placeholder"),
            location=Location(file=source, line=line),
            hint=t("letters.bad_placeholder_hint"),
        ) from None


def _line_of(text: str, needle: str) -> int | None:
    index = text.find(needle)
    if index < 0:
        index = text.find("${" + needle[1:] + "}")
    return text.count("\n", 0, index) + 1 if index >= 0 else None


_HEADING = re.compile(r"^#{1,6}\s+(.*)$")
_STRONG = re.compile(r"\*\*(.+?)\*\*|__(.+?)__")
_EMPHASIS = re.compile(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])")
_HARD_BREAK = re.compile(r"( {2,}|\\)$")


def markdown_to_text(markdown: str) -> str:
    """The plain-text twin of a letter: no ``#``, ``**``, ``*``; headings underlined."""
    lines: list[str] = []
    for raw in markdown.splitlines():
        raw = raw[2:] if raw.startswith("> ") else raw  # right-hand column: plain in text
        line = _HARD_BREAK.sub("", raw.rstrip("\n"))
        heading = _HEADING.match(line)
        if heading:
            title = _plain_inline(heading.group(1))
            lines.extend([title, "=" * len(title) if raw.startswith("# ") else "-" * len(title)])
            continue
        lines.append(_plain_inline(line))
    return "\n".join(lines).rstrip() + "\n"


def _plain_inline(text: str) -> str:
    text = _STRONG.sub(lambda m: m.group(1) or m.group(2), text)
    return _EMPHASIS.sub(lambda m: m.group(1), text)


def length_phrase(
    config: Config, days: Sequence[tuple[date, object, object]], *, half_days: int | None = None
) -> str:
    """« 9 demi-journées (4,5 jours), du … au … » or « 2 demi-journées (1 jour), le … »: the
    length of any programme, one day or many (issue 15); ``half_days`` for a late joiner."""
    if half_days is None:
        half_days = len(config.plan.trainee_sessions)
        length = config.plan.length_in_days
    else:
        length = Decimal(half_days) / 2
    count = format_number(length, decimals=0 if half_days % 2 == 0 else 1)
    if not days:
        return t("letters.length_undated", half_days=half_days, days=count)
    key = "letters.length_one" if len({d for d, _, _ in days}) == 1 else "letters.length"
    if half_days == 1:
        key += "_half"
    day_word = t("letters.day_one") if length <= 1 else t("letters.day_many")
    return t(
        key,
        half_days=half_days,
        days=count,
        day_word=day_word,
        first=format_date(days[0][0], long=True),
        last=format_date(days[-1][0], long=True),
    )


def alongside_phrase(config: Config) -> str:
    """Who the city's team trains with, in the programme's own words: its public with lived
    experience and its facilitation model."""
    lived = next((r for r, spec in config.roles.items() if spec.kind == "lived_experience"), None)
    people = t(f"role_plural.{lived.value}") if lived is not None else ""
    facilitation = config.plan.rules.facilitation.value
    return t(f"letters.alongside.{facilitation}", people=people)


def team_phrase(config: Config) -> str:
    """The team each city names, in words, from ``[eligibility.roles]`` (issue 15): « 1 élu·e,
    1 à 2 professionnel·les et 1 délégué·e du préfet (facultatif) »."""
    items = []
    for role in config.city_roles:
        limits = config.eligibility.roles.get(role)
        if limits is None:
            continue
        low, high = limits.min, limits.max
        label = t(f"role_plural.{role.value}") if high > 1 else t(f"role.{role.value}")
        count = str(high) if low in (0, high) else t("letters.team_range", low=low, high=high)
        item = t("letters.team_item", count=count, label=label)
        if low == 0:
            item = t("letters.team_optional", item=item)
        items.append(item)
    if len(items) > 1:
        return t("letters.team_join").join(items[:-1]) + t("letters.and") + items[-1]
    return "".join(items)
