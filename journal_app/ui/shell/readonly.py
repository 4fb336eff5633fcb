"""The banner of a read-only journal, and its repair (the app's ``verify --repair``).

When the journal's list of records (the manifest) is missing or damaged, nothing can tell whether
a record was removed or rolled back, so the journal opens read-only: it can be read, searched and
exported, nothing is saved. The banner says so and offers the repair, which shows what the file
holds now and asks before accepting it as true.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QMessageBox, QPushButton, QWidget

from journal_app.core.recovery import describe_kinds
from journal_app.core.vault import RepairPreview

BANNER_TEXT = (
    "This journal is open read-only. Its list of records is missing or damaged, so journal-app"
    " cannot tell whether something was removed or put back from an older copy. You can read,"
    " search and export; nothing new is saved until you check what is there and accept it."
)


class ReadOnlyBanner(QFrame):
    """A line at the top of the window while the journal is read-only; it stays until repaired."""

    repair_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("card", True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        self.text = QLabel(BANNER_TEXT)
        self.text.setWordWrap(True)
        self.text.setAccessibleName("The journal is read-only")
        self.repair_button = QPushButton("Check and repair…")
        self.repair_button.setToolTip("See what the journal holds now, and accept it if it is "
                                      "what you expect")
        layout.addWidget(self.text, 1)
        layout.addWidget(self.repair_button)
        self.repair_button.clicked.connect(self.repair_requested)
        self.hide()


def confirm_repair(parent: QWidget, preview: RepairPreview) -> bool:
    """Show what a repair accepts as true, and ask. True when the user agrees."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle("Repair the journal's list of records?")
    box.setText("The journal holds these records now:\n\n"
                + "\n".join(f"• {line}" for line in describe_kinds(preview.kinds)))
    box.setInformativeText(
        "If this is what you expect, accept it as the journal's true contents and saving works"
        " again. Anything removed or put back from an older copy before now can then no longer"
        " be noticed. If something is missing, choose No and restore a backup instead."
    )
    box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
    box.setDefaultButton(QMessageBox.StandardButton.No)
    return box.exec() == QMessageBox.StandardButton.Yes
