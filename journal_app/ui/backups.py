"""Automatic backups in the app: when one is due, make it in the worker thread.

The controller reads the schedule from the interface settings (the folder is a path, not
journal text) and the last good backup from the vault. While the journal is unlocked it looks
every few minutes whether a backup is due and, if so, makes one in the session's worker (the
window never waits for it; locking waits for it to finish, like a save). A failure (a drive
unplugged, a full disk) is one plain sentence in the message bar; it tries again an hour later.
Nothing in the journal is touched by a failed backup.

Signals:
    changed(): a backup was made, or the settings changed: status lines refresh.
    failed(str): an automatic backup failed (a plain sentence, no journal text).
    running(bool): a backup started (True) or ended (False).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel, QWidget

from journal_app.core.records import BackupState
from journal_app.core.recovery import (
    BackupPolicy,
    BackupRun,
    describe_last_backup,
    last_backup,
)
from journal_app.ui.session import Change, JournalSession
from journal_app.ui.uisettings import UiSettings

#: How often to look whether a backup is due while unlocked, and how soon after unlocking.
CHECK_MS = 10 * 60 * 1000
FIRST_CHECK_MS = 15_000
#: After a failed automatic backup, wait this long before the next try.
RETRY_S = 3600.0


class BackupController(QObject):
    changed = Signal()
    failed = Signal(str)
    running = Signal(bool)

    def __init__(self, session: JournalSession, settings: UiSettings,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.settings = settings
        self.enabled = True  # False in the demo: it must not write to the user's folders
        self._busy = False
        self._failed_at: float | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(CHECK_MS)
        self._timer.timeout.connect(self.check)
        self._first = QTimer(self)
        self._first.setSingleShot(True)
        self._first.timeout.connect(self.check)
        session.unlocked.connect(self.start)
        session.locked.connect(self.stop)

    # ------------------------------------------------------------ state

    @property
    def busy(self) -> bool:
        return self._busy

    def policy(self) -> BackupPolicy | None:
        """The policy for "Back up now" and automatic backups (None without a folder)."""
        folder = self.settings.backup_folder
        if not folder:
            return None
        return BackupPolicy(Path(folder), self.settings.backup_every_days,
                            self.settings.backup_keep)

    def last_good(self) -> BackupState | None:
        return self.session.read_or(last_backup, None)

    def status(self, when: datetime | None = None) -> tuple[str, bool]:
        """The "Last good backup: ..." line and whether it warns."""
        state = self.last_good()
        auto = self.settings.backup_enabled and bool(self.settings.backup_folder)
        return describe_last_backup(state.last_good if state else None, auto, when)

    # ------------------------------------------------------------ scheduling

    def start(self) -> None:
        if not self.enabled:
            return
        self._timer.start()
        self._first.start(FIRST_CHECK_MS)
        self.changed.emit()

    def stop(self) -> None:
        self._timer.stop()
        self._first.stop()
        self.changed.emit()

    def settings_changed(self) -> None:
        """The folder or schedule changed: a failure no longer holds back a try."""
        self._failed_at = None
        self.changed.emit()
        if self.session.is_unlocked and self.enabled:
            self._first.start(FIRST_CHECK_MS)

    def due(self) -> bool:
        policy = self.policy()
        if (not self.enabled or policy is None or not self.settings.backup_enabled
                or not self.session.is_unlocked):
            return False
        if self._failed_at is not None and time.monotonic() - self._failed_at < RETRY_S:
            return False
        return self.session.read(policy.due_for)

    def check(self) -> bool:
        """Start an automatic backup if one is due. Returns whether one was started."""
        if self._busy or not self.due():
            return False
        self.back_up(on_error=self._auto_failed)
        return True

    # ------------------------------------------------------------ making one

    def back_up(self, on_done: Callable[[BackupRun], None] | None = None,
                on_error: Callable[[str], None] | None = None) -> bool:
        """Make a backup now, in the worker; False if none can start (no folder, locked, busy)."""
        policy = self.policy()
        if policy is None or not self.session.is_unlocked or self._busy or not self.enabled:
            return False
        self._busy = True
        self.running.emit(True)

        def done(result: BackupRun) -> None:
            self._busy = False
            self._failed_at = None
            self.running.emit(False)
            self.changed.emit()
            if on_done is not None:
                on_done(result)

        def failed(message: str) -> None:
            self._busy = False
            self.running.emit(False)
            if on_error is not None:
                on_error(message)
            else:
                self.failed.emit(message)

        # The run records itself in the journal (the last good backup): a write.
        self.session.write(policy.run, done, failed, changes=Change.APP_STATE)
        return True

    def _auto_failed(self, message: str) -> None:
        self._failed_at = time.monotonic()
        self.failed.emit(
            f"The automatic backup was not made: {message} Your journal is safe; "
            "it will try again in an hour, or use Journal › Backups… to back up now."
        )


class BackupStatusLabel(QLabel):
    """The last good backup in the status bar, as a link to the Backups dialog."""

    def __init__(self, controller: BackupController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.setAccessibleName("Last good backup")
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setContentsMargins(6, 0, 6, 0)
        self.warning = False
        controller.changed.connect(self.refresh)
        controller.running.connect(lambda _on: self.refresh())

    def refresh(self) -> None:
        if not self.controller.session.is_unlocked or not self.controller.enabled:
            self.clear()
            self.setToolTip("")
            self.warning = False
            return
        if self.controller.busy:
            text, warn = "Backing up…", False
        else:
            text, warn = self.controller.status()
        self.warning = warn
        shown = f"{text} — back up soon" if warn else text
        self.setText(f'<a href="backups">{shown}</a>')
        self.setToolTip("Backups: choose a folder, back up now or restore (Journal › Backups…)")
