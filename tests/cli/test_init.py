from __future__ import annotations

import stat
import tomllib
from pathlib import Path

from tests.conftest import EXAMPLE


def test_init_writes_the_programme_of_its_answers(run, tmp_path: Path) -> None:
    result = run(
        "init", tmp_path / "prog", "--yes", "--title", "Co-formation Rhône",
        "--place", "Lyon", "--start", "2026-03-02", "--days", "3", "--cities", "5",
        "--activists", "4", "--mixed-groups", "2", "--organiser", "Centre Rhône",
        "--responsible", "Métropole de Lyon",
    )  # fmt: skip

    assert result.exit_code == 0, result.output
    text = (tmp_path / "prog" / "cotrain.toml").read_text(encoding="utf-8")
    data = tomllib.loads(text)
    assert data["schema"] == 1
    assert data["language"] == "fr"
    assert data["programme"]["name"] == "Co-formation Rhône"
    assert data["programme"]["site"] == "Lyon"
    assert data["programme"]["organisers"] == ["Centre Rhône"]
    assert data["programme"]["responsible"] == "Métropole de Lyon"
    assert data["selection"]["max_cities"] == 5
    assert len(data["activists"]) == 4
    assert data["plan"]["rules"]["mixed_groups"] == 2
    trainee = [s for s in data["plan"]["sessions"] if s["kind"] != "trainers_meeting"]
    assert len(trainee) == 6
    assert str(trainee[0]["date"]) == "2026-03-02"
    assert trainee[0]["kind"] == "peer_groups"
    assert sorted({str(s["date"]) for s in trainee}) == ["2026-03-02", "2026-03-09", "2026-03-16"]
    for leftover in ("Pierrelaye", "Seine-Saint-Denis", "Profession Banlieue", "Théâtre-forum"):
        assert leftover not in text
    assert "# Programme de co-formation" in text
    data = (tmp_path / "prog" / "candidatures-modele.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # a BOM: French Excel reads the accents right
    assert data.decode("utf-8-sig").startswith("Horodatage;Commune;Contact;Élu·e - Nom;")
    assert data.endswith(b"\r\n")


def test_init_without_answers_writes_a_programme_that_validates(run, tmp_path: Path) -> None:
    result = run("init", tmp_path / "prog")

    assert result.exit_code == 0, result.output
    checked = run("-w", tmp_path / "prog", "doctor")
    assert "cotrain.toml" not in checked.output or checked.exit_code == 0, checked.output
    data = tomllib.loads((tmp_path / "prog" / "cotrain.toml").read_text(encoding="utf-8"))
    assert data["selection"]["max_cities"] == 7
    assert len(data["activists"]) == 5
    assert len(data["duos"]) >= data["plan"]["rules"]["mixed_groups"]


def test_init_roles_option_declares_publics_and_an_optional_role(run, tmp_path: Path) -> None:
    result = run(
        "init", tmp_path / "prog", "--yes",
        "--roles", "travailleur social=Travailleur·se social·e:1-3, cadre=Cadre?",
        "--activist-label", "personne accompagnée",
    )  # fmt: skip

    assert result.exit_code == 0, result.output
    data = tomllib.loads((tmp_path / "prog" / "cotrain.toml").read_text(encoding="utf-8"))
    assert list(data["roles"]) == ["travailleur_social", "cadre", "activist"]
    assert data["roles"]["travailleur_social"]["label"] == "travailleur·se social·e"
    assert data["roles"]["activist"]["label"] == "personne accompagnée"
    assert data["eligibility"]["roles"]["travailleur_social"] == {"min": 1, "max": 3}
    assert data["eligibility"]["roles"]["cadre"] == {"min": 0, "max": 1}
    assert data["activists"][0]["id"] == "personne-accompagnee-1"
    header = (tmp_path / "prog" / "candidatures-modele.csv").read_text(encoding="utf-8-sig")
    assert "Travailleur·se social·e 3 - Courriel" in header
    assert "Cadre - Engagement nominatif" in header


def test_init_rejects_a_bad_answer_and_writes_nothing(run, tmp_path: Path) -> None:
    result = run("init", tmp_path / "prog", "--yes", "--roles", "elected:3-1")

    assert result.exit_code != 0
    assert "le minimum dépasse le maximum" in result.output
    assert not (tmp_path / "prog" / "cotrain.toml").exists()


def test_init_in_english_writes_english_comments(run, tmp_path: Path) -> None:
    result = run("init", tmp_path / "prog", "--lang", "en", "--yes")

    assert result.exit_code == 0, result.output
    text = (tmp_path / "prog" / "cotrain.toml").read_text(encoding="utf-8")
    assert "# Co-training programme" in text
    assert tomllib.loads(text)["language"] == "en"
    assert "Programme created" in result.output


def test_init_files_are_private(run, tmp_path: Path) -> None:
    run("init", tmp_path / "prog")

    folder_mode = stat.S_IMODE((tmp_path / "prog").stat().st_mode)
    file_mode = stat.S_IMODE((tmp_path / "prog" / "cotrain.toml").stat().st_mode)
    assert (folder_mode, file_mode) == (0o700, 0o600)


def test_init_refuses_to_overwrite_without_force(run, tmp_path: Path) -> None:
    run("init", tmp_path / "prog")
    (tmp_path / "prog" / "cotrain.toml").write_text("schema = 1\n# mine\n", encoding="utf-8")

    refused = run("init", tmp_path / "prog")
    assert refused.exit_code == 1
    assert "existe déjà" in refused.output
    assert "--force" in refused.output
    assert (tmp_path / "prog" / "cotrain.toml").read_text(encoding="utf-8") == "schema = 1\n# mine\n"

    forced = run("init", tmp_path / "prog", "--force")
    assert forced.exit_code == 0


def test_init_example_copies_the_shipped_example(run, tmp_path: Path) -> None:
    result = run("init", tmp_path / "demo", "--example")

    assert result.exit_code == 0, result.output
    shipped = sorted(
        p.relative_to(EXAMPLE)
        for p in EXAMPLE.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(EXAMPLE).parts)
    )
    copied = sorted(
        p.relative_to(tmp_path / "demo")
        for p in (tmp_path / "demo").rglob("*")
        if p.is_file() and p.name != ".cotrain.lock"
    )
    assert copied == shipped


def test_init_roles_accept_reference_labels_and_optional(run, tmp_path: Path) -> None:
    result = run(
        "init", tmp_path / "prog", "--yes",
        "--roles", "élu·e, Professionnel·le:1-2, délégué·e du préfet",
        "--optional", "délégué du préfet", "--peer-groups", "professional=2",
    )  # fmt: skip

    assert result.exit_code == 0, result.output
    data = tomllib.loads((tmp_path / "prog" / "cotrain.toml").read_text(encoding="utf-8"))
    assert list(data["eligibility"]["roles"]) == ["elected", "professional", "prefect_delegate"]
    assert data["eligibility"]["roles"]["prefect_delegate"] == {"min": 0, "max": 1}
    assert data["plan"]["rules"]["peer_groups"] == {"professional": 2}
    assert data["roles"]["elected"] == {"kind": "city"}


def test_init_asks_the_questions_at_a_terminal(run, tmp_path: Path, monkeypatch) -> None:
    from cotrain.cli import init

    monkeypatch.setattr(init, "_interactive", lambda: True)
    answers = [
        "Co-formation Isère",  # title
        "Centre Isère, ATD Quart Monde",  # organisers
        "",  # responsible: the first organiser
        "Grenoble",  # place
        "2026-05-04",  # first day
        "2",  # days
        "",  # half-days: two a day
        "1",  # gap: consecutive days
        "elected, professional",  # roles
        "",  # activists' label
        "4",  # cities
        "3",  # activists
        "",  # mixed groups: automatic
        "",  # facilitation: duos
        "",  # commitment: yes
        "100",  # minimum contribution
        "",  # proof: no
    ]
    result = run("init", tmp_path / "prog", input="\n".join(answers) + "\n")

    assert result.exit_code == 0, result.output
    assert "Nom du programme" in result.output
    data = tomllib.loads((tmp_path / "prog" / "cotrain.toml").read_text(encoding="utf-8"))
    assert data["programme"]["name"] == "Co-formation Isère"
    assert data["programme"]["organisers"] == ["Centre Isère", "ATD Quart Monde"]
    assert data["programme"]["responsible"] == "Centre Isère"
    assert data["programme"]["site"] == "Grenoble"
    dates = sorted({str(s["date"]) for s in data["plan"]["sessions"]})
    assert dates == ["2026-05-04", "2026-05-05"]
    assert list(data["eligibility"]["roles"]) == ["elected", "professional"]
    assert data["selection"]["max_cities"] == 4
    assert len(data["activists"]) == 3
    assert data["eligibility"]["min_contribution"] == 100


def test_init_says_when_too_few_activists_leave_one_per_mixed_group(run, tmp_path: Path) -> None:
    result = run(
        "init", tmp_path / "p", "--yes", "--activists", "4", "--mixed-groups", "3",
    )  # fmt: skip

    assert result.exit_code == 0, result.output
    assert (
        "Attention : 4 militant·e(s) pour 3 groupe(s) croisé(s) ne permettent pas d'en mettre "
        "deux dans chaque groupe, comme le veut la méthode : min_activists_per_group = 1."
    ) in result.output
    assert "min_activists_per_group = 1\n" in (tmp_path / "p" / "cotrain.toml").read_text(
        encoding="utf-8"
    )


def test_init_questions_speak_french_and_ask_who_is_in_charge(
    run, tmp_path: Path, monkeypatch
) -> None:
    """A wrong answer is said in French and asked again; yes / no reads « [O/n] »; the person in
    charge, the address and the theme are asked (finding F14)."""
    from cotrain.cli import init

    monkeypatch.setattr(init, "_interactive", lambda: True)
    answers = [
        "Co-formation Beaujolais", "", "", "Centre social de Villefranche", "02/03/2027",
        "trois", "3",  # days: a word, then digits
        "", "", "", "", "", "", "", "",
        "peut-être", "non",  # commitment
        "", "",  # contribution, proof
        "Claire Dubœuf", "12 rue Nationale, Villefranche", "Agir ensemble",
        "Formateurs 3000",  # a budget line without its amount: said, asked again
        "Formateurs=3 000 ; Salle et repas=1 200,50", "Métropole=2500",
    ]  # fmt: skip
    result = run("init", tmp_path / "p", input="\n".join(answers) + "\n")

    assert result.exit_code == 0, result.output
    assert "« trois » n'est pas un nombre entier : écrivez-le en chiffres (3)." in result.output
    assert "« peut-être » : répondez o (oui) ou n (non)." in result.output
    assert "[O/n]\u00a0: " in result.output
    assert "Nombre de journées [4]\u00a0: " in result.output
    assert "Error" not in result.output and "[Y/n]" not in result.output
    data = tomllib.loads((tmp_path / "p" / "cotrain.toml").read_text(encoding="utf-8"))
    assert data["programme"]["manager"] == "Claire Dubœuf"
    assert data["programme"]["address"] == "12 rue Nationale, Villefranche"
    assert data["programme"]["theme"] == "Agir ensemble"
    assert data["eligibility"]["require_full_commitment"] is False
    assert len({s["date"] for s in data["plan"]["sessions"]}) == 3
    assert "écrivez « Libellé=montant »" in result.output
    assert "Lignes du budget prévisionnel" in result.output and "Financeurs" in result.output
    assert [(c["label"], c["amount"]) for c in data["budget"]["costs"]] == [
        ("Formateurs", 3000), ("Salle et repas", 1200.5)
    ]
    assert [(f["funder"], f["amount"]) for f in data["budget"]["funding"]] == [("Métropole", 2500)]


def test_init_avoids_public_holidays_and_says_when_the_first_day_is_not_a_working_day(
    run, tmp_path: Path
) -> None:
    """Finding F26: no sign-in sheet dated on a public holiday (11 November, Ascension...)."""
    consecutive = run("init", tmp_path / "a", "--yes", "--start", "2027-11-10", "--days", "2",
                      "--gap", "1")  # fmt: skip
    weekly = run("init", tmp_path / "b", "--yes", "--start", "2026-05-07", "--days", "3")
    saturday = run("init", tmp_path / "c", "--yes", "--start", "2027-11-13", "--days", "2")

    def dates(folder: str) -> list[str]:
        data = tomllib.loads((tmp_path / folder / "cotrain.toml").read_text(encoding="utf-8"))
        return sorted({str(s["date"]) for s in data["plan"]["sessions"]})

    assert consecutive.exit_code == weekly.exit_code == saturday.exit_code == 0
    assert dates("a") == ["2027-11-10", "2027-11-12"]  # not the 11th (Armistice)
    assert dates("b") == ["2026-05-07", "2026-05-15", "2026-05-21"]  # not Ascension, 14 May
    assert "le premier jour, samedi 13 novembre 2027, est un week-end ou un jour férié" in (
        saturday.output
    )
    assert "Attention : le premier jour" not in consecutive.output


def test_init_force_keeps_the_old_file_and_refuses_a_programme_under_way(
    run, tmp_path: Path
) -> None:
    """Finding F24: --force keeps the replaced cotrain.toml; a folder with a schedule, marks or
    history is refused, nothing written."""
    ws = tmp_path / "p"
    assert run("init", ws, "--yes", "--title", "Ancien").exit_code == 0
    replaced = run("init", ws, "--yes", "--force", "--title", "Nouveau")
    assert replaced.exit_code == 0, replaced.output
    assert "L'ancien cotrain.toml est gardé dans" in replaced.output
    assert 'name = "Ancien"' in (ws / "cotrain.toml.bak").read_text(encoding="utf-8")
    (ws / "schedule.toml").write_text("schema = 1\n", encoding="utf-8")
    before = (ws / "cotrain.toml").read_bytes()

    refused = run("init", ws, "--yes", "--force", "--title", "Encore")

    assert refused.exit_code == 1
    assert "contient un programme en cours (schedule.toml)" in refused.output
    assert (ws / "cotrain.toml").read_bytes() == before


def test_init_suggests_the_closest_role_for_a_mistyped_peer_world(run, tmp_path: Path) -> None:
    result = run("init", tmp_path / "p", "--yes", "--peer-worlds", "elected+profesional")

    assert result.exit_code != 0
    assert "« profesional », qui n'est pas dans --roles ; vouliez-vous dire « professional » ?" in (
        result.output
    )


def test_doctor_warns_of_a_half_day_on_a_weekend_or_public_holiday(run, tmp_path: Path) -> None:
    ws = tmp_path / "p"
    assert run("init", ws, "--yes", "--start", "2027-11-08", "--days", "2").exit_code == 0
    path = ws / "cotrain.toml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("date = 2027-11-15", "date = 2027-11-11"),
        encoding="utf-8",
    )

    result = run("-w", ws, "doctor")

    assert "la demi-journée « j2-matin » tombe le 2027-11-11, un week-end ou un jour férié" in (
        result.output
    )
    assert "« j1-matin » tombe" not in result.output
