"""A check-in that reports a difficult encounter leads into the matching reflection."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox

from journal_app.core.records.model import Reflection
from journal_app.ui.practice.checkin import CheckInDialog
from journal_app.ui.shell.mainwindow import MainWindow
from journal_app.ui.writing.reflection import ReflectionWizard

from .conftest import full_checkin, on_modal


def _press(box: QMessageBox, label: str) -> None:
    (button,) = [b for b in box.buttons() if b.text() == label]
    button.click()


def test_difficult_checkin_offers_and_starts_the_matching_reflection(
    qtbot: Any, open_window: MainWindow
) -> None:
    window = open_window
    seen_templates: list[str] = []

    def fill_checkin(dialog: CheckInDialog) -> None:
        dialog.stress_buttons[9].click()
        dialog.difficult.setChecked(True)
        dialog.encounter.setCurrentIndex(dialog.encounter.findData("patient-death"))
        dialog.save_button.click()
        qtbot.waitUntil(lambda: not dialog.isVisible())  # stored in the worker

    def offer(box: QMessageBox) -> None:
        assert "After a patient" in box.text()
        _press(box, "Start now")

    def reflect(wizard: ReflectionWizard) -> None:
        seen_templates.append(wizard.template.id)
        while wizard.current_step() is not None:
            editor = wizard.current_editor()
            if hasattr(editor, "edit"):
                QTest.keyClicks(editor.edit, "We sat with the family for a long time.")
            wizard.next_button.click()
        wizard.next_button.click()  # Finish on the last page
        qtbot.waitUntil(lambda: not wizard.isVisible())  # stored in the worker, then closes

    full_checkin(fill_checkin)
    on_modal(QMessageBox, offer, tries=600)
    on_modal(ReflectionWizard, reflect, tries=900)
    checkin = window.check_in()
    assert checkin is not None and checkin.encounter == "patient-death"
    assert seen_templates == ["patient-death"]
    reflections = [e for e in window.session.entries() if isinstance(e, Reflection)]
    assert len(reflections) == 1 and reflections[0].checkin_id == checkin.id
    assert "We sat with the family" in reflections[0].body
    assert window.journal_page.editor.entry is not None
    assert window.journal_page.editor.entry.id == reflections[0].id  # it opens in the editor


def test_later_today_keeps_the_offer_in_the_message_bar(qtbot: Any,
                                                        open_window: MainWindow) -> None:
    window = open_window

    def fill_checkin(dialog: CheckInDialog) -> None:
        dialog.difficult.setChecked(True)
        dialog.encounter.setCurrentIndex(dialog.encounter.findData("code"))
        dialog.save_button.click()
        qtbot.waitUntil(lambda: not dialog.isVisible())  # stored in the worker

    full_checkin(fill_checkin)
    on_modal(QMessageBox, lambda box: _press(box, "Later today"), tries=600)
    window.check_in()
    assert window.message_bar.isVisible()
    assert "waiting for you" in window.message_bar.text.text()
    started: list[str] = []
    on_modal(ReflectionWizard, lambda w: (started.append(w.template.id), w.cancel()),
             tries=600)
    qtbot.mouseClick(window.message_bar.action, Qt.MouseButton.LeftButton)
    assert started == ["code"]


def test_an_easy_checkin_offers_nothing(qtbot: Any, open_window: MainWindow) -> None:
    window = open_window
    full_checkin(lambda d: (d.stress_buttons[2].click(), d.save_button.click()))
    assert window.check_in() is not None
    assert "Check-in saved" in window.message_bar.text.text()


def test_later_today_is_remembered_across_a_lock_and_started_from_home(
    qtbot: Any, open_window: MainWindow
) -> None:
    from .conftest import WAIT_MS, unlock

    window = open_window

    def fill_checkin(dialog: CheckInDialog) -> None:
        dialog.difficult.setChecked(True)
        dialog.encounter.setCurrentIndex(dialog.encounter.findData("bad-news"))
        dialog.save_button.click()
        qtbot.waitUntil(lambda: not dialog.isVisible())  # stored in the worker

    full_checkin(fill_checkin)
    on_modal(QMessageBox, lambda box: _press(box, "Later today"), tries=600)
    checkin = window.check_in()
    assert checkin is not None
    window.lock_now()
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.lock_page, timeout=WAIT_MS)
    unlock(qtbot, window)
    page = window.journal_page
    assert page.waiting_card.isVisible() and "waiting" in page.waiting_text.text()

    def finish(wizard: ReflectionWizard) -> None:
        assert wizard.template.id == "bad-news"
        while wizard.current_step() is not None:
            editor = wizard.current_editor()
            if hasattr(editor, "edit"):
                QTest.keyClicks(editor.edit, "Said it plainly and stayed.")
            wizard.next_button.click()
        wizard.next_button.click()

    on_modal(ReflectionWizard, finish, tries=900)
    qtbot.mouseClick(page.waiting_start_button, Qt.MouseButton.LeftButton)
    reflections = [e for e in window.session.entries() if isinstance(e, Reflection)]
    assert [r.checkin_id for r in reflections] == [checkin.id]
    assert not page.waiting_card.isVisible()  # done: no longer waiting
