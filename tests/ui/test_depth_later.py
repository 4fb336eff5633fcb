"""No REFLECT rating right after a death (or a code, free writing, Three Good Things): the
follow-up a few days on offers it, and stores it on that reflection."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QRadioButton

from journal_app.core.practice.prompts import load_library
from journal_app.core.records import model
from journal_app.core.records.model import CheckIn, Reflection, StepAnswer
from journal_app.ui.shell.mainwindow import MainWindow
from journal_app.ui.writing.depth import DepthDialog
from journal_app.ui.writing.reflection import ReflectionWizard, TextStepEditor

from .conftest import click, on_modal, unlock


def advance(monkeypatch: pytest.MonkeyPatch, days: float) -> None:
    real = model.now
    monkeypatch.setattr(model, "now", lambda: real() + timedelta(days=days))


def reflections(window: MainWindow) -> list[Reflection]:
    assert window.session.journal is not None
    return window.session.journal.records(Reflection)


def test_after_a_death_the_followup_offers_the_rating(qtbot: Any, open_window: MainWindow,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    window = open_window
    journal = window.session.journal
    assert journal is not None
    checkin = journal.add_record(CheckIn(encounter="patient-death", stress=9))
    template = load_library().template_for("patient-death")
    wizard = ReflectionWizard(window.session, template, checkin, parent=window)
    qtbot.addWidget(wizard, before_close_func=lambda w: w.hide())
    wizard.show()
    wizard.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is wizard, timeout=2000)

    # Every step can be skipped: only one line written, the remember step left empty.
    assert "you do not need to describe it" in wizard.hint.text()
    while wizard.current_step() is not None:
        step = wizard.current_step()
        assert step is not None
        if step.id == "what-happened":
            editor = wizard.editors[step.id]
            assert isinstance(editor, TextStepEditor)
            qtbot.keyClicks(editor.edit, "He died at dawn, with his wife beside him.")
        click(qtbot, wizard.next_button)
    assert wizard.depth_buttons == {}
    assert not [r for r in wizard.findChildren(QRadioButton) if r.isVisible()]
    click(qtbot, wizard.next_button)  # Finish
    qtbot.waitUntil(lambda: not wizard.isVisible())  # stored in the worker, then closes
    (stored,) = reflections(window)
    assert stored.depth is None and stored.checkin_id == checkin.id

    page = window.journal_page
    page.refresh()
    assert not page.followup_card.isVisible()  # the same day: nothing yet
    advance(monkeypatch, 3)
    page.refresh()
    assert page.followup_card.isVisible()
    assert page.followup_write.isVisible() and page.followup_rate.isVisible()
    assert "look back" in page.followup_text.text()

    def rate(dialog: DepthDialog) -> None:
        assert not dialog.save_button.isEnabled()  # nothing chosen yet
        click(qtbot, dialog.depth_buttons["reflection"])
        click(qtbot, dialog.save_button)
        qtbot.waitUntil(lambda: not dialog.isVisible())  # stored in the worker, then closes

    seen = on_modal(DepthDialog, rate)
    click(qtbot, page.followup_rate)
    assert seen
    (rated,) = reflections(window)
    assert rated.id == stored.id and rated.depth == "reflection"
    assert rated.body == stored.body and rated.answers == stored.answers
    # The rating is done; the follow-up itself is still there to write.
    assert page.followup_card.isVisible() and page.followup_write.isVisible()
    assert not page.followup_rate.isVisible()


def test_closing_the_rating_without_saving_changes_nothing(
        qtbot: Any, open_window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    journal = open_window.session.journal
    assert journal is not None
    written = journal.add_record(Reflection(
        created=model.now() - timedelta(days=3), title="After the code", body="It was fast.\n",
        template_id="code", answers=[StepAnswer("what-happened", "text", "It was fast.")]))
    page = open_window.journal_page
    page.refresh()
    assert page.followup_card.isVisible() and page.followup_rate.isVisible()
    assert not page.followup_write.isVisible()  # no check-in to follow up: the rating alone
    assert "After the code" in page.followup_text.text()

    def choose_then_close(dialog: DepthDialog) -> None:
        click(qtbot, dialog.depth_buttons["critical-reflection"])
        click(qtbot, dialog.cancel_button)

    seen = on_modal(DepthDialog, choose_then_close)
    click(qtbot, page.followup_rate)
    assert seen
    (kept,) = reflections(open_window)
    assert kept.id == written.id and kept.depth is None
    assert page.followup_rate.isVisible()  # still offered


def test_not_now_sets_the_rating_aside_for_good(qtbot: Any, open_window: MainWindow) -> None:
    journal = open_window.session.journal
    assert journal is not None
    journal.add_record(Reflection(created=model.now() - timedelta(days=2, hours=1),
                                  title="Three good things", body="Tea.\n",
                                  template_id="three-good-things"))
    # A template that asks for the rating at its end is not asked again.
    journal.add_record(Reflection(created=model.now() - timedelta(days=3), title="Gibbs",
                                  body="Ward round.\n", template_id="gibbs"))
    page = open_window.journal_page
    page.refresh()
    assert page.followup_card.isVisible() and "Three good things" in page.followup_text.text()
    click(qtbot, page.followup_later)
    assert not page.followup_card.isVisible()
    open_window.lock_now()
    unlock(qtbot, open_window)
    assert not page.followup_card.isVisible()  # remembered, encrypted, in the vault
