"""Sealed snapshots (a new device does not replay every log) and compaction (a device removes
its own files once every device has taken them and every snapshot covers them: text purged
from the journal leaves the sync folder too)."""

from __future__ import annotations

from pathlib import Path

from journal_app.core.sync import engine
from tests.unit.core.sync.harness import PASSPHRASE, Device, carry, exchange, settle, start


def _files(device: Device) -> set[str]:
    return {str(p.relative_to(device.folder)) for p in device.folder.rglob("*")
            if p.is_file() and p.parent != device.folder}


def _busy(devices: list[Device], rounds: int) -> None:
    for i in range(rounds):
        for device in devices:
            device.j.add_entry(title=f"{device.name} {i}", body="x")
        settle(*devices, rounds=1)


def test_old_logs_are_compacted_and_a_new_device_joins_from_a_snapshot(root: Path) -> None:
    devices = start(root, ["a", "b"])
    for d in devices:
        d.snapshot_every = 2
    try:
        a, b = devices
        first = _files(a)
        _busy(devices, 6)
        settle(*devices)
        assert not first & _files(a), "the first files were not compacted away"
        assert any(p.name.startswith("snap-") for p in a.folder.rglob("*.jss"))
        newcomer = Device("c", root)
        carry(a, newcomer)
        carry(b, newcomer)
        newcomer.journal = engine.join(newcomer.data, newcomer.folder, "c", PASSPHRASE,
                                       newcomer.params).journal
        devices.append(newcomer)
        assert newcomer.records() == a.records()
        newcomer.j.add_entry(title="from the newcomer", body="x")
        settle(*devices)
        assert a.records() == b.records() == newcomer.records()
    finally:
        for d in devices:
            d.j.close()


def test_purged_text_leaves_the_sync_folder_once_every_device_has_it(root: Path) -> None:
    devices = start(root, ["a", "b"])
    for d in devices:
        d.snapshot_every = 2
    try:
        a, _b = devices
        entry = a.j.add_entry(title="a patient's name", body="to be purged")
        settle(*devices)
        holding = {d.name: _files(d) for d in devices}  # these files hold it (encrypted)
        a.j.delete_entry(entry.id)
        a.j.empty_trash()
        _busy(devices, 6)
        settle(*devices)
        exchange(*devices)
        for d in devices:
            assert not holding[d.name] & _files(d)
            assert entry.id not in {e.id for e in d.j.entries(trash=True)}
    finally:
        for d in devices:
            d.j.close()


def test_a_device_that_never_acknowledges_keeps_the_logs(root: Path) -> None:
    devices = start(root, ["a", "b"])
    for d in devices:
        d.snapshot_every = 2
    try:
        a, b = devices
        b.sync()
        exchange(a, b)  # a knows b; b never syncs again
        first = _files(a)
        for i in range(6):
            a.j.add_entry(title=f"a {i}", body="x")
            a.sync()  # b never syncs
        assert first <= _files(a)
    finally:
        for d in devices:
            d.j.close()
