"""``attendance.toml``: the marks by half-day and their corrections (issue 5).

Import this module wherever attendance is read or written: it registers the file kind, so that
``doctor`` and ``purge`` know it.
"""

from __future__ import annotations

from cotrain.domain.attendance import ATTENDANCE_SCHEMA, AttendanceFile
from cotrain.files.store import FileSpec
from cotrain.files.workspace import Workspace, register

ATTENDANCE = register(
    FileSpec("attendance.toml", AttendanceFile, ATTENDANCE_SCHEMA, "attendance by half-day")
)


def load_attendance(ws: Workspace) -> AttendanceFile:
    """The workspace's marks (an empty file when nothing was marked yet)."""
    return ws.load_or_default(ATTENDANCE, AttendanceFile)


def save_attendance(ws: Workspace, attendance: AttendanceFile, *, dry_run: bool = False) -> None:
    ws.save(ATTENDANCE, attendance, dry_run=dry_run)


SECRET_NAME = ".cotrain-secret"


def workspace_secret(ws: Workspace) -> bytes:
    """The workspace's secret key for pseudonyms (created on first use, owner-only).

    Pseudonyms stay the same from one report to the next, and nobody without this file can
    recompute them from the ids (issue 6, privacy). Deleting it gives new pseudonyms.
    """
    import secrets

    from cotrain.files.store import atomic_write_bytes

    path = ws.path(SECRET_NAME)
    if path.is_file():
        data = path.read_bytes().strip()
        if data:
            return data
    data = secrets.token_hex(32).encode()
    atomic_write_bytes(path, data + b"\n")
    return data
