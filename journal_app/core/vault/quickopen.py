"""Start unlocking before the heavy modules are imported.

A command-line call pays Python's start-up, importing the journal service (the record model, the
vault's modules) and the Argon2id derivation (about 0.14 s). Argon2id releases the GIL, so the
two can overlap on a second core: this module reads the passphrase slot with the standard
library's ``sqlite3`` (read only) and derives the key in a thread. With the key, the same thread
also prepares what every command needs next, still while the service loads: the manifest digest
over the record rows and, when asked, the decrypted search index snapshot. :meth:`Journal.unlock`
uses each result only if it fits (same slot; same write counter for the manifest; the index
catches up by itself). Anything unexpected here is ignored: the normal path reports it properly.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from journal_app.core.vault.crypto import KeySlot, OpenError, RecordCipher, derive_passphrase_key
from journal_app.core.vault.sealedindex import DIRECTORY, SEGMENT_PREFIX, open_sealed
from journal_app.core.vault.search import IndexFormatError, SegmentedIndex

DB_NAME = "journal.db"  # the same name as store.DB_NAME (imported before the store is)


@dataclass(frozen=True)
class Prefetched:
    """Work done beside the imports, read in one consistent snapshot of the file."""

    counter: int
    manifest_count: int
    manifest_digest: int
    index: SegmentedIndex | None = None
    #: ``(id, kind, schema_version, seq)`` of every row at ``counter``: the index catches up
    #: from them instead of reading them again (:meth:`IndexKeeper.catch_up`).
    rows: Sequence[tuple[str, str, int, int]] = ()


@dataclass(frozen=True)
class DerivedKey:
    salt: bytes
    memory_kib: int
    iterations: int
    lanes: int
    kek: bytes
    prefetched: Prefetched | None = None


@dataclass(frozen=True)
class _Read:
    """What the prefetch reads, in one read snapshot: needs no key."""

    counter: int
    rows: list[tuple[str, str, int, int]]
    #: The sealed index (its directory and segments by ``meta`` key), emptied as it is opened
    #: (each sealed segment is freed as soon as it is opened: at 100,000 entries the index is
    #: 180 MB).
    sealed: dict[str, bytes]


class PendingUnlock:
    """A key derivation running in a background thread, beside a second one that reads what
    the prefetch needs (SQLite reads release the GIL too): once the key is there, only the
    decryption and the manifest digest are left, and they run side by side (the reading
    thread opens the index while the key's thread computes the digest; only SQLite's page
    reads release the GIL there: AES-GCM decryption in ``cryptography`` and
    ``sqlite3.deserialize`` hold it, measured in docs/design.md, "App unlock time at 100,000
    entries")."""

    def __init__(self, slot: KeySlot, passphrase: str, path: Path, vault_id: bytes,
                 want_index: bool) -> None:
        self._slot = slot
        self._passphrase = passphrase
        self._path = path
        self._vault_id = vault_id
        self._want_index = want_index
        self._result: DerivedKey | None = None
        self._read: _Read | None = None
        #: The cipher, handed to the reading thread once the key is there (None: no key).
        self._cipher: RecordCipher | None = None
        self._keyed = threading.Event()
        self._read_done = threading.Event()
        self._index: SegmentedIndex | None = None
        self._reader = threading.Thread(target=self._read_file, name="kdf-read", daemon=True)
        self._thread = threading.Thread(target=self._run, name="kdf", daemon=True)
        self._reader.start()  # first: the key's thread waits for it
        self._thread.start()

    def _run(self) -> None:
        try:
            self._derive()
        finally:
            self._keyed.set()  # the reading thread never waits for a key that will not come

    def _derive(self) -> None:
        kdf = self._slot.kdf
        if kdf is None:
            return
        try:
            kek = derive_passphrase_key(self._passphrase, self._slot.salt, kdf)
        except Exception:  # reported by the normal path
            return
        prefetched = None
        data_key = self._slot.unwrap(kek, self._vault_id)
        if data_key is not None:
            cipher = RecordCipher(data_key, self._vault_id)
            self._cipher = cipher
            self._keyed.set()
            self._read_done.wait()
            read = self._read
            if read is not None:
                try:
                    count, digest = cipher.manifest_digest(read.rows)
                except ValueError:
                    count, digest = -1, 0
                self._reader.join()  # the index opened meanwhile
                if count >= 0:
                    index = self._index
                    prefetched = Prefetched(read.counter, count, digest, index,
                                            read.rows if index is not None else ())
        self._result = DerivedKey(self._slot.salt, kdf.memory_kib, kdf.iterations, kdf.lanes,
                                  kek, prefetched)

    def _read_file(self) -> None:
        try:
            self._read = self._read_snapshot()
        except (sqlite3.Error, ValueError):
            self._read = None  # the normal path reads it again
        finally:
            self._read_done.set()
        read = self._read
        if read is None or not read.sealed:
            return
        self._keyed.wait()
        if self._cipher is None:
            return
        try:
            self._index = open_sealed(self._cipher, read.sealed, read.counter)
        except (OpenError, IndexFormatError, ValueError):
            self._index = None  # the normal path opens it again
        finally:
            read.sealed.clear()

    def _read_snapshot(self) -> _Read:
        conn = sqlite3.connect(f"{self._path.as_uri()}?mode=ro", uri=True,
                               isolation_level=None, check_same_thread=False)
        try:
            conn.execute("BEGIN")  # one read snapshot: counter, rows and index agree
            row = conn.execute("SELECT value FROM meta WHERE key='seq'").fetchone()
            counter = int(row[0]) if row and row[0] else 0
            rows = conn.execute("SELECT id, kind, schema_version, seq FROM records").fetchall()
            sealed: dict[str, bytes] = {}
            if self._want_index:
                # The directory and every segment (which ones it lists is known only with
                # the key; any other is dropped unread then).
                for key, value in conn.execute(
                    "SELECT key, value FROM meta WHERE key = ? OR (key > ? AND key < ?)",
                    (DIRECTORY, SEGMENT_PREFIX, SEGMENT_PREFIX[:-1] + "/"),
                ):
                    sealed[key] = bytes(value)
            conn.execute("COMMIT")
        finally:
            conn.close()
        return _Read(counter, rows, sealed)

    def result(self) -> DerivedKey | None:
        self._thread.join()
        self._reader.join()
        return self._result


def start_unlock(data_dir: Path, passphrase: str, want_index: bool = False) -> PendingUnlock | None:
    """Start deriving the key (and prefetching; the search index too with ``want_index``)."""
    path = Path(data_dir) / DB_NAME
    if not path.is_file():
        return None
    try:
        conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
        try:
            rows = dict(conn.execute(
                "SELECT key, value FROM meta WHERE key IN"
                " ('slot.passphrase.a', 'slot.passphrase.b', 'vault_id')"
            ).fetchall())
        finally:
            conn.close()
    except sqlite3.Error:
        return None
    vault_id = rows.get("vault_id")
    if not isinstance(vault_id, bytes):
        return None
    for key in ("slot.passphrase.a", "slot.passphrase.b"):
        try:
            slot = KeySlot.from_bytes(bytes(rows[key]))
        except Exception:  # noqa: S112 - a damaged copy: try the other, else the normal path
            continue
        return PendingUnlock(slot, passphrase, path, vault_id, want_index)
    return None
