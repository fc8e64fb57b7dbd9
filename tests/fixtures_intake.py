"""What the import tests share: the stored applications of a workspace, read back."""

from __future__ import annotations

import tomllib
from pathlib import Path

from cotrain.domain.models import ApplicationsFile


def applications(ws: Path) -> ApplicationsFile:
    """``applications.toml`` of ``ws``, validated as the commands read it."""
    return ApplicationsFile.model_validate(tomllib.loads((ws / "applications.toml").read_text()))
