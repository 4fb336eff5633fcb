"""Key rotation: every record and every sealed blob of a vault under a fresh data key.

A new passphrase or recovery key that only re-wrapped the data key would not cut the old secret
off: the old key slots live on in backups, ``replaced-*/`` folders, copies kept before a
migration and synced copies, and with the old secret they give the data key that opens what is
written today. So ``new-recovery-key`` and ``change-passphrase --rotate-key`` draw a fresh data
key and, in ONE write transaction:

1. check the manifest under the old key (a journal whose records were removed or rolled back is
   not rotated: that would launder the tamper evidence into a manifest that matches);
2. re-seal every record row under the new key, keeping its id, kind, schema version and write
   sequence (attachment images one at a time, the rest in chunks);
3. re-seal every other sealed blob in ``meta``, each under its own name and sequence (the
   search index's directory and segments, and the word counts, are dropped instead when
   they do not open: they are only caches);
4. write the manifest under the new key, with a new write sequence, and new key slots (both
   copies of each kind: the passphrase given, a new recovery key).

SQLite commits the transaction as a whole, so a process killed at any moment leaves the old
vault (old key, old slots) or the new one, never a mix. A record that does not open under the old
key stops the rotation with nothing changed (``journal-app verify`` names it).

The rotation holds the vault exclusively (its own store's shared lock turned exclusive, see
:mod:`~journal_app.core.vault.lock`): it is refused while another program has the vault open, and
others wait while it runs. It first checks the free space: the write-ahead log holds a second
copy of every page until the transaction is checkpointed, so the files may double.

What it cannot do: backups and copies made before it keep the old key, and still open with the
secrets of their day. The README says so and the app offers to replace the user's backups.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from journal_app.core.errors import StorageError, VaultDamagedError
from journal_app.core.records import codec
from journal_app.core.records.model import RECORD_KINDS
from journal_app.core.vault.crypto import (
    KdfParams,
    OpenError,
    RecordCipher,
    format_recovery_key,
    new_recovery_key,
    passphrase_slot,
    recovery_slot,
)
from journal_app.core.vault.keyslots import SLOT_KEYS
from journal_app.core.vault.manifest import Manifest
from journal_app.core.vault.store import Store, WriteTransaction, is_cache_meta, parse_counter

#: Small records are re-sealed this many at a time (and progress is reported as often).
CHUNK = 250
#: Free space asked for beyond the size of the files.
SPACE_MARGIN = 16 * 1024 * 1024
#: ``meta`` keys stored in the clear; every other one is a sealed blob.
_PLAIN_META = frozenset(
    {"format", "vault_id", "seq", *(key for keys in SLOT_KEYS.values() for key in keys)}
)

DAMAGED = (
    "Part of the journal is damaged or was altered, so its key was not changed (nothing was "
    "changed). Run 'journal-app verify' to see what."
)
NOT_MATCHING = (
    "The journal's list of records does not match its records (some were removed, added or "
    "rolled back outside journal-app), so its key was not changed (nothing was changed). Run "
    "'journal-app verify'."
)

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Rotated:
    """The result of :func:`rotate`: the new cipher, the new recovery key (to show once) and
    how many records were re-encrypted."""

    cipher: RecordCipher
    recovery_key: str
    records: int
    #: The write counter before and after (records keep their sequences; only it moves).
    counter_before: int
    counter: int


def space_needed(size_on_disk: int) -> int:
    """Free bytes a rotation of a vault taking ``size_on_disk`` bytes asks for."""
    return size_on_disk + max(SPACE_MARGIN, size_on_disk // 10)


def _megabytes(size: int) -> str:
    return f"{max(1, round(size / 1_000_000)):,} MB"


def check_space(size_on_disk: int, free: int) -> None:
    """Raises StorageError when ``free`` bytes are too few to rotate the vault."""
    need = space_needed(size_on_disk)
    if free < need:
        raise StorageError(
            f"Changing the journal's key needs about {_megabytes(need)} free on its drive (the "
            f"journal's file may double while it runs); {_megabytes(free)} is free. Nothing "
            "was changed."
        )


def rotate(
    store: Store, old: RecordCipher, vault_id: bytes, passphrase: str, kdf: KdfParams,
    progress: Progress | None = None,
) -> Rotated:
    """Re-encrypt the vault in ``store`` under a fresh data key (see the module's notes).

    ``passphrase`` goes into the new passphrase slot with ``kdf``; the caller checked it. If
    ``progress(done, total)`` raises (the user cancelled), nothing is changed.

    Raises:
        VaultBusyError: another program has the vault open.
        StorageError: not enough free space, or the disk refused the write.
        VaultDamagedError: a record or sealed blob does not open, or the manifest does not
            match the records. Nothing is changed in any of these cases.
    """
    data_key = secrets.token_bytes(32)
    new = RecordCipher(data_key, vault_id)
    rkey = new_recovery_key()
    # The slow key derivation happens before the vault is held.
    p_slot = passphrase_slot(passphrase, data_key, vault_id, kdf).to_bytes()
    r_slot = recovery_slot(rkey, data_key, vault_id).to_bytes()
    report = progress or (lambda _done, _total: None)
    with store.exclusive():
        check_space(store.size_on_disk(), store.free_space())
        with store.write() as tx:
            rows = tx.id_seqs()
            _check_manifest(tx, old, rows)
            report(0, len(rows))
            done = 0
            for chunk in _chunks(rows):
                fresh = []
                for row in tx.rows(chunk):
                    try:
                        plain = old.open(row.id, row.kind, row.schema_version, row.seq, row.blob)
                        # An entry's list header too: none may stay under the old key.
                        head = None if row.header is None else old.open_header(
                            row.id, row.kind, row.schema_version, row.seq, row.header)
                    except OpenError:
                        raise VaultDamagedError(DAMAGED) from None
                    fresh.append((row.id, new.seal(row.id, row.kind, row.schema_version,
                                                   row.seq, plain),
                                  None if head is None else new.seal_header(
                                      row.id, row.kind, row.schema_version, row.seq, head)))
                if len(fresh) != len(chunk):
                    raise VaultDamagedError(DAMAGED)  # a row went missing under our lock
                tx.replace_blobs(fresh)
                done += len(fresh)
                report(done, len(rows))
            _reseal_meta(tx, old, new)
            counter_before = parse_counter(tx.get_meta("seq"))
            seq = tx.next_seq()
            count, digest = new.manifest_digest(rows)
            tx.set_meta("manifest", new.seal_meta("manifest", seq,
                                                  Manifest(count, digest, seq).to_bytes()))
            for key in SLOT_KEYS["passphrase"]:
                tx.set_meta(key, p_slot)
            for key in SLOT_KEYS["recovery"]:
                tx.set_meta(key, r_slot)
        # Committed. The old ciphertexts still sit in the database file until the log is
        # folded back in: do it now (secure_delete overwrites what is freed).
        store.checkpoint()
    return Rotated(new, format_recovery_key(rkey), len(rows), counter_before, seq)


def _check_manifest(tx: WriteTransaction, old: RecordCipher,
                    rows: Sequence[tuple[str, str, int, int]]) -> None:
    blob = tx.get_meta("manifest")
    try:
        if blob is None:
            raise OpenError
        sealed_seq, data = old.open_meta("manifest", blob)
        manifest = Manifest.from_bytes(data)
    except (OpenError, codec.CodecError, ValueError, KeyError, TypeError):
        raise VaultDamagedError(DAMAGED) from None
    if sealed_seq not in (0, manifest.seq):  # 0: sealed before sequences were bound
        raise VaultDamagedError(NOT_MATCHING)
    count, digest = old.manifest_digest(rows)
    counter = parse_counter(tx.get_meta("seq"))
    if (count, digest, counter) != (manifest.count, manifest.digest, manifest.seq):
        raise VaultDamagedError(NOT_MATCHING)


def _chunks(rows: Sequence[tuple[str, str, int, int]]) -> Iterator[list[str]]:
    """Ids in groups: attachment images alone (one image in memory at a time), the rest by
    :data:`CHUNK`."""
    blob_kinds = {k for k, cls in RECORD_KINDS.items() if not cls.EAGER}
    small: list[str] = []
    for record_id, kind, _version, _seq in rows:
        if kind in blob_kinds:
            yield [record_id]
            continue
        small.append(record_id)
        if len(small) >= CHUNK:
            yield small
            small = []
    if small:
        yield small


def _reseal_meta(tx: WriteTransaction, old: RecordCipher, new: RecordCipher) -> None:
    """Every sealed blob in ``meta`` but the manifest (written after) under the new key."""
    for key in tx.meta_keys():
        if key in _PLAIN_META or key == "manifest":
            continue
        blob = tx.get_meta(key)
        try:
            if blob is None:
                continue
            blob_seq, plain = old.open_meta(key, blob)
        except OpenError:
            # Only caches (the search index's directory and segments, the word counts):
            # dropped when they do not open, rebuilt from the records.
            if is_cache_meta(key):
                tx.delete_meta(key)
                continue
            raise VaultDamagedError(DAMAGED) from None
        tx.set_meta(key, new.seal_meta(key, blob_seq, plain))  # keeps its own sequence
