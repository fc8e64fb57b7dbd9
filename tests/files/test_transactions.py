"""Whole changes or none (issue 13): kills before every file-system step of every command that
changes several files, half-done changes met by other commands, and what a journal may name.

A command is stopped with SIGKILL just before its N-th file-system step, for N = 1, 2, ...
until it runs to its end (``COTRAIN_TEST_KILL_AT``, see ``cotrain.files.store.fs_step``). It
runs in a forked copy of the test process (no interpreter start-up: every step of every command
in a few seconds). After each kill the next command (``doctor``) must find the workspace whole:
every file as before the command, or every file as after it, and the same findings as before
or as after.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
from collections.abc import Callable
from pathlib import Path

import pytest

from cotrain.files import store
from cotrain.files.transaction import JOURNAL_NAME, TX_SUFFIX
from cotrain.files.workspace import Workspace
from fixtures_integrity import applications, write_programme

pytestmark = pytest.mark.skipif(os.name != "posix", reason="fork and SIGKILL are POSIX")

_TIMESTAMP = re.compile(rb"\d{4}-\d\d-\d\d[ T]\d\d:\d\d(:\d\d)?(\.\d+)?(Z|[+-]\d\d:\d\d)?")


def files(root: Path) -> dict[str, bytes]:
    """Every file of the folder but the lock and the harmless leftovers of single-file writes
    (``.x.toml.k2j3.tmp``, a warning of ``doctor``), times of writing blanked out."""
    out = {}
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.name != ".cotrain.lock" and not path.name.endswith(".tmp"):
            out[str(path.relative_to(root))] = _TIMESTAMP.sub(b"<time>", path.read_bytes())
    return out


def killed_at(step: int, run, args: list[str]) -> int | None:
    """Run ``cotrain ARGS`` in a fork that kills itself before its ``step``-th file-system
    step; its exit code, or None when it was killed."""
    pid = os.fork()
    if pid == 0:  # the child: run the command, never return into pytest
        code = 99
        try:
            os.environ["COTRAIN_TEST_KILL_AT"] = str(step)
            store._steps = 0
            code = run(*args).exit_code
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    if os.WIFSIGNALED(status):
        assert os.WTERMSIG(status) == signal.SIGKILL
        return None
    return os.WEXITSTATUS(status)


def doctor(run, root: Path) -> list[tuple[str, str]]:
    result = run("doctor", "--json", "-w", root)
    assert result.exit_code in (0, 1), result.output
    found = json.loads(result.stdout)["findings"]
    return sorted((f["code"], f["file"]) for f in found if f["severity"] == "error")


def kill_everywhere(
    run,
    root: Path,
    args: list[str],
    *,
    whole: Callable[[dict[str, bytes], dict[str, bytes], dict[str, bytes]], bool] | None = None,
) -> int:
    """Kill ``args`` before each of its steps in turn; check the workspace after each kill.

    Returns the number of steps. ``whole(before, after, now)`` replaces the byte comparison for
    commands whose result differs from run to run (the purge's random pseudonyms).
    """
    pristine = root.parent / f"{root.name}-pristine"
    shutil.copytree(root, pristine)
    before, findings_before = files(root), doctor(run, root)
    full = run(*args)
    assert full.exit_code == 0, full.output
    after, findings_after = files(root), doctor(run, root)
    assert after != before
    step = 0
    while True:
        step += 1
        shutil.rmtree(root)
        shutil.copytree(pristine, root)
        code = killed_at(step, run, args)
        if code is not None:  # ran to its end: every step was a kill point
            assert code == 0
            break
        found = doctor(run, root)  # the next command: finishes or undoes the change first
        now = files(root)
        assert not (root / JOURNAL_NAME).exists(), step
        assert not [p for p in root.rglob(f"*{TX_SUFFIX}")], step
        assert not [p for p in root.rglob(".*.tmp")], step  # nothing left that may hold names
        if whole is None:
            assert now in (before, after), f"step {step}: a change half made: " + ", ".join(
                sorted(n for n in set(now) | set(before) | set(after) if now.get(n) not in (before.get(n), after.get(n)))
            )
        else:
            assert whole(before, after, now), f"step {step}: a change half made"
        assert found == (findings_before if now == before else findings_after), step
        assert step < 500
    shutil.rmtree(pristine)
    return step - 1


@pytest.fixture
def programme(example_ws: Path) -> Path:
    os.chmod(example_ws, 0o700)
    for path in example_ws.rglob("*"):
        os.chmod(path, 0o700 if path.is_dir() else 0o600)
    write_programme(example_ws)
    return example_ws


def test_replace_killed_before_any_step_leaves_both_files_before_or_after(
    run, programme: Path
) -> None:
    steps = kill_everywhere(
        run, programme, ["replace", "zoe-martin-ndiaye", "--name", "Nadia Nouvelle", "-w", programme]
    )

    assert steps >= 8  # two staged files, a journal, two renames...


def test_withdraw_killed_before_any_step_leaves_files_whole(
    run, programme: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COTRAIN_NOW", "2015-01-28T20:00")  # day 1's evening: days 2-4 ahead
    kill_everywhere(
        run, programme, ["select", "--withdraw", "bondy", "--reason", "départ", "-w", programme]
    )


def test_import_replace_killed_before_any_step_leaves_files_whole(run, programme: Path) -> None:
    kill_everywhere(run, programme, ["import", "--replace", programme / "reponses.csv", "-w", programme])


def test_attend_killed_before_any_step_leaves_files_whole(run, programme: Path) -> None:
    kill_everywhere(run, programme, ["attend", "j2-matin", "--all-present", "-w", programme])


def personal(root: Path) -> list[str]:
    text = b"".join(files(root).values()).decode("utf-8", "replace")
    names = [p.name for a in applications().applications for p in a.people]
    emails = [p.email for a in applications().applications for p in a.people]
    return [s for s in names + emails if s in text]


def test_purge_killed_before_any_step_leaves_every_file_purged_or_none(
    run, programme: Path
) -> None:
    (programme / "feuilles").mkdir(mode=0o700)
    (programme / "feuilles" / "j1-matin.csv").write_text("Zoé Martin-Ndiaye;\n")

    def whole(before: dict, after: dict, now: dict) -> bool:
        if now == before:
            return True
        return sorted(now) == sorted(after) and personal(programme) == []

    steps = kill_everywhere(run, programme, ["purge", "--yes", "-w", programme], whole=whole)

    assert steps >= 20


def test_init_example_killed_before_any_step_is_finished_or_redone_by_init(
    run, tmp_path: Path
) -> None:
    folder = tmp_path / "demo"
    full = run("init", folder, "--example")
    assert full.exit_code == 0
    after = files(folder)
    shutil.rmtree(folder)
    step = 0
    while True:
        step += 1
        if folder.exists():
            shutil.rmtree(folder)
        code = killed_at(step, run, ["init", folder, "--example"])
        if code is not None:
            break
        if folder.exists() and (folder / "cotrain.toml").exists():
            assert files(folder).keys() >= after.keys() - {JOURNAL_NAME} or (
                folder / JOURNAL_NAME
            ).exists(), step
        if folder.is_dir() and files(folder) == after:  # killed after its last rename
            continue
        again = run("init", folder, "--example")
        assert again.exit_code == 0, (step, again.output)
        assert files(folder) == after, step
    assert step > 10


# --- a half-done change met by other commands ----------------------------------------------


def half_done(run, root: Path, args: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """Run ``args`` and stop it right after its journal was written."""
    from cotrain.files import transaction

    def stopped(root: Path, journal: object) -> None:
        raise KeyboardInterrupt

    with monkeypatch.context() as patch:
        patch.setattr(transaction, "_replay", stopped)
        run(*args)
    assert (root / JOURNAL_NAME).exists()


def test_a_dry_run_reads_a_half_done_change_as_finished_and_writes_nothing(
    run, programme: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    half_done(run, programme, ["replace", "zoe-martin-ndiaye", "--name", "Nadia Nouvelle", "-w", programme], monkeypatch)
    state = files(programme)

    again = run("replace", "zoe-martin-ndiaye", "--name", "Autre", "--dry-run", "-w", programme)

    assert again.exit_code == 1  # Zoé is already replaced, in the change under way
    assert files(programme) == state
    dry_purge = run("purge", "--dry-run", "--force", "--json", "-w", programme)
    assert dry_purge.exit_code == 0, dry_purge.output
    assert files(programme) == state


@pytest.mark.parametrize(
    "args",
    [
        ["leave", "zoe-martin-ndiaye"],
        ["join", "Nadia Autre", "--city", "montreuil", "--role", "elected"],
        ["assess", "zoe-martin-ndiaye", "--result", "acquis"],
    ],
)
def test_every_dry_run_leaves_a_half_done_change_as_it_found_it(
    run, programme: Path, monkeypatch: pytest.MonkeyPatch, args: list[str]
) -> None:
    half_done(run, programme, ["replace", "zoe-martin-ndiaye", "--name", "Nadia Nouvelle", "-w", programme], monkeypatch)
    state = files(programme)

    run(*args, "--dry-run", "-w", programme)  # its outcome may be a refusal: never a write

    assert files(programme) == state


def test_a_correction_made_during_a_half_done_purge_is_kept(
    run, programme: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    half_done(run, programme, ["purge", "--yes", "-w", programme], monkeypatch)

    report = run("report", "--json", "-w", programme)  # finishes the purge, then reads
    assert report.exit_code == 0, report.output
    ws = Workspace.open(programme)
    from cotrain.files.attendance_store import load_attendance

    someone = load_attendance(ws).sessions[0].present[0]
    marked = run("attend", "j1-matin", someone, "-s", "absent", "--reason", "x", "-w", programme)
    assert marked.exit_code == 0, marked.output
    assert run("purge", "--yes", "-w", programme).exit_code == 0

    assert someone in load_attendance(Workspace.open(programme)).sessions[0].absent
    assert doctor(run, programme) == []


def test_an_error_inside_a_transaction_changes_nothing(programme: Path) -> None:
    from cotrain.files.workspace import SELECTION

    ws = Workspace.open(programme)
    before = files(programme)
    selection = ws.load(SELECTION)

    with pytest.raises(RuntimeError), ws.transaction() as tx:
        tx.save(SELECTION, selection.model_copy(update={"decisions": []}))
        tx.write_text("exports/a.csv", "a;b\n")
        raise RuntimeError("stop")

    assert files(programme) == before


def test_a_transaction_writes_every_file_owner_only(programme: Path) -> None:
    ws = Workspace.open(programme)
    with ws.transaction() as tx:
        tx.write_text("exports/deep/a.csv", "a;b\n")
        tx.write_text("b.txt", "b\n")

    assert (programme / "exports" / "deep" / "a.csv").read_text() == "a;b\n"
    for path in (programme / "exports", programme / "exports" / "deep"):
        assert path.stat().st_mode & 0o777 == 0o700
    assert (programme / "b.txt").stat().st_mode & 0o777 == 0o600
    assert not (programme / JOURNAL_NAME).exists()


# --- what a journal may name ---------------------------------------------------------------


@pytest.mark.parametrize(
    "entry",
    [
        ["/tmp/x.cotrain-tx", "/etc/passwd"],
        ["../.outside.txt.aaaa.cotrain-tx", "../outside.txt"],
        ["link/.a.toml.aaaa.cotrain-tx", "link/a.toml"],
        [".selection.toml.aaaa.cotrain-tx", "../outside.txt"],
        ["../victim/.x.aaaa.cotrain-tx", "selection.toml"],
    ],
)
def test_a_planted_journal_naming_files_outside_is_refused_untouched(
    run, programme: Path, tmp_path: Path, entry: list[str]
) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("garder")
    (tmp_path / ".outside.txt.aaaa.cotrain-tx").write_text("écrasé")
    (programme / "link").symlink_to(tmp_path)
    (programme / ".selection.toml.aaaa.cotrain-tx").write_text("schema = 1\n")
    journal = {"cotrain_journal": 1, "renames": [entry], "delete": []}
    (programme / JOURNAL_NAME).write_text(json.dumps(journal))
    before = files(tmp_path)

    for args in (["purge", "--dry-run", "--force"], ["report"], ["doctor"], ["attend", "j1-matin", "--all-present"]):
        result = run(*args, "-w", programme)
        assert result.exit_code == 1, (args, result.output)
        assert ".cotrain-commit.json" in result.stderr

    assert outside.read_text() == "garder"
    assert files(tmp_path) == before


def test_a_planted_journal_deleting_outside_is_refused(run, programme: Path, tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("garder")
    for target in (str(victim), "../victim.txt", "link/victim.txt"):
        (programme / "link").unlink(missing_ok=True)
        (programme / "link").symlink_to(tmp_path)
        journal = {"cotrain_journal": 1, "renames": [], "delete": [target]}
        (programme / JOURNAL_NAME).write_text(json.dumps(journal))

        result = run("purge", "--yes", "--force", "-w", programme)

        assert result.exit_code == 1
        assert victim.read_text() == "garder"


def test_a_journal_that_is_a_symlink_is_refused(run, programme: Path, tmp_path: Path) -> None:
    real = tmp_path / "journal.json"
    real.write_text(json.dumps({"cotrain_journal": 1, "renames": [], "delete": ["cotrain.toml"]}))
    (programme / JOURNAL_NAME).symlink_to(real)

    result = run("report", "-w", programme)

    assert result.exit_code == 1
    assert (programme / "cotrain.toml").exists()


# --- links planted in the workspace --------------------------------------------------------


def test_a_lock_symlink_is_refused_and_its_target_untouched(
    run, programme: Path, tmp_path: Path
) -> None:
    target = tmp_path / "precious.txt"
    target.write_text("ne pas vider")
    (programme / ".cotrain.lock").unlink(missing_ok=True)
    (programme / ".cotrain.lock").symlink_to(target)

    result = run("attend", "j1-matin", "--all-present", "-w", programme)

    assert result.exit_code == 1
    assert ".cotrain.lock" in result.stderr
    assert target.read_text() == "ne pas vider"


def test_planted_temporary_symlinks_are_never_written_through(
    run, programme: Path, tmp_path: Path
) -> None:
    target = tmp_path / "precious.txt"
    target.write_text("ne pas écraser")
    for name in (
        ".applications.toml.commit.tmp",
        ".attendance.toml.tmp",
        ".schedule.toml.aaaaaaaa.cotrain-tx",
        ".selection.toml.x.tmp",
    ):
        (programme / name).symlink_to(target)

    result = run("purge", "--yes", "--force", "-w", programme)

    assert result.exit_code == 0, result.output
    assert target.read_text() == "ne pas écraser"
    assert not [p for p in programme.iterdir() if p.is_symlink()]  # the links themselves go
