"""What one device keeps about the sync, sealed in its own vault (the blob ``sync.state``):
its id, name and keys, the folder, the journal keys of each epoch, how far it has read each
device's log, the devices, its clock, and the clock stamp of every record's current version.

Written in the same vault transaction as the changes it accounts for
(:meth:`Journal.write_with_blob`), so a crash leaves both as before or both as after.
"""

from __future__ import annotations

import base64
import copy
from dataclasses import dataclass, field
from typing import Any

import orjson

from journal_app.core.errors import VaultDamagedError
from journal_app.core.sync.clock import Stamp, parse

BLOB = "sync.state"
STATE_FORMAT = 1


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: Any, size: int | None = None) -> bytes:
    data = base64.b64decode(str(text), validate=True)
    if size is not None and len(data) != size:
        raise ValueError("wrong length")
    return data


@dataclass
class Device:
    """A device as its first batch announced it (name and public keys), and what we know."""

    name: str
    sign: bytes
    x: bytes
    #: The last of its batches taken before it was removed (None: not removed).
    revoked_after: int | None = None
    #: Wall-clock ms of the newest batch taken from it.
    last_seen: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "sign": b64(self.sign), "x": b64(self.x),
                "revoked_after": self.revoked_after, "last_seen": self.last_seen}

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> Device:
        revoked = obj.get("revoked_after")
        seen = obj.get("last_seen")
        return cls(str(obj["name"]), unb64(obj["sign"], 32), unb64(obj["x"], 32),
                   None if revoked is None else int(revoked), None if seen is None else int(seen))


@dataclass
class SyncState:
    journal: bytes
    device: str
    name: str
    folder: str
    sign_key: bytes
    x_key: bytes
    founder: str
    keys: dict[int, bytes] = field(default_factory=dict)
    #: The epoch this device writes in.
    epoch: int = 0
    next_seq: int = 1
    last_hash: bytes = bytes(32)
    #: The vault's write sequence up to which its changes are sent (or came from the sync).
    counter: int = 0
    #: device -> (last batch taken, its hash)
    applied: dict[str, tuple[int, bytes]] = field(default_factory=dict)
    devices: dict[str, Device] = field(default_factory=dict)
    #: device -> the last of its batches taken before it was removed (known before its own
    #: first batch may have been read)
    revoked: dict[str, int] = field(default_factory=dict)
    #: device -> what it said it has taken of each device's log (device -> seq)
    acks: dict[str, dict[str, int]] = field(default_factory=dict)
    #: device -> the positions its newest snapshot covers (device -> seq)
    snaps: dict[str, dict[str, int]] = field(default_factory=dict)
    clock: tuple[int, int] = (0, 0)
    #: record id -> stamp of its current version
    stamps: dict[str, Stamp] = field(default_factory=dict)
    #: record id -> (stamp of the version purged, stamp of the purge)
    purged: dict[str, tuple[Stamp, Stamp]] = field(default_factory=dict)
    #: app-state field -> (stamp of its last change, canonical value then)
    fields: dict[str, tuple[Stamp, str]] = field(default_factory=dict)
    #: app-state list field -> item (canonical) -> when added here or anywhere / removed
    list_adds: dict[str, dict[str, Stamp]] = field(default_factory=dict)
    list_gone: dict[str, dict[str, Stamp]] = field(default_factory=dict)
    #: The salt of the vault's passphrase slot when the folder's slot was last written with it.
    slot_salt: str = ""
    last_sync: int | None = None
    conflicts_kept: int = 0

    def to_bytes(self) -> bytes:
        return orjson.dumps({
            "format": STATE_FORMAT,
            "journal": self.journal.hex(), "device": self.device, "name": self.name,
            "folder": self.folder, "sign_key": b64(self.sign_key), "x_key": b64(self.x_key),
            "founder": self.founder,
            "keys": {str(e): b64(k) for e, k in self.keys.items()}, "epoch": self.epoch,
            "next_seq": self.next_seq, "last_hash": self.last_hash.hex(),
            "counter": self.counter,
            "applied": {d: [s, h.hex()] for d, (s, h) in self.applied.items()},
            "devices": {d: v.to_json() for d, v in self.devices.items()},
            "revoked": self.revoked, "acks": self.acks, "snaps": self.snaps,
            "clock": list(self.clock),
            "stamps": _columns(self.stamps),
            "purged": {i: [list(v), list(p)] for i, (v, p) in self.purged.items()},
            "fields": {f: [list(st), h] for f, (st, h) in self.fields.items()},
            "list_adds": marks_json(self.list_adds), "list_gone": marks_json(self.list_gone),
            "slot_salt": self.slot_salt, "last_sync": self.last_sync,
            "conflicts_kept": self.conflicts_kept,
        })

    def working_copy(self) -> SyncState:
        """A copy whose devices, keys, revocations and reading positions can change without
        changing this one (the record stamps are shared: reading the logs does not touch
        them)."""
        other = copy.copy(self)
        other.keys = dict(self.keys)
        other.applied = dict(self.applied)
        other.revoked = dict(self.revoked)
        other.acks = {d: dict(a) for d, a in self.acks.items()}
        other.snaps = {d: dict(a) for d, a in self.snaps.items()}
        other.devices = {i: copy.copy(d) for i, d in self.devices.items()}
        return other

    @classmethod
    def from_bytes(cls, data: bytes) -> SyncState:
        """Raises VaultDamagedError when the sealed state is not one (it opened, so it was
        written by journal-app: a newer format or damage)."""
        try:
            o = orjson.loads(data)
            if o["format"] != STATE_FORMAT:
                raise ValueError
            return cls(
                journal=bytes.fromhex(o["journal"]), device=str(o["device"]),
                name=str(o["name"]), folder=str(o["folder"]),
                sign_key=unb64(o["sign_key"], 32), x_key=unb64(o["x_key"], 32),
                founder=str(o["founder"]),
                keys={int(e): unb64(k, 32) for e, k in o["keys"].items()},
                epoch=int(o["epoch"]), next_seq=int(o["next_seq"]),
                last_hash=bytes.fromhex(o["last_hash"]), counter=int(o["counter"]),
                applied={d: (int(s), bytes.fromhex(h)) for d, (s, h) in o["applied"].items()},
                devices={d: Device.from_json(v) for d, v in o["devices"].items()},
                revoked={str(d): int(a) for d, a in o["revoked"].items()},
                acks=_positions_map(o.get("acks", {})),
                snaps=_positions_map(o.get("snaps", {})),
                clock=(int(o["clock"][0]), int(o["clock"][1])),
                stamps=_from_columns(o["stamps"]),
                purged={i: (parse(v), parse(p)) for i, (v, p) in o["purged"].items()},
                fields={f: (parse(st), str(h)) for f, (st, h) in o["fields"].items()},
                list_adds=marks_from(o.get("list_adds", {})),
                list_gone=marks_from(o.get("list_gone", {})),
                slot_salt=str(o["slot_salt"]), last_sync=o["last_sync"],
                conflicts_kept=int(o["conflicts_kept"]),
            )
        except (ValueError, KeyError, TypeError, IndexError, AttributeError,
                orjson.JSONDecodeError):
            raise VaultDamagedError(
                "The journal's sync settings are damaged or from a newer version of "
                "journal-app.") from None


def _columns(stamps: dict[str, Stamp]) -> dict[str, list[Any]]:
    """Record stamps as columns, each device named once: 16,000 records' stamps cost a few ms
    to write and read instead of a tenth of a second."""
    devices: dict[str, int] = {}
    return {"ids": list(stamps), "wall": [s[0] for s in stamps.values()],
            "n": [s[1] for s in stamps.values()],
            "dev": [devices.setdefault(s[2], len(devices)) for s in stamps.values()],
            "devices": list(devices)}


def _from_columns(cols: dict[str, list[Any]]) -> dict[str, Stamp]:
    names = [str(d) for d in cols["devices"]]
    ids, walls, ns, devs = cols["ids"], cols["wall"], cols["n"], cols["dev"]
    if not len(ids) == len(walls) == len(ns) == len(devs):
        raise ValueError("columns of different lengths")
    return {str(i): (int(w), int(n), names[d]) for i, w, n, d in zip(ids, walls, ns, devs,
                                                                      strict=True)}


def _positions_map(value: Any) -> dict[str, dict[str, int]]:
    return {str(d): {str(k): int(v) for k, v in m.items()} for d, m in value.items()}


def marks_json(marks: dict[str, dict[str, Stamp]]) -> dict[str, dict[str, list[Any]]]:
    return {f: {c: list(st) for c, st in items.items()} for f, items in marks.items()}


def marks_from(value: Any) -> dict[str, dict[str, Stamp]]:
    """Marks read from the state or a batch. Raises ValueError, TypeError, AttributeError."""
    return {str(f): {str(c): parse(st) for c, st in items.items()}
            for f, items in value.items()}
