"""Enter on an emotion suggestion adds the suggestion; a word that is not a known emotion is
added as the user's own word only after one question (issue 16, item 1).

Seen: "exhaus" + Enter added "exhaus 4/5" (and "guil"), and such half words then fed the trends
and the filters.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from journal_app.core.records import Emotion
from journal_app.core.vault.crypto import TEST_KDF
from journal_app.ui.practice.checkin import CheckInDialog
from journal_app.ui.session import JournalSession
from journal_app.ui.shell.mainwindow import MainWindow

from .conftest import (
    PASSPHRASE,
    TITLE,
    WAIT_MS,
    click,
    make_vault,
    on_modal,
    save_now,
    saved_entry,
    write_new_entry,
    writes_done,
)


@pytest.fixture
def session(folder: Path) -> Iterator[JournalSession]:
    make_vault(folder)
    session = JournalSession(kdf=TEST_KDF)
    session.open_folder(folder)
    assert session.journal is not None
    session.journal.unlock(PASSPHRASE)
    yield session
    session.close()


@pytest.fixture
def dialog(qtbot: QtBot, session: JournalSession) -> CheckInDialog:
    dialog = CheckInDialog(session)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    return dialog


def keyboard() -> QWidget:
    """Where a key goes now: the open suggestion list if there is one, else the focus."""
    target = QApplication.activePopupWidget() or QApplication.focusWidget()
    assert target is not None
    return target


def type_emotion(qtbot: QtBot, picker: QWidget, text: str) -> None:
    click(qtbot, picker)
    for char in text:
        qtbot.keyClick(keyboard(), char)


def enter(qtbot: QtBot) -> None:
    qtbot.keyClick(keyboard(), Qt.Key.Key_Return)


def test_enter_on_a_suggestion_adds_the_suggestion(qtbot: QtBot, dialog: CheckInDialog) -> None:
    chips = dialog.emotions
    type_emotion(qtbot, chips.name, "exhaus")
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is not None, timeout=WAIT_MS)
    enter(qtbot)
    assert chips.emotions() == [Emotion("exhausted", 3)]
    assert chips.name.currentText() == ""
    type_emotion(qtbot, chips.name, "guil")
    enter(qtbot)
    assert chips.emotions() == [Emotion("exhausted", 3), Emotion("guilt", 3)]
    assert dialog.isVisible()  # Enter added; it did not save

    # The suggestion the arrows chose is the one added.
    type_emotion(qtbot, chips.name, "an")
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is not None, timeout=WAIT_MS)
    qtbot.keyClick(keyboard(), Qt.Key.Key_Down)
    qtbot.keyClick(keyboard(), Qt.Key.Key_Down)
    shown = chips.name.currentText()  # the second suggestion, shown in the field
    assert shown.startswith("an") and shown != "an"
    enter(qtbot)
    assert chips.emotions()[-1] == Emotion(shown, 3)


def test_a_word_of_ones_own_is_asked_about_once(qtbot: QtBot, dialog: CheckInDialog) -> None:
    chips = dialog.emotions
    asked: list[str] = []

    def keep(box: QMessageBox) -> None:
        asked.append(box.text())
        click(qtbot, box.button(QMessageBox.StandardButton.Yes))

    seen = on_modal(QMessageBox, keep)
    type_emotion(qtbot, chips.name, "raw")
    enter(qtbot)
    qtbot.waitUntil(lambda: len(seen) == 1, timeout=WAIT_MS)
    assert "raw" in asked[0]
    assert chips.emotions() == [Emotion("raw", 3)]

    # Asked once: the same word again (re-rated) is not asked about.
    dialog.activateWindow()  # the window manager's part once the question closed
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=WAIT_MS)
    assert dialog.focusWidget() is chips.name  # back in the picker, for the next one
    chips.intensity.setValue(5)
    type_emotion(qtbot, chips.name, "raw")
    enter(qtbot)
    assert chips.emotions() == [Emotion("raw", 5)]
    assert len(seen) == 1


def test_no_keeps_the_word_to_correct(qtbot: QtBot, dialog: CheckInDialog) -> None:
    chips = dialog.emotions
    seen = on_modal(QMessageBox, lambda box: click(
        qtbot, box.button(QMessageBox.StandardButton.No)))
    type_emotion(qtbot, chips.name, "exhuasted")  # a slip of the fingers
    enter(qtbot)
    qtbot.waitUntil(lambda: len(seen) == 1, timeout=WAIT_MS)
    assert chips.emotions() == []
    assert chips.name.currentText() == "exhuasted"  # nothing typed is lost
    assert dialog.isVisible()


def test_saving_with_a_half_typed_suggestion_stores_the_word(
        qtbot: QtBot, dialog: CheckInDialog) -> None:
    type_emotion(qtbot, dialog.emotions.name, "overwh")
    click(qtbot, dialog.save_button)
    writes_done(qtbot, dialog.session)
    assert dialog.checkin is not None
    assert dialog.checkin.emotions == (Emotion("overwhelmed", 3),)


def test_the_entry_editor_adds_the_suggestion(qtbot: QtBot, empty_window: MainWindow) -> None:
    window = empty_window
    write_new_entry(qtbot, window)
    chips = window.journal_page.editor.emotions
    type_emotion(qtbot, chips.name, "exhaus")
    enter(qtbot)
    assert chips.emotions() == [Emotion("exhausted", 3)]
    save_now(qtbot, window)
    assert saved_entry(window, TITLE).emotions == (Emotion("exhausted", 3),)
