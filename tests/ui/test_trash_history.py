"""Deleting: the trash, Undo in the message bar, restoring, emptying for good; history."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox

from journal_app.core.errors import JournalError
from journal_app.core.records.model import Revision
from journal_app.ui.dialogs.history import HistoryDialog
from journal_app.ui.dialogs.trash import TrashDialog
from journal_app.ui.shell.mainwindow import MainWindow

from .conftest import (
    answer_message_box,
    click,
    click_row,
    list_titles,
    on_modal,
    save_now,
    to_end,
    writes_done,
)

ALL = ["Family meeting", "Night shift", "Teaching round"]


def select_title(qtbot, window: MainWindow, title: str) -> str:
    """Click the entry with this title in the list; returns its id."""
    page = window.journal_page
    row = list_titles(window).index(title)
    click_row(qtbot, page.list, row)
    assert page.editor.title.text() == title
    assert page.list.hasFocus()
    entry = page.editor.entry
    assert entry is not None
    return entry.id


def press_delete(qtbot, window: MainWindow) -> None:
    qtbot.keyClick(window.journal_page.list, Qt.Key.Key_Delete)
    writes_done(qtbot, window.session)  # the entry goes to the trash in the worker


def trashed_ids(window: MainWindow) -> set[str]:
    return {e.id for e in window.session.entries(trash=True)}


def test_delete_moves_to_trash_and_undo_brings_it_back(qtbot, open_window: MainWindow) -> None:
    window = open_window
    page = window.journal_page
    entry_id = select_title(qtbot, window, "Night shift")
    press_delete(qtbot, window)
    assert sorted(list_titles(window)) == ["Family meeting", "Teaching round"]
    assert page.editor.entry is None
    assert page.editor.title.text() == ""
    assert trashed_ids(window) == {entry_id}
    bar = window.message_bar
    assert bar.isVisible()
    assert bar.text.text() == "Moved to the trash."
    assert bar.action.text() == "Undo"

    click(qtbot, bar.action)
    writes_done(qtbot, window.session)
    assert not bar.isVisible()
    assert sorted(list_titles(window)) == ALL
    assert trashed_ids(window) == set()
    assert page.editor.title.text() == "Night shift"  # reopened where it was
    assert page.list.currentIndex().data() == "Night shift"


def test_delete_key_in_the_text_edits_the_text(qtbot, open_window: MainWindow) -> None:
    window = open_window
    page = window.journal_page
    select_title(qtbot, window, "Teaching round")
    page.editor.body.setFocus()
    qtbot.keyClick(page.editor.body, Qt.Key.Key_Delete)
    assert page.editor.body.toPlainText().startswith("he students")
    assert trashed_ids(window) == set()
    assert len(list_titles(window)) == 3


def test_delete_action_from_the_menu(qtbot, open_window: MainWindow) -> None:
    window = open_window
    entry_id = select_title(qtbot, window, "Family meeting")
    window.act_delete.trigger()
    writes_done(qtbot, window.session)
    assert trashed_ids(window) == {entry_id}
    assert "Family meeting" not in list_titles(window)


def test_delete_saves_pending_text_first(qtbot, open_window: MainWindow) -> None:
    window = open_window
    page = window.journal_page
    entry_id = select_title(qtbot, window, "Teaching round")
    to_end(qtbot, page.editor.body)
    qtbot.keyClicks(page.editor.body, " Last words.")
    page.list.setFocus()
    press_delete(qtbot, window)
    [trashed] = window.session.entries(trash=True)
    assert trashed.id == entry_id
    assert trashed.body.endswith("Last words.")


def test_deleting_an_unsaved_new_entry_just_discards_it(qtbot, open_window: MainWindow) -> None:
    window = open_window
    QTest.keySequence(window, "Ctrl+N")
    window.act_delete.trigger()
    assert window.journal_page.editor.entry is None
    assert not window.message_bar.isVisible()
    assert trashed_ids(window) == set()
    assert sorted(list_titles(window)) == ALL


def test_restore_from_the_trash_dialog(qtbot, open_window: MainWindow) -> None:
    window = open_window
    entry_id = select_title(qtbot, window, "Night shift")
    press_delete(qtbot, window)
    click(qtbot, window.message_bar.close_button)  # no Undo this time
    assert not window.message_bar.isVisible()

    def restore(dialog: TrashDialog) -> None:
        assert dialog.model.rowCount() == 1
        assert dialog.note.text() == "1 entry in the trash."
        assert not dialog.restore_button.isEnabled()  # nothing chosen yet
        click_row(qtbot, dialog.list, 0)
        assert dialog.restore_button.isEnabled()
        click(qtbot, dialog.restore_button)
        qtbot.waitUntil(lambda: dialog.model.rowCount() == 0)
        assert dialog.note.text() == "The trash is empty."
        assert not dialog.empty_button.isEnabled()
        click(qtbot, dialog.close_button)

    seen = on_modal(TrashDialog, restore)
    window.act_trash.trigger()
    assert len(seen) == 1
    assert trashed_ids(window) == set()
    assert sorted(list_titles(window)) == ALL
    assert entry_id in {e.id for e in window.session.entries()}


def test_empty_trash_removes_for_good(qtbot, open_window: MainWindow) -> None:
    window = open_window
    page = window.journal_page
    entry_id = select_title(qtbot, window, "Night shift")
    to_end(qtbot, page.editor.body)
    qtbot.keyClicks(page.editor.body, " Edited once.")
    save_now(qtbot, window)  # gives it a revision, removed with it
    journal = window.session.journal
    assert journal is not None
    assert len(journal.revisions(entry_id)) == 1
    page.list.setFocus()
    press_delete(qtbot, window)

    def cancel_then_empty(dialog: TrashDialog) -> None:
        assert dialog.model.rowCount() == 1
        # "No" keeps everything.
        answered = answer_message_box(QMessageBox.StandardButton.No)
        click(qtbot, dialog.empty_button)
        assert len(answered) == 1
        assert dialog.model.rowCount() == 1
        answered = answer_message_box(QMessageBox.StandardButton.Yes)
        click(qtbot, dialog.empty_button)
        assert len(answered) == 1
        qtbot.waitUntil(lambda: dialog.model.rowCount() == 0)
        click(qtbot, dialog.close_button)

    seen = on_modal(TrashDialog, cancel_then_empty)
    window.act_trash.trigger()
    assert len(seen) == 1
    assert trashed_ids(window) == set()
    assert sorted(list_titles(window)) == ["Family meeting", "Teaching round"]
    with pytest.raises(JournalError):
        journal.get_entry(entry_id)
    assert all(r.target_id != entry_id for r in journal.all_records() if isinstance(r, Revision))
    # Undo after emptying has nothing to bring back, and says nothing alarming.
    window.lock_now()


def test_undo_after_lock_does_nothing(qtbot, open_window: MainWindow) -> None:
    window = open_window
    select_title(qtbot, window, "Night shift")
    press_delete(qtbot, window)
    callback = window.message_bar._callback
    window.lock_now()
    assert not window.message_bar.isVisible()
    assert callable(callback)
    callback()  # a late click cannot touch a locked journal
    assert not window.session.is_unlocked


def test_history_restores_an_earlier_version(qtbot, open_window: MainWindow) -> None:
    window = open_window
    page = window.journal_page
    entry_id = select_title(qtbot, window, "Family meeting")
    original = page.editor.body.toPlainText()
    page.editor.body.selectAll()
    qtbot.keyClicks(page.editor.body, "Rewritten completely.")
    save_now(qtbot, window)
    select_title(qtbot, window, "Night shift")
    select_title(qtbot, window, "Family meeting")
    assert page.editor.body.toPlainText() == "Rewritten completely."

    def restore(dialog: HistoryDialog) -> None:
        assert dialog.versions.count() == 1
        assert original in dialog.view.toPlainText()
        click(qtbot, dialog.restore_button)
        qtbot.waitUntil(lambda: not dialog.isVisible())  # closes once restored (worker)

    seen = on_modal(HistoryDialog, restore)
    window.act_history.trigger()
    assert len(seen) == 1
    assert page.editor.body.toPlainText() == original
    assert window.session.journal is not None
    assert window.session.journal.get_entry(entry_id).body == original
    assert page.list.currentIndex().data() == "Family meeting"


def test_delete_key_elsewhere_in_the_window_trashes_nothing(qtbot,
                                                            open_window: MainWindow) -> None:
    """Delete is the list's shortcut: on the star button or a filter it must do nothing."""
    window = open_window
    page = window.journal_page
    select_title(qtbot, window, "Night shift")
    click(qtbot, page.filter_toggle)
    for widget in (page.editor.star, page.editor.encounter, page.filters.tag, page.new_button):
        widget.setFocus()
        assert widget.hasFocus()
        qtbot.keyClick(widget, Qt.Key.Key_Delete)
        assert trashed_ids(window) == set(), widget
    assert page.editor.title.text() == "Night shift"
    assert not window.message_bar.isVisible()
