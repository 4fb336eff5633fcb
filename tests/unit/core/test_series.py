"""Three Good Things runs for two weeks, one reflection a day."""

from __future__ import annotations

from datetime import datetime, timedelta

from journal_app.core.practice.series import next_series_day, series_day_due
from journal_app.core.records.model import Reflection

START = datetime(2026, 11, 2, 21, 0).astimezone()
TGT = "three-good-things"


def tgt(days_after: int, day: int | None) -> Reflection:
    return Reflection(created=START + timedelta(days=days_after), template_id=TGT,
                      series_day=day)


def test_series_day_due_counts_days_and_ends_after_two_weeks() -> None:
    today = START.date()
    assert series_day_due([], TGT, 14, today) is None
    assert next_series_day([], TGT, 14, today) == 1
    first = [tgt(0, 1)]
    assert series_day_due(first, TGT, 14, today) is None  # today's is written
    assert series_day_due(first, TGT, 14, today + timedelta(days=1)) == 2
    assert series_day_due(first, TGT, 14, today + timedelta(days=13)) == 14
    assert series_day_due(first, TGT, 14, today + timedelta(days=14)) is None  # over
    assert next_series_day(first, TGT, 14, today + timedelta(days=20)) == 1  # a new series
    other = [Reflection(created=START, template_id="free", series_day=1)]
    assert series_day_due(other, TGT, 14, today + timedelta(days=1)) is None
