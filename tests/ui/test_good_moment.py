"""Issue 14: a check-in can say "something good happened", apart from the difficult question,
and then offers (never forces) Three Good Things, the calm way a difficult encounter offers its
reflection."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox

from journal_app.core.practice.prompts import load_library
from journal_app.core.records.model import CheckIn, Reflection
from journal_app.ui.practice.checkin import CheckInDialog
from journal_app.ui.shell.mainwindow import MainWindow
from journal_app.ui.writing.reflection import ReflectionWizard

from .conftest import click, full_checkin, on_modal, writes_done

TGT = "three-good-things"


def _press(box: QMessageBox, label: str) -> None:
    (button,) = [b for b in box.buttons() if b.text() == label]
    button.click()


def tick_good(qtbot: Any, dialog: CheckInDialog) -> None:
    assert dialog.good.isVisible() and not dialog.good.isChecked()
    click(qtbot, dialog.good)
    assert dialog.good.isChecked()


def checkins(window: MainWindow) -> list[CheckIn]:
    assert window.session.journal is not None
    return window.session.journal.checkins()


def test_a_good_moment_offers_three_good_things_and_starts_it(
        qtbot: Any, open_window: MainWindow) -> None:
    window = open_window
    offers: list[tuple[str, str]] = []
    started: list[str] = []

    def fill(dialog: CheckInDialog) -> None:
        click(qtbot, dialog.stress_buttons[3])
        tick_good(qtbot, dialog)
        assert not dialog.encounter.isVisible()  # the difficult question stays closed
        click(qtbot, dialog.save_button)
        qtbot.waitUntil(lambda: not dialog.isVisible())  # stored in the worker

    def offer(box: QMessageBox) -> None:
        offers.append((box.windowTitle(), box.text()))
        assert {b.text() for b in box.buttons()} == {"Start now", "Later today", "Skip"}
        _press(box, "Start now")

    def reflect(wizard: ReflectionWizard) -> None:
        started.append(wizard.template.id)
        step = wizard.current_editor()
        assert hasattr(step, "edit")
        QTest.keyClicks(step.edit, "A patient laughed at my terrible joke.")
        while wizard.current_step() is not None:
            click(qtbot, wizard.next_button)
        click(qtbot, wizard.next_button)  # Finish
        qtbot.waitUntil(lambda: not wizard.isVisible())  # stored in the worker, then closes

    full_checkin(fill)
    on_modal(QMessageBox, offer, tries=600)
    on_modal(ReflectionWizard, reflect, tries=900)
    checkin = window.check_in()
    assert checkin is not None and checkin.good_moment and checkin.encounter is None
    title = load_library().templates[TGT].title
    assert offers == [("A moment to keep", f"Something good happened. Would you like to hold "
                                           f"on to it with “{title}”?")]
    assert started == [TGT]
    reflections = [e for e in window.session.entries() if isinstance(e, Reflection)]
    assert [(r.template_id, r.checkin_id) for r in reflections] == [(TGT, checkin.id)]
    assert "terrible joke" in reflections[0].body


def test_skip_keeps_just_the_check_in(qtbot: Any, open_window: MainWindow) -> None:
    window = open_window

    def fill(dialog: CheckInDialog) -> None:
        tick_good(qtbot, dialog)
        click(qtbot, dialog.save_button)
        qtbot.waitUntil(lambda: not dialog.isVisible())  # stored in the worker

    full_checkin(fill)
    seen = on_modal(QMessageBox, lambda box: _press(box, "Skip"), tries=600)
    checkin = window.check_in()
    assert seen and checkin is not None
    assert [c.good_moment for c in checkins(window)] == [True]
    assert not [e for e in window.session.entries() if isinstance(e, Reflection)]
    assert QApplication.activeModalWidget() is None
    assert not window.journal_page.waiting_card.isVisible()


def test_later_today_waits_on_the_home_panel(qtbot: Any, open_window: MainWindow) -> None:
    window = open_window

    def fill(dialog: CheckInDialog) -> None:
        tick_good(qtbot, dialog)
        click(qtbot, dialog.save_button)
        qtbot.waitUntil(lambda: not dialog.isVisible())  # stored in the worker

    full_checkin(fill)
    on_modal(QMessageBox, lambda box: _press(box, "Later today"), tries=600)
    window.check_in()
    writes_done(qtbot, window.session)  # remembered in the worker, then shown
    page = window.journal_page
    title = load_library().templates[TGT].title
    assert page.waiting_card.isVisible() and title in page.waiting_text.text()
    started: list[str] = []
    on_modal(ReflectionWizard, lambda w: (started.append(w.template.id), w.cancel()),
             tries=600)
    qtbot.mouseClick(page.waiting_start_button, Qt.MouseButton.LeftButton)
    assert started == [TGT]


def test_a_difficult_moment_on_the_same_day_is_offered_instead(
        qtbot: Any, open_window: MainWindow) -> None:
    """Both can be true of one day; one offer is enough, and the hard one comes first."""
    window = open_window
    texts: list[str] = []

    def fill(dialog: CheckInDialog) -> None:
        click(qtbot, dialog.difficult)
        dialog.encounter.setCurrentIndex(dialog.encounter.findData("bad-news"))
        tick_good(qtbot, dialog)
        click(qtbot, dialog.save_button)
        qtbot.waitUntil(lambda: not dialog.isVisible())  # stored in the worker

    full_checkin(fill)
    on_modal(QMessageBox, lambda box: (texts.append(box.text()), _press(box, "Skip")),
             tries=600)
    checkin = window.check_in()
    assert checkin is not None and checkin.encounter == "bad-news" and checkin.good_moment
    assert len(texts) == 1 and texts[0].startswith("That sounds hard")
    assert load_library().template_for("bad-news").title in texts[0]


def test_the_good_moment_is_one_tab_stop_after_the_difficult_question(
        qtbot: Any, open_window: MainWindow) -> None:
    window = open_window

    def by_keyboard(dialog: CheckInDialog) -> None:
        dialog.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=2000)
        dialog.difficult.setFocus()
        qtbot.keyClick(dialog.difficult, Qt.Key.Key_Tab)  # the encounter type is hidden
        assert QApplication.focusWidget() is dialog.good
        qtbot.keyClick(dialog.good, Qt.Key.Key_Space)
        assert dialog.good.isChecked() and not dialog.difficult.isChecked()
        qtbot.keyClick(dialog.good, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda: not dialog.isVisible())  # stored in the worker

    full_checkin(by_keyboard)
    on_modal(QMessageBox, lambda box: _press(box, "Skip"), tries=600)
    checkin = window.check_in()
    assert checkin is not None and checkin.good_moment and checkin.encounter is None
