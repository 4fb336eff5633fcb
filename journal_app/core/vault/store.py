"""The SQLite store, through SQLAlchemy 2: encrypted records and vault metadata.

The store knows nothing of keys or plaintext. In the clear it holds only what storage needs: each
record's random id, kind, schema version and write sequence, beside its sealed blob; and in the
``meta`` table the key slots, the vault id, the write counter and sealed vault-level blobs.

SQLite runs in WAL mode with ``synchronous=FULL`` (a committed write survives a power cut),
``secure_delete`` (deleted rows are overwritten), ``temp_store=MEMORY`` (no temp files). Writes
take the database lock up front (``BEGIN IMMEDIATE``) so two processes never interleave a
read-modify-write; the other one waits up to ``BUSY_TIMEOUT_MS`` and then says the vault is busy.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import sqlite3
import stat
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from sqlalchemy import (
    Engine,
    LargeBinary,
    String,
    Table,
    bindparam,
    create_engine,
    delete,
    event,
    func,
    select,
    update,
)
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column
from sqlalchemy.pool import NullPool

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
#: Meta values that are only caches: when unreadable they are treated as absent.
_CACHE_META = frozenset({"search_index"})


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


class Base(DeclarativeBase):
    pass


class MetaRow(Base):
    """Vault-level values: format tag, vault id, key slots, write counter, sealed blobs."""

    __tablename__ = "meta"
    key: Mapped[str] = mapped_column(String, primary_key=True)
    value: Mapped[bytes] = mapped_column(LargeBinary)


class RecordRow(Base):
    """One sealed record. Only id, kind, schema version and write sequence are in the clear."""

    __tablename__ = "records"
    id: Mapped[str] = mapped_column(String, primary_key=True)
    kind: Mapped[str] = mapped_column(String, index=True)
    schema_version: Mapped[int]
    seq: Mapped[int] = mapped_column(index=True)
    blob: Mapped[bytes] = mapped_column(LargeBinary)


@dataclass(frozen=True)
class StoredRecord:
    """A row as plain values (no live ORM object leaves the store)."""

    id: str
    kind: str
    schema_version: int
    seq: int
    blob: bytes


# Schema migrations: ``PRAGMA user_version`` is the number of steps applied. Each step runs in the
# same transaction as the version bump, after a backup copy of the database file was made.
def _migration_1(conn: Any) -> None:
    Base.metadata.create_all(conn)


MIGRATIONS: list[Callable[[Any], None]] = [_migration_1]


def secure_mkdir(path: Path) -> None:
    """Create the data folder (and parents) and make it private to the user (0700)."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    with contextlib.suppress(OSError):  # a folder we do not own (tests of hostile setups)
        os.chmod(path, 0o700)


def _create_private_file(path: Path) -> None:
    # SQLite gives its -wal and -shm files the main file's mode, so 0600 here covers all three.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.close(fd)


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
    if isinstance(value, str):
        return value.encode("utf-8", "surrogateescape")
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value)
    return str(value).encode()


class Store:
    """Typed access to one vault's database file."""

    def __init__(self, data_dir: Path, engine: Engine) -> None:
        self.data_dir = data_dir
        self.path = data_dir / DB_NAME
        self._engine = engine
        #: Rows (id -> kind, "" when unknown) that careful reads could not reach, and how many
        #: more the indexes know only by kind: damage of single pages of the file. Kept while
        #: the store is open (a restore opens a new store).
        self.unreadable: dict[str, str] = {}
        self.unidentified = 0
        # Held while open, so a restore knows the vault is in use (see vaultlock).
        try:
            self._lock_fd = vaultlock.hold_shared(data_dir, BUSY_TIMEOUT_MS)
        except BaseException:
            engine.dispose()
            raise

    # ---------------------------------------------------------------- opening

    @staticmethod
    def _engine_for(path: Path) -> Engine:
        engine = create_engine(f"sqlite:///{path}", poolclass=NullPool)

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
            # Manage transactions ourselves (pysqlite's implicit BEGIN would defer the lock).
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=FULL")
            cur.execute("PRAGMA secure_delete=ON")
            cur.execute("PRAGMA temp_store=MEMORY")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()

        @event.listens_for(engine, "begin")
        def _on_begin(conn: Any) -> None:
            mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
            conn.exec_driver_sql(f"BEGIN {mode}")

        return engine

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
        store = cls(data_dir, cls._engine_for(path))
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
        store = cls(data_dir, cls._engine_for(path))
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
        self._engine.dispose()
        fd, self._lock_fd = self._lock_fd, None
        vaultlock.release(fd)

    # ---------------------------------------------------------------- migrations

    def schema_version(self) -> int:
        with self._connect() as conn:
            return int(conn.exec_driver_sql("PRAGMA user_version").scalar_one())

    def _migrate(self, backup: bool) -> None:
        current = self.schema_version()
        if current > len(MIGRATIONS):
            raise VaultDamagedError(
                "This journal was written by a newer version of journal-app; update the app."
            )
        if current == len(MIGRATIONS):
            return
        if backup:
            self.backup_to(self.data_dir / f"{DB_NAME}.before-migration-{current}")
        try:
            with (
                self._engine.connect().execution_options(sqlite_begin="IMMEDIATE") as conn,
                conn.begin(),
            ):
                for step in range(current, len(MIGRATIONS)):
                    MIGRATIONS[step](conn)
                conn.exec_driver_sql(f"PRAGMA user_version={len(MIGRATIONS)}")
        except (OperationalError, DatabaseError) as exc:
            raise _translate(exc) from None

    def checkpoint(self) -> bool:
        """Fold the WAL into the database file and truncate it (after a removal for good, so
        no older frame keeps what was removed; ``secure_delete`` zeroed it in the file).

        Returns False when another connection was reading and some frames had to stay: they go
        when the last connection closes (SQLite folds and deletes the WAL then).
        """
        try:
            with self._engine.connect() as conn:
                row = conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        except (OperationalError, DatabaseError):
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
    def _connect(self) -> Iterator[Any]:
        try:
            with self._engine.connect() as conn:
                yield conn
        except (OperationalError, DatabaseError) as exc:
            raise _translate(exc) from None

    @contextlib.contextmanager
    def reading(self) -> Iterator[ReadTransaction]:
        """One read transaction: everything read through it comes from the same committed
        state of the file, whatever other processes write meanwhile (WAL snapshot isolation).
        Checks that compare the manifest, the write counter and the rows read them here."""
        try:
            with self._engine.connect() as conn:
                transaction = conn.begin()
                try:
                    yield ReadTransaction(conn, self)
                finally:
                    # Nothing to commit: end the snapshot. After a damaged page was met (and
                    # read around), ending it must not turn into an error of its own.
                    with contextlib.suppress(OperationalError, DatabaseError):
                        transaction.rollback()
        except (OperationalError, DatabaseError) as exc:
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
        stmt = select(MetaRow.key, MetaRow.value)
        found: dict[str, bytes] = {}
        for key in keys:  # one by one: a damaged cache must not hide the key slots
            try:
                with self._engine.connect() as conn:
                    row = conn.execute(stmt.where(MetaRow.key == key)).first()
            except (OperationalError, DatabaseError) as exc:
                if not careful.is_corruption(exc):
                    raise _translate(exc) from None
                if key in _CACHE_META:
                    continue
                raise VaultDamagedError(WHOLE_FILE_DAMAGE) from None
            if row is not None:
                found[row[0]] = _as_bytes(row[1])
        return found

    def write_counter(self) -> int:
        """The sequence number of the last write (cheap: lets readers notice others' writes)."""
        with self.reading() as rx:
            return rx.write_counter()

    def _careful(self, blob_filter: Callable[[str, str], bool] | None = None
                 ) -> tuple[careful.Scan, dict[int, bytes]]:
        """Read what can be reached of a partly damaged records table (see :mod:`careful`);
        with ``blob_filter(id, kind)``, the blobs of the rows it accepts too. Notes what could
        not be read in :attr:`unreadable`."""
        raw = self._engine.raw_connection()
        try:
            conn = raw.driver_connection
            assert isinstance(conn, sqlite3.Connection)
            conn.execute("BEGIN")  # one read snapshot for the rows and their blobs
            try:
                scan = careful.scan_records(conn)
                blobs: dict[int, bytes] = {}
                if blob_filter is not None:
                    wanted = [r for r, row in scan.rows.items() if blob_filter(row[0], row[1])]
                    blobs, failed = careful.read_blobs(conn, wanted)
                    for rowid in failed:
                        record_id, kind, _v, _s = scan.rows.pop(rowid)
                        scan.unreadable[record_id] = kind
                        scan.damaged = True
            finally:
                conn.execute("ROLLBACK")
        except sqlite3.DatabaseError as exc:
            raise _translate(exc) from None
        finally:
            raw.close()
        self.unreadable.update(scan.unreadable)
        self.unidentified = max(self.unidentified, scan.unidentified)
        return scan, blobs

    def id_seqs(self, kinds: Sequence[str] | None = None) -> list[tuple[str, str, int, int]]:
        """``(id, kind, schema_version, seq)`` of every record (of ``kinds``), no blobs.

        Where part of the file is damaged, every row that can still be reached (the others are
        noted in :attr:`unreadable`)."""
        with self.reading() as rx:
            return rx.id_seqs(kinds)

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

    def ids_with_prefix(self, prefix: str, limit: int = 2) -> list[tuple[str, str]]:
        """``(id, kind)`` of up to ``limit`` records whose id starts with ``prefix``."""
        safe = "".join(ch for ch in prefix.lower() if ch in "0123456789abcdef")
        if safe != prefix.lower():
            return []
        stmt = (
            select(RecordRow.id, RecordRow.kind)
            .where(RecordRow.id >= safe, RecordRow.id < safe + "g")
            .limit(limit)
        )
        try:
            with self._engine.connect() as conn:
                return [(i, k) for i, k in conn.execute(stmt)]
        except (OperationalError, DatabaseError) as exc:
            if not careful.is_corruption(exc):
                raise _translate(exc) from None
        scan, _blobs = self._careful()
        # Damaged records too, so that asking for one says it is damaged, not missing.
        found = sorted({*((i, k) for i, k, _v, _s in scan.rows.values() if i.startswith(safe)),
                        *((i, k) for i, k in scan.unreadable.items() if i.startswith(safe))})
        return found[:limit]

    def count(self) -> int:
        try:
            with self._engine.connect() as conn:
                return int(conn.execute(select(func.count()).select_from(RecordRow)).scalar_one())
        except (OperationalError, DatabaseError) as exc:
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
        """A write transaction holding the database lock from its first statement.

        Raises:
            VaultBusyError: another process kept the lock longer than ``BUSY_TIMEOUT_MS``.
            StorageError: the disk is full or the folder is not writable.
        """
        try:
            with (
                self._engine.connect().execution_options(sqlite_begin="IMMEDIATE") as conn,
                conn.begin(),
                Session(conn) as session,
            ):
                tx = WriteTransaction(session)
                yield tx
                session.flush()
        except (OperationalError, DatabaseError) as exc:
            raise _translate(exc) from None
        except OSError as exc:
            raise _translate(exc) from None


class ReadTransaction:
    """What can be read inside :meth:`Store.reading`: one consistent state of the file.

    Where SQLite reports a damaged page, each read falls back to the store's careful reader
    (every row it can still reach; the others noted in :attr:`Store.unreadable`): damage is
    that of the records on the damaged pages, not of the whole journal."""

    def __init__(self, conn: Any, store: Store) -> None:
        self._conn = conn
        self._store = store

    def get_meta(self, keys: Iterable[str]) -> dict[str, bytes]:
        keys = list(keys)
        stmt = select(MetaRow.key, MetaRow.value).where(MetaRow.key.in_(keys))
        try:
            return {k: _as_bytes(v) for k, v in self._conn.execute(stmt).all()}
        except (OperationalError, DatabaseError) as exc:
            if not careful.is_corruption(exc):
                raise
        return self._store._careful_meta(keys)

    def write_counter(self) -> int:
        return parse_counter(self.get_meta(["seq"]).get("seq"))

    def id_seqs(self, kinds: Sequence[str] | None = None) -> list[tuple[str, str, int, int]]:
        stmt = select(RecordRow.id, RecordRow.kind, RecordRow.schema_version, RecordRow.seq)
        if kinds is not None:
            stmt = stmt.where(RecordRow.kind.in_(list(kinds)))
        # Core, not an ORM session: bulk reads of plain columns need no identity map.
        try:
            return [(i, k, v, s) for i, k, v, s in self._conn.execute(stmt).all()]
        except (OperationalError, DatabaseError) as exc:
            if not careful.is_corruption(exc):
                raise
        scan, _blobs = self._store._careful()
        wanted = None if kinds is None else set(kinds)
        return [row for row in scan.rows.values() if wanted is None or row[1] in wanted]

    def records(
        self, kinds: Sequence[str] | None = None, ids: Sequence[str] | None = None
    ) -> list[StoredRecord]:
        stmt = select(
            RecordRow.id, RecordRow.kind, RecordRow.schema_version, RecordRow.seq, RecordRow.blob
        )
        if kinds is not None:
            stmt = stmt.where(RecordRow.kind.in_(list(kinds)))
        try:
            if ids is None:
                return [StoredRecord(*row) for row in self._conn.execute(stmt).all()]
            out: list[StoredRecord] = []
            ids = list(ids)
            for start in range(0, len(ids), 500):
                chunk = stmt.where(RecordRow.id.in_(ids[start : start + 500]))
                out.extend(StoredRecord(*row) for row in self._conn.execute(chunk).all())
            return out
        except (OperationalError, DatabaseError) as exc:
            if not careful.is_corruption(exc):
                raise
        return self._store._careful_records(kinds, ids)

    def sqlite_integrity(self) -> list[str]:
        """SQLite's own integrity check: an empty list when the file is sound."""
        try:
            rows = [r[0] for r in
                    self._conn.exec_driver_sql("PRAGMA integrity_check").fetchall()]
        except (OperationalError, DatabaseError) as exc:
            if not careful.is_corruption(exc):
                raise
            return ["the structure of the file is damaged"]
        if rows == ["ok"]:
            return []
        # One row may hold many lines (a page it could not read, then every page left over).
        return [line for row in rows for line in str(row).splitlines()
                if line.strip() and not line.startswith("***")]


class WriteTransaction:
    """What can be done inside :meth:`Store.write`; all of it commits or none of it does."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def get_meta(self, key: str) -> bytes | None:
        row = self._session.get(MetaRow, key)
        return None if row is None else _as_bytes(row.value)

    def set_meta(self, key: str, value: bytes) -> None:
        self._session.merge(MetaRow(key=key, value=value))

    def delete_meta(self, key: str) -> None:
        self._session.execute(delete(MetaRow).where(MetaRow.key == key))

    def id_seqs(self) -> list[tuple[str, str, int, int]]:
        """``(id, kind, schema_version, seq)`` of every record, as this transaction sees them."""
        stmt = select(RecordRow.id, RecordRow.kind, RecordRow.schema_version, RecordRow.seq)
        return [(i, k, v, s) for i, k, v, s in self._session.execute(stmt).all()]

    def next_seq(self) -> int:
        current = self.get_meta("seq")
        seq = parse_counter(current) + 1
        self.set_meta("seq", str(seq).encode())
        return seq

    def current(self, record_id: str) -> tuple[str, int, int] | None:
        """``(kind, schema_version, seq)`` of the stored record, if any."""
        row = self._session.execute(
            select(RecordRow.kind, RecordRow.schema_version, RecordRow.seq).where(
                RecordRow.id == record_id
            )
        ).first()
        return None if row is None else (row[0], row[1], row[2])

    def put(self, record: StoredRecord) -> None:
        self._session.merge(
            RecordRow(
                id=record.id,
                kind=record.kind,
                schema_version=record.schema_version,
                seq=record.seq,
                blob=record.blob,
            )
        )

    def delete(self, record_id: str) -> None:
        self._session.execute(delete(RecordRow).where(RecordRow.id == record_id))

    # ------------------------------------------------------------ whole-vault rewrites

    def rows(self, ids: Sequence[str]) -> list[StoredRecord]:
        """The stored rows with these ids (at most a few hundred at a time)."""
        stmt = select(
            RecordRow.id, RecordRow.kind, RecordRow.schema_version, RecordRow.seq, RecordRow.blob
        ).where(RecordRow.id.in_(list(ids)))
        conn = self._session.connection()
        return [StoredRecord(i, k, v, s, _as_bytes(b)) for i, k, v, s, b in
                conn.execute(stmt).all()]

    def meta_keys(self) -> list[str]:
        return [str(k) for k in self._session.connection().execute(select(MetaRow.key)).scalars()]

    def replace_blobs(self, blobs: Sequence[tuple[str, bytes]]) -> None:
        """Give existing rows new blobs; id, kind, schema version and sequence stay."""
        if not blobs:
            return
        table = cast(Table, RecordRow.__table__)
        stmt = update(table).where(table.c.id == bindparam("rid")).values(
            blob=bindparam("new_blob"))
        self._session.connection().execute(
            stmt, [{"rid": rid, "new_blob": blob} for rid, blob in blobs])
