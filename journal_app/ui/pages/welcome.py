"""First run: create a journal (passphrase twice, then the recovery key shown once), or open
an existing data folder."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QFontDatabase, QGuiApplication, QResizeEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from journal_app.core.errors import JournalError
from journal_app.core.files import write_private_file
from journal_app.core.practice import set_level
from journal_app.core.syncdirs import outside, synced_service, synced_warning
from journal_app.core.vault import Journal
from journal_app.core.vocabulary import LEVEL_LABELS
from journal_app.ui.session import Change, JournalSession
from journal_app.ui.theme import sized_font
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
    primary_button,
    show_error,
    wrapped,
)

#: The clipboard is cleared this long after the recovery key was copied, if it still holds it.
CLIPBOARD_CLEAR_MS = 60_000


class KeyLabel(QLabel):
    """The recovery key in large fixed-width characters, on one line where it fits, else in
    lines of whole groups (4, then 2 a line): a line never ends in a dash, which a reader
    would copy as part of the key or take for a group cut in two."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._groups: list[str] = []
        self.setAccessibleName("Recovery key")
        self.setContentsMargins(10, 10, 10, 10)
        self.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        sized_font(self, 4)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

    def set_key(self, key: str) -> None:
        self._groups = key.split("-") if key else []
        self._relayout()

    def clear(self) -> None:
        self._groups = []
        super().clear()

    def _lines(self, per_line: int) -> list[str]:
        return ["-".join(self._groups[i:i + per_line])
                for i in range(0, len(self._groups), per_line)]

    def _fits(self, per_line: int, width: int) -> bool:
        metrics = self.fontMetrics()
        return all(metrics.horizontalAdvance(line) <= width for line in self._lines(per_line))

    def _relayout(self) -> None:
        if not self._groups:
            return
        room = self.contentsRect().width()
        per_line = next((n for n in (len(self._groups), 4, 2) if self._fits(n, room)), 2)
        text = "\n".join(self._lines(per_line))
        if text != self.text():
            self.setText(text)

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        if self._groups:
            margins = self.contentsMargins()
            narrowest = max(self.fontMetrics().horizontalAdvance(line) for line in self._lines(2))
            hint.setWidth(narrowest + margins.left() + margins.right())
        return hint

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._relayout()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._relayout()


class RecoveryKeyPanel(QWidget):
    """Shows a recovery key once, with copy and save, until the user confirms storing it.

    Signals:
        confirmed(): the user ticked "I have stored it" and pressed Continue.
    """

    confirmed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._key = ""
        box = card()
        layout = card_layout(box)
        layout.setSpacing(12)
        layout.addWidget(heading("Your recovery key"))
        layout.addWidget(muted(
            "If you ever forget your passphrase, this key is the only way back into your "
            "journal. It is shown once. Write it down or save it somewhere safe, away from "
            "this computer (a password manager, a printed page in a drawer)."
        ))
        self.joined_note = muted(
            "This computer's copy of the journal has a recovery key of its own: the other "
            "computers' recovery keys do not open it (the passphrase opens it everywhere).")
        self.joined_note.hide()
        layout.addWidget(self.joined_note)
        self.key_label = KeyLabel()
        layout.addWidget(self.key_label)
        row = QHBoxLayout()
        self.copy_button = QPushButton("Copy")
        self.copy_button.setAccessibleName("Copy recovery key")
        self.save_button = QPushButton("Save to a file…")
        self.save_button.setAccessibleName("Save recovery key to a file")
        row.addWidget(self.copy_button)
        row.addWidget(self.save_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.copied_note = muted("")
        layout.addWidget(self.copied_note)
        # Short, so that it fits beside its box at the largest text size; only as wide as its
        # words (a click in the empty row beyond them does not tick it).
        self.stored = QCheckBox("I stored my recovery key safely")
        layout.addWidget(self.stored, 0, Qt.AlignmentFlag.AlignLeft)
        self.continue_button = primary_button("Continue")
        self.continue_button.setEnabled(False)
        layout.addWidget(self.continue_button)
        outer = QVBoxLayout(self)
        outer.addWidget(centered(box, "Recovery key"))
        self.copy_button.clicked.connect(self.copy)
        self.save_button.clicked.connect(self.save)
        self.stored.toggled.connect(self.continue_button.setEnabled)
        self.continue_button.clicked.connect(self._continue)
        self._clear_timer = QTimer(self)
        self._clear_timer.setSingleShot(True)
        self._clear_timer.timeout.connect(self.clear_clipboard)

    def show_key(self, key: str, joined: bool = False) -> None:
        """Show ``key``; ``joined``: of a journal joined on this computer through sync."""
        self.joined_note.setVisible(joined)
        self._key = key
        self.key_label.set_key(key)
        self.stored.setChecked(False)
        self.copied_note.setText("")

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self._key)
        self.copied_note.setText("Copied. The clipboard will be cleared in a minute.")
        self._clear_timer.start(CLIPBOARD_CLEAR_MS)

    def clear_clipboard(self) -> None:
        clipboard = QGuiApplication.clipboard()
        if self._key and clipboard.text() == self._key:
            clipboard.clear()

    def save(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self, "Save recovery key", str(Path.home() / "journal-app-recovery-key.txt"),
            "Text files (*.txt)"
        )
        if name:
            self.save_to(Path(name))

    def save_to(self, path: Path) -> None:
        text = (
            "journal-app recovery key\n\n"
            f"    {self._key}\n\n"
            "Use it in journal-app with 'Use recovery key' if you forget your passphrase.\n"
        )
        try:
            write_private_file(path, text.encode())
        except JournalError as exc:
            QMessageBox.warning(self, "Not saved", exc.message)
            return
        self.copied_note.setText(
            f"Saved to {path.name}. Move it somewhere away from this computer."
        )

    def _continue(self) -> None:
        self.clear_clipboard()
        self._key = ""
        self.key_label.clear()
        self.confirmed.emit()


class JoinPanel(QWidget):
    """On a second computer: make this computer's journal from one already synced through a
    folder its sync service carries (in the worker; the journal opens when done).

    Signals:
        back(): the user went back to the welcome page.
        joined(str): the journal was joined; its recovery key (shown once) is given.
    """

    back = Signal()
    joined = Signal(str)

    def __init__(self, session: JournalSession, data_dir: Path,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        box = card()
        layout = card_layout(box)
        layout.setSpacing(10)
        layout.addWidget(heading("Join a synced journal"))
        layout.addWidget(muted(
            "Your journal already syncs from another computer through a folder your sync "
            "service carries (Syncthing, Dropbox, OneDrive…). Choose that folder as it appears "
            "on this computer, and type the journal's passphrase."))
        layout.addWidget(wrapped("The sync folder"))
        row = QHBoxLayout()
        self.folder = QLineEdit()
        self.folder.setAccessibleName("Sync folder")
        self.browse = QPushButton("Choose…")
        self.browse.setAccessibleName("Choose sync folder")
        row.addWidget(self.folder, 1)
        row.addWidget(self.browse)
        layout.addLayout(row)
        layout.addWidget(wrapped("Where to keep this computer's journal (new or empty)"))
        self.data = QLineEdit(str(data_dir))
        self.data.setAccessibleName("Journal folder")
        layout.addWidget(self.data)
        layout.addWidget(wrapped("This computer's name"))
        self.name = QLineEdit()
        self.name.setAccessibleName("This computer's name")
        self.name.setMaxLength(100)
        layout.addWidget(self.name)
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName("The journal's passphrase")
        self.passphrase.setPlaceholderText("The journal's passphrase")
        layout.addWidget(self.passphrase)
        self.error = error_label()
        layout.addWidget(self.error)
        self.busy = busy_bar()
        layout.addWidget(self.busy)
        buttons = FlowLayout()
        self.back_button = QPushButton("Back")
        self.join = primary_button("Join")
        buttons.addWidget(self.back_button)
        buttons.addStretch()
        buttons.addWidget(self.join)
        layout.addLayout(buttons)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(centered(box, "Join a synced journal"))
        self.browse.clicked.connect(self._choose)
        self.back_button.clicked.connect(self.back.emit)
        self.join.clicked.connect(self.start_join)
        self.passphrase.returnPressed.connect(self.start_join)

    def prepare(self) -> None:
        if not self.name.text():
            from journal_app.core.sync import default_name

            self.name.setText(default_name())
        self.folder.setFocus()

    def _choose(self) -> None:
        name = QFileDialog.getExistingDirectory(self, "The sync folder", self.folder.text())
        if name:
            self.folder.setText(name)

    def start_join(self) -> None:
        if self.busy.isVisible():
            return
        folder_text, data_text = self.folder.text().strip(), self.data.text().strip()
        if not folder_text or not data_text or not self.passphrase.text():
            show_error(self.error, "Choose the sync folder and type the journal's passphrase.")
            return
        show_error(self.error, "")
        self.busy.show()
        for widget in (self.folder, self.browse, self.data, self.name, self.passphrase,
                       self.join, self.back_button):
            widget.setEnabled(False)
        passphrase = self.passphrase.text()
        self.passphrase.clear()
        self.session.join_synced(Path(data_text).expanduser(), Path(folder_text).expanduser(),
                                 self.name.text().strip() or None, passphrase, self._joined,
                                 self._failed)

    def _joined(self, recovery_key: str) -> None:
        self.busy.hide()
        for widget in (self.folder, self.browse, self.data, self.name, self.passphrase,
                       self.join, self.back_button):
            widget.setEnabled(True)
        self.joined.emit(recovery_key)

    def _failed(self, message: str) -> None:
        self.busy.hide()
        for widget in (self.folder, self.browse, self.data, self.name, self.passphrase,
                       self.join, self.back_button):
            widget.setEnabled(True)
        show_error(self.error, message.replace("'journal-app sync join'", "Join"))
        self.passphrase.setFocus()


class WelcomePage(QWidget):
    """Create a new journal or open an existing folder.

    Signals:
        opened(Path): an existing journal folder was chosen (the lock screen follows).
        created(): a journal was created and its recovery key confirmed.
    """

    opened = Signal(Path)
    created = Signal()

    def __init__(self, session: JournalSession, default_dir: Path,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.stack = QStackedWidget()
        outer = QVBoxLayout(self)
        outer.addWidget(self.stack)

        box = card()
        layout = card_layout(box)
        layout.setSpacing(10)
        layout.addWidget(heading("Welcome"))
        layout.addWidget(muted(
            "journal-app keeps a private journal for the hard days of clinical work. Everything "
            "stays on this computer, encrypted with your passphrase. Nothing is ever sent anywhere."
        ))
        layout.addWidget(QLabel("Where to keep your journal"))
        row = QHBoxLayout()
        self.folder = QLineEdit(str(default_dir))
        self.folder.setAccessibleName("Journal folder")
        self.browse = QPushButton("Choose…")
        self.browse.setAccessibleName("Choose journal folder")
        row.addWidget(self.folder, 1)
        row.addWidget(self.browse)
        layout.addLayout(row)
        self.sync_note = muted("")
        self.sync_note.setAccessibleName("Synced folder warning")
        self.sync_note.hide()
        layout.addWidget(self.sync_note)
        self.keep_outside = QPushButton("Keep it outside")
        self.keep_outside.setAccessibleName("Keep the journal outside, sync through that folder")
        self.keep_outside.setToolTip("The journal goes to a folder of its own on this computer; "
                                     "once it is made, Settings ▸ Sync offers the synced folder")
        self.keep_outside.hide()
        layout.addWidget(self.keep_outside, 0, Qt.AlignmentFlag.AlignLeft)
        #: The synced folder the user first chose (the journal was kept outside): sync is
        #: offered into it once the journal is made.
        self.sync_into: Path | None = None
        self._default_dir = default_dir
        self.passphrase = NewPassphrase()
        layout.addWidget(self.passphrase)
        # The training stage: asked here, once, never as a modal at unlock (issue 14).
        layout.addSpacing(4)
        layout.addWidget(QLabel("Where are you in training?"))
        self.stage_buttons: dict[str, QRadioButton] = {}
        self.stage = QButtonGroup(self)
        for key, label in LEVEL_LABELS.items():
            button = QRadioButton(label)
            button.setAccessibleName(f"Training stage: {label}")
            self.stage.addButton(button)
            self.stage_buttons[key] = button
            layout.addWidget(button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(muted("Prompts are chosen to fit your stage. You can leave it for now "
                               "and change it any time in Settings."))
        self.error = error_label()
        layout.addWidget(self.error)
        self.busy = busy_bar()
        layout.addWidget(self.busy)
        buttons = FlowLayout()  # on two lines where one is too narrow (a large text size)
        self.open_button = QPushButton("Open an existing journal…")
        self.create_button = primary_button("Create journal")
        self.create_button.setEnabled(False)
        buttons.addWidget(self.open_button)
        buttons.addStretch()
        buttons.addWidget(self.create_button)
        layout.addLayout(buttons)
        joining = QHBoxLayout()  # a second computer: the journal is synced already
        joining.addWidget(wrapped("This journal already exists in a synced folder?"), 1)
        self.join_button = QPushButton("Join it…")
        self.join_button.setAccessibleName("Join a journal that exists in a synced folder")
        self.join_button.setToolTip("On a second computer: join the journal you sync from "
                                    "another one")
        joining.addWidget(self.join_button)
        layout.addLayout(joining)
        self.stack.addWidget(centered(box, "Start a journal"))

        self.recovery = RecoveryKeyPanel()
        self.stack.addWidget(self.recovery)
        self.join_page = JoinPanel(session, default_dir)
        self.stack.addWidget(self.join_page)
        self.join_button.clicked.connect(self.show_join)
        self.join_page.back.connect(lambda: self.stack.setCurrentIndex(0))
        self.join_page.joined.connect(self._joined)

        self.browse.clicked.connect(self._choose_folder)
        self.keep_outside.clicked.connect(self.keep_it_outside)
        self.folder.textChanged.connect(self._folder_changed)
        self.passphrase.changed.connect(self._update_button)
        self.passphrase.second.returnPressed.connect(self.create_journal)
        self.create_button.clicked.connect(self.create_journal)
        self.open_button.clicked.connect(self._open_existing)
        self.recovery.confirmed.connect(self._confirmed)
        self._folder_changed()

    def show_join(self) -> None:
        text = self.folder.text().strip()
        if text:  # never a journal's own files inside a synced folder
            chosen = Path(text).expanduser()
            self.join_page.data.setText(
                str(outside(chosen, self._default_dir) if synced_service(chosen) else chosen))
        self.join_page.prepare()
        self.stack.setCurrentWidget(self.join_page)

    def _update_button(self, _ok: bool | None = None) -> None:
        self.create_button.setEnabled(self.passphrase.acceptable() and not self.busy.isVisible())

    def _folder_changed(self) -> None:
        text = self.folder.text().strip()
        service = synced_service(Path(text)) if text else None
        self.sync_note.setText(synced_warning(service) if service else "")
        self.sync_note.setVisible(bool(service))
        self.keep_outside.setVisible(bool(service))
        if service:
            self.keep_outside.setToolTip(
                f"The journal goes to a folder of its own on this computer; once it is made, "
                f"sync through a folder inside {service} is offered (Settings ▸ Sync)")

    def keep_it_outside(self) -> None:
        """The journal in a folder of its own; sync offered into the synced folder later."""
        chosen = Path(self.folder.text().strip()).expanduser()
        self.sync_into = chosen
        self.folder.setText(str(outside(chosen, self._default_dir)))

    def _choose_folder(self) -> None:
        name = QFileDialog.getExistingDirectory(self, "Folder for your journal", self.folder.text())
        if name:
            self.folder.setText(name)

    def _open_existing(self) -> None:
        name = QFileDialog.getExistingDirectory(self, "Open a journal folder", self.folder.text())
        if name:
            self.open_existing(Path(name))

    def open_existing(self, folder: Path) -> None:
        if not Journal.exists(folder):
            show_error(self.error, "There is no journal in that folder. Choose the folder that "
                                   "holds journal.db, or create a new journal.")
            return
        self.opened.emit(folder)

    def create_journal(self) -> None:
        if not self.passphrase.acceptable() or self.busy.isVisible():
            return
        folder = Path(self.folder.text().strip()).expanduser()
        if Journal.exists(folder):
            show_error(self.error, "A journal already exists in that folder: open it instead, "
                                   "or choose another folder.")
            return
        show_error(self.error, "")
        self.busy.show()
        self._set_inputs_enabled(False)
        self.session.create(folder, self.passphrase.passphrase(), self._created, self._failed)

    def _set_inputs_enabled(self, enabled: bool) -> None:
        for w in (self.folder, self.browse, self.passphrase, self.open_button, self.join_button,
                  *self.stage_buttons.values()):
            w.setEnabled(enabled)
        self._update_button()
        if not enabled:
            self.create_button.setEnabled(False)

    def chosen_stage(self) -> str | None:
        """The training stage ticked (None: left for later)."""
        return next((key for key, b in self.stage_buttons.items() if b.isChecked()), None)

    def _created(self, recovery_key: str) -> None:
        stage = self.chosen_stage()
        if stage is not None:  # if not kept, the home panel asks again, quietly
            self.session.write(lambda journal: set_level(journal, stage),
                               on_error=lambda _message: None, changes=Change.APP_STATE)
        self.busy.hide()
        self._set_inputs_enabled(True)
        self.passphrase.clear()
        self.recovery.show_key(recovery_key)
        self.stack.setCurrentWidget(self.recovery)

    def _joined(self, recovery_key: str) -> None:
        """A journal joined through sync: its recovery key, as for a journal created here."""
        self.recovery.show_key(recovery_key, joined=True)
        self.stack.setCurrentWidget(self.recovery)

    def _failed(self, message: str) -> None:
        self.busy.hide()
        self._set_inputs_enabled(True)
        show_error(self.error, message)

    def _confirmed(self) -> None:
        self.stage.setExclusive(False)  # a next journal starts with no stage ticked
        for button in self.stage_buttons.values():
            button.setChecked(False)
        self.stage.setExclusive(True)
        self.stack.setCurrentIndex(0)
        self.created.emit()
