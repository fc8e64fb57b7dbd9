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
from cotrain.domain.changes import HISTORY_SCHEMA, HistoryFile
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
from cotrain.files.applications_toml import applications_body
from cotrain.files.store import (
    FAST_WRITERS,
    FileSpec,
    atomic_write_bytes,
    load_model,
    render_model,
    workspace_lock,
)
from cotrain.files.transaction import (
    Overlay,
    Transaction,
    recover,
    relative_name,
    transaction,
    write_one,
)
from cotrain.i18n import t

CONFIG_NAME = "cotrain.toml"

M = TypeVar("M", bound=BaseModel)

CONFIG = FileSpec(CONFIG_NAME, Config, CONFIG_SCHEMA, "the programme and its rules")
APPLICATIONS = FileSpec("applications.toml", ApplicationsFile, APPLICATIONS_SCHEMA, "applications")
SELECTION = FileSpec("selection.toml", SelectionFile, SELECTION_SCHEMA, "selection")
SCHEDULE = FileSpec("schedule.toml", ScheduleFile, SCHEDULE_SCHEMA, "schedule")
HISTORY = FileSpec("history.toml", HistoryFile, HISTORY_SCHEMA, "changes after the start")

# Every kind of file a workspace may hold, by name. Areas add theirs with register().
FILES: dict[str, FileSpec] = {}


def register(spec: FileSpec) -> FileSpec:
    FILES[spec.name] = spec
    return spec


for _spec in (CONFIG, APPLICATIONS, SELECTION, SCHEDULE, HISTORY):
    register(_spec)
FAST_WRITERS[ApplicationsFile] = applications_body


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
        message = t(f"config.{problem.code}", **problem.params)  # type: ignore[arg-type]
        details.append(t("store.problem", where=where, text=message))
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
    """An opened workspace. Loading never writes; saving is atomic and owner-only.

    Several files changed by one command are changed as one (issue 13)::

        with ws.transaction() as tx:
            tx.save(APPLICATIONS, applications)
            tx.save(SCHEDULE, schedule)

    Inside the block ``ws.save`` and ``ws.write_bytes`` stage into the transaction too.
    """

    def __init__(self, root: Path, *, overlay: Overlay | None = None) -> None:
        self.root = root
        self.notices: list[str] = []  # migration messages and the like, shown by the CLI
        self.overlay = overlay  # an unfinished change, read as finished (--dry-run)
        self.recovered: list[str] = []  # what opening it finished or undid: said on stderr
        self._config: Config | None = None
        self._readable: set[str] = set()  # files this session read without error
        self._lock_depth = 0
        self._tx: Transaction | None = None

    @classmethod
    def open(cls, workspace: str | Path | None = None, *, dry_run: bool = False) -> Workspace:
        """Open a workspace, first finishing a change a killed command left half-done.

        ``dry_run`` never writes: an unfinished change is then read as if finished.
        """
        root = resolve_root(workspace)
        recovered: list[str] = []
        overlay = recover(root, dry_run=dry_run, report=recovered) if root.is_dir() else None
        config = overlay.source(CONFIG_NAME) if overlay else root / CONFIG_NAME
        if not config.is_file():
            raise WorkspaceError(
                t("workspace.not_found", folder=str(root)),
                hint=t("workspace.not_found_hint", folder=str(root)),
            )
        ws = cls(root, overlay=overlay)
        ws.recovered = recovered
        return ws

    def path(self, name: str) -> Path:
        return self.root / name

    def source(self, name: str) -> Path:
        """Where ``name`` is read from: the file, or its staged version during a dry run."""
        return self.overlay.source(name) if self.overlay else self.root / name

    def read_model(self, spec: FileSpec) -> BaseModel:
        source = self.source(spec.name)
        shown = self.path(spec.name) if source != self.path(spec.name) else None
        return load_model(source, spec, notices=self.notices, shown_as=shown)

    @property
    def config(self) -> Config:
        if self._config is None:
            config = cast(Config, self.read_model(CONFIG))
            problems = config_problems(config)
            if problems:
                raise config_error(self.path(CONFIG_NAME), problems)
            self._config = config
            self._readable.add(CONFIG_NAME)
            apply_roles(config)
        return self._config

    def exists(self, spec: FileSpec) -> bool:
        if self.overlay:
            return self.overlay.exists(spec.name)
        return self.path(spec.name).is_file()

    def load(self, spec: FileSpec, model: type[M] | None = None) -> M | None:
        """The file's model, or None when the file does not exist yet."""
        if not self.exists(spec):
            return None
        loaded = cast(M, self.read_model(spec))
        self._readable.add(spec.name)
        return loaded

    def load_or_default(self, spec: FileSpec, model: type[M]) -> M:
        loaded = self.load(spec, model)
        return loaded if loaded is not None else model()

    def save(self, spec: FileSpec, model: BaseModel, *, dry_run: bool = False) -> None:
        """Write ``model`` atomically; never over a file that does not read (issue 6).

        A hand-edited file that no longer parses or validates is left as it is: saving raises
        the error that names its line and key, even for a command that did not need to read it.
        Inside :meth:`transaction` the file is staged, and written with the others.
        """
        if spec.name not in self._readable and self.exists(spec):
            self.read_model(spec)  # raises InputError / WorkspaceError if broken
            self._readable.add(spec.name)
        if dry_run:
            return
        header = t(
            "workspace.file_header", description=spec.description, version=__version__, lang="en"
        )
        self.write_text(spec.name, render_model(model, header=header))
        self._readable.add(spec.name)

    def write_bytes(self, name: str | Path, data: bytes) -> None:
        """Write a file of the workspace atomically (staged when a transaction is open)."""
        if self._tx is not None:
            self._tx.write_bytes(name, data)
            return
        if os.path.isdir(self.root / relative_name(self.root, name)):
            atomic_write_bytes(self.root / relative_name(self.root, name), data)  # says so
        with self.lock():  # staged files exist only under the lock: recovery may remove them
            write_one(self.root, name, data)

    def write_text(self, name: str | Path, text: str) -> None:
        self.write_bytes(name, text.encode("utf-8"))

    @contextmanager
    def lock(self) -> Iterator[None]:
        """Serialise changes: hold this around load -> change -> save (re-entrant)."""
        if self._lock_depth:
            self._lock_depth += 1
            try:
                yield
            finally:
                self._lock_depth -= 1
            return
        with workspace_lock(self.root):
            self._lock_depth = 1
            try:
                yield
            finally:
                self._lock_depth = 0

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        """Change several files as one: all of them, or (on an error or a kill) none.

        Takes the lock (if not held already). Nested transactions join the outer one.
        """
        if self._tx is not None:
            yield self._tx
            return
        with self.lock(), transaction(self.root, workspace=self) as tx:
            self._tx = tx
            try:
                yield tx
            finally:
                self._tx = None

    def __repr__(self) -> str:  # never leak personal data: only the folder
        return f"Workspace({str(self.root)!r})"
