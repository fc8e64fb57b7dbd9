"""French elision and contraction of place names (issue 11)."""

from __future__ import annotations

from datetime import date

import pytest

from cotrain.domain.french import a, a_place, date_in_words, de, mayor_title


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Aulnay-sous-Bois", "d'Aulnay-sous-Bois"),
        ("Épinay-sur-Seine", "d'Épinay-sur-Seine"),
        ("Aubervilliers", "d'Aubervilliers"),
        ("Vaulx-en-Velin", "de Vaulx-en-Velin"),
        ("L'Île-Saint-Denis", "de L'Île-Saint-Denis"),
        ("Le Blanc-Mesnil", "du Blanc-Mesnil"),
        ("Les Lilas", "des Lilas"),
        ("La Courneuve", "de La Courneuve"),
        ("Oullins", "d'Oullins"),
        ("Écully", "d'Écully"),
        ("Yzeure", "d'Yzeure"),
        ("Houilles", "de Houilles"),
        ("Lens", "de Lens"),
        ("Laval", "de Laval"),
        ("Saint-Priest", "de Saint-Priest"),
        ("Villeurbanne", "de Villeurbanne"),
    ],
)
def test_de_elides_and_contracts(name: str, expected: str) -> None:
    assert de(name) == expected


def test_de_elides_before_a_mute_h_when_asked() -> None:
    assert de("Hérouville-Saint-Clair", elide_h=True) == "d'Hérouville-Saint-Clair"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Saint-Denis", "à Saint-Denis"),
        ("Le Blanc-Mesnil", "au Blanc-Mesnil"),
        ("Les Lilas", "aux Lilas"),
        ("La Courneuve", "à La Courneuve"),
        ("L'Île-Saint-Denis", "à L'Île-Saint-Denis"),
        ("Épinay-sur-Seine", "à Épinay-sur-Seine"),
    ],
)
def test_a_contracts_le_and_les(name: str, expected: str) -> None:
    assert a(name) == expected


@pytest.mark.parametrize(
    ("place", "expected"),
    [
        ("Centre international ATD Quart Monde", "au Centre international ATD Quart Monde"),
        ("Maison des associations", "à la Maison des associations"),
        ("Hôtel de ville", "à l'Hôtel de ville"),
        ("Espace Gagarine", "à l'Espace Gagarine"),
        ("Pierrelaye", "à Pierrelaye"),
    ],
)
def test_a_place_uses_the_noun_s_gender(place: str, expected: str) -> None:
    assert a_place(place) == expected


def test_mayor_titles_agree_with_the_mayor() -> None:
    assert mayor_title("f") == "Madame la Maire"
    assert mayor_title("m") == "Monsieur le Maire"
    assert mayor_title("") == "Madame, Monsieur le Maire"


def test_dates_in_words_write_the_first_of_the_month_1er() -> None:
    assert date_in_words(date(2014, 12, 1)) == "1er décembre 2014"
    assert date_in_words(date(2015, 8, 19)) == "19 août 2015"
