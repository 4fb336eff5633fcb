"""The main window: first run, lock screen and journal pages, menus, shortcuts, auto-lock.

:class:`MainWindow` completes a :class:`~journal_app.ui.shell.startwindow.StartWindow`: built at
once (``MainWindow(...)``), or, at start-up, by :meth:`MainWindow.complete` on the start window
already on screen, once this module and everything it needs were loaded behind the lock screen.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime
from datetime import time as dtime
from pathlib import Path
from typing import ClassVar, cast

from PySide6.QtCore import QDate, QEvent, QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFrame,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from journal_app.core.errors import JournalError, VaultDamagedError
from journal_app.core.practice import (
    GOOD_MOMENT_TEMPLATE,
    Library,
    OfferLog,
    SupportResource,
    TodaysFit,
    asked_reflection,
    checkin_is_severe,
    entry_is_severe,
    library_with_custom,
    load_library,
    next_series_day,
    programme_support,
    severe_pattern,
    todays_fit,
    unfinished_reflections,
    wellbeing_is_severe,
)
from journal_app.core.records import (
    CheckIn,
    Entry,
    Reflection,
    SelfAssessment,
    SupportContact,
    WaitingReflection,
)
from journal_app.core.recovery import KEYS_CURRENT, PreparedRestore, RestoreResult
from journal_app.core.vault import Journal
from journal_app.ui.backups import BackupController, BackupStatusLabel
from journal_app.ui.dialogs.about import about_dialog, help_dialog
from journal_app.ui.dialogs.backups import BackupsDialog, when_text
from journal_app.ui.dialogs.history import HistoryDialog
from journal_app.ui.dialogs.myprompts import MyPromptsDialog
from journal_app.ui.dialogs.reminders import RemindersDialog
from journal_app.ui.dialogs.settings import SettingsDialog
from journal_app.ui.dialogs.trash import TrashDialog
from journal_app.ui.pages.welcome import WelcomePage
from journal_app.ui.practice.assessment import AssessmentDialog
from journal_app.ui.practice.picker import ReflectionPicker
from journal_app.ui.practice.quickcheckin import QuickCheckInDialog
from journal_app.ui.practice.support import SupportDialog, SupportPanel, default_country
from journal_app.ui.reminders import (
    REMINDER_MESSAGE,
    REMINDER_TITLE,
    ReminderScheduler,
    TrayNotifier,
)
from journal_app.ui.session import Change, JournalSession, user_message
from journal_app.ui.sharing.controller import SharingController
from journal_app.ui.shell.demo import DEMO_TITLE, NO_BACKUPS, NO_REMINDERS, explain
from journal_app.ui.shell.gcguard import (
    freeze_long_lived,
    hold_while_loading,
    unfreeze_long_lived,
)
from journal_app.ui.shell.platform_lock import PlatformLockWatcher
from journal_app.ui.shell.readonly import ReadOnlyBanner, confirm_repair
from journal_app.ui.shell.startwindow import StartWindow
from journal_app.ui.spelling import spelling_for
from journal_app.ui.syncing import SyncController, SyncStatusLabel
from journal_app.ui.theme import apply_theme
from journal_app.ui.uisettings import UiSettings
from journal_app.ui.widgets import DialogFitter, screen_area
from journal_app.ui.writing.journalpage import JournalPage
from journal_app.ui.writing.reflection import ReflectionWizard

#: How often the idle and sleep check runs, and how often other programs' writes are looked for.
CHECK_INTERVAL_MS = 1000
OUTSIDE_CHANGES_MS = 3000
#: A jump of the boot clock over the monotonic clock this large means the system slept.
SLEEP_GAP_S = 20.0


def _monotonic() -> float:
    """The idle clock (a module function, like ``_boot_clock``, so tests can drive both)."""
    return time.monotonic()


def _boot_clock() -> float:
    try:
        return time.clock_gettime(time.CLOCK_BOOTTIME)  # counts time asleep (Linux)
    except (AttributeError, OSError):
        return time.time()


class IdleWatcher(QObject):
    """Tracks keyboard and mouse activity and notices when the system slept.

    Signals:
        idle(): no activity for ``limit_ms``.
        slept(): the machine was suspended (time passed that the monotonic clock did not see).
    """

    idle = Signal()
    slept = Signal()

    def __init__(self, limit_ms: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.limit_ms = limit_ms
        self._last = _monotonic()
        self._mono = _monotonic()
        self._boot = _boot_clock()
        self._timer = QTimer(self)
        self._timer.setInterval(CHECK_INTERVAL_MS)
        self._timer.timeout.connect(self.check)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    _ACTIVITY: ClassVar[set[QEvent.Type]] = {
        QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove,
        QEvent.Type.Wheel, QEvent.Type.TouchBegin, QEvent.Type.InputMethod,
    }

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in self._ACTIVITY:
            self._last = _monotonic()
        return False

    def start(self) -> None:
        self.poke()
        self._timer.start(min(CHECK_INTERVAL_MS, max(50, self.limit_ms // 4)))

    def stop(self) -> None:
        self._timer.stop()

    def poke(self) -> None:
        self._last = _monotonic()
        self._mono = _monotonic()
        self._boot = _boot_clock()

    def check(self) -> None:
        mono, boot = _monotonic(), _boot_clock()
        slept = (boot - self._boot) - (mono - self._mono) > SLEEP_GAP_S
        self._mono, self._boot = mono, boot
        if slept:
            self.slept.emit()
        elif (mono - self._last) * 1000 >= self.limit_ms:
            self.idle.emit()


class MessageBar(QFrame):
    """A calm, dismissible line at the top of the window, with an optional action (Undo)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("card", True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 4, 6, 4)
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setAccessibleName("Message")
        self.action = QPushButton()
        self.close_button = QPushButton("Dismiss")
        layout.addWidget(self.text, 1)
        layout.addWidget(self.action)
        layout.addWidget(self.close_button)
        self.close_button.clicked.connect(self.hide)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.hide)
        self._callback: object = None
        self.action.clicked.connect(self._act)
        self.hide()

    def show_message(self, text: str, action: str | None = None,
                     callback: object = None, timeout_ms: int = 10_000) -> None:
        self.text.setText(text)
        self._callback = callback
        self.action.setVisible(bool(action))
        self.action.setText(action or "")
        self.show()
        if timeout_ms:
            self._timer.start(timeout_ms)

    def _act(self) -> None:
        callback = self._callback
        self.hide()
        if callable(callback):
            callback()


class MainWindow(StartWindow):
    """The whole window. It declares no signals or slots of its own: :meth:`complete` turns a
    start window into one, and a window keeps the Qt meta-object it was built with."""

    def __init__(self, session: JournalSession, settings: UiSettings, default_dir: Path,
                 demo: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(settings, DEMO_TITLE if demo else "journal-app", parent)
        self._build(session, default_dir, demo)
        self.lock_page.attach(session)

    @classmethod
    def complete(cls, window: StartWindow, session: JournalSession,
                 default_dir: Path) -> MainWindow:
        """Make ``window`` (on screen, the user perhaps typing in its lock page) the main
        window: the same window and widgets, with everything else added. Its lock page gets the
        session when :meth:`start` has opened the journal (``keep_typing``)."""
        if type(window) is not StartWindow:
            raise TypeError("only a StartWindow can be completed")
        window.__class__ = cls
        main = cast(MainWindow, window)
        main._build(session, default_dir, demo=False)
        return main

    def _build(self, session: JournalSession, default_dir: Path, demo: bool) -> None:
        settings = self.settings
        self.session = session
        self.demo = demo
        #: The size the user gave the window, and the size a text size change left it at
        #: (see change_text_size).
        self._chosen_size = self.size()
        self._sized_for_text = QSize()
        self.welcome = WelcomePage(session, default_dir)
        self.journal_page = JournalPage(session)
        self.journal_page.set_on_this_day(settings.on_this_day, settings.on_this_day_heavy)
        for page in (self.welcome, self.journal_page):
            self.stack.addWidget(page)
        self.message_bar = MessageBar()
        cv = self.central_layout
        cv.insertWidget(0, self.message_bar)
        self.read_only_banner = ReadOnlyBanner()
        self.read_only_banner.repair_requested.connect(self.repair_journal)
        cv.insertWidget(1, self.read_only_banner)
        self.support_panel = SupportPanel(settings.support_country)
        self.support_panel.hide()
        self.support_panel.country_changed.connect(
            lambda code: setattr(self.settings, "support_country", code))
        self.support_panel.dismissed.connect(self._support_dismissed_now)
        self.support_panel.add_requested.connect(self.add_support_contact)
        self._support_dismissed = False
        #: An entry, reflection or wellbeing check just saved was a severe signal (see
        #: offer_support); in memory only, like the log of offers made today.
        self._support_offered = False
        self.support_offers = OfferLog()
        cv.insertWidget(2, self.support_panel)
        self._build_actions()
        # Every dialog on its screen and tall enough for its text (see fit_dialog).
        self.dialog_fitter = DialogFitter(self)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self.dialog_fitter)
        self.idle = IdleWatcher(settings.autolock_minutes * 60_000, self)
        self.idle.idle.connect(self.lock_now)
        self.idle.slept.connect(self.lock_now)
        self.platform_lock = PlatformLockWatcher(self)
        self.platform_lock.lock_requested.connect(self.lock_now)
        self._outside = QTimer(self)
        self._outside.setInterval(OUTSIDE_CHANGES_MS)
        self._outside.timeout.connect(self._check_outside)

        session.unlocked.connect(self._on_unlocked)
        session.loading.connect(hold_while_loading)  # no GUI-thread collection meanwhile
        # The search index, opened after the window shows the journal: left out of later
        # collections too (freeze_long_lived below).
        session.searchReady.connect(freeze_long_lived)
        session.locked.connect(self._on_locked)
        session.failed.connect(self.show_message)
        self.welcome.opened.connect(self.open_folder)
        self.welcome.created.connect(session.finish_creation)
        # The lock page's own buttons were connected by StartWindow.
        self.journal_page.support_requested.connect(self.show_support)
        self.journal_page.editor.saved.connect(self.offer_support)
        self.journal_page.editor.status.connect(self.statusBar().showMessage)
        self.journal_page.editor.set_details_shown(settings.details_shown)
        spelling_for(session).configure(settings.spell_check, settings.spell_language)
        self.journal_page.editor.details_shown_changed.connect(self._details_shown)
        self.journal_page.waiting_start.connect(self._start_waiting)
        self.journal_page.contribution_wanted.connect(self.offer_contribution)
        self.journal_page.message.connect(lambda text: self.show_message(text))
        self.journal_page.assessment_start.connect(
            lambda form: self.show_assessment(form, offered=True))
        self._quitting = False
        self._checkin_after_unlock = False
        self.tray = TrayNotifier(self)
        self.reminders = ReminderScheduler(None, self.tray, parent=self)
        self.reminders.checkin_requested.connect(self.reminder_clicked)
        self.reminders.reminded.connect(self._reminded)
        self.tray.checkin_requested.connect(self.reminder_clicked)
        self.tray.open_requested.connect(self.bring_to_front)
        self.tray.support_requested.connect(self._support_from_tray)
        self.tray.quit_requested.connect(self.quit_for_real)
        # Automatic backups, and the last good one in the status bar (never in the demo).
        self.backups = BackupController(session, settings, self)
        self.backups.enabled = not demo
        self.backups.failed.connect(self._backup_failed)
        self.backup_status = BackupStatusLabel(self.backups)
        self.backup_status.linkActivated.connect(lambda _link: self.show_backups())
        self.statusBar().addPermanentWidget(self.backup_status)
        # Sync (when this journal syncs): on unlock, after saves, when the folder changes.
        self.syncing = SyncController(session, self)
        self.syncing.enabled = not demo
        self.sync_status = SyncStatusLabel(self.syncing)
        self.sync_status.linkActivated.connect(lambda _link: self.show_sync())
        self.syncing.received.connect(self._synced_in)
        self.syncing.problem_found.connect(
            lambda text: self.show_message(text, "Sync settings…", self.show_sync,
                                           timeout_ms=0))
        self.statusBar().addPermanentWidget(self.sync_status)
        self._apply_reminders()
        self._restore_geometry()
        self._update_actions()
        # Follow the system's light or dark scheme while the app runs (when so chosen).
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._system_scheme_changed)

    def _system_scheme_changed(self, *_args: object) -> None:
        if self.settings.theme == "system":
            self.apply_appearance()

    # ------------------------------------------------------------ actions and menus

    def _action(self, text: str, shortcut: str | QKeySequence.StandardKey | None,
                slot: Callable[[], object], tip: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.setToolTip(tip or text)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        self.act_new = self._action("New entry", "Ctrl+N", self.journal_page.new_entry)
        self.act_checkin = self._action("Check in", "Ctrl+K", self.check_in,
                                        "A 30-second check-in (Ctrl+K)")
        self.act_reflect = self._action("Reflect…", "Ctrl+R", self.choose_reflection,
                                        "A guided reflection (Ctrl+R)")
        self.act_save = self._action("Save", "Ctrl+S", self.save_now)
        self.act_find = self._action("Find", "Ctrl+F", self.journal_page.focus_search)
        self.act_lock = self._action("Lock", "Ctrl+L", self.lock_now, "Lock the journal (Ctrl+L)")
        self.act_delete = self._action("Move to trash", QKeySequence.StandardKey.Delete,
                                       self.delete_current)
        self.act_delete.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        # Only the list: on the window, Delete on any button or box would trash the entry.
        self.removeAction(self.act_delete)
        self.journal_page.list.addAction(self.act_delete)
        self.act_history = self._action("Earlier versions…", None, self.show_history)
        self.act_trash = self._action("Trash…", None, self.show_trash)
        self.act_settings = self._action("Settings…", "Ctrl+,", self.show_settings)
        self.act_backups = self._action("Backups…", None, self.show_backups,
                                        "Back up now, choose automatic backups, or restore")
        self.act_help = self._action("Help", "F1", self.show_help)
        # Works everywhere, locked too: the shipped lines hold nothing private.
        self.act_support = self._action("Support and crisis lines…", None, self.show_support,
                                        "People you can talk to, any time")
        self.act_about = self._action("About journal-app", None, lambda: about_dialog(self).exec())
        self.act_quit = self._action("Quit", "Ctrl+Q", self.quit_for_real)
        # Works while locked too: it shows nothing from the journal.
        self.act_reminders = self._action("Reminders…", None, self.show_reminders)
        self.act_my_prompts = self._action("My prompts and templates…", None,
                                           self.show_my_prompts)
        self.act_trends = self._action("Trends", "Ctrl+T", self.show_trends,
                                       "Your trends over time (Ctrl+T)")
        self.trends_dialog: QDialog | None = None
        self.act_assess = self._action("Rotation self-assessment…", None,
                                       lambda: self.show_assessment("competency"))
        self.act_wellbeing = self._action("Monthly wellbeing check…", None,
                                          lambda: self.show_assessment("wellbeing"))
        self.act_bigger = self._action("Larger text", "Ctrl+=", lambda: self.change_text_size(1))
        self.act_smaller = self._action("Smaller text", "Ctrl+-", lambda: self.change_text_size(-1))
        self.act_preview = self._action("Preview", "Ctrl+P",
                                        self.journal_page.editor.cycle_preview)
        menu = self.menuBar()
        for m in self.menus.values():
            m.setEnabled(True)
        m = self.menus["&Journal"]
        for a in (self.act_new, self.act_checkin, self.act_reflect, self.act_save, None,
                  self.act_lock, None, self.act_my_prompts, self.act_settings,
                  self.act_reminders, self.act_backups,
                  None, self.act_quit):
            m.addSeparator() if a is None else m.addAction(a)
        self.act_import = self._action("Import…", "Ctrl+Shift+I", self.show_import,
                                       "Import entries from another journal or a folder of "
                                       "notes (Ctrl+Shift+I)")
        self.act_export = self._action("Export…", "Ctrl+Shift+E", self.show_export,
                                       "Export entries or a portfolio PDF (Ctrl+Shift+E)")
        m.insertAction(self.act_quit, self.act_import)
        m.insertAction(self.act_quit, self.act_export)
        m.insertSeparator(self.act_quit)
        m = self.menus["&Edit"]
        for a in (self.act_find, None, self.act_history, self.act_delete, self.act_trash):
            m.addSeparator() if a is None else m.addAction(a)
        m = self.menus["&Trends"]
        for a in (self.act_trends, None, self.act_assess, self.act_wellbeing):
            m.addSeparator() if a is None else m.addAction(a)
        m = self.menus["&View"]
        for a in (self.act_preview, None, self.act_bigger, self.act_smaller):
            m.addSeparator() if a is None else m.addAction(a)
        self.sharing = SharingController(self)
        menu.insertMenu(self.menus["&Help"].menuAction(), self.sharing.menu)
        m = self.menus["&Help"]
        m.addAction(self.act_support)
        m.addSeparator()
        m.addAction(self.act_help)
        m.addAction(self.act_about)
        bar = self.toolbar = self.addToolBar("Main")
        bar.setObjectName("main-toolbar")
        bar.setMovable(False)
        for a in (self.act_checkin, self.act_reflect, self.act_new, self.act_find,
                  self.act_trends, self.act_trash, self.act_settings, self.act_lock):
            bar.addAction(a)

    def _update_actions(self) -> None:
        unlocked = self.session.is_unlocked and self.stack.currentWidget() is self.journal_page
        # Read-only while the journal's list of records must be repaired: nothing that writes.
        read_only = unlocked and self.session.read_or(lambda journal: journal.read_only, False)
        for a in (self.act_find, self.act_lock, self.act_trends, self.act_history,
                  self.act_trash, self.act_settings, self.act_preview):
            a.setEnabled(unlocked)
        for a in (self.act_new, self.act_checkin, self.act_reflect, self.act_save,
                  self.act_delete, self.act_my_prompts, self.act_assess, self.act_wellbeing):
            a.setEnabled(unlocked and not read_only)
        self.read_only_banner.setVisible(read_only)
        self.journal_page.set_read_only(read_only)
        self.act_export.setEnabled(unlocked)
        self.act_backups.setEnabled(unlocked)
        self.toolbar.setVisible(unlocked)
        self.act_import.setEnabled(unlocked and not read_only)
        self.sharing.set_enabled(unlocked)

    # ------------------------------------------------------------ pages

    def start(self, data_dir: Path | None, keep_typing: bool = False) -> None:
        """Show the lock screen for an existing journal, else the first-run page. With
        ``keep_typing`` (the start window's lock page was already on screen), what was typed
        stays and an unlock asked for meanwhile goes ahead."""
        if data_dir is not None and Journal.exists(data_dir):
            self.open_folder(data_dir, keep_typing)
        else:
            if data_dir is not None:
                self.welcome.folder.setText(str(data_dir))
            self.show_welcome()

    def show_welcome(self) -> None:
        self.stack.setCurrentWidget(self.welcome)
        self._update_actions()

    def open_folder(self, folder: Path, keep_typing: bool = False) -> None:
        typed = self.lock_page.passphrase.text() if keep_typing else ""
        self.lock_page.session = self.session
        try:
            self.session.open_folder(folder)
        except VaultDamagedError as exc:
            from journal_app.core.recovery import looks_like_a_database

            if looks_like_a_database(folder):
                # A journal that cannot be opened: the lock page says why, offers the rescue
                # (with the passphrase typed so far, if any).
                self.lock_page.show_damaged(folder, exc.message)
                self.lock_page.passphrase.setText(typed)
                self.stack.setCurrentWidget(self.lock_page)
                self._update_actions()
            else:
                self.lock_page.reset()
                self.show_welcome()
                self.show_message(exc.message)
            return
        except JournalError as exc:
            self.lock_page.reset()
            self.show_welcome()
            self.show_message(exc.message)
            return
        self.settings.data_dir = str(folder)
        if keep_typing:
            self.lock_page.show_folder(folder)
            self.stack.setCurrentWidget(self.lock_page)
            self._update_actions()
            self.lock_page.attach(self.session)  # an unlock asked for while loading goes on
            return
        self.lock_page.reset()
        self.stack.setCurrentWidget(self.lock_page)
        self._update_actions()

    def _on_unlocked(self) -> None:
        # The passphrase has done its work: it must not wait in the hidden field while the
        # journal is open (any widget walk or accessibility client could read it there).
        self.lock_page.passphrase.clear()
        self.stack.setCurrentWidget(self.journal_page)
        self.journal_page.refresh()
        if self.session.data_dir:
            self.settings.data_dir = str(self.session.data_dir)
        self.idle.limit_ms = self.settings.autolock_minutes * 60_000
        self.idle.start()
        self._outside.start()
        self._update_actions()
        self.update_support()
        sync_into, self.welcome.sync_into = self.welcome.sync_into, None
        if sync_into is not None and self.syncing.enabled:
            self.show_message(
                "Your journal is kept outside the synced folder. To use it on other computers, "
                "set up sync to a folder inside it.", "Set up sync…",
                lambda: self.show_sync(sync_into), timeout_ms=0)
        if self._checkin_after_unlock:
            self._checkin_after_unlock = False
            QTimer.singleShot(0, self.check_in)
        unreadable, problem, read_only = self.session.read(
            lambda journal: (journal.unreadable_count(), journal.manifest_problem,
                             journal.read_only))
        if unreadable:
            self.show_message(
                f"Part of this journal's file is damaged: {unreadable} records"
                " cannot be read. Everything else works; you can rescue it into a new journal.",
                "Rescue…", lambda: self.show_salvage(None), timeout_ms=0)
        elif problem and not read_only:
            self.show_message(problem + " Open Settings and run Check integrity.",
                              timeout_ms=0)
        freeze_long_lived()  # the entries held: out of every full collection

    def repair_journal(self) -> None:
        """Show what the journal holds now and, if the user agrees, accept it as true (the
        journal's list of records is rebuilt over it, and saving works again)."""
        if not self.session.is_unlocked:
            return
        try:
            preview = self.session.repair_preview()
        except JournalError as exc:
            self.show_message(exc.message, timeout_ms=0)
            return
        if preview.needed and confirm_repair(self, preview):
            self.session.repair(preview, self._repaired,
                                lambda message: self.show_message(message, timeout_ms=0))
        else:
            self._update_actions()

    def _repaired(self) -> None:
        self._update_actions()
        self.show_message("The journal's list of records was repaired; saving works again.")

    def _backup_failed(self, text: str) -> None:
        if self.session.read_or(lambda journal: journal.unreadable_count(), 0):
            # Refused because the file is damaged: keep the way out at hand.
            self.show_message(text, "Rescue…", lambda: self.show_salvage(None), timeout_ms=0)
        else:
            self.show_message(text, timeout_ms=0)

    def show_salvage(self, passphrase: str | None) -> None:
        """Rescue what can be read of the current (damaged) journal into a new one, then open
        the new one."""
        from journal_app.ui.dialogs.salvage import SalvageDialog

        folder = self.lock_page.damaged_folder or self.session.data_dir
        if folder is None:
            return
        dialog = SalvageDialog(self.session, folder, passphrase or None, self)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.rescued is None:
            return
        self.open_rescued(dialog.rescued.out_dir, dialog.passphrase)

    def open_rescued(self, folder: Path, passphrase: str) -> None:
        """Leave the damaged journal and unlock the rescued one."""
        if self.session.is_unlocked:
            self.lock_now()
            if self.session.is_unlocked:  # lock_now said why it could not lock
                return
        self.open_folder(folder)
        if self.stack.currentWidget() is self.lock_page and self.lock_page.damaged_folder is None:
            self.lock_page.passphrase.setText(passphrase)
            self.lock_page.unlock()

    def lock_now(self) -> None:
        """Save what is being written, then drop everything decrypted and show the lock screen."""
        if not self.session.is_unlocked:
            return
        editor = self.journal_page.editor
        if not editor.flush():
            # Locking now would throw the unsaved text away: stay open and say why. The idle
            # check tries again (and so saves again) on its next round.
            self.show_message(
                f"Your latest text could not be saved ({editor.save_error}), so the journal "
                "stays open for now. Free some disk space or check the folder, then lock again.",
                timeout_ms=0,
            )
            return
        # Clear the views before the keys go: nothing stays on screen while locking.
        self.journal_page.clear()
        for dialog in self.findChildren(QDialog):
            dialog.reject()
        self.session.lock()

    def update_support(self, after_checkin: bool = False) -> None:
        """Offer the support panel when the last week shows severe distress (check-ins,
        reflection scales, the wellbeing check), or something just saved was a severe signal;
        again after a new severe check-in, even if dismissed before."""
        if after_checkin:
            self._support_dismissed = False

        def severe(journal: Journal) -> bool:
            return self._support_offered or severe_pattern(
                journal.checkins(), date.today(),
                reflections=journal.records(Reflection),
                assessments=journal.records(SelfAssessment),
                templates=self._library().templates)

        show = not self._support_dismissed and self.session.read_or(severe, False)
        if show:
            self.support_panel.set_own(self._own_contacts())
            self.support_panel.set_programme(self._programme_support())
        self.support_panel.setVisible(bool(show))

    def offer_support(self, record: object) -> None:
        """After an entry, a reflection, a check-in or a wellbeing check was saved: when it is a
        severe signal, offer the support panel, calmly, at most once per entry per day (autosaves
        do not repeat it). Nothing about it is stored or sent; it never blocks anything."""
        if not self.session.is_unlocked:
            return
        if isinstance(record, SelfAssessment):
            severe = wellbeing_is_severe(record)
        elif isinstance(record, CheckIn):
            severe = checkin_is_severe(record)
        elif isinstance(record, Entry):
            severe = entry_is_severe(record, self._library().templates)
        else:
            return
        if severe and self.support_offers.should_offer(record.id, date.today()):
            self._support_offered = True
            self._support_dismissed = False
            self.update_support()

    def _support_dismissed_now(self) -> None:
        self._support_dismissed = True
        self._support_offered = False

    def show_support(self) -> None:
        """The support and crisis lines on demand (locked too: the shipped lines are not
        private; the user's own contacts are shown only while unlocked)."""
        own = self._own_contacts() if self.session.is_unlocked else None
        dialog = SupportDialog(self.settings.support_country, own, self)
        if own is not None:  # the programme's lines too, while unlocked
            dialog.panel.set_programme(self._programme_support())
        dialog.panel.country_changed.connect(
            lambda code: setattr(self.settings, "support_country", code))
        dialog.panel.add_requested.connect(lambda: self._add_support_from(dialog))
        dialog.exec()
        dialog.deleteLater()

    def _add_support_from(self, dialog: SupportDialog) -> None:
        self.add_support_contact(lambda: dialog.panel.set_own(self._own_contacts()))

    def _support_from_tray(self) -> None:
        self.bring_to_front()
        self.show_support()

    def show_help(self) -> None:
        help_dialog(self, self.settings.support_country or default_country()).exec()

    def add_support_contact(self, then: Callable[[], object] | None = None) -> None:
        """Add a contact of the user's own (stored encrypted: it may name people)."""
        if not self.session.is_unlocked:
            return
        name, ok = QInputDialog.getText(self, "Add a support contact",
                                        "Who (e.g. your school's wellbeing office, a friend):")
        if not ok or not name.strip():
            return
        contact, ok = QInputDialog.getText(self, "Add a support contact",
                                           "How to reach them (a number, an email, a place):")
        if not ok:
            return
        try:
            record = SupportContact(name=name.strip(), contact=contact.strip())
        except ValueError as exc:
            self.show_message(user_message(exc))
            return

        def stored(_r: SupportContact) -> None:
            self.support_panel.set_own(self._own_contacts())
            if then is not None:
                then()

        self.session.write(lambda journal: journal.add_record(record), stored,
                           changes=Change.RECORDS)

    def _programme_support(self) -> tuple[str, tuple[SupportResource, ...]]:
        none: tuple[str, tuple[SupportResource, ...]] = ("", ())
        return self.session.read_or(programme_support, none)

    def _own_contacts(self) -> list[SupportContact]:
        return self.session.read_or(lambda journal: journal.records(SupportContact),
                                    list[SupportContact]())

    # ------------------------------------------------------------ reminders and the tray

    def _apply_reminders(self) -> None:
        if self.demo:
            return
        self.reminders.apply_settings(self.settings)
        self.tray.set_visible(self.settings.reminders_enabled or self.settings.keep_in_tray)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.setQuitOnLastWindowClosed(
                not (self.settings.keep_in_tray and self.tray.available()))

    def show_reminders(self) -> None:
        if self.demo:  # it would change what starts at login: explained instead
            explain(self, NO_REMINDERS)
            return
        if RemindersDialog(self.settings, self).exec() == QDialog.DialogCode.Accepted:
            self._apply_reminders()

    def reminder_clicked(self) -> None:
        self.bring_to_front()
        if self.session.is_unlocked and self.stack.currentWidget() is self.journal_page:
            self.check_in()
        else:
            self._checkin_after_unlock = True
            self.show_message("Unlock your journal to check in.")

    def _reminded(self) -> None:
        # No system tray (some desktops): say it in the window instead. Fixed words only.
        if not self.tray.available():
            self.show_message(f"{REMINDER_TITLE} {REMINDER_MESSAGE}", "Check in",
                              self.reminder_clicked, timeout_ms=0)

    def quit_for_real(self) -> None:
        self._quitting = True
        if self.close():
            QApplication.quit()
        self._quitting = False

    def _on_locked(self) -> None:
        if self.trends_dialog is not None:  # it shows decrypted figures: drop it
            self.trends_dialog.deleteLater()
            self.trends_dialog = None
        self.support_panel.hide()
        self.support_panel.set_own([])
        self.support_panel.set_programme(("", ()))
        self._support_offered = False
        self.idle.stop()
        self._outside.stop()
        self.journal_page.clear()
        self.message_bar.hide()
        clipboard = QGuiApplication.clipboard()
        if clipboard.ownsClipboard():
            clipboard.clear()
        self.lock_page.reset()
        self.stack.setCurrentWidget(self.lock_page)
        self.statusBar().clearMessage()
        self._update_actions()
        unfreeze_long_lived()  # what the journal held is collected again once dropped

    def _check_outside(self) -> None:
        if not self.journal_page.editor.dirty:
            self.session.check_for_outside_changes()
            read_only = self.session.read_or(lambda journal: journal.read_only, None)
            if read_only is not None and read_only == self.read_only_banner.isHidden():
                self._update_actions()  # another program removed or repaired the manifest

    # ------------------------------------------------------------ commands

    def save_now(self) -> None:
        self.journal_page.editor.save()

    def delete_current(self) -> None:
        entry = self.journal_page.current_entry()
        if entry is None or not self.session.is_unlocked:
            return
        self.journal_page.editor.flush()
        if entry.id not in {e.id for e in self.session.entries()}:
            self.journal_page.editor.load(None)  # an unsaved new entry: nothing to delete
            self.journal_page.refresh()
            self.journal_page.show_list()
            return
        self.journal_page.editor.load(None)
        self.journal_page.show_list()  # in one pane, the list rather than an empty page
        self.session.write(
            lambda journal: journal.delete_entry(entry.id),
            lambda _e: self.show_message("Moved to the trash.", "Undo",
                                         lambda: self._undo_delete(entry)),
            changes=Change.ENTRIES)

    def _undo_delete(self, entry: Entry) -> None:
        if not self.session.is_unlocked:
            return
        self.session.write(lambda journal: journal.restore_entry(entry.id),
                           lambda _e: self.journal_page.select(entry.id), changes=Change.ENTRIES)

    def check_in(self) -> CheckIn | None:
        """The short check-in (its More opens the full one); a note that speaks of wanting to
        die offers support as an entry does; after a difficult encounter, offer the matching
        reflection; after a good moment (and nothing difficult), offer Three Good Things."""
        if not self.session.is_unlocked:
            return None
        dialog = QuickCheckInDialog(self.session, self)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.checkin is None:
            return None
        checkin = dialog.checkin
        self.update_support(after_checkin=True)
        self.offer_support(checkin)
        if checkin.encounter:
            self.offer_reflection(checkin)
        elif checkin.good_moment:
            self.offer_reflection(checkin, GOOD_MOMENT_TEMPLATE)
        else:
            self.show_message("Check-in saved. Thank you for taking a moment.")
        return checkin

    def offer_reflection(self, checkin: CheckIn, template_id: str | None = None) -> None:
        """Start now, later today (a reminder stays in the message bar), or skip. Without a
        ``template_id``: the reflection for the check-in's difficult encounter."""
        library = load_library()
        box = QMessageBox(self)
        if template_id is None:
            template = library.template_for(checkin.encounter)
            box.setWindowTitle("A reflection may help")
            box.setText(f"That sounds hard. Would you like to reflect on it with "
                        f"“{template.title}”?")
        else:
            template = library.templates[template_id]
            box.setWindowTitle("A moment to keep")
            box.setText(f"Something good happened. Would you like to hold on to it with "
                        f"“{template.title}”?")
        box.setInformativeText(template.summary)
        start = box.addButton("Start now", QMessageBox.ButtonRole.AcceptRole)
        later = box.addButton("Later today", QMessageBox.ButtonRole.ActionRole)
        box.addButton("Skip", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(start)
        box.exec()
        if box.clickedButton() is start:
            self.start_reflection(template.id, checkin)
        elif box.clickedButton() is later:
            end_of_day = datetime.combine(date.today(), dtime.max).astimezone()
            waiting = WaitingReflection(checkin.id, template.id, end_of_day)

            def remember(journal: Journal) -> None:  # (encrypted) until the end of today
                journal.update_app_state(lambda s: replace(s, waiting=(*s.waiting, waiting)))

            self.session.write(remember, lambda _r: self.journal_page.update_waiting(),
                               changes=Change.APP_STATE)
            self.show_message(
                f"“{template.title}” is waiting for you when you are ready.", "Start",
                lambda: self.start_reflection(template.id, checkin), timeout_ms=0,
            )

    def choose_reflection(self) -> None:
        """Pick a reflection template (the one that fits today's check-in first) and start
        it, or continue an unfinished reflection (listed first)."""
        if not self.session.is_unlocked:
            return
        library = self._library()
        unfinished = unfinished_reflections(self.session.entries(), library.templates)
        def fit_of(journal: Journal) -> TodaysFit:
            asked = asked_reflection(journal, date.today())
            return todays_fit(journal.checkins(), date.today(),
                              asked.template_id if asked else None,
                              asked.programme if asked else "")

        fit = self.session.read_or(fit_of, TodaysFit())
        picker = ReflectionPicker(library, unfinished, fit, self)
        if picker.exec() != QDialog.DialogCode.Accepted or picker.choice is None:
            return
        choice = picker.choice
        if choice.resume is not None:
            kept = choice.resume.reflection
            self.start_reflection(kept.template_id, self._checkin(kept.checkin_id), resume=kept)
        else:
            self.start_reflection(choice.template_id)

    def show_trends(self) -> None:
        """The trends dashboard, in its own window (dropped entirely on lock)."""
        if not self.session.is_unlocked:
            return
        if self.trends_dialog is None:
            dialog = QDialog(self)
            dialog.setWindowTitle("Trends")
            dialog.resize(1200, 800)
            # Imported here: pyqtgraph and numpy cost a tenth of a second at start-up.
            from journal_app.ui.trends.dashboard import DashboardView

            self.dashboard = DashboardView(self.session, dialog)
            QVBoxLayout(dialog).addWidget(self.dashboard)
            self.dashboard.day_clicked.connect(self.open_day)
            self.trends_dialog = dialog
        else:
            self.dashboard.refresh()
        self.trends_dialog.show()
        self.trends_dialog.raise_()

    def show_assessment(self, form: str, offered: bool = False) -> None:
        """The rotation self-assessment or the monthly wellbeing check."""
        if not self.session.is_unlocked:
            return
        dialog = AssessmentDialog(self.session, form, offered=offered, parent=self)
        dialog.saved.connect(lambda _a: self._assessment_done())
        dialog.saved.connect(self.offer_support)
        dialog.set_aside.connect(self.journal_page.set_assessment_aside)
        dialog.exec()

    def _refresh_trends(self) -> None:
        if self.trends_dialog is not None and self.trends_dialog.isVisible():
            self.dashboard.refresh()

    def _assessment_done(self) -> None:
        self.journal_page.update_assessment()
        self.message_bar.show_message("Saved. Your ratings are charted under Trends.",
                                      "Open Trends", self.show_trends)
        if self.trends_dialog is not None and self.trends_dialog.isVisible():
            self.dashboard.refresh()

    def open_day(self, day: date) -> None:
        """Show the entries of one day (from a click on a chart)."""
        page = self.journal_page
        page.filter_toggle.setChecked(True)
        page.filters.use_dates.setChecked(True)
        qday = QDate(day.year, day.month, day.day)
        page.filters.date_from.setDate(qday)
        page.filters.date_to.setDate(qday)
        page.run_search()
        page.show_list()  # in one pane, the day's entries rather than the entry shown
        self.bring_to_front()

    def _library(self) -> Library:
        """The prompt library with the user's own prompts and templates (while unlocked)."""
        library = load_library()
        return self.session.read_or(lambda journal: library_with_custom(library, journal),
                                    library)

    def show_my_prompts(self) -> None:
        if not self.session.is_unlocked:
            return
        dialog = MyPromptsDialog(self.session, self)
        dialog.changed.connect(self.journal_page.update_waiting)
        dialog.exec()

    def start_reflection(self, template_id: str, checkin: CheckIn | None = None,
                         resume: Reflection | None = None) -> None:
        if not self.session.is_unlocked:
            return
        self.journal_page.editor.flush()
        template = self._library().templates.get(template_id)
        if template is None:
            self.show_message("That reflection template no longer exists.")
            return
        series_day = None if resume is None else resume.series_day
        if template.series_days and resume is None:
            reflections = [e for e in self.session.entries() if isinstance(e, Reflection)]
            series_day = next_series_day(reflections, template.id, template.series_days,
                                         date.today())
        wizard = ReflectionWizard(self.session, template, checkin, self, series_day=series_day,
                                  resume=resume)
        wizard.support_requested.connect(self.show_support)
        wizard.lock_requested.connect(self.lock_now)  # its writing kept first (its reject)
        if wizard.exec() == QDialog.DialogCode.Accepted and wizard.reflection is not None:
            if checkin is not None:
                self.journal_page.drop_waiting(checkin.id)
            self.journal_page.update_waiting()
            self.journal_page.select(wizard.reflection.id)
            self.show_message("Your reflection is saved in your journal.")
            self.offer_support(wizard.reflection)

    def offer_contribution(self) -> None:
        """The programme's cohort contribution: what would leave, then Send or Don't send."""
        from journal_app.ui.sharing.cohort_view import offer_contribution

        offer_contribution(self.session, self, lambda message: self.show_message(message),
                           opened=lambda dialog: dialog.finished.connect(
                               lambda _r: self.journal_page.update_cohort()))

    def _start_waiting(self, template_id: str, checkin_id: str) -> None:
        self.start_reflection(template_id, self._checkin(checkin_id))

    def _checkin(self, checkin_id: str | None) -> CheckIn | None:
        return next((c for c in self.session.read_or(lambda journal: journal.checkins(),
                                                     list[CheckIn]())
                     if c.id == checkin_id), None)

    def show_history(self) -> None:
        entry = self.journal_page.current_entry()
        if entry is None:
            return
        self.journal_page.editor.flush()
        dialog = HistoryDialog(self.session, entry.id, self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.restored is not None:
            self.journal_page.editor.load(dialog.restored)
            self.journal_page.select(dialog.restored.id, load=False)

    def show_import(self) -> None:
        """Journal ▸ Import…: the list refreshes when entries came in (entriesChanged)."""
        if not self.session.is_unlocked:
            return
        self.journal_page.editor.flush()
        from journal_app.ui.interchange.importer import ImportDialog  # only when asked for

        dialog = ImportDialog(self.session, self)
        dialog.exec()
        if dialog.result_text and self.session.is_unlocked:
            self.show_message(dialog.result_text)
        dialog.deleteLater()

    def show_trash(self) -> None:
        self.journal_page.editor.flush()
        TrashDialog(self.session, self).exec()

    def show_export(self) -> None:
        """Journal ▸ Export…, with the entry being read or written ticked already."""
        if not self.session.is_unlocked:
            return
        self.journal_page.editor.flush()
        current = self.journal_page.current_entry()
        known = {e.id for e in self.session.entries()}
        preselect = [current.id] if current is not None and current.id in known else []
        from journal_app.ui.interchange.exporter import ExportDialog  # only when asked for (it
        # loads Qt's PDF)

        dialog = ExportDialog(self.session, self.settings, self, preselect=preselect)
        dialog.exported.connect(self.show_message)
        dialog.exec()

    def show_settings(self) -> None:
        # Saved first: tidying an emotion word (Settings ▸ Your emotion words) then applies to
        # the text being written too.
        self.journal_page.editor.flush()
        dialog = SettingsDialog(self.session, self.settings, self, backups=self.backups,
                                syncing=self.syncing)
        dialog.emotion_words_changed.connect(self._reload_open_entry)
        dialog.appearance_changed.connect(self.apply_appearance)
        dialog.assessments_changed.connect(self.journal_page.update_assessment)
        dialog.streaks_changed.connect(self._refresh_trends)
        dialog.on_this_day_changed.connect(lambda: self.journal_page.set_on_this_day(
            self.settings.on_this_day, self.settings.on_this_day_heavy))
        dialog.level_changed.connect(self.journal_page.update_level_card)
        dialog.level_changed.connect(self.journal_page.update_todays_prompt)
        dialog.exec()
        self.idle.limit_ms = self.settings.autolock_minutes * 60_000

    def _synced_in(self) -> None:
        """Another computer's changes were taken in: the open entry follows them."""
        editor = self.journal_page.editor
        if editor.entry is None or not self.session.is_unlocked:
            return
        entry_id = editor.entry.id
        fresh = next((e for e in self.session.entries(trash=editor.entry.in_trash)
                      if e.id == entry_id), None)
        if fresh is not None and (fresh.updated, fresh.title, fresh.body) != (
                editor.entry.updated, editor.entry.title, editor.entry.body):
            editor.stored_changed(fresh)

    def show_sync(self, folder: Path | None = None) -> None:
        """Settings ▸ Sync (also from the status bar's sync link); ``folder``: the sync folder
        to offer (the synced folder the journal was kept out of)."""
        if not self.session.is_unlocked:
            return
        from journal_app.ui.dialogs.sync import SyncDialog

        dialog = SyncDialog(self.session, self.syncing, self)
        if folder is not None and not self.syncing.active:
            dialog.folder.setText(str(folder))
        dialog.exec()

    def _reload_open_entry(self) -> None:
        """Show the entry open in the editor again as stored (its emotions were tidied)."""
        editor = self.journal_page.editor
        if editor.entry is None or not self.session.is_unlocked:
            return
        entry_id = editor.entry.id
        fresh = next((e for e in self.session.entries(trash=editor.entry.in_trash)
                      if e.id == entry_id), None)
        if fresh is not None:
            editor.load(fresh)

    def show_backups(self) -> None:
        if self.demo:  # it would write to the user's folders: explained instead
            explain(self, NO_BACKUPS)
            return
        if not self.session.is_unlocked:
            return
        dialog = BackupsDialog(self.backups, self)
        dialog.restore_ready.connect(self.replace_with_backup)
        dialog.exec()

    def replace_with_backup(self, prepared: PreparedRestore) -> None:
        """Lock and close the journal, swap in the verified backup (in the worker), then show
        the lock screen of the restored journal. If locking cannot save the latest text, the
        restore does not happen."""
        data_dir = prepared.data_dir
        self.lock_now()
        if self.session.is_unlocked:  # lock_now said why it could not lock
            prepared.discard()
            return
        self.show_message("Restoring the backup…", timeout_ms=0)

        def done(result: RestoreResult) -> None:
            self.open_folder(data_dir)
            kept = (f" The journal it replaced is kept in {result.replaced}."
                    if result.replaced is not None else "")
            opens = ("your current passphrase" if result.keys == KEYS_CURRENT
                     else "the passphrase the backup was made with")
            self.show_message(f"Restored the backup from {when_text(result.backup.created)}."
                              f"{kept} Unlock it with {opens}.", timeout_ms=0)

        def failed(message: str) -> None:
            self.open_folder(data_dir)
            self.show_message(f"The backup was not restored: {message} "
                              "Your journal is as it was.", timeout_ms=0)

        self.session.restore(prepared, done, failed)  # closes the journal first

    def apply_appearance(self) -> None:
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_theme(app, self.settings.theme, self.settings.text_size)
        self.journal_page.list.doItemsLayout()

    def change_text_size(self, step: int) -> None:
        """Ctrl+= and Ctrl+-: the window keeps the size the user gave it where it can, so a
        larger text size that made it grow gives that room back when the text shrinks again
        (a window only ever grows to its minimum by itself)."""
        if self.size() != self._sized_for_text:
            self._chosen_size = self.size()  # the user's own size (resized since, or first)
        self.settings.text_size = max(8, min(28, self.settings.text_size + step))
        self.apply_appearance()
        if not (self.isMaximized() or self.isFullScreen()):
            # The layouts work out their new minimum first (a resize is held to the old one).
            for _ in range(3):
                QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest.value)
            room = screen_area(self).size() - (self.frameGeometry().size() - self.size())
            self.resize(self._chosen_size.boundedTo(room).expandedTo(self.minimumSize()))
        self._sized_for_text = self.size()

    def show_message(self, text: str, action: str | None = None, callback: object = None,
                     timeout_ms: int = 10_000) -> None:
        self.message_bar.show_message(text, action, callback, timeout_ms)

    # ------------------------------------------------------------ window state

    def _restore_geometry(self) -> None:
        # The window's own geometry was restored by StartWindow (and may have moved since).
        splitter = self.settings.geometry("splitter")
        if splitter is not None:
            self.journal_page.restore_splitter(splitter)

    def _details_shown(self, shown: bool) -> None:
        self.settings.details_shown = shown
        self.settings.sync()

    def save_state(self) -> None:
        self.settings.set_geometry("main", self.saveGeometry())
        self.settings.set_geometry("splitter", self.journal_page.splitter_state())
        self.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.settings.keep_in_tray and self.tray.available() and not self._quitting:
            # Keep running in the tray for reminders: save and lock first, so nothing
            # decrypted stays in a hidden window.
            self.lock_now()
            if self.session.is_unlocked:  # the save failed: lock_now said why; stay open
                event.ignore()
                return
            self.save_state()
            self.hide()
            event.ignore()
            return
        editor = self.journal_page.editor
        if self.session.is_unlocked and not editor.flush():
            answer = QMessageBox.question(
                self, "Quit without saving?",
                f"Your latest text could not be saved: {editor.save_error} "
                "Quit anyway and lose it?",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                event.ignore()
                return
        self.save_state()
        self.idle.stop()
        self._outside.stop()
        self.session.close()
        super().closeEvent(event)
