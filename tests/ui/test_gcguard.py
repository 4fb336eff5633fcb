"""The GUI-thread garbage collector of the app (journal_app.ui.shell.gcguard)."""

from __future__ import annotations

import gc
import threading
import weakref

from pytestqt.qtbot import QtBot

from journal_app.ui.shell.gcguard import MainThreadCollector


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
