"""Periodic self-assessments: the shipped wording, when a form is due, the series and readings."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta, timezone

import pytest

from journal_app.core.practice import assessment
from journal_app.core.records.codec import dumps, loads
from journal_app.core.records.model import AppState, SelfAssessment, decode_record

CET = timezone(timedelta(hours=1))


def made(day: date, form: str = "competency", **ratings: int) -> SelfAssessment:
    when = datetime(day.year, day.month, day.day, 18, tzinfo=CET)
    return SelfAssessment(created=when, form=form, ratings=dict(ratings))


def test_the_shipped_forms_are_ours_and_complete() -> None:
    forms = assessment.forms()
    competency, wellbeing = forms["competency"], forms["wellbeing"]
    assert [i.id for i in competency.items] == [
        "understanding", "emotions-of-others", "frameworks", "own-emotions", "palliative-care"]
    assert [i.id for i in wellbeing.items] == ["exhaustion", "detachment", "meaning", "support"]
    assert [lv.value for lv in competency.levels] == [1, 2, 3, 4, 5]
    assert all(lv.description for lv in competency.levels)
    for form in forms.values():
        assert "not a" in form.note  # labelled as personal ratings, not a score or diagnosis
    assert not wellbeing.item("exhaustion").higher_is_better  # type: ignore[union-attr]
    assert wellbeing.item("meaning").higher_is_better  # type: ignore[union-attr]


def test_the_record_round_trips_and_checks_its_ratings() -> None:
    a = replace(made(date(2026, 3, 1), understanding=2, frameworks=5),
                rotation="Internal medicine")
    back = decode_record(a.KIND, a.SCHEMA_VERSION, a.id, loads(dumps(a.payload())))
    assert back == a
    with pytest.raises(ValueError, match="1 to 5"):
        made(date(2026, 3, 1), understanding=6)
    with pytest.raises(ValueError, match="unknown self-assessment"):
        SelfAssessment(form="quiz", created=a.created)
    with pytest.raises(ValueError, match="does not have"):
        assessment.validate(made(date(2026, 3, 1), exhaustion=3))
    assessment.validate(made(date(2026, 3, 1), "wellbeing", exhaustion=3))


def test_app_state_keeps_the_rotation_length_in_range() -> None:
    assert AppState(rotation_days=42).rotation_days == 42
    with pytest.raises(ValueError, match="rotation"):
        AppState(rotation_days=3)


def test_due_waits_a_week_for_a_new_journal_then_follows_the_interval() -> None:
    today = date(2026, 3, 20)
    # Nothing written yet, or less than a week of use: not offered.
    assert not assessment.due("competency", [], today, first_use=None)
    assert not assessment.due("competency", [], today, first_use=date(2026, 3, 15))
    assert assessment.due("competency", [], today, first_use=date(2026, 3, 13))
    # Last one 27 days ago: not yet (28-day rotation); 28 days: due.
    last = [made(date(2026, 2, 21))]
    assert not assessment.due("competency", last, today, first_use=date(2025, 1, 1))
    assert assessment.due("competency", last, date(2026, 3, 21), first_use=date(2025, 1, 1))
    # The user's own rotation length wins.
    assert assessment.due("competency", last, today, date(2025, 1, 1), every_days=14)
    # A wellbeing check does not count as a competency one.
    well = [made(date(2026, 3, 19), "wellbeing", exhaustion=2)]
    assert assessment.due("competency", well, today, first_use=date(2025, 1, 1))
    assert not assessment.due("wellbeing", well, today, first_use=date(2025, 1, 1))
    # "Not now" sets it aside until that day.
    aside = assessment.next_offer_after_not_now(today)
    assert aside == date(2026, 3, 27)
    assert not assessment.due("competency", [], today, date(2025, 1, 1), set_aside_until=aside)
    assert assessment.due("competency", [], aside, date(2025, 1, 1), set_aside_until=aside)


def test_series_one_point_per_assessment_in_the_range() -> None:
    data = [
        made(date(2026, 1, 10), understanding=2, frameworks=1),
        made(date(2026, 2, 10), understanding=3),  # frameworks skipped
        made(date(2026, 3, 10), understanding=4, frameworks=3),
        made(date(2026, 3, 12), "wellbeing", exhaustion=4),
    ]
    s = assessment.assessment_series(data, "competency")
    assert s["n"] == 3
    rows = {r["id"]: r["points"] for r in s["items"]}
    assert rows["understanding"] == [{"date": "2026-01-10", "value": 2},
                                     {"date": "2026-02-10", "value": 3},
                                     {"date": "2026-03-10", "value": 4}]
    assert rows["frameworks"] == [{"date": "2026-01-10", "value": 1},
                                  {"date": "2026-03-10", "value": 3}]
    assert rows["palliative-care"] == []
    assert s["latest"] == {"date": "2026-03-10", "ratings": {"understanding": 4, "frameworks": 3}}
    ranged = assessment.assessment_series(data, "competency", date(2026, 2, 1), date(2026, 2, 28))
    assert ranged["n"] == 1
    empty = assessment.assessment_series([], "wellbeing")
    assert empty["n"] == 0 and empty["latest"] is None
    assert all(r["points"] == [] for r in empty["items"])
    both = assessment.for_trends(data, None, None)
    assert both["wellbeing"]["n"] == 1 and both["competency"]["n"] == 3


def test_readings_say_only_what_the_ratings_show() -> None:
    one = assessment.assessment_series([made(date(2026, 1, 10), understanding=2)], "competency")
    assert assessment.reading(one, "competency").startswith("One rotation self-assessment")
    grew = assessment.assessment_series([
        made(date(2026, 1, 10), understanding=2, frameworks=1, **{"own-emotions": 3}),
        made(date(2026, 3, 10), understanding=3, frameworks=4, **{"own-emotions": 3}),
    ], "competency")
    assert assessment.reading(grew, "competency") == (
        "Across 2 self-assessments you rated yourself higher on 2 of 5 competencies, most on "
        "frameworks for hard conversations.")
    steady = assessment.assessment_series(
        [made(date(2026, 1, 10), understanding=2), made(date(2026, 2, 10), understanding=2)],
        "competency")
    assert "held steady" in assessment.reading(steady, "competency")
    # Exhaustion going down is better; support going down is harder.
    well = assessment.assessment_series([
        made(date(2026, 1, 10), "wellbeing", exhaustion=4, support=4, meaning=3),
        made(date(2026, 2, 10), "wellbeing", exhaustion=2, support=3, meaning=3),
    ], "wellbeing")
    assert assessment.reading(well, "wellbeing") == (
        "2 monthly checks; better since the first: exhaustion; harder since the first: support.")
    assert assessment.reading(assessment.assessment_series([], "wellbeing"), "wellbeing") == ""


def test_to_offer_competency_first_then_wellbeing_unless_turned_off() -> None:
    today = date(2026, 3, 20)
    start = date(2026, 1, 1)
    state = AppState()
    assert assessment.to_offer(state, [], today, first_use=None) is None
    assert assessment.to_offer(state, [], today, start) == "competency"
    done = [made(date(2026, 3, 19), understanding=3)]
    assert assessment.to_offer(state, done, today, start) == "wellbeing"
    state = assessment.set_aside(state, "wellbeing", today)
    assert state.assessment_set_aside == {"wellbeing": "2026-03-27"}
    assert assessment.to_offer(state, done, today, start) is None
    assert assessment.to_offer(state, done, date(2026, 3, 27), start) == "wellbeing"
    state = replace(state, wellbeing_check=False)
    assert assessment.to_offer(state, done, date(2026, 3, 27), start) is None
    # The user's rotation length: 14 days after the last one, offered again.
    state = replace(state, rotation_days=14)
    assert assessment.to_offer(state, done, date(2026, 4, 2), start) == "competency"
    # A damaged set-aside day is ignored, not an error.
    state = replace(state, assessment_set_aside={"competency": "not a day"})
    assert assessment.to_offer(state, done, date(2026, 4, 2), start) == "competency"
