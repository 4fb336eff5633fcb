"""Settings: changed in the dialog, kept across a restart of the window with window state."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QSize, Qt
from PySide6.QtGui import QFont
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QComboBox, QMessageBox

from journal_app.core.errors import JournalError
from journal_app.core.vault.journal import Journal
from journal_app.ui import theme
from journal_app.ui.dialogs.rotatekey import NewRecoveryKeyDialog
from journal_app.ui.dialogs.settings import (
    ChangePassphraseDialog,
    RecoveryKeyDialog,
    SettingsDialog,
)
from journal_app.ui.session import Change
from journal_app.ui.shell.mainwindow import MainWindow
from journal_app.ui.uisettings import UiSettings

from .conftest import (
    PASSPHRASE,
    a_week_of_writing,
    answer_message_box,
    click,
    make_vault,
    on_modal,
    sample_entries,
    set_spin,
    trends_shown,
    unlock,
    writes_done,
)


def choose(qtbot, combo: QComboBox, text: str) -> None:
    """Open a combo box's list with the mouse, move to ``text`` with the arrow keys, Enter.

    (A click on an item right after opening is ignored by Qt as the end of the opening click.)
    """
    click(qtbot, combo)
    view = combo.view()
    qtbot.waitUntil(view.isVisible, timeout=2000)
    row = combo.findText(text)
    assert row >= 0, text
    step = Qt.Key.Key_Down if row > combo.currentIndex() else Qt.Key.Key_Up
    for _ in range(abs(row - combo.currentIndex())):
        qtbot.keyClick(view, step)
    qtbot.keyClick(view, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not view.isVisible(), timeout=2000)
    assert combo.currentText() == text


def test_defaults(qtbot) -> None:
    settings = UiSettings()
    assert settings.theme == "system"
    assert settings.text_size == 11
    assert settings.autolock_minutes == 5
    assert settings.data_dir is None
    assert settings.geometry("main") is None


def test_out_of_range_values_fall_back_to_defaults(qtbot) -> None:
    raw = QSettings("journal-app", "journal-app")
    raw.setValue("security/autolock_minutes", "soon")
    raw.setValue("view/text_size", 500)
    raw.setValue("view/theme", "neon")
    raw.sync()
    settings = UiSettings()
    assert settings.autolock_minutes == 5
    assert settings.text_size == 11
    assert settings.theme == "system"


def test_settings_and_window_state_survive_a_restart(
        qtbot, folder: Path, make_window: Callable[..., MainWindow]) -> None:
    make_vault(folder, sample_entries())
    window = make_window(folder)
    unlock(qtbot, window)
    assert window.idle.limit_ms == 5 * 60_000

    def change(dialog: SettingsDialog) -> None:
        assert dialog.folder_label.text().replace("\u200b", "") == str(folder)
        choose(qtbot, dialog.theme, "Dark")
        set_spin(qtbot, dialog.text_size, "10")
        choose(qtbot, dialog.autolock, "15 minutes")
        dialog.accept()

    seen = on_modal(SettingsDialog, change)
    QTest.keySequence(window, "Ctrl+,")
    assert len(seen) == 1
    assert window.idle.limit_ms == 15 * 60_000  # effective at once
    assert theme.colors() is theme.DARK
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    assert app.font().pointSize() == 10

    # Fits the offscreen screen (800x800), wide enough for the layout at 10 pt.
    window.resize(QSize(796, 580))
    page = window.journal_page
    page.splitter.setSizes([220, 560])  # both above their minimum widths
    qtbot.waitUntil(lambda: window.size() == QSize(796, 580), timeout=2000)
    sizes = page.splitter.sizes()
    assert abs(sizes[0] - 220) <= 12, sizes  # not the default split (about 280 here)
    assert window.close()
    assert not window.session.is_unlocked  # closing locked and closed the vault

    settings = UiSettings()
    assert settings.theme == "dark"
    assert settings.text_size == 10
    assert settings.autolock_minutes == 15
    assert settings.data_dir == str(folder)

    again = make_window(folder)
    assert again.size() == QSize(796, 580)
    assert again.stack.currentWidget() is again.lock_page
    unlock(qtbot, again)
    assert again.idle.limit_ms == 15 * 60_000
    assert again.journal_page.splitter.sizes() == sizes

    def check(dialog: SettingsDialog) -> None:
        assert dialog.theme.currentData() == "dark"
        assert dialog.text_size.value() == 10
        assert dialog.autolock.currentData() == 15
        dialog.accept()

    seen = on_modal(SettingsDialog, check)
    again.act_settings.trigger()
    assert len(seen) == 1


def test_text_size_shortcuts(qtbot, open_window: MainWindow) -> None:
    window = open_window
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    start = window.settings.text_size
    QTest.keySequence(window, "Ctrl+=")
    assert window.settings.text_size == start + 1
    assert app.font().pointSize() == start + 1
    QTest.keySequence(window, "Ctrl+-")
    QTest.keySequence(window, "Ctrl+-")
    assert window.settings.text_size == start - 1
    window.settings.text_size = 28
    QTest.keySequence(window, "Ctrl+=")
    assert window.settings.text_size == 28  # capped
    assert QFont(app.font()).pointSize() == 28


def test_settings_dialog_empty_trash_asks_first(qtbot, open_window: MainWindow) -> None:
    window = open_window
    [first, *_rest] = window.session.entries()
    window.session.write(lambda journal: journal.delete_entry(first.id), changes=Change.ENTRIES)
    writes_done(qtbot, window.session)

    def empty(dialog: SettingsDialog) -> None:
        answered = answer_message_box(QMessageBox.StandardButton.No)
        click(qtbot, dialog.empty_trash_button)
        assert len(answered) == 1
        assert len(window.session.entries(trash=True)) == 1
        answered = answer_message_box(QMessageBox.StandardButton.Yes)
        click(qtbot, dialog.empty_trash_button)
        assert len(answered) == 1
        qtbot.waitUntil(lambda: dialog.result_label.text() == "Removed 1 entry.")
        click(qtbot, dialog.empty_trash_button)
        assert dialog.result_label.text() == "The trash is already empty."
        dialog.accept()

    seen = on_modal(SettingsDialog, empty)
    window.act_settings.trigger()
    assert len(seen) == 1
    assert window.session.entries(trash=True) == []


def test_streaks_are_off_until_turned_on_in_settings(qtbot, open_window: MainWindow) -> None:
    """"Check-in streak: 0 days now" is the wrong message in a grief journal."""
    window = open_window
    journal = window.session.journal
    assert journal is not None and journal.app_state().show_streaks is False
    a_week_of_writing(journal)  # Trends past the new journal's note
    window.show_trends()
    trends_shown(qtbot, window.dashboard)
    assert "streak" not in window.dashboard.summary.text().lower()

    def turn_on(dialog: SettingsDialog) -> None:
        assert not dialog.show_streaks.isChecked()
        click(qtbot, dialog.show_streaks)
        dialog.accept()

    on_modal(SettingsDialog, turn_on)
    window.act_settings.trigger()
    writes_done(qtbot, window.session)
    assert journal.app_state().show_streaks is True
    trends_shown(qtbot, window.dashboard)
    assert "Check-in streak" in window.dashboard.summary.text()


def test_check_integrity_reports_all_is_well(qtbot, open_window: MainWindow) -> None:
    window = open_window

    def verify(dialog: SettingsDialog) -> None:
        click(qtbot, dialog.verify_button)
        qtbot.waitUntil(lambda: dialog.result_label.text().startswith("All is well"), timeout=5000)
        assert not dialog.busy.isVisible()
        dialog.accept()

    seen = on_modal(SettingsDialog, verify)
    window.act_settings.trigger()
    assert len(seen) == 1


def test_change_passphrase_from_settings(qtbot, open_window: MainWindow) -> None:
    window = open_window
    new = "saffron window tidal"

    def change(dialog: ChangePassphraseDialog) -> None:
        assert not dialog.ok.isEnabled()
        qtbot.keyClicks(dialog.current, "not the passphrase")
        qtbot.keyClicks(dialog.new.first, new)
        qtbot.keyClicks(dialog.new.second, new)
        assert dialog.ok.isEnabled()
        click(qtbot, dialog.ok)
        qtbot.waitUntil(dialog.error.isVisible, timeout=5000)
        assert "passphrase" in dialog.error.text().lower()
        assert dialog.isVisible()
        dialog.current.clear()
        qtbot.keyClicks(dialog.current, PASSPHRASE)
        click(qtbot, dialog.ok)
        qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5000)

    def settings(dialog: SettingsDialog) -> None:
        seen = on_modal(ChangePassphraseDialog, change)
        click(qtbot, dialog.change_pass)
        assert len(seen) == 1
        assert dialog.result_label.text() == "Your passphrase was changed."
        dialog.accept()

    seen = on_modal(SettingsDialog, settings)
    window.act_settings.trigger()
    assert len(seen) == 1
    window.lock_now()
    qtbot.keyClicks(window.lock_page.passphrase, PASSPHRASE)
    click(qtbot, window.lock_page.unlock_button)
    qtbot.waitUntil(window.lock_page.error.isVisible, timeout=5000)
    window.lock_page.passphrase.clear()
    unlock(qtbot, window, new)


def test_new_recovery_key_from_settings(qtbot, folder: Path,
                                        make_window: Callable[..., MainWindow]) -> None:
    old_key = make_vault(folder)
    window = make_window(folder)
    unlock(qtbot, window)
    shown: list[str] = []

    def make_key(dialog: NewRecoveryKeyDialog) -> None:
        assert not dialog.ok.isEnabled()
        qtbot.keyClicks(dialog.current, "not the passphrase")
        click(qtbot, dialog.ok)
        qtbot.waitUntil(dialog.error.isVisible, timeout=5000)
        assert "passphrase" in dialog.error.text().lower()
        dialog.current.clear()
        qtbot.keyClicks(dialog.current, PASSPHRASE)
        click(qtbot, dialog.ok)
        qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5000)

    def confirm(dialog: RecoveryKeyDialog) -> None:
        shown.append(dialog.panel.key_label.text().replace("\n", ""))
        click(qtbot, dialog.panel.stored)
        click(qtbot, dialog.panel.continue_button)

    def settings(dialog: SettingsDialog) -> None:
        asked = on_modal(NewRecoveryKeyDialog, make_key)
        seen = on_modal(RecoveryKeyDialog, confirm)
        click(qtbot, dialog.new_key)
        assert len(asked) == 1
        qtbot.waitUntil(lambda: len(seen) == 1, timeout=5000)
        qtbot.waitUntil(lambda: "new recovery key" in dialog.result_label.text(), timeout=5000)
        dialog.accept()

    seen = on_modal(SettingsDialog, settings)
    window.act_settings.trigger()
    assert len(seen) == 1
    assert len(shown) == 1 and shown[0] != old_key
    window.close()
    journal = Journal.open(folder)
    try:
        with pytest.raises(JournalError):
            journal.recover(old_key, "whatever passphrase here")
        journal.recover(shown[0], "whatever passphrase here")
        assert journal.is_unlocked
    finally:
        journal.close()


def test_following_the_system_scheme_reapplies_the_theme(
    open_window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    applied: list[str] = []
    monkeypatch.setattr(open_window, "apply_appearance", lambda: applied.append("x"))
    open_window.settings.theme = "system"
    open_window._system_scheme_changed()
    open_window.settings.theme = "dark"
    open_window._system_scheme_changed()
    assert applied == ["x"]  # only while the theme follows the system
    assert theme.colors() in (theme.LIGHT, theme.DARK)
