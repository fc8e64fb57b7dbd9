"""A little French grammar for place names and dates in documents (issue 11).

Letters and certificates put city names after a preposition, where French elides and
contracts: "la ville **d'**Aulnay-sous-Bois", "**d'**Épinay-sur-Seine", "**de** Vaulx-en-Velin",
"**de** L'Île-Saint-Denis", "**du** Blanc-Mesnil" (Le Blanc-Mesnil), "**des** Lilas"
(Les Lilas), "**au** Pré-Saint-Gervais", "**aux** Lilas", "**à** La Courneuve".

Rules:

- *de* before a vowel sound (a, e, i, o, u, y with or without an accent, œ, æ) becomes *d'*;
  before **h** it does not by default (many place names start with an aspirated h:
  "de Hautmont", "de Houilles"); pass ``elide_h=True`` for a mute h ("d'Hérouville").
- a name starting with the article *Le* / *Les* contracts it: *de Le* → *du*, *de Les* →
  *des*, *à Le* → *au*, *à Les* → *aux*; *La* and *L'* stay as they are, capitalised as the
  official name writes them ("de La Courneuve", "de L'Île-Saint-Denis").

The apostrophe written is the typographic one (’) only if the name itself uses it; else the
straight one, as the rest of cotrain's French text.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

_VOWELS = set("aeiouyœæ")
_MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)
_ARTICLE = re.compile(r"^(Les|Le|La|L['’])(\s*)(.*)$", re.IGNORECASE)


def _bare_first_letter(word: str) -> str:
    """The first letter of ``word`` without accent, lower case ("É" -> "e")."""
    for char in word:
        if char.isalpha():
            decomposed = unicodedata.normalize("NFD", char)[0]
            return decomposed.lower()
    return ""


def starts_with_vowel_sound(word: str, *, elide_h: bool = False) -> bool:
    """Whether French elides before ``word``: a vowel (accents ignored), or h when asked."""
    first = _bare_first_letter(word)
    if first in _VOWELS:
        return True
    return elide_h and first == "h"


def _article(name: str) -> tuple[str, str] | None:
    """(article as written, rest) when ``name`` starts with Le / Les / La / L'."""
    found = _ARTICLE.match(name.strip())
    if not found:
        return None
    article, space, rest = found.group(1), found.group(2), found.group(3)
    if article.lower() in ("le", "les", "la") and not space:
        return None  # "Lens", "Laval": a word, not an article
    return article, rest


def de(name: str, *, elide_h: bool = False) -> str:
    """``name`` after *de*: "d'Aulnay-sous-Bois", "du Blanc-Mesnil", "de L'Île-Saint-Denis"."""
    name = name.strip()
    found = _article(name)
    if found:
        article, rest = found
        if article.lower() == "le":
            return f"du {rest}"
        if article.lower() == "les":
            return f"des {rest}"
        return f"de {name}"
    if starts_with_vowel_sound(name, elide_h=elide_h):
        return f"d'{name}"
    return f"de {name}"


# The common nouns organisations' names start with, and their gender (for "du", "de la").
_BODY_MASCULINE = {
    "centre", "comité", "conseil", "collectif", "syndicat", "service", "département",
    "groupement", "réseau", "secours", "mouvement", "institut", "office", "pôle", "ministère",
    "cabinet", "cnfpt", "ccas", "cias", "gip", "chu", "crpv", "cget", "siège", "bureau",
}  # fmt: skip
_BODY_FEMININE = {
    "association", "fédération", "fondation", "maison", "mairie", "ville", "métropole",
    "communauté", "direction", "préfecture", "région", "caisse", "mission", "union", "agence",
    "ddets", "dreets", "caf", "coopérative", "école", "université", "délégation", "plateforme",
}  # fmt: skip


def de_body(name: str) -> str:
    """An organisation's name after *de*, with the article its first word takes: "du Centre de
    ressources …", "de la Métropole de Lyon", "de l'Association …", "du CNFPT", "d'ATD Quart
    Monde" (a proper name: as :func:`de`)."""
    name = name.strip()
    first = re.split(r"[\s'’-]", name, maxsplit=1)[0]
    word = first.casefold()
    if word in _BODY_MASCULINE or word in _BODY_FEMININE:
        if starts_with_vowel_sound(first) and not first.isupper():
            return f"de l'{name}"
        return f"du {name}" if word in _BODY_MASCULINE else f"de la {name}"
    return de(name)


def a(name: str) -> str:
    """``name`` after *à*: "à Saint-Denis", "au Blanc-Mesnil", "aux Lilas", "à La Courneuve"."""
    name = name.strip()
    found = _article(name)
    if found:
        article, rest = found
        if article.lower() == "le":
            return f"au {rest}"
        if article.lower() == "les":
            return f"aux {rest}"
    return f"à {name}"


# Common nouns a place (not a town) often starts with, and their gender: "au Centre
# international…", "à la Maison des associations", "à l'Hôtel de ville".
_PLACE_NOUNS = {
    "centre": "m",
    "foyer": "m",
    "palais": "m",
    "théâtre": "m",
    "musée": "m",
    "campus": "m",
    "domaine": "m",
    "château": "m",
    "siège": "m",
    "local": "m",
    "lycée": "m",
    "collège": "m",
    "gymnase": "m",
    "pôle": "m",
    "conseil": "m",
    "maison": "f",
    "salle": "f",
    "mairie": "f",
    "bourse": "f",
    "préfecture": "f",
    "médiathèque": "f",
    "bibliothèque": "f",
    "cité": "f",
    "halle": "f",
    "ferme": "f",
    "résidence": "f",
    "université": "f",
    "école": "f",
    "hôtel": "m",
    "espace": "m",
    "institut": "m",
    "auditorium": "m",
    "atelier": "m",
}


def a_place(place: str) -> str:
    """A venue after *à*: "au Centre international ATD Quart Monde", "à la Maison des
    associations", "à l'Espace Gagarine"; a town or a name without a known noun: "à Pierrelaye"."""
    place = place.strip()
    first = place.split(maxsplit=1)[0] if place else ""
    gender = _PLACE_NOUNS.get(first.lower())
    if gender is None:
        return a(place)
    # The venue's name keeps its capital: "au Centre international ATD Quart Monde".
    if starts_with_vowel_sound(first, elide_h=True):
        return f"à l'{place}"
    return f"au {place}" if gender == "m" else f"à la {place}"


def mayor_title(gender: str) -> str:
    """ "Madame la Maire" / "Monsieur le Maire"; unknown: "Madame, Monsieur le Maire"."""
    if gender == "f":
        return "Madame la Maire"
    if gender == "m":
        return "Monsieur le Maire"
    return "Madame, Monsieur le Maire"


def date_in_words(value: date) -> str:
    """ "1er décembre 2014", "19 décembre 2014": a date as a French letter writes it."""
    day = "1er" if value.day == 1 else str(value.day)
    return f"{day} {_MONTHS[value.month - 1]} {value.year}"
