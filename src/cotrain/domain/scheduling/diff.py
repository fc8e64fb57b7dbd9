"""Who moved where between two schedules (``cotrain schedule diff OLD NEW``, re-planning)."""

from __future__ import annotations

from dataclasses import dataclass

from cotrain.domain.models import ScheduleFile


@dataclass(frozen=True)
class Move:
    """``who`` (a participant, or a trainer when ``kind == "trainer"``) changed group on
    ``session``: from ``before`` to ``after`` (None: not there)."""

    who: str
    session: str
    before: str | None
    after: str | None
    kind: str = "person"

    def as_dict(self) -> dict[str, object]:
        return {
            "who": self.who,
            "kind": self.kind,
            "session": self.session,
            "before": self.before,
            "after": self.after,
        }


def _where(schedule: ScheduleFile, field: str) -> dict[str, dict[str, str]]:
    """session id -> person (or trainer) -> group ids (joined, sorted)."""
    out: dict[str, dict[str, list[str]]] = {}
    for session in schedule.sessions:
        seats = out.setdefault(session.session_id, {})
        for group in session.groups:
            for who in getattr(group, field):
                seats.setdefault(who, []).append(group.id)
    return {
        sid: {who: ", ".join(sorted(g)) for who, g in seats.items()} for sid, seats in out.items()
    }


def diff_schedules(old: ScheduleFile, new: ScheduleFile) -> list[Move]:
    """Every participant and trainer whose group differs, in the new plan's session order
    (sessions only in the old plan last), people before trainers, by id."""
    order = [s.session_id for s in new.sessions]
    order += [s.session_id for s in old.sessions if s.session_id not in order]
    moves: list[Move] = []
    for kind, field in (("person", "members"), ("trainer", "trainers")):
        before, after = _where(old, field), _where(new, field)
        for sid in order:
            b, a = before.get(sid, {}), after.get(sid, {})
            for who in sorted(set(b) | set(a)):
                if b.get(who) != a.get(who):
                    moves.append(Move(who, sid, b.get(who), a.get(who), kind))
    rank = {sid: i for i, sid in enumerate(order)}
    return sorted(moves, key=lambda m: (m.kind != "person", rank[m.session], m.who))
