"""Changing the journal's key from Settings: "Someone may have seen my passphrase", progress,
the new recovery key, what rotation cannot do, and replacing the backups made before."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from journal_app.core.errors import WrongPassphraseError, WrongRecoveryKeyError
from journal_app.core.recovery.backup import create_backup, list_backups, verify_backup
from journal_app.core.vault.journal import Journal
from journal_app.ui.dialogs.rotatekey import LIMITS, NewRecoveryKeyDialog
from journal_app.ui.dialogs.settings import (
    ChangePassphraseDialog,
    RecoveryKeyDialog,
    SettingsDialog,
)
from journal_app.ui.shell.mainwindow import MainWindow

from .conftest import (
    PASSPHRASE,
    WAIT_MS,
    answer_message_box,
    click,
    make_vault,
    on_modal,
    sample_entries,
    unlock,
)

NEW = "saffron window tidal"


def test_an_exposed_passphrase_rotates_the_key_and_replaces_old_backups(
    qtbot, folder: Path, tmp_path: Path, make_window: Callable[..., MainWindow]
) -> None:
    old_key = make_vault(folder, sample_entries())
    drive = tmp_path / "drive"
    drive.mkdir()
    with Journal.open(folder) as journal:
        journal.unlock(PASSPHRASE)
        old_backup = create_backup(journal, drive).path
    window = make_window(folder)
    window.settings.backup_folder = str(drive)
    unlock(qtbot, window)
    progress: list[tuple[int, int]] = []
    shown: list[str] = []

    def change(dialog: ChangePassphraseDialog) -> None:
        assert not dialog.limits.isVisible()
        qtbot.keyClicks(dialog.current, PASSPHRASE)
        qtbot.keyClicks(dialog.new.first, NEW)
        qtbot.keyClicks(dialog.new.second, NEW)
        click(qtbot, dialog.exposed)
        assert dialog.limits.isVisible() and dialog.limits.text() == LIMITS
        assert dialog.ok.text() == "Change passphrase and key"
        dialog.progressed.connect(lambda done, total: progress.append((done, total)))
        click(qtbot, dialog.ok)
        qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT_MS)

    def new_key(dialog: RecoveryKeyDialog) -> None:
        shown.append(dialog.panel.key_label.text().replace("\n", ""))
        offer = dialog.backups
        assert offer is not None and offer.back_up_button.isVisible()
        click(qtbot, offer.back_up_button)
        qtbot.waitUntil(lambda: "new backup was made" in offer.status.text(), timeout=WAIT_MS)
        answered = answer_message_box(QMessageBox.StandardButton.Yes)
        click(qtbot, offer.delete_button)
        qtbot.waitUntil(lambda: "Deleted 1 older backup" in offer.status.text(), timeout=WAIT_MS)
        assert len(answered) == 1
        click(qtbot, dialog.panel.stored)
        click(qtbot, dialog.panel.continue_button)

    def settings(dialog: SettingsDialog) -> None:
        changed = on_modal(ChangePassphraseDialog, change)
        seen = on_modal(RecoveryKeyDialog, new_key)
        click(qtbot, dialog.change_pass)
        assert len(changed) == 1
        qtbot.waitUntil(lambda: len(seen) == 1, timeout=WAIT_MS)
        assert "new key" in dialog.result_label.text()
        dialog.accept()

    seen = on_modal(SettingsDialog, settings)
    window.act_settings.trigger()
    assert len(seen) == 1 and len(shown) == 1
    assert progress and progress[-1][0] == progress[-1][1] > 0
    # Only the new backup is left, and it opens with the new passphrase.
    backups = [path for path, _header in list_backups(drive)]
    assert len(backups) == 1 and backups[0] != old_backup and not old_backup.exists()
    assert verify_backup(backups[0], passphrase=NEW).ok
    window.close()
    with Journal.open(folder) as journal:
        with pytest.raises(WrongPassphraseError):
            journal.unlock(PASSPHRASE)
        with pytest.raises(WrongRecoveryKeyError):
            journal.recover(old_key, "whatever passphrase here")
        journal.recover(shown[0], NEW)
        assert {e.title for e in journal.entries()} == {e.title for e in sample_entries()}


def test_a_new_recovery_key_is_refused_while_another_program_has_the_journal_open(
    qtbot, open_window: MainWindow, folder: Path
) -> None:
    window = open_window

    def make_key(dialog: NewRecoveryKeyDialog) -> None:
        assert dialog.limits.text() == LIMITS
        qtbot.keyClicks(dialog.current, PASSPHRASE)
        click(qtbot, dialog.ok)
        qtbot.waitUntil(dialog.error.isVisible, timeout=WAIT_MS)
        assert "open in another program" in dialog.error.text()
        assert dialog.isVisible() and dialog.ok.isEnabled()
        dialog.reject()

    def settings(dialog: SettingsDialog) -> None:
        asked = on_modal(NewRecoveryKeyDialog, make_key)
        click(qtbot, dialog.new_key)
        assert len(asked) == 1
        dialog.accept()

    with Journal.open(folder):  # another program has it open
        seen = on_modal(SettingsDialog, settings)
        window.act_settings.trigger()
    assert len(seen) == 1
    # Nothing changed: it still opens with the passphrase it had.
    window.lock_now()
    unlock(qtbot, window)
