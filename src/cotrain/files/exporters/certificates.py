"""Certificates of attendance (certificats de réalisation), one per person: Markdown, HTML, PDF.

The text follows the content of the ministry's model (2020): the training body and its
declaration number, the person, the action and its dates, the time attended (half-days and
hours, from the session times in ``cotrain.toml``), place and date of issue, signature.
Files are written atomically, owner-only, under names that cannot leave the chosen folder.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TypeVar

from cotrain.domain.attendance import format_clock, format_minutes
from cotrain.domain.config import Config
from cotrain.domain.rates import CertificateFigures
from cotrain.i18n import format_date, format_number, format_time, get_language, t

T = TypeVar("T")

CERTIFICATE_FORMATS = ("md", "html", "pdf")
DEFAULT_FORMATS = ("md", "html")


@dataclass(frozen=True)
class CertificateText:
    title: str
    paragraphs: list[str]
    sessions_heading: str
    sessions: list[str]
    closing: list[str]
    # issue 11: the ministry's model
    provider: dict[str, str] = field(default_factory=dict)
    nature_heading: str = ""
    natures: list[tuple[str, bool]] = field(default_factory=list)  # (label, checked)
    clauses: list[str] = field(default_factory=list)  # keeping the evidence, inspection
    signed_by: str = ""
    lang: str = "fr"


def signatory_function(function: str) -> str:
    """« , Directrice » after the signatory's name, or nothing when no function is given (never
    a dash standing for it on a document an auditor reads)."""
    return f", {function.strip()}" if function and function.strip() else ""


def hours_text(hours: Decimal) -> str:
    if hours == hours.to_integral_value():
        return format_number(hours.normalize(), decimals=0)
    text = format_number(hours, decimals=2)
    return text.rstrip("0") if text[-3:-2] in ",." else text  # 25,50 -> 25,5


def issue_place(address: str, site: str) -> str:
    """The town of the address (``12 rue Pasteur, 95480 Pierrelaye`` -> ``Pierrelaye``)."""
    found = re.search(r"\b\d{5}\s+(.+)$", address)
    if found:
        return found.group(1).strip()
    return address or site or "—"


def _at(place: str) -> str:
    """« au Centre … », « à Pierrelaye » in French; "at …" in English."""
    from cotrain.domain.french import a_place

    return a_place(place) if get_language() == "fr" else f"at {place}"


def certificate_text(
    config: Config, figures: CertificateFigures, *, issued: date
) -> CertificateText:
    """The words of one certificate, in the current language (the ministry's model, 2020)."""
    from cotrain.files.exporters.documents import employer_of, provider_identity

    programme = config.programme
    provider = config.provider
    person = figures.participant
    start = min((s.date for s in config.plan.trainee_sessions), default=None)
    end = max((s.date for s in config.plan.trainee_sessions), default=None)
    identity = provider_identity(config)
    if provider.signatory:
        opening = t(
            "certificates.signatory",
            signatory=provider.signatory,
            function=signatory_function(provider.signatory_function),
            provider=identity["name"],
        )
    else:
        opening = t("certificates.signatory_unknown", provider=identity["name"])
    site = ", ".join(x for x in (programme.site, programme.address) if x) or "—"
    paragraphs = [
        opening,
        t("certificates.trainee", name=person.name),
        t("certificates.employer", employer=employer_of(config, person)),
        t("certificates.action", programme=programme.name),
        t(
            "certificates.dates",
            start=format_date(start, words=True) if start else "—",
            end=format_date(end, words=True) if end else "—",
            place=_at(site),
        ),
        t(
            "certificates.duration",
            hours=format_minutes(figures.minutes),
            expected_hours=format_minutes(int(figures.expected_hours * 60)),
            half_days=figures.half_days,
            expected=figures.expected,
        ),
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
        status = f" ({', '.join(details)})" if details else ""
        lines.append(
            t(
                "certificates.session_line",
                date=format_date(session.date, long=True),
                half=t(f"half.{session.half.value}"),
                start=format_time(begin),
                end=format_time(finish),
                duration=format_minutes(attended.minutes),
                status=status,
            )
        )
    natures = [
        (t(f"certificates.nature_{key}"), key == config.training.nature)
        for key in ("action_de_formation", "bilan_de_competences", "vae", "apprentissage")
    ]
    town = config.training.signing_place or issue_place(
        provider.address or programme.address, programme.site
    )
    place = _at(town)[3:] if get_language() != "fr" else _at(town)
    closing = [
        t("certificates.issued", place=place, date=format_date(issued, words=True)),
        t("certificates.signature"),
    ]
    signed_by = (
        t(
            "certificates.signed_by",
            signatory=provider.signatory,
            function=signatory_function(provider.signatory_function),
        )
        if provider.signatory
        else ""
    )
    return CertificateText(
        title=t("certificates.title"),
        paragraphs=paragraphs,
        sessions_heading=t("certificates.sessions_heading"),
        sessions=lines,
        closing=closing,
        provider=identity,
        nature_heading=t("certificates.nature_heading"),
        natures=natures,
        clauses=[
            t("certificates.keep", years=config.training.keep_years),
            t("certificates.control"),
        ],
        signed_by=signed_by,
        lang=get_language(),
    )


def _box(checked: bool) -> str:
    return "☒" if checked else "☐"


def certificate_markdown(text: CertificateText) -> str:
    from cotrain.files.exporters.markup import md_escape as e  # names never become HTML

    parts = [f"# {e(text.title)}", ""]
    identity = [text.provider.get(k, "") for k in ("name", "address", "ids")]
    if any(identity):
        parts += ["  \n".join(e(x) for x in identity if x), ""]
    parts += [e(text.paragraphs[0]), ""]
    for paragraph in text.paragraphs[1:4]:
        parts += [f"- {e(paragraph)}"]
    parts.append("")
    if text.natures:
        parts += [e(text.nature_heading), ""]
        parts += [f"- {_box(checked)} {e(label)}" for label, checked in text.natures] + [""]
    for paragraph in text.paragraphs[4:]:
        parts += [e(paragraph), ""]
    parts += [f"## {e(text.sessions_heading)}", ""]
    parts += [f"- {e(line)}" for line in text.sessions] + [""]
    for clause in text.clauses:
        parts += [e(clause), ""]
    for line in text.closing:
        parts += [e(line), ""]
    if text.signed_by:
        parts += [e(text.signed_by), ""]
    return "\n".join(parts)


_CSS = """
body { font-family: "DejaVu Sans", Arial, sans-serif; max-width: 42em; margin: 2em auto;
       line-height: 1.5; }
h1 { text-align: center; font-size: 1.6em; }
.provider { font-size: .9em; } .provider .name { font-weight: bold; }
.clause { font-size: .85em; }
.closing { margin-top: 2em; }
.signature { margin-top: 4em; border-top: 1px solid #444; width: 20em; padding-top: .3em; }
@media print { body { margin: 0 auto; } }
"""


def certificate_html(text: CertificateText) -> str:
    e = html.escape
    body = []
    identity = [(k, text.provider.get(k, "")) for k in ("name", "address", "ids")]
    if any(v for _, v in identity):
        body.append(
            '<div class="provider">'
            + "".join(f'<div class="{k}">{e(v)}</div>' for k, v in identity if v)
            + "</div>"
        )
    body.append(f"<h1>{e(text.title)}</h1>")
    body.append(f"<p>{e(text.paragraphs[0])}</p>")
    body.append("<ul>" + "".join(f"<li>{e(p)}</li>" for p in text.paragraphs[1:4]) + "</ul>")
    if text.natures:
        body.append(f"<p>{e(text.nature_heading)}</p><ul>")
        body += [f"<li>{_box(c)} {e(label)}</li>" for label, c in text.natures]
        body.append("</ul>")
    body += [f"<p>{e(p)}</p>" for p in text.paragraphs[4:]]
    body.append(f"<h2>{e(text.sessions_heading)}</h2>")
    body.append("<ul>" + "".join(f"<li>{e(line)}</li>" for line in text.sessions) + "</ul>")
    body += [f'<p class="clause">{e(c)}</p>' for c in text.clauses]
    body.append(f'<p class="closing">{e(text.closing[0])}</p>')
    body += [f'<p class="signature">{e(line)}</p>' for line in text.closing[1:]]
    if text.signed_by:
        body.append(f"<p>{e(text.signed_by)}</p>")
    return (
        f'<!DOCTYPE html>\n<html lang="{text.lang}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{e(text.title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )


def certificate_data(text: CertificateText) -> dict[str, object]:
    """The JSON the ``certificate.typ`` template reads."""
    return {
        "lang": text.lang,
        "title": text.title,
        "provider": {"logo": "", "partners": "", **text.provider},
        "opening": text.paragraphs[0],
        "facts": text.paragraphs[1:4],
        "nature_heading": text.nature_heading,
        "natures": [{"label": label, "checked": checked} for label, checked in text.natures],
        "body": text.paragraphs[4:],
        "sessions_heading": text.sessions_heading,
        "sessions": text.sessions,
        "clauses": text.clauses,
        "closing": text.closing,
        "signed_by": text.signed_by,
    }


def certificate_pdf(text: CertificateText, *, workspace: Path | None = None) -> bytes:
    """An A4 PDF of the certificate (Typst template ``certificate.typ``)."""
    return certificates_pdf([text], workspace=workspace)


def certificates_pdf(texts: list[CertificateText], *, workspace: Path | None = None) -> bytes:
    from cotrain.files.exporters.documents import letterhead_logo
    from cotrain.files.exporters.typeset import Typesetter, overrides_folder

    overrides = overrides_folder(workspace)
    with Typesetter(overrides) as setter:
        logo = letterhead_logo(overrides)
        pages = []
        for text in texts:
            data = certificate_data(text)
            data["provider"]["logo"] = logo  # type: ignore[index]
            pages.append(data)
        return setter.pdf(
            "certificate.typ", {"lang": texts[0].lang, "title": texts[0].title, "pages": pages}
        )


def write_certificates(
    config: Config,
    people: list[CertificateFigures],
    folder: Path,
    *,
    issued: date,
    formats: tuple[str, ...] = DEFAULT_FORMATS,
    workspace: Path | None = None,
) -> list[Path]:
    """One file per person and format in ``folder`` (created, owner-only); the paths written."""

    def render(text: CertificateText, fmt: str) -> str | bytes:
        if fmt == "pdf":
            return certificate_pdf(text, workspace=workspace)
        return certificate_markdown(text) if fmt == "md" else certificate_html(text)

    return write_person_documents(
        folder,
        ((f.participant.id, certificate_text(config, f, issued=issued)) for f in people),
        formats,
        render,
    )


def write_person_documents(
    folder: Path,
    texts: Iterable[tuple[str, T]],
    formats: tuple[str, ...],
    render: Callable[[T, str], str | bytes],
) -> list[Path]:
    """``<person id>.<format>`` for each person's text and each format, in ``folder`` (created,
    owner-only, each file written whole); the paths written. Certificates and attestations."""
    from cotrain.files.store import (
        atomic_write_bytes,
        atomic_write_text,
        ensure_dir,
        safe_output_path,
    )

    ensure_dir(folder)
    written = []
    for person_id, text in texts:
        for fmt in formats:
            path = safe_output_path(folder, f"{person_id}.{fmt}")
            content = render(text, fmt)
            if isinstance(content, bytes):
                atomic_write_bytes(path, content)
            else:
                atomic_write_text(path, content)
            written.append(path)
    return written
