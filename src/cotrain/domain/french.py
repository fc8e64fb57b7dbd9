"""French prepositions before a place or a body's name: « au Centre », « à l'Île-Saint-Denis »,
« d'Aulnay-sous-Bois », « de la Préfecture » (issue 11: "au Centre", not "à Centre").

Pure string rules, no dictionary: a name that starts with an article keeps it and contracts
(« Le Blanc-Mesnil » → « au Blanc-Mesnil »); a name that starts with a common noun of a place
(Centre, Maison, Espace …) takes the article of that noun; any other name is a proper name
(a town) and takes « à » / « de », elided before a vowel or a mute h.
"""

from __future__ import annotations

import unicodedata

# Common nouns that open a place's name, by gender. Lower-case, without accents.
_MASCULINE = {
    "centre",
    "foyer",
    "college",
    "lycee",
    "musee",
    "palais",
    "theatre",
    "chateau",
    "conseil",
    "departement",
    "ministere",
    "campus",
    "siege",
    "service",
    "pole",
    "local",
    "secours",
    "institut",
    "hotel",
    "espace",
    "etablissement",
    "office",
    "observatoire",
    "atelier",
}
_FEMININE = {
    "maison",
    "salle",
    "mairie",
    "prefecture",
    "cite",
    "mediatheque",
    "bibliotheque",
    "universite",
    "ecole",
    "region",
    "direction",
    "association",
    "federation",
    "agence",
    "residence",
    "halle",
    "bourse",
    "fondation",
    "communaute",
    "caisse",
}
_VOWELS = set("aeiouyh")


def _plain(word: str) -> str:
    decomposed = unicodedata.normalize("NFD", word.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _starts_with_vowel(text: str) -> bool:
    first = _plain(text[:1])
    return first in _VOWELS


def _article(name: str) -> tuple[str, str]:
    """(article, rest): ``("le", "Blanc-Mesnil")``, ``("", "Pierrelaye")``, ``("l'", "Île…")``."""
    stripped = name.strip()
    lowered = stripped.lower()
    for article in ("les ", "le ", "la "):
        if lowered.startswith(article):
            return article.strip(), stripped[len(article) :]
    for article in ("l'", "l’"):
        if lowered.startswith(article):
            return "l'", stripped[len(article) :]
    first = _plain(stripped.split(" ", 1)[0].split("-", 1)[0])
    if first in _MASCULINE or first in _FEMININE:
        if _starts_with_vowel(stripped):
            return "l'*", stripped  # article implied by the noun, kept in the name
        return ("le*" if first in _MASCULINE else "la*"), stripped
    return "", stripped


def to_place(name: str) -> str:
    """« à Pierrelaye », « au Centre international », « à la Maison … », « à l'Espace … »."""
    article, rest = _article(name)
    return {
        "les": f"aux {rest}",
        "le": f"au {rest}",
        "la": f"à la {rest}",
        "l'": f"à l'{rest}",
        "le*": f"au {rest}",
        "la*": f"à la {rest}",
        "l'*": f"à l'{rest}",
    }.get(article, f"à {rest}")


def of_place(name: str) -> str:
    """« de Pierrelaye », « d'Aulnay-sous-Bois », « du Blanc-Mesnil », « de la Préfecture »."""
    article, rest = _article(name)
    if article in ("les",):
        return f"des {rest}"
    if article in ("le", "le*"):
        return f"du {rest}"
    if article in ("la", "la*"):
        return f"de la {rest}"
    if article in ("l'", "l'*"):
        return f"de l'{rest}"
    return f"d'{rest}" if _starts_with_vowel(rest) else f"de {rest}"
