"""Run slow work (key derivation, saving, checking) off the UI thread.

Journal calls from a worker go through one dedicated single-thread pool, so they never run at
the same time as each other; the service's own lock covers calls from the UI thread.

Results travel back to the UI thread through one signal of one small QObject per worker, a
child of the :class:`Worker` made after its thread pool: when the worker goes (its owner closed,
or the application ending) Qt deletes the pool first, which waits for the running task, and
only then that object (docs/design.md, "Worker tasks keep their signal object until delivered").

What a task holds (its function, with the passphrase typed to unlock; its callbacks, with the
window or session that asked) is dropped in the UI thread only, once delivered. The pool's
thread is given the task's number, never the task: were it to drop the last reference to a
session or a window, their Qt objects would be deleted outside the UI thread. There is no
object per task either: one deleted after its delivery could drop the last reference to the
worker's own owner while being deleted, which deleted it a second time (a crash seen in the
tests: docs/design.md, "One signal object per worker").
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QThreadPool, Signal


class _Signals(QObject):
    #: The number of a task whose outcome is ready (emitted in the pool's thread).
    finished = Signal(int)


class Task:
    """One piece of work for a :class:`Worker`: ``fn`` runs in the worker's thread, then
    ``on_done(result)`` or ``on_error(exc)`` in the UI thread."""

    def __init__(self, fn: Callable[[], Any], on_done: Callable[[Any], object] | None,
                 on_error: Callable[[BaseException], None] | None) -> None:
        self.fn: Callable[[], Any] | None = fn
        self.on_done = on_done
        self.on_error = on_error
        self.result: Any = None
        #: Set when ``fn`` raised: lets a caller that waited for the task know at once.
        self.error: BaseException | None = None


def _run(tasks: dict[int, Task], number: int, signals: _Signals) -> None:
    """Task ``number`` of ``tasks``, in the pool's thread. The worker's table keeps the task
    until it is delivered, after this: nothing dropped here is the last reference."""
    task = tasks[number]
    fn = task.fn
    assert fn is not None
    try:
        task.result = fn()
    except BaseException as exc:  # handed to the UI thread, which reports it plainly
        task.error = exc
    del task, fn
    # The worker's pool is deleted (waiting for this) before its signal object, so it is
    # there; should it not be (a worker deleted some other way), there is no one left to
    # tell, and saying so in this thread would help no one.
    if shiboken6.isValid(signals):
        signals.finished.emit(number)


class Worker(QObject):
    """A single background thread for journal work, with results delivered on the UI thread."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        # The first child: Qt deletes children in order, so the pool (which waits for the
        # running task) goes before the signal object.
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._signals = _Signals(self)
        self._signals.finished.connect(self._deliver)
        #: Submitted and not yet delivered, by number (kept here until then).
        self._tasks: dict[int, Task] = {}
        self._numbers = itertools.count()

    def submit(
        self,
        fn: Callable[[], Any],
        on_done: Callable[[Any], object] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
    ) -> Task:
        task = Task(fn, on_done, on_error)
        number = next(self._numbers)
        self._tasks[number] = task
        tasks, signals = self._tasks, self._signals
        # The callable form: the pool keeps it until it has run, and no longer.
        self._pool.start(lambda: _run(tasks, number, signals))
        return task

    def _deliver(self, number: int) -> None:
        task = self._tasks.pop(number)  # each number is emitted once, after submit
        task.fn = None  # what it held (a passphrase) goes now
        callback: Callable[[Any], object] | None
        if task.error is not None:
            callback, value = task.on_error, task.error
        else:
            callback, value = task.on_done, task.result
        task.on_done = task.on_error = None
        task.result = None
        if callback is not None:
            callback(value)

    def busy(self) -> bool:
        return bool(self._tasks)

    def wait(self, msecs: int = -1) -> bool:
        """Block until queued work is done (used before locking and quitting)."""
        return self._pool.waitForDone(msecs)
