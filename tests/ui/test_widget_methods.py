"""Qt's own methods stay callable: no attribute of ours hides QDialog.result() or QWidget.scroll().

A label stored as ``self.result`` made ``dialog.result()`` (which Qt's modal helpers and our own
code call to learn how a dialog closed) raise "'QLabel' object is not callable"; a scroll area
stored as ``self.scroll`` did the same to ``QWidget.scroll(dx, dy)``.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from journal_app.ui.dialogs.backups import BackupsDialog
from journal_app.ui.dialogs.settings import SettingsDialog
from journal_app.ui.interchange.exporter import ExportDialog
from journal_app.ui.shell.mainwindow import MainWindow


def _closed_with_escape(qtbot: QtBot, dialog: QDialog) -> int:
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    return int(dialog.result())


def test_export_dialog_result_is_callable(qtbot: QtBot, open_window: MainWindow) -> None:
    dialog = ExportDialog(open_window.session, open_window.settings, open_window)
    assert _closed_with_escape(qtbot, dialog) == QDialog.DialogCode.Rejected.value


def test_backups_dialog_result_is_callable(qtbot: QtBot, open_window: MainWindow) -> None:
    dialog = BackupsDialog(open_window.backups, open_window)
    assert _closed_with_escape(qtbot, dialog) == QDialog.DialogCode.Rejected.value


def test_settings_dialog_result_is_callable(qtbot: QtBot, open_window: MainWindow) -> None:
    dialog = SettingsDialog(open_window.session, open_window.settings, open_window)
    assert _closed_with_escape(qtbot, dialog) == QDialog.DialogCode.Rejected.value


def test_attachment_strip_scroll_is_callable(open_window: MainWindow) -> None:
    strip = open_window.journal_page.editor.attachments
    before = strip.geometry()
    strip.scroll(0, 0)  # QWidget.scroll: moves the widget's contents by (0, 0)
    assert strip.geometry() == before
