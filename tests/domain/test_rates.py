"""The participation rate on hand-computed cases, its views, and its invariants."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.fixtures_attendance import (
    EXAMPLE_CONFIG,
    LATE_JOINER,
    applications,
    schedule,
    selection,
)

from cotrain.domain.attendance import AttendanceFile, Mark, record_marks
from cotrain.domain.config import Config
from cotrain.domain.participants import list_participants
from cotrain.domain.rates import VIEWS, Figures, completion, participation, rounded_percent
from cotrain.enums import AttendanceStatus as S
from cotrain.enums import Role
from cotrain.files.store import load_model
from cotrain.files.workspace import CONFIG

NOW = datetime(2015, 3, 6, 10, 0)
CONFIG_ = load_model(EXAMPLE_CONFIG, CONFIG)
PEOPLE = list_participants(CONFIG_, applications(), selection())
TRAINEE = [s.id for s in CONFIG_.plan.trainee_sessions]
RECIPIENTS = [p.id for p in PEOPLE if p.role != Role.ACTIVIST]
ACTIVISTS = [p.id for p in PEOPLE if p.role == Role.ACTIVIST]


def _report(
    exceptions=None,
    *,
    config: Config = CONFIG_,
    late_joiner=False,
    default=S.PRESENT,
    skip_sessions=(),
    **kwargs,
):
    """Everyone expected marked ``default`` except ``exceptions`` {(session, person): status}."""
    exceptions = exceptions or {}
    sched = schedule(config, [p.id for p in PEOPLE], late_joiner=late_joiner)
    expected = sched.expected()
    marks = [
        Mark(sid, pid, exceptions.get((sid, pid), default))
        for sid in TRAINEE
        if sid not in skip_sessions
        for pid in sorted(expected[sid])
    ]
    attendance = record_marks(
        AttendanceFile(), marks, config=config, expected=expected, now=NOW
    ).attendance
    return participation(config, PEOPLE, sched, attendance, **kwargs)


def test_twelve_missed_half_days_of_252_give_95_percent() -> None:
    missed = {(TRAINEE[i % 9], RECIPIENTS[i]): S.ABSENT for i in range(12)}

    report = _report(missed)

    recipients = report.recipients
    assert (recipients.people, recipients.expected, recipients.attended) == (28, 252, 240)
    assert rounded_percent(recipients.rate) == 95
    assert rounded_percent(recipients.rate, 1) == Decimal("95.2")
    assert report.target_met() is True
    assert (report.activists.people, report.activists.expected) == (6, 54)
    assert report.all.expected == 306


def test_excused_absence_counts_as_absence_but_apart() -> None:
    person = RECIPIENTS[0]
    marks = {(TRAINEE[0], person): S.EXCUSED, (TRAINEE[1], person): S.ABSENT}

    plain = _report(marks).by_view("person")[0].figures
    without = _report(marks, excluding_excused=True).by_view("person")[0].figures

    assert (plain.expected, plain.attended, plain.excused, plain.absent) == (9, 7, 1, 1)
    assert plain.rate == Decimal(7) / 9
    assert without.base == 8
    assert without.rate == Decimal(7) / 8


def test_late_and_left_early_count_with_their_weights() -> None:
    config = CONFIG_.model_copy(
        update={
            "attendance": CONFIG_.attendance.model_copy(
                update={"late_weight": Decimal("0.5"), "left_early_weight": Decimal("0.75")}
            )
        }
    )
    person = RECIPIENTS[0]
    marks = {(TRAINEE[0], person): S.LATE, (TRAINEE[1], person): S.LEFT_EARLY}

    weighted = _report(marks, config=config).by_view("person")[0].figures
    default = _report(marks).by_view("person")[0].figures

    assert weighted.attended == Decimal("8.25")
    assert weighted.attended_count == 9
    assert weighted.rate == Decimal("8.25") / 9
    assert default.attended == 9


def test_person_joining_late_is_expected_only_from_then_on() -> None:
    report = _report(late_joiner=True)

    joiner = next(r for r in report.by_view("person") if r.key == LATE_JOINER)
    assert (joiner.figures.expected, joiner.figures.attended, joiner.figures.rate) == (5, 5, 1)
    assert report.recipients.expected == 27 * 9 + 5


def test_unmarked_half_day_is_not_attended_and_session_is_listed() -> None:
    report = _report(skip_sessions={"j2-matin"})

    assert report.recipients.unmarked == 28
    assert report.recipients.attended == 252 - 28
    assert [s.id for s in report.sessions_without_marks] == ["j2-matin"]


def test_follow_up_lists_every_unexcused_absence_and_many_excused_ones() -> None:
    a, b, c, d = RECIPIENTS[0], RECIPIENTS[1], RECIPIENTS[2], RECIPIENTS[3]
    marks = {
        (TRAINEE[0], a): S.ABSENT,
        (TRAINEE[1], a): S.EXCUSED,
        (TRAINEE[0], b): S.ABSENT,
        (TRAINEE[0], c): S.EXCUSED,  # one excused absence: no follow-up
        (TRAINEE[0], d): S.EXCUSED,
        (TRAINEE[1], d): S.EXCUSED,  # two excused: more than the threshold
    }

    follow = _report(marks).follow_up()

    assert [(p.participant.id, p.figures.missed) for p in follow] == [(a, 2), (d, 2), (b, 1)]


def test_one_missed_last_half_day_is_not_a_drop_out_but_stopping_is() -> None:
    a, b = RECIPIENTS[0], RECIPIENTS[1]
    marks = {(TRAINEE[-1], a): S.ABSENT, (TRAINEE[-1], b): S.ABSENT, (TRAINEE[-2], b): S.EXCUSED}

    done = completion(_report(marks), "recipients")

    assert (done.started, done.completed, done.dropped_out) == (28, 27, 1)
    assert done.dropped_out_ids == (b,)


def test_city_view_has_one_row_per_city_and_one_for_all_activists() -> None:
    rows = _report().by_view("city")

    assert [r.key for r in rows] == [
        "aubervilliers",
        "bobigny",
        "bondy",
        "clichy-sous-bois",
        "montreuil",
        "saint-denis",
        "sevran",
        "activists",
    ]
    assert rows[-1].is_activists and rows[-1].figures.people == 6


def test_rounding_is_half_up() -> None:
    assert rounded_percent(Decimal("0.945")) == 95
    assert rounded_percent(Decimal("0.9449")) == 94
    assert rounded_percent(Decimal("0.12345"), 2) == Decimal("12.35")
    assert rounded_percent(None) is None


def test_nothing_expected_gives_no_rate() -> None:
    assert Figures().rate is None


_STATUS = st.sampled_from(list(S))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.dictionaries(
        st.tuples(st.sampled_from(TRAINEE), st.sampled_from([p.id for p in PEOPLE])),
        _STATUS,
        max_size=120,
    ),
    st.booleans(),
    st.sampled_from(list(S)),
)
def test_rates_stay_within_bounds_and_views_add_up(marks, excluding, default) -> None:
    report = _report(marks, excluding_excused=excluding, default=default)

    total = report.all
    for group in ("recipients", "activists", "all"):
        rate = report.total(group).rate
        assert rate is None or 0 <= rate <= 1
    for view in VIEWS:
        rows = report.by_view(view)
        assert sum(r.figures.expected for r in rows) == total.expected
        assert sum((r.figures.attended for r in rows), Decimal(0)) == total.attended
        assert sum(r.figures.excused for r in rows) == total.excused
        assert sum(r.figures.missed for r in rows) == total.missed
        for row in rows:
            assert row.figures.rate is None or 0 <= row.figures.rate <= 1
    assert report.recipients.expected + report.activists.expected == total.expected


@pytest.mark.parametrize("view", VIEWS)
def test_unknown_view_is_refused_and_known_ones_work(view) -> None:
    report = _report()
    assert report.by_view(view)
    with pytest.raises(ValueError):
        report.by_view("planet")
