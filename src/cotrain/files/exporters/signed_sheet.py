"""The signed sign-in sheet (issue 14): the printed sheet's PDF with what was signed on a tablet.

The very same page as ``cotrain sheets`` prints (``documents.sheet_text`` and ``sheet_pdf``),
with, in each signature box, the signature drawn from its strokes, the times of signing in and
out, or the manager's mark; walk-ins are added as rows below the expected people; the footer
adds a verification line: the hash that closes the half-day in ``signatures.toml``, which
``cotrain attendance verify`` recomputes.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
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


def _footer(footer: str, state: SheetState) -> str:
    text = footer + "\n" + t("sign.pdf_verification", count=state.records, hash=state.head)
    if state.closed is None:
        text += " " + t("sign.pdf_not_closed")
    if state.closed is not None and state.closed.clock:
        text += " " + t("sign.pdf_simulated")
    return text


def _rows(group: GroupView, state: SheetState) -> tuple[list[str], list[PersonState]]:
    """The ids of the group's members still on its sheet, and the walk-ins added below."""
    extra = [p for p in state.group(group.id) if p.walk_in is not None]
    moved = {p.person_id for p in extra}
    here = {p.person_id for p in state.group(group.id)}
    kept = [m.id for m in group.members if m.id not in moved and m.id in here]
    return kept, extra


def signed_sheet_pdf(
    config: Config,
    view: SessionView,
    group: GroupView,
    state: SheetState,
    timing: Timing,
    *,
    workspace: Path | None = None,
) -> bytes:
    """The sheet of ``group`` at ``view`` with the signatures of ``state`` drawn in.

    Two sheet layouts are supported: the reworked sheet with its own signing hook
    (``documents.SheetMark``: times in their columns, signatures drawn by the template), and
    the original fpdf2 sheet, drawn into through ``sheet_pdf(..., signatures=...)``.
    """
    if hasattr(documents, "SheetMark"):
        return _with_sheet_marks(config, view, group, state, timing, workspace=workspace)
    return _with_drawer(config, view, group, state, timing)


def _with_sheet_marks(
    config: Config,
    view: SessionView,
    group: GroupView,
    state: SheetState,
    timing: Timing,
    *,
    workspace: Path | None,
) -> bytes:
    mark_type: Any = getattr(documents, "SheetMark")  # noqa: B009 - absent from older sheets
    marks = {}
    for person in state.group(group.id):
        arrival, departure = person.arrival, person.departure
        late = arrival is not None and person.signer != Signer.TRAINER and timing.is_late(
            arrival.at
        )
        marks[person.person_id] = mark_type(
            arrival=documents.spoken_time(arrival.at.time()) if arrival else "",
            departure=documents.spoken_time(departure.at.time()) if departure else "",
            strokes=_points(arrival),
            departure_strokes=_points(departure),
            caption=(t("sign.pdf_late") if late else "") if arrival else _caption(person, timing),
        )
    sheet: Any = documents.sheet_text(config, view, group, blank_rows=0, marks=marks)  # type: ignore[call-arg]
    kept, extra = _rows(group, state)
    by_id = dict(zip(sheet.participant_ids, sheet.participants, strict=True))
    pairs = dict(zip(sheet.participant_ids, sheet.pair_of, strict=False))
    ids = [pid for pid in sheet.participant_ids if pid in kept] + [p.person_id for p in extra]
    rows = [by_id[pid] for pid in ids if pid in by_id]
    rows += [(p.name, t("sign.pdf_walk_in"), "") for p in extra]
    sheet = replace(
        sheet,
        participants=rows,
        participant_ids=ids,
        pair_of=[pairs.get(pid, "") for pid in ids] if sheet.pair_of else [],
        footer=_footer(sheet.footer, state),
    )
    return documents.sheet_pdf(sheet, workspace=workspace)  # type: ignore[call-arg]


def _points(record: SignRecord | None) -> tuple[tuple[tuple[float, float], ...], ...]:
    if record is None:
        return ()
    return tuple(tuple((float(x), float(y)) for x, y in stroke)
                 for stroke in decode_strokes(record.strokes))


def _with_drawer(
    config: Config, view: SessionView, group: GroupView, state: SheetState, timing: Timing
) -> bytes:
    sheet = documents.sheet_text(config, view, group, blank_rows=0)
    people = {p.person_id: p for p in state.group(group.id)}
    kept, extra = _rows(group, state)
    rows = [row for row, m in zip(sheet.participants, group.members, strict=True) if m.id in kept]
    rows += [(p.name, t("sign.pdf_walk_in"), "") for p in extra]
    order = kept + [p.person_id for p in extra]
    sheet = replace(sheet, participants=rows, footer=_footer(sheet.footer, state))
    trainer_ids = [tr.id for tr in group.trainers]

    def draw(pdf: Any, kind: str, index: int, x: float, y: float, w: float, h: float) -> None:
        ids = trainer_ids if kind == "trainer" else order
        if index < len(ids):
            _box(pdf, people.get(ids[index]), timing, x, y, w, h)

    return documents.sheet_pdf(sheet, signatures=draw)
