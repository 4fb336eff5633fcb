"""The Qt face of the journal service: signals for the views, slow work in a worker thread.

The one door from the screens to the journal (see docs/design.md, "One door"):

* :meth:`JournalSession.read` runs ``fn(journal)`` at once on the UI thread (reads hit the records
  held in memory) and raises :class:`JournalLocked` while the journal is locked;
  :meth:`JournalSession.read_or` gives a default instead (a view that clears itself when locked).
* :meth:`JournalSession.write` runs ``fn(journal)`` in the worker, one write at a time in the order
  asked, turns an error into one plain sentence here (:func:`user_message`), hands it to
  ``on_error`` or shows it through :attr:`JournalSession.failed`, and after a successful write
  emits the change signals itself: screens never emit the session's signals.

Signals:
    unlocked(): the vault is open and its records are loaded.
    loading(bool): True as an unlock starts loading the journal in the worker, False once
        it is over (after unlocked(), or when it failed).
    locked(): every decrypted object was dropped; views must clear themselves.
    entriesChanged(): entries were added, changed, deleted or restored (here or elsewhere).
    entrySaved(str): an entry with this id was written.
    checkinsChanged(): a check-in was stored.
    appStateChanged(): the app state (reflections waiting, settings kept in the journal) changed.
    recordsChanged(): another kind of record was written (contacts, own prompts, assessments...).
    failed(str): a plain sentence for the user (never journal text).
"""

from __future__ import annotations

import contextlib
import enum
import logging
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QObject, Signal

from journal_app.core.errors import (
    JournalError,
    VaultDamagedError,
    VaultLockedError,
    describe,
    is_expected,
)
from journal_app.core.records import Attachment, Entry
from journal_app.core.vault import DEFAULT_KDF, Journal, KdfParams, RepairPreview
from journal_app.ui import messages
from journal_app.ui.worker import Task, Worker

if TYPE_CHECKING:
    from journal_app.core.recovery import PreparedRestore, RestoreResult, SalvageResult
    from journal_app.core.sync import SyncParams

log = logging.getLogger(__name__)
T = TypeVar("T")

UNEXPECTED = messages.UNEXPECTED


class JournalLocked(VaultLockedError):
    """The journal is locked (or no journal is open): nothing can be read or written."""

    default_message = messages.LOCKED


class Change(enum.Flag):
    """What a :meth:`JournalSession.write` changes: the session emits the matching signals."""

    NOTHING = 0
    ENTRIES = enum.auto()
    CHECKINS = enum.auto()
    APP_STATE = enum.auto()
    #: Any other kind of record (support contacts, own prompts, assessments, cards...).
    RECORDS = enum.auto()


def user_message(exc: BaseException) -> str:
    """A plain sentence for an error (:func:`describe`); bugs are logged by type only (no
    journal text). The one place a worker's error becomes words for the user (the door's writes
    use it)."""
    if not is_expected(exc):
        log.error("unexpected error: %s", type(exc).__name__)
    return describe(exc, UNEXPECTED)


class JournalSession(QObject):
    #: The journal was unlocked and its records loaded: the window can show them. Its search
    #: index is opened next, in the worker (``searchReady``).
    unlocked = Signal()
    #: The search index opened after an unlock (a search asked for before waits for it in the
    #: worker's queue).
    searchReady = Signal()
    #: True as an unlock starts loading the journal in the worker, False once it is done
    #: (after ``searchReady``, or when it failed).
    loading = Signal(bool)
    locked = Signal()
    entriesChanged = Signal()
    entrySaved = Signal(str)
    checkinsChanged = Signal()
    appStateChanged = Signal()
    recordsChanged = Signal()
    failed = Signal(str)

    def __init__(self, kdf: KdfParams = DEFAULT_KDF, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.kdf = kdf
        self.journal: Journal | None = None
        self.worker = Worker(self)
        self.data_dir: Path | None = None
        #: The sync folder's key derivation (None: the engine's costly default; tests make it
        #: cheap, as ``kdf`` for the vault).
        self.sync_folder_kdf: KdfParams | None = None

    # ------------------------------------------------------------ opening and keys

    @property
    def is_unlocked(self) -> bool:
        return self.journal is not None and self.journal.is_unlocked

    def _run(self, fn: Callable[[], Any], on_done: Callable[[Any], object] | None = None,
             on_error: Callable[[str], object] | None = None) -> Task:
        def failed(exc: BaseException) -> None:
            message = user_message(exc)
            if on_error is not None:
                on_error(message)
            else:
                self.failed.emit(message)

        return self.worker.submit(fn, on_done, failed)

    def create(self, data_dir: Path, passphrase: str, on_done: Callable[[str], None],
               on_error: Callable[[str], None], *,
               fill: Callable[[Journal], object] | None = None,
               kdf: KdfParams | None = None) -> None:
        """Create a vault (key derivation in the worker); ``on_done`` gets the recovery key.
        ``fill(journal)`` stores the first records, in the worker too (the demo's invented
        journal); ``kdf`` replaces the session's key derivation for this vault."""

        def work() -> tuple[Journal, str]:
            journal, key = Journal.create(data_dir, passphrase, kdf=kdf or self.kdf)
            try:
                if fill is not None:
                    fill(journal)
                journal.sync()
                journal.prepare_search()
            except BaseException:
                journal.close()
                raise
            return journal, key

        def done(result: tuple[Journal, str]) -> None:
            self.journal, key = result
            self.data_dir = data_dir
            on_done(key)

        self._run(work, done, on_error)

    def sync_params(self) -> SyncParams:
        """The sync engine's settings for this session (a joined vault gets ``kdf``)."""
        from journal_app.core.sync import DEFAULT_PARAMS, SyncParams

        folder_kdf = self.sync_folder_kdf or DEFAULT_PARAMS.folder_kdf
        return SyncParams(folder_kdf=folder_kdf, vault_kdf=self.kdf)

    def join_synced(self, data_dir: Path, folder: Path, name: str | None, passphrase: str,
                    on_done: Callable[[str], None], on_error: Callable[[str], None]) -> None:
        """Make this computer's journal in ``data_dir`` (missing or empty) from the synced
        journal in ``folder``, in the worker; ``on_done`` gets its recovery key (this
        computer's own), and :meth:`finish_creation` once it was stored, as for a journal
        created here."""
        from journal_app.core.sync import join

        if self.journal is not None:
            self.journal.close()
            self.journal = None
        params = self.sync_params()

        def work() -> tuple[Journal, str]:
            journal, recovery_key = join(data_dir, folder, name, passphrase, params)
            try:
                journal.sync()
                journal.prepare_search()
                journal.entries()
            except BaseException:
                journal.close()
                raise
            return journal, recovery_key

        def done(result: tuple[Journal, str]) -> None:
            self.journal, recovery_key = result
            self.data_dir = data_dir
            on_done(recovery_key)

        self._run(work, done, on_error)

    def finish_creation(self) -> None:
        """Called once the recovery key was confirmed stored."""
        self.unlocked.emit()

    def open_folder(self, data_dir: Path) -> None:
        """Open (locked) the vault in ``data_dir``. Raises JournalError."""
        if self.journal is not None:
            self.journal.close()
        from journal_app.core.recovery import tidy

        tidy(data_dir)  # finish what an interrupted restore left (nothing, almost always)
        self.journal = Journal.open(data_dir)
        self.data_dir = data_dir

    def unlock(self, passphrase: str, on_error: Callable[[str], None],
               on_damaged: Callable[[str], None] | None = None) -> None:
        """Unlock in the worker; ``on_damaged`` (else ``on_error``) hears of a damaged file."""
        journal = self.journal
        if journal is None:
            on_error(messages.CHOOSE_FOLDER)
            return

        def work() -> None:
            journal.unlock(passphrase, read_ahead=True)
            # Decrypt in the worker: the window stays live; entries() sorts the list here too.
            # The search index is opened next, after the window shows the journal (issue 18:
            # 0.2 s of an unlock at 100,000 entries), and catches up from the records loaded.
            journal.sync()
            journal.entries()

        def failed(exc: BaseException) -> None:
            self.loading.emit(False)
            if isinstance(exc, VaultDamagedError) and on_damaged is not None:
                on_damaged(user_message(exc))
            else:
                on_error(user_message(exc))

        self.loading.emit(True)
        self.worker.submit(work, lambda _r: self._loaded(), failed)

    def _loaded(self) -> None:
        journal = self.journal
        try:
            self.unlocked.emit()
        finally:
            if journal is None or not journal.is_unlocked:
                self.loading.emit(False)
            else:
                # Ahead of any search asked for meanwhile, in the same queue. A failure is
                # met again, and said, by the first search.
                self.worker.submit(journal.prepare_search, lambda _r: self._search_ready(),
                                   self._search_failed)

    def _search_failed(self, exc: BaseException) -> None:
        if not is_expected(exc):
            log.error("unexpected error opening the search index: %s", type(exc).__name__)
        self.loading.emit(False)

    def _search_ready(self) -> None:
        try:
            self.searchReady.emit()
        finally:
            self.loading.emit(False)

    def salvage(self, data_dir: Path, passphrase: str, out_dir: Path,
                on_done: Callable[[SalvageResult], None],
                on_error: Callable[[str], None]) -> None:
        """Rescue what can be read of the journal in ``data_dir`` into ``out_dir`` (worker)."""
        from journal_app.core.recovery.salvage import salvage

        self._run(lambda: salvage(data_dir, passphrase, out_dir), on_done, on_error)

    def recover(self, recovery_key: str, new_passphrase: str,
                on_error: Callable[[str], None]) -> None:
        journal = self.journal
        if journal is None:
            on_error(messages.CHOOSE_FOLDER)
            return

        def work() -> None:
            journal.recover(recovery_key, new_passphrase, self.kdf)
            journal.sync()
            journal.prepare_search()
            journal.entries()

        self._run(work, lambda _r: self.unlocked.emit(), on_error)

    def change_passphrase(self, new_passphrase: str, on_done: Callable[[], None],
                          on_error: Callable[[str], None]) -> None:
        journal = self._need()
        self._run(lambda: journal.change_passphrase(new_passphrase), lambda _r: on_done(),
                  on_error)

    def verify(self, on_done: Callable[[Any], None], on_error: Callable[[str], None]) -> None:
        journal = self._need()
        self._run(journal.verify, on_done, on_error)

    def repair_preview(self) -> RepairPreview:
        """What a repair of the journal's list of records would accept (quick: no decryption)."""
        self.worker.wait()
        return self._need().repair_preview()

    def repair(self, preview: RepairPreview, on_done: Callable[[], None],
               on_error: Callable[[str], None]) -> None:
        """Accept what ``preview`` showed as the journal's true contents."""
        journal = self._need()
        self._run(lambda: journal.repair_manifest(preview), lambda _r: on_done(), on_error)

    def restore(self, prepared: PreparedRestore, on_done: Callable[[RestoreResult], object],
                on_error: Callable[[str], object]) -> None:
        """Close the journal (after pending saves) and swap in the verified backup
        ``prepared`` in the worker; ``on_error`` gets one sentence (the journal is as it
        was). Either way the journal stays closed: the caller opens the folder again."""
        self.close()  # the restore needs the journal closed (see core/vault/lock.py)
        self._run(prepared.commit, on_done, on_error)

    def lock(self) -> None:
        """Finish pending saves, then drop every key and decrypted object."""
        self.worker.wait()
        if self.journal is not None:
            self.journal.lock()
        self.locked.emit()

    def close(self) -> None:
        self.worker.wait()
        if self.journal is not None:
            self.journal.close()
            self.journal = None

    def _need(self) -> Journal:
        if self.journal is None or not self.journal.is_unlocked:
            raise JournalLocked()
        return self.journal

    # ------------------------------------------------------------ the door

    def read(self, fn: Callable[[Journal], T]) -> T:
        """``fn(journal)`` now, on the calling (UI) thread: reads come from the records held in
        memory. Raises :class:`JournalLocked` while the journal is locked."""
        return fn(self._need())

    def read_or(self, fn: Callable[[Journal], T], default: T) -> T:
        """Like :meth:`read`, but ``default`` while the journal is locked (a view that shows
        nothing then)."""
        if not self.is_unlocked:
            return default
        return self.read(fn)

    def write(self, fn: Callable[[Journal], T], on_done: Callable[[T], object] | None = None,
              on_error: Callable[[str], object] | None = None, *,
              changes: Change | Callable[[T], Change] = Change.RECORDS) -> Task:
        """Run ``fn(journal)`` in the worker, after every write asked for before it.

        On success (back on the UI thread) the session emits the signals for ``changes``, once
        each, then calls ``on_done(result)``. On failure the error becomes one plain sentence
        (:func:`user_message`) for ``on_error``, or for :attr:`failed` (the window's message
        bar) when there is none; the service wrote nothing then. Asked while locked, the same
        happens with :class:`JournalLocked`'s sentence. ``changes`` may be a function of the
        result, for a write that stores something or nothing (receiving a package that needs
        a question answered first stores nothing)."""
        journal = self.journal

        def work() -> T:
            if journal is None or not journal.is_unlocked:
                raise JournalLocked()
            return fn(journal)

        def done(result: T) -> None:
            if self.is_unlocked:  # locked since: the views are cleared and reload on unlock
                self._emit(changes if isinstance(changes, Change) else changes(result))
            if on_done is not None:
                # A view refreshing after the journal locked shows nothing now: no error.
                with contextlib.suppress(JournalLocked):
                    on_done(result)

        return self._run(work, done, on_error)

    def _emit(self, changes: Change) -> None:
        if Change.ENTRIES in changes:
            self.entriesChanged.emit()
        if Change.CHECKINS in changes:
            self.checkinsChanged.emit()
        if Change.APP_STATE in changes:
            self.appStateChanged.emit()
        if Change.RECORDS in changes:
            self.recordsChanged.emit()

    def background(self, fn: Callable[[Journal], T],
                   on_done: Callable[[T], object] | None = None,
                   on_error: Callable[[str], object] | None = None) -> Task:
        """Slow work that writes nothing to the journal (reading a file to import, writing an
        export or a package): ``fn(journal)`` in the worker, in turn with the writes; errors
        become one sentence as for :meth:`write`; no change signal."""
        return self.write(fn, on_done, on_error, changes=Change.NOTHING)

    # ------------------------------------------------------------ entries

    def entries(self, trash: bool = False) -> list[Entry]:
        return self._need().entries(trash=trash)

    def save_entry(self, entry: Entry, keep_revision: bool,
                   on_done: Callable[[Entry], None] | None = None,
                   on_error: Callable[[str], object] | None = None,
                   base_updated: datetime | None = None) -> Task:
        """Save ``entry`` in the worker (typing never waits for the disk). Records are frozen,
        so the worker saves exactly what was passed, whatever the editor does next.

        ``base_updated``: the stored version's time the editor started from. When the stored
        version is another by the time the worker writes (a sync took in another computer's
        change meanwhile), it is kept as a revision even without ``keep_revision``: nothing
        received is overwritten unseen."""
        journal = self._need()

        def work() -> Entry:
            keep = keep_revision
            if not keep and base_updated is not None:
                with contextlib.suppress(JournalError):
                    keep = journal.get_entry(entry.id).updated != base_updated
            return journal.save_entry(entry, keep_revision=keep)

        def done(saved: Entry) -> None:
            self.entrySaved.emit(saved.id)
            if on_done is not None:
                on_done(saved)

        return self._run(work, done, on_error)

    def check_for_outside_changes(self) -> None:
        """Pick up writes of another process (the CLI) and tell the views."""
        if self.is_unlocked and self.journal is not None and not self.worker.busy():
            try:
                changed = self.journal.sync()
            except JournalError as exc:
                self.failed.emit(exc.message)
                return
            if changed:
                self.entriesChanged.emit()

    # ------------------------------------------------------------ attachments

    def attachments(self, entry_id: str) -> list[Attachment]:
        """The attachments of an entry (descriptions only: nothing is decrypted)."""
        return self._need().attachments(entry_id)

    def add_attachment_file(self, entry_id: str, path: Path,
                            on_done: Callable[[Attachment], None],
                            on_error: Callable[[str], None]) -> Task:
        """Read an image file into memory and attach it, in the worker. The file is read
        only after its size passed the limit; nothing of it is written anywhere but the vault."""
        journal = self._need()

        def work() -> Attachment:
            from journal_app.core.files import read_user_file
            from journal_app.core.records import MAX_ATTACHMENT_BYTES, check_size

            data = read_user_file(path, MAX_ATTACHMENT_BYTES, check_size=check_size)
            return journal.add_attachment(entry_id, path.name, data)

        return self._run(work, on_done, on_error)

    def load_attachment(self, attachment_id: str, transform: Callable[[bytes], Any],
                        on_done: Callable[[Any], None], on_error: Callable[[str], None],
                        still_wanted: Callable[[], bool] | None = None) -> Task:
        """Decrypt an attachment's image in the worker and pass ``transform(bytes)`` (a decoded
        image, a written copy) to ``on_done`` on the UI thread; the bytes themselves stay in
        the worker. When ``still_wanted`` says no by the time the worker gets to it, nothing is
        decrypted and ``on_done`` gets None."""
        journal = self._need()

        def work() -> Any:
            if still_wanted is not None and not still_wanted():
                return None
            return transform(journal.attachment_data(attachment_id))

        return self._run(work, on_done, on_error)

    def removed_attachments(self) -> list[Attachment]:
        return self._need().removed_attachments()
