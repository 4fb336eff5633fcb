"""First run: choosing a passphrase, creating the journal, the recovery key shown once."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from journal_app.core.vault.journal import Journal
from journal_app.ui.pages import welcome as welcome_module
from journal_app.ui.shell.mainwindow import MainWindow

from .conftest import PASSPHRASE, WAIT_MS, make_vault

KEY_FORMAT = re.compile(r"^[0-9A-Z]{4}(-[0-9A-Z]{4}){7}$")


def type_passphrases(qtbot, window: MainWindow, first: str, second: str | None = None) -> None:
    fields = window.welcome.passphrase
    fields.first.clear()
    fields.second.clear()
    qtbot.keyClicks(fields.first, first)
    qtbot.keyClicks(fields.second, first if second is None else second)


def test_first_run_shows_welcome_with_the_folder(qtbot, folder: Path,
                                                 make_window: Callable[..., MainWindow]) -> None:
    window = make_window(folder)
    assert window.stack.currentWidget() is window.welcome
    assert window.welcome.folder.text() == str(folder)
    assert not window.welcome.create_button.isEnabled()
    assert not window.toolbar.isVisible()
    assert not window.act_new.isEnabled()


@pytest.mark.parametrize(
    ("passphrase", "reason"),
    [("password1", "most common passwords"), ("short", "Too short")],
)
def test_weak_passphrase_keeps_create_disabled_and_says_why(
        qtbot, folder: Path, make_window: Callable[..., MainWindow], passphrase: str,
        reason: str) -> None:
    window = make_window(folder)
    type_passphrases(qtbot, window, passphrase)
    assert not window.welcome.create_button.isEnabled()
    assert reason in window.welcome.passphrase.advice.text()
    # Enter in the second field does not create either.
    qtbot.keyClick(window.welcome.passphrase.second, Qt.Key.Key_Return)
    assert not window.welcome.busy.isVisible()
    assert not Journal.exists(folder)


def test_different_passphrases_keep_create_disabled(
        qtbot, folder: Path, make_window: Callable[..., MainWindow]) -> None:
    window = make_window(folder)
    type_passphrases(qtbot, window, PASSPHRASE, PASSPHRASE + "x")
    assert not window.welcome.create_button.isEnabled()
    assert "differ" in window.welcome.passphrase.advice.text()
    window.welcome.passphrase.second.backspace()
    assert window.welcome.create_button.isEnabled()


def test_create_journal_shows_recovery_key_then_journal(
        qtbot, folder: Path, make_window: Callable[..., MainWindow]) -> None:
    window = make_window(folder)
    welcome = window.welcome
    type_passphrases(qtbot, window, PASSPHRASE)
    assert welcome.create_button.isEnabled()
    qtbot.mouseClick(welcome.create_button, Qt.MouseButton.LeftButton)
    # Key derivation runs in the worker: the busy indicator shows meanwhile.
    assert welcome.busy.isVisible()
    assert not welcome.create_button.isEnabled()
    panel = welcome.recovery
    qtbot.waitUntil(lambda: welcome.stack.currentWidget() is panel, timeout=WAIT_MS)
    assert not welcome.busy.isVisible()
    assert Journal.exists(folder)
    shown = panel.key_label.text().replace("\n", "-")
    assert KEY_FORMAT.match(shown), shown
    # The passphrase fields were cleared once the journal existed.
    assert welcome.passphrase.first.text() == ""

    qtbot.mouseClick(panel.copy_button, Qt.MouseButton.LeftButton)
    clipboard = QGuiApplication.clipboard()
    assert clipboard.text() == shown
    assert "cleared" in panel.copied_note.text()
    panel.clear_clipboard()
    assert clipboard.text() == ""

    # Continue waits for the "stored it" tick.
    assert not panel.continue_button.isEnabled()
    qtbot.mouseClick(panel.continue_button, Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is window.welcome
    panel.stored.click()
    assert panel.continue_button.isEnabled()
    qtbot.mouseClick(panel.copy_button, Qt.MouseButton.LeftButton)  # copied again...
    qtbot.mouseClick(panel.continue_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.journal_page, timeout=WAIT_MS)
    assert clipboard.text() == ""  # ...and gone once the user moved on
    assert panel.key_label.text() == ""  # the key is not kept on screen
    assert window.act_new.isEnabled()
    assert window.journal_page.model.rowCount() == 0
    assert window.session.journal is not None
    assert window.session.journal.entries() == []

    # The key works: lock, then recover with it.
    window.lock_now()
    assert window.session.journal.is_unlocked is False
    window.session.journal.recover(shown, "another long passphrase")
    assert window.session.journal.is_unlocked


def test_clipboard_is_cleared_only_if_it_still_holds_the_key(
        qtbot, folder: Path, make_window: Callable[..., MainWindow],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(welcome_module, "CLIPBOARD_CLEAR_MS", 50)
    window = make_window(folder)
    type_passphrases(qtbot, window, PASSPHRASE)
    qtbot.mouseClick(window.welcome.create_button, Qt.MouseButton.LeftButton)
    panel = window.welcome.recovery
    qtbot.waitUntil(lambda: window.welcome.stack.currentWidget() is panel, timeout=WAIT_MS)
    clipboard = QGuiApplication.clipboard()

    # The timer clears the key by itself.
    qtbot.mouseClick(panel.copy_button, Qt.MouseButton.LeftButton)
    assert clipboard.text() == panel._key
    qtbot.waitUntil(lambda: clipboard.text() == "", timeout=WAIT_MS)

    # Something else copied meanwhile is left alone.
    qtbot.mouseClick(panel.copy_button, Qt.MouseButton.LeftButton)
    clipboard.setText("a shopping list")
    with qtbot.waitSignal(panel._clear_timer.timeout, timeout=WAIT_MS):
        pass
    assert clipboard.text() == "a shopping list"
    panel.clear_clipboard()
    assert clipboard.text() == "a shopping list"
    clipboard.clear()


def test_save_recovery_key_to_a_file(qtbot, folder: Path, tmp_path: Path,
                                     make_window: Callable[..., MainWindow]) -> None:
    window = make_window(folder)
    type_passphrases(qtbot, window, PASSPHRASE)
    qtbot.mouseClick(window.welcome.create_button, Qt.MouseButton.LeftButton)
    panel = window.welcome.recovery
    qtbot.waitUntil(lambda: window.welcome.stack.currentWidget() is panel, timeout=WAIT_MS)
    target = tmp_path / "key.txt"
    panel.save_to(target)
    assert panel.key_label.text().replace("\n", "-") in target.read_text()
    assert target.stat().st_mode & 0o077 == 0
    assert "key.txt" in panel.copied_note.text()


def test_synced_folder_shows_a_warning(qtbot, tmp_path: Path,
                                       make_window: Callable[..., MainWindow]) -> None:
    window = make_window(tmp_path / "plain")
    note = window.welcome.sync_note
    assert not note.isVisible()
    window.welcome.folder.clear()
    qtbot.keyClicks(window.welcome.folder, str(tmp_path / "Dropbox" / "journal"))
    assert note.isVisible()
    assert "Dropbox" in note.text()
    window.welcome.folder.clear()
    qtbot.keyClicks(window.welcome.folder, str(tmp_path / "elsewhere"))
    assert not note.isVisible()


def test_opening_a_folder_without_a_journal_says_so(
        qtbot, tmp_path: Path, make_window: Callable[..., MainWindow]) -> None:
    window = make_window(tmp_path / "new")
    empty = tmp_path / "empty"
    empty.mkdir()
    window.welcome.open_existing(empty)
    error = window.welcome.error
    assert error.isVisible()
    assert "no journal in that folder" in error.text()
    assert window.stack.currentWidget() is window.welcome
    assert "Traceback" not in error.text()


def test_creating_where_a_journal_exists_says_open_it(
        qtbot, folder: Path, make_window: Callable[..., MainWindow]) -> None:
    make_vault(folder)
    window = make_window(folder, start=False)
    window.show_welcome()
    window.welcome.folder.setText(str(folder))
    type_passphrases(qtbot, window, PASSPHRASE)
    qtbot.mouseClick(window.welcome.create_button, Qt.MouseButton.LeftButton)
    assert window.welcome.error.isVisible()
    assert "already exists" in window.welcome.error.text()
    assert not window.welcome.busy.isVisible()


@pytest.mark.parametrize("content", [None, b"this is not a journal at all" * 100])
def test_window_open_folder_errors_are_plain(qtbot, tmp_path: Path, content: bytes | None,
                                             make_window: Callable[..., MainWindow]) -> None:
    """A folder with no journal, or with a file that is not one: a plain sentence, no crash."""
    window = make_window(tmp_path / "new")
    target = tmp_path / "target"
    target.mkdir()
    if content is not None:
        (target / "journal.db").write_bytes(content)
    window.open_folder(target)
    assert window.stack.currentWidget() is window.welcome
    bar = window.message_bar
    assert bar.isVisible()
    text = bar.text.text()
    assert text and "Traceback" not in text and "Error" not in text.split()[0]
    assert window.session.journal is None or not window.session.is_unlocked
    assert window.settings.data_dir != str(target)
