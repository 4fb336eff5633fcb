"""Start deriving the passphrase key before the heavy modules are imported.

A command-line call pays Python's start-up, the SQLAlchemy import (about 0.3 s here) and the
Argon2id derivation (about 0.14 s). Argon2id releases the GIL, so the two can overlap on a
second core: this module reads the passphrase slot with the standard library's ``sqlite3`` (read
only), derives the key in a thread, and :meth:`Journal.unlock` uses the result when it was derived
for the same slot. Anything unexpected here is ignored: the normal path reports it properly.
"""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path

from .vault import KeySlot, derive_passphrase_key

DB_NAME = "journal.db"  # the same name as store.DB_NAME (store imports SQLAlchemy)


@dataclass(frozen=True)
class DerivedKey:
    salt: bytes
    memory_kib: int
    iterations: int
    lanes: int
    kek: bytes


class PendingUnlock:
    """A key derivation running in a background thread."""

    def __init__(self, slot: KeySlot, passphrase: str) -> None:
        self._slot = slot
        self._passphrase = passphrase
        self._result: DerivedKey | None = None
        self._thread = threading.Thread(target=self._run, name="kdf", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        kdf = self._slot.kdf
        if kdf is None:
            return
        try:
            kek = derive_passphrase_key(self._passphrase, self._slot.salt, kdf)
        except Exception:  # reported by the normal path
            return
        self._result = DerivedKey(self._slot.salt, kdf.memory_kib, kdf.iterations, kdf.lanes, kek)

    def result(self) -> DerivedKey | None:
        self._thread.join()
        return self._result


def start_unlock(data_dir: Path, passphrase: str) -> PendingUnlock | None:
    path = Path(data_dir) / DB_NAME
    if not path.is_file():
        return None
    try:
        conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
        try:
            rows = conn.execute(
                "SELECT value FROM meta WHERE key IN ('slot.passphrase.a', 'slot.passphrase.b')"
                " ORDER BY key"
            ).fetchall()
        finally:
            conn.close()
    except sqlite3.Error:
        return None
    for (value,) in rows:
        try:
            slot = KeySlot.from_bytes(bytes(value))
        except Exception:  # noqa: S112 - a damaged copy: try the other, else the normal path
            continue
        return PendingUnlock(slot, passphrase)
    return None
