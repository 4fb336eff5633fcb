"""Removing a device starts a new key epoch; a passphrase change reaches the folder's slot."""

from __future__ import annotations

from pathlib import Path

import pytest

from journal_app.core.errors import WrongPassphraseError
from journal_app.core.sync import engine
from journal_app.core.vault.crypto import TEST_KDF
from tests.unit.core.sync.harness import PASSPHRASE, Device, carry, exchange, settle, start

NEW_PASSPHRASE = "Another long night, still learning 2 listen"


def test_a_removed_device_is_cut_off_and_the_others_go_on(root: Path) -> None:
    devices = start(root, ["a", "b", "lost"])
    a, b, lost = devices
    try:
        settle(*devices)
        removed = engine.remove_device(a.j, "lost", PASSPHRASE, a.params)
        assert removed.revoked and removed.name == "lost"
        # The lost laptop still writes with the old key; its file is refused.
        lost.j.add_entry(title="written by a thief", body="x")
        lost.sync()
        exchange(*devices)
        b.sync()
        a.j.add_entry(title="after the removal", body="x")
        a.sync()
        exchange(*devices)
        result = b.sync()
        assert any(s.reason == "from a removed device" for s in result.skipped)
        titles = {e.title for e in b.j.entries()}
        assert "after the removal" in titles and "written by a thief" not in titles
        assert [d.revoked for d in engine.status(b.j).devices if d.name == "lost"] == [True]
        # b writes in the new epoch, and a reads it.
        b.j.add_entry(title="from b in the new epoch", body="x")
        b.sync()
        exchange(*devices)
        a.sync()
        assert "from b in the new epoch" in {e.title for e in a.j.entries()}
        # The lost device cannot read the new epoch and is told it was removed.
        with pytest.raises(engine.SyncError, match="removed"):
            lost.sync()
        # A new device joins after the removal and reads every epoch's files.
        newcomer = Device("new", root)
        carry(a, newcomer)
        for other in (b, lost):
            carry(other, newcomer)
        newcomer.journal = engine.join(newcomer.data, newcomer.folder, "new", PASSPHRASE,
                                       newcomer.params).journal
        devices.append(newcomer)
        titles = {e.title for e in newcomer.j.entries()}
        assert {"after the removal", "from b in the new epoch"} <= titles
        assert "written by a thief" not in titles
    finally:
        for d in devices:
            if d.journal is not None:
                d.j.close()


def test_a_passphrase_change_reaches_the_folder_slot_and_new_devices(root: Path) -> None:
    devices = start(root, ["a", "b"])
    a, b = devices
    try:
        a.j.change_passphrase(NEW_PASSPHRASE, TEST_KDF)
        a.sync(NEW_PASSPHRASE)  # the folder's slot now opens with the new passphrase
        exchange(a, b)
        newcomer = Device("c", root)
        carry(a, newcomer)
        with pytest.raises(WrongPassphraseError):
            engine.join(newcomer.data, newcomer.folder, "c", PASSPHRASE, newcomer.params)
        assert not newcomer.data.exists()
        newcomer.journal = engine.join(newcomer.data, newcomer.folder, "c", NEW_PASSPHRASE,
                                       newcomer.params).journal
        devices.append(newcomer)
        # b's own vault keeps its own passphrase until it is changed there; it syncs on.
        b.j.close()
        from journal_app.core.vault.journal import Journal

        b.journal = Journal.open(b.data)
        b.j.unlock(PASSPHRASE)
        b.sync()
    finally:
        for d in devices:
            if d.journal is not None:
                d.j.close()


def test_a_removed_device_cannot_remove_the_others(root: Path) -> None:
    devices = start(root, ["a", "b", "lost"])
    a, b, lost = devices
    try:
        settle(*devices)
        engine.remove_device(a.j, "lost", PASSPHRASE, a.params)
        b_id = engine.status(b.j).device
        forged = {"t": "epoch", "epoch": 7, "revoke": b_id, "after": 0, "keys": {}}
        engine.sync_now(lost.j, None, lost.params, extra_ops=[forged])
        exchange(*devices)
        for _ in range(2):
            for device in (a, b):
                device.sync()
                exchange(*devices)
        assert not any(d.revoked for d in engine.status(a.j).devices if d.id == b_id)
        b.j.add_entry(title="still here", body="x")
        b.sync()
        exchange(*devices)
        a.sync()
        assert "still here" in {e.title for e in a.j.entries()}
    finally:
        for d in devices:
            d.j.close()
