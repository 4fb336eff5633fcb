"""The 30-second check-in dialog, driven as a user would: clicks, arrow keys, typing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QWidget
from pytestqt.qtbot import QtBot

from journal_app.core.errors import JournalError
from journal_app.core.records.model import CheckIn, Emotion
from journal_app.core.vault.crypto import TEST_KDF
from journal_app.core.vault.journal import Journal
from journal_app.ui.practice.checkin import CheckInDialog, MoodEnergyPad
from journal_app.ui.session import JournalSession
from journal_app.ui.shell.mainwindow import MainWindow

from .conftest import PASSPHRASE, click, make_vault, on_modal, set_spin, writes_done


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
def dialog(qtbot: QtBot, session: JournalSession) -> CheckInDialog:
    dialog = CheckInDialog(session)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    return dialog


def stored(folder: Path) -> list[CheckIn]:
    """The check-ins on disk, read back through a fresh Journal (what the vault holds)."""
    journal = Journal.open(folder)
    try:
        journal.unlock(PASSPHRASE)
        return journal.checkins()
    finally:
        journal.close()


def click_pad(qtbot: QtBot, pad: MoodEnergyPad, mood: int, energy: int) -> None:
    qtbot.mouseClick(pad, Qt.MouseButton.LeftButton, pos=pad._point(mood, energy).toPoint())


def press(qtbot: QtBot, key: Qt.Key, times: int = 1,
          modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    """Press a key in whatever widget has the keyboard focus (as a keyboard user does)."""
    for _ in range(times):
        focus = QApplication.focusWidget()
        assert focus is not None
        qtbot.keyClick(focus, key, modifier)


def focus_is(widget: QWidget) -> bool:
    return QApplication.focusWidget() is widget


def focus_in(widget: QWidget) -> bool:
    """``widget`` or one of its parts (a spin box's or combo's line edit) has the focus."""
    focus = QApplication.focusWidget()
    return focus is not None and (focus is widget or widget.isAncestorOf(focus))


def test_full_checkin_with_a_difficult_encounter(qtbot: QtBot, dialog: CheckInDialog,
                                                 session: JournalSession, folder: Path) -> None:
    entries_changed: list[None] = []
    session.entriesChanged.connect(lambda: entries_changed.append(None))

    click_pad(qtbot, dialog.pad, 2, -1)
    assert dialog.pad_readout.text() == "Mood +2, energy -1"
    click(qtbot, dialog.stress_buttons[7])
    assert dialog.stress_value.text() == "7 of 10"
    click(qtbot, dialog.burnout_buttons[3])  # level 4
    assert "drained" in dialog.burnout_hint.text()  # the chosen level's explanation
    assert dialog.emotions_hint.isVisible()  # a hint holds the chips' place
    qtbot.keyClicks(dialog.emotions.name.lineEdit(), "sad")
    set_spin(qtbot, dialog.emotions.intensity, "4")
    click(qtbot, dialog.emotions.add_button)
    assert not dialog.emotions_hint.isVisible()
    qtbot.keyClicks(dialog.emotions.name.lineEdit(), "relieved")
    qtbot.keyClick(dialog.emotions.name.lineEdit(), Qt.Key.Key_Return)  # adds; does not save
    assert dialog.isVisible()
    set_spin(qtbot, dialog.sleep, "5.5")
    assert not dialog.encounter.isVisible()
    click(qtbot, dialog.difficult)
    assert dialog.encounter.isVisible()
    dialog.encounter.setFocus()
    qtbot.keyClicks(dialog.encounter, "Breaking")  # keyboard search in the list
    assert dialog.encounter.currentData() == "bad-news"
    click(qtbot, dialog.save_button)
    writes_done(qtbot, dialog.session)

    assert dialog.result() == QDialog.DialogCode.Accepted
    assert session.journal is not None
    [checkin] = session.journal.checkins()
    assert dialog.checkin == checkin
    [on_disk] = stored(folder)
    for got in (checkin, on_disk):
        assert (got.mood, got.energy, got.stress, got.burnout) == (2, -1, 7, 4)
        assert got.emotions == (Emotion("sad", 4), Emotion("relieved", 4))
        assert got.sleep_hours == 5.5
        assert got.encounter == "bad-news"
        assert got.difficult
        assert got.created.tzinfo is not None
    assert on_disk.id == checkin.id
    assert entries_changed == []  # check-ins are not entries


def test_stress_alone_is_a_check_in(qtbot: QtBot, dialog: CheckInDialog,
                                    session: JournalSession) -> None:
    click(qtbot, dialog.stress_buttons[3])
    press(qtbot, Qt.Key.Key_Return)  # Return saves: Save is the default button
    writes_done(qtbot, dialog.session)
    assert session.journal is not None
    [checkin] = session.journal.checkins()
    assert checkin.stress == 3
    assert (checkin.mood, checkin.energy, checkin.burnout, checkin.sleep_hours) == (
        None, None, None, None)
    assert checkin.emotions == ()
    assert checkin.encounter is None
    assert not dialog.isVisible()


def test_difficult_without_a_type_is_stored_as_other(qtbot: QtBot, dialog: CheckInDialog,
                                                     session: JournalSession) -> None:
    click(qtbot, dialog.difficult)
    QTest.keySequence(dialog, "Ctrl+Return")
    writes_done(qtbot, session)
    assert dialog.checkin is not None
    assert dialog.checkin.encounter == "other"
    # Unticking forgets the type chosen.
    dialog2 = CheckInDialog(session)
    qtbot.addWidget(dialog2)
    dialog2.difficult.setChecked(True)
    dialog2.encounter.setCurrentIndex(0)
    dialog2.difficult.setChecked(False)
    assert dialog2.encounter_value() is None


def test_an_emotion_typed_but_not_added_is_kept(qtbot: QtBot, dialog: CheckInDialog) -> None:
    qtbot.keyClicks(dialog.emotions.name.lineEdit(), "numb")
    set_spin(qtbot, dialog.emotions.intensity, "2")
    press(qtbot, Qt.Key.Key_Return)  # in the intensity box: adds, does not save
    assert dialog.isVisible()
    assert dialog.emotions.emotions() == [Emotion("numb", 2)]
    qtbot.keyClicks(dialog.emotions.name.lineEdit(), "drained")
    click(qtbot, dialog.save_button)  # not added with Add: saved all the same
    writes_done(qtbot, dialog.session)
    assert dialog.checkin is not None
    assert dialog.checkin.emotions == (Emotion("numb", 2), Emotion("drained", 2))


def test_cancel_stores_nothing(qtbot: QtBot, dialog: CheckInDialog, session: JournalSession,
                               folder: Path) -> None:
    click_pad(qtbot, dialog.pad, -3, 2)
    click(qtbot, dialog.stress_buttons[9])
    click(qtbot, dialog.cancel_button)
    assert dialog.result() == QDialog.DialogCode.Rejected
    assert dialog.checkin is None
    assert session.journal is not None
    assert session.journal.checkins() == []
    assert stored(folder) == []


def test_escape_cancels(qtbot: QtBot, dialog: CheckInDialog, session: JournalSession) -> None:
    click(qtbot, dialog.stress_buttons[2])
    press(qtbot, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    assert session.journal is not None
    assert session.journal.checkins() == []


def test_keyboard_only(qtbot: QtBot, dialog: CheckInDialog, session: JournalSession) -> None:
    assert focus_is(dialog.pad)  # the dialog opens on the pad
    assert dialog.pad.mood() is None
    press(qtbot, Qt.Key.Key_Right, 3)
    press(qtbot, Qt.Key.Key_Down)
    press(qtbot, Qt.Key.Key_Left)
    assert dialog.pad_readout.text() == "Mood +2, energy -1"

    press(qtbot, Qt.Key.Key_Tab)  # sleep, under the pad
    assert focus_in(dialog.sleep)
    press(qtbot, Qt.Key.Key_Up, 13)  # from "–" to 0, then up in half hours
    assert dialog.sleep.value() == 6.0

    press(qtbot, Qt.Key.Key_Tab)  # the stress row is one Tab stop
    assert focus_is(dialog.stress_buttons[0])
    assert dialog.stress.value() is None
    press(qtbot, Qt.Key.Key_Space)
    assert dialog.stress.value() == 0
    press(qtbot, Qt.Key.Key_Right, 6)
    assert dialog.stress.value() == 6
    assert focus_is(dialog.stress_buttons[6])

    press(qtbot, Qt.Key.Key_Tab)  # the burnout list is one Tab stop too
    assert focus_is(dialog.burnout_buttons[0])
    press(qtbot, Qt.Key.Key_Down, 2)
    assert dialog.burnout.value() == 3

    press(qtbot, Qt.Key.Key_Tab)
    assert focus_in(dialog.emotions.name)
    qtbot.keyClicks(dialog.emotions.name.lineEdit(), "guilt")
    press(qtbot, Qt.Key.Key_Return)  # adds the emotion, keeps the dialog open
    assert dialog.isVisible()
    assert dialog.emotions.emotions() == [Emotion("guilt", 3)]

    press(qtbot, Qt.Key.Key_Tab, 3)  # intensity, Add, then the difficult question
    assert focus_is(dialog.difficult)
    press(qtbot, Qt.Key.Key_Space)
    assert dialog.difficult.isChecked()
    press(qtbot, Qt.Key.Key_Tab)
    assert focus_is(dialog.encounter)
    press(qtbot, Qt.Key.Key_Down)
    assert dialog.encounter.currentData() == "patient-death"

    press(qtbot, Qt.Key.Key_Return, modifier=Qt.KeyboardModifier.ControlModifier)
    writes_done(qtbot, dialog.session)
    assert not dialog.isVisible()
    assert session.journal is not None
    [checkin] = session.journal.checkins()
    assert (checkin.mood, checkin.energy, checkin.stress, checkin.burnout) == (2, -1, 6, 3)
    assert checkin.emotions == (Emotion("guilt", 3),)
    assert checkin.sleep_hours == 6.0
    assert checkin.encounter == "patient-death"


def test_pad_and_choices_can_be_changed_and_cleared(qtbot: QtBot,
                                                    dialog: CheckInDialog) -> None:
    pad = dialog.pad
    assert "Not set" in dialog.pad_readout.text()
    assert not dialog.pad_clear.isVisible()
    # Drag from one point to another.
    qtbot.mousePress(pad, Qt.MouseButton.LeftButton, pos=pad._point(-4, 4).toPoint())
    assert (pad.mood(), pad.energy()) == (-4, 4)
    qtbot.mouseMove(pad, pad._point(1, -2).toPoint())
    qtbot.mouseRelease(pad, Qt.MouseButton.LeftButton, pos=pad._point(1, -2).toPoint())
    assert (pad.mood(), pad.energy()) == (1, -2)
    # Outside the grid clamps to its edge; arrows stop at the edge.
    qtbot.mouseClick(pad, Qt.MouseButton.LeftButton, pos=QPoint(pad.width() - 2, 2))
    assert (pad.mood(), pad.energy()) == (5, 5)
    press(qtbot, Qt.Key.Key_Right)
    press(qtbot, Qt.Key.Key_Up)
    assert dialog.pad_readout.text() == "Mood +5, energy +5"
    assert dialog.pad_clear.isVisible()
    press(qtbot, Qt.Key.Key_Delete)
    assert pad.mood() is None and pad.energy() is None
    press(qtbot, Qt.Key.Key_Space)  # Space puts the point in the middle
    assert (pad.mood(), pad.energy()) == (0, 0)
    click(qtbot, dialog.pad_clear)
    assert pad.mood() is None

    # A chosen button clicked again is un-chosen; Delete clears the row too.
    click(qtbot, dialog.stress_buttons[4])
    click(qtbot, dialog.stress_buttons[5])
    assert [b.isChecked() for b in dialog.stress_buttons].count(True) == 1
    click(qtbot, dialog.stress_buttons[5])
    assert dialog.stress.value() is None
    assert dialog.stress_value.text() == "not rated"
    click(qtbot, dialog.burnout_buttons[1])
    press(qtbot, Qt.Key.Key_Delete)
    assert dialog.burnout.value() is None


def test_accessible_names(dialog: CheckInDialog) -> None:
    assert dialog.pad.accessibleName() == "Mood and energy"
    assert "Not set" in dialog.pad.accessibleDescription()
    dialog.pad.set_value(-1, 3)
    assert dialog.pad.accessibleDescription().startswith("Mood -1, energy +3")
    assert dialog.stress_buttons[7].accessibleName() == "Stress 7 of 10"
    assert dialog.burnout_buttons[0].accessibleName().startswith("Burnout 1 of 5: ")
    assert all(b.accessibleDescription() for b in dialog.burnout_buttons)
    for widget in (dialog.emotions.name, dialog.emotions.intensity, dialog.sleep,
                   dialog.difficult, dialog.encounter, dialog.save_button,
                   dialog.cancel_button, dialog.pad_readout, dialog.burnout_hint):
        assert widget.accessibleName(), widget
    assert dialog.save_button.isDefault()


def test_a_failed_save_keeps_everything(qtbot: QtBot, dialog: CheckInDialog,
                                        session: JournalSession,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    journal = session.journal
    assert journal is not None

    def full(record: object) -> object:
        raise JournalError("The disk is full. Free some space and try again.")

    monkeypatch.setattr(journal, "add_record", full)
    click(qtbot, dialog.stress_buttons[8])
    click(qtbot, dialog.save_button)
    writes_done(qtbot, dialog.session)
    assert dialog.isVisible()
    assert dialog.error.isVisible()
    assert dialog.error.text() == "The disk is full. Free some space and try again."
    assert dialog.checkin is None
    assert dialog.stress.value() == 8

    monkeypatch.undo()
    click(qtbot, dialog.save_button)
    writes_done(qtbot, dialog.session)
    assert not dialog.isVisible()
    assert [c.stress for c in journal.checkins()] == [8]


def test_locking_closes_the_dialog(qtbot: QtBot, dialog: CheckInDialog,
                                   session: JournalSession) -> None:
    session.lock()
    assert not dialog.isVisible()
    assert dialog.checkin is None


def test_exec_from_the_main_window(qtbot: QtBot, open_window: MainWindow) -> None:
    """As the lead's window will use it: exec(), then read ``checkin``."""
    dialog = CheckInDialog(open_window.session, open_window)
    qtbot.addWidget(dialog)

    def fill(d: CheckInDialog) -> None:
        click(qtbot, d.stress_buttons[5])
        click_pad(qtbot, d.pad, -2, -3)
        click(qtbot, d.save_button)
        qtbot.waitUntil(lambda: not d.isVisible())  # stored in the worker, then closes

    seen = on_modal(CheckInDialog, fill)
    assert dialog.exec() == QDialog.DialogCode.Accepted
    assert seen == [dialog]
    assert dialog.checkin is not None
    assert (dialog.checkin.stress, dialog.checkin.mood, dialog.checkin.energy) == (5, -2, -3)
    assert open_window.session.journal is not None
    assert open_window.session.journal.checkins() == [dialog.checkin]
    # The journal's entries are untouched.
    assert len(open_window.session.journal.entries()) == 3
