"""Journal ▸ Import…: bring entries in from another journal or a folder of notes.

Three steps in one dialog: choose a format and a file or folder; a preview (how many entries,
their dates, the first titles, how many are already in the journal); then the import itself
with a progress bar and a one-line result. Reading the files and storing the entries both run
in the session's worker thread, so the window stays live. The formats, their order, names,
hints and file filters are those described in :data:`journal_app.core.interchange.FORMATS`, so
a new importer shows up here by itself.

Nothing is written before the user presses Import, and the import is one transaction: a bad
file, a full disk or Cancel leaves the journal exactly as it was. An import brings the user's
own writing only (:mod:`journal_app.core.records.importable`): the preview also says what in the
file
will not come in (contacts, feedback, settings...) and where each comes in instead. What was
read is dropped when the dialog closes (and the dialog closes when the journal locks).
"""

from __future__ import annotations

import html
import threading
from collections import Counter
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from journal_app.core.errors import JournalError
from journal_app.core.interchange import Imports, import_format, import_formats
from journal_app.core.records import Entry, Record, skipped_notes
from journal_app.core.vault import ImportResult, Journal
from journal_app.core.vocabulary import KIND_NAMES, count_text
from journal_app.ui import messages
from journal_app.ui.session import Change, JournalSession
from journal_app.ui.widgets import (
    FitCombo,
    FitForm,
    busy_bar,
    error_label,
    heading,
    muted,
    primary_button,
    show_error,
)

#: How many entries the preview lists (the rest are counted).
PREVIEW_ROWS = 50


#: Records the user does not count apart: an attachment's image is part of the attachment.
UNCOUNTED = frozenset({"attachment-data"})


class _Cancelled(JournalError):
    """Raised in the worker from the progress callback: the transaction rolls back."""

    default_message = "The import was cancelled."


def kinds_text(records: Sequence[Record]) -> str:
    """``412 entries, 3 check-ins and 40 earlier versions`` (entries first)."""
    counts = Counter(
        r.KIND if r.KIND in KIND_NAMES and r.KIND != "app-state" else "other" for r in records
        if r.KIND not in UNCOUNTED
    )
    order = sorted(counts, key=lambda k: (list(KIND_NAMES).index(k) if k in KIND_NAMES
                                          else len(KIND_NAMES)))
    parts = [count_text(counts[k], k) for k in order]
    if not parts:
        return "nothing"
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def day_text(when: datetime) -> str:
    return f"{when.day} {when:%B %Y}"


class ImportDialog(QDialog):
    """Choose, preview, import.

    Signals:
        imported(object): the :class:`ImportResult` of a finished import.
        progressed(int, int): records done and total (emitted from the worker thread; the
            dialog's own slot runs on the UI thread).
    """

    imported = Signal(object)
    progressed = Signal(int, int)

    def __init__(self, session: JournalSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setWindowTitle("Import")
        self.resize(760, 580)
        self._records: list[Record] = []
        self._duplicates: list[bool] = []
        self._generation = 0  # a result for an older request (Back, Cancel) is dropped
        self._cancel = threading.Event()
        self._importing = False
        self._reading = False
        self._closed = False
        #: The one-line result, for the main window's message bar after the dialog closes.
        self.result_text = ""
        self._notes: list[str] = []
        #: Records of kinds an import never brings in, by kind (counts only).
        self._skipped: dict[str, int] = {}

        self.pages = QStackedWidget()
        self.pages.addWidget(self._choose_page())
        self.pages.addWidget(self._preview_page())
        self.pages.addWidget(self._progress_page())

        self.back_button = QPushButton("Back")
        self.cancel_button = QPushButton("Cancel")
        self.next_button = primary_button("Preview")
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.next_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages, 1)
        layout.addLayout(buttons)

        self.back_button.clicked.connect(self.go_back)
        self.cancel_button.clicked.connect(self.cancel)
        self.next_button.clicked.connect(self.go_next)
        self.progressed.connect(self._on_progress, Qt.ConnectionType.QueuedConnection)
        self._show_page(0)

    # ------------------------------------------------------------ pages

    def _choose_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(heading("Import into your journal"))
        layout.addWidget(muted(
            "Bring in what you wrote elsewhere. You will see what is in the file before "
            "anything is added, and entries already in your journal are skipped."
        ))
        form = FitForm()  # narrow: labels above their fields
        self.format_box = FitCombo(elide=True)  # a long format's name shortened where narrow
        self.format_box.setAccessibleName("Format")
        for fmt in import_formats():
            assert fmt.imports is not None
            self.format_box.addItem(fmt.imports.label, fmt.id)
        form.addRow("Format:", self.format_box)
        self.path = QLineEdit()
        self.path.setAccessibleName("File or folder to import")
        self.browse_button = QPushButton("Choose…")
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(self.browse_button)
        self.path_label = QLabel("File:")
        form.addRow(self.path_label, row)
        layout.addLayout(form)
        self.hint = muted("")
        layout.addWidget(self.hint)
        layout.addStretch(1)
        self.reading = muted("")
        self.reading.hide()
        layout.addWidget(self.reading)
        self.busy = busy_bar()
        layout.addWidget(self.busy)
        self.choose_error = error_label()
        layout.addWidget(self.choose_error)

        self.format_box.currentIndexChanged.connect(self._format_changed)
        self.path.textChanged.connect(self._path_changed)
        # Enter in the path previews through the default button (Preview), not through
        # returnPressed as well: see _set_reading for why focus must stay in the field.
        self.browse_button.clicked.connect(self.browse)
        self._format_changed()
        return page

    def _preview_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(heading("Ready to import"))
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("What will be imported")
        layout.addWidget(self.summary)
        self.duplicates_note = QLabel()
        self.duplicates_note.setWordWrap(True)
        layout.addWidget(self.duplicates_note)
        self.left_out = QLabel()
        self.left_out.setTextFormat(Qt.TextFormat.RichText)
        self.left_out.setWordWrap(True)
        self.left_out.setAccessibleName("What will not be imported")
        self.left_out.hide()
        layout.addWidget(self.left_out)
        self.table = QTableWidget(0, 3)
        self.table.setAccessibleName("Entries to import")
        self.table.setHorizontalHeaderLabels(["Date", "Title", ""])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self.table, 1)
        self.more = muted("")
        layout.addWidget(self.more)
        layout.addWidget(muted(
            "Imported entries are stored encrypted, like everything you write here. The files "
            "you import from are not changed: they stay readable to anyone with access to them, "
            "so delete them once you are happy with the import."
        ))
        return page

    def _progress_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.progress_heading = heading("Importing…")
        layout.addWidget(self.progress_heading)
        self.bar = QProgressBar()
        self.bar.setAccessibleName("Import progress")
        layout.addWidget(self.bar)
        self.progress_text = muted("")
        layout.addWidget(self.progress_text)
        self.result_label = QLabel()
        self.result_label.setWordWrap(True)
        self.result_label.setAccessibleName("Import result")
        layout.addWidget(self.result_label)
        self.import_error = error_label()
        layout.addWidget(self.import_error)
        layout.addStretch(1)
        return page

    def _show_page(self, index: int) -> None:
        self.pages.setCurrentIndex(index)
        self.back_button.setVisible(index == 1)
        self.back_button.setText("Back")
        if index == 0:
            self.next_button.setText("Preview")
            self._path_changed()
        elif index == 1:
            fresh = self._fresh_count()
            self.next_button.setText(f"Import {count_text(fresh, self._main_kind())}"
                                     if fresh else "Import")
            self.next_button.setEnabled(fresh > 0)
            self.next_button.setFocus()
        self.next_button.setDefault(True)

    # ------------------------------------------------------------ step 1: choose

    def importer(self) -> Imports:
        """The chosen format's description (:mod:`journal_app.core.interchange.formats`)."""
        return import_format(self.format_box.currentData())

    def _format_changed(self, *_args: object) -> None:
        cls = self.importer()
        self.path_label.setText("Folder:" if cls.reads_folder else "File:")
        self.path.setPlaceholderText(
            "The folder that holds your notes" if cls.reads_folder else "The file to import")
        self.hint.setText(cls.hint)
        show_error(self.choose_error, "")

    def _path_changed(self, *_args: object) -> None:
        if self.pages.currentIndex() == 0:
            self.next_button.setEnabled(bool(self.path.text().strip()) and not self._reading)
        show_error(self.choose_error, "")

    def browse(self) -> None:
        """Pick the file or folder (Qt's dialog, the platform's own where there is one)."""
        cls = self.importer()
        current = Path(self.path.text().strip()).expanduser() if self.path.text().strip() else None
        start = str(current if current and current.is_dir()
                    else current.parent if current and current.parent.is_dir() else Path.home())
        picker = QFileDialog(self, "Choose the folder to import" if cls.reads_folder
                             else "Choose the file to import", start)
        if cls.reads_folder:
            picker.setFileMode(QFileDialog.FileMode.Directory)
            picker.setOption(QFileDialog.Option.ShowDirsOnly, True)
        else:
            picker.setFileMode(QFileDialog.FileMode.ExistingFile)
            if cls.patterns:
                picker.setNameFilters([f"{cls.label} ({' '.join(cls.patterns)})",
                                       "All files (*)"])
        picker.setAcceptMode(QFileDialog.AcceptMode.AcceptOpen)
        if picker.exec() == QDialog.DialogCode.Accepted and picker.selectedFiles():
            self.path.setText(picker.selectedFiles()[0])
            self.next_button.setFocus()

    def go_next(self) -> None:
        page = self.pages.currentIndex()
        if page == 0 and self.next_button.isEnabled():
            self.read()
        elif page == 1 and self.next_button.isEnabled():
            self.start_import()
        elif page == 2 and not self._importing:
            self.accept()

    def go_back(self) -> None:
        if self.pages.currentIndex() == 1:
            self._drop_records()
            self._show_page(0)
        elif self.pages.currentIndex() == 2 and not self._importing and self._records:
            # After a failed or cancelled import: the preview again, to try once more.
            self.cancel_button.setText("Cancel")
            self.next_button.show()
            show_error(self.import_error, "")
            self._fill_preview()
            self._show_page(1)

    def read(self) -> None:
        """Parse the file and count duplicates in the worker; then show the preview."""
        text = self.path.text().strip()
        if not text or not self.session.is_unlocked:
            return
        path = Path(text).expanduser()
        importer = self.importer().importer()
        self._generation += 1
        generation = self._generation
        self._set_reading(True)

        def work(journal: Journal) -> tuple[list[Record], list[bool]]:
            records = importer.parse(path)
            self._notes = importer.notes()  # what the format left out on purpose
            self._skipped = importer.skipped()  # what is not writing: never imported
            return records, journal.import_duplicates(records)

        def done(result: tuple[list[Record], list[bool]]) -> None:
            if self._closed or generation != self._generation:
                return
            self._set_reading(False)
            self._records, self._duplicates = result
            self._fill_preview()
            self._show_page(1)

        def failed(message: str) -> None:
            if self._closed or generation != self._generation:
                return
            self._set_reading(False)
            show_error(self.choose_error, message)
            self.path.setFocus()

        self.session.background(work, done, failed)

    def _set_reading(self, reading: bool) -> None:
        self._reading = reading
        self.busy.setVisible(reading)
        self.reading.setVisible(reading)
        self.reading.setText("Reading and checking every entry…" if reading else "")
        # The path turns read-only rather than disabled: a disabled field would pass the focus
        # to Cancel, which (an auto-default button) would take the Enter that asked for the
        # preview and close the dialog, with nothing read and nothing said.
        self.path.setReadOnly(reading)
        for widget in (self.format_box, self.browse_button):
            widget.setEnabled(not reading)
        self._path_changed()

    # ------------------------------------------------------------ step 2: preview

    def _main_kind(self) -> str:
        """How to call what will be imported: "entries" when that is all it is."""
        kinds = {r.KIND for r, dup in zip(self._records, self._duplicates, strict=True)
                 if not dup and r.KIND not in UNCOUNTED}
        return "entry" if kinds <= {"entry"} else "record"

    def _fresh_count(self) -> int:
        """What will be imported, as the user counts it (an image is part of its attachment)."""
        return sum(1 for r, dup in zip(self._records, self._duplicates, strict=True)
                   if not dup and r.KIND not in UNCOUNTED)

    def _fill_preview(self) -> None:
        records, flags = self._records, self._duplicates
        entries = [(r, dup) for r, dup in zip(records, flags, strict=True)
                   if isinstance(r, Entry)]
        what = kinds_text(records)
        if entries:
            first = min(e.created for e, _d in entries)
            last = max(e.created for e, _d in entries)
            span = (f"on {day_text(first)}" if first.date() == last.date()
                    else f"from {day_text(first)} to {day_text(last)}")
            self.summary.setText(f"This {self._source_word()} holds {what}, {span}.")
        else:
            self.summary.setText(f"This {self._source_word()} holds {what}.")
        if self._notes:  # e.g. Day One videos: plain sentences, never journal text
            self.summary.setText(self.summary.text() + " " + " ".join(self._notes))
        left_out = skipped_notes(self._skipped)
        self.left_out.setText("<br>".join(
            html.escape(line, quote=False) for line in
            ["An import brings your own writing only; this stays out:",
             *(f"• {note}" for note in left_out)]) if left_out else "")
        self.left_out.setVisible(bool(left_out))
        duplicates = flags.count(True)
        if duplicates == 0:
            self.duplicates_note.setText("None of it is in your journal yet.")
        elif duplicates == len(flags):
            self.duplicates_note.setText(
                "All of it is already in your journal: there is nothing new to import.")
        else:
            self.duplicates_note.setText(
                f"{duplicates:,} {'is' if duplicates == 1 else 'are'} already in your journal "
                "(the same entry, or the same date and text) and will be skipped.")
        shown = sorted(entries, key=lambda item: item[0].created.timestamp(), reverse=True)
        shown = shown[:PREVIEW_ROWS]
        self.table.setRowCount(len(shown))
        for row, (entry, dup) in enumerate(shown):
            cells = (f"{entry.created:%Y-%m-%d %H:%M}", entry.display_title(),
                     "Already in your journal" if dup else "New")
            for column, value in enumerate(cells):
                item = QTableWidgetItem(value)
                if dup:
                    item.setForeground(self.palette().placeholderText())
                self.table.setItem(row, column, item)
        self.table.setVisible(bool(entries))
        rest = len(entries) - len(shown)
        self.more.setText(f"…and {rest:,} more {'entry' if rest == 1 else 'entries'}."
                          if rest > 0 else "")
        self.more.setVisible(rest > 0)

    def _source_word(self) -> str:
        return "folder" if self.importer().reads_folder else "file"

    # ------------------------------------------------------------ step 3: import

    def start_import(self) -> None:
        if not self.session.is_unlocked or self._importing:
            return
        records = list(self._records)
        fresh = self._fresh_count()
        kinds = Counter(r.KIND for r, dup in zip(records, self._duplicates, strict=True)
                        if not dup and r.KIND not in UNCOUNTED)
        self._importing = True
        self._cancel.clear()
        self._generation += 1
        generation = self._generation
        self.bar.setRange(0, max(1, len(records)))
        self.bar.setValue(0)
        self.progress_heading.setText("Importing…")
        self.progress_text.setText(f"Storing {count_text(fresh, self._main_kind())}…")
        self.result_label.setText("")
        show_error(self.import_error, "")
        self.pages.setCurrentIndex(2)
        self.back_button.hide()
        self.next_button.setText("Done")
        self.next_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        cancel = self._cancel

        def progress(done: int, total: int) -> None:
            if cancel.is_set():
                raise _Cancelled
            self.progressed.emit(done, total)

        def work(journal: Journal) -> ImportResult:
            return journal.import_records(records, progress=progress)

        def done(result: ImportResult) -> None:
            self._importing = False
            if self._closed or generation != self._generation:
                return
            self._finished(result, kinds, fresh)

        def failed(message: str) -> None:  # a cancel too (_Cancelled's sentence)
            self._importing = False
            if self._closed or generation != self._generation:
                return
            self._stopped(f"{message} Nothing was imported.")

        # The session tells the views (entriesChanged) once the records are stored.
        self.session.write(work, done, failed,
                           changes=Change.ENTRIES | Change.CHECKINS | Change.RECORDS)

    @Slot(int, int)
    def _on_progress(self, done: int, total: int) -> None:
        if self._closed or not self._importing:
            return
        self.bar.setMaximum(max(1, total))
        self.bar.setValue(done)
        self.progress_text.setText(f"{done:,} of {total:,}")

    def _finished(self, result: ImportResult, kinds: Counter[str], fresh: int) -> None:
        self.bar.setValue(self.bar.maximum())
        self.progress_heading.setText("Import finished")
        if result.imported == fresh and result.imported:
            parts = [count_text(kinds[k], k) for k in sorted(
                kinds, key=lambda k: list(KIND_NAMES).index(k) if k in KIND_NAMES else 99)]
            what = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
        else:  # the journal changed since the preview (another program wrote to it)
            what = count_text(result.imported, "entry" if set(kinds) <= {"entry"} else "record")
        text = f"Imported {what}"
        if result.skipped_duplicates:
            text += f"; skipped {result.skipped_duplicates:,} already in your journal"
        self.result_text = text + "."
        left_out = skipped_notes(self._skipped)
        self.result_label.setText(" ".join([self.result_text, *left_out]))
        self.progress_text.setText("")
        self.cancel_button.setEnabled(False)
        self.cancel_button.hide()
        self.next_button.setEnabled(True)
        self.next_button.setFocus()
        self._drop_records()
        self.imported.emit(result)
        if self._close_when_stopped:  # asked to close (Escape, locking) once it had finished
            self._close_now()

    def _stopped(self, message: str) -> None:
        self.progress_heading.setText(messages.NOTHING_IMPORTED)
        self.progress_text.setText("")
        self.bar.setValue(0)
        show_error(self.import_error, message)
        if self._close_when_stopped:
            self._close_now()
            return
        self.cancel_button.setText("Close")
        self.cancel_button.setEnabled(True)
        self.back_button.setText("Back to the preview")
        self.back_button.show()
        self.next_button.hide()

    # ------------------------------------------------------------ cancelling and closing

    _close_when_stopped = False

    def cancel(self) -> None:
        """The Cancel button: free before the import; during it, stop it (the transaction
        rolls back) and say so."""
        if self._importing:
            self._cancel.set()
            self.progress_text.setText("Cancelling…")
            self.cancel_button.setEnabled(False)
            return
        self.reject()

    def reject(self) -> None:
        """Escape, closing the window, or the journal locking: during an import, stop it and
        close once the worker has rolled it back."""
        if self._importing:
            self._close_when_stopped = True
            self.cancel()
            return
        self._close_now()

    def _close_now(self) -> None:
        self._closed = True
        self._drop_records()
        super().reject()

    def accept(self) -> None:
        self._closed = True
        self._drop_records()
        super().accept()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._importing:
            self.reject()
            event.ignore()
            return
        self._closed = True
        self._drop_records()
        super().closeEvent(event)

    def _drop_records(self) -> None:
        """Forget what was read (decrypted journal text must not outlive its use)."""
        self._records = []
        self._duplicates = []
        self.table.setRowCount(0)
