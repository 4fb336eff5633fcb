"""An unfinished reflection is resumed in the guided flow, and Ctrl+L works while a reflection
is open (its text kept first) (issue 16, item 1)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from journal_app.core.records import Emotion, Reflection
from journal_app.ui.practice.picker import ReflectionPicker
from journal_app.ui.shell.mainwindow import MainWindow
from journal_app.ui.writing.reflection import (
    EmotionsStepEditor,
    ReflectionWizard,
    TextStepEditor,
)

from .conftest import WAIT_MS, click, on_modal, unlock


def reflections(window: MainWindow) -> list[Reflection]:
    assert window.session.journal is not None
    return window.session.journal.records(Reflection)


def pick_in_reflect(qtbot: Any, prefix: str) -> list[str]:
    """When Ctrl+R's picker opens: move with Down to the first item starting with ``prefix``,
    then Enter. Returns the items offered (filled once the picker was seen)."""
    offered: list[str] = []

    def choose(picker: ReflectionPicker) -> None:
        offered.extend(picker.shown())
        row = next(i for i, text in enumerate(offered) if text.startswith(prefix))
        for _ in range(row):
            qtbot.keyClick(picker.query, Qt.Key.Key_Down)
        qtbot.keyClick(picker.query, Qt.Key.Key_Return)

    on_modal(ReflectionPicker, choose)
    return offered


def active(qtbot: Any, wizard: ReflectionWizard) -> None:
    wizard.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is wizard, timeout=WAIT_MS)


def test_ctrl_l_in_a_reflection_locks_and_it_resumes_where_it_was_left(
        qtbot: Any, open_window: MainWindow) -> None:
    window = open_window
    before = len(reflections(window))

    def write_then_lock(wizard: ReflectionWizard) -> None:
        active(qtbot, wizard)
        text = wizard.editors["writing"]
        assert isinstance(text, TextStepEditor)
        qtbot.keyClicks(text.edit, "Bed 12 died at 3 am. I held his hand.")
        click(qtbot, wizard.next_button)
        feelings = wizard.editors["feelings"]
        assert isinstance(feelings, EmotionsStepEditor)
        qtbot.keyClicks(feelings.chips.name.lineEdit(), "numb")
        click(qtbot, feelings.chips.add_button)
        QTest.keySequence(wizard, "Ctrl+L")  # seen: nothing happened
        if wizard.isVisible():  # the lock did not close it: fail below rather than wait here
            wizard.hide()
            wizard.done(0)

    pick_in_reflect(qtbot, "Free")
    seen = on_modal(ReflectionWizard, write_then_lock)
    QTest.keySequence(window, "Ctrl+R")
    assert len(seen) == 1
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.lock_page, timeout=WAIT_MS)
    assert not window.session.is_unlocked

    window.activateWindow()  # the window manager's part once the wizard closed
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=WAIT_MS)
    unlock(qtbot, window)
    [kept] = [r for r in reflections(window) if r.title.endswith("(unfinished)")]
    assert len(reflections(window)) == before + 1

    resumed: list[tuple[int, str, list[Emotion]]] = []

    def finish(wizard: ReflectionWizard) -> None:
        active(qtbot, wizard)
        text = wizard.editors["writing"]
        feelings = wizard.editors["feelings"]
        assert isinstance(text, TextStepEditor) and isinstance(feelings, EmotionsStepEditor)
        resumed.append((wizard.current_index(), text.text(), feelings.emotions()))
        click(qtbot, wizard.back_button)
        qtbot.keyClicks(text.edit, " Then I went home.")
        click(qtbot, wizard.next_button)
        click(qtbot, wizard.next_button)  # the finishing page
        click(qtbot, wizard.next_button)  # Finish
        qtbot.waitUntil(lambda: not wizard.isVisible(), timeout=WAIT_MS)

    offered = pick_in_reflect(qtbot, "Continue")
    seen = on_modal(ReflectionWizard, finish)
    QTest.keySequence(window, "Ctrl+R")
    assert len(seen) == 1
    assert any(kept.title.removesuffix(" (unfinished)") in item for item in offered)
    assert resumed == [(1, "Bed 12 died at 3 am. I held his hand.", [Emotion("numb", 3)])]
    # Finishing replaced the unfinished reflection: one reflection, finished.
    window.session.worker.wait()
    assert len(reflections(window)) == before + 1
    [done] = [r for r in reflections(window) if r.id == kept.id]
    assert not done.title.endswith("(unfinished)")
    assert done.unfinished_step is None
    assert "Then I went home." in done.body
    assert done.emotions == (Emotion("numb", 3),)
    assert window.session.is_unlocked


def test_no_unfinished_reflection_offers_no_continue(qtbot: Any,
                                                     open_window: MainWindow) -> None:
    window = open_window
    offered = pick_in_reflect(qtbot, "")
    seen = on_modal(ReflectionWizard, lambda wizard: wizard.reject())
    QTest.keySequence(window, "Ctrl+R")
    assert len(seen) == 1
    assert offered and not any(item.startswith("Continue") for item in offered)


def test_a_word_to_correct_keeps_the_feelings_step_open(qtbot: Any,
                                                        open_window: MainWindow) -> None:
    """Next with a word not in the list asks once; "Let me change it" stays on the step with
    the word in the field (it would otherwise be left out of the finished reflection)."""
    from PySide6.QtWidgets import QMessageBox

    from .test_reflection import open_wizard

    wizard = open_wizard(qtbot, open_window, "free")
    click(qtbot, wizard.next_button)
    feelings = wizard.editors["feelings"]
    assert isinstance(feelings, EmotionsStepEditor)
    qtbot.keyClicks(feelings.chips.name.lineEdit(), "exhuasted")
    seen = on_modal(QMessageBox, lambda box: click(
        qtbot, box.button(QMessageBox.StandardButton.No)))
    click(qtbot, wizard.next_button)
    assert len(seen) == 1
    assert wizard.current_editor() is feelings
    assert feelings.chips.name.currentText() == "exhuasted"
    assert feelings.emotions() == []


def test_locking_keeps_a_word_of_ones_own_without_asking(
        qtbot: Any, open_window: MainWindow, monkeypatch: Any) -> None:
    from PySide6.QtWidgets import QMessageBox

    from .test_reflection import open_wizard

    def never(*_args: object) -> int:
        raise AssertionError("locking must not wait for an answer")

    window = open_window
    wizard = open_wizard(qtbot, window, "free")
    click(qtbot, wizard.next_button)
    feelings = wizard.editors["feelings"]
    assert isinstance(feelings, EmotionsStepEditor)
    qtbot.keyClicks(feelings.chips.name.lineEdit(), "hollowed out")
    monkeypatch.setattr(QMessageBox, "exec", never)
    window.lock_now()
    assert not window.session.is_unlocked
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=WAIT_MS)
    unlock(qtbot, window)
    [kept] = [r for r in reflections(window) if r.unfinished_step is not None]
    assert kept.unfinished_step == 1
    assert kept.emotions == (Emotion("hollowed out", 3),)
