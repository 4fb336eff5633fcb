"""The app with a damaged journal file: the rest keeps working, and it offers the rescue."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from journal_app.core.records.model import Entry
from journal_app.core.vault.crypto import TEST_KDF
from journal_app.core.vault.journal import Journal
from journal_app.core.vault.store import DB_NAME
from journal_app.ui import backups as backups_module
from journal_app.ui.dialogs.salvage import SalvageDialog
from journal_app.ui.shell.mainwindow import MainWindow
from journal_app.ui.uisettings import UiSettings
from tests.helpers.pages import overwrite_page, rowid_ids, table_pages

from .conftest import PASSPHRASE, WAIT_MS, click, list_titles, on_modal, unlock

ENTRIES = 120


def _damaged_vault(folder: Path) -> tuple[dict[str, str], set[str]]:
    """A journal of 120 entries with one leaf page of its records overwritten; returns
    id -> title of every entry and the ids that were on the page."""
    journal, _key = Journal.create(folder, PASSPHRASE, kdf=TEST_KDF)
    with journal:
        entries = [Entry(title=f"Ward day {i}", body=f"what I noticed today {i} " * 15)
                   for i in range(ENTRIES)]
        journal.add_records(entries)
    db = folder / DB_NAME
    pages = table_pages(db)
    ids = rowid_ids(db)
    leaves = sorted(pages.leaves, key=lambda p: pages.leaves[p][0])
    leaf = leaves[len(leaves) // 2]
    lost = {ids[r][0] for r in pages.leaves[leaf]}
    overwrite_page(db, leaf, pages.page_size)
    return {e.id: e.title for e in entries}, lost


def test_a_damaged_page_leaves_the_rest_readable_and_the_app_offers_the_rescue(
        qtbot, folder: Path, tmp_path: Path, make_window: Callable[..., MainWindow]) -> None:
    titles, lost = _damaged_vault(folder)
    window = make_window(folder)
    unlock(qtbot, window)
    # Everything outside the damaged page is there; a calm line says what happened.
    assert sorted(list_titles(window)) == sorted(t for i, t in titles.items() if i not in lost)
    bar = window.message_bar
    assert bar.isVisible()
    assert f"{len(lost)} records cannot be read" in bar.text.text()
    assert bar.action.text() == "Rescue…"
    out = tmp_path / "rescued"
    journal = window.session.journal
    assert journal is not None
    # The entries left, and what the app wrote (read from the table: its index lists all).
    readable = len(journal._store.id_seqs(every_page=True))

    def rescue(dialog: SalvageDialog) -> None:
        assert dialog.passphrase_field.isVisible()  # the journal is open: it asks again
        dialog.folder.clear()
        qtbot.keyClicks(dialog.folder, str(out))
        qtbot.keyClicks(dialog.passphrase_field, "not my passphrase")
        click(qtbot, dialog.rescue_button)
        qtbot.waitUntil(dialog.error.isVisible, timeout=WAIT_MS)
        assert "passphrase" in dialog.error.text()
        assert not out.exists()
        dialog.passphrase_field.clear()
        qtbot.keyClicks(dialog.passphrase_field, PASSPHRASE)
        click(qtbot, dialog.rescue_button)
        qtbot.waitUntil(lambda: dialog.pages.currentIndex() == 1, timeout=WAIT_MS)
        assert dialog.summary.text().startswith(f"{readable} records were rescued")
        listed = dialog.lost.toPlainText()
        for record_id in lost:
            assert record_id in listed
        assert dialog.key_panel.key_label.text()
        assert not dialog.key_panel.continue_button.isEnabled()
        dialog.key_panel.stored.setChecked(True)
        click(qtbot, dialog.key_panel.continue_button)

    seen = on_modal(SalvageDialog, rescue)
    click(qtbot, bar.action)
    assert seen
    # The rescued journal is open now, with everything that could be read.
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.journal_page
                    and window.session.data_dir == out, timeout=WAIT_MS)
    assert sorted(list_titles(window)) == sorted(t for i, t in titles.items() if i not in lost)
    assert not window.message_bar.isVisible() or "damaged" not in bar.text.text()


def test_a_journal_that_cannot_be_opened_offers_the_rescue_on_the_lock_page(
        qtbot, folder: Path, tmp_path: Path, make_window: Callable[..., MainWindow]) -> None:
    _damaged_vault(folder)
    db = folder / DB_NAME
    # The page of the key slots: the file is a database still, but nothing in it decrypts.
    overwrite_page(db, table_pages(db, "meta").root, 4096)
    window = make_window(folder)
    lock = window.lock_page
    assert window.stack.currentWidget() is lock
    assert lock.title.text() == "This journal cannot be opened"
    assert lock.error.isVisible()
    assert "damaged" in lock.error.text()
    assert lock.rescue_button.isVisible()
    assert not lock.unlock_button.isVisible()
    qtbot.keyClicks(lock.passphrase, PASSPHRASE)
    out = tmp_path / "rescued"

    def rescue(dialog: SalvageDialog) -> None:
        assert not dialog.passphrase_field.isVisible()  # typed on the lock page already
        dialog.folder.clear()
        qtbot.keyClicks(dialog.folder, str(out))
        click(qtbot, dialog.rescue_button)
        qtbot.waitUntil(dialog.error.isVisible, timeout=WAIT_MS)
        # Nothing of it can be read: it says so plainly and writes nothing.
        assert "damaged" in dialog.error.text()
        assert dialog.rescue_button.isEnabled()
        click(qtbot, dialog.cancel_button)

    seen = on_modal(SalvageDialog, rescue)
    qtbot.keyClick(lock.passphrase, Qt.Key.Key_Return)
    assert seen
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir() if ".salvage-" in p.name] == []
    assert window.stack.currentWidget() is lock


def test_an_automatic_backup_of_a_damaged_journal_is_refused_with_the_rescue_at_hand(
        qtbot, folder: Path, tmp_path: Path, make_window: Callable[..., MainWindow],
        monkeypatch: pytest.MonkeyPatch) -> None:
    drive = tmp_path / "drive"
    drive.mkdir()
    settings = UiSettings()
    settings.backup_folder = str(drive)
    settings.backup_enabled = True
    monkeypatch.setattr(backups_module, "FIRST_CHECK_MS", 50)
    _damaged_vault(folder)
    window = make_window(folder)
    unlock(qtbot, window)
    bar = window.message_bar
    qtbot.waitUntil(lambda: "automatic backup was not made" in bar.text.text(),
                    timeout=3 * WAIT_MS)
    assert "damaged" in bar.text.text()
    assert bar.action.isVisible() and bar.action.text() == "Rescue…"
    assert list(drive.iterdir()) == []  # a backup would copy the damage
