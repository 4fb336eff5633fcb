"""The Qt face of the journal service: signals for the views, slow work in a worker thread.

Signals:
    unlocked(): the vault is open and its records are loaded.
    locked(): every decrypted object was dropped; views must clear themselves.
    entriesChanged(): entries were added, changed, deleted or restored (here or elsewhere).
    entrySaved(str): an entry with this id was written.
    failed(str): a plain sentence for the user (never journal text).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from ..core.errors import JournalError, VaultDamagedError, describe, is_expected
from ..core.journal import Journal, RepairPreview
from ..core.model import Attachment, Entry
from ..core.vault import DEFAULT_KDF, KdfParams
from .worker import Task, Worker

if TYPE_CHECKING:
    from ..core.salvage import SalvageResult

log = logging.getLogger(__name__)

UNEXPECTED = (
    "Something unexpected went wrong (a bug in journal-app). Your saved entries are safe; "
    "if you were writing, your text is still in the editor."
)


def user_message(exc: BaseException) -> str:
    """A plain sentence for an error (:func:`describe`); bugs are logged by type only (no
    journal text)."""
    if not is_expected(exc):
        log.error("unexpected error: %s", type(exc).__name__)
    return describe(exc, UNEXPECTED)


class JournalSession(QObject):
    unlocked = Signal()
    locked = Signal()
    entriesChanged = Signal()
    entrySaved = Signal(str)
    failed = Signal(str)

    def __init__(self, kdf: KdfParams = DEFAULT_KDF, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.kdf = kdf
        self.journal: Journal | None = None
        self.worker = Worker(self)
        self.data_dir: Path | None = None

    # ------------------------------------------------------------ opening and keys

    @property
    def is_unlocked(self) -> bool:
        return self.journal is not None and self.journal.is_unlocked

    def _run(self, fn: Callable[[], Any], on_done: Callable[[Any], None] | None = None,
             on_error: Callable[[str], None] | None = None) -> Task:
        def failed(exc: BaseException) -> None:
            message = user_message(exc)
            if on_error is not None:
                on_error(message)
            else:
                self.failed.emit(message)

        return self.worker.submit(fn, on_done, failed)

    def create(self, data_dir: Path, passphrase: str, on_done: Callable[[str], None],
               on_error: Callable[[str], None]) -> None:
        """Create a vault (key derivation in the worker); ``on_done`` gets the recovery key."""

        def work() -> tuple[Journal, str]:
            journal, key = Journal.create(data_dir, passphrase, kdf=self.kdf)
            journal.sync()
            journal.prepare_search()
            return journal, key

        def done(result: tuple[Journal, str]) -> None:
            self.journal, key = result
            self.data_dir = data_dir
            on_done(key)

        self._run(work, done, on_error)

    def finish_creation(self) -> None:
        """Called once the recovery key was confirmed stored."""
        self.unlocked.emit()

    def open_folder(self, data_dir: Path) -> None:
        """Open (locked) the vault in ``data_dir``. Raises JournalError."""
        if self.journal is not None:
            self.journal.close()
        from ..core.backup import tidy

        tidy(data_dir)  # finish what an interrupted restore left (nothing, almost always)
        self.journal = Journal.open(data_dir)
        self.data_dir = data_dir

    def unlock(self, passphrase: str, on_error: Callable[[str], None],
               on_damaged: Callable[[str], None] | None = None) -> None:
        """Unlock in the worker; ``on_damaged`` (else ``on_error``) hears of a damaged file."""
        journal = self.journal
        if journal is None:
            on_error("Choose a journal folder first.")
            return

        def work() -> None:
            journal.unlock(passphrase)
            # Decrypt and index in the worker: the window stays live. sync() first, so the
            # index catches up from the records in memory; entries() sorts the list here too.
            journal.sync()
            journal.prepare_search()
            journal.entries()

        def failed(exc: BaseException) -> None:
            if isinstance(exc, VaultDamagedError) and on_damaged is not None:
                on_damaged(user_message(exc))
            else:
                on_error(user_message(exc))

        self.worker.submit(work, lambda _r: self.unlocked.emit(), failed)

    def salvage(self, data_dir: Path, passphrase: str, out_dir: Path,
                on_done: Callable[[SalvageResult], None],
                on_error: Callable[[str], None]) -> None:
        """Rescue what can be read of the journal in ``data_dir`` into ``out_dir`` (worker)."""
        from ..core.salvage import salvage

        self._run(lambda: salvage(data_dir, passphrase, out_dir), on_done, on_error)

    def recover(self, recovery_key: str, new_passphrase: str,
                on_error: Callable[[str], None]) -> None:
        journal = self.journal
        if journal is None:
            on_error("Choose a journal folder first.")
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
            raise JournalError("The journal is locked.")
        return self.journal

    # ------------------------------------------------------------ entries

    def entries(self, trash: bool = False) -> list[Entry]:
        return self._need().entries(trash=trash)

    def save_entry(self, entry: Entry, keep_revision: bool,
                   on_done: Callable[[Entry], None] | None = None,
                   on_error: Callable[[str], None] | None = None) -> Task:
        """Save ``entry`` in the worker (typing never waits for the disk). Records are frozen,
        so the worker saves exactly what was passed, whatever the editor does next."""
        journal = self._need()

        def work() -> Entry:
            return journal.save_entry(entry, keep_revision=keep_revision)

        def done(saved: Entry) -> None:
            self.entrySaved.emit(saved.id)
            if on_done is not None:
                on_done(saved)

        return self._run(work, done, on_error)

    def add_entry(self, entry: Entry) -> Entry:
        journal = self._need()
        stored = journal.add_entry(entry)
        self.entriesChanged.emit()
        return stored

    def delete_entry(self, entry_id: str) -> Entry:
        self.worker.wait()
        entry = self._need().delete_entry(entry_id)
        self.entriesChanged.emit()
        return entry

    def restore_entry(self, entry_id: str) -> Entry:
        self.worker.wait()
        entry = self._need().restore_entry(entry_id)
        self.entriesChanged.emit()
        return entry

    def empty_trash(self) -> int:
        self.worker.wait()
        count = self._need().empty_trash()
        self.entriesChanged.emit()
        return count

    def restore_revision(self, revision_id: str) -> Entry:
        self.worker.wait()
        entry = self._need().restore_revision(revision_id)
        self.entriesChanged.emit()
        return entry

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
            from ..core.attachments import MAX_ATTACHMENT_BYTES, check_size
            from ..core.files import read_user_file

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

    def remove_attachment(self, attachment_id: str) -> Attachment:
        self.worker.wait()
        attachment = self._need().remove_attachment(attachment_id)
        self.entriesChanged.emit()
        return attachment

    def restore_attachment(self, attachment_id: str) -> Attachment:
        self.worker.wait()
        attachment = self._need().restore_attachment(attachment_id)
        self.entriesChanged.emit()
        return attachment

    def removed_attachments(self) -> list[Attachment]:
        return self._need().removed_attachments()
