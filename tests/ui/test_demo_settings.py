"""The throwaway demo journal (journal-app --demo) shares the user's interface settings, but never
remembers its own folder as the journal to open next time."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from journal_app.core.vault import TEST_KDF
from journal_app.ui.app import _fill_demo
from journal_app.ui.mainwindow import MainWindow
from journal_app.ui.session import JournalSession
from journal_app.ui.uisettings import UiSettings


def test_the_demo_keeps_the_real_journal_as_the_one_to_open(qtbot: QtBot, folder: Path,
                                                            tmp_path: Path) -> None:
    real_journal = str(tmp_path / "my journal")
    settings = UiSettings()
    settings.data_dir = real_journal
    size = settings.text_size
    session = JournalSession(kdf=TEST_KDF)
    window = MainWindow(session, settings, folder, demo=True)
    qtbot.addWidget(window)
    try:
        _fill_demo(window, session, folder)
        assert session.is_unlocked
        assert window.stack.currentWidget() is window.journal_page
        window.act_bigger.trigger()  # a change made in the demo is an interface choice: kept
        stored = UiSettings()  # read back from the settings file, as the next start would
        assert stored.data_dir == real_journal
        assert stored.text_size == size + 1
        assert window.settings.data_dir == real_journal
    finally:
        session.close()
