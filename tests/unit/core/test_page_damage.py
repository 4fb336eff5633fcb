"""Damage of single pages of the vault file: only what is on them is lost (issue 12, part 5).

Each test overwrites one page of a closed vault with random bytes (what a failing sector does),
then uses the journal as a person would: open, unlock, list, show, search, write, verify, salvage.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from journal_app.core.errors import VaultDamagedError
from journal_app.core.records.model import Entry
from journal_app.core.recovery.salvage import SalvageTargetError, salvage
from journal_app.core.vault.crypto import TEST_KDF
from journal_app.core.vault.journal import Journal
from journal_app.core.vault.store import DB_NAME
from tests.helpers.pages import (
    first_overflow_page,
    index_root,
    overwrite_page,
    rowid_ids,
    table_pages,
)

PASSPHRASE = "correct horse"
SMALL = 300


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str], str]:
    """A closed vault of 300 short entries and one long one (it overflows its page), with a
    search-index snapshot; returns it, id -> title, and the long entry's id."""
    data_dir = tmp_path_factory.mktemp("pages") / "vault"
    journal, _key = Journal.create(data_dir, PASSPHRASE, kdf=TEST_KDF)
    with journal:
        entries = [Entry(title=f"Round {i}", body=f"ward round note{i} " * 12)
                   for i in range(SMALL)]
        long = Entry(title="Long night", body="a long night on call, thinking it over. " * 800)
        journal.add_records([*entries, long])
        journal.prepare_search()
        journal.save_index_snapshot()
        titles = {e.id: e.title for e in journal.entries()}
    return data_dir, titles, long.id


@pytest.fixture
def vault(tmp_path: Path, built: tuple[Path, dict[str, str], str]) -> Path:
    copy = tmp_path / "vault"
    shutil.copytree(built[0], copy)
    return copy


def _open(data_dir: Path) -> Journal:
    journal = Journal.open(data_dir)
    journal.unlock(PASSPHRASE)
    return journal


def _damage_leaves(vault: Path, *which: int) -> set[str]:
    """Overwrite leaves of the records table (by position); returns the ids they held."""
    db = vault / DB_NAME
    pages = table_pages(db)
    ids = rowid_ids(db)
    leaves = sorted(pages.leaves, key=lambda p: pages.leaves[p][0])
    lost: set[str] = set()
    for position in which:
        leaf = leaves[position]
        lost |= {ids[r][0] for r in pages.leaves[leaf]}
        overwrite_page(db, leaf, pages.page_size, seed=position)
    return lost


def test_two_damaged_leaves_cost_their_own_records_only(
        vault: Path, built: tuple[Path, dict[str, str], str]) -> None:
    titles = built[1]
    lost = _damage_leaves(vault, 3, 9)
    with _open(vault) as journal:
        assert {e.id for e in journal.entries()} == set(titles) - lost
        assert set(journal.damaged) == lost
        assert journal.unreadable_records() == dict.fromkeys(lost, "entry")
        assert journal.manifest_problem is not None
        assert "damaged" in journal.manifest_problem
        # A lost record says so; the others open.
        gone = next(iter(lost))
        with pytest.raises(VaultDamagedError, match="record is damaged"):
            journal.get_entry(gone)
        kept = next(i for i in titles if i not in lost)
        assert journal.get_entry(kept[:8]).title == titles[kept]
        # Writing goes on where SQLite can still reach.
        added = journal.add_entry(title="After the damage", body="still writing")
        assert journal.get_entry(added.id).body == "still writing"
        report = journal.verify()
        assert set(report.damaged_ids) == lost
        assert not report.ok


def test_a_damaged_index_loses_nothing(
        vault: Path, built: tuple[Path, dict[str, str], str]) -> None:
    titles = built[1]
    db = vault / DB_NAME
    overwrite_page(db, index_root(db, "sqlite_autoindex_records_1"), table_pages(db).page_size)
    with _open(vault) as journal:
        assert {e.id for e in journal.entries()} == set(titles)
        assert journal.damaged == {}
        some = next(iter(titles))
        assert journal.get_entry(some[:8]).title == titles[some]  # prefix lookup without it
        report = journal.verify()
        assert report.damaged_ids == []
        assert any(p.startswith("SQLite reports:") for p in report.problems)
    result = salvage(vault, PASSPHRASE, vault.parent / "rescued")
    assert result.complete
    assert result.kept == len(titles)
    with _open(vault.parent / "rescued") as rescued:
        assert rescued.verify().ok


def test_a_damaged_index_of_headers_loses_nothing(
        vault: Path, built: tuple[Path, dict[str, str], str]) -> None:
    """Loading reads the list headers through their own index: where it is damaged, the rows
    are read from the table instead, and nothing is lost."""
    titles = built[1]
    db = vault / DB_NAME
    overwrite_page(db, index_root(db, "ix_records_heads"), table_pages(db).page_size)
    with _open(vault) as journal:
        assert {e.id: e.title for e in journal.entries()} == titles
        assert journal.damaged == {}
        short = next(i for i in titles if i != built[2])
        assert journal.get_entry(short).body.startswith("ward round note")


def test_a_damaged_overflow_page_costs_that_record_only(
        vault: Path, built: tuple[Path, dict[str, str], str]) -> None:
    titles, long_id = built[1], built[2]
    db = vault / DB_NAME
    rowid = next(r for r, (i, _k) in rowid_ids(db).items() if i == long_id)
    overwrite_page(db, first_overflow_page(db, "records", rowid), table_pages(db).page_size)
    with _open(vault) as journal:
        assert {e.id for e in journal.entries()} == set(titles) - {long_id}
        assert set(journal.damaged) == {long_id}
        assert set(journal.verify().damaged_ids) == {long_id}
    result = salvage(vault, PASSPHRASE, vault.parent / "rescued")
    assert [(r.id, r.kind) for r in result.lost] == [(long_id, "entry")]
    assert result.kept == len(titles) - 1


def test_a_damaged_search_index_snapshot_is_rebuilt(
        vault: Path, built: tuple[Path, dict[str, str], str]) -> None:
    titles = built[1]
    db = vault / DB_NAME
    conn = sqlite3.connect(db)
    try:
        (rowid,) = conn.execute(
            "SELECT rowid FROM meta WHERE key LIKE 'search_seg.%'").fetchone()
    finally:
        conn.close()
    overwrite_page(db, first_overflow_page(db, "meta", rowid), table_pages(db).page_size)
    with _open(vault) as journal:
        assert journal.manifest_problem is None  # the records are all there
        hits = journal.search("note7")
        assert [titles[h.id] for h, _e in hits] == ["Round 7"]
        assert len(journal.entries()) == len(titles)


def test_a_damaged_first_page_is_whole_file_damage(vault: Path) -> None:
    db = vault / DB_NAME
    overwrite_page(db, 1, table_pages(db).page_size)
    with pytest.raises(VaultDamagedError, match="damaged or is not a journal"):
        Journal.open(vault)
    with pytest.raises(VaultDamagedError, match="damaged or is not a journal"):
        salvage(vault, PASSPHRASE, vault.parent / "rescued")
    assert not (vault.parent / "rescued").exists()


def test_salvage_drops_the_attachments_of_a_lost_entry_and_lists_them(tmp_path: Path) -> None:
    from tests.helpers.images import png

    data_dir = tmp_path / "vault"
    journal, _key = Journal.create(data_dir, PASSPHRASE, kdf=TEST_KDF)
    with journal:
        entries = [Entry(title=f"Clinic {i}", body=f"note {i} " * 40) for i in range(60)]
        journal.add_records(entries)
        pictured = entries[30]
        attachment = journal.add_attachment(pictured.id, "scan.png", png())
        other = journal.add_attachment(entries[0].id, "ward.png", png(rgb=(1, 2, 3)))
    db = data_dir / DB_NAME
    pages = table_pages(db)
    ids = rowid_ids(db)
    leaf = next(p for p, rowids in pages.leaves.items()
                if any(ids[r][0] == pictured.id for r in rowids))
    lost_here = {ids[r][0] for r in pages.leaves[leaf]}
    assert other.id not in lost_here and other.data_id not in lost_here
    overwrite_page(db, leaf, pages.page_size)
    result = salvage(data_dir, PASSPHRASE, tmp_path / "rescued")
    lost = {r.id: r.kind for r in result.lost}
    # The entry's page is gone; its attachment and image are listed too (what they belong to
    # is lost), wherever they were stored.
    assert pictured.id in lost
    assert lost.get(attachment.id, "attachment") == "attachment"
    assert {attachment.id, attachment.data_id} <= set(lost)
    with _open(tmp_path / "rescued") as rescued:
        assert rescued.verify().ok
        assert [a.id for a in rescued.attachments(entries[0].id)] == [other.id]
        assert rescued.attachment_data(other.id) == png(rgb=(1, 2, 3))


def test_salvage_refuses_a_folder_that_is_not_empty(vault: Path, tmp_path: Path) -> None:
    out = tmp_path / "full"
    out.mkdir()
    (out / "keep.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(SalvageTargetError):
        salvage(vault, PASSPHRASE, out)
    assert [p.name for p in out.iterdir()] == ["keep.txt"]


def test_a_write_that_meets_the_damaged_page_changes_nothing(
        vault: Path, built: tuple[Path, dict[str, str], str]) -> None:
    db = vault / DB_NAME
    pages = table_pages(db)
    last_leaf = max(pages.leaves, key=lambda p: pages.leaves[p][-1])  # where new rows go
    overwrite_page(db, last_leaf, pages.page_size)
    with _open(vault) as journal:
        before = {e.id for e in journal.entries()}
        counter = journal._store.write_counter()
        with pytest.raises(VaultDamagedError, match="nothing was changed") as caught:
            journal.add_entry(title="Cannot go in", body="the page it needs is damaged")
        assert "salvage" in caught.value.message
        assert "not a journal" not in caught.value.message
        assert {e.id for e in journal.entries()} == before
        assert journal._store.write_counter() == counter


def test_records_that_cannot_even_be_named_are_counted(
        vault: Path, built: tuple[Path, dict[str, str], str]) -> None:
    titles = built[1]
    db = vault / DB_NAME
    size = table_pages(db).page_size
    id_index = index_root(db, "sqlite_autoindex_records_1")
    lost = _damage_leaves(vault, 5)
    overwrite_page(db, id_index, size, seed=99)  # the ids of the lost rows are gone too
    with _open(vault) as journal:
        assert {e.id for e in journal.entries()} == set(titles) - lost
        assert journal.unreadable_count() == len(lost)
        report = journal.verify()
        assert any(f"{len(lost)} more record(s) cannot be read or even named" in p
                   for p in report.problems)
    result = salvage(vault, PASSPHRASE, vault.parent / "rescued")
    assert result.lost == []
    assert result.unidentified == len(lost)
    assert not result.complete
    assert result.kept == len(titles) - len(lost)
