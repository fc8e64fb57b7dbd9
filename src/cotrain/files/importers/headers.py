"""Which field each column holds, from its header, in French or English.

Headers are compared after :func:`~cotrain.domain.intake.normalise_label`: case, accents,
punctuation, spacing and inclusive-writing dots do not matter (``Élu·e - Nom``, ``élu.e nom``,
``ELU(E) – NOM``). A column of a person group reads ``<role> [n] - <field>``
(``Professionnel·le 2 - Courriel``) or ``<field> de <role> [n]`` (``Courriel du délégué du
préfet``). ``[import.columns]`` in ``cotrain.toml`` maps any other header to a field:
``"Nom de la commune" = "city"``, ``"Mail agent 2" = "professional.2.email"``, ``"IP" = "ignore"``.

The layout follows from the headers: a role column means one row per person; person groups
mean one row per city.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from cotrain.domain.intake import (
    CITY_FIELDS,
    IGNORE,
    PERSON_FIELDS,
    ROLE_FIELD,
    Cell,
    FieldRef,
    Layout,
    SourceRow,
    normalise_label,
    role_prefixes,
)
from cotrain.enums import Role, city_roles
from cotrain.errors import InputError, Location
from cotrain.files.importers.tabular import Table
from cotrain.i18n import t

FIELD_LABELS: dict[str, tuple[str, ...]] = {
    # city
    "city": (
        "commune",
        "ville",
        "collectivité",
        "nom de la commune",
        "nom de la ville",
        "municipalité",
        "city",
        "town",
        "municipality",
        "city name",
    ),
    "territory": (
        "territoire",
        "territoire (EPT)",
        "EPT",
        "établissement public territorial",
        "intercommunalité",
        "territory",
        "territory (EPT)",
    ),
    "submitted_at": (
        "horodatage",
        "horodateur",
        "date submitted",
        "submitted on",
        "completed time",
        "heure de soumission",
        "date de dépôt",
        "déposé le",
        "date de soumission",
        "soumis le",
        "date de réponse",
        "date et heure",
        "timestamp",
        "submitted at",
        "submitted",
        "submission date",
        "submission time",
        "date",
    ),
    "contribution": (
        "contribution financière",
        "contribution financière (€)",
        "contribution",
        "montant",
        "montant de la contribution",
        "participation financière",
        "contribution (€)",
        "financial contribution",
        "contribution amount",
        "amount",
    ),
    "contribution_proof": (
        "référence de la délibération ou du bon de commande",
        "référence de la délibération",
        "délibération",
        "bon de commande",
        "référence du bon de commande",
        "justificatif",
        "pièce justificative",
        "proof",
        "contribution proof",
        "council resolution",
        "purchase order",
        "resolution or purchase order reference",
    ),
    "score": ("note du comité", "note", "score", "committee score", "évaluation du comité"),
    "priority_neighbourhoods": (
        "nombre de QPV",
        "QPV",
        "nombre de quartiers prioritaires",
        "quartiers prioritaires",
        "priority neighbourhoods",
        "number of QPV",
        "number of priority neighbourhoods",
    ),
    "contact": ("contact", "personne à contacter", "contact de la ville", "contact person"),
    # person
    "name": (
        "nom",
        "nom complet",
        "nom et prénom",
        "prénom et nom",
        "prénom nom",
        "nom prénom",
        "identité",
        "name",
        "full name",
    ),
    "first_name": ("prénom", "first name", "given name", "firstname"),
    "last_name": ("nom de famille", "last name", "surname", "family name", "lastname"),
    "email": (
        "courriel",
        "e-mail",
        "email",
        "mail",
        "adresse mail",
        "adresse e-mail",
        "adresse électronique",
        "adresse courriel",
        "email address",
    ),
    "job_title": (
        "fonction",
        "poste",
        "intitulé du poste",
        "titre",
        "qualité",
        "job title",
        "position",
        "title",
        "job",
    ),
    "phone": (
        "téléphone",
        "tél",
        "portable",
        "numéro de téléphone",
        "phone",
        "phone number",
        "mobile",
    ),
    "committed": (
        "engagement nominatif",
        "engagement",
        "engagé",
        "engagement sur toutes les journées",
        "s'engage sur toutes les journées",
        "commitment",
        "committed",
        "nominal commitment",
        "full commitment",
    ),
    "notes": ("remarques", "commentaire", "commentaires", "notes", "comments"),
    ROLE_FIELD: (
        "rôle",
        "rôle dans la triade",
        "statut",
        "type de participant",
        "role",
        "role in the triad",
        "participant type",
    ),
    # form-tool metadata, never kept (DOMAIN.md: drop IP, UID, draft)
    IGNORE: (
        "adresse IP",
        "IP",
        "IP address",
        "UID",
        "SID",
        "serial",
        "brouillon",
        "draft",
        "user agent",
        "nom d'utilisateur",
        "username",
        "ID",
        "état du dossier",
        "archivé",
        "instructeurs",
        "dernière mise à jour le",
    ),
}

_FIELD_BY_LABEL: dict[str, str] = {
    normalise_label(label): name for name, labels in FIELD_LABELS.items() for label in labels
}
_CONNECTORS = ("de la ", "de l ", "du ", "des ", "de ", "d ", "of the ", "of ", "for the ", "for ")
_SLOT = re.compile(r"^(?:n )?(\d{1,2})(?: |$)")


@dataclass(frozen=True)
class Column:
    index: int
    header: str
    ref: FieldRef | None  # None: not recognised (kept in the application's extra fields)


@dataclass(frozen=True)
class ColumnMap:
    layout: Layout
    columns: tuple[Column, ...]

    @property
    def unmatched(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.ref is None)


def parse_field_name(value: str) -> FieldRef | None:
    """A field named in ``[import.columns]``: ``city``, ``elected.email``, ``professional.2.name``.
    """
    parts = value.strip().split(".")
    if len(parts) == 1:
        return (
            FieldRef(parts[0])
            if parts[0] in (*CITY_FIELDS, *PERSON_FIELDS, ROLE_FIELD, IGNORE)
            else None
        )
    try:
        role = Role(parts[0])
    except ValueError:
        return None
    if role not in city_roles() or parts[-1] not in PERSON_FIELDS:
        return None
    if len(parts) == 2:
        return FieldRef(parts[1], role, 1)
    if len(parts) == 3 and parts[1].isdigit() and int(parts[1]) >= 1:
        return FieldRef(parts[2], role, int(parts[1]))
    return None


def _person_field(rest: str) -> str | None:
    if not rest:
        return "name"
    name = _FIELD_BY_LABEL.get(rest)
    if name in PERSON_FIELDS:
        return name
    for label, field_name in _FIELD_BY_LABEL.items():
        if field_name in PERSON_FIELDS and " " in label and rest.startswith(label + " "):
            return field_name
    return None


def _slot_and_rest(text: str) -> tuple[int, str]:
    found = _SLOT.match(text)
    if found:
        return int(found.group(1)), text[found.end() :].strip()
    return 1, text


def _group_ref(label: str) -> FieldRef | None:
    """``elu nom``, ``professionnel 2 courriel``, ``courriel du delegue du prefet``."""
    for prefix, role in role_prefixes():
        if label == prefix or label.startswith(prefix + " "):
            slot, rest = _slot_and_rest(label[len(prefix) :].strip())
            name = _person_field(rest)
            if name is not None:
                return FieldRef(name, role, slot)
    for field_label, name in sorted(_FIELD_BY_LABEL.items(), key=lambda item: -len(item[0])):
        if name not in PERSON_FIELDS or not label.startswith(field_label + " "):
            continue
        rest = label[len(field_label) :].strip()
        for connector in _CONNECTORS:
            if rest.startswith(connector):
                rest = rest[len(connector) :]
                break
        for prefix, role in role_prefixes():
            if rest == prefix or rest.startswith(prefix + " "):
                slot, tail = _slot_and_rest(rest[len(prefix) :].strip())
                if not tail:
                    return FieldRef(name, role, slot)
    return None


def match_header(header: str, custom: Mapping[str, str] | None = None) -> FieldRef | None:
    """The field a header holds, or None when it is not recognised."""
    label = normalise_label(header)
    if not label:
        return None
    for key, value in (custom or {}).items():
        if normalise_label(key) == label:
            return parse_field_name(value)
    group = _group_ref(label)
    if group is not None:
        return group
    name = _FIELD_BY_LABEL.get(label)
    if name is not None:
        return FieldRef(name)
    for known, field_name in sorted(_FIELD_BY_LABEL.items(), key=lambda item: -len(item[0])):
        if " " in known and label.startswith(known + " "):
            return FieldRef(field_name)
    return None


def field_label(ref: FieldRef) -> str:
    """A field as a user would look for it in the file: ``Élu·e - Nom``, ``Commune``."""
    text = t(f"intake.field.{ref.field}")
    if ref.role is None:
        return text
    role = t(f"role.{ref.role.value}").capitalize()
    return f"{role} - {text}"


def check_custom_columns(custom: Mapping[str, str]) -> None:
    """Every value of ``[import.columns]`` must name a field."""
    bad = [key for key, value in custom.items() if parse_field_name(value) is None]
    if bad:
        raise InputError(
            t("intake.bad_custom_field", value=custom[bad[0]]),
            location=Location(file="cotrain.toml", key=f"import.columns.{bad[0]}"),
            hint=t("intake.bad_custom_field_hint"),
        )


def map_columns(
    table: Table,
    *,
    custom: Mapping[str, str] | None = None,
    require_commitment: bool = True,
    require_contribution: bool = True,
) -> ColumnMap:
    """Match every header, decide the layout, and check the required columns are there."""
    columns = tuple(Column(i, h, match_header(h, custom)) for i, h in enumerate(table.headers))
    refs = {c.ref for c in columns if c.ref is not None}
    fields = {r.field for r in refs if r.role is None}
    grouped = {r for r in refs if r.role is not None}
    if ROLE_FIELD in fields or (not grouped and fields & {"name", "first_name", "last_name"}):
        layout = Layout.PER_PERSON
        missing = [] if ROLE_FIELD in fields else [FieldRef(ROLE_FIELD)]
        if not fields & {"name", "last_name"}:
            missing.append(FieldRef("name"))
        if require_commitment and "committed" not in fields:
            missing.append(FieldRef("committed"))
    else:
        layout = Layout.PER_CITY
        missing = []
        named = {(r.role, r.slot) for r in grouped if r.field in ("name", "last_name")}
        if not named:
            missing.append(FieldRef("name", Role.ELECTED))
        if require_commitment:
            for role, slot in sorted(named, key=lambda rs: (city_roles().index(rs[0]), rs[1])):
                if FieldRef("committed", role, slot) not in grouped:
                    missing.append(FieldRef("committed", role, slot))
    if "city" not in fields:
        missing.insert(0, FieldRef("city"))
    if require_contribution and "contribution" not in fields:
        missing.append(FieldRef("contribution"))
    if missing:
        names = ", ".join(f"« {_slot_label(ref)} »" for ref in missing)
        found = ", ".join(f"« {h} »" for h in table.headers if h)
        raise InputError(
            t("intake.missing_columns", count=len(missing), names=names),
            location=Location(file=table.file),
            details=[t("intake.headers_found", headers=found)],
            hint=t("intake.missing_columns_hint"),
        )
    return ColumnMap(layout, columns)


def _slot_label(ref: FieldRef) -> str:
    label = field_label(ref)
    if ref.role is not None and ref.slot > 1:
        role = t(f"role.{ref.role.value}").capitalize()
        return label.replace(role, f"{role} {ref.slot}", 1)
    return label


def source_rows(table: Table, columns: ColumnMap) -> list[SourceRow]:
    """The table's rows with their cells keyed by field; unrecognised columns as extras."""
    rows = []
    # Decided once per column, not once per cell: kept fields, and named extra columns.
    kept = [c for c in columns.columns if c.ref is not None and c.ref.field != IGNORE]
    extras = [c for c in columns.columns if c.ref is None and c.header]
    for raw in table.rows:
        values = raw.cells
        width = len(values)
        cells: dict[FieldRef, Cell] = {}
        extra: dict[str, str] = {}
        for column in kept:
            text = values[column.index] if column.index < width else ""
            ref = column.ref
            assert ref is not None
            earlier = cells.get(ref)
            if earlier is not None and earlier.text.strip():
                continue
            cells[ref] = Cell(column.header, text)
        for column in extras:
            text = values[column.index].strip() if column.index < width else ""
            if text:
                extra[column.header] = text
        rows.append(SourceRow(table.location(raw), cells, extra))
    return rows
