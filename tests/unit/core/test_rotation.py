"""Key rotation: every record and sealed blob under a fresh data key, all or nothing."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from journal_app.core.errors import (
    StorageError,
    VaultBusyError,
    VaultDamagedError,
    WrongPassphraseError,
    WrongRecoveryKeyError,
)
from journal_app.core.records.model import CheckIn
from journal_app.core.recovery import backup as bk
from journal_app.core.recovery.backup import (
    create_backup,
    prepare_restore,
    restore_backup,
    verify_backup,
)
from journal_app.core.vault import lock as vaultlock
from journal_app.core.vault.crypto import TEST_KDF, OpenError, RecordCipher
from journal_app.core.vault.journal import Journal
from journal_app.core.vault.rotation import DAMAGED, NOT_MATCHING, check_space, space_needed
from tests.helpers.images import png

PASS = "correct horse"
CANARY = "okapi-canary-41c9"


@pytest.fixture
def made(tmp_path: Path) -> Iterator[tuple[Journal, str]]:
    """A journal with records of several kinds, an attachment and a saved search snapshot."""
    journal, recovery_key = Journal.create(tmp_path / "vault", PASS, kdf=TEST_KDF)
    first = journal.add_entry(title="Night shift", body=f"We lost Mr B. {CANARY}")
    journal.edit_entry(first.id, body=f"Edited later. {CANARY}")  # a revision
    journal.add_record(CheckIn(mood=-1, energy=2, stress=6))
    journal.add_attachment(first.id, "ward.png", png(4, 4, comment=CANARY))
    journal.set_deid_names(["Dr Zed"])
    journal.search(CANARY)
    journal.save_index_snapshot()
    yield journal, recovery_key
    journal.close()


def stored(data_dir: Path) -> tuple[dict[str, bytes], dict[str, tuple[object, ...]]]:
    """Every meta value and every record row, as stored."""
    conn = sqlite3.connect(data_dir / "journal.db")
    try:
        meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
        rows = {r[0]: tuple(r[1:]) for r in conn.execute(
            "SELECT id, kind, schema_version, seq, blob FROM records").fetchall()}
    finally:
        conn.close()
    return meta, rows


def opened_by(data_dir: Path, data_key: bytes) -> tuple[int, list[str]]:
    """How many record rows, and which sealed meta blobs, open under ``data_key``."""
    meta, rows = stored(data_dir)
    cipher = RecordCipher(data_key, meta["vault_id"])
    count = 0
    for record_id, (kind, version, seq, blob) in rows.items():
        try:
            cipher.open(record_id, str(kind), int(str(version)), int(str(seq)), bytes(blob))
            count += 1
        except OpenError:
            pass
    blobs = []
    for name in _sealed_names(meta):
        try:
            cipher.open_meta(name, meta[name])
            blobs.append(name)
        except OpenError:
            pass
    return count, blobs


def _sealed_names(meta: dict[str, bytes]) -> list[str]:
    """The manifest and the search index's directory and segments."""
    return ["manifest", "search_dir", *sorted(k for k in meta if k.startswith("search_seg."))]


def payloads(journal: Journal) -> list[tuple[str, str, object]]:
    return sorted((r.id, r.KIND, r.payload()) for r in journal.all_records())


def test_rotation_reseals_everything_under_a_new_key(made: tuple[Journal, str]) -> None:
    journal, old_recovery = made
    data_dir = journal.data_dir
    old_key = journal.cipher.data_key
    before_meta, before_rows = stored(data_dir)
    before = payloads(journal)
    seen: list[tuple[int, int]] = []

    new_recovery = journal.rotate_key(PASS, progress=lambda d, t: seen.append((d, t)))

    new_key = journal.cipher.data_key
    assert new_key != old_key and new_recovery != old_recovery
    after_meta, after_rows = stored(data_dir)
    assert after_meta["vault_id"] == before_meta["vault_id"]
    assert after_rows.keys() == before_rows.keys()
    for record_id, (kind, version, seq, blob) in after_rows.items():
        assert (kind, version, seq) == before_rows[record_id][:3]  # only the blob changes
        assert blob != before_rows[record_id][3]
    # The index's segments keep their names (the directory lists them), re-sealed.
    assert _sealed_names(after_meta) == _sealed_names(before_meta)
    assert len(_sealed_names(after_meta)) >= 3
    for name in (*_sealed_names(after_meta), *(k for k in after_meta if k.startswith("slot."))):
        assert after_meta[name] != before_meta[name], name
    # The old key opens nothing left in the file; the new one opens every row and blob.
    assert opened_by(data_dir, old_key) == (0, [])
    assert opened_by(data_dir, new_key) == (len(after_rows), _sealed_names(after_meta))
    assert seen[0] == (0, len(after_rows)) and seen[-1] == (len(after_rows), len(after_rows))
    # Nothing of what it holds changed; it is intact.
    assert payloads(journal) == before
    assert journal.verify().ok
    assert journal.search(CANARY)
    entry = journal.entries()[0]
    [attachment] = journal.attachments(entry.id)
    assert CANARY.encode() in journal.attachment_data(attachment.id)
    later = journal.add_entry(title="Written after", body="under the new key")
    assert journal.verify().ok
    assert [entry.id for _hit, entry in journal.search("new key")] == [later.id]
    journal.delete_entry(later.id)
    journal.empty_trash()

    journal.lock()
    journal.unlock(PASS)  # the passphrase goes on working
    assert payloads(journal) == before
    assert journal.search(CANARY)
    journal.lock()
    with pytest.raises(WrongRecoveryKeyError):
        journal.recover(old_recovery, "someone else", TEST_KDF)
    journal.recover(new_recovery, "fresh words", TEST_KDF)
    assert payloads(journal) == before


def test_new_recovery_key_checks_the_passphrase_first(made: tuple[Journal, str]) -> None:
    journal, _key = made
    before = stored(journal.data_dir)
    with pytest.raises(WrongPassphraseError):
        journal.new_recovery_key("not the passphrase")
    assert stored(journal.data_dir) == before


def test_a_cancelled_rotation_changes_nothing(made: tuple[Journal, str]) -> None:
    journal, recovery_key = made
    before = stored(journal.data_dir)
    old_key = journal.cipher.data_key

    def cancel(done: int, total: int) -> None:
        if done > 0:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        journal.rotate_key("new words", progress=cancel)
    assert stored(journal.data_dir) == before
    assert journal.cipher.data_key == old_key
    journal.add_entry(title="still writing")
    journal.lock()
    journal.unlock(PASS)
    journal.lock()
    journal.recover(recovery_key, PASS, TEST_KDF)  # the recovery key still works


def test_refused_while_another_program_has_the_journal_open(
    made: tuple[Journal, str]
) -> None:
    journal, _key = made
    data_dir = journal.data_dir
    before = stored(data_dir)
    other = Journal.open(data_dir)
    try:
        with pytest.raises(VaultBusyError) as info:
            journal.rotate_key(PASS)
        assert info.value.message == vaultlock.OPEN_ELSEWHERE
        assert stored(data_dir) == before
    finally:
        other.close()
    # The refused upgrade left this journal's own shared lock in place: a restore is refused.
    with pytest.raises(VaultBusyError), vaultlock.exclusive(data_dir):
        pass
    journal.rotate_key(PASS)
    # And after a rotation too.
    with pytest.raises(VaultBusyError), vaultlock.exclusive(data_dir):
        pass
    assert journal.verify().ok


def test_another_program_waits_while_the_key_is_changed(made: tuple[Journal, str]) -> None:
    journal, _key = made
    opened: list[object] = []

    def meanwhile(done: int, total: int) -> None:
        if done == total:
            try:
                Journal.open(journal.data_dir).close()
                opened.append(True)
            except VaultBusyError as exc:
                opened.append(exc.message)

    journal.rotate_key(PASS, progress=meanwhile)
    assert opened == [vaultlock.BEING_RESTORED]


def test_a_damaged_record_stops_the_rotation(made: tuple[Journal, str]) -> None:
    journal, _key = made
    data_dir = journal.data_dir
    conn = sqlite3.connect(data_dir / "journal.db", isolation_level=None)
    try:
        record_id, blob = conn.execute(
            "SELECT id, blob FROM records WHERE kind='checkin'").fetchone()
        conn.execute("UPDATE records SET blob=? WHERE id=?",
                     (blob[:-1] + bytes([blob[-1] ^ 1]), record_id))
    finally:
        conn.close()
    before = stored(data_dir)
    with pytest.raises(VaultDamagedError) as info:
        journal.rotate_key(PASS)
    assert info.value.message == DAMAGED
    assert stored(data_dir) == before


def test_a_removed_record_stops_the_rotation(made: tuple[Journal, str]) -> None:
    """Rotating would rebuild the manifest from what is there: tamper evidence is not laundered."""
    journal, _key = made
    data_dir = journal.data_dir
    conn = sqlite3.connect(data_dir / "journal.db", isolation_level=None)
    try:
        conn.execute("DELETE FROM records WHERE kind='checkin'")
    finally:
        conn.close()
    before = stored(data_dir)
    with pytest.raises(VaultDamagedError) as info:
        journal.rotate_key(PASS)
    assert info.value.message == NOT_MATCHING
    assert stored(data_dir) == before


def test_free_space_is_checked_against_the_size_of_the_files() -> None:
    size = 300 * 1_000_000
    check_space(size, space_needed(size))
    assert space_needed(size) > size
    with pytest.raises(StorageError) as info:
        check_space(size, space_needed(size) - 1)
    assert "Nothing was changed" in info.value.message


@pytest.fixture
def small_drive(tmp_path: Path) -> Iterator[Path]:
    """A real 8 MB file system (a tmpfs): mounting one needs root, so elsewhere this skips."""
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a small tmpfs needs root")
    point = tmp_path / "small"
    point.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m,mode=0700", "tmpfs",
                              str(point)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip("a tmpfs cannot be mounted here")
    try:
        yield point
    finally:
        subprocess.run(["umount", "-l", str(point)], capture_output=True)


def test_too_little_room_refuses_the_rotation_before_anything_is_written(
    small_drive: Path
) -> None:
    journal, recovery_key = Journal.create(small_drive / "vault", PASS, kdf=TEST_KDF)
    with journal:
        journal.add_entry(title="kept", body="as it was " * 200)
        before = stored(journal.data_dir)
        with pytest.raises(StorageError) as info:
            journal.rotate_key(PASS)
        assert "Nothing was changed" in info.value.message
        assert stored(journal.data_dir) == before
        journal.add_entry(title="still writing")
        assert journal.verify().ok
        journal.lock()
        journal.recover(recovery_key, PASS, TEST_KDF)


def test_a_backup_made_before_rotation_opens_with_the_secrets_of_its_day(
    made: tuple[Journal, str], tmp_path: Path
) -> None:
    journal, old_recovery = made
    data_dir = journal.data_dir
    info = create_backup(journal, tmp_path / "drive")
    new_key = journal.cipher.data_key
    journal.rotate_key("a passphrase nobody saw")
    new_key = journal.cipher.data_key
    journal.add_entry(title="after")
    journal.close()
    # Its own passphrase opens it; today's does not, and says why in a plain sentence.
    assert verify_backup(info.path, passphrase=PASS, current_dir=data_dir).ok
    with pytest.raises(WrongPassphraseError) as refused:
        verify_backup(info.path, passphrase="a passphrase nobody saw", current_dir=data_dir)
    assert "when the backup was made" in refused.value.message
    with pytest.raises(WrongPassphraseError) as refused:
        prepare_restore(data_dir, info.path, key=new_key)  # the app, unlocked
    assert "before" in refused.value.message
    # Restored, it opens with the old passphrase and the old recovery key, never with a mix of
    # the old records and today's key slots.
    result = restore_backup(data_dir, info.path, passphrase=PASS)
    assert result.keys == bk.KEYS_BACKUP
    with Journal.open(data_dir) as restored:
        restored.unlock(PASS)
        assert restored.verify().ok
        assert "after" not in {e.title for e in restored.entries()}
        restored.lock()
        restored.recover(old_recovery, PASS, TEST_KDF)


def test_a_backup_made_after_rotation_restores_with_todays_secrets(
    made: tuple[Journal, str], tmp_path: Path
) -> None:
    journal, _key = made
    data_dir = journal.data_dir
    journal.rotate_key(PASS)
    info = create_backup(journal, tmp_path / "drive")
    journal.close()
    result = restore_backup(data_dir, info.path, passphrase=PASS)
    assert result.keys == bk.KEYS_CURRENT


def test_backups_made_before_the_rotation_are_found_and_deleted(
    made: tuple[Journal, str], tmp_path: Path
) -> None:
    journal, _key = made
    drive = tmp_path / "drive"
    drive.mkdir()
    before = create_backup(journal, drive)
    (drive / "notes.txt").write_text("not ours")
    assert bk.backups_under_an_old_key(drive, journal) == []
    journal.rotate_key(PASS)
    after = create_backup(journal, drive)
    old = bk.backups_under_an_old_key(drive, journal)
    assert [path for path, _header in old] == [before.path]
    assert bk.delete_backups([path for path, _header in old]) == [before.path]
    assert sorted(p.name for p in drive.iterdir()) == sorted([after.path.name, "notes.txt"])
    assert bk.delete_backups([drive / "notes.txt"]) == []  # not one of ours: left alone


def test_writes_another_program_made_before_the_rotation_are_kept(
    made: tuple[Journal, str]
) -> None:
    journal, _key = made
    journal.entries()  # loaded
    with Journal.open(journal.data_dir) as other:
        other.unlock(PASS)
        written = other.add_entry(title="From the other window", body="okapi words")
    journal.rotate_key(PASS)
    assert written.id in {e.id for e in journal.entries()}
    assert [hit.id for hit, _entry in journal.search("okapi words")] == [written.id]
    assert journal.verify().ok
