"""Printable documents: sign-in sheets (feuilles d'émargement) and personal programmes.

Each document is first put together as plain translated text (``SheetText``,
``ProgrammeText``), then rendered from that same text: as a self-contained HTML page for the
screen, and as an A4 PDF through one Typst template (``templates/typst``, see
:mod:`cotrain.files.exporters.typeset`; issue 11). The PDF embeds the DejaVu Sans font shipped
in ``cotrain/fonts`` (free licence, see ``LICENSE-DejaVu.txt``) so that every name prints:
accents, apostrophes, œ, €, Greek, Cyrillic.

Sign-in sheets follow DOMAIN.md and AUDIT.md §1.1: the provider's identity (name, address,
declaration number, SIRET) and partners on every page, programme title, the date and the
half-day with its times, the place, every expected participant with arrival and departure
columns and a signature box, the trainers' signature strip on every page, what the sheet
proves, a privacy notice and, when asked, a funder's mention (FSE+).

The signing hook (for tablet signatures): ``sheet_text(..., marks={person_or_trainer_id:
SheetMark(arrival="9 h 45", departure="", image=png_bytes | strokes=((x, y), …))})`` prints
the times and draws each signature in its box; ``sheets_pdf([...])`` renders one or many.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, time
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from cotrain.domain.config import Config
from cotrain.domain.models import Participant
from cotrain.domain.timetable import Entry, GroupView, SessionView
from cotrain.i18n import format_date, format_time, get_language, t

FONT = "DejaVu"
_TEMPLATES = files("cotrain") / "templates" / "outputs"
_FONTS = files("cotrain") / "fonts"


# --- words -------------------------------------------------------------------------------


def spoken_time(value: time, *, lang: str | None = None) -> str:
    """A time as people say it (see :func:`cotrain.i18n.format_time`)."""
    return format_time(value, lang=lang)


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def _join_names(names: Sequence[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return t("outputs.and_join", first=", ".join(names[:-1]), last=names[-1])


def place_of(config: Config, view: SessionView, group: GroupView | None) -> str:
    """Site, address and room on one line."""
    parts = [config.programme.site, config.programme.address]
    room = (group.room if group else "") or view.spec.room
    if room:
        parts.append(room_label(room))
    return ", ".join(p for p in parts if p)


def room_label(room: str) -> str:
    """``salle B12`` from ``B12``; a room already named ``Salle C`` is kept as it is."""
    from cotrain.domain.timetable import sort_name

    words = {sort_name(t("outputs.room_word", lang=lang)) for lang in ("fr", "en")}
    if any(sort_name(room).startswith(word) for word in words):
        return room
    return t("outputs.room", room=room)


def group_name(group: GroupView) -> str:
    return group.label or t("outputs.group_fallback", id=group.id)


def where_from(participant: Participant) -> str:
    """City for city officials, organisation for activists."""
    return participant.city or participant.organisation


def employer_of(config: Config, person: Participant) -> str:
    """Who employs the trainee, as the certificate states it.

    A prefect's delegate is a State agent: their employer is the State (the prefecture), not
    the city (AUDIT.md §1.6). A person of the lived-experience public comes in their own name:
    no document names an organisation for them, as it would tell a third party that the
    person lives in poverty (issue 11).
    """
    from cotrain.domain.french import de
    from cotrain.enums import Role

    if person.role == Role.PREFECT_DELEGATE:
        return config.training.state_employer
    if person.role == Role.ACTIVIST or not person.city:
        return t("certificates.employer_none")
    key = "elected" if person.role == Role.ELECTED else "city"
    of_city = de(person.city) if get_language() == "fr" else f"of {person.city}"
    return t(f"certificates.employer_{key}", of_city=of_city)


def sheet_affiliation(config: Config, person: Participant) -> str:
    """The sheet's "employer or body" cell: the city (a member of its team), the State (a
    prefect's delegate), "in their own name" (the lived-experience public). The same facts as
    the certificate, shorter; never an organisation the person did not name themselves."""
    from cotrain.enums import Role

    if person.role == Role.PREFECT_DELEGATE:
        return config.training.state_employer
    if person.role == Role.ACTIVIST or not person.city:
        return t("certificates.employer_none")
    return person.city


# --- sign-in sheets ----------------------------------------------------------------------


@dataclass(frozen=True)
class SheetMark:
    """What a sign-in sheet may carry for one person beyond their name (the signing hook).

    ``arrival`` and ``departure`` are printed in the time columns (``9 h 45``); a signature is
    drawn in the person's box, either from an image (PNG/JPEG/SVG bytes) or from pen strokes
    (lists of (x, y) points in any unit, y downwards), which are scaled to fit the box. Keys
    of ``sheet_text(..., marks=...)`` are participant ids and trainer ids.
    """

    arrival: str = ""
    departure: str = ""
    image: bytes | None = None
    image_type: str = "png"  # png, jpg or svg
    strokes: tuple[tuple[tuple[float, float], ...], ...] = ()  # signed on arrival
    departure_strokes: tuple[tuple[tuple[float, float], ...], ...] = ()  # signed on leaving
    caption: str = ""  # a line under the signature ("arrivée 9 h 40", "absente excusée")


@dataclass(frozen=True)
class SheetText:
    """Everything printed on one sign-in sheet, already translated."""

    stem: str  # file name without extension
    lang: str
    programme: str
    organisers: str
    funders: str
    title: str
    facts: list[tuple[str, str]]
    trainers: list[tuple[str, str]]  # (name, kind label)
    participants: list[tuple[str, str, str]]  # (name, status: the role's label, employer)
    blank_rows: int
    footer: str
    running_head: str
    headers: dict[str, str] = field(default_factory=dict)
    # issue 11: the provider's identity, who works with whom, privacy, funder mention, marks
    provider: dict[str, str] = field(default_factory=dict)
    pair_of: list[str] = field(default_factory=list)  # per participant: the pair's label
    participant_ids: list[str] = field(default_factory=list)
    trainer_ids: list[str] = field(default_factory=list)
    marks: dict[str, SheetMark] = field(default_factory=dict)
    privacy: str = ""
    mention: str = ""
    mention_logo: str = ""  # a path relative to the workspace
    day: str = ""  # ISO date, to gather a day's sheets


def sheet_stem(view: SessionView, group: GroupView) -> str:
    """``j1-matin_g2``: session id and group id, reduced to safe file-name characters."""

    def clean(text: str) -> str:
        return "".join(c if c.isascii() and (c.isalnum() or c in "-_") else "-" for c in text)

    return f"{clean(view.id)}_{clean(group.id)}"


def provider_identity(config: Config) -> dict[str, str]:
    """The provider block every printed document carries (AUDIT.md §1.1, §1.2)."""
    provider = config.provider
    programme = config.programme
    number = provider.declaration_number or programme.training_number
    ids = []
    if number:
        ids.append(t("documents.declaration_number", number=number))
    if provider.siret:
        ids.append(t("documents.siret", siret=provider.siret))
    # Without [provider]: the organisation answerable for the programme, else the first
    # organiser; never the provider named again as its own partner (tester's F19.8).
    organisers = programme.organisers
    name = provider.name or programme.responsible or (organisers[0] if organisers else "")
    partners = provider.partners
    if not partners:
        others = [o for o in organisers if o != name]
        funders = [line.funder for line in config.budget.funding if line.funder != name]
        parts = []
        if others:
            parts.append(t("documents.with_partners", names=", ".join(others)))
        if funders:
            parts.append(t("outputs.funded_by", names=", ".join(funders)))
        partners = " · ".join(parts)
    return {
        "name": name,
        "address": provider.address,
        "ids": " · ".join(ids),
        "partners": partners,
        "logo": "",
    }


def _pair_labels(view: SessionView, group: GroupView) -> dict[str, str]:
    """On a half-day of pairs: each member's pair, named by its members (who works with whom)."""
    labels: dict[str, str] = {}
    for pair in view.groups:
        names = [m.name for m in pair.members]
        for member in pair.members:
            partners = [n for n in names if n != member.name]
            labels[member.id] = t(
                "documents.pair_with",
                pair=group_name(pair),
                names=_join_names(partners) if partners else "—",
            )
    return {m.id: labels.get(m.id, "") for m in group.members}


def sheet_text(
    config: Config,
    view: SessionView,
    group: GroupView,
    *,
    blank_rows: int = 0,
    marks: dict[str, SheetMark] | None = None,
) -> SheetText:
    """The words of one sheet. ``marks`` (optional, by person or trainer id): arrival and
    departure times and drawn signatures to print (the tablet-signing hook)."""
    from cotrain.enums import SessionKind

    programme = config.programme
    when = t(
        "outputs.sheet_when",
        date=format_date(view.spec.date, long=True),
        half=t(f"half.{view.spec.half.value}"),
        start=spoken_time(view.start),
        end=spoken_time(view.end),
    )
    kind = t(f"session_kind.{view.spec.kind.value}")
    session = f"{view.spec.title} ({kind})" if view.spec.title else _capitalised(kind)
    facts = [
        (t("outputs.sheet_date"), when),
        (t("outputs.sheet_session"), session),
        (t("outputs.sheet_group"), group_name(group)),
        (t("outputs.sheet_place"), place_of(config, view, group)),
    ]
    funders = [line.funder for line in config.budget.funding]
    members = list(group.members)
    pair_of: list[str] = []
    if view.spec.kind == SessionKind.PAIRS:
        # Keep each pair together on the sheet, in the order of the pairs.
        order = {m.id: i for i, pair in enumerate(view.groups) for m in pair.members}
        members.sort(key=lambda m: order.get(m.id, len(order)))
        labels = _pair_labels(view, group)
        pair_of = [labels[m.id] for m in members]
    mention = config.provider.mention
    # An activist who co-leads the group is trained in it too: one line, one signature, among
    # the participants (issue 15: "à la fois formateurs et formés").
    member_ids = {m.id for m in group.members}
    leaders = [tr for tr in group.trainers if tr.id not in member_ids]
    co_leading = {tr.id: tr for tr in group.trainers if tr.id in member_ids}

    def role_on_sheet(p: Any) -> str:
        role = t(f"role.{p.role.value}")
        if p.id in co_leading:
            kind = t(f"trainer_kind.{co_leading[p.id].kind.value}")
            return t("documents.role_and_leader", role=role, kind=kind)
        return role

    return SheetText(
        stem=sheet_stem(view, group),
        lang=get_language(),
        programme=programme.name,
        organisers=t("outputs.organised_by", names=", ".join(programme.organisers))
        if programme.organisers
        else "",
        funders=t("outputs.funded_by", names=", ".join(funders)) if funders else "",
        title=t("outputs.sheet_title"),
        facts=facts,
        trainers=[(tr.name, t(f"trainer_kind.{tr.kind.value}")) for tr in leaders],
        participants=[(p.name, role_on_sheet(p), sheet_affiliation(config, p)) for p in members],
        blank_rows=blank_rows,
        footer=t("outputs.sheet_footer"),
        running_head=t(
            "documents.sheet_running_head",
            date=format_date(view.spec.date),
            half=t(f"half.{view.spec.half.value}"),
            group=group_name(group),
        ),
        headers={
            "number": t("outputs.sheet_col_number"),
            "name": t("outputs.sheet_col_name"),
            "role": t("outputs.sheet_col_role"),
            "where": t("outputs.sheet_col_where"),
            "kind": t("outputs.sheet_col_kind"),
            "signature": t("outputs.sheet_col_signature"),
            "trainers": t("outputs.sheet_trainers", count=len(leaders)),
            "participants": t("outputs.sheet_participants", count=len(group.members)),
            "late": t("outputs.sheet_late"),
            "arrival": t("documents.col_arrival"),
            "departure": t("documents.col_departure"),
            "pair": t("documents.col_pair"),
            "strip": t("documents.trainers_sign_every_page"),
            "page": t("documents.sheet_page"),
        },
        provider=provider_identity(config),
        pair_of=pair_of,
        participant_ids=[p.id for p in members],
        trainer_ids=[tr.id for tr in leaders],
        marks=dict(marks or {}),
        privacy=t("documents.privacy_notice", provider=provider_identity(config)["name"]),
        mention=mention.text,
        mention_logo=mention.logo,
        day=view.spec.date.isoformat(),
    )


def _css(name: str) -> str:
    return (_TEMPLATES / "base.css").read_text(encoding="utf-8") + (_TEMPLATES / name).read_text(
        encoding="utf-8"
    )


def page(title: str, body: str, *, lang: str, css: str) -> str:
    """A self-contained HTML page (styles inline), ready to print."""
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)}</title>\n<style>\n{_css(css)}</style>\n</head>\n"
        f"<body>\n{body}\n</body>\n</html>\n"
    )


def sheet_html(sheet: SheetText) -> str:
    e = html.escape
    h = sheet.headers
    facts = "".join(f"<dt>{e(k)}</dt><dd>{e(v)}</dd>" for k, v in sheet.facts)
    trainers = "".join(
        f'<tr><td class="name">{e(name)}</td><td>{e(kind)}</td><td class="signature"></td></tr>'
        for name, kind in sheet.trainers
    )

    def times(index: int) -> str:
        ident = sheet.participant_ids[index] if sheet.participant_ids else ""
        mark = sheet.marks.get(ident)
        arrival, departure = (mark.arrival, mark.departure) if mark else ("", "")
        return f'<td class="time">{e(arrival)}</td><td class="time">{e(departure)}</td>'

    expected = [
        f'<tr><td class="number">{n}</td><td class="name">{e(name)}</td>'
        f"<td>{e(sheet.pair_of[n - 1] if sheet.pair_of else role)}</td>"
        f'<td>{e(where)}</td>{times(n - 1)}<td class="signature"></td></tr>'
        for n, (name, role, where) in enumerate(sheet.participants, start=1)
    ]
    start = len(sheet.participants) + 1
    blank = "<td></td>" * 3 + '<td class="time"></td>' * 2
    extra = [
        f'<tr class="blank"><td class="number">{n}</td>{blank}<td class="signature"></td></tr>'
        for n in range(start, start + sheet.blank_rows)
    ]
    if extra:
        extra.insert(0, f'<tr class="separator"><th colspan="7">{e(h["late"])}</th></tr>')

    def head(*cells: tuple[str, str]) -> str:
        return "".join(
            f'<th class="{css}">{e(h[key])}</th>' if css else f"<th>{e(h[key])}</th>"
            for key, css in cells
        )

    trainer_head = head(("name", ""), ("kind", ""), ("signature", "signature"))
    people_head = head(
        ("number", "number"),
        ("name", ""),
        ("pair" if sheet.pair_of else "role", ""),
        ("where", ""),
        ("arrival", "time"),
        ("departure", "time"),
        ("signature", "signature"),
    )
    provider = sheet.provider or {}
    identity = "".join(
        f'<p class="{key}">{e(provider[key])}</p>'
        for key in ("name", "address", "ids", "partners")
        if provider.get(key)
    )
    mention = f'<p class="mention">{e(sheet.mention)}</p>' if sheet.mention else ""
    body = f"""<article class="sheet">
<header class="heading">
<div class="provider">{identity}</div>
<p class="programme">{e(sheet.programme)}</p>
<p class="organisers">{e(sheet.organisers)}</p>
<p class="funders">{e(sheet.funders)}</p>
</header>
<h1>{e(sheet.title)}</h1>
<dl class="facts">{facts}</dl>
<h2>{e(h["trainers"])}</h2>
<table class="trainers">
<thead><tr>{trainer_head}</tr></thead>
<tbody>{trainers}</tbody>
</table>
<h2>{e(h["participants"])}</h2>
<table class="participants">
<thead><tr>{people_head}</tr></thead>
<tbody>{"".join(expected)}{"".join(extra)}</tbody>
<tfoot><tr><td colspan="7" class="proof">{e(sheet.footer)}</td></tr></tfoot>
</table>
<p class="privacy">{e(sheet.privacy)}</p>
{mention}
</article>"""
    return page(f"{sheet.title} – {sheet.running_head}", body, lang=sheet.lang, css="sheet.css")


@cache
def _font_paths() -> tuple[str, str]:
    return str(_FONTS / "DejaVuSans.ttf"), str(_FONTS / "DejaVuSans-Bold.ttf")


@cache
def _covered() -> frozenset[int]:
    """The characters the bundled PDF font can draw."""
    from fontTools.ttLib import TTFont

    return frozenset(TTFont(_font_paths()[0], lazy=True).getBestCmap())


def printable(text: str) -> bool:
    """Whether the PDF font has every character of ``text`` (CJK and Arabic are missing)."""
    covered = _covered()
    return all(ord(c) in covered or c.isspace() for c in text)


def unprintable_in(texts: Sequence[str]) -> int:
    return sum(1 for text in texts if not printable(text))


def strokes_svg(strokes: Sequence[Sequence[tuple[float, float]]]) -> bytes:
    """Pen strokes as an SVG drawing whose view box is the strokes' bounding box."""
    points = [p for stroke in strokes for p in stroke]
    if not points:
        return b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"/>'
    left, top = min(x for x, _ in points), min(y for _, y in points)
    width = max(max(x for x, _ in points) - left, 1.0)
    height = max(max(y for _, y in points) - top, 1.0)
    pad = max(width, height) * 0.03
    paths = "".join(
        '<polyline fill="none" stroke="#0b2a6b" stroke-width="{w:.2f}" stroke-linecap="round" '
        'stroke-linejoin="round" points="{pts}"/>'.format(
            w=max(width, height) / 80, pts=" ".join(f"{x:.2f},{y:.2f}" for x, y in stroke)
        )
        for stroke in strokes
        if stroke
    )
    box = f"{left - pad:.2f} {top - pad:.2f} {width + 2 * pad:.2f} {height + 2 * pad:.2f}"
    return f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{box}">{paths}</svg>'.encode()


def letterhead_logo(overrides: Path | None) -> str:
    """``logo.png`` (or .jpg, .svg) when the workspace's print templates provide one."""
    if overrides is None:
        return ""
    for name in ("logo.svg", "logo.png", "logo.jpg", "logo.jpeg"):
        if (overrides / name).is_file():
            return name
    return ""


def _mark_assets(setter: Any, key: str, mark: SheetMark | None) -> dict[str, str]:
    """The signature images of one box, written into the compile folder: their file names."""
    out = {"signature": "", "signature_out": "", "caption": ""}
    if mark is None:
        return out
    out["caption"] = mark.caption
    if mark.image:
        out["signature"] = str(setter.add_asset(f"sig-{key}.{mark.image_type}", mark.image))
    elif mark.strokes:
        out["signature"] = str(setter.add_asset(f"sig-{key}.svg", strokes_svg(mark.strokes)))
    if mark.departure_strokes:
        out["signature_out"] = str(
            setter.add_asset(f"sig-{key}-out.svg", strokes_svg(mark.departure_strokes))
        )
    return out


def _sheet_rows(people: int, blank: int, trainers: int, mention: str) -> tuple[float, int]:
    """Row height (mm) and blank rows for a sheet: one page when the rows fit at a still
    comfortable height; otherwise roomy rows on several pages, and no blank row pushed alone
    onto a page of its own (mm figures follow ``sheet.typ``)."""
    strip = 30 + 12.5 * -(-max(trainers, 1) // 4) + (11 if mention else 0)
    room = 297 - 30 - strip - 62  # page, top margin, trainers' strip, heading and table head
    room -= 6 if blank else 0  # the "not on this sheet" separator row
    gap = 1.5  # cell padding

    def fits(height: float, rows: int) -> bool:
        return rows * (height + gap) <= room

    for height in (9.0, 8.0, 7.5):
        if fits(height, people + blank):
            return height, blank
    if fits(7.5, people):  # the expected people fit: keep the blank rows that still do
        return 7.5, max(0, int(room // (7.5 + gap)) - people)
    return 9.0, blank  # several pages anyway: roomy rows


def sheet_data(
    sheet: SheetText, setter: Any, *, logo: str = "", mention_logo: str = ""
) -> dict[str, Any]:
    """The JSON the ``sheet.typ`` template reads; signature images become files of ``setter``."""
    h = sheet.headers
    people = []
    for n, (name, role, where) in enumerate(sheet.participants, start=1):
        # rows added after the expected people (walk-ins) may have no id: no mark then
        ident = sheet.participant_ids[n - 1] if n <= len(sheet.participant_ids) else f"row-{n}"
        mark = sheet.marks.get(ident)
        people.append(
            {
                "n": n,
                "name": name,
                "role": role,
                "where": where,
                "pair": sheet.pair_of[n - 1] if n <= len(sheet.pair_of) else "",
                "arrival": mark.arrival if mark else "",
                "departure": mark.departure if mark else "",
                **_mark_assets(setter, f"{sheet.stem}-{n}", mark),
            }
        )
    trainers = []
    for index, (name, kind) in enumerate(sheet.trainers):
        ident = sheet.trainer_ids[index] if index < len(sheet.trainer_ids) else f"t{index}"
        trainers.append(
            {
                "name": name,
                "kind": kind,
                **_mark_assets(setter, f"{sheet.stem}-t{index}", sheet.marks.get(ident)),
            }
        )
    provider = dict(sheet.provider) or {
        "name": sheet.organisers,
        "address": "",
        "ids": "",
        "partners": sheet.funders,
    }
    provider["logo"] = logo
    row_height, blank_rows = _sheet_rows(
        len(people), sheet.blank_rows, len(trainers), sheet.mention
    )
    return {
        "programme": sheet.programme,
        "title": sheet.title,
        "facts": [list(f) for f in sheet.facts],
        "trainers": trainers,
        "people": people,
        "pairs": bool(sheet.pair_of),
        "blank_rows": blank_rows,
        "row_height": row_height,
        "headers": h,
        "footer": sheet.footer,
        "running_head": sheet.running_head,
        "strip_label": h.get("strip", ""),
        "page_label": h.get("page", "{page} / {pages}"),
        "privacy": sheet.privacy,
        "mention": {"text": sheet.mention, "logo": mention_logo},
        "provider": provider,
    }


def sheets_pdf(
    sheets: Sequence[SheetText],
    *,
    duplex: bool = False,
    workspace: Path | None = None,
) -> bytes:
    """One PDF of one or several sheets. ``duplex``: each sheet starts on a recto (a blank
    page is added after a sheet with an odd number of pages), ready to print double-sided.
    ``workspace``: where the letterhead override, its logo and the funder's logo are found."""
    from cotrain.files.exporters.typeset import Typesetter, overrides_folder
    from cotrain.i18n import get_language

    overrides = overrides_folder(workspace)
    with Typesetter(overrides) as setter:
        logo = letterhead_logo(overrides)
        mention_logo = ""
        if sheets and sheets[0].mention_logo and workspace is not None:
            source = workspace / sheets[0].mention_logo
            if source.is_file():
                mention_logo = setter.add_asset("mention" + source.suffix, source.read_bytes())
        data = {
            "lang": sheets[0].lang if sheets else get_language(),
            "title": sheets[0].title if len(sheets) == 1 else t("documents.sheets_title"),
            "duplex": duplex,
            "sheets": [sheet_data(s, setter, logo=logo, mention_logo=mention_logo) for s in sheets],
        }
        return setter.pdf("sheet.typ", data)


def sheet_pdf(sheet: SheetText, *, workspace: Path | None = None) -> bytes:
    """One sign-in sheet as an A4 PDF (Typst template ``sheet.typ``)."""
    return sheets_pdf([sheet], workspace=workspace)


@dataclass(frozen=True)
class SheetEntry:
    """A line of the index of sheets."""

    date: str
    half: str
    session: str
    group: str
    expected: int
    files: list[str]


def index_html(
    title: str,
    intro: str,
    entries: list[SheetEntry],
    *,
    lang: str,
    combined: Sequence[str] = (),
) -> str:
    e = html.escape
    head = "".join(
        f"<th>{e(t(key))}</th>"
        for key in (
            "outputs.col.date",
            "outputs.col.half",
            "outputs.col.title",
            "outputs.col.group",
            "outputs.col.expected",
            "outputs.col.files",
        )
    )
    rows = "".join(
        f"<tr><td>{e(x.date)}</td><td>{e(x.half)}</td><td>{e(x.session)}</td><td>{e(x.group)}</td>"
        f'<td class="number">{x.expected}</td><td>'
        + " · ".join(f'<a href="{e(name)}">{e(name)}</a>' for name in x.files)
        + "</td></tr>"
        for x in entries
    )
    together = ""
    if combined:
        links = " · ".join(f'<a href="{e(name)}">{e(name)}</a>' for name in combined)
        together = f'<p class="combined">{e(t("documents.combined_intro"))} {links}</p>\n'
    body = (
        f"<h1>{e(title)}</h1>\n<p>{e(intro)}</p>\n{together}"
        f'<table class="roster"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'
    )
    return page(title, body, lang=lang, css="roster.css")


# --- personal programmes (easy to read) ---------------------------------------------------


@dataclass(frozen=True)
class Block:
    heading: str
    lines: list[tuple[str, bool]]  # (text, bold)


@dataclass(frozen=True)
class ProgrammeText:
    """A personal programme in plain language: short sentences, one idea per line."""

    stem: str
    lang: str
    title: str
    blocks: list[Block]


def _plain(*texts: str) -> list[tuple[str, bool]]:
    return [(text, False) for text in texts if text]


def programme_text(config: Config, person: Participant, entries: list[Entry]) -> ProgrammeText:
    """Easy-to-read wording (FALC): the days first, the place, then each day in detail."""
    programme = config.programme
    manager = programme.manager or ", ".join(programme.organisers)
    days: dict[date, list[Entry]] = {}
    for entry in entries:
        days.setdefault(entry.session.spec.date, []).append(entry)

    blocks = [
        Block(
            "",
            _plain(
                t("outputs.falc_hello", name=person.name),
                t("outputs.falc_intro"),
                t("outputs.falc_name", programme=programme.name),
                t("outputs.falc_together"),
            ),
        )
    ]
    count_key = "outputs.falc_days_one" if len(days) == 1 else "outputs.falc_days"
    summary = [(t(count_key if days else "outputs.falc_none", count=len(days)), True)]
    for day, on_day in days.items():
        halves = {e.session.spec.half.value for e in on_day}
        moment = "am_pm" if halves == {"am", "pm"} else next(iter(halves))
        summary.append(
            (
                t(
                    "outputs.falc_day_line",
                    date=_capitalised(format_date(day, long=True)),
                    moment=t(f"outputs.falc_moment_{moment}"),
                ),
                False,
            )
        )
    blocks.append(Block(t("outputs.falc_when"), summary))
    blocks.append(Block(t("outputs.falc_where"), _plain(programme.site, programme.address)))
    for day, on_day in days.items():
        lines: list[tuple[str, bool]] = []
        for entry in on_day:
            view, group = entry.session, entry.group
            lines.append(
                (
                    t(
                        "outputs.falc_times",
                        half=t(f"outputs.falc_half_{view.spec.half.value}"),
                        start=spoken_time(view.start),
                        end=spoken_time(view.end),
                    ),
                    True,
                )
            )
            if group is not None:
                lines += _plain(t("outputs.falc_group", group=group_name(group)))
                room = group.room or view.spec.room
                if room:
                    lines += _plain(t("outputs.falc_room", room=room))
                if group.trainers:
                    names = _join_names([tr.name for tr in group.trainers])
                    lines += _plain(t("outputs.falc_with", names=names))
        blocks.append(Block(_capitalised(format_date(day, long=True)), lines))
    call = _plain(t("outputs.falc_call", manager=manager))
    if programme.manager_phone:
        call.append((t("outputs.falc_phone", phone=programme.manager_phone), True))
    call += _plain(t("outputs.falc_absent"))
    blocks.append(Block(t("outputs.falc_question"), call))
    blocks.append(Block("", _plain(t("outputs.falc_thanks"))))
    return ProgrammeText(
        stem=person.id, lang=get_language(), title=t("outputs.falc_title"), blocks=blocks
    )


def programme_html(text: ProgrammeText) -> str:
    e = html.escape
    parts = [f"<h1>{e(text.title)}</h1>"]
    for block in text.blocks:
        parts.append('<section class="block">')
        if block.heading:
            parts.append(f"<h2>{e(block.heading)}</h2>")
        parts.extend(
            f'<p class="strong">{e(line)}</p>' if bold else f"<p>{e(line)}</p>"
            for line, bold in block.lines
        )
        parts.append("</section>")
    body = '<article class="programme">\n' + "\n".join(parts) + "\n</article>"
    return page(text.title, body, lang=text.lang, css="programme.css")


def programme_pdf(text: ProgrammeText, *, workspace: Path | None = None) -> bytes:
    """The personal programme as an A4 PDF in large type (Typst template ``programme.typ``)."""
    from cotrain.files.exporters.typeset import Typesetter, overrides_folder

    data = {
        "lang": text.lang,
        "title": text.title,
        "blocks": [
            {
                "heading": block.heading,
                "lines": [{"text": line, "bold": bold} for line, bold in block.lines],
            }
            for block in text.blocks
        ],
    }
    with Typesetter(overrides_folder(workspace)) as setter:
        return setter.pdf("programme.typ", data)
