"""Rescue a damaged journal: copy what can still be read into a new journal (core.salvage).

Offered where a journal cannot be opened (the lock page) and when an open journal has records
on damaged parts of its file (the message bar). The damaged journal is only read. The result
page says how many records were rescued, lists what was lost (ids, kinds and dates: never any
text), and shows the new journal's recovery key once.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from journal_app.core.recovery import SalvageResult, lost_lines
from journal_app.ui.pages.welcome import RecoveryKeyPanel
from journal_app.ui.session import JournalSession
from journal_app.ui.widgets import (
    busy_bar,
    error_label,
    heading,
    muted,
    password_field,
    primary_button,
    show_error,
)


def suggested_folder(data_dir: Path) -> Path:
    """A new folder beside the journal's: ``<name>-rescued`` (numbered if that exists)."""
    base = data_dir.parent / f"{data_dir.name}-rescued"
    candidate, n = base, 2
    while candidate.exists():
        candidate = base.with_name(f"{base.name}-{n}")
        n += 1
    return candidate


class SalvageDialog(QDialog):
    """Choose a folder, rescue, then see what was kept and lost and store the new recovery key.

    After ``exec()`` returns Accepted, :attr:`rescued` is the result and :attr:`passphrase` the
    passphrase that opens the rescued journal.
    """

    def __init__(self, session: JournalSession, data_dir: Path, passphrase: str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.data_dir = data_dir
        self.passphrase = passphrase or ""
        self.rescued: SalvageResult | None = None
        self.setWindowTitle("Rescue your journal")
        self.setMinimumWidth(640)
        self.pages = QStackedWidget()
        outer = QVBoxLayout(self)
        outer.addWidget(self.pages)

        choose = QWidget()
        layout = QVBoxLayout(choose)
        layout.addWidget(heading("Rescue what can still be read"))
        layout.addWidget(muted(
            "Part of this journal's file is damaged. journal-app can copy every entry and "
            "record it can still read into a new journal, in an empty folder, and tell you "
            "exactly what could not be read. The damaged journal is left as it is. The new "
            "journal opens with the same passphrase and gets a new recovery key."
        ))
        self.passphrase_field = password_field("Your passphrase")
        self.passphrase_field.setVisible(not passphrase)
        layout.addWidget(self.passphrase_field)
        row = QHBoxLayout()
        self.folder = QLineEdit(str(suggested_folder(data_dir)))
        self.folder.setAccessibleName("Folder for the rescued journal")
        self.choose_button = QPushButton("Choose…")
        row.addWidget(self.folder, 1)
        row.addWidget(self.choose_button)
        layout.addWidget(muted("Folder for the rescued journal (empty or new):"))
        layout.addLayout(row)
        self.error = error_label()
        layout.addWidget(self.error)
        self.busy = busy_bar()
        layout.addWidget(self.busy)
        layout.addStretch(1)
        buttons = QHBoxLayout()
        self.cancel_button = QPushButton("Cancel")
        self.rescue_button = primary_button("Rescue")
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.rescue_button)
        layout.addLayout(buttons)
        self.pages.addWidget(choose)

        done = QWidget()
        layout = QVBoxLayout(done)
        self.summary = heading("")
        layout.addWidget(self.summary)
        self.lost_note = muted("")
        layout.addWidget(self.lost_note)
        self.lost = QPlainTextEdit()
        self.lost.setReadOnly(True)
        self.lost.setAccessibleName("Records that could not be read")
        self.lost.setMaximumHeight(140)
        self.lost.setStyleSheet("font-family: monospace;")
        layout.addWidget(self.lost)
        self.key_panel = RecoveryKeyPanel()
        layout.addWidget(self.key_panel)
        self.pages.addWidget(done)

        self.choose_button.clicked.connect(self.choose_folder)
        self.cancel_button.clicked.connect(self.reject)
        self.rescue_button.clicked.connect(self.rescue)
        self.key_panel.confirmed.connect(self.accept)

    def choose_folder(self) -> None:
        path = QFileDialog.getExistingDirectory(
            self, "Choose an empty folder for the rescued journal", str(self.data_dir.parent))
        if path:
            self.folder.setText(path)

    def _busy(self, busy: bool) -> None:
        self.busy.setVisible(busy)
        for w in (self.rescue_button, self.cancel_button, self.choose_button, self.folder,
                  self.passphrase_field):
            w.setEnabled(not busy)

    def rescue(self) -> None:
        if self.busy.isVisible():
            return
        if not self.passphrase:
            self.passphrase = self.passphrase_field.text()
        if not self.passphrase:
            show_error(self.error, "Type your passphrase first: the rescued journal keeps it.")
            return
        text = self.folder.text().strip()
        if not text:
            show_error(self.error, "Choose a folder for the rescued journal.")
            return
        show_error(self.error, "")
        self._busy(True)
        self.session.salvage(self.data_dir, self.passphrase, Path(text).expanduser(),
                             self._done, self._failed)

    def _failed(self, message: str) -> None:
        self._busy(False)
        if "passphrase" in message:  # type it (again) here
            self.passphrase = ""
            self.passphrase_field.show()
            self.passphrase_field.selectAll()
            self.passphrase_field.setFocus()
        show_error(self.error, message)

    def _done(self, result: SalvageResult) -> None:
        self._busy(False)
        self.rescued = result
        self.summary.setText(
            f"{result.kept} records were rescued into {result.out_dir.name}."
        )
        lines = lost_lines(result.lost)
        if result.unidentified:
            lines.append(f"and {result.unidentified} more that could not even be named")
        if lines:
            count = len(result.lost) + result.unidentified
            self.lost_note.setText(
                f"{count} record(s) could not be read and are lost. They are listed below by id,"
                " kind and date, so you know what to write again if you want to."
            )
            self.lost.setPlainText("\n".join(lines))
        else:
            self.lost_note.setText("Nothing was lost.")
        self.lost.setVisible(bool(lines))
        self.key_panel.show_key(result.recovery_key)
        self.pages.setCurrentIndex(1)
        self.setMinimumSize(self.sizeHint().expandedTo(self.minimumSizeHint()))
        self.adjustSize()
