"""The copies of the journal kept in its folder (Settings): what, when, size, and Remove…."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from journal_app.core.errors import JournalError, describe
from journal_app.core.records import format_size
from journal_app.core.recovery import KeptCopy, kept_copies, remove_copy
from journal_app.ui.widgets import error_label, muted, show_error


class KeptCopiesPanel(QGroupBox):
    """Lists the copies journal-app left in the journal's folder and removes one, asking
    first. Each is a whole copy of the journal as it was, things since removed included."""

    def __init__(self, data_dir: Path | None, parent: QWidget | None = None) -> None:
        super().__init__("Copies of your journal in its folder", parent)
        self.data_dir = data_dir
        self.copies: list[KeptCopy] = []
        layout = QVBoxLayout(self)
        layout.addWidget(muted(
            "Kept in case you need to go back. Each is encrypted, and still holds what you "
            "removed since, under the passphrase and recovery key of its day."))
        self.view = QTreeWidget()
        self.view.setHeaderLabels(["What", "When", "Size"])
        self.view.setRootIsDecorated(False)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setAccessibleName("Copies of your journal")
        line = self.view.fontMetrics().height()
        self.view.setMinimumHeight(line * 5 + 8)  # the header and three copies
        self.view.setMaximumHeight(line * 7 + 8)
        row = QHBoxLayout()
        row.addWidget(self.view, 1)
        self.remove_button = QPushButton("Remove…")
        self.remove_button.setEnabled(False)
        row.addWidget(self.remove_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(row)
        self.empty = muted("There are no copies: only your journal is in its folder.")
        layout.addWidget(self.empty)
        self.status = muted("")
        self.status.setAccessibleName("Copies status")
        self.status.hide()
        layout.addWidget(self.status)
        self.error = error_label()
        layout.addWidget(self.error)
        self.view.itemSelectionChanged.connect(self._selection_changed)
        self.remove_button.clicked.connect(self.remove_selected)
        self.reload()

    def reload(self) -> None:
        self.copies = kept_copies(self.data_dir) if self.data_dir is not None else []
        self.view.clear()
        for copy in self.copies:
            item = QTreeWidgetItem([copy.what, copy.made.strftime("%Y-%m-%d at %H:%M"),
                                    format_size(copy.size)])
            item.setToolTip(0, copy.name)
            item.setTextAlignment(2, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.view.addTopLevelItem(item)
        for column in range(3):
            self.view.resizeColumnToContents(column)
        self.view.setVisible(bool(self.copies))
        self.empty.setVisible(not self.copies)
        self.remove_button.setVisible(bool(self.copies))
        self._selection_changed()

    def _selected(self) -> KeptCopy | None:
        items = self.view.selectedItems()
        if not items:
            return None
        row = self.view.indexOfTopLevelItem(items[0])
        return self.copies[row] if 0 <= row < len(self.copies) else None

    def _selection_changed(self) -> None:
        self.remove_button.setEnabled(self._selected() is not None)

    def remove_selected(self) -> None:
        copy = self._selected()
        if copy is None or self.data_dir is None:
            return
        answer = QMessageBox.question(
            self, "Remove this copy?",
            f"“{copy.what}”, from {copy.made.strftime('%Y-%m-%d at %H:%M')}, will be removed "
            "for good: you could no longer go back to it. Your journal itself stays as it is. "
            "Remove the copy?",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        show_error(self.error, "")
        try:
            remove_copy(self.data_dir, copy)
        except JournalError as exc:
            show_error(self.error, describe(exc))
        else:
            self.status.setText("The copy was removed.")
            self.status.show()
        self.reload()
