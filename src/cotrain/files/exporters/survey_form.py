"""A questionnaire to print, and the CSV template to type its answers in.

Easy to read for people who do not read easily (FALC-like): large type, one question per
block, short hints, boxes with a number and a drawn face for 1-to-5 scales, big tick boxes.
HTML (self-contained, print CSS) and an A4 PDF (the Typst template ``survey.typ``, DejaVu Sans
shipped in cotrain/fonts embedded).
"""

from __future__ import annotations

import html
from pathlib import Path

from cotrain.domain.config import Config
from cotrain.domain.questionnaires import Audience, QuestionType, Survey, Timing
from cotrain.files.exporters.tabular import write_csv
from cotrain.files.store import atomic_write_bytes, atomic_write_text
from cotrain.i18n import get_language, t


def template_headers(survey: Survey) -> list[str]:
    """The columns of the CSV template: who/where columns the import knows, then the questions."""
    headers: list[str] = []
    if survey.audience == Audience.CITIES:
        headers.append(t("bilan.city"))
    elif survey.audience == Audience.DUOS:
        headers.append(t("evaluation.form.respondent"))
    if survey.audience == Audience.TRAINEES:
        headers.append(t("evaluation.form.role"))
    if survey.timing == Timing.END_OF_DAY and not survey.session:
        headers.append(t("evaluation.form.session"))
    if (
        survey.audience in (Audience.TRAINEES, Audience.ACTIVISTS)
        and survey.timing != Timing.FOLLOW_UP
    ):
        headers.append(t("evaluation.form.duo"))
    headers.extend(q.text for q in survey.questions)
    return headers


# --- faces for the scale boxes -------------------------------------------------------------

# Mouth curvature for 1..5: from a frown to a broad smile.
_MOUTH = {1: -4.0, 2: -2.0, 3: 0.0, 4: 2.0, 5: 4.0}


def face_svg(score: int, *, size: int = 44) -> str:
    """A simple drawn face (inline SVG): sad for 1, neutral for 3, smiling for 5."""
    bend = _MOUTH[score]
    return (
        f'<svg width="{size}" height="{size}" viewBox="0 0 40 40" aria-hidden="true">'
        '<circle cx="20" cy="20" r="17" fill="none" stroke="#222" stroke-width="2"/>'
        '<circle cx="14" cy="16" r="2.2" fill="#222"/><circle cx="26" cy="16" r="2.2" fill="#222"/>'
        f'<path d="M12 {27 - bend / 2:.1f} Q20 {27 + bend * 1.5:.1f} 28 {27 - bend / 2:.1f}" '
        'fill="none" stroke="#222" stroke-width="2" stroke-linecap="round"/></svg>'
    )


_CSS = """
@page { size: A4; margin: 16mm; }
body { font-family: "DejaVu Sans", Verdana, Arial, sans-serif; font-size: 18pt; line-height: 1.5;
       color: #000; max-width: 48em; margin: 0 auto; }
h1 { font-size: 26pt; margin: 0 0 .3em; }
p.intro { font-size: 18pt; }
section.q { border: 2px solid #000; border-radius: 10px; padding: .6em .9em; margin: 0 0 1em;
            break-inside: avoid; page-break-inside: avoid; }
section.q h2 { font-size: 20pt; margin: 0 0 .2em; }
p.hint { font-size: 15pt; margin: 0 0 .5em; }
ul.boxes { list-style: none; padding: 0; margin: 0; display: flex; gap: .8em; flex-wrap: wrap; }
ul.boxes li { border: 2px solid #000; border-radius: 8px; padding: .3em .6em; text-align: center;
              min-width: 3.2em; }
ul.boxes li span.num { display: block; font-size: 22pt; font-weight: bold; }
ul.boxes li span.tick { display: inline-block; width: 1em; height: 1em; border: 2px solid #000;
                        margin-right: .4em; vertical-align: middle; }
div.lines { border-bottom: 2px dotted #555; height: 2.2em; }
p.thanks { font-size: 22pt; font-weight: bold; text-align: center; }
"""


def form_html(config: Config, survey: Survey) -> str:
    """The questionnaire as a printable HTML page."""
    esc = html.escape
    blocks: list[str] = []
    for number, question in enumerate(survey.questions, 1):
        inner: list[str] = []
        if question.type == QuestionType.SCALE:
            inner.append(f'<p class="hint">{esc(t("evaluation.form.scale_hint"))}</p>')
            items = "".join(
                f'<li>{face_svg(score)}<span class="num">{score}</span>'
                + (f"{esc(t('evaluation.form.scale_1'))}" if score == 1 else "")
                + (f"{esc(t('evaluation.form.scale_5'))}" if score == 5 else "")
                + "</li>"
                for score in range(1, 6)
            )
            inner.append(f'<ul class="boxes">{items}</ul>')
        elif question.type == QuestionType.YES_NO:
            inner.append(f'<p class="hint">{esc(t("evaluation.form.yes_no_hint"))}</p>')
            items = "".join(
                f'<li><span class="tick"></span>{esc(t(key))}</li>'
                for key in ("evaluation.report.yes", "evaluation.report.no")
            )
            inner.append(f'<ul class="boxes">{items}</ul>')
        elif question.type == QuestionType.CHOICE:
            inner.append(f'<p class="hint">{esc(t("evaluation.form.choice_hint"))}</p>')
            items = "".join(
                f'<li><span class="tick"></span>{esc(o)}</li>' for o in question.options
            )
            inner.append(f'<ul class="boxes">{items}</ul>')
        else:
            inner.append(f'<p class="hint">{esc(t("evaluation.form.text_hint"))}</p>')
            inner.append('<div class="lines"></div>' * 4)
        blocks.append(
            f'<section class="q" id="{esc(question.id)}"><h2>{number}. {esc(question.text)}</h2>'
            + "".join(inner)
            + "</section>"
        )
    title = esc(survey.title)
    programme = esc(config.programme.name)
    return (
        f'<!DOCTYPE html>\n<html lang="{get_language()}"><head><meta charset="utf-8">'
        f"<title>{title}</title><style>{_CSS}</style></head><body>"
        f"<h1>{title}</h1><p>{programme}</p>"
        f'<p class="intro">{esc(t("evaluation.form.intro"))}</p>'
        + "".join(blocks)
        + f'<p class="thanks">{esc(t("evaluation.form.thanks"))}</p></body></html>\n'
    )


def form_pdf(config: Config, survey: Survey, *, workspace: Path | None = None) -> bytes:
    """The questionnaire as an A4 PDF in large type, one block per question (Typst template
    ``survey.typ``)."""
    from cotrain.files.exporters.typeset import Typesetter, overrides_folder

    hints = {
        QuestionType.SCALE: "evaluation.form.scale_hint",
        QuestionType.YES_NO: "evaluation.form.yes_no_hint",
        QuestionType.CHOICE: "evaluation.form.choice_hint",
        QuestionType.TEXT: "evaluation.form.text_hint",
    }
    questions = []
    for question in survey.questions:
        options = (
            [t("evaluation.report.yes"), t("evaluation.report.no")]
            if question.type == QuestionType.YES_NO
            else list(question.options)
        )
        questions.append(
            {
                "text": question.text,
                "hint": t(hints[question.type]),
                "type": question.type.value if question.type != QuestionType.YES_NO else "choice",
                "options": options,
            }
        )
    data = {
        "lang": get_language(),
        "title": survey.title,
        "programme": config.programme.name,
        "intro": t("evaluation.form.intro"),
        "thanks": t("evaluation.form.thanks"),
        "questions": questions,
    }
    with Typesetter(overrides_folder(workspace)) as setter:
        for score in range(1, 6):
            setter.add_asset(f"face-{score}.svg", face_svg(score).encode())
        return setter.pdf("survey.typ", data)


def write_form(config: Config, survey: Survey, *, folder: Path, stem: str) -> list[Path]:
    """Write ``<stem>.html``, ``<stem>.pdf`` and ``<stem>.csv`` (the typing template)."""
    html_path = folder / f"{stem}.html"
    pdf_path = folder / f"{stem}.pdf"
    csv_path = folder / f"{stem}.csv"
    atomic_write_text(html_path, form_html(config, survey))
    atomic_write_bytes(pdf_path, form_pdf(config, survey))
    write_csv(csv_path, template_headers(survey), [], excel=True)
    return [html_path, pdf_path, csv_path]
