"""A programme's folder: ``cotrain.toml`` plus the files commands write.

One object owns every path of a workspace; commands ask it for models and hand it models to
save. Other areas register their files with :func:`register` (a :class:`FileSpec`), so that
``doctor`` and ``purge`` know every file there is.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar, cast

from pydantic import BaseModel

from cotrain import __version__
from cotrain.domain.config import CONFIG_SCHEMA, Config, ConfigProblem, config_problems
from cotrain.domain.models import (
    APPLICATIONS_SCHEMA,
    SCHEDULE_SCHEMA,
    SELECTION_SCHEMA,
    ApplicationsFile,
    ScheduleFile,
    SelectionFile,
)
from cotrain.enums import Role
from cotrain.errors import InputError, Location, WorkspaceError
from cotrain.files.store import FileSpec, load_model, save_model, workspace_lock
from cotrain.i18n import t

CONFIG_NAME = "cotrain.toml"

M = TypeVar("M", bound=BaseModel)

CONFIG = FileSpec(CONFIG_NAME, Config, CONFIG_SCHEMA, "the programme and its rules")
APPLICATIONS = FileSpec("applications.toml", ApplicationsFile, APPLICATIONS_SCHEMA, "applications")
SELECTION = FileSpec("selection.toml", SelectionFile, SELECTION_SCHEMA, "selection")
SCHEDULE = FileSpec("schedule.toml", ScheduleFile, SCHEDULE_SCHEMA, "schedule")

# Every kind of file a workspace may hold, by name. Areas add theirs with register().
FILES: dict[str, FileSpec] = {}


def register(spec: FileSpec) -> FileSpec:
    FILES[spec.name] = spec
    return spec


for _spec in (CONFIG, APPLICATIONS, SELECTION, SCHEDULE):
    register(_spec)


def resolve_root(workspace: str | Path | None) -> Path:
    """``--workspace``, else ``COTRAIN_WORKSPACE``, else the current folder."""
    if workspace:
        return Path(workspace)
    env = os.environ.get("COTRAIN_WORKSPACE")
    return Path(env) if env else Path.cwd()


def config_error(path: Path, problems: list[ConfigProblem]) -> InputError:
    """The problems across the tables of ``cotrain.toml``, each with its line (issue 15)."""
    from cotrain.files.store import key_path
    from cotrain.files.toml_lines import line_of

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        text = ""
    details = []
    for problem in problems:
        where = key_path(problem.loc)
        line = line_of(text, problem.loc) if text else None
        if line:
            where = t("store.key_at_line", key=where, line=line)
        details.append(
            t("store.problem", where=where, text=t(f"config.{problem.code}", **problem.params))
        )
    first = problems[0]
    return InputError(
        t("store.invalid", count=len(problems)),
        location=Location(
            file=str(path),
            key=key_path(first.loc),
            line=line_of(text, first.loc) if text else None,
        ),
        details=details,
        hint=t("store.invalid_hint"),
    )


def apply_roles(config: Config) -> None:
    """Make the programme's publics (``[roles]``) the ones every command knows (issue 15):
    the city roles in their order, their labels in both languages, the words naming them in
    a form's headers."""
    from cotrain.domain.intake import ROLE_LABELS, inclusive_forms, set_role_labels
    from cotrain.enums import set_city_roles
    from cotrain.i18n import set_overrides

    set_city_roles(config.city_roles)
    labels: dict[str, dict[str, str]] = {"fr": {}, "en": {}}
    words: dict[Role, list[str]] = {}
    for role, spec in config.roles.items():
        for lang, singular, plural in (
            ("fr", spec.label, spec.plural),
            ("en", spec.label_en, spec.plural_en),
        ):
            if singular:
                labels[lang][f"role.{role.value}"] = singular
                labels[lang][f"role_plural.{role.value}"] = plural or f"{singular}s"
            elif plural:
                labels[lang][f"role_plural.{role.value}"] = plural
        if role == Role.ACTIVIST:
            continue
        labels_given = [w for w in (spec.label, spec.plural, spec.label_en, spec.plural_en) if w]
        words[role] = [
            *ROLE_LABELS.get(role, ()),
            *labels_given,
            *(form for label in labels_given for form in inclusive_forms(label)),
            *spec.aliases,
        ]
    set_overrides(labels)
    set_role_labels(words)


class Workspace:
    """An opened workspace. Loading never writes; saving is atomic and owner-only."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.notices: list[str] = []  # migration messages and the like, shown by the CLI
        self._config: Config | None = None
        self._readable: set[str] = set()  # files this session read without error

    @classmethod
    def open(cls, workspace: str | Path | None = None) -> Workspace:
        root = resolve_root(workspace)
        if not (root / CONFIG_NAME).is_file():
            raise WorkspaceError(
                t("workspace.not_found", folder=str(root)),
                hint=t("workspace.not_found_hint", folder=str(root)),
            )
        return cls(root)

    def path(self, name: str) -> Path:
        return self.root / name

    @property
    def config(self) -> Config:
        if self._config is None:
            loaded = load_model(self.path(CONFIG_NAME), CONFIG, notices=self.notices)
            config = cast(Config, loaded)
            problems = config_problems(config)
            if problems:
                raise config_error(self.path(CONFIG_NAME), problems)
            self._config = config
            self._readable.add(CONFIG_NAME)
            apply_roles(config)
        return self._config

    def exists(self, spec: FileSpec) -> bool:
        return self.path(spec.name).is_file()

    def load(self, spec: FileSpec, model: type[M] | None = None) -> M | None:
        """The file's model, or None when the file does not exist yet."""
        path = self.path(spec.name)
        if not path.is_file():
            return None
        loaded = cast(M, load_model(path, spec, notices=self.notices))
        self._readable.add(spec.name)
        return loaded

    def load_or_default(self, spec: FileSpec, model: type[M]) -> M:
        loaded = self.load(spec, model)
        return loaded if loaded is not None else model()

    def save(self, spec: FileSpec, model: BaseModel, *, dry_run: bool = False) -> None:
        """Write ``model`` atomically; never over a file that does not read (issue 6).

        A hand-edited file that no longer parses or validates is left as it is: saving raises
        the error that names its line and key, even for a command that did not need to read it.
        """
        path = self.path(spec.name)
        if spec.name not in self._readable and path.is_file():
            load_model(path, spec)  # raises InputError / WorkspaceError if broken
            self._readable.add(spec.name)
        if dry_run:
            return
        header = t(
            "workspace.file_header", description=spec.description, version=__version__, lang="en"
        )
        save_model(self.path(spec.name), model, header=header)
        self._readable.add(spec.name)

    @contextmanager
    def lock(self) -> Iterator[None]:
        """Serialise changes: hold this around load -> change -> save."""
        with workspace_lock(self.root):
            yield

    def __repr__(self) -> str:  # never leak personal data: only the folder
        return f"Workspace({str(self.root)!r})"
