"""One slug for ids everywhere (issue 16)."""

from __future__ import annotations

import pytest

from cotrain.domain import intake, names
from cotrain.domain.scheduling import replan


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Éloïse N'Guessan", "eloise-nguessan"),
        ("Éloïse N’Guessan", "eloise-nguessan"),
        ("Jean-François Lefèvre-Duval", "jean-francois-lefevre-duval"),
        ("Lœuillet", "loeuillet"),
        ("Ægidius Øster", "aegidius-oster"),
        ("Nathalie Öztürk", "nathalie-ozturk"),
    ],
)
def test_import_and_replace_give_the_same_id(name: str, slug: str) -> None:
    assert names.slugify(name) == slug
    assert intake.slugify(name) == slug
    assert replan.slugify(name) == slug


def test_an_empty_name_falls_back() -> None:
    assert names.slugify("\u200b") == "x"
    assert replan.slugify("'") == "personne"
