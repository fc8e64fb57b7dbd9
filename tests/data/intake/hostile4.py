"""Hostile and odd inputs, fourth round (issue 16): each builder returns ``(file name, bytes)``.

Aimed at what the fourth round reads: markup in headers, month-first date columns, quiz
scores, postcodes in cities, civilities before names, amounts with a tax mention, and a
UTF-16 text cut in the middle of a character. ``REFUSED`` must give exit 1 with
``applications.toml`` unchanged; ``COSTLY`` are refused or imported, and are about the work
they cost (``python benchmarks/bench_hostile.py DIR --set hostile4`` measures time and memory).
``python hostile4.py FOLDER`` writes them all.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from hostile3 import HEADER, _csv  # noqa: E402

# --- refused -----------------------------------------------------------------------------


def csv_utf16_cut_mid_character() -> tuple[str, bytes]:
    """Excel's « Texte Unicode » (UTF-16 with BOM, tabs) cut after an odd number of bytes."""
    rows = [HEADER, ["Bondy", "Ana Lima", "Oui", "600"], ["Sevran", "Paul Roy", "Oui", "600"]]
    data = _csv(rows, delimiter="\t", encoding="utf-16")
    return "texte-unicode-coupe.txt", data[:-3]


def csv_markup_only_headers() -> tuple[str, bytes]:
    """Question texts that are only markup: no header is left to read."""
    head = ["<p></p>", "<p>&nbsp;</p>", "<br/>", "<!-- -->"]
    return "balises-vides.csv", _csv([head, ["Bondy", "Ana Lima", "Oui", "600"]])


def csv_amount_tax_words_only() -> tuple[str, bytes]:
    """An amount that is only a tax mention, or a dash: not a sum."""
    rows = [HEADER, ["Bondy", "Ana Lima", "Oui", "€ TTC"], ["Sevran", "Paul Roy", "Oui", ",-"]]
    return "montant-ttc-seul.csv", _csv(rows)


def csv_civility_alone() -> tuple[str, bytes]:
    """A person named by a civility only: no name is left (« Madame »)."""
    rows = [HEADER, ["Bondy", "Madame ", "Oui", "600"]]
    return "civilite-seule.csv", _csv(rows)


def _zip(members: dict[str, bytes]) -> bytes:
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def zip_two_tables() -> tuple[str, bytes]:
    """A zip holding two tables: which one is meant cannot be guessed."""
    table = _csv([HEADER, ["Bondy", "Ana Lima", "Oui", "600"]])
    return "deux-tableaux.zip", _zip({"a.csv": table, "b.csv": table})


def zip_in_zip() -> tuple[str, bytes]:
    """A zip whose one « .csv » is itself a zip: opened once, never twice."""
    inner = _zip({"reponses.csv": _csv([HEADER, ["Bondy", "Ana Lima", "Oui", "600"]])})
    return "zip-dans-zip.csv.zip", _zip({"reponses.csv": inner})


def zip_member_bomb() -> tuple[str, bytes]:
    """A zip of 200 kB holding a 200 MB « CSV »: over the file size limit, never unpacked."""
    return "bombe.csv.zip", _zip({"reponses.csv": b"0" * 200_000_000})


# --- costly ------------------------------------------------------------------------------


def csv_month_first_many_rows() -> tuple[str, bytes]:
    """30,000 rows whose submission times are month first: the column is turned round once."""
    head = ["Timestamp", "Commune", "Élu·e - Nom", "Élu·e - Engagement nominatif",
            "Contribution financière (€)"]  # fmt: skip
    rows = [head] + [
        [f"12/{13 + n % 15}/2014 9:{n % 60:02d}:00", f"Ville {n}", f"Ana Lima{n}", "Oui", "600"]
        for n in range(30_000)
    ]
    return "horodatage-mois-jour.csv", _csv(rows, delimiter=",")


def csv_markup_header_huge() -> tuple[str, bytes]:
    """A header of 4 MB of unclosed tags, comments and entities."""
    head = [*HEADER, "<!--<p&nbsp;" * 350_000]
    return "balises-enormes.csv", _csv([head, ["Bondy", "Ana Lima", "Oui", "600", "x"]])


def csv_postcodes_and_civilities_many() -> tuple[str, bytes]:
    """60,000 people of one city written « 93200 Saint-Denis CEDEX », each « Madame … »."""
    head = ["Commune", "Rôle", "Nom", "Engagé(e)", "Contribution"]
    rows = [head] + [
        ["93200 Saint-Denis CEDEX", "Professionnel(le)", f"Madame Ana Lima {n}", "Oui", "600 € TTC"]
        for n in range(60_000)
    ]
    return "codes-postaux-civilites.csv", _csv(rows)


REFUSED: list[Callable[[], tuple[str, bytes]]] = [
    csv_utf16_cut_mid_character,
    csv_markup_only_headers,
    csv_amount_tax_words_only,
    csv_civility_alone,
    zip_two_tables,
    zip_in_zip,
    zip_member_bomb,
]
COSTLY: list[Callable[[], tuple[str, bytes]]] = [
    csv_month_first_many_rows,
    csv_markup_header_huge,
    csv_postcodes_and_civilities_many,
]
BUILDERS = [*REFUSED, *COSTLY]


if __name__ == "__main__":
    folder = Path(sys.argv[1])
    folder.mkdir(parents=True, exist_ok=True)
    for build in BUILDERS:
        name, data = build()
        (folder / name).write_bytes(data)
        print(name, len(data))
