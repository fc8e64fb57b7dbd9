"""cotrain schedule, schedule check, schedule diff, replace, schedule --keep."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import tomli_w
from tests.fixtures_schedule import write_workspace

from cotrain.domain.models import ScheduleFile

FAST = ("--iterations", "100")


@pytest.fixture
def ws(example_ws: Path) -> Path:
    return write_workspace(example_ws)


@pytest.fixture
def planned(ws: Path, run) -> Path:
    result = run("schedule", "-w", ws, *FAST)
    assert result.exit_code == 0, result.output
    return ws


def read_schedule(path: Path) -> ScheduleFile:
    with path.open("rb") as handle:
        return ScheduleFile.model_validate(tomllib.load(handle))


def rewrite(path: Path, change) -> None:
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    change(data)
    path.write_text(tomli_w.dumps(data), encoding="utf-8")


def session(data: dict, session_id: str) -> dict:
    return next(s for s in data["sessions"] if s["session_id"] == session_id)


def test_schedule_writes_every_half_day_and_prints_quality(ws: Path, run) -> None:
    result = run("schedule", "-w", ws, *FAST)
    assert result.exit_code == 0, result.output
    schedule = read_schedule(ws / "schedule.toml")
    assert len(schedule.sessions) == 14
    assert schedule.seed == 0
    assert "Rencontres répétées :" in result.output
    assert f"(borne inférieure : {schedule.quality['lower_bound']} ;" in result.output
    assert f"Planning écrit dans {ws / 'schedule.toml'}." in result.output


def test_same_seed_gives_a_byte_identical_file(ws: Path, run, tmp_path: Path) -> None:
    assert run("schedule", "-w", ws, "--seed", "4", *FAST).exit_code == 0
    first = (ws / "schedule.toml").read_bytes()
    assert run("schedule", "-w", ws, "--seed", "4", *FAST).exit_code == 0
    assert (ws / "schedule.toml").read_bytes() == first
    assert read_schedule(ws / "schedule.toml").seed == 4


def test_dry_run_writes_nothing_and_json_is_machine_readable(ws: Path, run) -> None:
    result = run("schedule", "-w", ws, "--dry-run", "--json", *FAST)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["written"] is None
    assert data["quality"]["lower_bound"] <= data["quality"]["repeats"]
    assert [s["session_id"] for s in data["schedule"]["sessions"]][:2] == [
        "preparation",
        "j1-matin",
    ]
    assert not (ws / "schedule.toml").exists()


def test_without_selection_says_to_run_select(example_ws: Path, run) -> None:
    result = run("schedule", "-w", example_ws, *FAST)
    assert result.exit_code == 1
    assert "aucune ville n'est encore retenue." in result.output
    assert "cotrain select" in result.output
    assert not (example_ws / "schedule.toml").exists()


def test_infeasible_rules_explain_and_write_nothing(ws: Path, run) -> None:
    config = ws / "cotrain.toml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("mixed_groups = 3", "mixed_groups = 4"),
        encoding="utf-8",
    )
    result = run("schedule", "-w", ws, *FAST)
    assert result.exit_code == 1
    assert (
        "6 militant·es ne peuvent pas donner 2 militant·es à chacun des 4 groupes croisés : "
        "prévoyez au plus 3 groupes croisés ou invitez 2 militant·es de plus."
    ) in result.output
    assert not (ws / "schedule.toml").exists()


def test_infeasible_message_in_english(ws: Path, run) -> None:
    config = ws / "cotrain.toml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("mixed_groups = 3", "mixed_groups = 4"),
        encoding="utf-8",
    )
    result = run("schedule", "-w", ws, "--lang", "en", *FAST)
    assert result.exit_code == 1
    assert "6 activists cannot give 2 activists to each of the 4 mixed groups" in result.output


def test_check_accepts_the_written_schedule(planned: Path, run) -> None:
    result = run("schedule", "check", "-w", planned)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("schedule.toml respecte toutes les règles.\n")


def test_check_flags_a_hand_made_violation(planned: Path, run) -> None:
    small: list[str] = []

    def move_one(data: dict) -> None:
        groups = session(data, "j2-apres-midi")["groups"]
        src = next(g for g in groups if len(g["members"]) == 11)
        dst = next(g for g in groups if g is not src)
        dst["members"].append(src["members"].pop())
        small.append(src["id"])

    rewrite(planned / "schedule.toml", move_one)
    result = run("schedule", "check", "-w", planned)
    assert result.exit_code == 1
    assert result.output.startswith("schedule.toml : ")
    assert (
        f"  - j2-apres-midi, groupe {small[0]} : 10 personnes alors que les groupes "
        "doivent compter de 11 à 12 personnes.\n"
    ) in result.output


def test_check_reports_unknown_ids_with_their_key_path(planned: Path, run) -> None:
    def typo(data: dict) -> None:
        data["sessions"][1]["groups"][0]["members"][0] = "awa-dialo"
        data["sessions"][2]["session_id"] = "j1-aprem"

    rewrite(planned / "schedule.toml", typo)
    result = run("schedule", "check", "-w", planned, "--json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    found = {(v["rule"], v["key"]) for v in data["violations"]}
    assert ("unknown_person", "sessions[1].groups[0].members[0]") in found
    assert ("unknown_session", "sessions[2].session_id") in found
    text = run("schedule", "check", "-w", planned).output
    assert "« awa-dialo » n'est pas un·e participant·e. [sessions[1].groups[0].members[0]]" in text


def test_diff_lists_who_moved_where(planned: Path, run, tmp_path: Path) -> None:
    old = tmp_path / "old.toml"
    shutil.copy(planned / "schedule.toml", old)

    def swap(data: dict) -> None:
        g1, g2 = session(data, "j3-matin")["groups"][:2]
        a, b = g1["members"][0], g2["members"][0]
        g1["members"][0], g2["members"][0] = b, a

    rewrite(planned / "schedule.toml", swap)
    result = run("schedule", "diff", old, planned / "schedule.toml", "-w", planned, "--json")
    assert result.exit_code == 0, result.output
    moves = json.loads(result.stdout)["moves"]
    assert [(m["session"], m["before"], m["after"]) for m in moves] in (
        [("j3-matin", "g1", "g2"), ("j3-matin", "g2", "g1")],
        [("j3-matin", "g2", "g1"), ("j3-matin", "g1", "g2")],
    )


def test_replace_with_a_new_name_moves_only_that_person(planned: Path, run) -> None:
    before = read_schedule(planned / "schedule.toml")
    result = run("replace", "bondy-professional-1", "--name", "Léa Martin", "-w", planned)
    assert result.exit_code == 0, result.output
    assert result.output.startswith(
        "Bruno Bondy est remplacé·e par Léa Martin (9 place(s) changée(s))."
    )
    after = read_schedule(planned / "schedule.toml")
    for s_before, s_after in zip(before.sessions, after.sessions, strict=True):
        for g_before, g_after in zip(s_before.groups, s_after.groups, strict=True):
            expected = sorted(
                "lea-martin" if m == "bondy-professional-1" else m for m in g_before.members
            )
            assert g_after.members == expected
            assert g_after.trainers == g_before.trainers
    with (planned / "applications.toml").open("rb") as handle:
        apps = tomllib.load(handle)
    bondy = next(a for a in apps["applications"] if a["city_id"] == "bondy")
    assert [p["id"] for p in bondy["people"]] == [
        "bondy-elected-0",
        "bondy-professional-2",
        "bondy-prefect-delegate-3",
        "lea-martin",
    ]
    assert run("schedule", "check", "-w", planned).exit_code == 0


def test_replace_refuses_someone_already_scheduled(planned: Path, run) -> None:
    result = run("replace", "bondy-professional-1", "--by", "bondy-elected-0", "-w", planned)
    assert result.exit_code == 1
    assert "Alice Bondy est déjà dans le planning." in result.output


@pytest.fixture
def with_candidate(planned: Path) -> Path:
    """A 8th city that applied but was not selected: its people are not scheduled."""
    from tests.fixtures_schedule import CITIES, make_applications

    from cotrain.files.store import save_model

    save_model(planned / "applications.toml", make_applications([*CITIES, "drancy"]))
    return planned


def test_replace_refuses_a_substitute_of_another_role_or_city(with_candidate: Path, run) -> None:
    result = run(
        "replace", "bondy-professional-1", "--by", "drancy-elected-0", "-w", with_candidate
    )
    assert result.exit_code == 1
    assert (
        "Alice Drancy n'a pas le même rôle (élu·e, au lieu de professionnel·le)." in result.output
    )
    result = run("replace", "bondy-professional-1", "--by", "Bruno Drancy", "-w", with_candidate)
    assert result.exit_code == 1
    assert "Bruno Drancy ne vient pas de la même ville." in result.output


def test_replace_by_an_activist_declared_in_cotrain_toml(planned: Path, run) -> None:
    config = planned / "cotrain.toml"
    config.write_text(
        config.read_text(encoding="utf-8")
        + '\n[[activists]]\nid = "rose-petit"\nname = "Rose Petit"\n',
        encoding="utf-8",
    )
    result = run("replace", "awa-diallo", "--by", "rose-petit", "-w", planned, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert {(m["who"], m["before"] is None) for m in data["moves"]} == {
        ("awa-diallo", False),
        ("rose-petit", True),
    }
    assert [n["rule"] for n in data["notices"]] == ["remove_activist"]


def test_replace_needs_by_or_name(planned: Path, run) -> None:
    result = run("replace", "bondy-professional-1", "-w", planned)
    assert result.exit_code == 2


def test_keep_after_a_city_withdrawal_moves_only_what_must(planned: Path, run) -> None:
    before = read_schedule(planned / "schedule.toml")

    def withdraw(data: dict) -> None:
        for d in data["decisions"]:
            if d["city_id"] == "sevran":
                d["decision"] = "withdrawn"

    rewrite(planned / "selection.toml", withdraw)
    result = run("schedule", "--keep", "-w", planned, *FAST, "--json")
    assert result.exit_code == 0, result.output
    moves = json.loads(result.stdout)["moves"]
    gone = {m["who"] for m in moves if m["after"] is None}
    assert gone == {
        "sevran-elected-0",
        "sevran-professional-1",
        "sevran-professional-2",
        "sevran-prefect-delegate-3",
    }
    after = read_schedule(planned / "schedule.toml")
    kept_peer = [g.members for g in after.session("j1-matin").groups]
    assert kept_peer == [
        [m for m in g.members if not m.startswith("sevran")]
        for g in before.session("j1-matin").groups
    ]
    moved = [m for m in moves if m["before"] and m["after"] and m["kind"] == "person"]
    # a few per half-day (sizes, roles and cities re-balanced), against ~150 for a new plan
    assert len(moved) <= 20
    assert run("schedule", "check", "-w", planned).exit_code == 0


def test_shipped_example_end_to_end(tmp_path: Path, run) -> None:
    folder = tmp_path / "demo"
    assert run("init", folder, "--example").exit_code == 0
    assert run("import", folder / "reponses.csv", "-w", folder).exit_code == 0
    assert run("select", "-w", folder).exit_code == 0
    result = run("schedule", "-w", folder, *FAST)
    assert result.exit_code == 0, result.output
    schedule = read_schedule(folder / "schedule.toml")
    assert len(schedule.expected()["j1-matin"]) == 34
    assert run("schedule", "check", "-w", folder).exit_code == 0


def test_installed_command_in_a_subprocess(planned: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "cotrain", "schedule", "check", "-w", str(planned), "--lang", "en"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("schedule.toml keeps every rule.\n")


def test_keep_apart_activist_and_professional_of_one_city_never_share_a_group(
    tmp_path: Path, run
) -> None:
    folder = tmp_path / "demo"
    run("init", folder, "--example")
    config = folder / "cotrain.toml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "keep_apart = []", 'keep_apart = [["awa-diallo", "lucas-ferreira"]]'
        ),
        encoding="utf-8",
    )
    run("import", folder / "reponses.csv", "-w", folder)
    run("select", "-w", folder)
    assert run("schedule", "-w", folder, *FAST).exit_code == 0
    for s in read_schedule(folder / "schedule.toml").sessions:
        for g in s.groups:
            if g.id != "all":
                assert not {"awa-diallo", "lucas-ferreira"} <= set(g.members)


def test_keep_apart_typo_is_reported_with_its_key(ws: Path, run) -> None:
    config = ws / "cotrain.toml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "keep_apart = []", 'keep_apart = [["awa-diallo", "bondy-profesional-1"]]'
        ),
        encoding="utf-8",
    )
    result = run("schedule", "-w", ws, *FAST)
    assert result.exit_code == 1
    assert result.output == (
        "cotrain.toml, clé plan.rules.keep_apart[0] : Le planning ne peut pas respecter les règles "
        "(1 problème(s)) ; rien n'a été écrit.\n"
        "  - keep_apart : « bondy-profesional-1 » n'est pas un·e participant·e ; "
        "vouliez-vous dire « bondy-professional-1 » ?\n"
        "Pour corriger : modifiez [plan.rules], [[trainers]] ou [[duos]] dans cotrain.toml, "
        "puis relancez « cotrain schedule ».\n"
    )


def test_check_speaks_english(planned: Path, run) -> None:
    def empty_duo(data: dict) -> None:
        session(data, "j1-apres-midi")["groups"][0]["trainers"] = []

    rewrite(planned / "schedule.toml", empty_duo)
    result = run("schedule", "check", "-w", planned, "--lang", "en")
    assert result.exit_code == 1
    assert result.output.startswith("schedule.toml: 1 broken rule(s).\n")
    assert (
        "  - j1-apres-midi, group g1: a group is led by a duo (a professional trainer and "
        "a co-trainer), not by 0 person(s).\n"
    ) in result.output


def test_replace_dry_run_writes_nothing(planned: Path, run) -> None:
    before = (planned / "schedule.toml").read_bytes()
    apps = (planned / "applications.toml").read_bytes()
    result = run("replace", "Bruno Bondy", "--name", "Léa Martin", "--dry-run", "-w", planned)
    assert result.exit_code == 0, result.output
    assert result.output.endswith("Simulation : rien n'a été écrit.\n")
    assert (planned / "schedule.toml").read_bytes() == before
    assert (planned / "applications.toml").read_bytes() == apps
