"""Read survey answers from the files people have: LimeSurvey, Framaforms, a typed paper form.

One row per respondent. Accepted:

- CSV in UTF-8 with or without BOM (LimeSurvey: BOM, every field quoted, CRLF) or Windows-1252
  (French Excel), separated by ``;``, ``,`` or tab (sniffed), or XLSX (first sheet);
- headers naming each question by its id (LimeSurvey "question codes"), its full text
  (LimeSurvey "full text", Framaforms, a paper form typed in Excel), or "id. text";
- optional columns: the respondent (Répondant, Identifiant, Participant, token...), role,
  city, session, group, duo. Without a respondent column, answers are anonymous;
- metadata columns (LimeSurvey id, submitdate, lastpage...; Framaforms Serial, SID, IP...)
  are ignored; any other column no question matches is reported, never silently dropped.

Every problem is reported with file, row and column; nothing is saved unless the whole file
reads cleanly.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from cotrain.domain.questionnaires import Audience, Survey
from cotrain.domain.surveys import (
    AnswerProblem,
    DuoRef,
    Respondent,
    Response,
    normalise,
    parse_answer,
    parse_role,
)
from cotrain.errors import InputError, Location
from cotrain.files.importers.tabular import Table, read_table
from cotrain.i18n import t

MAX_DETAILS = 20

# Header words (normalised) for the columns that describe the respondent, not a question.
SPECIAL_COLUMNS: dict[str, tuple[str, ...]] = {
    "respondent": (
        "respondent",
        "repondant",
        "repondante",
        "identifiant",
        "participant",
        "participante",
        "token",
        "nom",
        "name",
        "personne",
        "ville repondante",
        "id participant",
    ),
    "role": ("role", "vous etes", "votre role", "fonction", "you are", "your role"),
    "city": ("ville", "commune", "city", "collectivite"),
    "session": ("seance", "demi journee", "session", "half day", "journee"),
    "group": ("groupe", "group", "votre groupe", "your group"),
    "duo": ("binome", "binome d animation", "duo", "animateurs", "trainers", "formateurs"),
}
# Columns export tools add around the answers (LimeSurvey, Framaforms, Google Forms).
METADATA_COLUMNS = {
    "id",
    "submitdate",
    "lastpage",
    "startlanguage",
    "seed",
    "startdate",
    "datestamp",
    "ipaddr",
    "refurl",
    "serial",
    "sid",
    "submitted time",
    "completed time",
    "modified time",
    "draft",
    "ip address",
    "uid",
    "username",
    "horodateur",
    "timestamp",
    "date de soumission",
    "date",
    "interviewtime",
    "response id",
    "id de la reponse",
    "date submitted",
    "derniere page",
    "langue de depart",
}


@dataclass
class ImportResult:
    responses: list[Response]
    table: Table
    columns: dict[str, str] = field(default_factory=dict)  # header -> question id or special
    ignored: list[str] = field(default_factory=list)  # unmatched, non-metadata headers


def _match_header(header: str, survey: Survey) -> str | None:
    """The question id or special column (``@respondent``...) a header names, or None."""
    plain = normalise(header)
    if not plain:
        return None
    for question in survey.questions:
        if plain in (normalise(question.id), normalise(question.text)):
            return question.id
    for question in survey.questions:
        qid, text = normalise(question.id), normalise(question.text)
        # "q1. Text", "Text [q1]", "q1 - Text" and texts cut short by an export tool.
        if plain.startswith(qid + " ") and text.startswith(plain[len(qid) + 1 :][:20]):
            return question.id
        if plain.endswith(" " + qid) and text.startswith(plain[: -len(qid) - 1][:20]):
            return question.id
        if len(plain) >= 25 and (text.startswith(plain) or plain.startswith(text)):
            return question.id
    for special, words in SPECIAL_COLUMNS.items():
        if plain in words:
            return "@" + special
    return None


def import_answers(
    path: Path,
    survey: Survey,
    *,
    respondents: Mapping[str, Respondent],
    session_ids: Sequence[str],
    duos: Sequence[DuoRef],
    trainer_names: Mapping[str, str],
    cities: Mapping[str, str],
) -> ImportResult:
    """Read and validate every row; raise one InputError listing every faulty cell.

    ``respondents`` maps normalised names and ids to respondents (``respondent_index``).
    """
    table = read_table(path)  # the intake's reader: encodings, delimiters, XLSX
    name = path.name
    columns: dict[int, str] = {}
    ignored: list[str] = []
    for index, header in enumerate(table.headers):
        target = _match_header(header, survey)
        if target is None:
            if header and normalise(header) not in METADATA_COLUMNS:
                ignored.append(header)
            continue
        if target in columns.values():
            raise InputError(
                t("evaluation.column_twice", column=header),
                location=Location(file=name, row=1, column=header),
                hint=t("evaluation.column_twice_hint"),
            )
        columns[index] = target
    if not any(not target.startswith("@") for target in columns.values()):
        raise InputError(
            t("evaluation.no_question_column", survey=survey.id),
            location=Location(file=name, row=1),
            hint=t(
                "evaluation.no_question_column_hint", ids=", ".join(q.id for q in survey.questions)
            ),
        )

    problems: list[tuple[int, str, str]] = []
    responses: list[Response] = []
    seen: dict[str, int] = {}
    duo_keys = _duo_keys(duos, trainer_names)
    session_keys = {normalise(s): s for s in session_ids}
    city_keys = {normalise(k): k for k in cities} | {normalise(v): k for k, v in cities.items()}
    stem = normalise(path.stem).replace(" ", "-") or "reponses"
    for row in table.rows:
        row_number = row.number
        cells = {i: row.cells[i] if i < len(row.cells) else None for i in columns}
        if all(_blank(v) for v in row.cells):
            continue
        values: dict[str, object] = {}
        answers: dict[str, bool | int | str] = {}
        who: Respondent | None = None
        for index, target in columns.items():
            raw = cells[index]
            header = table.headers[index]
            if target.startswith("@"):
                values[target] = "" if _blank(raw) else str(raw).strip()
                continue
            question = survey.question(target)
            assert question is not None
            try:
                value = parse_answer(question, raw)
            except AnswerProblem as problem:
                problems.append(
                    (
                        row_number,
                        header,
                        t(
                            f"evaluation.bad_{problem.code}",
                            value=str(raw).strip(),
                            **{k: str(v) for k, v in problem.params.items()},
                        ),
                    )
                )
                continue
            if value is not None:
                answers[question.id] = value
        written = str(values.get("@respondent", ""))
        respondent_column = "@respondent"
        if not written and survey.audience == Audience.CITIES and values.get("@city"):
            written, respondent_column = str(values["@city"]), "@city"
        if written:
            who = respondents.get(normalise(written))
            if who is None:
                problems.append(
                    (
                        row_number,
                        _header_of(table, columns, respondent_column),
                        t("evaluation.bad_unknown_respondent", value=written),
                    )
                )
            elif who.id in seen:
                problems.append(
                    (
                        row_number,
                        _header_of(table, columns, respondent_column),
                        t("evaluation.bad_respondent_twice", value=written, first=seen[who.id]),
                    )
                )
            else:
                seen[who.id] = row_number
        role = who.role if who else None
        written_role = str(values.get("@role", ""))
        if written_role and role is None:
            role = parse_role(written_role)
            if role is None:
                problems.append(
                    (
                        row_number,
                        _header_of(table, columns, "@role"),
                        t("evaluation.bad_unknown_role", value=written_role),
                    )
                )
        city_id = who.city_id if who else ""
        written_city = str(values.get("@city", ""))
        if written_city and not city_id and role is not None and role.value != "activist":
            city_id = city_keys.get(normalise(written_city), "")
            if not city_id:
                problems.append(
                    (
                        row_number,
                        _header_of(table, columns, "@city"),
                        t("evaluation.bad_unknown_city", value=written_city),
                    )
                )
        session = survey.session
        written_session = str(values.get("@session", ""))
        if written_session:
            session = session_keys.get(normalise(written_session), "")
            if not session:
                problems.append(
                    (
                        row_number,
                        _header_of(table, columns, "@session"),
                        t("evaluation.bad_unknown_session", value=written_session),
                    )
                )
        duo = ""
        written_duo = str(values.get("@duo", ""))
        if written_duo:
            duo = duo_keys.get(normalise(written_duo), "")
            if not duo:
                problems.append(
                    (
                        row_number,
                        _header_of(table, columns, "@duo"),
                        t("evaluation.bad_unknown_duo", value=written_duo),
                    )
                )
        if not answers:
            continue  # a row with no answer at all (a reminder sent, a blank paper form)
        response_id = who.id if who else f"{stem}-{row_number:04d}"
        responses.append(
            Response(
                id=response_id,
                respondent=who.id if who else "",
                role=role,
                trainer_kind=who.trainer_kind if who else None,
                city_id=city_id,
                session=session,
                group=str(values.get("@group", "")),
                duo=duo,
                answers=answers,
                source=name,
            )
        )
    if problems:
        first_row, first_column, first_message = problems[0]
        details = [
            t("evaluation.detail", where=Location(row=r, column=c).render(), message=m)
            for r, c, m in problems[1:MAX_DETAILS]
        ]
        if len(problems) > MAX_DETAILS:
            details.append(t("evaluation.more_problems", count=len(problems) - MAX_DETAILS))
        raise InputError(
            first_message,
            location=Location(file=name, row=first_row, column=first_column),
            details=details,
            hint=t("evaluation.import_hint", count=len(problems)),
        )
    mapped = {table.headers[i]: target for i, target in columns.items()}
    return ImportResult(responses, table, mapped, ignored)


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _header_of(table: Table, columns: Mapping[int, str], target: str) -> str:
    return next(table.headers[i] for i, name in columns.items() if name == target)


def _duo_keys(duos: Sequence[DuoRef], trainer_names: Mapping[str, str]) -> dict[str, str]:
    """A duo as a trainee may write it: its id, one trainer's name, both names."""
    keys: dict[str, str] = {}
    for duo in duos:
        keys[normalise(duo.id)] = duo.id
        names = [trainer_names.get(tid, tid) for tid in duo.trainers]
        for tid, trainer in zip(duo.trainers, names, strict=True):
            keys.setdefault(normalise(tid), duo.id)
            keys.setdefault(normalise(trainer), duo.id)
            keys.setdefault(normalise(trainer.split()[0]), duo.id)
        keys[normalise(" et ".join(names))] = duo.id
        keys[normalise(" and ".join(names))] = duo.id
        keys[normalise(" ".join(n.split()[0] for n in names))] = duo.id
        keys[normalise(" et ".join(n.split()[0] for n in names))] = duo.id
    return keys
