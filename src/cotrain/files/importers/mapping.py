"""Write an ``[import.columns]`` mapping into ``cotrain.toml`` (``cotrain import --suggest
--write``, issue 16), keeping the file's comments and order: lines are inserted under an
existing ``[import.columns]`` table, or the table is added at the end."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

from cotrain.errors import InputError, Location
from cotrain.files.store import atomic_write_text
from cotrain.i18n import t

_TABLE = re.compile(r"^\s*\[\s*import\s*\.\s*columns\s*\]\s*(#.*)?$", re.MULTILINE)


def write_mapping(
    path: Path,
    entries: list[tuple[str, str]],
    *,
    reasons: dict[str, str] | None = None,
    replace: set[str] | None = None,
    comments: list[str] | None = None,
    dry_run: bool = False,
) -> int:
    """Add ``header = field`` lines not already mapped (those in ``replace`` are rewritten in
    place) and the commented ``comments`` lines; returns how many lines were written."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        raise InputError(t("forms.no_config", file=str(path))) from None
    try:
        current = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(
            t("intake.bad_toml", reason=str(exc)), location=Location(file=path.name)
        ) from None
    section = current.get("import", {})
    columns = section.get("columns", {}) if isinstance(section, dict) else {}
    reasons = reasons or {}
    lines = []
    rewritten = 0
    for header, target in entries:
        line = f"{json.dumps(header, ensure_ascii=False)} = {json.dumps(target)}"
        if reasons.get(header):
            line += f"  # {reasons[header]}"
        if header in columns:
            if header not in (replace or set()) or columns[header] == target:
                continue
            key = re.escape(json.dumps(header, ensure_ascii=False))
            existing = re.compile(rf"^[ \t]*{key}[ \t]*=.*$", re.MULTILINE)
            spans = list(existing.finditer(text))
            if len(spans) != 1:
                continue  # written another way (quotes, inline table): left to the user
            text = text[: spans[0].start()] + line + text[spans[0].end() :]
            rewritten += 1
            continue
        lines.append(line)
    lines += comments or []
    if not lines and not rewritten:
        return 0
    found = _TABLE.search(text)
    if not lines:
        updated = text
    elif found:
        end = found.end()
        updated = text[:end] + "\n" + "\n".join(lines) + text[end:]
    else:
        updated = text.rstrip("\n") + "\n\n[import.columns]\n" + "\n".join(lines) + "\n"
    try:
        tomllib.loads(updated)
    except tomllib.TOMLDecodeError:  # e.g. columns given inline: let the user paste it
        raise InputError(
            t("forms.cannot_write_mapping", file=path.name), hint=t("forms.suggest_how")
        ) from None
    if not dry_run:
        atomic_write_text(path, updated)
    return len(lines) + rewritten
