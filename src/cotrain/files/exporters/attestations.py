"""Attestations de fin de formation (Code du travail L6353-1), one per trainee (issue 11).

At the end of the action the provider gives each trainee an attestation stating the
objectives, the nature and length of the action, and the results of the evaluation of
learning (when the programme plans one: rép. min. n° 91021, JOAN 29/03/2011). Sources:
``research/AUDIT.md`` §1.3. The objectives come from ``[training]`` in ``cotrain.toml``; the
results from ``cotrain assess`` (``assessments.toml``).

Like the certificate, the attestation names no role or organisation of the person: it must not
tell a third party that the person lives in poverty.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from cotrain.domain.assessment import Assessment
from cotrain.domain.config import Config
from cotrain.domain.provider import training_objectives
from cotrain.domain.rates import CertificateFigures
from cotrain.i18n import format_date, get_language, t

ATTESTATION_FORMATS = ("md", "html", "pdf")
DEFAULT_FORMATS = ("md", "pdf")


@dataclass(frozen=True)
class AttestationText:
    title: str
    opening: str
    facts: list[tuple[str, str]]
    objectives_heading: str
    objectives: list[str]
    evaluation_heading: str
    evaluation: list[str]
    closing: list[str]
    signed_by: str = ""
    provider: dict[str, str] = field(default_factory=dict)
    lang: str = "fr"


def attestation_text(
    config: Config,
    figures: CertificateFigures,
    assessment: Assessment | None,
    *,
    issued: date,
) -> AttestationText:
    """The words of one attestation, in the current language."""
    from cotrain.domain.attendance import format_minutes
    from cotrain.files.exporters.certificates import _at, issue_place, signatory_function
    from cotrain.files.exporters.documents import provider_identity

    programme = config.programme
    training = config.training
    provider = config.provider
    identity = provider_identity(config)
    person = figures.participant
    start = min((s.date for s in config.plan.trainee_sessions), default=None)
    end = max((s.date for s in config.plan.trainee_sessions), default=None)
    site = ", ".join(x for x in (programme.site, programme.address) if x) or "—"
    facts = [
        (t("attestations.programme"), programme.name),
        (t("attestations.nature"), t(f"certificates.nature_{training.nature}")),
        (
            t("attestations.dates"),
            t(
                "attestations.dates_value",
                start=format_date(start, words=True) if start else "—",
                end=format_date(end, words=True) if end else "—",
                place=_at(site),
            ),
        ),
        (
            t("attestations.length"),
            t(
                "attestations.length_value",
                expected_hours=format_minutes(int(figures.expected_hours * 60)),
                expected=figures.expected,
            ),
        ),
        (
            t("attestations.attended"),
            t(
                "attestations.attended_value",
                hours=format_minutes(figures.minutes),
                half_days=figures.half_days,
            ),
        ),
    ]
    evaluation: list[str] = []
    if training.evaluation:
        evaluation.append(t("attestations.evaluation_method", method=training.evaluation))
        if assessment is not None:
            evaluation.append(
                t(
                    "attestations.evaluation_result",
                    result=t(f"attestations.result_{assessment.result.value}"),
                )
            )
            if assessment.note:
                evaluation.append(assessment.note)
        else:
            evaluation.append(t("attestations.evaluation_missing"))
    elif assessment is not None:
        evaluation.append(
            t(
                "attestations.evaluation_result",
                result=t(f"attestations.result_{assessment.result.value}"),
            )
        )
        if assessment.note:
            evaluation.append(assessment.note)
    else:
        evaluation.append(t("attestations.evaluation_none"))
    town = training.signing_place or issue_place(
        provider.address or programme.address, programme.site
    )
    place = _at(town) if get_language() == "fr" else _at(town)[3:]
    signed_by = (
        t(
            "certificates.signed_by",
            signatory=provider.signatory,
            function=signatory_function(provider.signatory_function),
        )
        if provider.signatory
        else ""
    )
    return AttestationText(
        title=t("attestations.title"),
        opening=t("attestations.opening", provider=identity["name"], name=person.name),
        facts=facts,
        objectives_heading=t("attestations.objectives"),
        objectives=training_objectives(training, [o.objective for o in config.bilan.objectives])
        or [t("attestations.objectives_missing")],
        evaluation_heading=t("attestations.evaluation"),
        evaluation=evaluation,
        closing=[
            t("certificates.issued", place=place, date=format_date(issued, words=True)),
            t("certificates.signature"),
        ],
        signed_by=signed_by,
        provider=identity,
        lang=get_language(),
    )


def attestation_markdown(text: AttestationText) -> str:
    from cotrain.files.exporters.markup import md_escape as e  # names never become HTML

    parts = [f"# {e(text.title)}", ""]
    identity = [text.provider.get(k, "") for k in ("name", "address", "ids")]
    if any(identity):
        parts += ["  \n".join(e(x) for x in identity if x), ""]
    parts += [e(text.opening), ""]
    colon = "\u00a0:" if text.lang == "fr" else ":"
    parts += [f"- **{e(k)}**{colon} {e(v)}" for k, v in text.facts] + [""]
    parts += [f"## {e(text.objectives_heading)}", ""]
    parts += [f"- {e(o)}" for o in text.objectives] + [""]
    parts += [f"## {e(text.evaluation_heading)}", ""]
    for line in text.evaluation:
        parts += [e(line), ""]
    for line in text.closing:
        parts += [e(line), ""]
    if text.signed_by:
        parts += [e(text.signed_by), ""]
    return "\n".join(parts)


def attestation_html(text: AttestationText) -> str:
    e = html.escape
    body = [f"<h1>{e(text.title)}</h1>", f"<p>{e(text.opening)}</p>", "<dl>"]
    body += [f"<dt>{e(k)}</dt><dd>{e(v)}</dd>" for k, v in text.facts]
    body.append("</dl>")
    body.append(f"<h2>{e(text.objectives_heading)}</h2><ul>")
    body += [f"<li>{e(o)}</li>" for o in text.objectives]
    body.append(f"</ul><h2>{e(text.evaluation_heading)}</h2>")
    body += [f"<p>{e(line)}</p>" for line in text.evaluation]
    body += [f"<p>{e(line)}</p>" for line in text.closing]
    if text.signed_by:
        body.append(f"<p><strong>{e(text.signed_by)}</strong></p>")
    head = "".join(
        f"<div>{e(text.provider[k])}</div>"
        for k in ("name", "address", "ids")
        if text.provider.get(k)
    )
    return (
        f'<!DOCTYPE html>\n<html lang="{text.lang}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{e(text.title)}</title>\n<style>body {{ font-family: 'DejaVu Sans', Arial, "
        "sans-serif; max-width: 42em; margin: 2em auto; line-height: 1.5; } dt { font-weight: "
        "bold; }</style>\n</head>\n<body>\n"
        f"<header>{head}</header>\n" + "\n".join(body) + "\n</body>\n</html>\n"
    )


def attestation_data(text: AttestationText, *, logo: str = "") -> dict[str, object]:
    return {
        "lang": text.lang,
        "title": text.title,
        "provider": {"partners": "", **text.provider, "logo": logo},
        "opening": text.opening,
        "facts": [list(f) for f in text.facts],
        "objectives_heading": text.objectives_heading,
        "objectives": text.objectives,
        "evaluation_heading": text.evaluation_heading,
        "evaluation": text.evaluation,
        "closing": text.closing,
        "signed_by": text.signed_by,
    }


def attestation_pdf(text: AttestationText, *, workspace: Path | None = None) -> bytes:
    """An A4 PDF of the attestation (Typst template ``attestation.typ``)."""
    from cotrain.files.exporters.documents import letterhead_logo
    from cotrain.files.exporters.typeset import Typesetter, overrides_folder

    overrides = overrides_folder(workspace)
    with Typesetter(overrides) as setter:
        data = attestation_data(text, logo=letterhead_logo(overrides))
        return setter.pdf("attestation.typ", {"lang": text.lang, "title": text.title, **data})


def write_attestations(
    config: Config,
    people: list[CertificateFigures],
    assessments: dict[str, Assessment],
    folder: Path,
    *,
    issued: date,
    formats: tuple[str, ...] = DEFAULT_FORMATS,
    workspace: Path | None = None,
) -> list[Path]:
    """One file per person and format in ``folder`` (created, owner-only); the paths written."""
    from cotrain.files.exporters.certificates import write_person_documents

    def render(text: AttestationText, fmt: str) -> str | bytes:
        if fmt == "pdf":
            return attestation_pdf(text, workspace=workspace)
        return attestation_markdown(text) if fmt == "md" else attestation_html(text)

    texts = (
        (f.participant.id,
         attestation_text(config, f, assessments.get(f.participant.id), issued=issued))
        for f in people
    )
    return write_person_documents(folder, texts, formats, render)
