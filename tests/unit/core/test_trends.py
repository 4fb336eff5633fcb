"""Trends: every statistic against small hand-computed data sets."""

from __future__ import annotations

import json
import math
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from journal_app.core.practice import trends
from journal_app.core.practice.prompts import FACETS, load_library
from journal_app.core.records.model import (
    CheckIn,
    CopingRating,
    Emotion,
    Entry,
    Reflection,
    StepAnswer,
)

from .strategies import entries as any_entries

CET = timezone(timedelta(hours=1))
BERLIN = ZoneInfo("Europe/Berlin")


def at(day: int, hour: int = 12, month: int = 3, tz: timezone | ZoneInfo = CET) -> datetime:
    return datetime(2026, month, day, hour, 0, tzinfo=tz)


def d(day: int, month: int = 3) -> date:
    return date(2026, month, day)


def checkin(day: int, hour: int = 12, month: int = 3, **kw: object) -> CheckIn:
    return CheckIn(created=at(day, hour, month), **kw)  # type: ignore[arg-type]


def entry(day: int, hour: int = 12, month: int = 3, **kw: object) -> Entry:
    when = at(day, hour, month)
    return Entry(created=when, updated=when, **kw)  # type: ignore[arg-type]


def reflection(day: int, month: int = 3, coping: tuple[str, ...] = (), **kw: object) -> Reflection:
    when = at(day, 21, month)
    answers = [StepAnswer("c", "coping", coping=[CopingRating(s, 1) for s in coping])]
    return Reflection(created=when, updated=when, answers=answers, **kw)  # type: ignore[arg-type]


# ------------------------------------------------------------------------------------ series


def sample() -> tuple[list[Entry], list[CheckIn]]:
    """Mood: Mar 1 = mean(2, 4, 0) = 2.0; Mar 3 = -1.0; Mar 10 = 5.0 (gaps between)."""
    checkins = [
        checkin(1, 8, mood=2, burnout=2), checkin(1, 20, mood=4, burnout=4),
        checkin(3, mood=-1, stress=7, burnout=1),
    ]
    entries = [entry(1, mood=0, energy=3), entry(10, mood=5), entry(11)]
    return entries, checkins


def test_daily_series_averages_one_point_a_day_from_checkins_and_entries() -> None:
    entries, checkins = sample()
    assert trends.daily_series(entries, checkins, "mood") == [
        (d(1), 2.0), (d(3), -1.0), (d(10), 5.0)]
    assert trends.daily_series(entries, checkins, "energy") == [(d(1), 3.0)]
    assert trends.daily_series(entries, checkins, "stress") == [(d(3), 7.0)]
    assert trends.daily_series(entries, checkins, "burnout") == [(d(1), 3.0), (d(3), 1.0)]
    assert trends.daily_series([], [], "mood") == []
    with pytest.raises(ValueError):
        trends.daily_series(entries, checkins, "sleep")


def test_rolling_means_are_over_calendar_days_with_data() -> None:
    points = [(d(1), 2.0), (d(3), -1.0), (d(10), 5.0)]
    # Mar 10's 7-day window is Mar 4..10: only itself; its 30-day window holds all three.
    assert trends.rolling_means(points, 7) == [2.0, 0.5, 5.0]
    assert trends.rolling_means(points, 30) == [2.0, 0.5, 2.0]
    # The window's edge: Mar 1 is in Mar 7's 7-day window, not in Mar 8's.
    edge = [(d(1), 7.0), (d(7), 1.0), (d(8), 3.0)]
    assert trends.rolling_means(edge, 7) == [7.0, 4.0, 2.0]
    assert trends.rolling_means([], 7) == []
    with pytest.raises(ValueError):
        trends.rolling_means(points, 0)


def test_series_json_rows() -> None:
    rows = trends.series_json([(d(1), 2.0), (d(3), -1.0), (d(10), 5.0)])
    assert rows == [
        {"date": "2026-03-01", "value": 2.0, "mean7": 2.0, "mean30": 2.0},
        {"date": "2026-03-03", "value": -1.0, "mean7": 0.5, "mean30": 0.5},
        {"date": "2026-03-10", "value": 5.0, "mean7": 5.0, "mean30": 2.0},
    ]


def test_days_are_the_local_day_of_each_records_own_offset() -> None:
    new_york = timezone(timedelta(hours=-5))
    tokyo = timezone(timedelta(hours=9))
    checkins = [
        CheckIn(created=datetime(2026, 3, 1, 23, 30, tzinfo=CET), mood=1),
        # 04:30 UTC on Mar 2, but 23:30 on Mar 1 where it was written.
        CheckIn(created=datetime(2026, 3, 1, 23, 30, tzinfo=new_york), mood=3),
        # 15:30 UTC on Mar 1, but Mar 2 in Tokyo.
        CheckIn(created=datetime(2026, 3, 2, 0, 30, tzinfo=tokyo), mood=-4),
    ]
    assert trends.daily_series([], checkins, "mood") == [(d(1), 2.0), (d(2), -4.0)]
    assert trends.streaks((trends.day_of(c) for c in checkins), d(2)) == {
        "current": 2, "longest": 2}


def test_a_daylight_saving_change_neither_splits_nor_merges_days() -> None:
    # Europe/Berlin springs forward at 02:00 on 2026-03-29 (+01:00 -> +02:00).
    times = [
        datetime(2026, 3, 28, 23, 30, tzinfo=BERLIN),
        datetime(2026, 3, 29, 1, 30, tzinfo=BERLIN),
        datetime(2026, 3, 29, 3, 30, tzinfo=BERLIN),
        datetime(2026, 3, 30, 0, 30, tzinfo=BERLIN),
    ]
    assert [t.utcoffset() for t in times] == [timedelta(hours=h) for h in (1, 1, 2, 2)]
    checkins = [CheckIn(created=t, mood=m) for t, m in zip(times, (1, 2, 4, -2), strict=True)]
    mood = trends.daily_series([], checkins, "mood")
    assert mood == [(date(2026, 3, 28), 1.0), (date(2026, 3, 29), 3.0), (date(2026, 3, 30), -2.0)]
    assert trends.rolling_means(mood, 7) == [1.0, 2.0, 2.0 / 3]
    assert trends.streaks((trends.day_of(c) for c in checkins), date(2026, 3, 30)) == {
        "current": 3, "longest": 3}
    assert [c["date"] for c in trends.mood_calendar(mood)] == [
        "2026-03-28", "2026-03-29", "2026-03-30"]


# ---------------------------------------------------------------------------------- emotions


def test_emotion_stats_by_frequency_intensity_and_month() -> None:
    entries = [entry(1, emotions=[Emotion("sad", 4), Emotion("tired", 2)])]
    checkins = [checkin(1, emotions=[Emotion("Sad", 2)]), checkin(2, 9, 4,
                                                                  emotions=[Emotion("calm", 3)])]
    stats = trends.emotion_stats(entries, checkins)
    assert stats == {
        "total": 4,
        "items": [
            {"name": "sad", "count": 2, "mean_intensity": 3.0},
            {"name": "calm", "count": 1, "mean_intensity": 3.0},
            {"name": "tired", "count": 1, "mean_intensity": 2.0},
        ],
        "over_time": [
            {"month": "2026-03", "counts": {"sad": 2, "tired": 1}},
            {"month": "2026-04", "counts": {"calm": 1}},
        ],
    }
    assert trends.emotion_stats([], []) == {"total": 0, "items": [], "over_time": []}


def test_encounter_counts_count_a_reflection_after_its_checkin_once() -> None:
    first = checkin(1, encounter="code")
    entries = [
        reflection(1, encounter="code", checkin_id=first.id),
        entry(5, encounter="error"),
        entry(6),
    ]
    checkins = [first, checkin(2, month=4, encounter="code"), checkin(3)]
    assert trends.encounter_counts(entries, checkins) == {
        "total": 3,
        "counts": {"code": 2, "error": 1},
        "over_time": [
            {"month": "2026-03", "counts": {"code": 1, "error": 1}},
            {"month": "2026-04", "counts": {"code": 1}},
        ],
    }
    # Without its check-in in the data, the reflection's encounter counts.
    assert trends.encounter_counts(entries, [])["counts"] == {"code": 1, "error": 1}


# ------------------------------------------------------------------------------------ coping


def test_coping_stats_by_use_and_by_help() -> None:
    when = at(1, 21)
    a = Reflection(created=when, updated=when, answers=[StepAnswer(
        "c", "coping", coping=[CopingRating("walk", 2), CopingRating("talk", 0)])])
    b = Reflection(created=when, updated=when, answers=[
        StepAnswer("c", "coping", coping=[CopingRating("walk", -1)]),
        StepAnswer("d", "coping", coping=[CopingRating("sleep", 1)]),
        StepAnswer("e", "text", text="no coping here"),
    ])
    stats = trends.coping_stats([a, b, entry(2)])
    walk = {"strategy": "walk", "uses": 2, "mean_helped": 0.5}
    talk = {"strategy": "talk", "uses": 1, "mean_helped": 0.0}
    sleep = {"strategy": "sleep", "uses": 1, "mean_helped": 1.0}
    assert stats == {"total": 4, "by_use": [walk, sleep, talk], "by_help": [sleep, walk, talk]}
    assert trends.coping_stats([]) == {"total": 0, "by_use": [], "by_help": []}


def what_helps_data(reflection_days: tuple[int, ...]) -> tuple[list[Entry], list[CheckIn]]:
    """Mar 1..12: mood 3 / stress 2 on even days, mood -1 / stress 6 on odd days."""
    checkins = [checkin(day, mood=3 if day % 2 == 0 else -1, stress=2 if day % 2 == 0 else 6)
                for day in range(1, 13)]
    entries: list[Entry] = [reflection(day, coping=("walk",)) for day in reflection_days]
    return entries, checkins


def test_what_helps_compares_the_day_after_with_the_other_days() -> None:
    entries, checkins = what_helps_data((1, 3, 5, 7, 9, 12))
    mood = trends.daily_series(entries, checkins, "mood")
    stress = trends.daily_series(entries, checkins, "stress")
    result = trends.what_helps(entries, mood, stress)
    # With: Mar 2, 4, 6, 8, 10 (Mar 13 has no data). Without: Mar 1, 3, 5, 7, 9, 11, 12.
    expected = {
        "days_used": 6, "n_with": 5, "n_without": 7, "enough_data": True,
        "with": {"mood": 3.0, "stress": 2.0},
        "without": {"mood": round(-3 / 7, 4), "stress": round(38 / 7, 4)},
        "mood_days": {"with": 5, "without": 7},
    }
    assert result == [{"key": "reflection", **expected}, {"key": "walk", **expected}]


def test_what_helps_makes_no_claim_below_five_days() -> None:
    entries, checkins = what_helps_data((1, 3, 5, 7))
    mood = trends.daily_series(entries, checkins, "mood")
    stress = trends.daily_series(entries, checkins, "stress")
    result = trends.what_helps(entries, mood, stress)
    assert [(r["key"], r["n_with"], r["n_without"], r["enough_data"]) for r in result] == [
        ("reflection", 4, 8, False), ("walk", 4, 8, False)]
    assert all(r["with"] == r["without"] == {"mood": None, "stress": None} for r in result)
    assert trends.what_helps([], mood, stress) == []
    assert trends.what_helps(entries, [], [])[0]["n_with"] == 0


# ---------------------------------------------------------------------- streaks and calendar


def test_streaks_current_and_longest() -> None:
    days = [d(1), d(2), d(3), d(5), d(6), d(8), d(8)]
    assert trends.streaks(days, d(8)) == {"current": 1, "longest": 3}
    assert trends.streaks(days, d(9)) == {"current": 1, "longest": 3}  # today may still come
    assert trends.streaks(days, d(10)) == {"current": 0, "longest": 3}
    assert trends.streaks(days, d(6)) == {"current": 2, "longest": 3}
    assert trends.streaks(days, d(2)) == {"current": 2, "longest": 2}  # later days ignored
    assert trends.streaks([], d(2)) == {"current": 0, "longest": 0}


def test_mood_calendar_one_cell_a_day() -> None:
    mood = [(d(1), 2.0), (d(3), -1.0)]
    assert trends.mood_calendar(mood) == [
        {"date": "2026-03-01", "mood": 2.0}, {"date": "2026-03-02", "mood": None},
        {"date": "2026-03-03", "mood": -1.0}]
    assert trends.mood_calendar(mood, date(2026, 2, 28), d(2)) == [
        {"date": "2026-02-28", "mood": None}, {"date": "2026-03-01", "mood": 2.0},
        {"date": "2026-03-02", "mood": None}]
    assert trends.mood_calendar([]) == []
    assert trends.mood_calendar([], d(2), d(2)) == [{"date": "2026-03-02", "mood": None}]
    assert trends.mood_calendar(mood, d(3), d(1)) == []


# ------------------------------------------------------------------- words, facets, depth


def test_words_written() -> None:
    entries = [entry(1, title="Long day", body="I was  tired.\n\nBut okay"),
               entry(1, 20, body="one two"), entry(4)]
    assert trends.words_written(entries) == {
        "total": 9, "entries": 3,
        "per_day": [{"date": "2026-03-01", "words": 9}, {"date": "2026-03-04", "words": 0}]}
    assert trends.words_written([]) == {"total": 0, "entries": 0, "per_day": []}


def test_facet_coverage_from_answered_prompts() -> None:
    facet_of = {"p1": "stress", "p2": "coping", "p3": "stress"}
    entries = [entry(1, prompt_ids=["p1", "p2"]), entry(2, prompt_ids=["p3", "zzz"]), entry(3)]
    result = trends.facet_coverage(entries, facet_of)
    assert result["counts"] == {**dict.fromkeys(FACETS, 0), "stress": 2, "coping": 1}
    assert list(result["counts"]) == list(FACETS)
    assert (result["covered"], result["of"], result["unknown"]) == (2, 11, 1)


def test_depth_over_time() -> None:
    entries = [
        reflection(1, depth="reflection"), reflection(2, depth="habitual-action"),
        reflection(1, month=4, depth="critical-reflection"), reflection(5), entry(6),
    ]
    assert trends.depth_over_time(entries) == {
        "counts": {"habitual-action": 1, "thoughtful-action": 0, "reflection": 1,
                   "critical-reflection": 1},
        "points": [
            {"date": "2026-03-01", "depth": "reflection", "level": 3},
            {"date": "2026-03-02", "depth": "habitual-action", "level": 1},
            {"date": "2026-04-01", "depth": "critical-reflection", "level": 4},
        ],
        "monthly": [{"month": "2026-03", "mean": 2.0, "n": 2},
                    {"month": "2026-04", "mean": 4.0, "n": 1}],
    }


def test_mentor_depth_over_time_has_the_shape_of_the_own_rating() -> None:
    ratings = [(d(2), "reflection"), (d(1), "habitual-action"), (d(1, month=4), "reflection"),
               (d(3), "not-a-level")]
    assert trends.mentor_depth_over_time(ratings) == {
        "counts": {"habitual-action": 1, "thoughtful-action": 0, "reflection": 2,
                   "critical-reflection": 0},
        "points": [
            {"date": "2026-03-01", "depth": "habitual-action", "level": 1},
            {"date": "2026-03-02", "depth": "reflection", "level": 3},
            {"date": "2026-04-01", "depth": "reflection", "level": 3},
        ],
        "monthly": [{"month": "2026-03", "mean": 2.0, "n": 2},
                    {"month": "2026-04", "mean": 3.0, "n": 1}],
    }


def test_compute_trends_puts_the_mentor_rating_beside_the_own_and_keeps_the_range() -> None:
    entries = [reflection(1, depth="thoughtful-action")]
    result = trends.compute_trends(entries, [], d(1), d(31), today=d(31),
                                   mentor_ratings=[(d(1), "critical-reflection"),
                                                   (d(1, month=4), "reflection")])
    assert result["depth"]["points"] == [
        {"date": "2026-03-01", "depth": "thoughtful-action", "level": 2}]
    assert result["depth"]["mentor"]["points"] == [
        {"date": "2026-03-01", "depth": "critical-reflection", "level": 4}]
    assert trends.compute_trends(entries, [])["depth"]["mentor"]["points"] == []


# ------------------------------------------------------------------------- compute_trends

KEYS = {"range", "series", "emotions", "encounters", "coping", "what_helps", "streaks",
        "calendar", "words", "facets", "depth", "self_assessment"}


def test_compute_trends_whole_object() -> None:
    entries, checkins = sample()
    prompt = load_library().prompts[0]
    entries.append(entry(3, body="three words here", prompt_ids=[prompt.id]))
    result = trends.compute_trends(entries, checkins, today=d(12))
    assert set(result) == KEYS
    json.dumps(result)  # JSON-ready
    assert result["range"] == {"from": None, "to": None}
    assert set(result["series"]) == {"mood", "energy", "stress", "burnout"}
    assert [p["value"] for p in result["series"]["mood"]] == [2.0, -1.0, 5.0]
    assert result["streaks"] == {"checkin": {"current": 0, "longest": 1},
                                 "writing": {"current": 2, "longest": 2}}  # Mar 10-11
    assert len(result["calendar"]) == 10
    assert result["words"]["total"] == 3
    assert result["facets"]["counts"][prompt.facet] == 1
    assert result["what_helps"] == []


def test_compute_trends_leaves_out_the_trash_and_days_outside_the_range() -> None:
    entries, checkins = sample()
    entries.append(Entry(created=at(3), updated=at(3), mood=-5, body="gone", trashed=at(4)))
    result = trends.compute_trends(entries, checkins, d(2), d(10), today=d(20))
    assert result["range"] == {"from": "2026-03-02", "to": "2026-03-10"}
    assert result["series"]["mood"] == [
        {"date": "2026-03-03", "value": -1.0, "mean7": -1.0, "mean30": -1.0},
        {"date": "2026-03-10", "value": 5.0, "mean7": 5.0, "mean30": 2.0},
    ]
    assert len(result["calendar"]) == 9
    assert result["words"]["entries"] == 1  # Mar 10's: Mar 1 and 11 are out, Mar 3's trashed
    assert result["streaks"]["writing"] == {"current": 1, "longest": 1}  # as of Mar 10


def test_compute_trends_one_day_range() -> None:
    entries, checkins = sample()
    result = trends.compute_trends(entries, checkins, d(1), d(1), today=d(1))
    assert result["series"]["mood"] == [
        {"date": "2026-03-01", "value": 2.0, "mean7": 2.0, "mean30": 2.0}]
    assert result["series"]["burnout"] == [
        {"date": "2026-03-01", "value": 3.0, "mean7": 3.0, "mean30": 3.0}]
    assert result["calendar"] == [{"date": "2026-03-01", "mood": 2.0}]
    assert result["streaks"] == {"checkin": {"current": 1, "longest": 1},
                                 "writing": {"current": 1, "longest": 1}}


def test_compute_trends_empty() -> None:
    result = trends.compute_trends([], [], today=d(1))
    assert set(result) == KEYS
    assert result["series"] == {"mood": [], "energy": [], "stress": [], "burnout": []}
    assert result["calendar"] == []
    assert result["emotions"]["total"] == result["encounters"]["total"] == 0
    assert result["streaks"]["checkin"] == {"current": 0, "longest": 0}
    assert result["facets"]["covered"] == 0
    entries, checkins = sample()
    empty = trends.compute_trends(entries, checkins, d(20), d(21), today=d(21))
    assert empty["series"]["mood"] == []
    assert empty["calendar"] == [{"date": "2026-03-20", "mood": None},
                                 {"date": "2026-03-21", "mood": None}]
    with pytest.raises(ValueError):
        trends.compute_trends([], [], d(2), d(1))


# -------------------------------------------------------------------------------- properties


@given(st.dictionaries(st.integers(0, 120), st.floats(-5, 10, allow_nan=False), max_size=60),
       st.integers(1, 40))
def test_rolling_means_never_leave_the_range_of_their_inputs(
    values: dict[int, float], window: int
) -> None:
    points = [(d(1) + timedelta(days=k), v) for k, v in sorted(values.items())]
    means = trends.rolling_means(points, window)
    assert len(means) == len(points)
    for (day, _), mean in zip(points, means, strict=True):
        inside = [v for other, v in points if day - timedelta(days=window) < other <= day]
        assert min(inside) <= mean <= max(inside)
        # The running sum agrees with the plain mean of the window (to rounding).
        assert mean == pytest.approx(math.fsum(inside) / len(inside), rel=1e-9, abs=1e-9)


@given(st.lists(any_entries(), max_size=15))
def test_counts_add_up_to_totals(entries: list[Entry]) -> None:
    emotions = trends.emotion_stats(entries, [])
    mentions = sum(len(e.emotions) for e in entries)
    assert emotions["total"] == mentions
    assert sum(i["count"] for i in emotions["items"]) == mentions
    assert sum(sum(m["counts"].values()) for m in emotions["over_time"]) == mentions
    encounters = trends.encounter_counts(entries, [])
    assert encounters["total"] == sum(e.encounter is not None for e in entries)
    assert sum(encounters["counts"].values()) == encounters["total"]
    words = trends.words_written(entries)
    assert sum(p["words"] for p in words["per_day"]) == words["total"]
    mood = trends.daily_series(entries, [], "mood")
    assert len(mood) == len({trends.day_of(e) for e in entries if e.mood is not None})


# ------------------------------------------------------------------ honest figures (issue 13)


def helps_days(strategy: str, days: int, with_mood: float, other_mood: float,
               other_days: int | None = None) -> tuple[list[Entry], list[CheckIn]]:
    """A strategy used on days 1, 3, 5, ...: mood ``with_mood`` on the day after each use,
    ``other_mood`` on the days in between; ``days`` uses (and as many other days)."""
    entries: list[Entry] = []
    checkins: list[CheckIn] = []
    others = days if other_days is None else other_days
    for i in range(max(days, others)):
        use, after = 2 * i + 1, 2 * i + 2
        month, use_day = 3 + (use - 1) // 28, (use - 1) % 28 + 1
        after_month, after_day = 3 + (after - 1) // 28, (after - 1) % 28 + 1
        if i < days:
            entries.append(reflection(use_day, month=month, coping=(strategy,)))
            checkins.append(checkin(after_day, month=after_month, mood=int(with_mood)))
        if i < others:
            checkins.append(checkin(use_day, month=month, mood=int(other_mood)))
    return entries, checkins


def headline_of(entries: list[Entry], checkins: list[CheckIn]) -> dict[str, object] | None:
    mood = trends.daily_series(entries, checkins, "mood")
    stress = trends.daily_series(entries, checkins, "stress")
    groups = {c.id: c.group for c in load_library().coping}
    return trends.helps_headline(trends.what_helps(entries, mood, stress), groups)


def test_avoidance_and_rumination_are_never_headlined() -> None:
    """Seen: "On days after numbed it with alcohol or something else, mood averaged 1.0
    (10 days) and -2.3 on other days." as the dashboard's headline."""
    assert {c.id: c.group for c in load_library().coping}["self-blame"] == "rumination"
    for costly in ("substance-use", "self-blame", "denial", "overworking"):
        assert headline_of(*helps_days(costly, 10, 1, -2)) is None, costly
    found = headline_of(*helps_days("talked-to-someone", 10, 1, -2))
    assert found is not None and found["key"] == "talked-to-someone"


def test_a_headline_needs_seven_days_on_each_side_and_a_difference_of_one() -> None:
    assert headline_of(*helps_days("talked-to-someone", 6, 3, 0)) is None
    assert headline_of(*helps_days("talked-to-someone", 7, 3, 0, other_days=6)) is None
    assert headline_of(*helps_days("talked-to-someone", 7, 3, 0)) is not None
    # Mood on the other days: 0; on the days after: 1 is a difference of exactly 1.0.
    assert headline_of(*helps_days("talked-to-someone", 8, 1, 0)) is not None
    assert headline_of(*helps_days("talked-to-someone", 8, 0, 0)) is None
    # Worse after is never a headline of what helps.
    assert headline_of(*helps_days("talked-to-someone", 8, -2, 1)) is None


def test_the_headline_is_about_coping_never_about_writing_a_reflection() -> None:
    """Every use of a strategy is a reflection written the same day: the reflection key has
    the same figures, and must never be the sentence (it reads as "reflecting makes you feel
    worse", or better)."""
    entries, checkins = helps_days("talked-to-someone", 10, 2, -1)
    found = headline_of(entries, checkins)
    assert found is not None and found["key"] == "talked-to-someone"
    entries = [reflection(e.created.day, month=e.created.month) for e in entries]
    assert headline_of(entries, checkins) is None


def test_the_headline_sentence_says_it_is_a_pattern_not_proof() -> None:
    entries, checkins = helps_days("talked-to-someone", 10, 2, -1)
    found = headline_of(entries, checkins)
    assert found is not None
    text = trends.headline_sentence(found, "Talked it through with someone I trust")
    assert text == (
        "On days after you talked it through with someone I trust, your mood averaged 2.0 "
        "(10 days), and -1.0 on other days (10 days). A pattern in your own entries, not proof.")


def test_the_largest_difference_wins_among_helpful_strategies() -> None:
    a_entries, a_checkins = helps_days("talked-to-someone", 10, 2, 0)
    walk = [reflection(e.created.day, month=e.created.month, coping=("exercise",))
            for e in a_entries[:8]]
    found = headline_of([*a_entries, *walk], a_checkins)
    assert found is not None and found["key"] == "talked-to-someone"


def test_facet_coverage_counts_guided_reflections_by_their_template() -> None:
    """The facets card counted only prompt_ids; a guided reflection's template facets (which
    the portfolio counts) were ignored."""
    library = load_library()
    template = library.templates["patient-death"]
    assert template.facets
    done = reflection(1, template_id="patient-death")
    result = trends.facet_coverage(
        [done, entry(2)], {p.id: p.facet for p in library.prompts},
        {t.id: t.facets for t in library.templates.values()})
    for facet in template.facets:
        assert result["counts"][facet] == 1
    assert result["covered"] == len(set(template.facets))
    figures = trends.compute_trends([done], [], library=library)
    assert figures["facets"]["covered"] == len(set(template.facets))


def test_facet_coverage_counts_a_facet_once_per_entry() -> None:
    facet_of = {"p1": "coping"}
    done = reflection(1, template_id="t", prompt_ids=["p1"])
    result = trends.facet_coverage([done], facet_of, {"t": ("coping", "stress")})
    assert result["counts"]["coping"] == 1 and result["counts"]["stress"] == 1


def test_checkin_notes_by_day_in_the_range() -> None:
    """A check-in's note was stored and shown nowhere (issue 16): the calendar shows each day's
    notes, oldest first; empty notes and days outside the range are left out."""
    checkins = [checkin(3, 22, note="Bed 12, a long night"), checkin(3, 8, note=" Handover "),
                checkin(4, note="   "), checkin(5, mood=1), checkin(9, note="Outside")]
    assert trends.checkin_notes(checkins, d(1), d(8)) == {
        "2026-03-03": ["Handover", "Bed 12, a long night"]}
    assert trends.checkin_notes(checkins) == {
        "2026-03-03": ["Handover", "Bed 12, a long night"], "2026-03-09": ["Outside"]}
