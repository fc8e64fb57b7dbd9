"""The signed sign-in sheet (issue 14): the printed sheet's PDF with what was signed on a tablet.

The very same page as ``cotrain sheets`` prints (``documents.sheet_text`` and ``sheet_pdf``),
with, in each signature box, the signature drawn from its strokes, the times of signing in and
out, or the manager's mark; walk-ins are added as rows below the expected people; the footer
adds a verification line: the hash that closes the half-day in ``signatures.toml``, which
``cotrain attendance verify`` recomputes.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from cotrain.domain.config import Config
from cotrain.domain.signing import (
    PersonState,
    SheetState,
    Signer,
    SignRecord,
    Timing,
    decode_strokes,
    person_status,
)
from cotrain.domain.timetable import GroupView, SessionView
from cotrain.files.exporters import documents
from cotrain.i18n import t

INK = (20, 40, 140)  # a blue pen, told apart from the printed black at a glance


def _draw_strokes(pdf: Any, record: SignRecord, x: float, y: float, w: float, h: float) -> None:
    """Fit the signature (its bounding box, aspect kept) into the area and draw it."""
    strokes = decode_strokes(record.strokes)
    points = [p for stroke in strokes for p in stroke]
    if not points:
        return
    left = min(p[0] for p in points)
    top = min(p[1] for p in points)
    span_x = max(max(p[0] for p in points) - left, 1)
    span_y = max(max(p[1] for p in points) - top, 1)
    scale = min(w / span_x, h / span_y)
    off_x = x + (w - span_x * scale) / 2
    off_y = y + (h - span_y * scale) / 2
    pdf.set_draw_color(*INK)
    pdf.set_line_width(0.3)
    for stroke in strokes:
        mapped = [(off_x + (px - left) * scale, off_y + (py - top) * scale) for px, py in stroke]
        if len(mapped) == 1:
            (px, py) = mapped[0]
            mapped.append((px + 0.2, py))
        pdf.polyline(mapped)
    pdf.set_draw_color(0)
    pdf.set_line_width(0.2)


def _caption(person: PersonState, timing: Timing) -> str:
    arrival, departure = person.arrival, person.departure
    if arrival is None:
        if person.signer == Signer.TRAINER:
            return t("sign.pdf_not_signed")
        status = person_status(person, timing)
        return t(f"sign.pdf_{status.value}")
    late = person.signer != Signer.TRAINER and timing.is_late(arrival.at)
    text = t(
        "sign.pdf_arrived_late" if late else "sign.pdf_arrived",
        time=documents.spoken_time(arrival.at.time()),
    )
    if departure is not None:
        text += " · " + t("sign.pdf_left", time=documents.spoken_time(departure.at.time()))
    return text


def _box(pdf: Any, person: PersonState | None, timing: Timing, x: float, y: float, w: float,
         h: float) -> None:
    if person is None:
        return
    caption = _caption(person, timing)
    pad = 0.8
    text_h = 3.2
    area_h = h - text_h - pad * 2
    if person.arrival is not None:
        if person.departure is not None:
            half = (w - pad * 3) / 2
            _draw_strokes(pdf, person.arrival, x + pad, y + pad, half, area_h)
            _draw_strokes(pdf, person.departure, x + pad * 2 + half, y + pad, half, area_h)
        else:
            _draw_strokes(pdf, person.arrival, x + pad, y + pad, w - pad * 2, area_h)
        pdf.set_text_color(*INK)
    else:
        pdf.set_text_color(110)
    pdf.set_font(documents.FONT, "", 6.5)
    pdf.set_xy(x, y + h - text_h - 0.3)
    pdf.cell(w - pad, text_h, caption, align="R")
    pdf.set_text_color(0)


def signed_sheet_pdf(
    config: Config, view: SessionView, group: GroupView, state: SheetState, timing: Timing
) -> bytes:
    """The sheet of ``group`` at ``view`` with the signatures of ``state`` drawn in."""
    sheet = documents.sheet_text(config, view, group, blank_rows=0)
    people = {p.person_id: p for p in state.group(group.id)}
    member_ids = [m.id for m in group.members]
    extra = [p for p in state.group(group.id) if p.walk_in is not None]
    extra_ids = {p.person_id for p in extra}
    member_ids = [pid for pid in member_ids if pid not in extra_ids]
    rows = [row for row, m in zip(sheet.participants, group.members, strict=True)
            if m.id in member_ids]
    rows += [(p.name, t("sign.pdf_walk_in"), "") for p in extra]
    order = member_ids + [p.person_id for p in extra]
    footer = sheet.footer + "\n" + t(
        "sign.pdf_verification",
        count=state.records,
        hash=state.head,
    )
    if state.closed is None:
        footer += " " + t("sign.pdf_not_closed")
    if state.closed is not None and state.closed.clock:
        footer += " " + t("sign.pdf_simulated")
    sheet = replace(sheet, participants=rows, footer=footer)
    trainer_ids = [tr.id for tr in group.trainers]

    def draw(pdf: Any, kind: str, index: int, x: float, y: float, w: float, h: float) -> None:
        ids = trainer_ids if kind == "trainer" else order
        if index < len(ids):
            _box(pdf, people.get(ids[index]), timing, x, y, w, h)

    return documents.sheet_pdf(sheet, signatures=draw)

