"""The command now running (``purge``...), named in a change's journal (light: no imports).

A change a killed command left half-done is finished by the next command, which says which
command it was (« Une modification interrompue (purge) a été terminée. »).
"""

from __future__ import annotations

_COMMAND: list[str | None] = [None]


def set_command(name: str | None) -> None:
    _COMMAND[0] = name


def running_command() -> str | None:
    return _COMMAND[0]
