"""``journal-app --smoke-test``: start the desktop app as a user would, check it, and exit.

For testing an installed app where nobody can look at it (``make test-bundle`` runs the bundle
offscreen with it): the real start (``run_app``: the lock screen first, the rest of the app
loaded behind it, the journal opened) runs unchanged; this only watches. Once the window has
settled it checks that

* the window is on screen with the app's icon (every size, from the shipped PNGs);
* the whole desktop app was loaded (every module of the loading steps imported: a module
  missing from a bundle fails here) and the window became the main window;
* the lock page waits for the passphrase, with the focus in its field (or, with no journal in
  the folder, the welcome page is shown);
* the shipped content is found and valid: the prompts, the check marks the style sheet draws,
  the spelling word lists;

then prints one line and exits 0, or names the first check that failed and exits 1. Nothing is
typed, nothing is unlocked and nothing is written.
"""

from __future__ import annotations

import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget

#: How long the app may take to settle before the test fails (a loaded machine: seconds).
SETTLE_S = 120.0
POLL_MS = 50
EXPECTED_ICON_SIZES = (16, 32, 48, 128, 256, 512)


def _content_problems() -> list[str]:
    from journal_app.core.content import content_dir, emotion_words
    from journal_app.core.spelling import Speller, dictionary
    from journal_app.ui.theme import indicator_image

    problems = []
    if not emotion_words():
        problems.append("the prompts' emotion words are empty")
    if not Path(indicator_image("check", "#ffffff")).is_file():
        problems.append(f"the style sheet's marks are missing from {content_dir('resources')}")
    if Speller(dictionary("en")).flagged("recieve") == []:
        problems.append("the spelling word lists did not load")
    return problems


def _settled(window: QWidget) -> str | None:
    """The page shown once the app has settled ("lock screen" or "welcome page"), else
    None."""
    if not hasattr(window, "sharing"):  # MainWindow.complete has not run yet
        return None
    main: object = window
    session = getattr(main, "session", None)
    lock = getattr(main, "lock_page", None)
    stack = getattr(main, "stack", None)
    if session is None or lock is None or stack is None or session.worker.busy():
        return None
    current = stack.currentWidget()
    if current is getattr(main, "welcome", None):
        return "welcome page"
    if current is lock and lock.session is not None and not lock.busy.isVisible():
        return "lock screen"
    return None


def _checks(window: Any, page: str) -> list[str]:
    from journal_app.ui.shell.loading import STEPS

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    problems = []
    if not window.isVisible():
        problems.append("the window is not on screen")
    sizes = {size.width() for size in app.windowIcon().availableSizes()}
    if not set(EXPECTED_ICON_SIZES) <= sizes:
        problems.append(f"the app icon lacks sizes {sorted(set(EXPECTED_ICON_SIZES) - sizes)}")
    missing = [name for name in STEPS if name not in sys.modules]
    if missing:
        problems.append(f"not loaded: {', '.join(missing)}")
    if page == "lock screen":
        field = window.lock_page.passphrase
        # The window's focus widget: the one typing goes to whenever the window is active.
        if window.focusWidget() is not field or not field.isEnabled():
            problems.append("the passphrase field does not have the focus")
    return problems + _content_problems()


def watch(window: QWidget, say: Callable[[str], None] | None = None) -> None:
    """Check ``window`` once the app has settled, then end the app: exit code 0 when every
    check passed, 1 when one failed or an error was raised, 1 after SETTLE_S."""
    out = say or (lambda text: print(text, flush=True))
    started = time.monotonic()

    def fail(text: str) -> None:
        out(f"journal-app: smoke test failed: {text}")
        QApplication.exit(1)

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        # A bundle missing a module fails here: the exception's type and where, no values.
        where = traceback.extract_tb(tb)[-1] if tb else None
        fail(f"{kind.__name__} ({exc}) at {where.filename}:{where.lineno}" if where
             else kind.__name__)

    sys.excepthook = hook

    def poll() -> None:
        page = _settled(window)
        if page is None:
            if time.monotonic() - started > SETTLE_S:
                fail(f"the app did not settle within {SETTLE_S:.0f} s")
            else:
                QTimer.singleShot(POLL_MS, poll)
            return
        try:
            problems = _checks(window, page)
        except Exception as exc:
            fail(f"{type(exc).__name__} ({exc})")
            return
        if problems:
            fail("; ".join(problems))
            return
        out(f"journal-app: smoke test passed: the {page} is shown, the app "
            f"loaded in {time.monotonic() - started:.1f} s")
        QApplication.exit(0)

    QTimer.singleShot(POLL_MS, poll)


__all__ = ["watch"]
