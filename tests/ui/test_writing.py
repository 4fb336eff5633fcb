"""Writing: a new entry with tags, emotions and ratings; autosave; editing; earlier versions."""

from __future__ import annotations

from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from journal_app.core.records.model import Emotion, Entry
from journal_app.ui.dialogs.history import HistoryDialog
from journal_app.ui.shell.mainwindow import MainWindow
from journal_app.ui.writing.entrylist import Role

from .conftest import (
    BODY,
    TITLE,
    WAIT_MS,
    add_emotion,
    click,
    click_row,
    list_titles,
    on_modal,
    save_now,
    saved_entry,
    set_spin,
    to_end,
    type_text,
    write_new_entry,
)


def test_write_an_entry_with_tags_emotions_and_ratings(qtbot, empty_window: MainWindow) -> None:
    window = empty_window
    editor = window.journal_page.editor
    editor._timer.setInterval(100)  # autosave sooner than AUTOSAVE_MS
    assert window.journal_page.model.rowCount() == 0
    assert "empty" in window.journal_page.empty_text.text()

    write_new_entry(qtbot, window)
    add_emotion(qtbot, window, "grief", 4)
    add_emotion(qtbot, window, "relieved", 2)
    assert [(e.name, e.intensity) for e in editor.emotions.emotions()] == [
        ("grief", 4), ("relieved", 2)]
    assert editor.emotions.name.currentText() == ""  # the picker is ready for the next one
    set_spin(qtbot, editor.mood, "-2")
    set_spin(qtbot, editor.stress, "8")
    assert editor.dirty

    # Autosave: no Ctrl+S needed.
    qtbot.waitUntil(lambda: editor.state.text().startswith("Saved"), timeout=WAIT_MS)
    assert not editor.dirty
    entry = saved_entry(window, TITLE)
    assert entry.body == BODY
    assert entry.tags == ("nights", "grief-work")
    assert entry.emotions == (Emotion("grief", 4), Emotion("relieved", 2))
    assert entry.mood == -2
    assert entry.stress == 8
    assert entry.energy is None
    assert list_titles(window) == [TITLE]
    row = window.journal_page.model.index(0)
    assert row.data(Role.ID) == entry.id
    assert window.journal_page.list.currentIndex().row() == 0  # the new entry is selected
    assert window.journal_page.count.text() == "1 entry"
    # A new entry's first saves keep no "earlier version" of a half-written draft.
    assert window.session.journal is not None
    assert window.session.journal.revisions(entry.id) == []


def test_ctrl_s_saves_at_once(qtbot, empty_window: MainWindow) -> None:
    window = empty_window
    write_new_entry(qtbot, window, tags="")
    save_now(qtbot, window)
    entry = saved_entry(window, TITLE)
    assert entry.body == BODY
    qtbot.waitUntil(lambda: list_titles(window) == [TITLE], timeout=WAIT_MS)


def test_an_untouched_new_entry_is_not_stored(qtbot, empty_window: MainWindow) -> None:
    window = empty_window
    QTest.keySequence(window, "Ctrl+N")
    QTest.keySequence(window, "Ctrl+S")
    window.session.worker.wait()
    assert window.session.journal is not None
    assert window.session.journal.entries() == []


def test_typing_in_a_new_entry_saves_no_revision(qtbot, empty_window: MainWindow) -> None:
    """Several saves while writing a new entry: the draft's halves are not earlier versions."""
    window = empty_window
    editor = window.journal_page.editor
    write_new_entry(qtbot, window, tags="")
    save_now(qtbot, window)
    qtbot.keyClicks(editor.body, " More.")
    save_now(qtbot, window)
    qtbot.keyClicks(editor.body, " And more.")
    save_now(qtbot, window)
    entry = saved_entry(window, TITLE)
    assert entry.body.endswith("And more.")
    assert window.session.journal is not None
    assert window.session.journal.revisions(entry.id) == []


def test_edit_keeps_a_revision_that_history_restores(qtbot, empty_window: MainWindow) -> None:
    window = empty_window
    page = window.journal_page
    editor = page.editor
    write_new_entry(qtbot, window)
    save_now(qtbot, window)
    write_new_entry(qtbot, window, title="Another day", body="Quiet clinic.", tags="clinic")
    save_now(qtbot, window)
    qtbot.waitUntil(lambda: len(list_titles(window)) == 2, timeout=WAIT_MS)
    first = saved_entry(window, TITLE)

    # Come back to the first entry and change its text: that session keeps a revision.
    click_row(qtbot, page.list, page.model.row_of(first.id))
    assert editor.title.text() == TITLE
    to_end(qtbot, editor.body)
    type_text(qtbot, editor.body, "\n\nLater: I talked it through with the registrar.")
    save_now(qtbot, window)
    changed = saved_entry(window, TITLE)
    assert changed.body.endswith("registrar.")
    # More saves in the same session keep no further revision.
    qtbot.keyClicks(editor.body, " It helped.")
    save_now(qtbot, window)
    window.session.worker.wait()
    assert window.session.journal is not None
    revisions = window.session.journal.revisions(first.id)
    assert len(revisions) == 1
    old = revisions[0].record()
    assert isinstance(old, Entry)
    assert old.body == BODY

    # Open the other entry and come back: the editor shows the saved text.
    click_row(qtbot, page.list, page.model.row_of(saved_entry(window, "Another day").id))
    assert editor.title.text() == "Another day"
    click_row(qtbot, page.list, page.model.row_of(first.id))
    assert editor.body.toPlainText().endswith("It helped.")

    # The history dialog lists the earlier version and restores it.
    def restore(dialog: HistoryDialog) -> None:
        assert dialog.versions.count() == 1
        assert BODY.splitlines()[0] in dialog.view.toPlainText()
        assert dialog.restore_button.isEnabled()
        click(qtbot, dialog.restore_button)

    seen = on_modal(HistoryDialog, restore)
    window.act_history.trigger()
    assert len(seen) == 1
    assert editor.body.toPlainText() == BODY
    assert saved_entry(window, TITLE).body == BODY
    # The version that was replaced is kept too.
    bodies = {r.record().body for r in window.session.journal.revisions(first.id)}  # type: ignore[attr-defined]
    assert any(b.endswith("It helped.") for b in bodies)


def test_history_of_an_unedited_entry_says_none_yet(qtbot, empty_window: MainWindow) -> None:
    window = empty_window
    write_new_entry(qtbot, window)
    save_now(qtbot, window)

    def check(dialog: HistoryDialog) -> None:
        assert dialog.versions.count() == 0
        assert "No earlier versions" in dialog.view.toPlainText()
        assert not dialog.restore_button.isEnabled()
        click(qtbot, dialog.close_button)

    seen = on_modal(HistoryDialog, check)
    window.act_history.trigger()
    assert len(seen) == 1
    assert window.journal_page.editor.title.text() == TITLE


def test_switching_entries_saves_pending_text(qtbot, empty_window: MainWindow) -> None:
    window = empty_window
    window.journal_page.editor._timer.setInterval(60_000)  # no autosave: switching saves
    page = window.journal_page
    write_new_entry(qtbot, window, title="First", body="one", tags="")
    save_now(qtbot, window)
    write_new_entry(qtbot, window, title="Second", body="two", tags="")
    save_now(qtbot, window)
    qtbot.waitUntil(lambda: len(list_titles(window)) == 2, timeout=WAIT_MS)
    click_row(qtbot, page.list, page.model.row_of(saved_entry(window, "First").id))
    to_end(qtbot, page.editor.body)
    qtbot.keyClicks(page.editor.body, " more")
    click_row(qtbot, page.list, page.model.row_of(saved_entry(window, "Second").id))
    assert saved_entry(window, "First").body == "one more"


def test_star_and_encounter_are_saved(qtbot, empty_window: MainWindow) -> None:
    window = empty_window
    editor = window.journal_page.editor
    write_new_entry(qtbot, window, tags="")
    click(qtbot, editor.star)
    assert editor.star.text() == "★ Starred"
    editor.encounter.setCurrentIndex(editor.encounter.findData("code"))
    save_now(qtbot, window)
    entry = saved_entry(window, TITLE)
    assert entry.starred
    assert entry.encounter == "code"


def test_preview_renders_the_body(qtbot, empty_window: MainWindow) -> None:
    window = empty_window
    editor = window.journal_page.editor
    write_new_entry(qtbot, window, body="**bold** words", tags="")
    QTest.keySequence(window, "Ctrl+P")
    assert editor.preview_mode == "side"
    assert editor.preview.isVisible()
    assert "<b>" in editor.preview.toHtml() or "font-weight" in editor.preview.toHtml()
    assert editor.preview.toPlainText().strip() == "bold words"
    QTest.keySequence(window, "Ctrl+P")
    assert editor.preview_mode == "only"
    assert not editor.body.isVisible()
    QTest.keySequence(window, "Ctrl+P")
    assert editor.preview_mode == "off"


def test_new_entry_right_after_writing_keeps_list_and_editor_agreeing(
        qtbot, empty_window: MainWindow) -> None:
    """Ctrl+N saves the entry being written; its save finishing later must not highlight it
    in the list while the editor shows the new entry (clicking it would then do nothing)."""
    window = empty_window
    page = window.journal_page
    write_new_entry(qtbot, window, title="First", body="one", tags="")
    with qtbot.waitSignal(page.editor.saved, timeout=WAIT_MS):
        QTest.keySequence(window, "Ctrl+N")  # saves "First" on the way
    QApplication.processEvents()  # and whatever the save's handlers queued
    assert list_titles(window) == ["First"]
    assert page.editor.title.text() == ""
    assert not page.list.selectionModel().hasSelection()
    assert not page.list.currentIndex().isValid()
    click_row(qtbot, page.list, 0)
    assert page.editor.title.text() == "First"


def test_clicking_the_entry_left_for_a_new_one_reopens_it(qtbot, empty_window: MainWindow) -> None:
    window = empty_window
    page = window.journal_page
    write_new_entry(qtbot, window, title="First", body="one", tags="")
    with qtbot.waitSignal(page.editor.saved, timeout=WAIT_MS):
        QTest.keySequence(window, "Ctrl+S")
    QApplication.processEvents()  # and whatever the save's handlers queued
    assert list_titles(window) == ["First"]
    assert page.list.currentIndex().row() == 0  # the saved entry is the list's current row
    QTest.keySequence(window, "Ctrl+N")
    assert page.editor.title.text() == ""
    click_row(qtbot, page.list, 0)
    assert page.editor.title.text() == "First"
    assert page.editor.body.toPlainText() == "one"
