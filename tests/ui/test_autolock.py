"""Auto-lock: after idle time and after the system slept, saving what was being written.

The idle check reads two clocks (``mainwindow._monotonic`` and ``_boot_clock``). Tests that say
"not yet" drive them by hand (``clock``) and call the check themselves, so nothing depends on how
fast this machine runs the event loop; tests that only wait for a lock may use real time.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from journal_app.ui.dialogs.settings import SettingsDialog
from journal_app.ui.shell import mainwindow
from journal_app.ui.shell.mainwindow import MainWindow

from .conftest import WAIT_MS, list_titles, on_modal, type_text, unlock

IDLE_MS = 300


def short_idle(window: MainWindow, limit_ms: int = IDLE_MS) -> None:
    """Lock after ``limit_ms`` of no input (restarting the check at a matching pace)."""
    window.idle.limit_ms = limit_ms
    window.idle.start()


def is_locked(window: MainWindow) -> bool:
    return window.stack.currentWidget() is window.lock_page


class DrivenClock:
    """Both of the idle watcher's clocks, moved only by the test (awake time: both move)."""

    def __init__(self) -> None:
        self.now = 10_000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, ms: int) -> None:
        self.now += ms / 1000


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[DrivenClock]:
    driven = DrivenClock()
    monkeypatch.setattr(mainwindow, "_monotonic", driven)
    monkeypatch.setattr(mainwindow, "_boot_clock", driven)
    yield driven


def idle_for(window: MainWindow, clock: DrivenClock, ms: int) -> None:
    """Let ``ms`` pass with no input, then run the idle check (as its timer would)."""
    clock.advance(ms)
    window.idle.check()


def test_idle_window_locks_itself_and_clears_views(qtbot, open_window: MainWindow) -> None:
    window = open_window
    page = window.journal_page
    page.select(page.model.entries()[0].id)
    assert page.editor.title.text()
    window.idle.limit_ms = IDLE_MS  # the check keeps its pace (once a second)
    qtbot.waitUntil(lambda: is_locked(window), timeout=WAIT_MS)
    assert not window.session.is_unlocked
    assert page.model.rowCount() == 0
    assert page.editor.title.text() == ""
    assert page.editor.body.toPlainText() == ""
    assert not window.idle._timer.isActive()  # no further checks while locked


def test_text_typed_just_before_is_saved_first(qtbot, clock: DrivenClock,
                                               open_window: MainWindow) -> None:
    window = open_window
    editor = window.journal_page.editor
    QTest.keySequence(window, "Ctrl+N")
    short_idle(window)
    qtbot.keyClicks(editor.title, "Written before the idle lock")
    type_text(qtbot, editor.body, "Unsaved line one.\nUnsaved line two.")
    assert editor.dirty  # no event loop ran since the typing: the autosave has not
    idle_for(window, clock, IDLE_MS + 10)
    assert is_locked(window)
    unlock(qtbot, window)
    assert "Written before the idle lock" in list_titles(window)
    [entry] = [e for e in window.session.entries() if e.title == "Written before the idle lock"]
    assert entry.body == "Unsaved line one.\nUnsaved line two."


def test_activity_keeps_it_open(qtbot, clock: DrivenClock, open_window: MainWindow) -> None:
    window = open_window
    editor = window.journal_page.editor
    short_idle(window, 400)
    window.journal_page.select(window.journal_page.model.entries()[0].id)
    for _ in range(4):  # 1.2 s of slow typing: a key every 300 ms, never 400 ms idle
        idle_for(window, clock, 300)
        qtbot.keyClick(editor.body, Qt.Key.Key_Right)
    idle_for(window, clock, 300)
    assert not is_locked(window)
    for step in range(4):  # then 1.2 s of moving the mouse, no keys
        QTest.mouseMove(editor.body, QPoint(10 + 5 * step, 10))
        idle_for(window, clock, 300)
    assert not is_locked(window)
    idle_for(window, clock, 90)  # 390 ms since the last move: still open
    assert not is_locked(window)
    idle_for(window, clock, 20)  # 410 ms: locked
    assert is_locked(window)


def test_system_sleep_locks(qtbot, clock: DrivenClock, open_window: MainWindow,
                            monkeypatch: pytest.MonkeyPatch) -> None:
    window = open_window
    window.idle.poke()
    idle_for(window, clock, 100)  # awake time passes on both clocks: nothing happens
    assert not is_locked(window)
    monkeypatch.setattr(mainwindow, "_boot_clock", lambda: clock() + 3600)  # an hour asleep
    window.idle.check()
    assert is_locked(window)
    assert not window.session.is_unlocked


def test_idle_lock_closes_open_dialogs(qtbot, open_window: MainWindow) -> None:
    window = open_window

    def wait_for_lock(dialog: SettingsDialog) -> None:
        short_idle(window)
        qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT_MS)

    seen = on_modal(SettingsDialog, wait_for_lock)
    window.act_settings.trigger()
    assert len(seen) == 1
    assert is_locked(window)


def test_relocking_after_unlock_uses_the_setting(qtbot, open_window: MainWindow) -> None:
    window = open_window
    short_idle(window)
    qtbot.waitUntil(lambda: is_locked(window), timeout=WAIT_MS)
    unlock(qtbot, window)
    # Unlocking resets the limit from the settings (5 minutes by default), not the test's value.
    assert window.idle.limit_ms == window.settings.autolock_minutes * 60_000
    assert window.idle._timer.isActive()


def test_screen_lock_from_the_platform_locks_the_window(qtbot, open_window: MainWindow) -> None:
    window = open_window
    editor = window.journal_page.editor
    QTest.keySequence(window, "Ctrl+N")
    qtbot.keyClicks(editor.title, "Typed as the screen locked")
    window.platform_lock.on_screensaver(False)  # the screensaver ending changes nothing
    assert not is_locked(window)
    window.platform_lock.on_screensaver(True)
    assert is_locked(window)
    assert window.journal_page.model.rowCount() == 0
    unlock(qtbot, window)
    assert "Typed as the screen locked" in list_titles(window)
