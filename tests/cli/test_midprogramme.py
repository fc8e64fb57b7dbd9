"""Changes after the programme has started (issue 15), through the real CLI on the shipped
example: 6 cities selected, one on the waitlist, day 1 marked, then a withdrawal, a
substitute, a late joiner, a leaver, a duo member replaced for one day."""

from __future__ import annotations

import json
import shutil
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "seine-saint-denis-2015"
DAY1 = ("j1-matin", "j1-apres-midi")


EVENING_DAY1 = "2015-01-28T20:00"  # the example's day 1 is 28/01/2015


@pytest.fixture
def started(tmp_path: Path, run, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The example with 6 cities selected (L'Île-Saint-Denis waitlisted), a schedule, and day 1
    marked: everyone present but two absences. The clock (COTRAIN_NOW) is day 1's evening."""
    monkeypatch.setenv("COTRAIN_NOW", EVENING_DAY1)
    ws = tmp_path / "ws"
    shutil.copytree(EXAMPLE, ws)
    for args in (
        ("import", ws / "reponses.csv"),
        ("check",),
        ("select", "--max", "6"),
        ("schedule", "--iterations", "60"),
        ("attend", "j1-matin", "--all-present", "--except", "awa-diallo"),
        ("attend", "j1-apres-midi", "--all-present", "--except", "karim-bouzid"),
    ):
        result = run("-w", ws, *args)
        assert result.exit_code == 0, (args, result.output)
    return ws


def load(path: Path) -> dict:
    return tomllib.loads(path.read_text(encoding="utf-8"))


AFTER_END = "2016-01-01T08:00"  # every half-day of the example has begun


def report(run, ws: Path, by: str = "session", now: str | None = None) -> dict:
    env = {"COTRAIN_NOW": now} if now else None
    result = run("-w", ws, "report", "--by", by, "--json", env=env)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def rows(data: dict, keys: tuple[str, ...]) -> list[dict]:
    return [r for r in data["rows"] if r.get("key", r.get("id")) in keys]


def members(schedule: dict, session: str) -> set[str]:
    s = next(s for s in schedule["sessions"] if s["session_id"] == session)
    return {m for g in s.get("groups", []) for m in g.get("members", [])}


def city_people(ws: Path, city_id: str) -> set[str]:
    apps = load(ws / "applications.toml")["applications"]
    return {p["id"] for a in apps if a["city_id"] == city_id for p in a["people"]}


def test_withdrawal_after_day_one_keeps_marks_and_rates(started: Path, run) -> None:
    before = report(run, started)
    sched_before = load(started / "schedule.toml")
    result = run("-w", started, "select", "--withdraw", "montreuil", "--reason", "Retrait du maire")
    assert result.exit_code == 0, result.output
    # The preview comes first and says what happens.
    assert result.output.startswith(
        "En cours de programme, à partir de j2-matin (29/01/2015, matin) :"
    )
    assert "Montreuil se retire : ses 4 personne(s) restent attendues aux 2" in result.output
    assert "L'Île-Saint-Denis (liste d'attente) rejoint le programme pour les 7" in result.output
    after = report(run, started)
    # Day 1 is unchanged: same people expected, same marks, same rates; no orphan marks.
    assert rows(after, DAY1) == rows(before, DAY1)
    assert after["overall"]["all"]["attended"] == before["overall"]["all"]["attended"]
    people = report(run, started, by="person")
    gone = rows(people, ("ousmane-traore",))  # from Montreuil, present on day 1
    assert [(r["expected"], r["attended"], r["rate_percent"]) for r in gone] == [(2, 2, 100)]
    sched = load(started / "schedule.toml")
    montreuil, ile = city_people(started, "montreuil"), city_people(started, "lile-saint-denis")
    for session in DAY1:
        assert members(sched, session) == members(sched_before, session)
    assert montreuil <= members(sched, "j1-matin")
    assert not montreuil & members(sched, "j2-matin")
    assert ile <= members(sched, "j2-matin")
    assert not ile & members(sched, "j1-apres-midi")
    check = run("-w", started, "schedule", "check")
    assert check.exit_code == 0, check.output


def seats(ws: Path, person: str) -> list[str]:
    """The half-days where ``person`` has a seat, in file order."""
    sched = load(ws / "schedule.toml")
    return [s["session_id"] for s in sched["sessions"] if person in members(sched, s["session_id"])]


TRAINEE = [
    "j1-matin",
    "j1-apres-midi",
    "j2-matin",
    "j2-apres-midi",
    "j3-matin",
    "j3-apres-midi",
    "j4-matin",
    "j4-apres-midi",
    "restitution",
]


def test_leaver_keeps_past_half_days_and_marks(started: Path, run) -> None:
    result = run("-w", started, "leave", "Ousmane Traoré", "--reason", "Mutation")
    assert result.exit_code == 0, result.output
    assert result.output.startswith(
        "Ousmane Traoré (Montreuil) quitte le programme à partir de j2-matin (29/01/2015, matin)"
    )
    assert seats(started, "ousmane-traore") == ["j1-matin", "j1-apres-midi"]
    person = rows(report(run, started, by="person"), ("ousmane-traore",))
    assert [(r["expected"], r["attended"]) for r in person] == [(2, 2)]
    assert run("-w", started, "schedule", "check").exit_code == 0
    rebuild = run("-w", started, "schedule", "--keep", "--iterations", "5")
    assert rebuild.exit_code == 1
    assert "un nouveau planning complet redistribuerait aussi les demi-journées passées" in (
        rebuild.output
    )
    again = run("-w", started, "leave", "ousmane-traore")
    assert again.exit_code == 1
    assert "a déjà quitté le programme (à partir de j2-matin)" in again.output


def test_late_joiner_is_expected_only_from_the_half_day_given(started: Path, run) -> None:
    result = run(
        "-w",
        started,
        "join",
        "Lina Benali",
        "--city",
        "montreuil",
        "--role",
        "professionnel",
        "--from",
        "j3-matin",
    )
    assert result.exit_code == 0, result.output
    assert "Lina Benali (Montreuil) rejoint le programme à partir de j3-matin" in result.output
    assert seats(started, "lina-benali") == TRAINEE[4:]
    person = rows(report(run, started, by="person", now=AFTER_END), ("lina-benali",))
    assert [r["expected"] for r in person] == [5]
    assert run("-w", started, "schedule", "check").exit_code == 0
    # One person, one place: joining twice is refused.
    twice = run("-w", started, "join", "lina-benali", "--from", "j3-matin")
    assert twice.exit_code == 1
    assert "Lina Benali a déjà une place dans le planning" in twice.output


def test_substitute_from_a_half_day_shares_the_seats(started: Path, run) -> None:
    before = load(started / "schedule.toml")
    result = run(
        "-w",
        started,
        "replace",
        "Éloïse N'Guessan",
        "--name",
        "Paul Durand",
        "--from",
        "j2-apres-midi",
    )
    assert result.exit_code == 0, result.output
    assert result.output.startswith(
        "Paul Durand remplace Éloïse N'Guessan (Saint-Denis) à partir de j2-apres-midi"
    )
    assert "Autres personnes déplacées : 0." in result.output
    assert seats(started, "eloise-nguessan") == TRAINEE[:3]
    assert seats(started, "paul-durand") == TRAINEE[3:]
    after = load(started / "schedule.toml")
    for session in TRAINEE[3:]:  # nobody else moved
        assert members(after, session) - {"paul-durand"} == members(before, session) - {
            "eloise-nguessan"
        }
    # Both on the right sheets and certificates: each expected at their own half-days.
    people = rows(
        report(run, started, by="person", now=AFTER_END), ("eloise-nguessan", "paul-durand")
    )
    assert sorted((r["id"], r["expected"]) for r in people) == [
        ("eloise-nguessan", 3),
        ("paul-durand", 6),
    ]
    assert run("-w", started, "schedule", "check").exit_code == 0
    # Their personal programmes (and the sheets built from the same timetable) agree.
    for person, sessions in (("eloise-nguessan", TRAINEE[:3]), ("paul-durand", TRAINEE[3:])):
        roster = run("-w", started, "roster", "--person", person, "--format", "json")
        assert roster.exit_code == 0, roster.output
        assert [r["session"] for r in json.loads(roster.output)["rows"]] == sessions


def test_duo_member_replaced_for_one_day(started: Path, run) -> None:
    sched = load(started / "schedule.toml")
    session = next(s for s in sched["sessions"] if s["session_id"] == "j2-apres-midi")
    led = [g for g in session["groups"] if "sophie-benaissa" in g.get("trainers", [])]
    busy = {x for g in session["groups"] for x in g.get("trainers", [])}
    assert led and "helene-marchand-roux" not in busy
    result = run(
        "-w",
        started,
        "duo",
        "replace",
        "sophie-benaissa",
        "--by",
        "Hélène Marchand-Roux",
        "--session",
        "j2-apres-midi",
    )
    assert result.exit_code == 0, result.output
    assert result.output.startswith(
        f"Hélène Marchand-Roux remplace Sophie Benaïssa à j2-apres-midi (groupe(s) {led[0]['id']})"
    )
    after = load(started / "schedule.toml")
    for s_before, s_after in zip(sched["sessions"], after["sessions"], strict=True):
        if s_before["session_id"] != "j2-apres-midi":
            assert s_before == s_after
    # One person, one place: a trainer already leading a group that half-day is refused.
    co_trainers = {"marie-josee-carpentier", "rachid-el-amrani", "odette-lemaitre"}
    busy_trainer = sorted((busy & (co_trainers | {"fernand-dalmeida"})) - {"ginette-poulain"})[0]
    refused = run(
        "-w",
        started,
        "duo",
        "replace",
        "ginette-poulain",
        "--by",
        busy_trainer,
        "--session",
        "j2-apres-midi",
    )
    assert refused.exit_code == 1
    assert "anime déjà le groupe" in refused.output


def test_each_change_is_in_the_history_and_schedule_diff(started: Path, run) -> None:
    assert run("-w", started, "leave", "ousmane-traore", "--from", "j3-matin").exit_code == 0
    assert (
        run("-w", started, "select", "--withdraw", "bondy", "--reason", "Élections").exit_code == 0
    )
    history = run("-w", started, "history", "--json")
    kinds = [c["kind"] for c in json.loads(history.output)["changes"]]
    assert kinds == ["leave", "withdrawal", "promotion"]
    table = run("-w", started, "history", env={"COLUMNS": "100"})
    assert "départ" in table.output and "désistement" in table.output
    assert "Bondy (4 personne(s))" in table.output
    assert max(len(line) for line in table.output.splitlines()) <= 100
    diff = run("-w", started, "schedule", "diff")
    assert diff.exit_code == 0
    assert "départ : Ousmane Traoré" in diff.output
    assert "désistement" in diff.output


def test_withdrawal_without_promotion_leaves_the_place_empty(started: Path, run) -> None:
    result = run(
        "-w",
        started,
        "select",
        "--withdraw",
        "montreuil",
        "--reason",
        "Retrait",
        "--no-promote",
        "--dry-run",
    )
    assert result.exit_code == 0, result.output
    assert "la place reste vide" in result.output
    assert "Rien" in result.output or "dry" in result.output.lower()
    # --dry-run: nothing written.
    assert "from_session" not in (started / "selection.toml").read_text(encoding="utf-8")


def list_twice(ws: Path, *, email: bool) -> None:
    """Bondy also lists Montreuil's elected official (same e-mail, or same name and phone)."""
    from cotrain.domain.models import ApplicationsFile
    from cotrain.files.store import save_model

    data = load(ws / "applications.toml")
    apps = ApplicationsFile.model_validate(data)
    montreuil, bondy = apps.get("montreuil"), apps.get("bondy")
    official = next(p for p in montreuil.people if p.role.value == "elected")
    if email:
        official = official.model_copy(update={"email": "elu@example.org"})
    else:
        official = official.model_copy(update={"email": "", "phone": "06 12 34 56 78"})
    twin = official.model_copy(
        update={
            "id": official.id + "-2",
            "phone": "+33 6 12 34 56 78" if not email else "",
            "name": official.name.upper(),
        }
    )
    bondy_people = [p for p in bondy.people if p.role.value != "elected"] + [twin]
    fixed = [
        a.model_copy(
            update={
                "people": [official if p.id == official.id else p for p in a.people]
                if a.city_id == "montreuil"
                else bondy_people
            }
        )
        if a.city_id in ("montreuil", "bondy")
        else a
        for a in apps.applications
    ]
    save_model(ws / "applications.toml", apps.model_copy(update={"applications": fixed}))


@pytest.mark.parametrize("email", [True, False])
def test_one_person_listed_by_two_cities_gets_no_second_place(
    started: Path, run, email: bool
) -> None:
    list_twice(started, email=email)
    before = (started / "schedule.toml").read_bytes()
    for args in (("participants",), ("schedule", "--iterations", "5"), ("schedule", "check")):
        result = run("-w", started, *args)
        assert result.exit_code == 1, result.output
        assert "aurait deux places : Montreuil et Bondy l'inscrivent avec le même" in result.output
        assert ("même courriel" if email else "même nom et le même téléphone") in result.output
    assert (started / "schedule.toml").read_bytes() == before


def test_setting_keeps_the_place_empty_after_the_start(started: Path, run) -> None:
    config = started / "cotrain.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(
        text.replace("[selection]\n", "[selection]\npromote_after_start = false\n", 1),
        encoding="utf-8",
    )
    result = run("-w", started, "select", "--withdraw", "montreuil", "--reason", "Retrait")
    assert result.exit_code == 0, result.output
    assert "la place reste vide" in result.output
    sched = load(started / "schedule.toml")
    assert not city_people(started, "lile-saint-denis") & members(sched, "j2-matin")
    decisions = {d["city_id"]: d["decision"] for d in load(started / "selection.toml")["decisions"]}
    assert decisions["lile-saint-denis"] == "waitlisted"
    assert decisions["montreuil"] == "withdrawn"
    assert run("-w", started, "schedule", "check").exit_code == 0


def test_a_leaver_breaking_a_rule_is_recorded_with_a_warning(started: Path, run) -> None:
    # 6 activists, at least 2 in each of the 3 mixed groups: one leaving breaks the rule ahead.
    result = run("-w", started, "leave", "Awa Diallo", "--from", "j3-matin")
    assert result.exit_code == 0, result.output
    assert "Attention : avec ce changement" in result.output
    assert "militant·es, il en faut au moins 2" in result.output
    assert seats(started, "awa-diallo") == TRAINEE[:4]


def test_replace_without_from_after_marks_keeps_marked_half_days(started: Path, run) -> None:
    """A substitute named without --from once day 1 is marked takes effect after day 1: the
    marks keep their participants (doctor clean of orphans), day 1's rates do not move."""
    before = report(run, started)
    result = run("-w", started, "replace", "karim-bouzid", "--name", "Léa Martin")
    assert result.exit_code == 0, result.output
    assert "prend effet à partir de j2-matin (29/01/2015, matin)" in result.output
    assert "Karim Bouzid garde les 2 demi-journée(s) précédentes" in result.output
    assert seats(started, "karim-bouzid") == ["j1-matin", "j1-apres-midi"]
    after = report(run, started)
    assert rows(after, DAY1) == rows(before, DAY1)
    doctor = run("-w", started, "doctor")
    assert "n'est pas un participant" not in doctor.output


@pytest.mark.parametrize("session", ["j1-matin", "j1-apres-midi"])
def test_replace_from_a_marked_half_day_is_refused(started: Path, run, session: str) -> None:
    files = {p.name: p.read_bytes() for p in started.iterdir() if p.is_file()}
    result = run(
        "-w", started, "replace", "karim-bouzid", "--name", "Léa Martin", "--from", session
    )
    assert result.exit_code == 1, result.output
    assert "des émargements existent déjà pour j1-matin, j1-apres-midi" in result.output
    assert "Première demi-journée possible : j2-matin" in result.output
    assert {p.name: p.read_bytes() for p in started.iterdir() if p.is_file()} == files


def test_replace_counts_only_the_half_days_the_person_was_expected(started: Path, run) -> None:
    """A person of the city promoted from the waitlist at j2-matin was expected at none before."""
    assert (
        run("-w", started, "select", "--withdraw", "montreuil", "--reason", "Retrait").exit_code
        == 0
    )
    newcomer = sorted(city_people(started, "lile-saint-denis"))[0]
    result = run("-w", started, "replace", newcomer, "--name", "Jean Neuf", "--from", "j3-matin")
    assert result.exit_code == 0, result.output
    assert "garde les 2 demi-journée(s) précédentes" in result.output


def test_default_start_skips_half_days_already_begun(started: Path, run) -> None:
    """Day 1 marked, the clock at day 2 11:00: j2-matin has begun (unmarked), so join, leave and
    select --withdraw start from j2-apres-midi at the earliest; past the end, they refuse."""
    day2 = {"COTRAIN_NOW": "2015-01-29T11:00"}
    leave = run("-w", started, "leave", "ousmane-traore", "--dry-run", env=day2)
    assert leave.exit_code == 0, leave.output
    assert "à partir de j2-apres-midi" in leave.output
    withdraw = run(
        "-w", started, "select", "--withdraw", "montreuil", "--reason", "x", "--dry-run", env=day2
    )
    assert withdraw.exit_code == 0, withdraw.output
    assert withdraw.output.startswith("En cours de programme, à partir de j2-apres-midi")
    late = run(
        "-w",
        started,
        "leave",
        "ousmane-traore",
        "--dry-run",
        env={"COTRAIN_NOW": "2016-01-01T08:00"},
    )
    assert late.exit_code != 0
    assert "déjà commencées" in late.output


def test_report_mid_programme_expects_only_half_days_begun(started: Path, run) -> None:
    """On day 1's evening, only day 1 is expected: the half-days ahead are neither expected nor
    missed; once the clock is past the end, every half-day counts again."""
    now = report(run, started)
    assert {r["key"] for r in now["rows"]} == set(DAY1)
    people = report(run, started, by="person")
    assert {r["expected"] for r in people["rows"]} <= {2}
    later = report(run, started, now=AFTER_END)
    assert {r["key"] for r in later["rows"]} == set(TRAINEE)
    assert later["overall"]["all"]["expected"] > now["overall"]["all"]["expected"]
    assert later["overall"]["all"]["attended"] == now["overall"]["all"]["attended"]


def test_join_above_a_role_limit_warns(started: Path, run) -> None:
    """A second élu for a city whose eligibility rule allows one: said, on standard error."""
    result = run(
        "-w", started, "join", "Jean Essai", "--city", "montreuil", "--role", "élu", "--dry-run"
    )
    assert result.exit_code == 0, result.output
    assert "Montreuil compte maintenant 2 personne(s) au rôle élu·e" in result.output
    assert "au-delà du maximum de 1" in result.output
