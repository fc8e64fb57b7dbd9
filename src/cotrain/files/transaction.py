"""Changing several files as one change (issue 13).

A command that changes more than one file stages every new file first, then writes a journal
naming the renames it is about to make, then makes them, then removes the journal::

    with ws.transaction() as tx:          # takes the workspace lock
        tx.save(APPLICATIONS, applications)
        tx.save(SCHEDULE, schedule)
        tx.write_bytes("exports/list.csv", data)
        tx.delete("reponses.csv")
    # here both files are written, or (on an exception) neither

1. each new file is written to a hidden temporary file beside its target
   (``.schedule.toml.1a2b3c4d.cotrain-tx``), created exclusively, never through a symlink, and
   fsynced;
2. the journal ``.cotrain-commit.json`` (the list of renames and deletions) is written
   atomically and fsynced;
3. each temporary file is renamed over its target, each deletion made, the folders fsynced;
4. the journal is removed.

A process killed before step 2 changed nothing: the next command removes the temporary files
(roll back). Killed after it, the next command, whichever it is, finishes the renames (roll
forward) before it reads anything: :func:`recover`. ``--dry-run`` never writes: it reads the
files as the journal says they will be (:class:`Overlay`), in memory.

A journal names only files inside its workspace: relative paths without ``..``, through real
folders (no symlink), temporary files beside their targets. Anything else is refused, nothing
touched: a workspace received from someone else cannot make cotrain rename or delete a file
outside it.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from cotrain.errors import WorkspaceError
from cotrain.files.running import running_command
from cotrain.files.store import (
    FILE_MODE,
    cannot_write,
    ensure_inside,
    fs_step,
    fsync_dir,
    os_reason,
    workspace_lock,
)
from cotrain.i18n import t

if TYPE_CHECKING:
    from pydantic import BaseModel

    from cotrain.files.store import FileSpec
    from cotrain.files.workspace import Workspace

JOURNAL_NAME = ".cotrain-commit.json"
TX_SUFFIX = ".cotrain-tx"
_JOURNAL_FORMAT = 1


# --- names inside the workspace ----------------------------------------------------------


def relative_name(root: Path, name: str | Path) -> str:
    """``name`` as a clean relative path inside ``root`` (``exports/a.csv``), or an error.

    Absolute paths are accepted when they lie inside ``root``; ``..``, empty names and the
    root itself are refused.
    """
    path = Path(name)
    if path.is_absolute():
        try:
            path = path.relative_to(root)
        except ValueError:
            try:
                path = path.resolve().relative_to(root.resolve())
            except ValueError:
                raise _escapes(str(name), root) from None
    parts = PurePosixPath(path.as_posix()).parts
    if not parts or any(p in ("", ".", "..") or "\x00" in p for p in parts):
        raise _escapes(str(name), root)
    return "/".join(parts)


def _escapes(name: str, root: Path) -> WorkspaceError:
    return WorkspaceError(
        t("trust.path_escapes", name=name, folder=str(root)), hint=t("trust.path_escapes_hint")
    )


def _no_symlink_folders(root: Path, relative: str) -> None:
    """Every folder between ``root`` and ``relative`` is a real folder (or does not exist)."""
    current = root
    for part in PurePosixPath(relative).parts[:-1]:
        current = current / part
        try:
            info = os.lstat(current)
        except FileNotFoundError:
            return
        if not stat.S_ISDIR(info.st_mode):
            raise WorkspaceError(
                t("trust.symlink_folder", path=str(current)), hint=t("trust.symlink_hint")
            )


# --- staging -----------------------------------------------------------------------------


def _stage(root: Path, relative: str, data: bytes) -> str:
    """Write ``data`` to a new hidden file beside ``relative``; its relative name."""
    target = root / relative
    ensure_inside(root, target.parent)
    _no_symlink_folders(root, relative)
    stage_name = f".{target.name}.{secrets.token_hex(4)}{TX_SUFFIX}"
    stage = target.parent / stage_name
    fs_step()
    try:
        fd = os.open(
            stage, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), FILE_MODE
        )
    except OSError as exc:
        raise cannot_write(target, exc) from None
    try:
        if hasattr(os, "fchmod"):
            os.fchmod(fd, FILE_MODE)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            fs_step()
            os.fsync(handle.fileno())
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(stage)
        raise cannot_write(target, exc) from None
    return str(PurePosixPath(relative).parent / stage_name).removeprefix("./")


@dataclass
class Transaction:
    """The files one change writes and deletes; see the module's docstring."""

    root: Path
    workspace: Workspace | None = None
    renames: list[tuple[str, str]] = field(default_factory=list)  # (staged, target)
    deletes: list[str] = field(default_factory=list)
    # Renames made last, in this order (``init`` makes ``cotrain.toml`` appear last).
    last: tuple[str, ...] = ()

    def write_bytes(self, name: str | Path, data: bytes) -> None:
        relative = relative_name(self.root, name)
        self._forget(relative)
        self.renames.append((_stage(self.root, relative, data), relative))

    def write_text(
        self, name: str | Path, text: str, *, encoding: str = "utf-8", newline: str = "\n"
    ) -> None:
        if newline != "\n":
            text = text.replace("\n", newline)
        self.write_bytes(name, text.encode(encoding))

    def save(self, spec: FileSpec, model: BaseModel) -> None:
        """Stage a workspace file (as ``Workspace.save`` writes it)."""
        if self.workspace is None:
            from cotrain.files.store import render_model

            self.write_text(spec.name, render_model(model))
            return
        self.workspace.save(spec, model)

    def delete(self, name: str | Path) -> None:
        relative = relative_name(self.root, name)
        self._forget(relative)
        self.deletes.append(relative)

    def _forget(self, relative: str) -> None:
        """A file written twice in one change: only the last version counts."""
        for staged, target in list(self.renames):
            if target == relative:
                self.renames.remove((staged, target))
                with contextlib.suppress(OSError):
                    os.unlink(self.root / staged)
        if relative in self.deletes:
            self.deletes.remove(relative)

    def commit(self) -> None:
        if not self.renames and not self.deletes:
            return
        order = {name: i for i, name in enumerate(self.last)}
        renames = sorted(self.renames, key=lambda pair: order.get(pair[1], -1))
        folders = {(self.root / staged).parent for staged, _ in renames}
        for folder in sorted(folders):
            fs_step()
            fsync_dir(folder)
        journal = {
            "cotrain_journal": _JOURNAL_FORMAT,
            "renames": [list(pair) for pair in renames],
            "delete": list(self.deletes),
            "command": running_command(),
        }
        _write_journal(self.root, json.dumps(journal, ensure_ascii=False).encode("utf-8"))
        _replay(self.root, Journal(renames=renames, deletes=list(self.deletes)))
        self.renames, self.deletes = [], []

    def abort(self) -> None:
        for staged, _ in self.renames:
            with contextlib.suppress(OSError):
                os.unlink(self.root / staged)
        self.renames, self.deletes = [], []


def write_one(root: Path, name: str | Path, data: bytes) -> None:
    """Replace one file of the workspace atomically (the caller holds the lock).

    Its temporary file is named like a transaction's, so that a kill leaves nothing the next
    command does not remove (they may hold personal data).
    """
    relative = relative_name(root, name)
    staged = _stage(root, relative, data)
    fs_step()
    try:
        os.replace(root / staged, root / relative)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(root / staged)
        raise cannot_write(root / relative, exc) from None
    fs_step()
    fsync_dir((root / relative).parent)


# --- the journal -------------------------------------------------------------------------


def _write_journal(root: Path, data: bytes) -> None:
    """Write the journal atomically; its temporary file is a staged one (rolled back alike)."""
    staged = _stage(root, JOURNAL_NAME, data)
    fs_step()
    try:
        os.replace(root / staged, root / JOURNAL_NAME)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(root / staged)
        raise cannot_write(root / JOURNAL_NAME, exc) from None
    fs_step()
    fsync_dir(root)


@dataclass
class Journal:
    renames: list[tuple[str, str]]
    deletes: list[str]
    command: str | None = None  # the command that wrote it, named when it is finished


def _command_name(value: Any) -> str | None:
    if isinstance(value, str) and 0 < len(value) <= 40 and value.replace("-", "").isalpha():
        return value
    return None


def _refused(root: Path, reason: str) -> WorkspaceError:
    return WorkspaceError(
        t("trust.bad_journal", file=str(root / JOURNAL_NAME), reason=reason),
        hint=t("trust.bad_journal_hint", file=str(root / JOURNAL_NAME)),
    )


def read_journal(root: Path) -> Journal | None:
    """The journal of a change under way, checked; None when there is none.

    Refuses (``WorkspaceError``, nothing touched) a journal that is not a regular file, does
    not read, or names anything outside the workspace.
    """
    path = root / JOURNAL_NAME
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise _refused(root, os_reason(exc)) from None
    if not stat.S_ISREG(info.st_mode):
        raise _refused(root, t("trust.not_regular"))
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        with os.fdopen(fd, "rb") as handle:
            data: Any = json.loads(handle.read().decode("utf-8"))
    except FileNotFoundError:
        return None  # finished meanwhile by the command holding the lock
    except (OSError, ValueError) as exc:
        raise _refused(root, type(exc).__name__) from None
    if not isinstance(data, dict) or data.get("cotrain_journal") != _JOURNAL_FORMAT:
        raise _refused(root, t("trust.unknown_format"))
    renames_raw, deletes_raw = data.get("renames"), data.get("delete")
    if not isinstance(renames_raw, list) or not isinstance(deletes_raw, list):
        raise _refused(root, t("trust.unknown_format"))
    renames: list[tuple[str, str]] = []
    for entry in renames_raw:
        if (
            not isinstance(entry, list)
            or len(entry) != 2
            or not all(isinstance(x, str) for x in entry)
        ):
            raise _refused(root, t("trust.unknown_format"))
        staged, target = (_checked(root, x) for x in entry)
        stage_path, target_path = PurePosixPath(staged), PurePosixPath(target)
        if (
            stage_path.parent != target_path.parent
            or not stage_path.name.startswith(f".{target_path.name}.")
            or not stage_path.name.endswith(TX_SUFFIX)
        ):
            raise _refused(root, t("trust.outside", name=staged))
        with contextlib.suppress(FileNotFoundError):
            if not stat.S_ISREG(os.lstat(root / staged).st_mode):
                raise _refused(root, t("trust.outside", name=staged))
        renames.append((staged, target))
    deletes = []
    for entry in deletes_raw:
        if not isinstance(entry, str):
            raise _refused(root, t("trust.unknown_format"))
        deletes.append(_checked(root, entry))
    return Journal(renames=renames, deletes=deletes, command=_command_name(data.get("command")))


def _checked(root: Path, name: str) -> str:
    """A journal's name: relative, no ``..``, through real folders only."""
    parts = PurePosixPath(name).parts
    if (
        not parts
        or PurePosixPath(name).is_absolute()
        or "\\" in name
        or any(p in ("", ".", "..") or "\x00" in p for p in parts)
        or (len(parts[0]) >= 2 and parts[0][1] == ":")
    ):
        raise _refused(root, t("trust.outside", name=name))
    relative = "/".join(parts)
    try:
        _no_symlink_folders(root, relative)
    except WorkspaceError:
        raise _refused(root, t("trust.outside", name=name)) from None
    return relative


def _replay(root: Path, journal: Journal) -> None:
    """Make every rename and deletion of ``journal`` not yet made; remove the journal."""
    touched = {root}
    for staged, target in journal.renames:
        stage_path = root / staged
        try:
            info = os.lstat(stage_path)
        except FileNotFoundError:
            continue  # renamed before the interruption
        if not stat.S_ISREG(info.st_mode):
            raise _refused(root, t("trust.outside", name=staged))
        fs_step()
        os.replace(stage_path, root / target)
        touched.add(stage_path.parent)
    for relative in journal.deletes:
        path = root / relative
        fs_step()
        try:
            if stat.S_ISDIR(os.lstat(path).st_mode):
                continue  # only files are deleted
            os.unlink(path)
        except FileNotFoundError:
            pass
        touched.add(path.parent)
        for parent in path.parents:  # folders left empty go too
            if parent == root or not parent.is_relative_to(root):
                break
            try:
                parent.rmdir()
            except OSError:
                break
    for folder in sorted(touched):
        with contextlib.suppress(OSError):
            fs_step()
            fsync_dir(folder)
    fs_step()
    (root / JOURNAL_NAME).unlink(missing_ok=True)
    fs_step()
    fsync_dir(root)


def staged_leftovers(root: Path) -> list[Path]:
    """Temporary files of a change that was interrupted before its journal was written."""
    found = []
    for folder, dirs, files in os.walk(root, followlinks=False):
        dirs[:] = [d for d in dirs if not os.path.islink(os.path.join(folder, d))]
        found += [Path(folder) / f for f in files if f.endswith(TX_SUFFIX)]
    return sorted(found)


# --- recovery ----------------------------------------------------------------------------


@dataclass
class Overlay:
    """The files as an unfinished change will leave them, read without writing (``--dry-run``)."""

    root: Path
    renames: dict[str, Path] = field(default_factory=dict)  # target -> staged file
    deletes: set[str] = field(default_factory=set)

    def source(self, relative: str) -> Path:
        """Where to read ``relative`` from."""
        return self.renames.get(relative, self.root / relative)

    def exists(self, relative: str) -> bool:
        if relative in self.deletes:
            return False
        return self.source(relative).is_file()


def recover(
    root: Path, *, dry_run: bool = False, report: list[str] | None = None
) -> Overlay | None:
    """Finish (or undo) a change that a killed command left half-done; before any reading.

    Returns an :class:`Overlay` when the change could not be finished here (``dry_run``, or a
    folder that cannot be written): the files are then read as the change will leave them.
    Returns None when the files on disk are whole. What was done is added to ``report``, one
    line each, for the command to say on stderr.
    """
    said = report if report is not None else []
    journal = read_journal(root)
    if journal is None:
        if dry_run or not staged_leftovers(root):
            return None
        with contextlib.suppress(WorkspaceError), workspace_lock(root):
            if read_journal(root) is None:  # no change started since
                leftovers = staged_leftovers(root)
                for leftover in leftovers:
                    fs_step()
                    leftover.unlink(missing_ok=True)
                if leftovers:
                    said.append(t("trust.recovered_undone"))
        return None
    if not dry_run:
        try:
            with workspace_lock(root):
                again = read_journal(root)
                if again is not None:
                    _replay(root, again)
                    said.append(_finished(again.command))
                return None
        except OSError:
            pass  # a read-only folder: read the change as it will be
        except WorkspaceError:
            if os.access(root, os.W_OK):
                raise
    overlay = Overlay(root)
    for staged, target in journal.renames:
        if (root / staged).is_file():
            overlay.renames[target] = root / staged
    overlay.deletes = set(journal.deletes)
    said.append(
        t("trust.recovered_read", command=journal.command)
        if journal.command
        else t("trust.recovered_read_unnamed")
    )
    return overlay


def _finished(command: str | None) -> str:
    if command:
        return t("trust.recovered_finished", command=command)
    return t("trust.recovered_finished_unnamed")


def finish_pending(root: Path) -> bool:
    """Finish a change under way in ``root`` (for ``init``); True when there was one."""
    journal = read_journal(root)
    if journal is None:
        recover(root)
        return False
    recover(root)
    return True


@contextlib.contextmanager
def transaction(root: Path, *, workspace: Workspace | None = None) -> Iterator[Transaction]:
    """A change of several files in ``root``; the caller holds the lock."""
    tx = Transaction(root, workspace)
    try:
        yield tx
    except BaseException:
        tx.abort()
        raise
    tx.commit()
