"""Where a key is written in a TOML text, and pydantic's problems as sentences (issue 15).

tomllib gives no positions, so :func:`line_of` scans the text: table headers (``[a.b]``,
``[[a.b]]`` counted per array), dotted and quoted keys, multi-line strings and arrays skipped.
:func:`describe` turns one pydantic problem into one translated sentence naming the key, the
value, the allowed values and the closest valid key or value.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from enum import Enum
from typing import Any, get_args, get_origin

from pydantic import BaseModel

from cotrain.i18n import t

Loc = tuple[int | str, ...]

_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")
_KEY = re.compile(
    r"^\s*((?:\"[^\"]*\"|'[^']*'|[A-Za-z0-9_-]+)(?:\s*\.\s*(?:\"[^\"]*\"|'[^']*'|[A-Za-z0-9_-]+))*)\s*="
)


def _split_key(text: str) -> list[str]:
    parts = re.findall(r"\"([^\"]*)\"|'([^']*)'|([A-Za-z0-9_-]+)", text)
    return [a or b or c for a, b, c in parts]


def key_lines(text: str) -> dict[Loc, int]:
    """Every table and key of the TOML ``text`` with its line (1-based), by its path: array
    tables carry their index (``("plan", "sessions", 3, "kind")``, 0-based)."""
    out: dict[Loc, int] = {}
    counts: dict[Loc, int] = {}
    current: Loc = ()
    in_multiline = ""
    depth = 0  # open brackets of a multi-line array or inline table
    for number, line in enumerate(text.splitlines(), start=1):
        if in_multiline:
            if line.count(in_multiline) % 2 == 1:
                in_multiline = ""
            continue
        if depth:
            depth += line.count("[") + line.count("{") - line.count("]") - line.count("}")
            depth = max(depth, 0)
            continue
        header = _HEADER.match(line)
        if header and not _KEY.match(line):
            names = tuple(_split_key(header.group(2)))
            if header.group(1) == "[[":
                base = (*_resolve(names[:-1], counts), names[-1])
                index = counts.get(base, -1) + 1
                counts[base] = index
                current = (*base, index)
            else:
                current = _resolve(names, counts)
            out.setdefault(current, number)
            continue
        key = _KEY.match(line)
        if key:
            path = (*current, *_split_key(key.group(1)))
            out.setdefault(path, number)
            rest = line[key.end() :]
            for quote in ('"""', "'''"):
                if rest.count(quote) == 1:
                    in_multiline = quote
            if not in_multiline:
                value = re.sub(r"\"(?:[^\"\\]|\\.)*\"|'[^']*'", "", rest.split("#")[0])
                depth = max(
                    value.count("[") + value.count("{") - value.count("]") - value.count("}"), 0
                )
    return out


def _resolve(names: tuple[str, ...], counts: dict[Loc, int]) -> Loc:
    """A header path with the current index of every array table it goes through."""
    out: Loc = ()
    for name in names:
        out = (*out, name)
        if out in counts:
            out = (*out, counts[out])
    return out


def line_of(text: str, loc: Sequence[int | str]) -> int | None:
    """The line where ``loc`` (pydantic's path) is written, else its nearest written parent."""
    lines = key_lines(text)
    path = tuple(loc)
    while path:
        if path in lines:
            return lines[path]
        path = path[:-1]
    return None


# --------------------------------------------------------------------------- sentences


def closest(word: str, choices: Sequence[str]) -> str | None:
    """The valid key or value the user most likely meant: a near spelling, else the one
    choice that starts with (or contains) what was written (``mixed`` -> ``mixed_groups``)."""
    found = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    if found:
        return found[0]
    if len(word) >= 3:
        holding = [c for c in choices if c.startswith(word)] or [c for c in choices if word in c]
        if len(holding) == 1:
            return holding[0]
    return None


# The words the French interface uses for a value the file writes in English (finding F9):
# « matin » is meant as ``am``, « groupes croisés » as ``mixed_groups``.
_WORDS = {
    "matin": "am",
    "apresmidi": "pm",
    "soir": "pm",
    "groupescroises": "mixed_groups",
    "groupecroise": "mixed_groups",
    "croises": "mixed_groups",
    "groupesdepairs": "peer_groups",
    "entrepairs": "peer_groups",
    "binomes": "pairs",
    "pleniere": "plenary",
    "restitution": "closing",
    "cloture": "closing",
    "individuel": "individual",
    "reuniondesformateurs": "trainers_meeting",
    "debriefing": "trainers_meeting",
    "formateur": "professional_trainer",
    "formatrice": "professional_trainer",
    "coformateur": "co_trainer",
    "coformatrice": "co_trainer",
    "binome": "duos",
    "binomes_animation": "duos",
    "militants": "activists",
    "referent": "referents",
    "varie": "varied",
    "stables": "stable",
}


def _word_for(value: str, choices: Sequence[str]) -> str | None:
    import unicodedata

    plain = unicodedata.normalize("NFKD", value.casefold())
    key = "".join(c for c in plain if c.isalnum())
    found = _WORDS.get(key)
    return found if found in choices else None


def model_at(model: type[BaseModel], loc: Sequence[int | str]) -> type[BaseModel] | None:
    """The pydantic model class holding the last key of ``loc`` (for its valid keys)."""
    current: Any = model
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        if isinstance(current, type) and issubclass(current, BaseModel):
            field = _field(current, part)
            if field is None:
                return None
            current = _inner(field.annotation)
        else:
            current = _inner(_value_type(current))
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _field(model: type[BaseModel], name: str) -> Any:
    for field_name, field in model.model_fields.items():
        if name in (field_name, field.alias):
            return field
    return None


def _value_type(annotation: Any) -> Any:
    args = get_args(annotation)
    return args[-1] if args else annotation


def _inner(annotation: Any) -> Any:
    """The model inside ``list[X]``, ``dict[K, X]``, ``X | None``; else the annotation."""
    seen = 0
    while get_origin(annotation) is not None and seen < 5:
        args = [a for a in get_args(annotation) if a is not type(None)]
        if not args:
            break
        annotation = args[-1] if get_origin(annotation) is dict else args[0]
        seen += 1
    return annotation


def keys_of(model: type[BaseModel]) -> list[str]:
    return [field.alias or name for name, field in model.model_fields.items()]


def describe(problem: dict[str, Any], root: type[BaseModel]) -> str:
    """One pydantic problem as one sentence: key, value, what is allowed, the closest."""
    loc = tuple(problem["loc"])
    key = str(loc[-1]) if loc else "?"
    kind = problem["type"]
    value = problem.get("input")
    ctx = problem.get("ctx") or {}
    shown = _show(value)
    if kind == "extra_forbidden":
        holder = model_at(root, loc)
        keys = keys_of(holder) if holder else []
        near = closest(key, keys)
        if near:
            return t("toml.unknown_key_near", key=key, choice=near)
        return t("toml.unknown_key", key=key, keys=", ".join(keys))
    if kind == "enum":
        expected = _expected(loc, root) or str(ctx.get("expected", ""))
        choices = [c.strip(" '") for c in re.split(r",| or | ou ", expected) if c.strip(" '")]
        near = closest(str(value), choices) or _word_for(str(value), choices)
        name = "toml.not_allowed_near" if near else "toml.not_allowed"
        return t(name, key=key, value=shown, allowed=", ".join(choices), choice=near)
    if kind == "missing":
        return t("toml.missing", key=key)
    if kind == "duplicate_id":
        return t("toml.duplicate_id", key=key, value=shown)
    if kind == "int_from_float":
        return t("toml.integer", key=key, value=shown)
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        return t(f"toml.{kind}", key=key, value=shown, limit=ctx.get(_limit_key(kind), ""))
    if kind == "string_pattern_mismatch":
        return t("toml.pattern", key=key, value=shown, pattern=ctx.get("pattern", ""))
    if kind in (
        "int_parsing",
        "int_type",
        "int_from_float",
        "decimal_parsing",
        "decimal_type",
        "float_parsing",
    ):
        return t("toml.number", key=key, value=shown)
    if kind in ("bool_parsing", "bool_type"):
        return t("toml.boolean", key=key, value=shown)
    if kind in ("date_parsing", "date_type", "date_from_datetime_parsing"):
        return t("toml.date", key=key, value=shown)
    if kind in ("time_parsing", "time_type"):
        return t("toml.time", key=key, value=shown)
    if kind in ("string_type",):
        return t("toml.text", key=key, value=shown)
    if kind in ("list_type", "tuple_type", "too_short", "too_long"):
        return t("toml.list", key=key, value=shown, msg=problem["msg"])
    if kind == "value_error":
        message = str(ctx.get("error", problem["msg"]))
        return t("toml.value_error", key=key, msg=message)
    return t("toml.other", key=key, value=shown, msg=problem["msg"])


def _limit_key(kind: str) -> str:
    return {
        "greater_than_equal": "ge",
        "greater_than": "gt",
        "less_than_equal": "le",
        "less_than": "lt",
    }[kind]


def _expected(loc: Loc, root: type[BaseModel]) -> str:
    holder = model_at(root, loc)
    if holder is None or not loc or isinstance(loc[-1], int):
        return ""
    field = _field(holder, str(loc[-1]))
    enum = _inner(field.annotation) if field is not None else None
    if isinstance(enum, type) and issubclass(enum, Enum):
        return ", ".join(str(member.value) for member in enum)
    return ""


def _show(value: object) -> str:
    if value is None:
        return "—"
    if isinstance(value, dict | list):
        text = str(value)
        return text if len(text) <= 40 else text[:37] + "…"
    return str(value)
