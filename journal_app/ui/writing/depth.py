"""The REFLECT depth rating a few days on, for a reflection that ended without it.

Right after a death, a code, free writing or Three Good Things the reflection ends without the
rating (``rate_depth = false`` in its template). The follow-up card of the home panel offers it
two to seven days later: :class:`DepthDialog` shows the levels and, on Save, stores the chosen
depth on that reflection (nothing else of it changes).
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from journal_app.core.errors import JournalError
from journal_app.core.practice import Library
from journal_app.core.records import Reflection
from journal_app.core.vault import Journal
from journal_app.ui import messages
from journal_app.ui.edit_dialog import EditDialog
from journal_app.ui.session import Change, JournalSession
from journal_app.ui.theme import sized_font
from journal_app.ui.widgets import muted, show_error
from journal_app.ui.writing.reflection import DepthChoice

QUESTION = ("Looking back at what you wrote a few days ago, which of these comes closest? "
            "There is no wrong answer, and every kind of writing has its place.")


class DepthDialog(EditDialog):
    """Rate how deep ``reflection`` went. After ``exec()``, ``saved`` holds the stored
    reflection (``None`` when closed without saving)."""

    def __init__(self, session: JournalSession, reflection: Reflection, library: Library,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.reflection = reflection
        self.saved: Reflection | None = None
        self._saving = False
        self.setWindowTitle("How deep did it go?")
        self.setMinimumWidth(520)
        heading = QLabel(f"“{reflection.title}”, {reflection.created.astimezone():%A %d %B}")
        heading.setProperty("heading", True)
        heading.setWordWrap(True)
        heading.setAccessibleName("Reflection")
        question = QLabel(QUESTION)
        question.setWordWrap(True)
        question.setAccessibleName("Question")
        self.choice = DepthChoice(library)
        self.depth_buttons = self.choice.depth_buttons
        credit = muted(library.reflect_credit)
        sized_font(credit, -1.5)
        self.cancel_button = QPushButton("Not now")
        self.save_button = QPushButton("Save")
        self.save_button.setProperty("primary", True)
        self.save_button.setEnabled(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 22, 28, 18)
        layout.setSpacing(10)
        layout.addWidget(heading)
        layout.addWidget(question)
        layout.addWidget(self.choice)
        layout.addWidget(credit)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        for button in (self.cancel_button, self.save_button):
            button.setAutoDefault(False)
        self.choice.group.buttonToggled.connect(
            lambda *_: self.save_button.setEnabled(self.choice.chosen() is not None))
        self.cancel_button.clicked.connect(self.reject)
        self.save_button.clicked.connect(self.save)

    def save(self) -> None:
        depth = self.choice.chosen()
        if depth is None:
            return
        reflection_id = self.reflection.id

        def rate(journal: Journal) -> Reflection:
            # In the worker, after any entry save still under way: the stored version is rated.
            current = next((e for e in journal.entries() if e.id == reflection_id), None)
            if not isinstance(current, Reflection):
                raise JournalError("That reflection is no longer in the journal.")
            updated = replace(current, depth=depth)
            journal.save_entry(updated, keep_revision=False)
            return updated

        def saved(updated: Reflection) -> None:
            self._saving = False
            self.saved = updated
            self.accept()

        def failed(message: str) -> None:
            self._saving = False
            self.save_button.setEnabled(True)
            show_error(self.error, messages.not_saved(message))

        self._saving = True
        self.save_button.setEnabled(False)
        show_error(self.error, "")
        self.session.write(rate, saved, failed, changes=Change.ENTRIES)
