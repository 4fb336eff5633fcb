"""Garbage collection in the GUI thread only.

Python's cyclic garbage collector runs in whichever thread happens to allocate when a threshold
is passed. When that is the worker thread (decrypting, writing) and the garbage holds Qt objects
(a closed dialog caught in a reference cycle with its lambdas), their C++ destructors run outside
the GUI thread, and Qt can crash. So the automatic collector is turned off and a timer in the GUI
thread collects instead, with the collector's own thresholds (pyqtgraph does the same, for the
same reason). Objects without cycles are freed by reference counting as always.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

#: How often the GUI thread looks at the collector's counts.
INTERVAL_MS = 500

#: The collector running now (None: Python's own automatic collection).
_running: MainThreadCollector | None = None


def freeze_long_lived() -> None:
    """Everything alive now (a journal just unlocked: its entries held and its search index)
    is left out of later collections (``gc.freeze``): at 100,000 entries each full collection
    walked them all, 0.3-0.5 s of a frozen window about once a minute of use. A cycle among
    those objects that dies meanwhile waits for :func:`unfreeze_long_lived` (at the lock).
    Only while the app's collector runs (tests and tools keep Python's own)."""
    if _running is not None:
        gc.freeze()


def unfreeze_long_lived() -> None:
    """The journal was locked: what it held is collected again once dropped."""
    if _running is not None or gc.get_freeze_count():
        gc.unfreeze()


def hold_while_loading(loading: bool) -> None:
    """While the journal loads in the worker (the unlock: ``loading`` True until it is done,
    either way) the GUI thread's collector collects nothing. Every object being made then is
    alive (the entries held, the index), and each collection walked them all holding the GIL
    the worker needs: 0.2 s of each unlock at 100,000 entries (issue 18). What is due is
    collected at the next look after the load (the long-lived objects frozen by then)."""
    if _running is not None:
        _running.held = loading


class MainThreadCollector(QObject):
    """Disables automatic collection and collects on a timer in this (the GUI) thread."""

    def __init__(self, parent: QObject | None = None, interval_ms: int = INTERVAL_MS) -> None:
        global _running
        super().__init__(parent)
        self.thresholds = gc.get_threshold()
        #: A journal is loading: no collection now (:func:`hold_while_loading`).
        self.held = False
        gc.disable()
        _running = self
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.check)
        self.timer.start()

    def check(self) -> None:
        """Collect the generations whose counts passed their thresholds, as gc itself would."""
        if self.held:
            return
        counts = gc.get_count()
        for generation in (2, 1, 0):
            if counts[generation] > self.thresholds[generation]:
                gc.collect(generation)
                return

    def stop(self) -> None:
        global _running
        self.timer.stop()
        if _running is self:
            _running = None
        gc.enable()
