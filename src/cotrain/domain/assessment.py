"""The evaluation of learning, per person (issue 11): what the attestation de fin de formation
states (Code du travail L6353-1: "les résultats de l'évaluation des acquis de la formation",
due when the programme plans an evaluation — AUDIT.md §1.3; Qualiopi indicator 11).

The project manager records one result per trainee (``cotrain assess``): acquired, in
progress or not acquired, with an optional note. Stored in ``assessments.toml``.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

ASSESSMENTS_SCHEMA = 1


class Result(StrEnum):
    ACQUIRED = "acquired"
    IN_PROGRESS = "in_progress"
    NOT_ACQUIRED = "not_acquired"


# What a user may type, in either language, with or without accents, spaces or dashes.
_SPELLINGS = {
    Result.ACQUIRED: ("acquired", "acquis", "acquise", "acquises"),
    Result.IN_PROGRESS: ("in progress", "in_progress", "en cours", "en cours d'acquisition"),
    Result.NOT_ACQUIRED: ("not acquired", "not_acquired", "non acquis", "non acquise"),
}


def parse_result(text: str) -> Result | None:
    """``acquis``, ``en-cours``, ``non acquis``, ``in_progress`` … → a :class:`Result`."""
    wanted = " ".join(text.strip().lower().replace("-", " ").replace("_", " ").split())
    for result, spellings in _SPELLINGS.items():
        if wanted in {s.replace("_", " ") for s in spellings}:
            return result
    return None


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Assessment(_Model):
    person: str
    result: Result
    note: str = ""
    recorded_at: datetime | None = None


class AssessmentsFile(_Model):
    schema_: int = Field(default=ASSESSMENTS_SCHEMA, alias="schema")
    assessments: list[Assessment] = []

    def of(self, person_id: str) -> Assessment | None:
        return next((a for a in self.assessments if a.person == person_id), None)


def record_assessment(
    assessments: AssessmentsFile,
    person_id: str,
    result: Result,
    *,
    note: str = "",
    now: datetime,
) -> AssessmentsFile:
    """The file with this person's result replaced (one result per person), sorted by id."""
    kept = [a for a in assessments.assessments if a.person != person_id]
    kept.append(Assessment(person=person_id, result=result, note=note.strip(), recorded_at=now))
    return AssessmentsFile(assessments=sorted(kept, key=lambda a: a.person))
