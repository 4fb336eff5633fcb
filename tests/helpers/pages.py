"""Find and damage single pages of a vault's SQLite file (tests of partial damage).

The pages are found by walking the table's B-tree in the file itself (the documented SQLite file
format: https://www.sqlite.org/fileformat2.html), so the tests need no optional SQLite feature.
"""

from __future__ import annotations

import random
import sqlite3
import struct
from dataclasses import dataclass, field
from pathlib import Path

LEAF_TABLE, INTERIOR_TABLE = 0x0D, 0x05


@dataclass
class TablePages:
    """The B-tree of one table: its root, its interior pages, and which rowids each leaf holds."""

    page_size: int
    root: int
    interior: list[int] = field(default_factory=list)
    leaves: dict[int, list[int]] = field(default_factory=dict)  # page -> rowids
    children: dict[int, list[int]] = field(default_factory=dict)  # interior page -> children

    def rowids_under(self, page: int) -> list[int]:
        if page in self.leaves:
            return list(self.leaves[page])
        out: list[int] = []
        for child in self.children[page]:
            out.extend(self.rowids_under(child))
        return out


def _varint(data: bytes, pos: int) -> tuple[int, int]:
    value = 0
    for i in range(9):
        byte = data[pos + i]
        if i == 8:
            return (value << 8) | byte, pos + 9
        value = (value << 7) | (byte & 0x7F)
        if byte < 0x80:
            return value, pos + i + 1
    raise AssertionError("unreachable")


def table_pages(db: Path, table: str = "records") -> TablePages:
    """Walk ``table``'s B-tree in the (checkpointed, closed) database file ``db``."""
    conn = sqlite3.connect(db)
    try:
        root = int(conn.execute(
            "SELECT rootpage FROM sqlite_master WHERE type='table' AND name=?", (table,)
        ).fetchone()[0])
    finally:
        conn.close()
    data = db.read_bytes()
    page_size = struct.unpack(">H", data[16:18])[0]
    page_size = 65536 if page_size == 1 else page_size
    pages = TablePages(page_size, root)

    def walk(number: int) -> None:
        base = (number - 1) * page_size
        head = base + (100 if number == 1 else 0)
        kind = data[head]
        cells = struct.unpack(">H", data[head + 3 : head + 5])[0]
        if kind == LEAF_TABLE:
            rowids = []
            for i in range(cells):
                ptr = struct.unpack(">H", data[head + 8 + 2 * i : head + 10 + 2 * i])[0]
                _size, pos = _varint(data, base + ptr)
                rowid, _pos = _varint(data, pos)
                rowids.append(rowid)
            pages.leaves[number] = rowids
            return
        assert kind == INTERIOR_TABLE, f"page {number} is not a table page"
        pages.interior.append(number)
        kids = []
        for i in range(cells):
            ptr = struct.unpack(">H", data[head + 12 + 2 * i : head + 14 + 2 * i])[0]
            kids.append(struct.unpack(">I", data[base + ptr : base + ptr + 4])[0])
        kids.append(struct.unpack(">I", data[head + 8 : head + 12])[0])
        pages.children[number] = kids
        for kid in kids:
            walk(kid)

    walk(root)
    return pages


def rowid_ids(db: Path) -> dict[int, tuple[str, str]]:
    """``rowid -> (record id, kind)`` of every record (read before the damage)."""
    conn = sqlite3.connect(db)
    try:
        return {r: (i, k) for r, i, k in conn.execute("SELECT rowid, id, kind FROM records")}
    finally:
        conn.close()


def overwrite_page(db: Path, number: int, page_size: int, seed: int = 12) -> None:
    """Random bytes over one whole page, in place (what a failing disk sector does)."""
    noise = random.Random(seed).randbytes(page_size)
    with open(db, "r+b") as fh:
        fh.seek((number - 1) * page_size)
        fh.write(noise)


def first_overflow_page(db: Path, table: str, rowid: int) -> int:
    """The first overflow page of the row ``rowid`` of ``table`` (the row must overflow)."""
    pages = table_pages(db, table)
    leaf = next(p for p, rowids in pages.leaves.items() if rowid in rowids)
    data = db.read_bytes()
    size = pages.page_size
    base = (leaf - 1) * size
    head = base + (100 if leaf == 1 else 0)
    index = pages.leaves[leaf].index(rowid)
    ptr = struct.unpack(">H", data[head + 8 + 2 * index : head + 10 + 2 * index])[0]
    payload, pos = _varint(data, base + ptr)
    _rowid, pos = _varint(data, pos)
    usable = size - data[20]
    most = usable - 35
    assert payload > most, "that row does not overflow"
    least = (usable - 12) * 32 // 255 - 23
    local = least + (payload - least) % (usable - 4)
    if local > most:
        local = least
    return int(struct.unpack(">I", data[pos + local : pos + local + 4])[0])


def index_root(db: Path, name: str) -> int:
    conn = sqlite3.connect(db)
    try:
        return int(conn.execute(
            "SELECT rootpage FROM sqlite_master WHERE type='index' AND name=?", (name,)
        ).fetchone()[0])
    finally:
        conn.close()
