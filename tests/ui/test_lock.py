"""Locking and unlocking: nothing of the journal stays visible; wrong passphrases; recovery."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QClipboard, QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QCompleter

from journal_app.core.records import model
from journal_app.core.records.model import CheckIn
from journal_app.core.vault.crypto import TEST_KDF
from journal_app.core.vault.journal import Journal
from journal_app.ui.pages.lock import RecoveryDialog
from journal_app.ui.shell.mainwindow import MainWindow

from .conftest import (
    PASSPHRASE,
    WAIT_MS,
    list_titles,
    make_vault,
    on_modal,
    sample_entries,
    unlock,
)

NEW_PASSPHRASE = "copper kettle meadow"


def assert_nothing_shown(window: MainWindow) -> None:
    """The lock page is up and no journal text is left in any view."""
    page = window.journal_page
    assert window.stack.currentWidget() is window.lock_page
    assert page.model.rowCount() == 0
    assert page.editor.entry is None
    assert page.editor.title.text() == ""
    assert page.editor.body.toPlainText() == ""
    assert page.editor.tags.text() == ""
    assert page.editor.emotions.emotions() == []
    assert page.editor.preview.toPlainText() == ""
    assert page.search.text() == ""
    assert page.count.text() == ""
    assert page.filters.tag.count() == 1  # only "Any tag"
    assert page.filters.emotion.count() == 1
    for entry in sample_entries():
        assert entry.title not in window.windowTitle()
    assert not window.message_bar.isVisible()
    assert not window.act_new.isEnabled()
    assert not window.toolbar.isVisible()
    assert window.lock_page.passphrase.text() == ""
    # The tag completer: its popup (a window of its own) is closed and offers no tag.
    completer = page.editor.tags.findChild(QCompleter)
    assert completer is not None
    assert not completer.popup().isVisible()
    assert completer.model().rowCount() == 0
    assert completer.completionModel().rowCount() == 0
    # The follow-up card ("A few days on") is folded away, with no text left in it.
    assert not page.followup_card.isVisibleTo(page)
    assert page.followup_text.text() == ""
    assert page.followup is None and page.rating_due is None


def test_existing_journal_starts_on_the_lock_page(
        qtbot, folder: Path, make_window: Callable[..., MainWindow]) -> None:
    make_vault(folder, sample_entries())
    window = make_window(folder)
    assert window.stack.currentWidget() is window.lock_page
    assert str(folder) in window.lock_page.where.text()
    assert window.journal_page.model.rowCount() == 0
    assert not window.session.is_unlocked


def test_the_passphrase_leaves_the_hidden_lock_field_once_unlocked(
        qtbot, open_window: MainWindow) -> None:
    """Seen: after unlocking, the passphrase stayed in the (hidden) lock page's field for as long
    as the journal was open, where any widget walk or accessibility client could read it."""
    window = open_window
    assert window.stack.currentWidget() is window.journal_page
    assert window.lock_page.passphrase.text() == ""


def test_ctrl_l_locks_and_clears_every_view(qtbot, open_window: MainWindow,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    window = open_window
    page = window.journal_page
    assert sorted(list_titles(window)) == ["Family meeting", "Night shift", "Teaching round"]
    page.select(page.model.entries()[0].id)
    assert page.editor.title.text()
    qtbot.keyClicks(page.search, "night")
    qtbot.waitUntil(lambda: page.count.text().endswith("found"), timeout=WAIT_MS)
    window.show_message("Moved to the trash.", "Undo", lambda: None)
    # The offscreen platform never reports owning the clipboard; a desktop one does.
    monkeypatch.setattr(QClipboard, "ownsClipboard", lambda _self: True)
    QGuiApplication.clipboard().setText(page.editor.body.toPlainText())

    QTest.keySequence(window, "Ctrl+L")
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.lock_page, timeout=WAIT_MS)
    assert_nothing_shown(window)
    assert not window.session.is_unlocked
    assert QGuiApplication.clipboard().text() == ""  # what was copied from it is gone too


def test_lock_action_locks(qtbot, open_window: MainWindow) -> None:
    window = open_window
    window.act_lock.trigger()
    assert_nothing_shown(window)
    # A second lock (the timer firing late) is harmless.
    window.lock_now()
    assert window.stack.currentWidget() is window.lock_page


def test_wrong_passphrase_says_so_and_stays_locked(qtbot, open_window: MainWindow) -> None:
    window = open_window
    window.lock_now()
    lock = window.lock_page
    qtbot.keyClicks(lock.passphrase, "not my passphrase")
    qtbot.mouseClick(lock.unlock_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lock.error.isVisible, timeout=WAIT_MS)
    assert "passphrase" in lock.error.text().lower()
    assert "Caps Lock" in lock.error.text()
    assert window.stack.currentWidget() is lock
    assert not window.session.is_unlocked
    assert window.journal_page.model.rowCount() == 0
    assert lock.unlock_button.isEnabled()  # the busy state is over: try again
    assert lock.passphrase.selectedText() == "not my passphrase"

    lock.passphrase.clear()
    unlock(qtbot, window)
    assert not lock.error.isVisible()
    assert sorted(list_titles(window)) == ["Family meeting", "Night shift", "Teaching round"]
    assert window.act_new.isEnabled()


def test_empty_passphrase_does_nothing(qtbot, open_window: MainWindow) -> None:
    window = open_window
    window.lock_now()
    qtbot.mouseClick(window.lock_page.unlock_button, Qt.MouseButton.LeftButton)
    assert not window.lock_page.busy.isVisible()
    assert not window.lock_page.error.isVisible()


def test_lock_saves_unsaved_text_first(qtbot, open_window: MainWindow) -> None:
    window = open_window
    QTest.keySequence(window, "Ctrl+N")
    editor = window.journal_page.editor
    qtbot.keyClicks(editor.title, "Written just before locking")
    qtbot.keyClicks(editor.body, "Not yet autosaved.")
    assert editor.dirty
    QTest.keySequence(window, "Ctrl+L")
    assert_nothing_shown(window)
    unlock(qtbot, window)
    assert "Written just before locking" in list_titles(window)


def test_lock_folds_the_followup_card_and_the_tag_completer(
        qtbot, folder: Path, make_window: Callable[..., MainWindow],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """What only shows on some days (the follow-up card) and only while typing (the tag
    completer's list, a window of its own) goes at the lock like every other view."""
    journal, _key = Journal.create(folder, PASSPHRASE, kdf=TEST_KDF)
    with journal:
        for entry in sample_entries():
            journal.add_entry(entry)
        journal.add_record(CheckIn(stress=8, encounter="code"))
    real_now = model.now
    monkeypatch.setattr(model, "now", lambda: real_now() + timedelta(days=2.5))
    window = make_window(folder)
    unlock(qtbot, window)
    page = window.journal_page
    assert page.followup_card.isVisible()
    assert "code" in page.followup_text.text().lower()
    QTest.keySequence(window, "Ctrl+N")
    page.editor.tags.setFocus()
    qtbot.keyClicks(page.editor.tags, "nig")
    completer = page.editor.tags.findChild(QCompleter)
    assert completer is not None
    qtbot.waitUntil(completer.popup().isVisible, timeout=WAIT_MS)
    assert completer.currentCompletion() == "nights"

    QTest.keySequence(window, "Ctrl+L")
    assert_nothing_shown(window)


def fill_recovery_dialog(qtbot, dialog: RecoveryDialog, key: str, passphrase: str) -> None:
    assert not dialog.ok.isEnabled()
    qtbot.keyClicks(dialog.key, key)
    qtbot.keyClicks(dialog.passphrase.first, passphrase)
    assert not dialog.ok.isEnabled()  # the second field is still empty
    qtbot.keyClicks(dialog.passphrase.second, passphrase)
    assert dialog.ok.isEnabled()
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)


def test_recovery_key_sets_a_new_passphrase(qtbot, folder: Path,
                                            make_window: Callable[..., MainWindow]) -> None:
    key = make_vault(folder, sample_entries())
    window = make_window(folder)
    lock = window.lock_page
    # Spaces and lower case are accepted, as the dialog says.
    typed = key.lower().replace("-", " ")
    seen = on_modal(RecoveryDialog, lambda d: fill_recovery_dialog(qtbot, d, typed, NEW_PASSPHRASE))
    qtbot.mouseClick(lock.recovery_button, Qt.MouseButton.LeftButton)
    assert len(seen) == 1
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.journal_page, timeout=WAIT_MS)
    assert sorted(list_titles(window)) == ["Family meeting", "Night shift", "Teaching round"]

    window.lock_now()
    qtbot.keyClicks(lock.passphrase, PASSPHRASE)  # the old one no longer works
    qtbot.keyClick(lock.passphrase, Qt.Key.Key_Return)
    qtbot.waitUntil(lock.error.isVisible, timeout=WAIT_MS)
    assert window.stack.currentWidget() is lock
    lock.passphrase.clear()
    unlock(qtbot, window, NEW_PASSPHRASE)
    assert len(list_titles(window)) == 3
    window.close()
    # And from a fresh process's point of view too.
    journal = Journal.open(folder)
    try:
        journal.unlock(NEW_PASSPHRASE)
        assert len(journal.entries()) == 3
    finally:
        journal.close()


def test_wrong_recovery_key_says_so(qtbot, folder: Path,
                                    make_window: Callable[..., MainWindow]) -> None:
    make_vault(folder)
    window = make_window(folder)
    lock = window.lock_page
    wrong = "-".join(["ABCD"] * 8)
    seen = on_modal(RecoveryDialog, lambda d: fill_recovery_dialog(qtbot, d, wrong, NEW_PASSPHRASE))
    qtbot.mouseClick(lock.recovery_button, Qt.MouseButton.LeftButton)
    assert len(seen) == 1
    qtbot.waitUntil(lock.error.isVisible, timeout=WAIT_MS)
    assert "recovery key" in lock.error.text().lower()
    assert window.stack.currentWidget() is lock
    assert not window.session.is_unlocked
    lock.passphrase.clear()
    unlock(qtbot, window)  # the passphrase was not changed


def test_cancelled_recovery_dialog_changes_nothing(qtbot, folder: Path,
                                                  make_window: Callable[..., MainWindow]) -> None:
    make_vault(folder)
    window = make_window(folder)
    seen = on_modal(RecoveryDialog, lambda d: d.reject())
    qtbot.mouseClick(window.lock_page.recovery_button, Qt.MouseButton.LeftButton)
    assert len(seen) == 1
    assert not window.lock_page.busy.isVisible()
    assert window.stack.currentWidget() is window.lock_page


@pytest.mark.parametrize("via_shortcut", [True, False])
def test_locked_window_ignores_journal_shortcuts(qtbot, open_window: MainWindow,
                                                 via_shortcut: bool) -> None:
    window = open_window
    window.lock_now()
    if via_shortcut:
        QTest.keySequence(window, "Ctrl+N")
    else:
        window.journal_page.new_entry()
    assert window.journal_page.editor.entry is None
    assert window.stack.currentWidget() is window.lock_page


def test_other_journal_goes_back_to_the_welcome_page(
        qtbot, folder: Path, make_window: Callable[..., MainWindow]) -> None:
    make_vault(folder)
    window = make_window(folder)
    qtbot.mouseClick(window.lock_page.other_button, Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is window.welcome
    assert not window.session.is_unlocked
