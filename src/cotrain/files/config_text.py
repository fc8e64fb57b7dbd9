"""A programme's ``cotrain.toml`` as a person would write it: tables in a fixed order, each
under a comment in the programme's language saying what it holds (``cotrain init``, issue 15)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import time
from typing import Any

from cotrain.files.store import to_toml_value
from cotrain.files.toml_writer import _key, _Writer
from cotrain.i18n import t

_WRITER = _Writer()


def literal(value: Any) -> str:
    """One TOML value on one line (arrays and tables inline)."""
    value = to_toml_value(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(literal(v) for v in value) + "]"
    if isinstance(value, Mapping):
        if not value:
            return "{}"
        return "{ " + ", ".join(f"{_key(str(k))} = {literal(v)}" for k, v in value.items()) + " }"
    if isinstance(value, time):
        return value.strftime("%H:%M:%S")
    return _WRITER.literal(value)


class _Text:
    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.lines: list[str] = []

    def comment(self, key: str, **params: object) -> None:
        for part in t(key, lang=self.lang, **params).splitlines():
            self.lines.append(f"# {part}".rstrip())

    def blank(self) -> None:
        if self.lines and self.lines[-1] != "":
            self.lines.append("")

    def header(self, name: str, *, array: bool = False) -> None:
        self.lines.append(f"[[{name}]]" if array else f"[{name}]")

    def keys(self, table: Mapping[str, Any], notes: Mapping[str, str] | None = None) -> None:
        for key, value in table.items():
            if value is None:
                continue
            if notes and key in notes:
                self.comment(notes[key])
            self.lines.append(f"{_key(key)} = {literal(value)}")

    def table(
        self, name: str, table: Mapping[str, Any], notes: Mapping[str, str] | None = None
    ) -> None:
        self.header(name)
        self.keys(table, notes)
        self.blank()

    def array(self, name: str, items: list[Mapping[str, Any]]) -> None:
        for item in items:
            self.header(name, array=True)
            self.keys(
                {
                    k: v
                    for k, v in item.items()
                    if not isinstance(v, list) or not v or not isinstance(v[0], Mapping)
                }
            )
            self.blank()
            for key, value in item.items():
                if isinstance(value, list) and value and isinstance(value[0], Mapping):
                    self.array(f"{name}.{key}", value)


def _is_tables(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and isinstance(value[0], Mapping)


def render_config(data: Mapping[str, Any]) -> str:
    """The commented TOML text of a whole programme (the data of ``build_programme``)."""
    lang = str(data.get("language", "fr"))
    out = _Text(lang)
    out.comment("init.c.header")
    out.comment("setup.c.header2")
    out.lines.append(f"schema = {literal(data['schema'])}")
    out.comment("init.c.language")
    out.lines.append(f"language = {literal(lang)}")
    out.blank()

    out.comment("init.c.programme")
    out.table("programme", data["programme"])

    out.comment("setup.c.roles")
    for role, spec in data["roles"].items():
        out.table(f"roles.{role}", spec)

    plan = data["plan"]
    out.comment("init.c.slots")
    for half, slot in plan["slots"].items():
        out.table(f"plan.slots.{half}", slot)
    out.comment("init.c.rules")
    out.table(
        "plan.rules",
        plan["rules"],
        {
            "peer_worlds": "init.c.peer_worlds",
            "peer_group_cap": "setup.c.peer_group_cap",
            "peer_groups": "setup.c.peer_groups",
            "mixed_groups": "setup.c.mixed_groups",
            "mixing": "init.c.mixing",
            "keep_apart": "init.c.keep_apart",
            "facilitation": "init.c.facilitation",
        },
    )
    out.comment("init.c.sessions")
    out.array("plan.sessions", plan["sessions"])

    eligibility = dict(data["eligibility"])
    roles = eligibility.pop("roles")
    out.comment("setup.c.eligibility")
    out.table("eligibility", eligibility)
    for role, limits in roles.items():
        out.table(f"eligibility.roles.{role}", limits)

    selection = dict(data["selection"])
    ranking = selection.pop("ranking")
    out.comment("init.c.selection")
    out.table("selection", selection)
    out.array("selection.ranking", ranking)

    out.comment("init.c.budget")
    out.array("budget.costs", data["budget"]["costs"])
    out.array("budget.funding", data["budget"]["funding"])

    out.comment("setup.c.trainers")
    out.array("trainers", data["trainers"])
    if data["duos"]:
        out.comment("setup.c.duos")
        out.array("duos", data["duos"])
    out.comment("setup.c.activists")
    out.array("activists", data["activists"])

    if "provider" in data:
        out.comment("init.c.provider")
        out.table(
            "provider",
            data["provider"],
            {
                "declaration_number": "init.c.provider_nda",
                "siret": "init.c.provider_siret",
                "signatory": "init.c.provider_signatory",
            },
        )
        out.comment("init.c.training")
        out.table("training", data["training"], {"objectives": "init.c.training_objectives"})
    out.comment("init.c.attendance")
    out.table("attendance", data["attendance"])
    out.comment("init.c.reporting")
    out.table("reporting", data["reporting"])
    out.table("privacy", data["privacy"])
    out.comment("setup.c.surveys")
    out.array("surveys", data["surveys"])
    return "\n".join(out.lines).rstrip() + "\n"
