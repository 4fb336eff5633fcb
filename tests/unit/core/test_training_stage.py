"""Issue 14: the training stage's words, a good moment on a check-in, and records written before
either existed (they load, with the defaults)."""

from __future__ import annotations

from pathlib import Path

from journal_app.core.practice.prompts import DEFAULT_LEVEL, LEVELS
from journal_app.core.records import codec
from journal_app.core.records.model import AppState, CheckIn, decode_record
from journal_app.core.vault.crypto import TEST_KDF
from journal_app.core.vault.journal import Journal
from journal_app.core.vocabulary import LEVEL_LABELS


def test_every_level_has_one_label_and_they_address_students() -> None:
    assert list(LEVEL_LABELS) == list(LEVELS)
    assert LEVEL_LABELS["advanced"] == "Sub-internship (senior student)"
    assert not any("resid" in label.lower() for label in LEVEL_LABELS.values())
    assert DEFAULT_LEVEL == "early"


def test_a_check_in_stored_before_good_moments_loads_as_not_good() -> None:
    old = CheckIn(stress=3)
    payload = codec.loads(codec.dumps(old.payload()))
    del payload["good_moment"]
    loaded = decode_record("checkin", CheckIn.SCHEMA_VERSION, old.id, payload)
    assert isinstance(loaded, CheckIn) and loaded.good_moment is False


def test_app_state_stored_before_the_level_card_loads_with_it_not_dismissed() -> None:
    old = AppState(level=None)
    payload = codec.loads(codec.dumps(old.payload()))
    del payload["level_card_dismissed"]
    loaded = decode_record("app-state", AppState.SCHEMA_VERSION, old.id, payload)
    assert isinstance(loaded, AppState)
    assert loaded.level is None and loaded.level_card_dismissed is False


def test_a_good_moment_is_kept_in_the_vault(tmp_path: Path) -> None:
    journal, _key = Journal.create(tmp_path / "j", "quiet harbour lantern", kdf=TEST_KDF)
    journal.add_record(CheckIn(good_moment=True, mood=3))
    journal.close()
    again = Journal.open(tmp_path / "j")
    try:
        again.unlock("quiet harbour lantern")
        (stored,) = again.checkins()
        assert stored.good_moment is True and stored.encounter is None
    finally:
        again.close()
