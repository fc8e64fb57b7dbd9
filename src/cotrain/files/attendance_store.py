"""``attendance.toml``: the marks by half-day and their corrections (issue 5).

Import this module wherever attendance is read or written: it registers the file kind, so that
``doctor`` and ``purge`` know it.
"""

from __future__ import annotations

import re
from typing import Any

from cotrain.domain.attendance import (
    ATTENDANCE_SCHEMA,
    STATUS_ORDER,
    AttendanceFile,
    clock_text,
)
from cotrain.files.store import FileSpec
from cotrain.files.workspace import Workspace, register


def _from_schema_1(data: dict[str, Any]) -> dict[str, Any]:
    """Schema 1 had no arrival or departure times: its marks stay as they are (issue 11)."""
    return data


ATTENDANCE = register(
    FileSpec(
        "attendance.toml",
        AttendanceFile,
        ATTENDANCE_SCHEMA,
        "attendance by half-day",
        migrations={1: _from_schema_1},
    )
)


def load_attendance(ws: Workspace) -> AttendanceFile:
    """The workspace's marks (an empty file when nothing was marked yet)."""
    return ws.load_or_default(ATTENDANCE, AttendanceFile)


def save_attendance(ws: Workspace, attendance: AttendanceFile, *, dry_run: bool = False) -> None:
    """Write ``attendance.toml`` atomically (see :func:`render_attendance` for the layout)."""
    if dry_run:
        return
    from cotrain import __version__
    from cotrain.i18n import t

    header = t(
        "workspace.file_header", description=ATTENDANCE.description, version=__version__, lang="en"
    )
    # Through the workspace: staged with the other files when a transaction is open.
    ws.write_text(ATTENDANCE.name, render_attendance(attendance, header=header))


_SAFE_ID = re.compile(r"[^\s']+")


def render_attendance(attendance: AttendanceFile, *, header: str = "") -> str:
    """The TOML text of ``attendance.toml``.

    Each status list of a session is a multi-line literal string holding one participant id
    per line, sorted; arrival and departure times (``arrived``, ``left``) hold one
    ``<id> <HH:MM>`` per line (see :mod:`cotrain.domain.attendance` for the data model)::

        [[sessions]]
        session_id = "j1-matin"
        present = '''
        awa-diallo
        joelle-kergoat
        '''

    tomllib reads such a string about ten times faster than an array of strings, which keeps a
    report over 100,000 marks within a second; the file stays easy to read, edit and diff.
    Hand-written arrays (``present = ["awa-diallo"]``) are read too. Corrections follow as
    ``[[corrections]]`` tables.
    """
    from cotrain.files.store import dump_toml

    parts = [dump_toml({"schema": attendance.schema_}, header=header)]
    for session in attendance.sessions:
        block = {"session_id": session.session_id}
        if session.updated_at is not None:
            block["updated_at"] = session.updated_at  # type: ignore[assignment]
        if session.source:
            block["source"] = session.source
        lines = ["", "[[sessions]]", dump_toml(block).rstrip("\n")]
        for status in STATUS_ORDER:
            ids = getattr(session, status.value)
            if not ids:
                continue
            if all(_SAFE_ID.fullmatch(i) for i in ids):
                lines.append(f"{status.value} = '''\n" + "\n".join(ids) + "\n'''")
            else:  # an id a literal string cannot hold: an ordinary array
                lines.append(dump_toml({status.value: ids}).rstrip("\n"))
        for name in ("arrived", "left"):
            times = getattr(session, name)
            if not times:
                continue
            if all(_SAFE_ID.fullmatch(i) for i in times):
                rows = "\n".join(f"{i} {clock_text(v)}" for i, v in times.items())
                lines.append(f"{name} = '''\n{rows}\n'''")
            else:  # an inline table: a [sessions.x] table would need its own header
                import json

                pairs = ", ".join(f'{json.dumps(i)} = "{clock_text(v)}"' for i, v in times.items())
                lines.append(f"{name} = {{ {pairs} }}")
        parts.append("\n".join(lines) + "\n")
    if attendance.corrections:
        corrections = [
            c.model_dump(mode="python", exclude_none=True) for c in attendance.corrections
        ]  # times serialise as "HH:MM" (Correction._clock)
        parts.append("\n" + dump_toml({"corrections": corrections}))
    return "".join(parts)


SECRET_NAME = ".cotrain-secret"


def workspace_secret(ws: Workspace) -> bytes:
    """The workspace's secret key for pseudonyms (created on first use, owner-only).

    Pseudonyms stay the same from one report to the next, and nobody without this file can
    recompute them from the ids (issue 6, privacy). Deleting it gives new pseudonyms.
    """
    import secrets

    from cotrain.files.store import atomic_write_bytes

    path = ws.path(SECRET_NAME)
    if path.is_file() and path.read_bytes().strip():
        return path.read_bytes().strip()
    with ws.lock():  # two first reports at once must agree on one secret
        if path.is_file() and path.read_bytes().strip():
            return path.read_bytes().strip()
        data = secrets.token_hex(32).encode()
        atomic_write_bytes(path, data + b"\n")
        return data
