"""Sign off… (issue 24): a mentor signs an attestation for one student from Shared with me.

The mentor chooses the two days and the facets of competency 4 the reflections showed; the
dialog shows, as they change, what the attestation will say (the count of the student's
excerpts the mentor answered between the days, read in the worker) and the programme it is
verified against. "Save the attestation…" signs it in the worker (the same
``create_attestation`` as ``journal-app attestation create``), keeps the mentor's copy, and
writes the file where the mentor chose.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from journal_app.core import programme
from journal_app.core.files import write_private_file
from journal_app.core.vault import Journal
from journal_app.core.vocabulary import FACET_LABELS
from journal_app.ui.session import Change, JournalSession
from journal_app.ui.sharing.attestations_dialog import FILE_FILTER
from journal_app.ui.sharing.common import day_text, default_folder, escape, with_suffix
from journal_app.ui.widgets import (
    FlowLayout,
    error_label,
    heading,
    muted,
    primary_button,
    show_error,
)


def _day(edit: QDateEdit) -> date:
    d = edit.date()
    return date(d.year(), d.month(), d.day())


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


class SignOffDialog(QDialog):
    """Choose the days and facets, see what will be attested, save the signed file."""

    def __init__(self, session: JournalSession, name: str, fingerprint: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.name = name
        self.fingerprint = fingerprint
        #: The file written, once saved.
        self.out: Path | None = None
        self._preview: programme.SignOffPreview | None = None
        self.setWindowTitle(f"Sign off for {name}")
        self.resize(640, 560)
        layout = QVBoxLayout(self)
        layout.addWidget(heading(f"Sign off for {name}"))
        layout.addWidget(muted(
            "Your signed statement of the reflections you reviewed with them between two days"
            " (the excerpts you sent feedback on), and the facets of competency 4 they showed."
            " They import it; anyone with journal-app can check it against your programme's"
            " roster."))
        row = FlowLayout()
        today = date.today()
        self.start = QDateEdit()
        self.end = QDateEdit(_qdate(today))
        for label, edit, what in (("From", self.start, "The first day"),
                                  ("to", self.end, "The last day")):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("d MMM yyyy")
            edit.setAccessibleName(what)
            text = QLabel(label)
            text.setBuddy(edit)
            row.addWidget(text)
            row.addWidget(edit)
        layout.addLayout(row)
        facets_label = QLabel("Facets of competency 4 their reflections showed")
        facets_label.setWordWrap(True)
        layout.addWidget(facets_label)
        facets = QWidget()
        flow = FlowLayout(facets)
        self.facets: dict[str, QCheckBox] = {}
        for facet, label in FACET_LABELS.items():
            box = QCheckBox(label)
            self.facets[facet] = box
            flow.addWidget(box)
        layout.addWidget(facets)
        self.preview = QLabel("")
        self.preview.setWordWrap(True)
        self.preview.setAccessibleName("What the attestation will say")
        layout.addWidget(self.preview)
        layout.addStretch(1)
        self.error = error_label()
        layout.addWidget(self.error)
        self.outcome = muted("")
        self.outcome.setAccessibleName("Result")
        layout.addWidget(self.outcome)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.save_button = primary_button("Save the attestation…")
        self.close_button = QPushButton("Close")
        for button in (self.save_button, self.close_button):
            button.setAutoDefault(False)
            buttons.addWidget(button)
        layout.addLayout(buttons)

        first = self._read(today, today).first_day
        self.start.setDate(_qdate(first or today.replace(day=1)))
        for edit in (self.start, self.end):
            edit.dateChanged.connect(lambda _d: self.update_preview())
        for box in self.facets.values():
            box.toggled.connect(lambda _on: self.update_preview())
        self.save_button.clicked.connect(self.save)
        self.close_button.clicked.connect(self.accept)
        self.update_preview()

    def _read(self, start: date, end: date) -> programme.SignOffPreview:
        fingerprint = self.fingerprint
        empty = programme.SignOffPreview(0, None, None, None, None)
        return self.session.read_or(
            lambda journal: programme.signoff_preview(journal, fingerprint, start, end), empty)

    def chosen_facets(self) -> tuple[str, ...]:
        return tuple(f for f, box in self.facets.items() if box.isChecked())

    def update_preview(self) -> None:
        """What the attestation will say for the days and facets chosen (a read of the
        count), or why it cannot be signed yet."""
        start, end = _day(self.start), _day(self.end)
        preview = self._preview = self._read(start, end)
        facets = ", ".join(FACET_LABELS[f].lower() for f in self.chosen_facets())
        problem = ""
        if end < start:
            problem = "The last day is before the first."
        elif preview.mentor_name is None:
            problem = ("Make your card first (Sharing ▸ My card and contacts): the attestation"
                       " is signed with it.")
        elif preview.programme_name is None:
            problem = ("Join your programme first (Sharing ▸ Programme…): an attestation is"
                       " checked against its roster.")
        show_error(self.error, problem)
        n = preview.reflections
        lines = [
            f"<b>{escape(preview.mentor_name or 'You')} reviewed {n} reflection"
            f"{'s' if n != 1 else ''} by {escape(self.name)} between {day_text(start)} and"
            f" {day_text(end)}; facets of competency 4: {escape(facets or 'none named')}.</b>"]
        if preview.programme_name:
            lines.append(f"Checked against {escape(preview.programme_name)}, programme"
                         f" fingerprint {escape(preview.programme_fingerprint or '')}.")
        if n == 0 and not problem:
            lines.append("You sent them no feedback between these days: the attestation would"
                         " say 0.")
        self.preview.setText("<br>".join(lines))
        self.save_button.setEnabled(not problem)

    def save(self) -> None:
        """Ask where, then sign and write the file (in the worker)."""
        if not self.session.is_unlocked or not self.save_button.isEnabled():
            return
        suggested = default_folder() / f"attestation-{date.today().isoformat()}.json"
        path, _filter = QFileDialog.getSaveFileName(self, "Save the attestation",
                                                    str(suggested), FILE_FILTER)
        if not path:
            return
        out = with_suffix(path, ".json")
        start, end, facets = _day(self.start), _day(self.end), self.chosen_facets()
        fingerprint = self.fingerprint
        show_error(self.error, "")
        self.save_button.setEnabled(False)

        def work(journal: Journal) -> programme.Attestation:
            attestation, data = programme.create_attestation(journal, fingerprint, start, end,
                                                             facets)
            write_private_file(out, data)
            return attestation

        def done(attestation: programme.Attestation) -> None:
            self.out = out
            self.save_button.setEnabled(True)
            self.outcome.setText(
                f"Saved {out.name}: give it to {attestation.student_name}. They import it with"
                " Sharing ▸ Attestations…; its portfolio PDF prints it.")

        def failed(message: str) -> None:
            self.update_preview()
            show_error(self.error, message)

        self.session.write(work, done, failed, changes=Change.RECORDS)
