"""The trash: entries deleted from the journal, to restore or remove for good."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..entrylist import EntryListModel, EntryListView, Role
from ..session import JournalSession
from ..widgets import muted


class TrashDialog(QDialog):
    def __init__(self, session: JournalSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setWindowTitle("Trash")
        self.resize(560, 520)
        layout = QVBoxLayout(self)
        layout.addWidget(muted(
            "Deleted entries wait here until you empty the trash. Restoring puts an entry back "
            "in your journal, unchanged."
        ))
        self.model = EntryListModel(self)
        self.list = EntryListView()
        self.list.setModel(self.model)
        self.list.setAccessibleName("Entries in the trash")
        layout.addWidget(self.list, 1)
        self.note = muted("")
        layout.addWidget(self.note)
        row = QHBoxLayout()
        self.restore_button = QPushButton("Restore")
        self.empty_button = QPushButton("Empty trash…")
        self.close_button = QPushButton("Close")
        row.addWidget(self.restore_button)
        row.addWidget(self.empty_button)
        row.addStretch(1)
        row.addWidget(self.close_button)
        layout.addLayout(row)
        self.restore_button.clicked.connect(self.restore_selected)
        # Not connected directly: clicked(bool) would pass checked=False as ``confirm``.
        self.empty_button.clicked.connect(lambda: self.empty_trash())
        self.close_button.clicked.connect(self.accept)
        self.list.selectionModel().selectionChanged.connect(self._update)
        self.reload()

    def reload(self) -> None:
        entries = self.session.entries(trash=True)
        self.model.set_entries(entries)
        self.note.setText("The trash is empty." if not entries else
                          f"{len(entries)} entr{'y' if len(entries) == 1 else 'ies'} in the trash.")
        self._update()

    def _update(self, *_args: object) -> None:
        self.restore_button.setEnabled(self.list.currentIndex().isValid())
        self.empty_button.setEnabled(self.model.rowCount() > 0)

    def restore_selected(self) -> None:
        index = self.list.currentIndex()
        if not index.isValid():
            return
        self.session.restore_entry(index.data(Role.ID))
        self.reload()

    def empty_trash(self, confirm: bool = True) -> None:
        count = self.model.rowCount()
        if confirm:
            answer = QMessageBox.question(
                self, "Empty the trash?",
                f"Remove {count} entr{'y' if count == 1 else 'ies'} and their earlier versions "
                "for good? This cannot be undone.",
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        self.session.empty_trash()
        self.reload()
