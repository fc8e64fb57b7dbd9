"""The one family of user-facing errors.

Every error a user can cause is a ``CotrainError``: an already translated message, an optional
hint saying how to fix it, and a location (file, row, column, or a TOML key path / line).
Only ``cli/app.py`` catches them. Messages must never carry more personal data than the user
typed on the command line or than the faulty cell itself (see issue 6, privacy).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Location:
    """Where a problem lies: any of file, row (1-based, header = row 1), column, key path, line."""

    file: str | None = None
    row: int | None = None
    column: str | None = None
    key: str | None = None
    line: int | None = None

    def render(self) -> str:
        from cotrain.i18n import t

        parts: list[str] = []
        if self.file:
            parts.append(self.file)
        if self.line is not None:
            parts.append(t("location.line", line=self.line))
        if self.row is not None:
            parts.append(t("location.row", row=self.row))
        if self.column:
            parts.append(t("location.column", column=self.column))
        if self.key:
            parts.append(t("location.key", key=self.key))
        return ", ".join(parts)


# A file with thousands of bad rows would print thousands of lines: the first ones say
# enough to find the pattern, the count says how many more there are.
MAX_DETAILS_SHOWN = 50


class CotrainError(Exception):
    """A problem the user can fix. ``message`` and ``hint`` are already translated."""

    exit_code = 1

    def __init__(
        self,
        message: str,
        *,
        hint: str | None = None,
        location: Location | None = None,
        details: list[str] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.location = location
        self.details = details or []

    def render(self) -> str:
        """The full text shown to the user: location, message, details, hint."""
        from cotrain.i18n import t

        where = self.location.render() if self.location else ""
        head = t("error.at", where=where, message=self.message) if where else self.message
        shown = self.details[:MAX_DETAILS_SHOWN]
        lines = [head, *(f"  - {d}" for d in shown)]
        if len(self.details) > len(shown):
            lines.append(f"  {t('error.more', count=len(self.details) - len(shown))}")
        if self.hint:
            lines.append(t("error.hint", hint=self.hint))
        return "\n".join(lines)


class InputError(CotrainError):
    """A file or value given by the user is wrong (bad data: exit 1)."""


class WorkspaceError(CotrainError):
    """The workspace is missing, locked, damaged or from a newer version."""


class InfeasibleError(CotrainError):
    """The rules cannot all hold (schedule, selection...)."""


class UsageError(CotrainError):
    """The command line itself is wrong (bad usage: exit 2)."""

    exit_code = 2
