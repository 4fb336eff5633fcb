"""A check-in with every question skipped is not saved and does not count (no Qt here).

Any one answer makes it a check-in, a neutral one too (mood 0, stress 0, no sleep); a note of
spaces is not an answer. Skipped check-ins already in a journal (from before this rule, or
imported) count in no trend and no streak.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from journal_app.core.errors import JournalError, ValidationError
from journal_app.core.practice.trends import compute_trends
from journal_app.core.records.model import SKIPPED_CHECKIN, CheckIn, Emotion
from journal_app.core.vault.crypto import TEST_KDF
from journal_app.core.vault.journal import Journal

PASS = "correct horse"  # the passphrase of the conftest ``journal`` fixture
CET = timezone(timedelta(hours=1))


def at(day: int, hour: int = 20) -> datetime:
    return datetime(2026, 3, day, hour, 0, tzinfo=CET)


ONE_ANSWER: list[dict[str, Any]] = [
    {"mood": 0}, {"energy": 0}, {"stress": 0}, {"burnout": 1},
    {"emotions": [Emotion("tired", 2)]}, {"sleep_hours": 0.0}, {"encounter": "other"},
    {"note": "long night"}, {"good_moment": True},
]


def test_a_checkin_with_nothing_answered_is_skipped() -> None:
    assert CheckIn().skipped
    assert CheckIn(note="   ").skipped  # spaces are not a note


@pytest.mark.parametrize("answer", ONE_ANSWER, ids=lambda a: next(iter(a)))
def test_one_answer_of_any_kind_is_a_checkin(answer: dict[str, Any]) -> None:
    assert not CheckIn(**answer).skipped


def test_a_skipped_checkin_is_not_saved(journal: Journal, data_dir: Path) -> None:
    with pytest.raises(ValidationError) as caught:
        journal.add_record(CheckIn())
    assert isinstance(caught.value, JournalError)  # one plain sentence for the user
    assert str(caught.value) == SKIPPED_CHECKIN
    assert journal.checkins() == []
    journal.close()
    again = Journal.open(data_dir)
    try:
        again.unlock(PASS)
        assert again.checkins() == []  # nothing reached the disk either
    finally:
        again.close()


@pytest.mark.parametrize("answer", ONE_ANSWER, ids=lambda a: next(iter(a)))
def test_a_checkin_with_one_answer_is_saved(journal: Journal, answer: dict[str, Any]) -> None:
    saved = journal.add_record(CheckIn(**answer))
    assert [c.id for c in journal.checkins()] == [saved.id]


def test_skipped_checkins_already_stored_count_in_no_trend_or_streak(
        tmp_path: Path) -> None:
    """A journal written before the rule may hold skipped check-ins (stored as a batch, as an
    import does): they make no streak, no count and no point."""
    journal, _key = Journal.create(tmp_path / "j", PASS, kdf=TEST_KDF)
    try:
        journal.add_records([CheckIn(created=at(day)) for day in (1, 2, 3, 4)]
                            + [CheckIn(created=at(5), stress=4)])
        assert len(journal.checkins()) == 5  # the old ones are there...
        figures = compute_trends(journal.entries(), journal.checkins(), today=date(2026, 3, 5))
    finally:
        journal.close()
    # ...but only the answered one counts: a streak of one day, not five.
    assert figures["streaks"]["checkin"] == {"current": 1, "longest": 1}
    assert [p["date"] for p in figures["series"]["stress"]] == ["2026-03-05"]
    assert figures["series"]["mood"] == []
