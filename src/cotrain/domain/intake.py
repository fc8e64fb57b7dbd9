"""From answered rows to applications: values, people, ids, validation and conflicts (issue 2).

The files layer reads a table and maps its headers to :class:`FieldRef`s
(``cotrain.files.importers``); this module turns the mapped rows into
:class:`~cotrain.domain.models.Application`s and merges them into ``applications.toml``.

Two layouts (:class:`Layout`): one row per city with a group of columns per person, as form
tools export them, and one row per person with the city's fields repeated on each row.

Nothing here reads a file or prints: every problem of a file is collected and raised at once
as one :class:`~cotrain.errors.InputError` whose details name the file, row and column.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from functools import lru_cache
from typing import NamedTuple, TypeVar

from pydantic import BaseModel

from cotrain.domain.models import Application, ApplicationsFile, Person
from cotrain.domain.names import APOSTROPHES, slugify, strip_accents
from cotrain.enums import Role, city_roles
from cotrain.errors import InputError, Location
from cotrain.i18n import format_money, t

_M = TypeVar("_M", bound=BaseModel)


class Layout(StrEnum):
    PER_CITY = "per_city"  # one row per city, a group of columns per person
    PER_PERSON = "per_person"  # one row per person, city fields repeated


CITY_FIELDS = (
    "city",
    "territory",
    "submitted_at",
    "contribution",
    "contribution_proof",
    "score",
    "priority_neighbourhoods",
    "contact",
)
PERSON_FIELDS = (
    "name",
    "first_name",
    "last_name",
    "email",
    "job_title",
    "phone",
    "committed",
    "notes",
)
ROLE_FIELD = "role"
IGNORE = "ignore"
ALL_FIELDS = (*CITY_FIELDS, *PERSON_FIELDS, ROLE_FIELD, IGNORE)


class FieldRef(NamedTuple):
    """What a column holds: a city field, a person field, or (one row per city) the field of
    the ``slot``-th person of ``role``: ``FieldRef("email", Role.PROFESSIONAL, 2)``.

    A named tuple: it keys every cell of every row, and its hash is then computed in C.
    """

    field: str
    role: Role | None = None
    slot: int = 1


class Cell(NamedTuple):
    """One cell of a row (a named tuple: tens of thousands are made per import)."""

    header: str  # as written in the file, for messages
    text: str


@dataclass(frozen=True)
class SourceRow:
    """One row of a file, its cells keyed by what they hold."""

    where: Location  # file and row (or entry key)
    cells: dict[FieldRef, Cell]
    extra: dict[str, str] = field(default_factory=dict)

    def get(self, ref: FieldRef) -> Cell | None:
        return self.cells.get(ref)

    @classmethod
    def made(cls, where: Location, cells: dict[FieldRef, Cell], extra: dict[str, str]) -> SourceRow:
        """``SourceRow(where, cells, extra)`` without the frozen dataclass's ``__init__`` (a
        call of ``object.__setattr__`` per field): one per row, 10,000 per import (issue 16)."""
        row = _new_object(cls)
        _set_slot(row, "__dict__", {"where": where, "cells": cells, "extra": extra})
        return row

    def text(self, ref: FieldRef) -> str:
        cell = self.cells.get(ref)
        return cell.text.strip() if cell else ""


# --- labels and values -------------------------------------------------------------------

# Inclusive writing: élu·e, élu.e, Elu(e), professionnel·le, délégué-e, élu·e·s (after a letter).
_INCLUSIVE = re.compile(
    r"(?<=[^\W\d_])(?:[\u00b7\u2022\u2027\u22c5\u2219.\-]|\()"
    r"(?:e|le|ne|te|se|rice|trice|euse|ere|ère|es|les|nes|ses)\)?(?:[\u00b7\u2022\u2027\u22c5\u2219.]?s)?"
    r"(?![^\W\d_])",
    re.IGNORECASE,
)
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


@lru_cache(maxsize=65536)  # cells repeat: city, role, territory on every row
def normalise_label(text: str) -> str:
    """A header or label reduced for matching: no case, accents, punctuation, inclusive dots.

    ``Élu·e - Nom``, ``élu.e nom``, ``ELU(E) – NOM`` and ``Elu nom`` all give ``elu nom``.
    """
    text = unicodedata.normalize("NFC", text).translate(APOSTROPHES)
    text = _INCLUSIVE.sub("", text)
    text = strip_accents(text).casefold()
    return " ".join(_NON_ALNUM.sub(" ", text).split())


ROLE_LABELS: dict[Role, tuple[str, ...]] = {
    Role.ELECTED: (
        "élu",
        "élue",
        "élus",
        "élues",
        "élu municipal",
        "élue municipale",
        "adjoint au maire",
        "adjointe au maire",
        "maire adjoint",
        "conseiller municipal",
        "conseillère municipale",
        "collège des élus",
        "elected",
        "elected official",
        "official",
        "councillor",
    ),
    Role.PROFESSIONAL: (
        "professionnel",
        "professionnelle",
        "professionnels",
        "agent",
        "agente",
        "agent de la collectivité",
        "technicien",
        "technicienne",
        "techniciens",
        "techniciennes",
        "professionnelles",
        "agentes",
        "pro",
        "cdp",  # chef·fe de projet, a manager's shorthand
        "collège des professionnels",
        "professional",
        "local professional",
        "local authority professional",
        "staff",
    ),
    Role.PREFECT_DELEGATE: (
        "délégué du préfet",
        "déléguée du préfet",
        "délégué préfet",
        "délégués du préfet",
        "déléguées du préfet",
        # the State's side of the triad, as a « Collège » column names it (not « État » alone:
        # a header « État » is a dossier's state, never the delegate's name)
        "collège état",
        "collège de l'état",
        "représentant de l'état",
        "représentante de l'état",
        "services de l'état",
        "délégué du préfet de département",
        "délégué",
        "déléguée",
        "ddp",
        "dpv",
        "dlg préfet",
        "dél. préfet",
        "délégué du préfet à la politique de la ville",
        "collège des délégués du préfet",
        "prefect's delegate",
        "prefect delegate",
        "prefects delegate",
        "delegate of the prefect",
    ),
}
_ROLE_BY_LABEL: dict[str, Role] = {}
_INCLUSIVE_WORD = re.compile(r"^(?P<stem>[^·.]+)[·.](?P<suffix>[^·.]+?)(?:[·.](?P<plural>s))?$")


def inclusive_forms(label: str) -> list[str]:
    """The masculine and feminine forms of an inclusive label, for matching what people
    write: ``travailleur·se social·e`` -> ``travailleur social``, ``travailleuse sociale``."""
    masculine, feminine = [], []
    for word in label.split(" "):
        found = _INCLUSIVE_WORD.match(word)
        if found is None:
            masculine.append(word)
            feminine.append(word)
            continue
        stem, suffix, plural = found["stem"], found["suffix"], found["plural"] or ""
        masculine.append(stem + plural)
        if stem.endswith("eur") and suffix in ("se", "euse"):
            feminine.append(stem[:-3] + "euse" + plural)
        elif stem.endswith("eur") and suffix in ("rice", "trice"):
            feminine.append(stem[:-3] + "rice" + plural)
        elif stem.endswith("er") and suffix.startswith("è"):  # « conseiller·ère »
            feminine.append(stem[:-2] + suffix + plural)
        else:
            feminine.append(stem + suffix + plural)
    forms = [" ".join(masculine), " ".join(feminine)]
    return [form for form in dict.fromkeys(forms) if form != label]


def set_role_labels(labels: Mapping[Role, Iterable[str]] | None = None) -> None:
    """The words that name each city role in a form's headers and cells (issue 15).

    ``None`` restores the reference programme's; a programme with its own publics passes, for
    each of its city roles, its labels (both languages) and the aliases of ``[roles]``.
    """
    table = ROLE_LABELS if labels is None else labels
    _ROLE_BY_LABEL.clear()
    for role, words in table.items():
        for word in (*words, role.value.replace("_", " ")):
            if normalise_label(word):
                _ROLE_BY_LABEL.setdefault(normalise_label(word), role)
    role_prefixes.cache_clear()


@lru_cache(maxsize=1)
def role_prefixes() -> tuple[tuple[str, Role], ...]:
    """Each normalised role label with its role, longest first (for header prefixes)."""
    return tuple(sorted(_ROLE_BY_LABEL.items(), key=lambda item: -len(item[0])))


set_role_labels()


MAX_NAME = 2000  # characters: longer is not a name (a pasted text, a hostile file)


def is_visible(text: str) -> bool:
    """Whether a text shows anything: not only spaces, joiners or other invisible marks."""
    if text[:1].isalnum():  # the common case: a name starting with a letter
        return True
    return any(not unicodedata.category(ch).startswith(("C", "Z")) for ch in text)


def parse_role(text: str, *, loose: bool = False, titles: bool = False) -> Role | None:
    """A role label (``Élu(e)``, ``Agent``, ``Délégué du préfet``); with ``loose``, also a
    short text naming one role (``Élu·e référent·e``, ``DDP``); with ``titles``, also a job
    title that only one role holds (``Adjointe au maire chargée de…``, ``Cheffe de projet``)."""
    role = _ROLE_BY_LABEL.get(normalise_label(text))
    if role is None and loose and len(text.split()) <= 4:
        role = role_in_text(text)
    if role is None and titles:
        role = role_of_title(text)
    return role


# Job titles that only one public of the reference triad holds, as managers type them in a
# role column (« Adjoint au maire », « Cheffe de projet politique de la ville », « DP »).
_TITLE_WORDS: tuple[tuple[str, Role], ...] = (
    ("delegue du prefet", Role.PREFECT_DELEGATE),  # not « Sous-préfet »: another office
    ("deleguee du prefet", Role.PREFECT_DELEGATE),
    ("delegue de la prefete", Role.PREFECT_DELEGATE),
    ("deleguee de la prefete", Role.PREFECT_DELEGATE),
    ("delegue prefet", Role.PREFECT_DELEGATE),
    ("prefect s delegate", Role.PREFECT_DELEGATE),
    ("maire", Role.ELECTED),
    ("adjoint", Role.ELECTED),
    ("adjointe", Role.ELECTED),
    ("conseiller municipal", Role.ELECTED),
    ("conseillere municipale", Role.ELECTED),
    ("conseiller communautaire", Role.ELECTED),
    ("conseillere communautaire", Role.ELECTED),
    ("elu", Role.ELECTED),
    ("elue", Role.ELECTED),
    ("mayor", Role.ELECTED),
    ("councillor", Role.ELECTED),
    ("chef de projet", Role.PROFESSIONAL),
    ("cheffe de projet", Role.PROFESSIONAL),
    ("chef de service", Role.PROFESSIONAL),
    ("cheffe de service", Role.PROFESSIONAL),
    ("charge de mission", Role.PROFESSIONAL),
    ("chargee de mission", Role.PROFESSIONAL),
    ("charge de developpement", Role.PROFESSIONAL),
    ("chargee de developpement", Role.PROFESSIONAL),
    ("agent", Role.PROFESSIONAL),
    ("agente", Role.PROFESSIONAL),
    ("coordinateur", Role.PROFESSIONAL),
    ("coordinatrice", Role.PROFESSIONAL),
    ("directeur", Role.PROFESSIONAL),
    ("directrice", Role.PROFESSIONAL),
    ("animateur", Role.PROFESSIONAL),
    ("animatrice", Role.PROFESSIONAL),
    ("mediateur", Role.PROFESSIONAL),
    ("mediatrice", Role.PROFESSIONAL),
    ("technicien", Role.PROFESSIONAL),
    ("technicienne", Role.PROFESSIONAL),
    ("responsable", Role.PROFESSIONAL),
    ("developpeur", Role.PROFESSIONAL),
    ("project manager", Role.PROFESSIONAL),
    ("officer", Role.PROFESSIONAL),
)


def role_of_title(text: str) -> Role | None:
    """The reference triad's role a job title names, from the word that comes first:
    « Adjointe au maire chargée de la politique de la ville » is an elected official,
    « Chargé de mission auprès du maire » a professional, « Délégué du préfet » the delegate.
    None for a programme whose publics are not the triad's, or a title naming none."""
    label = f" {normalise_label(text)} "
    if len(label) > 200:
        return None
    known = set(city_roles())
    best: tuple[int, Role] | None = None
    for word, role in _TITLE_WORDS:
        at = label.find(f" {word} ")
        if at >= 0 and role in known and (best is None or at < best[0]):
            best = (at, role)
    return best[1] if best is not None else None


# Role words inside longer text (a sheet's name, a question): "Professionnel·les de la ville",
# LimeSurvey codes ELU, PRO1, DP.
_ROLE_WORDS: tuple[tuple[str, Role], ...] = (
    ("delegue du prefet", Role.PREFECT_DELEGATE),
    ("delegues du prefet", Role.PREFECT_DELEGATE),
    ("delegue prefet", Role.PREFECT_DELEGATE),
    ("prefect s delegate", Role.PREFECT_DELEGATE),
    ("prefect delegate", Role.PREFECT_DELEGATE),
    ("delegate", Role.PREFECT_DELEGATE),
    ("ddp", Role.PREFECT_DELEGATE),
    ("dp", Role.PREFECT_DELEGATE),
    ("delegue", Role.PREFECT_DELEGATE),
    ("professionnel", Role.PROFESSIONAL),
    ("professionnels", Role.PROFESSIONAL),
    ("professional", Role.PROFESSIONAL),
    ("professionals", Role.PROFESSIONAL),
    ("pro", Role.PROFESSIONAL),
    ("prof", Role.PROFESSIONAL),
    ("agent", Role.PROFESSIONAL),
    ("agents", Role.PROFESSIONAL),
    ("technicien", Role.PROFESSIONAL),
    ("techniciens", Role.PROFESSIONAL),
    ("technicienne", Role.PROFESSIONAL),
    ("techniciennes", Role.PROFESSIONAL),
    ("professionnelle", Role.PROFESSIONAL),
    ("professionnelles", Role.PROFESSIONAL),
    ("elues", Role.ELECTED),
    ("elu", Role.ELECTED),
    ("elus", Role.ELECTED),
    ("elue", Role.ELECTED),
    ("elected", Role.ELECTED),
    ("councillor", Role.ELECTED),
    ("adjoint", Role.ELECTED),
)


def role_in_text(text: str) -> Role | None:
    """The triad role a longer text names (``Professionnel·les de la ville``), if exactly one."""
    label = f" {normalise_label(text)} "
    found: set[Role] = set()
    known = set(city_roles())  # the programme's own publics only (issue 15)
    for word, role in _ROLE_WORDS:
        if role in known and f" {word} " in label:
            found.add(role)
            label = label.replace(f" {word} ", " ")
    return found.pop() if len(found) == 1 else None


_YES = {
    "oui", "o", "yes", "y", "x", "true", "vrai", "1", "ok", "engage", "engagee", "committed",
    "je m engage", "i commit", "oui je m engage", "yes i commit", "coche", "checked", "v",
    "on",  # Démarches simplifiées' single checkbox: « on » / « off »
    "present", "presente",  # « Présent·e » under « Présence 4,5 j »
}  # fmt: skip
_NO = {
    "non", "n", "no", "false", "faux", "0", "", "pas engage", "not committed", "non engage",
    "unchecked", "non coche", "off", "absent", "absente",
}  # fmt: skip
_TICK_YES = set("✓✔☑✅🗹☒")  # ☒ "box with X": a ticked box
_TICK_NO = set("✗✘☐❌❎⨯")


def parse_yes_no(text: str) -> bool:
    """``oui``/``non``, ``yes``/``no``, ``Y``/``N``, ``x``, ``✓ ✔ ☑``/``✗ ☐``, ``1``/``0``;
    empty is no. Anything else raises ``ValueError``: never a silent "no" (issue 16)."""
    value = text.strip()
    if value in _TICK_YES:
        return True
    if value in _TICK_NO:
        return False
    key = normalise_label(value)
    if not key and value:
        raise ValueError(text)
    if key in _YES:
        return True
    if key in _NO:
        return False
    # A radio answer in a sentence: « Oui, je m'engage à suivre toutes les journées », « Non,
    # pas sur toutes ». A « oui » with a reservation (« Oui, sauf le jeudi ») is not a yes.
    if _NEGATED.match(key):  # « Je ne m'engage pas », « Ne s'engage pas sur toutes »
        return False
    coded = _CODE_AND_LABEL.match(value)
    if coded:  # Sphinx's « codes et libellés »: « 1 - Oui », « 2 - Non »
        return parse_yes_no(coded.group(1))
    first, _, rest = key.partition(" ")
    if rest and len(value) > len(first) and not value[len(first)].isalnum():
        if first in ("non", "no"):
            return False
        if first in ("oui", "yes") and not _RESERVATION.search(f" {rest} "):
            return True
    raise ValueError(text)


# A commitment refused the French way, « ne … pas » (« Je ne m'engage pas », « Ne pourra pas »),
# with nothing after the « pas » but what it is about (« … pas sur toutes les journées »).
_NEGATED = re.compile(
    r"^(?:je |il |elle |on )?(?:ne|n) (?:m |s )?"
    r"(?:engage|engagera|engagerai|peut|peux|pourra|pourrai|participe|participera|participerai"
    r"|suivra|suivrai|sera|serai) pas"
    r"(?: (?:sur|a|pour|durant|pendant) (?:toutes|tous|l ensemble|les|la totalite)(?: \w+){0,4})?$"
)
_CODE_AND_LABEL = re.compile(r"^\d{1,2} ?[-–:.)] ?(\D.*)$")
_RESERVATION = re.compile(
    r" (?:sauf|mais|pas|partiel\w*|seulement|uniquement|hors|except\w*|but|not|only|partly) "
)


_AMOUNT_NOISE = re.compile(r"[\s\u00a0\u202f'€]|eur(os?)?$|^eur(?=[\s\u00a0\d])", re.IGNORECASE)
# Larger amounts and counts are a typing error, not a contribution (1e308, 27 digits).
_AMOUNT = re.compile(r"[-+]?\d{1,12}(\.\d{1,6})?")


_AMOUNT_TAX = re.compile(r"(?:\s|\u00a0|\u202f|€)(?:TTC|HT|net)\.?$", re.IGNORECASE)


def parse_amount(text: str) -> Decimal | None:
    """``1 234,50`` / ``1234.50`` / ``1 000,00 €`` / ``1,234.50`` / ``EUR 600`` -> Decimal;
    empty -> None.

    A tax mention after the sum (``600 € TTC``, ``500 HT``) and the accountant's ``600,-``
    are the same sum.
    """
    value = text.strip()
    mention = False  # a tax mention or a dash: said of a sum, never alone
    if value[-1:] in "CTtc.":
        shorter = _AMOUNT_TAX.sub("", value)
        mention, value = shorter != value, shorter
    value = _AMOUNT_NOISE.sub("", value)
    if value[-2:] in (",-", ".-"):
        mention, value = True, value[:-2]
    if not value:
        if mention or any(ch.isalpha() for ch in text):  # « € TTC », « ,- », « EUR » alone
            raise ValueError(text)
        return None
    if "," in value and "." in value:
        if value.rfind(",") > value.rfind("."):
            value = value.replace(".", "").replace(",", ".")
        else:
            value = value.replace(",", "")
    elif "," in value:
        value = value.replace(",", "") if value.count(",") > 1 else value.replace(",", ".")
    elif value.count(".") > 1:
        value = value.replace(".", "")
    if not _AMOUNT.fullmatch(value):
        raise ValueError(text)
    try:
        return Decimal(value)
    except InvalidOperation:
        raise ValueError(text) from None


_CLOCK = (
    r"(?:[ T,]+(?:-\s*|à\s*|a\s*)?(\d{1,2})[:hH](\d{2})(?::(\d{2}))?(?:[.,]\d+)?\s*([AaPp][Mm])?)?"
)
_ZONE = r"(?:\s*(?:Z|UTC|GMT|CET|CEST)?\s*[+-]?\d{0,2}:?\d{0,2})?"
_FRENCH_DATE = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})" + _CLOCK + _ZONE)
_ISO_DATE = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})" + _CLOCK + _ZONE)


def parse_datetime(text: str) -> datetime | None:
    """A submission time as form tools write it; empty -> None.

    ``15/12/2014 10:32[:05]``, ``02/12/2024 - 10:14`` (Framaforms), ``2024/12/02 10:14:03 AM
    GMT+1`` (Google Forms), ``2024-12-02 10:14:03`` (LimeSurvey), ISO with a zone. Day before
    month unless the first number cannot be a day. A time zone, if any, is dropped:
    submission times are compared with each other only.
    """
    value = " ".join(text.split())
    if not value:
        return None
    found = _ISO_DATE.fullmatch(value)
    if found:
        year, month, day, hour, minute, second, meridian = found.groups()
    else:
        found = _FRENCH_DATE.fullmatch(value)
        if not found:
            return _other_date(value, text)
        day, month, year, hour, minute, second, meridian = found.groups()
        if int(month) > 12 >= int(day):  # 12/31/2024: the American order
            day, month = month, day
        if len(year) == 2:
            year = f"20{year}"
    hours = int(hour or 0)
    if meridian:
        if hours > 12:
            raise ValueError(text)
        hours = hours % 12 + (12 if meridian.lower() == "pm" else 0)
    try:
        return datetime(int(year), int(month), int(day), hours, int(minute or 0), int(second or 0))
    except ValueError:
        raise ValueError(text) from None


# A date cell that lost its format: Excel's serial day number (« 41976,38 » = 3 Dec 2014 09:12),
# between 1982 and 2064 so that no other number (a postcode: 75011) passes for one.
_SERIAL = re.compile(r"(\d{5})(?:[.,](\d{1,12}))?")
_MONTHS = {
    "janv": 1, "janvier": 1, "fevr": 2, "fevrier": 2, "fev": 2, "mars": 3, "avr": 4, "avril": 4,
    "mai": 5, "juin": 6, "juil": 7, "juillet": 7, "aout": 8, "sept": 9, "septembre": 9, "oct": 10,
    "octobre": 10, "nov": 11, "novembre": 11, "dec": 12, "decembre": 12,
    # English, as an English-speaking tool writes them (Jotform's « Dec 3, 2014 »)
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4,
    "april": 4, "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8,
    "sep": 9, "september": 9, "october": 10, "november": 11, "december": 12,
}  # fmt: skip
# « 3 décembre 2014 », « mercredi 3 déc. 2014 à 09:12 », « 1er décembre 2014 », « 03-déc.-14 »
_WORDED_DATE = re.compile(
    r"(?:[a-z]+ )?(\d{1,2})(?:er)? ([a-z]+) (\d{4}|\d{2})"
    r"(?: (?:a )?(\d{1,2})(?: ?h ?| )?(\d{2})?(?: (\d{2}))?)?"
)
# « Dec 3, 2014 », « December 3rd, 2014 9:12 AM »: the month first, in English
_MONTH_FIRST_DATE = re.compile(
    r"([a-z]+) (\d{1,2})(?:st|nd|rd|th)? (\d{4})(?: (\d{1,2}) (\d{2})(?: (\d{2}))?( am| pm)?)?"
)


def _other_date(value: str, text: str) -> datetime:
    found = _SERIAL.fullmatch(value)
    if found and 30_000 <= int(found.group(1)) <= 60_000:
        days = float(f"{found.group(1)}.{found.group(2) or 0}")
        return datetime(1899, 12, 30) + timedelta(seconds=round(days * 86_400))
    label = normalise_label(value)
    found = _WORDED_DATE.fullmatch(label)
    if found and found.group(2) in _MONTHS:
        day, name, year, hour, minute, second = found.groups()
        return _worded(text, year, name, day, hour, minute, second)
    found = _MONTH_FIRST_DATE.fullmatch(label)
    if found and found.group(1) in _MONTHS:
        name, day, year, hour, minute, second, meridian = found.groups()
        if meridian:
            if not hour or not 1 <= int(hour) <= 12:
                raise ValueError(text)
            hour = str(int(hour) % 12 + (12 if meridian == " pm" else 0))
        return _worded(text, year, name, day, hour, minute, second)
    found = _WEEKDAY.match(value)
    if found and found.end() < len(value):  # « mer, 03/12/2014 - 09:12 » (Drupal's medium date)
        return parse_datetime(value[found.end() :]) or _no_date(text)
    raise ValueError(text)


def _worded(text: str, *parts: str | None) -> datetime:
    """A date read from words: ``parts`` are the year, the month's name, the day, the hour,
    minutes and seconds (those three possibly None)."""
    year, name, day, hour, minute, second = parts
    if year and len(year) == 2:  # « 03-déc.-14 », as French Excel shows jj-mmm-aa
        year = f"20{year}"
    try:
        return datetime(
            int(year or 0), _MONTHS[name or ""], int(day or 0), int(hour or 0), int(minute or 0),
            int(second or 0),
        )  # fmt: skip
    except ValueError:
        raise ValueError(text) from None


_WEEKDAY = re.compile(
    r"(?:lun|mar|mer|jeu|ven|sam|dim|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche"
    r"|mon|tue|wed|thu|fri|sat|sun|monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
    r"\.?,? (?=\d)",
    re.IGNORECASE,
)


def _no_date(text: str) -> datetime:
    raise ValueError(text)


_EMAIL = re.compile(r"^[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>.]{2,}$")


def is_email(text: str) -> bool:
    return bool(_EMAIL.match(text))


_ADDRESS_IN = re.compile(r"^(?:mailto:\s*|[^<>@]*<\s*(?:mailto:)?)([^<>\s]+@[^<>\s]+?)\s*>?$")


# What a form writes for a question left unanswered (LimeSurvey's « N/A » option, a manager's
# « néant »): no answer, as an empty cell.
_NO_ANSWER = frozenset(
    ("n/a", "n.a.", "néant", "neant", "non renseigné", "non renseigne", "sans réponse",
     "sans reponse", "not answered")
)  # fmt: skip


def no_answer(text: str) -> bool:
    # the first letter first: this runs for every person's cell of every row
    return text[:1] in "NnSs" and len(text) <= 16 and text.strip().casefold() in _NO_ANSWER


def bare_address(text: str) -> str:
    """The address in what a mail program copies: ``N'Guessan Éloïse <eloise@ville.fr>``,
    ``mailto:eloise@ville.fr``; the text itself otherwise."""
    found = _ADDRESS_IN.match(text)
    if found is None or ("<" in text) != text.endswith(">"):
        return text
    return found.group(1)


def name_and_title(text: str) -> tuple[str, str]:
    """A name cell written on several lines: the first is the name, the others the job title
    when they read as one (``Adjointe au maire chargée…``, three words or more); otherwise the
    lines are one name (``Jean-François⏎Lefèvre-Duval``)."""
    lines = [" ".join(line.split()) for line in text.splitlines() if line.strip()]
    if len(lines) < 2:
        return " ".join(lines), ""
    rest = " ".join(lines[1:])
    if len(rest.split()) >= 3 or role_of_title(rest) is not None:
        return lines[0], rest
    return " ".join(lines), ""


# --- rows to applications ----------------------------------------------------------------


class _Problems:
    """Every problem of a file, gathered so that all are reported at once."""

    def __init__(self) -> None:
        self.items: list[tuple[Location, str]] = []

    def add(self, where: Location, message: str) -> None:
        self.items.append((where, message))

    def raise_if_any(self, file: str) -> None:
        if not self.items:
            return
        details = [t("intake.detail", where=w.render(), message=m) for w, m in self.items]
        raise InputError(
            t("intake.row_errors", count=len(self.items)),
            location=Location(file=file),
            details=details,
            hint=t("intake.row_errors_hint"),
        )


def _at(row: SourceRow, cell: Cell | None) -> Location:
    return replace(row.where, column=cell.header) if cell else row.where


def _source(rows: Sequence[SourceRow], lang: str) -> str:
    first = rows[0].where
    file = first.file or ""
    if first.key is not None:
        keys = ", ".join(r.where.key or "" for r in rows)
        return f"{file}, {keys}"
    numbers = [r.where.row for r in rows if r.where.row is not None]
    if len(numbers) == 1:
        return t("intake.source_row", lang=lang, file=file, row=numbers[0])
    if numbers == list(range(numbers[0], numbers[0] + len(numbers))):
        span = f"{numbers[0]}-{numbers[-1]}"
    else:
        span = ", ".join(str(n) for n in numbers)
    return t("intake.source_rows", lang=lang, file=file, rows=span)


@dataclass
class _CityParts:
    values: dict[str, tuple[object, SourceRow, Cell]] = field(default_factory=dict)
    people: list[tuple[Person, SourceRow, Cell | None]] = field(default_factory=list)
    rows: list[SourceRow] = field(default_factory=list)
    extra: dict[str, set[str]] = field(default_factory=dict)
    # The city's cells of an earlier row read without a problem: a row repeating them (one row
    # per person, the city's fields on each) says nothing new and is not read again.
    read: tuple[Cell | None, ...] = ()

    def kept_extra(self) -> dict[str, str]:
        """Other answered columns whose rows agree: a city's answer, not a person's."""
        return {h: next(iter(v)) for h, v in sorted(self.extra.items()) if len(v) == 1}


@lru_cache(maxsize=65536)  # a city's fields repeat on each of its people's rows
def _parse_city_text(name: str, text: str) -> object:
    if name == "submitted_at":
        return parse_datetime(text)
    if name in ("contribution", "score"):
        amount = parse_amount(text)
        if amount is not None and amount < 0:
            raise ArithmeticError(text)
        return amount
    if name == "city":
        return city_text(text)
    if name == "priority_neighbourhoods":
        number = parse_amount(text)
        if number is None:
            return None
        if number < 0 or number != number.to_integral_value():
            raise ValueError(text)
        return int(number)
    return " ".join(text.split())


_CITY_VALUE_ERRORS = {
    "submitted_at": "intake.bad_date",
    "contribution": "intake.bad_amount",
    "score": "intake.bad_number",
    "priority_neighbourhoods": "intake.bad_count",
}


_CITY_REFS = tuple((name, FieldRef(name)) for name in CITY_FIELDS)
_CITY_KEYS = tuple(ref for _, ref in _CITY_REFS)


def _read_city_fields(row: SourceRow, parts: _CityParts, problems: _Problems) -> None:
    cells = row.cells
    if row.extra:
        _read_extra(row, parts)
    same = tuple(map(cells.get, _CITY_KEYS))
    if same == parts.read:
        return
    before = len(problems.items)
    for name, ref in _CITY_REFS:
        cell = cells.get(ref)
        if cell is None:
            continue
        text = cell.text.strip()
        if not text:
            continue
        try:
            value = _parse_city_text(name, text)
        except ArithmeticError:
            problems.add(_at(row, cell), t("intake.negative_amount", value=cell.text))
            continue
        except ValueError:
            problems.add(
                _at(row, cell), t(_CITY_VALUE_ERRORS.get(name, "intake.bad_value"), value=cell.text)
            )
            continue
        if value is None:
            continue
        if name in parts.values:
            earlier, earlier_row, _ = parts.values[name]
            if name == "city":  # rows are grouped by the city's slug: "BONDY" is "Bondy"
                continue
            if name == "submitted_at":
                if (
                    isinstance(value, datetime)
                    and isinstance(earlier, datetime)
                    and value < earlier
                ):
                    parts.values[name] = (value, row, cell)
                continue
            if earlier != value:
                problems.add(
                    _at(row, cell),
                    t(
                        "intake.city_disagrees",
                        city=parts.values.get("city", ("",))[0] or row.text(FieldRef("city")),
                        value=_show(value),
                        earlier=_show(earlier),
                        row=earlier_row.where.row or earlier_row.where.key or "",
                    ),
                )
            continue
        parts.values[name] = (value, row, cell)
    if len(problems.items) == before:
        parts.read = same


def _read_extra(row: SourceRow, parts: _CityParts) -> None:
    if row.extra:
        kept = parts.extra
        for header, text in row.extra.items():
            text = text.strip()
            if text:
                if header in kept:
                    kept[header].add(text)
                else:
                    kept[header] = {text}


def _show(value: object) -> str:
    if isinstance(value, Decimal):
        return format_money(value)
    return str(value)


def _read_person(
    row: SourceRow,
    role: Role | None,
    slot: int,
    problems: _Problems,
    *,
    role_cell: Cell | None = None,
) -> tuple[Person, Cell | None] | None:
    """The person of ``role``/``slot`` on this row (one row per city), or the row's person."""

    if role_cell is None and not _has_person(row, role, slot):
        return None
    # The person's cells (the columns' role; ``role`` below may be the row's), spaces joined:
    # one loop, no closure (10,000 people in one import, issue 16).
    found = row.cells.get
    cells: dict[str, Cell] = {}
    texts: dict[str, str] = {}
    for key, ref in _person_ref_items(role, slot):
        one = found(ref)
        if one is not None and not no_answer(one.text):
            cells[key] = one
            texts[key] = " ".join(one.text.split())
    cell = cells.get
    titled = ""  # a job title read as the role
    text = texts.get
    first, last, full = text("first_name", ""), text("last_name", ""), text("name", "")
    lines = ""  # « Éloïse N'Guessan⏎Adjointe au maire… »: a name, then a job title
    if (named := cells.get("name")) is not None and "\n" in named.text:
        full, lines = name_and_title(named.text)
    if first and (last or full):
        name = f"{first} {last or full}"
    else:
        name = full or " ".join(p for p in (first, last) if p)
    if name[:1] in "Mm":  # « Mme Éloïse N'Guessan » is Éloïse N'Guessan
        name = without_civility(name)
    if name[:2].isupper():  # « N'GUESSAN Éloïse » is Éloïse N'GUESSAN (same id either way)
        name = first_name_first(name)
    name_cell = cell("name") or cell("last_name") or cell("first_name")
    problems_before = len(problems.items)
    if not name or not is_visible(name):
        problems.add(_at(row, name_cell or role_cell), t("intake.name_missing"))
    elif len(name) > MAX_NAME:
        problems.add(_at(row, name_cell), t("forms.name_too_long", count=len(name), max=MAX_NAME))
    if role_cell is not None and not role_cell.text.strip():
        role = None
        problems.add(_at(row, role_cell), t("intake.role_missing", accepted=_accepted_roles()))
    elif role_cell is not None:
        role = parse_role(role_cell.text, loose=True)
        if role is None:  # a job title in the role column: « Adjointe au maire chargée de… »
            role = role_of_title(role_cell.text)
            titled = " ".join(role_cell.text.split()) if role is not None else ""
        if role is None:
            problems.add(
                _at(row, role_cell),
                t("intake.unknown_role", value=role_cell.text, accepted=_accepted_roles()),
            )
    email = text("email", "")
    if email and not is_email(email):
        email = bare_address(email)
    if email and not is_email(email):
        problems.add(_at(row, cell("email")), t("intake.bad_email", value=email))
    committed_cell = cell("committed")
    committed = False
    if committed_cell is not None:
        try:
            committed = parse_yes_no(committed_cell.text)
        except ValueError:
            problems.add(
                _at(row, committed_cell), t("intake.bad_yes_no", value=committed_cell.text)
            )
    if len(problems.items) > problems_before or role is None:
        return None
    person = Person(
        id=slugify(name),
        name=name,
        role=role,
        job_title=text("job_title", "") or titled or lines,
        email=email.lower(),
        phone=text("phone", ""),
        committed=committed,
        notes=text("notes", ""),
    )
    return person, name_cell


@lru_cache(maxsize=256)
def _person_refs(role: Role | None, slot: int) -> dict[str, FieldRef]:
    """The keys of a person's cells, made once per role and slot, not once per row."""
    return {name: FieldRef(name, role, slot) for name in PERSON_FIELDS}


@lru_cache(maxsize=256)
def _person_ref_items(role: Role | None, slot: int) -> tuple[tuple[str, FieldRef], ...]:
    return tuple(_person_refs(role, slot).items())


def _has_person(row: SourceRow, role: Role | None, slot: int) -> bool:
    """Whether the row names someone (a lone "non" in a commitment column names nobody)."""
    cells = row.cells
    for name, ref in _person_refs(role, slot).items():
        found = cells.get(ref)
        if found is None:
            continue
        text = found.text.strip()
        if no_answer(text):
            continue
        if name == "committed":
            try:
                if parse_yes_no(text):
                    return True
            except ValueError:
                return True
        elif text:
            return True
    return False


def _accepted_roles() -> str:
    return ", ".join(f"« {t(f'role.{role.value}')} »" for role in city_roles())


# « 93200 Saint-Denis », « Saint-Denis (93200) », « Saint-Denis, 93200 », « Saint-Denis (93) »,
# « Saint-Denis (974) » (an overseas department)
_POSTCODE = re.compile(r"^\d{5} +| *\((?:\d{5}|97\d|\d{2}|2[AB])\)$|,? +\d{5}$| +- +\d{5}$")
_CEDEX = re.compile(r" +cedex(?: +\d{1,2})?$", re.IGNORECASE)


@lru_cache(maxsize=65536)
def city_text(text: str) -> str:
    """A city as written in a postal address is the city: ``93200 Saint-Denis``,
    ``Montreuil (93100)`` and ``93009 BOBIGNY CEDEX`` are Saint-Denis, Montreuil, BOBIGNY."""
    value = " ".join(text.split())
    if not any(c.isdigit() for c in value) and "edex" not in value.lower():
        return value
    bare = _POSTCODE.sub("", _CEDEX.sub("", _POSTCODE.sub("", value)))
    return bare if any(c.isalpha() for c in bare) else value


_CIVILITIES = r"(?:m\.|mme\.?|mlle\.?|monsieur|madame|mademoiselle|mr\.?|mrs\.?|ms\.?|miss)"
_CIVILITY = re.compile(_CIVILITIES + r" +(?=\S)", re.IGNORECASE)
_CIVILITY_ALONE = re.compile(_CIVILITIES, re.IGNORECASE)


@lru_cache(maxsize=65536)
def first_name_first(name: str) -> str:
    """« N'GUESSAN Éloïse », « LE GOFF Guillaume » (the last name first and in capitals, as an
    administration writes it) is « Éloïse N'GUESSAN », « Guillaume LE GOFF »: one person has one
    id whatever the order of the export. Any other name is kept as typed (« JB Martin »,
    « DUPONT », « Jean DUPONT »)."""
    words = name.split()
    caps = 0
    while caps < len(words) and words[caps].isupper():
        caps += 1
    rest = words[caps:]
    if not caps or not rest or sum(ch.isalpha() for w in words[:caps] for ch in w) < 3:
        return name
    if any(w.isupper() or not w[:1].isupper() for w in rest):
        return name
    return " ".join(rest + words[:caps])


def without_civility(name: str) -> str:
    """A name without the civility typed before it: « M. », « Mme », « Madame », « Mr »…
    A civility alone is no name (empty)."""
    found = _CIVILITY.match(name)
    if found:
        return name[found.end() :]
    return "" if _CIVILITY_ALONE.fullmatch(name) else name


_SAINT = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}


@lru_cache(maxsize=65536)  # a city's slug on each of its people's rows
def _same_city(slug: str) -> str:
    """A city's slug with ``St``/``Ste`` written out: how the rows of one file are grouped."""
    if "st" not in slug:
        return slug
    return "-".join(_SAINT.get(part, part) for part in slug.split("-"))


def build_applications(
    rows: Sequence[SourceRow], *, layout: Layout, lang: str = "fr"
) -> list[Application]:
    """The applications a file's rows describe, in the order cities first appear.

    Raises one :class:`InputError` listing every problem of the rows (nothing is returned
    half-read). ``lang`` is the workspace language, used for the stored ``source`` text.
    """
    if not rows:
        return []
    file = rows[0].where.file or ""
    problems = _Problems()
    cities: dict[str, _CityParts] = {}
    order: list[tuple[str, _CityParts]] = []  # one row per city: each row is its own response
    roles = city_roles()
    order_of = {role: index for index, role in enumerate(roles)}
    slots: list[tuple[Role, int]] = []  # one row per city: each person's columns
    if layout is Layout.PER_CITY:
        refs: set[FieldRef] = set().union(*(row.cells.keys() for row in rows))
        slots = sorted(
            {(ref.role, ref.slot) for ref in refs if ref.role is not None},
            key=lambda rs: (order_of.get(rs[0], 9), rs[1]),
        )
    city_ref, role_ref = FieldRef("city"), FieldRef(ROLE_FIELD)
    for row in rows:
        city_cell = row.cells.get(city_ref)
        city_name = city_text(city_cell.text) if city_cell else ""
        if not city_name or not is_visible(city_name):
            problems.add(_at(row, city_cell) if city_cell else row.where, t("intake.city_missing"))
            continue
        # « St-Fons » and « Saint-Fons » are one city, whose id is written out: saint-fons
        key = _same_city(slugify(city_name))
        if layout is Layout.PER_CITY:
            parts = _CityParts()
            order.append((key, parts))
        else:
            if key not in cities:
                cities[key] = _CityParts()
                order.append((key, cities[key]))
            parts = cities[key]
        parts.rows.append(row)
        _read_city_fields(row, parts, problems)
        if layout is Layout.PER_CITY:
            for role, slot in slots:
                found = _read_person(row, role, slot, problems)
                if found:
                    parts.people.append((found[0], row, found[1]))
        else:
            role_cell = row.cells.get(role_ref)
            # the role's text first: it is there on nearly every row (both tests are pure)
            if role_cell is not None and (role_cell.text.strip() or _has_person(row, None, 1)):
                found = _read_person(row, None, 1, problems, role_cell=role_cell)
                if found:
                    parts.people.append((found[0], row, found[1]))
    applications = []
    for key, parts in order:
        seen: dict[str, int] = {}
        emails: set[str] = set()
        for person, row, cell in parts.people:
            twice = person.id in seen or (person.email and person.email in emails)
            if twice:
                problems.add(_at(row, cell), t("intake.person_twice", name=person.name))
            seen[person.id] = 1  # the slug of the name
            if person.email:
                emails.add(person.email)
        values = {name: value for name, (value, _, _) in parts.values.items()}
        people = sorted(
            (p for p, _, _ in parts.people),
            key=lambda p: (order_of.get(p.role, 9), p.id),
        )
        applications.append(
            Application(
                city_id=key,
                city=str(values.get("city") or parts.rows[0].text(FieldRef("city"))),
                territory=str(values.get("territory") or ""),
                submitted_at=values.get("submitted_at"),  # type: ignore[arg-type]
                contribution=_cents(values.get("contribution")),  # type: ignore[arg-type]
                contribution_proof=str(values.get("contribution_proof") or ""),
                score=values.get("score"),  # type: ignore[arg-type]
                priority_neighbourhoods=values.get("priority_neighbourhoods"),  # type: ignore[arg-type]
                contact=str(values.get("contact") or ""),
                people=people,
                extra=parts.kept_extra(),
                source=_source(parts.rows, lang),
            )
        )
    problems.raise_if_any(file)
    return applications


def _cents(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(Decimal("0.01"))


# --- merging into the workspace ----------------------------------------------------------


@dataclass(frozen=True)
class Conflict:
    """A city that already had a different response."""

    city_id: str
    city: str
    kept: str  # source of the response in place
    new: str  # source of the new response
    replaced: bool


@dataclass(frozen=True)
class MergeResult:
    applications: ApplicationsFile
    added: tuple[str, ...]
    replaced: tuple[str, ...]
    unchanged: tuple[str, ...]
    conflicts: tuple[Conflict, ...]

    @property
    def unresolved(self) -> tuple[Conflict, ...]:
        return tuple(c for c in self.conflicts if not c.replaced)


_new_object = object.__new__
_set_slot = object.__setattr__


def _updated(model: _M, changes: dict[str, object]) -> _M:
    """``model.model_copy(update=changes)``, the same copy (a shallow copy of the fields with
    ``changes`` applied, marked as set) made without pydantic's generic ``copy.copy`` of each
    attribute: about half the time, and an import of 10,000 people renames most of them
    (issue 16). A model with extra or private attributes goes through ``model_copy``."""
    if model.__pydantic_extra__ is not None or model.__pydantic_private__ is not None:
        return model.model_copy(update=changes)
    copied = _new_object(type(model))
    values = model.__dict__.copy()
    values.update(changes)
    _set_slot(copied, "__dict__", values)
    _set_slot(copied, "__pydantic_extra__", None)
    _set_slot(copied, "__pydantic_fields_set__", model.__pydantic_fields_set__ | changes.keys())
    _set_slot(copied, "__pydantic_private__", None)
    return copied


def _content(application: Application) -> Application:
    """What a response says, without where it was read nor the ids given to its people."""
    people = sorted(  # « BOUZID Karim » stored by an earlier version is the same Karim BOUZID
        (_updated(p, {"id": "", "name": first_name_first(p.name)}) for p in application.people),
        key=lambda p: (p.role.value, p.name, p.email),
    )
    return _updated(application, {"source": "", "people": people})


def same_response(a: Application, b: Application) -> bool:
    return _content(a) == _content(b)


def _id_candidates(base: str, city_id: str, earlier: str | None) -> Iterator[str]:
    """The id a person had, then ``awa-diallo``, ``awa-diallo-bondy``, ``awa-diallo-bondy-2``..."""
    if earlier:
        yield earlier
    yield base
    yield f"{base}-{city_id}"
    yield from (f"{base}-{city_id}-{n}" for n in itertools.count(2))


def merge_applications(
    existing: ApplicationsFile,
    incoming: Iterable[Application],
    *,
    replace: bool = False,
    reserved_ids: Iterable[str] = (),
) -> MergeResult:
    """Merge new responses into the workspace's applications.

    A response equal to the one in place changes nothing. A different response for a city
    that already has one is a :class:`Conflict`; it replaces the earlier one only when
    ``replace`` is true. People keep their ids across re-imports; new people get the slug of
    their name, or, when that id is taken in the workspace (``reserved_ids``: trainers and
    activists, plus every other person), the slug followed by the city's.
    """
    current = {app.city_id: app for app in existing.applications}
    previous = dict(current)
    # Ids never change: a city stored by an earlier version under another id (« st-fons »,
    # « 93200-saint-denis ») keeps it when its name now gives « saint-fons », « saint-denis »
    stored_as: dict[str, str] = {}
    for city_id, stored_app in current.items():
        for now in (_same_city(city_id), _same_city(slugify(city_text(stored_app.city)))):
            if now != city_id:
                stored_as.setdefault(now, city_id)
    added: list[str] = []
    replaced: list[str] = []
    unchanged: list[str] = []
    conflicts: list[Conflict] = []
    touched: set[str] = set()
    for app in incoming:
        if app.city_id not in current and stored_as.get(app.city_id, app.city_id) != app.city_id:
            app = _updated(app, {"city_id": stored_as[app.city_id]})
        old = current.get(app.city_id)
        if old is None:
            current[app.city_id] = app
            added.append(app.city_id)
            touched.add(app.city_id)
        elif same_response(old, app):
            if app.city_id not in touched and app.city_id not in unchanged:
                unchanged.append(app.city_id)
        else:
            conflicts.append(Conflict(app.city_id, app.city, old.source, app.source, replace))
            if replace:
                current[app.city_id] = app
                touched.add(app.city_id)
                if app.city_id not in added and app.city_id not in replaced:
                    replaced.append(app.city_id)
                if app.city_id in unchanged:
                    unchanged.remove(app.city_id)
    taken = set(reserved_ids)
    for city_id, app in current.items():
        if city_id not in touched:
            taken.update(p.id for p in app.people)
    for city_id in sorted(touched):
        app = current[city_id]
        before = previous.get(city_id)
        # a person keeps her id whether her stored name has a civility (« Mme … ») or not
        earlier_people = before.people if before else []
        old_ids = {slugify(without_civility(p.name)): p.id for p in earlier_people}
        # … and whether it was stored last name first (« BOUZID Karim », before 0.1 read it)
        old_ids.update({slugify(first_name_first(p.name)): p.id for p in earlier_people})
        old_ids.update({slugify(p.name): p.id for p in earlier_people})
        people = []
        for person in app.people:
            base = slugify(person.name)
            earlier = old_ids.get(base)
            if earlier is None and base not in taken:
                chosen = base  # the common case, without making candidates
            elif earlier is None and (suffixed := f"{base}-{city_id}") not in taken:
                chosen = suffixed  # a name met in another city: the next candidate, directly
            else:
                chosen = next(c for c in _id_candidates(base, city_id, earlier) if c not in taken)
            taken.add(chosen)
            # A copy only when the id changes: 10,000 people are imported in one go.
            if person.id != chosen:
                person = _updated(person, {"id": chosen})
            people.append(person)
        if any(new is not old for new, old in zip(people, app.people, strict=True)):
            app = _updated(app, {"people": people})
        current[city_id] = app
    merged = existing.model_copy(update={"applications": [current[k] for k in sorted(current)]})
    return MergeResult(merged, tuple(added), tuple(replaced), tuple(unchanged), tuple(conflicts))


# --- one person, two cities (issue 16) ---------------------------------------------------


@dataclass(frozen=True)
class SharedPerson:
    """The same person named by several cities: same e-mail, or same name and phone."""

    name: str
    cities: tuple[tuple[str, str, str], ...]  # (city_id, city, person_id), by city id

    def others(self, city_id: str) -> list[str]:
        return [city for cid, city, _ in self.cities if cid != city_id]


def _phone_key(phone: str) -> str:
    if not phone:
        return ""
    digits = re.sub(r"\D", "", phone)
    if digits.startswith("33") and len(digits) == 11:
        digits = "0" + digits[2:]
    return digits


def people_in_two_cities(applications: Iterable[Application]) -> list[SharedPerson]:
    """Every person named by more than one city (issue 16: one person, one place).

    The same person is the same e-mail (case ignored), or the same name (as its slug) and
    the same phone number (digits only). Two different people who share a name only are not.
    """
    applications = list(applications)
    # Each mark (an e-mail; a name with a phone) and who bears it: most marks have one bearer,
    # and only people sharing one are joined (10,000 people are checked at every ``check``).
    # The first bearer of each mark; a list only for the marks a second person bears.
    bearer_of: dict[str, tuple[str, int]] = {}
    marks: dict[str, list[tuple[str, int]]] = {}
    for app in applications:
        city_id = app.city_id
        for index, person in enumerate(app.people):
            email, phone = person.email, person.phone
            if not email and not phone:
                continue
            bearer = (city_id, index)
            if email:
                mark = "@" + email.casefold()
                earlier = bearer_of.setdefault(mark, bearer)
                if earlier is not bearer:
                    marks.setdefault(mark, [earlier]).append(bearer)
            if phone:
                digits = _phone_key(phone)
                if digits:
                    mark = f"{slugify(person.name)}#{digits}"
                    earlier = bearer_of.setdefault(mark, bearer)
                    if earlier is not bearer:
                        marks.setdefault(mark, [earlier]).append(bearer)
    parent: dict[tuple[str, int], tuple[str, int]] = {}  # union-find over (city_id, index) keys

    def find(key: tuple[str, int]) -> tuple[str, int]:
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for bearers in marks.values():
        if len(bearers) < 2:
            continue
        for key in bearers:
            parent.setdefault(key, key)
        root = find(bearers[0])
        for key in bearers[1:]:
            other = find(key)
            if other != root:
                parent[other] = root
    if not parent:
        return []
    owners: dict[tuple[str, int], tuple[Application, Person]] = {}
    groups: dict[tuple[str, int], list[tuple[str, int]]] = {}
    for app in applications:
        for index, person in enumerate(app.people):
            key = (app.city_id, index)
            if key in parent:
                owners[key] = (app, person)
                groups.setdefault(find(key), []).append(key)
    shared = []
    for members in groups.values():
        cities: dict[str, tuple[str, str, str]] = {}
        for key in members:
            app, person = owners[key]
            cities.setdefault(app.city_id, (app.city_id, app.city, person.id))
        if len(cities) > 1:
            first = owners[min(members)][1]
            shared.append(SharedPerson(first.name, tuple(sorted(cities.values()))))
    return sorted(shared, key=lambda s: (s.cities[0][0], s.name))
