"""A year of moods: one cell a day for the last twelve months, as data (no Qt).

Columns are weeks (Monday to Sunday, top to bottom), the first column the week of the first day,
the last the week of ``today``. A day's mood is the mean of the day's mood ratings over its
check-ins and entries (as the trends' series: :func:`journal_app.core.practice.trends.all_series`),
put in one of five levels, the words of the short check-in's five choices; a day without a mood
rating has no level. Each cell also counts the day's check-ins and entries, so its words can say
what a click on it opens. The trash is left out.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from journal_app.core.practice.trends import all_series, day_of
from journal_app.core.records.model import CheckIn, Entry
from journal_app.core.vocabulary import plural

#: The five levels, low to high, and the upper end of each (a day's mean mood, -5..+5): the
#: short check-in's choices (-4, -2, 0, +2, +4) sit in the middle of theirs.
MOOD_LEVELS = ("Very low", "Low", "Okay", "Good", "Very good")
_UPPER = (-3.0, -1.0, 1.0, 3.0)


def level_of(mood: float) -> int:
    """The level (0..4) of a day's mean mood: below -3, -3 to below -1, -1 to 1, above 1 to 3,
    above 3. The middle level keeps both its ends, so 0 stays in the middle however rounded."""
    if mood < _UPPER[0]:
        return 0
    if mood < _UPPER[1]:
        return 1
    if mood <= _UPPER[2]:
        return 2
    if mood <= _UPPER[3]:
        return 3
    return 4


def signed_mood(mood: float) -> str:
    """"+1.5", "0", "−2" (one decimal, the sign always shown; a true minus sign)."""
    text = f"{mood:+.1f}".replace(".0", "")
    return "0" if text in ("+0", "-0") else text.replace("-", "−")


@dataclass(frozen=True)
class DayCell:
    day: date
    #: Week column (0: the first) and weekday row (0: Monday).
    column: int
    row: int
    mood: float | None
    level: int | None
    checkins: int
    entries: int

    def words(self) -> str:
        """What the cell says to a screen reader and in its tooltip."""
        mood = ("no mood rated" if self.mood is None or self.level is None
                else f"mood {signed_mood(self.mood)} ({MOOD_LEVELS[self.level].lower()})")
        held = [plural(self.checkins, "check-in")] if self.checkins else []
        held += [plural(self.entries, "entry", "entries")] if self.entries else []
        return f"{self.day:%A %d %B %Y}: {mood}" + (f", {' and '.join(held)}" if held else "")


@dataclass(frozen=True)
class MoodYear:
    start: date
    end: date
    weeks: int
    cells: tuple[DayCell, ...]
    #: (column, "Jan") where each month starts, for the labels above the grid.
    months: tuple[tuple[int, str], ...]

    def cell(self, day: date) -> DayCell | None:
        index = (day - self.start).days
        return self.cells[index] if 0 <= index < len(self.cells) else None

    def rated_days(self) -> int:
        return sum(1 for c in self.cells if c.level is not None)


def year_start(today: date) -> date:
    """The first day of the twelve months that end ``today``: the day after the same date a
    year before (29 February: from 1 March)."""
    try:
        return today.replace(year=today.year - 1) + timedelta(days=1)
    except ValueError:  # 29 February, and last year had none
        return date(today.year - 1, 3, 1)


def mood_year(entries: Iterable[Entry], checkins: Iterable[CheckIn], today: date) -> MoodYear:
    """One cell a day from :func:`year_start` to ``today`` (see the module)."""
    start = year_start(today)
    kept = [e for e in entries if e.trashed is None and start <= day_of(e) <= today]
    checkins = [c for c in checkins if start <= day_of(c) <= today]
    mood = dict(all_series(kept, checkins)["mood"])
    checkin_days = Counter(day_of(c) for c in checkins)
    entry_days = Counter(day_of(e) for e in kept)
    return year_of_days(lambda day: (mood.get(day), checkin_days[day], entry_days[day]), today)


def year_of_days(of_day: Callable[[date], tuple[float | None, int, int]],
                 today: date) -> MoodYear:
    """The year ending ``today`` from ``of_day(day)``: the day's mean mood (``None``: none
    rated), its check-ins and its entries (:func:`mood_year` from the records;
    :func:`journal_app.core.practice.journal_trends.journal_mood_year` from the day totals)."""
    start = year_start(today)
    first_monday = start - timedelta(days=start.weekday())
    cells = []
    months: list[tuple[int, str]] = []
    for offset in range((today - start).days + 1):
        day = start + timedelta(days=offset)
        column = (day - first_monday).days // 7
        if day.day == 1 or offset == 0:
            months.append((column, f"{day:%b}"))
        value, checkins, entries = of_day(day)
        cells.append(DayCell(day, column, day.weekday(), value,
                             None if value is None else level_of(value), checkins, entries))
    weeks = (today - first_monday).days // 7 + 1
    # A month starting in the first column's week would crowd the first label: keep one.
    if len(months) > 1 and months[1][0] - months[0][0] < 2:
        months.pop(0)
    return MoodYear(start, today, weeks, tuple(cells), tuple(months))
