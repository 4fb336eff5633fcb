"""The journal service: the single door to a vault, used by the GUI and the command line alike.

It owns the store, the keys while unlocked, the decrypted records and the search index. Reads
check the store's write counter first and pick up what another process wrote; writes run in one
``BEGIN IMMEDIATE`` transaction that also updates the authenticated manifest.

The manifest is a sealed record of the number of rows and an XOR of keyed MACs over every row's
``(id, kind, schema version, write sequence)``. Deleting a row, or rolling one back to an older
ciphertext (which carries an older sequence number, bound into its associated data), no longer
matches it. Rolling the whole file back to an older copy is not detected (README, security).
A missing or unreadable manifest is never rebuilt by a write: the journal is read-only until the
user accepts what is there (:meth:`Journal.repair_preview`, :meth:`Journal.repair_manifest`).
The manifest, the write counter and the rows are compared inside one read transaction.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import secrets
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar, cast

from . import codec
from .attachments import check_attachment, clean_name
from .errors import (
    AmbiguousIdError,
    InvalidDataError,
    JournalError,
    ManifestDamagedError,
    NotFoundError,
    UsageError,
    ValidationError,
    VaultDamagedError,
    VaultLockedError,
    WrongPassphraseError,
    WrongRecoveryKeyError,
)
from .model import (
    RECORD_KINDS,
    SKIPPED_CHECKIN,
    AppState,
    Attachment,
    AttachmentData,
    CheckIn,
    Entry,
    Record,
    Revision,
    decode_record,
    new_id,
    now,
)
from .quickopen import DerivedKey, Prefetched
from .search import (
    IndexDoc,
    IndexFormatError,
    Query,
    SearchFilters,
    SearchHit,
    SearchIndex,
    make_snippet,
)
from .search import parse_query as parse_query
from .store import ReadTransaction, Store, StoredRecord, WriteTransaction, parse_counter
from .vault import (
    DEFAULT_KDF,
    KdfParams,
    KeySlot,
    OpenError,
    RecordCipher,
    derive_passphrase_key,
    format_recovery_key,
    new_recovery_key,
    parse_recovery_key,
    passphrase_slot,
    recovery_kek,
    recovery_slot,
)

T = TypeVar("T", bound=Record)
R = TypeVar("R", bound=Record)
F = TypeVar("F", bound=Callable[..., Any])


def _locked(method: F) -> F:
    """Run a public method under the journal's lock: the app calls the service from its UI
    thread and from one worker thread (saves, key derivation), never at the same time."""

    @functools.wraps(method)
    def wrapper(self: Journal, *args: Any, **kwargs: Any) -> Any:
        with self._lock:
            return method(self, *args, **kwargs)

    return wrapper  # type: ignore[return-value]

MIN_ID_PREFIX = 6
_SALVAGE = "journal-app salvage --out FOLDER"
#: An import reports its progress after this many records (see :meth:`Journal.import_records`).
IMPORT_PROGRESS_EVERY = 50
#: Re-seal the search index snapshot once this many documents changed since the last one.
INDEX_SNAPSHOT_AFTER = 25
REPLACED_RECOVERY_KEY = (
    "That recovery key was replaced by a newer one (it still opens backups made before), or "
    "the journal was altered: it opens none of the journal's records."
)
_SLOT_KEYS = {
    "passphrase": ("slot.passphrase.a", "slot.passphrase.b"),
    "recovery": ("slot.recovery.a", "slot.recovery.b"),
}


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


#: The manifest is missing or does not open: nothing can tell what was removed or rolled back.
MANIFEST_MISSING = (
    "The journal's list of records is missing or damaged, so records may have been removed or"
    " rolled back without a trace; the journal is read-only until it is repaired."
)


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


@dataclass
class IntegrityReport:
    """The result of :meth:`Journal.verify`. Problems are plain sentences with record ids only."""

    records_checked: int = 0
    problems: list[str] = field(default_factory=list)
    damaged_ids: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class ImportResult:
    imported: int = 0
    skipped_duplicates: int = 0


class Journal:
    """One vault: locked after :meth:`open`, unlocked after :meth:`unlock` or :meth:`create`."""

    def __init__(self, store: Store) -> None:
        self._store = store
        meta = store.get_meta(["vault_id"])
        vault_id = meta.get("vault_id")
        if vault_id is None or len(vault_id) != 16:
            raise VaultDamagedError("The journal's database file is damaged or is not a journal.")
        self.vault_id = vault_id
        self._lock = threading.RLock()
        self._cipher: RecordCipher | None = None
        self._reset_state()

    def _reset_state(self) -> None:
        self._records: dict[str, Record] = {}
        self._sorted: dict[bool, list[Entry]] = {}  # entries() by trash flag, dropped on change
        #: records() by kind (and check-ins sorted), dropped on change like ``_sorted``.
        self._by_kind: dict[object, list[Record]] = {}
        self._seqs: dict[str, int] = {}
        self._loaded = False
        self._known_counter = -1
        self._revisions: dict[str, Revision] | None = None
        self._index: SearchIndex | None = None
        self._index_counter = -1  # the write counter the index last caught up with
        self.damaged: dict[str, str] = {}
        self.manifest_problem: str | None = None
        #: The manifest is missing or unreadable: writes are refused until it is repaired.
        self.read_only = False

    # ================================================================ lifecycle

    @property
    def data_dir(self) -> Path:
        return self._store.data_dir

    @staticmethod
    def exists(data_dir: Path) -> bool:
        return Store.exists(data_dir)

    @classmethod
    def create(
        cls, data_dir: Path, passphrase: str, kdf: KdfParams = DEFAULT_KDF
    ) -> tuple[Journal, str]:
        """Create a vault in ``data_dir``; returns it unlocked and the recovery key to show once."""
        if not passphrase:
            raise UsageError("The passphrase must not be empty.")
        vault_id = secrets.token_bytes(16)
        data_key = secrets.token_bytes(32)
        rkey = new_recovery_key()
        p_slot = passphrase_slot(passphrase, data_key, vault_id, kdf).to_bytes()
        r_slot = recovery_slot(rkey, data_key, vault_id).to_bytes()
        cipher = RecordCipher(data_key, vault_id)
        meta = {
            "vault_id": vault_id,
            _SLOT_KEYS["passphrase"][0]: p_slot,
            _SLOT_KEYS["passphrase"][1]: p_slot,
            _SLOT_KEYS["recovery"][0]: r_slot,
            _SLOT_KEYS["recovery"][1]: r_slot,
            "seq": b"0",
            "manifest": cipher.seal_meta("manifest", 0, Manifest().to_bytes()),
        }
        store = Store.create(Path(data_dir), meta)
        journal = cls(store)
        journal._cipher = cipher
        journal._known_counter = 0
        journal._loaded = True
        return journal, format_recovery_key(rkey)

    @classmethod
    def open(cls, data_dir: Path) -> Journal:
        """Open the vault in ``data_dir``, locked."""
        return cls(Store.open(Path(data_dir)))

    @property
    def is_unlocked(self) -> bool:
        return self._cipher is not None

    def _slot(self, kind: str) -> KeySlot:
        """The first intact copy of a key slot.

        Raises:
            VaultDamagedError: both copies are damaged (never reported as a wrong passphrase).
        """
        keys = _SLOT_KEYS[kind]
        stored = self._store.get_meta(keys)
        damage: VaultDamagedError | None = None
        for key in keys:
            if key not in stored:
                continue
            try:
                return KeySlot.from_bytes(stored[key])
            except VaultDamagedError as exc:
                damage = exc
        raise damage or VaultDamagedError(f"The {kind} key slot of the journal is missing.")

    def slot_problems(self, rx: ReadTransaction | None = None) -> list[str]:
        """Key-slot copies that are damaged (the other copy may still work)."""
        problems = []
        for kind, keys in _SLOT_KEYS.items():
            stored = rx.get_meta(keys) if rx is not None else self._store.get_meta(keys)
            for key in keys:
                try:
                    KeySlot.from_bytes(stored[key])
                except (KeyError, VaultDamagedError):
                    problems.append(f"A copy of the {kind} key slot is damaged or missing.")
        return problems

    def kdf_params(self) -> KdfParams:
        kdf = self._slot("passphrase").kdf
        assert kdf is not None
        return kdf

    def unlock(self, passphrase: str, derived: DerivedKey | None = None) -> None:
        """Unlock with the passphrase.

        ``derived`` is a key already derived from this passphrase (see ``quickopen``); it is used
        only if it was derived for this slot's salt and parameters.

        Raises:
            WrongPassphraseError: the slot is intact and the passphrase does not open it.
            VaultDamagedError: the slot or file is damaged.
        """
        slot = self._slot("passphrase")
        kdf = slot.kdf
        assert kdf is not None
        prefetched = None
        if derived is not None and (derived.salt, derived.memory_kib, derived.iterations,
                                    derived.lanes) == (slot.salt, kdf.memory_kib,
                                                       kdf.iterations, kdf.lanes):
            kek = derived.kek
            prefetched = derived.prefetched
        else:
            kek = derive_passphrase_key(passphrase, slot.salt, kdf)
        data_key = slot.unwrap(kek, self.vault_id)
        if data_key is None:
            raise WrongPassphraseError()
        self._unlocked_with(data_key, prefetched)

    def check_passphrase(self, passphrase: str) -> None:
        """Raise WrongPassphraseError unless ``passphrase`` opens the passphrase slot."""
        slot = self._slot("passphrase")
        assert slot.kdf is not None
        kek = derive_passphrase_key(passphrase, slot.salt, slot.kdf)
        if slot.unwrap(kek, self.vault_id) is None:
            # Asked while unlocked (before a change of passphrase): a mistyped current one.
            raise WrongPassphraseError("That is not the journal's current passphrase.")

    def _data_key_from_recovery(self, recovery_key_text: str) -> bytes:
        rkey = parse_recovery_key(recovery_key_text)
        slot = self._slot("recovery")
        data_key = slot.unwrap(recovery_kek(rkey, slot.salt), self.vault_id)
        if data_key is None:
            raise WrongRecoveryKeyError()
        if not self._key_opens_vault(data_key):
            # Its slot was copied from an old backup into this file: the key was rotated.
            raise WrongRecoveryKeyError(REPLACED_RECOVERY_KEY)
        return data_key

    def recover(
        self, recovery_key_text: str, new_passphrase: str, kdf: KdfParams | None = None
    ) -> None:
        """Unlock with the recovery key and set a new passphrase (the recovery key stays valid),
        under ``kdf`` (default :data:`DEFAULT_KDF`)."""
        data_key = self._data_key_from_recovery(recovery_key_text)
        self._unlocked_with(data_key)
        # Not the settings of the old passphrase slot: nothing vouches for them (someone may
        # have rewritten that slot, with its checksum, to cheap or ruinous settings).
        self.change_passphrase(new_passphrase, kdf or DEFAULT_KDF)

    def _unlocked_with(self, data_key: bytes, prefetched: Prefetched | None = None) -> None:
        with self._lock:
            self._reset_state()
            self._cipher = RecordCipher(data_key, self.vault_id)
            self._check_manifest(prefetched)
            if prefetched is not None and prefetched.index is not None:
                # Decrypted with this key, so it is this vault's; it catches up on first use.
                self._index = prefetched.index

    def lock(self) -> None:
        """Save the index snapshot if it is stale, then drop every key and decrypted object."""
        with self._lock:
            if (self._cipher is not None and self._index is not None
                    and self._index.changes >= INDEX_SNAPSHOT_AFTER):
                # Only a cache: if it cannot be saved it is rebuilt on the next unlock.
                with contextlib.suppress(JournalError):
                    self.save_index_snapshot()
            if self._index is not None:
                self._index.close()
            self._cipher = None
            self._reset_state()

    def close(self) -> None:
        self.lock()
        self._store.close()

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def cipher(self) -> RecordCipher:
        if self._cipher is None:
            raise VaultLockedError()
        return self._cipher

    # ================================================================ keys

    @_locked
    def change_passphrase(self, new_passphrase: str, kdf: KdfParams | None = None) -> None:
        """Re-wrap the data key under a new passphrase, in one transaction: a crash leaves either
        the old or the new passphrase working. No record is re-encrypted."""
        if not new_passphrase:
            raise UsageError("The passphrase must not be empty.")
        data_key = self._current_data_key()
        if kdf is None:
            try:
                kdf = self._slot("passphrase").kdf
            except VaultDamagedError:
                kdf = None  # both copies damaged (recovering): write a fresh slot
        params = kdf or DEFAULT_KDF
        slot = passphrase_slot(new_passphrase, data_key, self.vault_id, params).to_bytes()
        with self._store.write() as tx:
            for key in _SLOT_KEYS["passphrase"]:
                tx.set_meta(key, slot)

    @_locked
    def new_recovery_key(
        self, passphrase: str, progress: Callable[[int, int], None] | None = None
    ) -> str:
        """A new recovery key, under a new data key: the old recovery key stops working, also
        with key slots copied from an old backup (see :meth:`rotate_key`). ``passphrase`` is the
        current one (checked; it goes on working). Returns the new recovery key, to show once.

        Raises:
            WrongPassphraseError: ``passphrase`` is not the current passphrase.
            VaultBusyError, StorageError, VaultDamagedError: see :meth:`rotate_key`.
        """
        self.cipher  # noqa: B018 - raises VaultLockedError when locked
        self.check_passphrase(passphrase)
        return self.rotate_key(passphrase, progress=progress)

    @_locked
    def rotate_key(
        self, passphrase: str, kdf: KdfParams | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> str:
        """Re-encrypt every record and sealed blob under a fresh data key in one transaction,
        with new key slots: ``passphrase`` (the current one, or a new one) and a new recovery
        key, which is returned to show once. Secrets that opened the journal before open none
        of it after, even with key slots kept in an old backup or copy. See
        :mod:`~journal_app.core.rotation`.

        ``progress(done, total)`` is called as records are re-encrypted; if it raises, nothing
        is changed.

        Raises:
            VaultBusyError: another program has the journal open.
            StorageError: too little free space (checked first), or the disk refused.
            VaultDamagedError: a record does not open or the list of records does not match;
                nothing is changed (``verify`` says what).
        """
        from .rotation import rotate

        if not passphrase:
            raise UsageError("The passphrase must not be empty.")
        old = self.cipher
        if kdf is None:
            try:
                kdf = self._slot("passphrase").kdf
            except VaultDamagedError:
                kdf = None
        rotated = rotate(self._store, old, self.vault_id, passphrase, kdf or DEFAULT_KDF,
                         progress)
        self._cipher = rotated.cipher
        self.manifest_problem = None  # checked under the old key inside the rotation
        if self._loaded and rotated.counter_before == self._known_counter:
            # What we hold is still current: same records, same write sequences (a reload of
            # a large journal would stall the app for seconds).
            self._known_counter = rotated.counter
            if self._index_counter == rotated.counter_before:
                self._index_counter = rotated.counter
        else:
            if self._index is not None:
                self._index.close()
            self._reset_state()
        return rotated.recovery_key

    def _key_opens_vault(self, data_key: bytes) -> bool:
        """Whether ``data_key`` opens this journal's manifest or, without one, its records (a
        key slot copied from an old backup gives a key that opens neither)."""
        cipher = RecordCipher(data_key, self.vault_id)
        blob = self._store.get_meta(["manifest"]).get("manifest")
        if blob is not None:
            try:
                cipher.open_meta("manifest", blob)
                return True
            except OpenError:
                pass
        rows = self._store.id_seqs()[:5]
        if not rows:
            return blob is None
        for row in self._store.records(ids=[r[0] for r in rows]):
            try:
                cipher.open(row.id, row.kind, row.schema_version, row.seq, row.blob)
                return True
            except OpenError:
                continue
        return False

    def _current_data_key(self) -> bytes:
        if self._cipher is None:
            raise VaultLockedError()
        return self._cipher.data_key

    # ================================================================ manifest

    def _manifest_from_rows(self, rows: Iterable[tuple[str, str, int, int]]) -> tuple[int, int]:
        return self.cipher.manifest_digest(rows)

    def _read_manifest(self, blob: bytes | None) -> Manifest | None:
        if blob is None:
            return None
        try:
            seq, data = self.cipher.open_meta("manifest", blob)
            manifest = Manifest.from_bytes(data)
        except (OpenError, codec.CodecError, KeyError, ValueError, TypeError):
            return None
        if seq not in (0, manifest.seq):  # 0: sealed before sequences were bound
            return None
        return manifest

    def _check_manifest(
        self, prefetched: Prefetched | None = None, rx: ReadTransaction | None = None
    ) -> None:
        """Compare the manifest with the write counter and the rows, all read in one read
        transaction (a writer beside us must not look like tampering)."""
        if rx is None:
            with self._store.reading() as own:
                self._check_manifest(prefetched, own)
            return
        meta = rx.get_meta(["manifest", "seq"])
        counter = parse_counter(meta.get("seq"))
        manifest = self._read_manifest(meta.get("manifest"))
        if manifest is None:
            self.manifest_problem = MANIFEST_MISSING
            self.read_only = True
            return
        if prefetched is not None and prefetched.counter == counter:
            count, digest = prefetched.manifest_count, prefetched.manifest_digest
        else:
            count, digest = self._manifest_from_rows(rx.id_seqs())
        self.read_only = False
        lost = self.unreadable_count()
        if lost and count != manifest.count:
            # Not tampering: pages of the file cannot be read (a failing disk).
            self.manifest_problem = (
                f"Part of the journal's file is damaged: {lost} of its {manifest.count} records"
                f" cannot be read. '{_SALVAGE}' copies everything that can still be read into"
                " a new journal."
            )
        else:
            self.manifest_problem = " ".join(manifest.problems(counter, count, digest)) or None

    @_locked
    def repair_preview(self) -> RepairPreview:
        """What :meth:`repair_manifest` would accept as true: the records in the file now."""
        with self._store.reading() as rx:
            self._check_manifest(rx=rx)
            rows = rx.id_seqs()
            counter = rx.write_counter()
        kinds: dict[str, int] = {}
        for _i, kind, _v, _s in rows:
            kinds[kind] = kinds.get(kind, 0) + 1
        count, digest = self._manifest_from_rows(rows)
        return RepairPreview(self.manifest_problem is not None, self.manifest_problem, kinds,
                             count, digest, counter)

    @_locked
    def repair_manifest(self, preview: RepairPreview) -> None:
        """Accept the records shown in ``preview`` as the journal's true contents: write a new
        manifest over them (and a write counter past every record's sequence). Writes work
        again afterwards.

        Raises:
            VaultDamagedError: the records changed since the preview (nothing was changed).
        """
        if not preview.needed:
            return
        cipher = self.cipher
        with self._store.write() as tx:
            rows = tx.id_seqs()
            count, digest = self._manifest_from_rows(rows)
            if (count, digest) != (preview.count, preview.digest):
                raise VaultDamagedError(
                    "The journal's records changed while it was being checked; nothing was"
                    " repaired. Check it again."
                )
            top = max([parse_counter(tx.get_meta("seq")), *(seq for *_r, seq in rows)])
            seq = top + 1
            tx.set_meta("seq", str(seq).encode())
            tx.set_meta("manifest", cipher.seal_meta(
                "manifest", seq, Manifest(count, digest, seq).to_bytes()))
        self.manifest_problem = None
        self.read_only = False

    def unreadable_count(self, check: bool = False) -> int:
        """How many records the file holds on pages that cannot be read (0 when it is sound):
        known after a read of the records (the unlock's manifest check is one), or with
        ``check`` after a read of every row (no blob is read or decrypted for it)."""
        if check:
            self._store.id_seqs()
        return len(self._store.unreadable) + self._store.unidentified

    def unreadable_records(self) -> dict[str, str]:
        """``id -> kind`` of the records on damaged pages ("" when the kind is not known)."""
        return dict(self._store.unreadable)

    # ================================================================ reading

    def _decode(self, row: StoredRecord, trusted: bool = True) -> Record:
        plain = self.cipher.open(row.id, row.kind, row.schema_version, row.seq, row.blob)
        return decode_record(
            row.kind, row.schema_version, row.id, codec.loads(plain), trusted=trusted
        )

    def _decode_rows(self, rows: Iterable[StoredRecord]) -> Iterator[tuple[StoredRecord, Record]]:
        for row in rows:
            try:
                yield row, self._decode(row)
            except (OpenError, codec.CodecError):
                self.damaged[row.id] = row.kind

    @staticmethod
    def _eager_kinds() -> list[str]:
        return [k for k, cls in RECORD_KINDS.items() if k != "revision" and cls.EAGER]

    @staticmethod
    def _blob_kinds() -> list[str]:
        """Kinds decrypted only on demand, one record at a time (attachment images)."""
        return [k for k, cls in RECORD_KINDS.items() if not cls.EAGER]

    @_locked
    def sync(self) -> bool:
        """Load the records, or pick up what another process wrote. True if anything changed."""
        with self._lock:
            self.cipher  # noqa: B018 - raises VaultLockedError when locked
            first_load = not self._loaded
            # The counter, the list of rows and the rows themselves from one state of the file.
            with self._store.reading() as rx:
                counter = rx.write_counter()
                if self._loaded and counter == self._known_counter:
                    return False
                current = {i: s for i, _k, _v, s in rx.id_seqs(self._eager_kinds())}
                changed = [i for i, s in current.items() if self._seqs.get(i) != s]
                rows = (rx.records(self._eager_kinds()) if first_load
                        else rx.records(ids=changed))
            removed = [i for i in self._records if i not in current]
            old_docs = self._indexed_versions([*changed, *removed])
            self._sorted.clear()
            self._by_kind.clear()
            for record_id in removed:
                self._records.pop(record_id, None)
                self._seqs.pop(record_id, None)
            for row, record in self._decode_rows(rows):
                self._records[row.id] = record
                self._seqs[row.id] = row.seq
                self.damaged.pop(row.id, None)
            self.damaged.update(  # rows on damaged pages of the file
                (i, k or "record") for i, k in self._store.unreadable.items()
                if i not in self._records)
            self._revisions = None
            self._loaded = True
            if self._index is not None:
                self._catch_up_index(old_docs)
            self._known_counter = counter
            # The manifest was checked at unlock; check it again only after outside writes (or
            # while read-only: another program may have repaired it).
            if self.read_only or (not first_load and (changed or removed)):
                self._check_manifest()
            return bool(changed or removed)

    def resolve_id(self, id_or_prefix: str) -> str:
        """The full id for an id or a unique prefix of at least six characters."""
        text = id_or_prefix.strip().lower()
        if len(text) < MIN_ID_PREFIX:
            raise UsageError(f"Give at least {MIN_ID_PREFIX} characters of the id.")
        matches = self._store.ids_with_prefix(text)
        matches = [m for m in matches if m[1] != "revision"] or matches
        if not matches:
            raise NotFoundError()
        if len(matches) > 1:
            raise AmbiguousIdError()
        return matches[0][0]

    @_locked
    def get(self, id_or_prefix: str, kind: type[T]) -> T:
        self.sync()
        record_id = self.resolve_id(id_or_prefix)
        record = self._records.get(record_id)
        if record is None:
            if record_id in self.damaged:
                raise VaultDamagedError("That record is damaged and cannot be opened.")
            raise NotFoundError()
        if not isinstance(record, kind):
            raise NotFoundError(f"That id is not a {kind.KIND}.")
        return record

    def get_entry(self, id_or_prefix: str) -> Entry:
        return self.get(id_or_prefix, Entry)

    @_locked
    def records(self, kind: type[T]) -> list[T]:
        self.sync()
        cached = self._by_kind.get(kind)
        if cached is None:
            cached = self._by_kind[kind] = [r for r in self._records.values()
                                            if isinstance(r, kind)]
        return cast("list[T]", list(cached))

    @_locked
    def entries(self, *, trash: bool = False) -> list[Entry]:
        """Entries newest first: those in the journal, or with ``trash=True`` those in the trash."""
        self.sync()
        cached = self._sorted.get(trash)
        if cached is None:
            cached = [e for e in self._records.values()
                      if isinstance(e, Entry) and (e.trashed is not None) == trash]
            # A float key: comparing ten thousand aware datetimes costs more than computing them.
            cached.sort(key=lambda e: (e.created.timestamp(), e.id), reverse=True)
            self._sorted[trash] = cached
        return list(cached)

    def entry_count(self) -> int:
        return len(self.entries())

    # ================================================================ writing

    def _write(
        self,
        puts: Sequence[Record] = (),
        deletes: Sequence[str] = (),
        before: Callable[[WriteTransaction], list[Record]] | None = None,
        step: Callable[[], None] | None = None,
    ) -> None:
        """Seal and store ``puts``, remove ``deletes`` and update the manifest, atomically.

        ``before`` runs inside the transaction (holding the lock) and may return more records to
        store first, e.g. the revision of what is stored now. ``step`` is called after each record
        is stored (progress of a long import); if it raises, nothing is written.
        """
        cipher = self.cipher
        with self._lock:
            with (on_failure := _OnFailure()), self._store.write() as tx:
                counter_before = parse_counter(tx.get_meta("seq"))
                manifest = self._read_manifest(tx.get_meta("manifest"))
                if manifest is None:
                    # Never rebuilt from whatever rows are there: that would accept a removal
                    # or a rollback as true. The user repairs it knowingly (verify --repair).
                    self.manifest_problem = MANIFEST_MISSING
                    self.read_only = True
                    raise ManifestDamagedError()
                extra = before(tx) if before is not None else []
                purged_index = self._purged_index(tx, deletes, on_failure)
                seq = tx.next_seq()
                all_puts = [*extra, *puts]
                for record in all_puts:
                    old = tx.current(record.id)
                    if old is not None:
                        manifest.digest ^= cipher.entry_mac(record.id, *old)
                        manifest.count -= 1
                    data = codec.dumps(record.payload())
                    blob = cipher.seal(record.id, record.KIND, record.SCHEMA_VERSION, seq, data)
                    tx.put(StoredRecord(record.id, record.KIND, record.SCHEMA_VERSION, seq, blob))
                    manifest.digest ^= cipher.entry_mac(
                        record.id, record.KIND, record.SCHEMA_VERSION, seq
                    )
                    manifest.count += 1
                    if step is not None:
                        step()
                for record_id in deletes:
                    old = tx.current(record_id)
                    if old is None:
                        continue
                    manifest.digest ^= cipher.entry_mac(record_id, *old)
                    manifest.count -= 1
                    tx.delete(record_id)
                manifest.seq = seq
                tx.set_meta("manifest", cipher.seal_meta("manifest", seq, manifest.to_bytes()))
                if purged_index is not None:
                    # In the same transaction: the words leave every sealed blob at once.
                    tx.set_meta("search_index", cipher.seal_meta(
                        "search_index", seq, purged_index.to_bytes()))
            if deletes:
                # Removed for good: no older WAL frame may keep the rows (secure_delete zeroed
                # them in the pages). Another reader can hold frames back; they go with it.
                self._store.checkpoint()
            if purged_index is not None:
                if self._index is not None and self._index is not purged_index:
                    self._index.close()
                self._index = purged_index
                self._index.changes = 0
                self._index_counter = seq
            # Committed: update what we hold in memory.
            self._sorted.clear()
            self._by_kind.clear()
            in_sync = self._loaded and counter_before == self._known_counter
            old_docs = self._indexed_versions([r.id for r in all_puts] + list(deletes))
            index_upserts = []
            for record in all_puts:
                if isinstance(record, Revision):
                    if self._revisions is not None:
                        self._revisions[record.id] = record
                    continue
                if not record.EAGER:
                    continue  # attachment images are not kept in memory
                if self._loaded:
                    self._records[record.id] = record
                    self._seqs[record.id] = seq
                if record.SEARCHABLE:
                    index_upserts.append(self._index_doc(record, seq))
            for record_id in deletes:
                self._records.pop(record_id, None)
                self._seqs.pop(record_id, None)
                if self._revisions is not None:
                    self._revisions.pop(record_id, None)
            if self._index is not None:
                self._index.update(index_upserts, deletes, old_docs)
            if in_sync:
                self._known_counter = seq

    def _purged_index(
        self, tx: WriteTransaction, deletes: Sequence[str], on_failure: _OnFailure
    ) -> SearchIndex | None:
        """When ``deletes`` removes searchable records for good: the index without them, to be
        sealed in the same transaction (the stored snapshot holds their words). Runs holding
        the write lock.

        The index held here loses them exactly when it can (every version it indexed is the
        one in memory, and it has no tombstone: an older version of a removed entry could be
        one); otherwise a fresh index of every other record is built. Should the transaction
        fail, what was taken out of the index held here is put back.
        """
        searchable = set(self._searchable_kinds())
        gone = [i for i in deletes
                if (current := tx.current(i)) is not None and current[0] in searchable]
        if not gone:
            return None
        self.sync()  # what others wrote, loaded (we hold the lock: nothing more can come)
        index = self._ensure_index()
        exact = self._indexed_versions(gone)
        if not index.dead and len(exact) == len(gone):
            index.update(removals=gone, old=exact)
            on_failure.actions.append(lambda: index.update(exact.values()))
            if not index.dead:
                return index
        dropped = set(deletes)
        fresh = SearchIndex.new()
        on_failure.actions.append(fresh.close)
        fresh.update(self._index_doc(r, self._seqs[r.id]) for r in self._records.values()
                     if r.SEARCHABLE and r.id not in dropped)
        return fresh

    def _indexed_versions(self, ids: Iterable[str]) -> dict[str, IndexDoc]:
        """The versions of ``ids`` we hold in memory, as index documents (so the contentless
        index can remove them exactly; the index checks that their text is what it indexed)."""
        if self._index is None:
            return {}
        docs = {}
        for record_id in ids:
            record = self._records.get(record_id)
            if record is not None and record.SEARCHABLE and record_id in self._seqs:
                docs[record_id] = self._index_doc(record, self._seqs[record_id])
        return docs

    @_locked
    def add_entry(self, entry: Entry | None = None, **fields: Any) -> Entry:
        """Store a new entry (built from ``fields`` when no entry is given)."""
        if entry is None:
            try:
                entry = Entry(**fields)
            except ValueError as exc:
                raise _validation(exc) from None
        entry.updated = max(now(), entry.created)
        self._write([entry])
        return entry

    @_locked
    def add_record(self, record: R) -> R:
        """Store a new record of any kind (a check-in, a reflection...). A check-in with every
        question skipped is not stored (ValidationError)."""
        if isinstance(record, CheckIn) and record.skipped:
            raise ValidationError(SKIPPED_CHECKIN)
        if isinstance(record, Entry):
            record.updated = max(now(), record.created)
        self._write([record])
        return record

    @_locked
    def add_records(
        self, records: Sequence[Record], check: Callable[[], None] | None = None
    ) -> None:
        """Store several records (new or replacing ones with the same id) in one transaction.

        ``check`` runs inside the transaction, holding the write lock, after what other
        processes wrote was loaded: it may raise to store nothing (a share package imported
        by two processes at once is stored once).
        """

        def before(tx: WriteTransaction) -> list[Record]:
            del tx
            if check is not None:
                self.sync()
                check()
            return []

        self._write(records, before=before)

    @_locked
    def remove_records(self, kind: type[Record], ids: Sequence[str]) -> int:
        """Remove records of ``kind`` for good (a contact the user removed; entries go through
        the trash instead). Ids that are not records of that kind are left alone. Returns how
        many were removed."""
        if issubclass(kind, Entry) or kind in (Revision, AppState):
            raise ValueError("entries, revisions and the app state are not removed this way")
        wanted = set(ids)
        found = [r.id for r in self.records(kind) if r.id in wanted]
        if found:
            self._write(deletes=found)
        return len(found)

    @_locked
    def app_state(self) -> AppState:
        """The journal's app state (a fresh one if none was stored yet)."""
        states = self.records(AppState)
        return max(states, key=lambda s: self._seqs.get(s.id, 0)) if states else AppState()

    @_locked
    def save_app_state(self, state: AppState) -> None:
        self._write([state])

    @_locked
    def deid_names(self) -> list[str]:
        """The user's list of names for de-identification (encrypted in the app state)."""
        return list(self.app_state().deid_names)

    @_locked
    def set_deid_names(self, names: Iterable[str]) -> list[str]:
        """Replace the user's list of names (tidied: trimmed, no empties or repeats)."""
        from .deid import clean_names

        try:
            state = replace(self.app_state(), deid_names=list(clean_names(names)))
        except ValueError as exc:
            raise _validation(exc) from None
        self._write([state])
        return list(state.deid_names)

    def add_deid_names(self, names: Iterable[str]) -> list[str]:
        """Add names to the user's list ("Always treat X as a name"); returns the new list."""
        return self.set_deid_names([*self.deid_names(), *names])

    @_locked
    def checkins(self) -> list[CheckIn]:
        """Check-ins, newest first."""
        self.sync()
        cached = cast("list[CheckIn] | None", self._by_kind.get("checkins-sorted"))
        if cached is None:
            cached = self.records(CheckIn)
            cached.sort(key=lambda c: (c.created.timestamp(), c.id), reverse=True)
            self._by_kind["checkins-sorted"] = list(cached)
        return list(cached)

    @_locked
    def save_entry(self, entry: Entry, *, keep_revision: bool = True) -> Entry:
        """Store a changed entry. With ``keep_revision`` the stored version is kept as a revision;
        it is kept anyway when another process changed the entry since we read it."""
        entry.updated = now()
        known_seq = self._seqs.get(entry.id)

        def revision_of_stored(tx: WriteTransaction) -> list[Record]:
            current = tx.current(entry.id)
            if current is None:
                return []
            if not keep_revision and current[2] == known_seq:
                return []
            rows = self._store.records(ids=[entry.id])
            if not rows:
                return []
            try:
                plain = self.cipher.open(
                    rows[0].id, rows[0].kind, rows[0].schema_version, rows[0].seq, rows[0].blob
                )
                payload = codec.loads(plain)
            except (OpenError, codec.CodecError):
                return []  # a damaged stored version cannot be kept; verify reports it
            return [
                Revision(
                    target_id=entry.id,
                    target_kind=rows[0].kind,
                    target_schema=rows[0].schema_version,
                    payload_data=payload,
                )
            ]

        self._write([entry], before=revision_of_stored)
        return entry

    @_locked
    def edit_entry(self, id_or_prefix: str, **changes: Any) -> Entry:
        """Apply field changes to an entry and save it, keeping the old version as a revision."""
        entry = self.get_entry(id_or_prefix)
        try:
            updated = replace(entry, **changes)
        except (TypeError, ValueError) as exc:
            raise _validation(exc) from None
        return self.save_entry(updated)

    @_locked
    def delete_entry(self, id_or_prefix: str) -> Entry:
        """Move an entry to the trash (nothing is removed until the trash is emptied)."""
        entry = self.get_entry(id_or_prefix)
        if entry.in_trash:
            return entry
        trashed = replace(entry, trashed=now())
        self._write([trashed])
        return trashed

    @_locked
    def restore_entry(self, id_or_prefix: str) -> Entry:
        """Bring an entry back from the trash."""
        entry = self.get_entry(id_or_prefix)
        restored = replace(entry, trashed=None)
        self._write([restored])
        return restored

    @_locked
    def empty_trash(self) -> int:
        """Remove the entries in the trash, their revisions and attachments, and the attachments
        removed from entries, for good. Returns how many entries."""
        trashed = [e.id for e in self.entries(trash=True)]
        attachments = self._trashed_attachment_ids(set(trashed))
        if not trashed and not attachments:
            return 0
        targets = set(trashed)
        revisions = [r.id for r in self._all_revisions().values() if r.target_id in targets]
        self._write(deletes=[*trashed, *revisions, *attachments])
        return len(trashed)

    # ================================================================ revisions

    def _all_revisions(self) -> dict[str, Revision]:
        self.sync()
        if self._revisions is None:
            found: dict[str, Revision] = {}
            for row, record in self._decode_rows(self._store.records(["revision"])):
                if isinstance(record, Revision):
                    found[row.id] = record
            self._revisions = found
        return self._revisions

    @_locked
    def revisions(self, id_or_prefix: str) -> list[Revision]:
        """Earlier versions of a record, newest first."""
        record_id = self.resolve_id(id_or_prefix)
        items = [r for r in self._all_revisions().values() if r.target_id == record_id]
        items.sort(key=lambda r: r.saved, reverse=True)
        return items

    @_locked
    def restore_revision(self, revision_id: str) -> Entry:
        """Make an earlier version current again (the current one becomes a revision)."""
        revisions = self._all_revisions()
        matches = [r for r in revisions.values() if r.id.startswith(revision_id.lower())]
        if len(matches) != 1:
            raise NotFoundError("No such revision.") if not matches else AmbiguousIdError()
        old = matches[0].record()
        if not isinstance(old, Entry):
            raise NotFoundError("That revision is not of an entry.")
        current = self.get_entry(old.id)
        restored = replace(old, trashed=current.trashed)
        return self.save_entry(restored)

    # ================================================================ search

    @staticmethod
    def _index_doc(record: Record, seq: int | None = None) -> IndexDoc:
        if isinstance(record, Entry):
            return IndexDoc(
                id=record.id,
                seq=seq if seq is not None else 0,
                kind=record.KIND,
                created=record.created,
                title=record.title,
                body=record.body,
                tags=tuple(record.tags),
                emotions=tuple(e.name for e in record.emotions),
                encounter=record.encounter,
                starred=record.starred,
                trashed=record.in_trash,
            )
        raise TypeError("not a searchable record")

    def _searchable_kinds(self) -> list[str]:
        return [k for k, cls in RECORD_KINDS.items() if cls.SEARCHABLE]

    def _ensure_index(self) -> SearchIndex:
        """The search index, loaded from its sealed snapshot and brought up to date."""
        with self._lock:
            cipher = self.cipher
            if self._index is None:
                with self._store.reading() as rx:
                    blob = rx.get_meta(["search_index"]).get("search_index")
                    counter = rx.write_counter()
                index: SearchIndex | None = None
                if blob is not None:
                    try:
                        snapshot_seq, data = cipher.open_meta("search_index", blob)
                        # Sealed with the counter it was taken at: one from past the counter
                        # is not of this file's history.
                        if snapshot_seq <= counter:
                            index = SearchIndex.from_bytes(data)
                    except (OpenError, IndexFormatError):
                        index = None
                self._index = index or SearchIndex.new()
                self._index_counter = counter
                self._catch_up_index()
            else:
                counter = self._store.write_counter()
                if self._loaded and counter != self._known_counter:
                    self.sync()  # updates the index too
                elif counter != self._index_counter and (
                    not self._loaded or self._index_counter == -1  # a prefetched snapshot
                ):
                    self._catch_up_index()
                self._index_counter = counter
            return self._index

    def _catch_up_index(self, old_docs: dict[str, IndexDoc] | None = None) -> None:
        """Bring the index to the versions we know: the records in memory when they are
        loaded, else the store (decoding only what changed since the snapshot)."""
        assert self._index is not None
        indexed = self._index.state()
        rows: list[StoredRecord] = []
        if self._loaded:
            current = {i: self._seqs[i] for i, r in self._records.items() if r.SEARCHABLE}
            changed = [i for i, s in current.items() if indexed.get(i) != s]
        else:
            with self._store.reading() as rx:  # the list and the rows from one state
                current = {i: s for i, _k, _v, s in rx.id_seqs(self._searchable_kinds())}
                changed = [i for i, s in current.items() if indexed.get(i) != s]
                rows = rx.records(ids=changed) if changed else []
        removed = [i for i in indexed if i not in current]
        docs = []
        if changed:
            if self._loaded:
                docs = [self._index_doc(self._records[i], current[i]) for i in changed]
            else:
                for row, record in self._decode_rows(rows):
                    docs.append(self._index_doc(record, row.seq))
        if docs or removed:
            # A changed record's new version removes its old one exactly when the text is the
            # same (trashed, starred...): no tombstone is left for it.
            candidates = {d.id: d for d in docs}
            candidates.update(old_docs or {})
            self._index.update(docs, removed, candidates)

    @_locked
    def prepare_search(self) -> None:
        """Make search ready: load the sealed index and bring it up to date. Records are not
        decoded for this (search decodes only its hits); :meth:`sync` loads them all."""
        self._ensure_index()

    @_locked
    def search(
        self,
        query: str | Query,
        filters: SearchFilters | None = None,
        limit: int | None = 50,
        snippets: bool = True,
    ) -> list[tuple[SearchHit, Entry]]:
        """Ranked hits with their entries. Plain words are ANDed; quotes make a phrase.

        With ``snippets`` each hit gets the text around its best match (the app asks for them
        lazily, for the rows it paints, with :func:`search.make_snippet`).
        """
        parsed = parse_query(query) if isinstance(query, str) else query
        if self._loaded:
            self.sync()
        index = self._ensure_index()
        hits = index.search(parsed, filters or SearchFilters(), limit)
        if not hits:
            return []
        if self._loaded:
            found = {h.id: self._records.get(h.id) for h in hits}
        else:
            rows = self._store.records(ids=[h.id for h in hits])
            found = {row.id: record for row, record in self._decode_rows(rows)}
        out = []
        for hit in hits:
            record = found.get(hit.id)
            if isinstance(record, Entry):
                if snippets and parsed:
                    hit.snippet, hit.highlights = make_snippet(parsed, record.title, record.body)
                out.append((hit, record))
        if index.changes >= INDEX_SNAPSHOT_AFTER:
            # Another process may hold the lock: the snapshot is only a cache.
            with contextlib.suppress(JournalError):
                self.save_index_snapshot()
        return out

    @_locked
    def save_index_snapshot(self) -> None:
        """Seal the search index into the vault so the next unlock need not rebuild it."""
        if self._index is None:
            return
        if self._index.dead:
            # A tombstone keeps the words of a version that is gone (perhaps removed for good):
            # never seal one. Rebuilding needs the records (loaded here if only the index was).
            self.sync()
            self._rebuild_index()
        data = self._index.to_bytes()
        with self._store.write() as tx:
            seq = parse_counter(tx.get_meta("seq"))
            tx.set_meta("search_index", self.cipher.seal_meta("search_index", seq, data))
        self._index.changes = 0

    def _rebuild_index(self) -> None:
        """A fresh index from the records in memory (drops the tombstones and their words)."""
        fresh = SearchIndex.new()
        fresh.update(
            self._index_doc(r, self._seqs[r.id]) for r in self._records.values() if r.SEARCHABLE
        )
        if self._index is not None:
            self._index.close()
        self._index = fresh

    # ================================================================ integrity

    @_locked
    def verify(self) -> IntegrityReport:
        """Check the file, both copies of each key slot, the manifest and every record."""
        report = IntegrityReport()
        with self._store.reading() as rx:  # one state of the file, whoever writes meanwhile
            report.problems.extend(
                f"SQLite reports: {line}" for line in rx.sqlite_integrity()[:5]
            )
            report.problems.extend(self.slot_problems(rx))
            self._check_manifest(rx=rx)
            if self.manifest_problem:
                report.problems.append(self.manifest_problem)
            self._verify_rows(rx, report)
        return report

    def _verify_rows(self, rx: ReadTransaction, report: IntegrityReport) -> None:
        found: list[Record | _BlobSummary] = []
        for row in self._rows_to_verify(rx):
            report.records_checked += 1
            try:
                record = self._decode(row, trusted=False)
            except (OpenError, codec.CodecError):
                report.damaged_ids.append(row.id)
                report.problems.append(
                    f"Record {row.id} ({row.kind}) is damaged or was altered and cannot be opened."
                )
                continue
            if isinstance(record, AttachmentData):
                found.append(_BlobSummary.of(record))  # not the bytes: one image in memory
            elif isinstance(record, Attachment | Entry):
                found.append(record)
        for record_id, kind in sorted(self._store.unreadable.items()):
            report.damaged_ids.append(record_id)
            report.problems.append(
                f"Record {record_id} ({kind or 'kind unknown'}) cannot be read: its part of the"
                " journal's file is damaged."
            )
        if self._store.unidentified:
            report.problems.append(
                f"{self._store.unidentified} more record(s) cannot be read or even named: their"
                " part of the journal's file is damaged."
            )
        if self._store.unreadable or self._store.unidentified:
            report.problems.append(
                f"'{_SALVAGE}' copies everything that can still be read into a new journal."
            )
        report.problems.extend(_attachment_problems(found, set(report.damaged_ids)))

    # ================================================================ import/export support

    @_locked
    def all_records(self) -> list[Record]:
        """Every readable record, revisions included (for exports)."""
        self.sync()
        blobs = [record for _row, record in self._decode_rows(
            self._store.records(self._blob_kinds()))]
        return [*self._records.values(), *self._all_revisions().values(), *blobs]

    @_locked
    def import_records(
        self,
        records: Sequence[Record],
        progress: Callable[[int, int], None] | None = None,
        writing_only: bool = True,
    ) -> ImportResult:
        """Store imported records in one transaction, skipping duplicates: a record whose id is
        already here, or an entry with the same date and text as one already here. The
        attachments of a skipped entry are skipped with it. Counts leave out attachment images
        (an attachment and its image are one thing to the user).

        ``progress(done, total)`` is called every :data:`IMPORT_PROGRESS_EVERY` records while
        they are stored (storing costs about a millisecond a record), and once at the end. If it
        raises (the user cancelled), the transaction is rolled back: nothing is imported.

        An import brings the user's own writing only (``writing_only``; the demo journal, made
        by the app itself, is the one caller that stores more): see
        :mod:`journal_app.core.importable`.

        Raises:
            InvalidDataError: a record that is not writing, an attachment without its entry or
                its image, or an image that does not match its attachment. Nothing is written
                then.
        """
        if writing_only:
            from .importable import split

            _writing, refused = split(records)
            if refused:
                raise InvalidDataError("An import brings your own writing only; nothing was"
                                       " imported.")
        self.sync()
        existing_ids = set(self._store_ids())
        keys = {_entry_key(e) for e in self.records(Entry)}
        result = ImportResult()
        fresh: list[Record] = []
        skipped: set[str] = set()
        # Entries first, then attachments, then their images: each knows if its owner was kept.
        for record in sorted(records, key=_import_order):
            if record.id in existing_ids or _owner_id(record) in skipped:
                skipped.add(record.id)
                result.skipped_duplicates += not isinstance(record, AttachmentData)
                continue
            if isinstance(record, Entry):
                key = _entry_key(record)
                if key in keys:
                    skipped.add(record.id)
                    result.skipped_duplicates += 1
                    continue
                keys.add(key)
            existing_ids.add(record.id)
            fresh.append(record)
        _check_imported_attachments(
            fresh, {i for i, r in self._records.items() if isinstance(r, Entry)})
        if fresh:
            done, total = result.skipped_duplicates, len(records)

            def step() -> None:
                nonlocal done
                done += 1
                if progress is not None and done % IMPORT_PROGRESS_EVERY == 0:
                    progress(done, total)

            if progress is not None:
                progress(done, total)
            self._write(fresh, step=step)
        result.imported = sum(not isinstance(r, AttachmentData) for r in fresh)
        if progress is not None:
            progress(len(records), len(records))
        if self._index is not None and self._index.changes >= INDEX_SNAPSHOT_AFTER:
            self.save_index_snapshot()
        return result

    @_locked
    def import_duplicates(self, records: Sequence[Record]) -> list[bool]:
        """For each record, whether :meth:`import_records` would skip it as a duplicate (the
        import preview). Same rules, in the same order: keep the two in step."""
        self.sync()
        existing_ids = set(self._store_ids())
        keys = {_entry_key(e) for e in self.records(Entry)}
        flags: list[bool] = []
        for record in records:
            duplicate = record.id in existing_ids
            if not duplicate and isinstance(record, Entry):
                key = _entry_key(record)
                duplicate = key in keys
                keys.add(key)
            if not duplicate:
                existing_ids.add(record.id)
            flags.append(duplicate)
        return flags

    def _store_ids(self) -> list[str]:
        return [i for i, _k, _v, _s in self._store.id_seqs()]

    # ================================================================ attachments

    @_locked
    def add_attachment(
        self, entry_id: str, name: str, data: bytes, media_type: str | None = None
    ) -> Attachment:
        """Attach an image to a stored entry. Its type is read from its bytes (``media_type``,
        when given, must agree); the image and its description are written in one transaction.

        Raises:
            AttachmentRefusedError: empty, above the size limit, or not a kept image type.
            NotFoundError: no such entry (a new entry must be saved first).
        """
        entry = self.get_entry(entry_id)
        found = check_attachment(data, media_type)
        blob = AttachmentData(attachment_id=new_id(), data=bytes(data))
        attachment = Attachment(
            id=blob.attachment_id, entry_id=entry.id, data_id=blob.id,
            name=clean_name(name, found), media_type=found, size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
        )
        self._write([blob, attachment])
        return attachment

    @_locked
    def attachments(self, entry_id: str, *, trash: bool = False) -> list[Attachment]:
        """The attachments of an entry (by its full id), oldest first; with ``trash=True`` the
        ones removed from it. Nothing is decrypted for this."""
        items = [a for a in self.records(Attachment)
                 if a.entry_id == entry_id and a.in_trash == trash]
        items.sort(key=lambda a: (a.created.timestamp(), a.id))
        return items

    @_locked
    def removed_attachments(self) -> list[Attachment]:
        """Attachments removed from their entries (waiting in the trash), newest removal first."""
        items = [a for a in self.records(Attachment) if a.trashed is not None]
        items.sort(key=lambda a: (a.trashed.timestamp() if a.trashed else 0.0, a.id),
                   reverse=True)
        return items

    def get_attachment(self, id_or_prefix: str) -> Attachment:
        return self.get(id_or_prefix, Attachment)

    @_locked
    def attachment_data(self, id_or_prefix: str) -> bytes:
        """Decrypt the image of an attachment (the only way its bytes are read).

        Raises:
            VaultDamagedError: the image is missing, does not open, or does not match its
                recorded size and SHA-256 (altered or swapped).
        """
        attachment = self.get_attachment(id_or_prefix)
        rows = self._store.records(ids=[attachment.data_id])
        if not rows or rows[0].kind != AttachmentData.KIND:
            raise VaultDamagedError("The image of that attachment is missing from the journal.")
        try:
            record = self._decode(rows[0])
        except (OpenError, codec.CodecError):
            raise VaultDamagedError(
                "The image of that attachment is damaged or was altered and cannot be opened."
            ) from None
        if (
            not isinstance(record, AttachmentData)
            or record.attachment_id != attachment.id
            or len(record.data) != attachment.size
            or hashlib.sha256(record.data).hexdigest() != attachment.sha256
        ):
            raise VaultDamagedError(
                "The image of that attachment does not match its checksum: it was altered."
            )
        return record.data

    @_locked
    def remove_attachment(self, id_or_prefix: str) -> Attachment:
        """Move an attachment to the trash (it is removed for good when the trash is emptied)."""
        attachment = self.get_attachment(id_or_prefix)
        if attachment.in_trash:
            return attachment
        removed = replace(attachment, trashed=now())
        self._write([removed])
        return removed

    @_locked
    def restore_attachment(self, id_or_prefix: str) -> Attachment:
        """Put a removed attachment back with its entry."""
        attachment = self.get_attachment(id_or_prefix)
        restored = replace(attachment, trashed=None)
        self._write([restored])
        return restored

    def _trashed_attachment_ids(self, trashed_entries: set[str]) -> list[str]:
        """Attachments (and their images) that emptying the trash removes: those removed from
        their entries, and all of those whose entry is in the trash."""
        ids: list[str] = []
        for a in self.records(Attachment):
            if a.in_trash or a.entry_id in trashed_entries:
                ids.extend((a.id, a.data_id))
        return ids

    def _rows_to_verify(self, rx: ReadTransaction) -> Iterator[StoredRecord]:
        """Every stored row: the small ones together, the images one at a time (a journal of
        photos must not be read into memory whole to be checked)."""
        blob_kinds = set(self._blob_kinds())
        small: list[str] = []
        blobs: list[str] = []
        for record_id, kind, _v, _s in rx.id_seqs():
            (blobs if kind in blob_kinds else small).append(record_id)
        yield from rx.records(ids=small)
        for record_id in blobs:
            yield from rx.records(ids=[record_id])


class _OnFailure:
    """Undoes changes made in memory during a write transaction, if the transaction fails."""

    def __init__(self) -> None:
        self.actions: list[Callable[[], object]] = []

    def __enter__(self) -> _OnFailure:
        return self

    def __exit__(self, exc_type: object, *_exc: object) -> None:
        if exc_type is not None:
            for action in reversed(self.actions):
                action()


@dataclass(frozen=True)
class _BlobSummary:
    """What :meth:`Journal.verify` keeps of an attachment image: not its bytes."""

    id: str
    attachment_id: str
    size: int
    sha256: str

    @classmethod
    def of(cls, blob: AttachmentData) -> _BlobSummary:
        return cls(blob.id, blob.attachment_id, len(blob.data),
                   hashlib.sha256(blob.data).hexdigest())


def _attachment_problems(
    found: Sequence[Record | _BlobSummary], damaged: set[str]
) -> list[str]:
    """Attachments without their image or entry, images that do not match their attachment,
    and images that belong to no attachment. Damaged records were reported already."""
    entries = {r.id for r in found if isinstance(r, Entry)}
    blobs = {r.id: r for r in found if isinstance(r, _BlobSummary)}
    attachments = {r.id: r for r in found if isinstance(r, Attachment)}
    problems = []
    for a in attachments.values():
        blob = blobs.get(a.data_id)
        if blob is None:
            if a.data_id not in damaged:
                problems.append(f"The image of attachment {a.id} is missing.")
        elif (blob.attachment_id, blob.size, blob.sha256) != (a.id, a.size, a.sha256):
            problems.append(f"The image of attachment {a.id} does not match its checksum.")
        if a.entry_id not in entries and a.entry_id not in damaged:
            problems.append(f"Attachment {a.id} belongs to an entry that is missing.")
    for blob in blobs.values():
        owner = attachments.get(blob.attachment_id)
        if (owner is None or owner.data_id != blob.id) and blob.attachment_id not in damaged:
            problems.append(f"Record {blob.id} is an image that belongs to no attachment.")
    return problems


def _import_order(record: Record) -> int:
    return 2 if isinstance(record, AttachmentData) else 1 if isinstance(record, Attachment) else 0


def _owner_id(record: Record) -> str | None:
    if isinstance(record, Attachment):
        return record.entry_id
    if isinstance(record, AttachmentData):
        return record.attachment_id
    return None


def _check_imported_attachments(fresh: Sequence[Record], stored_entries: set[str]) -> None:
    """Refuse an import whose attachments would be broken: one without its entry (here or in
    the import) or without its image, or an image that does not match its attachment."""
    from .errors import InvalidDataError

    entries = stored_entries | {r.id for r in fresh if isinstance(r, Entry)}
    attachments = {r.id: r for r in fresh if isinstance(r, Attachment)}
    blobs = {r.id: r for r in fresh if isinstance(r, AttachmentData)}
    broken = InvalidDataError(
        "An attachment in the file does not match its image or its entry; nothing was imported."
    )
    for a in attachments.values():
        blob = blobs.get(a.data_id)
        if (a.entry_id not in entries or blob is None or blob.attachment_id != a.id
                or len(blob.data) != a.size
                or hashlib.sha256(blob.data).hexdigest() != a.sha256):
            raise broken
    for blob in blobs.values():
        owner = attachments.get(blob.attachment_id)
        if owner is None or owner.data_id != blob.id:
            raise broken


def _entry_key(entry: Entry) -> tuple[str, str, str]:
    return (entry.created.isoformat(timespec="seconds"), entry.title.strip(), entry.body.strip())


def _validation(exc: Exception) -> JournalError:
    from .errors import ValidationError

    text = str(exc)
    # Our own validation messages name the field and the allowed range, never the value.
    return ValidationError(text[:1].upper() + text[1:] + "." if text else None)

