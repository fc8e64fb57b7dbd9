"""Changes after the start, second round (issue 15; tester findings F4, F6, F15, F17, F21):
through the real CLI on the shipped example, 6 cities selected, day 1 marked."""

from __future__ import annotations

import json
import shutil
import tomllib
from datetime import timedelta
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "seine-saint-denis-2015"
EVENING_DAY1 = "2015-01-28T20:00"  # the example's day 1 is 28/01/2015


@pytest.fixture
def started(tmp_path: Path, run, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("COTRAIN_NOW", EVENING_DAY1)
    ws = tmp_path / "ws"
    shutil.copytree(EXAMPLE, ws)
    for args in (
        ("import", ws / "reponses.csv"),
        ("select", "--max", "6"),
        ("schedule", "--iterations", "60"),
        ("attend", "j1-matin", "--all-present"),
        ("attend", "j1-apres-midi", "--all-present"),
    ):
        result = run("-w", ws, *args)
        assert result.exit_code == 0, (args, result.output)
    return ws


def load(path: Path) -> dict:
    return tomllib.loads(path.read_text(encoding="utf-8"))


def people_of(ws: Path, city_id: str, role: str) -> list[str]:
    apps = load(ws / "applications.toml")["applications"]
    app = next(a for a in apps if a["city_id"] == city_id)
    return [p["name"] for p in app["people"] if p["role"] == role]


def eligible(run, ws: Path) -> dict[str, bool]:
    result = run("-w", ws, "check", "--json")
    assert result.exit_code == 0, result.output
    return {c["city_id"]: c["eligible"] for c in json.loads(result.output)["cities"]}


def test_substitute_and_late_joiner_do_not_unselect_their_city(started: Path, run) -> None:
    """F6: a substitute takes the seat of the person replaced; a late joiner accepted with a
    warning is not counted against the maximum afterwards; a plain select changes nothing."""
    before = eligible(run, started)
    assert before["montreuil"] and before["saint-denis"]
    selected = load(started / "selection.toml")
    (elected,) = people_of(started, "montreuil", "elected")
    replaced = run("-w", started, "replace", elected, "--name", "Paul Durand", "--from", "j2-matin")
    assert replaced.exit_code == 0, replaced.output
    joined = run(
        "-w", started, "join", "Jean Essai", "--city", "saint-denis", "--role", "élu",
        "--from", "j2-apres-midi",
    )  # fmt: skip
    assert joined.exit_code == 0, joined.output
    assert "au-delà du maximum de 1" in joined.output
    assert eligible(run, started) == before
    again = run("-w", started, "select")
    assert again.exit_code == 0, again.output
    after = load(started / "selection.toml")
    ids = [d["city_id"] for d in after["decisions"] if d["decision"] == "selected"]
    assert ids == [d["city_id"] for d in selected["decisions"] if d["decision"] == "selected"]


def test_select_after_the_start_never_drops_a_city_silently(started: Path, run) -> None:
    """F6: a plain select that would change the selection mid-programme says what it would do
    and refuses (exit 1, nothing written); --dry-run only warns."""
    text = (started / "selection.toml").read_bytes()
    preview = run("-w", started, "select", "--max", "5", "--dry-run")
    assert preview.exit_code == 0, preview.output
    assert "sans --dry-run, « cotrain select » refuserait ce changement" in preview.output
    result = run("-w", started, "select", "--max", "5")
    assert result.exit_code == 1, result.output
    assert "Le programme a commencé" in result.output
    assert "ferait sortir de la sélection" in result.output
    assert "cotrain select --withdraw VILLE" in result.output
    assert (started / "selection.toml").read_bytes() == text


def test_purge_respects_the_retention_period(run, tmp_path: Path) -> None:
    """F21: the day after the end, purge refuses (retention_years, the certificates' keeping of
    the evidence) and deletes nothing; it says when; the dry run shows the dates; after the
    period it runs."""
    ws = tmp_path / "ws"
    shutil.copytree(EXAMPLE, ws)
    assert run("-w", ws, "import", ws / "reponses.csv").exit_code == 0
    (ws / "feuilles").mkdir()
    (ws / "feuilles" / "j1-matin_g1.pdf").write_bytes(b"%PDF-1.4 signed")
    before = sorted(p.name for p in ws.rglob("*"))
    last = max(s["date"] for s in load(ws / "cotrain.toml")["plan"]["sessions"])
    day_after = f"{last + timedelta(days=1)}T10:00"
    refused = run("-w", ws, "purge", "--yes", env={"COTRAIN_NOW": day_after})
    assert refused.exit_code == 1, refused.output
    assert "la durée de conservation n'est pas écoulée" in refused.output
    assert f"purge possible à partir du {last.day:02d}/{last.month:02d}/{last.year + 5}" in (
        refused.output
    )
    assert f"jusqu'au 31/12/{last.year + 3}" in refused.output
    assert sorted(p.name for p in ws.rglob("*")) == before
    assert "martine.goulard@" in (ws / "applications.toml").read_text(encoding="utf-8")
    dry = run("-w", ws, "purge", "--dry-run", env={"COTRAIN_NOW": day_after})
    assert dry.exit_code == 0, dry.output
    assert f"purge prévue à partir du {last.day:02d}/{last.month:02d}/{last.year + 5}" in (
        dry.output
    )
    later = f"{last.year + 5}-12-01T10:00"
    done = run("-w", ws, "purge", "--yes", env={"COTRAIN_NOW": later})
    assert done.exit_code == 0, done.output
    assert not (ws / "feuilles" / "j1-matin_g1.pdf").exists()


def _letters_ws(tmp_path: Path, run) -> Path:
    ws = tmp_path / "letters"
    shutil.copytree(EXAMPLE, ws)
    text = (ws / "cotrain.toml").read_text(encoding="utf-8")
    for line in (
        'signatory = "Martine Lefort"\n',
        'signatory_title = "Directrice de Profession Banlieue"\n',
    ):
        text = text.replace(line, "")
    text = text.replace('name = "Profession Banlieue"', 'name = "Centre de ressources Rhône"')
    (ws / "cotrain.toml").write_text(text, encoding="utf-8")
    for args in (("import", ws / "reponses.csv"), ("select",)):
        assert run("-w", ws, *args).exit_code == 0
    return ws


def test_letters_without_anyone_to_sign_exit_1_and_write_nothing(run, tmp_path: Path) -> None:
    """F10: no manager, no signatory: a clear error (never exit 3), no letter written."""
    ws = _letters_ws(tmp_path, run)
    path = ws / "cotrain.toml"
    text = path.read_text(encoding="utf-8")
    text = text.replace('manager = "Chargée de mission, Profession Banlieue"', 'manager = ""')
    path.write_text(text.replace('signatory_function = "Directrice"\n', ""), encoding="utf-8")
    result = run("-w", ws, "letters", "--output", ws / "l")
    assert result.exit_code == 1, result.output
    assert "[programme] manager est vide" in result.output
    assert 'manager = "Prénom Nom"' in result.output
    assert not (ws / "l").exists()


def test_letters_signature_names_the_body_with_its_article(run, tmp_path: Path) -> None:
    """F20: « Directrice du Centre de ressources … », in every format (the .docx included)."""
    ws = _letters_ws(tmp_path, run)
    path = ws / "cotrain.toml"
    path.write_text(
        path.read_text(encoding="utf-8")
        .replace("[provider]\n", '[provider]\nsignatory = "Claire Dubœuf"\n', 1)
        .replace('signatory = "Martine Lefort"\n', ""),
        encoding="utf-8",
    )
    result = run("-w", ws, "letters", "--output", ws / "l")
    assert result.exit_code == 0, result.output
    letter = (ws / "l" / "bondy.txt").read_text(encoding="utf-8")
    assert "Directrice du Centre de ressources Rhône" in letter
    assert "Directrice de Centre" not in letter
    assert (ws / "l" / "bondy.docx").stat().st_size > 0


AFTER_END = "2016-01-01T08:00"  # every half-day of the example has begun


def test_funder_figures_count_withdrawals_departures_and_replacements(
    started: Path, run, tmp_path: Path
) -> None:
    """F7: people who stopped because of a change after the start are not completed courses;
    the funder page and the bilan say why they stopped."""
    steps = (
        ("select", "--withdraw", "montreuil", "--reason", "Retrait du maire", "--no-promote"),
        ("leave", "Éloïse N'Guessan", "--reason", "Mutation"),
        ("replace", people_of(started, "bondy", "elected")[0], "--name", "Paul Durand"),
    )
    for args in steps:
        result = run("-w", started, *args)
        assert result.exit_code == 0, (args, result.output)
    sessions = [s["id"] for s in load(started / "cotrain.toml")["plan"]["sessions"]]
    for session in sessions[2:]:
        run("-w", started, "attend", session, "--all-present", env={"COTRAIN_NOW": AFTER_END})
    env = {"COTRAIN_NOW": AFTER_END}
    data = json.loads(run("-w", started, "report", "--funder", "--json", env=env).output)
    q2 = data["qualiopi_indicator_2"]
    assert q2["interrupted"] == {"withdrawal": 4, "departure": 1, "replaced": 1}
    assert q2["completed"] == q2["trained"] - 6
    assert q2["dropped_out"] == 6
    text = run("-w", started, "report", "--funder", env=env).output
    assert "6 (dont 4 par désistement de leur ville" in " ".join(text.split())
    bilan = run("-w", started, "bilan", "--output", tmp_path / "b", env=env)
    assert bilan.exit_code == 0, bilan.output
    md = (tmp_path / "b" / "bilan.md").read_text(encoding="utf-8")
    assert "1 départ(s) en cours de programme, 1 remplacé·e(s)" in md


def test_join_and_replace_refuse_a_person_who_already_has_a_place(started: Path, run) -> None:
    """F17: one person, one place: a trainer's name, or the exact name of someone placed in
    another city, is refused by join and replace --name (exit 1, nothing written)."""
    trainer = load(started / "cotrain.toml")["trainers"][0]["name"]
    other = people_of(started, "montreuil", "professional")[0]
    before = {n: (started / n).read_bytes() for n in ("applications.toml", "schedule.toml")}
    for args, said in (
        (("join", trainer, "--city", "bondy", "--role", "professionnel"), "formateur·rice"),
        (("join", other, "--city", "bondy", "--role", "professionnel"), "a déjà une place"),
        (("replace", people_of(started, "bondy", "elected")[0], "--name", other), "Montreuil"),
    ):
        result = run("-w", started, *args, "--from", "j2-apres-midi")
        assert result.exit_code == 1, (args, result.output)
        assert said in result.output
        assert "Rien n'a été écrit" in result.output or "rien n'a été écrit" in result.output
    assert {n: (started / n).read_bytes() for n in before} == before


def test_activists_leaving_keep_one_in_every_mixed_group_and_the_advice_works(
    started: Path, run
) -> None:
    """F15: when too few activists are left for the rule, leave still gives every mixed group
    one; the advice it prints (relax the rule in cotrain.toml) is what makes check pass, and
    never ``schedule --keep``, refused after the start."""
    config = load(started / "cotrain.toml")
    activists = [a["name"] for a in config["activists"]]
    groups = config["plan"]["rules"]["mixed_groups"]
    for name in activists[groups:]:
        result = run("-w", started, "leave", name, "--reason", "Santé")
        assert result.exit_code == 0, result.output
    ids = {a["id"] for a in config["activists"][:groups]}
    mixed = {s["id"] for s in config["plan"]["sessions"] if s["kind"] == "mixed_groups"}
    schedule = load(started / "schedule.toml")
    for session in schedule["sessions"]:
        if session["session_id"] in mixed and session["session_id"] >= "j2":
            for group in session["groups"]:
                assert ids & set(group["members"]), (session["session_id"], group)
    assert "min_activists_per_group = 1 sous [plan.rules]" in " ".join(result.output.split())
    check = run("-w", started, "schedule", "check")
    assert check.exit_code == 1
    assert "schedule --keep » referait aussi les demi-journées passées" in check.output
    path = started / "cotrain.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("min_activists_per_group = 2", "min_activists_per_group = 1"),
        encoding="utf-8",
    )
    again = run("-w", started, "schedule", "check")
    assert again.exit_code == 0, again.output


def test_attend_and_attendance_import_read_cotrain_now(run, tmp_path: Path) -> None:
    """F4: one clock for every command: COTRAIN_NOW before a half-day refuses its marks (the
    real clock, in 2026, is long past the example), and says which time it went by."""
    ws = tmp_path / "ws"
    shutil.copytree(EXAMPLE, ws)
    for args in (("import", ws / "reponses.csv"), ("select",), ("schedule", "--iterations", "30")):
        assert run("-w", ws, *args).exit_code == 0
    early = {"COTRAIN_NOW": "2015-01-22T08:00"}  # day 1 (j1-matin) is 22/01/2015
    refused = run("-w", ws, "attend", "j1-matin", "--all-present", env=early)
    assert refused.exit_code == 1, refused.output
    assert "il est 8" in refused.output and "COTRAIN_NOW" in refused.output
    grid = tmp_path / "marks.csv"
    first = next(s for s in load(ws / "schedule.toml")["sessions"] if s["session_id"] == "j1-matin")
    person = first["groups"][0]["members"][0]
    grid.write_text(f"Séance;Personne;Statut\nj1-matin;{person};P\n", encoding="utf-8")
    imported = run("-w", ws, "attendance", "import", grid, env=early)
    assert imported.exit_code == 1, imported.output
    assert "n'a pas commencé" in imported.output
    assert not (ws / "attendance.toml").exists() or person not in (
        ws / "attendance.toml"
    ).read_text(encoding="utf-8")
    evening = {"COTRAIN_NOW": "2015-01-22T20:00"}
    assert run("-w", ws, "attendance", "import", grid, env=evening).exit_code == 0
    assert run("-w", ws, "attend", "j1-apres-midi", "--all-present", env=evening).exit_code == 0


def test_letters_after_a_withdrawal_mid_programme_tell_each_city_the_truth(
    started: Path, run, tmp_path: Path
) -> None:
    """F20: the promoted city is told only the half-days left; the withdrawn one that its place
    was given away and that its people keep what they attended."""
    result = run("-w", started, "select", "--withdraw", "montreuil", "--reason", "Retrait")
    assert result.exit_code == 0, result.output
    out = tmp_path / "l"
    written = run("-w", started, "letters", "--output", out, "--format", "txt")
    assert written.exit_code == 0, written.output
    promoted = " ".join((out / "lile-saint-denis.txt").read_text(encoding="utf-8").split())
    assert "retenue pour les 7 demi-journées restantes, à partir du" in promoted
    assert "La co-formation compte 7 demi-journées" in promoted
    assert "22 janvier 2015" not in promoted  # day 1, already held
    withdrawn = " ".join((out / "montreuil.txt").read_text(encoding="utf-8").split())
    assert "Votre place a été proposée à la ville suivante de la liste d'attente" in withdrawn
    assert "la place sera peut-être encore libre" not in withdrawn
    assert "leur restent acquis" in withdrawn


def test_bilan_for_a_funder_has_no_settings_and_lists_every_movement(
    started: Path, run, tmp_path: Path
) -> None:
    """F8: what is missing is « à compléter » in the document and said on the terminal with the
    key to fill; the movements after the selection include substitutes, late joiners and
    departures, dated by the half-day they took effect."""
    for args in (
        ("select", "--withdraw", "montreuil", "--reason", "Retrait"),
        ("replace", people_of(started, "bondy", "elected")[0], "--name", "Paul Durand"),
        ("leave", "Éloïse N'Guessan", "--reason", "Mutation"),
    ):
        assert run("-w", started, *args).exit_code == 0, args
    result = run("-w", started, "bilan", "--output", tmp_path / "b")
    assert result.exit_code == 0, result.output
    md = (tmp_path / "b" / "bilan.md").read_text(encoding="utf-8")
    assert "cotrain.toml" not in md and "[[" not in md
    assert "[[bilan.objectives]]" in result.output  # the fix, on the terminal
    moves = md.split("Mouvements après la sélection", 1)[1].split("##", 1)[0]
    assert "désistement, Montreuil" in moves
    assert "remplacement par un·e suppléant·e, Bondy, élu·e" in moves
    assert "départ en cours de programme, Saint-Denis" in moves and "Mutation" in moves
    assert "/2015 : désistement" in moves and "2026" not in moves  # the half-day, not the day typed


def _grid(path: Path, rows: list[list[str]], merge: str | None = None) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    if merge:
        sheet.merge_cells(merge)
    book.save(path)
    return path


def test_attendance_import_reads_the_grids_people_type(started: Path, run, tmp_path: Path) -> None:
    """F12: a date merged over « Matin | Après-midi », headers with a weekday (« Jeu. 22/01
    matin »), ✓ for present and « R 9h50 » for a late arrival with its time."""
    sched = load(started / "schedule.toml")
    first = next(s for s in sched["sessions"] if s["session_id"] == "j1-matin")
    ids = sorted({m for g in first["groups"] for m in g["members"]})[:3]
    two_rows = _grid(
        tmp_path / "deux-lignes.xlsx",
        [
            ["Identifiant", "Structure", "Jeudi 22/01/2015", None, "Total"],
            [None, None, "Matin", "Après-midi", None],
            *[[pid, "Ville", "P", "A", None] for pid in ids],
            ["TOTAL", None, None, None, None],
        ],
        merge="C1:D1",
    )
    result = run("-w", started, "attendance", "import", two_rows, "--dry-run", "--json")
    assert result.exit_code == 0, result.output
    one_row = _grid(
        tmp_path / "une-ligne.xlsx",
        [
            ["Identifiant", "Jeu. 22/01 matin", "Jeu. 22/01 après-midi"],
            [ids[0], "✓", "R 14h10"],
            [ids[1], "P", "D 15h45"],
        ],
    )
    done = run("-w", started, "attendance", "import", one_row, "--reason", "Saisie")
    assert done.exit_code == 0, done.output
    marks = load(started / "attendance.toml")
    text = (started / "attendance.toml").read_text(encoding="utf-8")
    assert "14:10" in text and "15:45" in text, text[:2000]
    assert marks
    help_text = run("attendance", "import", "--help").output
    assert "--header-row" in help_text  # the option the duplicate-header error advises
