"""Survey answers and their statistics (Qualiopi indicator 30).

- Answers are stored per survey in ``surveys.toml``, one entry per respondent (named or
  anonymous), tagged with the file they came from so that re-importing a file replaces exactly
  what it brought (idempotent) and answers from another file (paper and online) are kept.
- Statistics: response rate (respondents / audience size), distribution and mean of every scale
  question, counts for yes/no and choices, free-text answers listed in alphabetical order and
  never attributed (their order must not lead back to a row of the file).
- Small groups are not broken down: any cell with fewer than ``reporting.small_cell`` answers is
  reported as suppressed ("< 3"), and activists are never broken down by city.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from pydantic import BaseModel, ConfigDict, Field

from cotrain.domain.config import Config
from cotrain.domain.intake import parse_role as parse_label
from cotrain.domain.models import Participant
from cotrain.domain.questionnaires import (
    SCALE_MAX,
    SCALE_MIN,
    Audience,
    Question,
    QuestionType,
    Survey,
)
from cotrain.enums import Role, TrainerKind, all_roles

SURVEYS_SCHEMA = 1

Answer = bool | int | str


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


# --- surveys.toml ------------------------------------------------------------------------


class Response(_Model):
    """One respondent's answers to one survey."""

    id: str  # the respondent's id, or "<file>-<row>" for an anonymous answer
    respondent: str = ""  # participant, city, trainer or funder id; empty when anonymous
    role: Role | None = None  # known from the respondent, or given in a "role" column
    trainer_kind: TrainerKind | None = None
    city_id: str = ""
    session: str = ""  # the session the answer is about (end-of-day surveys)
    group: str = ""  # the group the respondent was in, if the form asked
    duo: str = ""  # the duo that led the respondent's group, if the form asked
    answers: dict[str, Answer] = {}
    source: str = ""  # file name the answer came from


class SurveyAnswers(_Model):
    survey_id: str
    responses: list[Response] = []


class SurveysFile(_Model):
    schema_: int = Field(default=SURVEYS_SCHEMA, alias="schema")
    surveys: list[SurveyAnswers] = []

    def responses(self, survey_id: str) -> list[Response]:
        found = next((s for s in self.surveys if s.survey_id == survey_id), None)
        return list(found.responses) if found else []


@dataclass(frozen=True)
class MergeResult:
    file: SurveysFile
    added: int
    replaced: int
    removed: int
    duplicates: list[str] = field(default_factory=list)  # respondent ids answering from two files

    @property
    def changed(self) -> bool:
        return self.added + self.removed > 0 or self.replaced > 0


def merge_responses(
    current: SurveysFile, survey_id: str, *, source: str, responses: Sequence[Response]
) -> MergeResult:
    """Replace the answers ``source`` brought to ``survey_id`` by ``responses``.

    Answers from other files are kept. A named respondent already answering from another file
    is reported in ``duplicates`` (the caller refuses the import).
    """
    kept = [r for r in current.responses(survey_id) if r.source != source]
    previous = {r.id: r for r in current.responses(survey_id) if r.source == source}
    others = {r.respondent for r in kept if r.respondent}
    duplicates = sorted(
        {r.respondent for r in responses if r.respondent and r.respondent in others}
    )
    new_ids = {r.id for r in responses}
    added = sum(1 for r in responses if r.id not in previous)
    replaced = sum(1 for r in responses if r.id in previous and previous[r.id] != r)
    removed = sum(1 for rid in previous if rid not in new_ids)
    merged = sorted([*kept, *responses], key=lambda r: (r.source, r.id))
    tables = [s for s in current.surveys if s.survey_id != survey_id]
    tables.append(SurveyAnswers(survey_id=survey_id, responses=merged))
    tables.sort(key=lambda s: s.survey_id)
    new_file = current.model_copy(update={"surveys": tables})
    return MergeResult(new_file, added, replaced, removed, duplicates)


# --- reading answers -----------------------------------------------------------------------


def normalise(text: str) -> str:
    """Compare words as a reader would: no accents, no case, no punctuation."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[^0-9a-z]+", " ", plain.casefold()).strip()


_YES = {"oui", "o", "yes", "y", "1", "true", "vrai", "x", "a1"}
_NO = {"non", "n", "no", "0", "false", "faux", "a2"}
_SCALE = re.compile(r"^\s*(?:a)?(-?\d+)(?:[.,]0+)?(?:\s|$|[-:/)])")


class AnswerProblem(ValueError):
    """A cell that does not fit its question: ``code`` names the problem for the message."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


def parse_answer(question: Question, raw: object) -> Answer | None:
    """The answer a cell holds, or None when empty. Raises AnswerProblem when it does not fit.

    Scale: an integer 1-5, possibly written "4", "4 - Satisfait", "A4" (LimeSurvey codes).
    Yes/no: oui/non, yes/no, 1/0, Y/N. Choice: an option's text (any case, with or without
    accents) or its number. Text: kept as typed (trimmed).
    """
    if raw is None:
        return None
    if isinstance(raw, bool):
        text = "oui" if raw else "non"
    elif isinstance(raw, float) and raw.is_integer():
        text = str(int(raw))
    else:
        text = str(raw)
    text = text.strip()
    if not text:
        return None
    if question.type == QuestionType.TEXT:
        return text
    plain = normalise(text)
    if question.type == QuestionType.YES_NO:
        if plain in _YES:
            return True
        if plain in _NO:
            return False
        raise AnswerProblem("not_yes_no")
    if question.type == QuestionType.SCALE:
        found = _SCALE.match(text.casefold() + " ")
        if found is None:
            raise AnswerProblem("not_a_number")
        value = int(found.group(1))
        if not SCALE_MIN <= value <= SCALE_MAX:
            raise AnswerProblem("out_of_scale", low=SCALE_MIN, high=SCALE_MAX)
        return value
    for option in question.options:
        if normalise(option) == plain:
            return option
    if plain.isdigit() and 1 <= int(plain) <= len(question.options):
        return question.options[int(plain) - 1]
    raise AnswerProblem("unknown_choice", options=" / ".join(question.options))


def parse_role(raw: str) -> Role | None:
    """A role as people write it on a form: "Élu", "agent", "Délégué du préfet", "militante"."""
    plain = normalise(raw)
    if not plain:
        return None
    for role in all_roles():
        if plain == normalise(role.value):
            return role
    configured = parse_label(raw)
    if configured is not None:
        return configured
    if plain.startswith(("delegue", "prefect", "delegate")):
        return Role.PREFECT_DELEGATE
    if plain.startswith(("elu", "elected", "maire", "adjoint")):
        return Role.ELECTED
    if plain.startswith(("militant", "activist")):
        return Role.ACTIVIST
    if plain.startswith(("pro", "agent", "techni", "chef", "charge")):
        return Role.PROFESSIONAL
    return None


@dataclass(frozen=True)
class Respondent:
    id: str
    role: Role | None = None
    trainer_kind: TrainerKind | None = None
    city_id: str = ""


@dataclass(frozen=True)
class DuoRef:
    """A trainer duo: declared in ``config.duos`` or formed by the schedule's groups."""

    id: str
    trainers: tuple[str, ...]


def resolve_duos(config: Config, schedule_groups: Iterable[Sequence[str]] = ()) -> list[DuoRef]:
    """The declared duos, else the trainer pairs found leading groups in schedule.toml."""
    if config.duos:
        return [DuoRef(d.id, tuple(d.trainers)) for d in config.duos]
    seen: dict[tuple[str, ...], None] = {}
    for trainers in schedule_groups:
        if len(trainers) >= 2:
            seen.setdefault(tuple(sorted(trainers)), None)
    return [DuoRef("+".join(key), key) for key in sorted(seen)]


def respondent_index(
    survey: Survey,
    *,
    config: Config,
    participants: Sequence[Participant],
    cities: Mapping[str, str],
    duos: Sequence[DuoRef] = (),
) -> dict[str, Respondent]:
    """Every way a respondent of this survey's audience may be written -> who they are.

    ``cities`` maps the selected cities' ids to their names.
    """
    index: dict[str, Respondent] = {}

    def add(keys: Iterable[str], who: Respondent) -> None:
        for key in keys:
            if key and normalise(key):
                index.setdefault(normalise(key), who)

    audience = survey.audience
    if audience in (Audience.TRAINEES, Audience.ACTIVISTS):
        for person in participants:
            if audience == Audience.ACTIVISTS and person.role != Role.ACTIVIST:
                continue
            city = "" if person.role == Role.ACTIVIST else person.city_id
            add([person.id, person.name], Respondent(person.id, person.role, None, city))
    elif audience == Audience.CITIES:
        for city_id, name in cities.items():
            add([city_id, name], Respondent(city_id, None, None, city_id))
    elif audience == Audience.DUOS:
        in_duos = {t for duo in duos for t in duo.trainers}
        for trainer in config.trainers:
            if in_duos and trainer.id not in in_duos:
                continue
            add([trainer.id, trainer.name], Respondent(trainer.id, None, trainer.kind))
    elif audience == Audience.FUNDERS:
        for line in config.budget.funding:
            slug = normalise(line.funder).replace(" ", "-")
            add([slug, line.funder], Respondent(slug))
    return index


def audience_size(
    survey: Survey,
    *,
    config: Config,
    participants: Sequence[Participant],
    cities: Mapping[str, str],
    duos: Sequence[DuoRef] = (),
) -> int:
    """How many people (or cities, or funders) the survey was meant for."""
    index = respondent_index(
        survey, config=config, participants=participants, cities=cities, duos=duos
    )
    return len({who.id for who in index.values()})


# --- statistics ----------------------------------------------------------------------------


def _mean(values: Sequence[int]) -> float | None:
    if not values:
        return None
    exact = Decimal(sum(values)) / Decimal(len(values))
    return float(exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


class QuestionStats(BaseModel):
    id: str
    text: str
    type: QuestionType
    answered: int
    suppressed: bool = False  # fewer than small_cell answers: nothing broken down
    mean: float | None = None  # scale questions
    counts: dict[str, int] = {}  # scale "1".."5", yes_no "yes"/"no", choice option -> count
    texts: list[str] = []  # free text, alphabetical, never attributed


class GroupStats(BaseModel):
    """One audience group (a role, a kind of trainer): respondents and means of scale questions."""

    key: str  # "elected", "activist", "co_trainer"...
    respondents: int
    suppressed: bool = False
    means: dict[str, float | None] = {}


class ComparisonRow(BaseModel):
    question_id: str
    text: str
    mean: float | None
    answered: int
    suppressed: bool
    other_mean: float | None
    other_answered: int
    other_suppressed: bool


class SurveyReport(BaseModel):
    survey_id: str
    title: str
    audience: Audience
    timing: str
    small_cell: int
    audience_size: int
    respondents: int
    response_rate: float | None  # respondents / audience size, 0..1
    satisfaction_question: str | None = None
    satisfaction: float | None = None  # mean of the satisfaction question (None if suppressed)
    questions: list[QuestionStats] = []
    breakdown: str | None = None  # "role" or "trainer_kind"
    groups: list[GroupStats] = []
    compare_with: str | None = None
    comparison: list[ComparisonRow] = []


def question_stats(
    question: Question, responses: Sequence[Response], *, small_cell: int
) -> QuestionStats:
    """Counts, mean and texts for one question; suppressed under ``small_cell`` answers."""
    values = [r.answers[question.id] for r in responses if question.id in r.answers]
    stats = QuestionStats(
        id=question.id, text=question.text, type=question.type, answered=len(values)
    )
    if len(values) < small_cell:
        stats.suppressed = True
        return stats
    if question.type == QuestionType.SCALE:
        numbers = [int(v) for v in values if isinstance(v, int) and not isinstance(v, bool)]
        counter = Counter(numbers)
        stats.counts = {str(n): counter.get(n, 0) for n in range(SCALE_MIN, SCALE_MAX + 1)}
        stats.mean = _mean(numbers)
    elif question.type == QuestionType.YES_NO:
        stats.counts = {
            "yes": sum(1 for v in values if v is True),
            "no": sum(1 for v in values if v is False),
        }
    elif question.type == QuestionType.CHOICE:
        chosen: Counter[str] = Counter(str(v) for v in values)
        stats.counts = {option: chosen.get(option, 0) for option in question.options}
    else:
        stats.texts = sorted((str(v) for v in values), key=lambda s: (normalise(s), s))
    return stats


def _group_key(survey: Survey, response: Response) -> str | None:
    if survey.audience in (Audience.TRAINEES,) and response.role:
        return response.role.value
    if survey.audience == Audience.DUOS and response.trainer_kind:
        return response.trainer_kind.value
    return None


def _breakdown(survey: Survey) -> str | None:
    if survey.audience == Audience.TRAINEES:
        return "role"
    if survey.audience == Audience.DUOS:
        return "trainer_kind"
    return None


def _group_order(breakdown: str) -> list[str]:
    if breakdown == "role":
        return [r.value for r in all_roles()]
    return [k.value for k in TrainerKind]


def survey_report(
    survey: Survey,
    responses: Sequence[Response],
    *,
    config: Config,
    participants: Sequence[Participant],
    cities: Mapping[str, str],
    duos: Sequence[DuoRef] = (),
    compare: tuple[Survey, Sequence[Response]] | None = None,
) -> SurveyReport:
    """Response rate, statistics of every question, breakdown by audience group, comparison.

    Groups (roles, kinds of trainer) with fewer than ``reporting.small_cell`` respondents are
    suppressed; so is any question with fewer answers. ``compare`` puts another survey beside
    this one, question by question (same question id).
    """
    small = config.reporting.small_cell
    size = audience_size(survey, config=config, participants=participants, cities=cities, duos=duos)
    count = len(responses)
    rate = float(Decimal(count) / Decimal(size)) if size else None
    report = SurveyReport(
        survey_id=survey.id,
        title=survey.title,
        audience=survey.audience,
        timing=survey.timing.value,
        small_cell=small,
        audience_size=size,
        respondents=count,
        response_rate=min(rate, 1.0) if rate is not None else None,
        questions=[question_stats(q, responses, small_cell=small) for q in survey.questions],
    )
    main = survey.satisfaction_question
    if main is not None:
        report.satisfaction_question = main.id
        report.satisfaction = next(q.mean for q in report.questions if q.id == main.id)
    breakdown = _breakdown(survey)
    if breakdown:
        report.breakdown = breakdown
        by_group: dict[str, list[Response]] = {}
        for response in responses:
            key = _group_key(survey, response)
            if key:
                by_group.setdefault(key, []).append(response)
        scale_questions = [q for q in survey.questions if q.type == QuestionType.SCALE]
        for key in _group_order(breakdown):
            members = by_group.get(key, [])
            if not members:
                continue
            suppressed = len(members) < small
            means: dict[str, float | None] = {}
            for question in scale_questions:
                stats = question_stats(question, members, small_cell=small)
                means[question.id] = None if suppressed or stats.suppressed else stats.mean
            report.groups.append(
                GroupStats(key=key, respondents=len(members), suppressed=suppressed, means=means)
            )
    if compare is not None:
        other, other_responses = compare
        report.compare_with = other.id
        mine = {q.id: q for q in report.questions}
        for question in other.questions:
            here = mine.get(question.id)
            if here is None or here.type != question.type or question.type != QuestionType.SCALE:
                continue
            theirs = question_stats(question, other_responses, small_cell=small)
            report.comparison.append(
                ComparisonRow(
                    question_id=question.id,
                    text=here.text,
                    mean=here.mean,
                    answered=here.answered,
                    suppressed=here.suppressed,
                    other_mean=theirs.mean,
                    other_answered=theirs.answered,
                    other_suppressed=theirs.suppressed,
                )
            )
    return report


def default_comparison(config: Config, survey: Survey) -> Survey | None:
    """The follow-up of this survey, or the survey it follows up, when there is one."""
    if survey.follow_up_of:
        return config.survey(survey.follow_up_of)
    return next((s for s in config.surveys if s.follow_up_of == survey.id), None)
