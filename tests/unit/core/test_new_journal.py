"""Trends for a new journal: under a week of data, one note of what appears after a week
(issue 17, item 1)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

from journal_app.core.practice.journal_trends import journal_trends
from journal_app.core.practice.readings import WEEK_OF_DATA, new_journal_note
from journal_app.core.records.model import CheckIn, Entry
from journal_app.core.vault.crypto import TEST_KDF
from journal_app.core.vault.journal import Journal

START = date(2026, 3, 1)


def at(day: date, hour: int = 12) -> datetime:
    return datetime(day.year, day.month, day.day, hour).astimezone()


def test_the_note_says_what_is_needed_until_a_week_of_data() -> None:
    assert WEEK_OF_DATA == 7
    assert "(none yet, 7 to go)" in (new_journal_note(0) or "")
    assert "(1 day so far, 6 to go)" in (new_journal_note(1) or "")
    assert "(6 days so far, 1 to go)" in (new_journal_note(6) or "")
    assert new_journal_note(7) is None
    assert new_journal_note(None) is None  # not counted: no claim


def test_days_count_check_ins_and_entries_once_a_day_never_the_trash(tmp_path: Path) -> None:
    journal, _key = Journal.create(tmp_path / "j", "quiet harbour lantern", kdf=TEST_KDF)
    for i in range(5):
        journal.add_record(CheckIn(created=at(START + timedelta(days=i)), mood=1))
    journal.add_record(CheckIn(created=at(START, 20), mood=2))  # the same day again
    journal.add_record(Entry(created=at(START, 21), title="Same day", body="x"))
    journal.add_record(Entry(created=at(START + timedelta(days=5)), title="Sixth", body="x"))
    binned = journal.add_record(Entry(created=at(START + timedelta(days=6)), title="Gone",
                                      body="x"))
    journal.delete_entry(binned.id)
    trends = journal_trends(journal, START, START + timedelta(days=1))  # a narrow range
    assert trends.days_recorded == 6
    assert new_journal_note(trends.days_recorded) is not None
    journal.add_record(CheckIn(created=at(START + timedelta(days=30)), stress=3))
    assert journal_trends(journal).days_recorded == 7
    journal.close()
