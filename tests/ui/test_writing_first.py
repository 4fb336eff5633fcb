"""Writing first (issue 16, sections 1 and 2): the cursor starts in the text, Enter and Tab in the
title lead to the text, a readable column, one foldable strip of details under the text, ratings
that start from 0, a finished reflection that opens rendered with its check-in's ratings, and a
search that matches word starts while typing. Driven as a user types and clicks."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox, QToolButton

from journal_app.core.records.model import Emotion, Entry, Reflection
from journal_app.ui.practice.checkin import CheckInDialog
from journal_app.ui.shell.mainwindow import MainWindow
from journal_app.ui.writing.reflection import EmotionsStepEditor, ReflectionWizard

from .conftest import (
    WAIT_MS,
    click,
    full_checkin,
    list_titles,
    make_vault,
    on_modal,
    save_now,
    type_text,
    unlock,
    writes_done,
)

NIGHT = "Night shift, bed 12"
DIED = "Mr. B died at 3 am. His daughter arrived ten minutes later."


def char_width(font: QFont) -> float:
    """The width of a character of this font in a sentence someone wrote."""
    return QFontMetrics(font).horizontalAdvance(DIED) / len(DIED)


def stored_entries(window: MainWindow) -> list[Entry]:
    window.session.worker.wait()
    assert window.session.journal is not None
    return [e for e in window.session.journal.entries() if not isinstance(e, Reflection)]


def test_ctrl_n_puts_the_cursor_in_the_text_and_the_list_shows_its_first_line(
        qtbot: Any, empty_window: MainWindow) -> None:
    window = empty_window
    editor = window.journal_page.editor
    QTest.keySequence(window, "Ctrl+N")
    assert editor.body.hasFocus()
    type_text(qtbot, editor.body, f"{DIED}\nThen the next admission.")
    save_now(qtbot, window)
    [entry] = stored_entries(window)
    assert entry.title == ""
    assert entry.body == f"{DIED}\nThen the next admission."
    qtbot.waitUntil(lambda: list_titles(window) == [DIED], timeout=WAIT_MS)


def test_enter_in_the_title_moves_to_the_text(qtbot: Any, empty_window: MainWindow) -> None:
    window = empty_window
    editor = window.journal_page.editor
    QTest.keySequence(window, "Ctrl+N")
    qtbot.mouseClick(editor.title, Qt.MouseButton.LeftButton)
    assert editor.title.hasFocus()
    qtbot.keyClicks(editor.title, NIGHT)
    qtbot.keyClick(editor.title, Qt.Key.Key_Return)
    qtbot.keyClicks(QApplication.focusWidget(), "Mr. B died at 3 am.")
    assert editor.title.text() == NIGHT
    assert editor.body.toPlainText() == "Mr. B died at 3 am."
    assert editor.body.hasFocus()
    save_now(qtbot, window)
    [entry] = stored_entries(window)
    assert (entry.title, entry.body) == (NIGHT, "Mr. B died at 3 am.")


def test_tab_from_the_title_goes_to_the_text(qtbot: Any, empty_window: MainWindow) -> None:
    window = empty_window
    editor = window.journal_page.editor
    QTest.keySequence(window, "Ctrl+N")
    qtbot.mouseClick(editor.title, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(editor.title, NIGHT)
    qtbot.keyClick(editor.title, Qt.Key.Key_Tab)
    assert editor.body.hasFocus()
    # And back: Shift+Tab from the text returns to the title.
    qtbot.keyClick(editor.body, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert editor.title.hasFocus()


def test_the_text_sits_in_a_readable_column_in_a_wide_window(
        qtbot: Any, empty_window: MainWindow) -> None:
    window = empty_window
    editor = window.journal_page.editor
    window.resize(2400, 900)
    window.journal_page.splitter.setSizes([400, 2000])
    QTest.keySequence(window, "Ctrl+N")
    type_text(qtbot, editor.body, DIED * 6)
    qtbot.waitUntil(lambda: editor.body.width() > 1500, timeout=WAIT_MS)
    chars = char_width(editor.body.font())
    column = editor.body.viewport().width()
    assert 60 * chars <= column <= 80 * chars
    # A large text size in a narrower window: the column grows with the letters, and when
    # the window is narrower than the column, the text keeps all of its width.
    for _ in range(12):
        QTest.keySequence(window, "Ctrl+=")  # View ▸ Larger text
    window.resize(1000, 800)
    window.journal_page.splitter.setSizes([300, 700])
    qtbot.waitUntil(lambda: char_width(editor.body.font()) > chars, timeout=WAIT_MS)
    bigger = char_width(editor.body.font())
    qtbot.waitUntil(lambda: editor.body.width() < 70 * bigger, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: editor.body.viewport().width() >= editor.body.width() - 40,
                    timeout=WAIT_MS)


def test_the_ratings_start_from_zero(qtbot: Any, empty_window: MainWindow) -> None:
    window = empty_window
    editor = window.journal_page.editor
    QTest.keySequence(window, "Ctrl+N")
    type_text(qtbot, editor.body, DIED)
    for box in (editor.mood, editor.energy, editor.stress):
        assert box.text() == "–"
        box.setFocus()
        qtbot.keyClick(box, Qt.Key.Key_Up)
        assert box.text() == "0", box.accessibleName()
    editor.mood.setFocus()
    qtbot.keyClick(editor.mood, Qt.Key.Key_Down)
    save_now(qtbot, window)
    [entry] = stored_entries(window)
    assert (entry.mood, entry.energy, entry.stress) == (-1, 0, 0)


def test_the_details_strip_folds_and_the_window_remembers(
        qtbot: Any, folder: Path, make_window: Callable[..., MainWindow]) -> None:
    make_vault(folder)
    window = make_window(folder)
    unlock(qtbot, window)
    editor = window.journal_page.editor
    QTest.keySequence(window, "Ctrl+N")
    strip = editor.details
    # Everything about the entry but its words, in one strip under the text.
    for widget in (editor.tags, editor.emotions, editor.mood, editor.energy, editor.stress,
                   editor.encounter, editor.star):
        assert strip.isAncestorOf(widget), widget.accessibleName()
        assert widget.isVisible()
    assert strip.geometry().top() > editor.split.geometry().bottom()
    assert editor.details_toggle.isChecked()
    click(qtbot, editor.details_toggle)
    assert not editor.tags.isVisible() and not editor.mood.isVisible()
    assert editor.details_toggle.isVisible()  # the way back stays
    # Folded, the text has the room.
    window.close()
    window.session.close()

    again = make_window(folder)
    unlock(qtbot, again)
    QTest.keySequence(again, "Ctrl+N")
    editor = again.journal_page.editor
    assert not editor.details_toggle.isChecked()
    assert not editor.tags.isVisible()
    click(qtbot, editor.details_toggle)
    assert editor.tags.isVisible() and editor.mood.isVisible()


def test_a_finished_reflection_opens_rendered_with_its_check_ins_ratings(
        qtbot: Any, open_window: MainWindow) -> None:
    window = open_window
    feelings_shown: list[list[Emotion]] = []

    def fill(dialog: CheckInDialog) -> None:
        click(qtbot, dialog.stress_buttons[8])
        qtbot.mouseClick(dialog.pad, Qt.MouseButton.LeftButton,
                         pos=dialog.pad._point(-3, -2).toPoint())
        qtbot.keyClicks(dialog.emotions.name.lineEdit(), "grief")
        click(qtbot, dialog.emotions.add_button)
        click(qtbot, dialog.difficult)
        dialog.encounter.setFocus()
        qtbot.keyClicks(dialog.encounter, "A patient's death")
        click(qtbot, dialog.save_button)
        qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT_MS)

    def start(box: QMessageBox) -> None:
        (button,) = [b for b in box.buttons() if b.text() == "Start now"]
        button.click()

    def reflect(wizard: ReflectionWizard) -> None:
        while wizard.current_step() is not None:
            editor = wizard.current_editor()
            if isinstance(editor, EmotionsStepEditor):
                feelings_shown.append(editor.emotions())
            elif editor is not None and hasattr(editor, "edit") and \
                    not editor.edit.toPlainText():
                qtbot.keyClicks(editor.edit, "She died just after midnight.")
            click(qtbot, wizard.next_button)
        click(qtbot, wizard.next_button)  # Finish
        qtbot.waitUntil(lambda: not wizard.isVisible(), timeout=WAIT_MS)

    full_checkin(fill)
    on_modal(QMessageBox, start, tries=600)
    on_modal(ReflectionWizard, reflect, tries=900)
    checkin = window.check_in()
    assert checkin is not None and checkin.encounter == "patient-death"
    assert checkin.emotions and checkin.mood is not None
    writes_done(qtbot, window.session)
    # The check-in's feelings were there in "What are you feeling?".
    assert feelings_shown and [e.name for e in feelings_shown[0]] == ["grief"]
    [reflection] = [e for e in window.session.entries() if isinstance(e, Reflection)]
    assert reflection.checkin_id == checkin.id
    assert (reflection.mood, reflection.stress, reflection.energy) == (
        checkin.mood, checkin.stress, checkin.energy)
    assert [e.name for e in reflection.emotions] == ["grief"]
    # It opens rendered, its ratings filled in.
    editor = window.journal_page.editor
    assert editor.entry is not None and editor.entry.id == reflection.id
    assert editor.preview_mode == "only"
    assert editor.preview.isVisible() and not editor.body.isVisible()
    assert "She died just after midnight." in editor.preview.toPlainText()
    assert editor.mood.value() == checkin.mood and editor.stress.value() == checkin.stress
    assert [e.name for e in editor.emotions.emotions()] == ["grief"]
    # A plain entry opened next is for writing again.
    window.journal_page.select(stored_entries(window)[0].id)
    assert editor.preview_mode == "off" and editor.body.isVisible()


def test_search_matches_word_starts_while_typing(qtbot: Any,
                                                 open_window: MainWindow) -> None:
    page = open_window.journal_page
    page.search.setFocus()
    qtbot.keyClicks(page.search, "daught")
    qtbot.waitUntil(lambda: list_titles(open_window) == ["Family meeting"], timeout=WAIT_MS)
    # Two letters are not yet a word start: "th" finds only the word "th" (none here).
    page.search.clear()
    qtbot.keyClicks(page.search, "th")
    qtbot.waitUntil(lambda: list_titles(open_window) == [], timeout=WAIT_MS)
    # Quotes and operators typed by the user stay words.
    page.search.clear()
    qtbot.keyClicks(page.search, 'NEAR( "goals of" OR ca')
    qtbot.waitUntil(lambda: page.count.text() == "0 entries found", timeout=WAIT_MS)
    page.search.clear()
    qtbot.keyClicks(page.search, '"goals of" car')
    qtbot.waitUntil(lambda: list_titles(open_window) == ["Family meeting"], timeout=WAIT_MS)


def test_feelings_carried_from_the_check_in_are_not_writing_of_their_own(
        qtbot: Any, open_window: MainWindow) -> None:
    """Cancel right away does not ask about discarding, and Finish with nothing else written
    stores nothing; a feeling removed in the step stays removed."""
    from journal_app.core.practice.prompts import load_library
    from journal_app.core.records.model import CheckIn

    window = open_window
    assert window.session.journal is not None
    checkin = window.session.journal.add_record(CheckIn(
        stress=6, emotions=(Emotion("grief", 4), Emotion("guilt", 2)), encounter="patient-death"))
    template = load_library().templates["patient-death"]

    def walk_to_feelings(wizard: ReflectionWizard) -> EmotionsStepEditor:
        while not isinstance(wizard.current_editor(), EmotionsStepEditor):
            click(qtbot, wizard.next_button)
        feelings = wizard.current_editor()
        assert isinstance(feelings, EmotionsStepEditor)
        return feelings

    wizard = ReflectionWizard(window.session, template, checkin, parent=window)
    qtbot.addWidget(wizard, before_close_func=lambda w: w.hide())
    wizard.show()
    assert [e.name for e in walk_to_feelings(wizard).emotions()] == ["grief", "guilt"]
    assert not wizard.has_unsaved()
    while wizard.current_step() is not None:
        click(qtbot, wizard.next_button)
    click(qtbot, wizard.next_button)  # Finish
    assert wizard.isVisible() and "Nothing is written yet" in wizard.error.text()
    click(qtbot, wizard.cancel_button)  # nothing to ask about
    assert not wizard.isVisible()

    again = ReflectionWizard(window.session, template, checkin, parent=window)
    qtbot.addWidget(again, before_close_func=lambda w: w.hide())
    again.show()
    feelings = walk_to_feelings(again)
    (guilt,) = [b for b in feelings.chips.findChildren(QToolButton)
                if b.accessibleName() == "Remove emotion guilt"]
    click(qtbot, guilt)
    assert again.has_unsaved()  # a change of the user's own
    while again.current_step() is not None:
        click(qtbot, again.next_button)
    with qtbot.waitSignal(window.session.entriesChanged, timeout=WAIT_MS):
        click(qtbot, again.next_button)
    assert again.reflection is not None
    assert [e.name for e in again.reflection.emotions] == ["grief"]
    assert again.reflection.stress == 6 and again.reflection.mood is None


def test_tabbing_onto_the_entry_list_keeps_the_new_entry_open(
        qtbot: Any, open_window: MainWindow) -> None:
    """Seen (issue 17's keyboard walk): writing a new entry and pressing Tab on to the entry list
    opened the first entry of the list in the editor, as if it had been chosen. The text was
    kept, but the writer lost their place. Focus alone chooses nothing; arrows or a click do."""
    window = open_window
    page = window.journal_page
    QTest.keySequence(window, "Ctrl+N")
    type_text(qtbot, page.editor.body, DIED)
    for _ in range(60):  # Tab on, as a keyboard user does, until the list has the focus
        if page.list.hasFocus():
            break
        focused = QApplication.focusWidget()
        assert focused is not None
        qtbot.keyClick(focused, Qt.Key.Key_Tab)
    assert page.list.hasFocus()
    writes_done(qtbot, window.session)
    assert page.editor.body.toPlainText() == DIED
    # The arrow keys still choose from the list.
    qtbot.keyClick(page.list, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: page.editor.body.toPlainText() != DIED, timeout=WAIT_MS)
