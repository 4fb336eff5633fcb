"""The editor's date field offers only the years a record may carry (1900 to 2200): a date
picked beyond them is brought to the nearest one, and the entry saves."""

from __future__ import annotations

from PySide6.QtCore import QDate, QDateTime, QTime
from pytestqt.qtbot import QtBot

from journal_app.ui.shell.mainwindow import MainWindow

from .conftest import save_now, saved_entry, write_new_entry


def test_a_date_beyond_the_years_is_brought_back(qtbot: QtBot, open_window: MainWindow) -> None:
    write_new_entry(qtbot, open_window, title="Long ago", body="A date typed in haste.")
    editor = open_window.journal_page.editor
    editor.when.setDateTime(QDateTime(QDate(1850, 3, 1), QTime(9, 0)))  # as the calendar would
    save_now(qtbot, open_window)
    assert saved_entry(open_window, "Long ago").created.year == 1900
    editor.when.setDateTime(QDateTime(QDate(7000, 3, 1), QTime(9, 0)))
    save_now(qtbot, open_window)
    assert saved_entry(open_window, "Long ago").created.year == 2200
