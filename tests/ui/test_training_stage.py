"""Issue 14: the training stage is asked when the journal is created, never as a modal at
unlock; a journal made without one (``journal-app init``) gets a quiet card on the home panel
and prompts for the early level until a stage is chosen."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from journal_app.core.vocabulary import LEVEL_LABELS
from journal_app.ui.dialogs.settings import SettingsDialog
from journal_app.ui.shell.mainwindow import MainWindow

from .conftest import PASSPHRASE, WAIT_MS, click, make_vault, on_modal, unlock, writes_done


def create_journal(qtbot: QtBot, window: MainWindow, stage: str | None) -> None:
    """Fill in the welcome page as a user does (passphrase twice, perhaps a stage), create,
    tick "stored" on the recovery key, continue to the journal."""
    welcome = window.welcome
    qtbot.keyClicks(welcome.passphrase.first, PASSPHRASE)
    qtbot.keyClicks(welcome.passphrase.second, PASSPHRASE)
    if stage is not None:
        click(qtbot, welcome.stage_buttons[stage])
    click(qtbot, welcome.create_button)
    panel = welcome.recovery
    qtbot.waitUntil(lambda: welcome.stack.currentWidget() is panel, timeout=WAIT_MS)
    click(qtbot, panel.stored)
    click(qtbot, panel.continue_button)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.journal_page, timeout=WAIT_MS)


def level(window: MainWindow) -> str | None:
    assert window.session.journal is not None
    return window.session.journal.app_state().level


def test_the_welcome_page_asks_for_the_stage_and_keeps_it(
        qtbot: QtBot, folder: Path, make_window: Callable[..., MainWindow]) -> None:
    window = make_window(folder)
    welcome = window.welcome
    assert [b.text() for b in welcome.stage_buttons.values()] == [
        "Pre-clinical years", "Clerkships", "Sub-internship (senior student)"]
    assert welcome.chosen_stage() is None  # nothing ticked for the user
    create_journal(qtbot, window, "clerkship")
    assert level(window) == "clerkship"
    page = window.journal_page
    assert not page.level_card.isVisible()  # nothing left to ask
    assert page.todays_prompt is not None and page.todays_prompt.level == "clerkship"
    assert QApplication.activeModalWidget() is None
    # The next journal made on this page starts with no stage ticked.
    assert welcome.chosen_stage() is None


def test_a_stage_left_for_later_is_asked_by_a_quiet_card(
        qtbot: QtBot, folder: Path, make_window: Callable[..., MainWindow]) -> None:
    window = make_window(folder)
    create_journal(qtbot, window, None)
    page = window.journal_page
    assert level(window) is None
    assert QApplication.activeModalWidget() is None  # no modal, just the card
    assert page.level_card.isVisible()
    assert page.level_card.text.text() == \
        "Tell the app where you are in training, so prompts fit."
    assert page.todays_prompt is not None and page.todays_prompt.level == "early"
    click(qtbot, page.level_buttons["advanced"])
    writes_done(qtbot, window.session)  # kept in the worker, then the card and prompt update
    assert level(window) == "advanced"
    assert not page.level_card.isVisible()
    assert page.todays_prompt is not None and page.todays_prompt.level == "advanced"
    assert page.prompt_text.text() == page.todays_prompt.text
    assert "Sub-internship (senior student)" in window.message_bar.text.text()


def test_a_journal_made_by_init_asks_on_the_home_panel_not_at_unlock(
        qtbot: QtBot, folder: Path, make_window: Callable[..., MainWindow]) -> None:
    make_vault(folder)  # as `journal-app init` makes it: no stage
    window = make_window(folder)
    unlock(qtbot, window)
    page = window.journal_page
    assert QApplication.activeModalWidget() is None
    assert page.level_card.isVisible()
    assert [b.text() for b in page.level_card.buttons] == [*LEVEL_LABELS.values(), "Not now"]
    assert page.todays_prompt is not None and page.todays_prompt.level == "early"

    # "Not now" puts it away, for good: not back after locking and unlocking.
    click(qtbot, page.level_later_button)
    assert not page.level_card.isVisible()
    window.lock_now()
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.lock_page, timeout=WAIT_MS)
    unlock(qtbot, window)
    assert not page.level_card.isVisible()
    assert level(window) is None
    assert page.todays_prompt is not None and page.todays_prompt.level == "early"


def test_settings_name_the_stages_for_students_and_update_the_home_panel(
        qtbot: QtBot, folder: Path, make_window: Callable[..., MainWindow]) -> None:
    make_vault(folder)
    window = make_window(folder)
    unlock(qtbot, window)
    page = window.journal_page
    assert page.level_card.isVisible()

    def choose(dialog: SettingsDialog) -> None:
        labels = [dialog.level.itemText(i) for i in range(dialog.level.count())]
        assert labels[1:] == list(LEVEL_LABELS.values())
        assert not any("residency" in text for text in labels)
        dialog.level.setFocus()
        qtbot.keyClicks(dialog.level, "Clerk")  # typing picks the item, as in any combo box
        assert dialog.level.currentData() == "clerkship"
        dialog.close()

    seen = on_modal(SettingsDialog, choose)
    window.show_settings()
    assert seen
    writes_done(qtbot, window.session)
    assert level(window) == "clerkship"
    assert not page.level_card.isVisible()
    assert page.todays_prompt is not None and page.todays_prompt.level == "clerkship"
