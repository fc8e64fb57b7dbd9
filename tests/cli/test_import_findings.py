"""Tester's findings on intake (round 2): each file as a user's tool writes it, through the real
command line, with the eligible set ``check`` gives."""

from __future__ import annotations

import json
from pathlib import Path

from fixtures_intake import applications


def eligible(run, ws: Path) -> list[str]:
    report = json.loads(run("check", "-w", ws, "--json").stdout)
    return [c["city_id"] for c in report["cities"] if c["eligible"]]


ROWS = [  # city, amount, (name, committed) for the elected, two professionals, the delegate
    ("Bron", "600", [("Awa Diallo", True), ("Paul Martin", True), ("Ana Lopes", True), ("Jo Roy", True)]),
    ("Givors", "600", [("Léa Blanc", True), ("Marc Petit", True), ("Lucie Faure", False), ("Max Roux", True)]),
]  # fmt: skip


def per_city(head_of: dict[str, str], *, yes: str = "Oui", no: str = "Non", sep: str = ";") -> str:
    """One row per city; ``head_of`` gives the headers of each question."""
    groups = ["elected", "pro1", "pro2", "delegate"]
    head = [head_of["city"], head_of["amount"]]
    for group in groups:
        head += [head_of[f"{group}.name"], head_of[f"{group}.committed"]]
    lines = [sep.join(head)]
    for city, amount, people in ROWS:
        cells = [city, amount]
        for name, committed in people:
            cells += [name, yes if committed else no]
        lines.append(sep.join(cells))
    return "\r\n".join(lines) + "\r\n"


LIME = {
    "city": "Nom de votre commune",
    "amount": "Montant de la participation de la commune (€)",
    "elected.name": "Élu·e référent·e [Nom et prénom]",
    "elected.committed": "Élu·e référent·e [S'engage à suivre les trois journées]",
    "pro1.name": "Premier·e professionnel·le [Nom et prénom]",
    "pro1.committed": "Premier·e professionnel·le [S'engage à suivre les trois journées]",
    "pro2.name": "Second·e professionnel·le (facultatif) [Nom et prénom]",
    "pro2.committed": "Second·e professionnel·le (facultatif) [S'engage à suivre les trois journées]",
    "delegate.name": "Délégué·e du préfet [Nom et prénom]",
    "delegate.committed": "Délégué·e du préfet [S'engage à suivre les trois journées]",
}


def test_ordinal_words_number_the_people_and_questions_name_city_and_amount(
    empty_ws: Path, run
) -> None:
    """F1, F2, F13: « Second·e professionnel·le » is the second, « Nom de votre commune » the
    city, « Montant de la participation » the contribution; nobody dropped."""
    (empty_ws / "lime.csv").write_text(per_city(LIME), encoding="utf-8-sig")
    result = run("import", empty_ws / "lime.csv", "-w", empty_ws)
    assert result.exit_code == 0, result.output
    assert "Importé : 2 ville(s), 8 personne(s)" in result.stdout
    givors = applications(empty_ws).get("givors")
    assert [p.name for p in givors.people if not p.committed] == ["Lucie Faure"]
    assert givors.contribution == 600
    assert eligible(run, empty_ws) == ["bron"]


def test_two_filled_columns_read_as_one_persons_field_are_an_error(empty_ws: Path, run) -> None:
    """Never one of them dropped in silence (F13)."""
    heads = dict(LIME)
    heads["pro2.name"] = "Autre professionnel·le [Nom et prénom]"  # no number: read as the first
    heads["pro2.committed"] = "Autre professionnel·le [S'engage]"
    (empty_ws / "dup.csv").write_text(per_city(heads), encoding="utf-8")
    result = run("import", empty_ws / "dup.csv", "-w", empty_ws)
    assert result.exit_code == 1, result.output
    out = result.output.replace("\u00a0", " ")
    assert "« Premier·e professionnel·le [Nom et prénom] » et « Autre professionnel·le [Nom et prénom] »" in out
    assert not (empty_ws / "applications.toml").exists()


def test_a_single_checkbox_is_yes_when_ticked(empty_ws: Path, run) -> None:
    """F23: Google Forms writes the ticked option's label, nothing otherwise."""
    heads = {k: v.replace("[S'engage à suivre les trois journées]", "[Engagement]") for k, v in LIME.items()}
    text = per_city(heads, yes="Je m'engage à suivre les trois journées", no="", sep=",")
    (empty_ws / "cases.csv").write_text(text, encoding="utf-8")
    result = run("import", empty_ws / "cases.csv", "-w", empty_ws)
    assert result.exit_code == 0, result.output
    assert "case(s) à cocher lue(s) comme oui" in result.stderr
    assert eligible(run, empty_ws) == ["bron"]


def test_a_subtotal_labelled_by_sector_is_a_total_row(empty_ws: Path, run) -> None:
    """F22: « Sous-total Est lyonnais » is not a candidate city."""
    text = per_city(LIME) + ";;;;;;;;;\r\nSous-total Est lyonnais;1 200,00;;;;;;;;\r\n"
    (empty_ws / "st.csv").write_text(text, encoding="utf-8")
    result = run("import", empty_ws / "st.csv", "-w", empty_ws)
    assert result.exit_code == 0, result.output
    assert "st.csv : ligne 5 ignorée : ligne de total" in result.stderr
    assert [a.city_id for a in applications(empty_ws).applications] == ["bron", "givors"]


def test_receipt_date_is_the_submission_time_and_st_is_saint(empty_ws: Path, run) -> None:
    """F3: « Reçue le » is when the answer came in; F25: « St-Fons » is « Saint-Fons »."""
    text = (
        "Commune;Fonction;Nom;Engagement;Contribution (€);Reçue le\r\n"
        "Saint-Fons;Élu(e);Awa Diallo;Oui;600;05/01/2027 09:12\r\n"
        "St-Fons;Professionnel(le);Paul Martin;Oui;600;05/01/2027 09:12\r\n"
        "Saint-Fons;Délégué(e) du préfet;Jo Roy;Oui;600;05/01/2027 09:12\r\n"
    )
    (empty_ws / "suivi.csv").write_text(text, encoding="utf-8")
    result = run("import", empty_ws / "suivi.csv", "-w", empty_ws)
    assert result.exit_code == 0, result.output
    loaded = applications(empty_ws)
    assert [a.city_id for a in loaded.applications] == ["saint-fons"]
    assert len(loaded.applications[0].people) == 3
    assert loaded.applications[0].submitted_at is not None
    assert loaded.applications[0].submitted_at.day == 5


def test_demarches_simplifiees_csv_without_its_blocks_is_refused_with_the_way_out(
    empty_ws: Path, run
) -> None:
    """F18: the CSV holds the main sheet only; every city would fail for want of a public."""
    text = (
        "ID,Email,Connecté via,Civilité,Nom,Prénom,Archivé,État du dossier,Déposé le,Instructeurs,"
        "Commune,Nom de l'élu·e,Engagement nominatif de l'élu·e,Nom du délégué·e du préfet,"
        "Engagement nominatif du délégué·e du préfet,Montant de la contribution\r\n"
        "1,a@b.fr,Mot de passe,M.,Petit,Julien,false,en_construction,2027-01-05,x@y.fr,"
        "Bron,Awa Diallo,Oui,Jo Roy,Oui,600\r\n"
    )
    (empty_ws / "ds.csv").write_text(text, encoding="utf-8")
    result = run("import", empty_ws / "ds.csv", "-w", empty_ws)
    assert result.exit_code == 1, result.output
    assert "le CSV ne contient que la feuille principale" in result.output
    assert "XLSX ou ODS" in result.output
    assert not (empty_ws / "applications.toml").exists()
