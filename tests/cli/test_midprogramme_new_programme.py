"""Changes after the start on a programme that is not the example (issue 15): set up with
``cotrain init`` (5 cities of 6 candidates, 4 days with a pairs half-day, 4 activists, 2 mixed
groups), day 1 marked, then a withdrawal, a substitute, a late joiner (into the pairs
half-day), a leaver, a duo member replaced for one day, each shown in ``schedule diff`` and
``history``; and the configuration errors of that programme's own file."""

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

NOW = "2026-03-02T20:00"  # day 1's evening
AFTER_END = "2026-06-01T08:00"
INIT = (
    "--title", "Co-formation Rhône",
    "--manager", "Claire Dubœuf",
    "--start", "2026-03-02",
    "--days", "4",
    "--cities", "5",
    "--activists", "4",
    "--mixed-groups", "2",
)  # fmt: skip


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The programme with day 1 marked (one absence), built once for the module."""
    from cotrain.i18n import set_language

    ws = tmp_path_factory.mktemp("rhone") / "rhone"
    app, runner = build_app(), CliRunner()
    env = {"COTRAIN_NOW": NOW, "COLUMNS": "100"}
    set_language("fr")
    result = runner.invoke(app, ["init", str(ws), "--yes", *INIT], env=env)
    assert result.exit_code == 0, result.output
    write_applications(ws, 6, ws / "candidatures.csv", seed=3)
    absent = first_of(ws, "activist")
    for args in (
        ("import", ws / "candidatures.csv"),
        ("check",),
        ("select",),
        ("schedule", "--iterations", "300"),
        ("attend", "j1-matin", "--all-present"),
        ("attend", "j1-apres-midi", "--all-present", "--except", absent),
    ):
        result = runner.invoke(app, ["-w", str(ws), *map(str, args)], env=env)
        assert result.exit_code == 0, (args, result.output)
    return ws


@pytest.fixture
def started(built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("COTRAIN_NOW", NOW)
    ws = tmp_path / "rhone"
    shutil.copytree(built, ws)
    return ws


def load(path: Path) -> dict:
    return tomllib.loads(path.read_text(encoding="utf-8"))


def first_of(ws: Path, role: str) -> str:
    config = load(ws / "cotrain.toml")
    if role == "activist":
        return config["activists"][0]["id"]
    return next(t["id"] for t in config["trainers"] if t["kind"] == role)


def decisions(ws: Path, decision: str) -> list[str]:
    return [d["city_id"] for d in load(ws / "selection.toml")["decisions"] if d["decision"] == decision]


def people_of(ws: Path, city: str) -> list[dict]:
    apps = load(ws / "applications.toml")["applications"]
    return next(a["people"] for a in apps if a["city_id"] == city)


def sessions(ws: Path) -> list[str]:
    config = load(ws / "cotrain.toml")
    return [s["id"] for s in config["plan"]["sessions"] if s["kind"] != "trainers_meeting"]


def kind_of(ws: Path, session: str) -> str:
    return next(s["kind"] for s in load(ws / "cotrain.toml")["plan"]["sessions"] if s["id"] == session)


def seats(ws: Path, person: str) -> list[str]:
    sched = load(ws / "schedule.toml")
    return [
        s["session_id"]
        for s in sched["sessions"]
        if any(person in g.get("members", []) for g in s.get("groups", []))
    ]


def report(run, ws: Path, *, by: str = "person", now: str = NOW) -> dict:
    result = run("-w", ws, "report", "--by", by, "--json", env={"COTRAIN_NOW": now})
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def ok(run, ws: Path, *args: str) -> str:
    result = run("-w", ws, *args)
    assert result.exit_code == 0, (args, result.output)
    return result.output


def test_withdrawal_after_day_one_keeps_marks_rates_and_offers_the_rest(started: Path, run) -> None:
    city = decisions(started, "selected")[-1]
    waiting = decisions(started, "waitlisted")[0]
    trainee = sessions(started)
    before = report(run, started, by="session")

    output = ok(run, started, "select", "--withdraw", city, "--reason", "Retrait du maire")

    # What it will do comes first.
    assert output.startswith("En cours de programme, à partir de j2-matin (09/03/2026, matin) :")
    assert "restent attendues aux 2 demi-journée(s) déjà passées" in output
    assert f"rejoint le programme pour les {len(trainee) - 2} demi-journée(s) restantes" in output
    after = report(run, started, by="session")
    day1 = [r for r in before["rows"] if r["key"] in trainee[:2]]
    assert [r for r in after["rows"] if r["key"] in trainee[:2]] == day1
    gone = people_of(started, city)[0]["id"]
    person = next(r for r in report(run, started)["rows"] if r["id"] == gone)
    assert (person["expected"], person["attended"], person["rate_percent"]) == (2, 2, 100)
    assert seats(started, gone) == trainee[:2]
    newcomer = people_of(started, waiting)[0]["id"]
    assert seats(started, newcomer) == trainee[2:]
    ok(run, started, "schedule", "check")


def test_substitute_from_a_half_day_keeps_both_on_their_own_half_days(started: Path, run) -> None:
    trainee = sessions(started)
    leaving = people_of(started, decisions(started, "selected")[0])[1]

    output = ok(run, started, "replace", leaving["name"], "--name", "Paul Durand", "--from", trainee[3])

    assert output.startswith(f"Paul Durand remplace {leaving['name']}")
    assert seats(started, leaving["id"]) == trainee[:3]
    assert seats(started, "paul-durand") == trainee[3:]
    rows = {r["id"]: r["expected"] for r in report(run, started, now=AFTER_END)["rows"]}
    assert (rows[leaving["id"]], rows["paul-durand"]) == (3, len(trainee) - 3)
    ok(run, started, "schedule", "check")
    ok(run, started, "sheets", "--output", started / "feuilles", "--format", "html")
    sheets = {p.stem: p.read_text(encoding="utf-8") for p in (started / "feuilles").glob("*.html")}
    on = {stem.split("_")[0] for stem, text in sheets.items() if "Paul Durand" in text}
    assert on == set(trainee[3:])


def test_late_joiner_into_the_pairs_half_day_makes_a_trio_when_odd(started: Path, run) -> None:
    trainee = sessions(started)
    pairs = next(s for s in trainee if kind_of(started, s) == "pairs")
    city = decisions(started, "selected")[0]

    output = ok(
        run, started, "join", "Lina Benali", "--city", city, "--role", "professionnel",
        "--from", pairs,
    )  # fmt: skip

    town = next(a["city"] for a in load(started / "applications.toml")["applications"] if a["city_id"] == city)
    assert output.startswith(f"Lina Benali ({town}) rejoint le programme à partir de {pairs}")
    assert seats(started, "lina-benali") == trainee[trainee.index(pairs) :]
    sched = load(started / "schedule.toml")
    groups = next(s for s in sched["sessions"] if s["session_id"] == pairs)["groups"]
    sizes = sorted(len(g["members"]) for g in groups)
    people = sum(sizes)
    assert sizes == ([2] * (people // 2) if people % 2 == 0 else [2] * (people // 2 - 1) + [3]), sizes
    ok(run, started, "schedule", "check")
    twice = run("-w", started, "join", "lina-benali", "--from", pairs)
    assert twice.exit_code == 1
    assert "Lina Benali a déjà une place dans le planning" in twice.output


def test_leaver_keeps_past_half_days_and_marks(started: Path, run) -> None:
    trainee = sessions(started)
    person = people_of(started, decisions(started, "selected")[1])[0]

    output = ok(run, started, "leave", person["name"], "--reason", "Mutation")

    assert output.startswith(f"{person['name']} (")
    assert "quitte le programme à partir de j2-matin" in output
    assert seats(started, person["id"]) == trainee[:2]
    row = next(r for r in report(run, started, now=AFTER_END)["rows"] if r["id"] == person["id"])
    assert (row["expected"], row["attended"]) == (2, 2)
    ok(run, started, "schedule", "check")


def test_duo_member_replaced_for_one_day_and_every_change_in_history_and_diff(
    started: Path, run
) -> None:
    trainee = sessions(started)
    session = next(s for s in trainee[2:] if kind_of(started, s) == "mixed_groups")
    sched = load(started / "schedule.toml")
    groups = next(s for s in sched["sessions"] if s["session_id"] == session)["groups"]
    busy = {t for g in groups for t in g["trainers"]}
    config = load(started / "cotrain.toml")
    co = [t["id"] for t in config["trainers"] if t["kind"] == "co_trainer"]
    leaving = next(t for t in co if t in busy)
    free = next(t for t in co if t not in busy)
    names = {t["id"]: t["name"] for t in config["trainers"]}

    output = ok(run, started, "duo", "replace", leaving, "--by", names[free], "--session", session)

    assert output.startswith(f"{names[free]} remplace {names[leaving]} à {session}")
    after = load(started / "schedule.toml")
    for s_before, s_after in zip(sched["sessions"], after["sessions"], strict=True):
        if s_before["session_id"] != session:
            assert s_before == s_after
    ok(run, started, "leave", people_of(started, decisions(started, "selected")[0])[0]["id"])
    ok(run, started, "select", "--withdraw", decisions(started, "selected")[-1], "--reason", "Élections")
    history = json.loads(ok(run, started, "history", "--json"))
    assert [c["kind"] for c in history["changes"]] == ["duo_replace", "leave", "withdrawal", "promotion"]
    diff = ok(run, started, "schedule", "diff")
    assert "départ : " in diff and "désistement" in diff and "repêchage" in diff
    ok(run, started, "schedule", "check")


@pytest.mark.parametrize(
    ("old", "new", "key", "says"),
    [
        (
            "mixed_groups = 2",
            "mixed_group = 2",
            "plan.rules.mixed_group",
            "`mixed_group` : clé inconnue ; vouliez-vous dire `mixed_groups` ?",
        ),
        (
            'facilitation = "duos"',
            'facilitation = "activist"',
            "plan.rules.facilitation",
            "« activist » n'est pas une valeur possible ; vouliez-vous dire « activists » ? "
            "(valeurs possibles : duos, referents, activists)",
        ),
        (
            'mixing = "varied"',
            'mixing = "varie"',
            "plan.rules.mixing",
            "« varie » n'est pas une valeur possible ; vouliez-vous dire « varied » ? "
            "(valeurs possibles : varied, stable)",
        ),
        (
            'half = "am"',
            'half = "matin"',
            "plan.sessions[1].half",
            "« matin » n'est pas une valeur possible ; vouliez-vous dire « am » ? "
            "(valeurs possibles : am, pm)",
        ),
        (
            'id = "j2-matin"',
            'id = "j1-matin"',
            "plan.sessions[4].id",
            "`id` : « j1-matin » est déjà l'identifiant d'une entrée plus haut",
        ),
        (
            "max_cities = 5",
            "max_cities = 5.5",
            "selection.max_cities",
            "`max_cities` : « 5.5 » n'est pas un nombre entier.",
        ),
    ],
)
def test_config_error_names_its_real_line_key_value_and_suggestion(
    started: Path, run, old: str, new: str, key: str, says: str
) -> None:
    path = started / "cotrain.toml"
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    line = next(i for i, x in enumerate(lines, 1) if x == old)
    path.write_text(text.replace(f"\n{old}\n", f"\n{new}\n", 1), encoding="utf-8")

    result = run("-w", started, "check")

    assert result.exit_code == 1
    assert f"ligne {line}, clé {key}" in result.output
    assert f"  - {key} (ligne {line}) : " in result.output
    assert says in result.output
    assert "Traceback" not in result.output


def test_doctor_says_when_the_configuration_no_longer_fits_the_schedule(
    started: Path, run
) -> None:
    path = started / "cotrain.toml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("\nmixed_groups = 2\n", "\nmixed_groups = 3\n"),
        encoding="utf-8",
    )

    result = run("-w", started, "doctor")

    assert "le planning ne respecte plus cotrain.toml : j1-apres-midi : 2 groupes croisés au lieu de 3." in result.output
    assert "cotrain schedule --keep" in result.output


def test_attend_follows_the_simulated_clock_like_report_and_select(run, tmp_path: Path) -> None:
    """A programme still ahead (2027) rehearsed with COTRAIN_NOW on its day 1's evening: day 1
    can be marked, day 2 not yet (finding F4: attend read the computer's clock only)."""
    ws = tmp_path / "futur"
    ok(run, ws.parent, "init", ws, "--yes", "--start", "2027-03-02", "--days", "2", "--cities", "3",
       "--activists", "2")  # fmt: skip
    write_applications(ws, 3, ws / "candidatures.csv", seed=2)
    for args in (("import", ws / "candidatures.csv"), ("select",), ("schedule", "--iterations", "100")):
        ok(run, ws, *args)
    env = {"COTRAIN_NOW": "2027-03-02T19:00"}

    marked = run("-w", ws, "attend", "j1-matin", "--all-present", env=env)
    ahead = run("-w", ws, "attend", "j2-matin", "--all-present", env=env)

    assert marked.exit_code == 0, marked.output
    assert ahead.exit_code == 1
    assert "on n'émarge pas une séance qui n'a pas commencé" in ahead.output


def test_substitutes_and_joiners_do_not_unselect_their_city(started: Path, run) -> None:
    """A substitute takes a seat, not a second one; a join above a role's maximum was accepted
    with a warning: neither makes the city ineligible afterwards (finding F6)."""
    trainee = sessions(started)
    eligible_before = ok(run, started, "check").splitlines()[-1]
    selected = decisions(started, "selected")
    full = next(
        c for c in selected
        if sum(p["role"] == "professional" for p in people_of(started, c)) == 2
    )  # fmt: skip
    pro = next(p for p in people_of(started, full) if p["role"] == "professional")
    ok(run, started, "replace", pro["id"], "--name", "Karim Haddad", "--from", trainee[2])
    joined = ok(run, started, "join", "Samia Cherif", "--city", full, "--role", "professionnel",
                "--from", trainee[3])  # fmt: skip
    assert "3" in joined  # warned: above the maximum

    assert ok(run, started, "check").splitlines()[-1] == eligible_before
    ok(run, started, "select")
    assert decisions(started, "selected") == selected
    ok(run, started, "schedule", "check")


def test_join_refuses_a_name_already_placed_in_another_city_or_leading_groups(
    started: Path, run
) -> None:
    """One person, one place (finding F17): the exact name of a person of another city, or of
    a trainer, is not added again as a new person."""
    selected = decisions(started, "selected")
    other = people_of(started, selected[1])[0]
    trainer = load(started / "cotrain.toml")["trainers"][0]
    before = (started / "schedule.toml").read_bytes()

    twice = run("-w", started, "join", other["name"], "--city", selected[0], "--role", "élu",
                "--from", "j2-matin")  # fmt: skip
    leader = run("-w", started, "join", trainer["name"], "--city", selected[0], "--role",
                 "professionnel", "--from", "j2-matin")  # fmt: skip

    assert twice.exit_code == 1
    assert f"{other['name']} a déjà une place dans le programme : {other['name']} ({other['id']}," in (
        twice.output
    )
    assert leader.exit_code == 1
    assert f"{trainer['name']} est déjà formateur·rice du programme ({trainer['id']})" in leader.output
    assert (started / "schedule.toml").read_bytes() == before


def test_two_activists_leaving_leave_one_in_each_mixed_group(started: Path, run) -> None:
    """Four activists, two mixed groups of at least two: when two leave, the two left are
    shared, one in each group, not both in one (finding F15)."""
    config = load(started / "cotrain.toml")
    activists = [a["id"] for a in config["activists"]]
    sched = load(started / "schedule.toml")
    mixed = [s["id"] for s in config["plan"]["sessions"] if s["kind"] == "mixed_groups"]
    later = next(s for s in sched["sessions"] if s["session_id"] == mixed[-1])
    together = next(g["members"] for g in later["groups"])
    leaving = [a for a in activists if a in together][:2]
    if len(leaving) < 2:  # both from one group: the worst case
        leaving = [a for a in activists if a not in together][:2]

    for who in leaving:
        result = run("-w", started, "leave", who, "--reason", "Santé")
        assert result.exit_code == 0, result.output

    after = load(started / "schedule.toml")
    for session in after["sessions"]:
        if session["session_id"] in mixed[1:]:
            counts = [sum(m in activists for m in g["members"]) for g in session["groups"]]
            assert counts == [1, 1], (session["session_id"], counts)
    # the minimum of two no longer holds: the advice must not be a refused `schedule --keep`
    check = run("-w", started, "schedule", "check")
    assert check.exit_code == 1
    assert "min_activists_per_group = 1 sous [plan.rules]" in check.output
    assert "relancez « cotrain schedule --keep »" not in check.output


@pytest.mark.parametrize(
    ("old", "new", "says", "fix"),
    [
        ("date = 2026-03-09", "date = 2026-02-30", "date impossible ou mal écrite", "pas de 30 février"),
        ("peer_before_mixed = true", "peer_before_mixed = oui", "valeur non reconnue", "true ou false"),
        ('short_name = "Co-formation Rhône"', 'short_name = "Co-formation Rhône', "guillemet non fermé",
         "entre deux guillemets sur une seule ligne"),
    ],
)  # fmt: skip
def test_toml_syntax_errors_are_said_in_french_with_their_line_and_fix(
    started: Path, run, old: str, new: str, says: str, fix: str
) -> None:
    path = started / "cotrain.toml"
    text = path.read_text(encoding="utf-8")
    line = next(i for i, x in enumerate(text.splitlines(), 1) if x == old)
    path.write_text(text.replace(f"\n{old}\n", f"\n{new}\n", 1), encoding="utf-8")

    result = run("-w", started, "check")

    assert result.exit_code == 1
    assert f"ligne {line} : le fichier n'est pas un TOML valide : {says}" in result.output
    assert fix in result.output


def test_schedule_check_reports_a_mistyped_keep_apart_id_with_the_closest(
    started: Path, run
) -> None:
    person = people_of(started, decisions(started, "selected")[0])[0]["id"]
    other = people_of(started, decisions(started, "selected")[1])[0]["id"]
    path = started / "cotrain.toml"
    typo = person[:-1]
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "\nkeep_apart = []\n", f'\nkeep_apart = [["{typo}", "{other}"]]\n'
        ),
        encoding="utf-8",
    )

    result = run("-w", started, "schedule", "check")

    assert result.exit_code == 1
    assert f"keep_apart : « {typo} » n'est pas un·e participant·e ; vouliez-vous dire « {person} » ?" in result.output


def test_letters_after_a_withdrawal_give_the_promoted_city_only_the_half_days_ahead(
    started: Path, run
) -> None:
    """Finding F20: the city promoted after day 1 is given the half-days it joins, not day 1;
    the withdrawn city is told its place went to the waiting list."""
    city = decisions(started, "selected")[-1]
    waiting = decisions(started, "waitlisted")[0]
    ok(run, started, "select", "--withdraw", city, "--reason", "Retrait du maire")
    trainee = sessions(started)

    ok(run, started, "letters", "--output", started / "l", "--format", "md")

    promoted = (started / "l" / f"{waiting}.md").read_text(encoding="utf-8")
    withdrawn = (started / "l" / f"{city}.md").read_text(encoding="utf-8")
    assert f"La co-formation compte {len(trainee) - 2} demi-journées" in promoted
    assert "du lundi 9 mars 2026 au" in promoted
    assert "2 mars 2026" not in promoted
    assert "Votre place a été proposée à la ville suivante de la liste d'attente" in withdrawn
    assert "la place sera peut-être encore libre" not in withdrawn


def test_people_who_left_before_the_end_are_not_completed_courses(started: Path, run) -> None:
    """Finding F7: a withdrawn city's people, a leaver and a person replaced did not complete the
    course, however well they attended until they left."""
    trainee = sessions(started)
    city = decisions(started, "selected")[-1]
    leaver = people_of(started, decisions(started, "selected")[0])[0]
    replaced = people_of(started, decisions(started, "selected")[1])[0]
    ok(run, started, "select", "--withdraw", city, "--reason", "Retrait")
    ok(run, started, "leave", leaver["id"], "--from", trainee[2])
    ok(run, started, "replace", replaced["id"], "--name", "Paul Durand", "--from", trainee[2])
    for session in trainee[2:]:
        marked = run("-w", started, "attend", session, "--all-present", env={"COTRAIN_NOW": AFTER_END})
        assert marked.exit_code == 0, marked.output

    result = run("-w", started, "report", "--funder", env={"COTRAIN_NOW": AFTER_END, "COLUMNS": "120"})

    assert result.exit_code == 0, result.output
    gone = len(people_of(started, city)) + 2
    assert re.search(rf"Abandons\s+│\s+{gone}\s", result.output), result.output


def test_duo_replace_is_found_from_the_installed_cotrain() -> None:
    """`cotrain duo replace` builds the duo group's module only (the fast start): the command
    must be there, not « Commande inconnue : 'replace' »."""
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "cotrain", "duo", "replace", "--help"],
        capture_output=True, text=True, check=False, env={"COTRAIN_LANG": "fr", "PATH": ""},
    )  # fmt: skip

    assert done.returncode == 0, done.stdout + done.stderr
    assert "--session" in done.stdout
