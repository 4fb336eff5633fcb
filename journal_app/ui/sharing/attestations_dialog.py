"""Sharing ▸ Attestations…: the attestations a mentor signed, or a student imported, and checking
or importing a file (issue 24). Signing one is Shared with me ▸ Sign off… (``signoff_dialog``)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from journal_app.core import programme
from journal_app.ui.session import Change, JournalSession
from journal_app.ui.sharing.common import default_folder
from journal_app.ui.widgets import FlowLayout, error_label, heading, muted, show_error

FILE_FILTER = "Attestations (*.json);;All files (*)"


def attestation_lines(item: programme.Attestation) -> str:
    return (f"{item.sentence()}\nSigned {item.signed.isoformat()} · mentor's fingerprint"
            f" {item.mentor.fingerprint}\n{item.programme_name} · programme's fingerprint"
            f" {item.programme_fingerprint}")


class AttestationsDialog(QDialog):
    """The attestations kept in this journal; check a file, or import one about you."""

    def __init__(self, session: JournalSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setWindowTitle("Attestations")
        self.resize(760, 560)
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Attestations"))
        layout.addWidget(muted(
            "A mentor's signed statement of the reflections they reviewed with you, and the"
            " facets of competency 4 they saw. Anyone with journal-app can check the file"
            " against the programme's roster; the portfolio PDF prints the ones you imported."
            " Mentors sign them in Shared with me ▸ Sign off… (or with 'journal-app"
            " attestation create')."))
        self.list = QListWidget()
        self.list.setWordWrap(True)
        self.list.setSpacing(6)  # one attestation from the next
        self.list.setAccessibleName("Attestations kept in this journal")
        layout.addWidget(self.list, 1)
        self.empty = muted("No attestations in this journal yet.")
        layout.addWidget(self.empty)
        row = FlowLayout()
        self.check_button = QPushButton("Check a file…")
        self.import_button = QPushButton("Import an attestation about you…")
        self.close_button = QPushButton("Close")
        for button in (self.check_button, self.import_button, self.close_button):
            button.setAutoDefault(False)
            row.addWidget(button)
        layout.addLayout(row)
        self.outcome = muted("")
        self.outcome.setAccessibleName("Result")
        layout.addWidget(self.outcome)
        self.error = error_label()
        layout.addWidget(self.error)
        self.check_button.clicked.connect(lambda: self._file(importing=False))
        self.import_button.clicked.connect(lambda: self._file(importing=True))
        self.close_button.clicked.connect(self.accept)
        self.refresh()

    def refresh(self) -> None:
        self.list.clear()
        none: list[programme.Attestation] = []
        written = self.session.read_or(
            lambda journal: programme.received_attestations(journal, "written"), none)
        received = self.session.read_or(programme.received_attestations, none)
        for label, items in (("You signed", written), ("About you", received)):
            for item in items:
                self.list.addItem(QListWidgetItem(f"{label}: {attestation_lines(item)}"))
        self.empty.setVisible(not (written or received))

    def _file(self, importing: bool) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, "Import an attestation" if importing else "Check an attestation",
            str(default_folder()), FILE_FILTER)
        if not path:
            return
        show_error(self.error, "")
        self.outcome.clear()
        try:
            data = Path(path).read_bytes()[: 64 * 1024 + 1]
        except OSError:
            show_error(self.error, "That file could not be read.")
            return
        if importing:
            self.session.write(lambda journal: programme.import_attestation(journal, data),
                               self._imported, lambda m: show_error(self.error, m),
                               changes=Change.RECORDS)
        else:
            self.session.write(lambda journal: programme.verify_attestation(journal, data),
                               self._checked, lambda m: show_error(self.error, m),
                               changes=Change.NOTHING)

    def _checked(self, item: programme.Attestation) -> None:
        self.outcome.setText("Valid: signed by this mentor, who is on the programme's roster.\n"
                            + attestation_lines(item))

    def _imported(self, item: programme.Attestation) -> None:
        self.refresh()
        self.outcome.setText(f"Imported: {item.sentence()} The portfolio PDF prints it.")

