"""The SQLite store: pragmas, file modes, clear-text schema, migrations, damage, locking."""

from __future__ import annotations

import os
import sqlite3
import stat
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from journal_app.core.errors import (
    JournalError,
    NoVaultError,
    VaultBusyError,
    VaultDamagedError,
    VaultExistsError,
)
from journal_app.core.records.model import Entry
from journal_app.core.vault import store as store_mod
from journal_app.core.vault.crypto import TEST_KDF
from journal_app.core.vault.journal import Journal
from journal_app.core.vault.store import DB_NAME, FORMAT_TAG, MIGRATIONS, Store, StoredRecord

PASS = "correct horse"


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _sql(path: Path, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Run one statement with a plain sqlite3 connection (outside the store)."""
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute(sql, params).fetchall()
        conn.commit()
        return rows
    finally:
        conn.close()


@pytest.fixture
def store(data_dir: Path) -> Iterator[Store]:
    s = Store.create(data_dir, {"vault_id": b"v" * 16})
    yield s
    s.close()


def _rec(i: int, seq: int = 1, kind: str = "entry") -> StoredRecord:
    return StoredRecord(f"{i:032x}", kind, 1, seq, bytes([i % 256]) * 40)


# ============================================================================ pragmas and files


def test_pragmas_are_in_effect(store: Store) -> None:
    with store._connect() as conn:
        def pragma(name: str) -> Any:
            return conn.first(f"PRAGMA {name}")[0]

        assert str(pragma("journal_mode")).lower() == "wal"
        assert pragma("synchronous") == 2  # FULL
        assert pragma("secure_delete") == 1
        assert pragma("temp_store") == 2  # MEMORY
        assert pragma("busy_timeout") == store_mod.BUSY_TIMEOUT_MS
        assert pragma("foreign_keys") == 1


def test_wal_mode_is_persistent_in_the_file(store: Store) -> None:
    assert _sql(store.path, "PRAGMA journal_mode")[0][0] == "wal"


def test_folder_and_file_modes(data_dir: Path) -> None:
    old = os.umask(0)  # the most permissive umask: the modes must not depend on it
    try:
        s = Store.create(data_dir, {"vault_id": b"v" * 16})
        try:
            with s.write() as tx:
                tx.put(_rec(1))
            assert _mode(data_dir) == 0o700
            assert _mode(data_dir / DB_NAME) == 0o600
            for suffix in ("-wal", "-shm"):
                extra = data_dir / (DB_NAME + suffix)
                if extra.exists():
                    assert _mode(extra) == 0o600, suffix
        finally:
            s.close()
    finally:
        os.umask(old)


def test_nested_data_folder_is_created(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "vault"
    Store.create(target, {}).close()
    assert (target / DB_NAME).is_file()
    assert _mode(target) == 0o700


def test_open_tightens_loose_permissions(store: Store) -> None:
    store.close()
    os.chmod(store.data_dir, 0o755)
    os.chmod(store.path, 0o644)
    stray = store.data_dir / "notes.txt"
    stray.write_text("x")
    os.chmod(stray, 0o666)
    reopened = Store.open(store.data_dir)
    try:
        assert _mode(store.data_dir) == 0o700
        assert _mode(store.path) == 0o600
        assert _mode(stray) == 0o600
    finally:
        reopened.close()


def test_only_storage_columns_are_in_the_clear(store: Store) -> None:
    tables = {r[0] for r in _sql(store.path, "SELECT name FROM sqlite_master WHERE type='table'")}
    assert tables == {"meta", "records"}
    columns = [r[1] for r in _sql(store.path, "PRAGMA table_info(records)")]
    assert sorted(columns) == sorted(["id", "kind", "schema_version", "seq", "blob", "header"])
    assert [r[1] for r in _sql(store.path, "PRAGMA table_info(meta)")] == ["key", "value"]
    # No triggers or views that could copy data elsewhere.
    assert _sql(store.path, "SELECT name FROM sqlite_master WHERE type IN ('trigger','view')") == []


def test_create_refuses_an_existing_vault(store: Store) -> None:
    with pytest.raises(VaultExistsError):
        Store.create(store.data_dir, {})
    # The existing file was not touched.
    assert store.get_meta(["vault_id"]) == {"vault_id": b"v" * 16}


def test_open_without_a_vault(tmp_path: Path) -> None:
    with pytest.raises(NoVaultError):
        Store.open(tmp_path / "nothing")
    (tmp_path / "empty").mkdir()
    with pytest.raises(NoVaultError):
        Store.open(tmp_path / "empty")
    assert not Store.exists(tmp_path / "empty")


# ============================================================================ reads and writes


def test_meta_and_records_round_trip(store: Store) -> None:
    assert store.get_meta(["format"]) == {"format": FORMAT_TAG}
    with store.write() as tx:
        assert tx.next_seq() == 1
        assert tx.next_seq() == 2
        for i in range(3):
            tx.put(_rec(i, seq=2))
        tx.set_meta("x", b"1")
        assert tx.current(_rec(0).id) == ("entry", 1, 2)
        assert tx.current("missing") is None
    assert store.write_counter() == 2
    assert store.count() == 3
    assert {r.id for r in store.records()} == {_rec(i).id for i in range(3)}
    assert store.records(ids=[_rec(1).id]) == [_rec(1, seq=2)]
    assert store.records(kinds=["revision"]) == []
    with store.write() as tx:
        tx.delete(_rec(0).id)
        tx.delete_meta("x")
    assert store.count() == 2
    assert "x" not in store.get_meta(["x"])
    assert sorted(store.id_seqs()) == sorted((_rec(i).id, "entry", 1, 2) for i in (1, 2))


def test_records_by_ids_in_chunks(store: Store) -> None:
    with store.write() as tx:
        for i in range(1200):
            tx.put(_rec(i))
    wanted = [_rec(i).id for i in range(0, 1200, 1)]
    assert len(store.records(ids=wanted)) == 1200
    assert len(store.records(ids=wanted[:501])) == 501


def test_ids_with_prefix(store: Store) -> None:
    with store.write() as tx:
        tx.put(StoredRecord("abcdef" + "0" * 26, "entry", 1, 1, b"x"))
        tx.put(StoredRecord("abcdef" + "1" * 26, "entry", 1, 1, b"x"))
        tx.put(StoredRecord("abcdf0" + "0" * 26, "revision", 1, 1, b"x"))
    assert len(store.ids_with_prefix("abcdef")) == 2
    assert store.ids_with_prefix("abcdef0") == [("abcdef" + "0" * 26, "entry")]
    assert store.ids_with_prefix("ABCDF0") == [("abcdf0" + "0" * 26, "revision")]
    assert store.ids_with_prefix("abcdef", limit=1) != []
    for hostile in ("abc%", "abc_de", "' OR 1=1 --", "zzzzzz"):
        assert store.ids_with_prefix(hostile) == []


def test_a_failed_write_changes_nothing(store: Store) -> None:
    with pytest.raises(RuntimeError), store.write() as tx:
        tx.next_seq()
        tx.put(_rec(1))
        tx.set_meta("x", b"1")
        raise RuntimeError("crash half-way")
    assert store.count() == 0
    assert store.write_counter() == 0
    assert store.get_meta(["x"]) == {}


def test_write_takes_the_lock_up_front(store: Store) -> None:
    """BEGIN IMMEDIATE: the lock is held before the first statement of the transaction."""
    other = sqlite3.connect(store.path, timeout=0, isolation_level=None)
    try:
        with store.write(), pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
        other.execute("BEGIN IMMEDIATE")  # free again after the commit
        other.execute("ROLLBACK")
    finally:
        other.close()


def test_busy_vault_is_reported(monkeypatch: pytest.MonkeyPatch, data_dir: Path) -> None:
    monkeypatch.setattr(store_mod, "BUSY_TIMEOUT_MS", 100)
    s = Store.create(data_dir, {})
    holder = sqlite3.connect(s.path, isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")
        with pytest.raises(VaultBusyError), s.write() as tx:
            tx.put(_rec(1))
        holder.execute("ROLLBACK")
        with s.write() as tx:  # and it works once the other program is done
            tx.put(_rec(1))
        assert s.count() == 1
    finally:
        holder.close()
        s.close()


def test_concurrent_writers_serialise(store: Store) -> None:
    """Read-modify-write of the counter from two threads never loses an increment."""
    errors: list[BaseException] = []

    def work() -> None:
        try:
            for _ in range(25):
                with store.write() as tx:
                    tx.next_seq()
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert store.write_counter() == 75


def test_sqlite_integrity_of_a_sound_file(store: Store) -> None:
    assert store.sqlite_integrity() == []


def test_backup_is_private_and_readable(store: Store, tmp_path: Path) -> None:
    with store.write() as tx:
        tx.put(_rec(7))
    target = tmp_path / "copy.db"
    store.backup_to(target)
    assert _mode(target) == 0o600
    assert _sql(target, "SELECT count(*) FROM records") == [(1,)]


# ============================================================================ migrations


def _user_version(path: Path) -> int:
    return int(_sql(path, "PRAGMA user_version")[0][0])


def test_a_new_store_is_at_the_latest_schema(store: Store) -> None:
    assert store.schema_version() == len(MIGRATIONS)
    assert _user_version(store.path) == len(MIGRATIONS)


def test_a_new_migration_runs_once_with_a_backup(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    with store.write() as tx:
        tx.put(_rec(1))
    store.close()
    before = len(MIGRATIONS)
    calls: list[int] = []

    def step(conn: Any) -> None:
        calls.append(1)
        conn.exec_driver_sql("CREATE TABLE extra(x INTEGER)")

    monkeypatch.setattr(store_mod, "MIGRATIONS", [*MIGRATIONS, step])
    s = Store.open(store.data_dir)
    try:
        assert calls == [1]
        assert s.schema_version() == before + 1
        backup = store.data_dir / f"{DB_NAME}.before-migration-{before}"
        assert backup.is_file()
        assert _mode(backup) == 0o600
        assert _user_version(backup) == before
        assert _sql(backup, "SELECT count(*) FROM records") == [(1,)]
        names = {r[0] for r in _sql(store.path, "SELECT name FROM sqlite_master")}
        assert "extra" in names
    finally:
        s.close()
    # A second open does not run it again.
    Store.open(store.data_dir).close()
    assert calls == [1]
    assert _user_version(store.path) == before + 1


def test_the_migration_list_is_restored_after_the_test() -> None:
    assert MIGRATIONS == store_mod.MIGRATIONS
    assert len(store_mod.MIGRATIONS) == 3


@pytest.mark.parametrize("failure", ["python", "sql"])
def test_a_failing_migration_rolls_back(
    store: Store, monkeypatch: pytest.MonkeyPatch, failure: str
) -> None:
    store.close()
    before = len(MIGRATIONS)

    def step(conn: Any) -> None:
        conn.exec_driver_sql("CREATE TABLE extra(x INTEGER)")
        conn.exec_driver_sql("INSERT INTO meta VALUES ('migrated', x'01')")
        if failure == "python":
            raise RuntimeError("migration bug")
        conn.exec_driver_sql("INSERT INTO no_such_table VALUES (1)")

    monkeypatch.setattr(store_mod, "MIGRATIONS", [*MIGRATIONS, step])
    expected: type[BaseException] = RuntimeError if failure == "python" else VaultDamagedError
    with pytest.raises(expected):
        Store.open(store.data_dir)
    assert _user_version(store.path) == before
    names = {r[0] for r in _sql(store.path, "SELECT name FROM sqlite_master")}
    assert "extra" not in names
    assert _sql(store.path, "SELECT count(*) FROM meta WHERE key='migrated'") == [(0,)]
    # Without the broken step the vault still opens.
    monkeypatch.setattr(store_mod, "MIGRATIONS", MIGRATIONS)
    Store.open(store.data_dir).close()


def test_a_newer_schema_is_refused(store: Store) -> None:
    store.close()
    _sql(store.path, f"PRAGMA user_version={len(MIGRATIONS) + 1}")
    with pytest.raises(VaultDamagedError, match="newer version"):
        Store.open(store.data_dir)
    with pytest.raises(VaultDamagedError):
        Journal.open(store.data_dir)
    # Refusing changed nothing.
    assert _user_version(store.path) == len(MIGRATIONS) + 1


# ============================================================================ damaged files


def _journal_with_entries(data_dir: Path, n: int = 40) -> None:
    j, _ = Journal.create(data_dir, PASS, kdf=TEST_KDF)
    # One transaction: enough pages for truncation to cut through records.
    j.import_records([Entry(title=f"entry {i}", body="some text " * 200) for i in range(n)])
    j.close()
    assert not (data_dir / (DB_NAME + "-wal")).exists() or (
        (data_dir / (DB_NAME + "-wal")).stat().st_size == 0
    )


def _open_and_unlock(data_dir: Path) -> None:
    j = Journal.open(data_dir)
    try:
        j.unlock(PASS)
    finally:
        j.close()


def _cut(size: int) -> Callable[[Path], None]:
    def damage(path: Path) -> None:
        with path.open("r+b") as fh:
            fh.truncate(size)

    return damage


def _overwrite(offset: int, data: bytes) -> Callable[[Path], None]:
    def damage(path: Path) -> None:
        with path.open("r+b") as fh:
            fh.seek(offset)
            fh.write(data)

    return damage


def _replace(data: bytes) -> Callable[[Path], None]:
    def damage(path: Path) -> None:
        path.write_bytes(data)

    return damage


def _half(path: Path) -> None:
    _cut(path.stat().st_size // 2)(path)


@pytest.mark.parametrize(
    "damage",
    [
        _cut(0),
        _cut(50),
        _cut(4096),
        _half,
        _replace(os.urandom(64 * 1024)),
        _replace(b"\0" * 64 * 1024),
        _replace(b"SQLite format 3\0" + b"\xff" * 8000),
        _overwrite(0, b"not a database at all"),
        _overwrite(4096, os.urandom(8192)),
    ],
    ids=["empty", "cut-50", "cut-page", "cut-half", "random", "zeros", "bad-header",
         "header-overwritten", "pages-overwritten"],
)
def test_truncated_or_overwritten_file_is_damage(
    data_dir: Path, damage: Callable[[Path], None]
) -> None:
    _journal_with_entries(data_dir)
    damage(data_dir / DB_NAME)
    with pytest.raises(VaultDamagedError):
        _open_and_unlock(data_dir)


def test_an_unrelated_sqlite_file_is_not_a_journal(data_dir: Path) -> None:
    data_dir.mkdir()
    _sql(data_dir / DB_NAME, "CREATE TABLE meta(key TEXT PRIMARY KEY, value BLOB)")
    with pytest.raises(VaultDamagedError):
        Store.open(data_dir)
    _sql(data_dir / DB_NAME, "INSERT INTO meta VALUES ('format', x'00')")
    with pytest.raises(VaultDamagedError):
        Store.open(data_dir)


def test_a_store_without_vault_id_is_refused_by_the_journal(store: Store) -> None:
    store.close()
    _sql(store.path, "DELETE FROM meta WHERE key='vault_id'")
    with pytest.raises(VaultDamagedError):
        Journal.open(store.data_dir)


# ============================================================================ one schema


def test_the_statements_name_the_columns_of_the_one_schema(store: Store) -> None:
    """The store's statements (plain sqlite3) and the file (created by the migration from
    :mod:`schema`) agree on every table and column."""
    from journal_app.core.vault.schema import MetaRow, RecordRow

    assert tuple(c.name for c in MetaRow.__table__.columns) == store_mod.META_COLUMNS
    assert tuple(c.name for c in RecordRow.__table__.columns) == store_mod.RECORD_COLUMNS
    assert StoredRecord._fields == store_mod.RECORD_COLUMNS
    for table, columns in (("meta", store_mod.META_COLUMNS),
                           ("records", store_mod.RECORD_COLUMNS)):
        assert tuple(r[1] for r in _sql(store.path, f"PRAGMA table_info({table})")) == columns


def test_a_put_replaces_the_row_in_place_and_a_failed_write_leaves_nothing(store: Store) -> None:
    with store.write() as tx:
        tx.put(_rec(1))
        tx.put(_rec(2))
    with store.write() as tx:
        tx.put(StoredRecord(_rec(1).id, "entry", 2, 5, b"new"))
    assert {r.id: (r.schema_version, r.seq, r.blob) for r in store.records()} == {
        _rec(1).id: (2, 5, b"new"), _rec(2).id: (1, 1, _rec(2).blob)}
    with pytest.raises(RuntimeError), store.write() as tx:
        tx.delete(_rec(2).id)
        tx.set_meta("seq", b"9")
        raise RuntimeError("stop")
    assert len(store.records()) == 2
    assert store.write_counter() == 0


def test_a_callers_own_sqlite_error_in_a_write_is_not_taken_for_damage(store: Store) -> None:
    """Only the store's own statements are translated into vault errors."""
    other = sqlite3.connect(":memory:")
    try:
        with pytest.raises(sqlite3.OperationalError), store.write() as tx:
            tx.put(_rec(3))
            other.execute("SELECT * FROM no_such_table")
    finally:
        other.close()
    assert store.records() == []


def test_a_failing_single_read_does_not_hang(store: Store,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """A single-row read (an entry's body) whose kept connection fails closes that connection
    and reports the error: closing it took the lock the read already held, so the thread (the
    app's GUI thread, opening an entry) waited forever."""
    with store.write() as tx:
        tx.put(_rec(1))

    def failing(self: store_mod.Connection, sql: str, params: Any = ()) -> list[Any]:
        raise store_mod.DbError(sqlite3.OperationalError("disk I/O error"))

    monkeypatch.setattr(store_mod.Connection, "all", failing)
    outcome: list[object] = []

    def read() -> None:
        try:
            outcome.append(store.record(_rec(1).id))
        except Exception as exc:  # what it raises is checked below
            outcome.append(exc)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(timeout=10)
    assert not reader.is_alive(), "the read hung"
    assert isinstance(outcome[0], JournalError)
    assert store.counter_now() is None  # the counter's quick read gives up the same way


def test_work_in_a_thread_gives_its_value_or_raises_what_it_raised() -> None:
    assert store_mod.InThread(lambda: 41 + 1, "test").result() == 42

    def fails() -> int:
        raise ValueError("in the thread")

    with pytest.raises(ValueError, match="in the thread"):
        store_mod.InThread(fails, "test").result()
