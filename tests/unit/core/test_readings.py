"""The readings of the trends (the sentences under the dashboard's charts and the summary's
rows), compared whole, against small journals worked out by hand; and the one trends set-up
(:func:`journal_trends`) that the dashboard, the command line and the benchmarks share."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from typing import Any

from journal_app.core.practice.journal_trends import journal_trends
from journal_app.core.practice.readings import (
    Reading,
    chart_readings,
    series_reading,
    stress_after_encounters,
    summary_rows,
    writing_reading,
)
from journal_app.core.practice.trends import Trends, series_json
from journal_app.core.records.model import (
    CheckIn,
    CopingRating,
    Emotion,
    Entry,
    Reflection,
    StepAnswer,
)
from journal_app.core.vault.journal import Journal

CET = timezone(timedelta(hours=1))
MARCH_1 = date(2026, 3, 1)
MARCH_31 = date(2026, 3, 31)


def at(day: date, hour: int = 12) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=CET)


def march(n: int) -> date:
    return date(2026, 3, n)


def points(values: list[float | None], first: date = date(2026, 1, 1)) -> list[dict[str, Any]]:
    """A series as the figures hold it: one value a day from ``first`` (None: no rating)."""
    return series_json([(first + timedelta(days=i), float(v))
                        for i, v in enumerate(values) if v is not None])


def trends_of(journal: Journal, records: list[Any], start: date = MARCH_1,
              end: date = MARCH_31) -> Trends:
    journal.import_records(records, writing_only=False)
    return journal_trends(journal, start, end, today=MARCH_31)


# ------------------------------------------------------------------ a series in one sentence


def test_too_few_points_say_so() -> None:
    assert series_reading("mood", points([2, 3])) == "Not enough mood ratings in this range yet."
    assert series_reading("burnout", []) == "Not enough burnout ratings in this range yet."


def test_fewer_than_thirty_days_give_the_plain_average() -> None:
    assert series_reading("mood", points([1, 2, 4])) == (
        "Your mood averaged 2.3 over 3 rated days in this range.")


def test_gaps_are_not_filled_in() -> None:
    """Days 1, 2 and 36: one point after the first 30 days is not a trend of 30-day means."""
    values: list[float | None] = [1, 2, *([None] * 33), 6]
    assert series_reading("stress", points(values)) == (
        "Your stress averaged 3.0 over 3 rated days in this range.")


def test_rising_and_falling_thirty_day_averages() -> None:
    low_then_high: list[float | None] = [-2] * 20 + [2] * 20
    # Day 30: (20 x -2 + 10 x 2) / 30 = -0.67; day 40: (10 x -2 + 20 x 2) / 30 = 0.67.
    assert series_reading("mood", points(low_then_high)) == (
        "Your 30-day average mood went from -0.7 to 0.7 over this range (40 days rated).")
    assert series_reading("mood", points(low_then_high[::-1])) == (
        "Your 30-day average mood went from 0.7 to -0.7 over this range (40 days rated).")


def test_a_flat_series_reads_flat() -> None:
    assert series_reading("energy", points([1] * 35)) == (
        "Your 30-day average energy went from 1.0 to 1.0 over this range (35 days rated).")


def test_a_severe_step_is_read_as_the_thirty_day_mean_not_the_spike() -> None:
    # Stress 0 for 30 days, then 10 for 10: the 30-day mean ends at 100 / 30.
    assert series_reading("stress", points([0] * 30 + [10] * 10)) == (
        "Your 30-day average stress went from 0.0 to 3.3 over this range (40 days rated).")


def test_a_gap_inside_the_thirty_days_shortens_the_sample() -> None:
    # Days 1 to 10 at 4, nothing for 20 days, days 31 to 33 at 1. The window of day 31 holds
    # days 2 to 10 and 31: (9 x 4 + 1) / 10; that of day 33 days 4 to 10 and 31 to 33:
    # (7 x 4 + 3 x 1) / 10. The days without data are not counted as zeros.
    values: list[float | None] = [4] * 10 + [None] * 20 + [1] * 3
    assert series_reading("burnout", points(values)) == (
        "Your 30-day average burnout went from 3.7 to 3.1 over this range (13 days rated).")


def test_a_mean_just_below_zero_reads_zero_not_minus_zero() -> None:
    """Seen: "went from -0.0 to 0.2". Day 30's window holds one -1 among zeros (-1 / 30), day
    31's adds a 6 (5 / 30): a mean that rounds to zero reads 0.0, whatever its sign."""
    assert series_reading("mood", points([0] * 29 + [-1, 6])) == (
        "Your 30-day average mood went from 0.0 to 0.2 over this range (31 days rated).")
    # The plain average too (one point after the first 30 days is not a trend).
    assert series_reading("mood", points([-1] + [0] * 29)) == (
        "Your mood averaged 0.0 over 30 rated days in this range.")


# ------------------------------------------------------------------ every chart, whole


def test_the_readings_of_a_first_week(journal: Journal) -> None:
    records = [CheckIn(created=at(march(n)), mood=1, stress=4,
                       emotions=[Emotion("tired", 2)],
                       encounter="bad-news" if n == 1 else None) for n in range(1, 7)]
    trends = trends_of(journal, records)
    assert chart_readings(trends) == (
        Reading("mood", "Mood and energy",
                "Your mood averaged 1.0 over 6 rated days in this range.", True,
                "Check in for a few days and this chart will fill in."),
        Reading("stress", "Stress (0 to 10)",
                "Your stress averaged 4.0 over 6 rated days in this range.", True,
                "Check in for a few days and this chart will fill in."),
        Reading("burnout", "Burnout (1 to 5)",
                "Not enough burnout ratings in this range yet.", False,
                "Check in for a few days and this chart will fill in."),
        Reading("calendar", "Mood calendar",
                "6 of 31 days have a mood: 6 above zero (purple), 0 below (orange). Click a day "
                "to open it.", True, "Rate your mood when you check in."),
        Reading("emotions", "Emotions named most often",
                "You named tired most often: 6 of 6 mentions.", True,
                "Name an emotion in a check-in or entry."),
        Reading("emotions_time", "Emotions over time (mentions a month)", "", False,
                "Name emotions over at least two months and this chart fills in."),
        Reading("encounters", "Difficult encounters per month",
                "1 difficult encounter in this range; the most common was breaking bad news "
                "(1).", True, "No difficult encounters recorded in this range."),
        Reading("coping", "Coping strategies by rated help (−2 to +2)", "", False,
                "Rate what helped in a guided reflection."),
        Reading("facets", "Competency 4: facets you reflected on", "", False,
                "Answer a prompt or a guided reflection to fill this in."),
        Reading("depth", "Depth of reflection (REFLECT levels)", "", False,
                "Rate the depth at the end of a guided reflection."),
        Reading("competency", "Rotation self-assessment (personal ratings)", "", False,
                "Take the rotation self-assessment (Trends menu) to see how you grow."),
        Reading("wellbeing", "Monthly wellbeing check (personal ratings)", "", False,
                "Take the monthly wellbeing check (Trends menu) to see it over time."),
    )
    assert writing_reading(trends) == Reading(
        "summary", "Writing", "0 words in 0 entries in this range.", True, "")
    assert summary_rows(trends) == [
        ("Mood (−5 to 5)", "mean 1.0, from 1 to 1, 6 days"),
        ("Stress (0 to 10)", "mean 4.0, from 4 to 4, 6 days"),
        ("Writing", "0 entries, 0 words"),
        ("Difficult encounters", "1 (breaking bad news 1)"),
        ("Emotions named most", "tired 6"),
        ("Competency 4 facets", "0 of 11 reflected on"),
    ]


def test_streaks_are_read_only_when_turned_on(journal: Journal) -> None:
    journal.update_app_state(lambda s: replace(s, show_streaks=True))
    records: list[Any] = [CheckIn(created=at(march(n)), mood=0) for n in range(25, 32)]
    records.append(Entry(created=at(march(30)), updated=at(march(30)), title="Night",
                         body="a long shift"))
    trends = trends_of(journal, records)
    assert writing_reading(trends) == Reading(
        "summary", "Streaks and writing",
        "4 words in 1 entry in this range.\n"
        "Check-in streak: 7 days now, longest 7 days.\n"
        "Writing streak: 1 day now, longest 1 day.", True, "")
    assert summary_rows(trends)[1:4] == [
        ("Check-in streak", "7 days now, longest 7 days"),
        ("Writing streak", "1 day now, longest 1 day"),
        ("Writing", "1 entry, 4 words"),
    ]


def _stress_days(encounter_days: int) -> list[Any]:
    """Encounters on the first ``encounter_days`` days of March; stress 8 on the day after
    each, 2 on the 7 days after that."""
    records: list[Any] = [CheckIn(created=at(march(n), 9), encounter="code")
                          for n in range(1, encounter_days + 1)]
    for n in range(2, encounter_days + 9):
        records.append(CheckIn(created=at(march(n), 20), stress=8 if n <= encounter_days + 1
                               else 2))
    return records


def test_stress_after_encounters_needs_five_days_on_each_side(journal: Journal) -> None:
    trends = trends_of(journal, _stress_days(5))
    readings = {r.key: r.sentence for r in chart_readings(trends)}
    assert readings["encounters"] == (
        "5 difficult encounters in this range; the most common was a code or resuscitation (5). "
        "Stress averaged 8.0 on days after a difficult encounter and 2.0 on other days.")


def test_four_days_after_an_encounter_are_too_few(journal: Journal) -> None:
    trends = trends_of(journal, _stress_days(4))
    assert stress_after_encounters(trends) == ""
    readings = {r.key: r.sentence for r in chart_readings(trends)}
    assert readings["encounters"] == (
        "4 difficult encounters in this range; the most common was a code or resuscitation "
        "(4).")


def _reflection(day: date, strategy: str, helped: int, **kw: Any) -> Reflection:
    return Reflection(created=at(day, 21), updated=at(day, 21), template_id="gibbs",
                      answers=[StepAnswer("c", "coping",
                                          coping=[CopingRating(strategy, helped)])], **kw)


def test_the_most_helpful_strategy_needs_three_uses_and_is_never_costly(
        journal: Journal) -> None:
    records = [_reflection(march(n), "talked-to-someone", 2) for n in (2, 4, 6)]
    records += [_reflection(march(n), "substance-use", 2) for n in (3, 5, 7, 9)]
    records += [_reflection(march(n), "debrief", 1) for n in (8, 10)]
    trends = trends_of(journal, records)
    readings = {r.key: r for r in chart_readings(trends)}
    assert readings["coping"] == Reading(
        "coping", "Coping strategies by rated help (−2 to +2)",
        "Talked it through with someone I trust was rated most helpful (+2.0 on average, "
        "3 uses).", True, "Rate what helped in a guided reflection.")
    # In a sentence, only the label's first letter is lowered: "someone I trust", never "i".
    assert ("Rated most helpful", "talked it through with someone I trust +2.0") in (
        summary_rows(trends))


def test_a_headline_of_what_helps_says_it_is_not_proof(journal: Journal) -> None:
    """Talked to someone on 8 evenings: mood 3 on each next day, 0 on the 8 other days."""
    records: list[Any] = []
    for i in range(8):
        day = march(1 + 2 * i)
        records.append(_reflection(day, "talked-to-someone", 1))
        records.append(CheckIn(created=at(day, 8), mood=0))
        records.append(CheckIn(created=at(day + timedelta(days=1), 8), mood=3))
    trends = trends_of(journal, records)
    sentence = ("On days after you talked it through with someone I trust, your mood averaged "
                "3.0 (8 days), and 0.0 on other days (8 days). A pattern in your own entries, "
                "not proof.")
    readings = {r.key: r.sentence for r in chart_readings(trends)}
    assert readings["coping"] == sentence
    assert ("Mood the day after", sentence) in summary_rows(trends)


def test_depth_over_two_months_and_facets_of_a_template(journal: Journal) -> None:
    """Gibbs reflects on naming emotions and attitudes; a patient's death on naming emotions,
    coping and support."""
    records = [
        Reflection(created=at(date(2026, 2, 10)), updated=at(date(2026, 2, 10)),
                   template_id="gibbs", depth="thoughtful-action"),
        Reflection(created=at(march(10)), updated=at(march(10)), template_id="patient-death",
                   depth="critical-reflection"),
    ]
    trends = trends_of(journal, records, start=date(2026, 2, 1))
    readings = {r.key: r for r in chart_readings(trends)}
    assert readings["depth"].sentence == (
        "Your self-rated depth averaged 2.0 in February and 4.0 in March 2026 "
        "(2 reflections rated).")
    assert readings["facets"] == Reading(
        "facets", "Competency 4: facets you reflected on",
        "You reflected on 4 of 11 facets; not yet: signals from the body, what set it off, "
        "living with uncertainty and more.", True,
        "Answer a prompt or a guided reflection to fill this in.")
    assert ("Depth of reflection", "mean 3.0 of 4, 2 rated") in summary_rows(trends)


def test_one_month_of_depth_is_a_plain_average(journal: Journal) -> None:
    records = [Reflection(created=at(march(n)), updated=at(march(n)), template_id="free",
                          depth="reflection") for n in (3, 4)]
    trends = trends_of(journal, records)
    readings = {r.key: r.sentence for r in chart_readings(trends)}
    assert readings["depth"] == "2 reflections rated, averaging 3.0 of 4."


# ------------------------------------------------------------------ the one set-up


def test_the_set_up_carries_the_words_and_the_settings(journal: Journal) -> None:
    records = [CheckIn(created=at(march(2)), encounter="error"),
               CheckIn(created=at(date(2026, 4, 2)), encounter="code")]
    trends = trends_of(journal, records)
    assert trends.encounter_days == frozenset({march(2)})  # the range's only
    assert trends.coping_labels["talked-to-someone"] == "Talked it through with someone I trust"
    assert trends.coping_groups["substance-use"] == "avoidance"
    assert trends.reflect_labels == ("Telling what happened", "Thinking it through",
                                     "Making sense of it", "Seeing it in a new way")
    assert trends.show_streaks is False
    assert trends.span() == (MARCH_1, MARCH_31)
    assert journal_trends(journal).span() is None  # all time: open at both ends
