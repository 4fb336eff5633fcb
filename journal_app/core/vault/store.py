"""The SQLite store: encrypted records and vault metadata.

The store knows nothing of keys or plaintext. In the clear it holds only what storage needs: each
record's random id, kind, schema version and write sequence, beside its sealed blob; and in the
``meta`` table the key slots, the vault id, the write counter and sealed vault-level blobs.

SQLite runs in WAL mode with ``synchronous=FULL`` (a committed write survives a power cut),
``secure_delete`` (deleted rows are overwritten), ``temp_store=MEMORY`` (no temp files). Writes
take the database lock up front (``BEGIN IMMEDIATE``) so two processes never interleave a
read-modify-write; the other one waits up to ``BUSY_TIMEOUT_MS`` and then says the vault is busy.

Reads and writes go through the standard library's ``sqlite3``: a handful of fixed statements over
two tables, each on its own connection (one per transaction, closed after it). The tables are
declared once, with SQLAlchemy, in :mod:`schema`; the migration steps below apply them, and only
creating a vault or bringing an older one up to date imports SQLAlchemy (half of a command's time
otherwise; docs/design.md, "Lean commands").
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import sqlite3
import stat
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, Generic, NamedTuple, TypeVar

from journal_app.core.errors import (
    NoVaultError,
    StorageError,
    VaultBusyError,
    VaultDamagedError,
    VaultExistsError,
)
from journal_app.core.vault import careful
from journal_app.core.vault import lock as vaultlock

DB_NAME = "journal.db"
BUSY_TIMEOUT_MS = 4000
FORMAT_TAG = b"journal-app vault 1"
#: The whole file cannot be used: not a database, or its schema, format tag or meta table
#: cannot be read (without the key slots nothing decrypts).
WHOLE_FILE_DAMAGE = "The journal's database file is damaged or is not a journal."
#: A page of the file is damaged: the records on it are lost, the rest still reads.
PART_DAMAGE = (
    "Part of the journal's file is damaged, so this could not be done; nothing was changed."
    " Rescue what can still be read into a new journal (Rescue… in the app, 'journal-app"
    " salvage')."
)
#: Meta values that are only caches: when unreadable they are treated as absent. The search
#: index is a directory and segments (``search_seg.<name>``: :mod:`.sealedindex`), or the single
#: snapshot of earlier versions.
_CACHE_META = frozenset({"search_index", "search_dir", "word_counts"})
_CACHE_META_PREFIXES = ("search_seg.",)


def is_cache_meta(key: str) -> bool:
    """Whether a ``meta`` value is only a cache (rebuilt when it is unreadable)."""
    return key in _CACHE_META or key.startswith(_CACHE_META_PREFIXES)
#: Set on every connection.
PRAGMAS = (
    f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}",
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=FULL",
    "PRAGMA secure_delete=ON",
    "PRAGMA temp_store=MEMORY",
    "PRAGMA foreign_keys=ON",
)
#: The columns the statements below name, table by table (the test of the store checks them
#: against :mod:`schema`, the one declaration of the tables).
META_COLUMNS = ("key", "value")
RECORD_COLUMNS = ("id", "kind", "schema_version", "seq", "blob", "header")
_ID_CHUNK = 500  # ids bound in one IN (...) at most

# Fixed statements (values are always bound, never put into the text).
_SELECT_RECORDS = "SELECT id, kind, schema_version, seq, blob, header FROM records"
_SELECT_ID_SEQS = "SELECT id, kind, schema_version, seq FROM records"
# Each row's header, read through the index that holds them (schema.HEADS_INDEX): none of the
# table's pages is read (see :meth:`ReadTransaction.heads`).
_SELECT_HEADS = ("SELECT id, kind, schema_version, seq, header"
                 " FROM records INDEXED BY ix_records_heads")
_UPSERT_META = ("INSERT INTO meta (key, value) VALUES (?, ?)"
                " ON CONFLICT (key) DO UPDATE SET value = excluded.value")
_UPSERT_RECORD = (
    "INSERT INTO records (id, kind, schema_version, seq, blob, header) VALUES (?, ?, ?, ?, ?, ?)"
    " ON CONFLICT (id) DO UPDATE SET kind = excluded.kind,"
    " schema_version = excluded.schema_version, seq = excluded.seq, blob = excluded.blob,"
    " header = excluded.header"
)


def parse_counter(value: bytes | None) -> int:
    """The write counter stored in ``meta`` (absent means 0).

    Raises:
        VaultDamagedError: it is not a whole number (the file was altered).
    """
    if not value:
        return 0
    try:
        number = int(value)
    except ValueError:
        raise VaultDamagedError("The journal's write counter is damaged.") from None
    if number < 0:
        raise VaultDamagedError("The journal's write counter is damaged.")
    return number


class StoredRecord(NamedTuple):
    """A row as plain values (a named tuple: made for every row read, 110,000 at an unlock
    at 100,000 entries, three times as fast as a frozen dataclass)."""

    id: str
    kind: str
    schema_version: int
    seq: int
    blob: bytes
    #: The sealed list header of an entry (None: other kinds, or not sealed yet).
    header: bytes | None = None


# Schema migrations: ``PRAGMA user_version`` is the number of steps applied. Each step runs in the
# same transaction as the version bump, after a backup copy of the database file was made. A step
# is given a SQLAlchemy connection (``conn.exec_driver_sql`` for plain SQL).
def _migration_1(conn: Any) -> None:
    from journal_app.core.vault.schema import Base

    Base.metadata.create_all(conn)


def _migration_2(conn: Any) -> None:
    """Entries' sealed list headers (issue 18): a column beside the blob, and an index that
    lists the rows without reading their blobs. A vault created by this version has both from
    step 1 (the tables are declared with them); an older one gains them, the column empty: the
    app seals each entry's header at its next unlock (``Journal.sync``)."""
    columns = {row[1] for row in conn.exec_driver_sql("PRAGMA table_info(records)")}
    if "header" not in columns:
        conn.exec_driver_sql("ALTER TABLE records ADD COLUMN header BLOB")
    conn.exec_driver_sql("CREATE INDEX IF NOT EXISTS ix_records_listing"
                         " ON records (kind, id, schema_version, seq)")


def _migration_3(conn: Any) -> None:
    """Loading reads each row's list header through an index of its own (issue 18: the
    table's pages hold the sealed blobs, most of the file). Declared with the table for a
    vault created by this version."""
    conn.exec_driver_sql("CREATE INDEX IF NOT EXISTS ix_records_heads"
                         " ON records (id, kind, schema_version, seq, header)")


MIGRATIONS: list[Callable[[Any], None]] = [_migration_1, _migration_2, _migration_3]


def secure_mkdir(path: Path) -> None:
    """Create the data folder (and parents) and make it private to the user (0700)."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    with contextlib.suppress(OSError):  # a folder we do not own (tests of hostile setups)
        os.chmod(path, 0o700)


def _create_private_file(path: Path) -> None:
    # SQLite gives its -wal and -shm files the main file's mode, so 0600 here covers all three.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.close(fd)


T = TypeVar("T")

# Every page of the records table read by one statement, in SQLite alone: each blob and header
# is read to its end (their overflow pages too) and dropped; one row comes back.
_EVERY_PAGE = "SELECT max(substr(blob, -1)), max(substr(header, -1)) FROM records NOT INDEXED"


class InThread(Generic[T]):
    """``fn()`` run at once in a daemon thread of its own; :meth:`result` waits for it and
    gives its value or raises what it raised. For reading beside work that holds Python's
    interpreter lock, while the reading mostly does not (SQLite releases it)."""

    def __init__(self, fn: Callable[[], T], name: str) -> None:
        self._value: T | None = None
        self._error: BaseException | None = None

        def run() -> None:
            try:
                self._value = fn()
            except BaseException as exc:  # given to the caller by result()
                self._error = exc

        self._thread = threading.Thread(target=run, name=name, daemon=True)
        self._thread.start()

    def result(self) -> T:
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._value  # type: ignore[return-value]


class DbError(Exception):
    """An error of the store's own connection, carrying SQLite's (``orig``).

    Raised by the store's statements only, so that a caller's own ``sqlite3`` error inside a
    transaction (the in-memory search index) is never taken for damage of the vault file."""

    def __init__(self, orig: sqlite3.Error) -> None:
        super().__init__(str(orig))
        self.orig = orig


def _translate(exc: Exception) -> Exception:
    """Turn a database exception into the user-facing error it stands for."""
    orig = getattr(exc, "orig", exc)
    msg = str(orig).lower()
    if "locked" in msg or "busy" in msg:
        return VaultBusyError()
    if isinstance(orig, sqlite3.OperationalError) and (
        ("disk" in msg and ("full" in msg or "i/o" in msg)) or "readonly" in msg
        or "unable to open" in msg
    ):
        return StorageError()
    if isinstance(orig, OSError) and orig.errno in (errno.ENOSPC, errno.EROFS, errno.EACCES):
        return StorageError()
    if careful.is_corruption(orig):
        return VaultDamagedError(PART_DAMAGE)
    return VaultDamagedError(WHOLE_FILE_DAMAGE)


def _as_bytes(value: Any) -> bytes:
    """A stored value as bytes. A value rewritten outside the app as TEXT (or a number) comes back
    as ``str`` (or ``int``): read it as bytes so it is reported as damaged, not as a crash."""
    if type(value) is bytes:  # nearly always: no copy, no other test
        return value
    if isinstance(value, str):
        return value.encode("utf-8", "surrogateescape")
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value)
    return str(value).encode()


def _record(row: Sequence[Any]) -> StoredRecord:
    return StoredRecord(row[0], row[1], row[2], row[3], _as_bytes(row[4]),
                        None if row[5] is None else _as_bytes(row[5]))


def _marks(n: int) -> str:
    """``?, ?, ?``: the placeholders of an ``IN (...)`` (only these are put into a statement's
    text; every value is bound)."""
    return ", ".join("?" * n)


class Connection:
    """One connection of the store: its statements raise :class:`DbError`."""

    def __init__(self, raw: sqlite3.Connection) -> None:
        self.raw = raw

    def all(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        try:
            return self.raw.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            raise DbError(exc) from None

    def first(self, sql: str, params: Sequence[Any] = ()) -> Any:
        try:
            return self.raw.execute(sql, params).fetchone()
        except sqlite3.Error as exc:
            raise DbError(exc) from None

    def run(self, sql: str, params: Sequence[Any] = ()) -> None:
        try:
            self.raw.execute(sql, params)
        except sqlite3.Error as exc:
            raise DbError(exc) from None

    def run_many(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        try:
            self.raw.executemany(sql, rows)
        except sqlite3.Error as exc:
            raise DbError(exc) from None


class Store:
    """Typed access to one vault's database file."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.path = data_dir / DB_NAME
        #: Rows (id -> kind, "" when unknown) that careful reads could not reach, and how many
        #: more the indexes know only by kind: damage of single pages of the file. Kept while
        #: the store is open (a restore opens a new store).
        self.unreadable: dict[str, str] = {}
        self.unidentified = 0
        # One connection kept open for single-row reads (:meth:`record`).
        self._point: Connection | None = None
        self._point_lock = threading.Lock()
        # Held while open, so a restore knows the vault is in use (see vaultlock).
        self._lock_fd: int | None = vaultlock.hold_shared(data_dir, BUSY_TIMEOUT_MS)

    # ---------------------------------------------------------------- opening

    @classmethod
    def exists(cls, data_dir: Path) -> bool:
        return (data_dir / DB_NAME).is_file()

    @classmethod
    def create(cls, data_dir: Path, meta: dict[str, bytes]) -> Store:
        """Create a new vault database holding ``meta``.

        Raises:
            VaultExistsError: there is a journal in ``data_dir`` already.
        """
        secure_mkdir(data_dir)
        path = data_dir / DB_NAME
        try:
            _create_private_file(path)
        except FileExistsError:
            raise VaultExistsError() from None
        except OSError:
            raise StorageError("The data folder is not writable.") from None
        try:
            store = cls(data_dir)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(path)
            raise
        try:
            store._migrate(backup=False)
            with store.write() as tx:
                tx.set_meta("format", FORMAT_TAG)
                for key, value in meta.items():
                    tx.set_meta(key, value)
        except BaseException:
            store.close()
            for suffix in ("", "-wal", "-shm"):
                with contextlib.suppress(OSError):
                    os.unlink(str(path) + suffix)
            raise
        return store

    @classmethod
    def open(cls, data_dir: Path) -> Store:
        """Open an existing vault database and bring its schema up to date.

        Raises:
            NoVaultError: no journal in ``data_dir``.
            VaultDamagedError: the file is truncated, overwritten or not a journal.
        """
        path = data_dir / DB_NAME
        if not path.is_file():
            raise NoVaultError()
        store = cls(data_dir)
        try:
            fmt = store.get_meta(["format"]).get("format")
            if fmt != FORMAT_TAG:
                raise VaultDamagedError(WHOLE_FILE_DAMAGE)
            store._migrate(backup=True)
        except BaseException:
            store.close()
            raise
        store.tighten_permissions()
        return store

    def tighten_permissions(self) -> None:
        """Data folder 0700, its files 0600 (repairs what a copy or an old umask loosened)."""
        with contextlib.suppress(OSError):
            os.chmod(self.data_dir, 0o700)
        for name in os.listdir(self.data_dir):
            p = self.data_dir / name
            with contextlib.suppress(OSError):
                if p.is_file() and stat.S_IMODE(p.stat().st_mode) & 0o077:
                    os.chmod(p, 0o600)

    @contextlib.contextmanager
    def exclusive(self) -> Iterator[None]:
        """Hold the vault for this store alone while the block runs (a key rotation), or refuse
        at once: its shared lock becomes exclusive, and shared again after.

        Raises:
            VaultBusyError: another program (or another store in this one) has the vault open.
        """
        with vaultlock.exclusive_while_open(self._lock_fd):
            yield

    def size_on_disk(self) -> int:
        """Bytes taken by the database file and its write-ahead log."""
        total = 0
        for suffix in ("", "-wal"):
            with contextlib.suppress(OSError):
                total += os.stat(str(self.path) + suffix).st_size
        return total

    def free_space(self) -> int:
        """Bytes free on the data folder's file system."""
        try:
            return shutil.disk_usage(self.data_dir).free
        except OSError:
            raise StorageError("The data folder cannot be read.") from None

    def close(self) -> None:
        self.close_point()
        fd, self._lock_fd = self._lock_fd, None
        vaultlock.release(fd)

    # ---------------------------------------------------------------- connections

    def _new_connection(self) -> sqlite3.Connection:
        """A connection with the store's pragmas; transactions are begun explicitly
        (``isolation_level=None``: pysqlite's implicit BEGIN would defer the lock)."""
        raw = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                              check_same_thread=False)
        try:
            for pragma in PRAGMAS:
                raw.execute(pragma)
        except BaseException:
            raw.close()
            raise
        return raw

    @contextlib.contextmanager
    def _connection(self) -> Iterator[Connection]:
        """A connection for one transaction (or one statement), closed after it."""
        try:
            raw = self._new_connection()
        except sqlite3.Error as exc:
            raise DbError(exc) from None
        try:
            yield Connection(raw)
        finally:
            raw.close()

    @contextlib.contextmanager
    def _connect(self) -> Iterator[Connection]:
        """One connection outside a transaction, its errors said as the user reads them."""
        try:
            with self._connection() as conn:
                yield conn
        except DbError as exc:
            raise _translate(exc) from None

    # ---------------------------------------------------------------- migrations

    def schema_version(self) -> int:
        with self._connect() as conn:
            return int(conn.first("PRAGMA user_version")[0])

    def _migrate(self, backup: bool) -> None:
        current = self.schema_version()
        if current > len(MIGRATIONS):
            raise VaultDamagedError(
                "This journal was written by a newer version of journal-app; update the app."
            )
        if current == len(MIGRATIONS):
            return  # the usual case: SQLAlchemy is not imported
        from sqlalchemy.exc import DatabaseError, OperationalError

        from journal_app.core.vault.schema import migration_engine

        if backup:
            self.backup_to(self.data_dir / f"{DB_NAME}.before-migration-{current}")
        engine = migration_engine(self.path, PRAGMAS)
        try:
            with engine.connect() as conn, conn.begin():
                for step in range(current, len(MIGRATIONS)):
                    MIGRATIONS[step](conn)
                conn.exec_driver_sql(f"PRAGMA user_version={len(MIGRATIONS)}")
        except (OperationalError, DatabaseError) as exc:
            raise _translate(exc) from None
        finally:
            engine.dispose()

    def checkpoint(self) -> bool:
        """Fold the WAL into the database file and truncate it (after a removal for good, so
        no older frame keeps what was removed; ``secure_delete`` zeroed it in the file).

        Returns False when another connection was reading and some frames had to stay: they go
        when the last connection closes (SQLite folds and deletes the WAL then).
        """
        try:
            with self._connection() as conn:
                row = conn.first("PRAGMA wal_checkpoint(TRUNCATE)")
        except DbError:
            return False
        return row is not None and not row[0]

    def backup_to(self, target: Path) -> None:
        """A consistent copy of the (still encrypted) database through SQLite's backup API."""
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.close(fd)
        src = sqlite3.connect(self.path)
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
        finally:
            dst.close()
            src.close()

    # ---------------------------------------------------------------- reading

    @contextlib.contextmanager
    def reading(self) -> Iterator[ReadTransaction]:
        """One read transaction: everything read through it comes from the same committed
        state of the file, whatever other processes write meanwhile (WAL snapshot isolation).
        Checks that compare the manifest, the write counter and the rows read them here."""
        try:
            with self._connection() as conn:
                conn.run("BEGIN")
                try:
                    yield ReadTransaction(conn, self)
                finally:
                    # Nothing to commit: end the snapshot. After a damaged page was met (and
                    # read around), ending it must not turn into an error of its own.
                    with contextlib.suppress(sqlite3.Error):
                        conn.raw.execute("ROLLBACK")
        except DbError as exc:
            raise _translate(exc) from None

    def get_meta(self, keys: Iterable[str]) -> dict[str, bytes]:
        """The stored values of ``keys`` (absent keys left out).

        Raises:
            VaultDamagedError: a value other than a cache cannot be read (whole-file damage:
                the key slots, counter and manifest live here).
        """
        with self.reading() as rx:
            return rx.get_meta(keys)

    def _careful_meta(self, keys: Sequence[str]) -> dict[str, bytes]:
        """The values of ``keys`` read one by one (the file has damage): a damaged cache is
        left out; any other unreadable value is whole-file damage."""
        found: dict[str, bytes] = {}
        for key in keys:  # one by one: a damaged cache must not hide the key slots
            try:
                with self._connection() as conn:
                    row = conn.first("SELECT key, value FROM meta WHERE key = ?", (key,))
            except DbError as exc:
                if not careful.is_corruption(exc):
                    raise _translate(exc) from None
                if is_cache_meta(key):
                    continue
                raise VaultDamagedError(WHOLE_FILE_DAMAGE) from None
            if row is not None:
                found[row[0]] = _as_bytes(row[1])
        return found

    def write_counter(self) -> int:
        """The sequence number of the last write (cheap: lets readers notice others' writes)."""
        with self.reading() as rx:
            return rx.write_counter()

    def _careful(self, blob_filter: Callable[[str, str], bool] | None = None,
                 keep_blobs: bool = True) -> tuple[careful.Scan, dict[int, bytes]]:
        """Read what can be reached of a partly damaged records table (see :mod:`careful`);
        with ``blob_filter(id, kind)``, the blobs of the rows it accepts too (read and
        dropped with ``keep_blobs=False``). Notes what could not be read in
        :attr:`unreadable`."""
        try:
            with self._connection() as connection:
                conn = connection.raw
                conn.execute("BEGIN")  # one read snapshot for the rows and their blobs
                try:
                    scan = careful.scan_records(conn)
                    blobs: dict[int, bytes] = {}
                    if blob_filter is not None:
                        wanted = [r for r, row in scan.rows.items()
                                  if blob_filter(row[0], row[1])]
                        blobs, failed = careful.read_blobs(conn, wanted, keep_blobs)
                        for rowid in failed:
                            record_id, kind, _v, _s = scan.rows.pop(rowid)
                            scan.unreadable[record_id] = kind
                            scan.damaged = True
                finally:
                    conn.execute("ROLLBACK")
        except (sqlite3.DatabaseError, DbError) as exc:
            raise _translate(exc) from None
        self.unreadable.update(scan.unreadable)
        self.unidentified = max(self.unidentified, scan.unidentified)
        return scan, blobs

    def walk_pages(self) -> InThread[bool]:
        """Every page of the records table read once, in a thread of its own while the caller
        goes on; its result says whether a page could not be read.

        Loading reads the headers from their index, not the table's pages (most of the file),
        so a damaged page there would not be met at unlock; this walk meets it instead. It is
        one SQLite statement, during which Python's interpreter lock is released: on a second
        core it costs the loading beside it nothing (0.1 s of its own at 100,000 entries)."""
        return InThread(self._walk_pages, "journal-app page walk")

    def _walk_pages(self) -> bool:
        try:
            with self._connection() as connection:
                connection.raw.execute(_EVERY_PAGE).fetchall()
        except (sqlite3.DatabaseError, DbError) as exc:
            # Anything but damage (the file busy, gone) says nothing of the pages: loading
            # meets it on its own.
            return careful.is_corruption(exc)
        return False

    def readable_ids(self) -> set[str]:
        """The ids of the rows that can be read whole, where part of the file is damaged: every
        row and blob read by the careful reader, none kept. Those that cannot be read are noted
        in :attr:`unreadable` (or counted in :attr:`unidentified`)."""
        scan, _none = self._careful(lambda _id, _kind: True, keep_blobs=False)
        return {row[0] for row in scan.rows.values()}

    def id_seqs(self, kinds: Sequence[str] | None = None,
                every_page: bool = False) -> list[tuple[str, str, int, int]]:
        """``(id, kind, schema_version, seq)`` of every record (of ``kinds``), no blobs.

        Where part of the file is damaged, every row that can still be reached (the others are
        noted in :attr:`unreadable`). They are listed from an index; with ``every_page`` from
        the table itself, so that a damaged page of it is found (a check before a backup)."""
        with self.reading() as rx:
            return rx.id_seqs(kinds, every_page)

    def records(
        self, kinds: Sequence[str] | None = None, ids: Sequence[str] | None = None
    ) -> list[StoredRecord]:
        """The stored rows (of ``kinds``, or with ``ids``); where part of the file is damaged,
        those that can still be read (the others are noted in :attr:`unreadable`)."""
        with self.reading() as rx:
            return rx.records(kinds, ids)

    def _careful_records(
        self, kinds: Sequence[str] | None, ids: Sequence[str] | None
    ) -> list[StoredRecord]:
        want_kinds = None if kinds is None else set(kinds)
        want_ids = None if ids is None else set(ids)

        def wanted(record_id: str, kind: str) -> bool:
            return ((want_kinds is None or kind in want_kinds)
                    and (want_ids is None or record_id in want_ids))

        scan, blobs = self._careful(wanted)
        return [StoredRecord(*row, blob=blobs[rowid]) for rowid, row in scan.rows.items()
                if rowid in blobs]

    def record(self, record_id: str) -> StoredRecord | None:
        """One stored row, read on a connection kept open for such reads: an entry's body read
        when it is first used (a connection of its own for each cost milliseconds, and the
        trends read thousands). A single statement reads one committed state. Where its page
        is damaged, the careful reader's answer (None, the row noted in :attr:`unreadable`)."""
        with self._point_lock:
            try:
                if self._point is None:
                    self._point = Connection(self._new_connection())
                # all(), not first(): the statement runs to its end, so no read transaction
                # stays open between reads (a checkpoint must not wait for it).
                rows = self._point.all(f"{_SELECT_RECORDS} WHERE id = ?", (record_id,))
            except (DbError, sqlite3.Error) as exc:
                self.close_point_locked()  # its lock is held here (close_point waited forever)
                if not careful.is_corruption(exc):
                    raise _translate(exc) from None
                found = self._careful_records(None, [record_id])
                return found[0] if found else None
        return _record(rows[0]) if rows else None

    def counter_now(self) -> int | None:
        """The write counter as committed now, read on the connection kept for single reads
        (:meth:`record`): the check every list of the journal makes first (``Journal.sync``)
        opened a connection of its own each time, 0.3 ms at load 2, dozens of times at each unlock
        and refresh. None when it cannot be read so (the caller reads it the usual way)."""
        with self._point_lock:
            try:
                if self._point is None:
                    self._point = Connection(self._new_connection())
                rows = self._point.all("SELECT value FROM meta WHERE key = 'seq'")
            except (DbError, sqlite3.Error):
                self.close_point_locked()
                return None
        try:
            return parse_counter(_as_bytes(rows[0][0]) if rows else None)
        except VaultDamagedError:
            return None  # said by the usual read

    def close_point_locked(self) -> None:
        """:meth:`close_point`, holding its lock already."""
        point, self._point = self._point, None
        if point is not None:
            point.raw.close()

    def close_point(self) -> None:
        """Close the connection of :meth:`record` (on lock and close)."""
        with self._point_lock:
            self.close_point_locked()

    def ids_with_prefix(self, prefix: str, limit: int = 2) -> list[tuple[str, str]]:
        """``(id, kind)`` of up to ``limit`` records whose id starts with ``prefix``."""
        safe = "".join(ch for ch in prefix.lower() if ch in "0123456789abcdef")
        if safe != prefix.lower():
            return []
        try:
            with self._connection() as conn:
                return [(i, k) for i, k in conn.all(
                    "SELECT id, kind FROM records WHERE id >= ? AND id < ? LIMIT ?",
                    (safe, safe + "g", limit))]
        except DbError as exc:
            if not careful.is_corruption(exc):
                raise _translate(exc) from None
        scan, _blobs = self._careful()
        # Damaged records too, so that asking for one says it is damaged, not missing.
        found = sorted({*((i, k) for i, k, _v, _s in scan.rows.values() if i.startswith(safe)),
                        *((i, k) for i, k in scan.unreadable.items() if i.startswith(safe))})
        return found[:limit]

    def count(self) -> int:
        try:
            with self._connection() as conn:
                return int(conn.first("SELECT count(*) FROM records")[0])
        except DbError as exc:
            if not careful.is_corruption(exc):
                raise _translate(exc) from None
        return len(self._careful()[0].rows)

    def sqlite_integrity(self) -> list[str]:
        """SQLite's own integrity check: an empty list when the file is sound."""
        with self.reading() as rx:
            return rx.sqlite_integrity()

    # ---------------------------------------------------------------- writing

    @contextlib.contextmanager
    def write(self) -> Iterator[WriteTransaction]:
        """A write transaction holding the database lock from its first statement: all of it
        commits or none of it does.

        Raises:
            VaultBusyError: another process kept the lock longer than ``BUSY_TIMEOUT_MS``.
            StorageError: the disk is full or the folder is not writable.
        """
        try:
            with self._connection() as conn:
                conn.run("BEGIN IMMEDIATE")
                try:
                    yield WriteTransaction(conn)
                except BaseException:
                    with contextlib.suppress(sqlite3.Error):
                        conn.raw.execute("ROLLBACK")
                    raise
                try:
                    conn.run("COMMIT")
                except BaseException:
                    # A failed COMMIT may leave the transaction open (SQLITE_BUSY): end it, so
                    # nothing of it is kept when the connection closes.
                    with contextlib.suppress(sqlite3.Error):
                        conn.raw.execute("ROLLBACK")
                    raise
        except DbError as exc:
            raise _translate(exc) from None
        except OSError as exc:
            raise _translate(exc) from None


class ReadTransaction:
    """What can be read inside :meth:`Store.reading`: one consistent state of the file.

    Where SQLite reports a damaged page, each read falls back to the store's careful reader
    (every row it can still reach; the others noted in :attr:`Store.unreadable`): damage is
    that of the records on the damaged pages, not of the whole journal."""

    def __init__(self, conn: Connection, store: Store) -> None:
        self._conn = conn
        self._store = store
        #: Every row's ``(id, kind, schema_version, seq)`` once :meth:`id_seqs` listed them all
        #: (read through the listing index, no damaged page met).
        self.listing: list[tuple[str, str, int, int]] | None = None

    def get_meta(self, keys: Iterable[str]) -> dict[str, bytes]:
        keys = list(keys)
        try:
            sql = f"SELECT key, value FROM meta WHERE key IN ({_marks(len(keys))})"  # noqa: S608
            return {k: _as_bytes(v) for k, v in self._conn.all(sql, keys)}
        except DbError as exc:
            if not careful.is_corruption(exc):
                raise
        return self._store._careful_meta(keys)

    def write_counter(self) -> int:
        return parse_counter(self.get_meta(["seq"]).get("seq"))

    def id_seqs(self, kinds: Sequence[str] | None = None,
                every_page: bool = False) -> list[tuple[str, str, int, int]]:
        sql, params = _SELECT_ID_SEQS + (" NOT INDEXED" if every_page else ""), []
        if kinds is not None:
            params = list(kinds)
            sql += f" WHERE kind IN ({_marks(len(params))})"
        try:
            rows: list[tuple[str, str, int, int]] = self._conn.all(sql, params)  # tuples
            if kinds is None and not every_page:
                self.listing = rows
            return rows
        except DbError as exc:
            if not careful.is_corruption(exc):
                raise
        scan, _blobs = self._store._careful()
        wanted = None if kinds is None else set(kinds)
        return [row for row in scan.rows.values() if wanted is None or row[1] in wanted]

    def records(
        self, kinds: Sequence[str] | None = None, ids: Sequence[str] | None = None
    ) -> list[StoredRecord]:
        where, params = [], []
        if kinds is not None:
            params = list(kinds)
            where.append(f"kind IN ({_marks(len(params))})")
        try:
            if ids is None:
                sql = _SELECT_RECORDS + (f" WHERE {where[0]}" if where else "")
                return [_record(row) for row in self._conn.all(sql, params)]
            out: list[StoredRecord] = []
            ids = list(ids)
            for start in range(0, len(ids), _ID_CHUNK):
                chunk = ids[start : start + _ID_CHUNK]
                sql = _SELECT_RECORDS + " WHERE " + " AND ".join(
                    [*where, f"id IN ({_marks(len(chunk))})"])
                out.extend(_record(row) for row in self._conn.all(sql, [*params, *chunk]))
            return out
        except DbError as exc:
            if not careful.is_corruption(exc):
                raise
        return self._store._careful_records(kinds, ids)

    def heads(self, ids: Sequence[str]) -> list[StoredRecord]:
        """The rows with ``ids`` as loading needs them: a row with a sealed header comes with
        its header and an empty blob (an entry's body is not read), a row without one with
        its blob. Where part of the file is damaged, the rows that can still be read, whole.

        The headers come from their index, not from the table: at 100,000 entries the table's
        pages are 550 MB of sealed blobs, the index 50 MB (0.35 against 0.13 s). A damaged page
        of the table is met by the page walk loading runs beside it (:meth:`Store.walk_pages`),
        or when a body is read."""
        out: list[StoredRecord] = []
        ids = list(ids)
        try:
            for start in range(0, len(ids), _ID_CHUNK):
                chunk = ids[start : start + _ID_CHUNK]
                bare: list[str] = []
                for i, k, v, s, head in self._conn.all(
                        f"{_SELECT_HEADS} WHERE id IN ({_marks(len(chunk))})", chunk):
                    if head is None:
                        bare.append(i)
                    else:
                        out.append(StoredRecord(i, k, v, s, b"", _as_bytes(head)))
                out += self._whole_rows(bare)
            return out
        except DbError as exc:
            if not careful.is_corruption(exc):
                raise
        return self._store._careful_records(None, ids)

    def listing_and_heads(self, kinds: Sequence[str]
                          ) -> tuple[list[tuple[str, str, int, int]], list[StoredRecord]]:
        """Every row's ``(id, kind, schema_version, seq)``, and the rows of ``kinds`` as
        :meth:`heads` gives them, from one walk of the index of headers: what an unlock lists
        and loads, read before its key is known (``Journal.unlock``). No careful reading here:
        where part of the file is damaged this raises, and the unlock reads the usual way.

        Raises:
            DbError: a row could not be read.
        """
        wanted = set(kinds)
        listing: list[tuple[str, str, int, int]] = []
        out: list[StoredRecord] = []
        bare: list[str] = []
        for i, k, v, s, head in self._conn.all(_SELECT_HEADS):
            listing.append((i, k, v, s))
            if k not in wanted:
                continue
            if head is None:
                bare.append(i)
            else:
                out.append(StoredRecord(i, k, v, s, b"", _as_bytes(head)))
        return listing, out + self._whole_rows(bare)

    def _whole_rows(self, ids: Sequence[str]) -> list[StoredRecord]:
        """The rows ``ids`` whole, blob included (those without a header: other kinds, entries
        not sealed yet), a few hundred a statement. Raises DbError (the callers read around
        damage, or leave it to the usual way)."""
        out: list[StoredRecord] = []
        for start in range(0, len(ids), _ID_CHUNK):
            chunk = ids[start : start + _ID_CHUNK]
            sql = f"{_SELECT_RECORDS} WHERE id IN ({_marks(len(chunk))})"
            out.extend(_record(row) for row in self._conn.all(sql, chunk))
        return out

    def sqlite_integrity(self) -> list[str]:
        """SQLite's own integrity check: an empty list when the file is sound."""
        try:
            rows = [r[0] for r in self._conn.all("PRAGMA integrity_check")]
        except DbError as exc:
            if not careful.is_corruption(exc):
                raise
            return ["the structure of the file is damaged"]
        if rows == ["ok"]:
            return []
        # One row may hold many lines (a page it could not read, then every page left over).
        return [line for row in rows for line in str(row).splitlines()
                if line.strip() and not line.startswith("***")]


class WriteTransaction:
    """What can be done inside :meth:`Store.write`; all of it commits or none of it does.
    Each call runs its statement at once, in the order of the calls."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def get_meta(self, key: str) -> bytes | None:
        row = self._conn.first("SELECT value FROM meta WHERE key = ?", (key,))
        return None if row is None else _as_bytes(row[0])

    def set_meta(self, key: str, value: bytes) -> None:
        self._conn.run(_UPSERT_META, (key, value))

    def delete_meta(self, key: str) -> None:
        self._conn.run("DELETE FROM meta WHERE key = ?", (key,))

    def id_seqs(self) -> list[tuple[str, str, int, int]]:
        """``(id, kind, schema_version, seq)`` of every record, as this transaction sees them."""
        return [(i, k, v, s) for i, k, v, s in self._conn.all(_SELECT_ID_SEQS)]

    def next_seq(self) -> int:
        current = self.get_meta("seq")
        seq = parse_counter(current) + 1
        self.set_meta("seq", str(seq).encode())
        return seq

    def current(self, record_id: str) -> tuple[str, int, int] | None:
        """``(kind, schema_version, seq)`` of the stored record, if any."""
        row = self._conn.first(
            "SELECT kind, schema_version, seq FROM records WHERE id = ?", (record_id,))
        return None if row is None else (row[0], row[1], row[2])

    def put(self, record: StoredRecord) -> None:
        self._conn.run(_UPSERT_RECORD, (record.id, record.kind, record.schema_version,
                                        record.seq, record.blob, record.header))

    def set_headers(self, headers: Sequence[tuple[str, int, bytes]]) -> None:
        """Give rows ``(id, seq, header)`` their sealed header, each only while the row is
        still at that write sequence (a header is bound to it)."""
        self._conn.run_many("UPDATE records SET header = ? WHERE id = ? AND seq = ?",
                            [(header, rid, seq) for rid, seq, header in headers])

    def delete(self, record_id: str) -> None:
        self._conn.run("DELETE FROM records WHERE id = ?", (record_id,))

    # ------------------------------------------------------------ whole-vault rewrites

    def rows(self, ids: Sequence[str]) -> list[StoredRecord]:
        """The stored rows with these ids (at most a few hundred at a time)."""
        ids = list(ids)
        return [_record(row) for row in self._conn.all(
            f"{_SELECT_RECORDS} WHERE id IN ({_marks(len(ids))})", ids)]

    def meta_keys(self) -> list[str]:
        return [str(k) for (k,) in self._conn.all("SELECT key FROM meta")]

    def replace_blobs(self, blobs: Sequence[tuple[str, bytes, bytes | None]]) -> None:
        """Give existing rows new blobs and headers; id, kind, schema version and sequence
        stay."""
        if not blobs:
            return
        self._conn.run_many("UPDATE records SET blob = ?, header = ? WHERE id = ?",
                            [(blob, header, rid) for rid, blob, header in blobs])
