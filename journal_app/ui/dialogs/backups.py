"""Backups: the folder and schedule of automatic backups, back up now, restore from a backup.

A restore is verified in full (in the worker) before anything is asked; then a confirmation
names the journal's folder, the backup's date and where the journal being replaced is kept.
The replacing itself is the main window's job (it locks and closes the journal first): the
dialog hands it the prepared restore through ``restore_ready``.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from journal_app.core.errors import JournalError
from journal_app.core.recovery import (
    KEYS_CURRENT,
    SUFFIX,
    BackupRun,
    PreparedRestore,
    prepare_restore,
    read_header,
    records_text,
    same_device,
)
from journal_app.core.syncdirs import synced_service
from journal_app.ui import messages
from journal_app.ui.backups import BackupController
from journal_app.ui.widgets import (
    FitForm,
    FlowLayout,
    WrapCheckBox,
    breakable,
    busy_bar,
    error_label,
    muted,
    primary_button,
    show_error,
)

FREQUENCIES = ((1, "Every day"), (2, "Every 2 days"), (3, "Every 3 days"), (7, "Every week"),
               (14, "Every 2 weeks"))


def when_text(value: object) -> str:
    from datetime import datetime

    assert isinstance(value, datetime)
    return value.astimezone().strftime("%Y-%m-%d at %H:%M")


class BackupsDialog(QDialog):
    """Signals:
    restore_ready(object): a PreparedRestore the user confirmed; the window replaces the
        journal with it (or discards it if it cannot lock).
    """

    restore_ready = Signal(object)

    def __init__(self, controller: BackupController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.session = controller.session
        self.settings = controller.settings
        self._checking = False  # a backup to restore from is being verified
        self.setWindowTitle("Backups")
        self.setMinimumWidth(620)
        layout = QVBoxLayout(self)
        layout.addWidget(muted(
            "A backup is a copy of your whole journal, still encrypted: it opens only with "
            "your passphrase. Keep backups on another drive (an external disk or a synced "
            "folder), so a lost or broken computer does not take your journal with it."
        ))

        auto = QGroupBox("Automatic backups")
        av = QVBoxLayout(auto)
        self.folder = QLineEdit(self.settings.backup_folder)
        self.folder.setReadOnly(True)
        self.folder.setPlaceholderText("No folder chosen")
        self.folder.setAccessibleName("Backup folder")
        self.folder.setToolTip(self.settings.backup_folder)
        self.choose = QPushButton("Choose…")
        row = QHBoxLayout()
        row.addWidget(QLabel("Folder"))
        row.addWidget(self.folder, 1)
        row.addWidget(self.choose)
        av.addLayout(row)
        self.folder_note = muted("")
        self.folder_note.setAccessibleName("About the folder")
        av.addWidget(self.folder_note)
        self.enabled = WrapCheckBox("Back up automatically while the journal is open")
        self.enabled.setChecked(self.settings.backup_enabled)
        av.addWidget(self.enabled)
        form = FitForm()  # narrow: labels above their fields
        self.frequency = QComboBox()
        self.frequency.setAccessibleName("How often")
        for days, label in FREQUENCIES:
            self.frequency.addItem(label, days)
        index = self.frequency.findData(self.settings.backup_every_days)
        if index < 0:
            self.frequency.addItem(f"Every {self.settings.backup_every_days} days",
                                   self.settings.backup_every_days)
            index = self.frequency.count() - 1
        self.frequency.setCurrentIndex(index)
        form.addRow("How often", self.frequency)
        self.keep = QSpinBox()
        self.keep.setRange(1, 1000)
        self.keep.setSuffix(" backups")
        self.keep.setValue(self.settings.backup_keep)
        self.keep.setAccessibleName("How many to keep")
        form.addRow("Keep the last", self.keep)
        av.addLayout(form)
        av.addWidget(muted("Older backups of this journal in that folder are deleted; nothing "
                           "else in it is ever touched."))
        layout.addWidget(auto)

        now_box = QGroupBox("Back up and restore")
        nv = QVBoxLayout(now_box)
        self.last = QLabel()
        self.last.setWordWrap(True)
        self.last.setAccessibleName("Last good backup")
        nv.addWidget(self.last)
        buttons = FlowLayout()  # on two lines where narrow
        self.back_up_button = primary_button("Back up now")
        self.restore_button = QPushButton("Restore from a backup…")
        buttons.addWidget(self.back_up_button)
        buttons.addWidget(self.restore_button)
        nv.addLayout(buttons)
        self.busy = busy_bar()
        nv.addWidget(self.busy)
        self.result_label = muted("")
        self.result_label.setAccessibleName("Result")
        nv.addWidget(self.result_label)
        self.error = error_label()
        nv.addWidget(self.error)
        layout.addWidget(now_box)

        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.accept)
        layout.addWidget(close)

        self.choose.clicked.connect(self.choose_folder)
        self.enabled.toggled.connect(self._schedule_changed)
        self.frequency.currentIndexChanged.connect(self._schedule_changed)
        self.keep.valueChanged.connect(self._schedule_changed)
        self.back_up_button.clicked.connect(self.back_up_now)
        self.restore_button.clicked.connect(self.restore)
        controller.changed.connect(self.refresh)
        controller.running.connect(lambda _on: self.refresh())
        self.refresh()

    # ------------------------------------------------------------ state

    def refresh(self) -> None:
        folder = self.settings.backup_folder
        self.enabled.setEnabled(bool(folder))
        state = self.controller.last_good()
        text, warn = self.controller.status()
        if state is not None and state.last_good is not None:
            text = (f"Last good backup: {when_text(state.last_good)} "
                    f"({records_text(state.last_records)}, checked in full), "
                    f"in {breakable(Path(state.last_file).name)}.")
        elif warn or not folder:
            text = ("No backup has been made yet." if not folder else
                    "No good backup yet: back up now to make the first one.")
        if warn and state is not None:
            text += " It is more than a week old: is the backup drive connected?"
        self.last.setText(text)
        idle = not self.controller.busy and not self._checking
        self.back_up_button.setEnabled(bool(folder) and idle)
        self.restore_button.setEnabled(idle)
        self.busy.setVisible(not idle)
        self._folder_note(folder)

    def _folder_note(self, folder: str) -> None:
        notes = []
        if folder:
            service = synced_service(Path(folder))
            data_dir = self.session.data_dir
            if service:
                notes.append(f"Synced by {service}: each backup is a single encrypted file, "
                             "safe to sync.")
            elif data_dir is not None and same_device(Path(folder), data_dir):
                notes.append("This folder is on the same drive as your journal: a backup "
                             "there does not survive a broken drive. An external drive or a "
                             "synced folder is safer.")
        self.folder_note.setText(" ".join(notes))
        self.folder_note.setVisible(bool(notes))

    def choose_folder(self) -> None:
        name = QFileDialog.getExistingDirectory(self, "Folder for backups",
                                                self.settings.backup_folder)
        if not name:
            return
        first = not self.settings.backup_folder
        self.settings.backup_folder = name
        self.folder.setText(name)
        self.folder.setToolTip(name)
        if first:
            self.enabled.setChecked(True)  # choosing a folder is asking for backups
        self._schedule_changed()

    def _schedule_changed(self, *_args: object) -> None:
        self.settings.backup_enabled = self.enabled.isChecked() and bool(
            self.settings.backup_folder)
        self.settings.backup_every_days = int(self.frequency.currentData())
        self.settings.backup_keep = self.keep.value()
        self.controller.settings_changed()

    # ------------------------------------------------------------ back up now

    def back_up_now(self) -> None:
        show_error(self.error, "")
        self.result_label.setText("Backing up, then checking every record of the copy…")
        if not self.controller.back_up(self._backed_up, self._failed):
            self.result_label.setText("")
            show_error(self.error, "Choose a backup folder first.")
            return
        self.refresh()

    def _backed_up(self, run: BackupRun) -> None:
        info = run.info
        removed = (f" {len(run.pruned)} older backup{'s' if len(run.pruned) != 1 else ''} "
                   "removed." if run.pruned else "")
        self.result_label.setText(f"Backed up {records_text(info.header.records)} to "
                            f"{breakable(info.path.name)} and checked every one.{removed}")
        self.refresh()

    def _failed(self, message: str) -> None:
        self.result_label.setText("")
        show_error(self.error, f"No backup was made: {message}")
        self.refresh()

    # ------------------------------------------------------------ restore

    def restore(self) -> None:
        """Choose a backup, verify it fully in the worker, then ask before anything changes."""
        show_error(self.error, "")
        data_dir = self.session.data_dir
        if data_dir is None or not self.session.is_unlocked:
            return
        start = self.settings.backup_folder or str(Path.home())
        name, _ = QFileDialog.getOpenFileName(
            self, "Restore from a backup", start,
            f"journal-app backups (*{SUFFIX});;All files (*)")
        if not name:
            return
        path = Path(name)
        try:
            header = read_header(path)
        except JournalError as exc:
            show_error(self.error, exc.message)
            return
        passphrase: str | None = None
        key: bytes | None = None
        if header.vault_id == self.session.read(lambda journal: journal.vault_id):
            # The same journal: its key opens every backup of it.
            key = self.session.read(lambda journal: journal.cipher.data_key)
        else:
            passphrase, ok = QInputDialog.getText(
                self, "A backup of another journal",
                "This backup is of another journal. Type the passphrase it was made with:",
                QLineEdit.EchoMode.Password)
            if not ok or not passphrase:
                return
        self._checking = True
        self.refresh()
        self.result_label.setText("Checking every record of the backup…")

        def done(prepared: PreparedRestore) -> None:
            self._checking = False
            self.result_label.setText("")
            self.refresh()
            self._confirm(prepared)

        def failed(message: str) -> None:
            self._checking = False
            self.result_label.setText("")
            show_error(self.error, message)
            self.refresh()

        self.session.background(
            lambda _journal: prepare_restore(data_dir, path, passphrase=passphrase, key=key),
            done, failed)

    def _confirm(self, prepared: PreparedRestore) -> None:
        when = when_text(prepared.backup.created)
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle("Restore from a backup?")
        box.setText(f"Replace the journal in {prepared.data_dir} with the backup from {when}?")
        opens = ("your current passphrase" if prepared.keys == KEYS_CURRENT else
                 "the passphrase the backup was made with")
        box.setInformativeText(
            f"The backup holds {records_text(prepared.backup.records_checked)} and was checked in "
            "full. Anything written since it was made is not in it: the journal you have now "
            "is kept, untouched, in a folder named “replaced-…” inside the journal's folder. "
            f"The journal then locks; unlock it with {opens}."
        )
        replace = box.addButton("Replace", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        if box.clickedButton() is replace:
            self.restore_ready.emit(prepared)
        else:
            prepared.discard()
            self.result_label.setText(messages.NOTHING_CHANGED)
