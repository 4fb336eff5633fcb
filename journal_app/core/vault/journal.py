"""The journal service: the single door to a vault, used by the GUI and the command line alike.

It owns the store, the keys while unlocked, the decrypted records and the search index. Reads
check the store's write counter first and pick up what another process wrote; writes run in one
``BEGIN IMMEDIATE`` transaction that also updates the authenticated manifest
(:mod:`~journal_app.core.vault.manifest`: a missing or unreadable one makes the journal read-only
until the user accepts what is there, :meth:`Journal.repair_preview` and
:meth:`Journal.repair_manifest`).

The service is this class and its parts, each in its own module: :mod:`.manifest` (the sealed
list of records), :mod:`.keyslots` (unlocking and changing the passphrase), :mod:`.indexing`
(the search index kept up to date), :mod:`.revisions` (earlier versions of entries),
:mod:`.trash`, :mod:`.images` (attachments, and the one check of an image against its
attachment), :mod:`.importing` (imports, and the one duplicate rule) and :mod:`.integrity`
(verify). This class keeps the lock, the keys, the records in memory and the one write path;
``indexing`` reads the records it holds. No other module reaches inside it.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TypeVar

from journal_app.core.errors import (
    AmbiguousIdError,
    JournalError,
    ManifestDamagedError,
    NotFoundError,
    UsageError,
    ValidationError,
    VaultDamagedError,
    VaultLockedError,
    WrongPassphraseError,
)
from journal_app.core.records import codec
from journal_app.core.records.headers import (
    body_of,
    entry_from_header,
    forget_shared,
    has_header,
    header_bytes,
    held_value,
    is_light,
)
from journal_app.core.records.model import (
    RECORD_KINDS,
    SKIPPED_CHECKIN,
    AppState,
    Attachment,
    CheckIn,
    Emotion,
    Entry,
    Record,
    Reflection,
    Revision,
    decode_record,
    normalise_label,
    now,
)
from journal_app.core.vault import (
    images,
    importing,
    indexing,
    integrity,
    keyslots,
    manifest,
    revisions,
    trash,
)
from journal_app.core.vault.crypto import DEFAULT_KDF, KdfParams, OpenError, RecordCipher
from journal_app.core.vault.held import FollowerT, HeldRecords

# Returned by the service: importable here.
from journal_app.core.vault.importing import ImportResult as ImportResult
from journal_app.core.vault.indexing import SearchPage as SearchPage
from journal_app.core.vault.integrity import IntegrityReport as IntegrityReport
from journal_app.core.vault.manifest import MANIFEST_MISSING
from journal_app.core.vault.manifest import RepairPreview as RepairPreview
from journal_app.core.vault.quickopen import DerivedKey, Prefetched
from journal_app.core.vault.search import Query, SearchFilters, SearchHit
from journal_app.core.vault.search import parse_query as parse_query
from journal_app.core.vault.store import (
    InThread,
    ReadTransaction,
    Store,
    StoredRecord,
    WriteTransaction,
    parse_counter,
)

T = TypeVar("T", bound=Record)
R = TypeVar("R", bound=Record)
E = TypeVar("E", bound=Entry)
F = TypeVar("F", bound=Callable[..., Any])
D = TypeVar("D", Entry, CheckIn)  # records with a creation time, sorted newest first
#: ``progress(done, total)`` of a long write (an import, a key rotation).
Progress = Callable[[int, int], None]


def _locked(method: F) -> F:
    """Run a public method under the journal's lock: the app calls the service from its UI
    thread and from one worker thread (saves, key derivation), never at the same time."""

    @functools.wraps(method)
    def wrapper(self: Journal, *args: Any, **kwargs: Any) -> Any:
        with self._lock:
            return method(self, *args, **kwargs)

    return wrapper  # type: ignore[return-value]

MIN_ID_PREFIX = 6
#: The sealed word counts' meta key (:data:`.wordcounts.META_KEY`; that module is the trends').
WORD_COUNTS = "word_counts"
#: An entry held from its header whose body was asked for after it was changed elsewhere.
STALE_ENTRY = "That entry was changed or removed since it was read; open it again."
DAMAGED_RECORD = "That record is damaged and cannot be opened."
#: Rows read and decoded at a time when the records are loaded (see :meth:`Journal.sync`).
SYNC_ROWS = 5000
#: Bodies read at a time for the words' count, none kept (:meth:`Journal._entry_texts`):
#: 5,000 at a time took 25 MB more at the first trends' peak (100,000 entries), 1,000 5 MB.
TEXT_ROWS = 1000
#: Search ranks its hits by relevance when at most this many entries match; more are listed
#: newest first.
RANK_UP_TO = 1000


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
        #: The records held decrypted, and the lists derived from them.
        self.held = HeldRecords()
        self._history = revisions.History(self)
        self._search = indexing.IndexKeeper(self)
        self.damaged: dict[str, str] = {}
        self.manifest_problem: str | None = None
        #: The manifest is missing or unreadable: writes are refused until it is repaired.
        self.read_only = False
        #: ``(write counter, every row's (id, kind, schema version, seq))`` as the manifest
        #: check at unlock listed them, for the first load (used once, at that counter only).
        self._listing: tuple[int, list[tuple[str, str, int, int]]] | None = None
        #: The rows the first load needs, read beside the key derivation (:meth:`unlock`):
        #: used once, at their counter only.
        self._ahead: _Ahead | None = None

    # ================================================================ lifecycle

    @property
    def data_dir(self) -> Path:
        return self._store.data_dir

    @property
    def store(self) -> Store:
        """The vault's file, for the service's parts and for readers that must see each row as
        it is stored (salvage); everything else goes through the methods here."""
        return self._store

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
        meta, cipher, recovery_key = keyslots.new_vault_meta(passphrase, kdf)
        journal = cls(Store.create(Path(data_dir), meta))
        journal._cipher = cipher
        journal.held.counter = 0
        journal.held.loaded = True
        return journal, recovery_key

    @classmethod
    def open(cls, data_dir: Path) -> Journal:
        """Open the vault in ``data_dir``, locked."""
        return cls(Store.open(Path(data_dir)))

    @property
    def is_unlocked(self) -> bool:
        return self._cipher is not None

    def slot_problems(self, rx: ReadTransaction | None = None) -> list[str]:
        """Key-slot copies that are damaged (the other copy may still work)."""
        return keyslots.slot_problems(self._store, rx)

    def kdf_params(self) -> KdfParams:
        kdf = keyslots.read_slot(self._store, "passphrase").kdf
        assert kdf is not None
        return kdf

    def unlock(self, passphrase: str, derived: DerivedKey | None = None,
               read_ahead: bool = False) -> None:
        """Unlock with the passphrase (``derived``: see :func:`keyslots.passphrase_data_key`).
        ``read_ahead``: the caller loads the records next (:meth:`sync`; the app does), so the
        rows it needs are read in a thread beside the key derivation.
        Raises WrongPassphraseError when the slot is intact and the passphrase does not open it,
        VaultDamagedError when the slot or file is damaged."""
        # The rows an unlock lists and loads, read while the key is derived (Argon2id runs
        # without Python's interpreter lock: the two overlap on two cores; 0.1 s of an unlock
        # at 100,000 entries). No key is needed to read them and none is used: they are used
        # only once the manifest check under the key found the rows at the same write
        # counter, and the first load only at that counter. A failure of any kind there is
        # dropped: the unlock then reads the usual way, careful reading of a damaged file
        # included.
        ahead = (InThread(functools.partial(_read_ahead, self._store), "journal-app read ahead")
                 if read_ahead and derived is None else None)
        data_key, prefetched = keyslots.passphrase_data_key(
            self._store, self.vault_id, passphrase, derived)
        if data_key is None:
            raise WrongPassphraseError()
        read: _Ahead | None = None
        if ahead is not None:
            with contextlib.suppress(Exception):  # see above: the usual way meets it
                read = ahead.result()
        if read is not None and prefetched is None:
            # The manifest is checked over the rows listed ahead, when nothing was written
            # since (the check compares the counters).
            count, digest = RecordCipher(data_key, self.vault_id).manifest_digest(read.listing)
            prefetched = Prefetched(read.counter, count, digest)
        self.unlock_with_key(data_key, prefetched)
        if read is not None:
            self._listing = (read.counter, read.listing)
            self._ahead = read

    def check_passphrase(self, passphrase: str) -> None:
        """Raise WrongPassphraseError unless ``passphrase`` opens the passphrase slot."""
        if keyslots.passphrase_data_key(self._store, self.vault_id, passphrase)[0] is None:
            # Asked while unlocked (before a change of passphrase): a mistyped current one.
            raise WrongPassphraseError("That is not the journal's current passphrase.")

    def data_key_from_recovery(self, recovery_key_text: str) -> bytes:
        """The data key the recovery key opens (nothing is unlocked): a recovery key checked
        before a new passphrase is asked for. Raises: see :func:`keyslots.recovery_data_key`."""
        return keyslots.recovery_data_key(self._store, self.vault_id, recovery_key_text)

    def recover(
        self, recovery_key_text: str, new_passphrase: str, kdf: KdfParams | None = None
    ) -> None:
        """Unlock with the recovery key and set a new passphrase (the recovery key stays valid),
        under ``kdf`` (default :data:`DEFAULT_KDF`)."""
        self.unlock_with_key(self.data_key_from_recovery(recovery_key_text))
        # Not the settings of the old passphrase slot: nothing vouches for them (someone may
        # have rewritten that slot, with its checksum, to cheap or ruinous settings).
        self.change_passphrase(new_passphrase, kdf or DEFAULT_KDF)

    def unlock_with_key(self, data_key: bytes, prefetched: Prefetched | None = None) -> None:
        """Unlock with the data key itself, held by a caller that opened this vault before (a
        backup being checked with its journal's key); the manifest is checked as on any unlock.
        ``prefetched`` is what a quick unlock read beside the key derivation."""
        with self._lock:
            self._reset_state()
            self._cipher = RecordCipher(data_key, self.vault_id)
            self._check_manifest(prefetched)
            if prefetched is not None and prefetched.index is not None:
                # Decrypted with this key, so it is this vault's; it catches up on first use,
                # from the rows read with it when the file has not changed since.
                self._search.index = prefetched.index
                self._search.prefetched = (prefetched.counter, prefetched.rows)

    def lock(self) -> None:
        """Save the index snapshot if it is stale, then drop every key and decrypted object."""
        with self._lock:
            if self._cipher is not None:
                # Only a cache: if it cannot be saved it is rebuilt on the next unlock.
                with contextlib.suppress(JournalError):
                    self._search.save_at_lock()
            self._search.close()
            self._store.close_point()
            self._cipher = None
            self._reset_state()
            forget_shared()

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
        params = keyslots.new_slot_kdf(self._store, new_passphrase, kdf)
        keyslots.write_passphrase_slot(self._store, self.vault_id, self.cipher.data_key,
                                       new_passphrase, params)

    @_locked
    def new_recovery_key(self, passphrase: str, progress: Progress | None = None) -> str:
        """A new recovery key (returned, to show once) under a new data key (:meth:`rotate_key`):
        the old one stops working. ``passphrase``, the current one, is checked
        (WrongPassphraseError) and goes on working."""
        self.cipher  # noqa: B018 - raises VaultLockedError when locked
        self.check_passphrase(passphrase)
        return self.rotate_key(passphrase, progress=progress)

    @_locked
    def rotate_key(self, passphrase: str, kdf: KdfParams | None = None,
                   progress: Progress | None = None) -> str:
        """Re-encrypt everything under a fresh data key, with new key slots (``passphrase``, the
        current one or a new one, and a new recovery key, returned to show once), in one
        transaction: secrets that opened the journal before open none of it after, even with
        key slots kept in an old backup. What it checks and raises, and ``progress``: see
        :func:`~journal_app.core.vault.rotation.rotate`."""
        from journal_app.core.vault.rotation import rotate

        params = keyslots.new_slot_kdf(self._store, passphrase, kdf)
        rotated = rotate(self._store, self.cipher, self.vault_id, passphrase, params, progress)
        self._cipher = rotated.cipher
        self.manifest_problem = None  # checked under the old key inside the rotation
        if self.held.loaded and rotated.counter_before == self.held.counter:
            # What we hold is still current: same records, same write sequences (a reload of
            # a large journal would stall the app for seconds).
            self.held.counter = rotated.counter
            if self._search.counter == rotated.counter_before:
                self._search.counter = rotated.counter
        else:
            self._search.close()
            self._reset_state()
        return rotated.recovery_key

    # ================================================================ manifest

    def _check_manifest(
        self, prefetched: Prefetched | None = None, rx: ReadTransaction | None = None
    ) -> None:
        """Compare the manifest with the write counter and the rows, in one read transaction
        (``rx``, or one of its own), and note what was found (:func:`manifest.check`)."""
        with contextlib.ExitStack() as stack:
            rx = rx or stack.enter_context(self._store.reading())
            found = manifest.check(self.cipher, self._store, rx, prefetched)
            if not self.held.loaded and rx.listing is not None:
                self._listing = (rx.write_counter(), rx.listing)
        self.manifest_problem, self.read_only = found.problem, found.read_only

    @_locked
    def repair_preview(self) -> RepairPreview:
        """What :meth:`repair_manifest` would accept as true: the records in the file now."""
        with self._store.reading() as rx:
            self._check_manifest(rx=rx)
            return manifest.preview(self.cipher, rx, self.manifest_problem)

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
        manifest.repair(self.cipher, self._store, preview)
        self.manifest_problem = None
        self.read_only = False

    def unreadable_count(self, check: bool = False) -> int:
        """How many records the file holds on pages that cannot be read (0 when it is sound):
        known after a read of the records, or with ``check`` after a read of every page of the
        records (no blob is decrypted for it)."""
        if check:
            self._store.id_seqs(every_page=True)
        return len(self._store.unreadable) + self._store.unidentified

    def unreadable_records(self) -> dict[str, str]:
        """``id -> kind`` of the records on damaged pages ("" when the kind is not known)."""
        return dict(self._store.unreadable)

    # ================================================================ reading

    def decode_row(self, row: StoredRecord, trusted: bool = True) -> Record:
        """The record in a stored row, opened under this journal's key (``trusted=False``: read
        to be checked, decoded with every check). Raises OpenError or CodecError."""
        plain = self.cipher.open(row.id, row.kind, row.schema_version, row.seq, row.blob)
        return decode_record(
            row.kind, row.schema_version, row.id, codec.loads(plain), trusted=trusted
        )

    def decode_rows(self, rows: Iterable[StoredRecord]) -> Iterator[tuple[StoredRecord, Record]]:
        """The rows that open, with their records; the others are noted in :attr:`damaged`."""
        for row in rows:
            try:
                yield row, self.decode_row(row)
            except (OpenError, codec.CodecError):
                self.damaged[row.id] = row.kind

    def _load_heads(self, rx: ReadTransaction, rows: Sequence[StoredRecord],
                    unsealed: list[tuple[str, int, Entry]]) -> None:
        """Hold the records of ``rows`` (as :meth:`ReadTransaction.heads` gives them) as
        loading needs them: an entry from its sealed header (its body is read when first
        used), any other record whole. A header that does not open (altered, moved from
        another row, or put back from an older version) makes its record damaged, as a blob
        that does not open does. Entries still without a header (a vault from before headers)
        are decoded whole and added to ``unsealed``."""
        whole: list[StoredRecord] = []
        again: list[str] = []  # a header of an older schema version: the row read whole
        load = self._whole_entry  # one bound method, shared by every entry held
        open_header = self.cipher.open_header
        got: list[tuple[str, Record, int]] = []
        for row in rows:
            record_id, kind, version, seq, _blob, header = row
            if header is None:
                whole.append(row)
                continue
            if not has_header(kind, version):
                again.append(record_id)
                continue
            try:
                data = open_header(record_id, kind, version, seq, header)
                got.append((record_id, entry_from_header(kind, record_id, data, load, seq), seq))
            except (OpenError, codec.CodecError):
                self.damaged[record_id] = kind
        self.held.hold_all(got)
        if self.damaged:
            for record_id, _entry, _seq in got:
                self.damaged.pop(record_id, None)
        if again:
            whole += rx.records(ids=again)
        for row, record in self.decode_rows(whole):
            self.held.hold(record, row.seq, row.id)
            self.damaged.pop(row.id, None)
            if isinstance(record, Entry) and has_header(row.kind, row.schema_version):
                unsealed.append((row.id, row.seq, record))

    def _whole_entry(self, record_id: str, seq: int) -> Entry:
        """The whole entry ``record_id`` as written at ``seq``: the body of an entry held from
        its header, read when first used.

        Raises:
            VaultLockedError: the journal was locked since.
            NotFoundError: it was changed or removed since it was read.
            VaultDamagedError: its row does not open.
        """
        with self._lock:
            cipher = self.cipher
            row = self._store.record(record_id)
            if row is None or row.seq != seq:
                if record_id in self._store.unreadable:
                    self.damaged[record_id] = self._store.unreadable[record_id] or "entry"
                    raise VaultDamagedError(DAMAGED_RECORD)
                raise NotFoundError(STALE_ENTRY)
            try:
                plain = cipher.open(row.id, row.kind, row.schema_version, row.seq, row.blob)
                record = decode_record(row.kind, row.schema_version, row.id,
                                       codec.loads(plain), trusted=True)
            except (OpenError, codec.CodecError):
                record = None
            if not isinstance(record, Entry) or row.kind != record.KIND:
                # Its header opened, its body does not: from now on it is damaged, as it
                # would have been found at unlock when every body was read then.
                self.damaged[record_id] = row.kind
                if self.held.seqs.get(record_id) == seq:
                    self.held.drop([record_id])
                    self.held.changed()
                raise VaultDamagedError(DAMAGED_RECORD)
            return record

    @_locked
    def whole_entries(self, entries: Iterable[E], skip_damaged: bool = False) -> list[E]:
        """``entries`` each with its body (and a reflection's answers): those held from their
        list headers read from the vault in one pass, as new objects (the ones held stay
        without their bodies, so that memory does not grow with every export). For whatever
        reads many bodies (exports, a command printing entries after the journal is locked).
        ``skip_damaged``: one whose body does not open is left out (and noted as damaged, as
        it would have been at unlock when every body was read then) instead of raising.

        Raises:
            NotFoundError: one was changed or removed since it was read.
            VaultDamagedError: one does not open (it is noted as damaged).
        """
        given = list(entries)
        pending = {e.id: e for e in given if is_light(e)}
        if not pending:
            return given
        whole: dict[str, Entry] = {}
        ids = list(pending)
        with self._store.reading() as rx:
            for start in range(0, len(ids), SYNC_ROWS):
                for row in rx.records(ids=ids[start : start + SYNC_ROWS]):
                    try:
                        record = self.decode_row(row)
                    except (OpenError, codec.CodecError):
                        continue
                    if isinstance(record, Entry) and row.seq == _header_seq(pending[row.id]):
                        whole[row.id] = record
        skipped: set[str] = set()
        for record_id, entry in pending.items():
            if record_id not in whole:
                # The one-at-a-time read says which: changed since, or damaged (noted).
                try:
                    self._whole_entry(record_id, _header_seq(entry))
                except VaultDamagedError:
                    if not skip_damaged:
                        raise
                    skipped.add(record_id)
        return [whole.get(e.id, e) for e in given  # type: ignore[misc]
                if e.id not in skipped]

    def _entry_texts(self, entries: Sequence[Entry]) -> Iterator[tuple[Entry, str]]:
        """Each of ``entries`` with its body, read a few thousand at a time and kept by none
        (what counts the words of every entry needs: the whole records are not built). One
        changed or removed since it was read, or whose body does not open, is read alone
        (:func:`~journal_app.core.records.headers.body_of`, which raises as a body read
        does); one found damaged then is left out (noted, and no longer held), as it would
        have been at unlock. Iterate it holding the journal's lock."""
        for start in range(0, len(entries), TEXT_ROWS):
            chunk = {e.id: e for e in entries[start : start + TEXT_ROWS]}
            pending = {i: e for i, e in chunk.items() if is_light(e)}
            found: dict[str, str] = {}
            with self._store.reading() as rx, _no_cyclic_gc():
                for row in rx.records(ids=list(pending)) if pending else []:
                    entry = pending[row.id]
                    if row.seq != _header_seq(entry) or row.kind != entry.KIND:
                        continue
                    with contextlib.suppress(OpenError, codec.CodecError):
                        plain = self.cipher.open(row.id, row.kind, row.schema_version,
                                                 row.seq, row.blob)
                        payload = codec.loads(plain)
                        body = payload.get("body") if type(payload) is dict else None
                        if type(body) is str:
                            found[row.id] = body
            for record_id, entry in chunk.items():
                text = found.get(record_id)
                if text is None:
                    try:
                        text = body_of(entry)
                    except VaultDamagedError:
                        continue
                yield entry, text

    def _seal_headers(self, unsealed: list[tuple[str, int, Entry]]) -> None:
        """Seal the headers of entries written before headers existed (the first unlock after
        the vault was brought up to date), so that the next unlock reads headers only. Each is
        bound to its row's write sequence and stored only while the row is at it: nothing
        else changes, the manifest neither. Only a speed-up: when it cannot be done now (the
        vault busy or read-only), the next unlock tries again."""
        if not unsealed or self.read_only:
            return
        cipher = self.cipher
        sealed = [(rid, seq, cipher.seal_header(rid, record.KIND, record.SCHEMA_VERSION, seq,
                                                header_bytes(record)))
                  for rid, seq, record in unsealed]
        with contextlib.suppress(JournalError), self._store.write() as tx:
            for start in range(0, len(sealed), SYNC_ROWS):
                tx.set_headers(sealed[start : start + SYNC_ROWS])

    @_locked
    def sync(self) -> bool:
        """Load the records, or pick up what another process wrote. True if anything changed."""
        with self._lock:
            self.cipher  # noqa: B018 - raises VaultLockedError when locked
            first_load = not self.held.loaded
            if not first_load and self._store.counter_now() == self.held.counter:
                # Nothing written since (read on the kept connection: every list the app
                # asks for checks this first: 0.02 ms against 0.28 ms with a connection of its own).
                return False
            lost_before = len(self._store.unreadable)
            # Loading reads no page of the table, where the sealed blobs are (the headers come
            # from their index): the walk meets a damaged page there, beside the loading.
            walk = self._store.walk_pages() if first_load else None
            # The counter, the list of rows and the rows themselves from one state of the file.
            with self._store.reading() as rx:
                counter = rx.write_counter()
                if self.held.loaded and counter == self.held.counter:
                    return False
                listed, self._listing = self._listing, None
                if listed is not None and listed[0] == counter and first_load:
                    # Listed by the manifest check at unlock, with nothing written since.
                    eager = set(_eager_kinds())
                    current = {i: s for i, k, _v, s in listed[1] if k in eager}
                else:
                    current = {i: s for i, _k, _v, s in rx.id_seqs(_eager_kinds())}
                del listed
                changed = [i for i, s in current.items() if self.held.seqs.get(i) != s]
                removed = [i for i in self.held.records if i not in current]
                old_docs = self._search.versions([*changed, *removed])
                self.held.changed()
                self.held.drop(removed)
                # A few thousand rows at a time: the sealed rows of 100,000 entries are 380 MB,
                # and holding them all while they are decoded doubled the peak memory. Entries
                # come from their list headers: no body is read (issue 18).
                unsealed: list[tuple[str, int, Entry]] = []
                ahead, self._ahead = self._ahead, None
                with _no_cyclic_gc():
                    if first_load and ahead is not None and ahead.counter == counter:
                        # Read beside the key derivation, at this very counter: every row
                        # listed above, and no other.
                        rows = ahead.heads
                        del ahead
                        # Each part freed once held (at 100,000 entries the rows are 45 MB).
                        rows.reverse()
                        while rows:
                            part = rows[-SYNC_ROWS:]
                            del rows[-SYNC_ROWS:]
                            part.reverse()
                            self._load_heads(rx, part, unsealed)
                            del part
                    else:
                        for start in range(0, len(changed), SYNC_ROWS):
                            self._load_heads(
                                rx, rx.heads(changed[start : start + SYNC_ROWS]), unsealed)
            if walk is not None and walk.result():
                # Which rows the damage costs: those are not held, as if never read.
                readable = self._store.readable_ids()
                self.held.drop([i for i in self.held.records if i not in readable])
                unsealed = [u for u in unsealed if u[0] in readable]
            self.damaged.update(  # rows on damaged pages of the file
                (i, k or "record") for i, k in self._store.unreadable.items()
                if i not in self.held.records)
            self._history.cache = None
            self.held.loaded = True
            if self._search.index is not None:
                # The records held are now those of `counter` (held.counter follows below).
                self._search.catch_up(old_docs, counter)
            self.held.counter = counter
            # The manifest was checked at unlock; check it again only after outside writes (or
            # while read-only: another program may have repaired it).
            # ...and when loading met damaged pages the listing did not (it reads an index,
            # not the rows' pages): the manifest check then says how many records are lost.
            if (self.read_only or (not first_load and (changed or removed))
                    or len(self._store.unreadable) > lost_before):
                self._check_manifest()
            self._seal_headers(unsealed)
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
        record = self.held.records.get(record_id)
        if record is None:
            if record_id in self.damaged:
                raise VaultDamagedError(DAMAGED_RECORD)
            raise NotFoundError()
        if not isinstance(record, kind):
            raise NotFoundError(f"That id is not a {kind.KIND}.")
        return record

    def get_entry(self, id_or_prefix: str) -> Entry:
        return self.get(id_or_prefix, Entry)

    def _view(self, key: object, build: Callable[[], list[Any]],
              kinds: tuple[type[Record], ...]) -> list[Any]:
        """A fresh copy of a list derived from the records of ``kinds`` held, built once per
        change of one of them."""
        self.sync()
        with _no_cyclic_gc():  # a list of every entry, sorted (see _no_cyclic_gc)
            return self.held.view(key, build, kinds)

    @_locked
    def derived(self, key: object, build: Callable[[Iterable[Record]], FollowerT]) -> FollowerT:
        """What ``build`` makes of the records (the trends' per-day totals), built on first use
        and then kept up to date by every write, outside write, trash, restore or import, until
        the journal is locked (:meth:`HeldRecords.follower`). Use it holding the journal (its
        lock is re-entrant): ``with journal.holding(): ...``."""
        self.sync()
        return self.held.follower(key, build)

    @_locked
    def entry_words(self) -> dict[str, int]:
        """The words of every entry held (trash included), by id: from the sealed counts
        (:mod:`.wordcounts`) where they were counted at the entry's stored version, else counted
        now; the counts are sealed again when any was missing or stale."""
        from journal_app.core.vault import wordcounts  # the trends' alone

        self.sync()
        stored = wordcounts.load(self._store, self.cipher)
        seqs = self.held.seqs
        words: dict[str, int] = {}
        uncounted: list[Entry] = []
        for record_id, record in self.held.records.items():
            if isinstance(record, Entry):
                known = stored.get(record_id)
                if known is not None and known[0] == seqs[record_id]:
                    words[record_id] = known[1]
                else:
                    uncounted.append(record)
        # The counts sealed are those of the entries held, no more, no fewer: nothing to seal.
        current = not uncounted and len(words) == len(stored)
        del stored  # the counts of 100,000 entries: 20 MB while the bodies are read
        # The bodies not counted yet (all of them the first time), read a thousand at a time
        # and dropped once counted: read one by one, each stayed on its held entry (at
        # 100,000 entries, 140 MB more).
        for entry, text in self._entry_texts(uncounted):
            words[entry.id] = wordcounts.count_words(entry, text)
        if not current and not self.read_only:
            # Only a cache: if it cannot be sealed now, the words are counted again next time.
            with contextlib.suppress(JournalError):
                wordcounts.save(self._store, self.cipher,
                                ((i, seqs[i], n) for i, n in words.items()))
        return words

    @contextlib.contextmanager
    def holding(self) -> Iterator[None]:
        """Hold the journal's lock: no write (from another thread) changes what is read."""
        with self._lock:
            yield

    @_locked
    def records(self, kind: type[T]) -> list[T]:
        return self._view(kind, lambda: self.held.of_kind(kind), (kind,))

    @_locked
    def entries(self, *, trash: bool = False) -> list[Entry]:
        """Entries newest first: those in the journal, or with ``trash=True`` those in the trash.
        Each is held from its list header: its body is read when first used (for many at once,
        :meth:`whole_entries`)."""
        return self._view(("entries", trash), lambda: _newest_first(
            e for e in self.held.records.values()
            if isinstance(e, Entry) and (e.trashed is not None) == trash), (Entry,))

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
                found = manifest.read_manifest(cipher, tx.get_meta("manifest"))
                if found is None:
                    # Never rebuilt from whatever rows are there: that would accept a removal
                    # or a rollback as true. The user repairs it knowingly (verify --repair).
                    self.manifest_problem = MANIFEST_MISSING
                    self.read_only = True
                    raise ManifestDamagedError()
                extra = before(tx) if before is not None else []
                # The versions replaced, while their rows are still there to read a body held
                # only as a header from (the index removes exactly what it indexed).
                old_docs = self._search.versions(
                    [r.id for r in [*extra, *puts]] + list(deletes))
                purged_index = self._search.purged(tx, deletes, on_failure.actions)
                all_puts = [*extra, *puts]
                seq = manifest.store_rows(tx, cipher, found, all_puts, deletes, step)
                if deletes:
                    # Removed for good: no count of theirs stays behind (recounted when asked).
                    tx.delete_meta(WORD_COUNTS)
                sealed = None
                if purged_index is not None:
                    # In the same transaction: the words leave every sealed blob at once
                    # (the segments that held them are sealed again, the others kept).
                    sealed = self._search.seal_into(tx, purged_index, seq, None)
            if deletes:
                # Removed for good: no older WAL frame may keep the rows (secure_delete zeroed
                # them in the pages). Another reader can hold frames back; they go with it.
                self._store.checkpoint()
            if purged_index is not None and sealed is not None:
                self._search.adopt_purged(purged_index, sealed, seq)
            # Committed: update what we hold in memory (and the lists of those kinds, old and
            # new).
            held = self.held.records
            self.held.changed([*all_puts, *(held[i] for i in [*(r.id for r in all_puts),
                                                              *deletes] if i in held)])
            in_sync = self.held.loaded and counter_before == self.held.counter
            self._history.written(all_puts, deletes)
            for record in all_puts:
                if self.held.loaded and record.EAGER and not isinstance(record, Revision):
                    self.held.hold(record, seq)  # not revisions, not attachment images
            self.held.drop(deletes)
            self._search.written(all_puts, deletes, seq, old_docs)
            if in_sync:
                self.held.counter = seq

    @_locked
    def sealed_blob(self, name: str) -> bytes | None:
        """The vault-level blob ``name`` written by :meth:`write_with_blob` (None: there is
        none).

        Raises:
            VaultDamagedError: it does not open under this journal's key.
        """
        _check_blob_name(name)
        blob = self._store.get_meta([name]).get(name)
        if blob is None:
            return None
        try:
            return self.cipher.open_meta(name, blob)[1]
        except OpenError:
            raise VaultDamagedError("Part of the journal is damaged or was altered.") from None

    @_locked
    def write_with_blob(self, puts: Sequence[Record], deletes: Sequence[str], name: str,
                        build: Callable[[int], bytes | None]) -> None:
        """Store ``puts``, remove ``deletes`` and seal ``build(seq)`` as the vault-level blob
        ``name`` (None removes it), in one write transaction: the sync state and the changes it
        accounts for are written together or not at all. ``build`` runs inside the transaction,
        holding the write lock, and is given the write sequence this write takes; if it raises,
        nothing is written."""
        _check_blob_name(name)

        def before(tx: WriteTransaction) -> list[Record]:
            seq = parse_counter(tx.get_meta("seq")) + 1  # the one manifest.store_rows takes
            data = build(seq)
            if data is None:
                tx.delete_meta(name)
            else:
                tx.set_meta(name, self.cipher.seal_meta(name, seq, data))
            return []

        self._write(puts, deletes, before=before)

    def write_counter(self) -> int:
        """The vault's write sequence now (each write takes the next one)."""
        return self._store.write_counter()

    @_locked
    def add_entry(self, entry: Entry | None = None, **fields: Any) -> Entry:
        """Store a new entry (built from ``fields`` when no entry is given)."""
        if entry is None:
            try:
                entry = Entry(**fields)
            except ValueError as exc:
                raise _validation(exc) from None
        entry = replace(entry, updated=max(now(), entry.created))
        self._write([entry])
        return entry

    @_locked
    def add_record(self, record: R) -> R:
        """Store a new record of any kind (a check-in, a reflection...); returns it as stored
        (an entry's ``updated`` is set). A check-in with every question skipped is not stored
        (ValidationError)."""
        if isinstance(record, CheckIn) and record.skipped:
            raise ValidationError(SKIPPED_CHECKIN)
        if isinstance(record, Entry):
            record = replace(record, updated=max(now(), record.created))
        self._write([record])
        return record

    @_locked
    def add_records(
        self, records: Sequence[Record], check: Callable[[], None] | None = None,
        step: Callable[[], None] | None = None,
    ) -> None:
        """Store several records (new or replacing ones with the same id) in one transaction.

        ``check`` runs inside the transaction, holding the write lock, after what other
        processes wrote was loaded: it may raise to store nothing (a share package imported
        by two processes at once is stored once). ``step`` is called after each record is
        stored (the progress of an import); if it raises, nothing is stored.
        """

        def before(tx: WriteTransaction) -> list[Record]:
            del tx
            if check is not None:
                self.sync()
                check()
            return []

        self._write(records, before=before, step=step)

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
        """The journal's app state (a fresh one if none was stored yet). It is frozen: change
        it with :meth:`update_app_state`."""
        if not self.held.loaded:
            # Nothing decoded yet (a command: `add --emotion` reads the user's own words): the
            # app state alone, not every record of the journal (0.4 s at 10,000 entries). Its
            # row is authenticated like any other, and the manifest was checked at unlock.
            with self._store.reading() as rx:
                rows = rx.records(kinds=[AppState.KIND])
            stored = [(row.seq, record) for row, record in self.decode_rows(rows)
                      if isinstance(record, AppState)]
            return max(stored, key=lambda pair: pair[0])[1] if stored else AppState()
        states = self.records(AppState)
        return max(states, key=lambda s: self.held.seqs.get(s.id, 0)) if states else AppState()

    @_locked
    def update_app_state(self, change: Callable[[AppState], AppState]) -> AppState:
        """Apply ``change`` to the stored app state and store what it returns, in one write
        transaction: ``change`` runs holding the write lock, on the state as stored then (what
        another process wrote is loaded first), so the app and a command never overwrite each
        other's change. Returns the state stored.

        If ``change`` raises, or the write fails, nothing is stored and the state held here is
        what is on disk. ``change`` may run again on a later call; it must not do anything but
        build the new state (``dataclasses.replace``).

        Raises:
            ValidationError: the new state is out of range (``change`` raised ValueError).
        """
        stored: list[AppState] = []

        def apply(tx: WriteTransaction) -> list[Record]:
            del tx
            self.sync()  # we hold the write lock: nothing more can come
            try:
                state = change(self.app_state())
            except ValueError as exc:
                raise _validation(exc) from None
            stored.append(state)
            return [state]

        self._write(before=apply)
        return stored[0]

    @_locked
    def deid_names(self) -> list[str]:
        """The user's list of names for de-identification (encrypted in the app state)."""
        return list(self.app_state().deid_names)

    @_locked
    def set_deid_names(self, names: Iterable[str], *, add: bool = False) -> list[str]:
        """Replace the user's list of names, or with ``add`` add to it, in one write (tidied:
        trimmed, no empties or repeats); returns the new list."""
        from journal_app.core.deid import clean_names

        given = list(names)
        state = self.update_app_state(lambda s: replace(s, deid_names=tuple(
            clean_names([*(s.deid_names if add else ()), *given]))))
        return list(state.deid_names)

    def add_deid_names(self, names: Iterable[str]) -> list[str]:
        """Add names to the user's list ("Always treat X as a name"), in the same write that
        reads it (another process adding names at the same time loses none)."""
        return self.set_deid_names(names, add=True)

    @_locked
    def own_emotions(self) -> list[str]:
        """The user's own emotion words, confirmed once (encrypted in the app state)."""
        return list(self.app_state().own_emotions)

    @_locked
    def add_own_emotions(self, words: Iterable[str]) -> list[str]:
        """Keep ``words`` as the user's own emotion words (tidied as emotion names are), in the
        write that reads the list; returns the new list.

        Raises:
            ValidationError: a word is empty or too long, or the list would be.
        """
        given = list(words)
        state = self.update_app_state(lambda s: replace(
            s, own_emotions=(*s.own_emotions, *given)))
        return list(state.own_emotions)

    @_locked
    def forget_own_emotions(self, words: Iterable[str]) -> list[str]:
        """No longer keep ``words`` as the user's own (the records naming them are untouched)."""
        gone = {normalise_label(w) for w in words}
        state = self.update_app_state(lambda s: replace(
            s, own_emotions=tuple(w for w in s.own_emotions if w not in gone)))
        return list(state.own_emotions)

    @_locked
    def replace_emotion(self, old: str, new: str | None, *, own: bool = False) -> int:
        """Name the emotion ``old`` ``new`` instead (None: remove it) in every entry (the trash
        too), reflection (its answers too) and check-in that names it, in one write: each
        changed record's stored version is kept as a revision first, as for an edit. Where a
        record names ``new`` already, that one stays and ``old`` goes. ``old`` leaves the
        user's own words; with ``own``, ``new`` joins them. Returns how many records changed.

        Raises:
            ValidationError: ``new`` is not a possible emotion name.
        """
        old_name = normalise_label(old)
        try:
            new_name = None if new is None else Emotion(new).name
        except ValueError as exc:
            raise _validation(exc) from None
        if new_name == old_name:
            return 0
        changed: list[Record] = []

        def apply(tx: WriteTransaction) -> list[Record]:
            self.sync()  # we hold the write lock: nothing more can come
            stamp = now()
            for record in [*self.records(Entry), *self.records(CheckIn)]:
                renamed = _emotion_renamed(record, old_name, new_name)
                if renamed is not None:
                    if isinstance(renamed, Entry):
                        renamed = replace(renamed, updated=stamp)
                    changed.append(renamed)
            revisions: list[Record] = []
            for record in changed:
                revisions.extend(self._history.of_stored(record.id, True, None)(tx))
            state = self.app_state()
            words = [w for w in state.own_emotions if w != old_name]
            if own and new_name is not None and new_name not in words:
                words.append(new_name)
            kept = [] if tuple(words) == state.own_emotions else [
                replace(state, own_emotions=tuple(words))]
            return [*revisions, *changed, *kept]

        self._write(before=apply)
        return len(changed)

    @_locked
    def spelling_words(self) -> list[str]:
        """The user's own spelling words ("Add to my words"; encrypted in the app state)."""
        return list(self.app_state().spelling_words)

    @_locked
    def set_spelling_words(self, words: Iterable[str], *, add: bool = False) -> list[str]:
        """Replace the user's spelling words, or with ``add`` add to them, in one write (tidied
        by :func:`journal_app.core.spelling.clean_words`: one word each, no repeats); returns
        the new list.

        Raises:
            ValidationError: more words than a list may hold.
        """
        from journal_app.core.spelling import clean_words

        given = list(words)
        state = self.update_app_state(lambda s: replace(s, spelling_words=clean_words(
            [*(s.spelling_words if add else ()), *given])))
        return list(state.spelling_words)

    def add_spelling_words(self, words: Iterable[str]) -> list[str]:
        """Add words to the user's spelling words, in the write that reads them."""
        return self.set_spelling_words(words, add=True)

    @_locked
    def remove_spelling_words(self, words: Iterable[str]) -> list[str]:
        """Remove words (any case) from the user's spelling words; returns the new list."""
        gone = {w.casefold() for w in words}
        state = self.update_app_state(lambda s: replace(s, spelling_words=tuple(
            w for w in s.spelling_words if w.casefold() not in gone)))
        return list(state.spelling_words)

    @_locked
    def checkins(self) -> list[CheckIn]:
        """Check-ins, newest first."""
        return self._view("checkins", lambda: _newest_first(self.records(CheckIn)),
                          (CheckIn,))

    @_locked
    def save_entry(self, entry: E, *, keep_revision: bool = True) -> E:
        """Store a changed entry. With ``keep_revision`` the stored version is kept as a revision;
        it is kept anyway when another process changed the entry since we read it. Returns the
        entry as stored (with ``updated`` set)."""
        entry = replace(entry, updated=now())
        revision = self._history.of_stored(entry.id, keep_revision, self.held.seqs.get(entry.id))
        self._write([entry], before=revision)
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
        return trash.put(self, self.get_entry(id_or_prefix))

    @_locked
    def restore_entry(self, id_or_prefix: str) -> Entry:
        """Bring an entry back from the trash."""
        return trash.take_back(self, self.get_entry(id_or_prefix))

    @_locked
    def empty_trash(self) -> int:
        """Remove the entries in the trash, their revisions and attachments, and the attachments
        removed from entries, for good. Returns how many entries."""
        entries, ids = trash.contents(self, self._history)
        if ids:
            self._write(deletes=ids)
        return entries

    # ================================================================ revisions

    @_locked
    def revisions(self, id_or_prefix: str) -> list[Revision]:
        """Earlier versions of a record, newest first."""
        return self._history.of(self.resolve_id(id_or_prefix))

    @_locked
    def restore_revision(self, revision_id: str) -> Entry:
        """Make an earlier version current again (the current one becomes a revision)."""
        return self._history.restore(revision_id)

    # ================================================================ search

    @_locked
    def prepare_search(self) -> None:
        """Make search ready: load the sealed index and bring it up to date. Records are not
        decoded for this (search decodes only its hits); :meth:`sync` loads them all."""
        with _no_cyclic_gc():  # the index's lists of every document (see _no_cyclic_gc)
            self._search.ensure()

    @_locked
    def search(self, query: str | Query, filters: SearchFilters | None = None,
               limit: int | None = 50, snippets: bool = True) -> list[tuple[SearchHit, Entry]]:
        """Hits with their entries, best first (newest first when more than
        :data:`RANK_UP_TO` entries match: see :meth:`search_page`). Plain words are ANDed;
        quotes make a phrase."""
        return self.search_page(query, filters, limit, snippets).hits

    @_locked
    def search_page(self, query: str | Query, filters: SearchFilters | None = None,
                    limit: int | None = 50, snippets: bool = True,
                    rank_up_to: int | None = None) -> SearchPage:
        """The first ``limit`` hits with their entries, how many entries match in all, and
        whether the hits are ranked by relevance: they are when at most ``rank_up_to``
        (default :data:`RANK_UP_TO`) entries match, else they are newest first (ranking every
        match of a common word costs a third of a second at 100,000 entries; see
        docs/design.md, "Search at 100,000 entries")."""
        return self._search.search(query, filters, limit, snippets,
                                   RANK_UP_TO if rank_up_to is None else rank_up_to)

    @_locked
    def save_index_snapshot(self) -> None:
        """Seal the search index into the vault so the next unlock need not rebuild it."""
        self._search.save_snapshot()

    # ================================================================ integrity

    @_locked
    def verify(self) -> IntegrityReport:
        """Check the file, both copies of each key slot, the manifest and every record."""
        with self._store.reading() as rx:  # one state of the file, whoever writes meanwhile
            self._check_manifest(rx=rx)
            return integrity.verify(self, rx)

    # ================================================================ import/export support

    @_locked
    def all_records(self) -> list[Record]:
        """Every readable record, revisions included (for exports)."""
        self.sync()
        blobs = [record for _row, record in self.decode_rows(
            self._store.records(_blob_kinds()))]
        held = list(self.held.records.values())
        entries = self.whole_entries(r for r in held if isinstance(r, Entry))
        return [*entries, *(r for r in held if not isinstance(r, Entry)),
                *self._history.all().values(), *blobs]

    @_locked
    def import_records(self, records: Sequence[Record], progress: Progress | None = None,
                       writing_only: bool = True) -> ImportResult:
        """Store imported records in one transaction, skipping duplicates; ``progress``,
        ``writing_only`` and what is refused: see :func:`importing.import_records`."""
        result = importing.import_records(self, records, progress, writing_only)
        self._search.save_if_stale()
        return result

    @_locked
    def import_duplicates(self, records: Sequence[Record]) -> list[bool]:
        """For each record, whether :meth:`import_records` would skip it as a duplicate (the
        import preview): the same rule, :func:`importing.duplicates`."""
        return importing.stored_duplicates(self, records)

    # ================================================================ attachments

    @_locked
    def add_attachment(self, entry_id: str, name: str, data: bytes,
                       media_type: str | None = None) -> Attachment:
        """Attach an image to a stored entry (:func:`images.add`: what is checked, and
        raised)."""
        return images.add(self, entry_id, name, data, media_type)

    @_locked
    def attachments(self, entry_id: str, *, trash: bool = False) -> list[Attachment]:
        """The attachments of an entry (by its full id), oldest first; with ``trash=True`` the
        ones removed from it. Nothing is decrypted for this."""
        return images.of_entry(self, entry_id, trash=trash)

    @_locked
    def removed_attachments(self) -> list[Attachment]:
        """Attachments removed from their entries (waiting in the trash), newest removal first."""
        return images.removed(self)

    def get_attachment(self, id_or_prefix: str) -> Attachment:
        return self.get(id_or_prefix, Attachment)

    @_locked
    def attachment_data(self, id_or_prefix: str) -> bytes:
        """Decrypt the image of an attachment (the only way its bytes are read). Raises
        VaultDamagedError when it is not its attachment's (:func:`images.data`)."""
        return images.data(self, id_or_prefix)

    @_locked
    def remove_attachment(self, id_or_prefix: str) -> Attachment:
        """Move an attachment to the trash (it is removed for good when the trash is emptied)."""
        return trash.put(self, self.get_attachment(id_or_prefix))

    @_locked
    def restore_attachment(self, id_or_prefix: str) -> Attachment:
        """Put a removed attachment back with its entry."""
        return trash.take_back(self, self.get_attachment(id_or_prefix))


def _renamed_list(emotions: Sequence[Emotion], old: str,
                  new: str | None) -> tuple[Emotion, ...] | None:
    """``emotions`` with ``old`` named ``new`` (at its place, with its intensity; dropped when
    ``new`` is None or already there); None when ``old`` is not among them."""
    if not any(e.name == old for e in emotions):
        return None
    present = any(e.name == new for e in emotions)
    out: list[Emotion] = []
    for emotion in emotions:
        if emotion.name != old:
            out.append(emotion)
        elif new is not None and not present:
            out.append(Emotion(new, emotion.intensity))
    return tuple(out)


def _emotion_renamed(record: Record, old: str, new: str | None) -> Record | None:
    """``record`` (an entry, a reflection or a check-in) with the emotion ``old`` named
    ``new``, or None when it does not name ``old``."""
    if not isinstance(record, (Entry, CheckIn)):
        return None
    changes: dict[str, Any] = {}
    emotions = _renamed_list(record.emotions, old, new)
    if emotions is not None:
        changes["emotions"] = emotions
    if isinstance(record, Reflection):
        answers = []
        for answer in record.answers:
            renamed = _renamed_list(answer.emotions, old, new)
            answers.append(answer if renamed is None else replace(answer, emotions=renamed))
        if answers != list(record.answers):
            changes["answers"] = tuple(answers)
    return replace(record, **changes) if changes else None


@contextlib.contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """No cyclic garbage collection while the block runs: loading makes hundreds of thousands
    of objects that all stay, and each full collection meanwhile walked every one made so far
    (3.9 s of 4.3 s decoding 100,000 headers, measured; 1.1 s without). Reference counting
    still frees everything else at once; the collector runs again after."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@dataclass(frozen=True)
class _Ahead:
    """What an unlock read beside the key derivation, in one read snapshot of the file."""

    counter: int
    #: Every row's ``(id, kind, schema_version, seq)``.
    listing: list[tuple[str, str, int, int]]
    #: The rows loading holds (:func:`_eager_kinds`), as ``ReadTransaction.heads`` gives them.
    heads: list[StoredRecord]


def _read_ahead(store: Store) -> _Ahead:
    """The rows an unlock lists and loads, read in one snapshot (:meth:`Journal.unlock`)."""
    with store.reading() as rx:
        counter = rx.write_counter()
        listing, heads = rx.listing_and_heads(_eager_kinds())
    return _Ahead(counter, listing, heads)


def _header_seq(entry: Entry) -> int:
    """The write sequence an entry held from its header was read at."""
    seq: int = held_value(entry, "_seq")
    return seq


def _newest_first(records: Iterable[D]) -> list[D]:
    # A float key: comparing ten thousand aware datetimes costs more than computing them.
    return sorted(records, key=lambda r: (r.created.timestamp(), r.id), reverse=True)


def _eager_kinds() -> list[str]:
    """Kinds loaded at unlock and held in memory (all but revisions and attachment images)."""
    return [k for k, cls in RECORD_KINDS.items() if k != "revision" and cls.EAGER]


def _blob_kinds() -> list[str]:
    """Kinds decrypted only on demand, one record at a time (attachment images)."""
    return [k for k, cls in RECORD_KINDS.items() if not cls.EAGER]


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


def _validation(exc: Exception) -> JournalError:
    from journal_app.core.errors import ValidationError, describe

    # Our own validation messages name the field and the allowed range, never the value.
    return ValidationError(describe(exc))



def _check_blob_name(name: str) -> None:
    """Vault-level blobs of other parts of the core are named ``<part>.<what>``; the vault's
    own (manifest, counter, key slots, search index) cannot be reached this way."""
    if not name.startswith("sync."):
        raise ValueError("not a blob name of a part of the core")
