"""The programme as iCalendar (RFC 5545), for real calendar clients.

- Times are local to Europe/Paris, with a full VTIMEZONE definition (built by ``icalendar``
  from the tz database), so clients show them right whatever their own time zone.
- Each event's UID is derived from the programme, the session and the person (or trainer), so
  that importing a new export updates the events instead of duplicating them.
- DTSTAMP is the export time passed in by the caller (no clock here).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from cotrain.domain.config import Config
from cotrain.domain.timetable import Entry, SessionView, trainer_names
from cotrain.files.exporters.documents import group_name, place_of
from cotrain.i18n import t

TIMEZONE = "Europe/Paris"
PRODID = "-//cotrain//co-formation//FR"


def _slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-") or "programme"


def event_uid(config: Config, session_id: str, who: str = "") -> str:
    """``co-formation-2015.j1-matin.awa-diallo@cotrain``: stable across exports."""
    programme = _slug(config.programme.short_name or config.programme.name)
    return f"{programme}.{session_id}.{who or 'all'}@cotrain"


def _summary(view: SessionView, extra: str = "") -> str:
    kind = t(f"session_kind.{view.spec.kind.value}")
    parts = [view.spec.title, kind] if view.spec.title else [kind]
    if extra:
        parts.append(extra)
    return " – ".join(parts)


def _whole_description(view: SessionView) -> str:
    lines = []
    for group in view.groups:
        line = group_name(group)
        if group.members:
            line = t("outputs.ics_group_line", group=line, count=len(group.members))
        if group.trainers:
            line += " – " + t("outputs.ics_duo", names=trainer_names(group))
        lines.append(line)
    return "\n".join(lines)


def build_calendar(
    config: Config,
    views: list[SessionView],
    *,
    now: datetime,
    entries: list[Entry] | None = None,
    who: str = "",
    who_name: str = "",
    trainer_id: str = "",
) -> bytes:
    """The iCalendar bytes: every session of ``views``, or only ``entries`` for one person.

    ``who`` is the person's (or trainer's) id, used in UIDs; ``trainer_id`` marks a trainer's
    calendar (the description then names the co-trainer rather than the duo).
    """
    from icalendar import Calendar, Event, Timezone

    zone = ZoneInfo(TIMEZONE)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    name = config.programme.name + (f" – {who_name}" if who_name else "")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", TIMEZONE)

    chosen = entries if entries is not None else [Entry(session=v, group=None) for v in views]
    stamp = now.astimezone(ZoneInfo("UTC")) if now.tzinfo else now.replace(tzinfo=ZoneInfo("UTC"))
    dates = [e.session.spec.date for e in chosen]
    if dates:
        first = datetime.combine(min(dates), datetime.min.time()) - timedelta(days=1)
        last = datetime.combine(max(dates), datetime.min.time()) + timedelta(days=2)
        calendar.add_component(
            Timezone.from_tzid(TIMEZONE, first_date=first.date(), last_date=last.date())
        )
    for entry in chosen:
        view = entry.session
        event = Event()
        event.add("uid", event_uid(config, view.id, who))
        event.add("dtstamp", stamp)
        event.add("dtstart", datetime.combine(view.spec.date, view.start, tzinfo=zone))
        event.add("dtend", datetime.combine(view.spec.date, view.end, tzinfo=zone))
        if entries is None:
            event.add("summary", _summary(view))
            description = _whole_description(view)
            if description:
                event.add("description", description)
            event.add("location", place_of(config, view, None))
        else:
            extra = group_name(entry.group) if entry.group else ""
            event.add("summary", _summary(view, extra))
            description = _entry_description_for(entry, trainer_id)
            if description:
                event.add("description", description)
            event.add("location", place_of(config, view, entry.group))
        event.add("categories", [t(f"session_kind.{view.spec.kind.value}")])
        event.add("transp", "OPAQUE")
        calendar.add_component(event)
    return bytes(calendar.to_ical())


def _entry_description_for(entry: Entry, trainer_id: str) -> str:
    group = entry.group
    if group is None:
        return ""
    lines = [group_name(group)]
    if group.members:
        lines = [t("outputs.ics_your_group", group=lines[0], count=len(group.members))]
    if trainer_id:
        others = [tr.name for tr in group.trainers if tr.id != trainer_id]
        if others:
            lines.append(t("outputs.ics_with", names=" & ".join(others)))
    elif group.trainers:
        lines.append(t("outputs.ics_duo", names=trainer_names(group)))
    return "\n".join(lines)
