"""Backups: make, verify, restore, prune; corrupted and hostile backups change nothing."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import stat
import struct
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from journal_app.core.errors import (
    BackupDamagedError,
    NotFoundError,
    StorageError,
    UsageError,
    VaultBusyError,
    VaultLockedError,
    WrongPassphraseError,
)
from journal_app.core.records.model import BackupState, CheckIn, Emotion
from journal_app.core.recovery import backup as bk
from journal_app.core.recovery.backup import (
    MAGIC,
    BackupPolicy,
    create_backup,
    describe_last_backup,
    last_backup,
    list_backups,
    prepare_restore,
    prune_backups,
    read_header,
    record_backup,
    restore_backup,
    tidy,
    verify_backup,
)
from journal_app.core.vault.crypto import TEST_KDF
from journal_app.core.vault.journal import Journal

PASSPHRASE = "correct horse"
CANARY = "zebra-canary-7f3a quetzal"


@pytest.fixture
def vault(tmp_path: Path) -> Iterator[Journal]:
    """An unlocked journal with a few records of several kinds (an edited entry has a revision,
    one entry is in the trash)."""
    journal, _key = Journal.create(tmp_path / "vault", PASSPHRASE, kdf=TEST_KDF)
    first = journal.add_entry(title="Night shift", body=f"We lost Mr B. {CANARY}",
                              tags=["nights"], emotions=[Emotion("sadness", 4)], mood=-2)
    journal.add_entry(title=f"Teaching {CANARY}", body="Good questions about sepsis.")
    journal.edit_entry(first.id, body=f"Edited later. {CANARY}")
    trashed = journal.add_entry(title="Scratch", body="to the trash")
    journal.delete_entry(trashed.id)
    journal.add_record(CheckIn(mood=1, stress=5, encounter="bad-news"))
    journal.update_app_state(lambda s: replace(s, level="clerkship"))
    yield journal
    journal.close()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    path = tmp_path / "backups"
    path.mkdir()
    return path


def tables(db: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of the vault's tables, as stored (ciphertexts included)."""
    conn = sqlite3.connect(f"{db.as_uri()}?mode=ro", uri=True)
    try:
        return {
            "records": conn.execute("SELECT * FROM records ORDER BY id").fetchall(),
            "meta": conn.execute("SELECT * FROM meta ORDER BY key").fetchall(),
        }
    finally:
        conn.close()


def files(folder: Path) -> dict[str, bytes]:
    out = {}
    for dirpath, _dirs, names in os.walk(folder):
        for name in names:
            path = Path(dirpath) / name
            out[str(path.relative_to(folder))] = path.read_bytes()
    return out


def decrypted(data_dir: Path, passphrase: str = PASSPHRASE) -> list[tuple[str, str, object]]:
    with Journal.open(data_dir) as journal:
        journal.unlock(passphrase)
        assert journal.verify().ok
        return sorted((r.id, r.KIND, r.payload()) for r in journal.all_records())


def _data_files(vault: Journal) -> list[str]:
    """The files in the vault's data folder, apart from SQLite's own write-ahead log and its
    index, which are there while the journal keeps a connection open (they go with it)."""
    return sorted(p.name for p in vault.data_dir.iterdir()
                  if p.name not in ("journal.db-wal", "journal.db-shm"))


# ==================================================================== making and reading


def test_backup_file_format_name_and_mode(vault: Journal, folder: Path) -> None:
    when = datetime(2026, 11, 23, 6, 30, 12).astimezone()
    info = create_backup(vault, folder, when)
    assert info.path.name == f"journal-{when:%Y-%m-%dT%H%M}.jbackup"
    assert info.path.parent == folder
    assert info.ok and info.records_checked == info.header.records > 0
    assert stat.S_IMODE(info.path.stat().st_mode) == 0o600
    data = info.path.read_bytes()
    assert data.startswith(MAGIC)
    version, length = struct.unpack(">HI", data[len(MAGIC):len(MAGIC) + 6])
    assert version == bk.FORMAT_VERSION
    header = json.loads(data[len(MAGIC) + 6:len(MAGIC) + 6 + length])
    assert header["vault_id"] == vault.vault_id.hex()
    assert datetime.fromisoformat(header["created"]) == when
    payload = data[len(MAGIC) + 6 + length + 64:]
    assert len(payload) == header["payload_size"]
    assert hashlib.sha256(payload).hexdigest() == header["payload_sha256"]
    assert payload.startswith(b"SQLite format 3\x00")
    assert read_header(info.path) == info.header
    # A second backup in the same minute gets its own name; nothing is overwritten.
    again = create_backup(vault, folder, when)
    assert again.path.name == f"journal-{when:%Y-%m-%dT%H%M}-2.jbackup"
    # No temporary file is left behind, here or in the data folder.
    assert sorted(p.name for p in folder.iterdir()) == sorted([info.path.name, again.path.name])
    assert _data_files(vault) == ["journal.db", "journal.lock"]


def test_no_clear_text_in_a_backup(vault: Journal, folder: Path) -> None:
    info = create_backup(vault, folder)
    data = info.path.read_bytes()
    for needle in (CANARY, "zebra-canary", "Night shift", "sepsis", "nights", "sadness",
                   "clerkship"):
        for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
            assert needle.encode(encoding) not in data, (needle, encoding)


def test_create_to_a_named_file_and_refusals(vault: Journal, tmp_path: Path) -> None:
    target = tmp_path / "my.jbackup"
    info = create_backup(vault, target)
    assert info.path == target and info.ok
    with pytest.raises(UsageError):
        create_backup(vault, target)  # never overwrites
    with pytest.raises(StorageError, match="not available"):
        create_backup(vault, tmp_path / "unplugged" / "drive")
    vault.lock()
    with pytest.raises(VaultLockedError):
        create_backup(vault, tmp_path)


def test_a_backup_taken_while_another_process_writes_is_consistent(
        vault: Journal, folder: Path) -> None:
    stop = threading.Event()
    written: list[str] = []

    def writer() -> None:
        with Journal.open(vault.data_dir) as other:
            other.unlock(PASSPHRASE)
            while not stop.is_set():
                written.append(other.add_entry(title="meanwhile", body="x " * 500).id)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        infos = []
        deadline = time.monotonic() + 10
        while (len(infos) < 4 or len(written) < 10) and time.monotonic() < deadline:
            infos.append(create_backup(vault, folder))  # verifies each one in full
    finally:
        stop.set()
        thread.join()
    assert all(info.ok for info in infos)
    assert len({info.header.records for info in infos}) > 1, "the writer did not overlap"


# ==================================================================== verifying


def test_verify_with_passphrase_or_key_and_wrong_passphrase(
        vault: Journal, folder: Path) -> None:
    info = create_backup(vault, folder)
    checked = verify_backup(info.path, passphrase=PASSPHRASE)
    assert checked.ok and checked.records_checked == info.header.records
    assert verify_backup(info.path, key=vault.cipher.data_key).ok
    with pytest.raises(WrongPassphraseError) as caught:
        verify_backup(info.path, passphrase="not it")
    assert caught.value.exit_code == 3


def test_verify_leaves_no_copy_behind(vault: Journal, folder: Path, tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    info = create_backup(vault, folder)
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(tmp))
    verify_backup(info.path, passphrase=PASSPHRASE)
    assert list(tmp.iterdir()) == []
    verify_backup(info.path, passphrase=PASSPHRASE, workdir=vault.data_dir)
    assert _data_files(vault) == ["journal.db", "journal.lock"]


def _rewrite(path: Path, fn: object) -> None:
    assert callable(fn)
    path.write_bytes(fn(path.read_bytes()))


def _flip(data: bytes, at: int) -> bytes:
    return data[:at] + bytes([data[at] ^ 0x40]) + data[at + 1:]


def _header_end(data: bytes) -> int:
    length = struct.unpack(">I", data[len(MAGIC) + 2:len(MAGIC) + 6])[0]
    return len(MAGIC) + 6 + length


def _reheader(data: bytes, change: dict[str, object], payload: bytes | None = None) -> bytes:
    """Rewrite the header (and payload) with a matching checksum, as someone without the key
    could; the tag stays the old one."""
    end = _header_end(data)
    header = json.loads(data[len(MAGIC) + 6:end])
    body = payload if payload is not None else data[end + 64:]
    header.update(payload_size=len(body), payload_sha256=hashlib.sha256(body).hexdigest())
    header.update(change)
    raw = json.dumps(header, sort_keys=True, separators=(",", ":")).encode()
    prefix = MAGIC + struct.pack(">HI", 1, len(raw)) + raw
    tag = data[end + 32:end + 64]
    return prefix + hashlib.sha256(prefix).digest() + tag + body


def _damaged_payload(data: bytes) -> bytes:
    """The payload with one record's ciphertext flipped (the database stays valid)."""
    end = _header_end(data)
    body = bytearray(data[end + 64:])
    # A run of ciphertext: the longest run of bytes far from the start (records are large).
    at = len(body) // 2
    body[at] ^= 0x01
    return bytes(body)


def _version(number: int) -> object:
    return lambda d: d[: len(MAGIC)] + struct.pack(">H", number) + d[len(MAGIC) + 2:]


NOT_OURS = "not a journal-app backup"
CORRUPTIONS = {  # how -> (change, what the message says)
    "flipped payload byte": (lambda d: _flip(d, len(d) - 3000), "checksum"),
    "flipped header byte": (lambda d: _flip(d, len(MAGIC) + 12), "checksum"),
    "flipped checksum byte": (lambda d: _flip(d, _header_end(d) + 3), "checksum"),
    "flipped tag byte": (lambda d: _flip(d, _header_end(d) + 40), "altered"),
    "truncated in the payload": (lambda d: d[: len(d) - 1000], "incomplete"),
    "truncated in the header": (lambda d: d[: len(MAGIC) + 20], "incomplete"),
    "truncated in the magic": (lambda d: d[:10], "incomplete"),
    "empty": (lambda d: b"", NOT_OURS),
    "extra bytes": (lambda d: d + b"\0" * 10, "checksum"),
    "wrong magic": (lambda d: b"\x89journal-app BACKUP" + d[len(MAGIC) - 4:], NOT_OURS),
    "future version": (_version(2), "newer version"),
    "version zero": (_version(0), "checksum"),
    "huge header length": (
        lambda d: d[: len(MAGIC) + 2] + struct.pack(">I", 2**31) + d[len(MAGIC) + 6:],
        "checksum"),
    "another file renamed": (lambda d: b"SQLite format 3\x00" + os.urandom(5000), NOT_OURS),
    "a text file": (lambda d: b"Dear diary\n" * 100, NOT_OURS),
    "date changed, checksum redone": (
        lambda d: _reheader(d, {"created": "2020-01-01T00:00:00+00:00"}), "altered"),
    "payload changed, hashes redone": (
        lambda d: _reheader(d, {}, _damaged_payload(d)), "altered"),
    "vault id changed, checksum redone": (
        lambda d: _reheader(d, {"vault_id": "ab" * 16}), "altered"),
    "future schema, checksum redone": (
        lambda d: _reheader(d, {"schema_version": 99}), "newer version"),
}


@pytest.mark.parametrize("how", sorted(CORRUPTIONS))
def test_a_corrupted_backup_is_refused_and_nothing_changes(
        vault: Journal, folder: Path, how: str) -> None:
    info = create_backup(vault, folder)
    change, says = CORRUPTIONS[how]
    _rewrite(info.path, change)
    data_dir = vault.data_dir
    vault.close()
    before = files(data_dir)
    with pytest.raises(BackupDamagedError) as caught:
        verify_backup(info.path, passphrase=PASSPHRASE)
    assert caught.value.exit_code == 4
    assert says in caught.value.message
    assert CANARY not in caught.value.message
    with pytest.raises(BackupDamagedError):
        restore_backup(data_dir, info.path, passphrase=PASSPHRASE)
    assert files(data_dir) == before  # byte-identical, no staging folder left


def test_missing_backup_file(tmp_path: Path) -> None:
    with pytest.raises(NotFoundError):
        verify_backup(tmp_path / "nothing.jbackup", passphrase=PASSPHRASE)
    with pytest.raises(UsageError):
        read_header(tmp_path)


def test_a_journal_with_a_damaged_record_makes_no_backup(vault: Journal, folder: Path) -> None:
    good = create_backup(vault, folder)
    conn = sqlite3.connect(vault.data_dir / "journal.db")
    blob = conn.execute("SELECT blob FROM records WHERE kind='entry' LIMIT 1").fetchone()[0]
    conn.execute("UPDATE records SET blob=? WHERE blob=?", (_flip(blob, len(blob) - 2), blob))
    conn.commit()
    conn.close()
    with pytest.raises(BackupDamagedError, match="damaged records"):
        create_backup(vault, folder)
    assert [p.name for p in folder.iterdir()] == [good.path.name]  # the bad one was removed


# ==================================================================== restoring


def test_backup_then_restore_gives_an_identical_vault(vault: Journal, folder: Path) -> None:
    data_dir = vault.data_dir
    before_tables = tables(data_dir / "journal.db")
    before_records = None
    info = create_backup(vault, folder)
    # Later changes, which the restore must undo.
    entry = vault.entries()[0]
    vault.edit_entry(entry.id, title="changed after the backup")
    vault.add_entry(title="after the backup", body="gone after the restore")
    vault.delete_entry(vault.entries()[-1].id)
    vault.close()
    changed = decrypted(data_dir)

    result = restore_backup(data_dir, info.path, passphrase=PASSPHRASE)
    assert result.keys == bk.KEYS_CURRENT
    assert result.replaced is not None and result.replaced.parent == data_dir
    assert result.replaced.name.startswith("replaced-")
    assert stat.S_IMODE(result.replaced.stat().st_mode) == 0o700
    after_tables = tables(data_dir / "journal.db")
    assert after_tables == before_tables  # every row, byte for byte
    before_records = decrypted(data_dir)
    assert before_records != changed
    # The replaced journal is whole and opens as it was.
    assert decrypted(result.replaced) == changed
    assert sorted(p.name for p in data_dir.iterdir()) == [
        "journal.db", "journal.lock", result.replaced.name]


def test_restore_refused_while_the_vault_is_open(vault: Journal, folder: Path) -> None:
    info = create_backup(vault, folder)
    data_dir = vault.data_dir
    before = tables(data_dir / "journal.db")
    with pytest.raises(VaultBusyError, match="open in another program"):
        restore_backup(data_dir, info.path, passphrase=PASSPHRASE)
    assert tables(data_dir / "journal.db") == before
    assert not [p for p in data_dir.iterdir() if p.name.startswith((".restore", "replaced"))]
    vault.close()
    restore_backup(data_dir, info.path, passphrase=PASSPHRASE)


def test_restore_into_an_empty_folder(vault: Journal, folder: Path, tmp_path: Path) -> None:
    info = create_backup(vault, folder)
    expected = decrypted_from(vault)
    fresh = tmp_path / "new computer" / "journal"
    result = restore_backup(fresh, info.path, passphrase=PASSPHRASE)
    assert result.replaced is None and result.keys == bk.KEYS_BACKUP
    assert decrypted(fresh) == expected
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o700


def decrypted_from(journal: Journal) -> list[tuple[str, str, object]]:
    return sorted((r.id, r.KIND, r.payload()) for r in journal.all_records())


def test_passphrase_changed_after_the_backup(vault: Journal, folder: Path) -> None:
    info = create_backup(vault, folder)
    data_dir = vault.data_dir
    vault.change_passphrase("a newer passphrase", TEST_KDF)
    vault.close()
    # Verify opens with either: the backup's own passphrase, or the journal's current one.
    assert verify_backup(info.path, passphrase=PASSPHRASE).ok
    assert verify_backup(info.path, passphrase="a newer passphrase", current_dir=data_dir).ok
    with pytest.raises(WrongPassphraseError):
        verify_backup(info.path, passphrase="a newer passphrase")  # no journal to ask

    # Restoring with the current passphrase keeps it (and the current recovery key).
    result = restore_backup(data_dir, info.path, passphrase="a newer passphrase")
    assert result.keys == bk.KEYS_CURRENT
    decrypted(data_dir, "a newer passphrase")
    with Journal.open(data_dir) as journal, pytest.raises(WrongPassphraseError):
        journal.unlock(PASSPHRASE)

    # Restoring with the old one (someone who forgot the new one) keeps the backup's keys.
    result = restore_backup(data_dir, info.path, passphrase=PASSPHRASE)
    assert result.keys == bk.KEYS_BACKUP
    decrypted(data_dir, PASSPHRASE)


def test_a_backup_of_another_journal(vault: Journal, folder: Path, tmp_path: Path) -> None:
    other, _key = Journal.create(tmp_path / "other", "other passphrase", kdf=TEST_KDF)
    with other:
        other.add_entry(title="from the other journal", body="b")
        other_info = create_backup(other, folder)
        expected = decrypted_from(other)
    data_dir = vault.data_dir
    mine = decrypted_from(vault)
    key = vault.cipher.data_key
    vault.close()
    with pytest.raises(WrongPassphraseError):
        verify_backup(other_info.path, passphrase=PASSPHRASE, current_dir=data_dir)
    with pytest.raises(WrongPassphraseError, match="another journal"):
        prepare_restore(data_dir, other_info.path, key=key)
    assert verify_backup(other_info.path, passphrase="other passphrase",
                         current_dir=data_dir).ok
    result = restore_backup(data_dir, other_info.path, passphrase="other passphrase")
    assert result.keys == bk.KEYS_BACKUP
    assert decrypted(data_dir, "other passphrase") == expected
    assert result.replaced is not None
    assert decrypted(result.replaced, PASSPHRASE) == mine


def test_prepared_restore_changes_nothing_until_commit(vault: Journal, folder: Path) -> None:
    info = create_backup(vault, folder)
    data_dir = vault.data_dir
    key = vault.cipher.data_key
    vault.add_entry(title="after", body="after")
    vault.close()
    before = files(data_dir)
    prepared = prepare_restore(data_dir, info.path, key=key)
    assert prepared.replaces and prepared.keys == bk.KEYS_CURRENT
    assert prepared.staging.parent == data_dir
    assert {k: v for k, v in files(data_dir).items() if not k.startswith(".restore")} == before
    prepared.discard()
    assert files(data_dir) == before


@pytest.mark.parametrize("fail_at", ["locked", "quiesced", "kept-aside", "replaced"])
def test_a_restore_stopped_at_any_step_leaves_a_whole_journal(
        vault: Journal, folder: Path, fail_at: str) -> None:
    info = create_backup(vault, folder)
    old_state_entry = vault.add_entry(title="only in the old journal", body="x")
    data_dir = vault.data_dir
    old = decrypted_from(vault)
    vault.close()
    prepared = prepare_restore(data_dir, info.path, passphrase=PASSPHRASE)

    def stop(step: str) -> None:
        if step == fail_at:
            raise KeyboardInterrupt  # the nearest thing to a kill, in process

    with pytest.raises(KeyboardInterrupt):
        prepared.commit(stop)
    now_there = decrypted(data_dir)
    swapped = fail_at == "replaced"
    assert (now_there != old) == swapped
    assert (old_state_entry.id in {r[0] for r in now_there}) != swapped
    named = tidy(data_dir)
    if swapped:
        assert len(named) == 1 and decrypted(named[0]) == old
    leftovers = [p.name for p in data_dir.iterdir() if p.name.startswith(".")]
    assert leftovers == []


def test_tidy_clears_stale_staging_only(tmp_path: Path) -> None:
    data_dir = tmp_path / "vault"
    data_dir.mkdir()
    stale = data_dir / ".restore-abc"
    fresh = data_dir / ".backup-work-def"
    stale.mkdir()
    fresh.mkdir()
    old = time.time() - 2 * bk.STALE_S
    os.utime(stale, (old, old))
    tidy(data_dir)
    assert not stale.exists() and fresh.exists()
    assert not (data_dir / "journal.lock").exists()  # tidy creates nothing in a folder


# ==================================================================== automatic backups


def test_policy_due_by_calendar_days() -> None:
    policy = BackupPolicy(Path("/nowhere"))
    morning = datetime(2026, 11, 23, 7, 0).astimezone()
    assert policy.due(morning, None)
    assert not policy.due(morning, morning - timedelta(hours=1))
    assert policy.due(morning, morning - timedelta(hours=8))  # yesterday evening
    assert policy.due(morning, morning + timedelta(days=2))  # the clock went back
    weekly = BackupPolicy(Path("/nowhere"), every_days=7)
    assert not weekly.due(morning, morning - timedelta(days=6))
    assert weekly.due(morning, morning - timedelta(days=7))
    with pytest.raises(UsageError):
        BackupPolicy(Path("/nowhere"), keep=0)


def test_policy_needs_its_folder(vault: Journal, tmp_path: Path) -> None:
    unplugged = tmp_path / "usb-drive"
    with pytest.raises(StorageError, match="not available"):
        BackupPolicy(unplugged).run(vault)
    assert not unplugged.exists()
    assert last_backup(vault) is None


def test_policy_run_records_and_prunes_only_its_own(
        vault: Journal, folder: Path, tmp_path: Path) -> None:
    other, _key = Journal.create(tmp_path / "other", "other", kdf=TEST_KDF)
    start = datetime(2026, 11, 1, 6, 30).astimezone()
    with other:
        others = [create_backup(other, folder, start + timedelta(days=d)).path for d in (0, 1)]
    foreign = {
        "notes.txt": b"mine",
        "journal-2026-01-01T0000.jbackup": b"not a backup at all",  # our name, not ours
        "journal-backup.jbackup": MAGIC,
        "holiday.jbackup": (others[0]).read_bytes(),  # a backup, but not our name pattern
    }
    for name, data in foreign.items():
        (folder / name).write_bytes(data)
    (folder / "subdir").mkdir()
    stale_tmp = folder / ".journal-backup-x1.tmp"
    fresh_tmp = folder / ".journal-backup-x2.tmp"
    stale_tmp.write_bytes(b"half")
    fresh_tmp.write_bytes(b"in progress")
    old = time.time() - 2 * bk.STALE_S
    os.utime(stale_tmp, (old, old))

    policy = BackupPolicy(folder, keep=3)
    assert policy.due_for(vault)
    made = []
    for day in range(6):
        run = policy.run(vault, start + timedelta(days=day))
        made.append(run.info.path)
        assert run.info.ok
    assert not policy.due_for(vault, start + timedelta(days=5, hours=2))
    mine = [p for p, _h in list_backups(folder, vault.vault_id)]
    assert mine == made[::-1][:3]  # the newest three, newest first
    for path in others:
        assert path.exists()
    for name, data in foreign.items():
        assert (folder / name).read_bytes() == data
    assert (folder / "subdir").is_dir()
    assert not stale_tmp.exists() and fresh_tmp.exists()
    state = last_backup(vault)
    assert state is not None
    assert state.last_good == start + timedelta(days=5)
    assert state.last_file == str(made[-1])
    assert len(vault.records(BackupState)) == 1  # one record, updated


def test_prune_never_deletes_the_protected_or_below_keep(vault: Journal, folder: Path) -> None:
    start = datetime(2026, 11, 1).astimezone()
    paths = [create_backup(vault, folder, start + timedelta(days=d)).path for d in range(3)]
    assert prune_backups(folder, vault.vault_id, 1, protect=[paths[0]]) == [paths[1]]
    assert paths[0].exists() and paths[2].exists()
    with pytest.raises(UsageError):
        prune_backups(folder, vault.vault_id, 0)


def test_a_failed_run_records_nothing_and_prunes_nothing(
        vault: Journal, folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    start = datetime(2026, 11, 1).astimezone()
    policy = BackupPolicy(folder, keep=1)
    first = policy.run(vault, start).info
    monkeypatch.setattr(bk, "_write_backup_file", _full_disk)
    with pytest.raises(StorageError, match="full"):
        policy.run(vault, start + timedelta(days=1))
    assert [p for p, _h in list_backups(folder)] == [first.path]
    state = last_backup(vault)
    assert state is not None and state.last_good == start


def _full_disk(*_args: object) -> None:
    import errno

    raise bk._folder_error(OSError(errno.ENOSPC, "full"))


def test_record_backup_and_describe(vault: Journal, folder: Path) -> None:
    assert last_backup(vault) is None
    info = create_backup(vault, folder)
    record_backup(vault, info)
    state = last_backup(vault)
    assert state is not None and state.last_records == info.header.records
    at = datetime(2026, 11, 23, 6, 30).astimezone()
    assert describe_last_backup(None, True, at) == ("No good backup yet", True)
    assert describe_last_backup(None, False, at) == ("No backups yet", False)
    assert describe_last_backup(at - timedelta(hours=1), True, at) == (
        "Last good backup: today at 05:30", False)
    assert describe_last_backup(at - timedelta(days=1), True, at)[0].startswith(
        "Last good backup: yesterday")
    assert describe_last_backup(at - timedelta(days=3), True, at) == (
        "Last good backup: 3 days ago", False)
    assert describe_last_backup(at - timedelta(days=9), True, at) == (
        "Last good backup: on 2026-11-14", True)
    assert describe_last_backup(at - timedelta(days=9), False, at)[1] is False


def test_restore_over_a_journal_too_damaged_to_open(vault: Journal, folder: Path) -> None:
    info = create_backup(vault, folder)
    expected = decrypted_from(vault)
    data_dir = vault.data_dir
    vault.close()
    (data_dir / "journal.db").write_bytes(b"overwritten by a disk error" * 100)
    result = restore_backup(data_dir, info.path, passphrase=PASSPHRASE)
    assert result.keys == bk.KEYS_BACKUP  # nothing to take the current keys from
    assert decrypted(data_dir) == expected
    assert result.replaced is not None
    assert (result.replaced / "journal.db").read_bytes().startswith(b"overwritten")
