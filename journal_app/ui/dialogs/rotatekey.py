"""Changing the journal's key (a key rotation): a new recovery key, or a passphrase someone may
have seen. Every record is re-encrypted in the worker while a progress bar moves; afterwards the
new recovery key is shown once, with what rotation cannot do and an offer to replace backups.

Signals (both dialogs):
    progressed(int, int): records re-encrypted and total (emitted from the worker thread).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from journal_app.core.vault import Journal
from journal_app.ui.session import Change, JournalSession
from journal_app.ui.widgets import error_label, muted, password_field, show_error

if TYPE_CHECKING:
    from journal_app.ui.backups import BackupController

#: What a rotation cannot do, said before and after it (README: "Changing the key").
LIMITS = (
    "What this cannot do: backups and copies of your journal made before now (on another "
    "drive, in a synced folder, or kept in a “replaced-…” folder) still open with the old "
    "passphrase and recovery key. Afterwards, make a new backup and delete the older ones."
)


def rotation_bar() -> QProgressBar:
    """A determinate bar for re-encryption, hidden until it starts."""
    bar = QProgressBar()
    bar.setAccessibleName("Re-encryption progress")
    bar.setFormat("%v of %m records")
    bar.hide()
    return bar


def show_progress(bar: QProgressBar, done: int, total: int) -> None:
    bar.setRange(0, max(total, 1))
    bar.setValue(done)
    if bar.isHidden():
        bar.show()
        bar.window().adjustSize()  # room for the bar, the wrapped text keeps its lines


class KeyChangeDialog(QDialog):
    """What the two dialogs that may re-encrypt the journal share: progress from the worker,
    no closing while it runs (it is one transaction), and one way to run and to fail. A
    subclass makes ``progress``, ``error``, ``buttons`` and ``ok``, and gives ``_update``.

    Signals:
        progressed(int, int): records re-encrypted and total (from the worker thread).
    """

    progressed = Signal(int, int)
    progress: QProgressBar
    error: QLabel
    buttons: QDialogButtonBox

    def __init__(self, session: JournalSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.recovery_key: str | None = None
        self._running = False
        self.progressed.connect(lambda done, total: show_progress(self.progress, done, total),
                                Qt.ConnectionType.QueuedConnection)

    def _update(self, *_args: object) -> None:
        raise NotImplementedError

    def reject(self) -> None:
        if not self._running:  # a re-encryption runs to its end (it is one transaction)
            super().reject()

    def _run(self, work: Callable[[Journal], str | None]) -> None:
        """Run ``work`` (which returns the new recovery key, or None) in the worker: accept with
        its key, or show why not and let the user try again."""
        self._running = True
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setEnabled(False)
        self._update()
        show_error(self.error, "")

        def done(key: str | None) -> None:
            self._running = False
            self.recovery_key = key
            self.accept()

        def failed(message: str) -> None:
            self._running = False
            self.progress.hide()
            self._failed()
            self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setEnabled(True)
            self._update()
            show_error(self.error, message)

        # The keys change; no record the views show does.
        self.session.write(work, done, failed, changes=Change.NOTHING)

    def _failed(self) -> None:
        """What a subclass puts back when the run failed (before the error is shown)."""


class NewRecoveryKeyDialog(KeyChangeDialog):
    """Asks for the passphrase, then re-encrypts the journal under a new key; ``recovery_key``
    holds the new recovery key once it is accepted."""

    def __init__(self, session: JournalSession, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.setWindowTitle("New recovery key")
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        intro = muted(
            "Your journal will be re-encrypted under a new key, and you get a new recovery "
            "key. The old recovery key then opens nothing you write from now on. Your "
            "passphrase stays the same."
        )
        layout.addWidget(intro)
        self.limits = limits_label()
        layout.addWidget(self.limits)
        self.current = password_field("Current passphrase")
        layout.addWidget(self.current)
        self.progress = rotation_bar()
        layout.addWidget(self.progress)
        self.error = error_label()
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("Make a new recovery key")
        self.ok.setEnabled(False)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        self.current.textChanged.connect(self._update)
        layout.setSpacing(10)
        self.adjustSize()

    def _update(self, *_args: object) -> None:
        self.ok.setEnabled(bool(self.current.text()) and not self._running)

    def submit(self) -> None:
        if not self.session.is_unlocked or self._running:
            return
        passphrase = self.current.text()
        show_progress(self.progress, 0, 0)
        self._run(lambda journal: journal.new_recovery_key(passphrase,
                                                           progress=self.progressed.emit))


class OldBackupsOffer(QGroupBox):
    """After a rotation: make a new backup, and delete this journal's backups made before it
    (in the backup folder; other copies are the user's to remove)."""

    def __init__(self, session: JournalSession, controller: BackupController | None,
                 parent: QWidget | None = None) -> None:
        super().__init__("Your backups", parent)
        self.session = session
        self.controller = controller
        layout = QVBoxLayout(self)
        folder = self._folder()
        if folder is None:
            text = ("Backups and copies of your journal made before now still open with the "
                    "old passphrase and recovery key: replace them with new ones.")
        else:
            text = ("Backups made before now still open with the old passphrase and recovery "
                    f"key. Make a new one, then delete the older ones in {folder}.")
        self.note = muted(text)
        layout.addWidget(self.note)
        row = QHBoxLayout()
        self.back_up_button = QPushButton("Back up now")
        self.delete_button = QPushButton("Delete older backups…")
        row.addWidget(self.back_up_button)
        row.addWidget(self.delete_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.status = muted("")
        self.status.setAccessibleName("Backups result")
        layout.addWidget(self.status)
        self.error = error_label()
        layout.addWidget(self.error)
        available = folder is not None
        self.back_up_button.setVisible(available)
        self.delete_button.setVisible(available)
        self.back_up_button.clicked.connect(self.back_up)
        self.delete_button.clicked.connect(self.delete_older)

    def _folder(self) -> Path | None:
        if self.controller is None or not self.controller.enabled:
            return None
        policy = self.controller.policy()
        return policy.folder if policy is not None else None

    def back_up(self) -> None:
        if self.controller is None:
            return
        self.back_up_button.setEnabled(False)
        self.status.setText("Backing up…")
        show_error(self.error, "")

        def done(_run: object) -> None:
            self.back_up_button.setEnabled(True)
            self.status.setText("A new backup was made and checked: it opens with your new "
                                "passphrase and recovery key.")

        def failed(message: str) -> None:
            self.back_up_button.setEnabled(True)
            self.status.setText("")
            show_error(self.error, message)

        if not self.controller.back_up(done, failed):
            failed("A backup is already being made; try again in a moment.")

    def delete_older(self) -> None:
        from journal_app.core.recovery import BackupHeader, backups_under_an_old_key, delete_backups

        folder = self._folder()
        if folder is None or not self.session.is_unlocked:
            return
        show_error(self.error, "")

        def found(old: list[tuple[Path, BackupHeader]]) -> None:
            if not old:
                self.status.setText("No backup in the folder was made before the key changed.")
                return
            count = len(old)
            answer = QMessageBox.question(
                self, "Delete older backups?",
                f"Delete {count} backup{'s' if count != 1 else ''} of this journal made before "
                f"its key changed, from {folder}? They open with the old passphrase and "
                "recovery key. This cannot be undone.",
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
            self.session.background(
                lambda _journal: delete_backups([path for path, _header in old]), deleted,
                lambda message: show_error(self.error, message))

        def deleted(paths: list[Path]) -> None:
            count = len(paths)
            self.status.setText(f"Deleted {count} older backup{'s' if count != 1 else ''}.")

        self.session.background(lambda journal: backups_under_an_old_key(folder, journal),
                                found, lambda message: show_error(self.error, message))


def limits_label() -> QLabel:
    label = muted(LIMITS)
    label.setAccessibleName("What this cannot do")
    return label

