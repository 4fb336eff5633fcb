"""Run slow work (key derivation, saving, checking) off the UI thread.

Journal calls from a worker go through one dedicated single-thread pool, so they never run at
the same time as each other; the service's own lock covers calls from the UI thread.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot


class _Signals(QObject):
    done = Signal(object)
    failed = Signal(object)


class Task(QRunnable):
    def __init__(self, fn: Callable[[], Any]) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.fn = fn
        self.signals = _Signals()
        #: Set when ``fn`` raised: lets a caller that waited for the task know at once.
        self.error: BaseException | None = None

    @Slot()
    def run(self) -> None:
        try:
            result = self.fn()
        except BaseException as exc:  # handed to the UI thread, which reports it plainly
            self.error = exc
            self.signals.failed.emit(exc)
        else:
            self.signals.done.emit(result)


class Worker(QObject):
    """A single background thread for journal work, with results delivered on the UI thread."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._tasks: set[Task] = set()

    def submit(
        self,
        fn: Callable[[], Any],
        on_done: Callable[[Any], object] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
    ) -> Task:
        task = Task(fn)
        self._tasks.add(task)

        def finished(result: Any) -> None:
            self._tasks.discard(task)
            if on_done is not None:
                on_done(result)

        def failed(exc: BaseException) -> None:
            self._tasks.discard(task)
            if on_error is not None:
                on_error(exc)

        task.signals.done.connect(finished)
        task.signals.failed.connect(failed)
        self._pool.start(task)
        return task

    def busy(self) -> bool:
        return bool(self._tasks)

    def wait(self, msecs: int = -1) -> bool:
        """Block until queued work is done (used before locking and quitting)."""
        return self._pool.waitForDone(msecs)
