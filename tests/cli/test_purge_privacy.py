"""What ``purge`` leaves: no known name, surname, e-mail or phone in any byte, distinct people
with distinct pseudonyms, no hidden copy (issue 13)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cotrain.files.workspace import APPLICATIONS, SELECTION, Workspace
from fixtures_integrity import write_programme


@pytest.fixture
def programme(example_ws: Path) -> Path:
    os.chmod(example_ws, 0o700)
    for path in example_ws.iterdir():
        os.chmod(path, 0o700 if path.is_dir() else 0o600)
    ws = write_programme(example_ws)
    apps = ws.load(APPLICATIONS)
    # Two different people of the same name, in two cities.
    bondy, ile = apps.applications
    twin = ile.people[0].model_copy(update={"name": bondy.people[0].name})
    ile = ile.model_copy(update={"people": [twin, *ile.people[1:]]})
    ws.save(APPLICATIONS, apps.model_copy(update={"applications": [bondy, ile]}))
    selection = ws.load(SELECTION)
    first = selection.decisions[0].model_copy(
        update={
            "reason": "Leroux joignable au 06.12.34.56.78, au +33 (0)6 11 22 33 44 "
            "ou au 0033 6 55 44 33 22 ; écrire à eric.leroux@bondy.fr ; Garnier d'accord"
        }
    )
    ws.save(SELECTION, selection.model_copy(update={"decisions": [first, *selection.decisions[1:]]}))
    (example_ws / ".schedule.toml.k2j3.tmp").write_text("Zoé Martin-Ndiaye, zoe@example.org")
    return example_ws


def every_byte(root: Path) -> str:
    return "\n".join(
        p.read_bytes().decode("utf-8", "replace") + "\n" + str(p.relative_to(root))
        for p in sorted(root.rglob("*"))
        if p.is_file()
    )


def test_purge_leaves_no_name_surname_email_or_phone_anywhere(run, programme: Path) -> None:
    result = run("purge", "--yes", "--force", "-w", programme)

    assert result.exit_code == 0, result.output
    text = every_byte(programme)
    for needle in (
        "Zoé Martin-Ndiaye",
        "Leroux",
        "Garnier",
        "eric.leroux@bondy.fr",
        "06.12.34.56.78",
        "+33 (0)6 11 22 33 44",
        "0033 6 55 44 33 22",
        "+33 6 12 34 56 78",
        "zoe@example.org",
    ):
        assert needle not in text, needle
    assert not list(programme.rglob("*.tmp"))


def test_two_people_of_the_same_name_keep_distinct_pseudonyms(run, programme: Path) -> None:
    assert run("purge", "--yes", "--force", "-w", programme).exit_code == 0

    apps = Workspace.open(programme).load(APPLICATIONS)
    people = [p for a in apps.applications for p in a.people]
    assert len({p.name for p in people}) == len(people)
    assert len({p.id for p in people}) == len(people)


def test_purging_twice_changes_nothing_the_second_time(run, programme: Path) -> None:
    assert run("purge", "--yes", "--force", "-w", programme).exit_code == 0
    once = every_byte(programme)

    again = run("purge", "--yes", "--force", "-w", programme)

    assert again.exit_code == 0, again.output
    assert every_byte(programme) == once
