"""Activists trained and training at once (issue 15, the reference method: « à la fois
formateurs et formés »): with ``facilitation = "activists"`` each mixed group is co-led by a
professional trainer and one of the group's own activists. Leading counts as being in the
group: nobody is in two places in a half-day, the co-leader signs the sheet once, is counted
and certified as a participant."""

from __future__ import annotations

import json
import re
import shutil
import tomllib
from pathlib import Path

import pytest
from tests.data.programmes.make_applications import write as write_applications
from typer.testing import CliRunner

from cotrain.cli.app import build_app

INIT = (
    "--title", "Co-formation où les militants co-animent",
    "--start", "2026-06-08",
    "--days", "2",
    "--cities", "4",
    "--activists", "5",
    "--mixed-groups", "2",
    "--facilitation", "activists",
)  # fmt: skip


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from cotrain.i18n import set_language

    ws = tmp_path_factory.mktemp("colead") / "colead"
    app, runner = build_app(), CliRunner()
    set_language("fr")
    result = runner.invoke(app, ["init", str(ws), "--yes", *INIT])
    assert result.exit_code == 0, result.output
    write_applications(ws, 4, ws / "candidatures.csv", seed=5)
    for args in (
        ("import", ws / "candidatures.csv"),
        ("check",),
        ("select",),
        ("schedule", "--iterations", "300"),
    ):
        result = runner.invoke(app, ["-w", str(ws), *map(str, args)])
        assert result.exit_code == 0, (args, result.output)
    return ws


@pytest.fixture
def ws(built: Path, tmp_path: Path) -> Path:
    out = tmp_path / "colead"
    shutil.copytree(built, out)
    return out


def load(path: Path) -> dict:
    return tomllib.loads(path.read_text(encoding="utf-8"))


def ok(run, ws: Path, *args: str | Path) -> str:
    result = run("-w", ws, *args)
    assert result.exit_code == 0, (args, result.output)
    return result.output


def test_init_writes_activists_as_the_co_trainers_of_the_duos(ws: Path) -> None:
    config = load(ws / "cotrain.toml")
    activists = [a["id"] for a in config["activists"]]
    co = [t["id"] for t in config["trainers"] if t["kind"] == "co_trainer"]
    assert config["plan"]["rules"]["facilitation"] == "activists"
    assert co == activists[:2]
    assert [d["trainers"][1] for d in config["duos"]] == co


def test_each_mixed_group_is_co_led_by_one_of_its_own_activists(ws: Path, run) -> None:
    config = load(ws / "cotrain.toml")
    kinds = {t["id"]: t["kind"] for t in config["trainers"]}
    activists = {a["id"] for a in config["activists"]}
    session_kind = {s["id"]: s["kind"] for s in config["plan"]["sessions"]}
    schedule = load(ws / "schedule.toml")
    mixed = 0
    for session in schedule["sessions"]:
        kind = session_kind[session["session_id"]]
        if kind == "trainers_meeting":
            continue
        seen: dict[str, str] = {}
        for group in session["groups"]:
            # nobody in two places: a co-leader leads the very group they are trained in
            for person in {*group["members"], *group["trainers"]}:
                assert seen.setdefault(person, group["id"]) == group["id"], person
            if kind == "mixed_groups":
                mixed += 1
                pro, co = sorted(group["trainers"], key=lambda t: kinds[t] != "professional_trainer")
                assert (kinds[pro], kinds[co]) == ("professional_trainer", "co_trainer")
                assert co in activists and co in group["members"]
            elif kind == "peer_groups":
                assert [kinds[t] for t in group["trainers"]] == ["professional_trainer"]
    assert mixed == 2 * sum(1 for k in session_kind.values() if k == "mixed_groups") > 0
    ok(run, ws, "schedule", "check")


def test_a_co_leader_signs_the_sheet_once_among_the_participants(ws: Path, run) -> None:
    ok(run, ws, "sheets", "--output", ws / "feuilles", "--format", "html")
    schedule = load(ws / "schedule.toml")
    config = load(ws / "cotrain.toml")
    names = {a["id"]: a["name"] for a in config["activists"]}
    mixed = {s["id"] for s in config["plan"]["sessions"] if s["kind"] == "mixed_groups"}
    checked = 0
    for session in schedule["sessions"]:
        if session["session_id"] not in mixed:
            continue
        for group in session["groups"]:
            co = next(t for t in group["trainers"] if t in names)
            page = (ws / "feuilles" / f"{session['session_id']}_{group['id']}.html").read_text(
                encoding="utf-8"
            )
            text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
            assert text.count(names[co]) == 1
            assert f"{names[co]} militant·e, co-anime le groupe" in text
            assert "Participant·es attendu·es (" in text
            checked += 1
    assert checked == 2 * len(mixed)


def test_a_co_leader_is_counted_and_certified_as_a_participant(ws: Path, run) -> None:
    config = load(ws / "cotrain.toml")
    co = next(t["id"] for t in config["trainers"] if t["kind"] == "co_trainer")
    trainee = [s["id"] for s in config["plan"]["sessions"] if s["kind"] != "trainers_meeting"]
    for session in trainee:
        ok(run, ws, "attend", session, "--all-present")
    rows = json.loads(ok(run, ws, "report", "--by", "person", "--json"))["rows"]
    row = next(r for r in rows if r["id"] == co)
    assert (row["expected"], row["attended"], row["rate_percent"]) == (len(trainee), len(trainee), 100)
    ok(run, ws, "certificates", "--output", ws / "certificats", "--person", co, "--format", "md")
    assert [p.name for p in (ws / "certificats").iterdir()] == [f"{co}.md"]


def test_schedule_check_refuses_a_co_leader_leading_another_group(ws: Path, run) -> None:
    from cotrain.domain.models import ScheduleFile
    from cotrain.files.store import save_model

    path = ws / "schedule.toml"
    schedule = ScheduleFile.model_validate(load(path))
    mixed = {s["id"] for s in load(ws / "cotrain.toml")["plan"]["sessions"] if s["kind"] == "mixed_groups"}
    target = next(s for s in schedule.sessions if s.session_id in mixed)
    # the two duos swap their groups: each activist now leads the group they are not in
    first, second = target.groups[:2]
    swapped = [
        first.model_copy(update={"trainers": second.trainers}),
        second.model_copy(update={"trainers": first.trainers}),
        *target.groups[2:],
    ]
    sessions = [
        s.model_copy(update={"groups": swapped}) if s is target else s for s in schedule.sessions
    ]
    save_model(path, schedule.model_copy(update={"sessions": sessions}))

    result = run("-w", ws, "schedule", "check")

    assert result.exit_code == 1
    assert "co-anime ce groupe mais est formé·e dans un autre à la même demi-journée" in result.output


def test_a_co_trainer_who_is_not_an_activist_is_a_config_error(ws: Path, run) -> None:
    path = ws / "cotrain.toml"
    config = load(path)
    co = next(t["id"] for t in config["trainers"] if t["kind"] == "co_trainer")
    text = path.read_text(encoding="utf-8")
    wrong = co.replace("-", "")
    path.write_text(text.replace(f'id = "{co}"\nname', f'id = "{wrong}"\nname', 1), encoding="utf-8")

    result = run("-w", ws, "check")

    assert result.exit_code == 1
    assert f"« {wrong} » n'en est pas un ; vouliez-vous dire « {co} » ?" in result.output


def test_init_refuses_fewer_activists_than_mixed_groups(run, tmp_path: Path) -> None:
    result = run(
        "init", tmp_path / "p", "--yes", "--activists", "1", "--mixed-groups", "2",
        "--facilitation", "activists",
    )  # fmt: skip

    assert result.exit_code != 0
    assert "1 militant·e(s) ne peuvent co-animer 2 groupes croisés" in result.output
    assert not (tmp_path / "p" / "cotrain.toml").exists()


def test_init_lists_the_facilitation_models_when_one_is_mistyped(run, tmp_path: Path) -> None:
    result = run("init", tmp_path / "p", "--yes", "--facilitation", "activist")

    assert result.exit_code != 0
    assert "animation inconnue : « activist » (valeurs possibles : duos, referents, activists)" in result.output
