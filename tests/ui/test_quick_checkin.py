"""The short check-in (mood in two taps), driven as a user would: clicks, keys, typing. And the
full check-in's rule that a check-in with every question skipped is not saved."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog
from pytestqt.qtbot import QtBot

from journal_app.core.records.model import CheckIn
from journal_app.core.vault.crypto import TEST_KDF
from journal_app.core.vault.journal import Journal
from journal_app.ui.practice.checkin import NOTHING_CHOSEN as FULL_NOTHING_CHOSEN
from journal_app.ui.practice.checkin import CheckInDialog
from journal_app.ui.practice.quickcheckin import MOODS, NOTHING_CHOSEN, QuickCheckInDialog, face
from journal_app.ui.session import JournalSession
from journal_app.ui.shell.mainwindow import MainWindow

from .conftest import PASSPHRASE, click, make_vault, on_modal, writes_done


@pytest.fixture
def session(folder: Path) -> Iterator[JournalSession]:
    """An unlocked session on an empty journal, without a window (fast)."""
    make_vault(folder)
    session = JournalSession(kdf=TEST_KDF)
    session.open_folder(folder)
    assert session.journal is not None
    session.journal.unlock(PASSPHRASE)
    yield session
    session.close()


@pytest.fixture
def dialog(qtbot: QtBot, session: JournalSession) -> QuickCheckInDialog:
    dialog = QuickCheckInDialog(session)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=2000)
    return dialog


def stored(folder: Path) -> list[CheckIn]:
    """The check-ins on disk, read back through a fresh Journal (what the vault holds)."""
    journal = Journal.open(folder)
    try:
        journal.unlock(PASSPHRASE)
        return journal.checkins()
    finally:
        journal.close()


def press(qtbot: QtBot, key: Qt.Key, times: int = 1) -> None:
    """Press a key in whatever widget has the keyboard focus (as a keyboard user does)."""
    for _ in range(times):
        focus = QApplication.focusWidget()
        assert focus is not None
        qtbot.keyClick(focus, key)


def button(dialog: QuickCheckInDialog, word: str) -> object:
    return dialog.mood_buttons[[w for _, w in MOODS].index(word)]


# ------------------------------------------------------------------ two actions


def test_a_mood_click_then_save_is_a_saved_check_in(qtbot: QtBot, dialog: QuickCheckInDialog,
                                                    session: JournalSession,
                                                    folder: Path) -> None:
    entries_changed: list[None] = []
    session.entriesChanged.connect(lambda: entries_changed.append(None))
    click(qtbot, dialog.mood_buttons[1])  # "Low"
    assert dialog.mood_buttons[1].isChecked()
    click(qtbot, dialog.save_button)
    writes_done(qtbot, dialog.session)

    assert dialog.result() == QDialog.DialogCode.Accepted
    assert not dialog.isVisible()
    [on_disk] = stored(folder)
    assert dialog.checkin is not None and on_disk.id == dialog.checkin.id
    assert (on_disk.mood, on_disk.energy, on_disk.stress, on_disk.note) == (-2, None, None, "")
    assert entries_changed == []  # check-ins are not entries


def test_a_mood_and_a_note(qtbot: QtBot, dialog: QuickCheckInDialog, folder: Path) -> None:
    click(qtbot, dialog.mood_buttons[4])  # "Very good"
    click(qtbot, dialog.note)
    qtbot.keyClicks(dialog.note, "  Discharged Mrs K home, smiling  ")
    click(qtbot, dialog.save_button)
    writes_done(qtbot, dialog.session)
    [on_disk] = stored(folder)
    assert (on_disk.mood, on_disk.note) == (4, "Discharged Mrs K home, smiling")


def test_a_mood_can_be_changed_and_taken_back_before_saving(
        qtbot: QtBot, dialog: QuickCheckInDialog, folder: Path) -> None:
    click(qtbot, dialog.mood_buttons[0])
    click(qtbot, dialog.mood_buttons[2])  # a mis-tap put right
    assert [b.isChecked() for b in dialog.mood_buttons] == [False, False, True, False, False]
    click(qtbot, dialog.mood_buttons[2])  # the chosen one again: nothing chosen
    assert dialog.mood.value() is None
    assert stored(folder) == []  # nothing is written before Save


def test_keyboard_only(qtbot: QtBot, dialog: QuickCheckInDialog, folder: Path) -> None:
    assert QApplication.focusWidget() is dialog.mood_buttons[0]  # it opens on the row
    press(qtbot, Qt.Key.Key_4)  # 1..5 choose
    assert dialog.mood.value() == 2
    press(qtbot, Qt.Key.Key_Left)  # arrows move along the row
    assert dialog.mood.value() == 0
    assert QApplication.focusWidget() is dialog.mood_buttons[2]
    press(qtbot, Qt.Key.Key_Tab)  # the row is one Tab stop: next is the note
    assert QApplication.focusWidget() is dialog.note
    qtbot.keyClicks(dialog.note, "bed 12, 3 am")  # digits in the note are the note's
    assert dialog.mood.value() == 0
    press(qtbot, Qt.Key.Key_Return)  # Enter saves
    writes_done(qtbot, dialog.session)
    assert not dialog.isVisible()
    [on_disk] = stored(folder)
    assert (on_disk.mood, on_disk.note) == (0, "bed 12, 3 am")


def test_enter_on_the_row_saves(qtbot: QtBot, dialog: QuickCheckInDialog, folder: Path) -> None:
    press(qtbot, Qt.Key.Key_1)
    press(qtbot, Qt.Key.Key_Return)
    writes_done(qtbot, dialog.session)
    assert [c.mood for c in stored(folder)] == [-4]


def test_nothing_chosen_is_not_saved(qtbot: QtBot, dialog: QuickCheckInDialog,
                                     folder: Path) -> None:
    click(qtbot, dialog.save_button)
    writes_done(qtbot, dialog.session)
    assert dialog.isVisible()
    assert dialog.error.isVisible() and dialog.error.text() == NOTHING_CHOSEN
    qtbot.keyClicks(dialog.note, "   ")  # spaces are not a note
    press(qtbot, Qt.Key.Key_Return)
    writes_done(qtbot, dialog.session)
    assert dialog.isVisible() and dialog.checkin is None
    assert stored(folder) == []
    press(qtbot, Qt.Key.Key_3)  # choosing clears the sentence
    assert not dialog.error.isVisible()


def test_a_note_alone_is_a_check_in(qtbot: QtBot, dialog: QuickCheckInDialog,
                                    folder: Path) -> None:
    click(qtbot, dialog.note)
    qtbot.keyClicks(dialog.note, "too tired to choose")
    press(qtbot, Qt.Key.Key_Return)
    writes_done(qtbot, dialog.session)
    assert [(c.mood, c.note) for c in stored(folder)] == [(None, "too tired to choose")]


def test_escape_discards_with_nothing_saved(qtbot: QtBot, dialog: QuickCheckInDialog,
                                            folder: Path) -> None:
    press(qtbot, Qt.Key.Key_2)
    click(qtbot, dialog.note)
    qtbot.keyClicks(dialog.note, "not now")
    press(qtbot, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    assert dialog.result() == QDialog.DialogCode.Rejected and dialog.checkin is None
    assert stored(folder) == []


def test_locking_closes_it(dialog: QuickCheckInDialog, session: JournalSession) -> None:
    session.lock()
    assert not dialog.isVisible() and dialog.checkin is None


def test_names_words_and_faces(dialog: QuickCheckInDialog) -> None:
    assert [b.text() for b in dialog.mood_buttons] == ["Very low", "Low", "Okay", "Good",
                                                       "Very good"]
    assert [b.accessibleName() for b in dialog.mood_buttons] == [
        "Mood: very low (-4)", "Mood: low (-2)", "Mood: okay (0)", "Mood: good (+2)",
        "Mood: very good (+4)"]
    assert all("key" in b.toolTip() for b in dialog.mood_buttons)
    for widget in (dialog.note, dialog.more_button, dialog.save_button, dialog.cancel_button):
        assert widget.accessibleName(), widget
    assert dialog.save_button.isDefault()
    # Drawn in one colour the five faces still differ: by shape, not by colour alone.
    images = [face(v, "#000000", 1.0).toImage() for v, _ in MOODS]
    assert all(a != b for i, a in enumerate(images) for b in images[i + 1:])


# ------------------------------------------------------------------ More…


def test_more_carries_the_mood_and_the_note_over(qtbot: QtBot, dialog: QuickCheckInDialog,
                                                 folder: Path) -> None:
    press(qtbot, Qt.Key.Key_2)
    click(qtbot, dialog.note)
    qtbot.keyClicks(dialog.note, "Mr B died at 3 am")
    seen: list[tuple[int | None, int | None, str]] = []

    def more(full: CheckInDialog) -> None:
        seen.append((full.pad.mood(), full.pad.energy(), full.note.text()))
        assert "energy not set" in full.pad_readout.text()
        click(qtbot, full.stress_buttons[7])
        click(qtbot, full.difficult)
        click(qtbot, full.save_button)

    on_modal(CheckInDialog, more)
    click(qtbot, dialog.more_button)
    assert seen == [(-2, None, "Mr B died at 3 am")]  # carried over; energy left unset
    assert not dialog.isVisible() and dialog.result() == QDialog.DialogCode.Accepted
    [on_disk] = stored(folder)
    assert dialog.checkin is not None and dialog.checkin.id == on_disk.id
    assert (on_disk.mood, on_disk.energy, on_disk.stress, on_disk.encounter, on_disk.note) == (
        -2, None, 7, "other", "Mr B died at 3 am")


def test_more_then_cancel_comes_back_to_the_short_form(qtbot: QtBot,
                                                       dialog: QuickCheckInDialog,
                                                       folder: Path) -> None:
    press(qtbot, Qt.Key.Key_5)
    seen = on_modal(CheckInDialog, lambda full: click(qtbot, full.cancel_button))
    press(qtbot, Qt.Key.Key_Tab, 2)  # the note, then More
    assert QApplication.focusWidget() is dialog.more_button
    press(qtbot, Qt.Key.Key_Space)
    assert seen
    assert dialog.isVisible() and dialog.mood.value() == 4
    assert stored(folder) == []
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.more_button, timeout=2000)
    press(qtbot, Qt.Key.Key_Return)
    writes_done(qtbot, dialog.session)
    assert [c.mood for c in stored(folder)] == [4]


def test_locking_while_more_is_open_closes_both(qtbot: QtBot, dialog: QuickCheckInDialog,
                                                session: JournalSession,
                                                folder: Path) -> None:
    press(qtbot, Qt.Key.Key_2)
    seen = on_modal(CheckInDialog, lambda full: session.lock())
    click(qtbot, dialog.more_button)
    assert seen and not seen[0].isVisible()
    assert not dialog.isVisible() and dialog.checkin is None
    assert stored(folder) == []


# ------------------------------------------------------------------ the full check-in


def test_the_full_check_in_with_every_question_skipped_is_not_saved(
        qtbot: QtBot, session: JournalSession, folder: Path) -> None:
    full = CheckInDialog(session)
    qtbot.addWidget(full)
    full.show()
    qtbot.waitExposed(full)
    click(qtbot, full.save_button)
    assert full.isVisible() and full.checkin is None
    assert full.error.isVisible() and full.error.text() == FULL_NOTHING_CHOSEN
    assert stored(folder) == []
    click(qtbot, full.good)  # one answer is enough
    click(qtbot, full.save_button)
    writes_done(qtbot, session)
    assert [c.good_moment for c in stored(folder)] == [True]


def test_the_pad_keeps_an_energy_not_given_unset(qtbot: QtBot, session: JournalSession) -> None:
    full = CheckInDialog(session)
    qtbot.addWidget(full)
    full.preset(-2, "")
    full.show()
    qtbot.waitExposed(full)
    full.pad.setFocus()
    qtbot.keyClick(full.pad, Qt.Key.Key_Left)
    assert (full.pad.mood(), full.pad.energy()) == (-3, None)
    assert full.pad_readout.text() == "Mood -3, energy not set: Up or Down, or click"
    qtbot.keyClick(full.pad, Qt.Key.Key_Space)  # as on an unset pad: the middle of energy
    assert (full.pad.mood(), full.pad.energy()) == (-3, 0)


# ------------------------------------------------------------------ in the window


def check_in_with(qtbot: QtBot, window: MainWindow, key: Qt.Key, note: str) -> CheckIn | None:
    """Open the check-in from the window's action (Ctrl+K), choose, write, save."""
    def fill(dialog: QuickCheckInDialog) -> None:
        qtbot.keyClick(dialog.mood_buttons[0], key)
        click(qtbot, dialog.note)
        qtbot.keyClicks(dialog.note, note)
        click(qtbot, dialog.save_button)
        writes_done(qtbot, dialog.session)

    seen = on_modal(QuickCheckInDialog, fill)
    window.act_checkin.trigger()
    assert seen
    return seen[0].checkin


def test_a_note_that_speaks_of_wanting_to_die_shows_the_support_panel(
        qtbot: QtBot, empty_window: MainWindow) -> None:
    window = empty_window
    assert not window.support_panel.isVisible()
    checkin = check_in_with(qtbot, window, Qt.Key.Key_1, "I just want to die tonight")
    assert checkin is not None and checkin.mood == -4
    assert window.support_panel.isVisible()
    assert "Check-in saved" in window.message_bar.text.text()


def test_an_ordinary_note_shows_no_support_panel(qtbot: QtBot,
                                                 empty_window: MainWindow) -> None:
    window = empty_window
    checkin = check_in_with(qtbot, window, Qt.Key.Key_2,
                            "The patient wanted to die at home, and she did.")
    assert checkin is not None
    assert not window.support_panel.isVisible()


def test_the_reminder_and_the_tray_open_the_short_form(qtbot: QtBot,
                                                       empty_window: MainWindow) -> None:
    window = empty_window
    for signal in (window.reminders.checkin_requested, window.tray.checkin_requested):
        seen = on_modal(QuickCheckInDialog, lambda d: d.reject())
        signal.emit()
        assert len(seen) == 1
    assert window.session.journal is not None and window.session.journal.checkins() == []


def test_more_from_the_window_offers_the_reflection(qtbot: QtBot,
                                                   empty_window: MainWindow) -> None:
    """A difficult moment chosen in the full check-in, reached with More, is followed up as
    before: the matching reflection is offered."""
    from PySide6.QtWidgets import QMessageBox

    window = empty_window
    offers: list[str] = []

    def full(dialog: CheckInDialog) -> None:
        click(qtbot, dialog.difficult)
        dialog.encounter.setCurrentIndex(dialog.encounter.findData("bad-news"))
        click(qtbot, dialog.save_button)
        writes_done(qtbot, dialog.session)

    on_modal(QuickCheckInDialog, lambda d: click(qtbot, d.more_button))
    on_modal(CheckInDialog, full, tries=600)
    on_modal(QMessageBox, lambda box: (offers.append(box.windowTitle()), box.reject()),
             tries=900)
    checkin = window.check_in()
    assert checkin is not None and checkin.encounter == "bad-news"
    assert offers == ["A reflection may help"]
