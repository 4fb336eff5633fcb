"""Devices as separate data folders in one test, each with its own copy of the sync folder,
and a carrier that copies files between the copies as sync services do: late, out of order,
partially, under conflict-copy names, or not at all."""

from __future__ import annotations

import os
import re
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

from journal_app.core.sync import engine
from journal_app.core.sync.folder import is_service_file
from journal_app.core.vault.crypto import TEST_KDF
from journal_app.core.vault.journal import Journal

PASSPHRASE = "Quiet ward, seventh floor, 3 a.m. rounds!"


@dataclass
class FakeClock:
    """The wall clock in ms, which a test may set days off."""

    offset: int = 0

    def __call__(self) -> int:
        return time.time_ns() // 1_000_000 + self.offset


@dataclass
class Device:
    name: str
    root: Path
    clock: FakeClock = field(default_factory=FakeClock)
    journal: Journal | None = None

    @property
    def data(self) -> Path:
        return self.root / self.name / "data"

    @property
    def folder(self) -> Path:
        return self.root / self.name / "sync"

    snapshot_every: int = 100

    @property
    def params(self) -> engine.SyncParams:
        return engine.SyncParams(folder_kdf=TEST_KDF, vault_kdf=TEST_KDF, clock=self.clock,
                                 snapshot_every=self.snapshot_every)

    @property
    def j(self) -> Journal:
        assert self.journal is not None
        return self.journal

    def sync(self, passphrase: str | None = None) -> engine.SyncResult:
        return engine.sync_now(self.j, passphrase, self.params)

    def vault_state(self) -> tuple[int, list[tuple[str, str, int, int]]]:
        """The vault as stored: its write counter and every row's id, kind, version, seq."""
        return self.j.write_counter(), sorted(self.j.store.id_seqs())

    def records(self) -> dict[str, str]:
        """Every record (revisions included) as id -> canonical payload; the sync's own
        bookkeeping and device-local records left out."""
        from journal_app.core.sync.merge import canonical

        out = {}
        for record in self.j.all_records():
            if record.KIND in engine.LOCAL_KINDS:
                continue
            payload = record.payload()
            if record.KIND == "app-state":
                out["app-state"] = canonical({k: sorted(map(canonical, v))
                                              if isinstance(v, list) else v
                                              for k, v in payload.items()})
                continue
            out[record.id] = canonical(payload)
        return out


def files_of(folder: Path) -> list[Path]:
    """Our files in a sync folder copy (relative), oldest name first."""
    out = []
    for dirpath, _dirs, names in os.walk(folder):
        for name in names:
            if not is_service_file(name):
                out.append((Path(dirpath) / name).relative_to(folder))
    return sorted(out)


def carry(src: Device, dst: Device, *, skip: set[str] | None = None,
          truncate: set[str] | None = None, conflict_copy: set[str] | None = None,
          only: set[str] | None = None) -> list[Path]:
    """Copy what ``src``'s folder has and ``dst``'s lacks. ``skip``/``only``: names (file
    names) held back or the only ones carried; ``truncate``: carried cut in half;
    ``conflict_copy``: carried under a Syncthing conflict name (the canonical name left
    absent). Returns what was carried."""
    carried = []
    # A device's own folder is its own: a service never brings back what it removed there.
    dst_own = (engine.status(dst.j).device if dst.journal is not None
               and engine.load_state(dst.j) is not None else None)
    for rel in files_of(src.folder):
        if dst_own is not None and rel.parts[0] == dst_own:
            continue
        target = dst.folder / rel
        name = rel.name
        if (skip and name in skip) or (only is not None and name not in only):
            continue
        if target.exists() and target.read_bytes() == (src.folder / rel).read_bytes():
            continue
        if rel.name == "journal-sync.json" and target.exists():
            shutil.copyfile(src.folder / rel, target)
            continue
        if target.exists():
            continue  # a batch is never changed: a different one is not copied over it
        target.parent.mkdir(parents=True, exist_ok=True)
        data = (src.folder / rel).read_bytes()
        if truncate and name in truncate:
            target.write_bytes(data[: len(data) // 2])
        elif conflict_copy and name in conflict_copy:
            stem, ext = name.split(".", 1)
            target.with_name(f"{stem}.sync-conflict-20261207-101010-ABCDEFG.{ext}") \
                .write_bytes(data)
        else:
            target.write_bytes(data)
        carried.append(rel)
    if src.journal is not None and engine.load_state(src.j) is not None:
        # What the source removed of its own files (compaction) goes here too, as the
        # service carries a deletion.
        own = engine.status(src.j).device
        theirs = dst.folder / own
        if theirs.is_dir():
            for path in theirs.iterdir():
                canonical = re.fullmatch(r"(snap-)?\d{12}\.js[bs]", path.name)
                if canonical and not (src.folder / own / path.name).exists():
                    path.unlink()
    return carried


def exchange(*devices: Device) -> None:
    """Every device's files to every other device."""
    for a in devices:
        for b in devices:
            if a is not b:
                carry(a, b)


def start(root: Path, names: list[str], entries: int = 1) -> list[Device]:
    """The first device sets up sync with ``entries`` entries; the others join from a copy."""
    first = Device(names[0], root)
    first.journal = Journal.create(first.data, PASSPHRASE, TEST_KDF)[0]
    for i in range(entries):
        first.j.add_entry(title=f"entry {i}", body=f"written on {names[0]} #{i}")
    engine.setup(first.j, first.folder, names[0], PASSPHRASE, first.params)
    devices = [first]
    for name in names[1:]:
        device = Device(name, root)
        carry(first, device)
        for other in devices[1:]:
            carry(other, device)
        device.journal = engine.join(device.data, device.folder, name, PASSPHRASE,
                                     device.params).journal
        devices.append(device)
    return devices


def settle(*devices: Device, rounds: int = 3) -> None:
    """Sync and exchange until every device has seen everything."""
    for _ in range(rounds):
        for device in devices:
            device.sync()
            exchange(*devices)
