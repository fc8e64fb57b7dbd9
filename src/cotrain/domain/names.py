"""One way to turn names into ids and labels into matching keys (issue 16).

Used by import, replace and every lookup by name, so that a person gets the same id wherever
it is made: ``Éloïse N'Guessan`` is ``eloise-nguessan`` everywhere, ``Lœuillet`` is
``loeuillet`` (ligatures and letters without a decomposition are transliterated, not dropped).
Ids already stored never change: they are kept by the import, keyed by these slugs.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

APOSTROPHES = str.maketrans({"\u2019": "'", "\u02bc": "'", "`": "'", "\u00b4": "'", "\u2018": "'"})
# Letters NFKD does not decompose into ascii.
_LETTERS = str.maketrans(
    {
        "œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss", "ø": "o", "Ø": "O",
        "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "þ": "th", "Þ": "TH",
        "ı": "i", "ĸ": "k", "ŋ": "n", "Ŋ": "N",
    }
)  # fmt: skip
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


@lru_cache(maxsize=65536)  # cells repeat: city, role, territory on every row
def strip_accents(text: str) -> str:
    """``Éloïse Lœuillet`` -> ``Eloise Loeuillet``."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text.translate(_LETTERS))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=65536)
def slugify(text: str, default: str = "x") -> str:
    """A readable ascii id: ``Éloïse N'Guessan`` -> ``eloise-nguessan``; apostrophes vanish."""
    if text.isascii():  # most names: the same steps, those that change ascii text only
        text = text.replace("`", "").replace("'", "").lower()
        return _NON_ALNUM.sub("-", text).strip("-") or default
    text = unicodedata.normalize("NFC", text).translate(APOSTROPHES).replace("'", "")
    text = strip_accents(text).casefold()
    return _NON_ALNUM.sub("-", text).strip("-") or default
