"""The one translation function, its catalogues, and locale-aware formatting.

Catalogues live in ``cotrain/locales/<lang>/*.toml`` as flat ``key = "text with {param}"``
tables (dotted keys become nested tables; both are flattened). Each area of the code keeps its
own file (``core.toml``, ``intake.toml``, ``schedule.toml``...) so that areas evolve apart, but
every user-facing string goes through :func:`t`.

The language is set once per command (``--lang`` > ``cotrain.toml`` > ``COTRAIN_LANG`` > ``fr``).
Formatting follows the reader: in French ``1 500,00 €``, ``22/01/2015``, ``95 %``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

LANGUAGES = ("fr", "en")
DEFAULT_LANGUAGE = "fr"
# French typography: a no-break space groups thousands and precedes the euro sign and "%".
NBSP = "\u00a0"

_LOCALES = Path(__file__).parent / "locales"
_catalogues: dict[str, dict[str, str]] = {}
_language = DEFAULT_LANGUAGE
# Labels the programme defines for itself (its publics' names, issue 15), above the catalogues.
_overrides: dict[str, dict[str, str]] = {}


def _flatten(prefix: str, table: Mapping[str, object], out: dict[str, str]) -> None:
    for key, value in table.items():
        full = f"{prefix}.{key}" if prefix else key
        if isinstance(value, Mapping):
            _flatten(full, value, out)
        else:
            out[full] = str(value)


def _parse_catalogue(text: str) -> Mapping[str, object]:
    """rtoml (Rust, already a dependency) reads the catalogues of a language ten times faster
    than tomllib: 35 ms of every command's start-up (issue 16); tomllib if it cannot."""
    try:
        import rtoml

        parsed: Mapping[str, object] = rtoml.loads(text)
        return parsed
    except Exception:  # noqa: BLE001 - no wheel for this platform, or a refusal: tomllib decides
        import tomllib  # only then (4 ms of each start otherwise)

        return tomllib.loads(text)


def catalogue(lang: str) -> dict[str, str]:
    """All messages of one language, loaded once from every file of its folder."""
    if lang not in _catalogues:
        merged: dict[str, str] = {}
        folder = _LOCALES / lang
        for path in sorted(folder.glob("*.toml")):
            _flatten("", _parse_catalogue(path.read_text(encoding="utf-8")), merged)
        _catalogues[lang] = merged
    return _catalogues[lang]


def set_overrides(labels: Mapping[str, Mapping[str, str]]) -> None:
    """Replace the programme's own labels: ``{"fr": {"role.social_worker": "…"}, "en": …}``."""
    _overrides.clear()
    for lang, table in labels.items():
        _overrides[lang] = dict(table)


def set_language(lang: str | None) -> str:
    """Choose the language for what follows; unknown values fall back to French."""
    global _language
    if lang:
        lang = lang.lower()[:2]
    _language = lang if lang in LANGUAGES else DEFAULT_LANGUAGE
    return _language


def get_language() -> str:
    return _language


def t(key: str, /, *, lang: str | None = None, **params: object) -> str:
    """Translate ``key`` into the current language and fill in ``params``.

    A key missing from the current language falls back to English, then to the key itself,
    so that a missing translation never crashes a command.
    """
    language = lang or _language
    text = _overrides.get(language, {}).get(key) if _overrides else None
    if text is None:
        text = catalogue(language).get(key)
    if text is None:
        text = catalogue("en").get(key, key)
    if not params:
        return text
    if ":" in text:  # a grammar spec ("{city:de}", "{count:|jour|jours}") may be there
        params = {
            k: _Words(v) if isinstance(v, str)
            else _Count(v, language) if isinstance(v, int) and not isinstance(v, bool) else v
            for k, v in params.items()
        }
    try:
        return text.format(**params)
    except (KeyError, IndexError, ValueError):
        return text


def has_override(key: str, *, lang: str | None = None) -> bool:
    """The programme names this itself (a public's label from ``[roles]``)."""
    return key in _overrides.get(lang or _language, {})


class _Words(str):
    """A text parameter French messages can put after a preposition: ``{city:de}`` gives
    « d'Aubervilliers », « de Bondy », « du Blanc-Mesnil »; ``{city:à}`` « à Bondy », « au
    Blanc-Mesnil » (see ``cotrain.domain.french``; issue 11)."""

    __slots__ = ()

    def __format__(self, spec: str) -> str:
        if spec in ("de", "à", "a"):
            from cotrain.domain import french

            return french.de(str(self)) if spec == "de" else french.a(str(self))
        return format(str(self), spec)


class _Count(int):
    """A number a message can agree with: ``{count:|demi-journée|demi-journées}`` gives the
    singular for 0 and 1 in French (1 in English), the plural otherwise; any other format spec
    formats the number as usual."""

    language: str

    def __new__(cls, value: int, language: str) -> _Count:
        number = super().__new__(cls, value)
        number.language = language
        return number

    def __format__(self, spec: str) -> str:
        if spec.startswith("|"):
            singular, _, plural = spec[1:].partition("|")
            one = abs(int(self)) < 2 if self.language == "fr" else int(self) == 1
            return singular if one else plural
        return format(int(self), spec)


def has_key(key: str, *, lang: str | None = None) -> bool:
    language = lang or _language
    return key in _overrides.get(language, {}) or key in catalogue(language)


def detect_language(argv: list[str] | None = None, env: Mapping[str, str] | None = None) -> str:
    """The language for help texts, decided before the command line is parsed.

    ``--lang X`` on the command line, else ``COTRAIN_LANG``, else the ``language`` of the
    workspace's ``cotrain.toml`` (``-w``, ``COTRAIN_WORKSPACE`` or the current folder), else fr.
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    env = os.environ if env is None else env
    workspace: str | None = None
    for index, arg in enumerate(argv):
        if arg == "--lang" and index + 1 < len(argv):
            return set_language(argv[index + 1])
        if arg.startswith("--lang="):
            return set_language(arg.split("=", 1)[1])
        if arg in ("-w", "--workspace") and index + 1 < len(argv):
            workspace = argv[index + 1]
        elif arg.startswith("--workspace="):
            workspace = arg.split("=", 1)[1]
    if env.get("COTRAIN_LANG"):
        return set_language(env["COTRAIN_LANG"])
    folder = Path(workspace or env.get("COTRAIN_WORKSPACE") or ".")
    try:
        text = (folder / "cotrain.toml").read_bytes().decode("utf-8-sig")
        language = _parse_catalogue(text).get("language")  # rtoml: 10 ms less than tomllib
        if isinstance(language, str):
            return set_language(language)
    except (OSError, ValueError):  # unreadable, not UTF-8, not TOML (TOMLDecodeError)
        pass
    return set_language(DEFAULT_LANGUAGE)


# --- formatting --------------------------------------------------------------------------


def _group_thousands(digits: str, sep: str) -> str:
    groups = []
    while len(digits) > 3:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    groups.insert(0, digits)
    return sep.join(groups)


def format_number(
    value: Decimal | int | float, *, decimals: int = 0, lang: str | None = None
) -> str:
    """``1234.5`` -> ``1 234,50`` in French, ``1,234.50`` in English."""
    language = lang or _language
    quantum = Decimal(1).scaleb(-decimals)
    amount = Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP)
    sign = "-" if amount < 0 else ""
    whole, _, fraction = f"{abs(amount):f}".partition(".")
    if language == "fr":
        text = _group_thousands(whole, NBSP) + ("," + fraction if fraction else "")
    else:
        text = _group_thousands(whole, ",") + ("." + fraction if fraction else "")
    return sign + text


def format_money(value: Decimal | int | float, *, lang: str | None = None) -> str:
    """Euros as the reader expects: ``1 500,00 €`` (fr) or ``€1,500.00`` (en)."""
    language = lang or _language
    number = format_number(value, decimals=2, lang=language)
    if language == "fr":
        return f"{number}{NBSP}€"
    if number.startswith("-"):
        return f"-€{number[1:]}"
    return f"€{number}"


def format_percent(ratio: Decimal | float, *, decimals: int = 0, lang: str | None = None) -> str:
    """A ratio in 0..1 as a percentage rounded half up: ``0.945`` -> ``95 %`` (fr), ``95%`` (en)."""
    language = lang or _language
    number = format_number(Decimal(str(ratio)) * 100, decimals=decimals, lang=language)
    return f"{number}{NBSP}%" if language == "fr" else f"{number}%"


_WEEKDAYS = {
    "fr": ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"],
    "en": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
}
_MONTHS = {
    "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
           "septembre", "octobre", "novembre", "décembre"],
    "en": ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"],
}


def format_date(
    value: date, *, long: bool = False, words: bool = False, lang: str | None = None
) -> str:
    """A date as the reader expects it: the one way documents and messages print a date.

    - short (default): ``22/01/2015`` (fr); ``22 January 2015`` (en: a numeric date is read
      differently on each side of the Atlantic, words are not);
    - ``words=True``, as a letter writes it: ``1er décembre 2014`` (fr), ``1 December 2014`` (en);
    - ``long=True``, with the weekday: ``jeudi 22 janvier 2015``, ``Thursday 22 January 2015``.
    """
    language = lang or _language
    if isinstance(value, datetime):
        value = value.date()
    month = _MONTHS[language][value.month - 1]
    day = "1er" if language == "fr" and value.day == 1 else str(value.day)
    if long:
        return f"{_WEEKDAYS[language][value.weekday()]} {day} {month} {value.year}"
    if language == "fr" and not words:
        return value.strftime("%d/%m/%Y")
    return f"{day} {month} {value.year}"


def format_time(value: time, *, lang: str | None = None) -> str:
    """A time of day as documents and messages print it: ``9 h 30``, ``14 h`` (fr, French
    typography: no-break spaces); ``9:30 am``, ``2 pm`` (en)."""
    language = lang or _language
    if language == "fr":
        if value.minute:
            return f"{value.hour}{NBSP}h{NBSP}{value.minute:02d}"
        return f"{value.hour}{NBSP}h"
    hour = value.hour % 12 or 12
    suffix = "am" if value.hour < 12 else "pm"
    return f"{hour}:{value.minute:02d}{NBSP}{suffix}" if value.minute else f"{hour}{NBSP}{suffix}"


def format_time_range(start: time, end: time, *, lang: str | None = None) -> str:
    """``9 h 30 – 12 h 30`` (fr), ``9:30 am – 12:30 pm`` (en): a half-day's hours."""
    return f"{format_time(start, lang=lang)}{NBSP}– {format_time(end, lang=lang)}"


def format_datetime(value: datetime, *, lang: str | None = None) -> str:
    """``27/11/2026 18 h 45`` (fr), ``27 November 2026, 6:45 pm`` (en)."""
    language = lang or _language
    when = format_time(value.time().replace(second=0, microsecond=0), lang=language)
    separator = " " if language == "fr" else ", "
    return f"{format_date(value.date(), lang=language)}{separator}{when}"
