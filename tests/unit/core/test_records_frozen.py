"""Records cannot be changed behind the service's back: every record kind is a frozen dataclass
with tuples (and read-only mappings) for its collections, the service hands out nothing a caller
could change for later readers, and the app state is changed only through
:meth:`Journal.update_app_state`, read, changed and written in one write transaction."""

from __future__ import annotations

import dataclasses
import sqlite3
import typing
from collections.abc import Mapping
from dataclasses import FrozenInstanceError, replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from journal_app.core.errors import ValidationError, VaultBusyError
from journal_app.core.records import codec
from journal_app.core.records.model import (
    RECORD_KINDS,
    AppState,
    CheckIn,
    CustomStep,
    CustomTemplate,
    Emotion,
    Entry,
    Reflection,
    Revision,
    SelfAssessment,
    StepAnswer,
    WaitingReflection,
    decode_record,
    new_id,
    now,
)
from journal_app.core.vault import store as store_mod
from journal_app.core.vault.journal import Journal

PASS = "correct horse"


def _waiting(template: str = "free") -> WaitingReflection:
    return WaitingReflection(checkin_id=new_id(), template_id=template,
                             until=now() + timedelta(hours=8))


# ============================================================================ the records


def test_every_record_kind_is_frozen_and_holds_no_list_or_dict() -> None:
    for kind, cls in RECORD_KINDS.items():
        assert dataclasses.is_dataclass(cls), kind
        assert cls.__dataclass_params__.frozen, kind  # type: ignore[attr-defined]
        for name, tp in typing.get_type_hints(cls).items():
            origin = typing.get_origin(tp)
            assert origin not in (list, dict), f"{kind}.{name}"


def test_changing_a_record_in_place_raises() -> None:
    entry = Entry(title="t", tags=["a"], emotions=[Emotion("sad")])
    with pytest.raises(FrozenInstanceError):
        entry.title = "changed"  # type: ignore[misc]
    assert entry.tags == ("a",)
    assert isinstance(entry.emotions, tuple)
    assert not hasattr(entry.tags, "append")
    state = AppState()
    with pytest.raises(FrozenInstanceError):
        state.level = "advanced"  # type: ignore[misc]
    with pytest.raises(FrozenInstanceError):
        CheckIn(mood=1).mood = 2  # type: ignore[misc]


def test_a_list_given_to_a_record_is_copied_not_kept() -> None:
    tags = ["one"]
    entry = Entry(tags=tags)
    tags.append("two")
    assert entry.tags == ("one",)
    ratings = {"a": 3}
    assessment = SelfAssessment(form="wellbeing", ratings=ratings)
    ratings["b"] = 4
    assert dict(assessment.ratings) == {"a": 3}
    with pytest.raises(TypeError):
        assessment.ratings["c"] = 1  # type: ignore[index]


def test_payloads_stay_byte_for_byte_what_earlier_versions_stored() -> None:
    """A vault written before records were frozen opens, and its records are stored again
    exactly as they were (lists in the JSON, objects for mappings)."""
    stored = {
        "entry": b'{"body":"b","created":"2024-03-01T18:30:15+05:30","emotions":[{"intensity":4,'
                 b'"name":"sad"}],"encounter":null,"energy":null,"links":[],"mood":-2,'
                 b'"prompt_ids":["p1"],"starred":false,"stress":null,"tags":["icu","work"],'
                 b'"title":"t","trashed":null,"updated":"2024-03-02T07:00:00+00:00"}',
        "app-state": b'{"assessment_set_aside":{"competency":"2024-05-01"},"deid_names":["Ann"],'
                     b'"dismissed_followups":["x"],"level":"early","level_card_dismissed":false,'
                     b'"portfolio_name":"A B","rotation_days":28,"show_streaks":true,'
                     b'"shown_prompts":["p2","p1"],"spelling_words":["Okafor"],"todays_prompt":"p2",'
                     b'"todays_prompt_day":"2024-05-01","waiting":[{"checkin_id":"c",'
                     b'"template_id":"free","until":"2024-05-01T22:00:00+00:00"}],'
                     b'"wellbeing_check":true}',
        "self-assessment": b'{"created":"2024-03-01T18:30:15+00:00","form":"wellbeing",'
                           b'"note":"","ratings":{"sleep":2,"stress":4},"rotation":""}',
    }
    for kind, data in stored.items():
        for trusted in (False, True):
            record = decode_record(kind, 1, new_id(), codec.loads(data), trusted=trusted)
            assert codec.dumps(record.payload()) == data, (kind, trusted)
            for value in vars(record).values():
                assert not isinstance(value, list | dict), (kind, trusted)


def test_a_revision_keeps_its_payload_read_only_and_gives_back_the_record() -> None:
    entry = Entry(title="before", tags=["a", "b"], emotions=[Emotion("calm", 2)])
    revision = Revision(target_id=entry.id, target_kind="entry", target_schema=1,
                        payload_data=entry.payload())
    for trusted in (False, True):
        again = decode_record("revision", 1, revision.id,
                              codec.loads(codec.dumps(revision.payload())), trusted=trusted)
        assert isinstance(again, Revision)
        assert codec.dumps(again.payload()) == codec.dumps(revision.payload())
        assert isinstance(again.payload_data, Mapping)
        assert isinstance(again.payload_data["tags"], tuple)
        assert isinstance(again.payload_data["emotions"][0], Mapping)
        with pytest.raises(TypeError):
            again.payload_data["title"] = "x"  # type: ignore[index]
        assert again.record() == entry


def test_nested_values_are_frozen_too() -> None:
    reflection = Reflection(answers=[StepAnswer(step_id="a", kind="emotions",
                                                emotions=[Emotion("sad")])])
    assert isinstance(reflection.answers, tuple)
    assert isinstance(reflection.answers[0].emotions, tuple)
    template = CustomTemplate(title="t", encounters=["code"], steps=[
        CustomStep(kind="text", title="a", prompt="b")])
    assert template.encounters == ("code",)
    assert isinstance(template.steps, tuple)


# ============================================================================ the service


def test_what_the_service_hands_out_cannot_change_what_later_readers_see(
        journal: Journal) -> None:
    journal.add_entry(title="one")
    listed = journal.entries()
    listed.clear()
    assert [e.title for e in journal.entries()] == ["one"]
    records = journal.records(Entry)
    records.clear()
    assert len(journal.records(Entry)) == 1
    journal.add_record(CheckIn(mood=1))
    checkins = journal.checkins()
    checkins.clear()
    assert len(journal.checkins()) == 1
    state = journal.app_state()
    with pytest.raises(AttributeError):
        state.waiting.append(_waiting())  # type: ignore[attr-defined]
    assert journal.app_state().waiting == ()


def test_update_app_state_applies_the_change_and_stores_it(
        journal: Journal, data_dir: Path) -> None:
    item = _waiting()
    new = journal.update_app_state(lambda s: replace(s, waiting=(*s.waiting, item)))
    assert new.waiting == (item,)
    assert journal.app_state() == new
    journal.update_app_state(lambda s: replace(s, level="advanced"))
    journal.close()
    again = Journal.open(data_dir)
    again.unlock(PASS)
    try:
        assert again.app_state().waiting == (item,)
        assert again.app_state().level == "advanced"
        assert len(again.records(AppState)) == 1
    finally:
        again.close()


def test_a_failed_save_of_the_app_state_leaves_memory_and_disk_as_they_were(
        journal: Journal, data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    journal.update_app_state(lambda s: replace(s, level="early"))
    before = journal.app_state()
    monkeypatch.setattr(store_mod, "BUSY_TIMEOUT_MS", 100)
    holder = sqlite3.connect(data_dir / store_mod.DB_NAME, isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")  # another program holds the journal's write lock
        with pytest.raises(VaultBusyError):
            journal.update_app_state(
                lambda s: replace(s, level="advanced", waiting=(*s.waiting, _waiting())))
        holder.execute("ROLLBACK")
    finally:
        holder.close()
    assert journal.app_state() == before
    other = Journal.open(data_dir)
    other.unlock(PASS)
    try:
        assert other.app_state() == before
    finally:
        other.close()


def test_a_change_that_raises_writes_nothing(journal: Journal) -> None:
    journal.update_app_state(lambda s: replace(s, level="early"))
    counter = journal._store.write_counter()

    with pytest.raises(ValidationError):  # a state out of range: nothing is stored
        journal.update_app_state(lambda s: replace(s, level="advanced", rotation_days=1))
    assert journal._store.write_counter() == counter
    assert journal.app_state().level == "early"


def test_two_journals_updating_the_app_state_keep_both_changes(
        journal: Journal, data_dir: Path) -> None:
    """The app and a command on the same journal: each change is applied to what is stored
    when it is written, so neither overwrites the other's."""
    other = Journal.open(data_dir)
    other.unlock(PASS)
    try:
        # Both have read the state before either writes.
        assert journal.app_state().waiting == other.app_state().waiting == ()
        item = _waiting()
        journal.update_app_state(lambda s: replace(s, waiting=(*s.waiting, item)))
        other.update_app_state(lambda s: replace(s, show_streaks=True))
        journal.update_app_state(lambda s: replace(s, portfolio_name="Dr A"))
        for j in (journal, other):
            state = j.app_state()
            assert state.waiting == (item,)
            assert state.show_streaks is True
            assert state.portfolio_name == "Dr A"
    finally:
        other.close()


def test_the_change_sees_what_another_journal_wrote_inside_the_same_transaction(
        journal: Journal, data_dir: Path) -> None:
    other = Journal.open(data_dir)
    other.unlock(PASS)
    try:
        other.app_state()
        seen: list[datetime | None] = []

        def change(state: AppState) -> AppState:
            seen.append(state.waiting[0].until if state.waiting else None)
            return replace(state, level="clerkship")

        item = _waiting()
        journal.update_app_state(lambda s: replace(s, waiting=(item,)))
        other.update_app_state(change)
        assert seen == [item.until]
    finally:
        other.close()


def test_no_one_else_writes_between_the_read_and_the_write(
        journal: Journal, data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The change runs holding the journal's write lock: a command trying to change the app
    state meanwhile waits (here: gives up as busy), so it cannot be overwritten."""
    monkeypatch.setattr(store_mod, "BUSY_TIMEOUT_MS", 100)
    other = Journal.open(data_dir)
    other.unlock(PASS)
    try:
        def change(state: AppState) -> AppState:
            with pytest.raises(VaultBusyError):
                other.update_app_state(lambda s: replace(s, show_streaks=True))
            return replace(state, level="advanced")

        journal.update_app_state(change)
        other.update_app_state(lambda s: replace(s, show_streaks=True))  # free again
        state = journal.app_state()
        assert (state.level, state.show_streaks) == ("advanced", True)
    finally:
        other.close()
