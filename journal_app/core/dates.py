"""The dates a record may carry: the years 1900 to 2200.

Python's dates run from year 1 to 9999, and a date near either end cannot be shown in another
time zone, or moved a day, without overflowing (year 1 at +14:00 is year 0 in UTC). No journal
holds such dates; a file that carries one is broken or hostile. Keeping records to these years,
counted in the record's own offset, leaves every conversion the app makes (to UTC, to local time,
a day or a year either way) well inside the calendar, and a chart's day-by-day axis short. The
same years as a share package's excerpts (``packages.ExcerptPayload``), so any entry can be shared.
"""

from __future__ import annotations

from datetime import datetime

EARLIEST_YEAR, LATEST_YEAR = 1900, 2200
#: Completes "<field> must fall ...".
RANGE_TEXT = f"between the years {EARLIEST_YEAR} and {LATEST_YEAR}"


def in_range(value: datetime) -> bool:
    """Whether ``value`` (in its own offset) lies in the years a record may carry."""
    return EARLIEST_YEAR <= value.year <= LATEST_YEAR
