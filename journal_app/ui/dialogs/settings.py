"""Settings: auto-lock, appearance, spelling, the data folder, keys, integrity check, trash, and
the copies of the journal kept in its folder."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from journal_app.core.practice import forms, set_level
from journal_app.core.spelling import available_languages
from journal_app.core.vault import IntegrityReport, Journal
from journal_app.core.vocabulary import LEVEL_LABELS
from journal_app.ui.dialogs.emotion_words import EmotionWordsDialog
from journal_app.ui.dialogs.kept_copies import KeptCopiesPanel
from journal_app.ui.dialogs.rotatekey import (
    KeyChangeDialog,
    NewRecoveryKeyDialog,
    OldBackupsOffer,
    limits_label,
    rotation_bar,
)
from journal_app.ui.pages.welcome import RecoveryKeyPanel
from journal_app.ui.session import Change, JournalSession
from journal_app.ui.spelling import spelling_for
from journal_app.ui.uisettings import AUTOLOCK_CHOICES, UiSettings
from journal_app.ui.widgets import (
    FitCombo,
    FitForm,
    FlowLayout,
    NewPassphrase,
    VerticalScrollArea,
    WrapCheckBox,
    breakable,
    busy_bar,
    error_label,
    muted,
    password_field,
    show_error,
)

if TYPE_CHECKING:
    from journal_app.ui.backups import BackupController
    from journal_app.ui.syncing import SyncController


class ChangePassphraseDialog(KeyChangeDialog):
    """A new passphrase. With "Someone may have seen my passphrase" ticked, the journal is also
    re-encrypted under a new key (``recovery_key`` then holds the new recovery key)."""

    def __init__(self, session: JournalSession, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.setWindowTitle("Change passphrase")
        layout = QVBoxLayout(self)
        layout.addWidget(muted("Your entries stay as they are; only the lock changes."))
        self.current = password_field("Current passphrase")
        layout.addWidget(self.current)
        self.new = NewPassphrase()
        layout.addWidget(self.new)
        self.exposed = QCheckBox("Someone may have seen my passphrase")
        layout.addWidget(self.exposed)
        self.exposed_note = muted(
            "Then your journal is also re-encrypted under a new key and you get a new recovery "
            "key: the old passphrase and recovery key open nothing you write from now on, even "
            "with a copy of an old backup."
        )
        layout.addWidget(self.exposed_note)
        self.limits = limits_label()
        layout.addWidget(self.limits)
        self.error = error_label()
        layout.addWidget(self.error)
        self.busy = busy_bar()
        layout.addWidget(self.busy)
        self.progress = rotation_bar()
        layout.addWidget(self.progress)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("Change passphrase")
        self.ok.setEnabled(False)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        self.new.changed.connect(self._update)
        self.current.textChanged.connect(self._update)
        self.exposed.toggled.connect(self._exposed_toggled)
        self._exposed_toggled(False)

    def _exposed_toggled(self, on: bool) -> None:
        self.exposed_note.setVisible(on)
        self.limits.setVisible(on)
        self.ok.setText("Change passphrase and key" if on else "Change passphrase")
        self.adjustSize()

    def _update(self, *_args: object) -> None:
        self.ok.setEnabled(bool(self.current.text()) and self.new.acceptable()
                           and not self._running)

    def submit(self) -> None:
        if not self.session.is_unlocked or self._running:
            return
        current, new = self.current.text(), self.new.passphrase()
        rotate = self.exposed.isChecked()
        self.exposed.setEnabled(False)
        (self.progress if rotate else self.busy).show()

        def work(journal: Journal) -> str | None:
            journal.check_passphrase(current)
            if rotate:
                return journal.rotate_key(new, progress=self.progressed.emit)
            journal.change_passphrase(new)
            return None

        self._run(work)

    def _failed(self) -> None:
        self.busy.hide()
        self.exposed.setEnabled(True)


class RecoveryKeyDialog(QDialog):
    """The new recovery key after the journal's key changed, shown once, with what that cannot
    do and an offer to replace the backups made before."""

    def __init__(self, key: str, parent: QWidget | None = None,
                 backups: OldBackupsOffer | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New recovery key")
        layout = QVBoxLayout(self)
        layout.addWidget(muted("Your journal was re-encrypted under a new key. Your old recovery "
                               "key no longer opens it. Store this one safely."))
        self.panel = RecoveryKeyPanel()
        self.panel.show_key(key)
        layout.addWidget(self.panel)
        self.backups = backups
        if backups is not None:
            layout.addWidget(backups)
        self.panel.confirmed.connect(self.accept)


class SpellingPanel(QGroupBox):
    """Spell checking on or off, its language (those the word lists ship), and the user's own
    words with Remove. The words are read from and written to the journal (encrypted); the
    switch and the language are interface settings."""

    def __init__(self, session: JournalSession, settings: UiSettings,
                 parent: QWidget | None = None) -> None:
        super().__init__("Spelling", parent)
        self.session = session
        self.settings = settings
        self.service = spelling_for(session)
        form = FitForm(self)
        self.enabled = WrapCheckBox("Underline misspelt words as I write")
        self.enabled.setChecked(settings.spell_check)
        form.addRow(self.enabled)
        self.language = QComboBox()
        self.language.setAccessibleName("Spelling language")
        for code, name in available_languages().items():
            self.language.addItem(name, code)
        self.language.setCurrentIndex(max(0, self.language.findData(self.service.language)))
        form.addRow("Language", self.language)
        self.words = QListWidget()
        self.words.setAccessibleName("My words")
        self.words.setSelectionMode(QListWidget.SelectionMode.ExtendedSelection)
        self.words.setMaximumHeight(110)
        self.words.setWordWrap(True)
        self.words.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.remove_button = QPushButton("Remove")
        self.remove_button.setAccessibleName("Remove from my words")
        row = QHBoxLayout()
        row.addWidget(self.words, 1)
        row.addWidget(self.remove_button, 0, Qt.AlignmentFlag.AlignTop)
        form.addRow("My words", row)
        self.note = muted("Right-click an underlined word and choose “Add to my words”. Your "
                          "words are kept encrypted in your journal, with the names you asked "
                          "to hide when sharing, which count as spelt right too. Checking "
                          "happens on this computer only.")
        form.addRow(self.note)
        self.error = error_label()
        form.addRow(self.error)
        self._show_words()
        self.enabled.toggled.connect(self._changed)
        self.language.currentIndexChanged.connect(self._changed)
        self.remove_button.clicked.connect(self.remove_selected)
        self.words.itemSelectionChanged.connect(self._update)
        self.service.changed.connect(self._show_words)

    def _show_words(self) -> None:
        words = self.service.own_words()
        shown = [self.words.item(i) for i in range(self.words.count())]
        if shown and [i.text() for i in shown if i.flags()] == words:
            return  # unchanged (the placeholder, which has no flags, shows when empty)
        self.words.clear()
        self.words.addItems(words)
        if not words:
            self.words.addItem("None yet")
            self.words.item(0).setFlags(Qt.ItemFlag.NoItemFlags)
        self._update()

    def _update(self) -> None:
        self.remove_button.setEnabled(bool(self.words.selectedItems()))
        self.language.setEnabled(self.enabled.isChecked())

    def _changed(self) -> None:
        self.settings.spell_check = self.enabled.isChecked()
        language = str(self.language.currentData() or "")
        self.settings.spell_language = language
        self.service.configure(self.enabled.isChecked(), language)
        self._update()

    def remove_selected(self) -> None:
        chosen = [item.text() for item in self.words.selectedItems()]
        if chosen and self.session.is_unlocked:
            self.service.remove_words(chosen, lambda _left: self._show_words(),
                                      lambda message: show_error(self.error, message))


class SettingsDialog(QDialog):
    """Signals:
    appearance_changed(): theme or text size changed (the window re-applies them).
    """

    appearance_changed = Signal()
    #: The rotation length or the wellbeing check setting changed.
    assessments_changed = Signal()
    #: Streaks were turned on or off (an open Trends window redraws).
    streaks_changed = Signal()
    #: "On this day" was turned on or off, or its heavy entries.
    on_this_day_changed = Signal()
    #: The training stage changed (the home panel chooses today's prompt again).
    level_changed = Signal()
    #: An emotion word was kept, replaced or removed (Your emotion words): the entry open in
    #: the editor is shown again as stored, so an autosave cannot write the old word back.
    emotion_words_changed = Signal()

    def __init__(self, session: JournalSession, settings: UiSettings,
                 parent: QWidget | None = None,
                 backups: BackupController | None = None,
                 syncing: SyncController | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.settings = settings
        self.backups = backups
        self.syncing = syncing
        self.setWindowTitle("Settings")
        outer = QVBoxLayout(self)
        # The groups scroll on a screen too short for all of them (a laptop at 768 px, a large
        # text size) instead of being squeezed; Close stays in view below them.
        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(0, 0, 0, 0)
        self.scroll_area = VerticalScrollArea(content)  # as wide as the groups need
        self.scroll_area.setAccessibleName("Settings")
        outer.addWidget(self.scroll_area, 1)

        privacy = QGroupBox("Locking")
        form = FitForm(privacy)  # narrow: labels above their fields
        self.autolock = QComboBox()
        self.autolock.setAccessibleName("Lock after idle time")
        for minutes in AUTOLOCK_CHOICES:
            self.autolock.addItem(f"{minutes} minute{'s' if minutes != 1 else ''}", minutes)
        idx = self.autolock.findData(settings.autolock_minutes)
        self.autolock.setCurrentIndex(idx if idx >= 0 else AUTOLOCK_CHOICES.index(5))
        form.addRow("Lock when idle for", self.autolock)
        form.addRow(muted("It also locks when the computer sleeps, and with Ctrl+L."))
        layout.addWidget(privacy)

        training = QGroupBox("Your training")
        form = FitForm(training)
        self.level = FitCombo(elide=True)  # "Clinical years (clerkships)" may shorten
        self.level.setAccessibleName("Where you are in training")
        self.level.addItem("Not set (prompts for the pre-clinical years)", None)
        for key, label in LEVEL_LABELS.items():
            self.level.addItem(label, key)
        state = session.read_or(lambda journal: journal.app_state(), None)
        current = state.level if state is not None else None
        self.level.setCurrentIndex(max(0, self.level.findData(current)) if current else 0)
        form.addRow("Where you are", self.level)
        form.addRow(muted("Prompts are chosen for this stage. Kept encrypted in your journal."))
        self.rotation_weeks = QSpinBox()
        self.rotation_weeks.setRange(1, 52)
        self.rotation_weeks.setSuffix(" weeks")
        self.rotation_weeks.setAccessibleName("Rotation length")
        default_days = forms()["competency"].every_days
        days = state.rotation_days if state is not None and state.rotation_days else default_days
        self.rotation_weeks.setValue(max(1, round(days / 7)))
        form.addRow("Rotations last", self.rotation_weeks)
        self.wellbeing_check = WrapCheckBox("Offer a monthly wellbeing check")
        self.wellbeing_check.setChecked(state.wellbeing_check if state is not None else True)
        form.addRow(self.wellbeing_check)
        form.addRow(muted("A self-assessment is offered at the end of each rotation."))
        self.show_streaks = WrapCheckBox("Show check-in and writing streaks in Trends")
        self.show_streaks.setChecked(state.show_streaks if state is not None else False)
        form.addRow(self.show_streaks)
        layout.addWidget(training)

        looking_back = QGroupBox("Looking back")
        column = QVBoxLayout(looking_back)
        self.on_this_day = WrapCheckBox("Show “On this day” on the home panel")
        self.on_this_day.setChecked(settings.on_this_day)
        self.on_this_day_heavy = WrapCheckBox("Include entries about a death, a code or grief")
        self.on_this_day_heavy.setChecked(settings.on_this_day_heavy)
        self.on_this_day_heavy.setEnabled(settings.on_this_day)
        for box in (self.on_this_day, self.on_this_day_heavy):
            box.setStyleSheet("QCheckBox { spacing: 8px; }")
        column.addWidget(self.on_this_day)
        heavy_row = QHBoxLayout()
        heavy_row.addSpacing(24)  # under the choice it depends on
        heavy_row.addWidget(self.on_this_day_heavy, 1)
        column.addLayout(heavy_row)
        column.addWidget(muted(
            "Entries written on this date in earlier years. Those about a patient's death, a "
            "code or your own grief stay out unless you include them too."))
        layout.addWidget(looking_back)

        look = QGroupBox("Appearance")
        form = FitForm(look)
        self.theme = QComboBox()
        self.theme.setAccessibleName("Theme")
        for key, label in (("system", "Follow the system"), ("light", "Light"), ("dark", "Dark")):
            self.theme.addItem(label, key)
        self.theme.setCurrentIndex(max(0, self.theme.findData(settings.theme)))
        self.text_size = QSpinBox()
        self.text_size.setRange(8, 28)
        self.text_size.setSuffix(" pt")
        self.text_size.setValue(settings.text_size)
        self.text_size.setAccessibleName("Text size")
        form.addRow("Theme", self.theme)
        form.addRow("Text size", self.text_size)
        layout.addWidget(look)

        self.spelling = SpellingPanel(session, settings)
        layout.addWidget(self.spelling)

        data = QGroupBox("Your journal")
        dv = QVBoxLayout(data)
        folder = str(session.data_dir) if session.data_dir else ""
        self.folder_label = QLabel(breakable(folder))  # a long path wraps at its separators
        self.folder_label.setWordWrap(True)
        self.folder_label.setAccessibleName("Data folder")
        row = QHBoxLayout()
        row.addWidget(self.folder_label, 1)
        self.open_folder = QPushButton("Open folder")
        row.addWidget(self.open_folder)
        dv.addLayout(row)
        keys = FlowLayout()  # on more lines where narrow
        self.change_pass = QPushButton("Change passphrase…")
        self.new_key = QPushButton("New recovery key…")
        keys.addWidget(self.change_pass)
        keys.addWidget(self.new_key)
        dv.addLayout(keys)
        checks = FlowLayout()
        self.verify_button = QPushButton("Check integrity")
        self.empty_trash_button = QPushButton("Empty trash…")
        self.emotion_words_button = QPushButton("Your emotion words…")
        self.emotion_words_button.setToolTip(
            "Emotion words that are not in the list: keep them as your own, or tidy them")
        checks.addWidget(self.verify_button)
        checks.addWidget(self.empty_trash_button)
        checks.addWidget(self.emotion_words_button)
        dv.addLayout(checks)
        self.busy = busy_bar()
        dv.addWidget(self.busy)
        self.result_label = muted("")
        self.result_label.setAccessibleName("Result")
        dv.addWidget(self.result_label)
        self.error = error_label()
        dv.addWidget(self.error)
        layout.addWidget(data)

        self.copies = KeptCopiesPanel(session.data_dir)
        layout.addWidget(self.copies)

        sync = QGroupBox("Sync")
        sync_column = QVBoxLayout(sync)
        self.sync_summary = muted("")
        self.sync_summary.setAccessibleName("Sync")
        sync_column.addWidget(self.sync_summary)
        self.sync_button = QPushButton("Sync…")
        self.sync_button.setToolTip("Set up sync, see this journal's computers, remove one, "
                                    "or leave")
        sync_column.addWidget(self.sync_button, 0, Qt.AlignmentFlag.AlignLeft)
        sync.setVisible(syncing is not None and syncing.enabled)
        layout.addWidget(sync)
        self._sync_summary()

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.accept)
        outer.addWidget(buttons)
        self.resize(560, content.sizeHint().height() + buttons.sizeHint().height() + 40)

        self.autolock.currentIndexChanged.connect(self._autolock_changed)
        self.level.currentIndexChanged.connect(self._level_changed)
        self.rotation_weeks.valueChanged.connect(self._assessments_changed)
        self.wellbeing_check.toggled.connect(self._assessments_changed)
        self.show_streaks.toggled.connect(self._streaks_changed)
        self.on_this_day.toggled.connect(self._on_this_day_changed)
        self.on_this_day_heavy.toggled.connect(self._on_this_day_changed)
        self.theme.currentIndexChanged.connect(self._appearance)
        self.text_size.valueChanged.connect(self._appearance)
        self.open_folder.clicked.connect(self._open_folder)
        self.change_pass.clicked.connect(self._change_passphrase)
        self.new_key.clicked.connect(self._new_recovery_key)
        self.verify_button.clicked.connect(self.check_integrity)
        self.empty_trash_button.clicked.connect(self._empty_trash)
        self.emotion_words_button.clicked.connect(self.show_emotion_words)
        self.sync_button.clicked.connect(self.show_sync)

    def _sync_summary(self) -> None:
        if self.syncing is None:
            return
        if self.syncing.active:
            text, _warn = self.syncing.describe()
            end = "" if text.endswith(("…", ".")) else "."
            self.sync_summary.setText(f"This journal syncs. {text}{end}")
        else:
            self.sync_summary.setText(
                "Use this journal on several computers, through a folder your sync service "
                "(Syncthing, Dropbox, OneDrive…) carries: it holds only encrypted files.")

    def show_sync(self) -> None:
        if self.syncing is None:
            return
        from journal_app.ui.dialogs.sync import SyncDialog

        SyncDialog(self.session, self.syncing, self).exec()
        self._sync_summary()

    def _level_changed(self) -> None:
        if not self.session.is_unlocked:
            return
        level = self.level.currentData()
        # Today's prompt is chosen again; the result line says why when it was not stored.
        self.session.write(lambda journal: set_level(journal, level),
                           lambda _r: self.level_changed.emit(), self.result_label.setText,
                           changes=Change.APP_STATE)

    def _assessments_changed(self) -> None:
        if not self.session.is_unlocked:
            return
        days = min(366, max(7, 7 * self.rotation_weeks.value()))
        wellbeing = self.wellbeing_check.isChecked()

        def change(journal: Journal) -> None:
            journal.update_app_state(
                lambda s: replace(s, rotation_days=days, wellbeing_check=wellbeing))

        self.session.write(change, lambda _r: self.assessments_changed.emit(),
                           self.result_label.setText, changes=Change.APP_STATE)

    def _streaks_changed(self) -> None:
        if not self.session.is_unlocked:
            return
        show = self.show_streaks.isChecked()

        def change(journal: Journal) -> None:
            journal.update_app_state(lambda s: replace(s, show_streaks=show))

        self.session.write(change, lambda _r: self.streaks_changed.emit(),
                           self.result_label.setText, changes=Change.APP_STATE)

    def _on_this_day_changed(self) -> None:
        self.settings.on_this_day = self.on_this_day.isChecked()
        self.on_this_day_heavy.setEnabled(self.on_this_day.isChecked())
        self.settings.on_this_day_heavy = self.on_this_day_heavy.isChecked()
        self.on_this_day_changed.emit()

    def _autolock_changed(self) -> None:
        self.settings.autolock_minutes = int(self.autolock.currentData())

    def _appearance(self) -> None:
        self.settings.theme = str(self.theme.currentData())
        self.settings.text_size = self.text_size.value()
        self.appearance_changed.emit()

    def _open_folder(self) -> None:
        if self.session.data_dir:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.session.data_dir)))

    def _change_passphrase(self) -> None:
        dialog = ChangePassphraseDialog(self.session, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        if dialog.recovery_key is None:
            self.result_label.setText("Your passphrase was changed.")
            return
        self._show_key(dialog.recovery_key)
        self.result_label.setText("Your passphrase was changed and your journal re-encrypted "
                                  "under a new key; the old recovery key no longer works.")

    def _new_recovery_key(self) -> None:
        dialog = NewRecoveryKeyDialog(self.session, self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.recovery_key is not None:
            self._show_key(dialog.recovery_key)
            self.result_label.setText("A new recovery key was made; the old one no longer works.")

    def _show_key(self, key: str) -> None:
        offer = OldBackupsOffer(self.session, self.backups)
        RecoveryKeyDialog(key, self, offer).exec()

    def check_integrity(self) -> None:
        self.busy.show()
        self.result_label.setText("Checking every record…")
        self.session.verify(self._verified, self._verify_failed)

    def _verified(self, report: IntegrityReport) -> None:
        self.busy.hide()
        if report.ok:
            self.result_label.setText(f"All is well: {report.records_checked} records checked, "
                                "none damaged.")
        else:
            self.result_label.setText("Problems found:\n" + "\n".join(report.problems[:10]))

    def _verify_failed(self, message: str) -> None:
        self.busy.hide()
        self.result_label.setText("")
        show_error(self.error, message)

    def show_emotion_words(self) -> None:
        if not self.session.is_unlocked:
            return
        dialog = EmotionWordsDialog(self.session, self)
        dialog.changed.connect(self.emotion_words_changed)
        dialog.exec()

    def _empty_trash(self) -> None:
        count = len(self.session.entries(trash=True))
        # Attachments removed from entries wait in the trash too.
        attachments = len(self.session.removed_attachments())
        if count == 0 and attachments == 0:
            self.result_label.setText("The trash is already empty.")
            return
        what = " and ".join(
            [f"{count} entr{'y' if count == 1 else 'ies'}"] * bool(count)
            + [f"{attachments} attachment{'' if attachments == 1 else 's'}"] * bool(attachments))
        answer = QMessageBox.question(
            self, "Empty the trash?", f"Remove {what} for good? This cannot be undone.",
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.session.write(lambda journal: journal.empty_trash(),
                               lambda _n: self.result_label.setText(f"Removed {what}."),
                               self.result_label.setText, changes=Change.ENTRIES)
