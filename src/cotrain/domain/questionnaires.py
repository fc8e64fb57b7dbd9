"""The questionnaires ``cotrain.toml`` declares (``[[surveys]]``), and the bilan's settings.

Qualiopi indicator 30 asks for the feedback of trainees, the teaching team and funders, hot
(at the end) and cold (months later). A survey names its audience, when it is given, and its
questions (a 1-to-5 scale, yes/no, a choice among options, free text).

Kept apart from ``domain/surveys.py`` (answers and statistics) so that ``domain/config.py`` can
import these declarations without an import cycle.
"""

from decimal import Decimal
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator

SurveyIdent = Annotated[str, Field(min_length=1, max_length=80, pattern=r"^[a-z0-9][a-z0-9_-]*$")]

SCALE_MIN = 1
SCALE_MAX = 5


class Audience(StrEnum):
    """Who answers a questionnaire."""

    TRAINEES = "trainees"  # every participant: the cities' triads and the activists
    ACTIVISTS = "activists"
    CITIES = "cities"  # one answer per selected city
    DUOS = "duos"  # the trainers of the duos (the teaching team)
    FUNDERS = "funders"


class Timing(StrEnum):
    END_OF_DAY = "end_of_day"
    END_OF_PROGRAMME = "end_of_programme"  # "à chaud"
    FOLLOW_UP = "follow_up"  # "à froid", months later


class QuestionType(StrEnum):
    SCALE = "scale"  # 1 to 5
    YES_NO = "yes_no"
    CHOICE = "choice"
    TEXT = "text"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Question(_Strict):
    id: SurveyIdent
    text: str = Field(min_length=1)
    type: QuestionType
    options: list[str] = []  # for "choice" only

    @model_validator(mode="after")
    def _options_fit_type(self) -> "Question":
        if self.type == QuestionType.CHOICE and len(self.options) < 2:
            raise ValueError("a choice question needs at least two options")
        if self.type != QuestionType.CHOICE and self.options:
            raise ValueError("only a choice question takes options")
        if len({o.strip().casefold() for o in self.options}) != len(self.options):
            raise ValueError("options must differ")
        return self


class Survey(_Strict):
    """One questionnaire: its audience, when it is given, its questions."""

    id: SurveyIdent
    title: str = Field(min_length=1)
    audience: Audience
    timing: Timing = Timing.END_OF_PROGRAMME
    session: str = ""  # for an end-of-day survey: the session id it closes
    months_after: int = Field(default=0, ge=0)  # for a follow-up survey
    follow_up_of: str = ""  # the end-of-programme survey this one follows up (compared by default)
    # id of the overall satisfaction question (default: the first scale question)
    satisfaction: str = ""
    questions: list[Question] = Field(min_length=1)

    @model_validator(mode="after")
    def _coherent(self) -> "Survey":
        ids = [q.id for q in self.questions]
        if len(set(ids)) != len(ids):
            raise ValueError("question ids must be unique within a survey")
        if self.satisfaction:
            question = self.question(self.satisfaction)
            if question is None or question.type != QuestionType.SCALE:
                raise ValueError("satisfaction must name a scale question of this survey")
        return self

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)

    @property
    def satisfaction_question(self) -> Question | None:
        """The overall satisfaction question: the one named, else the first scale question."""
        if self.satisfaction:
            return self.question(self.satisfaction)
        return next((q for q in self.questions if q.type == QuestionType.SCALE), None)


class Objective(_Strict):
    """One objective of the action and how it was met, for the bilan (issue 11).

    ``indicator`` names a figure cotrain computes (``participation_rate`` and
    ``completion_rate`` in %, ``satisfaction`` on 5, ``trained`` people, ``cities``,
    ``trainee_hours``); with ``target`` the bilan says whether it was reached. ``result`` is
    what the team observed, in words (for qualitative objectives, or beside the figure).
    """

    objective: str
    indicator: str = Field(
        default="",
        pattern=r"^(|participation_rate|completion_rate|satisfaction|trained|cities|trainee_hours)$",
    )
    target: Decimal | None = None
    result: str = ""


class BilanSettings(_Strict):
    """``[bilan]``: what the end-of-programme report adds to the figures."""

    lessons: list[str] = []  # lessons learnt, written by the team
    title: str = ""  # default: "Bilan de la co-formation"
    objectives: list[Objective] = []


def check_surveys(surveys: list[Survey], session_ids: set[str]) -> None:
    """Raise ValueError if survey ids repeat or refer to unknown surveys or sessions."""
    ids = [s.id for s in surveys]
    if len(set(ids)) != len(ids):
        raise ValueError("survey ids must be unique")
    for survey in surveys:
        if survey.follow_up_of and survey.follow_up_of not in ids:
            raise ValueError(f"survey {survey.id!r}: follow_up_of is not a survey")
        if survey.session and survey.session not in session_ids:
            raise ValueError(f"survey {survey.id!r}: session is not in plan.sessions")
