"""The sync folder shows nothing of the journal (the canary test), its slot is costly enough,
and its names are read as the sync services write them."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from journal_app.core.sync import engine, wire
from journal_app.core.sync import folder as layout
from journal_app.core.sync.clock import Clock
from journal_app.core.vault.crypto import TEST_KDF
from journal_app.core.vault.journal import Journal
from tests.unit.core.sync.harness import PASSPHRASE, Device, carry, settle

CANARY = "Zq7canaryPatientMrsHolloway"
DEVICE_CANARY = "Zq7canaryDeviceDrWren"


def _sizes_allowed() -> set[int]:
    overhead = wire.HEAD_LEN + 16 + wire.SIG_LEN
    return {overhead + b for b in wire.BUCKETS}


def test_the_canary_is_nowhere_in_the_sync_folder(root: Path) -> None:
    a = Device("a", root, snapshot_every=1)  # snapshots too
    a.journal = Journal.create(a.data, PASSPHRASE, TEST_KDF)[0]
    entry = a.j.add_entry(title=f"{CANARY} title", body=f"{CANARY} body " * 50,
                          tags=(f"{CANARY.lower()}tag",))
    a.j.add_own_emotions([f"{CANARY.lower()}word"])
    engine.setup(a.j, a.folder, DEVICE_CANARY + " laptop", PASSPHRASE, a.params)
    b = Device("b", root, snapshot_every=1)
    carry(a, b)
    b.journal = engine.join(b.data, b.folder, DEVICE_CANARY + " desktop", PASSPHRASE,
                            b.params).journal
    try:
        a.j.edit_entry(entry.id, body=f"{CANARY} edited")
        b.j.edit_entry(entry.id, body=f"{CANARY} concurrently")
        settle(a, b)
        needles = [w.encode(enc) for w in (CANARY, DEVICE_CANARY, CANARY.lower())
                   for enc in ("utf-8", "utf-16-le", "utf-16-be")]
        for device in (a, b):
            for dirpath, dirs, names in os.walk(device.folder):
                for name in [*dirs, *names]:
                    assert "canary" not in name.lower()
                for name in names:
                    data = (Path(dirpath) / name).read_bytes()
                    assert not any(n in data for n in needles), name
                    if name.endswith((layout.BATCH_SUFFIX, layout.SNAP_SUFFIX)):
                        assert len(data) in _sizes_allowed() or (
                            (len(data) - wire.HEAD_LEN - 16 - wire.SIG_LEN) % wire.MIB == 0)
            assert list(device.folder.rglob("snap-*"))
            names = {d.name for d in engine.status(device.j).devices}
            assert names == {DEVICE_CANARY + " laptop", DEVICE_CANARY + " desktop"}
    finally:
        a.j.close()
        b.j.close()


def test_the_folder_slot_costs_at_least_256_mib_and_setup_uses_it(root: Path) -> None:
    assert engine.FOLDER_KDF.memory_kib >= engine.MIN_FOLDER_MEMORY_KIB == 256 * 1024
    assert engine.DEFAULT_PARAMS.folder_kdf == engine.FOLDER_KDF
    journal = Journal.create(root / "data", PASSPHRASE, TEST_KDF)[0]
    with journal:
        engine.setup(journal, root / "sync", "laptop", PASSPHRASE)  # the real cost, once
        header = wire.FolderHeader.from_bytes((root / "sync" / layout.HEADER_NAME).read_bytes())
        assert header.slot.kdf is not None
        assert header.slot.kdf.memory_kib >= 256 * 1024


@pytest.mark.parametrize("weak", ["password123", "short", "journal journal"])
def test_setup_needs_a_good_passphrase(root: Path, weak: str) -> None:
    journal = Journal.create(root / "data", weak, TEST_KDF)[0]
    with journal, pytest.raises(engine.SyncError, match="rated Good"):
        engine.setup(journal, root / "sync", "laptop", weak, engine.SyncParams(
            folder_kdf=TEST_KDF, vault_kdf=TEST_KDF))
    assert not (root / "sync").exists()


def test_setup_refuses_a_folder_in_use(root: Path) -> None:
    (root / "sync").mkdir()
    (root / "sync" / "notes.txt").write_text("mine")
    journal = Journal.create(root / "data", PASSPHRASE, TEST_KDF)[0]
    with journal, pytest.raises(engine.SyncError, match="new or empty"):
        engine.setup(journal, root / "sync", "laptop", PASSPHRASE, engine.SyncParams(
            folder_kdf=TEST_KDF, vault_kdf=TEST_KDF))


def test_join_refuses_a_data_folder_that_holds_something(root: Path) -> None:
    (root / "data").mkdir()
    (root / "data" / "x").write_text("x")
    with pytest.raises(engine.SyncError, match="empty or new data folder"):
        engine.join(root / "data", root / "sync", "b", PASSPHRASE)


def test_names_the_services_make_are_read_as_candidates(tmp_path: Path) -> None:
    device = "ab" * 16
    d = tmp_path / device
    d.mkdir()
    for name in ("000000000001.jsb", "000000000002 (Wren's conflicted copy 2026-12-07).jsb",
                 "000000000002.sync-conflict-20261207-101010-ABCDEFG.jsb",
                 ".syncthing.000000000003.jsb.tmp", "~syncthing~000000000003.jsb.tmp",
                 "000000000004.jsb.part", "notes.txt"):
        (d / name).write_bytes(b"")
    found = layout.candidates(tmp_path, device, 0)
    assert sorted(found) == [1, 2]
    assert [c.copy for c in found[2]] == [True, True]
    assert layout.devices_in(tmp_path) == [device]
    for name in (".stfolder", ".stignore", ".syncthing.a.tmp", "~syncthing~b.tmp",
                 ".dropbox", ".dropbox.attr", "desktop.ini"):
        assert layout.is_service_file(name)


def test_buckets_hide_sizes() -> None:
    assert wire.bucket(1) == wire.bucket(4000) == 4096
    assert wire.bucket(5000) == 32 * 1024
    assert wire.bucket(3 * wire.MIB + 1) == 4 * wire.MIB
    assert wire.unpad(wire.pad(b"abc")) == b"abc"


def test_the_clock_runs_past_what_it_has_seen() -> None:
    slow = Clock("b", now=lambda: 1_000)
    fast_stamp = (1_000 + 3 * 86_400_000, 0, "a")  # three days ahead
    slow.seen(fast_stamp)
    assert slow.tick() > fast_stamp
    assert slow.tick_at(500) > fast_stamp
    fresh = Clock("c", now=lambda: 2_000)
    assert fresh.tick_at(5_000) == (2_000, 0, "c")  # an edit time in the future is clamped


def test_the_sync_state_blob_is_sealed_and_only_sync_names_are_reachable(root: Path) -> None:
    from journal_app.core.errors import VaultDamagedError

    journal = Journal.create(root / "data", PASSPHRASE, TEST_KDF)[0]
    with journal:
        journal.write_with_blob([], [], "sync.test", lambda seq: f"at {seq}".encode())
        assert journal.sealed_blob("sync.test") == f"at {journal.write_counter()}".encode()
        with pytest.raises(ValueError):
            journal.sealed_blob("manifest")
        with pytest.raises(ValueError):
            journal.write_with_blob([], [], "search_index", lambda _seq: b"")
        with journal.store.write() as tx:  # altered outside journal-app
            blob = bytearray(tx.get_meta("sync.test") or b"")
            blob[-1] ^= 1
            tx.set_meta("sync.test", bytes(blob))
        with pytest.raises(VaultDamagedError):
            journal.sealed_blob("sync.test")
        journal.write_with_blob([], [], "sync.test", lambda _seq: None)
        assert journal.sealed_blob("sync.test") is None
