"""Settings lists the copies of the journal kept in its folder and removes one, asking first."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QMessageBox

from journal_app.core.recovery.backup import create_backup, restore_backup
from journal_app.core.vault.journal import Journal
from journal_app.core.vault.store import DB_NAME
from journal_app.ui.dialogs.settings import SettingsDialog
from journal_app.ui.shell.mainwindow import MainWindow
from tests.helpers.images import png

from .conftest import (
    PASSPHRASE,
    answer_message_box,
    click,
    click_row,
    make_vault,
    on_modal,
    sample_entries,
    unlock,
)


def _leave_copies(folder: Path, drive: Path) -> None:
    """A restore from a backup (keeps the replaced journal) and a format update (keeps the
    file as it was), as they happen to a journal over the years."""
    drive.mkdir()
    with Journal.open(folder) as journal:
        journal.unlock(PASSPHRASE)
        backup = create_backup(journal, drive).path
    restore_backup(folder, backup, passphrase=PASSPHRASE)
    conn = sqlite3.connect(folder / DB_NAME)
    try:
        conn.execute("PRAGMA user_version=0")
    finally:
        conn.close()
    Journal.open(folder).close()


def test_settings_lists_the_kept_copies_and_removes_one_after_asking(
    qtbot, folder: Path, tmp_path: Path, make_window: Callable[..., MainWindow]
) -> None:
    make_vault(folder, sample_entries())
    _leave_copies(folder, tmp_path / "drive")
    replaced = next(folder.glob("replaced-*"))
    migration = folder / f"{DB_NAME}.before-migration-0"
    window = make_window(folder)
    unlock(qtbot, window)

    def settings(dialog: SettingsDialog) -> None:
        panel = dialog.copies
        view = panel.view
        assert view.isVisible() and not panel.empty.isVisible()
        rows = [[view.topLevelItem(r).text(c) for c in range(3)]
                for r in range(view.topLevelItemCount())]
        assert len(rows) == 2
        whats = {row[0] for row in rows}
        assert any("before a restore" in w for w in whats)
        assert any("before an update" in w for w in whats)
        for _what, when, size in rows:
            assert " at " in when and size.endswith(("KB", "MB", "bytes"))
        assert not panel.remove_button.isEnabled()

        row = next(r for r in range(len(rows)) if "restore" in rows[r][0])
        click_row(qtbot, view, row)
        assert panel.remove_button.isEnabled()
        answered = answer_message_box(QMessageBox.StandardButton.No)
        click(qtbot, panel.remove_button)
        assert len(answered) == 1 and replaced.exists()
        assert view.topLevelItemCount() == 2

        answered = answer_message_box(QMessageBox.StandardButton.Yes)
        click(qtbot, panel.remove_button)
        assert len(answered) == 1
        assert not replaced.exists() and migration.exists()
        assert panel.status.text() == "The copy was removed."
        assert view.topLevelItemCount() == 1 and "before an update" in \
            view.topLevelItem(0).text(0)

        click_row(qtbot, view, 0)
        answered = answer_message_box(QMessageBox.StandardButton.Yes)
        click(qtbot, panel.remove_button)
        assert len(answered) == 1 and not migration.exists()
        assert panel.empty.isVisible() and not view.isVisible()
        dialog.accept()

    seen = on_modal(SettingsDialog, settings)
    window.act_settings.trigger()
    assert len(seen) == 1
    # The journal itself is untouched, and still open in the window.
    assert len(window.session.entries()) == len(sample_entries())


def test_a_copy_removed_meanwhile_is_said_plainly(
    qtbot, folder: Path, tmp_path: Path, make_window: Callable[..., MainWindow]
) -> None:
    make_vault(folder, sample_entries())
    _leave_copies(folder, tmp_path / "drive")
    window = make_window(folder)
    unlock(qtbot, window)

    def settings(dialog: SettingsDialog) -> None:
        panel = dialog.copies
        assert panel.view.topLevelItemCount() == 2
        click_row(qtbot, panel.view, 0)
        (folder / f"{DB_NAME}.before-migration-0").unlink()  # removed by hand meanwhile
        for path in folder.glob("replaced-*"):
            for child in path.iterdir():
                child.unlink()
            path.rmdir()
        answered = answer_message_box(QMessageBox.StandardButton.Yes)
        click(qtbot, panel.remove_button)
        assert len(answered) == 1
        assert panel.error.isVisible() and "not in the journal's folder" in panel.error.text()
        assert panel.empty.isVisible()
        dialog.accept()

    seen = on_modal(SettingsDialog, settings)
    window.act_settings.trigger()
    assert len(seen) == 1


def test_settings_empties_a_trash_holding_only_a_removed_attachment(
    qtbot, open_window: MainWindow
) -> None:
    """Seen: Settings said "The trash is already empty." and left the attachment there."""
    window = open_window
    journal = window.session.journal
    assert journal is not None
    entry = window.session.entries()[0]
    attachment = journal.add_attachment(entry.id, "scan.png", png())
    journal.remove_attachment(attachment.id)

    def empty(dialog: SettingsDialog) -> None:
        asked: list[str] = []

        def answer(box: QMessageBox) -> None:
            asked.append(box.text())
            box.button(QMessageBox.StandardButton.Yes).click()

        on_modal(QMessageBox, answer)
        click(qtbot, dialog.empty_trash_button)
        assert len(asked) == 1 and "1 attachment for good" in asked[0]
        qtbot.waitUntil(lambda: dialog.result_label.text() == "Removed 1 attachment.")
        dialog.accept()

    seen = on_modal(SettingsDialog, empty)
    window.act_settings.trigger()
    assert len(seen) == 1
    assert journal.removed_attachments() == []
