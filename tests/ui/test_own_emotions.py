"""A word of one's own is asked about once, ever (issue 16, item 1): once the user keeps it, it is
kept in the vault (encrypted, never in QSettings), offered as a suggestion and not asked about
again in any screen that takes emotions: the entry editor, the check-in, a reflection's feelings.

Seen before: "Add my word" in one check-in, and the next check-in asked again.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from journal_app.core.practice import load_library
from journal_app.core.records import Emotion
from journal_app.core.vault.crypto import TEST_KDF
from journal_app.ui.practice.checkin import CheckInDialog
from journal_app.ui.session import Change, JournalSession
from journal_app.ui.shell.mainwindow import MainWindow
from journal_app.ui.writing.reflection import EmotionsStepEditor, ReflectionWizard

from .conftest import PASSPHRASE, WAIT_MS, click, make_vault, on_modal, write_new_entry, writes_done
from .test_emotion_enter import enter, type_emotion


@pytest.fixture
def session(folder: Path) -> Iterator[JournalSession]:
    make_vault(folder)
    session = JournalSession(kdf=TEST_KDF)
    session.open_folder(folder)
    assert session.journal is not None
    session.journal.unlock(PASSPHRASE)
    yield session
    session.close()


def open_checkin(qtbot: QtBot, session: JournalSession) -> CheckInDialog:
    dialog = CheckInDialog(session)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=WAIT_MS)
    return dialog


def keep_word(qtbot: QtBot) -> list[QMessageBox]:
    return on_modal(QMessageBox, lambda box: click(
        qtbot, box.button(QMessageBox.StandardButton.Yes)))


def test_a_kept_word_is_not_asked_about_in_the_next_checkin(
        qtbot: QtBot, session: JournalSession, folder: Path) -> None:
    first = open_checkin(qtbot, session)
    asked = keep_word(qtbot)
    type_emotion(qtbot, first.emotions.name, "raw")
    enter(qtbot)
    qtbot.waitUntil(lambda: len(asked) == 1, timeout=WAIT_MS)
    writes_done(qtbot, session)
    assert session.journal is not None
    assert session.journal.own_emotions() == ["raw"]  # in the vault, encrypted
    first.reject()

    second = open_checkin(qtbot, session)
    chips = second.emotions
    assert chips.name.findText("raw") > chips.name.findText("YOUR OWN WORDS") > 0  # offered
    asked_again = keep_word(qtbot)
    type_emotion(qtbot, chips.name, "ra")  # completed as any listed word is
    enter(qtbot)
    assert chips.emotions() == [Emotion("raw", 3)]
    type_emotion(qtbot, chips.name, "raw")
    enter(qtbot)
    qtbot.wait(50)
    assert asked_again == []
    # Nothing of it in the interface settings.
    for path in Path(folder).parent.rglob("*.conf"):
        assert "raw" not in path.read_text(encoding="utf-8", errors="replace")


def test_the_editor_the_checkin_and_a_reflection_share_the_words(
        qtbot: QtBot, empty_window: MainWindow) -> None:
    window = empty_window
    session = window.session
    write_new_entry(qtbot, window)
    editor_chips = window.journal_page.editor.emotions
    asked = keep_word(qtbot)
    type_emotion(qtbot, editor_chips.name, "hollowed out")
    enter(qtbot)
    qtbot.waitUntil(lambda: len(asked) == 1, timeout=WAIT_MS)
    writes_done(qtbot, session)

    dialog = open_checkin(qtbot, session)
    asked_again = keep_word(qtbot)
    type_emotion(qtbot, dialog.emotions.name, "hollowed out")
    enter(qtbot)
    assert dialog.emotions.emotions() == [Emotion("hollowed out", 3)]
    # A word kept in the check-in reaches the editor that was open all along.
    dialog.activateWindow()  # the window manager's part once the suggestions closed
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=WAIT_MS)
    type_emotion(qtbot, dialog.emotions.name, "wrung")
    enter(qtbot)
    qtbot.waitUntil(lambda: len(asked_again) == 1, timeout=WAIT_MS)
    writes_done(qtbot, session)
    assert editor_chips.own_words() == ["hollowed out", "wrung"]
    dialog.reject()

    template = next(t for t in load_library().templates.values()
                    if any(s.kind == "emotions" for s in t.steps))
    wizard = ReflectionWizard(session, template, None, window)
    qtbot.addWidget(wizard)
    step = next(e for e in wizard.findChildren(EmotionsStepEditor))
    assert step.chips.own_words() == ["hollowed out", "wrung"]
    assert step.chips.suggestion("wru") == "wrung"
    wizard.reject()


def test_locking_drops_the_words(qtbot: QtBot, empty_window: MainWindow) -> None:
    window = empty_window
    assert window.session.journal is not None
    # As the Settings' list of words keeps one: the open editor follows.
    window.session.write(lambda journal: journal.add_own_emotions(["raw"]),
                         changes=Change.APP_STATE)
    writes_done(qtbot, window.session)
    chips = window.journal_page.editor.emotions
    qtbot.waitUntil(lambda: chips.own_words() == ["raw"], timeout=WAIT_MS)
    window.session.lock()
    assert chips.own_words() == []
    assert chips.name.findText("raw") < 0
