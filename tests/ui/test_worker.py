"""The worker delivers each task's result on the UI thread, keeps what it needs for that until
then, and nothing after; a task still running when the app ends finishes quietly."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import threading
import weakref
from pathlib import Path

from PySide6.QtCore import QObject
from pytestqt.qtbot import QtBot

from journal_app.ui.worker import Worker

from .conftest import WAIT_MS

ROOT = Path(__file__).resolve().parents[2]

#: A worker whose task is still running when the application ends. The task waits until the
#: end has begun: until its signal object or its worker is being deleted, whichever comes
#: first. The worker hangs on the application itself, so that it is deleted after PySide's
#: sweep of the objects Python owns (the order the app's own workers may meet it in, their
#: owner being one of those objects).
AT_EXIT = """
import threading
from PySide6.QtWidgets import QApplication
from journal_app.ui.worker import Worker

app = QApplication([])
worker = Worker(app)
go = threading.Event()
results = []
worker.submit(lambda: go.wait() and "loaded", results.append)
worker._signals.destroyed.connect(go.set)
worker.destroyed.connect(go.set)
print("quitting", flush=True)
"""


def test_a_task_still_running_when_the_app_ends_finishes_quietly(tmp_path: Path) -> None:
    """Seen as the start's child processes ending with an error from the pool thread (and,
    before the app's excepthook stopped showing it there, hanging): the spell checker's word
    list, loaded just after the unlock, was still loading when the test quit the app, and its
    result went to a signal object PySide had already deleted."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    proc = subprocess.run([sys.executable, "-c", AT_EXIT], capture_output=True, text=True,
                          env=env, timeout=60, cwd=tmp_path, check=False)
    assert proc.returncode == 0, proc.stderr
    assert "quitting" in proc.stdout
    assert proc.stderr == "", proc.stderr


class _Secret:
    """Stands for what a task's function holds: a passphrase, a recovery key, a journal."""


def test_a_result_is_delivered_though_no_one_holds_the_task_and_nothing_is_kept_after(
        qtbot: QtBot) -> None:
    """The pool used to keep every task it ran, with its function and what that held (the
    passphrase typed to unlock, kept for as long as the app ran, locked or not)."""
    worker = Worker()
    go = threading.Event()
    results: list[str] = []
    secret = _Secret()
    kept = weakref.ref(secret)

    def work(held: _Secret = secret) -> str:
        go.wait()
        return "done" if held else ""

    task = worker.submit(work, results.append)
    held = weakref.ref(task)
    del task, work, secret
    gc.collect()  # what a collection in the UI thread may do meanwhile
    go.set()
    qtbot.waitUntil(lambda: results == ["done"], timeout=WAIT_MS)
    assert not worker.busy()
    qtbot.waitUntil(lambda: held() is None, timeout=WAIT_MS)
    assert worker.children() == [worker._pool, worker._signals]  # no object per task
    gc.collect()
    assert kept() is None


def test_an_error_is_delivered_and_kept_on_the_task(qtbot: QtBot) -> None:
    worker = Worker()
    errors: list[BaseException] = []
    task = worker.submit(lambda: 1 / 0, None, errors.append)
    qtbot.waitUntil(lambda: bool(errors), timeout=WAIT_MS)
    assert isinstance(errors[0], ZeroDivisionError) and task.error is errors[0]
    assert not worker.busy()


class _Owner(QObject):
    """Stands for a session: it owns its worker, and its callbacks hold it."""

    def __init__(self) -> None:
        super().__init__()
        self.worker = Worker(self)
        self.heard: list[str] = []

    def start(self, go: threading.Event) -> None:
        self.worker.submit(lambda: go.wait(WAIT_MS / 1000) and "loaded",
                           lambda result: self.heard.append(result))


def test_an_owner_dropped_while_its_result_is_on_the_way_goes_quietly(qtbot: QtBot) -> None:
    """Seen as a crash of the UI tests (a fixture's session dropped while the search index it
    asked for was still to be delivered): the callbacks were the last to hold the session, and
    they were dropped while the task's signal object was being deleted, a child of the
    session's worker, so deleting the session deleted that object a second time."""
    heard: list[weakref.ref[_Owner]] = []
    for _ in range(20):
        go = threading.Event()
        owner = _Owner()
        owner.start(go)
        heard.append(weakref.ref(owner))
        del owner  # only the task's callback holds it now
        go.set()
        qtbot.wait(5)
    qtbot.waitUntil(lambda: all(ref() is None for ref in heard), timeout=WAIT_MS)
    for _ in range(5):  # any deletion left for the event loop, then collected
        qtbot.wait(10)
        gc.collect()
