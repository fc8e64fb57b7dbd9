"""Removing personal data once the retention period starts (issue 6, ``cotrain purge``).

Works on the raw data of every workspace file (``file name -> dict``, as the models dump it), so
that every kind of file is covered, including those other areas register:

- every person (members of the cities' triads, activists) and every trainer gets a pseudonym:
  ids become ``p001``, ``p002``... (trainers ``t01``...), names become "Personne 001"...; the
  numbering follows a shuffled order (``seed``), so that it does not keep the alphabetical order
  of the names. The same pseudonym replaces the id everywhere (schedule groups, attendance
  marks and corrections, survey respondents, keep_apart, duos...), so every figure of
  ``report`` and ``report --by ...`` stays the same;
- e-mails, phone numbers, job titles and notes about people are emptied, as is what can only
  be free text tied to someone: a city's contact, the other answered fields of an application,
  the reason given for an attendance correction, who spoke in a duo's note, the free-text
  answers of a named survey respondent;
- every other text is searched for the people's names, ids and e-mail addresses, which are
  replaced (a selection reason or a group label naming someone keeps its sense, not the name).

Cities, roles, dates, statuses, amounts and survey scores are kept: they are the statistics.
Pseudonymised data is still personal data in the GDPR's sense (CNIL): purge is what the
retention period asks of the workspace, the files produced earlier are removed by the CLI.
Running purge again changes nothing.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from cotrain.i18n import t

PERSON_PSEUDONYM = re.compile(r"p\d{3,}")
TRAINER_PSEUDONYM = re.compile(r"t\d{2,}")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")

# Keys holding personal details wherever they appear: emptied.
CLEARED = {"email": "emails", "phone": "phones", "job_title": "job_titles", "notes": "notes"}
# Keys holding free text tied to a person, in the file where they mean that.
FREE_TEXT = {
    "applications.toml": {"contact", "extra"},
    "attendance.toml": {"reason"},
    "duo_notes.toml": {"spoke"},
    "signatures.toml": {"strokes", "reason"},  # a handwritten signature identifies its signer
    "assessments.toml": {"note"},
}
WORD = re.compile(r"\w+")


@dataclass
class PurgeOutcome:
    """The files as they will be written, and what was removed (counts by kind)."""

    files: dict[str, dict[str, Any]]
    removed: Counter[str] = field(default_factory=Counter)

    @property
    def changed(self) -> bool:
        return sum(self.removed.values()) > 0


def purge_data(files: Mapping[str, Mapping[str, Any]], *, seed: int) -> PurgeOutcome:
    """Pseudonymise and strip ``files`` (raw data by file name); the input is not changed.

    ``seed`` shuffles the numbering of pseudonyms (the CLI draws it at random and keeps it
    nowhere, so that the pseudonyms cannot be traced back).
    """
    config = files.get("cotrain.toml", {})
    applications = files.get("applications.toml", {})
    people = [
        (p["id"], p.get("name", ""))
        for app in applications.get("applications", [])
        for p in app.get("people", [])
    ]
    people += [(a["id"], a.get("name", "")) for a in config.get("activists", [])]
    trainers = [(tr["id"], tr.get("name", "")) for tr in config.get("trainers", [])]

    rng = random.Random(seed)
    ids: dict[str, str] = {}
    names: dict[str, str] = {}
    labels: dict[str, str] = {}  # pseudonym id -> pseudonym name
    removed: Counter[str] = Counter()
    for found, pattern, width, key, kind in (
        (people, PERSON_PSEUDONYM, 3, "purge.person_name", "people"),
        (trainers, TRAINER_PSEUDONYM, 2, "purge.trainer_name", "trainers"),
    ):
        mapped = _pseudonyms(found, pattern, width=width, prefix=pattern.pattern[0], rng=rng)
        for old, new in mapped.items():
            ids[old] = new
            removed[kind] += 1
        for old_id, name in found:
            new_id = ids.get(old_id, old_id)
            label = t(key, number=new_id[1:])
            labels[new_id] = label
            if name and name != label:
                # Two people of the same name: each record keeps its own pseudonym (by id), and
                # the name met in free text becomes an anonymous "someone" (issue 13).
                names[name] = label if names.get(name, label) == label else t("purge.someone")
    surnames = _name_parts(people + trainers, ids, labels, names)
    rewriter = _Rewriter(ids, names, removed, labels=labels, parts=surnames)
    out: dict[str, dict[str, Any]] = {}
    for file_name, data in files.items():
        out[file_name] = rewriter.rewrite(data, free_text=FREE_TEXT.get(file_name, set()))
    if "surveys.toml" in out:
        text_questions = {
            (survey.get("id"), question.get("id"))
            for survey in config.get("surveys", [])
            for question in survey.get("questions", [])
            if question.get("type") == "text"
        }
        _drop_attributed_texts(out["surveys.toml"], text_questions, removed)
    return PurgeOutcome(out, removed)


def _pseudonyms(
    found: list[tuple[str, str]],
    pattern: re.Pattern[str],
    *,
    width: int,
    prefix: str,
    rng: random.Random,
) -> dict[str, str]:
    """old id -> pseudonym id, for the ids that are not pseudonyms already."""
    taken = {old for old, _ in found if pattern.fullmatch(old)}
    todo = sorted({old for old, _ in found} - taken)
    rng.shuffle(todo)
    width = max(width, len(str(len(todo) + len(taken))))
    mapping: dict[str, str] = {}
    number = max((int(old[1:]) for old in taken), default=0)
    for old in todo:
        number += 1
        candidate = f"{prefix}{number:0{width}d}"
        while candidate in taken:
            number += 1
            candidate = f"{prefix}{number:0{width}d}"
        mapping[old] = candidate
    return mapping


# Particles and short words of names that are not names on their own.
_PARTICLES = {"de", "du", "des", "le", "la", "les", "van", "von", "der", "ben", "bin", "el", "al"}
# French phone numbers as people write them: 06 12 34 56 78, 06.12.34.56.78, 0612345678,
# +33 6 12 34 56 78, +33 (0)6 12 34 56 78, 0033 6 12 34 56 78, 06-12-34-56-78.
PHONE = re.compile(
    r"(?<![\w+])(?:(?:\+|00)\s?33\s?(?:\(0\)\s?)?|0)[1-9](?:[ \t.\-]?\d{2}){4}(?![\d/])"
)


def _name_parts(
    found: list[tuple[str, str]],
    ids: dict[str, str],
    labels: dict[str, str],
    names: dict[str, str],
) -> dict[str, str]:
    """Each word of a name (a surname written alone) -> its person's pseudonym, or "someone"
    when several people share it."""
    parts: dict[str, str] = {}
    for old_id, name in found:
        label = labels.get(ids.get(old_id, old_id), "")
        if not name or name in labels.values():
            continue
        for word in re.split(r"[\s]+", name):
            word = word.strip(",.;:()")
            if len(word) < 3 or word.casefold() in _PARTICLES:
                continue
            key = word.casefold()
            parts[key] = label if parts.get(key, label) == label else t("purge.someone")
    return parts


class _Rewriter:
    """Replaces ids and names in any nested data, and empties personal fields."""

    def __init__(
        self,
        ids: dict[str, str],
        names: dict[str, str],
        removed: Counter[str],
        *,
        labels: dict[str, str] | None = None,
        parts: dict[str, str] | None = None,
    ) -> None:
        self.exact = {**names, **ids}
        self.ids = ids
        self.labels = labels or {}
        self.parts = parts or {}
        self.removed = removed
        # Names and ids inside longer text, found through their first word (fast on 10,000).
        self.by_word: dict[str, list[tuple[str, str]]] = {}
        for old, new in sorted(self.exact.items(), key=lambda item: -len(item[0])):
            words = WORD.findall(old.casefold())
            if words and len(old) >= 4:
                self.by_word.setdefault(words[0], []).append((old, new))

    def rewrite(self, value: Any, *, free_text: set[str] = frozenset(), key: str = "") -> Any:  # type: ignore[assignment]
        if isinstance(value, Mapping):
            out = {}
            own = value.get("id")
            own_label = (
                self.labels.get(self.ids.get(own, own)) if isinstance(own, str) else None
            )
            for k, v in value.items():
                if k == "name" and own_label and isinstance(v, str) and v:
                    out[k] = own_label  # this record's own pseudonym, even for a shared name
                    continue
                if k in CLEARED and isinstance(v, str) and v:
                    self.removed[CLEARED[k]] += 1
                    out[k] = type(v)()
                elif k in free_text and v:
                    self.removed["free_texts"] += 1
                    out[k] = type(v)()
                else:
                    out[self.text(k) if isinstance(k, str) else k] = self.rewrite(
                        v, free_text=free_text, key=k
                    )
            return out
        if isinstance(value, list | tuple):
            items = [self.rewrite(v, free_text=free_text, key=key) for v in value]
            if (
                items
                and all(isinstance(v, str) and v in self.exact for v in value)
                and key != "trainers"
            ):
                items = sorted(items)  # lists of ids stay sorted on disk (a duo keeps its order)
            return items if isinstance(value, list) else tuple(items)
        if isinstance(value, str):
            return self.text(value)
        return value

    def text(self, value: str) -> str:
        exact = self.exact.get(value)
        if exact is not None:
            return exact
        if "@" in value:
            value, count = EMAIL.subn("", value)
            self.removed["emails"] += count
        if any(c.isdigit() for c in value):
            value, count = PHONE.subn("", value)
            self.removed["phones"] += count
        folded = value.casefold()
        for word in set(WORD.findall(folded)):
            for old, new in self.by_word.get(word, ()):
                if old.casefold() in folded:
                    value = re.sub(
                        rf"(?<![\w-]){re.escape(old)}(?![\w-])", new, value, flags=re.IGNORECASE
                    )
                    folded = value.casefold()
        if self.parts and any(c.isspace() for c in value):  # sentences, never ids or keys
            value = WORD.sub(lambda m: self.parts.get(m.group().casefold(), m.group()), value)
        return value


def _drop_attributed_texts(
    surveys: dict[str, Any], text_questions: set[tuple[Any, Any]], removed: Counter[str]
) -> None:
    """Free-text answers of named respondents go; anonymous ones stay (names replaced)."""
    for survey in surveys.get("surveys", []):
        for response in survey.get("responses", []):
            if not response.get("respondent"):
                continue
            answers = response.get("answers", {})
            for question, answer in list(answers.items()):
                if (survey.get("survey_id"), question) in text_questions and answer != "":
                    del answers[question]
                    removed["free_texts"] += 1


@dataclass(frozen=True)
class Retention:
    """When personal data may be purged: ``[privacy] retention_years`` after the last
    half-day, and never before the end of the keeping the certificates promise for the
    evidence (sign-in sheets, certificates: ``[training] keep_years`` after the end of the
    year of the last day, AUDIT.md §1)."""

    last_day: Any  # date
    data_until: Any  # date: last day + retention_years
    evidence_until: Any  # date: 31 December of the last day's year + keep_years
    retention_years: int
    keep_years: int

    @property
    def purge_from(self) -> Any:
        """The first day a purge respects both periods."""
        from datetime import timedelta

        return max(self.data_until, self.evidence_until + timedelta(days=1))


def retention(last_day: Any, *, retention_years: int, keep_years: int) -> Retention:
    """The retention periods of a programme whose last half-day is ``last_day``."""
    from datetime import date

    def plus_years(day: date, years: int) -> date:
        try:
            return day.replace(year=day.year + years)
        except ValueError:  # 29 February
            return day.replace(year=day.year + years, day=28)

    return Retention(
        last_day=last_day,
        data_until=plus_years(last_day, retention_years),
        evidence_until=date(last_day.year + keep_years, 12, 31),
        retention_years=retention_years,
        keep_years=keep_years,
    )
