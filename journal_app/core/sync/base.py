"""What the sync modules share: settings, errors, results, and the batches read from the
folder (docs/design.md, "One journal on several computers")."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from journal_app.core.errors import (
    InvalidDataError,
    JournalError,
    UsageError,
)
from journal_app.core.sync.clock import as_time, wall_ms
from journal_app.core.vault.crypto import (
    DEFAULT_KDF,
    KdfParams,
)

#: The folder's passphrase slot: the sync service holds it and can try passphrases offline, so
#: it costs more than the vault's own (which only the computer's owner can reach).
FOLDER_KDF = KdfParams(memory_kib=256 * 1024, iterations=3, lanes=4)
#: The least the folder slot may cost when journal-app writes it (checked in its own test).
MIN_FOLDER_MEMORY_KIB = 256 * 1024
#: Passphrase rating required to start sync ("Good", see passwords.assess).
GOOD = 3
#: Kinds that stay on their computer: where its backups went.
LOCAL_KINDS = frozenset({"backup-state"})
#: A batch holds about this much payload at most; more changes make more batches.
BATCH_TARGET = 4 * 1024 * 1024
MAX_NAME = 100
#: Rounds of "read the logs" (an epoch learned from one device opens another's files).
ROUNDS = 8
APP_STATE = "app-state"

Progress = Callable[[int, int], None]


class SyncError(JournalError):
    """Sync cannot go on (not set up, folder missing, another journal): exit 1."""


class SyncDamagedError(InvalidDataError):
    """A file in the sync folder is damaged, forged or replayed: exit 4, nothing applied."""


NOT_SET_UP = ("This journal does not sync yet: run 'journal-app sync setup --folder DIR' (or "
              "'sync join' on a new computer).")


@dataclass(frozen=True)
class SyncParams:
    """Settings a test may make cheap: the folder slot's and a joined vault's Argon2id, and the
    wall clock (the hybrid clock's physical part)."""

    folder_kdf: KdfParams = FOLDER_KDF
    vault_kdf: KdfParams = DEFAULT_KDF
    clock: Callable[[], int] = wall_ms
    #: A device seals a snapshot after this many batches of its own since its last one.
    snapshot_every: int = 100


DEFAULT_PARAMS = SyncParams()


@dataclass(frozen=True)
class Skipped:
    file: str
    reason: str


@dataclass
class SyncResult:
    sent: int = 0
    received: int = 0
    conflicts_kept: int = 0
    skipped: list[Skipped] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"sent": self.sent, "received": self.received,
                "conflicts_kept": self.conflicts_kept,
                "skipped": [{"file": s.file, "reason": s.reason} for s in self.skipped]}


@dataclass(frozen=True)
class DeviceInfo:
    name: str
    id: str
    last_seen: int | None
    revoked: bool
    this: bool

    def to_json(self) -> dict[str, Any]:
        seen = None if self.last_seen is None else as_time(
            (self.last_seen, 0, "")).astimezone().isoformat(timespec="seconds")
        return {"name": self.name, "id": self.id, "last_seen": seen, "revoked": self.revoked}


@dataclass(frozen=True)
class Status:
    folder: str
    device: str
    name: str
    fingerprint: str
    devices: list[DeviceInfo]
    pending: int
    last_sync: int | None
    conflicts_kept: int

    def to_json(self) -> dict[str, Any]:
        last = None if self.last_sync is None else as_time(
            (self.last_sync, 0, "")).astimezone().isoformat(timespec="seconds")
        return {"folder": self.folder, "device": self.device, "name": self.name,
                "fingerprint": self.fingerprint,
                "devices": [d.to_json() for d in self.devices], "pending": self.pending,
                "last_sync": last, "conflicts_kept": self.conflicts_kept}


@dataclass
class Batch:
    device: str
    seq: int
    hash: bytes
    body: dict[str, Any]


@dataclass
class Reading:
    """What one pass over the folder found."""

    batches: list[Batch] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    pending: int = 0



def check_name(name: str) -> str:
    name = " ".join(name.split())
    if not name or len(name) > MAX_NAME or any(not ch.isprintable() for ch in name):
        raise UsageError("A device name has 1 to 100 printable characters.")
    return name
