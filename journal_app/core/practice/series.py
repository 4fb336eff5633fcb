"""Reflection series: Three Good Things (after Sexton & Adair) is done each evening for two weeks.

A series starts with a reflection of day 1 and lasts the template's ``series_days``; each later
day's reflection carries its day number. Everything is derived from the stored reflections.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from journal_app.core.records.model import Reflection


def series_day_due(reflections: Iterable[Reflection], template_id: str, days: int,
                   today: date) -> int | None:
    """The day number of ``template_id``'s series due today, or None (no series running,
    today's already written, or the series is over)."""
    own = [r for r in reflections if r.template_id == template_id]
    starts = [r.created.astimezone().date() for r in own if r.series_day == 1]
    if not starts:
        return None
    start = max(starts)
    day = (today - start).days + 1
    if not 1 <= day <= days:
        return None
    if any(r.created.astimezone().date() == today for r in own):
        return None
    return day


def next_series_day(reflections: Iterable[Reflection], template_id: str, days: int,
                    today: date) -> int:
    """The day number a new reflection of this template takes today: the running series'
    day, or 1 to start a new series."""
    return series_day_due(reflections, template_id, days, today) or 1
