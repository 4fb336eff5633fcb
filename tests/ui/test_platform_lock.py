"""The platform's screen-lock and sleep signals lock the journal; the clock gap means sleep."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from journal_app.ui.shell import mainwindow
from journal_app.ui.shell.mainwindow import IdleWatcher
from journal_app.ui.shell.platform_lock import PlatformLockWatcher


def test_screen_lock_and_sleep_signals_request_a_lock(qtbot: QtBot) -> None:
    watcher = PlatformLockWatcher()
    with qtbot.waitSignal(watcher.lock_requested, timeout=1000):
        watcher.on_screensaver(True)
    with qtbot.assertNotEmitted(watcher.lock_requested):
        watcher.on_screensaver(False)
        watcher.on_prepare_for_sleep(False)
    with qtbot.waitSignal(watcher.lock_requested, timeout=1000):
        watcher.on_prepare_for_sleep(True)


def test_idle_watcher_notices_a_suspend_by_the_clock_gap(
    qtbot: QtBot, monkeypatch: object
) -> None:
    watcher = IdleWatcher(limit_ms=60_000)
    watcher.poke()
    boot = watcher._boot
    # The boot clock ran on for ten minutes while the monotonic clock stood still: a suspend.
    monkeypatch.setattr(mainwindow, "_boot_clock", lambda: boot + 600)  # type: ignore[attr-defined]
    with qtbot.waitSignal(watcher.slept, timeout=1000), qtbot.assertNotEmitted(watcher.idle):
        watcher.check()
    # No gap and recent activity: nothing happens.
    with qtbot.assertNotEmitted(watcher.slept), qtbot.assertNotEmitted(watcher.idle):
        watcher.check()
