"""The one place that reads and writes workspace files.

- Writes are atomic: a temporary file in the same folder, fsync, rename, fsync of the folder.
  A process killed at any moment leaves the previous file or the new one, never half of one.
- Files and folders we create are readable by their owner only (0600 / 0700): they describe
  people in poverty.
- TOML is read with the file, line and key path in every error, and written with a header
  comment, the schema number first and a stable key order.
- There is no parse cache (issue 13: a JSON copy beside the data was personal data in one more
  place, and a tampered copy overrode the TOML); a 0.1.0 ``.cotrain-cache/`` is removed by
  ``purge`` and ``doctor --fix``.
- A workspace lock (``.cotrain.lock``) serialises commands that change the workspace. It is an
  OS-level lock (``fcntl.flock`` / ``msvcrt.locking``): the kernel releases it when its holder
  dies, so a lock left by a dead process never blocks anyone.
- Changes of several files go through ``cotrain.files.transaction`` (a journal of renames).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import stat
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from datetime import time as dtime
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from cotrain.errors import InputError, Location, WorkspaceError
from cotrain.i18n import t

FILE_MODE = 0o600
DIR_MODE = 0o700
LOCK_NAME = ".cotrain.lock"
CACHE_DIR = ".cotrain-cache"  # the parse cache of 0.1.0: no longer written, purged

M = TypeVar("M", bound=BaseModel)


# --- atomic writes -----------------------------------------------------------------------

_steps = 0


def fs_step() -> None:
    """Count one file-system step; the kill tests' hook (issue 13).

    With ``COTRAIN_TEST_KILL_AT=N`` in the environment the process kills itself (SIGKILL)
    just before its N-th step: tests use it to stop a command before every step it takes and
    check that the files still agree. ``COTRAIN_TEST_FAIL_AT=N`` raises an unexpected error
    there instead (the error boundary's tests). Unset (always, outside the tests), it only
    counts.
    """
    global _steps
    _steps += 1
    at = os.environ.get("COTRAIN_TEST_KILL_AT")
    if at and at.isdigit() and int(at) == _steps:
        import signal

        os.kill(os.getpid(), signal.SIGKILL)
    fail = os.environ.get("COTRAIN_TEST_FAIL_AT")
    if fail and fail.isdigit() and int(fail) == _steps:
        raise RuntimeError(f"test fault at file-system step {_steps}")


def ensure_dir(path: Path) -> Path:
    """Create ``path`` (and parents) readable by the owner only; return it.

    Every folder made, parents included (``--output a/b/c``), is 0700. A file where a folder
    is wanted, or a folder that cannot be made, is the user's to fix: an ``InputError`` /
    ``WorkspaceError`` naming the path, never a traceback.
    """
    try:
        if path.exists() and not path.is_dir():
            raise InputError(
                t("store.not_a_folder", path=str(path)), hint=t("store.not_a_folder_hint")
            )
        missing = []
        current = path
        while not current.exists() and current != current.parent:
            if current.is_symlink():  # a dangling link: never create its target
                raise WorkspaceError(
                    t("trust.symlink_folder", path=str(current)), hint=t("trust.symlink_hint")
                )
            missing.append(current)
            current = current.parent
        for folder in reversed(missing):
            with contextlib.suppress(FileExistsError):
                fs_step()
                os.mkdir(folder, DIR_MODE)
                os.chmod(folder, DIR_MODE)  # whatever the umask
    except OSError as exc:
        raise cannot_write(path, exc) from None
    return path


def ensure_inside(root: Path, path: Path) -> Path:
    """Create ``path`` (a folder inside ``root``) and check it does not lead out of ``root``."""
    ensure_dir(path)
    try:
        path.resolve().relative_to(root.resolve())
    except ValueError:
        raise WorkspaceError(
            t("trust.symlink_folder", path=str(path)), hint=t("trust.symlink_hint")
        ) from None
    return path


_REASONS = {
    "ENOSPC": "no_space",
    "EDQUOT": "quota",
    "EROFS": "read_only",
    "EACCES": "denied",
    "EPERM": "not_permitted",
    "EPIPE": "broken_pipe",
    "ENAMETOOLONG": "name_too_long",
    "ENOENT": "not_found",
    "EEXIST": "exists",
    "EISDIR": "is_dir",
    "ENOTDIR": "not_dir",
    "ELOOP": "loop",
    "EIO": "io",
    "EBADF": "bad_descriptor",
    "EFBIG": "too_big",
    "EMFILE": "too_many_open",
    "EXDEV": "cross_device",
    "ENOTEMPTY": "not_empty",
    "EBUSY": "busy",
    "ETXTBSY": "busy",
    "EAGAIN": "again",
    "EINVAL": "invalid",
    "ENXIO": "no_device",
    "ENODEV": "no_device",
    "ECONNREFUSED": "connection_refused",
    "EADDRINUSE": "address_in_use",
    "EADDRNOTAVAIL": "address_not_available",
}


def os_reason(exc: OSError) -> str:
    """The system's reason for ``exc`` in the user's language (``strerror`` is English)."""
    import errno

    name = errno.errorcode.get(exc.errno or 0, "")
    key = _REASONS.get(name)
    if key:
        return t(f"oserror.{key}")
    return exc.strerror or type(exc).__name__


def cannot_write(path: Path, exc: OSError) -> WorkspaceError:
    """An operating system's refusal to write, as a message saying what to do."""
    import errno

    reason = os_reason(exc)
    hints = {
        errno.ENOSPC: "trust.hint_disk_full",
        errno.EDQUOT: "trust.hint_disk_full",
        errno.EROFS: "trust.hint_read_only",
        errno.EACCES: "trust.hint_permission",
        errno.EPERM: "trust.hint_permission",
        errno.ENAMETOOLONG: "trust.hint_name_too_long",
        errno.ELOOP: "trust.symlink_hint",
    }
    key = hints.get(exc.errno or 0)
    return WorkspaceError(
        t("store.cannot_write", path=str(path), reason=reason),
        hint=t(key, path=str(path)) if key else None,
    )


_cannot_write = cannot_write


def fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


_fsync_dir = fsync_dir


def atomic_write_bytes(path: Path, data: bytes, *, durable: bool = True) -> None:
    """Replace ``path`` with ``data`` in one step (temporary file, fsync, rename, fsync dir).

    The temporary file is created exclusively (never through a planted symlink) and the rename
    replaces a symlink at ``path`` rather than writing through it. ``durable=False`` skips the
    two fsyncs: still all-or-nothing for readers, but a power cut may lose the new content.
    """
    try:
        if path.is_dir():
            raise InputError(
                t("store.is_a_folder", path=str(path)),
                hint=t("store.is_a_folder_hint", path=str(path)),
            )
    except OSError as exc:
        raise cannot_write(path, exc) from None
    folder = path.parent
    ensure_dir(folder)
    try:
        fs_step()
        fd, tmp_name = tempfile.mkstemp(dir=folder, prefix=f".{path.name[:80]}.", suffix=".tmp")
    except OSError as exc:
        raise cannot_write(path, exc) from None
    try:
        os.fchmod(fd, FILE_MODE) if hasattr(os, "fchmod") else None
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            if durable:
                fs_step()
                os.fsync(handle.fileno())
        fs_step()
        os.replace(tmp_name, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        if isinstance(exc, OSError):  # disk full, permission denied...: the old file is intact
            raise cannot_write(path, exc) from None
        raise
    if durable:
        fs_step()
        fsync_dir(folder)


def atomic_write_text(
    path: Path, text: str, *, encoding: str = "utf-8", newline: str = "\n"
) -> None:
    if newline != "\n":
        text = text.replace("\n", newline)
    atomic_write_bytes(path, text.encode(encoding))


# Most file systems take 255 bytes per name; a person's or city's name may be longer.
MAX_NAME_BYTES = 150


def short_file_name(name: str) -> str:
    """``name`` if it fits in a file name, else its start, a digest (unique) and its suffix."""
    if len(name.encode("utf-8")) <= MAX_NAME_BYTES:
        return name
    import hashlib

    stem, dot, suffix = name.rpartition(".")
    if not dot or len(suffix) > 10:
        stem, suffix = name, ""
    digest = hashlib.sha256(name.encode("utf-8")).hexdigest()[:10]
    head = stem.encode("utf-8")[:100].decode("utf-8", "ignore")
    return f"{head}-{digest}" + (f".{suffix}" if suffix else "")


def safe_output_path(base: Path, name: str) -> Path:
    """``base / name``, refusing names that would escape ``base`` (``../``, absolute paths).

    A name too long for a file system (a 300-character name) is shortened, kept unique.
    """
    head, sep, last = name.replace("\\", "/").rpartition("/")
    name = f"{head}{sep}{short_file_name(last)}"
    candidate = (base / name).resolve()
    root = base.resolve()
    if candidate != root and root not in candidate.parents:
        raise InputError(
            t("store.path_escapes", name=name, folder=str(base)),
            hint=t("store.path_escapes_hint"),
        )
    return candidate


# --- locking -----------------------------------------------------------------------------


def lock_timeout() -> float:
    """``COTRAIN_LOCK_TIMEOUT`` seconds (60 by default); a clear error when it is not a number."""
    raw = os.environ.get("COTRAIN_LOCK_TIMEOUT", "").strip()
    if not raw:
        return 60.0
    try:
        value = float(raw.replace(",", "."))
    except ValueError:
        value = -1.0
    if not value >= 0 or value == float("inf"):
        raise WorkspaceError(
            t("trust.bad_timeout", value=raw), hint=t("trust.bad_timeout_hint")
        )
    return value


def _open_lock(folder: Path) -> int:
    """Open (creating it) the lock file: a regular file of ours, never through a symlink."""
    import errno

    lock_path = folder / LOCK_NAME
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fs_step()
        fd = os.open(lock_path, flags, FILE_MODE)
    except OSError as exc:
        if exc.errno == errno.ELOOP or lock_path.is_symlink():
            raise WorkspaceError(
                t("trust.lock_symlink", file=str(lock_path)), hint=t("trust.lock_remove_hint",
                                                                    file=str(lock_path))
            ) from None
        if exc.errno in (errno.EACCES, errno.EPERM) and lock_path.exists():
            raise WorkspaceError(
                t("trust.lock_unreadable", file=str(lock_path)),
                hint=t("trust.lock_remove_hint", file=str(lock_path)),
            ) from None
        if exc.errno == errno.ENXIO:  # a FIFO nobody reads
            raise WorkspaceError(
                t("trust.lock_not_file", file=str(lock_path)),
                hint=t("trust.lock_remove_hint", file=str(lock_path)),
            ) from None
        raise WorkspaceError(
            t("trust.lock_cannot", folder=str(folder), reason=os_reason(exc)),
            hint=t(
                "trust.hint_read_only"
                if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM)
                else "trust.hint_disk_full"
                if exc.errno in (errno.ENOSPC, errno.EDQUOT)
                else "trust.hint_permission",
                path=str(folder),
            ),
        ) from None
    info = os.fstat(fd)
    problem = None
    if not stat.S_ISREG(info.st_mode):
        problem = "trust.lock_not_file"
    elif hasattr(os, "geteuid") and info.st_uid != os.geteuid():
        problem = "trust.lock_foreign"
    if problem:
        os.close(fd)
        raise WorkspaceError(
            t(problem, file=str(lock_path)), hint=t("trust.lock_remove_hint", file=str(lock_path))
        )
    if hasattr(os, "set_blocking"):
        os.set_blocking(fd, True)
    return fd


@contextlib.contextmanager
def workspace_lock(folder: Path, *, timeout: float | None = None) -> Iterator[None]:
    """Hold the workspace's lock for the duration of the block, waiting up to ``timeout`` s.

    The lock file is opened without following a symlink, and must be a regular file owned by
    the user: a planted ``.cotrain.lock`` link is refused, its target untouched (issue 13).
    """
    if timeout is None:
        timeout = lock_timeout()
    lock_path = folder / LOCK_NAME
    fd = _open_lock(folder)
    deadline = time.monotonic() + timeout
    try:
        while True:
            if _try_lock(fd):
                break
            if time.monotonic() >= deadline:
                raise WorkspaceError(
                    t("store.locked", folder=str(folder), holder=_lock_holder(lock_path)),
                    hint=t("store.locked_hint"),
                )
            time.sleep(0.02)
        try:
            os.ftruncate(fd, 0)
            os.write(fd, json.dumps({"pid": os.getpid(), "since": time.time()}).encode())
        except OSError as exc:
            _unlock(fd)
            raise cannot_write(lock_path, exc) from None
        try:
            yield
        finally:
            with contextlib.suppress(OSError):
                os.ftruncate(fd, 0)
            _unlock(fd)
    finally:
        os.close(fd)


def _lock_holder(lock_path: Path) -> str:
    try:
        fd = os.open(lock_path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        with os.fdopen(fd, "rb") as handle:
            return str(json.loads(handle.read(4096) or b"{}").get("pid", "?"))
    except (OSError, ValueError, AttributeError):
        return "?"


if sys.platform != "win32":
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            return False

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)

else:  # pragma: no cover - Windows
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)


# --- TOML --------------------------------------------------------------------------------

_TOML_ERROR_AT = re.compile(r"\(at line (\d+), column (\d+)\)")


def read_toml(path: Path) -> dict[str, Any]:
    """Parse a TOML file; a syntax error names the file and the line."""
    return parse_toml(_read_bytes(path), path)


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise WorkspaceError(t("store.missing_file", file=str(path))) from None
    except OSError as exc:
        reason = os_reason(exc)
        raise WorkspaceError(t("store.unreadable", file=str(path), reason=reason)) from None


def _decode(raw: bytes, path: Path) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(
            t("store.not_utf8"), location=Location(file=str(path)), hint=t("store.not_utf8_hint")
        ) from None


def _fast_loads() -> Callable[[str], dict[str, Any]] | None:
    """rtoml's parser (Rust, a wheel): 3 to 10 times faster than tomllib on large files, which
    keeps reading 10,000 applications fast without a parse cache (issue 13, BENCHMARKS.md)."""
    try:
        import rtoml
    except ImportError:  # pragma: no cover - a platform without its wheel
        return None
    loads: Callable[[str], dict[str, Any]] = rtoml.loads
    return loads


def parse_toml(raw: bytes, path: Path) -> dict[str, Any]:
    """Parse TOML bytes read from ``path`` (named in errors, with the line).

    rtoml reads; a file it refuses is read again by tomllib, whose message names the line.
    """
    return _parse_text(_decode(raw, path), path)


def _parse_text(text: str, path: Path) -> dict[str, Any]:
    fast = _fast_loads()
    if fast is not None:
        try:
            return fast(text)
        except Exception:  # noqa: BLE001 - any refusal: tomllib says what and where
            pass
    import tomllib  # only for a file rtoml refuses (4 ms of each start otherwise)

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = _TOML_ERROR_AT.search(str(exc))
        line = int(found.group(1)) if found else None
        reason = _TOML_ERROR_AT.sub("", str(exc)).strip()
        code = next((c for pattern, c in _TOML_REASONS if pattern in reason), "")
        raise InputError(
            t("store.toml_syntax", reason=t(f"store.toml_reason.{code}") if code else reason),
            location=Location(file=str(path), line=line),
            hint=t(f"store.toml_reason.{code}_hint") if code else t("store.toml_syntax_hint"),
        ) from None


# tomllib's messages (English), said in the user's language with the fix they call for
_TOML_REASONS = (
    ("Invalid date or datetime", "date"),
    ("Illegal character '\\n'", "quote"),
    ("Unterminated string", "quote"),
    ("Invalid value", "value"),
    ("Cannot overwrite a value", "twice"),
    ("Cannot declare", "twice"),
)


def _line_of_key(text: str, loc: tuple[int | str, ...]) -> int | None:
    """Best effort: the line where the last named key of ``loc`` is written."""
    names = [part for part in loc if isinstance(part, str)]
    if not names:
        return None
    pattern = re.compile(rf"^\s*\"?{re.escape(names[-1])}\"?\s*=", re.MULTILINE)
    found = pattern.search(text)
    if found is None:
        pattern = re.compile(rf"^\s*\[+\s*[\w.\"-]*{re.escape(names[-1])}\"?\s*\]+", re.MULTILINE)
        found = pattern.search(text)
    return text.count("\n", 0, found.start()) + 1 if found else None


def key_path(loc: tuple[int | str, ...]) -> str:
    """pydantic's location as a TOML key path: ``plan.sessions[3].kind``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part + 1}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def validation_error(
    exc: ValidationError,
    *,
    file: str,
    text: str | None = None,
    model: type[BaseModel] | None = None,
) -> InputError:
    """Turn pydantic's error into ours: each problem once, as a sentence in the user's
    language, with its key path and the line it is written on (issue 15)."""
    from cotrain.files.toml_lines import describe, line_of

    problems = exc.errors(include_url=False)
    root = model
    details: list[str] = []
    seen: set[tuple[object, ...]] = set()
    first: tuple[tuple[int | str, ...], int | None] | None = None
    for problem in problems:
        loc = _clean_loc(tuple(problem["loc"]))
        error = (problem.get("ctx") or {}).get("error")
        suffix = getattr(error, "suffix", None)
        if isinstance(suffix, tuple):  # an id written twice: point at the second one
            loc = (*loc, *suffix)
            problem = {**problem, "type": "duplicate_id", "input": getattr(error, "value", "")}
        if loc in seen:  # a union's alternatives: one problem, said once
            continue
        seen.add(loc)
        line = line_of(text, loc) if text else None
        where = key_path(loc) or "?"
        if line:
            where = t("store.key_at_line", key=where, line=line)
        sentence = describe({**problem, "loc": loc}, root) if root else problem["msg"]
        details.append(t("store.problem", where=where, text=sentence))
        if first is None:
            first = (loc, line)
    first_loc, first_line = first or ((), None)
    return InputError(
        t("store.invalid", count=len(details)),
        location=Location(file=file, key=key_path(first_loc) or None, line=first_line),
        details=details,
        hint=t("store.invalid_hint"),
    )


def _clean_loc(loc: tuple[int | str, ...]) -> tuple[int | str, ...]:
    """pydantic's path without its internal steps (``function-after[...]``, union members)."""
    return tuple(
        part
        for part in loc
        if not (isinstance(part, str) and ("[" in part or part in ("str", "int", "list")))
    )


_PLAIN_TYPES = frozenset({str, int, float, bool, datetime, date, dtime})


def to_toml_value(value: Any) -> Any:
    """What tomli-w can write: Decimals as numbers, enums as strings, tuples as lists."""
    kind = type(value)
    if kind in _PLAIN_TYPES:  # the common case first: workspace files are mostly strings
        return value
    if kind is dict:  # plain values kept without a call: 10,000 people make 100,000 values
        return {
            k if type(k) is str else str(k): v if type(v) in _PLAIN_TYPES else to_toml_value(v)
            for k, v in value.items()
            if v is not None
        }
    if kind is list:
        return [v if type(v) in _PLAIN_TYPES else to_toml_value(v) for v in value]
    if isinstance(value, Enum):  # roles and decisions (str enums) before the costly checks
        return value.value
    if isinstance(value, BaseModel):
        return to_toml_value(value.model_dump(by_alias=True, exclude_none=True))
    if isinstance(value, Mapping):
        return {str(k): to_toml_value(v) for k, v in value.items() if v is not None}
    if isinstance(value, list | tuple | set | frozenset):
        items = [to_toml_value(v) for v in value]
        return sorted(items) if isinstance(value, set | frozenset) else items
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date | dtime | str | int | float | bool):
        return value
    return str(value)


def dump_toml(data: Mapping[str, Any], *, header: str = "") -> str:
    return _toml_text(to_toml_value(data), header)


def _toml_text(converted: Mapping[str, Any], header: str) -> str:
    from cotrain.files.toml_writer import dumps

    return _with_header(dumps(converted), header)


def _with_header(body: str, header: str) -> str:
    if header:
        comment = "".join(f"# {line}\n" if line else "#\n" for line in header.splitlines())
        return comment + "\n" + body
    return body


# --- versioned files ---------------------------------------------------------------------


@dataclass(frozen=True)
class FileSpec:
    """A kind of workspace file: its name, model, current schema and migrations.

    ``migrations[n]`` turns the raw data of schema ``n`` into schema ``n + 1``.
    """

    name: str
    model: type[BaseModel]
    schema: int
    description: str = ""
    migrations: Mapping[int, Callable[[dict[str, Any]], dict[str, Any]]] = field(
        default_factory=dict
    )


def load_model(
    path: Path, spec: FileSpec, *, notices: list[str] | None = None, shown_as: Path | None = None
) -> BaseModel:
    """Read, migrate and validate one file. Never writes it: a broken file stays as it is.

    ``shown_as`` names the file in messages when it is read from elsewhere (the staged copy
    of an unfinished change, read by ``--dry-run``).
    """
    raw = _read_bytes(path)
    path = shown_as or path
    text = _decode(raw, path)  # once: 3 MB for 10,000 applications (issue 16)
    data = _parse_text(text, path)
    version = data.get("schema")
    if not isinstance(version, int):
        raise InputError(
            t("store.no_schema"),
            location=Location(file=str(path), key="schema"),
            hint=t("store.no_schema_hint", schema=spec.schema),
        )
    if version > spec.schema:
        raise WorkspaceError(
            t("store.newer_schema", file=str(path), found=version, supported=spec.schema),
            hint=t("store.newer_schema_hint"),
        )
    while version < spec.schema:
        migrate = spec.migrations.get(version)
        if migrate is None:
            raise WorkspaceError(
                t("store.no_migration", file=str(path), found=version, supported=spec.schema)
            )
        data = migrate(dict(data))
        version += 1
        data["schema"] = version
        if notices is not None:
            notices.append(t("store.migrated", file=path.name, found=version - 1, to=version))
    try:
        return spec.model.model_validate(data)
    except ValidationError as exc:
        raise validation_error(exc, file=str(path), text=text, model=spec.model) from None


# Writers of one kind of model's whole text, the same text as the generic path's, faster; they
# return None for anything they do not expect (``applications_toml``, registered by the
# workspace: 10,000 people are written in one go, issue 16).
FAST_WRITERS: dict[type[BaseModel], Callable[[Any], str | None]] = {}


def render_model(model: BaseModel, *, header: str = "") -> str:
    """The TOML text of a workspace file: header comment, ``schema`` first, stable order."""
    fast = FAST_WRITERS.get(type(model))
    body = fast(model) if fast is not None else None
    if body is not None:
        return _with_header(body, header)
    data = model.model_dump(by_alias=True, exclude_none=True, mode="python")
    schema = data.pop("schema", None)
    ordered = to_toml_value({"schema": schema, **data} if schema is not None else data)
    return _toml_text(ordered, header)


def save_model(path: Path, model: BaseModel, *, header: str = "") -> None:
    atomic_write_text(path, render_model(model, header=header))
