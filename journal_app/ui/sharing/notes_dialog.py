"""A mentor's private notes on one student and the log of meetings with them (issue 24): kept
encrypted in the mentor's journal, never sent. Opened from Shared with me."""

from __future__ import annotations

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDialog,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from journal_app.core import sharing
from journal_app.core.records import StudentNote
from journal_app.ui.session import Change, JournalSession
from journal_app.ui.widgets import FlowLayout, error_label, heading, muted, show_error


class StudentNotesDialog(QDialog):
    """The notes and meetings on one student, newest first, and a note to add."""

    def __init__(self, session: JournalSession, name: str, fingerprint: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.fingerprint = fingerprint
        self.setWindowTitle(f"Notes on {name}")
        self.resize(640, 560)
        layout = QVBoxLayout(self)
        layout.addWidget(heading(f"Notes on {name}"))
        layout.addWidget(muted("Private: kept encrypted in your journal, never sent to the"
                               " student or anyone else."))
        self.list = QListWidget()
        self.list.setWordWrap(True)
        self.list.setSpacing(4)
        self.list.setAccessibleName("Your notes and meetings")
        layout.addWidget(self.list, 1)
        self.text = QPlainTextEdit()
        self.text.setAccessibleName("A new note")
        self.text.setPlaceholderText("A note, or what a meeting was about")
        self.text.setTabChangesFocus(True)
        self.text.setMaximumHeight(120)
        layout.addWidget(self.text)
        row = FlowLayout()
        self.meeting = QCheckBox("A meeting on")
        self.day = QDateEdit(QDate.currentDate())
        self.day.setCalendarPopup(True)
        self.day.setAccessibleName("The day of the meeting")
        self.day.setEnabled(False)
        self.add_button = QPushButton("Keep this note")
        self.close_button = QPushButton("Close")
        for widget in (self.meeting, self.day, self.add_button, self.close_button):
            row.addWidget(widget)
        layout.addLayout(row)
        self.error = error_label()
        layout.addWidget(self.error)
        self.meeting.toggled.connect(self.day.setEnabled)
        self.add_button.clicked.connect(self.add)
        self.close_button.clicked.connect(self.accept)
        self.refresh()

    def refresh(self) -> None:
        self.list.clear()
        found = self.session.read_or(
            lambda journal: sharing.notes_for(journal, self.fingerprint), list[StudentNote]())
        for note in found:
            when = (f"Meeting on {note.day}" if note.kind == "meeting"
                    else f"Note, {note.created.date().isoformat()}")
            self.list.addItem(f"{when}\n{note.text}")
        if not found:
            self.list.addItem("No notes yet.")

    def add(self) -> None:
        text = self.text.toPlainText().strip()
        if not text or not self.session.is_unlocked:
            return
        day = self.day.date().toPython() if self.meeting.isChecked() else None
        show_error(self.error, "")

        def done(_note: StudentNote) -> None:
            self.text.clear()
            self.meeting.setChecked(False)
            self.refresh()

        self.session.write(lambda journal: sharing.add_note(journal, self.fingerprint, text,
                                                            day),  # type: ignore[arg-type]
                           done, lambda message: show_error(self.error, message),
                           changes=Change.RECORDS)
