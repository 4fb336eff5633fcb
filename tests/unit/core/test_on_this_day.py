"""On this day: entries from the same date in earlier years, never the heavy ones unasked
(issue 17, item 1)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from journal_app.core.practice.onthisday import (
    Heaviness,
    heavy_encounters,
    on_this_day,
    same_day,
)
from journal_app.core.practice.prompts import load_library
from journal_app.core.records.model import CheckIn, Entry, Reflection

LIBRARY = load_library()


def at(day: date, hour: int = 12) -> datetime:
    return datetime(day.year, day.month, day.day, hour).astimezone()


def entry(day: date, title: str, hour: int = 12, **fields: object) -> Entry:
    return Entry(created=at(day, hour), title=title, body="x", **fields)  # type: ignore[arg-type]


def titles(found: list) -> list[str]:
    return [m.entry.title for m in found]


def test_the_heavy_encounters_come_from_the_encounter_types_data() -> None:
    assert heavy_encounters(LIBRARY) == {
        "patient-death", "suicide-or-violent-death", "child-death", "code",
        "personal-bereavement"}
    heaviness = Heaviness.of(LIBRARY, [])
    assert heaviness.templates == {"patient-death", "code", "own-grief"}
    assert heaviness.prompts  # prompts written only for a death or a code
    assert all(set(LIBRARY.prompt(p).encounters) <= heaviness.encounters
               for p in heaviness.prompts)


def test_same_date_in_earlier_years_newest_year_first_never_the_trash() -> None:
    today = date(2026, 12, 6)
    entries = [
        entry(date(2025, 12, 6), "Last year, evening", 20),
        entry(date(2025, 12, 6), "Last year, morning", 8),
        entry(date(2023, 12, 6), "Three years ago"),
        entry(date(2026, 12, 6), "Today"),  # this year: not a memory
        entry(date(2025, 12, 7), "The next day"),
        entry(date(2024, 12, 6), "Binned", trashed=at(date(2024, 12, 7))),
    ]
    found = on_this_day(entries, today, Heaviness.of(LIBRARY, []))
    assert titles(found) == ["Last year, morning", "Last year, evening", "Three years ago"]
    assert [m.when() for m in found] == ["A year ago", "A year ago", "3 years ago"]


@pytest.mark.parametrize(("today", "comes_back"), [
    (date(2025, 2, 28), True),   # no 29th this year: the leap day comes back on the 28th
    (date(2028, 2, 28), False),  # a leap year: it comes back tomorrow instead
    (date(2028, 2, 29), True),
    (date(2025, 3, 1), False),
])
def test_a_leap_day(today: date, comes_back: bool) -> None:
    leap = date(2024, 2, 29)
    assert same_day(leap, today) is comes_back
    found = on_this_day([entry(leap, "Leap day")], today, Heaviness.of(LIBRARY, []))
    assert titles(found) == (["Leap day"] if comes_back else [])


def test_the_28th_still_brings_back_the_28th_in_a_leap_year() -> None:
    assert same_day(date(2024, 2, 28), date(2025, 2, 28))
    assert same_day(date(2023, 2, 28), date(2024, 2, 28))
    assert not same_day(date(2024, 2, 28), date(2028, 2, 29))


def test_heavy_entries_stay_away_unless_asked_for() -> None:
    today = date(2026, 12, 6)
    day = date(2025, 12, 6)
    death = CheckIn(created=at(day, 7), encounter="patient-death")
    hard_talk = CheckIn(created=at(day, 9), encounter="bad-news")
    death_prompt = next(iter(Heaviness.of(LIBRARY, []).prompts))
    entries = [
        entry(day, "Plain"),
        entry(day, "Named a code", encounter="code"),
        entry(day, "A follow-up", links=[death.id]),
        entry(day, "Answered a prompt about a death", prompt_ids=[death_prompt]),
        Reflection(created=at(day, 10), title="After a patient's death", body="x",
                   template_id="patient-death"),
        Reflection(created=at(day, 11), title="Gibbs after the death", body="x",
                   template_id="gibbs", checkin_id=death.id),
        Reflection(created=at(day, 13), title="After hard news", body="x",
                   template_id="bad-news", checkin_id=hard_talk.id, encounter="bad-news"),
        entry(day, "Grandmother", encounter="personal-bereavement", hour=22),
    ]
    heaviness = Heaviness.of(LIBRARY, [death, hard_talk])
    assert titles(on_this_day(entries, today, heaviness)) == ["Plain", "After hard news"]
    everything = on_this_day(entries, today, heaviness, include_heavy=True)
    assert len(everything) == len(entries)
