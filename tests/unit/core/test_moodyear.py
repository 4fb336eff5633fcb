"""A year of moods: one cell a day for the last twelve months (issue 17, item 1)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from journal_app.core.practice.moodyear import (
    MOOD_LEVELS,
    level_of,
    mood_year,
    signed_mood,
    year_start,
)
from journal_app.core.records.model import CheckIn, Entry

TODAY = date(2026, 3, 31)  # a Tuesday


def at(day: date, hour: int = 12) -> datetime:
    return datetime(day.year, day.month, day.day, hour).astimezone()


def test_twelve_months_one_cell_a_day_in_week_columns() -> None:
    year = mood_year([], [], TODAY)
    assert year.start == date(2025, 4, 1) and year.end == TODAY
    assert len(year.cells) == 365
    assert [c.day for c in year.cells] == [year.start + timedelta(days=i) for i in range(365)]
    first, last = year.cells[0], year.cells[-1]
    assert (first.column, first.row) == (0, 1)  # 1 April 2025 was a Tuesday
    assert (last.column, last.row) == (year.weeks - 1, 1)
    assert year.weeks == 53
    assert all(c.row == c.day.weekday() for c in year.cells)
    assert year.months[0] == (0, "Apr") and year.months[-1][1] == "Mar"
    assert len(year.months) == 12
    assert year.rated_days() == 0


@pytest.mark.parametrize(("today", "start", "days"), [
    (date(2024, 2, 29), date(2023, 3, 1), 366),  # a leap day: from 1 March
    (date(2025, 2, 28), date(2024, 2, 29), 366),  # the twelve months hold a leap day
    (date(2025, 3, 1), date(2024, 3, 2), 365),
])
def test_leap_years(today: date, start: date, days: int) -> None:
    assert year_start(today) == start
    assert len(mood_year([], [], today).cells) == days


def test_a_day_is_the_mean_of_its_moods_and_counts_what_it_holds() -> None:
    day = TODAY - timedelta(days=3)
    checkins = [CheckIn(created=at(day, 8), mood=2), CheckIn(created=at(day, 20), mood=-3),
                CheckIn(created=at(day, 21), stress=5),  # no mood: counted, not averaged
                CheckIn(created=at(TODAY - timedelta(days=400)), mood=4)]  # too old
    entries = [Entry(created=at(day, 22), title="Late", body="x", mood=4),
               Entry(created=at(day, 23), title="Binned", body="x", mood=-5,
                     trashed=at(day, 23))]
    year = mood_year(entries, checkins, TODAY)
    cell = year.cell(day)
    assert cell is not None
    assert cell.mood == pytest.approx(1.0) and cell.level == 2
    assert (cell.checkins, cell.entries) == (3, 1)
    assert cell.words() == (f"{day:%A %d %B %Y}: mood +1 (okay), 3 check-ins and 1 entry")
    empty = year.cell(TODAY)
    assert empty is not None and empty.level is None
    assert empty.words() == f"{TODAY:%A %d %B %Y}: no mood rated"
    assert year.cell(TODAY + timedelta(days=1)) is None
    assert year.rated_days() == 1


@pytest.mark.parametrize(("mood", "level"), [
    (-5, 0), (-3.01, 0), (-3, 1), (-1.01, 1), (-1, 2), (0, 2), (1, 2), (1.01, 3), (3, 3),
    (3.01, 4), (5, 4),
])
def test_five_levels_the_short_check_ins_choices_in_the_middle(mood: float,
                                                                level: int) -> None:
    assert level_of(mood) == level
    assert [level_of(m) for m in (-4, -2, 0, 2, 4)] == [0, 1, 2, 3, 4]
    assert len(MOOD_LEVELS) == 5


def test_moods_read_with_their_sign() -> None:
    assert [signed_mood(m) for m in (1.5, 2.0, 0.0, -0.04, -2.0)] == ["+1.5", "+2", "0", "0",
                                                                        "−2"]
