"""``cotrain import`` of a sixth round of real-tool exports (issue 16).

Each file of ``tests/data/intake/variantes6/`` (``make_tool_variants6.py``) holds the shipped
example's twelve cities in a shape the earlier rounds did not try (tested for the 7 of 12 with
the others in ``test_import_variants.py``); the tests here name the mechanism each needed: a
manager's shorthand for the roles and fields (``CDP 1``, ``Dlg préfet``, ``Mél``, ``Engt``),
the programme's length as a question (``Elu - 4,5 jours``), English dates (``Dec 3, 2014``).
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

from fixtures_intake import applications, assert_checked_as_the_example
from fixtures_intake import imported as _import

VARIANTS = Path(__file__).resolve().parents[1] / "data" / "intake" / "variantes6"
sys.path.insert(0, str(VARIANTS.parent))  # the generator's functions, for files made here


def _people(ws: Path, city: str) -> dict[str, tuple[str, str, bool]]:
    return {
        p.name.casefold(): (p.role.value, p.email, p.committed)
        for p in applications(ws).get(city).people
    }


def test_a_managers_shorthand_names_the_roles_and_fields(empty_ws: Path, run) -> None:
    # « CDP 1 » (chef·fe de projet), « Dlg préfet », « Mél », « Engt élu », « ☒ »/« ☐ »
    _import(run, empty_ws, VARIANTS / "tableau-abreviations.xlsx")
    people = _people(empty_ws, "aulnay-sous-bois")
    assert people["émilie saint-arnaud"] == (
        "professional", "emilie.saint-arnaud@aulnay-sous-bois.fr", False
    )  # fmt: skip
    assert people["olivier fabre"][0] == "prefect_delegate"
    assert_checked_as_the_example(run, empty_ws)
    _import(run, empty_ws, VARIANTS / "framaforms-abreviations.xls")  # fieldsets in row 2
    assert _people(empty_ws, "saint-denis")["samira haddad"] == (
        "professional", "samira.haddad@ville-saint-denis.fr", True
    )  # fmt: skip


def test_dlg_prefet_in_a_role_column_is_the_delegate(empty_ws: Path, run) -> None:
    # one row per person, « Collège » = « Élu·e », « Pro », « Dlg préfet »; « 4,5 jours »
    _import(run, empty_ws, VARIANTS / "personnes-excel-windows-crlf.csv")
    people = _people(empty_ws, "saint-denis")
    assert people["thierry vasseur"] == (
        "prefect_delegate", "thierry.vasseur@seine-saint-denis.gouv.fr", True
    )  # fmt: skip
    # the job title under the name, after a CRLF inside the cell
    elected = applications(empty_ws).get("saint-denis").people[0]
    assert elected.job_title == "Adjointe au maire chargée de la démocratie locale"


def test_the_programmes_length_is_no_persons_number(empty_ws: Path, run) -> None:
    # « Elu - 4,5 jours » is the elected official's commitment, not elected n°4's « 5 jours »;
    # Jotform's « Dec 3, 2014 » is a date
    _import(run, empty_ws, VARIANTS / "jotform.csv")
    saint_denis = applications(empty_ws).get("saint-denis")
    assert saint_denis.submitted_at.date().isoformat() == "2014-12-03"
    assert _people(empty_ws, "aulnay-sous-bois")["patricia vandenberghe"][2] is True
    assert_checked_as_the_example(run, empty_ws)


def test_question_codes_with_a_role_qualifier_name_the_role(empty_ws: Path, run) -> None:
    # LimeSurvey codes chosen by the form's author: « ELUREF[NOM] », « DELPREF[ENGAGE] »
    _import(run, empty_ws, VARIANTS / "limesurvey-codes-longs.xlsx")
    people = _people(empty_ws, "saint-denis")
    assert people["éloïse n'guessan"] == ("elected", "eloise.nguessan@ville-saint-denis.fr", True)
    assert people["thierry vasseur"][0] == "prefect_delegate"
    assert_checked_as_the_example(run, empty_ws)


def test_a_header_starting_like_a_role_code_is_not_one(empty_ws: Path, run, tmp_path) -> None:
    # « DELIB » (the proof) and « Délai » are no delegate's fields: kept with the application
    export = tmp_path / "delib.csv"
    export.write_text(
        "Commune;Élu·e - Nom;Élu·e - Engagé(e);Contribution (€);DELIB;Délai\n"
        "Bondy;Ana Lima;Oui;600;2014-12;8 jours\n",
        encoding="utf-8",
    )
    _import(run, empty_ws, export)
    bondy = applications(empty_ws).get("bondy")
    assert [p.role.value for p in bondy.people] == ["elected"]
    assert bondy.extra["DELIB"] == "2014-12" and bondy.extra["Délai"] == "8 jours"


def test_a_kobotoolbox_repeat_group_sheet_is_joined_on_its_submission_id(
    empty_ws: Path, run
) -> None:
    # « membres »: one row per person, keyed by « _submission__id » (the main sheet's « _id »),
    # with Kobo's own columns (« _parent_index », « _submission__uuid ») that are nobody's
    result = _import(run, empty_ws, VARIANTS / "kobotoolbox-groupe-repete.xlsx")
    assert "feuille « membres » jointe" in result.stderr
    saint_denis = applications(empty_ws).get("saint-denis")
    assert len(saint_denis.people) == 4
    assert not any("parent" in key or "submission__" in key for key in saint_denis.extra)
    assert_checked_as_the_example(run, empty_ws)


def test_a_checkbox_list_beside_its_option_columns_is_read_once(
    empty_ws: Path, run, tmp_path: Path
) -> None:
    # Tally: « Qui s'engage … ? » = « Élu·e, Professionnel·le 1 » and one column per option
    # (« Qui s'engage … ? (Élu·e) » = true/false): the same answers twice are no clash
    _import(run, empty_ws, VARIANTS / "tally.csv")
    assert _people(empty_ws, "aulnay-sous-bois")["émilie saint-arnaud"][2] is False
    assert_checked_as_the_example(run, empty_ws)
    # when they disagree, the import still says which two columns clash
    export = tmp_path / "tally.csv"
    with (VARIANTS / "tally.csv").open(encoding="utf-8", newline="") as source:
        head, row = list(csv.reader(source))[:2]
    option = head.index("Qui s'engage sur les 4,5 jours ? (Délégué·e du préfet)")
    assert row[option] == "true"
    row[option] = "false"
    with export.open("w", encoding="utf-8", newline="") as target:
        csv.writer(target).writerows([head, row])
    result = run("import", export, "-w", empty_ws)
    assert result.exit_code == 1, result.output
    assert "sont lues comme le même champ de la même personne" in result.stderr


def test_suggest_gives_unknown_groups_the_roles_no_column_names(
    empty_ws: Path, run, tmp_path: Path
) -> None:
    # « RPV 1 - NOM » … « Réf. État - Mél »: groups no role label names. The elected official
    # is named; the two unknown groups get, in order, the two roles missing (never « ignore »,
    # which would drop three professionals and the delegate on the next import)
    import make_tool_variants6 as tool
    from make_variants import D, P

    export = tmp_path / "framaforms-sigles.xlsx"
    saved = dict(tool.ABBREV)
    tool.ABBREV.update({P: "RPV {n}", D: "Réf. État"})
    try:
        tool.save_book(tool.framaforms_abbrev_book(), export)
    finally:
        tool.ABBREV.update(saved)
    refused = run("import", export, "-w", empty_ws)
    assert refused.exit_code == 1 and "--suggest" in refused.stderr
    proposed = run("import", export, "-w", empty_ws, "--suggest")
    assert proposed.exit_code == 0, proposed.output
    assert '"RPV 2 - Mél" = "professional.2.email"  # à vérifier : rôle deviné' in proposed.stdout
    assert '"Réf. État - NOM" = "prefect_delegate.name"' in proposed.stdout
    assert '= "ignore"' not in proposed.stdout
    run("import", export, "-w", empty_ws, "--suggest", "--write")
    _import(run, empty_ws, export)
    assert_checked_as_the_example(run, empty_ws)


def test_a_commitment_refused_in_a_sentence_is_a_no(empty_ws: Path, run) -> None:
    # a Google Forms grid answered « Je m'engage » / « Je ne m'engage pas »
    _import(run, empty_ws, VARIANTS / "google-forms-grille-engagement.csv")
    assert _people(empty_ws, "aulnay-sous-bois")["émilie saint-arnaud"][2] is False
    assert_checked_as_the_example(run, empty_ws)


def test_a_negation_about_something_else_is_still_an_error(
    empty_ws: Path, run, tmp_path: Path
) -> None:
    export = tmp_path / "grille.csv"
    text = (VARIANTS / "google-forms-grille-engagement.csv").read_text(encoding="utf-8")
    export.write_text(text.replace("Je ne m'engage pas", "Je ne sais pas", 1), encoding="utf-8")
    result = run("import", export, "-w", empty_ws)
    assert result.exit_code == 1, result.output
    assert "« Je ne sais pas » n'est pas une réponse oui/non" in result.stderr
    assert not (empty_ws / "applications.toml").exists()


def test_sphinx_variable_names_with_the_field_first_are_read(empty_ws: Path, run) -> None:
    # « NOM_ELU », « MAIL_PRO2 », « ENG_DP », « DATE_SAISIE »: Sphinx's variable names alone
    _import(run, empty_ws, VARIANTS / "sphinx-codes-seuls.xlsx")
    assert _people(empty_ws, "bobigny")["julie kervella"][2] is True
    assert applications(empty_ws).get("bobigny").submitted_at.day == 6
    assert_checked_as_the_example(run, empty_ws)


def test_a_remark_in_brackets_after_a_header_does_not_hide_it(
    empty_ws: Path, run, tmp_path: Path
) -> None:
    export = tmp_path / "remarque.csv"
    export.write_text(
        "Commune;Rôle;Nom (et fonction);Courriel (bureau);Engagé(e) (4,5 j);Contribution (€)\n"
        "Bondy;Élu·e;Ana Lima;ana.lima@bondy.fr;Oui;600\n",
        encoding="utf-8",
    )
    _import(run, empty_ws, export)
    assert _people(empty_ws, "bondy") == {"ana lima": ("elected", "ana.lima@bondy.fr", True)}


def test_an_excel_list_typed_by_hand_imports_clean(empty_ws: Path, run) -> None:
    # the name and job title on two lines of one cell (CR LF, stored as _x000D_ in the XLSX),
    # « Nom\r\n(et fonction) », e-mails in mixed case ending with a no-break space,
    # « EUR 600 », « Présent·e » / « Absent·e »; and the same saved as ODS by LibreOffice
    for name in ("tableau-retours-ligne-excel.xlsx", "tableau-retours-ligne-excel.ods"):
        _import(run, empty_ws, VARIANTS / name)
        saint_denis = applications(empty_ws).get("saint-denis")
        assert saint_denis.contribution == 600
        elected = next(p for p in saint_denis.people if p.role.value == "elected")
        assert (elected.name, elected.email) == (
            "Éloïse N'Guessan", "eloise.nguessan@ville-saint-denis.fr"
        )  # fmt: skip
        assert elected.job_title == "Adjointe au maire chargée de la démocratie locale"
        assert_checked_as_the_example(run, empty_ws)


def test_a_currency_word_without_a_number_is_no_amount(empty_ws: Path, run, tmp_path: Path) -> None:
    export = tmp_path / "eur.csv"
    export.write_text(
        "Commune;Élu·e - Nom;Élu·e - Engagé(e);Contribution\nBondy;Ana Lima;Oui;EUR\n",
        encoding="utf-8",
    )
    result = run("import", export, "-w", empty_ws)
    assert result.exit_code == 1, result.output
    assert "« EUR » n'est pas un montant" in result.stderr


def test_a_ds_block_whose_roles_are_only_job_titles_is_joined(empty_ws: Path, run) -> None:
    # « Personnes engagées »: no role column, a neutral sheet name, « Fonction » = « Adjointe au
    # maire… », « Cheffe de projet… », « Délégué du préfet »: the role, and the job title kept
    result = _import(run, empty_ws, VARIANTS / "ds-bloc-fonctions.xlsx")
    assert "feuille « Personnes engagées » jointe" in result.stderr
    people = {p.name: p for p in applications(empty_ws).get("montreuil").people}
    assert people["Hélène Pradier-Kaci"].role.value == "elected"
    assert people["Ousmane Traoré"].role.value == "professional"
    assert people["Ousmane Traoré"].job_title == "Agent de développement local"
    assert people["Guillaume Le Goff"].role.value == "prefect_delegate"
    assert_checked_as_the_example(run, empty_ws)


def test_a_last_name_first_in_capitals_gives_the_same_person_and_id(empty_ws: Path, run) -> None:
    # « Mme N'GUESSAN Éloïse », « M. LE GOFF Guillaume »: the id the other exports give, so that
    # the example's keep_apart (« lucas-ferreira ») still names him; ISO UTC times, « 600 euros »
    _import(run, empty_ws, VARIANTS / "personnes-nom-prenom-majuscules.csv")
    loaded = applications(empty_ws)
    ids = {p.id: p.name for a in loaded.applications for p in a.people}
    assert ids["lucas-ferreira"] == "Lucas FERREIRA"
    assert ids["guillaume-le-goff"] == "Guillaume LE GOFF"
    assert ids["eloise-nguessan"] == "Éloïse N'GUESSAN"
    assert loaded.get("montreuil").contribution == 600
    assert_checked_as_the_example(run, empty_ws)


def test_people_stored_last_name_first_by_an_earlier_version_keep_their_ids(
    empty_ws: Path, run
) -> None:
    export = VARIANTS / "personnes-nom-prenom-majuscules.csv"
    _import(run, empty_ws, export)
    stored = empty_ws / "applications.toml"
    text = stored.read_text(encoding="utf-8")  # as the earlier version wrote it
    old = text.replace(
        'id = "karim-bouzid"\nname = "Karim BOUZID"', 'id = "bouzid-karim"\nname = "BOUZID Karim"'
    )
    assert old != text
    stored.write_text(old, encoding="utf-8")
    again = _import(run, empty_ws, export)
    assert "0 conflit(s)" in again.stdout and stored.read_text(encoding="utf-8") == old
    _import(run, empty_ws, export, "--replace")
    ids = {p.id for p in applications(empty_ws).get("aubervilliers").people}
    assert "bouzid-karim" in ids and "karim-bouzid" not in ids  # an id never changes


def test_role_columns_ticked_one_per_row_are_the_role(empty_ws: Path, run) -> None:
    # « Élu·e | Professionnel·le | DP » holding an X on each person's row, no role column
    result = _import(run, empty_ws, VARIANTS / "personnes-roles-en-colonnes.xlsx")
    assert "colonnes « Élu·e », « Professionnel·le », « DP » lues comme le rôle" in result.stderr
    assert _people(empty_ws, "bobigny")["sophie martin"][0] == "elected"
    assert _people(empty_ws, "montreuil")["sophie martin"][0] == "professional"
    assert_checked_as_the_example(run, empty_ws)


def test_sphinx_answers_as_code_and_label_are_read_by_their_label(empty_ws: Path, run) -> None:
    # « 1 - Oui », « 2 - Non » (Sphinx's « codes et libellés »)
    _import(run, empty_ws, VARIANTS / "sphinx-codes-libelles.csv")
    assert _people(empty_ws, "aulnay-sous-bois")["émilie saint-arnaud"][2] is False
    assert_checked_as_the_example(run, empty_ws)


def test_a_table_off_a1_with_dates_as_french_excel_shows_them(empty_ws: Path, run) -> None:
    # the table from B4 (a title in B2), « N° » in its first column, « 03-déc.-14 »
    for name in ("tableau-decale-b4.xlsx", "tableau-decale-b4.ods"):
        result = _import(run, empty_ws, VARIANTS / name)
        assert "en-têtes lus ligne 4" in result.stderr
        assert (
            applications(empty_ws).get("stains").submitted_at.isoformat() == "2014-12-15T00:00:00"
        )
        assert_checked_as_the_example(run, empty_ws)
