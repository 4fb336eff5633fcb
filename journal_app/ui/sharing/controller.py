"""The Sharing menu of the main window, its context-menu actions, and receiving packages.

The main window makes one :class:`SharingController` and adds its menu; everything else about
sharing lives in this package. Receiving a package runs in the worker thread (signatures,
decryption, an Argon2id derivation for a passphrase-locked package), and the questions it
may need answered (the share passphrase, a first contact's fingerprint) are asked on the UI
thread between two runs: the core's ``receive`` is all-or-nothing, so asking and running it
again stores nothing twice and nothing half. Each run is a write through the session's door: a
question comes back as its result (that run stored nothing and emits no change signal), an
error as one sentence.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QPoint, Qt, QTimer
from PySide6.QtGui import QAction, QTextCursor
from PySide6.QtWidgets import QDialog, QFileDialog, QInputDialog, QLineEdit, QMenu

from journal_app.core import sharing
from journal_app.core.errors import JournalError, WrongSharePassphraseError
from journal_app.core.records import Entry
from journal_app.core.sharing import Card
from journal_app.core.vault import Journal
from journal_app.ui import messages
from journal_app.ui.session import Change
from journal_app.ui.sharing.cards_dialog import CardsDialog, add_contact_from_card
from journal_app.ui.sharing.common import (
    PACKAGE_FILTER,
    FingerprintDialog,
    default_folder,
    plural,
    warn,
)

if TYPE_CHECKING:
    from journal_app.ui.sharing.dropfolder import DropFolderWatcher
    from journal_app.ui.sharing.share_dialog import ShareDialog
    from journal_app.ui.sharing.shared_with_me import SharedWithMeWindow
    from journal_app.ui.shell.mainwindow import MainWindow

NOT_IMPORTED = messages.NOTHING_IMPORTED


class _NeedsAnswer(Exception):
    """Raised inside the worker to come back to the UI thread with a question."""


class _NeedsConfirmation(_NeedsAnswer):
    def __init__(self, card: Card) -> None:
        super().__init__("confirm")
        self.card = card


class _NeedsPassphrase(_NeedsAnswer):
    pass


@dataclass(frozen=True)
class _Question:
    """What a run of receive came back with instead of storing anything: a first contact's
    card whose fingerprint to confirm, or the share passphrase to ask (``wrong``: the sentence
    when the one typed did not open the package)."""

    card: Card | None = None
    passphrase: bool = False
    wrong: str = ""


def utf16_to_index(text: str, position: int) -> int:
    """A Qt text position (UTF-16 code units) as an index into the Python string."""
    return len(text.encode("utf-16-le")[: 2 * position].decode("utf-16-le", "ignore"))


class SharingController(QObject):
    """Owns the Sharing menu and actions of ``window``."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.session = window.session
        self.shared_window: SharedWithMeWindow | None = None
        #: The attestations dialog while it is open.
        self.attestations_dialog: QDialog | None = None
        #: The handout's review while it is open (tests drive it; see handout_review).
        self._handout_keep: list[QDialog | None] = [None]
        self.act_cards = self._action("My card and contacts…", lambda: self.show_cards(),
                                      "Your card and fingerprint, your contacts, what you "
                                      "shared")
        self.act_share = self._action("Share…", self.share,
                                      "Share entries with a mentor, de-identified and "
                                      "encrypted")
        self.act_share_entry = self._action("Share this entry…", self.share_entry)
        self.act_share_part = self._action("Share selected text…", self.share_selection,
                                           "Share only the text selected in the editor")
        self.act_handout = self._action("Make a handout of this entry…", self.make_handout,
                                        "A de-identified, printable page for a reflection"
                                        " round (Balint group, Schwartz Rounds)")
        self.act_receive = self._action("Open a share package…", self.open_package,
                                        "Import excerpts, feedback or a read receipt someone"
                                        " sent you")
        self.act_shared = self._action("Shared with me…", self.show_shared_with_me,
                                       "Excerpts students shared with you, and your feedback")
        self.act_drop = self._action("Drop folder…", self.choose_drop_folder,
                                     "A folder share packages are put in for you (a shared"
                                     " drive, a synced folder): students' excerpts, or your"
                                     " mentor's feedback and read receipts; taken in while"
                                     " the app runs")
        self.act_attestations = self._action("Attestations…", self.show_attestations,
                                             "Mentors' signed attestations: check a file,"
                                             " import one about you")
        self.act_programme = self._action("Programme…", self.show_programme,
                                          "Your school's or course's programme: its mentors"
                                          " and content, checked once")
        self.menu = QMenu("&Sharing", window)
        for action in (self.act_share, self.act_share_entry, self.act_share_part,
                       self.act_handout, None,
                       self.act_receive, self.act_shared, self.act_drop, None,
                       self.act_cards, self.act_attestations,
                       self.act_programme):
            if action is None:
                self.menu.addSeparator()
            else:
                self.menu.addAction(action)
        self.menu.aboutToShow.connect(self._update_context_actions)
        page = window.journal_page
        page.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        page.list.customContextMenuRequested.connect(self._list_menu)
        body = page.editor.body
        body.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        body.customContextMenuRequested.connect(self._editor_menu)
        for signal in (body.selectionChanged, body.textChanged, page.editor.title.textChanged,
                       page.list.selectionModel().currentChanged):
            signal.connect(self._update_context_actions)
        self.session.locked.connect(self._drop_windows)
        #: The drop folder's watcher, while the journal is unlocked (issue 24).
        self.drop_watcher: DropFolderWatcher | None = None
        self.session.unlocked.connect(lambda: QTimer.singleShot(0, self.watch_drop_folder))
        self.session.locked.connect(self._stop_watching)
        #: A file opened from the desktop while the journal was locked, opened at unlock.
        self.pending_file: Path | None = None
        self.session.unlocked.connect(lambda: QTimer.singleShot(0, self._open_pending))
        self.session.entriesChanged.connect(self._refresh_feedback)

    @property
    def handout_review(self) -> QDialog | None:
        """The handout's review while it is open (tests drive it)."""
        return self._handout_keep[0]

    def _action(self, text: str, slot: object, tip: str = "") -> QAction:
        action = QAction(text, self.window)
        action.setToolTip(tip or text)
        action.triggered.connect(slot)
        return action

    # ------------------------------------------------------------ state

    def set_enabled(self, unlocked: bool) -> None:
        for action in (self.act_cards, self.act_share, self.act_receive, self.act_shared,
                       self.act_programme):
            action.setEnabled(unlocked)
        self._update_context_actions()

    def _unlocked(self) -> bool:
        page = self.window.journal_page
        return self.session.is_unlocked and self.window.stack.currentWidget() is page

    def stored_entry(self) -> Entry | None:
        """The entry in the editor, if it is saved in the journal (a new one is not yet)."""
        entry = self.window.journal_page.current_entry()
        if entry is None or not self._unlocked():
            return None
        known = {e.id for e in self.session.entries()}
        return entry if entry.id in known else None

    def _update_context_actions(self, *_args: object) -> None:
        # Cheap on purpose (it follows the cursor): an entry with some text can be shared;
        # sharing saves it first.
        editor = self.window.journal_page.editor
        has_entry = self._unlocked() and editor.entry is not None and bool(
            editor.title.text().strip() or editor.body.document().characterCount() > 1)
        self.act_share_entry.setEnabled(has_entry)
        self.act_handout.setEnabled(has_entry)
        self.act_share_part.setEnabled(has_entry and editor.body.textCursor().hasSelection())

    def _locked(self) -> bool:
        return not self.session.is_unlocked

    # ------------------------------------------------------------ the drop folder

    def choose_drop_folder(self) -> None:
        """Ask for the folder students put packages in, then watch it."""
        from journal_app.ui.uisettings import UiSettings

        settings = UiSettings()
        folder = QFileDialog.getExistingDirectory(
            self.window, "The folder share packages are put in for you",
            settings.drop_folder or str(default_folder()))
        if not folder:
            return
        settings.drop_folder = folder
        self.watch_drop_folder()
        self.window.show_message(
            f"Watching {Path(folder).name} while the app runs: complete share packages put"
            " there come in (excerpts into Shared with me, feedback beside your entries, read"
            " receipts into Shared by me); files still being copied wait until whole.")

    def watch_drop_folder(self) -> None:
        """Start watching the chosen drop folder (at unlock, or once it was chosen)."""
        from journal_app.ui.uisettings import UiSettings

        folder = UiSettings().drop_folder
        self._stop_watching()
        if not folder or not self.session.is_unlocked or not Path(folder).is_dir():
            return
        from journal_app.ui.sharing.dropfolder import DropFolderWatcher

        self.drop_watcher = DropFolderWatcher(self.session, Path(folder), self)
        self.drop_watcher.taken.connect(self._drop_taken)
        self.drop_watcher.start()

    def _stop_watching(self) -> None:
        if self.drop_watcher is not None:
            self.drop_watcher.stop()
            self.drop_watcher.deleteLater()
            self.drop_watcher = None

    def _drop_taken(self, result: sharing.DropPass) -> None:
        excerpts = sum(len(r.excerpts) for r in result.received)
        feedback = sum(len(r.feedback) for r in result.received)
        parts = []
        if excerpts:
            parts.append(f"{plural(excerpts, 'excerpt')} arrived in the drop folder.")
        if feedback:
            parts.append(f"Feedback on {plural(feedback, 'entry', 'entries')} arrived.")
        read = sum(len(r.receipts) for r in result.received)
        if read:
            parts.append(f"Your mentor read {plural(read, 'excerpt')} you shared (My card and"
                         " contacts ▸ Shared by me).")
        for path, sentence in (*result.needs_you.items(), *result.refused.items()):
            parts.append(f"{path.name}: {sentence}")
        if self.shared_window is not None and excerpts:
            self.shared_window.refresh()
        if parts:
            self.window.show_message(" ".join(parts), "Open Shared with me" if excerpts
                                     else None, self.show_shared_with_me if excerpts else None)

    def _drop_windows(self) -> None:
        # Received text must not stay in a hidden window once the journal is locked.
        if self.shared_window is not None:
            self.shared_window.hide()
            self.shared_window.deleteLater()
            self.shared_window = None

    def _refresh_feedback(self) -> None:
        editor = self.window.journal_page.editor
        if self.session.is_unlocked:
            editor.feedback.show_entry(editor.entry if self.stored_entry() else None)

    # ------------------------------------------------------------ context menus

    def editor_menu(self, pos: QPoint) -> QMenu:
        """The editor's context menu: spelling, the usual text actions, then sharing."""
        editor = self.window.journal_page.editor
        body = editor.body
        menu = editor.context_menu(pos)
        self._update_context_actions()
        menu.addSeparator()
        if body.textCursor().hasSelection():
            menu.addAction(self.act_share_part)
        menu.addAction(self.act_share_entry)
        menu.addAction(self.act_handout)
        return menu

    def _editor_menu(self, pos: QPoint) -> None:
        body = self.window.journal_page.editor.body
        menu = self.editor_menu(pos)
        menu.exec(body.viewport().mapToGlobal(pos))
        menu.deleteLater()

    def list_menu(self, pos: QPoint) -> QMenu | None:
        """The entry list's context menu (the row under the pointer becomes current)."""
        view = self.window.journal_page.list
        index = view.indexAt(pos)
        if not index.isValid():
            return None
        view.setCurrentIndex(index)
        self._update_context_actions()
        menu = QMenu(view)
        menu.addAction(self.act_share_entry)
        menu.addAction(self.act_handout)
        return menu

    def _list_menu(self, pos: QPoint) -> None:
        menu = self.list_menu(pos)
        if menu is not None:
            menu.exec(self.window.journal_page.list.viewport().mapToGlobal(pos))
            menu.deleteLater()

    # ------------------------------------------------------------ cards

    def show_cards(self, tab: str = "card") -> None:
        if not self._unlocked():
            return
        dialog = CardsDialog(self.session, self.window, tab=tab)
        dialog.exec()
        dialog.deleteLater()

    def show_attestations(self) -> None:
        """Sharing ▸ Attestations… (imported when first opened)."""
        if not self.session.is_unlocked:
            return
        from journal_app.ui.sharing.attestations_dialog import AttestationsDialog

        dialog = AttestationsDialog(self.session, self.window)
        self.attestations_dialog = dialog
        try:
            dialog.exec()
        finally:
            self.attestations_dialog = None
            dialog.deleteLater()

    def show_programme(self) -> None:
        """Sharing ▸ Programme… (imported when first opened)."""
        if not self.session.is_unlocked:
            return
        from journal_app.ui.sharing.programme_dialog import ProgrammeDialog

        dialog = ProgrammeDialog(self.session, self.window)
        dialog.exec()
        dialog.deleteLater()

    # ------------------------------------------------------------ sharing

    def share(self) -> None:
        """Sharing ▸ Share…, with the entry being read ticked already."""
        if not self._unlocked():
            return
        self.window.journal_page.editor.flush()
        entry = self.stored_entry()
        from journal_app.ui.sharing.share_dialog import ShareDialog  # loads the detectors: only
        # when sharing

        self._run_share(ShareDialog(self.session, self.window,
                                    preselect=[entry.id] if entry else []))

    def make_handout(self) -> None:
        """The entry as a reflection-round handout: through the same de-identification review
        as sharing, then saved as a PDF with no name and no date (issue 24)."""
        if not self._unlocked():
            return
        self.window.journal_page.editor.flush()
        entry = self.stored_entry()
        if entry is None:
            return
        from journal_app.ui.sharing.handout import make_handout

        keep: list[QDialog | None] = [None]
        self._handout_keep = keep
        out = make_handout(self.window, self.session, entry.title, entry.body, keep)
        if out is None:
            return
        self.window.show_message(f"Saved {out.name}: print it for the session, then delete the"
                                 " file (it is not encrypted).")

    def share_entry(self) -> None:
        if not self._unlocked():
            return
        self.window.journal_page.editor.flush()
        entry = self.stored_entry()
        if entry is None:
            return
        from journal_app.ui.sharing.share_dialog import ShareDialog

        self._run_share(ShareDialog(self.session, self.window, preselect=[entry.id]))

    def share_selection(self) -> None:
        """Share the part of the entry selected in the editor."""
        if not self._unlocked():
            return
        editor = self.window.journal_page.editor
        cursor = editor.body.textCursor()
        if not cursor.hasSelection():
            return
        start_pos, end_pos = cursor.selectionStart(), cursor.selectionEnd()
        if not editor.flush():
            self.window.show_message(f"Save the entry first: {editor.save_error}")
            return
        entry = self.stored_entry()
        if entry is None:
            return
        text = editor.body.toPlainText()
        entry_id = entry.id
        stored = self.session.read(lambda journal: journal.get_entry(entry_id).body)
        start, end = utf16_to_index(text, start_pos), utf16_to_index(text, end_pos)
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if stored != text or start >= end:
            self.window.show_message("Select the text to share again, once the entry is saved.")
            return
        from journal_app.ui.sharing.share_dialog import PartSelection, ShareDialog

        part = PartSelection(entry.id, start, end, entry.title, text[start:end])
        self._run_share(ShareDialog(self.session, self.window, part=part))
        # The selection survives the dialog, as a user would expect.
        keep = QTextCursor(editor.body.document())
        keep.setPosition(start_pos)
        keep.setPosition(end_pos, QTextCursor.MoveMode.KeepAnchor)
        editor.body.setTextCursor(keep)

    def _run_share(self, dialog: ShareDialog) -> None:
        dialog.exec()
        if dialog.out is not None and self.session.is_unlocked:
            self.window.show_message(
                f"Saved {dialog.out.name}. Sharing ▸ My card and contacts ▸ Shared by me "
                "keeps a record of what you shared.")
        dialog.deleteLater()

    # ------------------------------------------------------------ receiving

    def open_package(self) -> None:
        """Sharing ▸ Open a share package…: excerpts (mentor) or feedback (student)."""
        if not self._unlocked():
            return
        path, _filter = QFileDialog.getOpenFileName(
            self.window, "Open a share package", str(default_folder()), PACKAGE_FILTER)
        if not path:
            return
        try:
            data = sharing.read_package_file(Path(path))
        except JournalError as exc:
            warn(self.window, NOT_IMPORTED, exc.message)
            return
        self.window.journal_page.editor.flush()
        self._receive(data, confirmed=None, passphrase=None)

    def open_file(self, path: Path) -> None:
        """A share package or a mentor card opened from the desktop (a double-click, or
        ``journal-app FILE``): a package is received as Sharing ▸ Open a share package does, a
        card added as a contact (its fingerprint confirmed first), then My card and contacts
        shows it. While the journal is locked the file waits for the unlock."""
        if not self._unlocked():
            self.pending_file = path
            return
        self.pending_file = None
        try:
            data = sharing.read_package_file(path)
        except JournalError as exc:
            warn(self.window, NOT_IMPORTED, exc.message)
            return
        if sharing.is_share_package(data):
            self.window.journal_page.editor.flush()
            self._receive(data, confirmed=None, passphrase=None)
            return

        def added(contact: object, text: str) -> None:
            if text:
                self.window.show_message(text)
            if contact is not None:
                self.show_cards("contacts")

        add_contact_from_card(self.window, self.session, added, path=path)

    def _open_pending(self) -> None:
        if self.pending_file is not None and self._unlocked():
            self.open_file(self.pending_file)

    def _receive(self, data: bytes, confirmed: str | None, passphrase: str | None) -> None:
        """Receive ``data`` in the worker, through the session's door. When the package needs
        an answer first (a first contact's fingerprint, the share passphrase), the run stores
        nothing and comes back with the question; the answer starts a new run."""
        if not self.session.is_unlocked:
            return

        def confirm(card: Card) -> bool:
            if confirmed is not None and card.fingerprint == confirmed:
                return True
            raise _NeedsConfirmation(card)

        def ask_passphrase() -> str:
            if passphrase is None:
                raise _NeedsPassphrase()
            return passphrase

        def work(journal: Journal) -> sharing.Received | _Question:
            # The core's receive is all-or-nothing: a question raised inside it stores nothing.
            try:
                return sharing.receive(journal, data, confirm, ask_passphrase)
            except _NeedsConfirmation as exc:
                return _Question(card=exc.card)
            except _NeedsPassphrase:
                return _Question(passphrase=True)
            except WrongSharePassphraseError as exc:
                return _Question(passphrase=True, wrong=exc.message)

        self.window.statusBar().showMessage("Opening the share package…")

        def done(result: sharing.Received | _Question) -> None:
            self.window.statusBar().clearMessage()
            if isinstance(result, _Question):
                self._ask(result, data, confirmed, passphrase)
            else:
                self._received(result)

        def failed(message: str) -> None:
            self.window.statusBar().clearMessage()
            if self.session.is_unlocked:  # locked meanwhile: nothing was stored, nothing to say
                warn(self.window, NOT_IMPORTED, message)

        self.session.write(work, done, failed, changes=lambda result: (
            Change.NOTHING if isinstance(result, _Question) else Change.RECORDS))

    def _ask(self, question: _Question, data: bytes, confirmed: str | None,
             passphrase: str | None) -> None:
        if not self.session.is_unlocked:
            return  # locked meanwhile: nothing was stored, nothing to ask
        card = question.card
        if card is not None:
            dialog = FingerprintDialog(
                card,
                f"This package comes from someone who is not among your contacts yet: "
                f"{card.name}. If you confirm their fingerprint, they are added to your "
                "contacts and the package is imported.",
                self.window, "Who sent this?")
            answer = dialog.exec()
            dialog.deleteLater()
            if self._locked():
                return  # locked while asking: the dialog was closed, nothing was stored
            if answer == QDialog.DialogCode.Accepted:
                self._receive(data, card.fingerprint, passphrase)
            else:
                warn(self.window, NOT_IMPORTED,
                     "The sender's fingerprint was not confirmed; nothing was imported.")
            return
        prompt = ("This share package is locked with a one-off share passphrase.\n"
                  "Type the passphrase the sender told you:")
        if question.wrong:
            prompt = f"{question.wrong}\nCheck it with the sender and type it again:"
        text, ok = QInputDialog.getText(self.window, "Share passphrase", prompt,
                                        QLineEdit.EchoMode.Password)
        if ok and text and not self._locked():
            self._receive(data, confirmed, text)

    def _received(self, result: sharing.Received) -> None:
        if not self.session.is_unlocked:
            return
        sender = result.sender.name
        added = f" {sender} is now among your contacts." if result.new_contact else ""
        if result.kind == "share":
            self.window.show_message(
                f"Received {plural(len(result.excerpts), 'excerpt')} from {sender}.{added}",
                "Open Shared with me", self.show_shared_with_me, timeout_ms=20_000)
            if self.shared_window is not None:
                self.shared_window.refresh()
            return
        if result.kind == "receipt":
            self.window.show_message(
                f"{sender} read {plural(len(result.receipts), 'excerpt')} you shared.{added}",
                "Shared by me", lambda: self.show_cards("shared"), timeout_ms=20_000)
            return
        entries = list(dict.fromkeys(item.entry_id for item in result.feedback))
        self.window.show_message(
            f"Feedback from {sender} on {plural(len(entries), 'entry', 'entries')}.{added}",
            "Show", lambda: self.show_entry(entries[0]), timeout_ms=0)
        self._refresh_feedback()
        trends = self.window.trends_dialog
        if trends is not None and trends.isVisible():  # the mentor's depth line
            self.window.dashboard.refresh()

    def show_entry(self, entry_id: str) -> None:
        """Open an entry (the one feedback came for), clearing a search that hides it."""
        page = self.window.journal_page
        if not self.session.is_unlocked:
            return
        if not page.select(entry_id):
            page.search.clear()
            page.filters.clear()
            page.run_search()
            page.select(entry_id)
        self._refresh_feedback()

    # ------------------------------------------------------------ shared with me

    def show_shared_with_me(self) -> None:
        if not self._unlocked():
            return
        if self.shared_window is None:
            from journal_app.ui.sharing.shared_with_me import SharedWithMeWindow

            self.shared_window = SharedWithMeWindow(self.session, self.window)
            self.shared_window.feedback_saved.connect(
                lambda text: self.window.show_message(text))
        else:
            self.shared_window.refresh()
        self.shared_window.show()
        self.shared_window.raise_()
        self.shared_window.activateWindow()
