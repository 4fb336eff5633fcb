"""Earlier versions of an entry, shown read-only, with restore."""

from __future__ import annotations

from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from journal_app.core.records import Entry
from journal_app.core.sync import kept_from, load_state
from journal_app.ui.markdown_view import SafeTextBrowser
from journal_app.ui.session import Change, JournalSession
from journal_app.ui.widgets import current_item, muted


class HistoryDialog(QDialog):
    def __init__(self, session: JournalSession, entry_id: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.entry_id = entry_id
        self.restored: Entry | None = None
        self._restoring = False
        self.setWindowTitle("Earlier versions")
        self.resize(760, 520)
        layout = QVBoxLayout(self)
        layout.addWidget(muted(
            "Each time you come back to an entry and change it, the version before is kept "
            "here. Restoring makes an earlier version current; the current one is kept too. "
            "A version written at the same time on another computer of a synced journal is "
            "kept here as well, with that computer's name."
        ))
        self.versions = QListWidget()
        self.versions.setAccessibleName("Earlier versions")
        self.view = SafeTextBrowser()
        self.view.setAccessibleName("Version text")
        split = QSplitter()
        split.addWidget(self.versions)
        split.addWidget(self.view)
        split.setStretchFactor(1, 3)
        layout.addWidget(split, 1)
        row = QHBoxLayout()
        self.restore_button = QPushButton("Restore this version")
        self.close_button = QPushButton("Close")
        row.addWidget(self.restore_button)
        row.addStretch(1)
        row.addWidget(self.close_button)
        layout.addLayout(row)
        revisions = session.read(lambda journal: journal.revisions(entry_id))
        # Versions that lost to a change made at the same time on another computer (sync).
        origins = session.read(lambda journal: kept_from(load_state(journal), revisions))
        for revision in revisions:
            record = revision.record()
            if not isinstance(record, Entry):
                continue
            when = f"{revision.saved:%a %d %b %Y, %H:%M}"
            origin = origins.get(revision.id)
            item = QListWidgetItem(f"{when}\nfrom {origin}" if origin else when)
            if origin:
                item.setToolTip(f"Written on {origin} at the same time as another change; "
                                "kept here so that nothing is lost.")
            item.setData(256, revision.id)
            item.setData(257, record)
            self.versions.addItem(item)
        if self.versions.count() == 0:
            self.view.setPlainText("No earlier versions yet: they appear after you edit.")
        self.versions.currentItemChanged.connect(self._show)
        self.restore_button.clicked.connect(self.restore_current)
        self.close_button.clicked.connect(self.reject)
        self.restore_button.setEnabled(False)
        if self.versions.count():
            self.versions.setCurrentRow(0)

    def _show(self, item: QListWidgetItem | None, _prev: object = None) -> None:
        self.restore_button.setEnabled(item is not None)
        if item is None:
            return
        record: Entry = item.data(257)
        heading = f"# {record.title}\n\n" if record.title else ""
        self.view.set_markdown(heading + record.body)

    def restore_current(self) -> None:
        item = current_item(self.versions)
        if item is None:
            return
        revision_id = item.data(256)
        self.restore_button.setEnabled(False)
        self._restoring = True

        def restored(entry: Entry) -> None:
            self._restoring = False
            self.restored = entry
            self.accept()

        def failed(message: str) -> None:
            self._restoring = False
            self.restore_button.setEnabled(True)
            self.view.setPlainText(message)

        self.session.write(lambda journal: journal.restore_revision(revision_id), restored,
                           failed, changes=Change.ENTRIES)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._restoring:  # restored in a moment: the dialog closes by itself then
            event.ignore()
            return
        super().closeEvent(event)
