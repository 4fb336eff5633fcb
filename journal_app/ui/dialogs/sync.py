"""Settings ▸ Sync: set up sync through a folder the user's sync service carries, see this
journal's computers (with when each was last seen), sync now, remove a computer, or leave.

Everything that touches the journal or the folder runs in the session's worker, with a busy
bar; the passphrase asked here is checked against the journal first and never kept.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from journal_app.ui.session import Change, JournalSession
from journal_app.ui.syncing import SyncController, ago, app_words
from journal_app.ui.widgets import (
    FlowLayout,
    breakable,
    busy_bar,
    current_item,
    error_label,
    muted,
    password_field,
    show_error,
    wrapped,
)

if TYPE_CHECKING:
    from journal_app.core.sync import DeviceInfo, Status
    from journal_app.core.vault import Journal

WHY_GOOD = (
    "Sync needs your passphrase, rated Good or better: the sync folder keeps a copy of the "
    "journal's key locked by it, and whoever can read the folder (the sync service, anyone "
    "with your account) can try passphrases against that copy as long as they like. If yours "
    "is weaker, change it first (Settings ▸ Change passphrase).")
WHAT_IT_SEES = (
    "The sync folder holds only encrypted files: the service sees how many there are, their "
    "rough sizes and when they change, never your words, titles, dates or names.")
REMOVE_MEANS = (
    "Removing '{name}' gives the journal a new key, which only the computers that stay "
    "receive: '{name}' reads nothing written from now on, and its later files are refused. "
    "What it already holds stays on it: if it was lost or stolen, change your passphrase too.")
LEAVE_MEANS = (
    "This computer stops syncing. Its journal stays here, complete; the other computers keep "
    "theirs and go on syncing without it.")


def seen_text(device: DeviceInfo, now: datetime | None = None) -> str:
    from journal_app.core.sync import as_time

    if device.this:
        return "this computer"
    if device.revoked:
        return "removed"
    if device.last_seen is None:
        return "not seen yet"
    return f"last seen {ago(as_time((device.last_seen, 0, '')).astimezone(), now)}"


class SyncDialog(QDialog):
    def __init__(self, session: JournalSession, controller: SyncController,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.controller = controller
        self._running = False
        self.setWindowTitle("Sync")
        layout = QVBoxLayout(self)
        layout.addWidget(wrapped(
            "Use this journal on several computers: each keeps its own copy, and a folder "
            "that your sync service carries (Syncthing, Dropbox, OneDrive, iCloud Drive, "
            "Google Drive, Nextcloud, or a USB stick) passes the changes between them."))
        layout.addWidget(muted(WHAT_IT_SEES))

        # Not set up yet: the folder, this computer's name, the passphrase.
        self.setup_box = QGroupBox("Set up sync")
        sv = QVBoxLayout(self.setup_box)
        sv.addWidget(wrapped("Sync folder (new or empty, inside your sync service's folder)"))
        row = QHBoxLayout()
        self.folder = QLineEdit()
        self.folder.setAccessibleName("Sync folder")
        self.folder.setPlaceholderText("Choose a folder…")
        self.choose = QPushButton("Choose…")
        row.addWidget(self.folder, 1)
        row.addWidget(self.choose)
        sv.addLayout(row)
        sv.addWidget(wrapped("This computer's name"))
        self.name = QLineEdit()
        self.name.setAccessibleName("This computer's name")
        self.name.setMaxLength(100)
        sv.addWidget(self.name)
        sv.addWidget(muted("Names are kept encrypted: the sync service never sees them."))
        self.setup_passphrase = password_field("Your passphrase")
        sv.addWidget(self.setup_passphrase)
        sv.addWidget(muted(WHY_GOOD))
        self.setup_button = QPushButton("Set up sync")
        self.setup_button.setEnabled(False)
        sv.addWidget(self.setup_button, 0, Qt.AlignmentFlag.AlignLeft)
        sv.addWidget(muted(
            "On your other computer, start journal-app and choose “This journal already "
            "exists in a synced folder” on its first screen."))
        layout.addWidget(self.setup_box)

        # Set up: where, the computers, sync now, remove, leave.
        self.synced_box = QGroupBox("This journal syncs")
        dv = QVBoxLayout(self.synced_box)
        self.where = QLabel()
        self.where.setWordWrap(True)
        self.where.setAccessibleName("Sync folder")
        dv.addWidget(self.where)
        self.fingerprint = muted("")
        self.fingerprint.setAccessibleName("Journal fingerprint")
        self.fingerprint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        dv.addWidget(self.fingerprint)
        dv.addWidget(wrapped("Computers"))
        self.devices = QListWidget()
        self.devices.setAccessibleName("Computers of this journal")
        self.devices.setMinimumHeight(80)
        dv.addWidget(self.devices, 1)
        self.state = muted("")
        self.state.setAccessibleName("Sync state")
        dv.addWidget(self.state)
        buttons = FlowLayout()
        self.sync_button = QPushButton("Sync now")
        self.remove_button = QPushButton("Remove computer…")
        self.remove_button.setEnabled(False)
        self.leave_button = QPushButton("Leave…")
        self.leave_button.setToolTip("Stop syncing on this computer (its journal stays)")
        for button in (self.sync_button, self.remove_button, self.leave_button):
            buttons.addWidget(button)
        dv.addLayout(buttons)
        self.remove_passphrase = password_field("Your passphrase (to remove a computer)")
        self.remove_passphrase.hide()
        dv.addWidget(self.remove_passphrase)
        layout.addWidget(self.synced_box, 1)

        self.busy = busy_bar()
        layout.addWidget(self.busy)
        self.error = error_label()
        layout.addWidget(self.error)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout.addWidget(close)
        self.resize(560, 560)

        self.choose.clicked.connect(self._choose)
        self.folder.textChanged.connect(self._update)
        self.setup_passphrase.textChanged.connect(self._update)
        self.setup_passphrase.returnPressed.connect(self.set_up)
        self.setup_button.clicked.connect(self.set_up)
        self.sync_button.clicked.connect(self.sync_now)
        self.remove_button.clicked.connect(self.remove_selected)
        self.leave_button.clicked.connect(self.leave)
        self.devices.currentItemChanged.connect(lambda *_a: self._update())
        controller.changed.connect(self.refresh)
        self.refresh()

    # ------------------------------------------------------------ showing

    def _status(self) -> Status | None:
        return self.controller.status if self.controller.active else None

    def refresh(self) -> None:
        status = self._status()
        syncs = self.controller.active
        self.setup_box.setVisible(not syncs)
        self.synced_box.setVisible(syncs)
        if not syncs:
            if not self.name.text():
                from journal_app.core.sync import default_name

                self.name.setText(default_name())
        elif status is None:  # the first sync since unlocking is still running
            self.where.setText(f"Sync folder: {breakable(self.controller.folder or '')}")
            self.state.setText(self.controller.describe()[0])
        else:
            self.where.setText(f"Sync folder: {breakable(status.folder)}")
            self.fingerprint.setText(f"Journal fingerprint: {status.fingerprint} (the same on "
                                     "every computer of this journal)")
            chosen = item.data(256) if (item := current_item(self.devices)) else None
            self.devices.clear()
            for device in status.devices:
                entry = QListWidgetItem(f"{device.name} — {seen_text(device)}")
                entry.setData(256, device.id)
                entry.setData(257, device)
                self.devices.addItem(entry)
                if device.id == chosen:
                    self.devices.setCurrentItem(entry)
            text, warn = self.controller.describe()
            self.state.setText(text)
            self.state.setProperty("warning", warn)
        self._update()

    def _update(self) -> None:
        idle = not self._running and not self.controller.busy
        self.setup_button.setEnabled(idle and bool(self.folder.text().strip())
                                     and bool(self.setup_passphrase.text()))
        for widget in (self.folder, self.choose, self.name, self.setup_passphrase,
                       self.sync_button, self.leave_button):
            widget.setEnabled(not self._running)
        device = self._selected()
        self.remove_button.setEnabled(idle and device is not None and not device.this
                                      and not device.revoked)

    def _selected(self) -> DeviceInfo | None:
        item = current_item(self.devices)
        return item.data(257) if item is not None else None

    def _choose(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Choose the sync folder",
                                                  self.folder.text() or str(Path.home()))
        if folder:
            self.folder.setText(folder)

    # ------------------------------------------------------------ work

    def _run(self, work: Any, done: Any, changes: Change = Change.APP_STATE) -> None:
        self._running = True
        self.busy.show()
        show_error(self.error, "")
        self._update()

        def finished(result: Any) -> None:
            self._running = False
            self.busy.hide()
            done(result)
            self.controller.start()  # the status, the watcher and a first sync
            self.refresh()

        def failed(message: str) -> None:
            self._running = False
            self.busy.hide()
            show_error(self.error, app_words(message))
            self._update()

        self.session.write(work, finished, failed, changes=changes)

    def set_up(self) -> None:
        if not self.setup_button.isEnabled():
            return
        from journal_app.core.sync import setup

        folder = Path(self.folder.text().strip()).expanduser()
        name = self.name.text().strip() or None
        passphrase = self.setup_passphrase.text()
        self.setup_passphrase.clear()
        params = self.session.sync_params()

        def work(journal: Journal) -> Status:
            journal.check_passphrase(passphrase)
            return setup(journal, folder, name, passphrase, params)

        self._run(work, lambda _status: None)

    def sync_now(self) -> None:
        if not self.controller.sync():
            show_error(self.error, "The journal is locked or does not sync.")

    def remove_selected(self) -> None:
        device = self._selected()
        if device is None or device.this or device.revoked:
            return
        if self.remove_passphrase.isHidden() or not self.remove_passphrase.text():
            self.remove_passphrase.show()
            self.remove_passphrase.setFocus()
            show_error(self.error, "Type your passphrase, then choose Remove computer again.")
            return
        answer = QMessageBox.question(
            self, "Remove this computer?", REMOVE_MEANS.format(name=device.name),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel)
        if answer != QMessageBox.StandardButton.Yes:
            return
        from journal_app.core.sync import remove_device

        passphrase = self.remove_passphrase.text()
        self.remove_passphrase.clear()
        self.remove_passphrase.hide()
        target = device.id
        params = self.session.sync_params()

        def work(journal: Journal) -> object:
            journal.check_passphrase(passphrase)
            return remove_device(journal, target, passphrase, params)

        self._run(work, lambda _removed: None)

    def leave(self) -> None:
        answer = QMessageBox.question(
            self, "Stop syncing on this computer?", LEAVE_MEANS,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel)
        if answer != QMessageBox.StandardButton.Yes:
            return
        from journal_app.core.sync import leave

        def done(told: bool) -> None:
            if not told:
                show_error(self.error, "The sync folder could not be reached to tell the other "
                                       "computers: remove this one there (Settings ▸ Sync).")

        params = self.session.sync_params()
        self._run(lambda journal: leave(journal, params), done)
