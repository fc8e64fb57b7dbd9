from __future__ import annotations

from datetime import date
from decimal import Decimal

from cotrain.i18n import (
    NBSP,
    catalogue,
    detect_language,
    format_date,
    format_money,
    format_percent,
    set_language,
    t,
)


def test_money_prints_the_french_way() -> None:
    assert format_money(Decimal("1500"), lang="fr") == f"1{NBSP}500,00{NBSP}€"
    assert format_money(Decimal("36000.5"), lang="fr") == f"36{NBSP}000,50{NBSP}€"
    assert format_money(Decimal("-12.345"), lang="fr") == f"-12,35{NBSP}€"
    assert format_money(Decimal("1500"), lang="en") == "€1,500.00"


def test_percent_rounds_half_up() -> None:
    assert format_percent(Decimal("0.945"), lang="fr") == f"95{NBSP}%"
    assert format_percent(Decimal("0.9449"), lang="en") == "94%"
    assert format_percent(Decimal("0.12345"), decimals=2, lang="en") == "12.35%"


def test_dates_print_the_french_way() -> None:
    assert format_date(date(2015, 1, 22), lang="fr") == "22/01/2015"
    assert format_date(date(2015, 1, 22), long=True, lang="fr") == "jeudi 22 janvier 2015"
    assert format_date(date(2015, 2, 1), long=True, lang="fr") == "dimanche 1er février 2015"
    assert format_date(date(2015, 1, 22), long=True, lang="en") == "Thursday 22 January 2015"


def test_every_key_exists_in_both_languages() -> None:
    fr, en = set(catalogue("fr")), set(catalogue("en"))
    assert sorted(fr - en) == []
    assert sorted(en - fr) == []


def test_placeholders_agree_between_languages() -> None:
    import string

    def fields(text: str) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}

    fr, en = catalogue("fr"), catalogue("en")
    mismatched = [key for key in fr if key in en and fields(fr[key]) != fields(en[key])]
    assert mismatched == []


def test_missing_parameter_never_crashes() -> None:
    assert t("init.exists") == "{file} existe déjà"


def test_language_comes_from_flag_env_or_workspace(tmp_path) -> None:
    (tmp_path / "cotrain.toml").write_text('schema = 1\nlanguage = "en"\n')
    assert detect_language(["check", "--lang", "en"], env={}) == "en"
    assert detect_language(["check"], env={"COTRAIN_LANG": "en"}) == "en"
    assert detect_language(["-w", str(tmp_path), "check"], env={}) == "en"
    assert detect_language(["check"], env={"COTRAIN_WORKSPACE": str(tmp_path / "none")}) == "fr"


def test_long_error_lists_show_the_first_problems_and_count_the_rest() -> None:
    from cotrain.errors import MAX_DETAILS_SHOWN, InputError

    error = InputError("bad file", details=[f"row {n}" for n in range(MAX_DETAILS_SHOWN + 7)])

    lines = error.render().splitlines()

    assert lines[MAX_DETAILS_SHOWN] == f"  - row {MAX_DETAILS_SHOWN - 1}"
    assert lines[MAX_DETAILS_SHOWN + 1] == "  … et 7 autre(s) problème(s) du même fichier."
    assert len(lines) == MAX_DETAILS_SHOWN + 2


def test_a_count_agrees_with_its_noun_in_each_language() -> None:
    from cotrain.i18n import t

    key = "certificates.duration"
    args = {"hours": "3 h", "expected_hours": "27 h", "expected": 9}
    assert "(1 demi-journée suivie sur 9 ;" in t(key, lang="fr", half_days=1, **args)
    assert "(0 demi-journée suivie sur 9 ;" in t(key, lang="fr", half_days=0, **args)
    assert "(9 demi-journées suivies sur 9 ;" in t(key, lang="fr", half_days=9, **args)
    assert "(1 half-day attended of 9;" in t(key, lang="en", half_days=1, **args)
    assert "(0 half-days attended of 9;" in t(key, lang="en", half_days=0, **args)


def test_help_language_of_a_configuration_saved_with_a_bom(tmp_path) -> None:
    (tmp_path / "cotrain.toml").write_bytes(b'\xef\xbb\xbflanguage = "en"\n')
    (tmp_path / "broken" / "cotrain.toml").parent.mkdir()
    (tmp_path / "broken" / "cotrain.toml").write_text('language = "en\n', encoding="utf-8")

    assert detect_language(["-w", str(tmp_path), "check"], env={}) == "en"
    assert detect_language(["-w", str(tmp_path / "broken"), "check"], env={}) == "fr"
    set_language("fr")
