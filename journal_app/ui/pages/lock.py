"""The lock screen: passphrase, a clear message when it is wrong, and the recovery-key path.

It is the first thing the app shows, before the journal service is loaded (see docs/design.md,
"Start-up: what the lock screen imports"): this module imports Qt and the light base modules
only, and the page can be built without a session. An unlock or a recovery asked for before the
session is there waits for :meth:`LockPage.attach`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from journal_app.ui import messages
from journal_app.ui.widgets import (
    FlowLayout,
    NewPassphrase,
    busy_bar,
    card,
    card_layout,
    centered,
    error_label,
    heading,
    muted,
    password_field,
    primary_button,
    show_error,
)

if TYPE_CHECKING:
    from journal_app.ui.session import JournalSession


class RecoveryDialog(QDialog):
    """Recovery key plus a new passphrase (twice)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Use your recovery key")
        layout = QVBoxLayout(self)
        layout.addWidget(muted(
            "Type the recovery key you stored when you created the journal (capitals, spaces "
            "and dashes do not matter), then choose a new passphrase."
        ))
        self.key = password_field("Recovery key")
        self.key.setEchoMode(self.key.EchoMode.Normal)
        self.key.setPlaceholderText("XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX")
        layout.addWidget(self.key)
        self.passphrase = NewPassphrase()
        layout.addWidget(self.passphrase)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("Recover")
        self.ok.setEnabled(False)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.key.textChanged.connect(self._update)
        self.passphrase.changed.connect(self._update)

    def _update(self, *_args: object) -> None:
        self.ok.setEnabled(bool(self.key.text().strip()) and self.passphrase.acceptable())


class LockPage(QWidget):
    """Signals:
    switch_folder(): the user wants to open or create a different journal.
    support_requested(): the support and crisis lines, without unlocking (nothing private).
    rescue_requested(str): the journal's file is damaged and the user wants to rescue what can
        still be read (with the passphrase typed so far, which may be empty).
    """

    switch_folder = Signal()
    support_requested = Signal()
    rescue_requested = Signal(str)

    def __init__(self, session: JournalSession | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        #: None while the app is still loading (the lock screen is shown first): see attach.
        self.session = session
        #: An unlock or recovery asked for before there was a session; run by attach.
        self._waiting: Callable[[JournalSession], None] | None = None
        box = card()
        layout = card_layout(box)
        layout.setSpacing(10)
        self.title = heading(messages.LOCKED_TITLE)
        layout.addWidget(self.title)
        self.where = muted("")
        layout.addWidget(self.where)
        self.passphrase = password_field("Passphrase")
        layout.addWidget(self.passphrase)
        self.error = error_label()
        layout.addWidget(self.error)
        self.busy = busy_bar()
        layout.addWidget(self.busy)
        row = FlowLayout()  # on two lines where one is too narrow (a large text size)
        self.recovery_button = QPushButton("Use recovery key…")
        self.recovery_button.setToolTip("Forgot your passphrase? Open with your recovery key.")
        self.recovery_button.setFlat(True)
        self.other_button = QPushButton("Other journal…")
        self.other_button.setFlat(True)
        self.rescue_button = QPushButton("Rescue what can be read…")
        self.rescue_button.setToolTip(
            "Copy everything that can still be read into a new journal; the damaged one stays"
            " as it is.")
        self.rescue_button.hide()
        self.unlock_button = primary_button("Unlock")
        row.addWidget(self.recovery_button)
        row.addWidget(self.other_button)
        row.addWidget(self.rescue_button)
        row.addStretch()
        row.addWidget(self.unlock_button)
        layout.addLayout(row)
        self.support_button = QPushButton("Support and crisis lines")
        self.support_button.setFlat(True)
        self.support_button.setProperty("muted", True)
        self.support_button.setToolTip("People you can talk to, any time. You do not need to "
                                       "unlock the journal to see them.")
        support_row = QHBoxLayout()
        support_row.addStretch(1)
        support_row.addWidget(self.support_button)
        support_row.addStretch(1)
        layout.addLayout(support_row)
        outer = QVBoxLayout(self)
        outer.addWidget(centered(box, "Unlock"))
        self.unlock_button.clicked.connect(self.unlock)
        self.passphrase.returnPressed.connect(self.unlock)
        self.recovery_button.clicked.connect(self.use_recovery_key)
        self.other_button.clicked.connect(self.switch_folder.emit)
        self.support_button.clicked.connect(self.support_requested.emit)
        self.rescue_button.clicked.connect(
            lambda: self.rescue_requested.emit(self.passphrase.text()))
        #: The folder of a journal that could not even be opened (None when it opened).
        self.damaged_folder: Path | None = None

    def attach(self, session: JournalSession) -> None:
        """The session is there (the app has loaded and opened the journal): run the unlock or
        recovery asked for meanwhile, if any."""
        self.session = session
        waiting, self._waiting = self._waiting, None
        if waiting is not None:
            waiting(session)

    def _with_session(self, action: Callable[[JournalSession], None]) -> None:
        if self.session is None:
            self._waiting = action  # the page stays busy until attach runs it
        else:
            action(self.session)

    def show_folder(self, folder: Path | None) -> None:
        self.where.setText(f"Journal folder: {folder}" if folder else "")

    def reset(self) -> None:
        self._waiting = None
        self.passphrase.clear()
        show_error(self.error, "")
        self.damaged_folder = None
        self.title.setText(messages.LOCKED_TITLE)
        self.rescue_button.hide()
        self.unlock_button.show()
        self.recovery_button.show()
        self._busy(False)
        self.show_folder(self.session.data_dir if self.session is not None else None)
        self.passphrase.setFocus()

    def show_damaged(self, folder: Path, message: str) -> None:
        """The journal in ``folder`` cannot be opened: say why and offer the rescue."""
        self.reset()
        self.damaged_folder = folder
        self.title.setText("This journal cannot be opened")
        self.where.setText(f"Journal folder: {folder}")
        self.unlock_button.hide()
        self.recovery_button.hide()
        self._offer_rescue(message)

    def _busy(self, busy: bool) -> None:
        self.busy.setVisible(busy)
        for w in (self.passphrase, self.unlock_button, self.recovery_button, self.other_button,
                  self.rescue_button):
            w.setEnabled(not busy)

    def unlock(self) -> None:
        text = self.passphrase.text()
        if self.damaged_folder is not None:  # nothing to unlock: Enter rescues
            self.rescue_requested.emit(text)
            return
        if not text or self.busy.isVisible():
            return
        show_error(self.error, "")
        self._busy(True)
        self._with_session(lambda session: session.unlock(text, self._failed, self._damaged))

    def _damaged(self, message: str) -> None:
        self._busy(False)
        self._offer_rescue(message)

    def _offer_rescue(self, message: str) -> None:
        show_error(self.error, message + " You can rescue everything that can still be read"
                   " into a new journal: type your passphrase and choose Rescue.")
        self.rescue_button.show()
        self.rescue_button.setDefault(True)
        self.passphrase.setFocus()

    def _failed(self, message: str) -> None:
        self._busy(False)
        show_error(self.error, message + (
            " Check Caps Lock and try again; there is no limit on tries."
            if "passphrase" in message else ""
        ))
        self.passphrase.selectAll()
        self.passphrase.setFocus()

    def use_recovery_key(self) -> None:
        dialog = RecoveryDialog(self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self.recover(dialog.key.text(), dialog.passphrase.passphrase())

    def recover(self, key: str, new_passphrase: str) -> None:
        show_error(self.error, "")
        self._busy(True)
        self._with_session(lambda session: session.recover(key, new_passphrase, self._failed))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.passphrase.setFocus()


__all__ = ["LockPage", "QLabel", "RecoveryDialog"]
