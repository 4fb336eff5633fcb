"""Run slow work (key derivation, saving, checking) off the UI thread.

Journal calls from a worker go through one dedicated single-thread pool, so they never run at
the same time as each other; the service's own lock covers calls from the UI thread.

A task's result travels back to the UI thread through a signal of a small QObject of its own.
That object is a child of the :class:`Worker`, made after the worker's thread pool, and is
deleted once its result was delivered. So it lives exactly as long as the task needs it: when
the worker goes (its owner closed, or the application ending) Qt deletes the pool first, which
waits for the running task, and only then the task's signal object. It was a parentless object
before, which PySide deletes on its own when the application ends: a task still running then
(the spell checker's word list, loaded just after an unlock) emitted into a deleted object and
raised in the pool thread (docs/design.md, "Worker tasks keep their signal object until
delivered").
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QThread, QThreadPool, Signal


class _Signals(QObject):
    done = Signal(object)
    failed = Signal(object)


class Task:
    """One piece of work for a :class:`Worker`: ``fn`` runs in the worker's thread."""

    def __init__(self, fn: Callable[[], Any], signals: _Signals) -> None:
        self.fn = fn
        self.signals = signals
        #: Set when ``fn`` raised: lets a caller that waited for the task know at once.
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            result = self.fn()
        except BaseException as exc:  # handed to the UI thread, which reports it plainly
            self.error = exc
            self._deliver(self.signals.failed, exc)
        else:
            self._deliver(self.signals.done, result)

    def _deliver(self, signal: Any, value: object) -> None:
        # The worker's pool is deleted (waiting for this task) before this object, so it is
        # there; should it not be (a worker deleted some other way), there is no one left to
        # tell, and saying so in this thread would help no one.
        if shiboken6.isValid(self.signals):
            signal.emit(value)


class Worker(QObject):
    """A single background thread for journal work, with results delivered on the UI thread."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        # The first child: Qt deletes children in order, so the pool (which waits for the
        # running task) goes before any task's signal object.
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        #: Submitted and not yet delivered (kept here until then).
        self._tasks: set[Task] = set()

    def submit(
        self,
        fn: Callable[[], Any],
        on_done: Callable[[Any], object] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
    ) -> Task:
        # A child of this worker when asked from its thread (the UI thread, always so far).
        here = QThread.currentThread() is self.thread()
        signals = _Signals(self if here else None)
        task = Task(fn, signals)
        self._tasks.add(task)

        def finished(result: Any) -> None:
            self._delivered(task)
            if on_done is not None:
                on_done(result)

        def failed(exc: BaseException) -> None:
            self._delivered(task)
            if on_error is not None:
                on_error(exc)

        signals.done.connect(finished)
        signals.failed.connect(failed)
        # The callable form: the pool keeps the task until it has run, and no longer.
        self._pool.start(task.run)
        return task

    def _delivered(self, task: Task) -> None:
        self._tasks.discard(task)
        task.signals.deleteLater()

    def busy(self) -> bool:
        return bool(self._tasks)

    def wait(self, msecs: int = -1) -> bool:
        """Block until queued work is done (used before locking and quitting)."""
        return self._pool.waitForDone(msecs)
