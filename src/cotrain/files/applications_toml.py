"""``applications.toml`` written straight from its models: the same text, a fifth of the time.

The generic path (``model_dump``, then :func:`cotrain.files.store.to_toml_value`, then
:func:`cotrain.files.toml_writer.dumps`) walks 10,000 people three times, deciding each value's
type at each step: a third of an import of 10,000 applications (issue 16). This writer knows
the file's shape (applications, each with its people and its ``extra`` answers) and writes each
person's eight lines from its attributes, with the generic path's rules: ``None`` left out,
enums by value, decimals as integers when whole, strings escaped by the same function.

Anything it does not expect (a value of another type, a field it does not know) makes it give
up (``None``): the generic path then writes the file. ``tests/files/test_applications_toml.py``
checks that both give the same text.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from cotrain.domain.models import Application, ApplicationsFile, Person
from cotrain.enums import Role
from cotrain.files.toml_writer import BARE_KEY, ILLEGAL, MAX_LINE_LENGTH, key_text, string_text

# The fields as model_dump orders them; the two that are tables are written after the others.
_APPLICATION_FIELDS = tuple(Application.model_fields)
_PERSON_FIELDS = tuple(Person.model_fields)
_TABLES = ("people", "extra")


def _never_inline() -> bool:
    """Whether a person's table is always too long for one line (``{ id = "", ... }``), so that
    people are always written as ``[[applications.people]]`` tables, as the generic writer
    decides for each list. True while people have their eight fields, strings but one."""
    shortest = 9 + 2 * (len(_PERSON_FIELDS) - 1)
    for name, info in Person.model_fields.items():
        text = info.annotation is str or (
            isinstance(info.annotation, type) and issubclass(info.annotation, str)
        )
        shortest += len(name) + 3 + (2 if text else 1)
    return shortest > MAX_LINE_LENGTH


# Checked once: anything else and the generic path writes the file.
_KNOWN_SHAPE = (
    _never_inline()
    and all(BARE_KEY.fullmatch(name) for name in _APPLICATION_FIELDS + _PERSON_FIELDS)
    and _APPLICATION_FIELDS[-3:] == ("people", "extra", "source")
    and tuple(ApplicationsFile.model_fields) == ("schema_", "applications")
)


class _Unexpected(Exception):
    """A value the generic path must write."""


def _literal(value: Any) -> str:
    """A scalar as the generic path writes it (to_toml_value, then the writer's literal)."""
    kind = type(value)
    if kind is str:
        return f'"{value}"' if ILLEGAL.search(value) is None else string_text(value)
    if kind is bool:
        return "true" if value else "false"
    if kind is int or kind is float or kind is datetime or kind is date:
        return str(value)
    if kind is Decimal:
        return str(int(value) if value == value.to_integral_value() else float(value))
    if isinstance(value, Enum) and type(value.value) is str:
        return _literal(value.value)
    raise _Unexpected


# A person as people usually are (no quote, backslash or control character in any text): one
# search and one formatted string for the eight lines. Used while Person has these fields.
_USUAL_PERSON = (
    "id", "name", "role", "job_title", "email", "phone", "committed", "notes"
)  # fmt: skip


def _person_lines(person: Person, out: list[str]) -> None:
    values = person.__dict__
    if _PERSON_FIELDS == _USUAL_PERSON:
        i, n, r, j = values["id"], values["name"], values["role"], values["job_title"]
        e, p, c, o = values["email"], values["phone"], values["committed"], values["notes"]
        if (
            type(r) is Role
            and type(c) is bool
            and type(i) is type(n) is type(j) is type(e) is type(p) is type(o) is str
            and ILLEGAL.search(i + n + j + e + p + o) is None
        ):
            out.append(
                f'\n[[applications.people]]\nid = "{i}"\nname = "{n}"\nrole = "{r.value}"\n'
                f'job_title = "{j}"\nemail = "{e}"\nphone = "{p}"\n'
                f'committed = {"true" if c else "false"}\nnotes = "{o}"\n'
            )
            return
    out.append("\n[[applications.people]]\n")
    plain = ILLEGAL.search
    for name in _PERSON_FIELDS:
        value = values[name]
        if type(value) is str:
            if plain(value) is None:
                out.append(f'{name} = "{value}"\n')
            else:
                out.append(f"{name} = {string_text(value)}\n")
        elif value is not None:
            out.append(f"{name} = {_literal(value)}\n")


def applications_body(model: ApplicationsFile) -> str | None:
    """The TOML text of ``model`` (without the header comment), or None to use the generic
    path."""
    if not _KNOWN_SHAPE or type(model) is not ApplicationsFile:
        return None
    out: list[str] = [f"schema = {_literal(model.schema_)}\n"]
    if not model.applications:
        out.append("applications = []\n")
        return "".join(out)
    try:
        for app in model.applications:
            if type(app) is not Application:
                return None
            values = app.__dict__
            out.append("\n[[applications]]\n")
            for name in _APPLICATION_FIELDS:
                value = values[name]
                if value is None or (name in _TABLES and (name == "extra" or value)):
                    continue  # a table, written below (an empty list of people is a literal)
                if name == "people":
                    out.append("people = []\n")
                else:
                    out.append(f"{name} = {_literal(value)}\n")
            for person in app.people:
                if type(person) is not Person:
                    return None
                _person_lines(person, out)
            extra = app.extra
            if type(extra) is not dict:
                return None
            out.append("\n[applications.extra]\n")
            for key, text in extra.items():
                if type(key) is not str or type(text) is not str:
                    return None
                out.append(f"{key_text(key)} = {_literal(text)}\n")
    except _Unexpected:
        return None
    return "".join(out)
