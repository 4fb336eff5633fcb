"""Load the rest of the app while the lock screen waits for the passphrase.

The lock screen is shown with Qt and a few light modules imported (docs/design.md, "Start-up:
what the lock screen imports"); everything else is imported here once it is painted, so typing
the passphrase is not held up:

* first, in a thread, the modules of ``journal_app.core`` the window needs (they import no Qt,
  by the layers' contract) with SQLAlchemy, cryptography and Markdown under them: Python gives
  the main thread the interpreter every few milliseconds, so keystrokes are handled meanwhile;
* then, in the main thread, one module of ``journal_app.ui`` per turn of the event loop (they
  define Qt classes: not from another thread), each step small;
* then the app's own steps, one a turn as well: the session and the journal page, the window
  made the main window, the journal opened (see ``ui/shell/app.py``).

The main thread imports nothing while the thread runs: two threads importing at once can
deadlock on Python's import locks. :meth:`Loader.finish_now` (a lock-screen button that needs
the rest of the app) waits for the thread, then runs the remaining steps at once.
"""

from __future__ import annotations

import contextlib
import importlib
import sys
import threading
from collections.abc import Callable, Sequence

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

#: Imported in the thread: no Qt (tests/ui/test_start.py checks), the heavy libraries below them.
BACKGROUND: tuple[str, ...] = (
    "journal_app.core.vault.journal",
    "sqlalchemy.dialects.sqlite.pysqlite",  # loaded by the engine, when the vault is opened
    "journal_app.core.vault.quickopen",
    "journal_app.core.vault.passwords",
    "journal_app.core.recovery.backup",
    "journal_app.core.recovery.copies",
    "journal_app.core.recovery.repair",
    "journal_app.core.practice.prompts",
    "journal_app.core.practice.support",
    "journal_app.core.practice.custom",
    "journal_app.core.practice.series",
    "journal_app.core.practice.assessment",
    "journal_app.core.practice.followup",
    "journal_app.core.practice.reflection_text",
    "journal_app.core.sharing.cards",
    "journal_app.core.vocabulary",
    "journal_app.core.markup",
    "journal_app.core.syncdirs",
    "journal_app.core.files",
)

#: Imported in the main thread, one a turn, leaves first; the main window's module last.
STEPS: tuple[str, ...] = (
    "journal_app.ui.worker",
    "journal_app.ui.session",
    "journal_app.ui.markdown_view",
    "journal_app.ui.backups",
    "journal_app.ui.syncing",
    "journal_app.ui.practice.support",
    "journal_app.ui.dialogs.about",
    "journal_app.ui.dialogs.backups",
    "journal_app.ui.dialogs.history",
    "journal_app.ui.edit_dialog",
    "journal_app.ui.dialogs.myprompts",
    "journal_app.ui.reminders",
    "journal_app.ui.dialogs.reminders",
    "journal_app.ui.dialogs.kept_copies",
    "journal_app.ui.dialogs.rotatekey",
    "journal_app.ui.pages.welcome",
    "journal_app.ui.dialogs.settings",
    "journal_app.ui.writing.entrylist",
    "journal_app.ui.dialogs.trash",
    "journal_app.ui.sharing.common",
    "journal_app.ui.sharing.feedback_panel",
    "journal_app.ui.writing.attachments",
    "journal_app.ui.spelling",
    "journal_app.ui.writing.column",
    "journal_app.ui.writing.editor",
    "journal_app.ui.practice.checkin",
    "journal_app.ui.practice.assessment",
    "journal_app.ui.practice.quickcheckin",
    "journal_app.ui.practice.picker",
    "journal_app.ui.sharing.cards_dialog",
    "journal_app.ui.sharing.controller",
    "journal_app.ui.shell.demo",
    "journal_app.ui.shell.platform_lock",
    "journal_app.ui.shell.readonly",
    "journal_app.ui.writing.journalpage",
    "journal_app.ui.writing.reflection",
    "journal_app.ui.shell.mainwindow",
)

#: How often the main thread looks whether the thread has finished.
POLL_MS = 5
#: The loading starts once the lock screen is painted, or after this long if it is not (a
#: window started minimized or on another workspace).
UNPAINTED_MS = 300


def _import_quietly(names: Sequence[str]) -> None:
    for name in names:
        # A module that fails here fails again in the main thread, which reports it.
        with contextlib.suppress(Exception):
            importlib.import_module(name)


class _AfterPaint(QObject):
    """Calls ``then`` on the turn after ``widget``'s first paint, once."""

    def __init__(self, widget: QWidget, then: Callable[[], None]) -> None:
        super().__init__(widget)
        self._then = then
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self._then)
        return False


#: A step: a module to import, or something to build (a turn of the event loop each).
Step = str | Callable[[], object]


class Loader(QObject):
    """Imports ``background`` in a thread, then runs ``steps`` in the main thread, one a turn
    (a module name is imported; a callable is called: the app builds its window in steps too).
    ``first`` is called as it starts, before the thread. ``done`` once every step ran."""

    def __init__(self, steps: Sequence[Step], background: Sequence[str] = BACKGROUND,
                 first: Callable[[], object] | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._first = first
        self._background = tuple(background)
        self._steps = [step for step in steps if not (isinstance(step, str)
                                                      and step in sys.modules)]
        self._thread = threading.Thread(target=_import_quietly, args=(self._background,),
                                        name="start-imports", daemon=True)
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._next)
        self.done = False

    def start(self) -> None:
        if self.done or self._thread.is_alive() or self._timer.isActive():
            return  # started already, or finish_now ran first (a button needed the whole app)
        self._call_first()
        self._thread.start()
        self._timer.start()

    def start_after_paint(self, widget: QWidget) -> None:
        """Start once ``widget`` has been painted (its first paint gets the interpreter to
        itself), or after UNPAINTED_MS if it is not painted by then."""
        _AfterPaint(widget, self.start)
        QTimer.singleShot(UNPAINTED_MS, self.start)

    def _next(self) -> None:
        if self._thread.is_alive():
            return
        self._timer.setInterval(0)  # the thread is done: a step each turn from now on
        self._run_one()

    def _run_one(self) -> None:
        if not self._steps:
            self.done = True
            self._timer.stop()
            return
        step = self._steps.pop(0)
        if not self._steps:
            self.done = True
            self._timer.stop()
        if isinstance(step, str):
            importlib.import_module(step)
        else:
            step()

    def _call_first(self) -> None:
        first, self._first = self._first, None
        if first is not None:
            first()

    def finish_now(self) -> None:
        """Run what is left at once (the caller needs the whole app now)."""
        self._call_first()
        self._timer.stop()
        if self._thread.is_alive():
            self._thread.join()
        while not self.done:
            self._run_one()


__all__ = ["BACKGROUND", "STEPS", "Loader", "Step"]
