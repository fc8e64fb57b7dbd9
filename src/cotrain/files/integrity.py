"""Reading a whole workspace for ``doctor`` and ``purge`` (issue 6).

Loads every registered kind of file (``cotrain.files.workspace.FILES``, after importing every
``cotrain.files.*_store`` module so that each area's files are known), and looks at what lies
around them: permissions wider than owner-only, temporary files left by a killed process.
Nothing here writes, except :func:`mend`, which ``doctor --fix`` calls under the lock.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import pkgutil
import stat
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel

import cotrain.files
from cotrain.domain.doctor import ERROR, WARNING, Finding
from cotrain.errors import CotrainError
from cotrain.files.store import CACHE_DIR, DIR_MODE, FILE_MODE, LOCK_NAME, FileSpec, load_model
from cotrain.files.transaction import JOURNAL_NAME, TX_SUFFIX
from cotrain.files.workspace import FILES, Workspace

TEMP_GLOB = ".*.tmp"


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
        if not ws.exists(spec):
            continue
        notices: list[str] = []
        try:
            scan.models[name] = load_model(
                ws.source(name),
                spec,
                notices=notices,
                shown_as=ws.path(name) if ws.overlay else None,
            )
        except CotrainError as exc:
            scan.findings.append(Finding("file_invalid", name, params={"problem": exc.render()}))
            continue
        if notices:
            scan.findings.append(
                Finding("file_old_schema", name, WARNING, params={"problem": " ".join(notices)})
            )
    _check_permissions(ws, scan)
    if ws.overlay is not None:  # only a dry run reads a change still under way
        scan.findings.append(Finding("commit_unfinished", JOURNAL_NAME, WARNING))
    scan.temp_files = temp_files(ws)
    if cache_files(ws) or ws.path(CACHE_DIR).is_dir():
        scan.findings.append(Finding("cache_leftover", CACHE_DIR, WARNING))
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


def _mode(path: Path) -> os.stat_result | None:
    """The path's own status, never through a symbolic link; None when it is gone."""
    try:
        return os.lstat(path)
    except OSError:
        return None


def _check_permissions(ws: Workspace, scan: Scan) -> None:
    """Owner-only modes, read from the files themselves: a symbolic link is reported as one.

    Never ``stat`` through a link: its target's mode says nothing of the workspace, and
    ``chmod`` on the link would change the target (issue: doctor on a symlinked lock).
    """
    if os.name != "posix":
        return
    candidates = [ws.root]  # the workspace folder itself may be reached through a link
    candidates += [ws.path(name) for name in FILES if os.path.lexists(ws.path(name))]
    if os.path.lexists(ws.path(LOCK_NAME)):
        candidates.append(ws.path(LOCK_NAME))
    cache = ws.path(CACHE_DIR)
    if cache.is_dir() and not cache.is_symlink():  # copies of the files: as private as they are
        candidates += [cache, *sorted(cache.iterdir())]
    for path in candidates:
        name = _relative(ws, path) if path != ws.root else str(ws.root)
        info = path.stat() if path == ws.root else _mode(path)
        if info is None:
            continue
        if stat.S_ISLNK(info.st_mode):
            code = "lock_symlink" if path.name == LOCK_NAME else "symlink"
            scan.findings.append(Finding(code, name, ERROR, params={"file": name}))
            continue
        if not (stat.S_ISREG(info.st_mode) or stat.S_ISDIR(info.st_mode)):
            continue
        if stat.S_IMODE(info.st_mode) & 0o077:
            mode = f"{stat.S_IMODE(info.st_mode):o}"
            wanted = f"{DIR_MODE if stat.S_ISDIR(info.st_mode) else FILE_MODE:o}"
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
    for finding in scan.findings:
        if finding.code == "cache_leftover":
            drop_caches(ws)
            mended.append(finding)
    for path in scan.loose:
        info = _mode(path)  # never through a link: chmod would change its target
        if info is None or not (stat.S_ISREG(info.st_mode) or stat.S_ISDIR(info.st_mode)):
            continue
        wanted = DIR_MODE if stat.S_ISDIR(info.st_mode) else FILE_MODE
        flags = os.O_RDONLY | (0 if path == ws.root else getattr(os, "O_NOFOLLOW", 0))
        try:
            fd = os.open(path, flags)
        except OSError:
            continue  # replaced by a link meanwhile: left alone
        try:
            os.fchmod(fd, wanted)
        finally:
            os.close(fd)
    mended += [f for f in scan.findings if f.code == "permissions"]
    return mended


# --- what a purge removes besides the TOML files ------------------------------------------


def _walk_files(root: Path) -> list[Path]:
    """Every file under ``root``, never descending through a symlinked folder."""
    found = []
    for folder, dirs, files in os.walk(root, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not os.path.islink(os.path.join(folder, d)))
        found += [Path(folder) / f for f in files]
    return sorted(found)


def temp_files(ws: Workspace) -> list[Path]:
    """Hidden temporary files left by a killed command (``.attendance.toml.k2j3.tmp``)."""
    return [
        p
        for p in _walk_files(ws.root)
        if p.name.startswith(".") and p.name.endswith((".tmp", TX_SUFFIX))
    ]


def other_files(ws: Workspace) -> list[Path]:
    """Files in the workspace that are not its TOML files: imports, exports, letters...

    Hidden files (the lock, temporary files) are left out.
    """
    known = {ws.path(name) for name in register_all_files()}
    found = []
    for path in _walk_files(ws.root):
        relative = path.relative_to(ws.root)
        if any(part.startswith(".") for part in relative.parts):
            continue
        if path not in known:
            found.append(path)
    return found


def cache_files(ws: Workspace) -> list[Path]:
    """The parse caches 0.1.0 wrote (``.cotrain-cache/``): copies of the files, to remove."""
    cache = ws.path(CACHE_DIR)
    if cache.is_symlink() or not cache.is_dir():
        return [cache] if cache.is_symlink() else []
    return _walk_files(cache)


def drop_caches(ws: Workspace) -> None:
    """Remove the parse caches of 0.1.0 (``.cotrain-cache/``), without following links."""
    for path in cache_files(ws):
        path.unlink(missing_ok=True)
    with contextlib.suppress(OSError):
        ws.path(CACHE_DIR).rmdir()
