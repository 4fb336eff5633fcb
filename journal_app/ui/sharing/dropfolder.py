"""Watching the mentor's drop folder while the app runs (issue 24).

``watchdog`` reports changes in the folder from its own thread; they only start a short timer
on the UI thread (a copy makes many events), and the look itself
(:func:`journal_app.core.sharing.take_in`) runs in the journal's worker, off the UI thread. A
file still being copied is left and looked at again a moment later; a folder on a network drive
that sends no events is looked at once a minute as well. The watcher runs only while the journal
is unlocked.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal
from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver

from journal_app.core import sharing
from journal_app.core.vault import Journal
from journal_app.ui.session import Change, JournalSession

#: A copy makes many events: the look waits this long after the last one.
SETTLE_MS = 700
#: A file still being copied is looked at again after this long, events or not.
RETRY_MS = 3_000
#: A folder that sends no events (some network drives) is looked at this often.
POLL_MS = 60_000


class _Events(QObject, FileSystemEventHandler):
    """watchdog's handler: any change in the folder becomes a queued Qt signal."""

    changed = Signal()

    def on_any_event(self, event: FileSystemEvent) -> None:
        self.changed.emit()  # from watchdog's thread: delivered on the UI thread


class DropFolderWatcher(QObject):
    """Takes share packages in from one folder while the journal is unlocked.

    Signals:
        taken(object): a :class:`sharing.DropPass` after a look that did something.
    """

    taken = Signal(object)

    def __init__(self, session: JournalSession, folder: Path,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.folder = folder
        #: What each file was when last judged for good (see ``take_in``).
        self.seen: dict[Path, tuple[int, int]] = {}
        self._busy = False
        self._again = False
        self._events = _Events()
        self._events.changed.connect(self._soon)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.look)
        self._poll = QTimer(self)
        self._poll.timeout.connect(self.look)
        self._observer: BaseObserver | None = None

    def start(self) -> None:
        """Watch the folder, and look at once (what arrived while the app was closed)."""
        self.stop()
        observer: BaseObserver = Observer()
        observer.schedule(self._events, str(self.folder), recursive=False)
        observer.daemon = True
        observer.start()
        self._observer = observer
        self._poll.start(POLL_MS)
        self._soon()

    def stop(self) -> None:
        self._timer.stop()
        self._poll.stop()
        if self._observer is not None:
            self._observer.stop()
            self._observer.join(timeout=5)
            self._observer = None

    @property
    def watching(self) -> bool:
        return self._observer is not None

    def _soon(self, delay: int = SETTLE_MS) -> None:
        self._timer.start(delay)

    def look(self) -> None:
        """Take in what is complete (in the worker); one look at a time."""
        if not self.session.is_unlocked or not self.watching:
            return
        if self._busy:
            self._again = True
            return
        self._busy = True
        folder, seen = self.folder, self.seen

        def work(journal: Journal) -> sharing.DropPass:
            return sharing.take_in(journal, folder, seen)

        def changes(result: sharing.DropPass) -> Change:
            return Change.RECORDS if result.received else Change.NOTHING

        self.session.write(work, self._done, self._failed, changes=changes)

    def _done(self, result: sharing.DropPass) -> None:
        self._busy = False
        if result.waiting:
            self._soon(RETRY_MS)  # still being copied: again in a moment
        if self._again:
            self._again = False
            self._soon()
        if result.received or result.needs_you or result.refused:
            self.taken.emit(result)

    def _failed(self, _message: str) -> None:
        self._busy = False
