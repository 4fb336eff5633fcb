"""Building the main window shows no other window, not even for a moment.

A widget made visible before it has a parent is a window of its own: the entry editor's details
strip and the support panel's Dismiss button were, each shown and hidden within a millisecond
while the main window was completed behind the lock screen. Each took the activation from the
main window (and with it the focus of the passphrase field, so that typing went nowhere)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from journal_app.core.vault.crypto import TEST_KDF
from journal_app.ui.session import JournalSession
from journal_app.ui.shell.mainwindow import MainWindow
from journal_app.ui.uisettings import UiSettings

from .conftest import make_vault


class WindowsShown(QObject):
    """Every top-level widget shown while installed on the application."""

    def __init__(self) -> None:
        super().__init__()
        self.shown: list[str] = []

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (event.type() == QEvent.Type.Show and isinstance(watched, QWidget)
                and watched.isWindow()):
            self.shown.append(type(watched).__name__)
        return False


def test_building_the_main_window_shows_no_other_window(qtbot: QtBot, folder: Path) -> None:
    make_vault(folder)
    watcher = WindowsShown()
    app = QApplication.instance()
    assert app is not None
    app.installEventFilter(watcher)
    try:
        window = MainWindow(JournalSession(kdf=TEST_KDF), UiSettings(), folder)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        window.start(folder)
        qtbot.wait(50)
    finally:
        app.removeEventFilter(watcher)
    assert watcher.shown == ["MainWindow"]
