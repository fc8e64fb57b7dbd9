"""Survey statistics on hand-computed cases, small-group suppression, answer parsing, merging."""

from __future__ import annotations

import pytest

from cotrain.domain.config import Config
from cotrain.domain.models import Participant
from cotrain.domain.questionnaires import Question, QuestionType, Survey
from cotrain.domain.surveys import (
    AnswerProblem,
    Response,
    SurveysFile,
    merge_responses,
    parse_answer,
    parse_role,
    question_stats,
    survey_report,
)
from cotrain.enums import Role

SCALE = Question(id="satisfaction", text="Satisfait·e ?", type=QuestionType.SCALE)
YES_NO = Question(id="conseiller", text="Conseilleriez-vous ?", type=QuestionType.YES_NO)
CHOICE = Question(
    id="moment",
    text="Quel moment ?",
    type=QuestionType.CHOICE,
    options=["Les pairs", "Le théâtre-forum"],
)
TEXT = Question(id="retenu", text="Qu'avez-vous retenu ?", type=QuestionType.TEXT)
SURVEY = Survey(
    id="fin", title="Fin de formation", audience="trainees", questions=[SCALE, YES_NO, CHOICE, TEXT]
)


def _response(number: int, role: Role | None = None, **answers: object) -> Response:
    return Response(id=f"r-{number:04d}", role=role, answers=answers, source="f.csv")


def _participants(count: int) -> list[Participant]:
    return [
        Participant(id=f"p{i}", name=f"Personne {i}", role=Role.PROFESSIONAL) for i in range(count)
    ]


def test_scale_statistics_match_hand_computation() -> None:
    responses = [_response(i, satisfaction=v) for i, v in enumerate([5, 4, 4, 3, 5, 2])]

    stats = question_stats(SCALE, responses, small_cell=3)

    # (5 + 4 + 4 + 3 + 5 + 2) / 6 = 23 / 6 = 3.8333 -> 3.83
    assert (stats.answered, stats.mean) == (6, 3.83)
    assert stats.counts == {"1": 0, "2": 1, "3": 1, "4": 2, "5": 2}


def test_mean_rounds_half_up_to_two_decimals() -> None:
    # 4.125 exactly: a float would round it down to 4.12.
    responses = [_response(i, satisfaction=v) for i, v in enumerate([4, 4, 4, 4, 4, 4, 5, 4])]

    assert question_stats(SCALE, responses, small_cell=3).mean == 4.13


def test_yes_no_and_choice_are_counted() -> None:
    responses = [
        _response(1, conseiller=True, moment="Les pairs"),
        _response(2, conseiller=True, moment="Les pairs"),
        _response(3, conseiller=False, moment="Le théâtre-forum"),
        _response(4, conseiller=True),
    ]

    yes_no = question_stats(YES_NO, responses, small_cell=3)
    choice = question_stats(CHOICE, responses, small_cell=3)

    assert yes_no.counts == {"yes": 3, "no": 1}
    assert choice.counts == {"Les pairs": 2, "Le théâtre-forum": 1}


def test_free_text_is_listed_alphabetically_not_in_row_order() -> None:
    responses = [
        _response(1, retenu="Zut, trop court"),
        _response(2, retenu="écouter d'abord"),
        _response(3, retenu="Avoir confiance"),
    ]

    stats = question_stats(TEXT, responses, small_cell=3)

    assert stats.texts == ["Avoir confiance", "écouter d'abord", "Zut, trop court"]


def test_fewer_answers_than_small_cell_are_suppressed() -> None:
    responses = [_response(1, satisfaction=5, retenu="Bien"), _response(2, satisfaction=1)]

    scale = question_stats(SCALE, responses, small_cell=3)
    text = question_stats(TEXT, responses, small_cell=3)

    assert (scale.suppressed, scale.mean, scale.counts) == (True, None, {})
    assert (text.suppressed, text.texts) == (True, [])


def test_report_gives_response_rate_and_suppresses_small_role_groups() -> None:
    config = Config()
    responses = [_response(i, Role.PROFESSIONAL, satisfaction=4) for i in range(5)]
    responses += [
        _response(10, Role.ELECTED, satisfaction=1),
        _response(11, Role.ELECTED, satisfaction=2),
    ]

    report = survey_report(
        SURVEY, responses, config=config, participants=_participants(10), cities={}
    )

    assert (report.respondents, report.audience_size, report.response_rate) == (7, 10, 0.7)
    groups = {g.key: g for g in report.groups}
    assert groups["professional"].means == {"satisfaction": 4.0}
    assert (groups["elected"].suppressed, groups["elected"].means) == (True, {"satisfaction": None})


def test_small_cell_follows_the_configuration() -> None:
    config = Config.model_validate({"reporting": {"small_cell": 5}})
    responses = [_response(i, satisfaction=4) for i in range(4)]

    report = survey_report(
        SURVEY, responses, config=config, participants=_participants(4), cities={}
    )

    assert (report.questions[0].suppressed, report.satisfaction) == (True, None)


def test_comparison_puts_shared_scale_questions_side_by_side() -> None:
    follow_up = Survey(
        id="suivi", title="Suivi", audience="trainees", timing="follow_up", questions=[SCALE]
    )
    now = [_response(i, satisfaction=5) for i in range(3)]
    later = [_response(i, satisfaction=v) for i, v in enumerate([3, 4, 4, 5])]

    report = survey_report(
        SURVEY,
        now,
        config=Config(),
        participants=_participants(4),
        cities={},
        compare=(follow_up, later),
    )

    assert [(r.question_id, r.mean, r.other_mean) for r in report.comparison] == [
        ("satisfaction", 5.0, 4.0)
    ]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("4", 4),
        (4, 4),
        (4.0, 4),
        ("4 - Satisfait", 4),
        ("A5", 5),
        (" 1 ", 1),
        ("", None),
        (None, None),
    ],
)
def test_scale_answers_are_read_as_people_write_them(raw: object, expected: int | None) -> None:
    assert parse_answer(SCALE, raw) == expected


@pytest.mark.parametrize(
    ("raw", "code"), [("6", "out_of_scale"), ("0", "out_of_scale"), ("beaucoup", "not_a_number")]
)
def test_bad_scale_answers_are_refused(raw: str, code: str) -> None:
    with pytest.raises(AnswerProblem) as caught:
        parse_answer(SCALE, raw)
    assert caught.value.code == code


def test_yes_no_and_choice_answers_are_read_loosely_but_checked() -> None:
    assert [parse_answer(YES_NO, v) for v in ("Oui", "N", "Y", "non")] == [True, False, True, False]
    assert parse_answer(CHOICE, "le theatre-forum") == "Le théâtre-forum"
    assert parse_answer(CHOICE, "1") == "Les pairs"
    with pytest.raises(AnswerProblem):
        parse_answer(CHOICE, "La restitution")
    with pytest.raises(AnswerProblem):
        parse_answer(YES_NO, "peut-être")


def test_roles_are_read_from_form_wording() -> None:
    words = [
        "Élu·e",
        "Délégué du préfet",
        "agent de la ville",
        "Militante",
        "prefect_delegate",
        "?",
    ]
    assert [parse_role(w) for w in words] == [
        Role.ELECTED,
        Role.PREFECT_DELEGATE,
        Role.PROFESSIONAL,
        Role.ACTIVIST,
        Role.PREFECT_DELEGATE,
        None,
    ]


def test_merging_the_same_file_twice_changes_nothing_and_keeps_other_files() -> None:
    paper = [Response(id="papier-0002", answers={"satisfaction": 4}, source="papier.csv")]
    online = [Response(id="en-ligne-0002", answers={"satisfaction": 5}, source="en-ligne.csv")]
    first = merge_responses(SurveysFile(), "fin", source="papier.csv", responses=paper).file
    both = merge_responses(first, "fin", source="en-ligne.csv", responses=online).file

    again = merge_responses(both, "fin", source="en-ligne.csv", responses=online)

    assert again.changed is False
    assert again.file == both
    assert [r.id for r in both.responses("fin")] == ["en-ligne-0002", "papier-0002"]


def test_a_named_respondent_answering_in_two_files_is_reported() -> None:
    first = merge_responses(
        SurveysFile(),
        "fin",
        source="a.csv",
        responses=[
            Response(
                id="awa-diallo",
                respondent="awa-diallo",
                answers={"satisfaction": 4},
                source="a.csv",
            )
        ],
    ).file

    result = merge_responses(
        first,
        "fin",
        source="b.csv",
        responses=[
            Response(
                id="awa-diallo",
                respondent="awa-diallo",
                answers={"satisfaction": 5},
                source="b.csv",
            )
        ],
    )

    assert result.duplicates == ["awa-diallo"]


def test_importing_any_valid_file_twice_changes_nothing(tmp_path) -> None:
    import csv

    from hypothesis import HealthCheck, assume, given, settings
    from hypothesis import strategies as st

    from cotrain.files.importers.survey import import_answers

    rows_strategy = st.lists(
        st.tuples(
            st.sampled_from(["Élu", "Militante", "agent", ""]),
            st.one_of(st.none(), st.integers(1, 5)),
            st.sampled_from(["oui", "non", "", "Y"]),
            st.text(alphabet="abcdeé ;,\"'", max_size=12),
        ),
        min_size=1,
        max_size=12,
    )

    @settings(
        max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
    )
    @given(rows=rows_strategy)
    def check(rows) -> None:
        # A file of blank rows is refused by the reader ("no answers"): not this property.
        assume(any(r or s is not None or y or x.strip() for r, s, y, x in rows))
        path = tmp_path / "reponses.csv"
        with path.open("w", encoding="cp1252", newline="") as handle:
            writer = csv.writer(handle, delimiter=";")
            writer.writerow(["Rôle", "satisfaction", "conseiller", "retenu"])
            writer.writerows([[r, "" if s is None else s, y, x] for r, s, y, x in rows])

        def once(current: SurveysFile):
            result = import_answers(
                path, SURVEY, respondents={}, session_ids=[], duos=[], trainer_names={}, cities={}
            )
            return merge_responses(current, SURVEY.id, source=path.name, responses=result.responses)

        first = once(SurveysFile())
        second = once(first.file)

        assert second.changed is False
        assert second.file == first.file

    check()
