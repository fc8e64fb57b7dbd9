"""``assessments.toml``: the evaluation of learning per person (issue 11).

Import this module wherever the file is read, so that ``doctor`` and ``purge`` know it.
"""

from __future__ import annotations

from cotrain.domain.assessment import ASSESSMENTS_SCHEMA, AssessmentsFile
from cotrain.files.store import FileSpec
from cotrain.files.workspace import Workspace, register

ASSESSMENTS = register(
    FileSpec("assessments.toml", AssessmentsFile, ASSESSMENTS_SCHEMA, "evaluation of learning")
)


def load_assessments(ws: Workspace) -> AssessmentsFile:
    return ws.load_or_default(ASSESSMENTS, AssessmentsFile)


def save_assessments(ws: Workspace, assessments: AssessmentsFile, *, dry_run: bool = False) -> None:
    ws.save(ASSESSMENTS, assessments, dry_run=dry_run)
