"""Reading a whole workspace for ``doctor`` and ``purge`` (issue 6).

Loads every registered kind of file (``cotrain.files.workspace.FILES``, after importing every
``cotrain.files.*_store`` module so that each area's files are known), and looks at what lies
around them: permissions wider than owner-only, temporary files left by a killed process.
Nothing here writes, except :func:`mend`, which ``doctor --fix`` calls under the lock.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel

import cotrain.files
from cotrain.domain.doctor import ERROR, WARNING, Finding
from cotrain.errors import CotrainError
from cotrain.files.store import CACHE_DIR, DIR_MODE, FILE_MODE, LOCK_NAME, FileSpec, load_model
from cotrain.files.workspace import FILES, Workspace

TEMP_GLOB = ".*.tmp"
JOURNAL_NAME = ".cotrain-commit.json"  # a change of several files under way (purge)


def register_all_files() -> dict[str, FileSpec]:
    """Import every ``cotrain.files.*_store`` module (they register their files); return FILES."""
    for module in pkgutil.iter_modules(cotrain.files.__path__):
        if module.name.endswith("_store"):
            importlib.import_module(f"cotrain.files.{module.name}")
    return dict(sorted(FILES.items()))


@dataclass
class Scan:
    """What a workspace holds: the models that loaded, and what is wrong with its files."""

    models: dict[str, BaseModel] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    temp_files: list[Path] = field(default_factory=list)
    loose: list[Path] = field(default_factory=list)  # ours, but readable by others

    def invalid_files(self) -> list[str]:
        return sorted({f.file for f in self.findings if f.code == "file_invalid"})


def scan_workspace(ws: Workspace) -> Scan:
    """Load every file of ``ws`` (never writing) and note permissions and leftovers."""
    scan = Scan()
    for name, spec in register_all_files().items():
        path = ws.path(name)
        if not path.is_file():
            continue
        notices: list[str] = []
        try:
            scan.models[name] = load_model(path, spec, notices=notices)
        except CotrainError as exc:
            scan.findings.append(Finding("file_invalid", name, params={"problem": exc.render()}))
            continue
        if notices:
            scan.findings.append(
                Finding("file_old_schema", name, WARNING, params={"problem": " ".join(notices)})
            )
    _check_permissions(ws, scan)
    staged: set[Path] = set()
    if ws.path(JOURNAL_NAME).is_file():
        scan.findings.append(Finding("commit_unfinished", JOURNAL_NAME))
        staged = {ws.root / stage for stage, _ in _read_journal(ws).get("files", [])}
    scan.temp_files = sorted(p for p in ws.root.rglob(TEMP_GLOB) if p.is_file() and p not in staged)
    for temp in scan.temp_files:
        scan.findings.append(
            Finding(
                "temp_leftover", _relative(ws, temp), WARNING, params={"file": _relative(ws, temp)}
            )
        )
    return scan


def _relative(ws: Workspace, path: Path) -> str:
    try:
        return str(path.relative_to(ws.root))
    except ValueError:
        return str(path)


def _too_open(path: Path) -> bool:
    try:
        return bool(stat.S_IMODE(path.stat().st_mode) & 0o077)
    except OSError:
        return False


def _check_permissions(ws: Workspace, scan: Scan) -> None:
    if os.name != "posix":
        return
    candidates = [ws.root]
    candidates += [ws.path(name) for name in FILES if ws.path(name).is_file()]
    if ws.path(LOCK_NAME).is_file():
        candidates.append(ws.path(LOCK_NAME))
    cache = ws.path(CACHE_DIR)
    if cache.is_dir():  # copies of the files: as private as they are
        candidates += [cache, *sorted(p for p in cache.iterdir() if p.is_file())]
    for path in candidates:
        if _too_open(path):
            mode = f"{stat.S_IMODE(path.stat().st_mode):o}"
            wanted = f"{DIR_MODE if path.is_dir() else FILE_MODE:o}"
            name = _relative(ws, path) if path != ws.root else str(ws.root)
            scan.loose.append(path)
            scan.findings.append(
                Finding(
                    "permissions",
                    name,
                    ERROR,
                    params={"mode": mode, "wanted": wanted, "file": name},
                )
            )


def mend(ws: Workspace, scan: Scan) -> list[Finding]:
    """Remove leftover temporary files and make our files owner-only; the findings mended.

    Call it holding the workspace lock: a temporary file is only a leftover when no command is
    writing.
    """
    mended: list[Finding] = []
    for finding in scan.findings:
        if finding.code == "temp_leftover":
            (ws.root / finding.file).unlink(missing_ok=True)
            mended.append(finding)
    for path in scan.loose:
        path.chmod(DIR_MODE if path.is_dir() else FILE_MODE)
    mended += [f for f in scan.findings if f.code == "permissions"]
    return mended


# --- replacing several files as one change (purge) ---------------------------------------


def _write_synced(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _fsync_dir(folder: Path) -> None:
    if os.name == "posix":
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def other_files(ws: Workspace) -> list[Path]:
    """Files in the workspace that are not its TOML files: imports, exports, letters...

    Hidden files (the lock, temporary files) are left out.
    """
    known = {ws.path(name) for name in register_all_files()}
    found = []
    for path in sorted(ws.root.rglob("*")):
        relative = path.relative_to(ws.root)
        if any(part.startswith(".") for part in relative.parts):
            continue
        if path.is_file() and path not in known:
            found.append(path)
    return found


def commit_files(ws: Workspace, texts: dict[str, str], *, delete: list[Path] = ()) -> None:  # type: ignore[assignment]
    """Replace several workspace files, and delete others, as one change.

    Each new file is first written and fsynced beside its target; then a journal naming them is
    written (atomically); then the renames and deletions are done and the journal removed. A
    process killed before the journal leaves the workspace as it was (the staged files are
    leftovers ``doctor --fix`` removes); killed after it, :func:`finish_commit` (run by
    ``purge`` and reported by ``doctor``) completes the change.
    """
    import json

    from cotrain.files.store import atomic_write_text

    staged = []
    for name, text in texts.items():
        target = ws.path(name)
        stage = target.with_name(f".{target.name}.commit.tmp")
        _write_synced(stage, text.encode("utf-8"))
        staged.append([stage.name, target.name])
    journal = {"files": staged, "delete": [str(p.relative_to(ws.root)) for p in delete]}
    atomic_write_text(ws.path(JOURNAL_NAME), json.dumps(journal, ensure_ascii=False))
    finish_commit(ws)


def _read_journal(ws: Workspace) -> dict[str, list[Any]]:
    import json

    try:
        data = json.loads(ws.path(JOURNAL_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"files": [], "delete": []}
    return data if isinstance(data, dict) else {"files": [], "delete": []}


def finish_commit(ws: Workspace) -> bool:
    """Complete a change :func:`commit_files` began; False when there was none."""
    journal_path = ws.path(JOURNAL_NAME)
    if not journal_path.is_file():
        return False
    journal = _read_journal(ws)
    for stage, target in journal["files"]:
        if ws.path(stage).exists():
            os.replace(ws.path(stage), ws.path(target))
    for relative in journal["delete"]:
        path = ws.root / relative
        path.unlink(missing_ok=True)
        for parent in path.parents:
            if parent == ws.root or not parent.is_relative_to(ws.root):
                break
            try:
                parent.rmdir()  # only when empty
            except OSError:
                break
    _fsync_dir(ws.root)
    drop_caches(ws)  # the parse caches copy the old files
    journal_path.unlink()
    _fsync_dir(ws.root)
    return True


def drop_caches(ws: Workspace) -> None:
    """Remove the parse caches (``.cotrain-cache/``): copies of the files, personal data too."""
    import shutil

    if ws.path(CACHE_DIR).is_dir():
        shutil.rmtree(ws.path(CACHE_DIR))
