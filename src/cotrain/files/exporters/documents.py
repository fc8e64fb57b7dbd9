"""Printable documents: sign-in sheets (feuilles d'émargement) and personal programmes.

Each document is first put together as plain translated text (``SheetText``,
``ProgrammeText``), then rendered twice from that same text: as a self-contained HTML page
ready to print (print CSS, page breaks) and as an A4 PDF made with fpdf2. The PDF embeds the
DejaVu Sans font shipped in ``cotrain/fonts`` (free licence, see ``LICENSE-DejaVu.txt``) so
that every name prints: accents, apostrophes, œ, €, Greek, Cyrillic.

Sign-in sheets follow DOMAIN.md: programme title, organisers and funders, the date and the
half-day with its times, the place, the trainers of the group with a signature box each, every
expected participant with a signature box, and a footer saying what the sheet proves.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, time
from functools import cache
from importlib.resources import files
from typing import Any

from cotrain.domain.config import Config
from cotrain.domain.models import Participant
from cotrain.domain.timetable import Entry, GroupView, SessionView
from cotrain.i18n import format_date, get_language, t

FONT = "DejaVu"
_TEMPLATES = files("cotrain") / "templates" / "outputs"
_FONTS = files("cotrain") / "fonts"


# --- words -------------------------------------------------------------------------------


def spoken_time(value: time, *, lang: str | None = None) -> str:
    """A time as people say it: ``9 h 30``, ``14 h`` (fr); ``9:30 am``, ``2 pm`` (en)."""
    language = lang or get_language()
    if language == "fr":
        return f"{value.hour} h {value.minute:02d}" if value.minute else f"{value.hour} h"
    hour = value.hour % 12 or 12
    suffix = "am" if value.hour < 12 else "pm"
    return f"{hour}:{value.minute:02d} {suffix}" if value.minute else f"{hour} {suffix}"


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


# --- sign-in sheets ----------------------------------------------------------------------


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
    participants: list[tuple[str, str, str]]  # (name, role label, city or organisation)
    blank_rows: int
    footer: str
    running_head: str
    headers: dict[str, str] = field(default_factory=dict)


def sheet_stem(view: SessionView, group: GroupView) -> str:
    """``j1-matin_g2``: session id and group id, reduced to safe file-name characters."""

    def clean(text: str) -> str:
        return "".join(c if c.isascii() and (c.isalnum() or c in "-_") else "-" for c in text)

    return f"{clean(view.id)}_{clean(group.id)}"


def sheet_text(
    config: Config, view: SessionView, group: GroupView, *, blank_rows: int = 0
) -> SheetText:
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
        trainers=[(tr.name, t(f"trainer_kind.{tr.kind.value}")) for tr in group.trainers],
        participants=[(p.name, t(f"role.{p.role.value}"), where_from(p)) for p in group.members],
        blank_rows=blank_rows,
        footer=t("outputs.sheet_footer"),
        running_head=t(
            "outputs.sheet_running_head",
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
            "trainers": t("outputs.sheet_trainers", count=len(group.trainers)),
            "participants": t("outputs.sheet_participants", count=len(group.members)),
            "late": t("outputs.sheet_late"),
        },
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
    expected = [
        f'<tr><td class="number">{n}</td><td class="name">{e(name)}</td><td>{e(role)}</td>'
        f'<td>{e(where)}</td><td class="signature"></td></tr>'
        for n, (name, role, where) in enumerate(sheet.participants, start=1)
    ]
    start = len(sheet.participants) + 1
    blank = "<td></td>" * 3
    extra = [
        f'<tr class="blank"><td class="number">{n}</td>{blank}<td class="signature"></td></tr>'
        for n in range(start, start + sheet.blank_rows)
    ]
    if extra:
        extra.insert(0, f'<tr class="separator"><th colspan="5">{e(h["late"])}</th></tr>')

    def head(*cells: tuple[str, str]) -> str:
        return "".join(
            f'<th class="{css}">{e(h[key])}</th>' if css else f"<th>{e(h[key])}</th>"
            for key, css in cells
        )

    trainer_head = head(("name", ""), ("kind", ""), ("signature", "signature"))
    people_head = head(
        ("number", "number"), ("name", ""), ("role", ""), ("where", ""), ("signature", "signature")
    )
    body = f"""<article class="sheet">
<header class="heading">
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
<tfoot><tr><td colspan="5" class="proof">{e(sheet.footer)}</td></tr></tfoot>
</table>
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


def _new_pdf(footer: str, running_head: str, title: str) -> Any:
    import logging

    from fpdf import FPDF

    # fpdf2 logs the missing glyphs themselves, i.e. pieces of names: never log personal data.
    # Callers check printable() and tell the user which files to print from HTML instead.
    logging.getLogger("fpdf").setLevel(logging.ERROR)

    class Document(FPDF):
        def header(self) -> None:
            if self.page_no() > 1 and running_head:
                self.set_font(FONT, "", 8)
                self.set_text_color(90)
                self.cell(0, 5, running_head, new_x="LMARGIN", new_y="NEXT")
                self.set_text_color(0)
                self.ln(2)

        def footer(self) -> None:
            self.set_y(-17)
            self.set_font(FONT, "", 7.5)
            self.set_text_color(70)
            if footer:
                self.multi_cell(0, 3.4, footer, align="L", new_x="LMARGIN", new_y="NEXT")
            self.cell(0, 4, t("outputs.page", page=self.page_no(), pages="{nb}"), align="R")
            self.set_text_color(0)

    pdf = Document(format="A4", unit="mm")
    regular, bold = _font_paths()
    pdf.add_font(FONT, "", regular)
    pdf.add_font(FONT, "B", bold)
    pdf.set_margins(15, 14, 15)
    pdf.set_auto_page_break(True, margin=22)
    pdf.set_title(title)
    pdf.set_creator("cotrain")
    pdf.set_lang(get_language())
    return pdf


def _fit(pdf: Any, text: str, width: float, size: float, *, style: str = "") -> None:
    """Set a font size at which ``text`` fits ``width`` (down to 7 pt)."""
    pdf.set_font(FONT, style, size)
    while size > 7 and pdf.get_string_width(text) > width - 2:
        size -= 0.5
        pdf.set_font(FONT, style, size)


def _row(
    pdf: Any,
    widths: Sequence[float],
    cells: Sequence[str],
    height: float,
    *,
    bold: bool = False,
    fill: bool = False,
    size: float = 10,
) -> None:
    for width, text in zip(widths, cells, strict=True):
        _fit(pdf, text, width, size, style="B" if bold else "")
        pdf.cell(width, height, text, border=1, fill=fill, new_x="RIGHT", new_y="TOP")
    pdf.ln(height)


def _table(
    pdf: Any,
    widths: Sequence[float],
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    height: float,
    *,
    shade_from: int | None = None,
    shade_label: str = "",
    on_row: Callable[[int, float, float], None] | None = None,
) -> None:
    """A bordered table whose header row is repeated on every page it spans.

    ``on_row(index, top, height)`` is called after each row is drawn (signed sheets draw the
    signature into its box from there).
    """
    pdf.set_fill_color(230)
    _row(pdf, widths, header, 7, bold=True, fill=True, size=9)
    for index, cells in enumerate(rows):
        needed = height + (7 if index == shade_from else 0)
        if pdf.get_y() + needed > pdf.page_break_trigger:
            pdf.add_page()
            _row(pdf, widths, header, 7, bold=True, fill=True, size=9)
        if index == shade_from and shade_label:
            pdf.set_font(FONT, "B", 9)
            pdf.cell(
                sum(widths), 7, shade_label, border=1, fill=True, new_x="LMARGIN", new_y="NEXT"
            )
        _row(pdf, widths, cells, height)
        if on_row is not None:
            on_row(index, pdf.get_y() - height, height)


# Draws what was signed into a signature box: (pdf, "trainer" | "participant", row index,
# x, y, width, height). See cotrain.files.exporters.signed_sheet.
SignatureDrawer = Callable[[Any, str, int, float, float, float, float], None]


def _boxes(
    draw: SignatureDrawer | None, pdf: Any, kind: str, left: float
) -> Callable[[int, float, float], None] | None:
    """The row hook drawing into the signature column, which starts ``left`` mm in."""
    if draw is None:
        return None
    x, w = pdf.l_margin + left, pdf.epw - left

    def hook(index: int, top: float, height: float) -> None:
        where = (pdf.get_x(), pdf.get_y())
        draw(pdf, kind, index, x, top, w, height)
        pdf.set_xy(*where)  # the table goes on where it was

    return hook


def sheet_pdf(sheet: SheetText, *, signatures: SignatureDrawer | None = None) -> bytes:
    h = sheet.headers
    pdf = _new_pdf(
        sheet.footer,
        f"{sheet.title} – {sheet.running_head}",
        f"{sheet.title} – {sheet.running_head}",
    )
    pdf.add_page()
    width = pdf.epw
    pdf.set_font(FONT, "B", 12)
    pdf.multi_cell(0, 6, sheet.programme, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 9)
    for line in (sheet.organisers, sheet.funders):
        if line:
            pdf.multi_cell(0, 4.5, line, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font(FONT, "B", 17)
    pdf.cell(0, 10, sheet.title.upper(), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)
    for key, value in sheet.facts:
        pdf.set_font(FONT, "B", 10)
        pdf.cell(28, 6, key, new_x="RIGHT", new_y="TOP")
        pdf.set_font(FONT, "", 10)
        pdf.multi_cell(width - 28, 6, value, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)

    pdf.set_font(FONT, "B", 11)
    pdf.cell(0, 7, h["trainers"], new_x="LMARGIN", new_y="NEXT")
    _table(
        pdf,
        (55, 70, width - 125),
        (h["name"], h["kind"], h["signature"]),
        [(name, kind, "") for name, kind in sheet.trainers],
        13,
        on_row=_boxes(signatures, pdf, "trainer", 125),
    )
    pdf.ln(4)

    pdf.set_font(FONT, "B", 11)
    pdf.cell(0, 7, h["participants"], new_x="LMARGIN", new_y="NEXT")
    rows = [
        (str(n), name, role, where, "")
        for n, (name, role, where) in enumerate(sheet.participants, 1)
    ]
    start = len(rows) + 1
    rows += [(str(n), "", "", "", "") for n in range(start, start + sheet.blank_rows)]
    # One page when the rows fit at a still comfortable height; otherwise roomy rows on
    # several pages (a lone blank row on page 2 helps nobody).
    room_left = pdf.page_break_trigger - pdf.get_y() - 7 - (7 if sheet.blank_rows else 0)
    height = 10.5
    if len(rows) * 10.5 > room_left >= len(rows) * 8.5:
        height = room_left / len(rows)
    _table(
        pdf,
        (9, 52, 38, 33, width - 132),
        (h["number"], h["name"], h["role"], h["where"], h["signature"]),
        rows,
        height,
        shade_from=len(sheet.participants) if sheet.blank_rows else None,
        shade_label=h["late"],
        on_row=_boxes(signatures, pdf, "participant", 132),
    )
    return bytes(pdf.output())


@dataclass(frozen=True)
class SheetEntry:
    """A line of the index of sheets."""

    date: str
    half: str
    session: str
    group: str
    expected: int
    files: list[str]


def index_html(title: str, intro: str, entries: list[SheetEntry], *, lang: str) -> str:
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
    body = (
        f"<h1>{e(title)}</h1>\n<p>{e(intro)}</p>\n"
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


def programme_pdf(text: ProgrammeText) -> bytes:
    pdf = _new_pdf("", "", text.title)
    pdf.set_margins(22, 18, 22)
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_page()
    pdf.set_font(FONT, "B", 26)
    pdf.multi_cell(0, 13, text.title, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    for block in text.blocks:
        needed = (11 if block.heading else 0) + 9.5 * len(block.lines)
        if pdf.get_y() + needed > pdf.page_break_trigger:
            pdf.add_page()  # keep a day together on one page
        if block.heading:
            pdf.set_font(FONT, "B", 19)
            pdf.set_fill_color(235)
            pdf.cell(0, 11, block.heading, fill=True, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1)
        for number, (line, bold) in enumerate(block.lines):
            if bold and number:
                pdf.ln(2)
            pdf.set_font(FONT, "B" if bold else "", 16)
            pdf.multi_cell(0, 8.5, line, align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(5)
    return bytes(pdf.output())
