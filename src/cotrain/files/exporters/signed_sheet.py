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

    The printed sheet's own signing hook (``documents.SheetMark``): times in their columns,
    signatures drawn by the template in each person's box.
    """
    marks: dict[str, documents.SheetMark] = {}
    for person in state.group(group.id):
        arrival, departure = person.arrival, person.departure
        late = arrival is not None and person.signer != Signer.TRAINER and timing.is_late(
            arrival.at
        )
        marks[person.person_id] = documents.SheetMark(
            arrival=documents.spoken_time(arrival.at.time()) if arrival else "",
            departure=documents.spoken_time(departure.at.time()) if departure else "",
            strokes=_points(arrival),
            departure_strokes=_points(departure),
            caption=(t("sign.pdf_late") if late else "") if arrival else _caption(person, timing),
        )
    sheet = documents.sheet_text(config, view, group, blank_rows=0, marks=marks)
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
    return documents.sheet_pdf(sheet, workspace=workspace)


def _points(record: SignRecord | None) -> tuple[tuple[tuple[float, float], ...], ...]:
    if record is None:
        return ()
    return tuple(tuple((float(x), float(y)) for x, y in stroke)
                 for stroke in decode_strokes(record.strokes))
