"""The trash: entries deleted from the journal, to restore or remove for good."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from journal_app.core.records import format_size
from journal_app.ui.session import Change, JournalSession
from journal_app.ui.widgets import current_item, muted
from journal_app.ui.writing.entrylist import EntryListModel, EntryListView, Role


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
        # Attachments removed from entries still in the journal wait here too.
        self.attachments_label = muted("Attachments removed from entries:")
        self.attachment_list = QListWidget()
        self.attachment_list.setAccessibleName("Attachments in the trash")
        self.attachment_list.setMaximumHeight(120)
        self.attachment_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.attachment_list.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.restore_attachment_button = QPushButton("Restore attachment")
        attachment_row = QHBoxLayout()
        attachment_row.addWidget(self.restore_attachment_button)
        attachment_row.addStretch(1)
        layout.addWidget(self.attachments_label)
        layout.addWidget(self.attachment_list)
        layout.addLayout(attachment_row)
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
        self.restore_attachment_button.clicked.connect(self.restore_attachment)
        self.attachment_list.currentItemChanged.connect(self._update)
        self.reload()

    def reload(self) -> None:
        entries = self.session.entries(trash=True)
        self.model.set_entries(entries)
        self.note.setText("The trash is empty." if not entries else
                          f"{len(entries)} entr{'y' if len(entries) == 1 else 'ies'} in the trash.")
        self._reload_attachments()
        self._update()

    def _reload_attachments(self) -> None:
        self.attachment_list.clear()
        titles = {e.id: e.display_title() for e in self.session.entries()}
        for attachment in self.session.removed_attachments():
            title = titles.get(attachment.entry_id)
            if title is None:
                continue  # its entry is in the trash: it goes and comes back with it
            removed = attachment.trashed
            when = f", removed {removed:%d %b %Y}" if removed is not None else ""
            item = QListWidgetItem(f"{attachment.name} ({format_size(attachment.size)}) "
                                   f"from “{title}”{when}")
            item.setData(Qt.ItemDataRole.UserRole, attachment.id)
            item.setToolTip(item.text())
            self.attachment_list.addItem(item)
        shown = self.attachment_list.count() > 0
        for widget in (self.attachments_label, self.attachment_list,
                       self.restore_attachment_button):
            widget.setVisible(shown)

    def _update(self, *_args: object) -> None:
        self.restore_button.setEnabled(self.list.currentIndex().isValid())
        self.restore_attachment_button.setEnabled(current_item(self.attachment_list) is not None)
        self.empty_button.setEnabled(self.model.rowCount() > 0
                                     or self.attachment_list.count() > 0)

    def restore_attachment(self) -> None:
        item = current_item(self.attachment_list)
        if item is None:
            return
        attachment_id = item.data(Qt.ItemDataRole.UserRole)
        self.session.write(lambda journal: journal.restore_attachment(attachment_id),
                           lambda _a: self.reload(), changes=Change.ENTRIES)

    def restore_selected(self) -> None:
        index = self.list.currentIndex()
        if not index.isValid():
            return
        entry_id = index.data(Role.ID)
        self.session.write(lambda journal: journal.restore_entry(entry_id),
                           lambda _e: self.reload(), changes=Change.ENTRIES)

    def empty_trash(self, confirm: bool = True) -> None:
        count = self.model.rowCount()
        if confirm:
            what = (f"{count} entr{'y' if count == 1 else 'ies'} and their earlier versions"
                    " and attachments" if count else "the attachments in the trash")
            answer = QMessageBox.question(
                self, "Empty the trash?",
                f"Remove {what} for good? This cannot be undone.",
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        self.session.write(lambda journal: journal.empty_trash(), lambda _n: self.reload(),
                           changes=Change.ENTRIES)
