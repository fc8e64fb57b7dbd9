"""Certificates of attendance (certificats de réalisation), one per person: Markdown, HTML, PDF.

The text follows the content of the ministry's model (2020): the training body and its
declaration number, the person, the action and its dates, the time attended (half-days and
hours, from the session times in ``cotrain.toml``), place and date of issue, signature.
Files are written atomically, owner-only, under names that cannot leave the chosen folder.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from cotrain.domain.attendance import format_clock, format_minutes
from cotrain.domain.config import Config
from cotrain.domain.rates import CertificateFigures
from cotrain.enums import Role
from cotrain.i18n import format_date, format_number, get_language, t

CERTIFICATE_FORMATS = ("md", "html", "pdf")
DEFAULT_FORMATS = ("md", "html")


@dataclass(frozen=True)
class CertificateText:
    title: str
    paragraphs: list[str]
    sessions_heading: str
    sessions: list[str]
    closing: list[str]


def hours_text(hours: Decimal) -> str:
    decimals = 0 if hours == hours.to_integral_value() else 2
    return format_number(hours.normalize(), decimals=decimals)


def issue_place(address: str, site: str) -> str:
    """The town of the address (``12 rue Pasteur, 95480 Pierrelaye`` -> ``Pierrelaye``)."""
    found = re.search(r"\b\d{5}\s+(.+)$", address)
    if found:
        return found.group(1).strip()
    return address or site or "—"


def certificate_text(
    config: Config, figures: CertificateFigures, *, issued: date
) -> CertificateText:
    """The words of one certificate, in the current language."""
    programme = config.programme
    person = figures.participant
    start = min((s.date for s in config.plan.trainee_sessions), default=None)
    end = max((s.date for s in config.plan.trainee_sessions), default=None)
    organisers = ", ".join(programme.organisers) or "—"
    where = (
        person.city if person.role != Role.ACTIVIST else (person.organisation or t("role.activist"))
    )
    paragraphs = [
        t("certificates.signatory", manager=programme.manager or "—", organisers=organisers),
        t(
            "certificates.person",
            name=person.name,
            role=t(f"role.{person.role.value}"),
            where=where,
        ),
        t(
            "certificates.action",
            programme=programme.name,
            start=format_date(start) if start else "—",
            end=format_date(end) if end else "—",
            site=", ".join(x for x in (programme.site, programme.address) if x) or "—",
        ),
        t("certificates.nature"),
        t(
            "certificates.attended",
            half_days=figures.half_days,
            expected=figures.expected,
            hours=format_minutes(figures.minutes),
            expected_hours=format_minutes(int(figures.expected_hours * 60)),
        ),
        t("certificates.training_number", number=programme.training_number or "—"),
    ]
    lines = []
    for attended in figures.sessions:
        session = attended.session
        begin, finish = config.plan.times(session)
        details = []
        if attended.status.value != "present":
            details.append(t(f"status.{attended.status.value}"))
        if attended.arrived is not None:
            details.append(t("certificates.arrived_at", time=format_clock(attended.arrived)))
        if attended.left is not None:
            details.append(t("certificates.left_at", time=format_clock(attended.left)))
        if not attended.full:  # issue 11: only the time present is certified
            details.append(format_minutes(attended.minutes))
        status = f" ({', '.join(details)})" if details else ""
        lines.append(
            f"{format_date(session.date, long=True)}, {t(f'half.{session.half.value}')} "
            f"{begin:%H:%M}–{finish:%H:%M}{status}"
        )
    closing = [
        t(
            "certificates.issued",
            place=issue_place(programme.address, programme.site),
            date=format_date(issued),
        ),
        t("certificates.signature"),
    ]
    return CertificateText(
        title=t("certificates.title"),
        paragraphs=paragraphs,
        sessions_heading=t("certificates.sessions_heading"),
        sessions=lines,
        closing=closing,
    )


def certificate_markdown(text: CertificateText) -> str:
    from cotrain.files.exporters.markup import md_escape as esc  # names never become HTML

    parts = [f"# {esc(text.title)}", ""]
    for paragraph in text.paragraphs:
        parts += [esc(paragraph), ""]
    parts += [f"## {esc(text.sessions_heading)}", ""]
    parts += [f"- {esc(line)}" for line in text.sessions] + [""]
    for line in text.closing:
        parts += [esc(line), ""]
    return "\n".join(parts)


_CSS = """
body { font-family: "DejaVu Sans", Arial, sans-serif; max-width: 42em; margin: 2em auto;
       line-height: 1.5; }
h1 { text-align: center; font-size: 1.6em; }
.closing { margin-top: 3em; }
.signature { margin-top: 4em; border-top: 1px solid #444; width: 16em; padding-top: .3em; }
@media print { body { margin: 0 auto; } }
"""


def certificate_html(text: CertificateText) -> str:
    e = html.escape
    body = [f"<h1>{e(text.title)}</h1>"]
    body += [f"<p>{e(p)}</p>" for p in text.paragraphs]
    body.append(f"<h2>{e(text.sessions_heading)}</h2>")
    body.append("<ul>" + "".join(f"<li>{e(line)}</li>" for line in text.sessions) + "</ul>")
    body.append(f'<p class="closing">{e(text.closing[0])}</p>')
    body += [f'<p class="signature">{e(line)}</p>' for line in text.closing[1:]]
    return (
        f'<!DOCTYPE html>\n<html lang="{get_language()}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{e(text.title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )


def certificate_pdf(text: CertificateText) -> bytes:
    """An A4 PDF of the certificate, in the DejaVu Sans font shipped with cotrain (every accent
    and apostrophe of a name prints)."""
    import logging
    from importlib.resources import files

    from fpdf import FPDF

    # fpdf2 logs missing glyphs, i.e. pieces of names: never log personal data.
    logging.getLogger("fpdf").setLevel(logging.ERROR)
    fonts = files("cotrain") / "fonts"
    pdf = FPDF(format="A4")
    pdf.set_title(text.title)
    pdf.add_font("DejaVu", "", str(fonts / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(fonts / "DejaVuSans-Bold.ttf"))
    pdf.set_margins(22, 22, 22)
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 18)
    pdf.cell(0, 14, text.title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font("DejaVu", "", 11)
    for paragraph in text.paragraphs:
        pdf.multi_cell(0, 6, paragraph, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
    pdf.ln(2)
    pdf.set_font("DejaVu", "B", 12)
    pdf.cell(0, 8, text.sessions_heading, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 10)
    for line in text.sessions:
        pdf.multi_cell(0, 5.5, f"• {line}", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(8)
    pdf.set_font("DejaVu", "", 11)
    pdf.multi_cell(0, 6, text.closing[0], new_x="LMARGIN", new_y="NEXT")
    pdf.ln(18)
    for line in text.closing[1:]:
        pdf.multi_cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def write_certificates(
    config: Config,
    people: list[CertificateFigures],
    folder: Path,
    *,
    issued: date,
    formats: tuple[str, ...] = DEFAULT_FORMATS,
) -> list[Path]:
    """One file per person and format in ``folder`` (created, owner-only); the paths written."""
    from cotrain.files.store import (
        atomic_write_bytes,
        atomic_write_text,
        ensure_dir,
        safe_output_path,
    )

    ensure_dir(folder)
    written = []
    for figures in people:
        text = certificate_text(config, figures, issued=issued)
        for fmt in formats:
            path = safe_output_path(folder, f"{figures.participant.id}.{fmt}")
            if fmt == "pdf":
                atomic_write_bytes(path, certificate_pdf(text))
            elif fmt == "md":
                atomic_write_text(path, certificate_markdown(text))
            else:
                atomic_write_text(path, certificate_html(text))
            written.append(path)
    return written
