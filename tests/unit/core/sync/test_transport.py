"""Normal weather of sync services: files late, out of order, half-copied, as conflict
copies, deleted, and the services' own files beside ours."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from journal_app.core.sync.folder import batch_name
from tests.unit.core.sync.harness import Device, carry, files_of, settle, start


@pytest.fixture
def pair(root: Path) -> Iterator[list[Device]]:
    devices = start(root, ["laptop", "desktop"])
    settle(*devices)
    yield devices
    for d in devices:
        d.j.close()


def _own_batches(device: Device) -> list[str]:
    state_dir = next(p for p in device.folder.iterdir()
                     if p.is_dir() and any(p.iterdir()) and p.name == _device_id(device))
    return sorted(p.name for p in state_dir.iterdir())


def _device_id(device: Device) -> str:
    from journal_app.core.sync import engine

    return engine.status(device.j).device


def _three_edits(laptop: Device) -> list[str]:
    """Three syncs on the laptop, each sending one new entry; the titles."""
    titles = []
    for i in range(3):
        titles.append(f"late {i}")
        laptop.j.add_entry(title=titles[-1], body="x")
        laptop.sync()
    return titles


def _titles(device: Device) -> set[str]:
    return {e.title for e in device.j.entries()}


def test_files_out_of_order_wait_for_the_missing_one(pair: list[Device]) -> None:
    laptop, desktop = pair
    names = _own_batches(laptop)[-0:]
    titles = _three_edits(laptop)
    new = [n for n in _own_batches(laptop) if n not in names]
    assert len(new) == 3
    carry(laptop, desktop, only={new[1], new[2]})  # the first one is late
    result = desktop.sync()
    assert result.received == 0 and not set(titles) & _titles(desktop)
    carry(laptop, desktop)
    desktop.sync()
    assert set(titles) <= _titles(desktop)


def test_a_half_copied_file_is_skipped_and_taken_next_time(pair: list[Device]) -> None:
    laptop, desktop = pair
    before = set(_own_batches(laptop))
    laptop.j.add_entry(title="arrives in halves", body="x")
    laptop.sync()
    (name,) = set(_own_batches(laptop)) - before
    carry(laptop, desktop, truncate={name})
    state = desktop.vault_state()
    result = desktop.sync()
    assert [s.reason for s in result.skipped] == ["not fully copied yet; taken next time"]
    assert desktop.vault_state()[1] == state[1]  # no record changed
    (desktop.folder / _device_id(laptop) / name).write_bytes(
        (laptop.folder / _device_id(laptop) / name).read_bytes())
    assert desktop.sync().skipped == []
    assert "arrives in halves" in _titles(desktop)


def test_a_conflict_copy_is_read_and_never_applied_twice(pair: list[Device]) -> None:
    laptop, desktop = pair
    before = set(_own_batches(laptop))
    laptop.j.add_entry(title="under a conflict name", body="x")
    laptop.sync()
    (name,) = set(_own_batches(laptop)) - before
    carry(laptop, desktop, conflict_copy={name})
    desktop.sync()
    assert "under a conflict name" in _titles(desktop)
    # Now the real file arrives too, and a Dropbox copy of it: nothing is applied again.
    carry(laptop, desktop)
    folder = desktop.folder / _device_id(laptop)
    stem = name.removesuffix(".jsb")
    (folder / f"{stem} (desktop's conflicted copy 2026-12-07).jsb").write_bytes(
        (folder / name).read_bytes())
    counter = desktop.vault_state()
    result = desktop.sync()
    assert result.received == 0 and result.skipped == []
    assert [e.title for e in desktop.j.entries()].count("under a conflict name") == 1
    assert desktop.vault_state()[1] == counter[1]


def test_the_services_own_files_are_ignored(pair: list[Device]) -> None:
    laptop, desktop = pair
    for name in (".stfolder", ".stignore", ".syncthing.x.jsb.tmp", "~syncthing~a.tmp",
                 ".dropbox", ".dropbox.cache", "desktop.ini"):
        path = desktop.folder / name
        if name.endswith("cache") or name == ".stfolder":
            path.mkdir()
        else:
            path.write_bytes(b"service bytes")
    (desktop.folder / _device_id(laptop) / ".syncthing.000000000009.jsb.tmp").write_bytes(b"x")
    result = desktop.sync()
    assert result.skipped == []


def test_a_file_deleted_by_the_service_is_waited_for(pair: list[Device]) -> None:
    laptop, desktop = pair
    titles = _three_edits(laptop)
    carry(laptop, desktop)
    first_new = batch_name(int(_own_batches(laptop)[-3].split(".")[0]))
    (desktop.folder / _device_id(laptop) / first_new).unlink()
    desktop.sync()
    assert not set(titles) & _titles(desktop)
    carry(laptop, desktop)  # the service brings it back
    desktop.sync()
    assert set(titles) <= _titles(desktop)


def test_days_late_files_merge_by_clock(pair: list[Device]) -> None:
    laptop, desktop = pair
    entry = laptop.j.entries()[0]
    laptop.j.edit_entry(entry.id, body="early edit, delivered days late")
    laptop.sync()
    desktop.j.edit_entry(entry.id, body="later edit")
    desktop.sync()
    settle(laptop, desktop)
    for device in pair:
        assert device.j.get_entry(entry.id).body == "later edit"
        assert "early edit, delivered days late" in {
            r.record().body for r in device.j.revisions(entry.id)}
    assert laptop.records() == desktop.records()


def test_files_listing_skips_nothing_of_ours(pair: list[Device]) -> None:
    laptop, _desktop = pair
    assert all(p.suffix in (".jsb", ".json") for p in files_of(laptop.folder))


def test_progress_is_reported_as_data_and_ends_complete(pair: list[Device]) -> None:
    from journal_app.core.sync import engine

    laptop, desktop = pair
    _three_edits(laptop)
    carry(laptop, desktop)
    calls: list[tuple[int, int]] = []
    engine.sync_now(desktop.j, None, desktop.params, progress=lambda d, t: calls.append((d, t)))
    assert calls[-1] == (3, 3)
    assert all(0 < d <= t for d, t in calls)


def test_each_image_travels_in_a_file_of_its_own_before_its_attachment(
        pair: list[Device]) -> None:
    from tests.helpers.images import png

    laptop, desktop = pair
    entry = laptop.j.entries()[0]
    before = set(_own_batches(laptop))
    first = laptop.j.add_attachment(entry.id, "one.png", png(3, 3))
    second = laptop.j.add_attachment(entry.id, "two.png", png(4, 4))
    laptop.sync()
    new = sorted(set(_own_batches(laptop)) - before)
    assert len(new) == 3  # two images, then the records
    carry(laptop, desktop, only={new[0]})  # one image arrived, the rest is late
    desktop.sync()
    assert desktop.j.attachments(entry.id) == []  # nothing shown without its image
    carry(laptop, desktop)
    desktop.sync()
    assert {a.id for a in desktop.j.attachments(entry.id)} == {first.id, second.id}
    assert desktop.j.attachment_data(second.id) == laptop.j.attachment_data(second.id)


def test_a_temp_file_left_by_an_interrupted_write_is_removed_later(pair: list[Device]) -> None:
    import os
    import time

    laptop, _desktop = pair
    own = laptop.folder / _device_id(laptop)
    old, fresh = own / "~syncthing~0123.tmp", own / "~syncthing~4567.tmp"
    for path in (old, fresh):
        path.write_bytes(b"half a batch")
    an_hour_ago = time.time() - 2 * 3600
    os.utime(old, (an_hour_ago, an_hour_ago))
    laptop.sync()
    assert not old.exists() and fresh.exists()  # a write under way is left alone
