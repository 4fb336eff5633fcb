"""The store's tables, declared once with SQLAlchemy; used to create and migrate the file.

The store reads and writes through the standard library's ``sqlite3`` (two tables, a handful of
fixed statements: importing SQLAlchemy would be half of every command's time). The schema itself
has one source: these declarations, which the migration steps in :mod:`store` apply
(``Base.metadata.create_all``). This module is imported only when a vault is created or its schema
is brought up to date; ``tests/unit/core/test_store.py`` checks that the statements of the store
name exactly these columns.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, Index, LargeBinary, String, create_engine, event
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.pool import NullPool

LISTING_INDEX = "ix_records_listing"
HEADS_INDEX = "ix_records_heads"


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
    #: Everything a listing of the rows reads (the manifest check and loading, at every unlock)
    #: without reading the pages of the sealed blobs: a tenth of the file to walk (issue 18).
    #: The second: what loading reads of each row (``ReadTransaction.heads``), its list header
    #: included, again without the table's pages (a twelfth of the file at 100,000 entries).
    __table_args__ = (Index(LISTING_INDEX, "kind", "id", "schema_version", "seq"),
                      Index(HEADS_INDEX, "id", "kind", "schema_version", "seq", "header"))
    id: Mapped[str] = mapped_column(String, primary_key=True)
    kind: Mapped[str] = mapped_column(String, index=True)
    schema_version: Mapped[int]
    seq: Mapped[int] = mapped_column(index=True)
    blob: Mapped[bytes] = mapped_column(LargeBinary)
    #: An entry's sealed list header (issue 18: the list without the bodies); NULL for other
    #: kinds, and for entries written before headers existed until the app seals theirs.
    header: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)


def migration_engine(path: Path, pragmas: tuple[str, ...]) -> Engine:
    """An engine for the migration steps: the store's pragmas on each connection, and
    transactions begun by us (``BEGIN IMMEDIATE``: a migration holds the lock from the start)."""
    engine = create_engine(f"sqlite:///{path}", poolclass=NullPool)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
        # Manage transactions ourselves (pysqlite's implicit BEGIN would defer the lock).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        for pragma in pragmas:
            cur.execute(pragma)
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine
