"""Check-in and reflection record kinds: validation, round trips, storage, search."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest

from journal_app.core.records import codec
from journal_app.core.records.model import (
    CheckIn,
    CopingRating,
    Emotion,
    Entry,
    Reflection,
    StepAnswer,
    decode_record,
)
from journal_app.core.vault.journal import Journal

T0 = datetime(2026, 3, 14, 22, 30, tzinfo=timezone(timedelta(hours=-5)))


def test_checkin_round_trip_and_ranges() -> None:
    checkin = CheckIn(created=T0, mood=-3, energy=-4, stress=8, burnout=4,
                      emotions=[Emotion("Grief", 4), Emotion("numb", 2)], sleep_hours=4.5,
                      encounter="patient-death")
    back = decode_record("checkin", 1, checkin.id, codec.loads(codec.dumps(checkin.payload())))
    assert back == checkin and back.difficult
    for bad in ({"burnout": 0}, {"burnout": 6}, {"stress": 11}, {"mood": -6},
                {"sleep_hours": 25.0}, {"encounter": "lunch"}):
        with pytest.raises(ValueError):
            CheckIn(created=T0, **bad)  # type: ignore[arg-type]


def test_reflection_is_an_entry_with_structured_answers() -> None:
    reflection = Reflection(
        created=T0, title="After the code", body="## What happened?\n\nWe worked for 40 min.",
        template_id="code", checkin_id="a" * 32, depth="reflection",
        answers=[
            StepAnswer("what-happened", "text", text="We worked for 40 min."),
            StepAnswer("shaken", "scale", value=7),
            StepAnswer("feelings", "emotions", emotions=[Emotion("shocked", 5)]),
            StepAnswer("helped", "coping", coping=[CopingRating("talked-to-someone", 2),
                                                   CopingRating("scrolling", -1)]),
        ],
    )
    assert isinstance(reflection, Entry) and reflection.KIND == "reflection"
    back = decode_record("reflection", 1, reflection.id, reflection.payload())
    assert back == reflection
    with pytest.raises(ValueError):
        Reflection(depth="deep")
    with pytest.raises(ValueError):
        StepAnswer("x", "scale", value=11)
    with pytest.raises(ValueError):
        CopingRating("walk", 3)
    with pytest.raises(ValueError):
        StepAnswer("x", "dance")


def test_reflections_list_and_search_like_entries(journal: Journal) -> None:
    checkin = journal.add_record(CheckIn(created=T0, stress=9, encounter="code"))
    reflection = journal.add_record(Reflection(
        created=T0 + timedelta(minutes=20), title="After the code",
        body="The compressions felt endless and the family waited outside.",
        template_id="code", checkin_id=checkin.id,
    ))
    journal.add_entry(title="Plain entry", body="Nothing about codes here.")
    assert [c.id for c in journal.checkins()] == [checkin.id]
    assert reflection.id in {e.id for e in journal.entries()}
    hits = journal.search("compressions")
    assert [(h.id, e.KIND) for h, e in hits] == [(reflection.id, "reflection")]
    from journal_app.core.vault.search import SearchFilters

    only = journal.search("", SearchFilters(kinds=("reflection",)))
    assert [e.id for _h, e in only] == [reflection.id]
    journal.lock()
    journal.unlock("correct horse")
    again = journal.get_entry(reflection.id[:8])
    assert isinstance(again, Reflection) and again.checkin_id == checkin.id
    assert journal.verify().ok


def test_followups_are_due_two_to_seven_days_after_a_difficult_checkin(journal: Journal) -> None:
    from journal_app.core.practice.followup import FOLLOWUP_PROMPT_ID, followups_due

    hard = journal.add_record(CheckIn(created=T0, encounter="error"))
    journal.add_record(CheckIn(created=T0, stress=3))  # nothing difficult: never due
    checkins = journal.checkins()
    assert followups_due(checkins, [], None, T0 + timedelta(days=1)) == []
    assert followups_due(checkins, [], None, T0 + timedelta(days=3)) == [hard]
    assert followups_due(checkins, [], None, T0 + timedelta(days=8)) == []
    answer = Entry(prompt_ids=[FOLLOWUP_PROMPT_ID], links=[hard.id])
    assert followups_due(checkins, [answer], None, T0 + timedelta(days=3)) == []
    journal.update_app_state(
        lambda s: replace(s, dismissed_followups=(*s.dismissed_followups, hard.id)))
    journal.lock()
    journal.unlock("correct horse")
    assert journal.app_state().dismissed_followups == (hard.id,)
    assert followups_due(journal.checkins(), [], journal.app_state(),
                         T0 + timedelta(days=3)) == []
