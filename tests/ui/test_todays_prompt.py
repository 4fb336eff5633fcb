"""Today's prompt on the home panel, and writing an entry that answers it."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from journal_app.core.practice.prompts import load_library
from journal_app.ui.shell.mainwindow import MainWindow

from .conftest import WAIT_MS, writes_done


def test_todays_prompt_leads_to_an_entry_that_answers_it(qtbot: Any,
                                                         open_window: MainWindow) -> None:
    page = open_window.journal_page
    assert page.prompt_card.isVisible()
    prompt = page.todays_prompt
    assert prompt is not None and page.prompt_text.text() == prompt.text
    assert load_library().prompt(prompt.id) == prompt
    qtbot.mouseClick(page.prompt_button, Qt.MouseButton.LeftButton)
    editor = page.editor
    assert editor.body.toPlainText().startswith(f"> {prompt.text}")
    qtbot.keyClicks(editor.body, "It sat with me all evening.")
    QTest.keySequence(open_window, "Ctrl+S")
    qtbot.waitUntil(lambda: any(prompt.id in e.prompt_ids
                                for e in open_window.session.entries()), timeout=WAIT_MS)
    (entry,) = [e for e in open_window.session.entries() if prompt.id in e.prompt_ids]
    assert entry.body.endswith("It sat with me all evening.")


def test_the_prompt_is_cleared_when_locked(qtbot: Any, open_window: MainWindow) -> None:
    QTest.keySequence(open_window, "Ctrl+L")
    qtbot.waitUntil(lambda: open_window.stack.currentWidget() is open_window.lock_page,
                    timeout=WAIT_MS)
    assert open_window.journal_page.prompt_text.text() == ""


def test_the_training_level_chosen_in_settings_picks_prompts_for_it(
    qtbot: Any, open_window: MainWindow
) -> None:
    from journal_app.ui.dialogs.settings import SettingsDialog

    dialog = SettingsDialog(open_window.session, open_window.settings, open_window)
    qtbot.addWidget(dialog)
    dialog.level.setCurrentIndex(dialog.level.findData("advanced"))
    writes_done(qtbot, open_window.session)  # kept in the worker
    journal = open_window.session.journal
    assert journal is not None and journal.app_state().level == "advanced"
    dialog.close()
    open_window.journal_page.refresh()
    prompt = open_window.journal_page.todays_prompt
    assert prompt is not None and prompt.level == "advanced"
