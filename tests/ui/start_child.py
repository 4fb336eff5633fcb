"""The app's real start, in a process of its own, driven as a user would (tests/ui/test_start.py).

    python start_child.py MODE FOLDER [PASSPHRASE]

Runs ``journal_app.__main__.main(["--data-dir", FOLDER])`` offscreen. When the first window is
shown (before the event loop has run once, so before anything is loaded behind the lock screen):

* ``modules``: prints what was imported then and what is on screen, and exits;
* ``type``: types the first half of PASSPHRASE into the focused field at once and the rest with
  Enter on the first turn of the event loop (the loading has started, not finished), then prints
  what the window shows once it settles (the journal page, an error on the lock page, or another
  page with a message) and quits;
* ``recover``: PASSPHRASE is "KEY|NEW": Use recovery key… on the first turn, the dialog filled
  and accepted at once; then as ``type``;
* ``watch``: types nothing; prints what the window shows once it settles;
* ``bare``: no journal-app, a bare QMainWindow shown: prints what was imported.

With ``START_CHILD_HOLD_WORDS=1`` in the environment, the spell checker's word list (loaded in
a worker of its own just after the unlock) is held until the app ends: the window is reported
once that load has begun, so the app quits with it still running (what a loaded machine did by
chance). ``words_held`` says whether it was.

One JSON line on stdout.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMainWindow, QWidget

MODE, FOLDER = sys.argv[1], sys.argv[2]
PASSPHRASE = sys.argv[3] if len(sys.argv) > 3 else ""
SETTLE_S = 30.0
HOLD_WORDS = os.environ.get("START_CHILD_HOLD_WORDS") == "1"
#: Set when the word list's load has begun (HOLD_WORDS); it goes on once the app is ending.
words_loading = threading.Event()
app_ending = threading.Event()


def hold_words() -> None:
    """Once the spelling module is loaded: its word-list load waits until the app is ending
    (the spelling service's worker is being deleted, its owner swept at exit)."""
    spelling: Any = sys.modules.get("journal_app.ui.spelling")
    if spelling is None or getattr(spelling, "_held_by_test", False):
        return
    load = spelling.dictionary
    made = spelling.SpellingService.__init__

    def held(language: str) -> Any:
        words_loading.set()
        app_ending.wait()
        return load(language)

    def init(self: Any, *args: Any, **kwargs: Any) -> None:
        made(self, *args, **kwargs)
        self._loader.destroyed.connect(app_ending.set)

    spelling.dictionary = held
    spelling.SpellingService.__init__ = init
    spelling._held_by_test = True


def report(**values: Any) -> None:
    print(json.dumps(values), flush=True)


def page_name(window: QMainWindow) -> str:
    current = window.stack.currentWidget()  # type: ignore[attr-defined]
    for name in ("lock_page", "welcome", "journal_page"):
        if getattr(window, name, None) is current:
            return name
    return type(current).__name__


def settled(window: Any) -> dict[str, Any] | None:
    """What the window shows, once it has stopped changing (else None)."""
    if type(window).__name__ != "MainWindow" or window.session.worker.busy():
        return None
    if window.lock_page.session is None:  # the journal is not opened yet
        return None
    page = page_name(window)
    lock = window.lock_page
    if page == "lock_page" and lock.busy.isVisible():
        return None
    return {
        "window": type(window).__name__,
        "page": page,
        "lock_title": lock.title.text(),
        "lock_error": lock.error.text() if lock.error.isVisible() else "",
        "typed": lock.passphrase.text(),
        "rescue_offered": lock.rescue_button.isVisibleTo(lock),
        "message": window.message_bar.text.text() if window.message_bar.isVisible() else "",
        "rows": window.journal_page.model.rowCount(),
        "unlocked": window.session.is_unlocked,
        "focus_in_passphrase": QApplication.focusWidget() is lock.passphrase,
    }


def watch(window: QMainWindow, extra: dict[str, Any]) -> None:
    """Report what the window shows once it has settled: the same state seen five times in a
    row, 20 ms apart (a state seen once may be between two steps of a loaded machine's event
    loop: the focus is given back to the field a turn after the window is completed)."""
    started = time.monotonic()
    seen: list[dict[str, Any] | None] = []

    def poll() -> None:
        if HOLD_WORDS:
            hold_words()
        state = settled(window)
        if state is not None and HOLD_WORDS:
            state["words_held"] = words_loading.is_set()
            if state["unlocked"] and not words_loading.is_set():
                state = None  # the word list's load has not begun yet
        seen.append(state)
        steady = state is not None and seen[-5:] == [state] * 5
        if not steady and time.monotonic() - started < SETTLE_S:
            QTimer.singleShot(20, poll)
            return
        report(**extra, **(state or {"timeout": True}))
        QApplication.quit()

    QTimer.singleShot(20, poll)


_show = QMainWindow.show


def show(self: QMainWindow) -> None:
    _show(self)
    QMainWindow.show = _show  # type: ignore[method-assign]
    at_show: dict[str, Any] = {
        "shown": type(self).__name__,
        "shown_page": page_name(self),
        "loaded_at_show": "journal_app.ui.shell.mainwindow" in sys.modules,
    }
    if MODE == "modules":
        modules = sorted(sys.modules)  # before any event: the loading starts on the first turn
        QApplication.processEvents()
        focus = QApplication.focusWidget()
        lock = getattr(self, "lock_page", None)
        report(**at_show, modules=modules,
               focus_in_passphrase=lock is not None and focus is lock.passphrase)
        sys.stdout.flush()
        os._exit(0)
    if MODE == "type":
        field = QApplication.focusWidget() or self.lock_page.passphrase  # type: ignore[attr-defined]
        half = len(PASSPHRASE) // 2
        QTest.keyClicks(field, PASSPHRASE[:half])

        def rest() -> None:
            target: QWidget = QApplication.focusWidget() or field
            QTest.keyClicks(target, PASSPHRASE[half:])
            at_show["loaded_at_enter"] = "journal_app.ui.shell.mainwindow" in sys.modules
            QTest.keyClick(target, Qt.Key.Key_Return)

        QTimer.singleShot(0, rest)
    if MODE == "recover":  # PASSPHRASE is "RECOVERY KEY|NEW PASSPHRASE"
        key, new = PASSPHRASE.split("|")

        def fill() -> None:
            dialog: Any = QApplication.activeModalWidget()
            QTest.keyClicks(dialog.key, key)
            QTest.keyClicks(dialog.passphrase.first, new)
            QTest.keyClicks(dialog.passphrase.second, new)
            at_show["loaded_at_enter"] = "journal_app.ui.shell.mainwindow" in sys.modules
            QTest.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)

        def recover() -> None:
            QTimer.singleShot(0, fill)
            QTest.mouseClick(self.lock_page.recovery_button,  # type: ignore[attr-defined]
                             Qt.MouseButton.LeftButton)

        QTimer.singleShot(0, recover)
    watch(self, at_show)


QMainWindow.show = show  # type: ignore[method-assign]

if MODE == "bare":  # the same, for a bare Qt window: what any PySide6 window imports
    app = QApplication(sys.argv[:1])
    QMainWindow.show = _show  # type: ignore[method-assign]
    bare = QMainWindow()
    bare.show()
    report(modules=sorted(sys.modules))
    sys.exit(0)

from journal_app.__main__ import main  # noqa: E402

sys.exit(main(["--data-dir", FOLDER]))
