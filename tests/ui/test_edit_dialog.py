"""The base of the dialogs that hold unsaved work (journal_app/ui/edit_dialog.py): Escape,
Cancel and closing ask before discarding; a close from outside never asks; one way to say a save
failed. Driven through a small dialog of its own and through the custom prompt editor."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLineEdit, QMessageBox, QPushButton, QVBoxLayout
from pytestqt.qtbot import QtBot

from journal_app.core.errors import VaultLockedError
from journal_app.core.records.model import CheckIn
from journal_app.ui.dialogs.myprompts import PromptEditor
from journal_app.ui.edit_dialog import EditDialog
from journal_app.ui.shell.mainwindow import MainWindow

from .conftest import answer_message_box, click, flush_events


class NoteDialog(EditDialog):
    """A line of text and a Cancel button: unsaved while the line holds text."""

    def __init__(self) -> None:
        super().__init__()
        self.line = QLineEdit()
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self.cancel)
        self.left = 0
        layout = QVBoxLayout(self)
        for widget in (self.line, self.error, self.cancel_button):
            layout.addWidget(widget)

    def has_unsaved(self) -> bool:
        return bool(self.line.text())

    def before_leaving(self) -> None:
        self.left += 1


def shown(qtbot: QtBot) -> NoteDialog:
    dialog = NoteDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def test_escape_with_nothing_written_closes_without_asking(qtbot: QtBot) -> None:
    dialog = shown(qtbot)
    asked = answer_message_box(QMessageBox.StandardButton.Discard)
    qtbot.keyClick(dialog.line, Qt.Key.Key_Escape)
    assert not dialog.isVisible() and dialog.result() == QDialog.DialogCode.Rejected
    flush_events()
    assert asked == [] and dialog.left == 1


def test_escape_asks_and_keep_editing_keeps_the_text(qtbot: QtBot) -> None:
    dialog = shown(qtbot)
    qtbot.keyClicks(dialog.line, "half a thought")
    asked = answer_message_box(QMessageBox.StandardButton.Cancel)
    qtbot.keyClick(dialog.line, Qt.Key.Key_Escape)
    assert asked and asked[0].text() == "Discard your changes?"
    assert asked[0].button(QMessageBox.StandardButton.Cancel).text() == "Keep editing"
    assert dialog.isVisible() and dialog.line.text() == "half a thought"
    assert not dialog.discarding and dialog.left == 0


def test_cancel_and_closing_the_window_ask_and_discard(qtbot: QtBot) -> None:
    dialog = shown(qtbot)
    qtbot.keyClicks(dialog.line, "half a thought")
    answer_message_box(QMessageBox.StandardButton.Cancel)
    dialog.close()  # the window's close button
    assert dialog.isVisible()
    asked = answer_message_box(QMessageBox.StandardButton.Discard)
    click(qtbot, dialog.cancel_button)
    assert asked and not dialog.isVisible()
    assert dialog.discarding and dialog.left == 1
    assert dialog.result() == QDialog.DialogCode.Rejected


def test_a_close_from_outside_never_asks(qtbot: QtBot) -> None:
    dialog = shown(qtbot)
    qtbot.keyClicks(dialog.line, "half a thought")
    asked = answer_message_box(QMessageBox.StandardButton.Cancel)
    dialog.reject()  # the journal locking: nobody may be there to answer
    assert not dialog.isVisible()
    flush_events()
    assert asked == [] and not dialog.discarding


def test_a_failed_save_is_one_plain_sentence(qtbot: QtBot) -> None:
    dialog = shown(qtbot)
    try:
        CheckIn(stress=11)
    except ValueError as exc:
        dialog.show_not_saved(exc)
    assert dialog.error.isVisible()
    assert dialog.error.text() == "Stress must be a whole number from 0 to 10."
    dialog.show_not_saved(VaultLockedError())
    assert dialog.error.text() == "Not saved: The journal is locked."
    dialog.show_not_saved(RuntimeError("Mrs Patel in bed 4"))
    assert "Mrs Patel" not in dialog.error.text()
    assert dialog.error.text().startswith("Not saved: Something unexpected went wrong")
    dialog.clear_error()
    assert not dialog.error.isVisible()


def test_the_prompt_editor_asks_on_escape_once_changed(qtbot: QtBot,
                                                       open_window: MainWindow) -> None:
    editor = PromptEditor(open_window.session, parent=open_window)
    qtbot.addWidget(editor)
    editor.show()
    qtbot.waitExposed(editor)
    qtbot.keyClicks(editor.text, "What did the silence say?")
    asked = answer_message_box(QMessageBox.StandardButton.Cancel)
    qtbot.keyClick(editor.text, Qt.Key.Key_Escape)
    assert asked and editor.isVisible()
    asked = answer_message_box(QMessageBox.StandardButton.Discard)
    qtbot.keyClick(editor.text, Qt.Key.Key_Escape)
    assert asked and not editor.isVisible() and editor.saved_record is None
