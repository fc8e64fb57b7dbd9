"""Group labels cotrain generated are said again in the document's language (issue 11)."""

from __future__ import annotations

import pytest

from cotrain.domain.timetable import localised_label
from cotrain.i18n import set_language


@pytest.fixture
def english():
    set_language("en")
    yield
    set_language("fr")


@pytest.mark.parametrize(
    ("french", "english_label"),
    [
        ("Tout le groupe", "Whole group"),
        ("Équipe d'animation", "Trainers' team"),
        ("Groupe croisé 3", "Mixed group 3"),
        ("Binôme 17", "Pair 17"),
        ("Trio 2", "Trio 2"),
        ("Groupe de pairs : élu·es", "Peer group: elected officials"),
        (
            "Groupe de pairs : professionnel·les et délégué·es du préfet (2/3)",
            "Peer group: professionals and prefect's delegates (2/3)",
        ),
    ],
)
def test_generated_french_labels_read_in_english(english, french, english_label) -> None:
    assert localised_label(french) == english_label


def test_a_label_written_by_hand_is_kept(english) -> None:
    assert localised_label("Atelier théâtre-forum") == "Atelier théâtre-forum"


def test_english_labels_read_in_french() -> None:
    set_language("fr")
    assert localised_label("Whole group") == "Tout le groupe"
    assert localised_label("Mixed group 1") == "Groupe croisé 1"
