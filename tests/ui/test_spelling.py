"""Spell checking in the editor and the reflection's text boxes (issue 17, section 2), driven as
a user would: type a misspelling and see it underlined, right-click it, take a suggestion, add
a word to one's own words (kept encrypted in the journal, never in the clear on disk), ignore a
word in one entry, turn checking off and choose the language in Settings."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QContextMenuEvent, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QApplication, QCheckBox, QMenu, QPlainTextEdit

from journal_app.core.practice.prompts import load_library
from journal_app.core.records.model import Entry
from journal_app.ui.dialogs.settings import SettingsDialog
from journal_app.ui.session import Change
from journal_app.ui.shell.mainwindow import MainWindow
from journal_app.ui.spelling import LONG_PARAGRAPH, SpellHighlighter, spelling_for
from journal_app.ui.writing.reflection import ReflectionWizard, TextStepEditor

from .conftest import WAIT_MS, click, make_vault, type_text, unlock, writes_done
from .test_canary_gui import encodings, files_under

NAME = "Okonkwo"


def ready(qtbot: Any, window: MainWindow) -> None:
    """Wait for the language's words to load (a thread of their own, once per process)."""
    service = spelling_for(window.session)
    qtbot.waitUntil(lambda: service.ready, timeout=30_000)


def underlined(edit: QPlainTextEdit) -> list[str]:
    """The words drawn with the spell-check underline, in the order of the text."""
    found = []
    block = edit.document().begin()
    while block.isValid():
        text = block.text()
        for fmt in block.layout().formats():
            style = fmt.format.underlineStyle()
            if style == QTextCharFormat.UnderlineStyle.SpellCheckUnderline:
                found.append(text[fmt.start:fmt.start + fmt.length])
        block = block.next()
    return found


def word_point(edit: QPlainTextEdit, word: str) -> QPoint:
    """Where ``word`` is drawn in the text box's viewport (its middle)."""
    at = edit.toPlainText().index(word) + len(word) // 2
    cursor = QTextCursor(edit.document())
    cursor.setPosition(at)
    return edit.cursorRect(cursor).center()


def right_click(qtbot: Any, edit: QPlainTextEdit, word: str,
                action: Callable[[QMenu], None]) -> list[str]:
    """Right-click on ``word`` (the event a mouse's right button sends), call ``action`` with
    the menu shown (the editor's runs its own event loop) and return the menu's texts."""
    seen: list[list[str]] = []

    def poll(left: int) -> None:
        menu = QApplication.activePopupWidget()
        if isinstance(menu, QMenu) and menu.isVisible():
            seen.append([a.text() for a in menu.actions()])
            try:
                action(menu)
            finally:
                if menu.isVisible():
                    menu.close()
        elif left > 0:
            QTimer.singleShot(10, lambda: poll(left - 1))

    QTimer.singleShot(0, lambda: poll(500))
    point = word_point(edit, word)
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, point,
                              edit.viewport().mapToGlobal(point))
    QApplication.sendEvent(edit.viewport(), event)
    qtbot.waitUntil(lambda: bool(seen), timeout=WAIT_MS)
    return seen[0]


def choose(text: str) -> Callable[[QMenu], None]:
    def pick(menu: QMenu) -> None:
        action = next(a for a in menu.actions() if a.text() == text)
        assert action.isEnabled()
        action.trigger()
        menu.close()

    return pick


def close(menu: QMenu) -> None:
    menu.close()


def toggle(qtbot: Any, box: QCheckBox) -> None:
    """Tick or untick ``box`` from the keyboard (Space), as a user tabbing to it would."""
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Space)


def new_entry_with(qtbot: Any, window: MainWindow, text: str) -> QPlainTextEdit:
    click(qtbot, window.journal_page.new_button)
    body = window.journal_page.editor.body
    type_text(qtbot, body, text)
    return body


def test_a_misspelling_is_underlined_as_it_is_typed_and_a_suggestion_corrects_it(
        qtbot: Any, open_window: MainWindow) -> None:
    window = open_window
    ready(qtbot, window)
    body = new_entry_with(qtbot, window, "I could not recieve the news calmly")
    qtbot.waitUntil(lambda: underlined(body) == ["recieve"])
    texts = right_click(qtbot, body, "recieve", choose("receive"))
    assert "receive" in texts
    assert texts.index("receive") < texts.index("Add “recieve” to my words")
    assert "Share this entry…" in texts  # then the usual actions and sharing
    assert body.toPlainText() == "I could not receive the news calmly"
    qtbot.waitUntil(lambda: underlined(body) == [])
    body.undo()  # the correction is one step of Undo
    assert body.toPlainText() == "I could not recieve the news calmly"


def test_the_word_being_typed_is_underlined_once_the_cursor_leaves_it(
        qtbot: Any, open_window: MainWindow) -> None:
    window = open_window
    ready(qtbot, window)
    body = new_entry_with(qtbot, window, "The nurse said recie")
    assert underlined(body) == []  # still being typed
    qtbot.keyClicks(body, "ve")
    assert underlined(body) == []
    qtbot.keyClicks(body, " it")
    assert underlined(body) == ["recieve"]
    qtbot.keyClick(body, Qt.Key.Key_Backspace)
    qtbot.keyClick(body, Qt.Key.Key_Backspace)
    qtbot.keyClick(body, Qt.Key.Key_Backspace)
    qtbot.keyClick(body, Qt.Key.Key_Backspace)  # back into the word: typing it again
    assert underlined(body) == []
    qtbot.keyClick(body, Qt.Key.Key_Home)  # the cursor leaves it
    assert underlined(body) == ["reciev"]


def test_medical_and_palliative_words_are_not_flagged(qtbot: Any,
                                                       open_window: MainWindow) -> None:
    window = open_window
    ready(qtbot, window)
    body = new_entry_with(
        qtbot, window,
        "She was intubated in ICU with sepsis; the DNACPR was signed. Midazolam and "
        "haloperidol in the syringe driver, morphine for the dyspnoea. Oncology said "
        "metastatic; the hospice team came. I felt the colour drain from the room.\n"
        "Then a real typo: teh end.")
    qtbot.waitUntil(lambda: underlined(body) == ["teh"])


def test_add_to_my_words_in_the_editor_then_known_in_a_new_reflection(
        qtbot: Any, open_window: MainWindow) -> None:
    window = open_window
    ready(qtbot, window)
    body = new_entry_with(qtbot, window, f"Mrs {NAME} asked me to stay")
    qtbot.waitUntil(lambda: underlined(body) == [NAME])
    right_click(qtbot, body, NAME, choose(f"Add “{NAME}” to my words"))
    qtbot.waitUntil(lambda: underlined(body) == [])
    writes_done(qtbot, window.session)
    assert window.session.read(lambda journal: journal.spelling_words()) == [NAME]

    # A reflection opened afterwards knows the word too; another misspelling is still flagged.
    template = load_library().templates["free"]
    wizard = ReflectionWizard(window.session, template, None, parent=window)
    qtbot.addWidget(wizard, before_close_func=lambda w: w.hide())
    wizard.show()
    editor = wizard.pages[0]
    assert isinstance(editor, TextStepEditor)
    assert isinstance(editor.spelling, SpellHighlighter)
    type_text(qtbot, editor.edit, f"{NAME}'s daughter was thier too")
    qtbot.waitUntil(lambda: underlined(editor.edit) == ["thier"])
    assert "their" in right_click(qtbot, editor.edit, "thier", close)


def test_own_words_come_back_after_locking_and_are_never_on_disk_in_the_clear(
        qtbot: Any, folder: Path, tmp_path: Path, make_window: Any) -> None:
    make_vault(folder, [Entry(title="Ward", body=f"Mr {NAME} again today")])
    window = make_window(folder)
    unlock(qtbot, window)
    ready(qtbot, window)
    editor = window.journal_page.editor
    window.journal_page.select(window.session.entries()[0].id)
    qtbot.waitUntil(lambda: underlined(editor.body) == [NAME])
    assert not editor.dirty
    right_click(qtbot, editor.body, NAME, choose(f"Add “{NAME}” to my words"))
    writes_done(qtbot, window.session)
    qtbot.waitUntil(lambda: underlined(editor.body) == [])
    # Underlining again is no edit: nothing to save, no revision kept.
    assert not editor.dirty and editor.state.text() == "Saved"
    service = spelling_for(window.session)
    assert service.own_words() == [NAME]

    window.lock_now()
    assert service.own_words() == []  # dropped from memory with the journal's words
    unlock(qtbot, window)
    assert service.own_words() == [NAME]
    window.journal_page.select(window.session.entries()[0].id)
    qtbot.waitUntil(lambda: editor.body.toPlainText().startswith("Mr"))
    qtbot.waitUntil(lambda: underlined(editor.body) == [])

    window.lock_now()
    window.session.close()
    window.settings.sync()
    roots = [folder, Path(window.settings.file_name).parent, tmp_path]
    import os
    roots += [Path(os.environ[v]) for v in ("HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME",
                                            "XDG_CACHE_HOME", "TMPDIR") if v in os.environ]
    checked = 0
    for path in files_under(*roots):
        data = path.read_bytes()
        checked += 1
        for needle in encodings(NAME) + encodings(NAME.lower()):
            assert needle not in data, path
    assert checked  # the journal's own files were among them


def test_ignore_in_this_entry_lasts_for_that_entry_only(qtbot: Any,
                                                         open_window: MainWindow) -> None:
    window = open_window
    ready(qtbot, window)
    body = new_entry_with(qtbot, window, "Zorbly said the monitor beeped")
    qtbot.waitUntil(lambda: underlined(body) == ["Zorbly"])
    right_click(qtbot, body, "Zorbly", choose("Ignore in this entry"))
    qtbot.waitUntil(lambda: underlined(body) == [])
    writes_done(qtbot, window.session)
    body = new_entry_with(qtbot, window, "Zorbly again")
    qtbot.waitUntil(lambda: underlined(body) == ["Zorbly"])
    assert window.session.read(lambda journal: journal.spelling_words()) == []


def test_settings_turn_checking_off_choose_the_language_and_remove_own_words(
        qtbot: Any, open_window: MainWindow) -> None:
    window = open_window
    ready(qtbot, window)
    window.session.write(lambda journal: journal.add_spelling_words([NAME, "Quillfeather"]),
                         changes=Change.APP_STATE)
    writes_done(qtbot, window.session)
    body = new_entry_with(qtbot, window, f"{NAME} and Quillfeather met Zorbly, sorrowful")
    qtbot.waitUntil(lambda: underlined(body) == ["Zorbly"])

    dialog = SettingsDialog(window.session, window.settings, window)
    qtbot.addWidget(dialog)
    dialog.show()
    words = dialog.spelling.words
    assert [words.item(i).text() for i in range(words.count())] == [NAME, "Quillfeather"]
    words.setCurrentRow(1)
    dialog.scroll_area.ensureWidgetVisible(dialog.spelling.remove_button)
    click(qtbot, dialog.spelling.remove_button)
    writes_done(qtbot, window.session)
    assert [words.item(i).text() for i in range(words.count())] == [NAME]
    qtbot.waitUntil(lambda: underlined(body) == ["Quillfeather", "Zorbly"])

    toggle(qtbot, dialog.spelling.enabled)  # off
    assert not dialog.spelling.enabled.isChecked()
    qtbot.waitUntil(lambda: underlined(body) == [])
    assert window.settings.spell_check is False
    assert "Ignore in this entry" not in right_click(qtbot, body, "Zorbly", close)

    toggle(qtbot, dialog.spelling.enabled)  # on again
    language = dialog.spelling.language
    assert language.currentData() == "en"
    assert language.findData("fr") >= 0 and language.findData("de") >= 0
    language.setCurrentIndex(language.findData("fr"))
    assert window.settings.spell_language == "fr"
    service = spelling_for(window.session)
    qtbot.waitUntil(lambda: service.ready and service.language == "fr", timeout=30_000)
    # French does not know the English "sorrowful"; the own word left still counts.
    qtbot.waitUntil(lambda: underlined(body) == ["Quillfeather", "Zorbly", "sorrowful"])


def test_a_long_paragraph_is_checked_again_where_it_changed_and_stays_right(
        qtbot: Any, open_window: MainWindow) -> None:
    """A paragraph past LONG_PARAGRAPH characters is checked again only around the change:
    after edits at its start, middle and end, and a paste, the underlines are exactly those of
    checking it whole."""
    window = open_window
    ready(qtbot, window)
    sentence = "The family sat with her through the nihgt and the nurse brought tea. "
    body = new_entry_with(qtbot, window, "")
    body.setPlainText(sentence * 80)  # one paragraph of 5,600 characters
    assert len(body.toPlainText()) > LONG_PARAGRAPH
    qtbot.waitUntil(lambda: underlined(body) == ["nihgt"] * 80)

    def whole() -> list[str]:
        speller = spelling_for(window.session).speller
        assert speller is not None
        return [w for _s, _e, w in speller.flagged(body.toPlainText())]

    cursor = body.textCursor()
    for position, typed in ((0, "Wierd. "), (2000, " recieve"), (None, " the thne"),
                            (3000, " https://exampel.org/x")):
        text = body.toPlainText()
        # at the start, before a word in the middle, at the end
        cursor.setPosition(len(text) if position is None
                           else text.index(" ", position) if position else 0)
        body.setTextCursor(cursor)
        type_text(qtbot, body, typed)
        qtbot.keyClick(body, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
        assert underlined(body) == whole()
    assert "Wierd" in underlined(body) and "recieve" in underlined(body)
    assert "thne" in underlined(body) and "exampel" not in underlined(body)
    cursor.setPosition(10)
    cursor.setPosition(40, QTextCursor.MoveMode.KeepAnchor)
    body.setTextCursor(cursor)
    qtbot.keyClick(body, Qt.Key.Key_Delete)
    body.insertPlainText("teh lenghty paste ")
    assert underlined(body) == whole()
    # Nothing of the text stays with the spell checker once the journal locks.
    highlighter = window.journal_page.editor.spelling
    assert highlighter._long
    window.lock_now()
    speller = spelling_for(window.session).speller
    assert speller is not None
    assert highlighter._long == {} and speller._cache == {}


def test_names_kept_for_de_identification_are_known_words(qtbot: Any,
                                                          open_window: MainWindow) -> None:
    window = open_window
    ready(qtbot, window)
    window.session.write(lambda journal: journal.add_deid_names(["Adaeze Quillfeather"]),
                         changes=Change.APP_STATE)
    writes_done(qtbot, window.session)
    body = new_entry_with(qtbot, window, "Adaeze Quillfeather and Zephyrine.")
    qtbot.waitUntil(lambda: underlined(body) == ["Zephyrine"])
    assert window.session.read(lambda journal: journal.spelling_words()) == []


def test_settings_say_when_there_are_no_own_words(qtbot: Any, open_window: MainWindow) -> None:
    dialog = SettingsDialog(open_window.session, open_window.settings, open_window)
    qtbot.addWidget(dialog)
    dialog.show()
    words = dialog.spelling.words
    assert words.count() == 1 and words.item(0).text() == "None yet"
    words.setCurrentRow(0)
    assert not words.selectedItems()  # the note is not a word to remove
    assert not dialog.spelling.remove_button.isEnabled()


def test_the_menu_key_opens_the_spelling_of_the_word_at_the_cursor(
        qtbot: Any, open_window: MainWindow) -> None:
    """From the keyboard (the Menu key, Shift+F10): Qt sends the context-menu event to the text
    box at its text cursor; the menu offers the spelling of the word there."""
    window = open_window
    ready(qtbot, window)
    body = new_entry_with(qtbot, window, "We sat in silense together.")
    qtbot.waitUntil(lambda: underlined(body) == ["silense"])
    cursor = body.textCursor()
    cursor.setPosition(body.toPlainText().index("silense") + 3)
    body.setTextCursor(cursor)
    seen: list[list[str]] = []

    def poll(left: int) -> None:
        menu = QApplication.activePopupWidget()
        if isinstance(menu, QMenu) and menu.isVisible():
            seen.append([a.text() for a in menu.actions()])
            choose("silence")(menu)
        elif left > 0:
            QTimer.singleShot(10, lambda: poll(left - 1))

    QTimer.singleShot(0, lambda: poll(500))
    point = body.cursorRect().center() + body.viewport().pos()  # in the text box's coordinates
    QApplication.sendEvent(body, QContextMenuEvent(QContextMenuEvent.Reason.Keyboard, point,
                                                   body.mapToGlobal(point)))
    qtbot.waitUntil(lambda: bool(seen), timeout=WAIT_MS)
    assert "Add “silense” to my words" in seen[0]
    assert body.toPlainText() == "We sat in silence together."



def test_a_closed_reflection_leaves_nothing_listening(qtbot: Any,
                                                       open_window: MainWindow) -> None:
    """A reflection's text boxes go with it: the spelling service's signals (new words, the
    journal locking) reach no deleted highlighter afterwards."""
    from PySide6.QtCore import QEvent

    window = open_window
    ready(qtbot, window)
    template = load_library().templates["free"]
    wizard = ReflectionWizard(window.session, template, None, parent=window)
    wizard.show()
    editor = wizard.pages[0]
    assert isinstance(editor, TextStepEditor)
    type_text(qtbot, editor.edit, "Zorbly came.")
    qtbot.waitUntil(lambda: underlined(editor.edit) == ["Zorbly"])
    wizard.hide()
    wizard.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
    service = spelling_for(window.session)
    right_click(qtbot, new_entry_with(qtbot, window, "Zorbly came."), "Zorbly",
                choose("Add “Zorbly” to my words"))
    writes_done(qtbot, window.session)
    service.configure(True, "fr")
    qtbot.waitUntil(lambda: service.ready and service.language == "fr", timeout=30_000)
    window.lock_now()
