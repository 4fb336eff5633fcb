"""Bad input in the sync folder: each gives one plain sentence and leaves the vault as it was."""

from __future__ import annotations

import errno
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from journal_app.core.errors import JournalError, StorageError
from journal_app.core.sync import engine, wire
from journal_app.core.sync import folder as layout
from journal_app.core.vault.crypto import TEST_KDF
from journal_app.core.vault.journal import Journal
from tests.unit.core.sync.harness import PASSPHRASE, Device, carry, settle, start


@pytest.fixture
def pair(root: Path) -> Iterator[list[Device]]:
    devices = start(root, ["laptop", "desktop"])
    settle(*devices)
    yield devices
    for d in devices:
        if d.journal is not None:
            d.j.close()


def _laptop_dir(laptop: Device, desktop: Device) -> Path:
    return desktop.folder / engine.status(laptop.j).device


def _new_file(laptop: Device, desktop: Device, title: str = "new") -> Path:
    """The laptop sends one new entry; its file carried to the desktop's copy."""
    laptop.j.add_entry(title=title, body="text of the new entry")
    laptop.sync()
    carry(laptop, desktop)
    return sorted(_laptop_dir(laptop, desktop).iterdir())[-1]


def _refused(device: Device, error: type[JournalError], words: str) -> None:
    before = device.vault_state()
    with pytest.raises(error) as caught:
        device.sync()
    message = caught.value.message
    assert words in message and message.count(".") <= 3 and "\n" not in message
    assert device.vault_state() == before


def test_a_tampered_file_is_refused_and_nothing_is_applied(pair: list[Device]) -> None:
    laptop, desktop = pair
    path = _new_file(laptop, desktop)
    data = bytearray(path.read_bytes())
    data[wire.HEAD_LEN + 5] ^= 0x01
    path.write_bytes(bytes(data))
    _refused(desktop, engine.SyncDamagedError, "altered")


def test_a_forged_file_signed_by_another_key_is_refused(pair: list[Device]) -> None:
    laptop, desktop = pair
    path = _new_file(laptop, desktop)
    data = path.read_bytes()
    forged = data[: -wire.SIG_LEN] + Ed25519PrivateKey.generate().sign(data[: -wire.SIG_LEN])
    path.write_bytes(forged)
    _refused(desktop, engine.SyncDamagedError, "forged")


def test_a_replayed_file_under_the_next_number_is_refused(pair: list[Device]) -> None:
    laptop, desktop = pair
    path = _new_file(laptop, desktop)
    desktop.sync()
    seq = int(path.name[:12])
    (path.parent / layout.batch_name(seq + 1)).write_bytes(path.read_bytes())
    _refused(desktop, engine.SyncDamagedError, "does not belong")


def test_a_file_moved_to_another_device_folder_is_refused(pair: list[Device]) -> None:
    laptop, desktop = pair
    path = _new_file(laptop, desktop)
    other = desktop.folder / ("ab" * 16)
    other.mkdir()
    shutil.move(str(path), other / layout.batch_name(1))
    _refused(desktop, engine.SyncDamagedError, "does not belong")


def test_a_rolled_back_chain_is_refused(pair: list[Device]) -> None:
    laptop, desktop = pair
    first = _new_file(laptop, desktop, "one")
    second = _new_file(laptop, desktop, "two")
    desktop.sync()
    # An attacker replaces the next file with the one before, renumbered: the chain breaks.
    third = _new_file(laptop, desktop, "three")
    del first
    third.write_bytes(second.read_bytes())
    _refused(desktop, engine.SyncDamagedError, "does not belong")


def test_another_journals_folder_is_refused(pair: list[Device], root: Path) -> None:
    _laptop, desktop = pair
    other = Device("other", root)
    other.journal = Journal.create(other.data, PASSPHRASE, TEST_KDF)[0]
    try:
        engine.setup(other.j, other.folder, "other", PASSPHRASE, other.params)
        shutil.copyfile(other.folder / layout.HEADER_NAME, desktop.folder / layout.HEADER_NAME)
        _refused(desktop, engine.SyncError, "another journal")
    finally:
        other.j.close()


def test_a_full_disk_in_the_sync_folder_changes_nothing(
        pair: list[Device], monkeypatch: pytest.MonkeyPatch) -> None:
    laptop, desktop = pair
    desktop.j.add_entry(title="not sent yet", body="x")
    _new_file(laptop, desktop)

    def full(*_args: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(layout, "_write_temp", full)
    _refused(desktop, StorageError, "full")
    monkeypatch.undo()
    desktop.sync()
    assert "new" in {e.title for e in desktop.j.entries()}


def test_a_full_disk_under_the_vault_applies_nothing_and_the_next_sync_takes_it_all(
        pair: list[Device], monkeypatch: pytest.MonkeyPatch) -> None:
    laptop, desktop = pair
    desktop.j.add_entry(title="made on the desktop", body="x")
    _new_file(laptop, desktop)

    def full(*_args: object, **_kw: object) -> None:
        raise StorageError()

    monkeypatch.setattr(Journal, "write_with_blob", full)
    _refused(desktop, StorageError, "")
    monkeypatch.undo()
    desktop.sync()  # its own batch (written before the vault refused) is read back
    carry(desktop, laptop)
    laptop.sync()
    assert "made on the desktop" in {e.title for e in laptop.j.entries()}
    assert "new" in {e.title for e in desktop.j.entries()}


def test_a_vault_restored_from_an_old_backup_takes_its_own_later_changes_back(
        pair: list[Device], root: Path) -> None:
    laptop, desktop = pair
    laptop.j.close()
    backup = root / "laptop-backup"
    shutil.copytree(laptop.data, backup)
    laptop.journal = Journal.open(laptop.data)
    laptop.j.unlock(PASSPHRASE)
    laptop.j.add_entry(title="written after the backup", body="x")
    laptop.sync()
    laptop.j.close()
    shutil.rmtree(laptop.data)
    shutil.copytree(backup, laptop.data)
    laptop.journal = Journal.open(laptop.data)
    laptop.j.unlock(PASSPHRASE)
    laptop.j.add_entry(title="written after the restore", body="y")
    laptop.sync()  # reads its own later file back instead of forking its log
    titles = {e.title for e in laptop.j.entries()}
    assert {"written after the backup", "written after the restore"} <= titles
    settle(laptop, desktop)
    assert laptop.records() == desktop.records()


def test_a_forked_log_is_refused(pair: list[Device], root: Path) -> None:
    laptop, desktop = pair
    laptop.j.close()
    backup = root / "laptop-backup"
    shutil.copytree(laptop.data, backup)
    shutil.copytree(laptop.folder, root / "laptop-folder-then")
    laptop.journal = Journal.open(laptop.data)
    laptop.j.unlock(PASSPHRASE)
    laptop.j.add_entry(title="one branch", body="x")
    laptop.sync()
    carry(laptop, desktop)
    desktop.sync()
    # The laptop is restored (vault and its folder copy, as a whole-disk backup would) and
    # writes again: two different files with one number.
    laptop.j.close()
    shutil.rmtree(laptop.data)
    shutil.rmtree(laptop.folder)
    shutil.copytree(backup, laptop.data)
    shutil.copytree(root / "laptop-folder-then", laptop.folder)
    laptop.journal = Journal.open(laptop.data)
    laptop.j.unlock(PASSPHRASE)
    laptop.j.add_entry(title="another branch", body="y")
    laptop.sync()
    device_dir = engine.status(laptop.j).device
    for path in sorted((laptop.folder / device_dir).iterdir())[-1:]:
        stem = path.name.removesuffix(".jsb")
        target = desktop.folder / device_dir / f"{stem}.sync-conflict-20261207-1-XYZ.jsb"
        target.write_bytes(path.read_bytes())
    laptop.j.add_entry(title="and on", body="z")
    laptop.sync()
    carry(laptop, desktop)
    _refused(desktop, engine.SyncDamagedError, "")


def test_a_damaged_or_half_copied_header_changes_nothing(pair: list[Device]) -> None:
    _laptop, desktop = pair
    header = desktop.folder / layout.HEADER_NAME
    data = header.read_bytes()
    header.write_bytes(data[: len(data) // 2])
    _refused(desktop, engine.SyncError, "not fully copied")
    altered = data.replace(b'"epoch": 0', b'"epoch": "x"')
    assert altered != data
    header.write_bytes(altered)
    _refused(desktop, engine.SyncDamagedError, "damaged")
    header.unlink()
    _refused(desktop, engine.SyncError, "is not there")
    header.write_bytes(data)
    desktop.sync()
