"""Random interleavings of edits on two devices (the same entry included): after both sync,
both hold the same records, and every version written is kept (current or revision)."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journal_app.core.vault.journal import Journal
from tests.unit.core.sync.harness import PASSPHRASE, Device, carry, start

# (device, action, which entry): add a new entry, edit one, move one to the trash or back,
# keep or forget an own emotion word, or sync and hand the files over.
STEP = st.tuples(st.integers(0, 1), st.sampled_from(["add", "edit", "edit", "trash", "word",
                                                     "unword", "sync"]), st.integers(0, 5))


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    # In memory where the system has it: 200 examples of two vaults and their folders cost
    # minutes of fsync on a disk, and fsync is not what this test is about.
    shm = Path("/dev/shm")
    root = Path(tempfile.mkdtemp(prefix="sync-pair-", dir=shm if shm.is_dir() else
                                 tmp_path_factory.getbasetemp()))
    devices = start(root / "work", ["a", "b"], entries=2)
    for d in devices:
        d.j.close()
    shutil.copytree(root / "work", root / "template")
    yield root
    shutil.rmtree(root, ignore_errors=True)


def _fresh(root: Path, snapshot_every: int = 100) -> list[Device]:
    shutil.rmtree(root / "work")
    shutil.copytree(root / "template", root / "work")
    devices = [Device("a", root / "work", snapshot_every=snapshot_every),
               Device("b", root / "work", snapshot_every=snapshot_every)]
    for d in devices:
        d.journal = Journal.open(d.data)
        d.j.unlock(PASSPHRASE)
    return devices


def _settle(a: Device, b: Device) -> None:
    for _ in range(2):
        a.sync()
        carry(a, b)
        b.sync()
        carry(b, a)


@settings(max_examples=200, deadline=None, suppress_health_check=[
    HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(steps=st.lists(STEP, min_size=1, max_size=12))
def test_every_version_is_kept_and_both_converge(template: Path,
                                                 steps: list[tuple[int, str, int]]) -> None:
    _run(template, steps, 100)


@settings(max_examples=40, deadline=None, suppress_health_check=[
    HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(steps=st.lists(STEP, min_size=1, max_size=12))
def test_the_same_with_snapshots_and_compaction_at_every_step(
        template: Path, steps: list[tuple[int, str, int]]) -> None:
    _run(template, steps, 1)


def _run(template: Path, steps: list[tuple[int, str, int]], snapshot_every: int) -> None:
    devices = _fresh(template, snapshot_every)
    written: set[str] = set()
    try:
        for n, (who, action, k) in enumerate(steps):
            device, other = devices[who], devices[1 - who]
            entries = sorted([*device.j.entries(), *device.j.entries(trash=True)],
                             key=lambda e: e.id)
            if action == "add" or (not entries and action in ("edit", "trash")):
                body = f"version {n} new on {device.name}"
                device.j.add_entry(title=f"t{n}", body=body)
                written.add(body)
            elif action == "edit":
                body = f"version {n} by {device.name}"
                device.j.edit_entry(entries[k % len(entries)].id, body=body)
                written.add(body)
            elif action == "trash":
                entry = entries[k % len(entries)]
                if entry.in_trash:
                    device.j.restore_entry(entry.id)
                else:
                    device.j.delete_entry(entry.id)
            elif action == "word":
                device.j.add_own_emotions([f"word{k % 3}"])
            elif action == "unword":
                device.j.forget_own_emotions([f"word{k % 3}"])
            else:
                device.sync()
                carry(device, other)
        _settle(*devices)
        a, b = devices
        assert a.records() == b.records()
        for device in devices:
            kept = {e.body for e in [*device.j.entries(), *device.j.entries(trash=True)]}
            for entry in [*device.j.entries(), *device.j.entries(trash=True)]:
                kept |= {r.record().body for r in device.j.revisions(entry.id)}  # type: ignore[attr-defined]
            assert written <= kept
    finally:
        for d in devices:
            d.j.close()
