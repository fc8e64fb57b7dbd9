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
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

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
    parse_role,
    parse_yes_no,
    role_in_text,
    role_prefixes,
)
from cotrain.enums import Role, city_roles
from cotrain.errors import InputError, Location
from cotrain.files.importers.tabular import RawRow, Table
from cotrain.i18n import t

if TYPE_CHECKING:
    from cotrain.domain.config import RoleLimits

FIELD_LABELS: dict[str, tuple[str, ...]] = {
    # city
    "city": (
        "commune",
        "ville",
        "collectivité",
        "nom de la commune",
        "nom de la ville",
        "commune candidate",
        "ville candidate",
        "collectivité candidate",
        "commune concernée",
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
        "submitted time",
        "submitdate",
        "date de soumission de la réponse",
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
        "date de saisie",  # Sphinx: « DATE_SAISIE »
        "date saisie",
        # when the answer came in: the manager's own column, Microsoft Forms' end time
        "reçue le",
        "reçu le",
        "reçue",
        "date de réception",
        "date de reception",
        "réception",
        "arrivée le",
        "date d'arrivée",
        "heure de fin",
        "completion time",
    ),
    "contribution": (
        "contribution financière",
        "contribution financière (€)",
        "contribution",
        "montant",
        "montant de la contribution",
        "participation financière",
        "contribution (€)",
        "contrib",
        "financial contribution",
        "contribution amount",
        "amount",
    ),
    "contribution_proof": (
        "référence de la délibération ou du bon de commande",
        "référence de la délibération",
        "délibération ou bon de commande",
        "délibération (fichier)",
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
        "mél",  # the administration's abbreviation (« Mél. : »)
        "adresse mél",
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
        "engagé sur toutes les journées",
        "engagée sur toutes les journées",
        "engagement sur tout le parcours",
        "engagé sur tout le parcours",
        "présent sur toutes les journées",
        "engagement nominatif sur toutes les journées",
        "engt",  # a manager's abbreviation (« Engt élu »)
        # the reference programme's length as the question: « 4,5 jours », « Présent 4,5 j ? »
        "4,5 jours",
        "4,5 j",
        "présent 4,5 j",
        "présent 4,5 jours",
        "commitment",
        "committed",
        "nominal commitment",
        "full commitment",
        "attends all days",
        "will attend all days",
        "attendance",
        "full attendance",
    ),
    "notes": ("remarques", "commentaire", "commentaires", "notes", "comments"),
    ROLE_FIELD: (
        "rôle",
        "collège",
        "fonction dans la triade",
        "catégorie",
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
        "dernière mise à jour du dossier le",
        "passé en instruction le",
        "traité le",
        "motivation de la décision",
        "groupe instructeur",
        "connecté via",
        "dépôt pour un tiers",  # Démarches simplifiées: a dossier filed for someone else
        "nom du mandataire",
        "prénom du mandataire",
        "civilité",
        "adresse de messagerie",
        "heure de début",
        "start time",
        "modified time",
        "lastpage",
        "dernière page",
        "startlanguage",
        "langue de départ",
        "seed",
        "tête de série",
        "startdate",
        "date de lancement",
        "datestamp",
        "date de la dernière action",
        "ipaddr",
        "refurl",
        "URL de référence",
        "ID de la réponse",
        "response ID",
        "heure de la dernière modification",
        "last modified time",
        # Microsoft Forms' quiz export
        "total des points",
        "commentaires du questionnaire",
        "heure de publication des notes",
        "total points",
        "quiz feedback",
        "grade posted time",
    ),
}

_FIELD_BY_LABEL: dict[str, str] = {
    normalise_label(label): name for name, labels in FIELD_LABELS.items() for label in labels
}
_ABBREVIATIONS: tuple[tuple[str, Role], ...] = (
    ("pro", Role.PROFESSIONAL),
    ("prof", Role.PROFESSIONAL),
    ("dp", Role.PREFECT_DELEGATE),
    ("ddp", Role.PREFECT_DELEGATE),
    ("delegue", Role.PREFECT_DELEGATE),
    ("deleg", Role.PREFECT_DELEGATE),
    # a manager's shorthand: « CDP 1 » (chef·fe de projet), « Dlg préfet », « Dél. préfet »
    ("cdp", Role.PROFESSIONAL),
    ("dlg", Role.PREFECT_DELEGATE),
    ("del", Role.PREFECT_DELEGATE),  # only before a field or a qualifier: « DELPREF[NOM] »
    ("dlg prefet", Role.PREFECT_DELEGATE),
    ("del prefet", Role.PREFECT_DELEGATE),
)
_LONGEST_FIRST = sorted(_FIELD_BY_LABEL.items(), key=lambda item: -len(item[0]))


@lru_cache(maxsize=4)
def _with_abbreviations(prefixes: tuple[tuple[str, Role], ...]) -> tuple[tuple[str, Role], ...]:
    known = set(city_roles())
    return tuple(
        sorted(
            [*prefixes, *((short, role) for short, role in _ABBREVIATIONS if role in known)],
            key=lambda item: -len(item[0]),
        )
    )


def _role_prefixes() -> tuple[tuple[str, Role], ...]:
    """The programme's role labels (``[roles]``) and the short forms forms use, longest first."""
    return _with_abbreviations(role_prefixes())


# What a question code glues to a role's short form: ELU + REF (référent·e), DEL + PREF (préfet)
_ROLE_QUALIFIER = re.compile(r"(?:ref|referent|referente|pref|prefet)(?=[ \d]|$)")
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
    notes: tuple[str, ...] = ()

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
    for prefix, role in _role_prefixes():
        if not label.startswith(prefix):
            continue
        after = label[len(prefix) :]
        qualifier = _ROLE_QUALIFIER.match(after)  # « ELUREF[NOM] », « DELPREF[ENGAGE] »
        if qualifier:
            after = after[qualifier.end() :]
        if not after or after[0] == " " or after[0].isdigit():
            after = after.strip()
            slot, rest = _slot_and_rest(after)
            name = _person_field(rest)
            if name is None and rest != after:  # « Élu - 4,5 jours »: the 4 is no slot
                slot, name = 1, _person_field(after)
            if name is not None:
                return FieldRef(name, role, slot)
    if label.isalnum():
        return _compact_code(label)
    for field_label, name in (*_LONGEST_FIRST, *_CODE_FIELDS.items()):  # « ENG_DP » too
        if name not in PERSON_FIELDS or not label.startswith(field_label + " "):
            continue
        rest = label[len(field_label) :].strip()
        for connector in _CONNECTORS:
            if rest.startswith(connector):
                rest = rest[len(connector) :]
                break
        for prefix, role in _role_prefixes():  # LimeSurvey's ENGAGEMENT[PRO1], ENGAGEMENT[DP]
            if (
                rest == prefix
                or rest.startswith(prefix + " ")
                or (rest.startswith(prefix) and rest[len(prefix) : len(prefix) + 1].isdigit())
            ):
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
    found = _builtin_match(label)
    if found is None and header.rstrip().endswith(")"):  # « Nom (et fonction) »
        note = _TRAILING_NOTE.search(header)
        if note is not None and note.start() > 0:
            shorter = normalise_label(header[: note.start()])
            found = _builtin_match(shorter) if shorter else None
            if found is not None and found.field not in PERSON_FIELDS:
                found = None  # « Commune (Code INSEE) »: Démarches simplifiées' sub-field
    return found


# A remark in brackets after a person's field: « Nom (et fonction) », « Courriel (bureau) »
_TRAILING_NOTE = re.compile(r"\s*\([^()]*\)\s*$")


@lru_cache(maxsize=8192)  # headers, and cells looked at while finding the header row
def _builtin_match(label: str) -> FieldRef | None:
    group = _group_ref(label)
    if group is not None:
        return group
    name = _FIELD_BY_LABEL.get(label)
    if name is not None:
        return FieldRef(name)
    loose = loose_group_ref(label)
    if loose is not None:
        return loose
    for known, field_name in _LONGEST_FIRST:
        if " " in known and label.startswith(known + " "):
            return FieldRef(field_name)
    return None


# Person fields found anywhere in a question's text, in this order ("Nom et prénom" is a name,
# "Prénom" a first name before "Nom" is a name).
_LOOSE_FIELDS: tuple[tuple[str, str], ...] = (
    ("nom et prenom", "name"),
    ("prenom et nom", "name"),
    ("nom prenom", "name"),
    ("prenom nom", "name"),
    ("nom complet", "name"),
    ("full name", "name"),
    ("nom de famille", "last_name"),
    ("last name", "last_name"),
    ("prenom", "first_name"),
    ("first name", "first_name"),
    ("courriel", "email"),
    ("e mail", "email"),
    ("email", "email"),
    ("mail", "email"),
    ("adresse electronique", "email"),
    ("telephone", "phone"),
    ("tel", "phone"),
    ("portable", "phone"),
    ("phone", "phone"),
    ("engagement", "committed"),
    ("engagements", "committed"),
    ("engage", "committed"),
    ("engagee", "committed"),
    ("engt", "committed"),  # a manager's shorthand
    ("mel", "email"),
    ("commitment", "committed"),
    ("committed", "committed"),
    ("attends", "committed"),
    ("attend", "committed"),
    ("attendance", "committed"),
    ("present", "committed"),  # « Présent(e) les 4,5 jours ? » (not « présente », a verb)
    ("presence", "committed"),
    ("fonction", "job_title"),
    ("poste", "job_title"),
    ("qualite", "job_title"),
    ("job title", "job_title"),
    ("nom", "name"),
    ("name", "name"),
    ("identite", "name"),
)


def loose_person_field(label: str) -> str | None:
    """The person field a longer question names (``Adresse mail de l'élu référent``)."""
    padded = f" {label} "
    for word, name in _LOOSE_FIELDS:
        if f" {word} " in padded:
            return name
    return None


def loose_group_ref(label: str) -> FieldRef | None:
    """A question naming one role and one person field, in any wording: ``Coordonnées de
    l'élu·e référent·e [Nom]``, ``Nom et prénom du professionnel n° 2``."""
    role = role_in_text(label)
    if role is None:
        return None
    name = loose_person_field(label)
    if name is None:
        return None
    slot = 1
    for prefix, prefix_role in _role_prefixes():
        if prefix_role is not role:
            continue
        found = re.search(rf"(?:^| ){prefix} ?(?:n )?(\d{{1,2}})(?: |$)", label)
        if found:
            slot = int(found.group(1))
            break
    else:  # "Second·e professionnel·le [Nom]", "Deuxième agent", "1er professionnel"
        slot = next((_ORDINALS[w] for w in label.split() if w in _ORDINALS), 1)
    return FieldRef(name, role, max(slot, 1))


_ORDINALS = {
    "premier": 1, "premiere": 1, "1er": 1, "1re": 1, "1ere": 1, "first": 1,
    "second": 2, "seconde": 2, "deuxieme": 2, "2e": 2, "2eme": 2, "2nd": 2,
    "troisieme": 3, "3e": 3, "3eme": 3, "third": 3, "3rd": 3,
    "quatrieme": 4, "4e": 4, "4eme": 4, "fourth": 4, "4th": 4,
    "cinquieme": 5, "5e": 5, "5eme": 5, "fifth": 5, "5th": 5,
}  # fmt: skip


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


def _values(table: Table, index: int, limit: int = 500) -> list[str]:
    values = []
    for row in table.rows:
        if index < len(row.cells) and row.cells[index]:
            values.append(row.cells[index])
            if len(values) >= limit:
                break
    return values


def role_share(values: list[str], *, titles: bool = False) -> float:
    """The share of values that are role labels (``Élu(e)``, ``Agent``, ``Délégué du préfet``),
    or with ``titles``, job titles only one role holds (``Adjoint au maire``)."""
    if not values:
        return 0.0
    counts = Counter(values)  # a role column repeats a few labels: each is read once
    found = sum(n for v, n in counts.items() if parse_role(v, loose=True, titles=titles))
    return found / len(values)


def _role_column(table: Table, columns: list[Column]) -> int | None:
    """The column whose values are role labels, whatever its header (issue 16); failing
    that, a column of job titles that each name one role (« Adjointe au maire », « Cheffe de
    projet politique de la ville », « DP »), as a manager types them under « Qualité »."""
    grouped = any(c.ref is not None and c.ref.role is not None for c in columns)
    for titles, threshold in ((False, 0.6), (True, 0.9)):
        if titles and grouped:  # one row per city: a job title column is a person's own
            break
        best, best_share = None, 0.0
        for column in columns:
            ref = column.ref
            if ref is not None and (ref.role is not None or ref.field in CITY_FIELDS):
                continue
            values = _values(table, column.index)
            if role_share(values[:20], titles=titles) < threshold / 2:
                continue  # its first answers are not roles: not worth reading the others
            share = role_share(values, titles=titles)
            if share > best_share:
                best, best_share = column.index, share
        if best_share >= threshold:
            return best
    return None


def _person_looking(columns: list[Column]) -> list[Column]:
    """Unrecognised columns whose header names a person's field (name, e-mail, commitment);
    the city's contact person's (« Contact : téléphone ») are kept with the application."""
    found = []
    for column in columns:
        if column.ref is None and column.header:
            label = normalise_label(column.header)
            if loose_person_field(label) is not None and not label.startswith(_CONTACT_STARTS):
                found.append(column)
    return found


# « Contact : nom et prénom », « Personne à contacter - e-mail »: the city's contact person
_CONTACT_STARTS = ("contact ", "personne a contacter ", "contact de la ville ", "contact person ")


def _contact_name(columns: list[Column]) -> int | None:
    """The position of the contact person's name when no column is the contact as such."""
    if any(c.ref == FieldRef("contact") for c in columns):
        return None
    for position, column in enumerate(columns):
        if column.ref is None and column.header:
            label = normalise_label(column.header)
            if label.startswith(_CONTACT_STARTS) and loose_person_field(label) == "name":
                return position
    return None


def map_columns(
    table: Table,
    *,
    custom: Mapping[str, str] | None = None,
    require_commitment: bool = True,
    require_contribution: bool = True,
) -> ColumnMap:
    """Match every header, decide the layout, and check the required columns are there.

    The layout is decided on the role columns, never on the presence of ``Nom``: a column of
    role labels means one row per person; person groups (``Élu·e - Nom``) mean one row per
    city, and ungrouped name or e-mail columns are then the form's filer (Démarches
    simplifiées, Microsoft Forms), not a triad member.
    """
    layout, columns, missing = _decide_layout(
        table,
        custom=custom,
        require_commitment=require_commitment,
        require_contribution=require_contribution,
    )
    guessed = _guess_required(table, columns, missing)
    if guessed:  # asked in a question's own words ("Quelle commune présente sa candidature ?")
        layout, columns, missing = _decide_layout(
            table,
            custom={**(custom or {}), **guessed},
            require_commitment=require_commitment,
            require_contribution=require_contribution,
        )
    if missing:
        names = ", ".join(f"« {_slot_label(ref)} »" for ref in missing)
        # the columns read as nothing are where the missing one hides; the others only add noise
        unread = [c.header for c in columns if c.ref is None and c.header]
        shown = ", ".join(f"« {h} »" for h in (unread or [h for h in table.headers if h]))
        detail = "intake.headers_unread" if unread else "intake.headers_found"
        raise InputError(
            t("intake.missing_columns", count=len(missing), names=names),
            location=Location(file=table.file),
            details=[t(detail, headers=shown, count=len(unread))],
            hint=t("forms.suggest_hint", file=table.file),
        )
    finished = _finish_columns(table, layout, columns)
    if guessed:
        read_as = ", ".join(
            f"« {header} » : {field_label(FieldRef(name))}" for header, name in guessed.items()
        )
        finished = ColumnMap(
            finished.layout,
            finished.columns,
            (*finished.notes, t("forms.note_guessed", columns=read_as)),
        )
    return finished


_CONTRIBUTION_OWN_WORDS = (" contribution ", " participation ")


def _guess_required(table: Table, columns: list[Column], missing: list[FieldRef]) -> dict[str, str]:
    """Required city fields (the city, the contribution) that no header names as such, each
    from the one unrecognised question whose words name it, and whose answers fit."""
    from cotrain.domain.intake import parse_amount

    absent = {ref.field for ref in missing if ref.role is None}
    wanted = [name for name in ("city", "contribution") if name in absent]
    guesses: dict[str, str] = {}
    if "committed" in absent:  # one row per person: « Présent(e) les 3 jours », yes/no answers
        found = [
            c
            for c in columns
            if c.ref is None
            and c.header
            and any(w in normalise_label(c.header) for w in _COMMITMENT_WORDS)
            and _share(_values(table, c.index, 200), _is_yes_no) >= 0.8
        ]
        if len(found) == 1:
            guesses[found[0].header] = "committed"
    for name in wanted:
        found = [
            c
            for c in columns
            if c.ref is None
            and c.header
            and c.index not in table.filer_columns
            and (
                loose_person_field(normalise_label(c.header)) is None
                or city_question(normalise_label(c.header))
            )
            and next(iter(word_fields(normalise_label(c.header))), None) == name
        ]
        if len(found) > 1 and name == "contribution":
            # « Montant de la participation de la commune » beside an instructor's « Montant
            # accordé » (Démarches simplifiées' private annotations): the city's own words win
            found = [
                c
                for c in found
                if any(w in f" {normalise_label(c.header)} " for w in _CONTRIBUTION_OWN_WORDS)
            ]
        if len(found) != 1:
            continue
        values = _values(table, found[0].index, 200)
        if name == "contribution" and _share(values, lambda v: _is_amount(v, parse_amount)) < 0.8:
            continue
        if name == "city" and (not values or _share(values, lambda v: bool(parse_role(v))) > 0):
            continue
        guesses[found[0].header] = name
    return guesses


def _decide_layout(
    table: Table,
    *,
    custom: Mapping[str, str] | None,
    require_commitment: bool,
    require_contribution: bool,
) -> tuple[Layout, list[Column], list[FieldRef]]:
    """The columns' fields, the layout, and the required fields no column holds."""
    columns = [Column(i, h, match_header(h, custom)) for i, h in enumerate(table.headers)]
    for position, column in enumerate(columns):
        if column.ref == FieldRef("score") and _quiz_scores(table, column):
            columns[position] = Column(column.index, column.header, FieldRef(IGNORE))
    for index in _quiz_companions(table.headers):
        columns[index] = Column(index, columns[index].header, FieldRef(IGNORE))
    if (contact := _contact_name(columns)) is not None:
        found = columns[contact]
        columns[contact] = Column(found.index, found.header, FieldRef("contact"))
    for index in table.filer_columns:
        if index < len(columns):
            columns[index] = Column(index, columns[index].header, FieldRef(IGNORE))
    grouped = {c.ref for c in columns if c.ref is not None and c.ref.role is not None}
    role_index = _role_column(table, columns)
    named_roles = [c for c in columns if c.ref is not None and c.ref == FieldRef(ROLE_FIELD)]
    if role_index is not None:
        for position, column in enumerate(columns):
            if column.index == role_index:
                columns[position] = Column(column.index, column.header, FieldRef(ROLE_FIELD))
            elif column.ref == FieldRef(ROLE_FIELD):  # a "Statut" whose values are not roles
                columns[position] = Column(column.index, column.header, None)
    elif grouped:
        for position, column in enumerate(columns):
            if column.ref == FieldRef(ROLE_FIELD):
                columns[position] = Column(column.index, column.header, None)
    refs = {c.ref for c in columns if c.ref is not None}
    fields = {r.field for r in refs if r.role is None}
    missing: list[FieldRef] = []
    if role_index is not None or (named_roles and not grouped):
        layout = Layout.PER_PERSON
        if ROLE_FIELD not in fields:
            missing.append(FieldRef(ROLE_FIELD))
        if not fields & {"name", "last_name"}:
            missing.append(FieldRef("name"))
        if require_commitment and "committed" not in fields:
            missing.append(FieldRef("committed"))
    elif not grouped and fields & {"name", "first_name", "last_name"}:
        layout = Layout.PER_PERSON
        missing.append(FieldRef(ROLE_FIELD))
        if require_commitment and "committed" not in fields:
            missing.append(FieldRef("committed"))
    else:
        layout = Layout.PER_CITY
        named = {(r.role, r.slot) for r in grouped if r.field in ("name", "last_name")}
        first = city_roles()[0]  # the programme's first public (the elected official by default)
        if not any(role is first for role, _ in named):
            missing.append(FieldRef("name", first))
        if require_commitment:
            for role, slot in sorted(named, key=lambda rs: (city_roles().index(rs[0]), rs[1])):
                if FieldRef("committed", role, slot) not in grouped:
                    missing.append(FieldRef("committed", role, slot))
    if "city" not in fields:
        missing.insert(0, FieldRef("city"))
    if require_contribution and "contribution" not in fields:
        missing.append(FieldRef("contribution"))
    return layout, columns, missing


_QUIZ_SCORE = re.compile(r"\d{1,4}(?:[.,]\d+)? / \d{1,4}")


def _quiz_scores(table: Table, column: Column) -> bool:
    """Google Forms' own « Score » column (a quiz's points, ``3 / 5``, ``0 / 0`` when the form
    is no quiz) beside the timestamp: form metadata, not the committee's score."""
    if normalise_label(column.header) != "score":
        return False
    values = _values(table, column.index, 200)
    return bool(values) and all(_QUIZ_SCORE.fullmatch(v) for v in values)


_QUIZ_PREFIXES = ("points ", "commentaires ", "commentaire ", "feedback ")


def _quiz_companions(headers: tuple[str, ...]) -> list[int]:
    """Microsoft Forms' quiz export: beside each question « X », the columns « Points - X » and
    « Commentaires - X » (« Feedback - X » in English) are the quiz's marks, never answers."""
    labels = [normalise_label(h) for h in headers]
    if not any(label.startswith(_QUIZ_PREFIXES) for label in labels):
        return []
    questions = set(labels)
    return [
        index
        for index, label in enumerate(labels)
        if label.startswith(_QUIZ_PREFIXES) and label.split(" ", 1)[1] in questions
    ]


_DS_HEADERS = ("connecte via", "etat du dossier", "instructeurs", "depose le", "archive")


def _check_ds_csv(table: Table, layout: Layout, columns: list[Column]) -> None:
    """Démarches simplifiées' CSV holds the main sheet only: its repeatable blocks (the city's
    professionals, often) are missing. Refused with the way out, rather than every city failing
    for want of a public (issue 16, finding F18)."""
    if table.detected.format != "csv" or layout is not Layout.PER_CITY:
        return
    labels = {normalise_label(h) for h in table.headers}
    if sum(1 for h in _DS_HEADERS if h in labels) < 3:
        return
    present = {c.ref.role for c in columns if c.ref is not None and c.ref.role is not None}
    absent = [role for role in city_roles() if role not in present]
    if absent:
        raise InputError(
            t("forms.ds_csv_blocks", roles=", ".join(t(f"role_plural.{r.value}") for r in absent)),
            location=Location(file=table.file),
            hint=t("forms.ds_csv_blocks_hint"),
        )


def _finish_columns(table: Table, layout: Layout, columns: list[Column]) -> ColumnMap:
    _check_ds_csv(table, layout, columns)
    notes: list[str] = []
    if layout is Layout.PER_PERSON:
        shared = _shared_emails(table, columns)
        if shared:
            for position, column in enumerate(columns):
                if column.index in shared:
                    columns[position] = Column(column.index, column.header, FieldRef(IGNORE))
            notes.append(
                t(
                    "forms.note_shared_email",
                    columns=", ".join(f"« {table.headers[i]} »" for i in sorted(shared)),
                )
            )
    if layout is Layout.PER_CITY:
        lonely = _person_looking(columns)
        # Ungrouped commitment or job columns in a per-city file: a person without a role.
        lonely += [
            c
            for c in columns
            if c.ref is not None
            and c.ref.role is None
            and c.ref.field in ("committed", "job_title")
            and c.index not in table.filer_columns
        ]
        kinds = {loose_person_field(normalise_label(c.header)) for c in lonely}
        if (
            len(lonely) >= 2
            and kinds & {"name", "first_name", "last_name", "email"}
            and (kinds & {"committed", "job_title", "phone"} or len(kinds) >= 2)
        ):
            raise InputError(
                t(
                    "forms.person_without_role",
                    columns=", ".join(f"« {c.header} »" for c in lonely),
                ),
                location=Location(file=table.file),
                hint=t("forms.suggest_hint", file=table.file),
            )
        if lonely:
            notes.append(
                t("forms.note_person_columns", columns=", ".join(f"« {c.header} »" for c in lonely))
            )
    return ColumnMap(layout, tuple(columns), tuple(notes))


def _shared_emails(table: Table, columns: list[Column]) -> set[int]:
    """One row per person: e-mail columns that hold the form's respondent, not the person.

    A column is the respondent's when one address is given for two different people of one
    city (one secretary filled the form in for everyone): such a column is not imported as
    the people's e-mail (the people are then imported without one, or with the other column).
    """
    emails = [c.index for c in columns if c.ref == FieldRef("email")]
    city = next((c.index for c in columns if c.ref == FieldRef("city")), None)
    names = [
        c.index
        for c in columns
        if c.ref is not None
        and c.ref.role is None
        and c.ref.field in ("name", "first_name", "last_name")
    ]
    if not emails or city is None or not names:
        return set()

    def cell(row: RawRow, index: int) -> str:
        return row.cells[index].strip() if index < len(row.cells) else ""

    shared: set[int] = set()
    for index in emails:
        # The rows of each (city, address); names are compared only where an address repeats
        # in a city, not folded on each of 10,000 rows (issue 16).
        rows: dict[tuple[str, str], list[RawRow]] = {}
        for row in table.rows:
            address = cell(row, index).casefold()
            if address:
                rows.setdefault((normalise_label(cell(row, city)), address), []).append(row)
        for same in rows.values():
            if len(same) < 2:
                continue
            people = {normalise_label(" ".join(cell(row, n) for n in names)) for row in same}
            if len(people - {""}) > 1:  # two different people (a row without a name: nobody)
                shared.add(index)
                break
    return shared


def _slot_label(ref: FieldRef) -> str:
    label = field_label(ref)
    if ref.role is not None and ref.slot > 1:
        role = t(f"role.{ref.role.value}").capitalize()
        return label.replace(role, f"{role} {ref.slot}", 1)
    return label


def source_rows(
    table: Table, columns: ColumnMap, *, notes: list[str] | None = None
) -> list[SourceRow]:
    """The table's rows with their cells keyed by field; unrecognised columns as extras.

    One row per person, a person's row with no city (a city cell merged over its people, saved
    as CSV, keeps the name on the first row only) takes the city of the row above, and a note
    says so in ``notes``.
    """
    rows = []
    city = FieldRef("city")
    role = FieldRef(ROLE_FIELD)
    fill = columns.layout is Layout.PER_PERSON
    previous: Cell | None = None
    filled: list[int] = []
    # Decided once per column, not once per cell: kept fields, and named extra columns.
    kept = [
        (c.index, c.header, c.ref)
        for c in columns.columns
        if c.ref is not None and c.ref.field != IGNORE
    ]
    # Two columns for one field (the first filled wins) are rare: the common case is one loop.
    twice = len({ref for _, _, ref in kept}) < len(kept)
    extras = [(c.index, c.header) for c in columns.columns if c.ref is None and c.header]
    widest = max((index for index, _, _ in kept), default=-1)
    clash: tuple[str, str, int] | None = None  # two columns read as one person's field
    ticks = _checkbox_columns(table, kept)
    if ticks and notes is not None:
        notes.append(
            t(
                "forms.note_checkbox",
                columns=", ".join(f"« {table.headers[i]} » (« {v} »)" for i, v in ticks.items()),
            )
        )
    for raw in table.rows:
        values = raw.cells
        if ticks:  # a single checkbox: its label when ticked, nothing otherwise
            values = tuple(
                ("X" if v.strip() else "") if i in ticks else v for i, v in enumerate(values)
            )
        width = len(values)
        cells: dict[FieldRef, Cell]
        if not twice and widest < width:  # Cell(header, text), without its __new__'s call
            cells = {ref: _tuple(Cell, (header, values[index])) for index, header, ref in kept}
        else:
            cells = {}
            for index, header, ref in kept:
                text = values[index] if index < width else ""
                earlier = cells.get(ref)
                if earlier is not None and earlier.text.strip():
                    if (
                        ref.role is not None
                        and text.strip()
                        and not clash
                        and not _same_answer(ref, earlier.text, text)
                    ):
                        clash = (earlier.header, header, raw.number)
                    continue
                cells[ref] = Cell(header, text)
        extra: dict[str, str] = {}
        for index, header in extras:
            text = values[index].strip() if index < width else ""
            if text:
                extra[header] = text
        if fill and city in cells:
            if cells[city].text.strip():
                previous = cells[city]
            elif previous is not None and role in cells and cells[role].text.strip():
                cells[city] = previous
                filled.append(raw.number)
        rows.append(SourceRow.made(table.location(raw), cells, extra))
    if clash is not None:  # both answered: keeping one would drop a person without a word
        first, second, number = clash
        raise InputError(
            t("forms.same_person_field", first=first, second=second),
            location=table.location(number),
            hint=t("forms.suggest_hint", file=table.file),
        )
    if filled and notes is not None:
        notes.append(t("forms.note_city_filled", rows=_spans(filled)))
    return rows


_tuple = tuple.__new__  # 140,000 cells for 10,000 rows (issue 16)


def _same_answer(ref: FieldRef, first: str, second: str) -> bool:
    """Whether two columns read as one person's field say the same: Tally's checkbox list
    (« Élu·e, Professionnel·le 1 ») beside its one column per option (``true``/``false``)."""
    if " ".join(first.split()).casefold() == " ".join(second.split()).casefold():
        return True
    if ref.field != "committed":
        return False
    try:
        return parse_yes_no(first) == parse_yes_no(second)
    except ValueError:
        return False


_COMMITMENT_WORDS = (
    "engage", "commit", "suivr", "particip", "present", "presence", "accept", "confirm", "attend",
)  # fmt: skip


def _checkbox_columns(table: Table, kept: list[tuple[int, str, FieldRef]]) -> dict[int, str]:
    """Commitment columns answered by one single checkbox (Google Forms writes the option's
    label when it is ticked, nothing otherwise): one same text that is not a yes/no and says
    a commitment (« Je m'engage à suivre les trois journées »), or an empty cell."""
    found: dict[int, str] = {}
    for index, _, ref in kept:
        if ref.field != "committed":
            continue
        texts = {
            " ".join(row.cells[index].split())
            for row in table.rows
            if index < len(row.cells) and row.cells[index].strip()
        }
        if len(texts) != 1:
            continue
        text = next(iter(texts))
        label = normalise_label(text)
        if _is_yes_no(text) or not any(word in label for word in _COMMITMENT_WORDS):
            continue
        if label.startswith(("ne ", "pas ", "non ", "je ne ")):  # « Je ne m'engage pas »
            continue
        found[index] = text
    return found


def _spans(numbers: list[int]) -> str:
    """``3, 4, 5, 9`` -> ``3-5, 9``."""
    parts: list[str] = []
    start = end = numbers[0]
    for number in numbers[1:]:
        if number == end + 1:
            end = number
            continue
        parts.append(f"{start}-{end}" if end > start else str(start))
        start = end = number
    parts.append(f"{start}-{end}" if end > start else str(start))
    return ", ".join(parts)


# --- a mapping the tool proposes (cotrain import --suggest) ------------------------------

# Words naming a city's field inside a longer question, the most specific first: "À quel
# territoire la commune appartient-elle ?" is the territory, "Montant de la contribution de
# la ville" the contribution; a question naming only the city is the city.
_CITY_WORDS: tuple[tuple[str, str], ...] = (
    ("territoire", "territory"),
    ("ept", "territory"),
    ("intercommunalite", "territory"),
    ("qpv", "priority_neighbourhoods"),
    ("quartiers", "priority_neighbourhoods"),
    ("deliberation", "contribution_proof"),
    ("bon de commande", "contribution_proof"),
    ("justificatif", "contribution_proof"),
    ("contribution", "contribution"),
    ("montant", "contribution"),
    ("participation", "contribution"),
    ("euros", "contribution"),
    ("amount", "contribution"),
    ("horodat", "submitted_at"),
    ("date", "submitted_at"),
    ("timestamp", "submitted_at"),
    ("contact", "contact"),
    ("commune", "city"),
    ("ville", "city"),
    ("collectivite", "city"),
    ("municipalite", "city"),
    ("city", "city"),
)


_NAME_OF = re.compile(r"^(?:nom|name) (?:de (?:la |l |votre |notre )?|of (?:the |your )?)")


def city_question(label: str) -> bool:
    """``Nom de votre commune``: the name of a city, not a person's name."""
    rest = _NAME_OF.sub("", label, count=1)
    return rest != label and word_fields(rest)[:1] == ["city"]


def word_fields(label: str) -> list[str]:
    """The city fields a question's words name (normalised ``label``), most specific first."""
    padded = f" {label} "
    found = [name for word, name in _CITY_WORDS if f" {word}" in padded]
    return list(dict.fromkeys(found))


@dataclass(frozen=True)
class Suggestion:
    header: str
    target: str  # a field name as written in [import.columns]
    sure: bool  # recognised without help
    reason: str = ""  # why it is a guess: "role", "values", "words", "unknown", "missing"
    placeholder: bool = False  # a required field no column was found for: a line to fill in


def field_name(ref: FieldRef) -> str:
    """``FieldRef("email", Role.PROFESSIONAL, 2)`` -> ``professional.2.email``."""
    if ref.role is None:
        return ref.field
    if ref.slot == 1:
        return f"{ref.role.value}.{ref.field}"
    return f"{ref.role.value}.{ref.slot}.{ref.field}"


_PARTICLES = {"de", "du", "des", "la", "le", "d", "van", "von", "ben", "el", "di", "da", "dos"}


def _looks_like_name(value: str) -> bool:
    """``Marie Lenoir``, ``Jean-François de La Tour``: two to five capitalised words."""
    words = value.split()
    if not 2 <= len(words) <= 5 or parse_role(value) is not None:
        return False
    if any(ch.isdigit() or ch in "@/:;()?!" for ch in value):
        return False
    capitals = 0
    for word in words:
        core = word.strip(".,")
        if not core:
            return False
        if core[0].isupper():
            capitals += 1
        elif re.split(r"['’]", core.lower())[0] not in _PARTICLES:
            return False
    return capitals >= 2


def name_share(values: list[str]) -> float:
    if not values:
        return 0.0
    return sum(1 for v in values if _looks_like_name(v)) / len(values)


def _guess_from_values(values: list[str]) -> str | None:
    from cotrain.domain.intake import is_email

    if not values:
        return None
    names = name_share(values)
    if role_share(values) >= 0.6 and names < 0.5:
        return ROLE_FIELD
    if names >= 0.6:
        return "name"
    if sum(1 for v in values if is_email(v)) >= 0.8 * len(values):
        return "email"
    yes_no = 0
    for value in values:
        try:
            parse_yes_no(value)
            yes_no += 1
        except ValueError:
            pass
    if yes_no == len(values):
        return "committed"
    return None


def suggest_columns(
    table: Table,
    custom: Mapping[str, str] | None = None,
    *,
    require_commitment: bool = True,
    require_contribution: bool = True,
    role_limits: Mapping[Role, RoleLimits] | None = None,
) -> list[Suggestion]:
    """Every column with the field it holds: recognised, or a guess marked for review; then,
    for every required field still missing with that mapping, a best guess or a line to fill.

    A person's field whose role cannot be read from the header takes the role and number of
    the group just before it (forms list a person's questions together). Questions asked of
    each person in turn (« Nom #1 », « Nom #2 »…, see ``numbered_headers``) are given to the
    programme's roles in their order, as a call for applications lists them (``role_limits``:
    how many of each role a city names).
    """
    # A column of people's names mapped to "role" (a wrong guess written earlier): guessed again.
    wrong = {
        header
        for index, header in enumerate(table.headers)
        if (custom or {}).get(header) == ROLE_FIELD
        and name_share(_values(table, index, 200)) >= 0.5
    }
    kept = {k: v for k, v in (custom or {}).items() if k not in wrong}
    result = [
        Suggestion(s.header, s.target, False, "missing") if s.header in wrong else s
        for s in _suggest_each(table, kept, _repeated_questions(table, kept, role_limits))
    ]
    return _fill_missing(
        table,
        result,
        custom,
        require_commitment=require_commitment,
        require_contribution=require_contribution,
    )


# A person's field in a question code (LimeSurvey's codes are letters and digits only, no
# separator): ``ELUENG``, ``PRO2MAIL``, ``DPNOM``, or the field first, ``ENGPRO1``.
_CODE_FIELDS: dict[str, str] = {
    "eng": "committed",
    "engag": "committed",
    "engage": "committed",
    "engagement": "committed",
    "nom": "name",
    "prenom": "first_name",
    "mail": "email",
    "email": "email",
    "courriel": "email",
    "mel": "email",
    "tel": "phone",
    "telephone": "phone",
    "fonction": "job_title",
    "poste": "job_title",
}
_CODE_DIGITS = re.compile(r"(\d{1,2})")


def _compact_code(label: str) -> FieldRef | None:
    """``elueng``, ``pro2mail``, ``engpro1``: a role's short form or label, its number, and a
    field's code, glued; None unless every part is known."""
    for prefix, role in _role_prefixes():
        if " " in prefix:
            continue
        if label.startswith(prefix):  # role first
            rest = label[len(prefix) :]
            digits = _CODE_DIGITS.match(rest)
            slot = int(digits.group(1)) if digits else 1
            rest = rest[digits.end() :] if digits else rest
            name = _CODE_FIELDS.get(rest)
            if name is not None and slot >= 1:
                return FieldRef(name, role, slot)
        for code, name in _CODE_FIELDS.items():  # field first
            if label.startswith(code) and label[len(code) :].startswith(prefix):
                tail = label[len(code) + len(prefix) :]
                if not tail or (tail.isdigit() and len(tail) <= 2 and int(tail) >= 1):
                    return FieldRef(name, role, int(tail) if tail else 1)
    return None


def _candidate(table: Table, columns: list[Column], ref: FieldRef) -> int | None:
    """The unused column that most likely holds the required field ``ref``."""
    from cotrain.domain.intake import is_email, parse_amount

    free = [
        c
        for c in columns
        if c.header
        and c.index not in table.filer_columns
        and (c.ref is None or c.ref.field == IGNORE)
        and _builtin_match(normalise_label(c.header)) != FieldRef(IGNORE)  # form metadata (id)
    ]
    # Forms list a person's questions together: after that person's name column.
    anchor = next((c.index for c in columns if c.ref == FieldRef("name", ref.role, ref.slot)), None)
    best: tuple[int, int] | None = None
    for column in free:
        values = _values(table, column.index, 200)
        if not values:
            continue
        named = role_in_text(column.header)
        if ref.role is not None and named is not None and named is not ref.role:
            continue
        if ref.field in ("name", "last_name"):
            fits = name_share(values) >= 0.5
        elif ref.field == "committed":
            fits = _share(values, _is_yes_no) >= 0.8
        elif ref.field == "contribution":
            fits = _share(values, lambda v: _is_amount(v, parse_amount)) >= 0.8
        elif ref.field == "email":
            fits = _share(values, is_email) >= 0.8
        elif ref.field == ROLE_FIELD:
            fits = role_share(values) >= 0.6 and name_share(values) < 0.5
        else:
            fits = False
        if not fits:
            continue
        score = 0 if ref.role is not None and named is ref.role else 1
        if anchor is not None:
            score = score * 1000 + (column.index - anchor if column.index > anchor else 999)
        if best is None or (score, column.index) < best:
            best = (score, column.index)
    return best[1] if best else None


def _share(values: list[str], test: Callable[[str], bool]) -> float:
    return sum(1 for v in values if test(v)) / len(values) if values else 0.0


def _is_yes_no(value: str) -> bool:
    try:
        parse_yes_no(value)
    except ValueError:
        return False
    return True


def _is_amount(value: str, parse: Callable[[str], object]) -> bool:
    try:
        return parse(value) is not None
    except (ValueError, ArithmeticError):
        return False


def _fill_missing(
    table: Table,
    result: list[Suggestion],
    custom: Mapping[str, str] | None,
    *,
    require_commitment: bool,
    require_contribution: bool,
) -> list[Suggestion]:
    """Propose a column (or a line to fill in) for each required field still missing."""
    result = list(result)
    for _ in range(4 * len(table.headers) + 4):
        merged = dict(custom or {})
        merged.update({s.header: s.target for s in result if not s.sure and not s.placeholder})
        _, columns, missing = _decide_layout(
            table,
            custom=merged,
            require_commitment=require_commitment,
            require_contribution=require_contribution,
        )
        pending = {s.target for s in result if s.placeholder}
        missing = [ref for ref in missing if field_name(ref) not in pending]
        if not missing:
            break
        for ref in missing:
            index = _candidate(table, columns, ref)
            if index is not None:
                header = table.headers[index]
                guess = Suggestion(header, field_name(ref), False, "missing")
                result = [guess if s.header == header else s for s in result]
                if all(s.header != header for s in result):
                    result.append(guess)
                break
        else:
            placeholder = t("forms.placeholder_column")
            result += [
                Suggestion(placeholder, field_name(ref), False, "placeholder", placeholder=True)
                for ref in missing
            ]
            break
    return result


_NUMBERED = re.compile(r"^(.*) #(\d+)$", re.DOTALL)


def _block_slots(
    count: int, role_limits: Mapping[Role, RoleLimits] | None
) -> list[tuple[Role, int]]:
    """The people ``count`` repeated blocks of questions most likely describe, in order: one
    of each role a city must name, the blocks beyond them to the role a city may name most of
    (5 blocks: an elected official, professionals 1 to 3, a delegate)."""
    roles = city_roles()
    limits = role_limits or {}
    required = [r for r in roles if (limits[r].min if r in limits else 1) >= 1] or list(roles)
    if count <= len(required):
        return [(role, 1) for role in required[:count]]
    most = max(roles, key=lambda r: (limits[r].max if r in limits else 1, -roles.index(r)))
    people = required if most in required else sorted([*required, most], key=roles.index)
    more = count - len(people)  # blocks beyond one per role: all to ``most``
    return [
        (role, slot)
        for role in people
        for slot in range(1, 2 + (more if role is most else 0))
    ]


def _repeated_questions(
    table: Table, custom: Mapping[str, str] | None, role_limits: Mapping[Role, RoleLimits] | None
) -> dict[int, Suggestion]:
    """Guesses for the numbered copies of questions asked of each person in turn.

    A question naming its role (« Nom du professionnel » three times) gives that role's people
    1, 2, 3; a bare one (« Nom », « Prénom », « Courriel ») gives the k-th block of questions
    to the k-th person of ``_block_slots``. A bare question written once more than the others
    (the form tool's own « Adresse e-mail » before the people's) leaves its first copies out.
    """
    copies: dict[str, list[int]] = {}
    mapped = {normalise_label(key) for key in custom or {}}
    for index, header in enumerate(table.headers):
        found = _NUMBERED.match(header)
        if found and normalise_label(header) not in mapped:
            copies.setdefault(found.group(1), []).append(index)
    copies = {base: indexes for base, indexes in copies.items() if len(indexes) > 1}
    fields: dict[str, tuple[str | None, Role | None]] = {}
    for base, indexes in copies.items():
        label = normalise_label(base)
        ref = match_header(base)
        if ref is not None and ref.field in PERSON_FIELDS:
            fields[base] = (ref.field, ref.role)
            continue
        person = None if city_question(label) else loose_person_field(label)
        if person is None:
            by_values = _guess_from_values(_values(table, indexes[-1], 200))
            person = by_values if by_values in ("email", "committed", "name") else None
        fields[base] = (person, role_in_text(label) if person else None)
    bare = Counter(
        len(copies[base])
        for base, (field, role) in fields.items()
        if field in ("name", "last_name", "first_name", "email") and role is None
    )
    blocks = max(bare, key=lambda n: (bare[n], -n)) if bare else 0  # a block names its person
    for base, (field, role) in fields.items():
        if role is not None and len(copies[base]) == blocks:  # « e-mail professionnel » x5
            fields[base] = (field, None)
    if any(field == "first_name" for field, _ in fields.values()):  # « Nom » beside « Prénom »
        fields = {b: ("last_name" if f == "name" else f, r) for b, (f, r) in fields.items()}
    slots = _block_slots(blocks, role_limits)
    result: dict[int, Suggestion] = {}
    for base, indexes in copies.items():
        field, role = fields[base]
        extra = max(0, len(indexes) - blocks)
        for k, index in enumerate(indexes):
            header = table.headers[index]
            if field is None:
                result[index] = Suggestion(header, IGNORE, False, "unknown")
            elif role is not None:
                target = field_name(FieldRef(field, role, k + 1))
                result[index] = Suggestion(header, target, False, "repeated")
            elif not blocks or len(indexes) < blocks:  # not once per person: whose is it?
                result[index] = Suggestion(header, IGNORE, False, "role")
            elif k < extra:
                result[index] = Suggestion(header, IGNORE, False, "respondent")
            elif k - extra < len(slots):
                who, slot = slots[k - extra]
                target = field_name(FieldRef(field, who, slot))
                result[index] = Suggestion(header, target, False, "order")
            else:
                result[index] = Suggestion(header, IGNORE, False, "role")
    return result


_GROUP_FILLERS = frozenset({"de", "du", "la", "le", "l", "des", "d", "n", "of", "the"})


def _group_base(label: str, names: bool) -> tuple[str, int] | None:
    """What a person's question says besides its field, and its number: ``cdp 1 nom`` and
    ``mail cdp 1`` give ``("cdp", 1)``, and so does ``cdp 1`` when its values are ``names``;
    None when it says nothing else (« Nom »)."""
    padded = f" {label} "
    for word, _ in _LOOSE_FIELDS:
        at = padded.find(f" {word} ")
        if at >= 0:
            words = padded[:at].split() or padded[at + len(word) + 2 :].split()
            break
    else:
        if not names:
            return None
        words = label.split()
    while words and words[0] in _GROUP_FILLERS:
        words = words[1:]
    slot = 1
    if len(words) > 1 and words[-1].isdigit() and len(words[-1]) <= 2:
        slot = max(int(words[-1]), 1)
        words = words[:-1]
        if words[-1] in _GROUP_FILLERS:
            words = words[:-1]
    if not words or len(words) > 3:  # no group, or a question in a sentence
        return None
    return " ".join(words), slot


def _absent_role_groups(
    table: Table, custom: Mapping[str, str] | None
) -> dict[int, tuple[Role, int]]:
    """Person columns headed by a group no role label names (« CDP 1 - Nom », « Mail RPV 2 »):
    when there are as many such groups as roles no column names, each group in turn is given
    the next of those roles, in the order a call lists them (a guess, marked for review)."""
    present: set[Role] = set()
    groups: dict[str, list[tuple[int, int]]] = {}
    for index, header in enumerate(table.headers):
        if not header:
            continue
        ref = match_header(header, custom)
        if ref is not None:
            if ref.role is not None:
                present.add(ref.role)
            continue
        label = normalise_label(header)
        if city_question(label) or role_in_text(label) is not None:
            continue
        named = loose_person_field(label) is None and name_share(_values(table, index, 50)) >= 0.6
        base = _group_base(label, named)
        if base is not None:
            groups.setdefault(base[0], []).append((index, base[1]))
    absent = [role for role in city_roles() if role not in present]
    if not groups or len(groups) != len(absent):
        return {}
    return {
        index: (role, slot)
        for role, members in zip(absent, groups.values(), strict=True)
        for index, slot in members
    }


def _suggest_each(
    table: Table, custom: Mapping[str, str] | None, repeated: Mapping[int, Suggestion]
) -> list[Suggestion]:
    result: list[Suggestion] = []
    group: tuple[Role, int] | None = None
    taken: set[str] = set()
    absent = _absent_role_groups(table, custom)
    for index, header in enumerate(table.headers):
        if not header:
            continue
        if index in repeated:
            result.append(repeated[index])
            taken.add(repeated[index].target)
            continue
        ref = match_header(header, custom)
        if index in table.filer_columns and ref is not None and ref.role is None:
            ref = FieldRef(IGNORE) if ref.field in PERSON_FIELDS else ref
        if ref is not None:
            result.append(Suggestion(header, field_name(ref), True))
            taken.add(field_name(ref))
            group = (ref.role, ref.slot) if ref.role is not None else group
            continue
        label = normalise_label(header)
        values = _values(table, index, 200)
        person = None if city_question(label) else loose_person_field(label)
        if person is None and role_in_text(label) is None:  # a city's question, by its words
            city = next((name for name in word_fields(label) if name not in taken), None)
            if city is not None:
                taken.add(city)
                result.append(Suggestion(header, city, False, "words"))
                continue
        by_values = _guess_from_values(values)
        if person is None and by_values in ("email", "committed", "name"):
            person = by_values
        if by_values == ROLE_FIELD:
            result.append(Suggestion(header, ROLE_FIELD, False, "values"))
            continue
        if person is not None:
            role = role_in_text(label)
            reason = "words"
            if role is not None:
                slot = 1
                while field_name(FieldRef(person, role, slot)) in taken and slot < 9:
                    slot += 1
                target = field_name(FieldRef(person, role, slot))
            elif index in absent:  # « CDP 1 - Nom »: the role no column names
                target = field_name(FieldRef(person, *absent[index]))
                reason = "absent"
            elif group is not None:
                target = field_name(FieldRef(person, group[0], group[1]))
            else:
                result.append(Suggestion(header, IGNORE, False, "role"))
                continue
            if target in taken:
                result.append(Suggestion(header, IGNORE, False, "role"))
                continue
            taken.add(target)
            result.append(Suggestion(header, target, False, reason))
            if role is not None:
                group = (role, slot)
            elif index in absent:
                group = absent[index]
            continue
        city = next((name for name in word_fields(label) if name not in taken), None)
        if city is not None:
            taken.add(city)
            result.append(Suggestion(header, city, False, "words"))
            continue
        result.append(Suggestion(header, IGNORE, False, "unknown"))
    return result


def suggestion_block(suggestions: list[Suggestion], *, everything: bool = False) -> str:
    """The ``[import.columns]`` block for ``cotrain.toml``; guesses marked for review."""
    import json

    lines = ["[import.columns]"]
    for item in suggestions:
        if item.sure and not everything:
            continue
        line = f"{json.dumps(item.header, ensure_ascii=False)} = {json.dumps(item.target)}"
        if item.placeholder:
            line = "# " + line
        if not item.sure:
            line += f"  # {t(f'forms.review.{item.reason}')}"
        lines.append(line)
    return "\n".join(lines) + "\n"
