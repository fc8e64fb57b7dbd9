"""The one place that reads and writes workspace files.

- Writes are atomic: a temporary file in the same folder, fsync, rename, fsync of the folder.
  A process killed at any moment leaves the previous file or the new one, never half of one.
- Files and folders we create are readable by their owner only (0600 / 0700): they describe
  people in poverty.
- TOML is read with the file, line and key path in every error, and written with a header
  comment, the schema number first and a stable key order.
- Parsing TOML is slow in pure Python (about 1 s per 10,000 people), so each workspace file has a
  JSON copy of its validated model in ``.cotrain-cache/``, keyed by the SHA-256 of the TOML bytes:
  any change to the TOML (a hand edit included) makes the copy stale and it is ignored. The TOML
  stays the one source of truth; the cache is owner-only and rewritten or dropped with its file.
- A workspace lock (``.cotrain.lock``) serialises commands that change the workspace. It is an
  OS-level lock (``fcntl.flock`` / ``msvcrt.locking``): the kernel releases it when its holder
  dies, so a lock left by a dead process never blocks anyone.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import tempfile
import time
import tomllib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from datetime import time as dtime
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from cotrain.errors import CotrainError, InputError, Location, WorkspaceError
from cotrain.i18n import t

FILE_MODE = 0o600
DIR_MODE = 0o700
LOCK_NAME = ".cotrain.lock"
CACHE_DIR = ".cotrain-cache"

M = TypeVar("M", bound=BaseModel)


# --- atomic writes -----------------------------------------------------------------------


def ensure_dir(path: Path) -> Path:
    """Create ``path`` (and parents) readable by the owner only; return it.

    A file where a folder is wanted, or a folder that cannot be made, is the user's to fix:
    an ``InputError`` / ``WorkspaceError`` naming the path, never a traceback.
    """
    if path.exists() and not path.is_dir():
        raise InputError(t("store.not_a_folder", path=str(path)), hint=t("store.not_a_folder_hint"))
    try:
        path.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
    except OSError as exc:
        raise _cannot_write(path, exc) from None
    return path


def _cannot_write(path: Path, exc: OSError) -> WorkspaceError:
    reason = exc.strerror or type(exc).__name__
    return WorkspaceError(t("store.cannot_write", path=str(path), reason=reason))


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write_bytes(path: Path, data: bytes, *, durable: bool = True) -> None:
    """Replace ``path`` with ``data`` in one step (temporary file, fsync, rename, fsync dir).

    ``durable=False`` skips the two fsyncs: still all-or-nothing for readers, but a power cut
    may lose the new content. Only for what can be rebuilt (the parse cache).
    """
    if path.is_dir():
        raise InputError(
            t("store.is_a_folder", path=str(path)),
            hint=t("store.is_a_folder_hint", path=str(path)),
        )
    folder = path.parent
    ensure_dir(folder)
    _drop_cache(path)
    try:
        fd, tmp_name = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise _cannot_write(path, exc) from None
    try:
        os.fchmod(fd, FILE_MODE) if hasattr(os, "fchmod") else None
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        os.replace(tmp_name, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        if isinstance(exc, OSError):  # disk full, permission denied...: the old file is intact
            raise _cannot_write(path, exc) from None
        raise
    if durable:
        _fsync_dir(folder)


def atomic_write_text(
    path: Path, text: str, *, encoding: str = "utf-8", newline: str = "\n"
) -> None:
    if newline != "\n":
        text = text.replace("\n", newline)
    atomic_write_bytes(path, text.encode(encoding))


def safe_output_path(base: Path, name: str) -> Path:
    """``base / name``, refusing names that would escape ``base`` (``../``, absolute paths)."""
    candidate = (base / name).resolve()
    root = base.resolve()
    if candidate != root and root not in candidate.parents:
        raise InputError(
            t("store.path_escapes", name=name, folder=str(base)),
            hint=t("store.path_escapes_hint"),
        )
    return candidate


# --- locking -----------------------------------------------------------------------------


@contextlib.contextmanager
def workspace_lock(folder: Path, *, timeout: float | None = None) -> Iterator[None]:
    """Hold the workspace's lock for the duration of the block, waiting up to ``timeout`` s."""
    if timeout is None:
        timeout = float(os.environ.get("COTRAIN_LOCK_TIMEOUT", "60"))
    lock_path = folder / LOCK_NAME
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, FILE_MODE)
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
        os.ftruncate(fd, 0)
        os.write(fd, json.dumps({"pid": os.getpid(), "since": time.time()}).encode())
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
        return str(json.loads(lock_path.read_text() or "{}").get("pid", "?"))
    except (OSError, ValueError):
        return "?"


if os.name == "posix":
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
        reason = exc.strerror or ""
        raise WorkspaceError(t("store.unreadable", file=str(path), reason=reason)) from None


def _decode(raw: bytes, path: Path) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(
            t("store.not_utf8"), location=Location(file=str(path)), hint=t("store.not_utf8_hint")
        ) from None


def parse_toml(raw: bytes, path: Path) -> dict[str, Any]:
    """Parse TOML bytes read from ``path`` (named in errors, with the line)."""
    text = _decode(raw, path)
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = _TOML_ERROR_AT.search(str(exc))
        line = int(found.group(1)) if found else None
        reason = _TOML_ERROR_AT.sub("", str(exc)).strip()
        raise InputError(
            t("store.toml_syntax", reason=reason),
            location=Location(file=str(path), line=line),
            hint=t("store.toml_syntax_hint"),
        ) from None


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
    if kind is dict:
        return {str(k): to_toml_value(v) for k, v in value.items() if v is not None}
    if kind is list:
        return [to_toml_value(v) for v in value]
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

    body = dumps(converted)
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
    path: Path, spec: FileSpec, *, notices: list[str] | None = None
) -> BaseModel:
    """Read, migrate and validate one file. Never writes it: a broken file stays as it is.

    A valid cached copy of the model (same TOML bytes, same schema) is used when there is one.
    """
    raw = _read_bytes(path)
    cached = _read_cache(path, raw, spec)
    if cached is not None:
        return cached
    data = parse_toml(raw, path)
    text = _decode(raw, path)
    migrated = False
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
        migrated = True
        version += 1
        data["schema"] = version
        if notices is not None:
            notices.append(t("store.migrated", file=path.name, found=version - 1, to=version))
    try:
        model = spec.model.model_validate(data)
    except ValidationError as exc:
        raise validation_error(exc, file=str(path), text=text, model=spec.model) from None
    if not migrated:
        _write_cache(path, raw, model)
    return model


def save_model(path: Path, model: BaseModel, *, header: str = "") -> None:
    data = model.model_dump(by_alias=True, exclude_none=True, mode="python")
    schema = data.pop("schema", None)
    ordered = to_toml_value({"schema": schema, **data} if schema is not None else data)
    text = _toml_text(ordered, header)
    atomic_write_text(path, text)
    # What a later read of this TOML gives: the model validated from the very values written.
    with contextlib.suppress(ValidationError):
        _write_cache(path, text.encode("utf-8"), type(model).model_validate(ordered))


# --- parse cache -------------------------------------------------------------------------


def _cache_file(path: Path) -> Path:
    return path.parent / CACHE_DIR / f"{path.name}.json"


def _cache_key(raw: bytes, model: type[BaseModel]) -> bytes:
    from cotrain import __version__

    digest = hashlib.sha256(raw).hexdigest()
    return f"{digest} {model.__module__}.{model.__qualname__} {__version__}".encode()


def _read_cache(path: Path, raw: bytes, spec: FileSpec) -> BaseModel | None:
    try:
        key, _, payload = _cache_file(path).read_bytes().partition(b"\n")
    except OSError:
        return None
    if key != _cache_key(raw, spec.model):
        return None
    try:
        return spec.model.model_validate_json(payload)
    except ValidationError:
        return None


def _write_cache(path: Path, raw: bytes, model: BaseModel) -> None:
    """Best effort: a cache that cannot be written only costs time later."""
    cache = _cache_file(path)
    try:
        payload = model.model_dump_json(by_alias=True)
        content = _cache_key(raw, type(model)) + b"\n" + payload.encode("utf-8")
        atomic_write_bytes(cache, content, durable=False)  # a lost cache is only rebuilt
    except (OSError, ValueError, CotrainError):
        with contextlib.suppress(OSError):
            cache.unlink()


def _drop_cache(path: Path) -> None:
    if path.parent.name == CACHE_DIR:
        return
    with contextlib.suppress(OSError):
        _cache_file(path).unlink()
