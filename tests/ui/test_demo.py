"""The throwaway demo journal (journal-app --demo [student|mentor]), driven as a user would
(issue 16, §4): it never writes the real settings, explains Backups and Reminders, and the
mentor's demo has students' excerpts in Shared with me."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from journal_app.core.demo.mentor import STUDENTS
from journal_app.core.vault.crypto import TEST_KDF
from journal_app.ui.dialogs.settings import SettingsDialog
from journal_app.ui.session import JournalSession
from journal_app.ui.sharing.shared_with_me import SharedWithMeWindow
from journal_app.ui.shell.demo import NO_BACKUPS, NO_REMINDERS, demo_window
from journal_app.ui.shell.mainwindow import MainWindow
from journal_app.ui.uisettings import UiSettings

from .conftest import WAIT_MS, on_modal
from .test_import_dialog import choose


@pytest.fixture
def open_demo(qtbot: QtBot, tmp_path: Path) -> Iterator[object]:
    """Open the demo as the app does (its own folder, deleted at quit), closed at teardown."""
    sessions: list[JournalSession] = []

    def make(kind: str = "student") -> MainWindow:
        session = JournalSession(kdf=TEST_KDF)
        sessions.append(session)
        demo_dir = tmp_path / f"demo-{kind}"
        demo_dir.mkdir()
        # The demo journal is made in the worker: it opens once made.
        with qtbot.waitSignal(session.unlocked, timeout=WAIT_MS):
            window = demo_window(session, UiSettings(), demo_dir, kind, kdf=TEST_KDF)
        assert isinstance(window, MainWindow)
        qtbot.addWidget(window)
        return window

    yield make
    for session in sessions:
        session.close()


def test_a_lock_time_changed_in_the_demo_leaves_the_real_settings(
        qtbot: QtBot, open_demo: object, tmp_path: Path) -> None:
    """The defect: the demo wrote the real journal's settings (its lock time, here)."""
    real = UiSettings()
    real.data_dir = str(tmp_path / "my journal")
    real.text_size = 13
    assert callable(open_demo)
    window = open_demo()
    assert window.session.is_unlocked
    assert window.stack.currentWidget() is window.journal_page
    # The demo looks like the user's app: their text size ...
    assert window.settings.text_size == 13

    def change(dialog: SettingsDialog) -> None:
        choose(qtbot, dialog.autolock, "15 minutes")
        dialog.accept()

    seen = on_modal(SettingsDialog, change)
    window.act_settings.trigger()
    assert len(seen) == 1
    assert window.idle.limit_ms == 15 * 60_000  # the demo itself follows the change
    window.act_bigger.trigger()
    assert window.settings.text_size == 14
    # ... but nothing it changes reaches the real settings, as the next start reads them.
    stored = UiSettings()
    assert stored.autolock_minutes == 5
    assert stored.text_size == 13
    assert stored.data_dir == str(tmp_path / "my journal")
    assert window.close()
    again = UiSettings()
    assert (again.autolock_minutes, again.text_size) == (5, 13)
    assert again.data_dir == str(tmp_path / "my journal")


def test_the_demo_says_what_it_is_and_explains_backups_and_reminders(
        qtbot: QtBot, open_demo: object) -> None:
    assert callable(open_demo)
    window = open_demo()
    assert window.windowTitle() == "Demo journal — journal-app"
    assert "invented entries" in window.message_bar.text.text()
    assert "not kept" in window.message_bar.text.text()
    for action, text in ((window.act_backups, NO_BACKUPS), (window.act_reminders, NO_REMINDERS)):
        assert action.isEnabled()
        said: list[str] = []

        def read(box: QMessageBox, said: list[str] = said) -> None:
            said.append(box.text())
            box.accept()

        seen = on_modal(QMessageBox, read)
        action.trigger()
        assert len(seen) == 1 and said == [text]
    assert not window.backups.check() and not window.backups.back_up()


def test_the_mentor_demo_has_students_excerpts_in_shared_with_me(
        qtbot: QtBot, open_demo: object) -> None:
    assert callable(open_demo)
    window = open_demo("mentor")
    assert window.windowTitle() == "Demo journal — journal-app"
    assert "Shared with me" in window.message_bar.text.text()
    window.sharing.act_shared.trigger()
    shared = window.sharing.shared_window
    assert isinstance(shared, SharedWithMeWindow)
    qtbot.waitUntil(shared.isVisible)
    tree = shared.tree
    # The inbox: one row per excerpt (the student's name on its first line), what waits first;
    # every demo student is in it.
    rows = [tree.topLevelItem(i).text(0) for i in range(tree.topLevelItemCount())]
    for name, _count in STUDENTS:
        assert any(row.split("\n")[0] == name for row in rows)
    # Click an excerpt: it is shown, ready for feedback.
    leaf = tree.topLevelItem(0)
    tree.scrollToItem(leaf)
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton,
                     pos=tree.visualItemRect(leaf).center())
    assert tree.currentItem() is leaf
    assert shared.reader.toPlainText().strip()
    shared.close()
