"""The GUI-thread garbage collector of the app (journal_app.ui.shell.gcguard)."""

from __future__ import annotations

import gc
import threading
import weakref
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from journal_app.ui.shell.gcguard import MainThreadCollector, freeze_long_lived
from journal_app.ui.shell.mainwindow import MainWindow
from tests.ui.conftest import make_vault, sample_entries, unlock


class Node:
    def __init__(self) -> None:
        self.me = self  # a cycle: only the cyclic collector frees it


def test_collection_happens_on_the_gui_timer_not_in_other_threads(qtbot: QtBot) -> None:
    gc.enable()
    collector = MainThreadCollector(interval_ms=20)
    try:
        assert not gc.isenabled()
        assert collector.thresholds[0] > 0
        # Garbage made in another thread, past every threshold, is not collected there.
        refs: list[weakref.ref[Node]] = []

        def churn() -> None:
            for _ in range(collector.thresholds[0] * 3):
                refs.append(weakref.ref(Node()))

        worker = threading.Thread(target=churn)
        worker.start()
        worker.join()
        assert any(r() is not None for r in refs)
        # The timer, in this (the GUI) thread, collects it.
        qtbot.waitUntil(lambda: all(r() is None for r in refs), timeout=5000)
    finally:
        collector.stop()
    assert gc.isenabled()
    gc.disable()  # as the GUI tests' fixture left it


def test_what_an_unlock_holds_is_left_out_of_collections_until_the_lock(
        qtbot: QtBot, folder: Path, make_window: Callable[..., MainWindow]) -> None:
    """At 100,000 entries a full collection walked every object held (0.3-0.5 s, a freeze of
    the window about once a minute while in use): what the unlocked window holds is moved out
    of the collector's reach (gc.freeze) and given back at the lock, so the journal's objects
    are collected again once dropped."""
    make_vault(folder, sample_entries())
    collector = MainThreadCollector(interval_ms=20)
    try:
        window = make_window(folder)
        assert gc.get_freeze_count() == 0
        unlock(qtbot, window)
        assert gc.get_freeze_count() > 0
        window.lock_now()
        qtbot.waitUntil(lambda: window.stack.currentWidget() is window.lock_page)
        assert gc.get_freeze_count() == 0
    finally:
        collector.stop()
        gc.unfreeze()
    gc.disable()  # as the GUI tests' fixture left it


def test_nothing_is_frozen_without_the_apps_collector() -> None:
    """Tests and tools that run the window without the app's collector keep Python's own."""
    freeze_long_lived()
    assert gc.get_freeze_count() == 0


def test_no_collection_while_an_unlock_loads_the_journal(
        qtbot: QtBot, folder: Path, make_window: Callable[..., MainWindow],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """While the worker loads the journal, every object it makes is alive, and a collection
    in the GUI thread walked them all holding the GIL the worker needs (0.2 s of each unlock
    at 100,000 entries): the collector waits until the load is over, then collects again."""
    make_vault(folder, sample_entries())
    collector = MainThreadCollector(interval_ms=20)
    collected: list[bool] = []  # for each collection: whether a load was running
    loading = threading.Event()
    real_collect = gc.collect

    def collect(generation: int = 2) -> int:
        collected.append(loading.is_set())
        return real_collect(generation)

    monkeypatch.setattr(gc, "collect", collect)
    try:
        window = make_window(folder)
        journal = window.session.journal
        assert journal is not None
        real_sync = journal.sync

        def slow_sync() -> bool:  # a load long enough for the timer to look many times
            loading.set()
            try:
                for _ in range(collector.thresholds[0] * 5):
                    Node()  # cyclic garbage: past every threshold
                threading.Event().wait(0.3)
                return real_sync()
            finally:
                loading.clear()

        monkeypatch.setattr(journal, "sync", slow_sync)
        unlock(qtbot, window)
        # Held until the search index opened too (after the window shows the journal).
        qtbot.waitUntil(lambda: not collector.held, timeout=5000)
        qtbot.waitUntil(lambda: bool(collected), timeout=5000)  # collects again after
        assert not any(collected)
    finally:
        collector.stop()
        gc.unfreeze()
    gc.disable()  # as the GUI tests' fixture left it


def test_the_collector_collects_again_after_a_failed_unlock(
        qtbot: QtBot, folder: Path, make_window: Callable[..., MainWindow]) -> None:
    make_vault(folder, sample_entries())
    collector = MainThreadCollector(interval_ms=20)
    try:
        window = make_window(folder)
        held: list[bool] = []
        window.session.loading.connect(lambda on: held.append(collector.held))
        qtbot.keyClicks(window.lock_page.passphrase, "not the passphrase")
        qtbot.keyClick(window.lock_page.passphrase, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: len(held) == 2, timeout=5000)
        assert held == [True, False]
        assert window.stack.currentWidget() is window.lock_page
    finally:
        collector.stop()
    gc.disable()  # as the GUI tests' fixture left it
