"""The half-day's sign-in desk (issue 14): what the page asks for, and what closing writes.

One ``SignDesk`` per ``cotrain sign`` run. It owns the expected people of each group, the
clock, and the workspace; every event goes through :mod:`cotrain.domain.signing` for its rules
and through the workspace lock and atomic writes for its record. The web server
(``cli/sign_server.py``) and ``cotrain sign --close`` both talk to it.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from cotrain.domain.attendance import Mark, PersonLookup, record_marks
from cotrain.domain.config import Config
from cotrain.domain.models import Participant, ScheduleFile
from cotrain.domain.signing import (
    RecordKind,
    Roster,
    SheetState,
    SignatureLog,
    Signer,
    Timing,
    append_record,
    check_event,
    encode_strokes,
    sheet_marks,
    sheet_state,
)
from cotrain.domain.timetable import GroupView, SessionView
from cotrain.errors import InputError
from cotrain.files.attendance_store import load_attendance, save_attendance
from cotrain.files.signing_store import SIGNATURES, load_signatures
from cotrain.files.workspace import Workspace
from cotrain.i18n import format_date, t


class Clock:
    """The time of signing: the computer's clock, or ``COTRAIN_NOW`` for tests and training.

    ``COTRAIN_NOW=2015-01-22T09:20`` freezes the clock at that instant; ``COTRAIN_NOW=@FILE``
    reads the instant from FILE at each call. Records made under it say ``clock = "simulated"``
    and the signed sheet says so too: they can never pass for real times.
    """

    def __init__(self, setting: str | None = None) -> None:
        self.setting = os.environ.get("COTRAIN_NOW", "") if setting is None else setting

    @property
    def simulated(self) -> bool:
        return bool(self.setting)

    def now(self) -> datetime:
        if not self.setting:
            return datetime.now().replace(microsecond=0)
        text = self.setting
        if text.startswith("@"):
            text = Path(text[1:]).read_text(encoding="utf-8").strip()
        try:
            return datetime.fromisoformat(text).replace(microsecond=0, tzinfo=None)
        except ValueError:
            raise InputError(t("sign.bad_clock", value=text)) from None


@dataclass(frozen=True)
class Closing:
    """What closing changed: marks added/changed, walk-ins without a mark, PDFs written."""

    added: int
    changed: int
    unmarked: list[str]
    files: list[Path]
    already: bool


class SignDesk:
    """The sheets of one half-day: its groups, the log's state, the events and the closing."""

    def __init__(
        self,
        ws: Workspace,
        *,
        view: SessionView,
        groups: list[GroupView],
        participants: list[Participant],
        schedule: ScheduleFile,
        clock: Clock,
        grace: timedelta = timedelta(0),
        pdf_dir: Path | None = None,
    ) -> None:
        self.ws = ws
        self.config: Config = ws.config
        self.view = view
        self.groups = {g.id: g for g in groups}
        self.participants = participants
        self.expected = schedule.expected().get(view.id, set())
        self.all_expected = schedule.expected()
        self.clock = clock
        self.timing = Timing(view.spec.date, view.start, view.end, grace)
        self.pdf_dir = pdf_dir or ws.root / "feuilles-signees"
        self.roster = Roster(
            {
                g.id: (
                    [(tr.id, tr.name) for tr in g.trainers],
                    [(m.id, m.name) for m in g.members],
                )
                for g in groups
            }
        )
        self._mutex = threading.Lock()  # one event at a time inside this process
        self._reading = threading.Lock()  # the cached log, shared by the request threads
        self._log: SignatureLog | None = None
        self._stamp: tuple[int, int] | None = None

    # --- reading ---------------------------------------------------------------------------

    def _current_log(self) -> SignatureLog:
        """The log, re-read only when the file changed (tablets poll every two seconds)."""
        path = self.ws.path(SIGNATURES.name)
        with self._reading:
            try:
                info = path.stat()
                stamp: tuple[int, int] | None = (info.st_mtime_ns, info.st_size)
            except FileNotFoundError:
                stamp = None
            if self._log is None or stamp != self._stamp:
                self._log = load_signatures(self.ws)
                self._stamp = stamp
            return self._log

    def state(self) -> SheetState:
        return sheet_state(self._current_log(), self.view.id, self.roster)

    # --- events ----------------------------------------------------------------------------

    def _append(self, kind: RecordKind, check: Any, **fields: object) -> Any:
        """Under the workspace lock: re-read, check against the fresh state, append, save."""
        with self._mutex, self.ws.lock():
            log = load_signatures(self.ws)
            state = sheet_state(log, self.view.id, self.roster)
            extra = check(state) or {}
            log, record = append_record(
                log,
                at=self.clock.now(),
                session_id=self.view.id,
                kind=kind,
                clock="simulated" if self.clock.simulated else "",
                **fields,
                **extra,
            )
            self.ws.save(SIGNATURES, log)
            with self._reading:
                self._log, self._stamp = None, None
        return record

    def sign(
        self, group_id: str, person_id: str, *, leaving: bool, strokes: object, width: object,
        height: object,
    ) -> Any:
        """A signature confirmed on a page: arriving, or leaving before the end."""
        text, w, h = encode_strokes(strokes, width, height)
        kind = RecordKind.LEAVE if leaving else RecordKind.ARRIVE

        def check(state: SheetState) -> dict[str, object]:
            person = check_event(state, kind=kind, group_id=group_id, person_id=person_id)
            assert person is not None
            return {"name": person.name, "signer": person.signer.value}

        return self._append(
            kind, check, group_id=group_id, person_id=person_id, width=w, height=h, strokes=text
        )

    def mark(self, group_id: str, person_id: str, status: str) -> Any:
        """The manager marks someone absent or excused ("" clears the mark)."""

        def check(state: SheetState) -> dict[str, object]:
            person = check_event(
                state, kind=RecordKind.MARK, group_id=group_id, person_id=person_id, status=status
            )
            assert person is not None
            return {"name": person.name}

        return self._append(
            RecordKind.MARK, check, group_id=group_id, person_id=person_id, status=status
        )

    def walk_in(self, group_id: str, name: str) -> Any:
        """The manager adds a person: a participant expected at this half-day in another group
        (or in none) is found by name; anyone else signs as a guest, without a mark."""
        name = " ".join(name.split())
        if not name or len(name) > 120:
            raise InputError(t("sign.walk_in_name"))
        if group_id not in self.groups:
            raise InputError(t("sign.not_on_sheet"))
        try:
            person = PersonLookup(self.participants).find(name)
            pid, shown, signer = person.id, person.name, Signer.PARTICIPANT
        except InputError:
            pid, shown, signer = "", name, Signer.GUEST

        def check(state: SheetState) -> dict[str, object]:
            check_event(state, kind=RecordKind.WALK_IN, group_id=group_id)
            if pid and state.person(group_id, pid) is not None:
                raise InputError(t("sign.already_on_sheet"))
            guests = sum(1 for p in state.people.values() if p.signer == Signer.GUEST)
            return {"person_id": pid or f"guest-{guests + 1}"}

        return self._append(
            RecordKind.WALK_IN, check, group_id=group_id, name=shown, signer=signer.value
        )

    def correct(self, seq: int, reason: str) -> Any:
        """The manager cancels a signature or a mark; the cancelled record stays in the log."""
        reason = " ".join(reason.split())
        if not reason:
            raise InputError(t("sign.reason_needed"))

        def check(state: SheetState) -> dict[str, object]:
            if state.closed is not None:
                raise InputError(t("sign.closed"))
            for person in state.people.values():
                for record in (person.arrival, person.departure, person.mark):
                    if record is not None and record.seq == seq:
                        return {
                            "group_id": person.group_id,
                            "person_id": person.person_id,
                            "name": person.name,
                        }
            raise InputError(t("sign.nothing_to_correct"))

        return self._append(RecordKind.CORRECT, check, replaces=seq, reason=reason[:300])

    # --- closing ---------------------------------------------------------------------------

    def close(self, *, write_pdfs: bool = True) -> Closing:
        """Close the half-day (once), record its attendance marks, write the signed sheets.

        Closing an already closed half-day records nothing new and writes the sheets again.
        """
        from cotrain.files.exporters.documents import spoken_time

        if self.clock.now() < self.timing.starts_at:
            raise InputError(
                t(
                    "sign.close_before_start",
                    session=self.view.id,
                    time=spoken_time(self.timing.start),
                )
            )
        with self._mutex, self.ws.lock():
            log = load_signatures(self.ws)
            state = sheet_state(log, self.view.id, self.roster)
            already = state.closed is not None
            now = self.clock.now()
            if not already:
                log, _ = append_record(
                    log,
                    at=now,
                    session_id=self.view.id,
                    kind=RecordKind.CLOSE,
                    clock="simulated" if self.clock.simulated else "",
                )
                state = sheet_state(log, self.view.id, self.roster)
            found, unmarked = sheet_marks(state, self.timing, expected=self.expected)
            marks = [
                Mark(self.view.id, pid, mark.status, arrived=mark.arrived, left=mark.left)
                for pid, mark in sorted(found.items())
            ]
            # Checked before anything is written: closing before the half-day has begun (or
            # any mark attendance refuses) leaves the sheet open and both files as they were.
            result = record_marks(
                load_attendance(self.ws),
                marks,
                config=self.config,
                expected=self.all_expected,
                now=now,
                reason=t("sign.mark_reason"),
                source="sign",
            )
            if not already:
                self.ws.save(SIGNATURES, log)
            if result.has_changes:
                save_attendance(self.ws, result.attendance)
            self._log, self._stamp = None, None
        files = self.write_pdfs(state) if write_pdfs else []
        return Closing(
            added=result.added,
            changed=result.changed,
            unmarked=[p.name for p in unmarked],
            files=files,
            already=already,
        )

    def write_pdfs(self, state: SheetState | None = None) -> list[Path]:
        from cotrain.files.exporters.documents import sheet_stem
        from cotrain.files.exporters.signed_sheet import signed_sheet_pdf
        from cotrain.files.store import atomic_write_bytes, ensure_dir, safe_output_path

        state = state or self.state()
        ensure_dir(self.pdf_dir)
        written = []
        for group in self.groups.values():
            path = safe_output_path(self.pdf_dir, f"{sheet_stem(self.view, group)}.pdf")
            data = signed_sheet_pdf(
                self.config, self.view, group, state, self.timing, workspace=self.ws.root
            )
            atomic_write_bytes(path, data)
            written.append(path)
        return written

    # --- what the page shows ---------------------------------------------------------------

    def page_state(self) -> dict[str, Any]:
        """The sheet as JSON for the page: names and what happened, nothing else."""
        from cotrain.files.exporters.documents import group_name
        from cotrain.files.exporters.documents import spoken_time as spoken

        def spoken_time(value: Any) -> str:
            return spoken(value).replace(" ", "\u00a0")  # "9 h 30" never split on a page

        state = self.state()

        def person(p: Any) -> dict[str, Any]:
            arrival, departure, mark = p.arrival, p.departure, p.mark
            return {
                "id": p.person_id,
                "name": p.name,
                "trainer": p.signer == Signer.TRAINER,
                "guest": p.signer == Signer.GUEST,
                "walk_in": p.walk_in is not None,
                "arrived": spoken_time(arrival.at.time()) if arrival else None,
                "arrival_seq": arrival.seq if arrival else 0,
                "late": bool(
                    arrival and p.signer != Signer.TRAINER and self.timing.is_late(arrival.at)
                ),
                "left": spoken_time(departure.at.time()) if departure else None,
                "departure_seq": departure.seq if departure else 0,
                "mark": mark.status if mark else None,
                "mark_seq": mark.seq if mark else 0,
            }

        groups = []
        for group in self.groups.values():
            people = state.group(group.id)
            groups.append(
                {
                    "id": group.id,
                    "label": group_name(group),
                    "room": group.room or self.view.spec.room,
                    "trainers": [person(p) for p in people if p.signer == Signer.TRAINER],
                    "people": [person(p) for p in people if p.signer != Signer.TRAINER],
                }
            )
        now = self.clock.now()
        return {
            "version": state.records,
            "closed": state.closed is not None,
            "now": spoken_time(now.time()),
            "session": {
                "id": self.view.id,
                "date": format_date(self.view.spec.date, long=True),
                "half": t(f"half.{self.view.spec.half.value}"),
                "times": f"{spoken_time(self.view.start)} – {spoken_time(self.view.end)}",
                "title": self.view.spec.title,
            },
            "groups": groups,
        }


def session_under_way(config: Config, now: datetime, *, early: timedelta) -> str | None:
    """The id of the half-day counting for attendance under way at ``now`` (from ``early``
    before its start to its end), or None."""
    for spec in config.plan.trainee_sessions:
        start, end = config.plan.times(spec)
        if spec.date != now.date():
            continue
        if datetime.combine(spec.date, start) - early <= now <= datetime.combine(spec.date, end):
            return spec.id
    return None


def today_sessions(config: Config, day: date) -> list[str]:
    return [s.id for s in config.plan.trainee_sessions if s.date == day]
