"""The copies of the journal kept in its folder: listed with what, when and size; removable."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from journal_app.core.errors import NotFoundError, VaultBusyError
from journal_app.core.recovery import backup as bk
from journal_app.core.recovery.backup import create_backup, prepare_restore, restore_backup, tidy
from journal_app.core.recovery.copies import (
    BEFORE_MIGRATION,
    REPLACED,
    RESTORE_STAGING,
    kept_copies,
    remove_copy,
)
from journal_app.core.vault.crypto import TEST_KDF
from journal_app.core.vault.journal import Journal
from journal_app.core.vault.store import DB_NAME

PASS = "correct horse"


@pytest.fixture
def data_dir(tmp_path: Path) -> Iterator[Path]:
    journal, _key = Journal.create(tmp_path / "vault", PASS, kdf=TEST_KDF)
    journal.add_entry(title="Night shift", body="A hard night.")
    journal.close()
    yield tmp_path / "vault"


def _backup(data_dir: Path, out: Path) -> Path:
    out.mkdir(exist_ok=True)
    with Journal.open(data_dir) as journal:
        journal.unlock(PASS)
        return create_backup(journal, out).path


def _older_format(data_dir: Path) -> None:
    """Mark the file as written before the last format update: the next open updates it and
    keeps a copy first, as it would after installing a newer journal-app."""
    conn = sqlite3.connect(data_dir / DB_NAME)
    try:
        conn.execute("PRAGMA user_version=0")
    finally:
        conn.close()
    Journal.open(data_dir).close()


def test_no_copies_in_a_fresh_journal(data_dir: Path) -> None:
    assert kept_copies(data_dir) == []
    assert kept_copies(data_dir / "missing") == []


def test_each_kind_is_listed_with_what_when_and_size(data_dir: Path, tmp_path: Path) -> None:
    started = time.time()
    backup = _backup(data_dir, tmp_path / "drive")
    restore_backup(data_dir, backup, passphrase=PASS)
    _older_format(data_dir)
    prepared = prepare_restore(data_dir, backup, passphrase=PASS)
    try:
        copies = {c.kind: c for c in kept_copies(data_dir)}
        assert set(copies) == {REPLACED, BEFORE_MIGRATION, RESTORE_STAGING}
        replaced = copies[REPLACED]
        assert replaced.path.is_dir() and replaced.name.startswith("replaced-")
        assert replaced.size == sum(p.stat().st_size for p in replaced.path.iterdir())
        migration = copies[BEFORE_MIGRATION]
        assert migration.name == f"{DB_NAME}.before-migration-0"
        assert migration.size == migration.path.stat().st_size > 0
        assert copies[RESTORE_STAGING].path == prepared.staging
        for copy in copies.values():
            assert copy.what and copy.made.tzinfo is not None
            # The replaced folder's name holds the minute of the restore.
            assert started - 120 <= copy.made.timestamp() <= time.time() + 1
        assert len({c.what for c in copies.values()}) == 3
    finally:
        prepared.discard()


def test_removing_a_copy_removes_only_it(data_dir: Path, tmp_path: Path) -> None:
    backup = _backup(data_dir, tmp_path / "drive")
    restore_backup(data_dir, backup, passphrase=PASS)
    _older_format(data_dir)
    (data_dir / "notes.txt").write_text("mine")
    for copy in kept_copies(data_dir):
        remove_copy(data_dir, copy)
        assert not copy.path.exists()
    assert kept_copies(data_dir) == []
    assert (data_dir / "notes.txt").read_text() == "mine"
    with Journal.open(data_dir) as journal:  # the journal itself is untouched
        journal.unlock(PASS)
        assert [e.title for e in journal.entries()] == ["Night shift"]
        assert journal.verify().ok
    with pytest.raises(NotFoundError):
        remove_copy(data_dir, copy)


def test_only_our_copies_in_the_folder_are_listed_or_removed(
    data_dir: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "precious.txt").write_text("keep")
    (data_dir / "replaced-2024-01-01T1200").symlink_to(outside)  # a link: never followed
    (data_dir / "replaced-notes").mkdir()  # not our name pattern
    (data_dir / f"{DB_NAME}.before-migration-x").write_text("not ours")
    (data_dir / f"{DB_NAME}.before-migration-3").mkdir()  # a folder named like a file copy
    assert kept_copies(data_dir) == []
    ours = data_dir / "replaced-2024-02-03T0405"
    ours.mkdir()
    (copy,) = kept_copies(data_dir)
    assert copy.made.strftime("%Y-%m-%d %H:%M") == "2024-02-03 04:05"
    # A copy listed for another folder is not removed from this one.
    forged = type(copy)(outside, REPLACED, copy.made, 0)
    with pytest.raises(NotFoundError):
        remove_copy(data_dir, forged)
    assert (outside / "precious.txt").exists()
    remove_copy(data_dir, copy)
    assert not ours.exists() and (outside / "precious.txt").exists()


def test_a_restore_in_progress_is_not_removed(data_dir: Path, tmp_path: Path) -> None:
    backup = _backup(data_dir, tmp_path / "drive")
    prepared = prepare_restore(data_dir, backup, passphrase=PASS)
    try:
        (staged,) = kept_copies(data_dir)
        with pytest.raises(VaultBusyError, match="still going on"):
            remove_copy(data_dir, staged)
        tidy(data_dir)  # another program's next open leaves it too
        assert prepared.staging.exists()
    finally:
        prepared.discard()
    assert kept_copies(data_dir) == []


def test_a_restore_whose_program_ended_is_cleaned_on_the_next_open(
    data_dir: Path, tmp_path: Path
) -> None:
    """A program staged a restore and ended without finishing it (a crash, a kill): the copy
    it staged goes at the next open, however young it is."""
    backup = _backup(data_dir, tmp_path / "drive")
    script = textwrap.dedent(f"""
        import os
        from pathlib import Path
        from journal_app.core.recovery.backup import prepare_restore
        prepare_restore(Path({str(data_dir)!r}), Path({str(backup)!r}), passphrase={PASS!r})
        os._exit(0)  # gone without cleaning up
    """)
    subprocess.run([sys.executable, "-c", script], check=True, timeout=60)
    (staged,) = [c for c in kept_copies(data_dir) if c.kind == RESTORE_STAGING]
    assert time.time() - staged.path.stat().st_mtime < bk.STALE_S
    tidy(data_dir)
    assert kept_copies(data_dir) == []
    assert not [p for p in data_dir.iterdir() if p.name.startswith(".")]


def test_an_old_unclaimed_staging_folder_still_goes_by_age(data_dir: Path) -> None:
    young = data_dir / ".restore-young1"
    old = data_dir / ".restore-old1"
    for folder in (young, old):
        folder.mkdir()
    past = time.time() - 2 * bk.STALE_S
    os.utime(old, (past, past))
    tidy(data_dir)
    assert young.exists() and not old.exists()
