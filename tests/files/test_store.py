from __future__ import annotations

import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cotrain.domain.models import ApplicationsFile
from cotrain.errors import InputError, WorkspaceError
from cotrain.files.store import (
    FileSpec,
    atomic_write_text,
    load_model,
    safe_output_path,
    save_model,
    workspace_lock,
)


def test_atomic_write_replaces_whole_file_with_owner_only_mode(tmp_path: Path) -> None:
    target = tmp_path / "a.toml"
    target.write_text("old")

    atomic_write_text(target, "new content")

    assert target.read_text() == "new content"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["a.toml"]


def test_save_then_load_round_trips_with_schema_first(tmp_path: Path) -> None:
    spec = FileSpec("applications.toml", ApplicationsFile, 1)
    save_model(tmp_path / spec.name, ApplicationsFile(), header="hello")

    text = (tmp_path / spec.name).read_text()
    assert text.splitlines()[:3] == ["# hello", "", "schema = 1"]
    assert load_model(tmp_path / spec.name, spec) == ApplicationsFile()


def test_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "applications.toml"
    path.write_text("schema = 1\n\n[[applications]\ncity = 'x'\n")
    spec = FileSpec("applications.toml", ApplicationsFile, 1)

    with pytest.raises(InputError) as caught:
        load_model(path, spec)

    assert caught.value.location is not None
    assert caught.value.location.file == str(path)
    assert caught.value.location.line == 3


def test_invalid_value_names_key_path_and_line(tmp_path: Path) -> None:
    path = tmp_path / "applications.toml"
    path.write_text(
        'schema = 1\n\n[[applications]]\ncity_id = "bondy"\ncity = "Bondy"\ncontribution = "beaucoup"\n'
    )
    spec = FileSpec("applications.toml", ApplicationsFile, 1)

    with pytest.raises(InputError) as caught:
        load_model(path, spec)

    assert caught.value.location.key == "applications[1].contribution"
    assert caught.value.location.line == 6


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "applications.toml"
    path.write_text("schema = 9\n")

    with pytest.raises(WorkspaceError):
        load_model(path, FileSpec("applications.toml", ApplicationsFile, 1))


def test_older_schema_is_migrated_with_a_notice(tmp_path: Path) -> None:
    path = tmp_path / "applications.toml"
    path.write_text('schema = 1\n[[apps]]\ncity_id = "bondy"\ncity = "Bondy"\n')
    spec = FileSpec(
        "applications.toml",
        ApplicationsFile,
        2,
        migrations={1: lambda d: {"applications": d.pop("apps")}},
    )
    notices: list[str] = []

    loaded = load_model(path, spec, notices=notices)

    assert [a.city_id for a in loaded.applications] == ["bondy"]
    assert len(notices) == 1


def test_output_path_cannot_escape_its_folder(tmp_path: Path) -> None:
    assert safe_output_path(tmp_path, "out.csv") == (tmp_path / "out.csv").resolve()
    with pytest.raises(InputError):
        safe_output_path(tmp_path, "../evil.csv")
    with pytest.raises(InputError):
        safe_output_path(tmp_path, "/etc/passwd")


def test_lock_waits_then_times_out(tmp_path: Path) -> None:
    with workspace_lock(tmp_path):
        started = time.monotonic()
        holder = subprocess.run(
            [
                sys.executable,
                "-c",
                "import sys; from pathlib import Path; from cotrain.files.store import workspace_lock\n"
                "from cotrain.errors import WorkspaceError\n"
                "try:\n"
                "    with workspace_lock(Path(sys.argv[1]), timeout=0.3): print('got it')\n"
                "except WorkspaceError: print('locked')\n",
                str(tmp_path),
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        assert holder.stdout.strip() == "locked"
        assert time.monotonic() - started >= 0.3


def test_lock_of_a_killed_process_is_released(tmp_path: Path) -> None:
    child = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; from cotrain.files.store import workspace_lock\n"
            "with workspace_lock(Path(sys.argv[1])):\n"
            "    print('held', flush=True); time.sleep(60)\n",
            str(tmp_path),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None and child.stdout.readline().strip() == "held"
    os.kill(child.pid, 9)
    child.wait()

    with workspace_lock(tmp_path, timeout=0):  # taken at the first try: released by the kill
        pass


def test_reading_and_writing_leave_no_copy_of_the_data(tmp_path: Path) -> None:
    from cotrain.domain.models import Application

    spec = FileSpec("applications.toml", ApplicationsFile, 1)
    path = tmp_path / spec.name
    save_model(path, ApplicationsFile(applications=[Application(city_id="bondy", city="Bondy")]))
    path.write_text(path.read_text().replace('"Bondy"', '"Bondy (93)"'))

    edited = load_model(path, spec)

    assert [a.city for a in edited.applications] == ["Bondy (93)"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["applications.toml"]


def test_an_old_cache_never_overrides_the_toml(tmp_path: Path) -> None:
    spec = FileSpec("applications.toml", ApplicationsFile, 1)
    path = tmp_path / spec.name
    save_model(path, ApplicationsFile())
    cache = tmp_path / ".cotrain-cache"
    cache.mkdir()
    (cache / "applications.toml.json").write_text('x\n{"schema": 1, "applications": [{"city_id": "x", "city": "X"}]}')

    assert load_model(path, spec) == ApplicationsFile()


def test_writing_over_a_folder_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "adir").mkdir()

    with pytest.raises(InputError) as caught:
        atomic_write_text(tmp_path / "adir", "x")

    assert "est un dossier" in caught.value.message
    assert sorted(p.name for p in tmp_path.iterdir()) == ["adir"]


def test_a_file_where_a_folder_is_wanted_is_a_clear_error(tmp_path: Path) -> None:
    from cotrain.files.store import ensure_dir

    (tmp_path / "afile").write_text("mine")

    with pytest.raises(InputError) as caught:
        ensure_dir(tmp_path / "afile")

    assert "est un fichier" in caught.value.message
    assert (tmp_path / "afile").read_text() == "mine"


def test_a_write_the_system_refuses_leaves_the_old_file(tmp_path: Path, monkeypatch) -> None:
    import errno

    target = tmp_path / "a.toml"
    target.write_text("old")

    def disk_full(*args: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", disk_full)
    with pytest.raises(WorkspaceError) as caught:
        atomic_write_text(target, "new")

    assert "plus de place sur le disque" in caught.value.message  # in the user's language
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.toml"]
