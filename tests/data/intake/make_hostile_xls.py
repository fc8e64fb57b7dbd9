"""Write the hostile old-Excel files of ``hostile.py`` (issue 16), through xlwt.

    pip install xlwt && python tests/data/intake/make_hostile_xls.py

They are small on disk and committed in ``tests/data/intake/hostile/`` (xlwt is needed only
here): ``xls-creux.xls``, two cells, in A1 and IV65536 (calamine would build a grid of 16.7
million cells); ``xls-chaines.xls``, one 32,000-character shared string in 4,000 cells (128
million characters once expanded).
"""

from __future__ import annotations

import io
from pathlib import Path

HERE = Path(__file__).resolve().parent / "hostile"
HEADER = ["Commune", "Élu·e - Nom", "Élu·e - Engagement nominatif", "Contribution financière (€)"]


def book_with_header():
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("Feuil1")
    for column, text in enumerate(HEADER):
        sheet.write(0, column, text)
    sheet.write(1, 0, "Bondy")
    sheet.write(1, 1, "Awa Diallo")
    sheet.write(1, 2, "oui")
    sheet.write(1, 3, 600)
    return book, sheet


def save(book, name: str) -> None:
    buffer = io.BytesIO()
    book.save(buffer)
    (HERE / name).write_bytes(buffer.getvalue())


def main() -> None:
    HERE.mkdir(exist_ok=True)
    book, sheet = book_with_header()
    sheet.write(65535, 255, "x")
    save(book, "xls-creux.xls")
    book, sheet = book_with_header()
    long = "A" * 32_000
    for n in range(4_000):
        sheet.write(2 + n // 4, 4 + n % 4, long)
    save(book, "xls-chaines.xls")


if __name__ == "__main__":
    main()
