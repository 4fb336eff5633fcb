"""The base of the dialogs where the user writes or changes something before saving it.

:class:`EditDialog` gives them one behaviour:

- **Leaving asks first.** Cancel (:meth:`~EditDialog.cancel`), Escape and closing the window ask
  before throwing away what :meth:`~EditDialog.has_unsaved` says is there: "Discard" or keep
  going (the default, and what Escape in the question chooses). ``reject()`` called from outside
  (the journal locking) never asks: nobody may be there to answer; a dialog that must keep what
  was written then overrides it (the reflection wizard keeps an unfinished reflection).
- **One way to say a save failed**, in :attr:`~EditDialog.error`:
  :meth:`~EditDialog.show_not_saved` says a check's sentence as it is ("The prompt must not be
  empty.") and anything else as "Not saved: <sentence>" (:func:`user_message`: never journal
  text, a bug logged by type only).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import QDialog, QLabel, QMessageBox, QWidget

from journal_app.core.records import Record
from journal_app.ui.session import Change, JournalSession, user_message
from journal_app.ui.widgets import error_label, show_error

R = TypeVar("R", bound=Record)


class StoreDialog(QDialog):
    """A dialog that stores one new record (a check-in, a self-assessment) through the
    session's door and closes itself once it is stored: while the write runs, closing the
    window waits for it; a failed write is one sentence in :attr:`error` and the dialog stays,
    with everything the user chose.

    Signals:
        saved(object): the record as stored.
    """

    saved = Signal(object)
    error: QLabel

    def __init__(self, session: JournalSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        #: Set while a save runs in the worker (:meth:`JournalSession.write`).
        self._saving = False

    def store(self, record: R, changes: Change, on_stored: Callable[[R], object]) -> None:
        """Add ``record`` in the worker; then ``on_stored(the record as stored)``,
        :attr:`saved`, and close."""

        def stored(saved: R) -> None:
            self._saving = False
            on_stored(saved)
            self.saved.emit(saved)
            self.accept()

        def failed(message: str) -> None:
            self._saving = False
            show_error(self.error, message)

        self._saving = True
        self.session.write(lambda journal: journal.add_record(record), stored, failed,
                           changes=changes)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._saving:  # stored in a moment: the dialog closes by itself then
            event.ignore()
            return
        super().closeEvent(event)


class EditDialog(QDialog):
    """A dialog holding unsaved work: see the module's notes."""

    #: The question asked before unsaved work is thrown away.
    DISCARD_QUESTION = "Discard your changes?"
    DISCARD_DETAIL = "What you changed here has not been saved."
    #: The button that keeps the dialog open.
    KEEP_LABEL = "Keep editing"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.error = error_label()
        #: Set once the user chose to leave (cancel, or Discard): reject() knows it was asked.
        self.discarding = False
        #: Set while a save runs in the worker (:meth:`JournalSession.write`): the dialog
        #: closes by itself once stored, and Cancel, Escape or closing wait for it.
        self._saving = False

    # ------------------------------------------------------------ what subclasses say

    def has_unsaved(self) -> bool:
        """Whether leaving now would lose something the user wrote or changed."""
        return False

    def before_leaving(self) -> None:
        """Called once the user chose to leave, before the dialog closes."""

    # ------------------------------------------------------------ leaving

    def confirm_discard(self) -> bool:
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.DISCARD_QUESTION)
        box.setText(self.DISCARD_QUESTION)
        box.setInformativeText(self.DISCARD_DETAIL)
        box.setStandardButtons(QMessageBox.StandardButton.Discard
                               | QMessageBox.StandardButton.Cancel)
        box.button(QMessageBox.StandardButton.Cancel).setText(self.KEEP_LABEL)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.setEscapeButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        return box.clickedButton() is box.button(QMessageBox.StandardButton.Discard)

    def cancel(self) -> None:
        """Cancel, Escape or closing the window: asks first when something is unsaved."""
        if self._saving:
            return  # being stored: the dialog closes by itself once stored
        if self.has_unsaved() and not self.confirm_discard():
            return
        self.discarding = True
        self.before_leaving()
        QDialog.reject(self)  # past a subclass's reject(): the user was asked

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and not event.modifiers():
            self.cancel()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._saving:  # stored in a moment: the dialog closes by itself then
            event.ignore()
            return
        if self.isVisible() and self.result() != QDialog.DialogCode.Accepted:
            self.cancel()
            if self.isVisible():
                event.ignore()
                return
        event.accept()

    # ------------------------------------------------------------ saving

    def show_not_saved(self, exc: BaseException) -> None:
        """Say in :attr:`error` why saving failed."""
        if isinstance(exc, ValueError):  # a check of what was typed: its sentence says it all
            show_error(self.error, user_message(exc))
        else:
            show_error(self.error, f"Not saved: {user_message(exc)}")

    def clear_error(self) -> None:
        show_error(self.error, "")


__all__ = ["EditDialog", "StoreDialog"]
