"""Two and three devices, each its own data folder and its own copy of the sync folder."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from journal_app.core.records.model import AppState, Revision
from journal_app.core.sync import engine
from tests.unit.core.sync.harness import Device, carry, settle, start


@pytest.fixture
def pair(root: Path) -> Iterator[list[Device]]:
    devices = start(root, ["laptop", "desktop"])
    yield devices
    for d in devices:
        d.j.close()


def test_a_joined_device_holds_the_entries_and_both_devices_are_listed(pair: list[Device]) -> None:
    laptop, desktop = pair
    assert [e.title for e in desktop.j.entries()] == ["entry 0"]
    settle(laptop, desktop)
    for device in pair:
        status = engine.status(device.j)
        assert sorted(d.name for d in status.devices) == ["desktop", "laptop"]
    assert engine.status(laptop.j).fingerprint == engine.status(desktop.j).fingerprint
    assert laptop.records() == desktop.records()


def test_an_edit_reaches_the_other_device(pair: list[Device]) -> None:
    laptop, desktop = pair
    entry = laptop.j.entries()[0]
    laptop.j.edit_entry(entry.id, body="changed on the laptop")
    assert laptop.sync().sent >= 1
    carry(laptop, desktop)
    result = desktop.sync()
    assert result.received >= 1 and result.conflicts_kept == 0
    assert desktop.j.get_entry(entry.id).body == "changed on the laptop"
    # The edit's own revision came along; no conflict revision was made for an update.
    assert [r.record().body for r in desktop.j.revisions(entry.id)] == ["written on laptop #0"]


def test_concurrent_edits_keep_the_losing_version_as_a_revision_on_both(
        pair: list[Device]) -> None:
    laptop, desktop = pair
    entry = laptop.j.entries()[0]
    desktop.j.edit_entry(entry.id, body="desktop's words")
    time.sleep(0.01)  # a later millisecond: the later edit
    laptop.j.edit_entry(entry.id, body="laptop's words")
    settle(laptop, desktop)
    for device in pair:
        assert device.j.get_entry(entry.id).body == "laptop's words"
        kept = {r.record().body for r in device.j.revisions(entry.id)}
        assert "desktop's words" in kept
    assert laptop.records() == desktop.records()
    assert engine.status(desktop.j).conflicts_kept + engine.status(laptop.j).conflicts_kept >= 1
    for device in pair:  # what sync wrote passes the journal's own check
        report = device.j.verify()
        assert report.ok, report.problems


def test_a_clock_days_ahead_wins_only_until_the_others_have_seen_its_change(
        pair: list[Device], monkeypatch: pytest.MonkeyPatch) -> None:
    from journal_app.core.records import model
    from journal_app.core.vault import journal as journal_module

    laptop, desktop = pair
    ahead = timedelta(days=3)
    laptop.clock.offset = int(ahead.total_seconds() * 1000)
    entry = laptop.j.entries()[0]
    monkeypatch.setattr(journal_module, "now", lambda: model.now() + ahead)
    laptop.j.edit_entry(entry.id, body="from the fast clock")
    monkeypatch.undo()
    settle(laptop, desktop)
    # The desktop's clock is three days behind, yet its later edit wins: it saw the change.
    desktop.j.edit_entry(entry.id, body="later, from the slow clock")
    settle(laptop, desktop)
    for device in pair:
        assert device.j.get_entry(entry.id).body == "later, from the slow clock"
    assert laptop.records() == desktop.records()


def test_trash_restore_and_new_entries_travel(pair: list[Device]) -> None:
    laptop, desktop = pair
    entry = laptop.j.entries()[0]
    desktop.j.delete_entry(entry.id)
    new = desktop.j.add_entry(title="new on desktop", body="text")
    settle(laptop, desktop)
    assert laptop.j.get_entry(entry.id).in_trash
    assert laptop.j.get_entry(new.id).title == "new on desktop"
    laptop.j.restore_entry(entry.id)
    settle(laptop, desktop)
    assert not desktop.j.get_entry(entry.id).in_trash


def test_emptying_the_trash_removes_everywhere_but_a_concurrent_edit_survives_in_the_trash(
        pair: list[Device]) -> None:
    laptop, desktop = pair
    gone = laptop.j.add_entry(title="to be purged", body="old")
    kept = laptop.j.add_entry(title="edited meanwhile", body="old")
    settle(laptop, desktop)
    laptop.j.delete_entry(gone.id)
    laptop.j.delete_entry(kept.id)
    laptop.j.empty_trash()
    desktop.j.edit_entry(kept.id, body="edited on the desktop before the purge arrived")
    settle(laptop, desktop)
    for device in pair:
        ids = {e.id for e in device.j.entries()} | {e.id for e in device.j.entries(trash=True)}
        assert gone.id not in ids and kept.id not in ids
        survivors = [e for e in device.j.entries(trash=True)
                     if e.body == "edited on the desktop before the purge arrived"]
        assert len(survivors) == 1
    assert laptop.records() == desktop.records()


def test_the_app_state_merges_per_field(pair: list[Device]) -> None:
    laptop, desktop = pair
    laptop.j.add_own_emotions(["hollowed out"])
    desktop.j.add_own_emotions(["raw"])
    desktop.j.update_app_state(lambda s: replace(s, show_streaks=True))
    settle(laptop, desktop)
    for device in pair:
        state = device.j.app_state()
        assert isinstance(state, AppState)
        assert set(state.own_emotions) == {"hollowed out", "raw"}
        assert state.show_streaks


def test_three_devices_converge(root: Path) -> None:
    devices = start(root, ["a", "b", "c"])
    try:
        a, b, c = devices
        entry = a.j.entries()[0]
        b.j.edit_entry(entry.id, body="b")
        c.j.edit_entry(entry.id, body="c")
        c.j.add_entry(title="from c", body="only c")
        settle(*devices)
        assert a.records() == b.records() == c.records()
        kept = {r.record().body for r in a.j.revisions(entry.id)}
        assert {"b", "c"} <= kept | {a.j.get_entry(entry.id).body}
        assert len(engine.status(a.j).devices) == 3
    finally:
        for d in devices:
            d.j.close()


def test_sync_before_setup_says_so(root: Path) -> None:
    from journal_app.core.vault.crypto import TEST_KDF
    from journal_app.core.vault.journal import Journal

    journal = Journal.create(root / "plain", "x" * 20, TEST_KDF)[0]
    with journal, pytest.raises(engine.SyncError, match="does not sync yet"):
        engine.sync_now(journal)


def test_leave_keeps_the_vault_and_the_others_list_it_as_gone(pair: list[Device]) -> None:
    laptop, desktop = pair
    desktop.j.add_entry(title="sent on leaving", body="x")
    assert engine.leave(desktop.j, desktop.params)
    assert engine.load_state(desktop.j) is None
    assert desktop.j.entries()
    carry(desktop, laptop)
    laptop.sync()
    assert "sent on leaving" in {e.title for e in laptop.j.entries()}
    gone = [d for d in engine.status(laptop.j).devices if d.name == "desktop"]
    assert [d.revoked for d in gone] == [True]


def test_attachments_checkins_and_the_identity_travel(pair: list[Device]) -> None:
    from journal_app.core.records.model import CheckIn
    from journal_app.core.sharing.service import ensure_identity, identity
    from tests.helpers.images import png

    laptop, desktop = pair
    entry = laptop.j.entries()[0]
    image = png()
    attachment = laptop.j.add_attachment(entry.id, "scan.png", image)
    laptop.j.add_record(CheckIn(mood=2, energy=1, stress=3))
    ensure_identity(laptop.j, "Sam")
    settle(laptop, desktop)
    assert desktop.j.attachment_data(attachment.id) == image
    assert [c.mood for c in desktop.j.checkins()] == [2]
    mine = identity(desktop.j)
    assert mine is not None and mine.name == "Sam"
    assert laptop.records() == desktop.records()


def test_a_new_recovery_key_here_keeps_the_sync_going(pair: list[Device]) -> None:
    from tests.unit.core.sync.harness import PASSPHRASE

    laptop, desktop = pair
    laptop.j.new_recovery_key(PASSPHRASE)  # a new data key: the sync state is re-sealed
    laptop.j.add_entry(title="after the new key", body="x")
    settle(laptop, desktop)
    assert "after the new key" in {e.title for e in desktop.j.entries()}
    assert laptop.records() == desktop.records()


def test_a_word_removed_on_one_device_stays_removed(pair: list[Device]) -> None:
    laptop, desktop = pair
    laptop.j.add_own_emotions(["raw", "hollowed out"])
    settle(laptop, desktop)
    desktop.j.forget_own_emotions(["raw"])
    laptop.j.add_own_emotions(["numb"])  # a change of the same list elsewhere meanwhile
    settle(laptop, desktop)
    for device in pair:
        assert set(device.j.own_emotions()) == {"hollowed out", "numb"}
    # And added again later, it comes back everywhere.
    laptop.j.add_own_emotions(["raw"])
    settle(laptop, desktop)
    for device in pair:
        assert "raw" in device.j.own_emotions()
    desktop.j.forget_own_emotions(["raw", "hollowed out", "numb"])  # every word: none left
    settle(laptop, desktop)
    for device in pair:
        assert device.j.own_emotions() == []


def _stored_revisions(device: Device, entry_id: str) -> list[Revision]:
    """Every revision of the entry as stored (what was carried), duplicates included."""
    return [r for r in device.j.all_records()
            if isinstance(r, Revision) and r.target_id == entry_id]


def test_the_original_edited_on_both_devices_is_one_earlier_version(pair: list[Device]) -> None:
    """Each device kept its own copy of the text it edited; when their histories meet, Earlier
    versions lists that text once (the copy saved first), and both conflicting versions."""
    laptop, desktop = pair
    entry = laptop.j.entries()[0]
    desktop.j.edit_entry(entry.id, body="desktop's words")
    time.sleep(0.01)  # a later millisecond: the laptop's edit wins
    laptop.j.edit_entry(entry.id, body="laptop's words")
    settle(laptop, desktop)
    shown = {}
    for device in pair:
        assert device.j.get_entry(entry.id).body == "laptop's words"
        revisions = device.j.revisions(entry.id)
        bodies = [r.record().body for r in revisions]
        assert sorted(bodies) == ["desktop's words", "written on laptop #0"], bodies
        originals = [r for r in _stored_revisions(device, entry.id)
                     if r.record().body == "written on laptop #0"]
        assert len(originals) == 2  # both copies are still held: nothing written is dropped
        kept = next(r for r in revisions if r.record().body == "written on laptop #0")
        assert kept.saved == min(r.saved for r in originals)
        shown[device.name] = [r.id for r in revisions]
    assert shown["laptop"] == shown["desktop"]  # the same copy on every device
    assert laptop.records() == desktop.records()


def test_three_devices_editing_one_original_show_it_once(root: Path) -> None:
    devices = start(root, ["a", "b", "c"])
    try:
        entry = devices[0].j.entries()[0]
        for device in devices:
            device.j.edit_entry(entry.id, body=f"{device.name}'s words")
            time.sleep(0.01)
        settle(*devices)
        for device in devices:
            assert device.j.get_entry(entry.id).body == "c's words"
            bodies = sorted(r.record().body for r in device.j.revisions(entry.id))
            assert bodies == ["a's words", "b's words", "written on a #0"], bodies
        assert devices[0].records() == devices[1].records() == devices[2].records()
    finally:
        for d in devices:
            d.j.close()


def test_a_version_lost_in_a_conflict_and_saved_over_where_it_was_written_is_shown_once(
        pair: list[Device]) -> None:
    """The desktop's first version loses to the laptop's edit (kept as a conflict revision,
    named after the desktop) and was also saved over on the desktop (its own revision): the
    same text twice. It is shown once, as the version kept from the desktop."""
    from journal_app.core.sync import kept_from

    laptop, desktop = pair
    entry = laptop.j.entries()[0]
    desktop.j.edit_entry(entry.id, body="desktop's first words")
    desktop.sync()  # sent as a version of its own (not yet carried)
    time.sleep(0.01)
    laptop.j.edit_entry(entry.id, body="laptop's words")
    time.sleep(0.01)
    desktop.j.edit_entry(entry.id, body="desktop's second words")
    settle(laptop, desktop)
    for device in pair:
        revisions = device.j.revisions(entry.id)
        bodies = [r.record().body for r in revisions]
        assert sorted(bodies) == ["desktop's first words", "laptop's words",
                                  "written on laptop #0"], bodies
        names = kept_from(engine.load_state(device.j), revisions)
        first = next(r for r in revisions if r.record().body == "desktop's first words")
        assert names.get(first.id) == "desktop"
    assert laptop.records() == desktop.records()
