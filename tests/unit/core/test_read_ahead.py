"""An unlock that reads ahead (issue 18): the rows the first load needs are read in a thread
while the key is derived. The journal it gives is the journal an unlock without it gives; what
was read is used only at the write counter the manifest check saw; damage and tampering are met
as without it."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from journal_app.core.records import codec
from journal_app.core.records.model import CheckIn, Emotion, Entry, Reflection
from journal_app.core.vault import journal as journal_module
from journal_app.core.vault.crypto import TEST_KDF
from journal_app.core.vault.journal import Journal
from journal_app.core.vault.store import DB_NAME
from tests.helpers.pages import overwrite_page, rowid_ids, table_pages

PASS = "correct horse"


@pytest.fixture
def made(tmp_path: Path) -> Iterator[Path]:
    data_dir = tmp_path / "vault"
    j, _key = Journal.create(data_dir, PASS, kdf=TEST_KDF)
    j.add_records([Entry(title=f"Shift {i}", body=f"note {i} " * 40, tags=("nights",),
                         emotions=(Emotion("grief", 3),)) for i in range(120)])
    j.add_record(Reflection(title="After", body="b", template_id="gibbs"))
    j.add_record(CheckIn(mood=2))
    gone = j.add_entry(title="In the trash", body="x")
    j.delete_entry(gone.id)
    j.close()
    yield data_dir


def opened(data_dir: Path, ahead: bool) -> Journal:
    j = Journal.open(data_dir)
    j.unlock(PASS, read_ahead=ahead)
    return j


def everything(j: Journal) -> dict[str, Any]:
    j.sync()
    return {"records": {r.id: codec.to_jsonable(r) for r in j.all_records()},
            "entries": [e.id for e in j.entries()], "trash": [e.id for e in j.entries(trash=True)],
            "damaged": dict(j.damaged), "problem": j.manifest_problem, "read_only": j.read_only}


def test_reading_ahead_gives_the_same_journal(made: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    used: list[bool] = []
    real = journal_module._read_ahead

    def read_ahead(store: Any) -> Any:
        read = real(store)
        used.append(read is not None)
        return read

    monkeypatch.setattr(journal_module, "_read_ahead", read_ahead)
    with opened(made, False) as plain:
        expected = everything(plain)
    assert used == []
    with opened(made, True) as ahead:
        assert everything(ahead) == expected
    assert used == [True]


def test_a_write_after_the_read_ahead_is_loaded(made: Path) -> None:
    j = opened(made, True)
    try:
        other = opened(made, False)
        try:
            late = other.add_entry(title="Written meanwhile", body="by another program")
        finally:
            other.close()
        assert late.id in {e.id for e in j.entries()}  # the counter moved: read again
    finally:
        j.close()


def test_a_wrong_passphrase_reads_nothing_ahead_into_the_journal(made: Path) -> None:
    j = Journal.open(made)
    try:
        with pytest.raises(Exception, match="passphrase"):
            j.unlock("not it", read_ahead=True)
        assert not j.is_unlocked
        assert j._ahead is None
    finally:
        j.close()


def test_a_record_removed_outside_the_app_is_still_found_by_the_manifest(made: Path) -> None:
    conn = sqlite3.connect(made / DB_NAME)
    with conn:
        conn.execute("DELETE FROM records WHERE rowid = (SELECT max(rowid) FROM records"
                     " WHERE kind = 'entry')")
    conn.close()
    with opened(made, True) as ahead:
        assert ahead.manifest_problem is not None
        assert ahead.read_only is False or ahead.manifest_problem


@pytest.mark.parametrize("ahead", [False, True])
def test_a_damaged_leaf_costs_the_same_records_either_way(made: Path, tmp_path: Path,
                                                          ahead: bool) -> None:
    copy = tmp_path / f"copy-{ahead}"
    shutil.copytree(made, copy)
    db = copy / DB_NAME
    pages = table_pages(db)
    leaf = sorted(pages.leaves, key=lambda p: pages.leaves[p][0])[2]
    ids = rowid_ids(db)
    lost = {ids[r][0] for r in pages.leaves[leaf]}
    overwrite_page(db, leaf, pages.page_size, seed=3)
    with opened(copy, ahead) as j:
        found = everything(j)
        assert lost and set(found["damaged"]) == lost
        assert not lost & set(found["entries"])
