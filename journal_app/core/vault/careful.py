"""Reading what SQLite can still reach in a partly damaged vault file.

A failing disk sector, or random bytes over one page, makes every query that walks through that
page fail with ``SQLITE_CORRUPT``; a plain ``SELECT`` over the records table then fails whole,
although every other page is sound. This module reads the records table row by row, by rowid,
and steps over what cannot be read:

* the table is read in rowid order in batches; where a batch fails, one row at a time;
* where a single row cannot be read, a read of its rowid alone tells a damaged row (its own
  overflow pages) from a damaged page: for a page, the next rowid that can be reached is found by
  probing forward (doubling steps, then halving back), so a damaged leaf costs only its own
  rows and a damaged interior page only the rows under it;
* the table's indexes are separate B-trees: they name the rows (id, and kind) that could not be
  read, so what was lost can be listed. Rows they name that the walk stepped over are read once
  more by rowid (a readable stretch between two damaged ones is not lost).

Only the standard library's ``sqlite3`` is used: Python has no binding for SQLite's recovery
extension (``.recover`` is a feature of the ``sqlite3`` shell), and shelling out to a binary that
may not exist is not an option. Pages that no B-tree reaches any more (the leaves under a damaged
interior page) are therefore not read: what they held is listed as lost.
"""

from __future__ import annotations

import contextlib
import sqlite3
from dataclasses import dataclass, field
from typing import Any

SQLITE_CORRUPT = 11
MIN_ROWID, MAX_ROWID = -(2**63), 2**63 - 1
_BATCH = 256
# Fixed statements (no text is ever put into them). NOT INDEXED: the walk uses the table's own
# B-tree only, never an index that may be the damaged part.
_ROWS_FROM = ("SELECT rowid, id, kind, schema_version, seq FROM records NOT INDEXED"
              " WHERE rowid >= ? ORDER BY rowid LIMIT 256")
_ROW_FROM = ("SELECT rowid, id, kind, schema_version, seq FROM records NOT INDEXED"
             " WHERE rowid >= ? ORDER BY rowid LIMIT 1")
_ROW_AT = ("SELECT rowid, id, kind, schema_version, seq FROM records NOT INDEXED"
           " WHERE rowid = ?")
_ROWID_FROM = "SELECT rowid FROM records NOT INDEXED WHERE rowid >= ? ORDER BY rowid LIMIT 1"
_LOCAL_AT = "SELECT id, kind FROM records NOT INDEXED WHERE rowid = ?"
_BLOB_AT = "SELECT blob FROM records NOT INDEXED WHERE rowid = ?"
# The indexes, read from both ends (covering: the table itself is not touched).
_ID_INDEX = (
    "SELECT id, rowid FROM records INDEXED BY sqlite_autoindex_records_1 ORDER BY id",
    "SELECT id, rowid FROM records INDEXED BY sqlite_autoindex_records_1 ORDER BY id DESC",
)
_KIND_INDEX = (
    "SELECT kind, rowid FROM records INDEXED BY ix_records_kind ORDER BY kind, rowid",
    "SELECT kind, rowid FROM records INDEXED BY ix_records_kind"
    " ORDER BY kind DESC, rowid DESC",
)


class _Damage(Exception):
    """A read reached a damaged part of the file."""


def is_corruption(exc: BaseException) -> bool:
    """Whether ``exc`` (a sqlite3 error, or a wrapper of one with ``orig``) is SQLITE_CORRUPT."""
    orig = getattr(exc, "orig", exc)
    code = getattr(orig, "sqlite_errorcode", None)
    return isinstance(orig, sqlite3.DatabaseError) and isinstance(code, int) and (
        code & 0xFF == SQLITE_CORRUPT
    )


Row = tuple[str, str, int, int]  # id, kind, schema version, seq


@dataclass
class Scan:
    """What a careful read of the records table found."""

    rows: dict[int, Row] = field(default_factory=dict)  # rowid -> row, for the readable rows
    #: id -> kind ("" when not known) of rows the indexes name that could not be read.
    unreadable: dict[str, str] = field(default_factory=dict)
    #: Rows the indexes know only by their kind (no id could be read for them either).
    unidentified: int = 0
    #: Whether any part of the table could not be read.
    damaged: bool = False


def _corrupt_guard(exc: sqlite3.DatabaseError) -> None:
    if not is_corruption(exc):
        raise exc


class _Reader:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.scan = Scan()
        self.bad_rowids: set[int] = set()

    def _one(self, sql: str, params: tuple[Any, ...]) -> tuple[Any, ...] | None:
        """The first row, or None when there is none.

        Raises:
            _Damage: the read reached a damaged part of the file.
        """
        try:
            row = self.conn.execute(sql, params).fetchone()
        except sqlite3.DatabaseError as exc:
            _corrupt_guard(exc)
            raise _Damage from None
        return tuple(row) if row is not None else None

    def _reachable(self, start: int) -> bool:
        try:
            self._one(_ROWID_FROM, (start,))
        except _Damage:
            return False
        return True

    def _next_reachable(self, lo: int) -> int | None:
        """The smallest start above ``lo`` from which the table can be read again."""
        failed, step = lo, 1
        while True:
            start = min(lo + step, MAX_ROWID)
            if self._reachable(start):
                good = start
                break
            failed = start
            if start == MAX_ROWID:
                return None
            step *= 2
        while good - failed > 1:
            mid = (good + failed) // 2
            if self._reachable(mid):
                good = mid
            else:
                failed = mid
        return good

    def _careful_step(self, lo: int) -> int | None:
        """Read the row at or after ``lo`` alone; returns where to go on (None: the end)."""
        try:
            row = self._one(_ROW_FROM, (lo,))
        except _Damage:
            pass
        else:
            if row is None:
                return None
            self.scan.rows[int(row[0])] = _row(row[1:])
            return int(row[0]) + 1
        self.scan.damaged = True
        try:
            found = self._one(_ROWID_FROM, (lo,))
        except _Damage:  # the page holding it (or one above) is damaged: step over it
            return self._next_reachable(lo)
        if found is None:
            return None
        self.bad_rowids.add(int(found[0]))  # the row is reachable, its own payload is not
        return int(found[0]) + 1

    def walk(self) -> None:
        lo: int | None = MIN_ROWID
        while lo is not None:
            try:
                batch = self.conn.execute(_ROWS_FROM, (lo,)).fetchall()
            except sqlite3.DatabaseError as exc:
                _corrupt_guard(exc)
                for _ in range(_BATCH):  # one row at a time past the damage
                    lo = self._careful_step(lo)
                    if lo is None:
                        break
                continue
            for row in batch:
                self.scan.rows[int(row[0])] = _row(row[1:])
            lo = int(batch[-1][0]) + 1 if len(batch) == _BATCH else None

    def _index(self, statements: tuple[str, str]) -> dict[int, Any]:
        """``rowid -> value`` from one index, read from both ends until each reaches damage
        (a damaged page in the middle costs only its own entries). Best effort: the indexes
        only name what was lost."""
        found: dict[int, Any] = {}
        for sql in statements:
            try:
                for value, rowid in self.conn.execute(sql):
                    found[int(rowid)] = value
            except sqlite3.DatabaseError:  # damaged, or no such index in this file
                continue
        return found

    def name_the_lost(self) -> None:
        ids = self._index(_ID_INDEX)
        kinds = self._index(_KIND_INDEX)
        if not self.scan.damaged and set(ids) <= set(self.scan.rows):
            return
        for rowid in sorted((set(ids) | set(kinds)) - set(self.scan.rows)):
            row = None
            if rowid not in self.bad_rowids:
                with contextlib.suppress(_Damage):
                    row = self._one(_ROW_AT, (rowid,))
            if row is not None:
                self.scan.rows[rowid] = _row(row[1:])
                continue
            self.scan.damaged = True
            if rowid in ids:
                self.scan.unreadable[str(ids[rowid])] = str(kinds.get(rowid, ""))
            else:
                self.scan.unidentified += 1
        for rowid in self.bad_rowids - set(ids):  # a damaged payload the id index missed
            local = None
            with contextlib.suppress(_Damage):
                local = self._one(_LOCAL_AT, (rowid,))
            if local is not None:
                self.scan.unreadable[str(local[0])] = str(local[1])
            else:
                self.scan.unidentified += 1


def _row(values: tuple[Any, ...]) -> Row:
    record_id, kind, version, seq = values
    return (record_id, kind, version, seq)


def scan_records(conn: sqlite3.Connection) -> Scan:
    """Read every reachable row of the records table (no blobs). Run it in a read transaction,
    with :func:`read_blobs` when blobs are wanted, so both see the same rows."""
    reader = _Reader(conn)
    reader.walk()
    reader.name_the_lost()
    return reader.scan


def read_blobs(conn: sqlite3.Connection, rowids: list[int], keep: bool = True
               ) -> tuple[dict[int, bytes], set[int]]:
    """The blobs of ``rowids``, read one by one; and the rowids whose blob cannot be read.
    With ``keep=False`` each is read and dropped (only which cannot be read is wanted)."""
    found: dict[int, bytes] = {}
    failed: set[int] = set()
    for rowid in rowids:
        try:
            row = conn.execute(_BLOB_AT, (rowid,)).fetchone()
        except sqlite3.DatabaseError as exc:
            _corrupt_guard(exc)
            failed.add(rowid)
            continue
        if row is not None and keep:
            found[rowid] = row[0]
    return found, failed
