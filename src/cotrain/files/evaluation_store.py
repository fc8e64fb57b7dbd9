"""The evaluation's files: survey answers (``surveys.toml``) and duo notes (``duo_notes.toml``).

Import this module wherever these files are read, so that ``doctor`` and ``purge`` know them.
"""

from __future__ import annotations

from cotrain.domain.duos import DUO_NOTES_SCHEMA, DuoNotesFile
from cotrain.domain.surveys import SURVEYS_SCHEMA, SurveysFile
from cotrain.files.store import FileSpec
from cotrain.files.workspace import Workspace, register

SURVEYS = register(FileSpec("surveys.toml", SurveysFile, SURVEYS_SCHEMA, "survey answers"))
DUO_NOTES = register(
    FileSpec("duo_notes.toml", DuoNotesFile, DUO_NOTES_SCHEMA, "trainer duos' notes")
)


def load_surveys(ws: Workspace) -> SurveysFile:
    return ws.load_or_default(SURVEYS, SurveysFile)


def save_surveys(ws: Workspace, surveys: SurveysFile, *, dry_run: bool = False) -> None:
    ws.save(SURVEYS, surveys, dry_run=dry_run)


def load_duo_notes(ws: Workspace) -> DuoNotesFile:
    return ws.load_or_default(DUO_NOTES, DuoNotesFile)


def save_duo_notes(ws: Workspace, notes: DuoNotesFile, *, dry_run: bool = False) -> None:
    ws.save(DUO_NOTES, notes, dry_run=dry_run)
