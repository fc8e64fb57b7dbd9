"""Faults of the machine, not of the data (issue 13): each ends in a clear message saying what
to do, exit 1, never "unexpected error" (exit 3), and nothing half-written.

The suite runs as root in CI, where permissions do not stop anybody: a read-only folder, a
lock of mode 000 and a full disk are simulated by making the system call fail as the kernel
would (the same ``OSError`` with the same errno).
"""

from __future__ import annotations

import errno
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from cotrain.files import store

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX file systems")


def cotrain(*args: str | Path) -> list[str]:
    exe = shutil.which("cotrain")
    head = [exe] if exe else [sys.executable, "-m", "cotrain"]
    return [*head, *(str(a) for a in args)]


@pytest.fixture
def ws(example_ws: Path, run) -> Path:
    assert run("import", example_ws / "reponses.csv", "-w", example_ws).exit_code == 0
    return example_ws


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name != ".cotrain.lock"
    }


def failing_open(monkeypatch: pytest.MonkeyPatch, code: int, *, when) -> None:
    real = os.open

    def fake(path, flags, *args, **kwargs):
        if when(str(path), flags):
            raise OSError(code, os.strerror(code), str(path))
        return real(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", fake)


def test_a_read_only_workspace_is_a_clear_error(run, ws: Path, monkeypatch) -> None:
    before = snapshot(ws)
    failing_open(monkeypatch, errno.EROFS, when=lambda path, flags: bool(flags & os.O_CREAT))
    monkeypatch.setattr(
        "tempfile.mkstemp",
        lambda *a, **k: (_ for _ in ()).throw(OSError(errno.EROFS, "Read-only file system")),
    )

    result = run("select", "-w", ws)

    assert result.exit_code == 1, result.output
    assert "lecture seule" in result.stderr
    assert snapshot(ws) == before


def test_a_full_disk_when_the_lock_is_written_is_a_clear_error(run, ws: Path, monkeypatch) -> None:
    before = snapshot(ws)

    def full(fd, data):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "write", full)

    result = run("select", "-w", ws)

    assert result.exit_code == 1, result.output
    assert "disque est plein" in result.stderr
    assert snapshot(ws) == before


def test_a_lock_nobody_may_open_is_a_clear_error(run, ws: Path, monkeypatch) -> None:
    lock = ws / ".cotrain.lock"
    lock.write_text("")
    lock.chmod(0)
    failing_open(monkeypatch, errno.EACCES, when=lambda path, flags: path.endswith(".cotrain.lock"))

    result = run("select", "-w", ws)

    assert result.exit_code == 1, result.output
    assert ".cotrain.lock" in result.stderr and "supprimez" in result.stderr


def test_a_lock_that_is_a_fifo_is_refused(run, ws: Path) -> None:
    (ws / ".cotrain.lock").unlink(missing_ok=True)
    os.mkfifo(ws / ".cotrain.lock")

    result = run("select", "-w", ws)

    assert result.exit_code == 1, result.output
    assert "pas un fichier ordinaire" in result.stderr
    assert stat.S_ISFIFO(os.lstat(ws / ".cotrain.lock").st_mode)


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="chown needs root")
def test_a_lock_owned_by_someone_else_is_refused(run, ws: Path) -> None:
    lock = ws / ".cotrain.lock"
    lock.write_text("")
    os.chown(lock, 4242, 4242)

    result = run("select", "-w", ws)

    assert result.exit_code == 1, result.output
    assert "autre utilisateur" in result.stderr


@pytest.mark.parametrize("value", ["soon", "-1", "nan", "inf"])
def test_a_lock_timeout_that_is_not_a_number_is_a_clear_error(run, ws: Path, value: str) -> None:
    result = run("select", "-w", ws, env={"COTRAIN_LOCK_TIMEOUT": value})

    assert result.exit_code == 1, result.output
    assert "COTRAIN_LOCK_TIMEOUT" in result.stderr


def test_a_lock_timeout_with_a_decimal_comma_is_understood(run, ws: Path) -> None:
    assert run("select", "-w", ws, env={"COTRAIN_LOCK_TIMEOUT": "2,5"}).exit_code == 0


def test_a_300_character_name_still_gets_its_certificate(run, ws: Path, tmp_path: Path) -> None:
    from cotrain.files.store import safe_output_path

    long_name = "x" * 300 + ".pdf"
    path = safe_output_path(tmp_path, long_name)
    store.atomic_write_bytes(path, b"%PDF")

    assert path.read_bytes() == b"%PDF"
    assert len(path.name.encode()) <= 150
    assert safe_output_path(tmp_path, "y" * 300 + ".pdf") != path


def test_a_300_character_output_name_is_a_clear_error(run, ws: Path, tmp_path: Path) -> None:
    result = run("participants", "--output", tmp_path / ("n" * 300 + ".csv"), "-w", ws)

    assert result.exit_code == 1, result.output
    assert "trop long" in result.stderr


def test_any_other_refusal_of_the_system_exits_1_not_3(run, ws: Path, monkeypatch) -> None:
    def refused(*args, **kwargs):
        raise OSError(errno.EIO, os.strerror(errno.EIO), str(ws / "applications.toml"))

    monkeypatch.setattr(store, "_read_bytes", refused)

    result = run("applications", "-w", ws)

    assert result.exit_code == 1, result.output
    assert "applications.toml" in result.stderr


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("args", [["report"], ["applications"], ["applications", "--json"]])
def test_output_to_a_full_disk_exits_1(ws: Path, args: list[str]) -> None:
    with open("/dev/full", "w") as full:
        done = subprocess.run(cotrain(*args, "-w", ws), stdout=full, stderr=subprocess.PIPE, text=True)

    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert done.stderr.strip() != ""


def test_every_folder_made_for_an_output_is_owner_only(run, ws: Path, tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "c"
    previous = os.umask(0o022)
    try:
        result = run("participants", "--output", target / "liste.csv", "-w", ws)
    finally:
        os.umask(previous)

    assert result.exit_code == 0, result.output
    for folder in (tmp_path / "a", tmp_path / "a" / "b", target):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize(
    ("args", "lang", "reason", "output_hint"),
    [
        (["participants"], "fr", "plus de place sur le disque", True),
        (["check"], "fr", "plus de place sur le disque", False),
        (["check"], "en", "no space left on the disk", False),
    ],
)
def test_a_full_output_is_said_in_the_users_language_with_a_hint_that_fits_the_command(
    ws: Path, args: list[str], lang: str, reason: str, output_hint: bool
) -> None:
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            cotrain(*args, "--lang", lang, "-w", ws), stdout=full, stderr=subprocess.PIPE, text=True
        )

    assert done.returncode == 1, done.stderr
    assert reason in done.stderr
    assert "No space left on device" not in done.stderr
    assert ("--output" in done.stderr) is output_hint


def test_os_reasons_are_translated(run) -> None:
    import errno

    from cotrain.files.store import os_reason
    from cotrain.i18n import set_language

    for code in ("ENOSPC", "EACCES", "EROFS", "EPIPE", "ENAMETOOLONG", "EDQUOT"):
        number = getattr(errno, code)
        set_language("fr")
        french = os_reason(OSError(number, os.strerror(number)))
        set_language("en")
        english = os_reason(OSError(number, os.strerror(number)))
        assert french != english and french != os.strerror(number), code
    set_language("fr")
