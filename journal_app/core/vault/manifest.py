"""The manifest: the journal's sealed list of its records, and its upkeep.

The manifest is a sealed record of the number of rows and an XOR of keyed MACs over every row's
``(id, kind, schema version, write sequence)``. Deleting a row, or rolling one back to an older
ciphertext (which carries an older sequence number, bound into its associated data), no longer
matches it. Rolling the whole file back to an older copy is not detected (README, security).

Every write of the journal service updates it in the same transaction (:func:`store_rows`). A
missing or unreadable manifest is never rebuilt by a write: the journal is read-only until the
user accepts what is there (:func:`preview`, then :func:`repair`). The manifest, the write
counter and the rows are compared inside one read transaction (:func:`check`).

The functions here take the store or a transaction and the journal's cipher; the journal
service (:mod:`~journal_app.core.vault.journal`) holds the result (``manifest_problem``,
``read_only``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from journal_app.core.errors import VaultDamagedError
from journal_app.core.records import codec
from journal_app.core.records.headers import has_header, header_bytes
from journal_app.core.records.model import Entry, Record
from journal_app.core.vault.crypto import OpenError, RecordCipher
from journal_app.core.vault.quickopen import Prefetched
from journal_app.core.vault.store import (
    ReadTransaction,
    Store,
    StoredRecord,
    WriteTransaction,
    parse_counter,
)

#: The command that rescues what can still be read (named in messages about damage).
SALVAGE = "journal-app salvage --out FOLDER"

#: The manifest is missing or does not open: nothing can tell what was removed or rolled back.
MANIFEST_MISSING = (
    "The journal's list of records is missing or damaged, so records may have been removed or"
    " rolled back without a trace; the journal is read-only until it is repaired."
)


@dataclass
class Manifest:
    count: int = 0
    digest: int = 0
    seq: int = 0

    def to_bytes(self) -> bytes:
        return codec.dumps({"count": self.count, "digest": f"{self.digest:064x}", "seq": self.seq})

    @classmethod
    def from_bytes(cls, data: bytes) -> Manifest:
        obj = codec.loads(data)
        return cls(int(obj["count"]), int(obj["digest"], 16), int(obj["seq"]))

    def seal(self, cipher: RecordCipher) -> bytes:
        """The manifest sealed under ``cipher`` with its own write sequence."""
        return cipher.seal_meta("manifest", self.seq, self.to_bytes())

    def add(self, mac: int) -> None:
        """Count a row in, by its MAC (:meth:`RecordCipher.entry_mac`)."""
        self.digest ^= mac
        self.count += 1

    def remove(self, mac: int) -> None:
        """Count a row out, by the MAC it was counted in with."""
        self.digest ^= mac
        self.count -= 1

    def problems(self, counter: int, count: int, digest: int) -> list[str]:
        """What differs between this manifest and the file (its write counter, and the count and
        digest of its rows), each said as what was found."""
        found = []
        if counter != self.seq:
            found.append(
                f"The journal's write counter was altered or rolled back: it says {counter}, but"
                f" the journal's list of records was last updated at write {self.seq}."
            )
        if count != self.count:
            found.append(
                "Records were removed, added or rolled back outside journal-app: the journal"
                f" lists {self.count} records, the file holds {count}."
            )
        elif digest != self.digest:
            found.append(
                "Records were removed, added or rolled back outside journal-app: the file holds"
                f" {count} records as the journal lists, but not all in the versions it lists"
                " (an older copy was put back, or one was swapped for another)."
            )
        return found


@dataclass(frozen=True)
class ManifestCheck:
    """What :func:`check` found: a plain sentence (None when all matches), and whether the
    journal must be read-only (its manifest is missing or does not open)."""

    problem: str | None
    read_only: bool


@dataclass(frozen=True)
class RepairPreview:
    """What :meth:`Journal.repair_manifest` would accept as the journal's true contents: the
    records in the file now (counted by kind), shown to the user before anything changes."""

    needed: bool
    problem: str | None
    kinds: dict[str, int]
    count: int
    digest: int
    counter: int


def read_manifest(cipher: RecordCipher, blob: bytes | None) -> Manifest | None:
    """The manifest sealed in ``blob``, or None when there is none or it does not open (or was
    sealed at another write than the one it names)."""
    if blob is None:
        return None
    try:
        seq, data = cipher.open_meta("manifest", blob)
        manifest = Manifest.from_bytes(data)
    except (OpenError, codec.CodecError, KeyError, ValueError, TypeError):
        return None
    if seq not in (0, manifest.seq):  # 0: sealed before sequences were bound
        return None
    return manifest


def check(
    cipher: RecordCipher, store: Store, rx: ReadTransaction, prefetched: Prefetched | None = None
) -> ManifestCheck:
    """Compare the manifest with the write counter and the rows, all read in ``rx`` (a writer
    beside us must not look like tampering). ``prefetched`` gives the rows' count and digest
    when they were read at the same write counter (a quick unlock)."""
    meta = rx.get_meta(["manifest", "seq"])
    counter = parse_counter(meta.get("seq"))
    manifest = read_manifest(cipher, meta.get("manifest"))
    if manifest is None:
        return ManifestCheck(MANIFEST_MISSING, read_only=True)
    if prefetched is not None and prefetched.counter == counter:
        count, digest = prefetched.manifest_count, prefetched.manifest_digest
    else:
        count, digest = cipher.manifest_digest(rx.id_seqs())
    lost = len(store.unreadable) + store.unidentified
    if lost and (count != manifest.count or digest == manifest.digest):
        # Not tampering: pages of the file cannot be read (a failing disk). The rows may all
        # be listed still (the listing reads an index) while some cannot be read.
        return ManifestCheck(
            f"Part of the journal's file is damaged: {lost} of its {manifest.count} records"
            f" cannot be read. '{SALVAGE}' copies everything that can still be read into"
            " a new journal.",
            read_only=False,
        )
    return ManifestCheck(" ".join(manifest.problems(counter, count, digest)) or None, False)


def store_rows(
    tx: WriteTransaction,
    cipher: RecordCipher,
    manifest: Manifest,
    puts: Sequence[Record],
    deletes: Sequence[str],
    step: Callable[[], None] | None = None,
) -> int:
    """Seal and store ``puts`` and remove ``deletes`` inside ``tx``, counting each row out of
    and into ``manifest`` and sealing it at the new write sequence, which is returned.
    ``step`` is called after each record is stored (if it raises, the transaction fails)."""
    seq = tx.next_seq()
    for record in puts:
        old = tx.current(record.id)
        if old is not None:
            manifest.remove(cipher.entry_mac(record.id, *old))
        data = codec.dumps(record.payload())
        blob = cipher.seal(record.id, record.KIND, record.SCHEMA_VERSION, seq, data)
        header = None
        if isinstance(record, Entry) and has_header(record.KIND, record.SCHEMA_VERSION):
            header = cipher.seal_header(record.id, record.KIND, record.SCHEMA_VERSION, seq,
                                        header_bytes(record))
        tx.put(StoredRecord(record.id, record.KIND, record.SCHEMA_VERSION, seq, blob, header))
        manifest.add(cipher.entry_mac(record.id, record.KIND, record.SCHEMA_VERSION, seq))
        if step is not None:
            step()
    for record_id in deletes:
        old = tx.current(record_id)
        if old is None:
            continue
        manifest.remove(cipher.entry_mac(record_id, *old))
        tx.delete(record_id)
    manifest.seq = seq
    tx.set_meta("manifest", manifest.seal(cipher))
    return seq


def preview(cipher: RecordCipher, rx: ReadTransaction, problem: str | None) -> RepairPreview:
    """The records in the file now, as :func:`repair` would accept them (``problem`` is what
    :func:`check` found in the same read transaction)."""
    rows = rx.id_seqs()
    counter = rx.write_counter()
    kinds: dict[str, int] = {}
    for _i, kind, _v, _s in rows:
        kinds[kind] = kinds.get(kind, 0) + 1
    count, digest = cipher.manifest_digest(rows)
    return RepairPreview(problem is not None, problem, kinds, count, digest, counter)


def repair(cipher: RecordCipher, store: Store, shown: RepairPreview) -> None:
    """Write a new manifest over the records ``shown`` (and a write counter past every
    record's sequence).

    Raises:
        VaultDamagedError: the records changed since the preview (nothing was changed).
    """
    with store.write() as tx:
        rows = tx.id_seqs()
        count, digest = cipher.manifest_digest(rows)
        if (count, digest) != (shown.count, shown.digest):
            raise VaultDamagedError(
                "The journal's records changed while it was being checked; nothing was"
                " repaired. Check it again."
            )
        top = max([parse_counter(tx.get_meta("seq")), *(seq for *_r, seq in rows)])
        seq = top + 1
        tx.set_meta("seq", str(seq).encode())
        tx.set_meta("manifest", Manifest(count, digest, seq).seal(cipher))
