"""When a save fails (disk full, folder not writable) no text is lost: the editor keeps it
marked unsaved, the lock waits until it is saved, and quitting asks first."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox

from journal_app.core.errors import StorageError
from journal_app.core.vault.journal import Journal
from journal_app.ui.shell.mainwindow import MainWindow

from .conftest import WAIT_MS, unlock


def test_a_failed_save_keeps_the_text_and_blocks_the_lock(
    qtbot: Any, open_window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = open_window
    editor = window.journal_page.editor
    real_save = Journal.save_entry

    def disk_full(self: Journal, *args: object, **kwargs: object) -> object:
        raise StorageError()

    monkeypatch.setattr(Journal, "save_entry", disk_full)
    QTest.keySequence(window, "Ctrl+N")
    qtbot.keyClicks(editor.title, "Written while the disk was full")
    qtbot.keyClicks(editor.body, "These words must survive.")
    QTest.keySequence(window, "Ctrl+S")
    qtbot.waitUntil(lambda: editor.state.text().startswith("Not saved"), timeout=WAIT_MS)
    assert editor.dirty
    assert "disk may be full" in editor.state.text()

    QTest.keySequence(window, "Ctrl+L")
    assert window.stack.currentWidget() is window.journal_page  # not locked: text kept
    assert editor.body.toPlainText() == "These words must survive."
    assert "could not be saved" in window.message_bar.text.text()

    monkeypatch.setattr(Journal, "save_entry", real_save)
    QTest.keySequence(window, "Ctrl+L")
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.lock_page, timeout=WAIT_MS)
    unlock(qtbot, window)
    assert any(e.body == "These words must survive." for e in window.session.entries())


def test_quitting_with_unsaved_text_asks_first(
    qtbot: Any, open_window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = open_window
    editor = window.journal_page.editor

    def disk_full(self: Journal, *args: object, **kwargs: object) -> object:
        raise StorageError()

    monkeypatch.setattr(Journal, "save_entry", disk_full)
    QTest.keySequence(window, "Ctrl+N")
    qtbot.keyClicks(editor.body, "Not yet on disk.")
    asked: list[str] = []

    def answer_no(*args: object, **kwargs: object) -> QMessageBox.StandardButton:
        asked.append(str(args[2]))
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", answer_no)
    assert window.close() is False  # the close was refused
    assert asked and "could not be saved" in asked[0]
    assert editor.body.toPlainText() == "Not yet on disk."
