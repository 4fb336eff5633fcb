"""Sync in the app: when the journal is opened, a few seconds after the last save, and when the
sync folder changes; always in the session's worker (one journal write at a time, never on the
UI thread), never in the demo.

The sync folder is watched with ``watchdog`` (its observer thread only posts a signal; the
sync services' own files and temp files, and ours, are ignored). What the status bar says is
made here from the last result: "Synced 2 minutes ago", "Waiting for laptop's changes" (a file
from that computer has not fully arrived), or a plain problem with what to do.

Signals:
    changed(): the state changed (a sync started or ended, set up or left): labels refresh.
    synced(): a sync ended well (Settings ▸ Sync refreshes its list of devices).
    received(): it took in another computer's changes (the open entry follows them).
    problem_found(str): a sync failed with a problem not reported before (one plain sentence
        and what to do; the window shows it in its message bar, the status bar says
        "Not synced" with the sentence as its tooltip).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel, QWidget

from journal_app.ui.session import Change, JournalSession

if TYPE_CHECKING:
    from watchdog.events import FileSystemEvent
    from watchdog.observers.api import BaseObserver

    from journal_app.core.sync import Status, SyncParams, SyncResult
    from journal_app.core.vault import Journal

#: After the last save, wait this long before syncing (typing makes many saves).
SAVE_DEBOUNCE_MS = 2000
#: After a file arrives in the sync folder, wait this long for the rest of the batch.
FOLDER_DEBOUNCE_MS = 1500
#: How often the "Synced … ago" text is brought up to date.
TICK_MS = 30_000

#: Words of the command line in the engine's sentences, and what the app says instead.
_APP_WORDS = (
    ("run 'journal-app sync leave'", "choose Leave in Settings ▸ Sync"),
    ("'journal-app sync leave'", "Leave in Settings ▸ Sync"),
    ("run 'journal-app sync now' again", "it tries again by itself"),
    ("'journal-app sync remove-device'", "Remove in Settings ▸ Sync"),
    ("'journal-app change-passphrase'", "Settings ▸ Change passphrase"),
    ("run 'journal-app sync setup --folder DIR' (or 'sync join' on a new computer)",
     "set it up in Settings ▸ Sync"),
)


def app_words(message: str) -> str:
    """The engine's sentence with the app's menus where it names a command."""
    for cli, app in _APP_WORDS:
        message = message.replace(cli, app)
    return message


def ago(then: datetime, now: datetime | None = None) -> str:
    """'just now', '2 minutes ago', '3 hours ago', 'yesterday', '4 days ago'."""
    seconds = max(0, int(((now or datetime.now(then.tzinfo)) - then).total_seconds()))
    if seconds < 60:
        return "just now"
    for size, unit in ((86400, "day"), (3600, "hour"), (60, "minute")):
        if seconds >= size:
            count = seconds // size
            if unit == "day" and count == 1:
                return "yesterday"
            return f"{count} {unit}{'' if count == 1 else 's'} ago"
    return "just now"  # pragma: no cover - every positive case returned above


@dataclass(frozen=True)
class Outcome:
    """What one sync in the worker found: the result and the status after it."""

    result: SyncResult
    status: Status


#: What to do when a file in the sync folder does not check out (the engine's sentence says
#: that nothing was applied).
DAMAGED_ADVICE = ("Your journal here is unchanged. Let the sync service finish copying, then "
                  "choose Sync now in Settings ▸ Sync; if this stays, a file in the folder was "
                  "altered: keep your journal here and remove nothing until you know why.")


def _run_sync(journal: Journal, params: SyncParams) -> Outcome:
    from journal_app.core.sync import SyncDamagedError, status, sync_now

    try:
        result = sync_now(journal, None, params)
    except SyncDamagedError as exc:
        raise SyncDamagedError(f"{exc.message} {DAMAGED_ADVICE}") from None
    return Outcome(result, status(journal))


class _FolderEvents(QObject):
    """Posts from watchdog's thread to the UI thread (a queued signal)."""

    arrived = Signal()


def worth_a_sync(kind: str, paths: list[str | bytes]) -> bool:
    """Whether a watchdog event in the sync folder may bring something: not a file merely
    opened or read, and not one whose every name is a sync service's own file or a temp file
    (Syncthing's, Dropbox's, ours) that is still being written."""
    from journal_app.core.sync import is_service_file

    if kind in ("opened", "closed_no_write"):
        return False
    names = [Path(os.fsdecode(p)).name for p in paths if p]
    return not names or not all(is_service_file(name) for name in names)


def _watch(folder: Path, events: _FolderEvents) -> BaseObserver:
    """Start a watchdog observer on ``folder`` that emits ``events.arrived`` for files that
    are not the sync services' own (or ours, while being written)."""
    from watchdog.events import FileSystemEventHandler
    from watchdog.observers import Observer

    class Handler(FileSystemEventHandler):
        def on_any_event(self, event: FileSystemEvent) -> None:
            if worth_a_sync(event.event_type,
                            [event.src_path, getattr(event, "dest_path", "") or ""]):
                events.arrived.emit()

    observer = Observer()
    observer.daemon = True
    observer.schedule(Handler(), str(folder), recursive=True)
    observer.start()
    return observer


class SyncController(QObject):
    changed = Signal()
    synced = Signal()
    received = Signal()
    problem_found = Signal(str)

    def __init__(self, session: JournalSession, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.enabled = True  # False in the demo: it must not write to the user's folders
        #: The sync folder while the open journal syncs (read from the vault at unlock; the
        #: folder itself is only touched in the worker).
        self.folder: str | None = None
        self.status: Status | None = None
        self.last: SyncResult | None = None
        self.problem: str | None = None
        self._busy = False
        self._again = False
        self._quiet = False  # our own change signals must not ask for another sync
        self._observer: BaseObserver | None = None
        self._events = _FolderEvents(self)
        self._events.arrived.connect(self._folder_changed, Qt.ConnectionType.QueuedConnection)
        self._save_timer = self._single_shot(SAVE_DEBOUNCE_MS)
        self._folder_timer = self._single_shot(FOLDER_DEBOUNCE_MS)
        self._tick = QTimer(self)
        self._tick.setInterval(TICK_MS)
        self._tick.timeout.connect(self.changed.emit)
        session.unlocked.connect(self.start)
        session.locked.connect(self.stop)
        for signal in (session.entrySaved, session.entriesChanged, session.checkinsChanged,
                       session.appStateChanged, session.recordsChanged):
            signal.connect(self._local_change)

    def _single_shot(self, ms: int) -> QTimer:
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.setInterval(ms)
        timer.timeout.connect(self.sync)
        return timer

    # ------------------------------------------------------------ state

    @property
    def busy(self) -> bool:
        return self._busy

    @property
    def active(self) -> bool:
        """The open journal syncs (and this is not the demo)."""
        return self.enabled and self.folder is not None and self.session.is_unlocked

    def _read_folder(self) -> str | None:
        """The sync folder, from the vault's sync state (no access to the folder itself)."""
        from journal_app.core.sync import load_state

        def read(journal: Journal) -> str | None:
            state = load_state(journal)
            return state.folder if state is not None else None

        return self.session.read_or(read, None)

    def describe(self, now: datetime | None = None) -> tuple[str, bool]:
        """The status bar's words, and whether they ask for something to be done."""
        if self.problem:
            return self.problem, True
        if self._busy:
            return "Syncing…", False
        status = self.status
        if status is None:
            return ("Syncing…", False) if self.folder is not None else ("", False)
        waiting = self.waiting_for()
        if waiting:
            return f"Waiting for {waiting}'s changes", False
        if status.last_sync is None:
            return "Not synced yet", False
        from journal_app.core.sync import as_time

        then = as_time((status.last_sync, 0, "")).astimezone()
        return f"Synced {ago(then, now)}", False

    def waiting_for(self) -> str:
        """The computer(s) whose files have not fully arrived (from the last sync)."""
        if self.last is None or self.status is None:
            return ""
        names = {d.id: d.name for d in self.status.devices}
        waiting: list[str] = []
        for skipped in self.last.skipped:
            device = skipped.file.split("/", 1)[0]
            name = names.get(device)
            if name and name not in waiting and "next time" in skipped.reason:
                waiting.append(name)
        return " and ".join(waiting)

    # ------------------------------------------------------------ scheduling

    def start(self) -> None:
        """The journal was unlocked (or sync was set up or joined): sync now, then watch."""
        self.stop_watching()
        self.problem = None
        self.last = None
        self.status = None
        self.folder = self._read_folder() if self.enabled else None
        if self.folder is None:
            self.changed.emit()
            return
        self._tick.start()
        try:
            self._observer = _watch(Path(self.folder), self._events)
        except OSError:
            self._observer = None  # the folder is missing: the sync says so plainly
        self.sync()

    def stop(self) -> None:
        self._save_timer.stop()
        self._folder_timer.stop()
        self._tick.stop()
        self.stop_watching()
        self.folder = None
        self.status = None
        self.last = None
        self.problem = None
        self.changed.emit()

    def stop_watching(self) -> None:
        observer, self._observer = self._observer, None
        if observer is not None:
            observer.stop()
            observer.join(5)

    def _local_change(self, *_args: Any) -> None:
        if not self._quiet and self.active:
            self._save_timer.start()

    def _folder_changed(self) -> None:
        if self.active and not self._busy:
            self._folder_timer.start()

    def sync(self) -> bool:
        """Sync now in the worker; False when it cannot (locked, not set up, the demo). Asked
        while one runs, another follows it."""
        if not self.active:
            return False
        if self._busy:
            self._again = True
            return True
        self._busy = True
        self._again = False
        self.changed.emit()

        def changes(outcome: Outcome) -> Change:
            self._quiet = True  # the session emits these now, before done()
            if outcome.result.received or outcome.result.conflicts_kept:
                return Change.ENTRIES | Change.CHECKINS | Change.APP_STATE | Change.RECORDS
            return Change.NOTHING

        def done(outcome: Outcome) -> None:
            self._quiet = False
            self._busy = False
            self.last, self.status, self.problem = outcome.result, outcome.status, None
            self.changed.emit()
            self.synced.emit()
            if outcome.result.received or outcome.result.conflicts_kept:
                self.received.emit()
            self._follow_up()

        def failed(message: str) -> None:
            self._quiet = False
            self._busy = False
            problem = f"Not synced: {app_words(message)}"
            new = problem != self.problem
            self.problem = problem
            self.changed.emit()
            if new:
                self.problem_found.emit(problem)
            self._follow_up()

        params = self.session.sync_params()
        self.session.write(lambda journal: _run_sync(journal, params), done, failed,
                           changes=changes)
        return True

    def _follow_up(self) -> None:
        if self._again:
            self._again = False
            self._save_timer.start()


class SyncStatusLabel(QLabel):
    """The sync state in the status bar, as a link to Settings ▸ Sync (hidden when the journal
    does not sync)."""

    def __init__(self, controller: SyncController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.setAccessibleName("Sync")
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setContentsMargins(6, 0, 6, 0)
        self.warning = False
        controller.changed.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        text, warn = self.controller.describe() if self.controller.active else ("", False)
        self.warning = warn
        self.setVisible(bool(text))
        if not text:
            self.clear()
            self.setToolTip("")
            return
        from html import escape

        # A problem is a sentence or two: the status bar keeps its width, the sentence is the
        # tooltip (and the message bar's, when it first appears).
        shown = "Not synced" if warn else text
        self.setText(f'<a href="sync">{escape(shown, quote=False)}</a>')
        self.setToolTip(text if warn else "Sync: this journal's computers, and what the sync "
                        "folder holds (Settings ▸ Sync)")
