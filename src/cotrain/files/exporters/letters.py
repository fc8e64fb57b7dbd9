"""Letters to the cities as .docx (to edit and sign on letterhead) and PDF (issue 11).

Both are written from the letter's Markdown, so that one template (``letters/<kind>.md``, the
workspace's or the packaged one) gives the four files. The Markdown a template may use:

- blank lines separate paragraphs; two spaces (or ``\\``) at a line's end break the line;
- ``# `` / ``## `` start a heading; lines starting ``- `` make a bullet list;
- lines starting ``> `` are set in the right-hand column (the addressee, the place and date),
  as a French letter lays them out;
- ``**bold**`` inside a line.

**Letterhead.** A ``letters/letterhead.docx`` in the workspace (any Word or LibreOffice document
whose header holds the centre's logo and address) is the base of every .docx letter: its
header, footer, margins and styles are kept and the letter's body replaces its content. A
``letters/logo.png`` (or ``.jpg``) is printed at the top left of every PDF letter.

Why .docx: the ``python-docx`` wheel is pure Python (its ``lxml`` dependency ships binary wheels
for every usual platform), and .docx opens in Word and LibreOffice alike; ``odfpy``, the .odt
library, is published without a wheel. Imported only by ``cotrain letters``.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

_BOLD = re.compile(r"\*\*(.+?)\*\*")
_HARD = re.compile(r"( {2,}|\\)$")


@dataclass
class LetterBlock:
    kind: str  # "h1", "h2", "p", "right", "list"
    lines: list[str] = field(default_factory=list)  # paragraph lines (hard breaks between)


def letter_blocks(markdown: str) -> list[LetterBlock]:
    """The Markdown of a letter cut into headings, paragraphs, right-column blocks and lists."""
    blocks: list[LetterBlock] = []
    for chunk in re.split(r"\n[ \t]*\n", markdown.strip("\n")):
        raw = [line for line in chunk.split("\n") if line.strip()]
        if not raw:
            continue
        if len(raw) == 1 and raw[0].startswith("#"):
            level = len(raw[0]) - len(raw[0].lstrip("#"))
            blocks.append(LetterBlock("h1" if level == 1 else "h2", [raw[0].lstrip("#").strip()]))
            continue
        if all(line.startswith("> ") or line == ">" for line in raw):
            blocks.append(LetterBlock("right", [_HARD.sub("", line[2:]) for line in raw]))
            continue
        if all(line.startswith("- ") for line in raw):
            blocks.append(LetterBlock("list", [line[2:].strip() for line in raw]))
            continue
        # A paragraph: hard breaks keep lines apart, soft ones join with a space.
        lines: list[str] = []
        joined = ""
        for line in raw:
            hard = bool(_HARD.search(line))
            text = _HARD.sub("", line).strip()
            joined = f"{joined} {text}".strip() if joined else text
            if hard:
                lines.append(joined)
                joined = ""
        if joined:
            lines.append(joined)
        blocks.append(LetterBlock("p", lines))
    return blocks


def _runs(text: str) -> list[tuple[str, bool]]:
    """``a **b** c`` -> [("a ", False), ("b", True), (" c", False)]."""
    out: list[tuple[str, bool]] = []
    position = 0
    for found in _BOLD.finditer(text):
        if found.start() > position:
            out.append((text[position : found.start()], False))
        out.append((found.group(1), True))
        position = found.end()
    if position < len(text):
        out.append((text[position:], False))
    return out


def plain(text: str) -> str:
    return _BOLD.sub(lambda m: m.group(1), text)


# --- .docx -------------------------------------------------------------------------------------


def letter_docx(markdown: str, *, title: str, letterhead: Path | None = None) -> bytes:
    """The letter as a .docx (A4, 2.5 cm margins unless the letterhead sets its own)."""
    from docx import Document
    from docx.enum.text import WD_BREAK
    from docx.shared import Cm, Pt

    document = Document(str(letterhead)) if letterhead else Document()
    body = document.element.body
    if letterhead:  # keep the section (header, footer, margins), drop the sample content
        for child in list(body):
            if not child.tag.endswith("}sectPr"):
                body.remove(child)
    else:
        section = document.sections[0]
        section.page_height, section.page_width = Cm(29.7), Cm(21.0)
        for side in ("left_margin", "right_margin"):
            setattr(section, side, Cm(2.5))
        section.top_margin, section.bottom_margin = Cm(2.0), Cm(2.0)
        normal = document.styles["Normal"]
        normal.font.name = "Arial"
        normal.font.size = Pt(11)
    document.core_properties.title = title
    document.core_properties.author = "cotrain"
    styles = {s.name for s in document.styles}

    def paragraph(lines: Sequence[str], *, indent: float = 0, bold: bool = False) -> Any:
        para = document.add_paragraph()
        if indent:
            para.paragraph_format.left_indent = Cm(indent)
        para.paragraph_format.space_after = Pt(8)
        for index, line in enumerate(lines):
            for text, strong in _runs(line):
                run = para.add_run(text)
                run.bold = strong or bold
            if index < len(lines) - 1:  # an empty line has no run of its own: add one
                (para.runs[-1] if para.runs else para.add_run()).add_break(WD_BREAK.LINE)
        return para

    blocks = letter_blocks(markdown)
    for index, block in enumerate(blocks):
        if block.kind == "right" and index == len(blocks) - 1 and index > 0:
            document.add_paragraph()  # room for the signature and stamp
        if block.kind in ("h1", "h2"):
            para = paragraph(block.lines, bold=True)
            para.paragraph_format.space_before = Pt(10)
            para.paragraph_format.keep_with_next = True
            for run in para.runs:
                run.font.size = Pt(13 if block.kind == "h1" else 11.5)
        elif block.kind == "right":
            paragraph(block.lines, indent=9.0)
        elif block.kind == "list":
            for item in block.lines:
                if "List Bullet" in styles:
                    para = document.add_paragraph(style="List Bullet")
                    for text, strong in _runs(item):
                        para.add_run(text).bold = strong
                else:
                    paragraph([f"• {item}"], indent=0.6)
        else:
            paragraph(block.lines)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# --- PDF ---------------------------------------------------------------------------------------


def letter_pdf(markdown: str, *, title: str, logo: Path | None = None) -> bytes:
    """The letter as an A4 PDF with embedded DejaVu fonts (the fonts of the other documents)."""
    import logging

    from fpdf import FPDF

    from cotrain.files.exporters.documents import FONT, _font_paths
    from cotrain.i18n import get_language

    logging.getLogger("fpdf").setLevel(logging.ERROR)  # missing glyphs are names: never log
    pdf = FPDF(format="A4", unit="mm")
    regular, bold = _font_paths()
    pdf.add_font(FONT, "", regular)
    pdf.add_font(FONT, "B", bold)
    pdf.set_margins(25, 20, 25)
    pdf.set_auto_page_break(True, margin=20)
    pdf.set_title(title)
    pdf.set_creator("cotrain")
    pdf.set_lang(get_language())
    pdf.add_page()
    if logo is not None:
        pdf.image(str(logo), x=25, y=12, h=18)
        pdf.set_y(34)
    left = pdf.l_margin
    width = pdf.w - pdf.l_margin - pdf.r_margin
    line = 5.6

    def write_line(text: str, *, size: float = 10.5, bold: bool = False) -> None:
        for part, strong in _runs(text):
            pdf.set_font(FONT, "B" if (strong or bold) else "", size)
            pdf.write(line, part)
        pdf.ln(line)

    blocks = letter_blocks(markdown)
    for index, block in enumerate(blocks):
        if block.kind == "right" and index == len(blocks) - 1 and index > 0:
            # The signatory at the end: room above the name for the signature and stamp.
            if pdf.get_y() > pdf.h - 60:
                pdf.add_page()
            pdf.ln(14)
        if block.kind in ("h1", "h2"):
            if pdf.get_y() > pdf.h - 45:
                pdf.add_page()
            pdf.ln(2)
            pdf.set_font(FONT, "B", 12.5 if block.kind == "h1" else 11)
            pdf.multi_cell(width, 6, plain(block.lines[0]), new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1)
        elif block.kind == "right":
            pdf.set_left_margin(left + 85)
            pdf.set_x(left + 85)
            for text in block.lines:
                write_line(text)
            pdf.set_left_margin(left)
            pdf.set_x(left)
            pdf.ln(3)
        elif block.kind == "list":
            for item in block.lines:
                pdf.set_font(FONT, "", 10.5)
                pdf.set_x(left + 2)
                pdf.cell(5, line, "•")
                pdf.set_left_margin(left + 7)
                write_line(item)
                pdf.set_left_margin(left)
                pdf.set_x(left)
                pdf.ln(1)
            pdf.ln(2)
        else:
            for text in block.lines:
                write_line(text)
            pdf.ln(3)
    return bytes(pdf.output())


def workspace_asset(folder: Path, *names: str) -> Path | None:
    """The first of ``names`` that exists in the workspace's ``letters/`` folder."""
    for name in names:
        candidate = folder / name
        if candidate.is_file():
            return candidate
    return None
