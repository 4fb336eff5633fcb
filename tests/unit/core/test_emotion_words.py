"""Emotion words outside the vocabulary (issue 16): the user's own words, kept encrypted in the
app state, and the half words ("exhaus 4/5", "guil") an old Enter trap stored, listed with their
uses and tidied in one write that keeps each changed record's earlier version."""

from __future__ import annotations

from pathlib import Path

import pytest

from journal_app.core.errors import ValidationError
from journal_app.core.practice.emotion_words import (
    WordInUse,
    suggestion_for,
    unknown_emotions,
    words_outside_vocabulary,
)
from journal_app.core.records.model import (
    AppState,
    CheckIn,
    Emotion,
    Entry,
    Reflection,
    StepAnswer,
)
from journal_app.core.vault.journal import Journal


def test_own_words_are_kept_tidied_in_the_encrypted_app_state(
        journal: Journal, data_dir: Path) -> None:
    assert journal.own_emotions() == []
    assert journal.add_own_emotions(["Raw", " hollowed   out "]) == ["raw", "hollowed out"]
    assert journal.add_own_emotions(["raw", "numb-ish"]) == ["raw", "hollowed out", "numb-ish"]
    journal.close()
    with Journal.open(data_dir) as reopened:
        reopened.unlock("correct horse")
        assert reopened.own_emotions() == ["raw", "hollowed out", "numb-ish"]
        assert reopened.forget_own_emotions(["RAW"]) == ["hollowed out", "numb-ish"]
    # Nothing of them is readable in the vault's files.
    for path in data_dir.rglob("*"):
        if path.is_file():
            assert b"hollowed" not in path.read_bytes()


def test_reading_the_own_words_decodes_no_other_record(journal: Journal, data_dir: Path) -> None:
    """Seen in `make bench`: `journal-app add --emotion grief:3` took 0.68 s at 10,000 entries
    (0.31 s before the own-words check), because reading the app state decoded every record of
    the journal. A command that needs only the app state reads only the app state."""
    journal.add_own_emotions(["raw"])
    journal.add_record(Entry(title="Night", body="A long night."))
    journal.close()
    with Journal.open(data_dir) as reopened:
        reopened.unlock("correct horse")
        assert reopened.own_emotions() == ["raw"]
        assert reopened.app_state().own_emotions == ("raw",)
        assert not reopened.held.loaded  # nothing else was decoded
        assert [e.title for e in reopened.entries()] == ["Night"]  # the rest loads as before
        reopened.add_own_emotions(["numb"])
        assert reopened.own_emotions() == ["raw", "numb"]  # and the held copy follows writes


def test_a_bad_own_word_is_refused_and_nothing_changes(journal: Journal) -> None:
    journal.add_own_emotions(["raw"])
    with pytest.raises(ValidationError):
        journal.add_own_emotions(["x" * 101])
    with pytest.raises(ValidationError):
        journal.add_own_emotions(["  "])
    assert journal.own_emotions() == ["raw"]
    with pytest.raises(ValueError):
        AppState(own_emotions=["a\udc80b"])


def test_suggestion_is_the_known_word_a_half_word_starts() -> None:
    assert suggestion_for("exhaus") == "exhausted"
    assert suggestion_for("Guil") == "guilt"
    assert suggestion_for("guilt") is None  # a known word needs no suggestion
    assert suggestion_for("zzz") is None


def test_unknown_emotions_are_neither_known_nor_own() -> None:
    assert unknown_emotions(["sad", "Raw", "exhaus", "raw", "guil"], own=["raw"]) == [
        "exhaus", "guil"]
    assert unknown_emotions(["grief"], own=[]) == []


def _journal_with_junk(journal: Journal) -> tuple[Entry, Reflection, CheckIn]:
    entry = journal.add_entry(title="Night shift", emotions=(
        Emotion("exhaus", 4), Emotion("sad", 2)))
    reflection = journal.add_record(Reflection(
        title="After bed 12", body="exhaus 2/5, exhausted 5/5",
        emotions=(Emotion("exhaus", 2), Emotion("exhausted", 5)),
        answers=(StepAnswer("feel", "emotions",
                            emotions=(Emotion("exhaus", 2), Emotion("exhausted", 5))),)))
    checkin = journal.add_record(CheckIn(mood=-2, emotions=(Emotion("guil", 3),
                                                            Emotion("exhaus", 1))))
    journal.add_record(CheckIn(mood=1, emotions=(Emotion("raw", 3),)))
    journal.add_own_emotions(["raw", "held together"])
    return entry, reflection, checkin


def test_words_outside_the_vocabulary_with_their_uses(journal: Journal) -> None:
    _journal_with_junk(journal)
    assert words_outside_vocabulary(journal) == [
        WordInUse("exhaus", entries=2, checkins=1, own=False, suggestion="exhausted"),
        WordInUse("guil", entries=0, checkins=1, own=False, suggestion="guilt"),
        WordInUse("raw", entries=0, checkins=1, own=True, suggestion=None),
        WordInUse("held together", entries=0, checkins=0, own=True, suggestion=None),
    ]


def test_replacing_a_half_word_keeps_each_records_earlier_version(journal: Journal) -> None:
    entry, reflection, checkin = _journal_with_junk(journal)
    assert journal.replace_emotion("exhaus", "exhausted") == 3
    got = journal.get_entry(entry.id)
    assert got.emotions == (Emotion("exhausted", 4), Emotion("sad", 2))  # at its place
    got_reflection = journal.get_entry(reflection.id)
    assert isinstance(got_reflection, Reflection)
    # The record named "exhausted" already: that one stays, the half word goes.
    assert got_reflection.emotions == (Emotion("exhausted", 5),)
    assert got_reflection.answers[0].emotions == (Emotion("exhausted", 5),)
    assert got_reflection.body == reflection.body  # what was written stays as written
    stored = next(c for c in journal.checkins() if c.id == checkin.id)
    assert stored.emotions == (Emotion("guil", 3), Emotion("exhausted", 1))
    for record in (entry, reflection, checkin):
        (revision,) = journal.revisions(record.id)
        assert revision.record().emotions == record.emotions  # type: ignore[attr-defined]
    assert [w.name for w in words_outside_vocabulary(journal)] == [
        "guil", "raw", "held together"]


def test_removing_a_word_and_an_own_word_leaving_the_list(journal: Journal) -> None:
    _entry, _reflection, checkin = _journal_with_junk(journal)
    assert journal.replace_emotion("guil", None) == 1
    stored = next(c for c in journal.checkins() if c.id == checkin.id)
    assert stored.emotions == (Emotion("exhaus", 1),)
    assert journal.replace_emotion("raw", "numb") == 1
    assert journal.own_emotions() == ["held together"]  # replaced: no longer one's own
    assert journal.replace_emotion("held together", "held-together", own=True) == 0
    assert journal.own_emotions() == ["held-together"]


def test_the_emotion_filter_follows_a_rename(journal: Journal) -> None:
    from journal_app.core.vault import SearchFilters

    entry, _reflection, _checkin = _journal_with_junk(journal)
    journal.prepare_search()
    assert entry.id in {e.id for _hit, e in journal.search("", SearchFilters(
        emotions=("exhaus",)))}
    journal.replace_emotion("exhaus", "exhausted")
    assert journal.search("", SearchFilters(emotions=("exhaus",))) == []
    assert entry.id in {e.id for _hit, e in journal.search("", SearchFilters(
        emotions=("exhausted",)))}


def test_a_rename_that_cannot_be_stored_changes_nothing(journal: Journal) -> None:
    entry, _reflection, _checkin = _journal_with_junk(journal)
    with pytest.raises(ValidationError):
        journal.replace_emotion("exhaus", "x" * 101)
    assert journal.get_entry(entry.id).emotions == entry.emotions
    assert journal.revisions(entry.id) == []
    assert journal.replace_emotion("nothing-like-it", "calm") == 0


def test_the_rename_is_seen_by_another_process(journal: Journal, data_dir: Path) -> None:
    entry, _reflection, _checkin = _journal_with_junk(journal)
    with Journal.open(data_dir) as other:
        other.unlock("correct horse")
        other.replace_emotion("exhaus", "exhausted")
    journal.sync()
    assert journal.get_entry(entry.id).emotions[0] == Emotion("exhausted", 4)

